/* Integration tests of time (issue 12, item 4) against the real Synapse,
 * with independent encrypted clients: the bot's clock is moved through
 * the test-only BUURTBOT_TEST_CLOCK_FILE (an offset in seconds it adds to
 * the real time at every batch), and what is due arrives in the rooms:
 * the casus reminder after casus_reminder_hours and the expiry after
 * casus_expiry_hours (counted after a marker), the application reminder
 * after application_reminder_hours. The retentions (posts, held
 * undecryptable events, closed casussen, decided sign-ups and intakes)
 * are checked in the bot's store, read read-only, afterwards. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bot/clock.h"
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[{\"naam\":\"Noord\",\"postcodes\":[\"1234\"]}]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[{\"naam\":\"Zuid\",\"postcodes\":[\"1235\"]}]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}]}"

#define HOUR 3600LL
#define DAY 86400LL
#define WAIT_MS 60000L

typedef struct world {
	itest_user anna, bram, carla;
	itest_bot bot;
	resident ra;
	char *sg, *noord;
	char file[400], clock[400];
} world;

/* Sets the bot's clock to the real time plus offset_s. The file is
 * replaced whole, so the bot never reads half a number. */
static void move_clock(world *w, long long offset_s)
{
	char tmp[420];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.new", w->clock);
	f = fopen(tmp, "w");
	cr_assert_not_null(f);
	fprintf(f, "%lld\n", offset_s);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(rename(tmp, w->clock), 0);
}

static void world_start(world *w)
{
	char *line;

	memset(w, 0, sizeof *w);
	sthelp_example_user(&w->anna, "anna.stuur");
	sthelp_example_user(&w->bram, "bram.stuur");
	sthelp_example_user(&w->carla, "carla.stuur");
	itest_bot_setup(&w->bot, w->anna.user_id, NULL);
	snprintf(w->clock, sizeof w->clock, "%s/clock-offset", w->bot.dir);
	move_clock(w, 0);
	/* Criterion runs each test in a process of its own: the bot it
	 * starts inherits this. */
	cr_assert_eq(setenv(BOT_TEST_CLOCK_ENV, w->clock, 1), 0);
	sthelp_start_with_structure(&w->bot, STRUCTURE, w->file, sizeof w->file);
	line = itest_wait_log_line(&w->bot, BOT_TEST_CLOCK_ENV " is set", 1, 5000);
	cr_assert_not_null(line, "the bot did not warn that its clock is a test clock");
	free(line);
	w->sg = sthelp_room_of(&w->bot, "stuurgroep:stuur");
	w->noord = sthelp_room_of(&w->bot, "wijkgroep:noord");
	resident_existing(&w->ra, &w->anna);
	sthelp_join(&w->ra, w->sg);
	sthelp_join(&w->ra, w->noord);
}

static void world_end(world *w)
{
	sthelp_resident_done(&w->ra);
	free(w->sg);
	free(w->noord);
	itest_bot_cleanup(&w->bot);
	itest_user_free(&w->anna);
	itest_user_free(&w->bram);
	itest_user_free(&w->carla);
}

/* One number from the bot's store, opened read-only; fails the test when
 * the store cannot be read, so a failed read never looks like "gone". */
static long long store_num(const itest_bot *b, const char *sql, const char *arg)
{
	char path[400];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;
	int rc;

	snprintf(path, sizeof path, "%s/data/buurtbot.db", b->dir);
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "cannot open %s", path);
	sqlite3_busy_timeout(db, 5000);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	cr_assert_eq(rc, SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(db));
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Polls store_num until it is want or timeout_ms passed; returns the last value. */
static long long wait_store(const itest_bot *b, const char *sql, const char *arg, long long want, long timeout_ms)
{
	long end = itest_now_ms() + timeout_ms;
	long long n;

	while ((n = store_num(b, sql, arg)) != want && itest_now_ms() < end)
		itest_sleep_ms(500);
	return n;
}

/* A marker in room that the bot has taken in (it is in its ledger), at
 * the time it has now: what the bot says after the clock moves comes
 * after it. Caller frees. */
static char *marker_seen(world *w, const char *room)
{
	char *m = sthelp_marker(&w->ra, room);

	if (wait_store(&w->bot, "SELECT count(*) FROM processed_events WHERE key = ?", m, 1, WAIT_MS) != 1) {
		itest_bot_dump_log(&w->bot);
		cr_assert_fail("the bot never took in the marker %s", m);
	}
	return m;
}

/* Moves the clock and wakes the bot with one more marker: it reads the
 * clock when its sync returns with that. */
static void move_clock_and_wake(world *w, long long offset_s)
{
	move_clock(w, offset_s);
	free(marker_seen(w, w->sg));
}

/* Sends an m.room.encrypted event as u with a Megolm session nobody ever
 * shared: the bot holds it, waiting for a room key that never comes.
 * Returns its event id (caller frees). */
static char *send_undecryptable(itest_user *u, const char *room)
{
	cJSON *c = cJSON_CreateObject();
	char txn[64], sid[64], *ev = NULL;

	snprintf(txn, sizeof txn, "nooit-%d-%ld", (int)getpid(), itest_now_ms());
	snprintf(sid, sizeof sid, "sessie-nooit-gedeeld-%d", (int)getpid());
	cJSON_AddStringToObject(c, "algorithm", "m.megolm.v1.aes-sha2");
	cJSON_AddStringToObject(c, "sender_key", "c2VuZGVyIGtleSB0aGF0IG5vYm9keSBoYXMgc2Vlbg");
	cJSON_AddStringToObject(c, "ciphertext", "QmVzdGFhdCBuaWV0IG1lZXI");
	cJSON_AddStringToObject(c, "session_id", sid);
	cJSON_AddStringToObject(c, "device_id", "NOOIT");
	cr_assert_eq(mx_send(u->c, room, "m.room.encrypted", txn, c, &ev), MX_OK, "%s",
		     mx_client_last_error(u->c)->message);
	cJSON_Delete(c);
	return ev;
}

Test(time, casus_reminder_expiry_and_retention_as_the_clock_moves, .timeout = 600)
{
	world w;
	resident r;
	char *melding, *body, *m_noord, *m_sg, *held;
	const char *bot;
	int rem_noord, rem_sg, expired;
	long long events, rooms;

	world_start(&w);
	bot = w.bot.account.user_id;
	resident_new(&r, "melder");
	sthelp_admit(&w.ra, &w.bot, w.sg, &r, "noord", w.noord);
	melding = resident_send(&r, w.noord, "Verdachte man met rode jas bij de school, loopt richting station");
	body = bot_reply(&r, &w.bot, w.noord, melding);
	cr_assert_not_null(strstr(body, "Casus #1 geopend"), "%s", body);
	free(body);
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM recent_posts WHERE event_id = ?", melding), 1);

	/* Two hours on: the casushouder (in the thread) and the stuurgroep are reminded, once. */
	m_noord = marker_seen(&w, w.noord);
	m_sg = marker_seen(&w, w.sg);
	move_clock_and_wake(&w, 2 * HOUR + 120);
	rem_noord = sthelp_count_settled(&w.ra, w.noord, m_noord, bot, "loopt al meer dan 2 uur zonder afloop", 1,
					 WAIT_MS, NULL);
	cr_assert_eq(rem_noord, 1, "reminders in the wijkgroep: %d", rem_noord);
	rem_sg = sthelp_count_settled(&w.ra, w.sg, m_sg, bot, "Casus #1 loopt al meer dan 2 uur", 1, WAIT_MS, NULL);
	cr_assert_eq(rem_sg, 1, "reminders in the stuurgroep: %d", rem_sg);
	cr_assert_eq(store_num(&w.bot, "SELECT reminded FROM casussen WHERE nr = 1", NULL), 1);
	cr_assert_eq(store_num(&w.bot, "SELECT status = 'open' FROM casussen WHERE nr = 1", NULL), 1,
		     "open still, two hours on");
	free(m_noord);
	free(m_sg);

	/* A day on: the casus expires, said in its room; no second reminder. */
	m_noord = marker_seen(&w, w.noord);
	move_clock_and_wake(&w, 24 * HOUR + 120);
	expired = sthelp_count_settled(&w.ra, w.noord, m_noord, bot, "Casus #1 is na 24 uur zonder afloop gesloten", 1,
				       WAIT_MS, NULL);
	cr_assert_eq(expired, 1, "expiry notices in the wijkgroep: %d", expired);
	cr_assert_eq(sthelp_count_between(&w.ra, w.noord, m_noord, NULL, bot, "loopt al meer dan", NULL), 0,
		     "reminded twice");
	cr_assert_eq(store_num(&w.bot, "SELECT status = 'expired' FROM casussen WHERE nr = 1", NULL), 1);
	events = store_num(&w.bot, "SELECT count(*) FROM casus_events WHERE nr = 1", NULL);
	rooms = store_num(&w.bot, "SELECT count(*) FROM casus_rooms WHERE nr = 1", NULL);
	cr_assert_geq(events, 1);
	cr_assert_geq(rooms, 1);
	free(m_noord);

	/* An event whose room key never comes is held, and given up a day later. */
	held = send_undecryptable(&w.anna, w.noord);
	if (wait_store(&w.bot, "SELECT count(*) FROM held_events WHERE event_id = ?", held, 1, WAIT_MS) != 1) {
		itest_bot_dump_log(&w.bot);
		cr_assert_fail("the undecryptable event %s was not held", held);
	}
	move_clock_and_wake(&w, 48 * HOUR + 240);
	cr_assert_eq(wait_store(&w.bot, "SELECT count(*) FROM held_events WHERE event_id = ?", held, 0, WAIT_MS), 0,
		     "the held event is still there a day on");
	body = itest_wait_log_line(&w.bot, "gave up on event", 1, 5000);
	cr_assert_not_null(body, "giving up is not logged");
	cr_assert_not_null(strstr(body, held), "%s", body);
	free(body);
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM processed_events WHERE key = ?", held), 0,
		     "given up is not handled");
	free(held);

	/* A week on: who posted what is forgotten; the closed casus keeps its messages. */
	move_clock_and_wake(&w, 8 * DAY);
	cr_assert_eq(wait_store(&w.bot, "SELECT count(*) FROM recent_posts", NULL, 0, WAIT_MS), 0,
		     "posts kept longer than a week");
	cr_assert_geq(store_num(&w.bot, "SELECT count(*) FROM casus_events WHERE nr = 1", NULL), 1,
		      "the casus lost its messages before casus_retention_days");

	/* casus_retention_days (90) after it closed: only the anonymous count is left. */
	move_clock_and_wake(&w, 24 * HOUR + 90 * DAY + 300);
	cr_assert_eq(wait_store(&w.bot, "SELECT count(*) FROM casus_events WHERE nr = 1", NULL, 0, WAIT_MS), 0,
		     "the casus messages are kept past casus_retention_days");
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM casus_rooms WHERE nr = 1", NULL), 0);
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM forwards WHERE nr = 1", NULL), 0);
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM casus_edits WHERE nr = 1", NULL), 0);
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM casussen WHERE nr = 1 AND status = 'expired' "
			       "AND origin_event = '' AND afloop IS NULL AND opened > 0 AND closed > opened", NULL), 1,
		     "the anonymous count of the casus is gone or still names its message");
	fprintf(stderr, "test_time: +2 h: %d reminder in the wijkgroep, %d in the stuurgroep; +24 h: %d expiry notice; "
		"held event given up a day on; +8 days: posts 1 -> 0; +90 days after closing: casus messages %lld -> 0, "
		"rooms %lld -> 0, the casus itself kept as a count\n", rem_noord, rem_sg, expired, events, rooms);

	free(melding);
	sthelp_resident_done(&r);
	world_end(&w);
}

Test(time, application_reminder_and_sign_up_retention_as_the_clock_moves, .timeout = 600)
{
	world w;
	resident a, b, c;
	char *dm, *m_sg;
	const char *bot;
	int reminders;
	long long redactions;

	world_start(&w);
	bot = w.bot.account.user_id;
	/* Aanmelding 1 waits for a decision; 2 is rejected; c stops half-way. */
	resident_new(&a, "wachtend");
	dm = sthelp_open_dm(&a, &w.bot);
	sthelp_sign_up(&a, &w.bot, dm, "Wim Wachter", "1234 AB");
	free(dm);
	resident_new(&b, "afgewezen");
	dm = sthelp_open_dm(&b, &w.bot);
	sthelp_sign_up(&b, &w.bot, dm, "Ab Afgewezen", "1234 AB");
	free(dm);
	sthelp_expect(sthelp_ask(&w.ra, &w.bot, w.sg, "!afwijzen 2 woont elders"), "afgewezen");
	resident_new(&c, "half");
	dm = sthelp_open_dm(&c, &w.bot);
	sthelp_expect(sthelp_ask(&c, &w.bot, dm, "hallo"), "Wat is je naam?");
	free(dm);
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM applications WHERE nr = 1 AND state = 'open'", NULL), 1);
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM applications WHERE nr = 2 AND state = 'rejected'", NULL), 1);
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM intakes WHERE user_id = ?", c.u.user_id), 1);

	cr_assert_eq(store_num(&w.bot, "SELECT reminded FROM applications WHERE nr = 1", NULL), 0, "reminded at once");

	/* application_reminder_hours (48) on: the stuurgroep is reminded of 1, once, not of 2. */
	m_sg = marker_seen(&w, w.sg);
	move_clock_and_wake(&w, 48 * HOUR + 120);
	reminders = sthelp_count_settled(&w.ra, w.sg, m_sg, bot, "Aanmelding 1 voor Wijkgroep Noord wacht al meer dan 48 uur",
					 1, WAIT_MS, NULL);
	cr_assert_eq(reminders, 1, "application reminders in the stuurgroep: %d", reminders);
	cr_assert_eq(sthelp_count_between(&w.ra, w.sg, m_sg, NULL, bot, "wacht al meer dan", NULL), 1,
		     "a decided application was brought up too");
	cr_assert_eq(store_num(&w.bot, "SELECT reminded FROM applications WHERE nr = 1", NULL), 1);
	cr_assert_eq(store_num(&w.bot, "SELECT reminded FROM applications WHERE nr = 2", NULL), 0,
		     "a rejected application was marked reminded");
	free(m_sg);

	/* retention_days (30) on: the rejected application, its notices and the
	 * untouched intake are gone; the open application stays. */
	move_clock_and_wake(&w, 31 * DAY);
	cr_assert_eq(wait_store(&w.bot, "SELECT count(*) FROM applications WHERE nr = 2", NULL, 0, WAIT_MS), 0,
		     "the rejected application is kept past retention_days");
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM intakes WHERE user_id = ?", c.u.user_id), 0,
		     "the intake left half-way is kept past retention_days");
	cr_assert_eq(store_num(&w.bot, "SELECT count(*) FROM applications WHERE nr = 1 AND state = 'open'", NULL), 1,
		     "an open application went");
	redactions = store_num(&w.bot, "SELECT count(*) FROM outbox WHERE kind = 7 AND txn_id LIKE 'purge:2|%'", NULL);
	cr_assert_geq(redactions, 1, "the notices that named the rejected applicant are not taken back");
	fprintf(stderr, "test_time: +48 h: %d application reminder (of 1, not of the rejected 2); +31 days: the rejected "
		"application and the half-way intake gone, the open one kept, %lld message(s) naming the applicant "
		"redacted\n", reminders, redactions);

	sthelp_resident_done(&a);
	sthelp_resident_done(&b);
	sthelp_resident_done(&c);
	world_end(&w);
}
