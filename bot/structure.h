/* structure.h: the structure file in the daemon: read and validate it at
 * start (refusing a wrong file with every problem listed), reconcile
 * Matrix with it, and reload it on SIGHUP, keeping the last good
 * structure when the new file is wrong. */
#ifndef BOT_STRUCTURE_H
#define BOT_STRUCTURE_H

#include <stdio.h>

struct bot_daemon;

/* Reads and validates cfg->structure_file. at_start: a wrong file is
 * fatal (-1); on reload it is logged and the old structure stays (1).
 * On success the new structure replaces the old one and Matrix is
 * reconciled with it (0; a failed reconcile is logged and retried at the
 * next reload or start). No file configured: 0, nothing done. */
int bot_structure_load(struct bot_daemon *d, int at_start);

/* Writes the structure as the bot uses it (the file with the bot's own
 * changes, from !splits and !wijkgroep nieuw, laid over it) to out, so an
 * operator can make it the new file. 0 when it is valid, else -1 with
 * the problems logged. */
int bot_structure_print(struct bot_daemon *d, FILE *out);

#endif
