/* Unit tests of the website admission plan (policy/pol_web_admit.c):
 * !toelaten of an application that came in through the website (its
 * user the placeholder "web:<id>") plans a code, not an invite, and tells
 * the stuurgroep what comes; a chat application still plans an invite;
 * past the cap both go on the waiting list. And what a code sent in a
 * direct chat leads to (policy/pol_web_code.c): the limit on wrong codes,
 * the answers, in or onto the waiting list. Pure: facts are stubs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "policy/pol_engine.h"
#include "policy/pol_web.h"
#include "policy/pol_web_admit.h"
#include "policy/pol_web_code.h"
#include "unit_facts.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"Noord\"],\"limiet\":2}]," \
	"\"stuurgroepen\":[{\"id\":\"een\",\"naam\":\"Stuurgroep Een\",\"leden\":[\"@a:x\",\"@b:x\"]," \
	"\"telefoonbeheerder\":\"@a:x\",\"beheert\":[\"noord\"]}]}]}"

static pol_structure *st;
static pol_actions out;
static const char *app_user;

static int f_application(void *ctx, long long nr, pol_application *app)
{
	(void)ctx;
	memset(app, 0, sizeof *app);
	app->nr = nr;
	snprintf(app->user, sizeof app->user, "%s", app_user);
	snprintf(app->wijkgroep_key, sizeof app->wijkgroep_key, "wijkgroep:noord");
	snprintf(app->state, sizeof app->state, "open");
	return 0;
}

static void setup(void)
{
	cr_assert_eq(pol_structure_parse(&st, STRUCTURE, strlen(STRUCTURE), NULL), 0);
	cap_now = 0;
}

static void teardown(void)
{
	pol_structure_free(st);
}

TestSuite(web_admit, .init = setup, .fini = teardown);
TestSuite(web_code, .init = setup, .fini = teardown);

static void toelaten(pol_lang lang)
{
	pol_facts facts = { 0 };
	pol_config cfg = { 0 };
	pol_input in = { 0 };

	unit_facts_fill(&facts);
	facts.application = f_application;
	cfg.bot_user_id = "@bot:x";
	cfg.lang = lang;
	cfg.web_code_hours = 168;
	in.kind = POL_IN_MESSAGE;
	in.room_id = "!sg:x";
	in.event_id = "$ev";
	in.sender = "@a:x";
	in.body = "!toelaten 12";
	in.structure = st;
	in.facts = &facts;
	in.room.key = "stuurgroep:een";
	pol_decide(&cfg, &in, &out);
}

static const pol_action *find(pol_action_kind kind)
{
	for (size_t i = 0; i < out.n; i++)
		if (out.items[i].kind == kind)
			return &out.items[i];
	return NULL;
}

Test(web_admit, a_website_application_gets_a_code_not_an_invite)
{
	const pol_action *a, *n;
	char want[POL_TEXT_MAX];

	app_user = "web:7";
	toelaten(POL_LANG_NL);
	cr_assert_null(find(POL_ACT_INVITE), "a placeholder was invited");
	cr_assert_not_null(a = find(POL_ACT_WEB_ADMIT));
	cr_assert_eq(a->web_admit.web_id, 7);
	cr_assert_eq(a->web_admit.nr, 12);
	cr_assert_str_eq(a->web_admit.user, "web:7");
	cr_assert_str_eq(a->web_admit.room_key, "wijkgroep:noord");
	cr_assert_eq(a->web_admit.code_hours, 168);
	cr_assert(a->web_admit.leaves_waitlist);
	/* the stuurgroep hears that the invitation waits for the code */
	n = NULL;
	for (size_t i = 0; i < out.n; i++)
		if (out.items[i].kind == POL_ACT_NOTICE && strcmp(out.items[i].notice.room_key, "stuurgroep:een") == 0)
			n = &out.items[i];
	cr_assert_not_null(n);
	cr_assert_null(n->room_id);
	pol_web_textf(want, sizeof want, POL_LANG_NL, POL_WEB_TXT_ADMITTED_SG, 12LL, 168L);
	cr_assert_str_eq(n->notice.text, want);
	/* and the application is decided, before the answer says so */
	cr_assert_not_null(a = find(POL_ACT_APP_DECIDE));
	cr_assert_str_eq(a->decide.state, "admitted");
	cr_assert_str_eq(a->decide.user, "web:7");
	cr_assert(strstr(out.items[1].notice.text, "12"), "%s", out.items[1].notice.text);
	/* in English too */
	toelaten(POL_LANG_EN);
	cr_assert_not_null(find(POL_ACT_WEB_ADMIT));
	pol_web_textf(want, sizeof want, POL_LANG_EN, POL_WEB_TXT_ADMITTED_SG, 12LL, 168L);
	a = NULL;
	for (size_t i = 0; i < out.n; i++)
		if (out.items[i].kind == POL_ACT_NOTICE && strcmp(out.items[i].notice.text, want) == 0)
			a = &out.items[i];
	cr_assert_not_null(a, "no English notice to the stuurgroep");
}

Test(web_admit, a_chat_application_is_still_invited)
{
	const pol_action *a;

	app_user = "@eve:x";
	toelaten(POL_LANG_NL);
	cr_assert_null(find(POL_ACT_WEB_ADMIT));
	cr_assert_not_null(a = find(POL_ACT_INVITE));
	cr_assert_str_eq(a->invite.user, "@eve:x");
}

Test(web_admit, past_the_cap_a_website_application_waits_like_any_other)
{
	const pol_action *a;

	app_user = "web:7";
	cap_now = 2;
	toelaten(POL_LANG_NL);
	cr_assert_null(find(POL_ACT_WEB_ADMIT));
	cr_assert_null(find(POL_ACT_INVITE));
	cr_assert_not_null(a = find(POL_ACT_WAITLIST_ADD));
	cr_assert_str_eq(a->waitlist.user, "web:7");
}

Test(web_admit, only_placeholders_are_from_the_web)
{
	pol_application app;

	memset(&app, 0, sizeof app);
	snprintf(app.user, sizeof app.user, "web:12");
	cr_assert(pol_app_from_web(&app));
	snprintf(app.user, sizeof app.user, "@web:12");
	cr_assert_not(pol_app_from_web(&app));
	snprintf(app.user, sizeof app.user, "web:");
	cr_assert_not(pol_app_from_web(&app));
}

/* ---- a code sent in a direct chat ---- */

Test(web_code, only_a_code_in_a_direct_chat_from_someone_else)
{
	pol_input in = { 0 };
	char code[POL_WEB_CODE_LEN + 1];

	in.kind = POL_IN_MESSAGE;
	in.room.kind = POL_ROOM_DM;
	in.sender = "@eve:x";
	in.body = " 7bcd efgh ";
	cr_assert(pol_web_code_message(&in, "@bot:x", code, sizeof code));
	cr_assert_str_eq(code, "7BCD-EFGH");
	in.sender = "@bot:x";
	cr_assert_not(pol_web_code_message(&in, "@bot:x", code, sizeof code), "the bot's own message");
	in.sender = "@eve:x";
	in.room.kind = POL_ROOM_WIJKGROEP;
	cr_assert_not(pol_web_code_message(&in, "@bot:x", code, sizeof code), "not in a direct chat");
	in.room.kind = POL_ROOM_DM;
	in.body = "Eva Jansen";
	cr_assert_not(pol_web_code_message(&in, "@bot:x", code, sizeof code), "a name is no code");
}

Test(web_code, five_wrong_codes_an_hour_then_not_even_the_right_one_is_looked_up)
{
	pol_web_tries t = { 0, 0 };
	char buf[600], want[600];
	const long long T0 = 1767225600LL;
	int i;

	for (i = 0; i < POL_WEB_CODE_TRIES; i++) {
		cr_assert(pol_web_code_allowed(&t, T0 + i, POL_LANG_NL, buf, sizeof buf), "try %d refused", i);
		cr_assert_eq(pol_web_code_found(POL_LANG_NL, st, &t, 0, NULL, buf, sizeof buf), POL_WEB_CODE_UNKNOWN);
		cr_assert_str_eq(buf, pol_web_text(POL_LANG_NL, POL_WEB_TXT_CODE_UNKNOWN));
	}
	cr_assert_not(pol_web_code_allowed(&t, T0 + 10, POL_LANG_NL, buf, sizeof buf));
	pol_web_textf(want, sizeof want, POL_LANG_NL, POL_WEB_TXT_CODE_TOO_MANY, POL_WEB_CODE_TRIES, 60);
	cr_assert_str_eq(buf, want);
	cr_assert_not(pol_web_code_allowed(&t, T0 + POL_WEB_CODE_WINDOW_S - 1, POL_LANG_EN, buf, sizeof buf));
	pol_web_textf(want, sizeof want, POL_LANG_EN, POL_WEB_TXT_CODE_TOO_MANY, POL_WEB_CODE_TRIES, 1);
	cr_assert_str_eq(buf, want);
	/* an hour after the first wrong one: a new window */
	cr_assert(pol_web_code_allowed(&t, T0 + POL_WEB_CODE_WINDOW_S, POL_LANG_NL, buf, sizeof buf));
	cr_assert_eq(t.wrong, 0);
}

Test(web_code, a_resident_is_told_where_they_live_and_a_right_code_is_taken)
{
	pol_web_tries t = { 0, 0 };
	char buf[600], want[600];

	cr_assert_eq(pol_web_code_found(POL_LANG_NL, st, &t, 1, "wijkgroep:noord", buf, sizeof buf),
		     POL_WEB_CODE_ELSEWHERE);
	pol_web_textf(want, sizeof want, POL_LANG_NL, POL_WEB_TXT_CODE_ELSEWHERE, "Wijkgroep Noord");
	cr_assert_str_eq(buf, want);
	cr_assert_eq(t.wrong, 0, "a right code counted as wrong");
	cr_assert_eq(pol_web_code_found(POL_LANG_NL, st, &t, 1, NULL, buf, sizeof buf), POL_WEB_CODE_TAKE);
}

static pol_web_link_facts link_facts(long count)
{
	pol_web_link_facts f;

	memset(&f, 0, sizeof f);
	f.nr = 12;
	f.user = "@eve:x";
	f.wijkgroep_key = "wijkgroep:noord";
	f.room_made = 1;
	f.count = count;
	f.wait_length = 3;
	f.buurt = "Noord";
	return f;
}

Test(web_code, linked_with_room_the_account_is_invited)
{
	pol_web_link_facts f = link_facts(1);
	pol_web_link_plan p;
	char want[POL_TEXT_MAX];

	pol_web_link(POL_LANG_NL, st, &f, &p);
	cr_assert_eq(p.kind, POL_WEB_LINK_INVITE);
	cr_assert_eq(p.invite.kind, POL_ACT_INVITE);
	cr_assert_str_eq(p.invite.invite.user, "@eve:x");
	cr_assert_str_eq(p.invite.invite.room_key, "wijkgroep:noord");
	cr_assert_str_eq(p.invite.invite.buurt, "Noord");
	cr_assert(p.invite.invite.becomes_resident && p.invite.invite.leaves_waitlist);
	cr_assert_str_eq(p.sg_key, "stuurgroep:een");
	pol_web_textf(want, sizeof want, POL_LANG_NL, POL_WEB_TXT_LINKED_SG, 12LL, "@eve:x", "Wijkgroep Noord");
	cr_assert_str_eq(p.sg_text, want);
	pol_web_textf(want, sizeof want, POL_LANG_NL, POL_WEB_TXT_CODE_OK, "Wijkgroep Noord");
	cr_assert_str_eq(p.reply, want);
	pol_web_link(POL_LANG_EN, st, &f, &p);
	pol_web_textf(want, sizeof want, POL_LANG_EN, POL_WEB_TXT_CODE_OK, "Wijkgroep Noord");
	cr_assert_str_eq(p.reply, want);
}

Test(web_code, full_or_unknown_the_account_waits_at_its_place)
{
	pol_web_link_facts f = link_facts(2);   /* limiet 2 */
	pol_web_link_plan p;
	char want[POL_TEXT_MAX];

	pol_web_link(POL_LANG_NL, st, &f, &p);
	cr_assert_eq(p.kind, POL_WEB_LINK_WAIT);
	cr_assert_str_eq(p.wait_key, "wijkgroep:noord");
	pol_web_textf(want, sizeof want, POL_LANG_NL, POL_WEB_TXT_CODE_WAITING, "Wijkgroep Noord", 4L);
	cr_assert_str_eq(p.reply, want, "at the end of a list of three");
	pol_web_textf(want, sizeof want, POL_LANG_NL, POL_WEB_TXT_LINKED_WAITING_SG, 12LL, "@eve:x", "Wijkgroep Noord",
		      4L);
	cr_assert_str_eq(p.sg_text, want);
	f.wait_position = 2;
	pol_web_link(POL_LANG_EN, st, &f, &p);
	pol_web_textf(want, sizeof want, POL_LANG_EN, POL_WEB_TXT_CODE_WAITING, "Wijkgroep Noord", 2L);
	cr_assert_str_eq(p.reply, want, "already on it: keeps its place");
	f = link_facts(-1);
	pol_web_link(POL_LANG_NL, st, &f, &p);
	cr_assert_eq(p.kind, POL_WEB_LINK_WAIT, "an unknown count let someone in");
}

Test(web_code, a_wijkgroep_gone_only_answers)
{
	pol_web_link_facts f = link_facts(0);
	pol_web_link_plan p;

	f.room_made = 0;
	pol_web_link(POL_LANG_NL, st, &f, &p);
	cr_assert_eq(p.kind, POL_WEB_LINK_GONE);
	cr_assert_str_eq(p.reply, pol_web_text(POL_LANG_NL, POL_WEB_TXT_CODE_UNKNOWN));
	cr_assert_str_eq(p.sg_text, "");
	f = link_facts(0);
	f.wijkgroep_key = "wijkgroep:weg";
	pol_web_link(POL_LANG_NL, st, &f, &p);
	cr_assert_eq(p.kind, POL_WEB_LINK_GONE);
}

Test(web_code, the_status_page_sees_code_and_token_only_while_admitted)
{
	pol_web_status ws;

	pol_web_status_of("admitted", "7BCD-EFGH", "tok", 0, &ws);
	cr_assert(ws.offer);
	cr_assert_str_eq(ws.code, "7BCD-EFGH");
	cr_assert_str_eq(ws.token, "tok");
	pol_web_status_of("admitted", "7BCD-EFGH", NULL, 1, &ws);
	cr_assert_str_eq(ws.token, "-", "no token will come");
	pol_web_status_of("admitted", "7BCD-EFGH", NULL, 0, &ws);
	cr_assert_null(ws.token, "a token still to come");
	pol_web_status_of("linked", "7BCD-EFGH", "tok", 0, &ws);
	cr_assert_not(ws.offer);
	cr_assert_null(ws.code);
	cr_assert_null(ws.token);
	pol_web_status_of("admitted", NULL, "tok", 0, &ws);
	cr_assert_not(ws.offer, "no code, nothing to offer");
	cr_assert_null(ws.token);
}
