/* proposals.c: see proposals.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "queue.h"
#include "log.h"
#include "proposals.h"
#include "registry.h"
#include "policy/pol_notices.h"
#include "policy/pol_overlay.h"
#include "policy/pol_buf.h"
#include "policy/pol_proposal_make.h"

#define TXN_MAX 1400

int bot_structure_with_overlay(bot_daemon *d, const char *file_text, const char *extra, pol_structure **out,
			       pol_problems *problems, char *why, size_t why_size)
{
	char *overlay = NULL, *combined = NULL, *merged = NULL;
	cJSON *entry = NULL;
	size_t i;
	int rc = -1;

	*out = NULL;
	snprintf(why, why_size, "out of memory");
	if (bot_store_kv_get(d->store, BOT_KV_OVERLAY, &overlay) == BOT_STORE_ERR) {
		snprintf(why, why_size, "the store cannot be read");
		return -1;
	}
	if (extra) {
		entry = cJSON_Parse(extra);
		if (!entry || pol_overlay_append(overlay, entry, &combined) != 0)
			goto cleanup;
	}
	if (pol_overlay_merge(file_text, strlen(file_text), combined ? combined : overlay, &merged, problems) != 0 &&
	    !merged)
		goto cleanup;
	rc = pol_structure_parse(out, merged, strlen(merged), problems);
	if (rc != 0) {
		snprintf(why, why_size, "the structure would not be valid");
		for (i = 0; i < problems->n; i++)
			if (problems->items[i].severity == POL_SEV_ERROR) {
				snprintf(why, why_size, "%s: %s", problems->items[i].path, problems->items[i].message);
				break;
			}
		rc = -1;
	}
cleanup:
	cJSON_Delete(entry);
	free(overlay);
	free(combined);
	free(merged);
	return rc;
}

/* Whether the structure stays valid with entry added. */
static int check_entry(bot_daemon *d, const char *entry, char *why, size_t size)
{
	pol_structure *s = NULL;
	pol_problems problems;
	int rc;

	if (!d->structure_text) {
		snprintf(why, size, "no structure file");
		return -1;
	}
	pol_problems_init(&problems);
	rc = bot_structure_with_overlay(d, d->structure_text, entry, &s, &problems, why, size);
	pol_problems_free(&problems);
	pol_structure_free(s);
	return rc;
}

/* Members of wg's room with their buurt, as the split sees them (the
 * policy leaves out whom the structure names). */
static int split_members(bot_daemon *d, const pol_wijkgroep *wg, bot_member_row **rows, size_t *n,
			 pol_split_member **sm)
{
	char key[POL_STRUCT_MAX_KEY + 16], *room_id = NULL;
	size_t i;
	int rc;

	*rows = NULL;
	*n = 0;
	*sm = NULL;
	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	rc = bot_store_room_get(d->store, key, &room_id);
	if (rc != BOT_STORE_OK)
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;   /* not made: no members yet */
	rc = bot_reg_room_members(d->store, room_id, key, d->user_id, rows, n);
	free(room_id);
	if (rc != BOT_STORE_OK)
		return rc;
	*sm = calloc(*n + 1, sizeof **sm);
	if (!*sm)
		return BOT_STORE_ERR;
	for (i = 0; i < *n; i++) {
		(*sm)[i].user_id = (*rows)[i].user;
		(*sm)[i].buurt = (*rows)[i].buurt;
	}
	return BOT_STORE_OK;
}

/* Carries out the plan of a proposal: check its entry, store it, and the
 * answer goes into the room (each step worded by the policy). */
static int carry_out(bot_daemon *d, const pol_input *in, const pol_action *a, pol_prop_answer *ans,
		     const char *txn)
{
	char why[600];
	int64_t nr = 0;
	int rc = BOT_STORE_OK;

	if (ans->store)
		pol_prop_checked(d->pol.lang, ans, check_entry(d, ans->entry, why, sizeof why) != 0 ? why : NULL);
	if (ans->store) {
		rc = bot_reg_proposal_add(d->store, in->room_id, ans->kind, in->sender, ans->entry, &nr);
		pol_prop_stored(d->pol.lang, ans, (long long)nr);
	}
	if (rc == BOT_STORE_OK && ans->answer[0])
		rc = bot_notice_queue(d, a->room_id, ans->answer, a->reply_to, a->thread_root, txn);
	return rc;
}

int bot_proposal_make(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	pol_prop_answer *ans = calloc(1, sizeof *ans);
	bot_member_row *rows = NULL;
	pol_split_member *sm = NULL;
	size_t n = 0;
	int rc = ans ? BOT_STORE_OK : BOT_STORE_ERR;

	if (rc == BOT_STORE_OK && strcmp(a->proposal.kind, "splits") == 0) {
		rc = split_members(d, a->proposal.wijkgroep, &rows, &n, &sm);
		if (rc == BOT_STORE_OK &&
		    pol_prop_split(d->pol.lang, d->structure, a->proposal.wijkgroep, sm, n, ans) != 0)
			rc = BOT_STORE_ERR;
	} else if (rc == BOT_STORE_OK && pol_prop_new(d->pol.lang, a->proposal.args, ans) != 0) {
		rc = BOT_STORE_ERR;
	}
	if (rc == BOT_STORE_OK)
		rc = carry_out(d, in, a, ans, txn);
	if (ans)
		pol_prop_answer_free(ans);
	free(ans);
	bot_reg_members_free(rows, n);
	free(sm);
	return rc;
}

/* The members of the old wijkgroep go to the new group of their buurt. */
static int plan_moves(bot_daemon *d, const char *entry, int64_t nr)
{
	const pol_wijkgroep *wg = pol_prop_split_source(d->structure, entry);
	bot_member_row *rows = NULL;
	pol_split_member *sm = NULL;
	pol_prop_move *moves = NULL;
	size_t n = 0, n_moves = 0, i;
	int rc;

	if (!wg)
		return BOT_STORE_OK;
	rc = split_members(d, wg, &rows, &n, &sm);
	if (rc == BOT_STORE_OK && pol_prop_moves(d->structure, entry, sm, n, &moves, &n_moves) != 0)
		rc = BOT_STORE_ERR;
	for (i = 0; rc == BOT_STORE_OK && i < n_moves; i++)
		rc = bot_reg_move_add(d->store, moves[i].user_id, moves[i].to_key, nr);
	free(moves);
	bot_reg_members_free(rows, n);
	free(sm);
	return rc;
}

int bot_proposal_execute(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	bot_proposal p;
	char why[600], *overlay = NULL, *updated = NULL, text[POL_TEXT_MAX];
	cJSON *entry = NULL;
	int rc;

	rc = bot_reg_proposal_get(d->store, in->room_id, a->proposal.nr, &p);
	if (rc != BOT_STORE_OK)
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
	entry = cJSON_Parse(p.args);
	if (!entry || check_entry(d, p.args, why, sizeof why) != 0) {
		if (!entry)
			snprintf(why, sizeof why, "the stored proposal is unreadable");
		LOG_WARN("proposal %" PRId64 " cannot be carried out: %s", p.nr, why);
		pol_prop_failed_text(d->pol.lang, (long long)p.nr, why, text, sizeof text);
		rc = bot_reg_proposal_close(d->store, p.nr, "failed", in->sender);
		if (rc == BOT_STORE_OK)
			rc = bot_notice_queue(d, in->room_id, text, NULL, NULL, txn);
		goto cleanup;
	}
	rc = bot_store_kv_get(d->store, BOT_KV_OVERLAY, &overlay);
	if (rc == BOT_STORE_ERR)
		goto cleanup;
	if (pol_overlay_append(overlay, entry, &updated) != 0) {
		rc = BOT_STORE_ERR;
		goto cleanup;
	}
	rc = bot_store_kv_set(d->store, BOT_KV_OVERLAY, updated);
	if (rc == BOT_STORE_OK)
		rc = bot_reg_proposal_close(d->store, p.nr, "done", in->sender);
	if (rc == BOT_STORE_OK && strcmp(p.kind, "splits") == 0)
		rc = plan_moves(d, p.args, p.nr);
	if (rc == BOT_STORE_OK) {
		LOG_INFO("proposal %" PRId64 " (%s) confirmed; reloading the structure", p.nr, p.kind);
		if (d->reload)
			*d->reload = 1;
	}
cleanup:
	cJSON_Delete(entry);
	free(overlay);
	free(updated);
	bot_proposal_clear(&p);
	return rc;
}

/* ---- after the reload ---- */

typedef struct move_list {
	char **user, **key;
	size_t n;
} move_list;

static int collect_move(void *ctx, const char *user, const char *to_key, int64_t proposal)
{
	move_list *m = ctx;
	char **u = realloc(m->user, (m->n + 1) * sizeof *u), **k;

	(void)proposal;
	if (!u)
		return 1;
	m->user = u;
	k = realloc(m->key, (m->n + 1) * sizeof *k);
	if (!k)
		return 1;
	m->key = k;
	m->user[m->n] = strdup(user);
	m->key[m->n] = strdup(to_key);
	m->n++;
	return 0;
}

static int do_moves(bot_daemon *d)
{
	move_list m = { NULL, NULL, 0 };
	size_t i;
	int rc = bot_reg_moves_each(d->store, collect_move, &m);

	for (i = 0; i < m.n && rc == BOT_STORE_OK; i++) {
		char *room_id = NULL, *buurt = NULL, txn[TXN_MAX];

		if (!m.user[i] || !m.key[i] || bot_store_room_get(d->store, m.key[i], &room_id) != BOT_STORE_OK)
			continue;   /* its room is not made yet: after the next load */
		snprintf(txn, sizeof txn, "move:%s:%s", m.user[i], m.key[i]);
		if (bot_reg_resident_buurt(d->store, m.user[i], &buurt) == BOT_STORE_ERR)
			rc = BOT_STORE_ERR;
		if (rc == BOT_STORE_OK)
			rc = bot_store_member_set(d->store, room_id, m.user[i], "invite");
		if (rc == BOT_STORE_OK)
			rc = bot_store_outbox_add(d->store, BOT_OUT_INVITE, txn, room_id, NULL, m.user[i]);
		if (rc == BOT_STORE_OK)
			rc = bot_reg_resident_set(d->store, m.user[i], m.key[i], buurt, NULL);
		if (rc == BOT_STORE_OK)
			rc = bot_reg_move_done(d->store, m.user[i], m.key[i]);
		free(buurt);
		free(room_id);
	}
	for (i = 0; i < m.n; i++) {
		free(m.user[i]);
		free(m.key[i]);
	}
	free(m.user);
	free(m.key);
	return rc;
}

/* Each retired wijkgroep room gets one message pointing to its opvolgers. */
static int point_retired(bot_daemon *d)
{
	size_t i;
	int rc = BOT_STORE_OK;

	for (i = 0; i < pol_structure_n_rooms(d->structure) && rc == BOT_STORE_OK; i++) {
		const pol_room *r = pol_structure_room(d->structure, i);
		char *room_id = NULL, text[POL_TEXT_MAX], txn[TXN_MAX];

		if (!pol_prop_retired_pointer(d->pol.lang, r, text, sizeof text) ||
		    bot_store_room_get(d->store, r->key, &room_id) != BOT_STORE_OK)
			continue;
		snprintf(txn, sizeof txn, "retired:%s", r->key);
		rc = bot_notice_queue(d, room_id, text, NULL, NULL, txn);
		free(room_id);
	}
	return rc;
}

typedef struct done_list {
	int64_t nr[64];
	size_t n;
} done_list;

static int collect_done(void *ctx, const bot_proposal *p)
{
	done_list *l = ctx;

	(void)p;
	if (l->n < sizeof l->nr / sizeof l->nr[0])
		l->nr[l->n++] = p->nr;
	return 0;
}

/* 1 when every room of keys exists. */
static int all_made(bot_daemon *d, const pol_prop_key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *room_id = NULL;

		if (bot_store_room_get(d->store, keys[i].key, &room_id) != BOT_STORE_OK)
			return 0;
		free(room_id);
	}
	return 1;
}

/* The report in the stuurgroep room, once every new room exists. */
static int report(bot_daemon *d, int64_t nr)
{
	bot_proposal p;
	pol_prop_key *keys = NULL;
	char text[POL_TEXT_MAX], txn[TXN_MAX];
	size_t n_keys = 0;
	long moved = 0;
	int rc = bot_reg_proposal_get(d->store, NULL, nr, &p);

	if (rc != BOT_STORE_OK)
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
	if (pol_prop_new_keys(p.kind, p.args, &keys, &n_keys) != 0) {
		rc = BOT_STORE_ERR;
		goto cleanup;
	}
	if (!all_made(d, keys, n_keys))
		goto cleanup;
	if (strcmp(p.kind, "splits") == 0 && (rc = bot_reg_moves_done_count(d->store, nr, &moved)) != BOT_STORE_OK)
		goto cleanup;
	pol_prop_done_text(d->pol.lang, d->structure, p.kind, p.args, moved, text, sizeof text);
	snprintf(txn, sizeof txn, "proposal-done:%" PRId64, nr);
	rc = bot_notice_queue(d, p.room_id, text, NULL, NULL, txn);
	if (rc == BOT_STORE_OK)
		rc = bot_reg_proposal_reported(d->store, nr);
cleanup:
	free(keys);
	bot_proposal_clear(&p);
	return rc;
}

void bot_proposals_followup(bot_daemon *d)
{
	done_list done = { { 0 }, 0 };
	size_t i;
	int rc;

	if (!d->structure || bot_store_begin(d->store) != BOT_STORE_OK)
		return;
	rc = do_moves(d);
	if (rc == BOT_STORE_OK)
		rc = point_retired(d);
	if (rc == BOT_STORE_OK)
		rc = bot_reg_proposals_unreported(d->store, collect_done, &done);
	for (i = 0; i < done.n && rc == BOT_STORE_OK; i++)
		rc = report(d, done.nr[i]);
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_ERROR("could not finish the structure changes: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
	}
}
