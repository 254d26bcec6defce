/* unit_facts.h: the store facts of a small world for unit tests of the
 * rules: every wijkgroep holds cap_now members, nobody lives anywhere yet
 * and the waiting lists are empty. unit_facts_fill sets them into a
 * pol_facts. Static to each test binary (one .c file each). */
#ifndef UNIT_FACTS_H
#define UNIT_FACTS_H

#include "policy/pol_engine.h"

static long cap_now;

static long f_cap(void *ctx, const char *room_key)
{
	(void)ctx;
	(void)room_key;
	return cap_now;
}

static int f_wijkgroep_of(void *ctx, const char *user, char *buf, size_t size)
{
	(void)ctx;
	(void)user;
	(void)buf;
	(void)size;
	return -1;
}

static long f_position(void *ctx, const char *room_key, const char *user)
{
	(void)ctx;
	(void)room_key;
	(void)user;
	return 0;
}

static long f_length(void *ctx, const char *room_key)
{
	(void)ctx;
	(void)room_key;
	return 0;
}

static inline void unit_facts_fill(pol_facts *facts)
{
	facts->cap_count = f_cap;
	facts->wijkgroep_of = f_wijkgroep_of;
	facts->waitlist_position = f_position;
	facts->waitlist_length = f_length;
}

#endif
