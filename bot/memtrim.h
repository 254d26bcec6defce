/* memtrim.h: gives the heap pages of a big sync back to the system. The
 * first sync of a large gemeente (every room's state, 100+ rooms) is parsed
 * into a tree of many small allocations; once it is freed, glibc keeps
 * those pages as free heap (measured: 2.8 MB of a 4.8 MB heap with 102
 * rooms, the bot's private memory 6.3 MB instead of 3.6 MB). Small
 * batches (the fast path) cost nothing. */
#ifndef BOT_MEMTRIM_H
#define BOT_MEMTRIM_H

#include <stddef.h>

/* Batches with at least this many events count as big. */
#define BOT_MEMTRIM_MIN_EVENTS 200

/* After a batch of n_events was decided and freed: on a big one, returns
 * the free heap pages to the system (malloc_trim, glibc). 1 when it did. */
int bot_memtrim_after_batch(size_t n_events);

#endif
