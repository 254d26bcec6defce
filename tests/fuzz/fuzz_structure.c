/* fuzz_structure.c: fuzz target for the structure file parser: any file an
 * operator writes gives a structure or a list of problems, never a crash,
 * and a structure it accepts answers every lookup. Replayed in CI. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pol_structure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pol_structure *s = NULL, *empty = NULL;
	pol_problems problems;
	pol_changes changes = { 0 };
	size_t i;

	pol_problems_init(&problems);
	if (pol_structure_parse(&s, (const char *)data, size, &problems) == 0) {
		for (i = 0; i < pol_structure_n_rooms(s); i++) {
			const pol_room *r = pol_structure_room(s, i);
			if (!r->key || !r->naam || pol_structure_room_by_key(s, r->key) != r)
				__builtin_trap();
		}
		pol_structure_find_wijkgroep(s, "kerkebuurt");
		pol_structure_locate(s, "7331AB", NULL, NULL);
		if (pol_structure_diff(empty, s, &changes) == 0)
			pol_changes_free(&changes);
		pol_structure_free(s);
	}
	pol_problems_free(&problems);
	return 0;
}
