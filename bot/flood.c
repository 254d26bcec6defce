/* flood.c: see flood.h. One row per resident and wijkgroep: how many of
 * their messages opened no casus in the flood going on (held), how many
 * of those the stuurgroep has not been told of (unreported), and when it
 * last was. A flood is going on while its last message is within the
 * flood window; a message after a quiet window starts a new one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "queue.h"
#include "flood.h"
#include "log.h"
#include "store.h"
#include "store_casus.h"

#define TXN_MAX 1400
#define KEEP_S (7 * 24 * 3600)   /* a flood's row, after its last message */

void bot_flood_fact(bot_daemon *d, const char *room_id, const char *user, pol_flood *out)
{
	/* None going on, or unreadable (the store counts that: the batch fails). */
	bot_store_flood_get(d->store, room_id, user, d->now, d->pol.flood_window_s, out);
}

long bot_flood_casussen_by(bot_daemon *d, const char *room_id, const char *user, long seconds)
{
	long n = 0;

	bot_store_casussen_by(d->store, room_id, user, seconds, &n);   /* 0 unless read */
	return n;
}

int bot_flood_action(bot_daemon *d, const pol_input *in, const pol_action *a)
{
	char esc[300], esc_room[300];
	pol_flood f;
	int rc;

	rc = bot_store_flood_count(d->store, in->room_id, a->flood.user, d->now, d->pol.flood_window_s,
				   a->flood.reported);
	if (rc != BOT_STORE_OK)
		return rc;
	bot_flood_fact(d, in->room_id, a->flood.user, &f);
	if (f.held == 1)
		LOG_INFO("flood: %s opened %ld casussen in %s within %ld s; their next messages open none",
			 bot_log_escape(a->flood.user, esc, sizeof esc), d->pol.flood_max_casussen,
			 bot_log_escape(in->room_id, esc_room, sizeof esc_room), d->pol.flood_window_s);
	else
		LOG_DEBUG("flood: message %ld of %s in %s opens no casus", f.held, bot_log_escape(a->flood.user, esc, sizeof esc),
			  bot_log_escape(in->room_id, esc_room, sizeof esc_room));
	return BOT_STORE_OK;
}

/* ---- housekeeping ---- */

#define DUE_MAX 64

/* The counts that are due: a flood whose last messages came after its
 * last count, which the next message would have carried. */
static int report_due(bot_daemon *d, long long now_s)
{
	bot_flood_due *l = NULL;
	char txn[TXN_MAX];
	size_t i, n = 0;
	int rc;

	rc = bot_store_floods_due(d->store, now_s, DUE_MAX, &l, &n);
	for (i = 0; i < n && rc == BOT_STORE_OK; i++) {
		char *key = NULL;
		pol_actions out;

		out.n = 0;
		if (bot_store_room_key_of(d->store, l[i].room_id, &key) != BOT_STORE_OK ||
		    !pol_flood_report(&d->pol, d->structure, key, l[i].user_id, &l[i].f, &out)) {
			free(key);
			continue;
		}
		snprintf(txn, sizeof txn, "flood:%s|%s|%lld", l[i].room_id, l[i].user_id, now_s);
		rc = bot_notice_queue_key(d, out.items[0].notice.room_key, out.items[0].notice.text, txn);
		if (rc == BOT_STORE_OK)
			rc = bot_store_flood_reported(d->store, l[i].room_id, l[i].user_id, now_s);
		free(key);
	}
	bot_floods_due_free(l, n);
	return rc;
}

int bot_flood_housekeeping(bot_daemon *d)
{
	int rc = report_due(d, d->now);

	if (rc == BOT_STORE_OK)
		rc = bot_store_floods_forget(d->store, d->now - KEEP_S);
	return rc;
}
