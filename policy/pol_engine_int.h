/* pol_engine_int.h: what the parts of the engine share (pol_engine.c
 * dispatches; pol_cmd_members.c, pol_cmd_proposals.c and pol_admission.c
 * decide their commands and events). Not for the daemon. */
#ifndef POL_ENGINE_INT_H
#define POL_ENGINE_INT_H

#include "pol_engine.h"

/* Whether user's homeserver may open a direct chat to sign up. */
int pol_signup_server_allowed(const pol_config *cfg, const char *user);
/* A new zeroed action at the end of out, or NULL when out is full. */
pol_action *pol_add(pol_actions *out, pol_action_kind kind, const char *room_id);
/* The decision's audit row (out->items[0], when it is one) records that
 * the command was refused, with reason (static). */
void pol_audit_refused(pol_actions *out, const char *reason);
/* pol_plan.c: an INVITE of user (of buurt, or NULL/"") into wg's room,
 * with what an admission implies; a BAN_ALL of user (reason may be NULL)
 * with what royeren implies. NULL when out is full. */
pol_action *pol_plan_invite(pol_actions *out, const char *room_id, const pol_wijkgroep *wg, const char *user,
			    const char *buurt);
pol_action *pol_plan_ban_all(pol_actions *out, const char *room_id, const char *user, const char *reason);
/* "@local:server" of at most 255 bytes, no spaces or controls. */
int pol_valid_user_id(const char *s);
/* The wijkgroep a command is about: named in args (id or name), or the
 * only active one the stuurgroep of this room manages. On failure writes
 * the answer into text and returns NULL. */
const pol_wijkgroep *pol_target_wijkgroep(const pol_config *cfg, const pol_input *in, const char *args,
					  char *text, size_t size);
/* The stuurgroep whose room this is, or NULL. */
const pol_stuurgroep *pol_room_stuurgroep(const pol_input *in);
/* The scope check of commands about one wijkgroep: 1 allowed; else the
 * refusal is written into a and the audit row (out->items[0]) marked. */
int pol_scope_ok(const pol_config *cfg, const pol_input *in, pol_command_id cmd, pol_role_set roles,
		 const pol_wijkgroep *wg, pol_actions *out, pol_action *a);
/* "A, B en C" of the active opvolgers (or names) into buf. */
void pol_names_of(pol_lang lang, const pol_wijkgroep *const *wgs, size_t n, char *buf, size_t size);

/* The command handlers: a is the answer already added (a NOTICE reply). */
void pol_cmd_lid(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		 pol_actions *out, pol_action *a);
void pol_cmd_royeer(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		    pol_actions *out, pol_action *a);
void pol_cmd_leden(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		   pol_actions *out, pol_action *a);
void pol_cmd_wachtlijst(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			pol_role_set roles, pol_actions *out, pol_action *a);
void pol_cmd_splits(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		    pol_actions *out, pol_action *a);
void pol_cmd_wijkgroep(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		       pol_role_set roles, pol_actions *out, pol_action *a);
void pol_cmd_bevestig(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		      pol_role_set roles, pol_actions *out, pol_action *a);

void pol_cmd_toelaten(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		      pol_role_set roles, pol_actions *out, pol_action *a);
void pol_cmd_afwijzen(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		      pol_role_set roles, pol_actions *out, pol_action *a);
void pol_cmd_spelregels(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			pol_role_set roles, pol_actions *out, pol_action *a);
void pol_cmd_vergeetmij(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			pol_role_set roles, pol_actions *out, pol_action *a);
void pol_cmd_aanmeldingen(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			  pol_role_set roles, pol_actions *out, pol_action *a);

/* A message in a direct chat from someone signing up: 1 when it was
 * handled here (cmd: the command it is, POL_CMD_NONE for plain text). */
int pol_signup_dm_message(const pol_config *cfg, const pol_input *in, pol_command_id cmd, pol_actions *out);
/* Someone joined their direct chat with the bot. */
void pol_signup_dm_joined(const pol_config *cfg, const pol_input *in, pol_actions *out);

void pol_cmd_door(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		  pol_actions *out, pol_action *a);
void pol_cmd_afloop(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		    pol_actions *out, pol_action *a);
void pol_cmd_casus(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		   pol_actions *out, pol_action *a);
void pol_cmd_koppel(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		    pol_actions *out, pol_action *a);
void pol_cmd_aanspreken(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
			pol_actions *out, pol_action *a);
/* A plain message in a group room (melding or follow-up): 1 when handled. */
int pol_casus_message(const pol_config *cfg, const pol_input *in, pol_actions *out);
/* A reaction: the approval reaction forwards along the default route. */
void pol_casus_reaction(const pol_config *cfg, const pol_input *in, pol_actions *out);

/* A membership change in a room of the structure. */
void pol_member_event(const pol_config *cfg, const pol_input *in, pol_actions *out);

#endif
