/* casus_list.c: the afloop in every room a casus reached, !casus, and the
 * housekeeping (reminders, expiry, retention). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casus_int.h"
#include "queue.h"
#include "flood.h"
#include "log.h"
#include "when.h"
#include "policy/pol_buf.h"

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
	pol_buf b;
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	casus_num(n, sizeof n, nr);
	rc = bot_store_rows(d->store, "reading casus rooms", rooms_cb, &l,
			    "SELECT room_id, root_event, casushouder FROM casus_rooms WHERE nr = ? ORDER BY rowid", 1, n);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		if (!l.room[i])
			continue;
		snprintf(line, sizeof line, "%s", text);
		if (with_houder && l.houder[i]) {
			pol_textf(houder, sizeof houder, d->pol.lang, POL_TXT_AFLOOP_HOUDER, l.houder[i]);
			pol_buf_init_at_end(&b, line, sizeof line);
			pol_buf_printf(&b, "\n%s", houder);
		}
		snprintf(txn, sizeof txn, "%s:%lld:%s", tag, nr, l.room[i]);
		rc = bot_notice_queue(d, l.room[i], line, l.root[i], l.root[i], txn);
	}
	if (count)
		*count = l.n;
	rooms_free(&l);
	return rc;
}

int casus_close(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX], quoted[POL_TEXT_MAX / 2], part[200] = "", n[32];
	size_t rooms = 0;
	int rc;

	casus_num(n, sizeof n, a->close.nr);
	if (a->close.uitkomst[0])
		snprintf(part, sizeof part, " (%s)", a->close.uitkomst);
	/* The casushouder's words go out under the bot's name without an
	 * approval: quoted, they can never pass for the bot's own lines. */
	pol_quote_lines(a->close.afloop, quoted, sizeof quoted);
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_AFLOOP_TEXT, a->close.nr, part, quoted);
	rc = bot_store_exec(d->store, "closing a casus",
			    "UPDATE casussen SET status = 'closed', uitkomst = ?, afloop = ?, closed = :now"
			    " WHERE nr = ? AND status = 'open'", 3, a->close.uitkomst[0] ? a->close.uitkomst : "onbekend", a->close.afloop, n);
	if (rc == BOT_STORE_OK)
		rc = to_every_room(d, a->close.nr, text, "afloop", 1, &rooms);
	if (rc == BOT_STORE_OK) {
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_AFLOOP_DONE, a->close.nr, rooms);
		rc = bot_notice_queue(d, in->room_id, text, a->reply_to, a->thread_root, txn);
		LOG_INFO("casus %lld closed", a->close.nr);
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
	pol_buf out;
	size_t i, j;

	memset(&l, 0, sizeof l);
	casus_num(n, sizeof n, nr);
	pol_buf_init(&out, buf, size);
	if (bot_store_rows(d->store, "reading casus rooms", rooms_cb, &l,
			   "SELECT room_id, root_event, casushouder FROM casus_rooms WHERE nr = ? AND casushouder IS NOT "
			   "NULL ORDER BY casushouder, rowid", 1, n) == BOT_STORE_OK)
		for (i = 0; i < l.n; i = j) {
			pol_buf_printf(&out, "%s%s (", pol_buf_len(&out) ? "; " : "", l.houder[i] ? l.houder[i] : "?");
			for (j = i; j < l.n && l.houder[j] && l.houder[i] && strcmp(l.houder[j], l.houder[i]) == 0; j++)
				pol_buf_printf(&out, "%s%s", j > i ? ", " : "", casus_room_name(d, l.room[j] ? l.room[j] : ""));
			if (j == i)
				j++;
			pol_buf_add(&out, ")");
		}
	rooms_free(&l);
	if (!buf[0])
		snprintf(buf, size, "-");
}

/* Whether asker may see casus nr (pol_casus_visible for any room it
 * reached); asker NULL sees all. */
static int visible(bot_daemon *d, long long nr, const char *asker)
{
	room_list l;
	char n[32];
	size_t i;
	int yes = 0;

	if (!asker)
		return 1;
	memset(&l, 0, sizeof l);
	casus_num(n, sizeof n, nr);
	if (bot_store_rows(d->store, "reading casus rooms", rooms_cb, &l,
			   "SELECT room_id, root_event FROM casus_rooms WHERE nr = ?", 1, n) != BOT_STORE_OK)
		return 0;
	for (i = 0; i < l.n && !yes; i++) {
		char *key = NULL;

		if (l.room[i] && bot_store_room_key_of(d->store, l.room[i], &key) == BOT_STORE_OK)
			yes = pol_casus_visible(d->structure, asker, key);
		free(key);
	}
	rooms_free(&l);
	return yes;
}

static int list_cb(void *ctx, sqlite3_stmt *st)
{
	list_ctx *l = ctx;
	char line[1200], when[16], houders[700];
	pol_buf out;
	const unsigned char *room = sqlite3_column_text(st, 1), *status = sqlite3_column_text(st, 3),
			    *houder = sqlite3_column_text(st, 4);
	const char *s = status ? (const char *)status : "";

	if (!visible(l->d, (long long)sqlite3_column_int64(st, 0), l->asker))
		return 0;
	bot_when_time(sqlite3_column_int64(st, 2), when, sizeof when);
	/* The casushouder in the room asked in; elsewhere every room's. */
	if (houder)
		snprintf(houders, sizeof houders, "%s", (const char *)houder);
	else
		houders_text(l->d, (long long)sqlite3_column_int64(st, 0), houders, sizeof houders);
	pol_textf(line, sizeof line, l->d->pol.lang, POL_TXT_CASUS_LINE, (long long)sqlite3_column_int64(st, 0),
		  casus_room_name(l->d, room ? (const char *)room : ""), when,
		  pol_text(l->d->pol.lang, strcmp(s, "open") == 0 ? POL_TXT_STATUS_OPEN :
				strcmp(s, "closed") == 0 ? POL_TXT_STATUS_CLOSED : POL_TXT_STATUS_EXPIRED),
		  houders, (size_t)sqlite3_column_int64(st, 5));
	pol_buf_init_at_end(&out, l->buf, l->size);
	pol_buf_add_sep(&out, "\n", line);
	l->n++;
	return 0;
}

#define LIST_SQL "SELECT c.nr, c.origin_room, c.opened, c.status, " \
	"(SELECT casushouder FROM casus_rooms r WHERE r.nr = c.nr AND r.room_id = ?1), " \
	"(SELECT count(*) FROM casus_rooms r WHERE r.nr = c.nr) FROM casussen c "

int casus_list(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX] = "", body[POL_TEXT_MAX] = "", n[32];
	list_ctx l = { d, NULL, body, sizeof body, 0 };
	int rc;

	l.asker = a->casus.sees_all ? NULL : in->sender;

	if (a->casus.nr > 0) {
		casus_num(n, sizeof n, a->casus.nr);
		rc = bot_store_rows(d->store, "listing casussen", list_cb, &l, LIST_SQL "WHERE c.nr = ?2", 2, in->room_id,
				    n);
		if (rc == BOT_STORE_OK && !l.n)
			pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_UNKNOWN, a->casus.nr);
		else
			snprintf(text, sizeof text, "%s", body);
	} else {
		rc = bot_store_rows(d->store, "listing casussen", list_cb, &l,
				    LIST_SQL "WHERE c.status = 'open' ORDER BY c.nr LIMIT 50", 1, in->room_id);
		if (!l.n)
			snprintf(text, sizeof text, "%s", pol_text(d->pol.lang, POL_TXT_CASUS_NONE));
		else {
			pol_buf t;

			pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_HEADER, l.n);
			pol_buf_init_at_end(&t, text, sizeof text);
			pol_buf_add(&t, "\n");
			pol_buf_add(&t, body);   /* a very long list is cut */
		}
	}
	if (rc != BOT_STORE_OK)
		return rc;
	return bot_notice_queue(d, in->room_id, text, a->reply_to, a->thread_root, txn);
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
	casus_num(age, sizeof age, (long long)d->cfg->casus_expiry_hours * 3600);
	rc = bot_store_rows(d->store, "reading casussen", due_cb, &l,
			    "SELECT nr, origin_room, origin_event FROM casussen WHERE status = 'open' AND opened <= "
			    ":now - ? ORDER BY nr LIMIT 128", 1, age);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		casus_num(n, sizeof n, l.nr[i]);
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
	casus_num(age, sizeof age, (long long)d->cfg->casus_reminder_hours * 3600);
	rc = bot_store_rows(d->store, "reading casussen", due_cb, &l,
			    "SELECT nr, origin_room, origin_event FROM casussen WHERE status = 'open' AND reminded = 0 "
			    "AND opened <= :now - ? ORDER BY nr LIMIT 128", 1, age);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		char *key = NULL;
		const pol_room *r;

		casus_num(n, sizeof n, l.nr[i]);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_REMINDER, l.nr[i], d->cfg->casus_reminder_hours);
		rc = bot_store_exec(d->store, "reminding", "UPDATE casussen SET reminded = 1 WHERE nr = ?", 1, n);
		snprintf(txn, sizeof txn, "casus-reminder:%lld", l.nr[i]);
		if (rc == BOT_STORE_OK && l.room[i])
			rc = bot_notice_queue(d, l.room[i], text, l.root[i], l.root[i], txn);
		/* and the stuurgroep of the origin wijkgroep */
		if (rc == BOT_STORE_OK && l.room[i] && bot_store_room_key_of(d->store, l.room[i], &key) == BOT_STORE_OK &&
		    (r = pol_structure_room_by_key(d->structure, key)) && r->wijkgroep) {
			char sgk[POL_STRUCT_MAX_KEY + 16];
			pol_buf t;

			snprintf(sgk, sizeof sgk, "stuurgroep:%s", r->wijkgroep->stuurgroep->id);
			pol_buf_init_at_end(&t, txn, sizeof txn);
			pol_buf_add(&t, ":sg");
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

	casus_num(age, sizeof age, (long long)d->cfg->casus_retention_days * 86400);
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
