/* pol_web.h: the pure logic of signing up on the website (issue 15):
 * reading an application/x-www-form-urlencoded body, checking a sign-up
 * form with the same intake rules as the chat (pol_aanmelding), HTML
 * escaping, and the short codes that tie a Matrix account to a web
 * application. No I/O, no clock, no randomness of its own: random bytes
 * and the time come in as values. */
#ifndef POL_WEB_H
#define POL_WEB_H

#include <stddef.h>
#include "pol_aanmelding.h"
#include "pol_structure.h"
#include "pol_text.h"

/* ---- form bodies ---- */
#define POL_WEB_BODY_MAX 8192     /* a larger body is refused whole */
#define POL_WEB_FIELD_MAX 1024    /* a decoded value longer than this is refused */

/* Calls cb(ctx, name, value) for each pair of an urlencoded body of len
 * bytes ('+' is a space, %XX decoded; a value may be empty). Returns 0, or
 * -1 for a body over POL_WEB_BODY_MAX, a bad %-escape, a name or value
 * with a NUL or over POL_WEB_FIELD_MAX, or when cb returns nonzero. */
int pol_web_form_parse(const char *body, size_t len, int (*cb)(void *ctx, const char *name, const char *value),
		       void *ctx);

/* ---- the sign-up form ---- */
typedef struct pol_web_form {
	const char *name, *address, *buurt, *phone;   /* NULL = not sent; buurt: a label chosen from the list */
	int adult, akkoord;                           /* the checkboxes */
} pol_web_form;

typedef enum pol_web_field {
	POL_WEB_F_NAME = 0,
	POL_WEB_F_ADDRESS,
	POL_WEB_F_PHONE,
	POL_WEB_F_ADULT,
	POL_WEB_F_AKKOORD,
	POL_WEB_F_COUNT
} pol_web_field;

typedef struct pol_web_errors {
	char msg[POL_WEB_F_COUNT][600];   /* "" where the field is fine */
	int n;
	int choose_buurt;                 /* the address matched no buurt (or several): offer the list */
} pol_web_errors;

/* Checks form f for wijk w (the page it was sent from). Returns the number
 * of problems (their texts in err, in lang); with 0, *out is a complete
 * intake (step POL_INTAKE_DONE) for an active wijkgroep of w. */
int pol_web_form_check(const pol_structure *s, const pol_wijk *w, const pol_web_form *f, pol_lang lang,
		       pol_intake *out, pol_web_errors *err);

/* The bot's second look at intake in, filed by the website (web.db is the
 * internet's side): its answers go through pol_web_form_check again, as
 * if sent from the page of the wijk of its wijkgroep. 0 with *out the
 * intake derived anew when they pass and land in that same wijkgroep; -1
 * when not. */
int pol_web_intake_recheck(const pol_structure *s, const pol_intake *in, pol_lang lang, pol_intake *out);
/* The bot's whole check of an application the website filed (data: its
 * intake as JSON, may be NULL): 18+, a name, the spelregels version the
 * page showed (hex), the answers through pol_web_intake_recheck, and an
 * active wijkgroep. That wijkgroep with *out the intake derived anew
 * (keeping the version the applicant accepted), or NULL: not a valid
 * sign-up for this structure. */
const pol_wijkgroep *pol_web_intake_accept(const pol_structure *s, const char *data, pol_lang lang, pol_intake *out);

/* ---- how many applications the bot takes ---- */
/* A fixed window of an hour: *window_start (the store's time, s) and
 * *taken (applications taken in it) are the caller's state, 0 at first.
 * Returns how many of the waiting applications may be taken now, at most
 * cap an hour, so that a flood of forms (many addresses, or a website
 * that was broken into) reaches the stuurgroep room slowly; the rest wait
 * in web.db, nothing is lost. Call pol_web_budget_took after taking. */
long pol_web_budget(long long now, long long *window_start, long *taken, long cap);
void pol_web_budget_took(long *taken, long n);

/* ---- output ---- */
/* HTML-escapes in (& < > " ') into out. Returns 0, or -1 when out was too
 * small (out then holds a cut but still well-formed escape). */
int pol_web_escape(const char *in, char *out, size_t size);

/* ---- codes ---- */
#define POL_WEB_CODE_LEN 9   /* "ABCD-EFGH" */
/* A code from 8 random bytes: 8 characters of an alphabet without 0, O, 1
 * and I, the first a digit, as "7BCD-EFGH" (38 bits). out: at least
 * POL_WEB_CODE_LEN + 1 bytes. */
void pol_web_code_make(const unsigned char rnd[8], char *out);
/* Reads what someone typed as a code ("abcd efgh", "ABCD-EFGH", with
 * spaces around) into the canonical form. Returns 0, or -1 when the text
 * is no code (a code has at least one digit: names are not codes). */
int pol_web_code_parse(const char *text, char *out, size_t size);

/* The placeholder account of web application id before a Matrix account
 * is tied to it ("web:<id>": never a Matrix user id); and back (0 if not). */
void pol_web_placeholder(long long id, char *out, size_t size);
long long pol_web_placeholder_id(const char *user);

/* ---- the bot's words about web codes ---- */
typedef enum pol_web_text_id {
	POL_WEB_TXT_CODE_OK = 0,        /* %s wijkgroep name */
	POL_WEB_TXT_CODE_WAITING,       /* %s wijkgroep, %ld place */
	POL_WEB_TXT_CODE_UNKNOWN,
	POL_WEB_TXT_CODE_ELSEWHERE,     /* %s wijkgroep name */
	POL_WEB_TXT_ADMITTED_SG,        /* %lld application, %ld hours */
	POL_WEB_TXT_LINKED_SG,          /* %lld application, %s account, %s wijkgroep */
	POL_WEB_TXT_LINKED_WAITING_SG,  /* %lld application, %s account, %s wijkgroep, %ld place */
	POL_WEB_TXT_F_ADDRESS_UNKNOWN,  /* %s wijk name */
	POL_WEB_TXT_F_ADDRESS_OTHER,    /* %s the other wijk's name */
	POL_WEB_TXT_F_PHONE,
	POL_WEB_TXT_F_ADULT,
	POL_WEB_TXT_F_AKKOORD,
	POL_WEB_TXT_F_MISSING,
	POL_WEB_TXT_CODE_TOO_MANY,      /* %d wrong codes, %d minutes */
	POL_WEB_TXT_COUNT
} pol_web_text_id;
const char *pol_web_text(pol_lang lang, pol_web_text_id id);
void pol_web_textf(char *buf, size_t size, pol_lang lang, pol_web_text_id id, ...);

#endif
