/* pol_engine.c: the decisions. Every command passes its row of the command
 * table (pol_cmd_table.c: who may give it, in which room, what it needs)
 * before anything happens, and every command given is recorded for the
 * audit log, allowed or not. The commands themselves are decided by the
 * handlers their rows name (pol_cmd_*.c, pol_casus.c, pol_signup*.c),
 * membership changes in pol_admission.c. */
#include <stdio.h>
#include <string.h>
#include "pol_buf.h"
#include "pol_aanmelding.h"
#include "pol_caps.h"
#include "pol_cmd_table.h"
#include "pol_command.h"
#include "pol_engine_int.h"

static int is_admin(const pol_config *cfg, const char *user_id)
{
	size_t i;

	for (i = 0; i < cfg->n_admins; i++)
		if (strcmp(cfg->admins[i], user_id) == 0)
			return 1;
	return 0;
}

/* Whether user's homeserver may sign up: one of cfg->signup_servers, or
 * with none configured the bot's own. */
int pol_signup_server_allowed(const pol_config *cfg, const char *user)
{
	const char *server = user ? strchr(user, ':') : NULL, *list = cfg->signup_servers, *own;
	size_t n;

	if (!server)
		return 0;
	server++;
	if (!list || !list[0]) {
		own = cfg->bot_user_id ? strchr(cfg->bot_user_id, ':') : NULL;
		return own && strcmp(own + 1, server) == 0;
	}
	n = strlen(server);
	while (*list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		const char *a = list;

		while (len && *a == ' ') {
			a++;
			len--;
		}
		while (len && a[len - 1] == ' ')
			len--;
		if (len == n && strncmp(a, server, n) == 0)
			return 1;
		list = end ? end + 1 : list + strlen(list);
	}
	return 0;
}

pol_action *pol_add(pol_actions *out, pol_action_kind kind, const char *room_id)
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

void pol_members_text(pol_lang lang, const pol_wijkgroep *wg, const char *const *joined, size_t n_joined,
		      const char *const *invited, size_t n_invited, const pol_member_note *notes, char *buf,
		      size_t size)
{
	char version[17];
	pol_buf out;
	size_t i;

	pol_spelregels_version(pol_spelregels_of(wg->wijk, lang), version);
	pol_textf(buf, size, lang, POL_TXT_MEMBERS_HEADER, wg->naam, (long)(n_joined + n_invited), wg->limiet,
		(long)n_invited);
	pol_buf_init_at_end(&out, buf, size);
	for (i = 0; i < n_joined + n_invited; i++) {
		char marks[120] = "";

		if (notes && (notes[i].warnings || notes[i].flags))
			pol_textf(marks, sizeof marks, lang, POL_TXT_MEMBERS_MARKS, notes[i].warnings, notes[i].flags);
		pol_buf_printf(&out, "\n%s%s%s%s", i < n_joined ? joined[i] : invited[i - n_joined],
			       i < n_joined ? "" : (lang == POL_LANG_EN ? " (invited)" : " (uitgenodigd)"),
			       notes && notes[i].accepted && strcmp(notes[i].accepted, version) != 0 ?
				       pol_text(lang, POL_TXT_MEMBERS_UNACCEPTED) : "", marks);
	}
}

/* How many of st's rooms have version v. */
static size_t rooms_of_version(const pol_status *st, const char *v)
{
	size_t i, n = 0;

	for (i = 0; i < st->n_room_versions; i++)
		if (strcmp(st->room_versions[i] ? st->room_versions[i] : "?", v) == 0)
			n++;
	return n;
}

/* "Kamerversies: 12 (14 kamers), 10 (2: Wijkgroep A, Regiegroep B)": the
 * most common version as a count, the others with the rooms named, since
 * those are the ones an operator asks about. */
static void room_versions_text(pol_lang lang, const pol_status *st, char *buf, size_t size)
{
	const char *common = NULL, *v;
	pol_buf out;
	size_t i, j, best = 0, n;

	for (i = 0; i < st->n_room_versions; i++) {
		v = st->room_versions[i] ? st->room_versions[i] : "?";
		if ((n = rooms_of_version(st, v)) > best) {
			best = n;
			common = v;
		}
	}
	if (!common)
		return;
	pol_textf(buf, size, lang, POL_TXT_STATUS_VERSIONS, common, best);
	pol_buf_init_at_end(&out, buf, size);
	for (i = 0; i < st->n_room_versions; i++) {
		v = st->room_versions[i] ? st->room_versions[i] : "?";
		for (j = 0; j < i && strcmp(st->room_versions[j] ? st->room_versions[j] : "?", v) != 0; j++)
			;
		if (j < i || strcmp(v, common) == 0)
			continue;   /* this version was listed already */
		pol_buf_printf(&out, "; %s:", v);
		for (j = i, n = 0; j < st->n_room_versions; j++)
			if (strcmp(st->room_versions[j] ? st->room_versions[j] : "?", v) == 0)
				pol_buf_printf(&out, "%s %s", n++ ? "," : "", st->room_names[j]);
	}
}

void pol_status_text(pol_lang lang, const pol_status *st, char *buf, size_t size)
{
	pol_buf out;

	pol_textf(buf, size, lang, POL_TXT_STATUS, st->version ? st->version : "?", st->rooms, st->wijken,
		st->outbox_pending, st->outbox_failed, st->undecryptable);
	pol_buf_init_at_end(&out, buf, size);
	if (st->n_room_versions && pol_buf_add(&out, "\n") == 0)
		room_versions_text(lang, st, buf + pol_buf_len(&out), size - pol_buf_len(&out));
}

const pol_stuurgroep *pol_room_stuurgroep(const pol_input *in)
{
	if (in->room.key && strncmp(in->room.key, "stuurgroep:", 11) == 0)
		return pol_structure_find_stuurgroep(in->structure, in->room.key + 11);
	return NULL;
}

void pol_names_of(pol_lang lang, const pol_wijkgroep *const *wgs, size_t n, char *buf, size_t size)
{
	pol_buf out;
	size_t i;

	pol_buf_init(&out, buf, size);
	for (i = 0; i < n; i++)
		pol_buf_add_sep(&out, i + 1 == n ? (lang == POL_LANG_EN ? " and " : " en ") : ", ", wgs[i]->naam);
}

const pol_wijkgroep *pol_target_wijkgroep(const pol_config *cfg, const pol_input *in, const char *args,
					  char *text, size_t size)
{
	const pol_wijkgroep *wg, *only = NULL, *active[POL_STRUCT_MAX_WIJKGROEPEN] = { NULL };
	const pol_stuurgroep *sg = pol_room_stuurgroep(in);
	char list[1024];
	size_t i, n = 0;

	if (args[0]) {
		wg = pol_structure_find_wijkgroep(in->structure, args);
		if (!wg)
			pol_textf(text, size, cfg->lang, POL_TXT_NO_SUCH_WIJKGROEP, args);
		return wg;
	}
	for (i = 0; sg && i < sg->n_beheert; i++)
		if (pol_wijkgroep_active(sg->beheert[i]) && n < POL_STRUCT_MAX_WIJKGROEPEN)
			active[n++] = only = sg->beheert[i];
	if (n == 1)
		return only;
	pol_names_of(cfg->lang, active, n, list, sizeof list);
	pol_textf(text, size, cfg->lang, POL_TXT_WHICH_WIJKGROEP, n ? list : "...");
	return NULL;
}

int pol_valid_user_id(const char *s)
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

void pol_audit_refused(pol_actions *out, const char *reason)
{
	if (out->n > 0 && out->items[0].kind == POL_ACT_AUDIT) {
		out->items[0].audit.allowed = 0;
		out->items[0].audit.reason = reason;
	}
}

int pol_scope_ok(const pol_config *cfg, const pol_input *in, pol_command_id cmd, pol_role_set roles,
		 const pol_wijkgroep *wg, pol_actions *out, pol_action *a)
{
	pol_permission scope = pol_check_scope(in->structure, in->sender, cmd, wg);

	if (scope == POL_PERM_ALLOWED || (roles & POL_ROLE_OPERATOR))
		return 1;
	snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, pol_permission_text(scope)));
	pol_audit_refused(out, pol_permission_name(scope));
	return 0;
}

static void audit(pol_actions *out, const pol_input *in, const pol_command *cmd, pol_permission p)
{
	pol_action *a = pol_add(out, POL_ACT_AUDIT, in->room_id);

	if (!a)
		return;
	snprintf(a->audit.command, sizeof a->audit.command, "%s", cmd->name);
	a->audit.allowed = p == POL_PERM_ALLOWED;
	a->audit.reason = pol_permission_name(p);
}

static pol_action *reply(const pol_input *in, pol_actions *out, pol_action_kind kind)
{
	pol_action *a = pol_add(out, kind, in->room_id);

	if (a) {
		a->reply_to = in->event_id;
		a->thread_root = in->thread_root;
	}
	return a;
}

/* The sender's roles here; the config's admins operate the bot. */
static pol_role_set sender_roles(const pol_config *cfg, const pol_input *in)
{
	pol_role_set roles = pol_roles_of(in->structure, in->sender, &in->room);

	if (is_admin(cfg, in->sender))
		roles |= POL_ROLE_OPERATOR;
	return roles;
}

/* The refusal of a command that is unknown or not the sender's, here. */
static void refuse(const pol_config *cfg, const pol_command *cmd, pol_permission perm, pol_action *a)
{
	pol_text_id why = pol_permission_text(perm);

	if (perm == POL_PERM_UNKNOWN_COMMAND)
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, why, cmd->name);
	else
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, why));
}

/* Whether what the command's row needs is there. */
static int has_needs(pol_cmd_needs needs, const pol_input *in)
{
	switch (needs) {
	case POL_NEEDS_FACTS:
		return in->structure && in->facts;
	case POL_NEEDS_STRUCTURE:
		return in->structure != NULL;
	case POL_NEEDS_NOTHING:
		break;
	}
	return 1;
}

/* A message: a command is checked against its row of the command table
 * (who, where), audited, and given to the row's handler once what it needs
 * is there; anything else is sign-up talk or a melding. */
static void answer(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	pol_command cmd;
	const pol_cmd_entry *e;
	pol_role_set roles;
	pol_permission perm;
	pol_action *a;

	if (pol_command_parse(in->body, &cmd) == POL_CMD_NONE) {
		if (!pol_signup_dm_message(cfg, in, POL_CMD_NONE, out))
			pol_casus_message(cfg, in, out);
		return;
	}
	roles = sender_roles(cfg, in);
	perm = pol_check(cmd.id, roles, pol_roles_room_kind(in->structure, &in->room));
	/* The audit row goes first: it is stored even if the answer cannot be. */
	audit(out, in, &cmd, perm);
	a = reply(in, out, POL_ACT_NOTICE);
	e = pol_cmd_find(cmd.id);
	if (!a)
		return;
	if (perm != POL_PERM_ALLOWED || !e)
		refuse(cfg, &cmd, perm, a);
	else if (!has_needs(e->needs, in))
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_NO_STRUCTURE));
	else
		e->exec(cfg, in, &cmd, roles, out, a);
}

void pol_decide(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	out->n = 0;
	if (!in->sender || !in->room_id)
		return;
	/* The bot never reacts to itself: its own notices echo back in sync. */
	if (cfg->bot_user_id && strcmp(in->sender, cfg->bot_user_id) == 0 && in->kind != POL_IN_MEMBER)
		return;

	switch (in->kind) {
	case POL_IN_INVITE:
		/* Admins bring the bot into rooms; residents-to-be of the allowed
		 * homeservers may open a direct chat to sign up. */
		pol_add(out, is_admin(cfg, in->sender) || (in->is_direct && pol_signup_server_allowed(cfg, in->sender)) ?
			POL_ACT_JOIN : POL_ACT_DECLINE, in->room_id);
		break;
	case POL_IN_MESSAGE:
		answer(cfg, in, out);
		break;
	case POL_IN_MEMBER:
		pol_member_event(cfg, in, out);
		break;
	case POL_IN_REACTION:
		pol_casus_reaction(cfg, in, out);
		break;
	default:
		break;
	}
}
