/* pol_proposal_make.c: see pol_proposal_make.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "pol_proposal_make.h"
#include "pol_buf.h"
#include "pol_notices.h"

/* The split entry for the overlay: new wijkgroepen per group of p, each
 * with wg's cap, and its growth threshold only when not the default. */
static char *split_entry(const pol_wijkgroep *wg, const pol_split_proposal *p)
{
	cJSON *e = cJSON_CreateObject(), *list;
	char *json;
	size_t g, k, b;

	cJSON_AddStringToObject(e, "soort", "splits");
	cJSON_AddStringToObject(e, "wijk", wg->wijk->id);
	cJSON_AddStringToObject(e, "stuurgroep", wg->stuurgroep->id);
	cJSON_AddStringToObject(e, "oud", wg->id);
	list = cJSON_AddArrayToObject(e, "nieuw");
	for (g = 0; list && g < p->n_groups; g++) {
		cJSON *n = cJSON_CreateObject(), *bl;

		cJSON_AddItemToArray(list, n);
		cJSON_AddStringToObject(n, "id", p->groups[g].id);
		cJSON_AddStringToObject(n, "naam", p->groups[g].naam);
		cJSON_AddNumberToObject(n, "limiet", wg->limiet);
		if (wg->groeidrempel != wg->limiet * POL_THRESHOLD_PERCENT / 100)
			cJSON_AddNumberToObject(n, "groeidrempel", wg->groeidrempel);
		bl = cJSON_AddArrayToObject(n, "buurten");
		/* The buurt as the file had it, postcodes and all. */
		for (k = 0; bl && k < p->groups[g].n_buurten; k++)
			for (b = 0; b < wg->n_buurten; b++)
				if (strcmp(wg->buurten[b].label, p->groups[g].buurten[k]) == 0)
					cJSON_AddItemToArray(bl, pol_buurt_json(&wg->buurten[b]));
	}
	json = cJSON_PrintUnformatted(e);
	cJSON_Delete(e);
	return json;
}

int pol_prop_split(pol_lang lang, const pol_structure *s, const pol_wijkgroep *wg, const pol_split_member *m,
		   size_t n, pol_prop_answer *out)
{
	pol_split_member *res = calloc(n + 1, sizeof *res);
	pol_split_proposal *p = NULL;
	size_t i, k = 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	snprintf(out->kind, sizeof out->kind, "splits");
	snprintf(out->naam, sizeof out->naam, "%s", wg->naam);
	if (!res)
		return -1;
	/* The stuurgroep is in every group of theirs already. */
	for (i = 0; i < n; i++)
		if (!pol_structure_names(s, m[i].user_id))
			res[k++] = m[i];
	p = pol_split_for_wijkgroep(wg, res, k);
	if (!p || p->n_groups < 2) {
		pol_textf(out->answer, sizeof out->answer, lang, POL_TXT_SPLITS_NOTHING, wg->naam);
		goto cleanup;
	}
	out->entry = split_entry(wg, p);
	out->list = malloc(POL_PROP_TEXT_MAX);
	if (!out->entry || !out->list) {
		rc = -1;
		goto cleanup;
	}
	pol_split_groups_text(lang, p, out->list, POL_PROP_TEXT_MAX);
	out->store = 1;
cleanup:
	pol_split_free(p);
	free(res);
	return rc;
}

/* "A, B" of the buurten (or new groups) of an entry's wijkgroep list:
 * strings as they are, objects by their naam; "-" when none. */
static void names_of(const cJSON *list, char *buf, size_t size)
{
	const cJSON *v;
	pol_buf out;

	pol_buf_init(&out, buf, size);
	cJSON_ArrayForEach(v, list) {
		const cJSON *naam = cJSON_GetObjectItemCaseSensitive(v, "naam");
		const char *s = cJSON_IsString(v) ? v->valuestring : cJSON_IsString(naam) ? naam->valuestring : "?";

		pol_buf_add_sep(&out, ", ", s);
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

int pol_prop_new(pol_lang lang, const char *args, pol_prop_answer *out)
{
	cJSON *e = cJSON_Parse(args);
	const cJSON *wg = cJSON_GetObjectItemCaseSensitive(e, "wijkgroep");
	const cJSON *naam = cJSON_GetObjectItemCaseSensitive(wg, "naam");
	int rc = -1;

	(void)lang;
	memset(out, 0, sizeof *out);
	snprintf(out->kind, sizeof out->kind, "wijkgroep");
	if (cJSON_IsString(naam)) {
		snprintf(out->naam, sizeof out->naam, "%s", naam->valuestring);
		out->entry = strdup(args);
		out->list = malloc(1500);
		if (out->entry && out->list) {
			names_of(cJSON_GetObjectItemCaseSensitive(wg, "buurten"), out->list, 1500);
			out->store = 1;
			rc = 0;
		}
	}
	cJSON_Delete(e);
	return rc;
}

void pol_prop_checked(pol_lang lang, pol_prop_answer *a, const char *why)
{
	if (!why)
		return;
	a->store = 0;
	pol_prop_failed_text(lang, 0, why, a->answer, sizeof a->answer);
}

void pol_prop_stored(pol_lang lang, pol_prop_answer *a, long long nr)
{
	if (strcmp(a->kind, "splits") == 0)
		pol_textf(a->answer, sizeof a->answer, lang, POL_TXT_PROPOSAL_SPLIT, nr, a->naam, a->list, nr);
	else
		pol_textf(a->answer, sizeof a->answer, lang, POL_TXT_PROPOSAL_NEW, nr, a->naam, a->list, nr);
}

void pol_prop_answer_free(pol_prop_answer *a)
{
	free(a->entry);
	free(a->list);
	a->entry = NULL;
	a->list = NULL;
}

void pol_prop_failed_text(pol_lang lang, long long nr, const char *why, char *buf, size_t size)
{
	pol_textf(buf, size, lang, POL_TXT_PROPOSAL_FAILED, nr, why);
}

const pol_wijkgroep *pol_prop_split_source(const pol_structure *s, const char *entry)
{
	cJSON *e = cJSON_Parse(entry);
	const cJSON *oud = cJSON_GetObjectItemCaseSensitive(e, "oud");
	const pol_wijkgroep *wg = cJSON_IsString(oud) ? pol_structure_find_wijkgroep(s, oud->valuestring) : NULL;

	cJSON_Delete(e);
	return wg;
}

/* The id of the new group of entry whose buurten hold buurt, or NULL. */
static const char *group_of(const cJSON *entry, const char *buurt)
{
	const cJSON *g, *b;

	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(entry, "nieuw")) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(g, "id");
		int match = 0;

		cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(g, "buurten")) {
			const cJSON *nm = cJSON_IsString(b) ? b : cJSON_GetObjectItemCaseSensitive(b, "naam");

			match |= cJSON_IsString(nm) && strcasecmp(nm->valuestring, buurt) == 0;
		}
		if (match && cJSON_IsString(id))
			return id->valuestring;
	}
	return NULL;
}

int pol_prop_moves(const pol_structure *s, const char *entry, const pol_split_member *m, size_t n,
		   pol_prop_move **out, size_t *n_out)
{
	cJSON *e = cJSON_Parse(entry);
	size_t i;

	*n_out = 0;
	*out = calloc(n + 1, sizeof **out);
	if (!*out) {
		cJSON_Delete(e);
		return -1;
	}
	for (i = 0; e && i < n; i++) {
		const char *id;

		if (!m[i].buurt || pol_structure_names(s, m[i].user_id))
			continue;
		id = group_of(e, m[i].buurt);
		if (!id)
			continue;
		(*out)[*n_out].user_id = m[i].user_id;
		snprintf((*out)[*n_out].to_key, sizeof (*out)[*n_out].to_key, "wijkgroep:%s", id);
		(*n_out)++;
	}
	cJSON_Delete(e);
	return 0;
}

/* The new groups of a carried-out entry: a split's "nieuw", or the one
 * "wijkgroep" of a new one (as a list). Owned by the caller (cJSON_Delete). */
static cJSON *new_groups(const char *kind, const cJSON *e)
{
	cJSON *list;

	if (strcmp(kind, "splits") == 0)
		return cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(e, "nieuw"), 1);
	list = cJSON_CreateArray();
	cJSON_AddItemToArray(list, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(e, "wijkgroep"), 1));
	return list;
}

int pol_prop_new_keys(const char *kind, const char *entry, pol_prop_key **out, size_t *n)
{
	cJSON *e = cJSON_Parse(entry), *list = new_groups(kind, e);
	const cJSON *g;
	int count = cJSON_GetArraySize(list);

	*n = 0;
	*out = calloc((size_t)count + 1, sizeof **out);
	if (*out) {
		cJSON_ArrayForEach(g, list) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(g, "id");

			snprintf((*out)[*n].key, sizeof (*out)[*n].key, "wijkgroep:%s",
				 cJSON_IsString(id) ? id->valuestring : "");
			(*n)++;
		}
	}
	cJSON_Delete(list);
	cJSON_Delete(e);
	return *out ? 0 : -1;
}

void pol_prop_done_text(pol_lang lang, const pol_structure *s, const char *kind, const char *entry, long moved,
			char *buf, size_t size)
{
	cJSON *e = cJSON_Parse(entry), *list = new_groups(kind, e);
	char names[1500];

	names_of(list, names, sizeof names);
	if (strcmp(kind, "splits") == 0) {
		const cJSON *oud = cJSON_GetObjectItemCaseSensitive(e, "oud");
		const pol_wijkgroep *wg = cJSON_IsString(oud) ? pol_structure_find_wijkgroep(s, oud->valuestring) : NULL;

		pol_textf(buf, size, lang, POL_TXT_SPLIT_DONE, wg ? wg->naam : "?", names, (size_t)moved);
	} else {
		pol_textf(buf, size, lang, POL_TXT_NEW_WG_DONE, names);
	}
	cJSON_Delete(list);
	cJSON_Delete(e);
}

int pol_prop_retired_pointer(pol_lang lang, const pol_room *r, char *buf, size_t size)
{
	char names[1024] = "";
	pol_buf nb;
	size_t k;

	if (!r->retired || !r->wijkgroep)
		return 0;
	pol_buf_init(&nb, names, sizeof names);
	for (k = 0; k < r->wijkgroep->n_opvolgers; k++)
		pol_buf_add_sep(&nb, ", ", r->wijkgroep->opvolgers[k]->naam);
	pol_textf(buf, size, lang, POL_TXT_RETIRED_POINTER, names[0] ? names : "-");
	return 1;
}
