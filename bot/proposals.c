/* proposals.c: see proposals.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "queue.h"
#include "caps.h"
#include "log.h"
#include "proposals.h"
#include "registry.h"
#include "policy/pol_notices.h"
#include "policy/pol_overlay.h"
#include "policy/pol_buf.h"

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

/* The split entry for the overlay: new wijkgroepen per group of p. */
static char *split_entry(const pol_wijkgroep *wg, const pol_split_proposal *p)
{
	cJSON *e = cJSON_CreateObject(), *list;
	char *json;
	size_t g, k, b;

	cJSON_AddStringToObject(e, "soort", "splits");
	cJSON_AddStringToObject(e, "wijk", wg->wijk->id);
	cJSON_AddStringToObject(e, "stuurgroep", wg->stuurgroep->id);
	cJSON_AddStringToObject(e, "oud", wg->id);
	list = cJSON_AddArrayToObject(e, "nieuw");
	for (g = 0; list && g < p->n_groups; g++) {
		cJSON *n = cJSON_CreateObject(), *bl;

		cJSON_AddItemToArray(list, n);
		cJSON_AddStringToObject(n, "id", p->groups[g].id);
		cJSON_AddStringToObject(n, "naam", p->groups[g].naam);
		cJSON_AddNumberToObject(n, "limiet", wg->limiet);
		if (wg->groeidrempel != wg->limiet * POL_THRESHOLD_PERCENT / 100)
			cJSON_AddNumberToObject(n, "groeidrempel", wg->groeidrempel);
		bl = cJSON_AddArrayToObject(n, "buurten");
		/* The buurt as the file had it, postcodes and all. */
		for (k = 0; bl && k < p->groups[g].n_buurten; k++)
			for (b = 0; b < wg->n_buurten; b++)
				if (strcmp(wg->buurten[b].label, p->groups[g].buurten[k]) == 0)
					cJSON_AddItemToArray(bl, pol_buurt_json(&wg->buurten[b]));
	}
	json = cJSON_PrintUnformatted(e);
	cJSON_Delete(e);
	return json;
}

/* Members of wg's room with their buurt, as the split sees them. */
static int split_members(bot_daemon *d, const pol_wijkgroep *wg, bot_member_row **rows, size_t *n,
			 pol_split_member **sm, size_t *n_sm)
{
	char key[POL_STRUCT_MAX_KEY + 16], *room_id = NULL;
	int rc;

	*rows = NULL;
	*n = 0;
	*sm = NULL;
	*n_sm = 0;
	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	if (bot_store_room_get(d->store, key, &room_id) != BOT_STORE_OK)
		return BOT_STORE_OK;
	rc = bot_reg_room_members(d->store, room_id, key, d->user_id, rows, n);
	free(room_id);
	if (rc != BOT_STORE_OK)
		return rc;
	*sm = calloc(*n + 1, sizeof **sm);
	if (!*sm)
		return BOT_STORE_ERR;
	/* The stuurgroep is in every group of theirs already. */
	*n_sm = bot_caps_residents(d, *rows, *n, *sm);
	return BOT_STORE_OK;
}

static int make_split(bot_daemon *d, const pol_input *in, const pol_action *a, char *text, size_t size)
{
	const pol_wijkgroep *wg = a->proposal.wijkgroep;
	bot_member_row *rows = NULL;
	pol_split_member *sm = NULL;
	pol_split_proposal *p = NULL;
	char *entry = NULL, why[600], *groups = NULL;
	size_t n = 0, n_sm = 0;
	int64_t nr;
	int rc;

	rc = split_members(d, wg, &rows, &n, &sm, &n_sm);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	p = pol_split_for_wijkgroep(wg, sm, n_sm);
	if (!p || p->n_groups < 2) {
		pol_textf(text, size, d->pol.lang, POL_TXT_SPLITS_NOTHING, wg->naam);
		goto cleanup;
	}
	entry = split_entry(wg, p);
	groups = malloc(POL_TEXT_MAX);
	if (!entry || !groups) {
		rc = BOT_STORE_ERR;
		goto cleanup;
	}
	if (check_entry(d, entry, why, sizeof why) != 0) {
		pol_textf(text, size, d->pol.lang, POL_TXT_PROPOSAL_FAILED, 0LL, why);
		goto cleanup;
	}
	rc = bot_reg_proposal_add(d->store, in->room_id, "splits", in->sender, entry, &nr);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	pol_split_groups_text(d->pol.lang, p, groups, POL_TEXT_MAX);
	pol_textf(text, size, d->pol.lang, POL_TXT_PROPOSAL_SPLIT, (long long)nr, wg->naam, groups, (long long)nr);
cleanup:
	pol_split_free(p);
	bot_reg_members_free(rows, n);
	free(sm);
	free(entry);
	free(groups);
	return rc;
}

/* "A, B" of the buurten (or new groups) of an entry's wijkgroep list. */
static void names_of(const cJSON *list, const char *field, char *buf, size_t size)
{
	const cJSON *v;
	pol_buf out;

	pol_buf_init(&out, buf, size);
	cJSON_ArrayForEach(v, list) {
		const cJSON *f = field ? cJSON_GetObjectItemCaseSensitive(v, field) : v;
		const char *s = cJSON_IsString(f) ? f->valuestring :
				cJSON_IsString(cJSON_GetObjectItemCaseSensitive(f, "naam")) ?
				cJSON_GetObjectItemCaseSensitive(f, "naam")->valuestring : "?";

		pol_buf_add_sep(&out, ", ", s);
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

static int make_wijkgroep(bot_daemon *d, const pol_input *in, const pol_action *a, char *text, size_t size)
{
	cJSON *e = cJSON_Parse(a->proposal.args);
	const cJSON *wg = cJSON_GetObjectItemCaseSensitive(e, "wijkgroep");
	const cJSON *naam = cJSON_GetObjectItemCaseSensitive(wg, "naam");
	char why[600], buurten[1500];
	int64_t nr;
	int rc = BOT_STORE_OK;

	if (!cJSON_IsString(naam)) {
		cJSON_Delete(e);
		return BOT_STORE_ERR;
	}
	if (check_entry(d, a->proposal.args, why, sizeof why) != 0) {
		pol_textf(text, size, d->pol.lang, POL_TXT_PROPOSAL_FAILED, 0LL, why);
	} else {
		rc = bot_reg_proposal_add(d->store, in->room_id, "wijkgroep", in->sender, a->proposal.args, &nr);
		names_of(cJSON_GetObjectItemCaseSensitive(wg, "buurten"), NULL, buurten, sizeof buurten);
		pol_textf(text, size, d->pol.lang, POL_TXT_PROPOSAL_NEW, (long long)nr, naam->valuestring, buurten,
			  (long long)nr);
	}
	cJSON_Delete(e);
	return rc;
}

int bot_proposal_make(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char *text = malloc(POL_TEXT_MAX);
	int rc;

	if (!text)
		return BOT_STORE_ERR;
	text[0] = '\0';
	rc = strcmp(a->proposal.kind, "splits") == 0 ? make_split(d, in, a, text, POL_TEXT_MAX)
					       : make_wijkgroep(d, in, a, text, POL_TEXT_MAX);
	if (rc == BOT_STORE_OK && text[0])
		rc = bot_notice_queue(d, a->room_id, text, a->reply_to, a->thread_root, txn);
	free(text);
	return rc;
}

/* The members of the old wijkgroep go to the new group of their buurt. */
static int plan_moves(bot_daemon *d, const cJSON *entry, int64_t nr)
{
	const cJSON *oud = cJSON_GetObjectItemCaseSensitive(entry, "oud"), *g, *b;
	const pol_wijkgroep *wg = cJSON_IsString(oud) ? pol_structure_find_wijkgroep(d->structure, oud->valuestring) : NULL;
	bot_member_row *rows = NULL;
	pol_split_member *sm = NULL;
	size_t n = 0, n_sm = 0, i;
	int rc;

	if (!wg)
		return BOT_STORE_OK;
	rc = split_members(d, wg, &rows, &n, &sm, &n_sm);
	for (i = 0; rc == BOT_STORE_OK && i < n; i++) {
		if (!rows[i].buurt || pol_structure_names(d->structure, rows[i].user))
			continue;
		cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(entry, "nieuw")) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(g, "id");
			int match = 0;

			cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(g, "buurten")) {
				const cJSON *nm = cJSON_IsString(b) ? b : cJSON_GetObjectItemCaseSensitive(b, "naam");
				match |= cJSON_IsString(nm) && strcasecmp(nm->valuestring, rows[i].buurt) == 0;
			}
			if (match && cJSON_IsString(id)) {
				char key[POL_STRUCT_MAX_KEY + 16];

				snprintf(key, sizeof key, "wijkgroep:%s", id->valuestring);
				rc = bot_reg_move_add(d->store, rows[i].user, key, nr);
				break;
			}
		}
	}
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
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_PROPOSAL_FAILED, (long long)p.nr, why);
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
		rc = plan_moves(d, entry, p.nr);
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
	size_t i, k;
	int rc = BOT_STORE_OK;

	for (i = 0; i < pol_structure_n_rooms(d->structure) && rc == BOT_STORE_OK; i++) {
		const pol_room *r = pol_structure_room(d->structure, i);
		char *room_id = NULL, names[1024] = "", text[POL_TEXT_MAX], txn[TXN_MAX];

		if (!r->retired || bot_store_room_get(d->store, r->key, &room_id) != BOT_STORE_OK)
			continue;
		pol_buf nb;

		pol_buf_init(&nb, names, sizeof names);
		for (k = 0; k < r->wijkgroep->n_opvolgers; k++)
			pol_buf_add_sep(&nb, ", ", r->wijkgroep->opvolgers[k]->naam);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_RETIRED_POINTER, names[0] ? names : "-");
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

/* 1 when every wijkgroep of list has its room. */
static int all_made(bot_daemon *d, const cJSON *list)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, list) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(g, "id");
		char key[POL_STRUCT_MAX_KEY + 16], *room_id = NULL;

		snprintf(key, sizeof key, "wijkgroep:%s", cJSON_IsString(id) ? id->valuestring : "");
		if (bot_store_room_get(d->store, key, &room_id) != BOT_STORE_OK)
			return 0;
		free(room_id);
	}
	return 1;
}

/* The report in the stuurgroep room, once every new room exists. */
static int report(bot_daemon *d, int64_t nr)
{
	bot_proposal p;
	cJSON *e = NULL, *list = NULL;
	char text[POL_TEXT_MAX], names[1500], txn[TXN_MAX];
	long moved = 0;
	int rc = bot_reg_proposal_get(d->store, NULL, nr, &p);

	if (rc != BOT_STORE_OK)
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
	e = cJSON_Parse(p.args);
	if (strcmp(p.kind, "splits") == 0) {
		const cJSON *oud = cJSON_GetObjectItemCaseSensitive(e, "oud");
		const pol_wijkgroep *wg = cJSON_IsString(oud) ? pol_structure_find_wijkgroep(d->structure, oud->valuestring) : NULL;
		const cJSON *nieuw = cJSON_GetObjectItemCaseSensitive(e, "nieuw");

		if (!all_made(d, nieuw) || (rc = bot_reg_moves_done_count(d->store, nr, &moved)) != BOT_STORE_OK)
			goto cleanup;
		names_of(nieuw, NULL, names, sizeof names);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_SPLIT_DONE, wg ? wg->naam : "?", names, (size_t)moved);
	} else {
		list = cJSON_CreateArray();
		cJSON_AddItemToArray(list, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(e, "wijkgroep"), 1));
		if (!all_made(d, list))
			goto cleanup;
		names_of(list, NULL, names, sizeof names);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_NEW_WG_DONE, names);
	}
	snprintf(txn, sizeof txn, "proposal-done:%" PRId64, nr);
	rc = bot_notice_queue(d, p.room_id, text, NULL, NULL, txn);
	if (rc == BOT_STORE_OK)
		rc = bot_reg_proposal_reported(d->store, nr);
cleanup:
	cJSON_Delete(e);
	cJSON_Delete(list);
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
