/* Unit tests of policy/pol_aanmelding: every step of the sign-up questions,
 * refused answers, !stop at every step, resuming after a pause, and the
 * state surviving a restart (JSON round trip) at every step. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/pol_aanmelding.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"spelregels\":\"Eigen regels van het dorp.\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[{\"naam\":\"Noord\",\"postcodes\":[\"1234AA-1234MZ\"]}]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[{\"naam\":\"Zuid\",\"postcodes\":[\"1234NA-1234ZZ\",\"1235\"]}]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@a:localhost\",\"@b:localhost\",\"@c:localhost\"]," \
	"\"telefoonbeheerder\":\"@a:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}]}"

static pol_structure *s;
static char reply[20000];

static void setup(void)
{
	cr_assert_eq(pol_structure_parse(&s, STRUCTURE, strlen(STRUCTURE), NULL), 0);
}

static void teardown(void)
{
	pol_structure_free(s);
}

TestSuite(aanmelding, .init = setup, .fini = teardown);

/* Answers text and asserts the outcome and a piece of the reply. */
static void say(pol_intake *st, const char *text, pol_intake_outcome want, const char *needle)
{
	pol_intake_outcome o = pol_intake_answer(s, st, text, POL_LANG_NL, reply, sizeof reply);

	cr_assert_eq(o, want, "answer \"%s\": outcome %d, not %d (%s)", text, o, want, reply);
	if (needle)
		cr_assert_not_null(strstr(reply, needle), "answer \"%s\": \"%s\" missing in: %s", text, needle, reply);
}

/* A restart between every two answers: the state goes through JSON. */
static void restart(pol_intake *st)
{
	char json[4096];
	pol_intake back;

	cr_assert_eq(pol_intake_to_json(st, json, sizeof json), 0);
	cr_assert_eq(pol_intake_from_json(&back, json), 0, "%s", json);
	cr_assert_eq(memcmp(&back, st, sizeof back), 0, "the state changed through JSON: %s", json);
	*st = back;
}

Test(aanmelding, every_step_in_order_with_a_restart_between_each)
{
	pol_intake st;

	pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
	cr_assert_not_null(strstr(reply, "!stop"));
	cr_assert_not_null(strstr(reply, "Wat is je naam?"));
	restart(&st);
	say(&st, "  Jan Jansen  ", POL_INTAKE_CONTINUE, "postcode");
	cr_assert_str_eq(st.name, "Jan Jansen");
	restart(&st);
	say(&st, "1234 ab", POL_INTAKE_CONTINUE, "Dat is buurt Noord, wijkgroep Wijkgroep Noord");
	cr_assert_str_eq(st.wijkgroep, "noord");
	restart(&st);
	say(&st, "+31 6-1234 5678", POL_INTAKE_CONTINUE, "18 jaar of ouder en woon je in Dorp");
	cr_assert_str_eq(st.phone, "+31612345678");
	restart(&st);
	say(&st, "Ja", POL_INTAKE_CONTINUE, "Eigen regels van het dorp.");
	restart(&st);
	say(&st, "akkoord", POL_INTAKE_COMPLETE, NULL);
	cr_assert_eq(st.step, POL_INTAKE_DONE);
	cr_assert_eq(strlen(st.spelregels_version), 8);
	restart(&st);
}

Test(aanmelding, refused_answers_ask_again_and_keep_the_step)
{
	pol_intake st;
	char long_answer[400];

	pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
	say(&st, "J", POL_INTAKE_INVALID, "2 tot 100 tekens");
	say(&st, "Jan \xe2\x80\xaenesnaJ", POL_INTAKE_INVALID, "2 tot 100 tekens");
	say(&st, "1234", POL_INTAKE_INVALID, "naam");
	memset(long_answer, 'x', sizeof long_answer - 1);
	long_answer[sizeof long_answer - 1] = '\0';
	say(&st, long_answer, POL_INTAKE_INVALID, "te lang");
	cr_assert_eq(st.step, POL_INTAKE_NAME);
	say(&st, "Jan", POL_INTAKE_CONTINUE, NULL);
	say(&st, "", POL_INTAKE_INVALID, "postcode");
	say(&st, "1235", POL_INTAKE_CONTINUE, "Zuid");
	say(&st, "bel me maar", POL_INTAKE_INVALID, "geen telefoonnummer");
	say(&st, "123", POL_INTAKE_INVALID, "10 tot 15 cijfers");
	say(&st, "nee", POL_INTAKE_CONTINUE, "18 jaar");
	cr_assert_str_eq(st.phone, "");
	say(&st, "misschien", POL_INTAKE_INVALID, "ja of nee");
	say(&st, "j", POL_INTAKE_CONTINUE, "akkoord");
	say(&st, "ok", POL_INTAKE_INVALID, "Typ akkoord");
	cr_assert_eq(st.step, POL_INTAKE_AKKOORD);
	say(&st, "Akkoord", POL_INTAKE_COMPLETE, NULL);
}

Test(aanmelding, an_unknown_postcode_offers_the_buurten_by_number_and_name)
{
	pol_intake st;

	pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
	say(&st, "Jan", POL_INTAKE_CONTINUE, NULL);
	say(&st, "9999 ZZ", POL_INTAKE_CONTINUE, "1. Noord (Wijkgroep Noord)");
	cr_assert_not_null(strstr(reply, "2. Zuid (Wijkgroep Zuid)"));
	cr_assert_not_null(strstr(reply, "!stop"));
	cr_assert_eq(st.step, POL_INTAKE_CHOOSE_BUURT);
	say(&st, "7", POL_INTAKE_INVALID, "1. Noord");
	say(&st, "zuid", POL_INTAKE_CONTINUE, "Dat is buurt Zuid");
	cr_assert_str_eq(st.wijkgroep, "zuid");

	pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
	say(&st, "Jan", POL_INTAKE_CONTINUE, NULL);
	say(&st, "Nergenshuizen", POL_INTAKE_CONTINUE, "Kies je buurt");
	say(&st, "1", POL_INTAKE_CONTINUE, "Dat is buurt Noord");
}

Test(aanmelding, a_postcode_spanning_two_wijkgroepen_asks_for_the_full_one)
{
	pol_intake st;

	pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
	say(&st, "Jan", POL_INTAKE_CONTINUE, NULL);
	say(&st, "1234", POL_INTAKE_CONTINUE, "volledige postcode");
	cr_assert_eq(st.step, POL_INTAKE_CHOOSE_BUURT);
	say(&st, "1234 PQ", POL_INTAKE_CONTINUE, "Dat is buurt Zuid");
}

Test(aanmelding, stop_at_every_step_clears_everything)
{
	static const char *const answers[] = { "Jan Jansen", "1235", "0612345678", "ja" };
	size_t k, i;
	pol_intake st, zero;

	memset(&zero, 0, sizeof zero);
	for (k = 0; k <= 4; k++) {
		pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
		for (i = 0; i < k; i++)
			say(&st, answers[i], POL_INTAKE_CONTINUE, NULL);
		say(&st, i % 2 ? "!stop" : "STOP", POL_INTAKE_ABANDONED, "gewist");
		cr_assert_eq(memcmp(&st, &zero, sizeof st), 0, "something stayed after !stop at step %zu", k);
	}
}

Test(aanmelding, not_adult_or_not_living_here_ends_politely_and_clears)
{
	pol_intake st;

	pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
	say(&st, "Jan", POL_INTAKE_CONTINUE, NULL);
	say(&st, "1235", POL_INTAKE_CONTINUE, NULL);
	say(&st, "nee", POL_INTAKE_CONTINUE, NULL);
	say(&st, "nee", POL_INTAKE_ABANDONED, "volwassen bewoners");
	cr_assert_str_eq(st.name, "");
}

Test(aanmelding, resume_repeats_only_the_open_question)
{
	pol_intake st;

	pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
	say(&st, "Jan", POL_INTAKE_CONTINUE, NULL);
	say(&st, "1235", POL_INTAKE_CONTINUE, NULL);
	pol_intake_resume(s, &st, POL_LANG_NL, reply, sizeof reply);
	cr_assert_not_null(strstr(reply, "Welkom terug"));
	cr_assert_not_null(strstr(reply, "telefoonnummer"));
	cr_assert_null(strstr(reply, "naam"), "an answered question came again: %s", reply);
	cr_assert_null(strstr(reply, "postcode"), "an answered question came again: %s", reply);
}

Test(aanmelding, garbage_state_is_refused_not_trusted)
{
	pol_intake st;

	cr_assert_eq(pol_intake_from_json(&st, NULL), -1);
	cr_assert_eq(pol_intake_from_json(&st, "nonsense"), -1);
	cr_assert_eq(pol_intake_from_json(&st, "{\"versie\":2}"), -1);
	cr_assert_eq(pol_intake_from_json(&st, "{\"versie\":1,\"stap\":\"vliegen\",\"naam\":\"\",\"adres\":\"\","
					       "\"wijkgroep\":\"\",\"buurt\":\"\",\"telefoon\":\"\",\"spelregels\":\"\"}"), -1);
	cr_assert_eq(pol_intake_from_json(&st, "{\"versie\":1,\"stap\":\"naam\",\"naam\":7}"), -1);
}

Test(aanmelding, the_stuurgroep_sees_only_what_it_needs)
{
	pol_intake st;
	char sg[1000], own[1000];

	pol_intake_start(&st, POL_LANG_NL, reply, sizeof reply);
	say(&st, "Jan Jansen", POL_INTAKE_CONTINUE, NULL);
	say(&st, "1235 XY", POL_INTAKE_CONTINUE, NULL);
	say(&st, "0612345678", POL_INTAKE_CONTINUE, NULL);
	say(&st, "ja", POL_INTAKE_CONTINUE, NULL);
	say(&st, "akkoord", POL_INTAKE_COMPLETE, NULL);
	pol_intake_summary(&st, POL_LANG_NL, sg, sizeof sg, 1);
	pol_intake_summary(&st, POL_LANG_NL, own, sizeof own, 0);
	cr_assert_not_null(strstr(sg, "Jan Jansen"));
	cr_assert_not_null(strstr(sg, "0612345678"));
	cr_assert_null(strstr(sg, "1235 XY"), "the exact postcode is more than the stuurgroep needs: %s", sg);
	cr_assert_not_null(strstr(own, "1235 XY"), "the resident sees everything stored: %s", own);
}

Test(aanmelding, english_too_and_spelregels_versions)
{
	pol_intake st;
	char v1[17], v2[17];

	pol_intake_start(&st, POL_LANG_EN, reply, sizeof reply);
	cr_assert_not_null(strstr(reply, "What is your name?"));
	pol_spelregels_version("regel 1", v1);
	pol_spelregels_version("regel 2", v2);
	cr_assert_str_neq(v1, v2);
	pol_spelregels_version("regel 1", v2);
	cr_assert_str_eq(v1, v2);
	cr_assert_not_null(strstr(pol_spelregels_of(NULL, POL_LANG_NL), "112"));
	cr_assert_not_null(strstr(pol_spelregels_of(NULL, POL_LANG_NL), "afkomst"));
}
