/* mx_megolm.c: Megolm, the group sessions of rooms (mx_olm.h): outbound
 * sessions the bot encrypts with and shares, inbound ones it decrypts with,
 * imported and exported in the forwarded-key format. */
#include <stdlib.h>
#include <string.h>

#include "mx_olm_int.h"

struct mx_megolm_out {
	OlmOutboundGroupSession *olm;
	void *mem;
};

struct mx_megolm_in {
	OlmInboundGroupSession *olm;
	void *mem;
};

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
		return mx_olm_bad_arg(err, "megolm new");
	s = megolm_out_alloc();
	if (s == NULL) {
		rc = mx_olm_nomem(err, "megolm new");
		goto cleanup;
	}
	rlen = olm_init_outbound_group_session_random_length(s->olm);
	rc = mx_olm_random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_init_outbound_group_session(s->olm, rnd, rlen) == olm_error()) {
		rc = mx_olm_fail(err, "megolm new", olm_outbound_group_session_last_error_code(s->olm),
				 olm_outbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(rnd, rlen);
	mx_megolm_out_free(s);
	return rc;
}

int mx_megolm_out_id(const mx_megolm_out *s, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || out == NULL)
		return mx_olm_bad_arg(err, "megolm id");
	len = olm_outbound_group_session_id_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "megolm id");
		goto cleanup;
	}
	n = olm_outbound_group_session_id(s->olm, (uint8_t *)buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "megolm id", olm_outbound_group_session_last_error_code(s->olm),
				 olm_outbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "megolm key");
	len = olm_outbound_group_session_key_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "megolm key");
		goto cleanup;
	}
	n = olm_outbound_group_session_key(s->olm, (uint8_t *)buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "megolm key", olm_outbound_group_session_last_error_code(s->olm),
				 olm_outbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(buf, len + 1);
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
		return mx_olm_bad_arg(err, "megolm encrypt");
	plen = strlen(plaintext);
	/* Asked every time: the length grows once the index needs more
	 * varint bytes (past 127). */
	len = olm_group_encrypt_message_length(s->olm, plen);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "megolm encrypt");
		goto cleanup;
	}
	n = olm_group_encrypt(s->olm, (const uint8_t *)plaintext, plen, (uint8_t *)buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "megolm encrypt",
				 olm_outbound_group_session_last_error_code(s->olm),
				 olm_outbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "megolm pickle");
	len = olm_pickle_outbound_group_session_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "megolm pickle");
		goto cleanup;
	}
	n = olm_pickle_outbound_group_session(s->olm, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "megolm pickle",
				 olm_outbound_group_session_last_error_code(s->olm),
				 olm_outbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "megolm unpickle");
	len = strlen(pickle);
	s = megolm_out_alloc();
	copy = mx_olm_dup(pickle, len);
	if (s == NULL || copy == NULL) {
		rc = mx_olm_nomem(err, "megolm unpickle");
		goto cleanup;
	}
	if (olm_unpickle_outbound_group_session(s->olm, key, strlen(key), copy, len) ==
	    olm_error()) {
		rc = mx_olm_fail(err, "megolm unpickle",
				 olm_outbound_group_session_last_error_code(s->olm),
				 olm_outbound_group_session_last_error(s->olm), MX_OLM_CTX_PICKLE);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(copy, len);
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
		return mx_olm_bad_arg(err, what);
	len = strlen(key);
	s = megolm_in_alloc();
	/* import overwrites its (const-declared) input with the decoded key */
	copy = mx_olm_dup(key, len);
	if (s == NULL || copy == NULL) {
		rc = mx_olm_nomem(err, what);
		goto cleanup;
	}
	if (exported)
		r = olm_import_inbound_group_session(s->olm, (const uint8_t *)copy, len);
	else
		r = olm_init_inbound_group_session(s->olm, (const uint8_t *)copy, len);
	if (r == olm_error()) {
		rc = mx_olm_fail(err, what, olm_inbound_group_session_last_error_code(s->olm),
				 olm_inbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(copy, len);
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
		return mx_olm_bad_arg(err, "megolm export");
	len = olm_export_inbound_group_session_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "megolm export");
		goto cleanup;
	}
	n = olm_export_inbound_group_session(s->olm, (uint8_t *)buf, len, index);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "megolm export", olm_inbound_group_session_last_error_code(s->olm),
				 olm_inbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(buf, len + 1);
	return rc;
}

int mx_megolm_in_id(const mx_megolm_in *s, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || out == NULL)
		return mx_olm_bad_arg(err, "megolm inbound id");
	len = olm_inbound_group_session_id_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "megolm inbound id");
		goto cleanup;
	}
	n = olm_inbound_group_session_id(s->olm, (uint8_t *)buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "megolm inbound id",
				 olm_inbound_group_session_last_error_code(s->olm),
				 olm_inbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "megolm decrypt");
	len = strlen(ciphertext);
	copy = mx_olm_dup(ciphertext, len);
	if (copy == NULL) {
		rc = mx_olm_nomem(err, "megolm decrypt");
		goto cleanup;
	}
	max = olm_group_decrypt_max_plaintext_length(s->olm, (uint8_t *)copy, len);
	if (max == olm_error()) {
		max = 0;
		rc = mx_olm_fail(err, "megolm decrypt", olm_inbound_group_session_last_error_code(s->olm),
				 olm_inbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	memcpy(copy, ciphertext, len); /* the length query decoded it in place */
	plain = malloc(max + 1);
	if (plain == NULL) {
		rc = mx_olm_nomem(err, "megolm decrypt");
		goto cleanup;
	}
	n = olm_group_decrypt(s->olm, (uint8_t *)copy, len, (uint8_t *)plain, max, &index);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "megolm decrypt", olm_inbound_group_session_last_error_code(s->olm),
				 olm_inbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
	mx_olm_wipe_free(plain, max + 1);
	return rc;
}

int mx_megolm_in_pickle(const mx_megolm_in *s, const char *key, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || key == NULL || out == NULL)
		return mx_olm_bad_arg(err, "megolm inbound pickle");
	len = olm_pickle_inbound_group_session_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "megolm inbound pickle");
		goto cleanup;
	}
	n = olm_pickle_inbound_group_session(s->olm, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "megolm inbound pickle",
				 olm_inbound_group_session_last_error_code(s->olm),
				 olm_inbound_group_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "megolm inbound unpickle");
	len = strlen(pickle);
	s = megolm_in_alloc();
	copy = mx_olm_dup(pickle, len);
	if (s == NULL || copy == NULL) {
		rc = mx_olm_nomem(err, "megolm inbound unpickle");
		goto cleanup;
	}
	if (olm_unpickle_inbound_group_session(s->olm, key, strlen(key), copy, len) ==
	    olm_error()) {
		rc = mx_olm_fail(err, "megolm inbound unpickle",
				 olm_inbound_group_session_last_error_code(s->olm),
				 olm_inbound_group_session_last_error(s->olm), MX_OLM_CTX_PICKLE);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(copy, len);
	mx_megolm_in_free(s);
	return rc;
}
