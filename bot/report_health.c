/* report_health.c: the facts behind a stuurgroep's health report (issue
 * 16), for !gezondheid and the weekly report. What needs attention and
 * how it is said is decided in policy/pol_health.c; this file only reads
 * the store over the windows that file names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"
#include "store_int.h"
#include "policy/pol_aanmelding.h"
#include "policy/pol_health.h"

static long long num(bot_daemon *d, const char *sql, const char *a, const char *b)
{
	char *v = NULL;
	long long n = 0;

	if (bot_store_select_text(d->store, &v, "health", sql, 2, a, b) == BOT_STORE_OK && v)
		n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

/* The last sign of life in wijkgroep key: a message, a casus, or else
 * when its room was made. */
static long long last_activity(bot_daemon *d, const char *key)
{
	return num(d, "SELECT max(COALESCE((SELECT last_at FROM stats_activity WHERE room_key = ?1), 0),"
		      " COALESCE((SELECT max(opened) FROM stats_casus WHERE room_key = ?1), 0),"
		      " COALESCE((SELECT created_at FROM structure_rooms WHERE key = ?1), 0)) WHERE ?2 IS NOT NULL",
		   key, "");
}

static void wijkgroep_facts(bot_daemon *d, const pol_wijkgroep *wg, pol_health_wijkgroep *f)
{
	char key[POL_STRUCT_MAX_KEY + 16], age[32], version[17];

	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	f->last_activity = last_activity(d, key);
	snprintf(age, sizeof age, "%lld", (long long)POL_HEALTH_EXPIRED_DAYS * POL_HEALTH_DAY_S);
	f->expired = (long)num(d, "SELECT count(*) FROM stats_casus WHERE room_key = ? AND status = 'expired' "
			       "AND closed >= :now - ?", key, age);
	snprintf(age, sizeof age, "%lld", (long long)d->cfg->application_reminder_hours * 3600);
	f->apps_waiting = (long)num(d, "SELECT count(*) FROM applications WHERE wijkgroep = ? AND state = 'open' "
				    "AND created <= :now - ?", key, age);
	pol_spelregels_version(pol_spelregels_of(wg->wijk, d->pol.lang), version);
	f->unaccepted = (long)num(d, "SELECT count(*) FROM residents WHERE wijkgroep = ? AND spelregels IS NOT NULL "
				  "AND spelregels != ?", key, version);
	f->waiting = (long)num(d, "SELECT count(*) FROM waitlist WHERE wijkgroep = ? AND ? IS NOT NULL", key, "");
}

/* Whether the telefoonbeheerder is in the stuurgroep room, and when they
 * last gave a command or wrote something (0: never, as far as kept). */
static void tb_facts(bot_daemon *d, const pol_stuurgroep *sg, pol_health_facts *f)
{
	char key[POL_STRUCT_MAX_KEY + 16], *room = NULL;
	long long cmd, post;

	if (!sg->telefoonbeheerder)
		return;
	snprintf(key, sizeof key, "stuurgroep:%s", sg->id);
	if (bot_store_room_get(d->store, key, &room) == BOT_STORE_OK && room)
		f->tb_joined = num(d, "SELECT count(*) FROM room_members WHERE room_id = ? AND user_id = ? "
				   "AND membership = 'join'", room, sg->telefoonbeheerder) > 0;
	free(room);
	cmd = num(d, "SELECT coalesce(max(at), 0) FROM audit_log WHERE sender = ? AND ? IS NOT NULL",
		  sg->telefoonbeheerder, "");
	post = num(d, "SELECT coalesce(max(at), 0) FROM recent_posts WHERE user_id = ? AND ? IS NOT NULL",
		   sg->telefoonbeheerder, "");
	f->tb_last_seen = cmd > post ? cmd : post;
}

int bot_health_text(bot_daemon *d, const pol_stuurgroep *sg, char *buf, size_t size)
{
	pol_health_wijkgroep *wgs = calloc(sg->n_beheert + 1, sizeof *wgs);
	pol_health_facts f;
	size_t i;
	int n;

	memset(&f, 0, sizeof f);
	f.sg = sg;
	f.now = d->now;
	f.reminder_hours = d->cfg->application_reminder_hours;
	f.wijkgroepen = wgs;
	tb_facts(d, sg, &f);
	for (i = 0; wgs && i < sg->n_beheert; i++)
		wijkgroep_facts(d, sg->beheert[i], &wgs[i]);
	n = pol_health_text(d->pol.lang, &f, buf, size);
	free(wgs);
	return n;
}
