/* resident.c: see resident.h. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "resident.h"

void resident_new(resident *r, const char *prefix)
{
	static int n;

	itest_user_new(&r->u, prefix);
	snprintf(r->store, sizeof r->store, "/tmp/buurtbot-res-%d-%d-%ld", (int)getpid(), ++n, itest_now_ms());
}

void resident_free(resident *r)
{
	char cmd[400];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", r->store);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", r->store);
	itest_user_free(&r->u);
}

/* Runs resident.py for r with args; returns its one line of JSON parsed
 * (caller deletes), asserting success unless may_fail. */
cJSON *resident_run(resident *r, const char *args, int may_fail)
{
	char cmd[2048], out[1 << 16];
	FILE *p;
	size_t n;
	int st;
	cJSON *j;

	snprintf(cmd, sizeof cmd, "%s/.venv/bin/python %s/tests/harness/resident.py --hs %s --user '%s' "
		 "--password '%s' --store '%s' %s", itest_env("BUURTBOT_REPO"), itest_env("BUURTBOT_REPO"),
		 r->u.hs_url[0] ? r->u.hs_url : itest_env("BUURTBOT_TEST_HS_URL"), r->u.user_id, r->u.password,
		 r->store, args);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	st = pclose(p);
	j = cJSON_Parse(out);
	if (!may_fail)
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0 && j, "resident %s failed: %s", args, out);
	return j;
}

char *json_str(const cJSON *j, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(j, name);
	cr_assert(cJSON_IsString(v), "no %s in answer", name);
	return strdup(v->valuestring);
}

/* Sends text encrypted, returns the event id. */
char *resident_send(resident *r, const char *room, const char *text)
{
	char args[600];
	cJSON *j;
	char *id;

	snprintf(args, sizeof args, "send '%s' '%s'", room, text);
	j = resident_run(r, args, 0);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "encrypted")), "resident did not encrypt");
	id = json_str(j, "event_id");
	cJSON_Delete(j);
	return id;
}

/* Waits for the bot's reply to event and returns its decrypted body
 * (caller frees), asserting it was encrypted. */
char *bot_reply(resident *r, itest_bot *bot, const char *room, const char *event)
{
	char args[800];
	const cJSON *first;
	cJSON *j;
	char *body;

	snprintf(args, sizeof args, "wait-reply '%s' '%s' --from '%s' --timeout 30", room, event,
		 bot->account.user_id);
	j = resident_run(r, args, 1);
	first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "replies"), 0);
	if (!first) {
		itest_bot_dump_log(bot);
		cr_assert_fail("no readable reply from the bot: %s", j ? cJSON_PrintUnformatted(j) : "?");
	}
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(first, "encrypted")), "the bot answered in the clear");
	body = json_str(first, "body");
	cJSON_Delete(j);
	return body;
}


void resident_existing(resident *r, const itest_user *u)
{
	static int n;

	memset(r, 0, sizeof *r);
	r->u = *u;
	r->u.c = itest_user_client(u);
	snprintf(r->store, sizeof r->store, "/tmp/buurtbot-res-x%d-%d-%ld", (int)getpid(), ++n, itest_now_ms());
}
