/* pol_structure_check.c: the checks over the whole gemeente once every wijk
 * is parsed: ids and names that must be unique, buurten and postcodes that
 * must point to one wijkgroep, and the warnings on an accepted file. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "pol_structure.h"
#include "pol_structure_int.h"

/* ------------------------------------------------------------------ */
/* unique ids and names */

static void unique_wijken(pst_ctx *c, const pol_structure *s)
{
	char pa[96], pb[96];
	size_t w1, w2;

	for (w1 = 0; w1 < s->n_wijken; w1++) {
		for (w2 = 0; w2 < w1; w2++) {
			const pol_wijk *a = &s->wijken[w1], *b = &s->wijken[w2];

			if (a->id && b->id && strcmp(a->id, b->id) == 0)
				pst_report_at(c, ERR, pst_item_path(pa, sizeof pa, w1, NULL, 0),
					      "duplicate wijk id %s: %s has it too", pst_q(c, a->id),
					      pst_item_path(pb, sizeof pb, w2, NULL, 0));
			else if (a->naam && b->naam && pst_ci_eq(a->naam, b->naam))
				pst_report_at(c, ERR, pst_item_path(pa, sizeof pa, w1, NULL, 0),
					      "duplicate wijk naam %s: %s has it too", pst_q(c, a->naam),
					      pst_item_path(pb, sizeof pb, w2, NULL, 0));
		}
	}
}

/* Why wijkgroep a cannot be next to b: a message format taking the value
 * (*val) and the path of b, or NULL when they do not clash. */
static const char *wijkgroep_clash(const pol_wijkgroep *a, const pol_wijkgroep *b, const char **val)
{
	*val = NULL;
	if (a->id && b->id && strcmp(a->id, b->id) == 0) {
		*val = a->id;
		return "duplicate wijkgroep id %s: %s has it too";
	}
	if (a->naam && b->naam && pst_ci_eq(a->naam, b->naam)) {
		*val = a->naam;
		return "duplicate wijkgroep naam %s: %s has it too (commands find wijkgroepen by naam)";
	}
	if (a->naam && b->id && pst_ci_eq(a->naam, b->id)) {
		*val = a->naam;
		return "naam %s is the id of %s; commands find wijkgroepen by id or naam, so they must differ";
	}
	if (a->id && b->naam && pst_ci_eq(a->id, b->naam)) {
		*val = a->id;
		return "id %s is the naam of %s; commands find wijkgroepen by id or naam, so they must differ";
	}
	return NULL;
}

/* Wijkgroep i of wijk w1 against every wijkgroep before it in the file. */
static void unique_wijkgroep(pst_ctx *c, const pol_structure *s, size_t w1, size_t i)
{
	const pol_wijkgroep *a = &s->wijken[w1].wijkgroepen[i];
	char pa[96], pb[96];
	size_t w2, j;

	for (w2 = 0; w2 <= w1; w2++) {
		const pol_wijk *wb = &s->wijken[w2];
		size_t lim = w2 == w1 ? i : wb->n_wijkgroepen;

		for (j = 0; j < lim; j++) {
			const char *val, *what = wijkgroep_clash(a, &wb->wijkgroepen[j], &val);

			if (!what)
				continue;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			pst_report_at(c, ERR, pst_item_path(pa, sizeof pa, w1, "wijkgroepen", i), what,
				      pst_q(c, val), pst_item_path(pb, sizeof pb, w2, "wijkgroepen", j));
#pragma GCC diagnostic pop
		}
	}
}

/* Stuurgroep i of wijk w1 against every stuurgroep before it in the file. */
static void unique_stuurgroep(pst_ctx *c, const pol_structure *s, size_t w1, size_t i)
{
	const pol_stuurgroep *a = &s->wijken[w1].stuurgroepen[i];
	char pa[96], pb[96];
	size_t w2, j;

	for (w2 = 0; w2 <= w1; w2++) {
		const pol_wijk *wb = &s->wijken[w2];
		size_t lim = w2 == w1 ? i : wb->n_stuurgroepen;

		for (j = 0; j < lim; j++) {
			const pol_stuurgroep *b = &wb->stuurgroepen[j];

			if (a->id && b->id && strcmp(a->id, b->id) == 0)
				pst_report_at(c, ERR, pst_item_path(pa, sizeof pa, w1, "stuurgroepen", i),
					      "duplicate stuurgroep id %s: %s has it too", pst_q(c, a->id),
					      pst_item_path(pb, sizeof pb, w2, "stuurgroepen", j));
		}
	}
}

/* Duplicate wijk, wijkgroep and stuurgroep ids; wijkgroep ids and names
 * share one namespace because commands find a wijkgroep by either. */
void pst_check_unique(pst_ctx *c, const pol_structure *s)
{
	size_t w, i;

	unique_wijken(c, s);
	for (w = 0; w < s->n_wijken; w++) {
		for (i = 0; i < s->wijken[w].n_wijkgroepen; i++)
			unique_wijkgroep(c, s, w, i);
		for (i = 0; i < s->wijken[w].n_stuurgroepen; i++)
			unique_stuurgroep(c, s, w, i);
	}
}

/* ------------------------------------------------------------------ */
/* buurten and postcodes */

/* Beyond this many, one more line says there are more. */
#define OVERLAPS_MAX 50

/* Where a buurt is: wijken[w].wijkgroepen[g].buurten[b]. */
typedef struct buurt_pos {
	size_t w, g, b;
} buurt_pos;

typedef struct range_ref {
	pol_postcode_range r;
	unsigned short w, g, b;
} range_ref;

static const pol_buurt *buurt_at(const pol_structure *s, buurt_pos p)
{
	return &s->wijken[p.w].wijkgroepen[p.g].buurten[p.b];
}

static int cmp_range(const void *a, const void *b)
{
	const range_ref *x = a, *y = b;

	if (x->r.lo != y->r.lo)
		return x->r.lo < y->r.lo ? -1 : 1;
	if (x->r.hi != y->r.hi)
		return x->r.hi < y->r.hi ? -1 : 1;
	return 0;
}

static int ref_before(const range_ref *x, const range_ref *y)
{
	if (x->w != y->w)
		return x->w < y->w;
	if (x->g != y->g)
		return x->g < y->g;
	return x->b < y->b;
}

static const char *buurt_path(char *buf, size_t size, size_t w, size_t g, size_t b)
{
	size_t len;

	pst_item_path(buf, size, w, "wijkgroepen", g);
	len = strlen(buf);
	pst_buf_add(buf, size, &len, ".buurten[");
	pst_buf_add_uint(buf, size, &len, b);
	pst_buf_add(buf, size, &len, "]");
	return buf;
}

static void count_buurten(const pol_structure *s, size_t *n_buurten, size_t *n_ranges)
{
	size_t w, g, b;

	*n_buurten = *n_ranges = 0;
	for (w = 0; w < s->n_wijken; w++)
		for (g = 0; g < s->wijken[w].n_wijkgroepen; g++)
			for (b = 0; b < s->wijken[w].wijkgroepen[g].n_buurten; b++) {
				(*n_buurten)++;
				*n_ranges += s->wijken[w].wijkgroepen[g].buurten[b].n_postcodes;
			}
}

/* The first buurt before x in the file with x's naam (ASCII case
 * ignored): 1 and its place in *out, or 0. Quadratic over all buurten,
 * but bounded by POL_STRUCT_MAX_BUURTEN_TOTAL. */
static int earlier_namesake(const pol_structure *s, buurt_pos x, buurt_pos *out)
{
	const char *naam = buurt_at(s, x)->naam;
	buurt_pos y;

	for (y.w = 0; y.w <= x.w; y.w++)
		for (y.g = 0; y.g < s->wijken[y.w].n_wijkgroepen; y.g++)
			for (y.b = 0; y.b < s->wijken[y.w].wijkgroepen[y.g].n_buurten; y.b++) {
				const pol_buurt *o;

				if (y.w == x.w && y.g == x.g && y.b == x.b)
					return 0;
				o = buurt_at(s, y);
				if (o->naam && pst_ci_eq(naam, o->naam)) {
					*out = y;
					return 1;
				}
			}
	return 0;
}

static void check_buurt_names(pst_ctx *c, const pol_structure *s)
{
	char pa[128], pb[128];
	buurt_pos x, y;

	for (x.w = 0; x.w < s->n_wijken; x.w++)
		for (x.g = 0; x.g < s->wijken[x.w].n_wijkgroepen; x.g++)
			for (x.b = 0; x.b < s->wijken[x.w].wijkgroepen[x.g].n_buurten; x.b++) {
				const char *naam = buurt_at(s, x)->naam;

				if (!naam || !earlier_namesake(s, x, &y))
					continue;
				if (y.w == x.w && y.g == x.g)
					pst_report_at(c, WARN, buurt_path(pa, sizeof pa, x.w, x.g, x.b),
						      "buurt %s is listed twice in this wijkgroep", pst_q(c, naam));
				else
					pst_report_at(c, ERR, buurt_path(pa, sizeof pa, x.w, x.g, x.b),
						      "buurt %s is also in %s; a buurt belongs to one wijkgroep",
						      pst_q(c, naam), buurt_path(pb, sizeof pb, y.w, y.g, y.b));
			}
}

/* Every postcode range of the gemeente with its place, n of them, in a
 * malloc'ed array the caller frees; NULL when out of memory. */
static range_ref *collect_ranges(const pol_structure *s, size_t n)
{
	range_ref *rr = malloc(n * sizeof *rr);
	size_t w, g, b, i, k = 0;

	if (!rr)
		return NULL;
	for (w = 0; w < s->n_wijken; w++)
		for (g = 0; g < s->wijken[w].n_wijkgroepen; g++)
			for (b = 0; b < s->wijken[w].wijkgroepen[g].n_buurten; b++) {
				const pol_buurt *x = &s->wijken[w].wijkgroepen[g].buurten[b];

				for (i = 0; i < x->n_postcodes && k < n; i++) {
					rr[k].r = x->postcodes[i];
					rr[k].w = (unsigned short)w;
					rr[k].g = (unsigned short)g;
					rr[k].b = (unsigned short)b;
					k++;
				}
			}
	return rr;
}

/* Reports an overlap at the range that comes later in the file. */
static void report_overlap(pst_ctx *c, const range_ref *x, const range_ref *y)
{
	char pa[128], pb[128], la[40], lb[40];

	if (ref_before(x, y)) {
		const range_ref *t = x;

		x = y;
		y = t;
	}
	pst_pc_format(la, sizeof la, x->r);
	pst_pc_format(lb, sizeof lb, y->r);
	pst_report_at(c, ERR, buurt_path(pa, sizeof pa, x->w, x->g, x->b),
		      "postcodes %s overlap %s of %s; a postcode belongs to one wijkgroep",
		      pst_q(c, la), pst_q(c, lb), buurt_path(pb, sizeof pb, y->w, y->g, y->b));
}

static void check_overlaps(pst_ctx *c, const pol_structure *s, size_t n_ranges)
{
	range_ref *rr;
	size_t i, j, k = 0;

	if (n_ranges == 0)
		return;
	rr = collect_ranges(s, n_ranges);
	if (!rr) {
		pst_oom(c);
		return;
	}
	qsort(rr, n_ranges, sizeof *rr, cmp_range);
	/* Sorted by start: every range overlapping rr[i] from the right
	 * starts before rr[i] ends. */
	for (i = 0; i < n_ranges && k < OVERLAPS_MAX; i++) {
		for (j = i + 1; j < n_ranges && rr[j].r.lo <= rr[i].r.hi && k < OVERLAPS_MAX; j++) {
			if (rr[i].w == rr[j].w && rr[i].g == rr[j].g)
				continue;   /* overlap inside one wijkgroep is harmless */
			k++;
			report_overlap(c, &rr[j], &rr[i]);
		}
	}
	if (k >= OVERLAPS_MAX)
		pst_report_at(c, ERR, "wijken", "more overlapping postcodes than listed; fix these first");
	free(rr);
}

/* Postcode ranges and buurt names must point to one wijkgroep, so that
 * sign-up finds the wijkgroep of a postcode without doubt. Checked over
 * the whole gemeente (sign-up does not know the wijk yet). */
void pst_check_buurten(pst_ctx *c, const pol_structure *s)
{
	size_t n_ranges, n_buurten;

	count_buurten(s, &n_buurten, &n_ranges);
	if (n_buurten > POL_STRUCT_MAX_BUURTEN_TOTAL) {
		pst_report_at(c, ERR, "wijken", "%zu buurten in total; at most %d", n_buurten,
			      POL_STRUCT_MAX_BUURTEN_TOTAL);
		return;
	}
	if (n_ranges > POL_STRUCT_MAX_RANGES_TOTAL) {
		pst_report_at(c, ERR, "wijken", "%zu postcode ranges in total; at most %d", n_ranges,
			      POL_STRUCT_MAX_RANGES_TOTAL);
		return;
	}
	check_buurt_names(c, s);
	check_overlaps(c, s, n_ranges);
}

/* ------------------------------------------------------------------ */
/* warnings on a file that is otherwise accepted */

/* Warns of stuurgroepen of wijk w that are not 3 to 4 members, as the
 * seed advises; returns 1 when one of their members is an afgevaardigde. */
static int warn_stuurgroepen(pst_ctx *c, const pol_structure *s, size_t w)
{
	const pol_wijk *wk = &s->wijken[w];
	int has_delegate = 0;
	char pa[96];
	size_t i, j;

	for (i = 0; i < wk->n_stuurgroepen; i++) {
		const pol_stuurgroep *sg = &wk->stuurgroepen[i];

		pst_item_path(pa, sizeof pa, w, "stuurgroepen", i);
		if (sg->leden && sg->n_leden > 0 && (sg->n_leden < 3 || sg->n_leden > 4))
			pst_report_at(c, WARN, pa, "stuurgroep %s has %zu members; the seed advises 3 to 4",
				      pst_q(c, sg->id ? sg->id : "?"), sg->n_leden);
		for (j = 0; s->gem && sg->leden && j < sg->n_leden; j++)
			if (pol_structure_is_delegate(s, sg->leden[j]))
				has_delegate = 1;
	}
	return has_delegate;
}

static void warn_wijk(pst_ctx *c, const pol_structure *s, size_t w, size_t total_wg)
{
	const pol_wijk *wk = &s->wijken[w];
	const char *naam = wk->naam ? wk->naam : "?";
	int has_delegate = warn_stuurgroepen(c, s, w);
	char pa[96];
	size_t i;

	if (wk->n_stuurgroepen > 1 && !wk->regiegroep)
		pst_report_at(c, WARN, pst_item_path(pa, sizeof pa, w, NULL, 0),
			      "wijk %s has %zu stuurgroepen but no regiegroep: they cannot pass messages to each other",
			      pst_q(c, naam), wk->n_stuurgroepen);
	if (s->gem && !has_delegate)
		pst_report_at(c, WARN, pst_item_path(pa, sizeof pa, w, NULL, 0),
			      "wijk %s has no afgevaardigde in the gemeentelijke regiegroep", pst_q(c, naam));
	for (i = 0; total_wg > 1 && i < wk->n_wijkgroepen; i++)
		if (wk->wijkgroepen[i].n_buurten == 0 && wk->wijkgroepen[i].id)
			pst_report_at(c, WARN, pst_item_path(pa, sizeof pa, w, "wijkgroepen", i),
				      "wijkgroep %s lists no buurten: sign-up cannot send residents there by postcode",
				      pst_q(c, wk->wijkgroepen[i].id));
}

void pst_warnings(pst_ctx *c, const pol_structure *s)
{
	size_t w, total_wg = 0;

	for (w = 0; w < s->n_wijken; w++)
		total_wg += s->wijken[w].n_wijkgroepen;
	for (w = 0; w < s->n_wijken; w++)
		warn_wijk(c, s, w, total_wg);
	if (s->n_operators == 0)
		pst_report_at(c, WARN, "operators", "no operators: nobody can use !herlaad or !status");
}
