/* test_http.c: mx_http_classify and mx_retry_decide as pure functions, and
 * the libcurl transport against a one-shot HTTP responder on 127.0.0.1 in
 * a child process (headers, Retry-After, size cap, timeout, cancel). */
#define _GNU_SOURCE /* strcasestr in the test responder */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "matrix/mx_http.h"

/* ---- classify ---- */

static int classify(long code, const char *body, long header_retry, mx_error *err)
{
	mx_http_response r;

	memset(&r, 0, sizeof(r));
	r.status = code;
	r.body = (char *)body;
	r.body_len = body ? strlen(body) : 0;
	r.retry_after_ms = header_retry;
	return mx_http_classify(&r, err);
}

Test(classify, ok_2xx)
{
	mx_error err;

	cr_assert_eq(classify(200, "{}", -1, &err), MX_OK);
	cr_assert_eq(classify(204, "", -1, &err), MX_OK);
	cr_assert_eq(err.status, MX_OK);
}

Test(classify, unknown_token_is_auth)
{
	mx_error err;

	cr_assert_eq(classify(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\",\"soft_logout\":false}", -1, &err), MX_ERR_AUTH);
	cr_assert_eq(err.status, MX_ERR_AUTH);
	cr_assert_eq(err.http_status, 401);
	cr_assert_str_eq(err.errcode, "M_UNKNOWN_TOKEN");
	cr_assert_str_eq(err.message, "Invalid access token passed.");
	cr_assert_eq(classify(401, "{\"errcode\":\"M_MISSING_TOKEN\"}", -1, &err), MX_ERR_AUTH);
}

Test(classify, forbidden_is_request)
{
	mx_error err;

	cr_assert_eq(classify(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"You are not invited to this room.\"}", -1, &err), MX_ERR_REQUEST);
	cr_assert_str_eq(err.errcode, "M_FORBIDDEN");
	cr_assert_str_eq(err.message, "You are not invited to this room.");
	cr_assert_eq(err.http_status, 403);
	cr_assert_eq(err.retry_after_ms, -1);
}

Test(classify, not_found)
{
	mx_error err;

	cr_assert_eq(classify(404, "{\"errcode\":\"M_NOT_FOUND\"}", -1, &err), MX_ERR_REQUEST);
	cr_assert_str_eq(err.errcode, "M_NOT_FOUND");
	cr_assert_str_eq(err.message, "HTTP 404 M_NOT_FOUND");
}

Test(classify, rate_limited_header_wins)
{
	mx_error err;

	cr_assert_eq(classify(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":1500}", 2000, &err), MX_ERR_RATE_LIMITED);
	cr_assert_eq(err.retry_after_ms, 2000);
	cr_assert_str_eq(err.errcode, "M_LIMIT_EXCEEDED");
}

Test(classify, rate_limited_body_only)
{
	mx_error err;

	cr_assert_eq(classify(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":1500}", -1, &err), MX_ERR_RATE_LIMITED);
	cr_assert_eq(err.retry_after_ms, 1500);
}

Test(classify, rate_limited_neither)
{
	mx_error err;

	cr_assert_eq(classify(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}", -1, &err), MX_ERR_RATE_LIMITED);
	cr_assert_eq(err.retry_after_ms, -1);
	cr_assert_eq(classify(429, NULL, -1, &err), MX_ERR_RATE_LIMITED);
	cr_assert_eq(err.retry_after_ms, -1);
}

Test(classify, bad_gateway_html)
{
	mx_error err;

	cr_assert_eq(classify(502, "<html><body>Bad Gateway</body></html>", -1, &err), MX_ERR_SERVER);
	cr_assert_str_eq(err.message, "HTTP 502");
	cr_assert_str_eq(err.errcode, "");
	cr_assert_eq(err.http_status, 502);
}

Test(classify, body_not_json_or_not_object)
{
	mx_error err;

	cr_assert_eq(classify(400, "not json {", -1, &err), MX_ERR_REQUEST);
	cr_assert_str_eq(err.message, "HTTP 400");
	cr_assert_eq(classify(400, "[\"M_FORBIDDEN\"]", -1, &err), MX_ERR_REQUEST);
	cr_assert_str_eq(err.errcode, "");
	/* errcode of the wrong type is ignored, so 401 is not taken for auth */
	cr_assert_eq(classify(401, "{\"errcode\":7}", -1, &err), MX_ERR_REQUEST);
}

Test(classify, long_and_hostile_texts_are_bounded)
{
	char body[2048];
	mx_error err;

	memset(body, 0, sizeof(body));
	strcat(body, "{\"errcode\":\"M_");
	memset(body + strlen(body), 'X', 200);
	strcat(body, "\",\"error\":\"line1\\nline2 ");
	memset(body + strlen(body), 'y', 600);
	strcat(body, "\"}");
	cr_assert_eq(classify(400, body, -1, &err), MX_ERR_REQUEST);
	cr_assert_eq(strlen(err.errcode), sizeof(err.errcode) - 1);
	cr_assert_eq(strlen(err.message), sizeof(err.message) - 1);
	cr_assert_null(strchr(err.message, '\n'));
}

/* ---- retry_decide ---- */

static mx_error status_err(int status, long retry_after)
{
	mx_error e;

	mx_error_clear(&e);
	e.status = status;
	e.retry_after_ms = retry_after;
	return e;
}

Test(retry, rate_limit_honoured_and_capped)
{
	mx_retry_policy p = { 0, 100, 5000 };
	mx_error e = status_err(MX_ERR_RATE_LIMITED, 1200);
	long d = -1;

	cr_assert_eq(mx_retry_decide(&p, &e, 1, &d), 1);
	cr_assert_eq(d, 1200);
	e.retry_after_ms = 60000;
	cr_assert_eq(mx_retry_decide(&p, &e, 7, &d), 1);
	cr_assert_eq(d, 5000);
	e.retry_after_ms = -1; /* unspecified: base delay */
	cr_assert_eq(mx_retry_decide(&p, &e, 3, &d), 1);
	cr_assert_eq(d, 100);
}

Test(retry, backoff_grows_and_caps)
{
	mx_retry_policy p = { 0, 100, 1000 };
	const int statuses[] = { MX_ERR_NETWORK, MX_ERR_TIMEOUT, MX_ERR_SERVER };
	const long want[] = { 100, 200, 400, 800, 1000, 1000 };
	long d;
	size_t i, a;

	for (i = 0; i < 3; i++) {
		mx_error e = status_err(statuses[i], -1);
		for (a = 0; a < 6; a++) {
			d = -1;
			cr_assert_eq(mx_retry_decide(&p, &e, (int)a + 1, &d), 1);
			cr_assert_eq(d, want[a], "status %d attempt %zu: %ld", statuses[i], a + 1, d);
		}
		/* very late attempts neither overflow nor exceed the cap */
		cr_assert_eq(mx_retry_decide(&p, &e, 1000000, &d), 1);
		cr_assert_eq(d, 1000);
	}
}

Test(retry, never_for_client_errors)
{
	mx_retry_policy p = { 0, 100, 1000 };
	const int statuses[] = { MX_ERR_REQUEST, MX_ERR_AUTH, MX_ERR_PARSE,
		MX_ERR_TOO_LARGE, MX_ERR_CANCELLED, MX_ERR_INVALID, MX_ERR_NOMEM };
	long d = -7;
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		mx_error e = status_err(statuses[i], 10);
		cr_assert_eq(mx_retry_decide(&p, &e, 1, &d), 0, "status %d", statuses[i]);
	}
	cr_assert_eq(d, -7);
}

Test(retry, max_attempts_respected)
{
	mx_retry_policy p = { 3, 10, 1000 };
	mx_error e = status_err(MX_ERR_SERVER, -1);
	mx_error r = status_err(MX_ERR_RATE_LIMITED, 5);
	long d;

	cr_assert_eq(mx_retry_decide(&p, &e, 1, &d), 1);
	cr_assert_eq(mx_retry_decide(&p, &e, 2, &d), 1);
	cr_assert_eq(mx_retry_decide(&p, &e, 3, &d), 0);
	cr_assert_eq(mx_retry_decide(&p, &r, 3, &d), 0);
	p.max_attempts = 0; /* forever */
	cr_assert_eq(mx_retry_decide(&p, &e, 500, &d), 1);
}

Test(error, set_and_names)
{
	mx_error e;

	cr_assert_eq(mx_error_set(&e, MX_ERR_INVALID, "bad %d", 7), MX_ERR_INVALID);
	cr_assert_str_eq(e.message, "bad 7");
	cr_assert_eq(e.retry_after_ms, -1);
	/* a message built from the old one survives the clear inside set */
	mx_error_set(&e, MX_ERR_NETWORK, "%s!", e.message);
	cr_assert_str_eq(e.message, "bad 7!");
	cr_assert_eq(mx_error_set(NULL, MX_ERR_NOMEM, "x"), MX_ERR_NOMEM);
	cr_assert_str_eq(mx_status_name(MX_ERR_RATE_LIMITED), "rate-limited");
	cr_assert_str_eq(mx_status_name(MX_OK), "ok");
	cr_assert_str_eq(mx_status_name(12345), "unknown");
}

/* ---- curl transport against a local one-shot responder ---- */

typedef struct responder {
	pid_t pid;
	int port;
	int req_fd;        /* read end: the raw request the child received */
} responder;

static int listen_local(int *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;

	cr_assert_geq(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(fd, 4), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Child: accepts one connection, reads the request head and body, passes
 * them up a pipe, waits stall_ms, then writes response (NULL: none). */
static responder respond_once(const char *response, int stall_ms)
{
	responder r;
	int pfd[2];
	int lfd = listen_local(&r.port);

	cr_assert_eq(pipe(pfd), 0);
	r.pid = fork();
	cr_assert_geq(r.pid, 0);
	if (r.pid == 0) {
		char buf[65536];
		size_t got = 0;
		ssize_t n;
		int cfd;
		char *head_end;
		long clen = 0;
		char *cl;

		close(pfd[0]);
		cfd = accept(lfd, NULL, NULL);
		if (cfd < 0)
			_exit(1);
		for (;;) {
			n = read(cfd, buf + got, sizeof(buf) - 1 - got);
			if (n <= 0)
				break;
			got += (size_t)n;
			buf[got] = '\0';
			head_end = strstr(buf, "\r\n\r\n");
			if (head_end == NULL)
				continue;
			cl = strcasestr(buf, "\r\nContent-Length:");
			clen = cl ? strtol(cl + 17, NULL, 10) : 0;
			if ((long)(got - (size_t)(head_end + 4 - buf)) >= clen)
				break;
		}
		(void)!write(pfd[1], buf, got);
		close(pfd[1]);
		if (stall_ms > 0)
			usleep((useconds_t)stall_ms * 1000);
		if (response != NULL)
			(void)!write(cfd, response, strlen(response));
		shutdown(cfd, SHUT_WR);
		usleep(100 * 1000);
		_exit(0);
	}
	close(pfd[1]);
	close(lfd);
	r.req_fd = pfd[0];
	return r;
}

/* Returns the request the child saw (static buffer) and reaps it. */
static const char *finish(responder *r)
{
	static char buf[65536];
	size_t got = 0;
	ssize_t n;

	kill(r->pid, SIGKILL);
	while ((n = read(r->req_fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(r->req_fd);
	waitpid(r->pid, NULL, 0);
	return buf;
}

static char url_buf[128];
static const char *url(const responder *r, const char *path)
{
	snprintf(url_buf, sizeof(url_buf), "http://127.0.0.1:%d%s", r->port, path);
	return url_buf;
}

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

Test(curl, put_sends_bearer_json_body_and_reads_answer)
{
	responder srv = respond_once("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				     "Content-Length: 20\r\n\r\n{\"event_id\":\"$abc\"}\n", 0);
	mx_transport *t = NULL;
	mx_http_request req = { "PUT", url(&srv, "/_matrix/x/%21r"), "{\"a\":1}", 7, "syt_tok123", 5000, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	mx_error err;
	const char *seen;

	cr_assert_eq(mx_transport_curl_new(&t, 4096, NULL, &err), MX_OK);
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_OK, "%s", err.message);
	seen = finish(&srv);
	cr_assert_eq(resp.status, 200);
	cr_assert_str_eq(resp.body, "{\"event_id\":\"$abc\"}\n");
	cr_assert_eq(resp.body_len, 20);
	cr_assert_eq(resp.retry_after_ms, -1);
	cr_assert(strncmp(seen, "PUT /_matrix/x/%21r HTTP/1.1\r\n", 30) == 0, "%s", seen);
	cr_assert_not_null(strstr(seen, "\r\nAuthorization: Bearer syt_tok123\r\n"), "%s", seen);
	cr_assert_not_null(strstr(seen, "\r\nContent-Type: application/json\r\n"), "%s", seen);
	cr_assert_not_null(strstr(seen, "\r\n\r\n{\"a\":1}"), "%s", seen);
	mx_http_response_clear(&resp);
	mx_transport_free(t);
}

Test(curl, get_without_token_has_no_authorization)
{
	responder srv = respond_once("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0);
	mx_transport *t = NULL;
	mx_http_request req = { "GET", url(&srv, "/v"), NULL, 0, NULL, 5000, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	mx_error err;
	const char *seen;

	cr_assert_eq(mx_transport_curl_new(&t, 4096, NULL, &err), MX_OK);
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_OK, "%s", err.message);
	seen = finish(&srv);
	cr_assert_null(strcasestr(seen, "Authorization"), "%s", seen);
	cr_assert_not_null(resp.body); /* empty but NUL-terminated */
	cr_assert_eq(resp.body_len, 0);
	mx_http_response_clear(&resp);
	mx_transport_free(t);
}

Test(curl, retry_after_header_in_seconds)
{
	responder srv = respond_once("HTTP/1.1 429 Too Many Requests\r\nretry-after: 3\r\n"
				     "Content-Length: 58\r\n\r\n"
				     "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":2500,\"x\":0}", 0);
	mx_transport *t = NULL;
	mx_http_request req = { "GET", url(&srv, "/"), NULL, 0, NULL, 5000, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	mx_error err;

	cr_assert_eq(mx_transport_curl_new(&t, 4096, NULL, &err), MX_OK);
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_OK, "%s", err.message);
	finish(&srv);
	cr_assert_eq(resp.status, 429);
	cr_assert_eq(resp.retry_after_ms, 3000);
	cr_assert_eq(mx_http_classify(&resp, &err), MX_ERR_RATE_LIMITED);
	cr_assert_eq(err.retry_after_ms, 3000);
	mx_http_response_clear(&resp);
	mx_transport_free(t);
}

Test(curl, retry_after_http_date_is_absent)
{
	responder srv = respond_once("HTTP/1.1 429 Too Many Requests\r\n"
				     "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n"
				     "Content-Length: 2\r\n\r\n{}", 0);
	mx_transport *t = NULL;
	mx_http_request req = { "GET", url(&srv, "/"), NULL, 0, NULL, 5000, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	mx_error err;

	cr_assert_eq(mx_transport_curl_new(&t, 4096, NULL, &err), MX_OK);
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_OK, "%s", err.message);
	finish(&srv);
	cr_assert_eq(resp.retry_after_ms, -1);
	mx_http_response_clear(&resp);
	mx_transport_free(t);
}

static void too_large(const char *response)
{
	responder srv = respond_once(response, 0);
	mx_transport *t = NULL;
	mx_http_request req = { "GET", url(&srv, "/"), NULL, 0, "syt_secret", 5000, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	mx_error err;

	cr_assert_eq(mx_transport_curl_new(&t, 64, NULL, &err), MX_OK);
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_ERR_TOO_LARGE, "%s", err.message);
	finish(&srv);
	cr_assert_eq(err.status, MX_ERR_TOO_LARGE);
	cr_assert_null(resp.body);
	cr_assert_null(strstr(err.message, "syt_secret"));
	mx_transport_free(t);
}

Test(curl, body_over_cap_with_length)
{
	char resp[512];

	snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n%0100d", 0);
	too_large(resp);
}

Test(curl, body_over_cap_without_length)
{
	char resp[512];

	snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n%0200d", 0);
	too_large(resp);
}

/* The cap is the largest body taken whole, not one byte less. */
Test(curl, body_exactly_at_cap_is_whole)
{
	char response[512];
	responder srv;
	mx_transport *t = NULL;
	mx_http_request req = { "GET", NULL, NULL, 0, NULL, 5000, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	mx_error err;

	snprintf(response, sizeof(response), "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n%064d", 7);
	srv = respond_once(response, 0);
	req.url = url(&srv, "/");
	cr_assert_eq(mx_transport_curl_new(&t, 64, NULL, &err), MX_OK);
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_OK, "%s", err.message);
	finish(&srv);
	cr_assert_eq(resp.body_len, 64);
	cr_assert_eq(strlen(resp.body), 64);
	cr_assert_eq(resp.body[63], '7');
	mx_http_response_clear(&resp);
	mx_transport_free(t);
}

Test(curl, timeout, .timeout = 10)
{
	responder srv = respond_once(NULL, 3000);
	mx_transport *t = NULL;
	mx_http_request req = { "GET", url(&srv, "/"), NULL, 0, NULL, 300, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	mx_error err;

	cr_assert_eq(mx_transport_curl_new(&t, 4096, NULL, &err), MX_OK);
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_ERR_TIMEOUT, "%s", err.message);
	finish(&srv);
	mx_transport_free(t);
}

Test(curl, connection_refused_is_network_and_hides_token)
{
	int port;
	int fd = listen_local(&port);
	char u[64];
	mx_transport *t = NULL;
	mx_http_request req = { "GET", u, NULL, 0, "syt_secret", 5000, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	mx_error err;

	close(fd); /* nothing listens there now */
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/", port);
	cr_assert_eq(mx_transport_curl_new(&t, 4096, NULL, &err), MX_OK);
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_ERR_NETWORK, "%s", err.message);
	cr_assert_null(strstr(err.message, "syt_secret"));
	cr_assert_eq(err.http_status, 0);
	mx_transport_free(t);
}

static volatile sig_atomic_t stop_flag;
static void on_alarm(int sig)
{
	(void)sig;
	stop_flag = 1;
}

Test(curl, cancel_aborts_transfer, .timeout = 10)
{
	responder srv = respond_once(NULL, 20000);
	mx_transport *t = NULL;
	mx_http_request req = { "GET", url(&srv, "/sync"), NULL, 0, NULL, 30000, NULL };
	mx_http_response resp = { 0, NULL, 0, -1 };
	struct itimerval it;
	struct sigaction sa;
	mx_error err;
	long t0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 100 * 1000;
	stop_flag = 0;
	cr_assert_eq(mx_transport_curl_new(&t, 4096, &stop_flag, &err), MX_OK);
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = mono_ms();
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_ERR_CANCELLED, "%s", err.message);
	/* curl polls the progress callback about once a second while idle */
	cr_assert_lt(mono_ms() - t0, 5000);
	finish(&srv);
	/* a raised flag refuses new transfers at once */
	cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_ERR_CANCELLED);
	mx_transport_free(t);
}

Test(curl, handle_is_reused_across_requests)
{
	mx_transport *t = NULL;
	mx_error err;
	int i;

	cr_assert_eq(mx_transport_curl_new(&t, 4096, NULL, &err), MX_OK);
	for (i = 0; i < 3; i++) {
		responder srv = respond_once("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 0);
		mx_http_request req = { "POST", url(&srv, "/p"), NULL, 0, NULL, 5000, NULL };
		mx_http_response resp = { 0, NULL, 0, -1 };

		cr_assert_eq(t->perform(t->ctx, &req, &resp, &err), MX_OK, "%s", err.message);
		cr_assert_str_eq(resp.body, "{}");
		cr_assert(strncmp(finish(&srv), "POST /p ", 8) == 0);
		mx_http_response_clear(&resp);
	}
	mx_transport_free(t);
}
