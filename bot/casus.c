/* casus.c: see casus.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "actions.h"
#include "casus.h"
#include "log.h"
#include "when.h"
#include "store_int.h"
#include "matrix/mx_client.h"
#include "policy/pol_route.h"

#define TXN_MAX 1400
#define NOW_S "CAST(strftime('%s', 'now') AS INTEGER)"
#define FIELD_CASUS "nl.buurtbot.casus"
#define FIELD_BRON "nl.buurtbot.bron"

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

int bot_casus_of_event(bot_daemon *d, const char *room_id, const char *event_id, pol_casus *out)
{
	long long nr = select_num(d, "SELECT nr FROM casus_events WHERE room_id = ? AND event_id = ? AND nr > 0", 2,
				  room_id, event_id);

	if (nr <= 0) {
		/* The bot's copy, before sync showed it back: its root is known
		 * only through the forward that made it. */
		nr = select_num(d, "SELECT nr FROM casus_rooms WHERE room_id = ? AND root_event = ?", 2, room_id,
				event_id);
	}
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
			    "VALUES (?, ?, ?, ?, " NOW_S ", ?) ON CONFLICT (room_id, event_id) DO UPDATE SET "
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
			    "INSERT INTO casussen (nr, origin_room, origin_event, opened) VALUES (?, ?, ?, " NOW_S ")", 3, n,
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

static char *html_escape(const char *s)
{
	size_t n = 0, o = 0;
	const char *p;
	char *out;

	for (p = s; *p; p++)
		n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' ? 6 : *p == '\n' ? 4 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (p = s; *p; p++) {
		const char *r = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '"' ? "&quot;" :
				*p == '\n' ? "<br>" : NULL;
		if (r) {
			memcpy(out + o, r, strlen(r));
			o += strlen(r);
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
	return out;
}

/* The copy: the original text and formatting under an attribution line;
 * media (an image, a file) keep their content, so the upload is reused. */
static cJSON *copy_content(const cJSON *orig, const char *header, long long nr, const char *src_room,
			   const char *src_event)
{
	const cJSON *mt = cJSON_GetObjectItemCaseSensitive(orig, "msgtype");
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(orig, "body");
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(orig, "format");
	const cJSON *fb = cJSON_GetObjectItemCaseSensitive(orig, "formatted_body");
	const char *b = cJSON_IsString(body) ? body->valuestring : "";
	cJSON *c, *bron;
	char *eh, *eb, *text, *html;
	size_t n;

	if (cJSON_IsString(mt) && strcmp(mt->valuestring, "m.text") != 0 && strcmp(mt->valuestring, "m.notice") != 0) {
		/* Media: the same url (or encrypted file), so nothing is uploaded
		 * again; the attribution becomes the caption (body differing from
		 * filename is a caption, Matrix 1.10). */
		size_t cap = strlen(header) + strlen(b) + 3;
		char *caption = malloc(cap);

		c = cJSON_Duplicate(orig, 1);
		cJSON_DeleteItemFromObjectCaseSensitive(c, "m.relates_to");
		if (caption && c) {
			if (!cJSON_GetObjectItemCaseSensitive(c, "filename"))
				cJSON_AddStringToObject(c, "filename", b);
			snprintf(caption, cap, "%s\n%s", header, b);
			cJSON_ReplaceItemInObjectCaseSensitive(c, "body", cJSON_CreateString(caption));
		}
		free(caption);
	} else {
		c = cJSON_CreateObject();
		n = strlen(header) + strlen(b) + 3;
		text = malloc(n);
		eh = html_escape(header);
		eb = html_escape(b);
		html = NULL;
		if (text && eh && eb) {
			const char *inner = cJSON_IsString(fmt) && strcmp(fmt->valuestring, "org.matrix.custom.html") == 0 &&
					    cJSON_IsString(fb) ? fb->valuestring : eb;

			snprintf(text, n, "%s\n\n%s", header, b);
			n = strlen(eh) + strlen(inner) + 32;
			html = malloc(n);
			if (html)
				snprintf(html, n, "<p><b>%s</b></p>%s", eh, inner);
		}
		cJSON_AddStringToObject(c, "msgtype", "m.text");
		cJSON_AddStringToObject(c, "body", text ? text : b);
		if (html) {
			cJSON_AddStringToObject(c, "format", "org.matrix.custom.html");
			cJSON_AddStringToObject(c, "formatted_body", html);
		}
		free(text);
		free(eh);
		free(eb);
		free(html);
	}
	cJSON_AddNumberToObject(c, FIELD_CASUS, (double)nr);
	bron = cJSON_AddObjectToObject(c, FIELD_BRON);
	cJSON_AddStringToObject(bron, "room", src_room);
	cJSON_AddStringToObject(bron, "event", src_event);
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

/* "Casus #12 uit Wijkgroep Noord (14:32, casushouder @jan, doorgezet door @anna):" */
static void copy_header(bot_daemon *d, long long nr, long long ts, const char *sender, const char *approver, char *buf,
			size_t size)
{
	pol_casus c, origin;
	char when[16];
	const char *houder;

	bot_casus_by_nr(d, nr, "", &c);
	houder = bot_casus_by_nr(d, nr, c.origin_room, &origin) == 0 && origin.casushouder[0] ? origin.casushouder : sender;
	bot_when_time(ts, when, sizeof when);
	pol_textf(buf, size, d->pol.lang, POL_TXT_CASUS_COPY_HEADER, nr, room_name(d, c.origin_room), when, houder,
		  approver);
}

static int forward(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base, size_t index)
{
	char header[1200], sent[1500] = "", already[1500] = "", text[POL_TEXT_MAX], txn[TXN_MAX], n[32];
	const char *src_room = in->room_id, *src_event = a->event;
	source src = { NULL, NULL, 0, 0 };
	cJSON *orig = NULL, *copy;
	pol_route route;
	pol_text_id why;
	pol_casus c;
	long long nr = a->nr;
	size_t i;
	int rc;

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
	copy_header(d, nr, src.ts, src.sender, a->user, header, sizeof header);
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
					    "VALUES (?, ?, ?, ?, ?, " NOW_S ")", 5, src_event, target, n, txn, a->user);
		if (rc == BOT_STORE_OK)
			rc = bot_store_exec(d->store, "recording a forward",
					    "INSERT INTO casus_rooms (nr, room_id, casushouder) VALUES (?, ?, ?) "
					    "ON CONFLICT (nr, room_id) DO NOTHING", 3, n, target, a->allowed ? a->user : NULL);
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

typedef struct room_list {
	char *room[128], *root[128];
	size_t n;
} room_list;

static int rooms_cb(void *ctx, sqlite3_stmt *st)
{
	room_list *l = ctx;
	const unsigned char *r = sqlite3_column_text(st, 0), *e = sqlite3_column_text(st, 1);

	if (l->n >= 128)
		return 1;
	l->room[l->n] = r ? strdup((const char *)r) : NULL;
	l->root[l->n] = e ? strdup((const char *)e) : NULL;
	l->n++;
	return 0;
}

static void rooms_free(room_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->room[i]);
		free(l->root[i]);
	}
	l->n = 0;
}

/* Posts text in every room casus nr reached, in its thread there. */
static int to_every_room(bot_daemon *d, long long nr, const char *text, const char *tag, size_t *count)
{
	room_list l;
	char n[32], txn[TXN_MAX];
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	num(n, sizeof n, nr);
	rc = bot_store_rows(d->store, "reading casus rooms", rooms_cb, &l,
			    "SELECT room_id, root_event FROM casus_rooms WHERE nr = ? ORDER BY rowid", 1, n);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		if (!l.room[i])
			continue;
		snprintf(txn, sizeof txn, "%s:%lld:%s", tag, nr, l.room[i]);
		rc = bot_notice_queue(d, l.room[i], text, l.root[i], l.root[i], txn);
	}
	if (count)
		*count = l.n;
	rooms_free(&l);
	return rc;
}

static int close_casus(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX], part[200] = "", n[32];
	size_t rooms = 0;
	int rc;

	num(n, sizeof n, a->nr);
	if (a->command[0])
		snprintf(part, sizeof part, " (%s)", a->command);
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_AFLOOP_TEXT, a->nr, part, a->text);
	rc = bot_store_exec(d->store, "closing a casus",
			    "UPDATE casussen SET status = 'closed', uitkomst = ?, afloop = ?, closed = " NOW_S
			    " WHERE nr = ? AND status = 'open'", 3, a->command[0] ? a->command : "onbekend", a->text, n);
	if (rc == BOT_STORE_OK)
		rc = to_every_room(d, a->nr, text, "afloop", &rooms);
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
	char line[800], when[16];
	const unsigned char *room = sqlite3_column_text(st, 1), *status = sqlite3_column_text(st, 3),
			    *houder = sqlite3_column_text(st, 4);
	const char *s = status ? (const char *)status : "";
	size_t len;

	if (!visible(l->d, (long long)sqlite3_column_int64(st, 0), l->asker))
		return 0;
	bot_when_time(sqlite3_column_int64(st, 2), when, sizeof when);
	pol_textf(line, sizeof line, l->d->pol.lang, POL_TXT_CASUS_LINE, (long long)sqlite3_column_int64(st, 0),
		  room_name(l->d, room ? (const char *)room : ""), when,
		  pol_text(l->d->pol.lang, strcmp(s, "open") == 0 ? POL_TXT_STATUS_OPEN :
				strcmp(s, "closed") == 0 ? POL_TXT_STATUS_CLOSED : POL_TXT_STATUS_EXPIRED),
		  houder ? (const char *)houder : "-", (size_t)sqlite3_column_int64(st, 5));
	len = strlen(l->buf);
	snprintf(l->buf + len, l->size - len, "%s%s", len ? "\n" : "", line);
	l->n++;
	return 0;
}

#define LIST_SQL "SELECT c.nr, c.origin_room, c.opened, c.status, " \
	"(SELECT casushouder FROM casus_rooms r WHERE r.nr = c.nr AND r.room_id = c.origin_room), " \
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
		rc = bot_store_rows(d->store, "listing casussen", list_cb, &l, LIST_SQL "WHERE c.nr = ?", 1, n);
		if (rc == BOT_STORE_OK && !l.n)
			pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_UNKNOWN, a->nr);
		else
			snprintf(text, sizeof text, "%s", body);
	} else {
		rc = bot_store_rows(d->store, "listing casussen", list_cb, &l,
				    LIST_SQL "WHERE c.status = 'open' ORDER BY c.nr LIMIT 50", 0);
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
			    "INSERT INTO private_notes (user_id, text, at) VALUES (?, ?, " NOW_S ")", 2, a->user, a->text);
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
				    "VALUES (?, 'flag', " NOW_S ", ?, ?, ?)", 4, author, a->user, in->room_id, a->event);
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
			      NOW_S ", ?) ON CONFLICT (room_id, event_id) DO NOTHING", 4, room_id, event_id, user,
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
				  "AND at > " NOW_S " - ?", 3, room_id, user, s) == BOT_STORE_OK && v)
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
				      "INSERT INTO marks (user_id, kind, at, by_user, room_id) VALUES (?, 'warning', " NOW_S
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

int bot_casus_own_message(bot_daemon *d, const mx_event *ev)
{
	const cJSON *nr = cJSON_GetObjectItemCaseSensitive(ev->content, FIELD_CASUS);
	const cJSON *bron = cJSON_GetObjectItemCaseSensitive(ev->content, FIELD_BRON);
	const cJSON *room = cJSON_GetObjectItemCaseSensitive(bron, "room");
	const cJSON *event = cJSON_GetObjectItemCaseSensitive(bron, "event");
	char n[32], *orig = NULL;
	int rc;

	if (!cJSON_IsNumber(nr) || !cJSON_IsString(room) || !cJSON_IsString(event) || !ev->event_id || !ev->room_id)
		return BOT_STORE_OK;
	num(n, sizeof n, (long long)nr->valuedouble);
	rc = bot_store_exec(d->store, "recording a copy",
			    "UPDATE casus_rooms SET root_event = coalesce(root_event, ?) WHERE nr = ? AND room_id = ?", 3,
			    ev->event_id, n, ev->room_id);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "recording a copy",
				    "UPDATE forwards SET target_event = ? WHERE source_event = ? AND target_room = ?", 3,
				    ev->event_id, event->valuestring, ev->room_id);
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
			    NOW_S " - ? ORDER BY nr LIMIT 128", 1, age);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		num(n, sizeof n, l.nr[i]);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_EXPIRED, l.nr[i], d->cfg->casus_expiry_hours);
		rc = bot_store_exec(d->store, "expiring a casus",
				    "UPDATE casussen SET status = 'expired', closed = " NOW_S " WHERE nr = ?", 1, n);
		if (rc == BOT_STORE_OK)
			rc = to_every_room(d, l.nr[i], text, "expired", NULL);
		LOG_INFO("casus %lld expired without afloop", l.nr[i]);
	}
	due_free(&l);
	if (rc != BOT_STORE_OK)
		return rc;
	num(age, sizeof age, (long long)d->cfg->casus_reminder_hours * 3600);
	rc = bot_store_rows(d->store, "reading casussen", due_cb, &l,
			    "SELECT nr, origin_room, origin_event FROM casussen WHERE status = 'open' AND reminded = 0 "
			    "AND opened <= " NOW_S " - ? ORDER BY nr LIMIT 128", 1, age);
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
 * times and uitkomst; messages, rooms, forwards and the afloop text go. */
static int retention(bot_daemon *d)
{
	char age[32];
	int rc;
	static const char *const purge[] = {
		"DELETE FROM casus_events WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= " NOW_S " - ?)",
		"DELETE FROM forwards WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= " NOW_S " - ?)",
		"DELETE FROM casus_rooms WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= " NOW_S " - ?)",
		"UPDATE casussen SET afloop = NULL, origin_event = '' WHERE status != 'open' AND closed <= " NOW_S " - ?",
		/* messages that never joined a casus */
		"DELETE FROM casus_events WHERE nr = 0 AND ts <= " NOW_S " - ?",
		NULL,
	};
	size_t i;

	num(age, sizeof age, (long long)d->cfg->casus_retention_days * 86400);
	for (i = 0, rc = BOT_STORE_OK; purge[i] && rc == BOT_STORE_OK; i++)
		rc = bot_store_exec(d->store, "casus retention", purge[i], 1, age);
	/* Who wrote what is needed for a week at most (flags, chatter), and a
	 * private word nobody came to read is dropped after a week too. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "casus retention", "DELETE FROM recent_posts WHERE at <= " NOW_S " - 604800", 0);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "casus retention", "DELETE FROM private_notes WHERE at <= " NOW_S " - 604800", 0);
	return rc;
}

void bot_casus_housekeeping(bot_daemon *d)
{
	static time_t last;
	time_t now = time(NULL);
	int rc;

	if (now - last < 60 || !d->structure)
		return;
	last = now;
	if (bot_store_begin(d->store) != BOT_STORE_OK)
		return;
	rc = remind_and_expire(d);
	if (rc == BOT_STORE_OK)
		rc = retention(d);
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_WARN("casus housekeeping failed: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
	}
}

/* ---- edits and redactions follow the copies ---- */

typedef struct copy_list {
	char *room[128], *event[128], *approver[128];
	long long nr[128];
	size_t n;
} copy_list;

static int copy_cb(void *ctx, sqlite3_stmt *st)
{
	copy_list *l = ctx;
	const unsigned char *r = sqlite3_column_text(st, 0), *e = sqlite3_column_text(st, 1),
			    *a = sqlite3_column_text(st, 2);

	if (l->n >= 128 || !r || !e || !a)
		return l->n >= 128;
	l->room[l->n] = strdup((const char *)r);
	l->event[l->n] = strdup((const char *)e);
	l->approver[l->n] = strdup((const char *)a);
	l->nr[l->n] = sqlite3_column_int64(st, 3);
	l->n++;
	return 0;
}

static void copies_free(copy_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->room[i]);
		free(l->event[i]);
		free(l->approver[i]);
	}
	l->n = 0;
}

/* The edit of a forwarded message by its author: each copy is edited the
 * same way (under its attribution), and later copies carry the new text. */
static int follow_edit(bot_daemon *d, const mx_event *ev, const char *original, const cJSON *new_content)
{
	copy_list l;
	source src = { NULL, NULL, 0, 0 };
	char header[1200], txn[TXN_MAX], *json;
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	rc = bot_store_rows(d->store, "reading a casus message", source_cb, &src,
			    "SELECT sender, content, ts FROM casus_events WHERE room_id = ? AND event_id = ?", 2, ev->room_id,
			    original);
	if (rc != BOT_STORE_OK || !src.found || strcmp(src.sender, ev->sender) != 0)
		goto cleanup;   /* only the author's own edits count */
	json = cJSON_PrintUnformatted(new_content);
	rc = json ? bot_store_exec(d->store, "keeping an edit",
				   "UPDATE casus_events SET content = ? WHERE room_id = ? AND event_id = ?", 3, json,
				   ev->room_id, original)
		  : BOT_STORE_ERR;
	free(json);
	if (rc == BOT_STORE_OK)
		rc = bot_store_rows(d->store, "reading forwards", copy_cb, &l,
				    "SELECT target_room, target_event, approver, nr FROM forwards WHERE source_event = ? "
				    "AND target_event IS NOT NULL", 1, original);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		cJSON *copy, *edit;

		copy_header(d, l.nr[i], src.ts, src.sender, l.approver[i], header, sizeof header);
		copy = copy_content(new_content, header, l.nr[i], ev->room_id, original);
		edit = cJSON_Duplicate(copy, 1);
		if (!copy || !edit) {
			cJSON_Delete(copy);
			cJSON_Delete(edit);
			rc = BOT_STORE_ERR;
			break;
		}
		cJSON_AddItemToObject(edit, "m.new_content", copy);
		{
			cJSON *rel = cJSON_AddObjectToObject(edit, "m.relates_to");

			cJSON_AddStringToObject(rel, "rel_type", "m.replace");
			cJSON_AddStringToObject(rel, "event_id", l.event[i]);
		}
		json = cJSON_PrintUnformatted(edit);
		cJSON_Delete(edit);
		snprintf(txn, sizeof txn, "edit:%s:%s", ev->event_id, l.room[i]);
		rc = json ? bot_store_outbox_add(d->store, BOT_OUT_SEND, txn, l.room[i], "m.room.message", json)
			  : BOT_STORE_ERR;
		free(json);
	}
	if (l.n)
		LOG_INFO("an edit of a forwarded message follows it to %zu cop(ies)", l.n);
cleanup:
	copies_free(&l);
	free(src.sender);
	free(src.content);
	return rc;
}

/* A redaction the homeserver accepted (the author's, or a moderator's):
 * the copies go too. */
static int follow_redaction(bot_daemon *d, const mx_event *ev, const char *redacted)
{
	copy_list l;
	char txn[TXN_MAX];
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	if (select_num(d, "SELECT count(*) FROM casus_events WHERE room_id = ? AND event_id = ?", 2, ev->room_id,
		       redacted) == 0)
		return BOT_STORE_OK;
	rc = bot_store_rows(d->store, "reading forwards", copy_cb, &l,
			    "SELECT target_room, target_event, approver, nr FROM forwards WHERE source_event = ? "
			    "AND target_event IS NOT NULL", 1, redacted);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		cJSON *c = cJSON_CreateObject();
		char *json;

		cJSON_AddStringToObject(c, "event", l.event[i]);
		json = cJSON_PrintUnformatted(c);
		cJSON_Delete(c);
		snprintf(txn, sizeof txn, "redact:%s:%s", ev->event_id, l.room[i]);
		rc = json ? bot_store_outbox_add(d->store, BOT_OUT_REDACT, txn, l.room[i], NULL, json) : BOT_STORE_ERR;
		free(json);
	}
	/* The redacted text is not kept either. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "forgetting a redacted message",
				    "UPDATE casus_events SET content = '{}' WHERE room_id = ? AND event_id = ?", 2, ev->room_id,
				    redacted);
	if (l.n)
		LOG_INFO("a redaction of a forwarded message follows it to %zu cop(ies)", l.n);
	copies_free(&l);
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
