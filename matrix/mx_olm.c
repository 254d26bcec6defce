/* mx_olm.c: the account behind mx_olm.h (identity keys, one-time and
 * fallback keys), randomness from getrandom(2), and the helpers the other
 * mx_olm*.c files share: libolm's errors mapped onto mx_status, copies of
 * every buffer libolm decodes in place, wiping secrets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "mx_olm_int.h"

/* ---- helpers shared by the mx_olm*.c files (mx_olm_int.h) ---- */

int mx_olm_fail(mx_error *err, const char *what, enum OlmErrorCode code, const char *text,
		enum mx_olm_ctx ctx)
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
		if (ctx == MX_OLM_CTX_PICKLE)
			return mx_error_set(err, MX_ERR_PARSE, "%s: damaged pickle: %s", what,
					    text);
		return mx_error_set(err, MX_ERR_INVALID, "%s: %s", what, text);
	default:
		return mx_error_set(err, MX_ERR_INVALID, "%s: %s", what, text);
	}
}

int mx_olm_nomem(mx_error *err, const char *what)
{
	return mx_error_set(err, MX_ERR_NOMEM, "%s: out of memory", what);
}

int mx_olm_bad_arg(mx_error *err, const char *what)
{
	return mx_error_set(err, MX_ERR_INVALID, "%s: missing argument", what);
}

char *mx_olm_dup(const void *p, size_t n)
{
	char *c = malloc(n + 1);

	if (c == NULL)
		return NULL;
	memcpy(c, p, n);
	c[n] = '\0';
	return c;
}

void mx_olm_wipe_free(void *p, size_t n)
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
		return mx_olm_bad_arg(err, "random");
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

int mx_olm_random_buf(size_t n, uint8_t **out, mx_error *err)
{
	uint8_t *buf = malloc(n > 0 ? n : 1);
	int rc;

	if (buf == NULL)
		return mx_olm_nomem(err, "random");
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
		return mx_olm_bad_arg(err, "account new");
	a = account_alloc();
	if (a == NULL) {
		rc = mx_olm_nomem(err, "account new");
		goto cleanup;
	}
	rlen = olm_create_account_random_length(a->olm);
	rc = mx_olm_random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_create_account(a->olm, rnd, rlen) == olm_error()) {
		rc = mx_olm_fail(err, "account new", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	*out = a;
	a = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(rnd, rlen); /* the random bytes are the private keys */
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
		return mx_olm_bad_arg(err, "account unpickle");
	len = strlen(pickle);
	a = account_alloc();
	copy = mx_olm_dup(pickle, len);
	if (a == NULL || copy == NULL) {
		rc = mx_olm_nomem(err, "account unpickle");
		goto cleanup;
	}
	if (olm_unpickle_account(a->olm, key, strlen(key), copy, len) == olm_error()) {
		rc = mx_olm_fail(err, "account unpickle", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_PICKLE);
		goto cleanup;
	}
	*out = a;
	a = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(copy, len); /* now holds the decrypted private keys */
	mx_olm_account_free(a);
	return rc;
}

int mx_olm_account_pickle(const mx_olm_account *a, const char *key, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (a == NULL || key == NULL || out == NULL)
		return mx_olm_bad_arg(err, "account pickle");
	len = olm_pickle_account_length(a->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "account pickle");
		goto cleanup;
	}
	n = olm_pickle_account(a->olm, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "account pickle", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "account identity");
	len = olm_account_identity_keys_length(a->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "account identity");
		goto cleanup;
	}
	n = olm_account_identity_keys(a->olm, buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "account identity", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "account sign");
	slen = olm_account_signature_length(a->olm);
	sig = malloc(slen + 1);
	if (sig == NULL) {
		rc = mx_olm_nomem(err, "account sign");
		goto cleanup;
	}
	n = olm_account_sign(a->olm, msg != NULL ? msg : "", len, sig, slen);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "account sign", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "generate one-time keys");
	rlen = olm_account_generate_one_time_keys_random_length(a->olm, n);
	rc = mx_olm_random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_account_generate_one_time_keys(a->olm, n, rnd, rlen) == olm_error()) {
		rc = mx_olm_fail(err, "generate one-time keys", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(rnd, rlen);
	return rc;
}

int mx_olm_account_one_time_keys(const mx_olm_account *a, cJSON **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (a == NULL || out == NULL)
		return mx_olm_bad_arg(err, "one-time keys");
	len = olm_account_one_time_keys_length(a->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "one-time keys");
		goto cleanup;
	}
	n = olm_account_one_time_keys(a->olm, buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "one-time keys", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "fallback key");
	len = olm_account_unpublished_fallback_key_length(a->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "fallback key");
		goto cleanup;
	}
	n = olm_account_unpublished_fallback_key(a->olm, buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "fallback key", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "generate fallback key");
	rlen = olm_account_generate_fallback_key_random_length(a->olm);
	rc = mx_olm_random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_account_generate_fallback_key(a->olm, rnd, rlen) == olm_error()) {
		rc = mx_olm_fail(err, "generate fallback key", olm_account_last_error_code(a->olm),
				 olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(rnd, rlen);
	return rc;
}

void mx_olm_account_mark_published(mx_olm_account *a)
{
	if (a != NULL)
		(void)olm_account_mark_keys_as_published(a->olm);
}
