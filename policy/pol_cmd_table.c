/* pol_cmd_table.c: the command table, one row per command (see
 * pol_cmd_table.h), and the handlers of the commands too small for a file
 * of their own. A command's whole rule is its row: to add one, add its id
 * (pol_command.h), its help line (pol_text), its row here and its handler.
 *
 * Who and where: personal data (!leden, !wachtlijst) only where just the
 * stuurgroep reads it; proposals that a second member confirms only in the
 * stuurgroep room, where the others see them; operator commands only in a
 * direct chat; names of applicants (!aanmeldingen) only to the stuurgroep
 * whose room it is. */
#include <stdio.h>
#include <string.h>
#include "pol_buf.h"
#include "pol_cmd_table.h"
#include "pol_engine_int.h"
#include "pol_stats_cmd.h"

static void say(const pol_config *cfg, pol_action *a, pol_text_id id)
{
	snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, id));
}

static void cmd_ping(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		     pol_actions *out, pol_action *a)
{
	say(cfg, a, POL_TXT_PONG);
}

/* !help lists what the asker may use in this room. */
static void cmd_help(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		     pol_actions *out, pol_action *a)
{
	pol_room_kind kind = pol_roles_room_kind(in->structure, &in->room);
	size_t i, count;
	const pol_cmd_entry *table = pol_cmd_table(&count);
	pol_buf help;

	pol_buf_init(&help, a->notice.text, sizeof a->notice.text);
	pol_buf_add(&help, pol_text(cfg->lang, POL_TXT_HELP_HEADER));
	for (i = 0; i < count; i++)
		if (pol_check(table[i].id, roles, kind) == POL_PERM_ALLOWED)
			pol_buf_add_sep(&help, "\n", pol_text(cfg->lang, table[i].help));
}

static void cmd_herlaad(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
			pol_actions *out, pol_action *a)
{
	say(cfg, a, POL_TXT_RELOADING);
	pol_add(out, POL_ACT_RELOAD, in->room_id);
}

/* !status, !mijngegevens, !structuur: the daemon knows the figures, the
 * stored data and the member counts; it writes the answer. */
static void cmd_status(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		       pol_actions *out, pol_action *a)
{
	pol_action_become(a, POL_ACT_STATUS);
}

static void cmd_mijngegevens(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			     pol_role_set roles, pol_actions *out, pol_action *a)
{
	pol_action_become(a, POL_ACT_MYDATA);
}

static void cmd_structuur(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
			  pol_actions *out, pol_action *a)
{
	pol_action_become(a, POL_ACT_TREE);
}

/* !aanmelden, !stop: the sign-up conversation answers itself; outside it,
 * they are not for now. */
static void cmd_signup(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		       pol_actions *out, pol_action *a)
{
	out->n--;   /* a, the answer: the conversation writes its own */
	if (pol_signup_dm_message(cfg, in, cmd->id, out))
		return;
	a = pol_add(out, POL_ACT_NOTICE, in->room_id);
	if (!a)
		return;
	a->reply_to = in->event_id;
	a->thread_root = in->thread_root;
	say(cfg, a, POL_TXT_NOT_DURING_SIGNUP);
}

#define R_ANY POL_ROLES_ANYONE
#define R_SG POL_ROLE_STUURGROEPLID
#define R_TB POL_ROLE_TELEFOONBEHEERDER
#define R_OP POL_ROLE_OPERATOR
#define R_CH POL_ROLE_CASUSHOUDER

#define NOTHING POL_NEEDS_NOTHING
#define STRUCTURE POL_NEEDS_STRUCTURE
#define FACTS POL_NEEDS_FACTS

/* In the order !help lists them. Name Dutch, aliases English (and "hulp"). */
static const pol_cmd_entry commands[] = {
	{ .id = POL_CMD_PING, .name = "ping", .help = POL_TXT_HELP_PING,
	  .roles = R_ANY, .rooms = POL_ROOMS_ANY, .needs = NOTHING, .exec = cmd_ping },
	{ .id = POL_CMD_HELP, .name = "help", .aliases = { "hulp" }, .help = POL_TXT_HELP_HELP,
	  .roles = R_ANY, .rooms = POL_ROOMS_ANY, .needs = NOTHING, .exec = cmd_help },
	/* issue 4: structure and admin commands */
	{ .id = POL_CMD_LID, .name = "lid", .aliases = { "member" }, .help = POL_TXT_HELP_LID,
	  .roles = R_TB, .rooms = POL_ROOMS_STUUR_DM, .scoped = 1, .needs = FACTS, .exec = pol_cmd_lid },
	{ .id = POL_CMD_ROYEER, .name = "royeer", .aliases = { "remove" }, .help = POL_TXT_HELP_ROYEER,
	  .roles = R_TB, .rooms = POL_ROOMS_STUUR_DM, .scoped = 1, .needs = FACTS, .exec = pol_cmd_royeer },
	{ .id = POL_CMD_WIJKGROEP, .name = "wijkgroep", .aliases = { "group" }, .help = POL_TXT_HELP_WIJKGROEP,
	  .roles = R_TB, .rooms = POL_ROOMS_STUUR, .confirm = 1, .needs = STRUCTURE, .exec = pol_cmd_wijkgroep },
	{ .id = POL_CMD_BEVESTIG, .name = "bevestig", .aliases = { "confirm" }, .help = POL_TXT_HELP_BEVESTIG,
	  .roles = R_SG, .rooms = POL_ROOMS_STUUR, .needs = FACTS, .exec = pol_cmd_bevestig },
	{ .id = POL_CMD_LEDEN, .name = "leden", .aliases = { "members" }, .help = POL_TXT_HELP_LEDEN,
	  .roles = R_SG, .rooms = POL_ROOMS_STUUR_DM, .scoped = 1, .needs = STRUCTURE, .exec = pol_cmd_leden },
	{ .id = POL_CMD_WACHTLIJST, .name = "wachtlijst", .aliases = { "waitlist" }, .help = POL_TXT_HELP_WACHTLIJST,
	  .roles = R_SG, .rooms = POL_ROOMS_STUUR_DM, .scoped = 1, .needs = STRUCTURE, .exec = pol_cmd_wachtlijst },
	{ .id = POL_CMD_STRUCTUUR, .name = "structuur", .aliases = { "structure" }, .help = POL_TXT_HELP_STRUCTUUR,
	  .roles = R_SG | R_OP, .rooms = POL_ROOMS_BEHEER, .needs = STRUCTURE, .exec = cmd_structuur },
	{ .id = POL_CMD_SPLITS, .name = "splits", .aliases = { "split" }, .help = POL_TXT_HELP_SPLITS,
	  .roles = R_TB, .rooms = POL_ROOMS_STUUR, .scoped = 1, .confirm = 1, .needs = STRUCTURE,
	  .exec = pol_cmd_splits },
	{ .id = POL_CMD_HERLAAD, .name = "herlaad", .aliases = { "reload" }, .help = POL_TXT_HELP_HERLAAD,
	  .roles = R_OP, .rooms = POL_ROOMS_DM, .needs = NOTHING, .exec = cmd_herlaad },
	{ .id = POL_CMD_STATUS, .name = "status", .help = POL_TXT_HELP_STATUS,
	  .roles = R_OP, .rooms = POL_ROOMS_DM, .needs = NOTHING, .exec = cmd_status },
	/* issue 5: signing up */
	{ .id = POL_CMD_AANMELDEN, .name = "aanmelden", .aliases = { "signup" }, .help = POL_TXT_HELP_AANMELDEN,
	  .roles = R_ANY, .rooms = POL_ROOMS_DM, .needs = NOTHING, .exec = cmd_signup },
	{ .id = POL_CMD_STOP, .name = "stop", .help = POL_TXT_HELP_STOP,
	  .roles = R_ANY, .rooms = POL_ROOMS_DM, .needs = NOTHING, .exec = cmd_signup },
	{ .id = POL_CMD_SPELREGELS, .name = "spelregels", .aliases = { "rules" }, .help = POL_TXT_HELP_SPELREGELS,
	  .roles = R_ANY, .rooms = POL_ROOMS_WIJK_DM, .needs = STRUCTURE, .exec = pol_cmd_spelregels },
	{ .id = POL_CMD_TOELATEN, .name = "toelaten", .aliases = { "admit" }, .help = POL_TXT_HELP_TOELATEN,
	  .roles = R_TB, .rooms = POL_ROOMS_STUUR, .scoped = 1, .needs = FACTS, .exec = pol_cmd_toelaten },
	{ .id = POL_CMD_AFWIJZEN, .name = "afwijzen", .aliases = { "reject" }, .help = POL_TXT_HELP_AFWIJZEN,
	  .roles = R_TB, .rooms = POL_ROOMS_STUUR, .scoped = 1, .needs = FACTS, .exec = pol_cmd_afwijzen },
	{ .id = POL_CMD_AANMELDINGEN, .name = "aanmeldingen", .aliases = { "applications" },
	  .help = POL_TXT_HELP_AANMELDINGEN,
	  .roles = R_SG, .rooms = POL_ROOMS_STUUR, .needs = STRUCTURE, .exec = pol_cmd_aanmeldingen },
	{ .id = POL_CMD_MIJNGEGEVENS, .name = "mijngegevens", .aliases = { "mydata" },
	  .help = POL_TXT_HELP_MIJNGEGEVENS,
	  .roles = R_ANY, .rooms = POL_ROOMS_DM, .needs = NOTHING, .exec = cmd_mijngegevens },
	{ .id = POL_CMD_VERGEETMIJ, .name = "vergeetmij", .aliases = { "forgetme" }, .help = POL_TXT_HELP_VERGEETMIJ,
	  .roles = R_ANY, .rooms = POL_ROOMS_DM, .needs = STRUCTURE, .exec = pol_cmd_vergeetmij },
	/* issue 6: meldingen and casussen */
	{ .id = POL_CMD_DOOR, .name = "door", .aliases = { "forward" }, .help = POL_TXT_HELP_DOOR,
	  .roles = R_SG, .rooms = POL_ROOMS_GROUP, .needs = FACTS, .exec = pol_cmd_door },
	{ .id = POL_CMD_AFLOOP, .name = "afloop", .aliases = { "outcome" }, .help = POL_TXT_HELP_AFLOOP,
	  .roles = R_CH | R_SG, .rooms = POL_ROOMS_GROUP, .needs = FACTS, .exec = pol_cmd_afloop },
	{ .id = POL_CMD_CASUS, .name = "casus", .aliases = { "case" }, .help = POL_TXT_HELP_CASUS,
	  .roles = R_SG, .rooms = POL_ROOMS_BEHEER, .needs = STRUCTURE, .exec = pol_cmd_casus },
	{ .id = POL_CMD_KOPPEL, .name = "koppel", .aliases = { "link" }, .help = POL_TXT_HELP_KOPPEL,
	  .roles = R_CH | R_SG, .rooms = POL_ROOMS_GROUP, .needs = FACTS, .exec = pol_cmd_koppel },
	{ .id = POL_CMD_AANSPREKEN, .name = "aanspreken", .aliases = { "remind" }, .help = POL_TXT_HELP_AANSPREKEN,
	  .roles = R_SG, .rooms = POL_ROOMS_STUUR, .scoped = 1, .needs = FACTS, .exec = pol_cmd_aanspreken },
	/* issue 16: statistics and health */
	{ .id = POL_CMD_STATISTIEK, .name = "statistiek", .aliases = { "statistics", "stats" },
	  .help = POL_TXT_HELP_STATISTIEK, .roles = R_SG, .rooms = POL_ROOMS_STATS,
	  .needs = STRUCTURE, .exec = pol_cmd_statistiek },
	{ .id = POL_CMD_GEZONDHEID, .name = "gezondheid", .aliases = { "health" }, .help = POL_TXT_HELP_GEZONDHEID,
	  .roles = R_SG, .rooms = POL_ROOMS_STUUR, .needs = STRUCTURE, .exec = pol_cmd_gezondheid },
};

const pol_cmd_entry *pol_cmd_table(size_t *out_count)
{
	*out_count = sizeof commands / sizeof commands[0];
	return commands;
}

const pol_cmd_entry *pol_cmd_find(pol_command_id id)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (commands[i].id == id)
			return &commands[i];
	return NULL;
}

static int is_named(const pol_cmd_entry *e, const char *name)
{
	size_t k;

	if (strcmp(e->name, name) == 0)
		return 1;
	for (k = 0; k < POL_CMD_ALIASES; k++)
		if (e->aliases[k] && strcmp(e->aliases[k], name) == 0)
			return 1;
	return 0;
}

const pol_cmd_entry *pol_cmd_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (is_named(&commands[i], name))
			return &commands[i];
	return NULL;
}
