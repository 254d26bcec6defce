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
#include "cli.h"
#include "config.h"
#include "crypto.h"
#include "daemon.h"
#include "log.h"
#include "stats.h"
#include "structure.h"
#include "health.h"
#include "backup.h"
#include "metrics.h"


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
	bot_metrics_request_retry();
	if (err->status == MX_ERR_RATE_LIMITED)
		BOT_LOG(level, "homeserver is throttling us (rate-limited); waiting %ld ms (attempt %d)",
			delay_ms, attempt);
	else
		BOT_LOG(level, "homeserver request failed (%s: %s); trying again in %ld ms (attempt %d)",
			mx_status_name(err->status), err->message, delay_ms, attempt);
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

/* The configuration file and the secrets, with every problem at once (the
 * secrets' included) so that an operator fixes the file in one go, not
 * one per run. Returns -1 to go on, or the exit status: 0 when only
 * checking, 2 when the configuration cannot be used. */
static int load_config(bot_config *cfg, const bot_cli *cli, char **password, char **token, char **pickle_key,
		       pol_lang *lang)
{
	char errbuf[8192];
	int loaded = bot_config_load(cfg, cli->config_path, errbuf, sizeof errbuf);

	if (loaded != -2 && bot_config_load_secrets(cfg, password, token, pickle_key, errbuf, sizeof errbuf) != 0)
		loaded = -1;
	if (loaded != 0) {
		fprintf(stderr, "buurtbot: the configuration cannot be used:\n%s", errbuf);
		return 2;
	}
	bot_log_level_parse(cfg->log_level, &bot_log_threshold);
	pol_lang_parse(cfg->language, lang);
	if (cli->check_only) {
		printf("%s: ok\n", cli->config_path);
		return 0;
	}
	return -1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hangup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The HTTP client: it retries by itself until a stop is asked. 0, or -1
 * (logged). */
static int make_client(const bot_config *cfg, mx_client **out)
{
	mx_client_options opts;
	mx_error merr;

	memset(&opts, 0, sizeof opts);
	opts.homeserver_url = cfg->homeserver_url;
	opts.request_timeout_ms = cfg->request_timeout_ms;
	opts.max_response_bytes = (size_t)cfg->max_response_mb << 20;
	opts.retry.max_attempts = 0;
	opts.retry.base_delay_ms = 500;
	opts.retry.max_delay_ms = cfg->retry_max_delay_ms;
	opts.cancel = &stop_requested;
	opts.on_retry = log_retry;
	if (mx_client_new(out, &opts, &merr) != MX_OK) {
		LOG_ERROR("cannot set up the HTTP client: %s", merr.message);
		return -1;
	}
	return 0;
}

/* The rules' settings, from the configuration. */
static void policy_config(pol_config *pol, const bot_config *cfg, pol_lang lang)
{
	pol->admins = (const char *const *)cfg->admins;
	pol->n_admins = cfg->n_admins;
	pol->lang = lang;
	pol->signup_servers = cfg->signup_servers;
	pol->approval_key = cfg->approval_reaction;
	pol->flag_key = cfg->flag_reaction;
	pol->flood_max_casussen = cfg->flood_max_casussen;
	pol->flood_window_s = cfg->flood_window_minutes * 60;
	pol->flood_report_s = cfg->flood_report_minutes * 60;
	pol->web_code_hours = cfg->web_code_hours;
}

/* What operators watch: the health file (healthy again only after this
 * run's first sync) and the metrics endpoint. 0, or -1 (logged). */
static int start_metrics(const bot_config *cfg)
{
	char err[512];

	bot_health_starting(cfg->data_dir);
	if (bot_metrics_start(cfg->metrics_listen, err, sizeof err) == 0)
		return 0;
	LOG_ERROR("%s", err);
	return -1;
}

/* With a usable configuration: the store, then what the command line asks
 * (the structure or the recovery key printed), or else the bot itself
 * until it is stopped. Returns the exit status. */
static int run(bot_daemon *d, const bot_config *cfg, const bot_cli *cli, const char *token,
	       const char *pickle_key, pol_lang lang)
{
	catch_signals();
	if (open_store(cfg, &d->store) != 0)
		return 1;
	if (cli->print_structure) {
		d->cfg = cfg;
		return bot_structure_print(d, stdout) == 0 ? 0 : 1;
	}
	if (cli->export_stats) {   /* issue 16 */
		d->cfg = cfg;
		return bot_stats_export(d, cli->export_from, cli->export_to, cli->export_format, stdout);
	}
	if (make_client(cfg, &d->client) != 0)
		return 1;
	d->cfg = cfg;
	d->stop = &stop_requested;
	d->clock = bot_clock_choose();
	bot_daemon_tick(d);
	d->pickle_key = pickle_key;
	policy_config(&d->pol, cfg, lang);
	if (cfg->n_admins == 0)
		LOG_WARN("setting 'admins' is empty: the bot will decline every invite");

	if (cli->print_recovery)
		return print_recovery_key(d, pickle_key);
	if (start_metrics(cfg) != 0)
		return 2;
	LOG_INFO("buurtbot %s starting, homeserver %s", BUURTBOT_VERSION, cfg->homeserver_url);
	if (bot_session_start(d, token) != 0 || bot_crypto_start(d, pickle_key) != 0)
		return stop_requested ? 0 : 1;
	d->reload = &reload_requested;
	if (bot_structure_load(d, 1) != 0)
		return 2;
	return bot_daemon_run(d) == 0 ? 0 : 1;
}

/* Wipes a secret before freeing it; NULL is fine. */
static void free_secret(char *secret)
{
	if (!secret)
		return;
	explicit_bzero(secret, strlen(secret));
	free(secret);
}

static void daemon_clear(bot_daemon *d)
{
	mx_e2ee_free(d->e2ee);
	pol_structure_free(d->structure);
	free(d->structure_text);
	free_secret(d->password);
	mx_client_free(d->client);
	bot_store_close(d->store);
	free(d->user_id);
	free(d->device_id);
	free(d->filter_id);
}

int main(int argc, char **argv)
{
	bot_config cfg;
	bot_daemon d;
	bot_cli cli;
	char *token = NULL, *pickle_key = NULL;
	pol_lang lang = POL_LANG_NL;
	int status = bot_cli_parse(&cli, argc, argv);

	if (status >= 0)
		return status;
	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	umask(077);
	status = load_config(&cfg, &cli, &d.password, &token, &pickle_key, &lang);
	if (status < 0 && cli.health)
		status = bot_health_check(&cfg);
	if (status < 0 && cli.backup_path)
		status = bot_backup_run(&cfg, cli.backup_path);
	if (status < 0)
		status = run(&d, &cfg, &cli, token, pickle_key, lang);
	bot_metrics_stop();
	free_secret(token);
	free_secret(pickle_key);
	daemon_clear(&d);
	bot_config_clear(&cfg);
	return status;
}
