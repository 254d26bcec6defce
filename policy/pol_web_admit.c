/* pol_web_admit.c: see pol_web_admit.h. */
#include <stdio.h>
#include "pol_engine_int.h"
#include "pol_web.h"
#include "pol_web_admit.h"

int pol_app_from_web(const pol_application *app)
{
	return pol_web_placeholder_id(app->user) != 0;
}

pol_action *pol_plan_web_admit(const pol_config *cfg, pol_actions *out, const char *room_id, const pol_wijkgroep *wg,
			       const pol_application *app)
{
	long long id = pol_web_placeholder_id(app->user);
	pol_action *a, *n;

	if (!id || out->n + 2 > POL_MAX_ACTIONS)
		return NULL;
	a = pol_add(out, POL_ACT_WEB_ADMIT, room_id);
	a->web_admit.web_id = id;
	a->web_admit.nr = app->nr;
	snprintf(a->web_admit.user, sizeof a->web_admit.user, "%s", app->user);
	snprintf(a->web_admit.room_key, sizeof a->web_admit.room_key, "wijkgroep:%s", wg->id);
	a->web_admit.code_hours = cfg->web_code_hours;
	/* Admitted is no longer waiting, as with an invite. */
	a->web_admit.leaves_waitlist = 1;
	/* "Admitted: invited" is not the whole story yet: the stuurgroep hears what comes. */
	n = pol_add(out, POL_ACT_NOTICE, NULL);
	snprintf(n->notice.room_key, sizeof n->notice.room_key, "stuurgroep:%s", wg->stuurgroep->id);
	pol_web_textf(n->notice.text, sizeof n->notice.text, cfg->lang, POL_WEB_TXT_ADMITTED_SG, app->nr,
		      cfg->web_code_hours);
	return a;
}
