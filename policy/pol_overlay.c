/* pol_overlay.c: see pol_overlay.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "pol_overlay.h"

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The element of array list whose "id" is id, or NULL. */
static cJSON *by_id(const cJSON *list, const char *id)
{
	cJSON *v;

	cJSON_ArrayForEach(v, list) {
		const char *vid = str(v, "id");
		if (vid && id && strcmp(vid, id) == 0)
			return v;
	}
	return NULL;
}

static void warn(pol_problems *p, size_t i, const char *msg)
{
	char path[48];

	snprintf(path, sizeof path, "(overlay %zu)", i + 1);
	pol_problems_add(p, POL_SEV_WARNING, path, msg);
}

/* Adds wg to the wijk's wijkgroepen and the stuurgroep's beheert, unless
 * the file already has a wijkgroep with that id. */
static int add_wijkgroep(cJSON *wijk, cJSON *sg, const cJSON *wg)
{
	cJSON *wgs = cJSON_GetObjectItemCaseSensitive(wijk, "wijkgroepen");
	cJSON *beheert = cJSON_GetObjectItemCaseSensitive(sg, "beheert");
	const char *id = str(wg, "id");

	if (!cJSON_IsArray(wgs) || !id || by_id(wgs, id))
		return 0;
	if (!beheert)
		beheert = cJSON_AddArrayToObject(sg, "beheert");
	if (!cJSON_IsArray(beheert))
		return 0;
	cJSON_AddItemToArray(wgs, cJSON_Duplicate(wg, 1));
	cJSON_AddItemToArray(beheert, cJSON_CreateString(id));
	return 1;
}

static void apply(cJSON *root, const cJSON *e, size_t i, pol_problems *p)
{
	const char *soort = str(e, "soort");
	cJSON *wijk = by_id(cJSON_GetObjectItemCaseSensitive(root, "wijken"), str(e, "wijk"));
	cJSON *sg = wijk ? by_id(cJSON_GetObjectItemCaseSensitive(wijk, "stuurgroepen"), str(e, "stuurgroep")) : NULL;
	const cJSON *wg;

	if (!soort || !wijk || !sg) {
		warn(p, i, "skipped: its wijk or stuurgroep is no longer in the structure file");
		return;
	}
	if (strcmp(soort, "wijkgroep_nieuw") == 0) {
		add_wijkgroep(wijk, sg, cJSON_GetObjectItemCaseSensitive(e, "wijkgroep"));
	} else if (strcmp(soort, "splits") == 0) {
		cJSON *old = by_id(cJSON_GetObjectItemCaseSensitive(wijk, "wijkgroepen"), str(e, "oud"));
		cJSON *ids = cJSON_CreateArray();

		if (!old) {
			warn(p, i, "skipped: the wijkgroep it split is no longer in the structure file");
			cJSON_Delete(ids);
			return;
		}
		cJSON_ArrayForEach(wg, cJSON_GetObjectItemCaseSensitive(e, "nieuw")) {
			add_wijkgroep(wijk, sg, wg);
			if (str(wg, "id"))
				cJSON_AddItemToArray(ids, cJSON_CreateString(str(wg, "id")));
		}
		/* The file's own word on the old wijkgroep wins. */
		if (!cJSON_GetObjectItemCaseSensitive(old, "opgeheven"))
			cJSON_AddBoolToObject(old, "opgeheven", 1);
		if (!cJSON_GetObjectItemCaseSensitive(old, "opvolgers"))
			cJSON_AddItemToObject(old, "opvolgers", ids);
		else
			cJSON_Delete(ids);
	} else {
		warn(p, i, "skipped: unknown kind of change");
	}
}

int pol_overlay_merge(const char *file_json, size_t len, const char *overlay_json, char **out,
		      pol_problems *problems)
{
	cJSON *root, *overlay = NULL;
	const cJSON *e;
	size_t i = 0;

	*out = NULL;
	if (!overlay_json || !overlay_json[0]) {
		*out = malloc(len + 1);
		if (!*out)
			return -1;
		memcpy(*out, file_json, len);
		(*out)[len] = '\0';
		return 0;
	}
	root = cJSON_ParseWithLength(file_json, len);
	overlay = cJSON_Parse(overlay_json);
	if (!root || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		cJSON_Delete(overlay);
		pol_overlay_merge(file_json, len, NULL, out, problems);  /* the parser reports it */
		return -1;
	}
	if (!cJSON_IsArray(overlay)) {
		pol_problems_add(problems, POL_SEV_WARNING, "(overlay)",
				 "the bot's own structure changes are unreadable and were left out");
		cJSON_Delete(overlay);
		overlay = NULL;   /* an object would otherwise be walked like a list */
	}
	cJSON_ArrayForEach(e, overlay)
		apply(root, e, i++, problems);
	*out = cJSON_Print(root);
	cJSON_Delete(root);
	cJSON_Delete(overlay);
	return *out ? 0 : -1;
}

cJSON *pol_overlay_new_wijkgroep(const char *wijk, const char *stuurgroep, const char *id,
				 const char *naam, const char *const *buurten, size_t n_buurten)
{
	cJSON *e = cJSON_CreateObject(), *wg, *list;
	size_t i;

	if (!e)
		return NULL;
	cJSON_AddStringToObject(e, "soort", "wijkgroep_nieuw");
	cJSON_AddStringToObject(e, "wijk", wijk);
	cJSON_AddStringToObject(e, "stuurgroep", stuurgroep);
	wg = cJSON_AddObjectToObject(e, "wijkgroep");
	if (wg) {
		cJSON_AddStringToObject(wg, "id", id);
		cJSON_AddStringToObject(wg, "naam", naam);
		list = cJSON_AddArrayToObject(wg, "buurten");
		for (i = 0; list && i < n_buurten; i++)
			cJSON_AddItemToArray(list, cJSON_CreateString(buurten[i]));
	}
	if (!wg || cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(wg, "buurten")) != (int)n_buurten) {
		cJSON_Delete(e);
		return NULL;
	}
	return e;
}

int pol_overlay_append(const char *overlay_json, const cJSON *entry, char **out)
{
	cJSON *list = overlay_json && overlay_json[0] ? cJSON_Parse(overlay_json) : cJSON_CreateArray();

	*out = NULL;
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(list);
		return -1;
	}
	cJSON_AddItemToArray(list, cJSON_Duplicate(entry, 1));
	*out = cJSON_PrintUnformatted(list);
	cJSON_Delete(list);
	return *out ? 0 : -1;
}
