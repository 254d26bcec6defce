/* Unit tests of bot/batch: a sync batch becomes ledger entries, outbox
 * items and the next token in one transaction, exactly once. Offline: a
 * real store in a temp dir, hand-made sync responses. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bot/daemon.h"
#include "bot/store.h"
#include "bot/casus.h"
#include "bot/store_int.h"
#include "unit_store.h"

static char dir[] = "/tmp/buurtbot-batch-XXXXXX";
static bot_daemon d;
static bot_config cfg;
static volatile sig_atomic_t stop;
static const char *const admins[] = { "@admin:localhost" };

static void setup(void)
{
	char path[300], err[512];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	cr_assert_eq(bot_store_open(&d.store, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	d.cfg = &cfg;
	d.stop = &stop;
	d.user_id = strdup("@bot:localhost");
	d.pol.bot_user_id = d.user_id;
	d.pol.admins = admins;
	d.pol.n_admins = 1;
}

static void teardown(void)
{
	char cmd[300];

	bot_store_close(d.store);
	free(d.user_id);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(batch, .init = setup, .fini = teardown);

static mx_sync_batch *parse(const char *json)
{
	mx_sync_batch *b = NULL;
	mx_error err;

	cr_assert_eq(mx_sync_parse_bytes(&b, json, strlen(json), &err), MX_OK, "%s", err.message);
	return b;
}

#define MSG(id, sender, body) \
	"{\"event_id\":\"" id "\",\"type\":\"m.room.message\",\"sender\":\"" sender "\"," \
	"\"origin_server_ts\":1,\"content\":{\"msgtype\":\"m.text\",\"body\":\"" body "\"}}"
#define JOIN_OF(id, who) \
	"{\"event_id\":\"" id "\",\"type\":\"m.room.member\",\"sender\":\"" who "\",\"state_key\":\"" who "\"," \
	"\"origin_server_ts\":1,\"content\":{\"membership\":\"join\"}}"
#define ROOM(events) \
	"{\"next_batch\":\"s2\",\"rooms\":{\"join\":{\"!r:localhost\":{\"timeline\":{\"events\":[" events "]}}}}}"

static char *token(void)
{
	char *t = NULL;
	bot_store_kv_get(d.store, BOT_KV_SYNC_TOKEN, &t);
	return t;
}

Test(batch, ping_becomes_one_outbox_item_and_token_advances)
{
	mx_sync_batch *b = parse(ROOM(MSG("$p1", "@anna:localhost", "!ping") "," MSG("$c1", "@anna:localhost", "hoi")));
	bot_outbox_item it;
	char *t;

	cr_assert_eq(bot_process_batch(&d, b, NULL, 0), 0);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1);
	cr_assert_eq(bot_store_outbox_next(d.store, 0, &it), BOT_STORE_OK);
	cr_assert_str_eq(it.txn_id, "$p1|1");  /* action 0 is the audit row */
	cr_assert_not_null(strstr(it.content, "\"m.notice\""));
	cr_assert_not_null(strstr(it.content, "$p1"));
	bot_outbox_item_clear(&it);
	cr_assert_eq(ut_event_seen(d.store, "$p1"), 1);
	cr_assert_eq(ut_event_seen(d.store, "$c1"), 1);
	t = token();
	cr_assert_str_eq(t, "s2");
	free(t);
	mx_sync_batch_free(b);
}

Test(batch, same_batch_twice_acts_once)
{
	mx_sync_batch *b = parse(ROOM(MSG("$p1", "@anna:localhost", "!ping")));

	cr_assert_eq(bot_process_batch(&d, b, NULL, 0), 0);
	cr_assert_eq(bot_process_batch(&d, b, NULL, 0), 0);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1);
	cr_assert_eq(d.events_decided, 1);
	mx_sync_batch_free(b);
}

Test(batch, first_sync_answers_no_history)
{
	mx_sync_batch *b = parse(ROOM(MSG("$old", "@anna:localhost", "!ping")));

	cr_assert_eq(bot_process_batch(&d, b, NULL, 1), 0);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0);
	cr_assert_eq(ut_event_seen(d.store, "$old"), 1);
	mx_sync_batch_free(b);
}

Test(batch, nothing_before_the_bots_own_join_is_answered)
{
	mx_sync_batch *b = parse(ROOM(MSG("$before", "@anna:localhost", "!ping") ","
				      JOIN_OF("$j", "@bot:localhost") ","
				      MSG("$after", "@anna:localhost", "!ping")));
	bot_outbox_item it;

	cr_assert_eq(bot_process_batch(&d, b, NULL, 0), 0);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1);
	cr_assert_eq(bot_store_outbox_next(d.store, 0, &it), BOT_STORE_OK);
	cr_assert_str_eq(it.txn_id, "$after|1");
	bot_outbox_item_clear(&it);
	mx_sync_batch_free(b);
}

Test(batch, invites_from_admin_and_stranger)
{
	const char *json =
		"{\"next_batch\":\"s3\",\"rooms\":{\"invite\":{"
		"\"!a:localhost\":{\"invite_state\":{\"events\":[{\"type\":\"m.room.member\",\"sender\":\"@admin:localhost\","
		"\"state_key\":\"@bot:localhost\",\"content\":{\"membership\":\"invite\"}}]}},"
		"\"!s:localhost\":{\"invite_state\":{\"events\":[{\"type\":\"m.room.member\",\"sender\":\"@eve:localhost\","
		"\"state_key\":\"@bot:localhost\",\"content\":{\"membership\":\"invite\"}}]}}}}}";
	mx_sync_batch *b = parse(json);
	bot_outbox_item it;

	cr_assert_eq(bot_process_batch(&d, b, NULL, 1), 0, "invites are decided even on a first sync");
	cr_assert_eq(bot_store_outbox_next(d.store, 0, &it), BOT_STORE_OK);
	cr_assert_eq(it.kind, BOT_OUT_JOIN);
	cr_assert_str_eq(it.room_id, "!a:localhost");
	bot_outbox_item_clear(&it);
	cr_assert_eq(bot_store_outbox_next(d.store, 1, &it), BOT_STORE_OK);
	cr_assert_eq(it.kind, BOT_OUT_LEAVE);
	cr_assert_str_eq(it.room_id, "!s:localhost");
	bot_outbox_item_clear(&it);
	/* The same pending invite in the next sync is not decided again. */
	cr_assert_eq(bot_process_batch(&d, b, NULL, 0), 0);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 2);
	mx_sync_batch_free(b);
}

Test(batch, leaving_a_room_makes_a_new_invite_count)
{
	const char *invite =
		"{\"next_batch\":\"s3\",\"rooms\":{\"invite\":{"
		"\"!a:localhost\":{\"invite_state\":{\"events\":[{\"type\":\"m.room.member\",\"sender\":\"@admin:localhost\","
		"\"state_key\":\"@bot:localhost\",\"content\":{\"membership\":\"invite\"}}]}}}}}";
	const char *left =
		"{\"next_batch\":\"s4\",\"rooms\":{\"leave\":{\"!a:localhost\":{\"state\":{\"events\":[]},"
		"\"timeline\":{\"events\":[{\"event_id\":\"$k\",\"type\":\"m.room.member\",\"sender\":\"@admin:localhost\","
		"\"state_key\":\"@bot:localhost\",\"origin_server_ts\":1,\"content\":{\"membership\":\"leave\"}}]}}}}}";
	mx_sync_batch *b1 = parse(invite), *b2 = NULL, *b3 = NULL;

	cr_assert_eq(bot_process_batch(&d, b1, NULL, 0), 0);
	cr_assert_eq(ut_event_seen(d.store, "invite:!a:localhost"), 1);
	b2 = parse(left);
	cr_assert_eq(bot_process_batch(&d, b2, NULL, 0), 0);
	cr_assert_eq(ut_event_seen(d.store, "invite:!a:localhost"), 0);
	/* Invited again later: decided again. */
	{
		char again[1024];
		snprintf(again, sizeof again, "%s", invite);
		memcpy(strstr(again, "s3"), "s5", 2);  /* a later sync */
		b3 = parse(again);
	}
	cr_assert_eq(bot_process_batch(&d, b3, NULL, 0), 0);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 2);
	mx_sync_batch_free(b1);
	mx_sync_batch_free(b2);
	mx_sync_batch_free(b3);
}

Test(batch, full_disk_keeps_nothing_and_keeps_the_token)
{
	mx_sync_batch *b = NULL;
	char *t;
	static char json[200000];
	size_t len;
	int i;

	/* Enough events that the batch needs new pages. */
	len = (size_t)snprintf(json, sizeof json, "{\"next_batch\":\"s9\",\"rooms\":{\"join\":{\"!r:localhost\":{\"timeline\":{\"events\":[");
	for (i = 0; i < 500; i++)
		len += (size_t)snprintf(json + len, sizeof json - len, "%s" MSG("$e%04d-padding-padding-padding", "@anna:localhost", "!ping"),
					i ? "," : "", i);
	snprintf(json + len, sizeof json - len, "]}}}}}");
	cr_assert_eq(bot_store_kv_set(d.store, BOT_KV_SYNC_TOKEN, "s1"), BOT_STORE_OK);
	b = parse(json);
	cr_assert_eq(b->n_events, 500);
	cr_assert_eq(bot_store_simulate_full_disk(d.store), BOT_STORE_OK);
	cr_assert_eq(bot_process_batch(&d, b, NULL, 0), -1);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0);
	cr_assert_eq(ut_event_seen(d.store, "$e0000-padding-padding-padding"), 0);
	t = token();
	cr_assert_str_eq(t, "s1", "the sync token must not advance past a batch that was not stored");
	free(t);
	mx_sync_batch_free(b);
}

/* What the rules are asked about: one event of anna's in a plain room,
 * and whether it was decided (translated) and answered. */
#define EV(id, type, content) \
	"{\"event_id\":\"" id "\",\"type\":\"" type "\",\"sender\":\"@anna:localhost\"," \
	"\"origin_server_ts\":1,\"content\":" content "}"

static void check_decided(const char *event, unsigned long decided, int64_t answered)
{
	char json[4096];
	mx_sync_batch *b;
	unsigned long before = d.events_decided;
	int64_t pending = ut_outbox_count(d.store, "pending");

	snprintf(json, sizeof json, ROOM("%s"), event);
	b = parse(json);
	cr_assert_eq(bot_process_batch(&d, b, NULL, 0), 0);
	cr_assert_eq(d.events_decided - before, decided, "decided: %s", event);
	cr_assert_eq(ut_outbox_count(d.store, "pending") - pending, answered, "answered: %s", event);
	mx_sync_batch_free(b);
}

Test(batch, which_events_the_rules_are_asked_about)
{
	check_decided(EV("$t", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"!ping\"}"), 1, 1);
	/* Notices are what bots send; no answer, not even asked. */
	check_decided(EV("$n", "m.room.message", "{\"msgtype\":\"m.notice\",\"body\":\"!ping\"}"), 0, 0);
	/* Photos, files and videos count (as meldingen), never as commands. */
	check_decided(EV("$i", "m.room.message", "{\"msgtype\":\"m.image\",\"body\":\"!ping\"}"), 1, 0);
	check_decided(EV("$f", "m.room.message", "{\"msgtype\":\"m.file\",\"body\":\"!ping\"}"), 1, 0);
	check_decided(EV("$v", "m.room.message", "{\"msgtype\":\"m.video\",\"body\":\"!ping\"}"), 1, 0);
	check_decided(EV("$a", "m.room.message", "{\"msgtype\":\"m.audio\",\"body\":\"!ping\"}"), 0, 0);
	check_decided(EV("$nb", "m.room.message", "{\"msgtype\":\"m.text\"}"), 0, 0);
	check_decided(EV("$nm", "m.room.message", "{\"body\":\"!ping\"}"), 0, 0);
	/* An edit is not a new command. */
	check_decided(EV("$ed", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"!ping\","
			 "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$t\"}}"), 0, 0);
	check_decided(EV("$r1", "m.reaction", "{\"m.relates_to\":{\"rel_type\":\"m.annotation\","
			 "\"event_id\":\"$t\",\"key\":\"x\"}}"), 1, 0);
	check_decided(EV("$r2", "m.reaction", "{\"m.relates_to\":{\"event_id\":\"$t\",\"key\":\"x\"}}"), 0, 0);
	check_decided(EV("$r3", "m.reaction", "{\"m.relates_to\":{\"rel_type\":\"m.annotation\","
			 "\"event_id\":\"$t\"}}"), 0, 0);
	check_decided(EV("$r4", "m.reaction", "{}"), 0, 0);
	check_decided(EV("$s", "m.sticker", "{\"body\":\"!ping\"}"), 0, 0);
	check_decided(JOIN_OF("$j", "@bea:localhost"), 1, 0);
	check_decided("{\"event_id\":\"$m\",\"type\":\"m.room.member\",\"sender\":\"@bea:localhost\","
		      "\"state_key\":\"@bea:localhost\",\"origin_server_ts\":1,\"content\":{}}", 0, 0);
	cr_assert_eq(ut_member_count(d.store, "!r:localhost", "join", d.user_id), 1);
	/* Every one of them is in the ledger, asked about or not. */
	cr_assert_eq(ut_event_seen(d.store, "$n"), 1);
	cr_assert_eq(ut_event_seen(d.store, "$s"), 1);
	cr_assert_eq(ut_event_seen(d.store, "$m"), 1);
}

Test(batch, held_encrypted_events_and_impossible_ids_stay_out_of_the_ledger)
{
	char id[700], event[1200];

	check_decided(EV("$enc", "m.room.encrypted", "{\"algorithm\":\"m.megolm.v1.aes-sha2\"}"), 0, 0);
	cr_assert_eq(ut_event_seen(d.store, "$enc"), 0);
	memset(id, 'x', sizeof id - 1);
	id[0] = '$';
	id[sizeof id - 1] = '\0';
	snprintf(event, sizeof event, "{\"event_id\":\"%s\",\"type\":\"m.room.message\",\"sender\":\"@anna:localhost\","
		 "\"origin_server_ts\":1,\"content\":{\"msgtype\":\"m.text\",\"body\":\"!ping\"}}", id);
	check_decided(event, 0, 0);
	cr_assert_eq(d.events_skipped, 1);
	cr_assert_eq(ut_event_seen(d.store, id), 0);
}

static char *answer_content(const char *event)
{
	bot_outbox_item it;
	char *content;

	check_decided(event, 1, 1);
	cr_assert_eq(bot_store_outbox_next(d.store, 0, &it), BOT_STORE_OK);
	content = strdup(it.content);
	bot_outbox_item_clear(&it);
	return content;
}

Test(batch, a_command_in_a_thread_is_answered_there)
{
	char *c = answer_content(EV("$t", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"!ping\","
				    "\"m.relates_to\":{\"rel_type\":\"m.thread\",\"event_id\":\"$root\","
				    "\"is_falling_back\":true,\"m.in_reply_to\":{\"event_id\":\"$root\"}}}"));

	cr_assert_str_eq(c, "{\"msgtype\":\"m.notice\",\"body\":\"pong: ik ben er.\",\"m.mentions\":{},"
			    "\"m.relates_to\":{\"rel_type\":\"m.thread\",\"event_id\":\"$root\","
			    "\"is_falling_back\":true,\"m.in_reply_to\":{\"event_id\":\"$t\"}}}");
	free(c);
}

Test(batch, a_command_as_a_reply_is_answered_as_a_reply_to_it)
{
	char *c = answer_content(EV("$t", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"!ping\","
				    "\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$x\"}}}"));

	cr_assert_str_eq(c, "{\"msgtype\":\"m.notice\",\"body\":\"pong: ik ben er.\",\"m.mentions\":{},"
			    "\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$t\"}}}");
	free(c);
}

Test(batch, top_level_posts_in_a_wijkgroep_are_noted)
{
	cr_assert_eq(bot_store_room_set(d.store, "wijkgroep:x", "!r:localhost", "10"), BOT_STORE_OK);
	check_decided(EV("$p1", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"hallo\"}"), 1, 0);
	check_decided(EV("$p2", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"ja\","
			 "\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$p1\"}}}"), 1, 0);
	check_decided(EV("$p3", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"hoi\"}"), 1, 0);
	cr_assert_eq(bot_casus_recent_posts(&d, "!r:localhost", "@anna:localhost", 1000000000L), 2);
}

/* A fact the store cannot read (here: the casussen table is gone, as on a
 * damaged disk) must not turn into a decision on "no casus": the batch
 * fails, nothing of it is kept, and the melding is decided again later. */
Test(batch, a_fact_the_store_cannot_read_fails_the_batch)
{
	static char json[1 << 16];
	pol_structure *s = NULL;
	pol_problems p;
	mx_sync_batch *b;
	char *t = NULL;
	FILE *f = fopen("deploy/examples/zoomwijck-fase1.json", "r");
	size_t n;

	cr_assert_not_null(f, "run from the repository root");
	n = fread(json, 1, sizeof json - 1, f);
	fclose(f);
	pol_problems_init(&p);
	cr_assert_eq(pol_structure_parse(&s, json, n, &p), 0);
	pol_problems_free(&p);
	d.structure = s;
	cr_assert_eq(bot_store_room_set(d.store, "wijkgroep:zoomwijck", "!r:localhost", "12"), BOT_STORE_OK);

	/* With the table there, a melding opens casus #1 and is answered. */
	check_decided(EV("$m1", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"Verdachte man bij de garages\"}"),
		      1, 1);
	cr_assert_eq(bot_casus_last_nr(&d), 1);

	cr_assert_eq(bot_store_exec(d.store, "test", "DROP TABLE casus_rooms", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(d.store, "test", "DROP TABLE casussen", 0), BOT_STORE_OK);
	b = parse("{\"next_batch\":\"s9\",\"rooms\":{\"join\":{\"!r:localhost\":{\"timeline\":{\"events\":["
		  EV("$m2", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"Weer een verdachte man\"}")
		  "]}}}}}");
	cr_assert_neq(bot_process_batch(&d, b, NULL, 0), 0, "a decision was made on a failed read");
	mx_sync_batch_free(b);
	cr_assert_eq(ut_event_seen(d.store, "$m2"), 0, "the melding was marked handled");
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1, "something of the failed batch was kept");
	cr_assert_eq(bot_store_kv_get(d.store, BOT_KV_SYNC_TOKEN, &t), BOT_STORE_OK);
	cr_assert_str_neq(t, "s9", "the sync token moved past the failed batch");
	free(t);
	d.structure = NULL;
	pol_structure_free(s);
}
