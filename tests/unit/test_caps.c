/* Unit tests of policy/pol_caps: counting against the cap, admission,
 * the threshold notice (once per crossing), the fase-2 split proposal and
 * who leaves a full wijkgroep (pol_caps_pick_excess). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/pol_caps.h"
#include "policy/pol_caps_plan.h"
#include "unit_structure.h"

Test(caps, count_is_joined_plus_invited_without_the_bot)
{
	const pol_member_state m[] = {
		{ "@bot:localhost", POL_MEMBERSHIP_JOIN },
		{ "@a:localhost", POL_MEMBERSHIP_JOIN },
		{ "@b:localhost", POL_MEMBERSHIP_INVITE },
		{ "@c:localhost", POL_MEMBERSHIP_KNOCK },
		{ "@d:localhost", POL_MEMBERSHIP_LEAVE },
		{ "@e:localhost", POL_MEMBERSHIP_BAN },
		{ "@f:localhost", POL_MEMBERSHIP_JOIN },
	};

	cr_assert_eq(pol_caps_count(m, 7, "@bot:localhost"), 3);
	cr_assert_eq(pol_caps_count(m, 7, NULL), 4);
	cr_assert_eq(pol_caps_count(m, 0, "@bot:localhost"), 0);
	/* knocks wait outside; invites count */
	cr_assert_eq(pol_caps_count(&m[3], 1, NULL), 0);
	cr_assert_eq(pol_caps_count(&m[2], 1, NULL), 1);
	{
		const pol_member_state bot_invited[] = {
			{ "@bot:localhost", POL_MEMBERSHIP_INVITE }, { "@k:localhost", POL_MEMBERSHIP_KNOCK },
			{ "@l:localhost", POL_MEMBERSHIP_KNOCK },
		};

		cr_assert_eq(pol_caps_count(bot_invited, 3, "@bot:localhost"), 0);
	}
}

Test(caps, admission_holds_at_the_cap)
{
	cr_assert(pol_caps_can_admit(99, 100, 1));
	cr_assert_not(pol_caps_can_admit(100, 100, 1));   /* the 101st */
	cr_assert(pol_caps_can_admit(100, 100, 0));
	cr_assert_not(pol_caps_can_admit(98, 100, 3));
	cr_assert(pol_caps_can_admit(97, 100, 3));
	cr_assert_not(pol_caps_can_admit(120, 100, 0));   /* cap lowered below count */
	cr_assert_not(pol_caps_can_admit(0, 100, (size_t)-1));
	cr_assert_eq(pol_caps_excess(120, 100), 20);
	cr_assert_eq(pol_caps_excess(100, 100), 0);
	cr_assert_eq(pol_caps_excess(3, 100), 0);
}

Test(caps, threshold_crossing_only_on_the_transition)
{
	cr_assert(pol_caps_crossed(80, 81, 80));
	cr_assert(pol_caps_crossed(70, 90, 80));
	cr_assert_not(pol_caps_crossed(79, 80, 80));   /* reaching is not passing */
	cr_assert_not(pol_caps_crossed(81, 82, 80));   /* already past: no second notice */
	cr_assert_not(pol_caps_crossed(82, 81, 80));
	cr_assert_not(pol_caps_crossed(81, 79, 80));
	cr_assert_not(pol_caps_crossed(99, 100, 100)); /* groeidrempel = limiet: never */
}

Test(caps, growth_notice_once_with_hysteresis)
{
	int notified = 0;
	size_t seq[] = { 79, 80, 81, 82, 80, 81, 79, 81, 72, 75, 81 };
	int want[] = { 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 };
	int total = 0;

	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		int got = pol_caps_growth_notice(seq[i], 80, &notified);

		cr_assert_eq(got, want[i], "step %zu (count %zu)", i, seq[i]);
		total += got;
	}
	cr_assert_eq(total, 2);
	/* a threshold lowered under the current count still gives one notice */
	notified = 0;
	cr_assert(pol_caps_growth_notice(70, 50, &notified));
	cr_assert_not(pol_caps_growth_notice(70, 50, &notified));
	/* a tiny threshold re-arms one below it */
	notified = 0;
	cr_assert(pol_caps_growth_notice(2, 1, &notified));
	cr_assert_not(pol_caps_growth_notice(1, 1, &notified));
	cr_assert_not(pol_caps_growth_notice(0, 1, &notified));
	cr_assert(pol_caps_growth_notice(2, 1, &notified));
}

/* ---- split ---- */

/* Members named m0.., with count[i] members in buurt name[i]. */
static pol_split_member *members(const char *const *names, const size_t *counts, size_t nb, size_t *n_out)
{
	size_t n = 0, k = 0;
	pol_split_member *m;

	for (size_t i = 0; i < nb; i++)
		n += counts[i];
	m = calloc(n + 1, sizeof *m);
	cr_assert_not_null(m);
	for (size_t i = 0; i < nb; i++)
		for (size_t j = 0; j < counts[i]; j++) {
			m[k].user_id = "@someone:localhost";
			m[k].buurt = names[i];
			k++;
		}
	*n_out = n;
	return m;
}

static const pol_split_group *group_named(const pol_split_proposal *p, const char *naam)
{
	for (size_t i = 0; i < p->n_groups; i++)
		if (strcmp(p->groups[i].naam, naam) == 0)
			return &p->groups[i];
	return NULL;
}

static void print(const pol_split_proposal *p)
{
	for (size_t i = 0; i < p->n_groups; i++)
		fprintf(stderr, "  %s \"%s\" %zu%s\n", p->groups[i].id, p->groups[i].naam, p->groups[i].n_members,
			p->groups[i].over_cap ? " over cap" : "");
}

Test(split, zoomwijck_81_members_by_buurt)
{
	static const char *const names[] = { "Kerkebuurt", "Beekpark", "Zoomhoek", "Molenveld", "Het Laar" };
	static const size_t counts[] = { 30, 20, 15, 10, 6 };
	size_t n;
	pol_split_member *m = members(names, counts, 5, &n);
	pol_split_proposal *p = NULL;
	const pol_split_group *g;

	cr_assert_eq(n, 81);
	cr_assert_eq(pol_split_propose(&p, "zoomwijck", m, n, NULL), 0);
	print(p);
	/* Het Laar (6) is too small and joins the next smallest, Molenveld */
	cr_assert_eq(p->n_groups, 4);
	cr_assert_str_eq(p->groups[0].naam, "Kerkebuurt");
	cr_assert_str_eq(p->groups[0].id, "zoomwijck-kerkebuurt");
	cr_assert_eq(p->groups[0].n_members, 30);
	cr_assert_str_eq(p->groups[1].naam, "Beekpark");
	g = &p->groups[2];
	cr_assert_str_eq(g->naam, "Het Laar en Molenveld");
	cr_assert_str_eq(g->id, "zoomwijck-het-laar");
	cr_assert_eq(g->n_members, 16);
	cr_assert_eq(g->n_buurten, 2);
	cr_assert_str_eq(g->buurten[0], "Het Laar");
	cr_assert_str_eq(g->buurten[1], "Molenveld");
	cr_assert_str_eq(p->groups[3].naam, "Zoomhoek");
	cr_assert_eq(p->groups[3].n_members, 15);
	/* every member has a group: the one of their buurt */
	cr_assert_eq(p->n_unplaced, 0);
	for (size_t i = 0; i < n; i++) {
		const pol_split_group *mg = &p->groups[p->group_of[i]];
		int found = 0;

		for (size_t j = 0; j < mg->n_buurten; j++)
			found |= strcmp(mg->buurten[j], m[i].buurt) == 0;
		cr_assert(found, "member %zu (%s) placed in %s", i, m[i].buurt, mg->naam);
	}
	for (size_t i = 0; i < p->n_groups; i++)
		cr_assert_geq(p->groups[i].n_members, POL_SPLIT_DEFAULT_MIN);
	pol_split_free(p);
	free(m);
}

Test(split, listed_buurten_without_members_and_unknown_buurten)
{
	static const char *const names[] = { "Kerkebuurt", "Beekpark", "Het Laar", "Elders" };
	static const size_t counts[] = { 30, 20, 6, 2 };
	static const char *const listed[] = { "Kerkebuurt", "Beekpark", "Het Laar", "Oude Haven", "Molenveld" };
	pol_split_params params = { 0, 0, 0, listed, 5 };
	size_t n;
	pol_split_member *m = members(names, counts, 4, &n);
	pol_split_proposal *p = NULL;

	m[0].buurt = NULL;   /* one member without a known buurt */
	cr_assert_eq(pol_split_propose(&p, "zw", m, n, &params), 0);
	print(p);
	/* the empty buurten join the small one, so every buurt has a wijkgroep */
	cr_assert_eq(p->n_groups, 3);
	cr_assert_not_null(group_named(p, "Het Laar, Molenveld en Oude Haven"));
	cr_assert_eq(group_named(p, "Het Laar, Molenveld en Oude Haven")->n_members, 6);
	cr_assert_eq(group_named(p, "Kerkebuurt")->n_members, 29);
	/* "Elders" is not a buurt of this wijkgroep; NULL is unknown */
	cr_assert_eq(p->n_unplaced, 3);
	cr_assert_eq(p->group_of[0], -1);
	cr_assert_eq(p->group_of[n - 1], -1);
	pol_split_free(p);
	free(m);
}

Test(split, names_compare_case_insensitively)
{
	pol_split_member m[] = {
		{ "@a:x", "Kerkebuurt" }, { "@b:x", " kerkebuurt" }, { "@c:x", "KERKEBUURT " }, { "@d:x", "Beek" },
	};
	pol_split_proposal *p = NULL;
	pol_split_params params = { 1, 0, 0, NULL, 0 };

	cr_assert_eq(pol_split_propose(&p, "w", m, 4, &params), 0);
	cr_assert_eq(p->n_groups, 2);
	cr_assert_eq(p->groups[0].n_members, 3);
	cr_assert_str_eq(p->groups[0].buurten[0], "Kerkebuurt");   /* first spelling seen */
	cr_assert_str_eq(p->groups[0].id, "w-kerkebuurt");
	cr_assert_eq(p->group_of[1], 0);
	cr_assert_eq(p->group_of[3], 1);
	pol_split_free(p);
}

Test(split, cap_stops_a_merge_and_flags_a_big_buurt)
{
	static const char *const names[] = { "Groot", "Klein" };
	static const size_t counts[] = { 18, 5 };
	static const size_t counts2[] = { 130, 12 };
	pol_split_params params = { 10, 0, 20, NULL, 0 };
	size_t n;
	pol_split_member *m = members(names, counts, 2, &n);
	pol_split_proposal *p = NULL;

	cr_assert_eq(pol_split_propose(&p, "w", m, n, &params), 0);
	cr_assert_eq(p->n_groups, 2, "18 + 5 would pass the cap of 20");
	cr_assert_not(p->groups[0].over_cap);
	pol_split_free(p);
	free(m);

	/* two small buurten are not packed together past the cap either */
	{
		static const size_t counts3[] = { 12, 12 };
		pol_split_params tight = { 15, 0, 20, NULL, 0 };

		m = members(names, counts3, 2, &n);
		cr_assert_eq(pol_split_propose(&p, "w", m, n, &tight), 0);
		cr_assert_eq(p->n_groups, 2, "12 + 12 would pass the cap of 20");
		pol_split_free(p);
		free(m);
	}

	m = members(names, counts2, 2, &n);
	cr_assert_eq(pol_split_propose(&p, "w", m, n, NULL), 0);
	cr_assert_eq(p->n_groups, 2);
	cr_assert(p->groups[0].over_cap);
	cr_assert_eq(p->groups[0].n_members, 130);
	cr_assert_not(p->groups[1].over_cap);
	pol_split_free(p);
	free(m);
}

Test(split, max_groups_and_ties_by_name)
{
	static const char *const names[] = { "E", "D", "C", "B", "A" };
	static const size_t counts[] = { 20, 20, 20, 20, 20 };
	pol_split_params params = { 10, 3, 100, NULL, 0 };
	size_t n;
	pol_split_member *m = members(names, counts, 5, &n);
	pol_split_proposal *p = NULL, *p2 = NULL;

	cr_assert_eq(pol_split_propose(&p, "w", m, n, &params), 0);
	print(p);
	cr_assert_eq(p->n_groups, 3);
	cr_assert_str_eq(p->groups[0].naam, "A en B");
	cr_assert_str_eq(p->groups[1].naam, "C en D");
	cr_assert_str_eq(p->groups[2].naam, "E");
	/* the same input gives the same proposal */
	cr_assert_eq(pol_split_propose(&p2, "w", m, n, &params), 0);
	for (size_t i = 0; i < p->n_groups; i++) {
		cr_assert_str_eq(p->groups[i].id, p2->groups[i].id);
		cr_assert_eq(p->groups[i].n_members, p2->groups[i].n_members);
	}
	pol_split_free(p);
	pol_split_free(p2);
	free(m);
}

Test(split, ids_are_unique_slugs)
{
	static const char *const names[] = { "De Hoek", "De-Hoek", "de_hoek!" };
	static const size_t counts[] = { 10, 11, 12 };
	size_t n;
	pol_split_member *m = members(names, counts, 3, &n);
	pol_split_proposal *p = NULL;

	cr_assert_eq(pol_split_propose(&p, "Zoom Wijck", m, n, NULL), 0);
	print(p);
	cr_assert_eq(p->n_groups, 3);
	cr_assert_str_eq(p->groups[0].id, "zoom-wijck-de-hoek");
	cr_assert_str_eq(p->groups[1].id, "zoom-wijck-de-hoek-2");
	cr_assert_str_eq(p->groups[2].id, "zoom-wijck-de-hoek-3");
	pol_split_free(p);
	free(m);
}

Test(split, bounds_and_empty_input)
{
	pol_split_proposal *p = (pol_split_proposal *)1;
	pol_split_member one = { "@a:x", "A" };
	char (*labels)[16] = malloc((POL_SPLIT_MAX_BUURTEN + 1) * sizeof *labels);
	pol_split_member *many = calloc(POL_SPLIT_MAX_BUURTEN + 1, sizeof *many);

	cr_assert_eq(pol_split_propose(&p, "w", &one, POL_SPLIT_MAX_MEMBERS + 1, NULL), -1);
	cr_assert_null(p);
	cr_assert_eq(pol_split_propose(&p, "w", NULL, 0, NULL), 0);
	cr_assert_eq(p->n_groups, 0);
	pol_split_free(p);
	pol_split_free(NULL);
	/* more distinct buurten than allowed */
	for (int i = 0; i <= POL_SPLIT_MAX_BUURTEN; i++) {
		snprintf(labels[i], sizeof labels[i], "b%d", i);
		many[i].user_id = "@a:x";
		many[i].buurt = labels[i];
	}
	cr_assert_eq(pol_split_propose(&p, "w", many, POL_SPLIT_MAX_BUURTEN + 1, NULL), -1);
	cr_assert_null(p);
	cr_assert_eq(pol_split_propose(&p, "w", many, POL_SPLIT_MAX_BUURTEN, NULL), 0);
	cr_assert_eq(p->n_groups, POL_SPLIT_MAX_BUURTEN / POL_SPLIT_DEFAULT_MIN);
	pol_split_free(p);
	free(labels);
	free(many);
}

Test(split, long_names_are_cut_at_a_whole_buurt)
{
	static const char *const names[] = {
		"Een heel erg lange buurtnaam nummer een", "Een heel erg lange buurtnaam nummer twee",
		"Een heel erg lange buurtnaam nummer drie", "Een heel erg lange buurtnaam nummer vier",
	};
	static const size_t counts[] = { 1, 1, 1, 1 };
	size_t n;
	pol_split_member *m = members(names, counts, 4, &n);
	pol_split_proposal *p = NULL;

	cr_assert_eq(pol_split_propose(&p, "w", m, n, NULL), 0);
	cr_assert_eq(p->n_groups, 1);
	cr_assert_leq(strlen(p->groups[0].naam), POL_SPLIT_NAME_MAX);
	cr_assert_not_null(strstr(p->groups[0].naam, "..."));
	cr_assert_leq(strlen(p->groups[0].id), POL_SPLIT_ID_MAX);
	cr_assert_eq(p->groups[0].n_buurten, 4);
	pol_split_free(p);
	free(m);
}

/* ---- who leaves a full wijkgroep ---- */

Test(caps_excess, invited_before_joined_newest_first_protected_never)
{
	const pol_cap_member m[] = {
		{ "@j1:localhost", 0, 10, 0 },
		{ "@i1:localhost", 1, 5, 0 },
		{ "@stuur:localhost", 1, 100, 1 },   /* newest and invited, but protected */
		{ "@j2:localhost", 0, 20, 0 },
		{ "@i2:localhost", 1, 15, 0 },
	};
	size_t out[5];

	cr_assert_eq(pol_caps_pick_excess(m, 5, 3, out), 3);
	cr_assert_eq(out[0], 4, "the newest invitation goes first");
	cr_assert_eq(out[1], 1);
	cr_assert_eq(out[2], 3, "then the newest joined member");
	cr_assert_eq(pol_caps_pick_excess(m, 5, 1, out), 1);
	cr_assert_eq(out[0], 4);
	cr_assert_eq(pol_caps_pick_excess(m, 5, 0, out), 0);
}

Test(caps_excess, returns_fewer_when_only_protected_remain)
{
	const pol_cap_member m[] = {
		{ "@p1:localhost", 0, 10, 1 },
		{ "@r:localhost", 0, 5, 0 },
		{ "@p2:localhost", 1, 50, 1 },
	};
	size_t out[3];

	cr_assert_eq(pol_caps_pick_excess(m, 3, 3, out), 1);
	cr_assert_eq(out[0], 1);
	cr_assert_eq(pol_caps_pick_excess(m, 1, 1, out), 0);
	cr_assert_eq(pol_caps_pick_excess(m, 0, 2, out), 0);
}

Test(caps_excess, ties_are_broken_by_user_id_whatever_the_order)
{
	const pol_cap_member a[] = {
		{ "@bob:localhost", 0, 7, 0 },
		{ "@alice:localhost", 0, 7, 0 },
		{ "@carol:localhost", 0, 7, 0 },
	};
	const pol_cap_member b[] = { a[2], a[0], a[1] };
	size_t out_a[3], out_b[3];

	cr_assert_eq(pol_caps_pick_excess(a, 3, 2, out_a), 2);
	cr_assert_eq(pol_caps_pick_excess(b, 3, 2, out_b), 2);
	cr_assert_str_eq(a[out_a[0]].user_id, b[out_b[0]].user_id);
	cr_assert_str_eq(a[out_a[1]].user_id, b[out_b[1]].user_id);
	cr_assert_str_eq(a[out_a[0]].user_id, "@carol:localhost");
	cr_assert_str_eq(a[out_a[1]].user_id, "@bob:localhost");
}

/* ---- the plans after a membership change (pol_caps_plan) ---- */

/* Wijkgroep a: a cap of 4 and a growth threshold of 3; @x, @y, @z are
 * its stuurgroep (protected). */
static pol_structure *plan_s;

static void plan_setup(void)
{
	plan_s = parse_sq_ok(RT_HEAD "{'id':'a','naam':'Noord','limiet':4,'groeidrempel':3,"
			     "'buurten':['Kerkebuurt','Beekpark']}," RT_B "," RT_C RT_TAIL);
}

static void plan_teardown(void)
{
	pol_structure_free(plan_s);
}

static const pol_caps_member five[] = {
	{ "@x:localhost", 0, 1, NULL },          /* stuurgroep, the latest joined: never removed */
	{ "@a:localhost", 0, 10, "Kerkebuurt" },
	{ "@b:localhost", 0, 20, "Beekpark" },
	{ "@c:localhost", 0, 30, "Kerkebuurt" },
	{ "@d:localhost", 1, 5, "Beekpark" },    /* an invitation goes before any joined member */
};

static pol_caps_facts facts_of(const pol_caps_member *m, size_t n)
{
	pol_caps_facts f;

	memset(&f, 0, sizeof f);
	f.structure = plan_s;
	f.wg = pol_structure_find_wijkgroep(plan_s, "a");
	f.members = m;
	f.n_members = n;
	cr_assert_not_null(f.wg);
	return f;
}

TestSuite(caps_plan, .init = plan_setup, .fini = plan_teardown);

Test(caps_plan, over_the_cap_removes_the_last_to_arrive_with_its_place)
{
	const char *const waiting[] = { "@w:localhost" };
	pol_caps_facts f = facts_of(five, 5);
	pol_caps_check_plan plan;

	f.waiting = waiting;
	f.n_waiting = 1;
	cr_assert_eq(pol_caps_plan_make(POL_LANG_NL, &f, &plan), 0);
	cr_assert_str_eq(plan.stuurgroep_key, "stuurgroep:s");
	cr_assert_eq(plan.excess, 1);
	cr_assert_eq(plan.n_remove, 1);
	cr_assert_str_eq(plan.remove[0].user_id, "@d:localhost");
	cr_assert_eq(plan.remove[0].since, 5);
	cr_assert_eq(plan.remove[0].position, 2, "after the one already waiting");
	assert_has(plan.remove[0].reason, "Noord heeft meer leden dan het maximum van 4");
	assert_has(plan.remove[0].reason, "(plaats 2)");
	assert_has(plan.remove[0].notice, "Ik heb de laatst gekomene, @d:localhost, verwijderd");
	cr_assert_not(plan.growth_due, "over the cap: no growth notice as well");
	cr_assert_not(plan.store_notified);
	pol_caps_plan_free(&plan);
}

Test(caps_plan, at_the_cap_nobody_is_removed)
{
	pol_caps_facts f = facts_of(five, 4);
	pol_caps_check_plan plan;

	f.growth_notified = 1;
	cr_assert_eq(pol_caps_plan_make(POL_LANG_NL, &f, &plan), 0);
	cr_assert_eq(plan.excess, 0);
	cr_assert_eq(plan.n_remove, 0);
	cr_assert_null(plan.remove);
	pol_caps_plan_free(&plan);
}

Test(caps_plan, over_by_two_in_english_and_someone_already_waiting_keeps_their_place)
{
	const pol_caps_member six[] = {
		five[0], five[1], five[2], five[3], five[4], { "@e:localhost", 0, 40, NULL },
	};
	const char *const waiting[] = { "@w:localhost", "@c:localhost" };
	pol_caps_facts f = facts_of(six, 6);
	pol_caps_check_plan plan = { 0 };

	f.waiting = waiting;
	f.n_waiting = 2;
	cr_assert_eq(pol_caps_plan_overcap(POL_LANG_EN, &f, &plan), 0);
	cr_assert_eq(plan.excess, 2);
	cr_assert_eq(plan.n_remove, 2);
	cr_assert_str_eq(plan.remove[0].user_id, "@d:localhost");
	cr_assert_eq(plan.remove[0].position, 3);
	cr_assert_str_eq(plan.remove[1].user_id, "@e:localhost");
	cr_assert_eq(plan.remove[1].position, 4, "the next new place");
	assert_has(plan.remove[1].reason, "Noord has more members than its maximum of 4");
	assert_has(plan.remove[1].reason, "(place 4)");
	assert_has(plan.remove[1].notice, "I removed the last to arrive, @e:localhost");
	pol_caps_plan_free(&plan);
}

Test(caps_plan, the_stuurgroep_is_never_removed)
{
	const pol_caps_member sg[] = {
		{ "@x:localhost", 0, 1, NULL }, { "@y:localhost", 0, 2, NULL }, { "@z:localhost", 0, 3, NULL },
		{ "@a:localhost", 0, 4, NULL }, { "@b:localhost", 0, 5, NULL }, { "@c:localhost", 0, 6, NULL },
	};
	pol_caps_facts f = facts_of(sg, 6);
	pol_caps_check_plan plan = { 0 };

	cr_assert_eq(pol_caps_plan_overcap(POL_LANG_NL, &f, &plan), 0);
	cr_assert_eq(plan.excess, 2);
	cr_assert_eq(plan.n_remove, 2);
	cr_assert_str_eq(plan.remove[0].user_id, "@c:localhost");
	cr_assert_str_eq(plan.remove[1].user_id, "@b:localhost");
	pol_caps_plan_free(&plan);
}

Test(caps_plan, only_protected_left_stays_over)
{
	const pol_caps_member tight[] = {
		{ "@x:localhost", 0, 1, NULL }, { "@y:localhost", 0, 2, NULL }, { "@z:localhost", 0, 3, NULL },
		{ "@a:localhost", 0, 4, NULL }, { "@x:localhost", 0, 5, NULL }, { "@y:localhost", 1, 6, NULL },
	};
	pol_caps_facts f = facts_of(tight, 6);
	pol_caps_check_plan plan = { 0 };

	cr_assert_eq(pol_caps_plan_overcap(POL_LANG_NL, &f, &plan), 0);
	cr_assert_eq(plan.excess, 2);
	cr_assert_eq(plan.n_remove, 1, "only @a is not protected");
	cr_assert_str_eq(plan.remove[0].user_id, "@a:localhost");
	pol_caps_plan_free(&plan);
}

Test(caps_plan, growth_notice_past_the_threshold_once)
{
	pol_caps_facts f = facts_of(five, 4);
	pol_caps_check_plan plan;

	cr_assert_eq(pol_caps_plan_make(POL_LANG_NL, &f, &plan), 0);
	cr_assert(plan.growth_due, "4 is past the threshold of 3");
	cr_assert(plan.store_notified);
	cr_assert_eq(plan.notified, 1);
	assert_has(plan.growth_text, "Noord heeft nu 4 leden: meer dan de groeidrempel van 3 (maximum 4)");
	assert_has(plan.growth_text, "- Kerkebuurt: 2\n");
	assert_has(plan.growth_text, "- Beekpark: 1\n");
	cr_assert_null(strstr(plan.growth_text, "onbekend"), "the stuurgroep is not counted per buurt");
	pol_caps_plan_free(&plan);

	f.growth_notified = 1;
	cr_assert_eq(pol_caps_plan_make(POL_LANG_NL, &f, &plan), 0);
	cr_assert_not(plan.growth_due, "told already");
	cr_assert_not(plan.store_notified, "nothing changed");
	pol_caps_plan_free(&plan);
}

Test(caps_plan, growth_at_the_threshold_is_quiet_and_rearms_in_english)
{
	pol_caps_facts f = facts_of(five, 3);
	pol_caps_check_plan plan;

	cr_assert_eq(pol_caps_plan_make(POL_LANG_EN, &f, &plan), 0);
	cr_assert_not(plan.growth_due, "reaching 3 is not passing it");
	cr_assert_not(plan.store_notified);
	pol_caps_plan_free(&plan);

	f.n_members = 2;
	f.growth_notified = 1;
	cr_assert_eq(pol_caps_plan_make(POL_LANG_EN, &f, &plan), 0);
	cr_assert_not(plan.growth_due);
	cr_assert(plan.store_notified, "dropped a margin below: the memory is cleared");
	cr_assert_eq(plan.notified, 0);
	pol_caps_plan_free(&plan);

	f.n_members = 4;
	f.growth_notified = 0;
	cr_assert_eq(pol_caps_plan_make(POL_LANG_EN, &f, &plan), 0);
	cr_assert(plan.growth_due);
	assert_has(plan.growth_text, "Noord now has 4 members: more than its growth threshold of 3 (maximum 4)");
	pol_caps_plan_free(&plan);
}

Test(caps_plan, freed_place_names_the_first_waiting_under_the_cap_only)
{
	const char *const waiting[] = { "@w:localhost", "@v:localhost" };
	pol_caps_facts f = facts_of(five, 3);
	pol_caps_check_plan plan;

	f.waiting = waiting;
	f.n_waiting = 2;
	f.membership = "leave";
	f.growth_notified = 1;
	cr_assert_eq(pol_caps_plan_make(POL_LANG_NL, &f, &plan), 0);
	cr_assert(plan.freed_due);
	cr_assert_str_eq(plan.freed_user, "@w:localhost");
	cr_assert_str_eq(plan.freed_text, "Er is plek in Noord (3 van 4). Eerste op de wachtlijst: @w:localhost. "
					  "Toelaten: !lid toevoegen @w:localhost a");
	pol_caps_plan_free(&plan);

	f.membership = "ban";
	pol_caps_plan_freed(POL_LANG_EN, &f, &plan);
	cr_assert(plan.freed_due);
	assert_has(plan.freed_text, "There is room in Noord (3 of 4). First on the waiting list: @w:localhost.");

	f.n_members = 4;   /* at the cap: no place free */
	pol_caps_plan_freed(POL_LANG_NL, &f, &plan);
	cr_assert_not(plan.freed_due);
	f.n_members = 3;
	f.n_waiting = 0;   /* nobody waiting */
	pol_caps_plan_freed(POL_LANG_NL, &f, &plan);
	cr_assert_not(plan.freed_due);
	f.n_waiting = 2;
	f.membership = "join";   /* not a leave */
	pol_caps_plan_freed(POL_LANG_NL, &f, &plan);
	cr_assert_not(plan.freed_due);
	f.membership = NULL;     /* a sweep */
	pol_caps_plan_freed(POL_LANG_NL, &f, &plan);
	cr_assert_not(plan.freed_due);
}

Test(caps_plan, welcome_only_a_join_that_is_a_member)
{
	pol_caps_facts f = facts_of(five, 3);
	pol_caps_check_plan plan;

	f.membership = "join";
	f.user = "@a:localhost";
	f.user_is_member = 1;
	pol_caps_plan_welcome(POL_LANG_NL, &f, &plan);
	cr_assert(plan.welcome_due);
	cr_assert_str_eq(plan.welcome_user, "@a:localhost");
	cr_assert_str_eq(plan.welcome_text, "Welkom @a:localhost! Fijn dat je meedoet. Lees eerst de spelregels: "
					    "typ !spelregels.");
	pol_caps_plan_welcome(POL_LANG_EN, &f, &plan);
	assert_has(plan.welcome_text, "Welcome @a:localhost! Glad you are taking part.");

	f.user_is_member = 0;
	pol_caps_plan_welcome(POL_LANG_NL, &f, &plan);
	cr_assert_not(plan.welcome_due, "not let in");
	f.user_is_member = 1;
	f.membership = "leave";
	pol_caps_plan_welcome(POL_LANG_NL, &f, &plan);
	cr_assert_not(plan.welcome_due);
	f.membership = "join";
	f.user = NULL;
	pol_caps_plan_welcome(POL_LANG_NL, &f, &plan);
	cr_assert_not(plan.welcome_due);
}
