/* pol_intake.h: the sign-up questions a resident answers in a direct chat
 * with the bot (issue 5 item 1), as a pure state machine: name, address or
 * postcode (which finds the buurt and so the wijkgroep), an optional phone
 * number, "18+ and living in the wijk", and "akkoord" with the spelregels.
 * The state is plain data that round-trips through compact JSON, so the
 * daemon keeps it in its store and the resident (or the bot) can pause at
 * any point. No I/O, no clock, no state outside the struct.
 *
 * Names carry "pol_intake2" because policy/pol_aanmelding.h already defines
 * pol_intake_* (same idea, older interface); both link into one library. */
#ifndef POL_INTAKE_H
#define POL_INTAKE_H

#include <stddef.h>
#include "pol_structure.h"
#include "pol_text.h"

#define POL_INTAKE2_FORMAT 1            /* "versie" in the JSON */
#define POL_INTAKE2_NAME_MAX 100        /* characters (code points) */
#define POL_INTAKE2_NAME_BYTES (4 * POL_INTAKE2_NAME_MAX)
#define POL_INTAKE2_ADDRESS_MAX 120     /* bytes */
#define POL_INTAKE2_POSTCODE_MAX 6      /* "4611AB" */
#define POL_INTAKE2_PHONE_MAX 16        /* '+' and 15 digits */
#define POL_INTAKE2_VERSION_MAX 32      /* bytes of a spelregels version */
#define POL_INTAKE2_ANSWER_MAX 500      /* bytes of any answer, trimmed */
#define POL_INTAKE2_JSON_MAX 2048       /* every valid state fits */
/* A reply buffer this big holds any question, spelregels included; a
 * smaller one gets a cut (but terminated) reply. */
#define POL_INTAKE2_REPLY_SIZE (POL_STRUCT_MAX_SPELREGELS + 8192)

typedef enum pol_intake2_step {
	POL_INTAKE2_ASK_NAME = 0,
	POL_INTAKE2_ASK_ADDRESS,
	POL_INTAKE2_CHOOSE_BUURT,        /* the address matched no or several buurten */
	POL_INTAKE2_ASK_PHONE,           /* optional: "nee", "geen", "-" skip it */
	POL_INTAKE2_ASK_CONFIRM_ADULT_RESIDENT,
	POL_INTAKE2_SHOW_SPELREGELS_ASK_AKKOORD,
	POL_INTAKE2_DONE,                /* complete: the application can be filed */
	POL_INTAKE2_ABANDONED,           /* everything personal is cleared */
	POL_INTAKE2_STEP_COUNT
} pol_intake2_step;

typedef enum pol_intake2_outcome {
	POL_INTAKE2_OUT_CONTINUE = 0,  /* answer taken; reply asks the next question */
	POL_INTAKE2_OUT_COMPLETE,      /* last answer taken: file the application */
	POL_INTAKE2_OUT_ABANDONED,     /* stopped or not eligible: delete the stored state */
	POL_INTAKE2_OUT_INVALID,       /* answer refused; reply says why and asks again */
} pol_intake2_outcome;

typedef enum pol_intake2_status {
	POL_INTAKE2_OK = 0,
	POL_INTAKE2_EINVAL = -1,    /* not JSON, wrong fields, or an impossible state */
	POL_INTAKE2_EVERSION = -2,  /* a "versie" this code does not know */
	POL_INTAKE2_ENOMEM = -3,
	POL_INTAKE2_ERANGE = -4,    /* the output buffer is too small */
} pol_intake2_status;

/* The state: plain data, no pointers. Strings are "" until answered. */
typedef struct pol_intake2 {
	pol_intake2_step step;
	char name[POL_INTAKE2_NAME_BYTES + 1];
	char address[POL_INTAKE2_ADDRESS_MAX + 1];   /* as typed (trimmed) */
	char postcode[POL_INTAKE2_POSTCODE_MAX + 1]; /* "4611AB", "4611" or "" */
	char wijkgroep[POL_STRUCT_MAX_ID + 1];       /* id */
	char wijkgroep_naam[POL_STRUCT_MAX_NAME + 1];
	char buurt[POL_STRUCT_MAX_NAME + 1];         /* label */
	char phone[POL_INTAKE2_PHONE_MAX + 1];       /* digits, maybe a leading '+' */
	int adult_resident;                          /* confirmed 18+ and living in the wijk */
	char spelregels_shown[POL_INTAKE2_VERSION_MAX + 1];   /* version put before them */
	char spelregels_version[POL_INTAKE2_VERSION_MAX + 1]; /* version accepted */
	int akkoord;
} pol_intake2;

/* Starts a fresh intake in *st (anything there is overwritten) and returns
 * the greeting with the first question: a static string. */
const char *pol_intake2_start(pol_intake2 *st, pol_lang lang);

/* Takes text as the answer to the open question and writes what the bot
 * says back into reply (always terminated when size > 0).
 *
 * spelregels_text NULL: the wijk's own text from s, else the default.
 * spelregels_version NULL or "": a hash of that text (see below); one
 * longer than POL_INTAKE2_VERSION_MAX is replaced by that hash too.
 *
 * "!stop" or "stop" abandons at every step before DONE: *st is cleared
 * (step ABANDONED) and POL_INTAKE2_OUT_ABANDONED returned. Other "!..."
 * commands are refused as answers; the daemon handles any it allows
 * before calling this. In DONE every answer, "!stop" too, is INVALID with
 * a reminder that the application is with the stuurgroep: withdrawing it
 * is the daemon's business (!vergeetmij). s may be NULL (no structure
 * loaded): no address can then be matched. */
pol_intake2_outcome pol_intake2_answer(const pol_structure *s, pol_intake2 *st, const char *text,
				       pol_lang lang, const char *spelregels_text,
				       const char *spelregels_version, char *reply, size_t size);

/* After a pause: a one-line welcome back and the open question, never one
 * already answered. spelregels_text as for pol_intake2_answer. */
void pol_intake2_resume_text(const pol_structure *s, const pol_intake2 *st, pol_lang lang,
			     const char *spelregels_text, char *reply, size_t size);

/* Compact JSON of *st into buf. 0, POL_INTAKE2_ERANGE (buf too small; a
 * buffer of POL_INTAKE2_JSON_MAX always fits), POL_INTAKE2_ENOMEM, or
 * POL_INTAKE2_EINVAL for a state the machine cannot be in. */
int pol_intake2_to_json(const pol_intake2 *st, char *buf, size_t size);

/* Reads what pol_intake2_to_json wrote. 0, POL_INTAKE2_EVERSION or
 * POL_INTAKE2_EINVAL (anything else: garbage, missing or unknown keys,
 * values out of bounds, a state the machine cannot reach); *out is left
 * unchanged on failure. */
int pol_intake2_from_json(pol_intake2 *out, const char *json);

/* for_stuurgroep: only what the stuurgroep needs (name, buurt, wijkgroep,
 * phone if given, 18+/resident confirmed, spelregels version), and only
 * for a DONE intake (else POL_INTAKE2_EINVAL and buf ""). Otherwise all
 * that is stored, at any step, for the resident's own !mijngegevens.
 * 0, or POL_INTAKE2_ERANGE when buf was too small (the text is cut). */
int pol_intake2_summary(const pol_intake2 *st, pol_lang lang, char *buf, size_t size,
			int for_stuurgroep);

/* The project's spelregels, for a wijk without its own text. Static. */
const char *pol_intake2_default_spelregels(pol_lang lang);

/* A short version of a spelregels text: 8 hex digits of FNV-1a, the same
 * as pol_spelregels_version in pol_aanmelding.c gives. */
void pol_intake2_spelregels_version(const char *text, char out[POL_INTAKE2_VERSION_MAX + 1]);

/* The step as written in the JSON ("naam", "adres", ...); "" if unknown. */
const char *pol_intake2_step_name(pol_intake2_step step);

/* ---- the texts (pol_intake_text.c): Dutch default, English for each ---- */

typedef enum pol_intake2_text_id {
	POL_INTAKE2_TXT_INTRO,           /* ends with the name question */
	POL_INTAKE2_TXT_Q_NAME,
	POL_INTAKE2_TXT_BAD_NAME,
	POL_INTAKE2_TXT_Q_ADDRESS,
	POL_INTAKE2_TXT_BAD_ADDRESS,
	POL_INTAKE2_TXT_FOUND,           /* %s buurt, %s wijkgroep */
	POL_INTAKE2_TXT_NOT_FOUND,
	POL_INTAKE2_TXT_AMBIGUOUS,
	POL_INTAKE2_TXT_NO_BUURTEN,
	POL_INTAKE2_TXT_Q_CHOOSE,
	POL_INTAKE2_TXT_CHOOSE_LINE,     /* %zu number, %s buurt, %s wijkgroep */
	POL_INTAKE2_TXT_CHOOSE_FOOTER,
	POL_INTAKE2_TXT_BAD_CHOICE,
	POL_INTAKE2_TXT_Q_PHONE,
	POL_INTAKE2_TXT_BAD_PHONE,
	POL_INTAKE2_TXT_Q_ADULT,         /* %s wijk */
	POL_INTAKE2_TXT_YESNO,
	POL_INTAKE2_TXT_ADULT_NO,
	POL_INTAKE2_TXT_Q_AKKOORD,       /* %s wijk, %s spelregels */
	POL_INTAKE2_TXT_Q_AKKOORD_SHORT,
	POL_INTAKE2_TXT_NEED_AKKOORD,
	POL_INTAKE2_TXT_SPELREGELS_CHANGED,
	POL_INTAKE2_TXT_TOO_LONG,        /* %u max */
	POL_INTAKE2_TXT_COMMAND,
	POL_INTAKE2_TXT_STOPPED,
	POL_INTAKE2_TXT_WELCOME_BACK,
	POL_INTAKE2_TXT_COMPLETE,        /* %s wijkgroep */
	POL_INTAKE2_TXT_ALREADY_DONE,
	POL_INTAKE2_TXT_WIJKGROEP_GONE,
	POL_INTAKE2_TXT_SUM_NAME,        /* %s */
	POL_INTAKE2_TXT_SUM_ADDRESS,     /* %s */
	POL_INTAKE2_TXT_SUM_POSTCODE,    /* %s */
	POL_INTAKE2_TXT_SUM_BUURT,       /* %s buurt, %s wijkgroep */
	POL_INTAKE2_TXT_SUM_PHONE,       /* %s */
	POL_INTAKE2_TXT_SUM_ADULT,       /* %s yes/no */
	POL_INTAKE2_TXT_SUM_SPELREGELS,  /* %s version or "not given" */
	POL_INTAKE2_TXT_SUM_STEP,        /* %s one of STEP_* */
	POL_INTAKE2_TXT_STEP_NAME,
	POL_INTAKE2_TXT_STEP_ADDRESS,
	POL_INTAKE2_TXT_STEP_CHOOSE,
	POL_INTAKE2_TXT_STEP_PHONE,
	POL_INTAKE2_TXT_STEP_ADULT,
	POL_INTAKE2_TXT_STEP_AKKOORD,
	POL_INTAKE2_TXT_STEP_DONE,
	POL_INTAKE2_TXT_STEP_ABANDONED,
	POL_INTAKE2_TXT_NOT_GIVEN,
	POL_INTAKE2_TXT_YES,
	POL_INTAKE2_TXT_NO,
	POL_INTAKE2_TXT_THE_WIJK,        /* when the wijk is not known */
	POL_INTAKE2_TXT_SPELREGELS_DEFAULT,
	POL_INTAKE2_TXT_COUNT
} pol_intake2_text_id;

/* A static string; "" for an id out of range. */
const char *pol_intake2_text(pol_lang lang, pol_intake2_text_id id);
/* Appends text id, formatted with the arguments its comment above names,
 * to what buf holds, on a new line when buf is not empty. */
void pol_intake2_text_add(char *buf, size_t size, pol_lang lang, pol_intake2_text_id id, ...);

#endif
