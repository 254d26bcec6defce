/* Integration tests of signing up (issue 5) against the real Synapse,
 * with an independent encrypted client: a resident goes from a first
 * direct message to membership of the wijkgroep of their buurt, through
 * a restart of the bot mid-way; the stuurgroep admits or rejects; a knock
 * opens the chat; !mijngegevens and !vergeetmij; a resident cannot admit
 * anyone. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[{\"naam\":\"Noord\",\"postcodes\":[\"1234\"]}]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[{\"naam\":\"Zuid\",\"postcodes\":[\"1235\"]}]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}]}"

typedef struct world {
	itest_user anna, bram, carla;
	itest_bot bot;
	resident ra;
	char *sg;
	char file[400];
} world;

static void world_start(world *w)
{
	char cmd[700];

	memset(w, 0, sizeof *w);
	sthelp_example_user(&w->anna, "anna.stuur");
	sthelp_example_user(&w->bram, "bram.stuur");
	sthelp_example_user(&w->carla, "carla.stuur");
	itest_bot_setup(&w->bot, w->anna.user_id, NULL);
	sthelp_structure_file(&w->bot, "dorp.json", STRUCTURE, w->file, sizeof w->file);
	itest_bot_start(&w->bot);
	free(sthelp_wait_reconciled(&w->bot, 1));
	w->sg = sthelp_room_of(&w->bot, "stuurgroep:stuur");
	resident_existing(&w->ra, &w->anna);
	snprintf(cmd, sizeof cmd, "join '%s'", w->sg);
	cJSON_Delete(resident_run(&w->ra, cmd, 0));
}

static void world_end(world *w)
{
	sthelp_resident_done(&w->ra);
	free(w->sg);
	itest_bot_cleanup(&w->bot);
	itest_user_free(&w->anna);
	itest_user_free(&w->bram);
	itest_user_free(&w->carla);
}

Test(signup, from_first_message_to_member_of_the_right_wijkgroep, .timeout = 480)
{
	world w;
	resident r;
	char *dm, *zuid, *noord, *body, cmd[600];

	world_start(&w);
	resident_new(&r, "nieuw");
	dm = sthelp_open_dm(&r, &w.bot);
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "hallo"), "Wat is je naam?");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "Jan Jansen"), "postcode");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "9999 ZZ"), "Kies je buurt");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "2"), "Dat is buurt Zuid, wijkgroep Wijkgroep Zuid");

	/* The bot restarts in the middle: nothing is lost or asked twice. */
	cr_assert_eq(itest_bot_stop(&w.bot), 0);
	itest_bot_start(&w.bot);
	body = sthelp_ask(&r, &w.bot, dm, "06 12345678");
	cr_assert_not_null(strstr(body, "18 jaar"), "%s", body);
	cr_assert_null(strstr(body, "telefoonnummer"), "the phone question came again: %s", body);
	free(body);
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "misschien"), "ja of nee");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "ja"), "SAAR");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "ok"), "akkoord");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "akkoord"), "ligt nu bij de stuurgroep van Wijkgroep Zuid");

	/* Only the stuurgroep sees the application. */
	body = sthelp_wait_message(&w.ra, w.sg, w.bot.account.user_id, "Nieuwe aanmelding 1", 30000);
	cr_assert_not_null(body, "the stuurgroep never saw the application");
	cr_assert_not_null(strstr(body, "Jan Jansen"), "%s", body);
	cr_assert_not_null(strstr(body, "0612345678"), "%s", body);
	cr_assert_not_null(strstr(body, "Zuid"), "%s", body);
	free(body);
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!mijngegevens"), "Jan Jansen");
	/* A resident cannot admit anyone, not even themselves. */
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!toelaten 1"), "telefoonbeheerder");

	sthelp_expect(sthelp_ask(&w.ra, &w.bot, w.sg, "!toelaten 1"), "uitgenodigd in Wijkgroep Zuid");
	zuid = sthelp_room_of(&w.bot, "wijkgroep:zuid");
	noord = sthelp_room_of(&w.bot, "wijkgroep:noord");
	cr_assert(itest_wait_membership(&w.bot.account, zuid, r.u.user_id, "invite", 20000), "not invited");
	body = sthelp_wait_message(&r, dm, w.bot.account.user_id, "toegelaten tot Wijkgroep Zuid", 30000);
	cr_assert_not_null(body, "the resident was not told");
	free(body);
	snprintf(cmd, sizeof cmd, "join '%s'", zuid);
	cJSON_Delete(resident_run(&r, cmd, 0));
	body = sthelp_wait_message(&r, zuid, w.bot.account.user_id, "!spelregels", 30000);
	cr_assert_not_null(body, "no welcome in the wijkgroep");
	cr_assert_null(strstr(body, "Jan Jansen"), "personal data posted in the wijkgroep: %s", body);
	free(body);
	sthelp_expect(sthelp_ask(&r, &w.bot, zuid, "!spelregels"), "0900-8844");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!aanmelden"), "Je bent lid van Wijkgroep Zuid");

	/* New spelregels: the resident is asked, keeps access, the stuurgroep sees who has not accepted. */
	{
		char json[4000];
		FILE *f;
		const char *at = strstr(STRUCTURE, "\"wijkgroepen\"");

		snprintf(json, sizeof json, "%.*s\"spelregels\":\"Nieuwe regel: altijd eerst 112.\",%s",
			 (int)(at - STRUCTURE), STRUCTURE, at);
		f = fopen(w.file, "w");
		fputs(json, f);
		fclose(f);
		cr_assert_eq(kill(w.bot.pid, SIGHUP), 0);
		body = sthelp_wait_message(&r, dm, w.bot.account.user_id, "zijn gewijzigd", 60000);
		cr_assert_not_null(body, "the resident was not asked to accept the new spelregels");
		cr_assert_not_null(strstr(body, "Nieuwe regel"), "%s", body);
		free(body);
		sthelp_expect(sthelp_ask(&w.ra, &w.bot, w.sg, "!leden Wijkgroep Zuid"), "nieuwe spelregels nog niet geaccepteerd");
		sthelp_expect(sthelp_ask(&r, &w.bot, dm, "akkoord"), "genoteerd");
		body = sthelp_ask(&w.ra, &w.bot, w.sg, "!leden Wijkgroep Zuid");
		cr_assert_null(strstr(body, "nog niet geaccepteerd"), "%s", body);
		free(body);
	}

	/* Forget me: out of every room, data gone. */
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!vergeetmij"), "!vergeetmij ja");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!vergeetmij ja"), "gewist");
	cr_assert(itest_wait_membership(&w.bot.account, zuid, r.u.user_id, "leave", 20000), "still in the wijkgroep");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!mijngegevens"), "geen persoonlijke gegevens");

	free(dm);
	free(zuid);
	free(noord);
	sthelp_resident_done(&r);
	world_end(&w);
}

Test(signup, a_knock_opens_the_chat_and_a_rejection_is_explained, .timeout = 420)
{
	world w;
	resident r;
	char *noord, *dm, *body, cmd[600];

	world_start(&w);
	resident_new(&r, "klopper");
	noord = sthelp_room_of(&w.bot, "wijkgroep:noord");
	cr_assert_eq(mx_knock(r.u.c, noord, NULL, NULL), MX_OK, "%s", mx_client_last_error(r.u.c)->message);
	dm = sthelp_dm_room_of(&w.bot, r.u.user_id);
	cr_assert_not_null(dm, "the bot opened no direct chat after the knock");
	snprintf(cmd, sizeof cmd, "join '%s'", dm);
	cJSON_Delete(resident_run(&r, cmd, 0));
	body = sthelp_wait_message(&r, dm, w.bot.account.user_id, "Wat is je naam?", 30000);
	cr_assert_not_null(body, "no greeting in the chat the bot opened");
	free(body);
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "Piet"), "postcode");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "Noord"), "Dat is buurt Noord");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "nee"), "18 jaar");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "ja"), "akkoord");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "akkoord"), "ligt nu bij de stuurgroep");
	body = sthelp_wait_message(&w.ra, w.sg, w.bot.account.user_id, "Nieuwe aanmelding", 30000);
	cr_assert_not_null(body);
	free(body);
	sthelp_expect(sthelp_ask(&w.ra, &w.bot, w.sg, "!afwijzen 1 woont niet in de wijk"), "afgewezen");
	body = sthelp_wait_message(&r, dm, w.bot.account.user_id, "niet toegelaten", 30000);
	cr_assert_not_null(body, "the applicant was not told");
	cr_assert_not_null(strstr(body, "woont niet in de wijk"), "%s", body);
	free(body);
	sthelp_expect(sthelp_ask(&w.ra, &w.bot, w.sg, "!toelaten 1"), "al afgehandeld");
	/* Stopping half-way deletes what was given. */
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!aanmelden"), "Wat is je naam?");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "Piet Opnieuw"), "postcode");
	sthelp_expect(sthelp_ask(&r, &w.bot, dm, "!stop"), "gewist");

	free(noord);
	free(dm);
	sthelp_resident_done(&r);
	world_end(&w);
}
