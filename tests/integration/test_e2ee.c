/* Integration tests of end-to-end encryption with an independent client:
 * residents are matrix-nio (tests/harness/resident.py), the bot is ours.
 * The bot must read encrypted commands, answer encrypted, share its room
 * keys with whoever is in the room and no one else, survive a restart,
 * and show up as cross-signed by its owner. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"
#include "resident.h"

/* An encrypted room made by resident a with the bot in it. */
static char *encrypted_room_with_bot(resident *a, itest_bot *bot)
{
	char args[400], *room;
	cJSON *j;

	snprintf(args, sizeof args, "create-room --name versleuteld --invite '%s'", bot->account.user_id);
	j = resident_run(a, args, 0);
	room = json_str(j, "room_id");
	cJSON_Delete(j);
	if (!itest_wait_membership(&a->u, room, bot->account.user_id, "join", 20000)) {
		itest_bot_dump_log(bot);
		cr_assert_fail("the bot did not join the encrypted room");
	}
	return room;
}

/* The session id of the newest encrypted event from sender, as stored. */
static char *last_session_of(itest_user *u, const char *room, const char *sender)
{
	cJSON *msgs = itest_messages(u, room, 50), *ev;
	char *sid = NULL;

	cJSON_ArrayForEach(ev, msgs) {
		const cJSON *s = cJSON_GetObjectItem(ev, "sender");
		const cJSON *c = cJSON_GetObjectItem(ev, "content");
		const cJSON *id = cJSON_GetObjectItem(c, "session_id");
		if (cJSON_IsString(s) && strcmp(s->valuestring, sender) == 0 && cJSON_IsString(id)) {
			free(sid);
			sid = strdup(id->valuestring);
		}
	}
	cJSON_Delete(msgs);
	return sid;
}

Test(e2ee, encrypted_ping_gets_encrypted_reply_and_bot_is_cross_signed, .timeout = 180)
{
	resident a;
	itest_bot bot;
	char *room, *ev, *body, args[400];
	cJSON *trust;
	const cJSON *dev;

	resident_new(&a, "anna");
	itest_bot_setup(&bot, a.u.user_id, NULL);
	itest_bot_start(&bot);
	room = encrypted_room_with_bot(&a, &bot);
	ev = resident_send(&a, room, "!ping");
	body = bot_reply(&a, &bot, room, ev);
	cr_assert_str_eq(body, "pong: ik ben er.");

	snprintf(args, sizeof args, "device-trust '%s'", bot.account.user_id);
	trust = resident_run(&a, args, 0);
	dev = cJSON_GetArrayItem(cJSON_GetObjectItem(trust, "devices"), 0);
	cr_assert_not_null(dev, "the bot has no device keys");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(dev, "self_signed_ok")));
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(dev, "cross_signed_by_owner")),
		  "the bot's device is not cross-signed by its owner");
	cJSON_Delete(trust);
	free(body);
	free(ev);
	free(room);
	itest_bot_cleanup(&bot);
	resident_free(&a);
}

/* Whether resident r holds room key sid for room, after syncing for up
 * to wait_s seconds until it holds at least want keys of the room. */
static int holds_room_key(resident *r, const char *room, const char *sid, int want, int wait_s)
{
	char args[600];
	cJSON *j;
	const cJSON *s;
	int found = 0;

	snprintf(args, sizeof args, "room-keys '%s' --want %d --wait %d", room, want, wait_s);
	j = resident_run(r, args, 0);
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(j, "sessions"))
		if (cJSON_IsString(s) && (!sid || strcmp(s->valuestring, sid) == 0))
			found++;
	cJSON_Delete(j);
	return found;
}

Test(e2ee, later_joiner_reads_and_leaver_gets_new_session, .timeout = 240)
{
	resident a, b;
	itest_bot bot;
	char *room, *ev1, *ev2, *ev3, *body, *sid_before, *sid_after, args[400];

	resident_new(&a, "anna");
	resident_new(&b, "bert");
	itest_bot_setup(&bot, a.u.user_id, NULL);
	itest_bot_start(&bot);
	room = encrypted_room_with_bot(&a, &bot);
	ev1 = resident_send(&a, room, "!ping");
	free(bot_reply(&a, &bot, room, ev1));

	/* B joins later and can read the bot's next message. */
	snprintf(args, sizeof args, "invite '%s' '%s'", room, b.u.user_id);
	cJSON_Delete(resident_run(&a, args, 0));
	snprintf(args, sizeof args, "join '%s'", room);
	cJSON_Delete(resident_run(&b, args, 0));
	/* Shared ahead: the bot's room key reaches B after the join, before
	 * any message needs it (nobody else sends meanwhile). */
	cr_assert_geq(holds_room_key(&b, room, NULL, 1, 20), 1, "the bot did not share its room key on B's join");
	ev2 = resident_send(&b, room, "!ping");
	body = bot_reply(&b, &bot, room, ev2);
	cr_assert_str_eq(body, "pong: ik ben er.");
	free(body);
	sid_before = last_session_of(&a.u, room, bot.account.user_id);
	cr_assert_not_null(sid_before);
	cr_assert_eq(holds_room_key(&b, room, sid_before, 0, 0), 1,
		     "the key of the bot's answer was not the one shared on B's join");

	/* B leaves: the bot's next message is under a new session. */
	snprintf(args, sizeof args, "leave '%s'", room);
	cJSON_Delete(resident_run(&b, args, 0));
	itest_sleep_ms(1000);
	ev3 = resident_send(&a, room, "!ping");
	body = bot_reply(&a, &bot, room, ev3);
	cr_assert_str_eq(body, "pong: ik ben er.");
	sid_after = last_session_of(&a.u, room, bot.account.user_id);
	cr_assert_not_null(sid_before);
	cr_assert_not_null(sid_after);
	cr_assert_str_neq(sid_before, sid_after, "the bot kept its room key after a member left");
	/* The new key went to those who stayed, not to B. */
	cr_assert_eq(holds_room_key(&b, room, sid_after, 0, 0), 0, "the member who left got the new room key");
	cr_assert_eq(holds_room_key(&a, room, sid_after, 0, 0), 1, "the member who stayed lacks the new room key");

	free(body);
	free(sid_before);
	free(sid_after);
	free(ev1);
	free(ev2);
	free(ev3);
	free(room);
	itest_bot_cleanup(&bot);
	resident_free(&a);
	resident_free(&b);
}

Test(e2ee, bot_restart_keeps_decrypting_and_encrypting, .timeout = 180)
{
	resident a;
	itest_bot bot;
	char *room, *ev1, *ev2, *body;

	resident_new(&a, "anna");
	itest_bot_setup(&bot, a.u.user_id, NULL);
	itest_bot_start(&bot);
	room = encrypted_room_with_bot(&a, &bot);
	ev1 = resident_send(&a, room, "!ping");
	free(bot_reply(&a, &bot, room, ev1));
	cr_assert_eq(itest_bot_stop(&bot), 0);
	/* Sent while the bot is down; read after its restart. */
	ev2 = resident_send(&a, room, "!help");
	itest_bot_start(&bot);
	body = bot_reply(&a, &bot, room, ev2);
	cr_assert_not_null(strstr(body, "!ping"), "help text expected, got: %s", body);
	free(body);
	free(ev1);
	free(ev2);
	free(room);
	itest_bot_cleanup(&bot);
	resident_free(&a);
}

Test(e2ee, wrong_pickle_key_stops_start_up, .timeout = 120)
{
	resident a;
	itest_bot bot;
	char path[400], *room, *ev;
	FILE *f;
	int status;

	resident_new(&a, "anna");
	itest_bot_setup(&bot, a.u.user_id, NULL);
	itest_bot_start(&bot);
	room = encrypted_room_with_bot(&a, &bot);
	ev = resident_send(&a, room, "!ping");
	free(bot_reply(&a, &bot, room, ev));
	cr_assert_eq(itest_bot_stop(&bot), 0);
	snprintf(path, sizeof path, "%s/pickle-key", bot.dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("not-the-key\n", f);
	fclose(f);
	itest_bot_start(&bot);
	itest_sleep_ms(3000);
	cr_assert_not(itest_bot_alive(&bot), "the bot must not run with a wrong pickle key");
	status = itest_bot_stop(&bot);
	(void)status;
	{
		FILE *log = fopen(bot.log, "r");
		static char buf[1 << 20];
		size_t n = fread(buf, 1, sizeof buf - 1, log);
		buf[n] = '\0';
		fclose(log);
		cr_assert_not_null(strstr(buf, "pickle key"), "no clear message about the pickle key");
	}
	free(ev);
	free(room);
	bot.pid = 0;
	itest_bot_cleanup(&bot);
	resident_free(&a);
}

/* The bot's master cross-signing key as the homeserver publishes it. */
static char *master_key_of(itest_user *u, const char *user_id)
{
	cJSON *q = cJSON_CreateObject(), *resp = NULL;
	const cJSON *keys;
	char *out = NULL;

	cJSON_AddItemToObject(cJSON_AddObjectToObject(q, "device_keys"), user_id, cJSON_CreateArray());
	cr_assert_eq(mx_request(u->c, "POST", "/_matrix/client/v3/keys/query", q, 0, &resp), MX_OK);
	keys = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(resp, "master_keys"), user_id), "keys");
	if (keys && keys->child && cJSON_IsString(keys->child))
		out = strdup(keys->child->valuestring);
	cJSON_Delete(q);
	cJSON_Delete(resp);
	return out;
}

static int run_capture(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int st;

	cr_assert_not_null(p);
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(e2ee, recovery_key_restores_cross_signing_into_a_new_store, .timeout = 180)
{
	resident a;
	itest_bot bot;
	char *room, *ev, *master1, *master2, cmd[800], out[4096], args[400], *key;
	cJSON *trust;
	const cJSON *dev;
	int all_signed = 1;

	resident_new(&a, "anna");
	itest_bot_setup(&bot, a.u.user_id, NULL);
	itest_bot_start(&bot);
	room = encrypted_room_with_bot(&a, &bot);
	ev = resident_send(&a, room, "!ping");
	free(bot_reply(&a, &bot, room, ev));
	free(ev);
	cr_assert_eq(itest_bot_stop(&bot), 0);
	master1 = master_key_of(&a.u, bot.account.user_id);
	cr_assert_not_null(master1);

	snprintf(cmd, sizeof cmd, "%s --config %s --print-recovery-key 2>&1", itest_env("BUURTBOT_BIN"), bot.conf);
	cr_assert_eq(run_capture(cmd, out, sizeof out), 0, "%s", out);
	key = strstr(out, "bbrk1-");
	cr_assert_not_null(key, "%s", out);
	key[strcspn(key, "\n")] = '\0';
	key = strdup(key);
	/* Shown only once. */
	cr_assert_neq(run_capture(cmd, out, sizeof out), 0);

	/* The store is lost; the bot starts afresh with the recovery key. */
	snprintf(cmd, sizeof cmd, "rm -rf '%s/data'", bot.dir);
	cr_assert_eq(system(cmd), 0);
	setenv("BUURTBOT_RECOVERY_KEY", key, 1);
	itest_bot_start(&bot);
	unsetenv("BUURTBOT_RECOVERY_KEY");
	ev = resident_send(&a, room, "!ping");
	free(bot_reply(&a, &bot, room, ev));
	master2 = master_key_of(&a.u, bot.account.user_id);
	cr_assert_str_eq(master1, master2, "the master key changed: recovery did not restore it");

	snprintf(args, sizeof args, "device-trust '%s'", bot.account.user_id);
	trust = resident_run(&a, args, 0);
	cr_assert_geq(cJSON_GetArraySize(cJSON_GetObjectItem(trust, "devices")), 2);
	cJSON_ArrayForEach(dev, cJSON_GetObjectItem(trust, "devices"))
		all_signed &= cJSON_IsTrue(cJSON_GetObjectItem(dev, "cross_signed_by_owner"));
	cr_assert(all_signed, "the new device is not cross-signed: %s", cJSON_PrintUnformatted(trust));
	cJSON_Delete(trust);
	free(ev);
	free(key);
	free(master1);
	free(master2);
	free(room);
	itest_bot_cleanup(&bot);
	resident_free(&a);
}

Test(e2ee, lost_encryption_store_is_reported_not_papered_over, .timeout = 120)
{
	resident a;
	itest_bot bot;
	char *room, *ev, cmd[800];
	static char log[1 << 20];
	FILE *f;
	size_t n;

	resident_new(&a, "anna");
	itest_bot_setup(&bot, a.u.user_id, NULL);
	itest_bot_start(&bot);
	room = encrypted_room_with_bot(&a, &bot);
	ev = resident_send(&a, room, "!ping");
	free(bot_reply(&a, &bot, room, ev));
	cr_assert_eq(itest_bot_stop(&bot), 0);
	/* Keys gone, session kept: the device would come back with other keys. */
	snprintf(cmd, sizeof cmd, "sqlite3 '%s/data/buurtbot.db' 'DELETE FROM crypto' 2>&1 || "
		 "python3 -c \"import sqlite3; c=sqlite3.connect('%s/data/buurtbot.db'); "
		 "c.execute('DELETE FROM crypto'); c.commit()\"", bot.dir, bot.dir);
	cr_assert_eq(system(cmd), 0);
	itest_bot_start(&bot);
	itest_sleep_ms(3000);
	cr_assert_not(itest_bot_alive(&bot), "the bot must stop when its keys do not match the server's");
	f = fopen(bot.log, "r");
	n = fread(log, 1, sizeof log - 1, f);
	log[n] = '\0';
	fclose(f);
	cr_assert_not_null(strstr(log, "other encryption keys"), "no clear message about the lost store");
	free(ev);
	free(room);
	itest_bot_cleanup(&bot);
	resident_free(&a);
}
