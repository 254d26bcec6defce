/* mx_http.c: mapping HTTP answers to mx_status, the retry decision, and the
 * libcurl transport (one reused easy handle, timeouts, a response size cap,
 * Retry-After, and aborting a transfer when the stop flag is raised). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "mx_buf.h"
#include "mx_http.h"
#include "mx_http_int.h"

/* Ceiling for any wait we compute, so doubling and huge Retry-After values
 * cannot overflow or park the bot for days. */
#define MX_DELAY_CEILING_MS (3600L * 1000L)
/* A Matrix error body is small; anything larger is not worth parsing. */
#define MX_ERROR_BODY_MAX (64 * 1024)
#define MX_CONNECT_TIMEOUT_MS 10000L

void mx_http_response_clear(mx_http_response *resp)
{
	if (resp == NULL)
		return;
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
	resp->retry_after_ms = -1;
}

/* Copies src into dst (size n), replacing control characters so that a
 * server-chosen text cannot forge log lines. */
static void copy_printable(char *dst, size_t n, const char *src)
{
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i + 1 < n && src[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)src[i];
		dst[i] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	dst[i] = '\0';
}

static long clamp_ms(double v)
{
	if (!(v >= 0)) /* also rejects NaN */
		return -1;
	if (v > (double)MX_DELAY_CEILING_MS)
		return MX_DELAY_CEILING_MS;
	return (long)v;
}

int mx_http_classify(const mx_http_response *resp, mx_error *err)
{
	cJSON *json = NULL;
	const cJSON *item = NULL;
	const char *errcode = NULL;
	const char *text = NULL;
	long body_retry = -1;
	long code;
	int status;

	if (resp == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "no HTTP response");
	code = resp->status;
	if (code >= 200 && code < 300) {
		mx_error_clear(err);
		if (err != NULL)
			err->http_status = code;
		return MX_OK;
	}

	if (resp->body != NULL && resp->body_len > 0 &&
	    resp->body_len <= MX_ERROR_BODY_MAX) {
		json = cJSON_ParseWithLength(resp->body, resp->body_len);
		if (cJSON_IsObject(json)) {
			item = cJSON_GetObjectItemCaseSensitive(json, "errcode");
			if (cJSON_IsString(item))
				errcode = item->valuestring;
			item = cJSON_GetObjectItemCaseSensitive(json, "error");
			if (cJSON_IsString(item))
				text = item->valuestring;
			item = cJSON_GetObjectItemCaseSensitive(json, "retry_after_ms");
			if (cJSON_IsNumber(item))
				body_retry = clamp_ms(item->valuedouble);
		}
	}

	if (code == 429)
		status = MX_ERR_RATE_LIMITED;
	else if ((code == 401 || code == 403) && errcode != NULL &&
		 (strcmp(errcode, "M_UNKNOWN_TOKEN") == 0 ||
		  strcmp(errcode, "M_MISSING_TOKEN") == 0))
		status = MX_ERR_AUTH;
	else if (code >= 500)
		status = MX_ERR_SERVER;
	else
		status = MX_ERR_REQUEST; /* other 4xx, and 1xx/3xx we never asked for */

	if (err != NULL) {
		if (text != NULL && text[0] != '\0')
			mx_error_set(err, status, "%s", text);
		else if (errcode != NULL)
			mx_error_set(err, status, "HTTP %ld %s", code, errcode);
		else
			mx_error_set(err, status, "HTTP %ld", code);
		copy_printable(err->message, sizeof(err->message), err->message);
		if (errcode != NULL)
			copy_printable(err->errcode, sizeof(err->errcode), errcode);
		err->http_status = code;
		/* The header wins: the spec now prefers it over the body field. */
		err->retry_after_ms = resp->retry_after_ms >= 0 ?
			resp->retry_after_ms : body_retry;
	}
	cJSON_Delete(json);
	return status;
}

int mx_retry_decide(const mx_retry_policy *policy, const mx_error *err,
		    int attempt, long *out_delay_ms)
{
	long base, cap, delay;
	int i;

	if (policy == NULL || err == NULL || out_delay_ms == NULL)
		return 0;
	if (attempt < 1)
		attempt = 1;
	if (policy->max_attempts > 0 && attempt >= policy->max_attempts)
		return 0;
	base = policy->base_delay_ms > 0 ? policy->base_delay_ms : 0;
	cap = MX_DELAY_CEILING_MS;
	if (policy->max_delay_ms > 0 && policy->max_delay_ms < cap)
		cap = policy->max_delay_ms;
	if (base > cap)
		base = cap;

	switch (err->status) {
	case MX_ERR_RATE_LIMITED:
		delay = err->retry_after_ms >= 0 ? err->retry_after_ms : base;
		break;
	case MX_ERR_NETWORK:
	case MX_ERR_TIMEOUT:
	case MX_ERR_SERVER:
		/* base * 2^(attempt-1); stops doubling at the cap, so no overflow */
		delay = base;
		for (i = 1; i < attempt && delay < cap; i++)
			delay *= 2;
		break;
	default:
		return 0;
	}
	if (delay > cap)
		delay = cap;
	*out_delay_ms = delay;
	return 1;
}

/* ---- libcurl transport ---- */

typedef struct curl_ctx {
	CURL *easy;                      /* reused: keeps connections alive */
	size_t max_response_bytes;
	volatile sig_atomic_t *cancel;
} curl_ctx;

static int curl_initialised;

/* Returning less than was given makes curl fail with CURLE_WRITE_ERROR;
 * x->body then keeps why (too large or out of memory). */
static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	mx_xfer *x = userp;
	/* curl passes size 1; an overflowing product is past any cap anyway */
	size_t n = nmemb != 0 && size > SIZE_MAX / nmemb ? SIZE_MAX : size * nmemb;

	return mx_buf_add(&x->body, data, n) == MX_OK ? n : 0;
}

/* Retry-After in delta-seconds; an HTTP date is left as -1 (absent). */
static long parse_retry_after(const char *v, size_t n)
{
	size_t i = 0;
	long secs = 0;
	int digits = 0;

	while (i < n && (v[i] == ' ' || v[i] == '\t'))
		i++;
	for (; i < n && v[i] >= '0' && v[i] <= '9'; i++, digits++) {
		if (secs < MX_DELAY_CEILING_MS / 1000)
			secs = secs * 10 + (v[i] - '0');
	}
	while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n'))
		i++;
	if (digits == 0 || i != n)
		return -1;
	if (secs > MX_DELAY_CEILING_MS / 1000)
		secs = MX_DELAY_CEILING_MS / 1000;
	return secs * 1000;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
	static const char name[] = "retry-after:";
	mx_xfer *x = userp;
	size_t n = size * nmemb; /* curl guarantees size == 1 for headers */

	/* A new status line starts another response (100-continue, ...):
	 * only the final response's header counts. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		x->retry_after_ms = -1;
	else if (n >= sizeof(name) - 1 &&
		 strncasecmp(data, name, sizeof(name) - 1) == 0)
		x->retry_after_ms = parse_retry_after(data + sizeof(name) - 1,
						      n - (sizeof(name) - 1));
	return n;
}

static int on_progress(void *userp, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	mx_xfer *x = userp;

	(void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
	return (x->cancel != NULL && *x->cancel) ? 1 : 0; /* nonzero aborts */
}

static int map_curl_error(CURLcode rc, const mx_xfer *x)
{
	if (mx_buf_status(&x->body) == MX_ERR_TOO_LARGE || rc == CURLE_FILESIZE_EXCEEDED)
		return MX_ERR_TOO_LARGE;
	if (mx_buf_status(&x->body) == MX_ERR_NOMEM || rc == CURLE_OUT_OF_MEMORY)
		return MX_ERR_NOMEM;
	switch (rc) {
	case CURLE_ABORTED_BY_CALLBACK: return MX_ERR_CANCELLED;
	case CURLE_OPERATION_TIMEDOUT:  return MX_ERR_TIMEOUT;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL: return MX_ERR_INVALID;
	default:                        return MX_ERR_NETWORK;
	}
}

/* Appends line to *headers. Returns MX_OK or MX_ERR_NOMEM (*headers then
 * unchanged, still the caller's). */
static int add_header(struct curl_slist **headers, const char *line)
{
	struct curl_slist *tmp = curl_slist_append(*headers, line);

	if (tmp == NULL)
		return MX_ERR_NOMEM;
	*headers = tmp;
	return MX_OK;
}

/* The request's headers into *headers, the Authorization line (holding
 * the token) also in *auth so the caller can wipe it. Returns MX_OK or
 * MX_ERR_NOMEM; what was made by then is in *headers and *auth either
 * way, for the caller to free. */
static int build_headers(const mx_http_request *req, struct curl_slist **headers, char **auth)
{
	size_t n;
	int rc;

	if ((rc = add_header(headers, "Accept: application/json")) != MX_OK ||
	    (rc = add_header(headers, "Expect:")) != MX_OK)   /* no 100-continue round trip */
		return rc;
	if (req->body != NULL && req->content_type != NULL) {
		char ct[128];

		(void)snprintf(ct, sizeof ct, "Content-Type: %s", req->content_type);
		if ((rc = add_header(headers, ct)) != MX_OK)
			return rc;
	} else if (req->body != NULL && (rc = add_header(headers, "Content-Type: application/json")) != MX_OK)
		return rc;
	if (req->access_token == NULL || req->access_token[0] == '\0')
		return MX_OK;
	n = strlen("Authorization: Bearer ") + strlen(req->access_token) + 1;
	*auth = malloc(n);
	if (*auth == NULL)
		return MX_ERR_NOMEM;
	(void)snprintf(*auth, n, "Authorization: Bearer %s", req->access_token);
	return add_header(headers, *auth);
}

/* Sets the handle up for req, after dropping the previous request's
 * options (reset keeps the live connections and DNS cache). */
static void set_options(mx_xfer *x, const mx_http_request *req)
{
	CURL *easy = x->easy;
	long connect_ms = MX_CONNECT_TIMEOUT_MS;

	curl_easy_reset(easy);
	x->errbuf[0] = '\0';
	if (req->timeout_ms > 0 && req->timeout_ms < connect_ms)
		connect_ms = req->timeout_ms;
	curl_easy_setopt(easy, CURLOPT_URL, req->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, x->headers);
	if (req->timeout_ms > 0)
		curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""); /* cap applies after decoding */
	curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_response_bytes);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(easy, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);

	if (strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req->method);
		/* POSTFIELDS also for PUT/DELETE: curl then sends the body with
		 * the custom method. An absent body is sent as zero bytes. The
		 * body is not copied: it must live until the transfer ends. */
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(req->body != NULL ? req->body_len : 0));
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS,
				 req->body != NULL ? req->body : "");
	}
}

int mx_xfer_setup(mx_xfer *x, CURL *easy, size_t max_response_bytes,
		  volatile sig_atomic_t *cancel, const mx_http_request *req, mx_error *err)
{
	memset(x, 0, sizeof(*x));
	x->easy = easy;
	x->max_response_bytes = max_response_bytes;
	mx_buf_init(&x->body, max_response_bytes);
	x->retry_after_ms = -1;
	x->cancel = cancel;
	if (req == NULL || req->url == NULL || req->method == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "incomplete HTTP request");
	x->method = req->method;
	x->url = req->url;
	if (cancel != NULL && *cancel)
		return mx_error_set(err, MX_ERR_CANCELLED, "%s %s: cancelled", req->method, req->url);
	if (build_headers(req, &x->headers, &x->auth) != MX_OK)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory building HTTP request");
	set_options(x, req);
	return MX_OK;
}

int mx_xfer_finish(mx_xfer *x, CURLcode rc, mx_http_response *out, mx_error *err)
{
	long code = 0;
	int status;

	mx_http_response_clear(out);
	if (rc != CURLE_OK) {
		status = map_curl_error(rc, x);
		if (status == MX_ERR_TOO_LARGE)
			return mx_error_set(err, status, "%s %s: response larger than %zu bytes",
					    x->method, x->url, x->max_response_bytes);
		return mx_error_set(err, status, "%s %s: %s", x->method, x->url,
				    x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	}
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	/* callers get a NUL-terminated body always, "" when there was none */
	if (mx_buf_take(&out->body, &out->body_len, &x->body) != MX_OK)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory building HTTP request");
	out->status = code;
	out->retry_after_ms = x->retry_after_ms;
	return MX_OK;
}

void mx_xfer_clear(mx_xfer *x)
{
	/* Drop references into x and the token from the handle, once: the
	 * handle may be cleaned up after this, and a second clear (mx_async
	 * clears a finished transfer, then again when it frees the request)
	 * must not touch it. */
	if (x->easy != NULL)
		curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, NULL);
	x->easy = NULL;
	if (x->auth != NULL) {
		explicit_bzero(x->auth, strlen(x->auth));
		free(x->auth);
	}
	curl_slist_free_all(x->headers);
	mx_buf_free(&x->body);
	x->auth = NULL;
	x->headers = NULL;
}

/* The URL never carries the token (it goes in a header), so it may appear
 * in messages; the token itself never does. */
static int curl_perform(void *ctxp, const mx_http_request *req,
			mx_http_response *out, mx_error *err)
{
	curl_ctx *ctx = ctxp;
	mx_xfer x;
	int status;

	mx_http_response_clear(out);
	status = mx_xfer_setup(&x, ctx->easy, ctx->max_response_bytes, ctx->cancel, req, err);
	if (status == MX_OK)
		status = mx_xfer_finish(&x, curl_easy_perform(ctx->easy), out, err);
	mx_xfer_clear(&x);
	return status;
}

int mx_transport_is_curl(const mx_transport *t)
{
	return t != NULL && t->perform == curl_perform;
}

static void curl_destroy(void *ctxp)
{
	curl_ctx *ctx = ctxp;

	if (ctx == NULL)
		return;
	if (ctx->easy != NULL)
		curl_easy_cleanup(ctx->easy);
	free(ctx);
}

int mx_transport_curl_new(mx_transport **out, size_t max_response_bytes,
			  volatile sig_atomic_t *cancel, mx_error *err)
{
	mx_transport *t = NULL;
	curl_ctx *ctx = NULL;
	int status = MX_OK;

	if (out == NULL || max_response_bytes == 0)
		return mx_error_set(err, MX_ERR_INVALID, "curl transport: bad arguments");
	/* Once per process; the daemon is single-threaded. */
	if (!curl_initialised) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return mx_error_set(err, MX_ERR_NOMEM, "curl_global_init failed");
		curl_initialised = 1;
	}
	t = calloc(1, sizeof(*t));
	ctx = calloc(1, sizeof(*ctx));
	if (t == NULL || ctx == NULL) {
		status = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	ctx->easy = curl_easy_init();
	if (ctx->easy == NULL) {
		status = mx_error_set(err, MX_ERR_NOMEM, "curl_easy_init failed");
		goto cleanup;
	}
	/* Keeps the buffer's length and its NUL far from overflowing. */
	ctx->max_response_bytes = max_response_bytes > SIZE_MAX / 2 ?
		SIZE_MAX / 2 : max_response_bytes;
	ctx->cancel = cancel;
	t->perform = curl_perform;
	t->destroy = curl_destroy;
	t->ctx = ctx;
	*out = t;
	t = NULL;
	ctx = NULL;
cleanup:
	curl_destroy(ctx);
	free(t);
	return status;
}

/* Calls destroy(ctx) and then free()s t itself: any transport handed to
 * mx_transport_free (or to a client, which owns it) must come from malloc. */
void mx_transport_free(mx_transport *t)
{
	if (t == NULL)
		return;
	if (t->destroy != NULL)
		t->destroy(t->ctx);
	free(t);
}
