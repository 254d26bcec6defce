/* pol_command.c: command table and parser. The table is the single place
 * that names a command; !help is generated from it. */
#include <string.h>
#include "pol_command.h"

/* Recognised commands first, planned ones last: pol_command_table() is
 * the prefix without them. Dutch name, English alias. */
static const pol_command_info commands[] = {
	{ POL_CMD_PING, "ping", NULL, POL_TXT_HELP_PING, 0, 0 },
	{ POL_CMD_HELP, "help", "hulp", POL_TXT_HELP_HELP, 0, 0 },
	{ POL_CMD_LID, "lid", "member", POL_TXT_HELP_LID, 4, 0 },
	{ POL_CMD_ROYEER, "royeer", "remove", POL_TXT_HELP_ROYEER, 4, 0 },
	{ POL_CMD_WIJKGROEP, "wijkgroep", "group", POL_TXT_HELP_WIJKGROEP, 4, 0 },
	{ POL_CMD_BEVESTIG, "bevestig", "confirm", POL_TXT_HELP_BEVESTIG, 4, 0 },
	{ POL_CMD_LEDEN, "leden", "members", POL_TXT_HELP_LEDEN, 4, 0 },
	{ POL_CMD_WACHTLIJST, "wachtlijst", "waitlist", POL_TXT_HELP_WACHTLIJST, 4, 0 },
	{ POL_CMD_STRUCTUUR, "structuur", "structure", POL_TXT_HELP_STRUCTUUR, 4, 0 },
	{ POL_CMD_SPLITS, "splits", "split", POL_TXT_HELP_SPLITS, 4, 0 },
	{ POL_CMD_HERLAAD, "herlaad", "reload", POL_TXT_HELP_HERLAAD, 4, 0 },
	{ POL_CMD_STATUS, "status", NULL, POL_TXT_HELP_STATUS, 4, 0 },
	{ POL_CMD_AANMELDEN, "aanmelden", "signup", POL_TXT_HELP_AANMELDEN, 5, 0 },
	{ POL_CMD_STOP, "stop", NULL, POL_TXT_HELP_STOP, 5, 0 },
	{ POL_CMD_SPELREGELS, "spelregels", "rules", POL_TXT_HELP_SPELREGELS, 5, 0 },
	{ POL_CMD_TOELATEN, "toelaten", "admit", POL_TXT_HELP_TOELATEN, 5, 0 },
	{ POL_CMD_AFWIJZEN, "afwijzen", "reject", POL_TXT_HELP_AFWIJZEN, 5, 0 },
	{ POL_CMD_AANMELDINGEN, "aanmeldingen", "applications", POL_TXT_HELP_AANMELDINGEN, 11, 0 },
	{ POL_CMD_MIJNGEGEVENS, "mijngegevens", "mydata", POL_TXT_HELP_MIJNGEGEVENS, 5, 0 },
	{ POL_CMD_VERGEETMIJ, "vergeetmij", "forgetme", POL_TXT_HELP_VERGEETMIJ, 5, 0 },
	{ POL_CMD_DOOR, "door", "forward", POL_TXT_HELP_DOOR, 6, 0 },
	{ POL_CMD_AFLOOP, "afloop", "outcome", POL_TXT_HELP_AFLOOP, 6, 0 },
	{ POL_CMD_CASUS, "casus", "case", POL_TXT_HELP_CASUS, 6, 0 },
	{ POL_CMD_KOPPEL, "koppel", "link", POL_TXT_HELP_KOPPEL, 6, 0 },
	{ POL_CMD_AANSPREKEN, "aanspreken", "remind", POL_TXT_HELP_AANSPREKEN, 6, 0 },
};

const pol_command_info *pol_command_table(size_t *out_count)
{
	size_t n = 0;

	while (n < sizeof commands / sizeof commands[0] && !commands[n].planned)
		n++;
	*out_count = n;
	return commands;
}

const pol_command_info *pol_command_table_all(size_t *out_count)
{
	*out_count = sizeof commands / sizeof commands[0];
	return commands;
}

const pol_command_info *pol_command_info_of(pol_command_id id)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (commands[i].id == id)
			return &commands[i];
	return NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Older clients prefix replies with "> <@user> quoted\n> ...\n\n". The
 * command is what follows the quote. Returns a pointer into body. */
static const char *skip_reply_fallback(const char *body)
{
	const char *p = body;

	if (strncmp(p, "> ", 2) != 0)
		return body;
	while (strncmp(p, "> ", 2) == 0 || strncmp(p, ">\n", 2) == 0) {
		const char *nl = strchr(p, '\n');
		if (!nl)
			return body;  /* all quote, no command */
		p = nl + 1;
	}
	if (*p == '\n')
		p++;
	return p;
}

pol_command_id pol_command_parse(const char *body, pol_command *out)
{
	const char *p, *name_start, *args_end;
	size_t n, i, count;
	const pol_command_info *table = pol_command_table(&count);

	memset(out, 0, sizeof *out);
	out->id = POL_CMD_NONE;
	if (!body)
		return out->id;

	p = skip_reply_fallback(body);
	while (is_space(*p))
		p++;
	if (p[0] != '!' || !is_alpha(p[1]))
		return out->id;

	name_start = p + 1;
	for (n = 0; is_alpha(name_start[n]) || name_start[n] == '-' || name_start[n] == '_'; n++)
		;
	/* "!pingpong" stays one word; "!ping," is a command followed by text. */
	out->name[0] = '!';
	for (i = 0; i < n && i + 2 < sizeof out->name; i++)
		out->name[i + 1] = lower(name_start[i]);
	out->name[i + 1] = '\0';

	p = name_start + n;
	while (is_space(*p))
		p++;
	args_end = p + strlen(p);
	while (args_end > p && is_space(args_end[-1]))
		args_end--;
	n = (size_t)(args_end - p);
	if (n >= sizeof out->args) {
		n = sizeof out->args - 1;
		out->args_truncated = 1;
	}
	memcpy(out->args, p, n);
	out->args[n] = '\0';

	out->id = POL_CMD_UNKNOWN;
	for (i = 0; i < count; i++) {
		if (strcmp(out->name + 1, table[i].name) == 0 ||
		    (table[i].alias && strcmp(out->name + 1, table[i].alias) == 0)) {
			out->id = table[i].id;
			break;
		}
	}
	return out->id;
}
