/* Unit tests of policy/pol_aanmelding: every step of the sign-up questions,
 * refused answers, !stop at every step, resuming after a pause, and the
 * state surviving a restart (JSON round trip) at every step; names and
 * buurt answers in every alphabet and hostile ones (invisible characters,
 * direction overrides, invalid UTF-8), and policy/pol_utf8 under them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/pol_aanmelding.h"
#include "policy/pol_utf8.h"

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
	say(&st, "Jan \xe2\x80\xaenesnaJ", POL_INTAKE_INVALID, "leesrichting");
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

/* A fresh intake at the name question. */
static void at_name(pol_intake *st)
{
	pol_intake_start(st, POL_LANG_NL, reply, sizeof reply);
}

/* Each of n names is refused with a reply containing needle, and the
 * intake stays at the name question with nothing kept. */
static void refused_names(const char *const *names, size_t n, const char *needle)
{
	pol_intake st;
	size_t i;

	for (i = 0; i < n; i++) {
		at_name(&st);
		say(&st, names[i], POL_INTAKE_INVALID, needle);
		cr_assert_eq(st.step, POL_INTAKE_NAME, "name %zu", i);
		cr_assert_str_eq(st.name, "");
	}
}

Test(aanmelding, names_in_every_alphabet_are_welcome)
{
	static const char *const names[] = {
		"Zo\xc3\xab de Vries",                  /* Zoë: Latin-1 */
		("\xc3\x87" "elik"),                    /* Çelik (split: \x87e would be one escape) */
		"\xc3\x90orđe Petrovi\xc4\x87",         /* Ðorđe Petrović: Latin Extended-A */
		"Nguy\xe1\xbb\x85n V\xc4\x83n An",      /* Nguyễn Văn An: Latin Extended Additional */
		"Nguye\xcc\x82\xcc\x83n",               /* Nguyễn typed as e + two combining marks */
		"\xca\xbbOkina Kealoha",                /* ʻOkina: a modifier letter */
		"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xa7\xd9\x84\xd8\xb9\xd9\x84\xd9\x8a",   /* محمد العلي */
		"\xd0\x9e\xd0\xbb\xd1\x8c\xd0\xb3\xd0\xb0 \xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xb0", /* Ольга Иванова */
		"\xce\x9d\xce\xaf\xce\xba\xce\xbf\xcf\x82",   /* Νίκος */
		"\xd7\x93\xd7\x95\xd7\x93",             /* דוד */
		"\xe6\x9d\x8e\xe6\x98\x8e",             /* 李明 */
		"\xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\xae",   /* राम: a vowel sign is a mark */
		"\xe0\xb8\xaa\xe0\xb8\xa1\xe0\xb8\x8a\xe0\xb8\xb2\xe0\xb8\xa2",   /* สมชาย */
		"\xea\xb9\x80\xeb\xaf\xbc\xec\xa4\x80",   /* 김민준 */
		"\xe3\x81\x95\xe3\x81\x8f\xe3\x82\x89",   /* さくら */
		"\xd4\xb1\xd6\x80\xd5\xa1\xd5\xbd",       /* Արամ */
		"Anne-Marie O'Brien", "J. de Wit", "Jan 2",
	};
	pol_intake st;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		at_name(&st);
		say(&st, names[i], POL_INTAKE_CONTINUE, "postcode");
		cr_assert_str_eq(st.name, names[i], "name %zu stored as \"%s\"", i, st.name);
		restart(&st);
	}
}

Test(aanmelding, invisible_characters_are_dropped_from_names)
{
	static const char *const typed[][2] = {
		{ "Jan\xe2\x80\x8b Jansen\xc2\xad", "Jan Jansen" },        /* zero-width space, soft hyphen */
		{ "\xe2\x80\x8f\xd7\x93\xd7\x95\xd7\x93\xe2\x80\x8e", "\xd7\x93\xd7\x95\xd7\x93" },   /* RLM, LRM around דוד */
		{ "An\xe2\x80\x8dna\xef\xbb\xbf", "Anna" },                /* zero-width joiner, byte order mark */
		{ "Jan\xc2\xa0\xe2\x80\x83 Jansen", "Jan Jansen" },         /* no-break and em spaces: one space */
		{ "Jan\nJansen\t", "Jan Jansen" },                        /* a line break is a space */
	};
	pol_intake st;
	size_t i;

	for (i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		at_name(&st);
		say(&st, typed[i][0], POL_INTAKE_CONTINUE, "postcode");
		cr_assert_str_eq(st.name, typed[i][1], "typed %zu stored as \"%s\"", i, st.name);
	}
}

Test(aanmelding, a_name_without_visible_letters_is_refused_kindly)
{
	static const char *const nothing[] = {
		"\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8e\xe2\x80\x8f",   /* ZWSP ZWSP LRM RLM: the name */
		"\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0\xef\xbb\xbf\xc2\xad",   /* ZWNJ ZWJ WJ BOM SHY */
		"\xe3\x85\xa4\xe3\x85\xa4\xe3\x85\xa4",             /* Hangul fillers: letters on paper, nothing on screen */
		"\xf3\xa0\x81\x8a\xf3\xa0\x81\xa1\xf3\xa0\x81\xae",   /* tag characters */
		"\xe2\xa0\x80\xe2\xa0\x80",                         /* braille blanks */
		"1234", "!!!", "\xf0\x9f\x99\x82\xf0\x9f\x99\x82", "   ",
	};
	pol_intake st;

	refused_names(nothing, sizeof nothing / sizeof nothing[0], "geen letters in je naam");
	pol_intake_start(&st, POL_LANG_EN, reply, sizeof reply);
	cr_assert_eq(pol_intake_answer(s, &st, nothing[0], POL_LANG_EN, reply, sizeof reply), POL_INTAKE_INVALID);
	cr_assert_not_null(strstr(reply, "no letters in your name"), "%s", reply);
	at_name(&st);
	say(&st, "\xe2\x80\x8bJ\xe2\x80\x8b", POL_INTAKE_INVALID, "2 tot 100 tekens");
}

Test(aanmelding, direction_controls_and_other_controls_are_refused)
{
	static const char *const hostile[] = {
		"Jan \xe2\x80\xaenesnaJ",       /* RLO */
		"\xe2\x80\xaaJan\xe2\x80\xac",  /* LRE .. PDF */
		"\xe2\x80\xabJan",              /* RLE */
		"Jan\xe2\x80\xad",              /* LRO */
		"\xe2\x81\xa6Jan\xe2\x81\xa9",  /* LRI .. PDI */
		"\xe2\x81\xa7Jan",              /* RLI */
		"\xe2\x81\xa8Jan",              /* FSI */
		"Jan\x1b[31m rood",             /* a terminal escape */
		"Jan\x7f",                      /* DEL */
		"Jan\xc2\x85Jansen",            /* NEL, a C1 control */
		"Jan\xe2\x80\xa8Jansen",        /* line separator */
		"Z\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86\xcc\x87\xcc\x88",   /* eight marks on one letter */
		"\xcc\x81Jan",                  /* a mark with nothing to sit on */
	};
	pol_intake st;

	refused_names(hostile, sizeof hostile / sizeof hostile[0], "stuurtekens");
	pol_intake_start(&st, POL_LANG_EN, reply, sizeof reply);
	cr_assert_eq(pol_intake_answer(s, &st, hostile[0], POL_LANG_EN, reply, sizeof reply), POL_INTAKE_INVALID);
	cr_assert_not_null(strstr(reply, "reverse the reading direction"), "%s", reply);
}

Test(aanmelding, invalid_utf8_is_refused)
{
	static const char *const broken[] = {
		"Jan \xff", "Jos\xc3", "\xc0\xaf" "Jan", "\xe0\x80\xaf" "Jan",   /* stray byte, cut off, overlong */
		"Jan\xed\xa0\x80", "Jan\xf4\x90\x80\x80", "Jan\x80", "Jan\xf8\x88\x80\x80\x80",   /* surrogate, past U+10FFFF */
	};
	refused_names(broken, sizeof broken / sizeof broken[0], "geen geldige UTF-8");
}

Test(aanmelding, buurt_answers_get_the_same_check)
{
	pol_intake st;

	at_name(&st);
	say(&st, "Zo\xc3\xab", POL_INTAKE_CONTINUE, "postcode");
	say(&st, "\xe2\x80\x8b\xe2\x80\x8f", POL_INTAKE_INVALID, "postcode");
	say(&st, "...", POL_INTAKE_INVALID, "postcode");
	say(&st, "1235\xe2\x80\xae", POL_INTAKE_INVALID, "leesrichting");
	say(&st, "1235\xff", POL_INTAKE_INVALID, "UTF-8");
	cr_assert_eq(st.step, POL_INTAKE_ADDRESS);
	cr_assert_str_eq(st.address, "");
	say(&st, "\xe2\x80\x8b" "1235\xe2\x80\x8b", POL_INTAKE_CONTINUE, "Dat is buurt Zuid");
	cr_assert_str_eq(st.address, "1235");

	/* Choosing from the list: the list comes again with the refusal. */
	at_name(&st);
	say(&st, "Zo\xc3\xab", POL_INTAKE_CONTINUE, NULL);
	say(&st, "Nergenshuizen", POL_INTAKE_CONTINUE, "Kies je buurt");
	say(&st, "\xe2\x80\xaezuid", POL_INTAKE_INVALID, "1. Noord");
	cr_assert_not_null(strstr(reply, "leesrichting"), "%s", reply);
	say(&st, "\xe2\x80\x8b\xe2\x80\x8b", POL_INTAKE_INVALID, "2. Zuid");
	say(&st, "zu\xc2\xadid", POL_INTAKE_CONTINUE, "Dat is buurt Zuid");
}

Test(aanmelding, a_saved_state_that_is_not_utf8_is_refused)
{
	pol_intake st;

	cr_assert_eq(pol_intake_from_json(&st, "{\"versie\":1,\"stap\":\"adres\",\"naam\":\"Zo\xc3\xab\",\"adres\":\"\","
					       "\"wijkgroep\":\"\",\"buurt\":\"\",\"telefoon\":\"\",\"spelregels\":\"\"}"), 0);
	cr_assert_str_eq(st.name, "Zo\xc3\xab");
	cr_assert_eq(pol_intake_from_json(&st, "{\"versie\":1,\"stap\":\"adres\",\"naam\":\"Zo\xeb\",\"adres\":\"\","
					       "\"wijkgroep\":\"\",\"buurt\":\"\",\"telefoon\":\"\",\"spelregels\":\"\"}"), -1);
}

TestSuite(utf8);

Test(utf8, decoding_refuses_what_is_not_utf8)
{
	uint32_t cp = 7;

	cr_assert_eq(pol_utf8_decode("A", 1, &cp), 1);
	cr_assert_eq(cp, 'A');
	cr_assert_eq(pol_utf8_decode("\xc3\xab", 2, &cp), 2);
	cr_assert_eq(cp, 0xeb);
	cr_assert_eq(pol_utf8_decode("\xe2\x80\x8b", 3, &cp), 3);
	cr_assert_eq(cp, 0x200b);
	cr_assert_eq(pol_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	cr_assert_eq(cp, 0x10ffff);
	cp = 7;
	cr_assert_eq(pol_utf8_decode("\xc3\xab", 1, &cp), 0, "cut off");
	cr_assert_eq(pol_utf8_decode("\xc1\xbf", 2, &cp), 0, "overlong");
	cr_assert_eq(pol_utf8_decode("\xe0\x9f\xbf", 3, &cp), 0, "overlong");
	cr_assert_eq(pol_utf8_decode("\xf0\x8f\xbf\xbf", 4, &cp), 0, "overlong");
	cr_assert_eq(pol_utf8_decode("\xed\xbf\xbf", 3, &cp), 0, "surrogate");
	cr_assert_eq(pol_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0, "past U+10FFFF");
	cr_assert_eq(pol_utf8_decode("\x80", 1, &cp), 0, "continuation byte");
	cr_assert_eq(pol_utf8_decode("\xe2\x28\xa1", 3, &cp), 0, "bad continuation");
	cr_assert_eq(pol_utf8_decode("", 0, &cp), 0);
	cr_assert_eq(cp, 7, "unchanged on failure");
	cr_assert(pol_utf8_valid("Zo\xc3\xab", 4));
	cr_assert_not(pol_utf8_valid("Zo\xc3", 3));
}

Test(utf8, classes)
{
	static const struct { uint32_t cp; pol_uclass want; } cases[] = {
		{ 'a', POL_U_LETTER }, { 0xeb, POL_U_LETTER }, { 0x0110, POL_U_LETTER }, { 0x01c4, POL_U_LETTER },
		{ 0x1ec5, POL_U_LETTER }, { 0x0250, POL_U_LETTER }, { 0x02bb, POL_U_LETTER }, { 0x03a9, POL_U_LETTER },
		{ 0x0416, POL_U_LETTER }, { 0x0531, POL_U_LETTER }, { 0x05d0, POL_U_LETTER }, { 0x0645, POL_U_LETTER },
		{ 0x0915, POL_U_LETTER }, { 0x0e01, POL_U_LETTER }, { 0xac00, POL_U_LETTER }, { 0xd7a3, POL_U_LETTER },
		{ 0x3042, POL_U_LETTER }, { 0x30ab, POL_U_LETTER }, { 0x4e00, POL_U_LETTER }, { 0x9fa5, POL_U_LETTER },
		{ 0x0301, POL_U_MARK }, { 0x093e, POL_U_MARK }, { 0x064e, POL_U_MARK }, { 0x05b8, POL_U_MARK },
		{ '7', POL_U_DIGIT }, { 0x0663, POL_U_DIGIT }, { ' ', POL_U_SPACE }, { 0xa0, POL_U_SPACE },
		{ 0x3000, POL_U_SPACE }, { '.', POL_U_OTHER }, { 0xd7, POL_U_OTHER }, { 0x1f642, POL_U_OTHER },
		{ 0x2800, POL_U_OTHER }, { 0x00ad, POL_U_INVISIBLE }, { 0x200b, POL_U_INVISIBLE },
		{ 0x200c, POL_U_INVISIBLE }, { 0x200d, POL_U_INVISIBLE }, { 0x200e, POL_U_INVISIBLE },
		{ 0x200f, POL_U_INVISIBLE }, { 0x061c, POL_U_INVISIBLE }, { 0x2060, POL_U_INVISIBLE },
		{ 0x2064, POL_U_INVISIBLE }, { 0xfeff, POL_U_INVISIBLE }, { 0x3164, POL_U_INVISIBLE },
		{ 0x115f, POL_U_INVISIBLE }, { 0xfe0f, POL_U_INVISIBLE }, { 0xe0041, POL_U_INVISIBLE },
		{ 0x202a, POL_U_BIDI }, { 0x202e, POL_U_BIDI }, { 0x2066, POL_U_BIDI }, { 0x2069, POL_U_BIDI },
		{ 0, POL_U_CONTROL }, { '\n', POL_U_CONTROL }, { 0x7f, POL_U_CONTROL }, { 0x85, POL_U_CONTROL },
		{ 0x2028, POL_U_CONTROL }, { 0xfffe, POL_U_CONTROL }, { 0x10ffff, POL_U_CONTROL }, { 0xfdd0, POL_U_CONTROL },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_assert_eq(pol_utf8_class(cases[i].cp), cases[i].want, "U+%04X: class %d, not %d",
			     (unsigned)cases[i].cp, pol_utf8_class(cases[i].cp), cases[i].want);
}

Test(utf8, a_line_is_cleaned_or_refused_whole)
{
	char out[16];
	pol_utf8_counts c;

	cr_assert_eq(pol_utf8_line("  a\xe2\x80\x8b b\xc2\xa0\xc2\xa0" "7 ", out, sizeof out, &c), POL_UTF8_OK);
	cr_assert_str_eq(out, "a b 7");
	cr_assert_eq(c.letters, 2);
	cr_assert_eq(c.digits, 1);
	cr_assert_eq(c.visible, 3);
	cr_assert_eq(pol_utf8_line("0123456789abcdef", out, sizeof out, &c), POL_UTF8_TOO_LONG);
	cr_assert_str_eq(out, "");
	cr_assert_eq(c.visible, 0);
	cr_assert_eq(pol_utf8_line("0123456789abcde", out, sizeof out, NULL), POL_UTF8_OK, "exactly fits");
	cr_assert_eq(pol_utf8_line("ab\xe2\x81\xa6", out, sizeof out, &c), POL_UTF8_BIDI);
	cr_assert_eq(pol_utf8_line("ab\x01", out, sizeof out, &c), POL_UTF8_CONTROL);
	cr_assert_eq(pol_utf8_line("ab\xc3", out, sizeof out, &c), POL_UTF8_INVALID);
	cr_assert_eq(pol_utf8_line("e\xcc\x81\xcc\x82\xcc\x83\xcc\x84", out, sizeof out, &c), POL_UTF8_OK, "four marks");
	cr_assert_eq(pol_utf8_line("e\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85", out, sizeof out, &c), POL_UTF8_MARKS);
	cr_assert_eq(pol_utf8_line(NULL, out, sizeof out, &c), POL_UTF8_OK);
	cr_assert_str_eq(out, "");
}

Test(aanmelding, a_refused_phone_number_leaves_no_digits_behind)
{
	pol_intake st, zero;

	memset(&zero, 0, sizeof zero);
	at_name(&st);
	say(&st, "Jan", POL_INTAKE_CONTINUE, NULL);
	say(&st, "1235", POL_INTAKE_CONTINUE, NULL);
	say(&st, "0031612345678901234", POL_INTAKE_INVALID, "telefoonnummer");
	cr_assert_eq(memcmp(st.phone, zero.phone, sizeof st.phone), 0, "digits of a refused number stayed");
	restart(&st);
}
