/* mx_e2ee_share.c: everything that goes out: knowing members' devices
 * (queried, signature-checked, re-queried when their list changes), Olm
 * sessions to them (claimed one-time keys), sharing a room's Megolm key
 * before the first message, encrypting, and the bot's cross-signing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mx_canonical.h"
#include "mx_e2ee_int.h"

/* Messages per sendToDevice request: keeps requests of a 100-member room
 * with 200 devices at a modest size. */
#define TO_DEVICE_CHUNK 100
#define CLAIM_CHUNK 100
#define DEFAULT_ROTATION_MS (7LL * 24 * 3600 * 1000)
#define DEFAULT_ROTATION_MSGS 100

static const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int request(mx_e2ee *e, const char *method, const char *path, const cJSON *body,
		   cJSON **out, mx_error *err)
{
	int rc = mx_request(e->client, method, path, body, 0, out);

	if (rc != MX_OK && err)
		*err = *mx_client_last_error(e->client);
	return rc;
}

/* ---- devices ---- */

int e2ee_devices_outdated(mx_e2ee *e, const char *user_id)
{
	return e2ee_put(e, "devices_outdated", user_id, "1");
}

/* Checks one device from /keys/query and adds it to list. A device whose
 * keys changed from what we knew is refused: that is what an attack looks
 * like, and a real new device gets a new device id. */
static void accept_device(mx_e2ee *e, const char *user_id, const char *device_id,
			  const cJSON *dk, const cJSON *known, cJSON *list)
{
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(dk, "keys");
	const cJSON *old = cJSON_GetObjectItemCaseSensitive(known, device_id);
	char kid[192];
	const char *curve, *ed;
	cJSON *d;
	mx_error err;

	if (!str_field(dk, "user_id") || strcmp(str_field(dk, "user_id"), user_id) != 0 ||
	    !str_field(dk, "device_id") || strcmp(str_field(dk, "device_id"), device_id) != 0)
		return;
	snprintf(kid, sizeof kid, "curve25519:%s", device_id);
	curve = str_field(keys, kid);
	snprintf(kid, sizeof kid, "ed25519:%s", device_id);
	ed = str_field(keys, kid);
	if (!curve || !ed || strlen(curve) >= 64 || strlen(ed) >= 64)
		return;
	if (mx_json_verify(dk, user_id, kid, ed, &err) != MX_OK) {
		e2ee_log(e, 1, "device %s of %s has a bad signature; it gets no keys", device_id, user_id);
		return;
	}
	if (old && (strcmp(str_field(old, "ed25519") ? str_field(old, "ed25519") : "", ed) != 0 ||
		    strcmp(str_field(old, "curve25519") ? str_field(old, "curve25519") : "", curve) != 0)) {
		e2ee_log(e, 1, "device %s of %s changed its keys; it gets no keys", device_id, user_id);
		cJSON_AddItemToObject(list, device_id, cJSON_Duplicate(old, 1));
		return;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "curve25519", curve);
	cJSON_AddStringToObject(d, "ed25519", ed);
	cJSON_AddItemToObject(list, device_id, d);
}

/* Queries the devices of users (a JSON array of ids) and stores them. */
static int query_devices(mx_e2ee *e, const cJSON *users, mx_error *err)
{
	cJSON *body = cJSON_CreateObject(), *resp = NULL, *q;
	const cJSON *u, *all;
	int rc;

	if (!body)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	q = cJSON_AddObjectToObject(body, "device_keys");
	cJSON_ArrayForEach(u, users)
		cJSON_AddItemToObject(q, u->valuestring, cJSON_CreateArray());
	rc = request(e, "POST", "/_matrix/client/v3/keys/query", body, &resp, err);
	e2ee_log(e, 3, "asked for the devices of %d user(s), the first %s", cJSON_GetArraySize(users),
		 cJSON_IsString(users->child) ? users->child->valuestring : "?");
	if (rc != MX_OK)
		goto cleanup;
	all = cJSON_GetObjectItemCaseSensitive(resp, "device_keys");
	cJSON_ArrayForEach(u, users) {
		const cJSON *devs = cJSON_GetObjectItemCaseSensitive(all, u->valuestring), *dk;
		char *known_text = NULL, *text;
		cJSON *known = NULL, *list = cJSON_CreateObject();

		if (e2ee_get(e, "devices", u->valuestring, &known_text) == MX_OK)
			known = cJSON_Parse(known_text);
		cJSON_ArrayForEach(dk, devs)
			accept_device(e, u->valuestring, dk->string, dk, known, list);
		text = cJSON_PrintUnformatted(list);
		if (text && e2ee_put(e, "devices", u->valuestring, text) == MX_OK)
			e2ee_del(e, "devices_outdated", u->valuestring);
		free(text);
		free(known_text);
		cJSON_Delete(known);
		cJSON_Delete(list);
	}
cleanup:
	cJSON_Delete(body);
	cJSON_Delete(resp);
	return rc;
}

int e2ee_devices(mx_e2ee *e, const char *user_id, e2ee_device **out, size_t *n, mx_error *err)
{
	char *text = NULL, *outdated = NULL;
	cJSON *devs = NULL;
	const cJSON *d;
	e2ee_device *list = NULL;
	size_t count = 0;
	int rc = MX_OK;

	*out = NULL;
	*n = 0;
	if (e2ee_get(e, "devices", user_id, &text) != MX_OK ||
	    e2ee_get(e, "devices_outdated", user_id, &outdated) == MX_OK) {
		cJSON *one = cJSON_CreateArray();
		cJSON_AddItemToArray(one, cJSON_CreateString(user_id));
		rc = query_devices(e, one, err);
		cJSON_Delete(one);
		free(text);
		text = NULL;
		if (rc != MX_OK)
			goto cleanup;
		if (e2ee_get(e, "devices", user_id, &text) != MX_OK)
			goto cleanup;
	}
	devs = cJSON_Parse(text);
	list = calloc((size_t)cJSON_GetArraySize(devs) + 1, sizeof *list);
	if (!list) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	cJSON_ArrayForEach(d, devs) {
		e2ee_device *x = &list[count];
		if (!str_field(d, "curve25519") || !str_field(d, "ed25519"))
			continue;
		snprintf(x->user_id, sizeof x->user_id, "%s", user_id);
		snprintf(x->device_id, sizeof x->device_id, "%s", d->string);
		snprintf(x->curve25519, sizeof x->curve25519, "%s", str_field(d, "curve25519"));
		snprintf(x->ed25519, sizeof x->ed25519, "%s", str_field(d, "ed25519"));
		count++;
	}
	*out = list;
	*n = count;
	list = NULL;
cleanup:
	free(list);
	free(text);
	free(outdated);
	cJSON_Delete(devs);
	return rc;
}

/* ---- Olm sessions to devices ---- */

static int find_session(void *ctx, const char *key, const char *value)
{
	char **found = ctx;

	(void)key;
	*found = strdup(value);
	return 1;  /* any established session will do */
}

static int load_session(mx_e2ee *e, const char *their_curve, mx_olm_session **out)
{
	char *prefix = e2ee_key(their_curve, "", NULL), *pickle = NULL;
	mx_error err;
	int rc = MX_E2EE_NOT_FOUND;

	*out = NULL;
	if (!prefix)
		return MX_ERR_NOMEM;
	e->store.list(e->store.ctx, "olm", prefix, find_session, &pickle);
	if (pickle)
		rc = mx_olm_session_unpickle(out, pickle, e->pickle_key, &err);
	free(prefix);
	free(pickle);
	return rc;
}

/* Claims one-time keys for the devices in need (a JSON object
 * user -> device -> curve25519) and makes outbound sessions. Devices
 * without a usable key are skipped (logged). */
static int claim_chunk(mx_e2ee *e, const e2ee_device *devs, size_t n, mx_error *err)
{
	cJSON *body = cJSON_CreateObject(), *resp = NULL, *q;
	const cJSON *keys;
	size_t i;
	int rc, wanted = 0;

	if (!body)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	q = cJSON_AddObjectToObject(body, "one_time_keys");
	for (i = 0; i < n; i++) {
		mx_olm_session *s = NULL;
		cJSON *u;

		if (load_session(e, devs[i].curve25519, &s) == MX_OK) {
			mx_olm_session_free(s);
			continue;
		}
		u = cJSON_GetObjectItemCaseSensitive(q, devs[i].user_id);
		if (!u)
			u = cJSON_AddObjectToObject(q, devs[i].user_id);
		cJSON_AddStringToObject(u, devs[i].device_id, "signed_curve25519");
		wanted++;
	}
	rc = MX_OK;
	if (!wanted)
		goto cleanup;
	rc = request(e, "POST", "/_matrix/client/v3/keys/claim", body, &resp, err);
	if (rc != MX_OK)
		goto cleanup;
	keys = cJSON_GetObjectItemCaseSensitive(resp, "one_time_keys");
	for (i = 0; i < n; i++) {
		const cJSON *dk = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(keys, devs[i].user_id), devs[i].device_id);
		const cJSON *k = dk ? dk->child : NULL;
		mx_olm_session *s = NULL;
		char kid[192];
		mx_error serr;

		if (!k)
			continue;
		snprintf(kid, sizeof kid, "ed25519:%s", devs[i].device_id);
		if (!str_field(k, "key") || mx_json_verify(k, devs[i].user_id, kid, devs[i].ed25519, &serr) != MX_OK) {
			e2ee_log(e, 1, "one-time key of %s %s has a bad signature", devs[i].user_id, devs[i].device_id);
			continue;
		}
		if (mx_olm_session_new_outbound(&s, e->account, devs[i].curve25519, str_field(k, "key"), &serr) != MX_OK ||
		    e2ee_save_olm_session(e, devs[i].curve25519, s, &serr) != MX_OK)
			e2ee_log(e, 1, "no Olm session with %s %s: %s", devs[i].user_id, devs[i].device_id,
				 serr.message);
		mx_olm_session_free(s);
	}
cleanup:
	cJSON_Delete(body);
	cJSON_Delete(resp);
	return rc;
}

/* In chunks, so a large room does not make one huge request. */
static int claim_sessions(mx_e2ee *e, const e2ee_device *devs, size_t n, mx_error *err)
{
	size_t done;
	int rc = MX_OK;

	for (done = 0; done < n && rc == MX_OK; done += CLAIM_CHUNK)
		rc = claim_chunk(e, devs + done, n - done < CLAIM_CHUNK ? n - done : CLAIM_CHUNK, err);
	return rc;
}

/* Olm-encrypts an m.room_key for one device: the to-device content. */
static cJSON *room_key_message(mx_e2ee *e, const e2ee_device *d, const char *room_id,
			       const char *session_id, const char *session_key)
{
	cJSON *payload = cJSON_CreateObject(), *content, *out = NULL, *ct, *msg;
	mx_olm_session *s = NULL;
	char *text = NULL, *body = NULL;
	int type;
	mx_error err;

	if (!payload || load_session(e, d->curve25519, &s) != MX_OK)
		goto cleanup;
	cJSON_AddStringToObject(payload, "type", "m.room_key");
	content = cJSON_AddObjectToObject(payload, "content");
	cJSON_AddStringToObject(content, "algorithm", MX_MEGOLM_ALGORITHM);
	cJSON_AddStringToObject(content, "room_id", room_id);
	cJSON_AddStringToObject(content, "session_id", session_id);
	cJSON_AddStringToObject(content, "session_key", session_key);
	cJSON_AddStringToObject(payload, "sender", e->user_id);
	cJSON_AddStringToObject(payload, "sender_device", e->device_id);
	cJSON_AddItemToObject(payload, "keys", cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetObjectItem(payload, "keys"), "ed25519", e->ed25519);
	cJSON_AddStringToObject(payload, "recipient", d->user_id);
	cJSON_AddItemToObject(payload, "recipient_keys", cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetObjectItem(payload, "recipient_keys"), "ed25519", d->ed25519);
	text = cJSON_PrintUnformatted(payload);
	if (!text || mx_olm_session_encrypt(s, text, &type, &body, &err) != MX_OK ||
	    e2ee_save_olm_session(e, d->curve25519, s, &err) != MX_OK)
		goto cleanup;
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "algorithm", MX_OLM_ALGORITHM);
	cJSON_AddStringToObject(out, "sender_key", e->curve25519);
	ct = cJSON_AddObjectToObject(out, "ciphertext");
	msg = cJSON_AddObjectToObject(ct, d->curve25519);
	cJSON_AddNumberToObject(msg, "type", type);
	cJSON_AddStringToObject(msg, "body", body);
cleanup:
	if (text)
		explicit_bzero(text, strlen(text));
	free(text);
	free(body);
	cJSON_Delete(payload);
	mx_olm_session_free(s);
	return out;
}

static int send_to_device(mx_e2ee *e, cJSON *messages, mx_error *err)
{
	cJSON *body = cJSON_CreateObject(), *resp = NULL;
	char path[256];
	int rc;

	if (!body)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	cJSON_AddItemReferenceToObject(body, "messages", messages);
	/* Unique per process start and call; a retry inside mx_request keeps it. */
	snprintf(path, sizeof path, "/_matrix/client/v3/sendToDevice/m.room.encrypted/bb-%s-%lld-%lu",
		 e->device_id, now_ms(), ++e->txn_counter);
	rc = request(e, "PUT", path, body, &resp, err);
	cJSON_Delete(body);
	cJSON_Delete(resp);
	return rc;
}

/* Queries, in one request, the devices of every user in users whose
 * devices are not known or were marked outdated. Returns MX_OK or the
 * failure of query_devices. */
static int refresh_devices(mx_e2ee *e, const cJSON *users, mx_error *err)
{
	cJSON *outdated = cJSON_CreateArray();
	const cJSON *u;
	int rc = MX_OK;

	cJSON_ArrayForEach(u, users) {
		char *known = NULL, *stale = NULL;
		if (e2ee_get(e, "devices", u->valuestring, &known) != MX_OK ||
		    e2ee_get(e, "devices_outdated", u->valuestring, &stale) == MX_OK)
			cJSON_AddItemToArray(outdated, cJSON_CreateString(u->valuestring));
		free(known);
		free(stale);
	}
	if (cJSON_GetArraySize(outdated))
		rc = query_devices(e, outdated, err);
	cJSON_Delete(outdated);
	return rc;
}

/* Whether device d still needs session sid: it is not ours and has not
 * been sent it. */
static bool needs_key(mx_e2ee *e, const char *sid, const e2ee_device *d)
{
	char *key = NULL, *v = NULL;
	bool have;

	if (strcmp(d->user_id, e->user_id) == 0 && strcmp(d->device_id, e->device_id) == 0)
		return false;
	key = e2ee_key(sid, d->user_id, d->device_id);
	have = key && e2ee_get(e, "shared", key, &v) == MX_OK;
	free(key);
	free(v);
	return !have;
}

/* The devices of users that still need session sid: on MX_OK *out (the
 * caller's, free; NULL when none) holds *n_out of them. MX_ERR_NOMEM or
 * the failure of e2ee_devices; *out and *n_out then unchanged. */
static int devices_needing(mx_e2ee *e, const cJSON *users, const char *sid, e2ee_device **out, size_t *n_out,
			   mx_error *err)
{
	e2ee_device *all = NULL;
	size_t n_all = 0;
	const cJSON *u;
	int rc = MX_OK;

	cJSON_ArrayForEach(u, users) {
		e2ee_device *devs = NULL, *grown;
		size_t n = 0, j;

		if ((rc = e2ee_devices(e, u->valuestring, &devs, &n, err)) != MX_OK)
			goto cleanup;
		grown = realloc(all, (n_all + n + 1) * sizeof *all);
		if (!grown) {
			free(devs);
			rc = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
			goto cleanup;
		}
		all = grown;
		for (j = 0; j < n; j++)
			if (needs_key(e, sid, &devs[j]))
				all[n_all++] = devs[j];
		free(devs);
	}
	*out = all;
	*n_out = n_all;
	all = NULL;
cleanup:
	free(all);
	return rc;
}

/* Adds the m.room_key for device d to *messages (made when NULL), under
 * its user and device. Returns whether there was one to add (none
 * without an Olm session, which claiming logged). */
static bool add_key_message(mx_e2ee *e, cJSON **messages, const e2ee_device *d, const char *room_id,
			    const char *sid, const char *skey)
{
	cJSON *msg = room_key_message(e, d, room_id, sid, skey);
	cJSON *per_user;

	if (!msg)
		return false;
	if (!*messages)
		*messages = cJSON_CreateObject();
	per_user = cJSON_GetObjectItemCaseSensitive(*messages, d->user_id);
	if (!per_user)
		per_user = cJSON_AddObjectToObject(*messages, d->user_id);
	cJSON_AddItemToObject(per_user, d->device_id, msg);
	return true;
}

/* Sends one request of to-device messages, then records every device in
 * it as having session sid. Returns MX_OK or the failure of sending. */
static int send_chunk(mx_e2ee *e, cJSON *messages, const char *sid, mx_error *err)
{
	const cJSON *pu, *pd;
	int rc = send_to_device(e, messages, err);

	if (rc != MX_OK)
		return rc;
	cJSON_ArrayForEach(pu, messages) cJSON_ArrayForEach(pd, pu) {
		char *key = e2ee_key(sid, pu->string, pd->string);
		if (key)
			e2ee_put(e, "shared", key, "1");
		free(key);
		e->stats.sessions_shared++;
	}
	return MX_OK;
}

/* Shares session with every device of the room's members that does not
 * have it yet. */
static int share(mx_e2ee *e, const char *room_id, mx_megolm_out *s, mx_error *err)
{
	cJSON *users = NULL, *messages = NULL;
	e2ee_device *all = NULL;
	size_t n_all = 0, i, in_chunk = 0;
	char *sid = NULL, *skey = NULL;
	int rc;

	if ((rc = mx_megolm_out_id(s, &sid, err)) != MX_OK || (rc = mx_megolm_out_key(s, &skey, err)) != MX_OK ||
	    (rc = e2ee_room_members(e, room_id, &users, err)) != MX_OK ||
	    (rc = refresh_devices(e, users, err)) != MX_OK ||
	    (rc = devices_needing(e, users, sid, &all, &n_all, err)) != MX_OK ||
	    (rc = claim_sessions(e, all, n_all, err)) != MX_OK)
		goto cleanup;
	for (i = 0; i <= n_all && rc == MX_OK; i++) {
		if (i < n_all && add_key_message(e, &messages, &all[i], room_id, sid, skey))
			in_chunk++;
		if (messages && (in_chunk == TO_DEVICE_CHUNK || i == n_all)) {
			rc = send_chunk(e, messages, sid, err);
			cJSON_Delete(messages);
			messages = NULL;
			in_chunk = 0;
		}
	}
cleanup:
	if (skey)
		explicit_bzero(skey, strlen(skey));
	free(skey);
	free(sid);
	free(all);
	cJSON_Delete(users);
	cJSON_Delete(messages);
	return rc;
}

/* ---- outbound Megolm sessions ---- */

static void rotation_settings(mx_e2ee *e, const char *room_id, long long *ms, long *msgs)
{
	char *text = NULL;
	cJSON *s = NULL;
	const cJSON *v;

	*ms = DEFAULT_ROTATION_MS;
	*msgs = DEFAULT_ROTATION_MSGS;
	if (e2ee_get(e, "rooms", room_id, &text) == MX_OK)
		s = cJSON_Parse(text);
	v = cJSON_GetObjectItemCaseSensitive(s, "rotation_period_ms");
	if (cJSON_IsNumber(v) && v->valuedouble > 0)
		*ms = (long long)v->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(s, "rotation_period_msgs");
	if (cJSON_IsNumber(v) && v->valuedouble > 0)
		*msgs = (long)v->valuedouble;
	cJSON_Delete(s);
	free(text);
}

/* The room's current outbound session, new when none or due to rotate. */
static int outbound(mx_e2ee *e, const char *room_id, mx_megolm_out **out, long long *created,
		    mx_error *err)
{
	char *text = NULL;
	cJSON *rec = NULL;
	long long max_ms;
	long max_msgs;
	int rc;

	*out = NULL;
	rotation_settings(e, room_id, &max_ms, &max_msgs);
	if (e2ee_get(e, "megolm_out", room_id, &text) == MX_OK) {
		rec = cJSON_Parse(text);
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "created");
		if (str_field(rec, "pickle") && cJSON_IsNumber(c) &&
		    mx_megolm_out_unpickle(out, str_field(rec, "pickle"), e->pickle_key, err) == MX_OK) {
			*created = (long long)c->valuedouble;
			if ((long)mx_megolm_out_index(*out) < max_msgs && now_ms() - *created < max_ms)
				goto done;
			mx_megolm_out_free(*out);
			*out = NULL;
			e->stats.rotations++;
		}
	}
	rc = mx_megolm_out_new(out, err);
	if (rc != MX_OK)
		goto cleanup;
	*created = now_ms();
done:
	rc = MX_OK;
cleanup:
	cJSON_Delete(rec);
	free(text);
	return rc;
}

static int save_outbound(mx_e2ee *e, const char *room_id, mx_megolm_out *s, long long created,
			 mx_error *err)
{
	char *pickle = NULL, *text = NULL;
	cJSON *rec = cJSON_CreateObject();
	int rc = mx_megolm_out_pickle(s, e->pickle_key, &pickle, err);

	if (rc == MX_OK) {
		cJSON_AddStringToObject(rec, "pickle", pickle);
		cJSON_AddNumberToObject(rec, "created", (double)created);
		text = cJSON_PrintUnformatted(rec);
		if (!text || e2ee_put(e, "megolm_out", room_id, text) != MX_OK)
			rc = mx_error_set(err, MX_ERR_INVALID, "cannot save the room's outbound session");
	}
	free(pickle);
	free(text);
	cJSON_Delete(rec);
	return rc;
}

/* Our own messages must decrypt for us too (the bot reads its room). */
static int keep_inbound_copy(mx_e2ee *e, const char *room_id, mx_megolm_out *s, mx_error *err)
{
	char *sid = NULL, *skey = NULL, *key = NULL, *have = NULL;
	int rc = MX_OK;

	if ((rc = mx_megolm_out_id(s, &sid, err)) != MX_OK || (rc = mx_megolm_out_key(s, &skey, err)) != MX_OK)
		goto cleanup;
	key = e2ee_key(room_id, sid, NULL);
	if (key && e2ee_get(e, "megolm_in", key, &have) == MX_OK)
		goto cleanup;
	/* Reuse the receiving path, as if the key came from ourselves. */
	{
		mx_megolm_in *in = NULL;
		char *pickle = NULL, *text = NULL;
		cJSON *rec = cJSON_CreateObject();

		if ((rc = mx_megolm_in_new(&in, skey, err)) == MX_OK &&
		    (rc = mx_megolm_in_pickle(in, e->pickle_key, &pickle, err)) == MX_OK) {
			cJSON_AddStringToObject(rec, "pickle", pickle);
			cJSON_AddStringToObject(rec, "sender", e->user_id);
			cJSON_AddStringToObject(rec, "sender_key", e->curve25519);
			cJSON_AddStringToObject(rec, "ed25519", e->ed25519);
			text = cJSON_PrintUnformatted(rec);
			if (!text || e2ee_put(e, "megolm_in", key, text) != MX_OK)
				rc = mx_error_set(err, MX_ERR_INVALID, "cannot save a room key");
		}
		mx_megolm_in_free(in);
		free(pickle);
		free(text);
		cJSON_Delete(rec);
	}
cleanup:
	if (skey)
		explicit_bzero(skey, strlen(skey));
	free(skey);
	free(sid);
	free(key);
	free(have);
	return rc;
}

/* The room's outbound session, shared with every device of its members
 * that lacks it. On MX_OK *out is the caller's. */
static int shared_session(mx_e2ee *e, const char *room_id, mx_megolm_out **out, long long *created,
			  mx_error *err)
{
	int rc = outbound(e, room_id, out, created, err);

	/* Save the session before sharing so a crash cannot make us share
	 * one key and then encrypt with another. */
	if (rc == MX_OK && ((rc = save_outbound(e, room_id, *out, *created, err)) != MX_OK ||
			    (rc = keep_inbound_copy(e, room_id, *out, err)) != MX_OK ||
			    (rc = share(e, room_id, *out, err)) != MX_OK)) {
		mx_megolm_out_free(*out);
		*out = NULL;
	}
	return rc;
}

bool mx_e2ee_share_pending(const mx_e2ee *e)
{
	return e->n_pending > 0;
}

int mx_e2ee_share_ahead(mx_e2ee *e, size_t max_rooms, mx_error *err)
{
	int rc = MX_OK;

	for (; e->n_pending > 0 && max_rooms > 0 && rc == MX_OK; max_rooms--) {
		char *room_id = e->pending[e->n_pending - 1];
		mx_megolm_out *s = NULL;
		long long created = 0;
		unsigned long before = e->stats.sessions_shared;

		if (mx_e2ee_room_encrypted(e, room_id)) {
			rc = shared_session(e, room_id, &s, &created, err);
			mx_megolm_out_free(s);
			if (rc != MX_OK)
				break;
			if (e->stats.sessions_shared != before) {
				e->stats.shared_ahead++;
				e2ee_log(e, 3, "room key of %s shared ahead with %lu device(s)", room_id,
					 e->stats.sessions_shared - before);
			}
		}
		e->n_pending--;
		free(room_id);
	}
	return rc;
}

int mx_e2ee_encrypt(mx_e2ee *e, const char *room_id, const char *event_type,
		    const cJSON *content, cJSON **out, mx_error *err)
{
	mx_megolm_out *s = NULL;
	cJSON *plain = NULL, *res = NULL;
	const cJSON *rel;
	char *text = NULL, *ct = NULL, *sid = NULL;
	long long created = 0;
	int rc;

	*out = NULL;
	if ((rc = shared_session(e, room_id, &s, &created, err)) != MX_OK)
		goto cleanup;
	plain = cJSON_CreateObject();
	cJSON_AddStringToObject(plain, "type", event_type);
	cJSON_AddItemToObject(plain, "content", cJSON_Duplicate(content, 1));
	cJSON_AddStringToObject(plain, "room_id", room_id);
	text = cJSON_PrintUnformatted(plain);
	if (!text) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = mx_megolm_out_encrypt(s, text, &ct, err)) != MX_OK ||
	    (rc = save_outbound(e, room_id, s, created, err)) != MX_OK ||
	    (rc = mx_megolm_out_id(s, &sid, err)) != MX_OK)
		goto cleanup;
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "algorithm", MX_MEGOLM_ALGORITHM);
	cJSON_AddStringToObject(res, "sender_key", e->curve25519);
	cJSON_AddStringToObject(res, "ciphertext", ct);
	cJSON_AddStringToObject(res, "session_id", sid);
	cJSON_AddStringToObject(res, "device_id", e->device_id);
	rel = cJSON_GetObjectItemCaseSensitive(content, "m.relates_to");
	if (rel)
		cJSON_AddItemToObject(res, "m.relates_to", cJSON_Duplicate(rel, 1));
	*out = res;
	res = NULL;
cleanup:
	if (text)
		explicit_bzero(text, strlen(text));
	free(text);
	free(ct);
	free(sid);
	cJSON_Delete(plain);
	cJSON_Delete(res);
	mx_megolm_out_free(s);
	return rc;
}

/* ---- cross-signing ---- */

#define RECOVERY_PREFIX "bbrk1-"
static const char *const xsign_names[3] = { "master", "self_signing", "user_signing" };
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Unpadded standard base64 of n bytes into out (room for 4n/3+4). */
static void b64_encode(const uint8_t *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
	}
	out[o] = '\0';
}

/* Decodes exactly n bytes from unpadded base64; -1 when malformed. */
static int b64_decode(const char *in, uint8_t *out, size_t n)
{
	uint32_t v = 0;
	size_t o = 0;
	int bits = 0;

	for (; *in && *in != '='; in++) {
		const char *p = strchr(b64, *in);
		if (!p || !*in)
			return -1;
		v = v << 6 | (uint32_t)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == n)
				return -1;
			out[o++] = (uint8_t)(v >> bits);
		}
	}
	return o == n ? 0 : -1;
}

int mx_e2ee_recovery_key(mx_e2ee *e, char **out, mx_error *err)
{
	uint8_t seeds[3 * MX_OLM_PK_SEED_LEN];
	char *flag = NULL, *sealed = NULL, *text = NULL;
	size_t i;
	int rc = MX_OK;

	*out = NULL;
	if (e2ee_get(e, "xsign", "recovery_printed", &flag) == MX_OK) {
		free(flag);
		return mx_error_set(err, MX_ERR_INVALID, "the recovery key was printed before; "
				    "it is shown only once");
	}
	for (i = 0; i < 3 && rc == MX_OK; i++) {
		if (e2ee_get(e, "xsign", xsign_names[i], &sealed) != MX_OK)
			rc = mx_error_set(err, MX_ERR_INVALID, "no cross-signing keys yet: start the bot once first");
		else
			rc = mx_olm_unseal(e->pickle_key, sealed, seeds + i * MX_OLM_PK_SEED_LEN, err);
		free(sealed);
		sealed = NULL;
	}
	if (rc == MX_OK) {
		text = malloc(sizeof RECOVERY_PREFIX + sizeof seeds * 4 / 3 + 4);
		if (!text) {
			rc = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		} else {
			memcpy(text, RECOVERY_PREFIX, sizeof RECOVERY_PREFIX);
			b64_encode(seeds, sizeof seeds, text + strlen(RECOVERY_PREFIX));
			if (e2ee_put(e, "xsign", "recovery_printed", "1") != MX_OK) {
				rc = mx_error_set(err, MX_ERR_INVALID, "cannot record that the key was shown");
				explicit_bzero(text, strlen(text));
				free(text);
			} else {
				*out = text;
			}
		}
	}
	explicit_bzero(seeds, sizeof seeds);
	return rc;
}

/* The seed of cross-signing key `which` (0..2) from the operator's
 * recovery key, or -1 when none was given or it is malformed. */
static int seed_from_recovery(mx_e2ee *e, int which, uint8_t seed[MX_OLM_PK_SEED_LEN])
{
	uint8_t all[3 * MX_OLM_PK_SEED_LEN];
	size_t plen = strlen(RECOVERY_PREFIX);
	int rc = -1;

	if (e->recovery_key && strncmp(e->recovery_key, RECOVERY_PREFIX, plen) == 0 &&
	    b64_decode(e->recovery_key + plen, all, sizeof all) == 0) {
		memcpy(seed, all + which * MX_OLM_PK_SEED_LEN, MX_OLM_PK_SEED_LEN);
		rc = 0;
	} else if (e->recovery_key) {
		e2ee_log(e, 0, "the recovery key given is not one buurtbot printed; making new keys");
	}
	explicit_bzero(all, sizeof all);
	return rc;
}

static int sign_pk(void *ctx, const char *msg, size_t len, char **out, mx_error *err)
{
	return mx_olm_pk_sign(ctx, msg, len, out, err);
}

/* Loads, restores or makes the seed of cross-signing key `which`. */
static int xsign_key(mx_e2ee *e, int which, mx_olm_pk_signing **out, int *made, mx_error *err)
{
	const char *name = xsign_names[which];
	uint8_t seed[MX_OLM_PK_SEED_LEN];
	char *sealed = NULL;
	int rc;

	if (e2ee_get(e, "xsign", name, &sealed) == MX_OK) {
		rc = mx_olm_unseal(e->pickle_key, sealed, seed, err);
	} else {
		*made = 1;
		rc = seed_from_recovery(e, which, seed) == 0 ? MX_OK : mx_olm_random(seed, sizeof seed, err);
		if (rc == MX_OK)
			rc = mx_olm_seal(e->pickle_key, seed, &sealed, err);
		if (rc == MX_OK && e2ee_put(e, "xsign", name, sealed) != MX_OK)
			rc = mx_error_set(err, MX_ERR_INVALID, "cannot save a cross-signing key");
	}
	if (rc == MX_OK)
		rc = mx_olm_pk_signing_new(out, seed, err);
	explicit_bzero(seed, sizeof seed);
	free(sealed);
	return rc;
}

static cJSON *xsign_obj(mx_e2ee *e, const char *usage, const char *pub)
{
	cJSON *o = cJSON_CreateObject(), *keys;
	char kid[128];

	cJSON_AddStringToObject(o, "user_id", e->user_id);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "usage"), cJSON_CreateString(usage));
	keys = cJSON_AddObjectToObject(o, "keys");
	snprintf(kid, sizeof kid, "ed25519:%s", pub);
	cJSON_AddStringToObject(keys, kid, pub);
	return o;
}

/* POST with user-interactive auth by password when the server asks. */
static int post_with_uia(mx_e2ee *e, const char *path, cJSON *body, mx_error *err)
{
	cJSON *resp = NULL, *auth, *id;
	int rc = mx_request(e->client, "POST", path, body, 0, &resp);
	const mx_error *last;

	if (rc == MX_OK)
		goto done;
	last = mx_client_last_error(e->client);
	if (last->http_status != 401 || !e->password) {
		if (err)
			*err = *last;
		goto done;
	}
	/* The 401 body carries the UIA session; mx_request keeps only the
	 * error text, so ask again for the flows and session. */
	auth = cJSON_AddObjectToObject(body, "auth");
	cJSON_AddStringToObject(auth, "type", "m.login.password");
	id = cJSON_AddObjectToObject(auth, "identifier");
	cJSON_AddStringToObject(id, "type", "m.id.user");
	cJSON_AddStringToObject(id, "user", e->user_id);
	cJSON_AddStringToObject(auth, "password", e->password);
	rc = mx_request(e->client, "POST", path, body, 0, &resp);
	if (rc != MX_OK && err)
		*err = *mx_client_last_error(e->client);
	cJSON_DeleteItemFromObject(body, "auth");
done:
	cJSON_Delete(resp);
	return rc;
}

int e2ee_cross_sign(mx_e2ee *e, mx_error *err)
{
	mx_olm_pk_signing *master = NULL, *self = NULL, *usr = NULL;
	cJSON *body = NULL, *mk = NULL, *sk = NULL, *uk = NULL, *sigs = NULL, *dk = NULL;
	char *done_flag = NULL, kid[128];
	int made = 0, rc;

	if (e2ee_get(e, "xsign", "uploaded", &done_flag) == MX_OK) {
		free(done_flag);
		return MX_OK;
	}
	if ((rc = xsign_key(e, 0, &master, &made, err)) != MX_OK ||
	    (rc = xsign_key(e, 1, &self, &made, err)) != MX_OK ||
	    (rc = xsign_key(e, 2, &usr, &made, err)) != MX_OK)
		goto cleanup;
	mk = xsign_obj(e, "master", mx_olm_pk_signing_public(master));
	sk = xsign_obj(e, "self_signing", mx_olm_pk_signing_public(self));
	uk = xsign_obj(e, "user_signing", mx_olm_pk_signing_public(usr));
	snprintf(kid, sizeof kid, "ed25519:%s", mx_olm_pk_signing_public(master));
	if ((rc = mx_json_sign(sk, e->user_id, kid, sign_pk, master, err)) != MX_OK ||
	    (rc = mx_json_sign(uk, e->user_id, kid, sign_pk, master, err)) != MX_OK)
		goto cleanup;
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "master_key", mk);
	cJSON_AddItemToObject(body, "self_signing_key", sk);
	cJSON_AddItemToObject(body, "user_signing_key", uk);
	mk = sk = uk = NULL;
	rc = post_with_uia(e, "/_matrix/client/v3/keys/device_signing/upload", body, err);
	if (rc != MX_OK) {
		e2ee_log(e, 1, "cross-signing keys not uploaded (%s); clients may treat the bot's device "
			 "as unverified", err ? err->message : "");
		rc = MX_OK;  /* encryption works without; try again next start */
		goto cleanup;
	}
	/* The self-signing key signs our device. */
	dk = e2ee_device_keys(e, err);
	if (!dk) {
		rc = MX_ERR_INVALID;
		goto cleanup;
	}
	snprintf(kid, sizeof kid, "ed25519:%s", mx_olm_pk_signing_public(self));
	if ((rc = mx_json_sign(dk, e->user_id, kid, sign_pk, self, err)) != MX_OK)
		goto cleanup;
	sigs = cJSON_CreateObject();
	cJSON_AddItemToObject(cJSON_AddObjectToObject(sigs, e->user_id), e->device_id, dk);
	dk = NULL;
	rc = request(e, "POST", "/_matrix/client/v3/keys/signatures/upload", sigs, NULL, err);
	if (rc == MX_OK) {
		e2ee_put(e, "xsign", "uploaded", "1");
		e2ee_log(e, 2, "cross-signing set up; the bot's device is signed by its master key %s",
			 mx_olm_pk_signing_public(master));
	}
cleanup:
	(void)made;  /* new keys or restored ones: uploaded the same way */
	mx_olm_pk_signing_free(master);
	mx_olm_pk_signing_free(self);
	mx_olm_pk_signing_free(usr);
	cJSON_Delete(body);
	cJSON_Delete(mk);
	cJSON_Delete(sk);
	cJSON_Delete(uk);
	cJSON_Delete(sigs);
	cJSON_Delete(dk);
	return rc;
}
