/* pol_web_code.h: what happens when someone sends the code of an admitted
 * website application (issue 15) in a direct chat, as pure decisions:
 * whether a message is such a code, how many wrong codes an account may
 * send, and what tying the account to its application means (in, cap
 * permitting, else the waiting list) with every word said about it. The
 * daemon looks the code up, links the application and carries the plan
 * out (bot/web_intake.c). */
#ifndef POL_WEB_CODE_H
#define POL_WEB_CODE_H

#include "pol_engine.h"

#define POL_WEB_CODE_TRIES 5        /* wrong codes an account may send ... */
#define POL_WEB_CODE_WINDOW_S 3600  /* ... in this time: guessing a code takes ages */

/* 1 when in is a message in a direct chat, not from the bot (bot_user),
 * that reads as a code; the code in its canonical form into code (at
 * least POL_WEB_CODE_LEN + 1 bytes). 0 otherwise. */
int pol_web_code_message(const pol_input *in, const char *bot_user, char *code, size_t size);

/* One account's wrong codes; kept by the caller, zero at first. */
typedef struct pol_web_tries {
	long long start;   /* the window's start (s) */
	int wrong;
} pol_web_tries;

/* Whether a code from the account of t may be looked up at now (a new
 * window starts when the last one passed). 1 yes; 0 no, with the answer
 * in buf: past the limit not even the right code is looked up. */
int pol_web_code_allowed(pol_web_tries *t, long long now, pol_lang lang, char *buf, size_t size);

typedef enum pol_web_code_kind {
	POL_WEB_CODE_UNKNOWN = 0,   /* no admitted application has it: answer, a wrong try counted */
	POL_WEB_CODE_ELSEWHERE,     /* the account lives in a wijkgroep already: answer */
	POL_WEB_CODE_TAKE,          /* tie the account to the application, then pol_web_link */
} pol_web_code_kind;

/* After the lookup: found (the code is an admitted application's) and
 * resident_of (the wijkgroep key the account lives in, or NULL). The
 * answer for UNKNOWN and ELSEWHERE into buf. */
pol_web_code_kind pol_web_code_found(pol_lang lang, const pol_structure *s, pol_web_tries *t, int found,
				     const char *resident_of, char *buf, size_t size);

/* What the daemon knows once the account is tied to the application. */
typedef struct pol_web_link_facts {
	long long nr;                /* the application */
	const char *user;            /* the account that sent the code */
	const char *wijkgroep_key;   /* the application's wijkgroep */
	int room_made;               /* the wijkgroep's room exists */
	long count;                  /* members counting against the cap; -1 unknown */
	long wait_position;          /* the account's place on its waiting list, 0 not on it */
	long wait_length;            /* that list's length */
	const char *buurt;           /* from the application, or NULL */
} pol_web_link_facts;

typedef enum pol_web_link_kind {
	POL_WEB_LINK_GONE = 0,   /* its wijkgroep is gone: only the answer */
	POL_WEB_LINK_WAIT,       /* full (or unknown): onto the waiting list (wait_key) */
	POL_WEB_LINK_INVITE,     /* in: invite (the INVITE plan) */
} pol_web_link_kind;

typedef struct pol_web_link_plan {
	pol_web_link_kind kind;
	pol_action invite;              /* INVITE: carried out as the one who admitted it */
	char wait_key[POL_KEY_MAX];     /* WAIT: the wijkgroep's key; source "web" */
	char sg_key[POL_KEY_MAX];       /* the stuurgroep room told sg_text ("" none), the
					 * notice naming the account for !vergeetmij */
	char sg_text[POL_TEXT_MAX];
	char reply[POL_TEXT_MAX];       /* the answer in the direct chat */
} pol_web_link_plan;

/* Decides f in lang for structure s (may be NULL); always fills *out. */
void pol_web_link(pol_lang lang, const pol_structure *s, const pol_web_link_facts *f, pol_web_link_plan *out);

/* What the website's status page may show of an application in state
 * (the bot's word: "open", "admitted", ...) with its code and token (either
 * NULL when none). Code and token reach the website only while they are
 * of use there (admitted, with a code); token "-" says none will come
 * (no_tokens: the bot has no admin token). Strings borrowed from the
 * arguments or static. */
typedef struct pol_web_status {
	const char *code;      /* NULL: wiped on the website */
	const char *token;     /* NULL: wiped (or not made yet) */
	int offer;             /* code, token and expiry are shown */
} pol_web_status;
void pol_web_status_of(const char *state, const char *code, const char *token, int no_tokens, pol_web_status *out);

#endif
