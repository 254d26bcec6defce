/* Unit tests of policy/: command parsing, texts, and the decisions. */
#include <criterion/criterion.h>
#include <string.h>
#include "policy/pol_command.h"
#include "policy/pol_engine.h"
#include "policy/pol_text.h"

Test(command, recognises_ping_help_and_alias)
{
	pol_command c;

	cr_assert_eq(pol_command_parse("!ping", &c), POL_CMD_PING);
	cr_assert_eq(pol_command_parse("  !PING  ", &c), POL_CMD_PING);
	cr_assert_eq(pol_command_parse("!help", &c), POL_CMD_HELP);
	cr_assert_eq(pol_command_parse("!hulp", &c), POL_CMD_HELP);
	cr_assert_eq(pol_command_parse("!ping extra words", &c), POL_CMD_PING);
	cr_assert_str_eq(c.args, "extra words");
}

Test(command, plain_text_and_exclamations_are_not_commands)
{
	pol_command c;

	cr_assert_eq(pol_command_parse("hallo", &c), POL_CMD_NONE);
	cr_assert_eq(pol_command_parse("!!! inbraak Dorpsstraat", &c), POL_CMD_NONE);
	cr_assert_eq(pol_command_parse("! ping", &c), POL_CMD_NONE);
	cr_assert_eq(pol_command_parse("", &c), POL_CMD_NONE);
	cr_assert_eq(pol_command_parse(NULL, &c), POL_CMD_NONE);
	cr_assert_eq(pol_command_parse("zeg !ping", &c), POL_CMD_NONE);
}

Test(command, unknown_command_keeps_its_name)
{
	pol_command c;

	cr_assert_eq(pol_command_parse("!pingpong", &c), POL_CMD_UNKNOWN);
	cr_assert_str_eq(c.name, "!pingpong");
	cr_assert_eq(pol_command_parse("!Foo bar", &c), POL_CMD_UNKNOWN);
	cr_assert_str_eq(c.name, "!foo");
}

Test(command, reply_fallback_is_skipped)
{
	pol_command c;

	cr_assert_eq(pol_command_parse("> <@a:x> iets\n> meer\n\n!ping", &c), POL_CMD_PING);
	cr_assert_eq(pol_command_parse("> <@a:x> !ping\n\ndank je", &c), POL_CMD_NONE);
}

Test(command, long_input_is_truncated_not_overflowed)
{
	static char body[10000];
	pol_command c;

	memset(body, 'a', sizeof body - 1);
	body[0] = '!';
	cr_assert_eq(pol_command_parse(body, &c), POL_CMD_UNKNOWN);
	cr_assert_lt(strlen(c.name), sizeof c.name);
	memcpy(body, "!ping ", 6);
	cr_assert_eq(pol_command_parse(body, &c), POL_CMD_PING);
	cr_assert(c.args_truncated);
	cr_assert_lt(strlen(c.args), sizeof c.args);
}

Test(text, every_text_exists_in_every_language)
{
	int id, lang;

	for (id = 0; id < POL_TXT_COUNT; id++)
		for (lang = 0; lang < POL_LANG_COUNT; lang++)
			cr_assert_gt(strlen(pol_text((pol_lang)lang, (pol_text_id)id)), 0,
				     "text %d missing in language %d", id, lang);
}

static const char *const admins[] = { "@admin:localhost" };
static const pol_config cfg = { "@bot:localhost", admins, 1, POL_LANG_NL };

Test(decide, joins_only_admin_invites)
{
	pol_input in = { POL_IN_INVITE, "!r:localhost", NULL, "@admin:localhost", NULL, NULL };
	pol_actions out;

	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_eq(out.items[0].kind, POL_ACT_JOIN);
	cr_assert_str_eq(out.items[0].room_id, "!r:localhost");

	in.sender = "@stranger:localhost";
	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_eq(out.items[0].kind, POL_ACT_DECLINE);
}

Test(decide, ping_gets_one_reply_notice)
{
	pol_input in = { POL_IN_MESSAGE, "!r:localhost", "$e1", "@anna:localhost", "!ping", NULL };
	pol_actions out;

	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_eq(out.items[0].kind, POL_ACT_NOTICE);
	cr_assert_str_eq(out.items[0].reply_to, "$e1");
	cr_assert_null(out.items[0].thread_root);
	cr_assert_str_eq(out.items[0].text, pol_text(POL_LANG_NL, POL_TXT_PONG));
}

Test(decide, ping_in_thread_answers_in_thread)
{
	pol_input in = { POL_IN_MESSAGE, "!r:localhost", "$e2", "@anna:localhost", "!ping", "$root" };
	pol_actions out;

	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_str_eq(out.items[0].thread_root, "$root");
}

Test(decide, help_lists_every_command)
{
	pol_input in = { POL_IN_MESSAGE, "!r:localhost", "$e1", "@anna:localhost", "!help", NULL };
	pol_actions out;
	size_t i, n;
	const pol_command_info *t = pol_command_table(&n);

	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 1);
	for (i = 0; i < n; i++)
		cr_assert_not_null(strstr(out.items[0].text, pol_text(POL_LANG_NL, t[i].help)));
}

Test(decide, unknown_command_is_explained_in_english_too)
{
	pol_config en = cfg;
	pol_input in = { POL_IN_MESSAGE, "!r:localhost", "$e1", "@anna:localhost", "!bestaatniet", NULL };
	pol_actions out;

	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_not_null(strstr(out.items[0].text, "!bestaatniet"));
	cr_assert_not_null(strstr(out.items[0].text, "!help"));
	en.lang = POL_LANG_EN;
	pol_decide(&en, &in, &out);
	cr_assert_not_null(strstr(out.items[0].text, "I don't know"));
}

Test(decide, ignores_itself_and_chatter)
{
	pol_input in = { POL_IN_MESSAGE, "!r:localhost", "$e1", "@bot:localhost", "!ping", NULL };
	pol_actions out;

	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 0);
	in.sender = "@anna:localhost";
	in.body = "goedemorgen allemaal";
	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 0);
	in.kind = POL_IN_OTHER;
	in.body = "!ping";
	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 0);
}
