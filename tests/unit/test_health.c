/* Unit tests of the health report's rules and words (policy/pol_health.c),
 * when the reports are due (policy/pol_report.c)
 * and the statistics' words (policy/pol_stats_text.c): every line of the
 * report on both sides of its threshold, in Dutch and English. Pure: a
 * structure and a snapshot of facts in, text out. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "policy/pol_health.h"
#include "policy/pol_report.h"
#include "policy/pol_stats_text.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}," \
	"{\"id\":\"oud\",\"naam\":\"Wijkgroep Oud\",\"buurten\":[\"1235\"],\"opgeheven\":true}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna:x\",\"@bram:x\",\"@cor:x\"],\"telefoonbeheerder\":\"@anna:x\",\"beheert\":[\"noord\",\"oud\"]}," \
	"{\"id\":\"klein\",\"naam\":\"Stuurgroep Klein\",\"leden\":[\"@dirk:x\",\"@eva:x\"],\"telefoonbeheerder\":\"@dirk:x\"}]}]}"

#define NOW 1767225600LL   /* 1 January 2026, 00:00 UTC */
#define DAY 86400LL

static pol_structure *s;
static const pol_stuurgroep *sg;
static pol_health_wijkgroep wg[2];
static pol_health_facts f;
static char buf[4096];

static void setup(void)
{
	pol_problems pr;

	memset(&pr, 0, sizeof pr);
	cr_assert_eq(pol_structure_parse(&s, STRUCTURE, strlen(STRUCTURE), &pr), 0, "%s: %s", pr.n ? pr.items[0].path : "",
		     pr.n ? pr.items[0].message : "");
	pol_problems_free(&pr);
	sg = pol_structure_find_stuurgroep(s, "stuur");
	cr_assert_not_null(sg);
	memset(wg, 0, sizeof wg);
	memset(&f, 0, sizeof f);
	/* A healthy stuurgroep: three members, the telefoonbeheerder in
	 * the room and active yesterday, Noord spoken in today. */
	f.sg = sg;
	f.wijkgroepen = wg;
	f.now = NOW;
	f.reminder_hours = 48;
	f.tb_joined = 1;
	f.tb_last_seen = NOW - DAY;
	wg[0].last_activity = NOW - 3600;
}

static void teardown(void)
{
	pol_structure_free(s);
}

TestSuite(health, .init = setup, .fini = teardown);

static int report(pol_lang lang)
{
	return pol_health_text(lang, &f, buf, sizeof buf);
}

Test(health, all_is_well_in_both_languages)
{
	cr_assert_eq(report(POL_LANG_NL), 0);
	cr_assert_str_eq(buf, "Stuurgroep Dorp: alles in orde, niets vraagt aandacht.");
	cr_assert_eq(report(POL_LANG_EN), 0);
	cr_assert_str_eq(buf, "Stuurgroep Dorp: all is well, nothing needs attention.");
}

Test(health, a_silent_wijkgroep_after_fourteen_days_not_before)
{
	wg[0].last_activity = NOW - POL_HEALTH_SILENT_DAYS * DAY;
	cr_assert_eq(report(POL_LANG_NL), 0, "silent exactly 14 days is not yet: %s", buf);
	wg[0].last_activity = NOW - POL_HEALTH_SILENT_DAYS * DAY - 1;
	cr_assert_eq(report(POL_LANG_NL), 1);
	cr_assert_str_eq(buf, "Hoe gaat het met Stuurgroep Dorp? Dit vraagt aandacht:\n"
			      "- In Wijkgroep Noord is al 14 dagen niets gezegd. Een kort berichtje van de stuurgroep helpt.");
	wg[0].last_activity = NOW - 20 * DAY;
	cr_assert_eq(report(POL_LANG_EN), 1);
	cr_assert_str_eq(buf, "How Stuurgroep Dorp is doing: these need attention.\n"
			      "- Wijkgroep Noord has been silent for 20 days. A short word from the stuurgroep helps.");
	wg[0].last_activity = 0;
	cr_assert_eq(report(POL_LANG_NL), 0, "no sign of life known says nothing: %s", buf);
}

Test(health, casussen_closed_by_expiry)
{
	wg[0].expired = 2;
	cr_assert_eq(report(POL_LANG_NL), 1);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 2 casus(sen) de afgelopen 30 dagen verlopen zonder afloop. "
			      "Vraag de casushouder om een !afloop."), "%s", buf);
	cr_assert_eq(report(POL_LANG_EN), 1);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 2 casus(sen) closed by expiry in the last 30 days, without afloop. "
			      "Ask the casushouder for one with !afloop."), "%s", buf);
	wg[0].expired = 0;
	cr_assert_eq(report(POL_LANG_NL), 0);
}

Test(health, applications_waiting_name_the_reminder_time)
{
	wg[0].apps_waiting = 1;
	cr_assert_eq(report(POL_LANG_NL), 1);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 1 aanmelding(en) wachten al langer dan 48 uur (!aanmeldingen)."),
		  "%s", buf);
	f.reminder_hours = 24;
	cr_assert_eq(report(POL_LANG_EN), 1);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 1 application(s) waiting longer than 24 hours (!aanmeldingen)."),
		  "%s", buf);
	wg[0].apps_waiting = 0;
	cr_assert_eq(report(POL_LANG_EN), 0);
}

Test(health, spelregels_not_accepted)
{
	wg[0].unaccepted = 3;
	cr_assert_eq(report(POL_LANG_NL), 1);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 3 lid/leden hebben de huidige spelregels nog niet geaccepteerd "
			      "(!leden)."), "%s", buf);
	cr_assert_eq(report(POL_LANG_EN), 1);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 3 member(s) have not accepted the current spelregels yet (!leden)."),
		  "%s", buf);
	wg[0].unaccepted = 0;
	cr_assert_eq(report(POL_LANG_NL), 0);
}

Test(health, a_waiting_list)
{
	wg[0].waiting = 4;
	cr_assert_eq(report(POL_LANG_NL), 1);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 4 op de wachtlijst (!wachtlijst); misschien is splitsen tijd."), "%s",
		  buf);
	cr_assert_eq(report(POL_LANG_EN), 1);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 4 on the waiting list (!wachtlijst); a split may be due."), "%s", buf);
	wg[0].waiting = 0;
	cr_assert_eq(report(POL_LANG_NL), 0);
}

Test(health, a_retired_wijkgroep_needs_no_attention)
{
	wg[1].last_activity = NOW - 100 * DAY;
	wg[1].waiting = 5;
	wg[1].expired = 1;
	cr_assert_eq(report(POL_LANG_NL), 0, "%s", buf);
}

Test(health, a_small_stuurgroep)
{
	const pol_stuurgroep *klein = pol_structure_find_stuurgroep(s, "klein");

	cr_assert_not_null(klein);
	f.sg = klein;   /* two members, manages nothing, its telefoonbeheerder not in the room */
	f.tb_joined = 0;
	cr_assert_eq(report(POL_LANG_NL), 2);
	cr_assert_str_eq(buf, "Hoe gaat het met Stuurgroep Klein? Dit vraagt aandacht:\n"
			      "- De stuurgroep heeft 2 lid/leden; met minstens 3 verdeel je het werk goed.\n"
			      "- Er is de afgelopen 30 dagen geen actieve telefoonbeheerder geweest; spreek af wie het "
			      "oppakt (structuurbestand).");
	cr_assert_eq(report(POL_LANG_EN), 2);
	cr_assert_str_eq(buf, "How Stuurgroep Klein is doing: these need attention.\n"
			      "- The stuurgroep has 2 member(s); at least 3 share the work well.\n"
			      "- No telefoonbeheerder has been active here in the last 30 days; agree who takes it on "
			      "(structure file).");
}

Test(health, the_telefoonbeheerder_must_be_there_and_active_within_thirty_days)
{
	f.tb_last_seen = NOW - POL_HEALTH_ACTIVE_DAYS * DAY;
	cr_assert_eq(report(POL_LANG_NL), 0, "active exactly 30 days ago still counts: %s", buf);
	f.tb_last_seen = NOW - POL_HEALTH_ACTIVE_DAYS * DAY - 1;
	cr_assert_eq(report(POL_LANG_NL), 1);
	cr_assert(strstr(buf, "geen actieve telefoonbeheerder"), "%s", buf);
	f.tb_last_seen = NOW;
	f.tb_joined = 0;
	cr_assert_eq(report(POL_LANG_EN), 1, "not in the room: %s", buf);
	cr_assert(strstr(buf, "No telefoonbeheerder has been active"), "%s", buf);
	f.tb_joined = 1;
	f.tb_last_seen = 0;
	cr_assert_eq(report(POL_LANG_NL), 1, "never seen");
}

Test(health, every_point_at_once_in_order)
{
	wg[0].last_activity = NOW - 15 * DAY;
	wg[0].expired = 1;
	wg[0].apps_waiting = 2;
	wg[0].unaccepted = 3;
	wg[0].waiting = 4;
	f.tb_joined = 0;
	cr_assert_eq(report(POL_LANG_NL), 6);
	cr_assert(strstr(buf, "telefoonbeheerder") < strstr(buf, "15 dagen"), "%s", buf);
	cr_assert(strstr(buf, "15 dagen") < strstr(buf, "verlopen"));
	cr_assert(strstr(buf, "verlopen") < strstr(buf, "aanmelding(en)"));
	cr_assert(strstr(buf, "aanmelding(en)") < strstr(buf, "spelregels"));
	cr_assert(strstr(buf, "spelregels") < strstr(buf, "wachtlijst"));
}

Test(health, a_small_buffer_is_cut_not_overrun)
{
	char small[40];

	wg[0].waiting = 4;
	cr_assert_eq(pol_health_text(POL_LANG_NL, &f, small, sizeof small), 1);
	cr_assert_eq(strlen(small), sizeof small - 1);
}

/* ---- the statistics' words ---- */

Test(stats_text, title_dates_and_the_lines_per_part)
{
	pol_stats_figures fig;
	pol_stats_item items[POL_STATS_ITEMS_MAX];
	pol_stats_part_line parts[3] = {
		{ "Wijkgroep Noord", "12", "40", "0", 0 },
		{ "Wijkgroep Oud", "x", "0", "0", 1 },
		{ "Wijkgroep Zuid", "<5", "20", "3", 0 },
	};
	pol_stats_report r;
	size_t n;

	memset(&fig, 0, sizeof fig);
	n = pol_stats_items(&fig, -1, -1, items);
	memset(&r, 0, sizeof r);
	r.scope_name = "Dorp";
	r.first = (pol_stats_day){ 2026, 11, 1 };
	r.last = (pol_stats_day){ 2026, 11, 30 };
	r.items = items;
	r.n_items = n;
	r.parts = parts;
	r.n_parts = 3;
	pol_stats_report_write(POL_LANG_NL, &r, buf, sizeof buf);
	cr_assert(strncmp(buf, "Statistiek Dorp, 01-11-2026 t/m 30-11-2026\n", 43) == 0, "%s", buf);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 12 meldingen, 40 leden, 0 wachtend"), "%s", buf);
	cr_assert(strstr(buf, "\n- Wijkgroep Zuid: <5 meldingen, 20 leden, 3 wachtend"), "%s", buf);
	cr_assert_null(strstr(buf, "Oud"), "a retired wijkgroep shown: %s", buf);
	r.monthly = 1;
	pol_stats_report_write(POL_LANG_EN, &r, buf, sizeof buf);
	cr_assert(strncmp(buf, "Monthly report. Statistics Dorp, 01-11-2026 to 30-11-2026\n", 58) == 0, "%s", buf);
	cr_assert(strstr(buf, "\n- Wijkgroep Zuid: <5 meldingen, 20 members, 3 waiting"), "%s", buf);
	pol_stats_report_write(POL_LANG_NL, &r, buf, sizeof buf);
	cr_assert(strncmp(buf, "Maandoverzicht. Statistiek Dorp,", 32) == 0, "%s", buf);
	/* the wijken of the gemeente: meldingen only */
	parts[0].leden = parts[0].wachtlijst = NULL;
	r.n_parts = 1;
	r.first.y = 0;
	pol_stats_report_write(POL_LANG_NL, &r, buf, sizeof buf);
	cr_assert(strstr(buf, "Statistiek Dorp, ? t/m 30-11-2026"), "%s", buf);
	cr_assert(strstr(buf, "\n- Wijkgroep Noord: 12 meldingen") && !strstr(buf, "40 leden"), "%s", buf);
}

Test(stats_text, the_chart_speaks_the_language)
{
	char t[128];

	pol_chart_title(POL_LANG_NL, "Dorp", t, sizeof t);
	cr_assert_str_eq(t, "Meldingen per maand, Dorp");
	pol_chart_title(POL_LANG_EN, "Dorp", t, sizeof t);
	cr_assert_str_eq(t, "Meldingen per month, Dorp");
	cr_assert_str_eq(pol_chart_month(POL_LANG_NL, 3), "mrt");
	cr_assert_str_eq(pol_chart_month(POL_LANG_EN, 3), "Mar");
	cr_assert_str_eq(pol_chart_month(POL_LANG_EN, 13), "?");
	cr_assert_str_eq(pol_chart_weekday(POL_LANG_NL, 0), "ma");
	cr_assert_str_eq(pol_chart_weekday(POL_LANG_EN, 6), "Sun");
	cr_assert_str_eq(pol_chart_weekday(POL_LANG_EN, 7), "?");
	cr_assert_str_eq(pol_text(POL_LANG_NL, POL_TXT_CHART_FILE), "statistiek.png");
	cr_assert_str_eq(pol_text(POL_LANG_EN, POL_TXT_CHART_FILE), "statistics.png");
}

/* ---- when the reports come by themselves ---- */

Test(report_due, the_monthly_report_in_the_first_week_for_rooms_older_than_the_month)
{
	cr_assert(pol_report_monthly_due(1));
	cr_assert(pol_report_monthly_due(7));
	cr_assert_not(pol_report_monthly_due(8));
	cr_assert_not(pol_report_monthly_due(0));
	cr_assert(pol_report_monthly_for_room(NOW - 1, NOW));
	cr_assert_not(pol_report_monthly_for_room(NOW, NOW), "a room made as the month ended");
	cr_assert_not(pol_report_monthly_for_room(0, NOW), "a room of unknown age");
}

Test(report_due, the_weekly_health_report_on_monday_from_nine_for_stuurgroepen_a_week_old)
{
	cr_assert(pol_report_weekly_due(1, 9));
	cr_assert(pol_report_weekly_due(1, 23));
	cr_assert_not(pol_report_weekly_due(1, 8));
	cr_assert_not(pol_report_weekly_due(2, 9));
	cr_assert_not(pol_report_weekly_due(0, 12));
	cr_assert(pol_report_weekly_for_room(NOW - 7 * DAY, NOW));
	cr_assert_not(pol_report_weekly_for_room(NOW - 7 * DAY + 1, NOW));
	cr_assert_not(pol_report_weekly_for_room(0, NOW));
}
