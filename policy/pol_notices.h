/* pol_notices.h: texts the daemon composes from what its store knows
 * (waiting lists, member buurten), so their wording stays in policy/. */
#ifndef POL_NOTICES_H
#define POL_NOTICES_H

#include <stddef.h>
#include "pol_caps.h"
#include "pol_structure.h"
#include "pol_text.h"

typedef struct pol_wait_line {
	const char *user_id;
	const char *since;    /* a date as the reader expects it, e.g. "28-11-2026" */
	const char *source;   /* "knock", "lid", "limiet" */
} pol_wait_line;

/* The waiting list of wg; appended to buf (a line between lists). */
void pol_waitlist_text(pol_lang lang, const pol_wijkgroep *wg, const pol_wait_line *lines, size_t n,
		       char *buf, size_t size);

/* The split proposal for the residents m[0..n) of wg (pol_split_propose
 * with wg's buurten and cap; the smallest group is a tenth of the cap,
 * the seed's 10 for the usual 100). NULL on bad input or out of memory. */
pol_split_proposal *pol_split_for_wijkgroep(const pol_wijkgroep *wg, const pol_split_member *m, size_t n);

/* The groups of a split proposal, one line each, and the members left
 * where they are; written to buf. */
void pol_split_groups_text(pol_lang lang, const pol_split_proposal *p, char *buf, size_t size);

/* The growth notice for the stuurgroep: count, members per buurt (from
 * m[0..n)), and the proposal p (may be NULL). */
void pol_growth_text(pol_lang lang, const pol_wijkgroep *wg, long count, const pol_split_member *m,
		     size_t n, const pol_split_proposal *p, char *buf, size_t size);

/* The attribution header of a copy of casus nr that began in origin (a
 * room name) at when (a time as the reader expects it): "Casus #12 uit
 * Wijkgroep Noord (14:32, casushouder @anna, doorgezet door @bram):". The
 * casushouder named is the one the room it goes to has (houder_there),
 * else the one a forward makes there (houder_new), else "-": a room the
 * casus reached before keeps its casushouder. Strings may be NULL. */
void pol_copy_header(pol_lang lang, long long nr, const char *origin, const char *when, const char *houder_there,
		     const char *houder_new, const char *approver, char *buf, size_t size);

#endif
