/* Integration test: the bot keeps working through a homeserver restart.
 * Restarts the shared Synapse, so run-integration.sh runs this binary on
 * its own, after the others. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "itest.h"

Test(homeserver, bot_keeps_working_through_synapse_restart, .timeout = 180)
{
	itest_user admin;
	itest_bot bot;
	char *room, *ids[2];

	itest_user_new(&admin, "admin");
	itest_bot_setup(&bot, admin.user_id, "retry_max_delay_ms = 2000");
	itest_bot_start(&bot);
	room = itest_create_room(&admin, "herstart");
	itest_invite(&admin, room, bot.account.user_id);
	cr_assert(itest_wait_membership(&admin, room, bot.account.user_id, "join", 20000));
	ids[0] = itest_send_text(&admin, room, "!ping");
	cr_assert(itest_wait_replies(&admin, room, bot.account.user_id, ids, 1, 1, 30000));

	cr_assert_eq(itest_harness("restart", NULL, 0), 0, "harness restart failed");
	ids[1] = itest_send_text(&admin, room, "!ping");
	if (!itest_wait_replies(&admin, room, bot.account.user_id, ids + 1, 1, 1, 60000)) {
		itest_bot_dump_log(&bot);
		cr_assert_fail("no reply after the homeserver restart");
	}
	cr_assert(itest_bot_alive(&bot), "the bot died");
	free(ids[0]);
	free(ids[1]);
	free(room);
	itest_bot_cleanup(&bot);
	itest_user_free(&admin);
}
