/* test_memtrim: a big batch's freed heap pages go back to the system; a
 * small batch (the fast path) leaves the heap alone. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bot/memtrim.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define NODES 60000

/* Private_Dirty of the process's [heap] mapping in kB, or -1. */
static long heap_dirty_kb(void)
{
	char line[512];
	long kb = -1;
	int in_heap = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) {   /* a mapping's first line */
			in_heap = strstr(line, "[heap]") != NULL;
			continue;
		}
		if (in_heap && strncmp(line, "Private_Dirty:", 14) == 0)
			kb = strtol(line + 14, NULL, 10);
	}
	fclose(f);
	return kb;
}

Test(memtrim, small_batches_are_left_alone)
{
	cr_assert_eq(bot_memtrim_after_batch(0), 0);
	cr_assert_eq(bot_memtrim_after_batch(BOT_MEMTRIM_MIN_EVENTS - 1), 0);
}

/* Like a parsed first sync: many small nodes, freed, with one live
 * allocation made after them (so the heap's top cannot simply shrink). */
Test(memtrim, a_big_batch_gives_its_freed_pages_back)
{
	static void *nodes[NODES];
	long before, after;
	void *live;
	int i;

#if defined(UNDER_ASAN) || !defined(__GLIBC__)
	cr_skip_test("glibc's allocator only (not under AddressSanitizer)");
#endif
	for (i = 0; i < NODES; i++) {
		nodes[i] = malloc(64);
		cr_assert_not_null(nodes[i]);
		memset(nodes[i], 0x5a, 64);
	}
	live = malloc(64);
	cr_assert_not_null(live);
	for (i = 0; i < NODES; i++)
		free(nodes[i]);
	before = heap_dirty_kb();
	cr_assert_eq(bot_memtrim_after_batch(BOT_MEMTRIM_MIN_EVENTS), 1);
	after = heap_dirty_kb();
	cr_assert(before > 0 && after >= 0, "cannot read the heap's size (%ld, %ld kB)", before, after);
	cr_assert_lt(after + 2048, before, "the freed pages stayed: %ld kB before, %ld kB after", before, after);
	free(live);
}
