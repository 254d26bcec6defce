/* crypto.c: see crypto.h. Decrypted events replace their encrypted form in
 * the batch, so policy/ only ever sees plaintext; an event that cannot be
 * read yet is kept in held_events and is not marked handled, so it is
 * decided once its key arrives. */
#include <stdlib.h>
#include <string.h>
#include "crypto.h"
#include "daemon.h"
#include "log.h"

static int st_get(void *ctx, const char *ns, const char *key, char **out)
{
	int rc = bot_store_crypto_get(ctx, ns, key, out);
	return rc == BOT_STORE_OK ? MX_OK : rc == BOT_STORE_NOT_FOUND ? MX_E2EE_NOT_FOUND : MX_ERR_INVALID;
}

static int st_put(void *ctx, const char *ns, const char *key, const char *value)
{
	return bot_store_crypto_put(ctx, ns, key, value) == BOT_STORE_OK ? MX_OK : MX_ERR_INVALID;
}

static int st_del(void *ctx, const char *ns, const char *key)
{
	return bot_store_crypto_delete(ctx, ns, key) == BOT_STORE_OK ? MX_OK : MX_ERR_INVALID;
}

static int st_list(void *ctx, const char *ns, const char *prefix,
		   int (*cb)(void *cbctx, const char *key, const char *value), void *cbctx)
{
	return bot_store_crypto_list(ctx, ns, prefix, cb, cbctx) == BOT_STORE_OK ? MX_OK : MX_ERR_INVALID;
}

static void e2ee_log_hook(void *ud, int level, const char *msg)
{
	char esc[600];

	(void)ud;
	BOT_LOG((bot_log_level)level, "encryption: %s", bot_log_escape(msg, esc, sizeof esc));
}

int bot_crypto_open(bot_daemon *d, const char *pickle_key)
{
	mx_e2ee_options o;
	mx_error err;

	memset(&o, 0, sizeof o);
	o.user_id = d->user_id;
	o.device_id = d->device_id;
	o.pickle_key = pickle_key;
	o.password = d->password;
	o.client = d->client;
	o.store.get = st_get;
	o.store.put = st_put;
	o.store.del = st_del;
	o.store.list = st_list;
	o.store.ctx = d->store;
	o.log = e2ee_log_hook;
	/* Only when restoring cross-signing keys into a new store. */
	o.recovery_key = getenv("BUURTBOT_RECOVERY_KEY");
	if (mx_e2ee_open(&d->e2ee, &o, &err) != MX_OK) {
		LOG_ERROR("encryption: %s", err.message);
		return -1;
	}
	return 0;
}

int bot_crypto_start(bot_daemon *d, const char *pickle_key)
{
	mx_error err;

	if (!d->e2ee && bot_crypto_open(d, pickle_key) != 0)
		return -1;
	if (mx_e2ee_start(d->e2ee, &err) != MX_OK) {
		if (err.status != MX_ERR_CANCELLED)
			LOG_ERROR("encryption: %s", err.message);
		return -1;
	}
	LOG_INFO("encryption ready: device %s, key %s", d->device_id, mx_e2ee_ed25519(d->e2ee));
	return 0;
}

/* Decrypts ev in place (its new JSON kept in extra). Returns MX_OK,
 * MX_E2EE_NO_KEY or an error; ev is unchanged unless MX_OK. */
static int decrypt_in_place(bot_daemon *d, mx_event *ev, bot_backlog *extra)
{
	cJSON *plain = NULL;
	mx_event dec;
	mx_error err;
	int rc = mx_e2ee_decrypt(d->e2ee, ev, &plain, &err);

	if (rc != MX_OK) {
		if (rc != MX_E2EE_NO_KEY)
			LOG_WARN("cannot decrypt %s from %s in %s: %s", ev->event_id, ev->sender, ev->room_id,
				 err.message);
		return rc;
	}
	if (bot_backlog_keep(extra, plain) != 0)
		return MX_ERR_NOMEM;
	if (mx_event_read(&dec, plain, ev->source, ev->section, ev->room_id) != 0)
		return MX_ERR_INVALID;
	*ev = dec;
	return MX_OK;
}

static int is_encrypted_room_event(const mx_event *ev)
{
	return ev->source == MX_SRC_TIMELINE && ev->section == MX_ROOM_JOIN && ev->event_id &&
	       strcmp(ev->type, "m.room.encrypted") == 0;
}

/* An event that cannot wait any longer: nobody will read it. */
static void drop_held(void *ctx, const char *event_id, const char *room_id, const char *sender)
{
	bot_daemon *d = ctx;
	char esc[300];

	d->undecryptable++;
	LOG_WARN("dropped undecryptable event %s in %s from %s: too many waiting for their room key", event_id,
		 room_id, bot_log_escape(sender, esc, sizeof esc));
}

/* An event whose room key did not come within BOT_HELD_MAX_AGE_S. */
static void give_up(void *ctx, const char *event_id, const char *room_id, const char *sender)
{
	bot_daemon *d = ctx;
	char esc[300];

	d->undecryptable++;
	LOG_ERROR("gave up on event %s from %s in %s: its room key never arrived", event_id,
		  bot_log_escape(sender, esc, sizeof esc), room_id);
}

/* Held until its room key comes, within bounds: one account (or one room)
 * sending events nobody can read must not fill the store, so past
 * held_max_per_sender of a sender or held_max_per_room of a room the
 * oldest of them are given up. */
static void hold(bot_daemon *d, const mx_event *ev)
{
	char *text = cJSON_PrintUnformatted(ev->raw);

	if (!text || bot_store_held_add(d->store, ev->event_id, ev->room_id, ev->sender, text) != BOT_STORE_OK)
		LOG_ERROR("cannot hold encrypted event %s: %s", ev->event_id, bot_store_errmsg(d->store));
	else
		LOG_INFO("event %s in %s waits for its room key", ev->event_id, ev->room_id);
	free(text);
	if (d->cfg && bot_store_held_trim(d->store, ev->room_id, ev->sender, d->cfg->held_max_per_sender,
					  d->cfg->held_max_per_room, drop_held, d) != BOT_STORE_OK)
		LOG_ERROR("cannot limit the held events: %s", bot_store_errmsg(d->store));
}

typedef struct release_ctx {
	bot_daemon *d;
	bot_backlog *extra;
	int rc;
} release_ctx;

static int release_one(void *ctx, const char *event_id, const char *room_id, const char *event,
		       long long first_seen, int tries)
{
	release_ctx *r = ctx;
	cJSON *raw = cJSON_Parse(event);
	const cJSON *rid;
	mx_event ev;
	char *id;
	int rc;

	/* The row's strings die with the callback; the event must borrow
	 * its room id from its own JSON. */
	if (raw && !cJSON_HasObjectItem(raw, "room_id"))
		cJSON_AddStringToObject(raw, "room_id", room_id);
	rid = cJSON_GetObjectItemCaseSensitive(raw, "room_id");
	if (!raw || !cJSON_IsString(rid) || bot_backlog_keep(r->extra, raw) != 0 ||
	    mx_event_read(&ev, raw, MX_SRC_TIMELINE, MX_ROOM_JOIN, rid->valuestring) != 0) {
		bot_store_held_delete(r->d->store, event_id);
		return 0;
	}
	rc = decrypt_in_place(r->d, &ev, r->extra);
	if (rc == MX_E2EE_NO_KEY) {
		bot_store_held_tried(r->d->store, event_id);
		return 0;
	}
	if (rc != MX_OK) {
		r->d->undecryptable++;
		bot_store_held_delete(r->d->store, event_id);
		return 0;
	}
	id = strdup(event_id);
	if (!id || bot_backlog_append(r->extra, &ev) != 0) {
		free(id);
		r->rc = MX_ERR_NOMEM;
		return 1;
	}
	{
		char **grown = realloc(r->extra->released, (r->extra->n_released + 1) * sizeof *grown);
		if (!grown) {
			free(id);
			r->rc = MX_ERR_NOMEM;
			return 1;
		}
		r->extra->released = grown;
		r->extra->released[r->extra->n_released++] = id;
	}
	LOG_INFO("event %s in %s can be read now", event_id, room_id);
	return 0;
}

int bot_crypto_prepare(bot_daemon *d, mx_sync_batch *b, bot_backlog *extra)
{
	release_ctx r = { d, extra, MX_OK };
	unsigned long keys_before;
	mx_error err;
	size_t i;
	int rc;

	if (!d->e2ee)
		return MX_OK;
	keys_before = mx_e2ee_get_stats(d->e2ee)->room_keys_received;
	rc = mx_e2ee_handle_sync(d->e2ee, b, &err);
	if (rc != MX_OK) {
		LOG_WARN("encryption: %s", err.message);
		return rc;
	}
	for (i = 0; i < extra->n; i++)
		if (is_encrypted_room_event(&extra->events[i]) &&
		    decrypt_in_place(d, &extra->events[i], extra) == MX_E2EE_NO_KEY)
			hold(d, &extra->events[i]);
	/* Held events wait a day at most (the batch's time says when). */
	if (bot_store_held_expire(d->store, BOT_HELD_MAX_AGE_S, give_up, d) != BOT_STORE_OK)
		LOG_ERROR("cannot give up old held events: %s", bot_store_errmsg(d->store));
	/* Events already held are tried first when new keys came in. */
	if (keys_before != mx_e2ee_get_stats(d->e2ee)->room_keys_received || !d->held_checked) {
		d->held_checked = 1;
		if (bot_store_held_each(d->store, release_one, &r) != BOT_STORE_OK)
			LOG_ERROR("cannot read held events: %s", bot_store_errmsg(d->store));
		if (r.rc != MX_OK)
			return r.rc;
	}
	for (i = 0; i < b->n_events; i++)
		if (is_encrypted_room_event(&b->events[i]) &&
		    decrypt_in_place(d, &b->events[i], extra) == MX_E2EE_NO_KEY)
			hold(d, &b->events[i]);
	return MX_OK;
}

void bot_crypto_released(bot_daemon *d, bot_backlog *extra)
{
	size_t i;

	for (i = 0; i < extra->n_released; i++)
		bot_store_held_delete(d->store, extra->released[i]);
}
