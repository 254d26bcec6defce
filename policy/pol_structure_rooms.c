/* pol_structure_rooms.c: the Matrix rooms and Spaces a parsed structure
 * consists of, with the members and power levels the file gives them, and
 * the lookups of rooms by index and by key. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "pol_structure.h"
#include "pol_structure_int.h"

/* ------------------------------------------------------------------ */
/* member lists */

typedef struct mlist {
	pol_room_member *v;
	size_t n, cap;
	int oom;
} mlist;

static void ml_add(mlist *m, const char *u, int power)
{
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 16;
		pol_room_member *nv = realloc(m->v, ncap * sizeof *nv);

		if (!nv) {
			m->oom = 1;
			return;
		}
		m->v = nv;
		m->cap = ncap;
	}
	m->v[m->n].user_id = u;
	m->v[m->n].power = power;
	m->n++;
}

static int cmp_member(const void *a, const void *b)
{
	const pol_room_member *x = a, *y = b;
	int r = strcmp(x->user_id, y->user_id);

	if (r)
		return r;
	return y->power - x->power;   /* highest power first, kept by dedupe */
}

static void ml_add_police(mlist *m, const pol_structure *s, const char *key)
{
	size_t i, j;

	for (i = 0; i < s->n_politie; i++)
		for (j = 0; j < s->politie[i].n_kamers; j++)
			if (strcmp(s->politie[i].kamers[j], key) == 0)
				ml_add(m, s->politie[i].gebruiker, POL_POWER_MEMBER);
}

static void ml_add_wijk(mlist *m, const pol_wijk *w, int power)
{
	size_t i, j;

	for (i = 0; i < w->n_stuurgroepen; i++)
		for (j = 0; j < w->stuurgroepen[i].n_leden; j++)
			ml_add(m, w->stuurgroepen[i].leden[j], power);
}

static char *make_key(pst_arena *a, const char *kind, const char *id)
{
	size_t k = strlen(kind), n = id ? strlen(id) : 0;
	char *p = pst_alloc(a, k + n + 2);

	if (!p)
		return NULL;
	memcpy(p, kind, k);
	if (id) {
		p[k] = ':';
		memcpy(p + k + 1, id, n + 1);
	} else {
		p[k] = '\0';
	}
	return p;
}

/* Sorts, drops repeats (keeping the highest power) and moves m into r. */
static int room_set_members(pst_arena *a, pol_room *r, mlist *m)
{
	size_t i, k = 0;
	pol_room_member *out;

	if (m->oom)
		return -1;
	if (m->n)
		qsort(m->v, m->n, sizeof *m->v, cmp_member);
	out = pst_array(a, m->n + 1, sizeof *out);
	if (!out)
		return -1;
	for (i = 0; i < m->n; i++)
		if (k == 0 || strcmp(out[k - 1].user_id, m->v[i].user_id) != 0)
			out[k++] = m->v[i];
	r->members = out;
	r->n_members = k;
	m->n = 0;
	return 0;
}

static int cmp_room_key(const void *a, const void *b)
{
	return strcmp((*(const pol_room *const *)a)->key, (*(const pol_room *const *)b)->key);
}

/* 1 when p sits in a regiegroep or stuurgroep room of w. */
static int police_in_wijk(const pol_politie *p, const pol_wijk *w)
{
	size_t j, i;
	char key[POL_STRUCT_MAX_KEY + 1];

	for (j = 0; j < p->n_kamers; j++) {
		size_t len = 0;

		key[0] = '\0';
		pst_buf_add(key, sizeof key, &len, "regiegroep:");
		pst_buf_add(key, sizeof key, &len, w->id);
		if (strcmp(p->kamers[j], key) == 0)
			return 1;
		for (i = 0; i < w->n_stuurgroepen; i++) {
			len = 0;
			pst_buf_add(key, sizeof key, &len, "stuurgroep:");
			pst_buf_add(key, sizeof key, &len, w->stuurgroepen[i].id);
			if (strcmp(p->kamers[j], key) == 0)
				return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* building the rooms, parents before children */

typedef struct builder {
	pol_structure *s;
	mlist m;      /* members of the room being built */
	size_t k;     /* rooms built so far */
} builder;

static size_t count_rooms(const pol_structure *s)
{
	size_t n = 1, w;

	for (w = 0; w < s->n_wijken; w++)
		n += 1 + (s->wijken[w].regiegroep ? 1 : 0) + s->wijken[w].n_stuurgroepen +
		     s->wijken[w].n_wijkgroepen;
	if (s->gem)
		n++;
	return n;
}

/* The next room of s, with what every room has; the caller adds members. */
static pol_room *new_room(builder *b, pol_room_kind kind, const char *key, const char *naam,
			  const char *parent, const pol_wijk *wk)
{
	pol_room *r = &b->s->rooms[b->k++];

	r->key = key;
	r->kind = kind;
	r->naam = naam;
	r->parent = parent;
	r->wijk = wk;
	return r;
}

static int add_gemeente_space(builder *b)
{
	const pol_structure *s = b->s;
	pol_room *r = new_room(b, POL_ROOM_GEMEENTE_SPACE, "gemeente", s->gemeente, NULL, NULL);
	size_t w, i;

	for (w = 0; w < s->n_wijken; w++)
		ml_add_wijk(&b->m, &s->wijken[w], POL_POWER_MEMBER);
	for (i = 0; i < s->n_politie; i++)
		if (s->politie[i].n_kamers)
			ml_add(&b->m, s->politie[i].gebruiker, POL_POWER_MEMBER);
	return room_set_members(&b->s->mem, r, &b->m);
}

/* The wijk's Space; returns its key, NULL when out of memory. */
static const char *add_wijk_space(builder *b, const pol_wijk *wk)
{
	const pol_structure *s = b->s;
	char *key = make_key(&b->s->mem, "wijk", wk->id);
	pol_room *r;
	size_t i;

	if (!key)
		return NULL;
	r = new_room(b, POL_ROOM_WIJK_SPACE, key, wk->naam, "gemeente", wk);
	ml_add_wijk(&b->m, wk, POL_POWER_MEMBER);
	for (i = 0; i < s->n_politie; i++)
		if (police_in_wijk(&s->politie[i], wk))
			ml_add(&b->m, s->politie[i].gebruiker, POL_POWER_MEMBER);
	return room_set_members(&b->s->mem, r, &b->m) == 0 ? key : NULL;
}

static int add_regiegroep(builder *b, const pol_wijk *wk, const char *space)
{
	static const char prefix[] = "Regiegroep ";
	pst_arena *a = &b->s->mem;
	char *nm = pst_alloc(a, sizeof prefix + strlen(wk->naam));
	char *key = make_key(a, "regiegroep", wk->id);
	pol_room *r;

	if (!nm || !key)
		return -1;
	memcpy(nm, prefix, sizeof prefix - 1);
	memcpy(nm + sizeof prefix - 1, wk->naam, strlen(wk->naam) + 1);
	r = new_room(b, POL_ROOM_REGIEGROEP, key, nm, space, wk);
	/* derived: every stuurgroep member of the wijk */
	ml_add_wijk(&b->m, wk, POL_POWER_MODERATOR);
	ml_add_police(&b->m, b->s, key);
	return room_set_members(a, r, &b->m);
}

static int add_stuurgroep(builder *b, const pol_wijk *wk, const pol_stuurgroep *sg, const char *space)
{
	char *key = make_key(&b->s->mem, "stuurgroep", sg->id);
	pol_room *r;
	size_t j;

	if (!key)
		return -1;
	r = new_room(b, POL_ROOM_STUURGROEP, key, sg->naam, space, wk);
	r->stuurgroep = sg;
	for (j = 0; j < sg->n_leden; j++)
		ml_add(&b->m, sg->leden[j], POL_POWER_MODERATOR);
	ml_add_police(&b->m, b->s, key);
	return room_set_members(&b->s->mem, r, &b->m);
}

static int add_wijkgroep(builder *b, const pol_wijk *wk, const pol_wijkgroep *wg, const char *space)
{
	char *key = make_key(&b->s->mem, "wijkgroep", wg->id);
	pol_room *r;
	size_t j;

	if (!key)
		return -1;
	r = new_room(b, POL_ROOM_WIJKGROEP, key, wg->naam, space, wk);
	r->retired = wg->opgeheven;
	r->wijkgroep = wg;
	for (j = 0; j < wg->stuurgroep->n_leden; j++)
		ml_add(&b->m, wg->stuurgroep->leden[j], POL_POWER_MODERATOR);
	return room_set_members(&b->s->mem, r, &b->m);
}

/* The wijk's Space, then its regiegroep, stuurgroepen and wijkgroepen. */
static int add_wijk_rooms(builder *b, const pol_wijk *wk)
{
	const char *space = add_wijk_space(b, wk);
	size_t i;

	if (!space)
		return -1;
	if (wk->regiegroep && add_regiegroep(b, wk, space) != 0)
		return -1;
	for (i = 0; i < wk->n_stuurgroepen; i++)
		if (add_stuurgroep(b, wk, &wk->stuurgroepen[i], space) != 0)
			return -1;
	for (i = 0; i < wk->n_wijkgroepen; i++)
		if (add_wijkgroep(b, wk, &wk->wijkgroepen[i], space) != 0)
			return -1;
	return 0;
}

static int add_gem_regiegroep(builder *b)
{
	const pol_gem_regiegroep *gem = b->s->gem;
	pol_room *r = new_room(b, POL_ROOM_GEM_REGIEGROEP, "gemeentelijke_regiegroep", gem->naam,
			       "gemeente", NULL);
	size_t i;

	for (i = 0; i < gem->n_afgevaardigden; i++)
		ml_add(&b->m, gem->afgevaardigden[i], POL_POWER_MODERATOR);
	ml_add_police(&b->m, b->s, r->key);
	return room_set_members(&b->s->mem, r, &b->m);
}

int pst_build_rooms(pol_structure *s)
{
	builder b = { s, { NULL, 0, 0, 0 }, 0 };
	size_t n = count_rooms(s), w, i;
	int rc = -1;

	s->rooms = pst_array(&s->mem, n, sizeof *s->rooms);
	s->by_key = pst_array(&s->mem, n, sizeof *s->by_key);
	if (!s->rooms || !s->by_key || add_gemeente_space(&b) != 0)
		goto cleanup;
	for (w = 0; w < s->n_wijken; w++)
		if (add_wijk_rooms(&b, &s->wijken[w]) != 0)
			goto cleanup;
	if (s->gem && add_gem_regiegroep(&b) != 0)
		goto cleanup;
	s->n_rooms = b.k;
	for (i = 0; i < b.k; i++)
		s->by_key[i] = &s->rooms[i];
	qsort(s->by_key, b.k, sizeof *s->by_key, cmp_room_key);
	rc = 0;
cleanup:
	free(b.m.v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* reading the rooms */

size_t pol_structure_n_rooms(const pol_structure *s)
{
	return s ? s->n_rooms : 0;
}

const pol_room *pol_structure_room(const pol_structure *s, size_t i)
{
	return s && i < s->n_rooms ? &s->rooms[i] : NULL;
}

const pol_room *pol_structure_room_by_key(const pol_structure *s, const char *key)
{
	size_t lo = 0, hi;

	if (!s || !key)
		return NULL;
	hi = s->n_rooms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(key, s->by_key[mid]->key);

		if (r == 0)
			return s->by_key[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *pol_room_kind_name(pol_room_kind kind)
{
	switch (kind) {
	case POL_ROOM_WIJKGROEP: return "wijkgroep";
	case POL_ROOM_STUURGROEP: return "stuurgroep";
	case POL_ROOM_REGIEGROEP: return "regiegroep";
	case POL_ROOM_GEM_REGIEGROEP: return "gemeentelijke_regiegroep";
	case POL_ROOM_WIJK_SPACE: return "wijk";
	case POL_ROOM_GEMEENTE_SPACE: return "gemeente";
	case POL_ROOM_DM: return "dm";
	default: return "other";
	}
}
