/* Unit tests of policy/: command parsing, texts, and the decisions. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/pol_aanmelding.h"
#include "policy/pol_command.h"
#include "policy/pol_engine.h"
#include "policy/pol_input.h"
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
static const pol_config cfg = { .bot_user_id = "@bot:localhost", .admins = admins, .n_admins = 1,
				 .lang = POL_LANG_NL };

static pol_input input(pol_input_kind kind, const char *event_id, const char *sender,
		       const char *body, const char *thread_root)
{
	pol_input in;

	memset(&in, 0, sizeof in);
	in.kind = kind;
	in.room_id = "!r:localhost";
	in.event_id = event_id;
	in.sender = sender;
	in.body = body;
	in.thread_root = thread_root;
	in.room.kind = POL_ROOM_OTHER;
	return in;
}

/* The first action of kind, or NULL. */
static const pol_action *find(const pol_actions *out, pol_action_kind kind)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->items[i].kind == kind)
			return &out->items[i];
	return NULL;
}

Test(decide, joins_only_admin_invites)
{
	pol_input in = input(POL_IN_INVITE, NULL, "@admin:localhost", NULL, NULL);
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

Test(decide, direct_chats_to_sign_up_only_from_allowed_homeservers)
{
	pol_config c = cfg;
	pol_input in = input(POL_IN_INVITE, NULL, "@bewoner:localhost", NULL, NULL);
	pol_actions out;

	/* No list: the bot's own homeserver. */
	in.is_direct = 1;
	pol_decide(&c, &in, &out);
	cr_assert_eq(out.items[0].kind, POL_ACT_JOIN);
	in.sender = "@bewoner:elders.nl";
	pol_decide(&c, &in, &out);
	cr_assert_eq(out.items[0].kind, POL_ACT_DECLINE);
	c.signup_servers = "buurt.nl, elders.nl";
	pol_decide(&c, &in, &out);
	cr_assert_eq(out.items[0].kind, POL_ACT_JOIN);
	in.sender = "@bewoner:localhost";
	pol_decide(&c, &in, &out);
	cr_assert_eq(out.items[0].kind, POL_ACT_DECLINE, "the list replaces the default");
	in.sender = "@bewoner:sub.elders.nl";
	pol_decide(&c, &in, &out);
	cr_assert_eq(out.items[0].kind, POL_ACT_DECLINE);
	/* A group room stays admins-only. */
	in.sender = "@bewoner:elders.nl";
	in.is_direct = 0;
	pol_decide(&c, &in, &out);
	cr_assert_eq(out.items[0].kind, POL_ACT_DECLINE);
}

Test(decide, ping_gets_one_reply_notice_and_an_audit_row)
{
	pol_input in = input(POL_IN_MESSAGE, "$e1", "@anna:localhost", "!ping", NULL);
	pol_actions out;
	const pol_action *n, *a;

	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.n, 2);
	n = find(&out, POL_ACT_NOTICE);
	a = find(&out, POL_ACT_AUDIT);
	cr_assert_not_null(n);
	cr_assert_not_null(a);
	cr_assert_str_eq(n->reply_to, "$e1");
	cr_assert_null(n->thread_root);
	cr_assert_str_eq(n->notice.text, pol_text(POL_LANG_NL, POL_TXT_PONG));
	cr_assert_str_eq(a->audit.command, "!ping");
	cr_assert(a->audit.allowed);
}

Test(decide, ping_in_thread_answers_in_thread)
{
	pol_input in = input(POL_IN_MESSAGE, "$e2", "@anna:localhost", "!ping", "$root");
	pol_actions out;

	pol_decide(&cfg, &in, &out);
	cr_assert_str_eq(find(&out, POL_ACT_NOTICE)->thread_root, "$root");
}

Test(decide, help_shows_only_what_the_asker_may_use_here)
{
	pol_input in = input(POL_IN_MESSAGE, "$e1", "@anna:localhost", "!help", NULL);
	pol_actions out;
	const pol_action *n;

	pol_decide(&cfg, &in, &out);
	n = find(&out, POL_ACT_NOTICE);
	cr_assert_not_null(strstr(n->notice.text, pol_text(POL_LANG_NL, POL_TXT_HELP_PING)));
	cr_assert_null(strstr(n->notice.text, pol_text(POL_LANG_NL, POL_TXT_HELP_HERLAAD)),
		       "a resident is offered an operator command");
	/* The operator, in a direct chat, sees !herlaad and !status. */
	in.sender = "@admin:localhost";
	in.room.kind = POL_ROOM_DM;
	pol_decide(&cfg, &in, &out);
	n = find(&out, POL_ACT_NOTICE);
	cr_assert_not_null(strstr(n->notice.text, pol_text(POL_LANG_NL, POL_TXT_HELP_HERLAAD)));
	cr_assert_not_null(strstr(n->notice.text, pol_text(POL_LANG_NL, POL_TXT_HELP_STATUS)));
}

Test(decide, admin_command_by_a_resident_is_refused_with_reason_and_audited)
{
	pol_input in = input(POL_IN_MESSAGE, "$e1", "@anna:localhost", "!herlaad", NULL);
	pol_actions out;
	const pol_action *n, *a;

	pol_decide(&cfg, &in, &out);
	n = find(&out, POL_ACT_NOTICE);
	a = find(&out, POL_ACT_AUDIT);
	cr_assert_null(find(&out, POL_ACT_RELOAD), "a resident reloaded the structure");
	cr_assert_str_eq(n->notice.text, pol_text(POL_LANG_NL, POL_TXT_REFUSED_OPERATOR));
	cr_assert_not(a->audit.allowed);
	cr_assert_str_eq(a->audit.reason, pol_permission_name(POL_PERM_NEED_OPERATOR));
}

Test(decide, operator_reloads_and_asks_status_in_a_direct_chat)
{
	pol_input in = input(POL_IN_MESSAGE, "$e1", "@admin:localhost", "!herlaad", NULL);
	pol_actions out;

	in.room.kind = POL_ROOM_DM;
	pol_decide(&cfg, &in, &out);
	cr_assert_not_null(find(&out, POL_ACT_RELOAD));
	cr_assert(find(&out, POL_ACT_AUDIT)->audit.allowed);
	in.body = "!status";
	pol_decide(&cfg, &in, &out);
	cr_assert_not_null(find(&out, POL_ACT_STATUS));
	/* Not in a group room: there it is refused for the room. */
	in.room.kind = POL_ROOM_OTHER;
	pol_decide(&cfg, &in, &out);
	cr_assert_null(find(&out, POL_ACT_STATUS));
	cr_assert_not(find(&out, POL_ACT_AUDIT)->audit.allowed);
}

Test(decide, unknown_command_is_explained_in_english_too)
{
	pol_config en = cfg;
	pol_input in = input(POL_IN_MESSAGE, "$e1", "@anna:localhost", "!bestaatniet", NULL);
	pol_actions out;
	const pol_action *n;

	pol_decide(&cfg, &in, &out);
	n = find(&out, POL_ACT_NOTICE);
	cr_assert_not_null(strstr(n->notice.text, "!bestaatniet"));
	cr_assert_not_null(strstr(n->notice.text, "!help"));
	cr_assert_not(find(&out, POL_ACT_AUDIT)->audit.allowed);
	en.lang = POL_LANG_EN;
	pol_decide(&en, &in, &out);
	cr_assert_not_null(strstr(find(&out, POL_ACT_NOTICE)->notice.text, "I don't know"));
}

Test(decide, status_text_names_the_figures)
{
	pol_status st = { "9.9", 10, 1, 3, 2, 7, NULL, NULL, 0 };
	char buf[512];

	pol_status_text(POL_LANG_NL, &st, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "9.9"));
	cr_assert_not_null(strstr(buf, "10 kamers"));
	cr_assert_not_null(strstr(buf, "3 in de wachtrij"));
	cr_assert_not_null(strstr(buf, "7"));
}

Test(decide, status_names_the_room_versions_and_the_odd_rooms)
{
	const char *names[] = { "Gemeente", "Wijk A", "Wijkgroep Noord", "Regiegroep A" };
	const char *versions[] = { "12", "12", "10", "10" };
	pol_status st = { "9.9", 4, 1, 0, 0, 0, names, versions, 4 };
	char buf[1024];

	pol_status_text(POL_LANG_NL, &st, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "Kamerversie: 12 (2 kamers); 10: Wijkgroep Noord, Regiegroep A"), "%s", buf);
	versions[2] = "11";
	pol_status_text(POL_LANG_EN, &st, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "; 11: Wijkgroep Noord; 10: Regiegroep A"), "%s", buf);
	versions[0] = versions[1] = versions[2] = versions[3] = "12";
	pol_status_text(POL_LANG_NL, &st, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "Kamerversie: 12 (4 kamers)"), "%s", buf);
	cr_assert_null(strstr(buf, "Wijkgroep Noord"), "%s", buf);
}

Test(decide, ignores_itself_and_chatter)
{
	pol_input in = input(POL_IN_MESSAGE, "$e1", "@bot:localhost", "!ping", NULL);
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

static pol_structure *load_example(const char *name)
{
	char path[256], *text;
	FILE *f;
	long n;
	pol_structure *s = NULL;

	snprintf(path, sizeof path, "deploy/examples/%s", name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "run from the repository root: %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	cr_assert_eq(pol_structure_parse(&s, text, (size_t)n, NULL), 0);
	free(text);
	return s;
}

Test(decide, leden_only_for_the_managing_stuurgroep)
{
	pol_structure *s = load_example("zoomwijck-fase2.json");
	pol_input in = input(POL_IN_MESSAGE, "$e1", "@anna.stuur:localhost", "!leden", NULL);
	pol_actions out;
	const pol_action *a;

	in.structure = s;
	in.room.key = "stuurgroep:stuurgroep-zoomwijck";
	/* Noord manages three wijkgroepen: which one? */
	pol_decide(&cfg, &in, &out);
	cr_assert_null(find(&out, POL_ACT_MEMBERS));
	cr_assert_not_null(strstr(find(&out, POL_ACT_NOTICE)->notice.text, "Welke wijkgroep"));
	in.body = "!leden Wijkgroep Kerkebuurt";
	pol_decide(&cfg, &in, &out);
	a = find(&out, POL_ACT_MEMBERS);
	cr_assert_not_null(a);
	cr_assert_str_eq(a->answer.wijkgroep->id, "kerkebuurt");
	/* A wijkgroep of stuurgroep Zuid: not hers. */
	in.body = "!leden Wijkgroep Molenveld";
	pol_decide(&cfg, &in, &out);
	cr_assert_null(find(&out, POL_ACT_MEMBERS), "anna saw the members of another stuurgroep");
	cr_assert_not(find(&out, POL_ACT_AUDIT)->audit.allowed);
	/* A resident cannot ask at all. */
	in.sender = "@bewoner1:localhost";
	in.body = "!leden Wijkgroep Kerkebuurt";
	pol_decide(&cfg, &in, &out);
	cr_assert_null(find(&out, POL_ACT_MEMBERS));
	cr_assert_str_eq(find(&out, POL_ACT_NOTICE)->notice.text, pol_text(POL_LANG_NL, POL_TXT_REFUSED_STUURGROEPLID));
	pol_structure_free(s);
}

Test(text, quoted_lines_stay_quoted_and_fit)
{
	char buf[64], small[12];

	pol_quote_lines("Casus #999 uit Politie\r\nNEP\n\nklaar", buf, sizeof buf);
	cr_assert_str_eq(buf, "> Casus #999 uit Politie\n> NEP\n>\n> klaar");
	pol_quote_lines("", buf, sizeof buf);
	cr_assert_str_eq(buf, ">");
	/* Cut on a whole character: "é" is two bytes and is not split. */
	pol_quote_lines("abcdé\xc3\xa9\xc3\xa9\xc3\xa9", small, sizeof small);
	cr_assert_lt(strlen(small), sizeof small);
	cr_assert_not_null(strstr(small, "\xe2\x80\xa6"), "%s", small);
	cr_assert_eq(strncmp(small, "> abcd", 6), 0, "%s", small);
	pol_quote_lines("x", small, 1);
	cr_assert_str_eq(small, "");
}

Test(input, what_the_rules_read_of_a_message)
{
	cr_assert_str_eq(pol_message_body("m.text", "hoi"), "hoi");
	cr_assert_str_eq(pol_message_body("m.image", "foto.jpg"), "", "a photo is a melding without text");
	cr_assert_str_eq(pol_message_body("m.video", "v.mp4"), "");
	cr_assert_null(pol_message_body("m.notice", "!ping"), "a notice of another bot was read");
	cr_assert_null(pol_message_body("m.emote", "zwaait"));
	cr_assert_null(pol_message_body(NULL, "hoi"));
	cr_assert_null(pol_message_body("m.text", NULL));
}

Test(input, what_the_store_keeps_of_an_event)
{
	pol_input in;
	pol_keep k;

	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MESSAGE;
	in.room.key = "wijkgroep:noord";
	pol_keep_of(&in, &k);
	cr_assert_eq(k.kind, POL_KEEP_POST);
	cr_assert(k.top_level);
	in.thread_root = "$root";
	pol_keep_of(&in, &k);
	cr_assert_not(k.top_level, "a message in a thread counted as top-level");
	in.room.key = "stuurgroep:sg";
	pol_keep_of(&in, &k);
	cr_assert_eq(k.kind, POL_KEEP_NOTHING);
	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MEMBER;
	in.room.kind = POL_ROOM_DM;
	in.room.dm_user = "@eve:x";
	in.target = "@eve:x";
	in.membership = "join";
	pol_keep_of(&in, &k);
	cr_assert_eq(k.kind, POL_KEEP_DELIVER_NOTES);
	in.target = "@bot:x";
	pol_keep_of(&in, &k);
	cr_assert_eq(k.kind, POL_KEEP_NOTHING, "someone else joining delivered the notes");
}

Test(input, cap_count_is_unknown_when_a_count_is)
{
	cr_assert_eq(pol_cap_count(3, 2), 5);
	cr_assert_eq(pol_cap_count(-1, 2), -1);
	cr_assert_eq(pol_cap_count(3, -1), -1);
}

Test(members, who_has_not_accepted_the_current_spelregels_is_marked)
{
	pol_wijkgroep wg;
	const char *joined[] = { "@a:x", "@b:x", "@c:x" };
	pol_member_note notes[3];
	char version[17], buf[2048];
	const char *b, *c, *mark;

	memset(&wg, 0, sizeof wg);
	wg.naam = "Wijkgroep Noord";
	wg.limiet = 10;
	memset(notes, 0, sizeof notes);
	pol_spelregels_version(pol_spelregels_of(NULL, POL_LANG_NL), version);
	notes[0].accepted = version;
	notes[1].accepted = "0000000000000000";
	notes[2].accepted = NULL;   /* no record: nothing to say */
	pol_members_text(POL_LANG_NL, &wg, joined, 3, NULL, 0, notes, buf, sizeof buf);
	b = strstr(buf, "@b:x");
	c = strstr(buf, "@c:x");
	cr_assert_not_null(b);
	cr_assert_not_null(c);
	mark = strstr(buf, "nog niet geaccepteerd");
	/* Only @b's line: @a accepted this version, @c has no record. */
	cr_assert(mark && mark > b && mark < c, "%s", buf);
	cr_assert_null(strstr(c, "nog niet geaccepteerd"), "%s", buf);
}
