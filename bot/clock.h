/* clock.h: the bot's one clock. The loop reads it once per batch
 * (bot_daemon_tick in daemon.h) into d->now and the store's time;
 * everything below takes that value and never reads the time of day
 * itself, so a test can move the clock a day (the model: SQLite's
 * sqlite3OsCurrentTimeInt64 behind its VFS, which its tests replace). */
#ifndef BOT_CLOCK_H
#define BOT_CLOCK_H

typedef struct bot_clock {
	/* Milliseconds since the epoch (UTC). */
	long long (*now_ms)(const struct bot_clock *c);
	const void *ctx;     /* the implementation's, borrowed */
} bot_clock;

/* TEST ONLY: names a file holding an offset in seconds that the daemon's
 * clock adds to the real time (see bot_clock_choose). */
#define BOT_TEST_CLOCK_ENV "BUURTBOT_TEST_CLOCK_FILE"

/* The machine's clock (CLOCK_REALTIME). */
bot_clock bot_clock_system(void);
/* A clock that says *t_ms, for unit tests: they move it by changing
 * *t_ms (borrowed, must outlive the clock). */
bot_clock bot_clock_fixed(const long long *t_ms);
/* TEST ONLY: the machine's clock plus the offset in seconds written in
 * the file at path (a decimal integer, may be negative), read again at
 * every call; a missing, unreadable or malformed file counts as 0. path
 * is borrowed. */
bot_clock bot_clock_offset_file(const char *path);
/* The daemon's clock, chosen once at start-up: the machine's, or with
 * BUURTBOT_TEST_CLOCK_FILE set (integration tests only), the offset file
 * it names, which the bot then says with a warning in its log. */
bot_clock bot_clock_choose(void);

/* What c says now, in milliseconds since the epoch. */
long long bot_clock_now_ms(const bot_clock *c);

#endif
