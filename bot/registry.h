/* registry.h: what the bot keeps about people and pending decisions, next
 * to the room membership it sees in sync: the waiting list per wijkgroep,
 * the residents it admitted (with their buurt, for splits), proposals a
 * second stuurgroep member confirms, and members a split moves. Keys of
 * wijkgroepen are structure room keys ("wijkgroep:<id>"). The error
 * convention is store.h's; a write that fails changes nothing unless its
 * comment says the caller rolls back. */
#ifndef BOT_REGISTRY_H
#define BOT_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"

/* ---- waiting list ---- */

/* Puts user on the list of wg_key (kept where they were when already on
 * it); *position (may be NULL) gets their place (1 = first), 0 on error.
 * source: "knock", "lid", "limiet". On error the caller rolls back. */
int bot_reg_wait_add(bot_store *s, const char *wg_key, const char *user, const char *source,
		     long *position);
/* Place of user on the list into *position (0: not on it). On error
 * BOT_STORE_ERR and *position 0 (never read it then). */
int bot_reg_wait_position(bot_store *s, const char *wg_key, const char *user, long *position);
/* How many are on the list of wg_key into *count. On error BOT_STORE_ERR
 * and *count 0 (never read it then). */
int bot_reg_wait_count(bot_store *s, const char *wg_key, long *count);
/* Takes user off the list of wg_key, or off every list when wg_key is
 * NULL. On error nothing changes. */
int bot_reg_wait_remove(bot_store *s, const char *wg_key, const char *user);

typedef struct bot_wait_entry {
	char *user;
	int64_t since;    /* unix seconds */
	char *source;
} bot_wait_entry;
/* The list of wg_key, first first; free with bot_reg_wait_free. On error
 * *out is NULL and *n 0. */
int bot_reg_wait_list(bot_store *s, const char *wg_key, bot_wait_entry **out, size_t *n);
void bot_reg_wait_free(bot_wait_entry *list, size_t n);

/* ---- residents ---- */

/* Records (or moves) a resident: wijkgroep, buurt label (NULL: unknown,
 * kept when already known for the same wijkgroep), who admitted them.
 * On error nothing changes. */
int bot_reg_resident_set(bot_store *s, const char *user, const char *wg_key, const char *buurt,
			 const char *admitted_by);
/* The buurt label of user (*out malloc'ed), BOT_STORE_NOT_FOUND when
 * unknown (*out NULL then and on error). delete: on error nothing changes. */
int bot_reg_resident_buurt(bot_store *s, const char *user, char **out);
int bot_reg_resident_delete(bot_store *s, const char *user);

/* The joined and invited members of room_id (except except_user) with
 * when that began and their buurt as a resident of wg_key (NULL when
 * unknown). Free with bot_reg_members_free. On error *out is NULL and
 * *n 0. */
typedef struct bot_member_row {
	char *user;
	int invited;
	int64_t since;
	char *buurt;
} bot_member_row;
int bot_reg_room_members(bot_store *s, const char *room_id, const char *wg_key, const char *except_user,
			 bot_member_row **out, size_t *n);
void bot_reg_members_free(bot_member_row *rows, size_t n);

/* *member 1 when user is joined or invited in room_id, 0 when not; on
 * error BOT_STORE_ERR and *member 0 (never read it then). */
int bot_reg_member_is(bot_store *s, const char *room_id, const char *user, int *member);

/* ---- proposals ---- */

typedef struct bot_proposal {
	int64_t nr;
	char *room_id, *kind, *proposer, *args, *state;
	int64_t created;   /* unix seconds */
} bot_proposal;

/* Keeps a proposal; *nr its number (0 on error, when nothing is kept). */
int bot_reg_proposal_add(bot_store *s, const char *room_id, const char *kind, const char *proposer,
			 const char *args, int64_t *nr);
/* Proposal nr, or with nr 0 the newest open one of room_id, into *out
 * (clear it with bot_proposal_clear); BOT_STORE_NOT_FOUND when none. On
 * anything but OK *out holds nothing. close: on error nothing changes. */
int bot_reg_proposal_get(bot_store *s, const char *room_id, int64_t nr, bot_proposal *out);
int bot_reg_proposal_close(bot_store *s, int64_t nr, const char *state, const char *decided_by);
void bot_proposal_clear(bot_proposal *p);
/* Calls cb for every proposal carried out but not yet reported back
 * (BOT_STORE_ERR when the read failed, possibly after some calls);
 * reported: on error nothing changes. */
int bot_reg_proposals_unreported(bot_store *s, int (*cb)(void *ctx, const bot_proposal *p), void *ctx);
int bot_reg_proposal_reported(bot_store *s, int64_t nr);

/* ---- moves after a split ---- */

/* A move a split asks for; on error nothing changes. */
int bot_reg_move_add(bot_store *s, const char *user, const char *to_key, int64_t proposal);
/* Calls cb for every move not done yet, until it returns nonzero (not an
 * error); BOT_STORE_ERR when the read failed, possibly after some calls.
 * done: on error nothing changes. */
int bot_reg_moves_each(bot_store *s, int (*cb)(void *ctx, const char *user, const char *to_key,
					       int64_t proposal), void *ctx);
int bot_reg_move_done(bot_store *s, const char *user, const char *to_key);
/* How many moves of proposal are done into *done. On error BOT_STORE_ERR
 * and *done 0 (never read it then). */
int bot_reg_moves_done_count(bot_store *s, int64_t proposal, long *done);

#endif
