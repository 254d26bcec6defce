/* mx_e2ee.c: the device's identity and everything that comes in: key
 * uploads, Olm-encrypted to-device messages carrying room keys, and the
 * decryption of room events with replay protection. Sharing and
 * encrypting live in mx_e2ee_share.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mx_canonical.h"
#include "mx_e2ee_int.h"

/* Keep about half of libolm's 100 one-time keys on the server. */
#define OTK_TARGET 50

void e2ee_log(mx_e2ee *e, int level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!e->log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	e->log(e->log_userdata, level, buf);
}

char *e2ee_key(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + (b ? strlen(b) + 1 : 0) + (c ? strlen(c) + 1 : 0) + 1;
	char *k = malloc(n);

	if (!k)
		return NULL;
	snprintf(k, n, "%s%s%s%s%s", a, b ? "|" : "", b ? b : "", c ? "|" : "", c ? c : "");
	return k;
}

int e2ee_get(mx_e2ee *e, const char *ns, const char *key, char **out)
{
	*out = NULL;
	return e->store.get(e->store.ctx, ns, key, out);
}

int e2ee_put(mx_e2ee *e, const char *ns, const char *key, const char *value)
{
	return e->store.put(e->store.ctx, ns, key, value);
}

int e2ee_del(mx_e2ee *e, const char *ns, const char *key)
{
	return e->store.del(e->store.ctx, ns, key);
}

int e2ee_save_account(mx_e2ee *e, mx_error *err)
{
	char *pickle = NULL;
	int rc = mx_olm_account_pickle(e->account, e->pickle_key, &pickle, err);

	if (rc != MX_OK)
		return rc;
	if (e2ee_put(e, "account", "pickle", pickle) != MX_OK)
		rc = mx_error_set(err, MX_ERR_INVALID, "cannot save the encryption account in the store");
	free(pickle);
	return rc;
}

int e2ee_save_olm_session(mx_e2ee *e, const char *their_curve, mx_olm_session *s, mx_error *err)
{
	char *id = NULL, *pickle = NULL, *key = NULL;
	int rc;

	rc = mx_olm_session_id(s, &id, err);
	if (rc == MX_OK)
		rc = mx_olm_session_pickle(s, e->pickle_key, &pickle, err);
	if (rc == MX_OK) {
		key = e2ee_key(their_curve, id, NULL);
		if (!key || e2ee_put(e, "olm", key, pickle) != MX_OK)
			rc = mx_error_set(err, MX_ERR_INVALID, "cannot save an Olm session");
	}
	free(id);
	free(pickle);
	free(key);
	return rc;
}

static const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- opening: the account ---- */

/* e->account from the store, after checking the store is this device's,
 * or a new account saved there when the store has none. Returns MX_OK or
 * MX_ERR_INVALID (another device's store, a wrong pickle key, a store
 * that cannot be read or written) or the failure of mx_olm; e->account
 * is then unset or the caller frees it with e. */
static int load_account(mx_e2ee *e, mx_error *err)
{
	char *pickle = NULL, *owner = NULL;
	int rc;

	rc = e2ee_get(e, "account", "device_id", &owner);
	if (rc == MX_OK && strcmp(owner, e->device_id) != 0) {
		rc = mx_error_set(err, MX_ERR_INVALID,
				  "the encryption keys in the store belong to device %s, but the bot is "
				  "logged in as device %s; restore the matching store", owner, e->device_id);
		goto cleanup;
	}
	rc = e2ee_get(e, "account", "pickle", &pickle);
	if (rc == MX_OK) {
		rc = mx_olm_account_unpickle(&e->account, pickle, e->pickle_key, err);
		if (rc == MX_ERR_INVALID)
			mx_error_set(err, MX_ERR_INVALID,
				     "the pickle key does not open the encryption keys in the store "
				     "(wrong BUURTBOT_PICKLE_KEY / pickle_key_file?)");
	} else if (rc == MX_E2EE_NOT_FOUND) {
		rc = mx_olm_account_new(&e->account, err);
		if (rc == MX_OK)
			rc = e2ee_save_account(e, err);
		if (rc == MX_OK && e2ee_put(e, "account", "device_id", e->device_id) != MX_OK)
			rc = mx_error_set(err, MX_ERR_INVALID, "cannot save the encryption account");
		if (rc == MX_OK)
			e2ee_log(e, 2, "created new encryption keys for device %s", e->device_id);
	} else {
		rc = mx_error_set(err, MX_ERR_INVALID, "cannot read the encryption account from the store");
	}
cleanup:
	if (pickle)
		explicit_bzero(pickle, strlen(pickle));
	free(pickle);
	free(owner);
	return rc;
}

int mx_e2ee_open(mx_e2ee **out, const mx_e2ee_options *o, mx_error *err)
{
	mx_e2ee *e = NULL;
	int rc = MX_ERR_NOMEM;

	*out = NULL;
	if (!o->user_id || !o->device_id || !o->pickle_key || !o->pickle_key[0] || !o->client)
		return mx_error_set(err, MX_ERR_INVALID, "encryption needs a user, a device and a pickle key");
	e = calloc(1, sizeof *e);
	if (!e)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	e->user_id = strdup(o->user_id);
	e->device_id = strdup(o->device_id);
	e->pickle_key = strdup(o->pickle_key);
	e->password = o->password ? strdup(o->password) : NULL;
	e->recovery_key = o->recovery_key ? strdup(o->recovery_key) : NULL;
	e->client = o->client;
	e->store = o->store;
	e->log = o->log;
	e->log_userdata = o->log_userdata;
	if (!e->user_id || !e->device_id || !e->pickle_key || (o->password && !e->password)) {
		mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	rc = load_account(e, err);
	if (rc != MX_OK)
		goto cleanup;
	rc = mx_olm_account_identity(e->account, e->curve25519, e->ed25519, err);
	if (rc != MX_OK)
		goto cleanup;
	*out = e;
	e = NULL;
cleanup:
	mx_e2ee_free(e);
	return rc;
}

void mx_e2ee_free(mx_e2ee *e)
{
	if (!e)
		return;
	mx_olm_account_free(e->account);
	while (e->n_pending)
		free(e->pending[--e->n_pending]);
	free(e->pending);
	if (e->pickle_key)
		explicit_bzero(e->pickle_key, strlen(e->pickle_key));
	if (e->password)
		explicit_bzero(e->password, strlen(e->password));
	if (e->recovery_key)
		explicit_bzero(e->recovery_key, strlen(e->recovery_key));
	free(e->recovery_key);
	free(e->pickle_key);
	free(e->password);
	free(e->user_id);
	free(e->device_id);
	free(e);
}

const mx_e2ee_stats *mx_e2ee_get_stats(const mx_e2ee *e)
{
	return &e->stats;
}

const char *mx_e2ee_curve25519(const mx_e2ee *e)
{
	return e->curve25519;
}

const char *mx_e2ee_ed25519(const mx_e2ee *e)
{
	return e->ed25519;
}

/* ---- uploading keys ---- */

static int sign_with_account(void *ctx, const char *msg, size_t len, char **out, mx_error *err)
{
	return mx_olm_account_sign(((mx_e2ee *)ctx)->account, msg, len, out, err);
}

cJSON *e2ee_device_keys(mx_e2ee *e, mx_error *err)
{
	cJSON *dk = cJSON_CreateObject(), *algs, *keys;
	char kid[160];

	if (!dk)
		return NULL;
	cJSON_AddStringToObject(dk, "user_id", e->user_id);
	cJSON_AddStringToObject(dk, "device_id", e->device_id);
	algs = cJSON_AddArrayToObject(dk, "algorithms");
	cJSON_AddItemToArray(algs, cJSON_CreateString(MX_OLM_ALGORITHM));
	cJSON_AddItemToArray(algs, cJSON_CreateString(MX_MEGOLM_ALGORITHM));
	keys = cJSON_AddObjectToObject(dk, "keys");
	snprintf(kid, sizeof kid, "curve25519:%s", e->device_id);
	cJSON_AddStringToObject(keys, kid, e->curve25519);
	snprintf(kid, sizeof kid, "ed25519:%s", e->device_id);
	cJSON_AddStringToObject(keys, kid, e->ed25519);
	if (mx_json_sign(dk, e->user_id, kid, sign_with_account, e, err) != MX_OK) {
		cJSON_Delete(dk);
		return NULL;
	}
	return dk;
}

/* Moves unpublished keys of `which` ({"curve25519": {id: key}}) into
 * target as signed_curve25519:<id> objects, signed. */
static int add_signed_keys(mx_e2ee *e, cJSON *target, const cJSON *which, int fallback,
			   mx_error *err)
{
	const cJSON *curve = cJSON_GetObjectItemCaseSensitive(which, "curve25519"), *k;
	char kid[160], sid[160];

	snprintf(sid, sizeof sid, "ed25519:%s", e->device_id);
	cJSON_ArrayForEach(k, curve) {
		cJSON *obj = cJSON_CreateObject();

		if (!obj || !cJSON_IsString(k))
			goto bad;
		cJSON_AddStringToObject(obj, "key", k->valuestring);
		if (fallback)
			cJSON_AddBoolToObject(obj, "fallback", 1);
		if (mx_json_sign(obj, e->user_id, sid, sign_with_account, e, err) != MX_OK) {
			cJSON_Delete(obj);
			return err ? err->status : MX_ERR_INVALID;
		}
		snprintf(kid, sizeof kid, "signed_curve25519:%s", k->string);
		cJSON_AddItemToObject(target, kid, obj);
		continue;
bad:
		cJSON_Delete(obj);
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	}
	return MX_OK;
}

/* Uploads the given parts; marks keys published only after the server
 * accepted them. *out_count gets the server's signed_curve25519 count. */
static int upload(mx_e2ee *e, int with_device_keys, size_t new_otks, int new_fallback,
		  long *out_count, mx_error *err)
{
	cJSON *body = cJSON_CreateObject(), *resp = NULL, *otks = NULL, *fb = NULL;
	cJSON *dk = NULL, *otk_obj, *fb_obj;
	const cJSON *counts, *n;
	int rc = MX_ERR_NOMEM;

	if (!body)
		goto cleanup;
	if (new_otks && (rc = mx_olm_account_generate_one_time_keys(e->account, new_otks, err)) != MX_OK)
		goto cleanup;
	if (new_fallback && (rc = mx_olm_account_generate_fallback_key(e->account, err)) != MX_OK)
		goto cleanup;
	/* Save before uploading: keys the server may hold must never be lost. */
	if ((rc = e2ee_save_account(e, err)) != MX_OK)
		goto cleanup;
	if (with_device_keys) {
		dk = e2ee_device_keys(e, err);
		if (!dk) {
			rc = MX_ERR_INVALID;
			goto cleanup;
		}
		cJSON_AddItemToObject(body, "device_keys", dk);
	}
	if ((rc = mx_olm_account_one_time_keys(e->account, &otks, err)) != MX_OK ||
	    (rc = mx_olm_account_fallback_key(e->account, &fb, err)) != MX_OK)
		goto cleanup;
	otk_obj = cJSON_AddObjectToObject(body, "one_time_keys");
	fb_obj = cJSON_AddObjectToObject(body, "fallback_keys");
	if ((rc = add_signed_keys(e, otk_obj, otks, 0, err)) != MX_OK ||
	    (rc = add_signed_keys(e, fb_obj, fb, 1, err)) != MX_OK)
		goto cleanup;
	if (cJSON_GetArraySize(fb_obj) == 0)
		cJSON_DeleteItemFromObject(body, "fallback_keys");
	rc = mx_request(e->client, "POST", "/_matrix/client/v3/keys/upload", body, 0, &resp);
	if (rc != MX_OK) {
		if (err)
			*err = *mx_client_last_error(e->client);
		goto cleanup;
	}
	mx_olm_account_mark_published(e->account);
	rc = e2ee_save_account(e, err);
	counts = cJSON_GetObjectItemCaseSensitive(resp, "one_time_key_counts");
	n = cJSON_GetObjectItemCaseSensitive(counts, "signed_curve25519");
	if (out_count)
		*out_count = cJSON_IsNumber(n) ? (long)n->valuedouble : 0;
cleanup:
	cJSON_Delete(body);
	cJSON_Delete(resp);
	cJSON_Delete(otks);
	cJSON_Delete(fb);
	return rc;
}

/* Tops the server's one-time keys up to OTK_TARGET. */
static int top_up(mx_e2ee *e, long on_server, mx_error *err)
{
	size_t max = mx_olm_account_max_one_time_keys(e->account) / 2;
	long want = OTK_TARGET - on_server;

	if (want <= 0)
		return MX_OK;
	if ((size_t)want > max)
		want = (long)max;
	e2ee_log(e, 3, "uploading %ld one-time keys (server has %ld)", want, on_server);
	return upload(e, 0, (size_t)want, 0, NULL, err);
}

/* What the server holds for our device must be our keys. */
static int check_server_keys(mx_e2ee *e, mx_error *err)
{
	cJSON *body = cJSON_CreateObject(), *resp = NULL, *q, *list;
	const cJSON *dev, *keys;
	char kid[160];
	const char *curve, *ed;
	int rc = MX_ERR_NOMEM;

	if (!body)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	q = cJSON_AddObjectToObject(body, "device_keys");
	list = cJSON_AddArrayToObject(q, e->user_id);
	cJSON_AddItemToArray(list, cJSON_CreateString(e->device_id));
	rc = mx_request(e->client, "POST", "/_matrix/client/v3/keys/query", body, 0, &resp);
	if (rc != MX_OK) {
		if (err)
			*err = *mx_client_last_error(e->client);
		goto cleanup;
	}
	dev = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(resp, "device_keys"), e->user_id),
		e->device_id);
	if (!dev) {
		rc = MX_E2EE_NOT_FOUND;  /* not uploaded yet */
		goto cleanup;
	}
	keys = cJSON_GetObjectItemCaseSensitive(dev, "keys");
	snprintf(kid, sizeof kid, "curve25519:%s", e->device_id);
	curve = str_field(keys, kid);
	snprintf(kid, sizeof kid, "ed25519:%s", e->device_id);
	ed = str_field(keys, kid);
	if (!curve || !ed || strcmp(curve, e->curve25519) != 0 || strcmp(ed, e->ed25519) != 0) {
		rc = mx_error_set(err, MX_ERR_INVALID,
				  "the homeserver holds other encryption keys for device %s than this store: "
				  "the store was lost or replaced. Restore it, or log the bot in as a new device "
				  "(remove access_token and device_id from the store)", e->device_id);
		goto cleanup;
	}
	rc = MX_OK;
cleanup:
	cJSON_Delete(body);
	cJSON_Delete(resp);
	return rc;
}

int mx_e2ee_start(mx_e2ee *e, mx_error *err)
{
	long count = 0;
	int rc = check_server_keys(e, err);

	if (rc == MX_E2EE_NOT_FOUND) {
		e2ee_log(e, 2, "uploading device keys for %s", e->device_id);
		rc = upload(e, 1, OTK_TARGET, 1, &count, err);
	} else if (rc == MX_OK) {
		/* An empty upload reports how many one-time keys the server has. */
		rc = upload(e, 0, 0, 0, &count, err);
		if (rc == MX_OK)
			rc = top_up(e, count, err);
	}
	if (rc == MX_OK)
		rc = e2ee_cross_sign(e, err);
	return rc;
}

/* ---- receiving: Olm to-device messages ---- */

typedef struct olm_try {
	mx_e2ee *e;
	const char *their_curve;
	int type;
	const char *body;
	char *plain;
	mx_olm_session *session;
	int rc;
} olm_try;

static int try_session(void *ctx, const char *key, const char *value)
{
	olm_try *t = ctx;
	mx_olm_session *s = NULL;
	mx_error err;

	(void)key;
	if (mx_olm_session_unpickle(&s, value, t->e->pickle_key, &err) != MX_OK)
		return 0;
	if (t->type == MX_OLM_PRE_KEY && mx_olm_session_matches_inbound(s, t->their_curve, t->body) != 1) {
		mx_olm_session_free(s);
		return 0;
	}
	if (mx_olm_session_decrypt(s, t->type, t->body, &t->plain, &err) == MX_OK) {
		t->session = s;
		return 1;
	}
	mx_olm_session_free(s);
	return 0;
}

/* Decrypts an Olm message from their_curve. *out_plain is NUL-terminated. */
static int olm_decrypt(mx_e2ee *e, const char *their_curve, int type, const char *body,
		       char **out_plain, mx_error *err)
{
	olm_try t = { e, their_curve, type, body, NULL, NULL, 0 };
	char *prefix = e2ee_key(their_curve, "", NULL);
	int rc;

	if (!prefix)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	e->store.list(e->store.ctx, "olm", prefix, try_session, &t);
	free(prefix);
	if (!t.session && type == MX_OLM_PRE_KEY) {
		/* A new session: only from a pre-key message. */
		rc = mx_olm_session_new_inbound(&t.session, e->account, their_curve, body, err);
		if (rc != MX_OK)
			return rc;
		rc = mx_olm_session_decrypt(t.session, type, body, &t.plain, err);
		if (rc != MX_OK) {
			mx_olm_session_free(t.session);
			return rc;
		}
		/* The session is saved before the one-time key is spent: killed
		 * in between, the redelivered message still finds its session. */
		rc = e2ee_save_olm_session(e, their_curve, t.session, err);
		if (rc == MX_OK)
			rc = mx_olm_account_remove_one_time_keys(e->account, t.session, err);
		if (rc == MX_OK)
			rc = e2ee_save_account(e, err);
		if (rc != MX_OK) {
			mx_olm_session_free(t.session);
			free(t.plain);
			return rc;
		}
	}
	if (!t.session)
		return mx_error_set(err, MX_ERR_INVALID, "no Olm session decrypts this message");
	rc = e2ee_save_olm_session(e, their_curve, t.session, err);
	mx_olm_session_free(t.session);
	if (rc != MX_OK) {
		free(t.plain);
		return rc;
	}
	*out_plain = t.plain;
	return MX_OK;
}

/* Stores an m.room_key (or forwarded key) as an inbound group session. */
static int store_room_key(mx_e2ee *e, const char *sender, const char *sender_curve,
			  const char *sender_ed, const cJSON *content, int forwarded, mx_error *err)
{
	const char *alg = str_field(content, "algorithm"), *room = str_field(content, "room_id");
	const char *sid = str_field(content, "session_id"), *skey = str_field(content, "session_key");
	mx_megolm_in *in = NULL;
	char *id = NULL, *pickle = NULL, *key = NULL, *old = NULL, *text = NULL;
	cJSON *rec = NULL;
	int rc;

	if (!alg || strcmp(alg, MX_MEGOLM_ALGORITHM) != 0 || !room || !sid || !skey)
		return mx_error_set(err, MX_ERR_INVALID, "room key with missing fields");
	rc = forwarded ? mx_megolm_in_import(&in, skey, err) : mx_megolm_in_new(&in, skey, err);
	if (rc != MX_OK)
		return rc;
	rc = mx_megolm_in_id(in, &id, err);
	if (rc != MX_OK)
		goto cleanup;
	if (strcmp(id, sid) != 0) {
		rc = mx_error_set(err, MX_ERR_INVALID, "room key session id does not match its key");
		goto cleanup;
	}
	key = e2ee_key(room, sid, NULL);
	if (!key) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	/* Keep what we have: a second copy must not replace a session that
	 * already decrypts earlier messages. */
	if (e2ee_get(e, "megolm_in", key, &old) == MX_OK) {
		rc = MX_OK;
		goto cleanup;
	}
	rc = mx_megolm_in_pickle(in, e->pickle_key, &pickle, err);
	if (rc != MX_OK)
		goto cleanup;
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "pickle", pickle);
	cJSON_AddStringToObject(rec, "sender", sender);
	cJSON_AddStringToObject(rec, "sender_key", sender_curve);
	cJSON_AddStringToObject(rec, "ed25519", sender_ed ? sender_ed : "");
	cJSON_AddBoolToObject(rec, "forwarded", forwarded);
	text = cJSON_PrintUnformatted(rec);
	if (!text || e2ee_put(e, "megolm_in", key, text) != MX_OK) {
		rc = mx_error_set(err, MX_ERR_INVALID, "cannot save a room key");
		goto cleanup;
	}
	e->stats.room_keys_received++;
	e2ee_log(e, 3, "room key %s for %s from %s", sid, room, sender);
cleanup:
	mx_megolm_in_free(in);
	free(id);
	free(pickle);
	free(key);
	free(old);
	free(text);
	cJSON_Delete(rec);
	return rc;
}

/* MX_OK when the sender's device with curve key `curve` published
 * ed25519 key `ed` (or is not known: a device we cannot look up yet is
 * not proof of forgery; its keys are recorded as claimed). */
static int check_sender_device(mx_e2ee *e, const char *sender, const char *curve,
			       const char *ed, mx_error *err)
{
	e2ee_device *devs = NULL;
	size_t n = 0, i;
	int rc = MX_OK;

	if (!ed)
		return mx_error_set(err, MX_ERR_INVALID, "Olm message from %s names no signing key", sender);
	if (e2ee_devices(e, sender, &devs, &n, err) != MX_OK)
		return MX_OK;  /* homeserver unreachable: decided when queried */
	for (i = 0; i < n; i++)
		if (strcmp(devs[i].curve25519, curve) == 0 && strcmp(devs[i].ed25519, ed) != 0)
			rc = mx_error_set(err, MX_ERR_INVALID,
					  "Olm message from %s claims a signing key its device does not have",
					  sender);
	free(devs);
	return rc;
}

int e2ee_olm_plaintext(mx_e2ee *e, const mx_event *ev, const char *sender_curve, const char *text,
		       mx_error *err)
{
	const char *ptype, *psender, *precipient, *ped;
	cJSON *plain = cJSON_Parse(text);
	int rc = MX_OK;

	ptype = str_field(plain, "type");
	psender = str_field(plain, "sender");
	precipient = str_field(plain, "recipient");
	ped = str_field(cJSON_GetObjectItemCaseSensitive(plain, "recipient_keys"), "ed25519");
	/* The spec's mandatory checks: who sent it, to whom, for which key. */
	if (!ptype || !psender || strcmp(psender, ev->sender) != 0 || !precipient ||
	    strcmp(precipient, e->user_id) != 0 || !ped || strcmp(ped, e->ed25519) != 0) {
		rc = mx_error_set(err, MX_ERR_INVALID, "Olm message from %s fails the sender/recipient checks",
				  ev->sender);
		goto cleanup;
	}
	/* The signing key the message claims must be the one the sender's
	 * device published for this curve25519 key. */
	if (check_sender_device(e, ev->sender, sender_curve,
				str_field(cJSON_GetObjectItemCaseSensitive(plain, "keys"), "ed25519"), err) != MX_OK) {
		rc = MX_ERR_INVALID;
		goto cleanup;
	}
	/* Forwarded keys are not accepted: the bot never asks for them, and
	 * anyone who holds a session could forward it first and so block the
	 * real sender's messages. */
	if (strcmp(ptype, "m.room_key") == 0)
		rc = store_room_key(e, ev->sender, sender_curve,
				    str_field(cJSON_GetObjectItemCaseSensitive(plain, "keys"), "ed25519"),
				    cJSON_GetObjectItemCaseSensitive(plain, "content"), 0, err);
	else
		e2ee_log(e, 3, "ignored encrypted to-device %s from %s", ptype, ev->sender);
cleanup:
	cJSON_Delete(plain);
	return rc;
}

/* One m.room.encrypted to-device event. */
static int handle_to_device(mx_e2ee *e, const mx_event *ev, mx_error *err)
{
	const char *alg = str_field(ev->content, "algorithm");
	const char *sender_curve = str_field(ev->content, "sender_key");
	const cJSON *mine = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(ev->content, "ciphertext"), e->curve25519);
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(mine, "type");
	const char *body = str_field(mine, "body");
	char *text = NULL;
	int rc;

	if (!alg || strcmp(alg, MX_OLM_ALGORITHM) != 0 || !sender_curve || !cJSON_IsNumber(type) || !body)
		return mx_error_set(err, MX_ERR_INVALID, "to-device message not for this device");
	rc = olm_decrypt(e, sender_curve, (int)type->valuedouble, body, &text, err);
	if (rc != MX_OK)
		return rc;
	rc = e2ee_olm_plaintext(e, ev, sender_curve, text, err);
	explicit_bzero(text, strlen(text));
	free(text);
	return rc;
}

/* ---- sync: keys, device lists, rooms ---- */

static void note_room_state(mx_e2ee *e, const mx_event *ev)
{
	const char *m;

	if (strcmp(ev->type, "m.room.encryption") == 0 && ev->state_key && !ev->state_key[0]) {
		char *text = cJSON_PrintUnformatted(ev->content);
		if (text && e2ee_put(e, "rooms", ev->room_id, text) != MX_OK)
			e2ee_log(e, 0, "cannot save the encryption settings of %s", ev->room_id);
		free(text);
		if (ev->source == MX_SRC_TIMELINE && ev->section == MX_ROOM_JOIN)
			e2ee_pending_add(e, ev->room_id);
		return;
	}
	if (strcmp(ev->type, "m.room.member") == 0 && ev->state_key)
		e2ee_members_note(e, ev);
	/* Someone left or was removed: they must not read what comes next. */
	if (strcmp(ev->type, "m.room.member") == 0 && ev->state_key) {
		m = str_field(ev->content, "membership");
		if (m && (strcmp(m, "leave") == 0 || strcmp(m, "ban") == 0) &&
		    mx_e2ee_room_encrypted(e, ev->room_id)) {
			char *old = NULL;
			if (e2ee_get(e, "megolm_out", ev->room_id, &old) == MX_OK) {
				e2ee_del(e, "megolm_out", ev->room_id);
				e->stats.rotations++;
				e2ee_log(e, 3, "%s left %s: new room key for the next message", ev->state_key,
					 ev->room_id);
			}
			free(old);
		}
	}
}

int mx_e2ee_handle_sync(mx_e2ee *e, const mx_sync_batch *b, mx_error *err)
{
	size_t i;
	int rc = MX_OK;

	for (i = 0; i < b->n_device_lists_changed; i++) {
		e2ee_devices_outdated(e, b->device_lists_changed[i]);
		e2ee_log(e, 3, "the devices of %s changed", b->device_lists_changed[i]);
	}
	for (i = 0; i < b->n_device_lists_left; i++)
		e2ee_devices_outdated(e, b->device_lists_left[i]);
	for (i = 0; i < b->n_events; i++) {
		const mx_event *ev = &b->events[i];
		mx_error terr;

		if (ev->source == MX_SRC_TO_DEVICE) {
			if (strcmp(ev->type, "m.room.encrypted") == 0 &&
			    handle_to_device(e, ev, &terr) != MX_OK) {
				e->stats.olm_decrypt_failures++;
				e2ee_log(e, 1, "could not use an encrypted message from %s: %s", ev->sender,
					 terr.message);
			}
			continue;
		}
		if (ev->room_id && ev->state_key && (ev->source == MX_SRC_STATE || ev->source == MX_SRC_TIMELINE))
			note_room_state(e, ev);
	}
	e2ee_members_batch(e, b);
	if (b->otk_signed_curve25519 >= 0)
		rc = top_up(e, b->otk_signed_curve25519, err);
	/* libolm keeps one unpublished fallback key; replace a used one. */
	if (rc == MX_OK && b->unused_fallback_key_types && b->n_unused_fallback_key_types == 0)
		rc = upload(e, 0, 0, 1, NULL, err);
	return rc;
}

int mx_e2ee_set_room_encryption(mx_e2ee *e, const char *room_id, const cJSON *content)
{
	char *text = cJSON_PrintUnformatted(content);
	int rc = text && e2ee_put(e, "rooms", room_id, text) == MX_OK ? MX_OK : MX_ERR_INVALID;

	free(text);
	return rc;
}

bool mx_e2ee_room_encrypted(mx_e2ee *e, const char *room_id)
{
	char *v = NULL;
	bool yes = e2ee_get(e, "rooms", room_id, &v) == MX_OK;

	free(v);
	return yes;
}

/* ---- decrypting room events ---- */

int e2ee_megolm_event(const mx_event *ev, const char *plain_text, cJSON **out, mx_error *err)
{
	cJSON *plain = cJSON_Parse(plain_text), *copy = NULL;
	const cJSON *pcontent = cJSON_GetObjectItemCaseSensitive(plain, "content"), *clear_rel;
	int rc;

	*out = NULL;
	if (!str_field(plain, "type") || !cJSON_IsObject(pcontent) || !str_field(plain, "room_id") ||
	    strcmp(str_field(plain, "room_id"), ev->room_id) != 0) {
		rc = mx_error_set(err, MX_ERR_INVALID, "decrypted event is malformed or for another room");
		goto cleanup;
	}
	copy = cJSON_Duplicate(ev->raw, 1);
	if (!copy) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	cJSON_ReplaceItemInObjectCaseSensitive(copy, "type", cJSON_CreateString(str_field(plain, "type")));
	pcontent = cJSON_DetachItemFromObjectCaseSensitive(plain, "content");
	/* Relations travel in the clear part of an encrypted event. */
	clear_rel = cJSON_GetObjectItemCaseSensitive(ev->content, "m.relates_to");
	if (clear_rel && !cJSON_HasObjectItem(pcontent, "m.relates_to"))
		cJSON_AddItemToObject((cJSON *)pcontent, "m.relates_to", cJSON_Duplicate(clear_rel, 1));
	cJSON_ReplaceItemInObjectCaseSensitive(copy, "content", (cJSON *)pcontent);
	*out = copy;
	rc = MX_OK;
cleanup:
	cJSON_Delete(plain);
	return rc;
}

/* The inbound session stored under key (room and session_id sid), checked
 * to be ev's sender's: *out is the caller's (mx_megolm_in_free).
 * MX_E2EE_NO_KEY when the key has not arrived yet, MX_ERR_INVALID when it
 * cannot be read or is another user's; *out then unchanged. */
static int load_room_key(mx_e2ee *e, const mx_event *ev, const char *key, const char *sid, mx_megolm_in **out,
			 mx_error *err)
{
	char *rec_text = NULL;
	cJSON *rec = NULL;
	mx_megolm_in *in = NULL;
	int rc;

	rc = e2ee_get(e, "megolm_in", key, &rec_text);
	if (rc != MX_OK) {
		rc = rc == MX_E2EE_NOT_FOUND ? MX_E2EE_NO_KEY : MX_ERR_INVALID;
		mx_error_set(err, rc, "no room key yet for session %s", sid);
		goto cleanup;
	}
	rec = cJSON_Parse(rec_text);
	if (!str_field(rec, "pickle") ||
	    (rc = mx_megolm_in_unpickle(&in, str_field(rec, "pickle"), e->pickle_key, err)) != MX_OK) {
		rc = mx_error_set(err, MX_ERR_INVALID, "stored room key unreadable");
		goto cleanup;
	}
	/* The room key came over Olm from one user: only they use it. */
	if (!str_field(rec, "sender") || strcmp(str_field(rec, "sender"), ev->sender) != 0) {
		rc = mx_error_set(err, MX_ERR_INVALID, "event from %s uses a room key of %s",
				  ev->sender, str_field(rec, "sender") ? str_field(rec, "sender") : "?");
		goto cleanup;
	}
	*out = in;
	in = NULL;
cleanup:
	free(rec_text);
	cJSON_Delete(rec);
	mx_megolm_in_free(in);
	return rc;
}

/* Records that ev used message index of session sid in its room, and
 * refuses another event with the same index (a replay). Returns MX_OK,
 * MX_ERR_INVALID (a replay, or the store failed) or MX_ERR_NOMEM. */
static int check_index(mx_e2ee *e, const mx_event *ev, const char *sid, uint32_t index, mx_error *err)
{
	char idx[16];
	char *ikey = NULL, *seen = NULL;
	int rc = MX_OK;

	snprintf(idx, sizeof idx, "%u", index);
	ikey = e2ee_key(ev->room_id, sid, idx);
	if (!ikey)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	if (e2ee_get(e, "index", ikey, &seen) == MX_OK && strcmp(seen, ev->event_id) != 0)
		rc = mx_error_set(err, MX_ERR_INVALID, "replayed message index %u (first seen in %s)",
				  index, seen);
	else if (!seen && e2ee_put(e, "index", ikey, ev->event_id) != MX_OK)
		rc = mx_error_set(err, MX_ERR_INVALID, "cannot record the message index");
	free(seen);
	free(ikey);
	return rc;
}

int mx_e2ee_decrypt(mx_e2ee *e, const mx_event *ev, cJSON **out, mx_error *err)
{
	const char *alg = str_field(ev->content, "algorithm");
	const char *sid = str_field(ev->content, "session_id");
	const char *ct = str_field(ev->content, "ciphertext");
	char *key = NULL, *plain_text = NULL;
	mx_megolm_in *in = NULL;
	uint32_t index = 0;
	int rc;

	*out = NULL;
	if (!alg || strcmp(alg, MX_MEGOLM_ALGORITHM) != 0 || !sid || !ct || !ev->room_id || !ev->event_id)
		return mx_error_set(err, MX_ERR_INVALID, "not a Megolm room event");
	key = e2ee_key(ev->room_id, sid, NULL);
	if (!key)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	rc = load_room_key(e, ev, key, sid, &in, err);
	if (rc != MX_OK)
		goto cleanup;
	rc = mx_megolm_in_decrypt(in, ct, &plain_text, &index, err);
	if (rc != MX_OK) {
		/* Only an index before the session's start can still become
		 * readable (an earlier copy of the key); a bad MAC never will. */
		if (err && strstr(err->message, "UNKNOWN_MESSAGE_INDEX"))
			rc = MX_E2EE_NO_KEY;
		goto cleanup;
	}
	rc = check_index(e, ev, sid, index, err);
	if (rc != MX_OK)
		goto cleanup;
	rc = e2ee_megolm_event(ev, plain_text, out, err);
	if (rc == MX_OK)
		e->stats.megolm_decrypted++;
cleanup:
	if (rc != MX_OK && rc != MX_E2EE_NO_KEY)
		e->stats.megolm_failures++;
	if (plain_text)
		explicit_bzero(plain_text, strlen(plain_text));
	free(plain_text);
	free(key);
	mx_megolm_in_free(in);
	return rc;
}
