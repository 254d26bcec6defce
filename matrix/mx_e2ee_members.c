/* mx_e2ee_members.c: who is in each room, for key sharing, kept from sync
 * in the e2ee store instead of asked of the homeserver at every send.
 * ns "members": "room|user" -> "join" or "invite" (absent: not in it);
 * ns "members_known": room -> "1" once the list is complete: when the bot
 * saw the room from its creation, or fetched it once (GET /members; a
 * store from the time the sync filter lazy-loaded members lacks some); a
 * gap in a room's timeline may hide a change, so it makes the list unknown
 * again.
 * Rooms whose members changed wait in e->pending until their room key is
 * shared ahead of the next message (mx_e2ee_share_ahead). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mx_e2ee_int.h"

static const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool is_member(const char *m)
{
	return m && (strcmp(m, "join") == 0 || strcmp(m, "invite") == 0);
}

void e2ee_pending_add(mx_e2ee *e, const char *room_id)
{
	size_t i;
	char **grown, *copy;

	for (i = 0; i < e->n_pending; i++)
		if (strcmp(e->pending[i], room_id) == 0)
			return;
	copy = strdup(room_id);
	grown = copy ? realloc(e->pending, (e->n_pending + 1) * sizeof *grown) : NULL;
	if (!grown) {
		/* The next message shares the key anyway; only later. */
		free(copy);
		return;
	}
	e->pending = grown;
	e->pending[e->n_pending++] = copy;
}

/* Records one membership; 0, or -1 when the store failed. */
static int set_member(mx_e2ee *e, const char *room_id, const char *user, const char *m)
{
	char *key = e2ee_key(room_id, user, NULL);
	int rc;

	if (!key)
		return -1;
	rc = is_member(m) ? e2ee_put(e, "members", key, m) : e2ee_del(e, "members", key);
	free(key);
	return rc == MX_OK ? 0 : -1;
}

void e2ee_members_note(mx_e2ee *e, const mx_event *ev)
{
	const char *m = str_field(ev->content, "membership");

	if (!m || !ev->room_id || !ev->state_key)
		return;
	if (ev->section == MX_ROOM_LEAVE) {
		/* The bot is out: what it knew goes stale until it is back. */
		if (strcmp(ev->state_key, e->user_id) == 0)
			e2ee_del(e, "members_known", ev->room_id);
		return;
	}
	if (ev->section != MX_ROOM_JOIN)
		return;
	if (set_member(e, ev->room_id, ev->state_key, m) != 0) {
		e2ee_del(e, "members_known", ev->room_id);
		e2ee_log(e, 1, "cannot record the membership of %s in %s; asking the homeserver next time",
			 ev->state_key, ev->room_id);
	}
	/* A change now (not the state a first sync describes): a newcomer
	 * gets the room key before the next message needs it, and after a
	 * leave the new key goes out to those who stay. */
	if (ev->source == MX_SRC_TIMELINE)
		e2ee_pending_add(e, ev->room_id);
}

/* Whether the batch's timeline of room_id starts at the room's creation. */
static bool timeline_has_create(const mx_sync_batch *b, const char *room_id)
{
	size_t i;

	for (i = 0; i < b->n_events; i++) {
		const mx_event *ev = &b->events[i];
		if (ev->source == MX_SRC_TIMELINE && ev->room_id && strcmp(ev->room_id, room_id) == 0 &&
		    strcmp(ev->type, "m.room.create") == 0)
			return true;
	}
	return false;
}

void e2ee_members_batch(mx_e2ee *e, const mx_sync_batch *b)
{
	size_t i;

	for (i = 0; i < b->n_rooms; i++) {
		const mx_room_info *r = &b->rooms[i];

		if (r->section != MX_ROOM_JOIN || !r->room_id)
			continue;
		if (r->timeline_limited)
			e2ee_del(e, "members_known", r->room_id);
		else if (timeline_has_create(b, r->room_id))
			e2ee_put(e, "members_known", r->room_id, "1");
	}
}

typedef struct collect_ctx {
	cJSON *users;
	size_t prefix_len;
} collect_ctx;

static int collect(void *ctxp, const char *key, const char *value)
{
	collect_ctx *c = ctxp;

	if (is_member(value) && strlen(key) > c->prefix_len)
		cJSON_AddItemToArray(c->users, cJSON_CreateString(key + c->prefix_len));
	return 0;
}

static int forget(void *ctxp, const char *key, const char *value)
{
	mx_e2ee *e = ctxp;

	(void)value;
	e2ee_del(e, "members", key);
	return 0;
}

/* Asks the homeserver once and keeps the answer: the list as it is now. */
static int fetch_members(mx_e2ee *e, const char *room_id, const char *prefix, mx_error *err)
{
	char path[600];
	char *room = mx_escape(room_id);
	cJSON *resp = NULL;
	const cJSON *ev;
	int rc;

	if (!room)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	snprintf(path, sizeof path, "/_matrix/client/v3/rooms/%s/members?not_membership=leave", room);
	free(room);
	rc = mx_request(e->client, "GET", path, NULL, 0, &resp);
	if (rc != MX_OK) {
		if (err)
			*err = *mx_client_last_error(e->client);
		return rc;
	}
	e->store.list(e->store.ctx, "members", prefix, forget, e);
	cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(resp, "chunk")) {
		const char *m = str_field(cJSON_GetObjectItemCaseSensitive(ev, "content"), "membership");
		const char *who = str_field(ev, "state_key");
		if (who && is_member(m) && set_member(e, room_id, who, m) != 0) {
			rc = mx_error_set(err, MX_ERR_INVALID, "cannot record the members of %s", room_id);
			break;
		}
	}
	cJSON_Delete(resp);
	if (rc == MX_OK && e2ee_put(e, "members_known", room_id, "1") != MX_OK)
		rc = mx_error_set(err, MX_ERR_INVALID, "cannot record the members of %s", room_id);
	e->stats.member_fetches++;
	return rc;
}

int e2ee_room_members(mx_e2ee *e, const char *room_id, cJSON **out, mx_error *err)
{
	char *prefix = e2ee_key(room_id, "", NULL), *known = NULL;
	collect_ctx c = { NULL, 0 };
	int rc = MX_OK;

	*out = NULL;
	c.users = cJSON_CreateArray();
	if (!prefix || !c.users) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	c.prefix_len = strlen(prefix);
	if (e2ee_get(e, "members_known", room_id, &known) != MX_OK &&
	    (rc = fetch_members(e, room_id, prefix, err)) != MX_OK)
		goto cleanup;
	if (e->store.list(e->store.ctx, "members", prefix, collect, &c) != MX_OK) {
		rc = mx_error_set(err, MX_ERR_INVALID, "cannot read the members of %s", room_id);
		goto cleanup;
	}
	*out = c.users;
	c.users = NULL;
cleanup:
	free(known);
	free(prefix);
	cJSON_Delete(c.users);
	return rc;
}
