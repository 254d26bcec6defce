/* reconcile.c: see reconcile.h. Rooms are created with a local alias
 * derived from their structure key, so a crash between creating a room
 * and storing its id cannot make a second room: the next run finds the
 * alias taken and adopts the room behind it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "log.h"
#include "matrix/mx_async.h"
#include "matrix/mx_canonical.h"
#include "matrix/mx_room_state.h"
#include "policy/pol_topic.h"
#include "reconcile.h"

/* Spaces whose state is kept for their children's links (a gemeente and
 * its wijken). */
#define REC_MAX_SPACES 64
/* Invites on the wire at once: a first build overlaps them; Synapse's
 * rate limits for invites still apply (a 429 is waited out). */
#define REC_INVITES_AT_ONCE 4
/* A progress line per this many rooms on a long build. */
#define REC_PROGRESS_EVERY 10

#define BOT_POWER 100

typedef struct rec {
	bot_daemon *d;
	const pol_structure *s;
	bot_reconcile_stats *st;
	const char *server;   /* the bot's server name, for "via" */
	char *version;        /* the homeserver's default room version, or NULL */
	int version_asked;    /* asked once, when the first room is to be made */
	/* The Spaces' state as read this run: their children's links are
	 * checked against it instead of read again per child. */
	struct space_state {
		const char *key;
		cJSON *state;
	} spaces[REC_MAX_SPACES];
	size_t n_spaces;
	mx_async *a;          /* invites side by side; NULL: one after the other */
} rec;

/* One request to the homeserver: a read, or a write (a change). */
static void count(rec *r, int write)
{
	r->st->requests++;
	if (write)
		r->st->writes++;
	else
		r->st->reads++;
}

/* The state of Space key as read this run, or NULL. */
static const cJSON *space_state(const rec *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n_spaces; i++)
		if (strcmp(r->spaces[i].key, key) == 0)
			return r->spaces[i].state;
	return NULL;
}

static int failed(rec *r, int rc, const char *what, const char *key)
{
	const mx_error *e = mx_client_last_error(r->d->client);

	LOG_WARN("structure: %s for %s failed: %s %s", what, key, e->errcode, e->message);
	return rc;
}

/* "wijkgroep:oude-zoom" -> "<bot localpart>.wijkgroep.oude-zoom": unique
 * per bot, should two bots ever share a homeserver. */
static void alias_localpart(const char *bot_user, const char *key, char *out, size_t size)
{
	const char *colon = strchr(bot_user, ':');
	int n = colon ? (int)(colon - bot_user - 1) : 0;
	size_t o = (size_t)snprintf(out, size, "%.*s.", n > 0 && n < 64 ? n : 0, bot_user + 1);
	for (; *key && o + 1 < size; key++)
		out[o++] = (*key == ':') ? '.' : (char)tolower((unsigned char)*key);
	out[o] = '\0';
}

static int is_space(pol_room_kind k)
{
	return k == POL_ROOM_WIJK_SPACE || k == POL_ROOM_GEMEENTE_SPACE;
}

static cJSON *state_event_keyed(const char *type, const char *state_key, const char *json_content)
{
	cJSON *ev = cJSON_CreateObject();

	cJSON_AddStringToObject(ev, "type", type);
	cJSON_AddStringToObject(ev, "state_key", state_key);
	cJSON_AddItemToObject(ev, "content", cJSON_Parse(json_content));
	return ev;
}

static cJSON *state_event(const char *type, const char *json_content)
{
	return state_event_keyed(type, "", json_content);
}

/* The content of a child's m.space.parent link. */
static void parent_link(const rec *r, char *out, size_t size)
{
	snprintf(out, size, "{\"via\":[\"%s\"],\"canonical\":true}", r->server);
}

/* The power levels DESIGN.md section 2 asks for: only the bot invites and
 * changes state; moderators (stuurgroep members) may redact; in a Space
 * nobody but the bot posts. bot_is_creator: the room's version gives the
 * bot, its creator, unlimited power (room version 12 on), and then it must
 * not be listed in users, nor may anyone else who is a creator. */
static cJSON *desired_power(rec *r, const pol_room *room, int bot_is_creator, const cJSON *state)
{
	cJSON *pl = cJSON_CreateObject(), *users, *events;
	size_t i;

	users = cJSON_AddObjectToObject(pl, "users");
	if (!bot_is_creator)
		cJSON_AddNumberToObject(users, r->d->user_id, BOT_POWER);
	for (i = 0; i < room->n_members; i++)
		if (room->members[i].power > 0 &&
		    !mx_state_is_privileged_creator(state, room->members[i].user_id))
			cJSON_AddNumberToObject(users, room->members[i].user_id, room->members[i].power);
	cJSON_AddNumberToObject(pl, "users_default", 0);
	cJSON_AddNumberToObject(pl, "events_default", pol_room_post_power(room, BOT_POWER));
	cJSON_AddNumberToObject(pl, "state_default", BOT_POWER);
	cJSON_AddNumberToObject(pl, "invite", BOT_POWER);
	cJSON_AddNumberToObject(pl, "kick", BOT_POWER);
	cJSON_AddNumberToObject(pl, "ban", BOT_POWER);
	cJSON_AddNumberToObject(pl, "redact", POL_POWER_MODERATOR);
	/* Sending a redaction is open to everyone (authors take back their own
	 * messages); "redact" above keeps others' messages to moderators. */
	events = cJSON_AddObjectToObject(pl, "events");
	cJSON_AddNumberToObject(events, "m.room.redaction", 0);
	cJSON_AddNumberToObject(events, "m.reaction", 0);
	return pl;
}

/* Whether every member of want has an equal value in have. */
static int covers(const cJSON *have, const cJSON *want)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, want) {
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(have, w->string);
		char *a = NULL, *b = NULL;
		int same;

		if (!h || mx_canonical_json(h, &a, NULL) != MX_OK || mx_canonical_json(w, &b, NULL) != MX_OK) {
			free(a);
			return 0;
		}
		same = strcmp(a, b) == 0;
		free(a);
		free(b);
		if (!same)
			return 0;
	}
	return 1;
}

/* Power levels match when every level we set is as we want it and the
 * users map is exactly ours (so a removed moderator is noticed). */
static int power_matches(const cJSON *have, const cJSON *want)
{
	const cJSON *hu = cJSON_GetObjectItemCaseSensitive(have, "users");
	const cJSON *wu = cJSON_GetObjectItemCaseSensitive(want, "users");

	return covers(have, want) && cJSON_GetArraySize(hu) == cJSON_GetArraySize(wu);
}

/* state: the room's current state, read once per room by bot_reconcile. */
static int ensure_power(rec *r, const pol_room *room, const char *room_id, const cJSON *state)
{
	const cJSON *have = mx_state_content(state, "m.room.power_levels", ""), *w;
	cJSON *want, *merged = NULL;
	int rc = MX_OK;

	want = desired_power(r, room, mx_state_is_privileged_creator(state, r->d->user_id), state);
	if (have && power_matches(have, want))
		goto cleanup;
	/* Keep what the homeserver set that we do not manage. */
	merged = have ? cJSON_Duplicate(have, 1) : cJSON_CreateObject();
	cJSON_ArrayForEach(w, want) {
		cJSON_DeleteItemFromObjectCaseSensitive(merged, w->string);
		cJSON_AddItemToObject(merged, w->string, cJSON_Duplicate(w, 1));
	}
	count(r, 1);
	r->st->state_changes++;
	rc = mx_state_put(r->d->client, room_id, "m.room.power_levels", "", merged, NULL);
	if (rc != MX_OK)
		failed(r, rc, "setting power levels", room->key);
	else
		LOG_INFO("structure: power levels of %s set", room->key);
cleanup:
	cJSON_Delete(want);
	cJSON_Delete(merged);
	return rc;
}

/* A state event whose content must contain `want`'s members. state is the
 * room's current state when already read, or NULL to ask for the event. */
static int ensure_state(rec *r, const char *room_id, const cJSON *state, const char *type,
			const char *state_key, const char *want_json, const char *key)
{
	cJSON *fetched = NULL, *want = cJSON_Parse(want_json);
	const cJSON *have;
	int rc = MX_OK;

	if (state) {
		have = mx_state_content(state, type, state_key);
	} else {
		count(r, 0);
		rc = mx_state_get(r->d->client, room_id, type, state_key, &fetched);
		if (rc != MX_OK && rc != MX_ERR_REQUEST)
			goto cleanup;
		have = fetched;
	}
	if (have && covers(have, want)) {
		rc = MX_OK;
		goto cleanup;
	}
	count(r, 1);
	r->st->state_changes++;
	rc = mx_state_put(r->d->client, room_id, type, state_key, want, NULL);
	if (rc != MX_OK)
		failed(r, rc, type, key);
cleanup:
	cJSON_Delete(fetched);
	cJSON_Delete(want);
	return rc;
}

static int resolve_alias(rec *r, const char *localpart, char **out)
{
	char alias[400], path[600], *esc;
	cJSON *resp = NULL;
	const cJSON *id;
	int rc;

	snprintf(alias, sizeof alias, "#%s:%s", localpart, r->server);
	esc = mx_escape(alias);
	snprintf(path, sizeof path, "/_matrix/client/v3/directory/room/%s", esc ? esc : "");
	free(esc);
	count(r, 0);
	rc = mx_request(r->d->client, "GET", path, NULL, 0, &resp);
	id = cJSON_GetObjectItemCaseSensitive(resp, "room_id");
	if (rc == MX_OK && cJSON_IsString(id))
		*out = strdup(id->valuestring);
	else if (rc == MX_OK)
		rc = MX_ERR_PARSE;
	cJSON_Delete(resp);
	return rc;
}

/* The homeserver's default room version, asked the first time a room is
 * to be made (a start with every room known asks nothing). New rooms are
 * made in it, named explicitly so their power levels fit it. NULL when the
 * homeserver did not say. */
static const char *default_version(rec *r)
{
	if (!r->version_asked) {
		r->version_asked = 1;
		count(r, 0);
		if (mx_default_room_version(r->d->client, &r->version) != MX_OK) {
			r->version = NULL;
			LOG_WARN("structure: the homeserver did not say its default room version; "
				 "new rooms get their power levels in two steps");
		}
	}
	return r->version;
}

/* The room id of room, creating the room when it does not exist yet.
 * *adopted is set when the room was found behind its alias rather than in
 * the store or made now: the caller checks who created it. */
static int ensure_room(rec *r, const pol_room *room, char **out, int *adopted)
{
	mx_create_room_opts o;
	cJSON *initial = cJSON_CreateArray(), *power = NULL, *creation = NULL;
	char localpart[200], rules[64], link[300], *parent_id = NULL;
	int rc;

	*out = NULL;
	*adopted = 0;
	if (bot_store_room_get(r->d->store, room->key, out) == BOT_STORE_OK) {
		rc = MX_OK;
		goto cleanup;
	}
	alias_localpart(r->d->user_id, room->key, localpart, sizeof localpart);
	snprintf(rules, sizeof rules, "{\"join_rule\":\"%s\"}",
		 room->kind == POL_ROOM_WIJKGROEP ? "knock" : "invite");
	cJSON_AddItemToArray(initial, state_event("m.room.join_rules", rules));
	cJSON_AddItemToArray(initial, state_event("m.room.history_visibility", "{\"history_visibility\":\"joined\"}"));
	cJSON_AddItemToArray(initial, state_event("m.room.guest_access", "{\"guest_access\":\"forbidden\"}"));
	/* The link to its Space goes in with the room: one request less a
	 * room on a first build (the Space, made before it, is known). */
	if (room->parent && !room->retired && bot_store_room_get(r->d->store, room->parent, &parent_id) == BOT_STORE_OK) {
		parent_link(r, link, sizeof link);
		cJSON_AddItemToArray(initial, state_event_keyed("m.space.parent", parent_id, link));
	}
	if (!is_space(room->kind))
		cJSON_AddItemToArray(initial, state_event("m.room.encryption",
							  "{\"algorithm\":\"m.megolm.v1.aes-sha2\"}"));
	else
		creation = cJSON_Parse("{\"type\":\"m.space\"}");
	memset(&o, 0, sizeof o);
	o.name = room->naam;
	o.topic = pol_room_topic(r->d->pol.lang, room->kind);
	o.preset = "private_chat";
	o.visibility = "private";
	o.room_alias_name = localpart;
	o.initial_state = initial;
	o.creation_content = creation;
	/* The power levels go in with the room (no window with the preset's
	 * levels), computed for the version it is created in. Without a
	 * known version the users map is left to ensure_power: a v11 room
	 * needs the creator in it, a v12 room refuses it. */
	o.room_version = default_version(r);
	power = desired_power(r, room, mx_room_version_privileged_creators(o.room_version), NULL);
	if (!o.room_version)
		cJSON_DeleteItemFromObjectCaseSensitive(power, "users");
	o.power_level_content_override = power;
	count(r, 1);
	rc = mx_create_room(r->d->client, &o, out);
	if (rc == MX_OK) {
		r->st->rooms_created++;
		LOG_INFO("structure: created %s \"%s\" (%s)", pol_room_kind_name(room->kind), room->naam, *out);
		/* Known at once: a crash before read_room cannot make a second. */
		if (bot_store_room_set(r->d->store, room->key, *out, NULL) != BOT_STORE_OK)
			LOG_WARN("structure: cannot store the room id of %s yet: %s", room->key,
				 bot_store_errmsg(r->d->store));
	} else if (strcmp(mx_client_last_error(r->d->client)->errcode, "M_ROOM_IN_USE") == 0) {
		/* Made before the store learnt its id (a crash): adopt it, but
		 * only a room the bot created itself (checked by the caller). */
		rc = resolve_alias(r, localpart, out);
		*adopted = rc == MX_OK;
	} else {
		failed(r, rc, "creating the room", room->key);
	}
cleanup:
	cJSON_Delete(initial);
	cJSON_Delete(power);
	cJSON_Delete(creation);
	free(parent_id);
	return rc;
}

/* An invite's answer. A rate limit is waited out with one blocking try
 * (which honours the homeserver's Retry-After). MX_OK, or the status
 * that stops the run: an unknown account must not stop the rest. */
static int invite_done(rec *r, const pol_room *room, const char *room_id, const char *user, int rc,
		       const mx_error *err)
{
	if (rc == MX_ERR_RATE_LIMITED) {
		rc = mx_invite(r->d->client, room_id, user, NULL);
		err = mx_client_last_error(r->d->client);
	}
	if (rc == MX_OK) {
		r->st->invites++;
		return MX_OK;
	}
	LOG_WARN("structure: inviting %s for %s failed: %s %s", user, room->key, err->errcode, err->message);
	return rc == MX_ERR_REQUEST ? MX_OK : rc;
}

/* Puts the invite of user on the wire; MX_OK, or the failure to start. */
static int invite_start(rec *r, const char *room_id, const char *user, uintptr_t tag, mx_error *err)
{
	char *room = mx_escape(room_id), path[700];
	cJSON *body = cJSON_CreateObject();
	int rc = MX_ERR_NOMEM;

	if (room && body && cJSON_AddStringToObject(body, "user_id", user)) {
		snprintf(path, sizeof path, "/_matrix/client/v3/rooms/%s/invite", room);
		rc = mx_async_start(r->a, "POST", path, body, 0, tag, err);
	} else {
		mx_error_set(err, rc, "out of memory");
	}
	free(room);
	cJSON_Delete(body);
	return rc;
}

/* Whether user is to be invited into the room, as its state shows it. */
static int needs_invite(const pol_room *room, const cJSON *state, const char *user)
{
	const cJSON *mm = cJSON_GetObjectItemCaseSensitive(mx_state_content(state, "m.room.member", user),
							   "membership");
	const char *m = cJSON_IsString(mm) ? mm->valuestring : NULL;

	if (m && (strcmp(m, "join") == 0 || strcmp(m, "invite") == 0))
		return 0;
	if (m && strcmp(m, "ban") == 0) {
		LOG_WARN("structure: %s is banned from %s; not invited", user, room->key);
		return 0;
	}
	return 1;
}

/* Invites the structure's members who are neither joined nor invited,
 * as the room's state shows them, REC_INVITES_AT_ONCE at a time. */
static int ensure_members(rec *r, const pol_room *room, const char *room_id, const cJSON *state)
{
	size_t i = 0, flying = 0;
	int rc = MX_OK;

	while ((i < room->n_members && rc == MX_OK) || flying > 0) {
		uintptr_t tag;
		cJSON *resp = NULL;
		mx_error err;
		int status;

		for (; i < room->n_members && rc == MX_OK && flying < REC_INVITES_AT_ONCE; i++) {
			const char *user = room->members[i].user_id;

			if (!needs_invite(room, state, user))
				continue;
			count(r, 1);
			if (r->a && invite_start(r, room_id, user, (uintptr_t)i, &err) == MX_OK)
				flying++;
			else
				rc = invite_done(r, room, room_id, user, mx_invite(r->d->client, room_id, user, NULL),
						 mx_client_last_error(r->d->client));
		}
		if (flying == 0)
			break;
		if (mx_async_wait(r->a, 1000) == MX_ERR_CANCELLED)
			return MX_ERR_CANCELLED;
		while (mx_async_next(r->a, &tag, &status, &resp, &err)) {
			int one = invite_done(r, room, room_id, room->members[tag].user_id, status, &err);

			if (rc == MX_OK)
				rc = one;
			cJSON_Delete(resp);
			flying--;
		}
	}
	return rc;
}

static int ensure_links(rec *r, const pol_room *room, const char *room_id, const cJSON *state)
{
	char *parent_id = NULL, via[400];
	int rc;

	if (!room->parent)
		return MX_OK;
	if (bot_store_room_get(r->d->store, room->parent, &parent_id) != BOT_STORE_OK)
		return MX_OK;  /* parent failed earlier; next run */
	snprintf(via, sizeof via, "{\"via\":[\"%s\"]}", r->server);
	rc = ensure_state(r, parent_id, space_state(r, room->parent), "m.space.child", room_id, via, room->key);
	if (rc == MX_OK) {
		parent_link(r, via, sizeof via);
		rc = ensure_state(r, room_id, state, "m.space.parent", parent_id, via, room->key);
	}
	free(parent_id);
	return rc;
}

/* A retired wijkgroep: out of its Space, no more knocks, a topic that
 * says where its members went. */
static int ensure_retired(rec *r, const pol_room *room, const char *room_id, const cJSON *state)
{
	char *parent_id = NULL, topic[1024], *want = NULL;
	cJSON *child = NULL, *t;
	int rc;

	rc = ensure_state(r, room_id, state, "m.room.join_rules", "", "{\"join_rule\":\"invite\"}", room->key);
	pol_retired_topic(r->d->pol.lang, room->wijkgroep, topic, sizeof topic);
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "topic", topic);
	want = cJSON_PrintUnformatted(t);
	cJSON_Delete(t);
	if (rc == MX_OK && want)
		rc = ensure_state(r, room_id, state, "m.room.topic", "", want, room->key);
	free(want);
	if (rc != MX_OK || !room->parent || bot_store_room_get(r->d->store, room->parent, &parent_id) != BOT_STORE_OK)
		return rc;
	/* An empty m.space.child content is how a Space lets go of a room. */
	if (space_state(r, room->parent)) {
		child = cJSON_Duplicate(mx_state_content(space_state(r, room->parent), "m.space.child", room_id), 1);
	} else {
		count(r, 0);
		mx_state_get(r->d->client, parent_id, "m.space.child", room_id, &child);
	}
	if (child && cJSON_GetObjectItemCaseSensitive(child, "via")) {
		cJSON *empty = cJSON_CreateObject();

		count(r, 1);
		r->st->state_changes++;
		rc = mx_state_put(r->d->client, parent_id, "m.space.child", room_id, empty, NULL);
		if (rc != MX_OK)
			failed(r, rc, "taking the room out of its Space", room->key);
		cJSON_Delete(empty);
	}
	cJSON_Delete(child);
	free(parent_id);
	return rc;
}

/* The room's state, and its id remembered in the store with its room
 * version. A room found behind its alias is taken only when the bot
 * created it: never one someone else put behind the alias. */
static int read_room(rec *r, const pol_room *room, const char *room_id, int adopted, cJSON **state)
{
	const char *creator, *version;
	char *known = NULL;
	int rc;

	count(r, 0);
	rc = mx_room_state(r->d->client, room_id, state);
	/* A room behind our alias that we cannot even read is not ours. */
	if (rc != MX_OK && !(adopted && rc == MX_ERR_REQUEST))
		return failed(r, rc, "reading the room's state", room->key);
	creator = mx_state_creator(*state);
	version = mx_state_room_version(*state);
	if (adopted && (!creator || strcmp(creator, r->d->user_id) != 0)) {
		char localpart[200];

		alias_localpart(r->d->user_id, room->key, localpart, sizeof localpart);
		LOG_ERROR("structure: the alias #%s:%s points to a room the bot did not create; "
			  "remove that alias, then reload", localpart, r->server);
		return MX_ERR_INVALID;
	}
	if (!version) {
		LOG_ERROR("structure: the state of %s has no m.room.create event", room->key);
		return MX_ERR_PARSE;
	}
	if (bot_store_room_version_get(r->d->store, room->key, &known) != BOT_STORE_OK ||
	    strcmp(known, version) != 0) {
		if (!mx_room_version_privileged_creators(version) && r->version &&
		    mx_room_version_privileged_creators(r->version))
			LOG_INFO("structure: %s \"%s\" is room version %s (older than the homeserver's %s; "
				 "it keeps working, no upgrade needed)", pol_room_kind_name(room->kind),
				 room->naam, version, r->version);
		else
			LOG_INFO("structure: %s \"%s\" is room version %s", pol_room_kind_name(room->kind),
				 room->naam, version);
	}
	/* Known as it is (the usual start): nothing to write. */
	if (!adopted && known && strcmp(known, version) == 0) {
		free(known);
		return MX_OK;
	}
	free(known);
	if (bot_store_room_set(r->d->store, room->key, room_id, version) != BOT_STORE_OK) {
		LOG_ERROR("structure: cannot store the room id of %s: %s", room->key,
			  bot_store_errmsg(r->d->store));
		return MX_ERR_INVALID;
	}
	return MX_OK;
}

static int reconcile_room(rec *r, const pol_room *room)
{
	char *room_id = NULL;
	cJSON *state = NULL;
	int adopted = 0, rc;

	rc = ensure_room(r, room, &room_id, &adopted);
	if (rc == MX_OK)
		rc = read_room(r, room, room_id, adopted, &state);
	if (rc == MX_OK)
		rc = ensure_power(r, room, room_id, state);
	if (rc == MX_OK && room->retired)
		rc = ensure_retired(r, room, room_id, state);
	else if (rc == MX_OK)
		rc = ensure_links(r, room, room_id, state);
	if (rc == MX_OK)
		rc = ensure_members(r, room, room_id, state);
	if (rc == MX_OK && is_space(room->kind) && r->n_spaces < REC_MAX_SPACES) {
		r->spaces[r->n_spaces].key = room->key;
		r->spaces[r->n_spaces++].state = state;
		state = NULL;
	}
	cJSON_Delete(state);
	free(room_id);
	return rc;
}

int bot_reconcile(bot_daemon *d, const pol_structure *s, bot_reconcile_stats *stats)
{
	rec r;
	mx_error aerr;
	size_t i, n;
	int rc = MX_OK;

	memset(stats, 0, sizeof *stats);
	memset(&r, 0, sizeof r);
	r.d = d;
	r.s = s;
	r.st = stats;
	r.server = strchr(d->user_id, ':');
	r.server = r.server ? r.server + 1 : "localhost";
	if (mx_async_new(&r.a, d->client, REC_INVITES_AT_ONCE, &aerr) != MX_OK)
		r.a = NULL;   /* one after the other, then */
	n = pol_structure_n_rooms(s);
	for (i = 0; i < n && rc == MX_OK && !*d->stop; i++) {
		rc = reconcile_room(&r, pol_structure_room(s, i));
		if (rc == MX_OK && (i + 1) % REC_PROGRESS_EVERY == 0 && i + 1 < n)
			LOG_INFO("structure: %zu of %zu rooms done (%u request(s) so far)", i + 1, n, stats->requests);
	}
	LOG_INFO("structure: %u room(s) created, %u state change(s), %u invite(s), %u request(s) "
		 "(%u read(s), %u write(s)), %zu of %zu rooms done",
		 stats->rooms_created, stats->state_changes, stats->invites, stats->requests,
		 stats->reads, stats->writes, i, n);
	for (i = 0; i < r.n_spaces; i++)
		cJSON_Delete(r.spaces[i].state);
	mx_async_free(r.a);
	free(r.version);
	return rc;
}

char *bot_reconcile_room_id(bot_daemon *d, const char *key)
{
	char *id = NULL;
	bot_store_room_get(d->store, key, &id);
	return id;
}
