/* sthelp.h: helpers for the integration tests of the structure: accounts
 * of the example files, the bot's room ids, waiting for its reconcile and
 * for its notices in encrypted rooms, counting what arrived in a room
 * after a marker. */
#ifndef STHELP_H
#define STHELP_H

#include "itest.h"
#include "resident.h"

/* Logs in as an account of the example files (registered when new). */
void sthelp_example_user(itest_user *u, const char *localpart);
/* The room id the bot stored for a structure key (asserts it exists). */
char *sthelp_room_of(const itest_bot *b, const char *key);
/* Whether the bot stored a room for key, failing the test when its store
 * cannot be read (so "no room" is never a failed read). */
int sthelp_has_room(const itest_bot *b, const char *key);
/* The same, waiting up to timeout_ms for it to exist; NULL when it never
 * did, or when the store could not be read: not for "no room". */
char *sthelp_wait_room(const itest_bot *b, const char *key, long timeout_ms);
/* Waits for the bot's nth reconcile summary in its log; returns the line. */
char *sthelp_wait_reconciled(const itest_bot *b, int nth);
/* Waits until a message of sender in room (as r reads it, decrypted)
 * contains needle; returns the first such body (caller frees) or NULL on
 * timeout. NULL also when the reads failed: never use it to show that
 * something did not arrive (count with sthelp_count_* below). */
char *sthelp_wait_message(resident *r, const char *room, const char *sender, const char *needle,
			  long timeout_ms);
/* The same, returning that message's event id (caller frees) or NULL. */
char *sthelp_wait_event(resident *r, const char *room, const char *sender, const char *needle, long timeout_ms);

/* Counting what arrived in a room, for checks that something did NOT
 * happen (or happened exactly once): the test sends a marker, acts, and
 * counts what came after the marker (up to a closing marker or a known
 * later event). The count fails the test when the read fails, when the
 * marker is not found or when an event to be counted cannot be
 * decrypted: a failed read never looks like "nothing arrived". */

/* Sends a unique m.notice (which the bot ignores) as r in room; returns
 * its event id (caller frees). */
char *sthelp_marker(resident *r, const char *room);
/* The events of sender in room after the event from and before the event
 * to (NULL: up to the newest), as r reads them decrypted, whose body
 * contains needle (NULL: every event of sender, redactions, edits and
 * redacted messages too). Returns how many; with out, also those events
 * oldest first as resident.py's read describes them (caller deletes). */
int sthelp_count_between(resident *r, const char *room, const char *from, const char *to, const char *sender,
			 const char *needle, cJSON **out);
/* For after the bot has taken in the action (it answered, or a wait
 * before showed it): waits up to timeout_ms (0: not at all) for the count
 * after from to be want, then STHELP_SETTLE_MS more for late or surplus
 * events, sends a closing marker as r and returns the count between the
 * two (out as above). Callers assert the result: 0 for "nothing arrived",
 * 1 for "exactly one copy". */
#define STHELP_SETTLE_MS 4000
int sthelp_count_settled(resident *r, const char *room, const char *from, const char *sender, const char *needle,
			 int want, long timeout_ms, cJSON **out);

/* Appends "structure_file = <dir>/<name>" to the bot's config after
 * writing json there; returns the path in buf. */
void sthelp_structure_file(itest_bot *b, const char *name, const char *json, char *buf, size_t size);

/* Writes json as the bot's structure file dorp.json (its path in file),
 * starts the bot and waits until it built the rooms. */
void sthelp_start_with_structure(itest_bot *b, const char *json, char *file, size_t size);
/* Sends text as r in room and returns the bot's reply to it (caller frees). */
char *sthelp_ask(resident *r, itest_bot *bot, const char *room, const char *text);
/* Asserts body (which it frees) is there and contains needle. */
void sthelp_expect(char *body, const char *needle);
/* The direct chat the bot keeps with user, waiting up to a minute for it
 * (caller frees), or NULL. */
char *sthelp_dm_room_of(const itest_bot *b, const char *user);
/* Frees r's client and removes its store. */
void sthelp_resident_done(resident *r);

/* r joins room (asserting it could). */
void sthelp_join(resident *r, const char *room);
/* Sends text as r (as a reply to `to`, or in the thread of `thread`, or as
 * a reaction with react; each may be NULL/0) and returns the event id. */
char *sthelp_send_rel(resident *r, const char *room, const char *text, const char *to, const char *thread, int react);
/* r opens a direct chat with the bot; returns it once the bot joined. */
char *sthelp_open_dm(resident *r, const itest_bot *bot);
/* Stuurgroep member sm adds r to the wijkgroep with id wijkgroep (its room
 * `room`) by !lid toevoegen in the stuurgroep room sg; r joins it. */
void sthelp_admit(resident *sm, itest_bot *bot, const char *sg, resident *r, const char *wijkgroep,
		  const char *room);
/* r answers the intake in dm: name, postcode (a known buurt), no phone,
 * 18+ and living in the wijk, the spelregels accepted. */
void sthelp_sign_up(resident *r, itest_bot *bot, const char *dm, const char *name, const char *postcode);

#endif
