/* Unit tests of bot/actions: each kind of action becomes the store rows and
 * outbox items it stands for, exactly as before the dispatch table; an
 * unknown kind changes nothing. Offline: a real store in a temp dir. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bot/actions.h"
#include "bot/daemon.h"
#include "bot/queue.h"
#include "bot/registry.h"
#include "bot/store.h"
#include "bot/store_int.h"
#include "unit_store.h"

static char dir[] = "/tmp/buurtbot-actions-XXXXXX";
static bot_daemon d;
static bot_config cfg;
static volatile sig_atomic_t stop;
static pol_input in;
static pol_action a;

static void setup(void)
{
	char path[300], err[512];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	memset(&in, 0, sizeof in);
	memset(&a, 0, sizeof a);
	cr_assert_eq(bot_store_open(&d.store, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	d.cfg = &cfg;
	d.stop = &stop;
	d.user_id = strdup("@bot:localhost");
	d.pol.bot_user_id = d.user_id;
	in.sender = "@anna:localhost";
	in.room_id = "!r:localhost";
	in.event_id = "$e";
}

static void teardown(void)
{
	char cmd[300];

	bot_store_close(d.store);
	free(d.user_id);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(actions, .init = setup, .fini = teardown);

/* Every pending outbox item as "kind txn room type content" lines. */
static const char *outbox(void)
{
	static char buf[8192];
	bot_outbox_item it;
	int64_t after = 0;
	size_t len = 0;

	buf[0] = '\0';
	while (bot_store_outbox_next(d.store, after, &it) == BOT_STORE_OK) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%d %s %s %s %s\n", (int)it.kind, it.txn_id,
					it.room_id, it.event_type ? it.event_type : "-",
					it.content ? it.content : "-");
		after = it.id;
		bot_outbox_item_clear(&it);
	}
	return buf;
}

static int store(pol_action_kind kind)
{
	a.kind = kind;
	return bot_action_store(&d, &in, &a, "$e", 3);
}

Test(actions, join_of_a_direct_chat_remembers_it)
{
	in.is_direct = 1;
	a.room_id = "!dm:localhost";
	cr_assert_eq(store(POL_ACT_JOIN), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "1 $e|3 !dm:localhost - -\n");
	cr_assert_eq(ut_direct_is(d.store, "!dm:localhost"), 1);
}

Test(actions, join_of_a_room_is_no_direct_chat)
{
	a.room_id = "!g:localhost";
	cr_assert_eq(store(POL_ACT_JOIN), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "1 $e|3 !g:localhost - -\n");
	cr_assert_eq(ut_direct_is(d.store, "!g:localhost"), 0);
}

Test(actions, decline_leaves)
{
	a.room_id = "!g:localhost";
	cr_assert_eq(store(POL_ACT_DECLINE), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "2 $e|3 !g:localhost - -\n");
}

Test(actions, audit_queues_nothing)
{
	a.room_id = "!g:localhost";
	snprintf(a.audit.command, sizeof a.audit.command, "ping");
	a.audit.allowed = 1;
	a.audit.reason = "allowed";
	cr_assert_eq(store(POL_ACT_AUDIT), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "");
}

Test(actions, reload_raises_the_flag_when_there_is_one)
{
	volatile sig_atomic_t reload = 0;

	cr_assert_eq(store(POL_ACT_RELOAD), BOT_STORE_OK);
	d.reload = &reload;
	cr_assert_eq(store(POL_ACT_RELOAD), BOT_STORE_OK);
	cr_assert_eq(reload, 1);
	cr_assert_str_eq(outbox(), "");
}

Test(actions, notice_into_the_event_room_replies_in_its_thread)
{
	a.room_id = "!r:localhost";
	a.reply_to = "$e";
	a.thread_root = "$root";
	snprintf(a.notice.text, sizeof a.notice.text, "pong");
	cr_assert_eq(store(POL_ACT_NOTICE), BOT_STORE_OK);
	cr_assert_str_eq(outbox(),
			 "0 $e|3 !r:localhost m.room.message {\"msgtype\":\"m.notice\",\"body\":\"pong\","
			 "\"m.mentions\":{},\"m.relates_to\":{\"rel_type\":\"m.thread\",\"event_id\":\"$root\","
			 "\"is_falling_back\":true,\"m.in_reply_to\":{\"event_id\":\"$e\"}}}\n");
}

Test(actions, notice_as_a_reply)
{
	a.room_id = "!r:localhost";
	a.reply_to = "$e";
	snprintf(a.notice.text, sizeof a.notice.text, "pong");
	cr_assert_eq(store(POL_ACT_NOTICE), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "0 $e|3 !r:localhost m.room.message {\"msgtype\":\"m.notice\",\"body\":\"pong\","
				   "\"m.mentions\":{},\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$e\"}}}\n");
}

Test(actions, notice_by_room_key_or_target_room)
{
	cr_assert_eq(bot_store_room_set(d.store, "stuurgroep:x", "!s:localhost", "10"), BOT_STORE_OK);
	snprintf(a.notice.text, sizeof a.notice.text, "hoi");
	snprintf(a.notice.room_key, sizeof a.notice.room_key, "stuurgroep:x");
	cr_assert_eq(bot_action_store(&d, &in, (a.kind = POL_ACT_NOTICE, &a), "$e", 0), BOT_STORE_OK);
	snprintf(a.notice.room_key, sizeof a.notice.room_key, "stuurgroep:none");
	cr_assert_eq(bot_action_store(&d, &in, &a, "$e", 1), BOT_STORE_OK, "a room not made yet is skipped");
	a.notice.room_key[0] = '\0';
	snprintf(a.notice.target_room, sizeof a.notice.target_room, "!dm:localhost");
	cr_assert_eq(bot_action_store(&d, &in, &a, "$e", 2), BOT_STORE_OK);
	cr_assert_str_eq(outbox(),
			 "0 $e|0 !s:localhost m.room.message {\"msgtype\":\"m.notice\",\"body\":\"hoi\",\"m.mentions\":{}}\n"
			 "0 $e|2 !dm:localhost m.room.message {\"msgtype\":\"m.notice\",\"body\":\"hoi\",\"m.mentions\":{}}\n");
}

static int count_named(void *ctx, const char *room_id, const char *event_id)
{
	(void)room_id;
	(void)event_id;
	(*(int *)ctx)++;
	return 0;
}

Test(actions, notice_naming_a_resident_is_taken_back_when_they_are_forgotten)
{
	int sent = 0;

	a.room_id = "!r:localhost";
	snprintf(a.notice.text, sizeof a.notice.text, "bea wacht");
	snprintf(a.notice.about, sizeof a.notice.about, "@bea:localhost");
	cr_assert_eq(store(POL_ACT_NOTICE), BOT_STORE_OK);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1);
	cr_assert_eq(bot_store_outbox_named_take(d.store, "@bea:localhost", count_named, &sent), BOT_STORE_OK);
	cr_assert_eq(sent, 0);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0, "the unsent notice is cancelled");
}

Test(actions, kick_by_room_id_or_room_key)
{
	cr_assert_eq(bot_store_room_set(d.store, "wijkgroep:x", "!w:localhost", "10"), BOT_STORE_OK);
	cr_assert_eq(bot_store_member_set(d.store, "!w:localhost", "@bea:localhost", "join"), BOT_STORE_OK);
	snprintf(a.remove.user, sizeof a.remove.user, "@bea:localhost");
	snprintf(a.remove.reason, sizeof a.remove.reason, "weg");
	a.room_id = "!r:localhost";
	cr_assert_eq(bot_action_store(&d, &in, (a.kind = POL_ACT_KICK, &a), "$e", 0), BOT_STORE_OK);
	a.room_id = NULL;
	snprintf(a.remove.room_key, sizeof a.remove.room_key, "wijkgroep:x");
	a.remove.reason[0] = '\0';
	cr_assert_eq(bot_action_store(&d, &in, &a, "$e", 1), BOT_STORE_OK);
	snprintf(a.remove.room_key, sizeof a.remove.room_key, "wijkgroep:none");
	cr_assert_eq(bot_action_store(&d, &in, &a, "$e", 2), BOT_STORE_OK, "a room not made yet is skipped");
	cr_assert_str_eq(outbox(), "5 $e|0 !r:localhost - {\"user\":\"@bea:localhost\",\"reason\":\"weg\"}\n"
				   "5 $e|1 !w:localhost - {\"user\":\"@bea:localhost\"}\n");
	cr_assert_eq(ut_member_count(d.store, "!w:localhost", "join", d.user_id), 0);
}

Test(actions, invite_counts_at_once_and_takes_them_off_the_waiting_list)
{
	char *buurt = NULL;

	cr_assert_eq(bot_store_room_set(d.store, "wijkgroep:x", "!w:localhost", "10"), BOT_STORE_OK);
	cr_assert_eq(bot_reg_wait_add(d.store, "wijkgroep:x", "@bea:localhost", "knock", NULL), BOT_STORE_OK);
	snprintf(a.invite.user, sizeof a.invite.user, "@bea:localhost");
	snprintf(a.invite.room_key, sizeof a.invite.room_key, "wijkgroep:x");
	snprintf(a.invite.buurt, sizeof a.invite.buurt, "Noord");
	a.invite.becomes_resident = 1;
	a.invite.leaves_waitlist = 1;
	cr_assert_eq(store(POL_ACT_INVITE), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "3 $e|3 !w:localhost - @bea:localhost\n");
	cr_assert_eq(ut_member_count(d.store, "!w:localhost", "invite", d.user_id), 1);
	cr_assert_eq(ut_wait_count(d.store, "wijkgroep:x"), 0);
	cr_assert_eq(bot_reg_resident_buurt(d.store, "@bea:localhost", &buurt), BOT_STORE_OK);
	cr_assert_str_eq(buurt, "Noord");
	free(buurt);
}

Test(actions, invite_into_a_room_not_made_yet_changes_nothing)
{
	snprintf(a.invite.user, sizeof a.invite.user, "@bea:localhost");
	snprintf(a.invite.room_key, sizeof a.invite.room_key, "wijkgroep:none");
	cr_assert_eq(store(POL_ACT_INVITE), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "");
}

Test(actions, waitlist_add)
{
	snprintf(a.waitlist.user, sizeof a.waitlist.user, "@bea:localhost");
	snprintf(a.waitlist.room_key, sizeof a.waitlist.room_key, "wijkgroep:x");
	snprintf(a.waitlist.source, sizeof a.waitlist.source, "knock");
	cr_assert_eq(store(POL_ACT_WAITLIST_ADD), BOT_STORE_OK);
	cr_assert_eq(ut_wait_position(d.store, "wijkgroep:x", "@bea:localhost"), 1);
}

Test(actions, ban_all_without_a_structure_still_forgets_the_resident)
{
	char *buurt = NULL;

	cr_assert_eq(bot_reg_resident_set(d.store, "@bea:localhost", "wijkgroep:x", "Noord", "@anna:localhost"),
		     BOT_STORE_OK);
	cr_assert_eq(bot_reg_wait_add(d.store, "wijkgroep:y", "@bea:localhost", "knock", NULL), BOT_STORE_OK);
	snprintf(a.remove.user, sizeof a.remove.user, "@bea:localhost");
	a.remove.every_room = 1;
	a.remove.leaves_waitlists = 1;
	a.remove.ends_residency = 1;
	cr_assert_eq(store(POL_ACT_BAN_ALL), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "");
	cr_assert_eq(ut_wait_count(d.store, "wijkgroep:y"), 0);
	cr_assert_eq(bot_reg_resident_buurt(d.store, "@bea:localhost", &buurt), BOT_STORE_NOT_FOUND);
}

Test(actions, status_is_answered_as_a_notice_in_the_same_transaction_slot)
{
	a.room_id = "!r:localhost";
	a.reply_to = "$e";
	cr_assert_eq(store(POL_ACT_STATUS), BOT_STORE_OK);
	cr_assert_not_null(strstr(outbox(), "0 $e|3 !r:localhost m.room.message {\"msgtype\":\"m.notice\""));
	cr_assert_not_null(strstr(outbox(), BUURTBOT_VERSION));
}

Test(actions, an_unknown_kind_changes_nothing)
{
	a.room_id = "!r:localhost";
	cr_assert_eq(store((pol_action_kind)9999), BOT_STORE_OK);
	cr_assert_str_eq(outbox(), "");
}

Test(actions, priority_of_a_command_and_of_a_notice_elsewhere)
{
	pol_actions acts;

	memset(&acts, 0, sizeof acts);
	acts.n = 2;
	acts.items[0].kind = POL_ACT_NOTICE;
	snprintf(acts.items[0].notice.room_key, sizeof acts.items[0].notice.room_key, "stuurgroep:x");
	acts.items[1].kind = POL_ACT_NOTICE;
	acts.items[1].room_id = "!r:localhost";
	cr_assert_eq(bot_action_priority(&acts, 0), BOT_PRIO_LOW);
	cr_assert_eq(bot_action_priority(&acts, 1), BOT_PRIO_NORMAL);
	acts.items[0].kind = POL_ACT_AUDIT;
	cr_assert_eq(bot_action_priority(&acts, 1), BOT_PRIO_HIGH);
}

/* A room that is not made yet drops its notice (logged); a room whose id
 * cannot be read (the store is damaged) is an error, so the batch is
 * tried again instead of committing without the notice. */
Test(actions, a_notice_for_an_unreadable_room_fails_and_one_not_made_is_dropped)
{
	cr_assert_eq(bot_notice_queue_key(&d, "stuurgroep:nog-niet", "x", "t1"), BOT_STORE_OK);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0);
	cr_assert_eq(bot_store_exec(d.store, "test", "ALTER TABLE structure_rooms RENAME TO gone_rooms", 0),
		     BOT_STORE_OK);
	cr_assert_eq(bot_notice_queue_key(&d, "stuurgroep:nog-niet", "x", "t2"), BOT_STORE_ERR);
}
