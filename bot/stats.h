/* stats.h: the anonymous statistics and the groups' health (issue 16) on
 * the daemon's side: gathering the anonymous rows (store_stats.c), the
 * !statistiek and !gezondheid answers, the monthly and weekly reports
 * (report.c), the chart (chart.c) and the export (stats_export.c). The
 * figures themselves are computed in policy/pol_stats*.c. */
#ifndef BOT_STATS_H
#define BOT_STATS_H

#include <stdio.h>
#include "daemon.h"
#include "policy/pol_health.h"
#include "policy/pol_stats.h"

/* The anonymous rows of casussen opened in [from, to) that began in a
 * wijkgroep, with local weekday, hour and month. */
typedef struct bot_stats_set {
	pol_stats_row *rows;
	size_t n, cap;
	char **strs;         /* the rows' strings, owned */
	size_t n_strs, cap_strs;
} bot_stats_set;

#define TXN_MAX_STATS 1400

/* store_stats.c: fills *out (empty on failure). s the structure, may be
 * NULL: it gives the wijk of rows the sync has not yet given one. A
 * BOT_STORE_ status. */
int bot_stats_load(bot_store *st, const pol_structure *s, long long from, long long to, bot_stats_set *out);
void bot_stats_set_free(bot_stats_set *set);
/* store_stats.c: inside a transaction, completes the anonymous rows while
 * the casus is still kept whole: the wijk of its wijkgroep and the SAAR
 * reading of its messages (112 called); and notes the last message per
 * wijkgroep. A BOT_STORE_ status. */
int bot_stats_sync(bot_daemon *d);
/* store_stats.c: members (joined + invited, the bot not counted; 0 while
 * its room is not made) and waiting list of the wijkgroep with key. On
 * error BOT_STORE_ERR and both 0 (never read them then). */
int bot_stats_members(bot_daemon *d, const char *wg_key, long *members, long *waiting);
/* store_stats.c: when the bot made the structure room key (s) into
 * *created; BOT_STORE_NOT_FOUND when not made (or not known when). 0
 * unless OK. */
int bot_stats_room_created(bot_store *st, const char *key, long long *created);
/* store_stats.c: *sent 1 when the report with key was posted (0 on
 * error, which the status says); mark_sent marks it (on error nothing
 * changes). */
int bot_stats_sent(bot_store *st, const char *key, int *sent);
int bot_stats_mark_sent(bot_store *st, const char *key);
/* store_stats.c: the store's part of the health snapshot of stuurgroep
 * sg (report_health.c): per wijkgroep sg->beheert[i] its facts into
 * wgs[i] (room for sg->n_beheert; versions[i] its current spelregels
 * version; an open application counts as waiting after reminder_s), and
 * whether the telefoonbeheerder is in the stuurgroep room and when they
 * last gave a command or wrote (0: never) into *tb_joined and
 * *tb_last_seen. On error BOT_STORE_ERR and all of them 0: a failed read
 * is no answer (never read them then). */
int bot_stats_health(bot_store *st, const pol_stuurgroep *sg, const char *const *versions, long long reminder_s,
		     pol_health_wijkgroep *wgs, int *tb_joined, long long *tb_last_seen);

/* store_stats.c: the charts asked for (stats_charts), made after the
 * batch. add keeps one under txn (once: a second add of txn changes
 * nothing; on error nothing changes); remove forgets it (on error nothing
 * changes). */
int bot_stats_chart_add(bot_store *st, const char *txn, const char *room_id, const char *reply_to, const char *scope,
			long long from, long long to);
int bot_stats_chart_remove(bot_store *st, const char *txn);

#define BOT_STATS_CHARTS_MAX 4   /* charts made per pass */

/* One chart asked for: into room, replying to reply (may be NULL), of
 * scope over [from, to), asked at at. */
typedef struct bot_stats_chart {
	char *txn, *room, *reply, *scope;
	long long from, to, at;
} bot_stats_chart;

typedef struct bot_stats_charts {
	bot_stats_chart j[BOT_STATS_CHARTS_MAX];
	size_t n;
} bot_stats_charts;

/* store_stats.c: the oldest charts asked for (at most
 * BOT_STATS_CHARTS_MAX) into *out (clear it with bot_stats_charts_clear).
 * On error BOT_STORE_ERR and *out empty. */
int bot_stats_charts_next(bot_store *st, bot_stats_charts *out);
void bot_stats_charts_clear(bot_stats_charts *l);

/* stats_tree.c: the figures of the gemeente (row 0), each wijk and, after
 * it, its wijkgroepen over [from, to), protected against one another. */
typedef struct bot_stats_part {
	char scope[POL_STRUCT_MAX_KEY + 16];   /* "gemeente", "wijk:<id>", "wijkgroep:<id>" */
	const pol_wijk *wijk;                  /* NULL for the gemeente; borrowed */
	const pol_wijkgroep *wijkgroep;        /* NULL for a wijk or the gemeente */
} bot_stats_part;

typedef struct bot_stats_tree {
	pol_stats_node *nodes;
	bot_stats_part *part;
	size_t n;
} bot_stats_tree;

/* 0, or -1 out of memory (*t empty). */
int bot_stats_tree_make(bot_daemon *d, const bot_stats_set *set, long long from, long long to, bot_stats_tree *t);
/* The row of scope, or -1. */
int bot_stats_tree_find(const bot_stats_tree *t, const char *scope);
/* The shown value of item name in row i, or "-". */
const char *bot_stats_tree_value(const bot_stats_tree *t, size_t i, const char *name);
void bot_stats_tree_free(bot_stats_tree *t);

/* stats.c: the local time t as weekday (0 maandag), hour, yyyymm. */
void bot_stats_local(long long t, int *weekday, int *hour, int *month);
/* stats.c: seconds of local midnight at the start of y-m-d (day may be
 * past the month's end: it carries over). */
long long bot_stats_local_date(int y, int m, int d);
/* stats.c: the period p as [from, to) in seconds, relative to now. */
void bot_stats_period_bounds(const pol_stats_period *p, long long now, long long *from, long long *to);

/* stats.c: the action of !statistiek and !gezondheid (command names the
 * one). A BOT_STORE_ status. */
int bot_stats_action(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base, size_t index);
/* stats.c: the report text for scope ("gemeente", "wijk:<id>",
 * "wijkgroep:<id>") over [from, to) into buf. */
int bot_stats_text(bot_daemon *d, const char *scope, long long from, long long to, char *buf, size_t size);
/* stats.c: the same, as the monthly report when monthly (policy words it:
 * pol_stats_text.h). */
int bot_stats_report(bot_daemon *d, const char *scope, long long from, long long to, int monthly, char *buf,
		     size_t size);

/* report.c: after each batch (outside any transaction): completes the
 * anonymous rows, posts the monthly report on the first days of a month
 * and the weekly health report, makes the charts asked for. At most once
 * a minute of the bot's clock. */
void bot_stats_housekeeping(bot_daemon *d);
/* report_health.c: the health of stuurgroep sg (policy/pol_health.c
 * decides and words it) into *points (0 when nothing needs attention: buf
 * then says so) and buf. A BOT_STORE_ status: on error *points is 0 and
 * buf empty (a store that cannot be read says nothing, rather than "all
 * is well"). */
int bot_health_text(bot_daemon *d, const pol_stuurgroep *sg, char *buf, size_t size, int *points);
/* report.c: queues a chart for scope over [from, to) into room_id
 * (replying to reply_to, may be NULL) under txn: made after the batch. */
int bot_stats_chart_queue(bot_daemon *d, const char *txn, const char *room_id, const char *reply_to,
			  const char *scope, long long from, long long to);

/* report.c: the figures of the chart of scope (for tests). 0 or -1. */
struct bot_chart;
int bot_stats_chart_data(bot_daemon *d, const char *scope, long long from, long long to, struct bot_chart *c);

/* stats_export.c: --export-stats: the figures of every wijk and
 * wijkgroep and the gemeente over [from, to] (dates YYYY-MM-DD) as csv or
 * json on out. 0, or the exit status. */
int bot_stats_export(bot_daemon *d, const char *from, const char *to, const char *format, FILE *out);

#endif
