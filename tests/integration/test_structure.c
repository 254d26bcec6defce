/* Integration tests of the structure file: the bot creates the rooms and
 * Spaces of the Zoomwijck examples with the right settings, as a member
 * sees them through the client API; a second run changes nothing; nobody
 * but the bot may invite or change power levels. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include "itest.h"
#include "matrix/mx_room_state.h"
#include "resident.h"
#include "sthelp.h"

static cJSON *state(itest_user *u, const char *room, const char *type, const char *key)
{
	cJSON *c = NULL;
	cr_assert_eq(mx_state_get(u->c, room, type, key, &c), MX_OK, "%s in %s: %s", type, room,
		     mx_client_last_error(u->c)->message);
	return c;
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static int num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);
	return cJSON_IsNumber(v) ? (int)v->valuedouble : -1;
}

/* The room version of room, read from its create event (whose sender must
 * be the bot): the one the harness asked the homeserver for
 * (BUURTBOT_TEST_ROOM_VERSION), else the homeserver's default. Caller frees. */
static char *expect_room_version(itest_user *u, const char *room, const char *bot_id)
{
	const char *want_env = getenv("BUURTBOT_TEST_ROOM_VERSION");
	char *version, *want = NULL;
	cJSON *st = NULL;

	cr_assert_eq(mx_room_state(u->c, room, &st), MX_OK);
	cr_assert_str_eq(mx_state_creator(st), bot_id);
	cr_assert_not_null(mx_state_room_version(st));
	version = strdup(mx_state_room_version(st));
	cJSON_Delete(st);
	if (want_env && want_env[0])
		want = strdup(want_env);
	else
		cr_assert_eq(mx_default_room_version(u->c, &want), MX_OK);
	cr_assert_str_eq(version, want, "the bot made a room of version %s, the homeserver's is %s", version, want);
	free(want);
	return version;
}

/* The bot's answer to !status that operator u asks in a direct chat made
 * for it (unencrypted, so this client reads it); fails the test without
 * an answer. Caller frees. */
static char *status_in_dm(itest_user *u, itest_bot *bot)
{
	const char *invite[2] = { bot->account.user_id, NULL };
	mx_create_room_opts o;
	char *dm = NULL, *ev, *body;

	memset(&o, 0, sizeof o);
	o.preset = "trusted_private_chat";
	o.is_direct = 1;
	o.invite = invite;
	cr_assert_eq(mx_create_room(u->c, &o, &dm), MX_OK);
	cr_assert(itest_wait_membership(u, dm, bot->account.user_id, "join", 30000));
	ev = itest_send_text(u, dm, "!status");
	body = itest_reply_body(u, dm, bot->account.user_id, ev, 30000);
	cr_assert_not_null(body, "no answer to !status");
	free(ev);
	free(dm);
	return body;
}

Test(structure, fase1_rooms_spaces_rules_and_a_noop_second_run, .timeout = 240)
{
	itest_user anna, bram;
	itest_bot bot;
	char conf[600], *line, *wg, *sg, *wijk, *gem, *version;
	cJSON *c, *pl;

	sthelp_example_user(&anna, "anna.stuur");
	sthelp_example_user(&bram, "bram.stuur");
	{
		itest_user x;
		sthelp_example_user(&x, "carla.stuur");
		itest_user_free(&x);
		sthelp_example_user(&x, "politie.wijkagent");
		itest_user_free(&x);
	}
	snprintf(conf, sizeof conf, "structure_file = %s/deploy/examples/zoomwijck-fase1.json",
		 itest_env("BUURTBOT_REPO"));
	itest_bot_setup(&bot, anna.user_id, conf);
	itest_bot_start(&bot);
	line = sthelp_wait_reconciled(&bot, 1);
	cr_assert_not_null(strstr(line, "4 room(s) created"), "%s", line);
	free(line);

	wg = sthelp_room_of(&bot, "wijkgroep:zoomwijck");
	sg = sthelp_room_of(&bot, "stuurgroep:stuurgroep-zoomwijck");
	wijk = sthelp_room_of(&bot, "wijk:zoomwijck");
	gem = sthelp_room_of(&bot, "gemeente");

	/* Anna (stuurgroep) is invited where the structure puts her. */
	cr_assert(itest_wait_membership(&bot.account, sg, anna.user_id, "invite", 10000));
	cr_assert_eq(mx_join(anna.c, sg, NULL), MX_OK);
	cr_assert_eq(mx_join(anna.c, wg, NULL), MX_OK, "anna was not invited into the wijkgroep she manages");
	cr_assert_eq(mx_join(anna.c, wijk, NULL), MX_OK);

	/* The wijkgroep as a member sees it. */
	c = state(&anna, wg, "m.room.join_rules", "");
	cr_assert_str_eq(str(c, "join_rule"), "knock");
	cJSON_Delete(c);
	c = state(&anna, wg, "m.room.history_visibility", "");
	cr_assert_str_eq(str(c, "history_visibility"), "joined");
	cJSON_Delete(c);
	c = state(&anna, wg, "m.room.encryption", "");
	cr_assert_str_eq(str(c, "algorithm"), "m.megolm.v1.aes-sha2");
	cJSON_Delete(c);
	version = expect_room_version(&anna, wg, bot.account.user_id);
	pl = state(&anna, wg, "m.room.power_levels", "");
	if (mx_room_version_privileged_creators(version))
		cr_assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(pl, "users"), bot.account.user_id),
			       "room version %s: the creator must not be in users", version);
	else
		cr_assert_eq(num(cJSON_GetObjectItem(pl, "users"), bot.account.user_id), 100);
	cr_assert_eq(num(cJSON_GetObjectItem(pl, "users"), anna.user_id), 50, "stuurgroep members moderate");
	cr_assert_eq(num(pl, "invite"), 100);
	cr_assert_eq(num(pl, "state_default"), 100);
	cr_assert_eq(num(pl, "redact"), 50);
	cr_assert_eq(num(pl, "users_default"), 0);
	cJSON_Delete(pl);
	/* The stuurgroep room is invite-only. */
	c = state(&anna, sg, "m.room.join_rules", "");
	cr_assert_str_eq(str(c, "join_rule"), "invite");
	cJSON_Delete(c);
	/* Spaces: the wijk Space is a Space, holds the wijkgroep, and sits in the gemeente Space. */
	c = state(&anna, wijk, "m.room.create", "");
	cr_assert_str_eq(str(c, "type"), "m.space");
	cJSON_Delete(c);
	c = state(&anna, wijk, "m.space.child", wg);
	cr_assert(cJSON_IsArray(cJSON_GetObjectItem(c, "via")));
	cJSON_Delete(c);
	c = state(&anna, wg, "m.space.parent", wijk);
	cr_assert(cJSON_IsArray(cJSON_GetObjectItem(c, "via")));
	cJSON_Delete(c);
	(void)gem;

	/* Only the bot invites and changes power levels, moderators included. */
	cr_assert_neq(mx_invite(anna.c, wg, "@iemand:localhost", NULL), MX_OK, "a moderator could invite");
	cr_assert_str_eq(mx_client_last_error(anna.c)->errcode, "M_FORBIDDEN");
	pl = state(&anna, wg, "m.room.power_levels", "");
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(pl, "users"), anna.user_id, cJSON_CreateNumber(100));
	cr_assert_neq(mx_state_put(anna.c, wg, "m.room.power_levels", "", pl, NULL), MX_OK,
		      "a moderator could raise her own power");
	cJSON_Delete(pl);

	/* !structuur in the (encrypted) stuurgroep room, read with an
	 * encrypting client: the tree with counts and the cap. */
	{
		resident ra;
		char *ev, *body;

		resident_existing(&ra, &anna);
		ev = resident_send(&ra, sg, "!structuur");
		body = bot_reply(&ra, &bot, sg, ev);
		cr_assert_not_null(strstr(body, "Zoomstad"), "%s", body);
		cr_assert_not_null(strstr(body, "Wijkgroep Zoomwijck: "), "%s", body);
		cr_assert_not_null(strstr(body, "van 100 leden"), "%s", body);
		free(body);
		free(ev);
		/* !leden: the one wijkgroep of this stuurgroep, from the bot's
		 * own record of membership. */
		ev = resident_send(&ra, sg, "!leden");
		body = bot_reply(&ra, &bot, sg, ev);
		cr_assert_not_null(strstr(body, "Wijkgroep Zoomwijck: "), "%s", body);
		cr_assert_not_null(strstr(body, anna.user_id), "%s", body);
		cr_assert_not_null(strstr(body, "@bram.stuur:localhost (uitgenodigd)"), "%s", body);
		free(body);
		free(ev);
		/* In the wijkgroep (a resident's room) the command is refused. */
		ev = resident_send(&ra, wg, "!structuur");
		body = bot_reply(&ra, &bot, wg, ev);
		cr_assert_null(strstr(body, "Zoomstad"), "the tree was shown in a wijkgroep: %s", body);
		free(body);
		free(ev);
		mx_client_free(ra.u.c);  /* its own client; the account stays anna's */
		{
			char cmd[400];
			snprintf(cmd, sizeof cmd, "rm -rf '%s'", ra.store);
			cr_assert_eq(system(cmd), 0);
		}
	}

	/* The operator's !status names the room version of the rooms. */
	{
		char *body = status_in_dm(&anna, &bot), want[64];

		snprintf(want, sizeof want, "Kamerversie: %s (4 kamers)", version);
		cr_assert_not_null(strstr(body, want), "%s", body);
		free(body);
	}
	line = itest_wait_log_line(&bot, "is room version", 4, 5000);
	cr_assert_not_null(line, "the log does not name the room version of each room");
	free(line);

	/* A second run creates, changes and invites nothing. */
	cr_assert_eq(itest_bot_stop(&bot), 0);
	itest_bot_start(&bot);
	line = sthelp_wait_reconciled(&bot, 2);
	cr_assert_not_null(strstr(line, "0 room(s) created, 0 state change(s), 0 invite(s)"), "%s", line);
	/* ... and reads each of its 4 rooms once, nothing else (issue 13). */
	cr_assert_not_null(strstr(line, "4 request(s) (4 read(s), 0 write(s))"), "%s", line);
	free(line);

	free(wg);
	free(sg);
	free(wijk);
	free(gem);
	free(version);
	itest_bot_cleanup(&bot);
	itest_user_free(&anna);
	itest_user_free(&bram);
}

Test(structure, wrong_structure_file_stops_start_up_with_every_problem, .timeout = 60)
{
	itest_user a;
	itest_bot bot;
	char conf[600], path[400];
	static char log[1 << 16];
	FILE *f;
	size_t n;

	itest_user_new(&a, "admin");
	itest_bot_setup(&bot, a.user_id, NULL);
	snprintf(path, sizeof path, "%s/structuur.json", bot.dir);
	f = fopen(path, "w");
	fputs("{\"versie\":1,\"gemeente\":\"X\",\"wijken\":[{\"id\":\"w\",\"naam\":\"W\","
	      "\"wijkgroepen\":[{\"id\":\"g\",\"naam\":\"G\"}],"
	      "\"stuurgroepen\":[{\"id\":\"s\",\"naam\":\"S\",\"leden\":[],\"telefoonbeheerder\":\"@x:localhost\","
	      "\"beheert\":[]}]}]}", f);
	fclose(f);
	snprintf(conf, sizeof conf, "structure_file = %s", path);
	f = fopen(bot.conf, "a");
	fprintf(f, "%s\n", conf);
	fclose(f);
	itest_bot_start(&bot);
	itest_sleep_ms(3000);
	cr_assert_not(itest_bot_alive(&bot), "the bot must not start on a wrong structure");
	f = fopen(bot.log, "r");
	n = fread(log, 1, sizeof log - 1, f);
	log[n] = '\0';
	fclose(f);
	cr_assert_not_null(strstr(log, "stuurgroepen[0].leden"), "%s", log);
	cr_assert_not_null(strstr(log, "wijkgroepen[0]"), "no problem named for the unmanaged wijkgroep: %s", log);
	cr_assert_not_null(strstr(log, "cannot be used"), "%s", log);
	itest_bot_cleanup(&bot);
	itest_user_free(&a);
}

/* Users named in an example file, registered so invites reach them. */
static void register_example_users(const char *file)
{
	char cmd[600], out[8192], *p, *save = NULL;

	snprintf(cmd, sizeof cmd, "grep -o '@[a-z0-9._-]*:localhost' '%s' | sort -u", file);
	{
		FILE *f = popen(cmd, "r");
		size_t n = fread(out, 1, sizeof out - 1, f);
		out[n] = '\0';
		pclose(f);
	}
	for (p = strtok_r(out, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		itest_user u;
		char local[128];
		size_t len = strcspn(p + 1, ":");
		snprintf(local, sizeof local, "%.*s", (int)len, p + 1);
		sthelp_example_user(&u, local);
		itest_user_free(&u);
	}
}

Test(structure, fase2_regiegroep_and_reload_drops_a_removed_moderator, .timeout = 300)
{
	itest_user anna;
	itest_bot bot;
	char conf[700], src[400], copy[400], cmd[1200], *line, *regie, *wg;
	cJSON *pl;

	snprintf(src, sizeof src, "%s/deploy/examples/zoomwijck-fase2.json", itest_env("BUURTBOT_REPO"));
	register_example_users(src);
	sthelp_example_user(&anna, "anna.stuur");
	itest_bot_setup(&bot, anna.user_id, NULL);
	snprintf(copy, sizeof copy, "%s/structuur.json", bot.dir);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, copy);
	cr_assert_eq(system(cmd), 0);
	snprintf(conf, sizeof conf, "structure_file = %s\n", copy);
	{
		FILE *f = fopen(bot.conf, "a");
		fputs(conf, f);
		fclose(f);
	}
	itest_bot_start(&bot);
	line = sthelp_wait_reconciled(&bot, 1);
	cr_assert_not_null(strstr(line, "10 room(s) created"), "%s", line);
	free(line);

	/* The regiegroep holds every stuurgroep member of the wijk. */
	regie = sthelp_room_of(&bot, "regiegroep:zoomwijck");
	cr_assert(itest_wait_membership(&bot.account, regie, "@anna.stuur:localhost", "invite", 5000));
	cr_assert(itest_wait_membership(&bot.account, regie, "@dirk.stuur:localhost", "invite", 5000));
	wg = sthelp_room_of(&bot, "wijkgroep:kerkebuurt");
	pl = state(&bot.account, wg, "m.room.power_levels", "");
	cr_assert_eq(num(cJSON_GetObjectItem(pl, "users"), "@anna.stuur:localhost"), 50);
	cJSON_Delete(pl);

	/* Anna leaves stuurgroep Noord; SIGHUP reloads; she is no moderator any more. */
	snprintf(cmd, sizeof cmd,
		 "python3 -c \"import json,sys; p='%s'; d=json.load(open(p)); s=d['wijken'][0]['stuurgroepen'][0]; "
		 "s['leden'].remove('@anna.stuur:localhost'); s['leden'].append('@henk.stuur:localhost'); "
		 "s['telefoonbeheerder']='@bram.stuur:localhost'; json.dump(d, open(p,'w'))\"", copy);
	cr_assert_eq(system(cmd), 0);
	{
		itest_user h;
		sthelp_example_user(&h, "henk.stuur");
		itest_user_free(&h);
	}
	kill(bot.pid, SIGHUP);
	line = sthelp_wait_reconciled(&bot, 2);
	cr_assert_null(strstr(line, "0 state change(s), 0 invite(s)"), "nothing changed on reload: %s", line);
	free(line);
	pl = state(&bot.account, wg, "m.room.power_levels", "");
	cr_assert_lt(num(cJSON_GetObjectItem(pl, "users"), "@anna.stuur:localhost"), 50,
		     "a removed stuurgroep member kept her moderator level");
	cr_assert_eq(num(cJSON_GetObjectItem(pl, "users"), "@henk.stuur:localhost"), 50);
	cJSON_Delete(pl);
	cr_assert(itest_wait_membership(&bot.account, wg, "@henk.stuur:localhost", "invite", 5000));

	/* A broken file on reload is refused and the bot keeps running. */
	{
		FILE *f = fopen(copy, "w");
		fputs("{ not json", f);
		fclose(f);
	}
	kill(bot.pid, SIGHUP);
	itest_sleep_ms(1500);
	cr_assert(itest_bot_alive(&bot), "a broken file on reload must not stop the bot");
	free(regie);
	free(wg);
	itest_bot_cleanup(&bot);
	itest_user_free(&anna);
}

Test(structure, cap_holds_at_admission_and_a_resident_is_in_one_wijkgroep, .timeout = 240)
{
	itest_user anna, r[3];
	itest_bot bot;
	resident ra;
	char path[400], conf[3000], cmd[700], *sg, *ev, *body, *line;
	FILE *f;
	int i;

	sthelp_example_user(&anna, "anna.stuur");
	{
		itest_user x;
		sthelp_example_user(&x, "bram.stuur");
		itest_user_free(&x);
		sthelp_example_user(&x, "carla.stuur");
		itest_user_free(&x);
	}
	for (i = 0; i < 3; i++)
		itest_user_new(&r[i], "bewoner");
	itest_bot_setup(&bot, anna.user_id, NULL);
	/* Cap 5: the three stuurgroep members count, so two residents fit. */
	snprintf(path, sizeof path, "%s/klein.json", bot.dir);
	f = fopen(path, "w");
	fprintf(f, "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\","
		"\"wijkgroepen\":[{\"id\":\"dorp\",\"naam\":\"Wijkgroep Dorp\",\"buurten\":[\"1234\"],"
		"\"limiet\":5,\"groeidrempel\":4}],"
		"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\","
		"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"],"
		"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"dorp\"]}]}]}");
	fclose(f);
	snprintf(conf, sizeof conf, "structure_file = %s\n", path);
	f = fopen(bot.conf, "a");
	fputs(conf, f);
	fclose(f);
	itest_bot_start(&bot);
	line = sthelp_wait_reconciled(&bot, 1);
	free(line);
	sg = sthelp_room_of(&bot, "stuurgroep:stuur");
	resident_existing(&ra, &anna);
	snprintf(cmd, sizeof cmd, "join '%s'", sg);
	cJSON_Delete(resident_run(&ra, cmd, 0));

	for (i = 0; i < 3; i++) {
		snprintf(cmd, sizeof cmd, "!lid toevoegen %.255s", r[i].user_id);
		ev = resident_send(&ra, sg, cmd);
		body = bot_reply(&ra, &bot, sg, ev);
		if (i < 2)
			cr_assert_not_null(strstr(body, "is uitgenodigd in Wijkgroep Dorp"), "resident %d: %s", i, body);
		else
			cr_assert_not_null(strstr(body, "is vol (5 leden)"), "the 6th member was not refused: %s", body);
		free(body);
		free(ev);
	}
	cr_assert(itest_wait_membership(&bot.account, sthelp_room_of(&bot, "wijkgroep:dorp"), r[0].user_id, "invite", 10000));
	/* The same resident again: already in a wijkgroep. */
	snprintf(cmd, sizeof cmd, "!lid toevoegen %.255s", r[0].user_id);
	ev = resident_send(&ra, sg, cmd);
	body = bot_reply(&ra, &bot, sg, ev);
	cr_assert_not_null(strstr(body, "is al lid van"), "%s", body);
	free(body);
	free(ev);
	/* Nonsense arguments get the usage. */
	ev = resident_send(&ra, sg, "!lid toevoegen niemand");
	body = bot_reply(&ra, &bot, sg, ev);
	cr_assert_not_null(strstr(body, "geen Matrix-account"), "%s", body);
	free(body);
	free(ev);

	/* !royeer: the resident is out of every room and cannot come back;
	 * stuurgroep members are not removed by command. */
	{
		char *wgid = sthelp_room_of(&bot, "wijkgroep:dorp");

		cr_assert_eq(mx_join(r[0].c, wgid, NULL), MX_OK);
		ev = resident_send(&ra, sg, "!royeer @bram.stuur:localhost");
		body = bot_reply(&ra, &bot, sg, ev);
		cr_assert_not_null(strstr(body, "staat in het structuurbestand"), "%s", body);
		free(body);
		free(ev);
		snprintf(cmd, sizeof cmd, "!royeer %.255s stoort steeds", r[0].user_id);
		ev = resident_send(&ra, sg, cmd);
		body = bot_reply(&ra, &bot, sg, ev);
		cr_assert_not_null(strstr(body, "is geroyeerd"), "%s", body);
		free(body);
		free(ev);
		cr_assert(itest_wait_membership(&bot.account, wgid, r[0].user_id, "ban", 15000),
			  "the removed resident was not banned from the wijkgroep");
		cr_assert(itest_wait_membership(&bot.account, sg, r[0].user_id, "ban", 15000),
			  "the removed resident was not kept out of the other rooms");
		cr_assert_neq(mx_join(r[0].c, wgid, NULL), MX_OK, "a removed resident could rejoin");
		free(wgid);
	}

	mx_client_free(ra.u.c);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", ra.store);
	cr_assert_eq(system(cmd), 0);
	free(sg);
	itest_bot_cleanup(&bot);
	for (i = 0; i < 3; i++)
		itest_user_free(&r[i]);
	itest_user_free(&anna);
}

Test(structure, a_room_someone_else_put_behind_the_alias_is_not_adopted, .timeout = 120)
{
	itest_user anna, mallory;
	itest_bot bot;
	mx_create_room_opts o;
	char conf[700], alias[300], *room = NULL, *line;
	size_t n;

	sthelp_example_user(&anna, "anna.stuur");
	itest_user_new(&mallory, "mallory");
	snprintf(conf, sizeof conf, "structure_file = %s/deploy/examples/zoomwijck-fase1.json",
		 itest_env("BUURTBOT_REPO"));
	itest_bot_setup(&bot, anna.user_id, conf);
	/* Mallory takes the alias the bot would give the gemeente Space. */
	n = strcspn(bot.account.user_id + 1, ":");
	snprintf(alias, sizeof alias, "%.*s.gemeente", (int)n, bot.account.user_id + 1);
	memset(&o, 0, sizeof o);
	o.name = "niet van de bot";
	o.room_alias_name = alias;
	cr_assert_eq(mx_create_room(mallory.c, &o, &room), MX_OK);
	itest_bot_start(&bot);
	line = itest_wait_log_line(&bot, "did not create", 1, 30000);
	cr_assert_not_null(line, "the bot adopted a room it did not create");
	free(line);
	free(room);
	itest_bot_cleanup(&bot);
	itest_user_free(&mallory);
	itest_user_free(&anna);
}

/* A room the bot made under an earlier homeserver default (say version 10,
 * before an upgrade made 12 the default) keeps working: the bot adopts it
 * behind its alias, gives itself power as that version wants (listed at
 * 100 before 12, unlisted from 12), its moderators 50, and !status names
 * the odd room. The room is made here with the bot's own account under the
 * alias the bot uses; the other version is 10 when the homeserver's default
 * is 12 and 12 otherwise, so both directions are seen across the passes. */
Test(structure, a_room_of_another_version_is_adopted_with_its_own_power_levels, .timeout = 240)
{
	itest_user anna;
	itest_bot bot;
	mx_create_room_opts o;
	char conf[700], alias[300], want[200], *room = NULL, *line, *def = NULL, *body;
	const char *other;
	cJSON *pl, *st = NULL;
	size_t n;

	sthelp_example_user(&anna, "anna.stuur");
	{
		const char *others[] = { "bram.stuur", "carla.stuur", "politie.wijkagent" };
		itest_user x;

		for (n = 0; n < 3; n++) {
			sthelp_example_user(&x, others[n]);
			itest_user_free(&x);
		}
	}
	snprintf(conf, sizeof conf, "structure_file = %s/deploy/examples/zoomwijck-fase1.json",
		 itest_env("BUURTBOT_REPO"));
	itest_bot_setup(&bot, anna.user_id, conf);
	cr_assert_eq(mx_default_room_version(bot.account.c, &def), MX_OK);
	other = mx_room_version_privileged_creators(def) ? "10" : "12";
	n = strcspn(bot.account.user_id + 1, ":");
	snprintf(alias, sizeof alias, "%.*s.wijkgroep.zoomwijck", (int)n, bot.account.user_id + 1);
	memset(&o, 0, sizeof o);
	o.name = "Wijkgroep Zoomwijck";
	o.preset = "private_chat";
	o.room_alias_name = alias;
	o.room_version = other;
	cr_assert_eq(mx_create_room(bot.account.c, &o, &room), MX_OK, "%s",
		     mx_client_last_error(bot.account.c)->message);

	itest_bot_start(&bot);
	line = sthelp_wait_reconciled(&bot, 1);
	cr_assert_not_null(strstr(line, "3 room(s) created"), "the older room was not adopted: %s", line);
	free(line);
	line = sthelp_room_of(&bot, "wijkgroep:zoomwijck");
	cr_assert_str_eq(line, room);
	free(line);
	snprintf(want, sizeof want, "\"Wijkgroep Zoomwijck\" is room version %s", other);
	line = itest_wait_log_line(&bot, want, 1, 5000);
	cr_assert_not_null(line, "the log does not name the adopted room's version");
	free(line);

	cr_assert(itest_wait_membership(&bot.account, room, anna.user_id, "invite", 10000));
	cr_assert_eq(mx_room_state(bot.account.c, room, &st), MX_OK);
	cr_assert_str_eq(mx_state_room_version(st), other);
	pl = cJSON_GetObjectItem(mx_state_find(st, "m.room.power_levels", ""), "content");
	if (mx_room_version_privileged_creators(other))
		cr_assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(pl, "users"), bot.account.user_id));
	else
		cr_assert_eq(num(cJSON_GetObjectItem(pl, "users"), bot.account.user_id), 100);
	cr_assert_eq(num(cJSON_GetObjectItem(pl, "users"), anna.user_id), 50);
	cr_assert_eq(num(pl, "invite"), 100);
	cr_assert_eq(num(pl, "redact"), 50);
	cJSON_Delete(st);

	/* !status: the default for three rooms, the adopted one named. */
	body = status_in_dm(&anna, &bot);
	snprintf(want, sizeof want, "Kamerversie: %s (3 kamers); %s: Wijkgroep Zoomwijck", def, other);
	cr_assert_not_null(strstr(body, want), "%s", body);
	free(body);

	/* A second start changes nothing in it. */
	cr_assert_eq(itest_bot_stop(&bot), 0);
	itest_bot_start(&bot);
	line = sthelp_wait_reconciled(&bot, 2);
	cr_assert_not_null(strstr(line, "0 room(s) created, 0 state change(s), 0 invite(s)"), "%s", line);
	/* ... and reads each of its 4 rooms once, nothing else (issue 13). */
	cr_assert_not_null(strstr(line, "4 request(s) (4 read(s), 0 write(s))"), "%s", line);
	free(line);
	free(def);
	free(room);
	itest_bot_cleanup(&bot);
	itest_user_free(&anna);
}
