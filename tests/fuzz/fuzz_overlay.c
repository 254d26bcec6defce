/* fuzz_overlay.c: fuzz target for the overlay merge (policy/pol_overlay.c):
 * the bot's own structure changes, kept in its store, laid over the
 * operator's structure file at every load. Any file and overlay give a
 * merged text or a refusal, never a crash; an empty overlay gives the file
 * as it is; merging the same overlay into the merged result changes
 * nothing (an entry the file already has is skipped, so an operator may
 * copy the result into the file); an entry appended to the overlay applies.
 *
 * Input: the structure file, a NUL byte, the overlay JSON. Without a NUL
 * byte the whole input is the overlay, laid over the fase-2 Zoomwijck
 * (deploy/examples/zoomwijck-fase2.json). Replayed by the standalone
 * driver in CI, run under libFuzzer by `make fuzz-run`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "policy/pol_overlay.h"
#include "policy/pol_structure.h"
#include "tests/fuzz/example_structure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_problems(const pol_problems *p)
{
	if (p->n > POL_PROBLEMS_MAX || p->n_errors + p->n_warnings < p->n)
		__builtin_trap();
	for (size_t i = 0; i < p->n; i++)
		if (!p->items[i].path || !p->items[i].message || strlen(p->items[i].path) == 0)
			__builtin_trap();
}

/* The merged result, merged again with the same overlay, is itself. */
static void check_idempotent(const char *merged, const char *overlay)
{
	pol_problems problems;
	char *again = NULL;
	cJSON *j = cJSON_Parse(merged);

	/* Only a wijkgroep nested past cJSON's depth limit in the overlay
	 * makes a merged text that does not parse (the structure parser then
	 * refuses it). */
	if (j == NULL)
		return;
	cJSON_Delete(j);
	pol_problems_init(&problems);
	if (pol_overlay_merge(merged, strlen(merged), overlay, &again, &problems) != 0 ||
	    strcmp(again, merged) != 0)
		__builtin_trap();
	check_problems(&problems);
	pol_problems_free(&problems);
	free(again);
}

/* A new wijkgroep appended to the overlay is in the merged result. */
static void check_append(const char *file, size_t len, const char *overlay, int example)
{
	static const char *const buurten[] = { "Nieuwbuurt", "7336" };
	cJSON *entry = pol_overlay_new_wijkgroep("zoomwijck", "stuurgroep-zoomwijck", "fuzz-nieuw",
						 "Wijkgroep Fuzz", buurten, 2);
	cJSON *list, *root, *w, *wg;
	pol_problems problems;
	char *appended = NULL, *merged = NULL;
	int before = -1, found = 0;

	if (!entry)
		return;
	list = overlay[0] ? cJSON_Parse(overlay) : cJSON_CreateArray();
	if (cJSON_IsArray(list))
		before = cJSON_GetArraySize(list);
	cJSON_Delete(list);
	if (pol_overlay_append(overlay, entry, &appended) != 0) {
		if (before >= 0 || appended != NULL)
			__builtin_trap();   /* an array overlay takes another entry */
		cJSON_Delete(entry);
		return;
	}
	list = cJSON_Parse(appended);
	if (before < 0 || !cJSON_IsArray(list) || cJSON_GetArraySize(list) != before + 1)
		__builtin_trap();
	cJSON_Delete(list);
	pol_problems_init(&problems);
	if (pol_overlay_merge(file, len, appended, &merged, &problems) == 0 && example &&
	    (root = cJSON_Parse(merged)) != NULL) {
		cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(root, "wijken"))
			cJSON_ArrayForEach(wg, cJSON_GetObjectItemCaseSensitive(w, "wijkgroepen"))
				found |= cJSON_IsString(cJSON_GetObjectItemCaseSensitive(wg, "id")) &&
					 strcmp(cJSON_GetObjectItemCaseSensitive(wg, "id")->valuestring,
						"fuzz-nieuw") == 0;
		if (!found)
			__builtin_trap();
		cJSON_Delete(root);
	}
	check_problems(&problems);
	pol_problems_free(&problems);
	free(appended);
	free(merged);
	cJSON_Delete(entry);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	const char *file;
	size_t len;
	char *overlay, *merged = NULL;
	pol_problems problems;
	pol_structure *s = NULL;
	int rc;

	if (nul) {
		file = (const char *)data;
		len = (size_t)(nul - data);
		data = nul + 1;
		size -= len + 1;
	} else {
		file = fuzz_example_structure(&len);
	}
	overlay = malloc(size + 1);
	if (!overlay)
		return 0;
	memcpy(overlay, data, size);
	overlay[size] = '\0';

	pol_problems_init(&problems);
	rc = pol_overlay_merge(file, len, overlay, &merged, &problems);
	check_problems(&problems);
	if (!overlay[0] && (rc != 0 || !merged || strlen(merged) != len || memcmp(merged, file, len) != 0))
		__builtin_trap();   /* no overlay: the file as it is */
	if (rc == 0 && !merged)
		__builtin_trap();
	if (rc == 0 && overlay[0])
		check_idempotent(merged, overlay);
	if (merged && pol_structure_parse(&s, merged, strlen(merged), &problems) == 0)
		pol_structure_free(s);
	pol_problems_free(&problems);
	free(merged);
	check_append(file, len, overlay, nul == NULL);
	free(overlay);
	return 0;
}
