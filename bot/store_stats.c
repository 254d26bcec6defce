/* store_stats.c: the store's side of the statistics (issue 16): reading
 * the anonymous rows (stats_casus, kept past casus retention), completing
 * them while the casus is still whole, and remembering reports sent. */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "log.h"
#include "stats.h"
#include "store_int.h"
#include "policy/pol_saar.h"

#define BOT_STATS_STR_(x) #x
#define BOT_STATS_STR(x) BOT_STATS_STR_(x)

/* ---- loading ---- */

static const char *keep(bot_stats_set *set, const unsigned char *s)
{
	char *c;

	if (set->n_strs == set->cap_strs) {
		size_t cap = set->cap_strs ? set->cap_strs * 2 : 64;
		char **m = realloc(set->strs, cap * sizeof *m);

		if (!m)
			return NULL;
		set->strs = m;
		set->cap_strs = cap;
	}
	c = strdup(s ? (const char *)s : "");
	if (c)
		set->strs[set->n_strs++] = c;
	return c;
}

typedef struct load_ctx {
	bot_stats_set *set;
	const pol_structure *s;
} load_ctx;

/* The wijk of a wijkgroep key in s, or "". */
static const char *wijk_of_key(const pol_structure *s, const char *key)
{
	const pol_room *r = s ? pol_structure_room_by_key(s, key) : NULL;

	return r && r->wijkgroep && r->wijkgroep->wijk ? r->wijkgroep->wijk->id : "";
}

static int load_row(void *ctx, sqlite3_stmt *st)
{
	load_ctx *l = ctx;
	bot_stats_set *set = l->set;
	pol_stats_row *r;
	const char *key = (const char *)sqlite3_column_text(st, 0);

	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		pol_stats_row *m = realloc(set->rows, cap * sizeof *m);

		if (!m)
			return 1;
		set->rows = m;
		set->cap = cap;
	}
	r = &set->rows[set->n];
	memset(r, 0, sizeof *r);
	r->wijkgroep = keep(set, (const unsigned char *)(key ? key + strlen("wijkgroep:") : ""));
	r->wijk = sqlite3_column_type(st, 1) == SQLITE_NULL ? keep(set, (const unsigned char *)wijk_of_key(l->s, key))
							     : keep(set, sqlite3_column_text(st, 1));
	if (!r->wijkgroep || !r->wijk)
		return 1;
	r->opened = sqlite3_column_int64(st, 2);
	r->called_112 = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3);
	r->first_approval = sqlite3_column_int64(st, 4);
	r->closed = sqlite3_column_int64(st, 5);
	r->uitkomst = pol_stats_uitkomst_of((const char *)sqlite3_column_text(st, 6),
					    (const char *)sqlite3_column_text(st, 7));
	bot_stats_local(r->opened, &r->weekday, &r->hour, &r->month);
	set->n++;
	return 0;
}

int bot_stats_load(bot_store *st, const pol_structure *s, long long from, long long to, bot_stats_set *out)
{
	char f[32], t[32];
	load_ctx l = { out, s };
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(f, sizeof f, "%lld", from);
	snprintf(t, sizeof t, "%lld", to);
	rc = bot_store_rows(st, "reading statistics", load_row, &l,
			    "SELECT room_key, wijk, opened, called_112, first_approval, closed, status, uitkomst "
			    "FROM stats_casus WHERE room_key LIKE 'wijkgroep:%' AND opened >= ? AND opened < ? "
			    "ORDER BY nr", 2, f, t);
	if (rc != BOT_STORE_OK)
		bot_stats_set_free(out);
	return rc;
}

void bot_stats_set_free(bot_stats_set *set)
{
	size_t i;

	for (i = 0; i < set->n_strs; i++)
		free(set->strs[i]);
	free(set->strs);
	free(set->rows);
	memset(set, 0, sizeof *set);
}

/* ---- completing the rows ---- */

#define SYNC_BATCH 256

typedef struct pending {
	long long nr[SYNC_BATCH];
	char *key[SYNC_BATCH];
	size_t n;
} pending;

static int pending_row(void *ctx, sqlite3_stmt *st)
{
	pending *p = ctx;
	const unsigned char *k = sqlite3_column_text(st, 1);

	if (p->n >= SYNC_BATCH)
		return 1;
	p->nr[p->n] = sqlite3_column_int64(st, 0);
	p->key[p->n] = strdup(k ? (const char *)k : "");
	p->n++;
	return 0;
}

static void pending_free(pending *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->key[i]);
	p->n = 0;
}

/* Whether any kept message of the casus says 112 was called. */
static int saar_row(void *ctx, sqlite3_stmt *st)
{
	int *called = ctx;
	const unsigned char *json = sqlite3_column_text(st, 0);
	cJSON *c = json ? cJSON_Parse((const char *)json) : NULL;
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(c, "body");
	pol_saar sa;

	if (cJSON_IsString(body)) {
		pol_saar_check(body->valuestring, &sa);
		if (*called < 0)
			*called = 0;
		*called |= sa.called_112;
	}
	cJSON_Delete(c);
	return 0;
}

static int complete_one(bot_daemon *d, long long nr, const char *key)
{
	char n[32], v[8];
	int called = -1, rc;

	snprintf(n, sizeof n, "%lld", nr);
	rc = bot_store_rows(d->store, "reading a melding", saar_row, &called,
			    "SELECT content FROM casus_events WHERE nr = ? ORDER BY ts", 1, n);
	if (rc != BOT_STORE_OK)
		return rc;
	/* nothing kept (retention went first): -1, read as "not known" */
	snprintf(v, sizeof v, "%d", called);
	return bot_store_exec(d->store, "completing statistics",
			      "UPDATE stats_casus SET called_112 = ?, wijk = COALESCE(wijk, ?) WHERE nr = ?", 3, v,
			      wijk_of_key(d->structure, key), n);
}

/* The triggers of migration 14 live on casussen and forwards: a later
 * migration that rebuilds either table (new table, copy, drop, rename)
 * drops them without a word. So they are made again when missing, and
 * rows they missed meanwhile are filled in from the casussen. */
static const char *const repair_sql[] = {
	"CREATE TRIGGER IF NOT EXISTS stats_casus_opened AFTER INSERT ON casussen BEGIN"
	"  INSERT OR IGNORE INTO stats_casus (nr, room_key, opened, status) VALUES (NEW.nr,"
	"  COALESCE((SELECT key FROM structure_rooms WHERE room_id = NEW.origin_room), ''), NEW.opened, NEW.status);"
	"  END",
	"CREATE TRIGGER IF NOT EXISTS stats_casus_closed AFTER UPDATE OF status ON casussen BEGIN"
	"  UPDATE stats_casus SET status = NEW.status, uitkomst = NEW.uitkomst, closed = NEW.closed WHERE nr = NEW.nr;"
	"  END",
	"CREATE TRIGGER IF NOT EXISTS stats_casus_forwarded AFTER INSERT ON forwards WHEN NEW.nr > 0 BEGIN"
	"  UPDATE stats_casus SET first_approval = NEW.at WHERE nr = NEW.nr"
	"  AND (first_approval IS NULL OR first_approval > NEW.at);"
	"  END",
	"INSERT OR IGNORE INTO stats_casus (nr, room_key, opened, closed, status, uitkomst, first_approval)"
	"  SELECT c.nr, COALESCE((SELECT key FROM structure_rooms WHERE room_id = c.origin_room), ''),"
	"  c.opened, c.closed, c.status, c.uitkomst, (SELECT min(at) FROM forwards f WHERE f.nr = c.nr) FROM casussen c"
	"  WHERE NOT EXISTS (SELECT 1 FROM stats_casus s WHERE s.nr = c.nr)",
	/* the first approval before the close: both are looked for on open rows only */
	"UPDATE stats_casus SET first_approval = (SELECT min(at) FROM forwards f WHERE f.nr = stats_casus.nr)"
	"  WHERE first_approval IS NULL AND status = 'open' AND EXISTS (SELECT 1 FROM forwards f"
	"  WHERE f.nr = stats_casus.nr)",
	"UPDATE stats_casus SET (status, uitkomst, closed) = (SELECT c.status, c.uitkomst, c.closed FROM casussen c"
	"  WHERE c.nr = stats_casus.nr) WHERE status = 'open' AND EXISTS (SELECT 1 FROM casussen c"
	"  WHERE c.nr = stats_casus.nr AND c.status != 'open')",
};

static int repair(bot_store *st)
{
	size_t i;
	int rc = BOT_STORE_OK;

	for (i = 0; i < sizeof repair_sql / sizeof repair_sql[0] && rc == BOT_STORE_OK; i++)
		rc = bot_store_exec(st, "repairing statistics", repair_sql[i], 0);
	return rc;
}

int bot_stats_sync(bot_daemon *d)
{
	pending p;
	size_t i;
	int rc;

	memset(&p, 0, sizeof p);
	rc = repair(d->store);
	if (rc != BOT_STORE_OK)
		return rc;
	rc = bot_store_rows(d->store, "reading statistics", pending_row, &p,
			    "SELECT nr, room_key FROM stats_casus WHERE called_112 IS NULL ORDER BY nr LIMIT 256", 0);
	for (i = 0; i < p.n && rc == BOT_STORE_OK; i++)
		rc = complete_one(d, p.nr[i], p.key[i]);
	pending_free(&p);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(d->store, "noting activity",
				    "INSERT INTO stats_activity (room_key, last_at) "
				    "SELECT s.key, max(p.at) FROM recent_posts p JOIN structure_rooms s ON s.room_id = p.room_id "
				    "WHERE s.key LIKE 'wijkgroep:%' GROUP BY s.key "
				    "ON CONFLICT (room_key) DO UPDATE SET last_at = max(last_at, excluded.last_at)", 0);
	return rc;
}

/* ---- members, reports sent ---- */

/* The number sql answers into *n (0 unless BOT_STORE_OK); NOT_FOUND
 * without a row or for NULL. */
static int count_of(bot_store *st, long *n, const char *sql, const char *a, const char *b)
{
	int64_t v = 0;
	int rc = bot_store_select_int(st, &v, "counting", sql, 2, a, b);

	*n = rc == BOT_STORE_OK ? (long)v : 0;
	return rc;
}

int bot_stats_members(bot_daemon *d, const char *wg_key, long *members, long *waiting)
{
	char *room = NULL;
	int rc;

	*members = *waiting = 0;
	rc = count_of(d->store, waiting, "SELECT count(*) FROM waitlist WHERE wijkgroep = ? AND ? IS NOT NULL", wg_key, "");
	if (rc == BOT_STORE_OK)
		rc = bot_store_room_get(d->store, wg_key, &room);
	if (rc == BOT_STORE_OK)
		rc = count_of(d->store, members, "SELECT count(*) FROM room_members WHERE room_id = ? AND user_id != ? "
						 "AND membership IN ('join', 'invite')", room, d->user_id ? d->user_id : "");
	free(room);
	if (rc == BOT_STORE_NOT_FOUND)
		rc = BOT_STORE_OK;   /* no room yet: no members */
	if (rc != BOT_STORE_OK)
		*members = *waiting = 0;
	return rc;
}

int bot_stats_room_created(bot_store *st, const char *key, long long *created)
{
	long n = 0;
	int rc = count_of(st, &n, "SELECT created_at FROM structure_rooms WHERE key = ? AND ? IS NOT NULL", key, "");

	if (rc == BOT_STORE_OK && n <= 0)
		rc = BOT_STORE_NOT_FOUND;
	*created = rc == BOT_STORE_OK ? n : 0;
	return rc;
}

int bot_stats_sent(bot_store *st, const char *key, int *sent)
{
	long n = 0;
	int rc = count_of(st, &n, "SELECT count(*) FROM stats_sent WHERE key = ? AND ? IS NOT NULL", key, "");

	*sent = rc == BOT_STORE_OK && n > 0;
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_ERR : rc;   /* count(*) always has its row */
}

int bot_stats_mark_sent(bot_store *st, const char *key)
{
	return bot_store_exec(st, "noting a report", "INSERT OR IGNORE INTO stats_sent (key, at) VALUES (?, :now)", 1,
			      key);
}

/* ---- the health snapshot ---- */

/* One aggregate of sql into *n: it always has its row, so no row is a
 * failure too (0 unless BOT_STORE_OK). */
static int health_num(bot_store *st, long long *n, const char *sql, const char *a, const char *b)
{
	int64_t v = 0;
	int rc = bot_store_select_int(st, &v, "health", sql, 2, a, b);

	if (rc == BOT_STORE_NOT_FOUND)
		rc = bot_store_fail(st, "health: an aggregate without its row");
	*n = rc == BOT_STORE_OK ? (long long)v : 0;
	return rc;
}

/* The facts of the wijkgroep with key (version: its current spelregels). */
static int health_wijkgroep(bot_store *st, const char *key, const char *version, long long reminder_s,
			    pol_health_wijkgroep *f)
{
	char age[32];
	long long n = 0;
	int rc;

	/* the last sign of life: a message, a casus, or else when its room was made */
	rc = health_num(st, &f->last_activity,
			"SELECT max(COALESCE((SELECT last_at FROM stats_activity WHERE room_key = ?1), 0),"
			" COALESCE((SELECT max(opened) FROM stats_casus WHERE room_key = ?1), 0),"
			" COALESCE((SELECT created_at FROM structure_rooms WHERE key = ?1), 0)) WHERE ?2 IS NOT NULL",
			key, "");
	snprintf(age, sizeof age, "%lld", (long long)POL_HEALTH_EXPIRED_DAYS * POL_HEALTH_DAY_S);
	if (rc == BOT_STORE_OK)
		rc = health_num(st, &n, "SELECT count(*) FROM stats_casus WHERE room_key = ? AND status = 'expired' "
					"AND closed >= :now - ?", key, age);
	f->expired = (long)n;
	snprintf(age, sizeof age, "%lld", reminder_s);
	if (rc == BOT_STORE_OK)
		rc = health_num(st, &n, "SELECT count(*) FROM applications WHERE wijkgroep = ? AND state = 'open' "
					"AND created <= :now - ?", key, age);
	f->apps_waiting = (long)n;
	if (rc == BOT_STORE_OK)
		rc = health_num(st, &n, "SELECT count(*) FROM residents WHERE wijkgroep = ? AND spelregels IS NOT NULL "
					"AND spelregels != ?", key, version);
	f->unaccepted = (long)n;
	if (rc == BOT_STORE_OK)
		rc = health_num(st, &n, "SELECT count(*) FROM waitlist WHERE wijkgroep = ? AND ? IS NOT NULL", key, "");
	f->waiting = (long)n;
	return rc;
}

/* Whether the telefoonbeheerder tb is in the stuurgroep's room (key), and
 * when they last gave a command or wrote something (0: never, as far as
 * kept). */
static int health_tb(bot_store *st, const char *key, const char *tb, int *joined, long long *last_seen)
{
	char *room = NULL;
	long long n = 0, cmd = 0, post = 0;
	int rc = bot_store_room_get(st, key, &room);

	if (rc == BOT_STORE_OK && room)
		rc = health_num(st, &n, "SELECT count(*) FROM room_members WHERE room_id = ? AND user_id = ? "
					"AND membership = 'join'", room, tb);
	else if (rc == BOT_STORE_NOT_FOUND || rc == BOT_STORE_OK)
		rc = BOT_STORE_OK;   /* no room made yet: not joined */
	free(room);
	*joined = n > 0;
	if (rc == BOT_STORE_OK)
		rc = health_num(st, &cmd, "SELECT coalesce(max(at), 0) FROM audit_log WHERE sender = ? AND ? IS NOT NULL",
				tb, "");
	if (rc == BOT_STORE_OK)
		rc = health_num(st, &post,
				"SELECT coalesce(max(at), 0) FROM recent_posts WHERE user_id = ? AND ? IS NOT NULL", tb, "");
	*last_seen = cmd > post ? cmd : post;
	return rc;
}

int bot_stats_health(bot_store *st, const pol_stuurgroep *sg, const char *const *versions, long long reminder_s,
		     pol_health_wijkgroep *wgs, int *tb_joined, long long *tb_last_seen)
{
	char key[POL_STRUCT_MAX_KEY + 16];
	size_t i;
	int rc = BOT_STORE_OK;

	*tb_joined = 0;
	*tb_last_seen = 0;
	memset(wgs, 0, sg->n_beheert * sizeof *wgs);
	if (sg->telefoonbeheerder) {
		snprintf(key, sizeof key, "stuurgroep:%s", sg->id);
		rc = health_tb(st, key, sg->telefoonbeheerder, tb_joined, tb_last_seen);
	}
	for (i = 0; i < sg->n_beheert && rc == BOT_STORE_OK; i++) {
		snprintf(key, sizeof key, "wijkgroep:%s", sg->beheert[i]->id);
		rc = health_wijkgroep(st, key, versions[i], reminder_s, &wgs[i]);
	}
	if (rc != BOT_STORE_OK) {
		*tb_joined = 0;
		*tb_last_seen = 0;
		memset(wgs, 0, sg->n_beheert * sizeof *wgs);
	}
	return rc;
}

/* ---- the charts asked for ---- */

int bot_stats_chart_add(bot_store *st, const char *txn, const char *room_id, const char *reply_to, const char *scope,
			long long from, long long to)
{
	char f[32], t[32];

	snprintf(f, sizeof f, "%lld", from);
	snprintf(t, sizeof t, "%lld", to);
	return bot_store_exec(st, "asking for a chart",
			      "INSERT OR IGNORE INTO stats_charts (txn, room_id, reply_to, scope, van, tot, at) "
			      "VALUES (?, ?, ?, ?, ?, ?, :now)", 6, txn, room_id, reply_to, scope, f, t);
}

int bot_stats_chart_remove(bot_store *st, const char *txn)
{
	return bot_store_exec(st, "chart done", "DELETE FROM stats_charts WHERE txn = ?", 1, txn);
}

typedef struct charts_ctx {
	bot_stats_charts *l;
	int oom;
} charts_ctx;

static int chart_row(void *ctx, sqlite3_stmt *st)
{
	charts_ctx *c = ctx;
	bot_stats_chart *j;

	if (c->l->n >= BOT_STATS_CHARTS_MAX)
		return 1;
	j = &c->l->j[c->l->n++];
	j->txn = bot_store_dup_column(st, 0);
	j->room = bot_store_dup_column(st, 1);
	j->reply = bot_store_dup_column(st, 2);
	j->scope = bot_store_dup_column(st, 3);
	j->from = sqlite3_column_int64(st, 4);
	j->to = sqlite3_column_int64(st, 5);
	j->at = sqlite3_column_int64(st, 6);
	/* the columns are NOT NULL: a NULL copy is memory run out */
	c->oom = !j->txn || !j->room || !j->scope || (!j->reply && sqlite3_column_type(st, 2) != SQLITE_NULL);
	return c->oom;
}

int bot_stats_charts_next(bot_store *st, bot_stats_charts *out)
{
	charts_ctx c = { out, 0 };
	int rc;

	memset(out, 0, sizeof *out);
	rc = bot_store_rows(st, "reading charts", chart_row, &c,
			    "SELECT txn, room_id, reply_to, scope, van, tot, at FROM stats_charts ORDER BY at, txn LIMIT "
			    BOT_STATS_STR(BOT_STATS_CHARTS_MAX), 0);
	if (rc == BOT_STORE_OK && c.oom)
		rc = bot_store_oom(st, "reading charts");
	if (rc != BOT_STORE_OK)
		bot_stats_charts_clear(out);
	return rc;
}

void bot_stats_charts_clear(bot_stats_charts *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->j[i].txn);
		free(l->j[i].room);
		free(l->j[i].reply);
		free(l->j[i].scope);
	}
	memset(l, 0, sizeof *l);
}
