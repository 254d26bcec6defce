/* metrics.c: see metrics.h. */
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "daemon.h"
#include "log.h"
#include "metrics.h"
#include "store_casus.h"

/* Store counts are refreshed at most this often (seconds of d->now). */
#define METRICS_REFRESH_S 5

typedef struct snapshot {
	long long last_sync;          /* seconds since the epoch, 0: none yet */
	unsigned long sync_errors, request_retries, undecryptable;
	long long outbox_pending, outbox_failed, casussen_open;
	long long commands_allowed, commands_refused, forwards;
} snapshot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static snapshot snap;
static struct MHD_Daemon *httpd;

/* Loop thread only: where the incremental counts stopped, and when the
 * store was last read. */
static struct {
	long long audit_id, outbox_id, refreshed_at;
	long long allowed, refused, forwards;
} seen;

void bot_metrics_sync_result(int mx_status)
{
	if (mx_status == MX_OK || mx_status == MX_ERR_CANCELLED)   /* a stop is no error */
		return;
	pthread_mutex_lock(&lock);
	snap.sync_errors++;
	pthread_mutex_unlock(&lock);
}

void bot_metrics_request_retry(void)
{
	pthread_mutex_lock(&lock);
	snap.request_retries++;
	pthread_mutex_unlock(&lock);
}

/* The audit log and the outbox only grow: they are counted from where
 * the last count stopped (a count that failed is taken again next time). */
static void count_new(bot_store *s)
{
	int64_t allowed = 0, refused = 0, n = 0, last = 0;

	if (bot_store_audit_count_since(s, seen.audit_id, &allowed, &refused, &last) == BOT_STORE_OK) {
		seen.allowed += allowed;
		seen.refused += refused;
		seen.audit_id = last;
	}
	if (bot_store_outbox_forwards_since(s, seen.outbox_id, &n, &last) == BOT_STORE_OK) {
		seen.forwards += n;
		seen.outbox_id = last;
	}
}

void bot_metrics_synced(bot_daemon *d)
{
	snapshot s;
	int64_t n = 0;
	long long open = 0;

	if (!httpd)
		return;
	pthread_mutex_lock(&lock);
	snap.last_sync = d->now;
	snap.undecryptable = d->undecryptable;
	s = snap;
	pthread_mutex_unlock(&lock);
	if (seen.refreshed_at && d->now >= seen.refreshed_at && d->now - seen.refreshed_at < METRICS_REFRESH_S)
		return;
	seen.refreshed_at = d->now;
	s.outbox_pending = bot_store_outbox_count(d->store, "pending", &n) == BOT_STORE_OK ? n : -1;
	s.outbox_failed = bot_store_outbox_count(d->store, "failed", &n) == BOT_STORE_OK ? n : -1;
	s.casussen_open = bot_store_casus_count_open(d->store, &open) == BOT_STORE_OK ? open : -1;
	count_new(d->store);
	pthread_mutex_lock(&lock);
	snap.outbox_pending = s.outbox_pending;
	snap.outbox_failed = s.outbox_failed;
	snap.casussen_open = s.casussen_open;
	snap.commands_allowed = seen.allowed;
	snap.commands_refused = seen.refused;
	snap.forwards = seen.forwards;
	pthread_mutex_unlock(&lock);
}

typedef struct metric {
	const char *name, *type, *help, *label;   /* label: NULL or the fixed label text */
	long long value;
} metric;

char *bot_metrics_render(void)
{
	snapshot s;
	char *out;
	size_t i, size = 4096, len = 0;

	pthread_mutex_lock(&lock);
	s = snap;
	pthread_mutex_unlock(&lock);
	{
		/* A count the store could not give (-1) is left out, not shown as 0. */
		const metric m[] = {
			{ "buurtbot_last_sync_timestamp_seconds", "gauge", "Time of the last successful sync.", NULL,
			  s.last_sync },
			{ "buurtbot_sync_errors_total", "counter", "Syncs that failed.", NULL, (long long)s.sync_errors },
			{ "buurtbot_homeserver_retries_total", "counter", "Homeserver requests tried again.", NULL,
			  (long long)s.request_retries },
			{ "buurtbot_outbox_items", "gauge", "Outbox items by state.", "state=\"pending\"",
			  s.outbox_pending },
			{ "buurtbot_outbox_items", NULL, NULL, "state=\"failed\"", s.outbox_failed },
			{ "buurtbot_undecryptable_events_total", "counter", "Encrypted events given up on.", NULL,
			  (long long)s.undecryptable },
			{ "buurtbot_casussen_open", "gauge", "Casussen open now.", NULL, s.casussen_open },
			{ "buurtbot_commands_total", "counter", "Commands by result (from the audit log).",
			  "result=\"allowed\"", s.commands_allowed },
			{ "buurtbot_commands_total", NULL, NULL, "result=\"refused\"", s.commands_refused },
			{ "buurtbot_forwards_total", "counter", "Copies of messages forwarded (queued).", NULL,
			  s.forwards },
			{ "buurtbot_build_info", "gauge", "The running version.", "version=\"" BUURTBOT_VERSION "\"", 1 },
		};
		out = malloc(size);
		if (!out)
			return NULL;
		out[0] = '\0';
		for (i = 0; i < sizeof m / sizeof m[0]; i++) {
			int n = 0;

			if (m[i].value < 0)
				continue;
			if (m[i].type)
				n = snprintf(out + len, size - len, "# HELP %s %s\n# TYPE %s %s\n", m[i].name, m[i].help,
					     m[i].name, m[i].type);
			if (n < 0 || (size_t)n >= size - len)
				break;
			len += (size_t)n;
			n = snprintf(out + len, size - len, "%s%s%s%s %lld\n", m[i].name, m[i].label ? "{" : "",
				     m[i].label ? m[i].label : "", m[i].label ? "}" : "", m[i].value);
			if (n < 0 || (size_t)n >= size - len)
				break;
			len += (size_t)n;
		}
	}
	return out;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *body = NULL;
	unsigned int status = MHD_HTTP_OK;

	(void)cls; (void)version; (void)upload_data; (void)upload_size; (void)con_cls;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	else if (strcmp(url, "/metrics") != 0)
		status = MHD_HTTP_NOT_FOUND;
	else
		body = bot_metrics_render();
	if (status == MHD_HTTP_OK && !body)
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	if (body)
		resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	if (body)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* "host:port" or "[v6]:port" into host and port. 0, or -1. */
static int split_listen(const char *listen, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon = strrchr(listen, ':'), *h = listen;
	size_t hl;

	if (!colon || !colon[1] || strlen(colon + 1) >= psize)
		return -1;
	hl = (size_t)(colon - listen);
	if (listen[0] == '[') {
		if (hl < 2 || listen[hl - 1] != ']')
			return -1;
		h = listen + 1;
		hl -= 2;
	}
	if (hl == 0 || hl >= hsize)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	snprintf(port, psize, "%s", colon + 1);
	return 0;
}

int bot_metrics_start(const char *listen, char *err, size_t errsize)
{
	struct addrinfo hints, *ai = NULL;
	char host[256], port[16];
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD;
	sigset_t all, old;

	if (!listen || !*listen)
		return 0;
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (split_listen(listen, host, sizeof host, port, sizeof port) != 0 ||
	    getaddrinfo(host, port, &hints, &ai) != 0 || !ai) {
		snprintf(err, errsize, "setting 'metrics_listen': '%s' is not an address:port such as 127.0.0.1:9464",
			 listen);
		return -1;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* Its thread inherits a mask with every signal blocked, so SIGTERM
	 * and SIGHUP reach the loop's thread, which waits for them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	httpd = MHD_start_daemon(flags, 0, NULL, NULL, answer, NULL, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				 MHD_OPTION_CONNECTION_LIMIT, 16U, MHD_OPTION_CONNECTION_TIMEOUT, 10U,
				 MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	freeaddrinfo(ai);
	if (!httpd) {
		snprintf(err, errsize, "setting 'metrics_listen': cannot listen on %s (in use, or not this machine's)",
			 listen);
		return -1;
	}
	LOG_INFO("metrics on http://%s/metrics", listen);
	return 0;
}

void bot_metrics_stop(void)
{
	if (httpd)
		MHD_stop_daemon(httpd);
	httpd = NULL;
}
