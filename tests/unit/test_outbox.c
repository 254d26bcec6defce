/* Unit tests of bot/outbox: which refusals are tried again and how soon
 * (a join or invite refused right after the event that allowed it, as
 * over federation), and the outbox carrying that out: the refused join
 * is tried again and done, waits without holding up other rooms, and a
 * final refusal is final at once. A membership change that needs another
 * homeserver that is down (5xx) is deferred: how long and until when, an
 * invite not holding up its room, a join holding up only its own, giving
 * up after a day. Offline: a real store, a scripted homeserver, a clock
 * the test moves. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bot/crypto.h"
#include "bot/daemon.h"
#include "bot/outbox.h"
#include "matrix/mx_async.h"
#include "unit_store.h"

#define NOT_INVITED "You are not invited to this room"

Test(retry, a_join_refused_as_not_invited_is_tried_again_with_backoff)
{
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, 0, 1), 1000);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, 1000, 2), 2000);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, 3000, 3), 4000);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, 31000, 6), 30000);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, 61000, 7), 30000);
	/* An invite the same way. */
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_INVITE, "M_FORBIDDEN", "User @b:x not in room", 0, 1), 1000);
}

Test(retry, only_for_a_while)
{
	/* The last try falls at the end of the window, and after it none. */
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, 110000, 8), 10000);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, BOT_OUTBOX_RETRY_WINDOW_MS, 9), -1);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, 0,
					 BOT_OUTBOX_RETRY_MAX_TRIES + 1), -1, "restarts must not make it endless");
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_FORBIDDEN", NOT_INVITED, -5, 1), -1);
}

Test(retry, other_refusals_are_final)
{
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_SEND, "M_FORBIDDEN", "not in room", 0, 1), -1);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_LEAVE, "M_FORBIDDEN", NOT_INVITED, 0, 1), -1);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_KICK, "M_FORBIDDEN", "x", 0, 1), -1);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_NOT_FOUND", "Unknown room", 0, 1), -1);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, "M_UNKNOWN", NOT_INVITED, 0, 1), -1);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_JOIN, NULL, NULL, 0, 1), -1);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_INVITE, "M_FORBIDDEN", "@b:x is banned from the room", 0, 1), -1);
	cr_assert_eq(bot_outbox_retry_ms(BOT_OUT_INVITE, "M_FORBIDDEN", "@b:x is already in the room.", 0, 1), -1);
}

Test(defer, a_membership_change_another_homeserver_failed_is_deferred)
{
	cr_assert(bot_outbox_deferrable(BOT_OUT_INVITE, MX_ERR_SERVER));
	cr_assert(bot_outbox_deferrable(BOT_OUT_JOIN, MX_ERR_SERVER));
	cr_assert(bot_outbox_deferrable(BOT_OUT_JOIN, MX_ERR_TIMEOUT));
	cr_assert(bot_outbox_deferrable(BOT_OUT_KICK, MX_ERR_SERVER));
	cr_assert(bot_outbox_deferrable(BOT_OUT_BAN, MX_ERR_SERVER));
	cr_assert(bot_outbox_deferrable(BOT_OUT_LEAVE, MX_ERR_SERVER));
	cr_assert(bot_outbox_deferrable(BOT_OUT_DM, MX_ERR_SERVER));
	/* A message failing so means our own homeserver is in trouble: the
	 * outbox waits, as before. Our homeserver unreachable, too. */
	cr_assert_not(bot_outbox_deferrable(BOT_OUT_SEND, MX_ERR_SERVER));
	cr_assert_not(bot_outbox_deferrable(BOT_OUT_REDACT, MX_ERR_SERVER));
	cr_assert_not(bot_outbox_deferrable(BOT_OUT_INVITE, MX_ERR_NETWORK));
	cr_assert(bot_outbox_deferrable(BOT_OUT_INVITE, MX_ERR_RATE_LIMITED));
	cr_assert_not(bot_outbox_deferrable(BOT_OUT_SEND, MX_ERR_RATE_LIMITED));
	cr_assert_not(bot_outbox_deferrable(BOT_OUT_INVITE, MX_ERR_REQUEST));
	cr_assert_not(bot_outbox_deferrable(BOT_OUT_INVITE, MX_ERR_AUTH));
}

Test(defer, ten_seconds_doubling_to_five_minutes)
{
	cr_assert_eq(bot_outbox_defer_ms(0, 1), 10000);
	cr_assert_eq(bot_outbox_defer_ms(10000, 2), 20000);
	cr_assert_eq(bot_outbox_defer_ms(30000, 3), 40000);
	cr_assert_eq(bot_outbox_defer_ms(70000, 4), 80000);
	cr_assert_eq(bot_outbox_defer_ms(150000, 5), 160000);
	cr_assert_eq(bot_outbox_defer_ms(310000, 6), 300000);
	cr_assert_eq(bot_outbox_defer_ms(3600000, 17), 300000);
	/* A clock that went back counts as no time passed. */
	cr_assert_eq(bot_outbox_defer_ms(-5000, 1), 10000);
}

Test(defer, for_a_day_then_given_up)
{
	cr_assert_eq(bot_outbox_defer_ms(BOT_OUTBOX_DEFER_WINDOW_MS - 60000, 200), 60000,
		     "the last try falls at the end of the day");
	cr_assert_eq(bot_outbox_defer_ms(BOT_OUTBOX_DEFER_WINDOW_MS, 201), -1);
	cr_assert_eq(bot_outbox_defer_ms(BOT_OUTBOX_DEFER_WINDOW_MS + 1, 2), -1);
	cr_assert_eq(bot_outbox_defer_ms(0, BOT_OUTBOX_DEFER_MAX_TRIES + 1), -1, "whatever the clock says");
	cr_assert_eq(bot_outbox_defer_ms(0, 0), -1);
	cr_assert_eq(BOT_OUTBOX_DEFER_WINDOW_MS, 24L * 3600 * 1000);
}

/* ---------------------------------------------------------------- the outbox */

typedef struct answer {
	long status;
	const char *body;
} answer;

static struct {
	answer a[8];
	int n, calls;
	char url[8][512];
	long delay_ms;   /* each answer takes this long */
} hs;
static char dir[] = "/tmp/buurtbot-outbox-XXXXXX";
static bot_daemon d;
static bot_config cfg;
static volatile sig_atomic_t stop;

static int scripted(void *ctx, const mx_http_request *req, mx_http_response *out, mx_error *err)
{
	int i = hs.calls++;

	cr_assert_lt(i, hs.n, "unexpected request %s %s", req->method, req->url);
	snprintf(hs.url[i], sizeof hs.url[i], "%s", req->url);
	if (hs.delay_ms > 0) {
		struct timespec ts = { hs.delay_ms / 1000, (hs.delay_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	out->status = hs.a[i].status;
	out->body = strdup(hs.a[i].body);
	out->body_len = strlen(out->body);
	out->retry_after_ms = -1;
	return MX_OK;
}

static void no_destroy(void *ctx)
{
}

static void answers(int n, const answer *a)
{
	memcpy(hs.a, a, (size_t)n * sizeof *a);
	hs.n = n;
}

static void setup(void)
{
	mx_client_options o;
	mx_transport *t = calloc(1, sizeof *t);
	char path[300], err[512];
	mx_error e;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	memset(&d, 0, sizeof d);
	memset(&hs, 0, sizeof hs);
	cr_assert_eq(bot_store_open(&d.store, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	t->perform = scripted;
	t->destroy = no_destroy;
	memset(&o, 0, sizeof o);
	o.homeserver_url = "http://hs.example";
	o.retry.max_attempts = 1;
	o.transport = t;
	cr_assert_eq(mx_client_new(&d.client, &o, &e), MX_OK, "%s", e.message);
	mx_client_set_token(d.client, "token");
	d.cfg = &cfg;
	d.stop = &stop;
}

static void teardown(void)
{
	char cmd[300];

	mx_client_free(d.client);
	bot_store_close(d.store);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(outbox, .init = setup, .fini = teardown, .timeout = 30);

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define REFUSED { 403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"" NOT_INVITED "\"}" }

Test(outbox, a_join_refused_before_the_invite_arrived_is_done_on_the_next_try)
{
	static const answer a[] = { REFUSED, { 200, "{\"room_id\":\"!dm:other\"}" } };
	long t0;

	answers(2, a);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_JOIN, "j1", "!dm:other", NULL, NULL), BOT_STORE_OK);
	t0 = mono_ms();
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 2);
	cr_assert_geq(mono_ms() - t0, 900, "tried again without waiting");
	cr_assert_eq(ut_outbox_count(d.store, "sent"), 1);
	cr_assert_eq(ut_outbox_count(d.store, "failed"), 0);
}

Test(outbox, a_join_still_refused_waits_behind_without_holding_up_other_rooms)
{
	static const answer a[] = { REFUSED, REFUSED, REFUSED, { 200, "{\"event_id\":\"$e\"}" } };

	answers(4, a);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_JOIN, "j1", "!dm:other", NULL, NULL), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_SEND, "s1", "!dm:other", "m.room.message",
					  "{\"msgtype\":\"m.notice\",\"body\":\"hallo\"}"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_SEND, "s2", "!room:here", "m.room.message",
					  "{\"msgtype\":\"m.notice\",\"body\":\"elders\"}"), BOT_STORE_OK);
	/* Refused at once, after 1 s and after 2 s: the next try is 4 s away,
	 * so the other room goes first; the message behind the join waits. */
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 4);
	cr_assert_not_null(strstr(hs.url[3], "/rooms/%21room%3Ahere/send/"), "%s", hs.url[3]);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 2);
	cr_assert_eq(ut_outbox_count(d.store, "sent"), 1);
	cr_assert_eq(ut_outbox_count(d.store, "failed"), 0);
	/* Not due yet: a second pass asks nothing. */
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 4);
}

Test(outbox, a_banned_user_is_not_invited_again)
{
	static const answer a[] = { { 403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"@x:other is banned from the room\"}" } };

	answers(1, a);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_INVITE, "i1", "!room:here", NULL, "@x:other"), BOT_STORE_OK);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 1);
	cr_assert_eq(ut_outbox_count(d.store, "failed"), 1);
}

/* ---- issue 11: priorities and yielding during a long outbox ---- */

#define SENT { 200, "{\"event_id\":\"$e\"}" }

static void queue(bot_outbox_prio prio, const char *txn, const char *room, const char *thread)
{
	char content[300];

	if (thread)
		snprintf(content, sizeof content, "{\"msgtype\":\"m.notice\",\"body\":\"x\",\"m.relates_to\":"
			 "{\"rel_type\":\"m.thread\",\"event_id\":\"%s\"}}", thread);
	else
		snprintf(content, sizeof content, "{\"msgtype\":\"m.notice\",\"body\":\"x\"}");
	bot_store_outbox_priority(d.store, prio);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_SEND, txn, room, "m.room.message", content), BOT_STORE_OK);
	bot_store_outbox_priority(d.store, BOT_PRIO_NORMAL);
}

Test(outbox, the_answer_to_a_command_goes_before_a_floods_answers_and_notices)
{
	static const answer a[] = { SENT, SENT, SENT, SENT };

	answers(4, a);
	queue(BOT_PRIO_NORMAL, "saar1", "!wijk:here", "$m1");
	queue(BOT_PRIO_LOW, "floodnotice", "!stuur:here", NULL);
	queue(BOT_PRIO_NORMAL, "saar2", "!wijk:here", "$m2");
	queue(BOT_PRIO_HIGH, "pong", "!stuur:here", NULL);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 4);
	cr_assert_not_null(strstr(hs.url[0], "/send/m.room.message/pong"), "%s", hs.url[0]);
	cr_assert_not_null(strstr(hs.url[1], "/saar1"), "%s", hs.url[1]);
	cr_assert_not_null(strstr(hs.url[2], "/saar2"), "%s", hs.url[2]);
	cr_assert_not_null(strstr(hs.url[3], "/floodnotice"), "%s", hs.url[3]);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0);
	cr_assert_not(d.outbox_more);
}

Test(outbox, a_long_flush_yields_to_sync_and_what_came_in_goes_first)
{
	static const answer a[] = { SENT, SENT, SENT, SENT, SENT };

	answers(5, a);
	hs.delay_ms = 30;
	d.outbox_slice_ms = 10;
	queue(BOT_PRIO_NORMAL, "saar1", "!wijk:here", "$m1");
	queue(BOT_PRIO_NORMAL, "saar2", "!wijk:here", "$m2");
	queue(BOT_PRIO_NORMAL, "saar3", "!wijk:here", "$m3");
	queue(BOT_PRIO_LOW, "floodnotice", "!stuur:here", NULL);
	/* One item, then the slice is over: the loop would sync now. */
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 1);
	cr_assert(d.outbox_more);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 3);
	/* That sync brought a !ping: its answer goes first (high priority
	 * does not yield), and the slice is over again. */
	queue(BOT_PRIO_HIGH, "pong", "!stuur:here", NULL);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 2);
	cr_assert_not_null(strstr(hs.url[1], "/pong"), "%s", hs.url[1]);
	cr_assert(d.outbox_more);
	/* Without a slice's limit the rest goes, in order. */
	d.outbox_slice_ms = 60000;
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 5);
	cr_assert_not_null(strstr(hs.url[2], "/saar2"), "%s", hs.url[2]);
	cr_assert_not_null(strstr(hs.url[4], "/floodnotice"), "%s", hs.url[4]);
	cr_assert_not(d.outbox_more);
}

/* ---- a membership change another homeserver failed (5xx): deferred ---- */

#define CANT_CONNECT { 502, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Can't connect to server\"}" }
#define INVITED { 200, "{}" }

static long long clock_ms;

/* The clock at t seconds (the loop reads it once per batch), and a
 * client that would retry a server error forever, as the daemon's does. */
static void at(long long t)
{
	static const mx_retry_policy forever = { 0, 1, 2 };

	clock_ms = t * 1000;
	d.clock = bot_clock_fixed(&clock_ms);
	bot_daemon_tick(&d);
	mx_client_set_retry(d.client, forever);
}

static int64_t membership_count(const char *room, const char *state)
{
	return ut_member_count(d.store, room, state, NULL);
}

Test(outbox, an_invite_to_a_homeserver_that_is_down_waits_while_its_room_goes_on)
{
	static const answer a[] = { CANT_CONNECT, SENT, SENT, INVITED };
	const long long t0 = 1700000000;
	mx_retry_policy p;

	answers(4, a);
	at(t0);
	cr_assert_eq(bot_store_member_set(d.store, "!wijk:here", "@x:down", "invite"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_INVITE, "inv", "!wijk:here", NULL, "@x:down"), BOT_STORE_OK);
	queue(BOT_PRIO_NORMAL, "answer", "!wijk:here", NULL);
	queue(BOT_PRIO_NORMAL, "pong", "!stuur:here", NULL);
	/* Tried once, not forever; then the room's answer and the other
	 * room's go out. */
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 3);
	cr_assert_not_null(strstr(hs.url[0], "/rooms/%21wijk%3Ahere/invite"), "%s", hs.url[0]);
	cr_assert_not_null(strstr(hs.url[1], "/answer"), "%s", hs.url[1]);
	cr_assert_not_null(strstr(hs.url[2], "/pong"), "%s", hs.url[2]);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1);
	cr_assert_eq(ut_outbox_count(d.store, "failed"), 0);
	/* The client retries as before for everything else. */
	p = mx_client_set_retry(d.client, (mx_retry_policy){ 0, 1, 2 });
	cr_assert_eq(p.max_attempts, 0);
	cr_assert_eq(p.max_delay_ms, 2);
	/* Not before its time. */
	at(t0 + 9);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 3);
	at(t0 + 10);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 4);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0);
	cr_assert_eq(ut_outbox_count(d.store, "sent"), 3);
	cr_assert_eq(membership_count("!wijk:here", "invite"), 1);
}

Test(outbox, a_deferred_invite_is_tried_again_later_and_later)
{
	static const answer a[] = { CANT_CONNECT, { 429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many\"}" },
				    INVITED };
	const long long t0 = 1700000000;

	answers(3, a);
	at(t0);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_INVITE, "inv", "!wijk:here", NULL, "@x:down"), BOT_STORE_OK);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 1);
	/* Rate-limited the second time: deferred too, now for 20 s. */
	at(t0 + 10);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 2);
	at(t0 + 29);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 2);
	at(t0 + 30);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 3);
	cr_assert_eq(ut_outbox_count(d.store, "sent"), 1);
}

Test(outbox, a_deferred_invite_is_given_up_after_a_day_and_not_counted)
{
	static const answer a[] = { CANT_CONNECT, CANT_CONNECT };
	const long long t0 = 1700000000;

	answers(2, a);
	at(t0);
	cr_assert_eq(bot_store_member_set(d.store, "!wijk:here", "@x:down", "invite"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_INVITE, "inv", "!wijk:here", NULL, "@x:down"), BOT_STORE_OK);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(membership_count("!wijk:here", "invite"), 1, "counted while it waits");
	/* Still within the day: deferred again. */
	at(t0 + 23 * 3600);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 2);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1);
	/* Its first failure a day ago: given up, and the cap counts it no more. */
	answers(1, a);
	hs.calls = 0;
	at(t0 + 24 * 3600);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 1);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0);
	cr_assert_eq(ut_outbox_count(d.store, "failed"), 1);
	cr_assert_eq(membership_count("!wijk:here", "invite"), 0);
}

Test(outbox, a_later_kick_of_the_same_user_drops_the_deferred_invite)
{
	static const answer a[] = { CANT_CONNECT, INVITED, SENT, SENT };
	const long long t0 = 1700000000;

	answers(4, a);
	at(t0);
	cr_assert_eq(bot_store_member_set(d.store, "!wijk:here", "@x:down", "invite"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_INVITE, "inv", "!wijk:here", NULL, "@x:down"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_INVITE, "inv2", "!wijk:here", NULL, "@y:up"), BOT_STORE_OK);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_KICK, "kick", "!wijk:here", NULL,
					  "{\"user\":\"@x:down\",\"reason\":\"weg\"}"), BOT_STORE_OK);
	queue(BOT_PRIO_NORMAL, "answer", "!wijk:here", NULL);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	/* The other user's invite, the kick and the message went; the
	 * deferred invite the kick undoes is given up, not counted. */
	cr_assert_eq(hs.calls, 4);
	cr_assert_not_null(strstr(hs.url[1], "/invite"), "%s", hs.url[1]);
	cr_assert_not_null(strstr(hs.url[2], "/kick"), "%s", hs.url[2]);
	cr_assert_not_null(strstr(hs.url[3], "/answer"), "%s", hs.url[3]);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0);
	cr_assert_eq(ut_outbox_count(d.store, "failed"), 1);
	cr_assert_eq(membership_count("!wijk:here", "invite"), 0);
	at(t0 + 3600);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 4, "the dropped invite is never tried again");
}

Test(outbox, a_join_of_a_room_on_a_homeserver_that_is_down_holds_up_only_its_own_room)
{
	static const answer a[] = { CANT_CONNECT, SENT };
	const long long t0 = 1700000000;

	answers(2, a);
	at(t0);
	cr_assert_eq(bot_store_outbox_add(d.store, BOT_OUT_JOIN, "j1", "!dm:down", NULL, NULL), BOT_STORE_OK);
	queue(BOT_PRIO_NORMAL, "hallo", "!dm:down", NULL);
	queue(BOT_PRIO_NORMAL, "pong", "!stuur:here", NULL);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 2);
	cr_assert_not_null(strstr(hs.url[1], "/pong"), "%s", hs.url[1]);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 2);
	{
		static const answer b[] = { { 200, "{\"room_id\":\"!dm:down\"}" }, SENT };

		answers(2, b);
		hs.calls = 0;
	}
	at(t0 + 10);
	cr_assert_eq(bot_outbox_flush(&d), MX_OK);
	cr_assert_eq(hs.calls, 2);
	cr_assert_not_null(strstr(hs.url[0], "/join/"), "%s", hs.url[0]);
	cr_assert_not_null(strstr(hs.url[1], "/hallo"), "%s", hs.url[1]);
	cr_assert_eq(ut_outbox_count(d.store, "sent"), 3);
}

Test(outbox, a_message_our_homeserver_fails_still_keeps_the_outbox_waiting)
{
	static const answer a[] = { CANT_CONNECT };

	answers(1, a);
	queue(BOT_PRIO_NORMAL, "answer", "!wijk:here", NULL);
	cr_assert_eq(bot_outbox_flush(&d), MX_ERR_SERVER);
	cr_assert_eq(hs.calls, 1);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1);
}

/* The answer to the message the pump put on the wire, handed back. */
static void take_answer(mx_async *a)
{
	uintptr_t tag;
	cJSON *root = NULL;
	mx_error err;
	int status;

	cr_assert(mx_async_next(a, &tag, &status, &root, &err), "no answer to take");
	cr_assert_eq(bot_outbox_finished(&d, tag, status, root, &err), MX_OK);
	cJSON_Delete(root);
}

Test(outbox, the_copy_of_an_approval_goes_first_and_the_rest_waits_until_it_is_delivered)
{
	static const answer a[] = { { 200, "{\"event_id\":\"$copy\"}" }, SENT };
	static const char sync[] = "{\"next_batch\":\"s2\",\"rooms\":{\"join\":{\"!regie:here\":{\"timeline\":"
				   "{\"events\":[{\"type\":\"m.room.message\",\"event_id\":\"$copy\",\"sender\":"
				   "\"@bot:here\",\"origin_server_ts\":1,\"content\":{\"msgtype\":\"m.notice\","
				   "\"body\":\"x\"}}]}}}}}";
	mx_sync_batch *batch = NULL;
	mx_async *as = NULL;
	mx_error err;

	d.user_id = "@bot:here";
	answers(2, a);
	/* The confirmation was stored first; the copy still goes first. */
	queue(BOT_PRIO_HIGH, "confirm", "!wijk:here", "$m1");
	queue(BOT_PRIO_HIGH, "fwd:$m1:!regie:here", "!regie:here", NULL);
	cr_assert_eq(mx_async_new(&as, d.client, 0, &err), MX_OK);
	cr_assert_eq(bot_outbox_pump(&d, as), MX_OK);
	cr_assert_eq(hs.calls, 1, "the confirmation went beside the copy");
	cr_assert_not_null(strstr(hs.url[0], "/fwd%3A"), "%s", hs.url[0]);
	take_answer(as);
	/* Accepted, not yet delivered: the confirmation still waits. */
	cr_assert_eq(bot_outbox_pump(&d, as), MX_OK);
	cr_assert_eq(hs.calls, 1);
	cr_assert_eq(mx_sync_parse_bytes(&batch, sync, strlen(sync), &err), MX_OK, "%s", err.message);
	bot_outbox_saw(&d, batch);
	cr_assert_eq(bot_outbox_pump(&d, as), MX_OK);
	cr_assert_eq(hs.calls, 2);
	cr_assert_not_null(strstr(hs.url[1], "/confirm"), "%s", hs.url[1]);
	take_answer(as);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 0);
	mx_sync_batch_free(batch);
	mx_async_free(as);
	bot_outbox_forget_flying();
	d.user_id = NULL;
}

/* A stream of approvals, each copy starting a new wait, holds the other
 * messages for BOT_OUTBOX_COPY_FIRST_MS in all, not for as long as the
 * stream lasts. (Sleeps: the hold is measured on the monotonic clock.) */
Test(outbox, copies_in_a_row_hold_the_rest_for_one_stretch_only, .timeout = 30)
{
	static const answer a[] = { { 200, "{\"event_id\":\"$copy1\"}" }, { 200, "{\"event_id\":\"$copy2\"}" }, SENT };
	mx_async *as = NULL;
	mx_error err;

	d.user_id = "@bot:here";
	answers(3, a);
	queue(BOT_PRIO_HIGH, "confirm", "!wijk:here", "$m1");
	queue(BOT_PRIO_HIGH, "fwd:$m1:!regie:here", "!regie:here", NULL);
	cr_assert_eq(mx_async_new(&as, d.client, 0, &err), MX_OK);
	cr_assert_eq(bot_outbox_pump(&d, as), MX_OK);
	take_answer(as);
	cr_assert_eq(hs.calls, 1, "the confirmation went beside the first copy");
	usleep(500 * 1000);
	/* A second approval's copy half a second on: the confirmation still waits. */
	queue(BOT_PRIO_HIGH, "fwd:$m2:!regie:here", "!regie:here", NULL);
	cr_assert_eq(bot_outbox_pump(&d, as), MX_OK);
	take_answer(as);
	cr_assert_eq(hs.calls, 2);
	cr_assert_not_null(strstr(hs.url[1], "/fwd%3A"), "%s", hs.url[1]);
	/* Past the stretch (2.2 s held), while the second copy (1.7 s ago) has
	 * not been seen yet: the confirmation goes. */
	usleep(1700 * 1000);
	cr_assert_eq(bot_outbox_pump(&d, as), MX_OK);
	cr_assert_eq(hs.calls, 3, "the confirmation was held for as long as copies kept coming");
	cr_assert_not_null(strstr(hs.url[2], "/confirm"), "%s", hs.url[2]);
	take_answer(as);
	mx_async_free(as);
	bot_outbox_forget_flying();
	d.user_id = NULL;
}

/* A copy whose room's encryption state cannot be read (a server error
 * before it goes on the wire) pauses on its own: the pump's second pass
 * still runs and the other rooms' messages go. */
Test(outbox, a_copy_that_cannot_be_encrypted_yet_does_not_hold_up_the_other_rooms)
{
	static const answer a[] = {
		{ 500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Internal server error\"}" },
		{ 404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"Event not found\"}" },
		SENT,
	};
	mx_async *as = NULL;
	mx_error err;

	d.user_id = "@bot:here";
	d.device_id = "BOTDEVICE";
	cr_assert_eq(bot_crypto_open(&d, "pickle key of the test"), 0);
	answers(3, a);
	queue(BOT_PRIO_HIGH, "fwd:$m1:!regie:here", "!regie:here", NULL);
	queue(BOT_PRIO_NORMAL, "answer", "!wijk:here", NULL);
	cr_assert_eq(mx_async_new(&as, d.client, 0, &err), MX_OK);
	cr_assert_eq(bot_outbox_pump(&d, as), MX_OK);
	cr_assert_eq(hs.calls, 3, "the other room's message waited behind the copy (%d requests)", hs.calls);
	cr_assert_not_null(strstr(hs.url[0], "m.room.encryption"), "%s", hs.url[0]);
	cr_assert_not_null(strstr(hs.url[2], "/answer"), "%s", hs.url[2]);
	take_answer(as);
	cr_assert_eq(ut_outbox_count(d.store, "pending"), 1, "the copy stays pending, to be tried again");
	/* Pausing: the next pump does not ask again at once. */
	cr_assert_eq(bot_outbox_pump(&d, as), MX_OK);
	cr_assert_eq(hs.calls, 3);
	mx_async_free(as);
	bot_outbox_forget_flying();
	mx_e2ee_free(d.e2ee);
	d.e2ee = NULL;
	d.user_id = NULL;
	d.device_id = NULL;
}
