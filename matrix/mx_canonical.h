/* mx_canonical.h: Matrix canonical JSON (spec appendix "Canonical JSON")
 * and signing JSON objects with it (appendix "Signing JSON"). */
#ifndef MX_CANONICAL_H
#define MX_CANONICAL_H

#include <cjson/cJSON.h>
#include "mx_error.h"

/* Canonical form of json: UTF-8, no insignificant whitespace, object keys
 * sorted by code point (recursively), integers only (in -(2^53)+1 ..
 * 2^53-1; anything else is MX_ERR_INVALID), shortest string escapes.
 * *out is malloc'ed and NUL-terminated, the caller's. MX_ERR_TOO_LARGE
 * past 1 GiB, MX_ERR_NOMEM; on failure *out is unchanged. */
int mx_canonical_json(const cJSON *json, char **out, mx_error *err);

/* The bytes that get signed: json without its "signatures" and "unsigned"
 * members, in canonical form. */
int mx_signing_bytes(const cJSON *json, char **out, mx_error *err);

/* A signer: returns MX_OK and a malloc'ed base64 signature of msg. */
typedef int (*mx_sign_fn)(void *ctx, const char *msg, size_t len, char **out_sig,
			  mx_error *err);

/* Adds signatures.<user_id>.<key_id> = sign(signing bytes) to json,
 * keeping signatures already there. */
int mx_json_sign(cJSON *json, const char *user_id, const char *key_id, mx_sign_fn sign,
		 void *ctx, mx_error *err);

/* MX_OK when json carries a valid signatures.<user_id>.<key_id> made by
 * the Ed25519 public key ed25519_key over its signing bytes;
 * MX_ERR_INVALID when missing or wrong. */
int mx_json_verify(const cJSON *json, const char *user_id, const char *key_id,
		   const char *ed25519_key, mx_error *err);

#endif
