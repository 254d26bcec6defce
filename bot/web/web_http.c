/* web_http.c: see web_http.h. Nothing personal is logged: not the
 * answers, not the addresses, not the status links. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <microhttpd.h>
#include "web_csrf.h"
#include "web_flyer.h"
#include "web_http.h"
#include "web_text.h"

#define RATE_SLOTS 1024
#define ADDR_MAX 64
#define STATUS_ID_LEN 64       /* hex of 32 random bytes: the status link's secret */

struct web_server {
	web_server_opts o;
	struct MHD_Daemon *mhd;
};

/* ---- rate limits per address ---- */

typedef struct rate_slot {
	char addr[ADDR_MAX];
	long long get_start, post_start;
	int gets, posts;
} rate_slot;

static rate_slot rates[RATE_SLOTS];

/* 0 when addr may make this request now, -1 when it is over its limit. */
static int rate_ok(const web_server_opts *o, const char *addr, int is_post, long long now)
{
	rate_slot *s = NULL, *oldest = &rates[0];
	size_t i;

	for (i = 0; i < RATE_SLOTS && !s; i++) {
		if (strcmp(rates[i].addr, addr) == 0)
			s = &rates[i];
		else if (rates[i].get_start < oldest->get_start)
			oldest = &rates[i];
	}
	if (!s) {
		s = oldest;
		memset(s, 0, sizeof *s);
		snprintf(s->addr, sizeof s->addr, "%s", addr);
	}
	if (now - s->get_start >= 60) {
		s->get_start = now;
		s->gets = 0;
	}
	if (now - s->post_start >= 600) {
		s->post_start = now;
		s->posts = 0;
	}
	if (++s->gets > o->gets_per_min)
		return -1;
	return is_post && ++s->posts > o->posts_per_10min ? -1 : 0;
}

/* The client's address: the peer, or behind the operator's proxy the
 * last address of X-Forwarded-For (the one that proxy saw). */
static void client_addr(const web_server_opts *o, struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const char *xff = o->trust_proxy ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") : NULL;

	snprintf(out, size, "?");
	if (xff) {
		const char *last = strrchr(xff, ',');

		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		snprintf(out, size, "%.*s", (int)strcspn(last, " "), last);
		return;
	}
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr, out,
			  (socklen_t)size);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
			  (socklen_t)size);
}

void web_rate_key(const char *addr, char *out, size_t size)
{
	struct in6_addr a;
	char text[INET6_ADDRSTRLEN];

	snprintf(out, size, "%s", addr);
	if (inet_pton(AF_INET6, addr, &a) != 1 || IN6_IS_ADDR_V4MAPPED(&a))
		return;
	memset(a.s6_addr + 8, 0, 8);
	if (inet_ntop(AF_INET6, &a, text, sizeof text))
		snprintf(out, size, "%s/64", text);
}

/* ---- responses ---- */

static enum MHD_Result send_bytes(struct MHD_Connection *c, unsigned status, const char *type, const void *data,
				  size_t len, const char *cookie, const char *location, int cacheable)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ok;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
				"frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	/* The status link is a secret: it never goes along to another site. */
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", cacheable ? "public, max-age=3600" : "no-store");
	if (cookie)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	if (location)
		MHD_add_response_header(r, "Location", location);
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_page(struct MHD_Connection *c, unsigned status, web_buf *b, const char *cookie)
{
	enum MHD_Result ok;

	if (b->failed) {
		static const char oops[] = "<!doctype html><title>500</title><p>Er ging iets mis. Something went wrong.";

		ok = send_bytes(c, 500, "text/html; charset=utf-8", oops, sizeof oops - 1, NULL, NULL, 0);
	} else {
		ok = send_bytes(c, status, "text/html; charset=utf-8", b->data ? b->data : "", b->len, cookie, NULL, 0);
	}
	web_buf_free(b);
	return ok;
}

static enum MHD_Result send_message(struct MHD_Connection *c, unsigned status, pol_lang lang, web_text_id id)
{
	web_buf b = { NULL, 0, 0, 0 };

	web_page_message(&b, lang, id);
	return send_page(c, status, &b, NULL);
}

static enum MHD_Result redirect(struct MHD_Connection *c, const char *location)
{
	return send_bytes(c, 303, "text/plain; charset=utf-8", "", 0, NULL, location, 0);
}

/* ---- one request ---- */

typedef struct request {
	char *body;
	size_t len;
	int too_large, counted;
} request;

typedef struct call {
	web_server *s;
	struct MHD_Connection *c;
	const char *url, *method;
	request *rq;
	pol_lang lang;
	char sid[WEB_SID_LEN + 1];
	char cookie[160];       /* Set-Cookie for a new session, or "" */
	long long now;
} call;

static pol_lang lang_of(const char *v)
{
	return v && strcmp(v, "en") == 0 ? POL_LANG_EN : POL_LANG_NL;
}

/* The browser's session (cookie), or a new one to set. */
static int session(call *k)
{
	const char *v = MHD_lookup_connection_value(k->c, MHD_COOKIE_KIND, "bb_sid");

	if (v && web_is_hex(v, WEB_SID_LEN)) {
		snprintf(k->sid, sizeof k->sid, "%s", v);
		return 0;
	}
	if (web_random_hex(k->sid, WEB_SID_LEN / 2) != 0)
		return -1;
	snprintf(k->cookie, sizeof k->cookie, "bb_sid=%s; Path=/; HttpOnly; SameSite=Strict%s", k->sid,
		 k->s->o.secure_cookies ? "; Secure" : "");
	return 0;
}

/* ---- the form's fields ---- */

enum { F_NAAM, F_ADRES, F_BUURT, F_TEL, F_VOLWASSEN, F_AKKOORD, F_TOKEN, F_LANG, F_N };
static const char *const field_names[F_N] = { "naam", "adres", "buurt", "telefoon", "volwassen", "akkoord",
					      "token", "lang" };

typedef struct fields {
	char *v[F_N];
	int dup;
} fields;

static int take_field(void *ctx, const char *name, const char *value)
{
	fields *f = ctx;
	int i;

	for (i = 0; i < F_N; i++)
		if (strcmp(name, field_names[i]) == 0) {
			/* The same field twice is no form of ours. */
			if (f->v[i])
				f->dup = 1;
			else if (!(f->v[i] = strdup(value)))
				return -1;
			return f->dup;
		}
	return 0;
}

static void fields_free(fields *f)
{
	int i;

	for (i = 0; i < F_N; i++)
		free(f->v[i]);
}

/* Checks the form token of purpose; sends the refusal itself. Returns 0
 * when the request may go on, else the queued answer's result + 1. */
static int form_token_ok(call *k, const fields *f, const char *purpose, enum MHD_Result *sent)
{
	char nonce[33];
	int used;

	if (k->cookie[0] || web_csrf_check(f->v[F_TOKEN], k->sid, purpose, k->now, nonce) != 0) {
		*sent = send_message(k->c, 403, k->lang, W_ERR_FORM_OLD);
		return -1;
	}
	used = web_db_use_nonce(k->s->o.db, nonce, k->now);
	if (used != 0) {
		*sent = send_message(k->c, used > 0 ? 409 : 500, k->lang, used > 0 ? W_ERR_REPLAY : W_ERR_SERVER);
		return -1;
	}
	return 0;
}

/* ---- pages ---- */

static enum MHD_Result wijk_page(call *k, const pol_wijk *w, const web_form_values *vals, const pol_web_errors *err,
				 unsigned status)
{
	web_buf b = { NULL, 0, 0, 0 };
	char purpose[128], token[WEB_CSRF_TOKEN_MAX + 1];

	snprintf(purpose, sizeof purpose, "wijk:%s", w->id);
	if (web_csrf_make(k->sid, purpose, k->now, token, sizeof token) != 0)
		return send_message(k->c, 500, k->lang, W_ERR_SERVER);
	web_page_wijk(&b, &k->s->o.site, w, k->lang, vals, err, token);
	return send_page(k->c, status, &b, k->cookie[0] ? k->cookie : NULL);
}

/* A complete form becomes a row in web.db and its status link. */
static enum MHD_Result file_application(call *k, const pol_wijk *w, const pol_intake *it)
{
	char json[2048], secret[STATUS_ID_LEN + 1], hash[65], location[160];

	if (pol_intake_to_json(it, json, sizeof json) != 0 || web_random_hex(secret, STATUS_ID_LEN / 2) != 0)
		return send_message(k->c, 500, k->lang, W_ERR_SERVER);
	web_sha256_hex(secret, hash);
	if (web_db_add(k->s->o.db, hash, w->id, k->lang == POL_LANG_EN ? "en" : "nl", json, k->now) != 0) {
		fprintf(stderr, "buurtbot-web: could not store an application\n");
		return send_message(k->c, 500, k->lang, W_ERR_SERVER);
	}
	fprintf(stderr, "buurtbot-web: an application for wijk %s was received\n", w->id);
	snprintf(location, sizeof location, "/status/%s?lang=%s", secret, k->lang == POL_LANG_EN ? "en" : "nl");
	return redirect(k->c, location);
}

static enum MHD_Result submit(call *k, const pol_wijk *w)
{
	fields f;
	web_form_values vals;
	pol_web_form form;
	pol_web_errors *err = NULL;
	pol_intake it;
	enum MHD_Result sent = MHD_NO;
	char purpose[128];

	memset(&f, 0, sizeof f);
	if (k->rq->too_large)
		return send_message(k->c, 413, k->lang, W_ERR_TOO_LARGE);
	if (pol_web_form_parse(k->rq->body ? k->rq->body : "", k->rq->len, take_field, &f) != 0 || f.dup) {
		fields_free(&f);
		return send_message(k->c, 400, k->lang, W_ERR_FORM_OLD);
	}
	k->lang = lang_of(f.v[F_LANG]);
	snprintf(purpose, sizeof purpose, "wijk:%s", w->id);
	if (form_token_ok(k, &f, purpose, &sent) != 0)
		goto cleanup;
	form = (pol_web_form){ f.v[F_NAAM], f.v[F_ADRES], f.v[F_BUURT], f.v[F_TEL],
			       f.v[F_VOLWASSEN] != NULL, f.v[F_AKKOORD] != NULL };
	err = calloc(1, sizeof *err);
	if (!err) {
		sent = send_message(k->c, 500, k->lang, W_ERR_SERVER);
	} else if (pol_web_form_check(k->s->o.site.structure, w, &form, k->lang, &it, err) != 0) {
		vals = (web_form_values){ form.name, form.address, form.buurt, form.phone, form.adult, form.akkoord };
		sent = wijk_page(k, w, &vals, err, 422);
	} else {
		sent = file_application(k, w, &it);
	}
cleanup:
	free(err);
	fields_free(&f);
	return sent;
}

static enum MHD_Result status_page(call *k, const char *id)
{
	web_buf b = { NULL, 0, 0, 0 };
	web_status st;
	char hash[65], purpose[96], token[WEB_CSRF_TOKEN_MAX + 1];
	int rc;

	web_sha256_hex(id, hash);
	rc = web_db_status(k->s->o.db, hash, &st);
	if (rc != 0)
		return send_message(k->c, rc > 0 ? 404 : 500, k->lang, rc > 0 ? W_ERR_NOT_FOUND : W_ERR_SERVER);
	snprintf(purpose, sizeof purpose, "status:%s", hash);
	if (web_csrf_make(k->sid, purpose, k->now, token, sizeof token) != 0)
		return send_message(k->c, 500, k->lang, W_ERR_SERVER);
	web_page_status(&b, &k->s->o.site, &st, id, k->lang, token);
	return send_page(k->c, 200, &b, k->cookie[0] ? k->cookie : NULL);
}

static enum MHD_Result delete_application(call *k, const char *id)
{
	fields f;
	web_status st;
	enum MHD_Result sent = MHD_NO;
	char hash[65], purpose[96], location[160];

	memset(&f, 0, sizeof f);
	web_sha256_hex(id, hash);
	if (k->rq->too_large || pol_web_form_parse(k->rq->body ? k->rq->body : "", k->rq->len, take_field, &f) != 0 ||
	    f.dup) {
		fields_free(&f);
		return send_message(k->c, 400, k->lang, W_ERR_FORM_OLD);
	}
	k->lang = lang_of(f.v[F_LANG]);
	snprintf(purpose, sizeof purpose, "status:%s", hash);
	/* Once linked the data lives with the bot; !vergeetmij there deletes it. */
	if (web_db_status(k->s->o.db, hash, &st) != 0)
		sent = send_message(k->c, 404, k->lang, W_ERR_NOT_FOUND);
	else if (strcmp(st.state, "linked") == 0)
		sent = send_message(k->c, 409, k->lang, W_ERR_LINKED);
	else if (form_token_ok(k, &f, purpose, &sent) == 0) {
		if (web_db_delete(k->s->o.db, hash, k->now) != 0) {
			sent = send_message(k->c, 500, k->lang, W_ERR_SERVER);
		} else {
			fprintf(stderr, "buurtbot-web: an applicant deleted their application\n");
			snprintf(location, sizeof location, "/status/%s?lang=%s", id, k->lang == POL_LANG_EN ? "en" : "nl");
			sent = redirect(k->c, location);
		}
	}
	fields_free(&f);
	return sent;
}

static enum MHD_Result flyer(call *k, const pol_wijk *w, const char *what)
{
	unsigned char *data = NULL;
	size_t len = 0;
	web_flyer_kind kind;
	enum MHD_Result ok;

	if (strcmp(what, "flyer.pdf") == 0)
		kind = WEB_FLYER_A5;
	else if (strcmp(what, "flyer-a4.pdf") == 0)
		kind = WEB_FLYER_A4;
	else if (strcmp(what, "flyer.png") == 0)
		kind = WEB_FLYER_PNG;
	else
		return send_message(k->c, 404, k->lang, W_ERR_NOT_FOUND);
	if (web_flyer_render(&k->s->o.site, w, k->lang, kind, &data, &len) != 0)
		return send_message(k->c, 500, k->lang, W_ERR_SERVER);
	ok = send_bytes(k->c, 200, kind == WEB_FLYER_PNG ? "image/png" : "application/pdf", data, len, NULL, NULL, 1);
	free(data);
	return ok;
}

/* "/wijk/<id>[/<rest>]": the wijk, rest into rest ("" when none). */
static const pol_wijk *wijk_of(call *k, const char *path, char *rest, size_t size)
{
	char id[POL_STRUCT_MAX_ID + 1];
	size_t n = strspn(path, "abcdefghijklmnopqrstuvwxyz0123456789-");

	rest[0] = '\0';
	if (n == 0 || n > POL_STRUCT_MAX_ID || (path[n] && path[n] != '/'))
		return NULL;
	memcpy(id, path, n);
	id[n] = '\0';
	if (path[n] == '/')
		snprintf(rest, size, "%s", path + n + 1);
	return pol_structure_find_wijk(k->s->o.site.structure, id);
}

static enum MHD_Result route_wijk(call *k, int is_post)
{
	char rest[64];
	const pol_wijk *w = strlen(k->url) < 200 ? wijk_of(k, k->url + 6, rest, sizeof rest) : NULL;

	if (!w)
		return send_message(k->c, 404, k->lang, W_ERR_NOT_FOUND);
	if (rest[0])
		return is_post ? send_message(k->c, 405, k->lang, W_ERR_METHOD) : flyer(k, w, rest);
	return is_post ? submit(k, w) : wijk_page(k, w, NULL, NULL, 200);
}

static enum MHD_Result route_status(call *k, int is_post)
{
	char id[STATUS_ID_LEN + 1];
	const char *p = k->url + 8;

	if (strlen(p) < STATUS_ID_LEN)
		return send_message(k->c, 404, k->lang, W_ERR_NOT_FOUND);
	memcpy(id, p, STATUS_ID_LEN);
	id[STATUS_ID_LEN] = '\0';
	p += STATUS_ID_LEN;
	if (!web_is_hex(id, STATUS_ID_LEN) || (*p && strcmp(p, "/wissen") != 0))
		return send_message(k->c, 404, k->lang, W_ERR_NOT_FOUND);
	if (is_post != (*p != '\0'))
		return send_message(k->c, 405, k->lang, W_ERR_METHOD);
	return is_post ? delete_application(k, id) : status_page(k, id);
}

static enum MHD_Result route(call *k)
{
	int is_post = strcmp(k->method, "POST") == 0;
	web_buf b = { NULL, 0, 0, 0 };

	if (!is_post && strcmp(k->method, "GET") != 0 && strcmp(k->method, "HEAD") != 0)
		return send_message(k->c, 405, k->lang, W_ERR_METHOD);
	if (strcmp(k->url, "/health") == 0)
		return send_bytes(k->c, 200, "text/plain; charset=utf-8", "OK", 2, NULL, NULL, 0);
	if (strcmp(k->url, "/style.css") == 0)
		return send_bytes(k->c, 200, "text/css; charset=utf-8", web_stylesheet, strlen(web_stylesheet), NULL, NULL,
				  1);
	if (strncmp(k->url, "/wijk/", 6) == 0)
		return route_wijk(k, is_post);
	if (strncmp(k->url, "/status/", 8) == 0)
		return route_status(k, is_post);
	if (strcmp(k->url, "/") == 0 && !is_post) {
		web_page_gemeente(&b, &k->s->o.site, k->lang);
		return send_page(k->c, 200, &b, NULL);
	}
	return send_message(k->c, 404, k->lang, W_ERR_NOT_FOUND);
}

/* Collects a POST body up to the cap; past it the rest is read and dropped. */
static void collect(request *rq, const char *data, size_t n)
{
	if (rq->too_large || rq->len + n > POL_WEB_BODY_MAX) {
		rq->too_large = 1;
		return;
	}
	if (!rq->body && !(rq->body = malloc(POL_WEB_BODY_MAX + 1))) {
		rq->too_large = 1;
		return;
	}
	memcpy(rq->body + rq->len, data, n);
	rq->len += n;
	rq->body[rq->len] = '\0';
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			       const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	web_server *s = cls;
	request *rq = *con_cls;
	call k;
	char peer[ADDR_MAX], addr[ADDR_MAX];

	(void)version;
	if (!rq) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

		if (!(rq = calloc(1, sizeof *rq)))
			return MHD_NO;
		*con_cls = rq;
		/* A body announced past the cap is refused before it is read. */
		if (cl && strtoull(cl, NULL, 10) > POL_WEB_BODY_MAX)
			return send_message(c, 413, lang_of(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang")),
					    W_ERR_TOO_LARGE);
		return MHD_YES;
	}
	if (*upload_data_size) {
		collect(rq, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	memset(&k, 0, sizeof k);
	k.s = s;
	k.c = c;
	k.url = url;
	k.method = method;
	k.rq = rq;
	k.now = (long long)time(NULL);
	k.lang = lang_of(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang"));
	client_addr(&s->o, c, peer, sizeof peer);
	web_rate_key(peer, addr, sizeof addr);
	if (rate_ok(&s->o, addr, strcmp(method, "POST") == 0, k.now) != 0)
		return send_message(c, 429, k.lang, W_ERR_RATE);
	if (session(&k) != 0)
		return send_message(c, 500, k.lang, W_ERR_SERVER);
	return route(&k);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why)
{
	request *rq = *con_cls;

	(void)cls;
	(void)c;
	(void)why;
	if (rq) {
		if (rq->body)
			memset(rq->body, 0, rq->len);   /* the answers leave no trace in freed memory */
		free(rq->body);
		free(rq);
	}
	*con_cls = NULL;
}

int web_server_start(web_server **out, const web_server_opts *opts)
{
	web_server *s = calloc(1, sizeof *s);
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

	*out = NULL;
	if (!s)
		return -1;
	s->o = *opts;
	memset(&a4, 0, sizeof a4);
	memset(&a6, 0, sizeof a6);
	if (inet_pton(AF_INET, opts->listen_addr, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons(opts->port);
		sa = (const struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, opts->listen_addr, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons(opts->port);
		sa = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "buurtbot-web: --listen: %s is no IP address\n", opts->listen_addr);
		free(s);
		return -1;
	}
	s->mhd = MHD_start_daemon(flags, opts->port, NULL, NULL, handler, s, MHD_OPTION_SOCK_ADDR, sa,
				  MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_CONNECTION_LIMIT, 200U,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->trust_proxy ? 0U : 20U, MHD_OPTION_CONNECTION_TIMEOUT, 20U,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_END);
	if (!s->mhd) {
		fprintf(stderr, "buurtbot-web: cannot listen on %s port %u\n", opts->listen_addr, opts->port);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void web_server_stop(web_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->mhd);
	free(s);
}
