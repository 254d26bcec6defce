/* unit_store.h: the store's counts and yes/no answers for assertions; a
 * read that fails fails the test (it never reads as 0). */
#ifndef UNIT_STORE_H
#define UNIT_STORE_H

#include <criterion/criterion.h>
#include "bot/store.h"
#include "bot/registry.h"
#include "bot/store_web.h"

static inline int64_t ut_outbox_count(bot_store *s, const char *state)
{
	int64_t n = 0;

	cr_assert_eq(bot_store_outbox_count(s, state, &n), BOT_STORE_OK, "%s", bot_store_errmsg(s));
	return n;
}

static inline int ut_event_seen(bot_store *s, const char *key)
{
	int seen = 0;

	cr_assert_eq(bot_store_event_seen(s, key, &seen), BOT_STORE_OK, "%s", bot_store_errmsg(s));
	return seen;
}

static inline int64_t ut_member_count(bot_store *s, const char *room_id, const char *membership, const char *except)
{
	int64_t n = 0;

	cr_assert_eq(bot_store_member_count(s, room_id, membership, except, &n), BOT_STORE_OK, "%s",
		     bot_store_errmsg(s));
	return n;
}

static inline int ut_direct_is(bot_store *s, const char *room_id)
{
	int yes = 0;

	cr_assert_eq(bot_store_direct_is(s, room_id, &yes), BOT_STORE_OK, "%s", bot_store_errmsg(s));
	return yes;
}

static inline int64_t ut_held_count(bot_store *s, const char *sender)
{
	int64_t n = 0;

	cr_assert_eq(bot_store_held_count(s, sender, &n), BOT_STORE_OK, "%s", bot_store_errmsg(s));
	return n;
}

static inline long ut_wait_position(bot_store *s, const char *wg_key, const char *user)
{
	long pos = 0;

	cr_assert_eq(bot_reg_wait_position(s, wg_key, user, &pos), BOT_STORE_OK, "%s", bot_store_errmsg(s));
	return pos;
}

static inline long ut_wait_count(bot_store *s, const char *wg_key)
{
	long n = 0;

	cr_assert_eq(bot_reg_wait_count(s, wg_key, &n), BOT_STORE_OK, "%s", bot_store_errmsg(s));
	return n;
}

static inline int ut_webapp_known(bot_store *s, int64_t web_id)
{
	int known = 0;

	cr_assert_eq(bot_webapp_known(s, web_id, &known), BOT_STORE_OK, "%s", bot_store_errmsg(s));
	return known;
}

#endif
