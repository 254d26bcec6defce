/* web_csrf.c: see web_csrf.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "web_csrf.h"

static unsigned char key[32];
static int key_ready;

int web_random(unsigned char *buf, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	while (fd >= 0 && got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (fd >= 0)
		close(fd);
	return got == n ? 0 : -1;
}

static void hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int web_random_hex(char *out, size_t n)
{
	unsigned char buf[64];

	if (n > sizeof buf || web_random(buf, n) != 0)
		return -1;
	hex(buf, n, out);
	return 0;
}

void web_sha256_hex(const char *text, char out[65])
{
	unsigned char md[32];
	unsigned int len = 0;

	EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL);
	hex(md, 32, out);
}

int web_is_hex(const char *s, size_t len)
{
	size_t i;

	if (!s || strlen(s) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int web_csrf_init(void)
{
	key_ready = web_random(key, sizeof key) == 0;
	return key_ready ? 0 : -1;
}

static int mac(const char *sid, const char *nonce, long long ts, const char *purpose, char out[65])
{
	char msg[1024];
	unsigned char md[32];
	unsigned int len = 0;
	int n = snprintf(msg, sizeof msg, "%s|%s|%lld|%s", sid, nonce, ts, purpose);

	if (!key_ready || n < 0 || (size_t)n >= sizeof msg ||
	    !HMAC(EVP_sha256(), key, sizeof key, (const unsigned char *)msg, (size_t)n, md, &len) || len != 32)
		return -1;
	hex(md, 32, out);
	return 0;
}

int web_csrf_make(const char *sid, const char *purpose, int64_t now, char *out, size_t size)
{
	char nonce[33], m[65];

	if (web_random_hex(nonce, 16) != 0 || mac(sid, nonce, (long long)now, purpose, m) != 0)
		return -1;
	return snprintf(out, size, "%s.%lld.%s", nonce, (long long)now, m) < (int)size ? 0 : -1;
}

int web_csrf_check(const char *token, const char *sid, const char *purpose, int64_t now, char nonce[33])
{
	char m[65], *end = NULL;
	long long ts;

	if (!token || !sid || !web_is_hex(sid, WEB_SID_LEN) || strlen(token) > WEB_CSRF_TOKEN_MAX ||
	    strlen(token) < 34 || token[32] != '.')
		return -1;
	memcpy(nonce, token, 32);
	nonce[32] = '\0';
	if (!web_is_hex(nonce, 32))
		return -1;
	ts = strtoll(token + 33, &end, 10);
	if (!end || *end != '.' || !web_is_hex(end + 1, 64) || ts > now + 60 || now - ts > WEB_CSRF_MAX_AGE ||
	    mac(sid, nonce, ts, purpose, m) != 0)
		return -1;
	return CRYPTO_memcmp(m, end + 1, 64) == 0 ? 0 : -1;
}
