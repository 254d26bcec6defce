/* casus_list.c: the afloop in every room a casus reached, !casus, and the
 * housekeeping (reminders, expiry, retention). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casus_int.h"
#include "queue.h"
#include "flood.h"
#include "log.h"
#include "when.h"
#include "policy/pol_buf.h"
#include "policy/pol_housekeeping.h"

/* ---- afloop ---- */

/* Posts text in every room casus nr reached, in its thread there; with
 * with_houder naming the casushouder of each room under it. */
static int to_every_room(bot_daemon *d, long long nr, const char *text, const char *tag, int with_houder,
			 size_t *count)
{
	bot_casus_room *l = NULL;
	char txn[TXN_MAX], line[POL_TEXT_MAX], houder[400];
	pol_buf b;
	size_t i, n = 0;
	int rc;

	rc = bot_store_casus_rooms(d->store, nr, BOT_CASUS_ROOMS_ALL, &l, &n);
	for (i = 0; i < n && rc == BOT_STORE_OK; i++) {
		if (!l[i].room_id)
			continue;
		snprintf(line, sizeof line, "%s", text);
		if (with_houder && l[i].casushouder) {
			pol_textf(houder, sizeof houder, d->pol.lang, POL_TXT_AFLOOP_HOUDER, l[i].casushouder);
			pol_buf_init_at_end(&b, line, sizeof line);
			pol_buf_printf(&b, "\n%s", houder);
		}
		snprintf(txn, sizeof txn, "%s:%lld:%s", tag, nr, l[i].room_id);
		rc = bot_notice_queue(d, l[i].room_id, line, l[i].root_event, l[i].root_event, txn);
	}
	if (count)
		*count = n;
	bot_casus_rooms_free(l, n);
	return rc;
}

int casus_close(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX], quoted[POL_TEXT_MAX / 2], part[200] = "";
	size_t rooms = 0;
	int rc;

	if (a->close.uitkomst[0])
		snprintf(part, sizeof part, " (%s)", a->close.uitkomst);
	/* The casushouder's words go out under the bot's name without an
	 * approval: quoted, they can never pass for the bot's own lines. */
	pol_quote_lines(a->close.afloop, quoted, sizeof quoted);
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_AFLOOP_TEXT, a->close.nr, part, quoted);
	rc = bot_store_casus_close(d->store, a->close.nr, a->close.uitkomst[0] ? a->close.uitkomst : "onbekend",
				   a->close.afloop);
	if (rc == BOT_STORE_OK)
		rc = to_every_room(d, a->close.nr, text, "afloop", 1, &rooms);
	if (rc == BOT_STORE_OK) {
		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_AFLOOP_DONE, a->close.nr, rooms);
		rc = bot_notice_queue(d, in->room_id, text, a->reply_to, a->thread_root, txn);
		LOG_INFO("casus %lld closed", a->close.nr);
	}
	return rc;
}

/* ---- !casus ---- */

/* Who is casushouder of casus nr where: "@anna (Wijkgroep Noord, Wijkgroep
 * Zuid); @jan (Wijkgroep Noord)", for a room the casus has no casushouder
 * in (a stuurgroep room where a police message came in); "-" for none.
 * A BOT_STORE_ status. */
static int houders_text(bot_daemon *d, long long nr, char *buf, size_t size)
{
	bot_casus_room *l = NULL;
	pol_buf out;
	size_t i, j, n = 0;
	int rc;

	pol_buf_init(&out, buf, size);
	rc = bot_store_casus_rooms(d->store, nr, BOT_CASUS_ROOMS_BY_HOUDER, &l, &n);
	for (i = 0; i < n; i = j) {
		const char *h = l[i].casushouder;

		pol_buf_printf(&out, "%s%s (", pol_buf_len(&out) ? "; " : "", h ? h : "?");
		for (j = i; j < n && l[j].casushouder && h && strcmp(l[j].casushouder, h) == 0; j++)
			pol_buf_printf(&out, "%s%s", j > i ? ", " : "", casus_room_name(d, l[j].room_id ? l[j].room_id : ""));
		if (j == i)
			j++;
		pol_buf_add(&out, ")");
	}
	bot_casus_rooms_free(l, n);
	if (!buf[0])
		snprintf(buf, size, "-");
	return rc;
}

/* Whether asker may see casus nr (pol_casus_visible for any room it
 * reached); asker NULL sees all. *yes 0 on error. */
static int visible(bot_daemon *d, long long nr, const char *asker, int *yes)
{
	bot_casus_room *l = NULL;
	size_t i, n = 0;
	int rc = BOT_STORE_OK;

	*yes = !asker;
	if (!asker)
		return BOT_STORE_OK;
	rc = bot_store_casus_rooms(d->store, nr, BOT_CASUS_ROOMS_ALL, &l, &n);
	for (i = 0; i < n && !*yes && rc == BOT_STORE_OK; i++) {
		char *key = NULL;

		rc = l[i].room_id ? bot_store_room_key_of(d->store, l[i].room_id, &key) : BOT_STORE_NOT_FOUND;
		if (rc == BOT_STORE_OK)
			*yes = pol_casus_visible(d->structure, asker, key);
		if (rc == BOT_STORE_NOT_FOUND)
			rc = BOT_STORE_OK;
		free(key);
	}
	bot_casus_rooms_free(l, n);
	if (rc != BOT_STORE_OK)
		*yes = 0;
	return rc;
}

/* The !casus line of c (when asker may see it) after the lines in out;
 * *listed counts it. A BOT_STORE_ status. */
static int list_line(bot_daemon *d, const bot_casus_summary *c, const char *asker, pol_buf *out, size_t *listed)
{
	char line[1200], when[16], houders[700];
	const char *st = c->status ? c->status : "";
	int rc, yes = 0;

	rc = visible(d, c->nr, asker, &yes);
	if (rc != BOT_STORE_OK || !yes)
		return rc;
	bot_when_time(c->opened, when, sizeof when);
	/* The casushouder in the room asked in; elsewhere every room's. */
	if (c->houder_here)
		snprintf(houders, sizeof houders, "%s", c->houder_here);
	else if ((rc = houders_text(d, c->nr, houders, sizeof houders)) != BOT_STORE_OK)
		return rc;
	pol_textf(line, sizeof line, d->pol.lang, POL_TXT_CASUS_LINE, c->nr,
		  casus_room_name(d, c->origin_room ? c->origin_room : ""), when,
		  pol_text(d->pol.lang, strcmp(st, "open") == 0 ? POL_TXT_STATUS_OPEN :
				strcmp(st, "closed") == 0 ? POL_TXT_STATUS_CLOSED : POL_TXT_STATUS_EXPIRED),
		  houders, c->n_rooms);
	pol_buf_add_sep(out, "\n", line);
	(*listed)++;
	return BOT_STORE_OK;
}

int casus_list(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX] = "", body[POL_TEXT_MAX] = "";
	const char *asker = a->casus.sees_all ? NULL : in->sender;
	bot_casus_summary *list = NULL;
	size_t i, n = 0, listed = 0;
	pol_buf b;
	int rc;

	pol_buf_init(&b, body, sizeof body);
	rc = bot_store_casus_list(d->store, in->room_id, a->casus.nr > 0 ? a->casus.nr : 0, &list, &n);
	for (i = 0; i < n && rc == BOT_STORE_OK; i++)
		rc = list_line(d, &list[i], asker, &b, &listed);
	bot_casus_summaries_free(list, n);
	if (rc != BOT_STORE_OK)
		return rc;
	if (a->casus.nr > 0) {
		if (!listed)
			pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_UNKNOWN, a->casus.nr);
		else
			snprintf(text, sizeof text, "%s", body);
	} else if (!listed) {
		snprintf(text, sizeof text, "%s", pol_text(d->pol.lang, POL_TXT_CASUS_NONE));
	} else {
		pol_buf t;

		pol_textf(text, sizeof text, d->pol.lang, POL_TXT_CASUS_HEADER, listed);
		pol_buf_init_at_end(&t, text, sizeof text);
		pol_buf_add(&t, "\n");
		pol_buf_add(&t, body);   /* a very long list is cut */
	}
	return bot_notice_queue(d, in->room_id, text, a->reply_to, a->thread_root, txn);
}

/* ---- reminders, expiry, retention ---- */

#define HK_OPEN_MAX 512   /* open casussen looked at per pass, the longest open first */
#define HK_PLANS_MAX 256  /* plans carried out per pass; the rest waits a minute */

/* Carries out a reminder: in the casus's thread in its origin room, and
 * to the stuurgroep of its origin wijkgroep. */
static int remind(bot_daemon *d, const pol_hk_remind *p, const bot_casus_open *c)
{
	char txn[TXN_MAX];
	int rc;

	rc = bot_store_casus_reminded(d->store, p->nr);
	snprintf(txn, sizeof txn, "casus-reminder:%lld", p->nr);
	if (rc == BOT_STORE_OK && c->origin_room)
		rc = bot_notice_queue(d, c->origin_room, p->text, c->origin_event, c->origin_event, txn);
	if (rc == BOT_STORE_OK && c->origin_room && p->sg_key[0]) {
		pol_buf t;

		pol_buf_init_at_end(&t, txn, sizeof txn);
		pol_buf_add(&t, ":sg");
		rc = bot_notice_queue_key(d, p->sg_key, p->text, txn);
	}
	return rc;
}

/* The snapshot's view of the open casussen in open (keys owned by keys,
 * which the caller frees). A BOT_STORE_ status. */
static int snapshot_of(bot_daemon *d, const bot_casus_open *open, size_t n, pol_hk_casus *view, char **keys)
{
	size_t i;
	int rc = BOT_STORE_OK;

	for (i = 0; i < n && rc == BOT_STORE_OK; i++) {
		view[i].nr = open[i].nr;
		view[i].opened = open[i].opened;
		view[i].reminded = open[i].reminded;
		rc = open[i].origin_room ? bot_store_room_key_of(d->store, open[i].origin_room, &keys[i]) :
					   BOT_STORE_NOT_FOUND;
		view[i].origin_key = keys[i];
		if (rc == BOT_STORE_NOT_FOUND)
			rc = BOT_STORE_OK;
	}
	return rc;
}

/* Gathers the open casussen, lets policy decide (pol_housekeeping) and
 * carries out its plans. */
static int remind_and_expire(bot_daemon *d)
{
	bot_casus_open *open = NULL;
	pol_hk_casus *view = NULL;
	pol_hk_plan *plans = NULL;
	pol_hk_snapshot snap;
	char **keys = NULL;
	size_t i, n = 0, n_plans = 0;
	int rc;

	rc = bot_store_casus_open_list(d->store, HK_OPEN_MAX, &open, &n);
	if (rc != BOT_STORE_OK || n == 0)
		goto cleanup;
	view = calloc(n, sizeof *view);
	keys = calloc(n, sizeof *keys);
	plans = calloc(HK_PLANS_MAX, sizeof *plans);
	if (!view || !keys || !plans) {
		rc = bot_store_oom(d->store, "casus housekeeping");
		goto cleanup;
	}
	rc = snapshot_of(d, open, n, view, keys);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	memset(&snap, 0, sizeof snap);
	snap.casussen = view;
	snap.n = n;
	snap.reminder_hours = d->cfg->casus_reminder_hours;
	snap.expiry_hours = d->cfg->casus_expiry_hours;
	snap.now = d->now;
	snap.lang = d->pol.lang;
	snap.structure = d->structure;
	n_plans = pol_housekeeping(&snap, plans, HK_PLANS_MAX);
	for (i = 0; i < n_plans && rc == BOT_STORE_OK; i++) {
		const pol_hk_plan *p = &plans[i];

		if (p->kind == POL_HK_EXPIRE) {
			rc = bot_store_casus_expire(d->store, p->u.expire.nr);
			if (rc == BOT_STORE_OK)
				rc = to_every_room(d, p->u.expire.nr, p->u.expire.text, "expired", 0, NULL);
			LOG_INFO("casus %lld expired without afloop", p->u.expire.nr);
		} else if (p->kind == POL_HK_REMIND) {
			rc = remind(d, &p->u.remind, &open[p->u.remind.index]);
		}
	}
cleanup:
	for (i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
	free(view);
	free(plans);
	bot_casus_open_free(open, n);
	return rc;
}

void bot_casus_housekeeping(bot_daemon *d)
{
	int rc;

	if (d->now - d->casus_swept_at < 60 || !d->structure)
		return;
	d->casus_swept_at = d->now;
	if (bot_store_begin(d->store) != BOT_STORE_OK)
		return;
	rc = remind_and_expire(d);
	/* After the retention time only anonymous counts remain. */
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_retention(d->store, (long long)d->cfg->casus_retention_days * 86400);
	if (rc == BOT_STORE_OK)
		rc = bot_flood_housekeeping(d);
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_WARN("casus housekeeping failed: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
	}
}
