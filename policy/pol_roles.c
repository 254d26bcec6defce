/* pol_roles.c: roles in context, and the permission check of a command
 * against its row of the command table (pol_cmd_table.c), the only place
 * that says who may give which command where; !help and every refusal are
 * derived from it. */
#include <string.h>
#include "pol_cmd_table.h"
#include "pol_roles.h"

/* ------------------------------------------------------------------ */

static pol_role_set sg_roles(const pol_stuurgroep *sg, const char *u)
{
	pol_role_set r = 0;

	if (pol_stuurgroep_has_member(sg, u)) {
		r |= POL_ROLE_STUURGROEPLID;
		if (sg->telefoonbeheerder && strcmp(sg->telefoonbeheerder, u) == 0)
			r |= POL_ROLE_TELEFOONBEHEERDER;
	}
	return r;
}

static pol_role_set wijk_roles(const pol_wijk *w, const char *u)
{
	pol_role_set r = 0;
	size_t i;

	for (i = 0; i < w->n_stuurgroepen; i++)
		r |= sg_roles(&w->stuurgroepen[i], u);
	return r;
}

static pol_role_set global_roles(const pol_structure *s, const char *u)
{
	pol_role_set r = 0;
	size_t i;

	for (i = 0; i < pol_structure_n_wijken(s); i++)
		r |= wijk_roles(pol_structure_wijk(s, i), u);
	return r;
}

pol_room_kind pol_roles_room_kind(const pol_structure *s, const pol_room_ctx *room)
{
	const pol_room *r;

	if (!room)
		return POL_ROOM_OTHER;
	r = room->key ? pol_structure_room_by_key(s, room->key) : NULL;
	if (r)
		return r->kind;
	/* A structure kind without a known room is not that room. */
	return room->kind == POL_ROOM_DM ? POL_ROOM_DM : POL_ROOM_OTHER;
}

pol_role_set pol_roles_of(const pol_structure *s, const char *user_id, const pol_room_ctx *room)
{
	pol_role_set r = 0;
	const pol_room *rm = NULL;

	if (!user_id)
		return 0;
	if (room && room->is_resident)
		r |= POL_ROLE_BEWONER;
	if (room && room->is_casushouder)
		r |= POL_ROLE_CASUSHOUDER;
	if (!s)
		return r;
	if (pol_structure_is_operator(s, user_id))
		r |= POL_ROLE_OPERATOR;
	if (pol_structure_find_politie(s, user_id))
		r |= POL_ROLE_POLITIE;
	if (pol_structure_is_delegate(s, user_id))
		r |= POL_ROLE_AFGEVAARDIGDE;

	if (room && room->key)
		rm = pol_structure_room_by_key(s, room->key);
	switch (rm ? rm->kind : POL_ROOM_OTHER) {
	case POL_ROOM_WIJKGROEP:
		r |= sg_roles(rm->wijkgroep->stuurgroep, user_id);
		break;
	case POL_ROOM_STUURGROEP:
		r |= sg_roles(rm->stuurgroep, user_id);
		break;
	case POL_ROOM_REGIEGROEP:
		r |= wijk_roles(rm->wijk, user_id);
		break;
	case POL_ROOM_GEM_REGIEGROEP:
		/* there, a delegate acts for their stuurgroep */
		if (r & POL_ROLE_AFGEVAARDIGDE)
			r |= global_roles(s, user_id);
		break;
	default:
		r |= global_roles(s, user_id);
		break;
	}
	return r;
}

/* ------------------------------------------------------------------ */

static const struct {
	unsigned rooms;
	pol_permission why;
} room_reasons[] = {
	{ POL_ROOMS_DM, POL_PERM_ONLY_DM },
	{ POL_ROOMS_STUUR, POL_PERM_ONLY_STUURGROEP },
	{ POL_ROOMS_STUUR_DM, POL_PERM_ONLY_STUURGROEP_OR_DM },
	{ POL_ROOMS_BEHEER, POL_PERM_ONLY_BEHEER },
	{ POL_ROOMS_GROUP, POL_PERM_ONLY_GROUP },
	{ POL_ROOMS_WIJK_DM, POL_PERM_ONLY_WIJKGROEP_OR_DM },
};

static pol_permission role_reason(pol_role_set need)
{
	/* The most useful name when several roles would do. */
	if (need & POL_ROLE_CASUSHOUDER)
		return POL_PERM_NEED_CASUSHOUDER;
	if (need & POL_ROLE_STUURGROEPLID)
		return POL_PERM_NEED_STUURGROEPLID;
	if (need & POL_ROLE_TELEFOONBEHEERDER)
		return POL_PERM_NEED_TELEFOONBEHEERDER;
	if (need & POL_ROLE_OPERATOR)
		return POL_PERM_NEED_OPERATOR;
	if (need & POL_ROLE_POLITIE)
		return POL_PERM_NEED_POLITIE;
	return POL_PERM_NEED_BEWONER;
}

pol_permission pol_check(pol_command_id cmd, pol_role_set roles, pol_room_kind kind)
{
	const pol_cmd_entry *rule = pol_cmd_find(cmd);
	size_t i;

	if (!rule)
		return POL_PERM_UNKNOWN_COMMAND;
	if (rule->roles != POL_ROLES_ANYONE && !(roles & rule->roles))
		return role_reason(rule->roles);
	if ((unsigned)kind < 32 && (rule->rooms & POL_ROOMS(kind)))
		return POL_PERM_ALLOWED;
	for (i = 0; i < sizeof room_reasons / sizeof room_reasons[0]; i++)
		if (room_reasons[i].rooms == rule->rooms)
			return room_reasons[i].why;
	return POL_PERM_NOT_HERE;
}

pol_permission pol_check_scope(const pol_structure *s, const char *user_id, pol_command_id cmd,
			       const pol_wijkgroep *target)
{
	const pol_cmd_entry *rule = pol_cmd_find(cmd);
	pol_role_set have;

	if (!rule)
		return POL_PERM_UNKNOWN_COMMAND;
	if (!rule->scoped || !target)
		return POL_PERM_ALLOWED;
	have = sg_roles(target->stuurgroep, user_id);
	if (rule->roles & have)
		return POL_PERM_ALLOWED;
	(void)s;
	return POL_PERM_NOT_YOUR_WIJKGROEP;
}

pol_text_id pol_permission_text(pol_permission p)
{
	switch (p) {
	case POL_PERM_UNKNOWN_COMMAND: return POL_TXT_UNKNOWN_COMMAND;
	case POL_PERM_NEED_STUURGROEPLID: return POL_TXT_REFUSED_STUURGROEPLID;
	case POL_PERM_NEED_TELEFOONBEHEERDER: return POL_TXT_REFUSED_TELEFOONBEHEERDER;
	case POL_PERM_NEED_OPERATOR: return POL_TXT_REFUSED_OPERATOR;
	case POL_PERM_NEED_CASUSHOUDER: return POL_TXT_REFUSED_CASUSHOUDER;
	case POL_PERM_NEED_BEWONER: return POL_TXT_REFUSED_BEWONER;
	case POL_PERM_NEED_POLITIE: return POL_TXT_REFUSED_POLITIE;
	case POL_PERM_ONLY_DM: return POL_TXT_REFUSED_ONLY_DM;
	case POL_PERM_ONLY_STUURGROEP: return POL_TXT_REFUSED_ONLY_STUURGROEP;
	case POL_PERM_ONLY_STUURGROEP_OR_DM: return POL_TXT_REFUSED_ONLY_STUURGROEP_OR_DM;
	case POL_PERM_ONLY_BEHEER: return POL_TXT_REFUSED_ONLY_BEHEER;
	case POL_PERM_ONLY_GROUP: return POL_TXT_REFUSED_ONLY_GROUP;
	case POL_PERM_ONLY_WIJKGROEP_OR_DM: return POL_TXT_REFUSED_ONLY_WIJKGROEP_OR_DM;
	case POL_PERM_NOT_YOUR_WIJKGROEP: return POL_TXT_REFUSED_NOT_YOUR_WIJKGROEP;
	case POL_PERM_ALLOWED:
	case POL_PERM_NOT_HERE:
	case POL_PERM_COUNT:
		break;
	}
	return POL_TXT_REFUSED_NOT_HERE;
}

const char *pol_permission_name(pol_permission p)
{
	static const char *const names[POL_PERM_COUNT] = {
		[POL_PERM_ALLOWED] = "allowed",
		[POL_PERM_UNKNOWN_COMMAND] = "unknown command",
		[POL_PERM_NEED_STUURGROEPLID] = "needs stuurgroeplid",
		[POL_PERM_NEED_TELEFOONBEHEERDER] = "needs telefoonbeheerder",
		[POL_PERM_NEED_OPERATOR] = "needs operator",
		[POL_PERM_NEED_CASUSHOUDER] = "needs casushouder or stuurgroeplid",
		[POL_PERM_NEED_BEWONER] = "needs bewoner",
		[POL_PERM_NEED_POLITIE] = "needs politie",
		[POL_PERM_ONLY_DM] = "only in a direct chat",
		[POL_PERM_ONLY_STUURGROEP] = "only in the stuurgroep room",
		[POL_PERM_ONLY_STUURGROEP_OR_DM] = "only in the stuurgroep room or a direct chat",
		[POL_PERM_ONLY_BEHEER] = "only in stuurgroep, regiegroep or a direct chat",
		[POL_PERM_ONLY_GROUP] = "only in a group room",
		[POL_PERM_ONLY_WIJKGROEP_OR_DM] = "only in a wijkgroep or a direct chat",
		[POL_PERM_NOT_HERE] = "not in this room",
		[POL_PERM_NOT_YOUR_WIJKGROEP] = "not the sender's wijkgroep",
	};

	return (unsigned)p < POL_PERM_COUNT && names[p] ? names[p] : "?";
}

const char *pol_role_name(pol_role r)
{
	switch (r) {
	case POL_ROLE_BEWONER: return "bewoner";
	case POL_ROLE_STUURGROEPLID: return "stuurgroeplid";
	case POL_ROLE_TELEFOONBEHEERDER: return "telefoonbeheerder";
	case POL_ROLE_POLITIE: return "politie";
	case POL_ROLE_OPERATOR: return "operator";
	case POL_ROLE_CASUSHOUDER: return "casushouder";
	case POL_ROLE_AFGEVAARDIGDE: return "afgevaardigde";
	}
	return "?";
}
