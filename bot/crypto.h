/* crypto.h: the bot's side of end-to-end encryption: mx_e2ee on the
 * bot's store, decrypting each batch before it is decided, and holding
 * events whose room key has not arrived until it does. */
#ifndef BOT_CRYPTO_H
#define BOT_CRYPTO_H

#include "backlog.h"

struct bot_daemon;

/* How long an undecryptable event waits for its key before the bot gives
 * up on it (and says so in the log). */
#define BOT_HELD_MAX_AGE_S (24 * 3600)

/* Opens the device's encryption state with the operator's pickle key
 * (no network). 0, or -1 with the reason logged. */
int bot_crypto_open(struct bot_daemon *d, const char *pickle_key);

/* Opens (when not yet open) and brings the homeserver up to date.
 * 0, or -1 with the reason logged. */
int bot_crypto_start(struct bot_daemon *d, const char *pickle_key);

/* Takes the batch's keys and device changes, decrypts its encrypted room
 * events in place (and those of extra, the backlog), holds those without
 * a key, and appends held events that can now be read to extra. Returns
 * MX_OK or the mx_status of a failed request. */
int bot_crypto_prepare(struct bot_daemon *d, mx_sync_batch *b, bot_backlog *extra);

/* After the batch is stored: forgets the held events it released. */
void bot_crypto_released(struct bot_daemon *d, bot_backlog *extra);

#endif
