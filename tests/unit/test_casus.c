/* Unit tests of the melding rules: what pol_saar reads in a text, the
 * routes of pol_route (DESIGN.md section 4) for every kind of origin and
 * approver, and the engine's decisions on meldingen, !door and !afloop. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "policy/pol_engine.h"
#include "policy/pol_route.h"
#include "policy/pol_saar.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[" \
	"{\"id\":\"dorp\",\"naam\":\"Dorp\",\"regiegroep\":true," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[\"1235\"]}," \
	"{\"id\":\"west\",\"naam\":\"Wijkgroep West\",\"buurten\":[\"1236\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna:localhost\",\"@bram:localhost\",\"@carla:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna:localhost\",\"beheert\":[\"noord\",\"zuid\"]}," \
	"{\"id\":\"west\",\"naam\":\"Stuurgroep West\"," \
	"\"leden\":[\"@dirk:localhost\",\"@eva:localhost\",\"@fred:localhost\"]," \
	"\"telefoonbeheerder\":\"@dirk:localhost\",\"beheert\":[\"west\"]}]}," \
	"{\"id\":\"stad\",\"naam\":\"Stad\"," \
	"\"wijkgroepen\":[{\"id\":\"centrum\",\"naam\":\"Wijkgroep Centrum\",\"buurten\":[\"2000\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stadstuur\",\"naam\":\"Stuurgroep Stad\"," \
	"\"leden\":[\"@gijs:localhost\",\"@hans:localhost\",\"@ida:localhost\"]," \
	"\"telefoonbeheerder\":\"@gijs:localhost\",\"beheert\":[\"centrum\"]}]}]," \
	"\"gemeentelijke_regiegroep\":{\"afgevaardigden\":[\"@anna:localhost\",\"@gijs:localhost\"]}}"

static pol_structure *s;

static void setup(void)
{
	pol_problems p;

	pol_problems_init(&p);
	cr_assert_eq(pol_structure_parse(&s, STRUCTURE, strlen(STRUCTURE), &p), 0, "%s: %s",
		     p.n ? p.items[0].path : "", p.n ? p.items[0].message : "");
	pol_problems_free(&p);
}

static void teardown(void)
{
	pol_structure_free(s);
}

TestSuite(saar);
TestSuite(route, .init = setup, .fini = teardown);

Test(saar, a_complete_melding)
{
	pol_saar sa;

	pol_saar_check("Man in donkere jas loopt richting station, 112 gebeld, ik blijf binnen", &sa);
	cr_assert(sa.called_112 && sa.signalement && sa.looprichting && sa.own_action);
	cr_assert_not(sa.origin_only);
	cr_assert_not(sa.acknowledgement);
}

Test(saar, what_is_missing_is_seen)
{
	pol_saar sa;

	pol_saar_check("Verdachte situatie bij de school", &sa);
	cr_assert_not(sa.called_112 || sa.signalement || sa.looprichting || sa.own_action);
	pol_saar_check("Politie is gebeld", &sa);
	cr_assert(sa.called_112);
}

Test(saar, words_not_parts_of_words)
{
	pol_saar sa;

	pol_saar_check("mooi weer vandaag", &sa);
	cr_assert_not(sa.signalement, "\"van\" found in \"vandaag\"");
	pol_saar_check("een witte bus bij de kerk", &sa);
	cr_assert(sa.signalement);
	pol_saar_check("man met een jas en een petje", &sa);
	cr_assert(sa.signalement);
}

Test(saar, origin_without_description_is_flagged)
{
	pol_saar sa;

	pol_saar_check("Buitenlandse man bij het hek", &sa);
	cr_assert(sa.origin_only);
	pol_saar_check("Buitenlandse man met rode pet en blauwe jas bij het hek", &sa);
	cr_assert_not(sa.origin_only, "a description was given too");
}

Test(saar, acknowledgements_are_not_meldingen)
{
	static const char *const acks[] = { "bedankt", "Bedankt allemaal!", "👍", "oké", "Dank je wel 🙏", "thanks" };
	static const char *const not_acks[] = { "ook gezien bij de kerk", "stop die auto", "bedankt, en let op de bus",
						"top, maar wie is die man met de pet?" };
	pol_saar sa;
	size_t i;

	for (i = 0; i < sizeof acks / sizeof acks[0]; i++) {
		pol_saar_check(acks[i], &sa);
		cr_assert(sa.acknowledgement, "\"%s\" is an acknowledgement", acks[i]);
	}
	for (i = 0; i < sizeof not_acks / sizeof not_acks[0]; i++) {
		pol_saar_check(not_acks[i], &sa);
		cr_assert_not(sa.acknowledgement, "\"%s\" is not only thanks", not_acks[i]);
	}
}

static int has(const pol_route *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->targets[i], key) == 0)
			return 1;
	return 0;
}

Test(route, from_a_wijkgroep)
{
	pol_route r;
	pol_text_id why;

	cr_assert_eq(pol_route_find(s, "wijkgroep:noord", NULL, "@anna:localhost", &r, &why), 0);
	cr_assert_eq(r.n, 1);
	cr_assert(has(&r, "regiegroep:dorp"));
	cr_assert_not(r.approver_is_casushouder);
	cr_assert_eq(pol_route_find(s, "wijkgroep:noord", "wijk", "@bram:localhost", &r, &why), 0);
	cr_assert_eq(r.n, 1, "siblings of the same stuurgroep only, not itself, not West");
	cr_assert(has(&r, "wijkgroep:zuid"));
	cr_assert_eq(pol_route_find(s, "wijkgroep:noord", "Wijkgroep Zuid", "@bram:localhost", &r, &why), 0);
	cr_assert_neq(pol_route_find(s, "wijkgroep:noord", "west", "@anna:localhost", &r, &why), 0,
		      "a wijkgroep of another stuurgroep");
	cr_assert_eq(why, POL_TXT_ROUTE_UNKNOWN_TARGET);
	cr_assert_neq(pol_route_find(s, "wijkgroep:noord", "gemeente", "@anna:localhost", &r, &why), 0);
	/* Approvers: the managing stuurgroep only. */
	cr_assert_neq(pol_route_find(s, "wijkgroep:noord", NULL, "@dirk:localhost", &r, &why), 0);
	cr_assert_eq(why, POL_TXT_ROUTE_NOT_APPROVER);
	cr_assert_neq(pol_route_find(s, "wijkgroep:noord", NULL, "@bewoner:localhost", &r, &why), 0);
	/* A wijk without a regiegroep has no default route. */
	cr_assert_neq(pol_route_find(s, "wijkgroep:centrum", NULL, "@gijs:localhost", &r, &why), 0);
	cr_assert_eq(why, POL_TXT_ROUTE_NO_REGIEGROEP);
}

Test(route, from_a_stuurgroep_room)
{
	pol_route r;
	pol_text_id why;

	cr_assert_eq(pol_route_find(s, "stuurgroep:stuur", NULL, "@carla:localhost", &r, &why), 0);
	cr_assert_eq(r.n, 2);
	cr_assert(has(&r, "wijkgroep:noord") && has(&r, "wijkgroep:zuid"));
	cr_assert(r.approver_is_casushouder);
	cr_assert_eq(pol_route_find(s, "stuurgroep:stuur", "zuid", "@carla:localhost", &r, &why), 0);
	cr_assert_eq(r.n, 1);
	cr_assert_neq(pol_route_find(s, "stuurgroep:stuur", NULL, "@dirk:localhost", &r, &why), 0);
}

Test(route, from_a_regiegroep)
{
	pol_route r;
	pol_text_id why;

	/* Into the wijkgroepen of the approver's own stuurgroep. */
	cr_assert_eq(pol_route_find(s, "regiegroep:dorp", NULL, "@eva:localhost", &r, &why), 0);
	cr_assert_eq(r.n, 1);
	cr_assert(has(&r, "wijkgroep:west"));
	cr_assert(r.approver_is_casushouder);
	cr_assert_eq(pol_route_find(s, "regiegroep:dorp", NULL, "@anna:localhost", &r, &why), 0);
	cr_assert(has(&r, "wijkgroep:noord") && has(&r, "wijkgroep:zuid") && !has(&r, "wijkgroep:west"));
	/* To the gemeente: a delegate only. */
	cr_assert_eq(pol_route_find(s, "regiegroep:dorp", "gemeente", "@anna:localhost", &r, &why), 0);
	cr_assert(has(&r, "gemeentelijke_regiegroep"));
	cr_assert_neq(pol_route_find(s, "regiegroep:dorp", "gemeente", "@bram:localhost", &r, &why), 0);
	cr_assert_eq(why, POL_TXT_ROUTE_NOT_DELEGATE);
	cr_assert_neq(pol_route_find(s, "regiegroep:dorp", NULL, "@gijs:localhost", &r, &why), 0,
		      "a stuurgroep member of another wijk");
}

Test(route, from_the_gemeentelijke_regiegroep)
{
	pol_route r;
	pol_text_id why;

	/* A delegate in both: into their own wijk's regiegroep. */
	cr_assert_eq(pol_route_find(s, "gemeentelijke_regiegroep", NULL, "@anna:localhost", &r, &why), 0);
	cr_assert_eq(r.n, 1);
	cr_assert(has(&r, "regiegroep:dorp"));
	/* Gijs's wijk has no regiegroep. */
	cr_assert_neq(pol_route_find(s, "gemeentelijke_regiegroep", NULL, "@gijs:localhost", &r, &why), 0);
	cr_assert_neq(pol_route_find(s, "gemeentelijke_regiegroep", NULL, "@bram:localhost", &r, &why), 0);
	cr_assert_neq(pol_route_find(s, "gemeentelijke_regiegroep", "stad", "@anna:localhost", &r, &why), 0);
}

Test(route, nowhere_from_other_rooms)
{
	pol_route r;
	pol_text_id why;

	cr_assert_neq(pol_route_find(s, "wijk:dorp", NULL, "@anna:localhost", &r, &why), 0);
	cr_assert_eq(why, POL_TXT_ROUTE_NOT_FROM_HERE);
	cr_assert_neq(pol_route_find(s, NULL, NULL, "@anna:localhost", &r, &why), 0);
}

/* ---- the engine on meldingen, with facts the test controls ---- */

static long long fake_next(void *ctx)
{
	(void)ctx;
	return 7;
}

static long long fake_open_in(void *ctx, const char *room)
{
	(void)ctx;
	(void)room;
	return 0;
}

static int fake_no_casus(void *ctx, const char *room, const char *event, pol_casus *out)
{
	(void)ctx;
	(void)room;
	(void)event;
	memset(out, 0, sizeof *out);
	return -1;
}

static long fake_posts(void *ctx, const char *room, const char *user, long seconds)
{
	(void)room;
	(void)user;
	(void)seconds;
	return *(long *)ctx;
}

static const pol_action *find_kind(const pol_actions *out, pol_action_kind kind)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->items[i].kind == kind)
			return &out->items[i];
	return NULL;
}

static void decide_melding(const char *body, long posts_before, pol_actions *out)
{
	static const char *const admins[] = { "@admin:localhost" };
	pol_config cfg = { .bot_user_id = "@bot:localhost", .admins = admins, .n_admins = 1, .lang = POL_LANG_NL };
	pol_facts facts;
	pol_input in;

	memset(&facts, 0, sizeof facts);
	facts.casus_next_nr = fake_next;
	facts.casus_open_in = fake_open_in;
	facts.casus_of_event = fake_no_casus;
	facts.recent_posts = fake_posts;
	facts.ctx = &posts_before;
	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MESSAGE;
	in.room_id = "!noord:localhost";
	in.event_id = "$m1";
	in.sender = "@jan:localhost";
	in.body = body;
	in.structure = s;
	in.room.key = "wijkgroep:noord";
	in.facts = &facts;
	pol_decide(&cfg, &in, out);
}

Test(route, a_melding_opens_a_casus_with_a_saar_answer_in_its_thread)
{
	pol_actions out;
	const pol_action *open, *answer;

	decide_melding("Verdachte situatie bij de school", 0, &out);
	open = find_kind(&out, POL_ACT_CASUS_OPEN);
	cr_assert_not_null(open);
	cr_assert_eq(open->nr, 7);
	cr_assert_str_eq(open->user, "@jan:localhost");
	answer = find_kind(&out, POL_ACT_NOTICE);
	cr_assert_not_null(answer);
	cr_assert_str_eq(answer->thread_root, "$m1");
	cr_assert_not_null(strstr(answer->text, "Casus #7 geopend"));
	cr_assert_not_null(strstr(answer->text, "0900-8844"));
	cr_assert_not_null(strstr(answer->text, "signalement"));
	cr_assert_null(find_kind(&out, POL_ACT_PRIVATE));
}

Test(route, origin_only_gets_a_private_word_and_thanks_open_nothing)
{
	pol_actions out;
	const pol_action *p;

	decide_melding("Buitenlandse man bij het hek, 112 gebeld", 0, &out);
	cr_assert_not_null(find_kind(&out, POL_ACT_CASUS_OPEN));
	p = find_kind(&out, POL_ACT_PRIVATE);
	cr_assert_not_null(p, "no private prompt about origin");
	cr_assert_str_eq(p->user, "@jan:localhost");
	cr_assert_not_null(strstr(p->text, "kleding"));

	decide_melding("bedankt!", 0, &out);
	cr_assert_null(find_kind(&out, POL_ACT_CASUS_OPEN), "thanks opened a casus");
	p = find_kind(&out, POL_ACT_PRIVATE);
	cr_assert_not_null(p);
	cr_assert_not_null(strstr(p->text, "emoji"));
}

Test(route, the_third_chatty_post_gets_one_reminder)
{
	pol_actions out;

	decide_melding("wie komt er vanavond", 1, &out);
	cr_assert_null(find_kind(&out, POL_ACT_PRIVATE));
	decide_melding("wie komt er vanavond", 2, &out);
	cr_assert_not_null(find_kind(&out, POL_ACT_PRIVATE), "no reminder at the third");
	decide_melding("wie komt er vanavond", 3, &out);
	cr_assert_null(find_kind(&out, POL_ACT_PRIVATE), "a reminder at every message after");
	decide_melding("man met rode pet loopt richting kerk", 2, &out);
	cr_assert_null(find_kind(&out, POL_ACT_PRIVATE), "a real melding is no chatter");
}
