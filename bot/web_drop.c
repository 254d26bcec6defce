/* web_drop.c: see web_drop.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "config.h"
#include "log.h"
#include "web_drop.h"
#include "web/web_schema.h"

#define DATA_MAX 4096   /* a web.db answer longer than this is no form of the website's */
#define STR_(x) #x
#define STR(x) STR_(x)

struct bot_web_drop {
	sqlite3 *db;
};

static int missing_logged;

int bot_web_drop_open(bot_web_drop **out, const char *web_dir)
{
	char path[BOT_CONFIG_STR_MAX + 32];
	sqlite3 *db = NULL;

	*out = NULL;
	snprintf(path, sizeof path, "%s/%s", web_dir, BOT_WEB_DB_NAME);
	if (access(path, F_OK) != 0) {
		if (!missing_logged++)
			LOG_INFO("web_dir is set, but the website has not made %s yet; waiting for it", path);
		return -1;
	}
	/* secure_delete: the answers the bot wipes leave no bytes behind in the
	 * file. NOFOLLOW: the website's directory cannot point the bot at
	 * another database of the bot's user (its store) through a symlink. */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, 3000) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA secure_delete = ON;" BOT_WEB_SCHEMA, NULL, NULL, NULL) != SQLITE_OK ||
	    !(*out = calloc(1, sizeof **out))) {
		LOG_WARN("cannot open the website's %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	(*out)->db = db;
	LOG_INFO("taking sign-ups from the website (%s)", path);
	return 0;
}

void bot_web_drop_close(bot_web_drop *w)
{
	if (!w)
		return;
	sqlite3_close(w->db);
	free(w);
}

/* One statement with text parameters (NULL binds NULL). */
static int exec_text(bot_web_drop *w, const char *sql, int n, const char *const *params)
{
	sqlite3_stmt *st = NULL;
	int i, rc;

	if (sqlite3_prepare_v2(w->db, sql, -1, &st, NULL) != SQLITE_OK) {
		LOG_WARN("writing the website's web.db failed: %s", sqlite3_errmsg(w->db));
		return -1;
	}
	for (i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		LOG_WARN("writing the website's web.db failed: %s", sqlite3_errmsg(w->db));
		return -1;
	}
	return 0;
}

/* The rows of sql (id, data), at most max; data copied when want_data. */
static int rows(bot_web_drop *w, const char *sql, size_t max, bot_web_drop_app *out, size_t *n, int want_data)
{
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_DONE, oom = 0;

	*n = 0;
	if (sqlite3_prepare_v2(w->db, sql, -1, &st, NULL) != SQLITE_OK) {
		LOG_WARN("reading the website's web.db failed: %s", sqlite3_errmsg(w->db));
		return -1;
	}
	while (*n < max && !oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *t = want_data ? sqlite3_column_text(st, 1) : NULL;

		out[*n].id = sqlite3_column_int64(st, 0);
		out[*n].data = t ? strdup((const char *)t) : NULL;
		oom = t && !out[*n].data;
		(*n)++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		LOG_WARN("reading the website's web.db failed: %s", sqlite3_errmsg(w->db));
	else if (oom)
		LOG_WARN("reading the website's web.db: out of memory");
	sqlite3_finalize(st);
	if ((rc != SQLITE_ROW && rc != SQLITE_DONE) || oom) {
		bot_web_drop_apps_free(out, *n);
		*n = 0;
		return -1;
	}
	return 0;
}

int bot_web_drop_new(bot_web_drop *w, size_t max, bot_web_drop_app *out, size_t *n)
{
	/* An overlong answer is not even read: it counts as no form. */
	return rows(w,
		    "SELECT id, CASE WHEN length(CAST(data AS BLOB)) <= " STR(DATA_MAX) " THEN data END "
		    "FROM web_apps WHERE state = 'new' AND delete_asked = 0 AND id > 0 ORDER BY id",
		    max, out, n, 1);
}

void bot_web_drop_apps_free(bot_web_drop_app *apps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(apps[i].data);
		apps[i].data = NULL;
	}
}

int bot_web_drop_deletions(bot_web_drop *w, size_t max, bot_web_drop_app *out, size_t *n)
{
	return rows(w, "SELECT id FROM web_apps WHERE delete_asked = 1 AND state != 'deleted' AND id > 0 ORDER BY id",
		    max, out, n, 0);
}

/* One application's row changed by sql, whose parameters are state (when
 * not NULL), then the time, then the id. */
static int update_app(bot_web_drop *w, const char *sql, const char *state, long long id, long long now)
{
	char i[32], t[32];
	const char *p[3] = { state, t, i };

	snprintf(i, sizeof i, "%lld", id);
	snprintf(t, sizeof t, "%lld", now);
	return state ? exec_text(w, sql, 3, p) : exec_text(w, sql, 2, p + 1);
}

int bot_web_drop_taken(bot_web_drop *w, long long id, const char *state, long long now)
{
	/* its personal data now lives in the bot's store only */
	return update_app(w, "UPDATE web_apps SET state = ?, data = NULL, updated = ? WHERE id = ?", state, id, now);
}

int bot_web_drop_keep_linked(bot_web_drop *w, long long id, long long now)
{
	return update_app(w, "UPDATE web_apps SET delete_asked = 0, state = 'linked', updated = ? WHERE id = ?", NULL,
			  id, now);
}

int bot_web_drop_deleted(bot_web_drop *w, long long id, long long now)
{
	return update_app(w, "UPDATE web_apps SET state = 'deleted', data = NULL, reg_token = NULL, code = NULL, "
			     "updated = ? WHERE id = ?", NULL, id, now);
}

int bot_web_drop_publish(bot_web_drop *w, long long id, const bot_web_drop_status *st, long long now)
{
	char i[32], t[32], ex[32];
	const char *p[7] = { st->state, st->wijkgroep, st->code, st->token, st->expires ? ex : NULL, t, i };

	snprintf(i, sizeof i, "%lld", id);
	snprintf(t, sizeof t, "%lld", now);
	snprintf(ex, sizeof ex, "%lld", st->expires ? *st->expires : 0LL);
	return exec_text(w, "UPDATE web_apps SET state = ?, wijkgroep = coalesce(?, wijkgroep), code = ?, reg_token = ?, "
			    "expires = ?, updated = ? WHERE id = ?", 7, p);
}

int bot_web_drop_purge(bot_web_drop *w, long long before)
{
	char b[32];
	const char *p[1] = { b };

	snprintf(b, sizeof b, "%lld", before);
	return exec_text(w, "DELETE FROM web_apps WHERE state IN ('deleted', 'rejected', 'linked', 'expired') "
			    "AND updated < ?", 1, p);
}
