/* pol_casus.c: meldingen (DESIGN.md section 4). A top-level message in a
 * wijkgroep opens a casus with its author as casushouder and gets a SAAR
 * answer in its thread; replies and thread messages join the casus of
 * their root; a stuurgroep member's !door (or the approval reaction)
 * forwards a message along the routes of pol_route; !afloop closes it;
 * !casus lists. Nothing is forwarded without that approval. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pol_buf.h"
#include "pol_aanmelding.h"
#include "pol_engine_int.h"
#include "pol_route.h"
#include "pol_saar.h"

#define APPROVAL_KEY "\xe2\x8f\xa9"   /* ⏩ */
#define FLAG_KEY "\xf0\x9f\x9a\xa9"   /* 🚩 */
#define EDIT_QUOTE_MAX 1200   /* old and new text in an edit request */
#define CHATTER_WINDOW_S 600          /* "several top-level messages in a short time" */
#define CHATTER_COUNT 2               /* earlier ones in the window: this is the third */
/* Only at that count, so the reminder comes once per burst. */

static const pol_room *room_of(const pol_input *in)
{
	return in->room.key && in->structure ? pol_structure_room_by_key(in->structure, in->room.key) : NULL;
}

static pol_action *in_thread(const pol_input *in, pol_actions *out, const char *root)
{
	pol_action *a = pol_add(out, POL_ACT_NOTICE, in->room_id);

	if (a) {
		a->thread_root = root;
		a->reply_to = root;
	}
	return a;
}

/* "het signalement, de looprichting en wat je zelf gaat doen" */
static void missing_parts(pol_lang lang, const pol_saar *sa, char *buf, size_t size)
{
	const char *parts[3];
	pol_buf out;
	size_t n = 0, i;

	if (!sa->signalement)
		parts[n++] = pol_text(lang, POL_TXT_SAAR_SIGNALEMENT);
	if (!sa->looprichting)
		parts[n++] = pol_text(lang, POL_TXT_SAAR_LOOPRICHTING);
	if (!sa->own_action)
		parts[n++] = pol_text(lang, POL_TXT_SAAR_OWN_ACTION);
	pol_buf_init(&out, buf, size);
	for (i = 0; i < n; i++) {
		pol_buf_printf(&out, "%s%s", i == 0 ? "" : i + 1 == n ? " " : ", ",
			       i + 1 == n && i ? pol_text(lang, POL_TXT_AND) : "");
		pol_buf_printf(&out, "%s%s", i + 1 == n && i ? " " : "", parts[i]);
	}
}

/* ---- floods (issue 11): one resident must not bury the group and the
 * stuurgroep under casussen, answers and notices ---- */

static long minutes_of(long seconds)
{
	return seconds >= 60 ? seconds / 60 : 1;
}

int pol_flood_report(const pol_config *cfg, const pol_structure *s, const char *room_key, const char *user,
		     const pol_flood *f, pol_actions *out)
{
	const pol_room *rm = s && room_key ? pol_structure_room_by_key(s, room_key) : NULL;
	pol_action *a;

	if (!rm || !rm->wijkgroep || f->unreported <= 0 || f->since_report_s < cfg->flood_report_s ||
	    !(a = pol_add(out, POL_ACT_NOTICE, NULL)))
		return 0;
	snprintf(a->notice.room_key, sizeof a->notice.room_key, "stuurgroep:%s", rm->wijkgroep->stuurgroep->id);
	pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_FLOOD_COUNT, user, f->unreported, rm->naam, f->held);
	return 1;
}

/* Whether the sender's message is past the flood limit: they opened
 * flood_max_casussen casussen here within the window already (thanks and
 * messages held back open none, so they do not count). The stuurgroep's
 * own announcements are not limited. */
static int flooding(const pol_config *cfg, const pol_input *in)
{
	if (cfg->flood_max_casussen <= 0 || !in->facts->casussen_by ||
	    in->facts->casussen_by(in->facts->ctx, in->room_id, in->sender, cfg->flood_window_s) <
		    cfg->flood_max_casussen)
		return 0;
	return !(pol_roles_of(in->structure, in->sender, &in->room) & POL_ROLE_STUURGROEPLID);
}

/* A message past the limit opens no casus and gets no answer in the group.
 * The flood's first one gets the resident one private word and the
 * stuurgroep one notice; later ones only a count now and then. */
static void flood(const pol_config *cfg, const pol_input *in, const pol_room *rm, pol_actions *out)
{
	pol_flood f;
	pol_action *held, *a;

	memset(&f, 0, sizeof f);
	if (in->facts->flood)
		in->facts->flood(in->facts->ctx, in->room_id, in->sender, &f);
	if (!(held = pol_add(out, POL_ACT_FLOOD, in->room_id)))
		return;
	snprintf(held->flood.user, sizeof held->flood.user, "%.255s", in->sender);
	if (f.held > 0) {
		f.held++;
		f.unreported++;
		held->flood.reported = pol_flood_report(cfg, in->structure, rm->key, in->sender, &f, out);
		return;
	}
	if ((a = pol_add(out, POL_ACT_PRIVATE, in->room_id))) {
		snprintf(a->priv.user, sizeof a->priv.user, "%.255s", in->sender);
		pol_textf(a->priv.text, sizeof a->priv.text, cfg->lang, POL_TXT_FLOOD_PRIVATE, rm->naam, cfg->flood_max_casussen,
			  minutes_of(cfg->flood_window_s));
	}
	if ((a = pol_add(out, POL_ACT_NOTICE, NULL))) {
		snprintf(a->notice.room_key, sizeof a->notice.room_key, "stuurgroep:%s", rm->wijkgroep->stuurgroep->id);
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_FLOOD_NOTICE, in->sender, rm->naam,
			  cfg->flood_max_casussen, minutes_of(cfg->flood_window_s), minutes_of(cfg->flood_report_s));
		held->flood.reported = 1;
	}
}

/* Whether the stuurgroep hears of a second open casus: not when the open
 * one is the same resident's and they posted shortly before (a burst
 * would repeat it per message; there is still one casushouder). */
static int tell_second(const pol_config *cfg, const pol_input *in, long long other)
{
	pol_casus c;

	if (!in->facts->casus_by_nr || !in->facts->recent_posts ||
	    in->facts->casus_by_nr(in->facts->ctx, other, in->room_id, &c) != 0 || strcmp(c.casushouder, in->sender) != 0)
		return 1;
	return in->facts->recent_posts(in->facts->ctx, in->room_id, in->sender,
				       cfg->flood_window_s > 0 ? cfg->flood_window_s : CHATTER_WINDOW_S) == 0;
}

/* The number the next casus gets: one past the highest so far (numbers
 * are never reused, closed and expired casussen keep theirs); 0 when it
 * cannot be known. */
static long long next_casus_nr(const pol_input *in)
{
	long long last = in->facts->casus_last_nr ? in->facts->casus_last_nr(in->facts->ctx) : -1;

	return last >= 0 ? last + 1 : 0;
}

void pol_edit_request_text(const pol_config *cfg, const char *author, long long nr, const char *rooms,
			   const char *old_body, const char *new_body, char *buf, size_t size)
{
	const char *key = cfg->approval_key && cfg->approval_key[0] ? cfg->approval_key : APPROVAL_KEY;
	char was[EDIT_QUOTE_MAX], wordt[EDIT_QUOTE_MAX];

	/* Quoted, a resident's words can never pass for the bot's own lines. */
	pol_quote_lines(old_body ? old_body : "", was, sizeof was);
	pol_quote_lines(new_body ? new_body : "", wordt, sizeof wordt);
	pol_textf(buf, size, cfg->lang, POL_TXT_EDIT_REQUEST, author, nr, rooms, was, wordt, key);
}

/* A top-level message in a wijkgroep: a new casus. */
static void open_casus(const pol_config *cfg, const pol_input *in, const pol_room *rm, pol_actions *out)
{
	pol_saar sa;
	pol_action *a;
	pol_buf text;
	char parts[400], line[600];
	long long nr, other;

	if (flooding(cfg, in)) {
		flood(cfg, in, rm, out);
		return;
	}
	pol_saar_check(in->body, &sa);
	if (sa.acknowledgement) {
		/* "bedankt", "👍": no melding, and a private hint to react instead. */
		if ((a = pol_add(out, POL_ACT_PRIVATE, in->room_id))) {
			snprintf(a->priv.user, sizeof a->priv.user, "%.255s", in->sender);
			snprintf(a->priv.text, sizeof a->priv.text, "%s", pol_text(cfg->lang, POL_TXT_ACK_HINT));
		}
		return;
	}
	/* Chatter: the third top-level message in a short while with nothing
	 * of a melding in it gets a private reminder of the spelregels, once. */
	if (!sa.called_112 && !sa.signalement && !sa.looprichting && in->facts->recent_posts &&
	    in->facts->recent_posts(in->facts->ctx, in->room_id, in->sender, CHATTER_WINDOW_S) == CHATTER_COUNT &&
	    (a = pol_add(out, POL_ACT_PRIVATE, in->room_id))) {
		snprintf(a->priv.user, sizeof a->priv.user, "%.255s", in->sender);
		pol_textf(a->priv.text, sizeof a->priv.text, cfg->lang, POL_TXT_CHATTER_HINT,
			  pol_spelregels_of(rm->wijk, cfg->lang));
	}
	nr = next_casus_nr(in);
	if (nr <= 0)
		return;
	other = in->facts->casus_open_in ? in->facts->casus_open_in(in->facts->ctx, in->room_id) : 0;
	if (!(a = pol_add(out, POL_ACT_CASUS_OPEN, in->room_id)))
		return;
	a->casus.nr = nr;
	snprintf(a->casus.houder, sizeof a->casus.houder, "%.255s", in->sender);
	if (!(a = in_thread(in, out, in->event_id)))
		return;
	pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_CASUS_OPENED, nr, in->sender);
	pol_buf_init_at_end(&text, a->notice.text, sizeof a->notice.text);
	if (!sa.called_112)
		pol_buf_printf(&text, "\n%s", pol_text(cfg->lang, POL_TXT_CASUS_ASK_112));
	if (!sa.signalement || !sa.looprichting || !sa.own_action) {
		missing_parts(cfg->lang, &sa, parts, sizeof parts);
		pol_textf(line, sizeof line, cfg->lang, POL_TXT_CASUS_SAAR_MISSING, parts);
		pol_buf_printf(&text, "\n%s", line);
	}
	/* Origin without a description: a private word, never in the group. */
	if (sa.origin_only && (a = pol_add(out, POL_ACT_PRIVATE, in->room_id))) {
		snprintf(a->priv.user, sizeof a->priv.user, "%.255s", in->sender);
		snprintf(a->priv.text, sizeof a->priv.text, "%s", pol_text(cfg->lang, POL_TXT_CASUS_ORIGIN_PROMPT));
	}
	if (other > 0 && rm->wijkgroep && tell_second(cfg, in, other) && (a = pol_add(out, POL_ACT_NOTICE, NULL))) {
		snprintf(a->notice.room_key, sizeof a->notice.room_key, "stuurgroep:%s", rm->wijkgroep->stuurgroep->id);
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_CASUS_SECOND, rm->naam, other, nr, in->sender);
	}
}

/* Every message in a group room: a follow-up joins its casus; a
 * top-level message in a wijkgroep opens one. 1 when handled. */
int pol_casus_message(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	const pol_room *rm = room_of(in);
	const char *root = in->thread_root ? in->thread_root : in->reply_to;
	pol_casus c;
	pol_action *a;

	if (!rm || !in->facts || !in->facts->casus_of_event)
		return 0;
	if (root) {
		if (in->facts->casus_of_event(in->facts->ctx, in->room_id, root, &c) == 0 && (a = pol_add(out, POL_ACT_CASUS_EVENT, in->room_id)))
			a->casus.nr = c.nr;
		return 1;
	}
	if (rm->kind == POL_ROOM_WIJKGROEP && pol_wijkgroep_active(rm->wijkgroep))
		open_casus(cfg, in, rm, out);
	else if (rm->kind != POL_ROOM_WIJKGROEP && (a = pol_add(out, POL_ACT_CASUS_EVENT, in->room_id)))
		a->casus.nr = 0;   /* kept, so the stuurgroep can forward it (e.g. a police message) */
	return 1;
}

/* An author's edit of a forwarded message (DESIGN.md section 4: an
 * approved melding must not turn into anything else unseen). The copies
 * keep the approved text until a stuurgroep member approves the edit. */
void pol_casus_edit(const pol_config *cfg, const pol_input *in, pol_edit_plan *out)
{
	const pol_room *rm = room_of(in);
	pol_casus c;

	memset(out, 0, sizeof *out);
	if (!rm || !in->sender || !in->event_id || !in->relates_event || !in->facts || !in->facts->casus_of_event ||
	    (cfg->bot_user_id && strcmp(in->sender, cfg->bot_user_id) == 0))
		return;   /* the bot's own edits of its copies */
	if (in->facts->casus_of_event(in->facts->ctx, in->room_id, in->relates_event, &c) != 0)
		return;   /* nothing the bot keeps, so never forwarded: nothing changes, nobody is asked */
	/* The spec: only the author may edit, and an edit of an edit is no edit. */
	if (c.edit != POL_EDIT_NONE || !c.sender[0] || strcmp(c.sender, in->sender) != 0)
		return;
	out->nr = c.nr;
	if (c.copies <= 0) {
		out->kind = POL_EDIT_PLAN_KEEP;
		return;
	}
	out->kind = POL_EDIT_PLAN_ASK;
	/* Where the people who approve are, and only they: a wijkgroep's edit
	 * is shown in its stuurgroep's room, not in the wijkgroep, so residents
	 * get no review talk in their group and the stuurgroep has old and new
	 * text side by side where it works (a reaction there approves). Other
	 * origins (a stuurgroep room, a regiegroep) hold only approvers: the
	 * request goes into the casus's thread there, beside the message. */
	if (rm->kind == POL_ROOM_WIJKGROEP) {
		snprintf(out->room_key, sizeof out->room_key, "stuurgroep:%s", rm->wijkgroep->stuurgroep->id);
		return;
	}
	out->room_id = in->room_id;
	snprintf(out->thread_root, sizeof out->thread_root, "%s", c.root_event[0] ? c.root_event : in->relates_event);
}

/* The approval of an edit (c describes it): every copy of the message gets
 * it. The callers checked that the sender is a stuurgroep member of this
 * room (the command table, or the reaction's role check); the request is
 * only ever in the origin room or its stuurgroep's room. */
static void approve_edit(const pol_config *cfg, const pol_input *in, const pol_casus *c, pol_action *answer)
{
	pol_text_id why;
	int in_thread;

	switch (c->edit) {
	case POL_EDIT_PENDING:
		/* Approved on the edit itself, which cannot root a thread: the
		 * confirmation goes into the casus's thread instead. */
		in_thread = (answer->thread_root && strcmp(answer->thread_root, c->edit_event) == 0) ||
			    (answer->reply_to && strcmp(answer->reply_to, c->edit_event) == 0);
		if (in_thread)
			answer->thread_root = answer->reply_to = NULL;
		pol_action_become(answer, POL_ACT_FORWARD);
		answer->forward.edit = 1;
		answer->forward.in_casus_thread = in_thread;
		answer->forward.nr = c->nr;
		snprintf(answer->forward.event, sizeof answer->forward.event, "%.255s", c->edit_event);
		snprintf(answer->forward.approver, sizeof answer->forward.approver, "%.255s", in->sender);
		snprintf(answer->forward.root_event, sizeof answer->forward.root_event, "%.255s", c->root_event);
		return;
	case POL_EDIT_SUPERSEDED:
		why = POL_TXT_EDIT_SUPERSEDED;
		break;
	case POL_EDIT_APPROVED:
		why = POL_TXT_EDIT_DONE_ALREADY;
		break;
	default:
		why = POL_TXT_EDIT_WITHDRAWN;
		break;
	}
	snprintf(answer->notice.text, sizeof answer->notice.text, "%s", pol_text(cfg->lang, why));
	/* An edit cannot root a thread (the homeserver refuses): a plain reply. */
	if (answer->thread_root && strcmp(answer->thread_root, c->edit_event) == 0)
		answer->thread_root = NULL;
}

/* The forward plan of an approval along route: its targets, and who
 * becomes casushouder there: the approver where the route makes them one
 * (a police message, a regiegroep message into wijkgroepen: seed, police
 * route step 2), else whoever is casushouder where the message comes from,
 * else where the casus began, else (c NULL: no casus yet) its author. */
static void plan_forward(const pol_input *in, const pol_route *route, const pol_casus *c, pol_forward_plan *out)
{
	pol_casus origin;
	const char *houder = NULL;
	size_t i;

	for (i = 0; i < route->n && i < POL_FORWARD_MAX; i++)
		out->targets[i] = route->targets[i];
	out->n_targets = i;
	if (route->approver_is_casushouder)
		houder = in->sender;
	else if (c && c->casushouder[0])
		houder = c->casushouder;
	else if (c && in->facts->casus_by_nr &&
		 in->facts->casus_by_nr(in->facts->ctx, c->nr, c->origin_room, &origin) == 0 && origin.casushouder[0])
		houder = origin.casushouder;
	out->houder_kind = houder ? POL_HOUDER_NAMED : POL_HOUDER_AUTHOR;
	snprintf(out->houder, sizeof out->houder, "%.255s", houder ? houder : "");
	snprintf(out->root_event, sizeof out->root_event, "%.255s", c ? c->root_event : "");
}

/* The approval of `event` in this room towards doel by in->sender. */
static void approve(const pol_config *cfg, const pol_input *in, const char *event, const char *doel,
		    pol_actions *out, pol_action *answer)
{
	const pol_room *rm = room_of(in);
	pol_route route;
	pol_text_id why = POL_TXT_ROUTE_NOT_FROM_HERE;   /* also when the room is not in the structure */
	pol_casus c;
	pol_action *f;
	long long nr = 0;
	int found = rm && in->facts->casus_of_event(in->facts->ctx, in->room_id, event, &c) == 0;

	/* An edit waiting for approval (or the request about it): doel does
	 * not apply, the edit goes wherever the message went. */
	if (found && c.edit != POL_EDIT_NONE) {
		approve_edit(cfg, in, &c, answer);
		return;
	}
	if (!rm || pol_route_find(in->structure, rm->key, doel, in->sender, &route, &why) != 0) {
		pol_textf(answer->notice.text, sizeof answer->notice.text, cfg->lang, why, doel ? doel : "");
		pol_audit_refused(out, "route");
		return;
	}
	if (found) {
		nr = c.nr;
		if (strcmp(c.status, "open") != 0) {
			pol_textf(answer->notice.text, sizeof answer->notice.text, cfg->lang, POL_TXT_CASUS_CLOSED_ALREADY, c.nr);
			return;
		}
	} else if (rm->kind == POL_ROOM_WIJKGROEP || (nr = next_casus_nr(in)) <= 0) {
		snprintf(answer->notice.text, sizeof answer->notice.text, "%s", pol_text(cfg->lang, POL_TXT_CASUS_NOT_A_CASUS));
		return;
	}
	/* Outside a wijkgroep (a police message in a stuurgroep room) the
	 * approval opens the casus with the next number. The answer becomes
	 * the forward: the daemon confirms in the origin thread once it knows
	 * where the message went. */
	f = answer;
	pol_action_become(f, POL_ACT_FORWARD);
	f->forward.nr = nr;
	f->forward.opens = !found;
	snprintf(f->forward.event, sizeof f->forward.event, "%.255s", event);
	snprintf(f->forward.approver, sizeof f->forward.approver, "%.255s", in->sender);
	plan_forward(in, &route, found ? &c : NULL, &f->forward);
}

/* !door [doel], as a reply to (or in the thread of) the message. */
void pol_cmd_door(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		  pol_actions *out, pol_action *a)
{
	const char *event = in->reply_to ? in->reply_to : in->thread_root;

	(void)roles;
	if (!event) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_CASUS_DOOR_NEEDS_REPLY));
		return;
	}
	approve(cfg, in, event, cmd->args, out, a);
}

/* The approval reaction (⏩): the default route. Other reactions are not
 * commands (flags come with the chatter rules). */
void pol_casus_reaction(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	pol_action *a, *answer;
	pol_role_set roles;

	const char *key = cfg->approval_key && cfg->approval_key[0] ? cfg->approval_key : APPROVAL_KEY;
	const char *flag = cfg->flag_key && cfg->flag_key[0] ? cfg->flag_key : FLAG_KEY;
	const pol_room *rm = room_of(in);

	/* A flag: anyone in a wijkgroep points a message out to its stuurgroep. */
	if (in->reaction_key && in->relates_event && strcmp(in->reaction_key, flag) == 0 && rm &&
	    rm->kind == POL_ROOM_WIJKGROEP && (a = pol_add(out, POL_ACT_FLAG, in->room_id))) {
		snprintf(a->mark.user, sizeof a->mark.user, "%.255s", in->sender);
		snprintf(a->mark.event, sizeof a->mark.event, "%.255s", in->relates_event);
		snprintf(a->mark.room_key, sizeof a->mark.room_key, "stuurgroep:%s", rm->wijkgroep->stuurgroep->id);
		return;
	}
	if (!in->reaction_key || !in->relates_event || strcmp(in->reaction_key, key) != 0 || !rm ||
	    !in->facts || !in->facts->casus_of_event)
		return;
	roles = pol_roles_of(in->structure, in->sender, &in->room);
	a = pol_add(out, POL_ACT_AUDIT, in->room_id);
	if (!a)
		return;
	snprintf(a->audit.command, sizeof a->audit.command, "%s", key);
	a->audit.allowed = (roles & POL_ROLE_STUURGROEPLID) != 0;
	a->audit.reason = a->audit.allowed ? pol_permission_name(POL_PERM_ALLOWED) :
		pol_permission_name(POL_PERM_NEED_STUURGROEPLID);
	if (!a->audit.allowed)
		return;   /* a resident's ⏩ is just a reaction */
	answer = pol_add(out, POL_ACT_NOTICE, in->room_id);
	if (!answer)
		return;
	answer->thread_root = in->relates_event;
	answer->reply_to = in->relates_event;
	approve(cfg, in, in->relates_event, NULL, out, answer);
}

/* "!afloop [#12] [uitkomst] tekst" */
static const char *const uitkomsten[] = { "politie ter plaatse", "aanhouding", "loos alarm", "onbekend", NULL };

void pol_cmd_afloop(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		    pol_actions *out, pol_action *a)
{
	const char *p = cmd->args, *root = in->thread_root ? in->thread_root : in->reply_to, *uitkomst = "";
	pol_casus c;
	pol_action *close;
	long long nr = 0;
	size_t i;
	int found;

	if (*p == '#') {
		char *end;

		nr = strtoll(p + 1, &end, 10);
		p = end;
		while (*p == ' ')
			p++;
	}
	found = nr > 0 ? in->facts->casus_by_nr(in->facts->ctx, nr, in->room_id, &c) == 0 :
		root && in->facts->casus_of_event(in->facts->ctx, in->room_id, root, &c) == 0;
	if (!found) {
		if (nr > 0)
			pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_CASUS_UNKNOWN, nr);
		else
			snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_AFLOOP_USAGE));
		return;
	}
	/* The casushouder in this room, or the stuurgroep (the table let
	 * stuurgroep members and casushouders through; check which). */
	if (!(roles & POL_ROLE_STUURGROEPLID) && strcmp(c.casushouder, in->sender) != 0) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_AFLOOP_NOT_ALLOWED));
		pol_audit_refused(out, "not-casushouder");
		return;
	}
	if (strcmp(c.status, "open") != 0) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_CASUS_CLOSED_ALREADY, c.nr);
		return;
	}
	for (i = 0; uitkomsten[i]; i++)
		if (strncasecmp(p, uitkomsten[i], strlen(uitkomsten[i])) == 0 &&
		    (p[strlen(uitkomsten[i])] == ' ' || p[strlen(uitkomsten[i])] == ':' || !p[strlen(uitkomsten[i])])) {
			uitkomst = uitkomsten[i];
			p += strlen(uitkomsten[i]);
			while (*p == ' ' || *p == ':')
				p++;
			break;
		}
	if (!*p) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_AFLOOP_USAGE));
		return;
	}
	/* The answer becomes the closing: the daemon says where the afloop went. */
	close = a;
	pol_action_become(close, POL_ACT_CASUS_CLOSE);
	close->close.nr = c.nr;
	snprintf(close->close.uitkomst, sizeof close->close.uitkomst, "%s", uitkomst);
	snprintf(close->close.afloop, sizeof close->close.afloop, "%s", p);
	snprintf(close->close.closer, sizeof close->close.closer, "%.255s", in->sender);
}

/* !casus [#nr] */
void pol_cmd_casus(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		   pol_actions *out, pol_action *a)
{
	const char *p = cmd->args;

	(void)cfg;
	(void)out;
	if (*p == '#')
		p++;
	pol_action_become(a, POL_ACT_CASUS_LIST);
	a->casus.nr = strtoll(p, NULL, 10);
	if (a->casus.nr < 0)
		a->casus.nr = 0;
	/* Operators (config admins and the structure's operators) see all. */
	a->casus.sees_all = (roles & POL_ROLE_OPERATOR) != 0;
}

int pol_casus_visible(const pol_structure *s, const char *viewer, const char *room_key)
{
	const pol_room *r = s && viewer && room_key ? pol_structure_room_by_key(s, room_key) : NULL;
	size_t i;

	for (i = 0; r && i < r->n_members; i++)
		if (strcmp(r->members[i].user_id, viewer) == 0)
			return 1;
	return 0;
}

/* !koppel #12, in the thread of a (new) melding: the spotter's own casus
 * is linked to the earlier one (SAAR starts again, the link keeps the
 * story together). */
void pol_cmd_koppel(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		    pol_actions *out, pol_action *a)
{
	const char *root = in->thread_root ? in->thread_root : in->reply_to, *p = cmd->args;
	pol_casus here, earlier;
	long long nr;
	char *end = NULL;

	(void)roles;
	(void)out;
	if (*p == '#')
		p++;
	nr = strtoll(p, &end, 10);
	if (!root || nr <= 0 || (end && *end) || in->facts->casus_of_event(in->facts->ctx, in->room_id, root, &here) != 0) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_KOPPEL_USAGE));
		return;
	}
	if (in->facts->casus_by_nr(in->facts->ctx, nr, in->room_id, &earlier) != 0) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_CASUS_UNKNOWN, nr);
		return;
	}
	if (earlier.nr == here.nr) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_KOPPEL_SAME));
		return;
	}
	pol_action_become(a, POL_ACT_CASUS_LINK);
	a->link.nr = here.nr;
	a->link.linked = earlier.nr;
	pol_textf(a->link.text, sizeof a->link.text, cfg->lang, POL_TXT_KOPPEL_DONE, here.nr, earlier.nr);
}
