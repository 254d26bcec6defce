/* pol_structure_diff.c: what changed between two structures, room by
 * room (reload applies only that); uses only the public view of
 * pol_structure.h. */
#include <stdlib.h>
#include <string.h>
#include "pol_structure.h"


void pol_changes_free(pol_changes *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->items[i].room_key);
		free(c->items[i].user_id);
		free(c->items[i].old_text);
		free(c->items[i].new_text);
	}
	free(c->items);
	memset(c, 0, sizeof *c);
}

static char *dup_or_null(const char *s, int *fail)
{
	char *d;

	if (!s)
		return NULL;
	d = malloc(strlen(s) + 1);
	if (!d)
		*fail = 1;
	else
		memcpy(d, s, strlen(s) + 1);
	return d;
}

/* Appends one change with copies of the strings; 0 or -1. */
static int chg(pol_changes *c, pol_change_kind kind, const char *key, const char *user,
	       int old_power, int new_power, const char *old_text, const char *new_text)
{
	pol_change *it;
	int fail = 0;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		pol_change *ni = realloc(c->items, ncap * sizeof *ni);

		if (!ni)
			return -1;
		c->items = ni;
		c->cap = ncap;
	}
	it = &c->items[c->n];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->old_power = old_power;
	it->new_power = new_power;
	it->room_key = dup_or_null(key, &fail);
	it->user_id = dup_or_null(user, &fail);
	it->old_text = dup_or_null(old_text, &fail);
	it->new_text = dup_or_null(new_text, &fail);
	c->n++;   /* counted even on failure, so pol_changes_free frees it */
	return fail ? -1 : 0;
}

static int str_differs(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b) != 0;
}

static int diff_room(pol_changes *c, const pol_room *o, const pol_room *n)
{
	size_t i = 0, j = 0;

	if (str_differs(o->naam, n->naam) &&
	    chg(c, POL_CHG_ROOM_RENAMED, n->key, NULL, 0, 0, o->naam, n->naam) != 0)
		return -1;
	if (str_differs(o->parent, n->parent) &&
	    chg(c, POL_CHG_PARENT_CHANGED, n->key, NULL, 0, 0, o->parent, n->parent) != 0)
		return -1;
	if (n->wijkgroep && o->wijkgroep &&
	    (o->wijkgroep->limiet != n->wijkgroep->limiet ||
	     o->wijkgroep->groeidrempel != n->wijkgroep->groeidrempel)) {
		if (chg(c, POL_CHG_CAP_CHANGED, n->key, NULL, 0, 0, NULL, NULL) != 0)
			return -1;
		c->items[c->n - 1].old_limiet = o->wijkgroep->limiet;
		c->items[c->n - 1].new_limiet = n->wijkgroep->limiet;
		c->items[c->n - 1].old_drempel = o->wijkgroep->groeidrempel;
		c->items[c->n - 1].new_drempel = n->wijkgroep->groeidrempel;
	}
	if (n->kind == POL_ROOM_WIJK_SPACE && o->wijk && n->wijk &&
	    str_differs(o->wijk->spelregels, n->wijk->spelregels) &&
	    chg(c, POL_CHG_SPELREGELS_CHANGED, n->key, NULL, 0, 0, NULL, NULL) != 0)
		return -1;
	/* both member lists are sorted by user id: one merge */
	while (i < o->n_members || j < n->n_members) {
		int r = i == o->n_members ? 1 : j == n->n_members ? -1 :
			strcmp(o->members[i].user_id, n->members[j].user_id);

		if (r < 0) {
			if (chg(c, POL_CHG_MEMBER_REMOVED, n->key, o->members[i].user_id,
				o->members[i].power, 0, NULL, NULL) != 0)
				return -1;
			i++;
		} else if (r > 0) {
			if (chg(c, POL_CHG_MEMBER_ADDED, n->key, n->members[j].user_id, 0,
				n->members[j].power, NULL, NULL) != 0)
				return -1;
			j++;
		} else {
			if (o->members[i].power != n->members[j].power &&
			    chg(c, POL_CHG_POWER_CHANGED, n->key, n->members[j].user_id,
				o->members[i].power, n->members[j].power, NULL, NULL) != 0)
				return -1;
			i++;
			j++;
		}
	}
	return 0;
}

int pol_structure_diff(const pol_structure *old_s, const pol_structure *new_s, pol_changes *out)
{
	size_t i, j;

	memset(out, 0, sizeof *out);
	if (!new_s)
		return POL_STRUCT_EINVAL;
	for (i = 0; i < pol_structure_n_rooms(new_s); i++) {
		const pol_room *n = pol_structure_room(new_s, i);
		const pol_room *o = old_s ? pol_structure_room_by_key(old_s, n->key) : NULL;

		if (o) {
			if (diff_room(out, o, n) != 0)
				goto fail;
			continue;
		}
		if (chg(out, POL_CHG_ROOM_ADDED, n->key, NULL, 0, 0, NULL, n->naam) != 0)
			goto fail;
		for (j = 0; j < n->n_members; j++)
			if (chg(out, POL_CHG_MEMBER_ADDED, n->key, n->members[j].user_id, 0,
				n->members[j].power, NULL, NULL) != 0)
				goto fail;
	}
	for (i = 0; old_s && i < pol_structure_n_rooms(old_s); i++) {
		const pol_room *o = pol_structure_room(old_s, i);

		if (!pol_structure_room_by_key(new_s, o->key) &&
		    chg(out, POL_CHG_ROOM_REMOVED, o->key, NULL, 0, 0, o->naam, NULL) != 0)
			goto fail;
	}
	return POL_STRUCT_OK;
fail:
	pol_changes_free(out);
	return POL_STRUCT_ENOMEM;
}

const char *pol_change_kind_name(pol_change_kind kind)
{
	switch (kind) {
	case POL_CHG_ROOM_ADDED: return "room added";
	case POL_CHG_ROOM_REMOVED: return "room removed";
	case POL_CHG_ROOM_RENAMED: return "room renamed";
	case POL_CHG_PARENT_CHANGED: return "room moved";
	case POL_CHG_MEMBER_ADDED: return "member added";
	case POL_CHG_MEMBER_REMOVED: return "member removed";
	case POL_CHG_POWER_CHANGED: return "power changed";
	case POL_CHG_CAP_CHANGED: return "cap changed";
	case POL_CHG_SPELREGELS_CHANGED: return "spelregels changed";
	}
	return "?";
}
