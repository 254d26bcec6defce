/* Unit tests of bot/log: escaping of user text. */
#include <criterion/criterion.h>
#include <string.h>
#include "bot/log.h"

Test(log, escapes_control_and_quotes)
{
	char buf[64];

	cr_assert_str_eq(bot_log_escape("a\nb\"c\\", buf, sizeof buf), "a\\nb\\\"c\\\\");
	cr_assert_str_eq(bot_log_escape("\x1b[31m", buf, sizeof buf), "\\x1b[31m");
	cr_assert_str_eq(bot_log_escape(NULL, buf, sizeof buf), "(null)");
}

Test(log, truncates_with_marker)
{
	char buf[8];

	bot_log_escape("abcdefghijkl", buf, sizeof buf);
	cr_assert_lt(strlen(buf), sizeof buf);
	cr_assert_not_null(strstr(buf, "..."));
}

Test(log, level_names)
{
	bot_log_level l;

	cr_assert_eq(bot_log_level_parse("debug", &l), 0);
	cr_assert_eq(l, BOT_LOG_DEBUG);
	cr_assert_eq(bot_log_level_parse("loud", &l), -1);
}
