/* log.h: levelled logging to stderr. BOT_LOG does not evaluate its
 * arguments below the current level. Anything that came from a user goes
 * through bot_log_escape first; tokens and passwords are never passed in. */
#ifndef BOT_LOG_H
#define BOT_LOG_H

#include <stddef.h>

typedef enum bot_log_level {
	BOT_LOG_ERROR = 0,
	BOT_LOG_WARN = 1,
	BOT_LOG_INFO = 2,
	BOT_LOG_DEBUG = 3,
} bot_log_level;

extern bot_log_level bot_log_threshold;

#define BOT_LOG(level, ...) do { \
	if ((level) <= bot_log_threshold) \
		bot_log_write((level), __VA_ARGS__); \
} while (0)
#define LOG_ERROR(...) BOT_LOG(BOT_LOG_ERROR, __VA_ARGS__)
#define LOG_WARN(...)  BOT_LOG(BOT_LOG_WARN, __VA_ARGS__)
#define LOG_INFO(...)  BOT_LOG(BOT_LOG_INFO, __VA_ARGS__)
#define LOG_DEBUG(...) BOT_LOG(BOT_LOG_DEBUG, __VA_ARGS__)

void bot_log_write(bot_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parses "error", "warn", "info", "debug"; 0 ok, -1 unknown. */
int bot_log_level_parse(const char *name, bot_log_level *out);

/* Copies s into buf (size > 0) with control characters, quotes and
 * backslashes escaped and non-ASCII kept as \xNN, truncated with "..."
 * when too long. Returns buf. s may be NULL ("(null)"). */
char *bot_log_escape(const char *s, char *buf, size_t size);

#endif
