/* bench_ping: the !ping round trip through the bot against the floor of
 * one plain client-to-client hop, measured in the same run on the same
 * homeserver, plus the daemon's peak resident memory. Prints figures and
 * ratios; never fails on a figure (machines are shared and noisy).
 * Target (DESIGN.md section 7): ratio p50 at most 2.1, peak RSS < 10 MB. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../integration/itest.h"
#include "bench_util.h"
#include "matrix/mx_sync.h"

#define ROUNDS 40
#define MAX_SEEN 4096

typedef struct watcher {
	mx_client *c;       /* the watcher's own connection */
	const char *room;
	pthread_mutex_t lock;
	char *keys[MAX_SEEN];
	long at[MAX_SEEN];
	int n;
	volatile int stop;
	pthread_t thread;
} watcher;

static void record(watcher *w, const char *key)
{
	pthread_mutex_lock(&w->lock);
	if (w->n < MAX_SEEN) {
		w->keys[w->n] = strdup(key);
		w->at[w->n++] = itest_now_ms();
	}
	pthread_mutex_unlock(&w->lock);
}

static long seen_at(watcher *w, const char *key)
{
	long t = -1;
	int i;

	pthread_mutex_lock(&w->lock);
	for (i = 0; i < w->n; i++)
		if (strcmp(w->keys[i], key) == 0)
			t = w->at[i];
	pthread_mutex_unlock(&w->lock);
	return t;
}

/* Long-polls /sync and records every message by body and by the event it
 * replies to, with its arrival time. */
static void *watch(void *arg)
{
	watcher *w = arg;
	char *since = NULL;

	while (!w->stop) {
		cJSON *root = NULL;
		mx_sync_batch *b = NULL;
		mx_error err;
		size_t i;

		if (mx_sync(w->c, since, "{\"room\":{\"timeline\":{\"limit\":50}}}",
			    since ? 5000 : 0, &root) != MX_OK)
			continue;
		if (mx_sync_parse(&b, root, &err) != MX_OK)
			continue;
		for (i = 0; since && i < b->n_events; i++) {
			const mx_event *e = &b->events[i];
			const cJSON *body = cJSON_GetObjectItem(e->content, "body");
			const cJSON *rel = cJSON_GetObjectItem(e->content, "m.relates_to");
			const cJSON *irt = cJSON_GetObjectItem(cJSON_GetObjectItem(rel, "m.in_reply_to"), "event_id");
			char key[512];

			if (e->source != MX_SRC_TIMELINE)
				continue;
			if (cJSON_IsString(irt)) {
				snprintf(key, sizeof key, "re:%s", irt->valuestring);
				record(w, key);
			} else if (cJSON_IsString(body)) {
				record(w, body->valuestring);
			}
		}
		free(since);
		since = strdup(b->next_batch);
		mx_sync_batch_free(b);
	}
	free(since);
	return NULL;
}

static void watcher_start(watcher *w, itest_user *u, const char *room)
{
	memset(w, 0, sizeof *w);
	w->c = itest_user_client(u);
	w->room = room;
	pthread_mutex_init(&w->lock, NULL);
	pthread_create(&w->thread, NULL, watch, w);
	itest_sleep_ms(1500);  /* initial sync done, first long-poll pending */
}

static void watcher_stop(watcher *w)
{
	int i;

	w->stop = 1;
	pthread_join(w->thread, NULL);
	mx_client_free(w->c);
	for (i = 0; i < w->n; i++)
		free(w->keys[i]);
}

static long wait_seen(watcher *w, const char *key)
{
	long deadline = itest_now_ms() + 30000, t;

	while ((t = seen_at(w, key)) < 0 && itest_now_ms() < deadline)
		itest_sleep_ms(1);
	return t;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static long pct(long *v, int n, int p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_long);
	return v[(n - 1) * p / 100];
}

Test(bench, ping_round_trip_vs_floor, .timeout = 600)
{
	itest_user a, b;
	itest_bot bot;
	watcher wa, wb;
	char *room;
	long floor_ms[ROUNDS], ping_ms[ROUNDS];
	int i, nf = 0, np = 0;

	itest_user_new(&a, "bencha");
	itest_user_new(&b, "benchb");
	itest_bot_setup(&bot, a.user_id, "log_level = warn");
	itest_bot_start(&bot);
	room = itest_create_room(&a, "bench");
	itest_invite(&a, room, b.user_id);
	itest_invite(&a, room, bot.account.user_id);
	cr_assert_eq(mx_join(b.c, room, NULL), MX_OK);
	cr_assert(itest_wait_membership(&a, room, bot.account.user_id, "join", 20000));
	watcher_start(&wa, &a, room);
	watcher_start(&wb, &b, room);

	for (i = 0; i < ROUNDS; i++) {
		char marker[64], key[512];
		long t0, t1;
		char *ev;

		/* Floor: A's message seen by B's sync. */
		snprintf(marker, sizeof marker, "bench-%d-%ld", i, itest_now_ms());
		t0 = itest_now_ms();
		ev = itest_send_text(&a, room, marker);
		t1 = wait_seen(&wb, marker);
		if (t1 >= 0)
			floor_ms[nf++] = t1 - t0;
		free(ev);
		itest_sleep_ms(50);

		/* Ping: A's !ping, the bot's reply seen by A's sync. */
		t0 = itest_now_ms();
		ev = itest_send_text(&a, room, "!ping");
		snprintf(key, sizeof key, "re:%s", ev);
		t1 = wait_seen(&wa, key);
		if (t1 >= 0)
			ping_ms[np++] = t1 - t0;
		free(ev);
		itest_sleep_ms(50);
	}
	{
		long rss = proc_kb(bot.pid, "status", "VmHWM");
		long pss = proc_kb(bot.pid, "smaps_rollup", "Pss");
		long priv = proc_kb(bot.pid, "smaps_rollup", "Private_Dirty");
		long shared = proc_kb(bot.pid, "smaps_rollup", "Shared_Clean");
		long f50 = pct(floor_ms, nf, 50), f95 = pct(floor_ms, nf, 95);
		long p50 = pct(ping_ms, np, 50), p95 = pct(ping_ms, np, 95);

		printf("\nbench_ping: %d rounds (floor %d, ping %d measured)\n", ROUNDS, nf, np);
		printf("  floor  client->client  p50 %4ld ms  p95 %4ld ms\n", f50, f95);
		printf("  ping   via buurtbot    p50 %4ld ms  p95 %4ld ms\n", p50, p95);
		printf("  ratio  p50 %.2f  p95 %.2f   (target p50 <= 2.10)\n",
		       f50 ? (double)p50 / (double)f50 : 0.0, f95 ? (double)p95 / (double)f95 : 0.0);
		printf("  daemon peak RSS %ld kB (%.1f MB; target < 10 MB)\n", rss, rss / 1024.0);
		printf("    of which shared library pages %ld kB; own (private dirty) %ld kB; PSS %ld kB\n",
		       shared, priv, pss);
		fflush(stdout);
	}
	watcher_stop(&wa);
	watcher_stop(&wb);
	free(room);
	itest_bot_cleanup(&bot);
	itest_user_free(&a);
	itest_user_free(&b);
}
