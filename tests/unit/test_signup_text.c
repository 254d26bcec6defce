/* Unit tests of the sign-up words that need the store first
 * (policy/pol_signup_text.c): the stuurgroep's notice of a new
 * application and the !mijngegevens answer, in Dutch and English. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "policy/pol_aanmelding.h"
#include "policy/pol_signup_text.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"Noord\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"een\",\"naam\":\"Stuurgroep Een\",\"leden\":[\"@a:x\",\"@b:x\"]," \
	"\"telefoonbeheerder\":\"@a:x\",\"beheert\":[\"noord\"]}]}]}"

static pol_structure *s;
static char json[4096];
static char buf[4096];

static void setup(void)
{
	pol_intake it;

	cr_assert_eq(pol_structure_parse(&s, STRUCTURE, strlen(STRUCTURE), NULL), 0);
	memset(&it, 0, sizeof it);
	it.step = POL_INTAKE_DONE;
	snprintf(it.name, sizeof it.name, "Jan Jansen");
	snprintf(it.address, sizeof it.address, "Noord");
	snprintf(it.wijkgroep, sizeof it.wijkgroep, "noord");
	snprintf(it.buurt, sizeof it.buurt, "Noord");
	snprintf(it.phone, sizeof it.phone, "0612345678");
	it.adult = 1;
	snprintf(it.spelregels_version, sizeof it.spelregels_version, "00ab");
	cr_assert_eq(pol_intake_to_json(&it, json, sizeof json), 0);
}

static void teardown(void)
{
	pol_structure_free(s);
}

TestSuite(signup_text, .init = setup, .fini = teardown);

Test(signup_text, the_stuurgroep_hears_of_a_new_application)
{
	char key[64], want[4096], summary[2048];
	pol_intake it;

	cr_assert_eq(pol_app_notice(POL_LANG_NL, s, "wijkgroep:noord", json, 7, key, sizeof key, buf, sizeof buf), 0);
	cr_assert_str_eq(key, "stuurgroep:een");
	cr_assert_eq(pol_intake_from_json(&it, json), 0);
	pol_intake_summary(&it, POL_LANG_NL, summary, sizeof summary, 1);
	pol_textf(want, sizeof want, POL_LANG_NL, POL_TXT_APP_NOTICE, 7LL, "Wijkgroep Noord", summary, 7LL, 7LL);
	cr_assert_str_eq(buf, want);
	cr_assert(strstr(buf, "Jan Jansen"), "%s", buf);
	cr_assert_eq(pol_app_notice(POL_LANG_EN, s, "wijkgroep:noord", json, 7, key, sizeof key, buf, sizeof buf), 0);
	pol_intake_summary(&it, POL_LANG_EN, summary, sizeof summary, 1);
	pol_textf(want, sizeof want, POL_LANG_EN, POL_TXT_APP_NOTICE, 7LL, "Wijkgroep Noord", summary, 7LL, 7LL);
	cr_assert_str_eq(buf, want);
	cr_assert_neq(pol_app_notice(POL_LANG_NL, s, "wijkgroep:weg", json, 7, key, sizeof key, buf, sizeof buf), 0);
	cr_assert_neq(pol_app_notice(POL_LANG_NL, s, "stuurgroep:een", json, 7, key, sizeof key, buf, sizeof buf), 0);
	cr_assert_neq(pol_app_notice(POL_LANG_NL, s, "wijkgroep:noord", "{", 7, key, sizeof key, buf, sizeof buf), 0);
}

Test(signup_text, nothing_held_says_so_and_names_nobody)
{
	pol_mydata m;

	memset(&m, 0, sizeof m);
	cr_assert_eq(pol_mydata_text(POL_LANG_NL, s, &m, buf, sizeof buf), 0);
	cr_assert_str_eq(buf, pol_text(POL_LANG_NL, POL_TXT_MYDATA_NOTHING));
	m.intake = "not json";
	cr_assert_eq(pol_mydata_text(POL_LANG_EN, s, &m, buf, sizeof buf), 0, "an unreadable intake is nothing");
	cr_assert_str_eq(buf, pol_text(POL_LANG_EN, POL_TXT_MYDATA_NOTHING));
}

Test(signup_text, a_resident_sees_membership_what_they_gave_and_how_to_delete)
{
	pol_mydata m;

	memset(&m, 0, sizeof m);
	m.resident = 1;
	m.wijkgroep_key = "wijkgroep:noord";
	m.buurt = "Noord";
	m.since = "01-01-2026";
	m.admitted_by = "@a:x";
	m.spelregels = "00ab";
	m.resident_data = json;
	cr_assert_eq(pol_mydata_text(POL_LANG_NL, s, &m, buf, sizeof buf), 1);
	cr_assert(strncmp(buf, pol_text(POL_LANG_NL, POL_TXT_MYDATA_HEADER), strlen(pol_text(POL_LANG_NL,
		POL_TXT_MYDATA_HEADER))) == 0, "%s", buf);
	cr_assert(strstr(buf, "\nLid van Wijkgroep Noord (buurt: Noord) sinds 01-01-2026, toegelaten door @a:x; "
			      "spelregels geaccepteerd: 00ab\n"), "%s", buf);
	cr_assert(strstr(buf, "Jan Jansen") && strstr(buf, "0612345678"), "what they gave: %s", buf);
	cr_assert(strstr(buf, pol_text(POL_LANG_NL, POL_TXT_MYDATA_FOOTER)), "%s", buf);
	/* an unknown wijkgroep shows its key; missing fields a dash */
	m.wijkgroep_key = "wijkgroep:weg";
	m.buurt = m.admitted_by = NULL;
	m.resident_data = NULL;
	cr_assert_eq(pol_mydata_text(POL_LANG_EN, s, &m, buf, sizeof buf), 1);
	cr_assert(strstr(buf, "\nMember of wijkgroep:weg (buurt: -) since 01-01-2026, admitted by -;"), "%s", buf);
	cr_assert_null(strstr(buf, "Jan Jansen"));
}

Test(signup_text, an_application_and_a_sign_up_under_way)
{
	pol_mydata m;

	memset(&m, 0, sizeof m);
	m.application = 1;
	m.app_nr = 12;
	m.app_state = "open";
	m.app_since = "02-01-2026";
	m.app_data = json;
	m.intake = json;
	cr_assert_eq(pol_mydata_text(POL_LANG_NL, s, &m, buf, sizeof buf), 1);
	cr_assert(strstr(buf, "\nAanmelding 12 (open), van 02-01-2026\n"), "%s", buf);
	cr_assert(strstr(buf, pol_text(POL_LANG_NL, POL_TXT_MYDATA_INTAKE)), "%s", buf);
	cr_assert(strstr(buf, pol_text(POL_LANG_NL, POL_TXT_MYDATA_FOOTER)), "%s", buf);
	cr_assert(strstr(buf, "Aanmelding 12") < strstr(buf, pol_text(POL_LANG_NL, POL_TXT_MYDATA_INTAKE)));
}

Test(signup_text, a_small_buffer_is_cut_not_overrun)
{
	pol_mydata m;
	char small[30];

	memset(&m, 0, sizeof m);
	m.application = 1;
	m.app_nr = 12;
	m.app_data = json;
	cr_assert_eq(pol_mydata_text(POL_LANG_NL, s, &m, small, sizeof small), 1);
	cr_assert_eq(strlen(small), sizeof small - 1);
}

Test(signup_text, a_resident_is_asked_again_when_the_spelregels_changed)
{
	char version[17], current[17], want[4096];
	const pol_wijk *w = pol_structure_find_wijk(s, "dorp");

	pol_spelregels_version(pol_spelregels_of(w, POL_LANG_NL), current);
	cr_assert_eq(pol_spelregels_changed_for(POL_LANG_NL, s, "wijkgroep:noord", "0000", version), w);
	cr_assert_str_eq(version, current);
	cr_assert_null(pol_spelregels_changed_for(POL_LANG_NL, s, "wijkgroep:noord", current, version),
		       "asked again for the same rules");
	cr_assert_null(pol_spelregels_changed_for(POL_LANG_NL, s, "wijkgroep:weg", "0000", version));
	pol_spelregels_changed_text(POL_LANG_EN, w, buf, sizeof buf);
	pol_textf(want, sizeof want, POL_LANG_EN, POL_TXT_SPELREGELS_CHANGED_DM, "Dorp", pol_spelregels_of(w, POL_LANG_EN));
	cr_assert_str_eq(buf, want);
}
