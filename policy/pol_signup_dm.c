/* pol_signup_dm.c: the conversation in a resident's direct chat with the
 * bot. Whoever is not named by the structure file signs up there: anything
 * in a new chat (or !aanmelden) starts the questions of pol_aanmelding.c,
 * a pause resumes them, a complete intake becomes an application for the
 * stuurgroep. A knock on a wijkgroep opens such a chat; the questions start
 * when the resident joins it. */
#include <stdio.h>
#include <strings.h>
#include <string.h>
#include "pol_aanmelding.h"
#include "pol_engine_int.h"

static int signs_up(const pol_config *cfg, const pol_input *in, const char *user)
{
	size_t i;

	if (!user || (in->structure && pol_structure_names(in->structure, user)))
		return 0;
	for (i = 0; i < cfg->n_admins; i++)
		if (strcmp(cfg->admins[i], user) == 0)
			return 0;
	return 1;
}

static pol_action *say(const pol_input *in, pol_actions *out, int as_reply)
{
	pol_action *a = pol_add(out, POL_ACT_NOTICE, in->room_id);

	if (a && as_reply)
		a->reply_to = in->event_id;
	return a;
}

static void save(const pol_input *in, const char *user, const pol_intake *st, pol_actions *out)
{
	pol_action *a = pol_add(out, POL_ACT_INTAKE_SAVE, in->room_id);

	if (!a)
		return;
	snprintf(a->intake.user, sizeof a->intake.user, "%.255s", user);
	if (pol_intake_to_json(st, a->intake.json, sizeof a->intake.json) != 0)
		out->n--;   /* cannot happen with the bounded fields; never store half */
}

/* Starts (or resumes) the intake of user, answering in this room. */
static void begin(const pol_config *cfg, const pol_input *in, const char *user, const pol_signup_state *ss,
		  pol_actions *out, int as_reply)
{
	pol_action *a;
	pol_intake st;
	const pol_wijkgroep *wg;

	if (ss->resident_key[0]) {
		wg = strncmp(ss->resident_key, "wijkgroep:", 10) == 0 ?
			pol_structure_find_wijkgroep(in->structure, ss->resident_key + 10) : NULL;
		if ((a = say(in, out, as_reply)))
			pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_ALREADY_RESIDENT_DM,
				  wg ? wg->naam : ss->resident_key);
		return;
	}
	if (ss->pending_nr) {
		if ((a = say(in, out, as_reply)))
			snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_APP_PENDING_DM));
		return;
	}
	if (ss->has_intake && pol_intake_from_json(&st, ss->intake_json) == 0) {
		if ((a = say(in, out, as_reply)))
			pol_intake_resume(in->structure, &st, cfg->lang, a->notice.text, sizeof a->notice.text);
		return;
	}
	a = say(in, out, as_reply);
	if (!a)
		return;
	pol_intake_start(&st, cfg->lang, a->notice.text, sizeof a->notice.text);
	save(in, user, &st, out);
}

/* A plain message (not a command) from someone signing up. */
static void answer_intake(const pol_config *cfg, const pol_input *in, const pol_signup_state *ss,
			  pol_actions *out)
{
	pol_intake st;
	pol_action *a, *x;
	pol_intake_outcome o;
	const pol_wijkgroep *wg;

	if (!ss->has_intake || pol_intake_from_json(&st, ss->intake_json) != 0) {
		begin(cfg, in, in->sender, ss, out, 1);
		return;
	}
	a = say(in, out, 1);
	if (!a)
		return;
	o = pol_intake_answer(in->structure, &st, in->body, cfg->lang, a->notice.text, sizeof a->notice.text);
	switch (o) {
	case POL_INTAKE_CONTINUE:
	case POL_INTAKE_INVALID:
		save(in, in->sender, &st, out);
		break;
	case POL_INTAKE_ABANDONED:
		if ((x = pol_add(out, POL_ACT_INTAKE_DELETE, in->room_id)))
			snprintf(x->person.user, sizeof x->person.user, "%.255s", in->sender);
		break;
	case POL_INTAKE_COMPLETE:
		wg = pol_structure_find_wijkgroep(in->structure, st.wijkgroep);
		if (!wg || !(x = pol_add(out, POL_ACT_APPLY, in->room_id)))
			break;
		snprintf(x->intake.user, sizeof x->intake.user, "%.255s", in->sender);
		snprintf(x->intake.room_key, sizeof x->intake.room_key, "wijkgroep:%s", wg->id);
		pol_intake_to_json(&st, x->intake.json, sizeof x->intake.json);
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_APP_SENT_DM, wg->naam);
		break;
	}
}

/* A resident answering the question about changed spelregels. */
static int accept_spelregels(const pol_config *cfg, const pol_input *in, const pol_signup_state *ss,
			     pol_actions *out)
{
	const pol_wijkgroep *wg;
	char version[17];
	pol_action *a;
	const char *b = in->body;

	if (!ss->resident_key[0] || strncmp(ss->resident_key, "wijkgroep:", 10) != 0)
		return 0;
	while (*b == ' ')
		b++;
	if (strncasecmp(b, "akkoord", 7) != 0 || (b[7] && b[7] != ' ' && b[7] != '.' && b[7] != '!'))
		return 0;
	wg = pol_structure_find_wijkgroep(in->structure, ss->resident_key + 10);
	pol_spelregels_version(pol_spelregels_of(wg ? wg->wijk : NULL, cfg->lang), version);
	if (strcmp(version, ss->spelregels_accepted) == 0)
		return 0;
	if (!(a = pol_add(out, POL_ACT_SPELREGELS_OK, in->room_id)))
		return 1;
	snprintf(a->spelregels.user, sizeof a->spelregels.user, "%.255s", in->sender);
	snprintf(a->spelregels.version, sizeof a->spelregels.version, "%s", version);
	if ((a = say(in, out, 1)))
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_SPELREGELS_ACCEPTED));
	return 1;
}

int pol_signup_dm_message(const pol_config *cfg, const pol_input *in, pol_command_id cmd, pol_actions *out)
{
	pol_signup_state ss;

	if (in->room.kind != POL_ROOM_DM || !in->room.dm_user || strcmp(in->room.dm_user, in->sender) != 0 ||
	    !signs_up(cfg, in, in->sender) || !in->structure || !in->facts || !in->facts->signup_state)
		return 0;
	if (cmd != POL_CMD_NONE && cmd != POL_CMD_AANMELDEN && cmd != POL_CMD_STOP)
		return 0;   /* other commands are answered as anywhere */
	if (in->facts->signup_state(in->facts->ctx, in->sender, &ss) != 0)
		return 0;
	if (cmd == POL_CMD_AANMELDEN) {
		begin(cfg, in, in->sender, &ss, out, 1);
	} else if (cmd == POL_CMD_NONE && accept_spelregels(cfg, in, &ss, out)) {
		/* answered */
	} else if (cmd == POL_CMD_STOP && !ss.has_intake) {
		pol_action *a = say(in, out, 1);

		if (a)
			snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_INTAKE_ABANDONED));
	} else if (cmd == POL_CMD_STOP || ss.has_intake) {
		answer_intake(cfg, in, &ss, out);   /* !stop is an answer too */
	} else {
		begin(cfg, in, in->sender, &ss, out, 1);
	}
	return 1;
}

void pol_signup_dm_joined(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	pol_signup_state ss;

	/* The resident joined the chat the bot opened for them. */
	if (strcmp(in->membership, "join") != 0 || !in->room.dm_user || strcmp(in->target, in->room.dm_user) != 0 ||
	    !signs_up(cfg, in, in->target) || !in->structure || !in->facts->signup_state ||
	    in->facts->signup_state(in->facts->ctx, in->target, &ss) != 0)
		return;
	begin(cfg, in, in->target, &ss, out, 0);
}
