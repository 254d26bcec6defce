/* mx_media.c: see mx_media.h. OpenSSL's libcrypto does the cipher, the
 * hash, the randomness and base64 (made unpadded, and URL-safe for the
 * JWK, as the spec asks). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "mx_media.h"

#define KEY_LEN 32
#define IV_LEN 16
#define HASH_LEN 32
/* one try: a caller in the bot's loop must not sleep there; it tries again later */
#define UPLOAD_TRIES 1

/* Unpadded base64 of n bytes into out (room for 4 * (n + 2) / 3 + 1);
 * url: the URL-safe alphabet. */
static void b64(const unsigned char *in, size_t n, int url, char *out)
{
	int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	int i;

	while (len > 0 && out[len - 1] == '=')
		out[--len] = '\0';
	for (i = 0; url && i < len; i++)
		out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
}

/* Decodes unpadded (standard or URL-safe) base64 s into out; the number
 * of bytes, or -1 when it is not base64 or longer than max. */
static int unb64(const char *s, unsigned char *out, size_t max)
{
	char buf[128];
	unsigned char tmp[96];
	size_t n = s ? strlen(s) : 0, i;
	int len;

	if (n == 0 || n + 4 > sizeof buf)
		return -1;
	for (i = 0; i < n; i++)
		buf[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	while (n % 4)
		buf[n++] = '=';
	buf[n] = '\0';
	len = EVP_DecodeBlock(tmp, (const unsigned char *)buf, (int)n);
	if (len < 0)
		return -1;
	/* DecodeBlock counts the padding as zero bytes: take them off */
	for (i = n; i > 0 && buf[i - 1] == '='; i--)
		len--;
	if ((size_t)len > max)
		return -1;
	memcpy(out, tmp, (size_t)len);
	return len;
}

/* AES-256-CTR of n bytes of in into out (the same both ways). 0 or -1. */
static int ctr(const unsigned char *key, const unsigned char *iv, const unsigned char *in, size_t n,
	       unsigned char *out)
{
	EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
	int ok = cx != NULL, l1 = 0, l2 = 0;
	size_t done = 0;

	ok = ok && EVP_EncryptInit_ex(cx, EVP_aes_256_ctr(), NULL, key, iv) == 1;
	/* EVP takes int lengths: feed large inputs in pieces */
	while (ok && done < n) {
		int chunk = n - done > (1u << 30) ? (1 << 30) : (int)(n - done);

		ok = EVP_EncryptUpdate(cx, out + done, &l1, in + done, chunk) == 1 && l1 == chunk;
		done += (size_t)chunk;
	}
	ok = ok && EVP_EncryptFinal_ex(cx, out + done, &l2) == 1 && l2 == 0;
	EVP_CIPHER_CTX_free(cx);
	return ok ? 0 : -1;
}

static int sha256(const unsigned char *in, size_t n, unsigned char out[HASH_LEN])
{
	unsigned int len = 0;

	return EVP_Digest(in, n, out, &len, EVP_sha256(), NULL) == 1 && len == HASH_LEN ? 0 : -1;
}

static cJSON *file_object(const unsigned char *key, const unsigned char *iv, const unsigned char *hash)
{
	char k[64], i[32], h[64];
	cJSON *f = cJSON_CreateObject(), *jwk = cJSON_CreateObject(), *ops = cJSON_CreateArray(),
	      *hashes = cJSON_CreateObject();

	b64(key, KEY_LEN, 1, k);
	b64(iv, IV_LEN, 0, i);
	b64(hash, HASH_LEN, 0, h);
	if (!f || !jwk || !ops || !hashes) {
		cJSON_Delete(f);
		cJSON_Delete(jwk);
		cJSON_Delete(ops);
		cJSON_Delete(hashes);
		return NULL;
	}
	cJSON_AddItemToArray(ops, cJSON_CreateString("encrypt"));
	cJSON_AddItemToArray(ops, cJSON_CreateString("decrypt"));
	cJSON_AddStringToObject(jwk, "kty", "oct");
	cJSON_AddItemToObject(jwk, "key_ops", ops);
	cJSON_AddStringToObject(jwk, "alg", "A256CTR");
	cJSON_AddStringToObject(jwk, "k", k);
	cJSON_AddBoolToObject(jwk, "ext", 1);
	cJSON_AddStringToObject(hashes, "sha256", h);
	cJSON_AddStringToObject(f, "v", "v2");
	cJSON_AddItemToObject(f, "key", jwk);
	cJSON_AddStringToObject(f, "iv", i);
	cJSON_AddItemToObject(f, "hashes", hashes);
	OPENSSL_cleanse(k, sizeof k);
	return f;
}

int mx_media_encrypt(const void *data, size_t len, unsigned char **out_cipher, cJSON **out_file)
{
	unsigned char key[KEY_LEN], iv[IV_LEN], hash[HASH_LEN], *cipher = NULL;
	int status = MX_OK;

	*out_cipher = NULL;
	*out_file = NULL;
	memset(iv, 0, sizeof iv);
	/* the low 64 bits (the counter) start at zero, so no file wraps it */
	if (RAND_bytes(key, KEY_LEN) != 1 || RAND_bytes(iv, 8) != 1)
		return MX_ERR_INVALID;
	cipher = malloc(len ? len : 1);
	if (!cipher) {
		status = MX_ERR_NOMEM;
		goto cleanup;
	}
	if (ctr(key, iv, data, len, cipher) != 0 || sha256(cipher, len, hash) != 0) {
		status = MX_ERR_INVALID;
		goto cleanup;
	}
	*out_file = file_object(key, iv, hash);
	if (!*out_file)
		status = MX_ERR_NOMEM;
cleanup:
	OPENSSL_cleanse(key, sizeof key);
	if (status == MX_OK)
		*out_cipher = cipher;
	else
		free(cipher);
	return status;
}

static const char *field(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int mx_media_decrypt(const cJSON *file, const void *cipher, size_t len, unsigned char **out)
{
	unsigned char key[KEY_LEN], iv[IV_LEN], want[HASH_LEN], have[HASH_LEN], *plain = NULL;
	const cJSON *jwk = cJSON_GetObjectItemCaseSensitive(file, "key");
	int status = MX_ERR_INVALID;

	*out = NULL;
	if (unb64(field(jwk, "k"), key, sizeof key) != KEY_LEN || unb64(field(file, "iv"), iv, sizeof iv) != IV_LEN ||
	    unb64(field(cJSON_GetObjectItemCaseSensitive(file, "hashes"), "sha256"), want, sizeof want) != HASH_LEN ||
	    sha256(cipher, len, have) != 0 || memcmp(want, have, HASH_LEN) != 0)
		goto cleanup;
	plain = malloc(len ? len : 1);
	if (!plain) {
		status = MX_ERR_NOMEM;
		goto cleanup;
	}
	if (ctr(key, iv, cipher, len, plain) != 0) {
		free(plain);
		goto cleanup;
	}
	*out = plain;
	status = MX_OK;
cleanup:
	OPENSSL_cleanse(key, sizeof key);
	return status;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int mx_media_upload(mx_client *c, const char *content_type, const void *data, size_t len, char **out_mxc,
		    mx_error *err)
{
	mx_retry_policy policy = { UPLOAD_TRIES, 500, 5000 };
	mx_http_request req;
	mx_http_response resp = { 0 };
	mx_transport *t = NULL;
	mx_error e;
	cJSON *json = NULL;
	const char *base = NULL, *token = NULL, *uri;
	char url[512];
	long delay = 0;
	int attempt, status;

	*out_mxc = NULL;
	mx_client_parts(c, &base, &token, &t);
	if (snprintf(url, sizeof url, "%s/_matrix/media/v3/upload", base) >= (int)sizeof url)
		return mx_error_set(err, MX_ERR_INVALID, "upload: homeserver URL too long");
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.body = len ? data : "";
	req.body_len = len;
	req.content_type = content_type;
	req.access_token = token;
	req.timeout_ms = 60000;
	for (attempt = 1;; attempt++) {
		mx_http_response_clear(&resp);
		mx_error_clear(&e);
		status = t->perform(t->ctx, &req, &resp, &e);
		if (status == MX_OK)
			status = mx_http_classify(&resp, &e);
		if (status == MX_OK || !mx_retry_decide(&policy, &e, attempt, &delay))
			break;
		pause_ms(delay);
	}
	if (status == MX_OK) {
		json = cJSON_ParseWithLength(resp.body, resp.body_len);
		uri = field(json, "content_uri");
		if (uri && strncmp(uri, "mxc://", 6) == 0)
			*out_mxc = strdup(uri);
		status = *out_mxc ? MX_OK : mx_error_set(&e, MX_ERR_PARSE, "upload: no content_uri in the answer");
	}
	if (status != MX_OK && err)
		*err = e;
	cJSON_Delete(json);
	mx_http_response_clear(&resp);
	return status;
}

int mx_media_upload_encrypted(mx_client *c, const void *data, size_t len, cJSON **out_file, mx_error *err)
{
	unsigned char *cipher = NULL;
	char *mxc = NULL;
	int status;

	*out_file = NULL;
	status = mx_media_encrypt(data, len, &cipher, out_file);
	if (status != MX_OK)
		return mx_error_set(err, status, "encrypting a file failed");
	/* the homeserver sees only ciphertext, so it is just bytes */
	status = mx_media_upload(c, "application/octet-stream", cipher, len, &mxc, err);
	free(cipher);
	if (status == MX_OK && !cJSON_AddStringToObject(*out_file, "url", mxc))
		status = mx_error_set(err, MX_ERR_NOMEM, "upload: out of memory");
	free(mxc);
	if (status != MX_OK) {
		cJSON_Delete(*out_file);
		*out_file = NULL;
	}
	return status;
}
