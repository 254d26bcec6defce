/* mx_olm_pk.c: Ed25519 signatures (mx_olm.h): checking one by a device
 * key, and the cross-signing keys (libolm PkSigning) made from a seed. */
#include <stdlib.h>
#include <string.h>

#include <olm/pk.h>

#include "mx_olm_int.h"

/* Lengths of base64 Ed25519 keys and signatures (32 and 64 bytes). */
#define ED25519_KEY_B64 43
#define ED25519_SIG_B64 86

struct mx_olm_pk_signing {
	OlmPkSigning *olm;
	void *mem;
	char pub[64];
};

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
		return mx_olm_bad_arg(err, "ed25519 verify");
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
	copy = mx_olm_dup(sig, slen);
	if (mem == NULL || copy == NULL) {
		rc = mx_olm_nomem(err, "ed25519 verify");
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
			rc = mx_olm_fail(err, "ed25519 verify", code, olm_utility_last_error(u),
					 MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "pk signing new");
	plen = olm_pk_signing_public_key_length();
	if (olm_pk_signing_seed_length() != MX_OLM_PK_SEED_LEN || plen >= sizeof(k->pub))
		return mx_error_set(err, MX_ERR_INVALID, "pk signing new: unexpected libolm sizes");
	k = calloc(1, sizeof(*k));
	if (k != NULL)
		k->mem = malloc(olm_pk_signing_size());
	if (k == NULL || k->mem == NULL) {
		rc = mx_olm_nomem(err, "pk signing new");
		goto cleanup;
	}
	k->olm = olm_pk_signing(k->mem);
	if (olm_pk_signing_key_from_seed(k->olm, k->pub, plen, seed, MX_OLM_PK_SEED_LEN) ==
	    olm_error()) {
		rc = mx_olm_fail(err, "pk signing new", olm_pk_signing_last_error_code(k->olm),
				 olm_pk_signing_last_error(k->olm), MX_OLM_CTX_OTHER);
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
		return mx_olm_bad_arg(err, "pk sign");
	slen = olm_pk_signature_length();
	sig = malloc(slen + 1);
	if (sig == NULL) {
		rc = mx_olm_nomem(err, "pk sign");
		goto cleanup;
	}
	n = olm_pk_sign(k->olm, (const uint8_t *)(msg != NULL ? msg : ""), len, (uint8_t *)sig,
			slen);
	if (n == olm_error()) {
		rc = mx_olm_fail(err, "pk sign", olm_pk_signing_last_error_code(k->olm),
				 olm_pk_signing_last_error(k->olm), MX_OLM_CTX_OTHER);
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
