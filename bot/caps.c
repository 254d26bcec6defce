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
#include "policy/pol_caps_plan.h"
#include "policy/pol_buf.h"

#define TXN_MAX 1400

static const pol_wijkgroep *active_wijkgroep(const bot_daemon *d, const char *key)
{
	const pol_room *r = d->structure ? pol_structure_room_by_key(d->structure, key) : NULL;

	return r && r->kind == POL_ROOM_WIJKGROEP && pol_wijkgroep_active(r->wijkgroep) ? r->wijkgroep : NULL;
}

/* The plan's removals: onto the waiting list, out of the room, the
 * stuurgroep told. */
static int carry_out_removals(bot_daemon *d, const pol_caps_check_plan *plan, const pol_wijkgroep *wg, const char *key,
			      const char *room_id)
{
	char txn[TXN_MAX];
	pol_buf t;
	size_t i;
	int rc = BOT_STORE_OK;

	for (i = 0; i < plan->n_remove && rc == BOT_STORE_OK; i++) {
		const pol_caps_removal *r = &plan->remove[i];

		LOG_INFO("%s is over its cap of %u: removing the last to arrive", key, wg->limiet);
		rc = bot_reg_wait_add(d->store, key, r->user_id, "limiet", NULL);
		/* Named after the membership it ends: done once, however often checked. */
		snprintf(txn, sizeof txn, "cap:%s:%s:%" PRId64, room_id, r->user_id, (int64_t)r->since);
		if (rc == BOT_STORE_OK)
			rc = bot_kick_queue(d, room_id, r->user_id, r->reason, txn);
		pol_buf_init_at_end(&t, txn, sizeof txn);
		pol_buf_add(&t, ":n");
		if (rc == BOT_STORE_OK)
			rc = bot_notice_queue_key(d, plan->stuurgroep_key, r->notice, txn);
		/* It names them: !vergeetmij takes it back. */
		if (rc == BOT_STORE_OK)
			rc = bot_store_outbox_names(d->store, txn, r->user_id);
	}
	if (plan->n_remove < plan->excess)
		LOG_WARN("%s stays over its cap: only stuurgroep members and police are left to remove", key);
	return rc;
}

/* The rest of the plan: growth memory and notice, a freed place, the
 * welcome (once per resident, which the store keeps). */
static int carry_out_notices(bot_daemon *d, const pol_caps_check_plan *plan, const pol_wijkgroep *wg, const char *key,
			     const char *room_id, const char *txn)
{
	char flag_key[POL_STRUCT_MAX_KEY + 32], t[TXN_MAX];
	int rc = BOT_STORE_OK, now_welcomed = 0;

	snprintf(flag_key, sizeof flag_key, "growth_notified:%s", key);
	if (plan->growth_due) {
		LOG_INFO("%s passed its growth threshold of %u: telling the stuurgroep", key, wg->groeidrempel);
		snprintf(t, sizeof t, "%s.growth", txn);
		rc = bot_notice_queue_key(d, plan->stuurgroep_key, plan->growth_text, t);
	}
	if (rc == BOT_STORE_OK && plan->store_notified)
		rc = bot_store_kv_set(d->store, flag_key, plan->notified ? "1" : "0");
	if (rc == BOT_STORE_OK && plan->freed_due) {
		snprintf(t, sizeof t, "%s.freed", txn);
		rc = bot_notice_queue_key(d, plan->stuurgroep_key, plan->freed_text, t);
		if (rc == BOT_STORE_OK)
			rc = bot_store_outbox_names(d->store, t, plan->freed_user);
	}
	if (rc == BOT_STORE_OK && plan->welcome_due)
		rc = bot_resident_welcome_once(d->store, plan->welcome_user, &now_welcomed);
	if (rc == BOT_STORE_OK && now_welcomed) {
		snprintf(t, sizeof t, "%s.welcome", txn);
		rc = bot_notice_queue(d, room_id, plan->welcome_text, NULL, NULL, t);
		if (rc == BOT_STORE_OK)
			rc = bot_store_outbox_names(d->store, t, plan->welcome_user);
	}
	return rc;
}

/* The snapshot the plan is made from: the members, the waiting list, the
 * growth memory and whether user is a member now. */
typedef struct caps_snapshot {
	bot_member_row *rows;
	size_t n;
	bot_wait_entry *list;
	size_t n_list;
	pol_caps_member *members;
	const char **waiting;
} caps_snapshot;

static int gather(bot_daemon *d, const char *key, const char *room_id, const char *user, pol_caps_facts *f,
		  caps_snapshot *s)
{
	char flag_key[POL_STRUCT_MAX_KEY + 32], *flag = NULL;
	size_t i;
	int rc = bot_reg_room_members(d->store, room_id, key, d->user_id, &s->rows, &s->n);

	if (rc == BOT_STORE_OK)
		rc = bot_reg_wait_list(d->store, key, &s->list, &s->n_list);
	snprintf(flag_key, sizeof flag_key, "growth_notified:%s", key);
	if (rc == BOT_STORE_OK && bot_store_kv_get(d->store, flag_key, &flag) == BOT_STORE_ERR)
		rc = BOT_STORE_ERR;
	f->growth_notified = flag && strcmp(flag, "1") == 0;
	free(flag);
	if (rc == BOT_STORE_OK && user)
		rc = bot_reg_member_is(d->store, room_id, user, &f->user_is_member);
	if (rc != BOT_STORE_OK)
		return rc;
	s->members = calloc(s->n + 1, sizeof *s->members);
	s->waiting = calloc(s->n_list + 1, sizeof *s->waiting);
	if (!s->members || !s->waiting)
		return BOT_STORE_ERR;
	for (i = 0; i < s->n; i++) {
		s->members[i].user_id = s->rows[i].user;
		s->members[i].invited = s->rows[i].invited;
		s->members[i].since = s->rows[i].since;
		s->members[i].buurt = s->rows[i].buurt;
	}
	for (i = 0; i < s->n_list; i++)
		s->waiting[i] = s->list[i].user;
	f->structure = d->structure;
	f->members = s->members;
	f->n_members = s->n;
	f->waiting = s->waiting;
	f->n_waiting = s->n_list;
	return BOT_STORE_OK;
}

int bot_caps_check(bot_daemon *d, const char *key, const char *membership, const char *user, const char *txn)
{
	const pol_wijkgroep *wg = active_wijkgroep(d, key);
	caps_snapshot s;
	pol_caps_facts f;
	pol_caps_check_plan plan;
	char *room_id = NULL;
	int rc;

	if (!wg)
		return BOT_STORE_OK;
	rc = bot_store_room_get(d->store, key, &room_id);
	if (rc != BOT_STORE_OK)
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
	memset(&s, 0, sizeof s);
	memset(&f, 0, sizeof f);
	memset(&plan, 0, sizeof plan);
	f.wg = wg;
	f.membership = membership;
	f.user = user;
	rc = gather(d, key, room_id, user, &f, &s);
	if (rc == BOT_STORE_OK && pol_caps_plan_make(d->pol.lang, &f, &plan) != 0)
		rc = BOT_STORE_ERR;
	if (rc == BOT_STORE_OK)
		rc = carry_out_removals(d, &plan, wg, key, room_id);
	if (rc == BOT_STORE_OK)
		rc = carry_out_notices(d, &plan, wg, key, room_id, txn);
	pol_caps_plan_free(&plan);
	free(s.members);
	free(s.waiting);
	bot_reg_wait_free(s.list, s.n_list);
	bot_reg_members_free(s.rows, s.n);
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
