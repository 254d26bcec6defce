/* test_canonical.c: canonical JSON and JSON signing against the examples
 * and test vectors of the spec appendix (matrix-org/matrix-spec,
 * content/appendices.md), plus refusals, sorting, unicode and tampering. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "matrix/mx_canonical.h"
#include "matrix/mx_olm.h"

/* Canonical form of the JSON text in, which must succeed. */
static char *canon_of(const char *in)
{
	cJSON *j = cJSON_Parse(in);
	char *out = NULL;
	mx_error err;

	cr_assert_not_null(j, "test input does not parse: %s", in);
	cr_assert_eq(mx_canonical_json(j, &out, &err), MX_OK, "%s: %s", in, err.message);
	cJSON_Delete(j);
	return out;
}

static void expect_canon(const char *in, const char *expected)
{
	char *out = canon_of(in);

	cr_expect_str_eq(out, expected, "input %s", in);
	free(out);
}

/* The status canonical JSON gives for the tree j (which it frees); checks
 * *out is left alone on failure. */
static int canon_status(cJSON *j)
{
	char *out = NULL;
	mx_error err;
	int rc;

	cr_assert_not_null(j);
	rc = mx_canonical_json(j, &out, &err);
	if (rc != MX_OK)
		cr_expect_null(out);
	else
		free(out);
	cJSON_Delete(j);
	return rc;
}

/* ---- spec appendix, "Canonical JSON" > "Examples": every example ---- */

Test(canonical, spec_examples)
{
	static const char *const cases[][2] = {
		{ "{}", "{}" },
		{ "{\n    \"one\": 1,\n    \"two\": \"Two\"\n}", "{\"one\":1,\"two\":\"Two\"}" },
		{ "{\n    \"b\": \"2\",\n    \"a\": \"1\"\n}", "{\"a\":\"1\",\"b\":\"2\"}" },
		{ "{\"b\":\"2\",\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}" },
		{ "{\n    \"auth\": {\n        \"success\": true,\n        \"mxid\": \"@john.doe:example.com\",\n"
		  "        \"profile\": {\n            \"display_name\": \"John Doe\",\n"
		  "            \"three_pids\": [\n                {\n                    \"medium\": \"email\",\n"
		  "                    \"address\": \"john.doe@example.org\"\n                },\n"
		  "                {\n                    \"medium\": \"msisdn\",\n"
		  "                    \"address\": \"123456789\"\n                }\n            ]\n"
		  "        }\n    }\n}",
		  "{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\","
		  "\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},"
		  "{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},\"success\":true}}" },
		{ "{\n    \"a\": \"日本語\"\n}", "{\"a\":\"日本語\"}" },
		{ "{\n    \"本\": 2,\n    \"日\": 1\n}", "{\"日\":1,\"本\":2}" },
		{ "{\n    \"a\": \"\\u65E5\"\n}", "{\"a\":\"日\"}" },
		{ "{\n    \"a\": null\n}", "{\"a\":null}" },
		{ "{\n    \"a\": -0,\n    \"b\": 1e10\n}", "{\"a\":0,\"b\":10000000000}" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_canon(cases[i][0], cases[i][1]);
}

/* ---- beyond the spec examples ---- */

Test(canonical, nested_sorting)
{
	/* byte order: "A" (0x41) < "_" (0x5f) < "a" < "aa" < "b" */
	expect_canon("{\"b\":{\"z\":[{\"y\":1,\"x\":{\"q\":true,\"p\":false}},[3,2,1]],\"a\":{}},"
		     "\"aa\":[],\"a\":null,\"_\":0,\"A\":-7}",
		     "{\"A\":-7,\"_\":0,\"a\":null,\"aa\":[],\"b\":{\"a\":{},\"z\":[{\"x\":{\"p\":false,"
		     "\"q\":true},\"y\":1},[3,2,1]]}}");
	/* a prefix sorts before its extensions */
	expect_canon("{\"ab\":1,\"a\":2,\"abc\":3}", "{\"a\":2,\"ab\":1,\"abc\":3}");
	/* arrays keep their order; scalars at the top level are fine */
	expect_canon("[\"b\",\"a\",{\"d\":1,\"c\":2}]", "[\"b\",\"a\",{\"c\":2,\"d\":1}]");
	expect_canon("true", "true");
	expect_canon("\"x\"", "\"x\"");
}

Test(canonical, unicode_keys_in_code_point_order)
{
	/* z U+007A < é U+00E9 < € U+20AC < ｚ U+FF5A < 😀 U+1F600. UTF-16
	 * order would put the emoji (surrogate D83D) before U+FF5A. */
	expect_canon("{\"😀\":5,\"ｚ\":4,\"€\":3,\"é\":2,\"z\":1}",
		     "{\"z\":1,\"é\":2,\"€\":3,\"ｚ\":4,\"😀\":5}");
	/* escaped input comes out as raw UTF-8 */
	expect_canon("{\"\\u00e9\":\"\\ud83d\\ude00\"}", "{\"é\":\"😀\"}");
}

Test(canonical, string_escapes)
{
	/* only " \ and controls are escaped; short forms where the grammar has
	 * them, else \u00XX lowercase; "/", DEL and U+2028 stay as they are */
	expect_canon("[\"\\u0001\\u001F\\u000b\\b\\f\\n\\r\\t\\\"\\\\\\/\\u007f\\u2028\"]",
		     "[\"\\u0001\\u001f\\u000b\\b\\f\\n\\r\\t\\\"\\\\/\x7f\xe2\x80\xa8\"]");
	expect_canon("{\"k\\\"ey\\n\":\"v\"}", "{\"k\\\"ey\\n\":\"v\"}");
}

Test(canonical, invalid_utf8_refused)
{
	cJSON *j;

	cr_expect_eq(canon_status(cJSON_CreateString("\xff")), MX_ERR_INVALID);
	cr_expect_eq(canon_status(cJSON_CreateString("\xc0\x80")), MX_ERR_INVALID);     /* overlong NUL */
	cr_expect_eq(canon_status(cJSON_CreateString("\xed\xa0\x80")), MX_ERR_INVALID); /* surrogate */
	cr_expect_eq(canon_status(cJSON_CreateString("\xf4\x90\x80\x80")), MX_ERR_INVALID); /* > U+10FFFF */
	cr_expect_eq(canon_status(cJSON_CreateString("ab\xe6\x97")), MX_ERR_INVALID);   /* truncated */
	j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "\xfe", 1);
	cr_expect_eq(canon_status(j), MX_ERR_INVALID); /* in a key too */
	cr_expect_eq(canon_status(cJSON_CreateString("\xf0\x9f\x98\x80")), MX_OK);
}

Test(canonical, integers_in_range)
{
	expect_canon("[0,-1,1,9007199254740991,-9007199254740991,1E3,2.0]",
		     "[0,-1,1,9007199254740991,-9007199254740991,1000,2]");
}

Test(canonical, non_integers_and_out_of_range_refused)
{
	static const char *const bad[] = {
		"1.5", "0.1", "-2.25", "9007199254740992", "-9007199254740992", "1e300",
		"{\"a\":{\"b\":[1,2,3.5]}}", "[1e16]",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(canon_status(cJSON_Parse(bad[i])), MX_ERR_INVALID, "%s accepted", bad[i]);
	cr_expect_eq(canon_status(cJSON_CreateNumber(NAN)), MX_ERR_INVALID);
	cr_expect_eq(canon_status(cJSON_CreateNumber(INFINITY)), MX_ERR_INVALID);
	cr_expect_eq(canon_status(cJSON_CreateNumber(-INFINITY)), MX_ERR_INVALID);
}

Test(canonical, duplicate_keys_refused)
{
	cr_expect_eq(canon_status(cJSON_Parse("{\"a\":1,\"b\":2,\"a\":1}")), MX_ERR_INVALID);
	cr_expect_eq(canon_status(cJSON_Parse("{\"x\":{\"a\":1,\"a\":2}}")), MX_ERR_INVALID);
}

Test(canonical, raw_nodes_refused)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddRawToObject(j, "r", "{ \"not\" : 1.5 }");
	cr_expect_eq(canon_status(j), MX_ERR_INVALID);
}

Test(canonical, signing_bytes_drop_only_top_level_signatures_and_unsigned)
{
	cJSON *j = cJSON_Parse("{\"b\":1,\"unsigned\":{\"age\":5},\"signatures\":{\"x\":{}},"
			       "\"a\":{\"unsigned\":1,\"signatures\":2}}");
	char *out = NULL;
	mx_error err;

	cr_assert_eq(mx_signing_bytes(j, &out, &err), MX_OK, "%s", err.message);
	cr_expect_str_eq(out, "{\"a\":{\"signatures\":2,\"unsigned\":1},\"b\":1}");
	free(out);
	cJSON_Delete(j);
	j = cJSON_Parse("[1]");
	out = NULL;
	cr_expect_eq(mx_signing_bytes(j, &out, &err), MX_ERR_INVALID);
	cr_expect_null(out);
	cJSON_Delete(j);
}

/* ---- signing ---- */

/* Unpadded standard base64, ignoring stray low bits of the last character
 * as Python's decoder does (the spec's seed has them). Returns bytes. */
static size_t b64_decode(const char *in, uint8_t *out, size_t cap)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;

	for (; *in != '\0'; in++) {
		const char *p = strchr(alphabet, *in);

		cr_assert(p != NULL && *in != '\0', "bad base64 character");
		acc = (acc << 6) | (uint32_t)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			cr_assert_lt(n, cap);
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}

static int pk_sign_cb(void *ctx, const char *msg, size_t len, char **out_sig, mx_error *err)
{
	return mx_olm_pk_sign(ctx, msg, len, out_sig, err);
}

static int account_sign_cb(void *ctx, const char *msg, size_t len, char **out_sig, mx_error *err)
{
	return mx_olm_account_sign(ctx, msg, len, out_sig, err);
}

static int failing_sign_cb(void *ctx, const char *msg, size_t len, char **out_sig, mx_error *err)
{
	return mx_error_set(err, MX_ERR_INVALID, "signer refused");
}

/* Always succeeds, so only mx_json_sign's own checks can fail. */
static int dummy_sign_cb(void *ctx, const char *msg, size_t len, char **out_sig, mx_error *err)
{
	*out_sig = strdup("c2ln");
	return *out_sig != NULL ? MX_OK : MX_ERR_NOMEM;
}

/* The spec's test signing key (appendix "Cryptographic Test Vectors" >
 * "Signing Key"): SIGNING_KEY_SEED = decode_base64("YJDBA9Xn...XA1"). */
static mx_olm_pk_signing *spec_signing_key(void)
{
	uint8_t seed[MX_OLM_PK_SEED_LEN];
	mx_olm_pk_signing *k = NULL;
	mx_error err;

	cr_assert_eq(b64_decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1", seed, sizeof(seed)),
		     sizeof(seed));
	cr_assert_eq(mx_olm_pk_signing_new(&k, seed, &err), MX_OK, "%s", err.message);
	return k;
}

/* Signs the JSON text in as the spec's "domain"/"ed25519:1" and compares
 * the whole result with the expected signed JSON. */
static void expect_spec_signature(mx_olm_pk_signing *k, const char *in, const char *expected)
{
	cJSON *j = cJSON_Parse(in);
	char *got = NULL, *want = NULL;
	mx_error err;

	cr_assert_not_null(j);
	cr_assert_eq(mx_json_sign(j, "domain", "ed25519:1", pk_sign_cb, k, &err), MX_OK, "%s",
		     err.message);
	cr_assert_eq(mx_canonical_json(j, &got, &err), MX_OK, "%s", err.message);
	want = canon_of(expected);
	cr_expect_str_eq(got, want);
	cr_expect_eq(mx_json_verify(j, "domain", "ed25519:1", mx_olm_pk_signing_public(k), &err),
		     MX_OK, "%s", err.message);
	free(got);
	free(want);
	cJSON_Delete(j);
}

/* Spec appendix "Cryptographic Test Vectors" > "JSON Signing": both. */
Test(signing, spec_json_signing_vectors)
{
	mx_olm_pk_signing *k = spec_signing_key();

	expect_spec_signature(k, "{}",
		"{\"signatures\":{\"domain\":{\"ed25519:1\":\"K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7"
		"Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ\"}}}");
	expect_spec_signature(k, "{\"one\": 1, \"two\": \"Two\"}",
		"{\"one\":1,\"signatures\":{\"domain\":{\"ed25519:1\":\"KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ"
		"4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw\"}},\"two\":\"Two\"}");
	mx_olm_pk_signing_free(k);
}

/* Spec appendix "Cryptographic Test Vectors" > "Event Signing". The
 * content hash and the redaction are not this module's job: the hash is
 * taken from the expected output and the redacted form (content emptied
 * for m.room.message) is written out here. The signature must match. */
Test(signing, spec_event_signing_vectors)
{
	mx_olm_pk_signing *k = spec_signing_key();

	expect_spec_signature(k,
		"{\"auth_events\":[],\"content\":{},\"depth\":3,\"hashes\":{\"sha256\":"
		"\"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos\"},\"origin\":\"domain\","
		"\"origin_server_ts\":1000000,\"prev_events\":[],\"room_id\":\"!x:domain\","
		"\"sender\":\"@a:domain\",\"signatures\":{},\"type\":\"X\",\"unsigned\":{\"age_ts\":1000000}}",
		"{\"auth_events\":[],\"content\":{},\"depth\":3,\"hashes\":{\"sha256\":"
		"\"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos\"},\"origin\":\"domain\","
		"\"origin_server_ts\":1000000,\"prev_events\":[],\"room_id\":\"!x:domain\","
		"\"sender\":\"@a:domain\",\"signatures\":{\"domain\":{\"ed25519:1\":\"KxwGjPSDEtvnFgU00fwFz+l6d2p"
		"JM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg\"}},\"type\":\"X\","
		"\"unsigned\":{\"age_ts\":1000000}}");
	expect_spec_signature(k,
		"{\"content\":{},\"event_id\":\"$0:domain\",\"hashes\":{\"sha256\":"
		"\"onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g\"},\"origin\":\"domain\","
		"\"origin_server_ts\":1000000,\"type\":\"m.room.message\",\"room_id\":\"!r:domain\","
		"\"sender\":\"@u:domain\",\"signatures\":{},\"unsigned\":{\"age_ts\":1000000}}",
		"{\"content\":{},\"event_id\":\"$0:domain\",\"hashes\":{\"sha256\":"
		"\"onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g\"},\"origin\":\"domain\","
		"\"origin_server_ts\":1000000,\"type\":\"m.room.message\",\"room_id\":\"!r:domain\","
		"\"sender\":\"@u:domain\",\"signatures\":{\"domain\":{\"ed25519:1\":\"Wm+VzmOUOz08Ds+0NTWb1d4CZrV"
		"sJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA\"}},"
		"\"unsigned\":{\"age_ts\":1000000}}");
	mx_olm_pk_signing_free(k);
}

/* A device-keys-like object signed by an account, as for /keys/upload. */
static cJSON *device_keys(const char *curve, const char *ed)
{
	cJSON *j = cJSON_CreateObject();
	cJSON *algs = cJSON_AddArrayToObject(j, "algorithms");
	cJSON *keys = cJSON_AddObjectToObject(j, "keys");

	cJSON_AddItemToArray(algs, cJSON_CreateString("m.olm.v1.curve25519-aes-sha2"));
	cJSON_AddItemToArray(algs, cJSON_CreateString("m.megolm.v1.aes-sha2"));
	cJSON_AddStringToObject(j, "user_id", "@buurtbot:localhost");
	cJSON_AddStringToObject(j, "device_id", "BUURTBOT");
	cJSON_AddStringToObject(keys, "curve25519:BUURTBOT", curve);
	cJSON_AddStringToObject(keys, "ed25519:BUURTBOT", ed);
	cJSON_AddStringToObject(j, "naam", "Wijkgroep Noord — ‘t Hofje");
	return j;
}

typedef struct signed_fixture {
	mx_olm_account *acct;
	char curve[64], ed[64];
	cJSON *obj;
} signed_fixture;

static void make_signed(signed_fixture *f)
{
	mx_error err;

	cr_assert_eq(mx_olm_account_new(&f->acct, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_account_identity(f->acct, f->curve, f->ed, &err), MX_OK);
	f->obj = device_keys(f->curve, f->ed);
	cr_assert_eq(mx_json_sign(f->obj, "@buurtbot:localhost", "ed25519:BUURTBOT", account_sign_cb,
				  f->acct, &err), MX_OK, "%s", err.message);
}

static void free_signed(signed_fixture *f)
{
	cJSON_Delete(f->obj);
	mx_olm_account_free(f->acct);
}

static int verify(const signed_fixture *f, const char *key)
{
	mx_error err;

	return mx_json_verify(f->obj, "@buurtbot:localhost", "ed25519:BUURTBOT", key, &err);
}

Test(signing, round_trip_and_unsigned_not_covered)
{
	signed_fixture f;
	cJSON *us;

	make_signed(&f);
	cr_expect_eq(verify(&f, f.ed), MX_OK);
	/* "unsigned" is not covered: adding it later keeps the signature valid */
	us = cJSON_AddObjectToObject(f.obj, "unsigned");
	cJSON_AddStringToObject(us, "device_display_name", "buurtbot");
	cr_expect_eq(verify(&f, f.ed), MX_OK);
	free_signed(&f);
}

Test(signing, second_signature_keeps_the_first)
{
	signed_fixture f;
	mx_olm_pk_signing *k = spec_signing_key();
	mx_error err;

	make_signed(&f);
	cr_assert_eq(mx_json_sign(f.obj, "@buurtbot:localhost", "ed25519:SELFSIGN", pk_sign_cb, k, &err),
		     MX_OK, "%s", err.message);
	cr_assert_eq(mx_json_sign(f.obj, "@other:localhost", "ed25519:X", pk_sign_cb, k, &err), MX_OK);
	cr_expect_eq(verify(&f, f.ed), MX_OK);
	cr_expect_eq(mx_json_verify(f.obj, "@buurtbot:localhost", "ed25519:SELFSIGN",
				    mx_olm_pk_signing_public(k), &err), MX_OK, "%s", err.message);
	cr_expect_eq(mx_json_verify(f.obj, "@other:localhost", "ed25519:X",
				    mx_olm_pk_signing_public(k), &err), MX_OK, "%s", err.message);
	/* signing the same key id again replaces, not duplicates */
	cr_assert_eq(mx_json_sign(f.obj, "@buurtbot:localhost", "ed25519:BUURTBOT", account_sign_cb,
				  f.acct, &err), MX_OK);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(f.obj, "signatures"),
							    "@buurtbot:localhost")), 2);
	cr_expect_eq(verify(&f, f.ed), MX_OK);
	mx_olm_pk_signing_free(k);
	free_signed(&f);
}

Test(signing, tampered_object_fails)
{
	signed_fixture f;
	char *before = NULL;

	make_signed(&f);
	cJSON_ReplaceItemInObjectCaseSensitive(f.obj, "device_id", cJSON_CreateString("BUURTBOX"));
	cr_expect_eq(verify(&f, f.ed), MX_ERR_INVALID);
	free_signed(&f);

	make_signed(&f);
	cJSON_AddBoolToObject(f.obj, "extra", 1);
	cr_expect_eq(verify(&f, f.ed), MX_ERR_INVALID);
	free_signed(&f);

	/* a flipped character in the signature itself */
	make_signed(&f);
	{
		cJSON *s = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(f.obj, "signatures"),
						"@buurtbot:localhost"), "ed25519:BUURTBOT");
		before = strdup(s->valuestring);
		before[10] = before[10] == 'A' ? 'B' : 'A';
		cJSON_SetValuestring(s, before);
	}
	cr_expect_eq(verify(&f, f.ed), MX_ERR_INVALID);
	free(before);
	free_signed(&f);
}

Test(signing, wrong_key_fails)
{
	signed_fixture f, g;

	make_signed(&f);
	make_signed(&g);
	cr_expect_eq(verify(&f, g.ed), MX_ERR_INVALID);
	cr_expect_eq(verify(&f, f.curve), MX_ERR_INVALID); /* right account, wrong kind of key */
	cr_expect_eq(verify(&f, "not a key"), MX_ERR_INVALID);
	free_signed(&f);
	free_signed(&g);
}

Test(signing, missing_or_foreign_signatures_fail)
{
	signed_fixture f;
	mx_error err;

	make_signed(&f);
	cr_expect_eq(mx_json_verify(f.obj, "@someone:localhost", "ed25519:BUURTBOT", f.ed, &err),
		     MX_ERR_INVALID);
	cr_expect_eq(mx_json_verify(f.obj, "@buurtbot:localhost", "ed25519:OTHER", f.ed, &err),
		     MX_ERR_INVALID);
	/* only ed25519 is understood: a valid Ed25519 signature filed under
	 * another algorithm's key id does not count */
	cr_assert_eq(mx_json_sign(f.obj, "@buurtbot:localhost", "curve25519:BUURTBOT", account_sign_cb,
				  f.acct, &err), MX_OK);
	cr_expect_eq(mx_json_verify(f.obj, "@buurtbot:localhost", "curve25519:BUURTBOT", f.ed, &err),
		     MX_ERR_INVALID);
	cJSON_DeleteItemFromObject(f.obj, "signatures");
	cr_expect_eq(verify(&f, f.ed), MX_ERR_INVALID);
	free_signed(&f);
}

Test(signing, verify_leaves_input_unchanged)
{
	signed_fixture f;
	char *before, *after;

	make_signed(&f);
	cJSON_AddObjectToObject(f.obj, "unsigned");
	before = cJSON_PrintUnformatted(f.obj);
	cr_expect_eq(verify(&f, f.ed), MX_OK);
	cr_expect_eq(verify(&f, f.curve), MX_ERR_INVALID);
	after = cJSON_PrintUnformatted(f.obj);
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
	free_signed(&f);
}

Test(signing, sign_failure_leaves_object_unchanged)
{
	cJSON *j = cJSON_Parse("{\"a\":1,\"signatures\":{\"@x:y\":{\"ed25519:Z\":\"sig\"}}}");
	char *before = cJSON_PrintUnformatted(j), *after;
	mx_error err;

	cr_expect_eq(mx_json_sign(j, "@me:y", "ed25519:K", failing_sign_cb, NULL, &err), MX_ERR_INVALID);
	cr_expect_str_eq(err.message, "signer refused");
	/* not signable: a float, or signatures of the wrong shape */
	cJSON_AddNumberToObject(j, "f", 0.5);
	cr_expect_eq(mx_json_sign(j, "@me:y", "ed25519:K", dummy_sign_cb, NULL, &err), MX_ERR_INVALID);
	cJSON_DeleteItemFromObject(j, "f");
	after = cJSON_PrintUnformatted(j);
	cr_expect_str_eq(after, before);
	free(after);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"signatures\":[]}");
	cr_expect_eq(mx_json_sign(j, "@me:y", "ed25519:K", dummy_sign_cb, NULL, &err), MX_ERR_INVALID);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"signatures\":{\"@me:y\":\"x\"}}");
	cr_expect_eq(mx_json_sign(j, "@me:y", "ed25519:K", dummy_sign_cb, NULL, &err), MX_ERR_INVALID);
	cJSON_Delete(j);
	/* and the dummy signer does get through where the shape is right */
	j = cJSON_Parse("{\"signatures\":{\"@me:y\":{}}}");
	cr_expect_eq(mx_json_sign(j, "@me:y", "ed25519:K", dummy_sign_cb, NULL, &err), MX_OK);
	cJSON_Delete(j);
	free(before);
}
