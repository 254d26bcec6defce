/* web_intake.c: see web_intake.h. What is read from and written to
 * web.db is web_drop.c's; this file decides and carries out. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "log.h"
#include "registry.h"
#include "signup.h"
#include "signup_store.h"
#include "store_web.h"
#include "web_drop.h"
#include "web_intake.h"
#include "queue.h"
#include "matrix/mx_client.h"
#include "policy/pol_web.h"
#include "policy/pol_web_code.h"

#define TXN_MAX 1400
#define BATCH_MAX 20          /* web rows handled per tick and kind */
#define TOKEN_RETRY_S 60      /* after a failed registration-token request */
#define CODE_SLOTS 256

static bot_web_drop *webdb;
static mx_client *admin;
static int admin_unset;       /* no admin token configured: no tokens offered */
static long long token_failed_at;

/* Wrong codes per account (in memory: a restart forgives, which is fine);
 * how many count and for how long is policy's (pol_web_code.h). */
typedef struct code_tries {
	char user[256];
	pol_web_tries t;
} code_tries;
static code_tries tries[CODE_SLOTS];

/* The account's slot, a new one taking the oldest. */
static pol_web_tries *tries_of(const char *user)
{
	code_tries *oldest = &tries[0];
	size_t i;

	for (i = 0; i < CODE_SLOTS; i++) {
		if (strcmp(tries[i].user, user) == 0)
			return &tries[i].t;
		if (tries[i].t.start < oldest->t.start)
			oldest = &tries[i];
	}
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->user, sizeof oldest->user, "%s", user);
	return &oldest->t;
}

static int random_bytes(unsigned char *buf, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, buf, n) : -1;

	if (fd >= 0)
		close(fd);
	return got == (ssize_t)n ? 0 : -1;
}

/* ---- from the rules, inside the batch ---- */

/* A notice into the stuurgroep room of key sg_key; named after user
 * (may be NULL) for !vergeetmij. */
static int sg_notice_key(bot_daemon *d, const char *sg_key, const char *text, const char *txn, const char *user)
{
	int rc = bot_notice_queue_key(d, sg_key, text, txn);

	return rc == BOT_STORE_OK && user ? bot_store_outbox_names(d->store, txn, user) : rc;
}

int bot_web_intake_admit(bot_daemon *d, const pol_web_admit_plan *p)
{
	unsigned char rnd[8];
	char code[POL_WEB_CODE_LEN + 1];
	int rc;

	if (random_bytes(rnd, sizeof rnd) != 0) {
		LOG_ERROR("no random bytes for a sign-up code");
		return BOT_STORE_ERR;
	}
	pol_web_code_make(rnd, code);
	rc = bot_webapp_admit(d->store, p->web_id, code, d->now + (int64_t)p->code_hours * 3600);
	explicit_bzero(code, sizeof code);
	if (rc == BOT_STORE_OK && p->leaves_waitlist)
		rc = bot_reg_wait_remove(d->store, p->room_key, p->user);
	if (rc == BOT_STORE_OK)
		LOG_INFO("web application %lld admitted: a code is offered on its status page", p->web_id);
	return rc;
}

static const char *sub_txn(char *buf, size_t size, const char *txn_base, const char *sub)
{
	snprintf(buf, size, "%s|web-%s", txn_base, sub);
	return buf;
}

static int reply(bot_daemon *d, const pol_input *in, const char *text, const char *txn_base, const char *sub)
{
	char txn[TXN_MAX];
	int rc;

	sub_txn(txn, sizeof txn, txn_base, sub);
	rc = bot_notice_queue(d, in->room_id, text, in->event_id, NULL, txn);
	return rc == BOT_STORE_OK ? bot_store_outbox_names(d->store, txn, in->sender) : rc;
}

/* The facts policy decides a linked application on (pol_web_link). */
static int link_facts(bot_daemon *d, const pol_input *in, const bot_application *app, const pol_intake *it,
		      pol_web_link_facts *f)
{
	char *room_id = NULL;
	int64_t joined = 0, invited = 0;
	int rc;

	memset(f, 0, sizeof *f);
	f->nr = app->nr;
	f->user = in->sender;
	f->wijkgroep_key = app->wijkgroep;
	f->buurt = it->buurt[0] ? it->buurt : NULL;
	f->count = -1;
	rc = bot_store_room_get(d->store, app->wijkgroep, &room_id);
	if (rc != BOT_STORE_OK || !room_id)
		return rc == BOT_STORE_ERR ? rc : BOT_STORE_OK;   /* not made: policy says "gone" */
	f->room_made = 1;
	/* a count that cannot be read fails the whole answer: never a cap of 0 */
	rc = bot_store_member_count(d->store, room_id, "join", d->user_id, &joined);
	if (rc == BOT_STORE_OK)
		rc = bot_store_member_count(d->store, room_id, "invite", d->user_id, &invited);
	free(room_id);
	if (rc == BOT_STORE_OK)
		f->count = (long)(joined + invited);
	if (rc == BOT_STORE_OK)
		rc = bot_reg_wait_position(d->store, app->wijkgroep, in->sender, &f->wait_position);
	if (rc == BOT_STORE_OK)
		rc = bot_reg_wait_count(d->store, app->wijkgroep, &f->wait_length);
	return rc;
}

/* The account is tied to the application: carries out policy's plan (in,
 * cap permitting, else the waiting list). */
static int admit_linked(bot_daemon *d, const pol_input *in, const bot_application *app, const char *txn_base)
{
	static const char *const sub[] = { [POL_WEB_LINK_GONE] = "gone", [POL_WEB_LINK_WAIT] = "waiting",
					   [POL_WEB_LINK_INVITE] = "ok" };
	pol_web_link_plan *p = calloc(1, sizeof *p);
	pol_web_link_facts f;
	pol_intake it;
	char *by = NULL, txn[TXN_MAX];
	int rc;

	memset(&it, 0, sizeof it);
	if (!p)
		return BOT_STORE_ERR;
	if (!app->data || pol_intake_from_json(&it, app->data) != 0)
		memset(&it, 0, sizeof it);
	rc = link_facts(d, in, app, &it, &f);
	if (rc == BOT_STORE_OK)
		pol_web_link(d->pol.lang, d->structure, &f, p);
	if (rc == BOT_STORE_OK && p->kind == POL_WEB_LINK_WAIT)
		rc = bot_reg_wait_add(d->store, p->wait_key, in->sender, "web", NULL);
	if (rc == BOT_STORE_OK && p->kind == POL_WEB_LINK_INVITE) {
		rc = bot_app_decided_by(d->store, app->nr, &by);
		if (rc == BOT_STORE_NOT_FOUND)
			rc = BOT_STORE_OK;
		/* Carried out as the stuurgroep's invite: the one who admitted it. */
		snprintf(txn, sizeof txn, "%s|90", txn_base);
		if (rc == BOT_STORE_OK)
			rc = bot_invite_queue(d, &p->invite.invite, by ? by : in->sender, txn);
		if (rc == BOT_STORE_OK)
			rc = bot_resident_set_data(d->store, in->sender, app->data, it.spelregels_version);
		free(by);
	}
	if (rc == BOT_STORE_OK && p->sg_text[0])
		rc = sg_notice_key(d, p->sg_key, p->sg_text, sub_txn(txn, sizeof txn, txn_base, "sg"), in->sender);
	if (rc == BOT_STORE_OK)
		rc = reply(d, in, p->reply, txn_base, sub[p->kind]);
	free(p);
	return rc;
}

int bot_web_intake_message(bot_daemon *d, const pol_input *in, const char *txn_base)
{
	char code[POL_WEB_CODE_LEN + 1], placeholder[64], text[1024];
	static const char *const sub[] = { [POL_WEB_CODE_UNKNOWN] = "unknown", [POL_WEB_CODE_ELSEWHERE] = "elsewhere",
					   [POL_WEB_CODE_TAKE] = "" };
	bot_application app;
	bot_resident res;
	int64_t web_id = 0, nr = 0;
	pol_web_tries *t;
	pol_web_code_kind kind;
	int rc;

	if (!d->cfg->web_dir[0] || !pol_web_code_message(in, d->user_id, code, sizeof code))
		return 0;
	t = tries_of(in->sender);
	if (!pol_web_code_allowed(t, d->now, d->pol.lang, text, sizeof text))
		return reply(d, in, text, txn_base, "too-many") == 0 ? 1 : BOT_STORE_ERR;
	rc = bot_webapp_by_code(d->store, code, &web_id, &nr);
	if (rc != BOT_STORE_OK && rc != BOT_STORE_NOT_FOUND)
		return rc;
	memset(&res, 0, sizeof res);
	if (rc == BOT_STORE_OK) {
		rc = bot_resident_get(d->store, in->sender, &res);
		if (rc != BOT_STORE_OK && rc != BOT_STORE_NOT_FOUND)
			return rc;
		kind = pol_web_code_found(d->pol.lang, d->structure, t, 1, rc == BOT_STORE_OK ? res.wijkgroep : NULL, text,
					  sizeof text);
	} else {
		kind = pol_web_code_found(d->pol.lang, d->structure, t, 0, NULL, text, sizeof text);
	}
	bot_resident_clear(&res);
	if (kind != POL_WEB_CODE_TAKE)
		return reply(d, in, text, txn_base, sub[kind]) == 0 ? 1 : BOT_STORE_ERR;
	pol_web_placeholder(web_id, placeholder, sizeof placeholder);
	rc = bot_webapp_link(d->store, web_id, placeholder, in->sender, in->room_id);
	/* A chat sign-up the direct chat started is not needed any more. */
	if (rc == BOT_STORE_OK)
		rc = bot_intake_delete(d->store, in->sender);
	if (rc == BOT_STORE_OK)
		rc = bot_app_get(d->store, nr, &app);
	if (rc != BOT_STORE_OK)
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_ERR : rc;
	LOG_INFO("web application %" PRId64 " is tied to an account (application %" PRId64 ")", web_id, nr);
	rc = admit_linked(d, in, &app, txn_base);
	bot_app_clear(&app);
	return rc == BOT_STORE_OK ? 1 : rc;
}

/* ---- between batches ---- */

/* Files web row r (its answers checked into it) as an application
 * (once, whatever is retried). */
static int file_one(bot_daemon *d, const bot_web_drop_app *r, const pol_intake *it, const pol_wijkgroep *wg)
{
	pol_action *a = calloc(1, sizeof *a);
	pol_input in;
	bot_application app;
	char txn[64];
	int rc, known = 0;

	if (!a)
		return BOT_STORE_ERR;
	memset(&in, 0, sizeof in);
	in.sender = "";
	a->kind = POL_ACT_APPLY;
	a->room_id = "";
	pol_web_placeholder(r->id, a->intake.user, sizeof a->intake.user);
	snprintf(a->intake.room_key, sizeof a->intake.room_key, "wijkgroep:%s", wg->id);
	/* Written anew from what was checked, not the website's bytes as they came. */
	rc = pol_intake_to_json(it, a->intake.json, sizeof a->intake.json) == 0 ? bot_store_begin(d->store)
										 : BOT_STORE_ERR;
	snprintf(txn, sizeof txn, "web-apply:%lld", r->id);
	if (rc == BOT_STORE_OK)
		rc = bot_webapp_known(d->store, r->id, &known);
	if (rc == BOT_STORE_OK && !known) {
		rc = bot_signup_action(d, &in, a, txn, 0);
		if (rc == BOT_STORE_OK)
			rc = bot_app_pending_of(d->store, a->intake.user, &app);
		if (rc == BOT_STORE_OK) {
			rc = bot_webapp_add(d->store, r->id, app.nr);
			bot_app_clear(&app);
		}
	}
	if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
		LOG_WARN("could not take web application %lld: %s", r->id, bot_store_errmsg(d->store));
		bot_store_rollback(d->store);
		rc = BOT_STORE_ERR;
	}
	free(a);
	return rc;
}

static long long budget_start;
static long budget_taken;
static long long budget_logged;

static void take_new(bot_daemon *d)
{
	long budget = pol_web_budget(d->now, &budget_start, &budget_taken, d->cfg->web_applications_per_hour);
	bot_web_drop_app rows[BATCH_MAX];
	size_t i, n = 0;

	if (bot_web_drop_new(webdb, BATCH_MAX, rows, &n) != 0)
		return;
	if (n > (size_t)budget && budget_logged != budget_start) {
		budget_logged = budget_start;
		LOG_WARN("more than %ld website applications this hour: the rest wait in web.db for the next hour",
			 d->cfg->web_applications_per_hour);
	}
	for (i = 0; i < n && i < (size_t)budget; i++) {
		pol_intake it;
		/* web.db is the internet's side: every answer is checked again */
		const pol_wijkgroep *wg = pol_web_intake_accept(d->structure, rows[i].data, d->pol.lang, &it);

		if (!wg)
			LOG_WARN("web application %lld is not a valid sign-up for this structure; deleted", rows[i].id);
		else if (file_one(d, &rows[i], &it, wg) != BOT_STORE_OK)
			continue;
		else
			pol_web_budget_took(&budget_taken, 1);
		/* Its personal data now lives in the bot's store only. */
		(void)bot_web_drop_taken(webdb, rows[i].id, wg ? "open" : "deleted", d->now);
	}
	bot_web_drop_apps_free(rows, n);
}

static void revoke_token(bot_daemon *d, char *token);

/* *linked 1 when web application id is tied to an account already (the
 * bot's own word, not web.db's): then the status link deletes nothing,
 * !vergeetmij does. A store status (NOT_FOUND is not linked). */
static int linked_already(bot_daemon *d, long long id, int *linked)
{
	char *v = NULL;
	int rc = bot_webapp_state(d->store, id, &v);

	*linked = rc == BOT_STORE_OK && strcmp(v, "linked") == 0;
	free(v);
	return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
}

/* Deleted from the status page: everything goes, like !vergeetmij. */
static void take_deletions(bot_daemon *d)
{
	bot_web_drop_app rows[BATCH_MAX];
	size_t i, n = 0;
	char txn[64], who[64];
	pol_action *a;
	pol_input in;
	int rc, linked = 0;

	if (bot_web_drop_deletions(webdb, BATCH_MAX, rows, &n) != 0)
		return;
	a = calloc(1, sizeof *a);
	memset(&in, 0, sizeof in);
	in.sender = "";
	for (i = 0; a && i < n; i++) {
		char *token = NULL;

		/* a failed read deletes nothing: the next tick asks again */
		if (linked_already(d, rows[i].id, &linked) != BOT_STORE_OK)
			continue;
		if (linked) {
			(void)bot_web_drop_keep_linked(webdb, rows[i].id, d->now);
			continue;
		}
		memset(a, 0, sizeof *a);
		pol_web_placeholder(rows[i].id, who, sizeof who);
		pol_plan_forget_fill(a, who);
		snprintf(txn, sizeof txn, "web-delete:%lld", rows[i].id);
		rc = bot_store_begin(d->store);
		/* A registration token it had is withdrawn at the homeserver too. */
		if (rc == BOT_STORE_OK) {
			rc = bot_webapp_token(d->store, rows[i].id, &token);
			rc = rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
		}
		if (rc == BOT_STORE_OK)
			rc = bot_signup_action(d, &in, a, txn, 0);
		if (rc == BOT_STORE_OK)
			rc = bot_webapp_set_state(d->store, rows[i].id, "gone");
		if (rc != BOT_STORE_OK || bot_store_commit(d->store) != BOT_STORE_OK) {
			bot_store_rollback(d->store);
			if (token)
				explicit_bzero(token, strlen(token));
			free(token);
			continue;
		}
		revoke_token(d, token);
		LOG_INFO("web application %lld was deleted by its applicant", rows[i].id);
		(void)bot_web_drop_deleted(webdb, rows[i].id, d->now);
	}
	free(a);
	bot_web_drop_apps_free(rows, n);
}

/* ---- registration tokens (Synapse admin API) ---- */

static int admin_client(bot_daemon *d)
{
	mx_client_options o;
	mx_error err;
	char errbuf[512], *token = NULL;
	int rc;

	if (admin || admin_unset)
		return admin ? 0 : -1;
	rc = bot_config_secret(&token, "BUURTBOT_SYNAPSE_ADMIN_TOKEN", d->cfg->synapse_admin_token_file, errbuf,
			       sizeof errbuf);
	if (rc != 0) {
		admin_unset = 1;
		if (rc < 0)
			LOG_WARN("synapse_admin_token_file: %s; no registration tokens are offered", errbuf);
		else
			LOG_INFO("no synapse_admin_token_file: admitted web applicants get a code, no registration token");
		return -1;
	}
	memset(&o, 0, sizeof o);
	o.homeserver_url = d->cfg->homeserver_url;
	o.request_timeout_ms = 10000;
	o.retry = (mx_retry_policy){ 2, 500, 2000 };
	o.cancel = d->stop;
	rc = mx_client_new(&admin, &o, &err) == MX_OK && mx_client_set_token(admin, token) == MX_OK ? 0 : -1;
	explicit_bzero(token, strlen(token));
	free(token);
	return rc;
}

/* Withdraws token (may be NULL) at the homeserver, then wipes and frees
 * it. A failure only costs the token's own expiry. */
static void revoke_token(bot_daemon *d, char *token)
{
	char path[160];
	cJSON *ans = NULL;

	if (!token)
		return;
	if (admin_client(d) == 0 && strlen(token) <= 64 &&
	    strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-") == strlen(token)) {
		snprintf(path, sizeof path, "/_synapse/admin/v1/registration_tokens/%s", token);
		if (mx_request(admin, "DELETE", path, NULL, 0, &ans) != MX_OK)
			LOG_WARN("the homeserver did not withdraw a deleted application's registration token: %s",
				 mx_client_last_error(admin)->message);
		cJSON_Delete(ans);
	}
	explicit_bzero(token, strlen(token));
	free(token);
}

/* A one-use token that expires with the code; *out malloc'ed. */
static int new_token(bot_daemon *d, int64_t expires, char **out)
{
	cJSON *body = cJSON_CreateObject(), *ans = NULL;
	const cJSON *t;
	int rc = -1;

	*out = NULL;
	if (!body || !cJSON_AddNumberToObject(body, "uses_allowed", 1) ||
	    !cJSON_AddNumberToObject(body, "expiry_time", (double)expires * 1000.0))
		goto cleanup;
	if (mx_request(admin, "POST", "/_synapse/admin/v1/registration_tokens/new", body, 0, &ans) != MX_OK) {
		LOG_WARN("the homeserver refused a registration token: %s", mx_client_last_error(admin)->message);
		goto cleanup;
	}
	t = cJSON_GetObjectItemCaseSensitive(ans, "token");
	if (cJSON_IsString(t) && strlen(t->valuestring) <= 64 && (*out = strdup(t->valuestring)))
		rc = 0;
cleanup:
	cJSON_Delete(body);
	cJSON_Delete(ans);
	return rc;
}

typedef struct want_list {
	int64_t id[BATCH_MAX], expires[BATCH_MAX];
	size_t n;
} want_list;

static int want_token(void *ctx, const bot_webapp *w)
{
	want_list *l = ctx;

	l->id[l->n] = w->web_id;
	l->expires[l->n] = w->expires;
	return ++l->n >= BATCH_MAX;
}

static void make_tokens(bot_daemon *d)
{
	want_list l;
	size_t i;
	char *token = NULL;

	memset(&l, 0, sizeof l);
	if (d->now - token_failed_at < TOKEN_RETRY_S ||
	    bot_webapp_each_tokenless(d->store, want_token, &l) != BOT_STORE_OK || !l.n || admin_client(d) != 0)
		return;
	for (i = 0; i < l.n; i++) {
		if (new_token(d, l.expires[i], &token) != 0) {
			token_failed_at = d->now;
			return;
		}
		if (bot_webapp_set_token(d->store, l.id[i], token) != BOT_STORE_OK)
			LOG_WARN("could not keep a registration token: %s", bot_store_errmsg(d->store));
		explicit_bzero(token, strlen(token));
		free(token);
	}
}

/* ---- what the status page shows ---- */

static int publish_one(void *ctx, const bot_webapp *w)
{
	bot_daemon *d = ctx;
	const pol_room *r = w->wijkgroep && d->structure ? pol_structure_room_by_key(d->structure, w->wijkgroep) : NULL;
	char what[256];
	long long expires = (long long)w->expires;
	pol_web_status st;
	bot_web_drop_status shown;

	pol_web_status_of(w->state, w->code, w->token, admin_unset, &st);
	shown.state = w->state;
	shown.wijkgroep = r && r->wijkgroep ? r->wijkgroep->naam : NULL;
	shown.code = st.code;
	shown.token = st.token;
	shown.expires = st.offer ? &expires : NULL;
	if (bot_web_drop_publish(webdb, w->web_id, &shown, d->now) != 0)
		return 1;
	snprintf(what, sizeof what, "%s|%s|%s", w->state, w->code ? w->code : "", w->token ? w->token : "");
	return bot_webapp_published(d->store, w->web_id, what) != BOT_STORE_OK;
}

typedef struct pub_list {
	bot_webapp w[BATCH_MAX];
	size_t n;
} pub_list;

static int collect(void *ctx, const bot_webapp *w)
{
	pub_list *l = ctx;
	bot_webapp *c = &l->w[l->n++];

	*c = *w;
	c->state = strdup(w->state);
	c->code = w->code ? strdup(w->code) : NULL;
	c->token = w->token ? strdup(w->token) : NULL;
	c->wijkgroep = w->wijkgroep ? strdup(w->wijkgroep) : NULL;
	return l->n >= BATCH_MAX;
}

static void publish(bot_daemon *d)
{
	pub_list *l = calloc(1, sizeof *l);
	size_t i;

	if (!l)
		return;
	if (bot_webapp_each_unpublished(d->store, collect, l) == BOT_STORE_OK)
		for (i = 0; i < l->n; i++)
			if (l->w[i].state && publish_one(d, &l->w[i]))
				break;
	for (i = 0; i < l->n; i++)
		bot_webapp_clear(&l->w[i]);
	free(l);
}

/* Finished applications leave web.db after the retention time. */
static void purge_web(bot_daemon *d)
{
	(void)bot_web_drop_purge(webdb, d->now - (long long)d->cfg->retention_days * 86400);
}

void bot_web_intake_tick(bot_daemon *d)
{
	static long long last;

	/* Without the structure nothing can be checked: wait for it. At
	 * most once a second, however many batches come. */
	if (!d->cfg->web_dir[0] || !d->structure || d->now == last ||
	    (!webdb && bot_web_drop_open(&webdb, d->cfg->web_dir) != 0))
		return;
	last = d->now;
	take_new(d);
	take_deletions(d);
	if (bot_webapp_expire(d->store) != BOT_STORE_OK)
		LOG_WARN("could not expire web codes: %s", bot_store_errmsg(d->store));
	make_tokens(d);
	publish(d);
	if (d->now - d->signup_swept_at < 2) {
		purge_web(d);   /* as often as the sign-up housekeeping */
		if (bot_webapp_purge(d->store) != BOT_STORE_OK)
			LOG_WARN("could not purge finished web applications: %s", bot_store_errmsg(d->store));
	}
}
