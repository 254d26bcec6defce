/* bench_olm: CPU cost of the E2EE primitives, offline (no homeserver): a
 * room key to 200 devices over new Olm sessions (cold) and over existing
 * ones (warm), and Megolm decryption throughput. Prints figures; never
 * fails on one. Targets (DESIGN.md section 7): cold under 0.5 s CPU, warm
 * under 50 ms. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "matrix/mx_olm.h"

#define DEVICES 200
#define ROUNDS 3
#define MEGOLM_MSGS 2000

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

typedef struct device {
	mx_olm_account *acct;
	char curve[64], ed[64];
	char *otk[ROUNDS];
	mx_olm_session *in;   /* the device's end of the last session */
} device;

static device devs[DEVICES];
static mx_olm_session *out_sessions[DEVICES];

/* The Olm payload of an m.room_key to one device, about as large as the
 * real one (sender, recipient and their keys around the session key). */
static char *room_key_payload(const char *bot_ed, const device *d, const char *sid,
			      const char *skey)
{
	size_t size = 2048 + strlen(skey);
	char *buf = malloc(size);

	cr_assert_not_null(buf);
	snprintf(buf, size,
		 "{\"type\":\"m.room_key\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\","
		 "\"room_id\":\"!wijkgroep:localhost\",\"session_id\":\"%s\",\"session_key\":\"%s\"},"
		 "\"sender\":\"@buurtbot:localhost\",\"sender_device\":\"BUURTBOT\","
		 "\"keys\":{\"ed25519\":\"%s\"},\"recipient\":\"@bewoner:localhost\","
		 "\"recipient_keys\":{\"ed25519\":\"%s\"}}",
		 sid, skey, bot_ed, d->ed);
	return buf;
}

static void drop_sessions(void)
{
	int i;

	for (i = 0; i < DEVICES; i++) {
		mx_olm_session_free(out_sessions[i]);
		out_sessions[i] = NULL;
	}
}

/* One cold share: a new outbound session per device with its round-th
 * one-time key, one encrypt each. Returns CPU seconds. */
static double cold_share(mx_olm_account *bot, int round, const char *const *payloads)
{
	double t0, t;
	int i;
	mx_error err;

	drop_sessions();
	t0 = cpu_s();
	for (i = 0; i < DEVICES; i++) {
		char *body = NULL;
		int type;

		cr_assert_eq(mx_olm_session_new_outbound(&out_sessions[i], bot, devs[i].curve,
							 devs[i].otk[round], &err), MX_OK, "%s", err.message);
		cr_assert_eq(mx_olm_session_encrypt(out_sessions[i], payloads[i], &type, &body, &err),
			     MX_OK, "%s", err.message);
		free(body);
	}
	t = cpu_s() - t0;
	return t;
}

/* One warm share: one encrypt on each existing session. */
static double warm_share(const char *const *payloads)
{
	double t0 = cpu_s();
	int i;
	mx_error err;

	for (i = 0; i < DEVICES; i++) {
		char *body = NULL;
		int type;

		cr_assert_eq(mx_olm_session_encrypt(out_sessions[i], payloads[i], &type, &body, &err),
			     MX_OK, "%s", err.message);
		free(body);
	}
	return cpu_s() - t0;
}

/* Every device answers once, so the bot's next encrypt on each session
 * starts a new ratchet step (a Curve25519 key and exchange): the dearer
 * kind of warm share, as after any conversation. Not timed. */
static void devices_reply(void)
{
	int i;
	mx_error err;

	for (i = 0; i < DEVICES; i++) {
		char *body = NULL, *reply = NULL, *plain = NULL;
		int type, rtype;

		cr_assert_eq(mx_olm_session_encrypt(out_sessions[i], "{\"type\":\"m.dummy\"}", &type,
						    &body, &err), MX_OK);
		if (type == MX_OLM_PRE_KEY) {
			mx_olm_session_free(devs[i].in);
			devs[i].in = NULL;
			cr_assert_eq(mx_olm_session_new_inbound(&devs[i].in, devs[i].acct, NULL, body, &err),
				     MX_OK, "%s", err.message);
		}
		cr_assert_eq(mx_olm_session_decrypt(devs[i].in, type, body, &plain, &err), MX_OK, "%s",
			     err.message);
		free(plain);
		plain = NULL;
		cr_assert_eq(mx_olm_session_encrypt(devs[i].in, "{\"type\":\"m.dummy\"}", &rtype, &reply,
						    &err), MX_OK);
		cr_assert_eq(mx_olm_session_decrypt(out_sessions[i], rtype, reply, &plain, &err), MX_OK,
			     "%s", err.message);
		free(plain);
		free(reply);
		free(body);
	}
}

Test(bench, olm_room_key_share_and_megolm, .timeout = 600)
{
	mx_olm_account *bot = NULL;
	mx_megolm_out *gout = NULL;
	mx_megolm_in *gin = NULL;
	char bot_curve[64], bot_ed[64];
	char *sid = NULL, *skey = NULL, *payloads[DEVICES];
	static char *cts[MEGOLM_MSGS];
	double cold[ROUNDS], warm[ROUNDS], warm_ratchet[ROUNDS], t0, enc_s, dec_s;
	double setup0 = cpu_s();
	int i, r;
	mx_error err;

	cr_assert_eq(mx_olm_account_new(&bot, &err), MX_OK);
	cr_assert_eq(mx_olm_account_identity(bot, bot_curve, bot_ed, &err), MX_OK);
	cr_assert_eq(mx_megolm_out_new(&gout, &err), MX_OK);
	cr_assert_eq(mx_megolm_out_id(gout, &sid, &err), MX_OK);
	cr_assert_eq(mx_megolm_out_key(gout, &skey, &err), MX_OK);

	/* 200 devices, each with one one-time key per round */
	for (i = 0; i < DEVICES; i++) {
		cJSON *keys = NULL;
		const cJSON *k;

		cr_assert_eq(mx_olm_account_new(&devs[i].acct, &err), MX_OK);
		cr_assert_eq(mx_olm_account_identity(devs[i].acct, devs[i].curve, devs[i].ed, &err), MX_OK);
		cr_assert_eq(mx_olm_account_generate_one_time_keys(devs[i].acct, ROUNDS, &err), MX_OK);
		cr_assert_eq(mx_olm_account_one_time_keys(devs[i].acct, &keys, &err), MX_OK);
		r = 0;
		cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(keys, "curve25519"))
			devs[i].otk[r++] = strdup(k->valuestring);
		cr_assert_eq(r, ROUNDS);
		cJSON_Delete(keys);
		mx_olm_account_mark_published(devs[i].acct);
		payloads[i] = room_key_payload(bot_ed, &devs[i], sid, skey);
	}
	printf("\nbench_olm: room key (%zu-byte Olm payload) to %d devices; setup %.2f s CPU\n",
	       strlen(payloads[0]), DEVICES, cpu_s() - setup0);

	for (r = 0; r < ROUNDS; r++) {
		cold[r] = cold_share(bot, r, (const char *const *)payloads);
		warm[r] = warm_share((const char *const *)payloads);
		devices_reply();
		warm_ratchet[r] = warm_share((const char *const *)payloads);
	}
	qsort(cold, ROUNDS, sizeof cold[0], cmp_double);
	qsort(warm, ROUNDS, sizeof warm[0], cmp_double);
	qsort(warm_ratchet, ROUNDS, sizeof warm_ratchet[0], cmp_double);
	printf("  cold: new session + encrypt, x%d       median %6.1f ms  min %6.1f ms  (%.3f ms/device)"
	       "  target < 500 ms\n", DEVICES, cold[ROUNDS / 2] * 1e3, cold[0] * 1e3,
	       cold[ROUNDS / 2] * 1e3 / DEVICES);
	printf("  warm: encrypt on the same chain, x%d   median %6.1f ms  min %6.1f ms  (%.3f ms/device)"
	       "  target < 50 ms\n", DEVICES, warm[ROUNDS / 2] * 1e3, warm[0] * 1e3,
	       warm[ROUNDS / 2] * 1e3 / DEVICES);
	printf("  warm: encrypt after a reply, x%d       median %6.1f ms  min %6.1f ms  (%.3f ms/device)"
	       "  target < 50 ms\n", DEVICES, warm_ratchet[ROUNDS / 2] * 1e3, warm_ratchet[0] * 1e3,
	       warm_ratchet[ROUNDS / 2] * 1e3 / DEVICES);

	/* Megolm: a room's worth of messages, decrypted by a member */
	cr_assert_eq(mx_megolm_in_new(&gin, skey, &err), MX_OK);
	t0 = cpu_s();
	for (i = 0; i < MEGOLM_MSGS; i++)
		cr_assert_eq(mx_megolm_out_encrypt(gout,
			"{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":"
			"\"Verdachte man in donkere jas bij de Dorpsstraat 12, loopt richting park\"},"
			"\"room_id\":\"!wijkgroep:localhost\"}", &cts[i], &err), MX_OK);
	enc_s = cpu_s() - t0;
	t0 = cpu_s();
	for (i = 0; i < MEGOLM_MSGS; i++) {
		char *plain = NULL;
		uint32_t idx;

		cr_assert_eq(mx_megolm_in_decrypt(gin, cts[i], &plain, &idx, &err), MX_OK, "%s",
			     err.message);
		cr_assert_eq(idx, (uint32_t)i);
		free(plain);
	}
	dec_s = cpu_s() - t0;
	printf("  megolm, %d messages: encrypt %.3f ms/msg, decrypt %.3f ms/msg = %.0f messages/s\n",
	       MEGOLM_MSGS, enc_s * 1e3 / MEGOLM_MSGS, dec_s * 1e3 / MEGOLM_MSGS,
	       MEGOLM_MSGS / dec_s);
	fflush(stdout);

	for (i = 0; i < MEGOLM_MSGS; i++)
		free(cts[i]);
	drop_sessions();
	for (i = 0; i < DEVICES; i++) {
		for (r = 0; r < ROUNDS; r++)
			free(devs[i].otk[r]);
		mx_olm_session_free(devs[i].in);
		mx_olm_account_free(devs[i].acct);
		free(payloads[i]);
	}
	free(sid);
	free(skey);
	mx_megolm_in_free(gin);
	mx_megolm_out_free(gout);
	mx_olm_account_free(bot);
}
