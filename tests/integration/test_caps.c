/* Integration tests of member caps and phases against the real Synapse:
 * a knock on a full wijkgroep goes on the waiting list and the knocker is
 * told; passing the growth threshold tells the stuurgroep; a place coming
 * free names the first in line; a lowered cap removes the last to arrive;
 * !splits and !wijkgroep nieuw only happen once a second stuurgroep member
 * confirms, and a split moves members into their buurt's room. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STUUR "\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"dorp\"]}]"

/* One wijk, one wijkgroep "dorp" with the given cap and buurten. */
static void dorp(char *buf, size_t size, int limiet, int drempel, const char *buurten)
{
	snprintf(buf, size, "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\","
		 "\"wijkgroepen\":[{\"id\":\"dorp\",\"naam\":\"Wijkgroep Dorp\",\"buurten\":[%s],"
		 "\"limiet\":%d,\"groeidrempel\":%d}]," STUUR "}]}", buurten, limiet, drempel);
}

typedef struct world {
	itest_user anna, bram, carla;
	itest_bot bot;
	resident ra;      /* anna's encrypted client */
	char *sg, *wg;    /* room ids */
	char file[400];
} world;

static void world_start(world *w, int limiet, int drempel, const char *buurten)
{
	char json[2000], cmd[700];

	memset(w, 0, sizeof *w);
	sthelp_example_user(&w->anna, "anna.stuur");
	sthelp_example_user(&w->bram, "bram.stuur");
	sthelp_example_user(&w->carla, "carla.stuur");
	itest_bot_setup(&w->bot, w->anna.user_id, NULL);
	dorp(json, sizeof json, limiet, drempel, buurten);
	sthelp_structure_file(&w->bot, "dorp.json", json, w->file, sizeof w->file);
	itest_bot_start(&w->bot);
	free(sthelp_wait_reconciled(&w->bot, 1));
	w->sg = sthelp_room_of(&w->bot, "stuurgroep:stuur");
	w->wg = sthelp_room_of(&w->bot, "wijkgroep:dorp");
	resident_existing(&w->ra, &w->anna);
	snprintf(cmd, sizeof cmd, "join '%s'", w->sg);
	cJSON_Delete(resident_run(&w->ra, cmd, 0));
}

static void world_end(world *w)
{
	sthelp_resident_done(&w->ra);
	free(w->sg);
	free(w->wg);
	itest_bot_cleanup(&w->bot);
	itest_user_free(&w->anna);
	itest_user_free(&w->bram);
	itest_user_free(&w->carla);
}

static void expect_notice(world *w, const char *needle, const char *also)
{
	char *body = sthelp_wait_message(&w->ra, w->sg, w->bot.account.user_id, needle, 30000);

	if (!body)
		itest_bot_dump_log(&w->bot);
	cr_assert_not_null(body, "the stuurgroep never saw \"%s\"", needle);
	if (also)
		cr_assert_not_null(strstr(body, also), "\"%s\" missing in: %s", also, body);
	free(body);
}

static char *admit(world *w, const itest_user *u, const char *where)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "!lid toevoegen %.255s %s", u->user_id, where);
	return sthelp_ask(&w->ra, &w->bot, w->sg, cmd);
}

Test(caps, knock_waiting_list_growth_notice_and_a_freed_place, .timeout = 360)
{
	world w;
	itest_user r[3];
	char *body;
	int i;

	for (i = 0; i < 3; i++)
		itest_user_new(&r[i], "bewoner");
	/* Cap 5 with the three stuurgroep members in it: two residents fit;
	 * the growth threshold 4 is passed by the second. */
	world_start(&w, 5, 4, "\"1234\"");

	/* A knock with room is passed to the stuurgroep with the command to admit. */
	cr_assert_eq(mx_knock(r[0].c, w.wg, "ik woon hier", NULL), MX_OK, "%s", mx_client_last_error(r[0].c)->message);
	expect_notice(&w, "klopt aan bij Wijkgroep Dorp", "!lid toevoegen");

	body = admit(&w, &r[0], "dorp");
	cr_assert_not_null(strstr(body, "is uitgenodigd"), "%s", body);
	free(body);
	/* By postcode: the same wijkgroep. */
	body = admit(&w, &r[1], "1234 AB");
	cr_assert_not_null(strstr(body, "is uitgenodigd"), "%s", body);
	free(body);
	expect_notice(&w, "groeidrempel", "Leden per buurt");

	/* Full: the knocker is turned away with the reason and waits in line. */
	cr_assert_eq(mx_knock(r[2].c, w.wg, NULL, NULL), MX_OK);
	expect_notice(&w, "wachtlijst gezet", r[2].user_id);
	cr_assert(itest_wait_membership(&w.bot.account, w.wg, r[2].user_id, "leave", 15000),
		  "the knock on a full wijkgroep was left pending");
	body = sthelp_ask(&w.ra, &w.bot, w.sg, "!wachtlijst");
	cr_assert_not_null(strstr(body, r[2].user_id), "%s", body);
	cr_assert_not_null(strstr(body, "aangeklopt"), "%s", body);
	free(body);
	/* Admitting past the cap puts on the list instead. */
	{
		itest_user extra;

		itest_user_new(&extra, "bewoner");
		body = admit(&w, &extra, "dorp");
		cr_assert_not_null(strstr(body, "op de wachtlijst gezet (plaats 2)"), "%s", body);
		free(body);
		itest_user_free(&extra);
	}

	/* A resident leaves: the stuurgroep hears who is first in line. */
	cr_assert(itest_wait_membership(&w.bot.account, w.wg, r[0].user_id, "invite", 15000));
	cr_assert_eq(mx_leave(r[0].c, w.wg, NULL), MX_OK);
	expect_notice(&w, "Er is plek in Wijkgroep Dorp", r[2].user_id);
	body = admit(&w, &r[2], "dorp");
	cr_assert_not_null(strstr(body, "is uitgenodigd"), "%s", body);
	free(body);
	body = sthelp_ask(&w.ra, &w.bot, w.sg, "!wachtlijst");
	cr_assert_null(strstr(body, r[2].user_id), "still on the waiting list after admission: %s", body);
	free(body);

	world_end(&w);
	for (i = 0; i < 3; i++)
		itest_user_free(&r[i]);
}

Test(caps, a_lowered_cap_removes_the_last_to_arrive, .timeout = 300)
{
	world w;
	itest_user r[3];
	char json[2000], *body;
	FILE *f;
	int i;

	for (i = 0; i < 3; i++)
		itest_user_new(&r[i], "bewoner");
	world_start(&w, 6, 6, "\"1234\"");
	for (i = 0; i < 3; i++) {
		body = admit(&w, &r[i], "dorp");
		cr_assert_not_null(strstr(body, "is uitgenodigd"), "%s", body);
		free(body);
		cr_assert(itest_wait_membership(&w.bot.account, w.wg, r[i].user_id, "invite", 15000));
		cr_assert_eq(mx_join(r[i].c, w.wg, NULL), MX_OK);
	}
	cr_assert(itest_wait_membership(&w.bot.account, w.wg, r[2].user_id, "join", 15000));

	/* The operator lowers the cap to 5 and reloads. */
	dorp(json, sizeof json, 5, 5, "\"1234\"");
	f = fopen(w.file, "w");
	fputs(json, f);
	fclose(f);
	cr_assert_eq(kill(w.bot.pid, SIGHUP), 0);
	cr_assert(itest_wait_membership(&w.bot.account, w.wg, r[2].user_id, "leave", 30000),
		  "the last to arrive was not removed");
	expect_notice(&w, "boven het maximum", r[2].user_id);
	for (i = 0; i < 2; i++) {
		char *m = itest_membership(&w.bot.account, w.wg, r[i].user_id);
		cr_assert_str_eq(m, "join", "an earlier member was removed");
		free(m);
	}
	body = sthelp_ask(&w.ra, &w.bot, w.sg, "!wachtlijst");
	cr_assert_not_null(strstr(body, r[2].user_id), "%s", body);
	free(body);

	world_end(&w);
	for (i = 0; i < 3; i++)
		itest_user_free(&r[i]);
}

Test(caps, splits_and_a_new_wijkgroep_after_a_second_member_confirms, .timeout = 420)
{
	world w;
	itest_user r[2];
	resident rb;
	cJSON *pl = NULL, *jr = NULL, *topic = NULL;
	char cmd[600], *body, *noord, *zuid, *beek;
	int i;

	for (i = 0; i < 2; i++)
		itest_user_new(&r[i], "bewoner");
	world_start(&w, 10, 10, "{\"naam\":\"Noord\",\"postcodes\":[\"1234\"]},{\"naam\":\"Zuid\",\"postcodes\":[\"1235\"]}");
	body = admit(&w, &r[0], "Noord");
	cr_assert_not_null(strstr(body, "is uitgenodigd"), "%s", body);
	free(body);
	body = admit(&w, &r[1], "1235AB");
	cr_assert_not_null(strstr(body, "is uitgenodigd"), "%s", body);
	free(body);
	for (i = 0; i < 2; i++) {
		cr_assert(itest_wait_membership(&w.bot.account, w.wg, r[i].user_id, "invite", 15000));
		cr_assert_eq(mx_join(r[i].c, w.wg, NULL), MX_OK);
	}

	body = sthelp_ask(&w.ra, &w.bot, w.sg, "!splits");
	cr_assert_not_null(strstr(body, "Voorstel 1"), "%s", body);
	cr_assert_not_null(strstr(body, "Noord"), "%s", body);
	cr_assert_not_null(strstr(body, "Zuid"), "%s", body);
	free(body);
	/* The proposer cannot confirm; a resident cannot either. */
	body = sthelp_ask(&w.ra, &w.bot, w.sg, "!bevestig");
	cr_assert_not_null(strstr(body, "eigen voorstel"), "%s", body);
	free(body);
	itest_sleep_ms(STHELP_SETTLE_MS);
	cr_assert(!sthelp_has_room(&w.bot, "wijkgroep:dorp-noord"), "split without confirmation");

	resident_existing(&rb, &w.bram);
	snprintf(cmd, sizeof cmd, "join '%s'", w.sg);
	cJSON_Delete(resident_run(&rb, cmd, 0));
	body = sthelp_ask(&rb, &w.bot, w.sg, "!bevestig 1");
	cr_assert_not_null(strstr(body, "bevestigd door"), "%s", body);
	free(body);

	noord = sthelp_wait_room(&w.bot, "wijkgroep:dorp-noord", 60000);
	zuid = sthelp_wait_room(&w.bot, "wijkgroep:dorp-zuid", 60000);
	if (!noord || !zuid)
		itest_bot_dump_log(&w.bot);
	cr_assert(noord && zuid, "the new wijkgroepen were not made");
	cr_assert(itest_wait_membership(&w.bot.account, noord, r[0].user_id, "invite", 30000), "not invited into Noord");
	cr_assert(itest_wait_membership(&w.bot.account, zuid, r[1].user_id, "invite", 30000), "not invited into Zuid");
	expect_notice(&w, "Splitsing van Wijkgroep Dorp klaar", "2 leden");
	/* The old room: no more knocks, only the stuurgroep posts, a pointer. */
	cr_assert_eq(mx_state_get(r[0].c, w.wg, "m.room.join_rules", "", &jr), MX_OK);
	cr_assert_str_eq(cJSON_GetObjectItem(jr, "join_rule")->valuestring, "invite");
	cr_assert_eq(mx_state_get(r[0].c, w.wg, "m.room.power_levels", "", &pl), MX_OK);
	cr_assert_eq((int)cJSON_GetObjectItem(pl, "events_default")->valuedouble, 50);
	cr_assert_eq(mx_state_get(r[0].c, w.wg, "m.room.topic", "", &topic), MX_OK);
	cr_assert_not_null(strstr(cJSON_GetObjectItem(topic, "topic")->valuestring, "Opgeheven"));
	cr_assert_neq(mx_send(r[0].c, w.wg, "m.room.message", "t-after-split",
			      cJSON_Parse("{\"msgtype\":\"m.text\",\"body\":\"hallo?\"}"), NULL), MX_OK,
		      "a resident could still post in the retired room");

	/* The operator can take the change into the file. */
	{
		char line[1024], printed[65536] = "";
		FILE *p;

		snprintf(cmd, sizeof cmd, "'%s' --config '%s' --print-structure 2>/dev/null", getenv("BUURTBOT_BIN"),
			 w.bot.conf);
		p = popen(cmd, "r");
		cr_assert_not_null(p);
		while (fgets(line, sizeof line, p))
			strncat(printed, line, sizeof printed - strlen(printed) - 1);
		cr_assert_eq(pclose(p), 0, "--print-structure failed: %s", printed);
		cr_assert_not_null(strstr(printed, "\"opgeheven\":\ttrue"), "%s", printed);
		cr_assert_not_null(strstr(printed, "\"dorp-noord\""), "%s", printed);
	}

	/* A new wijkgroep, also only after confirmation. */
	body = sthelp_ask(&w.ra, &w.bot, w.sg, "!wijkgroep nieuw Beek: 1236");
	cr_assert_not_null(strstr(body, "Voorstel 2"), "%s", body);
	free(body);
	body = sthelp_ask(&rb, &w.bot, w.sg, "!bevestig");
	cr_assert_not_null(strstr(body, "bevestigd door"), "%s", body);
	free(body);
	beek = sthelp_wait_room(&w.bot, "wijkgroep:beek", 60000);
	cr_assert_not_null(beek, "the new wijkgroep was not made");
	expect_notice(&w, "De nieuwe wijkgroep Beek is aangemaakt", NULL);
	/* A postcode of the new wijkgroep now finds it. */
	{
		itest_user x;

		itest_user_new(&x, "bewoner");
		body = admit(&w, &x, "1236");
		cr_assert_not_null(strstr(body, "is uitgenodigd in Beek"), "%s", body);
		free(body);
		itest_user_free(&x);
	}

	cJSON_Delete(pl);
	cJSON_Delete(jr);
	cJSON_Delete(topic);
	sthelp_resident_done(&rb);
	free(noord);
	free(zuid);
	free(beek);
	world_end(&w);
	for (i = 0; i < 2; i++)
		itest_user_free(&r[i]);
}
