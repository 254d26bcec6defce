/* pol_stats_text.c: see pol_stats_text.h. */
#include <stdio.h>
#include "pol_buf.h"
#include "pol_stats_text.h"

static void day_text(const pol_stats_day *d, char *buf, size_t size)
{
	if (d->y <= 0)
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%02d-%02d-%04d", d->d, d->m, d->y);
}

void pol_stats_report_write(pol_lang lang, const pol_stats_report *r, char *buf, size_t size)
{
	char title[600], head[700], a[24], b[24], line[600];
	pol_buf out;
	size_t i;

	day_text(&r->first, a, sizeof a);
	day_text(&r->last, b, sizeof b);
	pol_textf(title, sizeof title, lang, POL_TXT_STATS_TITLE, r->scope_name ? r->scope_name : "", a, b);
	if (r->monthly)
		pol_textf(head, sizeof head, lang, POL_TXT_STATS_MONTHLY, title);
	pol_stats_report_items(lang, r->monthly ? head : title, r->items, r->n_items, buf, size);
	pol_buf_init_at_end(&out, buf, size);
	for (i = 0; r->parts && i < r->n_parts; i++) {
		const pol_stats_part_line *p = &r->parts[i];

		if (p->retired)
			continue;
		if (p->leden)
			pol_textf(line, sizeof line, lang, POL_TXT_STATS_PART_WIJKGROEP, p->name, p->meldingen, p->leden,
				  p->wachtlijst ? p->wachtlijst : "-");
		else
			pol_textf(line, sizeof line, lang, POL_TXT_STATS_PART_WIJK, p->name, p->meldingen);
		pol_buf_printf(&out, "\n%s", line);
	}
}

void pol_chart_title(pol_lang lang, const char *scope_name, char *buf, size_t size)
{
	pol_textf(buf, size, lang, POL_TXT_CHART_TITLE, scope_name ? scope_name : "");
}

const char *pol_chart_month(pol_lang lang, int m)
{
	static const char *const nl[12] = { "jan", "feb", "mrt", "apr", "mei", "jun",
					    "jul", "aug", "sep", "okt", "nov", "dec" };
	static const char *const en[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

	if (m < 1 || m > 12)
		return "?";
	return lang == POL_LANG_EN ? en[m - 1] : nl[m - 1];
}

const char *pol_chart_weekday(pol_lang lang, int wd)
{
	static const char *const nl[7] = { "ma", "di", "wo", "do", "vr", "za", "zo" };
	static const char *const en[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

	if (wd < 0 || wd > 6)
		return "?";
	return lang == POL_LANG_EN ? en[wd] : nl[wd];
}
