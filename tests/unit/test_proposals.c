/* Unit tests of the engine's decisions on the structure's growth, with fake
 * daemon facts: !lid, knocks and joins against the caps and the waiting
 * list, !splits, !wijkgroep nieuw, !bevestig and !wachtlijst. Run from the
 * repository root. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy/pol_engine.h"
#include "policy/pol_structure.h"
#include "policy/pol_text.h"
#include "unit_structure.h"
#include "policy/pol_proposal_make.h"

/* ---- helpers ---- */

/* The first action of kind, or NULL. */
static const pol_action *find(const pol_actions *out, pol_action_kind kind)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->items[i].kind == kind)
			return &out->items[i];
	return NULL;
}

static size_t count_kind(const pol_actions *out, pol_action_kind kind)
{
	size_t k = 0;

	for (size_t i = 0; i < out->n; i++)
		k += out->items[i].kind == kind;
	return k;
}

/* ---- the engine ---- */

#define ANNA "@anna:localhost"
#define BRAM "@bram:localhost"
#define DIRK "@dirk:localhost"
#define EVE "@eve:localhost"
#define BOT "@bot:localhost"
#define SG_ROOM "!stuur:localhost"
#define WG_ROOM "!noord:localhost"

static const char *const admins[] = { "@admin:localhost" };
static const pol_config cfg = { .bot_user_id = BOT, .admins = admins, .n_admins = 1, .lang = POL_LANG_NL };

/* What the daemon knows, as each test sets it. */
typedef struct fake {
	long cap_count;            /* for every room */
	const char *wijkgroep_of;  /* the key of every user's wijkgroep, or NULL */
	long position, length;     /* on every waiting list */
	int has_proposal;
	pol_proposal proposal;
	/* what the rules asked */
	int proposal_calls;
	long long asked_nr;
	char asked_room[256];
} fake;

static long f_cap_count(void *ctx, const char *room_key)
{
	(void)room_key;
	return ((fake *)ctx)->cap_count;
}

static int f_wijkgroep_of(void *ctx, const char *user_id, char *buf, size_t size)
{
	const fake *f = ctx;

	(void)user_id;
	if (!f->wijkgroep_of)
		return -1;
	snprintf(buf, size, "%s", f->wijkgroep_of);
	return 0;
}

static long f_position(void *ctx, const char *room_key, const char *user_id)
{
	(void)room_key;
	(void)user_id;
	return ((fake *)ctx)->position;
}

static long f_length(void *ctx, const char *room_key)
{
	(void)room_key;
	return ((fake *)ctx)->length;
}

static int f_proposal(void *ctx, const char *room_id, long long nr, pol_proposal *out)
{
	fake *f = ctx;

	f->proposal_calls++;
	f->asked_nr = nr;
	snprintf(f->asked_room, sizeof f->asked_room, "%s", room_id);
	if (!f->has_proposal)
		return -1;
	*out = f->proposal;
	return 0;
}

static pol_structure *engine_s;
static fake facts_state;
static pol_facts facts;

static void engine_setup(void)
{
	engine_s = parse_sq_ok(ENGINE_SQ);
	memset(&facts_state, 0, sizeof facts_state);
	facts_state.cap_count = 1;
	memset(&facts, 0, sizeof facts);
	facts.cap_count = f_cap_count;
	facts.wijkgroep_of = f_wijkgroep_of;
	facts.waitlist_position = f_position;
	facts.waitlist_length = f_length;
	facts.proposal = f_proposal;
	facts.ctx = &facts_state;
}

static void engine_teardown(void)
{
	pol_structure_free(engine_s);
	engine_s = NULL;
}

/* A command by sender in the room with this structure key. */
static pol_input message(const char *sender, const char *room_key, const char *body)
{
	pol_input in;

	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MESSAGE;
	in.room_id = room_key && strncmp(room_key, "wijkgroep:", 10) == 0 ? WG_ROOM : SG_ROOM;
	in.event_id = "$cmd";
	in.sender = sender;
	in.body = body;
	in.structure = engine_s;
	in.room.key = room_key;
	in.room.kind = POL_ROOM_OTHER;
	in.facts = &facts;
	return in;
}

/* target's membership in the wijkgroep room with this key changed. */
static pol_input member(const char *room_key, const char *target, const char *membership)
{
	pol_input in;

	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MEMBER;
	in.room_id = WG_ROOM;
	in.event_id = "$m";
	in.sender = target;
	in.target = target;
	in.membership = membership;
	in.structure = engine_s;
	in.room.key = room_key;
	in.facts = &facts;
	return in;
}

static void decide(const pol_input *in, pol_actions *out)
{
	pol_decide(&cfg, in, out);
}

/* The answer to a command (the reply NOTICE, or what replaced it). */
static const pol_action *answer_of(const pol_actions *out)
{
	cr_assert_geq(out->n, 2, "no audit row and answer");
	cr_assert_eq(out->items[0].kind, POL_ACT_AUDIT);
	return &out->items[1];
}

static void expect_refused_answer(const pol_actions *out, pol_text_id why)
{
	const pol_action *a = answer_of(out);

	cr_assert_not(out->items[0].audit.allowed, "the refusal is not in the audit row");
	cr_assert_eq(a->kind, POL_ACT_NOTICE);
	cr_assert_str_eq(a->notice.text, pol_text(POL_LANG_NL, why));
}

TestSuite(engine_lid, .init = engine_setup, .fini = engine_teardown);

Test(engine_lid, past_the_cap_goes_on_the_waiting_list_with_the_place)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!lid toevoegen " EVE " noord");
	pol_actions out;
	const pol_action *w;

	facts_state.cap_count = 3;
	facts_state.position = 0;
	facts_state.length = 4;
	decide(&in, &out);
	cr_assert(out.items[0].audit.allowed);
	cr_assert_null(find(&out, POL_ACT_INVITE), "invited past the cap");
	w = find(&out, POL_ACT_WAITLIST_ADD);
	cr_assert_not_null(w);
	cr_assert_str_eq(w->waitlist.room_key, "wijkgroep:noord");
	cr_assert_str_eq(w->waitlist.user, EVE);
	cr_assert_str_eq(w->waitlist.source, "lid");
	assert_has(answer_of(&out)->notice.text, "plaats 5");
	assert_has(answer_of(&out)->notice.text, "Wijkgroep Noord");
	assert_has(answer_of(&out)->notice.text, EVE);
	/* already on the list: the place they have */
	facts_state.position = 2;
	decide(&in, &out);
	assert_has(answer_of(&out)->notice.text, "plaats 2");
}

Test(engine_lid, under_the_cap_invites)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!lid toevoegen " EVE " Wijkgroep Noord");
	pol_actions out;
	const pol_action *i;

	facts_state.cap_count = 2;
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_WAITLIST_ADD));
	i = find(&out, POL_ACT_INVITE);
	cr_assert_not_null(i);
	cr_assert_str_eq(i->invite.user, EVE);
	cr_assert_str_eq(i->invite.room_key, "wijkgroep:noord");
	cr_assert_str_eq(i->invite.wijkgroep->id, "noord");
	cr_assert_str_eq(i->invite.buurt, "", "a wijkgroep name tells no buurt");
	cr_assert(i->invite.becomes_resident, "an admission does not make a resident");
	cr_assert(i->invite.leaves_waitlist, "an admission leaves them on the waiting list");
	assert_has(answer_of(&out)->notice.text, "uitgenodigd in Wijkgroep Noord");
}

Test(engine_lid, royeer_bans_from_everything_for_good)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!royeer " EVE " spam");
	pol_actions out;
	const pol_action *b;

	facts_state.wijkgroep_of = "wijkgroep:noord";
	decide(&in, &out);
	cr_assert(out.items[0].audit.allowed);
	b = find(&out, POL_ACT_BAN_ALL);
	cr_assert_not_null(b);
	cr_assert_str_eq(b->remove.user, EVE);
	cr_assert_str_eq(b->remove.reason, "spam");
	cr_assert(b->remove.every_room && b->remove.leaves_waitlists && b->remove.ends_residency,
		  "a ban that leaves a room, a waiting list or the residency");
}

Test(engine_lid, buurt_or_postcode_as_target_sets_the_buurt)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!lid toevoegen " EVE " beekpark");
	pol_actions out;
	const pol_action *i;

	decide(&in, &out);
	i = find(&out, POL_ACT_INVITE);
	cr_assert_not_null(i);
	cr_assert_str_eq(i->invite.wijkgroep->id, "west");
	cr_assert_str_eq(i->invite.room_key, "wijkgroep:west");
	cr_assert_str_eq(i->invite.buurt, "Beekpark");

	in.body = "!lid toevoegen " EVE " 1234 AB";
	decide(&in, &out);
	i = find(&out, POL_ACT_INVITE);
	cr_assert_not_null(i);
	cr_assert_str_eq(i->invite.wijkgroep->id, "noord");
	cr_assert_str_eq(i->invite.room_key, "wijkgroep:noord");
	cr_assert_str_eq(i->invite.buurt, "1234");
}

Test(engine_lid, retired_wijkgroep_is_refused)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!lid toevoegen " EVE " oud");
	pol_actions out;

	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_INVITE));
	cr_assert_null(find(&out, POL_ACT_WAITLIST_ADD));
	assert_has(answer_of(&out)->notice.text, "Wijkgroep Oud is opgeheven");
}

Test(engine_lid, another_stuurgroeps_wijkgroep_and_non_telefoonbeheerder_are_refused)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!lid toevoegen " EVE " Molenveld");
	pol_actions out;

	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_INVITE));
	expect_refused_answer(&out, POL_TXT_REFUSED_NOT_YOUR_WIJKGROEP);
	in = message(BRAM, "stuurgroep:sg", "!lid toevoegen " EVE " noord");
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_INVITE));
	expect_refused_answer(&out, POL_TXT_REFUSED_TELEFOONBEHEERDER);
}

Test(engine_lid, someone_in_a_wijkgroep_already_and_unknown_count_are_refused)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!lid toevoegen " EVE " noord");
	pol_actions out;

	facts_state.wijkgroep_of = "wijkgroep:zuid";
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_INVITE));
	assert_has(answer_of(&out)->notice.text, "al lid van (of uitgenodigd in) Wijkgroep Zuid");
	facts_state.wijkgroep_of = NULL;
	facts_state.cap_count = -1;
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_INVITE), "an unknown count let someone in");
	cr_assert_null(find(&out, POL_ACT_WAITLIST_ADD));
	assert_has(answer_of(&out)->notice.text, "Wijkgroep Noord is vol");
}

TestSuite(engine_member, .init = engine_setup, .fini = engine_teardown);

Test(engine_member, knock_with_room_tells_the_stuurgroep)
{
	pol_input in = member("wijkgroep:noord", EVE, "knock");
	pol_actions out;
	const pol_action *n, *dm;

	facts_state.cap_count = 1;
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_KICK));
	cr_assert_null(find(&out, POL_ACT_WAITLIST_ADD));
	n = find(&out, POL_ACT_NOTICE);
	cr_assert_not_null(n);
	cr_assert_null(n->room_id, "the notice goes to the stuurgroep, not the wijkgroep room");
	cr_assert_str_eq(n->notice.room_key, "stuurgroep:sg");
	assert_has(n->notice.text, "!lid toevoegen " EVE " noord");
	assert_has(n->notice.text, "1 van 3");
	dm = find(&out, POL_ACT_OPEN_DM);
	cr_assert_not_null(dm);
	cr_assert_str_eq(dm->person.user, EVE);
}

Test(engine_member, knock_when_full_goes_on_the_list_and_is_told)
{
	pol_input in = member("wijkgroep:noord", EVE, "knock");
	pol_actions out;
	const pol_action *w, *n, *k;

	facts_state.cap_count = 3;
	facts_state.position = 0;
	facts_state.length = 2;
	decide(&in, &out);
	cr_assert_eq(out.n, 3);
	w = &out.items[0];
	n = &out.items[1];
	k = &out.items[2];
	cr_assert_eq(w->kind, POL_ACT_WAITLIST_ADD);
	cr_assert_str_eq(w->waitlist.user, EVE);
	cr_assert_str_eq(w->waitlist.room_key, "wijkgroep:noord");
	cr_assert_str_eq(w->waitlist.source, "knock");
	cr_assert_eq(n->kind, POL_ACT_NOTICE);
	cr_assert_null(n->room_id);
	cr_assert_str_eq(n->notice.room_key, "stuurgroep:sg");
	assert_has(n->notice.text, EVE);
	assert_has(n->notice.text, "plaats 3");
	cr_assert_eq(k->kind, POL_ACT_KICK);
	cr_assert_str_eq(k->remove.user, EVE);
	cr_assert_str_eq(k->room_id, WG_ROOM);
	assert_has(k->remove.reason, "Wijkgroep Noord is vol");
	assert_has(k->remove.reason, "plaats 3");
	cr_assert_null(find(&out, POL_ACT_OPEN_DM));
}

Test(engine_member, knock_with_unknown_count_is_not_let_in)
{
	pol_input in = member("wijkgroep:noord", EVE, "knock");
	pol_actions out;

	facts_state.cap_count = -1;
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_OPEN_DM));
	cr_assert_not_null(find(&out, POL_ACT_WAITLIST_ADD));
	cr_assert_not_null(find(&out, POL_ACT_KICK));
}

Test(engine_member, knock_again_when_on_the_list_only_kicks)
{
	pol_input in = member("wijkgroep:noord", EVE, "knock");
	pol_actions out;

	facts_state.cap_count = 3;
	facts_state.position = 2;
	facts_state.length = 5;
	decide(&in, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_eq(out.items[0].kind, POL_ACT_KICK);
	cr_assert_str_eq(out.items[0].remove.user, EVE);
	assert_has(out.items[0].remove.reason, "plaats 2");
	cr_assert_eq(count_kind(&out, POL_ACT_NOTICE), 0, "the stuurgroep heard of this knocker twice");
}

Test(engine_member, knock_by_someone_of_another_wijkgroep_is_kicked)
{
	pol_input in = member("wijkgroep:noord", EVE, "knock");
	pol_actions out;

	facts_state.wijkgroep_of = "wijkgroep:zuid";
	decide(&in, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_eq(out.items[0].kind, POL_ACT_KICK);
	cr_assert_str_eq(out.items[0].remove.user, EVE);
	assert_has(out.items[0].remove.reason, "al lid van Wijkgroep Zuid");
	/* a knock on their own wijkgroep (invited there) is no move */
	facts_state.wijkgroep_of = "wijkgroep:noord";
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_KICK));
}

Test(engine_member, knock_on_a_retired_wijkgroep_names_the_opvolgers)
{
	pol_input in = member("wijkgroep:oud", EVE, "knock");
	pol_actions out;

	decide(&in, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_eq(out.items[0].kind, POL_ACT_KICK);
	cr_assert_str_eq(out.items[0].remove.user, EVE);
	assert_has(out.items[0].remove.reason, "opgeheven");
	assert_has(out.items[0].remove.reason, "Wijkgroep Noord en Wijkgroep West");
}

Test(engine_member, join_and_leave_check_the_caps)
{
	const char *kinds[] = { "join", "leave", "invite", "ban" };
	pol_actions out;

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		pol_input in = member("wijkgroep:noord", EVE, kinds[i]);
		const pol_action *c;

		decide(&in, &out);
		cr_assert_eq(out.n, 1, "%s", kinds[i]);
		c = find(&out, POL_ACT_CAPS);
		cr_assert_not_null(c);
		cr_assert_str_eq(c->caps.room_key, "wijkgroep:noord");
		cr_assert_str_eq(c->caps.membership, kinds[i]);
		cr_assert_str_eq(c->caps.user, EVE);
	}
}

Test(engine_member, nothing_about_the_bot_stuurgroep_rooms_or_retired_rooms)
{
	pol_input in = member("wijkgroep:noord", BOT, "join");
	pol_actions out;

	decide(&in, &out);
	cr_assert_eq(out.n, 0, "the bot's own membership was acted on");
	in = member("wijkgroep:noord", BOT, "knock");
	decide(&in, &out);
	cr_assert_eq(out.n, 0);
	in = member("stuurgroep:sg", EVE, "knock");
	decide(&in, &out);
	cr_assert_eq(out.n, 0, "a knock on a stuurgroep room was acted on");
	in = member("stuurgroep:sg", EVE, "join");
	decide(&in, &out);
	cr_assert_eq(out.n, 0);
	in = member("wijkgroep:oud", EVE, "join");
	decide(&in, &out);
	cr_assert_eq(out.n, 0, "caps checked on a retired wijkgroep");
	in = member("wijkgroep:bestaatniet", EVE, "knock");
	decide(&in, &out);
	cr_assert_eq(out.n, 0);
	/* without facts the rules cannot decide */
	in = member("wijkgroep:noord", EVE, "knock");
	in.facts = NULL;
	decide(&in, &out);
	cr_assert_eq(out.n, 0);
}

TestSuite(engine_splits, .init = engine_setup, .fini = engine_teardown);

Test(engine_splits, telefoonbeheerder_proposes_in_the_stuurgroep_room)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!splits noord");
	pol_actions out;
	const pol_action *a;

	decide(&in, &out);
	cr_assert(out.items[0].audit.allowed);
	a = answer_of(&out);
	cr_assert_eq(a->kind, POL_ACT_PROPOSE);
	cr_assert_str_eq(a->proposal.kind, "splits");
	cr_assert_not_null(a->proposal.wijkgroep);
	cr_assert_str_eq(a->proposal.wijkgroep->id, "noord");
	cr_assert_str_eq(a->room_id, SG_ROOM);
	cr_assert_str_eq(a->reply_to, "$cmd");
}

Test(engine_splits, needs_the_telefoonbeheerder)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!splits noord");
	pol_actions out;

	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_PROPOSE));
	expect_refused_answer(&out, POL_TXT_REFUSED_TELEFOONBEHEERDER);
}

Test(engine_splits, not_in_a_wijkgroep_room)
{
	pol_input in = message(ANNA, "wijkgroep:noord", "!splits noord");
	pol_actions out;

	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_PROPOSE));
	expect_refused_answer(&out, POL_TXT_REFUSED_ONLY_STUURGROEP);
}

Test(engine_splits, retired_other_stuurgroeps_or_ambiguous_wijkgroep)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!splits oud");
	pol_actions out;

	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_PROPOSE));
	assert_has(answer_of(&out)->notice.text, "Wijkgroep Oud is opgeheven");
	in.body = "!splits zuid";
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_PROPOSE));
	expect_refused_answer(&out, POL_TXT_REFUSED_NOT_YOUR_WIJKGROEP);
	/* two active wijkgroepen: which one? (the retired one is not offered) */
	in.body = "!splits";
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_PROPOSE));
	assert_has(answer_of(&out)->notice.text, "Wijkgroep Noord en Wijkgroep West");
	cr_assert_null(strstr(answer_of(&out)->notice.text, "Wijkgroep Oud"));
}

TestSuite(engine_wijkgroep, .init = engine_setup, .fini = engine_teardown);

Test(engine_wijkgroep, new_wijkgroep_is_proposed_as_an_overlay_entry)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!wijkgroep nieuw Beek: 1236, Molenhoek");
	pol_actions out;
	const pol_action *a;
	cJSON *e, *wg, *buurten;

	decide(&in, &out);
	cr_assert(out.items[0].audit.allowed);
	a = answer_of(&out);
	cr_assert_eq(a->kind, POL_ACT_PROPOSE);
	cr_assert_str_eq(a->proposal.kind, "wijkgroep");
	e = cJSON_Parse(a->proposal.args);
	cr_assert_not_null(e, "not JSON: %s", a->proposal.args);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(e, "soort")), "wijkgroep_nieuw");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(e, "wijk")), "w");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(e, "stuurgroep")), "sg");
	wg = cJSON_GetObjectItem(e, "wijkgroep");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(wg, "id")), "beek");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(wg, "naam")), "Beek");
	buurten = cJSON_GetObjectItem(wg, "buurten");
	cr_assert_eq(cJSON_GetArraySize(buurten), 2);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(buurten, 0)), "1236");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(buurten, 1)), "Molenhoek");
	cJSON_Delete(e);
}

Test(engine_wijkgroep, name_becomes_a_slug_id)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!wijkgroep nieuw  Wijkgroep Het Hof! ");
	pol_actions out;
	cJSON *e;

	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_PROPOSE);
	e = cJSON_Parse(answer_of(&out)->proposal.args);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "wijkgroep"), "id")),
			 "wijkgroep-het-hof");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "wijkgroep"), "naam")),
			 "Wijkgroep Het Hof!");
	cJSON_Delete(e);
}

Test(engine_wijkgroep, without_nieuw_gives_the_usage)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!wijkgroep Beek: 1236");
	pol_actions out;

	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_NOTICE);
	cr_assert_str_eq(answer_of(&out)->notice.text, pol_text(POL_LANG_NL, POL_TXT_WG_NEW_USAGE));
	in.body = "!wijkgroep nieuw";
	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_NOTICE);
	cr_assert_str_eq(answer_of(&out)->notice.text, pol_text(POL_LANG_NL, POL_TXT_WG_NEW_USAGE));
	in.body = "!wijkgroep nieuw : 1236";
	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_NOTICE);
	cr_assert_str_eq(answer_of(&out)->notice.text, pol_text(POL_LANG_NL, POL_TXT_WG_NEW_USAGE));
}

Test(engine_wijkgroep, existing_name_or_id_is_refused)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!wijkgroep nieuw Wijkgroep Noord: 1236");
	pol_actions out;
	char want[256];

	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_NOTICE);
	pol_textf(want, sizeof want, POL_LANG_NL, POL_TXT_WG_NEW_EXISTS, "Wijkgroep Noord");
	cr_assert_str_eq(answer_of(&out)->notice.text, want);
	/* "Zuid" has the id of nothing, but "zuid" is the id of Wijkgroep Zuid */
	in.body = "!wijkgroep nieuw Zuid";
	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_NOTICE);
	assert_has(answer_of(&out)->notice.text, "Er is al een wijkgroep Zuid");
}

Test(engine_wijkgroep, buurt_of_another_wijkgroep_is_refused)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!wijkgroep nieuw Beek: 1236, kerkebuurt");
	pol_actions out;
	char want[256];

	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_NOTICE);
	pol_textf(want, sizeof want, POL_LANG_NL, POL_TXT_WG_NEW_BUURT_TAKEN, "kerkebuurt", "Wijkgroep Noord");
	cr_assert_str_eq(answer_of(&out)->notice.text, want);
	in.body = "!wijkgroep nieuw Beek: 5678AB";
	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_NOTICE);
	assert_has(answer_of(&out)->notice.text, "hoort al bij Wijkgroep Zuid");
	/* the buurt of a retired wijkgroep is free again */
	in.body = "!wijkgroep nieuw Beek: Oudedorp";
	decide(&in, &out);
	cr_assert_eq(answer_of(&out)->kind, POL_ACT_PROPOSE);
}

Test(engine_wijkgroep, bad_names_are_refused)
{
	const char *bodies[] = { "!wijkgroep nieuw X", "!wijkgroep nieuw !!", "!wijkgroep nieuw é: 1236" };
	pol_actions out;

	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		pol_input in = message(ANNA, "stuurgroep:sg", bodies[i]);

		decide(&in, &out);
		cr_assert_eq(answer_of(&out)->kind, POL_ACT_NOTICE, "%s", bodies[i]);
		cr_assert_str_eq(answer_of(&out)->notice.text, pol_text(POL_LANG_NL, POL_TXT_WG_NEW_BAD_NAME), "%s", bodies[i]);
	}
}

Test(engine_wijkgroep, only_the_telefoonbeheerder_in_the_stuurgroep_room)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!wijkgroep nieuw Beek: 1236");
	pol_actions out;

	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_PROPOSE));
	expect_refused_answer(&out, POL_TXT_REFUSED_TELEFOONBEHEERDER);
	in = message(ANNA, "wijkgroep:noord", "!wijkgroep nieuw Beek: 1236");
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_PROPOSE));
	expect_refused_answer(&out, POL_TXT_REFUSED_ONLY_STUURGROEP);
}

TestSuite(engine_bevestig, .init = engine_setup, .fini = engine_teardown);

static void open_proposal(long long nr, const char *kind, const char *proposer)
{
	facts_state.has_proposal = 1;
	facts_state.proposal.nr = nr;
	snprintf(facts_state.proposal.kind, sizeof facts_state.proposal.kind, "%s", kind);
	snprintf(facts_state.proposal.proposer, sizeof facts_state.proposal.proposer, "%s", proposer);
	snprintf(facts_state.proposal.room_id, sizeof facts_state.proposal.room_id, "%s", SG_ROOM);
	facts_state.proposal.age_s = 60;
	facts_state.proposal.open = 1;
}

Test(engine_bevestig, nothing_open)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!bevestig");
	pol_actions out;

	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_EXECUTE));
	cr_assert_str_eq(answer_of(&out)->notice.text, pol_text(POL_LANG_NL, POL_TXT_BEVESTIG_NONE));
	cr_assert_eq(facts_state.proposal_calls, 1);
	cr_assert_eq(facts_state.asked_nr, 0, "without a number the newest open one is asked for");
	cr_assert_str_eq(facts_state.asked_room, SG_ROOM);
}

Test(engine_bevestig, proposer_cannot_confirm_their_own)
{
	pol_input in = message(ANNA, "stuurgroep:sg", "!bevestig");
	pol_actions out;

	open_proposal(7, "splits", ANNA);
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_EXECUTE));
	cr_assert_not(out.items[0].audit.allowed);
	cr_assert_str_eq(out.items[0].audit.reason, "own-proposal");
	cr_assert_str_eq(answer_of(&out)->notice.text, pol_text(POL_LANG_NL, POL_TXT_BEVESTIG_SELF));
}

Test(engine_bevestig, another_member_confirms_and_it_is_carried_out)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!bevestig");
	pol_actions out;
	const pol_action *ex;

	open_proposal(7, "wijkgroep", ANNA);
	decide(&in, &out);
	cr_assert(out.items[0].audit.allowed);
	ex = find(&out, POL_ACT_EXECUTE);
	cr_assert_not_null(ex);
	cr_assert_eq(ex->proposal.nr, 7);
	cr_assert_str_eq(ex->proposal.kind, "wijkgroep");
	cr_assert_str_eq(ex->room_id, SG_ROOM);
	assert_has(answer_of(&out)->notice.text, "Voorstel 7 bevestigd door " BRAM);
	/* just within the day is still valid */
	facts_state.proposal.age_s = POL_PROPOSAL_TTL_S;
	decide(&in, &out);
	cr_assert_not_null(find(&out, POL_ACT_EXECUTE));
}

Test(engine_bevestig, only_members_of_this_stuurgroep)
{
	pol_input in = message(DIRK, "stuurgroep:sg", "!bevestig 7");
	pol_actions out;

	open_proposal(7, "splits", ANNA);
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_EXECUTE));
	expect_refused_answer(&out, POL_TXT_REFUSED_STUURGROEPLID);
	in = message(BRAM, "wijkgroep:noord", "!bevestig 7");
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_EXECUTE));
	expect_refused_answer(&out, POL_TXT_REFUSED_ONLY_STUURGROEP);
}

Test(engine_bevestig, expired_proposal)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!bevestig");
	pol_actions out;
	char want[256];

	open_proposal(7, "splits", ANNA);
	facts_state.proposal.age_s = POL_PROPOSAL_TTL_S + 1;
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_EXECUTE));
	pol_textf(want, sizeof want, POL_LANG_NL, POL_TXT_BEVESTIG_EXPIRED, 7LL);
	cr_assert_str_eq(answer_of(&out)->notice.text, want);
	assert_has(want, "verlopen");
}

Test(engine_bevestig, proposal_of_another_room)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!bevestig 7");
	pol_actions out;

	open_proposal(7, "splits", ANNA);
	snprintf(facts_state.proposal.room_id, sizeof facts_state.proposal.room_id, "!elders:localhost");
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_EXECUTE));
	assert_has(answer_of(&out)->notice.text, "Voorstel 7 hoort bij een andere stuurgroep");
}

Test(engine_bevestig, closed_proposal)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!bevestig 7");
	pol_actions out;

	open_proposal(7, "splits", ANNA);
	facts_state.proposal.open = 0;
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_EXECUTE));
	assert_has(answer_of(&out)->notice.text, "Voorstel 7 is al afgehandeld");
}

Test(engine_bevestig, bad_number_gives_the_usage)
{
	const char *bodies[] = { "!bevestig abc", "!bevestig 0", "!bevestig -2", "!bevestig 3x", "!bevestig #x" };
	pol_actions out;

	open_proposal(7, "splits", ANNA);
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		pol_input in = message(BRAM, "stuurgroep:sg", bodies[i]);

		decide(&in, &out);
		cr_assert_null(find(&out, POL_ACT_EXECUTE), "%s", bodies[i]);
		cr_assert_str_eq(answer_of(&out)->notice.text, pol_text(POL_LANG_NL, POL_TXT_BEVESTIG_USAGE), "%s", bodies[i]);
	}
}

Test(engine_bevestig, number_with_hash_asks_for_that_proposal)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!bevestig #3");
	pol_actions out;

	open_proposal(3, "splits", ANNA);
	decide(&in, &out);
	cr_assert_eq(facts_state.asked_nr, 3);
	cr_assert_str_eq(facts_state.asked_room, SG_ROOM);
	cr_assert_eq(find(&out, POL_ACT_EXECUTE)->proposal.nr, 3);
	in.body = "!bevestig 12";
	decide(&in, &out);
	cr_assert_eq(facts_state.asked_nr, 12);
}

TestSuite(engine_wachtlijst, .init = engine_setup, .fini = engine_teardown);

Test(engine_wachtlijst, stuurgroep_room_without_args_lists_every_wijkgroep)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!wachtlijst");
	pol_actions out;
	const pol_action *a;

	decide(&in, &out);
	cr_assert(out.items[0].audit.allowed);
	a = answer_of(&out);
	cr_assert_eq(a->kind, POL_ACT_WAITLIST);
	cr_assert_null(a->answer.wijkgroep);
	cr_assert_str_eq(a->answer.room_key, "stuurgroep:sg");
	cr_assert_str_eq(a->reply_to, "$cmd");
}

Test(engine_wachtlijst, one_wijkgroep_of_ones_own)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!wachtlijst west");
	pol_actions out;
	const pol_action *a;

	decide(&in, &out);
	a = answer_of(&out);
	cr_assert_eq(a->kind, POL_ACT_WAITLIST);
	cr_assert_not_null(a->answer.wijkgroep);
	cr_assert_str_eq(a->answer.wijkgroep->id, "west");
}

Test(engine_wachtlijst, wijkgroep_of_another_stuurgroep_is_refused)
{
	pol_input in = message(BRAM, "stuurgroep:sg", "!wachtlijst Wijkgroep Zuid");
	pol_actions out;

	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_WAITLIST));
	expect_refused_answer(&out, POL_TXT_REFUSED_NOT_YOUR_WIJKGROEP);
	in.body = "!wachtlijst nergens";
	decide(&in, &out);
	cr_assert_null(find(&out, POL_ACT_WAITLIST));
	assert_has(answer_of(&out)->notice.text, "nergens");
}

/* ---- the daemon's steps of a proposal (pol_proposal_make) ---- */

TestSuite(prop_make, .init = engine_setup, .fini = engine_teardown);

/* West (cap 10, buurten Beekpark and Dorp): @anna is its stuurgroep. */
static const pol_split_member west_members[] = {
	{ ANNA, "Beekpark" },   /* named by the structure: in every group already */
	{ "@a:localhost", "Beekpark" },
	{ "@b:localhost", "Dorp" },
	{ "@c:localhost", "dorp" },
	{ "@d:localhost", NULL },
};

Test(prop_make, split_is_an_entry_then_checked_then_stored)
{
	const pol_wijkgroep *wg = pol_structure_find_wijkgroep(engine_s, "west");
	pol_prop_answer a;
	cJSON *e, *nieuw, *g0;

	cr_assert_eq(pol_prop_split(POL_LANG_NL, engine_s, wg, west_members, 5, &a), 0);
	cr_assert(a.store);
	cr_assert_str_eq(a.kind, "splits");
	cr_assert_not_null(a.entry);
	e = cJSON_Parse(a.entry);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(e, "soort")), "splits");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(e, "oud")), "west");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(e, "stuurgroep")), "sg");
	nieuw = cJSON_GetObjectItem(e, "nieuw");
	cr_assert_eq(cJSON_GetArraySize(nieuw), 2);
	g0 = cJSON_GetArrayItem(nieuw, 0);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g0, "id")), "west-dorp", "the biggest first");
	cr_assert_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(g0, "limiet")), 10);
	cr_assert_null(cJSON_GetObjectItem(g0, "groeidrempel"), "the default threshold is not written");
	cJSON_Delete(e);

	pol_prop_checked(POL_LANG_NL, &a, NULL);
	cr_assert(a.store, "valid: stored next");
	pol_prop_stored(POL_LANG_NL, &a, 7);
	cr_assert_eq(strncmp(a.answer, "Voorstel 7: Wijkgroep West splitsen in\n", 39), 0, "%s", a.answer);
	assert_has(a.answer, "!bevestig 7 (24 uur geldig).");
	pol_prop_stored(POL_LANG_EN, &a, 8);
	assert_has(a.answer, "Proposal 8: split Wijkgroep West into\n");
	assert_has(a.answer, "!confirm 8 (valid for 24 hours).");
	pol_prop_answer_free(&a);
}

Test(prop_make, split_not_valid_is_not_stored_and_says_why)
{
	const pol_wijkgroep *wg = pol_structure_find_wijkgroep(engine_s, "west");
	pol_prop_answer a;

	cr_assert_eq(pol_prop_split(POL_LANG_EN, engine_s, wg, west_members, 5, &a), 0);
	pol_prop_checked(POL_LANG_EN, &a, "wijken[0]: duplicate id");
	cr_assert_not(a.store);
	cr_assert_str_eq(a.answer, "I cannot carry out proposal 0: wijken[0]: duplicate id");
	pol_prop_answer_free(&a);
	pol_prop_failed_text(POL_LANG_NL, 4, "weg", a.answer, sizeof a.answer);
	cr_assert_str_eq(a.answer, "Voorstel 4 kan ik niet uitvoeren: weg");
}

Test(prop_make, one_buurt_of_residents_is_nothing_to_split)
{
	const pol_wijkgroep *wg = pol_structure_find_wijkgroep(engine_s, "noord");
	const pol_split_member m[] = { { ANNA, "1234" }, { "@a:localhost", "Kerkebuurt" } };
	pol_prop_answer a;

	cr_assert_eq(pol_prop_split(POL_LANG_NL, engine_s, wg, m, 0, &a), 0);
	cr_assert_not(a.store, "no members");
	cr_assert_null(a.entry);
	pol_prop_answer_free(&a);
	cr_assert_eq(pol_prop_split(POL_LANG_NL, engine_s, wg, m, 1, &a), 0);
	cr_assert_not(a.store, "only the stuurgroep, who does not count");
	cr_assert_str_eq(a.answer, "Wijkgroep Noord valt niet te splitsen: de leden wonen (voor zover bekend) in één "
				   "buurt, of er zijn geen buurten bekend.");
	pol_prop_answer_free(&a);
	cr_assert_eq(pol_prop_split(POL_LANG_EN, engine_s, wg, m, 2, &a), 0);
	cr_assert_not(a.store);
	assert_has(a.answer, "Wijkgroep Noord cannot be split");
	pol_prop_answer_free(&a);
}

Test(prop_make, a_threshold_not_the_default_goes_into_the_new_groups)
{
	pol_structure *s = parse_sq_ok(RT_HEAD "{'id':'a','naam':'A','limiet':10,'groeidrempel':9,"
				       "'buurten':['Kerkebuurt','Beekpark']}," RT_B "," RT_C RT_TAIL);
	const pol_split_member m[] = { { "@a:localhost", "Kerkebuurt" }, { "@b:localhost", "Beekpark" } };
	pol_prop_answer a;
	cJSON *e;

	cr_assert_eq(pol_prop_split(POL_LANG_NL, s, pol_structure_find_wijkgroep(s, "a"), m, 2, &a), 0);
	cr_assert(a.store);
	e = cJSON_Parse(a.entry);
	cr_assert_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(e, "nieuw"), 0),
							      "groeidrempel")), 9);
	cJSON_Delete(e);
	pol_prop_answer_free(&a);
	pol_structure_free(s);
}

Test(prop_make, new_wijkgroep_names_its_buurten)
{
	pol_prop_answer a;

	cr_assert_eq(pol_prop_new(POL_LANG_NL, "{\"soort\":\"wijkgroep\",\"wijkgroep\":{\"id\":\"oost\",\"naam\":\"Oost\","
					       "\"buurten\":[\"Hoek\",{\"naam\":\"Laar\"}]}}", &a), 0);
	cr_assert(a.store);
	cr_assert_str_eq(a.kind, "wijkgroep");
	pol_prop_stored(POL_LANG_NL, &a, 3);
	cr_assert_str_eq(a.answer, "Voorstel 3: nieuwe wijkgroep Oost (buurten: Hoek, Laar). Een ander stuurgroeplid "
				   "bevestigt met: !bevestig 3 (24 uur geldig).");
	pol_prop_answer_free(&a);
	cr_assert_eq(pol_prop_new(POL_LANG_EN, "{\"wijkgroep\":{\"naam\":\"Oost\"}}", &a), 0);
	pol_prop_stored(POL_LANG_EN, &a, 3);
	assert_has(a.answer, "Proposal 3: new wijkgroep Oost (buurten: -).");
	pol_prop_answer_free(&a);
	cr_assert_eq(pol_prop_new(POL_LANG_NL, "{\"wijkgroep\":{}}", &a), -1, "no name");
	pol_prop_answer_free(&a);
}

#define SPLIT_ENTRY "{\"soort\":\"splits\",\"oud\":\"west\",\"nieuw\":[" \
	"{\"id\":\"west-dorp\",\"naam\":\"Dorp\",\"buurten\":[\"Dorp\"]}," \
	"{\"id\":\"west-beekpark\",\"naam\":\"Beekpark\",\"buurten\":[{\"naam\":\"Beekpark\",\"postcodes\":[\"1111\"]}]}]}"

Test(prop_make, a_confirmed_split_moves_each_resident_to_the_group_of_their_buurt)
{
	pol_prop_move *mv = NULL;
	size_t n = 0;

	cr_assert_eq(pol_prop_split_source(engine_s, SPLIT_ENTRY), pol_structure_find_wijkgroep(engine_s, "west"));
	cr_assert_null(pol_prop_split_source(engine_s, "{\"oud\":\"nergens\"}"));
	cr_assert_null(pol_prop_split_source(engine_s, "not json"));
	cr_assert_eq(pol_prop_moves(engine_s, SPLIT_ENTRY, west_members, 5, &mv, &n), 0);
	cr_assert_eq(n, 3, "not the stuurgroep, not the one without a buurt");
	cr_assert_str_eq(mv[0].user_id, "@a:localhost");
	cr_assert_str_eq(mv[0].to_key, "wijkgroep:west-beekpark");
	cr_assert_str_eq(mv[1].user_id, "@b:localhost");
	cr_assert_str_eq(mv[1].to_key, "wijkgroep:west-dorp");
	cr_assert_str_eq(mv[2].user_id, "@c:localhost");
	cr_assert_str_eq(mv[2].to_key, "wijkgroep:west-dorp", "buurten match whatever their case");
	free(mv);
	cr_assert_eq(pol_prop_moves(engine_s, "not json", west_members, 5, &mv, &n), 0);
	cr_assert_eq(n, 0);
	free(mv);
}

Test(prop_make, the_report_waits_for_the_new_rooms_and_names_them)
{
	pol_prop_key *k = NULL;
	size_t n = 0;
	char buf[1024];

	cr_assert_eq(pol_prop_new_keys("splits", SPLIT_ENTRY, &k, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(k[0].key, "wijkgroep:west-dorp");
	cr_assert_str_eq(k[1].key, "wijkgroep:west-beekpark");
	free(k);
	cr_assert_eq(pol_prop_new_keys("wijkgroep", "{\"wijkgroep\":{\"id\":\"oost\",\"naam\":\"Oost\"}}", &k, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(k[0].key, "wijkgroep:oost");
	free(k);
	cr_assert_eq(pol_prop_new_keys("splits", "not json", &k, &n), 0);
	cr_assert_eq(n, 0);
	free(k);

	pol_prop_done_text(POL_LANG_NL, engine_s, "splits", SPLIT_ENTRY, 3, buf, sizeof buf);
	cr_assert_str_eq(buf, "Splitsing van Wijkgroep West klaar. Nieuwe groepen: Dorp, Beekpark. 3 leden uitgenodigd "
			      "in de groep van hun buurt.");
	pol_prop_done_text(POL_LANG_EN, engine_s, "splits", SPLIT_ENTRY, 0, buf, sizeof buf);
	assert_has(buf, "Split of Wijkgroep West done. New groups: Dorp, Beekpark. 0 members");
	pol_prop_done_text(POL_LANG_NL, engine_s, "wijkgroep", "{\"wijkgroep\":{\"id\":\"oost\",\"naam\":\"Oost\"}}", 0,
			   buf, sizeof buf);
	cr_assert_str_eq(buf, "De nieuwe wijkgroep Oost is aangemaakt. Zet bewoners erin met !lid toevoegen.");
}

Test(prop_make, a_retired_room_points_to_its_opvolgers)
{
	char buf[1024];

	cr_assert(pol_prop_retired_pointer(POL_LANG_NL, pol_structure_room_by_key(engine_s, "wijkgroep:oud"), buf,
					   sizeof buf));
	assert_has(buf, "Je bent uitgenodigd in de groep van jouw buurt: Wijkgroep Noord, Wijkgroep West.");
	cr_assert(pol_prop_retired_pointer(POL_LANG_EN, pol_structure_room_by_key(engine_s, "wijkgroep:oud"), buf,
					   sizeof buf));
	assert_has(buf, "the group of your buurt: Wijkgroep Noord, Wijkgroep West.");
	cr_assert_not(pol_prop_retired_pointer(POL_LANG_NL, pol_structure_room_by_key(engine_s, "wijkgroep:west"),
					       buf, sizeof buf));
}
