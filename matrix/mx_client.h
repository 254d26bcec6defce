/* mx_client.h: Matrix client-server endpoints on top of mx_http.
 * One mx_client per account. Requests retry as mx_retry_decide says;
 * the last failure stays readable with mx_client_last_error().
 * Strings returned through out-parameters are owned by the caller (free()),
 * cJSON trees through out-parameters by the caller (cJSON_Delete()). */
#ifndef MX_CLIENT_H
#define MX_CLIENT_H

#include <signal.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "mx_error.h"
#include "mx_http.h"

typedef struct mx_client mx_client;

typedef struct mx_client_options {
	const char *homeserver_url;     /* e.g. "http://127.0.0.1:8008", no trailing slash needed */
	long request_timeout_ms;        /* ordinary requests; 0 -> 30000 */
	size_t max_response_bytes;      /* 0 -> 32 MiB */
	mx_retry_policy retry;          /* zeroed -> {0 (forever), 500, 30000} */
	volatile sig_atomic_t *cancel;  /* may be NULL; raised -> requests and waits stop with MX_ERR_CANCELLED */
	mx_transport *transport;        /* NULL -> libcurl; when given, the client owns it */
	/* Called before each wait to retry, so the caller can log that the
	 * homeserver is down or throttling. May be NULL. */
	void (*on_retry)(void *userdata, const mx_error *err, int attempt, long delay_ms);
	void *on_retry_userdata;
} mx_client_options;

int mx_client_new(mx_client **out, const mx_client_options *opts, mx_error *err);
void mx_client_free(mx_client *c);

/* The token is copied; NULL clears it. Never logged. */
int mx_client_set_token(mx_client *c, const char *access_token);
const mx_error *mx_client_last_error(const mx_client *c);
/* Replaces the retry policy of the calls from now on, as given (no
 * defaults filled in) and returns the one it replaces, so a caller can
 * bound a few calls and then put the old policy back. */
mx_retry_policy mx_client_set_retry(mx_client *c, mx_retry_policy policy);

/* Generic call with retries: path starts with "/_matrix/...", already
 * percent-encoded. body may be NULL. *out gets the parsed JSON object of a
 * 2xx answer (an empty object when the body is empty); may be NULL. */
int mx_request(mx_client *c, const char *method, const char *path,
	       const cJSON *body, long timeout_ms, cJSON **out);

/* For matrix/ only (mx_media.c, issue 16): the client's base URL, access
 * token and transport, borrowed, for a request with a raw body. */
void mx_client_parts(mx_client *c, const char **base_url, const char **token, mx_transport **transport);

/* Percent-encode one path segment (room id, event id, txn id, ...). Caller frees. */
char *mx_escape(const char *segment);

typedef struct mx_login_result {
	char *user_id;
	char *access_token;
	char *device_id;
} mx_login_result;
void mx_login_result_clear(mx_login_result *r);

/* Password login. device_id may be NULL (server picks one) or a stored id
 * to reuse, which keeps transaction-id deduplication across restarts. On
 * success the client also starts using the new token. */
int mx_login_password(mx_client *c, const char *user, const char *password,
		      const char *device_id, const char *display_name,
		      mx_login_result *out);
int mx_whoami(mx_client *c, char **out_user_id, char **out_device_id);

int mx_filter_upload(mx_client *c, const char *user_id, const cJSON *filter,
		     char **out_filter_id);
/* The filter the bot syncs with: no presence, no ephemeral events, a
 * bounded timeline, members not lazy-loaded. Caller frees with
 * cJSON_Delete. */
cJSON *mx_filter_default(int timeline_limit);

/* The path (from /_matrix on, percent-encoded) of a sync: *out the
 * caller's. MX_OK, MX_ERR_INVALID or MX_ERR_NOMEM. */
int mx_sync_path(const char *since, const char *filter, long timeout_ms, char **out);
/* since and filter may be NULL. timeout_ms is the server-side long-poll
 * time; the transport allows that plus the request timeout. */
int mx_sync(mx_client *c, const char *since, const char *filter,
	    long timeout_ms, cJSON **out);

typedef struct mx_create_room_opts {
	const char *name, *topic, *preset, *visibility, *room_alias_name;
	const char *const *invite;        /* NULL-terminated list or NULL */
	const cJSON *initial_state;       /* array or NULL */
	const cJSON *power_level_content_override; /* object or NULL */
	const cJSON *creation_content;    /* object or NULL ({"type":"m.space"} for Spaces) */
	const char *room_version;         /* NULL -> the homeserver's default */
	int is_direct;
} mx_create_room_opts;
int mx_create_room(mx_client *c, const mx_create_room_opts *opts, char **out_room_id);

/* state_key may be "" ; get returns the content object. */
int mx_state_get(mx_client *c, const char *room_id, const char *type,
		 const char *state_key, cJSON **out_content);
int mx_state_put(mx_client *c, const char *room_id, const char *type,
		 const char *state_key, const cJSON *content, char **out_event_id);

/* The room's whole current state: *out_events is the array of state
 * events (with sender and state_key), caller deletes. */
int mx_room_state(mx_client *c, const char *room_id, cJSON **out_events);
/* The homeserver's default room version (GET /capabilities,
 * m.room_versions.default); caller frees. MX_ERR_PARSE when not given. */
int mx_default_room_version(mx_client *c, char **out_version);

/* reason may be NULL. */
int mx_invite(mx_client *c, const char *room_id, const char *user_id, const char *reason);
int mx_kick(mx_client *c, const char *room_id, const char *user_id, const char *reason);
int mx_ban(mx_client *c, const char *room_id, const char *user_id, const char *reason);
int mx_unban(mx_client *c, const char *room_id, const char *user_id, const char *reason);
int mx_join(mx_client *c, const char *room_id_or_alias, char **out_room_id);
int mx_leave(mx_client *c, const char *room_id, const char *reason);
int mx_knock(mx_client *c, const char *room_id_or_alias, const char *reason, char **out_room_id);
/* *out is the "joined" object: user id -> {display_name, avatar_url}. */
int mx_joined_members(mx_client *c, const char *room_id, cJSON **out_joined);

/* One page of a room's history: GET /rooms/{id}/messages. dir is "b"
 * (newest first) or "f"; from may be NULL (the room's current end).
 * *out is the whole response: chunk, start, end (absent at the end of the
 * history). */
int mx_messages(mx_client *c, const char *room_id, const char *from,
		const char *dir, int limit, cJSON **out);

/* txn_id is chosen by the caller and must be stable across retries and
 * restarts: the homeserver then returns the first event id again. */
int mx_send(mx_client *c, const char *room_id, const char *event_type,
	    const char *txn_id, const cJSON *content, char **out_event_id);
int mx_redact(mx_client *c, const char *room_id, const char *event_id,
	      const char *txn_id, const char *reason, char **out_event_id);

/* Content builders. Each returns a new object (caller deletes) or NULL on
 * allocation failure. html may be NULL (plain body only); when given it
 * must already be escaped. */
cJSON *mx_content_text(const char *msgtype, const char *body, const char *html);
/* Adds m.relates_to.m.in_reply_to to content; returns content or NULL. */
cJSON *mx_content_set_reply(cJSON *content, const char *in_reply_to_event_id);
/* Adds an m.thread relation with the fallback reply to last_event_id
 * (may be NULL -> root). */
cJSON *mx_content_set_thread(cJSON *content, const char *root_event_id,
			     const char *last_event_id);
cJSON *mx_content_reaction(const char *event_id, const char *key);

#endif
