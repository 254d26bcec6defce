/* store_casus.h: the store's casus domain: casussen and the rooms they
 * reached, their kept messages and the copies made of them, edits held for
 * approval, marks and posts (flags, chatter), private words waiting for a
 * direct chat, and the housekeeping's reads and writes. The casus*.c files
 * carry out plans through these; none of them holds SQL.
 * The error convention is store.h's: a BOT_STORE_ status, results through
 * the parameters at the end, lists malloc'ed and freed with their _free. */
#ifndef BOT_STORE_CASUS_H
#define BOT_STORE_CASUS_H

#include <stddef.h>
#include <stdint.h>
#include "policy/pol_engine.h"

typedef struct bot_store bot_store;

/* ---- casussen ---- */

/* Casus nr as seen from room_id (its root and casushouder there; "" when
 * it did not reach room_id) into *out. BOT_STORE_NOT_FOUND when there is
 * no casus nr. On anything but OK *out is zeroed. */
int bot_store_casus_get(bot_store *s, long long nr, const char *room_id, pol_casus *out);
/* Opens casus nr in room_id with event_id as its root (casushouder may be
 * NULL). On error the caller rolls back (the casus row may be written). */
int bot_store_casus_open(bot_store *s, long long nr, const char *room_id, const char *event_id,
			 const char *casushouder);
/* The newest open casus that came in in room_id into *nr: 0 when none
 * (that is BOT_STORE_OK). On error *nr is 0 and must not be read. */
int bot_store_casus_open_in(bot_store *s, const char *room_id, long long *nr);
/* The highest casus number given so far into *nr, 0 before the first. On
 * error *nr is 0 and must not be read. */
int bot_store_casus_last_nr(bot_store *s, long long *nr);
/* How many casussen are open into *count. On error *count is 0 and must
 * not be read. */
int bot_store_casus_count_open(bot_store *s, long long *count);
/* *yes 1 when user is (or was) casushouder of a casus in room_id, else 0
 * (also on error, which the status says). */
int bot_store_casus_is_houder(bot_store *s, const char *room_id, const char *user, int *yes);
/* The casus whose root in room_id is root_event (a copy the bot made) into
 * *nr; BOT_STORE_NOT_FOUND when none. *nr 0 unless OK. */
int bot_store_casus_of_root(bot_store *s, const char *room_id, const char *root_event, long long *nr);
/* The root of casus nr in room_id (its thread there) into *root (caller
 * frees); BOT_STORE_NOT_FOUND when the casus has none there yet. */
int bot_store_casus_root_in(bot_store *s, long long nr, const char *room_id, char **root);
/* Closes casus nr with uitkomst and the casushouder's afloop text; a casus
 * not open is left as it is (OK). On error nothing changes. */
int bot_store_casus_close(bot_store *s, long long nr, const char *uitkomst, const char *afloop);
/* Links casus nr to casus linked (once). On error nothing changes. */
int bot_store_casus_link(bot_store *s, long long nr, long long linked);

/* A room casus nr reached: its root there (NULL before the bot saw its
 * copy) and casushouder (NULL for none). */
typedef struct bot_casus_room {
	char *room_id, *root_event, *casushouder;
} bot_casus_room;

typedef enum bot_casus_rooms_order {
	BOT_CASUS_ROOMS_ALL = 0,       /* every room, in the order reached */
	BOT_CASUS_ROOMS_BY_HOUDER = 1, /* rooms with a casushouder, by casushouder */
} bot_casus_rooms_order;

/* The rooms casus nr reached (at most 128) into *out (caller frees with
 * bot_casus_rooms_free) and *n. On error *out is NULL and *n 0. */
int bot_store_casus_rooms(bot_store *s, long long nr, bot_casus_rooms_order order, bot_casus_room **out, size_t *n);
void bot_casus_rooms_free(bot_casus_room *rooms, size_t n);

/* A casus as !casus lists it: where it came in, when, its status, its
 * casushouder in the room asked from (NULL: none there) and how many
 * rooms it reached. */
typedef struct bot_casus_summary {
	long long nr, opened;
	char *origin_room, *status, *houder_here;
	size_t n_rooms;
} bot_casus_summary;

/* Casus nr (nr > 0), or the open casussen by number (nr 0, at most 50),
 * as seen from room_id, into *out (caller frees with
 * bot_casus_summaries_free) and *n; no casus nr is OK with *n 0. On error
 * *out is NULL and *n 0. */
int bot_store_casus_list(bot_store *s, const char *room_id, long long nr, bot_casus_summary **out, size_t *n);
void bot_casus_summaries_free(bot_casus_summary *list, size_t n);

/* ---- kept messages ---- */

/* A kept message of a casus (nr 0: kept before a casus had it). */
typedef struct bot_casus_msg {
	long long nr, ts;
	char *sender;     /* may be NULL */
	char *content;    /* the kept JSON ("{}" once redacted); may be NULL */
} bot_casus_msg;

/* The kept message event_id of room_id into *out (clear it with
 * bot_casus_msg_clear); BOT_STORE_NOT_FOUND when it is not kept. On
 * anything but OK *out holds nothing. */
int bot_store_casus_msg_get(bot_store *s, const char *room_id, const char *event_id, bot_casus_msg *out);
void bot_casus_msg_clear(bot_casus_msg *m);
/* Keeps a message of casus nr (json: its content); a message kept before
 * with nr 0 joins nr. On error nothing changes. */
int bot_store_casus_msg_keep(bot_store *s, const char *room_id, const char *event_id, long long nr,
			     const char *sender, const char *json);
/* Replaces the kept content of a message (an edit kept or approved, "{}"
 * for a redacted one). A message not kept is OK (nothing to change). On
 * error nothing changes. */
int bot_store_casus_msg_set_content(bot_store *s, const char *room_id, const char *event_id, const char *json);

/* ---- copies (forwards) ---- */

/* A copy the bot made of a message: where it went, its event there (NULL
 * before the bot saw it back), who approved it, its casus. */
typedef struct bot_casus_copy {
	char *target_room, *target_event, *approver;
	long long nr;
} bot_casus_copy;

/* How many copies were made of source_event (into target_room only, when
 * not NULL) into *n. On error *n is 0 and must not be read. */
int bot_store_casus_copy_count(bot_store *s, const char *source_event, const char *target_room, int64_t *n);
/* The copies made of source_event, oldest first (at most max), into *out
 * (caller frees with bot_casus_copies_free) and *n. On error *out is NULL
 * and *n 0. */
int bot_store_casus_copies_of(bot_store *s, const char *source_event, size_t max, bot_casus_copy **out, size_t *n);
void bot_casus_copies_free(bot_casus_copy *list, size_t n);
/* Records a copy queued as txn: the forward, and the room with its
 * casushouder (a casushouder known there stays). On error the caller
 * rolls back (the first row may be written). */
int bot_store_casus_copy_add(bot_store *s, const char *source_event, const char *target_room, long long nr,
			     const char *txn, const char *approver, const char *houder);
/* The bot saw its copy of source_event back in room_id as copy_event: the
 * room's root (when it had none) and the forward learn it. On error the
 * caller rolls back. */
int bot_store_casus_copy_seen(bot_store *s, long long nr, const char *room_id, const char *copy_event,
			      const char *source_event);
/* Notes that the message a copy was made from was redacted, so the copy
 * goes too when it is seen back. On error nothing changes. */
int bot_store_casus_copy_mark_redacted(bot_store *s, const char *source_event, const char *target_room);
/* *yes 1 when the message of the copy in target_room was redacted before
 * the copy was seen back, else 0 (also on error, which the status says). */
int bot_store_casus_copy_redacted(bot_store *s, const char *source_event, const char *target_room, int *yes);

/* ---- edits held for approval ---- */

/* An author's edit of a forwarded message. */
typedef struct bot_casus_edit {
	long long nr;
	pol_edit_state state;
	char *room_id, *edit_event, *original, *content;
} bot_casus_edit;

void bot_casus_edit_clear(bot_casus_edit *e);
/* The edit that event_id in room_id is, or the one it is the bot's request
 * about, into *out (clear it); BOT_STORE_NOT_FOUND when neither. On
 * anything but OK *out holds nothing. */
int bot_store_casus_edit_find(bot_store *s, const char *room_id, const char *event_id, bot_casus_edit *out);
/* The pending edit edit_event into *out; BOT_STORE_NOT_FOUND when it is
 * not pending (withdrawn, approved, superseded) or unknown. */
int bot_store_casus_edit_pending(bot_store *s, const char *edit_event, bot_casus_edit *out);
/* Holds edit_event of original (in room_id, casus nr) with its new content
 * json for approval, asked in request_room (NULL: not asked yet); an older
 * edit of original still pending is superseded. On error the caller rolls
 * back. */
int bot_store_casus_edit_hold(bot_store *s, const char *room_id, const char *edit_event, const char *original,
			      long long nr, const char *json, const char *request_room);
/* The bot's request about the edit (edit_room, edit_event) is
 * request_event in request_room. On error nothing changes. */
int bot_store_casus_edit_requested(bot_store *s, const char *request_room, const char *request_event,
				   const char *edit_room, const char *edit_event);
/* edit_event was approved by approver. On error nothing changes. */
int bot_store_casus_edit_approve(bot_store *s, const char *edit_event, const char *approver);
/* edit_event (in room_id) was redacted before approval: withdrawn, its
 * text forgotten. On error nothing changes. */
int bot_store_casus_edit_withdraw(bot_store *s, const char *room_id, const char *edit_event);
/* original (in room_id) was redacted: the texts of its edits go, and
 * those not approved are withdrawn. On error nothing changes. */
int bot_store_casus_edits_forget(bot_store *s, const char *room_id, const char *original);

/* ---- marks, posts, private words ---- */

/* A warning ("warning") or flag ("flag") for user, given by by_user in
 * room_id (event_id: the flagged message, NULL for a warning). On error
 * nothing changes. */
int bot_store_mark_add(bot_store *s, const char *user, const char *kind, const char *by_user, const char *room_id,
		       const char *event_id);
/* user's warnings and flags into *warnings and *flags. On error both are
 * 0 and must not be read. */
int bot_store_marks_count(bot_store *s, const char *user, long *warnings, long *flags);
/* Notes who posted event_id in room_id (top_level: not a reply or thread
 * message). Once per event. On error nothing changes. */
int bot_store_post_add(bot_store *s, const char *room_id, const char *event_id, const char *user, int top_level);
/* The author of a noted post into *user (caller frees);
 * BOT_STORE_NOT_FOUND when the bot did not note it. */
int bot_store_post_author(bot_store *s, const char *room_id, const char *event_id, char **user);
/* How many top-level posts user made in room_id in the last seconds (the
 * store's time) into *n. On error *n is 0 and must not be read. */
int bot_store_posts_recent(bot_store *s, const char *room_id, const char *user, long seconds, long *n);

/* A private word for a resident without a direct chat yet. */
typedef struct bot_casus_note {
	long long id;
	char *text;
} bot_casus_note;

/* Keeps a private word for user. On error nothing changes. */
int bot_store_note_add(bot_store *s, const char *user, const char *text);
/* user's private words, oldest first (at most 64), into *out (caller
 * frees with bot_casus_notes_free) and *n. On error *out NULL, *n 0. */
int bot_store_notes_of(bot_store *s, const char *user, bot_casus_note **out, size_t *n);
void bot_casus_notes_free(bot_casus_note *list, size_t n);
/* A private word delivered: it goes. On error nothing changes. */
int bot_store_note_delete(bot_store *s, long long id);

/* ---- floods (flood.c): meldingen past the flood limit open no casus ---- */

/* The flood of user in room_id going on at now (its last message within
 * window_s) into *out; BOT_STORE_NOT_FOUND when none. *out is zeroed
 * unless OK. */
int bot_store_flood_get(bot_store *s, const char *room_id, const char *user, long long now, long window_s,
			pol_flood *out);
/* Counts one more message of user's flood in room_id at now (a flood
 * whose last message is window_s or longer ago starts over); reported:
 * the stuurgroep hears of this one with it. On error nothing changes. */
int bot_store_flood_count(bot_store *s, const char *room_id, const char *user, long long now, long window_s,
			  int reported);
/* How many casussen user opened in room_id (as its casushouder there) in
 * the last seconds (the store's time) into *n. On error *n is 0 and must
 * not be read. */
int bot_store_casussen_by(bot_store *s, const char *room_id, const char *user, long seconds, long *n);

/* A flood with messages the stuurgroep was not told of. */
typedef struct bot_flood_due {
	char *room_id, *user_id;
	pol_flood f;
} bot_flood_due;

/* The floods with unreported messages at now, the longest unreported
 * first (at most max), into *out (caller frees with bot_floods_due_free)
 * and *n. On error *out NULL and *n 0. */
int bot_store_floods_due(bot_store *s, long long now, size_t max, bot_flood_due **out, size_t *n);
void bot_floods_due_free(bot_flood_due *list, size_t n);
/* The stuurgroep was told of user's flood in room_id at now. On error
 * nothing changes. */
int bot_store_flood_reported(bot_store *s, const char *room_id, const char *user, long long now);
/* Forgets the floods told of whose last message was at before or
 * earlier. On error nothing changes. */
int bot_store_floods_forget(bot_store *s, long long before);

/* ---- housekeeping ---- */

/* The open casussen for the housekeeping's snapshot, by number: the max
 * longest open (the next to expire) and the max longest open not reminded
 * yet (the next reminders), so at most 2 * max: number, where and when each
 * came in and whether it was reminded. *out (caller frees with
 * bot_casus_open_free) and *n; on error *out NULL and *n 0. */
typedef struct bot_casus_open {
	long long nr, opened;
	int reminded;
	char *origin_room, *origin_event;
} bot_casus_open;

int bot_store_casus_open_list(bot_store *s, size_t max, bot_casus_open **out, size_t *n);
void bot_casus_open_free(bot_casus_open *list, size_t n);
/* Casus nr expired without an afloop. On error nothing changes. */
int bot_store_casus_expire(bot_store *s, long long nr);
/* Casus nr's reminder went out. On error nothing changes. */
int bot_store_casus_reminded(bot_store *s, long long nr);
/* Retention: of casussen closed or expired retention_s or longer ago only
 * number, status, times and uitkomst remain (messages, edits, rooms,
 * copies and the afloop text go), as do messages that never joined a
 * casus; noted posts and undelivered private words go after a week. On
 * error the caller rolls back (some may be gone). */
int bot_store_casus_retention(bot_store *s, long long retention_s);

#endif
