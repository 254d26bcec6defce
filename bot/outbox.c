/* outbox.c: carrying out stored actions, in the send order of
 * bot_store_outbox_next_ready (priority, then age, within the order that
 * matters per room), a slice at a time when the outbox is long. An item is marked
 * sent only after the homeserver accepted it; if we die in between, it is
 * sent again with the same transaction id and the homeserver returns the
 * first event instead of making a second one. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "daemon.h"
#include "log.h"
#include "outbox.h"
#include "matrix/mx_async.h"

long bot_outbox_retry_ms(bot_outbox_kind kind, const char *errcode, const char *message,
			 long since_first_ms, int tries)
{
	long wait = 1000;

	if (kind != BOT_OUT_JOIN && kind != BOT_OUT_INVITE)
		return -1;
	/* "You are not invited to this room" (join), "... not in room"
	 * (invite): the event that allows it may still be on its way. A ban,
	 * or someone already in the room, will not change by waiting. */
	if (!errcode || strcmp(errcode, "M_FORBIDDEN") != 0 ||
	    (message && (strstr(message, "banned") || strstr(message, "already in the room"))))
		return -1;
	if (tries > BOT_OUTBOX_RETRY_MAX_TRIES || since_first_ms < 0 || since_first_ms >= BOT_OUTBOX_RETRY_WINDOW_MS)
		return -1;
	while (--tries > 0 && wait < 30000)
		wait *= 2;
	if (wait > 30000)
		wait = 30000;
	/* The last try comes at the end of the window, not after it. */
	if (since_first_ms + wait > BOT_OUTBOX_RETRY_WINDOW_MS)
		wait = BOT_OUTBOX_RETRY_WINDOW_MS - since_first_ms;
	return wait;
}

int bot_outbox_deferrable(bot_outbox_kind kind, int status)
{
	if (status != MX_ERR_SERVER && status != MX_ERR_TIMEOUT && status != MX_ERR_RATE_LIMITED)
		return 0;
	switch (kind) {
	case BOT_OUT_JOIN:
	case BOT_OUT_LEAVE:
	case BOT_OUT_INVITE:
	case BOT_OUT_BAN:
	case BOT_OUT_KICK:
	case BOT_OUT_DM:
		return 1;
	case BOT_OUT_SEND:
	case BOT_OUT_REDACT:
		break;
	}
	return 0;
}

long bot_outbox_defer_ms(long long since_first_ms, int defers)
{
	long wait = BOT_OUTBOX_DEFER_FIRST_MS;

	if (since_first_ms < 0)
		since_first_ms = 0;
	if (defers < 1 || defers > BOT_OUTBOX_DEFER_MAX_TRIES || since_first_ms >= BOT_OUTBOX_DEFER_WINDOW_MS)
		return -1;
	while (--defers > 0 && wait < BOT_OUTBOX_DEFER_MAX_MS)
		wait *= 2;
	if (wait > BOT_OUTBOX_DEFER_MAX_MS)
		wait = BOT_OUTBOX_DEFER_MAX_MS;
	/* The last try comes at the end of the window, not after it. */
	if (since_first_ms + wait > BOT_OUTBOX_DEFER_WINDOW_MS)
		wait = (long)(BOT_OUTBOX_DEFER_WINDOW_MS - since_first_ms);
	return wait;
}

/* Items whose refusal is being tried again. They stay pending in the
 * store; here is when each was first refused and when it is due. Later
 * items in the same room wait behind it: a message into a room the bot
 * could not join yet would only be refused too. A restart forgets this
 * table (the item is simply tried again); the store's attempt count
 * still bounds the tries. */
#define MAX_RETRYING 32
static struct retrying {
	int64_t id;
	char room_id[256];
	long first_ms, due_ms;
} retrying[MAX_RETRYING];
static int n_retrying;

static const char *kind_name(bot_outbox_kind k)
{
	static const char *const names[] = { "send", "join", "leave", "invite", "ban", "kick", "dm", "redact" };
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct retrying *retrying_of(int64_t id)
{
	int i;

	for (i = 0; i < n_retrying; i++)
		if (retrying[i].id == id)
			return &retrying[i];
	return NULL;
}

static void retrying_drop(int64_t id)
{
	struct retrying *e = retrying_of(id);

	if (e)
		*e = retrying[--n_retrying];
}

/* A message whose send failed on the way (timeout, server error, rate
 * limit): tried again after a pause, while the other rooms go on. */
static struct cooling {
	int64_t id;
	long due_ms;
	int fails;
} cooling[MAX_RETRYING];
static int n_cooling;

static struct cooling *cooling_of(int64_t id)
{
	int i;

	for (i = 0; i < n_cooling; i++)
		if (cooling[i].id == id)
			return &cooling[i];
	return NULL;
}

/* Done with (sent or refused): no pause is kept for it. */
static void cooling_drop(int64_t id)
{
	struct cooling *c = cooling_of(id);

	if (c)
		*c = cooling[--n_cooling];
}

/* Whether it waits: it is not due yet, or an earlier item of its room is
 * being retried. */
static int waits_for_retry(const bot_outbox_item *it, long now)
{
	int i;

	for (i = 0; i < n_retrying; i++) {
		const struct retrying *e = &retrying[i];

		if (e->id == it->id ? now < e->due_ms : e->id < it->id && strcmp(e->room_id, it->room_id) == 0)
			return 1;
	}
	return 0;
}

/* The wait before it is tried again after this refusal, or -1 when the
 * refusal is final. Keeps when it was first refused, counts the try in the
 * store and says what it decided in the log. */
static long retry_decision(bot_daemon *d, bot_outbox_item *it, const mx_error *err, const char *reason)
{
	long now = mono_ms(), wait;
	struct retrying *e = retrying_of(it->id);
	int tries = it->attempts + 1;

	wait = bot_outbox_retry_ms(it->kind, err->errcode, err->message, e ? now - e->first_ms : 0, tries);
	if (wait < 0) {
		if (e)
			LOG_WARN("outbox %lld: giving up on the %s in %s after %d refusals in %ld s",
				 (long long)it->id, kind_name(it->kind), it->room_id,
				 tries, (now - e->first_ms) / 1000);
		retrying_drop(it->id);
		return -1;
	}
	if (!e) {
		if (n_retrying == MAX_RETRYING) {
			LOG_WARN("outbox %lld: %d refused actions are waiting already; not trying this one again",
				 (long long)it->id, MAX_RETRYING);
			return -1;
		}
		e = &retrying[n_retrying++];
		e->id = it->id;
		snprintf(e->room_id, sizeof e->room_id, "%s", it->room_id);
		e->first_ms = now;
	}
	e->due_ms = now + wait;
	bot_store_outbox_note_attempt(d->store, it->id, reason);
	it->attempts++;
	LOG_INFO("outbox %lld: %s in %s refused (%s); it may have come before what allows it (federation): "
		 "trying again in %ld ms (refusal %d, %ld s after the first)", (long long)it->id,
		 kind_name(it->kind), it->room_id, reason, wait, tries, (now - e->first_ms) / 1000);
	return wait;
}

/* What it does, for the log: "the invite of @x:y into !r:z". */
static const char *what(const bot_outbox_item *it, char *buf, size_t size)
{
	if (it->kind == BOT_OUT_INVITE)
		snprintf(buf, size, "the invite of %s into %s", it->content ? it->content : "?", it->room_id);
	else if (it->kind == BOT_OUT_DM)
		snprintf(buf, size, "the direct chat with %s", it->room_id);
	else
		snprintf(buf, size, "the %s in %s", kind_name(it->kind), it->room_id);
	return buf;
}

/* A membership change that got a server error or timed out (most likely
 * another homeserver it needs is down) or was rate-limited: deferred, or after
 * BOT_OUTBOX_DEFER_WINDOW_MS given up like a refused one. Returns 0, or -1
 * when the store could not record it. */
static int defer(bot_daemon *d, bot_outbox_item *it, int status, const mx_error *err)
{
	long long since = it->defers > 0 && it->deferred_since > 0 ? (d->now - it->deferred_since) * 1000 : 0;
	long wait = bot_outbox_defer_ms(since, it->defers + 1);
	char reason[400], desc[600];
	int rc;

	snprintf(reason, sizeof reason, "%s %s", err->errcode[0] ? err->errcode : mx_status_name(status),
		 err->message);
	what(it, desc, sizeof desc);
	if (wait < 0) {
		LOG_WARN("outbox %lld: giving up on %s after %d tries in %lld h: %s", (long long)it->id, desc,
			 it->defers + 1, since / 3600000, reason);
		/* The invite never happened: the cap must not count it. */
		if (it->kind == BOT_OUT_INVITE && it->content)
			bot_store_member_set(d->store, it->room_id, it->content, "leave");
		rc = bot_store_outbox_mark_failed(d->store, it->id, reason);
	} else {
		LOG_INFO("outbox %lld: %s could not be done now (%s; another homeserver it needs may be down): "
			 "deferred, next try in %ld s (deferral %d, %lld s after the first); %s",
			 (long long)it->id, desc, reason, (wait + 999) / 1000, it->defers + 1, since / 1000,
			 it->kind == BOT_OUT_INVITE ? "the room's other items go on"
						    : "the room's later items wait for it, other rooms go on");
		rc = bot_store_outbox_defer(d->store, it->id, d->now + (wait + 999) / 1000, reason);
	}
	if (rc != BOT_STORE_OK) {
		LOG_WARN("outbox %lld: cannot record the deferral: %s", (long long)it->id, bot_store_errmsg(d->store));
		return -1;
	}
	return 0;
}

static void nap(bot_daemon *d, long ms)
{
	struct timespec slice = { 0, 50 * 1000000L };

	for (; ms > 0 && !*d->stop; ms -= 50)
		nanosleep(&slice, NULL);
}

/* 1 when a message for room_id must be encrypted, 0 when the room is not
 * encrypted, or a negative mx_status when that cannot be known now. A
 * room the store knows nothing about is asked about: never plaintext into
 * an encrypted room because of a gap in what the bot saw. */
static int needs_encryption(bot_daemon *d, const char *room_id, mx_error *err)
{
	cJSON *content = NULL;
	char *plain = NULL;
	int rc;

	if (!d->e2ee)
		return 0;
	if (mx_e2ee_room_encrypted(d->e2ee, room_id))
		return 1;
	/* Asked before and not encrypted then; should it become encrypted,
	 * sync records that and the check above answers first. */
	if (bot_store_crypto_get(d->store, "rooms_plain", room_id, &plain) == BOT_STORE_OK) {
		free(plain);
		return 0;
	}
	rc = mx_state_get(d->client, room_id, "m.room.encryption", "", &content);
	if (rc == MX_OK) {
		rc = mx_e2ee_set_room_encryption(d->e2ee, room_id, content) == MX_OK ? 1 :
			mx_error_set(err, MX_ERR_SERVER, "the room's encryption could not be recorded");
		cJSON_Delete(content);
		return rc;
	}
	*err = *mx_client_last_error(d->client);
	if (rc == MX_ERR_REQUEST && strcmp(mx_client_last_error(d->client)->errcode, "M_NOT_FOUND") == 0) {
		bot_store_crypto_put(d->store, "rooms_plain", room_id, "1");
		return 0;
	}
	return rc;
}

/* Whether user's homeserver answers, when it is not ours: our homeserver
 * makes a new room first and invites after, so an invite that fails on a
 * homeserver that is down leaves a room behind, and the next try would
 * make another. Asking for their profile goes to their homeserver too; a
 * refusal (404, 403) is an answer. MX_OK, or the server error or timeout
 * that defers the direct chat. */
static int homeserver_answers(bot_daemon *d, const char *user)
{
	const char *mine = d->user_id ? strchr(d->user_id, ':') : NULL, *theirs = strchr(user, ':');
	char path[1000], *esc;
	int rc;

	if (mine && theirs && strcmp(mine, theirs) == 0)
		return MX_OK;
	esc = mx_escape(user);
	if (!esc)
		return MX_ERR_NOMEM;
	snprintf(path, sizeof path, "/_matrix/client/v3/profile/%s", esc);
	free(esc);
	rc = mx_request(d->client, "GET", path, NULL, 0, NULL);
	return rc == MX_ERR_SERVER || rc == MX_ERR_TIMEOUT ? rc : MX_OK;
}

/* A new encrypted direct chat with the user in it->content, unless the
 * bot has one with them. The conversation starts when they join (the
 * bot sees their join and greets them), so no message is encrypted
 * before the bot knows who is in the room. */
static int open_direct_chat(bot_daemon *d, const bot_outbox_item *it)
{
	cJSON *j = it->content ? cJSON_Parse(it->content) : NULL, *initial;
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, "user");
	const char *invite[2] = { NULL, NULL };
	mx_create_room_opts o;
	char *existing = NULL, *room_id = NULL;
	int rc;

	if (!cJSON_IsString(u)) {
		cJSON_Delete(j);
		return MX_ERR_INVALID;
	}
	if (bot_store_direct_room_of(d->store, u->valuestring, &existing) == BOT_STORE_OK) {
		free(existing);
		cJSON_Delete(j);
		return MX_OK;
	}
	rc = homeserver_answers(d, u->valuestring);
	if (rc != MX_OK) {
		cJSON_Delete(j);
		return rc;
	}
	initial = cJSON_Parse("[{\"type\":\"m.room.encryption\",\"state_key\":\"\","
			      "\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}}]");
	invite[0] = u->valuestring;
	memset(&o, 0, sizeof o);
	o.preset = "trusted_private_chat";
	o.visibility = "private";
	o.invite = invite;
	o.is_direct = 1;
	o.initial_state = initial;
	rc = mx_create_room(d->client, &o, &room_id);
	if (rc == MX_OK && bot_store_direct_add(d->store, room_id, u->valuestring) != BOT_STORE_OK)
		LOG_WARN("outbox %lld: direct chat %s made but not recorded: %s", (long long)it->id, room_id,
			 bot_store_errmsg(d->store));
	free(room_id);
	cJSON_Delete(initial);
	cJSON_Delete(j);
	return rc;
}

/* A kick or ban of user supersedes their invite into that room that is
 * still deferred: it is given up, and the cap counts it no more. */
static void drop_deferred_invites(bot_daemon *d, const bot_outbox_item *it, const char *user)
{
	size_t n = 0;

	if (bot_store_outbox_drop_deferred_invites(d->store, it->room_id, user, it->id, &n) != BOT_STORE_OK) {
		LOG_WARN("outbox %lld: cannot drop the deferred invites of %s into %s: %s", (long long)it->id, user,
			 it->room_id, bot_store_errmsg(d->store));
	} else if (n > 0) {
		LOG_INFO("outbox %lld: the %s of %s in %s drops their deferred invite there", (long long)it->id,
			 kind_name(it->kind), user, it->room_id);
		bot_store_member_set(d->store, it->room_id, user, "leave");
	}
}

/* What goes on the wire for a message: *content (the caller's) and its
 * *type, encrypted when the room is. Encrypted afresh on a resend: the
 * same txn id still makes the homeserver return the first event. MX_OK,
 * or the status that stops it (*content then NULL). */
static int sendable(bot_daemon *d, const bot_outbox_item *it, cJSON **content, const char **type, mx_error *err)
{
	cJSON *plain = it->content ? cJSON_Parse(it->content) : NULL, *enc = NULL;
	int rc;

	*content = NULL;
	*type = it->event_type;
	mx_error_clear(err);
	if (!plain || !it->event_type) {
		cJSON_Delete(plain);
		return mx_error_set(err, MX_ERR_INVALID, "the stored message cannot be read");
	}
	rc = needs_encryption(d, it->room_id, err);
	if (rc <= 0) {
		if (rc == 0)
			*content = plain;
		else
			cJSON_Delete(plain);
		return rc;
	}
	rc = mx_e2ee_encrypt(d->e2ee, it->room_id, it->event_type, plain, &enc, err);
	cJSON_Delete(plain);
	if (rc != MX_OK) {
		LOG_WARN("outbox %lld: cannot encrypt for %s: %s", (long long)it->id, it->room_id, err->message);
		/* Only the homeserver's refusal is final; a local failure
		 * (a busy store, say) is tried again like a server error. */
		return rc == MX_ERR_REQUEST ? rc : MX_ERR_SERVER;
	}
	*content = enc;
	*type = "m.room.encrypted";
	return MX_OK;
}

static int carry_out(bot_daemon *d, const bot_outbox_item *it, char **out_event_id)
{
	cJSON *content = NULL;
	const char *type = NULL;
	mx_error err;   /* not read: flush mode goes by the client's last error (perform_retrying) */
	int rc;

	*out_event_id = NULL;
	switch (it->kind) {
	case BOT_OUT_SEND:
		rc = sendable(d, it, &content, &type, &err);
		if (rc == MX_OK)
			rc = mx_send(d->client, it->room_id, type, it->txn_id, content, out_event_id);
		cJSON_Delete(content);
		return rc;
	case BOT_OUT_JOIN:
		return mx_join(d->client, it->room_id, NULL);
	case BOT_OUT_LEAVE:
		return mx_leave(d->client, it->room_id, NULL);
	case BOT_OUT_INVITE:
		if (!it->content)
			return MX_ERR_INVALID;
		return mx_invite(d->client, it->room_id, it->content, NULL);
	case BOT_OUT_BAN:
	case BOT_OUT_KICK: {
		cJSON *j = it->content ? cJSON_Parse(it->content) : NULL;
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, "user");
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "reason");
		int (*remove)(mx_client *, const char *, const char *, const char *) =
			it->kind == BOT_OUT_BAN ? mx_ban : mx_kick;

		if (cJSON_IsString(u))
			drop_deferred_invites(d, it, u->valuestring);
		rc = cJSON_IsString(u) ? remove(d->client, it->room_id, u->valuestring,
						cJSON_IsString(r) ? r->valuestring : NULL)
				       : MX_ERR_INVALID;
		cJSON_Delete(j);
		return rc;
	}
	case BOT_OUT_DM:
		return open_direct_chat(d, it);
	case BOT_OUT_REDACT: {
		cJSON *j = it->content ? cJSON_Parse(it->content) : NULL;
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "event");
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "reason");

		rc = cJSON_IsString(e) ? mx_redact(d->client, it->room_id, e->valuestring, it->txn_id,
						   cJSON_IsString(r) ? r->valuestring : NULL, out_event_id)
				       : MX_ERR_INVALID;
		cJSON_Delete(j);
		return rc;
	}
	}
	return MX_ERR_INVALID;
}

/* Carries it out. A membership change may need another homeserver, which
 * may be down: made without the client's retries, so that its server
 * error comes back here at once (and is deferred) instead of holding the
 * whole bot. */
static int perform(bot_daemon *d, const bot_outbox_item *it, char **out_event_id)
{
	mx_retry_policy was, few;
	int rc;

	if (!bot_outbox_deferrable(it->kind, MX_ERR_SERVER))
		return carry_out(d, it, out_event_id);
	memset(&few, 0, sizeof few);
	was = mx_client_set_retry(d->client, few);
	few = was;
	if (few.max_attempts == 0 || few.max_attempts > BOT_OUTBOX_MEMBERSHIP_ATTEMPTS)
		few.max_attempts = BOT_OUTBOX_MEMBERSHIP_ATTEMPTS;
	mx_client_set_retry(d->client, few);
	rc = carry_out(d, it, out_event_id);
	mx_client_set_retry(d->client, was);
	return rc;
}

/* The homeserver accepted it: marked sent. 1, or 0 when the store could
 * not record that (it stays pending). */
static int done(bot_daemon *d, const bot_outbox_item *it, const char *event_id)
{
	if (retrying_of(it->id))
		LOG_INFO("outbox %lld: %s in %s accepted after %d refusal(s)", (long long)it->id,
			 kind_name(it->kind), it->room_id, it->attempts);
	if (it->defers > 0) {
		char desc[600];

		LOG_INFO("outbox %lld: %s done after %d deferral(s), %lld s after the first", (long long)it->id,
			 what(it, desc, sizeof desc), it->defers, d->now - it->deferred_since);
	}
	retrying_drop(it->id);
	cooling_drop(it->id);
	LOG_DEBUG("outbox %lld: %s in %s done", (long long)it->id, kind_name(it->kind), it->room_id);
	if (bot_store_outbox_mark_sent(d->store, it->id, event_id) != BOT_STORE_OK) {
		/* Stays pending; the resend is deduplicated by txn id. */
		LOG_WARN("outbox %lld sent but not marked: %s", (long long)it->id, bot_store_errmsg(d->store));
		return 0;
	}
	return 1;
}

/* The homeserver said no (e.g. M_FORBIDDEN: no longer in the room);
 * trying again would get the same answer: marked failed. 1, or 0 when the
 * store could not record that. */
static int refused(bot_daemon *d, const bot_outbox_item *it, const mx_error *err)
{
	char reason[400];

	cooling_drop(it->id);
	snprintf(reason, sizeof reason, "%s %s", err->errcode, err->message);
	LOG_WARN("outbox %lld: %s in %s refused: %s", (long long)it->id, kind_name(it->kind), it->room_id, reason);
	/* The invite never happened: the cap must not count it. */
	if (it->kind == BOT_OUT_INVITE && it->content)
		bot_store_member_set(d->store, it->room_id, it->content, "leave");
	if (bot_store_outbox_mark_failed(d->store, it->id, reason) != BOT_STORE_OK) {
		LOG_WARN("outbox %lld: cannot record the failure: %s", (long long)it->id, bot_store_errmsg(d->store));
		return 0;
	}
	return 1;
}

/* ---- side by side (the loop's mode) ----
 * A message goes out without waiting for its answer, so messages into
 * different rooms travel together and a decision goes out as soon as it
 * is stored, whatever else is on its way. It stays pending in the store
 * while in flight: the room's later items wait for it (the store's send
 * order), and after a crash it is sent again with the same txn id. */
#define MAX_FLYING 32
static struct flying {
	bot_outbox_item it;
	long started_ms;
} flying[MAX_FLYING];
static int n_flying;

static struct flying *flying_of(int64_t id)
{
	int i;

	for (i = 0; i < n_flying; i++)
		if (flying[i].it.id == id)
			return &flying[i];
	return NULL;
}

static int is_copy(const bot_outbox_item *it)
{
	return it->kind == BOT_OUT_SEND && it->txn_id && strncmp(it->txn_id, "fwd:", 4) == 0;
}

/* Copies the homeserver accepted and the bot's sync has not shown yet:
 * the homeserver is still delivering them. */
static struct landing {
	char event_id[256];
	long sent_ms;
} landing[MAX_FLYING];
static int n_landing;

/* The bot's own events its sync showed last: a copy's may come before
 * the answer to its PUT. */
static char seen_own[MAX_FLYING][256];
static int seen_next;

static void land(const char *event_id, long sent_ms)
{
	int i;

	if (!event_id || strlen(event_id) >= sizeof landing[0].event_id)
		return;
	for (i = 0; i < MAX_FLYING; i++)
		if (strcmp(seen_own[i], event_id) == 0)
			return;
	if (n_landing == MAX_FLYING)
		landing[0] = landing[--n_landing];   /* the oldest is past its wait anyway */
	snprintf(landing[n_landing].event_id, sizeof landing[0].event_id, "%s", event_id);
	landing[n_landing++].sent_ms = sent_ms;
}

void bot_outbox_saw(bot_daemon *d, const mx_sync_batch *b)
{
	size_t i;
	int j;

	for (i = 0; i < b->n_events; i++) {
		const mx_event *ev = &b->events[i];

		if (ev->source != MX_SRC_TIMELINE || !ev->event_id || !ev->sender || !d->user_id ||
		    strcmp(ev->sender, d->user_id) != 0)
			continue;
		snprintf(seen_own[seen_next], sizeof seen_own[0], "%s", ev->event_id);
		seen_next = (seen_next + 1) % MAX_FLYING;
		for (j = 0; j < n_landing; j++)
			if (strcmp(landing[j].event_id, ev->event_id) == 0) {
				landing[j] = landing[--n_landing];
				break;
			}
	}
}

/* When the current stretch of holding other messages for copies began
 * (0: none). */
static long hold_since;

/* Whether a copy is on its way or landing, sent less than
 * BOT_OUTBOX_COPY_FIRST_MS ago, and the other messages have not been
 * held for that long already: a steady stream of approvals, each
 * starting a new wait, must not hold answers and confirmations for as
 * long as it lasts. Past it they go beside the copies until no copy is
 * pending any more. */
static int copy_first(long now)
{
	int i, pending = 0;

	for (i = 0; i < n_flying && !pending; i++)
		pending = is_copy(&flying[i].it) && now - flying[i].started_ms < BOT_OUTBOX_COPY_FIRST_MS;
	for (i = 0; i < n_landing && !pending; i++)
		pending = now - landing[i].sent_ms < BOT_OUTBOX_COPY_FIRST_MS;
	if (!pending) {
		hold_since = 0;
		return 0;
	}
	if (hold_since == 0)
		hold_since = now ? now : 1;
	return now - hold_since < BOT_OUTBOX_COPY_FIRST_MS;
}

/* Whether it is on its way or pausing after a failure, or is a message
 * that lets a copy go first (BOT_OUTBOX_COPY_FIRST_MS). */
static int busy(const bot_outbox_item *it, long now)
{
	const struct cooling *c = cooling_of(it->id);

	if (flying_of(it->id) != NULL || (c && now < c->due_ms))
		return 1;
	return it->kind == BOT_OUT_SEND && !is_copy(it) && copy_first(now);
}

/* Puts the message on the wire. On MX_OK it is in flying[] (moved out
 * of *it, which is left empty); otherwise the status that kept it back
 * (*it unchanged), with *err saying why. */
static int start_send(bot_daemon *d, mx_async *a, bot_outbox_item *it, mx_error *err)
{
	cJSON *content = NULL;
	const char *type = NULL;
	char *room = NULL, *etype = NULL, *txn = NULL, path[2048];
	long t0;
	int rc;

	if (n_flying == MAX_FLYING)
		return mx_error_set(err, MX_ERR_RATE_LIMITED, "too many messages on their way");
	t0 = mono_ms();
	rc = sendable(d, it, &content, &type, err);
	if (rc != MX_OK)
		return rc;
	t0 = mono_ms() - t0;
	room = mx_escape(it->room_id);
	etype = mx_escape(type);
	txn = mx_escape(it->txn_id);
	if (!room || !etype || !txn ||
	    snprintf(path, sizeof path, "/_matrix/client/v3/rooms/%s/send/%s/%s", room, etype, txn) >=
		    (int)sizeof path)
		rc = mx_error_set(err, MX_ERR_INVALID, "id too long");
	else
		rc = mx_async_start(a, "PUT", path, content, 0, (uintptr_t)it->id, err);
	if (rc == MX_OK) {
		LOG_DEBUG("outbox %lld: on its way into %s (made ready in %ld ms)", (long long)it->id, it->room_id, t0);
		flying[n_flying].it = *it;
		flying[n_flying].started_ms = mono_ms();
		n_flying++;
		memset(it, 0, sizeof *it);
	} else {
		LOG_WARN("outbox %lld: cannot start the send in %s: %s", (long long)it->id, it->room_id, err->message);
	}
	free(room);
	free(etype);
	free(txn);
	cJSON_Delete(content);
	return rc;
}

/* A send that failed on the way: the item stays pending and is sent again
 * (same txn id) after a pause that doubles per failure, up to
 * retry_max_delay_ms, or as long as the homeserver asked. */
static int cool(bot_daemon *d, const bot_outbox_item *it, int status, const mx_error *err)
{
	struct cooling *c = cooling_of(it->id);
	long wait = 1000, cap = d->cfg && d->cfg->retry_max_delay_ms > 0 ? d->cfg->retry_max_delay_ms : 30000;
	char reason[400];
	int i;

	if (!c && n_cooling < MAX_RETRYING) {
		c = &cooling[n_cooling++];
		c->id = it->id;
		c->fails = 0;
	}
	for (i = 0; c && i < c->fails && wait < cap; i++)
		wait *= 2;
	if (status == MX_ERR_RATE_LIMITED && err->retry_after_ms > 0)
		wait = err->retry_after_ms;
	if (wait > cap)
		wait = cap;
	if (c) {
		c->fails++;
		c->due_ms = mono_ms() + wait;
	}
	snprintf(reason, sizeof reason, "%s: %s", mx_status_name(status), err->message);
	bot_store_outbox_note_attempt(d->store, it->id, reason);
	if (!c) {
		LOG_WARN("outbox %lld: the send in %s failed (%s); too many pausing to keep this one apart",
			 (long long)it->id, it->room_id, reason);
		return 0;
	}
	LOG_WARN("outbox %lld: the send in %s failed (%s); trying again in %ld ms, the other rooms go on",
		 (long long)it->id, it->room_id, reason, wait);
	return 1;
}

int bot_outbox_finished(bot_daemon *d, uintptr_t tag, int status, const cJSON *resp, const mx_error *err)
{
	struct flying *f = flying_of((int64_t)tag);
	bot_outbox_item it;
	const cJSON *ev;
	long f_started;

	if (!f)
		return MX_OK;
	it = f->it;
	f_started = f->started_ms;
	LOG_DEBUG("outbox %lld: answered after %ld ms", (long long)it.id, mono_ms() - f->started_ms);
	*f = flying[--n_flying];
	if (status == MX_OK) {
		ev = cJSON_GetObjectItemCaseSensitive(resp, "event_id");
		if (is_copy(&it) && cJSON_IsString(ev))
			land(ev->valuestring, f_started);
		done(d, &it, cJSON_IsString(ev) ? ev->valuestring : NULL);
	} else if (status == MX_ERR_REQUEST || status == MX_ERR_INVALID) {
		/* A message is never retried after a refusal (bot_outbox_retry_ms). */
		refused(d, &it, err);
		status = MX_OK;
	} else if (status != MX_ERR_CANCELLED) {
		cool(d, &it, status, err);
	}
	bot_outbox_item_clear(&it);
	return status == MX_ERR_AUTH ? status : MX_OK;
}

int bot_outbox_in_flight(void)
{
	return n_flying;
}

void bot_outbox_forget_flying(void)
{
	while (n_flying > 0)
		bot_outbox_item_clear(&flying[--n_flying].it);
	n_cooling = 0;
	n_landing = 0;
	hold_since = 0;
}

/* Carries it out, trying again at once after a refusal that may pass
 * within BOT_OUTBOX_RETRY_INLINE_MS. Returns perform()'s status; *wait
 * is the pause retry_decision chose after a refusal (-1: final, or none),
 * added to *napped when taken here. */
static int perform_retrying(bot_daemon *d, bot_outbox_item *it, char **event_id, long *wait, long *napped)
{
	const mx_error *err;
	char reason[400];
	int rc;

	for (;;) {
		rc = perform(d, it, event_id);
		err = mx_client_last_error(d->client);
		if (rc != MX_ERR_REQUEST)
			return rc;
		snprintf(reason, sizeof reason, "%s %s", err->errcode, err->message);
		*wait = retry_decision(d, it, err, reason);
		if (*wait < 0 || *wait > BOT_OUTBOX_RETRY_INLINE_MS)
			return rc;
		nap(d, *wait);
		*napped += *wait;   /* waiting for a retry is no sending */
		free(*event_id);
		*event_id = NULL;
		if (*d->stop)
			return rc;
	}
}

/* Whether a message that could not be put on the wire failed for its own
 * room only: not when the homeserver cannot be reached or refuses our
 * token (the pass stops; trying every other room would only wait for the
 * same timeout again), nor a refusal (marked failed below). */
static int fails_one_room(int status)
{
	return status == MX_ERR_SERVER || status == MX_ERR_PARSE || status == MX_ERR_TOO_LARGE ||
	       status == MX_ERR_NOMEM;
}

/* The pump's way with a message: MX_OK when it is taken care of (on its
 * way, no room for more now, or pausing after a failure of its own room:
 * its encryption could not be had, a server error or a busy store; it is
 * tried again like a send that failed on the way, and the other rooms go
 * on); else the status for run_outbox to handle (*it unchanged). */
static int put_on_wire(bot_daemon *d, mx_async *a, bot_outbox_item *it, mx_error *err)
{
	int rc = start_send(d, a, it, err);

	if (rc == MX_OK || rc == MX_ERR_RATE_LIMITED)
		return MX_OK;
	/* With no room left to keep it apart it stops the pass, as before. */
	return fails_one_room(rc) && cool(d, it, rc, err) ? MX_OK : rc;
}

/* The outbox in send order. Without a (bot_outbox_flush) every item is
 * carried out here, one after the other; with a (bot_outbox_pump)
 * messages are put on the wire and left to travel, and only the other
 * kinds are carried out here. copies_only: only the copies of approved
 * meldingen are put on the wire (the pump's first pass). */
static int run_outbox(bot_daemon *d, mx_async *a, int copies_only)
{
	long start = mono_ms(), slice = d->outbox_slice_ms > 0 ? d->outbox_slice_ms : BOT_OUTBOX_SLICE_MS, napped = 0;
	int64_t after = 0;
	int after_prio = -1, rc = MX_OK;

	d->outbox_more = 0;
	while (!*d->stop) {
		bot_outbox_item it;
		char *event_id = NULL;
		const mx_error *err;
		mx_error wire_err;
		char reason[400];
		long wait = -1;
		int src, marked = 1;

		src = bot_store_outbox_next_ready(d->store, after_prio, after, &it);
		if (src == BOT_STORE_NOT_FOUND)
			break;
		if (src != BOT_STORE_OK) {
			LOG_ERROR("cannot read the outbox: %s", bot_store_errmsg(d->store));
			return MX_ERR_INVALID;
		}
		/* A long outbox (a flood, a split of a wijkgroep) must not keep a
		 * command that came in meanwhile waiting: after a slice the loop
		 * syncs, and its answer goes before what is left. */
		if (it.prio != BOT_PRIO_HIGH && mono_ms() - start - napped >= slice) {
			d->outbox_more = 1;
			bot_outbox_item_clear(&it);
			break;
		}
		/* Copies first: they are of high priority, so at its front. */
		if (copies_only && it.prio != BOT_PRIO_HIGH) {
			bot_outbox_item_clear(&it);
			break;
		}
		/* Past it; an item done (below) may let an earlier one go. */
		after_prio = (int)it.prio;
		after = it.id;
		if ((copies_only && !is_copy(&it)) || waits_for_retry(&it, mono_ms()) || (a && busy(&it, mono_ms()))) {
			bot_outbox_item_clear(&it);
			continue;
		}
		if (a && it.kind == BOT_OUT_SEND) {
			rc = put_on_wire(d, a, &it, &wire_err);
			if (rc == MX_OK) {
				bot_outbox_item_clear(&it);
				continue;
			}
			err = &wire_err;
		} else {
			rc = perform_retrying(d, &it, &event_id, &wait, &napped);
			err = mx_client_last_error(d->client);
		}
		if (rc == MX_ERR_REQUEST && wait >= 0) {
			/* Stays pending: a later pass tries it again when due. */
			free(event_id);
			bot_outbox_item_clear(&it);
			rc = MX_OK;
			continue;
		}
		if (rc == MX_OK) {
			marked = done(d, &it, event_id);
		} else if (rc == MX_ERR_REQUEST || rc == MX_ERR_INVALID) {
			marked = refused(d, &it, err);
			rc = MX_OK;
		} else if (bot_outbox_deferrable(it.kind, rc)) {
			/* Deferred (or given up): the order starts over, since
			 * later items of its room may go now. */
			marked = defer(d, &it, rc, err) == 0;
			rc = MX_OK;
		} else {
			/* Transient or auth: keep the order, try again later. */
			snprintf(reason, sizeof reason, "%s: %s", mx_status_name(rc), err->message);
			bot_store_outbox_note_attempt(d->store, it.id, reason);
			free(event_id);
			bot_outbox_item_clear(&it);
			return rc;
		}
		free(event_id);
		bot_outbox_item_clear(&it);
		/* Done: the order starts over, since this item may have held up
		 * an earlier one of its room. One the store still calls pending
		 * is not tried again in this pass. */
		if (marked) {
			after_prio = -1;
			after = 0;
		}
	}
	return rc;
}

int bot_outbox_flush(bot_daemon *d)
{
	return run_outbox(d, NULL, 0);
}

int bot_outbox_pump(bot_daemon *d, mx_async *a)
{
	/* The copies of approved meldingen on their way before the rest
	 * (BOT_OUTBOX_COPY_FIRST_MS), whatever their place in the order. */
	int rc = run_outbox(d, a, 1);

	return rc == MX_OK ? run_outbox(d, a, 0) : rc;
}
