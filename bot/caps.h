/* caps.h: the daemon's side of member caps (DESIGN.md section 3): over
 * the cap the last to arrive is removed and put on the waiting list, with
 * the stuurgroep told; passing the growth threshold tells the stuurgroep
 * once, with members per buurt and a split proposal; a place coming free
 * names the first on the waiting list. All inside the caller's
 * transaction. */
#ifndef BOT_CAPS_H
#define BOT_CAPS_H

#include "daemon.h"
#include "registry.h"
#include "policy/pol_caps.h"

/* After a membership change of user (may be NULL) in the wijkgroep room
 * of wg_key (membership: the new one); txn names what this queues. A
 * resident's first join is welcomed. */
int bot_caps_check(bot_daemon *d, const char *wg_key, const char *membership, const char *user,
		   const char *txn);
/* Every wijkgroep against its cap, e.g. after the structure was reloaded
 * with a lower one. Opens its own transaction. */
void bot_caps_enforce_all(bot_daemon *d);
/* The !wachtlijst answer: wg's list, or (wg NULL) the lists of every
 * active wijkgroep the stuurgroep of room_key manages. */
int bot_caps_waitlist_text(bot_daemon *d, const pol_wijkgroep *wg, const char *room_key, char *buf,
			   size_t size);

#endif
