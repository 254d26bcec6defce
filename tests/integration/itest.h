/* itest.h: helpers for integration tests against the real Synapse that
 * tests/harness/run-integration.sh starts: accounts, the bot as a child
 * process, rooms, messages. Every helper asserts on failure. */
#ifndef ITEST_H
#define ITEST_H

#include <stddef.h>
#include <sys/types.h>
#include <cjson/cJSON.h>
#include "matrix/mx_client.h"

typedef struct itest_user {
	char user_id[256];
	char password[64];
	char token[512];     /* for a second client of the same account (threads) */
	mx_client *c;
} itest_user;

typedef struct itest_bot {
	pid_t pid;
	char dir[256];       /* temp dir: config, password, data, log */
	char conf[320];
	char log[320];
	itest_user account;
} itest_bot;

const char *itest_env(const char *name);      /* asserts it is set */
/* Runs "$BUURTBOT_HARNESS args"; stdout into out (may be NULL). Returns exit status. */
int itest_harness(const char *args, char *out, size_t outsize);

/* Registers a fresh account named <prefix><unique>, logged in. */
void itest_user_new(itest_user *u, const char *prefix);
void itest_user_free(itest_user *u);
/* A new client logged in as u (one per thread); caller frees. */
mx_client *itest_user_client(const itest_user *u);

/* Registers the bot's account and writes its config; extra_conf lines are
 * appended (may be NULL). admins is the `admins` setting. */
void itest_bot_setup(itest_bot *b, const char *admins, const char *extra_conf);
void itest_bot_start(itest_bot *b);
/* SIGTERM and wait; returns the exit status (or -1 when it had to be killed). */
int itest_bot_stop(itest_bot *b);
void itest_bot_kill9(itest_bot *b);
/* 1 while the bot process is still running. */
int itest_bot_alive(itest_bot *b);
/* Stops the bot with SIGTERM, expecting exit 0, and removes its files. */
void itest_bot_cleanup(itest_bot *b);
/* Waits until the bot's log has its nth line containing needle and
 * returns that line (caller frees), or NULL after timeout_ms. */
char *itest_wait_log_line(const itest_bot *b, const char *needle, int nth, long timeout_ms);
/* Prints the bot's log to stderr (for failing tests). */
void itest_bot_dump_log(const itest_bot *b);

char *itest_create_room(itest_user *u, const char *name);      /* caller frees */
void itest_invite(itest_user *u, const char *room_id, const char *user_id);
/* membership of user in room as u sees it ("join", "invite", "leave", ...)
 * or NULL; caller frees. */
char *itest_membership(itest_user *u, const char *room_id, const char *user_id);
/* Polls until user's membership is `want` or timeout; returns 1 when reached. */
int itest_wait_membership(itest_user *u, const char *room_id, const char *user_id,
			  const char *want, long timeout_ms);
char *itest_send_text(itest_user *u, const char *room_id, const char *body); /* event id */

/* Newest `limit` room events, oldest first. Caller deletes. */
cJSON *itest_messages(itest_user *u, const char *room_id, int limit);
/* Events in msgs sent by sender that reply to event_id (m.in_reply_to). */
int itest_count_replies(const cJSON *msgs, const char *sender, const char *event_id);
/* Polls the room until every event id in ids has `want` replies from
 * sender, or timeout. Returns 1 when reached. */
int itest_wait_replies(itest_user *u, const char *room_id, const char *sender,
		       char **ids, size_t n, int want, long timeout_ms);

long itest_now_ms(void);
void itest_sleep_ms(long ms);

#endif
