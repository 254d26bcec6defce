/* when.c: see when.h. */
#include <stdio.h>
#include <time.h>
#include "when.h"

static int local(long long unix_s, struct tm *tm)
{
	time_t t = (time_t)unix_s;

	return localtime_r(&t, tm) != NULL;
}

void bot_when_date(long long unix_s, char *buf, size_t size)
{
	struct tm tm;

	if (!local(unix_s, &tm) || strftime(buf, size, "%d-%m-%Y", &tm) == 0)
		snprintf(buf, size, "?");
}

void bot_when_time(long long unix_s, char *buf, size_t size)
{
	struct tm tm;

	if (!local(unix_s, &tm) || strftime(buf, size, "%H:%M", &tm) == 0)
		snprintf(buf, size, "?");
}
