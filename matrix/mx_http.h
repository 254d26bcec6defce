/* mx_http.h: one HTTP exchange, behind a small transport interface so tests
 * can put a failing transport in. The libcurl transport keeps one handle
 * (keep-alive, connection reuse), applies timeouts and caps response size.
 * Mapping an answer to an mx_status and deciding on retries live here too,
 * as pure functions, so they are unit-testable without a network. */
#ifndef MX_HTTP_H
#define MX_HTTP_H

#include <signal.h>
#include <stddef.h>
#include "mx_error.h"

typedef struct mx_http_request {
	const char *method;        /* "GET", "POST", "PUT", "DELETE" */
	const char *url;           /* full URL, already percent-encoded */
	const char *body;          /* may be NULL; sent as application/json */
	size_t body_len;
	const char *access_token;  /* may be NULL; sent as Bearer header, never logged */
	long timeout_ms;           /* whole-request timeout */
	const char *content_type;  /* of body; NULL: application/json (issue 16: media uploads) */
} mx_http_request;

typedef struct mx_http_response {
	long status;               /* HTTP status code */
	char *body;                /* NUL-terminated, owned; free with mx_http_response_clear */
	size_t body_len;
	long retry_after_ms;       /* Retry-After header in ms, -1 when absent */
} mx_http_response;

void mx_http_response_clear(mx_http_response *resp);

/* A transport performs one request. Returns MX_OK when an HTTP answer
 * (of any status) arrived and fills *out; otherwise a transport-level
 * status (NETWORK, TIMEOUT, TOO_LARGE, CANCELLED, NOMEM) with err set,
 * and *out left empty. */
typedef struct mx_transport {
	int (*perform)(void *ctx, const mx_http_request *req,
		       mx_http_response *out, mx_error *err);
	void (*destroy)(void *ctx);
	void *ctx;
} mx_transport;

/* libcurl transport. max_response_bytes caps any body. cancel, when not
 * NULL, aborts a transfer in progress as soon as *cancel becomes nonzero
 * (used to stop a long-polling sync on SIGTERM). Owns nothing passed in. */
int mx_transport_curl_new(mx_transport **out, size_t max_response_bytes,
			  volatile sig_atomic_t *cancel, mx_error *err);
void mx_transport_free(mx_transport *t);

/* Map an HTTP answer to a status: 2xx -> MX_OK, otherwise fills err with
 * the status, errcode, error text and retry_after_ms taken from the header
 * or the JSON body (header wins, as the spec prefers). Pure. */
int mx_http_classify(const mx_http_response *resp, mx_error *err);

typedef struct mx_retry_policy {
	int max_attempts;        /* total tries including the first; 0 = forever */
	long base_delay_ms;      /* first backoff for network/5xx */
	long max_delay_ms;       /* cap for backoff and for honoured Retry-After */
} mx_retry_policy;

/* Decide whether a failed attempt (1-based) is retried and after how long.
 * Returns 1 with *out_delay_ms set to retry, 0 to give up. 429 waits what
 * the server asked (or base delay when it did not say); network, timeout
 * and 5xx back off exponentially up to the cap; everything else (4xx,
 * auth, parse, too large, cancelled) does not retry. Pure. */
int mx_retry_decide(const mx_retry_policy *policy, const mx_error *err,
		    int attempt, long *out_delay_ms);

#endif
