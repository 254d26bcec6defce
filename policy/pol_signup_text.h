/* pol_signup_text.h: what the bot says about sign-ups that needs the
 * daemon's records first: the notice of a new application in the
 * stuurgroep room (its number comes from the store) and the !mijngegevens
 * answer. The daemon gathers (bot/signup.c); what is said, to whom, is
 * decided here. */
#ifndef POL_SIGNUP_TEXT_H
#define POL_SIGNUP_TEXT_H

#include <stddef.h>
#include "pol_structure.h"
#include "pol_text.h"

/* The notice that user's complete intake (json) for wijkgroep room_key
 * became application nr: the stuurgroep sees only what it needs to
 * decide. The stuurgroep room's key into sg_key, the text into text.
 * 0, or -1 when room_key is no wijkgroep of s or json no intake (nothing
 * to tell). */
int pol_app_notice(pol_lang lang, const pol_structure *s, const char *room_key, const char *json, long long nr,
		   char *sg_key, size_t sg_size, char *text, size_t size);

/* What the store holds about someone, for !mijngegevens. Strings
 * borrowed; NULL where there is nothing. Dates as text. */
typedef struct pol_mydata {
	int resident;                 /* lives in a wijkgroep: */
	const char *wijkgroep_key, *buurt, *since, *admitted_by, *spelregels;
	const char *resident_data;    /* what they gave when signing up (intake JSON) */
	int application;              /* an application open or waiting: */
	long long app_nr;
	const char *app_state, *app_since, *app_data;
	const char *intake;           /* a sign-up under way (intake JSON) */
} pol_mydata;

/* The answer into buf. Returns 1 when something was held (the answer
 * names them), 0 when nothing (the answer says so). */
int pol_mydata_text(pol_lang lang, const pol_structure *s, const pol_mydata *m, char *buf, size_t size);

/* A resident of wijkgroep wg_key who accepted spelregels version
 * accepted (may be NULL): returns the wijk whose spelregels changed since
 * (they are asked to accept them again), with its current version into
 * version (17 bytes); NULL when there is nothing to ask (the same version,
 * or the wijkgroep is gone). */
const pol_wijk *pol_spelregels_changed_for(pol_lang lang, const pol_structure *s, const char *wg_key,
					   const char *accepted, char version[17]);
/* The direct message asking to accept w's changed spelregels, into text. */
void pol_spelregels_changed_text(pol_lang lang, const pol_wijk *w, char *text, size_t size);

#endif
