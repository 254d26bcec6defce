/* itest.c: see itest.h. The bot runs as a real child process with its own
 * data directory, so a test can stop, kill -9 and restart it. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "itest.h"
#include "matrix/mx_olm.h"

long itest_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void itest_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

const char *itest_env(const char *name)
{
	const char *v = getenv(name);
	cr_assert(v && *v, "%s is not set: run integration tests with `make integration`", name);
	return v;
}

int itest_harness(const char *args, char *out, size_t outsize)
{
	char cmd[1024];
	FILE *p;
	size_t n = 0;
	int status;

	snprintf(cmd, sizeof cmd, "%s %s", itest_env("BUURTBOT_HARNESS"), args);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "cannot run %s", cmd);
	if (out && outsize) {
		n = fread(out, 1, outsize - 1, p);
		out[n] = '\0';
	} else {
		char sink[256];
		while (fread(sink, 1, sizeof sink, p) > 0)
			;
	}
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Reads DIR's env file (BUURTBOT_TEST_HS_URL=..., BUURTBOT_TEST_HS_NAME=...). */
static void hs_read_env(itest_hs *hs)
{
	char args[400], out[1024], *url, *name;

	snprintf(args, sizeof args, "--dir '%s' env", hs->dir);
	cr_assert_eq(itest_harness(args, out, sizeof out), 0, "no env in %s", hs->dir);
	url = strstr(out, "BUURTBOT_TEST_HS_URL=");
	name = strstr(out, "BUURTBOT_TEST_HS_NAME=");
	cr_assert(url && name, "%s", out);
	sscanf(url + strlen("BUURTBOT_TEST_HS_URL="), "%127s", hs->url);
	sscanf(name + strlen("BUURTBOT_TEST_HS_NAME="), "%63s", hs->name);
}

/* Runs `hs --dir DIR start --federation [--port N]` for each of them at once. */
static void hs_start(const itest_hs *hs, int n, int same_port)
{
	char cmd[4096];
	size_t o = 0;
	int i, rc;

	for (i = 0; i < n; i++) {
		const char *port = same_port ? strrchr(hs[i].url, ':') : NULL;

		o += (size_t)snprintf(cmd + o, sizeof cmd - o, "'%s' --dir '%s' start --federation%s%s >/dev/null & p%d=$!; ",
				      itest_env("BUURTBOT_HARNESS"), hs[i].dir, port ? " --port " : "",
				      port ? port + 1 : "", i);
		cr_assert_lt(o, sizeof cmd);
	}
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(cmd + o, sizeof cmd - o, "wait $p%d || exit 1; ", i);
	cr_assert_lt(o, sizeof cmd);
	rc = system(cmd);
	cr_assert_eq(rc, 0, "starting federating homeservers failed (see stderr)");
}

void itest_hs_start_federating(itest_hs *hs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		memset(&hs[i], 0, sizeof hs[i]);
		snprintf(hs[i].dir, sizeof hs[i].dir, "%s/fed-%d-%d", itest_env("BUURTBOT_HS_DIR"), (int)getpid(), i);
	}
	hs_start(hs, n, 0);
	for (i = 0; i < n; i++)
		hs_read_env(&hs[i]);
}

void itest_hs_stop(const itest_hs *hs)
{
	char args[400];

	snprintf(args, sizeof args, "--dir '%s' stop", hs->dir);
	cr_assert_eq(itest_harness(args, NULL, 0), 0, "stopping %s failed", hs->name);
}

void itest_hs_start_again(const itest_hs *hs)
{
	hs_start(hs, 1, 1);
}

void itest_hs_cleanup(itest_hs *hs, int n)
{
	char cmd[400];
	int i;

	for (i = 0; i < n; i++) {
		if (!hs[i].dir[0])
			continue;
		itest_hs_stop(&hs[i]);
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", hs[i].dir);
		if (!getenv("BUURTBOT_KEEP_TEST_DIRS") && system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", hs[i].dir);
	}
}

void itest_hs_use(const itest_hs *hs)
{
	setenv("BUURTBOT_HS_DIR", hs->dir, 1);
	setenv("BUURTBOT_TEST_HS_URL", hs->url, 1);
	setenv("BUURTBOT_TEST_HS_NAME", hs->name, 1);
}

static mx_client *new_client(const char *url)
{
	mx_client_options o;
	mx_client *c = NULL;
	mx_error err;

	memset(&o, 0, sizeof o);
	o.homeserver_url = url;
	o.request_timeout_ms = 30000;
	o.retry.max_attempts = 20;
	o.retry.base_delay_ms = 100;
	o.retry.max_delay_ms = 5000;
	cr_assert_eq(mx_client_new(&c, &o, &err), MX_OK, "%s", err.message);
	return c;
}

mx_client *itest_user_client(const itest_user *u)
{
	mx_client *c = new_client(u->hs_url[0] ? u->hs_url : itest_env("BUURTBOT_TEST_HS_URL"));

	mx_client_set_token(c, u->token);
	return c;
}

void itest_user_register(itest_user *u, const char *localpart, const char *password)
{
	char args[512], out[4096];
	cJSON *j;
	const cJSON *tok;

	memset(u, 0, sizeof *u);
	snprintf(u->password, sizeof u->password, "%s", password);
	snprintf(args, sizeof args, "register %s %s", localpart, u->password);
	cr_assert_eq(itest_harness(args, out, sizeof out), 0, "harness register failed: %s", out);
	j = cJSON_Parse(out);
	cr_assert_not_null(j, "harness printed no JSON: %s", out);
	tok = cJSON_GetObjectItem(j, "access_token");
	cr_assert(cJSON_IsString(tok));
	snprintf(u->user_id, sizeof u->user_id, "%s", cJSON_GetObjectItem(j, "user_id")->valuestring);
	snprintf(u->token, sizeof u->token, "%s", tok->valuestring);
	snprintf(u->hs_url, sizeof u->hs_url, "%s", itest_env("BUURTBOT_TEST_HS_URL"));
	u->c = itest_user_client(u);
	cJSON_Delete(j);
}

static void register_account(itest_user *u, const char *prefix)
{
	static int counter;
	char localpart[128], password[64];

	snprintf(localpart, sizeof localpart, "%s%d_%d_%ld", prefix, (int)getpid(), ++counter,
		 itest_now_ms() % 100000);
	snprintf(password, sizeof password, "pw-%s", localpart + strlen(prefix));
	itest_user_register(u, localpart, password);
}

void itest_user_new(itest_user *u, const char *prefix)
{
	memset(u, 0, sizeof *u);
	register_account(u, prefix);
}

void itest_user_free(itest_user *u)
{
	mx_client_free(u->c);
	u->c = NULL;
}

void itest_bot_setup(itest_bot *b, const char *admins, const char *extra_conf)
{
	char path[400];
	FILE *f;

	memset(b, 0, sizeof *b);
	snprintf(b->dir, sizeof b->dir, "/tmp/buurtbot-it-XXXXXX");
	cr_assert_not_null(mkdtemp(b->dir));
	register_account(&b->account, "bot");
	snprintf(path, sizeof path, "%s/password", b->dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s\n", b->account.password);
	fclose(f);
	chmod(path, 0600);
	snprintf(path, sizeof path, "%s/pickle-key", b->dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "pickle-%s\n", b->account.password);
	fclose(f);
	chmod(path, 0600);
	snprintf(b->conf, sizeof b->conf, "%s/buurtbot.conf", b->dir);
	snprintf(b->log, sizeof b->log, "%s/bot.log", b->dir);
	f = fopen(b->conf, "w");
	cr_assert_not_null(f);
	fprintf(f, "homeserver_url = %s\nuser_id = %s\npassword_file = %s/password\n"
		"pickle_key_file = %s/pickle-key\ndata_dir = %s/data\nadmins = %s\n%s\n",
		itest_env("BUURTBOT_TEST_HS_URL"), b->account.user_id, b->dir, b->dir, b->dir,
		admins ? admins : "", extra_conf ? extra_conf : "");
	/* Tests read the debug log unless they chose a level themselves. */
	if (!extra_conf || !strstr(extra_conf, "log_level"))
		fprintf(f, "log_level = debug\n");
	fclose(f);
}

void itest_bot_start(itest_bot *b)
{
	const char *bin = itest_env("BUURTBOT_BIN");
	pid_t pid;

	cr_assert_eq(b->pid, 0, "bot already running");
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd = open(b->log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		/* A test that fails half-way must not leave its bot running. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (fd >= 0) {
			dup2(fd, 2);
			dup2(fd, 1);
			close(fd);
		}
		unsetenv("BUURTBOT_PASSWORD");
		unsetenv("BUURTBOT_PICKLE_KEY");
		/* Sanitizer settings for the bot itself (leak checks on), apart
		 * from those of the test process. */
		if (getenv("BUURTBOT_BOT_ASAN_OPTIONS"))
			setenv("ASAN_OPTIONS", getenv("BUURTBOT_BOT_ASAN_OPTIONS"), 1);
		execl(bin, bin, "--config", b->conf, (char *)NULL);
		_exit(127);
	}
	b->pid = pid;
}

int itest_bot_stop(itest_bot *b)
{
	int status = 0;
	long deadline;

	if (b->pid <= 0)
		return 0;
	kill(b->pid, SIGTERM);
	deadline = itest_now_ms() + 15000;
	while (waitpid(b->pid, &status, WNOHANG) == 0) {
		if (itest_now_ms() > deadline) {
			kill(b->pid, SIGKILL);
			waitpid(b->pid, &status, 0);
			b->pid = 0;
			return -1;
		}
		itest_sleep_ms(20);
	}
	b->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void itest_bot_kill9(itest_bot *b)
{
	if (b->pid <= 0)
		return;
	kill(b->pid, SIGKILL);
	waitpid(b->pid, NULL, 0);
	b->pid = 0;
}

int itest_bot_alive(itest_bot *b)
{
	int status;

	if (b->pid <= 0)
		return 0;
	if (waitpid(b->pid, &status, WNOHANG) == 0)
		return 1;
	b->pid = 0;
	return 0;
}

int itest_log_count(const itest_bot *b, const char *needle)
{
	FILE *f = fopen(b->log, "r");
	char *buf = NULL, *p;
	long size = -1;
	size_t got = 0;
	int n = 0;

	cr_assert_not_null(f, "cannot open the bot's log %s", b->log);
	if (fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) != NULL)
		got = fread(buf, 1, (size_t)size, f);
	fclose(f);
	cr_assert(buf && got == (size_t)size, "cannot read the bot's log %s whole", b->log);
	buf[got] = '\0';
	for (p = buf; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(buf);
	return n;
}

char *itest_wait_log_line(const itest_bot *b, const char *needle, int nth, long timeout_ms)
{
	static char buf[1 << 20];
	long deadline = itest_now_ms() + timeout_ms;

	for (;;) {
		FILE *f = fopen(b->log, "r");

		if (f) {
			size_t n = fread(buf, 1, sizeof buf - 1, f);
			char *p, *found = NULL;
			int seen = 0;

			buf[n] = '\0';
			fclose(f);
			for (p = buf; (p = strstr(p, needle)) != NULL; p++)
				if (++seen == nth)
					found = p;
			if (found) {
				char *start = found, *end = strchr(found, '\n');

				while (start > buf && start[-1] != '\n')
					start--;
				if (end)
					*end = '\0';
				return strdup(start);
			}
		}
		if (itest_now_ms() > deadline)
			return NULL;
		itest_sleep_ms(20);
	}
}

void itest_bot_dump_log(const itest_bot *b)
{
	char buf[4096];
	FILE *f = fopen(b->log, "r");
	size_t n;

	if (!f)
		return;
	fprintf(stderr, "---- bot log %s ----\n", b->log);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "---- end of bot log ----\n");
	fclose(f);
}

void itest_bot_cleanup(itest_bot *b)
{
	char cmd[400];
	int status;

	/* A clean stop at the end of every test: under ASan this is where
	 * leaks and other findings in the bot turn into a failing status. */
	if (b->pid > 0) {
		status = itest_bot_stop(b);
		if (status != 0)
			itest_bot_dump_log(b);
		cr_expect_eq(status, 0, "the bot did not stop cleanly (exit %d)", status);
	}
	itest_user_free(&b->account);
	if (b->dir[0] && !getenv("BUURTBOT_KEEP_TEST_DIRS")) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", b->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", b->dir);
	}
}

char *itest_create_room(itest_user *u, const char *name)
{
	mx_create_room_opts o;
	char *room = NULL;

	memset(&o, 0, sizeof o);
	o.name = name;
	o.preset = "private_chat";
	cr_assert_eq(mx_create_room(u->c, &o, &room), MX_OK, "createRoom: %s",
		     mx_client_last_error(u->c)->message);
	return room;
}

void itest_invite(itest_user *u, const char *room_id, const char *user_id)
{
	cr_assert_eq(mx_invite(u->c, room_id, user_id, NULL), MX_OK, "invite: %s",
		     mx_client_last_error(u->c)->message);
}

char *itest_membership(itest_user *u, const char *room_id, const char *user_id)
{
	cJSON *content = NULL;
	const cJSON *m;
	char *out = NULL;

	if (mx_state_get(u->c, room_id, "m.room.member", user_id, &content) != MX_OK)
		return NULL;
	m = cJSON_GetObjectItem(content, "membership");
	if (cJSON_IsString(m))
		out = strdup(m->valuestring);
	cJSON_Delete(content);
	return out;
}

int itest_wait_membership(itest_user *u, const char *room_id, const char *user_id,
			  const char *want, long timeout_ms)
{
	long deadline = itest_now_ms() + timeout_ms;

	for (;;) {
		char *m = itest_membership(u, room_id, user_id);
		int ok = m && strcmp(m, want) == 0;
		free(m);
		if (ok)
			return 1;
		if (itest_now_ms() > deadline)
			return 0;
		itest_sleep_ms(100);
	}
}

char *itest_send_text(itest_user *u, const char *room_id, const char *body)
{
	static unsigned long txn_counter;
	cJSON *content = mx_content_text("m.text", body, NULL);
	char txn[64], *event_id = NULL;

	snprintf(txn, sizeof txn, "it-%d-%lu-%ld", (int)getpid(), ++txn_counter, itest_now_ms());
	cr_assert_eq(mx_send(u->c, room_id, "m.room.message", txn, content, &event_id), MX_OK,
		     "send: %s", mx_client_last_error(u->c)->message);
	cJSON_Delete(content);
	return event_id;
}

cJSON *itest_messages(itest_user *u, const char *room_id, int limit)
{
	char path[600];
	char *room = mx_escape(room_id);
	cJSON *resp = NULL, *chunk, *out;
	int i;

	snprintf(path, sizeof path, "/_matrix/client/v3/rooms/%s/messages?dir=b&limit=%d", room, limit);
	free(room);
	cr_assert_eq(mx_request(u->c, "GET", path, NULL, 0, &resp), MX_OK, "messages: %s",
		     mx_client_last_error(u->c)->message);
	chunk = cJSON_GetObjectItem(resp, "chunk");
	out = cJSON_CreateArray();
	/* dir=b gives newest first; tests read oldest first. */
	for (i = cJSON_GetArraySize(chunk) - 1; i >= 0; i--)
		cJSON_AddItemToArray(out, cJSON_Duplicate(cJSON_GetArrayItem(chunk, i), 1));
	cJSON_Delete(resp);
	return out;
}

int itest_count_replies(const cJSON *msgs, const char *sender, const char *event_id)
{
	const cJSON *ev;
	int n = 0;

	cJSON_ArrayForEach(ev, msgs) {
		const cJSON *s = cJSON_GetObjectItem(ev, "sender");
		const cJSON *c = cJSON_GetObjectItem(ev, "content");
		const cJSON *rel = cJSON_GetObjectItem(c, "m.relates_to");
		const cJSON *irt = cJSON_GetObjectItem(rel, "m.in_reply_to");
		const cJSON *id = cJSON_GetObjectItem(irt, "event_id");

		if (cJSON_IsString(s) && strcmp(s->valuestring, sender) == 0 &&
		    cJSON_IsString(id) && strcmp(id->valuestring, event_id) == 0)
			n++;
	}
	return n;
}

int itest_has_event(const cJSON *msgs, const char *event_id)
{
	const cJSON *ev;

	cJSON_ArrayForEach(ev, msgs) {
		const cJSON *id = cJSON_GetObjectItem(ev, "event_id");

		if (cJSON_IsString(id) && strcmp(id->valuestring, event_id) == 0)
			return 1;
	}
	return 0;
}

int itest_wait_replies(itest_user *u, const char *room_id, const char *sender,
		       char **ids, size_t n, int want, long timeout_ms)
{
	long deadline = itest_now_ms() + timeout_ms;

	for (;;) {
		cJSON *msgs = itest_messages(u, room_id, (int)(n * 3 + 50));
		size_t i, done = 0;

		for (i = 0; i < n; i++)
			if (itest_count_replies(msgs, sender, ids[i]) >= want)
				done++;
		cJSON_Delete(msgs);
		if (done == n)
			return 1;
		if (itest_now_ms() > deadline)
			return 0;
		itest_sleep_ms(200);
	}
}

char *itest_reply_body(itest_user *u, const char *room, const char *sender, const char *event, long timeout_ms)
{
	cJSON *msgs, *ev;
	char *body = NULL;

	if (!itest_wait_replies(u, room, sender, (char **)&event, 1, 1, timeout_ms))
		return NULL;
	msgs = itest_messages(u, room, 50);
	cJSON_ArrayForEach(ev, msgs) {
		const cJSON *c = cJSON_GetObjectItem(ev, "content");
		const cJSON *irt = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "m.relates_to"),
									   "m.in_reply_to"), "event_id");
		const cJSON *b = cJSON_GetObjectItem(c, "body");

		if (cJSON_IsString(irt) && strcmp(irt->valuestring, event) == 0 && cJSON_IsString(b) && !body)
			body = strdup(b->valuestring);
	}
	cJSON_Delete(msgs);
	return body;
}

char *itest_bot_stored_token(const itest_bot *b, int unseal)
{
	char path[400], key[200] = "", *v = NULL, *token = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	mx_error err;
	FILE *f;

	snprintf(path, sizeof path, "%s/data/buurtbot.db", b->dir);
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT value FROM kv WHERE key = 'access_token'", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	cr_assert_not_null(v, "no access token in the store");
	if (!unseal || strncmp(v, "sealed1:", 8) != 0)
		return v;
	snprintf(path, sizeof path, "%s/pickle-key", b->dir);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(key, sizeof key, f));
	fclose(f);
	key[strcspn(key, "\r\n")] = '\0';
	cr_assert_eq(mx_olm_unseal_text(key, v + 8, &token, &err), MX_OK, "%s", err.message);
	free(v);
	return token;
}

int itest_run_bot(const char *env, const char *args, char *out, size_t size)
{
	char cmd[1400];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof cmd, "env %s %s %s 2>&1", env ? env : "", itest_env("BUURTBOT_BIN"), args);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
