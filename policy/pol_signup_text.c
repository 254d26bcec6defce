/* pol_signup_text.c: see pol_signup_text.h. */
#include <stdio.h>
#include <string.h>
#include "pol_aanmelding.h"
#include "pol_buf.h"
#include "pol_signup_text.h"

int pol_app_notice(pol_lang lang, const pol_structure *s, const char *room_key, const char *json, long long nr,
		   char *sg_key, size_t sg_size, char *text, size_t size)
{
	const pol_room *room = s && room_key ? pol_structure_room_by_key(s, room_key) : NULL;
	char summary[2048];
	pol_intake it;

	if (!room || room->kind != POL_ROOM_WIJKGROEP || !room->wijkgroep || pol_intake_from_json(&it, json) != 0)
		return -1;
	pol_intake_summary(&it, lang, summary, sizeof summary, 1);
	pol_textf(text, size, lang, POL_TXT_APP_NOTICE, nr, room->wijkgroep->naam, summary, nr, nr);
	snprintf(sg_key, sg_size, "stuurgroep:%s", room->wijkgroep->stuurgroep->id);
	return 0;
}

/* The summary of intake json (if it reads) on a line of its own. */
static void add_summary(pol_buf *b, pol_lang lang, const char *json)
{
	char line[2048];
	pol_intake it;

	if (!json || pol_intake_from_json(&it, json) != 0)
		return;
	pol_intake_summary(&it, lang, line, sizeof line, 0);
	pol_buf_add_sep(b, "\n", line);
}

int pol_mydata_text(pol_lang lang, const pol_structure *s, const pol_mydata *m, char *buf, size_t size)
{
	const pol_wijkgroep *wg;
	char line[2048];
	pol_intake it;
	int intake = m->intake && pol_intake_from_json(&it, m->intake) == 0;
	pol_buf b;

	pol_buf_init(&b, buf, size);
	if (!m->resident && !m->application && !intake) {
		pol_buf_add(&b, pol_text(lang, POL_TXT_MYDATA_NOTHING));
		return 0;
	}
	pol_buf_add(&b, pol_text(lang, POL_TXT_MYDATA_HEADER));
	if (m->resident) {
		wg = s && m->wijkgroep_key && strncmp(m->wijkgroep_key, "wijkgroep:", 10) == 0
			     ? pol_structure_find_wijkgroep(s, m->wijkgroep_key + 10)
			     : NULL;
		pol_textf(line, sizeof line, lang, POL_TXT_MYDATA_RESIDENT,
			  wg ? wg->naam : m->wijkgroep_key ? m->wijkgroep_key : "-", m->buurt ? m->buurt : "-",
			  m->since ? m->since : "-", m->admitted_by ? m->admitted_by : "-",
			  m->spelregels ? m->spelregels : "-");
		pol_buf_add_sep(&b, "\n", line);
		add_summary(&b, lang, m->resident_data);
	}
	if (m->application) {
		pol_textf(line, sizeof line, lang, POL_TXT_MYDATA_APPLICATION, m->app_nr, m->app_state ? m->app_state : "-",
			  m->app_since ? m->app_since : "-");
		pol_buf_add_sep(&b, "\n", line);
		add_summary(&b, lang, m->app_data);
	}
	if (intake) {
		pol_buf_add_sep(&b, "\n", pol_text(lang, POL_TXT_MYDATA_INTAKE));
		add_summary(&b, lang, m->intake);
	}
	pol_buf_add_sep(&b, "\n", pol_text(lang, POL_TXT_MYDATA_FOOTER));
	return 1;
}

const pol_wijk *pol_spelregels_changed_for(pol_lang lang, const pol_structure *s, const char *wg_key,
					   const char *accepted, char version[17])
{
	const pol_wijkgroep *wg = s && wg_key && strncmp(wg_key, "wijkgroep:", 10) == 0
					  ? pol_structure_find_wijkgroep(s, wg_key + 10)
					  : NULL;

	if (!wg)
		return NULL;
	pol_spelregels_version(pol_spelregels_of(wg->wijk, lang), version);
	return accepted && strcmp(version, accepted) == 0 ? NULL : wg->wijk;
}

void pol_spelregels_changed_text(pol_lang lang, const pol_wijk *w, char *text, size_t size)
{
	pol_textf(text, size, lang, POL_TXT_SPELREGELS_CHANGED_DM, w->naam, pol_spelregels_of(w, lang));
}
