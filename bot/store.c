/* store.c: SQLite behind the bot_store interface.
 * synchronous=NORMAL in WAL mode survives a killed process; after a power
 * loss the last batch may roll back, which is safe: its events are then
 * decided again and resent with the same transaction ids, which the
 * homeserver deduplicates. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "store.h"
#include "store_int.h"

struct bot_store {
	sqlite3 *db;
	char errmsg[512];
	bot_outbox_prio prio;   /* of the outbox items added now */
	long long now_ms;       /* the batch's time (bot_store_set_now) */
	unsigned long failures; /* SQL failures so far (bot_store_failures) */
};

#define N_MIGRATIONS bot_store_n_migrations

int bot_store_latest_version(void)
{
	return N_MIGRATIONS;
}

static int fail(bot_store *s, const char *what)
{
	snprintf(s->errmsg, sizeof s->errmsg, "%s: %s", what, sqlite3_errmsg(s->db));
	s->failures++;
	return BOT_STORE_ERR;
}

unsigned long bot_store_failures(const bot_store *s)
{
	return s->failures;
}

const char *bot_store_errmsg(const bot_store *s)
{
	return s ? s->errmsg : "no store";
}

static int exec(bot_store *s, const char *sql, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->errmsg, sizeof s->errmsg, "%s: %s", what, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return BOT_STORE_ERR;
	}
	return BOT_STORE_OK;
}

int bot_store_schema_version(bot_store *s)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Applies migrations [current, target) each in its own transaction,
 * together with the new user_version, so a failing one changes nothing. */
static int migrate(bot_store *s, int target)
{
	int v = bot_store_schema_version(s);

	if (v < 0)
		return fail(s, "reading schema version");
	if (v > N_MIGRATIONS) {
		snprintf(s->errmsg, sizeof s->errmsg,
			 "the store has schema version %d but this buurtbot knows only up to %d; "
			 "run the newer buurtbot or restore a backup", v, N_MIGRATIONS);
		return BOT_STORE_TOO_NEW;
	}
	for (; v < target; v++) {
		char what[64], setv[64];

		snprintf(what, sizeof what, "store migration %d", v + 1);
		snprintf(setv, sizeof setv, "PRAGMA user_version = %d", v + 1);
		if (exec(s, "BEGIN IMMEDIATE", what) != BOT_STORE_OK)
			return BOT_STORE_ERR;
		if (exec(s, bot_store_migrations[v], what) != BOT_STORE_OK ||
		    exec(s, setv, what) != BOT_STORE_OK ||
		    exec(s, "COMMIT", what) != BOT_STORE_OK) {
			char keep[sizeof s->errmsg];
			memcpy(keep, s->errmsg, sizeof keep);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			memcpy(s->errmsg, keep, sizeof keep);
			return BOT_STORE_ERR;
		}
	}
	return BOT_STORE_OK;
}

int bot_store_open_at_version(bot_store **out, const char *path, int target,
			      char *errbuf, size_t errsize)
{
	bot_store *s = NULL;
	int fd, rc = BOT_STORE_ERR;

	*out = NULL;
	if (target < 0 || target > N_MIGRATIONS)
		target = N_MIGRATIONS;
	/* Create the file ourselves so it is never readable by others:
	 * it holds the access token and residents' data. */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(errbuf, errsize, "cannot open store %s: %s", path, strerror(errno));
		return BOT_STORE_ERR;
	}
	close(fd);
	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(errbuf, errsize, "out of memory opening store");
		return BOT_STORE_ERR;
	}
	s->prio = BOT_PRIO_NORMAL;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		fail(s, "opening store");
		goto cleanup;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	if (exec(s, "PRAGMA journal_mode = WAL", "enabling WAL") != BOT_STORE_OK ||
	    exec(s, "PRAGMA synchronous = NORMAL", "setting synchronous") != BOT_STORE_OK ||
	    exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys") != BOT_STORE_OK ||
	    /* Deleted means deleted: a forgotten resident's rows are
	     * overwritten, not left in free pages of the file. */
	    exec(s, "PRAGMA secure_delete = ON", "enabling secure delete") != BOT_STORE_OK)
		goto cleanup;
	rc = migrate(s, target);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	*out = s;
	s = NULL;
cleanup:
	if (s) {
		snprintf(errbuf, errsize, "%s (store %s)", s->errmsg, path);
		bot_store_close(s);
	}
	return rc;
}

int bot_store_open(bot_store **out, const char *path, char *errbuf, size_t errsize)
{
	return bot_store_open_at_version(out, path, N_MIGRATIONS, errbuf, errsize);
}

void bot_store_close(bot_store *s)
{
	if (!s)
		return;
	sqlite3_close_v2(s->db);
	free(s);
}

int bot_store_simulate_full_disk(bot_store *s)
{
	/* max_page_count cannot go below the current size, so this pins it. */
	return exec(s, "PRAGMA max_page_count = 1", "limiting store size");
}

int bot_store_begin(bot_store *s)
{
	return exec(s, "BEGIN IMMEDIATE", "starting transaction");
}

int bot_store_commit(bot_store *s)
{
	return exec(s, "COMMIT", "committing");
}

void bot_store_rollback(bot_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void bot_store_set_now(bot_store *s, long long now_ms)
{
	s->now_ms = now_ms;
}

static sqlite3_int64 now_s(const bot_store *s)
{
	return (sqlite3_int64)(s->now_ms / 1000);
}

/* Prepares sql and binds text parameters (NULL binds NULL) in order, and
 * :now, wherever it stands, to the store's time in seconds. */
static int prepare_v(bot_store *s, sqlite3_stmt **out, const char *sql, int n, va_list ap)
{
	int i, now;

	if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK)
		return fail(s, "preparing statement");
	now = sqlite3_bind_parameter_index(*out, ":now");
	if (now && sqlite3_bind_int64(*out, now, now_s(s)) != SQLITE_OK) {
		sqlite3_finalize(*out);
		*out = NULL;
		return fail(s, "binding the time");
	}
	for (i = 1; i <= n; i++) {
		const char *v = va_arg(ap, const char *);
		/* The text parameters skip the place :now took. */
		if (sqlite3_bind_text(*out, now && i >= now ? i + 1 : i, v, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
			sqlite3_finalize(*out);
			*out = NULL;
			return fail(s, "binding parameter");
		}
	}
	return BOT_STORE_OK;
}

static int prepare(bot_store *s, sqlite3_stmt **out, const char *sql, int n, ...)
{
	va_list ap;
	int rc;

	va_start(ap, n);
	rc = prepare_v(s, out, sql, n, ap);
	va_end(ap);
	return rc;
}

/* Runs a one-column query with text parameters: *out gets a copy of the
 * first row's value, or BOT_STORE_NOT_FOUND when there is no row. */
int bot_store_select_text(bot_store *s, char **out, const char *what, const char *sql, int n, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc;

	*out = NULL;
	va_start(ap, n);
	rc = prepare_v(s, &st, sql, n, ap);
	va_end(ap);
	if (rc != BOT_STORE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		*out = t ? strdup((const char *)t) : NULL;
		rc = *out ? BOT_STORE_OK : BOT_STORE_ERR;
	} else {
		rc = rc == SQLITE_DONE ? BOT_STORE_NOT_FOUND : fail(s, what);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Runs a statement that returns no rows. */
static int run(bot_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE) {
		fail(s, what);
		sqlite3_finalize(st);
		return BOT_STORE_ERR;
	}
	sqlite3_finalize(st);
	return BOT_STORE_OK;
}

static char *dup_column(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? strdup((const char *)t) : NULL;
}

int bot_store_prepare(bot_store *s, sqlite3_stmt **out, const char *sql, int n, ...)
{
	va_list ap;
	int rc;

	va_start(ap, n);
	rc = prepare_v(s, out, sql, n, ap);
	va_end(ap);
	return rc;
}

int bot_store_run(bot_store *s, sqlite3_stmt *st, const char *what)
{
	return run(s, st, what);
}

int bot_store_fail(bot_store *s, const char *what)
{
	return fail(s, what);
}

long long bot_store_now_s(const bot_store *s)
{
	return (long long)now_s(s);
}

char *bot_store_dup_column(sqlite3_stmt *st, int col)
{
	return dup_column(st, col);
}

int bot_store_exec(bot_store *s, const char *what, const char *sql, int n, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc;

	va_start(ap, n);
	rc = prepare_v(s, &st, sql, n, ap);
	va_end(ap);
	return rc != BOT_STORE_OK ? rc : run(s, st, what);
}

int bot_store_rows(bot_store *s, const char *what, int (*row)(void *ctx, sqlite3_stmt *st), void *ctx,
		   const char *sql, int n, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc;

	va_start(ap, n);
	rc = prepare_v(s, &st, sql, n, ap);
	va_end(ap);
	if (rc != BOT_STORE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (row(ctx, st) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	rc = rc == SQLITE_DONE ? BOT_STORE_OK : fail(s, what);
	sqlite3_finalize(st);
	return rc;
}

int64_t bot_store_last_rowid(bot_store *s)
{
	return sqlite3_last_insert_rowid(s->db);
}

int bot_store_kv_get(bot_store *s, const char *key, char **out)
{
	return bot_store_select_text(s, out, "reading kv", "SELECT value FROM kv WHERE key = ?", 1, key);
}

int bot_store_kv_set(bot_store *s, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "INSERT INTO kv (key, value) VALUES (?, ?) "
		    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", 2, key, value))
		return BOT_STORE_ERR;
	return run(s, st, "writing kv");
}

int bot_store_kv_delete(bot_store *s, const char *key)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "DELETE FROM kv WHERE key = ?", 1, key))
		return BOT_STORE_ERR;
	return run(s, st, "deleting kv");
}

int bot_store_event_seen(bot_store *s, const char *key)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prepare(s, &st, "SELECT 1 FROM processed_events WHERE key = ?", 1, key))
		return BOT_STORE_ERR;
	rc = sqlite3_step(st);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(s, "reading ledger");
	sqlite3_finalize(st);
	return rc;
}

int bot_store_event_mark(bot_store *s, const char *key, const char *room_id)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "INSERT OR IGNORE INTO processed_events (key, room_id, processed_at) "
		    "VALUES (?, ?, ?)", 2, key, room_id))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 3, now_s(s));
	return run(s, st, "writing ledger");
}

int bot_store_event_forget(bot_store *s, const char *key)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "DELETE FROM processed_events WHERE key = ?", 1, key))
		return BOT_STORE_ERR;
	return run(s, st, "deleting from ledger");
}

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
	bot_outbox_prio was = s->prio;

	s->prio = prio;
	return was;
}

int bot_store_outbox_add(bot_store *s, bot_outbox_kind kind, const char *txn_id,
			 const char *room_id, const char *event_type, const char *content)
{
	sqlite3_stmt *st = NULL;

	/* The lane: the thread root of a message in a thread (the outbox keeps
	 * the order of a thread's messages; see bot_store_outbox_next_ready). */
	if (prepare(s, &st, "INSERT OR IGNORE INTO outbox "
		    "(txn_id, room_id, event_type, content, kind, created_at, prio, lane) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?5 = 0 AND json_valid(?4) AND "
		    "json_extract(?4, '$.\"m.relates_to\".rel_type') = 'm.thread' "
		    "THEN json_extract(?4, '$.\"m.relates_to\".event_id') END)", 4, txn_id, room_id, event_type, content))
		return BOT_STORE_ERR;
	sqlite3_bind_int(st, 5, (int)kind);
	sqlite3_bind_int64(st, 6, now_s(s));
	sqlite3_bind_int(st, 7, (int)s->prio);
	return run(s, st, "adding to outbox");
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
		out->txn_id = dup_column(st, 2);
		out->room_id = dup_column(st, 3);
		out->event_type = dup_column(st, 4);
		out->content = dup_column(st, 5);
		out->attempts = sqlite3_column_int(st, 6);
		out->prio = (bot_outbox_prio)sqlite3_column_int(st, 7);
		out->defers = sqlite3_column_int(st, 8);
		out->deferred_since = (long long)sqlite3_column_int64(st, 9);
		rc = (out->txn_id && out->room_id) ? BOT_STORE_OK : BOT_STORE_ERR;
		if (rc != BOT_STORE_OK) {
			snprintf(s->errmsg, sizeof s->errmsg, "out of memory reading outbox");
			bot_outbox_item_clear(out);
		}
	} else if (rc == SQLITE_DONE) {
		rc = BOT_STORE_NOT_FOUND;
	} else {
		rc = fail(s, "reading outbox");
	}
	sqlite3_finalize(st);
	return rc;
}

int bot_store_outbox_next(bot_store *s, int64_t after_id, bot_outbox_item *out)
{
	sqlite3_stmt *st = NULL;

	memset(out, 0, sizeof *out);
	if (prepare(s, &st, "SELECT " OUTBOX_COLUMNS " FROM outbox o WHERE o.state = 'pending' AND o.id > ? "
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
 * room's top level) of one room may pass each other. A thread answer
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
	if (prepare(s, &st, "SELECT " OUTBOX_COLUMNS " FROM outbox o WHERE o.state = 'pending' "
		    "AND (o.prio > ?1 OR (o.prio = ?1 AND o.id > ?2)) AND coalesce(o.defer_until, 0) <= ?3 "
		    "AND NOT EXISTS ("
		    "  SELECT 1 FROM outbox e WHERE e.state = 'pending' AND e.room_id = o.room_id AND e.id < o.id "
		    "  AND NOT (e.kind = 3 AND e.defer_until IS NOT NULL) "
		    "  AND (e.kind != 0 OR o.kind != 0 OR (e.lane IS o.lane AND NOT (e.prio = 2 AND o.prio < 2)))) "
		    "ORDER BY o.prio, o.id LIMIT 1", 0))
		return BOT_STORE_ERR;
	sqlite3_bind_int(st, 1, after_prio);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)after_id);
	sqlite3_bind_int64(st, 3, now_s(s));
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

	if (prepare(s, &st, "UPDATE outbox SET state = ?, result_event_id = ?, last_error = ?, "
		    "done_at = ?, attempts = attempts + 1, content = NULL WHERE id = ?", 3, state, event_id, reason))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 4, now_s(s));
	sqlite3_bind_int64(st, 5, (sqlite3_int64)id);
	return run(s, st, "updating outbox");
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

	if (prepare(s, &st, "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
		    1, reason))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 2, (sqlite3_int64)id);
	return run(s, st, "updating outbox");
}

int bot_store_outbox_defer(bot_store *s, int64_t id, long long until_s, const char *reason)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "UPDATE outbox SET attempts = attempts + 1, last_error = ?, defers = defers + 1, "
		    "defer_until = ?, deferred_since = coalesce(deferred_since, ?) WHERE id = ?", 1, reason))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 2, (sqlite3_int64)until_s);
	sqlite3_bind_int64(st, 3, now_s(s));
	sqlite3_bind_int64(st, 4, (sqlite3_int64)id);
	return run(s, st, "deferring an outbox item");
}

int bot_store_outbox_drop_deferred_invites(bot_store *s, const char *room_id, const char *user_id,
					   int64_t before_id)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "UPDATE outbox SET state = 'failed', content = NULL, done_at = ?, "
		    "last_error = 'superseded by a later kick or ban' WHERE state = 'pending' AND kind = 3 "
		    "AND defer_until IS NOT NULL AND room_id = ? AND content = ? AND id < ?", 0))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 1, now_s(s));
	sqlite3_bind_text(st, 2, room_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, user_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)before_id);
	if (run(s, st, "dropping deferred invites") != BOT_STORE_OK)
		return BOT_STORE_ERR;
	return sqlite3_changes(s->db);
}

int64_t bot_store_outbox_count(bot_store *s, const char *state)
{
	sqlite3_stmt *st = NULL;
	int64_t n = BOT_STORE_ERR;

	if (prepare(s, &st, "SELECT count(*) FROM outbox WHERE state = ?", 1, state))
		return BOT_STORE_ERR;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		fail(s, "counting outbox");
	sqlite3_finalize(st);
	return n;
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
	l->room[l->n] = dup_column(st, 0);
	l->event[l->n] = dup_column(st, 1);
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
		snprintf(s->errmsg, sizeof s->errmsg, "out of memory reading the outbox");
		rc = BOT_STORE_ERR;
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

int bot_store_room_get(bot_store *s, const char *key, char **out)
{
	return bot_store_select_text(s, out, "reading structure rooms",
			   "SELECT room_id FROM structure_rooms WHERE key = ?", 1, key);
}

int bot_store_room_set(bot_store *s, const char *key, const char *room_id, const char *version)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "INSERT INTO structure_rooms (key, room_id, room_version, created_at) VALUES (?, ?, ?, ?) "
		    "ON CONFLICT (key) DO UPDATE SET room_id = excluded.room_id, "
		    "room_version = coalesce(excluded.room_version, room_version)", 3, key, room_id, version))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 4, now_s(s));
	return run(s, st, "writing structure rooms");
}

int bot_store_room_version_get(bot_store *s, const char *key, char **out)
{
	return bot_store_select_text(s, out, "reading structure rooms",
			   "SELECT room_version FROM structure_rooms WHERE key = ? AND room_version IS NOT NULL", 1, key);
}

int bot_store_rooms_each(bot_store *s, int (*cb)(void *ctx, const char *key, const char *room_id,
						  const char *version), void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prepare(s, &st, "SELECT key, room_id, room_version FROM structure_rooms ORDER BY key", 0))
		return BOT_STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		       (const char *)sqlite3_column_text(st, 2)))
			break;
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? BOT_STORE_OK : fail(s, "reading structure rooms");
	sqlite3_finalize(st);
	return rc;
}

int bot_store_audit_add(bot_store *s, const char *sender, const char *room_id, const char *command,
			int allowed, const char *reason)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "INSERT INTO audit_log (sender, room_id, command, reason, allowed, at) "
		    "VALUES (?, ?, ?, ?, ?, ?)", 4, sender, room_id, command, reason))
		return BOT_STORE_ERR;
	sqlite3_bind_int(st, 5, allowed ? 1 : 0);
	sqlite3_bind_int64(st, 6, now_s(s));
	return run(s, st, "writing the audit log");
}

int bot_store_direct_add(bot_store *s, const char *room_id, const char *user_id)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "INSERT OR REPLACE INTO direct_rooms (room_id, user_id) VALUES (?, ?)",
		    2, room_id, user_id))
		return BOT_STORE_ERR;
	return run(s, st, "recording a direct chat");
}

int bot_store_direct_is(bot_store *s, const char *room_id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prepare(s, &st, "SELECT 1 FROM direct_rooms WHERE room_id = ?", 1, room_id))
		return BOT_STORE_ERR;
	rc = sqlite3_step(st);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(s, "reading direct chats");
	sqlite3_finalize(st);
	return rc;
}

int bot_store_direct_user(bot_store *s, const char *room_id, char **out)
{
	return bot_store_select_text(s, out, "reading direct chats",
				     "SELECT user_id FROM direct_rooms WHERE room_id = ?", 1, room_id);
}

int bot_store_direct_room_of(bot_store *s, const char *user_id, char **out)
{
	return bot_store_select_text(s, out, "reading direct chats",
				     "SELECT room_id FROM direct_rooms WHERE user_id = ? ORDER BY rowid DESC LIMIT 1", 1,
				     user_id);
}

int bot_store_room_key_of(bot_store *s, const char *room_id, char **out)
{
	return bot_store_select_text(s, out, "reading structure rooms",
			   "SELECT key FROM structure_rooms WHERE room_id = ?", 1, room_id);
}

int bot_store_member_set(bot_store *s, const char *room_id, const char *user_id, const char *membership)
{
	sqlite3_stmt *st = NULL;

	/* since: when this membership began, kept while it stays the same. */
	if (prepare(s, &st, "INSERT INTO room_members (room_id, user_id, membership, since) "
		    "VALUES (?, ?, ?, ?) "
		    "ON CONFLICT (room_id, user_id) DO UPDATE SET membership = excluded.membership, "
		    "since = CASE WHEN membership = excluded.membership THEN since ELSE excluded.since END",
		    3, room_id, user_id, membership))
		return BOT_STORE_ERR;
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->now_ms);
	return run(s, st, "recording membership");
}

int64_t bot_store_member_count(bot_store *s, const char *room_id, const char *membership,
			       const char *except_user)
{
	sqlite3_stmt *st = NULL;
	int64_t n = BOT_STORE_ERR;

	if (prepare(s, &st, "SELECT count(*) FROM room_members WHERE room_id = ? AND membership = ? "
		    "AND user_id != ?", 3, room_id, membership, except_user ? except_user : ""))
		return BOT_STORE_ERR;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		fail(s, "counting members");
	sqlite3_finalize(st);
	return n;
}

int bot_store_member_list(bot_store *s, const char *room_id, const char *membership,
			  const char *except_user, char ***out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	char **list = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (prepare(s, &st, "SELECT user_id FROM room_members WHERE room_id = ? AND membership = ? "
		    "AND user_id != ? ORDER BY user_id LIMIT 100000", 3, room_id, membership,
		    except_user ? except_user : ""))
		return BOT_STORE_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **grown = realloc(list, (*n + 1) * sizeof *grown);
		if (!grown || !(grown[*n] = dup_column(st, 0))) {
			list = grown ? grown : list;
			rc = SQLITE_NOMEM;
			break;
		}
		list = grown;
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		bot_store_list_free(list, *n);
		*n = 0;
		snprintf(s->errmsg, sizeof s->errmsg, "listing members failed");
		return BOT_STORE_ERR;
	}
	*out = list;
	return BOT_STORE_OK;
}

void bot_store_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
}

int bot_store_wijkgroep_of(bot_store *s, const char *user_id, char *buf, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prepare(s, &st, "SELECT r.key FROM room_members m JOIN structure_rooms r ON r.room_id = m.room_id "
		    "WHERE m.user_id = ? AND m.membership IN ('join', 'invite') "
		    "AND substr(r.key, 1, 10) = 'wijkgroep:' ORDER BY r.key LIMIT 1", 1, user_id))
		return BOT_STORE_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = BOT_STORE_OK;
	} else {
		rc = rc == SQLITE_DONE ? BOT_STORE_NOT_FOUND : fail(s, "reading membership");
	}
	sqlite3_finalize(st);
	return rc;
}
