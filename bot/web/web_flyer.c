/* web_flyer.c: see web_flyer.h. Drawn in points on a page of the paper's
 * size; the PNG is the A5 page scaled to its pixels. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <qrencode.h>
#include "web_flyer.h"
#include "web_text.h"

#define MM (72.0 / 25.4)
#define FLYER_MAX (8 * 1024 * 1024)

typedef struct sink {
	unsigned char *data;
	size_t len, cap;
	int failed;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int n)
{
	sink *s = closure;

	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		unsigned char *d;

		while (cap < s->len + n)
			cap *= 2;
		if (cap > FLYER_MAX || !(d = realloc(s->data, cap))) {
			s->failed = 1;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		s->data = d;
		s->cap = cap;
	}
	memcpy(s->data + s->len, data, n);
	s->len += n;
	return CAIRO_STATUS_SUCCESS;
}

void web_flyer_url(const web_site *site, const pol_wijk *w, char *out, size_t size)
{
	snprintf(out, size, "%s/wijk/%s", site->base_url, w->id);
}

/* Words of text wrapped to width from y down; returns the y after them. */
static double wrap(cairo_t *cr, const char *text, double x, double y, double width, double size)
{
	char line[1024] = "", word[256];
	const char *p = text;
	cairo_text_extents_t ext;

	cairo_set_font_size(cr, size);
	while (*p) {
		size_t n = strcspn(p, " "), len = strlen(line);
		char trial[1300];

		snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1), p);
		snprintf(trial, sizeof trial, "%s%s%s", line, len ? " " : "", word);
		cairo_text_extents(cr, trial, &ext);
		if (ext.width > width && len) {
			cairo_move_to(cr, x, y);
			cairo_show_text(cr, line);
			y += size * 1.35;
			snprintf(line, sizeof line, "%s", word);
		} else {
			snprintf(line, sizeof line, "%.1023s", trial);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	if (line[0]) {
		cairo_move_to(cr, x, y);
		cairo_show_text(cr, line);
		y += size * 1.35;
	}
	return y;
}

/* The QR code of url, side points wide, top left at x, y. */
static int draw_qr(cairo_t *cr, const char *url, double x, double y, double side)
{
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	double cell;
	int i, j, quiet = 4;

	if (!qr)
		return -1;
	cell = side / (qr->width + 2 * quiet);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, side, side);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (i = 0; i < qr->width; i++)
		for (j = 0; j < qr->width; j++)
			if (qr->data[i * qr->width + j] & 1)
				cairo_rectangle(cr, x + (j + quiet) * cell, y + (i + quiet) * cell, cell, cell);
	cairo_fill(cr);
	QRcode_free(qr);
	return 0;
}

/* The page, w by h points. */
static int draw(cairo_t *cr, const web_site *site, const pol_wijk *wk, pol_lang lang, double w, double h)
{
	char url[1024], title[512];
	double m = w * 0.08, y, qr = w * 0.5;
	cairo_text_extents_t ext;

	web_flyer_url(site, wk, url, sizeof url);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.043, 0.325, 0.58);
	cairo_rectangle(cr, 0, 0, w, h * 0.2);
	cairo_fill(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_source_rgb(cr, 1, 1, 1);
	snprintf(title, sizeof title, "%s", lang == POL_LANG_EN ? "Neighbourhood watch" : "Buurtpreventie");
	cairo_set_font_size(cr, w * 0.075);
	cairo_move_to(cr, m, h * 0.09);
	cairo_show_text(cr, title);
	(void)wrap(cr, wk->naam, m, h * 0.16, w - 2 * m, w * 0.06);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	y = wrap(cr, web_text(lang, W_FLYER_WHAT), m, h * 0.26, w - 2 * m, w * 0.034);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_source_rgb(cr, 0.7, 0.15, 0.12);
	y = wrap(cr, web_text(lang, W_112_FIRST), m, y + w * 0.02, w - 2 * m, w * 0.034);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	y = wrap(cr, web_text(lang, W_FLYER_SIGNUP), m, y + w * 0.03, w - 2 * m, w * 0.045);
	if (draw_qr(cr, url, (w - qr) / 2, y, qr) != 0)
		return -1;
	y += qr + w * 0.06;
	cairo_select_font_face(cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, w * 0.036);
	cairo_text_extents(cr, url, &ext);
	if (ext.width > w - 2 * m)
		cairo_set_font_size(cr, w * 0.036 * (w - 2 * m) / ext.width);
	cairo_text_extents(cr, url, &ext);
	cairo_move_to(cr, (w - ext.width) / 2, y);
	cairo_show_text(cr, url);
	return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

int web_flyer_render(const web_site *site, const pol_wijk *w, pol_lang lang, web_flyer_kind kind,
		     unsigned char **out, size_t *len)
{
	sink s = { NULL, 0, 0, 0 };
	cairo_surface_t *sf;
	cairo_t *cr;
	double pw = kind == WEB_FLYER_A4 ? 210 * MM : 148 * MM, ph = kind == WEB_FLYER_A4 ? 297 * MM : 210 * MM;
	int rc;

	*out = NULL;
	*len = 0;
	if (kind == WEB_FLYER_PNG)
		sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, WEB_FLYER_PNG_W, WEB_FLYER_PNG_H);
	else
		sf = cairo_pdf_surface_create_for_stream(sink_write, &s, pw, ph);
	cr = cairo_create(sf);
	if (kind == WEB_FLYER_PNG)
		cairo_scale(cr, WEB_FLYER_PNG_W / pw, WEB_FLYER_PNG_H / ph);
	rc = draw(cr, site, w, lang, pw, ph);
	cairo_destroy(cr);
	if (kind == WEB_FLYER_PNG && rc == 0 && cairo_surface_write_to_png_stream(sf, sink_write, &s) != 0)
		rc = -1;
	cairo_surface_finish(sf);
	if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS || s.failed)
		rc = -1;
	cairo_surface_destroy(sf);
	if (rc != 0) {
		free(s.data);
		return -1;
	}
	*out = s.data;
	*len = s.len;
	return 0;
}

int web_flyer_files(const web_site *site, const pol_wijk *w, pol_lang lang, const char *dir)
{
	static const char *const suffix[] = { "-a5.pdf", "-a4.pdf", ".png" };
	int k;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "buurtbot-web: cannot make %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (k = WEB_FLYER_A5; k <= WEB_FLYER_PNG; k++) {
		char path[4096];
		unsigned char *data = NULL;
		size_t len = 0;
		FILE *f;
		int ok;

		snprintf(path, sizeof path, "%s/flyer-%s%s", dir, w->id, suffix[k]);
		if (web_flyer_render(site, w, lang, (web_flyer_kind)k, &data, &len) != 0) {
			fprintf(stderr, "buurtbot-web: could not draw %s\n", path);
			return -1;
		}
		f = fopen(path, "wb");
		ok = f && fwrite(data, 1, len, f) == len;
		if (f && fclose(f) != 0)
			ok = 0;
		free(data);
		if (!ok) {
			fprintf(stderr, "buurtbot-web: cannot write %s\n", path);
			return -1;
		}
		printf("%s\n", path);
	}
	return 0;
}

void web_flyer_cleanup(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
