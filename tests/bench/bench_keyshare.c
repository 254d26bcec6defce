/* bench_keyshare: sharing a room key with a 100-member room, 2 devices
 * each, through the real homeserver: cold (new Olm sessions: key query,
 * one-time key claim, 200 outbound sessions, to-device) and warm (a new
 * room key over the existing sessions). CPU time of this process (the
 * bot's side) and wall time. Prints figures; never fails on them.
 * Targets (DESIGN.md section 7): cold under 0.5 s CPU, warm under 50 ms. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../integration/itest.h"
#include "bot/crypto.h"
#include "bot/daemon.h"
#include "matrix/mx_canonical.h"
#include "matrix/mx_olm.h"

#define MEMBERS 100
#define DEVICES 2

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int sign_acct(void *ctx, const char *msg, size_t len, char **out, mx_error *err)
{
	return mx_olm_account_sign(ctx, msg, len, out, err);
}

/* Uploads device keys and one signed one-time key for the client's device,
 * as a resident's client would. */
static void upload_device(mx_client *c, const char *user_id, const char *device_id)
{
	mx_olm_account *a = NULL;
	char curve[64], ed[64], kid[160];
	cJSON *body = cJSON_CreateObject(), *dk, *keys, *otks = NULL, *otk_obj, *k;

	cr_assert_eq(mx_olm_account_new(&a, NULL), MX_OK);
	cr_assert_eq(mx_olm_account_identity(a, curve, ed, NULL), MX_OK);
	dk = cJSON_AddObjectToObject(body, "device_keys");
	cJSON_AddStringToObject(dk, "user_id", user_id);
	cJSON_AddStringToObject(dk, "device_id", device_id);
	cJSON_AddItemToObject(dk, "algorithms",
			      cJSON_Parse("[\"m.olm.v1.curve25519-aes-sha2\",\"m.megolm.v1.aes-sha2\"]"));
	keys = cJSON_AddObjectToObject(dk, "keys");
	snprintf(kid, sizeof kid, "curve25519:%s", device_id);
	cJSON_AddStringToObject(keys, kid, curve);
	snprintf(kid, sizeof kid, "ed25519:%s", device_id);
	cJSON_AddStringToObject(keys, kid, ed);
	cr_assert_eq(mx_json_sign(dk, user_id, kid, sign_acct, a, NULL), MX_OK);
	cr_assert_eq(mx_olm_account_generate_one_time_keys(a, 1, NULL), MX_OK);
	cr_assert_eq(mx_olm_account_one_time_keys(a, &otks, NULL), MX_OK);
	otk_obj = cJSON_AddObjectToObject(body, "one_time_keys");
	cJSON_ArrayForEach(k, cJSON_GetObjectItem(otks, "curve25519")) {
		cJSON *o = cJSON_CreateObject();
		char id[160];
		cJSON_AddStringToObject(o, "key", k->valuestring);
		cr_assert_eq(mx_json_sign(o, user_id, kid, sign_acct, a, NULL), MX_OK);
		snprintf(id, sizeof id, "signed_curve25519:%s", k->string);
		cJSON_AddItemToObject(otk_obj, id, o);
	}
	cr_assert_eq(mx_request(c, "POST", "/_matrix/client/v3/keys/upload", body, 0, NULL), MX_OK);
	cJSON_Delete(body);
	cJSON_Delete(otks);
	mx_olm_account_free(a);
}

Test(bench, room_key_share_100_members_2_devices, .timeout = 900)
{
	static itest_user members[MEMBERS];
	itest_user botu;
	bot_daemon d;
	bot_config cfg;
	volatile sig_atomic_t stop = 0;
	char dir[] = "/tmp/buurtbot-keyshare-XXXXXX", path[300], err[512], cmd[300], *room = NULL;
	mx_create_room_opts o;
	cJSON *state, *content = mx_content_text("m.notice", "bench", NULL), *enc = NULL;
	mx_error merr;
	double c0, w0, cold_cpu, cold_wall, warm_cpu, warm_wall;
	int i;

	itest_user_new(&botu, "benchbot");
	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	cr_assert_eq(bot_store_open(&d.store, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	d.cfg = &cfg;
	d.stop = &stop;
	d.client = botu.c;
	d.password = botu.password;
	cr_assert_eq(mx_whoami(d.client, &d.user_id, &d.device_id), MX_OK);
	cr_assert_eq(bot_crypto_start(&d, "bench-pickle-key"), 0);

	state = cJSON_Parse("[{\"type\":\"m.room.encryption\",\"state_key\":\"\","
			    "\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\"}}]");
	memset(&o, 0, sizeof o);
	o.name = "bench";
	o.preset = "private_chat";
	o.initial_state = state;
	cr_assert_eq(mx_create_room(d.client, &o, &room), MX_OK);
	cJSON_Delete(state);
	/* The bot learns the room is encrypted from its state. */
	cr_assert_eq(bot_store_crypto_put(d.store, "rooms", room, "{\"algorithm\":\"m.megolm.v1.aes-sha2\"}"),
		     BOT_STORE_OK);
	printf("\nbench_keyshare: setting up %d members with %d devices each...\n", MEMBERS, DEVICES);
	fflush(stdout);
	for (i = 0; i < MEMBERS; i++) {
		char *dev = NULL, *uid = NULL;
		mx_login_result second = { 0 };
		mx_client *c2;

		itest_user_new(&members[i], "lid");
		c2 = itest_user_client(&members[i]);
		cr_assert_eq(mx_whoami(members[i].c, &uid, &dev), MX_OK);
		upload_device(members[i].c, members[i].user_id, dev);
		cr_assert_eq(mx_login_password(c2, members[i].user_id, members[i].password, NULL, "tweede",
					       &second), MX_OK);
		upload_device(c2, members[i].user_id, second.device_id);
		itest_invite(&botu, room, members[i].user_id);
		cr_assert_eq(mx_join(members[i].c, room, NULL), MX_OK);
		mx_login_result_clear(&second);
		mx_client_free(c2);
		free(dev);
		free(uid);
	}

	c0 = cpu_ms();
	w0 = (double)itest_now_ms();
	cr_assert_eq(mx_e2ee_encrypt(d.e2ee, room, "m.room.message", content, &enc, &merr), MX_OK, "%s", merr.message);
	cold_cpu = cpu_ms() - c0;
	cold_wall = (double)itest_now_ms() - w0;
	cJSON_Delete(enc);
	printf("  devices given the key: %lu\n", mx_e2ee_get_stats(d.e2ee)->sessions_shared);

	/* A member leaves and comes back: new room key, existing Olm sessions. */
	cr_assert_eq(bot_store_crypto_delete(d.store, "megolm_out", room), BOT_STORE_OK);
	c0 = cpu_ms();
	w0 = (double)itest_now_ms();
	cr_assert_eq(mx_e2ee_encrypt(d.e2ee, room, "m.room.message", content, &enc, &merr), MX_OK, "%s", merr.message);
	warm_cpu = cpu_ms() - c0;
	warm_wall = (double)itest_now_ms() - w0;
	cJSON_Delete(enc);

	printf("  cold (new Olm sessions)  CPU %7.1f ms  wall %7.1f ms   (target CPU < 500 ms)\n", cold_cpu, cold_wall);
	printf("  warm (existing sessions) CPU %7.1f ms  wall %7.1f ms   (target CPU < 50 ms)\n", warm_cpu, warm_wall);
	fflush(stdout);

	cJSON_Delete(content);
	mx_e2ee_free(d.e2ee);
	bot_store_close(d.store);
	free(d.user_id);
	free(d.device_id);
	free(room);
	for (i = 0; i < MEMBERS; i++)
		itest_user_free(&members[i]);
	itest_user_free(&botu);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
