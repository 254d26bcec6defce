/* signup_store.h: the store's side of sign-up: intakes in progress (the
 * state of the conversation, as JSON from policy/pol_intake), complete
 * applications waiting for the stuurgroep, and the personal data kept
 * about admitted residents. Everything personal about a resident is in
 * these tables and in residents (registry.h), so that forgetting someone
 * (bot_signup_forget) is a few deletes. The error convention is store.h's;
 * a write that fails changes nothing unless its comment says the caller
 * rolls back. */
#ifndef BOT_SIGNUP_STORE_H
#define BOT_SIGNUP_STORE_H

#include <stdint.h>
#include "store.h"

/* ---- intakes ---- */
/* *state and *room_id malloc'ed; BOT_STORE_NOT_FOUND when none (both
 * NULL then, and on error). put and delete change nothing on error. */
int bot_intake_get(bot_store *s, const char *user, char **state, char **room_id);
int bot_intake_put(bot_store *s, const char *user, const char *room_id, const char *state);
int bot_intake_delete(bot_store *s, const char *user);

/* ---- applications ---- */
typedef struct bot_application {
	int64_t nr;
	char *user, *room_id, *wijkgroep, *data, *state;
	int64_t created;   /* unix seconds */
} bot_application;

/* Keeps an application; *nr its number (0 on error, when nothing is kept). */
int bot_app_add(bot_store *s, const char *user, const char *room_id, const char *wg_key, const char *data,
		int64_t *nr);
/* Application nr into *out (clear it with bot_app_clear);
 * BOT_STORE_NOT_FOUND when none; on anything but OK *out holds nothing. */
int bot_app_get(bot_store *s, int64_t nr, bot_application *out);
/* The newest application of user that is open or waiting for a place;
 * *out as for bot_app_get. */
int bot_app_pending_of(bot_store *s, const char *user, bot_application *out);
/* state: "waiting", "admitted", "rejected". On error nothing changes. */
int bot_app_decide(bot_store *s, int64_t nr, const char *state, const char *by);
void bot_app_clear(bot_application *a);
/* Who decided application nr (malloc'ed) into *by; BOT_STORE_NOT_FOUND
 * when there is no application nr or it is not decided. */
int bot_app_decided_by(bot_store *s, int64_t nr, char **by);
/* The applications of the wijkgroep with key wg_key that are open or
 * waiting for a place, oldest first, at most max, into *out (*n of them;
 * free them with bot_app_list_free). On error BOT_STORE_ERR, *out NULL
 * and *n 0. */
int bot_app_list_pending(bot_store *s, const char *wg_key, size_t max, bot_application **out, size_t *n);
void bot_app_list_free(bot_application *l, size_t n);

/* A user and the number of one of their applications. */
typedef struct bot_app_ref {
	char *user;
	int64_t nr;
} bot_app_ref;
/* The users whose applications were rejected more than age_s ago and who
 * have none open, waiting or admitted and are no resident: the ones the
 * retention takes back, each with their last rejected application, by
 * user, into *out (*n of them; free with bot_app_refs_free). All or
 * nothing: on error BOT_STORE_ERR, *out NULL and *n 0. */
int bot_app_rejected_due(bot_store *s, int64_t age_s, bot_app_ref **out, size_t *n);
void bot_app_refs_free(bot_app_ref *l, size_t n);

/* Deletes decided applications (rejected; admitted ones, whose data went
 * into the registry) decided, and intakes untouched, more than age_s
 * ago; *deleted gets how many rows went (0 on error: the caller rolls
 * back). */
int bot_signup_purge(bot_store *s, int64_t age_s, long *deleted);
/* Deletes everything personal about user: intake, applications, resident
 * data, waiting lists, warnings and flags, private notes; in casussen
 * their name is taken off. On error the caller rolls back. */
int bot_signup_forget(bot_store *s, const char *user);

/* ---- residents' own data ---- */
/* The data a resident gave and the spelregels they accepted; on error
 * nothing changes. */
int bot_resident_set_data(bot_store *s, const char *user, const char *data, const char *spelregels);
typedef struct bot_resident {
	char *wijkgroep, *buurt, *admitted_by, *data, *spelregels;
	int64_t since;
	int welcomed;
} bot_resident;
/* user's record into *out (clear it with bot_resident_clear);
 * BOT_STORE_NOT_FOUND when not a resident; on anything but OK *out holds
 * nothing. */
int bot_resident_get(bot_store *s, const char *user, bot_resident *out);
void bot_resident_clear(bot_resident *r);
/* Calls cb for every resident who accepted some version of the
 * spelregels (user, wijkgroep key, that version) until it returns nonzero
 * (not an error); BOT_STORE_ERR when the read failed. */
int bot_resident_each_accepted(bot_store *s, int (*cb)(void *ctx, const char *user, const char *wg_key,
						       const char *version), void *ctx);
/* Marks user welcomed; *now_welcomed 1 when this call did it, 0 when
 * already done or no resident. On error BOT_STORE_ERR, nothing changes
 * and *now_welcomed is 0. */
int bot_resident_welcome_once(bot_store *s, const char *user, int *now_welcomed);

/* The open applications not reminded yet (at most 256): cb per one (its
 * number, wijkgroep key, when it came in) until it returns nonzero (then
 * BOT_STORE_ERR). Nothing is marked: bot_app_set_reminded does that. */
int bot_app_each_unreminded(bot_store *s, int (*cb)(void *ctx, int64_t nr, const char *wg_key, int64_t created),
			    void *ctx);
int bot_app_set_reminded(bot_store *s, int64_t nr);

#endif
