/* actions.h: turning the rules' decisions into store changes and outbox
 * items, inside the batch's transaction. */
#ifndef BOT_ACTIONS_H
#define BOT_ACTIONS_H

#include "daemon.h"

/* Stores action a, decided for in, with transaction id "<txn_base>|<index>". */
int bot_action_store(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base,
		     size_t index);

/* The outbox priority of what action i of the decision acts queues:
 * HIGH for everything of a command or an approval (the decision starts
 * with its audit row), LOW for notices into a stuurgroep room about
 * something that happened elsewhere, NORMAL otherwise. */
bot_outbox_prio bot_action_priority(const pol_actions *acts, size_t i);

/* Queues a plain notice into room_id (optionally a reply) under txn. */
int bot_notice_queue(bot_daemon *d, const char *room_id, const char *text, const char *reply_to,
		     const char *thread_root, const char *txn);
/* The same into the room of a structure key; a room not made yet is
 * logged and skipped. */
int bot_notice_queue_key(bot_daemon *d, const char *room_key, const char *text, const char *txn);
/* Queues removing user from room_id (reason shown to them), and counts
 * them out of the room at once. */
int bot_kick_queue(bot_daemon *d, const char *room_id, const char *user, const char *reason, const char *txn);

#endif
