/* pol_stats.c: see pol_stats.h. Counting, the two times (median and p90
 * by nearest rank), suppression and the named figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pol_stats.h"

static int in_scope(const pol_stats_row *r, const char *wijk, const char *wijkgroep, long long from, long long to)
{
	if (r->opened < from || r->opened >= to)
		return 0;
	if (wijk && strcmp(r->wijk ? r->wijk : "", wijk) != 0)
		return 0;
	return !wijkgroep || strcmp(r->wijkgroep ? r->wijkgroep : "", wijkgroep) == 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile p (1..100) of the n sorted values. */
static long long rank(const long long *v, size_t n, int p)
{
	size_t k = (n * (size_t)p + 99) / 100;

	return n ? v[k ? k - 1 : 0] : 0;
}

static void count_row(const pol_stats_row *r, pol_stats_figures *f)
{
	f->meldingen++;
	if (r->called_112 >= 0) {
		f->read_112++;
		f->called_112 += r->called_112 > 0;
	}
	f->forwarded += r->first_approval > 0;
	if ((unsigned)r->uitkomst < POL_UIT_COUNT)
		f->uitkomst[r->uitkomst]++;
	if (r->weekday >= 0 && r->weekday < 7 && r->hour >= 0 && r->hour < 24) {
		f->weekday[r->weekday]++;
		f->hour[r->hour]++;
		f->heat[r->weekday][r->hour]++;
	}
}

int pol_stats_compute(const pol_stats_row *rows, size_t n, const char *wijk, const char *wijkgroep, long long from,
		      long long to, pol_stats_figures *out)
{
	long long *appr = NULL, *afl = NULL;
	size_t i, na = 0, nf = 0;

	memset(out, 0, sizeof *out);
	if (n == 0)
		return 0;
	appr = malloc(n * sizeof *appr);
	afl = malloc(n * sizeof *afl);
	if (!appr || !afl) {
		free(appr);
		free(afl);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const pol_stats_row *r = &rows[i];

		if (!in_scope(r, wijk, wijkgroep, from, to))
			continue;
		count_row(r, out);
		if (r->first_approval >= r->opened && r->first_approval > 0)
			appr[na++] = r->first_approval - r->opened;
		/* an afloop, not an expiry: how long until someone said how it ended */
		if (r->closed >= r->opened && r->closed > 0 && r->uitkomst != POL_UIT_VERLOPEN && r->uitkomst != POL_UIT_OPEN)
			afl[nf++] = r->closed - r->opened;
	}
	qsort(appr, na, sizeof *appr, cmp_ll);
	qsort(afl, nf, sizeof *afl, cmp_ll);
	out->approval_n = (long)na;
	out->approval_median_s = rank(appr, na, 50);
	out->approval_p90_s = rank(appr, na, 90);
	out->afloop_n = (long)nf;
	out->afloop_median_s = rank(afl, nf, 50);
	out->afloop_p90_s = rank(afl, nf, 90);
	free(appr);
	free(afl);
	return 0;
}

pol_stats_uitkomst pol_stats_uitkomst_of(const char *status, const char *uitkomst)
{
	static const char *const names[] = { "politie ter plaatse", "aanhouding", "loos alarm", "onbekend" };
	size_t i;

	if (!status || strcmp(status, "open") == 0)
		return POL_UIT_OPEN;
	if (strcmp(status, "expired") == 0)
		return POL_UIT_VERLOPEN;
	for (i = 0; uitkomst && i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(uitkomst, names[i]) == 0)
			return (pol_stats_uitkomst)i;
	return POL_UIT_ONBEKEND;
}

static int small(long n)
{
	return n > 0 && n < POL_STATS_MIN_COUNT;
}

void pol_stats_count_text(long n, char *buf, size_t size)
{
	if (small(n))
		snprintf(buf, size, "<%d", POL_STATS_MIN_COUNT);
	else
		snprintf(buf, size, "%ld", n < 0 ? 0 : n);
}

void pol_stats_share_text(long part, long whole, char *buf, size_t size)
{
	if (whole < POL_STATS_MIN_COUNT || small(part) || small(whole - part) || part > whole)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%ld%%", (part * 100 + whole / 2) / whole);
}

void pol_stats_minutes_text(long samples, long long seconds, char *buf, size_t size)
{
	if (samples < POL_STATS_MIN_COUNT)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%lld", (seconds + 30) / 60);
}

/* ---- partitions: no small count worked out by subtraction ---- */

#define UNBOUNDED 1000000000L

/* Whether some hidden cell of the partition has one possible value only,
 * knowing the sum of the hidden cells (the total minus the shown ones),
 * that "<5" is 1..4 and that "x" is 5 or more. */
static int pinned(const long *cells, size_t n, const unsigned char *mark)
{
	long sum = 0, min_all = 0, max_all = 0, open_ended = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (mark[i] == POL_STATS_SHOW)
			continue;
		sum += cells[i];
		min_all += mark[i] == POL_STATS_SMALL ? 1 : POL_STATS_MIN_COUNT;
		if (mark[i] == POL_STATS_SMALL)
			max_all += POL_STATS_MIN_COUNT - 1;
		else
			open_ended++;
	}
	for (i = 0; i < n; i++) {
		int s = mark[i] == POL_STATS_SMALL;
		long lo_i = s ? 1 : POL_STATS_MIN_COUNT, hi_i = s ? POL_STATS_MIN_COUNT - 1 : UNBOUNDED;
		long min_rest = min_all - lo_i;
		long max_rest = open_ended - !s > 0 ? UNBOUNDED : max_all - (s ? hi_i : 0);
		long lo = sum - max_rest > lo_i ? sum - max_rest : lo_i, hi = sum - min_rest < hi_i ? sum - min_rest : hi_i;

		if (mark[i] != POL_STATS_SHOW && hi <= lo)
			return 1;
	}
	return 0;
}

void pol_stats_protect(const long *cells, size_t n, unsigned char *mark)
{
	size_t i, best;

	for (i = 0; i < n; i++)
		if (mark[i] == POL_STATS_SHOW && small(cells[i]))
			mark[i] = POL_STATS_SMALL;
	while (pinned(cells, n, mark)) {
		/* hide the smallest shown count (a zero stays: "x" would say 5 or more) */
		for (best = n, i = 0; i < n; i++)
			if (mark[i] == POL_STATS_SHOW && cells[i] > 0 && (best == n || cells[i] < cells[best]))
				best = i;
		if (best == n)
			return;
		mark[best] = POL_STATS_HIDE;
	}
}

void pol_stats_cell_text(long n, unsigned char mark, char *buf, size_t size)
{
	if (mark == POL_STATS_HIDE)
		snprintf(buf, size, "x");
	else
		pol_stats_count_text(n, buf, size);
}

static pol_stats_item *item(pol_stats_item *out, size_t *n, const char *name)
{
	pol_stats_item *it = &out[(*n)++];

	memset(it, 0, sizeof *it);
	snprintf(it->name, sizeof it->name, "%s", name);
	it->raw = -1;
	it->num = -1;
	return it;
}

static void count_item(pol_stats_item *out, size_t *n, const char *name, long raw, int part)
{
	pol_stats_item *it = item(out, n, name);

	it->raw = raw < 0 ? 0 : raw;
	it->part = part;
}

#define PARTS 3           /* the outcomes, the weekdays, the hours */
#define PART_MAX 24

/* A hidden total (5 or more) must not come back as the sum of its parts:
 * when every part is shown, the smallest is hidden too. */
static void keep_hidden(const long *cells, size_t n, unsigned char *mark)
{
	size_t i, best = n;

	for (i = 0; i < n; i++) {
		if (mark[i] != POL_STATS_SHOW)
			return;
		if (cells[i] > 0 && (best == n || cells[i] < cells[best]))
			best = i;
	}
	if (best == n)
		return;
	mark[best] = POL_STATS_HIDE;
	pol_stats_protect(cells, n, mark);
}

void pol_stats_items_protect(pol_stats_item *items, size_t n)
{
	long cells[PART_MAX] = { 0 };
	unsigned char mark[PART_MAX] = { 0 };
	size_t i, k, idx[PART_MAX];
	int p, total_hidden = 0;

	for (i = 0; i < n; i++)
		if (strcmp(items[i].name, "meldingen") == 0)
			total_hidden = items[i].mark == POL_STATS_HIDE;
	for (p = 1; p <= PARTS; p++) {
		for (k = 0, i = 0; i < n && k < PART_MAX; i++)
			if (items[i].part == p && items[i].raw >= 0) {
				idx[k] = i;
				cells[k] = items[i].raw;
				mark[k++] = items[i].mark;
			}
		pol_stats_protect(cells, k, mark);
		if (total_hidden)
			keep_hidden(cells, k, mark);
		for (i = 0; i < k; i++)
			items[idx[i]].mark = mark[i];
	}
	for (i = 0; i < n; i++)
		if (items[i].raw >= 0)
			pol_stats_cell_text(items[i].raw, items[i].mark, items[i].value, sizeof items[i].value);
}

size_t pol_stats_items(const pol_stats_figures *f, long members, long waiting, pol_stats_item *out)
{
	static const char *const uit[POL_UIT_COUNT] = { "politie_ter_plaatse", "aanhouding", "loos_alarm",
							"onbekend", "verlopen_zonder_afloop", "nog_open" };
	static const char *const days[7] = { "ma", "di", "wo", "do", "vr", "za", "zo" };
	pol_stats_item *it;
	char name[40];
	size_t n = 0;
	int i;

	count_item(out, &n, "meldingen", f->meldingen, 0);
	it = item(out, &n, "pct_112_gebeld");
	it->num = f->called_112;
	pol_stats_share_text(f->called_112, f->read_112, it->value, sizeof it->value);
	it = item(out, &n, "pct_doorgestuurd");
	it->num = f->forwarded;
	pol_stats_share_text(f->forwarded, f->meldingen, it->value, sizeof it->value);
	pol_stats_minutes_text(f->approval_n, f->approval_median_s, item(out, &n, "goedkeuring_mediaan_min")->value,
			       sizeof out->value);
	pol_stats_minutes_text(f->approval_n, f->approval_p90_s, item(out, &n, "goedkeuring_p90_min")->value,
			       sizeof out->value);
	pol_stats_minutes_text(f->afloop_n, f->afloop_median_s, item(out, &n, "afloop_mediaan_min")->value,
			       sizeof out->value);
	pol_stats_minutes_text(f->afloop_n, f->afloop_p90_s, item(out, &n, "afloop_p90_min")->value, sizeof out->value);
	for (i = 0; i < POL_UIT_COUNT; i++)
		count_item(out, &n, uit[i], f->uitkomst[i], 1);
	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof name, "weekdag_%s", days[i]);
		count_item(out, &n, name, f->weekday[i], 2);
	}
	for (i = 0; i < 24; i++) {
		snprintf(name, sizeof name, "uur_%02d", i);
		count_item(out, &n, name, f->hour[i], 3);
	}
	if (members >= 0)
		count_item(out, &n, "leden", members, 0);
	if (waiting >= 0)
		count_item(out, &n, "wachtlijst", waiting, 0);
	pol_stats_items_protect(out, n);
	return n;
}

/* ---- the gemeente, its wijken, their wijkgroepen ---- */

#define TREE_ROUNDS 16

static long marks_of(const pol_stats_node *nodes, size_t n)
{
	long sum = 0;
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < nodes[i].n; k++)
			sum += nodes[i].items[k].mark;
	return sum;
}

/* The mark of item it as a cell: a share's part counts as hidden when the
 * share is not shown ("-"), as if it were 1 to 4 (the tighter bound, so
 * the check errs on the safe side). */
static unsigned char cell_mark(const pol_stats_item *it)
{
	if (it->num >= 0)
		return it->mark == POL_STATS_HIDE ? POL_STATS_HIDE : strcmp(it->value, "-") == 0 ? POL_STATS_SMALL
												 : POL_STATS_SHOW;
	return it->mark;
}

/* The children of node p for item k (a count, or a share's part) as one
 * partition. */
static void protect_children(pol_stats_node *nodes, size_t n, size_t p, size_t k, long *cells, unsigned char *mark,
			     size_t *idx)
{
	const pol_stats_item *total = &nodes[p].items[k];
	int share = total->num >= 0;
	size_t c, m = 0;

	for (c = 0; c < n; c++)
		if (nodes[c].parent == (int)p && k < nodes[c].n && strcmp(nodes[c].items[k].name, total->name) == 0) {
			idx[m] = c;
			cells[m] = share ? nodes[c].items[k].num : nodes[c].items[k].raw;
			mark[m++] = cell_mark(&nodes[c].items[k]);
		}
	if (m == 0)
		return;
	pol_stats_protect(cells, m, mark);
	if (cell_mark(total) != POL_STATS_SHOW)
		keep_hidden(cells, m, mark);
	for (c = 0; c < m; c++) {
		pol_stats_item *it = &nodes[idx[c]].items[k];

		if (!share)
			it->mark = mark[c];
		else if (mark[c] == POL_STATS_HIDE) {
			it->mark = POL_STATS_HIDE;
			snprintf(it->value, sizeof it->value, "-");
		}
	}
}

/* Without memory, nothing below the gemeente is shown. */
static void hide_below_root(pol_stats_node *nodes, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; nodes[i].parent >= 0 && k < nodes[i].n; k++)
			if (nodes[i].items[k].raw > 0 && nodes[i].items[k].mark == POL_STATS_SHOW) {
				nodes[i].items[k].mark = POL_STATS_HIDE;
				snprintf(nodes[i].items[k].value, sizeof nodes[i].items[k].value, "x");
			}
}

/* One round over every partition of the tree. */
static void tree_round(pol_stats_node *nodes, size_t n, const unsigned char *parents, long *cells,
		       unsigned char *mark, size_t *idx)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; parents[i] && k < nodes[i].n; k++)
			if (nodes[i].items[k].raw >= 0 || nodes[i].items[k].num >= 0)
				protect_children(nodes, n, i, k, cells, mark, idx);
	for (i = 0; i < n; i++)
		pol_stats_items_protect(nodes[i].items, nodes[i].n);
}

void pol_stats_protect_tree(pol_stats_node *nodes, size_t n)
{
	long *cells = malloc((n ? n : 1) * sizeof *cells), before;
	unsigned char *mark = malloc(n ? n : 1), *parents = calloc(n ? n : 1, 1);
	size_t *idx = malloc((n ? n : 1) * sizeof *idx), i;
	int round;

	if (!cells || !mark || !idx || !parents) {
		hide_below_root(nodes, n);
		n = 0;
	}
	/* parents[i]: whether row i has rows under it (only those are partitioned) */
	for (i = 0; i < n; i++)
		if (nodes[i].parent >= 0 && (size_t)nodes[i].parent < n)
			parents[nodes[i].parent] = 1;
	for (round = 0; n && round < TREE_ROUNDS; round++) {
		before = marks_of(nodes, n);
		tree_round(nodes, n, parents, cells, mark, idx);
		if (marks_of(nodes, n) == before)
			break;
	}
	free(cells);
	free(mark);
	free(idx);
	free(parents);
}

/* ---- periods ---- */

/* n digits of s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int pol_stats_date_parse(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	/* a day past the month's end would carry over into the next (mktime) */
	if (*y < 1970 || *y >= 3000 || *m < 1 || *m > 12)
		return -1;
	return *d >= 1 && *d <= days_in_month(*y, *m) ? 0 : -1;
}

static int parse_range(const char *w, pol_stats_period *out)
{
	char a[11], b[11];
	const char *dots = strstr(w, "..");

	if (!dots || dots - w != 10 || strlen(dots + 2) != 10)
		return -1;
	memcpy(a, w, 10);
	a[10] = '\0';
	memcpy(b, dots + 2, 10);
	b[10] = '\0';
	out->kind = POL_PERIOD_RANGE;
	if (pol_stats_date_parse(a, &out->y, &out->m, &out->d) != 0 ||
	    pol_stats_date_parse(b, &out->y2, &out->m2, &out->d2) != 0)
		return -1;
	return (out->y * 10000 + out->m * 100 + out->d) <= (out->y2 * 10000 + out->m2 * 100 + out->d2) ? 0 : -1;
}

int pol_stats_period_parse(const char *w, pol_stats_period *out)
{
	size_t len = w ? strlen(w) : 0;

	memset(out, 0, sizeof *out);
	if (len == 0)
		return -1;
	if (strcasecmp(w, "deze-maand") == 0 || strcasecmp(w, "this-month") == 0) {
		out->kind = POL_PERIOD_MONTH;
		return 0;
	}
	if (strcasecmp(w, "vorige-maand") == 0 || strcasecmp(w, "last-month") == 0) {
		out->kind = POL_PERIOD_MONTH;
		out->rel = -1;
		return 0;
	}
	if (len >= 2 && len <= 4 && (w[len - 1] == 'd' || w[len - 1] == 'D')) {
		out->kind = POL_PERIOD_DAYS;
		out->days = digits(w, (int)len - 1);
		return out->days >= 1 && out->days <= 3660 ? 0 : -1;
	}
	if (len == 4) {
		out->kind = POL_PERIOD_YEAR;
		out->y = digits(w, 4);
		return out->y >= 1970 && out->y < 3000 ? 0 : -1;
	}
	if (len == 7 && w[4] == '-') {
		out->kind = POL_PERIOD_MONTH;
		out->y = digits(w, 4);
		out->m = digits(w + 5, 2);
		return out->y >= 1970 && out->y < 3000 && out->m >= 1 && out->m <= 12 ? 0 : -1;
	}
	return parse_range(w, out);
}

/* ---- the report text ---- */

static void add_line(char *buf, size_t size, const char *text)
{
	size_t len = strlen(buf);

	if (len + 1 >= size)
		return;
	buf[len++] = '\n';
	buf[len] = '\0';
	snprintf(buf + len, size - len, "%s", text);
}

/* The value of the item called name, or "-". */
static const char *val(const pol_stats_item *items, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(items[i].name, name) == 0)
			return items[i].value;
	return "-";
}

static int has(const pol_stats_item *items, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(items[i].name, name) == 0)
			return 1;
	return 0;
}

void pol_stats_report_items(pol_lang lang, const char *title, const pol_stats_item *it, size_t n, char *buf,
			    size_t size)
{
	int en = lang == POL_LANG_EN;
	char x[200];

	snprintf(buf, size, "%s", title);
	snprintf(x, sizeof x, "Meldingen: %s", val(it, n, "meldingen"));
	add_line(buf, size, x);
	if (strcmp(val(it, n, "meldingen"), "0") != 0) {
		snprintf(x, sizeof x, en ? "112 called (as the melding says): %s; approved and forwarded: %s"
					 : "112 gebeld (volgens de melding): %s; goedgekeurd en doorgestuurd: %s",
			 val(it, n, "pct_112_gebeld"), val(it, n, "pct_doorgestuurd"));
		add_line(buf, size, x);
		snprintf(x, sizeof x, en ? "Minutes to first approval: median %s, p90 %s; to afloop: median %s, p90 %s"
					 : "Minuten tot eerste goedkeuring: mediaan %s, p90 %s; tot afloop: mediaan %s, p90 %s",
			 val(it, n, "goedkeuring_mediaan_min"), val(it, n, "goedkeuring_p90_min"),
			 val(it, n, "afloop_mediaan_min"), val(it, n, "afloop_p90_min"));
		add_line(buf, size, x);
		snprintf(x, sizeof x, en ? "Outcomes: police on the spot %s, arrest %s, false alarm %s, unknown %s"
					 : "Afloop: politie ter plaatse %s, aanhouding %s, loos alarm %s, onbekend %s",
			 val(it, n, "politie_ter_plaatse"), val(it, n, "aanhouding"), val(it, n, "loos_alarm"),
			 val(it, n, "onbekend"));
		add_line(buf, size, x);
		snprintf(x, sizeof x, en ? "Closed without afloop: %s; still open: %s" : "Verlopen zonder afloop: %s; nog open: %s",
			 val(it, n, "verlopen_zonder_afloop"), val(it, n, "nog_open"));
		add_line(buf, size, x);
	}
	if (has(it, n, "leden")) {
		snprintf(x, sizeof x, en ? "Members: %s; waiting list: %s" : "Leden: %s; wachtlijst: %s", val(it, n, "leden"),
			 has(it, n, "wachtlijst") ? val(it, n, "wachtlijst") : "0");
		add_line(buf, size, x);
	}
	add_line(buf, size, en ? "(\"<5\": fewer than 5, not shown so that nobody can be singled out; "
				 "\"-\": too few to say; \"x\": hidden, or a small number could be worked out.)"
			       : "(\"<5\": minder dan 5, niet getoond zodat niemand herkenbaar is; "
				 "\"-\": te weinig om iets te zeggen; \"x\": verborgen, anders valt een klein aantal terug "
				 "te rekenen.)");
}

void pol_stats_report_text(pol_lang lang, const char *title, const pol_stats_figures *f, long members, long waiting,
			   char *buf, size_t size)
{
	pol_stats_item items[POL_STATS_ITEMS_MAX];
	size_t n = pol_stats_items(f, members, members >= 0 && waiting < 0 ? 0 : waiting, items);

	pol_stats_report_items(lang, title, items, n, buf, size);
}
