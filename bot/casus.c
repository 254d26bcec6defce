/* casus.c: see casus.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "actions.h"
#include "casus.h"
#include "flood.h"
#include "log.h"
#include "when.h"
#include "store_int.h"
#include "matrix/mx_client.h"
#include "matrix/mx_html.h"
#include "policy/pol_route.h"

#define TXN_MAX 1400
#define FIELD_CASUS "nl.buurtbot.casus"
#define FIELD_BRON "nl.buurtbot.bron"
#define FIELD_EDIT "nl.buurtbot.bewerking"   /* the bot's request to approve an edit */

static void num(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
}

static long long select_num(bot_daemon *d, const char *sql, int n, const char *a, const char *b)
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
	num(n, sizeof n, nr);
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
static int kept_message(bot_daemon *d, const char *room_id, const char *event_id, int with_unopened, pol_casus *out)
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
	out->copies = (long)select_num(d, "SELECT count(*) FROM forwards WHERE source_event = ?", 1, event_id, NULL);
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

	if (kept_message(d, room_id, event_id, 0, out) == 0)
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
	nr = select_num(d, "SELECT nr FROM casus_rooms WHERE room_id = ? AND root_event = ?", 2, room_id, event_id);
	memset(out, 0, sizeof *out);
	return nr > 0 ? bot_casus_by_nr(d, nr, room_id, out) : -1;
}

long long bot_casus_open_in(bot_daemon *d, const char *room_id)
{
	return select_num(d, "SELECT coalesce(max(nr), 0) FROM casussen WHERE origin_room = ? AND status = 'open'", 1,
			  room_id, NULL);
}

long long bot_casus_next_nr(bot_daemon *d)
{
	return select_num(d, "SELECT coalesce(max(nr), 0) + 1 FROM casussen", 0, NULL, NULL);
}

int bot_casus_is_casushouder(bot_daemon *d, const char *room_id, const char *user)
{
	/* Closed ones count too: their casushouder hears "al afgesloten" rather
	 * than a refusal; the command checks the casus at hand. */
	return select_num(d, "SELECT count(*) FROM casus_rooms WHERE room_id = ? AND casushouder = ?", 2, room_id,
			  user) > 0;
}

/* ---- keeping messages ---- */

static int keep_event(bot_daemon *d, const char *room_id, const char *event_id, long long nr, const char *sender,
		      const cJSON *content)
{
	char *json = content ? cJSON_PrintUnformatted(content) : strdup("{}"), n[32];
	int rc;

	if (!json)
		return BOT_STORE_ERR;
	num(n, sizeof n, nr);
	/* A message kept before (nr 0, in a stuurgroep room) joins the casus its approval opened. */
	rc = bot_store_exec(d->store, "keeping a casus message",
			    "INSERT INTO casus_events (room_id, event_id, nr, sender, ts, content) "
			    "VALUES (?, ?, ?, ?, :now, ?) ON CONFLICT (room_id, event_id) DO UPDATE SET "
			    "nr = CASE WHEN nr = 0 THEN excluded.nr ELSE nr END", 5, room_id, event_id, n, sender, json);
	free(json);
	return rc;
}

static int open_casus(bot_daemon *d, long long nr, const char *room_id, const char *event_id,
		      const char *casushouder)
{
	char n[32];
	int rc;

	num(n, sizeof n, nr);
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

/* ---- forwarding ---- */

typedef struct source {
	char *sender, *content;
	long long ts;
	int found;
} source;

static int source_cb(void *ctx, sqlite3_stmt *st)
{
	source *s = ctx;
	const unsigned char *a = sqlite3_column_text(st, 0), *b = sqlite3_column_text(st, 1);

	s->sender = a ? strdup((const char *)a) : NULL;
	s->content = b ? strdup((const char *)b) : NULL;
	s->ts = sqlite3_column_int64(st, 2);
	s->found = s->sender && s->content;
	return 1;
}

/* The resident's text after a leading reply fallback ("> " lines and the
 * blank line after them), which clients strip from replies (Rich replies). */
static const char *skip_reply_fallback(const char *s, int reply)
{
	const char *p = s;

	if (!reply || *p != '>')
		return s;
	while (*p == '>') {
		p = strchr(p, '\n');
		if (!p)
			return "";
		p++;
	}
	return *p == '\n' ? p + 1 : p;
}

/* s with every line behind "> ", so that in the copy's plain body the
 * resident's lines are set apart from the bot's header whatever they say.
 * Malloc'ed; NULL when out of memory. */
static char *quote_plain(const char *s)
{
	size_t n = 2 * strlen(s) + 8;
	char *out = malloc(n);

	if (out)
		pol_quote_lines(s, out, n);
	return out;
}

/* The copy: the bot's attribution header, then the resident's message set
 * apart from it (a <blockquote> in formatted_body, "> " lines in body), so
 * nothing a resident writes can pass for the bot's words. Their HTML goes
 * through the sanitizer (the spec's tags, no scripts, links http(s) and
 * mailto only). Media (an image, a file) keep their url or encrypted file,
 * so the upload is reused, with the header as caption and their own caption
 * quoted below it. Only known keys are copied: nothing a resident adds to
 * the content (mentions, relations, the bot's own fields) travels along. */
static cJSON *copy_content(const cJSON *orig, const char *header, long long nr, const char *src_room,
			   const char *src_event)
{
	static const char *const media_types[] = { "m.image", "m.file", "m.audio", "m.video", "m.location", NULL };
	static const char *const media_keys[] = { "url", "file", "info", "filename", "geo_uri", NULL };
	const size_t html_max = 32768;   /* the whole event must stay under 64 KiB encrypted */
	const cJSON *mt = cJSON_GetObjectItemCaseSensitive(orig, "msgtype");
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(orig, "body");
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(orig, "format");
	const cJSON *fb = cJSON_GetObjectItemCaseSensitive(orig, "formatted_body");
	const cJSON *fname = cJSON_GetObjectItemCaseSensitive(orig, "filename");
	const cJSON *rel = cJSON_GetObjectItemCaseSensitive(orig, "m.relates_to");
	const char *b = cJSON_IsString(body) ? body->valuestring : "", *own;
	const char *media = NULL;
	char *eh = NULL, *inner = NULL, *quoted = NULL, *text = NULL, *html = NULL;
	cJSON *c = cJSON_CreateObject(), *bron;
	int has_text;
	size_t i, n;

	for (i = 0; cJSON_IsString(mt) && media_types[i]; i++)
		if (strcmp(mt->valuestring, media_types[i]) == 0)
			media = media_types[i];
	/* A file's body is a caption only when it differs from its filename
	 * (Matrix 1.10); without a filename the body is the filename. */
	has_text = !media || strcmp(media, "m.location") == 0 || (cJSON_IsString(fname) && strcmp(fname->valuestring, b) != 0);
	own = skip_reply_fallback(b, cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rel, "m.in_reply_to")));
	if (!c || mx_html_escape(&eh, header, html_max, NULL) != MX_OK)
		goto fail;
	if (has_text) {
		if (cJSON_IsString(fmt) && strcmp(fmt->valuestring, "org.matrix.custom.html") == 0 && cJSON_IsString(fb))
			mx_html_sanitize(&inner, fb->valuestring, strlen(fb->valuestring), html_max, MX_HTML_MAX_DEPTH - 1,
					 NULL);
		if (!inner)
			mx_html_escape(&inner, own, html_max, NULL);
		quoted = quote_plain(own);
		if (!quoted)
			goto fail;
	}
	n = strlen(header) + (quoted ? strlen(quoted) : 0) + 3;
	text = malloc(n);
	if (!text)
		goto fail;
	snprintf(text, n, "%s%s%s", header, quoted ? "\n\n" : "", quoted ? quoted : "");
	/* Without HTML for the resident's part (too long), plain text only:
	 * a header alone would hide the message from clients showing HTML. */
	if (!has_text || inner) {
		n = strlen(eh) + (inner ? strlen(inner) : 0) + 48;
		html = malloc(n);
		if (!html)
			goto fail;
		snprintf(html, n, "<p><b>%s</b></p>%s%s%s", eh, inner ? "<blockquote>" : "", inner ? inner : "",
			 inner ? "</blockquote>" : "");
	}
	cJSON_AddStringToObject(c, "msgtype", media ? media : "m.text");
	cJSON_AddStringToObject(c, "body", text);
	if (html && !(media && strcmp(media, "m.location") == 0)) {   /* m.location has no HTML form */
		cJSON_AddStringToObject(c, "format", "org.matrix.custom.html");
		cJSON_AddStringToObject(c, "formatted_body", html);
	}
	for (i = 0; media && media_keys[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(orig, media_keys[i]);

		if (v)
			cJSON_AddItemToObject(c, media_keys[i], cJSON_Duplicate(v, 1));
	}
	if (media && strcmp(media, "m.location") != 0 && !cJSON_IsString(fname))
		cJSON_AddStringToObject(c, "filename", b);
	/* No pings from the copy: whatever "@room" the resident wrote. */
	cJSON_AddObjectToObject(c, "m.mentions");
	cJSON_AddNumberToObject(c, FIELD_CASUS, (double)nr);
	bron = cJSON_AddObjectToObject(c, FIELD_BRON);
	cJSON_AddStringToObject(bron, "room", src_room);
	cJSON_AddStringToObject(bron, "event", src_event);
	goto cleanup;
fail:
	cJSON_Delete(c);
	c = NULL;
cleanup:
	free(eh);
	free(inner);
	free(quoted);
	free(text);
	free(html);
	return c;
}

static const char *room_name(bot_daemon *d, const char *room_id)
{
	char *key = NULL;
	const pol_room *r = NULL;

	if (bot_store_room_key_of(d->store, room_id, &key) == BOT_STORE_OK)
		r = pol_structure_room_by_key(d->structure, key);
	free(key);
	return r ? r->naam : room_id;
}

static void add_name(char *buf, size_t size, const char *name)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s", len ? ", " : "", name);
}

/* "Casus #12 uit Wijkgroep Noord (14:32, casushouder @anna, doorgezet door @anna):",
 * houder being the casushouder in the room the copy goes to. */
static void copy_header(bot_daemon *d, long long nr, long long ts, const char *houder, const char *approver, char *buf,
			size_t size)
{
	pol_casus c;
	char when[16];

	bot_casus_by_nr(d, nr, "", &c);
	bot_when_time(ts, when, sizeof when);
	pol_textf(buf, size, d->pol.lang, POL_TXT_CASUS_COPY_HEADER, nr, room_name(d, c.origin_room), when, houder,
		  approver);
}

/* The casushouder of casus nr in room_id, into buf ("" when none). */
static void houder_in(bot_daemon *d, long long nr, const char *room_id, char *buf, size_t size)
{
	pol_casus c;

	buf[0] = '\0';
	if (bot_casus_by_nr(d, nr, room_id, &c) == 0)
		snprintf(buf, size, "%s", c.casushouder);
}

static int forward_edit(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn);

static int forward(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base, size_t index)
{
	char header[1200], sent[1500] = "", already[1500] = "", text[POL_TEXT_MAX], txn[TXN_MAX], n[32];
	char houder[256], there[256];
	const char *src_room = in->room_id, *src_event = a->event;
	source src = { NULL, NULL, 0, 0 };
	cJSON *orig = NULL, *copy;
	pol_route route;
	pol_text_id why;
	pol_casus c;
	long long nr = a->nr;
	size_t i;
	int rc;

	if (a->edit) {
		snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
		return forward_edit(d, in, a, txn);
	}
	rc = bot_store_rows(d->store, "reading a casus message", source_cb, &src,
			    "SELECT sender, content, ts FROM casus_events WHERE room_id = ? AND event_id = ?", 2, src_room,
			    src_event);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	if (!src.found || pol_route_find(d->structure, a->room_key, a->text, a->user, &route, &why) != 0) {
		snprintf(text, sizeof text, "%s", pol_text(d->pol.lang, POL_TXT_CASUS_NOT_A_CASUS));
		snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
		rc = bot_notice_queue(d, in->room_id, text, a->reply_to, a->thread_root, txn);
		goto cleanup;
	}
	if (nr <= 0) {   /* a police or stuurgroep message: its approval opens the casus */
		nr = bot_casus_next_nr(d);
		rc = open_casus(d, nr, src_room, src_event, NULL);
		if (rc == BOT_STORE_OK)
			rc = keep_event(d, src_room, src_event, nr, src.sender, NULL);
		if (rc != BOT_STORE_OK)
			goto cleanup;
	}
	orig = cJSON_Parse(src.content);
	/* A copy forwarded on: the original content travels, not the copy's. */
	bot_casus_by_nr(d, nr, src_room, &c);
	/* The casushouder in the targets: the approver where the route makes
	 * them one (a police message, a regiegroep message into wijkgroepen:
	 * seed, police route step 2), else whoever is casushouder where the
	 * message comes from (the melder). */
	if (a->allowed)
		snprintf(houder, sizeof houder, "%s", a->user);
	else if (c.casushouder[0])
		snprintf(houder, sizeof houder, "%s", c.casushouder);
	else {
		houder_in(d, nr, c.origin_room, houder, sizeof houder);
		if (!houder[0])
			snprintf(houder, sizeof houder, "%s", src.sender);
	}
	num(n, sizeof n, nr);
	for (i = 0; i < route.n && rc == BOT_STORE_OK; i++) {
		char *target = NULL;
		const pol_room *tr = pol_structure_room_by_key(d->structure, route.targets[i]);

		if (bot_store_room_get(d->store, route.targets[i], &target) != BOT_STORE_OK)
			continue;
		if (select_num(d, "SELECT count(*) FROM forwards WHERE source_event = ? AND target_room = ?", 2, src_event,
			       target) > 0) {
			add_name(already, sizeof already, tr ? tr->naam : target);
			free(target);
			continue;   /* at most once per message and target */
		}
		/* A room the casus reached before keeps its casushouder. */
		houder_in(d, nr, target, there, sizeof there);
		copy_header(d, nr, src.ts, there[0] ? there : houder, a->user, header, sizeof header);
		copy = copy_content(orig, header, nr, src_room, src_event);
		/* A follow-up goes into the casus's thread there, under its root. */
		{
			char *root = NULL;

			if (copy && bot_store_select_text(d->store, &root, "reading casus rooms",
							  "SELECT root_event FROM casus_rooms WHERE nr = ? AND room_id = ? "
							  "AND root_event IS NOT NULL", 2, n, target) == BOT_STORE_OK && root)
				mx_content_set_thread(copy, root, root);
			free(root);
		}
		{
			char *json = copy ? cJSON_PrintUnformatted(copy) : NULL;

			snprintf(txn, sizeof txn, "fwd:%s:%s", src_event, target);
			rc = json ? bot_store_outbox_add(d->store, BOT_OUT_SEND, txn, target, "m.room.message", json)
				  : BOT_STORE_ERR;
			free(json);
		}
		cJSON_Delete(copy);
		if (rc == BOT_STORE_OK)
			rc = bot_store_exec(d->store, "recording a forward",
					    "INSERT INTO forwards (source_event, target_room, nr, txn, approver, at) "
					    "VALUES (?, ?, ?, ?, ?, :now)", 5, src_event, target, n, txn, a->user);
		if (rc == BOT_STORE_OK)
			rc = bot_store_exec(d->store, "recording a forward",
					    "INSERT INTO casus_rooms (nr, room_id, casushouder) VALUES (?, ?, ?) "
					    "ON CONFLICT (nr, room_id) DO UPDATE SET casushouder = "
					    "coalesce(casushouder, excluded.casushouder)", 3, n, target, houder);
		add_name(sent, sizeof sent, tr ? tr->naam : target);
		free(target);
	}
	if (rc != BOT_STORE_OK)
		goto cleanup;
	LOG_INFO("casus %lld: a message forwarded to %zu room(s)", nr, route.n);
	/* One confirmation in the origin thread. */
	text[0] = '\0';
	if (sent[0])
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_FORWARDED, sent, a->user);
	if (already[0]) {
		char more[1700];

		pol_textf(more, sizeof more, d->pol.lang, POL_TXT_CASUS_ALREADY_FORWARDED, already);
		snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", text[0] ? "\n" : "", more);
	}
	snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
	/* In the casus thread, answering the approval (the command, or the
	 * approved message itself for a reaction). */
	rc = bot_notice_queue(d, in->room_id, text, a->reply_to ? a->reply_to : src_event,
			      c.root_event[0] ? c.root_event : src_event, txn);
cleanup:
	cJSON_Delete(orig);
	free(src.sender);
	free(src.content);
	return rc;
}

/* ---- afloop ---- */

/* The rooms a casus reached, with its root and casushouder there (the
 * third column, when the query has one). */
typedef struct room_list {
	char *room[128], *root[128], *houder[128];
	size_t n;
} room_list;

static int rooms_cb(void *ctx, sqlite3_stmt *st)
{
	room_list *l = ctx;
	const unsigned char *r = sqlite3_column_text(st, 0), *e = sqlite3_column_text(st, 1);
	const unsigned char *h = sqlite3_column_count(st) > 2 ? sqlite3_column_text(st, 2) : NULL;

	if (l->n >= 128)
		return 1;
	l->room[l->n] = r ? strdup((const char *)r) : NULL;
	l->root[l->n] = e ? strdup((const char *)e) : NULL;
	l->houder[l->n] = h ? strdup((const char *)h) : NULL;
	l->n++;
	return 0;
}

static void rooms_free(room_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->room[i]);
		free(l->root[i]);
		free(l->houder[i]);
	}
	l->n = 0;
}

/* Posts text in every room casus nr reached, in its thread there; with
 * with_houder naming the casushouder of each room under it. */
static int to_every_room(bot_daemon *d, long long nr, const char *text, const char *tag, int with_houder,
			 size_t *count)
{
	room_list l;
	char n[32], txn[TXN_MAX], line[POL_TEXT_MAX], houder[400];
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	num(n, sizeof n, nr);
	rc = bot_store_rows(d->store, "reading casus rooms", rooms_cb, &l,
			    "SELECT room_id, root_event, casushouder FROM casus_rooms WHERE nr = ? ORDER BY rowid", 1, n);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		if (!l.room[i])
			continue;
		snprintf(line, sizeof line, "%s", text);
		if (with_houder && l.houder[i]) {
			pol_textf(houder, sizeof houder, d->pol.lang, POL_TXT_AFLOOP_HOUDER, l.houder[i]);
			snprintf(line + strlen(line), sizeof line - strlen(line), "\n%s", houder);
		}
		snprintf(txn, sizeof txn, "%s:%lld:%s", tag, nr, l.room[i]);
		rc = bot_notice_queue(d, l.room[i], line, l.root[i], l.root[i], txn);
	}
	if (count)
		*count = l.n;
	rooms_free(&l);
	return rc;
}

static int close_casus(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX], quoted[POL_TEXT_MAX / 2], part[200] = "", n[32];
	size_t rooms = 0;
	int rc;

	num(n, sizeof n, a->nr);
	if (a->command[0])
		snprintf(part, sizeof part, " (%s)", a->command);
	/* The casushouder's words go out under the bot's name without an
	 * approval: quoted, they can never pass for the bot's own lines. */
	pol_quote_lines(a->text, quoted, sizeof quoted);
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_AFLOOP_TEXT, a->nr, part, quoted);
	rc = bot_store_exec(d->store, "closing a casus",
			    "UPDATE casussen SET status = 'closed', uitkomst = ?, afloop = ?, closed = :now"
			    " WHERE nr = ? AND status = 'open'", 3, a->command[0] ? a->command : "onbekend", a->text, n);
	if (rc == BOT_STORE_OK)
		rc = to_every_room(d, a->nr, text, "afloop", 1, &rooms);
	if (rc == BOT_STORE_OK) {
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_AFLOOP_DONE, a->nr, rooms);
		rc = bot_notice_queue(d, in->room_id, text, a->reply_to, a->thread_root, txn);
		LOG_INFO("casus %lld closed", a->nr);
	}
	return rc;
}

/* ---- !casus ---- */

typedef struct list_ctx {
	bot_daemon *d;
	const char *asker;   /* NULL: sees all (an operator) */
	char *buf;
	size_t size, n;
} list_ctx;

/* Who is casushouder of casus nr where: "@anna (Wijkgroep Noord, Wijkgroep
 * Zuid); @jan (Wijkgroep Noord)", for a room the casus has no casushouder
 * in (a stuurgroep room where a police message came in); "-" for none. */
static void houders_text(bot_daemon *d, long long nr, char *buf, size_t size)
{
	room_list l;
	char n[32];
	size_t i, j, len;

	memset(&l, 0, sizeof l);
	num(n, sizeof n, nr);
	buf[0] = '\0';
	if (bot_store_rows(d->store, "reading casus rooms", rooms_cb, &l,
			   "SELECT room_id, root_event, casushouder FROM casus_rooms WHERE nr = ? AND casushouder IS NOT "
			   "NULL ORDER BY casushouder, rowid", 1, n) == BOT_STORE_OK)
		for (i = 0; i < l.n; i = j) {
			len = strlen(buf);
			snprintf(buf + len, size - len, "%s%s (", len ? "; " : "", l.houder[i] ? l.houder[i] : "?");
			for (j = i; j < l.n && l.houder[j] && l.houder[i] && strcmp(l.houder[j], l.houder[i]) == 0; j++) {
				len = strlen(buf);
				snprintf(buf + len, size - len, "%s%s", j > i ? ", " : "", room_name(d, l.room[j] ? l.room[j] : ""));
			}
			if (j == i)
				j++;
			len = strlen(buf);
			snprintf(buf + len, size - len, ")");
		}
	rooms_free(&l);
	if (!buf[0])
		snprintf(buf, size, "-");
}

static int names_member(const pol_room *r, const char *user)
{
	size_t i;

	for (i = 0; i < r->n_members; i++)
		if (strcmp(r->members[i].user_id, user) == 0)
			return 1;
	return 0;
}

/* A stuurgroep member sees the casussen that reached a room the structure
 * puts them in, not those of other wijken. */
static int visible(bot_daemon *d, long long nr, const char *asker)
{
	room_list l;
	char n[32];
	size_t i;
	int yes = 0;

	if (!asker)
		return 1;
	memset(&l, 0, sizeof l);
	num(n, sizeof n, nr);
	if (bot_store_rows(d->store, "reading casus rooms", rooms_cb, &l,
			   "SELECT room_id, root_event FROM casus_rooms WHERE nr = ?", 1, n) != BOT_STORE_OK)
		return 0;
	for (i = 0; i < l.n && !yes; i++) {
		char *key = NULL;
		const pol_room *r;

		if (l.room[i] && bot_store_room_key_of(d->store, l.room[i], &key) == BOT_STORE_OK &&
		    (r = pol_structure_room_by_key(d->structure, key)))
			yes = names_member(r, asker);
		free(key);
	}
	rooms_free(&l);
	return yes;
}

static int list_cb(void *ctx, sqlite3_stmt *st)
{
	list_ctx *l = ctx;
	char line[1200], when[16], houders[700];
	const unsigned char *room = sqlite3_column_text(st, 1), *status = sqlite3_column_text(st, 3),
			    *houder = sqlite3_column_text(st, 4);
	const char *s = status ? (const char *)status : "";
	size_t len;

	if (!visible(l->d, (long long)sqlite3_column_int64(st, 0), l->asker))
		return 0;
	bot_when_time(sqlite3_column_int64(st, 2), when, sizeof when);
	/* The casushouder in the room asked in; elsewhere every room's. */
	if (houder)
		snprintf(houders, sizeof houders, "%s", (const char *)houder);
	else
		houders_text(l->d, (long long)sqlite3_column_int64(st, 0), houders, sizeof houders);
	pol_textf(line, sizeof line, l->d->pol.lang, POL_TXT_CASUS_LINE, (long long)sqlite3_column_int64(st, 0),
		  room_name(l->d, room ? (const char *)room : ""), when,
		  pol_text(l->d->pol.lang, strcmp(s, "open") == 0 ? POL_TXT_STATUS_OPEN :
				strcmp(s, "closed") == 0 ? POL_TXT_STATUS_CLOSED : POL_TXT_STATUS_EXPIRED),
		  houders, (size_t)sqlite3_column_int64(st, 5));
	len = strlen(l->buf);
	snprintf(l->buf + len, l->size - len, "%s%s", len ? "\n" : "", line);
	l->n++;
	return 0;
}

#define LIST_SQL "SELECT c.nr, c.origin_room, c.opened, c.status, " \
	"(SELECT casushouder FROM casus_rooms r WHERE r.nr = c.nr AND r.room_id = ?1), " \
	"(SELECT count(*) FROM casus_rooms r WHERE r.nr = c.nr) FROM casussen c "

static int list_casussen(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX] = "", body[POL_TEXT_MAX] = "", n[32];
	list_ctx l = { d, NULL, body, sizeof body, 0 };
	size_t k;

	/* Operators (config admins and the structure's operators) see all. */
	l.asker = in->sender;
	for (k = 0; k < d->pol.n_admins; k++)
		if (strcmp(d->pol.admins[k], in->sender) == 0)
			l.asker = NULL;
	if (pol_structure_is_operator(d->structure, in->sender))
		l.asker = NULL;
	int rc;

	if (a->nr > 0) {
		num(n, sizeof n, a->nr);
		rc = bot_store_rows(d->store, "listing casussen", list_cb, &l, LIST_SQL "WHERE c.nr = ?2", 2, in->room_id,
				    n);
		if (rc == BOT_STORE_OK && !l.n)
			pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_UNKNOWN, a->nr);
		else
			snprintf(text, sizeof text, "%s", body);
	} else {
		rc = bot_store_rows(d->store, "listing casussen", list_cb, &l,
				    LIST_SQL "WHERE c.status = 'open' ORDER BY c.nr LIMIT 50", 1, in->room_id);
		if (!l.n)
			snprintf(text, sizeof text, "%s", pol_text(d->pol.lang, POL_TXT_CASUS_NONE));
		else {
			size_t len, bl = strlen(body);

			pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_HEADER, l.n);
			len = strlen(text);
			if (len + 2 < sizeof text) {
				if (len + 1 + bl >= sizeof text)
					bl = sizeof text - len - 2;   /* a very long list is cut */
				text[len] = '\n';
				memcpy(text + len + 1, body, bl);
				text[len + 1 + bl] = '\0';
			}
		}
	}
	if (rc != BOT_STORE_OK)
		return rc;
	return bot_notice_queue(d, in->room_id, text, a->reply_to, a->thread_root, txn);
}

/* A private word in the resident's direct chat. Without one yet, the bot
 * opens it and keeps the word until the resident joins. */
static int private_note(bot_daemon *d, const pol_action *a, const char *txn)
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
		num(n, sizeof n, l.id[i]);
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
static int flag(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
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
		  room_name(d, in->room_id), link, flags);
	if (rc == BOT_STORE_OK)
		rc = bot_notice_queue_key(d, a->room_key, text, txn);
	free(author);
	return rc;
}

void bot_casus_marks(bot_daemon *d, const char *user, long *warnings, long *flags)
{
	*warnings = (long)select_num(d, "SELECT count(*) FROM marks WHERE user_id = ? AND kind = 'warning'", 1, user, NULL);
	*flags = (long)select_num(d, "SELECT count(*) FROM marks WHERE user_id = ? AND kind = 'flag'", 1, user, NULL);
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

	num(s, sizeof s, seconds);
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
		rc = open_casus(d, a->nr, in->room_id, in->event_id, a->user);
		return rc == BOT_STORE_OK ? keep_event(d, in->room_id, in->event_id, a->nr, in->sender, in->content) : rc;
	case POL_ACT_CASUS_EVENT:
		return keep_event(d, in->room_id, in->event_id, a->nr, in->sender, in->content);
	case POL_ACT_FORWARD:
		return forward(d, in, a, txn_base, index);
	case POL_ACT_CASUS_CLOSE:
		return close_casus(d, in, a, txn);
	case POL_ACT_CASUS_LIST:
		return list_casussen(d, in, a, txn);
	case POL_ACT_PRIVATE:
		return private_note(d, a, txn);
	case POL_ACT_MARK:
		return bot_store_exec(d->store, "recording a warning",
				      "INSERT INTO marks (user_id, kind, at, by_user, room_id) VALUES (?, 'warning', :now"
				      ", ?, ?)", 3, a->user, in->sender, in->room_id);
	case POL_ACT_FLAG:
		return flag(d, in, a, txn);
	case POL_ACT_CASUS_LINK: {
		char n[32];

		num(n, sizeof n, a->nr);
		rc = bot_store_exec(d->store, "linking casussen",
				    "INSERT INTO casus_links (nr, linked) VALUES (?, ?) ON CONFLICT DO NOTHING", 2, n, a->event);
		return rc == BOT_STORE_OK ? bot_notice_queue(d, in->room_id, a->text, a->reply_to, a->thread_root, txn) : rc;
	}
	default:
		return BOT_STORE_OK;
	}
}

static int redact_copy(bot_daemon *d, const char *room_id, const char *event, const char *why_txn);

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
	num(n, sizeof n, (long long)nr->valuedouble);
	rc = bot_store_exec(d->store, "recording a copy",
			    "UPDATE casus_rooms SET root_event = coalesce(root_event, ?) WHERE nr = ? AND room_id = ?", 3,
			    ev->event_id, n, ev->room_id);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "recording a copy",
				    "UPDATE forwards SET target_event = coalesce(target_event, ?) WHERE source_event = ? "
				    "AND target_room = ?", 3, ev->event_id, event->valuestring, ev->room_id);
	/* Its message was redacted before the copy was seen back: it goes now. */
	if (rc == BOT_STORE_OK &&
	    select_num(d, "SELECT count(*) FROM forwards WHERE source_event = ? AND target_room = ? AND "
		       "source_redacted = 1", 2, event->valuestring, ev->room_id) > 0)
		return redact_copy(d, ev->room_id, ev->event_id, "late");
	/* The copy belongs to the casus and carries the original content on. */
	if (rc == BOT_STORE_OK &&
	    bot_store_select_text(d->store, &orig, "reading a casus message",
				  "SELECT content FROM casus_events WHERE room_id = ? AND event_id = ?", 2, room->valuestring,
				  event->valuestring) == BOT_STORE_OK) {
		cJSON *c = cJSON_Parse(orig);

		rc = keep_event(d, ev->room_id, ev->event_id, (long long)nr->valuedouble, ev->sender, c);
		cJSON_Delete(c);
	}
	free(orig);
	return rc;
}

/* ---- reminders, expiry, retention ---- */

typedef struct due_list {
	long long nr[128];
	char *room[128], *root[128];
	size_t n;
} due_list;

static int due_cb(void *ctx, sqlite3_stmt *st)
{
	due_list *l = ctx;
	const unsigned char *r = sqlite3_column_text(st, 1), *e = sqlite3_column_text(st, 2);

	if (l->n >= 128)
		return 1;
	l->nr[l->n] = sqlite3_column_int64(st, 0);
	l->room[l->n] = r ? strdup((const char *)r) : NULL;
	l->root[l->n] = e ? strdup((const char *)e) : NULL;
	l->n++;
	return 0;
}

static void due_free(due_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->room[i]);
		free(l->root[i]);
	}
	l->n = 0;
}

static int remind_and_expire(bot_daemon *d)
{
	due_list l;
	char age[32], text[POL_TEXT_MAX], n[32], txn[TXN_MAX];
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	num(age, sizeof age, (long long)d->cfg->casus_expiry_hours * 3600);
	rc = bot_store_rows(d->store, "reading casussen", due_cb, &l,
			    "SELECT nr, origin_room, origin_event FROM casussen WHERE status = 'open' AND opened <= "
			    ":now - ? ORDER BY nr LIMIT 128", 1, age);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		num(n, sizeof n, l.nr[i]);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_EXPIRED, l.nr[i], d->cfg->casus_expiry_hours);
		rc = bot_store_exec(d->store, "expiring a casus",
				    "UPDATE casussen SET status = 'expired', closed = :now WHERE nr = ?", 1, n);
		if (rc == BOT_STORE_OK)
			rc = to_every_room(d, l.nr[i], text, "expired", 0, NULL);
		LOG_INFO("casus %lld expired without afloop", l.nr[i]);
	}
	due_free(&l);
	if (rc != BOT_STORE_OK)
		return rc;
	num(age, sizeof age, (long long)d->cfg->casus_reminder_hours * 3600);
	rc = bot_store_rows(d->store, "reading casussen", due_cb, &l,
			    "SELECT nr, origin_room, origin_event FROM casussen WHERE status = 'open' AND reminded = 0 "
			    "AND opened <= :now - ? ORDER BY nr LIMIT 128", 1, age);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		char *key = NULL;
		const pol_room *r;

		num(n, sizeof n, l.nr[i]);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_REMINDER, l.nr[i], d->cfg->casus_reminder_hours);
		rc = bot_store_exec(d->store, "reminding", "UPDATE casussen SET reminded = 1 WHERE nr = ?", 1, n);
		snprintf(txn, sizeof txn, "casus-reminder:%lld", l.nr[i]);
		if (rc == BOT_STORE_OK && l.room[i])
			rc = bot_notice_queue(d, l.room[i], text, l.root[i], l.root[i], txn);
		/* and the stuurgroep of the origin wijkgroep */
		if (rc == BOT_STORE_OK && l.room[i] && bot_store_room_key_of(d->store, l.room[i], &key) == BOT_STORE_OK &&
		    (r = pol_structure_room_by_key(d->structure, key)) && r->wijkgroep) {
			char sgk[POL_STRUCT_MAX_KEY + 16];

			snprintf(sgk, sizeof sgk, "stuurgroep:%s", r->wijkgroep->stuurgroep->id);
			strncat(txn, ":sg", sizeof txn - strlen(txn) - 1);
			rc = bot_notice_queue_key(d, sgk, text, txn);
		}
		free(key);
	}
	due_free(&l);
	return rc;
}

/* After the retention time only anonymous counts remain: number, status,
 * times and uitkomst; messages, edits, rooms, forwards and the afloop
 * text go. */
static int retention(bot_daemon *d)
{
	char age[32];
	int rc;
	static const char *const purge[] = {
		"DELETE FROM casus_events WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= :now - ?)",
		"DELETE FROM forwards WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= :now - ?)",
		"DELETE FROM casus_rooms WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= :now - ?)",
		"DELETE FROM casus_edits WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= :now - ?)",
		"UPDATE casussen SET afloop = NULL, origin_event = '' WHERE status != 'open' AND closed <= :now - ?",
		/* messages that never joined a casus */
		"DELETE FROM casus_events WHERE nr = 0 AND ts <= :now - ?",
		NULL,
	};
	size_t i;

	num(age, sizeof age, (long long)d->cfg->casus_retention_days * 86400);
	for (i = 0, rc = BOT_STORE_OK; purge[i] && rc == BOT_STORE_OK; i++)
		rc = bot_store_exec(d->store, "casus retention", purge[i], 1, age);
	/* Who wrote what is needed for a week at most (flags, chatter), and a
	 * private word nobody came to read is dropped after a week too. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "casus retention", "DELETE FROM recent_posts WHERE at <= :now - 604800", 0);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "casus retention", "DELETE FROM private_notes WHERE at <= :now - 604800", 0);
	return rc;
}

void bot_casus_housekeeping(bot_daemon *d)
{
	int rc;

	if (d->now - d->casus_swept_at < 60 || !d->structure)
		return;
	d->casus_swept_at = d->now;
	if (bot_store_begin(d->store) != BOT_STORE_OK)
		return;
	rc = remind_and_expire(d);
	if (rc == BOT_STORE_OK)
		rc = retention(d);
	if (rc == BOT_STORE_OK)
		rc = bot_flood_housekeeping(d);
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_WARN("casus housekeeping failed: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
	}
}

/* ---- edits and redactions follow the copies ---- */

#define WALK_MAX 128
#define QUOTE_MAX 1200   /* old and new text in an edit request */

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
	size_t i, j;

	buf[0] = '\0';
	for (i = 0; i < w->n; i++) {
		for (j = 0; j < i && strcmp(w->room[j], w->room[i]) != 0; j++)
			;
		if (j == i)
			add_name(buf, size, room_name(d, w->room[i]));
	}
}

static const char *body_of(const cJSON *content)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(content, "body");

	return cJSON_IsString(b) ? b->valuestring : "";
}

/* The edit of a copy: m.new_content is the new copy (attribution and all);
 * it always replaces the copy event itself (an edit of an edit is no
 * edit), with the "* " fallback and no new mentions. Takes newc. */
static cJSON *copy_edit(cJSON *newc, const char *copy_event)
{
	const cJSON *fb = cJSON_GetObjectItemCaseSensitive(newc, "formatted_body");
	cJSON *edit = cJSON_Duplicate(newc, 1), *rel;
	char *star;
	size_t n;

	if (!edit) {
		cJSON_Delete(newc);
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(edit, FIELD_CASUS);
	cJSON_DeleteItemFromObjectCaseSensitive(edit, FIELD_BRON);
	n = strlen(body_of(newc)) + 3;
	if ((star = malloc(n))) {
		snprintf(star, n, "* %s", body_of(newc));
		cJSON_ReplaceItemInObjectCaseSensitive(edit, "body", cJSON_CreateString(star));
		free(star);
	}
	n = cJSON_IsString(fb) ? strlen(fb->valuestring) + 3 : 0;
	if (n && (star = malloc(n))) {
		snprintf(star, n, "* %s", fb->valuestring);
		cJSON_ReplaceItemInObjectCaseSensitive(edit, "formatted_body", cJSON_CreateString(star));
		free(star);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(edit, "m.mentions");
	cJSON_AddItemToObject(edit, "m.mentions", cJSON_CreateObject());
	cJSON_AddItemToObject(edit, "m.new_content", newc);
	rel = cJSON_AddObjectToObject(edit, "m.relates_to");
	cJSON_AddStringToObject(rel, "rel_type", "m.replace");
	cJSON_AddStringToObject(rel, "event_id", copy_event);
	return edit;
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

/* An approved edit (a->event) goes to every copy of its message, each
 * edit replacing the copy's first event; the kept texts follow, so a copy
 * forwarded on later carries the approved text. */
static int forward_edit(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	held_edit h = { NULL, NULL, NULL, 0, 0 };
	copy_walk w;
	cJSON *newc = NULL;
	char header[1200], houder[256], text[POL_TEXT_MAX], etxn[TXN_MAX], *json = NULL, *root = NULL;
	const char *thread = a->thread_root, *reply = a->reply_to;
	size_t i, edited = 0;
	int rc;

	memset(&w, 0, sizeof w);
	rc = bot_store_rows(d->store, "reading an edit", held_cb, &h,
			    "SELECT room_id, original, content, nr FROM casus_edits WHERE edit_event = ? AND state = 'pending'",
			    1, a->event);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	if (!h.found || !(newc = cJSON_Parse(h.content))) {
		rc = bot_notice_queue(d, in->room_id, pol_text(d->pol.lang, POL_TXT_EDIT_WITHDRAWN), reply, thread, txn);
		goto cleanup;
	}
	rc = walk_copies(d, h.room, h.original, &w);
	for (i = 0; i < w.n && rc == BOT_STORE_OK; i++) {
		long long ts = select_num(d, "SELECT ts FROM casus_events WHERE room_id = ? AND event_id = ?", 2,
					  w.from_room[i], w.from_event[i]);
		cJSON *edit;

		if (!w.event[i]) {
			LOG_WARN("casus %lld: a copy not seen back yet keeps its text", w.nr[i]);
			continue;
		}
		houder_in(d, w.nr[i], w.room[i], houder, sizeof houder);
		copy_header(d, w.nr[i], ts, houder[0] ? houder : "-", w.approver[i], header, sizeof header);
		edit = copy_edit(copy_content(newc, header, w.nr[i], w.from_room[i], w.from_event[i]), w.event[i]);
		json = edit ? cJSON_PrintUnformatted(edit) : NULL;
		cJSON_Delete(edit);
		snprintf(etxn, sizeof etxn, "edit:%s:%s", a->event, w.event[i]);
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
				    " WHERE edit_event = ?", 2, a->user, a->event);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	LOG_INFO("casus %lld: an approved edit goes to %zu cop(ies)", h.nr, edited);
	/* Answered in the thread of the approval; approved on the edit itself
	 * (which cannot be a thread root), in the casus's thread instead. */
	if ((thread && strcmp(thread, a->event) == 0) || (reply && strcmp(reply, a->event) == 0)) {
		char n[32];

		num(n, sizeof n, h.nr);
		if (bot_store_select_text(d->store, &root, "reading casus rooms",
					  "SELECT root_event FROM casus_rooms WHERE nr = ? AND room_id = ? AND root_event "
					  "IS NOT NULL", 2, n, in->room_id) == BOT_STORE_ERR)
			root = NULL;
		thread = reply = root ? root : h.original;
	}
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_EDIT_APPROVED, h.nr, edited, a->user);
	rc = bot_notice_queue(d, in->room_id, text, reply, thread, txn);
cleanup:
	cJSON_Delete(newc);
	walk_free(&w);
	free(root);
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
	char n[32], rooms[1500], was[QUOTE_MAX], wordt[QUOTE_MAX], text[POL_TEXT_MAX], txn[TXN_MAX];
	char *json = NULL, *old = NULL, *room = NULL;
	const char *key = d->pol.approval_key && d->pol.approval_key[0] ? d->pol.approval_key : "\xe2\x8f\xa9";
	cJSON *c = NULL, *oldc = NULL, *mark;
	int rc;

	memset(&w, 0, sizeof w);
	num(n, sizeof n, plan->nr);
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
	pol_quote_lines(body_of(oldc), was, sizeof was);
	pol_quote_lines(body_of(new_content), wordt, sizeof wordt);
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_EDIT_REQUEST, ev->sender, plan->nr, rooms, was, wordt, key);
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
	return kept_message(ctx, room_id, event_id, 1, out) == 0 ? 0 : bot_casus_of_event(ctx, room_id, event_id, out);
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
static int redact_copy(bot_daemon *d, const char *room_id, const char *event, const char *why_txn)
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
			rc = redact_copy(d, w.room[i], w.event[i], why_txn);
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
	if (rc != BOT_STORE_OK || select_num(d, "SELECT count(*) FROM casus_events WHERE room_id = ? AND event_id = ?",
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
