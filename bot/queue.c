/* queue.c: see queue.h. */
#include <stdio.h>
#include <stdlib.h>
#include "log.h"
#include "queue.h"
#include "registry.h"

/* Builds the JSON content of a notice action; caller frees the string. */
static char *notice_content(const char *text, const char *reply_to, const char *thread_root)
{
	cJSON *content = mx_content_text("m.notice", text, NULL);
	char *json = NULL;

	if (!content)
		return NULL;
	/* Intentional mentions, none: a resident's "@room" quoted in a notice
	 * must not ping a whole room under the bot's power level. */
	if (!cJSON_AddObjectToObject(content, "m.mentions"))
		goto cleanup;
	if (thread_root) {
		if (!mx_content_set_thread(content, thread_root, reply_to))
			goto cleanup;
	} else if (reply_to) {
		if (!mx_content_set_reply(content, reply_to))
			goto cleanup;
	}
	json = cJSON_PrintUnformatted(content);
cleanup:
	cJSON_Delete(content);
	return json;
}

int bot_notice_queue(bot_daemon *d, const char *room_id, const char *text, const char *reply_to,
		     const char *thread_root, const char *txn)
{
	char *content = notice_content(text, reply_to, thread_root);
	int rc;

	if (!content) {
		LOG_ERROR("out of memory building a message");
		return BOT_STORE_ERR;
	}
	rc = bot_store_outbox_add(d->store, BOT_OUT_SEND, txn, room_id, "m.room.message", content);
	free(content);
	return rc;
}

int bot_notice_queue_key(bot_daemon *d, const char *room_key, const char *text, const char *txn)
{
	char *room_id = NULL;
	int rc;

	rc = bot_store_room_get(d->store, room_key, &room_id);
	if (rc == BOT_STORE_NOT_FOUND) {
		LOG_WARN("a notice for %s was dropped: that room does not exist yet", room_key);
		return BOT_STORE_OK;
	}
	if (rc != BOT_STORE_OK)
		return rc;   /* unreadable is not "not made": the batch is tried again */
	rc = bot_notice_queue(d, room_id, text, NULL, NULL, txn);
	free(room_id);
	return rc;
}

/* {"user": ..., "reason": ...}, the content of ban and kick items. */
static char *user_reason_json(const char *user, const char *reason)
{
	cJSON *c = cJSON_CreateObject();
	char *json;

	cJSON_AddStringToObject(c, "user", user);
	if (reason && reason[0])
		cJSON_AddStringToObject(c, "reason", reason);
	json = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	return json;
}

int bot_kick_queue(bot_daemon *d, const char *room_id, const char *user, const char *reason, const char *txn)
{
	char *json = user_reason_json(user, reason);
	int rc;

	if (!json)
		return BOT_STORE_ERR;
	rc = bot_store_member_set(d->store, room_id, user, "leave");
	if (rc == BOT_STORE_OK)
		rc = bot_store_outbox_add(d->store, BOT_OUT_KICK, txn, room_id, NULL, json);
	free(json);
	return rc;
}

int bot_ban_queue(bot_daemon *d, const char *room_id, const char *user, const char *reason, const char *txn)
{
	char *json = user_reason_json(user, reason);
	int rc;

	if (!json)
		return BOT_STORE_ERR;
	rc = bot_store_member_set(d->store, room_id, user, "ban");
	if (rc == BOT_STORE_OK)
		rc = bot_store_outbox_add(d->store, BOT_OUT_BAN, txn, room_id, NULL, json);
	free(json);
	return rc;
}

int bot_invite_queue(bot_daemon *d, const pol_invite_plan *a, const char *admitted_by, const char *txn)
{
	bot_store *s = d->store;
	char *room_id = NULL;
	int rc;

	rc = bot_store_room_get(s, a->room_key, &room_id);
	if (rc == BOT_STORE_NOT_FOUND) {
		LOG_WARN("invite into %s: the room does not exist yet", a->room_key);
		return BOT_STORE_OK;
	}
	if (rc != BOT_STORE_OK)
		return rc;
	/* Counted at once, so a second admission in the same batch sees it. */
	rc = bot_store_member_set(s, room_id, a->user, "invite");
	if (rc == BOT_STORE_OK)
		rc = bot_store_outbox_add(s, BOT_OUT_INVITE, txn, room_id, NULL, a->user);
	if (rc == BOT_STORE_OK && a->becomes_resident)
		rc = bot_reg_resident_set(s, a->user, a->room_key, a->buurt[0] ? a->buurt : NULL, admitted_by);
	if (rc == BOT_STORE_OK && a->leaves_waitlist)
		rc = bot_reg_wait_remove(s, a->room_key, a->user);
	free(room_id);
	return rc;
}
