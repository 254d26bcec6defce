/* store.h: the daemon's memory in SQLite: where sync stopped, which events
 * were handled, the outbox of actions still to carry out, and the session.
 * WAL, foreign keys, versioned migrations (each one all or nothing).
 * Functions return BOT_STORE_OK (0) or a negative code with a message
 * readable through bot_store_errmsg(). */
#ifndef BOT_STORE_H
#define BOT_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct bot_store bot_store;

enum {
	BOT_STORE_OK = 0,
	BOT_STORE_ERR = -1,        /* SQLite failed: disk full, read-only, corrupt, ... */
	BOT_STORE_NOT_FOUND = -2,
	BOT_STORE_TOO_NEW = -3,    /* database made by a newer buurtbot */
};

/* Opens (creating when missing, mode 0600) and migrates the database at
 * path. On failure *out is NULL and errbuf says why. */
int bot_store_open(bot_store **out, const char *path, char *errbuf, size_t errsize);
void bot_store_close(bot_store *s);
const char *bot_store_errmsg(const bot_store *s);
/* How many statements have failed since the store was opened. A caller
 * that cannot see a failure through a function's result (a fact read for
 * the rules that answers 0 when the read failed) compares it before and
 * after. */
unsigned long bot_store_failures(const bot_store *s);
int bot_store_schema_version(bot_store *s);

/* Migrations as a list, exposed for tests: upgrading to `target` only. */
int bot_store_open_at_version(bot_store **out, const char *path, int target,
			      char *errbuf, size_t errsize);
int bot_store_latest_version(void);

/* Fault injection for tests: caps the database at its current size, so
 * the next write that needs a new page fails as on a full disk. */
int bot_store_simulate_full_disk(bot_store *s);

/* The store's time, in milliseconds since the epoch: the times it writes
 * (sent, held, joined, ...) and the :now of its statements (store_int.h)
 * read it. The daemon sets it once per batch (bot_daemon_tick); 0 until
 * set. */
void bot_store_set_now(bot_store *s, long long now_ms);

int bot_store_begin(bot_store *s);
int bot_store_commit(bot_store *s);
void bot_store_rollback(bot_store *s);

/* Small key-value state (sync token, device id, access token).
 * get: *out malloc'ed, BOT_STORE_NOT_FOUND when absent. */
int bot_store_kv_get(bot_store *s, const char *key, char **out);
int bot_store_kv_set(bot_store *s, const char *key, const char *value);
int bot_store_kv_delete(bot_store *s, const char *key);

/* The processed-event ledger. seen: 1 yes, 0 no, <0 error. */
int bot_store_event_seen(bot_store *s, const char *key);
int bot_store_event_mark(bot_store *s, const char *key, const char *room_id);
int bot_store_event_forget(bot_store *s, const char *key);

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
 * deciding the same event twice must not act twice. */
int bot_store_outbox_add(bot_store *s, bot_outbox_kind kind, const char *txn_id,
			 const char *room_id, const char *event_type, const char *content);
/* Sets the priority of the items added from now on (BOT_PRIO_NORMAL
 * when the store is opened); returns the one it replaces. */
bot_outbox_prio bot_store_outbox_priority(bot_store *s, bot_outbox_prio prio);
/* The oldest pending item with id > after_id; BOT_STORE_NOT_FOUND when none. */
int bot_store_outbox_next(bot_store *s, int64_t after_id, bot_outbox_item *out);
/* The pending item to send next after the one at (after_prio, after_id) in
 * the send order: by priority, then age, skipping items that must wait for
 * an earlier one of their room (the rule is at its definition). From the
 * start: after_prio -1. BOT_STORE_NOT_FOUND when none. */
int bot_store_outbox_next_ready(bot_store *s, int after_prio, int64_t after_id, bot_outbox_item *out);
/* Both drop the item's content: a finished item keeps only its txn id,
 * room, kind, state, result event id and times. */
int bot_store_outbox_mark_sent(bot_store *s, int64_t id, const char *result_event_id);
int bot_store_outbox_mark_failed(bot_store *s, int64_t id, const char *reason);
/* Notes that the message of outbox item txn_id names user_id (their name
 * or phone number), so that forgetting them can take it back. */
int bot_store_outbox_names(bot_store *s, const char *txn_id, const char *user_id);
/* Forgetting user_id: calls cb with the room and event id of every sent
 * message that named them (cb queues its redaction; nonzero is an error),
 * cancels those not sent yet, and drops the links. */
int bot_store_outbox_named_take(bot_store *s, const char *user_id,
				int (*cb)(void *ctx, const char *room_id, const char *event_id), void *ctx);
int bot_store_outbox_note_attempt(bot_store *s, int64_t id, const char *reason);
/* Defers a pending item until until_s (the store's time, in seconds):
 * next_ready does not return it before then, and a deferred invite no
 * longer holds up its room (see next_ready). Counts the attempt and the
 * deferral, keeps reason, and notes the time of the first deferral. */
int bot_store_outbox_defer(bot_store *s, int64_t id, long long until_s, const char *reason);
/* Gives up the deferred invites of user_id into room_id older than
 * before_id (a kick or ban of them supersedes those). Returns how many,
 * or BOT_STORE_ERR. */
int bot_store_outbox_drop_deferred_invites(bot_store *s, const char *room_id, const char *user_id,
					   int64_t before_id);
/* Counts items in a state ("pending", "sent", "failed"); <0 on error. */
int64_t bot_store_outbox_count(bot_store *s, const char *state);

/* The encryption domain (crypto state, held events) is declared in
 * store_crypto.h, included here for the callers that have store.h. */

/* Room ids of the structure's rooms, by room key ("wijkgroep:<id>", ...). */
int bot_store_room_get(bot_store *s, const char *key, char **out);
/* version: the room's version, or NULL to keep the one known. */
int bot_store_room_set(bot_store *s, const char *key, const char *room_id, const char *version);
/* BOT_STORE_NOT_FOUND when the room or its version is not known. */
int bot_store_room_version_get(bot_store *s, const char *key, char **out);
/* Calls cb for every structure room (version may be NULL) until it
 * returns non-zero. */
int bot_store_rooms_each(bot_store *s, int (*cb)(void *ctx, const char *key, const char *room_id,
						  const char *version), void *ctx);
/* The structure key of a room id; BOT_STORE_NOT_FOUND for other rooms. */
int bot_store_room_key_of(bot_store *s, const char *room_id, char **out);

/* The audit log: every command given, allowed or refused, with the reason. */
int bot_store_audit_add(bot_store *s, const char *sender, const char *room_id, const char *command,
			int allowed, const char *reason);

/* Room membership as seen in sync ("join", "invite", "leave", "ban",
 * "knock"). count: members in that state, not counting except_user. */
int bot_store_member_set(bot_store *s, const char *room_id, const char *user_id, const char *membership);
int64_t bot_store_member_count(bot_store *s, const char *room_id, const char *membership,
			       const char *except_user);

/* The users in that state, sorted; free with bot_store_list_free. */
int bot_store_member_list(bot_store *s, const char *room_id, const char *membership,
			  const char *except_user, char ***out, size_t *n);
void bot_store_list_free(char **list, size_t n);
/* The structure key of the wijkgroep user is joined or invited in. */
int bot_store_wijkgroep_of(bot_store *s, const char *user_id, char *buf, size_t size);

/* Rooms the bot joined as a direct chat (the invite said is_direct). */
int bot_store_direct_add(bot_store *s, const char *room_id, const char *user_id);
int bot_store_direct_is(bot_store *s, const char *room_id);
/* The user a direct chat is with (*out malloc'ed), or the newest direct
 * chat with a user; BOT_STORE_NOT_FOUND when none. */
int bot_store_direct_user(bot_store *s, const char *room_id, char **out);
int bot_store_direct_room_of(bot_store *s, const char *user_id, char **out);

#include "store_crypto.h"

#endif
