/* signup.c: see signup.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "queue.h"
#include "log.h"
#include "when.h"
#include "registry.h"
#include "signup.h"
#include "signup_store.h"
#include "policy/pol_aanmelding.h"
#include "policy/pol_signup_remind.h"
#include "policy/pol_signup_text.h"

#define TXN_MAX 1400

/* ---- what the rules know ---- */

int bot_signup_state(bot_daemon *d, const char *user, pol_signup_state *out)
{
	char *state = NULL;
	bot_application app;
	bot_resident res;
	int rc;

	memset(out, 0, sizeof *out);
	rc = bot_intake_get(d->store, user, &state, NULL);
	if (rc == BOT_STORE_ERR)
		return -1;
	if (rc == BOT_STORE_OK && strlen(state) < sizeof out->intake_json) {
		out->has_intake = 1;
		memcpy(out->intake_json, state, strlen(state) + 1);
	}
	free(state);
	rc = bot_app_pending_of(d->store, user, &app);
	if (rc == BOT_STORE_ERR)
		return -1;
	if (rc == BOT_STORE_OK)
		out->pending_nr = app.nr;
	bot_app_clear(&app);
	rc = bot_resident_get(d->store, user, &res);
	if (rc == BOT_STORE_ERR)
		return -1;
	if (rc == BOT_STORE_OK) {
		snprintf(out->resident_key, sizeof out->resident_key, "%s", res.wijkgroep);
		snprintf(out->spelregels_accepted, sizeof out->spelregels_accepted, "%s",
			 res.spelregels ? res.spelregels : "");
	}
	bot_resident_clear(&res);
	return 0;
}

int bot_signup_application(bot_daemon *d, long long nr, pol_application *out)
{
	bot_application app;
	pol_intake it;

	memset(out, 0, sizeof *out);
	if (bot_app_get(d->store, nr, &app) != BOT_STORE_OK)
		return -1;
	out->nr = app.nr;
	snprintf(out->user, sizeof out->user, "%.255s", app.user);
	snprintf(out->wijkgroep_key, sizeof out->wijkgroep_key, "%.100s", app.wijkgroep);
	snprintf(out->dm_room, sizeof out->dm_room, "%.255s", app.room_id);
	snprintf(out->state, sizeof out->state, "%.15s", app.state);
	if (pol_intake_from_json(&it, app.data) == 0)
		snprintf(out->buurt, sizeof out->buurt, "%.128s", it.buurt);
	bot_app_clear(&app);
	return 0;
}

/* ---- the actions ---- */

static void txn_of(char *buf, size_t size, const char *base, size_t index, const char *sub)
{
	snprintf(buf, size, "%s|%zu%s%s", base, index, sub ? "." : "", sub ? sub : "");
}

/* A complete intake becomes an application; the stuurgroep of its
 * wijkgroep is told (policy words it: pol_app_notice). */
static int apply(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX], sgk[POL_STRUCT_MAX_KEY + 16];
	int64_t nr;
	int rc;

	(void)in;
	/* Checked before anything is filed: the same call with a number below. */
	if (pol_app_notice(d->pol.lang, d->structure, a->intake.room_key, a->intake.json, 0, sgk, sizeof sgk, text,
			   sizeof text) != 0) {
		LOG_WARN("an application for %s could not be filed", a->intake.room_key);
		return BOT_STORE_OK;
	}
	rc = bot_app_add(d->store, a->intake.user, a->room_id, a->intake.room_key, a->intake.json, &nr);
	if (rc == BOT_STORE_OK)
		rc = bot_intake_delete(d->store, a->intake.user);
	if (rc != BOT_STORE_OK)
		return rc;
	pol_app_notice(d->pol.lang, d->structure, a->intake.room_key, a->intake.json, (long long)nr, sgk, sizeof sgk,
		       text, sizeof text);
	LOG_INFO("application %" PRId64 " for %s filed", nr, a->intake.room_key);
	rc = bot_notice_queue_key(d, sgk, text, txn);
	/* It names them: !vergeetmij takes it back. */
	return rc == BOT_STORE_OK ? bot_store_outbox_names(d->store, txn, a->intake.user) : rc;
}

static int app_decide(bot_daemon *d, const pol_input *in, const pol_action *a)
{
	bot_application app;
	pol_intake it;
	int rc = bot_app_decide(d->store, a->decide.nr, a->decide.state, in->sender);

	if (rc != BOT_STORE_OK || strcmp(a->decide.state, "admitted") != 0)
		return rc;
	/* What the applicant gave goes with them into the registry. */
	rc = bot_app_get(d->store, a->decide.nr, &app);
	if (rc == BOT_STORE_OK && pol_intake_from_json(&it, app.data) == 0)
		rc = bot_resident_set_data(d->store, app.user, app.data, it.spelregels_version);
	bot_app_clear(&app);
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
}

typedef struct redactions {
	bot_daemon *d;
	const char *txn_base;
	size_t index, n;
	pol_text_id reason;
} redactions;

/* Queues the redaction of one of the bot's messages that named them. */
static int redact_named(void *ctx, const char *room_id, const char *event_id)
{
	redactions *r = ctx;
	char txn[TXN_MAX], sub[32], *json;
	cJSON *c = cJSON_CreateObject();
	int rc;

	cJSON_AddStringToObject(c, "event", event_id);
	cJSON_AddStringToObject(c, "reason", pol_text(r->d->pol.lang, r->reason));
	json = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	snprintf(sub, sizeof sub, "redact%zu", r->n++);
	txn_of(txn, sizeof txn, r->txn_base, r->index, sub);
	rc = json ? bot_store_outbox_add(r->d->store, BOT_OUT_REDACT, txn, room_id, NULL, json) : BOT_STORE_ERR;
	free(json);
	return rc != BOT_STORE_OK;
}

/* A forgetting as the plan says (pol_forget_plan): out of every room of
 * the structure where they are (not banned: they may sign up again), the
 * bot's messages that named them (the application notice, answers to
 * !aanmeldingen and !mijngegevens) redacted, every personal detail deleted. */
static int forget(bot_daemon *d, const pol_forget_plan *a, const char *txn_base, size_t index)
{
	redactions red = { d, txn_base, index, 0, POL_TXT_FORGET_REDACT_REASON };
	char txn[TXN_MAX], sub[32];
	size_t i;
	int rc = BOT_STORE_OK;

	for (i = 0; a->leaves_every_room && d->structure && i < pol_structure_n_rooms(d->structure) &&
		    rc == BOT_STORE_OK; i++) {
		char *room_id = NULL;
		int in_room = 0;

		rc = bot_store_room_get(d->store, pol_structure_room(d->structure, i)->key, &room_id);
		if (rc == BOT_STORE_NOT_FOUND) {
			rc = BOT_STORE_OK;   /* not made yet: nobody to remove there */
			continue;
		}
		if (rc != BOT_STORE_OK)
			break;   /* never forget someone while a room they may be in is unknown */
		if (bot_reg_member_is(d->store, room_id, a->user, &in_room) != BOT_STORE_OK)
			rc = BOT_STORE_ERR;
		else if (in_room) {
			snprintf(sub, sizeof sub, "forget%zu", i);
			txn_of(txn, sizeof txn, txn_base, index, sub);
			rc = bot_kick_queue(d, room_id, a->user, NULL, txn);
		}
		free(room_id);
	}
	if (rc == BOT_STORE_OK && a->takes_back_named)
		rc = bot_store_outbox_named_take(d->store, a->user, redact_named, &red);
	if (rc == BOT_STORE_OK && a->deletes_data)
		rc = bot_signup_forget(d->store, a->user);
	if (rc == BOT_STORE_OK)
		LOG_INFO("a resident asked to be forgotten; their data is deleted, %zu message(s) naming them "
			 "are taken back", red.n);
	return rc;
}

/* !mijngegevens: everything the store holds about the sender, worded by
 * policy (pol_mydata_text). */
static int mydata(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn)
{
	char text[POL_TEXT_MAX] = "", since[32] = "", app_since[32] = "", *state = NULL;
	bot_resident res;
	bot_application app;
	pol_mydata m;
	int found, rc;

	memset(&m, 0, sizeof m);
	memset(&res, 0, sizeof res);
	memset(&app, 0, sizeof app);
	rc = bot_resident_get(d->store, in->sender, &res);
	if (rc == BOT_STORE_ERR)
		return rc;
	if (rc == BOT_STORE_OK) {
		bot_when_date(res.since, since, sizeof since);
		m.resident = 1;
		m.wijkgroep_key = res.wijkgroep;
		m.buurt = res.buurt;
		m.since = since;
		m.admitted_by = res.admitted_by;
		m.spelregels = res.spelregels;
		m.resident_data = res.data;
	}
	rc = bot_app_pending_of(d->store, in->sender, &app);
	if (rc == BOT_STORE_OK) {
		bot_when_date(app.created, app_since, sizeof app_since);
		m.application = 1;
		m.app_nr = app.nr;
		m.app_state = app.state;
		m.app_since = app_since;
		m.app_data = app.data;
	}
	if (rc != BOT_STORE_ERR)
		rc = bot_intake_get(d->store, in->sender, &state, NULL);
	if (rc != BOT_STORE_ERR) {
		m.intake = rc == BOT_STORE_OK ? state : NULL;
		found = pol_mydata_text(d->pol.lang, d->structure, &m, text, sizeof text);
		rc = bot_notice_queue(d, a->room_id, text, a->reply_to, a->thread_root, txn);
		/* An answer that names them: !vergeetmij takes it back. */
		if (rc == BOT_STORE_OK && found)
			rc = bot_store_outbox_names(d->store, txn, in->sender);
	}
	free(state);
	bot_app_clear(&app);
	bot_resident_clear(&res);
	return rc;
}

/* ---- !aanmeldingen ---- */

#define APPS_MAX 30

/* The open applications (and those admitted but waiting for a place) of
 * the wijkgroepen the stuurgroep of a->answer.room_key manages. The answer names
 * them, so it is linked to each of them for !vergeetmij. */
static int applications(bot_daemon *d, const pol_action *a, const char *txn)
{
	const pol_room *room = d->structure ? pol_structure_room_by_key(d->structure, a->answer.room_key) : NULL;
	const pol_stuurgroep *sg = room && room->kind == POL_ROOM_STUURGROEP ? room->stuurgroep : NULL;
	pol_application_line lines[APPS_MAX];
	pol_intake it[APPS_MAX];
	char since[APPS_MAX][32], key[POL_STRUCT_MAX_KEY + 16], *text = NULL;
	bot_application *apps[APPS_MAX];
	size_t n_apps[APPS_MAX], taken = 0, n_wg = 0;
	size_t i, k, n = 0;
	int rc = BOT_STORE_OK;

	if (!sg)
		return BOT_STORE_OK;
	for (i = 0; i < sg->n_beheert && rc == BOT_STORE_OK && taken < APPS_MAX; i++) {
		snprintf(key, sizeof key, "wijkgroep:%s", sg->beheert[i]->id);
		rc = bot_app_list_pending(d->store, key, APPS_MAX - taken, &apps[n_wg], &n_apps[n_wg]);
		if (rc != BOT_STORE_OK)
			break;
		taken += n_apps[n_wg];
		for (k = 0; k < n_apps[n_wg]; k++) {
			const bot_application *ap = &apps[n_wg][k];

			if (pol_intake_from_json(&it[n], ap->data) != 0)
				continue;
			bot_when_date(ap->created, since[n], sizeof since[n]);
			lines[n].nr = ap->nr;
			lines[n].name = it[n].name;
			lines[n].buurt = it[n].buurt[0] ? it[n].buurt : "-";
			lines[n].wijkgroep = sg->beheert[i]->naam;
			lines[n].since = since[n];
			lines[n].waiting = strcmp(ap->state, "waiting") == 0;
			n++;
		}
		n_wg++;
	}
	text = rc == BOT_STORE_OK ? malloc(POL_TEXT_MAX) : NULL;
	if (rc == BOT_STORE_OK && !text)
		rc = BOT_STORE_ERR;
	if (rc == BOT_STORE_OK) {
		pol_applications_text(d->pol.lang, sg, lines, n, text, POL_TEXT_MAX);
		rc = bot_notice_queue(d, a->room_id, text, a->reply_to, a->thread_root, txn);
	}
	for (i = 0; i < n_wg; i++) {
		for (k = 0; k < n_apps[i] && rc == BOT_STORE_OK; k++)
			rc = bot_store_outbox_names(d->store, txn, apps[i][k].user);
		bot_app_list_free(apps[i], n_apps[i]);
	}
	free(text);
	return rc;
}

int bot_signup_action(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base,
		      size_t index)
{
	char txn[TXN_MAX], content[600];
	cJSON *c;
	char *json;
	int rc;

	txn_of(txn, sizeof txn, txn_base, index, NULL);
	switch (a->kind) {
	case POL_ACT_OPEN_DM:
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "user", a->person.user);
		json = cJSON_PrintUnformatted(c);
		cJSON_Delete(c);
		if (!json)
			return BOT_STORE_ERR;
		snprintf(content, sizeof content, "%s", json);
		free(json);
		/* The chat does not exist yet: the outbox row names the user as its room. */
		return bot_store_outbox_add(d->store, BOT_OUT_DM, txn, a->person.user, NULL, content);
	case POL_ACT_INTAKE_SAVE:
		return bot_intake_put(d->store, a->intake.user, a->room_id, a->intake.json);
	case POL_ACT_INTAKE_DELETE:
		return bot_intake_delete(d->store, a->person.user);
	case POL_ACT_APPLY:
		return apply(d, in, a, txn);
	case POL_ACT_APP_DECIDE:
		return app_decide(d, in, a);
	case POL_ACT_MYDATA:
		return mydata(d, in, a, txn);
	case POL_ACT_APPLICATIONS:
		return applications(d, a, txn);
	case POL_ACT_FORGET:
		return forget(d, &a->forget, txn_base, index);
	case POL_ACT_SPELREGELS_OK:
		rc = bot_resident_set_data(d->store, a->spelregels.user, NULL, a->spelregels.version);
		return rc;
	default:
		return BOT_STORE_OK;
	}
}

/* ---- periodic duties ---- */

/* Carries out policy's word on open application nr (pol_app_reminder). */
static int remind(void *ctx, int64_t nr, const char *wg_key, int64_t created)
{
	bot_daemon *d = ctx;
	pol_app_open app = { (long long)nr, wg_key, (long long)created };
	pol_remind_plan *p = malloc(sizeof *p);
	char txn[64];
	int rc = BOT_STORE_OK;

	if (!p)
		return 1;
	pol_app_reminder(d->pol.lang, d->structure, d->cfg->application_reminder_hours, d->now, &app, p);
	snprintf(txn, sizeof txn, "app-reminder:%" PRId64, nr);
	if (p->kind == POL_REMIND_SEND)
		rc = bot_notice_queue_key(d, p->room_key, p->text, txn);
	if (rc == BOT_STORE_OK && p->kind != POL_REMIND_NOT_YET)
		rc = bot_app_set_reminded(d->store, nr);
	free(p);
	return rc == BOT_STORE_OK ? 0 : 1;
}

/* A rejected application leaves the store after the retention time; the
 * bot's messages that named the applicant (the notice with name and
 * phone) go from the rooms with it, unless they applied again or live in
 * a wijkgroep now (then those messages are theirs to !vergeetmij). */
static int take_back_rejected(bot_daemon *d, int64_t age_s)
{
	bot_app_ref *r = NULL;
	char base[64];
	size_t i, n = 0;
	int rc;

	/* All or nothing: the purge that follows deletes every one of them. */
	rc = bot_app_rejected_due(d->store, age_s, &r, &n);
	for (i = 0; i < n && rc == BOT_STORE_OK; i++) {
		redactions red = { d, base, 0, 0, POL_TXT_PURGE_REDACT_REASON };

		/* Named after the last application: its redactions are queued once. */
		snprintf(base, sizeof base, "purge:%" PRId64, r[i].nr);
		rc = bot_store_outbox_named_take(d->store, r[i].user, redact_named, &red);
	}
	bot_app_refs_free(r, n);
	return rc;
}

void bot_signup_housekeeping(bot_daemon *d)
{
	long deleted = 0;
	int rc;

	if (d->now - d->signup_swept_at < 60)
		return;
	d->signup_swept_at = d->now;
	if (bot_store_begin(d->store) != BOT_STORE_OK)
		return;
	rc = bot_app_each_unreminded(d->store, remind, d);
	if (rc == BOT_STORE_OK)
		rc = take_back_rejected(d, (int64_t)d->cfg->retention_days * 86400);
	if (rc == BOT_STORE_OK)
		rc = bot_signup_purge(d->store, (int64_t)d->cfg->retention_days * 86400, &deleted);
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_WARN("sign-up housekeeping failed: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
		return;
	}
	if (deleted)
		LOG_INFO("deleted %ld sign-up(s) past the retention time", deleted);
}

/* ---- changed spelregels ---- */

typedef struct ask_list {
	char **user, **room;
	char (*version)[17];
	const pol_wijk **wijk;
	size_t n, cap;
} ask_list;

typedef struct changed_ctx {
	bot_daemon *d;
	ask_list *l;
} changed_ctx;

static int collect_changed(void *ctx, const char *user, const char *wg_key, const char *accepted)
{
	bot_daemon *d = ((changed_ctx *)ctx)->d;
	ask_list *l = ((changed_ctx *)ctx)->l;
	char version[17], *room = NULL;
	const pol_wijk *wijk = pol_spelregels_changed_for(d->pol.lang, d->structure, wg_key, accepted, version);

	if (!wijk || bot_store_direct_room_of(d->store, user, &room) != BOT_STORE_OK)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **u = realloc(l->user, cap * sizeof *u), **r;
		char (*v)[17];
		const pol_wijk **w;

		if (u)
			l->user = u;
		r = realloc(l->room, cap * sizeof *r);
		if (r)
			l->room = r;
		v = realloc(l->version, cap * sizeof *v);
		if (v)
			l->version = v;
		w = realloc(l->wijk, cap * sizeof *w);
		if (w)
			l->wijk = w;
		if (!u || !r || !v || !w) {
			free(room);
			return 1;
		}
		l->cap = cap;
	}
	l->user[l->n] = strdup(user);
	l->room[l->n] = room;
	memcpy(l->version[l->n], version, sizeof version);
	l->wijk[l->n] = wijk;
	l->n++;
	return 0;
}

void bot_signup_spelregels_changed(bot_daemon *d)
{
	ask_list l;
	changed_ctx ctx = { d, &l };
	char *text = malloc(POL_TEXT_MAX), txn[TXN_MAX];
	size_t i;
	int rc;

	memset(&l, 0, sizeof l);
	if (!text || !d->structure || bot_store_begin(d->store) != BOT_STORE_OK) {
		free(text);
		return;
	}
	rc = bot_resident_each_accepted(d->store, collect_changed, &ctx);
	for (i = 0; i < l.n && rc == BOT_STORE_OK; i++) {
		if (!l.user[i])
			continue;
		pol_spelregels_changed_text(d->pol.lang, l.wijk[i], text, POL_TEXT_MAX);
		/* Once per resident and version, however often reloaded. */
		snprintf(txn, sizeof txn, "spelregels:%s:%s", l.user[i], l.version[i]);
		rc = bot_notice_queue(d, l.room[i], text, NULL, NULL, txn);
	}
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_WARN("could not ask residents about the new spelregels: %s", bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
	}
	for (i = 0; i < l.n; i++) {
		free(l.user[i]);
		free(l.room[i]);
	}
	free(l.user);
	free(l.room);
	free(l.version);
	free(l.wijk);
	free(text);
}
