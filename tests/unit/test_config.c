/* Unit tests of bot/config: the settings table validates, defaults and
 * reports every problem by name. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bot/config.h"

static char err[8192];

Test(config, minimal_file_gets_defaults)
{
	bot_config c;

	cr_assert_eq(bot_config_parse(&c, "homeserver_url = http://127.0.0.1:8008\n"
				      "user_id = @bot:localhost\n", "t", err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(c.homeserver_url, "http://127.0.0.1:8008");
	cr_assert_str_eq(c.language, "nl");
	cr_assert_str_eq(c.log_level, "info");
	cr_assert_eq(c.sync_timeout_ms, 30000);
	cr_assert_eq(c.n_admins, 0);
	bot_config_clear(&c);
}

Test(config, comments_quotes_and_admin_list)
{
	bot_config c;
	const char *text =
		"# buurtbot\n"
		"homeserver_url = \"https://matrix.example.org\"\n"
		"\n"
		"   user_id=@bot:example.org   \n"
		"admins = @anna:example.org, @piet:example.org,\n"
		"language = en\r\n";

	cr_assert_eq(bot_config_parse(&c, text, "t", err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(c.homeserver_url, "https://matrix.example.org");
	cr_assert_str_eq(c.language, "en");
	cr_assert_eq(c.n_admins, 2);
	cr_assert_str_eq(c.admins[1], "@piet:example.org");
	bot_config_clear(&c);
}

Test(config, every_problem_is_named)
{
	bot_config c;
	const char *text =
		"homeserver_url = matrix.example.org\n"
		"log_level = loud\n"
		"sync_timeout_ms = 12abc\n"
		"timeline_limit = 100000\n"
		"admins = anna, @piet:example.org\n"
		"colour = blue\n"
		"just some words\n"
		"language = nl\n"
		"language = en\n";

	cr_assert_eq(bot_config_parse(&c, text, "my.conf", err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "'homeserver_url'"), "%s", err);
	cr_assert_not_null(strstr(err, "http://"), "%s", err);
	cr_assert_not_null(strstr(err, "'log_level'"), "%s", err);
	cr_assert_not_null(strstr(err, "error|warn|info|debug"), "%s", err);
	cr_assert_not_null(strstr(err, "'sync_timeout_ms'"), "%s", err);
	cr_assert_not_null(strstr(err, "'timeline_limit': 100000 is outside 1..500"), "%s", err);
	cr_assert_not_null(strstr(err, "\"anna\" is not a Matrix user id"), "%s", err);
	cr_assert_not_null(strstr(err, "unknown setting 'colour'"), "%s", err);
	cr_assert_not_null(strstr(err, "my.conf line 7"), "%s", err);
	cr_assert_not_null(strstr(err, "'language' is given twice"), "%s", err);
	cr_assert_not_null(strstr(err, "'user_id' is required"), "%s", err);
	bot_config_clear(&c);
}

Test(config, missing_file_is_reported)
{
	bot_config c;

	cr_assert_eq(bot_config_load(&c, "/nonexistent/buurtbot.conf", err, sizeof err), -2);
	cr_assert_not_null(strstr(err, "/nonexistent/buurtbot.conf"));
	bot_config_clear(&c);
}

Test(config, help_names_every_setting)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	bot_config_print_help(f);
	fclose(f);
	cr_assert_not_null(strstr(buf, "homeserver_url"));
	cr_assert_not_null(strstr(buf, "required"));
	cr_assert_not_null(strstr(buf, "timeline_limit"));
	cr_assert_not_null(strstr(buf, "1..500"));
	free(buf);
}

Test(config, secret_from_env_file_and_refused_when_readable)
{
	char path[] = "/tmp/buurtbot-secret-XXXXXX";
	char *s = NULL;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "geheim\n", 7), 7);
	close(fd);
	chmod(path, 0600);
	unsetenv("BB_TEST_SECRET");
	cr_assert_eq(bot_config_secret(&s, "BB_TEST_SECRET", path, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(s, "geheim");
	free(s);

	setenv("BB_TEST_SECRET", "uit-env", 1);
	cr_assert_eq(bot_config_secret(&s, "BB_TEST_SECRET", path, err, sizeof err), 0);
	cr_assert_str_eq(s, "uit-env");
	free(s);
	unsetenv("BB_TEST_SECRET");

	chmod(path, 0644);
	cr_assert_eq(bot_config_secret(&s, "BB_TEST_SECRET", path, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "chmod 600"));
	cr_assert_null(strstr(err, "geheim"));
	cr_assert_eq(bot_config_secret(&s, "BB_TEST_SECRET", "", err, sizeof err), 1);
	unlink(path);
}

/* A secret file with text and mode; its path in path (a mkstemp template). */
static void secret_file(char *path, const char *text, mode_t mode)
{
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
}

Test(config, every_secret_problem_at_once_with_the_file_problems)
{
	char pw[] = "/tmp/buurtbot-pw-XXXXXX", pk[] = "/tmp/buurtbot-pk-XXXXXX", text[600];
	char *password = NULL, *token = NULL, *pickle = NULL;
	bot_config c;

	unsetenv("BUURTBOT_PASSWORD");
	unsetenv("BUURTBOT_ACCESS_TOKEN");
	unsetenv("BUURTBOT_PICKLE_KEY");
	secret_file(pw, "", 0600);                /* empty */
	secret_file(pk, "sleutel-geheim\n", 0640); /* readable by the group */
	snprintf(text, sizeof text, "homeserver_url = http://hs\nuser_id = @bot:hs\nkleur = blauw\n"
		 "password_file = %s\naccess_token_file = /nonexistent/token\npickle_key_file = %s\n", pw, pk);
	cr_assert_eq(bot_config_parse(&c, text, "b.conf", err, sizeof err), -1);
	cr_assert_eq(bot_config_load_secrets(&c, &password, &token, &pickle, err, sizeof err), 3, "%s", err);
	cr_assert_not_null(strstr(err, "b.conf line 3: unknown setting 'kleur'"), "%s", err);
	cr_assert_not_null(strstr(err, "setting 'password_file': secret file"), "%s", err);
	cr_assert_not_null(strstr(err, "is empty"), "%s", err);
	cr_assert_not_null(strstr(err, "setting 'access_token_file': cannot read secret file /nonexistent/token"),
			   "%s", err);
	cr_assert_not_null(strstr(err, "setting 'pickle_key_file': secret file"), "%s", err);
	cr_assert_not_null(strstr(err, "chmod 600"), "%s", err);
	cr_assert_null(strstr(err, "sleutel-geheim"), "a secret in a message: %s", err);
	cr_assert(!password && !token && !pickle);
	bot_config_clear(&c);

	/* Nothing configured: both absences named. */
	cr_assert_eq(bot_config_parse(&c, "homeserver_url = http://hs\nuser_id = @bot:hs\n", "c.conf", err,
				      sizeof err), 0);
	cr_assert_eq(bot_config_load_secrets(&c, &password, &token, &pickle, err, sizeof err), 2, "%s", err);
	cr_assert_not_null(strstr(err, "no pickle key"), "%s", err);
	cr_assert_not_null(strstr(err, "no credentials"), "%s", err);
	bot_config_clear(&c);

	/* All well: the secrets come back. */
	chmod(pk, 0600);
	setenv("BUURTBOT_PASSWORD", "wachtwoord", 1);
	snprintf(text, sizeof text, "homeserver_url = http://hs\nuser_id = @bot:hs\npickle_key_file = %s\n", pk);
	cr_assert_eq(bot_config_parse(&c, text, "d.conf", err, sizeof err), 0);
	err[0] = '\0';
	cr_assert_eq(bot_config_load_secrets(&c, &password, &token, &pickle, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(password, "wachtwoord");
	cr_assert_null(token);
	cr_assert_str_eq(pickle, "sleutel-geheim");
	free(password);
	free(pickle);
	unsetenv("BUURTBOT_PASSWORD");
	bot_config_clear(&c);
	unlink(pw);
	unlink(pk);
}
