/* pol_health.c: see pol_health.h. */
#include <stdarg.h>
#include <stdio.h>
#include "pol_buf.h"
#include "pol_health.h"

/* The format strings are our own table's (pol_text.h names the arguments). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void point(pol_buf *b, int *n, pol_lang lang, pol_text_id id, ...)
{
	char line[POL_STRUCT_MAX_NAME + 400];
	va_list ap;

	va_start(ap, id);
	vsnprintf(line, sizeof line, pol_text(lang, id), ap);
	va_end(ap);
	pol_buf_printf(b, "\n- %s", line);
	(*n)++;
}
#pragma GCC diagnostic pop

/* Whether the telefoonbeheerder is there and did something lately. */
static int tb_active(const pol_health_facts *f)
{
	return f->sg->telefoonbeheerder && f->tb_joined && f->tb_last_seen > 0 &&
	       f->tb_last_seen >= f->now - POL_HEALTH_ACTIVE_DAYS * POL_HEALTH_DAY_S;
}

static void wijkgroep_points(pol_lang lang, const pol_health_facts *f, const pol_wijkgroep *wg,
			     const pol_health_wijkgroep *w, pol_buf *b, int *n)
{
	long long silent = f->now - w->last_activity;

	if (w->last_activity > 0 && silent > POL_HEALTH_SILENT_DAYS * POL_HEALTH_DAY_S)
		point(b, n, lang, POL_TXT_HEALTH_SILENT, wg->naam, silent / POL_HEALTH_DAY_S);
	if (w->expired > 0)
		point(b, n, lang, POL_TXT_HEALTH_EXPIRED, wg->naam, (long long)w->expired, POL_HEALTH_EXPIRED_DAYS);
	if (w->apps_waiting > 0)
		point(b, n, lang, POL_TXT_HEALTH_APPS_WAITING, wg->naam, (long long)w->apps_waiting, f->reminder_hours);
	if (w->unaccepted > 0)
		point(b, n, lang, POL_TXT_HEALTH_UNACCEPTED, wg->naam, (long long)w->unaccepted);
	if (w->waiting > 0)
		point(b, n, lang, POL_TXT_HEALTH_WAITLIST, wg->naam, (long long)w->waiting);
}

int pol_health_text(pol_lang lang, const pol_health_facts *f, char *buf, size_t size)
{
	pol_buf b;
	int n = 0;
	size_t i;

	pol_textf(buf, size, lang, POL_TXT_HEALTH_HEADER, f->sg->naam);
	pol_buf_init_at_end(&b, buf, size);
	if (f->sg->n_leden < POL_HEALTH_MIN_LEDEN)
		point(&b, &n, lang, POL_TXT_HEALTH_FEW_LEDEN, f->sg->n_leden, POL_HEALTH_MIN_LEDEN);
	if (!tb_active(f))
		point(&b, &n, lang, POL_TXT_HEALTH_TB_INACTIVE, POL_HEALTH_ACTIVE_DAYS);
	for (i = 0; i < f->sg->n_beheert; i++)
		if (!f->sg->beheert[i]->opgeheven && f->wijkgroepen)
			wijkgroep_points(lang, f, f->sg->beheert[i], &f->wijkgroepen[i], &b, &n);
	if (n == 0)
		pol_textf(buf, size, lang, POL_TXT_HEALTH_ALL_WELL, f->sg->naam);
	return n;
}
