/* daemon.h: the bot's running state and its main loop. One sync batch at a
 * time: decide every new event and store the decisions, the ledger and the
 * next sync token in one transaction, then carry out the outbox, while the
 * next sync is already waiting on the homeserver. */
#ifndef BOT_DAEMON_H
#define BOT_DAEMON_H

#include <signal.h>
#include <stdbool.h>
#include "backlog.h"
#include "clock.h"
#include "config.h"
#include "store.h"
#include "matrix/mx_client.h"
#include "matrix/mx_e2ee.h"
#include "matrix/mx_sync.h"
#include "policy/pol_engine.h"
#include "policy/pol_structure.h"

typedef struct bot_daemon {
	const bot_config *cfg;
	bot_store *store;
	mx_client *client;
	pol_config pol;
	char *user_id;                  /* confirmed by whoami */
	char *device_id;
	char *password;                 /* may be NULL; never logged */
	const char *pickle_key;         /* the operator's; seals the access token in the store */
	char *filter_id;
	mx_e2ee *e2ee;                  /* NULL until encryption started */
	pol_structure *structure;       /* NULL without a structure file */
	char *structure_text;           /* the file text it came from (before the overlay) */
	volatile sig_atomic_t *reload;  /* raised by SIGHUP */
	int held_checked;               /* held events tried since start */
	unsigned long undecryptable;    /* events given up on */
	volatile sig_atomic_t *stop;    /* raised by SIGTERM/SIGINT */
	unsigned long events_decided;   /* counters for the log and tests */
	unsigned long events_skipped;
	long outbox_slice_ms;           /* a flush yields to sync after this long (0: BOT_OUTBOX_SLICE_MS) */
	int outbox_more;                /* the last flush yielded with items left */
	bot_clock clock;                /* chosen at start-up; read only by bot_daemon_tick */
	long long now;                  /* seconds since the epoch: the time of this batch */
	long long casus_swept_at;       /* d->now of the last housekeeping passes */
	long long signup_swept_at;
} bot_daemon;

#define BUURTBOT_VERSION "0.1.0"

/* Store keys of the session and sync position. */
#define BOT_KV_SYNC_TOKEN   "sync_token"
#define BOT_KV_ACCESS_TOKEN "access_token"   /* sealed with the pickle key */
#define BOT_KV_DEVICE_ID    "device_id"
#define BOT_KV_USER_ID      "user_id"

/* Reads the clock, once per batch (and per flush of the outbox): sets
 * d->now and the store's time (bot_store_set_now), which everything
 * below the loop uses, in C and in SQL. The one place the clock is read. */
void bot_daemon_tick(bot_daemon *d);

/* Logs in or resumes the stored session (reusing the device id so the
 * homeserver keeps deduplicating transaction ids). 0 ok, -1 fatal with the
 * reason logged. */
int bot_session_start(bot_daemon *d, const char *configured_token);
/* After M_UNKNOWN_TOKEN: log in again with the password, same device. */
int bot_session_renew(bot_daemon *d);

/* Decides every event of backlog (may be NULL) and then of batch that is
 * not in the ledger, and stores the outcome with next_batch, all in one
 * transaction. On a first sync (no previous token) only invites are
 * decided: old history is not answered. Returns 0, or -1 when the store
 * failed (nothing changed). */
int bot_process_batch(bot_daemon *d, const mx_sync_batch *batch,
		      const bot_backlog *backlog, int first_sync);
/* The membership ev gives the bot itself ("invite", "join", "leave", ...),
 * or NULL when ev is not an m.room.member event about the bot. */
const char *bot_own_membership(const bot_daemon *d, const mx_event *ev);
/* Whether the bot's own join to room_id is in this batch. */
bool bot_batch_joined_now(const bot_daemon *d, const mx_sync_batch *b, const char *room_id);

/* Carries out pending outbox items in the send order of
 * bot_store_outbox_next_ready. Returns MX_OK when the outbox is empty or
 * nothing in it is due, or when it yielded: after outbox_slice_ms with
 * only items below high priority left it stops and sets d->outbox_more,
 * so that the loop syncs at once and a command that came in meanwhile is
 * decided and answered before the rest. Otherwise the mx_status that
 * stopped it (the item stays pending and is retried later with the same
 * transaction id). */
int bot_outbox_flush(bot_daemon *d);

/* The loop's way with the outbox: like bot_outbox_flush, but messages
 * are put on the wire through a and left to travel side by side (one at
 * a time per room, in the store's order); the other kinds are carried
 * out here. Their answers come back through bot_outbox_finished. Returns
 * MX_OK, or the mx_status of an item carried out here that stopped it. */
struct mx_async;
int bot_outbox_pump(bot_daemon *d, struct mx_async *a);
/* The answer to a message the pump put on the wire (tag: its outbox id;
 * resp the 2xx body): marked sent, marked failed on a refusal, or tried
 * again after a pause. MX_OK, or MX_ERR_AUTH when the token is gone. */
int bot_outbox_finished(bot_daemon *d, uintptr_t tag, int status, const cJSON *resp, const mx_error *err);
/* The bot's own events in a batch from sync: a copy the homeserver
 * accepted is delivered once the bot's sync shows it, and the messages
 * waiting for it (BOT_OUTBOX_COPY_FIRST_MS) may go. */
void bot_outbox_saw(bot_daemon *d, const mx_sync_batch *b);
/* Messages on the wire and not yet answered. */
int bot_outbox_in_flight(void);
/* Forgets them (the loop ends; they stay pending in the store and are
 * sent again, with the same txn ids, at the next start). */
void bot_outbox_forget_flying(void);

/* The loop: runs until *stop. Returns 0 on a clean stop, -1 on a fatal
 * error (logged). */
int bot_daemon_run(bot_daemon *d);

#endif
