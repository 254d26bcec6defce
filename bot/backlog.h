/* backlog.h: the events a sync left out. When more happened in a room
 * than one sync returns, the timeline is "limited" and has a gap before
 * it; the backlog pages back through /messages to the last event the bot
 * handled and returns what lies in between, oldest first. */
#ifndef BOT_BACKLOG_H
#define BOT_BACKLOG_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "matrix/mx_sync.h"

struct bot_daemon;

typedef struct bot_backlog {
	mx_event *events;     /* oldest first; borrow from pages */
	size_t n;
	cJSON **pages;        /* owned /messages responses and decrypted events */
	size_t n_pages;
	char **released;      /* held events released into events (owned ids) */
	size_t n_released;
} bot_backlog;

/* Most pages fetched per room and batch; older events in a longer gap are
 * reported in the log and left unanswered. */
#define BOT_BACKLOG_PAGE_SIZE 100
#define BOT_BACKLOG_MAX_PAGES 20

/* Fills *out for every gap in b. Returns MX_OK, or the mx_status of a
 * failed request (out is then empty; the caller retries the batch). */
int bot_backlog_fetch(struct bot_daemon *d, const mx_sync_batch *b, bot_backlog *out);
void bot_backlog_clear(bot_backlog *bl);
/* Takes ownership of page (also on failure). 0 ok, -1 out of memory. */
int bot_backlog_keep(bot_backlog *bl, cJSON *page);
/* Appends a copy of ev (which must borrow from a kept page). */
int bot_backlog_append(bot_backlog *bl, const mx_event *ev);

#endif
