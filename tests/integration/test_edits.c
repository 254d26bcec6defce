/* Integration tests of edits and redactions of forwarded messages (issue
 * 11) against the real Synapse, with independent encrypted clients: an
 * author's edit of an approved melding changes no copy until a stuurgroep
 * member approves it, and then arrives as one m.replace of the copy event
 * itself, the second edit too; the author's redaction removes the copy;
 * a police message names the approving stuurgroep member as casushouder
 * in the wijkgroepen and in !casus. What arrives in a room is counted
 * after a marker message, so a failed read cannot pass for "nothing". */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define APPROVAL "\xe2\x8f\xa9"   /* ⏩ */
#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\",\"regiegroep\":true," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[\"1235\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}]," \
	"\"politie\":[{\"gebruiker\":\"@politie.wijkagent:localhost\",\"naam\":\"Wijkagent\",\"kamers\":[\"stuurgroep:stuur\"]}]}"

/* Anna (stuurgroep, telefoonbeheerder) reads every room with her own
 * encrypted client; the bot built the Zoomwijck-like structure above. */
typedef struct setting {
	itest_user anna;
	itest_bot bot;
	resident ra;
	char *sg, *noord, *zuid, *regie;
	char file[400];
} setting;

static void setting_up(setting *s)
{
	memset(s, 0, sizeof *s);
	sthelp_example_user(&s->anna, "anna.stuur");
	itest_bot_setup(&s->bot, s->anna.user_id, NULL);
	sthelp_start_with_structure(&s->bot, STRUCTURE, s->file, sizeof s->file);
	s->sg = sthelp_room_of(&s->bot, "stuurgroep:stuur");
	s->noord = sthelp_room_of(&s->bot, "wijkgroep:noord");
	s->zuid = sthelp_room_of(&s->bot, "wijkgroep:zuid");
	s->regie = sthelp_room_of(&s->bot, "regiegroep:dorp");
	resident_existing(&s->ra, &s->anna);
	sthelp_join(&s->ra, s->sg);
	sthelp_join(&s->ra, s->noord);
	sthelp_join(&s->ra, s->zuid);
	sthelp_join(&s->ra, s->regie);
}

static void setting_down(setting *s)
{
	sthelp_resident_done(&s->ra);
	free(s->sg);
	free(s->noord);
	free(s->zuid);
	free(s->regie);
	itest_bot_cleanup(&s->bot);
	itest_user_free(&s->anna);
}

/* A new resident, added to Noord by Anna's !lid toevoegen. */
static void new_resident(setting *s, resident *r, const char *prefix)
{
	char cmd[600];

	resident_new(r, prefix);
	snprintf(cmd, sizeof cmd, "!lid toevoegen %.255s noord", r->u.user_id);
	sthelp_expect(sthelp_ask(&s->ra, &s->bot, s->sg, cmd), "is uitgenodigd");
	cr_assert(itest_wait_membership(&s->bot.account, s->noord, r->u.user_id, "invite", 15000));
	sthelp_join(r, s->noord);
}

/* The decrypted body of event in room as r reads it (caller frees), or NULL. */
static char *body_of(resident *r, const char *room, const char *event)
{
	char args[600];
	cJSON *j;
	const cJSON *ev;
	char *out = NULL;

	snprintf(args, sizeof args, "read '%s' --limit 60", room);
	j = resident_run(r, args, 0);
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(j, "events")) {
		const cJSON *id = cJSON_GetObjectItem(ev, "event_id"), *body = cJSON_GetObjectItem(ev, "body");

		if (cJSON_IsString(id) && strcmp(id->valuestring, event) == 0 && cJSON_IsString(body))
			out = strdup(body->valuestring);
	}
	cJSON_Delete(j);
	return out;
}

/* What the bot put into a room after a marker message, tallied from the
 * events sthelp_count_* returned (which it deletes). */
typedef struct arrivals {
	int events;              /* all of the bot's events */
	int replaces;            /* m.replace edits, of any event */
	int replaces_of_copy;    /* m.replace edits whose target is the copy */
	int redactions_of_copy;  /* redactions of the copy */
	char last_replace[256];  /* the newest edit's event id */
} arrivals;

static arrivals tally(cJSON *events, const char *copy)
{
	const cJSON *ev;
	arrivals a;

	memset(&a, 0, sizeof a);
	cJSON_ArrayForEach(ev, events) {
		const cJSON *id = cJSON_GetObjectItem(ev, "event_id"), *type = cJSON_GetObjectItem(ev, "type");
		const cJSON *rel_type = cJSON_GetObjectItem(ev, "rel_type"), *target = cJSON_GetObjectItem(ev, "rel_event");
		const cJSON *redacts = cJSON_GetObjectItem(ev, "redacts");

		a.events++;
		if (cJSON_IsString(rel_type) && strcmp(rel_type->valuestring, "m.replace") == 0) {
			a.replaces++;
			if (cJSON_IsString(target) && strcmp(target->valuestring, copy) == 0)
				a.replaces_of_copy++;
			snprintf(a.last_replace, sizeof a.last_replace, "%s", cJSON_IsString(id) ? id->valuestring : "");
		}
		if (cJSON_IsString(type) && strcmp(type->valuestring, "m.room.redaction") == 0 && cJSON_IsString(redacts) &&
		    strcmp(redacts->valuestring, copy) == 0)
			a.redactions_of_copy++;
	}
	cJSON_Delete(events);
	return a;
}

/* Waits until the bot put `want` events into the regiegroep after the
 * marker (its edits of the copy), and a little longer for any surplus. */
static arrivals settled_replaces(setting *s, const char *marker, const char *copy, int want, const char *when)
{
	cJSON *events = NULL;
	arrivals a;

	sthelp_count_settled(&s->ra, s->regie, marker, s->bot.account.user_id, NULL, want, 45000, &events);
	a = tally(events, copy);
	fprintf(stderr, "test_edits: %s, %d edit(s) of the copy, %d edit(s) in all\n", when, a.replaces_of_copy,
		a.replaces);
	return a;
}

/* The author edits event in room to text; returns the edit's id. */
static char *edit(resident *r, const char *room, const char *event, const char *text)
{
	char cmd[1200], *id;
	cJSON *j;

	snprintf(cmd, sizeof cmd, "send '%s' '%s' --edit '%s'", room, text, event);
	j = resident_run(r, cmd, 0);
	id = json_str(j, "event_id");
	cJSON_Delete(j);
	return id;
}

Test(edits, an_edit_reaches_the_copy_only_approved_and_a_redaction_removes_it, .timeout = 600)
{
	setting s;
	resident r;
	char *melding, *copy, *marker, *edit1, *edit2, *request, *ev, *body;
	const char *bot;
	cJSON *events = NULL;
	arrivals a;
	int i, gone = 0;

	setting_up(&s);
	bot = s.bot.account.user_id;
	new_resident(&s, &r, "melder");
	melding = resident_send(&r, s.noord, "Verdachte man bij de school, 112 gebeld");
	sthelp_expect(bot_reply(&r, &s.bot, s.noord, melding), "Casus #1 geopend");
	ev = sthelp_send_rel(&s.ra, s.noord, "!door", melding, NULL, 0);
	sthelp_expect(bot_reply(&s.ra, &s.bot, s.noord, ev), "Doorgezet naar Regiegroep Dorp");
	free(ev);
	copy = sthelp_wait_event(&s.ra, s.regie, bot, "Casus #1 uit Wijkgroep Noord", 30000);
	cr_assert_not_null(copy, "no copy in the regiegroep");
	marker = sthelp_marker(&s.ra, s.regie);

	/* The author turns the approved melding into something else. */
	edit1 = edit(&r, s.noord, melding, "NEP-ALARM: gewapende inbreker");
	/* The stuurgroep is asked, with old and new text. */
	request = sthelp_wait_event(&s.ra, s.sg, bot, "NEP-ALARM: gewapende inbreker", 30000);
	cr_assert_not_null(request, "the stuurgroep was not asked about the edit");
	body = body_of(&s.ra, s.sg, request);
	cr_assert_not_null(body);
	cr_assert_not_null(strstr(body, "Was:\n> Verdachte man bij de school, 112 gebeld"), "no old text: %s", body);
	cr_assert_not_null(strstr(body, "Wordt:\n> NEP-ALARM: gewapende inbreker"), "no new text: %s", body);
	cr_assert_not_null(strstr(body, "Regiegroep Dorp"), "the copies' rooms are not named: %s", body);
	free(body);
	/* Meanwhile nothing reached the regiegroep: the copy is as approved.
	 * (The request came from the same decision that once edited the copy
	 * at once; the count waits a little for a late edit to show.) */
	sthelp_count_settled(&s.ra, s.regie, marker, bot, NULL, 0, 0, &events);
	a = tally(events, copy);
	fprintf(stderr, "test_edits: before approval, %d event(s) of the bot after the marker, %d edit(s)\n", a.events,
		a.replaces);
	cr_assert_eq(a.replaces, 0, "an unapproved edit reached the regiegroep");
	cr_assert_eq(a.events, 0, "the bot posted %d event(s) in the regiegroep before the approval", a.events);
	body = body_of(&s.ra, s.regie, copy);
	cr_assert(body && strstr(body, "Verdachte man bij de school") && !strstr(body, "NEP"), "the copy: %s",
		  body ? body : "(unreadable)");
	free(body);

	/* A stuurgroep member approves with the reaction on the edit itself. */
	free(sthelp_send_rel(&s.ra, s.noord, APPROVAL, edit1, NULL, 1));
	a = settled_replaces(&s, marker, copy, 1, "after the first approval");
	cr_assert_eq(a.replaces_of_copy, 1, "the approved edit did not arrive once as an edit of the copy");
	cr_assert_eq(a.replaces, 1, "an edit of something other than the copy");
	body = body_of(&s.ra, s.regie, a.last_replace);
	cr_assert(body && strstr(body, "* ") == body && strstr(body, "NEP-ALARM: gewapende inbreker") &&
		  strstr(body, "Casus #1 uit Wijkgroep Noord"), "the edit: %s", body ? body : "(unreadable)");
	free(body);
	sthelp_expect(sthelp_wait_message(&s.ra, s.noord, bot, "staat nu in 1 kopie", 30000), "goedgekeurd door");
	/* Approving it again carries nothing. */
	ev = sthelp_send_rel(&s.ra, s.noord, "!door", edit1, NULL, 0);
	sthelp_expect(bot_reply(&s.ra, &s.bot, s.noord, ev), "al goedgekeurd");
	free(ev);

	/* A second edit, approved with !door as a reply to the request:
	 * again an edit of the copy, not of the bot's first edit. */
	edit2 = edit(&r, s.noord, melding, "NEP-ALARM: twee gewapende inbrekers");
	free(request);
	request = sthelp_wait_event(&s.ra, s.sg, bot, "Wordt:\n> NEP-ALARM: twee gewapende", 30000);
	cr_assert_not_null(request, "the stuurgroep was not asked about the second edit");
	ev = sthelp_send_rel(&s.ra, s.sg, "!door", request, NULL, 0);
	sthelp_expect(bot_reply(&s.ra, &s.bot, s.sg, ev), "staat nu in 1 kopie");
	free(ev);
	a = settled_replaces(&s, marker, copy, 2, "after the second approval");
	cr_assert_eq(a.replaces_of_copy, 2, "the second edit is not an edit of the copy");
	cr_assert_eq(a.replaces, 2);
	body = body_of(&s.ra, s.regie, a.last_replace);
	cr_assert(body && strstr(body, "twee gewapende inbrekers"), "the second edit: %s", body ? body : "(unreadable)");
	free(body);

	/* The author redacts the melding: the copy event itself goes. */
	{
		char cmd[1200];

		snprintf(cmd, sizeof cmd, "redact '%s' '%s'", s.noord, melding);
		cJSON_Delete(resident_run(&r, cmd, 0));
	}
	for (i = 0; i < 45 && !gone; i++) {
		cJSON *msgs = itest_messages(&s.anna, s.regie, 100);
		const cJSON *e;
		int found = 0;

		cJSON_ArrayForEach(e, msgs) {
			const cJSON *id = cJSON_GetObjectItem(e, "event_id");

			if (cJSON_IsString(id) && strcmp(id->valuestring, copy) == 0) {
				const cJSON *content = cJSON_GetObjectItem(e, "content");
				const cJSON *uns = cJSON_GetObjectItem(e, "unsigned");

				found = 1;
				gone = cJSON_IsObject(content) && cJSON_GetArraySize(content) == 0 &&
				       cJSON_IsObject(cJSON_GetObjectItem(uns, "redacted_because"));
			}
		}
		cJSON_Delete(msgs);
		cr_assert(found, "the copy is not among the regiegroep's last 100 events: the read failed");
		if (!gone)
			itest_sleep_ms(1000);
	}
	cr_assert(gone, "the copy of the redacted melding is still readable");
	sthelp_count_between(&s.ra, s.regie, marker, NULL, bot, NULL, &events);
	a = tally(events, copy);
	fprintf(stderr, "test_edits: after the redaction, %d redaction(s) of the copy\n", a.redactions_of_copy);
	cr_assert_eq(a.redactions_of_copy, 1);

	free(edit1);
	free(edit2);
	free(request);
	free(marker);
	free(copy);
	free(melding);
	sthelp_resident_done(&r);
	setting_down(&s);
}

Test(edits, the_approving_stuurgroep_member_is_casushouder_of_a_police_message, .timeout = 480)
{
	setting s;
	itest_user agent_account;
	resident agent;
	char *msg, *ev, *body, houder[400];

	setting_up(&s);
	sthelp_example_user(&agent_account, "politie.wijkagent");
	resident_existing(&agent, &agent_account);
	sthelp_join(&agent, s.sg);
	msg = resident_send(&agent, s.sg, "Let op: inbrekers actief in de wijk, grijze bestelbus");
	ev = sthelp_send_rel(&s.ra, s.sg, "!door", msg, NULL, 0);
	sthelp_expect(bot_reply(&s.ra, &s.bot, s.sg, ev), "Doorgezet naar Wijkgroep Noord, Wijkgroep Zuid");
	free(ev);
	snprintf(houder, sizeof houder, "casushouder %s,", s.anna.user_id);
	body = sthelp_wait_message(&s.ra, s.zuid, s.bot.account.user_id, "Casus #1 uit Stuurgroep Dorp", 30000);
	cr_assert_not_null(body, "no copy in Wijkgroep Zuid");
	cr_assert_not_null(strstr(body, houder), "the approver is not casushouder in the copy: %s", body);
	cr_assert_null(strstr(body, "casushouder @politie"), "the police account is named casushouder: %s", body);
	free(body);
	body = sthelp_wait_message(&s.ra, s.noord, s.bot.account.user_id, "Casus #1 uit Stuurgroep Dorp", 30000);
	cr_assert(body && strstr(body, houder), "the copy in Noord: %s", body ? body : "(none)");
	free(body);
	/* !casus in the stuurgroep room: the casushouder in each wijkgroep. */
	snprintf(houder, sizeof houder, "casushouder %s (Wijkgroep Noord, Wijkgroep Zuid)", s.anna.user_id);
	sthelp_expect(sthelp_ask(&s.ra, &s.bot, s.sg, "!casus"), houder);
	/* The afloop names the casushouder of each room. */
	sthelp_expect(sthelp_ask(&s.ra, &s.bot, s.sg, "!afloop #1 aanhouding Twee personen aangehouden"), "gesloten");
	snprintf(houder, sizeof houder, "Casushouder hier: %s", s.anna.user_id);
	sthelp_expect(sthelp_wait_message(&s.ra, s.noord, s.bot.account.user_id, "Afloop casus #1", 30000), houder);

	free(msg);
	sthelp_resident_done(&agent);
	itest_user_free(&agent_account);
	setting_down(&s);
}
