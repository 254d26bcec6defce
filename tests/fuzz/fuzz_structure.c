/* fuzz_structure.c: fuzz target for the structure file parser: any file an
 * operator writes gives a structure or a list of problems, never a crash;
 * a structure it accepts answers every lookup and diffs to nothing against
 * itself. Replayed by the standalone driver in CI, run under libFuzzer by
 * `make fuzz-run` (the parser is policy/pol_structure*.c and pol_postcode.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pol_roles.h"
#include "policy/pol_structure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_problems(const pol_problems *p)
{
	volatile size_t sink = 0;

	if (p->n > POL_PROBLEMS_MAX || p->n_errors + p->n_warnings < p->n)
		__builtin_trap();
	for (size_t i = 0; i < p->n; i++) {
		if (!p->items[i].path || !p->items[i].message || p->items[i].path[0] == '\0')
			__builtin_trap();
		sink += strlen(p->items[i].path) + strlen(p->items[i].message);
	}
	(void)sink;
}

/* Looks everything up that the bot will, with names taken from the model. */
static void exercise(const pol_structure *s)
{
	pol_changes changes;
	const pol_stuurgroep *sgs[4];
	const pol_wijkgroep *wg;
	const pol_buurt *b;

	for (size_t i = 0; i < pol_structure_n_rooms(s); i++) {
		const pol_room *r = pol_structure_room(s, i);
		pol_room_ctx ctx = { r->kind, r->key, 1, 0, NULL };

		if (!r->key || !r->naam || pol_structure_room_by_key(s, r->key) != r)
			__builtin_trap();
		for (size_t j = 0; j < r->n_members; j++) {
			pol_role_set roles = pol_roles_of(s, r->members[j].user_id, &ctx);

			pol_check(POL_CMD_LEDEN, roles, pol_roles_room_kind(s, &ctx));
			pol_structure_stuurgroepen_of(s, r->members[j].user_id, sgs, 4);
			if (j && strcmp(r->members[j - 1].user_id, r->members[j].user_id) >= 0)
				__builtin_trap();
		}
	}
	for (size_t w = 0; w < pol_structure_n_wijken(s); w++) {
		const pol_wijk *wk = pol_structure_wijk(s, w);

		for (size_t i = 0; i < wk->n_wijkgroepen; i++) {
			const pol_wijkgroep *g = &wk->wijkgroepen[i];

			if (pol_structure_find_wijkgroep(s, g->id) != g ||
			    pol_structure_find_wijkgroep(s, g->naam) != g || !g->stuurgroep ||
			    g->groeidrempel > g->limiet)
				__builtin_trap();
			for (size_t k = 0; k < g->n_buurten; k++) {
				pol_postcode_range r;

				/* a name that reads as a postcode is looked up as one */
				if (g->buurten[k].naam && pol_postcode_parse(g->buurten[k].naam, &r) != 0 &&
				    (pol_structure_locate(s, g->buurten[k].naam, &wg, &b) != POL_LOCATE_FOUND || wg != g))
					__builtin_trap();
				pol_structure_locate(s, g->buurten[k].label, &wg, &b);
			}
		}
	}
	pol_structure_locate(s, "7331AB", &wg, &b);
	pol_structure_locate(s, "7333", &wg, &b);
	if (pol_structure_diff(s, s, &changes) == 0) {
		if (changes.n != 0)
			__builtin_trap();
		pol_changes_free(&changes);
	}
	if (pol_structure_diff(NULL, s, &changes) == 0)
		pol_changes_free(&changes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pol_structure *s = NULL;
	pol_problems problems;
	int rc;

	pol_problems_init(&problems);
	rc = pol_structure_parse(&s, (const char *)data, size, &problems);
	check_problems(&problems);
	if (rc == 0) {
		if (!s || problems.n_errors != 0)
			__builtin_trap();
		exercise(s);
		pol_structure_free(s);
	} else if (s != NULL || problems.n_errors == 0) {
		__builtin_trap();   /* refused: *out NULL and at least one error */
	}
	pol_problems_free(&problems);
	return 0;
}
