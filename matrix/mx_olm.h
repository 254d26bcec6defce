/* mx_olm.h: every libolm call of the project sits behind this interface
 * (and only in mx_olm.c, mx_olm_session.c, mx_megolm.c, mx_olm_pk.c and
 * mx_olm_seal.c, which share mx_olm_int.h), so the deprecated libolm can
 * be swapped for vodozemac without touching anything else. Keys and ciphertexts are
 * unpadded standard base64 strings, as on the wire. Pickles are encrypted
 * with a caller-given key. Every function returns MX_OK or a negative
 * mx_status with err filled (err may be NULL); out-parameters are only
 * set on success and belong to the caller (free() / the matching _free). */
#ifndef MX_OLM_H
#define MX_OLM_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "mx_error.h"

/* Fills buf with n cryptographically secure random bytes (getrandom). */
int mx_olm_random(uint8_t *buf, size_t n, mx_error *err);

/* ---- account: the device's identity keys and one-time keys ---- */
typedef struct mx_olm_account mx_olm_account;

int mx_olm_account_new(mx_olm_account **out, mx_error *err);
/* A wrong key gives MX_ERR_INVALID with a message saying so (libolm:
 * BAD_ACCOUNT_KEY); a damaged pickle MX_ERR_PARSE. libolm checks one MAC
 * over the whole pickle, so a pickle altered in place (still valid base64)
 * also gives MX_ERR_INVALID: never treat that as "start a new account".
 * The same holds for every _unpickle below and for mx_olm_unseal. */
int mx_olm_account_unpickle(mx_olm_account **out, const char *pickle,
			    const char *key, mx_error *err);
int mx_olm_account_pickle(const mx_olm_account *a, const char *key, char **out, mx_error *err);
void mx_olm_account_free(mx_olm_account *a);
/* Public identity keys (copied into the caller's buffers of 64 bytes). */
int mx_olm_account_identity(const mx_olm_account *a, char out_curve25519[64],
			    char out_ed25519[64], mx_error *err);
/* Ed25519 signature of msg by the device key. */
int mx_olm_account_sign(const mx_olm_account *a, const char *msg, size_t len,
			char **out_sig, mx_error *err);
size_t mx_olm_account_max_one_time_keys(const mx_olm_account *a);
int mx_olm_account_generate_one_time_keys(mx_olm_account *a, size_t n, mx_error *err);
/* Unpublished one-time keys: {"curve25519": {"<key id>": "<key>"}}. */
int mx_olm_account_one_time_keys(const mx_olm_account *a, cJSON **out, mx_error *err);
/* Unpublished fallback key, same shape ({"curve25519": {}} when none). */
int mx_olm_account_fallback_key(const mx_olm_account *a, cJSON **out, mx_error *err);
int mx_olm_account_generate_fallback_key(mx_olm_account *a, mx_error *err);
/* Marks all current one-time and fallback keys as published. */
void mx_olm_account_mark_published(mx_olm_account *a);

/* ---- Olm: pairwise sessions between two devices ---- */
typedef struct mx_olm_session mx_olm_session;

#define MX_OLM_PRE_KEY 0
#define MX_OLM_MESSAGE 1

/* Outbound session to a device, from its curve25519 identity key and one
 * claimed one-time key. */
int mx_olm_session_new_outbound(mx_olm_session **out, const mx_olm_account *a,
				const char *their_identity_key, const char *their_one_time_key,
				mx_error *err);
/* Inbound session from a pre-key message (type 0). Does not remove the
 * used one-time key: call mx_olm_account_remove_one_time_keys after the
 * first message decrypted successfully. */
int mx_olm_session_new_inbound(mx_olm_session **out, mx_olm_account *a,
			       const char *their_identity_key, const char *pre_key_body,
			       mx_error *err);
int mx_olm_account_remove_one_time_keys(mx_olm_account *a, mx_olm_session *s, mx_error *err);
/* 1 when the pre-key message was made for this session, 0 when not. */
int mx_olm_session_matches_inbound(mx_olm_session *s, const char *their_identity_key,
				   const char *pre_key_body);
int mx_olm_session_id(const mx_olm_session *s, char **out, mx_error *err);
int mx_olm_session_encrypt(mx_olm_session *s, const char *plaintext, int *out_type,
			   char **out_body, mx_error *err);
/* *out_plain is NUL-terminated. A message that does not decrypt gives
 * MX_ERR_INVALID and leaves the session unchanged. */
int mx_olm_session_decrypt(mx_olm_session *s, int type, const char *body,
			   char **out_plain, mx_error *err);
int mx_olm_session_pickle(const mx_olm_session *s, const char *key, char **out, mx_error *err);
int mx_olm_session_unpickle(mx_olm_session **out, const char *pickle, const char *key,
			    mx_error *err);
void mx_olm_session_free(mx_olm_session *s);

/* ---- Megolm: group sessions for rooms ---- */
typedef struct mx_megolm_out mx_megolm_out;
typedef struct mx_megolm_in mx_megolm_in;

int mx_megolm_out_new(mx_megolm_out **out, mx_error *err);
int mx_megolm_out_id(const mx_megolm_out *s, char **out, mx_error *err);
/* The key to share (m.room_key's session_key) at the current index. */
int mx_megolm_out_key(const mx_megolm_out *s, char **out, mx_error *err);
uint32_t mx_megolm_out_index(const mx_megolm_out *s);
int mx_megolm_out_encrypt(mx_megolm_out *s, const char *plaintext, char **out_ciphertext,
			  mx_error *err);
int mx_megolm_out_pickle(const mx_megolm_out *s, const char *key, char **out, mx_error *err);
int mx_megolm_out_unpickle(mx_megolm_out **out, const char *pickle, const char *key,
			   mx_error *err);
void mx_megolm_out_free(mx_megolm_out *s);

/* From an m.room_key session_key. */
int mx_megolm_in_new(mx_megolm_in **out, const char *session_key, mx_error *err);
/* From an m.forwarded_room_key (exported format). */
int mx_megolm_in_import(mx_megolm_in **out, const char *exported_key, mx_error *err);
/* The session's key from message index on, in the exported format that
 * mx_megolm_in_import takes (m.forwarded_room_key, key backup). An index
 * before mx_megolm_in_first_index gives MX_ERR_INVALID. */
int mx_megolm_in_export(const mx_megolm_in *s, uint32_t index, char **out, mx_error *err);
int mx_megolm_in_id(const mx_megolm_in *s, char **out, mx_error *err);
uint32_t mx_megolm_in_first_index(const mx_megolm_in *s);
/* Decrypts; *out_index is the message index (for replay protection,
 * which is the caller's job). Unknown index -> MX_ERR_INVALID. */
int mx_megolm_in_decrypt(mx_megolm_in *s, const char *ciphertext, char **out_plain,
			 uint32_t *out_index, mx_error *err);
int mx_megolm_in_pickle(const mx_megolm_in *s, const char *key, char **out, mx_error *err);
int mx_megolm_in_unpickle(mx_megolm_in **out, const char *pickle, const char *key,
			  mx_error *err);
void mx_megolm_in_free(mx_megolm_in *s);

/* ---- signatures ---- */
/* MX_OK when sig is a valid Ed25519 signature of msg by key. */
int mx_olm_ed25519_verify(const char *key, const char *msg, size_t len, const char *sig,
			  mx_error *err);

/* Cross-signing keys (libolm PkSigning), made from a 32-byte seed the
 * caller keeps (encrypted) to restore them. */
#define MX_OLM_PK_SEED_LEN 32
typedef struct mx_olm_pk_signing mx_olm_pk_signing;
int mx_olm_pk_signing_new(mx_olm_pk_signing **out, const uint8_t seed[MX_OLM_PK_SEED_LEN],
			  mx_error *err);
const char *mx_olm_pk_signing_public(const mx_olm_pk_signing *k);  /* borrowed */
int mx_olm_pk_sign(mx_olm_pk_signing *k, const char *msg, size_t len, char **out_sig,
		   mx_error *err);
void mx_olm_pk_signing_free(mx_olm_pk_signing *k);

/* Seals a 32-byte secret (a cross-signing seed) for the store with the
 * pickle key, using libolm's authenticated pickle encryption (a PkDecryption
 * object made from the secret, pickled). Unsealing with a wrong key gives
 * MX_ERR_INVALID. */
int mx_olm_seal(const char *key, const uint8_t secret[MX_OLM_PK_SEED_LEN], char **out,
		mx_error *err);
int mx_olm_unseal(const char *key, const char *sealed, uint8_t out[MX_OLM_PK_SEED_LEN],
		  mx_error *err);

/* Seals a text secret of any length (an access token) with the pickle
 * key: the text is encrypted (libolm PkEncryption, as key backup does) to
 * a fresh key pair whose private half is sealed as above. *out is
 * printable ASCII without spaces. Unsealing with a wrong key gives
 * MX_ERR_INVALID; anything that is not a sealed text MX_ERR_PARSE. Both
 * *out are the caller's (free; the unsealed text wiped first). */
int mx_olm_seal_text(const char *key, const char *text, char **out, mx_error *err);
int mx_olm_unseal_text(const char *key, const char *sealed, char **out, mx_error *err);

#endif
