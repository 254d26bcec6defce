/* clock.c: see clock.h. The one place the bot asks the machine for the
 * time of day (the log's timestamps aside: they tell the real time). */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "clock.h"
#include "daemon.h"
#include "log.h"

/* A test moves the clock by years at most; anything larger is a typo. */
#define OFFSET_MAX_S (100LL * 366 * 86400)

static long long real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long system_now(const bot_clock *c)
{
	(void)c;
	return real_ms();
}

static long long fixed_now(const bot_clock *c)
{
	return *(const long long *)c->ctx;
}

/* The offset in the file, in seconds; 0 when there is none to read. */
static long long read_offset(const char *path)
{
	char buf[32], *end = NULL;
	FILE *f = fopen(path, "r");
	size_t n = 0;
	long long v;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || end == buf || v > OFFSET_MAX_S || v < -OFFSET_MAX_S)
		return 0;
	return v;
}

static long long offset_now(const bot_clock *c)
{
	return real_ms() + read_offset(c->ctx) * 1000;
}

bot_clock bot_clock_system(void)
{
	bot_clock c = { system_now, NULL };
	return c;
}

bot_clock bot_clock_fixed(const long long *t_ms)
{
	bot_clock c = { fixed_now, t_ms };
	return c;
}

bot_clock bot_clock_offset_file(const char *path)
{
	bot_clock c = { offset_now, path };
	return c;
}

bot_clock bot_clock_choose(void)
{
	const char *path = getenv(BOT_TEST_CLOCK_ENV);
	char esc[300];

	if (!path || !*path)
		return bot_clock_system();
	LOG_WARN("%s is set: the clock is moved by the offset in %s (for tests only, never in production)",
		 BOT_TEST_CLOCK_ENV, bot_log_escape(path, esc, sizeof esc));
	return bot_clock_offset_file(path);
}

long long bot_clock_now_ms(const bot_clock *c)
{
	assert(c && c->now_ms);
	return c->now_ms(c);
}

void bot_daemon_tick(bot_daemon *d)
{
	long long ms = bot_clock_now_ms(&d->clock);

	d->now = ms / 1000;
	if (d->store)
		bot_store_set_now(d->store, ms);
}
