/* registry.c: see registry.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "registry.h"
#include "store_int.h"


static char *dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return strdup(t ? (const char *)t : "");
}

int bot_reg_wait_add(bot_store *s, const char *wg_key, const char *user, const char *source,
		     long *position)
{
	int rc = bot_store_exec(s, "adding to the waiting list",
				"INSERT INTO waitlist (wijkgroep, user_id, since, source) VALUES (?, ?, :now, ?) "
				"ON CONFLICT (wijkgroep, user_id) DO NOTHING", 3, wg_key, user, source);
	long pos = 0;

	if (rc == BOT_STORE_OK)
		rc = bot_reg_wait_position(s, wg_key, user, &pos);
	if (position)
		*position = rc == BOT_STORE_OK ? pos : 0;
	return rc;
}

int bot_reg_wait_position(bot_store *s, const char *wg_key, const char *user, long *position)
{
	int64_t v = 0;
	/* Ties in `since` (same second) are broken by rowid: arrival order. */
	int rc = bot_store_select_int(s, &v, "reading the waiting list",
				      "SELECT (SELECT count(*) FROM waitlist o WHERE o.wijkgroep = w.wijkgroep AND "
				      "(o.since < w.since OR (o.since = w.since AND o.rowid <= w.rowid))) "
				      "FROM waitlist w WHERE w.wijkgroep = ? AND w.user_id = ?", 2, wg_key, user);

	*position = rc == BOT_STORE_OK ? (long)v : 0;
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;   /* not on it: place 0 */
}

int bot_reg_wait_count(bot_store *s, const char *wg_key, long *count)
{
	int64_t v = 0;
	int rc = bot_store_select_int(s, &v, "counting the waiting list", "SELECT count(*) FROM waitlist WHERE wijkgroep = ?",
				      1, wg_key);

	if (rc == BOT_STORE_NOT_FOUND)
		rc = BOT_STORE_ERR;   /* count(*) always has its row */
	*count = rc == BOT_STORE_OK ? (long)v : 0;
	return rc;
}

int bot_reg_wait_remove(bot_store *s, const char *wg_key, const char *user)
{
	if (!wg_key)
		return bot_store_exec(s, "leaving waiting lists", "DELETE FROM waitlist WHERE user_id = ?", 1, user);
	return bot_store_exec(s, "leaving the waiting list",
			      "DELETE FROM waitlist WHERE wijkgroep = ? AND user_id = ?", 2, wg_key, user);
}

typedef struct wait_acc {
	bot_wait_entry *v;
	size_t n;
	int oom;
} wait_acc;

static int wait_row(void *ctx, sqlite3_stmt *st)
{
	wait_acc *a = ctx;
	bot_wait_entry *grown = realloc(a->v, (a->n + 1) * sizeof *grown);

	if (!grown) {
		a->oom = 1;
		return 1;
	}
	a->v = grown;
	grown[a->n].user = dup_col(st, 0);
	grown[a->n].since = sqlite3_column_int64(st, 1);
	grown[a->n].source = dup_col(st, 2);
	a->n++;
	return 0;
}

int bot_reg_wait_list(bot_store *s, const char *wg_key, bot_wait_entry **out, size_t *n)
{
	wait_acc a = { NULL, 0, 0 };
	int rc = bot_store_rows(s, "listing the waiting list", wait_row, &a,
				"SELECT user_id, since, source FROM waitlist WHERE wijkgroep = ? "
				"ORDER BY since, rowid LIMIT 10000", 1, wg_key);

	if (rc == BOT_STORE_OK && a.oom)
		rc = bot_store_oom(s, "listing the waiting list");
	if (rc != BOT_STORE_OK) {
		bot_reg_wait_free(a.v, a.n);
		a.v = NULL;
		a.n = 0;
	}
	*out = a.v;
	*n = a.n;
	return rc;
}

void bot_reg_wait_free(bot_wait_entry *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].user);
		free(list[i].source);
	}
	free(list);
}

int bot_reg_resident_set(bot_store *s, const char *user, const char *wg_key, const char *buurt,
			 const char *admitted_by)
{
	return bot_store_exec(s, "recording a resident",
			      "INSERT INTO residents (user_id, wijkgroep, buurt, since, admitted_by) "
			      "VALUES (?, ?, ?, :now, ?) ON CONFLICT (user_id) DO UPDATE SET "
			      "buurt = coalesce(excluded.buurt, CASE WHEN wijkgroep = excluded.wijkgroep "
			      "THEN buurt END), wijkgroep = excluded.wijkgroep, "
			      "admitted_by = coalesce(excluded.admitted_by, admitted_by)",
			      4, user, wg_key, buurt, admitted_by);
}

int bot_reg_resident_buurt(bot_store *s, const char *user, char **out)
{
	return bot_store_select_text(s, out, "reading a resident",
				     "SELECT buurt FROM residents WHERE user_id = ? AND buurt IS NOT NULL", 1, user);
}

int bot_reg_resident_delete(bot_store *s, const char *user)
{
	return bot_store_exec(s, "deleting a resident", "DELETE FROM residents WHERE user_id = ?", 1, user);
}

typedef struct member_acc {
	bot_member_row *v;
	size_t n;
	int oom;
} member_acc;

static int member_row(void *ctx, sqlite3_stmt *st)
{
	member_acc *a = ctx;
	bot_member_row *grown = realloc(a->v, (a->n + 1) * sizeof *grown);
	const unsigned char *b = sqlite3_column_text(st, 3);

	if (!grown) {
		a->oom = 1;
		return 1;
	}
	a->v = grown;
	grown[a->n].user = dup_col(st, 0);
	grown[a->n].invited = sqlite3_column_int(st, 1);
	grown[a->n].since = sqlite3_column_int64(st, 2);
	grown[a->n].buurt = b ? strdup((const char *)b) : NULL;
	a->n++;
	return 0;
}

int bot_reg_room_members(bot_store *s, const char *room_id, const char *wg_key, const char *except_user,
			 bot_member_row **out, size_t *n)
{
	member_acc a = { NULL, 0, 0 };
	int rc = bot_store_rows(s, "listing members", member_row, &a,
				"SELECT m.user_id, m.membership = 'invite', m.since, r.buurt FROM room_members m "
				"LEFT JOIN residents r ON r.user_id = m.user_id AND r.wijkgroep = ? "
				"WHERE m.room_id = ? AND m.membership IN ('join', 'invite') AND m.user_id != ? "
				"ORDER BY m.user_id LIMIT 100000", 3, wg_key, room_id, except_user ? except_user : "");

	if (rc == BOT_STORE_OK && a.oom)
		rc = bot_store_oom(s, "listing members");
	if (rc != BOT_STORE_OK) {
		bot_reg_members_free(a.v, a.n);
		a.v = NULL;
		a.n = 0;
	}
	*out = a.v;
	*n = a.n;
	return rc;
}

void bot_reg_members_free(bot_member_row *rows, size_t n)
{
	size_t i;

	for (i = 0; rows && i < n; i++) {
		free(rows[i].user);
		free(rows[i].buurt);
	}
	free(rows);
}

int bot_reg_proposal_add(bot_store *s, const char *room_id, const char *kind, const char *proposer,
			 const char *args, int64_t *nr)
{
	int rc = bot_store_exec(s, "storing a proposal",
				"INSERT INTO proposals (room_id, kind, proposer, args, created) "
				"VALUES (?, ?, ?, ?, :now)", 4, room_id, kind, proposer, args);

	*nr = rc == BOT_STORE_OK ? bot_store_last_rowid(s) : 0;
	return rc;
}

static int proposal_row(void *ctx, sqlite3_stmt *st)
{
	bot_proposal *p = ctx;

	p->nr = sqlite3_column_int64(st, 0);
	p->room_id = dup_col(st, 1);
	p->kind = dup_col(st, 2);
	p->proposer = dup_col(st, 3);
	p->args = dup_col(st, 4);
	p->state = dup_col(st, 5);
	p->created = sqlite3_column_int64(st, 6);
	return 1;
}

int bot_reg_proposal_get(bot_store *s, const char *room_id, int64_t nr, bot_proposal *out)
{
	char num[32];
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(num, sizeof num, "%" PRId64, nr);
	if (nr > 0)
		rc = bot_store_rows(s, "reading a proposal", proposal_row, out,
				    "SELECT nr, room_id, kind, proposer, args, state, created FROM proposals "
				    "WHERE nr = ?", 1, num);
	else
		rc = bot_store_rows(s, "reading a proposal", proposal_row, out,
				    "SELECT nr, room_id, kind, proposer, args, state, created FROM proposals "
				    "WHERE room_id = ? AND state = 'open' ORDER BY nr DESC LIMIT 1", 1, room_id);
	if (rc != BOT_STORE_OK) {
		bot_proposal_clear(out);
		return rc;
	}
	if (!out->nr)
		return BOT_STORE_NOT_FOUND;
	if (!out->room_id || !out->kind || !out->proposer || !out->args || !out->state) {
		bot_proposal_clear(out);
		return BOT_STORE_ERR;
	}
	return BOT_STORE_OK;
}

int bot_reg_proposal_close(bot_store *s, int64_t nr, const char *state, const char *decided_by)
{
	char num[32];

	snprintf(num, sizeof num, "%" PRId64, nr);
	return bot_store_exec(s, "closing a proposal", "UPDATE proposals SET state = ?, decided_by = ? WHERE nr = ?",
			      3, state, decided_by, num);
}

void bot_proposal_clear(bot_proposal *p)
{
	free(p->room_id);
	free(p->kind);
	free(p->proposer);
	free(p->args);
	free(p->state);
	memset(p, 0, sizeof *p);
}

typedef struct unreported_cb {
	int (*cb)(void *ctx, const bot_proposal *p);
	void *ctx;
} unreported_cb;

static int unreported_row(void *ctx, sqlite3_stmt *st)
{
	unreported_cb *u = ctx;
	bot_proposal p;
	int stop;

	memset(&p, 0, sizeof p);
	proposal_row(&p, st);
	stop = p.room_id && p.kind && p.proposer && p.args && p.state ? u->cb(u->ctx, &p) : 0;
	bot_proposal_clear(&p);
	return stop;
}

int bot_reg_proposals_unreported(bot_store *s, int (*cb)(void *ctx, const bot_proposal *p), void *ctx)
{
	unreported_cb u = { cb, ctx };

	return bot_store_rows(s, "reading proposals", unreported_row, &u,
			      "SELECT nr, room_id, kind, proposer, args, state, created FROM proposals "
			      "WHERE state = 'done' AND reported = 0 ORDER BY nr LIMIT 1000", 0);
}

int bot_reg_proposal_reported(bot_store *s, int64_t nr)
{
	char num[32];

	snprintf(num, sizeof num, "%" PRId64, nr);
	return bot_store_exec(s, "marking a proposal reported", "UPDATE proposals SET reported = 1 WHERE nr = ?",
			      1, num);
}

int bot_reg_move_add(bot_store *s, const char *user, const char *to_key, int64_t proposal)
{
	char num[32];

	snprintf(num, sizeof num, "%" PRId64, proposal);
	return bot_store_exec(s, "recording a move",
			      "INSERT INTO moves (user_id, to_key, proposal) VALUES (?, ?, ?) "
			      "ON CONFLICT (user_id, to_key) DO NOTHING", 3, user, to_key, num);
}

typedef struct move_cb {
	int (*cb)(void *ctx, const char *user, const char *to_key, int64_t proposal);
	void *ctx;
} move_cb;

static int move_row(void *ctx, sqlite3_stmt *st)
{
	move_cb *m = ctx;
	const unsigned char *u = sqlite3_column_text(st, 0), *k = sqlite3_column_text(st, 1);

	return m->cb(m->ctx, u ? (const char *)u : "", k ? (const char *)k : "", sqlite3_column_int64(st, 2));
}

int bot_reg_moves_each(bot_store *s, int (*cb)(void *ctx, const char *user, const char *to_key,
					       int64_t proposal), void *ctx)
{
	move_cb m = { cb, ctx };

	return bot_store_rows(s, "reading moves", move_row, &m,
			      "SELECT user_id, to_key, proposal FROM moves WHERE done = 0 ORDER BY rowid LIMIT 100000", 0);
}

int bot_reg_move_done(bot_store *s, const char *user, const char *to_key)
{
	return bot_store_exec(s, "finishing a move", "UPDATE moves SET done = 1 WHERE user_id = ? AND to_key = ?",
			      2, user, to_key);
}

int bot_reg_moves_done_count(bot_store *s, int64_t proposal, long *done)
{
	char num[32];
	int64_t v = 0;
	int rc;

	snprintf(num, sizeof num, "%" PRId64, proposal);
	rc = bot_store_select_int(s, &v, "counting moves", "SELECT count(*) FROM moves WHERE proposal = ? AND done = 1",
				  1, num);
	if (rc == BOT_STORE_NOT_FOUND)
		rc = BOT_STORE_ERR;   /* count(*) always has its row */
	*done = rc == BOT_STORE_OK ? (long)v : 0;
	return rc;
}

int bot_reg_member_is(bot_store *s, const char *room_id, const char *user, int *member)
{
	int64_t one = 0;
	int rc = bot_store_select_int(s, &one, "reading membership",
				      "SELECT 1 FROM room_members WHERE room_id = ? AND user_id = ? "
				      "AND membership IN ('join', 'invite')", 2, room_id, user);

	*member = rc == BOT_STORE_OK;
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
}
