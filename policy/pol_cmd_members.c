/* pol_cmd_members.c: the stuurgroep's commands about residents: admitting
 * (!lid toevoegen), removing for good (!royeer), and the lists (!leden,
 * !wachtlijst). Names of residents only go to the stuurgroep that manages
 * their wijkgroep (pol_scope_ok). */
#include <stdio.h>
#include <string.h>
#include "pol_caps.h"
#include "pol_aanmelding.h"
#include "pol_engine_int.h"

/* Splits "word rest" at the first run of spaces: word into buf, *rest
 * after the spaces. */
static void first_word(const char *s, char *buf, size_t size, const char **rest)
{
	const char *sp = strchr(s, ' ');
	size_t n = sp ? (size_t)(sp - s) : strlen(s);

	snprintf(buf, size, "%.*s", n < size ? (int)n : (int)size - 1, s);
	s += n;
	while (*s == ' ')
		s++;
	*rest = s;
}

/* The wijkgroep of "!lid toevoegen": a wijkgroep's id or name, or a buurt
 * or postcode, which also tells the resident's buurt. */
static const pol_wijkgroep *admission_target(const pol_config *cfg, const pol_input *in, const char *args,
					     const pol_buurt **buurt, char *text, size_t size)
{
	const pol_wijkgroep *wg = NULL;

	*buurt = NULL;
	if (args[0] && !pol_structure_find_wijkgroep(in->structure, args) &&
	    pol_structure_locate(in->structure, args, &wg, buurt) == POL_LOCATE_FOUND)
		return wg;
	return pol_target_wijkgroep(cfg, in, args, text, size);
}

/* !lid toevoegen @user <wijkgroep|buurt|postcode>: the telefoonbeheerder
 * admits someone who is in no wijkgroep yet; past the cap they go on the
 * waiting list instead. */
void pol_cmd_lid(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		 pol_actions *out, pol_action *a)
{
	char verb[32], user[300], key[POL_STRUCT_MAX_KEY + 16], where[POL_STRUCT_MAX_KEY + 16];
	const char *rest, *after_user;
	const pol_wijkgroep *wg, *other;
	const pol_buurt *buurt;
	pol_action *act;
	long count, pos;

	first_word(cmd->args, verb, sizeof verb, &rest);
	first_word(rest, user, sizeof user, &after_user);
	if ((strcmp(verb, "toevoegen") != 0 && strcmp(verb, "add") != 0) || !user[0]) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_LID_USAGE));
		return;
	}
	if (!pol_valid_user_id(user)) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_BAD_USER, user);
		return;
	}
	wg = admission_target(cfg, in, after_user, &buurt, a->notice.text, sizeof a->notice.text);
	if (!wg || !pol_scope_ok(cfg, in, cmd->id, roles, wg, out, a))
		return;
	if (!pol_wijkgroep_active(wg)) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_RETIRED, wg->naam);
		return;
	}
	if (in->facts->wijkgroep_of(in->facts->ctx, user, where, sizeof where) == 0) {
		other = strncmp(where, "wijkgroep:", 10) == 0 ?
			pol_structure_find_wijkgroep(in->structure, where + 10) : NULL;
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_ALREADY, user, other ? other->naam : where);
		return;
	}
	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	count = in->facts->cap_count(in->facts->ctx, key);
	if (count < 0) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_FULL, wg->naam, wg->limiet);
		return;
	}
	if (!pol_caps_can_admit((size_t)count, wg->limiet, 1)) {
		pos = in->facts->waitlist_position(in->facts->ctx, key, user);
		if (pos == 0)
			pos = in->facts->waitlist_length(in->facts->ctx, key) + 1;
		act = pol_add(out, POL_ACT_WAITLIST_ADD, in->room_id);
		if (!act || pos < 1)
			return;
		snprintf(act->waitlist.user, sizeof act->waitlist.user, "%.255s", user);
		snprintf(act->waitlist.room_key, sizeof act->waitlist.room_key, "%s", key);
		snprintf(act->waitlist.source, sizeof act->waitlist.source, "lid");
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_WAITLISTED, wg->naam, wg->limiet, user, pos);
		snprintf(a->notice.about, sizeof a->notice.about, "%.255s", user);
		return;
	}
	if (!pol_plan_invite(out, in->room_id, wg, user, buurt ? buurt->label : NULL))
		return;
	pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_INVITED, user, wg->naam);
}

/* !royeer @user [reden]: the telefoonbeheerder removes a resident of a
 * wijkgroep of their stuurgroep from every room of the system, for good. */
void pol_cmd_royeer(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		    pol_actions *out, pol_action *a)
{
	char user[300], where[POL_STRUCT_MAX_KEY + 16];
	const char *reason;
	const pol_wijkgroep *wg = NULL;

	first_word(cmd->args, user, sizeof user, &reason);
	if (!user[0] || !pol_valid_user_id(user)) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_ROYEER_USAGE));
		return;
	}
	if (pol_structure_names(in->structure, user)) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_ROYEER_PROTECTED, user);
		pol_audit_refused(out, "protected");
		return;
	}
	if (in->facts->wijkgroep_of(in->facts->ctx, user, where, sizeof where) == 0 &&
	    strncmp(where, "wijkgroep:", 10) == 0)
		wg = pol_structure_find_wijkgroep(in->structure, where + 10);
	if (!(roles & POL_ROLE_OPERATOR) &&
	    (!wg || pol_check_scope(in->structure, in->sender, cmd->id, wg) != POL_PERM_ALLOWED)) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_ROYEER_NOT_YOURS, user);
		pol_audit_refused(out, pol_permission_name(POL_PERM_NOT_YOUR_WIJKGROEP));
		return;
	}
	if (!pol_plan_ban_all(out, in->room_id, user, reason))
		return;
	pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_ROYEER_DONE, user);
}

/* !leden [wijkgroep]: the members, for the stuurgroep that manages them. */
void pol_cmd_leden(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		   pol_actions *out, pol_action *a)
{
	const pol_wijkgroep *wg = pol_target_wijkgroep(cfg, in, cmd->args, a->notice.text, sizeof a->notice.text);

	if (!wg || !pol_scope_ok(cfg, in, cmd->id, roles, wg, out, a))
		return;
	pol_action_become(a, POL_ACT_MEMBERS);
	a->answer.wijkgroep = wg;
}

/* !wachtlijst [wijkgroep]: one list, or in a stuurgroep room without an
 * argument the lists of every wijkgroep it manages. */
void pol_cmd_wachtlijst(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			pol_role_set roles, pol_actions *out, pol_action *a)
{
	const pol_wijkgroep *wg = NULL;

	if (cmd->args[0] || !pol_room_stuurgroep(in)) {
		wg = pol_target_wijkgroep(cfg, in, cmd->args, a->notice.text, sizeof a->notice.text);
		if (!wg || !pol_scope_ok(cfg, in, cmd->id, roles, wg, out, a))
			return;
	}
	pol_action_become(a, POL_ACT_WAITLIST);
	a->answer.wijkgroep = wg;
	snprintf(a->answer.room_key, sizeof a->answer.room_key, "%s", in->room.key ? in->room.key : "");
}

/* !aanspreken @user [tekst]: the stuurgroep reminds a resident of its
 * wijkgroepen privately; it is counted, so warnings have a record before
 * a !royeer. */
void pol_cmd_aanspreken(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
			pol_actions *out, pol_action *a)
{
	char user[300], where[POL_STRUCT_MAX_KEY + 16];
	const char *text;
	const pol_wijkgroep *wg = NULL;
	pol_action *act;
	long warnings = 0, flags = 0;

	first_word(cmd->args, user, sizeof user, &text);
	if (!user[0] || !pol_valid_user_id(user)) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_AANSPREKEN_USAGE));
		return;
	}
	if (in->facts->wijkgroep_of(in->facts->ctx, user, where, sizeof where) == 0 &&
	    strncmp(where, "wijkgroep:", 10) == 0)
		wg = pol_structure_find_wijkgroep(in->structure, where + 10);
	if (!wg || !pol_scope_ok(cfg, in, cmd->id, roles, wg, out, a)) {
		if (!wg)
			pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_ROYEER_NOT_YOURS, user);
		return;
	}
	if ((act = pol_add(out, POL_ACT_PRIVATE, in->room_id))) {
		snprintf(act->priv.user, sizeof act->priv.user, "%.255s", user);
		if (text[0])
			pol_textf(act->priv.text, sizeof act->priv.text, cfg->lang, POL_TXT_AANSPREKEN_FROM, text);
		else
			pol_textf(act->priv.text, sizeof act->priv.text, cfg->lang, POL_TXT_AANSPREKEN_DEFAULT,
				  pol_spelregels_of(wg->wijk, cfg->lang));
	}
	if ((act = pol_add(out, POL_ACT_MARK, in->room_id))) {
		snprintf(act->mark.user, sizeof act->mark.user, "%.255s", user);
		snprintf(act->mark.kind, sizeof act->mark.kind, "warning");
	}
	if (in->facts->marks)
		in->facts->marks(in->facts->ctx, user, &warnings, &flags);
	pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_AANSPREKEN_DONE, user, warnings + 1);
}
