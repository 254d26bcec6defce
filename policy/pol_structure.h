/* pol_structure.h: the structure file (JSON text) turned into a validated,
 * read-only model of one gemeente, with the lookups the bot needs and the
 * list of Matrix rooms the system consists of. Pure: no I/O, no clock.
 *
 * The file format (deploy/examples/README.md has the full description):
 *
 *   {
 *     "versie": 1,                                  optional, must be 1
 *     "gemeente": "Zoomstad",                       required, the name
 *     "operators": ["@beheer:localhost"],           deployer's accounts
 *     "wijken": [ {                                 1..32
 *       "id": "zoomwijck",                          slug: a-z 0-9 '-'
 *       "naam": "Zoomwijck",
 *       "regiegroep": true,                         default false
 *       "spelregels": "...",                        optional text
 *       "wijkgroepen": [ {
 *         "id": "oude-zoom", "naam": "Wijkgroep Oude Zoom",
 *         "buurten": [ "Oude Zoom", "4611", "4612AA-4612KZ",
 *                      { "naam": "Havenkwartier", "postcodes": ["4613"] } ],
 *         "limiet": 100,                            default 100, 1..100000
 *         "groeidrempel": 80,                       default 80% of limiet
 *         "opgeheven": false,                       retired after a split
 *         "opvolgers": ["..."]                      retired: the wijkgroepen
 *                                                   that took its buurten
 *       } ],
 *       "stuurgroepen": [ {
 *         "id": "stuur-noord", "naam": "Stuurgroep Noord",
 *         "leden": ["@anna.stuur:localhost", ...],
 *         "telefoonbeheerder": "@anna.stuur:localhost",
 *         "beheert": ["oude-zoom"]                  wijkgroep ids, this wijk
 *       } ]
 *     } ],
 *     "gemeentelijke_regiegroep": {                 optional
 *       "naam": "...",                              default from gemeente
 *       "afgevaardigden": ["@anna.stuur:localhost"] stuurgroep members
 *     },
 *     "politie": [ { "gebruiker": "@politie.wijkagent:localhost",
 *                    "naam": "Wijkagent De Vries",
 *                    "kamers": ["stuurgroep:stuur-noord", "regiegroep:zoomwijck"] } ]
 *   }
 *
 * Keys starting with '_' are comments and ignored; any other unknown key
 * is an error (a typo must not silently become a default). */
#ifndef POL_STRUCTURE_H
#define POL_STRUCTURE_H

#include <stddef.h>
#include <stdint.h>

/* ---- problems: what is wrong with a file, all of it at once ---- */

typedef enum pol_severity {
	POL_SEV_ERROR = 0,    /* the file is refused */
	POL_SEV_WARNING = 1,  /* reported, the file is accepted */
} pol_severity;

typedef struct pol_problem {
	pol_severity severity;
	char *path;       /* e.g. "wijken[0].stuurgroepen[1].telefoonbeheerder";
			   * "(file)" for the file as a whole */
	char *message;    /* English, for the operator log */
} pol_problem;

/* At most this many are kept; the rest are only counted (n_dropped). */
#define POL_PROBLEMS_MAX 200

typedef struct pol_problems {
	pol_problem *items;
	size_t n, cap;
	size_t n_errors, n_warnings;   /* all found, kept or dropped */
	size_t n_dropped;
	int oom;                       /* an item could not be stored */
} pol_problems;

/* Starts an empty list. A zeroed struct is also an empty list. */
void pol_problems_init(pol_problems *p);
/* Adds one problem (copied). */
void pol_problems_add(pol_problems *p, pol_severity sev, const char *path, const char *msg);
/* Frees the items and empties the list; p itself belongs to the caller. */
void pol_problems_free(pol_problems *p);

/* ---- limits: anything past them is an error, never a crash ---- */

#define POL_STRUCT_MAX_BYTES      (1024 * 1024)
#define POL_STRUCT_MAX_WIJKEN     32
#define POL_STRUCT_MAX_WIJKGROEPEN 64    /* per wijk */
#define POL_STRUCT_MAX_STUURGROEPEN 64   /* per wijk */
#define POL_STRUCT_MAX_BUURTEN    64     /* per wijkgroep */
#define POL_STRUCT_MAX_POSTCODES  32     /* per buurt object */
#define POL_STRUCT_MAX_LEDEN      32     /* per stuurgroep */
#define POL_STRUCT_MAX_USERS      256    /* politie, operators, afgevaardigden */
#define POL_STRUCT_MAX_KAMERS     64     /* per politie account */
#define POL_STRUCT_MAX_ID         64     /* bytes of an id slug */
#define POL_STRUCT_MAX_NAME       128    /* bytes of a name */
#define POL_STRUCT_MAX_USER_ID    255    /* bytes, as the Matrix spec says */
#define POL_STRUCT_MAX_SPELREGELS (16 * 1024)
#define POL_STRUCT_MAX_KEY        (POL_STRUCT_MAX_ID + 32)  /* room key */
/* Totals over the gemeente, so the cross checks stay cheap. */
#define POL_STRUCT_MAX_WIJKGROEPEN_TOTAL 512
#define POL_STRUCT_MAX_STUURGROEPEN_TOTAL 512
#define POL_STRUCT_MAX_BUURTEN_TOTAL 1024
#define POL_STRUCT_MAX_RANGES_TOTAL 4096
#define POL_STRUCT_MAX_OBJECT_KEYS 64    /* keys in one JSON object */

#define POL_CAP_DEFAULT       100
#define POL_CAP_MIN           1
#define POL_CAP_MAX           100000
#define POL_THRESHOLD_PERCENT 80   /* groeidrempel default: 80% of limiet */

/* Power levels the structure gives (DESIGN.md section 2). */
#define POL_POWER_MODERATOR 50
#define POL_POWER_MEMBER    0

/* ---- the model (read-only views; all memory belongs to the structure) ---- */

typedef struct pol_wijk pol_wijk;
typedef struct pol_stuurgroep pol_stuurgroep;

/* A postcode as a number: 4 digits * 676 + letters (AA = 0 .. ZZ = 675).
 * "4611" stands for 4611AA..4611ZZ. Ranges are inclusive. */
typedef struct pol_postcode_range {
	uint32_t lo, hi;
} pol_postcode_range;

typedef struct pol_buurt {
	const char *naam;    /* NULL when the entry is only postcodes */
	const char *label;   /* naam, or the postcodes as written (normalised) */
	const pol_postcode_range *postcodes;
	size_t n_postcodes;
} pol_buurt;

typedef struct pol_wijkgroep {
	const char *id;
	const char *naam;
	const pol_buurt *buurten;
	size_t n_buurten;
	unsigned limiet;        /* cap: joined + invited, bot not counted */
	unsigned groeidrempel;  /* passing it proposes a split */
	const pol_wijk *wijk;
	const pol_stuurgroep *stuurgroep;  /* the one that manages it */
	int opgeheven;          /* retired (after a split): its room stays, read-only */
	const struct pol_wijkgroep *const *opvolgers;  /* retired: where its members went */
	size_t n_opvolgers;
} pol_wijkgroep;

struct pol_stuurgroep {
	const char *id;
	const char *naam;
	const char *const *leden;       /* sorted, unique */
	size_t n_leden;
	const char *telefoonbeheerder;  /* one of leden */
	const pol_wijkgroep *const *beheert;
	size_t n_beheert;
	const pol_wijk *wijk;
};

struct pol_wijk {
	const char *id;
	const char *naam;
	const char *spelregels;  /* NULL: the bot's default text */
	int regiegroep;          /* has a regiegroep */
	const pol_wijkgroep *wijkgroepen;
	size_t n_wijkgroepen;
	const pol_stuurgroep *stuurgroepen;
	size_t n_stuurgroepen;
};

typedef struct pol_politie {
	const char *gebruiker;   /* user id */
	const char *naam;
	const char *const *kamers;  /* room keys, see below */
	size_t n_kamers;
} pol_politie;

typedef struct pol_gem_regiegroep {
	const char *naam;
	const char *const *afgevaardigden;  /* sorted, unique */
	size_t n_afgevaardigden;
} pol_gem_regiegroep;

/* ---- rooms ----
 * Every room and Space of the system has a stable key the reconciler maps
 * to a room id in its store:
 *   "gemeente"                    the gemeente Space
 *   "wijk:<wijk id>"              a wijk Space
 *   "regiegroep:<wijk id>"        a wijk's regiegroep
 *   "stuurgroep:<stuurgroep id>"
 *   "wijkgroep:<wijkgroep id>"
 *   "gemeentelijke_regiegroep"
 * The same keys name rooms in the file (politie.kamers). */

typedef enum pol_room_kind {
	POL_ROOM_OTHER = 0,          /* not a room of the system (or unknown) */
	POL_ROOM_WIJKGROEP,
	POL_ROOM_STUURGROEP,
	POL_ROOM_REGIEGROEP,
	POL_ROOM_GEM_REGIEGROEP,     /* gemeentelijke regiegroep */
	POL_ROOM_WIJK_SPACE,
	POL_ROOM_GEMEENTE_SPACE,
	POL_ROOM_DM,                 /* a direct chat with the bot; never in the model */
	POL_ROOM_KIND_COUNT
} pol_room_kind;

typedef struct pol_room_member {
	const char *user_id;
	int power;                   /* POL_POWER_MODERATOR or POL_POWER_MEMBER */
} pol_room_member;

typedef struct pol_room {
	const char *key;
	pol_room_kind kind;
	const char *naam;            /* the room's display name */
	const char *parent;          /* key of the Space holding it; NULL for "gemeente" */
	const pol_wijk *wijk;        /* NULL for gemeente-level rooms */
	const pol_wijkgroep *wijkgroep;    /* for POL_ROOM_WIJKGROEP */
	const pol_stuurgroep *stuurgroep;  /* for POL_ROOM_STUURGROEP */
	int retired;                 /* a wijkgroep that is opgeheven */
	/* Members the structure puts there, sorted by user id. Residents are
	 * not in the structure and so not here. Everyone in a Space has power 0. */
	const pol_room_member *members;
	size_t n_members;
} pol_room;

typedef struct pol_structure pol_structure;

typedef enum pol_structure_status {
	POL_STRUCT_OK = 0,
	POL_STRUCT_EINVAL = -1,   /* the file has errors; see problems */
	POL_STRUCT_ENOMEM = -2,
} pol_structure_status;

/* Parses and validates len bytes of JSON (need not be NUL-terminated).
 * On success returns 0 and sets *out (free with pol_structure_free);
 * problems then holds only warnings. On any error returns a negative
 * pol_structure_status, leaves *out NULL and problems lists every problem
 * found. problems may be NULL; items are appended to what it holds. */
int pol_structure_parse(pol_structure **out, const char *json, size_t len,
			pol_problems *problems);

void pol_structure_free(pol_structure *s);

/* ---- reading the model; every pointer returned is borrowed from s ---- */

const char *pol_structure_gemeente(const pol_structure *s);
size_t pol_structure_n_wijken(const pol_structure *s);
const pol_wijk *pol_structure_wijk(const pol_structure *s, size_t i);
/* NULL when the gemeente has none. */
const pol_gem_regiegroep *pol_structure_gem_regiegroep(const pol_structure *s);
size_t pol_structure_n_politie(const pol_structure *s);
const pol_politie *pol_structure_politie(const pol_structure *s, size_t i);
size_t pol_structure_n_operators(const pol_structure *s);
const char *pol_structure_operator(const pol_structure *s, size_t i);

/* ---- lookups ---- */

/* By id or naam, ASCII case-insensitive, surrounding spaces ignored;
 * ids and names are unique together, so at most one matches. NULL if none. */
const pol_wijkgroep *pol_structure_find_wijkgroep(const pol_structure *s, const char *id_or_name);
const pol_stuurgroep *pol_structure_find_stuurgroep(const pol_structure *s, const char *id);
const pol_wijk *pol_structure_find_wijk(const pol_structure *s, const char *id);

typedef enum pol_locate_status {
	POL_LOCATE_FOUND = 0,
	POL_LOCATE_NOT_FOUND = -1,
	POL_LOCATE_AMBIGUOUS = -2,   /* a 4-digit postcode spanning wijkgroepen */
} pol_locate_status;

/* For sign-up: the wijkgroep (and buurt) of a postcode ("4611 AB", "4611ab",
 * "4611") or a buurt name (case-insensitive). Sets *wg and *buurt (either
 * may be NULL) when found. */
pol_locate_status pol_structure_locate(const pol_structure *s, const char *postcode_or_buurt,
				       const pol_wijkgroep **wg, const pol_buurt **buurt);

/* 1 for a wijkgroep that is not opgeheven: only those take members. */
int pol_wijkgroep_active(const pol_wijkgroep *wg);
/* The buurt as the file writes it (a name, a postcode range, or an object
 * with both), for writing new wijkgroepen; NULL when out of memory. */
struct cJSON *pol_buurt_json(const pol_buurt *b);

/* Parses one postcode ("4611AB", "4611 ab") into its number; 0 or -1. A
 * 4-digit postcode gives its whole range in *lo..*hi. */
int pol_postcode_parse(const char *text, pol_postcode_range *out);

/* The stuurgroepen user is a member of, in file order; writes at most max
 * pointers into out and returns how many there are in total. */
size_t pol_structure_stuurgroepen_of(const pol_structure *s, const char *user_id,
				     const pol_stuurgroep **out, size_t max);

int pol_stuurgroep_has_member(const pol_stuurgroep *sg, const char *user_id);
int pol_stuurgroep_manages(const pol_stuurgroep *sg, const pol_wijkgroep *wg);
/* Regiegroep membership is derived: every stuurgroep member of the wijk.
 * 0 when the wijk has no regiegroep. */
int pol_wijk_in_regiegroep(const pol_wijk *w, const char *user_id);
int pol_structure_is_delegate(const pol_structure *s, const char *user_id);
/* Someone the structure names (stuurgroep member, police, operator,
 * delegate): their place follows the file, not commands or caps. */
int pol_structure_names(const pol_structure *s, const char *user_id);
int pol_structure_is_operator(const pol_structure *s, const char *user_id);
const pol_politie *pol_structure_find_politie(const pol_structure *s, const char *user_id);

/* Rooms, parents before children: the gemeente Space, then per wijk its
 * Space, regiegroep, stuurgroepen, wijkgroepen; then the gemeentelijke
 * regiegroep. */
size_t pol_structure_n_rooms(const pol_structure *s);
const pol_room *pol_structure_room(const pol_structure *s, size_t i);
const pol_room *pol_structure_room_by_key(const pol_structure *s, const char *key);
const char *pol_room_kind_name(pol_room_kind kind);   /* "wijkgroep", ... */

/* ---- reload ---- */

typedef enum pol_change_kind {
	POL_CHG_ROOM_ADDED,       /* followed by MEMBER_ADDED for each member */
	POL_CHG_ROOM_REMOVED,     /* its members are not listed */
	POL_CHG_ROOM_RENAMED,     /* old_text -> new_text */
	POL_CHG_PARENT_CHANGED,   /* old_text -> new_text: Space keys */
	POL_CHG_MEMBER_ADDED,     /* user_id, new_power */
	POL_CHG_MEMBER_REMOVED,   /* user_id, old_power: drop moderator level too */
	POL_CHG_POWER_CHANGED,    /* user_id, old_power -> new_power */
	POL_CHG_CAP_CHANGED,      /* wijkgroep: limiet or groeidrempel */
	POL_CHG_SPELREGELS_CHANGED, /* key of the wijk Space */
} pol_change_kind;

typedef struct pol_change {
	pol_change_kind kind;
	char *room_key;
	char *user_id;        /* member changes, else NULL */
	int old_power, new_power;
	char *old_text, *new_text;   /* renames and parents, else NULL */
	unsigned old_limiet, new_limiet, old_drempel, new_drempel;
} pol_change;

typedef struct pol_changes {
	pol_change *items;
	size_t n, cap;
} pol_changes;

/* What changed from old to new (old may be NULL: everything is added).
 * Fills *out with owned copies (free with pol_changes_free); 0 or
 * POL_STRUCT_ENOMEM, after which *out is empty. Rooms are matched by key. */
int pol_structure_diff(const pol_structure *old_s, const pol_structure *new_s, pol_changes *out);
void pol_changes_free(pol_changes *c);
const char *pol_change_kind_name(pol_change_kind kind);

#endif
