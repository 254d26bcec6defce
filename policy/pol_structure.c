/* pol_structure.c: the structure model of pol_structure.h: its arena, the
 * problems list, and what the bot reads from a parsed model (lookups by id,
 * name, postcode and user). The parse is in pol_structure_parse.c. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "pol_structure.h"
#include "pol_structure_int.h"

/* ------------------------------------------------------------------ */
/* the arena */

struct pst_block {
	struct pst_block *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_BLOCK 16384

void *pst_alloc(pst_arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	unsigned char *p;

	if (n > SIZE_MAX / 4)
		return NULL;
	n = n == 0 ? align : (n + align - 1) / align * align;
	if (!a->head || a->head->size - a->head->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		pst_block *b = malloc(sizeof *b + size);

		if (!b)
			return NULL;
		b->next = a->head;
		b->used = 0;
		b->size = size;
		a->head = b;
	}
	p = (unsigned char *)a->head->data + a->head->used;
	a->head->used += n;
	memset(p, 0, n);
	return p;
}

void *pst_array(pst_arena *a, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / 4 / size)
		return NULL;
	return pst_alloc(a, count * size);
}

char *pst_strndup(pst_arena *a, const char *s, size_t n)
{
	char *p = pst_alloc(a, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void arena_free(pst_arena *a)
{
	pst_block *b = a->head;

	while (b) {
		pst_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
}

/* ------------------------------------------------------------------ */
/* problems */

void pol_problems_init(pol_problems *p)
{
	memset(p, 0, sizeof *p);
}

void pol_problems_free(pol_problems *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->items[i].path);
		free(p->items[i].message);
	}
	free(p->items);
	memset(p, 0, sizeof *p);
}

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

void pol_problems_add(pol_problems *p, pol_severity sev, const char *path, const char *msg)
{
	pol_problem *it;

	if (sev == POL_SEV_ERROR)
		p->n_errors++;
	else
		p->n_warnings++;
	if (p->n >= POL_PROBLEMS_MAX) {
		p->n_dropped++;
		return;
	}
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 16;
		pol_problem *ni = realloc(p->items, ncap * sizeof *ni);

		if (!ni) {
			p->oom = 1;
			p->n_dropped++;
			return;
		}
		p->items = ni;
		p->cap = ncap;
	}
	it = &p->items[p->n];
	it->severity = sev;
	it->path = dupstr(path);
	it->message = dupstr(msg);
	if (!it->path || !it->message) {
		free(it->path);
		free(it->message);
		p->oom = 1;
		p->n_dropped++;
		return;
	}
	p->n++;
}

/* ------------------------------------------------------------------ */
/* small string helpers */

/* ASCII case-insensitive equality of a[0..alen) and the string b. */
int pst_ci_eq_n(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || pst_lower(a[i]) != pst_lower(b[i]))
			return 0;
	return b[alen] == '\0';
}

int pst_ci_eq(const char *a, const char *b)
{
	return pst_ci_eq_n(a, strlen(a), b);
}

void pst_trim(const char **s, size_t *n)
{
	while (*n > 0 && pst_is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && pst_is_space((*s)[*n - 1]))
		(*n)--;
}

void pst_buf_add(char *buf, size_t size, size_t *len, const char *s)
{
	while (*s && *len + 1 < size)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

void pst_buf_add_uint(char *buf, size_t size, size_t *len, size_t v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof tmp);
	while (n > 0 && *len + 1 < size)
		buf[(*len)++] = tmp[--n];
	buf[*len] = '\0';
}

/* ------------------------------------------------------------------ */
/* lookups that also serve the parse (the model may be incomplete) */

int pst_has_user(const char *const *list, size_t n, const char *u)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], u) == 0)
			return 1;
	return 0;
}

int pst_is_stuurgroep_member(const pol_structure *s, const char *u)
{
	size_t w, i;

	for (w = 0; w < s->n_wijken; w++)
		for (i = 0; i < s->wijken[w].n_stuurgroepen; i++)
			if (s->wijken[w].stuurgroepen[i].leden &&
			    pol_stuurgroep_has_member(&s->wijken[w].stuurgroepen[i], u))
				return 1;
	return 0;
}

const pol_stuurgroep *pst_find_sg(const pol_structure *s, const char *id)
{
	size_t w, i;

	for (w = 0; w < s->n_wijken; w++)
		for (i = 0; i < s->wijken[w].n_stuurgroepen; i++)
			if (s->wijken[w].stuurgroepen[i].id && strcmp(s->wijken[w].stuurgroepen[i].id, id) == 0)
				return &s->wijken[w].stuurgroepen[i];
	return NULL;
}

const pol_wijk *pst_find_wijk(const pol_structure *s, const char *id)
{
	size_t w;

	for (w = 0; w < s->n_wijken; w++)
		if (s->wijken[w].id && strcmp(s->wijken[w].id, id) == 0)
			return &s->wijken[w];
	return NULL;
}

void pol_structure_free(pol_structure *s)
{
	if (!s)
		return;
	arena_free(&s->mem);
	free(s);
}

/* ------------------------------------------------------------------ */
/* reading */

const char *pol_structure_gemeente(const pol_structure *s)
{
	return s->gemeente;
}

size_t pol_structure_n_wijken(const pol_structure *s)
{
	return s->n_wijken;
}

const pol_wijk *pol_structure_wijk(const pol_structure *s, size_t i)
{
	return i < s->n_wijken ? &s->wijken[i] : NULL;
}

const pol_gem_regiegroep *pol_structure_gem_regiegroep(const pol_structure *s)
{
	return s->gem;
}

size_t pol_structure_n_politie(const pol_structure *s)
{
	return s->n_politie;
}

const pol_politie *pol_structure_politie(const pol_structure *s, size_t i)
{
	return i < s->n_politie ? &s->politie[i] : NULL;
}

size_t pol_structure_n_operators(const pol_structure *s)
{
	return s->n_operators;
}

const char *pol_structure_operator(const pol_structure *s, size_t i)
{
	return i < s->n_operators ? s->operators[i] : NULL;
}

const pol_wijkgroep *pol_structure_find_wijkgroep(const pol_structure *s, const char *text)
{
	size_t w, i, n;

	if (!s || !text)
		return NULL;
	n = strlen(text);
	pst_trim(&text, &n);
	if (n == 0)
		return NULL;
	for (w = 0; w < s->n_wijken; w++)
		for (i = 0; i < s->wijken[w].n_wijkgroepen; i++) {
			const pol_wijkgroep *wg = &s->wijken[w].wijkgroepen[i];

			if (pst_ci_eq_n(text, n, wg->id) || pst_ci_eq_n(text, n, wg->naam))
				return wg;
		}
	return NULL;
}

const pol_stuurgroep *pol_structure_find_stuurgroep(const pol_structure *s, const char *id)
{
	return s && id ? pst_find_sg(s, id) : NULL;
}

const pol_wijk *pol_structure_find_wijk(const pol_structure *s, const char *id)
{
	return s && id ? pst_find_wijk(s, id) : NULL;
}

static int buurt_meets(const pol_buurt *bu, pol_postcode_range r)
{
	size_t k;

	for (k = 0; k < bu->n_postcodes; k++)
		if (bu->postcodes[k].lo <= r.hi && bu->postcodes[k].hi >= r.lo)
			return 1;
	return 0;
}

/* The wijkgroep with postcodes in r: FOUND with *wg and *buurt (NULL when
 * r meets buurten of it), or AMBIGUOUS when r meets more than one
 * wijkgroep (a 4-digit postcode split between them), or NOT_FOUND. Only on
 * FOUND do *wg and *buurt mean anything. */
static pol_locate_status locate_postcode(const pol_structure *s, pol_postcode_range r,
					 const pol_wijkgroep **wg, const pol_buurt **buurt)
{
	int buurt_unique = 1;
	size_t w, g, b;

	*wg = NULL;
	*buurt = NULL;
	for (w = 0; w < s->n_wijken; w++)
		for (g = 0; g < s->wijken[w].n_wijkgroepen; g++) {
			const pol_wijkgroep *x = &s->wijken[w].wijkgroepen[g];

			for (b = 0; b < x->n_buurten; b++) {
				if (!buurt_meets(&x->buurten[b], r))
					continue;
				if (*wg && *wg != x)
					return POL_LOCATE_AMBIGUOUS;
				if (*buurt && *buurt != &x->buurten[b])
					buurt_unique = 0;
				*wg = x;
				*buurt = &x->buurten[b];
			}
		}
	if (!*wg)
		return POL_LOCATE_NOT_FOUND;
	if (!buurt_unique)
		*buurt = NULL;
	return POL_LOCATE_FOUND;
}

/* The first buurt in the file named text (trimmed, ASCII case ignored). */
static pol_locate_status locate_name(const pol_structure *s, const char *text,
				     const pol_wijkgroep **wg, const pol_buurt **buurt)
{
	size_t n = strlen(text), w, g, b;

	pst_trim(&text, &n);
	if (n == 0)
		return POL_LOCATE_NOT_FOUND;
	for (w = 0; w < s->n_wijken; w++)
		for (g = 0; g < s->wijken[w].n_wijkgroepen; g++) {
			const pol_wijkgroep *x = &s->wijken[w].wijkgroepen[g];

			for (b = 0; b < x->n_buurten; b++) {
				if (x->buurten[b].naam && pst_ci_eq_n(text, n, x->buurten[b].naam)) {
					*wg = x;
					*buurt = &x->buurten[b];
					return POL_LOCATE_FOUND;
				}
			}
		}
	return POL_LOCATE_NOT_FOUND;
}

pol_locate_status pol_structure_locate(const pol_structure *s, const char *text,
				       const pol_wijkgroep **wg_out, const pol_buurt **buurt_out)
{
	pol_postcode_range r;
	const pol_wijkgroep *wg = NULL;
	const pol_buurt *bu = NULL;
	pol_locate_status st;

	if (wg_out)
		*wg_out = NULL;
	if (buurt_out)
		*buurt_out = NULL;
	if (!s || !text)
		return POL_LOCATE_NOT_FOUND;
	if (pol_postcode_parse(text, &r) == 0)
		st = locate_postcode(s, r, &wg, &bu);
	else
		st = locate_name(s, text, &wg, &bu);
	if (st != POL_LOCATE_FOUND)
		return st;
	if (wg_out)
		*wg_out = wg;
	if (buurt_out)
		*buurt_out = bu;
	return st;
}

int pol_stuurgroep_has_member(const pol_stuurgroep *sg, const char *u)
{
	return sg && u && pst_has_user(sg->leden, sg->n_leden, u);
}

int pol_stuurgroep_manages(const pol_stuurgroep *sg, const pol_wijkgroep *wg)
{
	return sg && wg && wg->stuurgroep == sg;
}

size_t pol_structure_stuurgroepen_of(const pol_structure *s, const char *u,
				     const pol_stuurgroep **out, size_t max)
{
	size_t w, i, k = 0;

	if (!s || !u)
		return 0;
	for (w = 0; w < s->n_wijken; w++)
		for (i = 0; i < s->wijken[w].n_stuurgroepen; i++)
			if (pol_stuurgroep_has_member(&s->wijken[w].stuurgroepen[i], u)) {
				if (out && k < max)
					out[k] = &s->wijken[w].stuurgroepen[i];
				k++;
			}
	return k;
}

int pol_wijk_in_regiegroep(const pol_wijk *w, const char *u)
{
	size_t i;

	if (!w || !u || !w->regiegroep)
		return 0;
	for (i = 0; i < w->n_stuurgroepen; i++)
		if (pol_stuurgroep_has_member(&w->stuurgroepen[i], u))
			return 1;
	return 0;
}

int pol_structure_is_delegate(const pol_structure *s, const char *u)
{
	return s && u && s->gem && pst_has_user(s->gem->afgevaardigden, s->gem->n_afgevaardigden, u);
}

int pol_structure_is_operator(const pol_structure *s, const char *u)
{
	return s && u && pst_has_user(s->operators, s->n_operators, u);
}

const pol_politie *pol_structure_find_politie(const pol_structure *s, const char *u)
{
	size_t i;

	if (!s || !u)
		return NULL;
	for (i = 0; i < s->n_politie; i++)
		if (strcmp(s->politie[i].gebruiker, u) == 0)
			return &s->politie[i];
	return NULL;
}

int pol_wijkgroep_active(const pol_wijkgroep *wg)
{
	return wg && !wg->opgeheven;
}

int pol_structure_names(const pol_structure *s, const char *u)
{
	return pst_is_stuurgroep_member(s, u) || pol_structure_find_politie(s, u) || pol_structure_is_operator(s, u) ||
	       pol_structure_is_delegate(s, u);
}
