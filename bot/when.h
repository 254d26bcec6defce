/* when.h: times as residents and the stuurgroep read them, in the
 * machine's local time zone ("28-11-2026", "14:32"). */
#ifndef BOT_WHEN_H
#define BOT_WHEN_H

#include <stddef.h>

void bot_when_date(long long unix_s, char *buf, size_t size);
void bot_when_time(long long unix_s, char *buf, size_t size);

#endif
