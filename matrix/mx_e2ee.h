/* mx_e2ee.h: end-to-end encryption for one device, as one small interface.
 * The caller feeds it every sync batch, asks it to decrypt room events and
 * to encrypt what it sends; everything else (device keys, one-time keys,
 * Olm sessions, room keys, device lists, key sharing) happens inside.
 * State persists through a key-value store the caller provides; secrets in
 * it are pickled with the operator's pickle key. */
#ifndef MX_E2EE_H
#define MX_E2EE_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "mx_client.h"
#include "mx_error.h"
#include "mx_sync.h"

/* Persistence, implemented by the caller. Values are text. get returns
 * MX_OK, or MX_ERR_NOT_FOUND... (1) when absent, or a negative status. */
#define MX_E2EE_NOT_FOUND 1
typedef struct mx_e2ee_store {
	int (*get)(void *ctx, const char *ns, const char *key, char **out);
	int (*put)(void *ctx, const char *ns, const char *key, const char *value);
	int (*del)(void *ctx, const char *ns, const char *key);
	/* Calls cb for every key in ns that starts with prefix; cb returning
	 * nonzero stops the walk. */
	int (*list)(void *ctx, const char *ns, const char *prefix,
		    int (*cb)(void *cbctx, const char *key, const char *value), void *cbctx);
	void *ctx;
} mx_e2ee_store;

typedef struct mx_e2ee mx_e2ee;

typedef struct mx_e2ee_options {
	const char *user_id;
	const char *device_id;
	const char *pickle_key;      /* from the operator; never logged */
	const char *password;        /* for cross-signing upload (UIA); may be NULL */
	mx_client *client;           /* borrowed */
	/* A recovery key printed earlier: when the store has no cross-signing
	 * keys, they are restored from it instead of made anew. May be NULL. */
	const char *recovery_key;
	mx_e2ee_store store;
	/* Log hook for events the operator should know about (may be NULL). */
	void (*log)(void *ud, int level, const char *msg);  /* level: 0 error .. 3 debug */
	void *log_userdata;
} mx_e2ee_options;

/* Loads the device's account from the store, or creates one when the store
 * has none. A wrong pickle key, or an account made for another device, is
 * an error (MX_ERR_INVALID) with a clear message: never a silent new
 * identity. */
int mx_e2ee_open(mx_e2ee **out, const mx_e2ee_options *opts, mx_error *err);
void mx_e2ee_free(mx_e2ee *e);

/* Start-up with the homeserver: uploads device keys, one-time keys and a
 * fallback key when needed, checks that the keys the server holds for this
 * device are ours (MX_ERR_INVALID when not: a lost store must not go
 * unnoticed), and sets up cross-signing once. */
int mx_e2ee_start(mx_e2ee *e, mx_error *err);

/* Takes in a sync batch: to-device messages (room keys), device list
 * changes, one-time key counts, room encryption state and membership
 * changes (which rotate outbound sessions). Call before decrypting the
 * batch's room events. */
int mx_e2ee_handle_sync(mx_e2ee *e, const mx_sync_batch *b, mx_error *err);

bool mx_e2ee_room_encrypted(mx_e2ee *e, const char *room_id);
/* Records a room's m.room.encryption content (learnt outside sync). */
int mx_e2ee_set_room_encryption(mx_e2ee *e, const char *room_id, const cJSON *content);

/* Decrypts an m.room.encrypted room event. On MX_OK *out is a new event
 * object like ev->raw with the plaintext type and content (relations kept
 * from the clear part). MX_E2EE_NO_KEY when the room key has not arrived
 * (hold the event and retry later); MX_ERR_INVALID when it can never be
 * decrypted (bad MAC, replayed index, sender mismatch). */
#define MX_E2EE_NO_KEY 2
int mx_e2ee_decrypt(mx_e2ee *e, const mx_event *ev, cJSON **out, mx_error *err);

/* Encrypts content of event_type for room_id, sharing the room key with
 * every device of every joined and invited member first when needed.
 * *out is the m.room.encrypted content (relations kept in the clear). */
int mx_e2ee_encrypt(mx_e2ee *e, const char *room_id, const char *event_type,
		    const cJSON *content, cJSON **out, mx_error *err);

/* Shares the current room key (made now when there is none) of up to
 * max_rooms encrypted rooms whose members changed since they were last
 * shared, with every device that lacks it: a newcomer can read the next
 * message without the send waiting for key sharing, and after a leave
 * the new key is out before it is needed. One key claim and one
 * to-device request per room (per 100 devices). MX_OK, or the first
 * failure; rooms not done stay pending for the next call. */
int mx_e2ee_share_ahead(mx_e2ee *e, size_t max_rooms, mx_error *err);
/* Whether mx_e2ee_share_ahead has rooms waiting. */
bool mx_e2ee_share_pending(const mx_e2ee *e);

/* The cross-signing keys as one printable recovery key, for the operator
 * to keep offline. Only once per store (MX_ERR_INVALID afterwards), so it
 * is not printed by accident later. */
int mx_e2ee_recovery_key(mx_e2ee *e, char **out, mx_error *err);

/* Counters for logs and tests. */
typedef struct mx_e2ee_stats {
	unsigned long room_keys_received;
	unsigned long olm_decrypt_failures;
	unsigned long megolm_decrypted;
	unsigned long megolm_failures;
	unsigned long sessions_shared;    /* devices that got an outbound room key */
	unsigned long rotations;
	unsigned long member_fetches;     /* member lists asked of the homeserver (not kept from sync) */
	unsigned long shared_ahead;       /* rooms whose key went out before a message needed it */
} mx_e2ee_stats;
const mx_e2ee_stats *mx_e2ee_get_stats(const mx_e2ee *e);

/* The device's public keys (borrowed). */
const char *mx_e2ee_curve25519(const mx_e2ee *e);
const char *mx_e2ee_ed25519(const mx_e2ee *e);

#endif
