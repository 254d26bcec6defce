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
	itest_user_register(u, localpart, "voorbeeld-wachtwoord");
}

/* The room id the bot stored for key (caller frees), or NULL; *readable
 * is 0 when the store could not be read (then NULL says nothing). */
static char *lookup(const itest_bot *b, const char *key, int *readable)
{
	char path[400];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *id = NULL;
	int rc = SQLITE_ERROR;

	snprintf(path, sizeof path, "%s/data/buurtbot.db", b->dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 2000);
		if (sqlite3_prepare_v2(db, "SELECT room_id FROM structure_rooms WHERE key = ?", -1, &st, NULL) ==
		    SQLITE_OK) {
			sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW)
				id = strdup((const char *)sqlite3_column_text(st, 0));
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	*readable = rc == SQLITE_ROW || rc == SQLITE_DONE;
	return id;
}

char *sthelp_room_of(const itest_bot *b, const char *key)
{
	int readable;
	char *id = lookup(b, key, &readable);

	cr_assert_not_null(id, "no room for %s", key);
	return id;
}

int sthelp_has_room(const itest_bot *b, const char *key)
{
	int readable = 0, has = 0, tries;

	for (tries = 0; tries < 5 && !readable; tries++) {
		char *id = lookup(b, key, &readable);

		has = id != NULL;
		free(id);
	}
	cr_assert(readable, "the bot's store could not be read (looking for the room of %s)", key);
	return has;
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
		int readable;

		id = lookup(b, key, &readable);
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

static const char *str_of(const cJSON *ev, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(ev, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first (oldest) of the last 60 events of sender in room (as r reads
 * them) whose body contains needle, waited for up to timeout_ms: the
 * event's field `field` (caller frees), or NULL. */
static char *wait_field(resident *r, const char *room, const char *sender, const char *needle, long timeout_ms,
			const char *field)
{
	char args[600];
	long end = itest_now_ms() + timeout_ms;

	snprintf(args, sizeof args, "read '%s' --limit 60", room);
	do {
		cJSON *j = resident_run(r, args, 1);
		const cJSON *ev;
		char *out = NULL;

		cJSON_ArrayForEach(ev, cJSON_GetObjectItem(j, "events")) {
			const char *s = str_of(ev, "sender"), *body = str_of(ev, "body"), *v = str_of(ev, field);

			if (!out && s && strcmp(s, sender) == 0 && body && strstr(body, needle) && v)
				out = strdup(v);
		}
		cJSON_Delete(j);
		if (out)
			return out;
		nap_ms(1000);
	} while (itest_now_ms() < end);
	return NULL;
}

char *sthelp_wait_message(resident *r, const char *room, const char *sender, const char *needle,
			  long timeout_ms)
{
	return wait_field(r, room, sender, needle, timeout_ms, "body");
}

char *sthelp_wait_event(resident *r, const char *room, const char *sender, const char *needle, long timeout_ms)
{
	return wait_field(r, room, sender, needle, timeout_ms, "event_id");
}

char *sthelp_marker(resident *r, const char *room)
{
	static int n;
	char args[600];
	cJSON *j;
	char *id;

	/* --key-wait 0: only r needs to read it back, and only its id. */
	snprintf(args, sizeof args, "send '%s' 'markering %d-%d-%ld' --notice --key-wait 0", room, (int)getpid(), ++n,
		 itest_now_ms());
	j = resident_run(r, args, 0);
	id = json_str(j, "event_id");
	cJSON_Delete(j);
	return id;
}


/* One read from `from` on: the count, the matching events added to
 * found, and how many of sender's events could not be decrypted. */
static int count_once(resident *r, const char *room, const char *from, const char *to, const char *sender,
		      const char *needle, cJSON *found, int *undecryptable)
{
	char args[800];
	cJSON *j;
	const cJSON *ev;
	int on = 0, closed = 0, n = 0;

	*undecryptable = 0;
	/* resident.py fails (and so the test) when from is not found. */
	snprintf(args, sizeof args, "read '%s' --since '%s'", room, from);
	j = resident_run(r, args, 0);
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(j, "events")) {
		const char *id = str_of(ev, "event_id"), *s = str_of(ev, "sender"), *type = str_of(ev, "type");
		const char *body = str_of(ev, "body");

		if (!on) {
			on = id && strcmp(id, from) == 0;
			continue;
		}
		if (to && id && strcmp(id, to) == 0) {
			closed = 1;
			break;
		}
		if (!s || strcmp(s, sender) != 0)
			continue;
		if (type && strcmp(type, "m.room.encrypted") == 0 && !cJSON_IsTrue(cJSON_GetObjectItem(ev, "redacted"))) {
			(*undecryptable)++;
			continue;
		}
		if (needle && (!body || !strstr(body, needle)))
			continue;
		n++;
		cJSON_AddItemToArray(found, cJSON_Duplicate(ev, 1));
	}
	cJSON_Delete(j);
	cr_assert(on, "the marker %s is not the first event read from %s", from, room);
	cr_assert(!to || closed, "the event %s is not after the marker %s in %s", to, from, room);
	return n;
}

int sthelp_count_between(resident *r, const char *room, const char *from, const char *to, const char *sender,
			 const char *needle, cJSON **out)
{
	cJSON *found = NULL;
	int n = 0, undecryptable = 0, tries;

	/* A room key can come a little after its message; then read again. */
	for (tries = 0; tries < 10; tries++) {
		cJSON_Delete(found);
		found = cJSON_CreateArray();
		n = count_once(r, room, from, to, sender, needle, found, &undecryptable);
		if (!undecryptable)
			break;
		nap_ms(2000);
	}
	cr_assert_eq(undecryptable, 0, "%d event(s) of %s after %s in %s cannot be decrypted, so not counted",
		     undecryptable, sender, from, room);
	if (out)
		*out = found;
	else
		cJSON_Delete(found);
	return n;
}

int sthelp_count_settled(resident *r, const char *room, const char *from, const char *sender, const char *needle,
			 int want, long timeout_ms, cJSON **out)
{
	long end = itest_now_ms() + timeout_ms;
	char *closing;
	int n;

	while (itest_now_ms() < end && sthelp_count_between(r, room, from, NULL, sender, needle, NULL) != want)
		nap_ms(1000);
	nap_ms(STHELP_SETTLE_MS);
	closing = sthelp_marker(r, room);
	n = sthelp_count_between(r, room, from, closing, sender, needle, out);
	free(closing);
	return n;
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

void sthelp_join(resident *r, const char *room)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "join '%s'", room);
	cJSON_Delete(resident_run(r, cmd, 0));
}

char *sthelp_send_rel(resident *r, const char *room, const char *text, const char *to, const char *thread, int react)
{
	char cmd[1400], *ev;
	cJSON *j;

	snprintf(cmd, sizeof cmd, "send '%s' '%s'%s%s%s%s%s%s%s", room, text, to ? " --reply-to '" : "", to ? to : "",
		 to ? "'" : "", thread ? " --thread-root '" : "", thread ? thread : "", thread ? "'" : "",
		 react ? " --react" : "");
	j = resident_run(r, cmd, 0);
	ev = json_str(j, "event_id");
	cJSON_Delete(j);
	return ev;
}

char *sthelp_open_dm(resident *r, const itest_bot *bot)
{
	char cmd[600], *room;
	cJSON *j;

	snprintf(cmd, sizeof cmd, "create-room --direct --invite '%s'", bot->account.user_id);
	j = resident_run(r, cmd, 0);
	room = json_str(j, "room_id");
	cJSON_Delete(j);
	cr_assert(itest_wait_membership(&r->u, room, bot->account.user_id, "join", 30000),
		  "the bot did not join the resident's direct chat");
	return room;
}

void sthelp_admit(resident *sm, itest_bot *bot, const char *sg, resident *r, const char *wijkgroep,
		  const char *room)
{
	char cmd[600], *ev;

	snprintf(cmd, sizeof cmd, "!lid toevoegen %.255s %.100s", r->u.user_id, wijkgroep);
	ev = resident_send(sm, sg, cmd);
	sthelp_expect(bot_reply(sm, bot, sg, ev), "is uitgenodigd");
	free(ev);
	cr_assert(itest_wait_membership(&bot->account, room, r->u.user_id, "invite", 15000));
	sthelp_join(r, room);
}

void sthelp_sign_up(resident *r, itest_bot *bot, const char *dm, const char *name, const char *postcode)
{
	sthelp_expect(sthelp_ask(r, bot, dm, "hallo"), "Wat is je naam?");
	sthelp_expect(sthelp_ask(r, bot, dm, name), "postcode");
	sthelp_expect(sthelp_ask(r, bot, dm, postcode), "Dat is buurt");
	sthelp_expect(sthelp_ask(r, bot, dm, "nee"), "18 jaar");
	sthelp_expect(sthelp_ask(r, bot, dm, "ja"), "akkoord");
	sthelp_expect(sthelp_ask(r, bot, dm, "akkoord"), "ligt nu bij de stuurgroep");
}

void sthelp_start_with_structure(itest_bot *b, const char *json, char *file, size_t size)
{
	sthelp_structure_file(b, "dorp.json", json, file, size);
	itest_bot_start(b);
	free(sthelp_wait_reconciled(b, 1));
}
