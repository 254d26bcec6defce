/* mx_client.c: Matrix client-server endpoints (/_matrix/client/v3) on top
 * of an mx_transport: building URLs and bodies, retrying as
 * mx_retry_decide says, and keeping the last failure for the caller. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mx_buf.h"
#include "mx_client.h"
#include "mx_client_int.h"

#define MX_DEFAULT_TIMEOUT_MS 30000L
#define MX_DEFAULT_MAX_RESPONSE ((size_t)32 * 1024 * 1024)
#define MX_DEFAULT_BASE_DELAY_MS 500L
#define MX_DEFAULT_MAX_DELAY_MS 30000L
#define MX_WAIT_SLICE_MS 100L
/* Paths and URLs are built from ids that came over the network. */
#define MX_PATH_MAX (64 * 1024)
#define MX_API "/_matrix/client/v3"

/* ---- paths ---- */

/* Appends "/" and the percent-encoded segment. Returns MX_OK, MX_ERR_INVALID
 * for a NULL segment, MX_ERR_NOMEM, or b's failure (see mx_buf_add). */
static int add_segment(mx_buf *b, const char *segment)
{
	char *esc = NULL;
	int rc;

	if (segment == NULL)
		return MX_ERR_INVALID;
	esc = mx_escape(segment);
	if (esc == NULL)
		return MX_ERR_NOMEM;
	rc = mx_buf_add_str(b, "/");
	if (rc == MX_OK)
		rc = mx_buf_add_str(b, esc);
	free(esc);
	return rc;
}

/* Ends a path or URL built in b (capped at MX_PATH_MAX); rc is the first
 * failure while building it, MX_OK when none. On MX_OK *out is the
 * caller's; otherwise *out is unchanged and the status returned, a path
 * past the cap counting as an unusable id (MX_ERR_INVALID). b is freed
 * either way. */
static int path_finish(char **out, mx_buf *b, int rc)
{
	if (rc == MX_OK)
		rc = mx_buf_take(out, NULL, b);
	mx_buf_free(b);
	return rc == MX_ERR_TOO_LARGE ? MX_ERR_INVALID : rc;
}

/* ---- escaping ---- */

char *mx_escape(const char *segment)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n, i, j = 0;
	char *out = NULL;

	if (segment == NULL)
		return NULL;
	n = strlen(segment);
	if (n > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(n * 3 + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)segment[i];
		/* RFC 3986 unreserved characters pass; everything else, including
		 * '/', ':', '!', '$', '+', is encoded so one segment stays one. */
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~') {
			out[j++] = (char)ch;
		} else {
			out[j++] = '%';
			out[j++] = hex[ch >> 4];
			out[j++] = hex[ch & 0x0f];
		}
	}
	out[j] = '\0';
	return out;
}

/* ---- client lifecycle ---- */

static char *dup_str(const char *s)
{
	size_t n;
	char *d = NULL;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

static void free_secret(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

/* On failure a transport given in opts still belongs to the caller; the
 * client takes it over only on success. */
int mx_client_new(mx_client **out, const mx_client_options *opts, mx_error *err)
{
	mx_client *c = NULL;
	size_t n, max_bytes;
	int status = MX_OK;

	if (out == NULL || opts == NULL || opts->homeserver_url == NULL)
		return mx_error_set(err, MX_ERR_INVALID, "client: missing options");
	if (strncmp(opts->homeserver_url, "http://", 7) != 0 &&
	    strncmp(opts->homeserver_url, "https://", 8) != 0)
		return mx_error_set(err, MX_ERR_INVALID,
				    "client: homeserver URL must start with http:// or https://");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	mx_error_clear(&c->last);
	c->base_url = dup_str(opts->homeserver_url);
	if (c->base_url == NULL) {
		status = mx_error_set(err, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	n = strlen(c->base_url);
	while (n > 0 && c->base_url[n - 1] == '/')
		c->base_url[--n] = '\0';

	c->request_timeout_ms = opts->request_timeout_ms > 0 ?
		opts->request_timeout_ms : MX_DEFAULT_TIMEOUT_MS;
	max_bytes = opts->max_response_bytes ? opts->max_response_bytes :
		MX_DEFAULT_MAX_RESPONSE;
	c->retry = opts->retry;
	c->on_retry = opts->on_retry;
	c->on_retry_userdata = opts->on_retry_userdata;
	if (c->retry.max_attempts == 0 && c->retry.base_delay_ms == 0 &&
	    c->retry.max_delay_ms == 0) {
		c->retry.base_delay_ms = MX_DEFAULT_BASE_DELAY_MS;
		c->retry.max_delay_ms = MX_DEFAULT_MAX_DELAY_MS;
	}
	c->cancel = opts->cancel;
	c->max_response_bytes = max_bytes;

	if (opts->transport != NULL) {
		c->transport = opts->transport;
	} else {
		status = mx_transport_curl_new(&c->transport, max_bytes, opts->cancel, err);
		if (status != MX_OK)
			goto cleanup;
	}
	*out = c;
	c = NULL;
cleanup:
	if (c != NULL) {
		free(c->base_url);
		free(c);
	}
	return status;
}

void mx_client_free(mx_client *c)
{
	if (c == NULL)
		return;
	mx_transport_free(c->transport);
	free_secret(c->token);
	free(c->base_url);
	free(c);
}

int mx_client_set_token(mx_client *c, const char *access_token)
{
	char *copy = NULL;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (access_token != NULL) {
		copy = dup_str(access_token);
		if (copy == NULL)
			return mx_error_set(&c->last, MX_ERR_NOMEM, "out of memory");
	}
	free_secret(c->token);
	c->token = copy;
	return MX_OK;
}

const mx_error *mx_client_last_error(const mx_client *c)
{
	return c ? &c->last : NULL;
}

mx_retry_policy mx_client_set_retry(mx_client *c, mx_retry_policy policy)
{
	mx_retry_policy was = { 0, 0, 0 };

	if (c != NULL) {
		was = c->retry;
		c->retry = policy;
	}
	return was;
}

/* ---- the request loop ---- */

static int cancelled(const mx_client *c)
{
	return c->cancel != NULL && *c->cancel;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Sleeps delay_ms in slices so a raised stop flag ends the wait early.
 * Returns MX_OK or MX_ERR_CANCELLED. */
static int wait_ms(const mx_client *c, long delay_ms)
{
	long deadline = now_ms() + delay_ms;
	long left;
	struct timespec ts;

	for (;;) {
		if (cancelled(c))
			return MX_ERR_CANCELLED;
		left = deadline - now_ms();
		if (left <= 0)
			return MX_OK;
		if (left > MX_WAIT_SLICE_MS)
			left = MX_WAIT_SLICE_MS;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000L;
		/* EINTR (e.g. SIGTERM raising the flag) just loops to the check. */
		(void)nanosleep(&ts, NULL);
	}
}

/* How do_request treats a call: with the access token (all but login),
 * and whether a JSON array is a valid answer (GET /rooms/{id}/state). */
#define REQ_TOKEN 1
#define REQ_ARRAY 2

/* Parses a 2xx body: an object (or, with REQ_ARRAY, an array), or {} when
 * empty. */
static int parse_object(const mx_http_response *resp, int flags, cJSON **out, mx_error *err)
{
	cJSON *json = NULL;

	if (resp->body == NULL || resp->body_len == 0)
		json = cJSON_CreateObject();
	else
		json = cJSON_ParseWithLength(resp->body, resp->body_len);
	if (json == NULL && (resp->body == NULL || resp->body_len == 0))
		return mx_error_set(err, MX_ERR_NOMEM, "out of memory");
	if (!cJSON_IsObject(json) && !((flags & REQ_ARRAY) && cJSON_IsArray(json))) {
		cJSON_Delete(json);
		mx_error_set(err, MX_ERR_PARSE, "HTTP %ld: response is not a JSON object",
			     resp->status);
		err->http_status = resp->status;
		return MX_ERR_PARSE;
	}
	*out = json;
	return MX_OK;
}

/* One call with retries; flags are REQ_*. transport_timeout_ms is the
 * whole-request limit per attempt. */
static int do_request(mx_client *c, const char *method, const char *path,
		      const cJSON *body, long transport_timeout_ms, int flags,
		      cJSON **out)
{
	mx_buf sb;
	char *url = NULL;
	char *payload = NULL;
	cJSON *json = NULL;
	mx_http_request req;
	mx_http_response resp = {0};
	mx_error err;
	long delay = 0;
	int attempt, status = MX_OK;

	mx_error_clear(&err);
	mx_buf_init(&sb, MX_PATH_MAX);
	resp.retry_after_ms = -1;
	if (method == NULL || path == NULL || path[0] != '/') {
		status = mx_error_set(&err, MX_ERR_INVALID, "request: bad method or path");
		goto cleanup;
	}
	status = mx_buf_add_str(&sb, c->base_url);
	if (status == MX_OK)
		status = mx_buf_add_str(&sb, path);
	status = path_finish(&url, &sb, status);
	if (status != MX_OK) {
		mx_error_set(&err, status, "request: URL too long or out of memory");
		goto cleanup;
	}
	if (body != NULL) {
		payload = cJSON_PrintUnformatted(body);
		if (payload == NULL) {
			status = mx_error_set(&err, MX_ERR_NOMEM, "request: cannot serialise body");
			goto cleanup;
		}
	}

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.body = payload;
	req.body_len = payload ? strlen(payload) : 0;
	req.access_token = (flags & REQ_TOKEN) ? c->token : NULL;
	req.timeout_ms = transport_timeout_ms > 0 ? transport_timeout_ms :
		c->request_timeout_ms;

	for (attempt = 1;; attempt++) {
		if (cancelled(c)) {
			status = mx_error_set(&err, MX_ERR_CANCELLED, "%s %s: cancelled",
					      method, path);
			goto cleanup;
		}
		mx_http_response_clear(&resp);
		mx_error_clear(&err);
		status = c->transport->perform(c->transport->ctx, &req, &resp, &err);
		if (status == MX_OK)
			status = mx_http_classify(&resp, &err);
		if (status == MX_OK) {
			status = parse_object(&resp, flags, &json, &err);
			goto cleanup;
		}
		if (err.status != status) /* a transport that forgot to fill err */
			mx_error_set(&err, status, "%s %s: %s", method, path,
				     mx_status_name(status));
		if (!mx_retry_decide(&c->retry, &err, attempt, &delay))
			goto cleanup;
		if (c->on_retry)
			c->on_retry(c->on_retry_userdata, &err, attempt, delay);
		if (wait_ms(c, delay) != MX_OK) {
			status = mx_error_set(&err, MX_ERR_CANCELLED,
					      "%s %s: cancelled while waiting to retry",
					      method, path);
			goto cleanup;
		}
	}

cleanup:
	if (status == MX_OK) {
		if (out != NULL) {
			*out = json;
			json = NULL;
		}
	} else {
		c->last = err;
	}
	cJSON_Delete(json);
	mx_http_response_clear(&resp);
	if (payload != NULL) {
		explicit_bzero(payload, strlen(payload)); /* may hold a password */
		free(payload);
	}
	free(url);
	return status;
}

int mx_request(mx_client *c, const char *method, const char *path,
	       const cJSON *body, long timeout_ms, cJSON **out)
{
	if (c == NULL)
		return MX_ERR_INVALID;
	return do_request(c, method, path, body, timeout_ms, REQ_TOKEN, out);
}

/* ---- helpers for endpoints ---- */

static int fail(mx_client *c, int status, const char *what)
{
	return mx_error_set(&c->last, status, "%s", what);
}

/* Copies a required string field of obj into *out (caller frees). */
static int take_string(mx_client *c, const cJSON *obj, const char *name, char **out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
	char *s = NULL;

	if (!cJSON_IsString(item) || item->valuestring == NULL)
		return mx_error_set(&c->last, MX_ERR_PARSE,
				    "response lacks string field \"%s\"", name);
	s = dup_str(item->valuestring);
	if (s == NULL)
		return fail(c, MX_ERR_NOMEM, "out of memory");
	*out = s;
	return MX_OK;
}

/* Builds MX_API followed by parts[]; parts with escape[i] set are ids and
 * go in as one percent-encoded segment after a "/". */
static int build_path(mx_client *c, char **out, const char *const *parts,
		      const int *escape, size_t n)
{
	mx_buf sb;
	size_t i;
	int status;

	mx_buf_init(&sb, MX_PATH_MAX);
	status = mx_buf_add_str(&sb, MX_API);
	for (i = 0; i < n && status == MX_OK; i++)
		status = escape[i] ? add_segment(&sb, parts[i]) : mx_buf_add_str(&sb, parts[i]);
	status = path_finish(out, &sb, status);
	if (status != MX_OK)
		return fail(c, status, status == MX_ERR_NOMEM ? "out of memory" :
			    "path too long or missing id");
	return MX_OK;
}

/* Path "/rooms/{room}/{what}". */
static int room_path(mx_client *c, char **out, const char *room_id, const char *what)
{
	const char *parts[] = { "/rooms", room_id, "/", what };
	const int esc[] = { 0, 1, 0, 0 };

	return build_path(c, out, parts, esc, 4);
}

/* POSTs {user_id?, reason?} to /rooms/{room}/{what}. */
static int membership(mx_client *c, const char *what, const char *room_id,
		      const char *user_id, const char *reason, int need_user)
{
	cJSON *body = NULL;
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (room_id == NULL || (need_user && user_id == NULL))
		return fail(c, MX_ERR_INVALID, "membership: missing room or user id");
	status = room_path(c, &path, room_id, what);
	if (status != MX_OK)
		goto cleanup;
	body = cJSON_CreateObject();
	if (body == NULL ||
	    (need_user && cJSON_AddStringToObject(body, "user_id", user_id) == NULL) ||
	    (reason != NULL && cJSON_AddStringToObject(body, "reason", reason) == NULL)) {
		status = fail(c, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	status = mx_request(c, "POST", path, body, 0, NULL);
cleanup:
	cJSON_Delete(body);
	free(path);
	return status;
}

/* ---- endpoints ---- */

void mx_login_result_clear(mx_login_result *r)
{
	if (r == NULL)
		return;
	free(r->user_id);
	free_secret(r->access_token);
	free(r->device_id);
	memset(r, 0, sizeof(*r));
}

int mx_login_password(mx_client *c, const char *user, const char *password,
		      const char *device_id, const char *display_name,
		      mx_login_result *out)
{
	cJSON *body = NULL, *ident = NULL, *resp = NULL;
	mx_login_result r = {0};
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (user == NULL || password == NULL || out == NULL)
		return fail(c, MX_ERR_INVALID, "login: missing user, password or result");
	body = cJSON_CreateObject();
	ident = cJSON_CreateObject();
	if (body == NULL || ident == NULL ||
	    cJSON_AddStringToObject(ident, "type", "m.id.user") == NULL ||
	    cJSON_AddStringToObject(ident, "user", user) == NULL ||
	    cJSON_AddStringToObject(body, "type", "m.login.password") == NULL ||
	    !cJSON_AddItemToObject(body, "identifier", ident)) {
		cJSON_Delete(ident);
		status = fail(c, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	ident = NULL; /* now owned by body */
	if (cJSON_AddStringToObject(body, "password", password) == NULL ||
	    (device_id != NULL &&
	     cJSON_AddStringToObject(body, "device_id", device_id) == NULL) ||
	    (display_name != NULL &&
	     cJSON_AddStringToObject(body, "initial_device_display_name", display_name) == NULL)) {
		status = fail(c, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	status = do_request(c, "POST", MX_API "/login", body, 0, 0, &resp);
	if (status != MX_OK)
		goto cleanup;
	if ((status = take_string(c, resp, "user_id", &r.user_id)) != MX_OK ||
	    (status = take_string(c, resp, "access_token", &r.access_token)) != MX_OK ||
	    (status = take_string(c, resp, "device_id", &r.device_id)) != MX_OK)
		goto cleanup;
	status = mx_client_set_token(c, r.access_token);
	if (status != MX_OK)
		goto cleanup;
	*out = r;
	memset(&r, 0, sizeof(r));
cleanup:
	mx_login_result_clear(&r);
	if (body != NULL) {
		/* The password lives in the tree; wipe it before freeing. */
		cJSON *pw = cJSON_GetObjectItemCaseSensitive(body, "password");
		if (cJSON_IsString(pw) && pw->valuestring != NULL)
			explicit_bzero(pw->valuestring, strlen(pw->valuestring));
	}
	cJSON_Delete(body);
	cJSON_Delete(resp);
	return status;
}

/* out_device_id may be NULL; it gets NULL when the server gives none
 * (application services). */
int mx_whoami(mx_client *c, char **out_user_id, char **out_device_id)
{
	cJSON *resp = NULL;
	const cJSON *dev = NULL;
	char *user = NULL, *device = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (out_user_id == NULL)
		return fail(c, MX_ERR_INVALID, "whoami: missing output");
	status = mx_request(c, "GET", MX_API "/account/whoami", NULL, 0, &resp);
	if (status != MX_OK)
		goto cleanup;
	status = take_string(c, resp, "user_id", &user);
	if (status != MX_OK)
		goto cleanup;
	dev = cJSON_GetObjectItemCaseSensitive(resp, "device_id");
	if (out_device_id != NULL && cJSON_IsString(dev)) {
		status = take_string(c, resp, "device_id", &device);
		if (status != MX_OK)
			goto cleanup;
	}
	*out_user_id = user;
	user = NULL;
	if (out_device_id != NULL) {
		*out_device_id = device;
		device = NULL;
	}
cleanup:
	free(user);
	free(device);
	cJSON_Delete(resp);
	return status;
}

int mx_filter_upload(mx_client *c, const char *user_id, const cJSON *filter,
		     char **out_filter_id)
{
	const char *parts[] = { "/user", user_id, "/filter" };
	const int esc[] = { 0, 1, 0 };
	cJSON *resp = NULL;
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (user_id == NULL || filter == NULL || out_filter_id == NULL)
		return fail(c, MX_ERR_INVALID, "filter: missing argument");
	status = build_path(c, &path, parts, esc, 3);
	if (status != MX_OK)
		goto cleanup;
	status = mx_request(c, "POST", path, filter, 0, &resp);
	if (status != MX_OK)
		goto cleanup;
	status = take_string(c, resp, "filter_id", out_filter_id);
cleanup:
	cJSON_Delete(resp);
	free(path);
	return status;
}

/* Adds {"not_types":["*"]} under name: "send me none of these". */
static int add_exclude_all(cJSON *parent, const char *name)
{
	cJSON *f = cJSON_AddObjectToObject(parent, name);
	cJSON *types = f ? cJSON_AddArrayToObject(f, "not_types") : NULL;
	cJSON *star = types ? cJSON_CreateString("*") : NULL;

	if (star == NULL || !cJSON_AddItemToArray(types, star)) {
		cJSON_Delete(star);
		return -1;
	}
	return 0;
}

/* Members are not lazy-loaded: Synapse (1.163) then puts the member
 * event of a timeline's senders in the state of every sync and counts
 * them in device_lists.changed, so each message would make the bot ask
 * again for its senders' devices (and its own) before its next send. The
 * bot keeps every room's members anyway (encryption, caps). */
cJSON *mx_filter_default(int timeline_limit)
{
	cJSON *f = cJSON_CreateObject();
	cJSON *room = NULL, *timeline = NULL;

	if (f == NULL)
		return NULL;
	if (add_exclude_all(f, "presence") != 0 ||
	    add_exclude_all(f, "account_data") != 0)
		goto fail;
	room = cJSON_AddObjectToObject(f, "room");
	timeline = room ? cJSON_AddObjectToObject(room, "timeline") : NULL;
	if (timeline == NULL ||
	    (timeline_limit > 0 &&
	     cJSON_AddNumberToObject(timeline, "limit", timeline_limit) == NULL))
		goto fail;
	if (add_exclude_all(room, "ephemeral") != 0 ||
	    add_exclude_all(room, "account_data") != 0)
		goto fail;
	return f;
fail:
	cJSON_Delete(f);
	return NULL;
}

/* Appends "name=value" to a query string, escaping the value; nothing
 * when value is NULL. Returns MX_OK, MX_ERR_NOMEM or sb's failure. */
static int query_add(mx_buf *sb, int *first, const char *name, const char *value)
{
	char *esc = NULL;
	int rc;

	if (value == NULL)
		return MX_OK;
	esc = mx_escape(value);
	if (esc == NULL)
		return MX_ERR_NOMEM;
	rc = mx_buf_printf(sb, "%s%s=%s", *first ? "?" : "&", name, esc);
	*first = 0;
	free(esc);
	return rc;
}

int mx_sync_path(const char *since, const char *filter, long timeout_ms, char **out)
{
	mx_buf sb;
	char num[32];
	int first = 1, status;

	if (out == NULL || timeout_ms < 0)
		return MX_ERR_INVALID;
	(void)snprintf(num, sizeof(num), "%ld", timeout_ms);
	mx_buf_init(&sb, MX_PATH_MAX);
	status = mx_buf_add_str(&sb, MX_API "/sync");
	if (status == MX_OK)
		status = query_add(&sb, &first, "timeout", num);
	if (status == MX_OK)
		status = query_add(&sb, &first, "since", since);
	if (status == MX_OK)
		status = query_add(&sb, &first, "filter", filter);
	return path_finish(out, &sb, status);
}

int mx_sync(mx_client *c, const char *since, const char *filter,
	    long timeout_ms, cJSON **out)
{
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (out == NULL || timeout_ms < 0)
		return fail(c, MX_ERR_INVALID, "sync: bad arguments");
	status = mx_sync_path(since, filter, timeout_ms, &path);
	if (status != MX_OK)
		return fail(c, status, "sync: path too long or out of memory");
	/* The server may hold the request for timeout_ms before answering. */
	status = mx_request(c, "GET", path, NULL, timeout_ms + c->request_timeout_ms, out);
	free(path);
	return status;
}

/* Adds a copy of item under name when item is not NULL. */
static int add_copy(cJSON *obj, const char *name, const cJSON *item)
{
	cJSON *dup = NULL;

	if (item == NULL)
		return 0;
	dup = cJSON_Duplicate(item, 1);
	if (dup == NULL || !cJSON_AddItemToObject(obj, name, dup)) {
		cJSON_Delete(dup);
		return -1;
	}
	return 0;
}

static int add_opt_string(cJSON *obj, const char *name, const char *value)
{
	if (value == NULL)
		return 0;
	return cJSON_AddStringToObject(obj, name, value) ? 0 : -1;
}

int mx_create_room(mx_client *c, const mx_create_room_opts *opts, char **out_room_id)
{
	cJSON *body = NULL, *resp = NULL, *inv = NULL, *s = NULL;
	size_t i;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (out_room_id == NULL)
		return fail(c, MX_ERR_INVALID, "createRoom: missing output");
	body = cJSON_CreateObject();
	if (body == NULL)
		goto nomem;
	if (opts != NULL) {
		if (add_opt_string(body, "name", opts->name) != 0 ||
		    add_opt_string(body, "topic", opts->topic) != 0 ||
		    add_opt_string(body, "preset", opts->preset) != 0 ||
		    add_opt_string(body, "visibility", opts->visibility) != 0 ||
		    add_opt_string(body, "room_alias_name", opts->room_alias_name) != 0 ||
		    add_copy(body, "initial_state", opts->initial_state) != 0 ||
		    add_copy(body, "power_level_content_override",
			     opts->power_level_content_override) != 0 ||
		    add_copy(body, "creation_content", opts->creation_content) != 0 ||
		    add_opt_string(body, "room_version", opts->room_version) != 0)
			goto nomem;
		if (opts->is_direct &&
		    cJSON_AddTrueToObject(body, "is_direct") == NULL)
			goto nomem;
		if (opts->invite != NULL) {
			inv = cJSON_AddArrayToObject(body, "invite");
			if (inv == NULL)
				goto nomem;
			for (i = 0; opts->invite[i] != NULL; i++) {
				s = cJSON_CreateString(opts->invite[i]);
				if (s == NULL || !cJSON_AddItemToArray(inv, s)) {
					cJSON_Delete(s);
					goto nomem;
				}
			}
		}
	}
	status = mx_request(c, "POST", MX_API "/createRoom", body, 0, &resp);
	if (status == MX_OK)
		status = take_string(c, resp, "room_id", out_room_id);
	goto cleanup;
nomem:
	status = fail(c, MX_ERR_NOMEM, "out of memory");
cleanup:
	cJSON_Delete(body);
	cJSON_Delete(resp);
	return status;
}

/* "/rooms/{room}/state/{type}/{key}"; an empty key gives a trailing "/",
 * which the spec allows. */
static int state_path(mx_client *c, char **out, const char *room_id,
		      const char *type, const char *state_key)
{
	const char *parts[] = { "/rooms", room_id, "/state", type, state_key };
	const int esc[] = { 0, 1, 0, 1, 1 };

	return build_path(c, out, parts, esc, 5);
}

int mx_state_get(mx_client *c, const char *room_id, const char *type,
		 const char *state_key, cJSON **out_content)
{
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (room_id == NULL || type == NULL || out_content == NULL)
		return fail(c, MX_ERR_INVALID, "state: missing argument");
	status = state_path(c, &path, room_id, type, state_key ? state_key : "");
	if (status == MX_OK)
		status = mx_request(c, "GET", path, NULL, 0, out_content);
	free(path);
	return status;
}

int mx_state_put(mx_client *c, const char *room_id, const char *type,
		 const char *state_key, const cJSON *content, char **out_event_id)
{
	cJSON *resp = NULL;
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (room_id == NULL || type == NULL || !cJSON_IsObject(content))
		return fail(c, MX_ERR_INVALID, "state: missing argument");
	status = state_path(c, &path, room_id, type, state_key ? state_key : "");
	if (status == MX_OK)
		status = mx_request(c, "PUT", path, content, 0, &resp);
	if (status == MX_OK && out_event_id != NULL)
		status = take_string(c, resp, "event_id", out_event_id);
	cJSON_Delete(resp);
	free(path);
	return status;
}

int mx_room_state(mx_client *c, const char *room_id, cJSON **out_events)
{
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (room_id == NULL || out_events == NULL)
		return fail(c, MX_ERR_INVALID, "state: missing argument");
	status = room_path(c, &path, room_id, "state");
	if (status == MX_OK)
		status = do_request(c, "GET", path, NULL, 0, REQ_TOKEN | REQ_ARRAY, out_events);
	if (status == MX_OK && !cJSON_IsArray(*out_events)) {
		cJSON_Delete(*out_events);
		*out_events = NULL;
		status = fail(c, MX_ERR_PARSE, "state: the answer is not a list of events");
	}
	free(path);
	return status;
}

int mx_default_room_version(mx_client *c, char **out_version)
{
	cJSON *resp = NULL;
	const cJSON *rv;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (out_version == NULL)
		return fail(c, MX_ERR_INVALID, "capabilities: missing output");
	status = mx_request(c, "GET", MX_API "/capabilities", NULL, 0, &resp);
	if (status == MX_OK) {
		rv = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(resp, "capabilities"), "m.room_versions");
		status = take_string(c, rv, "default", out_version);
	}
	cJSON_Delete(resp);
	return status;
}

int mx_invite(mx_client *c, const char *room_id, const char *user_id, const char *reason)
{
	return membership(c, "invite", room_id, user_id, reason, 1);
}

int mx_kick(mx_client *c, const char *room_id, const char *user_id, const char *reason)
{
	return membership(c, "kick", room_id, user_id, reason, 1);
}

int mx_ban(mx_client *c, const char *room_id, const char *user_id, const char *reason)
{
	return membership(c, "ban", room_id, user_id, reason, 1);
}

int mx_unban(mx_client *c, const char *room_id, const char *user_id, const char *reason)
{
	return membership(c, "unban", room_id, user_id, reason, 1);
}

int mx_leave(mx_client *c, const char *room_id, const char *reason)
{
	return membership(c, "leave", room_id, NULL, reason, 0);
}

/* Sends {reason?} with method to path (taken over and freed) and reads
 * field of the answer into *out (when out is not NULL). */
static int request_with_reason(mx_client *c, const char *method, char *path,
			       const char *reason, const char *field, char **out)
{
	cJSON *body = NULL, *resp = NULL;
	int status;

	body = cJSON_CreateObject();
	if (body == NULL || add_opt_string(body, "reason", reason) != 0) {
		status = fail(c, MX_ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	status = mx_request(c, method, path, body, 0, &resp);
	if (status == MX_OK && out != NULL)
		status = take_string(c, resp, field, out);
cleanup:
	cJSON_Delete(body);
	cJSON_Delete(resp);
	free(path);
	return status;
}

/* POST /{what}/{roomIdOrAlias} with an optional reason; both answer room_id. */
static int join_or_knock(mx_client *c, const char *what, const char *target,
			 const char *reason, char **out_room_id)
{
	const char *parts[] = { what, target };
	const int esc[] = { 0, 1 };
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (target == NULL)
		return fail(c, MX_ERR_INVALID, "join/knock: missing room");
	status = build_path(c, &path, parts, esc, 2);
	if (status != MX_OK)
		return status;
	return request_with_reason(c, "POST", path, reason, "room_id", out_room_id);
}

int mx_join(mx_client *c, const char *room_id_or_alias, char **out_room_id)
{
	return join_or_knock(c, "/join", room_id_or_alias, NULL, out_room_id);
}

int mx_knock(mx_client *c, const char *room_id_or_alias, const char *reason,
	     char **out_room_id)
{
	return join_or_knock(c, "/knock", room_id_or_alias, reason, out_room_id);
}

int mx_joined_members(mx_client *c, const char *room_id, cJSON **out_joined)
{
	cJSON *resp = NULL, *joined = NULL;
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (room_id == NULL || out_joined == NULL)
		return fail(c, MX_ERR_INVALID, "joined_members: missing argument");
	status = room_path(c, &path, room_id, "joined_members");
	if (status == MX_OK)
		status = mx_request(c, "GET", path, NULL, 0, &resp);
	if (status != MX_OK)
		goto cleanup;
	joined = cJSON_DetachItemFromObjectCaseSensitive(resp, "joined");
	if (!cJSON_IsObject(joined)) {
		cJSON_Delete(joined);
		status = fail(c, MX_ERR_PARSE, "joined_members: no \"joined\" object");
		goto cleanup;
	}
	*out_joined = joined;
cleanup:
	cJSON_Delete(resp);
	free(path);
	return status;
}

int mx_messages(mx_client *c, const char *room_id, const char *from,
		const char *dir, int limit, cJSON **out)
{
	mx_buf sb;
	char num[32];
	char *room = NULL, *path = NULL;
	int first = 1, status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (room_id == NULL || dir == NULL || out == NULL || limit <= 0)
		return fail(c, MX_ERR_INVALID, "messages: bad arguments");
	status = room_path(c, &room, room_id, "messages");
	if (status != MX_OK)
		return status;
	(void)snprintf(num, sizeof(num), "%d", limit);
	mx_buf_init(&sb, MX_PATH_MAX);
	status = mx_buf_add_str(&sb, room);
	if (status == MX_OK)
		status = query_add(&sb, &first, "dir", dir);
	if (status == MX_OK)
		status = query_add(&sb, &first, "limit", num);
	if (status == MX_OK)
		status = query_add(&sb, &first, "from", from);
	status = path_finish(&path, &sb, status);
	free(room);
	if (status != MX_OK)
		return fail(c, status, "messages: path too long or out of memory");
	status = mx_request(c, "GET", path, NULL, 0, out);
	free(path);
	return status;
}

int mx_send(mx_client *c, const char *room_id, const char *event_type,
	    const char *txn_id, const cJSON *content, char **out_event_id)
{
	const char *parts[] = { "/rooms", room_id, "/send", event_type, txn_id };
	const int esc[] = { 0, 1, 0, 1, 1 };
	cJSON *resp = NULL;
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (room_id == NULL || event_type == NULL || txn_id == NULL ||
	    txn_id[0] == '\0' || !cJSON_IsObject(content))
		return fail(c, MX_ERR_INVALID, "send: missing argument");
	status = build_path(c, &path, parts, esc, 5);
	if (status == MX_OK)
		status = mx_request(c, "PUT", path, content, 0, &resp);
	if (status == MX_OK && out_event_id != NULL)
		status = take_string(c, resp, "event_id", out_event_id);
	cJSON_Delete(resp);
	free(path);
	return status;
}

int mx_redact(mx_client *c, const char *room_id, const char *event_id,
	      const char *txn_id, const char *reason, char **out_event_id)
{
	const char *parts[] = { "/rooms", room_id, "/redact", event_id, txn_id };
	const int esc[] = { 0, 1, 0, 1, 1 };
	char *path = NULL;
	int status;

	if (c == NULL)
		return MX_ERR_INVALID;
	if (room_id == NULL || event_id == NULL || txn_id == NULL || txn_id[0] == '\0')
		return fail(c, MX_ERR_INVALID, "redact: missing argument");
	status = build_path(c, &path, parts, esc, 5);
	if (status != MX_OK)
		return status;
	return request_with_reason(c, "PUT", path, reason, "event_id", out_event_id);
}

/* ---- content builders ---- */

cJSON *mx_content_text(const char *msgtype, const char *body, const char *html)
{
	cJSON *c = NULL;

	if (msgtype == NULL || body == NULL)
		return NULL;
	c = cJSON_CreateObject();
	if (c == NULL ||
	    cJSON_AddStringToObject(c, "msgtype", msgtype) == NULL ||
	    cJSON_AddStringToObject(c, "body", body) == NULL)
		goto fail;
	if (html != NULL &&
	    (cJSON_AddStringToObject(c, "format", "org.matrix.custom.html") == NULL ||
	     cJSON_AddStringToObject(c, "formatted_body", html) == NULL))
		goto fail;
	return c;
fail:
	cJSON_Delete(c);
	return NULL;
}

/* {"event_id": id} */
static cJSON *event_ref(const char *event_id)
{
	cJSON *r = cJSON_CreateObject();

	if (r != NULL && cJSON_AddStringToObject(r, "event_id", event_id) == NULL) {
		cJSON_Delete(r);
		r = NULL;
	}
	return r;
}

/* Replaces (or adds) content[name] with item; deletes item on failure. */
static int set_member(cJSON *content, const char *name, cJSON *item)
{
	int ok;

	if (cJSON_GetObjectItemCaseSensitive(content, name) != NULL)
		ok = cJSON_ReplaceItemInObjectCaseSensitive(content, name, item);
	else
		ok = cJSON_AddItemToObject(content, name, item);
	if (!ok) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

/* Leaves content unchanged on failure. */
cJSON *mx_content_set_reply(cJSON *content, const char *in_reply_to_event_id)
{
	cJSON *rel = NULL, *old = NULL, *ref = NULL;

	if (!cJSON_IsObject(content) || in_reply_to_event_id == NULL)
		return NULL;
	/* Keep other keys of an existing relation; build the new one aside. */
	old = cJSON_GetObjectItemCaseSensitive(content, "m.relates_to");
	rel = cJSON_IsObject(old) ? cJSON_Duplicate(old, 1) : cJSON_CreateObject();
	if (rel == NULL)
		return NULL;
	ref = event_ref(in_reply_to_event_id);
	/* set_member deletes ref when it fails */
	if (ref == NULL || set_member(rel, "m.in_reply_to", ref) != 0) {
		cJSON_Delete(rel);
		return NULL;
	}
	if (set_member(content, "m.relates_to", rel) != 0)
		return NULL;
	return content;
}

cJSON *mx_content_set_thread(cJSON *content, const char *root_event_id,
			     const char *last_event_id)
{
	cJSON *rel = NULL, *ref = NULL;

	if (!cJSON_IsObject(content) || root_event_id == NULL)
		return NULL;
	rel = cJSON_CreateObject();
	if (rel == NULL ||
	    cJSON_AddStringToObject(rel, "rel_type", "m.thread") == NULL ||
	    cJSON_AddStringToObject(rel, "event_id", root_event_id) == NULL ||
	    cJSON_AddTrueToObject(rel, "is_falling_back") == NULL)
		goto fail;
	/* Clients without thread support show this as a reply to the latest
	 * message of the thread. */
	ref = event_ref(last_event_id ? last_event_id : root_event_id);
	if (ref == NULL || !cJSON_AddItemToObject(rel, "m.in_reply_to", ref)) {
		cJSON_Delete(ref);
		goto fail;
	}
	if (set_member(content, "m.relates_to", rel) != 0)
		return NULL;
	return content;
fail:
	cJSON_Delete(rel);
	return NULL;
}

cJSON *mx_content_reaction(const char *event_id, const char *key)
{
	cJSON *c = NULL, *rel = NULL;

	if (event_id == NULL || key == NULL)
		return NULL;
	c = cJSON_CreateObject();
	rel = c ? cJSON_AddObjectToObject(c, "m.relates_to") : NULL;
	if (rel == NULL ||
	    cJSON_AddStringToObject(rel, "rel_type", "m.annotation") == NULL ||
	    cJSON_AddStringToObject(rel, "event_id", event_id) == NULL ||
	    cJSON_AddStringToObject(rel, "key", key) == NULL) {
		cJSON_Delete(c);
		return NULL;
	}
	return c;
}

void mx_client_parts(mx_client *c, const char **base_url, const char **token, mx_transport **transport)
{
	*base_url = c->base_url;
	*token = c->token;
	*transport = c->transport;
}
