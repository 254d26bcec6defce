/* proposals.h: the daemon's side of !splits and !wijkgroep nieuw. A
 * proposal is checked against the structure before it is shown and again
 * when confirmed; confirming writes the change into the overlay (see
 * policy/pol_overlay.h) and asks for a reload, after which the follow-up
 * invites the members a split moved, points the retired room to the new
 * ones and reports back in the stuurgroep room. */
#ifndef BOT_PROPOSALS_H
#define BOT_PROPOSALS_H

#include "daemon.h"

/* Store key of the overlay text. */
#define BOT_KV_OVERLAY "structure_overlay"

/* POL_ACT_PROPOSE: store the proposal and answer with its number. */
int bot_proposal_make(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn);
/* POL_ACT_EXECUTE: carry out the confirmed proposal. */
int bot_proposal_execute(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn);
/* After a structure load: moves, retired rooms, reports. Opens its own
 * transaction; what cannot be done yet is tried after the next load. */
void bot_proposals_followup(bot_daemon *d);
/* Parses the file text with the overlay (and extra, an entry not stored
 * yet, may be NULL) laid over it. 0 and *out, or -1 with the first
 * problem in why. */
int bot_structure_with_overlay(bot_daemon *d, const char *file_text, const char *extra, pol_structure **out,
			       pol_problems *problems, char *why, size_t why_size);

#endif
