/* cli.h: buurtbot's command line: one table row per option (cli.c), the
 * usage text, and what the options ask the bot to do. */
#ifndef BOT_CLI_H
#define BOT_CLI_H

typedef struct bot_cli {
	const char *config_path;  /* borrowed from argv */
	int check_only;           /* --check-config: check the file and exit */
	int print_recovery;       /* --print-recovery-key */
	int print_structure;      /* --print-structure */
	int health;               /* --health: is the running bot syncing? (health.h) */
	const char *backup_path;  /* --backup FILE: copy the store (backup.h) */
	/* issue 16: --export-stats --from DATE --to DATE [--format csv|json] */
	int export_stats;
	const char *export_from, *export_to, *export_format;
} bot_cli;

/* Reads the options of argv into *out, in order. Returns -1 when the bot
 * goes on with *out, else the exit status: 0 after --help or --version
 * (printed on stdout), 2 for an unknown argument or no config file (said
 * on stderr, with the usage). */
int bot_cli_parse(bot_cli *out, int argc, char **argv);

#endif
