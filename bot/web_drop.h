/* web_drop.h: the bot's side of web.db, the website's handover database
 * (issue 15): opening it with the checks it needs, reading the new
 * applications and the deletion requests, writing back what the status
 * page shows, and purging finished rows. Only SQL lives here; what to do
 * with the rows is web_intake.c's. The file is the website's: the bot
 * never creates it (so its owner and mode stay the website's).
 * Every function returns 0, or -1 when web.db failed (logged; outputs
 * then hold nothing: NULL, 0, and must not be read). */
#ifndef BOT_WEB_DROP_H
#define BOT_WEB_DROP_H

#include <stddef.h>

typedef struct bot_web_drop bot_web_drop;

/* Opens web.db in web_dir into *out (NULL on -1: not made yet, which is
 * logged once, or not openable). */
int bot_web_drop_open(bot_web_drop **out, const char *web_dir);
/* Closes w; NULL is fine. */
void bot_web_drop_close(bot_web_drop *w);

/* A new application: its id in web.db and its answers (NULL when
 * missing or longer than any form of the website's: not even read). */
typedef struct bot_web_drop_app {
	long long id;
	char *data;
} bot_web_drop_app;

/* The oldest new applications, at most max, into out[0..*n) (free each
 * one's data with bot_web_drop_apps_free). */
int bot_web_drop_new(bot_web_drop *w, size_t max, bot_web_drop_app *out, size_t *n);
void bot_web_drop_apps_free(bot_web_drop_app *apps, size_t n);
/* The applications whose deletion was asked on the status page (and not
 * done yet), oldest first, at most max, into out[0..*n) (data NULL). */
int bot_web_drop_deletions(bot_web_drop *w, size_t max, bot_web_drop_app *out, size_t *n);

/* Application id was taken (state "open") or refused ("deleted"): its
 * answers are wiped from web.db. */
int bot_web_drop_taken(bot_web_drop *w, long long id, const char *state, long long now);
/* The deletion asked for id is not done: the application is tied to an
 * account already (!vergeetmij deletes it). */
int bot_web_drop_keep_linked(bot_web_drop *w, long long id, long long now);
/* Application id was deleted: everything of it but the row goes. */
int bot_web_drop_deleted(bot_web_drop *w, long long id, long long now);

/* What the status page of application id shows: state, the wijkgroep's
 * name (NULL keeps the one shown), code, registration token and until
 * when they hold (NULL each: none). */
typedef struct bot_web_drop_status {
	const char *state, *wijkgroep, *code, *token;
	const long long *expires;
} bot_web_drop_status;
int bot_web_drop_publish(bot_web_drop *w, long long id, const bot_web_drop_status *st, long long now);

/* Finished applications (deleted, rejected, linked, expired) last
 * changed before `before` leave web.db. */
int bot_web_drop_purge(bot_web_drop *w, long long before);

#endif
