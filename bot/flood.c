/* flood.c: see flood.h. One row per resident and wijkgroep: how many of
 * their messages opened no casus in the flood going on (held), how many
 * of those the stuurgroep has not been told of (unreported), and when it
 * last was. A flood is going on while its last message is within the
 * flood window; a message after a quiet window starts a new one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "queue.h"
#include "flood.h"
#include "log.h"
#include "store_int.h"

#define TXN_MAX 1400
#define KEEP_S (7 * 24 * 3600)   /* a flood's row, after its last message */

static void num(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
}

static int fact_cb(void *ctx, sqlite3_stmt *st)
{
	pol_flood *f = ctx;

	f->held = (long)sqlite3_column_int64(st, 0);
	f->unreported = (long)sqlite3_column_int64(st, 1);
	f->since_report_s = sqlite3_column_int64(st, 2);
	return 1;
}

void bot_flood_fact(bot_daemon *d, const char *room_id, const char *user, pol_flood *out)
{
	char now[32], window[32];

	memset(out, 0, sizeof *out);
	num(now, sizeof now, d->now);
	num(window, sizeof window, d->pol.flood_window_s);
	if (bot_store_rows(d->store, "reading a flood", fact_cb, out,
			   "SELECT held, unreported, ?3 - reported_at FROM floods WHERE room_id = ?1 AND user_id = ?2 "
			   "AND last_at > ?3 - ?4", 4, room_id, user, now, window) != BOT_STORE_OK)
		memset(out, 0, sizeof *out);
}

long bot_flood_casussen_by(bot_daemon *d, const char *room_id, const char *user, long seconds)
{
	char *v = NULL, s[32];
	long n = 0;

	num(s, sizeof s, seconds);
	/* :now is the batch's time, as casussen.opened was when it was set. */
	if (bot_store_select_text(d->store, &v, "counting casussen",
				  "SELECT count(*) FROM casussen c JOIN casus_rooms r ON r.nr = c.nr AND r.room_id = c.origin_room "
				  "WHERE c.origin_room = ? AND r.casushouder = ? "
				  "AND c.opened > :now - ?", 3, room_id, user, s) ==
		    BOT_STORE_OK && v)
		n = strtol(v, NULL, 10);
	free(v);
	return n;
}

int bot_flood_action(bot_daemon *d, const pol_input *in, const pol_action *a)
{
	char now[32], window[32], esc[300], esc_room[300];
	pol_flood f;
	int rc;

	num(now, sizeof now, d->now);
	num(window, sizeof window, d->pol.flood_window_s);
	/* SET reads the row as it was: a flood that ended starts over. */
	rc = bot_store_exec(d->store, "counting a flood",
			    "INSERT INTO floods (room_id, user_id, started, last_at, reported_at, held, unreported) "
			    "VALUES (?1, ?2, ?3, ?3, ?3, 1, CASE WHEN ?4 = '1' THEN 0 ELSE 1 END) "
			    "ON CONFLICT (room_id, user_id) DO UPDATE SET "
			    "started = CASE WHEN last_at > ?3 - ?5 THEN started ELSE ?3 END, "
			    "held = CASE WHEN last_at > ?3 - ?5 THEN held + 1 ELSE 1 END, "
			    "unreported = CASE WHEN ?4 = '1' THEN 0 WHEN last_at > ?3 - ?5 THEN unreported + 1 ELSE 1 END, "
			    "reported_at = CASE WHEN ?4 = '1' OR last_at <= ?3 - ?5 THEN ?3 ELSE reported_at END, "
			    "last_at = ?3", 5, in->room_id, a->flood.user, now, a->flood.reported ? "1" : "0", window);
	if (rc != BOT_STORE_OK)
		return rc;
	bot_flood_fact(d, in->room_id, a->flood.user, &f);
	if (f.held == 1)
		LOG_INFO("flood: %s opened %ld casussen in %s within %ld s; their next messages open none",
			 bot_log_escape(a->flood.user, esc, sizeof esc), d->pol.flood_max_casussen,
			 bot_log_escape(in->room_id, esc_room, sizeof esc_room), d->pol.flood_window_s);
	else
		LOG_DEBUG("flood: message %ld of %s in %s opens no casus", f.held, bot_log_escape(a->flood.user, esc, sizeof esc),
			  bot_log_escape(in->room_id, esc_room, sizeof esc_room));
	return BOT_STORE_OK;
}

/* ---- housekeeping ---- */

#define DUE_MAX 64

typedef struct due_list {
	char *room[DUE_MAX], *user[DUE_MAX];
	pol_flood f[DUE_MAX];
	size_t n;
} due_list;

static int due_cb(void *ctx, sqlite3_stmt *st)
{
	due_list *l = ctx;
	const unsigned char *r = sqlite3_column_text(st, 0), *u = sqlite3_column_text(st, 1);

	if (l->n >= DUE_MAX)
		return 1;
	if (!r || !u)
		return 0;
	l->room[l->n] = strdup((const char *)r);
	l->user[l->n] = strdup((const char *)u);
	l->f[l->n].held = (long)sqlite3_column_int64(st, 2);
	l->f[l->n].unreported = (long)sqlite3_column_int64(st, 3);
	l->f[l->n].since_report_s = sqlite3_column_int64(st, 4);
	l->n++;
	return 0;
}

/* The counts that are due: a flood whose last messages came after its
 * last count, which the next message would have carried. */
static int report_due(bot_daemon *d, long long now_s)
{
	due_list l;
	char now[32], txn[TXN_MAX];
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	num(now, sizeof now, now_s);
	rc = bot_store_rows(d->store, "reading floods", due_cb, &l,
			    "SELECT room_id, user_id, held, unreported, ?1 - reported_at FROM floods "
			    "WHERE unreported > 0 ORDER BY reported_at LIMIT 64", 1, now);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		char *key = NULL;
		pol_actions out;

		out.n = 0;
		if (!l.room[i] || !l.user[i] || bot_store_room_key_of(d->store, l.room[i], &key) != BOT_STORE_OK ||
		    !pol_flood_report(&d->pol, d->structure, key, l.user[i], &l.f[i], &out)) {
			free(key);
			continue;
		}
		snprintf(txn, sizeof txn, "flood:%s|%s|%s", l.room[i], l.user[i], now);
		rc = bot_notice_queue_key(d, out.items[0].notice.room_key, out.items[0].notice.text, txn);
		if (rc == BOT_STORE_OK)
			rc = bot_store_exec(d->store, "counting a flood",
					    "UPDATE floods SET unreported = 0, reported_at = ?3 WHERE room_id = ?1 AND user_id = ?2",
					    3, l.room[i], l.user[i], now);
		free(key);
	}
	for (i = 0; i < l.n; i++) {
		free(l.room[i]);
		free(l.user[i]);
	}
	return rc;
}

int bot_flood_housekeeping(bot_daemon *d)
{
	long long now = d->now;
	char age[32];
	int rc = report_due(d, now);

	num(age, sizeof age, now - KEEP_S);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "forgetting floods", "DELETE FROM floods WHERE last_at <= ? AND unreported = 0",
				    1, age);
	return rc;
}
