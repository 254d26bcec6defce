/* outbox.h: what the outbox does with a homeserver's refusal. Most
 * refusals are final (the bot was kicked, the user is banned). One is not:
 * over federation the bot's join to a room on another homeserver can
 * arrive there before that homeserver stored the invite that allows it
 * ("You are not invited to this room"), and an invite can race the same
 * way. Such a join or invite is tried again with backoff for a while
 * before it is given up. bot_outbox_flush itself is in daemon.h. */
#ifndef BOT_OUTBOX_H
#define BOT_OUTBOX_H

#include "store.h"

/* How long after its first refusal a join or invite is still tried. */
#define BOT_OUTBOX_RETRY_WINDOW_MS 120000L
/* The most refusals of one item, whatever the time (restarts included). */
#define BOT_OUTBOX_RETRY_MAX_TRIES 12
/* Waits up to this long are taken at once, holding the outbox; longer
 * ones let the other rooms' items go first and come back on a later pass. */
#define BOT_OUTBOX_RETRY_INLINE_MS 2000L

/* How long one flush sends before it lets the loop sync (and decide new
 * commands) when only items below high priority are left. */
#define BOT_OUTBOX_SLICE_MS 1000L

/* The wait in milliseconds before a refused action is tried again, or -1
 * when the refusal is final. kind, errcode and message are what was
 * refused and the homeserver's answer; since_first_ms is the time since
 * this item's first refusal (0 at the first); tries counts its refusals,
 * this one included. Backoff 1, 2, 4, ... 30 s, within
 * BOT_OUTBOX_RETRY_WINDOW_MS and BOT_OUTBOX_RETRY_MAX_TRIES. */
long bot_outbox_retry_ms(bot_outbox_kind kind, const char *errcode, const char *message,
			 long since_first_ms, int tries);

#endif
