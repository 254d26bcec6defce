/* store_casus.c: the casus domain's SQL (store_casus.h). Numbers travel
 * as text parameters; SQLite converts them by the column's type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store.h"
#include "store_int.h"
#include "store_casus.h"

#define NUM(buf, v) snprintf((buf), sizeof (buf), "%lld", (long long)(v))

/* A text column into a fixed field ("" for NULL). */
static void copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", t ? (const char *)t : "");
}

/* A text column copied (NULL for NULL); sets *oom when the copy failed. */
static char *dup_col(sqlite3_stmt *st, int col, int *oom)
{
	char *v = bot_store_dup_column(st, col);

	if (!v && sqlite3_column_type(st, col) != SQLITE_NULL)
		*oom = 1;
	return v;
}

/* Room for one more element in a growing list; 0, or -1 out of memory. */
static int grow(void **list, size_t *cap, size_t n, size_t elem)
{
	size_t want = *cap ? 2 * *cap : 8;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*list, want * elem);
	if (!p)
		return -1;
	memset((char *)p + *cap * elem, 0, (want - *cap) * elem);
	*list = p;
	*cap = want;
	return 0;
}

/* What a list's row callback collects into. */
typedef struct rows {
	void *list;
	size_t n, cap, max;
	int oom;
} rows;

/* The status of a finished list read: an out-of-memory row is an error. */
static int rows_done(bot_store *s, int rc, rows *r, const char *what)
{
	if (rc == BOT_STORE_OK && r->oom)
		rc = bot_store_oom(s, what);
	return rc;
}

/* ---- casussen ---- */

typedef struct casus_row {
	pol_casus *out;
	int found;
} casus_row;

static int casus_cb(void *ctx, sqlite3_stmt *st)
{
	casus_row *r = ctx;

	r->out->nr = sqlite3_column_int64(st, 0);
	copy_text(r->out->status, sizeof r->out->status, st, 1);
	copy_text(r->out->origin_room, sizeof r->out->origin_room, st, 2);
	copy_text(r->out->root_event, sizeof r->out->root_event, st, 3);
	copy_text(r->out->casushouder, sizeof r->out->casushouder, st, 4);
	r->found = 1;
	return 1;
}

int bot_store_casus_get(bot_store *s, long long nr, const char *room_id, pol_casus *out)
{
	casus_row r = { out, 0 };
	char n[32];
	int rc;

	memset(out, 0, sizeof *out);
	NUM(n, nr);
	rc = bot_store_rows(s, "reading a casus", casus_cb, &r,
			    "SELECT c.nr, c.status, c.origin_room, r.root_event, r.casushouder FROM casussen c "
			    "LEFT JOIN casus_rooms r ON r.nr = c.nr AND r.room_id = ? WHERE c.nr = ?", 2, room_id, n);
	if (rc == BOT_STORE_OK && !r.found)
		rc = BOT_STORE_NOT_FOUND;
	if (rc != BOT_STORE_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

int bot_store_casus_open(bot_store *s, long long nr, const char *room_id, const char *event_id,
			 const char *casushouder)
{
	char n[32];
	int rc;

	NUM(n, nr);
	rc = bot_store_exec(s, "opening a casus",
			    "INSERT INTO casussen (nr, origin_room, origin_event, opened) VALUES (?, ?, ?, :now)", 3, n,
			    room_id, event_id);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "opening a casus",
				    "INSERT INTO casus_rooms (nr, room_id, root_event, casushouder) VALUES (?, ?, ?, ?) "
				    "ON CONFLICT (nr, room_id) DO NOTHING", 4, n, room_id, event_id, casushouder);
	return rc;
}

/* A number the query always answers (coalesce, count) into *out. */
static int select_ll(bot_store *s, long long *out, const char *what, const char *sql, int n, const char *a,
		     const char *b)
{
	int64_t v = 0;
	int rc = bot_store_select_int(s, &v, what, sql, n, a, b);

	*out = rc == BOT_STORE_OK ? (long long)v : 0;
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_ERR : rc;   /* an aggregate always has its row */
}

int bot_store_casus_open_in(bot_store *s, const char *room_id, long long *nr)
{
	return select_ll(s, nr, "reading casussen",
			 "SELECT coalesce(max(nr), 0) FROM casussen WHERE origin_room = ? AND status = 'open'", 1, room_id,
			 NULL);
}

int bot_store_casus_last_nr(bot_store *s, long long *nr)
{
	return select_ll(s, nr, "reading casussen", "SELECT coalesce(max(nr), 0) FROM casussen", 0, NULL, NULL);
}

int bot_store_casus_count_open(bot_store *s, long long *count)
{
	return select_ll(s, count, "counting casussen", "SELECT count(*) FROM casussen WHERE status = ?", 1, "open",
			 NULL);
}

int bot_store_casus_is_houder(bot_store *s, const char *room_id, const char *user, int *yes)
{
	long long n = 0;
	int rc = select_ll(s, &n, "reading casus rooms",
			   "SELECT count(*) FROM casus_rooms WHERE room_id = ? AND casushouder = ?", 2, room_id, user);

	*yes = rc == BOT_STORE_OK && n > 0;
	return rc;
}

int bot_store_casus_of_root(bot_store *s, const char *room_id, const char *root_event, long long *nr)
{
	int64_t v = 0;
	int rc = bot_store_select_int(s, &v, "reading casus rooms",
				      "SELECT nr FROM casus_rooms WHERE room_id = ? AND root_event = ?", 2, room_id,
				      root_event);

	*nr = rc == BOT_STORE_OK ? (long long)v : 0;
	return rc;
}

int bot_store_casus_root_in(bot_store *s, long long nr, const char *room_id, char **root)
{
	char n[32];
	int rc;

	NUM(n, nr);
	rc = bot_store_select_text(s, root, "reading casus rooms",
				   "SELECT root_event FROM casus_rooms WHERE nr = ? AND room_id = ? "
				   "AND root_event IS NOT NULL", 2, n, room_id);
	if (rc == BOT_STORE_OK && !*root)
		rc = BOT_STORE_NOT_FOUND;
	return rc;
}

int bot_store_casus_close(bot_store *s, long long nr, const char *uitkomst, const char *afloop)
{
	char n[32];

	NUM(n, nr);
	return bot_store_exec(s, "closing a casus",
			      "UPDATE casussen SET status = 'closed', uitkomst = ?, afloop = ?, closed = :now"
			      " WHERE nr = ? AND status = 'open'", 3, uitkomst, afloop, n);
}

int bot_store_casus_link(bot_store *s, long long nr, long long linked)
{
	char n[32], l[32];

	NUM(n, nr);
	NUM(l, linked);
	return bot_store_exec(s, "linking casussen",
			      "INSERT INTO casus_links (nr, linked) VALUES (?, ?) ON CONFLICT DO NOTHING", 2, n, l);
}

static int room_cb(void *ctx, sqlite3_stmt *st)
{
	rows *r = ctx;
	bot_casus_room *l;

	if (r->n >= r->max)
		return 1;
	if (grow(&r->list, &r->cap, r->n, sizeof *l) != 0)
		return r->oom = 1;
	l = (bot_casus_room *)r->list + r->n++;
	l->room_id = dup_col(st, 0, &r->oom);
	l->root_event = dup_col(st, 1, &r->oom);
	l->casushouder = dup_col(st, 2, &r->oom);
	return r->oom;
}

int bot_store_casus_rooms(bot_store *s, long long nr, bot_casus_rooms_order order, bot_casus_room **out, size_t *n)
{
	rows r = { NULL, 0, 0, 128, 0 };
	char num[32];
	int rc;

	*out = NULL;
	*n = 0;
	NUM(num, nr);
	rc = bot_store_rows(s, "reading casus rooms", room_cb, &r,
			    order == BOT_CASUS_ROOMS_BY_HOUDER ?
			    "SELECT room_id, root_event, casushouder FROM casus_rooms WHERE nr = ? AND casushouder IS NOT "
			    "NULL ORDER BY casushouder, rowid" :
			    "SELECT room_id, root_event, casushouder FROM casus_rooms WHERE nr = ? ORDER BY rowid", 1, num);
	rc = rows_done(s, rc, &r, "reading casus rooms");
	if (rc != BOT_STORE_OK) {
		bot_casus_rooms_free(r.list, r.n);
		return rc;
	}
	*out = r.list;
	*n = r.n;
	return BOT_STORE_OK;
}

void bot_casus_rooms_free(bot_casus_room *rooms, size_t n)
{
	size_t i;

	for (i = 0; rooms && i < n; i++) {
		free(rooms[i].room_id);
		free(rooms[i].root_event);
		free(rooms[i].casushouder);
	}
	free(rooms);
}

static int summary_cb(void *ctx, sqlite3_stmt *st)
{
	rows *r = ctx;
	bot_casus_summary *l;

	if (r->n >= r->max)
		return 1;
	if (grow(&r->list, &r->cap, r->n, sizeof *l) != 0)
		return r->oom = 1;
	l = (bot_casus_summary *)r->list + r->n++;
	l->nr = sqlite3_column_int64(st, 0);
	l->origin_room = dup_col(st, 1, &r->oom);
	l->opened = sqlite3_column_int64(st, 2);
	l->status = dup_col(st, 3, &r->oom);
	l->houder_here = dup_col(st, 4, &r->oom);
	l->n_rooms = (size_t)sqlite3_column_int64(st, 5);
	return r->oom;
}

#define LIST_SQL "SELECT c.nr, c.origin_room, c.opened, c.status, " \
	"(SELECT casushouder FROM casus_rooms r WHERE r.nr = c.nr AND r.room_id = ?1), " \
	"(SELECT count(*) FROM casus_rooms r WHERE r.nr = c.nr) FROM casussen c "

int bot_store_casus_list(bot_store *s, const char *room_id, long long nr, bot_casus_summary **out, size_t *n)
{
	rows r = { NULL, 0, 0, 50, 0 };
	char num[32];
	int rc;

	*out = NULL;
	*n = 0;
	NUM(num, nr);
	if (nr > 0)
		rc = bot_store_rows(s, "listing casussen", summary_cb, &r, LIST_SQL "WHERE c.nr = ?2", 2, room_id, num);
	else
		rc = bot_store_rows(s, "listing casussen", summary_cb, &r,
				    LIST_SQL "WHERE c.status = 'open' ORDER BY c.nr LIMIT 50", 1, room_id);
	rc = rows_done(s, rc, &r, "listing casussen");
	if (rc != BOT_STORE_OK) {
		bot_casus_summaries_free(r.list, r.n);
		return rc;
	}
	*out = r.list;
	*n = r.n;
	return BOT_STORE_OK;
}

void bot_casus_summaries_free(bot_casus_summary *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].origin_room);
		free(list[i].status);
		free(list[i].houder_here);
	}
	free(list);
}

/* ---- kept messages ---- */

typedef struct msg_row {
	bot_casus_msg *out;
	int found, oom;
} msg_row;

static int msg_cb(void *ctx, sqlite3_stmt *st)
{
	msg_row *r = ctx;

	r->out->nr = sqlite3_column_int64(st, 0);
	r->out->sender = dup_col(st, 1, &r->oom);
	r->out->content = dup_col(st, 2, &r->oom);
	r->out->ts = sqlite3_column_int64(st, 3);
	r->found = 1;
	return 1;
}

int bot_store_casus_msg_get(bot_store *s, const char *room_id, const char *event_id, bot_casus_msg *out)
{
	msg_row r = { out, 0, 0 };
	int rc;

	memset(out, 0, sizeof *out);
	rc = bot_store_rows(s, "reading a casus message", msg_cb, &r,
			    "SELECT nr, sender, content, ts FROM casus_events WHERE room_id = ? AND event_id = ?", 2,
			    room_id, event_id);
	if (rc == BOT_STORE_OK && r.oom)
		rc = bot_store_oom(s, "reading a casus message");
	if (rc == BOT_STORE_OK && !r.found)
		rc = BOT_STORE_NOT_FOUND;
	if (rc != BOT_STORE_OK)
		bot_casus_msg_clear(out);
	return rc;
}

void bot_casus_msg_clear(bot_casus_msg *m)
{
	free(m->sender);
	free(m->content);
	memset(m, 0, sizeof *m);
}

int bot_store_casus_msg_keep(bot_store *s, const char *room_id, const char *event_id, long long nr,
			     const char *sender, const char *json)
{
	char n[32];

	NUM(n, nr);
	/* A message kept before (nr 0, in a stuurgroep room) joins the casus its approval opened. */
	return bot_store_exec(s, "keeping a casus message",
			      "INSERT INTO casus_events (room_id, event_id, nr, sender, ts, content) "
			      "VALUES (?, ?, ?, ?, :now, ?) ON CONFLICT (room_id, event_id) DO UPDATE SET "
			      "nr = CASE WHEN nr = 0 THEN excluded.nr ELSE nr END", 5, room_id, event_id, n, sender, json);
}

int bot_store_casus_msg_set_content(bot_store *s, const char *room_id, const char *event_id, const char *json)
{
	return bot_store_exec(s, "keeping a casus message",
			      "UPDATE casus_events SET content = ? WHERE room_id = ? AND event_id = ?", 3, json, room_id,
			      event_id);
}

/* ---- copies ---- */

int bot_store_casus_copy_count(bot_store *s, const char *source_event, const char *target_room, int64_t *n)
{
	long long v = 0;
	int rc = target_room ?
		 select_ll(s, &v, "reading forwards",
			   "SELECT count(*) FROM forwards WHERE source_event = ? AND target_room = ?", 2, source_event,
			   target_room) :
		 select_ll(s, &v, "reading forwards", "SELECT count(*) FROM forwards WHERE source_event = ?", 1,
			   source_event, NULL);

	*n = (int64_t)v;
	return rc;
}

static int copy_cb(void *ctx, sqlite3_stmt *st)
{
	rows *r = ctx;
	bot_casus_copy *l;

	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		return 0;
	if (r->n >= r->max)
		return 1;
	if (grow(&r->list, &r->cap, r->n, sizeof *l) != 0)
		return r->oom = 1;
	l = (bot_casus_copy *)r->list + r->n++;
	l->target_room = dup_col(st, 0, &r->oom);
	l->target_event = dup_col(st, 1, &r->oom);
	l->approver = dup_col(st, 2, &r->oom);
	l->nr = sqlite3_column_int64(st, 3);
	return r->oom;
}

int bot_store_casus_copies_of(bot_store *s, const char *source_event, size_t max, bot_casus_copy **out, size_t *n)
{
	rows r = { NULL, 0, 0, max, 0 };
	int rc;

	*out = NULL;
	*n = 0;
	rc = bot_store_rows(s, "reading forwards", copy_cb, &r,
			    "SELECT target_room, target_event, approver, nr FROM forwards WHERE source_event = ? "
			    "ORDER BY rowid", 1, source_event);
	rc = rows_done(s, rc, &r, "reading forwards");
	if (rc != BOT_STORE_OK) {
		bot_casus_copies_free(r.list, r.n);
		return rc;
	}
	*out = r.list;
	*n = r.n;
	return BOT_STORE_OK;
}

void bot_casus_copies_free(bot_casus_copy *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].target_room);
		free(list[i].target_event);
		free(list[i].approver);
	}
	free(list);
}

int bot_store_casus_copy_add(bot_store *s, const char *source_event, const char *target_room, long long nr,
			     const char *txn, const char *approver, const char *houder)
{
	char n[32];
	int rc;

	NUM(n, nr);
	rc = bot_store_exec(s, "recording a forward",
			    "INSERT INTO forwards (source_event, target_room, nr, txn, approver, at) "
			    "VALUES (?, ?, ?, ?, ?, :now)", 5, source_event, target_room, n, txn, approver);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "recording a forward",
				    "INSERT INTO casus_rooms (nr, room_id, casushouder) VALUES (?, ?, ?) "
				    "ON CONFLICT (nr, room_id) DO UPDATE SET casushouder = "
				    "coalesce(casushouder, excluded.casushouder)", 3, n, target_room, houder);
	return rc;
}

int bot_store_casus_copy_seen(bot_store *s, long long nr, const char *room_id, const char *copy_event,
			      const char *source_event)
{
	char n[32];
	int rc;

	NUM(n, nr);
	rc = bot_store_exec(s, "recording a copy",
			    "UPDATE casus_rooms SET root_event = coalesce(root_event, ?) WHERE nr = ? AND room_id = ?", 3,
			    copy_event, n, room_id);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "recording a copy",
				    "UPDATE forwards SET target_event = coalesce(target_event, ?) WHERE source_event = ? "
				    "AND target_room = ?", 3, copy_event, source_event, room_id);
	return rc;
}

int bot_store_casus_copy_mark_redacted(bot_store *s, const char *source_event, const char *target_room)
{
	return bot_store_exec(s, "redacting copies",
			      "UPDATE forwards SET source_redacted = 1 WHERE source_event = ? AND target_room = ?", 2,
			      source_event, target_room);
}

int bot_store_casus_copy_redacted(bot_store *s, const char *source_event, const char *target_room, int *yes)
{
	long long n = 0;
	int rc = select_ll(s, &n, "reading forwards",
			   "SELECT count(*) FROM forwards WHERE source_event = ? AND target_room = ? AND "
			   "source_redacted = 1", 2, source_event, target_room);

	*yes = rc == BOT_STORE_OK && n > 0;
	return rc;
}

/* ---- edits ---- */

void bot_casus_edit_clear(bot_casus_edit *e)
{
	free(e->room_id);
	free(e->edit_event);
	free(e->original);
	free(e->content);
	memset(e, 0, sizeof *e);
}

typedef struct edit_row {
	bot_casus_edit *out;
	int found, oom;
} edit_row;

static pol_edit_state edit_state(const char *t)
{
	return strcmp(t, "pending") == 0 ? POL_EDIT_PENDING : strcmp(t, "superseded") == 0 ? POL_EDIT_SUPERSEDED :
	       strcmp(t, "approved") == 0 ? POL_EDIT_APPROVED : POL_EDIT_WITHDRAWN;
}

static int edit_cb(void *ctx, sqlite3_stmt *st)
{
	edit_row *r = ctx;
	const unsigned char *state = sqlite3_column_text(st, 1);

	r->out->nr = sqlite3_column_int64(st, 0);
	r->out->state = edit_state(state ? (const char *)state : "");
	r->out->room_id = dup_col(st, 2, &r->oom);
	r->out->edit_event = dup_col(st, 3, &r->oom);
	r->out->original = dup_col(st, 4, &r->oom);
	r->out->content = dup_col(st, 5, &r->oom);
	r->found = 1;
	return 1;
}

#define EDIT_SQL "SELECT nr, state, room_id, edit_event, original, content FROM casus_edits "

static int edit_get(bot_store *s, bot_casus_edit *out, const char *sql, int n, const char *a, const char *b)
{
	edit_row r = { out, 0, 0 };
	int rc;

	memset(out, 0, sizeof *out);
	rc = bot_store_rows(s, "reading edits", edit_cb, &r, sql, n, a, b);
	if (rc == BOT_STORE_OK && r.oom)
		rc = bot_store_oom(s, "reading edits");
	if (rc == BOT_STORE_OK && !r.found)
		rc = BOT_STORE_NOT_FOUND;
	if (rc != BOT_STORE_OK)
		bot_casus_edit_clear(out);
	return rc;
}

int bot_store_casus_edit_find(bot_store *s, const char *room_id, const char *event_id, bot_casus_edit *out)
{
	return edit_get(s, out, EDIT_SQL "WHERE (room_id = ? AND edit_event = ?) "
			"OR (request_room = ?1 AND request_event = ?2) LIMIT 1", 2, room_id, event_id);
}

int bot_store_casus_edit_pending(bot_store *s, const char *edit_event, bot_casus_edit *out)
{
	return edit_get(s, out, EDIT_SQL "WHERE edit_event = ? AND state = 'pending'", 1, edit_event, NULL);
}

int bot_store_casus_edit_hold(bot_store *s, const char *room_id, const char *edit_event, const char *original,
			      long long nr, const char *json, const char *request_room)
{
	char n[32];
	int rc;

	NUM(n, nr);
	rc = bot_store_exec(s, "holding an edit",
			    "UPDATE casus_edits SET state = 'superseded' WHERE room_id = ? AND original = ? "
			    "AND state = 'pending'", 2, room_id, original);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "holding an edit",
				    "INSERT INTO casus_edits (room_id, edit_event, original, nr, content, request_room, at) "
				    "VALUES (?, ?, ?, ?, ?, ?, :now) ON CONFLICT DO NOTHING", 6, room_id, edit_event,
				    original, n, json, request_room);
	return rc;
}

int bot_store_casus_edit_requested(bot_store *s, const char *request_room, const char *request_event,
				   const char *edit_room, const char *edit_event)
{
	return bot_store_exec(s, "recording an edit request",
			      "UPDATE casus_edits SET request_room = ?, request_event = ? WHERE room_id = ? AND "
			      "edit_event = ? AND request_event IS NULL", 4, request_room, request_event, edit_room,
			      edit_event);
}

int bot_store_casus_edit_approve(bot_store *s, const char *edit_event, const char *approver)
{
	return bot_store_exec(s, "approving an edit",
			      "UPDATE casus_edits SET state = 'approved', approver = ?, at = :now WHERE edit_event = ?", 2,
			      approver, edit_event);
}

int bot_store_casus_edit_withdraw(bot_store *s, const char *room_id, const char *edit_event)
{
	return bot_store_exec(s, "withdrawing an edit",
			      "UPDATE casus_edits SET state = 'withdrawn', content = '{}' WHERE room_id = ? AND "
			      "edit_event = ? AND state IN ('pending', 'superseded')", 2, room_id, edit_event);
}

int bot_store_casus_edits_forget(bot_store *s, const char *room_id, const char *original)
{
	return bot_store_exec(s, "forgetting a redacted message",
			      "UPDATE casus_edits SET content = '{}', state = CASE WHEN state = 'approved' THEN state "
			      "ELSE 'withdrawn' END WHERE room_id = ? AND original = ?", 2, room_id, original);
}

/* ---- marks, posts, private words ---- */

int bot_store_mark_add(bot_store *s, const char *user, const char *kind, const char *by_user, const char *room_id,
		       const char *event_id)
{
	return bot_store_exec(s, "recording a mark",
			      "INSERT INTO marks (user_id, kind, at, by_user, room_id, event_id) "
			      "VALUES (?, ?, :now, ?, ?, ?)", 5, user, kind, by_user, room_id, event_id);
}

int bot_store_marks_count(bot_store *s, const char *user, long *warnings, long *flags)
{
	long long w = 0, f = 0;
	int rc = select_ll(s, &w, "reading marks", "SELECT count(*) FROM marks WHERE user_id = ? AND kind = 'warning'",
			   1, user, NULL);

	if (rc == BOT_STORE_OK)
		rc = select_ll(s, &f, "reading marks", "SELECT count(*) FROM marks WHERE user_id = ? AND kind = 'flag'", 1,
			       user, NULL);
	*warnings = rc == BOT_STORE_OK ? (long)w : 0;
	*flags = rc == BOT_STORE_OK ? (long)f : 0;
	return rc;
}

int bot_store_post_add(bot_store *s, const char *room_id, const char *event_id, const char *user, int top_level)
{
	return bot_store_exec(s, "recording a post",
			      "INSERT INTO recent_posts (room_id, event_id, user_id, at, top_level) VALUES (?, ?, ?, "
			      ":now, ?) ON CONFLICT (room_id, event_id) DO NOTHING", 4, room_id, event_id, user,
			      top_level ? "1" : "0");
}

int bot_store_post_author(bot_store *s, const char *room_id, const char *event_id, char **user)
{
	int rc = bot_store_select_text(s, user, "reading recent posts",
				       "SELECT user_id FROM recent_posts WHERE room_id = ? AND event_id = ?", 2, room_id,
				       event_id);

	if (rc == BOT_STORE_OK && !*user)
		rc = BOT_STORE_NOT_FOUND;
	return rc;
}

int bot_store_posts_recent(bot_store *s, const char *room_id, const char *user, long seconds, long *n)
{
	char secs[32];
	int64_t v = 0;
	int rc;

	NUM(secs, seconds);
	rc = bot_store_select_int(s, &v, "counting posts",
				  "SELECT count(*) FROM recent_posts WHERE room_id = ? AND user_id = ? AND top_level = 1 "
				  "AND at > :now - ?", 3, room_id, user, secs);
	if (rc == BOT_STORE_NOT_FOUND)
		rc = BOT_STORE_ERR;   /* count(*) always has its row */
	*n = rc == BOT_STORE_OK ? (long)v : 0;
	return rc;
}

int bot_store_note_add(bot_store *s, const char *user, const char *text)
{
	return bot_store_exec(s, "keeping a private note",
			      "INSERT INTO private_notes (user_id, text, at) VALUES (?, ?, :now)", 2, user, text);
}

static int note_cb(void *ctx, sqlite3_stmt *st)
{
	rows *r = ctx;
	bot_casus_note *l;

	if (r->n >= r->max)
		return 1;
	if (grow(&r->list, &r->cap, r->n, sizeof *l) != 0)
		return r->oom = 1;
	l = (bot_casus_note *)r->list + r->n++;
	l->id = sqlite3_column_int64(st, 0);
	l->text = dup_col(st, 1, &r->oom);
	return r->oom;
}

int bot_store_notes_of(bot_store *s, const char *user, bot_casus_note **out, size_t *n)
{
	rows r = { NULL, 0, 0, 64, 0 };
	int rc;

	*out = NULL;
	*n = 0;
	rc = bot_store_rows(s, "reading private notes", note_cb, &r,
			    "SELECT id, text FROM private_notes WHERE user_id = ? ORDER BY id LIMIT 64", 1, user);
	rc = rows_done(s, rc, &r, "reading private notes");
	if (rc != BOT_STORE_OK) {
		bot_casus_notes_free(r.list, r.n);
		return rc;
	}
	*out = r.list;
	*n = r.n;
	return BOT_STORE_OK;
}

void bot_casus_notes_free(bot_casus_note *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++)
		free(list[i].text);
	free(list);
}

int bot_store_note_delete(bot_store *s, long long id)
{
	char n[32];

	NUM(n, id);
	return bot_store_exec(s, "delivering a private note", "DELETE FROM private_notes WHERE id = ?", 1, n);
}

/* ---- floods ---- */

typedef struct flood_row {
	pol_flood *out;
	int found;
} flood_row;

static int flood_cb(void *ctx, sqlite3_stmt *st)
{
	flood_row *r = ctx;

	r->out->held = (long)sqlite3_column_int64(st, 0);
	r->out->unreported = (long)sqlite3_column_int64(st, 1);
	r->out->since_report_s = sqlite3_column_int64(st, 2);
	r->found = 1;
	return 1;
}

int bot_store_flood_get(bot_store *s, const char *room_id, const char *user, long long now, long window_s,
			pol_flood *out)
{
	flood_row r = { out, 0 };
	char t[32], window[32];
	int rc;

	memset(out, 0, sizeof *out);
	NUM(t, now);
	NUM(window, window_s);
	rc = bot_store_rows(s, "reading a flood", flood_cb, &r,
			    "SELECT held, unreported, ?3 - reported_at FROM floods WHERE room_id = ?1 AND user_id = ?2 "
			    "AND last_at > ?3 - ?4", 4, room_id, user, t, window);
	if (rc == BOT_STORE_OK && !r.found)
		rc = BOT_STORE_NOT_FOUND;
	if (rc != BOT_STORE_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

int bot_store_flood_count(bot_store *s, const char *room_id, const char *user, long long now, long window_s,
			  int reported)
{
	char t[32], window[32];

	NUM(t, now);
	NUM(window, window_s);
	/* SET reads the row as it was: a flood that ended starts over. */
	return bot_store_exec(s, "counting a flood",
			      "INSERT INTO floods (room_id, user_id, started, last_at, reported_at, held, unreported) "
			      "VALUES (?1, ?2, ?3, ?3, ?3, 1, CASE WHEN ?4 = '1' THEN 0 ELSE 1 END) "
			      "ON CONFLICT (room_id, user_id) DO UPDATE SET "
			      "started = CASE WHEN last_at > ?3 - ?5 THEN started ELSE ?3 END, "
			      "held = CASE WHEN last_at > ?3 - ?5 THEN held + 1 ELSE 1 END, "
			      "unreported = CASE WHEN ?4 = '1' THEN 0 WHEN last_at > ?3 - ?5 THEN unreported + 1 ELSE 1 END, "
			      "reported_at = CASE WHEN ?4 = '1' OR last_at <= ?3 - ?5 THEN ?3 ELSE reported_at END, "
			      "last_at = ?3", 5, room_id, user, t, reported ? "1" : "0", window);
}

int bot_store_casussen_by(bot_store *s, const char *room_id, const char *user, long seconds, long *n)
{
	char secs[32];
	int64_t v = 0;
	int rc;

	NUM(secs, seconds);
	/* :now is the batch's time, as casussen.opened was when it was set. */
	rc = bot_store_select_int(s, &v, "counting casussen",
				  "SELECT count(*) FROM casussen c JOIN casus_rooms r ON r.nr = c.nr AND "
				  "r.room_id = c.origin_room WHERE c.origin_room = ? AND r.casushouder = ? "
				  "AND c.opened > :now - ?", 3, room_id, user, secs);
	if (rc == BOT_STORE_NOT_FOUND)
		rc = BOT_STORE_ERR;   /* count(*) always has its row */
	*n = rc == BOT_STORE_OK ? (long)v : 0;
	return rc;
}

static int due_cb(void *ctx, sqlite3_stmt *st)
{
	rows *r = ctx;
	bot_flood_due *l;

	if (sqlite3_column_type(st, 0) == SQLITE_NULL || sqlite3_column_type(st, 1) == SQLITE_NULL)
		return 0;
	if (r->n >= r->max)
		return 1;
	if (grow(&r->list, &r->cap, r->n, sizeof *l) != 0)
		return r->oom = 1;
	l = (bot_flood_due *)r->list + r->n++;
	l->room_id = dup_col(st, 0, &r->oom);
	l->user_id = dup_col(st, 1, &r->oom);
	l->f.held = (long)sqlite3_column_int64(st, 2);
	l->f.unreported = (long)sqlite3_column_int64(st, 3);
	l->f.since_report_s = sqlite3_column_int64(st, 4);
	return r->oom;
}

int bot_store_floods_due(bot_store *s, long long now, size_t max, bot_flood_due **out, size_t *n)
{
	rows r = { NULL, 0, 0, max, 0 };
	char t[32], lim[32];
	int rc;

	*out = NULL;
	*n = 0;
	NUM(t, now);
	NUM(lim, max);
	rc = bot_store_rows(s, "reading floods", due_cb, &r,
			    "SELECT room_id, user_id, held, unreported, ?1 - reported_at FROM floods "
			    "WHERE unreported > 0 ORDER BY reported_at LIMIT ?2", 2, t, lim);
	rc = rows_done(s, rc, &r, "reading floods");
	if (rc != BOT_STORE_OK) {
		bot_floods_due_free(r.list, r.n);
		return rc;
	}
	*out = r.list;
	*n = r.n;
	return BOT_STORE_OK;
}

void bot_floods_due_free(bot_flood_due *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].room_id);
		free(list[i].user_id);
	}
	free(list);
}

int bot_store_flood_reported(bot_store *s, const char *room_id, const char *user, long long now)
{
	char t[32];

	NUM(t, now);
	return bot_store_exec(s, "counting a flood",
			      "UPDATE floods SET unreported = 0, reported_at = ?3 WHERE room_id = ?1 AND user_id = ?2", 3,
			      room_id, user, t);
}

int bot_store_floods_forget(bot_store *s, long long before)
{
	char t[32];

	NUM(t, before);
	return bot_store_exec(s, "forgetting floods", "DELETE FROM floods WHERE last_at <= ? AND unreported = 0", 1, t);
}

/* ---- housekeeping ---- */

static int open_cb(void *ctx, sqlite3_stmt *st)
{
	rows *r = ctx;
	bot_casus_open *l;

	if (r->n >= r->max)
		return 1;
	if (grow(&r->list, &r->cap, r->n, sizeof *l) != 0)
		return r->oom = 1;
	l = (bot_casus_open *)r->list + r->n++;
	l->nr = sqlite3_column_int64(st, 0);
	l->opened = sqlite3_column_int64(st, 1);
	l->reminded = sqlite3_column_int(st, 2) != 0;
	l->origin_room = dup_col(st, 3, &r->oom);
	l->origin_event = dup_col(st, 4, &r->oom);
	return r->oom;
}

int bot_store_casus_open_list(bot_store *s, size_t max, bot_casus_open **out, size_t *n)
{
	rows r = { NULL, 0, 0, 2 * max, 0 };
	char lim[32];
	int rc;

	*out = NULL;
	*n = 0;
	NUM(lim, max);
	/* The longest open (the next to expire) and the longest open not
	 * reminded yet (the next reminders): many reminded casussen must not
	 * crowd out a newer one that is due its reminder. */
	rc = bot_store_rows(s, "reading casussen", open_cb, &r,
			    "SELECT nr, opened, reminded, origin_room, origin_event FROM casussen WHERE "
			    "nr IN (SELECT nr FROM casussen WHERE status = 'open' ORDER BY opened, nr LIMIT ?1) OR "
			    "nr IN (SELECT nr FROM casussen WHERE status = 'open' AND reminded = 0 "
			    "ORDER BY opened, nr LIMIT ?1) ORDER BY nr", 1, lim);
	rc = rows_done(s, rc, &r, "reading casussen");
	if (rc != BOT_STORE_OK) {
		bot_casus_open_free(r.list, r.n);
		return rc;
	}
	*out = r.list;
	*n = r.n;
	return BOT_STORE_OK;
}

void bot_casus_open_free(bot_casus_open *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].origin_room);
		free(list[i].origin_event);
	}
	free(list);
}

int bot_store_casus_expire(bot_store *s, long long nr)
{
	char n[32];

	NUM(n, nr);
	return bot_store_exec(s, "expiring a casus", "UPDATE casussen SET status = 'expired', closed = :now WHERE nr = ?",
			      1, n);
}

int bot_store_casus_reminded(bot_store *s, long long nr)
{
	char n[32];

	NUM(n, nr);
	return bot_store_exec(s, "reminding", "UPDATE casussen SET reminded = 1 WHERE nr = ?", 1, n);
}

int bot_store_casus_retention(bot_store *s, long long retention_s)
{
	static const char *const purge[] = {
		"DELETE FROM casus_events WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= :now - ?)",
		"DELETE FROM forwards WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= :now - ?)",
		"DELETE FROM casus_rooms WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= :now - ?)",
		"DELETE FROM casus_edits WHERE nr IN (SELECT nr FROM casussen WHERE status != 'open' AND closed <= :now - ?)",
		"UPDATE casussen SET afloop = NULL, origin_event = '' WHERE status != 'open' AND closed <= :now - ?",
		/* messages that never joined a casus */
		"DELETE FROM casus_events WHERE nr = 0 AND ts <= :now - ?",
		NULL,
	};
	char age[32];
	size_t i;
	int rc;

	NUM(age, retention_s);
	for (i = 0, rc = BOT_STORE_OK; purge[i] && rc == BOT_STORE_OK; i++)
		rc = bot_store_exec(s, "casus retention", purge[i], 1, age);
	/* Who wrote what is needed for a week at most (flags, chatter), and a
	 * private word nobody came to read is dropped after a week too. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "casus retention", "DELETE FROM recent_posts WHERE at <= :now - 604800", 0);
	if (rc == BOT_STORE_OK)
		rc = bot_store_exec(s, "casus retention", "DELETE FROM private_notes WHERE at <= :now - 604800", 0);
	return rc;
}
