/* Unit tests of bot/cli: the command line read in order through the
 * option table, with the exit status main() gives back. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>
#include "bot/cli.h"

static void quiet(void)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
}

TestSuite(cli, .init = quiet);

static int parse(bot_cli *cli, int argc, const char *const *argv)
{
	return bot_cli_parse(cli, argc, (char **)argv);
}

Test(cli, config_and_its_flags)
{
	const char *argv[] = { "buurtbot", "-c", "a.yaml", "--print-structure", "--print-recovery-key" };
	bot_cli cli;

	cr_assert_eq(parse(&cli, 5, argv), -1);
	cr_assert_str_eq(cli.config_path, "a.yaml");
	cr_assert_eq(cli.check_only, 0);
	cr_assert_eq(cli.print_structure, 1);
	cr_assert_eq(cli.print_recovery, 1);
}

Test(cli, the_last_config_option_decides)
{
	const char *a1[] = { "buurtbot", "--config", "a.yaml", "--check-config", "b.yaml" };
	const char *a2[] = { "buurtbot", "--check-config", "b.yaml", "--config", "a.yaml" };
	bot_cli cli;

	cr_assert_eq(parse(&cli, 5, a1), -1);
	cr_assert_str_eq(cli.config_path, "b.yaml");
	cr_assert_eq(cli.check_only, 1);
	cr_assert_eq(parse(&cli, 5, a2), -1);
	cr_assert_str_eq(cli.config_path, "a.yaml");
	cr_assert_eq(cli.check_only, 0);
}

Test(cli, help_and_version_end_at_once_with_0)
{
	const char *a1[] = { "buurtbot", "-h", "--bogus" };
	const char *a2[] = { "buurtbot", "--version" };
	const char *a3[] = { "buurtbot", "--config", "a.yaml", "--help" };
	bot_cli cli;

	cr_assert_eq(parse(&cli, 3, a1), 0);
	cr_assert_eq(parse(&cli, 2, a2), 0);
	cr_assert_eq(parse(&cli, 4, a3), 0);
}

Test(cli, bad_command_lines_give_2)
{
	const char *a1[] = { "buurtbot" };
	const char *a2[] = { "buurtbot", "--bogus", "--help" };
	const char *a3[] = { "buurtbot", "--config" };
	const char *a4[] = { "buurtbot", "--print-structure" };
	const char *a5[] = { "buurtbot", "--config", "a.yaml", "extra" };
	bot_cli cli;

	cr_assert_eq(parse(&cli, 1, a1), 2);
	cr_assert_eq(parse(&cli, 3, a2), 2, "read in order: the unknown one comes first");
	cr_assert_eq(parse(&cli, 2, a3), 2, "an option without its value");
	cr_assert_eq(parse(&cli, 2, a4), 2, "no config file");
	cr_assert_eq(parse(&cli, 4, a5), 2);
}

Test(cli, version_is_printed, .init = cr_redirect_stdout)
{
	const char *argv[] = { "buurtbot", "--version" };
	bot_cli cli;

	cr_assert_eq(parse(&cli, 2, argv), 0);
	fflush(stdout);
	cr_assert_stdout_eq_str("buurtbot 0.1.0\n");
}
