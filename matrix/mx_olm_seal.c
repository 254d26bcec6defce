/* mx_olm_seal.c: secrets sealed for the store with the pickle key
 * (mx_olm.h): a 32-byte seed as a pickled PkDecryption, a text of any
 * length encrypted to a fresh key pair whose private half is sealed so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <olm/pk.h>

#include "mx_olm_int.h"

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
		return mx_olm_bad_arg(err, "seal");
	if (olm_pk_private_key_length() != MX_OLM_PK_SEED_LEN ||
	    olm_pk_key_length() >= sizeof(pub))
		return mx_error_set(err, MX_ERR_INVALID, "seal: unexpected libolm sizes");
	d = pk_decryption_alloc(&mem);
	if (d == NULL) {
		rc = mx_olm_nomem(err, "seal");
		goto cleanup;
	}
	/* The secret is kept as the raw private key: get_private_key gives
	 * back exactly these bytes (clamping happens only when it is used). */
	if (olm_pk_key_from_private(d, pub, sizeof(pub), secret, MX_OLM_PK_SEED_LEN) ==
	    olm_error()) {
		rc = mx_olm_fail(err, "seal", olm_pk_decryption_last_error_code(d),
				 olm_pk_decryption_last_error(d), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	len = olm_pickle_pk_decryption_length(d);
	buf = malloc(len + 1);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "seal");
		goto cleanup;
	}
	n = olm_pickle_pk_decryption(d, key, strlen(key), buf, len);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "seal", olm_pk_decryption_last_error_code(d),
				 olm_pk_decryption_last_error(d), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "unseal");
	if (olm_pk_private_key_length() != MX_OLM_PK_SEED_LEN ||
	    olm_pk_key_length() >= sizeof(pub))
		return mx_error_set(err, MX_ERR_INVALID, "unseal: unexpected libolm sizes");
	len = strlen(sealed);
	d = pk_decryption_alloc(&mem);
	copy = mx_olm_dup(sealed, len);
	if (d == NULL || copy == NULL) {
		rc = mx_olm_nomem(err, "unseal");
		goto cleanup;
	}
	if (olm_unpickle_pk_decryption(d, key, strlen(key), copy, len, pub, sizeof(pub)) ==
	    olm_error()) {
		rc = mx_olm_fail(err, "unseal", olm_pk_decryption_last_error_code(d),
				 olm_pk_decryption_last_error(d), MX_OLM_CTX_PICKLE);
		goto cleanup;
	}
	if (olm_pk_get_private_key(d, priv, sizeof(priv)) == olm_error()) {
		rc = mx_olm_fail(err, "unseal", olm_pk_decryption_last_error_code(d),
				 olm_pk_decryption_last_error(d), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	memcpy(out, priv, sizeof(priv));
	rc = MX_OK;
cleanup:
	explicit_bzero(priv, sizeof(priv));
	mx_olm_wipe_free(copy, len);
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
		return mx_olm_bad_arg(err, "seal text");
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
		rc = mx_olm_nomem(err, "seal text");
		goto cleanup;
	}
	e = olm_pk_encryption(emem);
	if (olm_pk_key_from_private(d, pub, sizeof(pub), secret, sizeof(secret)) == olm_error()) {
		rc = mx_olm_fail(err, "seal text", olm_pk_decryption_last_error_code(d),
				 olm_pk_decryption_last_error(d), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	if (olm_pk_encryption_set_recipient_key(e, pub, olm_pk_key_length()) == olm_error()) {
		rc = mx_olm_fail(err, "seal text", olm_pk_encryption_last_error_code(e),
				 olm_pk_encryption_last_error(e), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	ctlen = olm_pk_ciphertext_length(e, tlen);
	maclen = olm_pk_mac_length(e);
	ephlen = olm_pk_key_length();
	rndlen = olm_pk_encrypt_random_length(e);
	rc = mx_olm_random_buf(rndlen, &rnd, err);
	if (rc != MX_OK)
		goto cleanup;
	ct = malloc(ctlen + 1);
	mac = malloc(maclen + 1);
	eph = malloc(ephlen + 1);
	if (ct == NULL || mac == NULL || eph == NULL) {
		rc = mx_olm_nomem(err, "seal text");
		goto cleanup;
	}
	if (olm_pk_encrypt(e, text, tlen, ct, ctlen, mac, maclen, eph, ephlen, rnd, rndlen) == olm_error()) {
		rc = mx_olm_fail(err, "seal text", olm_pk_encryption_last_error_code(e),
				 olm_pk_encryption_last_error(e), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	total = strlen(sealed) + ephlen + maclen + ctlen + 4;
	buf = malloc(total);
	if (buf == NULL) {
		rc = mx_olm_nomem(err, "seal text");
		goto cleanup;
	}
	snprintf(buf, total, "%s.%.*s.%.*s.%.*s", sealed, (int)ephlen, eph, (int)maclen, mac, (int)ctlen, ct);
	*out = buf;
	buf = NULL;
	rc = MX_OK;
cleanup:
	explicit_bzero(secret, sizeof(secret));
	mx_olm_wipe_free(rnd, rndlen);
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
		return mx_olm_bad_arg(err, "unseal text");
	dot1 = strchr(sealed, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	dot3 = dot2 ? strchr(dot2 + 1, '.') : NULL;
	if (dot3 == NULL || strchr(dot3 + 1, '.') != NULL || dot3[1] == '\0')
		return mx_error_set(err, MX_ERR_PARSE, "unseal text: not a sealed text");
	pickled = mx_olm_dup(sealed, (size_t)(dot1 - sealed));
	if (pickled == NULL)
		return mx_olm_nomem(err, "unseal text");
	rc = mx_olm_unseal(key, pickled, secret, err);
	free(pickled);
	if (rc != MX_OK)
		return rc;
	d = pk_decryption_alloc(&mem);
	ctlen = strlen(dot3 + 1);
	ct = mx_olm_dup(dot3 + 1, ctlen);
	if (d == NULL || ct == NULL || olm_pk_key_length() >= sizeof(pub)) {
		rc = mx_olm_nomem(err, "unseal text");
		goto cleanup;
	}
	if (olm_pk_key_from_private(d, pub, sizeof(pub), secret, sizeof(secret)) == olm_error()) {
		rc = mx_olm_fail(err, "unseal text", olm_pk_decryption_last_error_code(d),
				 olm_pk_decryption_last_error(d), MX_OLM_CTX_OTHER);
		goto cleanup;
	}
	max = olm_pk_max_plaintext_length(d, ctlen);
	plain = malloc(max + 1);
	if (plain == NULL) {
		rc = mx_olm_nomem(err, "unseal text");
		goto cleanup;
	}
	n = olm_pk_decrypt(d, dot1 + 1, (size_t)(dot2 - dot1 - 1), dot2 + 1, (size_t)(dot3 - dot2 - 1), ct, ctlen,
			   plain, max);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "unseal text", olm_pk_decryption_last_error_code(d),
				 olm_pk_decryption_last_error(d), MX_OLM_CTX_OTHER);
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
	mx_olm_wipe_free(plain, max + 1);
	mx_olm_wipe_free(ct, ctlen);
	pk_decryption_free(d, mem);
	return rc;
}
