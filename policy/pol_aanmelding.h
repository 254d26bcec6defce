/* pol_aanmelding.h: the sign-up questions as a state machine (issue 5).
 * One question at a time: name, postcode or buurt (which finds the
 * wijkgroep), optionally a phone number for the stuurgroep, whether the
 * resident is 18+ and lives in the wijk, and "akkoord" with the wijk's
 * spelregels. The state is plain data that round-trips through JSON, so
 * the daemon keeps it in its store and a resident can pause, and the bot
 * restart, at any point without losing or repeating anything. Pure: no
 * I/O, no clock. */
#ifndef POL_AANMELDING_H
#define POL_AANMELDING_H

#include <stddef.h>
#include "pol_structure.h"
#include "pol_text.h"

typedef enum pol_intake_step {
	POL_INTAKE_NAME = 0,
	POL_INTAKE_ADDRESS,
	POL_INTAKE_CHOOSE_BUURT,   /* the postcode matched no (or several) buurten */
	POL_INTAKE_PHONE,
	POL_INTAKE_ADULT,
	POL_INTAKE_AKKOORD,
	POL_INTAKE_DONE,
	POL_INTAKE_STEPS
} pol_intake_step;

#define POL_INTAKE_NAME_MAX 100
#define POL_INTAKE_ADDRESS_MAX 100
#define POL_INTAKE_PHONE_MAX 20

typedef struct pol_intake {
	pol_intake_step step;
	char name[POL_INTAKE_NAME_MAX + 1];
	char address[POL_INTAKE_ADDRESS_MAX + 1];    /* postcode or buurt as given */
	char wijkgroep[POL_STRUCT_MAX_ID + 1];       /* id, once found */
	char buurt[POL_STRUCT_MAX_NAME + 1];         /* label, once found */
	char phone[POL_INTAKE_PHONE_MAX + 1];        /* "" when not given */
	int adult;                                   /* confirmed 18+ and living in the wijk */
	char spelregels_version[17];                 /* accepted version, "" before */
} pol_intake;

typedef enum pol_intake_outcome {
	POL_INTAKE_CONTINUE = 0,   /* answer taken, reply has the next question */
	POL_INTAKE_INVALID,        /* answer refused, reply says why and asks again */
	POL_INTAKE_COMPLETE,       /* all answered: file the application */
	POL_INTAKE_ABANDONED,      /* !stop or not eligible: delete everything */
} pol_intake_outcome;

/* A fresh intake; reply gets the introduction and the first question. */
void pol_intake_start(pol_intake *st, pol_lang lang, char *reply, size_t size);
/* Takes the answer text to the current question. */
pol_intake_outcome pol_intake_answer(const pol_structure *s, pol_intake *st, const char *text, pol_lang lang,
				     char *reply, size_t size);
/* After a pause: a welcome back and the open question (never one already
 * answered). */
void pol_intake_resume(const pol_structure *s, const pol_intake *st, pol_lang lang, char *reply, size_t size);
/* The current question alone. */
void pol_intake_question(const pol_structure *s, const pol_intake *st, pol_lang lang, char *reply, size_t size);

/* JSON round trip; from_json returns -1 for anything that is not a valid
 * state of this version (the caller then starts afresh). */
int pol_intake_to_json(const pol_intake *st, char *buf, size_t size);
int pol_intake_from_json(pol_intake *st, const char *json);

/* What the stuurgroep sees (for_stuurgroep: name, buurt, phone, the
 * confirmations) or what the resident sees of themselves (all of it). */
void pol_intake_summary(const pol_intake *st, pol_lang lang, char *buf, size_t size, int for_stuurgroep);

/* The spelregels of wijk w (its own text or the project's default) and a
 * short version of a text (changes when the text changes). */
const char *pol_spelregels_of(const pol_wijk *w, pol_lang lang);
void pol_spelregels_version(const char *text, char out[17]);

#endif
