/* web_http.h: buurtbot-web's HTTP side on libmicrohttpd: routing, the
 * form's size cap, per-address rate limits, form tokens, security
 * headers. One polling thread: the handlers never run at the same time. */
#ifndef WEB_HTTP_H
#define WEB_HTTP_H

#include "web_db.h"
#include "web_pages.h"

typedef struct web_server_opts {
	web_site site;
	web_db *db;
	const char *listen_addr;    /* IPv4 or IPv6 literal */
	unsigned short port;
	int trust_proxy;            /* take the client from X-Forwarded-For (behind the operator's proxy) */
	int posts_per_10min;        /* per address */
	int gets_per_min;           /* per address */
	int secure_cookies;         /* base_url is https */
} web_server_opts;

typedef struct web_server web_server;

/* The key addr is counted under by the rate limits: an IPv6 address by
 * its /64 (what one line gets), anything else as it is. */
void web_rate_key(const char *addr, char *out, size_t size);

/* Starts serving; 0 or -1 with a line on stderr. */
int web_server_start(web_server **out, const web_server_opts *opts);
void web_server_stop(web_server *s);

#endif
