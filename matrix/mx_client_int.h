/* mx_client_int.h: the client's state, shared with the side-by-side
 * requests of mx_async.c. Not for use outside matrix/. */
#ifndef MX_CLIENT_INT_H
#define MX_CLIENT_INT_H

#include "mx_client.h"

struct mx_client {
	char *base_url;              /* no trailing slash */
	char *token;                 /* NULL when not logged in; never logged */
	long request_timeout_ms;
	mx_retry_policy retry;
	volatile sig_atomic_t *cancel;
	mx_transport *transport;     /* owned */
	size_t max_response_bytes;
	mx_error last;               /* last failure returned by any call */
	void (*on_retry)(void *, const mx_error *, int, long);
	void *on_retry_userdata;
};

#endif
