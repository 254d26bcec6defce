/* stats.c: !statistiek and !gezondheid on the daemon's side: the period
 * in local time, the figures of a scope (policy/pol_stats.c computes
 * them) as a short text, and the chart queued to follow the answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "queue.h"
#include "log.h"
#include "stats.h"
#include "policy/pol_stats_text.h"

#define DAY_S 86400LL

void bot_stats_local(long long t, int *weekday, int *hour, int *month)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm)) {
		*weekday = *hour = -1;
		*month = 0;
		return;
	}
	*weekday = (tm.tm_wday + 6) % 7;   /* the week starts on maandag */
	*hour = tm.tm_hour;
	*month = (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

long long bot_stats_local_date(int y, int m, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;   /* midnight as the local clock says it, summer or winter */
	return (long long)mktime(&tm);
}

void bot_stats_period_bounds(const pol_stats_period *p, long long now, long long *from, long long *to)
{
	time_t tt = (time_t)now;
	struct tm tm;
	int y, m;

	localtime_r(&tt, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	switch (p->kind) {
	case POL_PERIOD_MONTH:
		if (p->y) {
			y = p->y;
			m = p->m;
		} else {
			m += p->rel;
		}
		*from = bot_stats_local_date(y, m, 1);
		*to = bot_stats_local_date(y, m + 1, 1);
		break;
	case POL_PERIOD_YEAR:
		*from = bot_stats_local_date(p->y, 1, 1);
		*to = bot_stats_local_date(p->y + 1, 1, 1);
		break;
	case POL_PERIOD_RANGE:
		*from = bot_stats_local_date(p->y, p->m, p->d);
		*to = bot_stats_local_date(p->y2, p->m2, p->d2 + 1);
		break;
	default:
		*from = now - (long long)(p->days > 0 ? p->days : POL_STATS_DEFAULT_DAYS) * DAY_S;
		*to = now + 1;
		break;
	}
}

/* The local day of time t; y 0 when it cannot be told. */
static pol_stats_day local_day(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	pol_stats_day day = { 0, 0, 0 };

	if (localtime_r(&tt, &tm)) {
		day.y = tm.tm_year + 1900;
		day.m = tm.tm_mon + 1;
		day.d = tm.tm_mday;
	}
	return day;
}

/* The lines under the figures: the rows under row r of the tree (the
 * wijkgroepen of a wijk, the wijken of the gemeente). *out: room for t->n. */
static size_t part_lines(const bot_stats_tree *t, int r, pol_stats_part_line *out)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++) {
		const bot_stats_part *p = &t->part[i];

		if (t->nodes[i].parent != r)
			continue;
		memset(&out[n], 0, sizeof out[n]);
		out[n].name = p->wijkgroep ? p->wijkgroep->naam : p->wijk->naam;
		out[n].meldingen = bot_stats_tree_value(t, i, "meldingen");
		if (p->wijkgroep) {
			out[n].leden = bot_stats_tree_value(t, i, "leden");
			out[n].wachtlijst = bot_stats_tree_value(t, i, "wachtlijst");
			out[n].retired = p->wijkgroep->opgeheven;
		}
		n++;
	}
	return n;
}

int bot_stats_report(bot_daemon *d, const char *scope, long long from, long long to, int monthly, char *buf,
		     size_t size)
{
	bot_stats_set set;
	bot_stats_tree tree;
	const bot_stats_part *p;
	pol_stats_part_line *parts = NULL;
	pol_stats_report rep;
	int rc, r;

	rc = bot_stats_load(d->store, d->structure, from, to, &set);
	if (rc != BOT_STORE_OK)
		return rc;
	rc = bot_stats_tree_make(d, &set, from, to, &tree);
	bot_stats_set_free(&set);
	if (rc != 0)
		return BOT_STORE_ERR;
	r = bot_stats_tree_find(&tree, scope);
	if (r < 0)
		r = 0;   /* a wijk or wijkgroep gone from the structure: the gemeente */
	p = &tree.part[r];
	memset(&rep, 0, sizeof rep);
	rep.scope_name = p->wijkgroep ? p->wijkgroep->naam : p->wijk ? p->wijk->naam
				    : d->structure ? pol_structure_gemeente(d->structure) : "";
	rep.first = local_day(from);
	rep.last = local_day(to - 1);
	rep.items = tree.nodes[r].items;
	rep.n_items = tree.nodes[r].n;
	rep.monthly = monthly;
	parts = calloc(tree.n + 1, sizeof *parts);
	if (!parts) {
		bot_stats_tree_free(&tree);
		return BOT_STORE_ERR;
	}
	if (!p->wijkgroep) {
		rep.parts = parts;
		rep.n_parts = part_lines(&tree, r, parts);
	}
	pol_stats_report_write(d->pol.lang, &rep, buf, size);
	free(parts);
	bot_stats_tree_free(&tree);
	return BOT_STORE_OK;
}

int bot_stats_text(bot_daemon *d, const char *scope, long long from, long long to, char *buf, size_t size)
{
	return bot_stats_report(d, scope, from, to, 0, buf, size);
}

/* !statistiek: the text at once, the chart after the batch. */
static int statistiek(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	long long from, to;
	char text[POL_TEXT_MAX], chart_txn[TXN_MAX_STATS + 16];
	int rc;

	bot_stats_period_bounds(&a->stats.range, d->now, &from, &to);
	rc = bot_stats_text(d, a->stats.scope, from, to, text, sizeof text);
	if (rc != BOT_STORE_OK)
		return rc;
	rc = bot_notice_queue(d, in->room_id, text, in->event_id, in->thread_root, txn);
	snprintf(chart_txn, sizeof chart_txn, "%s:grafiek", txn);
	if (rc == BOT_STORE_OK)
		rc = bot_stats_chart_queue(d, chart_txn, in->room_id, in->event_id, a->stats.scope, from, to);
	return rc;
}

int bot_stats_action(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base, size_t index)
{
	char txn[TXN_MAX_STATS], text[POL_TEXT_MAX];
	const pol_stuurgroep *sg;
	int points = 0, rc;

	snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
	if (strcmp(a->stats.what, "statistiek") == 0)
		return statistiek(d, in, a, txn);
	sg = d->structure && strncmp(a->stats.scope, "stuurgroep:", 11) == 0
		     ? pol_structure_find_stuurgroep(d->structure, a->stats.scope + 11)
		     : NULL;
	if (!sg)
		return BOT_STORE_OK;
	/* a store that cannot be read fails the batch (retried), never "all is well" */
	rc = bot_health_text(d, sg, text, sizeof text, &points);
	return rc == BOT_STORE_OK ? bot_notice_queue(d, in->room_id, text, in->event_id, in->thread_root, txn) : rc;
}
