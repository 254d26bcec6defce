/* Unit tests of bot/store: migrations, ledger, outbox, kv, the casus
 * domain, and the error convention (a failed read is an error). */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bot/store.h"
#include "bot/store_int.h"
#include "bot/store_casus.h"
#include "bot/signup_store.h"
#include "bot/stats.h"
#include "unit_store.h"

static char dir[] = "/tmp/buurtbot-store-XXXXXX";
static char path[256];
static char err[1024];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(store, .init = setup, .fini = teardown);

Test(store, new_store_is_private_and_at_latest_version)
{
	bot_store *s = NULL;
	struct stat st;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	cr_assert_eq(bot_store_schema_version(s), bot_store_latest_version());
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 077, 0, "store must not be readable by others");
	bot_store_close(s);
	/* Opening again migrates nothing and keeps the version. */
	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	cr_assert_eq(bot_store_schema_version(s), bot_store_latest_version());
	bot_store_close(s);
}

Test(store, failing_migration_leaves_database_as_it_was)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	bot_store *s = NULL;

	/* A table in the way makes migration 1 fail half-way. */
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE outbox (x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	cr_assert_neq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	cr_assert_null(s);
	cr_assert_not_null(strstr(err, "migration 1"), "%s", err);

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('kv', 'processed_events')",
					-1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), 0, "tables of the failed migration remain");
	sqlite3_finalize(st);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(store, newer_schema_is_refused)
{
	sqlite3 *db = NULL;
	bot_store *s = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_TOO_NEW);
	cr_assert_not_null(strstr(err, "999"));
}

Test(store, kv_roundtrip)
{
	bot_store *s = NULL;
	char *v = NULL;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	cr_assert_eq(bot_store_kv_get(s, "sync_token", &v), BOT_STORE_NOT_FOUND);
	cr_assert_eq(bot_store_kv_set(s, "sync_token", "s1"), BOT_STORE_OK);
	cr_assert_eq(bot_store_kv_set(s, "sync_token", "s2"), BOT_STORE_OK);
	cr_assert_eq(bot_store_kv_get(s, "sync_token", &v), BOT_STORE_OK);
	cr_assert_str_eq(v, "s2");
	free(v);
	cr_assert_eq(bot_store_kv_delete(s, "sync_token"), BOT_STORE_OK);
	cr_assert_eq(bot_store_kv_get(s, "sync_token", &v), BOT_STORE_NOT_FOUND);
	bot_store_close(s);
}

Test(store, ledger_marks_and_forgets)
{
	bot_store *s = NULL;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	cr_assert_eq(ut_event_seen(s, "$a"), 0);
	cr_assert_eq(bot_store_event_mark(s, "$a", "!r"), BOT_STORE_OK);
	cr_assert_eq(bot_store_event_mark(s, "$a", "!r"), BOT_STORE_OK);
	cr_assert_eq(ut_event_seen(s, "$a"), 1);
	cr_assert_eq(bot_store_event_forget(s, "$a"), BOT_STORE_OK);
	cr_assert_eq(ut_event_seen(s, "$a"), 0);
	bot_store_close(s);
}

Test(store, outbox_is_ordered_and_deduplicated_by_txn_id)
{
	bot_store *s = NULL;
	bot_outbox_item it;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "$e1|0", "!r", "m.room.message", "{}"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_JOIN, "invite:!q|0", "!q", NULL, NULL), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "$e1|0", "!r", "m.room.message", "{\"x\":1}"), BOT_STORE_OK);
	cr_assert_eq(ut_outbox_count(s, "pending"), 2);

	cr_assert_eq(bot_store_outbox_next(s, 0, &it), BOT_STORE_OK);
	cr_assert_str_eq(it.txn_id, "$e1|0");
	cr_assert_str_eq(it.content, "{}");
	cr_assert_eq(bot_store_outbox_mark_sent(s, it.id, "$sent"), BOT_STORE_OK);
	bot_outbox_item_clear(&it);

	cr_assert_eq(bot_store_outbox_next(s, 0, &it), BOT_STORE_OK);
	cr_assert_eq(it.kind, BOT_OUT_JOIN);
	cr_assert_eq(bot_store_outbox_mark_failed(s, it.id, "M_FORBIDDEN"), BOT_STORE_OK);
	bot_outbox_item_clear(&it);

	cr_assert_eq(bot_store_outbox_next(s, 0, &it), BOT_STORE_NOT_FOUND);
	cr_assert_eq(ut_outbox_count(s, "sent"), 1);
	cr_assert_eq(ut_outbox_count(s, "failed"), 1);
	bot_store_close(s);
}

Test(store, rollback_discards_everything_of_the_batch)
{
	bot_store *s = NULL;
	char *v = NULL;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	cr_assert_eq(bot_store_begin(s), BOT_STORE_OK);
	cr_assert_eq(bot_store_event_mark(s, "$a", "!r"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "$a|0", "!r", "m.room.message", "{}"), BOT_STORE_OK);
	cr_assert_eq(bot_store_kv_set(s, "sync_token", "s9"), BOT_STORE_OK);
	bot_store_rollback(s);
	cr_assert_eq(ut_event_seen(s, "$a"), 0);
	cr_assert_eq(ut_outbox_count(s, "pending"), 0);
	cr_assert_eq(bot_store_kv_get(s, "sync_token", &v), BOT_STORE_NOT_FOUND);
	bot_store_close(s);
}

Test(store, read_only_store_fails_cleanly)
{
	bot_store *s = NULL;

	if (geteuid() == 0)
		cr_skip_test("root ignores file permissions");
	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	bot_store_close(s);
	chmod(path, 0400);
	cr_assert_neq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
}

Test(store, full_disk_fails_cleanly_and_keeps_earlier_data)
{
	bot_store *s = NULL;
	char key[64];
	int i, rc = BOT_STORE_OK;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	cr_assert_eq(bot_store_kv_set(s, "sync_token", "s1"), BOT_STORE_OK);
	cr_assert_eq(bot_store_simulate_full_disk(s), BOT_STORE_OK);
	cr_assert_eq(bot_store_begin(s), BOT_STORE_OK);
	for (i = 0; i < 10000 && rc == BOT_STORE_OK; i++) {
		snprintf(key, sizeof key, "$event-%d-with-a-longer-id-to-fill-pages", i);
		rc = bot_store_event_mark(s, key, "!room:localhost");
	}
	cr_assert_eq(rc, BOT_STORE_ERR, "a full store must refuse writes");
	cr_assert_not_null(strstr(bot_store_errmsg(s), "full"), "%s", bot_store_errmsg(s));
	bot_store_rollback(s);
	cr_assert_eq(ut_event_seen(s, "$event-0-with-a-longer-id-to-fill-pages"), 0);
	bot_store_close(s);
}

/* ---- issue 11: bounded holding of undecryptable events, send order ---- */

static int n_dropped;
static char first_dropped[64];

static void on_drop(void *ctx, const char *event_id, const char *room_id, const char *sender)
{
	(void)ctx;
	(void)room_id;
	(void)sender;
	if (n_dropped++ == 0)
		snprintf(first_dropped, sizeof first_dropped, "%s", event_id);
}

static int held_has(bot_store *s, const char *event_id)
{
	char *v = NULL;
	int found;

	cr_assert_eq(bot_store_select_text(s, &v, "test", "SELECT count(*) FROM held_events WHERE event_id = ?", 1,
					   event_id), BOT_STORE_OK);
	found = v && strcmp(v, "1") == 0;
	free(v);
	return found;
}

Test(store, held_events_are_bounded_per_sender_and_per_room_oldest_first)
{
	bot_store *s = NULL;
	char id[64];
	int i;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	/* One account: 12 events into one room, at most 5 per sender. */
	n_dropped = 0;
	for (i = 0; i < 12; i++) {
		snprintf(id, sizeof id, "$spam%02d", i);
		cr_assert_eq(bot_store_held_add(s, id, "!dm:x", "@spammer:x", "{\"type\":\"m.room.encrypted\"}"),
			     BOT_STORE_OK);
		cr_assert_eq(bot_store_held_trim(s, "!dm:x", "@spammer:x", 5, 8, on_drop, NULL), BOT_STORE_OK);
	}
	cr_assert_eq(ut_held_count(s, "@spammer:x"), 5);
	cr_assert_eq(n_dropped, 7);
	cr_assert_str_eq(first_dropped, "$spam00", "the oldest goes first");
	for (i = 0; i < 7; i++) {
		snprintf(id, sizeof id, "$spam%02d", i);
		cr_assert_not(held_has(s, id), "%s (old) is still held", id);
	}
	for (i = 7; i < 12; i++) {
		snprintf(id, sizeof id, "$spam%02d", i);
		cr_assert(held_has(s, id), "%s (new) was dropped", id);
	}
	/* Others in a room: at most 8 per room, whoever sent them; another
	 * room and the spammer's events elsewhere are untouched. */
	cr_assert_eq(bot_store_held_add(s, "$other-room", "!elders:x", "@a:x", "{}"), BOT_STORE_OK);
	for (i = 0; i < 6; i++) {
		char who[32];

		snprintf(id, sizeof id, "$room%02d", i);
		snprintf(who, sizeof who, "@user%d:x", i);
		cr_assert_eq(bot_store_held_add(s, id, "!dm:x", who, "{}"), BOT_STORE_OK);
		cr_assert_eq(bot_store_held_trim(s, "!dm:x", who, 5, 8, on_drop, NULL), BOT_STORE_OK);
	}
	cr_assert_eq(ut_held_count(s, NULL), 9, "8 in the room and 1 elsewhere");
	cr_assert(held_has(s, "$other-room"));
	cr_assert_not(held_has(s, "$spam07"), "the room's oldest went");
	cr_assert_not(held_has(s, "$spam09"));
	cr_assert(held_has(s, "$spam10"));
	cr_assert(held_has(s, "$room05"));
	cr_assert_eq(n_dropped, 10);
	/* 0 is no limit. */
	cr_assert_eq(bot_store_held_trim(s, "!dm:x", "@spammer:x", 0, 0, on_drop, NULL), BOT_STORE_OK);
	cr_assert_eq(ut_held_count(s, NULL), 9);
	bot_store_close(s);
}

static void add_prio(bot_store *s, bot_outbox_prio prio, bot_outbox_kind kind, const char *txn, const char *room,
		     const char *thread)
{
	char content[300];

	if (thread)
		snprintf(content, sizeof content, "{\"msgtype\":\"m.notice\",\"body\":\"%s\",\"m.relates_to\":"
			 "{\"rel_type\":\"m.thread\",\"event_id\":\"%s\"}}", txn, thread);
	else
		snprintf(content, sizeof content, "{\"msgtype\":\"m.notice\",\"body\":\"%s\"}", txn);
	bot_store_outbox_priority(s, prio);
	cr_assert_eq(bot_store_outbox_add(s, kind, txn, room, kind == BOT_OUT_SEND ? "m.room.message" : NULL,
					  kind == BOT_OUT_SEND ? content : NULL), BOT_STORE_OK);
	bot_store_outbox_priority(s, BOT_PRIO_NORMAL);
}

/* The txn ids in the order bot_outbox_flush would send them, each sent. */
static void send_order(bot_store *s, char *buf, size_t size)
{
	bot_outbox_item it;

	buf[0] = '\0';
	while (bot_store_outbox_next_ready(s, -1, 0, &it) == BOT_STORE_OK) {
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? " " : "", it.txn_id);
		cr_assert_eq(bot_store_outbox_mark_sent(s, it.id, "$x"), BOT_STORE_OK);
		bot_outbox_item_clear(&it);
	}
}

Test(store, outbox_sends_by_priority_keeping_the_order_that_matters_per_room)
{
	bot_store *s = NULL;
	bot_outbox_item it;
	char order[400];

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	/* A flood's work, then a !ping in the stuurgroep room. */
	add_prio(s, BOT_PRIO_NORMAL, BOT_OUT_SEND, "saar1", "!wijk", "$m1");
	add_prio(s, BOT_PRIO_NORMAL, BOT_OUT_SEND, "saar2", "!wijk", "$m2");
	add_prio(s, BOT_PRIO_LOW, BOT_OUT_SEND, "floodnotice", "!stuur", NULL);
	add_prio(s, BOT_PRIO_NORMAL, BOT_OUT_SEND, "private", "!dm", NULL);
	add_prio(s, BOT_PRIO_HIGH, BOT_OUT_SEND, "pong", "!stuur", NULL);
	/* An approval in melding 1's thread waits for its SAAR answer, but
	 * not for melding 2's; its copy goes first. */
	add_prio(s, BOT_PRIO_HIGH, BOT_OUT_SEND, "confirm1", "!wijk", "$m1");
	add_prio(s, BOT_PRIO_HIGH, BOT_OUT_SEND, "copy1", "!regie", NULL);
	send_order(s, order, sizeof order);
	cr_assert_str_eq(order, "pong copy1 saar1 confirm1 saar2 private floodnotice");

	/* A direct chat's talk keeps its order; a join stays before everything
	 * in its room; other rooms pass. */
	add_prio(s, BOT_PRIO_NORMAL, BOT_OUT_SEND, "question2", "!dm", NULL);
	add_prio(s, BOT_PRIO_HIGH, BOT_OUT_SEND, "stopped", "!dm", NULL);
	add_prio(s, BOT_PRIO_NORMAL, BOT_OUT_JOIN, "join", "!new", NULL);
	add_prio(s, BOT_PRIO_HIGH, BOT_OUT_SEND, "hello", "!new", NULL);
	add_prio(s, BOT_PRIO_HIGH, BOT_OUT_SEND, "elsewhere", "!other", NULL);
	send_order(s, order, sizeof order);
	cr_assert_str_eq(order, "elsewhere question2 stopped join hello");

	/* An item waiting (skipped, still pending) holds up what must follow
	 * it; the cursor passes it. */
	add_prio(s, BOT_PRIO_NORMAL, BOT_OUT_JOIN, "join2", "!late", NULL);
	add_prio(s, BOT_PRIO_HIGH, BOT_OUT_SEND, "hello2", "!late", NULL);
	cr_assert_eq(bot_store_outbox_next_ready(s, -1, 0, &it), BOT_STORE_OK);
	cr_assert_str_eq(it.txn_id, "join2", "the message would go before the join");
	{
		int prio = (int)it.prio;
		int64_t id = it.id;

		bot_outbox_item_clear(&it);
		cr_assert_eq(bot_store_outbox_next_ready(s, prio, id, &it), BOT_STORE_NOT_FOUND,
			     "with the join waiting, its room's message went");
	}
	bot_store_close(s);
}

/* The txn ids the pump would put on the wire in one pass, none of them
 * answered yet (all still pending). */
static void one_pass(bot_store *s, char *buf, size_t size)
{
	bot_outbox_item it;
	int prio = -1;
	int64_t id = 0;

	buf[0] = '\0';
	while (bot_store_outbox_next_ready(s, prio, id, &it) == BOT_STORE_OK) {
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? " " : "", it.txn_id);
		prio = (int)it.prio;
		id = it.id;
		bot_outbox_item_clear(&it);
	}
}

Test(store, copies_of_different_casussen_go_side_by_side_and_one_casus_keeps_its_order)
{
	bot_store *s = NULL;
	char order[400];
	const char *copy = "{\"msgtype\":\"m.text\",\"body\":\"copy\"}";

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK);
	bot_store_outbox_priority(s, BOT_PRIO_HIGH);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "notice1", "!regie", "m.room.message", copy), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add_in_lane(s, BOT_OUT_SEND, "fwd:c1a", "!regie", "m.room.message", copy,
						  "casus:1"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add_in_lane(s, BOT_OUT_SEND, "fwd:c2", "!regie", "m.room.message", copy,
						  "casus:2"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add_in_lane(s, BOT_OUT_SEND, "fwd:c1b", "!regie", "m.room.message", copy,
						  "casus:1"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add_in_lane(s, BOT_OUT_SEND, "fwd:c3", "!regie", "m.room.message", copy,
						  "casus:3"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "notice2", "!regie", "m.room.message", copy), BOT_STORE_OK);
	/* A casus closed while its copy is still on its way: the closing
	 * notice at the top level waits for the copy. */
	cr_assert_eq(bot_store_outbox_add_in_lane(s, BOT_OUT_SEND, "fwd:c4", "!regie2", "m.room.message", copy,
						  "casus:4"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "afloop4", "!regie2", "m.room.message", copy), BOT_STORE_OK);
	bot_store_outbox_priority(s, BOT_PRIO_NORMAL);
	/* With nothing answered: every casus's first copy and the first
	 * top-level notice; casus 1's second copy, the second notice and the
	 * closing notice behind casus 4's copy wait. */
	one_pass(s, order, sizeof order);
	cr_assert_str_eq(order, "notice1 fwd:c1a fwd:c2 fwd:c3 fwd:c4");
	/* A message in a thread keeps the thread's lane whatever is given. */
	cr_assert_eq(bot_store_outbox_add_in_lane(s, BOT_OUT_SEND, "t2", "!wijk", "m.room.message",
						  "{\"body\":\"b\",\"m.relates_to\":{\"rel_type\":\"m.thread\","
						  "\"event_id\":\"$root\"}}", "casus:9"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "t1", "!wijk", "m.room.message",
					  "{\"body\":\"a\",\"m.relates_to\":{\"rel_type\":\"m.thread\","
					  "\"event_id\":\"$root\"}}"), BOT_STORE_OK);
	send_order(s, order, sizeof order);
	cr_assert_str_eq(order, "notice1 fwd:c1a fwd:c2 fwd:c1b fwd:c3 notice2 fwd:c4 afloop4 t2 t1");
	bot_store_close(s);
}

/* ---- the casus domain (store_casus.h) and the error convention ---- */


Test(store, casus_domain_keeps_a_casus_its_rooms_copies_and_housekeeping_state)
{
	bot_store *s = NULL;
	bot_casus_room *rooms = NULL;
	bot_casus_copy *copies = NULL;
	bot_casus_open *open = NULL;
	bot_casus_msg m;
	pol_casus c;
	long long nr = -1;
	int64_t n = -1;
	size_t k = 0;
	int yes = -1;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	bot_store_set_now(s, 1000000LL * 1000);
	cr_assert_eq(bot_store_casus_last_nr(s, &nr), BOT_STORE_OK);
	cr_assert_eq(nr, 0, "no casus yet");
	cr_assert_eq(bot_store_casus_get(s, 1, "!n:x", &c), BOT_STORE_NOT_FOUND);
	cr_assert_eq(bot_store_casus_open(s, 1, "!n:x", "$m1", "@anna:x"), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_msg_keep(s, "!n:x", "$m1", 1, "@anna:x", "{\"body\":\"hoi\"}"), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_get(s, 1, "!n:x", &c), BOT_STORE_OK);
	cr_assert_str_eq(c.status, "open");
	cr_assert_str_eq(c.casushouder, "@anna:x");
	cr_assert_eq(bot_store_casus_open_in(s, "!n:x", &nr), BOT_STORE_OK);
	cr_assert_eq(nr, 1);
	cr_assert_eq(bot_store_casus_is_houder(s, "!n:x", "@anna:x", &yes), BOT_STORE_OK);
	cr_assert_eq(yes, 1);
	cr_assert_eq(bot_store_casus_msg_get(s, "!n:x", "$m1", &m), BOT_STORE_OK);
	cr_assert_eq(m.nr, 1);
	cr_assert_str_eq(m.sender, "@anna:x");
	bot_casus_msg_clear(&m);
	cr_assert_eq(bot_store_casus_msg_get(s, "!n:x", "$other", &m), BOT_STORE_NOT_FOUND);
	cr_assert_null(m.sender);

	/* a copy into !r, seen back */
	cr_assert_eq(bot_store_casus_copy_add(s, "$m1", "!r:x", 1, "fwd:$m1:!r:x", "@sg:x", NULL), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_copy_count(s, "$m1", "!r:x", &n), BOT_STORE_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(bot_store_casus_copy_seen(s, 1, "!r:x", "$copy", "$m1"), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_of_root(s, "!r:x", "$copy", &nr), BOT_STORE_OK);
	cr_assert_eq(nr, 1);
	cr_assert_eq(bot_store_casus_copies_of(s, "$m1", 10, &copies, &k), BOT_STORE_OK);
	cr_assert_eq(k, 1);
	cr_assert_str_eq(copies[0].target_event, "$copy");
	bot_casus_copies_free(copies, k);
	cr_assert_eq(bot_store_casus_rooms(s, 1, BOT_CASUS_ROOMS_ALL, &rooms, &k), BOT_STORE_OK);
	cr_assert_eq(k, 2, "its own room and the copy's");
	cr_assert_str_eq(rooms[1].room_id, "!r:x");
	cr_assert_str_eq(rooms[1].root_event, "$copy");
	bot_casus_rooms_free(rooms, k);

	/* housekeeping: open, then reminded, then expired */
	cr_assert_eq(bot_store_casus_open_list(s, 10, &open, &k), BOT_STORE_OK);
	cr_assert_eq(k, 1);
	cr_assert_eq(open[0].nr, 1);
	cr_assert_eq(open[0].opened, 1000000);
	cr_assert_eq(open[0].reminded, 0);
	cr_assert_str_eq(open[0].origin_event, "$m1");
	bot_casus_open_free(open, k);
	cr_assert_eq(bot_store_casus_reminded(s, 1), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_open_list(s, 10, &open, &k), BOT_STORE_OK);
	cr_assert_eq(open[0].reminded, 1);
	bot_casus_open_free(open, k);
	cr_assert_eq(bot_store_casus_expire(s, 1), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_open_list(s, 10, &open, &k), BOT_STORE_OK);
	cr_assert_eq(k, 0, "an expired casus is not open");
	bot_casus_open_free(open, k);
	cr_assert_eq(bot_store_casus_get(s, 1, "", &c), BOT_STORE_OK);
	cr_assert_str_eq(c.status, "expired");
	bot_store_close(s);
}

/* A read that fails is an error with nothing in its outputs, and the
 * store counts it: never a 0 or "not there" that a caller could act on. */
Test(store, a_failed_read_is_an_error_never_a_zero)
{
	bot_store *s = NULL;
	bot_casus_open *open = (bot_casus_open *)1;
	long long nr = -1;
	int64_t n = -1;
	size_t k = 99;
	int yes = -1;
	unsigned long failures;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE casussen RENAME TO gone_casussen", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE forwards RENAME TO gone_forwards", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE outbox RENAME TO gone_outbox", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE processed_events RENAME TO gone_events", 0), BOT_STORE_OK);
	failures = bot_store_failures(s);
	cr_assert_eq(bot_store_casus_last_nr(s, &nr), BOT_STORE_ERR);
	cr_assert_eq(nr, 0);
	cr_assert_eq(bot_store_casus_copy_count(s, "$m", "!r:x", &n), BOT_STORE_ERR);
	cr_assert_eq(n, 0);
	cr_assert_eq(bot_store_casus_is_houder(s, "!r:x", "@a:x", &yes), BOT_STORE_OK, "casus_rooms is still there");
	cr_assert_eq(bot_store_casus_open_list(s, 10, &open, &k), BOT_STORE_ERR);
	cr_assert_null(open);
	cr_assert_eq(k, 0);
	n = -1;
	cr_assert_eq(bot_store_outbox_count(s, "pending", &n), BOT_STORE_ERR);
	cr_assert_eq(n, 0);
	yes = -1;
	cr_assert_eq(bot_store_event_seen(s, "$e", &yes), BOT_STORE_ERR);
	cr_assert_eq(yes, 0);
	cr_assert_eq(bot_store_failures(s), failures + 5, "every failed read is counted");
	cr_assert_not_null(strstr(bot_store_errmsg(s), "no such table"), "%s", bot_store_errmsg(s));
	bot_store_close(s);
}

Test(store, floods_are_counted_reported_and_forgotten)
{
	bot_store *s = NULL;
	bot_flood_due *due = NULL;
	pol_flood f;
	size_t n = 0;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	cr_assert_eq(bot_store_flood_get(s, "!n:x", "@a:x", 1000, 600, &f), BOT_STORE_NOT_FOUND);
	cr_assert_eq(bot_store_flood_count(s, "!n:x", "@a:x", 1000, 600, 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_flood_count(s, "!n:x", "@a:x", 1100, 600, 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_flood_get(s, "!n:x", "@a:x", 1200, 600, &f), BOT_STORE_OK);
	cr_assert_eq(f.held, 2);
	cr_assert_eq(f.unreported, 2);
	cr_assert_eq(f.since_report_s, 200);
	cr_assert_eq(bot_store_flood_get(s, "!n:x", "@a:x", 1700, 600, &f), BOT_STORE_NOT_FOUND, "over after the window");
	cr_assert_eq(bot_store_floods_due(s, 1800, 64, &due, &n), BOT_STORE_OK);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(due[0].user_id, "@a:x");
	cr_assert_eq(due[0].f.unreported, 2);
	bot_floods_due_free(due, n);
	cr_assert_eq(bot_store_floods_forget(s, 2000), BOT_STORE_OK);
	cr_assert_eq(bot_store_floods_due(s, 1800, 64, &due, &n), BOT_STORE_OK);
	cr_assert_eq(n, 1, "an unreported flood is kept");
	bot_floods_due_free(due, n);
	cr_assert_eq(bot_store_flood_reported(s, "!n:x", "@a:x", 1800), BOT_STORE_OK);
	cr_assert_eq(bot_store_floods_due(s, 1800, 64, &due, &n), BOT_STORE_OK);
	cr_assert_eq(n, 0);
	bot_floods_due_free(due, n);
	cr_assert_eq(bot_store_floods_forget(s, 2000), BOT_STORE_OK);
	cr_assert_eq(bot_store_flood_get(s, "!n:x", "@a:x", 1200, 600, &f), BOT_STORE_NOT_FOUND, "forgotten");
	bot_store_close(s);
}

/* The reads and writes the flow files used to hold as SQL (issue 12):
 * the charts queue, the metrics' counts, the applications list, the
 * rejected ones due, and web applications' state and token. */
Test(store, flow_reads_are_named_store_functions)
{
	bot_store *s = NULL;
	bot_stats_charts charts;
	bot_application *apps = NULL;
	bot_app_ref *refs = NULL;
	int64_t allowed = -1, refused = -1, last = -1, n = -1, nr1 = 0, nr2 = 0;
	long long open = -1;
	size_t k = 0;
	char *v = NULL;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	bot_store_set_now(s, 1000000LL * 1000);
	/* charts: once per txn, oldest first, gone when done */
	cr_assert_eq(bot_stats_chart_add(s, "c1", "!r:x", NULL, "gemeente", 10, 20), BOT_STORE_OK);
	cr_assert_eq(bot_stats_chart_add(s, "c1", "!other:x", NULL, "gemeente", 10, 20), BOT_STORE_OK);
	cr_assert_eq(bot_stats_chart_add(s, "c2", "!r:x", "$ev", "wijk:dorp", 30, 40), BOT_STORE_OK);
	cr_assert_eq(bot_stats_charts_next(s, &charts), BOT_STORE_OK);
	cr_assert_eq(charts.n, 2);
	cr_assert_str_eq(charts.j[0].txn, "c1");
	cr_assert_str_eq(charts.j[0].room, "!r:x");
	cr_assert_null(charts.j[0].reply);
	cr_assert_str_eq(charts.j[1].reply, "$ev");
	cr_assert_str_eq(charts.j[1].scope, "wijk:dorp");
	cr_assert_eq(charts.j[1].from, 30);
	cr_assert_eq(charts.j[1].to, 40);
	cr_assert_eq(charts.j[1].at, 1000000);
	bot_stats_charts_clear(&charts);
	cr_assert_eq(bot_stats_chart_remove(s, "c1"), BOT_STORE_OK);
	cr_assert_eq(bot_stats_charts_next(s, &charts), BOT_STORE_OK);
	cr_assert_eq(charts.n, 1);
	bot_stats_charts_clear(&charts);
	/* metrics: counted from where the last count stopped */
	cr_assert_eq(bot_store_audit_add(s, "@a:x", "!r:x", "hulp", 1, "ok"), BOT_STORE_OK);
	cr_assert_eq(bot_store_audit_add(s, "@a:x", "!r:x", "sluit", 0, "no"), BOT_STORE_OK);
	cr_assert_eq(bot_store_audit_add(s, "@b:x", "!r:x", "hulp", 1, "ok"), BOT_STORE_OK);
	cr_assert_eq(bot_store_audit_count_since(s, 0, &allowed, &refused, &last), BOT_STORE_OK);
	cr_assert_eq(allowed, 2);
	cr_assert_eq(refused, 1);
	cr_assert_eq(last, 3);
	cr_assert_eq(bot_store_audit_count_since(s, 3, &allowed, &refused, &last), BOT_STORE_OK);
	cr_assert_eq(allowed + refused, 0);
	cr_assert_eq(last, 3, "nothing new: where it stopped");
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "fwd:1", "!t:x", "m.room.message", "{}"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "notice:1", "!t:x", "m.room.message", "{}"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "fwd:2", "!t:x", "m.room.message", "{}"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_forwards_since(s, 0, &n, &last), BOT_STORE_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(last, 3);
	cr_assert_eq(bot_store_outbox_forwards_since(s, 3, &n, &last), BOT_STORE_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(last, 3);
	cr_assert_eq(bot_store_casus_open(s, 1, "!r:x", "$m1", NULL), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_open(s, 2, "!r:x", "$m2", NULL), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_close(s, 2, "opgelost", NULL), BOT_STORE_OK);
	cr_assert_eq(bot_store_casus_count_open(s, &open), BOT_STORE_OK);
	cr_assert_eq(open, 1);
	/* applications: the pending ones of a wijkgroep, capped; who decided */
	cr_assert_eq(bot_app_add(s, "@u1:x", "!d1:x", "wijkgroep:noord", "{}", &nr1), BOT_STORE_OK);
	cr_assert_eq(bot_app_add(s, "@u2:x", "!d2:x", "wijkgroep:noord", "{}", &nr2), BOT_STORE_OK);
	cr_assert_eq(bot_app_add(s, "@u3:x", "!d3:x", "wijkgroep:zuid", "{}", &nr2), BOT_STORE_OK);
	cr_assert_eq(bot_app_list_pending(s, "wijkgroep:noord", 30, &apps, &k), BOT_STORE_OK);
	cr_assert_eq(k, 2);
	cr_assert_str_eq(apps[0].user, "@u1:x");
	cr_assert_str_eq(apps[1].state, "open");
	bot_app_list_free(apps, k);
	cr_assert_eq(bot_app_list_pending(s, "wijkgroep:noord", 1, &apps, &k), BOT_STORE_OK);
	cr_assert_eq(k, 1, "at most max");
	bot_app_list_free(apps, k);
	cr_assert_eq(bot_app_decided_by(s, nr1, &v), BOT_STORE_NOT_FOUND, "not decided yet");
	cr_assert_null(v);
	cr_assert_eq(bot_app_decide(s, nr1, "rejected", "@sg:x"), BOT_STORE_OK);
	cr_assert_eq(bot_app_decided_by(s, nr1, &v), BOT_STORE_OK);
	cr_assert_str_eq(v, "@sg:x");
	free(v);
	v = NULL;
	cr_assert_eq(bot_app_decided_by(s, 999, &v), BOT_STORE_NOT_FOUND);
	/* rejected: only after the retention time, only who has nothing open */
	cr_assert_eq(bot_app_rejected_due(s, 3600, &refs, &k), BOT_STORE_OK);
	cr_assert_eq(k, 0, "too recent");
	bot_app_refs_free(refs, k);
	bot_store_set_now(s, (1000000LL + 7200) * 1000);
	cr_assert_eq(bot_app_rejected_due(s, 3600, &refs, &k), BOT_STORE_OK);
	cr_assert_eq(k, 1);
	cr_assert_str_eq(refs[0].user, "@u1:x");
	cr_assert_eq(refs[0].nr, nr1);
	bot_app_refs_free(refs, k);
	cr_assert_eq(bot_app_add(s, "@u1:x", "!d1:x", "wijkgroep:noord", "{}", &nr2), BOT_STORE_OK);
	cr_assert_eq(bot_app_rejected_due(s, 3600, &refs, &k), BOT_STORE_OK);
	cr_assert_eq(k, 0, "applied again");
	bot_app_refs_free(refs, k);
	/* web applications: state and token */
	cr_assert_eq(bot_webapp_state(s, 7, &v), BOT_STORE_NOT_FOUND);
	cr_assert_eq(bot_webapp_add(s, 7, nr2), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_state(s, 7, &v), BOT_STORE_OK);
	cr_assert_str_eq(v, "open");
	free(v);
	v = NULL;
	cr_assert_eq(bot_webapp_token(s, 7, &v), BOT_STORE_NOT_FOUND, "no token yet");
	cr_assert_null(v);
	cr_assert_eq(bot_webapp_admit(s, 7, "ABCD", 2000000), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_set_token(s, 7, "tok"), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_token(s, 7, &v), BOT_STORE_OK);
	cr_assert_str_eq(v, "tok");
	free(v);
	bot_store_close(s);
}

/* The same reads with their tables gone: an error, outputs neutral. */
Test(store, flow_reads_that_fail_are_errors)
{
	bot_store *s = NULL;
	bot_stats_charts charts;
	bot_application *apps = (bot_application *)1;
	bot_app_ref *refs = (bot_app_ref *)1;
	int64_t allowed = -1, refused = -1, last = -1, n = -1;
	long long open = -1;
	size_t k = 99;
	char *v = (char *)1;
	unsigned long failures;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	cr_assert_eq(bot_stats_chart_add(s, "c1", "!r:x", NULL, "gemeente", 10, 20), BOT_STORE_OK);
	cr_assert_eq(bot_store_audit_add(s, "@a:x", "!r:x", "hulp", 1, "ok"), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "DROP TABLE stats_charts", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE audit_log RENAME TO gone_audit", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE outbox RENAME TO gone_outbox", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE casussen RENAME TO gone_casussen", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE web_applications RENAME TO gone_web", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE applications RENAME TO gone_apps", 0), BOT_STORE_OK);
	failures = bot_store_failures(s);
	cr_assert_eq(bot_stats_charts_next(s, &charts), BOT_STORE_ERR);
	cr_assert_eq(charts.n, 0);
	cr_assert_eq(bot_store_audit_count_since(s, 0, &allowed, &refused, &last), BOT_STORE_ERR);
	cr_assert_eq(allowed + refused + last, 0);
	cr_assert_eq(bot_store_outbox_forwards_since(s, 5, &n, &last), BOT_STORE_ERR);
	cr_assert_eq(n + last, 0);
	cr_assert_eq(bot_store_casus_count_open(s, &open), BOT_STORE_ERR);
	cr_assert_eq(open, 0);
	cr_assert_eq(bot_app_list_pending(s, "wijkgroep:noord", 30, &apps, &k), BOT_STORE_ERR);
	cr_assert_null(apps);
	cr_assert_eq(k, 0);
	k = 99;
	cr_assert_eq(bot_app_rejected_due(s, 0, &refs, &k), BOT_STORE_ERR);
	cr_assert_null(refs);
	cr_assert_eq(k, 0);
	cr_assert_eq(bot_app_decided_by(s, 1, &v), BOT_STORE_ERR);
	cr_assert_null(v);
	v = (char *)1;
	cr_assert_eq(bot_webapp_state(s, 1, &v), BOT_STORE_ERR);
	cr_assert_null(v);
	v = (char *)1;
	cr_assert_eq(bot_webapp_token(s, 1, &v), BOT_STORE_ERR);
	cr_assert_null(v);
	cr_assert_eq(bot_store_failures(s), failures + 9, "every failed read is counted");
	bot_store_close(s);
}

/* The health snapshot: each fact read over its window, and a store that
 * cannot be read fails it rather than reading as "all is well". */
Test(store, health_facts_are_read_and_a_failed_read_fails)
{
	static const pol_wijkgroep noord = { .id = "noord", .naam = "Noord" };
	static const pol_wijkgroep zuid = { .id = "zuid", .naam = "Zuid" };
	static const pol_wijkgroep *const beheert[] = { &noord, &zuid };
	static const char *const versions[] = { "v2", "v2" };
	pol_stuurgroep sg = { .id = "sg", .naam = "SG", .telefoonbeheerder = "@tb:x", .beheert = beheert,
			      .n_beheert = 2 };
	pol_health_wijkgroep wgs[2];
	bot_store *s = NULL;
	int64_t nr = 0;
	long long seen = -1;
	int joined = -1;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	bot_store_set_now(s, 1000000LL * 1000);
	cr_assert_eq(bot_store_room_set(s, "stuurgroep:sg", "!sg:x", NULL), BOT_STORE_OK);
	cr_assert_eq(bot_store_room_set(s, "wijkgroep:noord", "!noord:x", NULL), BOT_STORE_OK);
	cr_assert_eq(bot_store_member_set(s, "!sg:x", "@tb:x", "join"), BOT_STORE_OK);
	cr_assert_eq(bot_app_add(s, "@u1:x", "!d1:x", "wijkgroep:noord", "{}", &nr), BOT_STORE_OK);
	cr_assert_eq(bot_reg_wait_add(s, "wijkgroep:noord", "@w1:x", "knock", NULL), BOT_STORE_OK);
	cr_assert_eq(bot_reg_wait_add(s, "wijkgroep:noord", "@w2:x", "knock", NULL), BOT_STORE_OK);
	cr_assert_eq(bot_reg_resident_set(s, "@r1:x", "wijkgroep:noord", NULL, "@sg:x"), BOT_STORE_OK);
	cr_assert_eq(bot_resident_set_data(s, "@r1:x", "{}", "v1"), BOT_STORE_OK);
	cr_assert_eq(bot_reg_resident_set(s, "@r2:x", "wijkgroep:noord", NULL, "@sg:x"), BOT_STORE_OK);
	cr_assert_eq(bot_resident_set_data(s, "@r2:x", "{}", "v2"), BOT_STORE_OK);
	bot_store_set_now(s, (1000000LL + 500) * 1000);
	cr_assert_eq(bot_store_audit_add(s, "@tb:x", "!sg:x", "hulp", 1, "ok"), BOT_STORE_OK);
	bot_store_set_now(s, (1000000LL + 3600) * 1000);

	cr_assert_eq(bot_stats_health(s, &sg, versions, 3600, wgs, &joined, &seen), BOT_STORE_OK, "%s",
		     bot_store_errmsg(s));
	cr_assert_eq(joined, 1);
	cr_assert_eq(seen, 1000500, "the last command");
	cr_assert_eq(wgs[0].apps_waiting, 1, "an hour old: waiting");
	cr_assert_eq(wgs[0].waiting, 2);
	cr_assert_eq(wgs[0].unaccepted, 1, "only who accepted older spelregels");
	cr_assert_gt(wgs[0].last_activity, 0, "its room was made");
	cr_assert_eq(wgs[1].apps_waiting + wgs[1].waiting + wgs[1].unaccepted + wgs[1].expired, 0);
	cr_assert_eq(bot_stats_health(s, &sg, versions, 7200, wgs, &joined, &seen), BOT_STORE_OK);
	cr_assert_eq(wgs[0].apps_waiting, 0, "not yet two hours old");

	cr_assert_eq(bot_store_exec(s, "test", "ALTER TABLE waitlist RENAME TO gone_waitlist", 0), BOT_STORE_OK);
	cr_assert_eq(bot_stats_health(s, &sg, versions, 3600, wgs, &joined, &seen), BOT_STORE_ERR);
	cr_assert_eq(joined, 0);
	cr_assert_eq(seen, 0);
	cr_assert_eq(wgs[0].apps_waiting + wgs[0].unaccepted + wgs[0].last_activity, 0, "nothing to read as an answer");
	bot_store_close(s);
}

/* Housekeeping's snapshot: many reminded casussen, the longest open, must
 * not crowd out a newer one that is due its reminder. */
Test(store, the_housekeeping_list_keeps_a_casus_due_its_reminder_behind_reminded_ones)
{
	bot_store *s = NULL;
	bot_casus_open *open = NULL;
	char ev[32];
	size_t k = 0, i;
	long long nr;

	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	for (nr = 1; nr <= 4; nr++) {
		bot_store_set_now(s, (1000000LL + nr) * 1000);
		snprintf(ev, sizeof ev, "$m%lld", nr);
		cr_assert_eq(bot_store_casus_open(s, nr, "!n:x", ev, NULL), BOT_STORE_OK);
		if (nr <= 3)
			cr_assert_eq(bot_store_casus_reminded(s, nr), BOT_STORE_OK);
	}
	cr_assert_eq(bot_store_casus_open_list(s, 2, &open, &k), BOT_STORE_OK);
	for (i = 0; i < k && open[i].nr != 4; i++)
		;
	cr_assert_lt(i, k, "casus 4, due its reminder, was left out behind reminded ones");
	cr_assert_eq(open[0].nr, 1, "the longest open comes too (the next to expire)");
	cr_assert_leq(k, 4);
	bot_casus_open_free(open, k);
	bot_store_close(s);
}
