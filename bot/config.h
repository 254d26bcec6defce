/* config.h: the daemon's settings. One table (config.c) names every
 * setting with its type, default, bounds and help; the same table parses
 * and validates the file, fills bot_config and prints --help. */
#ifndef BOT_CONFIG_H
#define BOT_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#define BOT_CONFIG_STR_MAX 1024
#define BOT_CONFIG_MAX_ADMINS 64

typedef struct bot_config {
	char homeserver_url[BOT_CONFIG_STR_MAX];
	char user_id[256];
	char password_file[BOT_CONFIG_STR_MAX];
	char access_token_file[BOT_CONFIG_STR_MAX];
	char pickle_key_file[BOT_CONFIG_STR_MAX];
	char structure_file[BOT_CONFIG_STR_MAX];
	char device_name[128];
	char data_dir[BOT_CONFIG_STR_MAX];
	char log_level[16];
	char language[8];
	char admins_raw[BOT_CONFIG_STR_MAX * 4];
	char signup_servers[BOT_CONFIG_STR_MAX];
	long application_reminder_hours;
	long retention_days;
	long casus_reminder_hours;
	long casus_expiry_hours;
	long casus_retention_days;
	char approval_reaction[32];
	char flag_reaction[32];
	long sync_timeout_ms;
	long request_timeout_ms;
	long timeline_limit;
	long max_response_mb;
	long retry_max_delay_ms;
	long flood_max_casussen;
	long flood_window_minutes;
	long flood_report_minutes;
	long held_max_per_sender;
	long held_max_per_room;
	char metrics_listen[128];
	long health_stale_minutes;
	char web_dir[BOT_CONFIG_STR_MAX];                   /* issue 15: the website's drop box */
	char synapse_admin_token_file[BOT_CONFIG_STR_MAX];
	long web_code_hours;
	long web_applications_per_hour;

	/* derived from admins_raw */
	char *admins[BOT_CONFIG_MAX_ADMINS];
	size_t n_admins;
} bot_config;

/* Loads and validates path. On failure returns -1 and writes every
 * problem found, one per line, naming the setting, into errbuf; -2 when
 * the file itself cannot be read (then nothing else is checked). *out is
 * always left in a state bot_config_clear accepts. */
int bot_config_load(bot_config *out, const char *path, char *errbuf, size_t errsize);
/* Same from a string (for tests); origin names it in messages. */
int bot_config_parse(bot_config *out, const char *text, const char *origin,
		     char *errbuf, size_t errsize);
void bot_config_clear(bot_config *cfg);

/* Prints every setting with type, default, bounds and help. */
void bot_config_print_help(FILE *f);

/* Reads a secret: the environment variable env_name when set and
 * non-empty, else the file (first line, trailing newline removed; a file
 * readable by group or others is refused). Returns 0 and a malloc'ed
 * string in *out, 1 when neither source is configured, -1 on error with
 * a message in errbuf. The secret itself never appears in errbuf. */
int bot_config_secret(char **out, const char *env_name, const char *file,
		      char *errbuf, size_t errsize);

/* Reads the password, access token and pickle key of cfg (environment or
 * file, as bot_config_secret) and checks the bot can start with them: a
 * pickle key, and a password or an access token. Every problem (missing,
 * unreadable, readable by others, empty, absent) is appended to what
 * errbuf holds, one per line naming the setting, and counted: returns how
 * many, 0 when all is well. Then the secrets are in the out parameters
 * (NULL when not configured; the caller wipes and frees them); after a
 * problem all three are NULL. */
int bot_config_load_secrets(const bot_config *cfg, char **password, char **token, char **pickle_key,
			    char *errbuf, size_t errsize);

#endif
