/* store_web.h: the bot store's side of applications made on the website
 * (issue 15): which web application became which application number, the
 * code and registration token offered on admission, and what was last
 * shown on the status page. The error convention is store.h's: unless
 * said otherwise a write that fails changes nothing, and a read's out
 * parameters hold nothing (0, NULL) unless BOT_STORE_OK. */
#ifndef BOT_STORE_WEB_H
#define BOT_STORE_WEB_H

#include <stdint.h>
#include "store.h"

/* web_id became application nr; on error nothing changes. */
int bot_webapp_add(bot_store *s, int64_t web_id, int64_t nr);
/* The application number web_id became; BOT_STORE_NOT_FOUND when none. */
int bot_webapp_nr(bot_store *s, int64_t web_id, int64_t *nr);
/* *known 1 when web_id is known, 0 when not; on error BOT_STORE_ERR and
 * *known 0 (never read it then). */
int bot_webapp_known(bot_store *s, int64_t web_id, int *known);
/* The public state of web_id into *state (malloc'ed);
 * BOT_STORE_NOT_FOUND when web_id is not known. */
int bot_webapp_state(bot_store *s, int64_t web_id, char **state);
/* The registration token offered to web_id into *token (malloc'ed: wipe
 * it before freeing); BOT_STORE_NOT_FOUND when none. */
int bot_webapp_token(bot_store *s, int64_t web_id, char **token);
/* Admitted: code offered until expires (unix seconds). */
int bot_webapp_admit(bot_store *s, int64_t web_id, const char *code, int64_t expires);
/* The admitted, unlinked, unexpired application with code (at :now):
 * *web_id and *nr, or BOT_STORE_NOT_FOUND. */
int bot_webapp_by_code(bot_store *s, const char *code, int64_t *web_id, int64_t *nr);
/* The code is used: the application belongs to user (whose direct chat
 * with the bot is dm_room) from now on; its placeholder is replaced by
 * user in applications, waiting lists and the links of the bot's
 * messages that named it. On error the caller rolls back. */
int bot_webapp_link(bot_store *s, int64_t web_id, const char *placeholder, const char *user, const char *dm_room);
/* On error nothing changes. */
int bot_webapp_set_state(bot_store *s, int64_t web_id, const char *state);
/* Admitted ones past their expiry become 'expired'. On error nothing
 * changes. */
int bot_webapp_expire(bot_store *s);
/* Forgets the rows whose story is over: published as deleted, or linked,
 * expired or deleted ones whose application the sign-up retention
 * already removed. On error the caller rolls back. */
int bot_webapp_purge(bot_store *s);

typedef struct bot_webapp {
	int64_t web_id, nr, expires;
	char *state;      /* public: open, waiting, admitted, rejected, linked, expired, deleted */
	char *code, *token, *wijkgroep;  /* may be NULL; wijkgroep: the application's key */
} bot_webapp;
void bot_webapp_clear(bot_webapp *w);
/* Calls cb for each application whose public state, code or token is not
 * what was last published, until cb returns nonzero (not an error);
 * BOT_STORE_ERR when the read failed. published notes what was shown
 * (on error nothing changes). */
int bot_webapp_each_unpublished(bot_store *s, int (*cb)(void *ctx, const bot_webapp *w), void *ctx);
int bot_webapp_published(bot_store *s, int64_t web_id, const char *what);
/* Calls cb for the admitted ones without a registration token yet, as
 * each_unpublished; set_token: on error nothing changes. */
int bot_webapp_each_tokenless(bot_store *s, int (*cb)(void *ctx, const bot_webapp *w), void *ctx);
int bot_webapp_set_token(bot_store *s, int64_t web_id, const char *token);

#endif
