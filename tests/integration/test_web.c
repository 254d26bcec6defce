/* Integration test of the sign-up website (issue 15) against the real
 * Synapse: buurtbot-web runs as its own process beside the bot; a form
 * sent over HTTP becomes an application in the stuurgroep room,
 * !toelaten gives the status page a working one-use registration token
 * and a code, an account registered with that token sends the code to
 * the bot and is invited into the wijkgroep. Also: the status link
 * deletes an application, and hostile input (HTML, overlong fields, a
 * replayed form, a too large body, a flood from one address). */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[{\"naam\":\"Noord\",\"postcodes\":[\"1234\"]}]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[{\"naam\":\"Zuid\",\"postcodes\":[\"1235\"]}]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}]}"
/* The same with Wijkgroep Noord full from the start (its cap 1, and the
 * stuurgroep is in it). */
#define STRUCTURE_FULL_NOORD "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"limiet\":1," \
	"\"buurten\":[{\"naam\":\"Noord\",\"postcodes\":[\"1234\"]}]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[{\"naam\":\"Zuid\",\"postcodes\":[\"1235\"]}]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}]}"

/* ---- a small HTTP client (libcurl) ---- */

typedef struct http_answer {
	long status;
	char *body;
	size_t len;
	char location[300];
	char cookie[200];    /* "bb_sid=..." when the answer set it */
} http_answer;

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	http_answer *a = ctx;
	char *b = realloc(a->body, a->len + size * n + 1);

	cr_assert_not_null(b);
	memcpy(b + a->len, data, size * n);
	a->body = b;
	a->len += size * n;
	a->body[a->len] = '\0';
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	http_answer *a = ctx;
	size_t len = size * n;

	if (len > 10 && strncasecmp(data, "Location: ", 10) == 0)
		snprintf(a->location, sizeof a->location, "%.*s", (int)strcspn(data + 10, "\r\n"), data + 10);
	if (len > 19 && strncasecmp(data, "Set-Cookie: bb_sid=", 19) == 0)
		snprintf(a->cookie, sizeof a->cookie, "%.*s", (int)strcspn(data + 12, ";\r\n"), data + 12);
	return len;
}

/* GET (post NULL) or POST url with cookie (may be ""). */
static void http(const char *url, const char *cookie, const char *post, http_answer *a)
{
	CURL *c = curl_easy_init();

	memset(a, 0, sizeof *a);
	cr_assert_not_null(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (cookie && cookie[0])
		curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
	if (post)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
	cr_assert_eq(curl_easy_perform(c), CURLE_OK, "HTTP %s failed", url);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	curl_easy_cleanup(c);
	if (!a->body)
		a->body = strdup("");
}

/* The value of the first name="NAME" value="..." in html (caller frees). */
static char *field(const char *html, const char *name)
{
	char needle[80];
	const char *p, *q;

	snprintf(needle, sizeof needle, "name=\"%s\" value=\"", name);
	p = strstr(html, needle);
	cr_assert_not_null(p, "no %s in the page", name);
	p += strlen(needle);
	q = strchr(p, '"');
	return strndup(p, (size_t)(q - p));
}

/* Text between id="ID"> and the next '<' (caller frees), or NULL. */
static char *element(const char *html, const char *id)
{
	char needle[80];
	const char *p;

	snprintf(needle, sizeof needle, "id=\"%s\">", id);
	p = strstr(html, needle);
	if (!p)
		return NULL;
	p += strlen(needle);
	return strndup(p, strcspn(p, "<"));
}

/* Sends raw request head to the site and returns the HTTP status of the
 * answer that arrives within 5 seconds (0: none). The body it announces
 * is never sent. */
static long raw_status(const char *base, const char *head)
{
	struct sockaddr_in a;
	struct pollfd pf;
	char buf[64] = "";
	long status = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)strtol(strrchr(base, ':') + 1, NULL, 10));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(write(fd, head, strlen(head)), (ssize_t)strlen(head));
	pf.fd = fd;
	pf.events = POLLIN;
	if (poll(&pf, 1, 5000) == 1 && (n = read(fd, buf, sizeof buf - 1)) > 12) {
		buf[n] = '\0';
		status = strtol(buf + 9, NULL, 10);
	}
	close(fd);
	return status;
}

/* ---- the databases ---- */

static int has_bytes(const void *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; k && i + k <= n; i++)
		if (memcmp((const char *)hay + i, needle, k) == 0)
			return 1;
	return 0;
}

/* Rows of any table of the database at path holding needle in any column. */
static long rows_holding(const char *path, const char *needle)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL, *st = NULL;
	long n = 0;
	char sql[300];

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", path);
	sqlite3_busy_timeout(db, 5000);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &tables, NULL),
		     SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		int c;

		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", (const char *)sqlite3_column_text(tables, 0));
		cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (c = 0; c < sqlite3_column_count(st); c++) {
				const void *v = sqlite3_column_blob(st, c);

				if (v && has_bytes(v, (size_t)sqlite3_column_bytes(st, c), needle)) {
					fprintf(stderr, "%s holds %s in %s\n", path, needle, sql);
					n++;
				}
			}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	return n;
}

/* Runs sql on the website's web.db as the website could (or an attacker in its place). */
static void webdb_exec(const char *dir, const char *sql)
{
	char path[450], *err = NULL;
	sqlite3 *db = NULL;

	snprintf(path, sizeof path, "%s/web.db", dir);
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err ? err : "");
	sqlite3_close(db);
}

/* The state of web.db row id, waiting up to timeout_ms for want. */
static int webdb_state_is(const char *dir, long id, const char *want, long timeout_ms)
{
	char path[450], sql[120];
	long t0 = itest_now_ms();
	int found = 0;

	snprintf(path, sizeof path, "%s/web.db", dir);
	snprintf(sql, sizeof sql, "SELECT state FROM web_apps WHERE id = %ld", id);
	do {
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;

		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    sqlite3_busy_timeout(db, 2000) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			found = strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
		sqlite3_finalize(st);
		sqlite3_close(db);
		if (!found && timeout_ms)
			itest_sleep_ms(200);
	} while (!found && itest_now_ms() - t0 < timeout_ms);
	return found;
}

/* Whether the file at path holds needle anywhere in its bytes. */
static int file_holds(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int found;

	if (!f)
		return 0;
	buf = malloc(16 * 1024 * 1024);
	cr_assert_not_null(buf);
	n = fread(buf, 1, 16 * 1024 * 1024, f);
	fclose(f);
	found = has_bytes(buf, n, needle);
	free(buf);
	return found;
}

/* ---- the world ---- */

typedef struct world {
	itest_user anna, bram, carla;
	itest_bot bot;
	resident ra;
	char *sg;
	char file[400], webdir[400], base[64];
	pid_t web;
} world;

static void start_web(world *w)
{
	char bin[400], port[16], posts[] = "30";
	int tries;

	snprintf(bin, sizeof bin, "%s-web", itest_env("BUURTBOT_BIN"));
	for (tries = 0; tries < 5; tries++) {
		long t0;

		snprintf(port, sizeof port, "%d", 20000 + (int)((getpid() * 7 + tries * 131) % 20000));
		snprintf(w->base, sizeof w->base, "http://127.0.0.1:%s", port);
		w->web = fork();
		cr_assert_geq(w->web, 0);
		if (w->web == 0) {
			char log[450];

			snprintf(log, sizeof log, "%s/web.log", w->bot.dir);
			if (!freopen(log, "a", stderr))
				_exit(126);
			execl(bin, bin, "--structure", w->file, "--dir", w->webdir, "--port", port, "--base-url", w->base,
			      "--bot", w->bot.account.user_id, "--client-url", "https://app.example/#/register", "--posts",
			      posts, "--gets", "100000", (char *)NULL);
			_exit(127);
		}
		for (t0 = itest_now_ms(); itest_now_ms() - t0 < 5000; itest_sleep_ms(50)) {
			CURL *c = curl_easy_init();
			char url[128];
			int ok;

			snprintf(url, sizeof url, "%s/health", w->base);
			curl_easy_setopt(c, CURLOPT_URL, url);
			curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
			ok = curl_easy_perform(c) == CURLE_OK;
			curl_easy_cleanup(c);
			if (ok)
				return;
			if (waitpid(w->web, NULL, WNOHANG) == w->web)
				break;
		}
		kill(w->web, SIGTERM);
		waitpid(w->web, NULL, 0);
	}
	cr_assert_fail("buurtbot-web did not start");
}

static void world_start(world *w, const char *structure)
{
	char cmd[700], out[2048], conf[1200], path[450];
	cJSON *j;
	FILE *f;

	memset(w, 0, sizeof *w);
	sthelp_example_user(&w->anna, "anna.stuur");
	sthelp_example_user(&w->bram, "bram.stuur");
	sthelp_example_user(&w->carla, "carla.stuur");
	/* The operator's server admin, whose token makes registration tokens. */
	snprintf(cmd, sizeof cmd, "register webadmin%d%ld secret-%ld --admin", (int)getpid(), itest_now_ms(),
		 itest_now_ms());
	cr_assert_eq(itest_harness(cmd, out, sizeof out), 0);
	j = cJSON_Parse(out);
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(j, "access_token")), "%s", out);
	itest_bot_setup(&w->bot, w->anna.user_id, NULL);
	snprintf(path, sizeof path, "%s/admin-token", w->bot.dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s\n", cJSON_GetObjectItem(j, "access_token")->valuestring);
	fclose(f);
	chmod(path, 0600);
	cJSON_Delete(j);
	snprintf(w->webdir, sizeof w->webdir, "%s/web", w->bot.dir);
	cr_assert_eq(mkdir(w->webdir, 0770), 0);
	snprintf(conf, sizeof conf, "web_dir = %s\nsynapse_admin_token_file = %s\nsync_timeout_ms = 120000\n", w->webdir,
		 path);
	f = fopen(w->bot.conf, "a");
	cr_assert_not_null(f);
	fputs(conf, f);
	fclose(f);
	sthelp_structure_file(&w->bot, "dorp.json", structure, w->file, sizeof w->file);
	start_web(w);
	itest_bot_start(&w->bot);
	free(sthelp_wait_reconciled(&w->bot, 1));
	w->sg = sthelp_room_of(&w->bot, "stuurgroep:stuur");
	resident_existing(&w->ra, &w->anna);
	snprintf(cmd, sizeof cmd, "join '%s'", w->sg);
	cJSON_Delete(resident_run(&w->ra, cmd, 0));
}

static void world_end(world *w)
{
	int status = -1;

	if (w->web > 0) {
		kill(w->web, SIGTERM);
		waitpid(w->web, &status, 0);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "buurtbot-web did not stop cleanly (%d)", status);
	}
	sthelp_resident_done(&w->ra);
	free(w->sg);
	itest_bot_cleanup(&w->bot);
	itest_user_free(&w->anna);
	itest_user_free(&w->bram);
	itest_user_free(&w->carla);
}

/* A fresh browser session on the wijk page: its cookie and form token. */
static void open_form(world *w, char *cookie, size_t size, char **token)
{
	http_answer a;
	char url[128];

	snprintf(url, sizeof url, "%s/wijk/dorp", w->base);
	http(url, "", NULL, &a);
	cr_assert_eq(a.status, 200);
	cr_assert_not_null(strstr(a.body, "Aanmelden"), "no form on the wijk page");
	cr_assert_neq(a.cookie[0], '\0', "no session cookie");
	snprintf(cookie, size, "%s", a.cookie);
	*token = field(a.body, "token");
	free(a.body);
}

/* Sends the form (fields urlencoded already); returns the answer. */
static void send_form(world *w, const char *cookie, const char *token, const char *fields, http_answer *a)
{
	char url[128], *body = NULL;
	size_t n = strlen(fields) + strlen(token) + 64;

	body = malloc(n);
	snprintf(body, n, "%s&lang=nl&token=%s", fields, token);
	snprintf(url, sizeof url, "%s/wijk/dorp", w->base);
	http(url, cookie, body, a);
	free(body);
}

/* Polls the status page at path until its state is want. */
static char *wait_state(world *w, const char *path, const char *cookie, const char *want, long timeout_ms)
{
	char url[300], needle[64];
	long t0 = itest_now_ms();
	http_answer a;

	snprintf(url, sizeof url, "%s%s", w->base, path);
	snprintf(needle, sizeof needle, "data-state=\"%s\"", want);
	for (;;) {
		http(url, cookie, NULL, &a);
		cr_assert_eq(a.status, 200, "status page: HTTP %ld", a.status);
		if (strstr(a.body, needle))
			return a.body;
		if (itest_now_ms() - t0 > timeout_ms) {
			itest_bot_dump_log(&w->bot);
			cr_assert_fail("the status page never showed %s: %s", want, a.body);
		}
		free(a.body);
		itest_sleep_ms(300);
	}
}

/* Registers localpart with a registration token through the client-server
 * API (the token stage, then the dummy stage). Returns the final status. */
static long register_with_token(const char *localpart, const char *password, const char *token)
{
	char url[256], body[1024], session[128] = "";
	http_answer a;
	cJSON *j;
	const cJSON *s;
	int stage;

	snprintf(url, sizeof url, "%s/_matrix/client/v3/register", itest_env("BUURTBOT_TEST_HS_URL"));
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", localpart, password);
	for (stage = 0; stage < 3; stage++) {
		const cJSON *done, *d;
		int token_done = 0;

		http(url, "", body, &a);
		if (a.status != 401) {
			free(a.body);
			return a.status;
		}
		j = cJSON_Parse(a.body);
		s = cJSON_GetObjectItem(j, "session");
		if (cJSON_IsString(s))
			snprintf(session, sizeof session, "%s", s->valuestring);
		done = cJSON_GetObjectItem(j, "completed");
		cJSON_ArrayForEach(d, done)
			if (cJSON_IsString(d) && strcmp(d->valuestring, "m.login.registration_token") == 0)
				token_done = 1;
		/* The token stage first; once it is done, the dummy stage. */
		if (token_done)
			snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\",\"auth\":"
				 "{\"type\":\"m.login.dummy\",\"session\":\"%s\"}}", localpart, password, session);
		else
			snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\",\"auth\":"
				 "{\"type\":\"m.login.registration_token\",\"token\":\"%s\",\"session\":\"%s\"}}",
				 localpart, password, token, session);
		cJSON_Delete(j);
		free(a.body);
	}
	return 401;
}

Test(web, from_the_form_to_the_wijkgroep, .timeout = 420)
{
	world w;
	http_answer a;
	char cookie[200], status[300], url[400], post[600], *token, *page, *regtoken, *code, *body, localpart[64], *dm, *zuid;
	char *deltoken;
	itest_user u;
	resident r;

	world_start(&w, STRUCTURE);

	/* One mistake first (no tick at "18+"), then the corrected form. */
	open_form(&w, cookie, sizeof cookie, &token);
	send_form(&w, cookie, token, "naam=Piet+%3Cb%3EWeb%3C%2Fb%3E&adres=1235+AB&telefoon=0612345678&akkoord=ja", &a);
	cr_assert_eq(a.status, 422, "%s", a.body);
	cr_assert_not_null(strstr(a.body, "18 jaar of ouder"), "no word about 18+: %s", a.body);
	cr_assert_not_null(strstr(a.body, "value=\"Piet &lt;b&gt;Web&lt;/b&gt;\""), "the name not escaped back");
	cr_assert_null(strstr(a.body, "<b>Web"), "HTML from the form in the page");
	free(token);
	token = field(a.body, "token");
	free(a.body);
	send_form(&w, cookie, token, "naam=Piet+%3Cb%3EWeb%3C%2Fb%3E&adres=1235+AB&telefoon=0612345678&volwassen=ja&akkoord=ja",
		  &a);
	cr_assert_eq(a.status, 303, "%ld %s", a.status, a.body);
	cr_assert_eq(strncmp(a.location, "/status/", 8), 0, "%s", a.location);
	snprintf(status, sizeof status, "%s", a.location);
	free(a.body);
	/* The same form again is refused. */
	send_form(&w, cookie, token, "naam=Piet&adres=1235+AB&volwassen=ja&akkoord=ja", &a);
	cr_assert_eq(a.status, 409, "a replayed form was taken: %ld", a.status);
	free(a.body);
	free(token);

	/* The stuurgroep sees it and admits it: within seconds, although the
	 * quiet bot's sync waits two minutes (it looks at web.db every 3 s). */
	body = sthelp_wait_message(&w.ra, w.sg, w.bot.account.user_id, "Nieuwe aanmelding 1", 20000);
	cr_assert_not_null(body, "the stuurgroep never saw the web application");
	cr_assert_not_null(strstr(body, "Piet <b>Web</b>"), "%s", body);
	cr_assert_not_null(strstr(body, "Zuid"), "%s", body);
	cr_assert_not_null(strstr(body, "0612345678"), "%s", body);
	free(body);
	free(wait_state(&w, status, "", "open", 30000));
	free(sthelp_ask(&w.ra, &w.bot, w.sg, "!toelaten 1"));
	body = sthelp_wait_message(&w.ra, w.sg, w.bot.account.user_id, "kwam via de website", 30000);
	cr_assert_not_null(body, "the stuurgroep was not told the invitation waits for the code");
	free(body);

	/* The status page offers a working one-use token and the code. */
	for (page = wait_state(&w, status, "", "admitted", 30000); !strstr(page, "id=\"regtoken\"");
	     page = wait_state(&w, status, "", "admitted", 30000)) {
		free(page);
		itest_sleep_ms(300);
	}
	regtoken = element(page, "regtoken");
	code = element(page, "code");
	cr_assert(regtoken && regtoken[0] && code && strlen(code) == 9, "%s", page);
	cr_assert_not_null(strstr(page, "https://matrix.to/#/@bot"), "no link to the bot: %s", page);
	free(page);
	/* The delete form's token of this browser, for after the account is linked. */
	page = wait_state(&w, status, cookie, "admitted", 30000);
	deltoken = field(page, "token");
	free(page);
	snprintf(localpart, sizeof localpart, "webbewoner%d", (int)getpid());
	cr_assert_eq(register_with_token(localpart, "wachtwoord-123", "not-the-token"), 401, "a wrong token worked");
	cr_assert_eq(register_with_token(localpart, "wachtwoord-123", regtoken), 200, "registering with the token failed");
	cr_assert_neq(register_with_token("webbewoner2x", "wachtwoord-123", regtoken), 200, "the token worked twice");

	/* The new account sends the code; the bot invites it into Wijkgroep Zuid. */
	memset(&u, 0, sizeof u);
	itest_user_register(&u, localpart, "wachtwoord-123");
	resident_existing(&r, &u);
	dm = sthelp_open_dm(&r, &w.bot);
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "2BCD-EFGH"), "ken ik niet");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, code), "uitgenodigd in Wijkgroep Zuid");
	zuid = sthelp_room_of(&w.bot, "wijkgroep:zuid");
	cr_assert(itest_wait_membership(&w.bot.account, zuid, u.user_id, "invite", 20000), "not invited");
	body = sthelp_wait_message(&w.ra, w.sg, w.bot.account.user_id, "hoort bij het account", 30000);
	cr_assert_not_null(body, "the stuurgroep never heard which account it is");
	cr_assert_not_null(strstr(body, u.user_id), "%s", body);
	free(body);
	free(wait_state(&w, status, "", "linked", 30000));
	/* Linked, the data lives with the bot: the status link deletes nothing
	 * any more (!vergeetmij does), so it does not pretend to. Not even when
	 * web.db says so. */
	snprintf(url, sizeof url, "%s%.*s/wissen", w.base, (int)strcspn(status, "?"), status);
	snprintf(post, sizeof post, "lang=nl&token=%s", deltoken);
	http(url, cookie, post, &a);
	cr_assert_eq(a.status, 409, "a linked application was deleted from the status link: %ld", a.status);
	cr_assert_not_null(strstr(a.body, "!vergeetmij"), "%s", a.body);
	free(a.body);
	webdb_exec(w.webdir, "UPDATE web_apps SET delete_asked = 1 WHERE state = 'linked'");
	free(wait_state(&w, status, "", "linked", 30000));
	/* Single use: the code does nothing a second time. */
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, code), "ken ik niet");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!mijngegevens"), "Piet");

	free(deltoken);
	free(regtoken);
	free(code);
	free(dm);
	free(zuid);
	sthelp_resident_done(&r);
	world_end(&w);
}

Test(web, waiting_list_deleted_from_the_status_link_and_hostile_input, .timeout = 300)
{
	world w;
	http_answer a;
	char cookie[200], status[300], url[400], post[600], path[450], localpart[64], *token, *page, *big, *dm;
	char *regtoken;
	int i, limited = 0;

	world_start(&w, STRUCTURE_FULL_NOORD);
	open_form(&w, cookie, sizeof cookie, &token);
	send_form(&w, cookie, token, "naam=Els+Wis&adres=Noord&volwassen=ja&akkoord=ja", &a);
	cr_assert_eq(a.status, 303, "%ld %s", a.status, a.body);
	snprintf(status, sizeof status, "%s", a.location);
	free(a.body);
	free(token);
	free(wait_state(&w, status, "", "open", 30000));
	/* The cap holds: a full wijkgroep puts the web applicant on the waiting list. */
	sthelp_expect(sthelp_ask(&w.ra, &w.bot, w.sg, "!toelaten 1"), "wachtlijst");
	page = wait_state(&w, status, cookie, "waiting", 30000);
	token = field(page, "token");
	free(page);
	/* Deleting needs the page's token and the same browser. */
	snprintf(url, sizeof url, "%s%.*s/wissen", w.base, (int)strcspn(status, "?"), status);
	snprintf(post, sizeof post, "lang=nl&token=%s", token);
	http(url, "", post, &a);
	cr_assert_eq(a.status, 403, "deleted without the session: %ld", a.status);
	free(a.body);
	http(url, cookie, post, &a);
	cr_assert_eq(a.status, 303, "%ld %s", a.status, a.body);
	free(a.body);
	free(token);
	free(wait_state(&w, status, "", "deleted", 30000));
	cr_assert_not_null(itest_wait_log_line(&w.bot, "was deleted by its applicant", 1, 20000));
	/* Gone from every table of both databases, and from web.db's bytes. */
	snprintf(path, sizeof path, "%s/data/buurtbot.db", w.bot.dir);
	cr_assert_eq(rows_holding(path, "Els Wis"), 0, "the bot's store still holds the deleted application");
	snprintf(path, sizeof path, "%s/web.db", w.webdir);
	cr_assert_eq(rows_holding(path, "Els Wis"), 0, "web.db still holds the deleted application");
	webdb_exec(w.webdir, "PRAGMA wal_checkpoint(TRUNCATE)");
	cr_assert(!file_holds(path, "Els Wis"), "web.db's file still holds the deleted answers");

	/* web.db is the internet's side: what is written into it straight is
	 * checked again. A phone the form never takes, an answer of 200 kB,
	 * a row id no website makes. */
	webdb_exec(w.webdir, "INSERT INTO web_apps (id, status_hash, wijk, data, created, updated) VALUES "
		   "(1000, 'h1000', 'dorp', '{\"versie\":1,\"stap\":\"klaar\",\"naam\":\"Nep Naam\",\"adres\":\"1235\","
		   "\"wijkgroep\":\"zuid\",\"buurt\":\"Zuid\",\"telefoon\":\"<b>112</b>\",\"volwassen\":true,"
		   "\"spelregels\":\"0a1b2c3d\"}', 1, 1),"
		   "(1001, 'h1001', 'dorp', '{\"versie\":1,\"naam\":\"' || hex(zeroblob(100000)) || '\"}', 1, 1),"
		   "(-5, 'h-5', 'dorp', '{\"versie\":1,\"stap\":\"klaar\",\"naam\":\"Min Vijf\",\"adres\":\"1235\","
		   "\"wijkgroep\":\"zuid\",\"buurt\":\"Zuid\",\"telefoon\":\"\",\"volwassen\":true,"
		   "\"spelregels\":\"0a1b2c3d\"}', 1, 1)");
	cr_assert(webdb_state_is(w.webdir, 1000, "deleted", 20000), "a forged phone number was taken");
	cr_assert(webdb_state_is(w.webdir, 1001, "deleted", 20000), "a 200 kB answer was taken");
	cr_assert(webdb_state_is(w.webdir, -5, "new", 0), "a row with id -5 was taken");

	/* Admitted, then deleted: the registration token it showed no longer works. */
	open_form(&w, cookie, sizeof cookie, &token);
	send_form(&w, cookie, token, "naam=Kees+Weg&adres=1235&volwassen=ja&akkoord=ja", &a);
	cr_assert_eq(a.status, 303, "%ld %s", a.status, a.body);
	snprintf(status, sizeof status, "%s", a.location);
	free(a.body);
	free(token);
	free(wait_state(&w, status, "", "open", 30000));
	free(sthelp_ask(&w.ra, &w.bot, w.sg, "!toelaten 2"));
	for (page = wait_state(&w, status, cookie, "admitted", 30000); !strstr(page, "id=\"regtoken\"");
	     page = wait_state(&w, status, cookie, "admitted", 30000)) {
		free(page);
		itest_sleep_ms(300);
	}
	regtoken = element(page, "regtoken");
	token = field(page, "token");
	free(page);
	cr_assert(regtoken && regtoken[0] && token);
	snprintf(url, sizeof url, "%s%.*s/wissen", w.base, (int)strcspn(status, "?"), status);
	snprintf(post, sizeof post, "lang=nl&token=%s", token);
	http(url, cookie, post, &a);
	cr_assert_eq(a.status, 303, "%ld %s", a.status, a.body);
	free(a.body);
	free(token);
	cr_assert_not_null(itest_wait_log_line(&w.bot, "was deleted by its applicant", 2, 20000));
	snprintf(localpart, sizeof localpart, "weg%d", (int)getpid());
	cr_assert_neq(register_with_token(localpart, "wachtwoord-123", regtoken), 200,
		      "the token of a deleted application still registers an account");
	free(regtoken);

	/* Guessing codes in the chat meets a limit; past it even a code's form is refused. */
	dm = sthelp_open_dm(&w.ra, &w.bot);
	for (i = 0; i < 5; i++)
		sthelp_expect(sthelp_ask(&w.ra, &w.bot, dm, "2BCD-EFG3"), "ken ik niet");
	sthelp_expect(sthelp_ask(&w.ra, &w.bot, dm, "2BCD-EFG4"), "verkeerde code");
	free(dm);

	/* An overlong name, a body past the cap, a forged token. */
	open_form(&w, cookie, sizeof cookie, &token);
	big = malloc(20000);
	memset(big, 'a', 19999);
	big[19999] = '\0';
	snprintf(post, sizeof post, "naam=%.300s&adres=1235&volwassen=ja&akkoord=ja", big);
	send_form(&w, cookie, token, post, &a);
	cr_assert_eq(a.status, 422, "an overlong name was taken: %ld", a.status);
	cr_assert_not_null(strstr(a.body, "e-naam"), "no word at the name");
	free(a.body);
	memcpy(big, "naam=", 5);
	send_form(&w, cookie, token, big, &a);
	cr_assert_eq(a.status, 413, "a 20 kB body: %ld", a.status);
	free(a.body);
	/* A body announced past the cap is refused at once, not read first. */
	cr_assert_eq(raw_status(w.base, "POST /wijk/dorp HTTP/1.1\r\nHost: x\r\nContent-Type: "
				"application/x-www-form-urlencoded\r\nContent-Length: 1000000000\r\n\r\nnaam="),
		     413, "a 1 GB body was waited for");
	free(big);
	send_form(&w, cookie, "0123456789abcdef0123456789abcdef.1.00", "naam=X+Y&adres=1235&volwassen=ja&akkoord=ja", &a);
	cr_assert_eq(a.status, 403, "a forged token: %ld", a.status);
	free(a.body);
	free(token);
	snprintf(url, sizeof url, "%s/status/%064d", w.base, 0);
	http(url, "", NULL, &a);
	cr_assert_eq(a.status, 404, "an unknown status link: %ld", a.status);
	free(a.body);

	/* A flood from one address meets the limit (30 posts in 10 minutes). */
	snprintf(url, sizeof url, "%s/wijk/dorp", w.base);
	for (i = 0; i < 40 && !limited; i++) {
		http(url, cookie, "naam=x", &a);
		limited = a.status == 429;
		free(a.body);
	}
	cr_assert(limited, "40 posts from one address were all answered");
	world_end(&w);
}
