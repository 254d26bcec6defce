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
#include "store_int.h"

#define DAY_S 86400LL
#define DEFAULT_DAYS 30

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
		*from = now - (long long)(p->days > 0 ? p->days : DEFAULT_DAYS) * DAY_S;
		*to = now + 1;
		break;
	}
}

/* "d-m-yyyy" of local time t into buf. */
static void date_text(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || strftime(buf, size, "%d-%m-%Y", &tm) == 0)
		snprintf(buf, size, "?");
}

/* Appends text on a line of its own. */
static void add_line(char *buf, size_t size, const char *text)
{
	size_t len = strlen(buf);

	if (len + 2 < size)
		snprintf(buf + len, size - len, "\n%s", text);
}

/* The meldingen per wijkgroep (wijk scope) or per wijk (gemeente), as
 * lines under the figures: the rows under row r of the tree. */
static void per_part(bot_daemon *d, const bot_stats_tree *t, int r, char *buf, size_t size)
{
	char line[POL_STRUCT_MAX_NAME * 2 + 96];
	size_t i;

	for (i = 0; i < t->n; i++) {
		const bot_stats_part *p = &t->part[i];

		if (t->nodes[i].parent != r || (p->wijkgroep && p->wijkgroep->opgeheven))
			continue;
		if (!p->wijkgroep)
			snprintf(line, sizeof line, "- %s: %s %s", p->wijk->naam, bot_stats_tree_value(t, i, "meldingen"),
				 "meldingen");
		else
			snprintf(line, sizeof line, d->pol.lang == POL_LANG_EN ? "- %s: %s meldingen, %s members, %s waiting"
									       : "- %s: %s meldingen, %s leden, %s wachtend",
				 p->wijkgroep->naam, bot_stats_tree_value(t, i, "meldingen"), bot_stats_tree_value(t, i, "leden"),
				 bot_stats_tree_value(t, i, "wachtlijst"));
		add_line(buf, size, line);
	}
}

int bot_stats_text(bot_daemon *d, const char *scope, long long from, long long to, char *buf, size_t size)
{
	bot_stats_set set;
	bot_stats_tree tree;
	const bot_stats_part *p;
	char title[POL_STRUCT_MAX_NAME + 128], a[24], b[24];
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
	date_text(from, a, sizeof a);
	date_text(to - 1, b, sizeof b);
	snprintf(title, sizeof title, d->pol.lang == POL_LANG_EN ? "Statistics %s, %s to %s" : "Statistiek %s, %s t/m %s",
		 p->wijkgroep ? p->wijkgroep->naam : p->wijk ? p->wijk->naam
				 : d->structure ? pol_structure_gemeente(d->structure) : "", a, b);
	pol_stats_report_items(d->pol.lang, title, tree.nodes[r].items, tree.nodes[r].n, buf, size);
	if (!p->wijkgroep)
		per_part(d, &tree, r, buf, size);
	bot_stats_tree_free(&tree);
	return BOT_STORE_OK;
}

/* !statistiek: the text at once, the chart after the batch. */
static int statistiek(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	pol_stats_period p;
	long long from, to;
	char text[POL_TEXT_MAX], chart_txn[TXN_MAX_STATS + 16];
	int rc;

	if (!a->stats.period[0] || pol_stats_period_parse(a->stats.period, &p) != 0) {
		memset(&p, 0, sizeof p);
		p.kind = POL_PERIOD_DAYS;
		p.days = DEFAULT_DAYS;
	}
	bot_stats_period_bounds(&p, d->now, &from, &to);
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

	snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
	if (strcmp(a->stats.what, "statistiek") == 0)
		return statistiek(d, in, a, txn);
	sg = d->structure && strncmp(a->stats.scope, "stuurgroep:", 11) == 0
		     ? pol_structure_find_stuurgroep(d->structure, a->stats.scope + 11)
		     : NULL;
	if (!sg)
		return BOT_STORE_OK;
	bot_health_text(d, sg, text, sizeof text);
	return bot_notice_queue(d, in->room_id, text, in->event_id, in->thread_root, txn);
}
