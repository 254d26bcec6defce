/* mx_sync.c: turn a /sync response into one ordered array of events that
 * borrow from the cJSON tree, plus per-room gap information and the E2EE
 * counters. Everything here is untrusted: bad entries are skipped, counted. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mx_sync.h"

/* The events and rooms arrays are sized by a first pass that runs the same
 * walk without storing, so each is one allocation of exactly the right size
 * and nothing can fail half-way through filling them. */
typedef struct sync_walk {
	mx_sync_batch *b;
	int fill;          /* 0: count only; 1: store into b */
	size_t n_events;
	size_t n_rooms;
	size_t n_skipped;
} sync_walk;

/* Treats JSON null like absence: both mean "nothing here". */
static int is_absent(const cJSON *v)
{
	return v == NULL || cJSON_IsNull(v);
}

static const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : NULL;
}

/* The named child when it is an object; NULL when absent or null, and NULL
 * counted as skipped when it has another type. */
static const cJSON *child_object(sync_walk *w, const cJSON *parent, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, name);

	if (is_absent(v))
		return NULL;
	if (!cJSON_IsObject(v)) {
		w->n_skipped++;
		return NULL;
	}
	return v;
}

/* Whole non-negative number up to 2^53, else -1. The range check comes
 * first because converting an out-of-range double is undefined. */
static long long whole_number(const cJSON *v)
{
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	if (!isfinite(d) || d < 0.0 || d > 9007199254740992.0 || d != floor(d))
		return -1;
	return (long long)d;
}

static int source_needs_event_id(mx_event_source src)
{
	return src == MX_SRC_STATE || src == MX_SRC_TIMELINE;
}

/* The spec makes state_key required for the state and stripped-state lists;
 * a "state event" without one cannot be applied to room state. */
static int source_needs_state_key(mx_event_source src)
{
	return src == MX_SRC_STATE || src == MX_SRC_INVITE || src == MX_SRC_KNOCK;
}

int mx_event_read(mx_event *out, const cJSON *ev, mx_event_source src,
		  mx_room_section sec, const char *room_id)
{
	const cJSON *content;
	const cJSON *uns;
	long long ts;

	if (!cJSON_IsObject(ev))
		return -1;
	memset(out, 0, sizeof(*out));
	out->source = src;
	out->section = sec;
	out->room_id = room_id;
	out->type = str_field(ev, "type");
	out->sender = str_field(ev, "sender");
	content = cJSON_GetObjectItemCaseSensitive(ev, "content");
	if (out->type == NULL || out->sender == NULL || !cJSON_IsObject(content))
		return -1;
	out->content = content;
	/* Stripped state may carry an event_id (Synapse adds one to the invite
	 * or knock itself) but the contract says NULL; raw still has it. */
	if (source_needs_event_id(src)) {
		out->event_id = str_field(ev, "event_id");
		if (out->event_id == NULL)
			return -1;
	}
	if (src != MX_SRC_TO_DEVICE) {
		out->state_key = str_field(ev, "state_key");
		if (out->state_key == NULL && source_needs_state_key(src))
			return -1;
	}
	ts = whole_number(cJSON_GetObjectItemCaseSensitive(ev, "origin_server_ts"));
	out->origin_server_ts = ts < 0 ? 0 : ts;
	uns = cJSON_GetObjectItemCaseSensitive(ev, "unsigned");
	out->unsigned_ = cJSON_IsObject(uns) ? uns : NULL;
	out->raw = ev;
	return 0;
}

/* Appends the events of container.events (container already checked to be
 * an object, or NULL for none). */
static void walk_events(sync_walk *w, const cJSON *container, mx_event_source src,
                        mx_room_section sec, const char *room_id)
{
	const cJSON *events;
	const cJSON *ev;
	mx_event tmp;

	if (container == NULL)
		return;
	events = cJSON_GetObjectItemCaseSensitive(container, "events");
	if (is_absent(events))
		return;
	if (!cJSON_IsArray(events)) {
		w->n_skipped++;
		return;
	}
	cJSON_ArrayForEach(ev, events) {
		if (mx_event_read(&tmp, ev, src, sec, room_id) != 0) {
			w->n_skipped++;
			continue;
		}
		if (w->fill) {
			assert(w->n_events < w->b->n_events);
			w->b->events[w->n_events] = tmp;
		}
		w->n_events++;
	}
}

static void add_room(sync_walk *w, const char *room_id, mx_room_section sec,
                     const cJSON *timeline)
{
	mx_room_info *r;

	if (w->fill) {
		assert(w->n_rooms < w->b->n_rooms);
		r = &w->b->rooms[w->n_rooms];
		r->room_id = room_id;
		r->section = sec;
		r->timeline_limited =
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(timeline, "limited"));
		r->prev_batch = str_field(timeline, "prev_batch");
	}
	w->n_rooms++;
}

/* Walks rooms.<key>: each room's state before its timeline. For joined rooms
 * we never ask for use_state_after (MSC4222), so a state_after section is
 * not expected and is ignored; its events would apply after the timeline. */
static void walk_section(sync_walk *w, const cJSON *rooms, const char *key,
                         mx_room_section sec)
{
	const cJSON *section = child_object(w, rooms, key);
	const cJSON *room;

	if (section == NULL)
		return;
	cJSON_ArrayForEach(room, section) {
		const char *room_id = room->string;
		const cJSON *timeline = NULL;

		if (room_id == NULL || room_id[0] == '\0' || !cJSON_IsObject(room)) {
			w->n_skipped++;
			continue;
		}
		switch (sec) {
		case MX_ROOM_JOIN:
		case MX_ROOM_LEAVE:
			timeline = child_object(w, room, "timeline");
			add_room(w, room_id, sec, timeline);
			walk_events(w, child_object(w, room, "state"), MX_SRC_STATE, sec, room_id);
			walk_events(w, timeline, MX_SRC_TIMELINE, sec, room_id);
			break;
		case MX_ROOM_INVITE:
			add_room(w, room_id, sec, NULL);
			walk_events(w, child_object(w, room, "invite_state"), MX_SRC_INVITE,
			            sec, room_id);
			break;
		case MX_ROOM_KNOCK:
			add_room(w, room_id, sec, NULL);
			walk_events(w, child_object(w, room, "knock_state"), MX_SRC_KNOCK,
			            sec, room_id);
			break;
		case MX_ROOM_NONE: /* walk_all never passes it */
			break;
		}
	}
}

static void walk_all(sync_walk *w, const cJSON *root)
{
	const cJSON *rooms;

	w->n_events = 0;
	w->n_rooms = 0;
	w->n_skipped = 0;
	walk_events(w, child_object(w, root, "to_device"), MX_SRC_TO_DEVICE,
	            MX_ROOM_NONE, NULL);
	rooms = child_object(w, root, "rooms");
	if (rooms == NULL)
		return;
	walk_section(w, rooms, "join", MX_ROOM_JOIN);
	walk_section(w, rooms, "invite", MX_ROOM_INVITE);
	walk_section(w, rooms, "knock", MX_ROOM_KNOCK);
	walk_section(w, rooms, "leave", MX_ROOM_LEAVE);
}

/* Collects the strings of a JSON array into *out (non-NULL even when the
 * array is empty, so "present but empty" differs from "absent"). Non-string
 * items are counted in *skipped. Leaves *out NULL when arr is absent. */
static int collect_strings(const char ***out, size_t *n_out, const cJSON *arr,
                           size_t *skipped)
{
	const char **list = NULL;
	const cJSON *item;
	size_t cap;
	size_t n = 0;

	*out = NULL;
	*n_out = 0;
	if (is_absent(arr))
		return MX_OK;
	if (!cJSON_IsArray(arr)) {
		(*skipped)++;
		return MX_OK;
	}
	cap = (size_t)cJSON_GetArraySize(arr);
	list = calloc(cap > 0 ? cap : 1, sizeof(*list));
	if (list == NULL)
		return MX_ERR_NOMEM;
	cJSON_ArrayForEach(item, arr) {
		if (!cJSON_IsString(item) || item->valuestring == NULL || n >= cap) {
			(*skipped)++;
			continue;
		}
		list[n++] = item->valuestring;
	}
	*out = list;
	*n_out = n;
	return MX_OK;
}

static int read_e2ee(mx_sync_batch *b, sync_walk *w, const cJSON *root)
{
	const cJSON *lists = child_object(w, root, "device_lists");
	const cJSON *otk = child_object(w, root, "device_one_time_keys_count");
	const cJSON *count;
	int rc;

	rc = collect_strings(&b->device_lists_changed, &b->n_device_lists_changed,
	                     cJSON_GetObjectItemCaseSensitive(lists, "changed"), &w->n_skipped);
	if (rc != MX_OK)
		return rc;
	rc = collect_strings(&b->device_lists_left, &b->n_device_lists_left,
	                     cJSON_GetObjectItemCaseSensitive(lists, "left"), &w->n_skipped);
	if (rc != MX_OK)
		return rc;
	rc = collect_strings(&b->unused_fallback_key_types, &b->n_unused_fallback_key_types,
	                     cJSON_GetObjectItemCaseSensitive(root, "device_unused_fallback_key_types"),
	                     &w->n_skipped);
	if (rc != MX_OK)
		return rc;

	/* -1 means "not said": the caller must not top up keys on a guess. */
	b->otk_signed_curve25519 = -1;
	count = cJSON_GetObjectItemCaseSensitive(otk, "signed_curve25519");
	if (!is_absent(count)) {
		long long v = whole_number(count);

		if (v < 0 || v > 0x7fffffffLL)
			w->n_skipped++;
		else
			b->otk_signed_curve25519 = (long)v;
	}
	return MX_OK;
}

/* On success *out owns root; on failure root is freed and *out set to NULL.
 * Only a non-object root or a missing/empty next_batch is fatal. */
int mx_sync_parse(mx_sync_batch **out, cJSON *root, mx_error *err)
{
	mx_sync_batch *b = NULL;
	sync_walk w;
	const char *next_batch;
	int rc = MX_OK;

	if (out == NULL) {
		rc = mx_error_set(err, MX_ERR_INVALID, "sync: no output pointer");
		goto cleanup;
	}
	*out = NULL;
	if (!cJSON_IsObject(root)) {
		rc = mx_error_set(err, MX_ERR_PARSE, "sync: response is not a JSON object");
		goto cleanup;
	}
	next_batch = str_field(root, "next_batch");
	if (next_batch == NULL || next_batch[0] == '\0') {
		rc = mx_error_set(err, MX_ERR_PARSE, "sync: response has no next_batch");
		goto cleanup;
	}
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "sync: out of memory");
		goto cleanup;
	}
	b->root = root;
	root = NULL;
	b->otk_signed_curve25519 = -1;
	b->next_batch = strdup(next_batch);
	if (b->next_batch == NULL) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "sync: out of memory");
		goto cleanup;
	}

	memset(&w, 0, sizeof(w));
	w.b = b;
	walk_all(&w, b->root);
	if (w.n_events > 0)
		b->events = calloc(w.n_events, sizeof(*b->events));
	if (w.n_rooms > 0)
		b->rooms = calloc(w.n_rooms, sizeof(*b->rooms));
	if ((w.n_events > 0 && b->events == NULL) || (w.n_rooms > 0 && b->rooms == NULL)) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "sync: out of memory for %zu events",
		                  w.n_events);
		goto cleanup;
	}
	/* The counts double as the capacities the fill pass asserts against. */
	b->n_events = w.n_events;
	b->n_rooms = w.n_rooms;
	w.fill = 1;
	walk_all(&w, b->root);
	assert(w.n_events == b->n_events && w.n_rooms == b->n_rooms);

	if (read_e2ee(b, &w, b->root) != MX_OK) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "sync: out of memory");
		goto cleanup;
	}
	b->n_skipped = w.n_skipped;
	*out = b;
	b = NULL;

cleanup:
	mx_sync_batch_free(b);
	cJSON_Delete(root);
	return rc;
}

/* Trailing bytes after the JSON value are refused, except whitespace and
 * NULs (a caller may count a terminating NUL in len). */
static int only_padding(const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\0')
			return 0;
	}
	return 1;
}

int mx_sync_parse_bytes(mx_sync_batch **out, const char *json, size_t len, mx_error *err)
{
	char *copy = NULL;
	cJSON *root = NULL;
	const char *end = NULL;
	int rc;

	if (out == NULL || (json == NULL && len > 0)) {
		rc = mx_error_set(err, MX_ERR_INVALID, "sync: bad arguments");
		goto cleanup;
	}
	*out = NULL;
	if (len > MX_SYNC_MAX_BYTES) {
		rc = mx_error_set(err, MX_ERR_TOO_LARGE, "sync: response of %zu bytes exceeds %zu",
		                  len, MX_SYNC_MAX_BYTES);
		goto cleanup;
	}
	/* A NUL-terminated copy: older cJSON releases read one byte past the
	 * given length on some malformed strings (CVE-2023-53154). */
	copy = malloc(len + 1);
	if (copy == NULL) {
		rc = mx_error_set(err, MX_ERR_NOMEM, "sync: out of memory");
		goto cleanup;
	}
	if (len > 0)
		memcpy(copy, json, len);
	copy[len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
	if (root == NULL) {
		rc = mx_error_set(err, MX_ERR_PARSE, "sync: response is not valid JSON");
		goto cleanup;
	}
	if (end == NULL || end < copy || end > copy + len || !only_padding(end, copy + len)) {
		rc = mx_error_set(err, MX_ERR_PARSE, "sync: trailing data after the JSON");
		goto cleanup;
	}
	rc = mx_sync_parse(out, root, err);
	root = NULL; /* owned by mx_sync_parse in every case */

cleanup:
	cJSON_Delete(root);
	free(copy);
	return rc;
}

void mx_sync_batch_free(mx_sync_batch *b)
{
	if (b == NULL)
		return;
	free(b->next_batch);
	free(b->events);
	free(b->rooms);
	free(b->device_lists_changed);
	free(b->device_lists_left);
	free(b->unused_fallback_key_types);
	cJSON_Delete(b->root);
	free(b);
}
