/* web_pages.c: see web_pages.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "web_pages.h"
#include "web_text.h"
#include "policy/pol_aanmelding.h"

const char web_stylesheet[] =
	"*{box-sizing:border-box}"
	"body{margin:0;font:17px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;"
	"background:#f4f6f8}"
	"main{max-width:40rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh}"
	"h1{font-size:1.6rem;margin:.5rem 0 1rem;color:#0b3d6b}h2{font-size:1.25rem;margin-top:2rem;color:#0b3d6b}"
	"a{color:#0b5394}.lang{float:right;font-size:.9rem}"
	".rules{white-space:pre-line;background:#f7f7f2;border-left:4px solid #c9a227;padding:.5rem 1rem}"
	".alert{background:#fdecea;border-left:4px solid #b3261e;padding:.5rem 1rem;font-weight:600}"
	".ok{background:#e7f4ea;border-left:4px solid #1e7b34;padding:.5rem 1rem}"
	"label{display:block;font-weight:600;margin-top:1rem}"
	"input[type=text],input[type=tel],select{width:100%;font-size:1rem;padding:.6rem;border:1px solid #767676;"
	"border-radius:4px}"
	".check{display:flex;gap:.6rem;align-items:flex-start;font-weight:400}"
	".check input{width:1.4rem;height:1.4rem;margin-top:.2rem;flex:none}"
	".hint{font-size:.9rem;color:#444;margin:.2rem 0}"
	".error{color:#b3261e;font-weight:600;margin:.3rem 0}"
	"button{margin-top:1.5rem;font-size:1.1rem;padding:.8rem 1.2rem;background:#0b5394;color:#fff;border:0;"
	"border-radius:6px;width:100%}"
	"button.secondary{background:#fff;color:#b3261e;border:2px solid #b3261e}"
	"code.big{display:block;font-size:1.4rem;letter-spacing:.1rem;background:#eef;padding:.5rem;"
	"word-break:break-all}"
	"footer{margin-top:3rem;font-size:.9rem;color:#444}";

/* ---- the buffer ---- */

static void grow_add(web_buf *b, const char *text, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 8192;
		char *d;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap > WEB_PAGE_MAX || !(d = realloc(b->data, cap))) {
			b->failed = 1;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, text, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void web_buf_add(web_buf *b, const char *text)
{
	grow_add(b, text, strlen(text));
}

void web_buf_esc(web_buf *b, const char *text)
{
	const char *p;

	for (p = text ? text : ""; *p; p++) {
		switch (*p) {
		case '&': grow_add(b, "&amp;", 5); break;
		case '<': grow_add(b, "&lt;", 4); break;
		case '>': grow_add(b, "&gt;", 4); break;
		case '"': grow_add(b, "&quot;", 6); break;
		case '\'': grow_add(b, "&#39;", 5); break;
		default: grow_add(b, p, 1); break;
		}
	}
}

void web_buf_fmt(web_buf *b, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		b->failed = 1;
	else
		grow_add(b, tmp, (size_t)n);
}

void web_buf_free(web_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

/* A text of ours with one %s filled by an outside value, escaped whole. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void esc_with(web_buf *b, pol_lang lang, web_text_id id, const char *arg)
{
	char tmp[4096];

	snprintf(tmp, sizeof tmp, web_text(lang, id), arg);
	web_buf_esc(b, tmp);
}

static void fmt_text(char *buf, size_t size, pol_lang lang, web_text_id id, const char *arg)
{
	snprintf(buf, size, web_text(lang, id), arg);
}
#pragma GCC diagnostic pop

static void t(web_buf *b, pol_lang lang, web_text_id id)
{
	web_buf_esc(b, web_text(lang, id));
}

static const char *lang_code(pol_lang lang)
{
	return lang == POL_LANG_EN ? "en" : "nl";
}

/* path: our own, without query. */
static void head(web_buf *b, pol_lang lang, const char *title, const char *path)
{
	web_buf_fmt(b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<link rel=\"stylesheet\" href=\"/style.css\"><title>", lang_code(lang));
	web_buf_esc(b, title);
	web_buf_add(b, "</title></head><body><main>");
	if (path) {
		web_buf_add(b, "<a class=\"lang\" href=\"");
		web_buf_esc(b, path);
		web_buf_fmt(b, "?lang=%s\">", lang == POL_LANG_EN ? "nl" : "en");
		t(b, lang, W_OTHER_LANG);
		web_buf_add(b, "</a>");
	}
}

static void foot(web_buf *b, const web_site *site, pol_lang lang)
{
	web_buf_fmt(b, "<footer><a href=\"/?lang=%s\">", lang_code(lang));
	esc_with(b, lang, W_TITLE_GEMEENTE, pol_structure_gemeente(site->structure));
	web_buf_add(b, "</a></footer></main></body></html>\n");
}

/* ---- gemeente ---- */

void web_page_gemeente(web_buf *b, const web_site *site, pol_lang lang)
{
	char title[512];
	size_t i;

	snprintf(title, sizeof title, "%s", pol_structure_gemeente(site->structure));
	head(b, lang, title, "/");
	web_buf_add(b, "<h1>");
	esc_with(b, lang, W_TITLE_GEMEENTE, title);
	web_buf_add(b, "</h1><p>");
	t(b, lang, W_GEMEENTE_INTRO);
	web_buf_add(b, "</p><p class=\"alert\">");
	t(b, lang, W_112_FIRST);
	web_buf_add(b, "</p><h2>");
	t(b, lang, W_GEMEENTE_PICK);
	web_buf_add(b, "</h2><ul>");
	for (i = 0; i < pol_structure_n_wijken(site->structure); i++) {
		const pol_wijk *w = pol_structure_wijk(site->structure, i);

		web_buf_add(b, "<li><a href=\"/wijk/");
		web_buf_esc(b, w->id);
		web_buf_fmt(b, "?lang=%s\">", lang_code(lang));
		web_buf_esc(b, w->naam);
		web_buf_add(b, "</a></li>");
	}
	web_buf_add(b, "</ul>");
	foot(b, site, lang);
}

/* ---- wijk ---- */

static void how_it_works(web_buf *b, const pol_wijk *w, pol_lang lang)
{
	web_buf_add(b, "<p class=\"ok\">");
	esc_with(b, lang, W_WIJK_ACTIVE, w->naam);
	web_buf_add(b, "</p><p class=\"alert\">");
	t(b, lang, W_112_FIRST);
	web_buf_add(b, "</p><h2>");
	t(b, lang, W_HOW_TITLE);
	web_buf_add(b, "</h2><p>");
	t(b, lang, W_HOW_TEXT);
	web_buf_add(b, "</p><ol><li>");
	t(b, lang, W_SAAR_S);
	web_buf_add(b, "</li><li>");
	t(b, lang, W_SAAR_A);
	web_buf_add(b, "</li><li>");
	t(b, lang, W_SAAR_A2);
	web_buf_add(b, "</li><li>");
	t(b, lang, W_SAAR_R);
	web_buf_add(b, "</li></ol><h2>");
	t(b, lang, W_SPELREGELS_TITLE);
	web_buf_add(b, "</h2><div class=\"rules\">");
	web_buf_esc(b, pol_spelregels_of(w, lang));
	web_buf_add(b, "</div>");
}

/* One problem under a field, or nothing. */
static void field_error(web_buf *b, const pol_web_errors *err, pol_web_field f, const char *id)
{
	if (!err || !err->msg[f][0])
		return;
	web_buf_fmt(b, "<p class=\"error\" id=\"e-%s\">", id);
	web_buf_esc(b, err->msg[f]);
	web_buf_add(b, "</p>");
}

static const char *invalid(const pol_web_errors *err, pol_web_field f, const char *id, char *buf, size_t size)
{
	if (!err || !err->msg[f][0])
		return "";
	snprintf(buf, size, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", id);
	return buf;
}

static void text_input(web_buf *b, pol_lang lang, web_text_id label, const char *type, const char *name,
		       const char *value, int max, const char *autocomplete, const pol_web_errors *err,
		       pol_web_field f, web_text_id hint)
{
	char inv[128];

	web_buf_fmt(b, "<label for=\"%s\">", name);
	t(b, lang, label);
	web_buf_add(b, "</label>");
	if (hint != W_COUNT) {
		web_buf_fmt(b, "<p class=\"hint\">");
		t(b, lang, hint);
		web_buf_add(b, "</p>");
	}
	field_error(b, err, f, name);
	web_buf_fmt(b, "<input type=\"%s\" id=\"%s\" name=\"%s\" maxlength=\"%d\" autocomplete=\"%s\"%s value=\"",
		    type, name, name, max, autocomplete, invalid(err, f, name, inv, sizeof inv));
	web_buf_esc(b, value);
	web_buf_add(b, "\">");
}

static void buurt_select(web_buf *b, const pol_wijk *w, pol_lang lang, const char *chosen)
{
	size_t g, k;

	web_buf_add(b, "<label for=\"buurt\">");
	t(b, lang, W_F_BUURT);
	web_buf_add(b, "</label><select id=\"buurt\" name=\"buurt\"><option value=\"\">");
	t(b, lang, W_F_BUURT_NONE);
	web_buf_add(b, "</option>");
	for (g = 0; g < w->n_wijkgroepen; g++) {
		const pol_wijkgroep *wg = &w->wijkgroepen[g];

		for (k = 0; pol_wijkgroep_active(wg) && k < wg->n_buurten; k++) {
			const char *label = wg->buurten[k].label;

			web_buf_add(b, "<option value=\"");
			web_buf_esc(b, label);
			web_buf_fmt(b, "\"%s>", chosen && strcmp(chosen, label) == 0 ? " selected" : "");
			web_buf_esc(b, label);
			web_buf_add(b, "</option>");
		}
	}
	web_buf_add(b, "</select>");
}

static void checkbox(web_buf *b, const char *name, int checked, const char *label_text, const pol_web_errors *err,
		     pol_web_field f)
{
	char inv[128];

	field_error(b, err, f, name);
	web_buf_fmt(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"ja\"%s%s> <span>", name,
		    checked ? " checked" : "", invalid(err, f, name, inv, sizeof inv));
	web_buf_esc(b, label_text);
	web_buf_add(b, "</span></label>");
}

void web_page_wijk(web_buf *b, const web_site *site, const pol_wijk *w, pol_lang lang, const web_form_values *form,
		   const pol_web_errors *err, const char *csrf)
{
	static const web_form_values empty;
	char title[512], path[128], adult[600];

	if (!form)
		form = &empty;
	snprintf(path, sizeof path, "/wijk/%s", w->id);
	snprintf(title, sizeof title, "%s", w->naam);
	head(b, lang, title, path);
	web_buf_add(b, "<h1>");
	esc_with(b, lang, W_WIJK_TITLE, w->naam);
	web_buf_add(b, "</h1>");
	how_it_works(b, w, lang);
	web_buf_add(b, "<h2 id=\"aanmelden\">");
	t(b, lang, W_FORM_TITLE);
	web_buf_add(b, "</h2>");
	if (err && err->n) {
		web_buf_add(b, "<p class=\"alert\" role=\"alert\">");
		t(b, lang, W_FORM_ERRORS);
		web_buf_add(b, "</p>");
	}
	web_buf_add(b, "<p>");
	t(b, lang, W_FORM_INTRO);
	web_buf_add(b, "</p><form method=\"post\" action=\"");
	web_buf_esc(b, path);
	web_buf_fmt(b, "\" accept-charset=\"utf-8\"><input type=\"hidden\" name=\"lang\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"token\" value=\"", lang_code(lang));
	web_buf_esc(b, csrf);
	web_buf_add(b, "\">");
	text_input(b, lang, W_F_NAME, "text", "naam", form->name, POL_INTAKE_NAME_MAX, "name", err, POL_WEB_F_NAME,
		   W_COUNT);
	text_input(b, lang, W_F_ADDRESS, "text", "adres", form->address, POL_INTAKE_ADDRESS_MAX, "postal-code", err,
		   POL_WEB_F_ADDRESS, W_F_ADDRESS_HINT);
	buurt_select(b, w, lang, form->buurt);
	text_input(b, lang, W_F_PHONE, "tel", "telefoon", form->phone, 20, "tel", err, POL_WEB_F_PHONE,
		   W_F_PHONE_HINT);
	fmt_text(adult, sizeof adult, lang, W_F_ADULT, w->naam);
	checkbox(b, "volwassen", form->adult, adult, err, POL_WEB_F_ADULT);
	checkbox(b, "akkoord", form->akkoord, web_text(lang, W_F_AKKOORD), err, POL_WEB_F_AKKOORD);
	web_buf_add(b, "<button type=\"submit\">");
	t(b, lang, W_F_SUBMIT);
	web_buf_add(b, "</button></form><h2>");
	t(b, lang, W_PRIVACY_TITLE);
	web_buf_add(b, "</h2><p>");
	t(b, lang, W_PRIVACY_TEXT);
	web_buf_add(b, "</p><p><a href=\"");
	web_buf_esc(b, path);
	web_buf_add(b, "/flyer.pdf\">");
	t(b, lang, W_FLYER_LINK);
	web_buf_add(b, "</a></p>");
	foot(b, site, lang);
}

/* ---- status ---- */

/* The state's text and its name as the page shows it: one of ours, never
 * web.db's bytes (the bot writes that file too). Unknown reads as open. */
static web_text_id state_text(const char *state, const char **name)
{
	static const struct { const char *s; web_text_id id; } map[] = {
		{ "new", W_ST_NEW }, { "open", W_ST_OPEN }, { "waiting", W_ST_WAITING },
		{ "admitted", W_ST_ADMITTED }, { "rejected", W_ST_REJECTED }, { "linked", W_ST_LINKED },
		{ "expired", W_ST_EXPIRED }, { "deleted", W_ST_DELETED },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(state, map[i].s) == 0) {
			*name = map[i].s;
			return map[i].id;
		}
	*name = "open";
	return W_ST_OPEN;
}

static void admitted(web_buf *b, const web_site *site, const web_status *st, pol_lang lang)
{
	char when[64] = "?";
	time_t ex = (time_t)st->expires;
	struct tm tm;

	if (st->expires > 0 && gmtime_r(&ex, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	web_buf_add(b, "<h2>");
	t(b, lang, W_ADM_STEP1);
	web_buf_add(b, "</h2>");
	if (strcmp(st->token, "-") == 0) {
		web_buf_add(b, "<p>");
		t(b, lang, W_ADM_OWN_ACCOUNT);
		web_buf_add(b, "</p>");
	} else if (st->token[0]) {
		web_buf_add(b, "<p>");
		t(b, lang, W_ADM_TOKEN);
		web_buf_add(b, "</p><code class=\"big\" id=\"regtoken\">");
		web_buf_esc(b, st->token);
		web_buf_add(b, "</code>");
	} else {
		web_buf_add(b, "<p>");
		t(b, lang, W_ADM_NO_TOKEN);
		web_buf_add(b, "</p>");
	}
	if (site->client_url[0]) {
		web_buf_add(b, "<p><a href=\"");
		web_buf_esc(b, site->client_url);
		web_buf_add(b, "\" rel=\"noreferrer\">");
		t(b, lang, W_ADM_CLIENT);
		web_buf_add(b, "</a></p>");
	}
	web_buf_add(b, "<h2>");
	t(b, lang, W_ADM_STEP2);
	web_buf_add(b, "</h2><code class=\"big\" id=\"code\">");
	web_buf_esc(b, st->code);
	web_buf_add(b, "</code>");
	if (site->bot_user[0]) {
		web_buf_add(b, "<p><a href=\"https://matrix.to/#/");
		web_buf_esc(b, site->bot_user);
		web_buf_add(b, "\" rel=\"noreferrer\">");
		t(b, lang, W_ADM_BOT);
		web_buf_add(b, "</a> (");
		web_buf_esc(b, site->bot_user);
		web_buf_add(b, ")</p>");
	}
	web_buf_add(b, "<p>");
	esc_with(b, lang, W_ADM_EXPIRES, when);
	web_buf_add(b, "</p>");
}

void web_page_status(web_buf *b, const web_site *site, const web_status *st, const char *id, pol_lang lang,
		     const char *csrf)
{
	const char *state = NULL;
	web_text_id what = state_text(st->delete_asked ? "deleted" : st->state, &state);

	head(b, lang, web_text(lang, W_STATUS_TITLE), NULL);
	web_buf_add(b, "<h1>");
	t(b, lang, W_STATUS_TITLE);
	web_buf_fmt(b, "</h1><p class=\"%s\" id=\"state\" data-state=\"%s\">",
		    what == W_ST_REJECTED || what == W_ST_EXPIRED ? "alert" : "ok", state);
	esc_with(b, lang, what, st->wijkgroep[0] ? st->wijkgroep : "?");
	web_buf_add(b, "</p>");
	if (what == W_ST_ADMITTED && st->code[0])
		admitted(b, site, st, lang);
	/* A linked account leaves with !vergeetmij in the chat (the page says so). */
	if (what != W_ST_DELETED && what != W_ST_LINKED) {
		web_buf_add(b, "<p class=\"hint\">");
		t(b, lang, W_STATUS_KEEP);
		web_buf_add(b, "</p><h2>");
		t(b, lang, W_DELETE_TITLE);
		web_buf_add(b, "</h2><p>");
		t(b, lang, W_DELETE_TEXT);
		web_buf_add(b, "</p><form method=\"post\" action=\"/status/");
		web_buf_esc(b, id);
		web_buf_fmt(b, "/wissen\"><input type=\"hidden\" name=\"lang\" value=\"%s\">"
			    "<input type=\"hidden\" name=\"token\" value=\"", lang_code(lang));
		web_buf_esc(b, csrf);
		web_buf_add(b, "\"><button class=\"secondary\" type=\"submit\">");
		t(b, lang, W_DELETE_BUTTON);
		web_buf_add(b, "</button></form>");
	}
	foot(b, site, lang);
}

void web_page_message(web_buf *b, pol_lang lang, int text_id)
{
	head(b, lang, web_text(lang, (web_text_id)text_id), NULL);
	web_buf_add(b, "<h1>");
	t(b, lang, (web_text_id)text_id);
	web_buf_fmt(b, "</h1><p><a href=\"/?lang=%s\">", lang_code(lang));
	t(b, lang, W_BACK);
	web_buf_add(b, "</a></p></main></body></html>\n");
}
