/* sthelp.c: see sthelp.h. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sthelp.h"

void sthelp_example_user(itest_user *u, const char *localpart)
{
	char args[256], out[4096];
	cJSON *j;

	memset(u, 0, sizeof *u);
	snprintf(u->password, sizeof u->password, "voorbeeld-wachtwoord");
	snprintf(args, sizeof args, "register %s %s", localpart, u->password);
	cr_assert_eq(itest_harness(args, out, sizeof out), 0, "%s", out);
	j = cJSON_Parse(out);
	snprintf(u->user_id, sizeof u->user_id, "%s", cJSON_GetObjectItem(j, "user_id")->valuestring);
	snprintf(u->token, sizeof u->token, "%s", cJSON_GetObjectItem(j, "access_token")->valuestring);
	u->c = itest_user_client(u);
	cJSON_Delete(j);
}

static char *lookup(const itest_bot *b, const char *key)
{
	char path[400];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *id = NULL;

	snprintf(path, sizeof path, "%s/data/buurtbot.db", b->dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_prepare_v2(db, "SELECT room_id FROM structure_rooms WHERE key = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return id;
}

char *sthelp_room_of(const itest_bot *b, const char *key)
{
	char *id = lookup(b, key);

	cr_assert_not_null(id, "no room for %s", key);
	return id;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

char *sthelp_wait_room(const itest_bot *b, const char *key, long timeout_ms)
{
	long waited;
	char *id = NULL;

	for (waited = 0; waited <= timeout_ms && !id; waited += 250) {
		id = lookup(b, key);
		if (!id)
			nap_ms(250);
	}
	return id;
}

char *sthelp_wait_reconciled(const itest_bot *b, int nth)
{
	char *line = itest_wait_log_line(b, "room(s) created", nth, 90000);

	if (!line) {
		itest_bot_dump_log(b);
		cr_assert_fail("the bot never finished reconciling");
	}
	return line;
}

char *sthelp_wait_message(resident *r, const char *room, const char *sender, const char *needle,
			  long timeout_ms)
{
	char args[600];
	time_t end = time(NULL) + (timeout_ms + 999) / 1000;

	snprintf(args, sizeof args, "read '%s' --limit 40", room);
	do {
		cJSON *j = resident_run(r, args, 1);
		const cJSON *ev;

		cJSON_ArrayForEach(ev, cJSON_GetObjectItem(j, "events")) {
			const cJSON *s = cJSON_GetObjectItem(ev, "sender"), *body = cJSON_GetObjectItem(ev, "body");

			if (cJSON_IsString(s) && strcmp(s->valuestring, sender) == 0 && cJSON_IsString(body) &&
			    strstr(body->valuestring, needle)) {
				char *out = strdup(body->valuestring);
				cJSON_Delete(j);
				return out;
			}
		}
		cJSON_Delete(j);
		nap_ms(1000);
	} while (time(NULL) < end);
	return NULL;
}

void sthelp_structure_file(itest_bot *b, const char *name, const char *json, char *buf, size_t size)
{
	FILE *f;

	snprintf(buf, size, "%s/%s", b->dir, name);
	f = fopen(buf, "w");
	cr_assert_not_null(f);
	fputs(json, f);
	fclose(f);
	f = fopen(b->conf, "a");
	cr_assert_not_null(f);
	fprintf(f, "structure_file = %s\n", buf);
	fclose(f);
}

char *sthelp_ask(resident *r, itest_bot *bot, const char *room, const char *text)
{
	char *ev = resident_send(r, room, text), *body = bot_reply(r, bot, room, ev);

	free(ev);
	return body;
}

void sthelp_expect(char *body, const char *needle)
{
	cr_assert_not_null(body);
	cr_assert_not_null(strstr(body, needle), "\"%s\" missing in: %s", needle, body);
	free(body);
}

void sthelp_resident_done(resident *r)
{
	char cmd[400];

	mx_client_free(r->u.c);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", r->store);
	cr_assert_eq(system(cmd), 0);
}

char *sthelp_dm_room_of(const itest_bot *b, const char *user)
{
	char path[400];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *id = NULL;
	int i;

	snprintf(path, sizeof path, "%s/data/buurtbot.db", b->dir);
	for (i = 0; i < 60 && !id; i++) {
		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    sqlite3_prepare_v2(db, "SELECT room_id FROM direct_rooms WHERE user_id = ?", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				id = strdup((const char *)sqlite3_column_text(st, 0));
		}
		sqlite3_finalize(st);
		st = NULL;
		sqlite3_close(db);
		db = NULL;
		if (!id)
			sleep(1);
	}
	return id;
}
