/* Unit tests of the flood rules (issue 11): once a resident opened the
 * limit of casussen in a wijkgroep, their next top-level messages there
 * open none (thanks and chatter do not count); the flood's first one
 * gets them one private word and the stuurgroep one notice, later ones a
 * count at most once per interval; the stuurgroep's own messages are not
 * limited; "another casus is open" is not repeated per message of a burst.
 * Pure: the facts (counts, times) are the test's. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "policy/pol_engine.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[" \
	"{\"id\":\"dorp\",\"naam\":\"Dorp\",\"regiegroep\":true," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna:localhost\",\"@bram:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna:localhost\",\"beheert\":[\"noord\"]}]}]}"

static pol_structure *s;

/* What the fake store says. */
static struct {
	long posts;             /* recent top-level posts of the sender */
	long casussen;          /* casussen they opened recently */
	long casussen_asked_window;
	pol_flood flood;
	long long open_nr;      /* an open casus in the room, 0 none */
	const char *open_houder;
} facts_now;

static void setup(void)
{
	pol_problems p;

	pol_problems_init(&p);
	cr_assert_eq(pol_structure_parse(&s, STRUCTURE, strlen(STRUCTURE), &p), 0);
	pol_problems_free(&p);
	memset(&facts_now, 0, sizeof facts_now);
}

static void teardown(void)
{
	pol_structure_free(s);
}

TestSuite(flood, .init = setup, .fini = teardown);

static long fake_posts(void *ctx, const char *room, const char *user, long seconds)
{
	return facts_now.posts;
}

static long fake_casussen(void *ctx, const char *room, const char *user, long seconds)
{
	facts_now.casussen_asked_window = seconds;
	return facts_now.casussen;
}

static void fake_flood(void *ctx, const char *room, const char *user, pol_flood *out)
{
	*out = facts_now.flood;
}

static long long fake_last(void *ctx)
{
	return 41;
}

static long long fake_open_in(void *ctx, const char *room)
{
	return facts_now.open_nr;
}

static int fake_by_nr(void *ctx, long long nr, const char *room, pol_casus *out)
{
	memset(out, 0, sizeof *out);
	if (nr != facts_now.open_nr || nr == 0)
		return -1;
	out->nr = nr;
	snprintf(out->status, sizeof out->status, "open");
	snprintf(out->casushouder, sizeof out->casushouder, "%s", facts_now.open_houder);
	return 0;
}

static int fake_no_casus(void *ctx, const char *room, const char *event, pol_casus *out)
{
	memset(out, 0, sizeof *out);
	return -1;
}

static const pol_config cfg = {
	.bot_user_id = "@bot:localhost", .lang = POL_LANG_NL,
	.flood_max_casussen = 3, .flood_window_s = 600, .flood_report_s = 600,
};

static void decide(const pol_config *c, const char *sender, const char *body, pol_actions *out)
{
	pol_facts facts;
	pol_input in;

	memset(&facts, 0, sizeof facts);
	facts.recent_posts = fake_posts;
	facts.casussen_by = fake_casussen;
	facts.flood = fake_flood;
	facts.casus_last_nr = fake_last;
	facts.casus_open_in = fake_open_in;
	facts.casus_by_nr = fake_by_nr;
	facts.casus_of_event = fake_no_casus;
	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MESSAGE;
	in.room_id = "!noord:localhost";
	in.event_id = "$m";
	in.sender = sender;
	in.body = body;
	in.structure = s;
	in.room.key = "wijkgroep:noord";
	in.facts = &facts;
	pol_decide(c, &in, out);
}

static size_t count_kind(const pol_actions *out, pol_action_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < out->n; i++)
		n += out->items[i].kind == kind;
	return n;
}

static const pol_action *find_kind(const pol_actions *out, pol_action_kind kind)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->items[i].kind == kind)
			return &out->items[i];
	return NULL;
}

/* Notices into the stuurgroep room (room_id NULL, room_key set). */
static const pol_action *stuurgroep_notice(const pol_actions *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->items[i].kind == POL_ACT_NOTICE && !out->items[i].room_id &&
		    strcmp(out->items[i].notice.room_key, "stuurgroep:stuur") == 0)
			return &out->items[i];
	return NULL;
}

#define MELDING "Man met rode jas loopt richting station, 112 gebeld"

Test(flood, up_to_the_limit_messages_open_casussen)
{
	pol_actions out;

	facts_now.casussen = 2;   /* this is the third */
	facts_now.posts = 2;
	decide(&cfg, "@jan:localhost", MELDING, &out);
	cr_assert_not_null(find_kind(&out, POL_ACT_CASUS_OPEN));
	cr_assert_null(find_kind(&out, POL_ACT_FLOOD));
	cr_assert_eq(facts_now.casussen_asked_window, 600, "counted over the configured window");
	/* Thanks and chatter posted in between open no casus: they do not count. */
	facts_now.posts = 10;
	decide(&cfg, "@jan:localhost", MELDING, &out);
	cr_assert_not_null(find_kind(&out, POL_ACT_CASUS_OPEN));
}

Test(flood, past_the_limit_no_casus_one_private_word_one_notice)
{
	pol_actions out;
	const pol_action *f, *p, *n;

	facts_now.casussen = 3;
	decide(&cfg, "@jan:localhost", MELDING, &out);
	cr_assert_null(find_kind(&out, POL_ACT_CASUS_OPEN), "a casus was opened past the limit");
	cr_assert_eq(count_kind(&out, POL_ACT_NOTICE), 1, "only the stuurgroep's notice, nothing in the group");
	f = find_kind(&out, POL_ACT_FLOOD);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->flood.user, "@jan:localhost");
	cr_assert(f->flood.reported);
	p = find_kind(&out, POL_ACT_PRIVATE);
	cr_assert_not_null(p);
	cr_assert_str_eq(p->priv.user, "@jan:localhost");
	cr_assert_not_null(strstr(p->priv.text, "geen casus"), "%s", p->priv.text);
	cr_assert_not_null(strstr(p->priv.text, "al 3 casussen in 10 minuten"), "%s", p->priv.text);
	n = stuurgroep_notice(&out);
	cr_assert_not_null(n);
	cr_assert_not_null(strstr(n->notice.text, "@jan:localhost"), "%s", n->notice.text);
	cr_assert_not_null(strstr(n->notice.text, "Wijkgroep Noord"), "%s", n->notice.text);
}

Test(flood, during_the_flood_silence_and_a_count_at_most_once_per_interval)
{
	pol_actions out;
	const pol_action *f, *n;

	facts_now.casussen = 3;
	facts_now.flood.held = 5;
	facts_now.flood.unreported = 4;
	facts_now.flood.since_report_s = 30;
	decide(&cfg, "@jan:localhost", MELDING, &out);
	cr_assert_eq(out.n, 1, "more than the count: %zu actions", out.n);
	f = find_kind(&out, POL_ACT_FLOOD);
	cr_assert_not_null(f);
	cr_assert_not(f->flood.reported);

	/* The interval passed: one count, this message included. */
	facts_now.flood.since_report_s = 600;
	decide(&cfg, "@jan:localhost", MELDING, &out);
	cr_assert_null(find_kind(&out, POL_ACT_PRIVATE), "a second private word");
	n = stuurgroep_notice(&out);
	cr_assert_not_null(n);
	cr_assert_not_null(strstr(n->notice.text, "nog 5 bericht(en)"), "%s", n->notice.text);
	cr_assert_not_null(strstr(n->notice.text, "(6 in totaal)"), "%s", n->notice.text);
	cr_assert(find_kind(&out, POL_ACT_FLOOD)->flood.reported);
}

Test(flood, thanks_during_a_flood_get_no_hint_each)
{
	pol_actions out;

	facts_now.casussen = 3;
	facts_now.flood.held = 7;
	decide(&cfg, "@jan:localhost", "bedankt!", &out);
	cr_assert_null(find_kind(&out, POL_ACT_PRIVATE));
	cr_assert_not_null(find_kind(&out, POL_ACT_FLOOD));
}

Test(flood, the_stuurgroep_is_not_limited_and_zero_is_no_limit)
{
	pol_config off = cfg;
	pol_actions out;

	facts_now.casussen = 50;
	decide(&cfg, "@anna:localhost", MELDING, &out);
	cr_assert_not_null(find_kind(&out, POL_ACT_CASUS_OPEN), "a stuurgroep member's message was held");
	off.flood_max_casussen = 0;
	decide(&off, "@jan:localhost", MELDING, &out);
	cr_assert_not_null(find_kind(&out, POL_ACT_CASUS_OPEN));
	cr_assert_null(find_kind(&out, POL_ACT_FLOOD));
}

Test(flood, another_open_casus_is_told_once_per_burst)
{
	pol_actions out;

	/* Another resident's casus is open: told. */
	facts_now.open_nr = 41;
	facts_now.open_houder = "@piet:localhost";
	facts_now.posts = 1;
	decide(&cfg, "@jan:localhost", MELDING, &out);
	cr_assert_not_null(stuurgroep_notice(&out));
	/* The same resident's, right after: not again per message. */
	facts_now.open_houder = "@jan:localhost";
	decide(&cfg, "@jan:localhost", MELDING, &out);
	cr_assert_not_null(find_kind(&out, POL_ACT_CASUS_OPEN));
	cr_assert_null(stuurgroep_notice(&out), "told again within the burst");
	/* Their own, but not in a burst: told. */
	facts_now.posts = 0;
	decide(&cfg, "@jan:localhost", MELDING, &out);
	cr_assert_not_null(stuurgroep_notice(&out));
}

Test(flood, the_count_after_the_flood_is_due_once_per_interval)
{
	pol_flood f = { .held = 197, .unreported = 196, .since_report_s = 599 };
	pol_actions out;

	out.n = 0;
	cr_assert_eq(pol_flood_report(&cfg, s, "wijkgroep:noord", "@jan:localhost", &f, &out), 0);
	cr_assert_eq(out.n, 0);
	f.since_report_s = 600;
	cr_assert_eq(pol_flood_report(&cfg, s, "wijkgroep:noord", "@jan:localhost", &f, &out), 1);
	cr_assert_eq(out.n, 1);
	cr_assert_str_eq(out.items[0].notice.room_key, "stuurgroep:stuur");
	cr_assert_not_null(strstr(out.items[0].notice.text, "nog 196 bericht(en) in Wijkgroep Noord"), "%s",
			   out.items[0].notice.text);
	f.unreported = 0;
	out.n = 0;
	cr_assert_eq(pol_flood_report(&cfg, s, "wijkgroep:noord", "@jan:localhost", &f, &out), 0, "nothing new");
	f.unreported = 5;
	cr_assert_eq(pol_flood_report(&cfg, s, "stuurgroep:stuur", "@jan:localhost", &f, &out), 0, "not a wijkgroep");
	cr_assert_eq(out.n, 0);
}
