/* Integration test of floods (issue 11) against the real Synapse, with
 * independent encrypted clients: one resident posts 200 top-level
 * messages in a wijkgroep while a stuurgroep member asks !ping. Only the
 * first flood_max_casussen (3) open a casus; the resident gets one private
 * word; the stuurgroep room gets one notice and, after flood_report_minutes
 * (1 here), one count of the rest; and the !ping is answered before the
 * flood's answers. The flood and the !ping reach the bot as one backlog
 * (it is stopped while they are sent, as when it is behind), so the order
 * of what it sends is its choice alone: the test asserts that order, and
 * counts, never times. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\"]}]}]}"

#define FLOOD 200
#define LIMIT 3

/* A number from the bot's store (read-only, as the bot keeps running);
 * -1 when it cannot be read. */
static long long store_num(const itest_bot *b, const char *sql, const char *arg)
{
	char path[400];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	snprintf(path, sizeof path, "%s/data/buurtbot.db", b->dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
			if (arg)
				sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				n = sqlite3_column_int64(st, 0);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* The newest `limit` events of room as r reads them, oldest first. */
static cJSON *read_room(resident *r, const char *room, int limit)
{
	char args[600];
	cJSON *j;

	snprintf(args, sizeof args, "read '%s' --limit %d", room, limit);
	j = resident_run(r, args, 0);
	cr_assert(cJSON_IsArray(cJSON_GetObjectItem(j, "events")));
	return j;
}

static const char *field(const cJSON *ev, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(ev, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static long long ts_of(const cJSON *ev)
{
	const cJSON *v = cJSON_GetObjectItem(ev, "ts");

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

Test(flood, a_flood_opens_the_limit_of_casussen_and_the_stuurgroep_is_answered_first, .timeout = 840)
{
	itest_user anna, bram;
	itest_bot bot;
	resident ra, r;
	char file[400], cmd[1200], *sg, *noord, *dm, *marker, *dm_marker, *ping, *body;
	const char *me;
	const cJSON *e;
	cJSON *j;
	long long held = -1, pending = -1, pong_ts = -1, last_answer_ts = -1, first_answer_ts = -1;
	int words, answers = 0, others = 0, notices, seconds, counts, pong_at = -1, notice_at = -1, at;

	sthelp_example_user(&anna, "anna.stuur");
	sthelp_example_user(&bram, "bram.stuur");
	itest_bot_setup(&bot, anna.user_id, "flood_max_casussen = 3\nflood_report_minutes = 1\n");
	sthelp_start_with_structure(&bot, STRUCTURE, file, sizeof file);
	me = bot.account.user_id;
	sg = sthelp_room_of(&bot, "stuurgroep:stuur");
	noord = sthelp_room_of(&bot, "wijkgroep:noord");
	resident_existing(&ra, &anna);
	sthelp_join(&ra, sg);
	sthelp_join(&ra, noord);

	/* A resident with a direct chat with the bot, admitted to noord. */
	resident_new(&r, "vloed");
	dm = sthelp_open_dm(&r, &bot);
	sthelp_admit(&ra, &bot, sg, &r, "noord", noord);
	dm_marker = sthelp_marker(&r, dm);
	marker = sthelp_marker(&ra, sg);

	/* The bot is behind: the flood and the !ping wait for it together. */
	cr_assert_eq(itest_bot_stop(&bot), 0);
	snprintf(cmd, sizeof cmd, "--max-time 600 send '%s' 'Melding {n}: verdachte man bij de garages, 112 gebeld' "
		 "--repeat %d", noord, FLOOD);
	j = resident_run(&r, cmd, 0);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "event_ids")), FLOOD);
	cJSON_Delete(j);
	ping = resident_send(&ra, sg, "!ping");
	itest_bot_start(&bot);

	snprintf(cmd, sizeof cmd, "wait-reply '%s' '%s' --from '%s' --timeout 180", sg, ping, me);
	j = resident_run(&ra, cmd, 1);
	e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "replies"), 0);
	if (!e)
		itest_bot_dump_log(&bot);
	cr_assert_not_null(e, "no answer to !ping during the flood");
	cr_assert_not_null(strstr(field(e, "body"), "pong"), "%s", field(e, "body"));
	cJSON_Delete(j);

	/* Wait until the bot has decided every message of the flood and sent
	 * everything: the store says so. */
	for (seconds = 0; seconds < 300; seconds++) {
		held = store_num(&bot, "SELECT coalesce(sum(held), 0) FROM floods WHERE user_id = ?", r.u.user_id);
		pending = store_num(&bot, "SELECT count(*) FROM outbox WHERE state = 'pending'", NULL);
		if (held == FLOOD - LIMIT && pending == 0)
			break;
		sleep(1);
	}
	cr_assert_eq(held, FLOOD - LIMIT, "messages held back as flood: %lld", held);
	cr_assert_eq(pending, 0);
	cr_assert_eq(store_num(&bot, "SELECT count(*) FROM casussen WHERE origin_room = ?", noord), LIMIT,
		     "casussen opened by the flood");

	/* In the wijkgroep: only the answers to the casussen opened. The bot
	 * was stopped during the flood, so all it said comes after it. */
	j = read_room(&ra, noord, 30);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "events")) {
		if (strcmp(field(e, "sender"), me) != 0)
			continue;
		if (strstr(field(e, "body"), "geopend") && field(e, "thread_root")[0]) {
			answers++;
			if (first_answer_ts < 0 || ts_of(e) < first_answer_ts)
				first_answer_ts = ts_of(e);
			if (ts_of(e) > last_answer_ts)
				last_answer_ts = ts_of(e);
		} else {
			others++;
		}
	}
	cJSON_Delete(j);
	cr_assert_eq(answers, LIMIT, "thread answers in the wijkgroep: %d", answers);
	cr_assert_eq(others, 0, "other bot messages in the wijkgroep: %d", others);

	/* In the stuurgroep room: the pong first, then one notice; no "another
	 * casus open" per message. */
	notices = sthelp_count_between(&ra, sg, marker, NULL, me, "plaatst veel berichten", NULL);
	cr_assert_eq(notices, 1, "flood notices: %d", notices);
	cr_assert_eq(sthelp_count_between(&ra, sg, marker, NULL, me, "Er loopt al een open casus", NULL), 0);
	cr_assert_eq(sthelp_count_between(&ra, sg, marker, NULL, me, NULL, NULL), 2,
		     "the pong and the notice, nothing else");
	j = read_room(&ra, sg, 30);
	at = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "events")) {
		if (strcmp(field(e, "sender"), me) == 0 && strcmp(field(e, "in_reply_to"), ping) == 0) {
			pong_at = at;
			pong_ts = ts_of(e);
		} else if (strcmp(field(e, "sender"), me) == 0 && strstr(field(e, "body"), "plaatst veel berichten")) {
			notice_at = at;
		}
		at++;
	}
	cJSON_Delete(j);
	cr_assert(pong_at >= 0 && notice_at >= 0);
	cr_assert_lt(pong_at, notice_at, "the flood notice came before the answer to !ping");
	cr_assert_gt(pong_ts, 0);
	cr_assert_leq(pong_ts, first_answer_ts, "a flood answer went before the pong (%lld > %lld)", pong_ts,
		      first_answer_ts);
	cr_assert_lt(pong_ts, last_answer_ts, "the pong came after the flood's answers");

	/* The resident: one private word. */
	words = sthelp_count_between(&r, dm, dm_marker, NULL, me, NULL, NULL);
	cr_assert_eq(words, 1, "private words: %d", words);
	cr_assert_eq(sthelp_count_between(&r, dm, dm_marker, NULL, me, "geen casus", NULL), 1);

	/* After flood_report_minutes the stuurgroep gets the count of the rest,
	 * once. */
	body = sthelp_wait_message(&ra, sg, me, "niet als casus geopend", 240000);
	cr_assert_not_null(body, "no count of the flood");
	snprintf(cmd, sizeof cmd, "nog %d bericht(en)", FLOOD - LIMIT - 1);
	cr_assert_not_null(strstr(body, cmd), "%s", body);
	snprintf(cmd, sizeof cmd, "(%d in totaal)", FLOOD - LIMIT);
	cr_assert_not_null(strstr(body, cmd), "%s", body);
	free(body);
	counts = sthelp_count_between(&ra, sg, marker, NULL, me, "niet als casus geopend", NULL);
	notices = sthelp_count_between(&ra, sg, marker, NULL, me, "plaatst veel berichten", NULL);
	cr_assert_eq(counts, 1);
	cr_assert_eq(notices, 1);
	cr_assert_eq(sthelp_count_between(&ra, sg, marker, NULL, me, NULL, NULL), 3);
	fprintf(stderr, "test_flood: %d messages: %d casussen, %lld held back, %d thread answers, %d private word, "
		"%d flood notice + %d count in the stuurgroep room; pong at %lld ms, answers %lld..%lld ms\n", FLOOD,
		LIMIT, held, answers, words, notices, counts, pong_ts, first_answer_ts, last_answer_ts);

	free(marker);
	free(dm_marker);
	free(ping);
	free(dm);
	free(sg);
	free(noord);
	sthelp_resident_done(&r);
	sthelp_resident_done(&ra);
	itest_bot_cleanup(&bot);
	itest_user_free(&anna);
	itest_user_free(&bram);
}
