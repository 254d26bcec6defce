/* pol_signup.c: decisions about signing up that need no intake questions:
 * the stuurgroep's !toelaten, !afwijzen and !aanmeldingen, and a resident's !mijngegevens,
 * !vergeetmij and !spelregels. The questions themselves are in
 * pol_intake.c, the conversation around them in pol_signup_dm.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pol_buf.h"
#include "pol_aanmelding.h"
#include "pol_caps.h"
#include "pol_engine_int.h"
#include "pol_web_admit.h"

/* "!toelaten 12" / "#12": the number, or 0 with the usage in a->notice.text. */
static long long app_number(const char *args, const char **rest)
{
	char *end = NULL;
	long long nr;

	if (*args == '#')
		args++;
	nr = strtoll(args, &end, 10);
	if (nr <= 0 || !end || (*end && *end != ' '))
		return 0;
	while (*end == ' ')
		end++;
	*rest = end;
	return nr;
}

/* The application a decision is about, checked: it exists, it belongs to
 * a wijkgroep of the sender's stuurgroep, it is not decided yet. */
static const pol_wijkgroep *decidable(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
				      pol_role_set roles, pol_application *app, const char **rest,
				      pol_actions *out, pol_action *a)
{
	const pol_wijkgroep *wg;
	long long nr = app_number(cmd->args, rest);

	memset(app, 0, sizeof *app);
	if (!nr) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, cmd->id == POL_CMD_TOELATEN ?
								   POL_TXT_APP_USAGE_TOELATEN : POL_TXT_APP_USAGE_AFWIJZEN));
		return NULL;
	}
	if (!in->facts->application || in->facts->application(in->facts->ctx, nr, app) != 0 ||
	    strncmp(app->wijkgroep_key, "wijkgroep:", 10) != 0 ||
	    !(wg = pol_structure_find_wijkgroep(in->structure, app->wijkgroep_key + 10))) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_APP_UNKNOWN, nr);
		return NULL;
	}
	if (!pol_scope_ok(cfg, in, cmd->id, roles, wg, out, a))
		return NULL;
	if (strcmp(app->state, "open") != 0 && strcmp(app->state, "waiting") != 0) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_APP_DONE_ALREADY, nr);
		return NULL;
	}
	return wg;
}

static pol_action *decide(pol_actions *out, const pol_input *in, const pol_application *app, const char *state)
{
	pol_action *d = pol_add(out, POL_ACT_APP_DECIDE, in->room_id);

	if (d) {
		d->decide.nr = app->nr;
		snprintf(d->decide.state, sizeof d->decide.state, "%s", state);
		snprintf(d->decide.user, sizeof d->decide.user, "%.255s", app->user);
	}
	return d;
}

static pol_action *to_applicant(pol_actions *out, const pol_application *app)
{
	pol_action *n;

	if (!app->dm_room[0] || !(n = pol_add(out, POL_ACT_NOTICE, NULL)))
		return NULL;
	snprintf(n->notice.target_room, sizeof n->notice.target_room, "%s", app->dm_room);
	return n;
}

/* !toelaten <nr>: invite into the wijkgroep, or past the cap onto the
 * waiting list; either way the applicant hears it in their direct chat. */
void pol_cmd_toelaten(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		      pol_role_set roles, pol_actions *out, pol_action *a)
{
	pol_application appbuf, *app = &appbuf;
	char key[POL_STRUCT_MAX_KEY + 16], where[POL_STRUCT_MAX_KEY + 16];
	const char *rest;
	const pol_wijkgroep *wg = decidable(cfg, in, cmd, roles, app, &rest, out, a);
	pol_action *act;
	long count, pos;

	if (!wg)
		return;
	if (!pol_wijkgroep_active(wg)) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_RETIRED, wg->naam);
		return;
	}
	if (in->facts->wijkgroep_of(in->facts->ctx, app->user, where, sizeof where) == 0) {
		const pol_wijkgroep *other = strncmp(where, "wijkgroep:", 10) == 0 ?
			pol_structure_find_wijkgroep(in->structure, where + 10) : NULL;

		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_ALREADY, app->user, other ? other->naam : where);
		return;
	}
	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	count = in->facts->cap_count(in->facts->ctx, key);
	if (count < 0 || !pol_caps_can_admit((size_t)count, wg->limiet, 1)) {
		pos = in->facts->waitlist_position(in->facts->ctx, key, app->user);
		if (pos == 0)
			pos = in->facts->waitlist_length(in->facts->ctx, key) + 1;
		if (pos < 1 || !(act = pol_add(out, POL_ACT_WAITLIST_ADD, in->room_id)))
			return;
		snprintf(act->waitlist.user, sizeof act->waitlist.user, "%.255s", app->user);
		snprintf(act->waitlist.room_key, sizeof act->waitlist.room_key, "%s", key);
		snprintf(act->waitlist.source, sizeof act->waitlist.source, "lid");
		decide(out, in, app, "waiting");
		if ((act = to_applicant(out, app)))
			pol_textf(act->notice.text, sizeof act->notice.text, cfg->lang, POL_TXT_APP_WAITING_DM, wg->naam, pos);
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_APP_WAITING, app->nr, wg->naam, pos);
		return;
	}
	/* A website application has no account yet: it gets a code instead. */
	if (pol_app_from_web(app) ? !pol_plan_web_admit(cfg, out, in->room_id, wg, app)
				  : !pol_plan_invite(out, in->room_id, wg, app->user, app->buurt))
		return;
	decide(out, in, app, "admitted");
	if ((act = to_applicant(out, app)))
		pol_textf(act->notice.text, sizeof act->notice.text, cfg->lang, POL_TXT_APP_ADMITTED_DM, wg->naam);
	pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_APP_ADMITTED, app->nr, wg->naam);
}

/* !afwijzen <nr> [reden] */
void pol_cmd_afwijzen(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		      pol_role_set roles, pol_actions *out, pol_action *a)
{
	pol_application appbuf, *app = &appbuf;
	const char *rest = "";
	char reason[600] = "";
	pol_action *act;

	if (!decidable(cfg, in, cmd, roles, app, &rest, out, a))
		return;
	if (rest[0])
		pol_textf(reason, sizeof reason, cfg->lang, POL_TXT_APP_REASON, rest);
	decide(out, in, app, "rejected");
	if ((act = to_applicant(out, app)))
		pol_textf(act->notice.text, sizeof act->notice.text, cfg->lang, POL_TXT_APP_REJECTED_DM, reason);
	pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_APP_REJECTED, app->nr);
}

/* !vergeetmij [ja]: out of every room, data deleted; asked first. */
void pol_cmd_vergeetmij(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			pol_role_set roles, pol_actions *out, pol_action *a)
{
	pol_action *f;

	(void)roles;
	if (pol_structure_names(in->structure, in->sender)) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_FORGET_STRUCTURE));
		return;
	}
	if (strcmp(cmd->args, "ja") != 0 && strcmp(cmd->args, "yes") != 0) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_FORGET_ASK));
		return;
	}
	f = pol_add(out, POL_ACT_FORGET, in->room_id);
	if (!f)
		return;
	pol_plan_forget_fill(f, in->sender);
	snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_FORGET_DONE));
}

/* !aanmeldingen: the open applications of the wijkgroepen this room's
 * stuurgroep manages, for a member who was not there when they came in
 * (history is visible from joining). The permission table allows it only
 * to members of the stuurgroep whose room this is; the daemon lists. */
void pol_cmd_aanmeldingen(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			  pol_role_set roles, pol_actions *out, pol_action *a)
{
	(void)cmd;
	(void)roles;
	(void)out;
	if (!pol_room_stuurgroep(in)) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_REFUSED_ONLY_STUURGROEP));
		return;
	}
	pol_action_become(a, POL_ACT_APPLICATIONS);
	snprintf(a->answer.room_key, sizeof a->answer.room_key, "%s", in->room.key);
}

void pol_applications_text(pol_lang lang, const pol_stuurgroep *sg, const pol_application_line *lines, size_t n,
			   char *buf, size_t size)
{
	char line[1200];
	pol_buf out;
	size_t i;

	if (!n) {
		pol_textf(buf, size, lang, POL_TXT_APPLICATIONS_NONE, sg->naam);
		return;
	}
	pol_textf(buf, size, lang, POL_TXT_APPLICATIONS_HEADER, sg->naam, n);
	pol_buf_init_at_end(&out, buf, size);
	for (i = 0; i < n; i++) {
		pol_textf(line, sizeof line, lang, POL_TXT_APPLICATIONS_LINE, lines[i].nr, lines[i].name,
			  lines[i].buurt, lines[i].wijkgroep, lines[i].since);
		pol_buf_printf(&out, "\n%s%s", line, lines[i].waiting ? pol_text(lang, POL_TXT_APPLICATIONS_WAITING) : "");
	}
	pol_buf_printf(&out, "\n%s", pol_text(lang, POL_TXT_APPLICATIONS_FOOTER));
}

/* !spelregels: those of the wijk of this wijkgroep room, or in a direct
 * chat of the sender's own wijk; the project's default elsewhere. */
void pol_cmd_spelregels(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
			pol_role_set roles, pol_actions *out, pol_action *a)
{
	const pol_room *rm = in->room.key ? pol_structure_room_by_key(in->structure, in->room.key) : NULL;
	const pol_wijk *w = rm ? rm->wijk : NULL;
	pol_signup_state ss;
	char header[300];

	(void)cmd;
	(void)roles;
	(void)out;
	if (!w && in->facts && in->facts->signup_state &&
	    in->facts->signup_state(in->facts->ctx, in->sender, &ss) == 0 &&
	    strncmp(ss.resident_key, "wijkgroep:", 10) == 0) {
		const pol_wijkgroep *wg = pol_structure_find_wijkgroep(in->structure, ss.resident_key + 10);
		w = wg ? wg->wijk : NULL;
	}
	pol_textf(header, sizeof header, cfg->lang, POL_TXT_SPELREGELS_HEADER, w ? w->naam : pol_structure_gemeente(in->structure));
	snprintf(a->notice.text, sizeof a->notice.text, "%s\n%s", header, pol_spelregels_of(w, cfg->lang));
}
