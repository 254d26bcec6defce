/* web_db.c: see web_db.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include "web_db.h"
#include "web_schema.h"

struct web_db {
	sqlite3 *db;
};

int web_db_open(web_db **out, const char *dir, char *errbuf, size_t errsize)
{
	char path[4096];
	web_db *w = calloc(1, sizeof *w);
	mode_t old;
	int rc;

	*out = NULL;
	if (!w)
		return -1;
	snprintf(path, sizeof path, "%s/%s", dir, BOT_WEB_DB_NAME);
	/* The bot's user shares the group: it may write, nobody else may read. */
	old = umask(007);
	/* 0660 before SQLite opens it: its -wal and -shm files take the
	 * database file's mode, and the bot must write them too. */
	rc = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
	if (rc >= 0) {
		(void)fchmod(rc, 0660);
		close(rc);
	}
	rc = sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(w->db, 3000);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(w->db, "PRAGMA journal_mode = WAL; PRAGMA secure_delete = ON;" BOT_WEB_SCHEMA, NULL,
				  NULL, NULL);
	umask(old);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errsize, "cannot open %s: %s", path, w->db ? sqlite3_errmsg(w->db) : "out of memory");
		sqlite3_close(w->db);
		free(w);
		return -1;
	}
	(void)chmod(path, 0660);
	snprintf(path, sizeof path, "%s/%s-wal", dir, BOT_WEB_DB_NAME);
	(void)chmod(path, 0660);   /* left by an older buurtbot-web as 0640 */
	snprintf(path, sizeof path, "%s/%s-shm", dir, BOT_WEB_DB_NAME);
	(void)chmod(path, 0660);
	*out = w;
	return 0;
}

void web_db_close(web_db *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	free(db);
}

/* Prepares sql and binds n text parameters. */
static sqlite3_stmt *prep(web_db *db, const char *sql, int n, const char *const *p)
{
	sqlite3_stmt *st = NULL;
	int i;

	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	for (i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_TRANSIENT);
	return st;
}

static int exec(web_db *db, const char *sql, int n, const char *const *p)
{
	sqlite3_stmt *st = prep(db, sql, n, p);
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int web_db_add(web_db *db, const char *status_hash, const char *wijk, const char *lang, const char *data,
	       int64_t now)
{
	char t[32];
	const char *p[6] = { status_hash, wijk, lang, data, t, t };

	char old[32];
	const char *q[1] = { old };

	snprintf(t, sizeof t, "%lld", (long long)now);
	/* Answers the bot never took (it was not running) are not kept for ever. */
	snprintf(old, sizeof old, "%lld", (long long)(now - 30 * 86400));
	(void)exec(db, "DELETE FROM web_apps WHERE state = 'new' AND created < ?", 1, q);
	return exec(db, "INSERT INTO web_apps (status_hash, wijk, lang, data, created, updated) "
		    "VALUES (?, ?, ?, ?, ?, ?)", 6, p);
}

static void take(char *out, size_t size, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(out, size, "%s", t ? (const char *)t : "");
}

int web_db_status(web_db *db, const char *status_hash, web_status *out)
{
	const char *p[1] = { status_hash };
	sqlite3_stmt *st = prep(db, "SELECT state, wijk, coalesce(wijkgroep, ''), coalesce(reg_token, ''), "
				"coalesce(code, ''), lang, coalesce(expires, 0), delete_asked FROM web_apps "
				"WHERE status_hash = ?", 1, p);
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		take(out->state, sizeof out->state, st, 0);
		take(out->wijk, sizeof out->wijk, st, 1);
		take(out->wijkgroep, sizeof out->wijkgroep, st, 2);
		take(out->token, sizeof out->token, st, 3);
		take(out->code, sizeof out->code, st, 4);
		take(out->lang, sizeof out->lang, st, 5);
		out->expires = sqlite3_column_int64(st, 6);
		out->delete_asked = sqlite3_column_int(st, 7);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int web_db_delete(web_db *db, const char *status_hash, int64_t now)
{
	char t[32];
	const char *p[2] = { t, status_hash };

	snprintf(t, sizeof t, "%lld", (long long)now);
	return exec(db, "UPDATE web_apps SET delete_asked = 1, data = NULL, reg_token = NULL, code = NULL, "
		    "updated = ? WHERE status_hash = ?", 2, p);
}

int web_db_use_nonce(web_db *db, const char *nonce, int64_t now)
{
	char t[32], old[32];
	const char *p[2] = { nonce, t }, *q[1] = { old };
	sqlite3_stmt *st;
	int rc;

	snprintf(t, sizeof t, "%lld", (long long)now);
	snprintf(old, sizeof old, "%lld", (long long)(now - 86400));
	(void)exec(db, "DELETE FROM web_forms WHERE at < ?", 1, q);
	st = prep(db, "INSERT INTO web_forms (nonce, at) VALUES (?, ?)", 2, p);
	rc = st ? sqlite3_step(st) : SQLITE_ERROR;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	return rc == SQLITE_CONSTRAINT ? 1 : -1;
}
