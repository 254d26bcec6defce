/* pol_command.h: recognising bot commands in a message body.
 * A command is a '!' followed by a letter at the start of the message
 * (after any reply fallback quote); "!!! inbraak" is not a command. */
#ifndef POL_COMMAND_H
#define POL_COMMAND_H

#include <stddef.h>
#include "pol_text.h"

typedef enum pol_command_id {
	POL_CMD_NONE = 0,   /* not a command at all */
	POL_CMD_UNKNOWN,    /* looks like a command, but we don't know it */
	POL_CMD_PING,
	POL_CMD_HELP,
} pol_command_id;

#define POL_COMMAND_NAME_MAX 32
#define POL_COMMAND_ARGS_MAX 1024

typedef struct pol_command {
	pol_command_id id;
	char name[POL_COMMAND_NAME_MAX];  /* as typed, lower-cased, with '!' ; truncated */
	char args[POL_COMMAND_ARGS_MAX];  /* rest of the first line.. end, trimmed; truncated */
	int args_truncated;
} pol_command;

/* Parses body (may be NULL). Always fills *out; returns out->id. */
pol_command_id pol_command_parse(const char *body, pol_command *out);

/* One row per command, in the order !help lists them. */
typedef struct pol_command_info {
	pol_command_id id;
	const char *name;        /* canonical, without '!' */
	const char *alias;       /* may be NULL */
	pol_text_id help;        /* one-line help text */
} pol_command_info;

const pol_command_info *pol_command_table(size_t *out_count);

#endif
