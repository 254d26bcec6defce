/* queue.h: putting one message or membership change into the outbox,
 * inside the caller's transaction. The bottom of the action code: the
 * dispatcher (actions.c) and the flows it calls (casus*.c, caps.c,
 * proposals.c, signup.c, flood.c) use it, and it calls none of them. */
#ifndef BOT_QUEUE_H
#define BOT_QUEUE_H

#include "daemon.h"
#include "policy/pol_engine.h"

/* Queues a plain notice into room_id (optionally a reply, or inside the
 * thread of thread_root) under txn. A BOT_STORE_ status. */
int bot_notice_queue(bot_daemon *d, const char *room_id, const char *text, const char *reply_to,
		     const char *thread_root, const char *txn);
/* The same into the room of a structure key; a room not made yet is
 * logged and skipped (BOT_STORE_OK). */
int bot_notice_queue_key(bot_daemon *d, const char *room_key, const char *text, const char *txn);
/* Queues removing user from room_id (reason, may be NULL, shown to them),
 * and counts them out of the room at once. A BOT_STORE_ status. */
int bot_kick_queue(bot_daemon *d, const char *room_id, const char *user, const char *reason, const char *txn);
/* Queues banning user from room_id (reason may be NULL) and counts them
 * as banned at once. A BOT_STORE_ status. */
int bot_ban_queue(bot_daemon *d, const char *room_id, const char *user, const char *reason, const char *txn);
/* Queues inviting a->user into the room of a->room_key and records what
 * the plan says an admission implies (resident, admitted by admitted_by;
 * off the waiting list). A room not made yet is logged and skipped
 * (BOT_STORE_OK). A BOT_STORE_ status. */
int bot_invite_queue(bot_daemon *d, const pol_invite_plan *a, const char *admitted_by, const char *txn);

#endif
