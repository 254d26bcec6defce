/* Integration tests of `buurtbot --check-config`: every problem of a
 * config is named in one run, the secret files' problems (missing,
 * readable by others) together with the file's own, and a start with the
 * same config stops with the same list. No homeserver is needed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "itest.h"

/* Runs the bot with args (no secrets in its environment); the exit status,
 * its output in out. */
static int run_bot(const char *args, char *out, size_t size)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof cmd, "env -u BUURTBOT_PASSWORD -u BUURTBOT_ACCESS_TOKEN -u BUURTBOT_PICKLE_KEY %s %s 2>&1",
		 itest_env("BUURTBOT_BIN"), args);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(chmod(path, mode), 0);
}

/* Three problems: an unknown setting, a password file that is not there,
 * a pickle key file others can read. */
static void three_problems(char *dir, size_t size, char *conf, size_t csize)
{
	char path[300], text[1200];

	snprintf(dir, size, "/tmp/buurtbot-checkconfig-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/pickle-key", dir);
	write_file(path, "geheime-sleutel-123\n", 0644);
	snprintf(conf, csize, "%s/buurtbot.conf", dir);
	snprintf(text, sizeof text,
		 "homeserver_url = http://127.0.0.1:1\nuser_id = @bot:localhost\n"
		 "kleur = oranje\n"
		 "password_file = %s/bestaat-niet\n"
		 "pickle_key_file = %s/pickle-key\n"
		 "data_dir = %s/data\n", dir, dir, dir);
	write_file(conf, text, 0600);
}

static void cleanup_dir(const char *dir)
{
	char cmd[400];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* The three problems, each by its setting, and no secret. */
static void expect_all_three(const char *out, const char *dir)
{
	char missing[400], readable[400];

	snprintf(missing, sizeof missing, "setting 'password_file': cannot read secret file %s/bestaat-niet", dir);
	snprintf(readable, sizeof readable, "setting 'pickle_key_file': secret file %s/pickle-key can be read by others",
		 dir);
	cr_assert_not_null(strstr(out, "unknown setting 'kleur'"), "%s", out);
	cr_assert_not_null(strstr(out, missing), "%s", out);
	cr_assert_not_null(strstr(out, readable), "%s", out);
	cr_assert_null(strstr(out, "geheime-sleutel"), "the pickle key was printed: %s", out);
}

Test(checkconfig, every_problem_is_named_in_one_run)
{
	char dir[64], conf[128], args[300], out[8192];

	three_problems(dir, sizeof dir, conf, sizeof conf);
	snprintf(args, sizeof args, "--check-config %s", conf);
	cr_assert_eq(run_bot(args, out, sizeof out), 2, "%s", out);
	expect_all_three(out, dir);

	/* Starting with it stops with the same list, before touching anything. */
	snprintf(args, sizeof args, "--config %s", conf);
	cr_assert_eq(run_bot(args, out, sizeof out), 2, "%s", out);
	expect_all_three(out, dir);
	cr_assert_neq(access(dir, F_OK), -1);
	{
		char data[128];

		snprintf(data, sizeof data, "%s/data", dir);
		cr_assert_eq(access(data, F_OK), -1, "a bad config must not create the store");
	}
	cleanup_dir(dir);
}

Test(checkconfig, secrets_only_and_then_ok)
{
	char dir[64], conf[128], args[300], out[8192], path[300], text[1200];

	snprintf(dir, sizeof dir, "/tmp/buurtbot-checkconfig-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(conf, sizeof conf, "%s/buurtbot.conf", dir);
	/* No password or token at all, and no pickle key: both said. */
	write_file(conf, "homeserver_url = http://127.0.0.1:1\nuser_id = @bot:localhost\n", 0600);
	snprintf(args, sizeof args, "--check-config %s", conf);
	cr_assert_eq(run_bot(args, out, sizeof out), 2, "%s", out);
	cr_assert_not_null(strstr(out, "no credentials"), "%s", out);
	cr_assert_not_null(strstr(out, "pickle_key_file"), "%s", out);

	/* Fixed: ok. */
	snprintf(path, sizeof path, "%s/pickle-key", dir);
	write_file(path, "sleutel\n", 0600);
	snprintf(path, sizeof path, "%s/password", dir);
	write_file(path, "wachtwoord\n", 0600);
	snprintf(text, sizeof text,
		 "homeserver_url = http://127.0.0.1:1\nuser_id = @bot:localhost\n"
		 "password_file = %s/password\npickle_key_file = %s/pickle-key\n", dir, dir);
	write_file(conf, text, 0600);
	cr_assert_eq(run_bot(args, out, sizeof out), 0, "%s", out);
	cr_assert_not_null(strstr(out, ": ok"), "%s", out);
	cleanup_dir(dir);
}
