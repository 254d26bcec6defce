/* pol_input.h: what the rules read of an event and what the store keeps
 * of one, decided here so the daemon's translation carries no rule. */
#ifndef POL_INPUT_H
#define POL_INPUT_H

#include "pol_engine.h"

/* What the rules read of a message of msgtype with body: its text for
 * m.text; "" for a photo, file or video (a melding too, never a command);
 * NULL for anything the bot does not act on (notices above all: bots
 * answering bots loop). Borrowed from body, or static. */
const char *pol_message_body(const char *msgtype, const char *body);

/* Whether in may be a command in a room of the structure: only then do
 * the rules need in->room.is_casushouder (a query saved for every other
 * message). */
int pol_may_be_command(const pol_input *in);

/* What the store keeps of a decided event besides its actions. */
typedef enum pol_keep_kind {
	POL_KEEP_NOTHING = 0,
	POL_KEEP_DELIVER_NOTES,  /* in->target joined their direct chat: the private words
				  * kept for them go there now */
	POL_KEEP_POST,           /* a post in a wijkgroep: who wrote it (for flags and
				  * chatter); top_level when not in a thread or a reply */
} pol_keep_kind;

typedef struct pol_keep {
	pol_keep_kind kind;
	int top_level;
} pol_keep;

/* What to keep of in (decided). Always fills *out. */
void pol_keep_of(const pol_input *in, pol_keep *out);

/* Members counting against a cap: joined and invited (the bot not among
 * them); -1 when either count is unknown, which must never let anyone in. */
long pol_cap_count(long joined, long invited);

#endif
