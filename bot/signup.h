/* signup.h: the daemon's side of sign-up (issue 5): keeping intakes and
 * applications, telling the stuurgroep, carrying out its decisions,
 * showing and forgetting a resident's data, and the periodic duties
 * (reminders for applications left waiting, deleting what is kept no
 * longer). */
#ifndef BOT_SIGNUP_H
#define BOT_SIGNUP_H

#include "daemon.h"

/* The sign-up actions of the rules (OPEN_DM, INTAKE_*, APPLY, APP_DECIDE,
 * MYDATA, FORGET, SPELREGELS_OK), inside the batch's transaction. */
int bot_signup_action(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base,
		      size_t index);
/* Reminders and retention; cheap to call often, acts at most once a minute. */
void bot_signup_housekeeping(bot_daemon *d);
/* After a structure load: residents whose wijk has new spelregels are
 * asked, once per version, in their direct chat to accept them. */
void bot_signup_spelregels_changed(bot_daemon *d);
/* Facts for the rules. */
int bot_signup_state(bot_daemon *d, const char *user, pol_signup_state *out);
int bot_signup_application(bot_daemon *d, long long nr, pol_application *out);

#endif
