/* bench_replay: the bot's CPU per event, offline: parse a sync batch,
 * decide every event and store the outcome (ledger, outbox, token) in one
 * SQLite transaction, on a real store in a temp dir. No homeserver.
 * Target (DESIGN.md section 7): median under 50 microseconds per event. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bot/daemon.h"

#define BATCHES 200
#define PER_BATCH 100

static double cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A realistic batch: mostly chatter, one in ten a command. */
static size_t make_batch(char *buf, size_t size, int batch)
{
	size_t len = (size_t)snprintf(buf, size,
		"{\"next_batch\":\"s%d\",\"rooms\":{\"join\":{\"!wijkgroep:localhost\":{\"timeline\":{\"limited\":false,\"events\":[",
		batch);
	int i;

	for (i = 0; i < PER_BATCH; i++)
		len += (size_t)snprintf(buf + len, size - len,
			"%s{\"event_id\":\"$ev%05d_%03d_abcdefghijklmnopqrstuvwxyz012345\",\"type\":\"m.room.message\","
			"\"sender\":\"@bewoner%d:localhost\",\"origin_server_ts\":1764000000000,"
			"\"unsigned\":{\"age\":42},\"content\":{\"msgtype\":\"m.text\",\"body\":\"%s\"}}",
			i ? "," : "", batch, i, i % 37,
			i % 10 == 0 ? "!ping" : "Verdachte man in donkere jas bij de Dorpsstraat 12, loopt richting park");
	len += (size_t)snprintf(buf + len, size - len, "]}}}}}");
	return len;
}

Test(bench, cpu_per_event_offline_replay, .timeout = 300)
{
	static char json[PER_BATCH * 400 + 512];
	static double per_event[BATCHES];
	char dir[] = "/tmp/buurtbot-bench-XXXXXX", path[300], err[512], cmd[300];
	static const char *const admins[] = { "@admin:localhost" };
	volatile sig_atomic_t stop = 0;
	bot_config cfg;
	bot_daemon d;
	int64_t written = 0;
	int b;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	cr_assert_eq(bot_store_open(&d.store, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	d.cfg = &cfg;
	d.stop = &stop;
	d.user_id = "@bot:localhost";
	d.pol.bot_user_id = d.user_id;
	d.pol.admins = admins;
	d.pol.n_admins = 1;

	for (b = 0; b < BATCHES; b++) {
		size_t len = make_batch(json, sizeof json, b);
		mx_sync_batch *batch = NULL;
		mx_error perr;
		double t0 = cpu_us();

		cr_assert_eq(mx_sync_parse_bytes(&batch, json, len, &perr), MX_OK, "%s", perr.message);
		cr_assert_eq(bot_process_batch(&d, batch, NULL, 0), 0);
		per_event[b] = (cpu_us() - t0) / PER_BATCH;
		mx_sync_batch_free(batch);
	}
	qsort(per_event, BATCHES, sizeof per_event[0], cmp_double);
	printf("\nbench_replay: %d batches of %d events (parse + decide + store, one transaction each)\n",
	       BATCHES, PER_BATCH);
	printf("  CPU per event  median %.1f us  p95 %.1f us   (target median < 50 us)\n",
	       per_event[BATCHES / 2], per_event[BATCHES * 95 / 100]);
	cr_assert_eq(bot_store_outbox_count(d.store, "pending", &written), BOT_STORE_OK);
	printf("  outbox items written: %lld\n", (long long)written);
	fflush(stdout);
	bot_store_close(d.store);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
