/* mx_async.c: see mx_async.h. Each request owns its easy handle, URL,
 * body and transfer state until it is taken back; the multi handle keeps
 * the connections, so they are reused from one request to the next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>

#include "mx_async.h"
#include "mx_client_int.h"
#include "mx_http_int.h"

#define DEFAULT_CONNECTIONS 8L
/* Poll in slices this long so a raised stop flag is seen soon. */
#define POLL_SLICE_MS 100L

typedef struct areq {
	struct areq *next;
	uintptr_t tag;
	CURL *easy;                /* NULL once finished, or when never on the wire */
	mx_xfer x;
	char *url, *payload;
	int status;                /* when finished */
	cJSON *json;
	mx_error err;
} areq;

struct mx_async {
	mx_client *c;
	CURLM *multi;              /* NULL with a transport other than libcurl */
	areq *flying;              /* started, not finished */
	areq *done, **done_tail;   /* finished, in the order they finished */
	size_t n;                  /* started and not taken back */
};

int mx_async_new(mx_async **out, mx_client *c, long max_connections, mx_error *err)
{
	mx_async *a;

	*out = NULL;
	if (c == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "async: no client");
	a = calloc(1, sizeof *a);
	if (a == NULL)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	a->c = c;
	a->done_tail = &a->done;
	if (mx_transport_is_curl(c->transport)) {
		a->multi = curl_multi_init();
		if (a->multi == NULL) {
			free(a);
			return mx_error_set(err, MX_ERR_NOMEM, "curl_multi_init failed");
		}
		curl_multi_setopt(a->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
				  max_connections > 0 ? max_connections : DEFAULT_CONNECTIONS);
	}
	*out = a;
	return MX_OK;
}

static void collect(mx_async *a);

static void areq_free(areq *r)
{
	if (r == NULL)
		return;
	mx_xfer_clear(&r->x);
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	if (r->payload != NULL) {
		explicit_bzero(r->payload, strlen(r->payload));
		free(r->payload);
	}
	free(r->url);
	cJSON_Delete(r->json);
	free(r);
}

void mx_async_free(mx_async *a)
{
	areq *r, *next;

	if (a == NULL)
		return;
	for (r = a->flying; r != NULL; r = next) {
		next = r->next;
		curl_multi_remove_handle(a->multi, r->easy);
		areq_free(r);
	}
	for (r = a->done; r != NULL; r = next) {
		next = r->next;
		areq_free(r);
	}
	if (a->multi != NULL)
		curl_multi_cleanup(a->multi);
	free(a);
}

static void finish(mx_async *a, areq *r)
{
	r->next = NULL;
	*a->done_tail = r;
	a->done_tail = &r->next;
}

/* The answer of a finished transfer into r->status and r->json or r->err. */
static void conclude(areq *r, int transport_status, const mx_http_response *resp)
{
	int status = transport_status;

	if (status == MX_OK)
		status = mx_http_classify(resp, &r->err);
	if (status == MX_OK) {
		r->json = resp->body_len ? cJSON_ParseWithLength(resp->body, resp->body_len) : cJSON_CreateObject();
		if (!cJSON_IsObject(r->json)) {
			cJSON_Delete(r->json);
			r->json = NULL;
			status = mx_error_set(&r->err, MX_ERR_PARSE, "HTTP %ld: response is not a JSON object",
					      resp->status);
		}
	} else if (r->err.status != status) {
		mx_error_set(&r->err, status, "%s", mx_status_name(status));
	}
	r->status = status;
}

/* Without libcurl: carried out now, handed back at the next mx_async_next. */
static void perform_now(mx_async *a, areq *r, const mx_http_request *req)
{
	mx_http_response resp;
	int status;

	memset(&resp, 0, sizeof resp);
	resp.retry_after_ms = -1;
	status = a->c->transport->perform(a->c->transport->ctx, req, &resp, &r->err);
	conclude(r, status, &resp);
	mx_http_response_clear(&resp);
	finish(a, r);
}

int mx_async_start(mx_async *a, const char *method, const char *path, const cJSON *body,
		   long timeout_ms, uintptr_t tag, mx_error *err)
{
	mx_http_request req;
	areq *r = NULL;
	size_t n;
	int rc, running = 0;

	if (a == NULL || method == NULL || path == NULL || path[0] != '/')
		return mx_error_set(err, MX_ERR_INVALID, "async: bad request");
	r = calloc(1, sizeof *r);
	if (r == NULL)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	r->tag = tag;
	n = strlen(a->c->base_url) + strlen(path) + 1;
	r->url = malloc(n);
	r->payload = body ? cJSON_PrintUnformatted(body) : NULL;
	if (r->url == NULL || (body && r->payload == NULL)) {
		areq_free(r);
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	}
	snprintf(r->url, n, "%s%s", a->c->base_url, path);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = r->url;
	req.body = r->payload;
	req.body_len = r->payload ? strlen(r->payload) : 0;
	req.access_token = a->c->token;
	req.timeout_ms = timeout_ms > 0 ? timeout_ms : a->c->request_timeout_ms;
	a->n++;
	if (a->multi == NULL) {
		perform_now(a, r, &req);
		return MX_OK;
	}
	r->easy = curl_easy_init();
	rc = r->easy ? mx_xfer_setup(&r->x, r->easy, a->c->max_response_bytes, a->c->cancel, &req, err)
		     : mx_error_set(err, MX_ERR_NOMEM, "curl_easy_init failed");
	if (rc == MX_OK) {
		curl_easy_setopt(r->easy, CURLOPT_PRIVATE, (char *)r);
		if (curl_multi_add_handle(a->multi, r->easy) != CURLM_OK)
			rc = mx_error_set(err, MX_ERR_NOMEM, "curl_multi_add_handle failed");
	}
	if (rc != MX_OK) {
		a->n--;
		areq_free(r);
		return rc;
	}
	r->next = a->flying;
	a->flying = r;
	/* On the wire now, not at the caller's next wait: a send should not
	 * wait for whatever else the loop does first. */
	curl_multi_perform(a->multi, &running);
	collect(a);
	return MX_OK;
}

int mx_async_sync(mx_async *a, const char *since, const char *filter, long timeout_ms,
		  uintptr_t tag, mx_error *err)
{
	char *path = NULL;
	int rc;

	if (a == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "async: no client");
	rc = mx_sync_path(since, filter, timeout_ms, &path);
	if (rc != MX_OK)
		return mx_error_set(err, rc, "sync: path too long or out of memory");
	/* The server may hold the request for timeout_ms before answering. */
	rc = mx_async_start(a, "GET", path, NULL, timeout_ms + a->c->request_timeout_ms, tag, err);
	free(path);
	return rc;
}

static void unlink_flying(mx_async *a, areq *r)
{
	areq **p;

	for (p = &a->flying; *p != NULL; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			return;
		}
}

/* Moves every transfer curl says is done to the done list. */
static void collect(mx_async *a)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(a->multi, &left)) != NULL) {
		areq *r = NULL;
		mx_http_response resp;
		int status;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r == NULL)
			continue;
		memset(&resp, 0, sizeof resp);
		resp.retry_after_ms = -1;
		status = mx_xfer_finish(&r->x, m->data.result, &resp, &r->err);
		conclude(r, status, &resp);
		mx_http_response_clear(&resp);
		curl_multi_remove_handle(a->multi, r->easy);
		mx_xfer_clear(&r->x);
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
		unlink_flying(a, r);
		finish(a, r);
	}
}

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int mx_async_wait(mx_async *a, long wait_ms)
{
	long deadline = mono_ms() + (wait_ms > 0 ? wait_ms : 0);
	int running = 0;

	if (a == NULL)
		return MX_OK;
	for (;;) {
		long left = deadline - mono_ms();
		int fds = 0;

		if (a->multi != NULL) {
			curl_multi_perform(a->multi, &running);
			collect(a);
		}
		if (a->done != NULL || left <= 0)
			return MX_OK;
		if (a->c->cancel != NULL && *a->c->cancel)
			return MX_ERR_CANCELLED;
		if (left > POLL_SLICE_MS)
			left = POLL_SLICE_MS;
		if (a->multi != NULL && a->flying != NULL) {
			curl_multi_poll(a->multi, NULL, 0, (int)left, &fds);
		} else {
			struct timespec ts = { 0, left * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
}

int mx_async_next(mx_async *a, uintptr_t *tag, int *status, cJSON **out, mx_error *err)
{
	areq *r;

	if (out != NULL)
		*out = NULL;
	if (a == NULL || a->done == NULL)
		return 0;
	r = a->done;
	a->done = r->next;
	if (a->done == NULL)
		a->done_tail = &a->done;
	a->n--;
	*tag = r->tag;
	*status = r->status;
	if (err != NULL)
		*err = r->err;
	if (out != NULL) {
		*out = r->json;
		r->json = NULL;
	}
	areq_free(r);
	return 1;
}

size_t mx_async_pending(const mx_async *a)
{
	return a ? a->n : 0;
}
