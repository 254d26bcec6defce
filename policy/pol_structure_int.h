/* pol_structure_int.h: what the pol_structure*.c and pol_postcode.c files
 * share and nobody else sees: the model's layout and its arena, the parse
 * context that reports problems at a path, and the steps of the parse.
 * Not for use outside those files; everything here may change. */
#ifndef POL_STRUCTURE_INT_H
#define POL_STRUCTURE_INT_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pol_structure.h"
#include "pol_utf8.h"

/* ---- the arena (pol_structure.c): everything a model holds lives in one,
 * so freeing a model is one walk ---- */

typedef struct pst_block pst_block;

typedef struct pst_arena {
	pst_block *head;
} pst_arena;

/* Zeroed memory that lives as long as the arena; NULL when out of memory. */
void *pst_alloc(pst_arena *a, size_t n);
/* count * size zeroed bytes; NULL when out of memory or too large. */
void *pst_array(pst_arena *a, size_t count, size_t size);
/* A terminated copy of s[0..n); NULL when out of memory. */
char *pst_strndup(pst_arena *a, const char *s, size_t n);

/* ---- the model ---- */

struct pol_structure {
	pst_arena mem;
	const char *gemeente;
	pol_wijk *wijken;
	size_t n_wijken;
	pol_gem_regiegroep *gem;
	pol_politie *politie;
	size_t n_politie;
	const char **operators;
	size_t n_operators;
	pol_room *rooms;
	size_t n_rooms;
	const pol_room **by_key;   /* rooms sorted by key, for bsearch */
};

/* ---- small string helpers (pol_structure.c) ---- */

static inline char pst_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static inline int pst_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline int pst_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int pst_is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ASCII case-insensitive equality of a[0..alen) and the string b. */
int pst_ci_eq_n(const char *a, size_t alen, const char *b);
int pst_ci_eq(const char *a, const char *b);
/* Moves *s and shortens *n past spaces at both ends. */
void pst_trim(const char **s, size_t *n);
/* Appends s (or v in decimal) to buf[*len..size), always terminated,
 * silently cut. */
void pst_buf_add(char *buf, size_t size, size_t *len, const char *s);
void pst_buf_add_uint(char *buf, size_t size, size_t *len, size_t v);

/* ---- lookups on a model that may still be incomplete (pol_structure.c) ---- */

int pst_has_user(const char *const *list, size_t n, const char *u);
int pst_is_stuurgroep_member(const pol_structure *s, const char *u);
const pol_stuurgroep *pst_find_sg(const pol_structure *s, const char *id);
const pol_wijk *pst_find_wijk(const pol_structure *s, const char *id);

/* ---- postcodes (pol_postcode.c) ---- */

/* A postcode, or two joined by '-': "4611AA-4612ZZ", "4611-4613", from
 * s[0..n). 0, or -1 (then *out is unchanged). */
int pst_pc_spec_parse(const char *s, size_t n, pol_postcode_range *out);
/* Normalised text of a range into buf: "4611", "4611AB", "4611-4613",
 * "4611AA-4612KZ". */
void pst_pc_format(char *buf, size_t size, pol_postcode_range r);

/* ---- the parse context (pol_structure_fields.c) ---- */

typedef struct pst_ctx {
	pol_problems *pr;
	pst_arena *mem;
	char path[256];
	size_t plen;
	char qbuf[4][96];
	unsigned qi;
	int oom;
} pst_ctx;

#define ERR POL_SEV_ERROR
#define WARN POL_SEV_WARNING

/* The path grows by ".key" or "[i]"; both return a mark for pst_path_pop. */
size_t pst_path_push(pst_ctx *c, const char *key);
size_t pst_path_index(pst_ctx *c, size_t i);
void pst_path_pop(pst_ctx *c, size_t mark);
/* The first n items of a JSON list, each with the path at "<key>[i]":
 *
 *	pst_items it;
 *
 *	for (pst_items_start(c, &it, list, n, "buurten"); pst_items_next(c, &it);)
 *		parse_buurt(c, it.v, &buurten[it.i]);
 *
 * The last pst_items_next restores the path; a loop left early calls
 * pst_items_stop. list may be NULL (no items). */
typedef struct pst_items {
	const cJSON *v;        /* the current item */
	size_t i;              /* its index */
	const cJSON *next;
	size_t n;
	const char *key;
	size_t list_mark;      /* the path before the key */
	int in_item;
} pst_items;

void pst_items_start(pst_ctx *c, pst_items *it, const cJSON *list, size_t n, const char *key);
int pst_items_next(pst_ctx *c, pst_items *it);
void pst_items_stop(pst_ctx *c, pst_items *it);
/* A quoted, shortened, printable copy of s for a message, in one of four
 * rotating buffers of c: one message may quote up to four values. */
const char *pst_q(pst_ctx *c, const char *s);
/* A problem at the current path, or at its child field when field != NULL. */
__attribute__((format(printf, 4, 5)))
void pst_report(pst_ctx *c, pol_severity sev, const char *field, const char *fmt, ...);
/* A problem at an explicit path. */
__attribute__((format(printf, 4, 5)))
void pst_report_at(pst_ctx *c, pol_severity sev, const char *path, const char *fmt, ...);
/* Reports "out of memory" once and marks the parse as failed by it. */
void pst_oom(pst_ctx *c);
/* Writes "wijken[w]" or "wijken[w].<list>[j]" into buf and returns buf. */
const char *pst_item_path(char *buf, size_t size, size_t w, const char *list, size_t j);

/* ---- JSON field readers (pol_structure_fields.c); each reports its own
 * problems and returns one of these ---- */

enum { GOT_NONE = 0, GOT_OK = 1, GOT_BAD = -1 };

const char *pst_type_name(const cJSON *v);

typedef enum pst_text_kind {
	PST_TEXT_NAME,        /* one line: no controls, no direction controls */
	PST_TEXT_PARAGRAPHS,  /* spelregels: also \n, \r and \t */
} pst_text_kind;

/* What is wrong with s[0..n) as text of this kind: POL_UTF8_OK, or
 * POL_UTF8_INVALID (not UTF-8), POL_UTF8_CONTROL (a C0 control or DEL),
 * POL_UTF8_BIDI (an embedding, override or isolate in a name; see
 * pol_utf8.h). */
pol_utf8_verdict pst_check_text(const char *s, size_t n, pst_text_kind kind);
/* Reports unknown and repeated keys of obj; keys starting with '_' are
 * comments. Returns 0, or -1 when obj is not an object (reported). */
int pst_check_object(pst_ctx *c, const cJSON *obj, const char *const *known, const char *what);
/* obj[key] when obj is an object, else NULL. */
const cJSON *pst_field_of(const cJSON *obj, const char *key);
/* Copies the trimmed name s into the arena (*out); reports at field. */
int pst_take_name(pst_ctx *c, const char *field, const char *s, const char **out);
int pst_get_name(pst_ctx *c, const cJSON *obj, const char *key, int required, const char **out);
int pst_get_id(pst_ctx *c, const cJSON *obj, const char *key, const char **out);
/* NULL when s is a well-formed Matrix user id, else why not. */
const char *pst_user_id_problem(const char *s);
int pst_take_user(pst_ctx *c, const cJSON *v, const char *field, const char *what, const char **out);
int pst_get_bool(pst_ctx *c, const cJSON *obj, const char *key, int def, int *out);
int pst_get_uint(pst_ctx *c, const cJSON *obj, const char *key, unsigned min, unsigned max,
		 unsigned *out);
/* The list at obj[key]: NULL when absent or not a list (reported when
 * required or wrong). *n is its length, cut to max (reported). */
const cJSON *pst_get_list(pst_ctx *c, const cJSON *obj, const char *key, int required,
			  size_t max, size_t *n);
/* A list of user ids at obj[key]; duplicates are errors. Sorted on return. */
int pst_get_users(pst_ctx *c, const cJSON *obj, const char *key, int required, size_t max,
		  const char *what, const char ***out, size_t *n_out);

/* ---- gemeente-wide checks (pol_structure_check.c), on a parsed model ---- */

void pst_check_unique(pst_ctx *c, const pol_structure *s);
void pst_check_buurten(pst_ctx *c, const pol_structure *s);
void pst_warnings(pst_ctx *c, const pol_structure *s);

/* ---- rooms (pol_structure_rooms.c) ---- */

/* Builds s->rooms from a model without errors. 0 or -1 (out of memory). */
int pst_build_rooms(pol_structure *s);

#endif
