/* Integration tests of what an operator runs next to the bot (issue 14):
 * `--health` (healthy, and stale by the test clock), `--backup` while
 * the bot runs, and the metrics endpoint (names, and no label carrying an
 * id or a text). One bot for all of it. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

/* Runs the bot binary with args (and env words before it); the exit
 * status, stdout and stderr together in out. */
/* A port nobody listens on now. */
static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	cr_assert(fd >= 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

typedef struct body {
	char buf[16384];
	size_t len;
} body;

static size_t collect(char *data, size_t size, size_t n, void *ud)
{
	body *b = ud;
	size_t k = size * n;

	if (b->len + k >= sizeof b->buf)
		return 0;
	memcpy(b->buf + b->len, data, k);
	b->len += k;
	b->buf[b->len] = '\0';
	return k;
}

/* GET url: the HTTP status (0: no answer), the body in b. */
static long http_get(const char *url, body *b)
{
	CURL *c = curl_easy_init();
	long status = 0;

	cr_assert_not_null(c);
	b->len = 0;
	b->buf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status;
}

/* The value of the sample line starting with "name " or "name{...} ", or -1. */
static long long sample(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
		p += n;
	}
	return -1;
}

/* Every sample line's labels are among the fixed ones, with values made
 * of lower-case letters, digits and dots: never an id, room or text. */
static void check_labels(const char *text)
{
	const char *line = text;
	int samples = 0;

	while (*line) {
		const char *end = strchr(line, '\n'), *open;

		cr_assert_not_null(end, "every line ends with a newline");
		open = memchr(line, '{', (size_t)(end - line));
		if (line[0] != '#') {
			samples++;
			cr_assert(memchr(line, '@', (size_t)(end - line)) == NULL, "user id in %.*s", (int)(end - line), line);
			cr_assert(memchr(line, '!', (size_t)(end - line)) == NULL, "room id in %.*s", (int)(end - line), line);
		}
		if (line[0] != '#' && open) {
			char key[32], val[64];

			cr_assert_eq(sscanf(open, "{%31[a-z_]=\"%63[a-z0-9.]\"}", key, val), 2, "label of %.*s",
				     (int)(end - line), line);
			cr_assert(strcmp(key, "state") == 0 || strcmp(key, "result") == 0 || strcmp(key, "version") == 0,
				  "unexpected label %s", key);
		}
		line = end + 1;
	}
	cr_assert_gt(samples, 8);
}

static void health_is_ok_then_stale(itest_bot *bot)
{
	char out[4096], env[512], clock_file[300];
	long t0 = itest_now_ms();
	FILE *f;
	int rc;

	/* Healthy once the first sync is stored (polled). */
	for (;;) {
		char args[400];

		snprintf(args, sizeof args, "--config %s --health", bot->conf);
		rc = itest_run_bot(NULL, args, out, sizeof out);
		if (rc == 0 || itest_now_ms() - t0 > 30000)
			break;
		itest_sleep_ms(200);
	}
	if (rc != 0)
		itest_bot_dump_log(bot);
	cr_assert_eq(rc, 0, "--health: %s", out);
	cr_assert_not_null(strstr(out, "ok: last successful sync"), "%s", out);

	/* An hour later by the checker's clock, with the bot's limit of 5
	 * minutes: stale, with the reason on one line. */
	snprintf(clock_file, sizeof clock_file, "%s/clock", bot->dir);
	f = fopen(clock_file, "w");
	cr_assert_not_null(f);
	fputs("3600\n", f);
	fclose(f);
	snprintf(env, sizeof env, "BUURTBOT_TEST_CLOCK_FILE=%s", clock_file);
	{
		char args[400];

		snprintf(args, sizeof args, "--config %s --health", bot->conf);
		rc = itest_run_bot(env, args, out, sizeof out);
	}
	cr_assert_eq(rc, 1, "a stale bot must fail --health: %s", out);
	cr_assert_not_null(strstr(out, "unhealthy: last successful sync"), "%s", out);
	cr_assert_not_null(strstr(out, "limit 300 s"), "%s", out);
}

static long long count_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void backup_while_running(itest_bot *bot)
{
	char out[4096], args[1200], copy[400];
	struct stat st;
	sqlite3 *db = NULL;

	snprintf(copy, sizeof copy, "%s/copy.db", bot->dir);
	snprintf(args, sizeof args, "--config %s --backup %s", bot->conf, copy);
	cr_assert_eq(itest_run_bot(NULL, args, out, sizeof out), 0, "--backup: %s", out);
	cr_assert(itest_bot_alive(bot), "the bot runs on during the backup");
	cr_assert_eq(stat(copy, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "backup mode %o", st.st_mode & 0777);
	cr_assert_eq(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(count_rows(db, "SELECT count(*) FROM kv WHERE key = 'sync_token'"), 1);
	cr_assert_geq(count_rows(db, "SELECT count(*) FROM audit_log WHERE allowed = 1"), 1,
		      "the !ping before the backup is in it");
	cr_assert_gt(count_rows(db, "SELECT count(*) FROM outbox WHERE state = 'sent'"), 0);
	sqlite3_close(db);
}

static void metrics_scraped(itest_bot *bot, int port)
{
	char url[128];
	body b;
	long t0 = itest_now_ms();

	snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", port);
	/* Counts from the store are refreshed every few seconds of syncing. */
	for (;;) {
		cr_assert_eq(http_get(url, &b), 200, "metrics answer");
		if (sample(b.buf, "buurtbot_commands_total{result=\"allowed\"}") >= 1 || itest_now_ms() - t0 > 30000)
			break;
		itest_sleep_ms(300);
	}
	cr_assert_geq(sample(b.buf, "buurtbot_commands_total{result=\"allowed\"}"), 1, "%s", b.buf);
	cr_assert_geq(sample(b.buf, "buurtbot_commands_total{result=\"refused\"}"), 0, "%s", b.buf);
	cr_assert_gt(sample(b.buf, "buurtbot_last_sync_timestamp_seconds"), 1700000000, "%s", b.buf);
	cr_assert_geq(sample(b.buf, "buurtbot_outbox_items{state=\"pending\"}"), 0, "%s", b.buf);
	cr_assert_geq(sample(b.buf, "buurtbot_outbox_items{state=\"failed\"}"), 0, "%s", b.buf);
	cr_assert_eq(sample(b.buf, "buurtbot_undecryptable_events_total"), 0, "%s", b.buf);
	cr_assert_eq(sample(b.buf, "buurtbot_casussen_open"), 0, "%s", b.buf);
	cr_assert_eq(sample(b.buf, "buurtbot_forwards_total"), 0, "%s", b.buf);
	cr_assert_geq(sample(b.buf, "buurtbot_sync_errors_total"), 0, "%s", b.buf);
	cr_assert_not_null(strstr(b.buf, "# TYPE buurtbot_commands_total counter\n"), "%s", b.buf);
	check_labels(b.buf);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	cr_assert_eq(http_get(url, &b), 404);
}

Test(ops, health_backup_and_metrics_of_a_running_bot, .timeout = 180)
{
	itest_user admin;
	itest_bot bot;
	char conf[256], *room, *ping, *reply;
	int port = free_port();

	itest_user_new(&admin, "admin");
	snprintf(conf, sizeof conf, "metrics_listen = 127.0.0.1:%d\nsync_timeout_ms = 2000", port);
	itest_bot_setup(&bot, admin.user_id, conf);
	itest_bot_start(&bot);
	room = itest_create_room(&admin, "beheer");
	itest_invite(&admin, room, bot.account.user_id);
	if (!itest_wait_membership(&admin, room, bot.account.user_id, "join", 20000)) {
		itest_bot_dump_log(&bot);
		cr_assert_fail("bot did not join");
	}
	ping = itest_send_text(&admin, room, "!ping");
	reply = itest_reply_body(&admin, room, bot.account.user_id, ping, 20000);
	cr_assert_not_null(reply, "!ping answered");

	health_is_ok_then_stale(&bot);
	backup_while_running(&bot);
	metrics_scraped(&bot, port);

	free(reply);
	free(ping);
	free(room);
	itest_bot_cleanup(&bot);
	itest_user_free(&admin);
}

Test(ops, a_bad_metrics_address_stops_the_start)
{
	char out[8192], args[400], path[300];
	FILE *f;

	snprintf(path, sizeof path, "/tmp/buurtbot-ops-%d.conf", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "homeserver_url = http://127.0.0.1:1\nuser_id = @nobody:localhost\ndata_dir = /tmp/buurtbot-ops-%d\n"
		"metrics_listen = localhost:nine\n", (int)getpid());
	fclose(f);
	snprintf(args, sizeof args, "--config %s", path);
	cr_assert_eq(itest_run_bot("BUURTBOT_PICKLE_KEY=pk BUURTBOT_PASSWORD=pw", args, out, sizeof out), 2, "%s", out);
	cr_assert_not_null(strstr(out, "setting 'metrics_listen'"), "%s", out);
	remove(path);
	snprintf(args, sizeof args, "rm -rf /tmp/buurtbot-ops-%d", (int)getpid());
	cr_assert_eq(system(args), 0);
}
