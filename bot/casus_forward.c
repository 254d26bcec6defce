/* casus_forward.c: carrying out policy's forward plan: a copy into each
 * target room, at most once per message and target, and one confirmation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casus_int.h"
#include "queue.h"
#include "log.h"
#include "matrix/mx_client.h"
#include "policy/pol_buf.h"

/* One forward being carried out: policy's plan (a), the message it copies
 * and the names of the rooms it reached, for the confirmation. */
typedef struct fwd {
	bot_daemon *d;
	const pol_action *a;
	const char *src_room, *src_event;
	long long nr;
	const char *houder;   /* casushouder in rooms the casus reaches for the first time */
	bot_casus_msg src;   /* the message copied */
	cJSON *orig;
	char sent[1500], already[1500];
	pol_buf sent_names, already_names;   /* "Wijkgroep Noord, Wijkgroep Zuid" in sent, already */
} fwd;

/* A police or stuurgroep message (the plan opens casus nr): its approval
 * opens the casus, with the message as root and no casushouder in its own
 * room. */
static int open_on_approval(fwd *f)
{
	int rc;

	rc = casus_open(f->d, f->nr, f->src_room, f->src_event, NULL);
	if (rc == BOT_STORE_OK)
		rc = casus_keep_event(f->d, f->src_room, f->src_event, f->nr, f->src.sender, NULL);
	return rc;
}

/* The copy for target, in the casus's thread there when it has one.
 * Caller owns it; NULL when out of memory or when the thread's root could
 * not be read (the batch then fails on the store's failure count). */
static cJSON *copy_for(fwd *f, const char *target)
{
	char header[1200], *root = NULL;
	cJSON *copy;

	casus_copy_header(f->d, f->nr, f->src.ts, target, f->houder, f->a->forward.approver, header, sizeof header);
	copy = casus_copy_content(f->orig, header, f->nr, f->src_room, f->src_event);
	/* A follow-up goes into the casus's thread there, under its root; a
	 * root that cannot be read fails the copy (never outside its thread). */
	if (copy) {
		int rc = bot_store_casus_root_in(f->d->store, f->nr, target, &root);

		if (rc == BOT_STORE_OK)
			mx_content_set_thread(copy, root, root);
		else if (rc != BOT_STORE_NOT_FOUND) {
			cJSON_Delete(copy);
			copy = NULL;
		}
	}
	free(root);
	return copy;
}

/* Queues the copy for target and records it (the forward, and the room
 * with its casushouder). A BOT_STORE_ status. */
static int send_copy(fwd *f, const char *target)
{
	cJSON *copy = copy_for(f, target);
	char *json = copy ? cJSON_PrintUnformatted(copy) : NULL, txn[TXN_MAX], lane[40];
	int rc;

	cJSON_Delete(copy);
	snprintf(txn, sizeof txn, "fwd:%s:%s", f->src_event, target);
	/* Copies of different casussen into one room do not wait for each
	 * other (ten wijkgroepen approving at once: ten copies side by side
	 * into the regiegroep); one casus's copies keep their order. */
	snprintf(lane, sizeof lane, "casus:%lld", f->nr);
	rc = json ? bot_store_outbox_add_in_lane(f->d->store, BOT_OUT_SEND, txn, target, "m.room.message", json, lane) :
		    bot_store_oom(f->d->store, "making a copy");
	free(json);
	if (rc == BOT_STORE_OK)
		rc = bot_store_casus_copy_add(f->d->store, f->src_event, target, f->nr, txn, f->a->forward.approver,
					      f->houder);
	return rc;
}

/* The copy into the room of key: at most once per message and target,
 * whatever is retried; a room that does not exist yet is skipped. */
static int forward_to(fwd *f, const char *key)
{
	const pol_room *tr = pol_structure_room_by_key(f->d->structure, key);
	char *target = NULL;
	int64_t made = 0;
	int rc;

	rc = bot_store_room_get(f->d->store, key, &target);
	if (rc != BOT_STORE_OK)
		return rc == BOT_STORE_NOT_FOUND ? BOT_STORE_OK : rc;
	/* A failed read never reads as "not copied yet". */
	rc = bot_store_casus_copy_count(f->d->store, f->src_event, target, &made);
	if (rc == BOT_STORE_OK && made > 0)
		pol_buf_add_sep(&f->already_names, ", ", tr ? tr->naam : target);
	else if (rc == BOT_STORE_OK) {
		rc = send_copy(f, target);
		pol_buf_add_sep(&f->sent_names, ", ", tr ? tr->naam : target);
	}
	free(target);
	return rc;
}

/* One confirmation in the origin thread, answering the approval (the
 * command, or the approved message itself for a reaction). */
static int confirm(fwd *f, const pol_input *in, const char *txn)
{
	const pol_action *a = f->a;
	char text[POL_TEXT_MAX] = "", more[1700];
	pol_buf t;

	if (f->sent[0])
		pol_textf(text, sizeof text, f->d->pol.lang, POL_TXT_CASUS_FORWARDED, f->sent, a->forward.approver);
	if (f->already[0]) {
		pol_textf(more, sizeof more, f->d->pol.lang, POL_TXT_CASUS_ALREADY_FORWARDED, f->already);
		pol_buf_init_at_end(&t, text, sizeof text);
		pol_buf_add_sep(&t, "\n", more);
	}
	return bot_notice_queue(f->d, in->room_id, text, a->reply_to ? a->reply_to : f->src_event,
				a->forward.root_event[0] ? a->forward.root_event : f->src_event, txn);
}

/* Carries out policy's plan a: every decision (the targets, who becomes
 * casushouder there, whether a casus opens) was made there. */
int casus_forward(bot_daemon *d, const pol_input *in, const pol_action *a, const char *txn_base, size_t index)
{
	fwd f;
	char txn[TXN_MAX];
	size_t i;
	int rc;

	snprintf(txn, sizeof txn, "%s|%zu", txn_base, index);
	if (a->forward.edit)
		return casus_forward_edit(d, in, a, txn);
	memset(&f, 0, sizeof f);
	pol_buf_init(&f.sent_names, f.sent, sizeof f.sent);
	pol_buf_init(&f.already_names, f.already, sizeof f.already);
	f.d = d;
	f.a = a;
	f.src_room = in->room_id;
	f.src_event = a->forward.event;
	f.nr = a->forward.nr;
	rc = bot_store_casus_msg_get(d->store, f.src_room, f.src_event, &f.src);
	if (rc == BOT_STORE_ERR)
		goto cleanup;
	if (rc == BOT_STORE_NOT_FOUND || !f.src.sender || !f.src.content) {
		rc = bot_notice_queue(d, in->room_id, pol_text(d->pol.lang, POL_TXT_CASUS_NOT_A_CASUS), a->reply_to,
				      a->thread_root, txn);
		goto cleanup;
	}
	if (a->forward.opens && (rc = open_on_approval(&f)) != BOT_STORE_OK)
		goto cleanup;
	/* A copy forwarded on: the original content travels, not the copy's. */
	f.orig = cJSON_Parse(f.src.content);
	f.houder = a->forward.houder_kind == POL_HOUDER_AUTHOR ? f.src.sender : a->forward.houder;
	for (i = 0; i < a->forward.n_targets && rc == BOT_STORE_OK; i++)
		rc = forward_to(&f, a->forward.targets[i]);
	if (rc != BOT_STORE_OK)
		goto cleanup;
	LOG_INFO("casus %lld: a message forwarded to %zu room(s)", f.nr, a->forward.n_targets);
	rc = confirm(&f, in, txn);
cleanup:
	cJSON_Delete(f.orig);
	bot_casus_msg_clear(&f.src);
	return rc;
}
