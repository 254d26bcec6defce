/* stats_tree.c: the figures of the gemeente, every wijk and every
 * wijkgroep over one period, protected against one another
 * (pol_stats_protect_tree), so that the answers of !statistiek, the
 * monthly reports and the export show the same cells hidden: a total
 * hidden in one is hidden when asked for alone too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"

static int add(bot_stats_tree *t, const bot_stats_set *set, long long from, long long to, int parent,
	       const pol_wijk *w, const pol_wijkgroep *wg, long members, long waiting)
{
	pol_stats_figures f;
	bot_stats_part *p = &t->part[t->n];
	pol_stats_node *node = &t->nodes[t->n];

	if (pol_stats_compute(set->rows, set->n, w && !wg ? w->id : NULL, wg ? wg->id : NULL, from, to, &f) != 0)
		return -1;
	node->n = pol_stats_items(&f, members, waiting, node->items);
	node->parent = parent;
	p->wijk = w;
	p->wijkgroep = wg;
	if (wg)
		snprintf(p->scope, sizeof p->scope, "wijkgroep:%s", wg->id);
	else if (w)
		snprintf(p->scope, sizeof p->scope, "wijk:%s", w->id);
	else
		snprintf(p->scope, sizeof p->scope, "gemeente");
	t->n++;
	return 0;
}

int bot_stats_tree_make(bot_daemon *d, const bot_stats_set *set, long long from, long long to, bot_stats_tree *t)
{
	size_t i, j, cap = 1;
	long members, waiting;
	int wi;

	memset(t, 0, sizeof *t);
	for (i = 0; d->structure && i < pol_structure_n_wijken(d->structure); i++)
		cap += 1 + pol_structure_wijk(d->structure, i)->n_wijkgroepen;
	t->nodes = calloc(cap, sizeof *t->nodes);
	t->part = calloc(cap, sizeof *t->part);
	if (!t->nodes || !t->part || add(t, set, from, to, -1, NULL, NULL, -1, -1) != 0)
		goto fail;
	for (i = 0; d->structure && i < pol_structure_n_wijken(d->structure); i++) {
		const pol_wijk *w = pol_structure_wijk(d->structure, i);

		wi = (int)t->n;
		if (add(t, set, from, to, 0, w, NULL, -1, -1) != 0)
			goto fail;
		for (j = 0; j < w->n_wijkgroepen; j++) {
			char key[POL_STRUCT_MAX_KEY + 16];

			snprintf(key, sizeof key, "wijkgroep:%s", w->wijkgroepen[j].id);
			if (bot_stats_members(d, key, &members, &waiting) != BOT_STORE_OK ||
			    add(t, set, from, to, wi, w, &w->wijkgroepen[j], members, waiting) != 0)
				goto fail;
		}
	}
	pol_stats_protect_tree(t->nodes, t->n);
	return 0;
fail:
	bot_stats_tree_free(t);
	return -1;
}

int bot_stats_tree_find(const bot_stats_tree *t, const char *scope)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->part[i].scope, scope) == 0)
			return (int)i;
	return -1;
}

const char *bot_stats_tree_value(const bot_stats_tree *t, size_t i, const char *name)
{
	size_t k;

	for (k = 0; i < t->n && k < t->nodes[i].n; k++)
		if (strcmp(t->nodes[i].items[k].name, name) == 0)
			return t->nodes[i].items[k].value;
	return "-";
}

void bot_stats_tree_free(bot_stats_tree *t)
{
	free(t->nodes);
	free(t->part);
	memset(t, 0, sizeof *t);
}
