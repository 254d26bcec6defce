/* pol_route.c: see pol_route.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "pol_route.h"

/* Room keys live in the structure; build one and find the pointer. */
static const char *key_of(const pol_structure *s, const char *kind, const char *id)
{
	char key[POL_STRUCT_MAX_KEY + 16];
	const pol_room *r;

	snprintf(key, sizeof key, "%s:%s", kind, id);
	r = pol_structure_room_by_key(s, key);
	return r ? r->key : NULL;
}

static void add(pol_route *out, const char *key)
{
	size_t i;

	if (!key || out->n >= POL_ROUTE_MAX)
		return;
	for (i = 0; i < out->n; i++)
		if (strcmp(out->targets[i], key) == 0)
			return;
	out->targets[out->n++] = key;
}

static int is(const char *doel, const char *word)
{
	return doel && strcasecmp(doel, word) == 0;
}

/* The wijkgroepen of sg (all active ones, or the one named doel), except
 * `except`. 0, or the refusal. */
static int wijkgroepen_of(const pol_structure *s, const pol_stuurgroep *sg, const char *doel,
			  const pol_wijkgroep *except, pol_route *out, pol_text_id *why)
{
	size_t i;
	int named = doel && doel[0] && !is(doel, "wijk");

	for (i = 0; i < sg->n_beheert; i++) {
		const pol_wijkgroep *wg = sg->beheert[i];

		if (!pol_wijkgroep_active(wg) || wg == except)
			continue;
		if (named && strcasecmp(doel, wg->id) != 0 && strcasecmp(doel, wg->naam) != 0)
			continue;
		add(out, key_of(s, "wijkgroep", wg->id));
	}
	if (out->n == 0) {
		*why = named ? POL_TXT_ROUTE_UNKNOWN_TARGET : POL_TXT_ROUTE_NO_TARGETS;
		return -1;
	}
	return 0;
}

static int from_wijkgroep(const pol_structure *s, const pol_wijkgroep *wg, const char *doel, const char *approver,
			  pol_route *out, pol_text_id *why)
{
	if (!pol_stuurgroep_has_member(wg->stuurgroep, approver)) {
		*why = POL_TXT_ROUTE_NOT_APPROVER;
		return -1;
	}
	if (!doel || !doel[0] || is(doel, "regie") || is(doel, "regiegroep")) {
		if (!wg->wijk->regiegroep) {
			*why = POL_TXT_ROUTE_NO_REGIEGROEP;
			return -1;
		}
		add(out, key_of(s, "regiegroep", wg->wijk->id));
		return 0;
	}
	if (is(doel, "gemeente")) {
		*why = POL_TXT_ROUTE_UNKNOWN_TARGET;
		return -1;
	}
	return wijkgroepen_of(s, wg->stuurgroep, doel, wg, out, why);
}

static int from_stuurgroep(const pol_structure *s, const pol_stuurgroep *sg, const char *doel, const char *approver,
			   pol_route *out, pol_text_id *why)
{
	if (!pol_stuurgroep_has_member(sg, approver)) {
		*why = POL_TXT_ROUTE_NOT_APPROVER;
		return -1;
	}
	out->approver_is_casushouder = 1;
	return wijkgroepen_of(s, sg, doel, NULL, out, why);
}

static int from_regiegroep(const pol_structure *s, const pol_wijk *w, const char *doel, const char *approver,
			   pol_route *out, pol_text_id *why)
{
	const pol_room *gem = pol_structure_room_by_key(s, "gemeentelijke_regiegroep");
	size_t i;
	int named = doel && doel[0] && !is(doel, "wijk");

	if (!pol_wijk_in_regiegroep(w, approver)) {
		*why = POL_TXT_ROUTE_NOT_APPROVER;
		return -1;
	}
	if (is(doel, "gemeente")) {
		if (!gem || !pol_structure_is_delegate(s, approver)) {
			*why = POL_TXT_ROUTE_NOT_DELEGATE;
			return -1;
		}
		add(out, gem->key);
		return 0;
	}
	/* Into the wijkgroepen of the approver's own stuurgroep(en) of this wijk. */
	out->approver_is_casushouder = 1;
	for (i = 0; i < w->n_stuurgroepen; i++) {
		pol_text_id ignored;

		if (pol_stuurgroep_has_member(&w->stuurgroepen[i], approver))
			wijkgroepen_of(s, &w->stuurgroepen[i], doel, NULL, out, &ignored);
	}
	if (out->n == 0) {
		*why = named ? POL_TXT_ROUTE_UNKNOWN_TARGET : POL_TXT_ROUTE_NO_TARGETS;
		return -1;
	}
	return 0;
}

static int from_gemeente(const pol_structure *s, const char *doel, const char *approver, pol_route *out,
			 pol_text_id *why)
{
	size_t i;

	if (!pol_structure_is_delegate(s, approver)) {
		*why = POL_TXT_ROUTE_NOT_DELEGATE;
		return -1;
	}
	for (i = 0; i < pol_structure_n_wijken(s); i++) {
		const pol_wijk *w = pol_structure_wijk(s, i);
		int named = doel && doel[0];

		if (!w->regiegroep || !pol_wijk_in_regiegroep(w, approver))
			continue;   /* a delegate in both groups only */
		if (named && strcasecmp(doel, w->id) != 0 && strcasecmp(doel, w->naam) != 0)
			continue;
		add(out, key_of(s, "regiegroep", w->id));
	}
	if (out->n == 0) {
		*why = doel && doel[0] ? POL_TXT_ROUTE_UNKNOWN_TARGET : POL_TXT_ROUTE_NOT_DELEGATE;
		return -1;
	}
	return 0;
}

int pol_route_find(const pol_structure *s, const char *origin_key, const char *doel, const char *approver,
		   pol_route *out, pol_text_id *why)
{
	const pol_room *r = s && origin_key ? pol_structure_room_by_key(s, origin_key) : NULL;

	memset(out, 0, sizeof *out);
	*why = POL_TXT_ROUTE_NOT_FROM_HERE;
	if (!r || !approver)
		return -1;
	switch (r->kind) {
	case POL_ROOM_WIJKGROEP:
		if (!pol_wijkgroep_active(r->wijkgroep))
			return -1;
		return from_wijkgroep(s, r->wijkgroep, doel, approver, out, why);
	case POL_ROOM_STUURGROEP:
		return from_stuurgroep(s, r->stuurgroep, doel, approver, out, why);
	case POL_ROOM_REGIEGROEP:
		return from_regiegroep(s, r->wijk, doel, approver, out, why);
	case POL_ROOM_GEM_REGIEGROEP:
		return from_gemeente(s, doel, approver, out, why);
	default:
		return -1;
	}
}
