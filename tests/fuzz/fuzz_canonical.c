/* fuzz_canonical.c: fuzz target for canonical JSON and signature checks
 * (matrix/mx_canonical.c), which read device keys, cross-signing keys and
 * one-time keys from other users' servers. Any JSON gives a canonical form
 * or a refusal, never a crash; a canonical form is a fixpoint (parsed and
 * written again it is the same bytes); a signature in the input is checked
 * against a fixed key and against the key the input names for itself (as
 * for /keys/query devices); signing the input with the fixed key gives a
 * signature that verifies, without changing the signed bytes, and a failed
 * signing leaves the input as it was. Replayed by the standalone driver in
 * CI, run under libFuzzer by `make fuzz-run`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matrix/mx_canonical.h"
#include "matrix/mx_olm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The signer of the seeds in corpus/canonical/: @fuzz:localhost, key id
 * ed25519:FUZZDEV, its seed bytes i * 7 + 1. */
#define FUZZ_USER "@fuzz:localhost"
#define FUZZ_KEY_ID "ed25519:FUZZDEV"

static mx_olm_pk_signing *signer(void)
{
	static mx_olm_pk_signing *k;
	uint8_t seed[MX_OLM_PK_SEED_LEN];

	if (k == NULL) {
		for (size_t i = 0; i < sizeof seed; i++)
			seed[i] = (uint8_t)(i * 7 + 1);
		if (mx_olm_pk_signing_new(&k, seed, NULL) != MX_OK)
			abort();
		if (getenv("FUZZ_VERBOSE") != NULL)
			fprintf(stderr, "fuzz_canonical: %s %s\n", FUZZ_KEY_ID, mx_olm_pk_signing_public(k));
	}
	return k;
}

static int sign(void *ctx, const char *msg, size_t len, char **out, mx_error *err)
{
	return mx_olm_pk_sign(ctx, msg, len, out, err);
}

static const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Canonical form of json is a fixpoint of parse + canonicalise. */
static void check_canonical(const cJSON *json)
{
	char *once = NULL, *twice = NULL;
	cJSON *again;
	mx_error err;

	if (mx_canonical_json(json, &once, &err) != MX_OK) {
		if (once != NULL)
			__builtin_trap();   /* *out is only set on success */
		return;
	}
	again = cJSON_Parse(once);
	if (again == NULL || mx_canonical_json(again, &twice, &err) != MX_OK ||
	    strcmp(once, twice) != 0)
		__builtin_trap();
	cJSON_Delete(again);
	free(once);
	free(twice);
}

/* As for a device from /keys/query: the signature by the device's own key
 * named in the object. */
static void check_self_signed(const cJSON *json)
{
	const char *user = str_field(json, "user_id"), *device = str_field(json, "device_id");
	char kid[192];
	mx_error err;

	if (user == NULL || device == NULL)
		return;
	snprintf(kid, sizeof kid, "ed25519:%s", device);
	(void)mx_json_verify(json, user, kid,
			     str_field(cJSON_GetObjectItemCaseSensitive(json, "keys"), kid), &err);
}

static void check_sign(const cJSON *json)
{
	mx_olm_pk_signing *k = signer();
	cJSON *copy = cJSON_Duplicate(json, 1);
	char *before = NULL, *after = NULL;
	mx_error err;

	if (copy == NULL)
		return;
	if (mx_json_sign(copy, FUZZ_USER, FUZZ_KEY_ID, sign, k, &err) != MX_OK) {
		/* A failed signing leaves the object as it was (compared as
		 * printed: cJSON_Compare finds duplicate keys unequal). */
		before = cJSON_PrintUnformatted(json);
		after = cJSON_PrintUnformatted(copy);
		if (before != NULL && after != NULL && strcmp(before, after) != 0)
			__builtin_trap();
		free(before);
		free(after);
		cJSON_Delete(copy);
		return;
	}
	if (mx_json_verify(copy, FUZZ_USER, FUZZ_KEY_ID, mx_olm_pk_signing_public(k), &err) != MX_OK)
		__builtin_trap();
	/* Only "signatures" changed: the signed bytes are the same. */
	if (mx_signing_bytes(json, &before, &err) != MX_OK ||
	    mx_signing_bytes(copy, &after, &err) != MX_OK || strcmp(before, after) != 0)
		__builtin_trap();
	/* Someone else's name on it does not verify. */
	if (mx_json_verify(copy, "@other:localhost", FUZZ_KEY_ID, mx_olm_pk_signing_public(k), &err) ==
	    MX_OK && !cJSON_HasObjectItem(cJSON_GetObjectItemCaseSensitive(json, "signatures"),
					  "@other:localhost"))
		__builtin_trap();
	free(before);
	free(after);
	cJSON_Delete(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *json = cJSON_ParseWithLength((const char *)data, size);
	char *bytes = NULL;
	mx_error err;

	if (json == NULL)
		return 0;
	check_canonical(json);
	if (mx_signing_bytes(json, &bytes, &err) == MX_OK)
		free(bytes);
	(void)mx_json_verify(json, FUZZ_USER, FUZZ_KEY_ID, mx_olm_pk_signing_public(signer()), &err);
	check_self_signed(json);
	check_sign(json);
	cJSON_Delete(json);
	return 0;
}
