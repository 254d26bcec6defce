/* flood.h: the daemon's side of floods (issue 11). The rules decide
 * (pol_casus.c: past the limit a resident's messages open no casus); here
 * is what they are told about a flood going on, the count of the messages
 * that opened none, and the stuurgroep's count once one is due after the
 * messages stopped. The floods table lives in the store. */
#ifndef BOT_FLOOD_H
#define BOT_FLOOD_H

#include "daemon.h"

/* The flood of user in room_id going on now (pol_facts.flood) by the
 * daemon's clock: its last message not opened as casus within the flood
 * window. All zero when none, or when the store cannot be read (the
 * store counts that failure, so the batch that asked fails and retries). */
void bot_flood_fact(bot_daemon *d, const char *room_id, const char *user, pol_flood *out);

/* Casussen user opened in room_id (casushouder of their root there) in
 * the last `seconds` (pol_facts.casussen_by); 0 when unreadable (counted
 * by the store as above). */
long bot_flood_casussen_by(bot_daemon *d, const char *room_id, const char *user, long seconds);

/* Carries out POL_ACT_FLOOD (a message of a->user in in->room_id opened
 * no casus), inside the batch's transaction. */
int bot_flood_action(bot_daemon *d, const pol_input *in, const pol_action *a);

/* The stuurgroep's counts that became due (pol_flood_report) for floods
 * whose messages stopped before the next count, and forgetting floods a
 * week after their last message. Inside the caller's transaction (the
 * casus housekeeping's). BOT_STORE_OK or BOT_STORE_ERR. */
int bot_flood_housekeeping(bot_daemon *d);

#endif
