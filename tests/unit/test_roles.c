/* Unit tests of policy/pol_roles: every role against every command in every
 * kind of room, checked against a spec written out here (not derived from
 * the table, so a change to the table must be made twice, on purpose);
 * roles in context on the example structures; scope; texts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/pol_cmd_table.h"
#include "policy/pol_command.h"
#include "policy/pol_roles.h"
#include "policy/pol_text.h"

#define ANY_ROOM 0xffffffffu
#define DM POL_ROOMS(POL_ROOM_DM)
#define STUUR POL_ROOMS(POL_ROOM_STUURGROEP)
#define WIJK POL_ROOMS(POL_ROOM_WIJKGROEP)
#define REGIE POL_ROOMS(POL_ROOM_REGIEGROEP)
#define GEM POL_ROOMS(POL_ROOM_GEM_REGIEGROEP)
#define GROUP (WIJK | STUUR | REGIE | GEM)
#define BEHEER (STUUR | REGIE | GEM | DM)

#define SG POL_ROLE_STUURGROEPLID
#define TB POL_ROLE_TELEFOONBEHEERDER
#define OP POL_ROLE_OPERATOR
#define CH POL_ROLE_CASUSHOUDER

static const struct spec {
	pol_command_id cmd;
	pol_role_set roles;          /* any of; 0 anyone */
	unsigned rooms;
	pol_permission role_refusal;
	pol_permission room_refusal;
} spec[] = {
	{ POL_CMD_PING, 0, ANY_ROOM, 0, 0 },
	{ POL_CMD_HELP, 0, ANY_ROOM, 0, 0 },
	{ POL_CMD_LID, TB, STUUR | DM, POL_PERM_NEED_TELEFOONBEHEERDER, POL_PERM_ONLY_STUURGROEP_OR_DM },
	{ POL_CMD_ROYEER, TB, STUUR | DM, POL_PERM_NEED_TELEFOONBEHEERDER, POL_PERM_ONLY_STUURGROEP_OR_DM },
	{ POL_CMD_WIJKGROEP, TB, STUUR, POL_PERM_NEED_TELEFOONBEHEERDER, POL_PERM_ONLY_STUURGROEP },
	{ POL_CMD_BEVESTIG, SG, STUUR, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_STUURGROEP },
	{ POL_CMD_LEDEN, SG, STUUR | DM, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_STUURGROEP_OR_DM },
	{ POL_CMD_WACHTLIJST, SG, STUUR | DM, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_STUURGROEP_OR_DM },
	{ POL_CMD_STRUCTUUR, SG | OP, BEHEER, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_BEHEER },
	{ POL_CMD_SPLITS, TB, STUUR, POL_PERM_NEED_TELEFOONBEHEERDER, POL_PERM_ONLY_STUURGROEP },
	{ POL_CMD_HERLAAD, OP, DM, POL_PERM_NEED_OPERATOR, POL_PERM_ONLY_DM },
	{ POL_CMD_STATUS, OP, DM, POL_PERM_NEED_OPERATOR, POL_PERM_ONLY_DM },
	{ POL_CMD_AANMELDEN, 0, DM, 0, POL_PERM_ONLY_DM },
	{ POL_CMD_STOP, 0, DM, 0, POL_PERM_ONLY_DM },
	{ POL_CMD_SPELREGELS, 0, WIJK | DM, 0, POL_PERM_ONLY_WIJKGROEP_OR_DM },
	{ POL_CMD_TOELATEN, TB, STUUR, POL_PERM_NEED_TELEFOONBEHEERDER, POL_PERM_ONLY_STUURGROEP },
	{ POL_CMD_AFWIJZEN, TB, STUUR, POL_PERM_NEED_TELEFOONBEHEERDER, POL_PERM_ONLY_STUURGROEP },
	{ POL_CMD_MIJNGEGEVENS, 0, DM, 0, POL_PERM_ONLY_DM },
	{ POL_CMD_VERGEETMIJ, 0, DM, 0, POL_PERM_ONLY_DM },
	{ POL_CMD_DOOR, SG, GROUP, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_GROUP },
	{ POL_CMD_AFLOOP, CH | SG, GROUP, POL_PERM_NEED_CASUSHOUDER, POL_PERM_ONLY_GROUP },
	{ POL_CMD_CASUS, SG, BEHEER, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_BEHEER },
	{ POL_CMD_KOPPEL, CH | SG, GROUP, POL_PERM_NEED_CASUSHOUDER, POL_PERM_ONLY_GROUP },
	{ POL_CMD_AANSPREKEN, SG, STUUR, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_STUURGROEP },
	{ POL_CMD_AANMELDINGEN, SG, STUUR, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_STUURGROEP },
	/* issue 16 */
	{ POL_CMD_STATISTIEK, SG, STUUR | REGIE | GEM, POL_PERM_NEED_STUURGROEPLID,
	  POL_PERM_NOT_HERE },
	{ POL_CMD_GEZONDHEID, SG, STUUR, POL_PERM_NEED_STUURGROEPLID, POL_PERM_ONLY_STUURGROEP },
};

/* The people, as pol_roles_of would describe them. */
static const struct persona {
	const char *name;
	pol_role_set roles;
} personas[] = {
	{ "nobody", 0 },
	{ "bewoner", POL_ROLE_BEWONER },
	{ "stuurgroeplid", POL_ROLE_BEWONER | SG },
	{ "telefoonbeheerder", POL_ROLE_BEWONER | SG | TB },
	{ "politie", POL_ROLE_POLITIE },
	{ "operator", OP },
	{ "casushouder", POL_ROLE_BEWONER | CH },
	{ "afgevaardigde", POL_ROLE_BEWONER | SG | POL_ROLE_AFGEVAARDIGDE },
};

static const struct spec *spec_of(pol_command_id cmd)
{
	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++)
		if (spec[i].cmd == cmd)
			return &spec[i];
	return NULL;
}

Test(roles, every_role_against_every_command_in_every_room)
{
	size_t allowed = 0, refused = 0;

	for (size_t c = 0; c < sizeof spec / sizeof spec[0]; c++) {
		const struct spec *sp = &spec[c];
		size_t c_allowed = 0, c_refused = 0;

		for (size_t p = 0; p < sizeof personas / sizeof personas[0]; p++) {
			for (int k = 0; k < POL_ROOM_KIND_COUNT; k++) {
				int role_ok = sp->roles == 0 || (personas[p].roles & sp->roles);
				int room_ok = (sp->rooms & POL_ROOMS(k)) != 0;
				pol_permission want = !role_ok ? sp->role_refusal
						      : !room_ok ? sp->room_refusal : POL_PERM_ALLOWED;
				pol_permission got = pol_check(sp->cmd, personas[p].roles, (pol_room_kind)k);

				cr_assert_eq(got, want, "%s by %s in %s: got %s, want %s",
					     pol_cmd_find(sp->cmd)->name, personas[p].name,
					     pol_room_kind_name((pol_room_kind)k), pol_permission_name(got),
					     pol_permission_name(want));
				if (got == POL_PERM_ALLOWED)
					c_allowed++;
				else
					c_refused++;
			}
		}
		cr_assert_gt(c_allowed, 0, "%s is allowed nowhere", pol_cmd_find(sp->cmd)->name);
		if (sp->rooms != ANY_ROOM)
			cr_assert_gt(c_refused, 0);
		allowed += c_allowed;
		refused += c_refused;
	}
	cr_assert_gt(allowed, 0);
	cr_assert_gt(refused, 0);
}

Test(roles, each_single_role_alone)
{
	/* Every role bit on its own, so no role is accidentally implied. */
	for (size_t c = 0; c < sizeof spec / sizeof spec[0]; c++) {
		for (int bit = 0; bit < POL_ROLE_COUNT; bit++) {
			pol_role_set r = 1u << bit;
			int role_ok = spec[c].roles == 0 || (r & spec[c].roles);
			pol_permission got = pol_check(spec[c].cmd, r, POL_ROOM_DM);

			if (!role_ok)
				cr_assert_eq(got, spec[c].role_refusal, "%s by %s",
					     pol_cmd_find(spec[c].cmd)->name, pol_role_name((pol_role)r));
			else if (spec[c].roles)
				cr_assert_neq(got, spec[c].role_refusal);
		}
	}
}

Test(roles, table_and_spec_agree)
{
	size_t n_cmds;
	const pol_cmd_entry *cmds = pol_cmd_table(&n_cmds);

	cr_assert_eq(n_cmds, sizeof spec / sizeof spec[0]);
	cr_assert_eq(n_cmds, POL_CMD_COUNT - POL_CMD_PING);
	for (size_t i = 0; i < n_cmds; i++) {
		cr_assert_not_null(spec_of(cmds[i].id), "command !%s has no spec", cmds[i].name);
		cr_assert_eq(pol_cmd_find(cmds[i].id), &cmds[i]);
	}
	cr_assert_eq(pol_check(POL_CMD_UNKNOWN, ~0u, POL_ROOM_DM), POL_PERM_UNKNOWN_COMMAND);
	cr_assert_eq(pol_check(POL_CMD_NONE, ~0u, POL_ROOM_DM), POL_PERM_UNKNOWN_COMMAND);
	cr_assert_null(pol_cmd_find(POL_CMD_UNKNOWN));
	/* confirmation "na overleg" for the two structural changes */
	cr_assert(pol_cmd_find(POL_CMD_WIJKGROEP)->confirm);
	cr_assert(pol_cmd_find(POL_CMD_SPLITS)->confirm);
	cr_assert_not(pol_cmd_find(POL_CMD_ROYEER)->confirm);
}

/* Whether the help line text starts with "!name" followed by a space,
 * ':' or '(' ("!help (of !hulp): ..."). */
static int help_names(const char *text, const char *name)
{
	size_t n = strlen(name);

	return text[0] == '!' && strncmp(text + 1, name, n) == 0 && strchr(" :(", text[1 + n]) != NULL;
}

/* Every row is complete: a handler, its help line in both languages
 * (naming the command), who (some role, or anyone on purpose) and where
 * (some room kind), and names and aliases no other row has. */
Test(roles, every_row_of_the_command_table_is_complete)
{
	size_t n;
	const pol_cmd_entry *t = pol_cmd_table(&n);
	const char *names[2 * POL_CMD_COUNT * (1 + POL_CMD_ALIASES)];
	size_t n_names = 0;

	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		const pol_cmd_entry *e = &t[i];
		const char *nl = pol_text(POL_LANG_NL, e->help), *en = pol_text(POL_LANG_EN, e->help);
		int en_named = help_names(en, e->name);

		cr_assert(e->id > POL_CMD_UNKNOWN && e->id < POL_CMD_COUNT, "row %zu: id %d", i, e->id);
		cr_assert_not_null(e->name, "row %zu has no name", i);
		cr_assert_not_null(e->exec, "!%s has no handler", e->name);
		cr_assert(e->needs == POL_NEEDS_NOTHING || e->needs == POL_NEEDS_STRUCTURE ||
			  e->needs == POL_NEEDS_FACTS, "!%s", e->name);
		/* who: a role, or anyone said out loud; where: some kind of room */
		cr_assert(e->roles == POL_ROLES_ANYONE || (e->roles && !(e->roles & ~POL_ROLES_ALL)),
			  "!%s names no role", e->name);
		cr_assert(e->rooms & ((1u << POL_ROOM_KIND_COUNT) - 1u), "!%s names no room", e->name);
		cr_assert(!e->scoped || e->roles != POL_ROLES_ANYONE, "!%s: scoped, for anyone", e->name);
		/* help in both languages, each naming the command */
		cr_assert_gt(strlen(nl), 0, "!%s", e->name);
		cr_assert_gt(strlen(en), 0, "!%s", e->name);
		cr_assert_neq(strcmp(nl, en), 0, "!%s: the English help is the Dutch one", e->name);
		cr_assert(help_names(nl, e->name), "!%s: help line \"%s\"", e->name, nl);
		names[n_names++] = e->name;
		for (size_t k = 0; k < POL_CMD_ALIASES && e->aliases[k]; k++) {
			en_named |= help_names(en, e->aliases[k]);
			names[n_names++] = e->aliases[k];
		}
		cr_assert(en_named, "!%s: English help line \"%s\"", e->name, en);
		/* an alias after a gap would never be read */
		for (size_t k = 1; k < POL_CMD_ALIASES; k++)
			cr_assert(e->aliases[k] == NULL || e->aliases[k - 1] != NULL, "!%s", e->name);
		/* ids unique */
		for (size_t j = 0; j < i; j++)
			cr_assert_neq(t[j].id, e->id, "!%s and !%s share an id", t[j].name, e->name);
	}
	/* names and aliases unique, lower case, and parsed to their own row */
	for (size_t i = 0; i < n_names; i++) {
		pol_command c;
		char body[64];

		for (const char *p = names[i]; *p; p++)
			cr_assert(*p >= 'a' && *p <= 'z', "!%s", names[i]);
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(names[j], names[i], "!%s twice", names[i]);
		snprintf(body, sizeof body, "!%s", names[i]);
		cr_assert_eq(pol_cmd_lookup(names[i])->id, pol_command_parse(body, &c));
	}
	/* every command id is in the table */
	for (int id = POL_CMD_PING; id < POL_CMD_COUNT; id++)
		cr_assert_not_null(pol_cmd_find((pol_command_id)id), "command %d has no row", id);
}

Test(roles, commands_parse_by_dutch_name_and_english_alias)
{
	size_t n;
	const pol_cmd_entry *t = pol_cmd_table(&n);
	char body[64];
	pol_command c;

	for (size_t i = 0; i < n; i++) {
		snprintf(body, sizeof body, "!%s iets", t[i].name);
		cr_assert_eq(pol_command_parse(body, &c), t[i].id, "%s", body);
		for (size_t k = 0; k < POL_CMD_ALIASES && t[i].aliases[k]; k++) {
			snprintf(body, sizeof body, "!%s", t[i].aliases[k]);
			cr_assert_eq(pol_command_parse(body, &c), t[i].id, "%s", body);
		}
	}
	cr_assert_eq(pol_command_parse("!leden", &c), POL_CMD_LEDEN);
	cr_assert_eq(pol_command_parse("!members", &c), POL_CMD_LEDEN);
	cr_assert_eq(pol_command_parse("!royeer @x:localhost spam", &c), POL_CMD_ROYEER);
	cr_assert_str_eq(c.args, "@x:localhost spam");
	cr_assert_eq(pol_command_parse("!remove @x:localhost", &c), POL_CMD_ROYEER);
	cr_assert_eq(pol_command_parse("!splits noord", &c), POL_CMD_SPLITS);
	cr_assert_eq(pol_command_parse("!split noord", &c), POL_CMD_SPLITS);
	cr_assert_eq(pol_command_parse("!herlaad", &c), POL_CMD_HERLAAD);
	cr_assert_eq(pol_command_parse("!reload", &c), POL_CMD_HERLAAD);
	cr_assert_eq(pol_command_parse("!door regie", &c), POL_CMD_DOOR);
	cr_assert_str_eq(c.args, "regie");
	cr_assert_eq(pol_command_parse("!outcome loos alarm", &c), POL_CMD_AFLOOP);
	cr_assert_eq(pol_command_parse("!vergeetmij ja", &c), POL_CMD_VERGEETMIJ);
	cr_assert_eq(pol_command_parse("!aanmeldingen", &c), POL_CMD_AANMELDINGEN);
	cr_assert_eq(pol_command_parse("!applications", &c), POL_CMD_AANMELDINGEN);
	cr_assert_eq(pol_command_parse("!hulp", &c), POL_CMD_HELP);
	/* every command of the table is built: each row has its handler */
	for (size_t k = 0; k < n; k++)
		cr_assert_not_null(t[k].exec, "!%s is still planned", t[k].name);
}

Test(roles, every_refusal_has_a_text_in_every_language)
{
	for (int p = 1; p < POL_PERM_COUNT; p++) {
		pol_text_id id = pol_permission_text((pol_permission)p);

		cr_assert_neq(strcmp(pol_permission_name((pol_permission)p), "?"), 0);
		for (int l = 0; l < POL_LANG_COUNT; l++)
			cr_assert_gt(strlen(pol_text((pol_lang)l, id)), 0);
		/* distinct reasons read differently */
		for (int q = 1; q < p; q++)
			if (p != POL_PERM_UNKNOWN_COMMAND && q != POL_PERM_UNKNOWN_COMMAND)
				cr_assert_neq(pol_permission_text((pol_permission)q), id, "%d and %d share a text", p, q);
	}
	cr_assert_str_eq(pol_text(POL_LANG_NL, pol_permission_text(POL_PERM_NEED_TELEFOONBEHEERDER)),
			 "Dat mag alleen de telefoonbeheerder van de stuurgroep.");
	cr_assert_not_null(strstr(pol_text(POL_LANG_EN, pol_permission_text(POL_PERM_ONLY_DM)), "direct chat"));
}

/* ---- roles in context, on the example structures ---- */

static pol_structure *load(const char *name)
{
	const char *dir = getenv("BUURTBOT_EXAMPLES");
	char path[512];
	char *buf;
	FILE *f;
	long n;
	pol_structure *s = NULL;

	snprintf(path, sizeof path, "%s/%s", dir ? dir : "deploy/examples", name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	cr_assert_eq(pol_structure_parse(&s, buf, (size_t)n, NULL), 0);
	free(buf);
	return s;
}

static pol_role_set in(const pol_structure *s, const char *user, const char *key)
{
	pol_room_ctx ctx = { key ? POL_ROOM_OTHER : POL_ROOM_DM, key, 0, 0, NULL };

	return pol_roles_of(s, user, &ctx);
}

Test(roles_context, stuurgroep_roles_follow_the_room)
{
	pol_structure *s = load("zoomwijck-fase2.json");
	const char *anna = "@anna.stuur:localhost", *bram = "@bram.stuur:localhost";

	/* anna: telefoonbeheerder of the noord stuurgroep (kerkebuurt, beekpark, zoomhoek) */
	cr_assert_eq(in(s, anna, "wijkgroep:kerkebuurt"), SG | TB);
	cr_assert_eq(in(s, anna, "stuurgroep:stuurgroep-zoomwijck"), SG | TB);
	cr_assert_eq(in(s, anna, "wijkgroep:molenveld"), 0);
	cr_assert_eq(in(s, anna, "stuurgroep:stuurgroep-zuid"), 0);
	cr_assert_eq(in(s, anna, "regiegroep:zoomwijck"), SG | TB);
	cr_assert_eq(in(s, anna, NULL), SG | TB);
	cr_assert_eq(in(s, anna, "!unknown:localhost"), SG | TB);
	cr_assert_eq(in(s, bram, "wijkgroep:kerkebuurt"), SG);
	cr_assert_eq(in(s, "@politie.wijkagent:localhost", "stuurgroep:stuurgroep-zuid"), POL_ROLE_POLITIE);
	cr_assert_eq(in(s, "@admin:localhost", NULL), OP);
	cr_assert_eq(in(s, "@bewoner1:localhost", "wijkgroep:kerkebuurt"), 0);
	/* what only the store knows comes from the caller */
	{
		pol_room_ctx ctx = { POL_ROOM_OTHER, "wijkgroep:kerkebuurt", 1, 1, NULL };

		cr_assert_eq(pol_roles_of(s, "@bewoner1:localhost", &ctx), POL_ROLE_BEWONER | CH);
		cr_assert_eq(pol_roles_of(NULL, "@bewoner1:localhost", &ctx), POL_ROLE_BEWONER | CH);
		cr_assert_eq(pol_roles_of(s, NULL, &ctx), 0);
	}
	pol_structure_free(s);
}

Test(roles_context, delegates_in_the_gemeentelijke_regiegroep)
{
	pol_structure *s = load("gemeente-twee-wijken.json");

	cr_assert_eq(in(s, "@anna.stuur:localhost", "gemeentelijke_regiegroep"), POL_ROLE_AFGEVAARDIGDE | SG | TB);
	cr_assert_eq(in(s, "@bram.stuur:localhost", "gemeentelijke_regiegroep"), 0);
	cr_assert_eq(in(s, "@hanna.stuur:localhost", "regiegroep:zoomwijck"), POL_ROLE_AFGEVAARDIGDE);
	cr_assert_eq(in(s, "@ivo.stuur:localhost", "regiegroep:poortwijk"), SG);
	cr_assert_eq(in(s, "@politie.poortwijk:localhost", "gemeentelijke_regiegroep"), POL_ROLE_POLITIE);
	pol_structure_free(s);
}

/* The whole decision as the bot will make it. */
static pol_permission decide(const pol_structure *s, const char *user, const char *key, pol_room_kind kind,
			     pol_command_id cmd)
{
	pol_room_ctx ctx = { kind, key, 0, 0, NULL };

	return pol_check(cmd, pol_roles_of(s, user, &ctx), pol_roles_room_kind(s, &ctx));
}

Test(roles_context, admin_commands_end_to_end)
{
	pol_structure *s = load("zoomwijck-fase2.json");
	const char *anna = "@anna.stuur:localhost", *bram = "@bram.stuur:localhost";
	const char *res = "@bewoner1:localhost", *op = "@admin:localhost";

	cr_assert_eq(decide(s, res, "wijkgroep:kerkebuurt", POL_ROOM_OTHER, POL_CMD_ROYEER),
		     POL_PERM_NEED_TELEFOONBEHEERDER);
	cr_assert_eq(decide(s, bram, "stuurgroep:stuurgroep-zoomwijck", POL_ROOM_OTHER, POL_CMD_ROYEER),
		     POL_PERM_NEED_TELEFOONBEHEERDER);
	cr_assert_eq(decide(s, anna, "wijkgroep:kerkebuurt", POL_ROOM_OTHER, POL_CMD_ROYEER),
		     POL_PERM_ONLY_STUURGROEP_OR_DM);
	cr_assert_eq(decide(s, anna, "stuurgroep:stuurgroep-zoomwijck", POL_ROOM_OTHER, POL_CMD_ROYEER),
		     POL_PERM_ALLOWED);
	cr_assert_eq(decide(s, anna, NULL, POL_ROOM_DM, POL_CMD_ROYEER), POL_PERM_ALLOWED);
	/* anna is not a member of the other stuurgroep, even in its room */
	cr_assert_eq(decide(s, anna, "stuurgroep:stuurgroep-zuid", POL_ROOM_OTHER, POL_CMD_LEDEN),
		     POL_PERM_NEED_STUURGROEPLID);
	cr_assert_eq(decide(s, bram, "stuurgroep:stuurgroep-zoomwijck", POL_ROOM_OTHER, POL_CMD_LEDEN),
		     POL_PERM_ALLOWED);
	cr_assert_eq(decide(s, bram, "regiegroep:zoomwijck", POL_ROOM_OTHER, POL_CMD_STRUCTUUR), POL_PERM_ALLOWED);
	cr_assert_eq(decide(s, res, "wijkgroep:kerkebuurt", POL_ROOM_OTHER, POL_CMD_STRUCTUUR),
		     POL_PERM_NEED_STUURGROEPLID);
	cr_assert_eq(decide(s, anna, NULL, POL_ROOM_DM, POL_CMD_HERLAAD), POL_PERM_NEED_OPERATOR);
	cr_assert_eq(decide(s, op, "wijkgroep:kerkebuurt", POL_ROOM_OTHER, POL_CMD_HERLAAD), POL_PERM_ONLY_DM);
	cr_assert_eq(decide(s, op, NULL, POL_ROOM_DM, POL_CMD_HERLAAD), POL_PERM_ALLOWED);
	cr_assert_eq(decide(s, op, NULL, POL_ROOM_DM, POL_CMD_STRUCTUUR), POL_PERM_ALLOWED);
	cr_assert_eq(decide(s, res, "wijkgroep:kerkebuurt", POL_ROOM_OTHER, POL_CMD_PING), POL_PERM_ALLOWED);
	/* an unknown key is not a stuurgroep room, whatever kind the caller guessed */
	cr_assert_eq(decide(s, anna, "stuurgroep:nope", POL_ROOM_STUURGROEP, POL_CMD_SPLITS),
		     POL_PERM_ONLY_STUURGROEP);
	cr_assert_eq(decide(s, anna, "wijk:zoomwijck", POL_ROOM_OTHER, POL_CMD_LEDEN),
		     POL_PERM_ONLY_STUURGROEP_OR_DM);
	/* !aanmeldingen: any member of the stuurgroep, in its own room only */
	cr_assert_eq(decide(s, bram, "stuurgroep:stuurgroep-zoomwijck", POL_ROOM_OTHER, POL_CMD_AANMELDINGEN),
		     POL_PERM_ALLOWED);
	cr_assert_eq(decide(s, anna, "stuurgroep:stuurgroep-zoomwijck", POL_ROOM_OTHER, POL_CMD_AANMELDINGEN),
		     POL_PERM_ALLOWED);
	cr_assert_eq(decide(s, anna, "stuurgroep:stuurgroep-zuid", POL_ROOM_OTHER, POL_CMD_AANMELDINGEN),
		     POL_PERM_NEED_STUURGROEPLID);
	cr_assert_eq(decide(s, bram, NULL, POL_ROOM_DM, POL_CMD_AANMELDINGEN), POL_PERM_ONLY_STUURGROEP);
	cr_assert_eq(decide(s, bram, "regiegroep:zoomwijck", POL_ROOM_OTHER, POL_CMD_AANMELDINGEN),
		     POL_PERM_ONLY_STUURGROEP);
	cr_assert_eq(decide(s, res, "wijkgroep:kerkebuurt", POL_ROOM_OTHER, POL_CMD_AANMELDINGEN),
		     POL_PERM_NEED_STUURGROEPLID);
	cr_assert_eq(decide(s, op, NULL, POL_ROOM_DM, POL_CMD_AANMELDINGEN), POL_PERM_NEED_STUURGROEPLID);
	pol_structure_free(s);
}

Test(roles_context, scope_of_the_target_wijkgroep)
{
	pol_structure *s = load("zoomwijck-fase2.json");
	const pol_wijkgroep *molenveld = pol_structure_find_wijkgroep(s, "molenveld");
	const pol_wijkgroep *kerkebuurt = pol_structure_find_wijkgroep(s, "kerkebuurt");

	cr_assert_eq(pol_check_scope(s, "@anna.stuur:localhost", POL_CMD_LEDEN, molenveld),
		     POL_PERM_NOT_YOUR_WIJKGROEP);
	cr_assert_eq(pol_check_scope(s, "@anna.stuur:localhost", POL_CMD_LEDEN, kerkebuurt), POL_PERM_ALLOWED);
	cr_assert_eq(pol_check_scope(s, "@dirk.stuur:localhost", POL_CMD_LEDEN, molenveld), POL_PERM_ALLOWED);
	/* !lid needs the telefoonbeheerder of the target's stuurgroep */
	cr_assert_eq(pol_check_scope(s, "@bram.stuur:localhost", POL_CMD_LID, kerkebuurt),
		     POL_PERM_NOT_YOUR_WIJKGROEP);
	cr_assert_eq(pol_check_scope(s, "@anna.stuur:localhost", POL_CMD_LID, kerkebuurt), POL_PERM_ALLOWED);
	cr_assert_eq(pol_check_scope(s, "@anna.stuur:localhost", POL_CMD_LID, molenveld),
		     POL_PERM_NOT_YOUR_WIJKGROEP);
	cr_assert_eq(pol_check_scope(s, "@anna.stuur:localhost", POL_CMD_SPLITS, molenveld),
		     POL_PERM_NOT_YOUR_WIJKGROEP);
	/* unscoped commands and no target pass */
	cr_assert_eq(pol_check_scope(s, "@anna.stuur:localhost", POL_CMD_STRUCTUUR, molenveld), POL_PERM_ALLOWED);
	cr_assert_eq(pol_check_scope(s, "@anna.stuur:localhost", POL_CMD_LEDEN, NULL), POL_PERM_ALLOWED);
	pol_structure_free(s);
}
