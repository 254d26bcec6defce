/* casus_int.h: what the casus files (casus.c, casus_copy.c, casus_forward.c,
 * casus_follow.c, casus_list.c) share; not for the rest of bot/. */
#ifndef BOT_CASUS_INT_H
#define BOT_CASUS_INT_H

#include "casus.h"
#include "store.h"
#include "store_casus.h"

#define TXN_MAX 1400
#define FIELD_CASUS "nl.buurtbot.casus"
#define FIELD_BRON "nl.buurtbot.bron"
#define FIELD_EDIT "nl.buurtbot.bewerking"   /* the bot's request to approve an edit */

/* casus.c: v as decimal text into buf. */
void casus_num(char *buf, size_t size, long long v);
/* casus.c: the casus of a kept message (nr 0 too when with_unopened), with
 * its author and how often it was copied; -1 when not kept or a read
 * failed (the store counts the failure). */
int casus_kept_message(bot_daemon *d, const char *room_id, const char *event_id, int with_unopened, pol_casus *out);
/* casus.c: keeps a message of casus nr (content NULL: "{}"); a message
 * kept before with nr 0 joins nr. A BOT_STORE_ status (ERR also when out
 * of memory). */
int casus_keep_event(bot_daemon *d, const char *room_id, const char *event_id, long long nr, const char *sender,
		     const cJSON *content);
/* casus.c: opens casus nr in room_id with event_id as its root (casushouder
 * may be NULL). A BOT_STORE_ status. */
int casus_open(bot_daemon *d, long long nr, const char *room_id, const char *event_id, const char *casushouder);

/* casus_copy.c: the copy of orig under header, marked with casus nr and
 * its source; caller owns it (cJSON_Delete); NULL when out of memory. */
cJSON *casus_copy_content(const cJSON *orig, const char *header, long long nr, const char *src_room,
			  const char *src_event);
/* casus_copy.c: the edit event replacing copy_event with newc (taken, also
 * on failure); caller owns the result; NULL when out of memory. */
cJSON *casus_copy_edit(cJSON *newc, const char *copy_event);
/* casus_copy.c: the structure's name of room_id, else room_id (borrowed). */
const char *casus_room_name(bot_daemon *d, const char *room_id);
/* casus_copy.c: the attribution header (pol_copy_header) of a copy of
 * casus nr, made at ts, going into room_id, where a forward makes
 * houder_new (may be NULL) casushouder; into buf. */
void casus_copy_header(bot_daemon *d, long long nr, long long ts, const char *room_id, const char *houder_new,
		       const char *approver, char *buf, size_t size);
/* casus_copy.c: the body of content, or "" (borrowed). */
const char *casus_body_of(const cJSON *content);

/* casus_forward.c: carries out a FORWARD plan. A BOT_STORE_ status. */
int casus_forward(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base, size_t index);

/* casus_follow.c: an approved edit (a FORWARD with edit set) into every
 * copy; queues a redaction of a copy and forgets its text. BOT_STORE_ statuses. */
int casus_forward_edit(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn);
int casus_redact_copy(bot_daemon *d, const char *room_id, const char *event, const char *why_txn);

/* casus_list.c: the afloop (CASUS_CLOSE) and !casus (CASUS_LIST). BOT_STORE_ statuses. */
int casus_close(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn);
int casus_list(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn);

#endif
