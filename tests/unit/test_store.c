/* Unit tests of bot/store: migrations, ledger, outbox, kv. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bot/store.h"

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
	cr_assert_eq(bot_store_event_seen(s, "$a"), 0);
	cr_assert_eq(bot_store_event_mark(s, "$a", "!r"), BOT_STORE_OK);
	cr_assert_eq(bot_store_event_mark(s, "$a", "!r"), BOT_STORE_OK);
	cr_assert_eq(bot_store_event_seen(s, "$a"), 1);
	cr_assert_eq(bot_store_event_forget(s, "$a"), BOT_STORE_OK);
	cr_assert_eq(bot_store_event_seen(s, "$a"), 0);
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
	cr_assert_eq(bot_store_outbox_count(s, "pending"), 2);

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
	cr_assert_eq(bot_store_outbox_count(s, "sent"), 1);
	cr_assert_eq(bot_store_outbox_count(s, "failed"), 1);
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
	cr_assert_eq(bot_store_event_seen(s, "$a"), 0);
	cr_assert_eq(bot_store_outbox_count(s, "pending"), 0);
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
	cr_assert_eq(bot_store_event_seen(s, "$event-0-with-a-longer-id-to-fill-pages"), 0);
	bot_store_close(s);
}
