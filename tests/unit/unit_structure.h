/* unit_structure.h: what the unit tests of the overlay, the engine's
 * proposals and the notices share: structure files written in C with ' for
 * " (sq), parsed into a structure that must be valid (parse_sq_ok), problem
 * lookups, and the two small gemeenten they use. Header only (static
 * inline): every tests/unit/test_*.c is a program of its own. */
#ifndef UNIT_STRUCTURE_H
#define UNIT_STRUCTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/pol_structure.h"

/* JSON written with ' for " (readable in C); malloc'ed. */
static inline char *sq(const char *text)
{
	size_t n = strlen(text);
	char *json = malloc(n + 1);

	cr_assert_not_null(json);
	for (size_t i = 0; i <= n; i++)
		json[i] = text[i] == '\'' ? '"' : text[i];
	return json;
}

static inline void dump(const pol_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		fprintf(stderr, "  %s %s: %s\n", p->items[i].severity == POL_SEV_ERROR ? "error" : "warning",
			p->items[i].path, p->items[i].message);
}

/* A problem of sev whose path starts with path and whose message has needle. */
static inline const pol_problem *find_problem(const pol_problems *p, pol_severity sev, const char *path,
					      const char *needle)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].severity == sev && strncmp(p->items[i].path, path, strlen(path)) == 0 &&
		    strstr(p->items[i].message, needle))
			return &p->items[i];
	return NULL;
}

/* Parses JSON text that must be valid (warnings allowed). */
static inline pol_structure *parse_json(const char *json)
{
	pol_structure *s = NULL;
	pol_problems p;
	int rc;

	pol_problems_init(&p);
	rc = pol_structure_parse(&s, json, strlen(json), &p);
	if (rc != 0)
		dump(&p);
	cr_assert_eq(rc, 0, "the structure does not parse");
	cr_assert_not_null(s);
	pol_problems_free(&p);
	return s;
}

static inline pol_structure *parse_sq_ok(const char *text)
{
	char *json = sq(text);
	pol_structure *s = parse_json(json);

	free(json);
	return s;
}

#define assert_has(text, needle) \
	cr_assert_not_null(strstr((text), (needle)), "\"%s\" not in \"%s\"", (needle), (text))

/* A wijk with wijkgroepen between RT_HEAD and RT_TAIL (a, RT_B, RT_C),
 * all managed by stuurgroep s. */
#define RT_HEAD "{'gemeente':'G','operators':['@op:localhost'],'wijken':[{'id':'w','naam':'W','regiegroep':true,'wijkgroepen':["
#define RT_TAIL "],'stuurgroepen':[{'id':'s','naam':'S','leden':['@x:localhost','@y:localhost','@z:localhost']," \
		"'telefoonbeheerder':'@x:localhost','beheert':['a','b','c']}]}]}"
#define RT_B "{'id':'b','naam':'B','buurten':['2222']}"
#define RT_C "{'id':'c','naam':'C','buurten':['3333']}"

/* Stuurgroep sg (anna telefoonbeheerder, bram, carla) manages Noord (cap
 * 3), West, and Oud, retired into Noord and West; stuurgroep s2 (dirk)
 * manages Zuid. */
#define ENGINE_SQ \
	"{'gemeente':'G','operators':['@op:localhost'],'wijken':[{'id':'w','naam':'W','regiegroep':true," \
	"'wijkgroepen':[" \
	"{'id':'noord','naam':'Wijkgroep Noord','buurten':['Kerkebuurt','1234'],'limiet':3}," \
	"{'id':'west','naam':'Wijkgroep West','buurten':['Beekpark','Dorp'],'limiet':10}," \
	"{'id':'oud','naam':'Wijkgroep Oud','buurten':['Oudedorp'],'opgeheven':true,'opvolgers':['noord','west']}," \
	"{'id':'zuid','naam':'Wijkgroep Zuid','buurten':['Molenveld','5678']}]," \
	"'stuurgroepen':[" \
	"{'id':'sg','naam':'Stuurgroep Noord','leden':['@anna:localhost','@bram:localhost','@carla:localhost']," \
	"'telefoonbeheerder':'@anna:localhost','beheert':['noord','west','oud']}," \
	"{'id':'s2','naam':'Stuurgroep Zuid','leden':['@dirk:localhost','@eef:localhost','@fien:localhost']," \
	"'telefoonbeheerder':'@dirk:localhost','beheert':['zuid']}]}]}"

#endif
