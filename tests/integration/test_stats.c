/* Integration test of the statistics (issue 16) against the real Synapse,
 * in one bot run: !statistiek answers with suppressed figures and an
 * encrypted chart that an independent client (matrix-nio) downloads,
 * checks against its SHA-256 and decrypts into a PNG; !gezondheid
 * answers; moving the bot's test clock to the first of the next month
 * brings the monthly report into the regiegroep and the gemeentelijke
 * regiegroep, once; to a Monday later the weekly health report into the
 * stuurgroep room; and --export-stats gives the same numbers as CSV,
 * read back here. The stuurgroep is anna alone: every room has one
 * reader, so no message waits for other members' device keys. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bot/clock.h"
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\",\"regiegroep\":true," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[{\"naam\":\"Noord\",\"postcodes\":[\"1234\"]}]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[{\"naam\":\"Zuid\",\"postcodes\":[\"1235\"]}]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}]," \
	"\"gemeentelijke_regiegroep\":{\"afgevaardigden\":[\"@anna.stuur:localhost\"]}}"

#define DAY 86400LL
#define WAIT_MS 60000L

static char clock_file[400];

static void move_clock_to(long long target)
{
	char tmp[420];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.new", clock_file);
	f = fopen(tmp, "w");
	cr_assert_not_null(f);
	fprintf(f, "%lld\n", target - (long long)time(NULL));
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(rename(tmp, clock_file), 0);
}

/* Local 10:00 of y-m-d (day may run past the month). */
static long long local_ten(int y, int m, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 10;
	tm.tm_isdst = -1;
	return (long long)mktime(&tm);
}

/* The m.image among the bot's replies to event; its event id (caller frees). */
static char *chart_reply(resident *r, itest_bot *bot, const char *room, const char *event)
{
	char args[800], *id = NULL;
	cJSON *j, *it;

	snprintf(args, sizeof args, "wait-reply '%s' '%s' --from '%s' --timeout 40 --count 2", room, event,
		 bot->account.user_id);
	j = resident_run(r, args, 1);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "replies")) {
		const cJSON *t = cJSON_GetObjectItem(it, "msgtype");

		if (cJSON_IsString(t) && strcmp(t->valuestring, "m.image") == 0)
			id = json_str(it, "event_id");
	}
	if (!id) {
		itest_bot_dump_log(bot);
		cr_assert_fail("no chart among the replies: %s", j ? cJSON_PrintUnformatted(j) : "?");
	}
	cJSON_Delete(j);
	return id;
}

/* Downloads, checks and decrypts the chart of event as r; asserts it is
 * a PNG whose info fits. Returns the plain size. */
static long check_chart(resident *r, const char *room, const char *event)
{
	char args[700];
	cJSON *j;
	long size;

	snprintf(args, sizeof args, "fetch-file '%s' '%s'", room, event);
	j = resident_run(r, args, 0);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "sha256_ok")));
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "png")), "%s", cJSON_PrintUnformatted(j));
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "encrypted_event")), "the chart event went in the clear");
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "plain_url")), "an unencrypted url beside the file");
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "thumbnail")));
	cr_assert_str_eq(cJSON_GetObjectItem(j, "mimetype")->valuestring, "image/png");
	size = (long)cJSON_GetObjectItem(j, "plain_size")->valuedouble;
	cr_assert_eq((long)cJSON_GetObjectItem(j, "size")->valuedouble, size);
	cr_assert_eq((long)cJSON_GetObjectItem(j, "cipher_size")->valuedouble, size, "CTR keeps the length");
	cr_assert_gt(cJSON_GetObjectItem(j, "w")->valuedouble, 0);
	cr_assert_gt(cJSON_GetObjectItem(j, "h")->valuedouble, 0);
	cJSON_Delete(j);
	return size;
}

/* The value of figure `name` for wijk/wijkgroep in the export's CSV. */
static char *csv_value(const char *csv, const char *wijk, const char *wijkgroep, const char *name)
{
	char needle[300];
	const char *p;

	snprintf(needle, sizeof needle, ",\"%s\",\"%s\",%s,", wijk, wijkgroep, name);
	p = strstr(csv, needle);
	cr_assert_not_null(p, "no %s in the export:\n%s", needle, csv);
	p += strlen(needle);
	return strndup(p, strcspn(p, "\n"));
}

static void export_csv(itest_bot *b, const char *from, const char *to, const char *format, char *out, size_t size)
{
	char cmd[1200];
	FILE *f;
	size_t n;

	snprintf(cmd, sizeof cmd, "'%s' --config '%s' --export-stats --from %s --to %s --format %s 2>&1",
		 itest_env("BUURTBOT_BIN"), b->conf, from, to, format);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	cr_assert_eq(pclose(f), 0, "the export failed: %s", out);
}

Test(stats, statistiek_chart_reports_and_export, .timeout = 600)
{
	itest_user anna;
	itest_bot bot;
	resident ra, melder;
	char file[400], *sg, *noord, *regie, *gem, *ev, *body, *img, *m_regie, *m_sg, *v;
	char from[16], to[16], csv[65536];
	const char *me;
	long long now = (long long)time(NULL), first, monday;
	struct tm tm;
	int n_regie, n_gem, n_health;

	sthelp_example_user(&anna, "anna.stuur");
	itest_bot_setup(&bot, anna.user_id, NULL);
	snprintf(clock_file, sizeof clock_file, "%s/clock-offset", bot.dir);
	move_clock_to(now);
	cr_assert_eq(setenv(BOT_TEST_CLOCK_ENV, clock_file, 1), 0);
	sthelp_start_with_structure(&bot, STRUCTURE, file, sizeof file);
	me = bot.account.user_id;
	sg = sthelp_room_of(&bot, "stuurgroep:stuur");
	noord = sthelp_room_of(&bot, "wijkgroep:noord");
	regie = sthelp_room_of(&bot, "regiegroep:dorp");
	gem = sthelp_room_of(&bot, "gemeentelijke_regiegroep");
	resident_existing(&ra, &anna);
	sthelp_join(&ra, sg);
	sthelp_join(&ra, regie);
	sthelp_join(&ra, gem);

	/* one melding, which says 112 was called */
	resident_new(&melder, "melder");
	sthelp_admit(&ra, &bot, sg, &melder, "noord", noord);
	ev = resident_send(&melder, noord, "Inbraak bezig aan de Dorpsstraat, ik heb 112 gebeld");
	sthelp_expect(bot_reply(&melder, &bot, noord, ev), "Casus #1");
	free(ev);

	/* !statistiek: one melding is shown as "<5", the share as "-" */
	ev = resident_send(&ra, sg, "!statistiek");
	body = bot_reply(&ra, &bot, sg, ev);
	cr_assert_not_null(strstr(body, "Statistiek Dorp"), "%s", body);
	cr_assert_not_null(strstr(body, "Meldingen: <5"), "%s", body);
	cr_assert_not_null(strstr(body, "112 gebeld (volgens de melding): -"), "%s", body);
	cr_assert_null(strstr(body, "Meldingen: 1"), "an exact small count: %s", body);
	free(body);
	img = chart_reply(&ra, &bot, sg, ev);
	check_chart(&ra, sg, img);
	free(img);
	free(ev);
	/* (who sees which scope: tests/unit/test_stats.c) */
	sthelp_expect(sthelp_ask(&ra, &bot, sg, "!gezondheid"), "Stuurgroep Dorp");

	/* the first of next month, 10:00: the monthly report, once per room */
	localtime_r(&(time_t){ (time_t)now }, &tm);
	first = local_ten(tm.tm_year + 1900, tm.tm_mon + 2, 1);
	m_regie = sthelp_marker(&ra, regie);
	move_clock_to(first);
	free(sthelp_marker(&ra, sg));   /* wakes the bot's sync */
	n_regie = sthelp_count_settled(&ra, regie, m_regie, me, "Maandoverzicht", 1, WAIT_MS, NULL);
	cr_assert_eq(n_regie, 1, "monthly reports in the regiegroep: %d", n_regie);
	/* the gemeente's: there (exactly once is counted in the regiegroep) */
	body = sthelp_wait_message(&ra, gem, me, "Maandoverzicht. Statistiek Klein", WAIT_MS);
	cr_assert_not_null(body, "no monthly report in the gemeentelijke regiegroep");
	free(body);
	n_gem = 1;
	body = sthelp_wait_message(&ra, regie, me, "Maandoverzicht", 5000);
	cr_assert_not_null(body);
	cr_assert_not_null(strstr(body, "Meldingen: <5"), "%s", body);
	free(body);
	img = sthelp_wait_event(&ra, regie, me, "statistiek.png", WAIT_MS);
	cr_assert_not_null(img, "no chart with the monthly report");
	check_chart(&ra, regie, img);
	free(img);
	/* an hour on: not again */
	move_clock_to(first + 3600);
	free(sthelp_marker(&ra, sg));
	n_regie = sthelp_count_settled(&ra, regie, m_regie, me, "Maandoverzicht", 1, 0, NULL);
	cr_assert_eq(n_regie, 1, "the monthly report came again: %d", n_regie);

	/* a Monday at least two weeks on: the weekly health report says Zuid is silent */
	monday = first + 15 * DAY;
	localtime_r(&(time_t){ (time_t)monday }, &tm);
	monday = local_ten(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + (8 - tm.tm_wday) % 7);
	m_sg = sthelp_marker(&ra, sg);
	move_clock_to(monday);
	free(sthelp_marker(&ra, sg));
	n_health = sthelp_count_settled(&ra, sg, m_sg, me, "In Wijkgroep Zuid is al", 1, WAIT_MS, NULL);
	cr_assert_eq(n_health, 1, "weekly health reports: %d", n_health);

	/* the export: the same numbers, the same suppression */
	strftime(from, sizeof from, "%Y-%m-%d", localtime_r(&(time_t){ (time_t)(now - 40 * DAY) }, &tm));
	strftime(to, sizeof to, "%Y-%m-%d", localtime_r(&(time_t){ (time_t)(monday) }, &tm));
	export_csv(&bot, from, to, "csv", csv, sizeof csv);
	cr_assert_eq(strncmp(csv, "van,tot,wijk,wijkgroep,cijfer,waarde\n", 37), 0, "%s", csv);
	v = csv_value(csv, "dorp", "noord", "meldingen");
	cr_assert_str_eq(v, "<5");
	free(v);
	v = csv_value(csv, "", "", "meldingen");
	cr_assert_str_eq(v, "<5");
	free(v);
	v = csv_value(csv, "dorp", "zuid", "meldingen");
	cr_assert_str_eq(v, "0");
	free(v);
	v = csv_value(csv, "dorp", "noord", "pct_112_gebeld");
	cr_assert_str_eq(v, "-");
	free(v);
	v = csv_value(csv, "dorp", "noord", "leden");
	cr_assert_str_eq(v, "<5");
	free(v);
	export_csv(&bot, from, to, "json", csv, sizeof csv);
	cr_assert_not_null(strstr(csv, "\"groepen\""), "%s", csv);
	fprintf(stderr, "test_stats: !statistiek text + encrypted chart decrypted by nio; monthly report %d + %d, "
		"once; weekly health 1; export read back\n", n_regie, n_gem);

	free(m_regie);
	free(m_sg);
	free(sg);
	free(noord);
	free(regie);
	free(gem);
	sthelp_resident_done(&melder);
	sthelp_resident_done(&ra);
	itest_bot_cleanup(&bot);
	itest_user_free(&anna);
}
