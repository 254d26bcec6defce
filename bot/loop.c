/* loop.c: the sync loop of DESIGN.md section 5: send what is owed, fetch
 * the next batch, decide and store it in one transaction, repeat. A
 * failure never advances the sync token, so nothing is skipped. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "crypto.h"
#include "daemon.h"
#include "structure.h"
#include "log.h"
#include "signup.h"
#include "casus.h"

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

/* Asks the homeserver what came after since (NULL: the first sync).
 * Returns 0 with *out set, the caller's to free; otherwise *out is NULL
 * and the return is recover()'s: 0 to go on, 1 to stop, -1 fatal. */
static int fetch_batch(bot_daemon *d, const char *since, mx_sync_batch **out, long *backoff)
{
	cJSON *root = NULL;
	mx_error perr;
	int rc;

	*out = NULL;
	/* With items left by a flush that yielded, only ask what is new. */
	rc = mx_sync(d->client, since, d->filter_id, since && !d->outbox_more ? d->cfg->sync_timeout_ms : 0,
		     &root);
	if (rc != MX_OK)
		return recover(d, rc, "sync", backoff);
	bot_daemon_tick(d);   /* the batch's time: sync may have waited */
	if (mx_sync_parse(out, root, &perr) != MX_OK) {
		*out = NULL;
		*backoff = next_backoff(*backoff, d->cfg->retry_max_delay_ms);
		LOG_ERROR("the homeserver's sync answer was unusable (%s); trying again in %ld s",
			  perr.message, *backoff / 1000);
		pause_ms(d, *backoff);
		return 0;
	}
	if ((*out)->n_skipped)
		LOG_WARN("ignored %zu malformed event(s) in sync", (*out)->n_skipped);
	return 0;
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
	bot_casus_housekeeping(d);
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
	if (mx_e2ee_share_ahead(d->e2ee, &err) != MX_OK)
		LOG_WARN("encryption: sharing room keys ahead failed (%s); the next message shares them",
			 err.message);
}

/* One turn of the loop: send what is owed, fetch the next batch, decide
 * and store it, move *since past it. A failure leaves *since as it was.
 * Returns 0 to go on, 1 to stop cleanly (asked to), -1 on a fatal error
 * (logged). */
static int run_once(bot_daemon *d, char **since, long *backoff)
{
	mx_sync_batch *batch = NULL;
	bot_backlog backlog = { 0 };
	int rc;

	bot_daemon_tick(d);
	reload_if_asked(d);
	rc = bot_outbox_flush(d);
	if (rc != MX_OK)
		return recover(d, rc, "sending", backoff);
	share_ahead(d);
	rc = fetch_batch(d, *since, &batch, backoff);
	if (!batch)
		return rc;
	rc = complete_batch(d, *since, batch, &backlog);
	if (rc != MX_OK) {
		bot_backlog_clear(&backlog);
		mx_sync_batch_free(batch);
		return recover(d, rc, "reading missed or encrypted events", backoff);
	}
	rc = bot_process_batch(d, batch, &backlog, *since == NULL);
	if (rc == 0)
		after_batch(d, &backlog);
	bot_backlog_clear(&backlog);
	if (rc != 0) {
		mx_sync_batch_free(batch);
		*backoff = next_backoff(*backoff, d->cfg->retry_max_delay_ms);
		LOG_ERROR("will try that batch again in %ld s", *backoff / 1000);
		pause_ms(d, *backoff);
		return 0;
	}
	return advance(since, batch, backoff);
}

int bot_daemon_run(bot_daemon *d)
{
	char *since = NULL;
	long backoff = 0;
	int rc, result = -1;

	d->pol.bot_user_id = d->user_id;
	rc = upload_filter(d);
	if (rc != 0) {
		result = rc > 0 ? 0 : -1;
		goto cleanup;
	}
	if (bot_store_kv_get(d->store, BOT_KV_SYNC_TOKEN, &since) == BOT_STORE_ERR) {
		LOG_ERROR("cannot read the sync position: %s", bot_store_errmsg(d->store));
		goto cleanup;
	}
	LOG_INFO(since ? "resuming where the last run stopped" : "first start: catching up without answering old messages");

	while (!*d->stop) {
		rc = run_once(d, &since, &backoff);
		if (rc < 0)
			goto cleanup;
		if (rc > 0)
			break;
	}
	result = 0;
	LOG_INFO("stopped");
cleanup:
	free(since);
	return result;
}
