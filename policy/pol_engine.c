/* pol_engine.c: the decisions. Every command passes the permission table
 * of pol_roles (who may give it, in which room) before anything happens,
 * and every command given is recorded for the audit log, allowed or not. */
#include <stdio.h>
#include <string.h>
#include "pol_caps.h"
#include "pol_command.h"
#include "pol_engine.h"

static int is_admin(const pol_config *cfg, const char *user_id)
{
	size_t i;

	for (i = 0; i < cfg->n_admins; i++)
		if (strcmp(cfg->admins[i], user_id) == 0)
			return 1;
	return 0;
}

static pol_action *add(pol_actions *out, pol_action_kind kind, const char *room_id)
{
	pol_action *a;

	if (out->n >= POL_MAX_ACTIONS)
		return NULL;
	a = &out->items[out->n++];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->room_id = room_id;
	return a;
}

static void append(char *buf, size_t size, const char *line)
{
	size_t len = strlen(buf);

	if (len > 0 && len + 1 < size)
		buf[len++] = '\n';
	snprintf(buf + len, size - len, "%s", line);
}

/* The format strings below come from our own text table; the arguments
 * are limited (a command name is letters only). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void text_with_name(pol_lang lang, pol_text_id id, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, pol_text(lang, id), name);
}

void pol_members_text(pol_lang lang, const pol_wijkgroep *wg, const char *const *joined, size_t n_joined,
		      const char *const *invited, size_t n_invited, char *buf, size_t size)
{
	size_t i, len;

	snprintf(buf, size, pol_text(lang, POL_TXT_MEMBERS_HEADER), wg->naam,
		 (long)(n_joined + n_invited), wg->limiet, (long)n_invited);
	for (i = 0; i < n_joined + n_invited; i++) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "\n%s%s", i < n_joined ? joined[i] : invited[i - n_joined],
			 i < n_joined ? "" : (lang == POL_LANG_EN ? " (invited)" : " (uitgenodigd)"));
	}
}

void pol_status_text(pol_lang lang, const pol_status *st, char *buf, size_t size)
{
	snprintf(buf, size, pol_text(lang, POL_TXT_STATUS), st->version ? st->version : "?",
		 st->rooms, st->wijken, st->outbox_pending, st->outbox_failed, st->undecryptable);
}
static void text_with_two(pol_lang lang, pol_text_id id, const char *a, const char *b, char *buf,
			  size_t size)
{
	snprintf(buf, size, pol_text(lang, id), a, b);
}

static void text_full(pol_lang lang, const char *naam, unsigned cap, char *buf, size_t size)
{
	snprintf(buf, size, pol_text(lang, POL_TXT_LID_FULL), naam, cap);
}
#pragma GCC diagnostic pop

/* !help lists what the asker may use in this room. */
static void help_text(pol_lang lang, pol_role_set roles, pol_room_kind kind, char *buf, size_t size)
{
	size_t i, count;
	const pol_command_info *table = pol_command_table(&count);

	buf[0] = '\0';
	append(buf, size, pol_text(lang, POL_TXT_HELP_HEADER));
	for (i = 0; i < count; i++) {
		const pol_command_rule *rule = pol_roles_rule(table[i].id);
		if (rule && rule->issue > 4)
			continue;  /* not built yet: not offered */
		if (pol_check(table[i].id, roles, kind) == POL_PERM_ALLOWED)
			append(buf, size, pol_text(lang, table[i].help));
	}
}

/* The wijkgroep a command is about: named in args, or the only one the
 * stuurgroep of this room manages. On failure writes the answer into
 * text and returns NULL. */
static const pol_wijkgroep *target_wijkgroep(const pol_config *cfg, const pol_input *in,
					     const char *args, char *text, size_t size)
{
	const pol_wijkgroep *wg;
	const pol_stuurgroep *sg = NULL;
	char list[1024] = "";
	size_t i;

	if (args[0]) {
		wg = pol_structure_find_wijkgroep(in->structure, args);
		if (!wg)
			text_with_name(cfg->lang, POL_TXT_NO_SUCH_WIJKGROEP, args, text, size);
		return wg;
	}
	if (in->room.key && strncmp(in->room.key, "stuurgroep:", 11) == 0)
		sg = pol_structure_find_stuurgroep(in->structure, in->room.key + 11);
	if (sg && sg->n_beheert == 1)
		return sg->beheert[0];
	for (i = 0; sg && i < sg->n_beheert; i++) {
		size_t len = strlen(list);
		snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", sg->beheert[i]->naam);
	}
	text_with_name(cfg->lang, POL_TXT_WHICH_WIJKGROEP, list[0] ? list : "...", text, size);
	return NULL;
}

static int valid_user_id(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t n = strlen(s);

	if (s[0] != '@' || !colon || colon == s + 1 || !colon[1] || n > 255)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ')
			return 0;
	return 1;
}

/* !lid toevoegen @user <wijkgroep>: the telefoonbeheerder admits someone,
 * when the user is in no wijkgroep yet and the cap allows one more. */
static void admit(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		  pol_role_set roles, pol_actions *out, pol_action *a)
{
	char verb[32] = "", user[300] = "", key[POL_STRUCT_MAX_KEY + 16], where[POL_STRUCT_MAX_KEY + 16];
	const char *rest = cmd->args, *sp;
	const pol_wijkgroep *wg, *other;
	pol_permission scope;
	pol_action *inv;
	long count;

	sp = strchr(rest, ' ');
	if (sp && (size_t)(sp - rest) < sizeof verb) {
		memcpy(verb, rest, (size_t)(sp - rest));
		rest = sp + 1;
		while (*rest == ' ')
			rest++;
		sp = strchr(rest, ' ');
		snprintf(user, sizeof user, "%.*s", sp ? (int)(sp - rest) : (int)strlen(rest), rest);
		rest = sp ? sp + 1 : "";
		while (*rest == ' ')
			rest++;
	}
	if (!in->structure || !in->facts || (strcmp(verb, "toevoegen") != 0 && strcmp(verb, "add") != 0) ||
	    !user[0]) {
		snprintf(a->text, sizeof a->text, "%s",
			 pol_text(cfg->lang, in->structure ? POL_TXT_LID_USAGE : POL_TXT_NO_STRUCTURE));
		return;
	}
	if (!valid_user_id(user)) {
		text_with_name(cfg->lang, POL_TXT_LID_BAD_USER, user, a->text, sizeof a->text);
		return;
	}
	wg = target_wijkgroep(cfg, in, rest, a->text, sizeof a->text);
	if (!wg)
		return;
	scope = pol_check_scope(in->structure, in->sender, cmd->id, wg);
	if (scope != POL_PERM_ALLOWED && !(roles & POL_ROLE_OPERATOR)) {
		snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, pol_permission_text(scope)));
		out->items[0].allowed = 0;
		out->items[0].reason = pol_permission_name(scope);
		return;
	}
	if (in->facts->wijkgroep_of(in->facts->ctx, user, where, sizeof where) == 0) {
		other = strncmp(where, "wijkgroep:", 10) == 0 ?
			pol_structure_find_wijkgroep(in->structure, where + 10) : NULL;
		text_with_two(cfg->lang, POL_TXT_LID_ALREADY, user, other ? other->naam : where, a->text,
			      sizeof a->text);
		return;
	}
	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	count = in->facts->cap_count(in->facts->ctx, key);
	if (count < 0 || !pol_caps_can_admit((size_t)count, wg->limiet, 1)) {
		text_full(cfg->lang, wg->naam, wg->limiet, a->text, sizeof a->text);
		return;
	}
	inv = add(out, POL_ACT_INVITE, in->room_id);
	if (!inv)
		return;
	inv->wijkgroep = wg;
	snprintf(inv->user, sizeof inv->user, "%.255s", user);  /* valid_user_id: <= 255 */
	snprintf(inv->room_key, sizeof inv->room_key, "%s", key);
	text_with_two(cfg->lang, POL_TXT_LID_INVITED, user, wg->naam, a->text, sizeof a->text);
}

/* Someone the structure names (stuurgroep, police, operator, delegate):
 * their place is decided by the file, not by a command. */
static int in_structure(const pol_structure *s, const char *user)
{
	const pol_stuurgroep *sg[1];

	return pol_structure_stuurgroepen_of(s, user, sg, 1) > 0 || pol_structure_find_politie(s, user) ||
	       pol_structure_is_operator(s, user) || pol_structure_is_delegate(s, user);
}

/* !royeer @user [reden]: the telefoonbeheerder removes a resident of a
 * wijkgroep of their stuurgroep from every room of the system, for good. */
static void royeer(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		   pol_role_set roles, pol_actions *out, pol_action *a)
{
	char user[300], where[POL_STRUCT_MAX_KEY + 16];
	const char *sp = strchr(cmd->args, ' ');
	const pol_wijkgroep *wg = NULL;
	pol_action *ban;

	snprintf(user, sizeof user, "%.*s", sp ? (int)(sp - cmd->args) : (int)strlen(cmd->args), cmd->args);
	if (!in->structure || !in->facts) {
		snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, POL_TXT_NO_STRUCTURE));
		return;
	}
	if (!user[0] || !valid_user_id(user)) {
		snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, POL_TXT_ROYEER_USAGE));
		return;
	}
	if (in_structure(in->structure, user)) {
		text_with_name(cfg->lang, POL_TXT_ROYEER_PROTECTED, user, a->text, sizeof a->text);
		out->items[0].allowed = 0;
		out->items[0].reason = "protected";
		return;
	}
	if (in->facts->wijkgroep_of(in->facts->ctx, user, where, sizeof where) == 0 &&
	    strncmp(where, "wijkgroep:", 10) == 0)
		wg = pol_structure_find_wijkgroep(in->structure, where + 10);
	if (!(roles & POL_ROLE_OPERATOR) &&
	    (!wg || pol_check_scope(in->structure, in->sender, cmd->id, wg) != POL_PERM_ALLOWED)) {
		text_with_name(cfg->lang, POL_TXT_ROYEER_NOT_YOURS, user, a->text, sizeof a->text);
		out->items[0].allowed = 0;
		out->items[0].reason = pol_permission_name(POL_PERM_NOT_YOUR_WIJKGROEP);
		return;
	}
	ban = add(out, POL_ACT_BAN_ALL, in->room_id);
	if (!ban)
		return;
	snprintf(ban->user, sizeof ban->user, "%.255s", user);
	snprintf(ban->text, sizeof ban->text, "%s", sp ? sp + 1 : "");
	text_with_name(cfg->lang, POL_TXT_ROYEER_DONE, user, a->text, sizeof a->text);
}

static void audit(pol_actions *out, const pol_input *in, const pol_command *cmd, pol_permission p)
{
	pol_action *a = add(out, POL_ACT_AUDIT, in->room_id);

	if (!a)
		return;
	snprintf(a->command, sizeof a->command, "%s", cmd->name);
	a->allowed = p == POL_PERM_ALLOWED;
	a->reason = pol_permission_name(p);
}

static pol_action *reply(const pol_input *in, pol_actions *out, pol_action_kind kind)
{
	pol_action *a = add(out, kind, in->room_id);

	if (a) {
		a->reply_to = in->event_id;
		a->thread_root = in->thread_root;
	}
	return a;
}

static void answer(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	pol_command cmd;
	pol_role_set roles;
	pol_room_kind kind;
	pol_permission perm;
	pol_action *a;

	if (pol_command_parse(in->body, &cmd) == POL_CMD_NONE)
		return;
	roles = pol_roles_of(in->structure, in->sender, &in->room);
	if (is_admin(cfg, in->sender))
		roles |= POL_ROLE_OPERATOR;  /* the config's admins operate the bot */
	kind = pol_roles_room_kind(in->structure, &in->room);
	perm = cmd.id == POL_CMD_UNKNOWN ? POL_PERM_UNKNOWN_COMMAND : pol_check(cmd.id, roles, kind);
	/* The audit row goes first: it is stored even if the answer cannot be. */
	audit(out, in, &cmd, perm);
	a = reply(in, out, POL_ACT_NOTICE);
	if (!a)
		return;
	if (perm != POL_PERM_ALLOWED) {
		pol_text_id why = pol_permission_text(perm);
		if (perm == POL_PERM_UNKNOWN_COMMAND)
			text_with_name(cfg->lang, why, cmd.name, a->text, sizeof a->text);
		else
			snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, why));
		return;
	}
	switch (cmd.id) {
	case POL_CMD_PING:
		snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, POL_TXT_PONG));
		break;
	case POL_CMD_HELP:
		help_text(cfg->lang, roles, kind, a->text, sizeof a->text);
		break;
	case POL_CMD_HERLAAD:
		snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, POL_TXT_RELOADING));
		add(out, POL_ACT_RELOAD, in->room_id);
		break;
	case POL_CMD_STATUS:
		/* The daemon knows the figures; it writes the answer. */
		a->kind = POL_ACT_STATUS;
		break;
	case POL_CMD_LEDEN: {
		const pol_wijkgroep *wg;
		pol_permission scope;

		if (!in->structure) {
			snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, POL_TXT_NO_STRUCTURE));
			break;
		}
		wg = target_wijkgroep(cfg, in, cmd.args, a->text, sizeof a->text);
		if (!wg)
			break;
		/* Residents' names only for the stuurgroep that manages them. */
		scope = pol_check_scope(in->structure, in->sender, cmd.id, wg);
		if (scope != POL_PERM_ALLOWED && !(roles & POL_ROLE_OPERATOR)) {
			snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, pol_permission_text(scope)));
			out->items[0].allowed = 0;
			out->items[0].reason = pol_permission_name(scope);
			break;
		}
		a->kind = POL_ACT_MEMBERS;
		a->wijkgroep = wg;
		break;
	}
	case POL_CMD_LID:
		admit(cfg, in, &cmd, roles, out, a);
		break;
	case POL_CMD_ROYEER:
		royeer(cfg, in, &cmd, roles, out, a);
		break;
	case POL_CMD_STRUCTUUR:
		if (in->structure)
			a->kind = POL_ACT_TREE;
		else
			snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, POL_TXT_NO_STRUCTURE));
		break;
	default:
		text_with_name(cfg->lang, POL_TXT_NOT_YET, cmd.name, a->text, sizeof a->text);
		break;
	}
}

void pol_decide(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	out->n = 0;
	if (!in->sender || !in->room_id)
		return;
	/* The bot never reacts to itself: its own notices echo back in sync. */
	if (cfg->bot_user_id && strcmp(in->sender, cfg->bot_user_id) == 0)
		return;

	switch (in->kind) {
	case POL_IN_INVITE:
		add(out, is_admin(cfg, in->sender) ? POL_ACT_JOIN : POL_ACT_DECLINE, in->room_id);
		break;
	case POL_IN_MESSAGE:
		answer(cfg, in, out);
		break;
	default:
		break;
	}
}
