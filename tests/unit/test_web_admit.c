/* Unit tests of the website admission plan (policy/pol_web_admit.c):
 * !toelaten of an application that came in through the website (its
 * user the placeholder "web:<id>") plans a code, not an invite, and tells
 * the stuurgroep what comes; a chat application still plans an invite;
 * past the cap both go on the waiting list. Pure: facts are stubs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "policy/pol_engine.h"
#include "policy/pol_web.h"
#include "policy/pol_web_admit.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"Noord\"],\"limiet\":2}]," \
	"\"stuurgroepen\":[{\"id\":\"een\",\"naam\":\"Stuurgroep Een\",\"leden\":[\"@a:x\",\"@b:x\"]," \
	"\"telefoonbeheerder\":\"@a:x\",\"beheert\":[\"noord\"]}]}]}"

static pol_structure *st;
static pol_actions out;
static long cap_now;
static const char *app_user;

static long f_cap(void *ctx, const char *room_key)
{
	(void)ctx;
	(void)room_key;
	return cap_now;
}

static int f_wijkgroep_of(void *ctx, const char *user, char *buf, size_t size)
{
	(void)ctx;
	(void)user;
	(void)buf;
	(void)size;
	return -1;
}

static long f_position(void *ctx, const char *room_key, const char *user)
{
	(void)ctx;
	(void)room_key;
	(void)user;
	return 0;
}

static long f_length(void *ctx, const char *room_key)
{
	(void)ctx;
	(void)room_key;
	return 0;
}

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

static void toelaten(pol_lang lang)
{
	pol_facts facts = { 0 };
	pol_config cfg = { 0 };
	pol_input in = { 0 };

	facts.cap_count = f_cap;
	facts.wijkgroep_of = f_wijkgroep_of;
	facts.waitlist_position = f_position;
	facts.waitlist_length = f_length;
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
