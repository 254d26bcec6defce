/* health.c: see health.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "clock.h"
#include "daemon.h"
#include "health.h"
#include "log.h"
#include "metrics.h"

/* A busy bot syncs many times a second: the file is rewritten at most
 * this often (seconds of the bot's clock); far below any sane limit. */
#define HEALTH_WRITE_EVERY_S 5

static long long written_at;   /* d->now last written; loop thread only */

static int health_path(const char *data_dir, const char *suffix, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s%s", data_dir, BOT_HEALTH_FILE, suffix);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Writes "<last sync s> <pid>" atomically (a reader never sees half). */
static int record(const char *data_dir, long long now_s)
{
	char path[BOT_CONFIG_STR_MAX + 32], tmp[BOT_CONFIG_STR_MAX + 32];
	FILE *f;
	int ok;

	if (health_path(data_dir, "", path, sizeof path) != 0 || health_path(data_dir, ".tmp", tmp, sizeof tmp) != 0)
		return -1;
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	ok = fprintf(f, "%lld %ld\n", now_s, (long)getpid()) > 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

void bot_health_starting(const char *data_dir)
{
	char path[BOT_CONFIG_STR_MAX + 32];

	if (health_path(data_dir, "", path, sizeof path) == 0 && unlink(path) != 0 && errno != ENOENT)
		LOG_WARN("cannot remove the health file %s: %s", path, strerror(errno));
	written_at = 0;
}

void bot_health_synced(bot_daemon *d)
{
	bot_metrics_synced(d);
	if (written_at && d->now >= written_at && d->now - written_at < HEALTH_WRITE_EVERY_S)
		return;
	if (record(d->cfg->data_dir, d->now) != 0) {
		/* Said once per failure streak: the healthcheck will say the rest. */
		if (written_at >= 0)
			LOG_WARN("cannot write the health file in %s: %s", d->cfg->data_dir, strerror(errno));
		written_at = -1;
		return;
	}
	written_at = d->now;
}

int bot_health_judge(const char *data_dir, long long now_s, long stale_s, char *why, size_t whysize)
{
	char path[BOT_CONFIG_STR_MAX + 32], line[64];
	long long last = 0;
	FILE *f;

	if (health_path(data_dir, "", path, sizeof path) != 0) {
		snprintf(why, whysize, "data_dir is too long");
		return 1;
	}
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			snprintf(why, whysize, "no successful sync recorded yet (%s missing): starting, or not running", path);
		else
			snprintf(why, whysize, "cannot read %s: %s", path, strerror(errno));
		return 1;
	}
	if (!fgets(line, sizeof line, f) || sscanf(line, "%lld", &last) != 1 || last <= 0) {
		fclose(f);
		snprintf(why, whysize, "%s is unreadable or empty", path);
		return 1;
	}
	fclose(f);
	if (now_s - last > stale_s) {
		snprintf(why, whysize, "last successful sync %lld s ago (limit %ld s): the homeserver is unreachable "
			 "or the bot is stuck; see its log", now_s - last, stale_s);
		return 1;
	}
	snprintf(why, whysize, "ok: last successful sync %lld s ago", now_s > last ? now_s - last : 0);
	return 0;
}

int bot_health_check(const bot_config *cfg)
{
	bot_clock clock = bot_clock_choose();
	char why[BOT_CONFIG_STR_MAX + 256];
	int rc = bot_health_judge(cfg->data_dir, bot_clock_now_ms(&clock) / 1000, cfg->health_stale_minutes * 60,
				  why, sizeof why);

	if (rc != 0)
		fprintf(stderr, "buurtbot: unhealthy: %s\n", why);
	else
		printf("buurtbot: %s\n", why);
	return rc;
}
