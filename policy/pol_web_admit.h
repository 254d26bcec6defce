/* pol_web_admit.h: what admitting an application that came in through the
 * website means (issue 15): no Matrix account is known yet, so instead of
 * an invite the applicant gets a code (pol_engine.h, POL_ACT_WEB_ADMIT),
 * and the stuurgroep hears what comes next. Decided here, so the daemon
 * recognises nothing itself. */
#ifndef POL_WEB_ADMIT_H
#define POL_WEB_ADMIT_H

#include "pol_engine.h"

/* Whether the application's user is a website placeholder ("web:<id>"). */
int pol_app_from_web(const pol_application *app);

/* Adds to out the admission of website application app into wg: a
 * WEB_ADMIT plan and a NOTICE for wg's stuurgroep room. Returns the
 * WEB_ADMIT action, or NULL when app is no website application or out is
 * full (then nothing is added). */
pol_action *pol_plan_web_admit(const pol_config *cfg, pol_actions *out, const char *room_id, const pol_wijkgroep *wg,
			       const pol_application *app);

#endif
