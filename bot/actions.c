/* actions.c: see actions.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "actions.h"
#include "caps.h"
#include "casus.h"
#include "flood.h"
#include "log.h"
#include "proposals.h"
#include "queue.h"
#include "registry.h"
#include "signup.h"
#include "signup_store.h"
#include "web_intake.h"
#include "stats.h"
#include "policy/pol_aanmelding.h"
#include "policy/pol_tree.h"

#define TXN_MAX 1400

/* The structure's rooms with their room versions, for !status: names
 * from the structure (rooms no longer in it are left out). */
typedef struct room_versions {
	const pol_structure *s;
	const char **names;
	char **versions;
	size_t n, cap;
} room_versions;

static int add_room_version(void *ctx, const char *key, const char *room_id, const char *version)
{
	room_versions *rv = ctx;
	const pol_room *room = pol_structure_room_by_key(rv->s, key);

	(void)room_id;
	if (!room || rv->n >= rv->cap)
		return 0;
	rv->names[rv->n] = room->naam;
	rv->versions[rv->n] = version ? strdup(version) : NULL;
	rv->n++;
	return 0;
}

/* What !status reports, from the daemon's own state. */
static void status_text(bot_daemon *d, char *buf, size_t size)
{
	room_versions rv = { d->structure, NULL, NULL, 0, 0 };
	pol_status st;
	int64_t n = 0;
	size_t i;

	memset(&st, 0, sizeof st);
	st.version = BUURTBOT_VERSION;
	st.rooms = d->structure ? pol_structure_n_rooms(d->structure) : 0;
	st.wijken = d->structure ? pol_structure_n_wijken(d->structure) : 0;
	st.outbox_pending = bot_store_outbox_count(d->store, "pending", &n) == BOT_STORE_OK ? n : -1;
	st.outbox_failed = bot_store_outbox_count(d->store, "failed", &n) == BOT_STORE_OK ? n : -1;
	st.undecryptable = d->undecryptable;
	rv.names = calloc(st.rooms + 1, sizeof *rv.names);
	rv.versions = calloc(st.rooms + 1, sizeof *rv.versions);
	if (d->structure && rv.names && rv.versions) {
		rv.cap = st.rooms;
		if (bot_store_rooms_each(d->store, add_room_version, &rv) != BOT_STORE_OK)
			rv.n = 0;  /* !status still answers, without the versions */
		st.room_names = rv.names;
		st.room_versions = (const char *const *)rv.versions;
		st.n_room_versions = rv.n;
	}
	pol_status_text(d->pol.lang, &st, buf, size);
	for (i = 0; i < rv.n; i++)
		free(rv.versions[i]);
	free(rv.names);
	free(rv.versions);
}

/* The !leden answer from the store's membership of the wijkgroep room. */
static int members_text(bot_daemon *d, const pol_wijkgroep *wg, char *buf, size_t size)
{
	char key[POL_STRUCT_MAX_KEY + 16], *room_id = NULL, **joined = NULL, **invited = NULL;
	size_t nj = 0, ni = 0;
	int rc = BOT_STORE_OK;

	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	if (bot_store_room_get(d->store, key, &room_id) == BOT_STORE_OK &&
	    (bot_store_member_list(d->store, room_id, "join", d->user_id, &joined, &nj) != BOT_STORE_OK ||
	     bot_store_member_list(d->store, room_id, "invite", d->user_id, &invited, &ni) != BOT_STORE_OK))
		rc = BOT_STORE_ERR;
	if (rc == BOT_STORE_OK) {
		pol_member_note *notes = calloc(nj + ni + 1, sizeof *notes);
		bot_resident *res = calloc(nj + ni + 1, sizeof *res);
		size_t i;

		for (i = 0; notes && res && i < nj + ni; i++) {
			const char *user = i < nj ? joined[i] : invited[i - nj];

			if (bot_resident_get(d->store, user, &res[i]) == BOT_STORE_OK)
				notes[i].accepted = res[i].spelregels;
			bot_casus_marks(d, user, &notes[i].warnings, &notes[i].flags);
		}
		pol_members_text(d->pol.lang, wg, (const char *const *)joined, nj, (const char *const *)invited,
				 ni, notes && res ? notes : NULL, buf, size);
		for (i = 0; res && i < nj + ni; i++)
			bot_resident_clear(&res[i]);
		free(res);
		free(notes);
	}
	bot_store_list_free(joined, nj);
	bot_store_list_free(invited, ni);
	free(room_id);
	return rc;
}

/* The !structuur answer with member counts from the store. */
static int tree_text(bot_daemon *d, char *buf, size_t size)
{
	size_t i, n = pol_structure_n_rooms(d->structure);
	pol_room_count *counts = calloc(n + 1, sizeof *counts);
	int rc = BOT_STORE_OK;

	if (!counts)
		return BOT_STORE_ERR;
	for (i = 0; i < n && rc == BOT_STORE_OK; i++) {
		char *room_id = NULL;
		int64_t joined = 0, invited = 0;

		counts[i].joined = -1;
		rc = bot_store_room_get(d->store, pol_structure_room(d->structure, i)->key, &room_id);
		if (rc == BOT_STORE_NOT_FOUND) {
			rc = BOT_STORE_OK;
			continue;
		}
		if (rc != BOT_STORE_OK)
			break;
		if (bot_store_member_count(d->store, room_id, "join", d->user_id, &joined) != BOT_STORE_OK ||
		    bot_store_member_count(d->store, room_id, "invite", d->user_id, &invited) != BOT_STORE_OK)
			rc = BOT_STORE_ERR;
		counts[i].joined = rc == BOT_STORE_OK ? joined : -1;
		counts[i].invited = invited;
		free(room_id);
	}
	if (rc == BOT_STORE_OK)
		pol_tree_text(d->pol.lang, d->structure, counts, buf, size);
	free(counts);
	return rc;
}

bot_outbox_prio bot_action_priority(const pol_actions *acts, size_t i)
{
	switch (pol_action_priority(acts, i)) {
	case POL_PRIO_HIGH:
		return BOT_PRIO_HIGH;
	case POL_PRIO_LOW:
		return BOT_PRIO_LOW;
	default:
		return BOT_PRIO_NORMAL;
	}
}

/* One action being stored: what each handler of the table below gets. */
typedef struct action_job {
	bot_daemon *d;
	const pol_input *in;   /* what it was decided for */
	const pol_action *a;
	const char *txn_base;  /* the decision's; flows that queue several items name them from it */
	size_t index;          /* the action's place in the decision */
	char txn[TXN_MAX];     /* "<txn_base>|<index>" */
} action_job;

static int store_join(const action_job *j)
{
	if (j->in->is_direct && bot_store_direct_add(j->d->store, j->a->room_id, j->in->sender) != BOT_STORE_OK)
		return BOT_STORE_ERR;
	return bot_store_outbox_add(j->d->store, BOT_OUT_JOIN, j->txn, j->a->room_id, NULL, NULL);
}

static int store_decline(const action_job *j)
{
	return bot_store_outbox_add(j->d->store, BOT_OUT_LEAVE, j->txn, j->a->room_id, NULL, NULL);
}

static int store_audit(const action_job *j)
{
	const pol_audit_plan *p = &j->a->audit;

	return bot_store_audit_add(j->d->store, j->in->sender, j->a->room_id, p->command, p->allowed, p->reason);
}

static int store_reload(const action_job *j)
{
	if (j->d->reload)
		*j->d->reload = 1;
	return BOT_STORE_OK;
}

static int store_notice(const action_job *j)
{
	const pol_action *a = j->a;
	const pol_notice_plan *p = &a->notice;
	int rc;

	if (!a->room_id && !p->room_key[0] && p->target_room[0])
		rc = bot_notice_queue(j->d, p->target_room, p->text, NULL, NULL, j->txn);
	else if (!a->room_id)
		rc = bot_notice_queue_key(j->d, p->room_key, p->text, j->txn);
	else
		rc = bot_notice_queue(j->d, a->room_id, p->text, a->reply_to, a->thread_root, j->txn);
	/* A notice about a resident: !vergeetmij takes it back. */
	return rc == BOT_STORE_OK && p->about[0] ? bot_store_outbox_names(j->d->store, j->txn, p->about) : rc;
}

/* STATUS, MEMBERS, TREE, WAITLIST: an answer whose text the daemon writes
 * from its own state, stored as the notice it becomes. */
static int store_answer(const action_job *j)
{
	const pol_action *a = j->a;
	pol_action ans = *a;
	action_job as_notice = *j;
	int rc = BOT_STORE_OK;

	pol_action_become(&ans, POL_ACT_NOTICE);
	switch (a->kind) {
	case POL_ACT_STATUS:
		status_text(j->d, ans.notice.text, sizeof ans.notice.text);
		break;
	case POL_ACT_MEMBERS:
		rc = members_text(j->d, a->answer.wijkgroep, ans.notice.text, sizeof ans.notice.text);
		break;
	case POL_ACT_TREE:
		rc = tree_text(j->d, ans.notice.text, sizeof ans.notice.text);
		break;
	case POL_ACT_WAITLIST:
		rc = bot_caps_waitlist_text(j->d, a->answer.wijkgroep, a->answer.room_key, ans.notice.text,
					    sizeof ans.notice.text);
		break;
	default:
		break;
	}
	if (rc != BOT_STORE_OK)
		return BOT_STORE_ERR;
	as_notice.a = &ans;
	return store_notice(&as_notice);
}

static int store_invite(const action_job *j)
{
	return bot_invite_queue(j->d, &j->a->invite, j->in->sender, j->txn);
}

static int store_web_admit(const action_job *j)
{
	return bot_web_intake_admit(j->d, &j->a->web_admit);
}

/* A ban as the plan says (pol_plan_ban_all): out of every room of the
 * structure, off the waiting lists, no longer a resident. */
static int store_ban_all(const action_job *j)
{
	bot_daemon *d = j->d;
	const pol_remove_plan *a = &j->a->remove;
	size_t i;
	int rc = BOT_STORE_OK;

	for (i = 0; a->every_room && d->structure && i < pol_structure_n_rooms(d->structure) && rc == BOT_STORE_OK;
	     i++) {
		char *room_id = NULL, sub[TXN_MAX + 32];

		rc = bot_store_room_get(d->store, pol_structure_room(d->structure, i)->key, &room_id);
		if (rc == BOT_STORE_NOT_FOUND) {
			rc = BOT_STORE_OK;
			continue;
		}
		if (rc != BOT_STORE_OK)
			break;
		snprintf(sub, sizeof sub, "%s.%zu", j->txn, i);
		rc = bot_ban_queue(d, room_id, a->user, a->reason, sub);
		free(room_id);
	}
	if (rc == BOT_STORE_OK && a->leaves_waitlists)
		rc = bot_reg_wait_remove(d->store, NULL, a->user);
	if (rc == BOT_STORE_OK && a->ends_residency)
		rc = bot_reg_resident_delete(d->store, a->user);
	return rc;
}

/* From room_id, or else the room of room_key (skipped when not made yet). */
static int store_kick(const action_job *j)
{
	const pol_remove_plan *p = &j->a->remove;
	char *room_id = NULL;
	int rc;

	if (j->a->room_id)
		return bot_kick_queue(j->d, j->a->room_id, p->user, p->reason, j->txn);
	if (bot_store_room_get(j->d->store, p->room_key, &room_id) != BOT_STORE_OK)
		return BOT_STORE_OK;
	rc = bot_kick_queue(j->d, room_id, p->user, p->reason, j->txn);
	free(room_id);
	return rc;
}

static int store_waitlist_add(const action_job *j)
{
	const pol_waitlist_plan *p = &j->a->waitlist;

	return bot_reg_wait_add(j->d->store, p->room_key, p->user, p->source, NULL);
}

static int store_caps(const action_job *j)
{
	const pol_caps_plan *p = &j->a->caps;

	return bot_caps_check(j->d, p->room_key, p->membership, p->user, j->txn);
}

static int store_propose(const action_job *j)
{
	return bot_proposal_make(j->d, j->in, j->a, j->txn);
}

static int store_execute(const action_job *j)
{
	return bot_proposal_execute(j->d, j->in, j->a, j->txn);
}

/* The sign-up and casus flows name the several items they queue after
 * txn_base themselves. */
static int store_signup(const action_job *j)
{
	return bot_signup_action(j->d, j->in, j->a, j->txn_base, j->index);
}

static int store_casus(const action_job *j)
{
	return bot_casus_action(j->d, j->in, j->a, j->txn_base, j->index);
}

static int store_flood(const action_job *j)
{
	return bot_flood_action(j->d, j->in, j->a);
}

static int store_stats(const action_job *j)
{
	return bot_stats_action(j->d, j->in, j->a, j->txn_base, j->index);
}

typedef int (*action_handler)(const action_job *j);

/* One row per kind of action (pol_engine.h): how it is stored. */
static const action_handler handlers[] = {
	[POL_ACT_JOIN] = store_join,
	[POL_ACT_DECLINE] = store_decline,
	[POL_ACT_NOTICE] = store_notice,
	[POL_ACT_AUDIT] = store_audit,
	[POL_ACT_RELOAD] = store_reload,
	[POL_ACT_STATUS] = store_answer,
	[POL_ACT_TREE] = store_answer,
	[POL_ACT_MEMBERS] = store_answer,
	[POL_ACT_INVITE] = store_invite,
	[POL_ACT_BAN_ALL] = store_ban_all,
	[POL_ACT_KICK] = store_kick,
	[POL_ACT_WAITLIST_ADD] = store_waitlist_add,
	[POL_ACT_WAITLIST] = store_answer,
	[POL_ACT_CAPS] = store_caps,
	[POL_ACT_PROPOSE] = store_propose,
	[POL_ACT_EXECUTE] = store_execute,
	[POL_ACT_OPEN_DM] = store_signup,
	[POL_ACT_INTAKE_SAVE] = store_signup,
	[POL_ACT_INTAKE_DELETE] = store_signup,
	[POL_ACT_APPLY] = store_signup,
	[POL_ACT_APP_DECIDE] = store_signup,
	[POL_ACT_MYDATA] = store_signup,
	[POL_ACT_FORGET] = store_signup,
	[POL_ACT_SPELREGELS_OK] = store_signup,
	[POL_ACT_CASUS_OPEN] = store_casus,
	[POL_ACT_CASUS_EVENT] = store_casus,
	[POL_ACT_FORWARD] = store_casus,
	[POL_ACT_CASUS_CLOSE] = store_casus,
	[POL_ACT_CASUS_LIST] = store_casus,
	[POL_ACT_PRIVATE] = store_casus,
	[POL_ACT_MARK] = store_casus,
	[POL_ACT_FLAG] = store_casus,
	[POL_ACT_CASUS_LINK] = store_casus,
	[POL_ACT_APPLICATIONS] = store_signup,
	[POL_ACT_FLOOD] = store_flood,
	[POL_ACT_STATS] = store_stats,
	[POL_ACT_WEB_ADMIT] = store_web_admit,
};

int bot_action_store(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base,
		     size_t index)
{
	action_job j = { d, in, a, txn_base, index, "" };
	size_t kind = (size_t)a->kind;

	if (kind >= sizeof handlers / sizeof handlers[0] || !handlers[kind]) {
		LOG_ERROR("an action of kind %zu has no handler; nothing was stored for it", kind);
		return BOT_STORE_OK;
	}
	snprintf(j.txn, sizeof j.txn, "%s|%zu", txn_base, index);
	return handlers[kind](&j);
}
