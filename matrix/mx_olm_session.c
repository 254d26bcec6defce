/* mx_olm_session.c: Olm, the pairwise sessions between two devices
 * (mx_olm.h): made from the account's keys or a pre-key message,
 * encrypting, decrypting and pickling. */
#include <stdlib.h>
#include <string.h>

#include "mx_olm_int.h"

struct mx_olm_session {
	OlmSession *olm;
	void *mem;
};

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
		return mx_olm_bad_arg(err, "outbound session");
	s = session_alloc();
	if (s == NULL) {
		rc = mx_olm_nomem(err, "outbound session");
		goto cleanup;
	}
	rlen = olm_create_outbound_session_random_length(s->olm);
	rc = mx_olm_random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	if (olm_create_outbound_session(s->olm, a->olm, their_identity_key,
					strlen(their_identity_key), their_one_time_key,
					strlen(their_one_time_key), rnd, rlen) == olm_error()) {
		rc = mx_olm_fail(err, "outbound session", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(rnd, rlen);
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
		return mx_olm_bad_arg(err, "inbound session");
	len = strlen(pre_key_body);
	s = session_alloc();
	copy = mx_olm_dup(pre_key_body, len);
	if (s == NULL || copy == NULL) {
		rc = mx_olm_nomem(err, "inbound session");
		goto cleanup;
	}
	/* The _from variant also checks the sender's identity key. */
	if (their_identity_key != NULL)
		r = olm_create_inbound_session_from(s->olm, a->olm, their_identity_key,
						    strlen(their_identity_key), copy, len);
	else
		r = olm_create_inbound_session(s->olm, a->olm, copy, len);
	if (r == olm_error()) {
		rc = mx_olm_fail(err, "inbound session", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "remove one-time keys");
	if (olm_remove_one_time_keys(a->olm, s->olm) == olm_error())
		return mx_olm_fail(err, "remove one-time keys", olm_account_last_error_code(a->olm),
				   olm_account_last_error(a->olm), MX_OLM_CTX_OTHER);
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
	copy = mx_olm_dup(pre_key_body, len);
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
		return mx_olm_bad_arg(err, "session id");
	len = olm_session_id_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "session id");
		goto cleanup;
	}
	n = olm_session_id(s->olm, buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "session id", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "olm encrypt");
	plen = strlen(plaintext);
	type = olm_encrypt_message_type(s->olm);
	if (type == olm_error()) {
		rc = mx_olm_fail(err, "olm encrypt", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	rlen = olm_encrypt_random_length(s->olm);
	rc = mx_olm_random_buf(rlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	blen = olm_encrypt_message_length(s->olm, plen);
	body = malloc(blen + 1);
	if (body == NULL) {
		rc = mx_olm_nomem(err, "olm encrypt");
		goto cleanup;
	}
	n = olm_encrypt(s->olm, plaintext, plen, rnd, rlen, body, blen);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "olm encrypt", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	body[n] = '\0';
	*out_type = type == OLM_MESSAGE_TYPE_PRE_KEY ? MX_OLM_PRE_KEY : MX_OLM_MESSAGE;
	*out_body = body;
	body = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(rnd, rlen);
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
		return mx_olm_bad_arg(err, "olm decrypt");
	if (type != MX_OLM_PRE_KEY && type != MX_OLM_MESSAGE)
		return mx_error_set(err, MX_ERR_INVALID, "olm decrypt: unknown message type %d",
				    type);
	len = strlen(body);
	copy = mx_olm_dup(body, len);
	if (copy == NULL) {
		rc = mx_olm_nomem(err, "olm decrypt");
		goto cleanup;
	}
	max = olm_decrypt_max_plaintext_length(s->olm, (size_t)type, copy, len);
	if (max == olm_error()) {
		max = 0;
		rc = mx_olm_fail(err, "olm decrypt", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	memcpy(copy, body, len); /* the length query decoded it in place */
	plain = malloc(max + 1);
	if (plain == NULL) {
		rc = mx_olm_nomem(err, "olm decrypt");
		goto cleanup;
	}
	n = olm_decrypt(s->olm, (size_t)type, copy, len, plain, max);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "olm decrypt", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	plain[n] = '\0';
	*out_plain = plain;
	plain = NULL;
	rc = MX_OK;
cleanup:
	free(copy);
	mx_olm_wipe_free(plain, max + 1);
	return rc;
}

int mx_olm_session_pickle(const mx_olm_session *s, const char *key, char **out, mx_error *err)
{
	char *buf = NULL;
	size_t len, n;
	int rc;

	if (s == NULL || key == NULL || out == NULL)
		return mx_olm_bad_arg(err, "session pickle");
	len = olm_pickle_session_length(s->olm);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "session pickle");
		goto cleanup;
	}
	n = olm_pickle_session(s->olm, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "session pickle", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "session unpickle");
	len = strlen(pickle);
	s = session_alloc();
	copy = mx_olm_dup(pickle, len);
	if (s == NULL || copy == NULL) {
		rc = mx_olm_nomem(err, "session unpickle");
		goto cleanup;
	}
	if (olm_unpickle_session(s->olm, key, strlen(key), copy, len) == olm_error()) {
		rc = mx_olm_fail(err, "session unpickle", olm_session_last_error_code(s->olm),
				 olm_session_last_error(s->olm), MX_OLM_CTX_PICKLE);
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = MX_OK;
cleanup:
	mx_olm_wipe_free(copy, len);
	mx_olm_session_free(s);
	return rc;
}
