/* pol_command.c: the command parser. The names it knows are those of the
 * command table (pol_cmd_table.c). */
#include <string.h>
#include "pol_cmd_table.h"
#include "pol_command.h"

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
	const pol_cmd_entry *e;
	size_t n, i;

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

	e = pol_cmd_lookup(out->name + 1);
	out->id = e ? e->id : POL_CMD_UNKNOWN;
	return out->id;
}
