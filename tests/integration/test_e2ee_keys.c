/* Integration tests of room keys arriving late and of replays. The
 * resident here is made with our own primitives (mx_olm) rather than an
 * off-the-shelf client, because no well-behaved client sends a message
 * before its key, or the same ciphertext twice: these are the faults. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "itest.h"
#include "matrix/mx_olm.h"

/* An encrypted room of a with the bot joined. */
static char *encrypted_room(itest_user *a, itest_bot *bot)
{
	mx_create_room_opts o;
	cJSON *state = cJSON_Parse("[{\"type\":\"m.room.encryption\",\"state_key\":\"\","
				   "\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}}]");
	const char *invite[] = { bot->account.user_id, NULL };
	char *room = NULL;

	memset(&o, 0, sizeof o);
	o.name = "sleutels";
	o.preset = "private_chat";
	o.initial_state = state;
	o.invite = invite;
	cr_assert_eq(mx_create_room(a->c, &o, &room), MX_OK);
	cJSON_Delete(state);
	if (!itest_wait_membership(a, room, bot->account.user_id, "join", 20000)) {
		itest_bot_dump_log(bot);
		cr_assert_fail("bot did not join");
	}
	return room;
}

/* Megolm-encrypts {type m.room.message, content {m.text, body}} for room. */
static cJSON *megolm_message(mx_megolm_out *s, const char *curve, const char *room, const char *body)
{
	char plain[1024], *ct = NULL, *sid = NULL;
	cJSON *c = cJSON_CreateObject();

	snprintf(plain, sizeof plain, "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\","
		 "\"body\":\"%s\"},\"room_id\":\"%s\"}", body, room);
	cr_assert_eq(mx_megolm_out_encrypt(s, plain, &ct, NULL), MX_OK);
	cr_assert_eq(mx_megolm_out_id(s, &sid, NULL), MX_OK);
	cJSON_AddStringToObject(c, "algorithm", "m.megolm.v1.aes-sha2");
	cJSON_AddStringToObject(c, "sender_key", curve);
	cJSON_AddStringToObject(c, "ciphertext", ct);
	cJSON_AddStringToObject(c, "session_id", sid);
	cJSON_AddStringToObject(c, "device_id", "TESTDEV");
	free(ct);
	free(sid);
	return c;
}

static char *send_content(itest_user *a, const char *room, const char *type, cJSON *content,
			  const char *txn)
{
	char *ev = NULL;

	cr_assert_eq(mx_send(a->c, room, type, txn, content, &ev), MX_OK, "%s",
		     mx_client_last_error(a->c)->message);
	return ev;
}

/* Sends the room key of session (exported at index 0 as session_key) to
 * the bot's device over a fresh Olm session from a's fake device. */
static void send_room_key(itest_user *a, itest_bot *bot, mx_olm_account *acct, const char *room,
			  const char *session_id, const char *session_key)
{
	char path[512], kid[160], curve[64], ed[64], *body = NULL;
	cJSON *q = cJSON_CreateObject(), *resp = NULL, *claim, *payload, *msg, *ct, *c;
	const cJSON *dev, *keys, *otk;
	const char *bot_dev, *bot_curve, *bot_ed;
	mx_olm_session *s = NULL;
	int type;

	cr_assert_eq(mx_olm_account_identity(acct, curve, ed, NULL), MX_OK);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(q, "device_keys"), bot->account.user_id, cJSON_CreateArray());
	cr_assert_eq(mx_request(a->c, "POST", "/_matrix/client/v3/keys/query", q, 0, &resp), MX_OK);
	dev = cJSON_GetObjectItem(cJSON_GetObjectItem(resp, "device_keys"), bot->account.user_id)->child;
	cr_assert_not_null(dev, "the bot has no device keys");
	bot_dev = dev->string;
	keys = cJSON_GetObjectItem(dev, "keys");
	snprintf(kid, sizeof kid, "curve25519:%s", bot_dev);
	bot_curve = cJSON_GetObjectItem(keys, kid)->valuestring;
	snprintf(kid, sizeof kid, "ed25519:%s", bot_dev);
	bot_ed = cJSON_GetObjectItem(keys, kid)->valuestring;

	claim = cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(claim, "one_time_keys"),
							bot->account.user_id), bot_dev, "signed_curve25519");
	{
		cJSON *cr = NULL;
		cr_assert_eq(mx_request(a->c, "POST", "/_matrix/client/v3/keys/claim", claim, 0, &cr), MX_OK);
		otk = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(cr, "one_time_keys"),
							      bot->account.user_id), bot_dev)->child;
		cr_assert_not_null(otk, "no one-time key of the bot to claim");
		cr_assert_eq(mx_olm_session_new_outbound(&s, acct, bot_curve,
							 cJSON_GetObjectItem(otk, "key")->valuestring, NULL), MX_OK);
		cJSON_Delete(cr);
	}
	payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "type", "m.room_key");
	c = cJSON_AddObjectToObject(payload, "content");
	cJSON_AddStringToObject(c, "algorithm", "m.megolm.v1.aes-sha2");
	cJSON_AddStringToObject(c, "room_id", room);
	cJSON_AddStringToObject(c, "session_id", session_id);
	cJSON_AddStringToObject(c, "session_key", session_key);
	cJSON_AddStringToObject(payload, "sender", a->user_id);
	cJSON_AddStringToObject(payload, "recipient", bot->account.user_id);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(payload, "recipient_keys"), "ed25519", bot_ed);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(payload, "keys"), "ed25519", ed);
	{
		char *text = cJSON_PrintUnformatted(payload);
		cr_assert_eq(mx_olm_session_encrypt(s, text, &type, &body, NULL), MX_OK);
		free(text);
	}
	msg = cJSON_CreateObject();
	c = cJSON_AddObjectToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(msg, "messages"),
							    bot->account.user_id), bot_dev);
	cJSON_AddStringToObject(c, "algorithm", "m.olm.v1.curve25519-aes-sha2");
	cJSON_AddStringToObject(c, "sender_key", curve);
	ct = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "ciphertext"), bot_curve);
	cJSON_AddNumberToObject(ct, "type", type);
	cJSON_AddStringToObject(ct, "body", body);
	snprintf(path, sizeof path, "/_matrix/client/v3/sendToDevice/m.room.encrypted/late-%ld", itest_now_ms());
	cr_assert_eq(mx_request(a->c, "PUT", path, msg, 0, NULL), MX_OK);
	free(body);
	cJSON_Delete(q);
	cJSON_Delete(resp);
	cJSON_Delete(claim);
	cJSON_Delete(payload);
	cJSON_Delete(msg);
	mx_olm_session_free(s);
}

static int log_contains(const itest_bot *bot, const char *needle)
{
	static char buf[1 << 20];
	FILE *f = fopen(bot->log, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, needle) != NULL;
}

Test(e2ee_keys, message_before_its_key_is_answered_when_the_key_arrives, .timeout = 120)
{
	itest_user a;
	itest_bot bot;
	mx_olm_account *acct = NULL;
	mx_megolm_out *s = NULL;
	char curve[64], ed[64], *room, *sid = NULL, *skey = NULL, *ids[1];
	cJSON *content, *msgs;

	itest_user_new(&a, "laat");
	itest_bot_setup(&bot, a.user_id, NULL);
	itest_bot_start(&bot);
	room = encrypted_room(&a, &bot);
	cr_assert_eq(mx_olm_account_new(&acct, NULL), MX_OK);
	cr_assert_eq(mx_olm_account_identity(acct, curve, ed, NULL), MX_OK);
	cr_assert_eq(mx_megolm_out_new(&s, NULL), MX_OK);
	cr_assert_eq(mx_megolm_out_id(s, &sid, NULL), MX_OK);
	cr_assert_eq(mx_megolm_out_key(s, &skey, NULL), MX_OK);  /* at index 0 */

	content = megolm_message(s, curve, room, "!ping");
	ids[0] = send_content(&a, room, "m.room.encrypted", content, "late1");
	cJSON_Delete(content);
	itest_sleep_ms(2500);
	msgs = itest_messages(&a, room, 50);
	cr_assert(itest_has_event(msgs, ids[0]), "the message is not among those read");
	cr_assert_eq(itest_count_replies(msgs, bot.account.user_id, ids[0]), 0,
		     "answered without having the key?");
	cJSON_Delete(msgs);
	cr_assert(log_contains(&bot, "waits for its room key"), "the event was not held");

	send_room_key(&a, &bot, acct, room, sid, skey);
	if (!itest_wait_replies(&a, room, bot.account.user_id, ids, 1, 1, 30000)) {
		itest_bot_dump_log(&bot);
		cr_assert_fail("the held message was not answered after its key arrived");
	}
	free(ids[0]);
	free(sid);
	free(skey);
	free(room);
	mx_megolm_out_free(s);
	mx_olm_account_free(acct);
	itest_bot_cleanup(&bot);
	itest_user_free(&a);
}

Test(e2ee_keys, replayed_ciphertext_is_refused, .timeout = 120)
{
	itest_user a;
	itest_bot bot;
	mx_olm_account *acct = NULL;
	mx_megolm_out *s = NULL;
	char curve[64], ed[64], *room, *sid = NULL, *skey = NULL, *ids[2];
	cJSON *content, *msgs;

	itest_user_new(&a, "replay");
	itest_bot_setup(&bot, a.user_id, NULL);
	itest_bot_start(&bot);
	room = encrypted_room(&a, &bot);
	cr_assert_eq(mx_olm_account_new(&acct, NULL), MX_OK);
	cr_assert_eq(mx_olm_account_identity(acct, curve, ed, NULL), MX_OK);
	cr_assert_eq(mx_megolm_out_new(&s, NULL), MX_OK);
	cr_assert_eq(mx_megolm_out_id(s, &sid, NULL), MX_OK);
	cr_assert_eq(mx_megolm_out_key(s, &skey, NULL), MX_OK);
	send_room_key(&a, &bot, acct, room, sid, skey);
	itest_sleep_ms(1500);

	content = megolm_message(s, curve, room, "!ping");
	ids[0] = send_content(&a, room, "m.room.encrypted", content, "orig");
	cr_assert(itest_wait_replies(&a, room, bot.account.user_id, ids, 1, 1, 30000), "no reply");
	/* The same ciphertext again, as a new event. */
	ids[1] = send_content(&a, room, "m.room.encrypted", content, "again");
	cJSON_Delete(content);
	itest_sleep_ms(3000);
	msgs = itest_messages(&a, room, 50);
	cr_assert(itest_has_event(msgs, ids[1]), "the replay is not among those read");
	cr_assert_eq(itest_count_replies(msgs, bot.account.user_id, ids[0]), 1);
	cr_assert_eq(itest_count_replies(msgs, bot.account.user_id, ids[1]), 0, "a replay was answered");
	cJSON_Delete(msgs);
	cr_assert(log_contains(&bot, "replayed"), "the replay was not reported");
	free(ids[0]);
	free(ids[1]);
	free(sid);
	free(skey);
	free(room);
	mx_megolm_out_free(s);
	mx_olm_account_free(acct);
	itest_bot_cleanup(&bot);
	itest_user_free(&a);
}
