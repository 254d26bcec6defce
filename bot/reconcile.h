/* reconcile.h: makes Matrix match the structure file: every room and
 * Space exists (created by the bot, encrypted, with the right join rule,
 * history visibility and power levels), Spaces link their children, and
 * the structure's members are invited. Idempotent: a second run only
 * reads. Room ids are kept in the store under the structure's room keys. */
#ifndef BOT_RECONCILE_H
#define BOT_RECONCILE_H

#include "policy/pol_structure.h"

struct bot_daemon;

typedef struct bot_reconcile_stats {
	unsigned rooms_created;
	unsigned state_changes;    /* state events written (links, power levels, rules) */
	unsigned invites;
	unsigned requests;         /* homeserver calls, reads included */
	unsigned reads, writes;    /* of them: reads, and changes (created, written, invited) */
} bot_reconcile_stats;

/* Returns MX_OK or the mx_status of the request that failed (logged); what
 * was done before the failure stays done, and a rerun continues. */
int bot_reconcile(struct bot_daemon *d, const pol_structure *s, bot_reconcile_stats *stats);

/* The room id of a structure room key, or NULL (caller frees). */
char *bot_reconcile_room_id(struct bot_daemon *d, const char *key);

#endif
