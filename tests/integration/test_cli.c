/* Integration tests of the command line and start-up checks: a broken
 * config stops start-up with a message naming the setting. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "itest.h"

/* Runs the bot with args, returns exit status, output in out. */
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(cli, help_lists_settings)
{
	char out[16384];

	cr_assert_eq(itest_run_bot(NULL, "--help", out, sizeof out), 0);
	cr_assert_not_null(strstr(out, "homeserver_url"));
	cr_assert_not_null(strstr(out, "BUURTBOT_PASSWORD"));
}

Test(cli, broken_config_names_the_setting)
{
	char out[8192];

	write_file("/tmp/buurtbot-cli-bad.conf",
		   "homeserver_url = localhost:8008\nuser_id = bot\nlog_level = chatty\n");
	cr_assert_eq(itest_run_bot("BUURTBOT_PASSWORD=x", "--config /tmp/buurtbot-cli-bad.conf", out, sizeof out), 2);
	cr_assert_not_null(strstr(out, "'homeserver_url'"), "%s", out);
	cr_assert_not_null(strstr(out, "'user_id'"), "%s", out);
	cr_assert_not_null(strstr(out, "'log_level'"), "%s", out);
	remove("/tmp/buurtbot-cli-bad.conf");
}

Test(cli, missing_credentials_are_explained)
{
	char out[8192];

	write_file("/tmp/buurtbot-cli-nocred.conf",
		   "homeserver_url = http://127.0.0.1:1\nuser_id = @bot:localhost\n");
	cr_assert_eq(itest_run_bot("-u BUURTBOT_PASSWORD", "--config /tmp/buurtbot-cli-nocred.conf", out, sizeof out), 2);
	cr_assert_not_null(strstr(out, "BUURTBOT_PASSWORD"), "%s", out);
	remove("/tmp/buurtbot-cli-nocred.conf");
}

Test(cli, password_never_appears_in_the_log)
{
	char out[65536];
	const char *secret = "zeer-geheim-wachtwoord-42";
	char env[128];

	write_file("/tmp/buurtbot-cli-log.conf",
		   "homeserver_url = http://127.0.0.1:1\nuser_id = @nobody:localhost\n"
		   "data_dir = /tmp/buurtbot-cli-data\nlog_level = debug\nretry_max_delay_ms = 100\n");
	snprintf(env, sizeof env, "BUURTBOT_PICKLE_KEY=pk BUURTBOT_PASSWORD=%s timeout -s TERM 3", secret);
	itest_run_bot(env, "--config /tmp/buurtbot-cli-log.conf", out, sizeof out);
	cr_assert_null(strstr(out, secret), "password leaked into the log");
	cr_assert_not_null(strstr(out, "trying again") , "a homeserver that is down must be reported: %s", out);
	remove("/tmp/buurtbot-cli-log.conf");
	cr_assert_eq(system("rm -rf /tmp/buurtbot-cli-data"), 0);
}

Test(cli, missing_pickle_key_is_explained)
{
	char out[8192];

	write_file("/tmp/buurtbot-cli-nopickle.conf",
		   "homeserver_url = http://127.0.0.1:1\nuser_id = @bot:localhost\n");
	cr_assert_eq(itest_run_bot("-u BUURTBOT_PICKLE_KEY BUURTBOT_PASSWORD=x", "--config /tmp/buurtbot-cli-nopickle.conf",
				   out, sizeof out), 2);
	cr_assert_not_null(strstr(out, "pickle_key_file"), "%s", out);
	remove("/tmp/buurtbot-cli-nopickle.conf");
}
