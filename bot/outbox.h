/* outbox.h: what the outbox does with a homeserver's refusal. Most
 * refusals are final (the bot was kicked, the user is banned). One is not:
 * over federation the bot's join to a room on another homeserver can
 * arrive there before that homeserver stored the invite that allows it
 * ("You are not invited to this room"), and an invite can race the same
 * way. Such a join or invite is tried again with backoff for a while
 * before it is given up. A membership change that needs another
 * homeserver that is down is deferred (below). bot_outbox_flush itself is
 * in daemon.h. */
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

/* How long one flush (or, in the loop, one pass of the pump over what is
 * not a message: messages travel by themselves) carries out items before
 * it lets the loop decide new commands, when only items below high
 * priority are left. */
#define BOT_OUTBOX_SLICE_MS 1000L

/* A copy of an approved melding (txn id "fwd:...") goes out before the
 * other messages owed at that moment: they wait while a copy is on its
 * way and until the homeserver delivered it (the bot's own sync shows
 * it), at most this long after it was sent. The homeserver makes, stores
 * and delivers one event at a time anyway (Synapse: one Python process;
 * with SQLite one database connection), so a confirmation sent beside the
 * copy only delays the copy and is itself accepted no sooner. Copies
 * coming one after another hold the other messages for this long in all,
 * not for as long as they keep coming: past it they go beside the copies
 * until no copy is pending. */
#define BOT_OUTBOX_COPY_FIRST_MS 2000L

/* Membership changes can need another homeserver: an invite asks the
 * invitee's, a join the room's (a direct chat a resident of another
 * homeserver opened). When that homeserver is down ours answers 5xx
 * ("Can't connect to server"). Such an item is deferred: it stays
 * pending and is tried again after BOT_OUTBOX_DEFER_FIRST_MS, doubling up
 * to BOT_OUTBOX_DEFER_MAX_MS, for BOT_OUTBOX_DEFER_WINDOW_MS, and then
 * given up. A deferred invite holds up nothing else in its room (a later
 * kick or ban of the same user there drops it); a deferred join (or
 * leave, kick, ban, direct chat) holds up its own room, never the others
 * (bot_store_outbox_next_ready). The calls themselves are made with
 * BOT_OUTBOX_MEMBERSHIP_ATTEMPTS try, not retried in the client, so such
 * an answer comes back at once instead of holding the whole bot (and a
 * homeserver that keeps us waiting costs one request timeout per try). */
#define BOT_OUTBOX_DEFER_FIRST_MS 10000L
#define BOT_OUTBOX_DEFER_MAX_MS 300000L
#define BOT_OUTBOX_DEFER_WINDOW_MS (24L * 3600 * 1000)
/* The most deferrals of one item, whatever the clock does. */
#define BOT_OUTBOX_DEFER_MAX_TRIES 400
#define BOT_OUTBOX_MEMBERSHIP_ATTEMPTS 1

/* Whether an item of this kind that failed with status (an mx_status) is
 * deferred: a membership change (join, leave, invite, kick, ban, a new
 * direct chat) that got a server error, timed out or was rate-limited.
 * Anything else that fails that way (a message: our own homeserver is in
 * trouble) keeps the outbox waiting, as before; so does our homeserver
 * being unreachable. */
int bot_outbox_deferrable(bot_outbox_kind kind, int status);

/* The wait in milliseconds before a deferred item is tried again, or -1
 * to give up. since_first_ms is the time since its first deferral (0 at
 * the first; a clock that went back counts as 0); defers counts its
 * deferrals, this one included. 10 s, 20 s, 40 s, ... 5 min; the last try
 * at the end of BOT_OUTBOX_DEFER_WINDOW_MS. */
long bot_outbox_defer_ms(long long since_first_ms, int defers);

/* The wait in milliseconds before a refused action is tried again, or -1
 * when the refusal is final. kind, errcode and message are what was
 * refused and the homeserver's answer; since_first_ms is the time since
 * this item's first refusal (0 at the first); tries counts its refusals,
 * this one included. Backoff 1, 2, 4, ... 30 s, within
 * BOT_OUTBOX_RETRY_WINDOW_MS and BOT_OUTBOX_RETRY_MAX_TRIES. */
long bot_outbox_retry_ms(bot_outbox_kind kind, const char *errcode, const char *message,
			 long since_first_ms, int tries);

#endif
