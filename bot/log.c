/* log.c: one line per message on stderr: time, level, text. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "log.h"

bot_log_level bot_log_threshold = BOT_LOG_INFO;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

/* The whole line goes out in one write: stderr is unbuffered, and a
 * container engine's log (docker compose logs) would otherwise get the
 * stamp, the text and the newline as separate records, interleaved. */
void bot_log_write(bot_log_level level, const char *fmt, ...)
{
	char line[4096], *big = NULL, *out = line;
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int head, n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	head = (int)strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
	head += snprintf(line + head, sizeof line - (size_t)head, ".%03ldZ %-5s ", ts.tv_nsec / 1000000L,
			 level_names[level]);
	va_start(ap, fmt);
	n = vsnprintf(line + head, sizeof line - (size_t)head, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)head + (size_t)n + 2 > sizeof line && (big = malloc((size_t)head + (size_t)n + 2)) != NULL) {
		memcpy(big, line, (size_t)head);
		va_start(ap, fmt);
		vsnprintf(big + head, (size_t)n + 1, fmt, ap);
		va_end(ap);
		out = big;
	} else if ((size_t)head + (size_t)n + 2 > sizeof line) {
		n = (int)(sizeof line - (size_t)head - 2);   /* no memory: the line cut short */
	}
	out[head + n] = '\n';
	fwrite(out, 1, (size_t)head + (size_t)n + 1, stderr);
	free(big);
}

int bot_log_level_parse(const char *name, bot_log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (bot_log_level)i;
			return 0;
		}
	}
	return -1;
}

char *bot_log_escape(const char *s, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!s)
		s = "(null)";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[4];
		size_t n = 0;

		if (c == '\n') { tmp[0] = '\\'; tmp[1] = 'n'; n = 2; }
		else if (c == '\t') { tmp[0] = '\\'; tmp[1] = 't'; n = 2; }
		else if (c == '"' || c == '\\') { tmp[0] = '\\'; tmp[1] = (char)c; n = 2; }
		else if (c < 0x20 || c >= 0x7f) {
			tmp[0] = '\\'; tmp[1] = 'x'; tmp[2] = hex[c >> 4]; tmp[3] = hex[c & 15]; n = 4;
		} else { tmp[0] = (char)c; n = 1; }
		if (o + n + 4 > size) {  /* room for "..." and NUL */
			if (size >= 4) {
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}
