/* metrics.h: the optional Prometheus endpoint (setting metrics_listen,
 * off by default). libmicrohttpd answers GET /metrics from its own thread
 * with a snapshot the loop thread refreshes after each stored batch; the
 * two share only that snapshot, under a mutex. The store is read by the
 * loop thread only. Labels carry fixed words (a state, a result), never a
 * user id, room or text. */
#ifndef BOT_METRICS_H
#define BOT_METRICS_H

#include <stddef.h>

struct bot_daemon;

/* Starts the endpoint on listen ("127.0.0.1:9464", "[::1]:9464"); an
 * empty listen leaves it off. 0, or -1 with the reason in err. */
int bot_metrics_start(const char *listen, char *err, size_t errsize);
void bot_metrics_stop(void);

/* Loop thread: after a stored batch (bot_health_synced calls it). Reads
 * the counts from the store at most every few seconds. */
void bot_metrics_synced(struct bot_daemon *d);
/* The status of a sync (the loop; counts the failures); a homeserver
 * request being retried (the client's retry callback). Any thread. */
void bot_metrics_sync_result(int mx_status);
void bot_metrics_request_retry(void);

/* The text the endpoint serves, malloc'ed (for tests). */
char *bot_metrics_render(void);

#endif
