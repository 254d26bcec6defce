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
	char hs_url[128];    /* its homeserver's client URL (see itest_hs_use) */
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

/* Homeservers a test starts itself, federating with each other on
 * 127.0.0.1 (`hs --dir DIR start --federation`): server names
 * localhost:<port>. Their directories are under $BUURTBOT_HS_DIR, so
 * run-integration.sh stops whatever a failing test left running. */
typedef struct itest_hs {
	char dir[300];
	char url[128];       /* client API */
	char name[64];       /* server name, localhost:<port> */
} itest_hs;
/* Starts n of them at once in $BUURTBOT_HS_DIR/fed-<pid>-<i>. */
void itest_hs_start_federating(itest_hs *hs, int n);
/* Stops one (its state stays); start_again brings it back on the same ports. */
void itest_hs_stop(const itest_hs *hs);
void itest_hs_start_again(const itest_hs *hs);
/* Stops them and removes their directories. */
void itest_hs_cleanup(itest_hs *hs, int n);
/* Accounts registered and bots set up from now on live on hs (until the
 * next call); accounts keep the homeserver they were registered on. */
void itest_hs_use(const itest_hs *hs);

/* Registers localpart with password (or logs in when it exists) on the
 * homeserver in use; u is filled and logged in. */
void itest_user_register(itest_user *u, const char *localpart, const char *password);
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
/* How often needle occurs in the bot's whole log now, failing the test
 * when the log cannot be read whole: for "never logged", where a NULL of
 * itest_wait_log_line would also be an unreadable or overlong log. */
int itest_log_count(const itest_bot *b, const char *needle);
/* Prints the bot's log to stderr (for failing tests). */
void itest_bot_dump_log(const itest_bot *b);
/* The access token the bot keeps in its store: as stored (sealed with the
 * pickle key), or with unseal the token itself, opened with the bot's
 * pickle key file. Caller frees; asserts there is one. */
char *itest_bot_stored_token(const itest_bot *b, int unseal);

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
/* 1 when event_id is among msgs: a count of its replies means something. */
int itest_has_event(const cJSON *msgs, const char *event_id);
/* Polls the room until every event id in ids has `want` replies from
 * sender, or timeout. Returns 1 when reached. */
int itest_wait_replies(itest_user *u, const char *room_id, const char *sender,
		       char **ids, size_t n, int want, long timeout_ms);

/* The body of sender's reply (m.in_reply_to) to event in room, waited for
 * up to timeout_ms; NULL when none came. Caller frees. */
char *itest_reply_body(itest_user *u, const char *room, const char *sender, const char *event, long timeout_ms);

long itest_now_ms(void);
void itest_sleep_ms(long ms);

/* Runs the bot binary once with args (after env's assignments or env(1)
 * options, may be NULL); its output (stdout and stderr) into out. Returns
 * its exit status, -1 when it did not exit. */
int itest_run_bot(const char *env, const char *args, char *out, size_t size);

#endif
