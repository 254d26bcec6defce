/* test_client.c: mx_client over a scripted fake transport: retries and
 * their waits, errors kept for the caller, the token's whereabouts,
 * cancelling, URL and body shapes of endpoints, and content builders. */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "matrix/mx_async.h"
#include "matrix/mx_client.h"

#define MAX_CALLS 16
#define TOKEN "syt_c2VjcmV0_TOKEN_must_not_leak"

typedef struct scripted {
	int transport_status;   /* MX_OK: answer with status/body below */
	long status;
	const char *body;
	long retry_after_ms;
} scripted;

typedef struct fake {
	scripted script[MAX_CALLS];
	int n_script;
	int calls;
	char method[MAX_CALLS][16];
	char url[MAX_CALLS][1024];
	char body[MAX_CALLS][4096];
	char token[MAX_CALLS][128];
	long timeout_ms[MAX_CALLS];
	int destroyed;
} fake;

static fake F;

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int fake_perform(void *ctx, const mx_http_request *req,
			mx_http_response *out, mx_error *err)
{
	fake *f = ctx;
	int i = f->calls++;
	scripted s;

	cr_assert_lt(i, MAX_CALLS, "too many calls");
	copy(f->method[i], sizeof(f->method[i]), req->method);
	copy(f->url[i], sizeof(f->url[i]), req->url);
	copy(f->body[i], sizeof(f->body[i]), req->body);
	copy(f->token[i], sizeof(f->token[i]), req->access_token);
	cr_assert_eq(req->body ? strlen(req->body) : 0, req->body_len);
	f->timeout_ms[i] = req->timeout_ms;
	cr_assert_lt(i, f->n_script, "call %d not scripted (%s %s)", i, req->method, req->url);
	s = f->script[i];
	if (s.transport_status != MX_OK)
		return mx_error_set(err, s.transport_status, "fake transport failure");
	out->status = s.status;
	out->body = strdup(s.body ? s.body : "");
	out->body_len = strlen(out->body);
	out->retry_after_ms = s.retry_after_ms;
	return MX_OK;
}

static void fake_destroy(void *ctx)
{
	((fake *)ctx)->destroyed = 1;
}

static void script(long status, const char *body, long retry_after_ms)
{
	scripted s = { MX_OK, status, body, retry_after_ms };

	F.script[F.n_script++] = s;
}

static void script_fail(int transport_status)
{
	scripted s = { transport_status, 0, NULL, -1 };

	F.script[F.n_script++] = s;
}

static volatile sig_atomic_t stop_flag;

/* A client with a fast retry policy: base 2 ms, cap 50 ms. */
static mx_client *client_with(int max_attempts, long base, long cap)
{
	mx_client_options o;
	mx_transport *t = malloc(sizeof(*t));
	mx_client *c = NULL;
	mx_error err;

	memset(&F, 0, sizeof(F));
	stop_flag = 0;
	cr_assert_not_null(t);
	t->perform = fake_perform;
	t->destroy = fake_destroy;
	t->ctx = &F;
	memset(&o, 0, sizeof(o));
	o.homeserver_url = "http://hs.example:8008/";
	o.request_timeout_ms = 7000;
	o.retry.max_attempts = max_attempts;
	o.retry.base_delay_ms = base;
	o.retry.max_delay_ms = cap;
	o.cancel = &stop_flag;
	o.transport = t;
	cr_assert_eq(mx_client_new(&c, &o, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_client_set_token(c, TOKEN), MX_OK);
	return c;
}

static mx_client *client(void)
{
	return client_with(0, 2, 50);
}

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void assert_no_token(const mx_client *c)
{
	const mx_error *e = mx_client_last_error(c);

	cr_assert_null(strstr(e->message, TOKEN), "token in message: %s", e->message);
	cr_assert_null(strstr(e->message, "c2VjcmV0"), "token in message: %s", e->message);
}

Test(client, rate_limited_then_ok_waits_the_asked_delay)
{
	mx_client *c = client_with(0, 2, 10000);
	cJSON *content = mx_content_text("m.text", "hallo", NULL);
	char *ev = NULL;
	long t0;

	script(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":5000}", 40);
	script(200, "{\"event_id\":\"$ev1\"}", -1);
	t0 = mono_ms();
	cr_assert_eq(mx_send(c, "!r:hs", "m.room.message", "t1", content, &ev), MX_OK);
	/* the header (40 ms) won over the body (5000 ms), and we slept it */
	cr_assert_geq(mono_ms() - t0, 40);
	cr_assert_lt(mono_ms() - t0, 4000);
	cr_assert_eq(F.calls, 2);
	cr_assert_str_eq(ev, "$ev1");
	/* the retry used the same transaction id */
	cr_assert_str_eq(F.url[0], F.url[1]);
	free(ev);
	cJSON_Delete(content);
	mx_client_free(c);
	cr_assert_eq(F.destroyed, 1);
}

Test(client, rate_limit_wait_is_capped)
{
	mx_client *c = client_with(0, 2, 30);
	long t0 = mono_ms();

	script(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}", 600000);
	script(200, "{}", -1);
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/x", NULL, 0, NULL), MX_OK);
	cr_assert_lt(mono_ms() - t0, 4000);
	cr_assert_eq(F.calls, 2);
	mx_client_free(c);
}

Test(client, server_errors_retried_until_success)
{
	mx_client *c = client();
	cJSON *out = NULL;

	script(500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Internal server error\"}", -1);
	script(502, "<html>Bad Gateway</html>", -1);
	script_fail(MX_ERR_NETWORK);
	script(200, "{\"ok\":true}", -1);
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/x", NULL, 0, &out), MX_OK);
	cr_assert_eq(F.calls, 4);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(out, "ok")));
	cJSON_Delete(out);
	mx_client_free(c);
}

Test(client, max_attempts_gives_up_with_last_error)
{
	mx_client *c = client_with(3, 1, 5);
	int i;

	for (i = 0; i < 5; i++)
		script(503, "", -1);
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/x", NULL, 0, NULL), MX_ERR_SERVER);
	cr_assert_eq(F.calls, 3);
	cr_assert_eq(mx_client_last_error(c)->status, MX_ERR_SERVER);
	cr_assert_eq(mx_client_last_error(c)->http_status, 503);
	mx_client_free(c);
}

Test(client, forbidden_fails_at_once_with_detail)
{
	mx_client *c = client();
	const mx_error *e;

	script(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"You are not invited to this room.\"}", -1);
	cr_assert_eq(mx_join(c, "!r:hs", NULL), MX_ERR_REQUEST);
	cr_assert_eq(F.calls, 1);
	e = mx_client_last_error(c);
	cr_assert_eq(e->status, MX_ERR_REQUEST);
	cr_assert_eq(e->http_status, 403);
	cr_assert_str_eq(e->errcode, "M_FORBIDDEN");
	cr_assert_str_eq(e->message, "You are not invited to this room.");
	assert_no_token(c);
	mx_client_free(c);
}

Test(client, unknown_token_is_auth_without_retry)
{
	mx_client *c = client();
	char *user = NULL;

	script(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":false}", -1);
	script(200, "{\"user_id\":\"@bot:hs\"}", -1);
	cr_assert_eq(mx_whoami(c, &user, NULL), MX_ERR_AUTH);
	cr_assert_null(user);
	cr_assert_eq(F.calls, 1);
	cr_assert_str_eq(mx_client_last_error(c)->errcode, "M_UNKNOWN_TOKEN");
	mx_client_free(c);
}

Test(client, token_only_in_bearer_field_never_in_errors)
{
	mx_client *c = client_with(4, 1, 5);
	size_t i;

	script(200, "{\"user_id\":\"@bot:hs\",\"device_id\":\"DEV\"}", -1);
	script(404, "{\"errcode\":\"M_NOT_FOUND\"}", -1);
	script_fail(MX_ERR_TIMEOUT);
	script(500, "", -1);
	script_fail(MX_ERR_NETWORK);
	script(502, "", -1);
	{
		char *u = NULL, *d = NULL;
		cr_assert_eq(mx_whoami(c, &u, &d), MX_OK);
		cr_assert_str_eq(u, "@bot:hs");
		cr_assert_str_eq(d, "DEV");
		free(u);
		free(d);
	}
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/nope", NULL, 0, NULL), MX_ERR_REQUEST);
	assert_no_token(c);
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/flaky", NULL, 0, NULL), MX_ERR_SERVER);
	assert_no_token(c);
	for (i = 0; i < (size_t)F.calls; i++) {
		cr_assert_str_eq(F.token[i], TOKEN);
		cr_assert_null(strstr(F.url[i], "c2VjcmV0"), "token in URL %s", F.url[i]);
		cr_assert_null(strstr(F.body[i], "c2VjcmV0"));
	}
	mx_client_free(c);
}

static void raise_flag(int sig)
{
	(void)sig;
	stop_flag = 1;
}

Test(client, cancel_during_retry_wait, .timeout = 10)
{
	mx_client *c = client_with(0, 2, 600000);
	struct itimerval it;
	struct sigaction sa;
	long t0;

	script(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":600000}", -1);
	script(200, "{}", -1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = raise_flag;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 50 * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = mono_ms();
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/x", NULL, 0, NULL), MX_ERR_CANCELLED);
	cr_assert_lt(mono_ms() - t0, 5000); /* not the 10 minutes asked */
	cr_assert_eq(F.calls, 1);
	cr_assert_eq(mx_client_last_error(c)->status, MX_ERR_CANCELLED);
	/* raised before a call: nothing goes out */
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/x", NULL, 0, NULL), MX_ERR_CANCELLED);
	cr_assert_eq(F.calls, 1);
	mx_client_free(c);
}

Test(client, send_puts_to_escaped_path_with_txn)
{
	mx_client *c = client();
	cJSON *content = mx_content_text("m.text", "Melding: verdachte auto", NULL);
	cJSON *sent = NULL;
	char *ev = NULL;

	script(200, "{\"event_id\":\"$e:hs\"}", -1);
	cr_assert_eq(mx_send(c, "!abc:localhost", "m.room.message", "out/42 x", content, &ev), MX_OK);
	cr_assert_str_eq(F.method[0], "PUT");
	cr_assert_str_eq(F.url[0], "http://hs.example:8008/_matrix/client/v3/rooms/"
			 "%21abc%3Alocalhost/send/m.room.message/out%2F42%20x");
	cr_assert_eq(F.timeout_ms[0], 7000);
	sent = cJSON_Parse(F.body[0]);
	cr_assert(cJSON_Compare(sent, content, 1), "%s", F.body[0]);
	cr_assert_str_eq(ev, "$e:hs");
	free(ev);
	cJSON_Delete(sent);
	cJSON_Delete(content);
	mx_client_free(c);
}

Test(client, escape)
{
	char *a = mx_escape("!abc:localhost");
	char *b = mx_escape("$ev/x+y");
	char *u = mx_escape("A-z_0.9~ é%");
	char *e = mx_escape("");

	cr_assert_str_eq(a, "%21abc%3Alocalhost");
	cr_assert_str_eq(b, "%24ev%2Fx%2By");
	cr_assert_str_eq(u, "A-z_0.9~%20%C3%A9%25");
	cr_assert_str_eq(e, "");
	cr_assert_null(mx_escape(NULL));
	free(a);
	free(b);
	free(u);
	free(e);
}

Test(client, sync_query_and_long_poll_timeout)
{
	mx_client *c = client();
	cJSON *out = NULL;

	script(200, "{\"next_batch\":\"s2\"}", -1);
	cr_assert_eq(mx_sync(c, "s1_2 3", "{\"room\":{}}", 30000, &out), MX_OK);
	cr_assert_str_eq(F.method[0], "GET");
	cr_assert_str_eq(F.url[0], "http://hs.example:8008/_matrix/client/v3/sync"
			 "?timeout=30000&since=s1_2%203&filter=%7B%22room%22%3A%7B%7D%7D");
	cr_assert_eq(F.timeout_ms[0], 30000 + 7000);
	cr_assert_str_eq(cJSON_GetObjectItem(out, "next_batch")->valuestring, "s2");
	cJSON_Delete(out);

	script(200, "{\"next_batch\":\"s1\"}", -1);
	cr_assert_eq(mx_sync(c, NULL, NULL, 0, &out), MX_OK);
	cr_assert_str_eq(F.url[1], "http://hs.example:8008/_matrix/client/v3/sync?timeout=0");
	cJSON_Delete(out);
	mx_client_free(c);
}

Test(client, bodies_empty_and_not_object)
{
	mx_client *c = client();
	cJSON *out = NULL;

	script(200, "", -1);
	script(200, "[1,2]", -1);
	script(200, "{\"trunc", -1);
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/a", NULL, 0, &out), MX_OK);
	cr_assert(cJSON_IsObject(out));
	cr_assert_null(out->child);
	cJSON_Delete(out);
	out = NULL;
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/a", NULL, 0, &out), MX_ERR_PARSE);
	cr_assert_null(out);
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/a", NULL, 0, &out), MX_ERR_PARSE);
	cr_assert_eq(F.calls, 3); /* parse errors are not retried */
	cr_assert_eq(mx_client_last_error(c)->status, MX_ERR_PARSE);
	mx_client_free(c);
}

Test(client, login_body_and_token_switch)
{
	mx_client *c = client();
	mx_login_result r;
	cJSON *sent = NULL, *want = NULL;
	char *u = NULL;

	memset(&r, 0, sizeof(r));
	mx_client_set_token(c, NULL);
	script(200, "{\"user_id\":\"@bot:hs\",\"access_token\":\"syt_new\",\"device_id\":\"BUURTBOT\"}", -1);
	script(200, "{\"user_id\":\"@bot:hs\"}", -1);
	cr_assert_eq(mx_login_password(c, "bot", "pw", "BUURTBOT", "buurtbot", &r), MX_OK);
	cr_assert_str_eq(F.method[0], "POST");
	cr_assert_str_eq(F.url[0], "http://hs.example:8008/_matrix/client/v3/login");
	cr_assert_str_eq(F.token[0], "");
	sent = cJSON_Parse(F.body[0]);
	want = cJSON_Parse("{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\","
			   "\"user\":\"bot\"},\"password\":\"pw\",\"device_id\":\"BUURTBOT\","
			   "\"initial_device_display_name\":\"buurtbot\"}");
	cr_assert(cJSON_Compare(sent, want, 1), "%s", F.body[0]);
	cr_assert_str_eq(r.user_id, "@bot:hs");
	cr_assert_str_eq(r.access_token, "syt_new");
	cr_assert_str_eq(r.device_id, "BUURTBOT");
	cr_assert_eq(mx_whoami(c, &u, NULL), MX_OK);
	cr_assert_str_eq(F.token[1], "syt_new");
	free(u);
	mx_login_result_clear(&r);
	cr_assert_null(r.access_token);
	cJSON_Delete(sent);
	cJSON_Delete(want);
	mx_client_free(c);
}

Test(client, login_reply_missing_token_is_parse)
{
	mx_client *c = client();
	mx_login_result r;

	memset(&r, 0, sizeof(r));
	script(200, "{\"user_id\":\"@bot:hs\",\"device_id\":\"D\"}", -1);
	cr_assert_eq(mx_login_password(c, "bot", "pw", NULL, NULL, &r), MX_ERR_PARSE);
	cr_assert_null(r.user_id);
	cr_assert_null(strstr(F.body[0], "device_id"));
	mx_client_free(c);
}

static void assert_body(int call, const char *json)
{
	cJSON *sent = cJSON_Parse(F.body[call]);
	cJSON *want = cJSON_Parse(json);

	cr_assert_not_null(want);
	cr_assert(cJSON_Compare(sent, want, 1), "call %d sent %s", call, F.body[call]);
	cJSON_Delete(sent);
	cJSON_Delete(want);
}

Test(client, room_endpoints_paths_and_bodies)
{
	mx_client *c = client();
	const char *const invite[] = { "@a:hs", "@b:hs", NULL };
	mx_create_room_opts o;
	cJSON *cc = cJSON_Parse("{\"type\":\"m.space\"}");
	cJSON *pl = cJSON_Parse("{\"users\":{\"@bot:hs\":100}}");
	cJSON *joined = NULL, *st = NULL, *name = cJSON_Parse("{\"name\":\"Wijk Noord\"}");
	char *s = NULL;
	const char *base = "http://hs.example:8008/_matrix/client/v3";
	char want[512];
	int i = 0;

	memset(&o, 0, sizeof(o));
	o.name = "Wijk Noord";
	o.preset = "private_chat";
	o.invite = invite;
	o.creation_content = cc;
	o.power_level_content_override = pl;
	o.is_direct = 1;
	script(200, "{\"room_id\":\"!new:hs\"}", -1);
	cr_assert_eq(mx_create_room(c, &o, &s), MX_OK);
	cr_assert_str_eq(s, "!new:hs");
	free(s);
	assert_body(i, "{\"name\":\"Wijk Noord\",\"preset\":\"private_chat\",\"invite\":[\"@a:hs\",\"@b:hs\"],"
		    "\"creation_content\":{\"type\":\"m.space\"},\"is_direct\":true,"
		    "\"power_level_content_override\":{\"users\":{\"@bot:hs\":100}}}");
	snprintf(want, sizeof(want), "%s/createRoom", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{\"event_id\":\"$s\"}", -1);
	cr_assert_eq(mx_state_put(c, "!r:hs", "m.room.name", "", name, &s), MX_OK);
	free(s);
	cr_assert_str_eq(F.method[i], "PUT");
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/state/m.room.name/", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{\"name\":\"Wijk Noord\"}", -1);
	cr_assert_eq(mx_state_get(c, "!r:hs", "m.space.child", "!c:hs", &st), MX_OK);
	cJSON_Delete(st);
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/state/m.space.child/%%21c%%3Ahs", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{}", -1);
	cr_assert_eq(mx_invite(c, "!r:hs", "@a:hs", NULL), MX_OK);
	assert_body(i, "{\"user_id\":\"@a:hs\"}");
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/invite", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{}", -1);
	cr_assert_eq(mx_kick(c, "!r:hs", "@a:hs", "weg"), MX_OK);
	assert_body(i, "{\"user_id\":\"@a:hs\",\"reason\":\"weg\"}");
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/kick", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{}", -1);
	cr_assert_eq(mx_ban(c, "!r:hs", "@a:hs", NULL), MX_OK);
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/ban", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{}", -1);
	cr_assert_eq(mx_unban(c, "!r:hs", "@a:hs", NULL), MX_OK);
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/unban", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{}", -1);
	cr_assert_eq(mx_leave(c, "!r:hs", NULL), MX_OK);
	assert_body(i, "{}");
	cr_assert_str_eq(F.method[i], "POST");
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/leave", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{\"room_id\":\"!r:hs\"}", -1);
	cr_assert_eq(mx_join(c, "#noord:hs", &s), MX_OK);
	cr_assert_str_eq(s, "!r:hs");
	free(s);
	snprintf(want, sizeof(want), "%s/join/%%23noord%%3Ahs", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{\"room_id\":\"!r:hs\"}", -1);
	cr_assert_eq(mx_knock(c, "!r:hs", "ik woon hier", &s), MX_OK);
	free(s);
	assert_body(i, "{\"reason\":\"ik woon hier\"}");
	snprintf(want, sizeof(want), "%s/knock/%%21r%%3Ahs", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{\"joined\":{\"@a:hs\":{\"display_name\":\"A\"}}}", -1);
	cr_assert_eq(mx_joined_members(c, "!r:hs", &joined), MX_OK);
	cr_assert_not_null(cJSON_GetObjectItem(joined, "@a:hs"));
	cJSON_Delete(joined);
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/joined_members", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{\"event_id\":\"$red\"}", -1);
	cr_assert_eq(mx_redact(c, "!r:hs", "$ev/1", "red-1", "spam", &s), MX_OK);
	cr_assert_str_eq(s, "$red");
	free(s);
	cr_assert_str_eq(F.method[i], "PUT");
	assert_body(i, "{\"reason\":\"spam\"}");
	snprintf(want, sizeof(want), "%s/rooms/%%21r%%3Ahs/redact/%%24ev%%2F1/red-1", base);
	cr_assert_str_eq(F.url[i++], want);

	script(200, "{\"filter_id\":\"7\"}", -1);
	st = mx_filter_default(50);
	cr_assert_eq(mx_filter_upload(c, "@bot:hs", st, &s), MX_OK);
	cr_assert_str_eq(s, "7");
	free(s);
	cJSON_Delete(st);
	snprintf(want, sizeof(want), "%s/user/%%40bot%%3Ahs/filter", base);
	cr_assert_str_eq(F.url[i++], want);

	cr_assert_eq(F.calls, i);
	cJSON_Delete(cc);
	cJSON_Delete(pl);
	cJSON_Delete(name);
	mx_client_free(c);
}

Test(client, invalid_arguments)
{
	mx_client *c = client();
	cJSON *content = cJSON_CreateObject();
	mx_client_options o;
	mx_error err;
	mx_client *c2 = NULL;

	cr_assert_eq(mx_send(c, "!r:hs", "m.room.message", "", content, NULL), MX_ERR_INVALID);
	cr_assert_eq(mx_send(c, NULL, "m.room.message", "t", content, NULL), MX_ERR_INVALID);
	cr_assert_eq(mx_request(c, "GET", "no-slash", NULL, 0, NULL), MX_ERR_INVALID);
	cr_assert_eq(F.calls, 0);
	memset(&o, 0, sizeof(o));
	o.homeserver_url = "ftp://hs";
	cr_assert_eq(mx_client_new(&c2, &o, &err), MX_ERR_INVALID);
	cr_assert_null(c2);
	cJSON_Delete(content);
	mx_client_free(c);
	mx_client_free(NULL);
}

/* ---- content builders and the sync filter ---- */

static void assert_json(cJSON *got, const char *json)
{
	cJSON *want = cJSON_Parse(json);
	char *s = cJSON_PrintUnformatted(got);

	cr_assert_not_null(want);
	cr_assert(cJSON_Compare(got, want, 1), "got %s", s);
	free(s);
	cJSON_Delete(want);
}

/* Paths are built from ids that came over the network: one past the
 * path cap (64 KiB) is refused as unusable before anything is sent. */
Test(client, ids_too_long_for_a_path_are_refused)
{
	mx_client *c = client();
	cJSON *content = cJSON_CreateObject();
	cJSON *out = NULL;
	size_t n = 70 * 1024;
	char *id = malloc(n + 1);

	memset(id, 'r', n);
	id[0] = '!';
	id[n] = '\0';
	cr_assert_eq(mx_send(c, id, "m.room.message", "t", content, NULL), MX_ERR_INVALID);
	cr_assert_eq(mx_sync(c, id, NULL, 0, &out), MX_ERR_INVALID);
	cr_assert_eq(mx_messages(c, "!r:hs", id, "b", 10, &out), MX_ERR_INVALID);
	cr_assert_eq(F.calls, 0);
	cr_assert_null(out);
	free(id);
	cJSON_Delete(content);
	mx_client_free(c);
}

Test(content, text_reply_thread_reaction)
{
	cJSON *t = mx_content_text("m.notice", "hoi", NULL);
	cJSON *h = mx_content_text("m.text", "*hoi*", "<em>hoi</em>");
	cJSON *r = NULL;

	assert_json(t, "{\"msgtype\":\"m.notice\",\"body\":\"hoi\"}");
	assert_json(h, "{\"msgtype\":\"m.text\",\"body\":\"*hoi*\","
		    "\"format\":\"org.matrix.custom.html\",\"formatted_body\":\"<em>hoi</em>\"}");
	cr_assert_eq(mx_content_set_reply(t, "$p"), t);
	assert_json(t, "{\"msgtype\":\"m.notice\",\"body\":\"hoi\","
		    "\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$p\"}}}");
	cr_assert_eq(mx_content_set_thread(h, "$root", NULL), h);
	assert_json(h, "{\"msgtype\":\"m.text\",\"body\":\"*hoi*\","
		    "\"format\":\"org.matrix.custom.html\",\"formatted_body\":\"<em>hoi</em>\","
		    "\"m.relates_to\":{\"rel_type\":\"m.thread\",\"event_id\":\"$root\","
		    "\"is_falling_back\":true,\"m.in_reply_to\":{\"event_id\":\"$root\"}}}");
	cr_assert_eq(mx_content_set_thread(t, "$root", "$last"), t);
	assert_json(cJSON_GetObjectItem(t, "m.relates_to"),
		    "{\"rel_type\":\"m.thread\",\"event_id\":\"$root\","
		    "\"is_falling_back\":true,\"m.in_reply_to\":{\"event_id\":\"$last\"}}");
	r = mx_content_reaction("$ev", "👍");
	assert_json(r, "{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"$ev\",\"key\":\"👍\"}}");
	cr_assert_null(mx_content_text(NULL, "x", NULL));
	cr_assert_null(mx_content_set_reply(NULL, "$x"));
	cJSON_Delete(t);
	cJSON_Delete(h);
	cJSON_Delete(r);
}

Test(content, default_filter)
{
	cJSON *f = mx_filter_default(20);

	assert_json(f, "{\"presence\":{\"not_types\":[\"*\"]},\"account_data\":{\"not_types\":[\"*\"]},"
		    "\"room\":{\"timeline\":{\"limit\":20},"
		    "\"ephemeral\":{\"not_types\":[\"*\"]},\"account_data\":{\"not_types\":[\"*\"]}}}");
	cJSON_Delete(f);
}

static int hook_calls;
static int hook_status[8];
static long hook_delay[8];

static void on_retry(void *ud, const mx_error *err, int attempt, long delay_ms)
{
	cr_assert_eq(ud, &hook_calls);
	if (hook_calls < 8) {
		hook_status[hook_calls] = err->status;
		hook_delay[hook_calls] = delay_ms;
	}
	cr_assert_eq(attempt, hook_calls + 1);
	hook_calls++;
}

Test(client, retry_hook_reports_each_wait)
{
	mx_client_options o;
	mx_transport *t = malloc(sizeof(*t));
	mx_client *c = NULL;
	mx_error err;

	memset(&F, 0, sizeof(F));
	hook_calls = 0;
	t->perform = fake_perform;
	t->destroy = fake_destroy;
	t->ctx = &F;
	memset(&o, 0, sizeof(o));
	o.homeserver_url = "http://hs.example:8008";
	o.retry.base_delay_ms = 2;
	o.retry.max_delay_ms = 50;
	o.transport = t;
	o.on_retry = on_retry;
	o.on_retry_userdata = &hook_calls;
	cr_assert_eq(mx_client_new(&c, &o, &err), MX_OK);
	script(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}", 7);
	script(502, "bad gateway", -1);
	script(200, "{}", -1);
	cr_assert_eq(mx_request(c, "GET", "/_matrix/client/v3/x", NULL, 0, NULL), MX_OK);
	cr_assert_eq(hook_calls, 2);
	cr_assert_eq(hook_status[0], MX_ERR_RATE_LIMITED);
	cr_assert_eq(hook_delay[0], 7);
	cr_assert_eq(hook_status[1], MX_ERR_SERVER);
	mx_client_free(c);
}

/* ---- mx_async over the scripted transport (carried out when started) ---- */

Test(client, async_hands_back_each_answer_with_its_tag_never_retried)
{
	mx_client *c = client();
	mx_async *a = NULL;
	mx_error err;
	cJSON *out = NULL, *body = cJSON_CreateObject();
	uintptr_t tag = 0;
	int status = -1;

	cr_assert_eq(mx_async_new(&a, c, 0, &err), MX_OK);
	script(200, "{\"event_id\":\"$one\"}", -1);
	script(502, "bad gateway", -1);
	script(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"not in room\"}", -1);
	cJSON_AddStringToObject(body, "body", "hallo");
	cr_assert_eq(mx_async_start(a, "PUT", "/_matrix/client/v3/rooms/%21r/send/m.room.message/t1", body, 0, 11,
				    &err), MX_OK);
	cr_assert_eq(mx_async_start(a, "PUT", "/_matrix/client/v3/rooms/%21r/send/m.room.message/t2", body, 0, 12,
				    &err), MX_OK);
	cr_assert_eq(mx_async_sync(a, "s1", "f1", 30000, 13, &err), MX_OK);
	cr_assert_eq(mx_async_pending(a), 3);
	cr_assert_eq(F.calls, 3, "a 502 is handed back, not retried");
	cr_assert_str_eq(F.token[0], TOKEN);
	cr_assert_str_eq(F.body[0], "{\"body\":\"hallo\"}");
	cr_assert_str_eq(F.url[2], "http://hs.example:8008/_matrix/client/v3/sync?timeout=30000&since=s1&filter=f1");
	cr_assert_eq(F.timeout_ms[2], 37000, "the long-poll plus the request timeout");
	cr_assert_eq(mx_async_wait(a, 0), MX_OK);

	cr_assert_eq(mx_async_next(a, &tag, &status, &out, &err), 1);
	cr_assert_eq(tag, 11);
	cr_assert_eq(status, MX_OK);
	cr_assert_str_eq(cJSON_GetObjectItem(out, "event_id")->valuestring, "$one");
	cJSON_Delete(out);
	cr_assert_eq(mx_async_next(a, &tag, &status, &out, &err), 1);
	cr_assert_eq(tag, 12);
	cr_assert_eq(status, MX_ERR_SERVER);
	cr_assert_null(out);
	cr_assert_eq(mx_async_next(a, &tag, &status, &out, &err), 1);
	cr_assert_eq(tag, 13);
	cr_assert_eq(status, MX_ERR_REQUEST);
	cr_assert_str_eq(err.errcode, "M_FORBIDDEN");
	cr_assert_eq(mx_async_next(a, &tag, &status, &out, &err), 0);
	cr_assert_eq(mx_async_pending(a), 0);
	cJSON_Delete(body);
	mx_async_free(a);
	mx_client_free(c);
}

Test(client, async_refuses_a_bad_path_and_frees_what_was_not_taken)
{
	mx_client *c = client();
	mx_async *a = NULL;
	mx_error err;

	cr_assert_eq(mx_async_new(&a, c, 4, &err), MX_OK);
	cr_assert_eq(mx_async_start(a, "GET", "no-slash", NULL, 0, 1, &err), MX_ERR_INVALID);
	script(200, "{}", -1);
	cr_assert_eq(mx_async_start(a, "GET", "/_matrix/client/v3/x", NULL, 0, 2, &err), MX_OK);
	mx_async_free(a);   /* an answer never taken is freed with it */
	mx_client_free(c);
}
