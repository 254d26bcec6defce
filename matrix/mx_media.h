/* mx_media.h: files for encrypted rooms (the spec's "Sending encrypted
 * attachments"): AES-256-CTR with a fresh key and IV per file, SHA-256 of
 * the ciphertext, the EncryptedFile object that replaces `url` in the
 * event; and the upload to the media repository. Knows nothing of what
 * the file shows. */
#ifndef MX_MEDIA_H
#define MX_MEDIA_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "mx_client.h"

/* Encrypts len bytes of data with a new key and IV (IV: 64 random high
 * bits, low 64 bits zero). *out_cipher (len bytes, caller frees) and
 * *out_file: the EncryptedFile without `url` (v, key JWK, iv,
 * hashes.sha256), caller deletes. MX_OK, or MX_ERR_NOMEM / MX_ERR_INVALID
 * (randomness or the cipher failed) with nothing returned. */
int mx_media_encrypt(const void *data, size_t len, unsigned char **out_cipher, cJSON **out_file);

/* Checks the SHA-256 of the ciphertext against file and decrypts it:
 * *out (len bytes, caller frees). MX_ERR_INVALID when the hash or the
 * key does not match (nothing returned). For tests and checks. */
int mx_media_decrypt(const cJSON *file, const void *cipher, size_t len, unsigned char **out);

/* Uploads len bytes as content_type (POST /_matrix/media/v3/upload);
 * *out_mxc gets the content URI (caller frees). An mx_status, the reason
 * in err (may be NULL). Tried once: the caller tries again later (a
 * homeserver away must not hold up the bot's loop). */
int mx_media_upload(mx_client *c, const char *content_type, const void *data, size_t len, char **out_mxc,
		    mx_error *err);

/* Encrypts and uploads data: *out_file is the complete EncryptedFile
 * (with `url`) for an event's `file` field, caller deletes. */
int mx_media_upload_encrypted(mx_client *c, const void *data, size_t len, cJSON **out_file, mx_error *err);

#endif
