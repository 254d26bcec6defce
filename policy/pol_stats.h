/* pol_stats.h: the anonymous statistics (issue 16) as pure computation:
 * rows of casussen (counts and times only: no names, texts or room ids)
 * in, figures out, with small counts suppressed ("<5") so that no
 * resident can be singled out. The daemon gathers the rows (bot/stats*.c)
 * and turns local dates into seconds; this file has no clock. */
#ifndef POL_STATS_H
#define POL_STATS_H

#include <stddef.h>
#include "pol_text.h"

/* Counts from 1 to POL_STATS_MIN_COUNT - 1 are shown as "<5". */
#define POL_STATS_MIN_COUNT 5

typedef enum pol_stats_uitkomst {
	POL_UIT_POLITIE = 0,   /* afloop "politie ter plaatse" */
	POL_UIT_AANHOUDING,
	POL_UIT_LOOS_ALARM,
	POL_UIT_ONBEKEND,      /* afloop without a named uitkomst too */
	POL_UIT_VERLOPEN,      /* closed by expiry, without afloop */
	POL_UIT_OPEN,          /* not closed yet */
	POL_UIT_COUNT
} pol_stats_uitkomst;

/* One casus that began in a wijkgroep, anonymous. Strings borrowed. */
typedef struct pol_stats_row {
	const char *wijk;           /* wijk id, "" when unknown */
	const char *wijkgroep;      /* wijkgroep id */
	long long opened;           /* seconds since the epoch */
	int weekday;                /* local: 0 maandag .. 6 zondag */
	int hour;                   /* local: 0..23 */
	int month;                  /* local: yyyy * 100 + mm */
	int called_112;             /* 1 the melding says 112 was called, 0 not, -1 not read */
	long long first_approval;   /* first copy made (s), 0 never forwarded */
	long long closed;           /* s, 0 while open */
	pol_stats_uitkomst uitkomst;
} pol_stats_row;

typedef struct pol_stats_figures {
	long meldingen;
	long read_112, called_112;     /* read by SAAR, and of those saying 112 was called */
	long forwarded;                /* approved and forwarded at least once */
	long approval_n, afloop_n;     /* samples of the two times below */
	long long approval_median_s, approval_p90_s;  /* melding -> first approval */
	long long afloop_median_s, afloop_p90_s;      /* melding -> afloop (not expiry) */
	long uitkomst[POL_UIT_COUNT];
	long weekday[7];
	long hour[24];
	long heat[7][24];
} pol_stats_figures;

/* The figures of the rows of wijk (NULL: every wijk) and wijkgroep
 * (NULL: every one) opened in [from, to). 0, or -1 out of memory (*out
 * then zero). */
int pol_stats_compute(const pol_stats_row *rows, size_t n, const char *wijk, const char *wijkgroep, long long from,
		      long long to, pol_stats_figures *out);

/* The uitkomst of a casus from its status ("open", "closed", "expired")
 * and the uitkomst the afloop named (may be NULL or ""). */
pol_stats_uitkomst pol_stats_uitkomst_of(const char *status, const char *uitkomst);

/* n as shown: "0", "<5" for 1..4, else the number. */
void pol_stats_count_text(long n, char *buf, size_t size);
/* part of whole as a percentage ("62%"); "-" when whole is below
 * POL_STATS_MIN_COUNT or part or the rest is 1..4 (they could be
 * counted back). */
void pol_stats_share_text(long part, long whole, char *buf, size_t size);
/* Counts that add up to a shown total (the days of the week, the hours,
 * the outcomes, the wijkgroepen of a wijk) would give a lone "<5" back
 * by subtraction: such a cell needs company. Marks per cell: */
#define POL_STATS_SHOW 0    /* shown as the number */
#define POL_STATS_SMALL 1   /* 1..4: "<5" */
#define POL_STATS_HIDE 2    /* 5 or more, hidden ("x") so that no small cell can be worked out */
/* Marks the cells of one partition (n counts adding up to a total that is
 * taken as known): the small ones, and as few of the smallest others as
 * needed so that every hidden cell has two or more possible values.
 * Marks already set stay (so it can be run again after more hiding). */
void pol_stats_protect(const long *cells, size_t n, unsigned char *mark);
/* A cell as shown: "x" when hidden, else as pol_stats_count_text. */
void pol_stats_cell_text(long n, unsigned char mark, char *buf, size_t size);

/* A duration in whole minutes, "-" with fewer than POL_STATS_MIN_COUNT samples. */
void pol_stats_minutes_text(long samples, long long seconds, char *buf, size_t size);

/* The figures as named values, the same for the report, the export and
 * the tests: "meldingen", "pct_112", ..., "weekdag_ma", "uur_00". */
typedef struct pol_stats_item {
	char name[40];
	char value[24];
	long raw;            /* the count behind value, -1 for shares and times */
	long num;            /* a share's part (a count too), -1 for the others */
	int part;            /* the partition of meldingen it is a cell of (0 none) */
	unsigned char mark;  /* POL_STATS_SHOW, _SMALL, _HIDE */
} pol_stats_item;

#define POL_STATS_ITEMS_MAX 64
/* Fills out (room for POL_STATS_ITEMS_MAX) and returns how many. members
 * and waiting < 0 leave those two out (a wijk or the gemeente). */
size_t pol_stats_items(const pol_stats_figures *f, long members, long waiting, pol_stats_item *out);
/* Protects the partitions among items (again, after the caller hid more
 * cells by setting mark to POL_STATS_HIDE), and writes their values. */
void pol_stats_items_protect(pol_stats_item *items, size_t n);

/* One row of the figures for the gemeente (parent -1), a wijk or a
 * wijkgroep: its items and the row its counts add up into. */
typedef struct pol_stats_node {
	pol_stats_item items[POL_STATS_ITEMS_MAX];
	size_t n;
	int parent;
} pol_stats_node;

/* Protects the counts of every row against the others: the counts of the
 * children of a row add up to the row's, so each such set is a partition
 * too, and a hidden total must not come back as the sum of its parts.
 * Rows' items are made by pol_stats_items (the same order in every row). */
void pol_stats_protect_tree(pol_stats_node *nodes, size_t n);

/* A period as asked: "2026-11" (a month), "2026" (a year), "30d" (the
 * last days), "2026-01-01..2026-03-31" (dates, both included), or
 * "vorige-maand"/"deze-maand". The daemon turns it into seconds in
 * local time (bot/stats.c). */
typedef enum pol_stats_period_kind {
	POL_PERIOD_DAYS = 0,     /* days before now (days) */
	POL_PERIOD_MONTH,        /* y, m; m 0: the month of now plus rel (0, -1) */
	POL_PERIOD_YEAR,         /* y */
	POL_PERIOD_RANGE,        /* y, m, d .. y2, m2, d2 */
} pol_stats_period_kind;

typedef struct pol_stats_period {
	pol_stats_period_kind kind;
	int days;
	int y, m, d, y2, m2, d2;
	int rel;
} pol_stats_period;

/* The period of !statistiek when none is given: the last 30 days. */
#define POL_STATS_DEFAULT_DAYS 30

/* Reads a period word; 0 and *out, or -1 when word is not one. */
int pol_stats_period_parse(const char *word, pol_stats_period *out);
/* A YYYY-MM-DD date; 0 ok, -1 not a date. */
int pol_stats_date_parse(const char *s, int *y, int *m, int *d);

/* The short report: title line, then the figures of f (lines that say
 * nothing are left out), members and waiting list when >= 0. */
void pol_stats_report_text(pol_lang lang, const char *title, const pol_stats_figures *f, long members, long waiting,
			   char *buf, size_t size);
/* The same from items as pol_stats_items made them (and protected). */
void pol_stats_report_items(pol_lang lang, const char *title, const pol_stats_item *items, size_t n, char *buf,
			    size_t size);

#endif
