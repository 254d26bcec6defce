/* chart.c: see chart.h. Fixed layout: a title, the bars over the months,
 * a legend, the heatmap with its scale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include "chart.h"
#include "policy/pol_stats.h"
#include "policy/pol_stats_text.h"

#define W 960
#define H 720
#define PNG_MAX (8u << 20)

typedef struct png_buf {
	unsigned char *data;
	size_t len, cap;
} png_buf;

static cairo_status_t write_png(void *closure, const unsigned char *data, unsigned int length)
{
	png_buf *b = closure;

	if (b->len + length > PNG_MAX)
		return CAIRO_STATUS_WRITE_ERROR;
	if (b->len + length > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		unsigned char *m;

		while (cap < b->len + length)
			cap *= 2;
		m = realloc(b->data, cap);
		if (!m)
			return CAIRO_STATUS_NO_MEMORY;
		b->data = m;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, length);
	b->len += length;
	return CAIRO_STATUS_SUCCESS;
}

/* Colours of the series, distinguishable and calm. */
static const double palette[BOT_CHART_SERIES][3] = {
	{ 0.12, 0.47, 0.71 }, { 1.00, 0.50, 0.05 }, { 0.17, 0.63, 0.17 }, { 0.84, 0.15, 0.16 },
	{ 0.58, 0.40, 0.74 }, { 0.55, 0.34, 0.29 }, { 0.89, 0.47, 0.76 }, { 0.50, 0.50, 0.50 },
};

static void text_at(cairo_t *cr, double x, double y, double size, const char *s)
{
	cairo_set_font_size(cr, size);
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
}

static int small(long n)
{
	return n > 0 && n < POL_STATS_MIN_COUNT;
}

static void bars(cairo_t *cr, const bot_chart *c)
{
	double x0 = 60, y0 = 60, w = W - 100, h = 260, gw, bw;
	long max = POL_STATS_MIN_COUNT;
	size_t m, s;
	char label[32];

	for (m = 0; m < c->n_months; m++)
		for (s = 0; s < c->n_series; s++)
			if (!c->hidden[s][m] && c->counts[s][m] > max)
				max = c->counts[s][m];
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x0, y0 + h);
	cairo_line_to(cr, x0 + w, y0 + h);
	cairo_stroke(cr);
	snprintf(label, sizeof label, "%ld", max);
	text_at(cr, 10, y0 + 10, 12, label);
	text_at(cr, 30, y0 + h, 12, "0");
	if (c->n_months == 0 || c->n_series == 0)
		return;
	gw = w / (double)c->n_months;
	bw = (gw - 8) / (double)c->n_series;
	for (m = 0; m < c->n_months; m++) {
		int mm = c->months[m] % 100;

		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		snprintf(label, sizeof label, "%s %02d", pol_chart_month(c->lang, mm), c->months[m] / 100 % 100);
		text_at(cr, x0 + gw * (double)m + 4, y0 + h + 16, 11, label);
		for (s = 0; s < c->n_series; s++) {
			long v = c->counts[s][m];
			/* 1..4 drawn alike: as high as 4, lighter, marked "<5" */
			double val = small(v) ? POL_STATS_MIN_COUNT - 1 : (double)v, bh = h * val / (double)max;
			double bx = x0 + gw * (double)m + 4 + bw * (double)s;

			if (c->hidden[s][m]) {
				cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
				text_at(cr, bx, y0 + h - 2, 9, "x");
				continue;
			}
			if (v <= 0)
				continue;
			cairo_set_source_rgba(cr, palette[s][0], palette[s][1], palette[s][2], small(v) ? 0.35 : 1.0);
			cairo_rectangle(cr, bx, y0 + h - bh, bw - 1, bh);
			cairo_fill(cr);
			if (small(v)) {
				cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
				text_at(cr, bx, y0 + h - bh - 2, 9, "<5");
			}
		}
	}
	for (s = 0; s < c->n_series; s++) {
		double lx = x0 + 10 + (double)(s % 4) * 220, ly = y0 + h + 34 + (double)(s / 4) * 18;

		cairo_set_source_rgb(cr, palette[s][0], palette[s][1], palette[s][2]);
		cairo_rectangle(cr, lx, ly - 10, 12, 12);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		text_at(cr, lx + 18, ly, 12, c->series[s] ? c->series[s] : "");
	}
}

static void heatmap(cairo_t *cr, const bot_chart *c)
{
	double x0 = 60, y0 = 450, cw = (W - 100) / 24.0, ch = 28;
	int d, hr;
	char label[16];

	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	text_at(cr, x0, y0 - 14, 14, pol_text(c->lang, POL_TXT_CHART_HEAT_TITLE));
	for (d = 0; d < 7; d++) {
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		text_at(cr, 20, y0 + ch * d + 19, 12, pol_chart_weekday(c->lang, d));
		for (hr = 0; hr < 24; hr++) {
			long v = c->heat[d][hr];
			/* four shades, no exact counts: a cell read off a shade and
			 * subtracted from a day's total would give a "<5" back */
			double t = v <= 0 ? 0 : small(v) ? 0.15 : v < 10 ? 0.4 : v < 20 ? 0.65 : 0.9;

			cairo_set_source_rgb(cr, 1 - 0.85 * t, 1 - 0.55 * t, 1 - 0.2 * t);
			cairo_rectangle(cr, x0 + cw * hr, y0 + ch * d, cw - 1, ch - 1);
			cairo_fill(cr);
		}
	}
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	for (hr = 0; hr < 24; hr += 2) {
		snprintf(label, sizeof label, "%02d", hr);
		text_at(cr, x0 + cw * hr + 4, y0 + ch * 7 + 14, 11, label);
	}
	text_at(cr, x0, y0 + ch * 7 + 34, 11, pol_text(c->lang, POL_TXT_CHART_SHADES));
}

int bot_chart_png(const bot_chart *c, unsigned char **out, size_t *len, int *width, int *height)
{
	cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
	cairo_t *cr = cairo_create(sf);
	png_buf b = { NULL, 0, 0 };
	int ok;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	text_at(cr, 20, 32, 18, c->title ? c->title : "");
	bars(cr, c);
	heatmap(cr, c);
	ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS &&
	     cairo_surface_write_to_png_stream(sf, write_png, &b) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	if (!ok) {
		free(b.data);
		return -1;
	}
	*out = b.data;
	*len = b.len;
	*width = W;
	*height = H;
	return 0;
}
