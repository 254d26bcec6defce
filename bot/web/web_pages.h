/* web_pages.h: the website's HTML, built into a bounded buffer. Every
 * value from outside (form answers, the structure's names, the bot's
 * tokens) is escaped on its way in; no JavaScript, one stylesheet of our
 * own, works on a phone. */
#ifndef WEB_PAGES_H
#define WEB_PAGES_H

#include <stddef.h>
#include <stdint.h>
#include "web_db.h"
#include "policy/pol_structure.h"
#include "policy/pol_text.h"
#include "policy/pol_web.h"

#define WEB_PAGE_MAX (512 * 1024)

typedef struct web_buf {
	char *data;
	size_t len, cap;
	int failed;      /* out of memory or past WEB_PAGE_MAX: the page is not sent */
} web_buf;

void web_buf_add(web_buf *b, const char *text);            /* as is: our own HTML */
void web_buf_esc(web_buf *b, const char *text);            /* escaped */
void web_buf_fmt(web_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void web_buf_free(web_buf *b);

typedef struct web_site {
	const pol_structure *structure;
	const char *base_url;      /* public address, no trailing slash */
	const char *bot_user;      /* the bot's Matrix id, for matrix.to; may be "" */
	const char *client_url;    /* where to create an account; may be "" */
} web_site;

/* The answers sent, shown again after a problem. */
typedef struct web_form_values {
	const char *name, *address, *buurt, *phone;
	int adult, akkoord;
} web_form_values;

void web_page_gemeente(web_buf *b, const web_site *site, pol_lang lang);
/* form may be NULL (empty form), err NULL (no problems). csrf: the form's token. */
void web_page_wijk(web_buf *b, const web_site *site, const pol_wijk *w, pol_lang lang, const web_form_values *form,
		   const pol_web_errors *err, const char *csrf);
/* id: the status link's secret (hex), for the delete form's address. */
void web_page_status(web_buf *b, const web_site *site, const web_status *st, const char *id, pol_lang lang,
		     const char *csrf);
void web_page_message(web_buf *b, pol_lang lang, int text_id);
extern const char web_stylesheet[];

#endif
