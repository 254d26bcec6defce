/* Unit tests of the melding rules: what pol_saar reads in a text, the
 * routes of pol_route (DESIGN.md section 4) for every kind of origin and
 * approver, and the engine's decisions on meldingen, !door and !afloop. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "policy/pol_engine.h"
#include "policy/pol_route.h"
#include "policy/pol_saar.h"
#include "policy/pol_housekeeping.h"

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

static long long fake_last(void *ctx)
{
	(void)ctx;
	return 6;
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
	facts.casus_last_nr = fake_last;
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
	cr_assert_eq(open->casus.nr, 7);
	cr_assert_str_eq(open->casus.houder, "@jan:localhost");
	answer = find_kind(&out, POL_ACT_NOTICE);
	cr_assert_not_null(answer);
	cr_assert_str_eq(answer->thread_root, "$m1");
	cr_assert_not_null(strstr(answer->notice.text, "Casus #7 geopend"));
	cr_assert_not_null(strstr(answer->notice.text, "0900-8844"));
	cr_assert_not_null(strstr(answer->notice.text, "signalement"));
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
	cr_assert_str_eq(p->priv.user, "@jan:localhost");
	cr_assert_not_null(strstr(p->priv.text, "kleding"));

	decide_melding("bedankt!", 0, &out);
	cr_assert_null(find_kind(&out, POL_ACT_CASUS_OPEN), "thanks opened a casus");
	p = find_kind(&out, POL_ACT_PRIVATE);
	cr_assert_not_null(p);
	cr_assert_not_null(strstr(p->priv.text, "emoji"));
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

/* ---- edits of forwarded messages (issue 11) ---- */

/* The events the fake store knows: each with the casus it belongs to. */
typedef struct fake_event {
	const char *room, *event;
	pol_casus c;
} fake_event;

typedef struct fake_store {
	fake_event ev[8];
	size_t n;
} fake_store;

static int fake_casus_of_event(void *ctx, const char *room, const char *event, pol_casus *out)
{
	fake_store *f = ctx;
	size_t i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < f->n; i++)
		if (strcmp(f->ev[i].room, room) == 0 && strcmp(f->ev[i].event, event) == 0) {
			*out = f->ev[i].c;
			return 0;
		}
	return -1;
}

/* An event of the open casus 7 in room. */
static pol_casus *fake_add(fake_store *f, const char *room, const char *event)
{
	fake_event *e = &f->ev[f->n++];

	memset(e, 0, sizeof *e);
	e->room = room;
	e->event = event;
	e->c.nr = 7;
	snprintf(e->c.status, sizeof e->c.status, "open");
	return &e->c;
}

/* A message, the root of the casus, by sender, copied `copies` times. */
static void fake_message(fake_store *f, const char *room, const char *event, const char *sender, long copies)
{
	pol_casus *c = fake_add(f, room, event);

	snprintf(c->origin_room, sizeof c->origin_room, "%s", room);
	snprintf(c->root_event, sizeof c->root_event, "%s", event);
	snprintf(c->sender, sizeof c->sender, "%s", sender);
	c->copies = copies;
}

/* An edit (or the bot's request about it) in state. */
static void fake_edit(fake_store *f, const char *room, const char *event, const char *edit, pol_edit_state state)
{
	pol_casus *c = fake_add(f, room, event);

	c->edit = state;
	snprintf(c->edit_event, sizeof c->edit_event, "%s", edit);
}

static const pol_config edit_cfg = { .bot_user_id = "@bot:localhost", .lang = POL_LANG_NL };

/* An input of kind from sender in room (key), with f's facts. */
static void fake_input(pol_input *in, pol_facts *facts, fake_store *f, pol_input_kind kind, const char *room,
		       const char *key, const char *sender)
{
	memset(facts, 0, sizeof *facts);
	facts->casus_of_event = fake_casus_of_event;
	facts->casus_last_nr = fake_last;
	facts->ctx = f;
	memset(in, 0, sizeof *in);
	in->kind = kind;
	in->room_id = room;
	in->event_id = "$new";
	in->sender = sender;
	in->structure = s;
	in->room.key = key;
	in->facts = facts;
}

static void decide_edit(fake_store *f, const char *room, const char *key, const char *sender, const char *original,
			pol_edit_plan *plan)
{
	pol_facts facts;
	pol_input in;

	fake_input(&in, &facts, f, POL_IN_EDIT, room, key, sender);
	in.relates_event = original;
	in.body = "NEP-ALARM: gewapende inbreker";
	pol_casus_edit(&edit_cfg, &in, plan);
}

Test(route, an_authors_edit_of_a_forwarded_melding_waits_for_the_stuurgroep)
{
	fake_store f = { .n = 0 };
	pol_edit_plan plan;

	fake_message(&f, "!noord", "$m1", "@jan:localhost", 1);
	decide_edit(&f, "!noord", "wijkgroep:noord", "@jan:localhost", "$m1", &plan);
	cr_assert_eq(plan.kind, POL_EDIT_PLAN_ASK, "a forwarded melding changed without approval");
	cr_assert_eq(plan.nr, 7);
	/* Asked where the stuurgroep works, not in the residents' room. */
	cr_assert_str_eq(plan.room_key, "stuurgroep:stuur");
	cr_assert_null(plan.room_id);
}

Test(route, edits_that_change_nothing_and_ask_nothing)
{
	static const struct {
		const char *sender, *original, *what;
	} ignored[] = {
		{ "@piet:localhost", "$m1", "someone else's edit (the spec: only the author edits)" },
		{ "@anna:localhost", "$m1", "a stuurgroep member's edit of a resident's melding" },
		{ "@bot:localhost", "$m1", "the bot's own edit of its copy" },
		{ "@jan:localhost", "$unknown", "an edit of something the bot does not keep" },
		{ "@jan:localhost", "$e0", "an edit of an edit" },
	};
	fake_store f = { .n = 0 };
	pol_edit_plan plan;
	size_t i;

	fake_message(&f, "!noord", "$m1", "@jan:localhost", 1);
	fake_message(&f, "!noord", "$m2", "@jan:localhost", 0);
	fake_edit(&f, "!noord", "$e0", "$e0", POL_EDIT_PENDING);
	for (i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
		decide_edit(&f, "!noord", "wijkgroep:noord", ignored[i].sender, ignored[i].original, &plan);
		cr_assert_eq(plan.kind, POL_EDIT_PLAN_IGNORE, "not ignored: %s", ignored[i].what);
	}
	/* Never forwarded: the kept text follows, nobody is asked. */
	decide_edit(&f, "!noord", "wijkgroep:noord", "@jan:localhost", "$m2", &plan);
	cr_assert_eq(plan.kind, POL_EDIT_PLAN_KEEP);
	cr_assert_str_eq(plan.room_key, "");
	cr_assert_null(plan.room_id);
}

Test(route, an_edit_in_a_stuurgroep_room_is_asked_about_in_its_thread)
{
	fake_store f = { .n = 0 };
	pol_edit_plan plan;

	/* A police message, forwarded into the wijkgroepen. */
	fake_message(&f, "!sg", "$p1", "@politie:localhost", 2);
	decide_edit(&f, "!sg", "stuurgroep:stuur", "@politie:localhost", "$p1", &plan);
	cr_assert_eq(plan.kind, POL_EDIT_PLAN_ASK);
	cr_assert_str_eq(plan.room_key, "");
	cr_assert_str_eq(plan.room_id, "!sg");
	cr_assert_str_eq(plan.thread_root, "$p1");
}

/* ⏩ by sender on event in room (key), or (door) the command door as a
 * reply to it. */
static void decide_approval(fake_store *f, const char *room, const char *key, const char *sender, const char *event,
			    const char *door, pol_actions *out)
{
	pol_facts facts;
	pol_input in;

	fake_input(&in, &facts, f, door ? POL_IN_MESSAGE : POL_IN_REACTION, room, key, sender);
	in.body = door;
	in.reply_to = door ? event : NULL;
	in.relates_event = door ? NULL : event;
	in.reaction_key = door ? NULL : "\xe2\x8f\xa9";
	pol_decide(&edit_cfg, &in, out);
}

static void expect_edit_forward(const pol_actions *out, const char *edit, const char *approver)
{
	const pol_action *a = find_kind(out, POL_ACT_FORWARD);

	cr_assert_not_null(a, "the approval did not carry the edit");
	cr_assert(a->forward.edit, "the approval of an edit became a forward of a message");
	cr_assert_str_eq(a->forward.event, edit);
	cr_assert_str_eq(a->forward.approver, approver);
	cr_assert_eq(a->forward.nr, 7);
}

Test(route, a_stuurgroep_member_approves_an_edit_on_the_edit_or_on_the_request)
{
	fake_store f = { .n = 0 };
	pol_actions out;

	fake_message(&f, "!noord", "$m1", "@jan:localhost", 1);
	fake_edit(&f, "!noord", "$edit1", "$edit1", POL_EDIT_PENDING);
	fake_edit(&f, "!sg", "$request", "$edit1", POL_EDIT_PENDING);
	/* The approval reaction on the edit event. */
	decide_approval(&f, "!noord", "wijkgroep:noord", "@anna:localhost", "$edit1", NULL, &out);
	expect_edit_forward(&out, "$edit1", "@anna:localhost");
	/* On the edit itself, which cannot root a thread: the confirmation
	 * goes into the casus's thread. */
	cr_assert(find_kind(&out, POL_ACT_FORWARD)->forward.in_casus_thread);
	cr_assert_null(find_kind(&out, POL_ACT_FORWARD)->thread_root);
	/* !door as a reply to the edit. */
	decide_approval(&f, "!noord", "wijkgroep:noord", "@bram:localhost", "$edit1", "!door", &out);
	expect_edit_forward(&out, "$edit1", "@bram:localhost");
	/* That answers the command, as any command is answered. */
	cr_assert_not(find_kind(&out, POL_ACT_FORWARD)->forward.in_casus_thread);
	cr_assert_str_eq(find_kind(&out, POL_ACT_FORWARD)->reply_to, "$new");
	/* The reaction on the bot's request in the stuurgroep room, and !door
	 * as a reply to it. */
	decide_approval(&f, "!sg", "stuurgroep:stuur", "@carla:localhost", "$request", NULL, &out);
	expect_edit_forward(&out, "$edit1", "@carla:localhost");
	cr_assert_not(find_kind(&out, POL_ACT_FORWARD)->forward.in_casus_thread, "a confirmation meant for the request went elsewhere");
	cr_assert_str_eq(find_kind(&out, POL_ACT_FORWARD)->thread_root, "$request");
	decide_approval(&f, "!sg", "stuurgroep:stuur", "@carla:localhost", "$request", "!door", &out);
	expect_edit_forward(&out, "$edit1", "@carla:localhost");
	/* A doel does not apply: the edit goes where the message went. */
	decide_approval(&f, "!noord", "wijkgroep:noord", "@anna:localhost", "$edit1", "!door Wijkgroep Zuid", &out);
	expect_edit_forward(&out, "$edit1", "@anna:localhost");
}

Test(route, nobody_else_approves_an_edit_and_old_edits_are_not_approved)
{
	fake_store f = { .n = 0 };
	pol_actions out;
	const pol_action *a;

	fake_message(&f, "!noord", "$m1", "@jan:localhost", 1);
	fake_edit(&f, "!noord", "$edit1", "$edit1", POL_EDIT_PENDING);
	fake_edit(&f, "!noord", "$old", "$old", POL_EDIT_SUPERSEDED);
	fake_edit(&f, "!noord", "$done", "$done", POL_EDIT_APPROVED);
	fake_edit(&f, "!noord", "$gone", "$gone", POL_EDIT_WITHDRAWN);
	/* A resident's ⏩ (the author's own too) is just a reaction. */
	decide_approval(&f, "!noord", "wijkgroep:noord", "@jan:localhost", "$edit1", NULL, &out);
	cr_assert_null(find_kind(&out, POL_ACT_FORWARD));
	/* Their !door is refused by the command table. */
	decide_approval(&f, "!noord", "wijkgroep:noord", "@jan:localhost", "$edit1", "!door", &out);
	cr_assert_null(find_kind(&out, POL_ACT_FORWARD));
	/* Another stuurgroep (West) does not manage Noord. */
	decide_approval(&f, "!noord", "wijkgroep:noord", "@dirk:localhost", "$edit1", NULL, &out);
	cr_assert_null(find_kind(&out, POL_ACT_FORWARD));
	/* A superseded, an approved and a withdrawn edit: told, nothing carried. */
	decide_approval(&f, "!noord", "wijkgroep:noord", "@anna:localhost", "$old", "!door", &out);
	cr_assert_null(find_kind(&out, POL_ACT_FORWARD));
	a = find_kind(&out, POL_ACT_NOTICE);
	cr_assert_not_null(a);
	cr_assert_not_null(strstr(a->notice.text, "nieuwste bewerking"), "%s", a->notice.text);
	decide_approval(&f, "!noord", "wijkgroep:noord", "@anna:localhost", "$done", NULL, &out);
	cr_assert_null(find_kind(&out, POL_ACT_FORWARD));
	cr_assert_not_null(strstr(find_kind(&out, POL_ACT_NOTICE)->notice.text, "al goedgekeurd"));
	cr_assert_null(find_kind(&out, POL_ACT_NOTICE)->thread_root, "a thread rooted at an edit");
	cr_assert_str_eq(find_kind(&out, POL_ACT_NOTICE)->reply_to, "$done");
	decide_approval(&f, "!noord", "wijkgroep:noord", "@anna:localhost", "$gone", "!door", &out);
	cr_assert_null(find_kind(&out, POL_ACT_FORWARD));
	cr_assert_not_null(strstr(find_kind(&out, POL_ACT_NOTICE)->notice.text, "ingetrokken"));
	/* The original itself: a forward of the message as before, not of the edit. */
	decide_approval(&f, "!noord", "wijkgroep:noord", "@anna:localhost", "$m1", "!door", &out);
	a = find_kind(&out, POL_ACT_FORWARD);
	cr_assert_not_null(a);
	cr_assert_not(a->forward.edit);
	cr_assert_str_eq(a->forward.event, "$m1");
}

/* ---- casushouder per room (issue 11) ---- */

Test(route, the_approving_stuurgroep_member_becomes_casushouder_in_the_wijkgroepen)
{
	fake_store f = { .n = 0 };
	pol_actions out;
	const pol_action *a;

	/* A police message, kept in the stuurgroep room before any casus. */
	decide_approval(&f, "!sg", "stuurgroep:stuur", "@carla:localhost", "$p1", "!door", &out);
	a = find_kind(&out, POL_ACT_FORWARD);
	cr_assert_not_null(a);
	cr_assert(a->forward.opens, "the approval does not open the casus");
	cr_assert_eq(a->forward.nr, 7, "the casus it opens is not the next number");
	cr_assert_eq(a->forward.houder_kind, POL_HOUDER_NAMED);
	cr_assert_str_eq(a->forward.houder, "@carla:localhost", "the approver is not casushouder in the wijkgroepen");
	cr_assert_str_eq(a->forward.approver, "@carla:localhost");
	cr_assert_gt(a->forward.n_targets, 0, "the plan names no target rooms");
	for (size_t i = 0; i < a->forward.n_targets; i++)
		cr_assert(strncmp(a->forward.targets[i], "wijkgroep:", 10) == 0, "%s", a->forward.targets[i]);
	cr_assert_str_eq(a->forward.root_event, "", "no casus yet, so no root");
	/* From the regiegroep into the approver's wijkgroepen too. */
	fake_message(&f, "!regie", "$r1", "@bot:localhost", 0);
	decide_approval(&f, "!regie", "regiegroep:dorp", "@eva:localhost", "$r1", NULL, &out);
	a = find_kind(&out, POL_ACT_FORWARD);
	cr_assert_not_null(a);
	cr_assert_str_eq(a->forward.houder, "@eva:localhost");
	cr_assert_str_eq(a->forward.approver, "@eva:localhost");
	/* From a wijkgroep into the regiegroep, the melder stays casushouder. */
	fake_message(&f, "!noord", "$m1", "@jan:localhost", 0);
	snprintf(f.ev[f.n - 1].c.casushouder, sizeof f.ev[f.n - 1].c.casushouder, "%s", "@jan:localhost");
	decide_approval(&f, "!noord", "wijkgroep:noord", "@anna:localhost", "$m1", NULL, &out);
	a = find_kind(&out, POL_ACT_FORWARD);
	cr_assert_not_null(a);
	cr_assert_eq(a->forward.houder_kind, POL_HOUDER_NAMED);
	cr_assert_str_eq(a->forward.houder, "@jan:localhost");
	cr_assert_eq(a->forward.n_targets, 1);
	cr_assert_str_eq(a->forward.targets[0], "regiegroep:dorp");
	cr_assert_str_eq(a->forward.root_event, "$m1", "the confirmation is not in the casus thread");
	/* Nobody is casushouder where it comes from or where it began: its author. */
	f.ev[f.n - 1].c.casushouder[0] = '\0';
	decide_approval(&f, "!noord", "wijkgroep:noord", "@anna:localhost", "$m1", NULL, &out);
	a = find_kind(&out, POL_ACT_FORWARD);
	cr_assert_not_null(a);
	cr_assert_eq(a->forward.houder_kind, POL_HOUDER_AUTHOR);
	cr_assert_str_eq(a->forward.houder, "");
}

/* ---- !casus: who sees which casus ---- */

Test(route, a_casus_is_shown_to_those_the_structure_puts_in_a_room_it_reached)
{
	cr_assert(pol_casus_visible(s, "@anna:localhost", "stuurgroep:stuur"));
	cr_assert_not(pol_casus_visible(s, "@dirk:localhost", "stuurgroep:stuur"), "another wijk's casus was shown");
	cr_assert(pol_casus_visible(s, "@dirk:localhost", "stuurgroep:west"));
	cr_assert_not(pol_casus_visible(s, "@anna:localhost", "stuurgroep:nergens"));
	cr_assert_not(pol_casus_visible(s, NULL, "stuurgroep:stuur"));
}

Test(route, an_operator_sees_every_casus)
{
	static const char *const admins[] = { "@anna:localhost" };
	const pol_config cfg = { .bot_user_id = "@bot:localhost", .lang = POL_LANG_NL, .admins = admins, .n_admins = 1 };
	fake_store f = { .n = 0 };
	pol_facts facts;
	pol_input in;
	pol_actions out;
	const pol_action *a;

	fake_input(&in, &facts, &f, POL_IN_MESSAGE, "!sg", "stuurgroep:stuur", "@bram:localhost");
	in.body = "!casus #3";
	pol_decide(&cfg, &in, &out);
	a = find_kind(&out, POL_ACT_CASUS_LIST);
	cr_assert_not_null(a);
	cr_assert_eq(a->casus.nr, 3);
	cr_assert_not(a->casus.sees_all, "a stuurgroep member sees the casussen of other wijken");
	/* anna operates the bot (a config admin) */
	in.sender = "@anna:localhost";
	pol_decide(&cfg, &in, &out);
	a = find_kind(&out, POL_ACT_CASUS_LIST);
	cr_assert_not_null(a);
	cr_assert(a->casus.sees_all);
}

Test(saar, an_edit_request_quotes_both_texts_and_says_how_to_approve)
{
	const pol_config cfg = { .bot_user_id = "@bot:localhost", .lang = POL_LANG_NL };
	char buf[2048];

	pol_edit_request_text(&cfg, "@jan:localhost", 7, "Regiegroep Dorp", "man in rood", "!ping\nman in blauw", buf,
			      sizeof buf);
	cr_assert_not_null(strstr(buf, "> man in rood"), "%s", buf);
	cr_assert_not_null(strstr(buf, "> !ping\n> man in blauw"), "the new text could pass for a command: %s", buf);
	cr_assert_not_null(strstr(buf, "\xe2\x8f\xa9"), "the default approval reaction is not named: %s", buf);
	cr_assert_not_null(strstr(buf, "casus #7"), "%s", buf);
}

/* ---- the housekeeping's reminders and expiry (pol_housekeeping) ---- */

#define HOUR 3600LL
#define NOW 1700000000LL

TestSuite(housekeeping, .init = setup, .fini = teardown);

static pol_hk_snapshot hk_snapshot(const pol_hk_casus *c, size_t n, pol_lang lang)
{
	pol_hk_snapshot snap;

	memset(&snap, 0, sizeof snap);
	snap.casussen = c;
	snap.n = n;
	snap.reminder_hours = 2;
	snap.expiry_hours = 24;
	snap.now = NOW;
	snap.lang = lang;
	snap.structure = s;
	return snap;
}

Test(housekeeping, nothing_before_the_reminder_hours)
{
	pol_hk_casus c[] = { { 7, NOW - 2 * HOUR + 1, 0, "wijkgroep:noord" } };
	pol_hk_snapshot snap = hk_snapshot(c, 1, POL_LANG_NL);
	pol_hk_plan plans[4];

	cr_assert_eq(pol_housekeeping(&snap, plans, 4), 0);
}

Test(housekeeping, reminder_after_the_reminder_hours_to_the_thread_and_its_stuurgroep)
{
	pol_hk_casus c[] = { { 7, NOW - 2 * HOUR, 0, "wijkgroep:noord" }, { 8, NOW - HOUR, 0, "wijkgroep:west" } };
	pol_hk_snapshot snap = hk_snapshot(c, 2, POL_LANG_NL);
	pol_hk_plan plans[4];

	cr_assert_eq(pol_housekeeping(&snap, plans, 4), 1);
	cr_assert_eq(plans[0].kind, POL_HK_REMIND);
	cr_assert_eq(plans[0].u.remind.nr, 7);
	cr_assert_eq(plans[0].u.remind.index, 0);
	cr_assert_str_eq(plans[0].u.remind.sg_key, "stuurgroep:stuur");
	cr_assert_not_null(strstr(plans[0].u.remind.text, "Casus #7 loopt al meer dan 2 uur zonder afloop"), "%s",
			   plans[0].u.remind.text);
}

Test(housekeeping, a_reminder_goes_once)
{
	pol_hk_casus c[] = { { 7, NOW - 3 * HOUR, 1, "wijkgroep:noord" } };
	pol_hk_snapshot snap = hk_snapshot(c, 1, POL_LANG_NL);
	pol_hk_plan plans[4];

	cr_assert_eq(pol_housekeeping(&snap, plans, 4), 0);
}

Test(housekeeping, expiry_after_the_expiry_hours_and_no_reminder_then)
{
	pol_hk_casus c[] = { { 7, NOW - 24 * HOUR, 0, "wijkgroep:noord" }, { 9, NOW - 25 * HOUR, 1, NULL } };
	pol_hk_snapshot snap = hk_snapshot(c, 2, POL_LANG_NL);
	pol_hk_plan plans[4];

	cr_assert_eq(pol_housekeeping(&snap, plans, 4), 2, "an expiring casus is not reminded");
	cr_assert_eq(plans[0].kind, POL_HK_EXPIRE);
	cr_assert_eq(plans[0].u.expire.nr, 7);
	cr_assert_str_eq(plans[0].u.expire.text, "Casus #7 is na 24 uur zonder afloop gesloten.");
	cr_assert_eq(plans[1].kind, POL_HK_EXPIRE);
	cr_assert_eq(plans[1].u.expire.nr, 9);
}

Test(housekeeping, expiries_first_then_reminders_within_the_room_given)
{
	pol_hk_casus c[] = {
		{ 3, NOW - 5 * HOUR, 0, "wijkgroep:zuid" },
		{ 4, NOW - 30 * HOUR, 0, "wijkgroep:noord" },
		{ 5, NOW - 4 * HOUR, 0, "stuurgroep:stuur" },
		{ 6, NOW - 26 * HOUR, 1, "wijkgroep:west" },
	};
	pol_hk_snapshot snap = hk_snapshot(c, 4, POL_LANG_NL);
	pol_hk_plan plans[3];

	cr_assert_eq(pol_housekeeping(&snap, plans, 3), 3, "at most the room given");
	cr_assert_eq(plans[0].kind, POL_HK_EXPIRE);
	cr_assert_eq(plans[0].u.expire.nr, 4);
	cr_assert_eq(plans[1].kind, POL_HK_EXPIRE);
	cr_assert_eq(plans[1].u.expire.nr, 6);
	cr_assert_eq(plans[2].kind, POL_HK_REMIND);
	cr_assert_eq(plans[2].u.remind.nr, 3);
	cr_assert_eq(plans[2].u.remind.index, 0);
}

Test(housekeeping, no_stuurgroep_for_a_room_that_is_no_wijkgroep_and_english_words)
{
	pol_hk_casus c[] = { { 5, NOW - 3 * HOUR, 0, "stuurgroep:stuur" }, { 6, NOW - 3 * HOUR, 0, NULL } };
	pol_hk_snapshot snap = hk_snapshot(c, 2, POL_LANG_EN);
	pol_hk_plan plans[4];

	cr_assert_eq(pol_housekeeping(&snap, plans, 4), 2);
	cr_assert_str_eq(plans[0].u.remind.sg_key, "");
	cr_assert_str_eq(plans[1].u.remind.sg_key, "");
	cr_assert_not_null(strstr(plans[0].u.remind.text, "Casus #5 has been open for more than 2 hours"), "%s",
			   plans[0].u.remind.text);
}

Test(housekeeping, configured_hours_count)
{
	pol_hk_casus c[] = { { 7, NOW - 5 * HOUR, 0, "wijkgroep:noord" } };
	pol_hk_snapshot snap = hk_snapshot(c, 1, POL_LANG_NL);
	pol_hk_plan plans[4];

	snap.reminder_hours = 6;
	cr_assert_eq(pol_housekeeping(&snap, plans, 4), 0);
	snap.expiry_hours = 5;
	cr_assert_eq(pol_housekeeping(&snap, plans, 4), 1);
	cr_assert_eq(plans[0].kind, POL_HK_EXPIRE);
	cr_assert_str_eq(plans[0].u.expire.text, "Casus #7 is na 5 uur zonder afloop gesloten.");
}
