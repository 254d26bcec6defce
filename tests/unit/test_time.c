/* Unit tests of time (issue 12, item 4): the clock implementations, the
 * store's time (:now and the times it writes), and every rule that waits:
 * the casus reminder and expiry, the application reminder, and the
 * retention of closed casussen, posts, private words, sign-ups and held
 * events. A fixed clock is moved by hand; a real store in a temp file is
 * read afterwards. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bot/casus.h"
#include "bot/clock.h"
#include "bot/daemon.h"
#include "bot/signup.h"
#include "bot/signup_store.h"
#include "bot/store.h"
#include "bot/store_int.h"
#include "unit_store.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"regiegroep\":true," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna:x\",\"@bram:x\"],\"telefoonbeheerder\":\"@anna:x\",\"beheert\":[\"noord\"]}]}]}"

#define T0 1767225600LL   /* 1 January 2026, 00:00 UTC */
#define HOUR 3600LL
#define DAY 86400LL

static char dir[] = "/tmp/buurtbot-time-XXXXXX";
static bot_daemon d;
static bot_config cfg;
static long long clock_ms;
static volatile sig_atomic_t stop;
static const char *const admins[] = { "@admin:x" };

/* Moves the fixed clock to t (seconds) and lets the daemon read it, as
 * the loop does at the start of a batch. */
static void at(long long t)
{
	clock_ms = t * 1000;
	bot_daemon_tick(&d);
}

static void setup(void)
{
	char path[300], err[512];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	cr_assert_eq(bot_store_open(&d.store, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	cfg.application_reminder_hours = 48;
	cfg.retention_days = 30;
	cfg.casus_reminder_hours = 2;
	cfg.casus_expiry_hours = 24;
	cfg.casus_retention_days = 90;
	d.cfg = &cfg;
	d.stop = &stop;
	d.user_id = strdup("@bot:x");
	d.pol.bot_user_id = d.user_id;
	d.pol.admins = admins;
	d.pol.n_admins = 1;
	d.pol.lang = POL_LANG_NL;
	d.clock = bot_clock_fixed(&clock_ms);
	cr_assert_eq(pol_structure_parse(&d.structure, STRUCTURE, strlen(STRUCTURE), NULL), 0);
	at(T0);
	cr_assert_eq(bot_store_room_set(d.store, "wijkgroep:noord", "!noord:x", "10"), BOT_STORE_OK);
	cr_assert_eq(bot_store_room_set(d.store, "stuurgroep:stuur", "!sg:x", "10"), BOT_STORE_OK);
	cr_assert_eq(bot_store_room_set(d.store, "regiegroep:dorp", "!regie:x", "10"), BOT_STORE_OK);
}

static void teardown(void)
{
	char cmd[300];

	pol_structure_free(d.structure);
	bot_store_close(d.store);
	free(d.user_id);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(clock);
TestSuite(time, .init = setup, .fini = teardown);

/* The first column of the first row as a number; -1 without rows. */
static long long q(const char *sql, const char *arg)
{
	char *v = NULL;
	long long n = -1;
	int rc = bot_store_select_text(d.store, &v, "test", sql, arg ? 1 : 0, arg);

	cr_assert(rc == BOT_STORE_OK || rc == BOT_STORE_NOT_FOUND, "%s", bot_store_errmsg(d.store));
	if (v)
		n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

static long long pending_txn(const char *txn)
{
	return q("SELECT count(*) FROM outbox WHERE state = 'pending' AND txn_id = ?", txn);
}

static long long pending_like(const char *pattern)
{
	return q("SELECT count(*) FROM outbox WHERE state = 'pending' AND txn_id LIKE ?", pattern);
}

static mx_sync_batch *parse(const char *json)
{
	mx_sync_batch *b = NULL;
	mx_error err;

	cr_assert_eq(mx_sync_parse_bytes(&b, json, strlen(json), &err), MX_OK, "%s", err.message);
	return b;
}

/* Bewoner, a member of Wijkgroep Noord, posts a melding there: casus 1. */
static void open_casus(void)
{
	mx_sync_batch *b;

	cr_assert_eq(bot_store_member_set(d.store, "!noord:x", "@bewoner:x", "join"), BOT_STORE_OK);
	b = parse("{\"next_batch\":\"s2\",\"rooms\":{\"join\":{\"!noord:x\":{\"timeline\":{\"events\":["
		  "{\"event_id\":\"$m1\",\"type\":\"m.room.message\",\"sender\":\"@bewoner:x\","
		  "\"origin_server_ts\":1,\"content\":{\"msgtype\":\"m.text\","
		  "\"body\":\"Verdachte man met rode jas bij de school, richting station, 112 gebeld\"}}]}}}}}");
	cr_assert_eq(bot_process_batch(&d, b, NULL, 0), 0);
	mx_sync_batch_free(b);
	cr_assert_eq(q("SELECT count(*) FROM casussen WHERE nr = 1 AND status = 'open'", NULL), 1,
		     "the melding opened no casus");
	cr_assert_eq(q("SELECT opened FROM casussen WHERE nr = 1", NULL), T0, "opened at the batch's time");
}

/* ---- the clocks ---- */

Test(clock, a_fixed_clock_says_what_it_is_told)
{
	long long t = 1234567;
	bot_clock c = bot_clock_fixed(&t);

	cr_assert_eq(bot_clock_now_ms(&c), 1234567);
	t += 86400000;
	cr_assert_eq(bot_clock_now_ms(&c), 1234567 + 86400000, "moved a day");
}

Test(clock, the_system_clock_is_the_time_of_day)
{
	bot_clock c = bot_clock_system();
	long long before = (long long)time(NULL) * 1000, now = bot_clock_now_ms(&c);

	cr_assert_geq(now, before);
	cr_assert_lt(now, before + 2000);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* How far the offset clock is from the real one, in seconds (give or
 * take one: the two reads are not at the same instant). */
static long long offset_s(const bot_clock *c)
{
	long long real = (long long)time(NULL);

	return bot_clock_now_ms(c) / 1000 - real;
}

#define assert_offset(c, want) do { \
		long long o_ = offset_s(c); \
		cr_assert(o_ >= (want) - 1 && o_ <= (want) + 1, "offset %lld, want %lld", o_, (long long)(want)); \
	} while (0)

Test(clock, the_test_clock_adds_the_offset_in_its_file_read_every_time)
{
	char path[] = "/tmp/buurtbot-clock-XXXXXX";
	int fd = mkstemp(path);
	bot_clock c = bot_clock_offset_file(path);

	cr_assert_geq(fd, 0);
	close(fd);
	write_file(path, "7200\n");
	assert_offset(&c, 7200);
	write_file(path, "-86400");
	assert_offset(&c, -86400);
	write_file(path, "  90000000");
	assert_offset(&c, 90000000);
	/* Anything else counts as no offset at all. */
	write_file(path, "morgen");
	assert_offset(&c, 0);
	write_file(path, "99999999999999999999");
	assert_offset(&c, 0);
	write_file(path, "");
	assert_offset(&c, 0);
	unlink(path);
	assert_offset(&c, 0);
}

Test(clock, the_daemon_takes_the_test_clock_only_when_asked)
{
	char path[] = "/tmp/buurtbot-clock-XXXXXX";
	int fd = mkstemp(path);
	bot_clock c;

	cr_assert_geq(fd, 0);
	close(fd);
	write_file(path, "3600");
	unsetenv(BOT_TEST_CLOCK_ENV);
	c = bot_clock_choose();
	assert_offset(&c, 0);
	setenv(BOT_TEST_CLOCK_ENV, path, 1);
	c = bot_clock_choose();
	assert_offset(&c, 3600);
	unsetenv(BOT_TEST_CLOCK_ENV);
	unlink(path);
}

/* ---- the store's time ---- */

Test(time, the_store_writes_the_batchs_time_not_the_time_of_day)
{
	bot_outbox_item it;

	at(T0 + 5);
	cr_assert_eq(bot_store_event_mark(d.store, "$e", "!noord:x"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_SEND, "t1", "!noord:x", "m.room.message", "{}"),
		     BOT_STORE_OK);
	cr_assert_eq(bot_store_audit_add(d.store, "@anna:x", "!sg:x", "!ping", 1, "ok"), BOT_STORE_OK);
	cr_assert_eq(bot_store_held_add(d.store, "$h", "!noord:x", "@x:x", "{}"), BOT_STORE_OK);
	clock_ms = (T0 + 5) * 1000 + 250;
	bot_daemon_tick(&d);
	cr_assert_eq(d.now, T0 + 5, "d->now is in seconds");
	cr_assert_eq(bot_store_member_set(d.store, "!noord:x", "@lid:x", "join"), BOT_STORE_OK);
	cr_assert_eq(q("SELECT processed_at FROM processed_events WHERE key = '$e'", NULL), T0 + 5);
	cr_assert_eq(q("SELECT created_at FROM outbox WHERE txn_id = 't1'", NULL), T0 + 5);
	cr_assert_eq(q("SELECT at FROM audit_log", NULL), T0 + 5);
	cr_assert_eq(q("SELECT first_seen FROM held_events", NULL), T0 + 5);
	cr_assert_eq(q("SELECT since FROM room_members WHERE user_id = '@lid:x'", NULL), (T0 + 5) * 1000 + 250,
		     "memberships in milliseconds, for the order of arrival");
	at(T0 + 60);
	cr_assert_eq(bot_store_outbox_next(d.store, 0, &it), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_mark_sent(d.store, it.id, "$sent"), BOT_STORE_OK);
	bot_outbox_item_clear(&it);
	cr_assert_eq(q("SELECT done_at FROM outbox WHERE txn_id = 't1'", NULL), T0 + 60);
}

Test(time, now_in_sql_is_a_parameter_among_the_others)
{
	at(T0 + 42);
	/* :now before, between and after the text parameters */
	cr_assert_eq(bot_store_exec(d.store, "test", "CREATE TABLE t (a TEXT, b INTEGER, c TEXT, e INTEGER)", 0),
		     BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(d.store, "test", "INSERT INTO t VALUES (?, :now, ?, :now - ?)", 3, "x", "y", "2"),
		     BOT_STORE_OK);
	cr_assert_eq(q("SELECT count(*) FROM t WHERE a = 'x' AND c = 'y'", NULL), 1);
	cr_assert_eq(q("SELECT b FROM t", NULL), T0 + 42);
	cr_assert_eq(q("SELECT e FROM t", NULL), T0 + 40);
	cr_assert_eq(q("SELECT :now", NULL), T0 + 42);
	cr_assert_eq(q("SELECT :now - ?", "2"), T0 + 40);
	at(T0 + 3 * DAY);
	cr_assert_eq(q("SELECT :now", NULL), T0 + 3 * DAY, "a moved clock moves SQL's now");
}

/* ---- casussen ---- */

Test(time, the_casus_reminder_comes_after_casus_reminder_hours_and_once)
{
	open_casus();
	at(T0 + 2 * HOUR - 60);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT reminded FROM casussen WHERE nr = 1", NULL), 0, "reminded a minute early");
	cr_assert_eq(pending_like("casus-reminder:%"), 0);
	at(T0 + 2 * HOUR);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT reminded FROM casussen WHERE nr = 1", NULL), 1);
	cr_assert_eq(pending_txn("casus-reminder:1"), 1, "the reminder in the casus thread");
	cr_assert_eq(pending_txn("casus-reminder:1:sg"), 1, "and in the stuurgroep");
	cr_assert_eq(q("SELECT room_id = '!sg:x' FROM outbox WHERE txn_id = 'casus-reminder:1:sg'", NULL), 1);
	at(T0 + 4 * HOUR);
	bot_casus_housekeeping(&d);
	cr_assert_eq(pending_like("casus-reminder:%"), 2, "not reminded twice");
	cr_assert_eq(q("SELECT status = 'open' FROM casussen WHERE nr = 1", NULL), 1);
}

Test(time, an_open_casus_expires_after_casus_expiry_hours)
{
	open_casus();
	at(T0 + 24 * HOUR - 60);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT status = 'open' FROM casussen WHERE nr = 1", NULL), 1, "expired a minute early");
	cr_assert_eq(pending_like("%expired%"), 0);
	at(T0 + 24 * HOUR);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT status = 'expired' FROM casussen WHERE nr = 1", NULL), 1);
	cr_assert_eq(q("SELECT closed FROM casussen WHERE nr = 1", NULL), T0 + 24 * HOUR);
	cr_assert_geq(pending_like("%expired%"), 1, "the expiry is said in the casus's rooms");
	cr_assert_eq(q("SELECT count(*) FROM outbox WHERE txn_id LIKE '%expired%' AND room_id = '!noord:x'", NULL), 1);
}

/* Messages, rooms, forwards and edits of a casus closed longer than
 * casus_retention_days go; the anonymous counts stay. */
Test(time, a_closed_casus_keeps_only_its_counts_after_casus_retention_days)
{
	long long closed = T0 + 24 * HOUR;

	open_casus();
	cr_assert_eq(bot_store_exec(d.store, "test", "INSERT INTO forwards (source_event, target_room, nr, txn, "
				    "approver, at) VALUES ('$m1', '!regie:x', 1, 'fw1', '@anna:x', :now)", 0), BOT_STORE_OK);
	at(closed);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT status = 'expired' FROM casussen WHERE nr = 1", NULL), 1);
	cr_assert_geq(q("SELECT count(*) FROM casus_events WHERE nr = 1", NULL), 1);
	cr_assert_geq(q("SELECT count(*) FROM casus_rooms WHERE nr = 1", NULL), 1);
	at(closed + 90 * DAY - 60);
	bot_casus_housekeeping(&d);
	cr_assert_geq(q("SELECT count(*) FROM casus_events WHERE nr = 1", NULL), 1, "gone a minute early");
	cr_assert_eq(q("SELECT count(*) FROM forwards WHERE nr = 1", NULL), 1);
	at(closed + 90 * DAY);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM casus_events WHERE nr = 1", NULL), 0);
	cr_assert_eq(q("SELECT count(*) FROM casus_rooms WHERE nr = 1", NULL), 0);
	cr_assert_eq(q("SELECT count(*) FROM forwards WHERE nr = 1", NULL), 0);
	cr_assert_eq(q("SELECT count(*) FROM casus_edits WHERE nr = 1", NULL), 0);
	cr_assert_eq(q("SELECT count(*) FROM casussen WHERE nr = 1 AND status = 'expired' AND origin_event = '' "
		       "AND afloop IS NULL AND opened = ?", "1767225600"), 1, "the count stays, anonymous");
}

Test(time, posts_private_words_and_loose_messages_go_after_their_time)
{
	at(T0);
	cr_assert_eq(bot_store_exec(d.store, "test", "INSERT INTO recent_posts (room_id, event_id, user_id, at, top_level) "
				    "VALUES ('!noord:x', '$p', '@bewoner:x', :now, 1)", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(d.store, "test", "INSERT INTO private_notes (user_id, text, at) "
				    "VALUES ('@bewoner:x', 'een woord', :now)", 0), BOT_STORE_OK);
	cr_assert_eq(bot_store_exec(d.store, "test", "INSERT INTO casus_events (room_id, event_id, nr, sender, ts, content) "
				    "VALUES ('!sg:x', '$los', 0, '@anna:x', :now, '{}')", 0), BOT_STORE_OK);
	at(T0 + 7 * DAY - 60);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM recent_posts", NULL), 1, "a post gone a minute early");
	cr_assert_eq(q("SELECT count(*) FROM private_notes", NULL), 1);
	at(T0 + 7 * DAY);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM recent_posts", NULL), 0, "who posted what is kept a week");
	cr_assert_eq(q("SELECT count(*) FROM private_notes", NULL), 0, "an unread private word a week");
	cr_assert_eq(q("SELECT count(*) FROM casus_events WHERE nr = 0", NULL), 1);
	at(T0 + 90 * DAY - 60);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM casus_events WHERE nr = 0", NULL), 1);
	at(T0 + 90 * DAY);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM casus_events WHERE nr = 0", NULL), 0,
		     "a message that joined no casus goes after casus_retention_days");
}

Test(time, a_melding_s_post_is_noted_at_the_batch_s_time_and_forgotten_a_week_later)
{
	open_casus();
	cr_assert_eq(q("SELECT at FROM recent_posts WHERE event_id = '$m1'", NULL), T0);
	cr_assert_eq(bot_casus_recent_posts(&d, "!noord:x", "@bewoner:x", 3600), 1);
	at(T0 + 2 * HOUR);
	cr_assert_eq(bot_casus_recent_posts(&d, "!noord:x", "@bewoner:x", 3600), 0, "counted in the batch's hour");
	at(T0 + 7 * DAY);
	bot_casus_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM recent_posts", NULL), 0);
}

/* ---- sign-ups ---- */

Test(time, an_undecided_application_is_brought_up_once_after_application_reminder_hours)
{
	int64_t nr = 0;

	cr_assert_eq(bot_app_add(d.store, "@nieuw:x", "!dm:x", "wijkgroep:noord", "{}", &nr), BOT_STORE_OK);
	cr_assert_eq(q("SELECT created FROM applications WHERE nr = 1", NULL), T0);
	at(T0 + 48 * HOUR - 60);
	bot_signup_housekeeping(&d);
	cr_assert_eq(pending_like("app-reminder:%"), 0, "reminded a minute early");
	at(T0 + 48 * HOUR);
	bot_signup_housekeeping(&d);
	cr_assert_eq(pending_txn("app-reminder:1"), 1);
	cr_assert_eq(q("SELECT room_id = '!sg:x' FROM outbox WHERE txn_id = 'app-reminder:1'", NULL), 1,
		     "in the stuurgroep room");
	at(T0 + 96 * HOUR);
	bot_signup_housekeeping(&d);
	cr_assert_eq(pending_like("app-reminder:%"), 1, "once");
	cr_assert_eq(q("SELECT count(*) FROM applications", NULL), 1, "an open application stays");
}

Test(time, decided_sign_ups_and_old_intakes_go_after_retention_days)
{
	int64_t rejected = 0, admitted = 0, open = 0;
	long long decided = T0 + HOUR;

	cr_assert_eq(bot_app_add(d.store, "@nee:x", "!dm1:x", "wijkgroep:noord", "{}", &rejected), BOT_STORE_OK);
	cr_assert_eq(bot_app_add(d.store, "@ja:x", "!dm2:x", "wijkgroep:noord", "{}", &admitted), BOT_STORE_OK);
	cr_assert_eq(bot_app_add(d.store, "@wacht:x", "!dm3:x", "wijkgroep:noord", "{}", &open), BOT_STORE_OK);
	cr_assert_eq(bot_intake_put(d.store, "@half:x", "!dm4:x", "{\"stap\":1}"), BOT_STORE_OK);
	at(decided);
	cr_assert_eq(bot_app_decide(d.store, rejected, "rejected", "@anna:x"), BOT_STORE_OK);
	cr_assert_eq(bot_app_decide(d.store, admitted, "admitted", "@anna:x"), BOT_STORE_OK);
	at(T0 + 30 * DAY - 60);
	bot_signup_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM intakes", NULL), 1, "an intake gone a minute early");
	at(T0 + 30 * DAY);
	bot_signup_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM intakes", NULL), 0, "an untouched intake goes after retention_days");
	cr_assert_eq(q("SELECT count(*) FROM applications", NULL), 3);
	at(decided + 30 * DAY - 60);
	bot_signup_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM applications", NULL), 3, "decided ones gone a minute early");
	at(decided + 30 * DAY);
	bot_signup_housekeeping(&d);
	cr_assert_eq(q("SELECT count(*) FROM applications", NULL), 1);
	cr_assert_eq(q("SELECT count(*) FROM applications WHERE user_id = '@wacht:x' AND state = 'open'", NULL), 1,
		     "the open one stays");
}

/* ---- held events ---- */

typedef struct given_up {
	char event[64];
	int n;
} given_up;

static void note_given_up(void *ctx, const char *event_id, const char *room_id, const char *sender)
{
	given_up *g = ctx;

	snprintf(g->event, sizeof g->event, "%s", event_id);
	g->n++;
}

Test(time, a_held_event_is_given_up_a_day_after_it_came)
{
	given_up g = { "", 0 };

	cr_assert_eq(bot_store_held_add(d.store, "$oud", "!noord:x", "@x:x", "{}"), BOT_STORE_OK);
	at(T0 + HOUR);
	cr_assert_eq(bot_store_held_add(d.store, "$nieuw", "!noord:x", "@x:x", "{}"), BOT_STORE_OK);
	at(T0 + DAY - 1);
	cr_assert_eq(bot_store_held_expire(d.store, DAY, note_given_up, &g), BOT_STORE_OK);
	cr_assert_eq(g.n, 0, "given up a second early");
	at(T0 + DAY);
	cr_assert_eq(bot_store_held_expire(d.store, DAY, note_given_up, &g), BOT_STORE_OK);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.event, "$oud");
	cr_assert_eq(ut_held_count(d.store, NULL), 1);
	cr_assert_eq(q("SELECT count(*) FROM held_events WHERE event_id = '$nieuw'", NULL), 1);
	at(T0 + HOUR + DAY);
	cr_assert_eq(bot_store_held_expire(d.store, DAY, NULL, NULL), BOT_STORE_OK);
	cr_assert_eq(ut_held_count(d.store, NULL), 0);
}
