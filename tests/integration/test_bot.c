/* Integration tests: the real bot against the real Synapse. Each test uses
 * its own accounts, rooms and bot process, so tests may run in parallel. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "itest.h"

#define JOIN_TIMEOUT_MS 20000
#define REPLY_TIMEOUT_MS 30000

/* A running bot that `admin` invited into a fresh room. */
typedef struct fixture {
	itest_user admin;
	itest_bot bot;
	char *room;
} fixture;

static void fixture_up(fixture *f, const char *extra_conf)
{
	itest_user_new(&f->admin, "admin");
	itest_bot_setup(&f->bot, f->admin.user_id, extra_conf);
	itest_bot_start(&f->bot);
	f->room = itest_create_room(&f->admin, "testgroep");
	itest_invite(&f->admin, f->room, f->bot.account.user_id);
	if (!itest_wait_membership(&f->admin, f->room, f->bot.account.user_id, "join", JOIN_TIMEOUT_MS)) {
		itest_bot_dump_log(&f->bot);
		cr_assert_fail("bot did not join after the admin's invite");
	}
}

static void fixture_down(fixture *f)
{
	itest_bot_cleanup(&f->bot);
	itest_user_free(&f->admin);
	free(f->room);
}

/* Exactly `want` replies per event: waits for them, then a little longer
 * so a late duplicate would be seen too. */
static void expect_replies(fixture *f, char **ids, size_t n, int want)
{
	cJSON *msgs;
	size_t i;

	if (!itest_wait_replies(&f->admin, f->room, f->bot.account.user_id, ids, n, want,
				REPLY_TIMEOUT_MS + (long)n * 1000)) {
		itest_bot_dump_log(&f->bot);
		cr_assert_fail("not every message got its reply");
	}
	itest_sleep_ms(2000);
	msgs = itest_messages(&f->admin, f->room, (int)(n * 3 + 50));
	for (i = 0; i < n; i++)
		cr_assert_eq(itest_count_replies(msgs, f->bot.account.user_id, ids[i]), want,
			     "message %zu (%s) has %d replies, want %d", i, ids[i],
			     itest_count_replies(msgs, f->bot.account.user_id, ids[i]), want);
	cJSON_Delete(msgs);
}

Test(session, login_and_whoami)
{
	itest_user u;
	mx_client *c;
	mx_client_options o;
	mx_login_result res = { 0 };
	mx_error err;
	char *user = NULL, *device = NULL;

	itest_user_new(&u, "login");
	memset(&o, 0, sizeof o);
	o.homeserver_url = itest_env("BUURTBOT_TEST_HS_URL");
	o.retry.max_attempts = 3;
	o.retry.base_delay_ms = 100;
	o.retry.max_delay_ms = 1000;
	cr_assert_eq(mx_client_new(&c, &o, &err), MX_OK);
	cr_assert_eq(mx_login_password(c, u.user_id, u.password, "ITESTDEV", "itest", &res), MX_OK,
		     "%s", mx_client_last_error(c)->message);
	cr_assert_str_eq(res.device_id, "ITESTDEV");
	cr_assert_eq(mx_whoami(c, &user, &device), MX_OK);
	cr_assert_str_eq(user, u.user_id);
	cr_assert_str_eq(device, "ITESTDEV");

	/* A wrong password is a clear refusal, not a retry loop. */
	cr_assert_eq(mx_login_password(c, u.user_id, "wrong", NULL, NULL, &res), MX_ERR_REQUEST);
	cr_assert_str_eq(mx_client_last_error(c)->errcode, "M_FORBIDDEN");
	/* A rejected token is reported as such. */
	mx_client_set_token(c, "not-a-token");
	free(user);
	free(device);
	user = device = NULL;
	cr_assert_eq(mx_whoami(c, &user, &device), MX_ERR_AUTH);
	mx_login_result_clear(&res);
	mx_client_free(c);
	itest_user_free(&u);
}

Test(invites, joins_for_admin_and_declines_stranger)
{
	fixture f;
	itest_user stranger;
	char *room;

	fixture_up(&f, NULL);
	itest_user_new(&stranger, "stranger");
	room = itest_create_room(&stranger, "vreemd");
	itest_invite(&stranger, room, f.bot.account.user_id);
	if (!itest_wait_membership(&stranger, room, f.bot.account.user_id, "leave", JOIN_TIMEOUT_MS)) {
		itest_bot_dump_log(&f.bot);
		cr_assert_fail("the stranger's invite was not declined");
	}
	free(room);
	itest_user_free(&stranger);
	fixture_down(&f);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 22);
	size_t n;

	cr_assert_not_null(f);
	n = fread(buf, 1, (1 << 22) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

Test(commands, ping_gets_exactly_one_reply)
{
	fixture f;
	char *ids[1], *token, *log;

	fixture_up(&f, NULL);
	ids[0] = itest_send_text(&f.admin, f.room, "!ping");
	expect_replies(&f, ids, 1, 1);
	/* Secrets stay out of the (debug) log. */
	token = itest_bot_stored_token(&f.bot, 1);
	cr_assert_not_null(token);
	log = read_all(f.bot.log);
	cr_assert_null(strstr(log, token), "access token in the log");
	cr_assert_null(strstr(log, f.bot.account.password), "password in the log");
	free(log);
	free(token);
	free(ids[0]);
	fixture_down(&f);
}

Test(commands, help_and_unknown_are_answered_in_dutch)
{
	fixture f;
	char *ids[2];
	cJSON *msgs, *ev;
	int saw_help = 0, saw_unknown = 0;

	fixture_up(&f, NULL);
	ids[0] = itest_send_text(&f.admin, f.room, "!help");
	ids[1] = itest_send_text(&f.admin, f.room, "!bestaatniet");
	expect_replies(&f, ids, 2, 1);
	msgs = itest_messages(&f.admin, f.room, 50);
	cJSON_ArrayForEach(ev, msgs) {
		const cJSON *c = cJSON_GetObjectItem(ev, "content");
		const cJSON *body = cJSON_GetObjectItem(c, "body");
		const cJSON *type = cJSON_GetObjectItem(c, "msgtype");
		if (!cJSON_IsString(body))
			continue;
		if (strstr(body->valuestring, "Commando's van buurtbot") && strstr(body->valuestring, "!ping")) {
			cr_assert_str_eq(type->valuestring, "m.notice");
			saw_help = 1;
		}
		if (strstr(body->valuestring, "ken ik niet") && strstr(body->valuestring, "!bestaatniet"))
			saw_unknown = 1;
	}
	cr_assert(saw_help, "no Dutch help text");
	cr_assert(saw_unknown, "no Dutch answer to an unknown command");
	cJSON_Delete(msgs);
	free(ids[0]);
	free(ids[1]);
	fixture_down(&f);
}

/* Sends raw content; returns the event id (the homeserver must accept it). */
static char *send_raw(fixture *f, const char *type, const char *json, const char *txn)
{
	cJSON *content = cJSON_Parse(json);
	char *ev = NULL;

	cr_assert_not_null(content);
	cr_assert_eq(mx_send(f->admin.c, f->room, type, txn, content, &ev), MX_OK, "%s",
		     mx_client_last_error(f->admin.c)->message);
	cJSON_Delete(content);
	return ev;
}

Test(commands, malformed_events_are_survived)
{
	fixture f;
	char *ids[3];

	fixture_up(&f, NULL);
	/* Shapes no well-made client sends but Synapse relays: relations of
	 * the wrong type, and junk in a custom event type. */
	ids[0] = send_raw(&f, "m.room.message",
			  "{\"msgtype\": \"m.text\", \"body\": \"!ping\", \"m.relates_to\": 5}", "bad1");
	ids[1] = send_raw(&f, "m.room.message",
			  "{\"msgtype\": \"m.text\", \"body\": \"!ping\", "
			  "\"m.relates_to\": {\"rel_type\": \"m.thread\", \"event_id\": 7}}", "bad2");
	free(send_raw(&f, "org.example.junk", "{\"body\": [1, {\"x\": null}], \"msgtype\": 3}", "bad3"));
	ids[2] = itest_send_text(&f.admin, f.room, "!ping");
	expect_replies(&f, ids, 3, 1);
	cr_assert(itest_bot_alive(&f.bot), "the bot died");
	free(ids[0]);
	free(ids[1]);
	free(ids[2]);
	fixture_down(&f);
}

Test(lifecycle, sigterm_stops_cleanly_while_waiting)
{
	fixture f;

	fixture_up(&f, NULL);
	itest_sleep_ms(500);  /* now inside a long-polling sync */
	cr_assert_eq(itest_bot_stop(&f.bot), 0, "the bot must exit 0 on SIGTERM");
	fixture_down(&f);
}

/* The body of the bot's reply to event, or NULL (caller frees). */
static int audit_rows(const itest_bot *b, const char *command, int allowed)
{
	char path[400];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int n = -1;

	snprintf(path, sizeof path, "%s/data/buurtbot.db", b->dir);
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit_log WHERE command = ? AND allowed = ?",
					-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, command, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, allowed);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

Test(commands, operator_commands_only_for_the_operator_in_a_direct_chat, .timeout = 120)
{
	fixture f;
	itest_user anna;
	mx_create_room_opts o;
	const char *invite[2];
	char *dm = NULL, *ev, *body;

	fixture_up(&f, NULL);
	/* A resident in the group room tries an operator command. */
	itest_user_new(&anna, "anna");
	itest_invite(&f.admin, f.room, anna.user_id);
	cr_assert_eq(mx_join(anna.c, f.room, NULL), MX_OK);
	ev = itest_send_text(&anna, f.room, "!herlaad");
	body = itest_reply_body(&anna, f.room, f.bot.account.user_id, ev, REPLY_TIMEOUT_MS);
	cr_assert_not_null(body, "no answer to a refused command");
	cr_assert_not_null(strstr(body, "alleen de beheerder"), "%s", body);
	free(body);
	free(ev);
	cr_assert_eq(audit_rows(&f.bot, "!herlaad", 0), 1, "the refusal is not in the audit log");

	/* The operator in a direct chat gets the status. */
	invite[0] = f.bot.account.user_id;
	invite[1] = NULL;
	memset(&o, 0, sizeof o);
	o.preset = "trusted_private_chat";
	o.is_direct = 1;
	o.invite = invite;
	cr_assert_eq(mx_create_room(f.admin.c, &o, &dm), MX_OK);
	cr_assert(itest_wait_membership(&f.admin, dm, f.bot.account.user_id, "join", JOIN_TIMEOUT_MS));
	ev = itest_send_text(&f.admin, dm, "!status");
	body = itest_reply_body(&f.admin, dm, f.bot.account.user_id, ev, REPLY_TIMEOUT_MS);
	cr_assert_not_null(body, "no status");
	cr_assert_not_null(strstr(body, "buurtbot 0.1.0"), "%s", body);
	free(body);
	free(ev);
	cr_assert_eq(audit_rows(&f.bot, "!status", 1), 1);
	free(dm);
	itest_user_free(&anna);
	fixture_down(&f);
}
