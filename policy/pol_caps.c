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

/* The two smallest live groups (by count, then first name rank). */
static int two_smallest(const wgroup *g, size_t ng, const size_t *rank, size_t *a, size_t *b)
{
	size_t i;
	int have_a = 0, have_b = 0;

	for (i = 0; i < ng; i++) {
		if (!g[i].alive)
			continue;
		if (!have_a || g[i].count < g[*a].count ||
		    (g[i].count == g[*a].count && rank[g[i].first] < rank[g[*a].first])) {
			if (have_a) {
				*b = *a;
				have_b = 1;
			}
			*a = i;
			have_a = 1;
		} else if (!have_b || g[i].count < g[*b].count ||
			   (g[i].count == g[*b].count && rank[g[i].first] < rank[g[*b].first])) {
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

int pol_split_propose(pol_split_proposal **out, const char *base_id, const pol_split_member *m,
		      size_t n, const pol_split_params *params)
{
	static const pol_split_params defaults;
	const pol_split_params *pp = params ? params : &defaults;
	unsigned min = pp->min_members ? pp->min_members : POL_SPLIT_DEFAULT_MIN;
	unsigned cap = pp->cap ? pp->cap : 100;
	size_t n_list = pp->buurten ? pp->n_buurten : 0;
	size_t nb_max, n_slots, nb = 0, i, j, live, ng = 0, k;
	bucket *b = NULL;
	long *slots = NULL, *member_bucket = NULL;
	wgroup *g = NULL;
	nameref *names = NULL;
	size_t *rank = NULL, *live_idx = NULL;
	long *out_of_group = NULL;
	pol_split_proposal *p = NULL;
	const char **pool;
	int rc = -2;

	*out = NULL;
	if (n > POL_SPLIT_MAX_MEMBERS || n_list > POL_SPLIT_MAX_BUURTEN || (n && !m))
		return -1;
	nb_max = n + n_list < POL_SPLIT_MAX_BUURTEN ? n + n_list : POL_SPLIT_MAX_BUURTEN;
	n_slots = 2 * nb_max + 1;
	b = calloc(nb_max + 1, sizeof *b);
	slots = malloc(n_slots * sizeof *slots);
	member_bucket = malloc((n + 1) * sizeof *member_bucket);
	if (!b || !slots || !member_bucket)
		goto cleanup;
	for (i = 0; i < n_slots; i++)
		slots[i] = -1;

	/* 1. buckets: the listed buurten, then what members name */
	for (i = 0; i < n_list; i++) {
		if (!pp->buurten[i])
			continue;
		if (nb >= nb_max) {
			rc = -1;
			goto cleanup;
		}
		find_bucket(b, &nb, slots, n_slots, pp->buurten[i], 1);
	}
	for (i = 0; i < n; i++) {
		long idx = -1;

		if (m[i].buurt) {
			idx = find_bucket(b, &nb, slots, n_slots, m[i].buurt, 0);
			if (idx < 0 && !pp->buurten) {
				if (nb >= nb_max) {
					rc = -1;
					goto cleanup;
				}
				idx = find_bucket(b, &nb, slots, n_slots, m[i].buurt, 1);
			}
		}
		member_bucket[i] = idx;
		if (idx >= 0)
			b[idx].count++;
	}

	/* 2. ranks by name, for ties and for the order inside a group */
	names = malloc((nb + 1) * sizeof *names);
	rank = malloc((nb + 1) * sizeof *rank);
	g = calloc(nb + 1, sizeof *g);
	live_idx = malloc((nb + 1) * sizeof *live_idx);
	out_of_group = malloc((nb + 1) * sizeof *out_of_group);
	if (!names || !rank || !g || !live_idx || !out_of_group)
		goto cleanup;
	for (i = 0; i < nb; i++) {
		names[i].key = b[i].key;
		names[i].key_len = b[i].key_len;
		names[i].idx = i;
	}
	qsort(names, nb, sizeof *names, cmp_nameref);
	for (i = 0; i < nb; i++)
		rank[names[i].idx] = i;
	for (i = 0; i < nb; i++) {
		g[i].count = b[i].count;
		g[i].first = i;
		g[i].alive = 1;
	}

	/* 3. small buurten (fewer than min) are packed together in name
	 * order until a group has min; a last group still short joins the
	 * group packed before it. Big buurten stay on their own. */
	live = nb;
	{
		size_t cur = SIZE_MAX;

		for (j = 0; j < nb; j++) {
			size_t bi = names[j].idx;

			if (g[bi].count >= min)
				continue;
			if (cur == SIZE_MAX) {
				cur = bi;
			} else if (g[cur].count + g[bi].count > cap) {
				cur = bi;
			} else {
				merge(g, b, nb, rank, bi, cur);
				live--;
			}
			if (cur != SIZE_MAX && g[cur].count >= min)
				cur = SIZE_MAX;
		}
		/* A group still short joins the smallest other group when the two
		 * stay modest (at most twice min, within the cap); next to a big
		 * buurt it stays on its own rather than swell it. */
		if (cur != SIZE_MAX && g[cur].count < min) {
			size_t other = SIZE_MAX;

			for (i = 0; i < nb; i++)
				if (g[i].alive && i != cur &&
				    (other == SIZE_MAX || g[i].count < g[other].count ||
				     (g[i].count == g[other].count && rank[g[i].first] < rank[g[other].first])))
					other = i;
			if (other != SIZE_MAX && g[cur].count + g[other].count <= 2 * (size_t)min &&
			    g[cur].count + g[other].count <= cap) {
				merge(g, b, nb, rank, cur, other);
				live--;
			}
		}
	}
	/* 4. too many groups: merge the smallest into the next smallest */
	while (pp->max_groups && live > pp->max_groups) {
		size_t sa = 0, sb = 0;

		if (!two_smallest(g, nb, rank, &sa, &sb) || g[sa].count + g[sb].count > cap)
			break;
		merge(g, b, nb, rank, sa, sb);
		live--;
	}

	/* 5. the groups, biggest first, then by name */
	for (i = 0; i < nb; i++)
		if (g[i].alive)
			live_idx[ng++] = i;
	for (i = 1; i < ng; i++) {
		size_t v = live_idx[i];

		for (j = i; j > 0; j--) {
			size_t u = live_idx[j - 1];

			if (g[u].count > g[v].count ||
			    (g[u].count == g[v].count && rank[g[u].first] < rank[g[v].first]))
				break;
			live_idx[j] = u;
		}
		live_idx[j] = v;
	}
	for (i = 0; i < nb; i++)
		out_of_group[i] = -1;
	for (i = 0; i < ng; i++)
		out_of_group[live_idx[i]] = (long)i;

	/* One block: the proposal, its groups, the buurt pointers, group_of. */
	{
		size_t sz = sizeof *p + ng * sizeof *p->groups + nb * sizeof *pool + n * sizeof *p->group_of;
		unsigned char *mem = calloc(1, sz);

		if (!mem)
			goto cleanup;
		p = (pol_split_proposal *)mem;
		p->groups = (pol_split_group *)(mem + sizeof *p);
		pool = (const char **)(mem + sizeof *p + ng * sizeof *p->groups);
		p->group_of = (int *)(mem + sizeof *p + ng * sizeof *p->groups + nb * sizeof *pool);
	}
	p->n_groups = ng;
	p->n_members = n;
	k = 0;
	for (i = 0; i < ng; i++) {
		pol_split_group *og = &p->groups[i];
		size_t gi = live_idx[i];

		og->buurten = pool + k;
		for (j = 0; j < nb; j++) {
			size_t bi = names[j].idx;   /* in name order */

			if ((size_t)b[bi].group == gi)
				pool[k++] = b[bi].label;
		}
		og->n_buurten = (size_t)(pool + k - og->buurten);
		og->n_members = g[gi].count;
		og->over_cap = g[gi].count > cap;
		name_group(og, base_id, &b[g[gi].first]);
	}
	unique_ids(p->groups, ng);
	for (i = 0; i < n; i++) {
		long bi = member_bucket[i];

		p->group_of[i] = bi < 0 ? -1 : (int)out_of_group[b[bi].group];
		if (p->group_of[i] < 0)
			p->n_unplaced++;
	}
	*out = p;
	p = NULL;
	rc = 0;
cleanup:
	free(b);
	free(slots);
	free(member_bucket);
	free(names);
	free(rank);
	free(g);
	free(live_idx);
	free(out_of_group);
	free(p);
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
