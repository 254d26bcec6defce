/* main.c: buurtbot's entry point: read the config, open the store, log in,
 * run the sync loop until SIGTERM/SIGINT. Exit status: 0 clean stop,
 * 1 runtime failure, 2 bad configuration or command line. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "crypto.h"
#include "daemon.h"
#include "log.h"
#include "structure.h"


static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;

static void on_hangup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

static void on_signal(int sig)
{
	/* A second signal means "now": the store is consistent at every
	 * moment, so exiting without cleanup loses nothing. */
	if (stop_requested)
		_exit(128 + sig);
	stop_requested = 1;
}

/* The client retries by itself; this says so in the log, loudly on the
 * first wait and every tenth, quietly in between. */
static void log_retry(void *userdata, const mx_error *err, int attempt, long delay_ms)
{
	bot_log_level level = (attempt == 1 || attempt % 10 == 0) ? BOT_LOG_WARN : BOT_LOG_DEBUG;

	(void)userdata;
	if (err->status == MX_ERR_RATE_LIMITED)
		BOT_LOG(level, "homeserver is throttling us (rate-limited); waiting %ld ms (attempt %d)",
			delay_ms, attempt);
	else
		BOT_LOG(level, "homeserver request failed (%s: %s); trying again in %ld ms (attempt %d)",
			mx_status_name(err->status), err->message, delay_ms, attempt);
}

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
		"       buurtbot --help | --version\n\n"
		"Secrets never go on the command line: the password comes from the\n"
		"environment variable BUURTBOT_PASSWORD or password_file, an access token\n"
		"from BUURTBOT_ACCESS_TOKEN or access_token_file.\n\n");
}

/* mkdir -p with mode 0700 for what it creates. */
static int make_dirs(const char *path)
{
	char buf[BOT_CONFIG_STR_MAX];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];
			buf[i] = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST)
				return -1;
			buf[i] = c;
		}
	}
	return 0;
}

static int open_store(const bot_config *cfg, bot_store **out)
{
	char path[BOT_CONFIG_STR_MAX + 32], err[768];
	struct stat st;

	if (make_dirs(cfg->data_dir) != 0) {
		LOG_ERROR("setting 'data_dir': cannot create %s: %s", cfg->data_dir, strerror(errno));
		return -1;
	}
	if (stat(cfg->data_dir, &st) == 0 && (st.st_mode & 077))
		LOG_WARN("data_dir %s can be read by others; it holds residents' data: chmod 700 it",
			 cfg->data_dir);
	snprintf(path, sizeof path, "%s/buurtbot.db", cfg->data_dir);
	if (bot_store_open(out, path, err, sizeof err) != BOT_STORE_OK) {
		LOG_ERROR("%s", err);
		return -1;
	}
	return 0;
}

/* Prints the recovery key of the store's cross-signing keys, once. Works
 * offline from the store; the bot must have run (and logged in) before. */
static int print_recovery_key(bot_daemon *d, const char *pickle_key)
{
	char *key = NULL;
	mx_error err;
	int status = 1;

	if (bot_store_kv_get(d->store, BOT_KV_USER_ID, &d->user_id) != BOT_STORE_OK ||
	    bot_store_kv_get(d->store, BOT_KV_DEVICE_ID, &d->device_id) != BOT_STORE_OK) {
		fprintf(stderr, "buurtbot: the store has no session yet: start the bot once first\n");
		return 1;
	}
	if (bot_crypto_open(d, pickle_key) != 0)
		return 1;
	if (mx_e2ee_recovery_key(d->e2ee, &key, &err) != MX_OK) {
		fprintf(stderr, "buurtbot: %s\n", err.message);
		return 1;
	}
	printf("Recovery key of the bot's cross-signing keys. Keep it offline, with the pickle key;\n"
	       "it is shown only this once. To restore the keys into a new store, start the bot\n"
	       "once with BUURTBOT_RECOVERY_KEY set to it.\n\n%s\n", key);
	explicit_bzero(key, strlen(key));
	free(key);
	status = 0;
	return status;
}

int main(int argc, char **argv)
{
	bot_config cfg;
	bot_daemon d;
	mx_client_options opts;
	mx_error merr;
	struct sigaction sa;
	const char *config_path = NULL;
	char *token = NULL, *pickle_key = NULL, errbuf[8192];
	pol_lang lang = POL_LANG_NL;
	int i, loaded, check_only = 0, print_recovery = 0, print_structure = 0, status = 1;

	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			bot_config_print_help(stdout);
			return 0;
		} else if (strcmp(argv[i], "--print-recovery-key") == 0) {
			print_recovery = 1;
		} else if (strcmp(argv[i], "--print-structure") == 0) {
			print_structure = 1;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("buurtbot %s\n", BUURTBOT_VERSION);
			return 0;
		} else if ((strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "-c") == 0 ||
			    strcmp(argv[i], "--check-config") == 0) && i + 1 < argc) {
			check_only = strcmp(argv[i], "--check-config") == 0;
			config_path = argv[++i];
		} else {
			fprintf(stderr, "buurtbot: unknown argument '%s'\n\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!config_path) {
		usage(stderr);
		return 2;
	}
	umask(077);
	/* Every problem at once, the secrets' included, so that an operator
	 * fixes the file in one go (not one per run). */
	loaded = bot_config_load(&cfg, config_path, errbuf, sizeof errbuf);
	if (loaded != -2 &&
	    bot_config_load_secrets(&cfg, &d.password, &token, &pickle_key, errbuf, sizeof errbuf) != 0)
		loaded = -1;
	if (loaded != 0) {
		fprintf(stderr, "buurtbot: the configuration cannot be used:\n%s", errbuf);
		status = 2;
		goto cleanup;
	}
	bot_log_level_parse(cfg.log_level, &bot_log_threshold);
	pol_lang_parse(cfg.language, &lang);
	if (check_only) {
		printf("%s: ok\n", config_path);
		status = 0;
		goto cleanup;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hangup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (open_store(&cfg, &d.store) != 0)
		goto cleanup;
	if (print_structure) {
		d.cfg = &cfg;
		status = bot_structure_print(&d, stdout) == 0 ? 0 : 1;
		goto cleanup;
	}

	memset(&opts, 0, sizeof opts);
	opts.homeserver_url = cfg.homeserver_url;
	opts.request_timeout_ms = cfg.request_timeout_ms;
	opts.max_response_bytes = (size_t)cfg.max_response_mb << 20;
	opts.retry.max_attempts = 0;
	opts.retry.base_delay_ms = 500;
	opts.retry.max_delay_ms = cfg.retry_max_delay_ms;
	opts.cancel = &stop_requested;
	opts.on_retry = log_retry;
	if (mx_client_new(&d.client, &opts, &merr) != MX_OK) {
		LOG_ERROR("cannot set up the HTTP client: %s", merr.message);
		goto cleanup;
	}
	d.cfg = &cfg;
	d.stop = &stop_requested;
	d.clock = bot_clock_choose();
	bot_daemon_tick(&d);
	d.pickle_key = pickle_key;
	d.pol.admins = (const char *const *)cfg.admins;
	d.pol.n_admins = cfg.n_admins;
	d.pol.lang = lang;
	d.pol.signup_servers = cfg.signup_servers;
	d.pol.approval_key = cfg.approval_reaction;
	d.pol.flag_key = cfg.flag_reaction;
	d.pol.flood_max_casussen = cfg.flood_max_casussen;
	d.pol.flood_window_s = cfg.flood_window_minutes * 60;
	d.pol.flood_report_s = cfg.flood_report_minutes * 60;
	if (cfg.n_admins == 0)
		LOG_WARN("setting 'admins' is empty: the bot will decline every invite");

	if (print_recovery) {
		status = print_recovery_key(&d, pickle_key);
		goto cleanup;
	}
	LOG_INFO("buurtbot %s starting, homeserver %s", BUURTBOT_VERSION, cfg.homeserver_url);
	if (bot_session_start(&d, token) != 0) {
		status = stop_requested ? 0 : 1;
		goto cleanup;
	}
	if (bot_crypto_start(&d, pickle_key) != 0) {
		status = stop_requested ? 0 : 1;
		goto cleanup;
	}
	d.reload = &reload_requested;
	if (bot_structure_load(&d, 1) != 0) {
		status = 2;
		goto cleanup;
	}
	status = bot_daemon_run(&d) == 0 ? 0 : 1;
cleanup:
	if (token) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	if (pickle_key) {
		explicit_bzero(pickle_key, strlen(pickle_key));
		free(pickle_key);
	}
	mx_e2ee_free(d.e2ee);
	pol_structure_free(d.structure);
	free(d.structure_text);
	if (d.password) {
		explicit_bzero(d.password, strlen(d.password));
		free(d.password);
	}
	mx_client_free(d.client);
	bot_store_close(d.store);
	free(d.user_id);
	free(d.device_id);
	free(d.filter_id);
	bot_config_clear(&cfg);
	return status;
}
