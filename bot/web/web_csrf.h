/* web_csrf.h: form tokens against cross-site requests and replays. A
 * browser gets a random session cookie (HttpOnly, SameSite=Strict); each
 * form carries nonce.time.mac, the mac an HMAC-SHA256 under a key of this
 * process over the cookie, the nonce, the time and what the form is for.
 * A token is good for WEB_CSRF_MAX_AGE seconds and, through web.db's
 * nonces, once. */
#ifndef WEB_CSRF_H
#define WEB_CSRF_H

#include <stddef.h>
#include <stdint.h>

#define WEB_CSRF_MAX_AGE 7200
#define WEB_SID_LEN 32          /* hex characters of the session cookie */
#define WEB_CSRF_TOKEN_MAX 128

/* Fills n random bytes from the kernel; 0 or -1. */
int web_random(unsigned char *buf, size_t n);
/* Hex of n random bytes into out (2n + 1 bytes); 0 or -1. */
int web_random_hex(char *out, size_t n);
/* Hex SHA-256 of text into out[65]. */
void web_sha256_hex(const char *text, char out[65]);

/* The process key; 0 or -1. */
int web_csrf_init(void);
/* A token for sid and purpose at now into out (WEB_CSRF_TOKEN_MAX); 0 or -1. */
int web_csrf_make(const char *sid, const char *purpose, int64_t now, char *out, size_t size);
/* 0 when token is one of ours for sid and purpose, not older than the
 * limit; its nonce into nonce (33 bytes) for the replay check. -1 when not. */
int web_csrf_check(const char *token, const char *sid, const char *purpose, int64_t now, char nonce[33]);
/* 1 when s is exactly len lowercase hex digits. */
int web_is_hex(const char *s, size_t len);

#endif
