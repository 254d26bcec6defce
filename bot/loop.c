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
		cJSON *root = NULL;
		mx_sync_batch *batch = NULL;
		bot_backlog backlog = { 0 };
		mx_error perr;

		bot_daemon_tick(d);
		if (d->reload && *d->reload) {
			*d->reload = 0;
			LOG_INFO("reloading the structure file (SIGHUP)");
			bot_structure_load(d, 0);
		}
		rc = bot_outbox_flush(d);
		if (rc != MX_OK) {
			int next = recover(d, rc, "sending", &backoff);
			if (next < 0)
				goto cleanup;
			if (next > 0)
				break;
			continue;
		}
		/* With items left by a flush that yielded, only ask what is new. */
		rc = mx_sync(d->client, since, d->filter_id, since && !d->outbox_more ? d->cfg->sync_timeout_ms : 0,
			     &root);
		if (rc != MX_OK) {
			int next = recover(d, rc, "sync", &backoff);
			if (next < 0)
				goto cleanup;
			if (next > 0)
				break;
			continue;
		}
		bot_daemon_tick(d);   /* the batch's time: sync may have waited */
		if (mx_sync_parse(&batch, root, &perr) != MX_OK) {
			backoff = next_backoff(backoff, d->cfg->retry_max_delay_ms);
			LOG_ERROR("the homeserver's sync answer was unusable (%s); trying again in %ld s",
				  perr.message, backoff / 1000);
			pause_ms(d, backoff);
			continue;
		}
		if (batch->n_skipped)
			LOG_WARN("ignored %zu malformed event(s) in sync", batch->n_skipped);
		/* A first sync answers no history, so it needs no gap filled. */
		rc = since ? bot_backlog_fetch(d, batch, &backlog) : MX_OK;
		if (rc == MX_OK)
			rc = bot_crypto_prepare(d, batch, &backlog);
		if (rc != MX_OK) {
			int next;

			bot_backlog_clear(&backlog);
			mx_sync_batch_free(batch);
			next = recover(d, rc, "reading missed or encrypted events", &backoff);
			if (next < 0)
				goto cleanup;
			if (next > 0)
				break;
			continue;
		}
		rc = bot_process_batch(d, batch, &backlog, since == NULL);
		if (rc == 0) {
			bot_crypto_released(d, &backlog);
			/* Reminders and counts are bulk: after what is asked. */
			bot_store_outbox_priority(d->store, BOT_PRIO_LOW);
			bot_signup_housekeeping(d);
			bot_casus_housekeeping(d);
			bot_store_outbox_priority(d->store, BOT_PRIO_NORMAL);
		}
		bot_backlog_clear(&backlog);
		if (rc != 0) {
			mx_sync_batch_free(batch);
			backoff = next_backoff(backoff, d->cfg->retry_max_delay_ms);
			LOG_ERROR("will try that batch again in %ld s", backoff / 1000);
			pause_ms(d, backoff);
			continue;
		}
		free(since);
		since = strdup(batch->next_batch);
		mx_sync_batch_free(batch);
		if (!since) {
			LOG_ERROR("out of memory");
			goto cleanup;
		}
		backoff = 0;
	}
	result = 0;
	LOG_INFO("stopped");
cleanup:
	free(since);
	return result;
}
