/* mx_sync.h: turn a /sync response into one ordered stream of events.
 * Order: to-device events, then per room (join, invite, knock, leave
 * sections) its state events before its timeline events, as the spec
 * orders them. Malformed entries are skipped and counted, never fatal:
 * the homeserver relays what other users sent. */
#ifndef MX_SYNC_H
#define MX_SYNC_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "mx_error.h"

typedef enum mx_event_source {
	MX_SRC_TO_DEVICE,   /* room_id NULL */
	MX_SRC_STATE,       /* rooms.join.*.state  (and leave.*.state) */
	MX_SRC_TIMELINE,    /* rooms.join.*.timeline (and leave.*.timeline) */
	MX_SRC_INVITE,      /* rooms.invite.*.invite_state (stripped: no event_id) */
	MX_SRC_KNOCK,       /* rooms.knock.*.knock_state (stripped) */
} mx_event_source;

typedef enum mx_room_section {
	MX_ROOM_NONE,       /* to-device */
	MX_ROOM_JOIN,
	MX_ROOM_INVITE,
	MX_ROOM_KNOCK,
	MX_ROOM_LEAVE,
} mx_room_section;

/* All pointers borrow from the batch's JSON tree and live as long as the
 * batch. Optional fields are NULL (or 0) when absent. */
typedef struct mx_event {
	mx_event_source source;
	mx_room_section section;
	const char *room_id;
	const char *event_id;      /* NULL for stripped and to-device events */
	const char *type;          /* never NULL */
	const char *sender;        /* never NULL */
	const char *state_key;     /* NULL unless a state event */
	long long origin_server_ts;
	const cJSON *content;      /* never NULL: an object */
	const cJSON *unsigned_;    /* may be NULL */
	const cJSON *raw;          /* the whole event object */
} mx_event;

typedef struct mx_room_info {
	const char *room_id;
	mx_room_section section;
	int timeline_limited;      /* the server left a gap before the timeline */
	const char *prev_batch;    /* token to fetch that gap, may be NULL */
} mx_room_info;

typedef struct mx_sync_batch {
	char *next_batch;          /* owned copy */
	mx_event *events;
	size_t n_events;
	mx_room_info *rooms;
	size_t n_rooms;
	const char **device_lists_changed;  /* user ids */
	size_t n_device_lists_changed;
	const char **device_lists_left;
	size_t n_device_lists_left;
	long otk_signed_curve25519;         /* -1 when the server did not say */
	const char **unused_fallback_key_types; /* NULL when absent */
	size_t n_unused_fallback_key_types;
	size_t n_skipped;          /* malformed entries ignored */
	cJSON *root;               /* owned */
} mx_sync_batch;

/* mx_sync_parse_bytes refuses larger input with MX_ERR_TOO_LARGE. */
#define MX_SYNC_MAX_BYTES ((size_t)64 * 1024 * 1024)

/* Parse a /sync response. Takes ownership of root in every case (freed on
 * failure). Fails with MX_ERR_PARSE only when the response as a whole is
 * unusable (not an object, no next_batch). */
int mx_sync_parse(mx_sync_batch **out, cJSON *root, mx_error *err);
/* Same, from bytes (len need not include a NUL). */
int mx_sync_parse_bytes(mx_sync_batch **out, const char *json, size_t len, mx_error *err);
void mx_sync_batch_free(mx_sync_batch *b);

/* Reads one event object (e.g. from a /messages chunk) as the parser would
 * for src and sec. Returns 0, or -1 when ev is malformed (out unspecified).
 * out borrows from ev and room_id. */
int mx_event_read(mx_event *out, const cJSON *ev, mx_event_source src,
		  mx_room_section sec, const char *room_id);

#endif
