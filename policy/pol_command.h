/* pol_command.h: recognising bot commands in a message body.
 * A command is a '!' followed by a letter at the start of the message
 * (after any reply fallback quote); "!!! inbraak" is not a command. Which
 * names there are, and everything else about a command, is its row of the
 * command table (pol_cmd_table.h). */
#ifndef POL_COMMAND_H
#define POL_COMMAND_H

#include <stddef.h>
#include "pol_text.h"

typedef enum pol_command_id {
	POL_CMD_NONE = 0,   /* not a command at all */
	POL_CMD_UNKNOWN,    /* looks like a command, but we don't know it */
	POL_CMD_PING,
	POL_CMD_HELP,
	/* issue 4: structure and admin commands */
	POL_CMD_LID,          /* !lid toevoegen @user <wijkgroep> */
	POL_CMD_ROYEER,       /* !royeer @user [reden] */
	POL_CMD_WIJKGROEP,    /* !wijkgroep nieuw <naam> [buurten] */
	POL_CMD_BEVESTIG,     /* !bevestig: a second stuurgroep member agrees */
	POL_CMD_LEDEN,        /* !leden [wijkgroep] */
	POL_CMD_WACHTLIJST,   /* !wachtlijst */
	POL_CMD_STRUCTUUR,    /* !structuur */
	POL_CMD_HERLAAD,      /* !herlaad */
	POL_CMD_STATUS,       /* !status */
	POL_CMD_SPLITS,       /* !splits <wijkgroep> */
	/* issue 5 (aanmelden) */
	POL_CMD_AANMELDEN,
	POL_CMD_STOP,
	POL_CMD_SPELREGELS,
	POL_CMD_TOELATEN,
	POL_CMD_AFWIJZEN,
	POL_CMD_MIJNGEGEVENS,
	POL_CMD_VERGEETMIJ,
	/* issue 6 (meldingen) */
	POL_CMD_DOOR,
	POL_CMD_AFLOOP,
	POL_CMD_CASUS,
	POL_CMD_KOPPEL,
	POL_CMD_AANSPREKEN,
	/* issue 11 */
	POL_CMD_AANMELDINGEN, /* !aanmeldingen: the open applications */
	/* issue 16 */
	POL_CMD_STATISTIEK,   /* !statistiek [periode] [wijk] */
	POL_CMD_GEZONDHEID,   /* !gezondheid */
	POL_CMD_COUNT
} pol_command_id;

#define POL_COMMAND_NAME_MAX 32
#define POL_COMMAND_ARGS_MAX 1024

typedef struct pol_command {
	pol_command_id id;
	char name[POL_COMMAND_NAME_MAX];  /* as typed, lower-cased, with '!' ; truncated */
	char args[POL_COMMAND_ARGS_MAX];  /* rest of the first line.. end, trimmed; truncated */
	int args_truncated;
} pol_command;

/* Parses body (may be NULL): the name is looked up among the names and
 * aliases of the command table. Always fills *out; returns out->id. */
pol_command_id pol_command_parse(const char *body, pol_command *out);

#endif
