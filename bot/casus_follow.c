/* casus_follow.c: copies seen back, and the author's edits and the
 * redactions that follow a forwarded message into its copies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casus_int.h"
#include "queue.h"
#include "log.h"
#include "matrix/mx_client.h"
#include "policy/pol_buf.h"

int bot_casus_own_message(bot_daemon *d, const mx_event *ev)
{
	const cJSON *nr = cJSON_GetObjectItemCaseSensitive(ev->content, FIELD_CASUS);
	const cJSON *bron = cJSON_GetObjectItemCaseSensitive(ev->content, FIELD_BRON);
	const cJSON *room = cJSON_GetObjectItemCaseSensitive(bron, "room");
	const cJSON *event = cJSON_GetObjectItemCaseSensitive(bron, "event");
	const cJSON *ask = cJSON_GetObjectItemCaseSensitive(ev->content, FIELD_EDIT);
	const cJSON *rel = cJSON_GetObjectItemCaseSensitive(ev->content, "m.relates_to");
	const cJSON *rel_type = cJSON_GetObjectItemCaseSensitive(rel, "rel_type");
	bot_casus_msg orig;
	int rc, redacted = 0;

	if (!ev->event_id || !ev->room_id)
		return BOT_STORE_OK;
	/* Its own edit of a copy: the copy keeps its first event id, which
	 * every later edit and the redaction target. */
	if (cJSON_IsString(rel_type) && strcmp(rel_type->valuestring, "m.replace") == 0)
		return BOT_STORE_OK;
	/* Its request to approve an edit: a reaction or !door on it approves. */
	if (cJSON_IsObject(ask) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ask, "room")) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ask, "event")))
		return bot_store_casus_edit_requested(d->store, ev->room_id, ev->event_id,
						      cJSON_GetObjectItemCaseSensitive(ask, "room")->valuestring,
						      cJSON_GetObjectItemCaseSensitive(ask, "event")->valuestring);
	if (!cJSON_IsNumber(nr) || !cJSON_IsString(room) || !cJSON_IsString(event))
		return BOT_STORE_OK;
	rc = bot_store_casus_copy_seen(d->store, (long long)nr->valuedouble, ev->room_id, ev->event_id,
				       event->valuestring);
	/* Its message was redacted before the copy was seen back: it goes now. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_copy_redacted(d->store, event->valuestring, ev->room_id, &redacted);
	if (rc != BOT_STORE_OK || redacted)
		return rc == BOT_STORE_OK ? casus_redact_copy(d, ev->room_id, ev->event_id, "late") : rc;
	/* The copy belongs to the casus and carries the original content on. */
	rc = bot_store_casus_msg_get(d->store, room->valuestring, event->valuestring, &orig);
	if (rc == BOT_STORE_OK) {
		cJSON *c = orig.content ? cJSON_Parse(orig.content) : NULL;

		rc = casus_keep_event(d, ev->room_id, ev->event_id, (long long)nr->valuedouble, ev->sender, c);
		cJSON_Delete(c);
	}
	bot_casus_msg_clear(&orig);
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
}

/* ---- edits and redactions follow the copies ---- */

#define WALK_MAX 128

/* Every copy of a message, and the copies made of those copies (a melding
 * in the regiegroep forwarded on into wijkgroepen), each with the message
 * it was made from. event is NULL for a copy not seen back yet. */
typedef struct copy_walk {
	char *room[WALK_MAX], *event[WALK_MAX], *approver[WALK_MAX];
	char *from_room[WALK_MAX], *from_event[WALK_MAX];
	long long nr[WALK_MAX];
	size_t n;
	const char *at_room, *at_event;   /* the message whose copies are read now */
} copy_walk;

static void walk_free(copy_walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->room[i]);
		free(w->event[i]);
		free(w->approver[i]);
		free(w->from_room[i]);
		free(w->from_event[i]);
	}
	w->n = 0;
}

/* Adds the copies of w's at_event (in at_room) to w, as far as there is
 * room. A BOT_STORE_ status (ERR also when out of memory). */
static int walk_add(bot_daemon *d, copy_walk *w)
{
	bot_casus_copy *copies = NULL;
	size_t i, n = 0;
	int rc = bot_store_casus_copies_of(d->store, w->at_event, WALK_MAX - w->n, &copies, &n);

	for (i = 0; i < n && rc == BOT_STORE_OK; i++, w->n++) {
		w->room[w->n] = copies[i].target_room;
		w->event[w->n] = copies[i].target_event;
		w->approver[w->n] = copies[i].approver ? copies[i].approver : strdup("");
		copies[i].target_room = copies[i].target_event = copies[i].approver = NULL;   /* w owns them now */
		w->from_room[w->n] = strdup(w->at_room);
		w->from_event[w->n] = strdup(w->at_event);
		w->nr[w->n] = copies[i].nr;
		if (!w->approver[w->n] || !w->from_room[w->n] || !w->from_event[w->n])
			rc = bot_store_oom(d->store, "reading forwards");
	}
	bot_casus_copies_free(copies, n);
	return rc;
}

/* Fills w with the copies of event (in room_id), breadth first. */
static int walk_copies(bot_daemon *d, const char *room_id, const char *event, copy_walk *w)
{
	size_t next = 0;
	int rc;

	memset(w, 0, sizeof *w);
	w->at_room = room_id;
	w->at_event = event;
	for (;;) {
		rc = walk_add(d, w);
		if (rc != BOT_STORE_OK)
			return rc;
		while (next < w->n && !w->event[next])
			next++;
		if (next >= w->n || w->n >= WALK_MAX)
			return BOT_STORE_OK;
		w->at_room = w->room[next];
		w->at_event = w->event[next];
		next++;
	}
}

/* "Regiegroep Dorp, Wijkgroep Zuid": the rooms of w, each once. */
static void walk_rooms(bot_daemon *d, const copy_walk *w, char *buf, size_t size)
{
	pol_buf out;
	size_t i, j;

	pol_buf_init(&out, buf, size);
	for (i = 0; i < w->n; i++) {
		for (j = 0; j < i && strcmp(w->room[j], w->room[i]) != 0; j++)
			;
		if (j == i)
			pol_buf_add_sep(&out, ", ", casus_room_name(d, w->room[i]));
	}
}

/* An approved edit (a->forward.event) goes to every copy of its message, each
 * edit replacing the copy's first event; the kept texts follow, so a copy
 * forwarded on later carries the approved text. */
int casus_forward_edit(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	bot_casus_edit h = { 0, POL_EDIT_NONE, NULL, NULL, NULL, NULL };
	copy_walk w;
	cJSON *newc = NULL;
	char header[1200], text[POL_TEXT_MAX], etxn[TXN_MAX], *json = NULL;
	const char *thread = a->thread_root, *reply = a->reply_to;
	size_t i, edited = 0;
	int rc;

	memset(&w, 0, sizeof w);
	rc = bot_store_casus_edit_pending(d->store, a->forward.event, &h);
	if (rc == BOT_STORE_ERR)
		goto cleanup;
	if (rc == BOT_STORE_NOT_FOUND || !h.room_id || !h.original || !h.content || !(newc = cJSON_Parse(h.content))) {
		rc = bot_notice_queue(d, in->room_id, pol_text(d->pol.lang, POL_TXT_EDIT_WITHDRAWN), reply, thread, txn);
		goto cleanup;
	}
	rc = walk_copies(d, h.room_id, h.original, &w);
	for (i = 0; i < w.n && rc == BOT_STORE_OK; i++) {
		bot_casus_msg from;
		long long ts = 0;
		cJSON *edit;

		/* The time of the message the copy was made from, for its header. */
		rc = bot_store_casus_msg_get(d->store, w.from_room[i], w.from_event[i], &from);
		if (rc == BOT_STORE_ERR)
			break;
		ts = from.ts;
		bot_casus_msg_clear(&from);
		rc = BOT_STORE_OK;
		if (!w.event[i]) {
			LOG_WARN("casus %lld: a copy not seen back yet keeps its text", w.nr[i]);
			continue;
		}
		casus_copy_header(d, w.nr[i], ts, w.room[i], NULL, w.approver[i], header, sizeof header);
		edit = casus_copy_edit(casus_copy_content(newc, header, w.nr[i], w.from_room[i], w.from_event[i]), w.event[i]);
		json = edit ? cJSON_PrintUnformatted(edit) : NULL;
		cJSON_Delete(edit);
		snprintf(etxn, sizeof etxn, "edit:%s:%s", a->forward.event, w.event[i]);
		rc = json ? bot_store_outbox_add(d->store, BOT_OUT_SEND, etxn, w.room[i], "m.room.message", json)
			  : BOT_STORE_ERR;
		free(json);
		json = NULL;
		if (rc == BOT_STORE_OK)
			rc = bot_store_casus_msg_set_content(d->store, w.room[i], w.event[i], h.content);
		edited++;
	}
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_msg_set_content(d->store, h.room_id, h.original, h.content);
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_edit_approve(d->store, a->forward.event, a->forward.approver);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	LOG_INFO("casus %lld: an approved edit goes to %zu cop(ies)", h.nr, edited);
	/* Where the plan says: answering the approval, or in the casus's
	 * thread (its root here, else the original message). */
	if (a->forward.in_casus_thread)
		thread = reply = a->forward.root_event[0] ? a->forward.root_event : h.original;
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_EDIT_APPROVED, h.nr, edited, a->forward.approver);
	rc = bot_notice_queue(d, in->room_id, text, reply, thread, txn);
cleanup:
	cJSON_Delete(newc);
	walk_free(&w);
	bot_casus_edit_clear(&h);
	return rc;
}

/* An edit the rules hold for approval: kept, an older one still waiting
 * is superseded, and the stuurgroep is asked with old and new text. */
static int hold_edit(bot_daemon *d, const mx_event *ev, const char *original, const cJSON *new_content,
		     const pol_edit_plan *plan)
{
	copy_walk w;
	char rooms[1500], text[POL_TEXT_MAX], txn[TXN_MAX];
	char *json = NULL, *room = NULL;
	bot_casus_msg old = { 0, 0, NULL, NULL };
	cJSON *c = NULL, *oldc = NULL, *mark;
	int rc;

	memset(&w, 0, sizeof w);
	if (plan->room_key[0]) {
		if (bot_store_room_get(d->store, plan->room_key, &room) != BOT_STORE_OK) {
			LOG_WARN("an edit waits for approval, but %s does not exist yet", plan->room_key);
			room = NULL;
		}
	} else if (!(room = strdup(plan->room_id)))
		return BOT_STORE_ERR;
	json = cJSON_PrintUnformatted(new_content);
	rc = json ? bot_store_casus_edit_hold(d->store, ev->room_id, ev->event_id, original, plan->nr, json, room) :
		    bot_store_oom(d->store, "holding an edit");
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_msg_get(d->store, ev->room_id, original, &old) == BOT_STORE_ERR ? BOT_STORE_ERR :
			BOT_STORE_OK;
	if (rc == BOT_STORE_OK)
		rc = walk_copies(d, ev->room_id, original, &w);
	if (rc != BOT_STORE_OK || !room)
		goto cleanup;
	oldc = old.content ? cJSON_Parse(old.content) : NULL;
	walk_rooms(d, &w, rooms, sizeof rooms);
	pol_edit_request_text(&d->pol, ev->sender, plan->nr, rooms, casus_body_of(oldc), casus_body_of(new_content), text,
			      sizeof text);
	/* The request names its edit, so the bot knows it again when it sees
	 * it back (a reaction or !door on the request approves). */
	c = mx_content_text("m.notice", text, NULL);
	if (c)  /* "@room" in a resident's text pings nobody */
		cJSON_AddObjectToObject(c, "m.mentions");
	mark = c ? cJSON_AddObjectToObject(c, FIELD_EDIT) : NULL;
	if (!mark) {
		rc = BOT_STORE_ERR;
		goto cleanup;
	}
	cJSON_AddStringToObject(mark, "room", ev->room_id);
	cJSON_AddStringToObject(mark, "event", ev->event_id);
	if (plan->thread_root[0] && !mx_content_set_thread(c, plan->thread_root, plan->thread_root)) {
		rc = BOT_STORE_ERR;
		goto cleanup;
	}
	free(json);
	json = cJSON_PrintUnformatted(c);
	snprintf(txn, sizeof txn, "%s|ask", ev->event_id);
	rc = json ? bot_store_outbox_add(d->store, BOT_OUT_SEND, txn, room, "m.room.message", json) : BOT_STORE_ERR;
	if (rc == BOT_STORE_OK)
		LOG_INFO("casus %lld: an edit of a forwarded message waits for approval", plan->nr);
cleanup:
	cJSON_Delete(c);
	cJSON_Delete(oldc);
	walk_free(&w);
	free(json);
	bot_casus_msg_clear(&old);
	free(room);
	return rc;
}

/* Facts for pol_casus_edit: a kept message even before a casus has it
 * (a police message not approved yet), else whatever the event is. */
static int edit_fact(void *ctx, const char *room_id, const char *event_id, pol_casus *out)
{
	return casus_kept_message(ctx, room_id, event_id, 1, out) == 0 ? 0 : bot_casus_of_event(ctx, room_id, event_id, out);
}

/* An edit (m.replace) in a room of the structure: the rules decide. */
static int follow_edit(bot_daemon *d, const mx_event *ev, const char *original, const cJSON *new_content)
{
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(new_content, "body");
	char *key = NULL, *json;
	pol_edit_plan plan;
	pol_facts facts;
	pol_input in;
	int rc = BOT_STORE_OK;

	memset(&in, 0, sizeof in);
	memset(&facts, 0, sizeof facts);
	if (bot_store_room_key_of(d->store, ev->room_id, &key) != BOT_STORE_OK)
		return BOT_STORE_OK;   /* not a room of the structure (or unreadable: nothing was copied from it) */
	facts.casus_of_event = edit_fact;
	facts.ctx = d;
	in.kind = POL_IN_EDIT;
	in.room_id = ev->room_id;
	in.event_id = ev->event_id;
	in.sender = ev->sender;
	in.relates_event = original;
	in.body = cJSON_IsString(body) ? body->valuestring : "";
	in.content = new_content;
	in.structure = d->structure;
	in.room.key = key;
	in.facts = &facts;
	pol_casus_edit(&d->pol, &in, &plan);
	switch (plan.kind) {
	case POL_EDIT_PLAN_KEEP:
		json = cJSON_PrintUnformatted(new_content);
		rc = json ? bot_store_casus_msg_set_content(d->store, ev->room_id, original, json) :
			    bot_store_oom(d->store, "keeping an edit");
		free(json);
		break;
	case POL_EDIT_PLAN_ASK:
		rc = hold_edit(d, ev, original, new_content, &plan);
		break;
	default:
		break;
	}
	free(key);
	return rc;
}

/* Queues the redaction of the copy event itself (that hides its edits
 * too) and forgets its text. */
int casus_redact_copy(bot_daemon *d, const char *room_id, const char *event, const char *why_txn)
{
	cJSON *c = cJSON_CreateObject();
	char txn[TXN_MAX], *json = NULL;
	int rc;

	if (c && cJSON_AddStringToObject(c, "event", event))
		json = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	snprintf(txn, sizeof txn, "redact:%s:%s", why_txn, event);
	rc = json ? bot_store_outbox_add(d->store, BOT_OUT_REDACT, txn, room_id, NULL, json) : BOT_STORE_ERR;
	free(json);
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_msg_set_content(d->store, room_id, event, "{}");
	return rc;
}

/* Queues the redaction of every copy of event (in room_id) that the bot
 * has seen back; the others are redacted when they are (own_message). */
static int redact_copies(bot_daemon *d, const char *room_id, const char *event, const char *why_txn)
{
	copy_walk w;
	size_t i;
	int rc;

	rc = walk_copies(d, room_id, event, &w);
	for (i = 0; i < w.n && rc == BOT_STORE_OK; i++) {
		rc = bot_store_casus_copy_mark_redacted(d->store, w.from_event[i], w.room[i]);
		if (rc == BOT_STORE_OK && w.event[i])
			rc = casus_redact_copy(d, w.room[i], w.event[i], why_txn);
	}
	if (w.n)
		LOG_INFO("a redaction of a forwarded message follows it to %zu cop(ies)", w.n);
	walk_free(&w);
	return rc;
}

/* A redaction the homeserver accepted (the author's, or a moderator's):
 * every copy goes, whatever was edited; an edit redacted before its
 * approval is withdrawn. */
static int follow_redaction(bot_daemon *d, const mx_event *ev, const char *redacted)
{
	bot_casus_msg kept;
	int rc;

	if (strcmp(ev->sender, d->user_id) == 0)
		return BOT_STORE_OK;   /* the bot's own redactions of copies */
	rc = bot_store_casus_edit_withdraw(d->store, ev->room_id, redacted);
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_msg_get(d->store, ev->room_id, redacted, &kept);
	if (rc != BOT_STORE_OK)   /* not a kept message: nothing was copied */
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
	bot_casus_msg_clear(&kept);
	rc = redact_copies(d, ev->room_id, redacted, ev->event_id);
	/* The redacted text is not kept either, nor edits of it. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_msg_set_content(d->store, ev->room_id, redacted, "{}");
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_edits_forget(d->store, ev->room_id, redacted);
	return rc;
}

int bot_casus_follow(bot_daemon *d, const mx_event *ev)
{
	const cJSON *rel = cJSON_GetObjectItemCaseSensitive(ev->content, "m.relates_to");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(rel, "rel_type");
	const cJSON *target = cJSON_GetObjectItemCaseSensitive(rel, "event_id");
	const cJSON *redacts;

	if (!ev->room_id || !ev->event_id)
		return BOT_STORE_OK;
	if (strcmp(ev->type, "m.room.message") == 0 && cJSON_IsString(type) &&
	    strcmp(type->valuestring, "m.replace") == 0 && cJSON_IsString(target) &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(ev->content, "m.new_content")))
		return follow_edit(d, ev, target->valuestring, cJSON_GetObjectItemCaseSensitive(ev->content, "m.new_content"));
	if (strcmp(ev->type, "m.room.redaction") == 0) {
		/* Room versions up to 10 name it at the top, 11 in the content. */
		redacts = cJSON_GetObjectItemCaseSensitive(ev->content, "redacts");
		if (!cJSON_IsString(redacts))
			redacts = cJSON_GetObjectItemCaseSensitive(ev->raw, "redacts");
		if (cJSON_IsString(redacts))
			return follow_redaction(d, ev, redacts->valuestring);
	}
	return BOT_STORE_OK;
}
