/* mx_async.h: requests that run side by side in one thread (libcurl's
 * multi interface): the long-polling sync next to the sends, and sends to
 * several rooms at once. A request starts with a tag of the caller's and
 * comes back, finished, from mx_async_next; nothing is retried here (the
 * caller knows what a failure means for it). With another transport than
 * libcurl (the tests' scripted ones) a request is carried out at once when
 * started and comes back at the next mx_async_next. */
#ifndef MX_ASYNC_H
#define MX_ASYNC_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "mx_client.h"

typedef struct mx_async mx_async;

/* For client c (borrowed: its address, token, timeouts, response cap and
 * stop flag). At most max_connections connections to the homeserver;
 * requests past that wait their turn (0: 8). */
int mx_async_new(mx_async **out, mx_client *c, long max_connections, mx_error *err);
/* Ends what is in flight (unanswered) and frees a. */
void mx_async_free(mx_async *a);

/* Starts method path (from "/_matrix" on, percent-encoded) with body (may
 * be NULL), the client's token, and timeout_ms for the whole request (0:
 * the client's); it goes on the wire at once, as far as the socket takes
 * it. MX_OK, or the failure (err set) when it did not start. */
int mx_async_start(mx_async *a, const char *method, const char *path, const cJSON *body,
		   long timeout_ms, uintptr_t tag, mx_error *err);
/* Starts a sync (as mx_sync would make it). */
int mx_async_sync(mx_async *a, const char *since, const char *filter, long timeout_ms,
		  uintptr_t tag, mx_error *err);

/* Moves the transfers on, waiting up to wait_ms for one to finish; returns
 * at once when one has finished already. MX_OK, or MX_ERR_CANCELLED when
 * the stop flag went up. */
int mx_async_wait(mx_async *a, long wait_ms);
/* One finished request: 1 with its tag, its status (MX_OK for a 2xx with
 * a JSON object, else as mx_request would say) and on MX_OK *out (the
 * caller's, may be NULL to drop it), otherwise err; 0 when none is done. */
int mx_async_next(mx_async *a, uintptr_t *tag, int *status, cJSON **out, mx_error *err);
/* Requests started and not yet taken back with mx_async_next. */
size_t mx_async_pending(const mx_async *a);

#endif
