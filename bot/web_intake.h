/* web_intake.h: the bot's side of the sign-up website (issue 15). The
 * website (bot/web/, its own process without the bot's secrets) drops
 * applications into web.db in web_dir; here the bot takes them into its
 * own sign-up flow (the stuurgroep sees them and decides with !toelaten
 * and !afwijzen, cap and waiting list hold), writes back what the status
 * page shows, and on admission offers a one-use Synapse registration
 * token and a code. The applicant's account is unknown until it sends
 * that code in a direct chat: till then the application's user is the
 * placeholder "web:<id>" (pol_web_placeholder). */
#ifndef BOT_WEB_INTAKE_H
#define BOT_WEB_INTAKE_H

#include "daemon.h"

/* Between batches, outside any transaction: takes new applications and
 * deletion requests from web.db, expires codes, creates registration
 * tokens and publishes states. Does nothing without web_dir. */
void bot_web_intake_tick(bot_daemon *d);
/* Inside the batch's transaction, carries out a WEB_ADMIT plan: the
 * admitted website application gets a code (a registration token follows
 * between batches) and leaves the waiting list as the plan says. A store
 * status. */
int bot_web_intake_admit(bot_daemon *d, const pol_web_admit_plan *p);
/* Inside the batch's transaction, before the rules see a message: a code
 * sent in a direct chat ties that account to its web application and
 * invites it (cap permitting, else the waiting list). Returns 1 when the
 * message was a code (answered), 0 when not, <0 on error. */
int bot_web_intake_message(bot_daemon *d, const pol_input *in, const char *txn_base);

#endif
