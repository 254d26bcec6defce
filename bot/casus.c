/* casus.c: the facts the rules ask about casussen, keeping a casus's
 * messages and opening one, and the casus actions' dispatch (see casus.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casus_int.h"
#include "queue.h"
#include "log.h"
#include "matrix/mx_client.h"

void casus_num(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
}

long long casus_select_num(bot_daemon *d, const char *sql, int n, const char *a, const char *b)
{
	char *v = NULL;
	long long r = 0;

	if (bot_store_select_text(d->store, &v, "reading casussen", sql, n, a, b) == BOT_STORE_OK && v)
		r = strtoll(v, NULL, 10);
	free(v);
	return r;
}

/* ---- facts ---- */

typedef struct casus_row {
	pol_casus *out;
	int found;
} casus_row;

static int casus_cb(void *ctx, sqlite3_stmt *st)
{
	casus_row *r = ctx;
	const unsigned char *t;

	r->out->nr = sqlite3_column_int64(st, 0);
	snprintf(r->out->status, sizeof r->out->status, "%s", (t = sqlite3_column_text(st, 1)) ? (const char *)t : "");
	snprintf(r->out->origin_room, sizeof r->out->origin_room, "%s",
		 (t = sqlite3_column_text(st, 2)) ? (const char *)t : "");
	snprintf(r->out->root_event, sizeof r->out->root_event, "%s",
		 (t = sqlite3_column_text(st, 3)) ? (const char *)t : "");
	snprintf(r->out->casushouder, sizeof r->out->casushouder, "%s",
		 (t = sqlite3_column_text(st, 4)) ? (const char *)t : "");
	r->found = 1;
	return 1;
}

int bot_casus_by_nr(bot_daemon *d, long long nr, const char *room_id, pol_casus *out)
{
	casus_row r = { out, 0 };
	char n[32];

	memset(out, 0, sizeof *out);
	casus_num(n, sizeof n, nr);
	if (bot_store_rows(d->store, "reading a casus", casus_cb, &r,
			   "SELECT c.nr, c.status, c.origin_room, r.root_event, r.casushouder FROM casussen c "
			   "LEFT JOIN casus_rooms r ON r.nr = c.nr AND r.room_id = ? WHERE c.nr = ?", 2, room_id, n) !=
	    BOT_STORE_OK)
		return -1;
	return r.found ? 0 : -1;
}

/* An author's edit held for approval: the edit itself (in the room of its
 * message), or the bot's request about it (where the request went). */
typedef struct edit_row {
	long long nr;
	pol_edit_state state;
	char edit_event[256];
	int found;
} edit_row;

static int edit_cb(void *ctx, sqlite3_stmt *st)
{
	edit_row *r = ctx;
	const unsigned char *state = sqlite3_column_text(st, 1), *ev = sqlite3_column_text(st, 2);
	const char *t = state ? (const char *)state : "";

	r->nr = sqlite3_column_int64(st, 0);
	r->state = strcmp(t, "pending") == 0 ? POL_EDIT_PENDING : strcmp(t, "superseded") == 0 ? POL_EDIT_SUPERSEDED :
		   strcmp(t, "approved") == 0 ? POL_EDIT_APPROVED : POL_EDIT_WITHDRAWN;
	snprintf(r->edit_event, sizeof r->edit_event, "%s", ev ? (const char *)ev : "");
	r->found = 1;
	return 1;
}

/* The casus of a kept message (nr 0 too when with_unopened), with its
 * author and how often it was copied; -1 when not kept. */
int casus_kept_message(bot_daemon *d, const char *room_id, const char *event_id, int with_unopened, pol_casus *out)
{
	char *sender = NULL, *nr_text = NULL;
	long long nr;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (bot_store_select_text(d->store, &nr_text, "reading casussen",
				  "SELECT nr FROM casus_events WHERE room_id = ? AND event_id = ?", 2, room_id,
				  event_id) != BOT_STORE_OK || !nr_text)
		goto cleanup;
	nr = strtoll(nr_text, NULL, 10);
	if (nr > 0 ? bot_casus_by_nr(d, nr, room_id, out) != 0 : !with_unopened)
		goto cleanup;
	if (bot_store_select_text(d->store, &sender, "reading casussen",
				  "SELECT sender FROM casus_events WHERE room_id = ? AND event_id = ?", 2, room_id,
				  event_id) == BOT_STORE_OK && sender)
		snprintf(out->sender, sizeof out->sender, "%s", sender);
	out->copies = (long)casus_select_num(d, "SELECT count(*) FROM forwards WHERE source_event = ?", 1, event_id, NULL);
	rc = 0;
cleanup:
	free(nr_text);
	free(sender);
	return rc;
}

int bot_casus_of_event(bot_daemon *d, const char *room_id, const char *event_id, pol_casus *out)
{
	edit_row e;
	long long nr;

	if (casus_kept_message(d, room_id, event_id, 0, out) == 0)
		return 0;
	memset(&e, 0, sizeof e);
	if (bot_store_rows(d->store, "reading edits", edit_cb, &e,
			   "SELECT nr, state, edit_event FROM casus_edits WHERE (room_id = ? AND edit_event = ?) "
			   "OR (request_room = ?1 AND request_event = ?2) LIMIT 1", 2, room_id, event_id) == BOT_STORE_OK &&
	    e.found) {
		if (bot_casus_by_nr(d, e.nr, room_id, out) != 0)
			return -1;
		out->edit = e.state;
		snprintf(out->edit_event, sizeof out->edit_event, "%s", e.edit_event);
		return 0;
	}
	/* The bot's copy, before sync showed it back: its root is known only
	 * through the forward that made it. */
	nr = casus_select_num(d, "SELECT nr FROM casus_rooms WHERE room_id = ? AND root_event = ?", 2, room_id, event_id);
	memset(out, 0, sizeof *out);
	return nr > 0 ? bot_casus_by_nr(d, nr, room_id, out) : -1;
}

long long bot_casus_open_in(bot_daemon *d, const char *room_id)
{
	return casus_select_num(d, "SELECT coalesce(max(nr), 0) FROM casussen WHERE origin_room = ? AND status = 'open'", 1,
			  room_id, NULL);
}

long long bot_casus_last_nr(bot_daemon *d)
{
	return casus_select_num(d, "SELECT coalesce(max(nr), 0) FROM casussen", 0, NULL, NULL);
}

int bot_casus_is_casushouder(bot_daemon *d, const char *room_id, const char *user)
{
	/* Closed ones count too: their casushouder hears "al afgesloten" rather
	 * than a refusal; the command checks the casus at hand. */
	return casus_select_num(d, "SELECT count(*) FROM casus_rooms WHERE room_id = ? AND casushouder = ?", 2, room_id,
			  user) > 0;
}

/* ---- keeping messages ---- */

int casus_keep_event(bot_daemon *d, const char *room_id, const char *event_id, long long nr, const char *sender,
		      const cJSON *content)
{
	char *json = content ? cJSON_PrintUnformatted(content) : strdup("{}"), n[32];
	int rc;

	if (!json)
		return BOT_STORE_ERR;
	casus_num(n, sizeof n, nr);
	/* A message kept before (nr 0, in a stuurgroep room) joins the casus its approval opened. */
	rc = bot_store_exec(d->store, "keeping a casus message",
			    "INSERT INTO casus_events (room_id, event_id, nr, sender, ts, content) "
			    "VALUES (?, ?, ?, ?, :now, ?) ON CONFLICT (room_id, event_id) DO UPDATE SET "
			    "nr = CASE WHEN nr = 0 THEN excluded.nr ELSE nr END", 5, room_id, event_id, n, sender, json);
	free(json);
	return rc;
}

int casus_open(bot_daemon *d, long long nr, const char *room_id, const char *event_id,
		      const char *casushouder)
{
	char n[32];
	int rc;

	casus_num(n, sizeof n, nr);
	rc = bot_store_exec(d->store, "opening a casus",
			    "INSERT INTO casussen (nr, origin_room, origin_event, opened) VALUES (?, ?, ?, :now)", 3, n,
			    room_id, event_id);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "opening a casus",
				    "INSERT INTO casus_rooms (nr, room_id, root_event, casushouder) VALUES (?, ?, ?, ?) "
				    "ON CONFLICT (nr, room_id) DO NOTHING", 4, n, room_id, event_id, casushouder);
	if (rc == BOT_STORE_OK)
		LOG_INFO("casus %lld opened", nr);
	return rc;
}

/* A private word in the resident's direct chat. Without one yet, the bot
 * opens it and keeps the word until the resident joins. */
static int private_note(bot_daemon *d, const pol_private_plan *a, const char *txn)
{
	char *room = NULL, content[600], open_txn[TXN_MAX + 8];
	cJSON *c;
	char *json;
	int rc;

	if (bot_store_direct_room_of(d->store, a->user, &room) == BOT_STORE_OK) {
		rc = bot_notice_queue(d, room, a->text, NULL, NULL, txn);
		free(room);
		return rc;
	}
	rc = bot_store_exec(d->store, "keeping a private note",
			    "INSERT INTO private_notes (user_id, text, at) VALUES (?, ?, :now)", 2, a->user, a->text);
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "user", a->user);
	json = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	if (!json)
		return BOT_STORE_ERR;
	snprintf(content, sizeof content, "%s", json);
	free(json);
	snprintf(open_txn, sizeof open_txn, "%s.dm", txn);
	if (rc == BOT_STORE_OK)
		rc = bot_store_outbox_add(d->store, BOT_OUT_DM, open_txn, a->user, NULL, content);
	return rc;
}

typedef struct note_list {
	long long id[64];
	char *text[64];
	size_t n;
} note_list;

static int note_cb(void *ctx, sqlite3_stmt *st)
{
	note_list *l = ctx;
	const unsigned char *t = sqlite3_column_text(st, 1);

	if (l->n >= 64)
		return 1;
	l->id[l->n] = sqlite3_column_int64(st, 0);
	l->text[l->n] = t ? strdup((const char *)t) : NULL;
	l->n++;
	return 0;
}

int bot_casus_deliver_notes(bot_daemon *d, const char *user, const char *room_id)
{
	note_list l;
	char txn[TXN_MAX], n[32];
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	rc = bot_store_rows(d->store, "reading private notes", note_cb, &l,
			    "SELECT id, text FROM private_notes WHERE user_id = ? ORDER BY id LIMIT 64", 1, user);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		casus_num(n, sizeof n, l.id[i]);
		snprintf(txn, sizeof txn, "note:%lld", l.id[i]);
		if (l.text[i])
			rc = bot_notice_queue(d, room_id, l.text[i], NULL, NULL, txn);
		if (rc == BOT_STORE_OK)
			rc = bot_store_exec(d->store, "delivering a private note", "DELETE FROM private_notes WHERE id = ?", 1, n);
	}
	for (i = 0; i < l.n; i++)
		free(l.text[i]);
	return rc;
}

/* A 🚩: counted for the author (when the bot saw who wrote it), and the
 * stuurgroep gets a link to the message. */
static int flag(bot_daemon *d, const pol_input *in, const pol_mark_plan *a, const char *txn)
{
	char *author = NULL, text[POL_TEXT_MAX], link[700], *esc_room, *esc_event;
	long warnings = 0, flags = 0;
	int rc;

	if (bot_store_select_text(d->store, &author, "reading recent posts",
				  "SELECT user_id FROM recent_posts WHERE room_id = ? AND event_id = ?", 2, in->room_id,
				  a->event) == BOT_STORE_ERR)
		return BOT_STORE_ERR;
	rc = BOT_STORE_OK;
	if (author)
		rc = bot_store_exec(d->store, "recording a flag",
				    "INSERT INTO marks (user_id, kind, at, by_user, room_id, event_id) "
				    "VALUES (?, 'flag', :now, ?, ?, ?)", 4, author, a->user, in->room_id, a->event);
	if (rc == BOT_STORE_OK && author)
		bot_casus_marks(d, author, &warnings, &flags);
	esc_room = mx_escape(in->room_id);
	esc_event = mx_escape(a->event);
	snprintf(link, sizeof link, "https://matrix.to/#/%s/%s", esc_room ? esc_room : "", esc_event ? esc_event : "");
	free(esc_room);
	free(esc_event);
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_FLAG_NOTICE, a->user, author ? author : "?",
		  casus_room_name(d, in->room_id), link, flags);
	if (rc == BOT_STORE_OK)
		rc = bot_notice_queue_key(d, a->room_key, text, txn);
	free(author);
	return rc;
}

void bot_casus_marks(bot_daemon *d, const char *user, long *warnings, long *flags)
{
	*warnings = (long)casus_select_num(d, "SELECT count(*) FROM marks WHERE user_id = ? AND kind = 'warning'", 1, user, NULL);
	*flags = (long)casus_select_num(d, "SELECT count(*) FROM marks WHERE user_id = ? AND kind = 'flag'", 1, user, NULL);
}

int bot_casus_note_post(bot_daemon *d, const char *room_id, const char *event_id, const char *user, int top_level)
{
	return bot_store_exec(d->store, "recording a post",
			      "INSERT INTO recent_posts (room_id, event_id, user_id, at, top_level) VALUES (?, ?, ?, "
			      ":now, ?) ON CONFLICT (room_id, event_id) DO NOTHING", 4, room_id, event_id, user,
			      top_level ? "1" : "0");
}

long bot_casus_recent_posts(bot_daemon *d, const char *room_id, const char *user, long seconds)
{
	char s[32];

	char *v = NULL;
	long n = 0;

	casus_num(s, sizeof s, seconds);
	if (bot_store_select_text(d->store, &v, "counting posts",
				  "SELECT count(*) FROM recent_posts WHERE room_id = ? AND user_id = ? AND top_level = 1 "
				  "AND at > :now - ?", 3, room_id, user, s) == BOT_STORE_OK && v)
		n = strtol(v, NULL, 10);
	free(v);
	return n;
}

int bot_casus_action(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base, size_t index)
{
	char txn[TXN_MAX];
	int rc;

	snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
	switch (a->kind) {
	case POL_ACT_CASUS_OPEN:
		rc = casus_open(d, a->casus.nr, in->room_id, in->event_id, a->casus.houder);
		return rc == BOT_STORE_OK ?
			casus_keep_event(d, in->room_id, in->event_id, a->casus.nr, in->sender, in->content) : rc;
	case POL_ACT_CASUS_EVENT:
		return casus_keep_event(d, in->room_id, in->event_id, a->casus.nr, in->sender, in->content);
	case POL_ACT_FORWARD:
		return casus_forward(d, in, a, txn_base, index);
	case POL_ACT_CASUS_CLOSE:
		return casus_close(d, in, a, txn);
	case POL_ACT_CASUS_LIST:
		return casus_list(d, in, a, txn);
	case POL_ACT_PRIVATE:
		return private_note(d, &a->priv, txn);
	case POL_ACT_MARK:
		return bot_store_exec(d->store, "recording a warning",
				      "INSERT INTO marks (user_id, kind, at, by_user, room_id) VALUES (?, 'warning', :now"
				      ", ?, ?)", 3, a->mark.user, in->sender, in->room_id);
	case POL_ACT_FLAG:
		return flag(d, in, &a->mark, txn);
	case POL_ACT_CASUS_LINK: {
		char n[32], linked[32];

		casus_num(n, sizeof n, a->link.nr);
		casus_num(linked, sizeof linked, a->link.linked);
		rc = bot_store_exec(d->store, "linking casussen",
				    "INSERT INTO casus_links (nr, linked) VALUES (?, ?) ON CONFLICT DO NOTHING", 2, n, linked);
		return rc == BOT_STORE_OK ?
			bot_notice_queue(d, in->room_id, a->link.text, a->reply_to, a->thread_root, txn) : rc;
	}
	default:
		return BOT_STORE_OK;
	}
}
