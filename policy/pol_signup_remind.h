/* pol_signup_remind.h: the reminder of an application the stuurgroep has
 * not decided (issue 5), as a pure decision: when it is due, where it
 * goes and what it says. The daemon reads the open applications not
 * reminded yet (bot/signup.c), asks here per one with the batch's time,
 * and carries the plan out. */
#ifndef POL_SIGNUP_REMIND_H
#define POL_SIGNUP_REMIND_H

#include "pol_engine.h"

/* An open application not reminded yet, as the store keeps it. */
typedef struct pol_app_open {
	long long nr;
	const char *wijkgroep_key;   /* "wijkgroep:<id>"; borrowed */
	long long created;           /* when it came in (s) */
} pol_app_open;

typedef enum pol_remind_kind {
	POL_REMIND_NOT_YET = 0,   /* younger than the reminder time: ask again later */
	POL_REMIND_SEND,          /* due: text into the stuurgroep room of room_key, then
				   * marked reminded */
	POL_REMIND_DROP,          /* due, but its wijkgroep is gone from the structure:
				   * marked reminded without a word */
} pol_remind_kind;

typedef struct pol_remind_plan {
	pol_remind_kind kind;
	char room_key[POL_KEY_MAX];
	char text[POL_TEXT_MAX];
} pol_remind_plan;

/* Decides about app at now (the batch's time), reminder_hours after it
 * came in (the setting application_reminder_hours), in lang for
 * structure s (may be NULL). Always fills *out. */
void pol_app_reminder(pol_lang lang, const pol_structure *s, long reminder_hours, long long now,
		      const pol_app_open *app, pol_remind_plan *out);

#endif
