/* pol_roles.c: roles in context and the permission table. The table is
 * the only place that says who may give which command where; !help and
 * every refusal are derived from it. */
#include <string.h>
#include "pol_roles.h"

#define R_ANY 0u
#define R_SG POL_ROLE_STUURGROEPLID
#define R_TB POL_ROLE_TELEFOONBEHEERDER
#define R_OP POL_ROLE_OPERATOR
#define R_CH POL_ROLE_CASUSHOUDER

#define K_DM POL_ROOMS(POL_ROOM_DM)
#define K_STUUR POL_ROOMS(POL_ROOM_STUURGROEP)
#define K_STUUR_DM (K_STUUR | K_DM)
#define K_BEHEER (K_STUUR | POL_ROOMS(POL_ROOM_REGIEGROEP) | POL_ROOMS(POL_ROOM_GEM_REGIEGROEP) | K_DM)
#define K_GROUP (POL_ROOMS(POL_ROOM_WIJKGROEP) | K_STUUR | POL_ROOMS(POL_ROOM_REGIEGROEP) | \
		 POL_ROOMS(POL_ROOM_GEM_REGIEGROEP))
#define K_WIJK_DM (POL_ROOMS(POL_ROOM_WIJKGROEP) | K_DM)

/* Personal data (!leden, !wachtlijst) only where just the stuurgroep reads
 * it; proposals that a second member confirms only in the stuurgroep room,
 * where the others see them; operator commands only in a direct chat. */
static const pol_command_rule rules[] = {
	/* cmd                  roles         rooms         confirm scoped issue */
	{ POL_CMD_PING,         R_ANY,        POL_ROOMS_ANY, 0, 0, 0 },
	{ POL_CMD_HELP,         R_ANY,        POL_ROOMS_ANY, 0, 0, 0 },
	{ POL_CMD_LID,          R_TB,         K_STUUR_DM,    0, 1, 4 },
	{ POL_CMD_ROYEER,       R_TB,         K_STUUR_DM,    0, 1, 4 },
	{ POL_CMD_WIJKGROEP,    R_TB,         K_STUUR,       1, 0, 4 },
	{ POL_CMD_BEVESTIG,     R_SG,         K_STUUR,       0, 0, 4 },
	{ POL_CMD_LEDEN,        R_SG,         K_STUUR_DM,    0, 1, 4 },
	{ POL_CMD_WACHTLIJST,   R_SG,         K_STUUR_DM,    0, 1, 4 },
	{ POL_CMD_STRUCTUUR,    R_SG | R_OP,  K_BEHEER,      0, 0, 4 },
	{ POL_CMD_SPLITS,       R_TB,         K_STUUR,       1, 1, 4 },
	{ POL_CMD_HERLAAD,      R_OP,         K_DM,          0, 0, 4 },
	{ POL_CMD_STATUS,       R_OP,         K_DM,          0, 0, 4 },
	{ POL_CMD_AANMELDEN,    R_ANY,        K_DM,          0, 0, 5 },
	{ POL_CMD_STOP,         R_ANY,        K_DM,          0, 0, 5 },
	{ POL_CMD_SPELREGELS,   R_ANY,        K_WIJK_DM,     0, 0, 5 },
	{ POL_CMD_TOELATEN,     R_TB,         K_STUUR,       0, 1, 5 },
	{ POL_CMD_AFWIJZEN,     R_TB,         K_STUUR,       0, 1, 5 },
	{ POL_CMD_MIJNGEGEVENS, R_ANY,        K_DM,          0, 0, 5 },
	{ POL_CMD_VERGEETMIJ,   R_ANY,        K_DM,          0, 0, 5 },
	{ POL_CMD_DOOR,         R_SG,         K_GROUP,       0, 0, 6 },
	{ POL_CMD_AFLOOP,       R_CH | R_SG,  K_GROUP,       0, 0, 6 },
	{ POL_CMD_CASUS,        R_SG,         K_BEHEER,      0, 0, 6 },
	{ POL_CMD_KOPPEL,       R_CH | R_SG,  K_GROUP,       0, 0, 6 },
	{ POL_CMD_AANSPREKEN,   R_SG,         K_STUUR,       0, 1, 6 },
	/* names of applicants: only to the stuurgroep whose room it is */
	{ POL_CMD_AANMELDINGEN, R_SG,         K_STUUR,       0, 0, 11 },
};

const pol_command_rule *pol_roles_table(size_t *out_count)
{
	*out_count = sizeof rules / sizeof rules[0];
	return rules;
}

const pol_command_rule *pol_roles_rule(pol_command_id cmd)
{
	size_t i;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i].cmd == cmd)
			return &rules[i];
	return NULL;
}

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
	{ K_DM, POL_PERM_ONLY_DM },
	{ K_STUUR, POL_PERM_ONLY_STUURGROEP },
	{ K_STUUR_DM, POL_PERM_ONLY_STUURGROEP_OR_DM },
	{ K_BEHEER, POL_PERM_ONLY_BEHEER },
	{ K_GROUP, POL_PERM_ONLY_GROUP },
	{ K_WIJK_DM, POL_PERM_ONLY_WIJKGROEP_OR_DM },
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
	const pol_command_rule *rule = pol_roles_rule(cmd);
	size_t i;

	if (!rule)
		return POL_PERM_UNKNOWN_COMMAND;
	if (rule->roles && !(roles & rule->roles))
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
	const pol_command_rule *rule = pol_roles_rule(cmd);
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
