/* pol_stats_text.h: the words around the anonymous statistics (issue 16):
 * the answer's title and its lines per wijk or wijkgroep, the monthly
 * report, and the chart's labels. The daemon gathers the values (dates,
 * names, figures as shown) and draws; what is said, and in which
 * language, is decided here. */
#ifndef POL_STATS_TEXT_H
#define POL_STATS_TEXT_H

#include <stddef.h>
#include "pol_stats.h"

/* One line under the figures: a wijkgroep of the wijk asked about, or a
 * wijk of the gemeente. Strings borrowed, values as shown ("<5", "x"). */
typedef struct pol_stats_part_line {
	const char *name;
	const char *meldingen;
	const char *leden, *wachtlijst;   /* a wijkgroep's; NULL for a wijk */
	int retired;                      /* a wijkgroep that is opgeheven: not shown */
} pol_stats_part_line;

/* A day as the report shows it; y 0: not known. */
typedef struct pol_stats_day {
	int y, m, d;
} pol_stats_day;

/* What one report is about. */
typedef struct pol_stats_report {
	const char *scope_name;                  /* the gemeente, wijk or wijkgroep */
	pol_stats_day first, last;               /* both included */
	const pol_stats_item *items;             /* pol_stats_items, protected */
	size_t n_items;
	const pol_stats_part_line *parts;        /* may be NULL */
	size_t n_parts;
	int monthly;                             /* the monthly report, not an answer */
} pol_stats_report;

/* The report r in lang into buf: title, figures, then the parts. */
void pol_stats_report_write(pol_lang lang, const pol_stats_report *r, char *buf, size_t size);

/* The chart's title for the scope named scope_name into buf. */
void pol_chart_title(pol_lang lang, const char *scope_name, char *buf, size_t size);
/* The month label of month m (1..12), "?" otherwise; static. */
const char *pol_chart_month(pol_lang lang, int m);
/* The label of weekday wd (0 maandag .. 6 zondag), "?" otherwise; static. */
const char *pol_chart_weekday(pol_lang lang, int wd);

#endif
