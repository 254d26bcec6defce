/* store_web.c: see store_web.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_int.h"
#include "store_web.h"

static void num(char *buf, size_t size, int64_t v)
{
	snprintf(buf, size, "%" PRId64, v);
}

int bot_webapp_add(bot_store *s, int64_t web_id, int64_t nr)
{
	char id[32], n[32];

	num(id, sizeof id, web_id);
	num(n, sizeof n, nr);
	return bot_store_exec(s, "recording a web application",
			      "INSERT INTO web_applications (web_id, nr) VALUES (?, ?)", 2, id, n);
}

int bot_webapp_nr(bot_store *s, int64_t web_id, int64_t *nr)
{
	char id[32];

	num(id, sizeof id, web_id);
	return bot_store_select_int(s, nr, "reading a web application", "SELECT nr FROM web_applications WHERE web_id = ?",
				    1, id);
}

int bot_webapp_known(bot_store *s, int64_t web_id, int *known)
{
	char id[32], *v = NULL;
	int rc;

	num(id, sizeof id, web_id);
	rc = bot_store_select_text(s, &v, "reading a web application",
				   "SELECT nr FROM web_applications WHERE web_id = ?", 1, id);
	free(v);
	*known = rc == BOT_STORE_OK;
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
}

int bot_webapp_admit(bot_store *s, int64_t web_id, const char *code, int64_t expires)
{
	char id[32], ex[32];

	num(id, sizeof id, web_id);
	num(ex, sizeof ex, expires);
	return bot_store_exec(s, "admitting a web application",
			      "UPDATE web_applications SET state = 'admitted', code = ?, expires = ?, token = NULL "
			      "WHERE web_id = ? AND state IN ('open', 'admitted')", 3, code, ex, id);
}

typedef struct id_nr {
	int64_t web_id, nr;
	int found;
} id_nr;

static int id_nr_row(void *ctx, sqlite3_stmt *st)
{
	id_nr *r = ctx;

	r->web_id = sqlite3_column_int64(st, 0);
	r->nr = sqlite3_column_int64(st, 1);
	r->found = 1;
	return 1;
}

int bot_webapp_by_code(bot_store *s, const char *code, int64_t *web_id, int64_t *nr)
{
	id_nr r = { 0, 0, 0 };
	int rc = bot_store_rows(s, "reading a web code", id_nr_row, &r,
				"SELECT web_id, nr FROM web_applications WHERE code = ? AND state = 'admitted' "
				"AND expires > :now", 1, code);

	if (rc == BOT_STORE_OK && !r.found)
		rc = BOT_STORE_NOT_FOUND;
	*web_id = rc == BOT_STORE_OK ? r.web_id : 0;
	*nr = rc == BOT_STORE_OK ? r.nr : 0;
	return rc;
}

int bot_webapp_link(bot_store *s, int64_t web_id, const char *placeholder, const char *user, const char *dm_room)
{
	char id[32];
	int rc;

	num(id, sizeof id, web_id);
	/* Single use: the code goes with the link. */
	rc = bot_store_exec(s, "linking a web application",
			    "UPDATE web_applications SET state = 'linked', user_id = ?, code = NULL, token = NULL "
			    "WHERE web_id = ?",
			    2, user, id);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "linking a web application",
				    "UPDATE applications SET user_id = ?, room_id = ? WHERE user_id = ?", 3, user, dm_room,
				    placeholder);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "linking a web application",
				    "DELETE FROM waitlist WHERE user_id = ?", 1, placeholder);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "linking a web application",
				    "UPDATE OR IGNORE outbox_named SET user_id = ? WHERE user_id = ?", 2, user,
				    placeholder);
	return rc;
}

int bot_webapp_set_state(bot_store *s, int64_t web_id, const char *state)
{
	char id[32];

	num(id, sizeof id, web_id);
	/* Gone: its code and registration token go too (else the token
	 * would be written back into web.db as what the page shows). */
	return bot_store_exec(s, "updating a web application",
			      "UPDATE web_applications SET state = ?, code = CASE WHEN ? = 'gone' THEN NULL ELSE code END, "
			      "token = CASE WHEN ? = 'gone' THEN NULL ELSE token END WHERE web_id = ?", 4, state, state,
			      state, id);
}

int bot_webapp_expire(bot_store *s)
{
	return bot_store_exec(s, "expiring web codes",
			      "UPDATE web_applications SET state = 'expired', code = NULL, token = NULL "
			      "WHERE state = 'admitted' AND expires <= :now", 0);
}

int bot_webapp_purge(bot_store *s)
{
	return bot_store_exec(s, "purging web applications",
			      "DELETE FROM web_applications WHERE published LIKE 'deleted|%' "
			      "OR (state IN ('linked', 'expired', 'gone') AND NOT EXISTS "
			      "(SELECT 1 FROM applications a WHERE a.nr = web_applications.nr))", 0);
}

void bot_webapp_clear(bot_webapp *w)
{
	free(w->state);
	free(w->code);
	free(w->token);
	free(w->wijkgroep);
	memset(w, 0, sizeof *w);
}

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

typedef struct each_ctx {
	int (*cb)(void *ctx, const bot_webapp *w);
	void *ctx;
	int stop;
} each_ctx;

static int each_row(void *ctx, sqlite3_stmt *st)
{
	each_ctx *e = ctx;
	bot_webapp w;

	memset(&w, 0, sizeof w);
	w.web_id = sqlite3_column_int64(st, 0);
	w.nr = sqlite3_column_int64(st, 1);
	w.expires = sqlite3_column_int64(st, 2);
	w.state = col(st, 3);
	w.code = col(st, 4);
	w.token = col(st, 5);
	w.wijkgroep = col(st, 6);
	if (w.state)
		e->stop = e->cb(e->ctx, &w);
	bot_webapp_clear(&w);
	return e->stop;
}

/* The state the status page shows, from ours and the application's. */
#define PUBLIC_STATE \
	"CASE WHEN w.state IN ('linked', 'expired') THEN w.state " \
	"WHEN w.state = 'gone' OR a.state IS NULL THEN 'deleted' ELSE a.state END"

int bot_webapp_each_unpublished(bot_store *s, int (*cb)(void *ctx, const bot_webapp *w), void *ctx)
{
	each_ctx e = { cb, ctx, 0 };

	return bot_store_rows(s, "reading web applications", each_row, &e,
			      "SELECT w.web_id, w.nr, coalesce(w.expires, 0), " PUBLIC_STATE ", w.code, w.token, "
			      "a.wijkgroep FROM web_applications w LEFT JOIN applications a ON a.nr = w.nr "
			      "WHERE " PUBLIC_STATE " || '|' || coalesce(w.code, '') || '|' || coalesce(w.token, '') "
			      "!= w.published ORDER BY w.web_id", 0);
}

int bot_webapp_published(bot_store *s, int64_t web_id, const char *what)
{
	char id[32];

	num(id, sizeof id, web_id);
	return bot_store_exec(s, "updating a web application",
			      "UPDATE web_applications SET published = ? WHERE web_id = ?", 2, what, id);
}

int bot_webapp_each_tokenless(bot_store *s, int (*cb)(void *ctx, const bot_webapp *w), void *ctx)
{
	each_ctx e = { cb, ctx, 0 };

	return bot_store_rows(s, "reading web applications", each_row, &e,
			      "SELECT web_id, nr, expires, state, code, token, NULL FROM web_applications "
			      "WHERE state = 'admitted' AND token IS NULL AND expires > :now ORDER BY web_id", 0);
}

int bot_webapp_set_token(bot_store *s, int64_t web_id, const char *token)
{
	char id[32];

	num(id, sizeof id, web_id);
	return bot_store_exec(s, "updating a web application",
			      "UPDATE web_applications SET token = ? WHERE web_id = ? AND state = 'admitted'", 2, token,
			      id);
}

int bot_webapp_state(bot_store *s, int64_t web_id, char **state)
{
	char id[32];

	num(id, sizeof id, web_id);
	return bot_store_select_text(s, state, "reading a web application",
				     "SELECT state FROM web_applications WHERE web_id = ?", 1, id);
}

int bot_webapp_token(bot_store *s, int64_t web_id, char **token)
{
	char id[32];

	num(id, sizeof id, web_id);
	return bot_store_select_text(s, token, "reading a web application",
				     "SELECT token FROM web_applications WHERE web_id = ? AND token IS NOT NULL", 1, id);
}
