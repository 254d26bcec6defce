/* mx_http_int.h: one libcurl transfer's state, shared by the blocking
 * transport (mx_http.c) and the side-by-side requests (mx_async.c). Not
 * for use outside matrix/. */
#ifndef MX_HTTP_INT_H
#define MX_HTTP_INT_H

#include <signal.h>
#include <curl/curl.h>
#include "mx_buf.h"
#include "mx_http.h"

typedef struct mx_xfer {
	CURL *easy;                      /* borrowed */
	mx_buf body;                     /* capped at max_response_bytes */
	size_t max_response_bytes;
	long retry_after_ms;
	volatile sig_atomic_t *cancel;
	struct curl_slist *headers;
	char *auth;                      /* the Authorization line: wiped when cleared */
	const char *method, *url;        /* the request's, for messages */
	char errbuf[CURL_ERROR_SIZE];
} mx_xfer;

/* Sets easy up for req (its old options dropped). x must stay where it is
 * and req's url, method and body must live until the transfer ended.
 * MX_OK, or MX_ERR_INVALID, MX_ERR_CANCELLED or MX_ERR_NOMEM with err set;
 * mx_xfer_clear is due either way. */
int mx_xfer_setup(mx_xfer *x, CURL *easy, size_t max_response_bytes,
		  volatile sig_atomic_t *cancel, const mx_http_request *req, mx_error *err);
/* After the transfer ended with rc: MX_OK with *out filled (any HTTP
 * status), or the transport-level status with err set. */
int mx_xfer_finish(mx_xfer *x, CURLcode rc, mx_http_response *out, mx_error *err);
/* Frees the headers (wiping the token) and the body and forgets easy,
 * which is left to its owner; clearing twice is harmless. */
void mx_xfer_clear(mx_xfer *x);

/* Whether t is the libcurl transport of mx_transport_curl_new. */
int mx_transport_is_curl(const mx_transport *t);

#endif
