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
	int outbox_prio;        /* of the outbox items added now (store_outbox.c) */
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
	s->outbox_prio = BOT_PRIO_NORMAL;
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
		/* A NULL value is no answer: a query of an optional column
		 * says IS NOT NULL, so that none reads as NOT_FOUND. */
		rc = *out ? BOT_STORE_OK : t ? bot_store_oom(s, what) : BOT_STORE_ERR;
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

int bot_store_changes(bot_store *s)
{
	return sqlite3_changes(s->db);
}

int bot_store_oom(bot_store *s, const char *what)
{
	snprintf(s->errmsg, sizeof s->errmsg, "%s: out of memory", what);
	s->failures++;
	return BOT_STORE_ERR;
}

int *bot_store_outbox_prio_slot(bot_store *s)
{
	return &s->outbox_prio;
}

int bot_store_select_int(bot_store *s, int64_t *out, const char *what, const char *sql, int n, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc;

	*out = 0;
	va_start(ap, n);
	rc = prepare_v(s, &st, sql, n, ap);
	va_end(ap);
	if (rc != BOT_STORE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*out = (int64_t)sqlite3_column_int64(st, 0);
		rc = BOT_STORE_OK;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		rc = BOT_STORE_NOT_FOUND;
	} else {
		rc = fail(s, what);
	}
	sqlite3_finalize(st);
	return rc;
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

/* *yes: 1 when one row of the one-parameter query sql exists, else 0 (also
 * on error, which the status says). */
static int exists(bot_store *s, const char *what, const char *sql, const char *param, int *yes)
{
	int64_t one = 0;
	int rc = bot_store_select_int(s, &one, what, sql, 1, param);

	*yes = rc == BOT_STORE_OK;
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
}

int bot_store_event_seen(bot_store *s, const char *key, int *seen)
{
	return exists(s, "reading ledger", "SELECT 1 FROM processed_events WHERE key = ?", key, seen);
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

typedef struct audit_counts {
	int64_t allowed, refused, last;
} audit_counts;

static int audit_row(void *ctx, sqlite3_stmt *st)
{
	audit_counts *c = ctx;

	if (sqlite3_column_int(st, 0))
		c->allowed += sqlite3_column_int64(st, 1);
	else
		c->refused += sqlite3_column_int64(st, 1);
	if (sqlite3_column_int64(st, 2) > c->last)
		c->last = sqlite3_column_int64(st, 2);
	return 0;
}

int bot_store_audit_count_since(bot_store *s, int64_t after_id, int64_t *allowed, int64_t *refused,
				int64_t *last_id)
{
	char id[32];
	audit_counts c = { 0, 0, after_id };
	int rc;

	snprintf(id, sizeof id, "%lld", (long long)after_id);
	rc = bot_store_rows(s, "counting commands", audit_row, &c,
			    "SELECT allowed, count(*), max(id) FROM audit_log WHERE id > ? GROUP BY allowed", 1, id);
	if (rc != BOT_STORE_OK)
		memset(&c, 0, sizeof c);
	*allowed = c.allowed;
	*refused = c.refused;
	*last_id = c.last;
	return rc;
}

int bot_store_direct_add(bot_store *s, const char *room_id, const char *user_id)
{
	sqlite3_stmt *st = NULL;

	if (prepare(s, &st, "INSERT OR REPLACE INTO direct_rooms (room_id, user_id) VALUES (?, ?)",
		    2, room_id, user_id))
		return BOT_STORE_ERR;
	return run(s, st, "recording a direct chat");
}

int bot_store_direct_is(bot_store *s, const char *room_id, int *is_direct)
{
	return exists(s, "reading direct chats", "SELECT 1 FROM direct_rooms WHERE room_id = ?", room_id, is_direct);
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

int bot_store_member_count(bot_store *s, const char *room_id, const char *membership, const char *except_user,
			   int64_t *count)
{
	return bot_store_select_int(s, count, "counting members", "SELECT count(*) FROM room_members WHERE "
				    "room_id = ? AND membership = ? AND user_id != ?", 3, room_id, membership,
				    except_user ? except_user : "");
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
		return rc == SQLITE_NOMEM ? bot_store_oom(s, "listing members") : fail(s, "listing members");
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
