/* caps.c: see caps.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "queue.h"
#include "caps.h"
#include "log.h"
#include "when.h"
#include "registry.h"
#include "signup_store.h"
#include "policy/pol_notices.h"
#include "policy/pol_buf.h"

#define TXN_MAX 1400

static const pol_wijkgroep *active_wijkgroep(const bot_daemon *d, const char *key)
{
	const pol_room *r = d->structure ? pol_structure_room_by_key(d->structure, key) : NULL;

	return r && r->kind == POL_ROOM_WIJKGROEP && pol_wijkgroep_active(r->wijkgroep) ? r->wijkgroep : NULL;
}

static char *sg_key(const pol_wijkgroep *wg, char *buf, size_t size)
{
	snprintf(buf, size, "stuurgroep:%s", wg->stuurgroep->id);
	return buf;
}

size_t bot_caps_residents(const bot_daemon *d, const bot_member_row *rows, size_t n, pol_split_member *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (!pol_structure_names(d->structure, rows[i].user)) {
			out[k].user_id = rows[i].user;
			out[k].buurt = rows[i].buurt;
			k++;
		}
	return k;
}

/* Removes the last to arrive until the room is within its cap. */
static int enforce(bot_daemon *d, const pol_wijkgroep *wg, const char *key, const char *room_id,
		   const bot_member_row *rows, size_t n, size_t excess)
{
	pol_cap_member *m = calloc(n + 1, sizeof *m);
	size_t *pick = calloc(excess + 1, sizeof *pick), k, i;
	char text[POL_TEXT_MAX], txn[TXN_MAX], sgk[POL_STRUCT_MAX_KEY + 16];
	pol_buf t;
	int rc = BOT_STORE_OK;

	if (!m || !pick) {
		free(m);
		free(pick);
		return BOT_STORE_ERR;
	}
	for (i = 0; i < n; i++) {
		m[i].user_id = rows[i].user;
		m[i].invited = rows[i].invited;
		m[i].since = rows[i].since;
		m[i].protect = pol_structure_names(d->structure, rows[i].user);
	}
	k = pol_caps_pick_excess(m, n, excess, pick);
	for (i = 0; i < k && rc == BOT_STORE_OK; i++) {
		const bot_member_row *r = &rows[pick[i]];
		long pos = 0;

		LOG_INFO("%s is over its cap of %u: removing the last to arrive", key, wg->limiet);
		rc = bot_reg_wait_add(d->store, key, r->user, "limiet", &pos);
		/* Named after the membership it ends: done once, however often checked. */
		snprintf(txn, sizeof txn, "cap:%s:%s:%" PRId64, room_id, r->user, r->since);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_OVERCAP_REASON, wg->naam, wg->limiet, pos);
		if (rc == BOT_STORE_OK)
			rc = bot_kick_queue(d, room_id, r->user, text, txn);
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_OVERCAP_NOTICE, wg->naam, wg->limiet, r->user, pos);
		pol_buf_init_at_end(&t, txn, sizeof txn);
		pol_buf_add(&t, ":n");
		if (rc == BOT_STORE_OK)
			rc = bot_notice_queue_key(d, sg_key(wg, sgk, sizeof sgk), text, txn);
		/* It names them: !vergeetmij takes it back. */
		if (rc == BOT_STORE_OK)
			rc = bot_store_outbox_names(d->store, txn, r->user);
	}
	if (k < excess)
		LOG_WARN("%s stays over its cap: only stuurgroep members and police are left to remove", key);
	free(m);
	free(pick);
	return rc;
}

/* The split proposal for rows (NULL when none can be made). */
static int growth(bot_daemon *d, const pol_wijkgroep *wg, const char *key, const bot_member_row *rows,
		  size_t n, const char *txn)
{
	char flag_key[POL_STRUCT_MAX_KEY + 32], *flag = NULL, sgk[POL_STRUCT_MAX_KEY + 16], t[TXN_MAX];
	char *text = NULL;
	pol_split_member *sm;
	pol_split_proposal *p;
	int notified, was, rc = BOT_STORE_OK;
	size_t k;

	snprintf(flag_key, sizeof flag_key, "growth_notified:%s", key);
	if (bot_store_kv_get(d->store, flag_key, &flag) == BOT_STORE_ERR)
		return BOT_STORE_ERR;
	was = notified = flag && strcmp(flag, "1") == 0;
	free(flag);
	if (!pol_caps_growth_notice(n, wg->groeidrempel, &notified)) {
		if (notified != was)
			rc = bot_store_kv_set(d->store, flag_key, notified ? "1" : "0");
		return rc;
	}
	sm = calloc(n + 1, sizeof *sm);
	text = malloc(POL_TEXT_MAX);
	if (!sm || !text) {
		free(sm);
		free(text);
		return BOT_STORE_ERR;
	}
	/* Per buurt and in the proposal: the residents, not the stuurgroep. */
	k = bot_caps_residents(d, rows, n, sm);
	p = pol_split_for_wijkgroep(wg, sm, k);
	pol_growth_text(d->pol.lang, wg, (long)n, sm, k, p, text, POL_TEXT_MAX);
	snprintf(t, sizeof t, "%s.growth", txn);
	LOG_INFO("%s passed its growth threshold of %u: telling the stuurgroep", key, wg->groeidrempel);
	rc = bot_notice_queue_key(d, sg_key(wg, sgk, sizeof sgk), text, t);
	if (rc == BOT_STORE_OK)
		rc = bot_store_kv_set(d->store, flag_key, "1");
	pol_split_free(p);
	free(sm);
	free(text);
	return rc;
}

/* A place came free: the stuurgroep hears who is first in line. */
static int freed(bot_daemon *d, const pol_wijkgroep *wg, const char *key, size_t count, const char *txn)
{
	bot_wait_entry *list = NULL;
	size_t n = 0;
	char text[POL_TEXT_MAX], sgk[POL_STRUCT_MAX_KEY + 16], t[TXN_MAX];
	int rc;

	if (count >= wg->limiet)
		return BOT_STORE_OK;
	rc = bot_reg_wait_list(d->store, key, &list, &n);
	if (rc == BOT_STORE_OK && n > 0) {
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_FREED_NOTICE, wg->naam, (long)count, wg->limiet,
			  list[0].user, list[0].user, wg->id);
		snprintf(t, sizeof t, "%s.freed", txn);
		rc = bot_notice_queue_key(d, sg_key(wg, sgk, sizeof sgk), text, t);
		if (rc == BOT_STORE_OK)
			rc = bot_store_outbox_names(d->store, t, list[0].user);
	}
	bot_reg_wait_free(list, n);
	return rc;
}

/* A resident the bot admitted joins: one welcome with the pointer to the
 * spelregels. Their Matrix id only: personal data stays out of the room. */
static int welcome(bot_daemon *d, const char *room_id, const char *user, const char *txn)
{
	char text[POL_TEXT_MAX], t[TXN_MAX];
	int now_welcomed = 0, rc = bot_resident_welcome_once(d->store, user, &now_welcomed);

	if (rc != BOT_STORE_OK || !now_welcomed)
		return rc;
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_WELCOME, user);
	snprintf(t, sizeof t, "%s.welcome", txn);
	rc = bot_notice_queue(d, room_id, text, NULL, NULL, t);
	return rc == BOT_STORE_OK ? bot_store_outbox_names(d->store, t, user) : rc;
}

int bot_caps_check(bot_daemon *d, const char *key, const char *membership, const char *user, const char *txn)
{
	const pol_wijkgroep *wg = active_wijkgroep(d, key);
	bot_member_row *rows = NULL;
	char *room_id = NULL;
	size_t n = 0;
	int rc, member = 0;

	if (!wg || bot_store_room_get(d->store, key, &room_id) != BOT_STORE_OK)
		return BOT_STORE_OK;
	rc = bot_reg_room_members(d->store, room_id, key, d->user_id, &rows, &n);
	if (rc == BOT_STORE_OK && n > wg->limiet)
		rc = enforce(d, wg, key, room_id, rows, n, pol_caps_excess(n, wg->limiet));
	else if (rc == BOT_STORE_OK)
		rc = growth(d, wg, key, rows, n, txn);
	if (rc == BOT_STORE_OK && membership && (strcmp(membership, "leave") == 0 || strcmp(membership, "ban") == 0))
		rc = freed(d, wg, key, n, txn);
	if (rc == BOT_STORE_OK && membership && user && strcmp(membership, "join") == 0)
		rc = bot_reg_member_is(d->store, room_id, user, &member);
	if (rc == BOT_STORE_OK && member)
		rc = welcome(d, room_id, user, txn);
	bot_reg_members_free(rows, n);
	free(room_id);
	return rc;
}

void bot_caps_enforce_all(bot_daemon *d)
{
	size_t i;
	int rc = BOT_STORE_OK;

	if (!d->structure || bot_store_begin(d->store) != BOT_STORE_OK)
		return;
	for (i = 0; i < pol_structure_n_rooms(d->structure) && rc == BOT_STORE_OK; i++) {
		const pol_room *r = pol_structure_room(d->structure, i);
		char txn[TXN_MAX];

		if (r->kind != POL_ROOM_WIJKGROEP)
			continue;
		snprintf(txn, sizeof txn, "caps:%s:%lld", r->key, d->now);
		rc = bot_caps_check(d, r->key, NULL, NULL, txn);
	}
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_ERROR("could not check the member caps: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
	}
}

static int one_list(bot_daemon *d, const pol_wijkgroep *wg, char *buf, size_t size)
{
	char key[POL_STRUCT_MAX_KEY + 16], (*dates)[16];
	bot_wait_entry *list = NULL;
	pol_wait_line *lines;
	size_t n = 0, i;
	int rc;

	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	rc = bot_reg_wait_list(d->store, key, &list, &n);
	if (rc != BOT_STORE_OK)
		return rc;
	lines = calloc(n + 1, sizeof *lines);
	dates = calloc(n + 1, sizeof *dates);
	if (!lines || !dates) {
		rc = BOT_STORE_ERR;
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		bot_when_date(list[i].since, dates[i], sizeof dates[i]);
		lines[i].user_id = list[i].user;
		lines[i].since = dates[i];
		lines[i].source = list[i].source;
	}
	pol_waitlist_text(d->pol.lang, wg, lines, n, buf, size);
cleanup:
	free(lines);
	free(dates);
	bot_reg_wait_free(list, n);
	return rc;
}

int bot_caps_waitlist_text(bot_daemon *d, const pol_wijkgroep *wg, const char *room_key, char *buf,
			   size_t size)
{
	const pol_stuurgroep *sg;
	size_t i;
	int rc = BOT_STORE_OK;

	buf[0] = '\0';
	if (wg)
		return one_list(d, wg, buf, size);
	sg = room_key && strncmp(room_key, "stuurgroep:", 11) == 0 ?
		pol_structure_find_stuurgroep(d->structure, room_key + 11) : NULL;
	for (i = 0; sg && i < sg->n_beheert && rc == BOT_STORE_OK; i++)
		if (pol_wijkgroep_active(sg->beheert[i]))
			rc = one_list(d, sg->beheert[i], buf, size);
	return rc;
}
