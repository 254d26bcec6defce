/* Integration tests of delivery under pressure: a throttling homeserver
 * and a bot killed with SIGKILL in the middle of a burst. Every !ping gets
 * exactly one reply. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "itest.h"

static void setup_room_with(itest_user *admin, itest_bot *bot, char **room, const char *conf)
{
	itest_user_new(admin, "admin");
	itest_bot_setup(bot, admin->user_id, conf);
	itest_bot_start(bot);
	*room = itest_create_room(admin, "drukte");
	itest_invite(admin, *room, bot->account.user_id);
	if (!itest_wait_membership(admin, *room, bot->account.user_id, "join", 20000)) {
		itest_bot_dump_log(bot);
		cr_assert_fail("bot did not join");
	}
}

static void setup_room(itest_user *admin, itest_bot *bot, char **room)
{
	setup_room_with(admin, bot, room, NULL);
}

static void throttle(const char *user_id, const char *per_second, const char *burst)
{
	char args[400];

	snprintf(args, sizeof args, "ratelimit '%s' %s %s", user_id, per_second, burst);
	cr_assert_eq(itest_harness(args, NULL, 0), 0, "harness ratelimit failed");
}

static void check_exactly_one(itest_user *admin, itest_bot *bot, const char *room,
			      char **ids, size_t n)
{
	cJSON *msgs;
	size_t i;

	if (!itest_wait_replies(admin, room, bot->account.user_id, ids, n, 1, 120000)) {
		itest_bot_dump_log(bot);
		cr_assert_fail("not every !ping got a reply");
	}
	itest_sleep_ms(3000);  /* a duplicate would show up by now */
	msgs = itest_messages(admin, room, (int)n * 4 + 50);
	for (i = 0; i < n; i++) {
		int got = itest_count_replies(msgs, bot->account.user_id, ids[i]);
		if (got != 1)
			itest_bot_dump_log(bot);
		cr_assert_eq(got, 1, "!ping %zu has %d replies", i, got);
	}
	cJSON_Delete(msgs);
}

static int log_contains(const itest_bot *bot, const char *needle)
{
	char buf[1 << 16];
	FILE *f = fopen(bot->log, "r");
	size_t n;
	int found = 0;

	if (!f)
		return 0;
	while (!found && (n = fread(buf, 1, sizeof buf - 1, f)) > 0) {
		buf[n] = '\0';
		found = strstr(buf, needle) != NULL;
	}
	fclose(f);
	return found;
}

Test(delivery, thirty_pings_under_strict_rate_limits, .timeout = 240)
{
	itest_user admin;
	itest_bot bot;
	char *room, *ids[30];
	size_t i;

	setup_room(&admin, &bot, &room);
	throttle(bot.account.user_id, "2", "5");
	for (i = 0; i < 30; i++)
		ids[i] = itest_send_text(&admin, room, "!ping");
	check_exactly_one(&admin, &bot, room, ids, 30);
	cr_assert(log_contains(&bot, "rate-limited"), "the homeserver never throttled the bot: "
		  "this test did not test what it says");
	for (i = 0; i < 30; i++)
		free(ids[i]);
	free(room);
	itest_bot_cleanup(&bot);
	itest_user_free(&admin);
}

Test(delivery, kill9_mid_burst_loses_and_repeats_nothing, .timeout = 240)
{
	itest_user admin;
	itest_bot bot;
	char *room, *ids[20];
	cJSON *msgs;
	size_t i;
	int replied = 0;
	long deadline;

	setup_room(&admin, &bot, &room);
	/* Slow the bot down so the kill lands while replies are going out. */
	throttle(bot.account.user_id, "2", "3");
	for (i = 0; i < 20; i++)
		ids[i] = itest_send_text(&admin, room, "!ping");
	deadline = itest_now_ms() + 60000;
	while (replied == 0 && itest_now_ms() < deadline) {
		msgs = itest_messages(&admin, room, 100);
		for (i = 0; i < 20; i++)
			replied += itest_count_replies(msgs, bot.account.user_id, ids[i]);
		cJSON_Delete(msgs);
		if (!replied)
			itest_sleep_ms(50);
	}
	cr_assert_gt(replied, 0, "no reply before the kill");
	cr_assert_lt(replied, 20, "all replies were out before the kill: the test proves nothing");
	itest_bot_kill9(&bot);
	itest_bot_start(&bot);
	check_exactly_one(&admin, &bot, room, ids, 20);
	for (i = 0; i < 20; i++)
		free(ids[i]);
	free(room);
	itest_bot_cleanup(&bot);
	itest_user_free(&admin);
}

Test(delivery, backlog_larger_than_one_sync_is_answered_after_downtime, .timeout = 240)
{
	itest_user admin;
	itest_bot bot;
	char *room, *ids[12];
	size_t i;

	/* One sync returns at most 5 events per room: the other 7 pings are
	 * in the gap the bot has to page back through. */
	setup_room_with(&admin, &bot, &room, "timeline_limit = 5");
	cr_assert_eq(itest_bot_stop(&bot), 0);
	for (i = 0; i < 12; i++)
		ids[i] = itest_send_text(&admin, room, "!ping");
	itest_bot_start(&bot);
	check_exactly_one(&admin, &bot, room, ids, 12);
	for (i = 0; i < 12; i++)
		free(ids[i]);
	free(room);
	itest_bot_cleanup(&bot);
	itest_user_free(&admin);
}
