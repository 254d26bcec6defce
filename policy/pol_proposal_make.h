/* pol_proposal_make.h: the daemon's side of !splits and !wijkgroep nieuw,
 * decided here: the overlay entry a split proposes, the answers (nothing
 * to split, not valid, stored as number nr), which residents a confirmed
 * split moves where, and the words when it is done. The daemon gathers
 * (members, the overlay, the proposal's number) and carries the plan out
 * (bot/proposals.c). */
#ifndef POL_PROPOSAL_MAKE_H
#define POL_PROPOSAL_MAKE_H

#include <stddef.h>
#include "pol_caps.h"
#include "pol_structure.h"
#include "pol_text.h"

#define POL_PROP_TEXT_MAX 4096
#define POL_PROP_KEY_MAX (POL_STRUCT_MAX_KEY + 16)

/* A proposal being made, step by step: pol_prop_split or pol_prop_new,
 * then (when store) the daemon checks entry against the structure and
 * tells pol_prop_checked, then (when still store) stores it and tells
 * pol_prop_stored its number. answer is the reply at every step. */
typedef struct pol_prop_answer {
	int store;                       /* 1: check entry, then store it as kind */
	char kind[16];                   /* "splits", "wijkgroep" */
	char *entry;                     /* owned: the overlay entry (JSON) */
	char naam[POL_STRUCT_MAX_NAME + 1];  /* the wijkgroep split or made */
	char *list;                      /* owned: the groups (split) or buurten (new) as the answer shows them */
	char answer[POL_PROP_TEXT_MAX];
} pol_prop_answer;

/* !splits: the split of wg for its members m[0..n) (the people the
 * structure names are left out: they are in every group already). Either
 * nothing to split (answer set, store 0) or an entry to store. 0, or -1
 * when out of memory. */
int pol_prop_split(pol_lang lang, const pol_structure *s, const pol_wijkgroep *wg, const pol_split_member *m,
		   size_t n, pol_prop_answer *out);
/* !wijkgroep nieuw: args is the entry the command made. 0, or -1 when it
 * has no wijkgroep name (not one the engine makes). */
int pol_prop_new(pol_lang lang, const char *args, pol_prop_answer *out);
/* The entry was checked: why is NULL when the structure stays valid with
 * it; else it is not stored and the answer says why. */
void pol_prop_checked(pol_lang lang, pol_prop_answer *a, const char *why);
/* The entry was stored as proposal nr: the answer names it. */
void pol_prop_stored(pol_lang lang, pol_prop_answer *a, long long nr);
void pol_prop_answer_free(pol_prop_answer *a);

/* A confirmed proposal nr that cannot be carried out (why). */
void pol_prop_failed_text(pol_lang lang, long long nr, const char *why, char *buf, size_t size);

/* The members of the old wijkgroep to move when a confirmed split entry
 * is carried out: the wijkgroep (NULL: nothing to move) ... */
const pol_wijkgroep *pol_prop_split_source(const pol_structure *s, const char *entry);

typedef struct pol_prop_move {
	const char *user_id;                /* borrowed from the members */
	char to_key[POL_PROP_KEY_MAX];      /* "wijkgroep:<new id>" */
} pol_prop_move;

/* ... and whom to where: each resident (not named by the structure) with
 * a known buurt to the new group that has it (case-insensitive). Sets
 * *out (free) and *n. 0, or -1 when out of memory. */
int pol_prop_moves(const pol_structure *s, const char *entry, const pol_split_member *m, size_t n,
		   pol_prop_move **out, size_t *n_out);

/* The rooms that must exist before a carried-out proposal is reported:
 * "wijkgroep:<id>" of each new group. Sets *out (free) and *n (0 when
 * the entry is unreadable). 0, or -1 when out of memory. */
typedef struct pol_prop_key {
	char key[POL_PROP_KEY_MAX];
} pol_prop_key;

int pol_prop_new_keys(const char *kind, const char *entry, pol_prop_key **out, size_t *n);
/* The report in the stuurgroep room when every new room exists; moved:
 * members a split invited. s: the structure now (for the old name). */
void pol_prop_done_text(pol_lang lang, const pol_structure *s, const char *kind, const char *entry, long moved,
			char *buf, size_t size);

/* A retired wijkgroep room's one message, pointing to its opvolgers; 0
 * when room r gets none (not retired). */
int pol_prop_retired_pointer(pol_lang lang, const pol_room *r, char *buf, size_t size);

#endif
