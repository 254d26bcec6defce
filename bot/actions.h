/* actions.h: turning the rules' decisions into store changes and outbox
 * items, inside the batch's transaction. */
#ifndef BOT_ACTIONS_H
#define BOT_ACTIONS_H

#include "daemon.h"

/* Stores action a, decided for in, with transaction id "<txn_base>|<index>". */
int bot_action_store(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base,
		     size_t index);

/* The outbox priority of what action i of the decision acts queues, as
 * policy rates it (pol_action_priority). */
bot_outbox_prio bot_action_priority(const pol_actions *acts, size_t i);

/* The queueing helpers every flow uses are in queue.h. */

#endif
