/* batch.c: one sync batch in, decisions out, in a single transaction.
 * Each event gets a ledger key (its event id; for an invite, which has no
 * event id, the room it invites to), and every action a transaction id
 * "<key>|<action index>", so deciding the same event twice can never
 * produce a second message. The ledger, not the txn id, is what stops a
 * second decision; the txn id stops a second send. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "daemon.h"
#include "actions.h"
#include "log.h"
#include "registry.h"
#include "signup.h"
#include "casus.h"
#include "flood.h"
#include "web_intake.h"
#include "policy/pol_input.h"
#include "policy/pol_tree.h"

#define KEY_MAX 600

static const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *relates_to(const cJSON *content)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(content, "m.relates_to");
	return cJSON_IsObject(r) ? r : NULL;
}

const char *bot_own_membership(const bot_daemon *d, const mx_event *ev)
{
	if (strcmp(ev->type, "m.room.member") != 0 || !ev->state_key ||
	    strcmp(ev->state_key, d->user_id) != 0)
		return NULL;
	return str_field(ev->content, "membership");
}

static int own_membership_is(const bot_daemon *d, const mx_event *ev, const char *want)
{
	const char *m = bot_own_membership(d, ev);
	return m && strcmp(m, want) == 0;
}

static int is_invite_to_me(const bot_daemon *d, const mx_event *ev)
{
	return ev->source == MX_SRC_INVITE && own_membership_is(d, ev, "invite");
}

/* The ledger key of ev: its event id for a timeline event of a joined
 * room, "invite:<room>" for an invite to the bot. Returns 0 for events
 * the ledger does not track (state, to-device, other sections). */
static int ledger_key(const bot_daemon *d, const mx_event *ev, char *key, size_t keysize)
{
	if (is_invite_to_me(d, ev)) {
		snprintf(key, keysize, "invite:%s", ev->room_id);
		return 1;
	}
	if (ev->source != MX_SRC_TIMELINE || !ev->event_id || ev->section != MX_ROOM_JOIN)
		return 0;
	/* Still encrypted here means held for its key: it is decided when
	 * it can be read, so it must not be marked handled now. */
	if (strcmp(ev->type, "m.room.encrypted") == 0)
		return 0;
	snprintf(key, keysize, "%s", ev->event_id);
	return 1;
}

/* An invite to the bot: no event id (the ledger names it by its room),
 * perhaps for a direct chat. */
static int translate_invite(const mx_event *ev, pol_input *in)
{
	const cJSON *direct = cJSON_GetObjectItemCaseSensitive(ev->content, "is_direct");

	in->kind = POL_IN_INVITE;
	in->event_id = NULL;
	in->is_direct = cJSON_IsTrue(direct);
	return 1;
}

/* Membership changes in rooms the bot is in: knocks, joins, leaves. */
static int is_member_change(const mx_event *ev)
{
	return strcmp(ev->type, "m.room.member") == 0 && ev->state_key && ev->source == MX_SRC_TIMELINE &&
	       ev->section == MX_ROOM_JOIN;
}

static int translate_member(const mx_event *ev, pol_input *in)
{
	in->kind = POL_IN_MEMBER;
	in->target = ev->state_key;
	in->membership = str_field(ev->content, "membership");
	return in->membership != NULL;
}

static int translate_reaction(const cJSON *rel, const char *rel_type, pol_input *in)
{
	if (!rel_type || strcmp(rel_type, "m.annotation") != 0)
		return 0;
	in->kind = POL_IN_REACTION;
	in->relates_event = str_field(rel, "event_id");
	in->reaction_key = str_field(rel, "key");
	return in->relates_event && in->reaction_key;
}

/* The thread a message is in and the message it replies to, from its
 * m.relates_to (rel, may be NULL). */
static void message_relation(const cJSON *rel, const char *rel_type, pol_input *in)
{
	const cJSON *irt;
	const char *r;

	if (!rel)
		return;
	if (rel_type && strcmp(rel_type, "m.thread") == 0)
		in->thread_root = str_field(rel, "event_id");
	irt = cJSON_GetObjectItemCaseSensitive(rel, "m.in_reply_to");
	r = irt ? str_field(irt, "event_id") : NULL;
	/* A thread's fallback reply to its root is no real reply. */
	if (r && !(in->thread_root && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rel, "is_falling_back"))))
		in->reply_to = r;
}

static int translate_message(const cJSON *content, const cJSON *rel, const char *rel_type, pol_input *in)
{
	in->body = pol_message_body(str_field(content, "msgtype"), str_field(content, "body"));
	if (!in->body)
		return 0;
	if (rel_type && strcmp(rel_type, "m.replace") == 0)
		return 0;  /* an edit is not a new command */
	message_relation(rel, rel_type, in);
	in->kind = POL_IN_MESSAGE;
	return 1;
}

/* Reduces ev to what the rules look at. Returns 1 when the event is one
 * the bot may act on; with 0, *in is not for the rules. */
static int translate(const bot_daemon *d, const mx_event *ev, pol_input *in)
{
	const cJSON *rel;
	const char *rel_type;

	memset(in, 0, sizeof *in);
	in->room_id = ev->room_id;
	in->sender = ev->sender;
	in->event_id = ev->event_id;

	in->structure = d->structure;
	if (is_invite_to_me(d, ev))
		return translate_invite(ev, in);
	if (is_member_change(ev))
		return translate_member(ev, in);
	in->content = ev->content;
	rel = relates_to(ev->content);
	rel_type = rel ? str_field(rel, "rel_type") : NULL;
	if (strcmp(ev->type, "m.reaction") == 0)
		return translate_reaction(rel, rel_type, in);
	if (strcmp(ev->type, "m.room.message") == 0)
		return translate_message(ev->content, rel, rel_type, in);
	return 0;
}

/* Facts for the rules, from the store. */
static long fact_cap_count(void *ctx, const char *room_key)
{
	bot_daemon *d = ctx;
	char *room_id = NULL;
	int64_t j = 0, i = 0;
	int rc;

	if (bot_store_room_get(d->store, room_key, &room_id) != BOT_STORE_OK)
		return -1;
	rc = bot_store_member_count(d->store, room_id, "join", d->user_id, &j);
	if (rc == BOT_STORE_OK)
		rc = bot_store_member_count(d->store, room_id, "invite", d->user_id, &i);
	free(room_id);
	return rc == BOT_STORE_OK ? pol_cap_count((long)j, (long)i) : -1;
}

static int fact_wijkgroep_of(void *ctx, const char *user_id, char *buf, size_t size)
{
	bot_daemon *d = ctx;
	return bot_store_wijkgroep_of(d->store, user_id, buf, size) == BOT_STORE_OK ? 0 : -1;
}

static long fact_waitlist_position(void *ctx, const char *room_key, const char *user_id)
{
	bot_daemon *d = ctx;
	long pos = 0;

	return bot_reg_wait_position(d->store, room_key, user_id, &pos) == BOT_STORE_OK ? pos : -1;
}

static long fact_waitlist_length(void *ctx, const char *room_key)
{
	bot_daemon *d = ctx;
	long n = 0;

	return bot_reg_wait_count(d->store, room_key, &n) == BOT_STORE_OK ? n : -1;
}

static int fact_proposal(void *ctx, const char *room_id, long long nr, pol_proposal *out)
{
	bot_daemon *d = ctx;
	bot_proposal p;
	long long now = d->now;

	memset(out, 0, sizeof *out);
	if (bot_reg_proposal_get(d->store, room_id, nr, &p) != BOT_STORE_OK)
		return -1;
	out->nr = p.nr;
	snprintf(out->kind, sizeof out->kind, "%s", p.kind);
	snprintf(out->proposer, sizeof out->proposer, "%s", p.proposer);
	snprintf(out->room_id, sizeof out->room_id, "%s", p.room_id);
	out->age_s = now - p.created;
	out->open = strcmp(p.state, "open") == 0;
	bot_proposal_clear(&p);
	return 0;
}

static int fact_application(void *ctx, long long nr, pol_application *out)
{
	return bot_signup_application(ctx, nr, out);
}

static int fact_signup_state(void *ctx, const char *user_id, pol_signup_state *out)
{
	return bot_signup_state(ctx, user_id, out);
}

static int fact_casus_of_event(void *ctx, const char *room_id, const char *event_id, pol_casus *out)
{
	return bot_casus_of_event(ctx, room_id, event_id, out);
}

static int fact_casus_by_nr(void *ctx, long long nr, const char *room_id, pol_casus *out)
{
	return bot_casus_by_nr(ctx, nr, room_id, out);
}

static long long fact_casus_open_in(void *ctx, const char *room_id)
{
	return bot_casus_open_in(ctx, room_id);
}

static long long fact_casus_last_nr(void *ctx)
{
	return bot_casus_last_nr(ctx);
}

static long fact_recent_posts(void *ctx, const char *room_id, const char *user_id, long seconds)
{
	return bot_casus_recent_posts(ctx, room_id, user_id, seconds);
}

static void fact_marks(void *ctx, const char *user_id, long *warnings, long *flags)
{
	bot_casus_marks(ctx, user_id, warnings, flags);
}

static void fact_flood(void *ctx, const char *room_id, const char *user_id, pol_flood *out)
{
	bot_flood_fact(ctx, room_id, user_id, out);
}

static long fact_casussen_by(void *ctx, const char *room_id, const char *user_id, long seconds)
{
	return bot_flood_casussen_by(ctx, room_id, user_id, seconds);
}

/* The facts above, for the rules (ctx: the daemon). */
static const pol_facts store_facts = {
	.cap_count = fact_cap_count,
	.wijkgroep_of = fact_wijkgroep_of,
	.waitlist_position = fact_waitlist_position,
	.waitlist_length = fact_waitlist_length,
	.proposal = fact_proposal,
	.application = fact_application,
	.signup_state = fact_signup_state,
	.casus_of_event = fact_casus_of_event,
	.casus_by_nr = fact_casus_by_nr,
	.casus_open_in = fact_casus_open_in,
	.casus_last_nr = fact_casus_last_nr,
	.recent_posts = fact_recent_posts,
	.marks = fact_marks,
	.flood = fact_flood,
	.casussen_by = fact_casussen_by,
};

/* Where the event happened, as the permission table sees rooms: a room
 * of the structure (by key), a direct chat, or another room. *key_out is
 * owned by the caller and borrowed by ctx. */
static int room_context(bot_daemon *d, const char *room_id, pol_room_ctx *ctx, char **key_out, char **dm_user)
{
	int rc;

	memset(ctx, 0, sizeof *ctx);
	ctx->kind = POL_ROOM_OTHER;
	rc = bot_store_room_key_of(d->store, room_id, key_out);
	if (rc == BOT_STORE_OK) {
		ctx->key = *key_out;
		return BOT_STORE_OK;
	}
	if (rc != BOT_STORE_NOT_FOUND)
		return BOT_STORE_ERR;
	if (bot_store_direct_is(d->store, room_id, &rc) != BOT_STORE_OK)
		return BOT_STORE_ERR;
	if (rc == 1) {
		ctx->kind = POL_ROOM_DM;
		if (bot_store_direct_user(d->store, room_id, dm_user) == BOT_STORE_ERR)
			return BOT_STORE_ERR;
		ctx->dm_user = *dm_user;
	}
	return BOT_STORE_OK;
}

/* Leaving a room ends any invite we handled for it: a later invite to
 * the same room is a new question. */
static int is_own_leave(const bot_daemon *d, const mx_event *ev)
{
	return ev->section == MX_ROOM_LEAVE && ev->room_id && bot_own_membership(d, ev);
}

static int forget_invite(bot_daemon *d, const char *room_id)
{
	char key[KEY_MAX];

	snprintf(key, sizeof key, "invite:%s", room_id);
	return bot_store_event_forget(d->store, key);
}

/* Membership of joined rooms, for caps and member lists. Replaying an
 * event sets the same state again, so no ledger is needed. */
static int track_membership(bot_daemon *d, const mx_event *ev)
{
	const char *membership;

	if (ev->section != MX_ROOM_JOIN || !ev->room_id || !ev->state_key ||
	    (ev->source != MX_SRC_STATE && ev->source != MX_SRC_TIMELINE) || strcmp(ev->type, "m.room.member") != 0)
		return BOT_STORE_OK;
	membership = str_field(ev->content, "membership");
	return membership ? bot_store_member_set(d->store, ev->room_id, ev->state_key, membership) : BOT_STORE_OK;
}

/* Whether ev is new to the ledger. Returns 1 with its ledger key in key;
 * 0 when the ledger does not track it, or has it already (then it counts
 * as skipped); -1 when the store cannot say. */
static int is_new(bot_daemon *d, const mx_event *ev, char *key, size_t size)
{
	int seen;

	if (!ledger_key(d, ev, key, size))
		return 0;
	if (strlen(key) >= size - 1) {
		d->events_skipped++;
		return 0;  /* no real id is this long */
	}
	if (bot_store_event_seen(d->store, key, &seen) != BOT_STORE_OK)
		return -1;
	if (seen)
		d->events_skipped++;
	return !seen;
}

/* Edits and redactions of forwarded messages follow them (not when
 * catching up history: those were handled, or happened before). */
static int follow_forwarded(bot_daemon *d, const mx_event *ev, int history_only)
{
	if (!history_only && bot_casus_follow(d, ev) != BOT_STORE_OK)
		return BOT_STORE_ERR;
	/* The bot's own copies of forwarded messages: now their ids are known. */
	if (ev->sender && strcmp(ev->sender, d->user_id) == 0 && strcmp(ev->type, "m.room.message") == 0 &&
	    bot_casus_own_message(d, ev) != BOT_STORE_OK)
		return BOT_STORE_ERR;
	return BOT_STORE_OK;
}

static void log_decision(const char *key, const mx_event *ev, size_t n)
{
	char esc[128], esc_room[128], esc_sender[128];

	if (n)
		LOG_DEBUG("event %s in %s from %s: %zu action(s)", bot_log_escape(key, esc, sizeof esc),
			  bot_log_escape(ev->room_id, esc_room, sizeof esc_room),
			  bot_log_escape(ev->sender, esc_sender, sizeof esc_sender), n);
}

/* Stores the actions decided for in, each under "<txn_base>|<index>" and
 * with its outbox priority. */
static int store_actions(bot_daemon *d, const pol_input *in, const pol_actions *actions, const char *txn_base)
{
	size_t i;
	int rc = BOT_STORE_OK;

	for (i = 0; i < actions->n && rc == BOT_STORE_OK; i++) {
		bot_store_outbox_priority(d->store, bot_action_priority(actions, i));
		rc = bot_action_store(d, in, &actions->items[i], txn_base, i);
	}
	bot_store_outbox_priority(d->store, BOT_PRIO_NORMAL);
	return rc;
}

/* What the store keeps of a decided event besides its actions, as
 * policy says (pol_keep_of). */
static int remember(bot_daemon *d, const mx_event *ev, const pol_input *in)
{
	pol_keep keep;

	pol_keep_of(in, &keep);
	switch (keep.kind) {
	case POL_KEEP_DELIVER_NOTES:
		return bot_casus_deliver_notes(d, in->target, ev->room_id);
	case POL_KEEP_POST:
		return bot_casus_note_post(d, ev->room_id, ev->event_id, ev->sender, keep.top_level);
	default:
		return BOT_STORE_OK;
	}
}

/* Asks the rules about in (translated from ev, in a room described) and
 * stores what they decide and what is remembered of it. */
static int decide(bot_daemon *d, const mx_event *ev, pol_input *in, const char *key, const char *batch_token)
{
	char txn_base[2 * KEY_MAX];
	pol_facts facts = store_facts;
	pol_actions actions;
	int rc;

	unsigned long failures = bot_store_failures(d->store);

	facts.ctx = d;
	in->facts = &facts;
	if (pol_may_be_command(in))
		in->room.is_casushouder = bot_casus_is_casushouder(d, ev->room_id, ev->sender);
	pol_decide(&d->pol, in, &actions);
	/* A fact the store could not read looks like "none" to the rules (a
	 * casus number 0, no open casus): a decision on it is not made. The
	 * batch fails as a failed commit does, nothing of it is kept, and
	 * the event is decided again on the next try. */
	if (bot_store_failures(d->store) != failures) {
		LOG_ERROR("the store could not answer what the rules asked about %s (%s); "
			  "the batch is tried again", key, bot_store_errmsg(d->store));
		return BOT_STORE_ERR;
	}
	d->events_decided++;
	log_decision(key, ev, actions.n);
	/* An invite has no event id and the same room can invite us again
	 * after we left, so its actions are named after this batch too. */
	snprintf(txn_base, sizeof txn_base, "%s%s%s", key, in->kind == POL_IN_INVITE ? "@" : "",
		 in->kind == POL_IN_INVITE ? batch_token : "");
	rc = store_actions(d, in, &actions, txn_base);
	return rc == BOT_STORE_OK ? remember(d, ev, in) : rc;
}

/* Handles one event inside the open transaction. history_only: remember
 * the event as handled without deciding it (invites are still decided).
 * Every tracked event is marked, acted on or not: the ledger is also
 * where the backlog stops paging back. */
static int process_event(bot_daemon *d, const mx_event *ev, int history_only,
			 const char *batch_token)
{
	char key[KEY_MAX], *room_key = NULL, *dm_user = NULL;
	pol_input in;
	int rc;

	if (is_own_leave(d, ev))
		return forget_invite(d, ev->room_id);
	if (track_membership(d, ev) != BOT_STORE_OK)
		return BOT_STORE_ERR;
	rc = is_new(d, ev, key, sizeof key);
	if (rc <= 0)
		return rc < 0 ? BOT_STORE_ERR : BOT_STORE_OK;
	rc = follow_forwarded(d, ev, history_only);
	if (rc == BOT_STORE_OK && translate(d, ev, &in) && (!history_only || in.kind == POL_IN_INVITE)) {
		rc = room_context(d, ev->room_id, &in.room, &room_key, &dm_user);
		/* A code from the sign-up website is answered before the rules see it. */
		if (rc == BOT_STORE_OK && (rc = bot_web_intake_message(d, &in, key)) == 0)
			rc = decide(d, ev, &in, key, batch_token);
		else if (rc > 0)
			rc = BOT_STORE_OK;
	}
	free(room_key);
	free(dm_user);
	return rc == BOT_STORE_OK ? bot_store_event_mark(d->store, key, ev->room_id) : rc;
}

static int is_own_join(const bot_daemon *d, const mx_event *ev)
{
	return ev->source == MX_SRC_TIMELINE && own_membership_is(d, ev, "join");
}

/* Index of the bot's own join among the events of the room that starts at
 * `first` (a room's events are contiguous in a batch), or SIZE_MAX. */
static size_t own_join_index(const bot_daemon *d, const mx_sync_batch *b, size_t first)
{
	size_t i, found = SIZE_MAX;
	const char *room = b->events[first].room_id;

	for (i = first; i < b->n_events; i++) {
		if (!room || !b->events[i].room_id || strcmp(b->events[i].room_id, room) != 0)
			break;
		if (is_own_join(d, &b->events[i]))
			found = i;
	}
	return found;
}

bool bot_batch_joined_now(const bot_daemon *d, const mx_sync_batch *b, const char *room_id)
{
	size_t i;

	for (i = 0; i < b->n_events; i++)
		if (b->events[i].room_id && strcmp(b->events[i].room_id, room_id) == 0 &&
		    is_own_join(d, &b->events[i]))
			return true;
	return false;
}

int bot_process_batch(bot_daemon *d, const mx_sync_batch *batch,
		      const bot_backlog *backlog, int first_sync)
{
	size_t i, join_at = SIZE_MAX;

	if (bot_store_begin(d->store) != BOT_STORE_OK)
		goto failed;
	/* The gaps come before the timelines they precede. */
	for (i = 0; backlog && i < backlog->n; i++)
		if (process_event(d, &backlog->events[i], first_sync, batch->next_batch) != BOT_STORE_OK)
			goto failed;
	for (i = 0; i < batch->n_events; i++) {
		const mx_event *ev = &batch->events[i];

		/* What was said before the bot joined is history, not a
		 * request to it: remember it as handled, don't answer. */
		if (i == 0 || !ev->room_id || !batch->events[i - 1].room_id ||
		    strcmp(ev->room_id, batch->events[i - 1].room_id) != 0)
			join_at = ev->room_id ? own_join_index(d, batch, i) : SIZE_MAX;
		if (process_event(d, ev, first_sync || (join_at != SIZE_MAX && i < join_at),
				  batch->next_batch) != BOT_STORE_OK)
			goto failed;
	}
	if (bot_store_kv_set(d->store, BOT_KV_SYNC_TOKEN, batch->next_batch) != BOT_STORE_OK ||
	    bot_store_commit(d->store) != BOT_STORE_OK)
		goto failed;
	return 0;
failed:
	LOG_ERROR("could not save sync batch, nothing of it was kept: %s",
		  bot_store_errmsg(d->store));
	bot_store_rollback(d->store);
	return -1;
}
