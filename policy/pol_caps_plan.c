/* pol_caps_check_plan.c: the decisions after a membership change in a wijkgroep
 * room (see pol_caps_plan.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pol_caps_plan.h"
#include "pol_notices.h"

/* Where user would stand on the waiting list: their place when on it
 * already, else after the list and those added before them (the store
 * keeps arrival order). */
static long position_of(const pol_caps_facts *f, const char *user, long *added)
{
	size_t j;

	for (j = 0; j < f->n_waiting; j++)
		if (f->waiting[j] && strcmp(f->waiting[j], user) == 0)
			return (long)j + 1;
	return (long)f->n_waiting + ++*added;
}

int pol_caps_plan_overcap(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan)
{
	const pol_wijkgroep *wg = f->wg;
	size_t excess = pol_caps_excess(f->n_members, wg->limiet), *pick, k, i;
	pol_cap_member *m;
	long added = 0;

	plan->excess = excess;
	if (excess == 0)
		return 0;
	m = calloc(f->n_members + 1, sizeof *m);
	pick = calloc(excess + 1, sizeof *pick);
	plan->remove = calloc(excess + 1, sizeof *plan->remove);
	if (!m || !pick || !plan->remove) {
		free(m);
		free(pick);
		free(plan->remove);
		plan->remove = NULL;
		return -1;
	}
	for (i = 0; i < f->n_members; i++) {
		m[i].user_id = f->members[i].user_id;
		m[i].invited = f->members[i].invited;
		m[i].since = f->members[i].since;
		m[i].protect = pol_structure_names(f->structure, f->members[i].user_id);
	}
	k = pol_caps_pick_excess(m, f->n_members, excess, pick);
	for (i = 0; i < k; i++) {
		pol_caps_removal *r = &plan->remove[i];
		const pol_caps_member *who = &f->members[pick[i]];

		r->user_id = who->user_id;
		r->since = who->since;
		r->position = position_of(f, who->user_id, &added);
		pol_textf(r->reason, sizeof r->reason, lang, POL_TXT_OVERCAP_REASON, wg->naam, wg->limiet, r->position);
		pol_textf(r->notice, sizeof r->notice, lang, POL_TXT_OVERCAP_NOTICE, wg->naam, wg->limiet, r->user_id,
			  r->position);
	}
	plan->n_remove = k;
	free(m);
	free(pick);
	return 0;
}

int pol_caps_plan_growth(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan)
{
	const pol_wijkgroep *wg = f->wg;
	pol_split_member *sm;
	pol_split_proposal *p;
	size_t i, k = 0;
	int notified = f->growth_notified;

	plan->growth_due = pol_caps_growth_notice(f->n_members, wg->groeidrempel, &notified);
	plan->notified = notified;
	plan->store_notified = plan->growth_due || notified != f->growth_notified;
	if (!plan->growth_due)
		return 0;
	sm = calloc(f->n_members + 1, sizeof *sm);
	plan->growth_text = malloc(POL_CAPS_TEXT_MAX);
	if (!sm || !plan->growth_text) {
		free(sm);
		plan->growth_due = plan->store_notified = 0;
		return -1;
	}
	/* Per buurt and in the proposal: the residents, not the stuurgroep. */
	for (i = 0; i < f->n_members; i++)
		if (!pol_structure_names(f->structure, f->members[i].user_id)) {
			sm[k].user_id = f->members[i].user_id;
			sm[k].buurt = f->members[i].buurt;
			k++;
		}
	p = pol_split_for_wijkgroep(wg, sm, k);
	pol_growth_text(lang, wg, (long)f->n_members, sm, k, p, plan->growth_text, POL_CAPS_TEXT_MAX);
	pol_split_free(p);
	free(sm);
	return 0;
}

static int is(const char *membership, const char *what)
{
	return membership && strcmp(membership, what) == 0;
}

void pol_caps_plan_freed(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan)
{
	const pol_wijkgroep *wg = f->wg;

	plan->freed_due = 0;
	if (!is(f->membership, "leave") && !is(f->membership, "ban"))
		return;
	if (f->n_members >= wg->limiet || f->n_waiting == 0 || !f->waiting[0])
		return;
	plan->freed_due = 1;
	plan->freed_user = f->waiting[0];
	pol_textf(plan->freed_text, sizeof plan->freed_text, lang, POL_TXT_FREED_NOTICE, wg->naam,
		  (long)f->n_members, wg->limiet, f->waiting[0], f->waiting[0], wg->id);
}

void pol_caps_plan_welcome(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan)
{
	plan->welcome_due = is(f->membership, "join") && f->user && f->user_is_member;
	if (!plan->welcome_due)
		return;
	plan->welcome_user = f->user;
	pol_textf(plan->welcome_text, sizeof plan->welcome_text, lang, POL_TXT_WELCOME, f->user);
}

int pol_caps_plan_make(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan)
{
	int rc;

	memset(plan, 0, sizeof *plan);
	snprintf(plan->stuurgroep_key, sizeof plan->stuurgroep_key, "stuurgroep:%s", f->wg->stuurgroep->id);
	rc = f->n_members > f->wg->limiet ? pol_caps_plan_overcap(lang, f, plan)
					  : pol_caps_plan_growth(lang, f, plan);
	if (rc != 0)
		return rc;
	pol_caps_plan_freed(lang, f, plan);
	pol_caps_plan_welcome(lang, f, plan);
	return 0;
}

void pol_caps_plan_free(pol_caps_check_plan *plan)
{
	free(plan->remove);
	free(plan->growth_text);
	plan->remove = NULL;
	plan->growth_text = NULL;
	plan->n_remove = 0;
	plan->growth_due = 0;
}
