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
#include "daemon.h"
#include "log.h"
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

/* Reduces ev to what the rules look at. Returns 1 when the event is one
 * the bot may act on. */
static int translate(const bot_daemon *d, const mx_event *ev, pol_input *in)
{
	const cJSON *rel;
	const char *rel_type, *msgtype;

	memset(in, 0, sizeof *in);
	in->room_id = ev->room_id;
	in->sender = ev->sender;
	in->event_id = ev->event_id;

	in->structure = d->structure;
	if (is_invite_to_me(d, ev)) {
		const cJSON *direct = cJSON_GetObjectItemCaseSensitive(ev->content, "is_direct");
		in->kind = POL_IN_INVITE;
		in->event_id = NULL;
		in->is_direct = cJSON_IsTrue(direct);
		return 1;
	}
	if (strcmp(ev->type, "m.room.message") != 0)
		return 0;
	msgtype = str_field(ev->content, "msgtype");
	in->body = str_field(ev->content, "body");
	/* Notices are what bots send: answering them invites bot loops. */
	if (!msgtype || strcmp(msgtype, "m.text") != 0 || !in->body)
		return 0;
	rel = relates_to(ev->content);
	rel_type = rel ? str_field(rel, "rel_type") : NULL;
	if (rel_type && strcmp(rel_type, "m.replace") == 0)
		return 0;  /* an edit is not a new command */
	if (rel_type && strcmp(rel_type, "m.thread") == 0)
		in->thread_root = str_field(rel, "event_id");
	in->kind = POL_IN_MESSAGE;
	return 1;
}

/* Builds the JSON content of a notice action; caller frees the string. */
static char *notice_content(const pol_action *a)
{
	cJSON *content = mx_content_text("m.notice", a->text, NULL);
	char *json = NULL;

	if (!content)
		return NULL;
	if (a->thread_root) {
		if (!mx_content_set_thread(content, a->thread_root, a->reply_to))
			goto cleanup;
	} else if (a->reply_to) {
		if (!mx_content_set_reply(content, a->reply_to))
			goto cleanup;
	}
	json = cJSON_PrintUnformatted(content);
cleanup:
	cJSON_Delete(content);
	return json;
}

/* What !status reports, from the daemon's own state. */
static void status_text(bot_daemon *d, char *buf, size_t size)
{
	pol_status st;

	memset(&st, 0, sizeof st);
	st.version = BUURTBOT_VERSION;
	st.rooms = d->structure ? pol_structure_n_rooms(d->structure) : 0;
	st.wijken = d->structure ? pol_structure_n_wijken(d->structure) : 0;
	st.outbox_pending = bot_store_outbox_count(d->store, "pending");
	st.outbox_failed = bot_store_outbox_count(d->store, "failed");
	st.undecryptable = d->undecryptable;
	pol_status_text(d->pol.lang, &st, buf, size);
}

/* Facts for the rules, from the store. */
static long fact_cap_count(void *ctx, const char *room_key)
{
	bot_daemon *d = ctx;
	char *room_id = NULL;
	int64_t j, i;

	if (bot_store_room_get(d->store, room_key, &room_id) != BOT_STORE_OK)
		return -1;
	j = bot_store_member_count(d->store, room_id, "join", d->user_id);
	i = bot_store_member_count(d->store, room_id, "invite", d->user_id);
	free(room_id);
	return (j < 0 || i < 0) ? -1 : (long)(j + i);
}

static int fact_wijkgroep_of(void *ctx, const char *user_id, char *buf, size_t size)
{
	bot_daemon *d = ctx;
	return bot_store_wijkgroep_of(d->store, user_id, buf, size) == BOT_STORE_OK ? 0 : -1;
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
	if (rc == BOT_STORE_OK)
		pol_members_text(d->pol.lang, wg, (const char *const *)joined, nj, (const char *const *)invited,
				 ni, buf, size);
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

		counts[i].joined = -1;
		if (bot_store_room_get(d->store, pol_structure_room(d->structure, i)->key, &room_id) != BOT_STORE_OK)
			continue;
		counts[i].joined = bot_store_member_count(d->store, room_id, "join", d->user_id);
		counts[i].invited = bot_store_member_count(d->store, room_id, "invite", d->user_id);
		if (counts[i].joined < 0 || counts[i].invited < 0)
			rc = BOT_STORE_ERR;
		free(room_id);
	}
	if (rc == BOT_STORE_OK)
		pol_tree_text(d->pol.lang, d->structure, counts, buf, size);
	free(counts);
	return rc;
}

static int store_action(bot_daemon *d, const pol_input *in, const pol_action *a,
			const char *txn_base, size_t index)
{
	char txn[2 * KEY_MAX + 32];
	char *content = NULL;
	pol_action status;
	int rc;

	snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
	switch (a->kind) {
	case POL_ACT_JOIN:
		if (in->is_direct && bot_store_direct_add(d->store, a->room_id, in->sender) != BOT_STORE_OK)
			return BOT_STORE_ERR;
		return bot_store_outbox_add(d->store, BOT_OUT_JOIN, txn, a->room_id, NULL, NULL);
	case POL_ACT_AUDIT:
		return bot_store_audit_add(d->store, in->sender, a->room_id, a->command, a->allowed, a->reason);
	case POL_ACT_RELOAD:
		if (d->reload)
			*d->reload = 1;
		return BOT_STORE_OK;
	case POL_ACT_STATUS:
		status = *a;
		status_text(d, status.text, sizeof status.text);
		status.kind = POL_ACT_NOTICE;
		return store_action(d, in, &status, txn_base, index);
	case POL_ACT_MEMBERS:
		status = *a;
		if (members_text(d, a->wijkgroep, status.text, sizeof status.text) != BOT_STORE_OK)
			return BOT_STORE_ERR;
		status.kind = POL_ACT_NOTICE;
		return store_action(d, in, &status, txn_base, index);
	case POL_ACT_INVITE: {
		char *room_id = NULL;

		if (bot_store_room_get(d->store, a->room_key, &room_id) != BOT_STORE_OK) {
			LOG_WARN("invite into %s: the room does not exist yet", a->room_key);
			return BOT_STORE_OK;
		}
		/* Counted at once, so a second admission in the same batch sees it. */
		rc = bot_store_member_set(d->store, room_id, a->user, "invite");
		if (rc == BOT_STORE_OK)
			rc = bot_store_outbox_add(d->store, BOT_OUT_INVITE, txn, room_id, NULL, a->user);
		free(room_id);
		return rc;
	}
	case POL_ACT_BAN_ALL: {
		cJSON *c = cJSON_CreateObject();
		char *json;
		size_t i;

		cJSON_AddStringToObject(c, "user", a->user);
		if (a->text[0])
			cJSON_AddStringToObject(c, "reason", a->text);
		json = cJSON_PrintUnformatted(c);
		cJSON_Delete(c);
		if (!json)
			return BOT_STORE_ERR;
		rc = BOT_STORE_OK;
		/* Every room of the system, Spaces included: out everywhere. */
		for (i = 0; d->structure && i < pol_structure_n_rooms(d->structure) && rc == BOT_STORE_OK; i++) {
			char *room_id = NULL, sub[2 * KEY_MAX + 64];

			if (bot_store_room_get(d->store, pol_structure_room(d->structure, i)->key, &room_id) != BOT_STORE_OK)
				continue;
			snprintf(sub, sizeof sub, "%s.%zu", txn, i);
			rc = bot_store_member_set(d->store, room_id, a->user, "ban");
			if (rc == BOT_STORE_OK)
				rc = bot_store_outbox_add(d->store, BOT_OUT_BAN, sub, room_id, NULL, json);
			free(room_id);
		}
		free(json);
		return rc;
	}
	case POL_ACT_TREE:
		status = *a;
		if (tree_text(d, status.text, sizeof status.text) != BOT_STORE_OK)
			return BOT_STORE_ERR;
		status.kind = POL_ACT_NOTICE;
		return store_action(d, in, &status, txn_base, index);
	case POL_ACT_DECLINE:
		return bot_store_outbox_add(d->store, BOT_OUT_LEAVE, txn, a->room_id, NULL, NULL);
	case POL_ACT_NOTICE:
		content = notice_content(a);
		if (!content) {
			LOG_ERROR("out of memory building a message");
			return BOT_STORE_ERR;
		}
		rc = bot_store_outbox_add(d->store, BOT_OUT_SEND, txn, a->room_id,
					  "m.room.message", content);
		free(content);
		return rc;
	}
	return BOT_STORE_OK;
}

/* Where the event happened, as the permission table sees rooms: a room
 * of the structure (by key), a direct chat, or another room. *key_out is
 * owned by the caller and borrowed by ctx. */
static int room_context(bot_daemon *d, const char *room_id, pol_room_ctx *ctx, char **key_out)
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
	rc = bot_store_direct_is(d->store, room_id);
	if (rc < 0)
		return BOT_STORE_ERR;
	if (rc == 1)
		ctx->kind = POL_ROOM_DM;
	return BOT_STORE_OK;
}

/* Handles one event inside the open transaction. history_only: remember
 * the event as handled without deciding it (invites are still decided). */
static int process_event(bot_daemon *d, const mx_event *ev, int history_only,
			 const char *batch_token)
{
	char key[KEY_MAX], txn_base[2 * KEY_MAX], esc[128], esc_room[128], esc_sender[128];
	char *room_key = NULL;
	pol_facts facts;
	pol_input in;
	pol_actions actions;
	size_t i;
	int seen;

	/* Leaving a room ends any invite we handled for it: a later invite
	 * to the same room is a new question. */
	if (ev->section == MX_ROOM_LEAVE && ev->room_id && bot_own_membership(d, ev)) {
		snprintf(key, sizeof key, "invite:%s", ev->room_id);
		return bot_store_event_forget(d->store, key);
	}
	/* Membership of joined rooms, for caps and member lists. Replaying
	 * an event sets the same state again, so no ledger is needed. */
	if (ev->section == MX_ROOM_JOIN && ev->room_id && ev->state_key &&
	    (ev->source == MX_SRC_STATE || ev->source == MX_SRC_TIMELINE) &&
	    strcmp(ev->type, "m.room.member") == 0 && str_field(ev->content, "membership") &&
	    bot_store_member_set(d->store, ev->room_id, ev->state_key,
				 str_field(ev->content, "membership")) != BOT_STORE_OK)
		return BOT_STORE_ERR;
	if (!ledger_key(d, ev, key, sizeof key))
		return BOT_STORE_OK;
	if (strlen(key) >= KEY_MAX - 1) {
		d->events_skipped++;
		return BOT_STORE_OK;  /* no real id is this long */
	}
	seen = bot_store_event_seen(d->store, key);
	if (seen < 0)
		return BOT_STORE_ERR;
	if (seen) {
		d->events_skipped++;
		return BOT_STORE_OK;
	}
	/* Every tracked event is marked, acted on or not: the ledger is also
	 * where the backlog stops paging back. */
	if (!translate(d, ev, &in) || (history_only && in.kind != POL_IN_INVITE))
		return bot_store_event_mark(d->store, key, ev->room_id);

	if (room_context(d, ev->room_id, &in.room, &room_key) != BOT_STORE_OK)
		return BOT_STORE_ERR;
	facts.cap_count = fact_cap_count;
	facts.wijkgroep_of = fact_wijkgroep_of;
	facts.ctx = d;
	in.facts = &facts;
	pol_decide(&d->pol, &in, &actions);
	free(room_key);
	d->events_decided++;
	if (actions.n)
		LOG_DEBUG("event %s in %s from %s: %zu action(s)", bot_log_escape(key, esc, sizeof esc),
			  bot_log_escape(ev->room_id, esc_room, sizeof esc_room),
			  bot_log_escape(ev->sender, esc_sender, sizeof esc_sender), actions.n);
	/* An invite has no event id and the same room can invite us again
	 * after we left, so its actions are named after this batch too. */
	snprintf(txn_base, sizeof txn_base, "%s%s%s", key, in.kind == POL_IN_INVITE ? "@" : "",
		 in.kind == POL_IN_INVITE ? batch_token : "");
	for (i = 0; i < actions.n; i++)
		if (store_action(d, &in, &actions.items[i], txn_base, i) != BOT_STORE_OK)
			return BOT_STORE_ERR;
	return bot_store_event_mark(d->store, key, ev->room_id);
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
