/* cli.c: see cli.h. Secrets never go on the command line; the usage says
 * where they come from instead. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "config.h"
#include "daemon.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: buurtbot --config FILE      run the bot\n"
		"       buurtbot --check-config FILE check a config file and exit\n"
		"       buurtbot --config FILE --print-recovery-key\n"
		"                                    print the cross-signing recovery key (once)\n"
		"       buurtbot --config FILE --print-structure\n"
		"                                    print the structure file with the bot's own\n"
		"                                    changes (!splits, !wijkgroep nieuw) merged in\n"
		"       buurtbot --config FILE --health\n"
		"                                    exit 0 when the running bot synced recently,\n"
		"                                    else 1 with the reason (for healthchecks)\n"
		"       buurtbot --config FILE --backup OUT\n"
		"                                    copy the store to OUT (mode 0600), also while\n"
		"                                    the bot runs\n"
		"       buurtbot --config FILE --export-stats --from YYYY-MM-DD --to YYYY-MM-DD\n"
		"                [--format csv|json] the anonymous statistics for the municipality\n"
		"       buurtbot --help | --version\n\n"
		"Secrets never go on the command line: the password comes from the\n"
		"environment variable BUURTBOT_PASSWORD or password_file, an access token\n"
		"from BUURTBOT_ACCESS_TOKEN or access_token_file.\n\n");
}

/* Each returns -1 to go on reading, or the exit status. */
static int opt_help(bot_cli *cli, const char *value)
{
	usage(stdout);
	bot_config_print_help(stdout);
	return 0;
}

static int opt_version(bot_cli *cli, const char *value)
{
	printf("buurtbot %s\n", BUURTBOT_VERSION);
	return 0;
}

static int opt_print_recovery(bot_cli *cli, const char *value)
{
	cli->print_recovery = 1;
	return -1;
}

static int opt_print_structure(bot_cli *cli, const char *value)
{
	cli->print_structure = 1;
	return -1;
}

static int opt_health(bot_cli *cli, const char *value)
{
	cli->health = 1;
	return -1;
}

static int opt_backup(bot_cli *cli, const char *value)
{
	cli->backup_path = value;
	return -1;
}

/* The last of --config and --check-config decides. */
static int opt_config(bot_cli *cli, const char *value)
{
	cli->check_only = 0;
	cli->config_path = value;
	return -1;
}

static int opt_check_config(bot_cli *cli, const char *value)
{
	cli->check_only = 1;
	cli->config_path = value;
	return -1;
}

/* issue 16: the export of the statistics */
static int opt_export_stats(bot_cli *cli, const char *value)
{
	cli->export_stats = 1;
	return -1;
}

static int opt_from(bot_cli *cli, const char *value)
{
	cli->export_from = value;
	return -1;
}

static int opt_to(bot_cli *cli, const char *value)
{
	cli->export_to = value;
	return -1;
}

static int opt_format(bot_cli *cli, const char *value)
{
	cli->export_format = value;
	return -1;
}

typedef struct cli_option {
	const char *name;
	const char *alias;   /* or NULL */
	int takes_value;     /* the next argument is its value */
	int (*apply)(bot_cli *cli, const char *value);
} cli_option;

static const cli_option options[] = {
	{ "--help", "-h", 0, opt_help },
	{ "--print-recovery-key", NULL, 0, opt_print_recovery },
	{ "--print-structure", NULL, 0, opt_print_structure },
	{ "--version", NULL, 0, opt_version },
	{ "--config", "-c", 1, opt_config },
	{ "--check-config", NULL, 1, opt_check_config },
	{ "--health", NULL, 0, opt_health },
	{ "--backup", NULL, 1, opt_backup },
	{ "--export-stats", NULL, 0, opt_export_stats },
	{ "--from", NULL, 1, opt_from },
	{ "--to", NULL, 1, opt_to },
	{ "--format", NULL, 1, opt_format },
};

/* The row of arg, or NULL. */
static const cli_option *option_of(const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof options / sizeof options[0]; i++)
		if (strcmp(arg, options[i].name) == 0 || (options[i].alias && strcmp(arg, options[i].alias) == 0))
			return &options[i];
	return NULL;
}

int bot_cli_parse(bot_cli *out, int argc, char **argv)
{
	int i, status = -1;

	memset(out, 0, sizeof *out);
	for (i = 1; i < argc && status < 0; i++) {
		const cli_option *opt = option_of(argv[i]);

		/* An option missing its value is as unknown as a misspelt one. */
		if (!opt || (opt->takes_value && i + 1 >= argc)) {
			fprintf(stderr, "buurtbot: unknown argument '%s'\n\n", argv[i]);
			usage(stderr);
			return 2;
		}
		status = opt->apply(out, opt->takes_value ? argv[++i] : NULL);
	}
	if (status < 0 && !out->config_path) {
		usage(stderr);
		return 2;
	}
	return status;
}
