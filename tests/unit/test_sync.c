/* test_sync.c: the /sync parser against responses captured from a real
 * Synapse (tests/fixtures/sync/, see the README there) and hand-made broken
 * ones. Fixtures are found under $BUURTBOT_FIXTURES or tests/fixtures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matrix/mx_sync.h"

#define ROOM_NOORD "!CaeVtbjFRQHsvbgMvW:localhost"
#define ALICE "@alice:localhost"
#define BOB "@bob:localhost"

typedef struct expect_event {
	mx_event_source source;
	mx_room_section section;
	const char *room_id;
	const char *type;
	const char *sender;
	const char *event_id;
	const char *state_key;
} expect_event;

static char *read_fixture(const char *name, size_t *out_len)
{
	const char *dir = getenv("BUURTBOT_FIXTURES");
	char path[1024];
	FILE *f;
	char *buf;
	long size;

	if (dir == NULL || dir[0] == '\0')
		dir = "tests/fixtures";
	snprintf(path, sizeof(path), "%s/sync/%s", dir, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open fixture %s (run from the repo root "
	                      "or set BUURTBOT_FIXTURES)", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	cr_assert_geq(size, 0);
	rewind(f);
	/* No NUL terminator on purpose: the parser must respect len. */
	buf = malloc(size > 0 ? (size_t)size : 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*out_len = (size_t)size;
	return buf;
}

/* Parses a fixture that must succeed. */
static mx_sync_batch *parse_fixture(const char *name)
{
	mx_sync_batch *b = NULL;
	mx_error err;
	size_t len;
	char *json = read_fixture(name, &len);
	int rc = mx_sync_parse_bytes(&b, json, len, &err);

	free(json);
	cr_assert_eq(rc, MX_OK, "%s: %s (%s)", name, mx_status_name(rc),
	             rc == MX_OK ? "" : err.message);
	cr_assert_not_null(b);
	return b;
}

/* Parses a fixture that must fail; returns the status. */
static int parse_fixture_fails(const char *name)
{
	static mx_sync_batch sentinel;
	mx_sync_batch *b = &sentinel; /* must be reset to NULL */
	mx_error err;
	size_t len;
	char *json = read_fixture(name, &len);
	int rc = mx_sync_parse_bytes(&b, json, len, &err);

	free(json);
	cr_assert_neq(rc, MX_OK, "%s parsed but should not", name);
	cr_assert_null(b);
	cr_assert_eq(err.status, rc);
	cr_assert_neq(err.message[0], '\0');
	return rc;
}

static int parse_string(mx_sync_batch **out, const char *json)
{
	mx_error err;

	return mx_sync_parse_bytes(out, json, strlen(json), &err);
}

static void expect_str(const char *actual, const char *expected, const char *what, size_t i)
{
	if (expected == NULL) {
		cr_assert_null(actual, "event %zu: %s should be NULL, is \"%s\"", i, what,
		               actual ? actual : "");
		return;
	}
	cr_assert_not_null(actual, "event %zu: %s is NULL, expected \"%s\"", i, what, expected);
	cr_assert_str_eq(actual, expected, "event %zu: %s", i, what);
}

static void expect_events(const mx_sync_batch *b, const expect_event *exp, size_t n)
{
	cr_assert_eq(b->n_events, n, "got %zu events, expected %zu", b->n_events, n);
	for (size_t i = 0; i < n; i++) {
		const mx_event *e = &b->events[i];

		cr_assert_eq(e->source, exp[i].source, "event %zu: source", i);
		cr_assert_eq(e->section, exp[i].section, "event %zu: section", i);
		expect_str(e->room_id, exp[i].room_id, "room_id", i);
		expect_str(e->type, exp[i].type, "type", i);
		expect_str(e->sender, exp[i].sender, "sender", i);
		expect_str(e->event_id, exp[i].event_id, "event_id", i);
		expect_str(e->state_key, exp[i].state_key, "state_key", i);
		cr_assert(cJSON_IsObject(e->content), "event %zu: content", i);
		cr_assert(cJSON_IsObject(e->raw), "event %zu: raw", i);
	}
}

static void expect_room(const mx_sync_batch *b, size_t i, const char *room_id,
                        mx_room_section section, int limited, const char *prev_batch)
{
	cr_assert_lt(i, b->n_rooms);
	expect_str(b->rooms[i].room_id, room_id, "room", i);
	cr_assert_eq(b->rooms[i].section, section, "room %zu section", i);
	cr_assert_eq(b->rooms[i].timeline_limited, limited, "room %zu limited", i);
	expect_str(b->rooms[i].prev_batch, prev_batch, "room prev_batch", i);
}

static void expect_list(const char **list, size_t n, const char *const *exp, size_t n_exp,
                        const char *what)
{
	cr_assert_eq(n, n_exp, "%s: %zu entries, expected %zu", what, n, n_exp);
	for (size_t i = 0; i < n; i++)
		expect_str(list[i], exp[i], what, i);
}

static const char *const ONLY_CURVE[] = { "signed_curve25519" };

Test(sync_fixture, initial)
{
	static const expect_event exp[] = {
		{ MX_SRC_STATE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.power_levels", ALICE,
		  "$ZP794Ngx1fO-oglRyt3MDhp-F_27tH0hKvLaTJKjbSM", "" },
		{ MX_SRC_STATE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.member", ALICE,
		  "$aPISle887Gh5jrgLKeNKfka2uroWKimmEHjy1VFgaIw", ALICE },
		{ MX_SRC_STATE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.history_visibility", ALICE,
		  "$CeZvL1eLuvD2dSL4fTcy8uogRZ9H2ImTV93Yz9ZZrRk", "" },
		{ MX_SRC_STATE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.create", ALICE,
		  "$eixU4uCdHJZJUjYbabqi-UGHyfsx_mijVX412rx8c2w", "" },
		{ MX_SRC_STATE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.join_rules", ALICE,
		  "$rpld5BH0LP4NP2uO4o8RoWAPmNa_XjS1ddXDI2FaBgY", "" },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.name", ALICE,
		  "$7KP-IvgIaU4RpSsBIrOu9ofS4bf9kO2byL9ULdPvsNM", "" },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.topic", ALICE,
		  "$R3y_vpDZV1ZlVuX1KcZINhPuQL6iKUlJXR9_I0FET4c", "" },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.member", BOB,
		  "$b8jJU0A-xPp5p7z2FeAZXgtWF3purdl7wvx7-m83Wr8", BOB },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", ALICE,
		  "$xJsG0py2BunvplcU6iMNrnkIh8b50BsaH-zYh9rFVWg", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", BOB,
		  "$86ibGnDzE5nptd4JwLCcX6ZyL16v0b3i8L0IUnZv4X4", NULL },
	};
	mx_sync_batch *b = parse_fixture("initial.json");

	cr_assert_str_eq(b->next_batch, "s11_1_0_1_1_1_1_4_0_1_1_1_1_1");
	/* Global account_data (push rules) is not part of the event stream. */
	expect_events(b, exp, sizeof(exp) / sizeof(exp[0]));
	cr_assert_eq(b->n_rooms, 1);
	expect_room(b, 0, ROOM_NOORD, MX_ROOM_JOIN, 1, "s6_1_0_1_1_1_1_4_0_1_1_1_1_1");
	cr_assert_eq(b->events[9].origin_server_ts, 1795885652795LL);
	cr_assert_str_eq(cJSON_GetObjectItem(b->events[9].content, "body")->valuestring,
	                 "Hoi Alice");
	cr_assert_not_null(b->events[9].unsigned_);
	cr_assert_null(b->device_lists_changed);
	cr_assert_eq(b->n_device_lists_changed, 0);
	cr_assert_null(b->device_lists_left);
	cr_assert_eq(b->otk_signed_curve25519, 2);
	expect_list(b->unused_fallback_key_types, b->n_unused_fallback_key_types,
	            ONLY_CURVE, 1, "fallback");
	cr_assert_eq(b->n_skipped, 0);
	mx_sync_batch_free(b);
}

Test(sync_fixture, incremental_reply_thread_reaction)
{
	static const char *const changed[] = { BOB };
	static const expect_event exp[] = {
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", BOB,
		  "$K0XqpBrCz0efdRYRPh5z_gzFUiMphiMkHpaolTgEf5U", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", ALICE,
		  "$m_QqcFVoi3z9aurNoRTF-P1pmE3WqvFTTqdtVAolyUQ", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", BOB,
		  "$P-YfcvMLvrb7pQk1t0tYmsFeQtiJ6Gv4Ka_4bDprMno", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.reaction", BOB,
		  "$vB8-AYO7H323lXbTfHDB41EOIi_0KhmtSu1OheymiCo", NULL },
	};
	mx_sync_batch *b = parse_fixture("incremental.json");
	const cJSON *rel;

	cr_assert_str_eq(b->next_batch, "s15_1_0_1_1_1_1_5_0_1_1_1_1_1");
	expect_events(b, exp, sizeof(exp) / sizeof(exp[0]));
	expect_room(b, 0, ROOM_NOORD, MX_ROOM_JOIN, 0, "s11_1_0_1_1_1_1_5_0_1_1_1_1_1");
	cr_assert_eq(b->n_rooms, 1);
	/* Relations stay reachable through content, untouched. */
	rel = cJSON_GetObjectItem(b->events[2].content, "m.relates_to");
	cr_assert_str_eq(cJSON_GetObjectItem(rel, "rel_type")->valuestring, "m.thread");
	rel = cJSON_GetObjectItem(b->events[3].content, "m.relates_to");
	cr_assert_str_eq(cJSON_GetObjectItem(rel, "rel_type")->valuestring, "m.annotation");
	cr_assert_str_eq(cJSON_GetObjectItem(rel, "event_id")->valuestring, b->events[1].event_id);
	expect_list(b->device_lists_changed, b->n_device_lists_changed, changed, 1, "changed");
	cr_assert_null(b->device_lists_left);
	cr_assert_eq(b->otk_signed_curve25519, 2);
	cr_assert_eq(b->n_skipped, 0);
	mx_sync_batch_free(b);
}

Test(sync_fixture, to_device)
{
	static const expect_event exp[] = {
		{ MX_SRC_TO_DEVICE, MX_ROOM_NONE, NULL, "m.buurtbot.test", BOB, NULL, NULL },
	};
	mx_sync_batch *b = parse_fixture("to_device.json");

	expect_events(b, exp, 1);
	cr_assert_eq(cJSON_GetObjectItem(b->events[0].content, "seq")->valueint, 1);
	cr_assert_eq(b->events[0].origin_server_ts, 0);
	cr_assert_eq(b->n_rooms, 0);
	cr_assert_null(b->rooms);
	cr_assert_eq(b->otk_signed_curve25519, 2);
	cr_assert_eq(b->n_skipped, 0);
	mx_sync_batch_free(b);
}

Test(sync_fixture, invite_is_stripped_state)
{
	static const char *room = "!MMPVHCZsvlvVtryHNz:localhost";
	const expect_event exp[] = {
		{ MX_SRC_INVITE, MX_ROOM_INVITE, room, "m.room.create", ALICE, NULL, "" },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, room, "m.room.join_rules", ALICE, NULL, "" },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, room, "m.room.name", ALICE, NULL, "" },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, room, "m.room.member", ALICE, NULL, ALICE },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, room, "m.room.member", ALICE, NULL, BOB },
	};
	mx_sync_batch *b = parse_fixture("invite.json");

	expect_events(b, exp, sizeof(exp) / sizeof(exp[0]));
	cr_assert_eq(b->n_rooms, 1);
	expect_room(b, 0, room, MX_ROOM_INVITE, 0, NULL);
	/* Synapse puts an event_id on the invite itself; only raw shows it. */
	cr_assert_not_null(cJSON_GetObjectItem(b->events[4].raw, "event_id"));
	cr_assert_eq(b->otk_signed_curve25519, 0);
	/* Present but empty differs from absent: the server has no fallback key. */
	cr_assert_not_null(b->unused_fallback_key_types);
	cr_assert_eq(b->n_unused_fallback_key_types, 0);
	cr_assert_eq(b->n_skipped, 0);
	mx_sync_batch_free(b);
}

Test(sync_fixture, knock_from_knocker)
{
	static const char *room = "!sxZrFshhzuUgXFKufe:localhost";
	const expect_event exp[] = {
		{ MX_SRC_KNOCK, MX_ROOM_KNOCK, room, "m.room.create", ALICE, NULL, "" },
		{ MX_SRC_KNOCK, MX_ROOM_KNOCK, room, "m.room.join_rules", ALICE, NULL, "" },
		{ MX_SRC_KNOCK, MX_ROOM_KNOCK, room, "m.room.name", ALICE, NULL, "" },
		{ MX_SRC_KNOCK, MX_ROOM_KNOCK, room, "m.room.member", BOB, NULL, BOB },
	};
	mx_sync_batch *b = parse_fixture("knock_knocker.json");

	expect_events(b, exp, sizeof(exp) / sizeof(exp[0]));
	expect_room(b, 0, room, MX_ROOM_KNOCK, 0, NULL);
	cr_assert_eq(b->n_rooms, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(b->events[3].content, "membership")->valuestring,
	                 "knock");
	cr_assert_eq(b->n_skipped, 0);
	mx_sync_batch_free(b);
}

Test(sync_fixture, knock_from_admin)
{
	static const char *room = "!sxZrFshhzuUgXFKufe:localhost";
	static const char *knock = "$5e0ufONFHCMLNQxUVcahteF655WaFDX-BlDAHNZhehU";
	/* Lazy loading sends the knock both as state and in the timeline: the
	 * parser reports both, deduplication is the consumer's job. */
	const expect_event exp[] = {
		{ MX_SRC_STATE, MX_ROOM_JOIN, room, "m.room.member", BOB, knock, BOB },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, room, "m.room.member", BOB, knock, BOB },
	};
	mx_sync_batch *b = parse_fixture("knock_admin.json");

	expect_events(b, exp, 2);
	expect_room(b, 0, room, MX_ROOM_JOIN, 0, "s30_1_0_1_1_1_2_5_0_1_1_1_1_1");
	cr_assert_eq(b->n_skipped, 0);
	mx_sync_batch_free(b);
}

Test(sync_fixture, limited_timeline)
{
	const expect_event exp[] = {
		{ MX_SRC_STATE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.member", BOB,
		  "$b8jJU0A-xPp5p7z2FeAZXgtWF3purdl7wvx7-m83Wr8", BOB },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", BOB,
		  "$YnviVOcm52-FlCSLTFsWht8W22f1BBpjAOFtCj2N_wI", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", BOB,
		  "$8x0AOOjjQtbzSyWgVyKUOzfPCUn3dXX4MZ3br8WLcJY", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", BOB,
		  "$mCZJpN3YWnlB8apOxir3BrPKD19ZH7ee1Swpa2B7-c4", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", BOB,
		  "$6MkKyoKMWYS9034kNyeO_ZnAUaeOshlX2f6C6wrRMs8", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.message", BOB,
		  "$HkWMN3ak9rT8waZULo2_1srlSZXRJruqOOaiTLZGbwk", NULL },
	};
	mx_sync_batch *b = parse_fixture("limited.json");

	expect_events(b, exp, sizeof(exp) / sizeof(exp[0]));
	cr_assert_str_eq(cJSON_GetObjectItem(b->events[1].content, "body")->valuestring,
	                 "Bericht 4");
	cr_assert_eq(b->n_rooms, 1);
	expect_room(b, 0, ROOM_NOORD, MX_ROOM_JOIN, 1, "s34_1_0_1_1_1_2_5_0_1_1_1_1_1");
	mx_sync_batch_free(b);
}

Test(sync_fixture, leave_after_kick)
{
	static const char *const left[] = { ALICE };
	const expect_event exp[] = {
		{ MX_SRC_TIMELINE, MX_ROOM_LEAVE, ROOM_NOORD, "m.room.member", ALICE,
		  "$YGi6pdtMOIUc1mOLvP6P-xB5BnvSJ3zFBwqpQ7-Oa88", BOB },
	};
	mx_sync_batch *b = parse_fixture("leave.json");

	expect_events(b, exp, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(b->events[0].content, "reason")->valuestring,
	                 "Verhuisd");
	expect_room(b, 0, ROOM_NOORD, MX_ROOM_LEAVE, 0, "s40_1_0_1_1_1_2_5_0_1_1_1_1_1");
	expect_list(b->device_lists_left, b->n_device_lists_left, left, 1, "left");
	cr_assert_null(b->device_lists_changed);
	cr_assert_eq(b->otk_signed_curve25519, 0);
	mx_sync_batch_free(b);
}

Test(sync_fixture, kick_from_admin)
{
	static const char *const changed[] = { ALICE };
	static const char *const left[] = { BOB };
	const expect_event exp[] = {
		{ MX_SRC_STATE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.member", ALICE,
		  "$aPISle887Gh5jrgLKeNKfka2uroWKimmEHjy1VFgaIw", ALICE },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, ROOM_NOORD, "m.room.member", ALICE,
		  "$YGi6pdtMOIUc1mOLvP6P-xB5BnvSJ3zFBwqpQ7-Oa88", BOB },
	};
	mx_sync_batch *b = parse_fixture("kick_admin.json");

	expect_events(b, exp, 2);
	expect_room(b, 0, ROOM_NOORD, MX_ROOM_JOIN, 0, "s39_1_0_1_1_1_2_5_0_1_1_1_1_1");
	expect_list(b->device_lists_changed, b->n_device_lists_changed, changed, 1, "changed");
	expect_list(b->device_lists_left, b->n_device_lists_left, left, 1, "left");
	mx_sync_batch_free(b);
}

/* One real response with every section: checks the order across them. */
Test(sync_fixture, combined_sections_in_order)
{
	static const char *joined = "!uhduDnAwNLQmbNonED:localhost";
	static const char *invited = "!LMaAMGsHVsUSAfiBRT:localhost";
	static const char *knocked = "!eNIIgsWpmfohfrgTjH:localhost";
	static const char *left = "!ycVIZVfUqayXGoUAiw:localhost";
	const expect_event exp[] = {
		{ MX_SRC_TO_DEVICE, MX_ROOM_NONE, NULL, "m.buurtbot.test", ALICE, NULL, NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, joined, "m.room.message", ALICE,
		  "$SqXb-fgSAJMLfXCh3Gk_4CoqUMMQ2Jh3nJn7rpBxNYs", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, joined, "m.room.message", ALICE,
		  "$Q2RTWCsUIuLh_whKLX91pWWH0jwTrTpv4AfchugPL8c", NULL },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, invited, "m.room.create", ALICE, NULL, "" },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, invited, "m.room.join_rules", ALICE, NULL, "" },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, invited, "m.room.name", ALICE, NULL, "" },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, invited, "m.room.member", ALICE, NULL, ALICE },
		{ MX_SRC_INVITE, MX_ROOM_INVITE, invited, "m.room.member", ALICE, NULL, BOB },
		{ MX_SRC_KNOCK, MX_ROOM_KNOCK, knocked, "m.room.create", ALICE, NULL, "" },
		{ MX_SRC_KNOCK, MX_ROOM_KNOCK, knocked, "m.room.join_rules", ALICE, NULL, "" },
		{ MX_SRC_KNOCK, MX_ROOM_KNOCK, knocked, "m.room.name", ALICE, NULL, "" },
		{ MX_SRC_KNOCK, MX_ROOM_KNOCK, knocked, "m.room.member", BOB, NULL, BOB },
		{ MX_SRC_STATE, MX_ROOM_LEAVE, left, "m.room.member", ALICE,
		  "$q0XOGxUz4venK0_k8sGB_MYgbQtQcLm3Zcg_RYbodhc", ALICE },
		{ MX_SRC_TIMELINE, MX_ROOM_LEAVE, left, "m.room.member", ALICE,
		  "$k3P2pust-lIRXLdTENiJswhITaoSDNnfm_Z6d8hGxGo", BOB },
	};
	mx_sync_batch *b = parse_fixture("combined.json");

	expect_events(b, exp, sizeof(exp) / sizeof(exp[0]));
	cr_assert_eq(b->n_rooms, 4);
	expect_room(b, 0, joined, MX_ROOM_JOIN, 0, "s15_1_0_1_1_1_2_3_0_1_1_1_1_1");
	expect_room(b, 1, invited, MX_ROOM_INVITE, 0, NULL);
	expect_room(b, 2, knocked, MX_ROOM_KNOCK, 0, NULL);
	expect_room(b, 3, left, MX_ROOM_LEAVE, 0, "s34_1_0_1_1_1_1_3_0_1_1_1_1_1");
	cr_assert_eq(b->n_skipped, 0);
	mx_sync_batch_free(b);
}

Test(sync_malformed, bad_events_are_skipped_and_counted)
{
	static const char *const changed[] = { "@b:x" };
	const expect_event exp[] = {
		{ MX_SRC_TO_DEVICE, MX_ROOM_NONE, NULL, "m.ok", "@a:x", NULL, NULL },
		{ MX_SRC_STATE, MX_ROOM_JOIN, "!r:x", "m.room.name", "@a:x", "$s1", "" },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, "!r:x", "m.room.message", "@a:x", "$t3", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, "!r:x", "m.room.message", "@a:x", "$t4", NULL },
		{ MX_SRC_TIMELINE, MX_ROOM_JOIN, "!r:x", "m.room.message", "@a:x", "$t5", NULL },
	};
	mx_sync_batch *b = parse_fixture("malformed_events.json");

	expect_events(b, exp, sizeof(exp) / sizeof(exp[0]));
	/* Wrong-typed optional fields read as absent. */
	cr_assert_eq(b->events[1].origin_server_ts, 0);
	cr_assert_null(b->events[1].unsigned_);
	cr_assert_eq(b->events[2].origin_server_ts, 0);
	cr_assert_eq(b->events[3].origin_server_ts, 0);
	cr_assert_eq(b->events[4].origin_server_ts, 1700000000000LL);
	cr_assert_not_null(b->events[4].unsigned_);
	expect_room(b, 0, "!r:x", MX_ROOM_JOIN, 0, NULL);
	expect_list(b->device_lists_changed, b->n_device_lists_changed, changed, 1, "changed");
	cr_assert_null(b->device_lists_left);
	cr_assert_eq(b->otk_signed_curve25519, -1);
	cr_assert_null(b->unused_fallback_key_types);
	/* to-device 3, state 1 (no state_key), timeline 5, changed 2, left 1,
	 * otk 1, fallback 1 */
	cr_assert_eq(b->n_skipped, 14);
	mx_sync_batch_free(b);
}

Test(sync_malformed, bad_containers_are_skipped_and_counted)
{
	const expect_event exp[] = {
		{ MX_SRC_STATE, MX_ROOM_LEAVE, "!l:x", "m.room.member", "@a:x", "$l1", "@a:x" },
	};
	mx_sync_batch *b = parse_fixture("malformed_rooms.json");

	expect_events(b, exp, 1);
	cr_assert_eq(b->n_rooms, 3);
	expect_room(b, 0, "!j:x", MX_ROOM_INVITE, 0, NULL);
	expect_room(b, 1, "!k:x", MX_ROOM_KNOCK, 0, NULL);
	expect_room(b, 2, "!l:x", MX_ROOM_LEAVE, 0, NULL);
	cr_assert_eq(b->otk_signed_curve25519, -1);
	cr_assert_null(b->device_lists_changed);
	/* to_device, join list, invite: non-object room + events object + empty
	 * room id, knock_state list, leave timeline list, device_lists, otk 2.5 */
	cr_assert_eq(b->n_skipped, 9);
	mx_sync_batch_free(b);
}

Test(sync_malformed, unusable_responses_fail_cleanly)
{
	cr_assert_eq(parse_fixture_fails("malformed_no_next_batch.json"), MX_ERR_PARSE);
	cr_assert_eq(parse_fixture_fails("malformed_top_array.json"), MX_ERR_PARSE);
	cr_assert_eq(parse_fixture_fails("malformed_truncated.json"), MX_ERR_PARSE);
	/* 4000 levels: past cJSON's nesting limit, refused rather than recursed. */
	cr_assert_eq(parse_fixture_fails("malformed_deep.json"), MX_ERR_PARSE);
}

Test(sync_malformed, next_batch_must_be_a_nonempty_string)
{
	mx_sync_batch *b = NULL;

	cr_assert_eq(parse_string(&b, "{\"next_batch\": 5}"), MX_ERR_PARSE);
	cr_assert_eq(parse_string(&b, "{\"next_batch\": \"\"}"), MX_ERR_PARSE);
	cr_assert_eq(parse_string(&b, "{\"next_batch\": null}"), MX_ERR_PARSE);
	cr_assert_null(b);
	cr_assert_eq(parse_string(&b, "{\"next_batch\": \"s1\"}"), MX_OK);
	cr_assert_str_eq(b->next_batch, "s1");
	cr_assert_eq(b->n_events, 0);
	cr_assert_null(b->events);
	cr_assert_eq(b->n_rooms, 0);
	cr_assert_eq(b->otk_signed_curve25519, -1);
	cr_assert_null(b->unused_fallback_key_types);
	cr_assert_eq(b->n_skipped, 0);
	mx_sync_batch_free(b);
}

Test(sync_malformed, nulls_mean_absent)
{
	mx_sync_batch *b = NULL;

	cr_assert_eq(parse_string(&b, "{\"next_batch\": \"s1\", \"rooms\": null, "
	             "\"to_device\": {\"events\": null}, \"device_lists\": null, "
	             "\"device_one_time_keys_count\": {\"signed_curve25519\": null}, "
	             "\"device_unused_fallback_key_types\": null}"), MX_OK);
	cr_assert_eq(b->n_skipped, 0);
	cr_assert_eq(b->otk_signed_curve25519, -1);
	mx_sync_batch_free(b);
}

Test(sync_malformed, trailing_garbage_is_refused)
{
	mx_sync_batch *b = NULL;
	static const char ok_nul[] = "{\"next_batch\": \"s1\"}\n";

	cr_assert_eq(parse_string(&b, "{\"next_batch\": \"s1\"} {}"), MX_ERR_PARSE);
	cr_assert_eq(parse_string(&b, "{\"next_batch\": \"s1\"}x"), MX_ERR_PARSE);
	cr_assert_eq(parse_string(&b, ""), MX_ERR_PARSE);
	cr_assert_null(b);
	/* A counted terminating NUL and trailing whitespace are fine. */
	cr_assert_eq(mx_sync_parse_bytes(&b, ok_nul, sizeof(ok_nul), NULL), MX_OK);
	mx_sync_batch_free(b);
}

Test(sync_malformed, deep_content_within_limit_is_kept)
{
	const int depth = 500;
	size_t cap = (size_t)depth * 16 + 256;
	char *json = malloc(cap);
	size_t n = 0;
	mx_sync_batch *b = NULL;

	cr_assert_not_null(json);
	n += (size_t)snprintf(json + n, cap - n, "{\"next_batch\":\"s\",\"to_device\":{\"events\":"
	                      "[{\"type\":\"t\",\"sender\":\"@a:x\",\"content\":");
	for (int i = 0; i < depth; i++)
		n += (size_t)snprintf(json + n, cap - n, "{\"a\":");
	n += (size_t)snprintf(json + n, cap - n, "1");
	for (int i = 0; i < depth; i++)
		n += (size_t)snprintf(json + n, cap - n, "}");
	n += (size_t)snprintf(json + n, cap - n, "}]}}");
	cr_assert_lt(n, cap);
	cr_assert_eq(mx_sync_parse_bytes(&b, json, n, NULL), MX_OK);
	cr_assert_eq(b->n_events, 1);
	free(json);
	mx_sync_batch_free(b);
}

Test(sync_malformed, odd_numbers_and_fields_read_as_absent)
{
	mx_sync_batch *b = NULL;
	static const long long ts[] = { 9007199254740992LL, 0, 0, 0, 0, 0 };

	cr_assert_eq(parse_string(&b, "{\"next_batch\": \"s\", \"to_device\": {\"events\": ["
	             "{\"type\":\"t\",\"sender\":\"@a:x\",\"content\":{},\"origin_server_ts\":9007199254740992},"
	             "{\"type\":\"t\",\"sender\":\"@a:x\",\"content\":{},\"origin_server_ts\":1e17},"
	             "{\"type\":\"t\",\"sender\":\"@a:x\",\"content\":{},\"origin_server_ts\":1e19},"
	             "{\"type\":\"t\",\"sender\":\"@a:x\",\"content\":{},\"origin_server_ts\":1.5},"
	             "{\"type\":\"t\",\"sender\":\"@a:x\",\"content\":{},\"origin_server_ts\":-1},"
	             "{\"type\":\"t\",\"sender\":\"@a:x\",\"content\":{},\"state_key\":\"\",\"event_id\":\"$e\"}"
	             "]}, \"device_one_time_keys_count\": {\"signed_curve25519\": 1e12}}"), MX_OK);
	cr_assert_eq(b->n_events, 6);
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(b->events[i].origin_server_ts, ts[i], "event %zu", i);
	/* To-device events have neither state_key nor event_id. */
	cr_assert_null(b->events[5].state_key);
	cr_assert_null(b->events[5].event_id);
	cr_assert_eq(b->otk_signed_curve25519, -1);
	cr_assert_eq(b->n_skipped, 1);
	mx_sync_batch_free(b);
}

Test(sync_malformed, too_large_is_refused_before_parsing)
{
	mx_sync_batch *b = NULL;
	mx_error err;
	char *big = malloc(MX_SYNC_MAX_BYTES + 1);

	cr_assert_not_null(big);
	memset(big, ' ', MX_SYNC_MAX_BYTES + 1);
	cr_assert_eq(mx_sync_parse_bytes(&b, big, MX_SYNC_MAX_BYTES + 1, &err), MX_ERR_TOO_LARGE);
	cr_assert_null(b);
	free(big);
}

Test(sync_api, parse_takes_ownership_of_root)
{
	mx_sync_batch *b = NULL;
	mx_error err;

	/* Each failure frees root; ASan/LeakSanitizer would flag a leak. */
	cr_assert_eq(mx_sync_parse(&b, cJSON_CreateArray(), &err), MX_ERR_PARSE);
	cr_assert_eq(mx_sync_parse(&b, NULL, &err), MX_ERR_PARSE);
	cr_assert_eq(mx_sync_parse(NULL, cJSON_Parse("{\"next_batch\":\"s\"}"), &err),
	             MX_ERR_INVALID);
	cr_assert_eq(mx_sync_parse_bytes(NULL, "{}", 2, &err), MX_ERR_INVALID);
	cr_assert_eq(mx_sync_parse_bytes(&b, NULL, 3, &err), MX_ERR_INVALID);
	cr_assert_null(b);

	cr_assert_eq(mx_sync_parse(&b, cJSON_Parse("{\"next_batch\":\"s2\"}"), &err), MX_OK);
	cr_assert_not_null(b->root);
	cr_assert_str_eq(b->next_batch, "s2");
	mx_sync_batch_free(b);
	mx_sync_batch_free(NULL);
}

/* Every event of every captured fixture satisfies the header's promises. */
Test(sync_api, invariants_hold_for_all_fixtures)
{
	static const char *const names[] = {
		"initial.json", "incremental.json", "to_device.json", "invite.json",
		"knock_knocker.json", "knock_admin.json", "limited.json", "leave.json",
		"kick_admin.json", "combined.json", "malformed_events.json", "malformed_rooms.json",
	};

	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		mx_sync_batch *b = parse_fixture(names[f]);

		for (size_t i = 0; i < b->n_events; i++) {
			const mx_event *e = &b->events[i];
			int in_room = e->source != MX_SRC_TO_DEVICE;
			int full = e->source == MX_SRC_STATE || e->source == MX_SRC_TIMELINE;

			cr_assert_not_null(e->type, "%s #%zu", names[f], i);
			cr_assert_not_null(e->sender, "%s #%zu", names[f], i);
			cr_assert(cJSON_IsObject(e->content), "%s #%zu", names[f], i);
			cr_assert_eq(e->room_id != NULL, in_room, "%s #%zu", names[f], i);
			cr_assert_eq(e->section == MX_ROOM_NONE, !in_room, "%s #%zu", names[f], i);
			cr_assert_eq(e->event_id != NULL, full, "%s #%zu", names[f], i);
			if (e->source == MX_SRC_STATE || e->source == MX_SRC_INVITE ||
			    e->source == MX_SRC_KNOCK)
				cr_assert_not_null(e->state_key, "%s #%zu", names[f], i);
		}
		mx_sync_batch_free(b);
	}
}
