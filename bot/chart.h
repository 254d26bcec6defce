/* chart.h: the statistics chart (issue 16) as a PNG drawn with cairo:
 * meldingen per month per wijk (or wijkgroep) as grouped bars, and a
 * weekday by hour heatmap. Counts of 1 to 4 are drawn as "<5" (one light
 * bar height, one light shade), hidden ones as "x", and the heatmap in four
 * shades only: the picture suppresses what the text does. */
#ifndef BOT_CHART_H
#define BOT_CHART_H

#include <stddef.h>
#include "policy/pol_text.h"

#define BOT_CHART_MONTHS 12
#define BOT_CHART_SERIES 8

typedef struct bot_chart {
	const char *title;                          /* borrowed */
	pol_lang lang;                              /* of the labels (policy/pol_stats_text.h) */
	int months[BOT_CHART_MONTHS];               /* yyyymm, oldest first */
	size_t n_months;
	const char *series[BOT_CHART_SERIES];       /* names, borrowed */
	long counts[BOT_CHART_SERIES][BOT_CHART_MONTHS];
	unsigned char hidden[BOT_CHART_SERIES][BOT_CHART_MONTHS];  /* 1: drawn as "x" (it would give a "<5" back) */
	size_t n_series;
	long heat[7][24];                           /* maandag first */
} bot_chart;

/* The PNG of c: *out (caller frees), *len, and its size in pixels. 0, or
 * -1 when cairo failed (nothing returned). */
int bot_chart_png(const bot_chart *c, unsigned char **out, size_t *len, int *width, int *height);

#endif
