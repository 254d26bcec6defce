/* pol_cmd_table.h: the command table. One row per command holds its whole
 * rule: its names, the line !help shows, who may give it and where, what it
 * needs before it can run and the function that decides it. The parser
 * (pol_command.c), the permission check (pol_roles.c), !help and the
 * dispatch with its audit row (pol_engine.c) all read this table; nothing
 * else lists commands. (tmux's cmd_entry and cmd.c's table are the model.)
 * The rows are in policy/pol_cmd_table.c, in the order !help lists them. */
#ifndef POL_CMD_TABLE_H
#define POL_CMD_TABLE_H

#include <stddef.h>
#include "pol_engine.h"

/* What has to be there before the handler runs; without it the answer is
 * POL_TXT_NO_STRUCTURE. */
typedef enum pol_cmd_needs {
	POL_NEEDS_NOTHING = 0,
	POL_NEEDS_STRUCTURE,     /* a loaded structure */
	POL_NEEDS_FACTS,         /* a loaded structure and the daemon's facts */
} pol_cmd_needs;

/* Decides an allowed command. a is the answer already added (a NOTICE
 * reply, after the audit row); the handler fills it in or changes its kind. */
typedef void (*pol_cmd_handler)(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
				pol_role_set roles, pol_actions *out, pol_action *a);

#define POL_CMD_ALIASES 2

typedef struct pol_cmd_entry {
	pol_command_id id;
	const char *name;                        /* canonical (Dutch), without '!' */
	const char *aliases[POL_CMD_ALIASES];    /* other names (English, a Dutch synonym); NULL: none */
	pol_text_id help;                        /* its usage line in !help, per language */
	pol_role_set roles;                      /* any one of these suffices; POL_ROLES_ANYONE */
	unsigned rooms;                          /* OR of POL_ROOMS(kind) where it may be given */
	int scoped;         /* its target wijkgroep must be managed by the sender's stuurgroep (pol_check_scope) */
	int confirm;        /* a proposal: a second stuurgroep member must !bevestig ("na overleg") */
	pol_cmd_needs needs;
	pol_cmd_handler exec;
} pol_cmd_entry;

/* Every command, in the order !help lists them. */
const pol_cmd_entry *pol_cmd_table(size_t *out_count);
/* The row of id, or NULL (POL_CMD_NONE, POL_CMD_UNKNOWN). */
const pol_cmd_entry *pol_cmd_find(pol_command_id id);
/* The row whose name or alias is name (lower case, without '!'), or NULL. */
const pol_cmd_entry *pol_cmd_lookup(const char *name);

#endif
