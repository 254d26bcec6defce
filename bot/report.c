/* report.c: what the statistics do by themselves, after each batch: the
 * anonymous rows completed, the monthly report in every regiegroep and
 * the gemeentelijke regiegroep (the first days of a month, once), the
 * weekly health report in each stuurgroep room (Mondays, once, only when
 * something needs attention), and the charts asked for, drawn, encrypted
 * and uploaded outside the batch's transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "queue.h"
#include "chart.h"
#include "log.h"
#include "stats.h"
#include "matrix/mx_media.h"
#include "policy/pol_report.h"
#include "policy/pol_stats_text.h"

#define SWEEP_S 60
#define CHART_GIVE_UP_S (3 * 86400)   /* a homeserver away this long: the chart is dropped (the text went) */
#define CHARTS_PER_PASS 4

int bot_stats_chart_queue(bot_daemon *d, const char *txn, const char *room_id, const char *reply_to,
			  const char *scope, long long from, long long to)
{
	return bot_stats_chart_add(d->store, txn, room_id, reply_to, scope, from, to);
}

/* ---- the chart ---- */

/* The series of scope: the wijken of the gemeente, the wijkgroepen of a
 * wijk, or the one wijkgroep. */
static void chart_series(bot_daemon *d, const char *scope, bot_chart *c, const char **ids, int *by_wijk)
{
	const pol_wijk *w = strncmp(scope, "wijk:", 5) == 0 ? pol_structure_find_wijk(d->structure, scope + 5) : NULL;
	const pol_wijkgroep *wg =
		strncmp(scope, "wijkgroep:", 10) == 0 ? pol_structure_find_wijkgroep(d->structure, scope + 10) : NULL;
	size_t i;

	*by_wijk = !w && !wg;
	if (wg) {
		c->series[0] = wg->naam;
		ids[0] = wg->id;
		c->n_series = 1;
		return;
	}
	for (i = 0; w && i < w->n_wijkgroepen && c->n_series < BOT_CHART_SERIES; i++)
		if (!w->wijkgroepen[i].opgeheven) {
			c->series[c->n_series] = w->wijkgroepen[i].naam;
			ids[c->n_series++] = w->wijkgroepen[i].id;
		}
	for (i = 0; !w && i < pol_structure_n_wijken(d->structure) && c->n_series < BOT_CHART_SERIES; i++) {
		c->series[c->n_series] = pol_structure_wijk(d->structure, i)->naam;
		ids[c->n_series++] = pol_structure_wijk(d->structure, i)->id;
	}
}

/* Month k of c from the rows of set in [from, to): the bars as the
 * protected tree of that month shows them. 0 or -1. */
static int chart_month(bot_daemon *d, const bot_stats_set *set, const char **ids, int by_wijk, long long from,
		       long long to, size_t k, bot_chart *c)
{
	bot_stats_tree t;
	char scope[POL_STRUCT_MAX_KEY + 16];
	size_t s, i;
	int r;

	if (bot_stats_tree_make(d, set, from, to, &t) != 0)
		return -1;
	for (s = 0; s < c->n_series; s++) {
		snprintf(scope, sizeof scope, "%s:%s", by_wijk ? "wijk" : "wijkgroep", ids[s]);
		r = bot_stats_tree_find(&t, scope);
		for (i = 0; r >= 0 && i < t.nodes[r].n; i++)
			if (strcmp(t.nodes[r].items[i].name, "meldingen") == 0) {
				c->counts[s][k] = t.nodes[r].items[i].raw;
				c->hidden[s][k] = t.nodes[r].items[i].mark == POL_STATS_HIDE;
			}
	}
	bot_stats_tree_free(&t);
	return 0;
}

/* The chart of scope: twelve months up to the month of `to`, the heatmap
 * of [from, to). 0 or -1. */
static int chart_of(bot_daemon *d, const char *scope, long long from, long long to, bot_chart *c, bot_stats_set *set)
{
	const char *ids[BOT_CHART_SERIES] = { NULL };
	pol_stats_figures f;
	int wd, hr, month, y, m, by_wijk;
	size_t i;
	long long start, m_from, m_to;

	memset(c, 0, sizeof *c);
	bot_stats_local(to - 1, &wd, &hr, &month);
	y = month / 100;
	m = month % 100 - (BOT_CHART_MONTHS - 1);
	start = bot_stats_local_date(y, m, 1);
	if (bot_stats_load(d->store, d->structure, start < from ? start : from, to, set) != BOT_STORE_OK)
		return -1;
	chart_series(d, scope, c, ids, &by_wijk);
	c->n_months = BOT_CHART_MONTHS;
	for (i = 0; i < BOT_CHART_MONTHS; i++) {
		bot_stats_local(bot_stats_local_date(y, m + (int)i, 15), &wd, &hr, &c->months[i]);
		m_from = bot_stats_local_date(y, m + (int)i, 1);
		m_to = bot_stats_local_date(y, m + (int)i + 1, 1);
		if (chart_month(d, set, ids, by_wijk, m_from, m_to < to ? m_to : to, i, c) != 0)
			return -1;
	}
	/* the heatmap of the scope only */
	if (pol_stats_compute(set->rows, set->n, strncmp(scope, "wijk:", 5) == 0 ? scope + 5 : NULL,
			      strncmp(scope, "wijkgroep:", 10) == 0 ? scope + 10 : NULL, from, to, &f) != 0)
		return -1;
	memcpy(c->heat, f.heat, sizeof c->heat);
	c->lang = d->pol.lang;
	return 0;
}

int bot_stats_chart_data(bot_daemon *d, const char *scope, long long from, long long to, bot_chart *c)
{
	bot_stats_set set;
	int rc = chart_of(d, scope, from, to, c, &set);

	bot_stats_set_free(&set);
	return rc;
}

/* The m.image content of an uploaded encrypted PNG (file taken). */
static char *image_content(cJSON *file, size_t len, int w, int h, const char *reply_to, pol_lang lang)
{
	cJSON *c = cJSON_CreateObject(), *info = cJSON_CreateObject();
	char *json = NULL;

	if (c && info) {
		cJSON_AddStringToObject(c, "msgtype", "m.image");
		cJSON_AddStringToObject(c, "body", pol_text(lang, POL_TXT_CHART_FILE));
		cJSON_AddItemToObject(c, "file", file);
		file = NULL;
		cJSON_AddStringToObject(info, "mimetype", "image/png");
		cJSON_AddNumberToObject(info, "size", (double)len);
		cJSON_AddNumberToObject(info, "w", w);
		cJSON_AddNumberToObject(info, "h", h);
		cJSON_AddItemToObject(c, "info", info);
		info = NULL;
		if (reply_to && reply_to[0])
			mx_content_set_reply(c, reply_to);
		json = cJSON_PrintUnformatted(c);
	}
	cJSON_Delete(file);
	cJSON_Delete(info);
	cJSON_Delete(c);
	return json;
}

/* Queues the image (content may be NULL: dropped) and forgets the job,
 * in one transaction. */
static void chart_done(bot_daemon *d, const bot_stats_chart *j, const char *content)
{
	int rc = bot_store_begin(d->store);

	if (rc == BOT_STORE_OK && content)
		rc = bot_store_outbox_add(d->store, BOT_OUT_SEND, j->txn, j->room, "m.room.message", content);
	if (rc == BOT_STORE_OK)
		rc = bot_stats_chart_remove(d->store, j->txn);
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_WARN("storing a chart failed: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
	}
}

/* "Meldingen per maand, <scope's name>" into buf. */
static void chart_title(bot_daemon *d, const char *scope, char *buf, size_t size)
{
	const pol_wijk *w = strncmp(scope, "wijk:", 5) == 0 ? pol_structure_find_wijk(d->structure, scope + 5) : NULL;
	const pol_wijkgroep *wg =
		strncmp(scope, "wijkgroep:", 10) == 0 ? pol_structure_find_wijkgroep(d->structure, scope + 10) : NULL;

	pol_chart_title(d->pol.lang, wg ? wg->naam : w ? w->naam : pol_structure_gemeente(d->structure), buf, size);
}

/* Whether an upload that failed with status may work later: the
 * homeserver away, busy or restarting, or the bot stopping. */
static int may_work_later(int status)
{
	return status == MX_ERR_NETWORK || status == MX_ERR_TIMEOUT || status == MX_ERR_RATE_LIMITED ||
	       status == MX_ERR_SERVER || status == MX_ERR_AUTH || status == MX_ERR_CANCELLED || status == MX_ERR_NOMEM;
}

/* 0, or -1 when the upload failed for now (the pass stops: the others
 * would fail alike). */
static int make_chart(bot_daemon *d, const bot_stats_chart *j)
{
	bot_stats_set set;
	bot_chart c;
	unsigned char *png = NULL;
	size_t len = 0;
	int w = 0, h = 0, ok;
	cJSON *file = NULL;
	char *content = NULL, title[POL_STRUCT_MAX_NAME + 64];
	mx_error err;

	memset(&err, 0, sizeof err);
	memset(&c, 0, sizeof c);
	ok = chart_of(d, j->scope, j->from, j->to, &c, &set) == 0;
	chart_title(d, j->scope, title, sizeof title);
	c.title = title;
	if (!ok || bot_chart_png(&c, &png, &len, &w, &h) != 0) {
		LOG_WARN("the chart for %s could not be drawn; dropped", j->scope);
		bot_stats_set_free(&set);
		chart_done(d, j, NULL);
		return 0;
	}
	bot_stats_set_free(&set);
	if (mx_media_upload_encrypted(d->client, png, len, &file, &err) != MX_OK) {
		free(png);
		if (may_work_later(err.status) && d->now - j->at < CHART_GIVE_UP_S) {
			LOG_WARN("uploading a chart failed (%s); trying again later", err.message);
			return -1;
		}
		LOG_WARN("uploading a chart failed (%s); dropped", err.message);
		chart_done(d, j, NULL);
		return 0;
	}
	free(png);
	content = image_content(file, len, w, h, j->reply, d->pol.lang);
	chart_done(d, j, content);
	if (content)
		LOG_INFO("chart for %s queued (%zu bytes, encrypted)", j->scope, len);
	free(content);
	return 0;
}

static void make_charts(bot_daemon *d)
{
	bot_stats_charts l;
	size_t i;

	if (bot_stats_charts_next(d->store, &l) != BOT_STORE_OK)
		return;   /* the next pass reads again */
	for (i = 0; i < l.n && d->client; i++)
		if (make_chart(d, &l.j[i]) != 0)
			break;
	bot_stats_charts_clear(&l);
}

/* ---- the monthly report ---- */

/* One report of the previous month (ym, its bounds) into room key for scope. */
static int monthly_one(bot_daemon *d, const char *room_key, const char *scope, int ym, long long from, long long to)
{
	char key[POL_STRUCT_MAX_KEY + 64], txn[TXN_MAX_STATS], text[POL_TEXT_MAX], *room = NULL;
	long long created = 0;
	int rc, sent = 0;

	snprintf(key, sizeof key, "maand:%04d-%02d:%s", ym / 100, ym % 100, room_key);
	rc = bot_stats_room_created(d->store, room_key, &created);
	if (rc == BOT_STORE_OK)
		rc = bot_stats_sent(d->store, key, &sent);
	if (rc != BOT_STORE_OK || !pol_report_monthly_for_room(created, to) || sent)
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
	rc = bot_store_room_get(d->store, room_key, &room);
	if (rc != BOT_STORE_OK || !room) {
		free(room);
		return rc == BOT_STORE_ERR ? rc : BOT_STORE_OK;
	}
	rc = bot_stats_report(d, scope, from, to, 1, text, sizeof text);
	snprintf(txn, sizeof txn, "stats-%s", key);
	if (rc == BOT_STORE_OK)
		rc = bot_notice_queue(d, room, text, NULL, NULL, txn);
	strncat(txn, ":grafiek", sizeof txn - strlen(txn) - 1);
	if (rc == BOT_STORE_OK)
		rc = bot_stats_chart_queue(d, txn, room, NULL, scope, from, to);
	if (rc == BOT_STORE_OK)
		rc = bot_stats_mark_sent(d->store, key);
	if (rc == BOT_STORE_OK)
		LOG_INFO("monthly report %04d-%02d queued for %s", ym / 100, ym % 100, room_key);
	free(room);
	return rc;
}

static int monthly(bot_daemon *d)
{
	time_t tt = (time_t)d->now;
	struct tm tm;
	long long from, to;
	int wd, hr, ym, rc = BOT_STORE_OK;
	size_t i;
	char rk[POL_STRUCT_MAX_KEY + 16], scope[POL_STRUCT_MAX_KEY + 16];

	if (!localtime_r(&tt, &tm) || !pol_report_monthly_due(tm.tm_mday))
		return BOT_STORE_OK;
	from = bot_stats_local_date(tm.tm_year + 1900, tm.tm_mon, 1);   /* tm_mon is 0-based: the month before */
	to = bot_stats_local_date(tm.tm_year + 1900, tm.tm_mon + 1, 1);
	bot_stats_local(from, &wd, &hr, &ym);
	for (i = 0; i < pol_structure_n_wijken(d->structure) && rc == BOT_STORE_OK; i++) {
		const pol_wijk *w = pol_structure_wijk(d->structure, i);

		if (!w->regiegroep)
			continue;
		snprintf(rk, sizeof rk, "regiegroep:%s", w->id);
		snprintf(scope, sizeof scope, "wijk:%s", w->id);
		rc = monthly_one(d, rk, scope, ym, from, to);
	}
	if (rc == BOT_STORE_OK && pol_structure_gem_regiegroep(d->structure))
		rc = monthly_one(d, "gemeentelijke_regiegroep", "gemeente", ym, from, to);
	return rc;
}

/* ---- the weekly health report ---- */

static int weekly(bot_daemon *d)
{
	time_t tt = (time_t)d->now;
	struct tm tm;
	char key[POL_STRUCT_MAX_KEY + 64], rk[POL_STRUCT_MAX_KEY + 16], txn[TXN_MAX_STATS], text[POL_TEXT_MAX];
	char day[16];
	long long created = 0;
	size_t i, j;
	int rc = BOT_STORE_OK, sent = 0, points = 0;

	if (!localtime_r(&tt, &tm) || !pol_report_weekly_due(tm.tm_wday, tm.tm_hour))
		return BOT_STORE_OK;
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	for (i = 0; i < pol_structure_n_wijken(d->structure) && rc == BOT_STORE_OK; i++) {
		const pol_wijk *w = pol_structure_wijk(d->structure, i);

		for (j = 0; j < w->n_stuurgroepen && rc == BOT_STORE_OK; j++) {
			const pol_stuurgroep *sg = &w->stuurgroepen[j];

			snprintf(key, sizeof key, "gezondheid:%s:%s", day, sg->id);
			snprintf(rk, sizeof rk, "stuurgroep:%s", sg->id);
			rc = bot_stats_room_created(d->store, rk, &created);
			if (rc == BOT_STORE_OK)
				rc = bot_stats_sent(d->store, key, &sent);
			if (rc != BOT_STORE_OK || !pol_report_weekly_for_room(created, d->now) || sent) {
				rc = rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
				continue;
			}
			snprintf(txn, sizeof txn, "stats-%s", key);
			/* only what needs attention: a week with nothing says nothing */
			rc = bot_health_text(d, sg, text, sizeof text, &points);
			if (rc == BOT_STORE_OK && points > 0)
				rc = bot_notice_queue_key(d, rk, text, txn);
			if (rc == BOT_STORE_OK)
				rc = bot_stats_mark_sent(d->store, key);
		}
	}
	return rc;
}

void bot_stats_housekeeping(bot_daemon *d)
{
	static long long swept_at;
	int rc;

	if (!d->structure || (swept_at && d->now - swept_at < SWEEP_S && d->now >= swept_at)) {
		/* a chart asked for in this batch need not wait a minute */
		if (d->structure && d->client)
			make_charts(d);
		return;
	}
	swept_at = d->now;
	if (bot_store_begin(d->store) != BOT_STORE_OK)
		return;
	rc = bot_stats_sync(d);
	if (rc == BOT_STORE_OK)
		rc = monthly(d);
	if (rc == BOT_STORE_OK)
		rc = weekly(d);
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_WARN("statistics housekeeping failed: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
	}
	make_charts(d);
}
