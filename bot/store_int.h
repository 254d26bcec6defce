/* store_int.h: the generic query helpers of store.c, for the modules that
 * keep their own tables in the same database (registry.c). Parameters are
 * text (NULL binds NULL); SQLite converts them by the column's type.
 * The parameter :now is bound to the store's time in seconds
 * (bot_store_set_now), never to the time of day: SQL says ":now", not
 * 'now'. It takes one place among plain ? parameters (the text
 * parameters skip it); do not mix it with numbered ones (?3). */
#ifndef BOT_STORE_INT_H
#define BOT_STORE_INT_H

#include <sqlite3.h>
#include "store.h"

/* A statement without rows. */
int bot_store_exec(bot_store *s, const char *what, const char *sql, int n, ...);
/* Calls row for each result row until it returns nonzero. */
int bot_store_rows(bot_store *s, const char *what, int (*row)(void *ctx, sqlite3_stmt *st), void *ctx,
		   const char *sql, int n, ...);
/* The first column of the first row, copied into *out (caller frees);
 * BOT_STORE_NOT_FOUND without rows; BOT_STORE_ERR when the read failed,
 * memory ran out, or the value is NULL (an optional column's query says
 * IS NOT NULL). *out is NULL unless BOT_STORE_OK. */
int bot_store_select_text(bot_store *s, char **out, const char *what, const char *sql, int n, ...);
int64_t bot_store_last_rowid(bot_store *s);
/* The first column of the first row as an integer into *out;
 * BOT_STORE_NOT_FOUND without a row or when it is NULL, BOT_STORE_ERR when
 * the read failed; *out is 0 unless BOT_STORE_OK (never read it then). */
int bot_store_select_int(bot_store *s, int64_t *out, const char *what, const char *sql, int n, ...);
/* Rows changed by the last statement. */
int bot_store_changes(bot_store *s);
/* store_outbox.c's one piece of the store's state: the priority of the
 * outbox items added now (a BOT_PRIO_). */
int *bot_store_outbox_prio_slot(bot_store *s);

/* The pieces of those, for a domain file (store_<domain>.c) that binds
 * its own types: prepare with text parameters and :now (a BOT_STORE_
 * status; *out NULL on failure), run a statement without rows and
 * finalize it, record a failure (returns BOT_STORE_ERR), the store's time
 * in seconds, and a copy of a text column (caller frees; NULL for NULL). */
int bot_store_prepare(bot_store *s, sqlite3_stmt **out, const char *sql, int n, ...);
int bot_store_run(bot_store *s, sqlite3_stmt *st, const char *what);
int bot_store_fail(bot_store *s, const char *what);
long long bot_store_now_s(const bot_store *s);
char *bot_store_dup_column(sqlite3_stmt *st, int col);

/* The schema (store_schema.c): migration i + 1 is bot_store_migrations[i]. */
extern const char *const bot_store_migrations[];
extern const int bot_store_n_migrations;

#endif
