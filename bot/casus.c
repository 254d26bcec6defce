/* casus.c: the facts the rules ask about casussen, keeping a casus's
 * messages and opening one, and the casus actions' dispatch (see casus.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casus_int.h"
#include "queue.h"
#include "log.h"
#include "matrix/mx_client.h"

void casus_num(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
}

/* ---- facts ---- */

int bot_casus_by_nr(bot_daemon *d, long long nr, const char *room_id, pol_casus *out)
{
	return bot_store_casus_get(d->store, nr, room_id, out) == BOT_STORE_OK ? 0 : -1;
}

/* The casus of a kept message (nr 0 too when with_unopened), with its
 * author and how often it was copied; -1 when not kept, or when a read
 * failed (the store counts that failure: the batch sees it). */
int casus_kept_message(bot_daemon *d, const char *room_id, const char *event_id, int with_unopened, pol_casus *out)
{
	bot_casus_msg m;
	int64_t copies = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (bot_store_casus_msg_get(d->store, room_id, event_id, &m) != BOT_STORE_OK)
		return -1;
	if (m.nr > 0 ? bot_casus_by_nr(d, m.nr, room_id, out) != 0 : !with_unopened)
		goto cleanup;
	if (m.sender)
		snprintf(out->sender, sizeof out->sender, "%s", m.sender);
	if (bot_store_casus_copy_count(d->store, event_id, NULL, &copies) != BOT_STORE_OK)
		goto cleanup;
	out->copies = (long)copies;
	rc = 0;
cleanup:
	bot_casus_msg_clear(&m);
	return rc;
}

int bot_casus_of_event(bot_daemon *d, const char *room_id, const char *event_id, pol_casus *out)
{
	bot_casus_edit e;
	long long nr = 0;

	if (casus_kept_message(d, room_id, event_id, 0, out) == 0)
		return 0;
	if (bot_store_casus_edit_find(d->store, room_id, event_id, &e) == BOT_STORE_OK) {
		int rc = bot_casus_by_nr(d, e.nr, room_id, out);

		if (rc == 0) {
			out->edit = e.state;
			snprintf(out->edit_event, sizeof out->edit_event, "%s", e.edit_event ? e.edit_event : "");
		}
		bot_casus_edit_clear(&e);
		return rc;
	}
	/* The bot's copy, before sync showed it back: its root is known only
	 * through the forward that made it. */
	memset(out, 0, sizeof *out);
	if (bot_store_casus_of_root(d->store, room_id, event_id, &nr) != BOT_STORE_OK || nr <= 0)
		return -1;
	return bot_casus_by_nr(d, nr, room_id, out);
}

long long bot_casus_open_in(bot_daemon *d, const char *room_id)
{
	long long nr = 0;

	return bot_store_casus_open_in(d->store, room_id, &nr) == BOT_STORE_OK ? nr : -1;
}

long long bot_casus_last_nr(bot_daemon *d)
{
	long long nr = 0;

	return bot_store_casus_last_nr(d->store, &nr) == BOT_STORE_OK ? nr : -1;
}

int bot_casus_is_casushouder(bot_daemon *d, const char *room_id, const char *user)
{
	int yes = 0;

	/* Closed ones count too: their casushouder hears "al afgesloten" rather
	 * than a refusal; the command checks the casus at hand. */
	return bot_store_casus_is_houder(d->store, room_id, user, &yes) == BOT_STORE_OK && yes;
}

/* ---- keeping messages ---- */

int casus_keep_event(bot_daemon *d, const char *room_id, const char *event_id, long long nr, const char *sender,
		      const cJSON *content)
{
	char *json = content ? cJSON_PrintUnformatted(content) : strdup("{}");
	int rc;

	if (!json)
		return bot_store_oom(d->store, "keeping a casus message");
	rc = bot_store_casus_msg_keep(d->store, room_id, event_id, nr, sender, json);
	free(json);
	return rc;
}

int casus_open(bot_daemon *d, long long nr, const char *room_id, const char *event_id,
		      const char *casushouder)
{
	int rc = bot_store_casus_open(d->store, nr, room_id, event_id, casushouder);

	if (rc == BOT_STORE_OK)
		LOG_INFO("casus %lld opened", nr);
	return rc;
}

/* A private word in the resident's direct chat. Without one yet, the bot
 * opens it and keeps the word until the resident joins. */
static int private_note(bot_daemon *d, const pol_private_plan *a, const char *txn)
{
	char *room = NULL, content[600], open_txn[TXN_MAX + 8];
	cJSON *c;
	char *json;
	int rc;

	if (bot_store_direct_room_of(d->store, a->user, &room) == BOT_STORE_OK) {
		rc = bot_notice_queue(d, room, a->text, NULL, NULL, txn);
		free(room);
		return rc;
	}
	rc = bot_store_note_add(d->store, a->user, a->text);
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "user", a->user);
	json = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	if (!json)
		return BOT_STORE_ERR;
	snprintf(content, sizeof content, "%s", json);
	free(json);
	snprintf(open_txn, sizeof open_txn, "%s.dm", txn);
	if (rc == BOT_STORE_OK)
		rc = bot_store_outbox_add(d->store, BOT_OUT_DM, open_txn, a->user, NULL, content);
	return rc;
}

int bot_casus_deliver_notes(bot_daemon *d, const char *user, const char *room_id)
{
	bot_casus_note *notes = NULL;
	char txn[TXN_MAX];
	size_t i, n = 0;
	int rc;

	rc = bot_store_notes_of(d->store, user, &notes, &n);
	for (i = 0; i < n && rc == BOT_STORE_OK; i++) {
		snprintf(txn, sizeof txn, "note:%lld", notes[i].id);
		if (notes[i].text)
			rc = bot_notice_queue(d, room_id, notes[i].text, NULL, NULL, txn);
		if (rc == BOT_STORE_OK)
			rc = bot_store_note_delete(d->store, notes[i].id);
	}
	bot_casus_notes_free(notes, n);
	return rc;
}

/* A 🚩: counted for the author (when the bot saw who wrote it), and the
 * stuurgroep gets a link to the message. */
static int flag(bot_daemon *d, const pol_input *in, const pol_mark_plan *a, const char *txn)
{
	char *author = NULL, text[POL_TEXT_MAX], link[700], *esc_room, *esc_event;
	long warnings = 0, flags = 0;
	int rc;

	rc = bot_store_post_author(d->store, in->room_id, a->event, &author);
	if (rc == BOT_STORE_ERR)
		return BOT_STORE_ERR;
	rc = BOT_STORE_OK;
	if (author)
		rc = bot_store_mark_add(d->store, author, "flag", a->user, in->room_id, a->event);
	if (rc == BOT_STORE_OK && author)
		rc = bot_store_marks_count(d->store, author, &warnings, &flags);
	esc_room = mx_escape(in->room_id);
	esc_event = mx_escape(a->event);
	snprintf(link, sizeof link, "https://matrix.to/#/%s/%s", esc_room ? esc_room : "", esc_event ? esc_event : "");
	free(esc_room);
	free(esc_event);
	pol_textf(text, sizeof text, d->pol.lang, POL_TXT_FLAG_NOTICE, a->user, author ? author : "?",
		  casus_room_name(d, in->room_id), link, flags);
	if (rc == BOT_STORE_OK)
		rc = bot_notice_queue_key(d, a->room_key, text, txn);
	free(author);
	return rc;
}

void bot_casus_marks(bot_daemon *d, const char *user, long *warnings, long *flags)
{
	/* On error both are 0; the store counts the failure and the batch
	 * that asked fails with it. */
	bot_store_marks_count(d->store, user, warnings, flags);
}

int bot_casus_note_post(bot_daemon *d, const char *room_id, const char *event_id, const char *user, int top_level)
{
	return bot_store_post_add(d->store, room_id, event_id, user, top_level);
}

long bot_casus_recent_posts(bot_daemon *d, const char *room_id, const char *user, long seconds)
{
	long n = 0;

	return bot_store_posts_recent(d->store, room_id, user, seconds, &n) == BOT_STORE_OK ? n : -1;
}

int bot_casus_action(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base, size_t index)
{
	char txn[TXN_MAX];
	int rc;

	snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
	switch (a->kind) {
	case POL_ACT_CASUS_OPEN:
		rc = casus_open(d, a->casus.nr, in->room_id, in->event_id, a->casus.houder);
		return rc == BOT_STORE_OK ?
			casus_keep_event(d, in->room_id, in->event_id, a->casus.nr, in->sender, in->content) : rc;
	case POL_ACT_CASUS_EVENT:
		return casus_keep_event(d, in->room_id, in->event_id, a->casus.nr, in->sender, in->content);
	case POL_ACT_FORWARD:
		return casus_forward(d, in, a, txn_base, index);
	case POL_ACT_CASUS_CLOSE:
		return casus_close(d, in, a, txn);
	case POL_ACT_CASUS_LIST:
		return casus_list(d, in, a, txn);
	case POL_ACT_PRIVATE:
		return private_note(d, &a->priv, txn);
	case POL_ACT_MARK:
		return bot_store_mark_add(d->store, a->mark.user, "warning", in->sender, in->room_id, NULL);
	case POL_ACT_FLAG:
		return flag(d, in, &a->mark, txn);
	case POL_ACT_CASUS_LINK:
		rc = bot_store_casus_link(d->store, a->link.nr, a->link.linked);
		return rc == BOT_STORE_OK ?
			bot_notice_queue(d, in->room_id, a->link.text, a->reply_to, a->thread_root, txn) : rc;
	default:
		return BOT_STORE_OK;
	}
}
