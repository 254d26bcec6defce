/* pol_plan.c: what a plan implies beyond its own kind: the records an
 * admission or a ban changes, and how soon what a decision queues goes
 * out. Decided here, so the daemon only follows the plan's fields. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "pol_engine_int.h"

void pol_action_become(pol_action *a, pol_action_kind kind)
{
	memset(&a->notice, 0, sizeof *a - offsetof(pol_action, notice));
	a->kind = kind;
}

pol_priority pol_action_priority(const pol_actions *acts, size_t i)
{
	const pol_action *a = &acts->items[i];

	/* A decision that starts with an audit row answers a command or an
	 * approval reaction: the answer, the copies and the confirmations are
	 * what the one who gave it waits for. */
	if (acts->n > 0 && acts->items[0].kind == POL_ACT_AUDIT)
		return POL_PRIO_HIGH;
	/* A notice into a stuurgroep room about something elsewhere (another
	 * casus open, a flood) can wait for what is asked there. */
	if (a->kind == POL_ACT_NOTICE && !a->room_id && a->notice.room_key[0])
		return POL_PRIO_LOW;
	return POL_PRIO_NORMAL;
}

pol_action *pol_plan_invite(pol_actions *out, const char *room_id, const pol_wijkgroep *wg, const char *user,
			    const char *buurt)
{
	pol_action *a = pol_add(out, POL_ACT_INVITE, room_id);

	if (a)
		pol_plan_invite_fill(a, wg, user, buurt);
	return a;
}

void pol_plan_invite_fill(pol_action *a, const pol_wijkgroep *wg, const char *user, const char *buurt)
{
	a->kind = POL_ACT_INVITE;
	a->invite.wijkgroep = wg;
	snprintf(a->invite.user, sizeof a->invite.user, "%.255s", user);
	snprintf(a->invite.room_key, sizeof a->invite.room_key, "wijkgroep:%s", wg->id);
	snprintf(a->invite.buurt, sizeof a->invite.buurt, "%.128s", buurt ? buurt : "");
	/* Admitted is a resident of that wijkgroep, and no longer waiting. */
	a->invite.becomes_resident = 1;
	a->invite.leaves_waitlist = 1;
}

void pol_plan_forget_fill(pol_action *a, const char *user)
{
	a->kind = POL_ACT_FORGET;
	snprintf(a->forget.user, sizeof a->forget.user, "%.255s", user);
	/* Forgotten is gone from everywhere, with everything said about them. */
	a->forget.leaves_every_room = 1;
	a->forget.takes_back_named = 1;
	a->forget.deletes_data = 1;
}

pol_action *pol_plan_ban_all(pol_actions *out, const char *room_id, const char *user, const char *reason)
{
	pol_action *a = pol_add(out, POL_ACT_BAN_ALL, room_id);

	if (!a)
		return NULL;
	snprintf(a->remove.user, sizeof a->remove.user, "%.255s", user);
	snprintf(a->remove.reason, sizeof a->remove.reason, "%s", reason ? reason : "");
	/* Royeren is for good: out of the whole system, and no way back in
	 * through a waiting list or an old residency. */
	a->remove.every_room = 1;
	a->remove.leaves_waitlists = 1;
	a->remove.ends_residency = 1;
	return a;
}
