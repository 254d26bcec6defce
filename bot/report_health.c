/* report_health.c: the facts behind a stuurgroep's health report (issue
 * 16), for !gezondheid and the weekly report. What needs attention and
 * how it is said is decided in policy/pol_health.c; the store reads the
 * facts over the windows that file names (store_stats.c,
 * bot_stats_health); this file only brings the two together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"
#include "policy/pol_aanmelding.h"
#include "policy/pol_health.h"

int bot_health_text(bot_daemon *d, const pol_stuurgroep *sg, char *buf, size_t size, int *points)
{
	pol_health_wijkgroep *wgs = calloc(sg->n_beheert + 1, sizeof *wgs);
	char (*versions)[17] = calloc(sg->n_beheert + 1, sizeof *versions);
	const char **vs = calloc(sg->n_beheert + 1, sizeof *vs);
	pol_health_facts f;
	size_t i;
	int rc;

	*points = 0;
	if (size)
		buf[0] = '\0';
	memset(&f, 0, sizeof f);
	f.sg = sg;
	f.now = d->now;
	f.reminder_hours = d->cfg->application_reminder_hours;
	f.wijkgroepen = wgs;
	if (!wgs || !versions || !vs) {
		rc = bot_store_oom(d->store, "the health report");
		goto done;
	}
	for (i = 0; i < sg->n_beheert; i++) {
		pol_spelregels_version(pol_spelregels_of(sg->beheert[i]->wijk, d->pol.lang), versions[i]);
		vs[i] = versions[i];
	}
	rc = bot_stats_health(d->store, sg, vs, (long long)d->cfg->application_reminder_hours * 3600, wgs,
			      &f.tb_joined, &f.tb_last_seen);
	if (rc == BOT_STORE_OK)
		*points = pol_health_text(d->pol.lang, &f, buf, size);
done:
	free(wgs);
	free(versions);
	free(vs);
	return rc;
}
