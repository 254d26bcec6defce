/* mx_e2ee_int.h: state shared by the E2EE files (mx_e2ee.c: identity,
 * receiving, decrypting; mx_e2ee_share.c: devices, key sharing,
 * encrypting). Not for use outside matrix/. */
#ifndef MX_E2EE_INT_H
#define MX_E2EE_INT_H

#include "mx_e2ee.h"
#include "mx_olm.h"

#define MX_OLM_ALGORITHM "m.olm.v1.curve25519-aes-sha2"
#define MX_MEGOLM_ALGORITHM "m.megolm.v1.aes-sha2"

struct mx_e2ee {
	char *user_id, *device_id, *pickle_key, *password, *recovery_key;
	mx_client *client;
	mx_e2ee_store store;
	void (*log)(void *ud, int level, const char *msg);
	void *log_userdata;
	mx_olm_account *account;
	char curve25519[64];
	char ed25519[64];
	mx_e2ee_stats stats;
	unsigned long txn_counter;
	char **pending;              /* rooms whose key is shared ahead (mx_e2ee_members.c) */
	size_t n_pending;
};

/* Log at level (0 error, 1 warn, 2 info, 3 debug). */
void e2ee_log(mx_e2ee *e, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Store helpers with a composed key "a|b|c". get: MX_OK, MX_E2EE_NOT_FOUND or <0. */
int e2ee_get(mx_e2ee *e, const char *ns, const char *key, char **out);
int e2ee_put(mx_e2ee *e, const char *ns, const char *key, const char *value);
int e2ee_del(mx_e2ee *e, const char *ns, const char *key);
/* Joins parts with '|' into a malloc'ed string (NULL on OOM). */
char *e2ee_key(const char *a, const char *b, const char *c);

int e2ee_save_account(mx_e2ee *e, mx_error *err);
/* Our device keys object, signed by the device key; caller deletes. */
cJSON *e2ee_device_keys(mx_e2ee *e, mx_error *err);
/* Creates and uploads cross-signing keys once (mx_e2ee_share.c). */
int e2ee_cross_sign(mx_e2ee *e, mx_error *err);

/* Olm sessions with a device, by its curve25519 key. */
int e2ee_save_olm_session(mx_e2ee *e, const char *their_curve, mx_olm_session *s, mx_error *err);

/* A known, verified device of a user. */
typedef struct e2ee_device {
	char user_id[256];
	char device_id[128];
	char curve25519[64];
	char ed25519[64];
} e2ee_device;

/* Devices of user as last queried (NULL-able array, count in *n). */
int e2ee_devices(mx_e2ee *e, const char *user_id, e2ee_device **out, size_t *n, mx_error *err);
/* Marks users whose device lists changed; they are queried again before
 * the next key share. */
int e2ee_devices_outdated(mx_e2ee *e, const char *user_id);

/* Membership for key sharing (mx_e2ee_members.c). note: one
 * m.room.member event of a sync batch; batch: after the batch's events,
 * which rooms' lists are complete or no longer. room_members: the room's
 * joined and invited users (*out a JSON array, the caller's), from the
 * store, asking the homeserver only when the store's list is not complete. */
void e2ee_members_note(mx_e2ee *e, const mx_event *ev);
void e2ee_members_batch(mx_e2ee *e, const mx_sync_batch *b);
int e2ee_room_members(mx_e2ee *e, const char *room_id, cJSON **out, mx_error *err);
/* Adds room_id to the rooms whose key is shared ahead of need. */
void e2ee_pending_add(mx_e2ee *e, const char *room_id);

/* What decryption gives, parsed and checked (apart from the decrypting
 * itself, so that tests/fuzz/fuzz_e2ee.c reaches it). */
/* The plaintext of an Olm to-device message from ev->sender's device with
 * curve25519 key sender_curve: the spec's sender and recipient checks,
 * the signing key it claims against the one that device published, then
 * an m.room_key stored as an inbound group session. */
int e2ee_olm_plaintext(mx_e2ee *e, const mx_event *ev, const char *sender_curve, const char *text,
		       mx_error *err);
/* The room event a Megolm plaintext stands for: *out a new copy of
 * ev->raw with the plaintext's type and content (relations kept from the
 * clear part); MX_ERR_INVALID when malformed or for another room. */
int e2ee_megolm_event(const mx_event *ev, const char *plain_text, cJSON **out, mx_error *err);

#endif
