/* store_crypto.h: the store's encryption domain: end-to-end encryption
 * state and the encrypted events waiting for their room key. Functions
 * follow store.h's convention: a BOT_STORE_ status; strings that come back
 * through a char ** belong to the caller (free) and are NULL unless
 * BOT_STORE_OK; a write that fails changes nothing. */
#ifndef BOT_STORE_CRYPTO_H
#define BOT_STORE_CRYPTO_H

#include <stdint.h>

typedef struct bot_store bot_store;

/* End-to-end encryption state: text values by namespace and key (the
 * secrets in it are pickled with the operator's key). get returns
 * BOT_STORE_NOT_FOUND when absent; list calls cb for keys starting with
 * prefix until cb returns nonzero (not an error), BOT_STORE_ERR when the
 * read failed. */
int bot_store_crypto_get(bot_store *s, const char *ns, const char *key, char **out);
int bot_store_crypto_put(bot_store *s, const char *ns, const char *key, const char *value);
int bot_store_crypto_delete(bot_store *s, const char *ns, const char *key);
int bot_store_crypto_list(bot_store *s, const char *ns, const char *prefix,
			  int (*cb)(void *ctx, const char *key, const char *value), void *ctx);

/* Encrypted room events whose room key has not arrived yet. add: on
 * error nothing is held. */
int bot_store_held_add(bot_store *s, const char *event_id, const char *room_id, const char *sender,
		       const char *event);
/* Keeps at most max_per_sender held events of sender and max_per_room of
 * room_id (0: no limit), dropping the oldest (first held first). dropped
 * (may be NULL) hears of each one before it goes. Returns BOT_STORE_OK or
 * BOT_STORE_ERR (then some may be gone, none half). */
int bot_store_held_trim(bot_store *s, const char *room_id, const char *sender, long max_per_sender,
			long max_per_room,
			void (*dropped)(void *ctx, const char *event_id, const char *room_id, const char *sender),
			void *ctx);
/* Gives up the held events first seen max_age_s or more before the
 * store's time (at most 256 a call), telling dropped (may be NULL) of
 * each before it goes. Returns BOT_STORE_OK or BOT_STORE_ERR. */
int bot_store_held_expire(bot_store *s, long long max_age_s,
			  void (*dropped)(void *ctx, const char *event_id, const char *room_id, const char *sender),
			  void *ctx);
/* How many events are held (of sender, when not NULL) into *count; on
 * error BOT_STORE_ERR and *count is 0 (never read it then). */
int bot_store_held_count(bot_store *s, const char *sender, int64_t *count);
/* Calls cb for every held event until it returns nonzero (not an error);
 * BOT_STORE_ERR when the read failed. tried counts a try and delete lets
 * one go; on error nothing changes. */
int bot_store_held_each(bot_store *s, int (*cb)(void *ctx, const char *event_id, const char *room_id,
						 const char *event, long long first_seen, int tries),
			void *ctx);
int bot_store_held_tried(bot_store *s, const char *event_id);
int bot_store_held_delete(bot_store *s, const char *event_id);

#endif
