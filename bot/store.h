/* store.h: the daemon's memory in SQLite: where sync stopped, which events
 * were handled, the outbox of actions still to carry out, and the session.
 * WAL, foreign keys, versioned migrations (each one all or nothing).
 * Each domain has its own small interface: store_outbox.h, store_crypto.h,
 * store_casus.h, registry.h, signup_store.h, store_web.h, store_stats.c's
 * functions in stats.h.
 *
 * The convention, for every function of the store (store*.c, registry.c,
 * signup_store.c):
 * - It returns an int status: BOT_STORE_OK (0), BOT_STORE_NOT_FOUND (the
 *   thing asked for is not there: a normal answer, not a failure),
 *   BOT_STORE_ERR (SQLite failed, or memory ran out: the message is in
 *   bot_store_errmsg() and the failure is counted, bot_store_failures),
 *   BOT_STORE_TOO_NEW (only when opening).
 * - Results come out through the output parameters placed last (a count
 *   too: never "returns a count, negative on error"). Last, not first as
 *   STYLE.md's libgit2 example has it: the store handle leads every call
 *   as SQLite's own API does, then what is asked, then what comes back;
 *   one position for all of them is what matters. They are set on
 *   every path: on anything but BOT_STORE_OK they hold nothing to free
 *   and a neutral value (NULL, 0) that the caller must not read as an
 *   answer: a read that failed is never "0" or "absent".
 * - What comes back through a pointer to a pointer is malloc'ed and the
 *   caller's: free() for strings, the named _free or _clear function for
 *   lists and structs (each accepts what is empty or NULL).
 * - A write that fails changes nothing it did not say; inside the batch's
 *   transaction the caller rolls back.
 * - Each function's comment says what its statuses mean where it is not
 *   only this (NOT_FOUND when, what is left on error).
 * The exceptions, documented where they are: bot_store_open (there is no
 * store yet to hold the message: *out first, and an error buffer);
 * what cannot fail (bot_store_close, _errmsg, _failures, _set_now,
 * _rollback, bot_store_outbox_priority); bot_store_schema_version (-1
 * when unreadable); bot_store_wijkgroep_of's caller-sized buffer. */
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
 * path. On failure (BOT_STORE_ERR, or BOT_STORE_TOO_NEW for a database of
 * a newer buurtbot) *out is NULL and errbuf says why. */
int bot_store_open(bot_store **out, const char *path, char *errbuf, size_t errsize);
/* Closes s; NULL is fine. */
void bot_store_close(bot_store *s);
/* The message of the last failure (borrowed, valid until the next one). */
const char *bot_store_errmsg(const bot_store *s);
/* How many statements have failed since the store was opened. A caller
 * that cannot see a failure through a function's result (a fact read for
 * the rules that answers 0 when the read failed) compares it before and
 * after. */
unsigned long bot_store_failures(const bot_store *s);
/* Records that memory ran out while doing what (for the store or for a
 * caller preparing what it writes) as a failure: the message and the
 * count above; returns BOT_STORE_ERR. */
int bot_store_oom(bot_store *s, const char *what);
/* The database's schema version; -1 when it cannot be read. */
int bot_store_schema_version(bot_store *s);

/* Migrations as a list, exposed for tests: upgrading to `target` only;
 * errors as bot_store_open. */
int bot_store_open_at_version(bot_store **out, const char *path, int target,
			      char *errbuf, size_t errsize);
/* The schema version this buurtbot migrates to (cannot fail). */
int bot_store_latest_version(void);

/* Fault injection for tests: caps the database at its current size, so
 * the next write that needs a new page fails as on a full disk.
 * BOT_STORE_ERR when the cap could not be set. */
int bot_store_simulate_full_disk(bot_store *s);

/* The store's time, in milliseconds since the epoch: the times it writes
 * (sent, held, joined, ...) and the :now of its statements (store_int.h)
 * read it. The daemon sets it once per batch (bot_daemon_tick); 0 until
 * set. */
void bot_store_set_now(bot_store *s, long long now_ms);

/* A transaction. begin and commit: BOT_STORE_ERR when SQLite refused (a
 * commit that failed leaves the transaction open: roll it back).
 * rollback cannot fail and does nothing outside a transaction. */
int bot_store_begin(bot_store *s);
int bot_store_commit(bot_store *s);
void bot_store_rollback(bot_store *s);

/* Small key-value state (sync token, device id, access token).
 * get: *out malloc'ed, BOT_STORE_NOT_FOUND when absent (*out NULL then,
 * and on error). set and delete change nothing on error. */
int bot_store_kv_get(bot_store *s, const char *key, char **out);
int bot_store_kv_set(bot_store *s, const char *key, const char *value);
int bot_store_kv_delete(bot_store *s, const char *key);

/* The processed-event ledger. seen: *seen 1 when key was handled, 0
 * when not; on error BOT_STORE_ERR and *seen 0 (never read it then). mark
 * and forget change nothing on error. */
int bot_store_event_seen(bot_store *s, const char *key, int *seen);
int bot_store_event_mark(bot_store *s, const char *key, const char *room_id);
int bot_store_event_forget(bot_store *s, const char *key);

/* The outbox domain (the actions still to carry out) is declared in
 * store_outbox.h, included here for the callers that have store.h. */

/* The encryption domain (crypto state, held events) is declared in
 * store_crypto.h, included here for the callers that have store.h. */

/* Room ids of the structure's rooms, by room key ("wijkgroep:<id>", ...).
 * get: BOT_STORE_NOT_FOUND when the room is not made yet; *out NULL
 * unless BOT_STORE_OK. set changes nothing on error. */
int bot_store_room_get(bot_store *s, const char *key, char **out);
/* version: the room's version, or NULL to keep the one known. */
int bot_store_room_set(bot_store *s, const char *key, const char *room_id, const char *version);
/* BOT_STORE_NOT_FOUND when the room or its version is not known; *out
 * NULL unless BOT_STORE_OK. */
int bot_store_room_version_get(bot_store *s, const char *key, char **out);
/* Calls cb for every structure room (version may be NULL) until it
 * returns non-zero (not an error). BOT_STORE_ERR when the read failed,
 * possibly after some calls. */
int bot_store_rooms_each(bot_store *s, int (*cb)(void *ctx, const char *key, const char *room_id,
						  const char *version), void *ctx);
/* The structure key of a room id; BOT_STORE_NOT_FOUND for other rooms;
 * *out NULL unless BOT_STORE_OK. */
int bot_store_room_key_of(bot_store *s, const char *room_id, char **out);

/* The audit log: every command given, allowed or refused, with the
 * reason. On error nothing is written. */
int bot_store_audit_add(bot_store *s, const char *sender, const char *room_id, const char *command,
			int allowed, const char *reason);
/* The commands logged after after_id: how many were allowed and refused
 * into *allowed and *refused, the highest id into *last_id (after_id when
 * none). On error BOT_STORE_ERR and all three 0 (never read them then). */
int bot_store_audit_count_since(bot_store *s, int64_t after_id, int64_t *allowed, int64_t *refused,
				int64_t *last_id);

/* Room membership as seen in sync ("join", "invite", "leave", "ban",
 * "knock"); set changes nothing on error. count: members in that state,
 * not counting except_user (may be NULL), into *count; on error
 * BOT_STORE_ERR and *count 0 (never read it then). */
int bot_store_member_set(bot_store *s, const char *room_id, const char *user_id, const char *membership);
int bot_store_member_count(bot_store *s, const char *room_id, const char *membership, const char *except_user,
			   int64_t *count);

/* The users in that state, sorted; free with bot_store_list_free. On
 * error *out is NULL and *n 0. */
int bot_store_member_list(bot_store *s, const char *room_id, const char *membership,
			  const char *except_user, char ***out, size_t *n);
void bot_store_list_free(char **list, size_t n);
/* The structure key of the wijkgroep user is joined or invited in, into
 * the caller's buf (cut to size; the one caller-sized buffer of the
 * store: keys are short). BOT_STORE_NOT_FOUND when in none; buf is
 * untouched unless BOT_STORE_OK. */
int bot_store_wijkgroep_of(bot_store *s, const char *user_id, char *buf, size_t size);

/* Rooms the bot joined as a direct chat (the invite said is_direct).
 * add changes nothing on error. is: *is_direct 1 or 0; on error
 * BOT_STORE_ERR and *is_direct 0 (never read it then). */
int bot_store_direct_add(bot_store *s, const char *room_id, const char *user_id);
int bot_store_direct_is(bot_store *s, const char *room_id, int *is_direct);
/* The user a direct chat is with (*out malloc'ed), or the newest direct
 * chat with a user; BOT_STORE_NOT_FOUND when none (*out NULL then, and
 * on error). */
int bot_store_direct_user(bot_store *s, const char *room_id, char **out);
int bot_store_direct_room_of(bot_store *s, const char *user_id, char **out);

#include "store_outbox.h"
#include "store_crypto.h"

#endif
