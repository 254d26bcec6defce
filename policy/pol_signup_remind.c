/* pol_signup_remind.c: see pol_signup_remind.h. */
#include <stdio.h>
#include <string.h>
#include "pol_signup_remind.h"

void pol_app_reminder(pol_lang lang, const pol_structure *s, long reminder_hours, long long now,
		      const pol_app_open *app, pol_remind_plan *out)
{
	const pol_room *room = s && app->wijkgroep_key ? pol_structure_room_by_key(s, app->wijkgroep_key) : NULL;

	memset(out, 0, sizeof *out);
	/* Due once it waited the whole reminder time: created <= now - time. */
	if (app->created > now - (long long)reminder_hours * 3600)
		return;
	if (!room || room->kind != POL_ROOM_WIJKGROEP || !room->wijkgroep) {
		out->kind = POL_REMIND_DROP;
		return;
	}
	out->kind = POL_REMIND_SEND;
	snprintf(out->room_key, sizeof out->room_key, "stuurgroep:%s", room->wijkgroep->stuurgroep->id);
	pol_textf(out->text, sizeof out->text, lang, POL_TXT_APP_REMINDER, app->nr, room->wijkgroep->naam,
		  reminder_hours, app->nr, app->nr);
}
