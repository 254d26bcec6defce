/* mx_olm.c: the one file that calls libolm. It allocates libolm's objects,
 * feeds them randomness from getrandom(2), hands libolm copies of every
 * buffer it decodes in place, and maps libolm's errors onto mx_status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <olm/olm.h>
#include <olm/pk.h>

#include "mx_olm.h"

/* Lengths of base64 Ed25519 keys and signatures (32 and 64 bytes). */
#define ED25519_KEY_B64 43
#define ED25519_SIG_B64 86

struct mx_olm_account {
	OlmAccount *olm;
	void *mem;
};

struct mx_olm_session {
	OlmSession *olm;
	void *mem;
};

struct mx_megolm_out {
	OlmOutboundGroupSession *olm;
	void *mem;
};

struct mx_megolm_in {
	OlmInboundGroupSession *olm;
	void *mem;
};

struct mx_olm_pk_signing {
	OlmPkSigning *olm;
	void *mem;
	char pub[64];
};

/* ---- helpers ---- */

/* Whether a failing call read a pickle (then undecodable input means a
 * damaged pickle) or a message (then it is bad input). */
enum olm_ctx { CTX_OTHER, CTX_PICKLE };

/* Sets err from a libolm failure of `what`; returns the mx_status. */
static int olm_fail(mx_error *err, const char *what, enum OlmErrorCode code, const char *text,
		    enum olm_ctx ctx)
{
	if (text == NULL)
		text = "unknown libolm error";
	switch (code) {
	case OLM_BAD_ACCOUNT_KEY:
		/* libolm checks a MAC over the whole pickle: a wrong key and an
		 * altered pickle look the same; the wrong key is the likely one. */
		return mx_error_set(err, MX_ERR_INVALID,
				    "%s: wrong pickle key (or altered pickle): %s", what, text);
	case OLM_CORRUPTED_PICKLE:
	case OLM_UNKNOWN_PICKLE_VERSION:
	case OLM_PICKLE_EXTRA_DATA:
	case OLM_BAD_LEGACY_ACCOUNT_PICKLE:
		return mx_error_set(err, MX_ERR_PARSE, "%s: damaged pickle: %s", what, text);
	case OLM_INVALID_BASE64:
		if (ctx == CTX_PICKLE)
			return mx_error_set(err, MX_ERR_PARSE, "%s: damaged pickle: %s", what,
					    text);
		return mx_error_set(err, MX_ERR_INVALID, "%s: %s", what, text);
	default:
		return mx_error_set(err, MX_ERR_INVALID, "%s: %s", what, text);
	}
}

static int nomem(mx_error *err, const char *what)
{
	return mx_error_set(err, MX_ERR_NOMEM, "%s: out of memory", what);
}

static int bad_arg(mx_error *err, const char *what)
{
	return mx_error_set(err, MX_ERR_INVALID, "%s: missing argument", what);
}

/* A malloc'ed NUL-terminated copy of n bytes, for libolm calls that
 * destroy their input. NULL when out of memory. */
static char *dup_bytes(const void *p, size_t n)
{
	char *c = malloc(n + 1);

	if (c == NULL)
		return NULL;
	memcpy(c, p, n);
	c[n] = '\0';
	return c;
}

/* Frees a buffer that held (or may have held) secret bytes. */
static void wipe_free(void *p, size_t n)
{
	if (p == NULL)
		return;
	explicit_bzero(p, n);
	free(p);
}

int mx_olm_random(uint8_t *buf, size_t n, mx_error *err)
{
	size_t done = 0;

	if (buf == NULL && n > 0)
		return bad_arg(err, "random");
	while (done < n) {
		ssize_t got = getrandom(buf + done, n - done, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			/* Never leave a half-random buffer that looks usable. */
			explicit_bzero(buf, n);
			return mx_error_set(err, MX_ERR_INVALID, "getrandom: %s", strerror(errno));
		}
		done += (size_t)got;
	}
	return MX_OK;
}

/* *out: n fresh random bytes (at least one byte allocated), to be released
 * with wipe_free(*out, n). */
static int random_buf(size_t n, uint8_t **out, mx_error *err)
{
	uint8_t *buf = malloc(n > 0 ? n : 1);
	int rc;

	if (buf == NULL)
		return nomem(err, "random");
	rc = mx_olm_random(buf, n, err);
	if (rc != MX_OK) {
		free(buf);
		return rc;
	}
	*out = buf;
	return MX_OK;
}

/* Parses libolm's key JSON ({"curve25519": {...}}) into *out. */
static int parse_keys(const char *json, size_t len, const char *what, cJSON **out,
		      mx_error *err)
{
	cJSON *root = cJSON_ParseWithLength(json, len);

	if (root == NULL || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "curve25519"))) {
		cJSON_Delete(root);
		return mx_error_set(err, MX_ERR_PARSE, "%s: libolm gave unexpected JSON", what);
	}
	*out = root;
	return MX_OK;
}

/* ---- account ---- */

static mx_olm_account *account_alloc(void)
{
	mx_olm_account *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->mem = malloc(olm_account_size());
	if (a->mem == NULL) {
		free(a);
		return NULL;
	}
	a->olm = olm_account(a->mem);
	return a;
}

void mx_olm_account_free(mx_olm_account *a)
{
	if (a == NULL)
		return;
	olm_clear_account(a->olm); /* wipes the private keys */
	free(a->mem);
	free(a);
}

int mx_olm_account_new(mx_olm_account **out, mx_error *err)
{
	mx_olm_account *a = NULL;
	uint8_t *rnd = NULL;
	size_t rlen = 0;
	int rc;

	if (out == NULL)
		return bad_arg(err, "account new");
	a = account_alloc();
	if (a == NULL) {
		rc = nomem(err, "account new");
		goto cleanup;
	}
	rlen = olm_create_account_random_length(a->olm);
	rc = random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_create_account(a->olm, rnd, rlen) == olm_error()) {
		rc = olm_fail(err, "account new", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_OTHER);
		goto cleanup;
	}
	*out = a;
	a = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(rnd, rlen); /* the random bytes are the private keys */
	mx_olm_account_free(a);
	return rc;
}

int mx_olm_account_unpickle(mx_olm_account **out, const char *pickle, const char *key,
			    mx_error *err)
{
	mx_olm_account *a = NULL;
	char *copy = NULL;
	size_t len = 0;
	int rc;

	if (out == NULL || pickle == NULL || key == NULL)
		return bad_arg(err, "account unpickle");
	len = strlen(pickle);
	a = account_alloc();
	copy = dup_bytes(pickle, len);
	if (a == NULL || copy == NULL) {
		rc = nomem(err, "account unpickle");
		goto cleanup;
	}
	if (olm_unpickle_account(a->olm, key, strlen(key), copy, len) == olm_error()) {
		rc = olm_fail(err, "account unpickle", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_PICKLE);
		goto cleanup;
	}
	*out = a;
	a = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(copy, len); /* now holds the decrypted private keys */
	mx_olm_account_free(a);
	return rc;
}

int mx_olm_account_pickle(const mx_olm_account *a, const char *key, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (a == NULL || key == NULL || out == NULL)
		return bad_arg(err, "account pickle");
	len = olm_pickle_account_length(a->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "account pickle");
		goto cleanup;
	}
	n = olm_pickle_account(a->olm, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "account pickle", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	return rc;
}

int mx_olm_account_identity(const mx_olm_account *a, char out_curve25519[64],
			    char out_ed25519[64], mx_error *err)
{
	char *buf = NULL;
	cJSON *root = NULL;
	const cJSON *curve, *ed;
	size_t len, n;
	int rc;

	if (a == NULL || out_curve25519 == NULL || out_ed25519 == NULL)
		return bad_arg(err, "account identity");
	len = olm_account_identity_keys_length(a->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "account identity");
		goto cleanup;
	}
	n = olm_account_identity_keys(a->olm, buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "account identity", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_OTHER);
		goto cleanup;
	}
	root = cJSON_ParseWithLength(buf, n);
	curve = cJSON_GetObjectItemCaseSensitive(root, "curve25519");
	ed = cJSON_GetObjectItemCaseSensitive(root, "ed25519");
	if (!cJSON_IsString(curve) || !cJSON_IsString(ed) ||
	    strlen(curve->valuestring) >= 64 || strlen(ed->valuestring) >= 64) {
		rc = mx_error_set(err, MX_ERR_PARSE, "account identity: libolm gave unexpected JSON");
		goto cleanup;
	}
	memcpy(out_curve25519, curve->valuestring, strlen(curve->valuestring) + 1);
	memcpy(out_ed25519, ed->valuestring, strlen(ed->valuestring) + 1);
	rc = MX_OK;
cleanup:
	cJSON_Delete(root);
	free(buf);
	return rc;
}

int mx_olm_account_sign(const mx_olm_account *a, const char *msg, size_t len, char **out_sig,
			mx_error *err)
{
	char *sig = NULL;
	size_t slen, n;
	int rc;

	if (a == NULL || (msg == NULL && len > 0) || out_sig == NULL)
		return bad_arg(err, "account sign");
	slen = olm_account_signature_length(a->olm);
	sig = malloc(slen + 1);
	if (sig == NULL) {
		rc = nomem(err, "account sign");
		goto cleanup;
	}
	n = olm_account_sign(a->olm, msg != NULL ? msg : "", len, sig, slen);
	if (n == olm_error()) {
		rc = olm_fail(err, "account sign", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_OTHER);
		goto cleanup;
	}
	sig[n] = '\0';
	*out_sig = sig;
	sig = NULL;
	rc = MX_OK;
cleanup:
	free(sig);
	return rc;
}

size_t mx_olm_account_max_one_time_keys(const mx_olm_account *a)
{
	return a != NULL ? olm_account_max_number_of_one_time_keys(a->olm) : 0;
}

int mx_olm_account_generate_one_time_keys(mx_olm_account *a, size_t n, mx_error *err)
{
	uint8_t *rnd = NULL;
	size_t rlen = 0;
	int rc;

	if (a == NULL)
		return bad_arg(err, "generate one-time keys");
	rlen = olm_account_generate_one_time_keys_random_length(a->olm, n);
	rc = random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_account_generate_one_time_keys(a->olm, n, rnd, rlen) == olm_error()) {
		rc = olm_fail(err, "generate one-time keys", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_OTHER);
		goto cleanup;
	}
	rc = MX_OK;
cleanup:
	wipe_free(rnd, rlen);
	return rc;
}

int mx_olm_account_one_time_keys(const mx_olm_account *a, cJSON **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (a == NULL || out == NULL)
		return bad_arg(err, "one-time keys");
	len = olm_account_one_time_keys_length(a->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "one-time keys");
		goto cleanup;
	}
	n = olm_account_one_time_keys(a->olm, buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "one-time keys", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_OTHER);
		goto cleanup;
	}
	rc = parse_keys(buf, n, "one-time keys", out, err);
cleanup:
	free(buf);
	return rc;
}

int mx_olm_account_fallback_key(const mx_olm_account *a, cJSON **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (a == NULL || out == NULL)
		return bad_arg(err, "fallback key");
	len = olm_account_unpublished_fallback_key_length(a->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "fallback key");
		goto cleanup;
	}
	n = olm_account_unpublished_fallback_key(a->olm, buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "fallback key", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_OTHER);
		goto cleanup;
	}
	rc = parse_keys(buf, n, "fallback key", out, err);
cleanup:
	free(buf);
	return rc;
}

int mx_olm_account_generate_fallback_key(mx_olm_account *a, mx_error *err)
{
	uint8_t *rnd = NULL;
	size_t rlen = 0;
	int rc;

	if (a == NULL)
		return bad_arg(err, "generate fallback key");
	rlen = olm_account_generate_fallback_key_random_length(a->olm);
	rc = random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_account_generate_fallback_key(a->olm, rnd, rlen) == olm_error()) {
		rc = olm_fail(err, "generate fallback key", olm_account_last_error_code(a->olm),
			      olm_account_last_error(a->olm), CTX_OTHER);
		goto cleanup;
	}
	rc = MX_OK;
cleanup:
	wipe_free(rnd, rlen);
	return rc;
}

void mx_olm_account_mark_published(mx_olm_account *a)
{
	if (a != NULL)
		(void)olm_account_mark_keys_as_published(a->olm);
}

/* ---- Olm sessions ---- */

static mx_olm_session *session_alloc(void)
{
	mx_olm_session *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->mem = malloc(olm_session_size());
	if (s->mem == NULL) {
		free(s);
		return NULL;
	}
	s->olm = olm_session(s->mem);
	return s;
}

void mx_olm_session_free(mx_olm_session *s)
{
	if (s == NULL)
		return;
	olm_clear_session(s->olm);
	free(s->mem);
	free(s);
}

int mx_olm_session_new_outbound(mx_olm_session **out, const mx_olm_account *a,
				const char *their_identity_key, const char *their_one_time_key,
				mx_error *err)
{
	mx_olm_session *s = NULL;
	uint8_t *rnd = NULL;
	size_t rlen = 0;
	int rc;

	if (out == NULL || a == NULL || their_identity_key == NULL || their_one_time_key == NULL)
		return bad_arg(err, "outbound session");
	s = session_alloc();
	if (s == NULL) {
		rc = nomem(err, "outbound session");
		goto cleanup;
	}
	rlen = olm_create_outbound_session_random_length(s->olm);
	rc = random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_create_outbound_session(s->olm, a->olm, their_identity_key,
					strlen(their_identity_key), their_one_time_key,
					strlen(their_one_time_key), rnd, rlen) == olm_error()) {
		rc = olm_fail(err, "outbound session", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(rnd, rlen);
	mx_olm_session_free(s);
	return rc;
}

int mx_olm_session_new_inbound(mx_olm_session **out, mx_olm_account *a,
			       const char *their_identity_key, const char *pre_key_body,
			       mx_error *err)
{
	mx_olm_session *s = NULL;
	char *copy = NULL;
	size_t len = 0, r;
	int rc;

	if (out == NULL || a == NULL || pre_key_body == NULL)
		return bad_arg(err, "inbound session");
	len = strlen(pre_key_body);
	s = session_alloc();
	copy = dup_bytes(pre_key_body, len);
	if (s == NULL || copy == NULL) {
		rc = nomem(err, "inbound session");
		goto cleanup;
	}
	/* The _from variant also checks the sender's identity key. */
	if (their_identity_key != NULL)
		r = olm_create_inbound_session_from(s->olm, a->olm, their_identity_key,
						    strlen(their_identity_key), copy, len);
	else
		r = olm_create_inbound_session(s->olm, a->olm, copy, len);
	if (r == olm_error()) {
		rc = olm_fail(err, "inbound session", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	free(copy);
	mx_olm_session_free(s);
	return rc;
}

int mx_olm_account_remove_one_time_keys(mx_olm_account *a, mx_olm_session *s, mx_error *err)
{
	if (a == NULL || s == NULL)
		return bad_arg(err, "remove one-time keys");
	if (olm_remove_one_time_keys(a->olm, s->olm) == olm_error())
		return olm_fail(err, "remove one-time keys", olm_account_last_error_code(a->olm),
				olm_account_last_error(a->olm), CTX_OTHER);
	return MX_OK;
}

int mx_olm_session_matches_inbound(mx_olm_session *s, const char *their_identity_key,
				   const char *pre_key_body)
{
	char *copy = NULL;
	size_t len, r;

	if (s == NULL || pre_key_body == NULL)
		return 0;
	len = strlen(pre_key_body);
	copy = dup_bytes(pre_key_body, len);
	if (copy == NULL)
		return 0;
	if (their_identity_key != NULL)
		r = olm_matches_inbound_session_from(s->olm, their_identity_key,
						     strlen(their_identity_key), copy, len);
	else
		r = olm_matches_inbound_session(s->olm, copy, len);
	free(copy);
	return r == 1 ? 1 : 0; /* olm_error() (undecodable) counts as no match */
}

int mx_olm_session_id(const mx_olm_session *s, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || out == NULL)
		return bad_arg(err, "session id");
	len = olm_session_id_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "session id");
		goto cleanup;
	}
	n = olm_session_id(s->olm, buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "session id", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	return rc;
}

int mx_olm_session_encrypt(mx_olm_session *s, const char *plaintext, int *out_type,
			   char **out_body, mx_error *err)
{
	uint8_t *rnd = NULL;
	char *body = NULL;
	size_t rlen = 0, plen, blen, type, n;
	int rc;

	if (s == NULL || plaintext == NULL || out_type == NULL || out_body == NULL)
		return bad_arg(err, "olm encrypt");
	plen = strlen(plaintext);
	type = olm_encrypt_message_type(s->olm);
	if (type == olm_error()) {
		rc = olm_fail(err, "olm encrypt", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	rlen = olm_encrypt_random_length(s->olm);
	rc = random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	blen = olm_encrypt_message_length(s->olm, plen);
	body = malloc(blen + 1);
	if (body == NULL) {
		rc = nomem(err, "olm encrypt");
		goto cleanup;
	}
	n = olm_encrypt(s->olm, plaintext, plen, rnd, rlen, body, blen);
	if (n == olm_error()) {
		rc = olm_fail(err, "olm encrypt", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	body[n] = '\0';
	*out_type = type == OLM_MESSAGE_TYPE_PRE_KEY ? MX_OLM_PRE_KEY : MX_OLM_MESSAGE;
	*out_body = body;
	body = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(rnd, rlen);
	free(body);
	return rc;
}

int mx_olm_session_decrypt(mx_olm_session *s, int type, const char *body, char **out_plain,
			   mx_error *err)
{
	char *copy = NULL;
	char *plain = NULL;
	size_t len = 0, max = 0, n;
	int rc;

	if (s == NULL || body == NULL || out_plain == NULL)
		return bad_arg(err, "olm decrypt");
	if (type != MX_OLM_PRE_KEY && type != MX_OLM_MESSAGE)
		return mx_error_set(err, MX_ERR_INVALID, "olm decrypt: unknown message type %d",
				    type);
	len = strlen(body);
	copy = dup_bytes(body, len);
	if (copy == NULL) {
		rc = nomem(err, "olm decrypt");
		goto cleanup;
	}
	max = olm_decrypt_max_plaintext_length(s->olm, (size_t)type, copy, len);
	if (max == olm_error()) {
		max = 0;
		rc = olm_fail(err, "olm decrypt", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	memcpy(copy, body, len); /* the length query decoded it in place */
	plain = malloc(max + 1);
	if (plain == NULL) {
		rc = nomem(err, "olm decrypt");
		goto cleanup;
	}
	n = olm_decrypt(s->olm, (size_t)type, copy, len, plain, max);
	if (n == olm_error()) {
		rc = olm_fail(err, "olm decrypt", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	plain[n] = '\0';
	*out_plain = plain;
	plain = NULL;
	rc = MX_OK;
cleanup:
	free(copy);
	wipe_free(plain, max + 1);
	return rc;
}

int mx_olm_session_pickle(const mx_olm_session *s, const char *key, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || key == NULL || out == NULL)
		return bad_arg(err, "session pickle");
	len = olm_pickle_session_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "session pickle");
		goto cleanup;
	}
	n = olm_pickle_session(s->olm, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "session pickle", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	return rc;
}

int mx_olm_session_unpickle(mx_olm_session **out, const char *pickle, const char *key,
			    mx_error *err)
{
	mx_olm_session *s = NULL;
	char *copy = NULL;
	size_t len = 0;
	int rc;

	if (out == NULL || pickle == NULL || key == NULL)
		return bad_arg(err, "session unpickle");
	len = strlen(pickle);
	s = session_alloc();
	copy = dup_bytes(pickle, len);
	if (s == NULL || copy == NULL) {
		rc = nomem(err, "session unpickle");
		goto cleanup;
	}
	if (olm_unpickle_session(s->olm, key, strlen(key), copy, len) == olm_error()) {
		rc = olm_fail(err, "session unpickle", olm_session_last_error_code(s->olm),
			      olm_session_last_error(s->olm), CTX_PICKLE);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(copy, len);
	mx_olm_session_free(s);
	return rc;
}

/* ---- Megolm outbound ---- */

static mx_megolm_out *megolm_out_alloc(void)
{
	mx_megolm_out *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->mem = malloc(olm_outbound_group_session_size());
	if (s->mem == NULL) {
		free(s);
		return NULL;
	}
	s->olm = olm_outbound_group_session(s->mem);
	return s;
}

void mx_megolm_out_free(mx_megolm_out *s)
{
	if (s == NULL)
		return;
	olm_clear_outbound_group_session(s->olm);
	free(s->mem);
	free(s);
}

int mx_megolm_out_new(mx_megolm_out **out, mx_error *err)
{
	mx_megolm_out *s = NULL;
	uint8_t *rnd = NULL;
	size_t rlen = 0;
	int rc;

	if (out == NULL)
		return bad_arg(err, "megolm new");
	s = megolm_out_alloc();
	if (s == NULL) {
		rc = nomem(err, "megolm new");
		goto cleanup;
	}
	rlen = olm_init_outbound_group_session_random_length(s->olm);
	rc = random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_init_outbound_group_session(s->olm, rnd, rlen) == olm_error()) {
		rc = olm_fail(err, "megolm new", olm_outbound_group_session_last_error_code(s->olm),
			      olm_outbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(rnd, rlen);
	mx_megolm_out_free(s);
	return rc;
}

int mx_megolm_out_id(const mx_megolm_out *s, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || out == NULL)
		return bad_arg(err, "megolm id");
	len = olm_outbound_group_session_id_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "megolm id");
		goto cleanup;
	}
	n = olm_outbound_group_session_id(s->olm, (uint8_t *)buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "megolm id", olm_outbound_group_session_last_error_code(s->olm),
			      olm_outbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	return rc;
}

int mx_megolm_out_key(const mx_megolm_out *s, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len = 0, n;
	int rc;

	if (s == NULL || out == NULL)
		return bad_arg(err, "megolm key");
	len = olm_outbound_group_session_key_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "megolm key");
		goto cleanup;
	}
	n = olm_outbound_group_session_key(s->olm, (uint8_t *)buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "megolm key", olm_outbound_group_session_last_error_code(s->olm),
			      olm_outbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(buf, len + 1);
	return rc;
}

uint32_t mx_megolm_out_index(const mx_megolm_out *s)
{
	return s != NULL ? olm_outbound_group_session_message_index(s->olm) : 0;
}

int mx_megolm_out_encrypt(mx_megolm_out *s, const char *plaintext, char **out_ciphertext,
			  mx_error *err)
{
	char *buf = NULL;
	size_t plen, len, n;
	int rc;

	if (s == NULL || plaintext == NULL || out_ciphertext == NULL)
		return bad_arg(err, "megolm encrypt");
	plen = strlen(plaintext);
	/* Asked every time: the length grows once the index needs more
	 * varint bytes (past 127). */
	len = olm_group_encrypt_message_length(s->olm, plen);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "megolm encrypt");
		goto cleanup;
	}
	n = olm_group_encrypt(s->olm, (const uint8_t *)plaintext, plen, (uint8_t *)buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "megolm encrypt",
			      olm_outbound_group_session_last_error_code(s->olm),
			      olm_outbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out_ciphertext = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	return rc;
}

int mx_megolm_out_pickle(const mx_megolm_out *s, const char *key, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || key == NULL || out == NULL)
		return bad_arg(err, "megolm pickle");
	len = olm_pickle_outbound_group_session_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "megolm pickle");
		goto cleanup;
	}
	n = olm_pickle_outbound_group_session(s->olm, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "megolm pickle",
			      olm_outbound_group_session_last_error_code(s->olm),
			      olm_outbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	return rc;
}

int mx_megolm_out_unpickle(mx_megolm_out **out, const char *pickle, const char *key,
			   mx_error *err)
{
	mx_megolm_out *s = NULL;
	char *copy = NULL;
	size_t len = 0;
	int rc;

	if (out == NULL || pickle == NULL || key == NULL)
		return bad_arg(err, "megolm unpickle");
	len = strlen(pickle);
	s = megolm_out_alloc();
	copy = dup_bytes(pickle, len);
	if (s == NULL || copy == NULL) {
		rc = nomem(err, "megolm unpickle");
		goto cleanup;
	}
	if (olm_unpickle_outbound_group_session(s->olm, key, strlen(key), copy, len) ==
	    olm_error()) {
		rc = olm_fail(err, "megolm unpickle",
			      olm_outbound_group_session_last_error_code(s->olm),
			      olm_outbound_group_session_last_error(s->olm), CTX_PICKLE);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(copy, len);
	mx_megolm_out_free(s);
	return rc;
}

/* ---- Megolm inbound ---- */

static mx_megolm_in *megolm_in_alloc(void)
{
	mx_megolm_in *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->mem = malloc(olm_inbound_group_session_size());
	if (s->mem == NULL) {
		free(s);
		return NULL;
	}
	s->olm = olm_inbound_group_session(s->mem);
	return s;
}

void mx_megolm_in_free(mx_megolm_in *s)
{
	if (s == NULL)
		return;
	olm_clear_inbound_group_session(s->olm);
	free(s->mem);
	free(s);
}

/* Shared by _new and _import, which differ only in the libolm call. */
static int megolm_in_from_key(mx_megolm_in **out, const char *key, int exported,
			      mx_error *err)
{
	const char *what = exported ? "megolm import" : "megolm inbound";
	mx_megolm_in *s = NULL;
	char *copy = NULL;
	size_t len = 0, r;
	int rc;

	if (out == NULL || key == NULL)
		return bad_arg(err, what);
	len = strlen(key);
	s = megolm_in_alloc();
	/* import overwrites its (const-declared) input with the decoded key */
	copy = dup_bytes(key, len);
	if (s == NULL || copy == NULL) {
		rc = nomem(err, what);
		goto cleanup;
	}
	if (exported)
		r = olm_import_inbound_group_session(s->olm, (const uint8_t *)copy, len);
	else
		r = olm_init_inbound_group_session(s->olm, (const uint8_t *)copy, len);
	if (r == olm_error()) {
		rc = olm_fail(err, what, olm_inbound_group_session_last_error_code(s->olm),
			      olm_inbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(copy, len);
	mx_megolm_in_free(s);
	return rc;
}

int mx_megolm_in_new(mx_megolm_in **out, const char *session_key, mx_error *err)
{
	return megolm_in_from_key(out, session_key, 0, err);
}

int mx_megolm_in_import(mx_megolm_in **out, const char *exported_key, mx_error *err)
{
	return megolm_in_from_key(out, exported_key, 1, err);
}

int mx_megolm_in_export(const mx_megolm_in *s, uint32_t index, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len = 0, n;
	int rc;

	if (s == NULL || out == NULL)
		return bad_arg(err, "megolm export");
	len = olm_export_inbound_group_session_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "megolm export");
		goto cleanup;
	}
	n = olm_export_inbound_group_session(s->olm, (uint8_t *)buf, len, index);
	if (n == olm_error()) {
		rc = olm_fail(err, "megolm export", olm_inbound_group_session_last_error_code(s->olm),
			      olm_inbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(buf, len + 1);
	return rc;
}

int mx_megolm_in_id(const mx_megolm_in *s, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || out == NULL)
		return bad_arg(err, "megolm inbound id");
	len = olm_inbound_group_session_id_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "megolm inbound id");
		goto cleanup;
	}
	n = olm_inbound_group_session_id(s->olm, (uint8_t *)buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "megolm inbound id",
			      olm_inbound_group_session_last_error_code(s->olm),
			      olm_inbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	return rc;
}

uint32_t mx_megolm_in_first_index(const mx_megolm_in *s)
{
	return s != NULL ? olm_inbound_group_session_first_known_index(s->olm) : 0;
}

int mx_megolm_in_decrypt(mx_megolm_in *s, const char *ciphertext, char **out_plain,
			 uint32_t *out_index, mx_error *err)
{
	char *copy = NULL;
	char *plain = NULL;
	size_t len = 0, max = 0, n;
	uint32_t index = 0;
	int rc;

	if (s == NULL || ciphertext == NULL || out_plain == NULL)
		return bad_arg(err, "megolm decrypt");
	len = strlen(ciphertext);
	copy = dup_bytes(ciphertext, len);
	if (copy == NULL) {
		rc = nomem(err, "megolm decrypt");
		goto cleanup;
	}
	max = olm_group_decrypt_max_plaintext_length(s->olm, (uint8_t *)copy, len);
	if (max == olm_error()) {
		max = 0;
		rc = olm_fail(err, "megolm decrypt", olm_inbound_group_session_last_error_code(s->olm),
			      olm_inbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	memcpy(copy, ciphertext, len); /* the length query decoded it in place */
	plain = malloc(max + 1);
	if (plain == NULL) {
		rc = nomem(err, "megolm decrypt");
		goto cleanup;
	}
	n = olm_group_decrypt(s->olm, (uint8_t *)copy, len, (uint8_t *)plain, max, &index);
	if (n == olm_error()) {
		rc = olm_fail(err, "megolm decrypt", olm_inbound_group_session_last_error_code(s->olm),
			      olm_inbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	plain[n] = '\0';
	*out_plain = plain;
	plain = NULL;
	if (out_index != NULL)
		*out_index = index;
	rc = MX_OK;
cleanup:
	free(copy);
	wipe_free(plain, max + 1);
	return rc;
}

int mx_megolm_in_pickle(const mx_megolm_in *s, const char *key, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || key == NULL || out == NULL)
		return bad_arg(err, "megolm inbound pickle");
	len = olm_pickle_inbound_group_session_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "megolm inbound pickle");
		goto cleanup;
	}
	n = olm_pickle_inbound_group_session(s->olm, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "megolm inbound pickle",
			      olm_inbound_group_session_last_error_code(s->olm),
			      olm_inbound_group_session_last_error(s->olm), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	return rc;
}

int mx_megolm_in_unpickle(mx_megolm_in **out, const char *pickle, const char *key,
			  mx_error *err)
{
	mx_megolm_in *s = NULL;
	char *copy = NULL;
	size_t len = 0;
	int rc;

	if (out == NULL || pickle == NULL || key == NULL)
		return bad_arg(err, "megolm inbound unpickle");
	len = strlen(pickle);
	s = megolm_in_alloc();
	copy = dup_bytes(pickle, len);
	if (s == NULL || copy == NULL) {
		rc = nomem(err, "megolm inbound unpickle");
		goto cleanup;
	}
	if (olm_unpickle_inbound_group_session(s->olm, key, strlen(key), copy, len) ==
	    olm_error()) {
		rc = olm_fail(err, "megolm inbound unpickle",
			      olm_inbound_group_session_last_error_code(s->olm),
			      olm_inbound_group_session_last_error(s->olm), CTX_PICKLE);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	wipe_free(copy, len);
	mx_megolm_in_free(s);
	return rc;
}

/* ---- signatures ---- */

int mx_olm_ed25519_verify(const char *key, const char *msg, size_t len, const char *sig,
			  mx_error *err)
{
	void *mem = NULL;
	OlmUtility *u = NULL;
	char *copy = NULL;
	size_t klen, slen;
	int rc;

	if (key == NULL || sig == NULL || (msg == NULL && len > 0))
		return bad_arg(err, "ed25519 verify");
	klen = strlen(key);
	slen = strlen(sig);
	/* Exact lengths: libolm would ignore bytes after the 64th of a
	 * signature, which would let one signature have many encodings. */
	if (klen != ED25519_KEY_B64)
		return mx_error_set(err, MX_ERR_INVALID, "ed25519 verify: key is not 43 base64 characters");
	if (slen != ED25519_SIG_B64)
		return mx_error_set(err, MX_ERR_INVALID,
				    "ed25519 verify: signature is not 86 base64 characters");
	mem = malloc(olm_utility_size());
	copy = dup_bytes(sig, slen);
	if (mem == NULL || copy == NULL) {
		rc = nomem(err, "ed25519 verify");
		goto cleanup;
	}
	u = olm_utility(mem);
	if (olm_ed25519_verify(u, key, klen, msg != NULL ? msg : "", len, copy, slen) ==
	    olm_error()) {
		enum OlmErrorCode code = olm_utility_last_error_code(u);

		if (code == OLM_BAD_MESSAGE_MAC)
			rc = mx_error_set(err, MX_ERR_INVALID, "ed25519 verify: bad signature (%s)",
					  olm_utility_last_error(u));
		else
			rc = olm_fail(err, "ed25519 verify", code, olm_utility_last_error(u),
				      CTX_OTHER);
		goto cleanup;
	}
	rc = MX_OK;
cleanup:
	if (u != NULL)
		olm_clear_utility(u);
	free(mem);
	free(copy);
	return rc;
}

int mx_olm_pk_signing_new(mx_olm_pk_signing **out, const uint8_t seed[MX_OLM_PK_SEED_LEN],
			  mx_error *err)
{
	mx_olm_pk_signing *k = NULL;
	size_t plen;
	int rc;

	if (out == NULL || seed == NULL)
		return bad_arg(err, "pk signing new");
	plen = olm_pk_signing_public_key_length();
	if (olm_pk_signing_seed_length() != MX_OLM_PK_SEED_LEN || plen >= sizeof(k->pub))
		return mx_error_set(err, MX_ERR_INVALID, "pk signing new: unexpected libolm sizes");
	k = calloc(1, sizeof(*k));
	if (k != NULL)
		k->mem = malloc(olm_pk_signing_size());
	if (k == NULL || k->mem == NULL) {
		rc = nomem(err, "pk signing new");
		goto cleanup;
	}
	k->olm = olm_pk_signing(k->mem);
	if (olm_pk_signing_key_from_seed(k->olm, k->pub, plen, seed, MX_OLM_PK_SEED_LEN) ==
	    olm_error()) {
		rc = olm_fail(err, "pk signing new", olm_pk_signing_last_error_code(k->olm),
			      olm_pk_signing_last_error(k->olm), CTX_OTHER);
		goto cleanup;
	}
	k->pub[plen] = '\0';
	*out = k;
	k = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_pk_signing_free(k);
	return rc;
}

const char *mx_olm_pk_signing_public(const mx_olm_pk_signing *k)
{
	return k != NULL ? k->pub : NULL;
}

int mx_olm_pk_sign(mx_olm_pk_signing *k, const char *msg, size_t len, char **out_sig,
		   mx_error *err)
{
	char *sig = NULL;
	size_t slen, n;
	int rc;

	if (k == NULL || (msg == NULL && len > 0) || out_sig == NULL)
		return bad_arg(err, "pk sign");
	slen = olm_pk_signature_length();
	sig = malloc(slen + 1);
	if (sig == NULL) {
		rc = nomem(err, "pk sign");
		goto cleanup;
	}
	n = olm_pk_sign(k->olm, (const uint8_t *)(msg != NULL ? msg : ""), len, (uint8_t *)sig,
			slen);
	if (n == olm_error()) {
		rc = olm_fail(err, "pk sign", olm_pk_signing_last_error_code(k->olm),
			      olm_pk_signing_last_error(k->olm), CTX_OTHER);
		goto cleanup;
	}
	sig[n < slen ? n : slen] = '\0';
	*out_sig = sig;
	sig = NULL;
	rc = MX_OK;
cleanup:
	free(sig);
	return rc;
}

void mx_olm_pk_signing_free(mx_olm_pk_signing *k)
{
	if (k == NULL)
		return;
	if (k->olm != NULL)
		olm_clear_pk_signing(k->olm);
	free(k->mem);
	free(k);
}

/* ---- sealing a secret with the pickle key ---- */

static OlmPkDecryption *pk_decryption_alloc(void **mem)
{
	*mem = malloc(olm_pk_decryption_size());
	return *mem != NULL ? olm_pk_decryption(*mem) : NULL;
}

static void pk_decryption_free(OlmPkDecryption *d, void *mem)
{
	if (d != NULL)
		olm_clear_pk_decryption(d);
	free(mem);
}

int mx_olm_seal(const char *key, const uint8_t secret[MX_OLM_PK_SEED_LEN], char **out,
		mx_error *err)
{
	void *mem = NULL;
	OlmPkDecryption *d = NULL;
	char pub[64];
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (key == NULL || secret == NULL || out == NULL)
		return bad_arg(err, "seal");
	if (olm_pk_private_key_length() != MX_OLM_PK_SEED_LEN ||
	    olm_pk_key_length() >= sizeof(pub))
		return mx_error_set(err, MX_ERR_INVALID, "seal: unexpected libolm sizes");
	d = pk_decryption_alloc(&mem);
	if (d == NULL) {
		rc = nomem(err, "seal");
		goto cleanup;
	}
	/* The secret is kept as the raw private key: get_private_key gives
	 * back exactly these bytes (clamping happens only when it is used). */
	if (olm_pk_key_from_private(d, pub, sizeof(pub), secret, MX_OLM_PK_SEED_LEN) ==
	    olm_error()) {
		rc = olm_fail(err, "seal", olm_pk_decryption_last_error_code(d),
			      olm_pk_decryption_last_error(d), CTX_OTHER);
		goto cleanup;
	}
	len = olm_pickle_pk_decryption_length(d);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = nomem(err, "seal");
		goto cleanup;
	}
	n = olm_pickle_pk_decryption(d, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = olm_fail(err, "seal", olm_pk_decryption_last_error_code(d),
			      olm_pk_decryption_last_error(d), CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	free(buf);
	pk_decryption_free(d, mem);
	return rc;
}

int mx_olm_unseal(const char *key, const char *sealed, uint8_t out[MX_OLM_PK_SEED_LEN],
		  mx_error *err)
{
	void *mem = NULL;
	OlmPkDecryption *d = NULL;
	char pub[64];
	uint8_t priv[MX_OLM_PK_SEED_LEN];
	char *copy = NULL;
	size_t len = 0;
	int rc;

	if (key == NULL || sealed == NULL || out == NULL)
		return bad_arg(err, "unseal");
	if (olm_pk_private_key_length() != MX_OLM_PK_SEED_LEN ||
	    olm_pk_key_length() >= sizeof(pub))
		return mx_error_set(err, MX_ERR_INVALID, "unseal: unexpected libolm sizes");
	len = strlen(sealed);
	d = pk_decryption_alloc(&mem);
	copy = dup_bytes(sealed, len);
	if (d == NULL || copy == NULL) {
		rc = nomem(err, "unseal");
		goto cleanup;
	}
	if (olm_unpickle_pk_decryption(d, key, strlen(key), copy, len, pub, sizeof(pub)) ==
	    olm_error()) {
		rc = olm_fail(err, "unseal", olm_pk_decryption_last_error_code(d),
			      olm_pk_decryption_last_error(d), CTX_PICKLE);
		goto cleanup;
	}
	if (olm_pk_get_private_key(d, priv, sizeof(priv)) == olm_error()) {
		rc = olm_fail(err, "unseal", olm_pk_decryption_last_error_code(d),
			      olm_pk_decryption_last_error(d), CTX_OTHER);
		goto cleanup;
	}
	memcpy(out, priv, sizeof(priv));
	rc = MX_OK;
cleanup:
	explicit_bzero(priv, sizeof(priv));
	wipe_free(copy, len);
	pk_decryption_free(d, mem);
	return rc;
}

/* ---- sealing a text with the pickle key ---- */

/* sealed text: "<sealed private key>.<ephemeral key>.<mac>.<ciphertext>",
 * all base64 (which has no '.'). libolm's PkEncryption MAC is known to be
 * weak (it covers no ciphertext), so integrity rests on the sealed key:
 * a wrong pickle key fails there, before anything is decrypted. */
int mx_olm_seal_text(const char *key, const char *text, char **out, mx_error *err)
{
	uint8_t secret[MX_OLM_PK_SEED_LEN], *rnd = NULL;
	void *dmem = NULL, *emem = NULL;
	OlmPkDecryption *d = NULL;
	OlmPkEncryption *e = NULL;
	char pub[64], *sealed = NULL, *ct = NULL, *mac = NULL, *eph = NULL, *buf = NULL;
	size_t tlen, ctlen = 0, maclen = 0, ephlen, rndlen = 0, total;
	int rc;

	if (key == NULL || text == NULL || out == NULL)
		return bad_arg(err, "seal text");
	tlen = strlen(text);
	rc = mx_olm_random(secret, sizeof(secret), err);
	if (rc != MX_OK)
		return rc;
	rc = mx_olm_seal(key, secret, &sealed, err);
	if (rc != MX_OK)
		goto cleanup;
	d = pk_decryption_alloc(&dmem);
	emem = malloc(olm_pk_encryption_size());
	if (d == NULL || emem == NULL || olm_pk_key_length() >= sizeof(pub)) {
		rc = nomem(err, "seal text");
		goto cleanup;
	}
	e = olm_pk_encryption(emem);
	if (olm_pk_key_from_private(d, pub, sizeof(pub), secret, sizeof(secret)) == olm_error()) {
		rc = olm_fail(err, "seal text", olm_pk_decryption_last_error_code(d),
			      olm_pk_decryption_last_error(d), CTX_OTHER);
		goto cleanup;
	}
	if (olm_pk_encryption_set_recipient_key(e, pub, olm_pk_key_length()) == olm_error()) {
		rc = olm_fail(err, "seal text", olm_pk_encryption_last_error_code(e),
			      olm_pk_encryption_last_error(e), CTX_OTHER);
		goto cleanup;
	}
	ctlen = olm_pk_ciphertext_length(e, tlen);
	maclen = olm_pk_mac_length(e);
	ephlen = olm_pk_key_length();
	rndlen = olm_pk_encrypt_random_length(e);
	rc = random_buf(rndlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	ct = malloc(ctlen + 1);
	mac = malloc(maclen + 1);
	eph = malloc(ephlen + 1);
	if (ct == NULL || mac == NULL || eph == NULL) {
		rc = nomem(err, "seal text");
		goto cleanup;
	}
	if (olm_pk_encrypt(e, text, tlen, ct, ctlen, mac, maclen, eph, ephlen, rnd, rndlen) == olm_error()) {
		rc = olm_fail(err, "seal text", olm_pk_encryption_last_error_code(e),
			      olm_pk_encryption_last_error(e), CTX_OTHER);
		goto cleanup;
	}
	total = strlen(sealed) + ephlen + maclen + ctlen + 4;
	buf = malloc(total);
	if (buf == NULL) {
		rc = nomem(err, "seal text");
		goto cleanup;
	}
	snprintf(buf, total, "%s.%.*s.%.*s.%.*s", sealed, (int)ephlen, eph, (int)maclen, mac, (int)ctlen, ct);
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	explicit_bzero(secret, sizeof(secret));
	wipe_free(rnd, rndlen);
	free(sealed);
	free(ct);
	free(mac);
	free(eph);
	free(buf);
	if (e != NULL)
		olm_clear_pk_encryption(e);
	free(emem);
	pk_decryption_free(d, dmem);
	return rc;
}

int mx_olm_unseal_text(const char *key, const char *sealed, char **out, mx_error *err)
{
	const char *dot1, *dot2, *dot3;
	uint8_t secret[MX_OLM_PK_SEED_LEN];
	void *mem = NULL;
	OlmPkDecryption *d = NULL;
	char pub[64], *pickled = NULL, *ct = NULL, *plain = NULL;
	size_t ctlen = 0, max = 0, n;
	int rc;

	if (key == NULL || sealed == NULL || out == NULL)
		return bad_arg(err, "unseal text");
	dot1 = strchr(sealed, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	dot3 = dot2 ? strchr(dot2 + 1, '.') : NULL;
	if (dot3 == NULL || strchr(dot3 + 1, '.') != NULL || dot3[1] == '\0')
		return mx_error_set(err, MX_ERR_PARSE, "unseal text: not a sealed text");
	pickled = dup_bytes(sealed, (size_t)(dot1 - sealed));
	if (pickled == NULL)
		return nomem(err, "unseal text");
	rc = mx_olm_unseal(key, pickled, secret, err);
	free(pickled);
	if (rc != MX_OK)
		return rc;
	d = pk_decryption_alloc(&mem);
	ctlen = strlen(dot3 + 1);
	ct = dup_bytes(dot3 + 1, ctlen);
	if (d == NULL || ct == NULL || olm_pk_key_length() >= sizeof(pub)) {
		rc = nomem(err, "unseal text");
		goto cleanup;
	}
	if (olm_pk_key_from_private(d, pub, sizeof(pub), secret, sizeof(secret)) == olm_error()) {
		rc = olm_fail(err, "unseal text", olm_pk_decryption_last_error_code(d),
			      olm_pk_decryption_last_error(d), CTX_OTHER);
		goto cleanup;
	}
	max = olm_pk_max_plaintext_length(d, ctlen);
	plain = malloc(max + 1);
	if (plain == NULL) {
		rc = nomem(err, "unseal text");
		goto cleanup;
	}
	n = olm_pk_decrypt(d, dot1 + 1, (size_t)(dot2 - dot1 - 1), dot2 + 1, (size_t)(dot3 - dot2 - 1), ct, ctlen,
			   plain, max);
	if (n == olm_error()) {
		rc = olm_fail(err, "unseal text", olm_pk_decryption_last_error_code(d),
			      olm_pk_decryption_last_error(d), CTX_OTHER);
		goto cleanup;
	}
	plain[n] = '\0';
	if (strlen(plain) != n) {
		rc = mx_error_set(err, MX_ERR_PARSE, "unseal text: not a text");
		goto cleanup;
	}
	*out = plain;
	plain = NULL;
	rc = MX_OK;
cleanup:
	explicit_bzero(secret, sizeof(secret));
	wipe_free(plain, max + 1);
	wipe_free(ct, ctlen);
	pk_decryption_free(d, mem);
	return rc;
}
