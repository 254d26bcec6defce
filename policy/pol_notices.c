/* pol_notices.c: see pol_notices.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "pol_buf.h"
#include "pol_notices.h"

/* line on a line of its own after what buf holds (cut at size). */
static void add_line(char *buf, size_t size, const char *line)
{
	pol_buf out;

	pol_buf_init_at_end(&out, buf, size);
	pol_buf_add_sep(&out, "\n", line);
}

static pol_text_id source_text(const char *source)
{
	if (source && strcmp(source, "knock") == 0)
		return POL_TXT_WAITLIST_SRC_KNOCK;
	if (source && strcmp(source, "limiet") == 0)
		return POL_TXT_WAITLIST_SRC_LIMIET;
	return POL_TXT_WAITLIST_SRC_LID;
}

void pol_waitlist_text(pol_lang lang, const pol_wijkgroep *wg, const pol_wait_line *lines, size_t n,
		       char *buf, size_t size)
{
	char line[600];
	size_t i;

	if (n == 0) {
		pol_textf(line, sizeof line, lang, POL_TXT_WAITLIST_EMPTY, wg->naam);
		add_line(buf, size, line);
		return;
	}
	pol_textf(line, sizeof line, lang, POL_TXT_WAITLIST_HEADER, wg->naam, n);
	add_line(buf, size, line);
	for (i = 0; i < n; i++) {
		pol_textf(line, sizeof line, lang, POL_TXT_WAITLIST_LINE, (long)(i + 1), lines[i].user_id,
			  lines[i].since, pol_text(lang, source_text(lines[i].source)));
		add_line(buf, size, line);
	}
}

void pol_split_groups_text(pol_lang lang, const pol_split_proposal *p, char *buf, size_t size)
{
	char line[1024], names[700];
	pol_buf nb;
	size_t g, b;

	buf[0] = '\0';
	for (g = 0; g < p->n_groups; g++) {
		pol_buf_init(&nb, names, sizeof names);
		for (b = 0; b < p->groups[g].n_buurten; b++)
			pol_buf_add_sep(&nb, ", ", p->groups[g].buurten[b]);
		pol_textf(line, sizeof line, lang, POL_TXT_SPLIT_GROUP_LINE, p->groups[g].naam,
			  p->groups[g].n_members, names);
		add_line(buf, size, line);
	}
	if (p->n_unplaced) {
		pol_textf(line, sizeof line, lang, POL_TXT_SPLIT_UNPLACED, p->n_unplaced);
		add_line(buf, size, line);
	}
}

void pol_growth_text(pol_lang lang, const pol_wijkgroep *wg, long count, const pol_split_member *m,
		     size_t n, const pol_split_proposal *p, char *buf, size_t size)
{
	char per_buurt[1500] = "", groups[2000] = "", line[300];
	size_t b, i, unknown = 0;

	for (b = 0; b < wg->n_buurten; b++) {
		size_t k = 0;

		for (i = 0; i < n; i++)
			if (m[i].buurt && strcasecmp(m[i].buurt, wg->buurten[b].label) == 0)
				k++;
		snprintf(line, sizeof line, "- %s: %zu", wg->buurten[b].label, k);
		add_line(per_buurt, sizeof per_buurt, line);
	}
	/* Unknown: no buurt, or one that is not (or no longer) the wijkgroep's,
	 * so the lines add up to the count. */
	for (i = 0; i < n; i++) {
		int listed = 0;

		for (b = 0; m[i].buurt && b < wg->n_buurten && !listed; b++)
			listed = strcasecmp(m[i].buurt, wg->buurten[b].label) == 0;
		unknown += !listed;
	}
	if (unknown) {
		snprintf(line, sizeof line, "- %s: %zu", pol_text(lang, POL_TXT_BUURT_UNKNOWN), unknown);
		add_line(per_buurt, sizeof per_buurt, line);
	}
	if (p)
		pol_split_groups_text(lang, p, groups, sizeof groups);
	pol_textf(buf, size, lang, POL_TXT_GROWTH_NOTICE, wg->naam, count, wg->groeidrempel, wg->limiet, per_buurt,
		  groups[0] ? groups : "-", wg->id);
}

pol_split_proposal *pol_split_for_wijkgroep(const pol_wijkgroep *wg, const pol_split_member *m, size_t n)
{
	const char *labels[POL_STRUCT_MAX_BUURTEN];
	pol_split_params params;
	pol_split_proposal *p = NULL;
	size_t b;

	for (b = 0; b < wg->n_buurten && b < POL_STRUCT_MAX_BUURTEN; b++)
		labels[b] = wg->buurten[b].label;
	memset(&params, 0, sizeof params);
	params.cap = wg->limiet;
	params.min_members = wg->limiet / 10 ? wg->limiet / 10 : 1;
	params.buurten = labels;
	params.n_buurten = b;
	return pol_split_propose(&p, wg->id, m, n, &params) == 0 ? p : NULL;
}

void pol_copy_header(pol_lang lang, long long nr, const char *origin, const char *when, const char *houder_there,
		     const char *houder_new, const char *approver, char *buf, size_t size)
{
	const char *houder = houder_there && houder_there[0] ? houder_there :
			     houder_new && houder_new[0] ? houder_new : "-";

	pol_textf(buf, size, lang, POL_TXT_CASUS_COPY_HEADER, nr, origin ? origin : "", when ? when : "", houder,
		  approver ? approver : "");
}
