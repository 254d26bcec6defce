/* test_olm.c: the libolm wrapper (mx_olm): accounts and their pickles,
 * one-time and fallback keys, a full Olm exchange between two accounts,
 * Megolm sessions, export/import, cross-signing keys and sealing. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "matrix/mx_olm.h"

#define PICKLE_KEY "correct horse battery staple"

static mx_olm_account *new_account(void)
{
	mx_olm_account *a = NULL;
	mx_error err;

	cr_assert_eq(mx_olm_account_new(&a, &err), MX_OK, "%s", err.message);
	cr_assert_not_null(a);
	return a;
}

static int count_keys(const cJSON *keys)
{
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(keys, "curve25519"));
}

/* The one unpublished one-time key of a (there must be exactly one). */
static char *only_otk(mx_olm_account *a)
{
	cJSON *keys = NULL;
	char *k;
	mx_error err;

	cr_assert_eq(mx_olm_account_one_time_keys(a, &keys, &err), MX_OK, "%s", err.message);
	cr_assert_eq(count_keys(keys), 1);
	k = strdup(cJSON_GetObjectItemCaseSensitive(keys, "curve25519")->child->valuestring);
	cJSON_Delete(keys);
	return k;
}

/* ---- randomness ---- */

static volatile sig_atomic_t ticks;

static void on_tick(int sig)
{
	(void)sig;
	ticks++;
}

Test(random, fills_and_differs)
{
	uint8_t a[64], b[64], zero[64];
	mx_error err;

	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	memset(zero, 0, sizeof zero);
	cr_assert_eq(mx_olm_random(a, sizeof a, &err), MX_OK);
	cr_assert_eq(mx_olm_random(b, sizeof b, &err), MX_OK);
	cr_expect_neq(memcmp(a, zero, sizeof a), 0);
	cr_expect_neq(memcmp(a, b, sizeof a), 0);
	cr_expect_eq(mx_olm_random(NULL, 0, &err), MX_OK);
}

/* A timer signal without SA_RESTART interrupts a large getrandom(2): it
 * then returns short (or fails with EINTR); the whole buffer must still
 * be filled. */
Test(random, survives_signals_and_short_reads)
{
	size_t len = (size_t)32 << 20;
	uint8_t *big = calloc(1, len), zero[64];
	struct sigaction sa;
	struct itimerval on = { { 0, 50 }, { 0, 50 } }, off;
	mx_error err;
	int rc;

	cr_assert_not_null(big);
	memset(zero, 0, sizeof zero);
	memset(&sa, 0, sizeof sa);
	memset(&off, 0, sizeof off);
	sa.sa_handler = on_tick;
	sigemptyset(&sa.sa_mask);
	cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
	cr_assert_eq(setitimer(ITIMER_REAL, &on, NULL), 0);
	rc = mx_olm_random(big, len, &err);
	setitimer(ITIMER_REAL, &off, NULL);
	cr_assert_eq(rc, MX_OK, "%s", err.message);
	cr_expect_gt(ticks, 0, "no signal arrived during the call");
	cr_expect_neq(memcmp(big + len - sizeof zero, zero, sizeof zero), 0, "tail not filled");
	free(big);
}

/* ---- account ---- */

Test(account, pickle_round_trip_keeps_identity)
{
	mx_olm_account *a = new_account(), *b = NULL;
	char c1[64], e1[64], c2[64], e2[64];
	char *pickle = NULL, *pickle2 = NULL, *sig = NULL;
	mx_error err;

	cr_assert_eq(mx_olm_account_identity(a, c1, e1, &err), MX_OK, "%s", err.message);
	cr_expect_eq(strlen(c1), 43);
	cr_expect_eq(strlen(e1), 43);
	cr_assert_eq(mx_olm_account_pickle(a, PICKLE_KEY, &pickle, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_account_unpickle(&b, pickle, PICKLE_KEY, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_account_identity(b, c2, e2, &err), MX_OK);
	cr_expect_str_eq(c1, c2);
	cr_expect_str_eq(e1, e2);
	/* the unpickled account holds the private key: its signature checks
	 * out against the original public key */
	cr_assert_eq(mx_olm_account_sign(b, "hallo", 5, &sig, &err), MX_OK);
	cr_expect_eq(mx_olm_ed25519_verify(e1, "hallo", 5, sig, &err), MX_OK, "%s", err.message);
	/* pickling does not consume the caller's pickle string */
	cr_assert_eq(mx_olm_account_pickle(b, PICKLE_KEY, &pickle2, &err), MX_OK);
	cr_expect_eq(strlen(pickle2), strlen(pickle));
	free(sig);
	free(pickle);
	free(pickle2);
	mx_olm_account_free(a);
	mx_olm_account_free(b);
}

Test(account, two_accounts_differ)
{
	mx_olm_account *a = new_account(), *b = new_account();
	char c1[64], e1[64], c2[64], e2[64];
	mx_error err;

	cr_assert_eq(mx_olm_account_identity(a, c1, e1, &err), MX_OK);
	cr_assert_eq(mx_olm_account_identity(b, c2, e2, &err), MX_OK);
	cr_expect_str_neq(c1, c2);
	cr_expect_str_neq(e1, e2);
	mx_olm_account_free(a);
	mx_olm_account_free(b);
}

Test(account, wrong_pickle_key_is_invalid_with_message)
{
	mx_olm_account *a = new_account(), *b = NULL;
	char *pickle = NULL, *copy;
	mx_error err;

	cr_assert_eq(mx_olm_account_pickle(a, PICKLE_KEY, &pickle, &err), MX_OK);
	copy = strdup(pickle);
	cr_expect_eq(mx_olm_account_unpickle(&b, pickle, "wrong key", &err), MX_ERR_INVALID);
	cr_expect_eq(err.status, MX_ERR_INVALID);
	cr_expect_not_null(strstr(err.message, "wrong pickle key"), "message: %s", err.message);
	cr_expect_not_null(strstr(err.message, "BAD_ACCOUNT_KEY"), "message: %s", err.message);
	cr_expect_null(b);
	/* the caller's pickle is untouched: it still unpickles */
	cr_expect_str_eq(pickle, copy);
	cr_expect_eq(mx_olm_account_unpickle(&b, pickle, PICKLE_KEY, &err), MX_OK, "%s", err.message);
	free(copy);
	free(pickle);
	mx_olm_account_free(a);
	mx_olm_account_free(b);
}

Test(account, corrupted_pickle_is_an_error_not_a_crash)
{
	mx_olm_account *a = new_account(), *b = NULL;
	char *pickle = NULL, *bad;
	size_t len, i;
	mx_error err;

	cr_assert_eq(mx_olm_account_pickle(a, PICKLE_KEY, &pickle, &err), MX_OK);
	len = strlen(pickle);
	bad = strdup(pickle);

	/* a length base64 cannot have: the pickle is damaged, not the key */
	for (i = len - 1; i % 4 != 1; i--)
		;
	bad[i] = '\0';
	cr_assert_eq(strlen(bad) % 4, 1);
	cr_expect_eq(mx_olm_account_unpickle(&b, bad, PICKLE_KEY, &err), MX_ERR_PARSE, "%s", err.message);
	cr_expect_not_null(strstr(err.message, "damaged pickle"), "message: %s", err.message);
	cr_expect_null(b);

	cr_expect_eq(mx_olm_account_unpickle(&b, "", PICKLE_KEY, &err) < 0, 1);
	cr_expect_eq(mx_olm_account_unpickle(&b, "!!!!", PICKLE_KEY, &err) < 0, 1);
	cr_expect_eq(mx_olm_account_unpickle(&b, "AAAA", PICKLE_KEY, &err) < 0, 1);
	/* flipped characters or cut anywhere: always an error */
	for (i = 0; i < len; i += len / 16) {
		memcpy(bad, pickle, len + 1);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		cr_expect_lt(mx_olm_account_unpickle(&b, bad, PICKLE_KEY, &err), 0, "flip at %zu", i);
		bad[i] = '\0';
		cr_expect_lt(mx_olm_account_unpickle(&b, bad, PICKLE_KEY, &err), 0, "cut at %zu", i);
	}
	cr_expect_null(b);
	free(bad);
	free(pickle);
	mx_olm_account_free(a);
}

Test(account, sign_and_verify)
{
	mx_olm_account *a = new_account();
	char curve[64], ed[64];
	char *sig = NULL, *sig_copy;
	const char msg[] = "{\"algorithms\":[],\"device_id\":\"BUURTBOT\"}";
	mx_error err;

	cr_assert_eq(mx_olm_account_identity(a, curve, ed, &err), MX_OK);
	cr_assert_eq(mx_olm_account_sign(a, msg, strlen(msg), &sig, &err), MX_OK, "%s", err.message);
	cr_expect_eq(strlen(sig), 86);
	sig_copy = strdup(sig);
	cr_expect_eq(mx_olm_ed25519_verify(ed, msg, strlen(msg), sig, &err), MX_OK, "%s", err.message);
	/* libolm decodes the signature in place: ours must stay intact */
	cr_expect_str_eq(sig, sig_copy);
	cr_expect_eq(mx_olm_ed25519_verify(ed, msg, strlen(msg), sig, &err), MX_OK, "%s", err.message);
	/* another message, a shorter one, another key: all fail */
	cr_expect_eq(mx_olm_ed25519_verify(ed, msg, strlen(msg) - 1, sig, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_olm_ed25519_verify(curve, msg, strlen(msg), sig, &err), MX_ERR_INVALID);
	/* one signature, one encoding: extra characters are refused */
	sig_copy = realloc(sig_copy, 90);
	memcpy(sig_copy, sig, 86);
	memcpy(sig_copy + 86, "AA", 3);
	cr_expect_eq(mx_olm_ed25519_verify(ed, msg, strlen(msg), sig_copy, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_olm_ed25519_verify(ed, msg, strlen(msg), "", &err), MX_ERR_INVALID);
	cr_expect_eq(mx_olm_ed25519_verify("short", msg, strlen(msg), sig, &err), MX_ERR_INVALID);
	free(sig_copy);
	free(sig);
	mx_olm_account_free(a);
}

Test(account, one_time_keys_generate_list_publish)
{
	mx_olm_account *a = new_account();
	cJSON *keys = NULL;
	size_t max = mx_olm_account_max_one_time_keys(a);
	mx_error err;

	cr_expect_geq(max, 50);
	cr_assert_eq(mx_olm_account_one_time_keys(a, &keys, &err), MX_OK, "%s", err.message);
	cr_expect_eq(count_keys(keys), 0);
	cJSON_Delete(keys);

	cr_assert_eq(mx_olm_account_generate_one_time_keys(a, 10, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_account_one_time_keys(a, &keys, &err), MX_OK);
	cr_expect_eq(count_keys(keys), 10);
	cr_expect(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(keys, "curve25519")->child));
	cr_expect_eq(strlen(cJSON_GetObjectItemCaseSensitive(keys, "curve25519")->child->valuestring), 43);
	cJSON_Delete(keys);

	mx_olm_account_mark_published(a);
	cr_assert_eq(mx_olm_account_one_time_keys(a, &keys, &err), MX_OK);
	cr_expect_eq(count_keys(keys), 0, "published keys are still listed");
	cJSON_Delete(keys);

	cr_assert_eq(mx_olm_account_generate_one_time_keys(a, 5, &err), MX_OK);
	cr_assert_eq(mx_olm_account_one_time_keys(a, &keys, &err), MX_OK);
	cr_expect_eq(count_keys(keys), 5);
	cJSON_Delete(keys);

	/* more than the account can hold: the oldest go, never more than max */
	cr_assert_eq(mx_olm_account_generate_one_time_keys(a, max + 10, &err), MX_OK);
	cr_assert_eq(mx_olm_account_one_time_keys(a, &keys, &err), MX_OK);
	cr_expect_eq((size_t)count_keys(keys), max);
	cJSON_Delete(keys);
	mx_olm_account_free(a);
}

Test(account, fallback_key)
{
	mx_olm_account *a = new_account();
	cJSON *keys = NULL;
	char *first = NULL;
	mx_error err;

	cr_assert_eq(mx_olm_account_fallback_key(a, &keys, &err), MX_OK, "%s", err.message);
	cr_expect_eq(count_keys(keys), 0);
	cJSON_Delete(keys);

	cr_assert_eq(mx_olm_account_generate_fallback_key(a, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_account_fallback_key(a, &keys, &err), MX_OK);
	cr_assert_eq(count_keys(keys), 1);
	first = strdup(cJSON_GetObjectItemCaseSensitive(keys, "curve25519")->child->valuestring);
	cJSON_Delete(keys);

	mx_olm_account_mark_published(a);
	cr_assert_eq(mx_olm_account_fallback_key(a, &keys, &err), MX_OK);
	cr_expect_eq(count_keys(keys), 0);
	cJSON_Delete(keys);

	cr_assert_eq(mx_olm_account_generate_fallback_key(a, &err), MX_OK);
	cr_assert_eq(mx_olm_account_fallback_key(a, &keys, &err), MX_OK);
	cr_assert_eq(count_keys(keys), 1);
	cr_expect_str_neq(cJSON_GetObjectItemCaseSensitive(keys, "curve25519")->child->valuestring, first);
	cJSON_Delete(keys);
	free(first);
	mx_olm_account_free(a);
}

/* ---- Olm ---- */

typedef struct pair {
	mx_olm_account *alice, *bob;
	char alice_curve[64], alice_ed[64], bob_curve[64], bob_ed[64];
	mx_olm_session *a2b, *b2a;
} pair;

/* Alice opens a session to Bob with a claimed one-time key and sends the
 * first (pre-key) message; Bob creates his inbound session from it. */
static void pair_setup(pair *p)
{
	char *otk, *body = NULL, *plain = NULL;
	int type = -1;
	mx_error err;

	memset(p, 0, sizeof(*p));
	p->alice = new_account();
	p->bob = new_account();
	cr_assert_eq(mx_olm_account_identity(p->alice, p->alice_curve, p->alice_ed, &err), MX_OK);
	cr_assert_eq(mx_olm_account_identity(p->bob, p->bob_curve, p->bob_ed, &err), MX_OK);
	cr_assert_eq(mx_olm_account_generate_one_time_keys(p->bob, 1, &err), MX_OK);
	otk = only_otk(p->bob);
	mx_olm_account_mark_published(p->bob);

	cr_assert_eq(mx_olm_session_new_outbound(&p->a2b, p->alice, p->bob_curve, otk, &err), MX_OK,
		     "%s", err.message);
	cr_assert_eq(mx_olm_session_encrypt(p->a2b, "hoi bob", &type, &body, &err), MX_OK, "%s",
		     err.message);
	cr_assert_eq(type, MX_OLM_PRE_KEY);
	cr_assert_eq(mx_olm_session_new_inbound(&p->b2a, p->bob, p->alice_curve, body, &err), MX_OK,
		     "%s", err.message);
	cr_assert_eq(mx_olm_session_decrypt(p->b2a, type, body, &plain, &err), MX_OK, "%s", err.message);
	cr_assert_str_eq(plain, "hoi bob");
	cr_assert_eq(mx_olm_account_remove_one_time_keys(p->bob, p->b2a, &err), MX_OK, "%s", err.message);
	free(plain);
	free(body);
	free(otk);
}

static void pair_free(pair *p)
{
	mx_olm_session_free(p->a2b);
	mx_olm_session_free(p->b2a);
	mx_olm_account_free(p->alice);
	mx_olm_account_free(p->bob);
}

/* Encrypts on from, decrypts on to, checks the text and the type. */
static void send_msg(mx_olm_session *from, mx_olm_session *to, const char *text, int want_type)
{
	char *body = NULL, *plain = NULL;
	int type = -1;
	mx_error err;

	cr_assert_eq(mx_olm_session_encrypt(from, text, &type, &body, &err), MX_OK, "%s", err.message);
	cr_expect_eq(type, want_type);
	cr_assert_eq(mx_olm_session_decrypt(to, type, body, &plain, &err), MX_OK, "%s", err.message);
	cr_expect_str_eq(plain, text);
	free(plain);
	free(body);
}

Test(olm, full_exchange)
{
	pair p;
	char *otk = NULL, *body = NULL, *body_copy = NULL, *plain = NULL;
	char *id_a = NULL, *id_b = NULL;
	mx_olm_session *again = NULL, *other = NULL;
	int type = -1;
	mx_error err;

	memset(&p, 0, sizeof p);
	p.alice = new_account();
	p.bob = new_account();
	cr_assert_eq(mx_olm_account_identity(p.alice, p.alice_curve, p.alice_ed, &err), MX_OK);
	cr_assert_eq(mx_olm_account_identity(p.bob, p.bob_curve, p.bob_ed, &err), MX_OK);
	cr_assert_eq(mx_olm_account_generate_one_time_keys(p.bob, 1, &err), MX_OK);
	otk = only_otk(p.bob);
	mx_olm_account_mark_published(p.bob);

	/* Alice: outbound with Bob's claimed one-time key -> pre-key message */
	cr_assert_eq(mx_olm_session_new_outbound(&p.a2b, p.alice, p.bob_curve, otk, &err), MX_OK,
		     "%s", err.message);
	cr_assert_eq(mx_olm_session_encrypt(p.a2b, "{\"type\":\"m.room_key\"}", &type, &body, &err),
		     MX_OK, "%s", err.message);
	cr_expect_eq(type, MX_OLM_PRE_KEY);
	body_copy = strdup(body);

	/* Bob: inbound session from it, decrypt */
	cr_assert_eq(mx_olm_session_new_inbound(&p.b2a, p.bob, p.alice_curve, body, &err), MX_OK,
		     "%s", err.message);
	cr_expect_eq(mx_olm_session_matches_inbound(p.b2a, p.alice_curve, body), 1);
	cr_expect_eq(mx_olm_session_matches_inbound(p.b2a, p.bob_curve, body), 0,
		     "matched with the wrong sender key");
	cr_expect_eq(mx_olm_session_matches_inbound(p.b2a, p.alice_curve, "!!not a message"), 0);
	cr_expect_eq(mx_olm_session_matches_inbound(p.b2a, p.alice_curve, "AAAAA"), 0); /* libolm: error */
	cr_assert_eq(mx_olm_session_decrypt(p.b2a, type, body, &plain, &err), MX_OK, "%s", err.message);
	cr_expect_str_eq(plain, "{\"type\":\"m.room_key\"}");
	free(plain);
	plain = NULL;
	/* every libolm call that decodes in place got a copy */
	cr_expect_str_eq(body, body_copy);

	/* only now the one-time key goes; a second use of it fails */
	cr_assert_eq(mx_olm_account_remove_one_time_keys(p.bob, p.b2a, &err), MX_OK, "%s", err.message);
	cr_expect_eq(mx_olm_account_remove_one_time_keys(p.bob, p.b2a, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_olm_session_new_inbound(&again, p.bob, p.alice_curve, body, &err),
		     MX_ERR_INVALID);
	cr_expect_null(again);

	/* a pre-key message from the wrong sender key is refused */
	cr_assert_eq(mx_olm_account_generate_one_time_keys(p.bob, 1, &err), MX_OK);
	free(otk);
	otk = only_otk(p.bob);
	cr_assert_eq(mx_olm_session_new_outbound(&other, p.alice, p.bob_curve, otk, &err), MX_OK);
	free(body);
	cr_assert_eq(mx_olm_session_encrypt(other, "tweede", &type, &body, &err), MX_OK);
	cr_expect_eq(mx_olm_session_matches_inbound(p.b2a, p.alice_curve, body), 0,
		     "another session's pre-key message matched");
	cr_expect_eq(mx_olm_session_new_inbound(&again, p.bob, p.bob_curve, body, &err), MX_ERR_INVALID);
	cr_expect_null(again);
	mx_olm_session_free(other);

	/* same session id on both ends */
	cr_assert_eq(mx_olm_session_id(p.a2b, &id_a, &err), MX_OK);
	cr_assert_eq(mx_olm_session_id(p.b2a, &id_b, &err), MX_OK);
	cr_expect_str_eq(id_a, id_b);

	/* Bob replies with a normal message; after it Alice sends normal ones */
	send_msg(p.b2a, p.a2b, "dag alice", MX_OLM_MESSAGE);
	send_msg(p.a2b, p.b2a, "nog een", MX_OLM_MESSAGE);
	send_msg(p.a2b, p.b2a, "en nog een", MX_OLM_MESSAGE);
	send_msg(p.b2a, p.a2b, "ü ß € 😀", MX_OLM_MESSAGE);

	free(id_a);
	free(id_b);
	free(body);
	free(body_copy);
	free(otk);
	pair_free(&p);
}

Test(olm, garbage_does_not_destroy_the_session)
{
	pair p;
	char *body = NULL, *bad = NULL, *plain = NULL;
	int type = -1;
	mx_error err;

	pair_setup(&p);
	send_msg(p.b2a, p.a2b, "antwoord", MX_OLM_MESSAGE);
	cr_assert_eq(mx_olm_session_encrypt(p.a2b, "echt bericht", &type, &body, &err), MX_OK);
	cr_assert_eq(type, MX_OLM_MESSAGE);

	cr_expect_eq(mx_olm_session_decrypt(p.b2a, MX_OLM_MESSAGE, "AwogYWJjZGVm", &plain, &err),
		     MX_ERR_INVALID);
	cr_expect_eq(mx_olm_session_decrypt(p.b2a, MX_OLM_MESSAGE, "!!! not base64", &plain, &err),
		     MX_ERR_INVALID);
	cr_expect_eq(mx_olm_session_decrypt(p.b2a, MX_OLM_MESSAGE, "", &plain, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_olm_session_decrypt(p.b2a, 7, body, &plain, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_olm_session_decrypt(p.b2a, MX_OLM_PRE_KEY, body, &plain, &err), MX_ERR_INVALID);
	/* the real message with one character changed near the end (MAC) and
	 * in the middle (ciphertext): both refused by the MAC */
	bad = strdup(body);
	bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'A' ? 'B' : 'A';
	cr_expect_eq(mx_olm_session_decrypt(p.b2a, MX_OLM_MESSAGE, bad, &plain, &err), MX_ERR_INVALID);
	cr_expect_not_null(strstr(err.message, "BAD_MESSAGE_MAC"), "message: %s", err.message);
	memcpy(bad, body, strlen(body));
	bad[strlen(bad) / 2] = bad[strlen(bad) / 2] == 'A' ? 'B' : 'A';
	cr_expect_eq(mx_olm_session_decrypt(p.b2a, MX_OLM_MESSAGE, bad, &plain, &err), MX_ERR_INVALID);
	cr_expect_null(plain);

	/* the session is intact: the real message and later ones decrypt */
	cr_assert_eq(mx_olm_session_decrypt(p.b2a, type, body, &plain, &err), MX_OK, "%s", err.message);
	cr_expect_str_eq(plain, "echt bericht");
	send_msg(p.a2b, p.b2a, "daarna", MX_OLM_MESSAGE);
	send_msg(p.b2a, p.a2b, "terug", MX_OLM_MESSAGE);
	free(plain);
	free(bad);
	free(body);
	pair_free(&p);
}

Test(olm, session_pickle_round_trip)
{
	pair p;
	mx_olm_session *a2 = NULL, *b2 = NULL;
	char *pa = NULL, *pb = NULL, *id1 = NULL, *id2 = NULL;
	mx_error err;

	pair_setup(&p);
	send_msg(p.b2a, p.a2b, "eerst", MX_OLM_MESSAGE);
	cr_assert_eq(mx_olm_session_pickle(p.a2b, PICKLE_KEY, &pa, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_session_pickle(p.b2a, PICKLE_KEY, &pb, &err), MX_OK);
	cr_expect_eq(mx_olm_session_unpickle(&a2, pa, "fout", &err), MX_ERR_INVALID);
	cr_expect_not_null(strstr(err.message, "wrong pickle key"), "message: %s", err.message);
	cr_expect_null(a2);
	cr_assert_eq(mx_olm_session_unpickle(&a2, pa, PICKLE_KEY, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_session_unpickle(&b2, pb, PICKLE_KEY, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_session_id(p.a2b, &id1, &err), MX_OK);
	cr_assert_eq(mx_olm_session_id(a2, &id2, &err), MX_OK);
	cr_expect_str_eq(id1, id2);
	/* the restored sessions carry on with the originals' peers */
	send_msg(a2, p.b2a, "na herstel", MX_OLM_MESSAGE);
	send_msg(p.b2a, a2, "ook", MX_OLM_MESSAGE);
	send_msg(p.a2b, b2, "andersom", MX_OLM_MESSAGE);
	free(pa);
	free(pb);
	free(id1);
	free(id2);
	mx_olm_session_free(a2);
	mx_olm_session_free(b2);
	pair_free(&p);
}

/* ---- Megolm ---- */

typedef struct group {
	mx_megolm_out *out;
	mx_megolm_in *in;
} group;

static void group_setup(group *g)
{
	char *key = NULL, *id_out = NULL, *id_in = NULL;
	mx_error err;

	memset(g, 0, sizeof(*g));
	cr_assert_eq(mx_megolm_out_new(&g->out, &err), MX_OK, "%s", err.message);
	cr_expect_eq(mx_megolm_out_index(g->out), 0);
	cr_assert_eq(mx_megolm_out_key(g->out, &key, &err), MX_OK);
	cr_assert_eq(mx_megolm_in_new(&g->in, key, &err), MX_OK, "%s", err.message);
	cr_expect_eq(mx_megolm_in_first_index(g->in), 0);
	cr_assert_eq(mx_megolm_out_id(g->out, &id_out, &err), MX_OK);
	cr_assert_eq(mx_megolm_in_id(g->in, &id_in, &err), MX_OK);
	cr_expect_str_eq(id_out, id_in);
	free(key);
	free(id_out);
	free(id_in);
}

static void group_free(group *g)
{
	mx_megolm_out_free(g->out);
	mx_megolm_in_free(g->in);
}

static char *group_encrypt(mx_megolm_out *out, const char *text)
{
	char *ct = NULL;
	mx_error err;

	cr_assert_eq(mx_megolm_out_encrypt(out, text, &ct, &err), MX_OK, "%s", err.message);
	return ct;
}

static void expect_decrypt(mx_megolm_in *in, const char *ct, const char *text, uint32_t index)
{
	char *plain = NULL;
	uint32_t got = 9999;
	mx_error err;

	cr_assert_eq(mx_megolm_in_decrypt(in, ct, &plain, &got, &err), MX_OK, "%s", err.message);
	cr_expect_str_eq(plain, text);
	cr_expect_eq(got, index);
	free(plain);
}

Test(megolm, encrypt_decrypt_and_indices)
{
	group g;
	char *c0, *c1, *c2, *copy;

	group_setup(&g);
	c0 = group_encrypt(g.out, "{\"body\":\"nul\"}");
	cr_expect_eq(mx_megolm_out_index(g.out), 1);
	c1 = group_encrypt(g.out, "{\"body\":\"een\"}");
	c2 = group_encrypt(g.out, "{\"body\":\"twee\"}");
	cr_expect_eq(mx_megolm_out_index(g.out), 3);
	copy = strdup(c2);

	/* out of order, and the same ciphertext twice: the index stays right
	 * (spotting the replay is the caller's job) */
	expect_decrypt(g.in, c2, "{\"body\":\"twee\"}", 2);
	expect_decrypt(g.in, c0, "{\"body\":\"nul\"}", 0);
	expect_decrypt(g.in, c1, "{\"body\":\"een\"}", 1);
	expect_decrypt(g.in, c2, "{\"body\":\"twee\"}", 2);
	cr_expect_str_eq(c2, copy);
	free(c0);
	free(c1);
	free(c2);
	free(copy);
	group_free(&g);
}

Test(megolm, past_index_130)
{
	group g;
	char *cts[140];
	uint32_t i;

	group_setup(&g);
	for (i = 0; i < 140; i++)
		cts[i] = group_encrypt(g.out, "zelfde tekst");
	cr_expect_eq(mx_megolm_out_index(g.out), 140);
	/* the index takes a second varint byte from 128 on */
	cr_expect_gt(strlen(cts[128]), strlen(cts[127]));
	cr_expect_eq(strlen(cts[126]), strlen(cts[127]));
	for (i = 0; i < 140; i++) {
		expect_decrypt(g.in, cts[i], "zelfde tekst", i);
		free(cts[i]);
	}
	group_free(&g);
}

Test(megolm, tampered_and_garbage_refused_session_intact)
{
	group g;
	char *ct, *bad, *plain = NULL;
	uint32_t idx = 77;
	mx_error err;

	group_setup(&g);
	ct = group_encrypt(g.out, "echt");
	bad = strdup(ct);
	bad[strlen(bad) / 2] = bad[strlen(bad) / 2] == 'A' ? 'B' : 'A';
	cr_expect_eq(mx_megolm_in_decrypt(g.in, bad, &plain, &idx, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_megolm_in_decrypt(g.in, "AwgAEhA", &plain, &idx, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_megolm_in_decrypt(g.in, "!!", &plain, &idx, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_megolm_in_decrypt(g.in, "", &plain, &idx, &err), MX_ERR_INVALID);
	cr_expect_null(plain);
	cr_expect_eq(idx, 77);
	expect_decrypt(g.in, ct, "echt", 0);
	free(bad);
	free(ct);
	group_free(&g);
}

Test(megolm, wrong_session_key)
{
	group g, h;
	char *ct, *plain = NULL;
	mx_megolm_in *bad = NULL;
	mx_error err;

	group_setup(&g);
	group_setup(&h);
	ct = group_encrypt(g.out, "voor g");
	cr_expect_eq(mx_megolm_in_decrypt(h.in, ct, &plain, NULL, &err), MX_ERR_INVALID);
	cr_expect_null(plain);
	cr_expect_eq(mx_megolm_in_new(&bad, "bm90IGEga2V5", &err), MX_ERR_INVALID);
	cr_expect_eq(mx_megolm_in_new(&bad, "", &err), MX_ERR_INVALID);
	cr_expect_null(bad);
	free(ct);
	group_free(&g);
	group_free(&h);
}

Test(megolm, late_key_cannot_read_earlier_messages)
{
	mx_megolm_out *out = NULL;
	mx_megolm_in *in = NULL;
	char *early, *late, *key = NULL, *plain = NULL;
	mx_error err;

	cr_assert_eq(mx_megolm_out_new(&out, &err), MX_OK);
	early = group_encrypt(out, "vroeg");
	cr_assert_eq(mx_megolm_out_key(out, &key, &err), MX_OK);
	late = group_encrypt(out, "laat");
	cr_assert_eq(mx_megolm_in_new(&in, key, &err), MX_OK);
	cr_expect_eq(mx_megolm_in_first_index(in), 1);
	cr_expect_eq(mx_megolm_in_decrypt(in, early, &plain, NULL, &err), MX_ERR_INVALID);
	cr_expect_not_null(strstr(err.message, "UNKNOWN_MESSAGE_INDEX"), "message: %s", err.message);
	expect_decrypt(in, late, "laat", 1);
	free(early);
	free(late);
	free(key);
	mx_megolm_out_free(out);
	mx_megolm_in_free(in);
}

Test(megolm, pickles_round_trip)
{
	group g;
	mx_megolm_out *out2 = NULL;
	mx_megolm_in *in2 = NULL;
	char *po = NULL, *pi = NULL, *ct, *id1 = NULL, *id2 = NULL;
	mx_error err;

	group_setup(&g);
	free(group_encrypt(g.out, "een"));
	free(group_encrypt(g.out, "twee"));
	cr_assert_eq(mx_megolm_out_pickle(g.out, PICKLE_KEY, &po, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_megolm_in_pickle(g.in, PICKLE_KEY, &pi, &err), MX_OK, "%s", err.message);

	cr_expect_eq(mx_megolm_out_unpickle(&out2, po, "fout", &err), MX_ERR_INVALID);
	cr_expect_not_null(strstr(err.message, "wrong pickle key"), "message: %s", err.message);
	cr_expect_eq(mx_megolm_in_unpickle(&in2, pi, "fout", &err), MX_ERR_INVALID);
	cr_expect_not_null(strstr(err.message, "wrong pickle key"), "message: %s", err.message);
	cr_expect_null(out2);
	cr_expect_null(in2);

	cr_assert_eq(mx_megolm_out_unpickle(&out2, po, PICKLE_KEY, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_megolm_in_unpickle(&in2, pi, PICKLE_KEY, &err), MX_OK, "%s", err.message);
	cr_expect_eq(mx_megolm_out_index(out2), 2);
	cr_assert_eq(mx_megolm_out_id(out2, &id1, &err), MX_OK);
	cr_assert_eq(mx_megolm_in_id(in2, &id2, &err), MX_OK);
	cr_expect_str_eq(id1, id2);
	ct = group_encrypt(out2, "drie");
	expect_decrypt(g.in, ct, "drie", 2);
	expect_decrypt(in2, ct, "drie", 2);
	free(ct);
	free(po);
	free(pi);
	free(id1);
	free(id2);
	mx_megolm_out_free(out2);
	mx_megolm_in_free(in2);
	group_free(&g);
}

Test(megolm, export_and_import)
{
	group g;
	mx_megolm_in *imp = NULL;
	char *cts[5], *exported = NULL, *plain = NULL, *id1 = NULL, *id2 = NULL;
	int i;
	mx_error err;

	group_setup(&g);
	for (i = 0; i < 5; i++)
		cts[i] = group_encrypt(g.out, i % 2 ? "oneven" : "even");
	cr_assert_eq(mx_megolm_in_export(g.in, 3, &exported, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_megolm_in_import(&imp, exported, &err), MX_OK, "%s", err.message);
	cr_expect_eq(mx_megolm_in_first_index(imp), 3);
	cr_assert_eq(mx_megolm_in_id(g.in, &id1, &err), MX_OK);
	cr_assert_eq(mx_megolm_in_id(imp, &id2, &err), MX_OK);
	cr_expect_str_eq(id1, id2);
	expect_decrypt(imp, cts[3], "oneven", 3);
	expect_decrypt(imp, cts[4], "even", 4);
	cr_expect_eq(mx_megolm_in_decrypt(imp, cts[2], &plain, NULL, &err), MX_ERR_INVALID);
	/* it cannot export what it does not have */
	free(exported);
	exported = NULL;
	cr_expect_eq(mx_megolm_in_export(imp, 1, &exported, &err), MX_ERR_INVALID);
	cr_expect_null(exported);
	/* a session key is not an export and the other way round */
	mx_megolm_in_free(imp);
	imp = NULL;
	cr_expect_eq(mx_megolm_in_import(&imp, "bm90IGFuIGV4cG9ydA", &err), MX_ERR_INVALID);
	cr_expect_null(imp);
	for (i = 0; i < 5; i++)
		free(cts[i]);
	free(id1);
	free(id2);
	group_free(&g);
}

/* ---- cross-signing keys and sealing ---- */

/* The spec's test seed (appendix "Cryptographic Test Vectors"), decoded. */
static const uint8_t spec_seed[MX_OLM_PK_SEED_LEN] = {
	0x60, 0x90, 0xc1, 0x03, 0xd5, 0xe7, 0xaf, 0x6b, 0x15, 0xa9, 0x70, 0xfd, 0x56, 0x3e, 0xd7, 0x55,
	0x49, 0xe6, 0x15, 0x97, 0x19, 0xae, 0x5c, 0x3c, 0x31, 0xde, 0xe4, 0x31, 0x6f, 0xb7, 0x5c, 0x0d,
};

Test(pk, signing_from_fixed_seed)
{
	mx_olm_pk_signing *k1 = NULL, *k2 = NULL, *k3 = NULL;
	uint8_t other[MX_OLM_PK_SEED_LEN];
	char *s1 = NULL, *s2 = NULL;
	mx_error err;

	cr_assert_eq(mx_olm_pk_signing_new(&k1, spec_seed, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_pk_signing_new(&k2, spec_seed, &err), MX_OK);
	/* public key of this seed per an independent Ed25519 (Python
	 * cryptography, RFC 8032 key generation) */
	cr_expect_str_eq(mx_olm_pk_signing_public(k1), "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI");
	cr_expect_str_eq(mx_olm_pk_signing_public(k1), mx_olm_pk_signing_public(k2));
	cr_assert_eq(mx_olm_pk_sign(k1, "{}", 2, &s1, &err), MX_OK, "%s", err.message);
	cr_assert_eq(mx_olm_pk_sign(k2, "{}", 2, &s2, &err), MX_OK);
	cr_expect_eq(strlen(s1), 86);
	cr_expect_str_eq(s1, s2); /* Ed25519 is deterministic */
	cr_expect_eq(mx_olm_ed25519_verify(mx_olm_pk_signing_public(k1), "{}", 2, s1, &err), MX_OK,
		     "%s", err.message);
	cr_expect_eq(mx_olm_ed25519_verify(mx_olm_pk_signing_public(k1), "{ }", 3, s1, &err),
		     MX_ERR_INVALID);
	memcpy(other, spec_seed, sizeof other);
	other[0] ^= 1;
	cr_assert_eq(mx_olm_pk_signing_new(&k3, other, &err), MX_OK);
	cr_expect_str_neq(mx_olm_pk_signing_public(k3), mx_olm_pk_signing_public(k1));
	cr_expect_eq(mx_olm_ed25519_verify(mx_olm_pk_signing_public(k3), "{}", 2, s1, &err),
		     MX_ERR_INVALID);
	free(s1);
	free(s2);
	mx_olm_pk_signing_free(k1);
	mx_olm_pk_signing_free(k2);
	mx_olm_pk_signing_free(k3);
}

Test(pk, seal_unseal_round_trip_and_wrong_key)
{
	uint8_t secrets[3][MX_OLM_PK_SEED_LEN], back[MX_OLM_PK_SEED_LEN];
	char *sealed = NULL, *sealed2 = NULL;
	int i;
	mx_error err;

	memset(secrets[0], 0xff, MX_OLM_PK_SEED_LEN); /* bits a Curve25519 clamp would clear */
	memset(secrets[1], 0x00, MX_OLM_PK_SEED_LEN);
	cr_assert_eq(mx_olm_random(secrets[2], MX_OLM_PK_SEED_LEN, &err), MX_OK);
	for (i = 0; i < 3; i++) {
		cr_assert_eq(mx_olm_seal(PICKLE_KEY, secrets[i], &sealed, &err), MX_OK, "%s", err.message);
		memset(back, 0xaa, sizeof back);
		cr_assert_eq(mx_olm_unseal(PICKLE_KEY, sealed, back, &err), MX_OK, "%s", err.message);
		cr_expect_eq(memcmp(back, secrets[i], sizeof back), 0, "secret %d changed", i);
		free(sealed);
		sealed = NULL;
	}
	cr_assert_eq(mx_olm_seal(PICKLE_KEY, secrets[2], &sealed, &err), MX_OK);
	cr_assert_eq(mx_olm_seal(PICKLE_KEY, secrets[2], &sealed2, &err), MX_OK);

	memset(back, 0xaa, sizeof back);
	cr_expect_eq(mx_olm_unseal("verkeerde sleutel", sealed, back, &err), MX_ERR_INVALID);
	cr_expect_not_null(strstr(err.message, "wrong pickle key"), "message: %s", err.message);
	for (i = 0; i < MX_OLM_PK_SEED_LEN; i++)
		cr_expect_eq(back[i], 0xaa, "output written on failure");
	sealed[strlen(sealed) / 2] = sealed[strlen(sealed) / 2] == 'A' ? 'B' : 'A';
	cr_expect_lt(mx_olm_unseal(PICKLE_KEY, sealed, back, &err), 0);
	cr_expect_lt(mx_olm_unseal(PICKLE_KEY, "", back, &err), 0);
	cr_expect_eq(mx_olm_unseal(PICKLE_KEY, sealed2, back, &err), MX_OK);
	cr_expect_eq(memcmp(back, secrets[2], sizeof back), 0);
	free(sealed);
	free(sealed2);
}
