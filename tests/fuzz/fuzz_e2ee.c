/* fuzz_e2ee.c: fuzz target for what decryption gives (matrix/mx_e2ee.c):
 * the plaintext of a Megolm room event and of an Olm to-device message,
 * parsed and checked by the functions the daemon calls right after
 * decrypting (e2ee_megolm_event, e2ee_olm_plaintext). A sender who holds a
 * session can put anything in a plaintext; it must never crash the bot,
 * leak, or be accepted when it is for another room or another recipient.
 *
 * Input: one byte choosing the case, then the plaintext JSON.
 *   bit 0: 0 a Megolm room event, 1 an Olm to-device message
 *   bit 1: Megolm: the clear part carries an m.relates_to;
 *          Olm: the sender is another user than the device list names
 *   bit 2: Olm: the message comes from an unknown curve25519 key
 * The store is in memory, empty for each input apart from the sender's
 * device list (so no homeserver is asked). Replayed by the standalone
 * driver in CI, run under libFuzzer by `make fuzz-run`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matrix/mx_e2ee_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOT "@bot:localhost"
#define BOT_ED "BoTed25519keyBoTed25519keyBoTed25519keyBoT"
#define BOT_CURVE "BoTcurve25519BoTcurve25519BoTcurve25519BoT"
#define ROOM "!wijkgroep:localhost"
#define ANNA_CURVE "AnnAcurve25519AnnAcurve25519AnnAcurve25519"
#define ANNA_ED "AnnAed25519AnnAed25519AnnAed25519AnnAed2551"
#define DEVICES "{\"ANNADEV\":{\"curve25519\":\"" ANNA_CURVE "\",\"ed25519\":\"" ANNA_ED "\"}}"

/* ---- an in-memory store ---- */

typedef struct row {
	char *ns, *key, *value;
	struct row *next;
} row;

static row *find(row *rows, const char *ns, const char *key)
{
	for (; rows; rows = rows->next)
		if (strcmp(rows->ns, ns) == 0 && strcmp(rows->key, key) == 0)
			return rows;
	return NULL;
}

static int mem_get(void *ctx, const char *ns, const char *key, char **out)
{
	row *r = find(*(row **)ctx, ns, key);

	/* Every user has one known device, never outdated. */
	if (strcmp(ns, "devices") == 0)
		return (*out = strdup(DEVICES)) ? MX_OK : MX_ERR_NOMEM;
	if (!r)
		return MX_E2EE_NOT_FOUND;
	return (*out = strdup(r->value)) ? MX_OK : MX_ERR_NOMEM;
}

static int mem_put(void *ctx, const char *ns, const char *key, const char *value)
{
	row **rows = ctx, *r = find(*rows, ns, key);
	char *v = strdup(value);

	if (!v)
		return MX_ERR_NOMEM;
	if (r) {
		free(r->value);
		r->value = v;
		return MX_OK;
	}
	r = calloc(1, sizeof *r);
	if (!r || !(r->ns = strdup(ns)) || !(r->key = strdup(key))) {
		if (r)
			free(r->ns);
		free(r);
		free(v);
		return MX_ERR_NOMEM;
	}
	r->value = v;
	r->next = *rows;
	*rows = r;
	return MX_OK;
}

static void free_row(row *r)
{
	free(r->ns);
	free(r->key);
	free(r->value);
	free(r);
}

static int mem_del(void *ctx, const char *ns, const char *key)
{
	row **p;

	for (p = ctx; *p; p = &(*p)->next)
		if (strcmp((*p)->ns, ns) == 0 && strcmp((*p)->key, key) == 0) {
			row *r = *p;
			*p = r->next;
			free_row(r);
			return MX_OK;
		}
	return MX_OK;
}

static int mem_list(void *ctx, const char *ns, const char *prefix,
		    int (*cb)(void *cbctx, const char *key, const char *value), void *cbctx)
{
	for (row *r = *(row **)ctx; r; r = r->next)
		if (strcmp(r->ns, ns) == 0 && strncmp(r->key, prefix, strlen(prefix)) == 0 &&
		    cb(cbctx, r->key, r->value))
			break;
	return MX_OK;
}

/* ---- the checks ---- */

static const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static void megolm(const char *text, int with_relation)
{
	static const char *const raw_text[2] = {
		"{\"type\":\"m.room.encrypted\",\"sender\":\"@anna:localhost\",\"event_id\":\"$ev\","
		"\"room_id\":\"" ROOM "\",\"origin_server_ts\":1700000000000,\"content\":{"
		"\"algorithm\":\"m.megolm.v1.aes-sha2\",\"sender_key\":\"" ANNA_CURVE "\","
		"\"session_id\":\"S\",\"ciphertext\":\"AwgA\",\"device_id\":\"ANNADEV\"}}",
		"{\"type\":\"m.room.encrypted\",\"sender\":\"@anna:localhost\",\"event_id\":\"$ev\","
		"\"room_id\":\"" ROOM "\",\"origin_server_ts\":1700000000000,\"content\":{"
		"\"algorithm\":\"m.megolm.v1.aes-sha2\",\"sender_key\":\"" ANNA_CURVE "\","
		"\"session_id\":\"S\",\"ciphertext\":\"AwgA\",\"device_id\":\"ANNADEV\","
		"\"m.relates_to\":{\"rel_type\":\"m.thread\",\"event_id\":\"$root\"}}}",
	};
	cJSON *raw = cJSON_Parse(raw_text[with_relation]), *out = NULL, *plain;
	const cJSON *content;
	mx_event ev;
	mx_error err;

	if (!raw)
		return;
	memset(&ev, 0, sizeof ev);
	ev.type = "m.room.encrypted";
	ev.sender = "@anna:localhost";
	ev.event_id = "$ev";
	ev.room_id = ROOM;
	ev.content = cJSON_GetObjectItemCaseSensitive(raw, "content");
	ev.raw = raw;
	ev.source = MX_SRC_TIMELINE;
	if (e2ee_megolm_event(&ev, text, &out, &err) == MX_OK) {
		/* Accepted: it was for this room, and the event is whole. */
		plain = cJSON_Parse(text);
		content = cJSON_GetObjectItemCaseSensitive(out, "content");
		if (!plain || !same(str_field(plain, "room_id"), ROOM) || !cJSON_IsObject(content) ||
		    !same(str_field(out, "type"), str_field(plain, "type")) ||
		    !same(str_field(out, "event_id"), "$ev") || !same(str_field(out, "sender"), ev.sender) ||
		    (with_relation && !cJSON_HasObjectItem(content, "m.relates_to")))
			__builtin_trap();
		cJSON_Delete(plain);
		cJSON_Delete(out);
	} else if (out != NULL) {
		__builtin_trap();
	}
	cJSON_Delete(raw);
}

static void olm(const char *text, int other_sender, int unknown_curve)
{
	const char *curve = unknown_curve ? "UnKnOwNcurve25519UnKnOwNcurve25519UnKnOwNc" : ANNA_CURVE;
	row *rows = NULL;
	mx_e2ee e;
	mx_event ev;
	mx_error err;
	cJSON *plain;
	int rc;

	memset(&e, 0, sizeof e);
	e.user_id = BOT;
	e.device_id = "BOTDEV";
	e.pickle_key = "fuzz pickle key";
	strcpy(e.curve25519, BOT_CURVE);
	strcpy(e.ed25519, BOT_ED);
	e.store.get = mem_get;
	e.store.put = mem_put;
	e.store.del = mem_del;
	e.store.list = mem_list;
	e.store.ctx = &rows;
	memset(&ev, 0, sizeof ev);
	ev.type = "m.room.encrypted";
	ev.sender = other_sender ? "@mallory:evil.example" : "@anna:localhost";
	ev.source = MX_SRC_TO_DEVICE;
	rc = e2ee_olm_plaintext(&e, &ev, curve, text, &err);
	/* Accepted only from its sender, for this bot and this device key;
	 * a room key only when it was one, from a device that has that
	 * signing key. */
	plain = cJSON_Parse(text);
	if (rc == MX_OK &&
	    (!same(str_field(plain, "sender"), ev.sender) || !same(str_field(plain, "recipient"), BOT) ||
	     !same(str_field(cJSON_GetObjectItemCaseSensitive(plain, "recipient_keys"), "ed25519"), BOT_ED)))
		__builtin_trap();
	if (e.stats.room_keys_received &&
	    (rc != MX_OK || !same(str_field(plain, "type"), "m.room_key") ||
	     (!unknown_curve &&
	      !same(str_field(cJSON_GetObjectItemCaseSensitive(plain, "keys"), "ed25519"), ANNA_ED))))
		__builtin_trap();
	/* The same message again: a room key already held is kept, not
	 * replaced or counted twice. */
	(void)e2ee_olm_plaintext(&e, &ev, curve, text, &err);
	if (e.stats.room_keys_received > 1)
		__builtin_trap();
	cJSON_Delete(plain);
	while (rows) {
		row *r = rows;
		rows = r->next;
		free_row(r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size < 1)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] & 1)
		olm(text, (data[0] >> 1) & 1, (data[0] >> 2) & 1);
	else
		megolm(text, (data[0] >> 1) & 1);
	free(text);
	return 0;
}
