/* signup_store.c: see signup_store.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "registry.h"
#include "signup_store.h"
#include "store_int.h"


static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? strdup((const char *)t) : NULL;
}

static void num(char *buf, size_t size, int64_t v)
{
	snprintf(buf, size, "%" PRId64, v);
}

typedef struct two {
	char *a, *b;
	int found;
} two;

static int two_row(void *ctx, sqlite3_stmt *st)
{
	two *t = ctx;

	t->a = col(st, 0);
	t->b = col(st, 1);
	t->found = 1;
	return 1;
}

int bot_intake_get(bot_store *s, const char *user, char **state, char **room_id)
{
	two t = { NULL, NULL, 0 };
	int rc = bot_store_rows(s, "reading an intake", two_row, &t,
				"SELECT state, room_id FROM intakes WHERE user_id = ?", 1, user);

	if (rc == BOT_STORE_OK && !t.found)
		rc = BOT_STORE_NOT_FOUND;
	if (rc != BOT_STORE_OK) {
		free(t.a);
		free(t.b);
		t.a = t.b = NULL;
	}
	*state = t.a;
	if (room_id)
		*room_id = t.b;
	else
		free(t.b);
	return rc;
}

int bot_intake_put(bot_store *s, const char *user, const char *room_id, const char *state)
{
	return bot_store_exec(s, "saving an intake",
			      "INSERT INTO intakes (user_id, room_id, state, updated) VALUES (?, ?, ?, :now) "
			      "ON CONFLICT (user_id) DO UPDATE SET room_id = excluded.room_id, state = excluded.state, "
			      "updated = excluded.updated", 3, user, room_id, state);
}

int bot_intake_delete(bot_store *s, const char *user)
{
	return bot_store_exec(s, "deleting an intake", "DELETE FROM intakes WHERE user_id = ?", 1, user);
}

int bot_app_add(bot_store *s, const char *user, const char *room_id, const char *wg_key, const char *data,
		int64_t *nr)
{
	int rc = bot_store_exec(s, "storing an application",
				"INSERT INTO applications (user_id, room_id, wijkgroep, data, created) "
				"VALUES (?, ?, ?, ?, :now)", 4, user, room_id, wg_key, data);

	*nr = rc == BOT_STORE_OK ? bot_store_last_rowid(s) : 0;
	return rc;
}

static int app_row(void *ctx, sqlite3_stmt *st)
{
	bot_application *a = ctx;

	a->nr = sqlite3_column_int64(st, 0);
	a->user = col(st, 1);
	a->room_id = col(st, 2);
	a->wijkgroep = col(st, 3);
	a->data = col(st, 4);
	a->state = col(st, 5);
	a->created = sqlite3_column_int64(st, 6);
	return 1;
}

#define APP_COLS "SELECT nr, user_id, room_id, wijkgroep, data, state, created FROM applications "

static int app_done(bot_application *out, int rc)
{
	if (rc != BOT_STORE_OK) {
		bot_app_clear(out);
		return rc;
	}
	if (!out->nr)
		return BOT_STORE_NOT_FOUND;
	if (!out->user || !out->room_id || !out->wijkgroep || !out->data || !out->state) {
		bot_app_clear(out);
		return BOT_STORE_ERR;   /* out of memory, or a row the schema does not allow */
	}
	return BOT_STORE_OK;
}

int bot_app_get(bot_store *s, int64_t nr, bot_application *out)
{
	char n[32];

	memset(out, 0, sizeof *out);
	num(n, sizeof n, nr);
	return app_done(out, bot_store_rows(s, "reading an application", app_row, out, APP_COLS "WHERE nr = ?",
					    1, n));
}

int bot_app_pending_of(bot_store *s, const char *user, bot_application *out)
{
	memset(out, 0, sizeof *out);
	return app_done(out, bot_store_rows(s, "reading an application", app_row, out,
					    APP_COLS "WHERE user_id = ? AND state IN ('open', 'waiting') "
					    "ORDER BY nr DESC LIMIT 1", 1, user));
}

int bot_app_decide(bot_store *s, int64_t nr, const char *state, const char *by)
{
	char n[32];

	num(n, sizeof n, nr);
	return bot_store_exec(s, "deciding an application",
			      "UPDATE applications SET state = ?, decided_by = ?, decided_at = :now WHERE nr = ?",
			      3, state, by, n);
}

void bot_app_clear(bot_application *a)
{
	free(a->user);
	free(a->room_id);
	free(a->wijkgroep);
	free(a->data);
	free(a->state);
	memset(a, 0, sizeof *a);
}

typedef struct due {
	int64_t nr[256];
	char *key[256];
	size_t n;
} due;

static int due_row(void *ctx, sqlite3_stmt *st)
{
	due *d = ctx;

	if (d->n >= sizeof d->nr / sizeof d->nr[0])
		return 1;
	d->nr[d->n] = sqlite3_column_int64(st, 0);
	d->key[d->n] = col(st, 1);
	d->n++;
	return 0;
}

int bot_signup_purge(bot_store *s, int64_t age_s, long *deleted)
{
	char age[32];
	long n = 0;
	int rc;

	num(age, sizeof age, age_s);
	*deleted = 0;
	rc = bot_store_exec(s, "purging applications",
			    "DELETE FROM applications WHERE state IN ('rejected', 'admitted') AND decided_at <= :now - ?",
			    1, age);
	if (rc == BOT_STORE_OK) {
		n = bot_store_changes(s);
		rc = bot_store_exec(s, "purging intakes", "DELETE FROM intakes WHERE updated <= :now - ?", 1, age);
	}
	if (rc == BOT_STORE_OK)
		*deleted = n + bot_store_changes(s);
	return rc;
}

int bot_signup_forget(bot_store *s, const char *user)
{
	int rc = bot_intake_delete(s, user);

	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting applications", "DELETE FROM applications WHERE user_id = ?", 1, user);
	if (rc == BOT_STORE_OK)
		rc = bot_reg_resident_delete(s, user);
	if (rc == BOT_STORE_OK)
		rc = bot_reg_wait_remove(s, NULL, user);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting moves", "DELETE FROM moves WHERE user_id = ?", 1, user);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting notes", "DELETE FROM private_notes WHERE user_id = ?", 1, user);
	/* What the casussen keep of them loses their name; the messages
	 * themselves are in the rooms, under Matrix's own rules. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting posts", "DELETE FROM recent_posts WHERE user_id = ?", 1, user);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting floods", "DELETE FROM floods WHERE user_id = ?", 1, user);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting held events", "DELETE FROM held_events WHERE sender = ?", 1, user);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting marks", "DELETE FROM marks WHERE user_id = ? OR by_user = ?", 2, user, user);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting casus roles", "UPDATE casus_rooms SET casushouder = NULL WHERE casushouder = ?",
				    1, user);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "forgetting casus messages", "UPDATE casus_events SET sender = '' WHERE sender = ?", 1,
				    user);
	return rc;
}

int bot_resident_set_data(bot_store *s, const char *user, const char *data, const char *spelregels)
{
	return bot_store_exec(s, "saving a resident's data",
			      "UPDATE residents SET data = coalesce(?, data), spelregels = coalesce(?, spelregels) "
			      "WHERE user_id = ?", 3, data, spelregels, user);
}

static int resident_row(void *ctx, sqlite3_stmt *st)
{
	bot_resident *r = ctx;

	r->wijkgroep = col(st, 0);
	r->buurt = col(st, 1);
	r->since = sqlite3_column_int64(st, 2);
	r->admitted_by = col(st, 3);
	r->data = col(st, 4);
	r->spelregels = col(st, 5);
	r->welcomed = sqlite3_column_int(st, 6);
	return 1;
}

int bot_resident_get(bot_store *s, const char *user, bot_resident *out)
{
	int rc;

	memset(out, 0, sizeof *out);
	rc = bot_store_rows(s, "reading a resident", resident_row, out,
			    "SELECT wijkgroep, buurt, since, admitted_by, data, spelregels, welcomed FROM residents "
			    "WHERE user_id = ?", 1, user);
	if (rc != BOT_STORE_OK) {
		bot_resident_clear(out);
		return rc;
	}
	return out->wijkgroep ? BOT_STORE_OK : BOT_STORE_NOT_FOUND;
}

void bot_resident_clear(bot_resident *r)
{
	free(r->wijkgroep);
	free(r->buurt);
	free(r->admitted_by);
	free(r->data);
	free(r->spelregels);
	memset(r, 0, sizeof *r);
}

int bot_resident_welcome_once(bot_store *s, const char *user, int *now_welcomed)
{
	int rc = bot_store_exec(s, "welcoming", "UPDATE residents SET welcomed = 1 WHERE user_id = ? AND welcomed = 0",
				1, user);

	*now_welcomed = rc == BOT_STORE_OK && bot_store_changes(s) > 0;
	return rc;
}

typedef struct accepted_cb {
	int (*cb)(void *ctx, const char *user, const char *wg_key, const char *version);
	void *ctx;
} accepted_cb;

static int accepted_row(void *ctx, sqlite3_stmt *st)
{
	accepted_cb *a = ctx;
	const unsigned char *u = sqlite3_column_text(st, 0), *k = sqlite3_column_text(st, 1),
			    *v = sqlite3_column_text(st, 2);

	return u && k && v ? a->cb(a->ctx, (const char *)u, (const char *)k, (const char *)v) : 0;
}

int bot_resident_each_accepted(bot_store *s, int (*cb)(void *ctx, const char *user, const char *wg_key,
						       const char *version), void *ctx)
{
	accepted_cb a = { cb, ctx };

	return bot_store_rows(s, "reading residents", accepted_row, &a,
			      "SELECT user_id, wijkgroep, spelregels FROM residents WHERE spelregels IS NOT NULL "
			      "ORDER BY user_id LIMIT 100000", 0);
}

typedef struct unreminded {
	due d;
	int64_t created[256];
} unreminded;

static int unreminded_row(void *ctx, sqlite3_stmt *st)
{
	unreminded *u = ctx;

	if (u->d.n < sizeof u->created / sizeof u->created[0])
		u->created[u->d.n] = sqlite3_column_int64(st, 2);
	return due_row(&u->d, st);
}

/* The open applications not reminded yet, oldest first (at most 256 a
 * call): cb per one with its number, wijkgroep key and when it came in;
 * policy decides which are due (pol_signup_remind.h). */
int bot_app_each_unreminded(bot_store *s, int (*cb)(void *ctx, int64_t nr, const char *wg_key, int64_t created),
			    void *ctx)
{
	unreminded u;
	size_t i;
	int rc;

	memset(&u, 0, sizeof u);
	rc = bot_store_rows(s, "reading applications", unreminded_row, &u,
			    "SELECT nr, wijkgroep, created FROM applications WHERE state = 'open' AND reminded = 0 "
			    "ORDER BY nr LIMIT 256", 0);
	for (i = 0; i < u.d.n && rc == BOT_STORE_OK; i++)
		if (u.d.key[i] && cb(ctx, u.d.nr[i], u.d.key[i], u.created[i]) != 0)
			rc = BOT_STORE_ERR;
	for (i = 0; i < u.d.n; i++)
		free(u.d.key[i]);
	return rc;
}

int bot_app_set_reminded(bot_store *s, int64_t nr)
{
	char n[32];

	num(n, sizeof n, nr);
	return bot_store_exec(s, "marking a reminder", "UPDATE applications SET reminded = 1 WHERE nr = ?", 1, n);
}

/* ---- lists ---- */

typedef struct app_list {
	bot_application *a;
	size_t n, cap, max;
	int oom;
} app_list;

static int list_row(void *ctx, sqlite3_stmt *st)
{
	app_list *l = ctx;
	bot_application *a;

	if (l->n >= l->max)
		return 1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		bot_application *m = realloc(l->a, cap * sizeof *m);

		if (!m)
			return l->oom = 1;
		l->a = m;
		l->cap = cap;
	}
	a = &l->a[l->n++];
	memset(a, 0, sizeof *a);
	app_row(a, st);
	l->oom = !a->user || !a->room_id || !a->wijkgroep || !a->data || !a->state;
	return l->oom;
}

int bot_app_list_pending(bot_store *s, const char *wg_key, size_t max, bot_application **out, size_t *n)
{
	app_list l = { NULL, 0, 0, max, 0 };
	int rc = max ? bot_store_rows(s, "reading applications", list_row, &l,
				      APP_COLS "WHERE wijkgroep = ? AND state IN ('open', 'waiting') ORDER BY nr", 1,
				      wg_key)
		     : BOT_STORE_OK;

	if (rc == BOT_STORE_OK && l.oom)
		rc = bot_store_oom(s, "reading applications");
	if (rc != BOT_STORE_OK) {
		bot_app_list_free(l.a, l.n);
		l.a = NULL;
		l.n = 0;
	}
	*out = l.a;
	*n = l.n;
	return rc;
}

void bot_app_list_free(bot_application *l, size_t n)
{
	size_t i;

	for (i = 0; l && i < n; i++)
		bot_app_clear(&l[i]);
	free(l);
}

typedef struct ref_list {
	bot_app_ref *r;
	size_t n, cap;
	int oom;
} ref_list;

static int ref_row(void *ctx, sqlite3_stmt *st)
{
	ref_list *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		bot_app_ref *m = realloc(l->r, cap * sizeof *m);

		if (!m)
			return l->oom = 1;
		l->r = m;
		l->cap = cap;
	}
	l->r[l->n].user = col(st, 0);
	l->r[l->n].nr = sqlite3_column_int64(st, 1);
	if (!l->r[l->n++].user)
		return l->oom = 1;
	return 0;
}

int bot_app_rejected_due(bot_store *s, int64_t age_s, bot_app_ref **out, size_t *n)
{
	ref_list l = { NULL, 0, 0, 0 };
	char age[32];
	int rc;

	num(age, sizeof age, age_s);
	rc = bot_store_rows(s, "reading rejected applications", ref_row, &l,
			    "SELECT a.user_id, max(a.nr) FROM applications a WHERE a.state = 'rejected' "
			    "AND a.decided_at <= :now - ? "
			    "AND NOT EXISTS (SELECT 1 FROM applications b WHERE b.user_id = a.user_id "
			    "  AND b.state IN ('open', 'waiting', 'admitted')) "
			    "AND NOT EXISTS (SELECT 1 FROM residents s WHERE s.user_id = a.user_id) "
			    "GROUP BY a.user_id ORDER BY a.user_id", 1, age);
	/* all or nothing: the purge that follows deletes every one of them */
	if (rc == BOT_STORE_OK && l.oom)
		rc = bot_store_oom(s, "reading rejected applications");
	if (rc != BOT_STORE_OK) {
		bot_app_refs_free(l.r, l.n);
		l.r = NULL;
		l.n = 0;
	}
	*out = l.r;
	*n = l.n;
	return rc;
}

void bot_app_refs_free(bot_app_ref *l, size_t n)
{
	size_t i;

	for (i = 0; l && i < n; i++)
		free(l[i].user);
	free(l);
}

int bot_app_decided_by(bot_store *s, int64_t nr, char **by)
{
	char n[32];

	num(n, sizeof n, nr);
	return bot_store_select_text(s, by, "reading an application",
				     "SELECT decided_by FROM applications WHERE nr = ? AND decided_by IS NOT NULL", 1, n);
}
