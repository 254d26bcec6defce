/* store_crypto.c: the encryption domain of the store: the crypto state
 * by namespace and key (secrets pickled with the operator's key) and the
 * encrypted events held until their room key arrives. Behind store_crypto.h;
 * the generic statements of store.c (store_int.h) do the SQL work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_crypto.h"
#include "store_int.h"

int bot_store_crypto_get(bot_store *s, const char *ns, const char *key, char **out)
{
	return bot_store_select_text(s, out, "reading crypto state",
			   "SELECT value FROM crypto WHERE ns = ? AND key = ?", 2, ns, key);
}

int bot_store_crypto_put(bot_store *s, const char *ns, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;

	if (bot_store_prepare(s, &st, "INSERT INTO crypto (ns, key, value) VALUES (?, ?, ?) "
		    "ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value", 3, ns, key, value))
		return BOT_STORE_ERR;
	return bot_store_run(s, st, "writing crypto state");
}

int bot_store_crypto_delete(bot_store *s, const char *ns, const char *key)
{
	sqlite3_stmt *st = NULL;

	if (bot_store_prepare(s, &st, "DELETE FROM crypto WHERE ns = ? AND key = ?", 2, ns, key))
		return BOT_STORE_ERR;
	return bot_store_run(s, st, "deleting crypto state");
}

int bot_store_crypto_list(bot_store *s, const char *ns, const char *prefix,
			  int (*cb)(void *ctx, const char *key, const char *value), void *ctx)
{
	sqlite3_stmt *st = NULL;
	size_t n = strlen(prefix);
	int rc;

	/* substr() instead of LIKE: keys contain '_' and '%'. */
	if (bot_store_prepare(s, &st, "SELECT key, value FROM crypto WHERE ns = ? AND substr(key, 1, ?) = ? "
		    "ORDER BY key", 0))
		return BOT_STORE_ERR;
	sqlite3_bind_text(st, 1, ns, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)n);
	sqlite3_bind_text(st, 3, prefix, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1)))
			break;
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? BOT_STORE_OK : bot_store_fail(s, "listing crypto state");
	sqlite3_finalize(st);
	return rc;
}

int bot_store_held_add(bot_store *s, const char *event_id, const char *room_id, const char *sender,
		       const char *event)
{
	sqlite3_stmt *st = NULL;

	if (bot_store_prepare(s, &st, "INSERT OR IGNORE INTO held_events (event_id, room_id, sender, event, first_seen) "
		    "VALUES (?, ?, ?, ?, ?)", 4, event_id, room_id, sender, event))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 5, bot_store_now_s(s));
	return bot_store_run(s, st, "holding an event");
}

#define HELD_DROP_MAX 256   /* per call: a store over the limit shrinks over a few batches */

typedef struct held_drop {
	char *event[HELD_DROP_MAX], *room[HELD_DROP_MAX], *sender[HELD_DROP_MAX];
	size_t n;
} held_drop;

/* Drops the held events st selects (event_id, room_id, sender; at most
 * HELD_DROP_MAX), telling dropped of each first. Finalizes st. */
static int held_drop_rows(bot_store *s, sqlite3_stmt *st,
			  void (*dropped)(void *, const char *, const char *, const char *), void *ctx)
{
	held_drop l;
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && l.n < HELD_DROP_MAX) {
		l.event[l.n] = bot_store_dup_column(st, 0);
		l.room[l.n] = bot_store_dup_column(st, 1);
		l.sender[l.n] = bot_store_dup_column(st, 2);
		l.n++;
	}
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? BOT_STORE_OK : bot_store_fail(s, "reading held events");
	sqlite3_finalize(st);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		if (!l.event[i])
			continue;
		if (dropped)
			dropped(ctx, l.event[i], l.room[i] ? l.room[i] : "", l.sender[i] ? l.sender[i] : "");
		rc = bot_store_held_delete(s, l.event[i]);
	}
	for (i = 0; i < l.n; i++) {
		free(l.event[i]);
		free(l.room[i]);
		free(l.sender[i]);
	}
	return rc;
}

/* Beyond the newest `keep` held events of one sender (by_sender) or one
 * room, the oldest go. */
static int held_trim_one(bot_store *s, int by_sender, const char *which, long keep,
			 void (*dropped)(void *, const char *, const char *, const char *), void *ctx)
{
	sqlite3_stmt *st = NULL;

	if (keep <= 0 || !which)
		return BOT_STORE_OK;
	if (bot_store_prepare(s, &st, by_sender ?
		    "SELECT event_id, room_id, sender FROM held_events WHERE sender = ? "
		    "ORDER BY first_seen DESC, rowid DESC LIMIT ? OFFSET ?" :
		    "SELECT event_id, room_id, sender FROM held_events WHERE room_id = ? "
		    "ORDER BY first_seen DESC, rowid DESC LIMIT ? OFFSET ?", 1, which))
		return BOT_STORE_ERR;
	sqlite3_bind_int(st, 2, HELD_DROP_MAX);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)keep);
	return held_drop_rows(s, st, dropped, ctx);
}

int bot_store_held_expire(bot_store *s, long long max_age_s,
			  void (*dropped)(void *ctx, const char *event_id, const char *room_id, const char *sender),
			  void *ctx)
{
	sqlite3_stmt *st = NULL;
	char age[32];

	snprintf(age, sizeof age, "%lld", max_age_s);
	if (bot_store_prepare(s, &st, "SELECT event_id, room_id, sender FROM held_events WHERE first_seen <= :now - ? "
		    "ORDER BY first_seen, rowid LIMIT 256", 1, age))
		return BOT_STORE_ERR;
	return held_drop_rows(s, st, dropped, ctx);
}

int bot_store_held_trim(bot_store *s, const char *room_id, const char *sender, long max_per_sender,
			long max_per_room,
			void (*dropped)(void *ctx, const char *event_id, const char *room_id, const char *sender),
			void *ctx)
{
	int rc = held_trim_one(s, 1, sender, max_per_sender, dropped, ctx);

	return rc == BOT_STORE_OK ? held_trim_one(s, 0, room_id, max_per_room, dropped, ctx) : rc;
}

int bot_store_held_count(bot_store *s, const char *sender, int64_t *count)
{
	return sender ? bot_store_select_int(s, count, "counting held events",
					     "SELECT count(*) FROM held_events WHERE sender = ?", 1, sender) :
			bot_store_select_int(s, count, "counting held events", "SELECT count(*) FROM held_events", 0);
}

int bot_store_held_each(bot_store *s, int (*cb)(void *ctx, const char *event_id, const char *room_id,
						 const char *event, long long first_seen, int tries),
			void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (bot_store_prepare(s, &st, "SELECT event_id, room_id, event, first_seen, tries FROM held_events "
		    "ORDER BY first_seen, event_id", 0))
		return BOT_STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		       (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3),
		       sqlite3_column_int(st, 4)))
			break;
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? BOT_STORE_OK : bot_store_fail(s, "reading held events");
	sqlite3_finalize(st);
	return rc;
}

int bot_store_held_tried(bot_store *s, const char *event_id)
{
	sqlite3_stmt *st = NULL;

	if (bot_store_prepare(s, &st, "UPDATE held_events SET tries = tries + 1 WHERE event_id = ?", 1, event_id))
		return BOT_STORE_ERR;
	return bot_store_run(s, st, "updating a held event");
}

int bot_store_held_delete(bot_store *s, const char *event_id)
{
	sqlite3_stmt *st = NULL;

	if (bot_store_prepare(s, &st, "DELETE FROM held_events WHERE event_id = ?", 1, event_id))
		return BOT_STORE_ERR;
	return bot_store_run(s, st, "releasing a held event");
}
