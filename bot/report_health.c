/* report_health.c: the health of a stuurgroep's groups (issue 16), for
 * !gezondheid and the weekly report: only what needs attention, short
 * and friendly. Groups die of silence or chatter; a stuurgroep needs
 * enough people and an active telefoonbeheerder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"
#include "store_int.h"
#include "policy/pol_aanmelding.h"

#define SILENT_DAYS 14          /* a wijkgroep without any message this long */
#define ACTIVE_DAYS 30          /* a telefoonbeheerder who did something this recently */
#define EXPIRED_DAYS 30         /* casussen closed by expiry, looked back this far */
#define MIN_LEDEN 3
#define DAY_S 86400LL

static long long num(bot_daemon *d, const char *sql, const char *a, const char *b)
{
	char *v = NULL;
	long long n = 0;

	if (bot_store_select_text(d->store, &v, "health", sql, 2, a, b) == BOT_STORE_OK && v)
		n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

static void point(char *buf, size_t size, int *n, const char *text)
{
	size_t len = strlen(buf);

	(*n)++;
	if (len + 4 < size)
		snprintf(buf + len, size - len, "\n- %s", text);
}

/* The last sign of life in wijkgroep key: a message, a casus, or else
 * when its room was made. */
static long long last_activity(bot_daemon *d, const char *key)
{
	long long a = num(d, "SELECT max(COALESCE((SELECT last_at FROM stats_activity WHERE room_key = ?1), 0),"
			     " COALESCE((SELECT max(opened) FROM stats_casus WHERE room_key = ?1), 0),"
			     " COALESCE((SELECT created_at FROM structure_rooms WHERE key = ?1), 0)) WHERE ?2 IS NOT NULL",
			  key, "");

	return a;
}

static void wijkgroep_points(bot_daemon *d, const pol_wijkgroep *wg, char *buf, size_t size, int *n)
{
	int en = d->pol.lang == POL_LANG_EN;
	char key[POL_STRUCT_MAX_KEY + 16], line[POL_STRUCT_MAX_NAME + 200], age[32], version[17];
	long long last, c;

	snprintf(key, sizeof key, "wijkgroep:%s", wg->id);
	last = last_activity(d, key);
	if (last > 0 && d->now - last > SILENT_DAYS * DAY_S) {
		snprintf(line, sizeof line, en ? "%s has been silent for %lld days. A short word from the stuurgroep helps."
					       : "In %s is al %lld dagen niets gezegd. Een kort berichtje van de stuurgroep helpt.",
			 wg->naam, (d->now - last) / DAY_S);
		point(buf, size, n, line);
	}
	snprintf(age, sizeof age, "%lld", (long long)EXPIRED_DAYS * DAY_S);
	c = num(d, "SELECT count(*) FROM stats_casus WHERE room_key = ? AND status = 'expired' AND closed >= :now - ?",
		key, age);
	if (c > 0) {
		snprintf(line, sizeof line, en ? "%s: %lld casus(sen) closed by expiry in the last %d days, without afloop. "
					       "Ask the casushouder for one with !afloop."
					     : "%s: %lld casus(sen) de afgelopen %d dagen verlopen zonder afloop. "
					       "Vraag de casushouder om een !afloop.",
			 wg->naam, c, EXPIRED_DAYS);
		point(buf, size, n, line);
	}
	snprintf(age, sizeof age, "%lld", (long long)d->cfg->application_reminder_hours * 3600);
	c = num(d, "SELECT count(*) FROM applications WHERE wijkgroep = ? AND state = 'open' AND created <= :now - ?",
		key, age);
	if (c > 0) {
		snprintf(line, sizeof line, en ? "%s: %lld application(s) waiting longer than %ld hours (!aanmeldingen)."
					       : "%s: %lld aanmelding(en) wachten al langer dan %ld uur (!aanmeldingen).",
			 wg->naam, c, d->cfg->application_reminder_hours);
		point(buf, size, n, line);
	}
	pol_spelregels_version(pol_spelregels_of(wg->wijk, d->pol.lang), version);
	c = num(d, "SELECT count(*) FROM residents WHERE wijkgroep = ? AND spelregels IS NOT NULL AND spelregels != ?",
		key, version);
	if (c > 0) {
		snprintf(line, sizeof line, en ? "%s: %lld member(s) have not accepted the current spelregels yet (!leden)."
					       : "%s: %lld lid/leden hebben de huidige spelregels nog niet geaccepteerd (!leden).",
			 wg->naam, c);
		point(buf, size, n, line);
	}
	c = num(d, "SELECT count(*) FROM waitlist WHERE wijkgroep = ? AND ? IS NOT NULL", key, "");
	if (c > 0) {
		snprintf(line, sizeof line, en ? "%s: %lld on the waiting list (!wachtlijst); a split may be due."
					       : "%s: %lld op de wachtlijst (!wachtlijst); misschien is splitsen tijd.",
			 wg->naam, c);
		point(buf, size, n, line);
	}
}

/* 1 when the telefoonbeheerder is in the stuurgroep room and gave a
 * command or wrote something in the last ACTIVE_DAYS. */
static int tb_active(bot_daemon *d, const pol_stuurgroep *sg)
{
	char key[POL_STRUCT_MAX_KEY + 16], age[32], *room = NULL;
	int joined = 0;

	if (!sg->telefoonbeheerder)
		return 0;
	snprintf(key, sizeof key, "stuurgroep:%s", sg->id);
	if (bot_store_room_get(d->store, key, &room) == BOT_STORE_OK && room)
		joined = num(d, "SELECT count(*) FROM room_members WHERE room_id = ? AND user_id = ? AND membership = 'join'",
			     room, sg->telefoonbeheerder) > 0;
	free(room);
	snprintf(age, sizeof age, "%lld", (long long)ACTIVE_DAYS * DAY_S);
	return joined && (num(d, "SELECT count(*) FROM audit_log WHERE sender = ? AND at >= :now - ?",
			      sg->telefoonbeheerder, age) > 0 ||
			  num(d, "SELECT count(*) FROM recent_posts WHERE user_id = ? AND at >= :now - ?",
			      sg->telefoonbeheerder, age) > 0);
}

int bot_health_text(bot_daemon *d, const pol_stuurgroep *sg, char *buf, size_t size)
{
	int en = d->pol.lang == POL_LANG_EN, n = 0;
	char line[POL_STRUCT_MAX_NAME + 200];
	size_t i;

	snprintf(buf, size, en ? "How %s is doing: these need attention." : "Hoe gaat het met %s? Dit vraagt aandacht:",
		 sg->naam);
	if (sg->n_leden < MIN_LEDEN) {
		snprintf(line, sizeof line, en ? "The stuurgroep has %zu member(s); at least %d share the work well."
					       : "De stuurgroep heeft %zu lid/leden; met minstens %d verdeel je het werk goed.",
			 sg->n_leden, MIN_LEDEN);
		point(buf, size, &n, line);
	}
	if (!tb_active(d, sg)) {
		snprintf(line, sizeof line, en ? "No telefoonbeheerder has been active here in the last %d days; "
					       "agree who takes it on (structure file)."
					     : "Er is de afgelopen %d dagen geen actieve telefoonbeheerder geweest; "
					       "spreek af wie het oppakt (structuurbestand).",
			 ACTIVE_DAYS);
		point(buf, size, &n, line);
	}
	for (i = 0; i < sg->n_beheert; i++)
		if (!sg->beheert[i]->opgeheven)
			wijkgroep_points(d, sg->beheert[i], buf, size, &n);
	if (n == 0)
		snprintf(buf, size, en ? "%s: all is well, nothing needs attention." : "%s: alles in orde, niets vraagt aandacht.",
			 sg->naam);
	return n;
}
