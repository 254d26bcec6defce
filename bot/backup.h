/* backup.h: `buurtbot --backup FILE`: a consistent copy of the store,
 * taken with SQLite's online backup while the bot runs (it goes on
 * writing meanwhile: WAL readers do not block it). */
#ifndef BOT_BACKUP_H
#define BOT_BACKUP_H

#include <stddef.h>
#include "config.h"

/* Copies the store at src (which must exist) to dest: written to a
 * temporary file next to dest (mode 0600), checked (quick_check), then
 * renamed over dest, so dest is never half a copy. 0, or -1 with the
 * reason in err. */
int bot_backup_copy(const char *src, const char *dest, char *err, size_t errsize);

/* The command: the store of cfg's data_dir into dest; says what it did
 * on stdout or why not on stderr. Exit status: 0 or 1. */
int bot_backup_run(const bot_config *cfg, const char *dest);

#endif
