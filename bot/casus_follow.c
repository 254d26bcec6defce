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
	char n[32], *orig = NULL;
	int rc;

	if (!ev->event_id || !ev->room_id)
		return BOT_STORE_OK;
	/* Its own edit of a copy: the copy keeps its first event id, which
	 * every later edit and the redaction target. */
	if (cJSON_IsString(rel_type) && strcmp(rel_type->valuestring, "m.replace") == 0)
		return BOT_STORE_OK;
	/* Its request to approve an edit: a reaction or !door on it approves. */
	if (cJSON_IsObject(ask) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ask, "room")) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ask, "event")))
		return bot_store_exec(d->store, "recording an edit request",
				      "UPDATE casus_edits SET request_room = ?, request_event = ? WHERE room_id = ? AND "
				      "edit_event = ? AND request_event IS NULL", 4, ev->room_id, ev->event_id,
				      cJSON_GetObjectItemCaseSensitive(ask, "room")->valuestring,
				      cJSON_GetObjectItemCaseSensitive(ask, "event")->valuestring);
	if (!cJSON_IsNumber(nr) || !cJSON_IsString(room) || !cJSON_IsString(event))
		return BOT_STORE_OK;
	casus_num(n, sizeof n, (long long)nr->valuedouble);
	rc = bot_store_exec(d->store, "recording a copy",
			    "UPDATE casus_rooms SET root_event = coalesce(root_event, ?) WHERE nr = ? AND room_id = ?", 3,
			    ev->event_id, n, ev->room_id);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "recording a copy",
				    "UPDATE forwards SET target_event = coalesce(target_event, ?) WHERE source_event = ? "
				    "AND target_room = ?", 3, ev->event_id, event->valuestring, ev->room_id);
	/* Its message was redacted before the copy was seen back: it goes now. */
	if (rc == BOT_STORE_OK &&
	    casus_select_num(d, "SELECT count(*) FROM forwards WHERE source_event = ? AND target_room = ? AND "
		       "source_redacted = 1", 2, event->valuestring, ev->room_id) > 0)
		return casus_redact_copy(d, ev->room_id, ev->event_id, "late");
	/* The copy belongs to the casus and carries the original content on. */
	if (rc == BOT_STORE_OK &&
	    bot_store_select_text(d->store, &orig, "reading a casus message",
				  "SELECT content FROM casus_events WHERE room_id = ? AND event_id = ?", 2, room->valuestring,
				  event->valuestring) == BOT_STORE_OK) {
		cJSON *c = cJSON_Parse(orig);

		rc = casus_keep_event(d, ev->room_id, ev->event_id, (long long)nr->valuedouble, ev->sender, c);
		cJSON_Delete(c);
	}
	free(orig);
	return rc;
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

static int walk_cb(void *ctx, sqlite3_stmt *st)
{
	copy_walk *w = ctx;
	const unsigned char *r = sqlite3_column_text(st, 0), *e = sqlite3_column_text(st, 1),
			    *a = sqlite3_column_text(st, 2);

	if (w->n >= WALK_MAX)
		return 1;
	if (!r)
		return 0;
	w->room[w->n] = strdup((const char *)r);
	w->event[w->n] = e ? strdup((const char *)e) : NULL;
	w->approver[w->n] = strdup(a ? (const char *)a : "");
	w->from_room[w->n] = strdup(w->at_room);
	w->from_event[w->n] = strdup(w->at_event);
	w->nr[w->n] = sqlite3_column_int64(st, 3);
	w->n++;
	return 0;
}

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

/* Fills w with the copies of event (in room_id), breadth first. */
static int walk_copies(bot_daemon *d, const char *room_id, const char *event, copy_walk *w)
{
	size_t next = 0;
	int rc;

	memset(w, 0, sizeof *w);
	w->at_room = room_id;
	w->at_event = event;
	for (;;) {
		rc = bot_store_rows(d->store, "reading forwards", walk_cb, w,
				    "SELECT target_room, target_event, approver, nr FROM forwards WHERE source_event = ? "
				    "ORDER BY rowid", 1, w->at_event);
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

typedef struct held_edit {
	char *room, *original, *content;
	long long nr;
	int found;
} held_edit;

static int held_cb(void *ctx, sqlite3_stmt *st)
{
	held_edit *h = ctx;
	const unsigned char *r = sqlite3_column_text(st, 0), *o = sqlite3_column_text(st, 1),
			    *c = sqlite3_column_text(st, 2);

	h->room = r ? strdup((const char *)r) : NULL;
	h->original = o ? strdup((const char *)o) : NULL;
	h->content = c ? strdup((const char *)c) : NULL;
	h->nr = sqlite3_column_int64(st, 3);
	h->found = h->room && h->original && h->content;
	return 1;
}

/* An approved edit (a->forward.event) goes to every copy of its message, each
 * edit replacing the copy's first event; the kept texts follow, so a copy
 * forwarded on later carries the approved text. */
int casus_forward_edit(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	held_edit h = { NULL, NULL, NULL, 0, 0 };
	copy_walk w;
	cJSON *newc = NULL;
	char header[1200], text[POL_TEXT_MAX], etxn[TXN_MAX], *json = NULL;
	const char *thread = a->thread_root, *reply = a->reply_to;
	size_t i, edited = 0;
	int rc;

	memset(&w, 0, sizeof w);
	rc = bot_store_rows(d->store, "reading an edit", held_cb, &h,
			    "SELECT room_id, original, content, nr FROM casus_edits WHERE edit_event = ? AND state = 'pending'",
			    1, a->forward.event);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	if (!h.found || !(newc = cJSON_Parse(h.content))) {
		rc = bot_notice_queue(d, in->room_id, pol_text(d->pol.lang, POL_TXT_EDIT_WITHDRAWN), reply, thread, txn);
		goto cleanup;
	}
	rc = walk_copies(d, h.room, h.original, &w);
	for (i = 0; i < w.n && rc == BOT_STORE_OK; i++) {
		long long ts = casus_select_num(d, "SELECT ts FROM casus_events WHERE room_id = ? AND event_id = ?", 2,
					  w.from_room[i], w.from_event[i]);
		cJSON *edit;

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
			rc = bot_store_exec(d->store, "keeping an approved edit",
					    "UPDATE casus_events SET content = ? WHERE room_id = ? AND event_id = ?", 3,
					    h.content, w.room[i], w.event[i]);
		edited++;
	}
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "keeping an approved edit",
				    "UPDATE casus_events SET content = ? WHERE room_id = ? AND event_id = ?", 3, h.content,
				    h.room, h.original);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "approving an edit",
				    "UPDATE casus_edits SET state = 'approved', approver = ?, at = :now"
				    " WHERE edit_event = ?", 2, a->forward.approver, a->forward.event);
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
	free(h.room);
	free(h.original);
	free(h.content);
	return rc;
}

/* An edit the rules hold for approval: kept, an older one still waiting
 * is superseded, and the stuurgroep is asked with old and new text. */
static int hold_edit(bot_daemon *d, const mx_event *ev, const char *original, const cJSON *new_content,
		     const pol_edit_plan *plan)
{
	copy_walk w;
	char n[32], rooms[1500], text[POL_TEXT_MAX], txn[TXN_MAX];
	char *json = NULL, *old = NULL, *room = NULL;
	cJSON *c = NULL, *oldc = NULL, *mark;
	int rc;

	memset(&w, 0, sizeof w);
	casus_num(n, sizeof n, plan->nr);
	if (plan->room_key[0]) {
		if (bot_store_room_get(d->store, plan->room_key, &room) != BOT_STORE_OK) {
			LOG_WARN("an edit waits for approval, but %s does not exist yet", plan->room_key);
			room = NULL;
		}
	} else if (!(room = strdup(plan->room_id)))
		return BOT_STORE_ERR;
	json = cJSON_PrintUnformatted(new_content);
	rc = json ? bot_store_exec(d->store, "holding an edit",
				   "UPDATE casus_edits SET state = 'superseded' WHERE room_id = ? AND original = ? "
				   "AND state = 'pending'", 2, ev->room_id, original) : BOT_STORE_ERR;
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "holding an edit",
				    "INSERT INTO casus_edits (room_id, edit_event, original, nr, content, request_room, at) "
				    "VALUES (?, ?, ?, ?, ?, ?, :now) ON CONFLICT DO NOTHING", 6, ev->room_id,
				    ev->event_id, original, n, json, room);
	if (rc == BOT_STORE_OK)
		rc = bot_store_select_text(d->store, &old, "reading a casus message",
					   "SELECT content FROM casus_events WHERE room_id = ? AND event_id = ?", 2,
					   ev->room_id, original) == BOT_STORE_ERR ? BOT_STORE_ERR : BOT_STORE_OK;
	if (rc == BOT_STORE_OK)
		rc = walk_copies(d, ev->room_id, original, &w);
	if (rc != BOT_STORE_OK || !room)
		goto cleanup;
	oldc = old ? cJSON_Parse(old) : NULL;
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
	free(old);
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
		rc = json ? bot_store_exec(d->store, "keeping an edit",
					   "UPDATE casus_events SET content = ? WHERE room_id = ? AND event_id = ?", 3, json,
					   ev->room_id, original) : BOT_STORE_ERR;
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
		rc = bot_store_exec(d->store, "forgetting a redacted message",
				    "UPDATE casus_events SET content = '{}' WHERE room_id = ? AND event_id = ?", 2, room_id,
				    event);
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
		rc = bot_store_exec(d->store, "redacting copies",
				    "UPDATE forwards SET source_redacted = 1 WHERE source_event = ? AND target_room = ?", 2,
				    w.from_event[i], w.room[i]);
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
	int rc;

	if (strcmp(ev->sender, d->user_id) == 0)
		return BOT_STORE_OK;   /* the bot's own redactions of copies */
	rc = bot_store_exec(d->store, "withdrawing an edit",
			    "UPDATE casus_edits SET state = 'withdrawn', content = '{}' WHERE room_id = ? AND "
			    "edit_event = ? AND state IN ('pending', 'superseded')", 2, ev->room_id, redacted);
	if (rc != BOT_STORE_OK || casus_select_num(d, "SELECT count(*) FROM casus_events WHERE room_id = ? AND event_id = ?",
					     2, ev->room_id, redacted) == 0)
		return rc;
	rc = redact_copies(d, ev->room_id, redacted, ev->event_id);
	/* The redacted text is not kept either, nor edits of it. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "forgetting a redacted message",
				    "UPDATE casus_events SET content = '{}' WHERE room_id = ? AND event_id = ?", 2, ev->room_id,
				    redacted);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "forgetting a redacted message",
				    "UPDATE casus_edits SET content = '{}', state = CASE WHEN state = 'approved' THEN state "
				    "ELSE 'withdrawn' END WHERE room_id = ? AND original = ?", 2, ev->room_id, redacted);
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
