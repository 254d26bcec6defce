/* store_outbox.c: the outbox's SQL (store_outbox.h): what is still to
 * send, in which order, and what is done with an item once it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store.h"
#include "store_int.h"

void bot_outbox_item_clear(bot_outbox_item *it)
{
	free(it->txn_id);
	free(it->room_id);
	free(it->event_type);
	free(it->content);
	memset(it, 0, sizeof *it);
}

bot_outbox_prio bot_store_outbox_priority(bot_store *s, bot_outbox_prio prio)
{
	int *slot = bot_store_outbox_prio_slot(s);
	bot_outbox_prio was = (bot_outbox_prio)*slot;

	*slot = (int)prio;
	return was;
}

int bot_store_outbox_add(bot_store *s, bot_outbox_kind kind, const char *txn_id,
			 const char *room_id, const char *event_type, const char *content)
{
	return bot_store_outbox_add_in_lane(s, kind, txn_id, room_id, event_type, content, NULL);
}

int bot_store_outbox_add_in_lane(bot_store *s, bot_outbox_kind kind, const char *txn_id, const char *room_id,
				 const char *event_type, const char *content, const char *lane)
{
	sqlite3_stmt *st = NULL;

	/* The lane: the thread root of a message in a thread (the outbox keeps
	 * the order of a thread's messages; see bot_store_outbox_next_ready),
	 * else the one given (NULL: the room's top level). */
	if (bot_store_prepare(s, &st, "INSERT OR IGNORE INTO outbox "
		    "(txn_id, room_id, event_type, content, kind, created_at, prio, lane) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(CASE WHEN ?5 = 0 AND json_valid(?4) AND "
		    "json_extract(?4, '$.\"m.relates_to\".rel_type') = 'm.thread' "
		    "THEN json_extract(?4, '$.\"m.relates_to\".event_id') END, ?8))", 4, txn_id, room_id, event_type,
		    content))
		return BOT_STORE_ERR;
	sqlite3_bind_int(st, 5, (int)kind);
	sqlite3_bind_int64(st, 6, bot_store_now_s(s));
	sqlite3_bind_int(st, 7, *bot_store_outbox_prio_slot(s));
	if (lane)
		sqlite3_bind_text(st, 8, lane, -1, SQLITE_TRANSIENT);
	return bot_store_run(s, st, "adding to outbox");
}

#define OUTBOX_COLUMNS "o.id, o.kind, o.txn_id, o.room_id, o.event_type, o.content, o.attempts, o.prio, " \
	"o.defers, coalesce(o.deferred_since, 0)"

/* The item of the statement's next row into out: BOT_STORE_OK, _NOT_FOUND
 * without one, _ERR. Finalizes st. */
static int outbox_row(bot_store *s, sqlite3_stmt *st, bot_outbox_item *out)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->kind = (bot_outbox_kind)sqlite3_column_int(st, 1);
		out->txn_id = bot_store_dup_column(st, 2);
		out->room_id = bot_store_dup_column(st, 3);
		out->event_type = bot_store_dup_column(st, 4);
		out->content = bot_store_dup_column(st, 5);
		out->attempts = sqlite3_column_int(st, 6);
		out->prio = (bot_outbox_prio)sqlite3_column_int(st, 7);
		out->defers = sqlite3_column_int(st, 8);
		out->deferred_since = (long long)sqlite3_column_int64(st, 9);
		rc = (out->txn_id && out->room_id) ? BOT_STORE_OK : BOT_STORE_ERR;
		if (rc != BOT_STORE_OK) {
			bot_outbox_item_clear(out);
			bot_store_oom(s, "reading outbox");
		}
	} else if (rc == SQLITE_DONE) {
		rc = BOT_STORE_NOT_FOUND;
	} else {
		rc = bot_store_fail(s, "reading outbox");
	}
	sqlite3_finalize(st);
	return rc;
}

int bot_store_outbox_next(bot_store *s, int64_t after_id, bot_outbox_item *out)
{
	sqlite3_stmt *st = NULL;

	memset(out, 0, sizeof *out);
	if (bot_store_prepare(s, &st, "SELECT " OUTBOX_COLUMNS " FROM outbox o WHERE o.state = 'pending' AND o.id > ? "
		    "ORDER BY o.id LIMIT 1", 0))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)after_id);
	return outbox_row(s, st, out);
}

/* The send order. Pending items go highest priority first, oldest first
 * within a priority, but an item never overtakes an earlier pending item
 * of its own room when that order matters:
 * - anything that is not a message (join, leave, invite, ban, kick, a
 *   direct chat, a redaction) keeps its place among everything in its
 *   room: a greeting must not come before the join, a message to someone
 *   not before their invite;
 * - messages in the same lane keep their order: a thread's messages (the
 *   SAAR answer before the confirmation of the approval under it), and the
 *   room's top-level messages (a direct chat's questions and answers) —
 *   except that a low-priority notice may be overtaken: a summary in the
 *   stuurgroep room can wait behind the answer to a command there.
 * Messages of different lanes (different threads, or a thread and the
 * room's top level) of one room may pass each other. A named lane
 * (bot_store_outbox_add_in_lane: the top-level copies of one casus) is a
 * part of the top level that goes its own way: its messages wait only
 * for each other, so the copies of different casussen go side by side,
 * but the room's other top-level messages still wait for them (a casus's
 * closing notice, posted at the top level while its copy is still on its
 * way, must not arrive before the copy). Thread lanes are event ids ("$"). A thread answer
 * cannot overtake the message it threads under: that message exists
 * already (its event id is in the answer), nothing in the outbox makes it.
 * A deferred item (bot_store_outbox_defer) is not sent before its time.
 * A deferred invite holds up nothing (an invite waiting for a homeserver
 * that is down must not keep the room quiet for hours; a later kick or
 * ban of the same user drops it, bot_store_outbox_drop_deferred_invites);
 * any other deferred item holds up its room as before. */
int bot_store_outbox_next_ready(bot_store *s, int after_prio, int64_t after_id, bot_outbox_item *out)
{
	sqlite3_stmt *st = NULL;

	memset(out, 0, sizeof *out);
	if (bot_store_prepare(s, &st, "SELECT " OUTBOX_COLUMNS " FROM outbox o WHERE o.state = 'pending' "
		    "AND (o.prio > ?1 OR (o.prio = ?1 AND o.id > ?2)) AND coalesce(o.defer_until, 0) <= ?3 "
		    "AND NOT EXISTS ("
		    "  SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.room_id = o.room_id AND e.id < o.id "
		    "  AND NOT (e.kind = 3 AND e.defer_until IS NOT NULL) "
		    "  AND (e.kind != 0 OR o.kind != 0 OR ((e.lane IS o.lane OR (o.lane IS NULL AND substr(e.lane, 1, 1) != '$')) "
		    "       AND NOT (e.prio = 2 AND o.prio < 2)))) "
		    "ORDER BY o.prio, o.id LIMIT 1", 0))
		return BOT_STORE_ERR;
	sqlite3_bind_int(st, 1, after_prio);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)after_id);
	sqlite3_bind_int64(st, 3, bot_store_now_s(s));
	return outbox_row(s, st, out);
}

/* A finished item keeps what exactly-once needs (its txn id, room, kind,
 * state, result event id, times) and loses its content: the text of a
 * message is in the room now, and the store is not a second copy of it.
 * Nothing reads the content of an item that is not pending. */
static int outbox_finish(bot_store *s, int64_t id, const char *state,
			 const char *event_id, const char *reason)
{
	sqlite3_stmt *st = NULL;

	if (bot_store_prepare(s, &st, "UPDATE outbox SET state = ?, result_event_id = ?, last_error = ?, "
		    "done_at = ?, attempts = attempts + 1, content = NULL WHERE id = ?", 3, state, event_id, reason))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 4, bot_store_now_s(s));
	sqlite3_bind_int64(st, 5, (sqlite3_int64)id);
	return bot_store_run(s, st, "updating outbox");
}

int bot_store_outbox_mark_sent(bot_store *s, int64_t id, const char *result_event_id)
{
	return outbox_finish(s, id, "sent", result_event_id, NULL);
}

int bot_store_outbox_mark_failed(bot_store *s, int64_t id, const char *reason)
{
	return outbox_finish(s, id, "failed", NULL, reason);
}

int bot_store_outbox_note_attempt(bot_store *s, int64_t id, const char *reason)
{
	sqlite3_stmt *st = NULL;

	if (bot_store_prepare(s, &st, "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
		    1, reason))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 2, (sqlite3_int64)id);
	return bot_store_run(s, st, "updating outbox");
}

int bot_store_outbox_defer(bot_store *s, int64_t id, long long until_s, const char *reason)
{
	sqlite3_stmt *st = NULL;

	if (bot_store_prepare(s, &st, "UPDATE outbox SET attempts = attempts + 1, last_error = ?, defers = defers + 1, "
		    "defer_until = ?, deferred_since = coalesce(deferred_since, ?) WHERE id = ?", 1, reason))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 2, (sqlite3_int64)until_s);
	sqlite3_bind_int64(st, 3, bot_store_now_s(s));
	sqlite3_bind_int64(st, 4, (sqlite3_int64)id);
	return bot_store_run(s, st, "deferring an outbox item");
}

int bot_store_outbox_drop_deferred_invites(bot_store *s, const char *room_id, const char *user_id,
					   int64_t before_id, size_t *dropped)
{
	sqlite3_stmt *st = NULL;

	*dropped = 0;
	if (bot_store_prepare(s, &st, "UPDATE outbox SET state = 'failed', content = NULL, done_at = :now, "
		    "last_error = 'superseded by a later kick or ban' WHERE state = 'pending' AND kind = 3 "
		    "AND defer_until IS NOT NULL AND room_id = ? AND content = ? AND id < ?", 2, room_id, user_id))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 4, (sqlite3_int64)before_id);
	if (bot_store_run(s, st, "dropping deferred invites") != BOT_STORE_OK)
		return BOT_STORE_ERR;
	*dropped = (size_t)bot_store_changes(s);
	return BOT_STORE_OK;
}

int bot_store_outbox_count(bot_store *s, const char *state, int64_t *count)
{
	return bot_store_select_int(s, count, "counting outbox", "SELECT count(*) FROM outbox WHERE state = ?", 1,
				    state);
}

typedef struct since_count {
	int64_t count, last;
} since_count;

static int forwards_row(void *ctx, sqlite3_stmt *st)
{
	since_count *c = ctx;

	c->count = sqlite3_column_int64(st, 0);
	c->last = sqlite3_column_int64(st, 1);
	return 1;
}

int bot_store_outbox_forwards_since(bot_store *s, int64_t after_id, int64_t *count, int64_t *last_id)
{
	char id[32];
	since_count c = { 0, after_id };
	int rc;

	snprintf(id, sizeof id, "%lld", (long long)after_id);
	rc = bot_store_rows(s, "counting forwards", forwards_row, &c,
			    "SELECT count(*), max(id) FROM outbox WHERE id > ? AND txn_id >= 'fwd:' AND txn_id < 'fwd;' "
			    "HAVING count(*) > 0", 1, id);
	*count = rc == BOT_STORE_OK ? c.count : 0;
	*last_id = rc == BOT_STORE_OK ? c.last : 0;
	return rc;
}

int bot_store_outbox_names(bot_store *s, const char *txn_id, const char *user_id)
{
	return bot_store_exec(s, "linking a message to a user",
			      "INSERT OR IGNORE INTO outbox_named (txn_id, user_id) VALUES (?, ?)", 2, txn_id, user_id);
}

typedef struct named_rows {
	char **room, **event;
	size_t n, cap;
	int oom;
} named_rows;

static int named_row(void *ctx, sqlite3_stmt *st)
{
	named_rows *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **r = realloc(l->room, cap * sizeof *r), **e;

		if (r)
			l->room = r;
		e = realloc(l->event, cap * sizeof *e);
		if (e)
			l->event = e;
		if (!r || !e)
			return l->oom = 1;
		l->cap = cap;
	}
	l->room[l->n] = bot_store_dup_column(st, 0);
	l->event[l->n] = bot_store_dup_column(st, 1);
	l->n++;
	return l->oom = !l->room[l->n - 1] || !l->event[l->n - 1];
}

int bot_store_outbox_named_take(bot_store *s, const char *user_id,
				int (*cb)(void *ctx, const char *room_id, const char *event_id), void *ctx)
{
	named_rows l = { NULL, NULL, 0, 0, 0 };
	size_t i;
	int rc;

	rc = bot_store_rows(s, "reading messages that named a user", named_row, &l,
			    "SELECT o.room_id, o.result_event_id FROM outbox o JOIN outbox_named n ON n.txn_id = o.txn_id "
			    "WHERE n.user_id = ? AND o.state = 'sent' AND o.result_event_id IS NOT NULL ORDER BY o.id",
			    1, user_id);
	if (rc == BOT_STORE_OK && l.oom) {
		rc = bot_store_oom(s, "reading the outbox");
	}
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++)
		if (cb(ctx, l.room[i], l.event[i]) != 0)
			rc = BOT_STORE_ERR;
	/* Not sent yet: it never will be. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "cancelling messages that named a user",
				    "UPDATE outbox SET state = 'failed', content = NULL, last_error = 'forgotten', "
				    "done_at = :now "
				    "WHERE state = 'pending' AND txn_id IN (SELECT txn_id FROM outbox_named WHERE user_id = ?)",
				    1, user_id);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting messages that named a user",
				    "DELETE FROM outbox_named WHERE user_id = ?", 1, user_id);
	for (i = 0; i < l.n; i++) {
		free(l.room[i]);
		free(l.event[i]);
	}
	free(l.room);
	free(l.event);
	return rc;
}
