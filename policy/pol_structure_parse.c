/* pol_structure_parse.c: the structure file read section by section
 * (wijken with their wijkgroepen and stuurgroepen, the gemeentelijke
 * regiegroep, politie, operators) into the model, then checked as a whole. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "pol_buf.h"
#include "pol_structure.h"
#include "pol_structure_int.h"

/* ------------------------------------------------------------------ */
/* wijkgroepen */

static const char *const wijkgroep_keys[] = { "id", "naam", "buurten", "limiet", "groeidrempel",
					      "opgeheven", "opvolgers", NULL };
static const char *const buurt_keys[] = { "naam", "postcodes", NULL };

/* One postcode spec string into *r; reports at the current path. */
static int take_postcodes(pst_ctx *c, const cJSON *v, pol_postcode_range *r)
{
	const char *s;
	size_t n;

	if (!cJSON_IsString(v) || !v->valuestring) {
		pst_report(c, ERR, NULL, "a postcode must be a string like \"4611\", \"4611AB\" or \"4611AA-4612KZ\", not %s",
			   pst_type_name(v));
		return GOT_BAD;
	}
	s = v->valuestring;
	n = strlen(s);
	if (pst_pc_spec_parse(s, n, r) != 0) {
		pst_report(c, ERR, NULL, "%s is not a postcode or postcode range (examples: \"4611\", \"4611AB\", \"4611AA-4612KZ\")",
			   pst_q(c, s));
		return GOT_BAD;
	}
	if (r->lo > r->hi) {
		pst_report(c, ERR, NULL, "postcode range %s runs backwards: the first postcode must be the lower one",
			   pst_q(c, s));
		return GOT_BAD;
	}
	return GOT_OK;
}

static void parse_buurt(pst_ctx *c, const cJSON *v, pol_buurt *b)
{
	pol_postcode_range *r;
	char label[40];

	if (cJSON_IsString(v) && v->valuestring) {
		const char *s = v->valuestring;
		size_t n = strlen(s);

		pst_trim(&s, &n);
		/* A string starting with a digit is a postcode, anything else a name. */
		if (n > 0 && pst_is_digit(s[0])) {
			r = pst_alloc(c->mem, sizeof *r);
			if (!r) {
				pst_oom(c);
				return;
			}
			if (take_postcodes(c, v, r) != GOT_OK)
				return;
			pst_pc_format(label, sizeof label, *r);
			b->postcodes = r;
			b->n_postcodes = 1;
			b->label = pst_strndup(c->mem, label, strlen(label));
			if (!b->label)
				pst_oom(c);
			return;
		}
		if (pst_take_name(c, NULL, v->valuestring, &b->naam) == GOT_OK)
			b->label = b->naam;
		return;
	}
	if (cJSON_IsObject(v)) {
		size_t n, k = 0;
		const cJSON *list;
		pst_items it;

		pst_check_object(c, v, buurt_keys, "a buurt");
		if (pst_get_name(c, v, "naam", 1, &b->naam) == GOT_OK)
			b->label = b->naam;
		list = pst_get_list(c, v, "postcodes", 0, POL_STRUCT_MAX_POSTCODES, &n);
		if (!list)
			return;
		r = pst_array(c->mem, n + 1, sizeof *r);
		if (!r) {
			pst_oom(c);
			return;
		}
		for (pst_items_start(c, &it, list, n, "postcodes"); pst_items_next(c, &it);)
			if (take_postcodes(c, it.v, &r[k]) == GOT_OK)
				k++;
		b->postcodes = r;
		b->n_postcodes = k;
		return;
	}
	pst_report(c, ERR, NULL, "a buurt must be a name, a postcode (range) or an object {\"naam\", \"postcodes\"}, not %s",
		   pst_type_name(v));
}

static void parse_wijkgroep(pst_ctx *c, const cJSON *o, pol_wijkgroep *wg, const pol_wijk *w)
{
	size_t n;
	const cJSON *list;
	pol_buurt *buurten;
	pst_items it;
	int got_limiet, got_drempel;

	wg->wijk = w;
	if (pst_check_object(c, o, wijkgroep_keys, "a wijkgroep") != 0)
		return;
	pst_get_id(c, o, "id", &wg->id);
	pst_get_name(c, o, "naam", 1, &wg->naam);

	wg->limiet = POL_CAP_DEFAULT;
	got_limiet = pst_get_uint(c, o, "limiet", POL_CAP_MIN, POL_CAP_MAX, &wg->limiet);
	got_drempel = pst_get_uint(c, o, "groeidrempel", 1, POL_CAP_MAX, &wg->groeidrempel);
	if (got_drempel != GOT_OK) {
		/* Default: the seed's 80 of 100, scaled to the limiet. */
		unsigned long d = (unsigned long)wg->limiet * POL_THRESHOLD_PERCENT / 100;

		wg->groeidrempel = d < 1 ? 1 : (unsigned)d;
	} else if (got_limiet != GOT_BAD && wg->groeidrempel > wg->limiet) {
		pst_report(c, ERR, "groeidrempel", "is %u, above the limiet %u: the split notice would never come",
			   wg->groeidrempel, wg->limiet);
	}

	list = pst_get_list(c, o, "buurten", 0, POL_STRUCT_MAX_BUURTEN, &n);
	if (!list)
		return;
	buurten = pst_array(c->mem, n + 1, sizeof *buurten);
	if (!buurten) {
		pst_oom(c);
		return;
	}
	for (pst_items_start(c, &it, list, n, "buurten"); pst_items_next(c, &it);)
		parse_buurt(c, it.v, &buurten[it.i]);
	wg->buurten = buurten;
	wg->n_buurten = n;
	pst_get_bool(c, o, "opgeheven", 0, &wg->opgeheven);
	/* A retired wijkgroep's buurten went to its opvolgers: they no longer
	 * count for overlaps or for finding someone's wijkgroep. */
	if (wg->opgeheven)
		wg->n_buurten = 0;
}

/* "opvolgers": ids of active wijkgroepen of the same wijk, only on a
 * retired one; resolved once every wijkgroep of the wijk is known. */
static void resolve_opvolgers(pst_ctx *c, const cJSON *o, pol_wijkgroep *wg, pol_wijk *w)
{
	const cJSON *list, *v;
	const pol_wijkgroep **out;
	size_t n = 0, k = 0, i;

	list = pst_get_list(c, o, "opvolgers", 0, POL_STRUCT_MAX_WIJKGROEPEN, &n);
	if (!list)
		return;
	if (!wg->opgeheven && n > 0) {
		pst_report(c, ERR, "opvolgers", "only a wijkgroep with \"opgeheven\": true has opvolgers");
		return;
	}
	out = pst_array(c->mem, n + 1, sizeof *out);
	if (!out) {
		pst_oom(c);
		return;
	}
	cJSON_ArrayForEach(v, list) {
		const pol_wijkgroep *found = NULL;

		for (i = 0; cJSON_IsString(v) && i < w->n_wijkgroepen; i++)
			if (w->wijkgroepen[i].id && strcmp(w->wijkgroepen[i].id, v->valuestring) == 0)
				found = &w->wijkgroepen[i];
		if (!found || found->opgeheven || found == wg)
			pst_report(c, ERR, "opvolgers", "%s is not an active wijkgroep of this wijk",
				   cJSON_IsString(v) ? pst_q(c, v->valuestring) : "an item");
		else if (k < n)
			out[k++] = found;
	}
	wg->opvolgers = out;
	wg->n_opvolgers = k;
}

/* ------------------------------------------------------------------ */
/* stuurgroepen */

static const char *const stuurgroep_keys[] = { "id", "naam", "leden", "telefoonbeheerder", "beheert", NULL };

static void parse_stuurgroep(pst_ctx *c, const cJSON *o, pol_stuurgroep *sg, const pol_wijk *w)
{
	const char **leden = NULL;
	const cJSON *tb;
	const cJSON *tbv = NULL;
	size_t n_leden = 0;
	int leden_ok;

	sg->wijk = w;
	if (pst_check_object(c, o, stuurgroep_keys, "a stuurgroep") != 0)
		return;
	pst_get_id(c, o, "id", &sg->id);
	pst_get_name(c, o, "naam", 1, &sg->naam);

	leden_ok = pst_get_users(c, o, "leden", 0, POL_STRUCT_MAX_LEDEN, "member", &leden, &n_leden);
	if (leden_ok == GOT_NONE && !pst_field_of(o, "leden"))
		pst_report(c, ERR, "leden", "missing: a stuurgroep needs members (leden)");
	else if (leden_ok == GOT_OK && cJSON_GetArraySize(pst_field_of(o, "leden")) == 0)
		pst_report(c, ERR, "leden", "a stuurgroep needs members; this list is empty");
	sg->leden = leden;
	sg->n_leden = n_leden;

	/* One string; a list is accepted so that two can be reported as such. */
	tb = pst_field_of(o, "telefoonbeheerder");
	if (!tb) {
		pst_report(c, ERR, "telefoonbeheerder", "missing: every stuurgroep has exactly one telefoonbeheerder, one of its leden");
	} else if (cJSON_IsArray(tb)) {
		int k = cJSON_GetArraySize(tb);

		if (k == 0)
			pst_report(c, ERR, "telefoonbeheerder", "is empty: every stuurgroep has exactly one telefoonbeheerder");
		else if (k > 1)
			pst_report(c, ERR, "telefoonbeheerder", "names %d people; a stuurgroep has exactly one telefoonbeheerder", k);
		else
			tbv = tb->child;
	} else {
		tbv = tb;
	}
	if (tbv && pst_take_user(c, tbv, "telefoonbeheerder", "telefoonbeheerder", &sg->telefoonbeheerder) == GOT_OK &&
	    leden_ok == GOT_OK && !pst_has_user(leden, n_leden, sg->telefoonbeheerder)) {
		pst_report(c, ERR, "telefoonbeheerder", "telefoonbeheerder %s is not one of this stuurgroep's leden",
			   pst_q(c, sg->telefoonbeheerder));
		sg->telefoonbeheerder = NULL;
	}
}

/* The wijkgroep of the wijk (wgs[0..n_wg)) that the "beheert" item v of
 * stuurgroep sg names, when sg may take it; else NULL (reported). */
static pol_wijkgroep *beheert_item(pst_ctx *c, const cJSON *v, pol_wijkgroep *wgs, size_t n_wg,
				   const pol_stuurgroep *sg)
{
	pol_wijkgroep *wg = NULL;
	size_t i;

	if (!cJSON_IsString(v) || !v->valuestring) {
		pst_report(c, ERR, NULL, "must be the id of a wijkgroep (a string), not %s", pst_type_name(v));
		return NULL;
	}
	for (i = 0; i < n_wg; i++)
		if (wgs[i].id && strcmp(wgs[i].id, v->valuestring) == 0)
			wg = &wgs[i];
	if (!wg)
		pst_report(c, ERR, NULL, "no wijkgroep with id %s in this wijk; a stuurgroep manages wijkgroepen of its own wijk",
			   pst_q(c, v->valuestring));
	else if (wg->stuurgroep == sg)
		pst_report(c, ERR, NULL, "wijkgroep %s is listed twice", pst_q(c, wg->id));
	else if (wg->stuurgroep)
		pst_report(c, ERR, NULL, "wijkgroep %s is already managed by stuurgroep %s; a wijkgroep has exactly one stuurgroep",
			   pst_q(c, wg->id), pst_q(c, wg->stuurgroep->id));
	else
		return wg;
	return NULL;
}

/* Links the "beheert" of stuurgroep sg (the object o) to the wijk's
 * wijkgroepen. 0, or -1 when out of memory. */
static int resolve_one_beheert(pst_ctx *c, const cJSON *o, pol_stuurgroep *sg, pol_wijkgroep *wgs, size_t n_wg)
{
	size_t n = 0, cnt = 0;
	const cJSON *list;
	const pol_wijkgroep **beheert;
	pst_items it;

	if (!cJSON_IsObject(o))
		return 0;
	list = pst_get_list(c, o, "beheert", 0, POL_STRUCT_MAX_WIJKGROEPEN, &n);
	if (n == 0 && sg->id)
		pst_report(c, WARN, NULL, "stuurgroep %s manages no wijkgroep (\"beheert\" is empty or missing)",
			   pst_q(c, sg->id));
	if (!list)
		return 0;
	beheert = pst_array(c->mem, n + 1, sizeof *beheert);
	if (!beheert) {
		pst_oom(c);
		return -1;
	}
	for (pst_items_start(c, &it, list, n, "beheert"); pst_items_next(c, &it);) {
		pol_wijkgroep *wg = beheert_item(c, it.v, wgs, n_wg, sg);

		if (wg) {
			wg->stuurgroep = sg;
			beheert[cnt++] = wg;
		}
	}
	sg->beheert = beheert;
	sg->n_beheert = cnt;
	return 0;
}

/* Links each stuurgroep's "beheert" to the wijk's wijkgroepen. */
static void resolve_beheert(pst_ctx *c, const cJSON *sg_list, pol_wijk *w, pol_stuurgroep *sgs, pol_wijkgroep *wgs)
{
	pst_items it;

	for (pst_items_start(c, &it, sg_list, w->n_stuurgroepen, "stuurgroepen"); pst_items_next(c, &it);) {
		if (resolve_one_beheert(c, it.v, &sgs[it.i], wgs, w->n_wijkgroepen) != 0) {
			pst_items_stop(c, &it);
			break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* wijken */

static const char *const wijk_keys[] = { "id", "naam", "regiegroep", "spelregels", "wijkgroepen",
					 "stuurgroepen", NULL };

static void parse_spelregels(pst_ctx *c, const cJSON *o, pol_wijk *w)
{
	const cJSON *sp = pst_field_of(o, "spelregels");
	const char *s;
	size_t n;

	if (!sp)
		return;
	if (!cJSON_IsString(sp) || !sp->valuestring) {
		pst_report(c, ERR, "spelregels", "must be a string, not %s", pst_type_name(sp));
		return;
	}
	s = sp->valuestring;
	n = strlen(s);
	pst_trim(&s, &n);
	if (n == 0)
		pst_report(c, ERR, "spelregels", "is empty; leave the key out to use the bot's default spelregels");
	else if (n > POL_STRUCT_MAX_SPELREGELS)
		pst_report(c, ERR, "spelregels", "is %zu bytes long; at most %d", n, POL_STRUCT_MAX_SPELREGELS);
	else if (pst_check_text(s, n, PST_TEXT_PARAGRAPHS) != POL_UTF8_OK)
		pst_report(c, ERR, "spelregels", "is not valid UTF-8 text or contains control characters");
	else if (!(w->spelregels = pst_strndup(c->mem, s, n)))
		pst_oom(c);
}

static void parse_wijk(pst_ctx *c, const cJSON *o, pol_wijk *w)
{
	size_t n_wg = 0, n_sg = 0;
	const cJSON *wg_list, *sg_list;
	pol_wijkgroep *wgs = NULL;
	pol_stuurgroep *sgs = NULL;
	pst_items it;

	if (pst_check_object(c, o, wijk_keys, "a wijk") != 0)
		return;
	pst_get_id(c, o, "id", &w->id);
	pst_get_name(c, o, "naam", 1, &w->naam);
	pst_get_bool(c, o, "regiegroep", 0, &w->regiegroep);
	parse_spelregels(c, o, w);

	wg_list = pst_get_list(c, o, "wijkgroepen", 1, POL_STRUCT_MAX_WIJKGROEPEN, &n_wg);
	if (wg_list && n_wg == 0)
		pst_report(c, ERR, "wijkgroepen", "a wijk needs at least one wijkgroep");
	wgs = pst_array(c->mem, n_wg + 1, sizeof *wgs);
	sg_list = pst_get_list(c, o, "stuurgroepen", 1, POL_STRUCT_MAX_STUURGROEPEN, &n_sg);
	sgs = pst_array(c->mem, n_sg + 1, sizeof *sgs);
	if (!wgs || !sgs) {
		pst_oom(c);
		return;
	}
	w->wijkgroepen = wgs;
	w->n_wijkgroepen = n_wg;
	w->stuurgroepen = sgs;
	w->n_stuurgroepen = n_sg;

	for (pst_items_start(c, &it, wg_list, n_wg, "wijkgroepen"); pst_items_next(c, &it);)
		parse_wijkgroep(c, it.v, &wgs[it.i], w);
	for (pst_items_start(c, &it, sg_list, n_sg, "stuurgroepen"); pst_items_next(c, &it);)
		parse_stuurgroep(c, it.v, &sgs[it.i], w);
	if (sg_list)
		resolve_beheert(c, sg_list, w, sgs, wgs);
	for (pst_items_start(c, &it, wg_list, n_wg, "wijkgroepen"); pst_items_next(c, &it);)
		if (cJSON_IsObject(it.v))
			resolve_opvolgers(c, it.v, &wgs[it.i], w);
	for (pst_items_start(c, &it, wg_list, n_wg, "wijkgroepen"); pst_items_next(c, &it);)
		if (!wgs[it.i].stuurgroep && wgs[it.i].id)
			pst_report(c, ERR, NULL, "wijkgroep %s is managed by no stuurgroep: put its id in the \"beheert\" list of one stuurgroep",
				   pst_q(c, wgs[it.i].id));
}

/* ------------------------------------------------------------------ */
/* the gemeentelijke regiegroep and politie */

static const char *const gem_keys[] = { "naam", "afgevaardigden", NULL };

static void parse_gem(pst_ctx *c, pol_structure *s, const cJSON *o)
{
	size_t mark = pst_path_push(c, "gemeentelijke_regiegroep"), i;
	pol_gem_regiegroep *g;
	const char **aa = NULL;
	const cJSON *list, *v;

	g = pst_alloc(c->mem, sizeof *g);
	if (!g) {
		pst_oom(c);
		goto cleanup;
	}
	s->gem = g;
	if (pst_check_object(c, o, gem_keys, "the gemeentelijke regiegroep") != 0)
		goto cleanup;
	if (pst_get_name(c, o, "naam", 0, &g->naam) == GOT_NONE && s->gemeente) {
		static const char prefix[] = "Gemeentelijke regiegroep ";
		size_t n = strlen(prefix) + strlen(s->gemeente);
		pol_buf name;
		char *nm = pst_alloc(c->mem, n + 1);

		if (!nm) {
			pst_oom(c);
			goto cleanup;
		}
		pol_buf_init(&name, nm, n + 1);
		pol_buf_add(&name, prefix);
		pol_buf_add(&name, s->gemeente);
		g->naam = nm;
	}
	if (pst_get_users(c, o, "afgevaardigden", 1, POL_STRUCT_MAX_USERS, "afgevaardigde", &aa,
			  &g->n_afgevaardigden) == GOT_OK && g->n_afgevaardigden == 0 &&
	    cJSON_GetArraySize(pst_field_of(o, "afgevaardigden")) == 0)
		pst_report(c, ERR, "afgevaardigden", "the gemeentelijke regiegroep needs at least one afgevaardigde");
	g->afgevaardigden = aa;
	/* Delegates come from the regiegroepen: each must sit in a stuurgroep.
	 * Walk the JSON list again for the index (the model's list is sorted). */
	i = 0;
	list = g->n_afgevaardigden ? pst_field_of(o, "afgevaardigden") : NULL;
	cJSON_ArrayForEach(v, list) {
		if (i >= POL_STRUCT_MAX_USERS)
			break;
		if (cJSON_IsString(v) && v->valuestring && !pst_user_id_problem(v->valuestring) &&
		    !pst_is_stuurgroep_member(s, v->valuestring)) {
			size_t m2 = pst_path_push(c, "afgevaardigden");

			pst_path_index(c, i);
			pst_report(c, ERR, NULL, "afgevaardigde %s is not a member of any stuurgroep",
				   pst_q(c, v->valuestring));
			pst_path_pop(c, m2);
		}
		i++;
	}
cleanup:
	pst_path_pop(c, mark);
}

static const char *const politie_keys[] = { "gebruiker", "naam", "kamers", NULL };

/* What key names, for politie.kamers: NULL when acceptable, else why not. */
static const char *kamer_problem(const pol_structure *s, const char *key, char *why, size_t size)
{
	const char *colon = strchr(key, ':');
	const char *kind_end = colon ? colon : key + strlen(key);
	size_t kind_len = (size_t)(kind_end - key);
	const char *id = colon ? colon + 1 : "";
	size_t len = 0;

	why[0] = '\0';
	if (kind_len == 10 && strncmp(key, "stuurgroep", 10) == 0 && colon) {
		if (pst_find_sg(s, id))
			return NULL;
		pst_buf_add(why, size, &len, "there is no stuurgroep with this id");
	} else if (kind_len == 10 && strncmp(key, "regiegroep", 10) == 0 && colon) {
		const pol_wijk *w = pst_find_wijk(s, id);

		if (w && w->regiegroep)
			return NULL;
		pst_buf_add(why, size, &len, w ? "this wijk has no regiegroep (\"regiegroep\": false)"
					   : "there is no wijk with this id");
	} else if (strcmp(key, "gemeentelijke_regiegroep") == 0) {
		if (s->gem)
			return NULL;
		pst_buf_add(why, size, &len, "this gemeente has no gemeentelijke_regiegroep");
	} else if (kind_len == 9 && strncmp(key, "wijkgroep", 9) == 0) {
		pst_buf_add(why, size, &len, "politie sit in stuurgroep and regiegroep rooms, not in wijkgroepen");
	} else {
		pst_buf_add(why, size, &len, "not a room politie can sit in; use \"stuurgroep:<id>\", \"regiegroep:<wijk id>\" or \"gemeentelijke_regiegroep\"");
	}
	return why;
}

/* One item of politie[].kamers: added to kamers[*kk] when it names a room
 * politie may sit in, once. */
static void take_kamer(pst_ctx *c, const pol_structure *s, const cJSON *v, const char **kamers, size_t *kk)
{
	char why[160];
	char *kc;

	if (!cJSON_IsString(v) || !v->valuestring) {
		pst_report(c, ERR, NULL, "must be a room key string such as \"stuurgroep:<id>\", not %s",
			   pst_type_name(v));
	} else if (kamer_problem(s, v->valuestring, why, sizeof why)) {
		pst_report(c, ERR, NULL, "unknown room %s: %s", pst_q(c, v->valuestring), why);
	} else if (pst_has_user(kamers, *kk, v->valuestring)) {
		pst_report(c, ERR, NULL, "room %s is listed twice", pst_q(c, v->valuestring));
	} else if ((kc = pst_strndup(c->mem, v->valuestring, strlen(v->valuestring)))) {
		kamers[(*kk)++] = kc;
	} else {
		pst_oom(c);
	}
}

/* politie[i] (the object o) into s->politie[i]. 0, or -1 when out of
 * memory. */
static int parse_one_politie(pst_ctx *c, pol_structure *s, const cJSON *o, size_t i)
{
	pol_politie *p = &s->politie[i];
	const cJSON *u, *kl;
	const char **kamers;
	size_t j, nk, kk = 0;
	pst_items it;

	if (pst_check_object(c, o, politie_keys, "a politie account") != 0)
		return 0;
	u = pst_field_of(o, "gebruiker");
	if (!u)
		pst_report(c, ERR, "gebruiker", "missing: the Matrix user id of this account");
	else
		pst_take_user(c, u, "gebruiker", "gebruiker", &p->gebruiker);
	pst_get_name(c, o, "naam", 1, &p->naam);
	for (j = 0; j < i && p->gebruiker; j++)
		if (s->politie[j].gebruiker && strcmp(s->politie[j].gebruiker, p->gebruiker) == 0)
			pst_report(c, ERR, "gebruiker", "%s is listed twice under politie", pst_q(c, p->gebruiker));
	kl = pst_get_list(c, o, "kamers", 0, POL_STRUCT_MAX_KAMERS, &nk);
	kamers = pst_array(c->mem, nk + 1, sizeof *kamers);
	if (!kamers) {
		pst_oom(c);
		return -1;
	}
	for (pst_items_start(c, &it, kl, nk, "kamers"); pst_items_next(c, &it);)
		take_kamer(c, s, it.v, kamers, &kk);
	p->kamers = kamers;
	p->n_kamers = kk;
	if (p->gebruiker && kk == 0 && nk == 0)
		pst_report(c, WARN, "kamers", "politie account %s sits in no room, so it cannot post anything",
			   pst_q(c, p->gebruiker));
	if (p->gebruiker && pst_is_stuurgroep_member(s, p->gebruiker))
		pst_report(c, WARN, "gebruiker", "%s is both politie and a stuurgroep member", pst_q(c, p->gebruiker));
	return 0;
}

static void parse_politie(pst_ctx *c, pol_structure *s, const cJSON *list, size_t n)
{
	pst_items it;

	s->politie = pst_array(c->mem, n + 1, sizeof *s->politie);
	if (!s->politie) {
		size_t mark = pst_path_push(c, "politie");

		pst_oom(c);
		pst_path_pop(c, mark);
		return;
	}
	s->n_politie = n;
	for (pst_items_start(c, &it, list, n, "politie"); pst_items_next(c, &it);) {
		if (parse_one_politie(c, s, it.v, it.i) != 0) {
			pst_items_stop(c, &it);
			break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* the parser proper */

static const char *const root_keys[] = { "versie", "gemeente", "wijken", "gemeentelijke_regiegroep",
					 "politie", "operators", NULL };

static void parse_root(pst_ctx *c, pol_structure *s, const cJSON *root)
{
	size_t n, total_wg = 0, total_sg = 0;
	const cJSON *list, *v;
	const char **ops = NULL;
	pst_items it;

	if (pst_check_object(c, root, root_keys, "the structure file") != 0)
		return;
	v = pst_field_of(root, "versie");
	if (v && (!cJSON_IsNumber(v) || v->valuedouble != 1.0))
		pst_report(c, ERR, "versie", "unsupported: this bot reads versie 1");
	pst_get_name(c, root, "gemeente", 1, &s->gemeente);

	list = pst_get_list(c, root, "wijken", 1, POL_STRUCT_MAX_WIJKEN, &n);
	if (list && n == 0)
		pst_report(c, ERR, "wijken", "a gemeente needs at least one wijk");
	s->wijken = pst_array(c->mem, n + 1, sizeof *s->wijken);
	if (!s->wijken) {
		pst_oom(c);
		return;
	}
	s->n_wijken = n;
	for (pst_items_start(c, &it, list, n, "wijken"); pst_items_next(c, &it);) {
		parse_wijk(c, it.v, &s->wijken[it.i]);
		total_wg += s->wijken[it.i].n_wijkgroepen;
		total_sg += s->wijken[it.i].n_stuurgroepen;
	}
	if (total_wg > POL_STRUCT_MAX_WIJKGROEPEN_TOTAL)
		pst_report(c, ERR, "wijken", "%zu wijkgroepen in total; at most %d", total_wg,
			   POL_STRUCT_MAX_WIJKGROEPEN_TOTAL);
	else if (total_sg > POL_STRUCT_MAX_STUURGROEPEN_TOTAL)
		pst_report(c, ERR, "wijken", "%zu stuurgroepen in total; at most %d", total_sg,
			   POL_STRUCT_MAX_STUURGROEPEN_TOTAL);
	else {
		pst_check_unique(c, s);
		pst_check_buurten(c, s);
	}

	if (pst_get_users(c, root, "operators", 0, POL_STRUCT_MAX_USERS, "operator", &ops,
			  &s->n_operators) == GOT_OK)
		s->operators = ops;

	v = pst_field_of(root, "gemeentelijke_regiegroep");
	if (v && !cJSON_IsNull(v))
		parse_gem(c, s, v);

	list = pst_get_list(c, root, "politie", 0, POL_STRUCT_MAX_USERS, &n);
	if (list)
		parse_politie(c, s, list, n);

	pst_warnings(c, s);
}

/* Reports where the JSON text[0..len) stops being JSON (end, as cJSON
 * left it), as line, column and byte. */
static void report_bad_json(pst_ctx *c, const char *text, size_t len, const char *end)
{
	size_t pos = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
	size_t line = 1, col = 1, i;

	for (i = 0; i < pos; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (len == 0)
		pst_report(c, ERR, NULL, "the file is empty; it must hold one JSON object");
	else
		pst_report(c, ERR, NULL, "invalid JSON at line %zu, column %zu (byte %zu)", line, col, pos);
}

/* The one JSON value in json[0..len) (nothing but space after it): 0 and
 * *root, which points into *text; both are the caller's to free, *text
 * also on failure. Else a negative pol_structure_status, reported. */
static int read_json(pst_ctx *c, const char *json, size_t len, char **text, cJSON **root)
{
	const char *end, *p;

	if (len > POL_STRUCT_MAX_BYTES) {
		pst_report(c, ERR, NULL, "the file is %zu bytes; at most %d are allowed", len, POL_STRUCT_MAX_BYTES);
		return POL_STRUCT_EINVAL;
	}
	if (len > 0 && (p = memchr(json, '\0', len))) {
		pst_report(c, ERR, NULL, "the file contains a NUL byte at offset %zu; it is not JSON text",
			   (size_t)(p - json));
		return POL_STRUCT_EINVAL;
	}
	/* A terminated copy: cJSON then never looks past the caller's bytes. */
	*text = malloc(len + 1);
	if (!*text) {
		pst_oom(c);
		return POL_STRUCT_ENOMEM;
	}
	if (len)
		memcpy(*text, json, len);
	(*text)[len] = '\0';
	end = *text;
	*root = cJSON_ParseWithLengthOpts(*text, len + 1, &end, 0);
	if (*root) {
		/* cJSON stops after the first value; anything but space after it is an error. */
		for (p = end; p < *text + len && pst_is_space(*p); p++)
			;
		if (p < *text + len) {
			cJSON_Delete(*root);
			*root = NULL;
			end = p;
		}
	}
	if (!*root) {
		report_bad_json(c, *text, len, end);
		return POL_STRUCT_EINVAL;
	}
	return POL_STRUCT_OK;
}

int pol_structure_parse(pol_structure **out, const char *json, size_t len, pol_problems *problems)
{
	pol_problems local;
	pst_ctx *c = NULL;
	cJSON *root = NULL;
	pol_structure *s = NULL;
	char *text = NULL;
	size_t errors_before;
	int rc = POL_STRUCT_ENOMEM;

	*out = NULL;
	pol_problems_init(&local);
	if (!problems)
		problems = &local;
	errors_before = problems->n_errors;

	c = calloc(1, sizeof *c);
	s = calloc(1, sizeof *s);
	if (!c || !s) {
		pol_problems_add(problems, ERR, "(file)", "out of memory");
		goto cleanup;
	}
	c->pr = problems;
	c->mem = &s->mem;

	rc = read_json(c, json, json ? len : 0, &text, &root);
	if (rc != POL_STRUCT_OK)
		goto cleanup;
	parse_root(c, s, root);
	rc = POL_STRUCT_ENOMEM;
	if (c->oom)
		goto cleanup;
	rc = POL_STRUCT_EINVAL;
	if (problems->n_errors != errors_before)
		goto cleanup;
	if (pst_build_rooms(s) != 0) {
		pst_oom(c);
		rc = POL_STRUCT_ENOMEM;
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = POL_STRUCT_OK;
cleanup:
	cJSON_Delete(root);
	free(text);
	free(c);
	pol_structure_free(s);
	pol_problems_free(&local);
	return rc;
}
