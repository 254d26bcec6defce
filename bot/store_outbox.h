/* store_outbox.h: the store's outbox domain: the actions still to carry
 * out (messages, joins, invites, ...), in the order they may be sent, and
 * which sent messages named a resident. The error convention is store.h's:
 * a BOT_STORE_ status, results through the parameters at the end. */
#ifndef BOT_STORE_OUTBOX_H
#define BOT_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

typedef struct bot_store bot_store;

typedef enum bot_outbox_kind {
	BOT_OUT_SEND = 0,   /* event_type + content into room_id, with txn_id */
	BOT_OUT_JOIN = 1,
	BOT_OUT_LEAVE = 2,
	BOT_OUT_INVITE = 3, /* content: the user id to invite into room_id */
	BOT_OUT_BAN = 4,    /* content: {"user": ..., "reason": ...} */
	BOT_OUT_KICK = 5,   /* content: {"user": ..., "reason": ...} */
	BOT_OUT_DM = 6,     /* content: {"user": ...}: open a direct chat with user
			     * (encrypted), unless the bot has one already */
	BOT_OUT_REDACT = 7, /* content: {"event": ..., "reason": ...} in room_id */
} bot_outbox_kind;

/* Which pending items go first (bot_store_outbox_next_ready). */
typedef enum bot_outbox_prio {
	BOT_PRIO_HIGH = 0,    /* what the stuurgroep waits for: answers to commands,
			       * approvals (the copies and their confirmations) */
	BOT_PRIO_NORMAL = 1,  /* answers to meldingen, private words, sign-up talk */
	BOT_PRIO_LOW = 2,     /* bulk notices: floods, reminders, "another casus open" */
} bot_outbox_prio;

/* One item; its strings belong to whoever holds it: bot_outbox_item_clear
 * frees them (and accepts an item that was zeroed or already cleared). */
typedef struct bot_outbox_item {
	int64_t id;
	bot_outbox_kind kind;
	bot_outbox_prio prio;
	char *txn_id;
	char *room_id;
	char *event_type;   /* NULL unless SEND */
	char *content;      /* JSON text, NULL unless SEND */
	int attempts;
	int defers;         /* times deferred (bot_store_outbox_defer) */
	long long deferred_since;  /* the store's time (s) of its first deferral, 0 if none */
} bot_outbox_item;

void bot_outbox_item_clear(bot_outbox_item *it);

/* Adds an action. A txn_id already in the outbox is ignored (returns OK):
 * deciding the same event twice must not act twice. On error nothing is
 * added. */
int bot_store_outbox_add(bot_store *s, bot_outbox_kind kind, const char *txn_id,
			 const char *room_id, const char *event_type, const char *content);
/* The same for a top-level message that needs not wait for the room's
 * other top-level messages, only for those of its own lane (a name of the
 * caller's choosing, not starting with "$", such as one casus's copies);
 * the room's other top-level messages still wait for it. A message in a
 * thread keeps the thread's lane whatever is given. */
int bot_store_outbox_add_in_lane(bot_store *s, bot_outbox_kind kind, const char *txn_id, const char *room_id,
				 const char *event_type, const char *content, const char *lane);
/* Sets the priority of the items added from now on (BOT_PRIO_NORMAL
 * when the store is opened). Cannot fail: returns the one it replaces
 * (the one exception to the status convention: a setter of memory). */
bot_outbox_prio bot_store_outbox_priority(bot_store *s, bot_outbox_prio prio);
/* The oldest pending item with id > after_id into *out (the caller
 * clears it); BOT_STORE_NOT_FOUND when none. On error or NOT_FOUND *out
 * is zeroed, holding nothing. */
int bot_store_outbox_next(bot_store *s, int64_t after_id, bot_outbox_item *out);
/* The pending item to send next after the one at (after_prio, after_id) in
 * the send order: by priority, then age, skipping items that must wait for
 * an earlier one of their room (the rule is at its definition). From the
 * start: after_prio -1. BOT_STORE_NOT_FOUND when none; *out as for
 * bot_store_outbox_next. */
int bot_store_outbox_next_ready(bot_store *s, int after_prio, int64_t after_id, bot_outbox_item *out);
/* Both drop the item's content: a finished item keeps only its txn id,
 * room, kind, state, result event id and times. On error the item stays
 * as it was. */
int bot_store_outbox_mark_sent(bot_store *s, int64_t id, const char *result_event_id);
int bot_store_outbox_mark_failed(bot_store *s, int64_t id, const char *reason);
/* Notes that the message of outbox item txn_id names user_id (their name
 * or phone number), so that forgetting them can take it back. On error
 * nothing is noted. */
int bot_store_outbox_names(bot_store *s, const char *txn_id, const char *user_id);
/* Forgetting user_id: calls cb with the room and event id of every sent
 * message that named them (cb queues its redaction; nonzero is an error),
 * cancels those not sent yet, and drops the links. BOT_STORE_ERR when a
 * read, a write or cb failed: then the caller rolls back (some may be
 * done). */
int bot_store_outbox_named_take(bot_store *s, const char *user_id,
				int (*cb)(void *ctx, const char *room_id, const char *event_id), void *ctx);
/* Counts a failed attempt and keeps reason. On error nothing changes. */
int bot_store_outbox_note_attempt(bot_store *s, int64_t id, const char *reason);
/* Defers a pending item until until_s (the store's time, in seconds):
 * next_ready does not return it before then, and a deferred invite no
 * longer holds up its room (see next_ready). Counts the attempt and the
 * deferral, keeps reason, and notes the time of the first deferral. On
 * error nothing changes. */
int bot_store_outbox_defer(bot_store *s, int64_t id, long long until_s, const char *reason);
/* Gives up the deferred invites of user_id into room_id older than
 * before_id (a kick or ban of them supersedes those); *dropped: how many
 * (0 on error, when none is given up). */
int bot_store_outbox_drop_deferred_invites(bot_store *s, const char *room_id, const char *user_id,
					   int64_t before_id, size_t *dropped);
/* How many items are in a state ("pending", "sent", "failed") into
 * *count; on error BOT_STORE_ERR and *count is 0 (never read it then). */
int bot_store_outbox_count(bot_store *s, const char *state, int64_t *count);
/* The forwards (copies queued: "fwd:" txn ids) among the items after
 * after_id: how many into *count, the highest id into *last_id (after_id
 * when none). On error BOT_STORE_ERR and both 0 (never read them then). */
int bot_store_outbox_forwards_since(bot_store *s, int64_t after_id, int64_t *count, int64_t *last_id);

#endif
