/* pol_admission.c: membership changes in wijkgroep rooms. Only the bot
 * invites, so a knock is the only way in that it does not start itself:
 * a knock with room is passed to the stuurgroep, a knock on a full group
 * goes on the waiting list and the knocker is told. Every other change
 * (join, invite, leave, ban) may move the count, so the daemon checks the
 * cap, the growth threshold and the waiting list (POL_ACT_CAPS). */
#include <stdio.h>
#include <string.h>
#include "pol_caps.h"
#include "pol_engine_int.h"

static pol_action *notice_to_stuurgroep(const pol_wijkgroep *wg, pol_actions *out)
{
	pol_action *n = pol_add(out, POL_ACT_NOTICE, NULL);

	if (n)
		snprintf(n->notice.room_key, sizeof n->notice.room_key, "stuurgroep:%s", wg->stuurgroep->id);
	return n;
}

static pol_action *kick(const pol_input *in, pol_actions *out)
{
	pol_action *k = pol_add(out, POL_ACT_KICK, in->room_id);

	if (k)
		snprintf(k->remove.user, sizeof k->remove.user, "%.255s", in->target);
	return k;
}

static void knock(const pol_config *cfg, const pol_input *in, const pol_room *rm, pol_actions *out)
{
	const pol_wijkgroep *wg = rm->wijkgroep, *other;
	char where[POL_STRUCT_MAX_KEY + 16], names[1024];
	pol_action *a;
	long count, pos;

	if (!pol_wijkgroep_active(wg)) {
		pol_names_of(cfg->lang, wg->opvolgers, wg->n_opvolgers, names, sizeof names);
		if ((a = kick(in, out)))
			pol_textf(a->remove.reason, sizeof a->remove.reason, cfg->lang, POL_TXT_KNOCK_RETIRED_REASON, names);
		return;
	}
	if (in->facts->wijkgroep_of(in->facts->ctx, in->target, where, sizeof where) == 0 &&
	    strcmp(where, rm->key) != 0) {
		other = strncmp(where, "wijkgroep:", 10) == 0 ?
			pol_structure_find_wijkgroep(in->structure, where + 10) : NULL;
		if ((a = kick(in, out)))
			pol_textf(a->remove.reason, sizeof a->remove.reason, cfg->lang, POL_TXT_KNOCK_ELSEWHERE_REASON,
				other ? other->naam : where);
		return;
	}
	count = in->facts->cap_count(in->facts->ctx, rm->key);
	if (count >= 0 && pol_caps_can_admit((size_t)count, wg->limiet, 1)) {
		/* The knocker signs up in a direct chat; the stuurgroep sees the
		 * application, or may admit at once. */
		if ((a = pol_add(out, POL_ACT_OPEN_DM, in->room_id)))
			snprintf(a->person.user, sizeof a->person.user, "%.255s", in->target);
		if ((a = notice_to_stuurgroep(wg, out))) {
			pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_KNOCK_NOTICE, in->target, wg->naam,
				  count, wg->limiet, in->target, wg->id);
			snprintf(a->notice.about, sizeof a->notice.about, "%.255s", in->target);
		}
		return;
	}
	/* Full (or the count unknown, which must not let anyone in). */
	pos = in->facts->waitlist_position(in->facts->ctx, rm->key, in->target);
	if (pos < 0)
		return;
	if (pos == 0) {
		pos = in->facts->waitlist_length(in->facts->ctx, rm->key) + 1;
		if (pos < 1 || !(a = pol_add(out, POL_ACT_WAITLIST_ADD, in->room_id)))
			return;
		snprintf(a->waitlist.user, sizeof a->waitlist.user, "%.255s", in->target);
		snprintf(a->waitlist.room_key, sizeof a->waitlist.room_key, "%s", rm->key);
		snprintf(a->waitlist.source, sizeof a->waitlist.source, "knock");
		/* The stuurgroep hears of a newcomer once, not at every knock. */
		if ((a = notice_to_stuurgroep(wg, out))) {
			pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_KNOCK_FULL_NOTICE, in->target,
				  wg->naam, wg->limiet, pos);
			snprintf(a->notice.about, sizeof a->notice.about, "%.255s", in->target);
		}
	}
	if ((a = kick(in, out)))
		pol_textf(a->remove.reason, sizeof a->remove.reason, cfg->lang, POL_TXT_KNOCK_FULL_REASON, wg->naam, pos);
}

void pol_member_event(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	const pol_room *rm;
	pol_action *a;

	if (!in->structure || !in->facts || !in->target || !in->membership)
		return;
	if (cfg->bot_user_id && strcmp(in->target, cfg->bot_user_id) == 0)
		return;
	if (in->room.kind == POL_ROOM_DM && !in->room.key) {
		pol_signup_dm_joined(cfg, in, out);
		return;
	}
	if (!in->room.key)
		return;
	rm = pol_structure_room_by_key(in->structure, in->room.key);
	if (!rm || rm->kind != POL_ROOM_WIJKGROEP || !rm->wijkgroep)
		return;
	if (strcmp(in->membership, "knock") == 0) {
		knock(cfg, in, rm, out);
		return;
	}
	if (!pol_wijkgroep_active(rm->wijkgroep))
		return;
	a = pol_add(out, POL_ACT_CAPS, in->room_id);
	if (a) {
		snprintf(a->caps.room_key, sizeof a->caps.room_key, "%s", rm->key);
		snprintf(a->caps.user, sizeof a->caps.user, "%.255s", in->target);
		snprintf(a->caps.membership, sizeof a->caps.membership, "%s", in->membership);
	}
}
