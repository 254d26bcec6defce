/* pol_housekeeping.c: reminders and expiry of open casussen (see
 * pol_housekeeping.h). */
#include <stdio.h>
#include <string.h>
#include "pol_housekeeping.h"

/* Whether casus c has been open for hours or longer at now. */
static int open_for(const pol_hk_casus *c, long hours, long long now)
{
	return c->opened <= now - (long long)hours * 3600;
}

/* The stuurgroep of the wijkgroep whose room key is key, into buf; "" for
 * any other room. */
static void stuurgroep_of(const pol_structure *st, const char *key, char *buf, size_t size)
{
	const pol_room *r = st && key ? pol_structure_room_by_key(st, key) : NULL;

	buf[0] = '\0';
	if (r && r->wijkgroep && r->wijkgroep->stuurgroep)
		snprintf(buf, size, "stuurgroep:%s", r->wijkgroep->stuurgroep->id);
}

size_t pol_housekeeping(const pol_hk_snapshot *snap, pol_hk_plan *plans, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < snap->n && n < max; i++) {
		const pol_hk_casus *c = &snap->casussen[i];
		pol_hk_plan *p;

		if (!open_for(c, snap->expiry_hours, snap->now))
			continue;
		p = &plans[n++];
		memset(p, 0, sizeof *p);
		p->kind = POL_HK_EXPIRE;
		p->u.expire.nr = c->nr;
		pol_textf(p->u.expire.text, sizeof p->u.expire.text, snap->lang, POL_TXT_CASUS_EXPIRED, c->nr,
			  snap->expiry_hours);
	}
	for (i = 0; i < snap->n && n < max; i++) {
		const pol_hk_casus *c = &snap->casussen[i];
		pol_hk_plan *p;

		/* An expired one is closed now: no reminder for it. */
		if (c->reminded || open_for(c, snap->expiry_hours, snap->now) ||
		    !open_for(c, snap->reminder_hours, snap->now))
			continue;
		p = &plans[n++];
		memset(p, 0, sizeof *p);
		p->kind = POL_HK_REMIND;
		p->u.remind.nr = c->nr;
		p->u.remind.index = i;
		pol_textf(p->u.remind.text, sizeof p->u.remind.text, snap->lang, POL_TXT_CASUS_REMINDER, c->nr,
			  snap->reminder_hours);
		stuurgroep_of(snap->structure, c->origin_key, p->u.remind.sg_key, sizeof p->u.remind.sg_key);
	}
	return n;
}
