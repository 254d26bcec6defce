/* pol_tree.h: the !structuur answer: the tree of Spaces and rooms with
 * their member counts and, for wijkgroepen, the cap. */
#ifndef POL_TREE_H
#define POL_TREE_H

#include <stddef.h>
#include "pol_structure.h"
#include "pol_text.h"

typedef struct pol_room_count {
	long joined;    /* bot not counted; -1 when the room does not exist yet */
	long invited;
} pol_room_count;

/* counts[i] belongs to pol_structure_room(s, i). Writes into buf. */
void pol_tree_text(pol_lang lang, const pol_structure *s, const pol_room_count *counts,
		   char *buf, size_t size);

#endif
