/* pol_tree.c: see pol_tree.h. */
#include <stdio.h>
#include <string.h>
#include "pol_buf.h"
#include "pol_tree.h"

static int depth(const pol_structure *s, const pol_room *r)
{
	int d = 0;

	while (r && r->parent && d < 8) {
		r = pol_structure_room_by_key(s, r->parent);
		d++;
	}
	return d;
}

void pol_tree_text(pol_lang lang, const pol_structure *s, const pol_room_count *counts,
		   char *buf, size_t size)
{
	const int nl = lang != POL_LANG_EN;
	pol_buf out;
	size_t i;

	pol_buf_init(&out, buf, size);
	for (i = 0; i < pol_structure_n_rooms(s) && pol_buf_status(&out) == 0; i++) {
		const pol_room *r = pol_structure_room(s, i);
		char line[400];
		int n;

		if (r->kind == POL_ROOM_WIJK_SPACE || r->kind == POL_ROOM_GEMEENTE_SPACE)
			n = snprintf(line, sizeof line, "%s", r->naam);
		else if (counts[i].joined < 0)
			n = snprintf(line, sizeof line, "%s: %s", r->naam, nl ? "nog niet aangemaakt" : "not created yet");
		else if (r->retired)
			n = snprintf(line, sizeof line, nl ? "%s: opgeheven (%ld leden)" : "%s: retired (%ld members)",
				     r->naam, counts[i].joined);
		else if (r->kind == POL_ROOM_WIJKGROEP)
			n = snprintf(line, sizeof line, nl ? "%s: %ld van %u leden (%ld uitgenodigd)"
						 : "%s: %ld of %u members (%ld invited)",
				     r->naam, counts[i].joined + counts[i].invited, r->wijkgroep->limiet,
				     counts[i].invited);
		else
			n = snprintf(line, sizeof line, nl ? "%s: %ld leden (%ld uitgenodigd)"
						 : "%s: %ld members (%ld invited)",
				     r->naam, counts[i].joined, counts[i].invited);
		if (n < 0)
			continue;
		pol_buf_printf(&out, "%s%*s%s", pol_buf_len(&out) ? "\n" : "", 2 * depth(s, r), "", line);
	}
}
