/* web_text.h: the words of the website, Dutch (default) and English.
 * Plain text: the pages escape it (a few are marked as HTML fragments
 * of our own). */
#ifndef WEB_TEXT_H
#define WEB_TEXT_H

#include <stddef.h>
#include "policy/pol_text.h"

typedef enum web_text_id {
	W_TITLE_GEMEENTE = 0,   /* %s gemeente */
	W_GEMEENTE_INTRO,
	W_GEMEENTE_PICK,
	W_WIJK_TITLE,           /* %s wijk */
	W_WIJK_ACTIVE,          /* %s wijk */
	W_HOW_TITLE,
	W_HOW_TEXT,
	W_SAAR_S, W_SAAR_A, W_SAAR_A2, W_SAAR_R,
	W_112_FIRST,
	W_SPELREGELS_TITLE,
	W_FORM_TITLE,
	W_FORM_INTRO,
	W_F_NAME, W_F_ADDRESS, W_F_ADDRESS_HINT, W_F_BUURT, W_F_BUURT_NONE, W_F_PHONE, W_F_PHONE_HINT,
	W_F_ADULT,              /* %s wijk */
	W_F_AKKOORD,
	W_F_SUBMIT,
	W_FORM_ERRORS,
	W_PRIVACY_TITLE,
	W_PRIVACY_TEXT,
	W_STATUS_TITLE,
	W_STATUS_KEEP,
	W_ST_NEW, W_ST_OPEN, W_ST_WAITING, W_ST_ADMITTED, W_ST_REJECTED, W_ST_LINKED, W_ST_EXPIRED, W_ST_DELETED,
	W_ADM_STEP1, W_ADM_TOKEN, W_ADM_NO_TOKEN, W_ADM_OWN_ACCOUNT, W_ADM_CLIENT, W_ADM_STEP2, W_ADM_CODE, W_ADM_BOT, W_ADM_EXPIRES,
	W_DELETE_TITLE, W_DELETE_TEXT, W_DELETE_BUTTON,
	W_ERR_NOT_FOUND, W_ERR_FORM_OLD, W_ERR_REPLAY, W_ERR_RATE, W_ERR_TOO_LARGE, W_ERR_SERVER, W_ERR_METHOD,
	W_BACK, W_OTHER_LANG, W_FLYER_LINK,
	W_FLYER_WHAT, W_FLYER_SIGNUP,
	W_ERR_LINKED,
	W_COUNT
} web_text_id;

const char *web_text(pol_lang lang, web_text_id id);

#endif
