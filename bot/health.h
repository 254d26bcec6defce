/* health.h: is the bot alive and syncing? The running bot records the
 * time of its last successful sync in a small file in data_dir
 * (BOT_HEALTH_FILE); `buurtbot --health` (a container's healthcheck)
 * reads it and says whether it is recent. A file, not the store: the
 * check never waits on the bot's database nor migrates it. */
#ifndef BOT_HEALTH_H
#define BOT_HEALTH_H

#include "config.h"

struct bot_daemon;

#define BOT_HEALTH_FILE "health"

/* At start-up: forgets the last run's sync, so that --health says
 * "starting" until this run has synced. */
void bot_health_starting(const char *data_dir);

/* After a stored sync batch (the loop calls it): records d->now as the
 * last successful sync (the file is rewritten at most every few seconds)
 * and lets the metrics catch up (bot_metrics_update). */
void bot_health_synced(struct bot_daemon *d);

/* `--health`: 0 when the last successful sync recorded in cfg's data_dir
 * is at most health_stale_minutes old by the bot's clock (the test clock
 * too, see clock.h); otherwise prints one line saying why on stderr and
 * returns 1. */
int bot_health_check(const bot_config *cfg);

/* The verdict alone, for tests: 0 healthy, 1 not, with the reason in why. */
int bot_health_judge(const char *data_dir, long long now_s, long stale_s, char *why, size_t whysize);

#endif
