/* pol_engine.c: the rules of the foundation: whom the bot joins, and the
 * answers to !ping, !help and unknown commands. */
#include <stdio.h>
#include <string.h>
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

static void help_text(pol_lang lang, char *buf, size_t size)
{
	size_t i, count;
	const pol_command_info *table = pol_command_table(&count);

	buf[0] = '\0';
	append(buf, size, pol_text(lang, POL_TXT_HELP_HEADER));
	for (i = 0; i < count; i++)
		append(buf, size, pol_text(lang, table[i].help));
}

static void answer(const pol_config *cfg, const pol_input *in, pol_actions *out)
{
	pol_command cmd;
	pol_action *a;

	if (pol_command_parse(in->body, &cmd) == POL_CMD_NONE)
		return;
	a = add(out, POL_ACT_NOTICE, in->room_id);
	if (!a)
		return;
	a->reply_to = in->event_id;
	a->thread_root = in->thread_root;
	switch (cmd.id) {
	case POL_CMD_PING:
		snprintf(a->text, sizeof a->text, "%s", pol_text(cfg->lang, POL_TXT_PONG));
		break;
	case POL_CMD_HELP:
		help_text(cfg->lang, a->text, sizeof a->text);
		break;
	default:
		/* The format string comes from our own table, the argument is
		 * the user's command name, already limited to letters. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(a->text, sizeof a->text,
			 pol_text(cfg->lang, POL_TXT_UNKNOWN_COMMAND), cmd.name);
#pragma GCC diagnostic pop
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
		add(out, is_admin(cfg, in->sender) ? POL_ACT_JOIN : POL_ACT_DECLINE,
		    in->room_id);
		break;
	case POL_IN_MESSAGE:
		answer(cfg, in, out);
		break;
	default:
		break;
	}
}
