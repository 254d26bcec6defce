/* mx_canonical.c: Matrix canonical JSON written straight from a cJSON tree
 * (cJSON's printer neither sorts keys nor escapes canonically), and signing
 * and verifying JSON objects over those bytes (spec appendix "Signing JSON"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx_buf.h"
#include "mx_canonical.h"
#include "mx_olm.h"

/* Integers outside +-(2^53 - 1) cannot be told apart as doubles. */
#define MAX_SAFE_INT 9007199254740991.0
/* Same depth cJSON's parser allows; deeper trees can only be hand-built. */
#define MAX_DEPTH 1000
/* Cap on the bytes written: as large as the largest response the bot
 * accepts (max_response_mb is at most 1024), far beyond any object signed. */
#define MAX_OUT ((size_t)1 << 30)

/* Appends n bytes. Returns MX_OK, or MX_ERR_TOO_LARGE past MAX_OUT or
 * MX_ERR_NOMEM with err set; b then stays failed (mx_buf.h). */
static int put(mx_buf *b, const char *s, size_t n, mx_error *err)
{
	int rc = mx_buf_add(b, s, n);

	if (rc == MX_ERR_TOO_LARGE)
		return mx_error_set(err, rc, "canonical json: longer than %zu bytes", MAX_OUT);
	if (rc != MX_OK)
		return mx_error_set(err, rc, "canonical json: out of memory");
	return MX_OK;
}

static int put_str(mx_buf *b, const char *s, mx_error *err)
{
	return put(b, s, strlen(s), err);
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), 0 when ill-formed. */
static size_t utf8_seq(const unsigned char *p)
{
	unsigned char c = p[0];

	if (c >= 0xC2 && c <= 0xDF)
		return (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
		unsigned char hi = c == 0xED ? 0x9F : 0xBF;

		return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;

		return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
		       (p[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* A JSON string with only the escapes the spec's grammar allows: " and \,
 * the five short control escapes, \u00XX (lowercase) for other controls.
 * Everything else, including non-ASCII, is copied as UTF-8. */
static int emit_string(mx_buf *b, const char *s, mx_error *err)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run;
	int rc;

	if ((rc = put(b, "\"", 1, err)) != MX_OK)
		return rc;
	while (*p != '\0') {
		char esc[8];
		const char *e = NULL;

		/* copy the longest stretch that needs no escaping */
		run = p;
		while (*p >= 0x20 && *p != '"' && *p != '\\') {
			if (*p < 0x80) {
				p++;
			} else {
				size_t n = utf8_seq(p);

				if (n == 0)
					return mx_error_set(err, MX_ERR_INVALID,
							    "canonical json: string is not valid UTF-8");
				p += n;
			}
		}
		if (p > run && (rc = put(b, (const char *)run, (size_t)(p - run), err)) != MX_OK)
			return rc;
		if (*p == '\0')
			break;
		switch (*p) {
		case '"':  e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			(void)snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)*p);
			e = esc;
			break;
		}
		if ((rc = put_str(b, e, err)) != MX_OK)
			return rc;
		p++;
	}
	return put(b, "\"", 1, err);
}

static int emit_number(mx_buf *b, double d, mx_error *err)
{
	char num[32];

	if (!isfinite(d) || d != floor(d) || d > MAX_SAFE_INT || d < -MAX_SAFE_INT)
		return mx_error_set(err, MX_ERR_INVALID,
				    "canonical json: %.17g is not an integer in -(2^53)+1 .. 2^53-1", d);
	/* the cast also turns -0 into 0, as the spec's example wants */
	(void)snprintf(num, sizeof(num), "%lld", (long long)d);
	return put_str(b, num, err);
}

static int cmp_keys(const void *x, const void *y)
{
	const cJSON *a = *(const cJSON *const *)x;
	const cJSON *c = *(const cJSON *const *)y;

	/* strcmp compares as unsigned char: UTF-8 byte order is code point order */
	return strcmp(a->string, c->string);
}

static int emit_value(mx_buf *b, const cJSON *v, int depth, int signing, mx_error *err);

/* An object with its members sorted by key. signing: leave out
 * "signatures" and "unsigned" (top level of the signed object only). */
static int emit_object(mx_buf *b, const cJSON *obj, int depth, int signing, mx_error *err)
{
	const cJSON **members = NULL;
	const cJSON *m;
	size_t n = 0, i;
	int rc;

	for (m = obj->child; m != NULL; m = m->next)
		n++;
	if (n > 0) {
		members = malloc(n * sizeof(*members));
		if (members == NULL)
			return mx_error_set(err, MX_ERR_NOMEM, "canonical json: out of memory");
	}
	n = 0;
	for (m = obj->child; m != NULL; m = m->next) {
		if (m->string == NULL) {
			rc = mx_error_set(err, MX_ERR_INVALID, "canonical json: object member without a name");
			goto cleanup;
		}
		if (signing && (strcmp(m->string, "signatures") == 0 || strcmp(m->string, "unsigned") == 0))
			continue;
		members[n++] = m;
	}
	if (n > 1)
		qsort(members, n, sizeof(*members), cmp_keys);
	if ((rc = put(b, "{", 1, err)) != MX_OK)
		goto cleanup;
	for (i = 0; i < n; i++) {
		/* Two members with one name have no canonical form, and a
		 * verifier reading the first one would see other data than
		 * the signer meant: refuse. */
		if (i > 0 && strcmp(members[i - 1]->string, members[i]->string) == 0) {
			rc = mx_error_set(err, MX_ERR_INVALID, "canonical json: duplicate key");
			goto cleanup;
		}
		if ((i > 0 && (rc = put(b, ",", 1, err)) != MX_OK) ||
		    (rc = emit_string(b, members[i]->string, err)) != MX_OK ||
		    (rc = put(b, ":", 1, err)) != MX_OK ||
		    (rc = emit_value(b, members[i], depth + 1, 0, err)) != MX_OK)
			goto cleanup;
	}
	rc = put(b, "}", 1, err);
cleanup:
	free(members);
	return rc;
}

static int emit_value(mx_buf *b, const cJSON *v, int depth, int signing, mx_error *err)
{
	const cJSON *m;
	int rc;

	if (depth > MAX_DEPTH)
		return mx_error_set(err, MX_ERR_INVALID, "canonical json: nested too deeply");
	switch (v->type & 0xFF) {
	case cJSON_NULL:
		return put_str(b, "null", err);
	case cJSON_False:
		return put_str(b, "false", err);
	case cJSON_True:
		return put_str(b, "true", err);
	case cJSON_Number:
		return emit_number(b, v->valuedouble, err);
	case cJSON_String:
		if (v->valuestring == NULL)
			return mx_error_set(err, MX_ERR_INVALID, "canonical json: string without value");
		return emit_string(b, v->valuestring, err);
	case cJSON_Array:
		if ((rc = put(b, "[", 1, err)) != MX_OK)
			return rc;
		for (m = v->child; m != NULL; m = m->next) {
			if ((m != v->child && (rc = put(b, ",", 1, err)) != MX_OK) ||
			    (rc = emit_value(b, m, depth + 1, 0, err)) != MX_OK)
				return rc;
		}
		return put(b, "]", 1, err);
	case cJSON_Object:
		return emit_object(b, v, depth, signing, err);
	default: /* cJSON_Raw and invalid nodes have no canonical form */
		return mx_error_set(err, MX_ERR_INVALID, "canonical json: unsupported value type");
	}
}

static int canonical(const cJSON *json, int signing, char **out, mx_error *err)
{
	mx_buf b;
	int rc;

	if (json == NULL || out == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "canonical json: missing argument");
	if (signing && !cJSON_IsObject(json))
		return mx_error_set(err, MX_ERR_INVALID, "signing json: not an object");
	mx_buf_init(&b, MAX_OUT);
	rc = emit_value(&b, json, 0, signing, err);
	if (rc == MX_OK && (rc = mx_buf_take(out, NULL, &b)) != MX_OK)
		mx_error_set(err, rc, "canonical json: out of memory");
	mx_buf_free(&b);
	return rc;
}

int mx_canonical_json(const cJSON *json, char **out, mx_error *err)
{
	return canonical(json, 0, out, err);
}

int mx_signing_bytes(const cJSON *json, char **out, mx_error *err)
{
	return canonical(json, 1, out, err);
}

int mx_json_sign(cJSON *json, const char *user_id, const char *key_id, mx_sign_fn sign,
		 void *ctx, mx_error *err)
{
	cJSON *sigs, *user, *old;
	cJSON *new_sigs = NULL, *new_user = NULL, *item = NULL;
	char *bytes = NULL, *sig = NULL;
	int rc;

	if (json == NULL || user_id == NULL || key_id == NULL || sign == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "sign json: missing argument");
	sigs = cJSON_GetObjectItemCaseSensitive(json, "signatures");
	user = cJSON_GetObjectItemCaseSensitive(sigs, user_id);
	if ((sigs != NULL && !cJSON_IsObject(sigs)) || (user != NULL && !cJSON_IsObject(user)))
		return mx_error_set(err, MX_ERR_INVALID, "sign json: \"signatures\" is not a map of maps");
	rc = mx_signing_bytes(json, &bytes, err);
	if (rc != MX_OK)
		goto cleanup;
	rc = sign(ctx, bytes, strlen(bytes), &sig, err);
	if (rc != MX_OK)
		goto cleanup;
	/* Build everything new first, then hook it in with one last step, so
	 * json is unchanged when anything fails. */
	item = cJSON_CreateString(sig);
	if (item == NULL)
		goto nomem;
	if (user == NULL) {
		new_user = cJSON_CreateObject();
		if (new_user == NULL || !cJSON_AddItemToObject(new_user, key_id, item))
			goto nomem;
		item = NULL;
		if (sigs == NULL) {
			new_sigs = cJSON_CreateObject();
			if (new_sigs == NULL || !cJSON_AddItemToObject(new_sigs, user_id, new_user))
				goto nomem;
			new_user = NULL;
			if (!cJSON_AddItemToObject(json, "signatures", new_sigs))
				goto nomem;
			new_sigs = NULL;
		} else {
			if (!cJSON_AddItemToObject(sigs, user_id, new_user))
				goto nomem;
			new_user = NULL;
		}
	} else if ((old = cJSON_GetObjectItemCaseSensitive(user, key_id)) != NULL) {
		item->string = strdup(key_id);
		if (item->string == NULL || !cJSON_ReplaceItemViaPointer(user, old, item))
			goto nomem;
		item = NULL;
	} else {
		if (!cJSON_AddItemToObject(user, key_id, item))
			goto nomem;
		item = NULL;
	}
	rc = MX_OK;
	goto cleanup;
nomem:
	rc = mx_error_set(err, MX_ERR_NOMEM, "sign json: out of memory");
cleanup:
	cJSON_Delete(item);
	cJSON_Delete(new_user);
	cJSON_Delete(new_sigs);
	free(bytes);
	free(sig);
	return rc;
}

/* Reads the signature without copying json: the signing bytes are
 * written with "signatures"/"unsigned" skipped, so json is never touched. */
int mx_json_verify(const cJSON *json, const char *user_id, const char *key_id,
		   const char *ed25519_key, mx_error *err)
{
	const cJSON *sigs, *user, *sig;
	char *bytes = NULL;
	int rc;

	if (json == NULL || user_id == NULL || key_id == NULL || ed25519_key == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "verify json: missing argument");
	/* We understand only ed25519 signatures (spec: "Checking for a Signature"). */
	if (strncmp(key_id, "ed25519:", 8) != 0)
		return mx_error_set(err, MX_ERR_INVALID, "verify json: not an ed25519 key id");
	sigs = cJSON_GetObjectItemCaseSensitive(json, "signatures");
	user = cJSON_IsObject(sigs) ? cJSON_GetObjectItemCaseSensitive(sigs, user_id) : NULL;
	sig = cJSON_IsObject(user) ? cJSON_GetObjectItemCaseSensitive(user, key_id) : NULL;
	if (!cJSON_IsString(sig) || sig->valuestring == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "verify json: no signature by %s", key_id);
	rc = mx_signing_bytes(json, &bytes, err);
	if (rc != MX_OK)
		goto cleanup;
	rc = mx_olm_ed25519_verify(ed25519_key, bytes, strlen(bytes), sig->valuestring, err);
cleanup:
	free(bytes);
	return rc;
}
