/* loop.c: the sync loop of DESIGN.md section 5, with the sync long-poll
 * and the sends on the wire side by side (mx_async): a batch is decided
 * and stored in one transaction, with the outbox items it makes, and those
 * go out at once, beside whatever is still travelling. A failure never
 * advances the sync token, so nothing is skipped; an item is stored
 * before it is sent, so nothing is sent twice (same txn id). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "crypto.h"
#include "daemon.h"
#include "structure.h"
#include "memtrim.h"
#include "log.h"
#include "signup.h"
#include "casus.h"
#include "health.h"
#include "metrics.h"
#include "web_intake.h"
#include "stats.h"
#include "matrix/mx_async.h"

#define SYNC_TAG ((uintptr_t)0)   /* outbox ids start at 1 */
/* Rooms whose keys are shared ahead in one turn. */
#define SHARE_AHEAD_ROOMS 4
/* How long one turn waits for an answer before looking at the outbox
 * again (deferred items, retries that came due). */
#define TURN_WAIT_MS 250L
/* How often a quiet bot looks at the website's web.db. */
#define WEB_EVERY_S 3

/* Sleeps ms in short slices so a stop request is honoured quickly. */
static void pause_ms(bot_daemon *d, long ms)
{
	while (ms > 0 && !*d->stop) {
		long slice = ms < 100 ? ms : 100;
		struct timespec ts = { 0, slice * 1000000L };
		nanosleep(&ts, NULL);
		ms -= slice;
	}
}

static long next_backoff(long current, long cap)
{
	long next = current ? current * 2 : 1000;
	return next > cap ? cap : next;
}

/* Handles a failed request. Returns 0 to continue the loop, 1 to stop
 * cleanly (asked to), -1 on a fatal error (already logged). */
static int recover(bot_daemon *d, int rc, const char *what, long *backoff)
{
	const mx_error *e = mx_client_last_error(d->client);

	if (rc == MX_ERR_CANCELLED || *d->stop)
		return 1;
	if (rc == MX_ERR_AUTH)
		return bot_session_renew(d) == 0 ? 0 : -1;
	*backoff = next_backoff(*backoff, d->cfg->retry_max_delay_ms);
	LOG_WARN("%s failed (%s%s%s); trying again in %ld s", what, mx_status_name(rc),
		 e->message[0] ? ": " : "", e->message, *backoff / 1000);
	pause_ms(d, *backoff);
	return 0;
}

/* Returns 0 when the filter is in place, 1 when asked to stop, -1 fatal. */
static int upload_filter(bot_daemon *d)
{
	cJSON *filter = mx_filter_default((int)d->cfg->timeline_limit);
	long backoff = 0;
	int rc, next = -1;

	if (!filter)
		return -1;
	while ((rc = mx_filter_upload(d->client, d->user_id, filter, &d->filter_id)) != MX_OK)
		if ((next = recover(d, rc, "uploading the sync filter", &backoff)) != 0)
			break;
	cJSON_Delete(filter);
	return rc == MX_OK ? 0 : next;
}

static void reload_if_asked(bot_daemon *d)
{
	if (d->reload && *d->reload) {
		*d->reload = 0;
		LOG_INFO("reloading the structure file (SIGHUP)");
		bot_structure_load(d, 0);
	}
}

/* What the batch needs before it can be decided: the gap before it and
 * the keys of its encrypted events. MX_OK or the status that failed. */
static int complete_batch(bot_daemon *d, const char *since, mx_sync_batch *batch, bot_backlog *backlog)
{
	/* A first sync answers no history, so it needs no gap filled. */
	int rc = since ? bot_backlog_fetch(d, batch, backlog) : MX_OK;

	if (rc == MX_OK)
		rc = bot_crypto_prepare(d, batch, backlog);
	return rc;
}

/* After a stored batch: held events it released, then the bulk. */
static void after_batch(bot_daemon *d, bot_backlog *backlog)
{
	bot_crypto_released(d, backlog);
	/* Reminders and counts are bulk: after what is asked. */
	bot_store_outbox_priority(d->store, BOT_PRIO_LOW);
	bot_signup_housekeeping(d);
	bot_stats_housekeeping(d);   /* issue 16: before retention, which it must precede */
	bot_casus_housekeeping(d);
	bot_web_intake_tick(d);
	bot_store_outbox_priority(d->store, BOT_PRIO_NORMAL);
}

/* The stored batch (freed here) is where the next sync starts. 0, or -1
 * out of memory (logged). */
static int advance(char **since, mx_sync_batch *batch, long *backoff)
{
	free(*since);
	*since = strdup(batch->next_batch);
	mx_sync_batch_free(batch);
	if (!*since) {
		LOG_ERROR("out of memory");
		return -1;
	}
	*backoff = 0;
	return 0;
}

/* Room keys of rooms whose members changed go out now, after what was
 * owed and before the next message needs them. A failure is only logged:
 * the rooms stay pending, and a send shares the key itself anyway. */
static void share_ahead(bot_daemon *d)
{
	mx_error err;

	if (!d->e2ee || !mx_e2ee_share_pending(d->e2ee))
		return;
	/* A few rooms a turn: a first build makes many rooms at once, and the
	 * loop must stay quick to answer meanwhile. */
	if (mx_e2ee_share_ahead(d->e2ee, SHARE_AHEAD_ROOMS, &err) != MX_OK)
		LOG_WARN("encryption: sharing room keys ahead failed (%s); the next message shares them",
			 err.message);
}

/* The loop's state between turns. */
typedef struct loop_state {
	char *since;            /* where the next sync starts; NULL: the first */
	int sync_flying;        /* a sync is on the wire */
	long sync_due_ms;       /* no sync before this (after a failure) */
	long outbox_due_ms;     /* no outbox pass before this (after a failure) */
	long backoff;           /* of the sync */
	long outbox_backoff;
	long long web_at;       /* the website's web.db last looked at (the batch clock, s) */
} loop_state;

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A failed request, without waiting here (the other requests go on).
 * Returns 0 to go on with *due_ms set to when to try again, 1 to stop
 * cleanly (asked to), -1 on a fatal error (already logged). */
static int recover_later(bot_daemon *d, int rc, const mx_error *e, const char *what, long *backoff,
			 long *due_ms)
{
	if (rc == MX_ERR_CANCELLED || *d->stop)
		return 1;
	if (rc == MX_ERR_AUTH)
		return bot_session_renew(d) == 0 ? 0 : -1;
	*backoff = next_backoff(*backoff, d->cfg->retry_max_delay_ms);
	if (rc == MX_ERR_RATE_LIMITED && e->retry_after_ms > *backoff)
		*backoff = e->retry_after_ms;
	LOG_WARN("%s failed (%s%s%s); trying again in %ld s", what, mx_status_name(rc),
		 e->message[0] ? ": " : "", e->message, *backoff / 1000);
	*due_ms = mono_ms() + *backoff;
	return 0;
}

/* Decides and stores the batch a sync brought (root, taken over). 0 to
 * go on, 1 to stop, -1 fatal. A failure leaves ls->since as it was, and
 * the same batch is asked for again after a pause. */
static int take_batch(bot_daemon *d, loop_state *ls, cJSON *root)
{
	mx_sync_batch *batch = NULL;
	bot_backlog backlog = { 0 };
	mx_error perr;
	long t_start = mono_ms(), t_parsed, t_decided;
	int rc;

	bot_daemon_tick(d);   /* the batch's time: sync may have waited */
	if (mx_sync_parse(&batch, root, &perr) != MX_OK) {
		ls->backoff = next_backoff(ls->backoff, d->cfg->retry_max_delay_ms);
		LOG_ERROR("the homeserver's sync answer was unusable (%s); trying again in %ld s",
			  perr.message, ls->backoff / 1000);
		ls->sync_due_ms = mono_ms() + ls->backoff;
		return 0;
	}
	if (batch->n_skipped)
		LOG_WARN("ignored %zu malformed event(s) in sync", batch->n_skipped);
	bot_outbox_saw(d, batch);
	rc = complete_batch(d, ls->since, batch, &backlog);
	if (rc != MX_OK) {
		bot_backlog_clear(&backlog);
		mx_sync_batch_free(batch);
		return recover_later(d, rc, mx_client_last_error(d->client), "reading missed or encrypted events",
				     &ls->backoff, &ls->sync_due_ms);
	}
	t_parsed = mono_ms();
	rc = bot_process_batch(d, batch, &backlog, ls->since == NULL);
	t_decided = mono_ms();
	if (rc == 0)
		after_batch(d, &backlog);
	LOG_DEBUG("batch of %zu event(s): made ready in %ld ms, decided in %ld ms, housekeeping %ld ms",
		  batch->n_events, t_parsed - t_start, t_decided - t_parsed, mono_ms() - t_decided);
	bot_backlog_clear(&backlog);
	if (rc != 0) {
		mx_sync_batch_free(batch);
		ls->backoff = next_backoff(ls->backoff, d->cfg->retry_max_delay_ms);
		LOG_ERROR("will try that batch again in %ld s", ls->backoff / 1000);
		ls->sync_due_ms = mono_ms() + ls->backoff;
		return 0;
	}
	bot_health_synced(d);
	{
		size_t n_events = batch->n_events;

		rc = advance(&ls->since, batch, &ls->backoff);
		bot_memtrim_after_batch(n_events);   /* a big batch's pages back */
	}
	return rc;
}

/* Puts the next sync on the wire when none is and it is due. */
static int start_sync(bot_daemon *d, mx_async *a, loop_state *ls)
{
	mx_error err;
	int rc;

	if (ls->sync_flying || mono_ms() < ls->sync_due_ms)
		return 0;
	/* The first sync answers at once: it is the state of every room. */
	rc = mx_async_sync(a, ls->since, d->filter_id, ls->since ? d->cfg->sync_timeout_ms : 0, SYNC_TAG, &err);
	if (rc != MX_OK)
		return recover_later(d, rc, &err, "sync", &ls->backoff, &ls->sync_due_ms);
	ls->sync_flying = 1;
	return 0;
}

/* Sends what is owed and can go now. */
static int pump(bot_daemon *d, mx_async *a, loop_state *ls)
{
	int rc;

	if (mono_ms() < ls->outbox_due_ms)
		return 0;
	rc = bot_outbox_pump(d, a);
	if (rc == MX_OK) {
		ls->outbox_backoff = 0;
		return 0;
	}
	return recover_later(d, rc, mx_client_last_error(d->client), "sending", &ls->outbox_backoff,
			     &ls->outbox_due_ms);
}

/* What came back: a sync's batch, or the answer to a message. */
static int take_answers(bot_daemon *d, mx_async *a, loop_state *ls)
{
	uintptr_t tag;
	cJSON *root = NULL;
	mx_error err;
	int status, rc = 0, renewed = 0;

	while (rc == 0 && mx_async_next(a, &tag, &status, &root, &err)) {
		if (tag != SYNC_TAG) {
			/* Several sends may come back refused for one lost token:
			 * one new login will do. */
			if (bot_outbox_finished(d, tag, status, root, &err) == MX_ERR_AUTH && !renewed++)
				rc = bot_session_renew(d) == 0 ? 0 : -1;
			cJSON_Delete(root);
			continue;
		}
		ls->sync_flying = 0;
		bot_metrics_sync_result(status);
		if (status == MX_OK)
			rc = take_batch(d, ls, root);
		else
			rc = recover_later(d, status, &err, "sync", &ls->backoff, &ls->sync_due_ms);
	}
	return rc;
}

/* One turn of the loop: what is owed on its way, a sync on the wire,
 * room keys shared ahead, then whatever came back: the next batch decided
 * and stored (and what it owes sent in the next turn, beside whatever is
 * still travelling). Returns 0 to go on, 1 to stop cleanly (asked to),
 * -1 on a fatal error (logged). */
static int turn(bot_daemon *d, mx_async *a, loop_state *ls)
{
	long t0 = mono_ms(), t1, t2, t3, t4;
	int rc;

	bot_daemon_tick(d);
	reload_if_asked(d);
	/* The sends first: they reach the homeserver before the next sync,
	 * which it would otherwise work on first. */
	if ((rc = pump(d, a, ls)) != 0 || (rc = start_sync(d, a, ls)) != 0)
		return rc;
	t1 = mono_ms();
	share_ahead(d);
	t2 = mono_ms();
	/* The website's applications and deletions every few seconds, not
	 * only after a batch: a quiet bot gets one per sync_timeout_ms (30 s). */
	if (d->now - ls->web_at >= WEB_EVERY_S || d->now < ls->web_at) {
		ls->web_at = d->now;
		bot_web_intake_tick(d);
	}
	t3 = mono_ms();
	if (mx_async_wait(a, d->outbox_more ? 0 : TURN_WAIT_MS) == MX_ERR_CANCELLED)
		return 1;
	t4 = mono_ms();
	rc = take_answers(d, a, ls);
	/* Where a turn's own time went, when it held the loop up. */
	if (mono_ms() - t4 + (t3 - t0) > 10)
		LOG_DEBUG("turn: pump %ld ms, share %ld ms, web %ld ms, wait %ld ms, answers %ld ms", t1 - t0, t2 - t1,
			  t3 - t2, t4 - t3, mono_ms() - t4);
	return rc;
}

int bot_daemon_run(bot_daemon *d)
{
	loop_state ls;
	mx_async *a = NULL;
	mx_error err;
	int rc, result = -1;

	memset(&ls, 0, sizeof ls);
	d->pol.bot_user_id = d->user_id;
	rc = upload_filter(d);
	if (rc != 0) {
		result = rc > 0 ? 0 : -1;
		goto cleanup;
	}
	if (bot_store_kv_get(d->store, BOT_KV_SYNC_TOKEN, &ls.since) == BOT_STORE_ERR) {
		LOG_ERROR("cannot read the sync position: %s", bot_store_errmsg(d->store));
		goto cleanup;
	}
	if (mx_async_new(&a, d->client, 0, &err) != MX_OK) {
		LOG_ERROR("cannot start the requests: %s", err.message);
		goto cleanup;
	}
	LOG_INFO(ls.since ? "resuming where the last run stopped" : "first start: catching up without answering old messages");

	while (!*d->stop) {
		rc = turn(d, a, &ls);
		if (rc < 0)
			goto cleanup;
		if (rc > 0)
			break;
	}
	result = 0;
	LOG_INFO("stopped");
cleanup:
	/* What is still on the wire stays pending: sent again next start. */
	mx_async_free(a);
	bot_outbox_forget_flying();
	free(ls.since);
	return result;
}
