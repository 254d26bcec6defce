/* Unit tests of the operator's tools (issue 14): the health verdict, the
 * store backup, and an upgrade from the previous release's store. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "bot/backup.h"
#include "bot/health.h"
#include "bot/metrics.h"
#include "bot/store.h"
#include "bot/store_int.h"
#include "unit_store.h"

/* The previous release (commit eaa0d87, the base of issue 14): its store,
 * made by that commit's own code, dumped as SQL in
 * tests/fixtures/store/eaa0d87.sql (found under $BUURTBOT_FIXTURES or
 * tests/fixtures), schema version 16. */
#define PREVIOUS_RELEASE "eaa0d87"
#define PREVIOUS_RELEASE_VERSION 16

static char dir[] = "/tmp/buurtbot-ops-XXXXXX";
static char err[1024];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(ops, .init = setup, .fini = teardown);

static void write_health(const char *text)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, BOT_HEALTH_FILE);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(ops, health_without_a_recorded_sync_is_not_healthy)
{
	char why[512];

	cr_assert_eq(bot_health_judge(dir, 1000000, 300, why, sizeof why), 1);
	cr_assert_not_null(strstr(why, "no successful sync recorded yet"), "%s", why);
}

Test(ops, health_is_judged_by_the_age_of_the_last_sync)
{
	char why[512];

	write_health("1000000 42\n");
	cr_assert_eq(bot_health_judge(dir, 1000000 + 300, 300, why, sizeof why), 0, "%s", why);
	cr_assert_eq(bot_health_judge(dir, 1000000 + 301, 300, why, sizeof why), 1);
	cr_assert_not_null(strstr(why, "last successful sync 301 s ago (limit 300 s)"), "%s", why);
	cr_assert_null(strchr(why, '\n'), "one line");
	write_health("garbage\n");
	cr_assert_eq(bot_health_judge(dir, 1000000, 300, why, sizeof why), 1);
	cr_assert_not_null(strstr(why, "unreadable or empty"), "%s", why);
}

static void fill(bot_store *s)
{
	cr_assert_eq(bot_store_kv_set(s, "sync_token", "s42"), BOT_STORE_OK);
	cr_assert_eq(bot_store_event_mark(s, "$ev1", "!room:x"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "t1", "!room:x", "m.room.message", "{\"body\":\"hoi\"}"),
		     BOT_STORE_OK);
}

static void check_filled(bot_store *s)
{
	char *v = NULL;

	cr_assert_eq(bot_store_kv_get(s, "sync_token", &v), BOT_STORE_OK);
	cr_assert_str_eq(v, "s42");
	free(v);
	cr_assert_eq(ut_event_seen(s, "$ev1"), 1);
	cr_assert_eq(ut_outbox_count(s, "pending"), 1);
}

Test(ops, a_backup_opens_with_every_row_and_is_private)
{
	char src[300], dest[300];
	bot_store *s = NULL, *copy = NULL;
	struct stat st;

	snprintf(src, sizeof src, "%s/buurtbot.db", dir);
	snprintf(dest, sizeof dest, "%s/backup.db", dir);
	cr_assert_eq(bot_store_open(&s, src, err, sizeof err), BOT_STORE_OK, "%s", err);
	fill(s);
	/* Taken while the store is open (and in WAL mode) in this process. */
	cr_assert_eq(bot_backup_copy(src, dest, err, sizeof err), 0, "%s", err);
	bot_store_close(s);
	cr_assert_eq(stat(dest, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(bot_store_open(&copy, dest, err, sizeof err), BOT_STORE_OK, "%s", err);
	check_filled(copy);
	bot_store_close(copy);
}

Test(ops, a_missing_store_is_an_error_not_a_new_store)
{
	char src[300], dest[300];
	struct stat st;

	snprintf(src, sizeof src, "%s/none.db", dir);
	snprintf(dest, sizeof dest, "%s/backup.db", dir);
	cr_assert_eq(bot_backup_copy(src, dest, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "cannot open the store"), "%s", err);
	cr_assert_neq(stat(src, &st), 0, "no store made");
	cr_assert_neq(stat(dest, &st), 0, "no half backup left");
}

/* The fixture's SQL, malloc'ed. */
static char *read_fixture(const char *name)
{
	const char *base = getenv("BUURTBOT_FIXTURES");
	char path[512], *text;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/store/%s", base && *base ? base : "tests/fixtures", name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "fixture %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	cr_assert_not_null(text);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	return text;
}

Test(ops, a_store_of_the_previous_release_opens_and_migrates)
{
	char path[300], *sql = read_fixture(PREVIOUS_RELEASE ".sql"), *v = NULL;
	sqlite3 *db = NULL;
	bot_store *s = NULL;

	snprintf(path, sizeof path, "%s/old.db", dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	free(sql);
	/* Today's binary opens it: migrated to its own version, rows kept. */
	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	cr_assert_eq(bot_store_schema_version(s), bot_store_latest_version());
	cr_assert_geq(bot_store_latest_version(), PREVIOUS_RELEASE_VERSION);
	cr_assert_eq(bot_store_kv_get(s, "sync_token", &v), BOT_STORE_OK);
	cr_assert_str_eq(v, "s42");
	free(v);
	cr_assert_eq(ut_event_seen(s, "$ev1"), 1);
	cr_assert_eq(ut_outbox_count(s, "pending"), 1);
	cr_assert_eq(bot_store_select_text(s, &v, "test", "SELECT status FROM casussen WHERE nr = 1", 0), BOT_STORE_OK);
	cr_assert_str_eq(v, "open");
	free(v);
	bot_store_close(s);
}

Test(ops, metrics_text_has_help_type_and_no_free_text_labels)
{
	char *text = bot_metrics_render();
	const char *p;

	cr_assert_not_null(text);
	cr_assert_not_null(strstr(text, "# TYPE buurtbot_sync_errors_total counter\n"), "%s", text);
	cr_assert_not_null(strstr(text, "buurtbot_build_info{version=\""), "%s", text);
	for (p = strchr(text, '{'); p; p = strchr(p + 1, '{'))
		cr_assert(strncmp(p, "{state=", 7) == 0 || strncmp(p, "{result=", 8) == 0 ||
			  strncmp(p, "{version=", 9) == 0, "label at %.30s", p);
	cr_assert_eq(text[strlen(text) - 1], '\n');
	free(text);
}
