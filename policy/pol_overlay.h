/* pol_overlay.h: changes the bot made to the structure itself (a split, a
 * new wijkgroep), kept in its store and laid over the operator's file at
 * every load. The file stays the operator's: what it says wins, so an
 * operator who copies a change into the file (buurtbot --print-structure
 * shows the merged result) loses nothing, and an entry the file already
 * has is skipped. Pure: text in, text out.
 *
 * An overlay is a JSON array of entries, oldest first:
 *   { "soort": "wijkgroep_nieuw", "wijk": "<id>", "stuurgroep": "<id>",
 *     "wijkgroep": { ...a wijkgroep object as in the file... } }
 *   { "soort": "splits", "wijk": "<id>", "stuurgroep": "<id>",
 *     "oud": "<wijkgroep id>", "nieuw": [ { ...wijkgroep... }, ... ] }
 * A split adds the new wijkgroepen, managed by the stuurgroep, and marks
 * the old one "opgeheven" with the new ones as its "opvolgers". */
#ifndef POL_OVERLAY_H
#define POL_OVERLAY_H

#include <stddef.h>
#include "pol_structure.h"

/* Lays overlay_json (may be NULL or empty) over the file text and writes
 * the merged JSON text to *out (malloc'ed). Entries that cannot apply
 * (their wijk or stuurgroep is gone) are skipped with a warning in
 * problems. Returns 0, or -1 when the file is not JSON (the parser then
 * reports it) or memory ran out: *out is then a copy of the file text, or
 * NULL when even that failed. */
int pol_overlay_merge(const char *file_json, size_t len, const char *overlay_json, char **out,
		      pol_problems *problems);

/* Builds the entry for a new wijkgroep (caller frees with cJSON_Delete);
 * buurten are names or postcodes as typed. NULL when out of memory. */
struct cJSON *pol_overlay_new_wijkgroep(const char *wijk, const char *stuurgroep, const char *id,
					const char *naam, const char *const *buurten, size_t n_buurten);

/* Appends entry to the overlay text (NULL or "" is an empty overlay);
 * *out malloc'ed. 0, or -1 when the overlay is unreadable or out of memory. */
int pol_overlay_append(const char *overlay_json, const struct cJSON *entry, char **out);

#endif
