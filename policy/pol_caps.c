/* pol_caps.c: cap arithmetic and the split proposal (rule in pol_caps.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pol_caps.h"

size_t pol_caps_count(const pol_member_state *m, size_t n, const char *bot_user_id)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++) {
		if (m[i].membership != POL_MEMBERSHIP_JOIN && m[i].membership != POL_MEMBERSHIP_INVITE)
			continue;
		if (bot_user_id && m[i].user_id && strcmp(m[i].user_id, bot_user_id) == 0)
			continue;
		count++;
	}
	return count;
}

int pol_caps_can_admit(size_t count, unsigned cap, size_t n_more)
{
	return count <= cap && n_more <= (size_t)cap - count;
}

size_t pol_caps_excess(size_t count, unsigned cap)
{
	return count > cap ? count - cap : 0;
}

int pol_caps_crossed(size_t before, size_t after, unsigned threshold)
{
	return before <= threshold && after > threshold;
}

int pol_caps_growth_notice(size_t count, unsigned threshold, int *notified)
{
	size_t margin = threshold / 10 ? threshold / 10 : 1;

	if (*notified) {
		if (count + margin <= threshold)
			*notified = 0;   /* re-armed for a later crossing */
		return 0;
	}
	if (count > threshold) {
		*notified = 1;
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* split */

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void trimmed(const char *s, const char **start, size_t *len)
{
	size_t n = strlen(s);

	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	*start = s;
	*len = n;
}

/* Case-insensitive compare of two trimmed strings, for name order. */
static int ci_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	for (i = 0; i < an && i < bn; i++) {
		char x = lower(a[i]), y = lower(b[i]);

		if (x != y)
			return (unsigned char)x < (unsigned char)y ? -1 : 1;
	}
	return an < bn ? -1 : an > bn ? 1 : 0;
}

typedef struct bucket {
	const char *label;    /* as given (first seen), borrowed */
	const char *key;      /* trimmed start */
	size_t key_len;
	size_t count;
	int group;            /* index into work groups */
} bucket;

typedef struct wgroup {
	size_t count;
	size_t first;         /* bucket with the smallest name: the tie breaker */
	int alive;
} wgroup;

/* Finds (or adds, when add) the bucket of a label. Open addressing over
 * nb entries in a table of cap slots. Returns the index or -1. */
static long find_bucket(bucket *b, size_t *nb, long *slots, size_t cap, const char *label, int add)
{
	const char *k;
	size_t kl, i, h = 2166136261u;

	trimmed(label, &k, &kl);
	if (kl == 0)
		return -1;
	for (i = 0; i < kl; i++)
		h = (h ^ (unsigned char)lower(k[i])) * 16777619u;
	for (i = h % cap;; i = (i + 1) % cap) {
		long idx = slots[i];

		if (idx < 0) {
			if (!add)
				return -1;
			idx = (long)*nb;
			b[idx].label = label;
			b[idx].key = k;
			b[idx].key_len = kl;
			b[idx].count = 0;
			b[idx].group = (int)idx;
			slots[i] = idx;
			(*nb)++;
			return idx;
		}
		if (ci_cmp(b[idx].key, b[idx].key_len, k, kl) == 0)
			return idx;
	}
}

typedef struct nameref {
	const char *key;
	size_t key_len;
	size_t idx;
} nameref;

static int cmp_nameref(const void *x, const void *y)
{
	const nameref *a = x, *b = y;

	return ci_cmp(a->key, a->key_len, b->key, b->key_len);
}

/* 1 when group i is smaller than group j: fewer members, or as many and
 * a first buurt earlier in name order. */
static int smaller(const wgroup *g, const size_t *rank, size_t i, size_t j)
{
	return g[i].count < g[j].count || (g[i].count == g[j].count && rank[g[i].first] < rank[g[j].first]);
}

/* The two smallest live groups (by count, then first name rank). */
static int two_smallest(const wgroup *g, size_t ng, const size_t *rank, size_t *a, size_t *b)
{
	size_t i;
	int have_a = 0, have_b = 0;

	for (i = 0; i < ng; i++) {
		if (!g[i].alive)
			continue;
		if (!have_a || smaller(g, rank, i, *a)) {
			if (have_a) {
				*b = *a;
				have_b = 1;
			}
			*a = i;
			have_a = 1;
		} else if (!have_b || smaller(g, rank, i, *b)) {
			*b = i;
			have_b = 1;
		}
	}
	return have_a && have_b;
}

static void slug_add(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	size_t i;
	int dash = *len > 0 && out[*len - 1] == '-';

	for (i = 0; i < n && *len + 1 < size; i++) {
		char c = lower(s[i]);

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			out[(*len)++] = c;
			dash = 0;
		} else if (!dash && *len > 0) {
			out[(*len)++] = '-';
			dash = 1;
		}
	}
	out[*len] = '\0';
}

static void text_add(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && *len + 1 < size; i++)
		out[(*len)++] = s[i];
	out[*len] = '\0';
}

/* Fills id and naam of group g from its buurten (in name order). */
static void name_group(pol_split_group *g, const char *base_id, const bucket *first)
{
	size_t len = 0, i;

	g->id[0] = '\0';
	if (base_id)
		slug_add(g->id, sizeof g->id, &len, base_id, strlen(base_id));
	if (len > 0)
		slug_add(g->id, sizeof g->id, &len, "-", 1);
	slug_add(g->id, sizeof g->id, &len, first->key, first->key_len);
	while (len > 0 && g->id[len - 1] == '-')
		g->id[--len] = '\0';

	len = 0;
	g->naam[0] = '\0';
	for (i = 0; i < g->n_buurten; i++) {
		const char *k;
		size_t kl;

		const char *sep = i == 0 ? "" : i + 1 == g->n_buurten ? " en " : ", ";

		trimmed(g->buurten[i], &k, &kl);
		/* No half names: cut at a whole buurt, keeping room for "...". */
		if (len + strlen(sep) + kl + 4 > sizeof g->naam) {
			text_add(g->naam, sizeof g->naam, &len, "...", 3);
			break;
		}
		text_add(g->naam, sizeof g->naam, &len, sep, strlen(sep));
		text_add(g->naam, sizeof g->naam, &len, k, kl);
	}
}

static int id_taken(const pol_split_group *g, size_t n, const char *id)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (strcmp(g[j].id, id) == 0)
			return 1;
	return 0;
}

/* Makes group ids unique: a repeat gets "-2", "-3", ... (cutting the id
 * to make room when it is at its maximum length). */
static void unique_ids(pol_split_group *g, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		char base[POL_SPLIT_ID_MAX + 1];
		unsigned suffix = 2;

		if (!id_taken(g, i, g[i].id))
			continue;
		memcpy(base, g[i].id, sizeof base);
		do {
			char num[12];
			size_t nl = 0, len = strlen(base);
			unsigned v = suffix++;

			do {
				num[nl++] = (char)('0' + v % 10);
				v /= 10;
			} while (v);
			if (len + nl + 1 > POL_SPLIT_ID_MAX)
				len = POL_SPLIT_ID_MAX - nl - 1;
			memcpy(g[i].id, base, len);
			g[i].id[len++] = '-';
			while (nl)
				g[i].id[len++] = num[--nl];
			g[i].id[len] = '\0';
		} while (id_taken(g, i, g[i].id));
	}
}

void pol_split_free(pol_split_proposal *p)
{
	free(p);   /* one block, see pol_split_propose */
}

/* Merges group from into group into. */
static void merge(wgroup *g, bucket *b, size_t nb, const size_t *rank, size_t from, size_t into)
{
	size_t i;

	g[into].count += g[from].count;
	if (rank[g[from].first] < rank[g[into].first])
		g[into].first = g[from].first;
	g[from].alive = 0;
	for (i = 0; i < nb; i++)
		if (b[i].group == (int)from)
			b[i].group = (int)into;
}

/* What pol_split_propose works on, step by step; every array is owned
 * and freed by free_work. */
typedef struct split_work {
	const pol_split_params *pp;
	unsigned min, cap;
	size_t n_list;          /* listed buurten (pp->buurten) */
	bucket *b;              /* one per buurt */
	size_t nb, nb_max;
	long *slots;            /* hash table over b */
	size_t n_slots;
	long *member_bucket;    /* per member: index into b, or -1 */
	nameref *names;         /* the buckets in name order */
	size_t *rank;           /* per bucket: its place in name order */
	wgroup *g;              /* per bucket at first; merged ones die */
	size_t live;            /* groups alive */
	size_t *live_idx;       /* the live groups, biggest first */
	size_t ng;
	long *out_of_group;     /* per work group: index into the proposal, or -1 */
} split_work;

static void free_work(split_work *w)
{
	free(w->b);
	free(w->slots);
	free(w->member_bucket);
	free(w->names);
	free(w->rank);
	free(w->g);
	free(w->live_idx);
	free(w->out_of_group);
}

/* The bucket of label, added when add (and room is left). Sets *idx
 * (-1 for an empty label, or an unknown one when not add); 0, or -1 when
 * there are more buurten than nb_max. */
static int bucket_of(split_work *w, const char *label, int add, long *idx)
{
	*idx = find_bucket(w->b, &w->nb, w->slots, w->n_slots, label, 0);
	if (*idx >= 0 || !add)
		return 0;
	if (w->nb >= w->nb_max)
		return -1;
	*idx = find_bucket(w->b, &w->nb, w->slots, w->n_slots, label, 1);
	return 0;
}

/* Step 1: a bucket per buurt, the listed ones first, then those members
 * name (only without a list), with their member counts. 0, -1 (too many
 * buurten) or -2 (out of memory). */
static int collect_buckets(split_work *w, const pol_split_member *m, size_t n)
{
	size_t i;
	long idx;

	w->nb_max = n + w->n_list < POL_SPLIT_MAX_BUURTEN ? n + w->n_list : POL_SPLIT_MAX_BUURTEN;
	w->n_slots = 2 * w->nb_max + 1;
	w->b = calloc(w->nb_max + 1, sizeof *w->b);
	w->slots = malloc(w->n_slots * sizeof *w->slots);
	w->member_bucket = malloc((n + 1) * sizeof *w->member_bucket);
	if (!w->b || !w->slots || !w->member_bucket)
		return -2;
	for (i = 0; i < w->n_slots; i++)
		w->slots[i] = -1;
	for (i = 0; i < w->n_list; i++) {
		if (!w->pp->buurten[i])
			continue;
		if (w->nb >= w->nb_max)
			return -1;
		find_bucket(w->b, &w->nb, w->slots, w->n_slots, w->pp->buurten[i], 1);
	}
	for (i = 0; i < n; i++) {
		idx = -1;
		if (m[i].buurt && bucket_of(w, m[i].buurt, !w->pp->buurten, &idx) != 0)
			return -1;
		w->member_bucket[i] = idx;
		if (idx >= 0)
			w->b[idx].count++;
	}
	return 0;
}

/* Step 2: ranks by name, for ties and for the order inside a group, and
 * one work group per bucket. 0 or -2 (out of memory). */
static int rank_buckets(split_work *w)
{
	size_t i, nb = w->nb;

	w->names = malloc((nb + 1) * sizeof *w->names);
	w->rank = malloc((nb + 1) * sizeof *w->rank);
	w->g = calloc(nb + 1, sizeof *w->g);
	w->live_idx = malloc((nb + 1) * sizeof *w->live_idx);
	w->out_of_group = malloc((nb + 1) * sizeof *w->out_of_group);
	if (!w->names || !w->rank || !w->g || !w->live_idx || !w->out_of_group)
		return -2;
	for (i = 0; i < nb; i++) {
		w->names[i].key = w->b[i].key;
		w->names[i].key_len = w->b[i].key_len;
		w->names[i].idx = i;
	}
	qsort(w->names, nb, sizeof *w->names, cmp_nameref);
	for (i = 0; i < nb; i++) {
		w->rank[w->names[i].idx] = i;
		w->g[i].count = w->b[i].count;
		w->g[i].first = i;
		w->g[i].alive = 1;
	}
	w->live = nb;
	return 0;
}

static void merge_groups(split_work *w, size_t from, size_t into)
{
	merge(w->g, w->b, w->nb, w->rank, from, into);
	w->live--;
}

/* Step 3: small buurten (fewer than min) are packed together in name
 * order until a group has min (never past the cap). Big buurten stay on
 * their own. Returns the group still being packed, or SIZE_MAX. */
static size_t pack_small(split_work *w)
{
	size_t cur = SIZE_MAX, j;

	for (j = 0; j < w->nb; j++) {
		size_t bi = w->names[j].idx;

		if (w->g[bi].count >= w->min)
			continue;
		if (cur == SIZE_MAX || w->g[cur].count + w->g[bi].count > w->cap)
			cur = bi;
		else
			merge_groups(w, bi, cur);
		if (w->g[cur].count >= w->min)
			cur = SIZE_MAX;
	}
	return cur;
}

/* A group still short (cur) joins the smallest other group when the two
 * stay modest (at most twice min, within the cap); next to a big buurt it
 * stays on its own rather than swell it. */
static void join_short(split_work *w, size_t cur)
{
	size_t other = SIZE_MAX, i, sum;

	if (cur == SIZE_MAX || w->g[cur].count >= w->min)
		return;
	for (i = 0; i < w->nb; i++)
		if (w->g[i].alive && i != cur && (other == SIZE_MAX || smaller(w->g, w->rank, i, other)))
			other = i;
	if (other == SIZE_MAX)
		return;
	sum = w->g[cur].count + w->g[other].count;
	if (sum <= 2 * (size_t)w->min && sum <= w->cap)
		merge_groups(w, cur, other);
}

/* Step 4: too many groups: merge the smallest into the next smallest. */
static void limit_groups(split_work *w)
{
	while (w->pp->max_groups && w->live > w->pp->max_groups) {
		size_t sa = 0, sb = 0;

		if (!two_smallest(w->g, w->nb, w->rank, &sa, &sb) || w->g[sa].count + w->g[sb].count > w->cap)
			break;
		merge_groups(w, sa, sb);
	}
}

/* 1 when group u comes before group v in the proposal: bigger, or as big
 * and first in name order. */
static int shown_before(const split_work *w, size_t u, size_t v)
{
	return w->g[u].count > w->g[v].count ||
	       (w->g[u].count == w->g[v].count && w->rank[w->g[u].first] < w->rank[w->g[v].first]);
}

/* Step 5: the live groups, biggest first, then by name. */
static void order_groups(split_work *w)
{
	size_t i, j;

	w->ng = 0;
	for (i = 0; i < w->nb; i++)
		if (w->g[i].alive)
			w->live_idx[w->ng++] = i;
	for (i = 1; i < w->ng; i++) {
		size_t v = w->live_idx[i];

		for (j = i; j > 0 && !shown_before(w, w->live_idx[j - 1], v); j--)
			w->live_idx[j] = w->live_idx[j - 1];
		w->live_idx[j] = v;
	}
	for (i = 0; i < w->nb; i++)
		w->out_of_group[i] = -1;
	for (i = 0; i < w->ng; i++)
		w->out_of_group[w->live_idx[i]] = (long)i;
}

/* One zeroed block: the proposal, its ng groups, room for nb buurt
 * pointers (*pool) and n group_of entries. NULL when out of memory. */
static pol_split_proposal *new_proposal(size_t ng, size_t nb, size_t n, const char ***pool)
{
	size_t head = sizeof(pol_split_proposal) + ng * sizeof(pol_split_group);
	unsigned char *mem = calloc(1, head + nb * sizeof **pool + n * sizeof(int));
	pol_split_proposal *p = (pol_split_proposal *)mem;

	if (!mem)
		return NULL;
	p->groups = (pol_split_group *)(mem + sizeof *p);
	*pool = (const char **)(mem + head);
	p->group_of = (int *)(mem + head + nb * sizeof **pool);
	p->n_groups = ng;
	p->n_members = n;
	return p;
}

/* The proposal's groups: their buurten in name order, counts and names. */
static void fill_groups(const split_work *w, pol_split_proposal *p, const char **pool, const char *base_id)
{
	size_t i, j, k = 0;

	for (i = 0; i < w->ng; i++) {
		pol_split_group *og = &p->groups[i];
		size_t gi = w->live_idx[i];

		og->buurten = pool + k;
		for (j = 0; j < w->nb; j++) {
			size_t bi = w->names[j].idx;   /* in name order */

			if ((size_t)w->b[bi].group == gi)
				pool[k++] = w->b[bi].label;
		}
		og->n_buurten = (size_t)(pool + k - og->buurten);
		og->n_members = w->g[gi].count;
		og->over_cap = w->g[gi].count > w->cap;
		name_group(og, base_id, &w->b[w->g[gi].first]);
	}
	unique_ids(p->groups, w->ng);
}

static void place_members(const split_work *w, pol_split_proposal *p)
{
	size_t i;

	for (i = 0; i < p->n_members; i++) {
		long bi = w->member_bucket[i];

		p->group_of[i] = bi < 0 ? -1 : (int)w->out_of_group[w->b[bi].group];
		if (p->group_of[i] < 0)
			p->n_unplaced++;
	}
}

int pol_split_propose(pol_split_proposal **out, const char *base_id, const pol_split_member *m,
		      size_t n, const pol_split_params *params)
{
	static const pol_split_params defaults;
	split_work w;
	pol_split_proposal *p;
	const char **pool = NULL;
	int rc;

	*out = NULL;
	memset(&w, 0, sizeof w);
	w.pp = params ? params : &defaults;
	w.min = w.pp->min_members ? w.pp->min_members : POL_SPLIT_DEFAULT_MIN;
	w.cap = w.pp->cap ? w.pp->cap : 100;
	w.n_list = w.pp->buurten ? w.pp->n_buurten : 0;
	if (n > POL_SPLIT_MAX_MEMBERS || w.n_list > POL_SPLIT_MAX_BUURTEN || (n && !m))
		return -1;
	rc = collect_buckets(&w, m, n);
	if (rc == 0)
		rc = rank_buckets(&w);
	if (rc != 0)
		goto cleanup;
	join_short(&w, pack_small(&w));
	limit_groups(&w);
	order_groups(&w);
	p = new_proposal(w.ng, w.nb, n, &pool);
	if (!p) {
		rc = -2;
		goto cleanup;
	}
	fill_groups(&w, p, pool, base_id);
	place_members(&w, p);
	*out = p;
cleanup:
	free_work(&w);
	return rc;
}

/* Later is "greater": invited before joined, then by since, then by id so
 * the same input always picks the same people. */
static int later(const pol_cap_member *a, const pol_cap_member *b)
{
	if (a->invited != b->invited)
		return a->invited > b->invited;
	if (a->since != b->since)
		return a->since > b->since;
	return strcmp(a->user_id, b->user_id) > 0;
}

size_t pol_caps_pick_excess(const pol_cap_member *m, size_t n, size_t excess, size_t *out)
{
	size_t k = 0, i, j;

	/* Selection of the `excess` latest: excess is small (a cap lowered by
	 * a few, or one join too many), so O(n * excess) is fine. */
	while (k < excess) {
		size_t best = n;

		for (i = 0; i < n; i++) {
			int taken = 0;

			if (m[i].protect)
				continue;
			for (j = 0; j < k && !taken; j++)
				taken = out[j] == i;
			if (!taken && (best == n || later(&m[i], &m[best])))
				best = i;
		}
		if (best == n)
			break;
		out[k++] = best;
	}
	return k;
}
