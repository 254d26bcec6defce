/* Unit tests of the application reminder's rule (policy/pol_signup_remind.c):
 * due exactly when it waited application_reminder_hours, into the
 * stuurgroep room of its wijkgroep, in Dutch or English; an application
 * whose wijkgroep is gone is dropped without a word. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "policy/pol_signup_remind.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna:x\",\"@bram:x\"],\"telefoonbeheerder\":\"@anna:x\",\"beheert\":[\"noord\"]}]}]}"

#define T0 1767225600LL
#define HOUR 3600LL

static pol_structure *s;

static void setup(void)
{
	cr_assert_eq(pol_structure_parse(&s, STRUCTURE, strlen(STRUCTURE), NULL), 0);
}

static void teardown(void)
{
	pol_structure_free(s);
}

TestSuite(remind, .init = setup, .fini = teardown);

Test(remind, due_after_the_reminder_time_not_a_second_before)
{
	pol_app_open app = { 7, "wijkgroep:noord", T0 };
	pol_remind_plan p;

	pol_app_reminder(POL_LANG_NL, s, 48, T0 + 48 * HOUR - 1, &app, &p);
	cr_assert_eq(p.kind, POL_REMIND_NOT_YET);
	cr_assert_str_eq(p.text, "");
	pol_app_reminder(POL_LANG_NL, s, 48, T0 + 48 * HOUR, &app, &p);
	cr_assert_eq(p.kind, POL_REMIND_SEND);
	cr_assert_str_eq(p.room_key, "stuurgroep:stuur");
	cr_assert(strstr(p.text, "7") && strstr(p.text, "Wijkgroep Noord") && strstr(p.text, "48"), "%s", p.text);
	cr_assert(strstr(p.text, "!toelaten 7") && strstr(p.text, "!afwijzen 7"), "%s", p.text);
	/* another setting moves the moment */
	pol_app_reminder(POL_LANG_NL, s, 2, T0 + 2 * HOUR, &app, &p);
	cr_assert_eq(p.kind, POL_REMIND_SEND);
	pol_app_reminder(POL_LANG_NL, s, 2, T0 + 2 * HOUR - 1, &app, &p);
	cr_assert_eq(p.kind, POL_REMIND_NOT_YET);
}

Test(remind, speaks_the_configured_language)
{
	pol_app_open app = { 3, "wijkgroep:noord", T0 };
	pol_remind_plan nl, en;

	pol_app_reminder(POL_LANG_NL, s, 48, T0 + 50 * HOUR, &app, &nl);
	pol_app_reminder(POL_LANG_EN, s, 48, T0 + 50 * HOUR, &app, &en);
	cr_assert_eq(en.kind, POL_REMIND_SEND);
	cr_assert_str_neq(nl.text, en.text);
	{
		char want[POL_TEXT_MAX];

		pol_textf(want, sizeof want, POL_LANG_EN, POL_TXT_APP_REMINDER, 3LL, "Wijkgroep Noord", 48L, 3LL, 3LL);
		cr_assert_str_eq(en.text, want);
		pol_textf(want, sizeof want, POL_LANG_NL, POL_TXT_APP_REMINDER, 3LL, "Wijkgroep Noord", 48L, 3LL, 3LL);
		cr_assert_str_eq(nl.text, want);
	}
}

Test(remind, a_wijkgroep_gone_drops_it_without_a_word)
{
	pol_app_open app = { 9, "wijkgroep:verdwenen", T0 };
	pol_remind_plan p;

	pol_app_reminder(POL_LANG_NL, s, 48, T0 + 49 * HOUR, &app, &p);
	cr_assert_eq(p.kind, POL_REMIND_DROP);
	cr_assert_str_eq(p.text, "");
	pol_app_reminder(POL_LANG_NL, NULL, 48, T0 + 49 * HOUR, &app, &p);
	cr_assert_eq(p.kind, POL_REMIND_DROP, "no structure");
	pol_app_reminder(POL_LANG_NL, s, 48, T0 + 47 * HOUR, &app, &p);
	cr_assert_eq(p.kind, POL_REMIND_NOT_YET, "not due is not dropped either");
}
