/* pol_roles.h: who someone is in a given room (roles), and the check of a
 * command against its row of the command table (pol_cmd_table.h: which
 * role may give it and in which kind of room). Pure: the caller passes what
 * only the store knows (is the sender a resident, the casushouder of the
 * casus at hand). */
#ifndef POL_ROLES_H
#define POL_ROLES_H

#include "pol_command.h"
#include "pol_structure.h"
#include "pol_text.h"

typedef enum pol_role {
	POL_ROLE_BEWONER = 1u << 0,           /* member of a wijkgroep (caller says) */
	POL_ROLE_STUURGROEPLID = 1u << 1,     /* of the stuurgroep in scope, see pol_roles_of */
	POL_ROLE_TELEFOONBEHEERDER = 1u << 2, /* of the stuurgroep in scope; implies STUURGROEPLID */
	POL_ROLE_POLITIE = 1u << 3,
	POL_ROLE_OPERATOR = 1u << 4,          /* the deployer's accounts */
	POL_ROLE_CASUSHOUDER = 1u << 5,       /* of the casus at hand (caller says) */
	POL_ROLE_AFGEVAARDIGDE = 1u << 6,     /* delegate in the gemeentelijke regiegroep */
} pol_role;

#define POL_ROLE_COUNT 7
#define POL_ROLES_ALL ((1u << POL_ROLE_COUNT) - 1u)
typedef unsigned pol_role_set;   /* OR of pol_role */
/* In a command's row: anyone at all may give it, with or without a role.
 * A row that names no roles (0) is given by no one. */
#define POL_ROLES_ANYONE 0xffffffffu

/* Where a command is given. */
typedef struct pol_room_ctx {
	pol_room_kind kind;     /* used when key is NULL or unknown: POL_ROOM_DM, POL_ROOM_OTHER */
	const char *key;        /* the structure's room key ("wijkgroep:noord"), or NULL */
	int is_resident;        /* the store: the sender is a member of a wijkgroep */
	int is_casushouder;     /* the store: the sender is casushouder of the casus at hand */
	const char *dm_user;    /* POL_ROOM_DM: whom the direct chat is with, or NULL */
} pol_room_ctx;

/* The roles of user_id in room. Stuurgroep roles are scoped to the room:
 *   wijkgroep:  member / telefoonbeheerder of the stuurgroep managing it
 *   stuurgroep: member / telefoonbeheerder of that stuurgroep
 *   regiegroep: of any stuurgroep of that wijk (the derived membership)
 *   gemeentelijke regiegroep: delegates count as stuurgroeplid there
 *   direct chat, Spaces, unknown rooms: of any stuurgroep anywhere
 * Operator and politie hold everywhere. s may be NULL (no structure loaded):
 * then only the caller's flags count. */
pol_role_set pol_roles_of(const pol_structure *s, const char *user_id, const pol_room_ctx *room);

/* The kind of room that ctx names: the structure's kind for a known key,
 * else ctx->kind. */
pol_room_kind pol_roles_room_kind(const pol_structure *s, const pol_room_ctx *room);

/* Sets of room kinds, as the command table (pol_cmd_table.c) names where a
 * command may be given. Each named set has its own refusal text. */
#define POL_ROOMS(k) (1u << (k))
#define POL_ROOMS_ANY 0xffffffffu
#define POL_ROOMS_DM POL_ROOMS(POL_ROOM_DM)
#define POL_ROOMS_STUUR POL_ROOMS(POL_ROOM_STUURGROEP)
#define POL_ROOMS_STUUR_DM (POL_ROOMS_STUUR | POL_ROOMS_DM)
/* where the stuurgroep manages: its room, the regiegroepen, a direct chat */
#define POL_ROOMS_BEHEER (POL_ROOMS_STUUR | POL_ROOMS(POL_ROOM_REGIEGROEP) | \
			  POL_ROOMS(POL_ROOM_GEM_REGIEGROEP) | POL_ROOMS_DM)
/* the group rooms where a casus can be */
#define POL_ROOMS_GROUP (POL_ROOMS(POL_ROOM_WIJKGROEP) | POL_ROOMS_STUUR | POL_ROOMS(POL_ROOM_REGIEGROEP) | \
			 POL_ROOMS(POL_ROOM_GEM_REGIEGROEP))
#define POL_ROOMS_WIJK_DM (POL_ROOMS(POL_ROOM_WIJKGROEP) | POL_ROOMS_DM)

typedef enum pol_permission {
	POL_PERM_ALLOWED = 0,
	POL_PERM_UNKNOWN_COMMAND,
	POL_PERM_NEED_STUURGROEPLID,
	POL_PERM_NEED_TELEFOONBEHEERDER,
	POL_PERM_NEED_OPERATOR,
	POL_PERM_NEED_CASUSHOUDER,      /* casushouder or stuurgroeplid */
	POL_PERM_NEED_BEWONER,
	POL_PERM_NEED_POLITIE,
	POL_PERM_ONLY_DM,
	POL_PERM_ONLY_STUURGROEP,
	POL_PERM_ONLY_STUURGROEP_OR_DM,
	POL_PERM_ONLY_BEHEER,           /* stuurgroep, regiegroepen or direct chat */
	POL_PERM_ONLY_GROUP,            /* a group room where a casus can be */
	POL_PERM_ONLY_WIJKGROEP_OR_DM,
	POL_PERM_NOT_HERE,              /* any other room rule */
	POL_PERM_NOT_YOUR_WIJKGROEP,
	POL_PERM_COUNT
} pol_permission;

/* Whether roles may give cmd in a room of kind. The role is checked first,
 * so a resident trying an admin command learns it is not theirs rather
 * than that the room is wrong. */
pol_permission pol_check(pol_command_id cmd, pol_role_set roles, pol_room_kind kind);

/* For scoped commands: is target (the wijkgroep the command is about)
 * managed by a stuurgroep in which user_id has the role the command
 * needs? ALLOWED for unscoped commands and for target NULL. */
pol_permission pol_check_scope(const pol_structure *s, const char *user_id, pol_command_id cmd,
			       const pol_wijkgroep *target);

/* The user-facing reason (Dutch/English via pol_text). For
 * POL_PERM_UNKNOWN_COMMAND it is POL_TXT_UNKNOWN_COMMAND, which takes the
 * command name as %s. */
pol_text_id pol_permission_text(pol_permission p);
const char *pol_permission_name(pol_permission p);   /* for the audit log */
const char *pol_role_name(pol_role r);                /* "stuurgroeplid", ... */

#endif
