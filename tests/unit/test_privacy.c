/* Unit tests of what issue 11 asks for privacy: a finished outbox item
 * keeps no content; the bot's messages that named a user are found again
 * (and unsent ones cancelled) when that user is forgotten, also for notices
 * an older store kept; text secrets sealed with the pickle key; and
 * !aanmeldingen decided and written for the stuurgroep only. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bot/daemon.h"
#include "bot/signup.h"
#include "bot/store.h"
#include "bot/store_int.h"
#include "matrix/mx_olm.h"
#include "policy/pol_engine.h"
#include "unit_store.h"
#include "unit_facts.h"

static char path[64];

static bot_store *open_store(int version)
{
	bot_store *s = NULL;
	char err[512];

	cr_assert_eq(bot_store_open_at_version(&s, path, version, err, sizeof err), BOT_STORE_OK, "%s", err);
	return s;
}

static void setup(void)
{
	int fd;

	snprintf(path, sizeof path, "/tmp/buurtbot-privacy-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
}

static void teardown(void)
{
	char p[80];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

TestSuite(privacy, .init = setup, .fini = teardown);

/* The content column of the item with txn, straight from the file. */
static int content_is_null(const char *txn)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int null = -1;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT content IS NULL FROM outbox WHERE txn_id = ?", -1, &st, NULL),
		     SQLITE_OK);
	sqlite3_bind_text(st, 1, txn, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		null = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return null;
}

Test(privacy, a_sent_or_refused_item_keeps_no_content)
{
	bot_store *s = open_store(-1);
	bot_outbox_item it;

	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "t1", "!r:x", "m.room.message",
					  "{\"body\":\"Naam: Jan Geheim\"}"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "t2", "!r:x", "m.room.message",
					  "{\"body\":\"Telefoon: 0611111111\"}"), BOT_STORE_OK);
	cr_assert_eq(content_is_null("t1"), 0);
	cr_assert_eq(bot_store_outbox_next(s, 0, &it), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_mark_sent(s, it.id, "$sent1"), BOT_STORE_OK);
	bot_outbox_item_clear(&it);
	cr_assert_eq(bot_store_outbox_next(s, 0, &it), BOT_STORE_OK);
	cr_assert_str_eq(it.txn_id, "t2");
	cr_assert_eq(bot_store_outbox_mark_failed(s, it.id, "M_FORBIDDEN"), BOT_STORE_OK);
	bot_outbox_item_clear(&it);
	cr_assert_eq(content_is_null("t1"), 1, "a sent item kept its text");
	cr_assert_eq(content_is_null("t2"), 1, "a refused item kept its text");
	/* What exactly-once needs is still there: the same txn id is not queued twice. */
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "t1", "!r:x", "m.room.message", "{}"), BOT_STORE_OK);
	cr_assert_eq(ut_outbox_count(s, "pending"), 0);
	cr_assert_eq(ut_outbox_count(s, "sent"), 1);
	bot_store_close(s);
}

/* The content of the pending outbox items of kind, joined, in buf. */
static void pending_of_kind(bot_store *s, bot_outbox_kind kind, char *buf, size_t size)
{
	bot_outbox_item it;
	int64_t after = 0;
	size_t len;

	buf[0] = '\0';
	while (bot_store_outbox_next(s, after, &it) == BOT_STORE_OK) {
		after = it.id;
		len = strlen(buf);
		if (it.kind == kind)
			snprintf(buf + len, size - len, "%s %s %s;", it.txn_id, it.room_id, it.content ? it.content : "");
		bot_outbox_item_clear(&it);
	}
}

Test(privacy, a_rejected_application_past_retention_takes_its_notice_along)
{
	bot_daemon d;
	bot_config cfg;
	bot_outbox_item it;
	char buf[2000];
	int i;

	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	cfg.retention_days = 1;
	cfg.application_reminder_hours = 48;
	d.cfg = &cfg;
	d.store = open_store(-1);
	d.clock = bot_clock_system();   /* the rows below are dated by SQLite's 'now' */
	bot_daemon_tick(&d);
	/* Jan was rejected two days ago, Piet yesterday morning but applied
	 * again; both notices were sent and named them. */
	cr_assert_eq(bot_store_exec(d.store, "test",
		"INSERT INTO applications (user_id, room_id, wijkgroep, data, created, state, decided_at) VALUES "
		"('@jan:x', '!dm1:x', 'wijkgroep:zuid', '{}', 0, 'rejected', CAST(strftime('%s','now') AS INTEGER) - 172800),"
		"('@piet:x', '!dm2:x', 'wijkgroep:zuid', '{}', 0, 'rejected', CAST(strftime('%s','now') AS INTEGER) - 172800),"
		"('@piet:x', '!dm2:x', 'wijkgroep:zuid', '{}', 0, 'open', NULL)", 0), BOT_STORE_OK);
	for (i = 0; i < 2; i++) {
		const char *txn = i ? "n-piet" : "n-jan";

		cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_SEND, txn, "!sg:x", "m.room.message", "{}"), BOT_STORE_OK);
		cr_assert_eq(bot_store_outbox_names(d.store, txn, i ? "@piet:x" : "@jan:x"), BOT_STORE_OK);
		cr_assert_eq(bot_store_outbox_next(d.store, 0, &it), BOT_STORE_OK);
		cr_assert_eq(bot_store_outbox_mark_sent(d.store, it.id, i ? "$piet" : "$jan"), BOT_STORE_OK);
		bot_outbox_item_clear(&it);
	}
	bot_signup_housekeeping(&d);
	pending_of_kind(d.store, BOT_OUT_REDACT, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "!sg:x {\"event\":\"$jan\""), "%s", buf);
	cr_assert_not_null(strstr(buf, "bewaard"), "the reason says why: %s", buf);
	cr_assert_null(strstr(buf, "$piet"), "Piet applied again: his notice stays: %s", buf);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1);
	bot_store_close(d.store);
}

typedef struct seen {
	char room[4][32], event[4][32];
	int n;
} seen;

static int collect(void *ctx, const char *room_id, const char *event_id)
{
	seen *x = ctx;

	cr_assert_lt(x->n, 4);
	snprintf(x->room[x->n], sizeof x->room[x->n], "%s", room_id);
	snprintf(x->event[x->n], sizeof x->event[x->n], "%s", event_id);
	x->n++;
	return 0;
}

Test(privacy, messages_that_named_a_user_are_found_and_unsent_ones_cancelled)
{
	bot_store *s = open_store(-1);
	bot_outbox_item it;
	seen x;

	memset(&x, 0, sizeof x);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "notice", "!sg:x", "m.room.message", "{\"body\":\"a\"}"),
		     BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "other", "!sg:x", "m.room.message", "{\"body\":\"b\"}"),
		     BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(s, BOT_OUT_SEND, "later", "!sg:x", "m.room.message", "{\"body\":\"c\"}"),
		     BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_names(s, "notice", "@jan:x"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_names(s, "later", "@jan:x"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_names(s, "other", "@piet:x"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_names(s, "notice", "@jan:x"), BOT_STORE_OK, "twice is once");
	cr_assert_eq(bot_store_outbox_next(s, 0, &it), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_mark_sent(s, it.id, "$n1"), BOT_STORE_OK);
	bot_outbox_item_clear(&it);
	cr_assert_eq(bot_store_outbox_next(s, 1, &it), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_mark_sent(s, it.id, "$o1"), BOT_STORE_OK);
	bot_outbox_item_clear(&it);

	cr_assert_eq(bot_store_outbox_named_take(s, "@jan:x", collect, &x), BOT_STORE_OK);
	cr_assert_eq(x.n, 1, "only the sent message is redacted");
	cr_assert_str_eq(x.room[0], "!sg:x");
	cr_assert_str_eq(x.event[0], "$n1");
	/* "later" named them but was not sent: it never will be. */
	cr_assert_eq(bot_store_outbox_next(s, 0, &it), BOT_STORE_NOT_FOUND);
	cr_assert_eq(content_is_null("later"), 1);
	/* The links are gone; someone else's stay. */
	x.n = 0;
	cr_assert_eq(bot_store_outbox_named_take(s, "@jan:x", collect, &x), BOT_STORE_OK);
	cr_assert_eq(x.n, 0);
	cr_assert_eq(bot_store_outbox_named_take(s, "@piet:x", collect, &x), BOT_STORE_OK);
	cr_assert_eq(x.n, 1);
	cr_assert_str_eq(x.event[0], "$o1");
	bot_store_close(s);
}

Test(privacy, an_older_store_loses_sent_content_and_links_its_application_notices)
{
	bot_store *s = open_store(12);
	seen x;

	memset(&x, 0, sizeof x);
	bot_store_close(s);
	{
		/* What a store of version 12 held: an application and its notice,
		 * sent, with its text (version 12 still kept it). Written with
		 * SQL: today's outbox functions know today's columns. */
		sqlite3 *db = NULL;

		cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
		cr_assert_eq(sqlite3_exec(db, "INSERT INTO outbox (txn_id, kind, room_id, event_type, content, state, "
					  "created_at, result_event_id) VALUES "
					  "('app', 0, '!sg:x', 'm.room.message', '{\"body\":\"Nieuwe aanmelding 1 voor Wijkgroep "
					  "Zuid:\\nNaam: Jan Geheim\"}', 'sent', 0, '$app'), "
					  "('app11', 0, '!sg:x', 'm.room.message', '{\"body\":\"Nieuwe aanmelding 11 voor "
					  "Wijkgroep Zuid:\"}', 'sent', 0, '$app11'), "
					  "('wait', 0, '!sg:x', 'm.room.message', '{\"body\":\"nog niet verstuurd\"}', "
					  "'pending', 0, NULL);"
					  "INSERT INTO applications (user_id, room_id, wijkgroep, data, created) "
					  "VALUES ('@jan:x', '!dm:x', 'wijkgroep:zuid', '{}', 0);", NULL, NULL, NULL),
			     SQLITE_OK);
		sqlite3_close(db);
	}
	s = open_store(-1);
	cr_assert_eq(bot_store_schema_version(s), bot_store_latest_version());
	cr_assert_eq(content_is_null("app"), 1);
	cr_assert_eq(content_is_null("app11"), 1);
	cr_assert_eq(content_is_null("wait"), 0, "a pending item must keep what it will send");
	cr_assert_eq(bot_store_outbox_named_take(s, "@jan:x", collect, &x), BOT_STORE_OK);
	cr_assert_eq(x.n, 1, "application 1's notice, not application 11's");
	cr_assert_str_eq(x.event[0], "$app");
	bot_store_close(s);
}

Test(privacy, a_text_is_sealed_with_the_pickle_key)
{
	const char *token = "syt_YnV1cnRib3Q_ZmFrZXRva2VuZm9ydGVzdHM_1a2b3c";
	char *sealed = NULL, *back = NULL, *sealed2 = NULL;
	mx_error err;

	cr_assert_eq(mx_olm_seal_text("pickle-key", token, &sealed, &err), MX_OK, "%s", err.message);
	cr_assert_null(strstr(sealed, token));
	cr_assert_null(strstr(sealed, "YnV1cnRib3Q"));
	cr_assert_null(strchr(sealed, ' '));
	cr_assert_eq(mx_olm_unseal_text("pickle-key", sealed, &back, &err), MX_OK, "%s", err.message);
	cr_assert_str_eq(back, token);
	free(back);
	back = NULL;
	/* fresh randomness each time */
	cr_assert_eq(mx_olm_seal_text("pickle-key", token, &sealed2, &err), MX_OK);
	cr_assert_str_neq(sealed, sealed2);
	cr_assert_eq(mx_olm_unseal_text("wrong-key", sealed, &back, &err), MX_ERR_INVALID);
	cr_assert_null(back);
	cr_assert_not_null(strstr(err.message, "pickle key"), "%s", err.message);
	cr_assert_eq(mx_olm_unseal_text("pickle-key", token, &back, &err), MX_ERR_PARSE);
	cr_assert_eq(mx_olm_unseal_text("pickle-key", "a.b.c", &back, &err), MX_ERR_PARSE);
	cr_assert_neq(mx_olm_unseal_text("pickle-key", "a.b.c.d", &back, &err), MX_OK);
	cr_assert_null(back);
	/* an empty text and a long one */
	free(sealed);
	cr_assert_eq(mx_olm_seal_text("k", "", &sealed, &err), MX_OK);
	cr_assert_eq(mx_olm_unseal_text("k", sealed, &back, &err), MX_OK);
	cr_assert_str_eq(back, "");
	free(back);
	free(sealed);
	free(sealed2);
}

/* ---- !aanmeldingen ---- */

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"Noord\"]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[\"Zuid\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"een\",\"naam\":\"Stuurgroep Een\",\"leden\":[\"@a:x\",\"@b:x\"]," \
	"\"telefoonbeheerder\":\"@a:x\",\"beheert\":[\"noord\"]}," \
	"{\"id\":\"twee\",\"naam\":\"Stuurgroep Twee\",\"leden\":[\"@c:x\"]," \
	"\"telefoonbeheerder\":\"@c:x\",\"beheert\":[\"zuid\"]}]}]}"

static pol_actions out;

/* ---- notices about a resident name them for !vergeetmij ---- */

static const pol_action *notice_in(const pol_actions *o, const char *room_key)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->items[i].kind == POL_ACT_NOTICE && strcmp(o->items[i].notice.room_key, room_key) == 0)
			return &o->items[i];
	return NULL;
}

Test(aanmeldingen, waiting_list_notices_name_the_resident_and_other_notices_nobody)
{
	const char *json = "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\","
			   "\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"Noord\"],"
			   "\"limiet\":2}],\"stuurgroepen\":[{\"id\":\"een\",\"naam\":\"Stuurgroep Een\","
			   "\"leden\":[\"@a:x\",\"@b:x\"],\"telefoonbeheerder\":\"@a:x\",\"beheert\":[\"noord\"]}]}]}";
	pol_structure *st = NULL;
	pol_facts facts = { 0 };
	pol_config cfg = { 0 };
	pol_input in = { 0 };
	const pol_action *n;

	cr_assert_eq(pol_structure_parse(&st, json, strlen(json), NULL), 0);
	unit_facts_fill(&facts);
	cfg.bot_user_id = "@bot:x";
	in.kind = POL_IN_MEMBER;
	in.room_id = "!noord:x";
	in.sender = "@eve:x";
	in.target = "@eve:x";
	in.membership = "knock";
	in.structure = st;
	in.facts = &facts;
	in.room.key = "wijkgroep:noord";
	/* a knock with room, and one on a full wijkgroep */
	cap_now = 1;
	pol_decide(&cfg, &in, &out);
	cr_assert_not_null(n = notice_in(&out, "stuurgroep:een"));
	cr_assert_str_eq(n->notice.about, "@eve:x");
	cap_now = 2;
	pol_decide(&cfg, &in, &out);
	cr_assert_not_null(n = notice_in(&out, "stuurgroep:een"));
	cr_assert_not_null(strstr(n->notice.text, "wachtlijst"), "%s", n->notice.text);
	cr_assert_str_eq(n->notice.about, "@eve:x");
	/* !lid toevoegen past the cap: the answer names them */
	in.kind = POL_IN_MESSAGE;
	in.sender = "@a:x";
	in.event_id = "$lid";
	in.body = "!lid toevoegen @eve:x noord";
	in.room.key = "stuurgroep:een";
	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.items[1].kind, POL_ACT_NOTICE);
	cr_assert_not_null(strstr(out.items[1].notice.text, "wachtlijst"), "%s", out.items[1].notice.text);
	cr_assert_str_eq(out.items[1].notice.about, "@eve:x");
	/* an answer that names nobody in particular */
	in.body = "!ping";
	pol_decide(&cfg, &in, &out);
	cr_assert_eq(out.items[1].kind, POL_ACT_NOTICE);
	cr_assert_str_eq(out.items[1].notice.about, "");
	pol_structure_free(st);
}

static void ask(const pol_structure *st, const char *sender, const char *key, pol_room_kind kind, const char *body)
{
	pol_config cfg = { 0 };
	pol_input in = { 0 };

	cfg.bot_user_id = "@bot:x";
	in.kind = POL_IN_MESSAGE;
	in.room_id = "!room:x";
	in.event_id = "$ev";
	in.sender = sender;
	in.body = body;
	in.structure = st;
	in.room.kind = kind;
	in.room.key = key;
	in.room.is_resident = kind == POL_ROOM_WIJKGROEP;
	pol_decide(&cfg, &in, &out);
}

Test(aanmeldingen, only_a_member_of_this_stuurgroep_in_its_room)
{
	pol_structure *st = NULL;

	cr_assert_eq(pol_structure_parse(&st, STRUCTURE, strlen(STRUCTURE), NULL), 0);
	/* a plain member and the telefoonbeheerder, in their own room */
	ask(st, "@b:x", "stuurgroep:een", POL_ROOM_OTHER, "!aanmeldingen");
	cr_assert_eq(out.n, 2);
	cr_assert_eq(out.items[0].kind, POL_ACT_AUDIT);
	cr_assert(out.items[0].audit.allowed);
	cr_assert_eq(out.items[1].kind, POL_ACT_APPLICATIONS);
	cr_assert_str_eq(out.items[1].answer.room_key, "stuurgroep:een");
	cr_assert_str_eq(out.items[1].reply_to, "$ev");
	ask(st, "@a:x", "stuurgroep:een", POL_ROOM_OTHER, "!applications");
	cr_assert_eq(out.items[1].kind, POL_ACT_APPLICATIONS);
	/* the other stuurgroep, in this room: refused with the reason */
	ask(st, "@c:x", "stuurgroep:een", POL_ROOM_OTHER, "!aanmeldingen");
	cr_assert_eq(out.n, 2);
	cr_assert_not(out.items[0].audit.allowed);
	cr_assert_eq(out.items[1].kind, POL_ACT_NOTICE);
	cr_assert_str_eq(out.items[1].notice.text, pol_text(POL_LANG_NL, POL_TXT_REFUSED_STUURGROEPLID));
	/* a resident in a wijkgroep */
	ask(st, "@res:x", "wijkgroep:noord", POL_ROOM_OTHER, "!aanmeldingen");
	cr_assert_not(out.items[0].audit.allowed);
	cr_assert_eq(out.items[1].kind, POL_ACT_NOTICE);
	cr_assert_str_eq(out.items[1].notice.text, pol_text(POL_LANG_NL, POL_TXT_REFUSED_STUURGROEPLID));
	/* a member, but in a direct chat or a wijkgroep: names stay in the stuurgroep room */
	ask(st, "@b:x", NULL, POL_ROOM_DM, "!aanmeldingen");
	cr_assert_not(out.items[0].audit.allowed);
	cr_assert_str_eq(out.items[1].notice.text, pol_text(POL_LANG_NL, POL_TXT_REFUSED_ONLY_STUURGROEP));
	ask(st, "@b:x", "wijkgroep:noord", POL_ROOM_OTHER, "!aanmeldingen");
	cr_assert_not(out.items[0].audit.allowed);
	cr_assert_str_eq(out.items[1].notice.text, pol_text(POL_LANG_NL, POL_TXT_REFUSED_ONLY_STUURGROEP));
	pol_structure_free(st);
}

Test(aanmeldingen, the_answer_lists_number_name_buurt_and_date)
{
	pol_structure *st = NULL;
	const pol_stuurgroep *sg;
	pol_application_line lines[2] = {
		{ 3, "Jan Jansen", "Noord", "Wijkgroep Noord", "01-05-2026", 0 },
		{ 7, "Ans de Vries", "Noord", "Wijkgroep Noord", "02-05-2026", 1 },
	};
	char buf[2000];

	cr_assert_eq(pol_structure_parse(&st, STRUCTURE, strlen(STRUCTURE), NULL), 0);
	sg = pol_structure_find_stuurgroep(st, "een");
	pol_applications_text(POL_LANG_NL, sg, lines, 2, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "Open aanmeldingen van Stuurgroep Een (2):"), "%s", buf);
	cr_assert_not_null(strstr(buf, "\n3. Jan Jansen, buurt Noord (Wijkgroep Noord), sinds 01-05-2026\n"), "%s", buf);
	cr_assert_not_null(strstr(buf, "7. Ans de Vries, buurt Noord (Wijkgroep Noord), sinds 02-05-2026 (toegelaten, wacht"),
			   "%s", buf);
	cr_assert_not_null(strstr(buf, "!toelaten <nr>"), "%s", buf);
	pol_applications_text(POL_LANG_EN, sg, lines, 1, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "3. Jan Jansen, buurt Noord (Wijkgroep Noord), since 01-05-2026"), "%s", buf);
	cr_assert_not_null(strstr(buf, "!admit"), "%s", buf);
	pol_applications_text(POL_LANG_NL, sg, lines, 0, buf, sizeof buf);
	cr_assert_str_eq(buf, "Er zijn geen open aanmeldingen voor Stuurgroep Een.");
	pol_structure_free(st);
}

Test(vergeetmij, forgetting_leaves_every_room_takes_back_and_deletes)
{
	pol_structure *st = NULL;
	const pol_action *f = NULL;
	size_t i;

	cr_assert_eq(pol_structure_parse(&st, STRUCTURE, strlen(STRUCTURE), NULL), 0);
	ask(st, "@eve:x", NULL, POL_ROOM_DM, "!vergeetmij");
	for (i = 0; i < out.n; i++)
		cr_assert_neq(out.items[i].kind, POL_ACT_FORGET, "forgotten without saying ja");
	ask(st, "@eve:x", NULL, POL_ROOM_DM, "!vergeetmij ja");
	for (i = 0; i < out.n; i++)
		if (out.items[i].kind == POL_ACT_FORGET)
			f = &out.items[i];
	cr_assert_not_null(f);
	cr_assert_str_eq(f->forget.user, "@eve:x");
	cr_assert(f->forget.leaves_every_room && f->forget.takes_back_named && f->forget.deletes_data,
		  "a forgetting that leaves a room, a message or a record");
	/* someone the structure names cannot be forgotten this way */
	ask(st, "@a:x", NULL, POL_ROOM_DM, "!vergeetmij ja");
	for (i = 0; i < out.n; i++)
		cr_assert_neq(out.items[i].kind, POL_ACT_FORGET);
	pol_structure_free(st);
}
