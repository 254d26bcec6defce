/* casus.h: the daemon's side of meldingen (issue 6): keeping casussen and
 * their messages, copying approved messages into their targets (at most
 * once per message and target, whatever is retried), posting the afloop
 * everywhere the casus went, and the reminders and expiry. */
#ifndef BOT_CASUS_H
#define BOT_CASUS_H

#include "daemon.h"

/* The casus actions of the rules, inside the batch's transaction. */
int bot_casus_action(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base,
		     size_t index);
/* The bot's own message ev: a copy it made learns its event id. */
int bot_casus_own_message(bot_daemon *d, const mx_event *ev);
/* An author's edit of a forwarded message is held for a stuurgroep
 * member's approval (the rules decide; an approved one is a FORWARD with
 * edit set); a redaction of a forwarded message redacts every copy. */
int bot_casus_follow(bot_daemon *d, const mx_event *ev);
/* user joined their direct chat room_id: private words kept for them go there. */
int bot_casus_deliver_notes(bot_daemon *d, const char *user, const char *room_id);
/* Reminders, expiry and retention, and the counts of floods that became
 * due (bot_flood_housekeeping); acts at most once a minute. */
void bot_casus_housekeeping(bot_daemon *d);

/* Facts for the rules, in pol_facts' shapes (store_casus.h underneath).
 * A read that fails is counted by the store (bot_store_failures), so the
 * batch that asked fails and is retried, and answers "not found" (-1)
 * rather than a number: of_event and by_nr 0 found, -1 not (or failed);
 * open_in 0 for none, last_nr 0 before the first, both -1 when the read
 * failed. */
int bot_casus_of_event(bot_daemon *d, const char *room_id, const char *event_id, pol_casus *out);
int bot_casus_by_nr(bot_daemon *d, long long nr, const char *room_id, pol_casus *out);
long long bot_casus_open_in(bot_daemon *d, const char *room_id);
long long bot_casus_last_nr(bot_daemon *d);
/* The stuurgroep's record of user: warnings and flags (both 0 when the
 * read failed, which the store counts). */
void bot_casus_marks(bot_daemon *d, const char *user, long *warnings, long *flags);
/* Who posted what (for flags and chatter; a BOT_STORE_ status), and how
 * many top-level posts user made in room_id in the last `seconds` (-1
 * when the read failed, which the store counts). */
int bot_casus_note_post(bot_daemon *d, const char *room_id, const char *event_id, const char *user, int top_level);
long bot_casus_recent_posts(bot_daemon *d, const char *room_id, const char *user, long seconds);
/* 1 when user is (or was) casushouder of a casus in room_id; 0 when not
 * or when the read failed (which the store counts). */
int bot_casus_is_casushouder(bot_daemon *d, const char *room_id, const char *user);

#endif
