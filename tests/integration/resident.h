/* resident.h: a resident with an independent encrypted client
 * (matrix-nio, via tests/harness/resident.py), for integration tests. */
#ifndef RESIDENT_H
#define RESIDENT_H

#include <cjson/cJSON.h>
#include "itest.h"

typedef struct resident {
	itest_user u;
	char store[300];
} resident;

/* A fresh account named <prefix><unique>. */
void resident_new(resident *r, const char *prefix);
/* An existing account (e.g. of an example structure file). */
void resident_existing(resident *r, const itest_user *u);
void resident_free(resident *r);
/* Runs resident.py with args; its one JSON line parsed (caller deletes),
 * asserting success unless may_fail. */
cJSON *resident_run(resident *r, const char *args, int may_fail);
/* Sends text encrypted; returns the event id (caller frees). */
char *resident_send(resident *r, const char *room, const char *text);
/* The decrypted body of the bot's reply to event (caller frees). */
char *bot_reply(resident *r, itest_bot *bot, const char *room, const char *event);
char *json_str(const cJSON *j, const char *name);

#endif
