/* Unit tests of policy/pol_structure: the shipped examples, one test per
 * kind of error (path and message), all problems in one go, warnings,
 * lookups, the derived rooms and the reload diff. Examples are read from
 * $BUURTBOT_EXAMPLES or deploy/examples (run from the repository root). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/pol_structure.h"

/* ---- helpers ---- */

static char *read_example(const char *name, size_t *len)
{
	const char *dir = getenv("BUURTBOT_EXAMPLES");
	char path[512];
	FILE *f;
	char *buf;
	long n;

	if (!dir)
		dir = "deploy/examples";
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s (run from the repository root)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static pol_structure *load_example(const char *name)
{
	size_t len;
	char *json = read_example(name, &len);
	pol_problems p;
	pol_structure *s = NULL;
	int rc;

	pol_problems_init(&p);
	rc = pol_structure_parse(&s, json, len, &p);
	for (size_t i = 0; i < p.n; i++)
		fprintf(stderr, "%s: %s: %s\n", name, p.items[i].path, p.items[i].message);
	cr_assert_eq(rc, 0, "%s does not parse", name);
	cr_assert_eq(p.n_errors, 0);
	cr_assert_eq(p.n_warnings, 0, "%s has warnings", name);
	pol_problems_free(&p);
	free(json);
	return s;
}

/* Parses JSON written with ' for " (readable in C). */
static int parse_sq(const char *sq, pol_structure **s, pol_problems *p)
{
	size_t n = strlen(sq);
	char *json = malloc(n + 1);
	int rc;

	cr_assert_not_null(json);
	for (size_t i = 0; i <= n; i++)
		json[i] = sq[i] == '\'' ? '"' : sq[i];
	pol_problems_init(p);
	rc = pol_structure_parse(s, json, n, p);
	free(json);
	return rc;
}

static void dump(const pol_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		fprintf(stderr, "  %s %s: %s\n", p->items[i].severity == POL_SEV_ERROR ? "error" : "warning",
			p->items[i].path, p->items[i].message);
}

static const pol_problem *find_problem(const pol_problems *p, pol_severity sev, const char *path,
				       const char *needle)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].severity == sev && strcmp(p->items[i].path, path) == 0 &&
		    strstr(p->items[i].message, needle))
			return &p->items[i];
	return NULL;
}

/* The file must be refused with (at least) this error. */
static void expect_error(const char *sq, const char *path, const char *needle)
{
	pol_structure *s = (pol_structure *)1;
	pol_problems p;
	int rc = parse_sq(sq, &s, &p);

	if (!find_problem(&p, POL_SEV_ERROR, path, needle))
		dump(&p);
	cr_assert_eq(rc, POL_STRUCT_EINVAL);
	cr_assert_null(s, "a refused file must leave *out NULL");
	cr_assert_geq(p.n_errors, 1);
	cr_assert_not_null(find_problem(&p, POL_SEV_ERROR, path, needle),
			   "no error at %s mentioning \"%s\"", path, needle);
	pol_problems_free(&p);
}

/* A small valid gemeente to mutate: one wijk, wijkgroepen a and b,
 * stuurgroep s with three members. */
#define HEAD "{'gemeente':'G','operators':['@op:localhost'],'wijken':[{'id':'w','naam':'W',"
#define WG_A "{'id':'a','naam':'A','buurten':['1111']}"
#define WG_B "{'id':'b','naam':'B','buurten':['2222']}"
#define LEDEN3 "'leden':['@x:localhost','@y:localhost','@z:localhost']"
#define SG_S(beheert) "{'id':'s','naam':'S'," LEDEN3 ",'telefoonbeheerder':'@x:localhost','beheert':[" beheert "]}"
#define VALID HEAD "'wijkgroepen':[" WG_A "," WG_B "],'stuurgroepen':[" SG_S("'a','b'") "]}]}"

/* ---- the examples ---- */

Test(structure, minimal_file_is_valid)
{
	pol_structure *s = NULL;
	pol_problems p;

	cr_assert_eq(parse_sq(VALID, &s, &p), 0);
	dump(&p);
	cr_assert_eq(p.n, 0);
	cr_assert_not_null(s);
	pol_structure_free(s);
	pol_problems_free(&p);
}

Test(structure, fase1_example)
{
	pol_structure *s = load_example("zoomwijck-fase1.json");
	const pol_wijk *w = pol_structure_wijk(s, 0);

	cr_assert_str_eq(pol_structure_gemeente(s), "Zoomstad");
	cr_assert_eq(pol_structure_n_wijken(s), 1);
	cr_assert_eq(w->n_wijkgroepen, 1);
	cr_assert_eq(w->n_stuurgroepen, 1);
	cr_assert_eq(w->regiegroep, 0);
	cr_assert_eq(w->wijkgroepen[0].limiet, 100);
	cr_assert_eq(w->wijkgroepen[0].groeidrempel, 80);
	cr_assert_eq(w->wijkgroepen[0].n_buurten, 5);
	cr_assert_str_eq(w->stuurgroepen[0].telefoonbeheerder, "@anna.stuur:localhost");
	/* gemeente space, wijk space, stuurgroep, wijkgroep; no regiegroep */
	cr_assert_eq(pol_structure_n_rooms(s), 4);
	cr_assert_null(pol_structure_room_by_key(s, "regiegroep:zoomwijck"));
	cr_assert_null(pol_structure_gem_regiegroep(s));
	pol_structure_free(s);
}

Test(structure, fase2_example)
{
	pol_structure *s = load_example("zoomwijck-fase2.json");
	const pol_wijk *w = pol_structure_wijk(s, 0);

	cr_assert_eq(w->n_wijkgroepen, 5);
	cr_assert_eq(w->n_stuurgroepen, 2);
	cr_assert(w->regiegroep);
	cr_assert_not_null(w->spelregels);
	cr_assert_not_null(strstr(w->spelregels, "112"));
	/* 2 Spaces + regiegroep + 2 stuurgroepen + 5 wijkgroepen */
	cr_assert_eq(pol_structure_n_rooms(s), 10);
	for (size_t i = 0; i < w->n_wijkgroepen; i++)
		cr_assert_not_null(w->wijkgroepen[i].stuurgroep);
	pol_structure_free(s);
}

Test(structure, gemeente_example)
{
	pol_structure *s = load_example("gemeente-twee-wijken.json");
	const pol_gem_regiegroep *g = pol_structure_gem_regiegroep(s);

	cr_assert_eq(pol_structure_n_wijken(s), 2);
	cr_assert_not_null(g);
	cr_assert_eq(g->n_afgevaardigden, 3);
	cr_assert_not_null(pol_structure_room_by_key(s, "gemeentelijke_regiegroep"));
	cr_assert_not_null(pol_structure_room_by_key(s, "regiegroep:poortwijk"));
	cr_assert_eq(pol_structure_n_politie(s), 2);
	/* a telefoonbeheerder written as a one-element list is accepted */
	cr_assert_str_eq(pol_structure_find_stuurgroep(s, "stuurgroep-poortwijk-oost")->telefoonbeheerder,
			 "@kees.stuur:localhost");
	/* defaults and explicit caps */
	cr_assert_eq(pol_structure_find_wijkgroep(s, "zoomwijck-zuid")->limiet, 120);
	cr_assert_eq(pol_structure_find_wijkgroep(s, "zoomwijck-zuid")->groeidrempel, 100);
	cr_assert_eq(pol_structure_find_wijkgroep(s, "poortwijk-west")->limiet, 100);
	cr_assert_eq(pol_structure_find_wijkgroep(s, "poortwijk-west")->groeidrempel, 80);
	pol_structure_free(s);
}

/* ---- one test per kind of error ---- */

Test(structure_errors, invalid_json_names_line_and_column)
{
	expect_error("{'gemeente': 'G',\n  'wijken': [1,]\n}", "(file)", "invalid JSON at line 2, column 16");
	expect_error("{} trailing", "(file)", "invalid JSON at line 1, column 4");
	expect_error("", "(file)", "empty");
	expect_error("[1, 2]", "(file)", "must be an object");
}

Test(structure_errors, nul_byte_and_size_limit)
{
	pol_structure *s = NULL;
	pol_problems p;
	static char big[POL_STRUCT_MAX_BYTES + 2];

	pol_problems_init(&p);
	cr_assert_eq(pol_structure_parse(&s, "{\"gemeente\"\0:1}", 15, &p), POL_STRUCT_EINVAL);
	cr_assert_not_null(find_problem(&p, POL_SEV_ERROR, "(file)", "NUL byte at offset 11"));
	pol_problems_free(&p);

	memset(big, ' ', sizeof big);
	big[0] = '{';
	big[sizeof big - 1] = '}';
	cr_assert_eq(pol_structure_parse(&s, big, sizeof big, &p), POL_STRUCT_EINVAL);
	cr_assert_not_null(find_problem(&p, POL_SEV_ERROR, "(file)", "at most 1048576"));
	cr_assert_null(s);
	pol_problems_free(&p);
	/* a NULL problems list is allowed */
	cr_assert_eq(pol_structure_parse(&s, "{", 1, NULL), POL_STRUCT_EINVAL);
	cr_assert_null(s);
}

Test(structure_errors, telefoonbeheerder_not_among_leden)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S'," LEDEN3
		     ",'telefoonbeheerder':'@q:localhost','beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].telefoonbeheerder", "is not one of this stuurgroep's leden");
}

Test(structure_errors, two_telefoonbeheerders)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S'," LEDEN3
		     ",'telefoonbeheerder':['@x:localhost','@y:localhost'],'beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].telefoonbeheerder", "names 2 people");
}

Test(structure_errors, no_telefoonbeheerder)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S'," LEDEN3
		     ",'beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].telefoonbeheerder", "missing");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S'," LEDEN3
		     ",'telefoonbeheerder':[],'beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].telefoonbeheerder", "is empty");
}

Test(structure_errors, stuurgroep_without_members)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S','leden':[],"
		     "'telefoonbeheerder':'@x:localhost','beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].leden", "needs members");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S',"
		     "'telefoonbeheerder':'@x:localhost','beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].leden", "missing");
}

Test(structure_errors, wijkgroep_managed_by_no_stuurgroep)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A "," WG_B "],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[1]", "managed by no stuurgroep");
}

Test(structure_errors, wijkgroep_managed_by_two_stuurgroepen)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A "," WG_B "],'stuurgroepen':[" SG_S("'a','b'") ","
		     "{'id':'t','naam':'T','leden':['@x:localhost','@q:localhost','@r:localhost'],"
		     "'telefoonbeheerder':'@q:localhost','beheert':['b']}]}]}",
		     "wijken[0].stuurgroepen[1].beheert[0]", "already managed by stuurgroep \"s\"");
}

Test(structure_errors, beheert_unknown_wijkgroep)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[" SG_S("'a','zz'") "]}]}",
		     "wijken[0].stuurgroepen[0].beheert[1]", "no wijkgroep with id \"zz\"");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[" SG_S("'a','a'") "]}]}",
		     "wijken[0].stuurgroepen[0].beheert[1]", "listed twice");
}

Test(structure_errors, delegate_not_a_stuurgroep_member)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[" SG_S("'a'") "]}],"
		     "'gemeentelijke_regiegroep':{'afgevaardigden':['@x:localhost','@nobody:localhost']}}",
		     "gemeentelijke_regiegroep.afgevaardigden[1]", "not a member of any stuurgroep");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[" SG_S("'a'") "]}],"
		     "'gemeentelijke_regiegroep':{'afgevaardigden':[]}}",
		     "gemeentelijke_regiegroep.afgevaardigden", "at least one");
}

#define POLICE_IN(kamers) HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[" SG_S("'a'") "]}]," \
	"'politie':[{'gebruiker':'@agent:localhost','naam':'Agent','kamers':[" kamers "]}]}"

Test(structure_errors, police_room_reference_unknown)
{
	expect_error(POLICE_IN("'stuurgroep:nope'"), "politie[0].kamers[0]", "no stuurgroep with this id");
	expect_error(POLICE_IN("'stuurgroep:s','regiegroep:w'"), "politie[0].kamers[1]", "this wijk has no regiegroep");
	expect_error(POLICE_IN("'regiegroep:nope'"), "politie[0].kamers[0]", "no wijk with this id");
	expect_error(POLICE_IN("'wijkgroep:a'"), "politie[0].kamers[0]", "not in wijkgroepen");
	expect_error(POLICE_IN("'wijk:w'"), "politie[0].kamers[0]", "not a room politie can sit in");
	expect_error(POLICE_IN("'gemeentelijke_regiegroep'"), "politie[0].kamers[0]", "no gemeentelijke_regiegroep");
	expect_error(POLICE_IN("'stuurgroep:s','stuurgroep:s'"), "politie[0].kamers[1]", "listed twice");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[" SG_S("'a'") "]}],"
		     "'politie':[{'gebruiker':'@agent:localhost','naam':'A','kamers':['stuurgroep:s']},"
		     "{'gebruiker':'@agent:localhost','naam':'B','kamers':['stuurgroep:s']}]}",
		     "politie[1].gebruiker", "listed twice");
}

Test(structure_errors, duplicate_ids)
{
	expect_error(HEAD "'wijkgroepen':[" WG_A ",{'id':'a','naam':'Other','buurten':['3333']}],"
		     "'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[1]", "duplicate wijkgroep id \"a\"");
	expect_error(HEAD "'wijkgroepen':[" WG_A "," WG_B "],'stuurgroepen':[" SG_S("'a'") ","
		     "{'id':'s','naam':'S2'," LEDEN3 ",'telefoonbeheerder':'@x:localhost','beheert':['b']}]}]}",
		     "wijken[0].stuurgroepen[1]", "duplicate stuurgroep id \"s\"");
	expect_error("{'gemeente':'G','wijken':[{'id':'w','naam':'W','wijkgroepen':[" WG_A "],"
		     "'stuurgroepen':[" SG_S("'a'") "]},{'id':'w','naam':'W2','wijkgroepen':[" WG_B "],"
		     "'stuurgroepen':[{'id':'t','naam':'T'," LEDEN3 ",'telefoonbeheerder':'@x:localhost','beheert':['b']}]}]}",
		     "wijken[1]", "duplicate wijk id \"w\"");
	/* ids and names of wijkgroepen share one namespace (lookups by either) */
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'Alpha'},{'id':'b','naam':'a','buurten':['2222']}],"
		     "'stuurgroepen':[" SG_S("'a','b'") "]}]}",
		     "wijken[0].wijkgroepen[1]", "naam \"a\" is the id of wijken[0].wijkgroepen[0]");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'Bee'},{'id':'bee','naam':'B2','buurten':['2222']}],"
		     "'stuurgroepen':[" SG_S("'a','bee'") "]}]}",
		     "wijken[0].wijkgroepen[1]", "id \"bee\" is the naam of wijken[0].wijkgroepen[0]");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'Alpha'},{'id':'b','naam':'a ','buurten':['2222']}],"
		     "'stuurgroepen':[" SG_S("'a','b'") "]}]}",
		     "wijken[0].wijkgroepen[1]", "is the id of");
	expect_error(HEAD "'wijkgroepen':[" WG_A ",{'id':'b','naam':'A','buurten':['2222']}],"
		     "'stuurgroepen':[" SG_S("'a','b'") "]}]}",
		     "wijken[0].wijkgroepen[1]", "duplicate wijkgroep naam");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S','leden':"
		     "['@x:localhost','@y:localhost','@x:localhost'],'telefoonbeheerder':'@x:localhost','beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].leden[2]", "listed twice");
}

Test(structure_errors, malformed_ids_and_user_ids)
{
	static const struct {
		const char *user;
		const char *why;
	} bad[] = {
		{ "anna:localhost", "must start with '@'" },
		{ "@anna", "no ':server'" },
		{ "@:localhost", "empty name" },
		{ "@Anna:localhost", "lower case" },
		{ "@an na:localhost", "not allowed in a Matrix user name" },
		{ "@anna:", "empty server name" },
		{ "@anna:local host", "not allowed in a server name" },
		{ "@anna:localhost:80x", "malformed port" },
		{ "@anna:[::1", "IPv6" },
	};
	char buf[1024];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(buf, sizeof buf, HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S',"
			 "'leden':['@x:localhost','@y:localhost','%s'],'telefoonbeheerder':'@x:localhost',"
			 "'beheert':['a']}]}]}", bad[i].user);
		expect_error(buf, "wijken[0].stuurgroepen[0].leden[2]", bad[i].why);
	}
	/* the accepted forms */
	{
		pol_structure *s = NULL;
		pol_problems p;

		cr_assert_eq(parse_sq(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S',"
				      "'leden':['@x.y_z=1-/+:example.org','@y:127.0.0.1:8448','@z:[::1]:8008'],"
				      "'telefoonbeheerder':'@y:127.0.0.1:8448','beheert':['a']}]}]}", &s, &p), 0);
		pol_structure_free(s);
		pol_problems_free(&p);
	}
	expect_error(HEAD "'wijkgroepen':[{'id':'Noord Oost','naam':'A'}],'stuurgroepen':[" SG_S("") "]}]}",
		     "wijken[0].wijkgroepen[0].id", "not a valid id");
	expect_error(HEAD "'wijkgroepen':[{'id':'-a','naam':'A'}],'stuurgroepen':[" SG_S("") "]}]}",
		     "wijken[0].wijkgroepen[0].id", "not a valid id");
	expect_error("{'gemeente':'G','operators':['@OP:localhost'],'wijken':[]}", "operators[0]", "lower case");
}

Test(structure_errors, cap_out_of_range_and_threshold_above_cap)
{
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','limiet':0}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].limiet", "between 1 and 100000");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','limiet':100001}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].limiet", "between 1 and 100000");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','limiet':12.5}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].limiet", "whole number");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','limiet':'100'}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].limiet", "must be a whole number, not a string");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','limiet':50,'groeidrempel':60}],"
		     "'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].groeidrempel", "above the limiet 50");
}

Test(structure, threshold_defaults_to_80_percent_of_cap)
{
	pol_structure *s = NULL;
	pol_problems p;

	cr_assert_eq(parse_sq(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['1111'],'limiet':50},"
			      "{'id':'b','naam':'B','buurten':['2222'],'limiet':1}],"
			      "'stuurgroepen':[" SG_S("'a','b'") "]}]}", &s, &p), 0);
	cr_assert_eq(pol_structure_find_wijkgroep(s, "a")->groeidrempel, 40);
	cr_assert_eq(pol_structure_find_wijkgroep(s, "b")->groeidrempel, 1);
	pol_structure_free(s);
	pol_problems_free(&p);
}

Test(structure_errors, overlapping_postcodes_between_wijkgroepen)
{
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['1111']},"
		     "{'id':'b','naam':'B','buurten':['1111AB']}],'stuurgroepen':[" SG_S("'a','b'") "]}]}",
		     "wijken[0].wijkgroepen[1].buurten[0]", "overlap \"1111\" of wijken[0].wijkgroepen[0].buurten[0]");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['1111AA-1111MZ']},"
		     "{'id':'b','naam':'B','buurten':[{'naam':'Oost','postcodes':['1111MZ-1112']}]}],"
		     "'stuurgroepen':[" SG_S("'a','b'") "]}]}",
		     "wijken[0].wijkgroepen[1].buurten[0]", "postcodes \"1111MZ-1112ZZ\" overlap");
	/* across wijken too: sign-up does not know the wijk yet */
	expect_error("{'gemeente':'G','wijken':[{'id':'w','naam':'W','wijkgroepen':[" WG_A "],"
		     "'stuurgroepen':[" SG_S("'a'") "]},{'id':'v','naam':'V','wijkgroepen':["
		     "{'id':'b','naam':'B','buurten':['1110-1112']}],"
		     "'stuurgroepen':[{'id':'t','naam':'T'," LEDEN3 ",'telefoonbeheerder':'@x:localhost','beheert':['b']}]}]}",
		     "wijken[1].wijkgroepen[0].buurten[0]", "overlap");
	/* buurt names, case-insensitive */
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['De Hoek']},"
		     "{'id':'b','naam':'B','buurten':[{'naam':'de hoek'}]}],'stuurgroepen':[" SG_S("'a','b'") "]}]}",
		     "wijken[0].wijkgroepen[1].buurten[0]", "buurt \"de hoek\" is also in wijken[0].wijkgroepen[0].buurten[0]");
}

Test(structure_errors, malformed_postcodes)
{
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['1111A']}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].buurten[0]", "not a postcode");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['0111']}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].buurten[0]", "not a postcode");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['1112-1111']}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].buurten[0]", "runs backwards");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':[{'naam':'X','postcodes':[1111]}]}],"
		     "'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].buurten[0].postcodes[0]", "must be a string");
}

Test(structure_errors, empty_resident_facing_names)
{
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'   '}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].naam", "must not be empty");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':''," LEDEN3
		     ",'telefoonbeheerder':'@x:localhost','beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].naam", "must not be empty");
	expect_error(HEAD "'wijkgroepen':[{'id':'a'}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].naam", "missing");
	expect_error("{'gemeente':'','wijken':[]}", "gemeente", "must not be empty");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['  ']}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].buurten[0]", "must not be empty");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A\\nB'}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].naam", "control characters");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[" SG_S("'a'") "]}],"
		     "'politie':[{'gebruiker':'@agent:localhost','naam':' ','kamers':['stuurgroep:s']}]}",
		     "politie[0].naam", "must not be empty");
}

/* U+202E (override), U+2066 and U+2069 (isolates), U+202A (embedding) in
 * UTF-8: names with them are refused, as pol_utf8 refuses them in what
 * residents type. */
#define RLO "\xe2\x80\xae"
#define LRI "\xe2\x81\xa6"
#define PDI "\xe2\x81\xa9"
#define LRE "\xe2\x80\xaa"

Test(structure_errors, direction_controls_in_names)
{
	pol_structure *s = NULL;
	pol_problems p;

	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'Oude " RLO "mooZ','buurten':['1111']}],"
		     "'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].naam", "direction control");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['" LRI "Haven" PDI "']}],"
		     "'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].buurten[0]", "direction control");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':[{'naam':'Haven" PDI "','postcodes':['1111']}]}],"
		     "'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0].buurten[0].naam", "direction control");
	expect_error(HEAD "'wijkgroepen':[" WG_A "],'stuurgroepen':[{'id':'s','naam':'S" LRE "'," LEDEN3
		     ",'telefoonbeheerder':'@x:localhost','beheert':['a']}]}]}",
		     "wijken[0].stuurgroepen[0].naam", "direction control");
	expect_error("{'gemeente':'" RLO "G','wijken':[]}", "gemeente", "direction control");

	/* Right-to-left letters and the direction marks (invisible, not
	 * controls that turn text around) are names like any other. */
	cr_assert_eq(parse_sq(HEAD "'wijkgroepen':[{'id':'a','naam':'\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xe2\x80\x8f" "A',"
			      "'buurten':['1111']}],'stuurgroepen':[" SG_S("'a'") "]}]}", &s, &p), 0);
	dump(&p);
	cr_assert_not_null(pol_structure_find_wijkgroep(s, "a"));
	pol_structure_free(s);
	pol_problems_free(&p);

	/* A direction control quoted in a message (here an unknown key) shows
	 * as '?', so it cannot turn the operator's log line around. */
	s = (pol_structure *)1;
	cr_assert_eq(parse_sq("{'gemeente':'G','wijken':[],'x" RLO "y':1}", &s, &p), POL_STRUCT_EINVAL);
	cr_assert_not_null(find_problem(&p, POL_SEV_ERROR, "(file)", "unknown key \"x?y\""));
	for (size_t i = 0; i < p.n; i++)
		cr_assert_null(strstr(p.items[i].message, RLO), "%s", p.items[i].message);
	pol_problems_free(&p);
}

Test(structure_errors, unknown_and_repeated_keys_and_types)
{
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','limit':100}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0]", "unknown key \"limit\"");
	expect_error(HEAD "'wijkgroepen':[{'id':'a','naam':'A','naam':'B'}],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].wijkgroepen[0]", "key \"naam\" appears twice");
	expect_error(HEAD "'regiegroep':'ja','wijkgroepen':[" WG_A "],'stuurgroepen':[" SG_S("'a'") "]}]}",
		     "wijken[0].regiegroep", "true or false");
	expect_error(HEAD "'wijkgroepen':{},'stuurgroepen':[" SG_S("") "]}]}",
		     "wijken[0].wijkgroepen", "must be a list");
	expect_error("{'gemeente':'G','versie':2,'wijken':[]}", "versie", "versie 1");
	expect_error("{'gemeente':'G'}", "wijken", "missing");
	/* '_' keys are comments */
	{
		pol_structure *s = NULL;
		pol_problems p;

		cr_assert_eq(parse_sq(HEAD "'_note':1,'wijkgroepen':[{'_x':[],'id':'a','naam':'A'}],"
				      "'stuurgroepen':[" SG_S("'a'") "]}]}", &s, &p), 0);
		pol_structure_free(s);
		pol_problems_free(&p);
	}
}

Test(structure_errors, counts_past_the_limits)
{
	char *buf = malloc(200000);
	size_t len = 0;

	cr_assert_not_null(buf);
	len += (size_t)snprintf(buf + len, 200000 - len, "{'gemeente':'G','wijken':[");
	for (int i = 0; i < POL_STRUCT_MAX_WIJKEN + 1; i++)
		len += (size_t)snprintf(buf + len, 200000 - len, "%s{'id':'w%d','naam':'W%d','wijkgroepen':"
					"[{'id':'g%d','naam':'G%d'}],'stuurgroepen':[{'id':'s%d','naam':'S%d',"
					LEDEN3 ",'telefoonbeheerder':'@x:localhost','beheert':['g%d']}]}",
					i ? "," : "", i, i, i, i, i, i, i);
	snprintf(buf + len, 200000 - len, "]}");
	expect_error(buf, "wijken", "at most 32");
	free(buf);
}

/* ---- all of it at once ---- */

Test(structure, every_problem_is_listed_in_one_go)
{
	pol_structure *s = (pol_structure *)1;
	pol_problems p;
	int rc = parse_sq(
		"{'gemeente':'G','operators':['@op:localhost'],'wijken':[{'id':'w','naam':'W','regiegroep':true,"
		"'wijkgroepen':[{'id':'a','naam':'A','buurten':['1111'],'limiet':0},"
		"{'id':'b','naam':'B','buurten':['1111AB']},{'id':'c','naam':'C','buurten':['3333']}],"
		"'stuurgroepen':["
		"{'id':'s','naam':'S'," LEDEN3 ",'telefoonbeheerder':'@q:localhost','beheert':['a']},"
		"{'id':'t','naam':'T','leden':[],'telefoonbeheerder':'@x:localhost','beheert':['b']},"
		"{'id':'u','naam':'U','leden':['@p:localhost','@r:localhost'],"
		"'telefoonbeheerder':['@p:localhost','@r:localhost'],'beheert':['a']}]}],"
		"'gemeentelijke_regiegroep':{'afgevaardigden':['@nobody:localhost']},"
		"'politie':[{'gebruiker':'@agent:localhost','naam':'A','kamers':['stuurgroep:nope']}]}",
		&s, &p);
	static const struct {
		const char *path, *needle;
	} want[] = {
		{ "wijken[0].wijkgroepen[0].limiet", "between 1 and" },
		{ "wijken[0].stuurgroepen[0].telefoonbeheerder", "not one of" },
		{ "wijken[0].stuurgroepen[1].leden", "needs members" },
		{ "wijken[0].stuurgroepen[2].telefoonbeheerder", "names 2 people" },
		{ "wijken[0].stuurgroepen[2].beheert[0]", "already managed" },
		{ "wijken[0].wijkgroepen[2]", "managed by no stuurgroep" },
		{ "wijken[0].wijkgroepen[1].buurten[0]", "overlap" },
		{ "gemeentelijke_regiegroep.afgevaardigden[0]", "not a member of any stuurgroep" },
		{ "politie[0].kamers[0]", "no stuurgroep with this id" },
	};

	dump(&p);
	cr_assert_eq(rc, POL_STRUCT_EINVAL);
	cr_assert_null(s);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert_not_null(find_problem(&p, POL_SEV_ERROR, want[i].path, want[i].needle),
				   "missing: %s %s", want[i].path, want[i].needle);
	cr_assert_geq(p.n_errors, sizeof want / sizeof want[0]);
	/* and the warning for the 2-member stuurgroep is there too */
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "wijken[0].stuurgroepen[2]", "has 2 members"));
	pol_problems_free(&p);
}

Test(structure, problem_list_is_bounded)
{
	char *buf = malloc(100000);
	size_t len = 0;
	pol_structure *s = NULL;
	pol_problems p;

	cr_assert_not_null(buf);
	len += (size_t)snprintf(buf + len, 100000 - len, "{'gemeente':'G','operators':[");
	for (int i = 0; i < 250; i++)
		len += (size_t)snprintf(buf + len, 100000 - len, "%s'bad%d'", i ? "," : "", i);
	snprintf(buf + len, 100000 - len, "],'wijken':[]}");
	cr_assert_eq(parse_sq(buf, &s, &p), POL_STRUCT_EINVAL);
	cr_assert_eq(p.n, POL_PROBLEMS_MAX);
	cr_assert_gt(p.n_dropped, 0);
	cr_assert_geq(p.n_errors, 250);
	pol_problems_free(&p);
	free(buf);
}

/* ---- warnings ---- */

Test(structure, warnings_for_two_and_five_members_do_not_refuse)
{
	pol_structure *s = NULL;
	pol_problems p;
	int rc = parse_sq(HEAD "'regiegroep':true,'wijkgroepen':[" WG_A "," WG_B "],'stuurgroepen':["
			  "{'id':'s','naam':'S','leden':['@x:localhost','@y:localhost'],"
			  "'telefoonbeheerder':'@x:localhost','beheert':['a']},"
			  "{'id':'t','naam':'T','leden':['@a:localhost','@b:localhost','@c:localhost',"
			  "'@d:localhost','@e:localhost'],'telefoonbeheerder':'@e:localhost','beheert':['b']}]}]}",
			  &s, &p);

	dump(&p);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(s);
	cr_assert_eq(p.n_errors, 0);
	cr_assert_eq(p.n_warnings, 2);
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "wijken[0].stuurgroepen[0]", "has 2 members; the seed advises 3 to 4"));
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "wijken[0].stuurgroepen[1]", "has 5 members"));
	pol_structure_free(s);
	pol_problems_free(&p);
}

Test(structure, other_warnings)
{
	pol_structure *s = NULL;
	pol_problems p;
	int rc = parse_sq("{'gemeente':'G','wijken':[{'id':'w','naam':'W','wijkgroepen':[" WG_A
			  ",{'id':'b','naam':'B'}],'stuurgroepen':[" SG_S("'a'") ","
			  "{'id':'t','naam':'T'," LEDEN3 ",'telefoonbeheerder':'@x:localhost','beheert':['b']},"
			  "{'id':'u','naam':'U'," LEDEN3 ",'telefoonbeheerder':'@x:localhost','beheert':[]}]}],"
			  "'politie':[{'gebruiker':'@x:localhost','naam':'Agent'}]}", &s, &p);

	dump(&p);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "operators", "no operators"));
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "wijken[0]", "no regiegroep"));
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "wijken[0].wijkgroepen[1]", "lists no buurten"));
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "wijken[0].stuurgroepen[2]", "manages no wijkgroep"));
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "politie[0].kamers", "sits in no room"));
	cr_assert_not_null(find_problem(&p, POL_SEV_WARNING, "politie[0].gebruiker", "both politie and a stuurgroep member"));
	/* a user in two stuurgroepen is allowed */
	cr_assert_eq(pol_structure_stuurgroepen_of(s, "@x:localhost", NULL, 0), 3);
	pol_structure_free(s);
	pol_problems_free(&p);
}

/* ---- lookups ---- */

Test(structure_lookup, postcode_and_buurt_to_wijkgroep)
{
	pol_structure *s = load_example("zoomwijck-fase2.json");
	const pol_wijkgroep *wg;
	const pol_buurt *b;

	cr_assert_eq(pol_structure_locate(s, "7331 AB", &wg, &b), POL_LOCATE_FOUND);
	cr_assert_str_eq(wg->id, "kerkebuurt");
	cr_assert_str_eq(b->label, "Kerkebuurt");
	cr_assert_eq(pol_structure_locate(s, " 7331ab ", &wg, NULL), POL_LOCATE_FOUND);
	cr_assert_str_eq(wg->id, "kerkebuurt");
	cr_assert_eq(pol_structure_locate(s, "7333MZ", &wg, &b), POL_LOCATE_FOUND);
	cr_assert_str_eq(wg->id, "molenveld");
	cr_assert_eq(pol_structure_locate(s, "7333NA", &wg, &b), POL_LOCATE_FOUND);
	cr_assert_str_eq(wg->id, "het-laar");
	cr_assert_eq(pol_structure_locate(s, "7335", &wg, &b), POL_LOCATE_FOUND);
	cr_assert_str_eq(wg->id, "zoomhoek");
	/* 7333 is split over two wijkgroepen: ask for the letters */
	cr_assert_eq(pol_structure_locate(s, "7333", &wg, &b), POL_LOCATE_AMBIGUOUS);
	cr_assert_null(wg);
	cr_assert_eq(pol_structure_locate(s, "9999AA", &wg, &b), POL_LOCATE_NOT_FOUND);
	cr_assert_eq(pol_structure_locate(s, "het laar", &wg, &b), POL_LOCATE_FOUND);
	cr_assert_str_eq(wg->id, "het-laar");
	cr_assert_str_eq(b->naam, "Het Laar");
	cr_assert_eq(pol_structure_locate(s, "Nergenshuizen", &wg, &b), POL_LOCATE_NOT_FOUND);
	cr_assert_eq(pol_structure_locate(s, "", &wg, &b), POL_LOCATE_NOT_FOUND);
	cr_assert_eq(pol_structure_locate(s, NULL, &wg, &b), POL_LOCATE_NOT_FOUND);
	pol_structure_free(s);
}

Test(structure_lookup, postcode_parsing)
{
	pol_postcode_range r;

	cr_assert_eq(pol_postcode_parse("1234AB", &r), 0);
	cr_assert_eq(r.lo, r.hi);
	cr_assert_eq(r.lo, 1234u * 676u + 0u * 26u + 1u);
	cr_assert_eq(pol_postcode_parse("1234 ab", &r), 0);
	cr_assert_eq(r.lo, 1234u * 676u + 1u);
	cr_assert_eq(pol_postcode_parse("1234", &r), 0);
	cr_assert_eq(r.lo, 1234u * 676u);
	cr_assert_eq(r.hi, 1234u * 676u + 675u);
	cr_assert_neq(pol_postcode_parse("0123AB", &r), 0);
	cr_assert_neq(pol_postcode_parse("12345", &r), 0);
	cr_assert_neq(pol_postcode_parse("1234A", &r), 0);
	cr_assert_neq(pol_postcode_parse("1234ABC", &r), 0);
	cr_assert_neq(pol_postcode_parse("1234-1235", &r), 0);
	cr_assert_neq(pol_postcode_parse("", &r), 0);
	cr_assert_neq(pol_postcode_parse(NULL, &r), 0);
}

Test(structure_lookup, wijkgroep_by_id_or_name_and_stuurgroepen_of_a_user)
{
	pol_structure *s = load_example("zoomwijck-fase2.json");
	const pol_stuurgroep *sgs[4];

	cr_assert_str_eq(pol_structure_find_wijkgroep(s, "het-laar")->naam, "Wijkgroep Het Laar");
	cr_assert_str_eq(pol_structure_find_wijkgroep(s, "  wijkgroep het LAAR ")->id, "het-laar");
	cr_assert_str_eq(pol_structure_find_wijkgroep(s, "HET-LAAR")->id, "het-laar");
	cr_assert_null(pol_structure_find_wijkgroep(s, "het"));
	cr_assert_null(pol_structure_find_wijkgroep(s, ""));
	cr_assert_str_eq(pol_structure_find_wijkgroep(s, "molenveld")->stuurgroep->id, "stuurgroep-zuid");

	cr_assert_eq(pol_structure_stuurgroepen_of(s, "@eva.stuur:localhost", sgs, 4), 1);
	cr_assert_str_eq(sgs[0]->id, "stuurgroep-zuid");
	cr_assert_eq(pol_structure_stuurgroepen_of(s, "@politie.wijkagent:localhost", sgs, 4), 0);
	cr_assert(pol_stuurgroep_manages(sgs[0], pol_structure_find_wijkgroep(s, "het-laar")));
	cr_assert_not(pol_stuurgroep_manages(sgs[0], pol_structure_find_wijkgroep(s, "beekpark")));
	cr_assert(pol_structure_is_operator(s, "@admin:localhost"));
	cr_assert_not(pol_structure_is_operator(s, "@anna.stuur:localhost"));
	cr_assert_not_null(pol_structure_find_politie(s, "@politie.wijkagent:localhost"));
	cr_assert_null(pol_structure_find_politie(s, "@anna.stuur:localhost"));
	pol_structure_free(s);
}

Test(structure_lookup, regiegroep_membership_is_derived)
{
	pol_structure *s2 = load_example("zoomwijck-fase2.json");
	pol_structure *s1 = load_example("zoomwijck-fase1.json");
	const pol_wijk *w = pol_structure_wijk(s2, 0);
	const pol_room *r = pol_structure_room_by_key(s2, "regiegroep:zoomwijck");
	size_t n_leden = 0, i, j;

	cr_assert_not_null(r);
	cr_assert_eq(r->kind, POL_ROOM_REGIEGROEP);
	cr_assert_str_eq(r->naam, "Regiegroep Zoomwijck");
	/* every stuurgroep member of the wijk, as moderator */
	for (i = 0; i < w->n_stuurgroepen; i++) {
		for (j = 0; j < w->stuurgroepen[i].n_leden; j++) {
			const char *u = w->stuurgroepen[i].leden[j];
			int found = 0;

			cr_assert(pol_wijk_in_regiegroep(w, u), "%s not in the regiegroep", u);
			for (size_t k = 0; k < r->n_members; k++)
				if (strcmp(r->members[k].user_id, u) == 0 && r->members[k].power == POL_POWER_MODERATOR)
					found = 1;
			cr_assert(found, "%s not a moderator of the regiegroep room", u);
		}
		n_leden += w->stuurgroepen[i].n_leden;
	}
	cr_assert_eq(n_leden, 7);
	/* plus the wijkagent who sits there, without power */
	cr_assert_eq(r->n_members, 8);
	cr_assert_not(pol_wijk_in_regiegroep(w, "@politie.wijkagent:localhost"));
	cr_assert_not(pol_wijk_in_regiegroep(w, "@someone:localhost"));
	/* fase 1 has none */
	cr_assert_not(pol_wijk_in_regiegroep(pol_structure_wijk(s1, 0), "@anna.stuur:localhost"));
	pol_structure_free(s1);
	pol_structure_free(s2);
}

Test(structure_rooms, keys_kinds_parents_and_power)
{
	pol_structure *s = load_example("gemeente-twee-wijken.json");
	size_t n = pol_structure_n_rooms(s), i, j;
	const pol_room *r;

	cr_assert_eq(n, 13);
	cr_assert_str_eq(pol_structure_room(s, 0)->key, "gemeente");
	cr_assert_eq(pol_structure_room(s, 0)->kind, POL_ROOM_GEMEENTE_SPACE);
	cr_assert_null(pol_structure_room(s, 0)->parent);
	for (i = 0; i < n; i++) {
		r = pol_structure_room(s, i);
		cr_assert_eq(pol_structure_room_by_key(s, r->key), r);
		cr_assert_gt(strlen(r->naam), 0);
		/* parents come first */
		if (r->parent) {
			int seen = 0;

			for (j = 0; j < i; j++)
				if (strcmp(pol_structure_room(s, j)->key, r->parent) == 0)
					seen = 1;
			cr_assert(seen, "%s listed before its parent %s", r->key, r->parent);
		}
		/* Spaces give no power; members sorted and unique */
		for (j = 0; j < r->n_members; j++) {
			if (r->kind == POL_ROOM_WIJK_SPACE || r->kind == POL_ROOM_GEMEENTE_SPACE)
				cr_assert_eq(r->members[j].power, POL_POWER_MEMBER);
			if (j)
				cr_assert_lt(strcmp(r->members[j - 1].user_id, r->members[j].user_id), 0);
		}
	}
	r = pol_structure_room_by_key(s, "wijkgroep:poortwijk-oost");
	cr_assert_eq(r->kind, POL_ROOM_WIJKGROEP);
	cr_assert_str_eq(r->parent, "wijk:poortwijk");
	cr_assert_str_eq(r->wijkgroep->id, "poortwijk-oost");
	cr_assert_eq(r->n_members, 4);   /* its stuurgroep, moderators */
	for (j = 0; j < r->n_members; j++)
		cr_assert_eq(r->members[j].power, POL_POWER_MODERATOR);
	r = pol_structure_room_by_key(s, "gemeentelijke_regiegroep");
	cr_assert_eq(r->kind, POL_ROOM_GEM_REGIEGROEP);
	cr_assert_str_eq(r->parent, "gemeente");
	cr_assert_eq(r->n_members, 4);   /* 3 delegates + 1 wijkagent */
	cr_assert_str_eq(r->members[3].user_id, "@politie.poortwijk:localhost");
	cr_assert_eq(r->members[3].power, POL_POWER_MEMBER);
	cr_assert_null(pol_structure_room_by_key(s, "wijkgroep:nope"));
	cr_assert_str_eq(pol_room_kind_name(POL_ROOM_GEM_REGIEGROEP), "gemeentelijke_regiegroep");
	pol_structure_free(s);
}

/* ---- reload diff ---- */

static const pol_change *find_change(const pol_changes *c, pol_change_kind kind, const char *key,
				     const char *user)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].kind == kind && strcmp(c->items[i].room_key, key) == 0 &&
		    (!user || (c->items[i].user_id && strcmp(c->items[i].user_id, user) == 0)))
			return &c->items[i];
	return NULL;
}

static size_t count_kind(const pol_changes *c, pol_change_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->items[i].kind == kind;
	return n;
}

Test(structure_diff, fase1_to_fase2)
{
	pol_structure *s1 = load_example("zoomwijck-fase1.json");
	pol_structure *s2 = load_example("zoomwijck-fase2.json");
	pol_changes c;
	const pol_change *ch;
	static const char *const added[] = {
		"regiegroep:zoomwijck", "stuurgroep:stuurgroep-zuid", "wijkgroep:kerkebuurt",
		"wijkgroep:beekpark", "wijkgroep:molenveld", "wijkgroep:het-laar", "wijkgroep:zoomhoek",
	};

	cr_assert_eq(pol_structure_diff(s1, s2, &c), 0);
	for (size_t i = 0; i < c.n; i++)
		fprintf(stderr, "  %s %s %s %d->%d\n", pol_change_kind_name(c.items[i].kind), c.items[i].room_key,
			c.items[i].user_id ? c.items[i].user_id : "", c.items[i].old_power, c.items[i].new_power);
	for (size_t i = 0; i < sizeof added / sizeof added[0]; i++)
		cr_assert_not_null(find_change(&c, POL_CHG_ROOM_ADDED, added[i], NULL), "%s not added", added[i]);
	cr_assert_eq(count_kind(&c, POL_CHG_ROOM_ADDED), 7);
	cr_assert_not_null(find_change(&c, POL_CHG_ROOM_REMOVED, "wijkgroep:zoomwijck", NULL));
	cr_assert_eq(count_kind(&c, POL_CHG_ROOM_REMOVED), 1);
	ch = find_change(&c, POL_CHG_ROOM_RENAMED, "stuurgroep:stuurgroep-zoomwijck", NULL);
	cr_assert_not_null(ch);
	cr_assert_str_eq(ch->old_text, "Stuurgroep Zoomwijck");
	cr_assert_str_eq(ch->new_text, "Stuurgroep Zoomwijck Noord");
	/* the new stuurgroep's members are invited to the Spaces and get moderator in their rooms */
	cr_assert_not_null(find_change(&c, POL_CHG_MEMBER_ADDED, "wijk:zoomwijck", "@dirk.stuur:localhost"));
	cr_assert_not_null(find_change(&c, POL_CHG_MEMBER_ADDED, "gemeente", "@gerrit.stuur:localhost"));
	ch = find_change(&c, POL_CHG_MEMBER_ADDED, "wijkgroep:molenveld", "@dirk.stuur:localhost");
	cr_assert_not_null(ch);
	cr_assert_eq(ch->new_power, POL_POWER_MODERATOR);
	ch = find_change(&c, POL_CHG_MEMBER_ADDED, "regiegroep:zoomwijck", "@anna.stuur:localhost");
	cr_assert_not_null(ch);
	cr_assert_eq(ch->new_power, POL_POWER_MODERATOR);
	cr_assert_not_null(find_change(&c, POL_CHG_MEMBER_ADDED, "stuurgroep:stuurgroep-zuid",
				       "@politie.wijkagent:localhost"));
	/* fase 2 added spelregels */
	cr_assert_not_null(find_change(&c, POL_CHG_SPELREGELS_CHANGED, "wijk:zoomwijck", NULL));
	/* nothing else changes in the existing stuurgroep room */
	cr_assert_null(find_change(&c, POL_CHG_MEMBER_REMOVED, "stuurgroep:stuurgroep-zoomwijck", NULL));
	pol_changes_free(&c);

	/* the same file twice: nothing */
	cr_assert_eq(pol_structure_diff(s2, s2, &c), 0);
	cr_assert_eq(c.n, 0);
	pol_changes_free(&c);
	/* from nothing: every room added */
	cr_assert_eq(pol_structure_diff(NULL, s1, &c), 0);
	cr_assert_eq(count_kind(&c, POL_CHG_ROOM_ADDED), pol_structure_n_rooms(s1));
	cr_assert_eq(count_kind(&c, POL_CHG_ROOM_REMOVED), 0);
	pol_changes_free(&c);
	pol_structure_free(s1);
	pol_structure_free(s2);
}

Test(structure_diff, member_moved_loses_moderator_and_power_changes)
{
	pol_structure *a = NULL, *b = NULL;
	pol_problems p;
	pol_changes c;
	const pol_change *ch;

	cr_assert_eq(parse_sq(HEAD "'wijkgroepen':[" WG_A "," WG_B "],'stuurgroepen':[" SG_S("'a','b'") "]}],"
			      "'politie':[{'gebruiker':'@agent:localhost','naam':'Agent','kamers':['stuurgroep:s']}]}",
			      &a, &p), 0);
	pol_problems_free(&p);
	/* @z leaves, @agent becomes a member (and stays police), b gets its own
	 * stuurgroep t with @z, and a's cap changes */
	cr_assert_eq(parse_sq(HEAD "'wijkgroepen':[{'id':'a','naam':'A','buurten':['1111'],'limiet':60}," WG_B "],"
			      "'stuurgroepen':[{'id':'s','naam':'S','leden':['@x:localhost','@y:localhost','@agent:localhost'],"
			      "'telefoonbeheerder':'@x:localhost','beheert':['a']},"
			      "{'id':'t','naam':'T','leden':['@z:localhost','@q:localhost','@r:localhost'],"
			      "'telefoonbeheerder':'@z:localhost','beheert':['b']}]}],"
			      "'politie':[{'gebruiker':'@agent:localhost','naam':'Agent','kamers':['stuurgroep:s']}]}",
			      &b, &p), 0);
	pol_problems_free(&p);
	cr_assert_eq(pol_structure_diff(a, b, &c), 0);

	ch = find_change(&c, POL_CHG_MEMBER_REMOVED, "stuurgroep:s", "@z:localhost");
	cr_assert_not_null(ch);
	cr_assert_eq(ch->old_power, POL_POWER_MODERATOR);
	cr_assert_not_null(find_change(&c, POL_CHG_MEMBER_REMOVED, "wijkgroep:a", "@z:localhost"));
	/* @z stays in wijkgroep b (now through stuurgroep t), still moderator: no change there */
	cr_assert_null(find_change(&c, POL_CHG_MEMBER_REMOVED, "wijkgroep:b", "@z:localhost"));
	cr_assert_not_null(find_change(&c, POL_CHG_MEMBER_REMOVED, "wijkgroep:b", "@y:localhost"));
	ch = find_change(&c, POL_CHG_POWER_CHANGED, "stuurgroep:s", "@agent:localhost");
	cr_assert_not_null(ch);
	cr_assert_eq(ch->old_power, POL_POWER_MEMBER);
	cr_assert_eq(ch->new_power, POL_POWER_MODERATOR);
	cr_assert_not_null(find_change(&c, POL_CHG_ROOM_ADDED, "stuurgroep:t", NULL));
	ch = find_change(&c, POL_CHG_CAP_CHANGED, "wijkgroep:a", NULL);
	cr_assert_not_null(ch);
	cr_assert_eq(ch->old_limiet, 100);
	cr_assert_eq(ch->new_limiet, 60);
	cr_assert_eq(ch->new_drempel, 48);
	pol_changes_free(&c);
	pol_structure_free(a);
	pol_structure_free(b);
}
