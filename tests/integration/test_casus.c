/* Integration tests of meldingen (issue 6) against the real Synapse, with
 * independent encrypted clients: a melding opens a casus with a SAAR
 * answer in its thread; only a stuurgroep member's !door or approval
 * reaction forwards it, each target at most once, with one confirmation;
 * the afloop reaches every room and closes the casus; a police message in
 * the stuurgroep room goes into the wijkgroepen with the approver as
 * casushouder. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\",\"regiegroep\":true," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[\"1235\"]}," \
	"{\"id\":\"west\",\"naam\":\"Wijkgroep West\",\"buurten\":[\"1236\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\",\"zuid\"]}," \
	"{\"id\":\"west\",\"naam\":\"Stuurgroep West\",\"leden\":[\"@dirk.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@dirk.stuur:localhost\",\"beheert\":[\"west\"]}]}]," \
	"\"politie\":[{\"gebruiker\":\"@politie.wijkagent:localhost\",\"naam\":\"Wijkagent\",\"kamers\":[\"stuurgroep:stuur\"]}]}"

typedef struct world {
	itest_user anna, bram, carla, agent;
	itest_bot bot;
	resident ra;
	char *sg, *noord, *zuid, *regie;
	char file[400];
} world;

static void world_start(world *w)
{
	memset(w, 0, sizeof *w);
	sthelp_example_user(&w->anna, "anna.stuur");
	sthelp_example_user(&w->bram, "bram.stuur");
	sthelp_example_user(&w->carla, "carla.stuur");
	sthelp_example_user(&w->agent, "politie.wijkagent");
	itest_bot_setup(&w->bot, w->anna.user_id, NULL);
	sthelp_start_with_structure(&w->bot, STRUCTURE, w->file, sizeof w->file);
	w->sg = sthelp_room_of(&w->bot, "stuurgroep:stuur");
	w->noord = sthelp_room_of(&w->bot, "wijkgroep:noord");
	w->zuid = sthelp_room_of(&w->bot, "wijkgroep:zuid");
	w->regie = sthelp_room_of(&w->bot, "regiegroep:dorp");
	resident_existing(&w->ra, &w->anna);
	sthelp_join(&w->ra, w->sg);
	sthelp_join(&w->ra, w->noord);
	sthelp_join(&w->ra, w->zuid);
	sthelp_join(&w->ra, w->regie);
}

static void world_end(world *w)
{
	sthelp_resident_done(&w->ra);
	free(w->sg);
	free(w->noord);
	free(w->zuid);
	free(w->regie);
	itest_bot_cleanup(&w->bot);
	itest_user_free(&w->anna);
	itest_user_free(&w->bram);
	itest_user_free(&w->carla);
	itest_user_free(&w->agent);
}

static char *reply_to(resident *r, world *w, const char *room, const char *event)
{
	return bot_reply(r, &w->bot, room, event);
}

/* The copies among events (as sthelp_count_* returns them): neither the
 * edits of a copy nor what went into its thread. Deletes events. */
static int copies(cJSON *events)
{
	const cJSON *e;
	int n = 0;

	cJSON_ArrayForEach(e, events) {
		const cJSON *rel = cJSON_GetObjectItem(e, "rel_type");

		if (!cJSON_IsString(rel) || (strcmp(rel->valuestring, "m.replace") != 0 &&
					     strcmp(rel->valuestring, "m.thread") != 0))
			n++;
	}
	cJSON_Delete(events);
	return n;
}

static void admit(world *w, resident *r, const char *where, const char *room)
{
	char cmd[600], *ev;

	snprintf(cmd, sizeof cmd, "!lid toevoegen %.255s %s", r->u.user_id, where);
	ev = resident_send(&w->ra, w->sg, cmd);
	sthelp_expect(bot_reply(&w->ra, &w->bot, w->sg, ev), "is uitgenodigd");
	free(ev);
	cr_assert(itest_wait_membership(&w->bot.account, room, r->u.user_id, "invite", 15000));
	sthelp_join(r, room);
}

Test(casus, melding_approval_forward_once_and_afloop_everywhere, .timeout = 480)
{
	world w;
	resident r;
	char *melding, *ev, *body, *since;
	int n;

	world_start(&w);
	resident_new(&r, "melder");
	admit(&w, &r, "noord", w.noord);

	/* What reaches the regiegroep is counted from here on. */
	since = sthelp_marker(&w.ra, w.regie);
	melding = resident_send(&r, w.noord, "Verdachte man bij de school");
	body = reply_to(&r, &w, w.noord, melding);
	cr_assert_not_null(strstr(body, "Casus #1 geopend"), "%s", body);
	cr_assert_not_null(strstr(body, r.u.user_id), "%s", body);
	cr_assert_not_null(strstr(body, "112"), "%s", body);
	cr_assert_not_null(strstr(body, "signalement"), "%s", body);
	free(body);
	/* Nothing goes anywhere without approval; a resident cannot approve. */
	ev = sthelp_send_rel(&r, w.noord, "!door", melding, NULL, 0);
	sthelp_expect(reply_to(&r, &w, w.noord, ev), "stuurgroep");
	free(ev);
	n = sthelp_count_settled(&w.ra, w.regie, since, w.bot.account.user_id, NULL, 0, 0, NULL);
	cr_assert_eq(n, 0, "forwarded without approval: %d event(s) of the bot in the regiegroep", n);

	/* A stuurgroep member approves: the default route is the regiegroep. */
	ev = sthelp_send_rel(&w.ra, w.noord, "!door", melding, NULL, 0);
	sthelp_expect(reply_to(&w.ra, &w, w.noord, ev), "Doorgezet naar Regiegroep Dorp");
	free(ev);
	body = sthelp_wait_message(&w.ra, w.regie, w.bot.account.user_id, "Casus #1 uit Wijkgroep Noord", 30000);
	cr_assert_not_null(body, "no copy in the regiegroep");
	cr_assert_not_null(strstr(body, "Verdachte man bij de school"), "%s", body);
	cr_assert_not_null(strstr(body, w.anna.user_id), "the approver is not named: %s", body);
	free(body);
	/* The author's edit follows the message into its copy once a
	 * stuurgroep member approves it (test_edits counts the details). */
	{
		char cmd[1200], *edit;
		cJSON *j;

		snprintf(cmd, sizeof cmd, "send '%s' 'Verdachte man in rode jas bij de school' --edit '%s'", w.noord, melding);
		j = resident_run(&r, cmd, 0);
		edit = json_str(j, "event_id");
		cJSON_Delete(j);
		free(sthelp_wait_message(&w.ra, w.sg, w.bot.account.user_id, "Wordt:\n> Verdachte man in rode jas", 30000));
		free(sthelp_send_rel(&w.ra, w.noord, "\xe2\x8f\xa9", edit, NULL, 1));
		free(edit);
		body = sthelp_wait_message(&w.ra, w.regie, w.bot.account.user_id, "rode jas", 30000);
		cr_assert_not_null(body, "the edit did not reach the copy");
		free(body);
	}
	/* A follow-up, approved on its own, goes once into the casus's thread in the regiegroep. */
	{
		char *follow;
		cJSON *found = NULL;

		follow = sthelp_send_rel(&r, w.noord, "Hij draagt een grote sporttas", NULL, melding, 0);
		ev = sthelp_send_rel(&w.ra, w.noord, "!door", follow, NULL, 0);
		sthelp_expect(reply_to(&w.ra, &w, w.noord, ev), "Doorgezet naar Regiegroep Dorp");
		free(ev);
		n = sthelp_count_settled(&w.ra, w.regie, since, w.bot.account.user_id, "grote sporttas", 1, 30000, &found);
		cr_assert_eq(n, 1, "%d copies of the follow-up in the regiegroep", n);
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(cJSON_GetArrayItem(found, 0), "thread_root")),
			  "the follow-up's copy is not in the casus thread of the regiegroep");
		cJSON_Delete(found);
		free(follow);
	}
	/* Approved twice: not copied twice. The regiegroep has one copy. */
	ev = sthelp_send_rel(&w.ra, w.noord, "!door regie", melding, NULL, 0);
	sthelp_expect(reply_to(&w.ra, &w, w.noord, ev), "staat al in Regiegroep Dorp");
	free(ev);
	{
		cJSON *found = NULL;

		sthelp_count_settled(&w.ra, w.regie, since, w.bot.account.user_id, "Casus #1 uit Wijkgroep Noord", 0, 0,
				     &found);
		n = copies(found);
		cr_assert_eq(n, 1, "%d copies of the melding in the regiegroep", n);
	}
	/* A follow-up in the thread belongs to the casus; sibling wijkgroep by name. */
	ev = sthelp_send_rel(&w.ra, w.noord, "!door Wijkgroep Zuid", melding, NULL, 0);
	sthelp_expect(reply_to(&w.ra, &w, w.noord, ev), "Doorgezet naar Wijkgroep Zuid");
	free(ev);
	ev = sthelp_send_rel(&w.ra, w.noord, "!door gemeente", melding, NULL, 0);
	sthelp_expect(reply_to(&w.ra, &w, w.noord, ev), "kan ik vanuit hier niet doorzetten");
	free(ev);

	/* The casushouder posts the afloop in the thread: every room gets it. */
	ev = sthelp_send_rel(&r, w.noord, "!afloop loos alarm Het was de nieuwe buurman", NULL, melding, 0);
	sthelp_expect(reply_to(&r, &w, w.noord, ev), "de afloop staat in 3 kamer(s)");
	free(ev);
	sthelp_expect(sthelp_wait_message(&w.ra, w.regie, w.bot.account.user_id, "Afloop casus #1 (loos alarm)", 30000),
	       "(loos alarm):\n> Het was de nieuwe buurman");
	sthelp_expect(sthelp_wait_message(&w.ra, w.zuid, w.bot.account.user_id, "Afloop casus #1", 30000), "buurman");
	ev = sthelp_send_rel(&r, w.noord, "!afloop nog eens", NULL, melding, 0);
	sthelp_expect(reply_to(&r, &w, w.noord, ev), "al afgesloten");
	free(ev);

	/* A second melding, approved with the reaction. An acknowledgement opens nothing. */
	ev = resident_send(&r, w.noord, "bedankt!");
	free(ev);
	ev = resident_send(&r, w.noord, "Twee jongens met bivakmuts lopen richting het park, 112 gebeld, ik blijf binnen");
	body = reply_to(&r, &w, w.noord, ev);
	cr_assert_not_null(strstr(body, "Casus #2 geopend"), "the acknowledgement opened a casus: %s", body);
	cr_assert_null(strstr(body, "SAAR"), "a complete melding got a SAAR reminder: %s", body);
	free(body);
	free(sthelp_send_rel(&w.ra, w.noord, "\xe2\x8f\xa9", ev, NULL, 1));
	body = sthelp_wait_message(&w.ra, w.regie, w.bot.account.user_id, "Casus #2 uit Wijkgroep Noord", 30000);
	cr_assert_not_null(body, "the approval reaction did not forward");
	free(body);
	/* A redaction of the melding removes its copy too: none can be read
	 * in the regiegroep, a redacted event of the bot is in its place. */
	{
		char cmd[1200];
		cJSON *all = NULL;
		const cJSON *e;
		int redacted = 0;

		snprintf(cmd, sizeof cmd, "redact '%s' '%s'", w.noord, ev);
		cJSON_Delete(resident_run(&r, cmd, 0));
		n = sthelp_count_settled(&w.ra, w.regie, since, w.bot.account.user_id, "Casus #2 uit", 0, 30000, NULL);
		cr_assert_eq(n, 0, "the copy of a redacted melding stayed (%d readable)", n);
		sthelp_count_between(&w.ra, w.regie, since, NULL, w.bot.account.user_id, NULL, &all);
		cJSON_ArrayForEach(e, all)
			redacted += cJSON_IsTrue(cJSON_GetObjectItem(e, "redacted"));
		cJSON_Delete(all);
		cr_assert_eq(redacted, 1, "%d redacted event(s) of the bot in the regiegroep", redacted);
	}
	free(ev);

	free(since);
	free(melding);
	sthelp_resident_done(&r);
	world_end(&w);
}

Test(casus, a_police_message_goes_into_the_wijkgroepen_with_the_approver_as_casushouder, .timeout = 360)
{
	world w;
	resident agent;
	char *msg, *ev, *body;

	world_start(&w);
	/* A photo as a melding: forwarded once, without a new upload, attributed in its caption. */
	{
		resident r;
		char cmd[1200], *photo, *since;
		cJSON *j, *found = NULL;
		const cJSON *e, *mt, *url;
		int n;

		resident_new(&r, "fotograaf");
		admit(&w, &r, "noord", w.noord);
		since = sthelp_marker(&w.ra, w.regie);
		snprintf(cmd, sizeof cmd, "send '%s' 'verdacht.jpg' --image 'mxc://localhost/verdacht'", w.noord);
		j = resident_run(&r, cmd, 0);
		photo = json_str(j, "event_id");
		cJSON_Delete(j);
		free(reply_to(&r, &w, w.noord, photo));   /* the casus answer */
		ev = sthelp_send_rel(&w.ra, w.noord, "!door", photo, NULL, 0);
		sthelp_expect(reply_to(&w.ra, &w, w.noord, ev), "Doorgezet naar Regiegroep Dorp");
		free(ev);
		n = sthelp_count_settled(&w.ra, w.regie, since, w.bot.account.user_id, "Casus #1 uit Wijkgroep Noord", 1,
					 30000, &found);
		cr_assert_eq(n, 1, "%d copies of the photo in the regiegroep", n);
		e = cJSON_GetArrayItem(found, 0);
		mt = cJSON_GetObjectItem(e, "msgtype");
		url = cJSON_GetObjectItem(e, "url");
		cr_assert(cJSON_IsString(mt) && strcmp(mt->valuestring, "m.image") == 0 && cJSON_IsString(url) &&
			  strcmp(url->valuestring, "mxc://localhost/verdacht") == 0,
			  "the photo was not forwarded as the same image with an attributed caption");
		cJSON_Delete(found);
		free(since);
		free(photo);
		sthelp_resident_done(&r);
	}
	resident_existing(&agent, &w.agent);
	sthelp_join(&agent, w.sg);
	msg = resident_send(&agent, w.sg, "Let op: inbrekers actief in de wijk, grijze bestelbus");
	ev = sthelp_send_rel(&w.ra, w.sg, "!door", msg, NULL, 0);
	sthelp_expect(reply_to(&w.ra, &w, w.sg, ev), "Doorgezet naar Wijkgroep Noord, Wijkgroep Zuid");
	free(ev);
	body = sthelp_wait_message(&w.ra, w.zuid, w.bot.account.user_id, "Casus #2 uit Stuurgroep Dorp", 30000);
	cr_assert_not_null(body, "no copy in the wijkgroep");
	cr_assert_not_null(strstr(body, "grijze bestelbus"), "%s", body);
	free(body);
	ev = resident_send(&w.ra, w.sg, "!casus");
	sthelp_expect(reply_to(&w.ra, &w, w.sg, ev), "#2 uit Stuurgroep Dorp");
	free(ev);
	/* The approver is casushouder in the wijkgroepen: !afloop with the number. */
	ev = resident_send(&w.ra, w.sg, "!afloop #2 aanhouding Twee personen aangehouden");
	sthelp_expect(reply_to(&w.ra, &w, w.sg, ev), "gesloten");
	free(ev);
	sthelp_expect(sthelp_wait_message(&w.ra, w.noord, w.bot.account.user_id, "Afloop casus #2 (aanhouding)", 30000),
	       "aangehouden");
	ev = resident_send(&w.ra, w.sg, "!casus");
	body = reply_to(&w.ra, &w, w.sg, ev);
	cr_assert_null(strstr(body, "#2 uit"), "the closed casus is still listed as open: %s", body);
	free(body);
	free(ev);

	free(msg);
	sthelp_resident_done(&agent);
	world_end(&w);
}

Test(casus, spelregels_help_acknowledgements_chatter_warnings_flags_and_links, .timeout = 420)
{
	world w;
	resident r;
	char *dm, *ev, *chat[3], cmd[700], *body;
	cJSON *j;
	int i;

	world_start(&w);
	resident_new(&r, "prater");
	admit(&w, &r, "noord", w.noord);
	/* The resident's direct chat with the bot, where private words go. */
	snprintf(cmd, sizeof cmd, "create-room --direct --invite '%s'", w.bot.account.user_id);
	j = resident_run(&r, cmd, 0);
	dm = json_str(j, "room_id");
	cJSON_Delete(j);
	cr_assert(itest_wait_membership(&r.u, dm, w.bot.account.user_id, "join", 30000));

	free(resident_send(&r, w.noord, "bedankt!"));
	sthelp_expect(sthelp_wait_message(&r, dm, w.bot.account.user_id, "emoji", 30000), "Reageer liever");
	for (i = 0; i < 3; i++) {
		static const char *const words[] = { "hallo allemaal", "mooi weer vandaag", "wie komt er vanavond" };

		chat[i] = resident_send(&r, w.noord, words[i]);
		free(reply_to(&r, &w, w.noord, chat[i]));
	}
	sthelp_expect(sthelp_wait_message(&r, dm, w.bot.account.user_id, "kort na elkaar", 30000), "spelregels");

	/* The stuurgroep speaks to them privately; it is counted. */
	snprintf(cmd, sizeof cmd, "!aanspreken %s Graag alleen meldingen", r.u.user_id);
	ev = resident_send(&w.ra, w.sg, cmd);
	sthelp_expect(reply_to(&w.ra, &w, w.sg, ev), "dat is keer 1");
	free(ev);
	sthelp_expect(sthelp_wait_message(&r, dm, w.bot.account.user_id, "Bericht van de stuurgroep", 30000),
	       "Graag alleen meldingen");
	/* Someone without a chat with the bot: it opens one, the word waits there. */
	{
		resident r2;
		char *dm2;

		resident_new(&r2, "stil");
		admit(&w, &r2, "noord", w.noord);
		snprintf(cmd, sizeof cmd, "!aanspreken %s Denk aan de spelregels", r2.u.user_id);
		ev = resident_send(&w.ra, w.sg, cmd);
		sthelp_expect(reply_to(&w.ra, &w, w.sg, ev), "dat is keer 1");
		free(ev);
		dm2 = sthelp_dm_room_of(&w.bot, r2.u.user_id);
		cr_assert_not_null(dm2, "the bot opened no chat to say it privately");
		sthelp_join(&r2, dm2);
		sthelp_expect(sthelp_wait_message(&r2, dm2, w.bot.account.user_id, "Bericht van de stuurgroep", 30000),
			      "Denk aan de spelregels");
		free(dm2);
		sthelp_resident_done(&r2);
	}
	/* A resident cannot speak to anyone. */
	ev = resident_send(&r, w.noord, cmd);
	sthelp_expect(reply_to(&r, &w, w.noord, ev), "stuurgroep");
	free(ev);

	/* A flag reaches the stuurgroep and is counted for the author. */
	free(sthelp_send_rel(&w.ra, w.noord, "\xf0\x9f\x9a\xa9", chat[1], NULL, 1));
	body = sthelp_wait_message(&w.ra, w.sg, w.bot.account.user_id, "markeert een bericht", 30000);
	cr_assert_not_null(body, "the flag did not reach the stuurgroep");
	cr_assert_not_null(strstr(body, r.u.user_id), "%s", body);
	free(body);
	ev = resident_send(&w.ra, w.sg, "!leden Wijkgroep Noord");
	sthelp_expect(reply_to(&w.ra, &w, w.sg, ev), "aangesproken: 1, gemarkeerd: 1");
	free(ev);

	/* Another stuurgroep does not see these casussen in !casus. */
	{
		itest_user dirk;
		resident rd;
		char *west_sg = sthelp_room_of(&w.bot, "stuurgroep:west");

		sthelp_example_user(&dirk, "dirk.stuur");
		resident_existing(&rd, &dirk);
		sthelp_join(&rd, west_sg);
		ev = resident_send(&rd, west_sg, "!casus");
		sthelp_expect(reply_to(&rd, &w, west_sg, ev), "geen open casussen");
		free(ev);
		ev = resident_send(&w.ra, w.sg, "!casus");
		sthelp_expect(reply_to(&w.ra, &w, w.sg, ev), "Open casussen");
		free(ev);
		sthelp_resident_done(&rd);
		itest_user_free(&dirk);
		free(west_sg);
	}
	/* The casushouder links their casus to an earlier one. */
	ev = sthelp_send_rel(&r, w.noord, "!koppel #1", NULL, chat[2], 0);
	sthelp_expect(reply_to(&r, &w, w.noord, ev), "Casus #3 is gekoppeld aan casus #1");
	free(ev);

	for (i = 0; i < 3; i++)
		free(chat[i]);
	free(dm);
	sthelp_resident_done(&r);
	world_end(&w);
}
