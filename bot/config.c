/* config.c: the settings table and the `key = value` file format.
 * Lines are `name = value`; `#` starts a comment line; values may be
 * wrapped in double quotes. Every problem is reported, not just the first,
 * so an operator fixes the file in one go. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"

typedef enum setting_type { T_STRING, T_URL, T_MXID, T_MXID_LIST, T_PATH, T_INT, T_ENUM } setting_type;

typedef struct setting {
	const char *name;
	setting_type type;
	size_t offset;
	size_t size;          /* for strings: capacity */
	const char *def;      /* default as text; NULL = required */
	long min, max;        /* T_INT bounds */
	const char *choices;  /* T_ENUM: "a|b|c" */
	const char *help;
} setting;

#define STR(field) offsetof(bot_config, field), sizeof(((bot_config *)0)->field)
#define NUM(field) offsetof(bot_config, field), 0

static const setting settings[] = {
	{ "homeserver_url", T_URL, STR(homeserver_url), NULL, 0, 0, NULL,
	  "Address of the homeserver's client API, e.g. http://synapse:8008." },
	{ "user_id", T_MXID, STR(user_id), NULL, 0, 0, NULL,
	  "The bot's own account, e.g. @buurtbot:example.org." },
	{ "password_file", T_PATH, STR(password_file), "", 0, 0, NULL,
	  "File holding the bot's password (mode 0600). The environment variable "
	  "BUURTBOT_PASSWORD takes precedence. Used to log in when there is no valid access token." },
	{ "access_token_file", T_PATH, STR(access_token_file), "", 0, 0, NULL,
	  "File holding an access token (mode 0600); or BUURTBOT_ACCESS_TOKEN. "
	  "Optional: with a password the bot logs in itself and keeps its token in the store." },
	{ "pickle_key_file", T_PATH, STR(pickle_key_file), "", 0, 0, NULL,
	  "File holding the key that encrypts the bot's encryption keys in the store (mode 0600); "
	  "or BUURTBOT_PICKLE_KEY. Required. Keep it safe: without it the store's keys are lost." },
	{ "structure_file", T_PATH, STR(structure_file), "", 0, 0, NULL,
	  "The structure file (JSON): gemeente, wijken, wijkgroepen, stuurgroepen, police. "
	  "The bot creates and maintains the rooms it declares; reloaded on SIGHUP. "
	  "See deploy/examples/README.md. Empty: no structure, the bot only answers commands." },
	{ "device_name", T_STRING, STR(device_name), "buurtbot", 0, 0, NULL,
	  "Display name of the bot's device, shown to users in their device lists." },
	{ "data_dir", T_PATH, STR(data_dir), "/var/lib/buurtbot", 0, 0, NULL,
	  "Directory for the store (buurtbot.db). Created with mode 0700 when missing." },
	{ "log_level", T_ENUM, STR(log_level), "info", 0, 0, "error|warn|info|debug",
	  "How much the bot writes to stderr." },
	{ "language", T_ENUM, STR(language), "nl", 0, 0, "nl|en",
	  "Language of the bot's messages: nl (Dutch) or en (English)." },
	{ "admins", T_MXID_LIST, STR(admins_raw), "", 0, 0, NULL,
	  "Comma-separated accounts that may invite the bot into rooms, e.g. "
	  "@anna:example.org, @piet:example.org. Invites from anyone else are declined." },
	{ "signup_servers", T_STRING, STR(signup_servers), "", 0, 0, NULL,
	  "Comma-separated homeserver names whose accounts may start a direct chat with the bot "
	  "to sign up, e.g. example.org, buurt.nl. Empty: only accounts on the bot's own homeserver." },
	{ "application_reminder_hours", T_INT, NUM(application_reminder_hours), "48", 1, 720, NULL,
	  "A sign-up the stuurgroep has not decided on after this many hours is brought up once more." },
	{ "retention_days", T_INT, NUM(retention_days), "30", 1, 3650, NULL,
	  "Rejected sign-ups and sign-ups left unfinished are deleted after this many days." },
	{ "casus_reminder_hours", T_INT, NUM(casus_reminder_hours), "2", 1, 168, NULL,
	  "An open casus without afloop reminds its casushouder(s) and the stuurgroep after this many hours." },
	{ "casus_expiry_hours", T_INT, NUM(casus_expiry_hours), "24", 1, 720, NULL,
	  "An open casus without afloop is closed as expired after this many hours." },
	{ "casus_retention_days", T_INT, NUM(casus_retention_days), "90", 1, 3650, NULL,
	  "A closed casus keeps its messages this many days; then only anonymous counts remain." },
	{ "flood_max_casussen", T_INT, NUM(flood_max_casussen), "3", 0, 1000, NULL,
	  "Casussen one resident may open in a wijkgroep within flood_window_minutes. Past it their top-level "
	  "messages there open none (a flood): the resident gets one private word, the stuurgroep one notice and "
	  "at most one count per flood_report_minutes of the messages not opened. 0: no limit." },
	{ "flood_window_minutes", T_INT, NUM(flood_window_minutes), "10", 1, 1440, NULL,
	  "The time in which flood_max_casussen are counted, in minutes; a flood ends after a quiet time this long." },
	{ "flood_report_minutes", T_INT, NUM(flood_report_minutes), "10", 1, 1440, NULL,
	  "During a flood the stuurgroep hears how many messages were not opened as casus at most once per this "
	  "many minutes." },
	{ "held_max_per_sender", T_INT, NUM(held_max_per_sender), "50", 1, 100000, NULL,
	  "Most encrypted events of one account the bot keeps while their room key has not arrived; past it the "
	  "oldest are given up (logged, counted in !status)." },
	{ "held_max_per_room", T_INT, NUM(held_max_per_room), "200", 1, 100000, NULL,
	  "Most encrypted events of one room the bot keeps while their room key has not arrived; past it the "
	  "oldest are given up." },
	{ "approval_reaction", T_STRING, STR(approval_reaction), "\xe2\x8f\xa9", 0, 0, NULL,
	  "The reaction with which a stuurgroep member approves forwarding a message along the default route." },
	{ "flag_reaction", T_STRING, STR(flag_reaction), "\xf0\x9f\x9a\xa9", 0, 0, NULL,
	  "The reaction with which anyone in a wijkgroep points a message out to the stuurgroep." },
	{ "sync_timeout_ms", T_INT, NUM(sync_timeout_ms), "30000", 1000, 120000, NULL,
	  "How long one /sync long-poll waits for news, in milliseconds." },
	{ "request_timeout_ms", T_INT, NUM(request_timeout_ms), "30000", 1000, 300000, NULL,
	  "Time limit for one ordinary request to the homeserver, in milliseconds." },
	{ "timeline_limit", T_INT, NUM(timeline_limit), "50", 1, 500, NULL,
	  "Most events per room in one sync; a longer backlog is fetched page by page." },
	{ "max_response_mb", T_INT, NUM(max_response_mb), "32", 1, 1024, NULL,
	  "Largest response the bot accepts from the homeserver, in MiB." },
	{ "retry_max_delay_ms", T_INT, NUM(retry_max_delay_ms), "30000", 100, 600000, NULL,
	  "Longest wait between retries when the homeserver is down or throttling." },
	{ "metrics_listen", T_STRING, STR(metrics_listen), "", 0, 0, NULL,
	  "Address:port for Prometheus metrics at /metrics, e.g. 127.0.0.1:9464. Empty: no metrics endpoint." },
	{ "health_stale_minutes", T_INT, NUM(health_stale_minutes), "5", 1, 1440, NULL,
	  "buurtbot --health reports the bot unhealthy when its last successful sync is older than this." },
	{ "web_dir", T_PATH, STR(web_dir), "", 0, 0, NULL,
	  "Directory the sign-up website (buurtbot-web) shares with the bot: its web.db holds the applications "
	  "made on the website until the bot takes them. Empty: no website." },
	{ "synapse_admin_token_file", T_PATH, STR(synapse_admin_token_file), "", 0, 0, NULL,
	  "File holding the access token of a Synapse server admin (mode 0600), used only to create one-use "
	  "registration tokens for residents admitted through the website. Empty: no tokens offered." },
	{ "web_applications_per_hour", T_INT, NUM(web_applications_per_hour), "20", 1, 10000, NULL,
	  "At most this many applications from the website reach the stuurgroep rooms an hour; more wait "
	  "on the website's side (nothing is lost) and come in the next hour." },
	{ "web_code_hours", T_INT, NUM(web_code_hours), "168", 1, 2160, NULL,
	  "A resident admitted through the website has this many hours to use the registration token and to "
	  "send the code to the bot." },
};

#define N_SETTINGS (sizeof settings / sizeof settings[0])

typedef struct errlog {
	char *buf;
	size_t size, len;
	int count;
} errlog;

__attribute__((format(printf, 2, 3)))
static void problem(errlog *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	e->count++;
	if (!e->buf || e->len + 1 >= e->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(e->buf + e->len, e->size - e->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	e->len += (size_t)n;
	if (e->len >= e->size - 1) {
		e->len = e->size - 1;
		return;
	}
	e->buf[e->len++] = '\n';
	e->buf[e->len] = '\0';
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

static int valid_mxid(const char *s)
{
	const char *colon;

	if (s[0] != '@' || strlen(s) > 255)
		return 0;
	colon = strchr(s, ':');
	if (!colon || colon == s + 1 || colon[1] == '\0')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == ',')
			return 0;
	return 1;
}

static int enum_has(const char *choices, const char *value)
{
	size_t n = strlen(value);
	const char *p = choices;

	while (p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, value, n) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* Splits admins_raw into cfg->admins, checking each id. */
static void split_admins(bot_config *cfg, const char *where, errlog *e)
{
	char *copy = strdup(cfg->admins_raw), *p, *next;

	if (!copy) {
		problem(e, "%s: setting 'admins': out of memory", where);
		return;
	}
	for (p = copy; p; p = next) {
		char *item;

		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		item = trim(p);
		if (*item == '\0')
			continue;
		if (!valid_mxid(item)) {
			problem(e, "%s: setting 'admins': \"%.100s\" is not a Matrix user id like @name:server",
				where, item);
			continue;
		}
		if (cfg->n_admins == BOT_CONFIG_MAX_ADMINS) {
			problem(e, "%s: setting 'admins': more than %d accounts", where,
				BOT_CONFIG_MAX_ADMINS);
			break;
		}
		cfg->admins[cfg->n_admins] = strdup(item);
		if (!cfg->admins[cfg->n_admins]) {
			problem(e, "%s: setting 'admins': out of memory", where);
			break;
		}
		cfg->n_admins++;
	}
	free(copy);
}

/* Checks value against s and stores it. where names file and line. */
static void apply(bot_config *cfg, const setting *s, const char *value,
		  const char *where, errlog *e)
{
	char *field = (char *)cfg + s->offset;

	switch (s->type) {
	case T_INT: {
		char *end = NULL;
		long v;

		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || end == value || *end != '\0') {
			problem(e, "%s: setting '%s': \"%.40s\" is not a whole number", where, s->name, value);
			return;
		}
		if (v < s->min || v > s->max) {
			problem(e, "%s: setting '%s': %ld is outside %ld..%ld", where, s->name, v, s->min, s->max);
			return;
		}
		*(long *)(void *)field = v;
		return;
	}
	case T_ENUM:
		if (!enum_has(s->choices, value)) {
			problem(e, "%s: setting '%s': \"%.40s\" is not one of %s", where, s->name, value, s->choices);
			return;
		}
		break;
	case T_URL:
		if (strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0) {
			problem(e, "%s: setting '%s': \"%.100s\" must start with http:// or https://",
				where, s->name, value);
			return;
		}
		break;
	case T_MXID:
		if (!valid_mxid(value)) {
			problem(e, "%s: setting '%s': \"%.100s\" is not a Matrix user id like @name:server",
				where, s->name, value);
			return;
		}
		break;
	default:
		break;
	}
	if (strlen(value) >= s->size) {
		problem(e, "%s: setting '%s': value is longer than %zu characters", where, s->name, s->size - 1);
		return;
	}
	memcpy(field, value, strlen(value) + 1);
}

static void set_defaults(bot_config *cfg)
{
	size_t i;
	errlog none = { 0 };

	memset(cfg, 0, sizeof *cfg);
	for (i = 0; i < N_SETTINGS; i++)
		if (settings[i].def)
			apply(cfg, &settings[i], settings[i].def, "default", &none);
}

int bot_config_parse(bot_config *out, const char *text, const char *origin,
		     char *errbuf, size_t errsize)
{
	errlog e = { errbuf, errsize, 0, 0 };
	int seen[N_SETTINGS] = { 0 };
	char *copy = NULL, *line, *next;
	char where[256];
	size_t i;
	int lineno = 0;

	if (errbuf && errsize)
		errbuf[0] = '\0';
	set_defaults(out);
	copy = strdup(text ? text : "");
	if (!copy) {
		problem(&e, "%s: out of memory", origin);
		return -1;
	}
	for (line = copy; line; line = next) {
		char *eq, *key, *value;
		const setting *s = NULL;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		snprintf(where, sizeof where, "%.200s line %d", origin, lineno);
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			problem(&e, "%s: expected `name = value`, found \"%.60s\"", where, key);
			continue;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		if (value[0] == '"') {
			size_t n = strlen(value);
			if (n < 2 || value[n - 1] != '"') {
				problem(&e, "%s: setting '%.60s': closing quote missing", where, key);
				continue;
			}
			value[n - 1] = '\0';
			value++;
		}
		for (i = 0; i < N_SETTINGS; i++)
			if (strcmp(settings[i].name, key) == 0)
				s = &settings[i];
		if (!s) {
			problem(&e, "%s: unknown setting '%.60s' (see buurtbot --help for the list)", where, key);
			continue;
		}
		if (seen[s - settings]++) {
			problem(&e, "%s: setting '%s' is given twice", where, key);
			continue;
		}
		apply(out, s, value, where, &e);
	}
	for (i = 0; i < N_SETTINGS; i++)
		if (!settings[i].def && !seen[i])
			problem(&e, "%.200s: setting '%s' is required: %s", origin,
				settings[i].name, settings[i].help);
	split_admins(out, origin, &e);
	free(copy);
	return e.count ? -1 : 0;
}

int bot_config_load(bot_config *out, const char *path, char *errbuf, size_t errsize)
{
	FILE *f = NULL;
	char *text = NULL;
	size_t len = 0, cap = 0;
	int rc = -1;
	/* A settings file is small; a huge one is a mistake, not a config. */
	const size_t max_size = 1 << 20;

	set_defaults(out);
	f = fopen(path, "r");
	if (!f) {
		snprintf(errbuf, errsize, "cannot read config file %s: %s\n", path, strerror(errno));
		rc = -2;
		goto cleanup;
	}
	for (;;) {
		size_t n;
		if (len + 4096 + 1 > cap) {
			char *grown;
			cap = cap ? cap * 2 : 8192;
			grown = realloc(text, cap);
			if (!grown)
				goto oom;
			text = grown;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
		if (len > max_size) {
			snprintf(errbuf, errsize, "config file %s is larger than 1 MiB\n", path);
			rc = -2;
			goto cleanup;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(errbuf, errsize, "cannot read config file %s: %s\n", path, strerror(errno));
		rc = -2;
		goto cleanup;
	}
	text[len] = '\0';
	if (strlen(text) != len) {
		snprintf(errbuf, errsize, "config file %s contains a NUL byte; is it a text file?\n", path);
		rc = -2;
		goto cleanup;
	}
	rc = bot_config_parse(out, text, path, errbuf, errsize);
	goto cleanup;
oom:
	snprintf(errbuf, errsize, "out of memory reading %s\n", path);
	rc = -2;
cleanup:
	if (f)
		fclose(f);
	free(text);
	return rc;
}

void bot_config_clear(bot_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n_admins; i++)
		free(cfg->admins[i]);
	cfg->n_admins = 0;
}

void bot_config_print_help(FILE *f)
{
	static const char *const type_names[] = {
		"text", "URL", "Matrix user id", "list of user ids", "path", "number", "one of",
	};
	size_t i;

	fprintf(f, "Settings (config file lines `name = value`, # starts a comment):\n\n");
	for (i = 0; i < N_SETTINGS; i++) {
		const setting *s = &settings[i];

		fprintf(f, "  %s  (%s", s->name, type_names[s->type]);
		if (s->type == T_ENUM)
			fprintf(f, " %s", s->choices);
		if (s->type == T_INT)
			fprintf(f, " %ld..%ld", s->min, s->max);
		if (!s->def)
			fprintf(f, ", required)\n");
		else if (s->def[0])
			fprintf(f, ", default %s)\n", s->def);
		else
			fprintf(f, ", default empty)\n");
		fprintf(f, "      %s\n", s->help);
	}
}

int bot_config_secret(char **out, const char *env_name, const char *file,
		      char *errbuf, size_t errsize)
{
	const char *env = env_name ? getenv(env_name) : NULL;
	char buf[4096];
	struct stat st;
	FILE *f = NULL;
	size_t n;
	int fd = -1, rc = -1;

	*out = NULL;
	if (env && *env) {
		*out = strdup(env);
		return *out ? 0 : -1;
	}
	if (!file || !*file)
		return 1;
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(errbuf, errsize, "cannot read secret file %s: %s", file, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(errbuf, errsize, "secret file %s is not a regular file", file);
		goto cleanup;
	}
	if (st.st_mode & 077) {
		snprintf(errbuf, errsize, "secret file %s can be read by others; run: chmod 600 %s",
			 file, file);
		goto cleanup;
	}
	f = fdopen(fd, "r");
	if (!f)
		goto cleanup;
	fd = -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0') {
		snprintf(errbuf, errsize, "secret file %s is empty", file);
		goto cleanup;
	}
	*out = strdup(buf);
	rc = *out ? 0 : -1;
cleanup:
	explicit_bzero(buf, sizeof buf);
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	return rc;
}

static void wipe(char **secret)
{
	if (*secret) {
		explicit_bzero(*secret, strlen(*secret));
		free(*secret);
		*secret = NULL;
	}
}

int bot_config_load_secrets(const bot_config *cfg, char **password, char **token, char **pickle_key,
			    char *errbuf, size_t errsize)
{
	static const struct {
		const char *setting, *env;
		size_t offset;
	} secrets[] = {
		{ "password_file", "BUURTBOT_PASSWORD", offsetof(bot_config, password_file) },
		{ "access_token_file", "BUURTBOT_ACCESS_TOKEN", offsetof(bot_config, access_token_file) },
		{ "pickle_key_file", "BUURTBOT_PICKLE_KEY", offsetof(bot_config, pickle_key_file) },
	};
	char **out[3] = { password, token, pickle_key };
	size_t len = errbuf && errsize ? strlen(errbuf) : 0;
	errlog e = { errbuf ? errbuf + len : NULL, errbuf ? errsize - len : 0, 0, 0 };
	char msg[1400];
	int rc[3];
	size_t i;

	/* 1 from bot_config_secret: neither the variable nor the file is set. */
	for (i = 0; i < 3; i++) {
		const char *file = (const char *)cfg + secrets[i].offset;

		snprintf(msg, sizeof msg, "cannot be read (out of memory)");
		rc[i] = bot_config_secret(out[i], secrets[i].env, file, msg, sizeof msg);
		if (rc[i] < 0)
			problem(&e, "setting '%s': %s", secrets[i].setting, msg);
	}
	if (rc[2] == 1)
		problem(&e, "setting 'pickle_key_file': no pickle key: set pickle_key_file or BUURTBOT_PICKLE_KEY. "
			"It encrypts the bot's secrets in the store; make one with e.g. "
			"head -c 32 /dev/urandom | base64 > pickle-key && chmod 600 pickle-key");
	if (rc[0] == 1 && rc[1] == 1)
		problem(&e, "no credentials: set BUURTBOT_PASSWORD or password_file "
			"(or an access token via BUURTBOT_ACCESS_TOKEN or access_token_file)");
	if (e.count) {
		wipe(password);
		wipe(token);
		wipe(pickle_key);
	}
	return e.count;
}
