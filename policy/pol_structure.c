/* pol_structure.c: parse and validate the structure file into the model of
 * pol_structure.h, derive the rooms and their members, and diff two models.
 * Everything a model holds lives in one arena, so freeing it is one walk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "pol_structure.h"

/* ------------------------------------------------------------------ */
/* arena */

typedef struct ablock {
	struct ablock *next;
	size_t used, size;
	max_align_t data[];
} ablock;

typedef struct arena {
	ablock *head;
} arena;

#define ARENA_BLOCK 16384

/* Zeroed memory that lives as long as the arena; NULL when out of memory. */
static void *arena_alloc(arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	unsigned char *p;

	if (n > SIZE_MAX / 4)
		return NULL;
	n = n == 0 ? align : (n + align - 1) / align * align;
	if (!a->head || a->head->size - a->head->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		ablock *b = malloc(sizeof *b + size);

		if (!b)
			return NULL;
		b->next = a->head;
		b->used = 0;
		b->size = size;
		a->head = b;
	}
	p = (unsigned char *)a->head->data + a->head->used;
	a->head->used += n;
	memset(p, 0, n);
	return p;
}

static void *arena_array(arena *a, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / 4 / size)
		return NULL;
	return arena_alloc(a, count * size);
}

static char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void arena_free(arena *a)
{
	ablock *b = a->head;

	while (b) {
		ablock *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
}

/* ------------------------------------------------------------------ */
/* the model */

struct pol_structure {
	arena mem;
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

/* ------------------------------------------------------------------ */
/* problems */

void pol_problems_init(pol_problems *p)
{
	memset(p, 0, sizeof *p);
}

void pol_problems_free(pol_problems *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->items[i].path);
		free(p->items[i].message);
	}
	free(p->items);
	memset(p, 0, sizeof *p);
}

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

void pol_problems_add(pol_problems *p, pol_severity sev, const char *path, const char *msg)
{
	pol_problem *it;

	if (sev == POL_SEV_ERROR)
		p->n_errors++;
	else
		p->n_warnings++;
	if (p->n >= POL_PROBLEMS_MAX) {
		p->n_dropped++;
		return;
	}
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 16;
		pol_problem *ni = realloc(p->items, ncap * sizeof *ni);

		if (!ni) {
			p->oom = 1;
			p->n_dropped++;
			return;
		}
		p->items = ni;
		p->cap = ncap;
	}
	it = &p->items[p->n];
	it->severity = sev;
	it->path = dupstr(path);
	it->message = dupstr(msg);
	if (!it->path || !it->message) {
		free(it->path);
		free(it->message);
		p->oom = 1;
		p->n_dropped++;
		return;
	}
	p->n++;
}

/* ------------------------------------------------------------------ */
/* small string helpers */

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ASCII case-insensitive equality of a[0..alen) and the string b. */
static int ci_eq_n(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || lower(a[i]) != lower(b[i]))
			return 0;
	return b[alen] == '\0';
}

static int ci_eq(const char *a, const char *b)
{
	return ci_eq_n(a, strlen(a), b);
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Length of the valid UTF-8 sequence at s (at most avail bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	size_t n, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, past U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* 0 when s[0..n) is valid UTF-8; allow_newlines admits \n and \t. */
static int check_text(const char *s, size_t n, int allow_newlines)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k;

		if (c < 0x20 || c == 0x7f) {
			if (!(allow_newlines && (c == '\n' || c == '\t' || c == '\r')))
				return -1;
		}
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0)
			return -1;
		i += k;
	}
	return 0;
}

/* Appends s to buf[*len..size), always terminated, silently cut. */
static void buf_add(char *buf, size_t size, size_t *len, const char *s)
{
	while (*s && *len + 1 < size)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

static void buf_add_uint(char *buf, size_t size, size_t *len, size_t v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof tmp);
	while (n > 0 && *len + 1 < size)
		buf[(*len)++] = tmp[--n];
	buf[*len] = '\0';
}

/* ------------------------------------------------------------------ */
/* postcodes */

#define PC_LETTERS 676u   /* AA..ZZ */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Parses "4611", "4611AB" or "4611 AB" at *p; advances *p. */
static int pc_scan(const char **p, pol_postcode_range *r)
{
	const char *s = *p;
	uint32_t num;

	if (!is_digit(s[0]) || s[0] == '0' || !is_digit(s[1]) || !is_digit(s[2]) ||
	    !is_digit(s[3]) || is_digit(s[4]))
		return -1;
	num = (uint32_t)((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
	s += 4;
	{
		const char *l = s;

		if (*l == ' ')
			l++;
		if (is_letter(l[0]) && is_letter(l[1]) && !is_letter(l[2]) && !is_digit(l[2])) {
			uint32_t v = num * PC_LETTERS + (uint32_t)(lower(l[0]) - 'a') * 26u +
				     (uint32_t)(lower(l[1]) - 'a');

			r->lo = r->hi = v;
			*p = l + 2;
			return 0;
		}
		if (is_letter(l[0]))
			return -1;   /* one letter, or letters run on */
	}
	r->lo = num * PC_LETTERS;
	r->hi = num * PC_LETTERS + PC_LETTERS - 1;
	*p = s;
	return 0;
}

int pol_postcode_parse(const char *text, pol_postcode_range *out)
{
	const char *p;
	pol_postcode_range r;

	if (!text)
		return -1;
	p = text;
	while (is_space(*p))
		p++;
	if (pc_scan(&p, &r) != 0)
		return -1;
	while (is_space(*p))
		p++;
	if (*p != '\0')
		return -1;
	*out = r;
	return 0;
}

/* A postcode, or two joined by '-': "4611AA-4612ZZ", "4611-4613". */
static int pc_spec_parse(const char *s, size_t n, pol_postcode_range *out)
{
	char buf[64];
	const char *p;
	pol_postcode_range a, b;

	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	p = buf;
	while (is_space(*p))
		p++;
	if (pc_scan(&p, &a) != 0)
		return -1;
	while (is_space(*p))
		p++;
	if (*p == '-') {
		p++;
		while (is_space(*p))
			p++;
		if (pc_scan(&p, &b) != 0)
			return -1;
		while (is_space(*p))
			p++;
		a.hi = b.hi;
	}
	if (*p != '\0')
		return -1;
	*out = a;
	return 0;
}

static void pc_format_one(char *buf, size_t size, size_t *len, uint32_t v, int with_letters)
{
	char tmp[8];

	buf_add_uint(buf, size, len, v / PC_LETTERS);
	if (with_letters) {
		tmp[0] = (char)('A' + (v % PC_LETTERS) / 26);
		tmp[1] = (char)('A' + v % 26);
		tmp[2] = '\0';
		buf_add(buf, size, len, tmp);
	}
}

/* Normalised text of a range: "4611", "4611AB", "4611-4613", "4611AA-4612KZ". */
static void pc_format(char *buf, size_t size, pol_postcode_range r)
{
	size_t len = 0;
	int whole = r.lo % PC_LETTERS == 0 && r.hi % PC_LETTERS == PC_LETTERS - 1;

	buf[0] = '\0';
	if (whole) {
		pc_format_one(buf, size, &len, r.lo, 0);
		if (r.hi / PC_LETTERS != r.lo / PC_LETTERS) {
			buf_add(buf, size, &len, "-");
			pc_format_one(buf, size, &len, r.hi, 0);
		}
		return;
	}
	pc_format_one(buf, size, &len, r.lo, 1);
	if (r.hi != r.lo) {
		buf_add(buf, size, &len, "-");
		pc_format_one(buf, size, &len, r.hi, 1);
	}
}

/* ------------------------------------------------------------------ */
/* parse context */

typedef struct ctx {
	pol_problems *pr;
	arena *mem;
	char path[256];
	size_t plen;
	char qbuf[4][96];
	unsigned qi;
	int oom;
} ctx;

static size_t path_push(ctx *c, const char *key)
{
	size_t mark = c->plen;

	if (c->plen > 0)
		buf_add(c->path, sizeof c->path, &c->plen, ".");
	buf_add(c->path, sizeof c->path, &c->plen, key);
	return mark;
}

static size_t path_index(ctx *c, size_t i)
{
	size_t mark = c->plen;

	buf_add(c->path, sizeof c->path, &c->plen, "[");
	buf_add_uint(c->path, sizeof c->path, &c->plen, i);
	buf_add(c->path, sizeof c->path, &c->plen, "]");
	return mark;
}

static void path_pop(ctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

/* A quoted, shortened, printable copy of s for a message. Four buffers
 * rotate, so one message may quote up to four values. */
static const char *q(ctx *c, const char *s)
{
	char *b = c->qbuf[c->qi++ % 4];
	size_t o = 0, i = 0, n;

	if (!s)
		s = "";
	n = strlen(s);
	b[o++] = '"';
	while (i < n && o < 72) {
		unsigned char ch = (unsigned char)s[i];
		size_t k;

		if (ch < 0x20 || ch == 0x7f) {
			b[o++] = '?';
			i++;
			continue;
		}
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0) {
			b[o++] = '?';
			i++;
			continue;
		}
		if (o + k > 72)
			break;
		memcpy(b + o, s + i, k);
		o += k;
		i += k;
	}
	if (i < n) {
		memcpy(b + o, "...", 3);
		o += 3;
	}
	b[o++] = '"';
	b[o] = '\0';
	return b;
}

__attribute__((format(printf, 4, 0)))
static void vreport(ctx *c, pol_severity sev, const char *path, const char *fmt, va_list ap)
{
	char msg[512];

	if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
		msg[0] = '\0';
	pol_problems_add(c->pr, sev, path[0] ? path : "(file)", msg);
}

/* A problem at the current path, or at its child field when field != NULL. */
__attribute__((format(printf, 4, 5)))
static void report(ctx *c, pol_severity sev, const char *field, const char *fmt, ...)
{
	va_list ap;
	size_t mark = c->plen;

	if (field)
		path_push(c, field);
	va_start(ap, fmt);
	vreport(c, sev, c->path, fmt, ap);
	va_end(ap);
	path_pop(c, mark);
}

/* A problem at an explicit path. */
__attribute__((format(printf, 4, 5)))
static void report_at(ctx *c, pol_severity sev, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, sev, path, fmt, ap);
	va_end(ap);
}

#define ERR POL_SEV_ERROR
#define WARN POL_SEV_WARNING

static void oom(ctx *c)
{
	if (!c->oom)
		report(c, ERR, NULL, "out of memory");
	c->oom = 1;
}

/* Writes "wijken[w]" or "wijken[w].<list>[j]" into buf. */
static const char *item_path(char *buf, size_t size, size_t w, const char *list, size_t j)
{
	size_t len = 0;

	buf[0] = '\0';
	buf_add(buf, size, &len, "wijken[");
	buf_add_uint(buf, size, &len, w);
	buf_add(buf, size, &len, "]");
	if (list) {
		buf_add(buf, size, &len, ".");
		buf_add(buf, size, &len, list);
		buf_add(buf, size, &len, "[");
		buf_add_uint(buf, size, &len, j);
		buf_add(buf, size, &len, "]");
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* JSON field readers; each reports its own problems */

enum { GOT_NONE = 0, GOT_OK = 1, GOT_BAD = -1 };

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "true/false";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "a list";
	if (cJSON_IsObject(v))
		return "an object";
	return "invalid";
}

/* Reports unknown and repeated keys of obj; keys starting with '_' are
 * comments. Returns 0, or -1 when obj is not an object (reported). */
static int check_object(ctx *c, const cJSON *obj, const char *const *known, const char *what)
{
	const cJSON *k, *prev;
	size_t n = 0;

	if (!cJSON_IsObject(obj)) {
		report(c, ERR, NULL, "%s must be an object {...}, not %s", what, type_name(obj));
		return -1;
	}
	cJSON_ArrayForEach(k, obj) {
		size_t i;
		int found = 0;

		if (++n > POL_STRUCT_MAX_OBJECT_KEYS) {
			report(c, ERR, NULL, "%s has more than %d keys", what, POL_STRUCT_MAX_OBJECT_KEYS);
			break;
		}
		if (!k->string)
			continue;
		for (prev = obj->child; prev && prev != k; prev = prev->next) {
			if (prev->string && strcmp(prev->string, k->string) == 0) {
				report(c, ERR, NULL, "key %s appears twice in %s", q(c, k->string), what);
				break;
			}
		}
		if (k->string[0] == '_')
			continue;
		for (i = 0; known[i]; i++)
			if (strcmp(k->string, known[i]) == 0)
				found = 1;
		if (!found) {
			char list[256];
			size_t len = 0;

			list[0] = '\0';
			for (i = 0; known[i]; i++) {
				if (i)
					buf_add(list, sizeof list, &len, ", ");
				buf_add(list, sizeof list, &len, known[i]);
			}
			report(c, ERR, NULL, "unknown key %s in %s (known keys: %s; keys starting with '_' are comments)",
			       q(c, k->string), what, list);
		}
	}
	return 0;
}

/* Copies a trimmed name: non-empty, UTF-8, no control characters. */
static int take_name(ctx *c, const char *field, const char *s, const char **out)
{
	size_t n = strlen(s);

	trim(&s, &n);
	if (n == 0) {
		report(c, ERR, field, "must not be empty: members see this name");
		return GOT_BAD;
	}
	if (n > POL_STRUCT_MAX_NAME) {
		report(c, ERR, field, "is %zu bytes long; at most %d", n, POL_STRUCT_MAX_NAME);
		return GOT_BAD;
	}
	if (check_text(s, n, 0) != 0) {
		report(c, ERR, field, "is not valid UTF-8 text or contains control characters");
		return GOT_BAD;
	}
	*out = arena_strndup(c->mem, s, n);
	if (!*out) {
		oom(c);
		return GOT_BAD;
	}
	return GOT_OK;
}

static const cJSON *field_of(const cJSON *obj, const char *key)
{
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static int get_name(ctx *c, const cJSON *obj, const char *key, int required, const char **out)
{
	const cJSON *v = field_of(obj, key);

	*out = NULL;
	if (!v) {
		if (required)
			report(c, ERR, key, "missing: every %s needs a %s", c->plen ? "entry" : "file", key);
		return GOT_NONE;
	}
	if (!cJSON_IsString(v) || !v->valuestring) {
		report(c, ERR, key, "must be a string, not %s", type_name(v));
		return GOT_BAD;
	}
	return take_name(c, key, v->valuestring, out);
}

static int valid_slug(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > POL_STRUCT_MAX_ID || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || is_digit(s[i]) || s[i] == '-'))
			return 0;
	return 1;
}

static int get_id(ctx *c, const cJSON *obj, const char *key, const char **out)
{
	const cJSON *v = field_of(obj, key);

	*out = NULL;
	if (!v) {
		report(c, ERR, key, "missing: every entry needs an %s", key);
		return GOT_NONE;
	}
	if (!cJSON_IsString(v) || !v->valuestring) {
		report(c, ERR, key, "must be a string, not %s", type_name(v));
		return GOT_BAD;
	}
	if (!valid_slug(v->valuestring)) {
		report(c, ERR, key, "%s is not a valid id: use 1-%d characters a-z, 0-9 and '-', not starting with '-'",
		       q(c, v->valuestring), POL_STRUCT_MAX_ID);
		return GOT_BAD;
	}
	*out = arena_strndup(c->mem, v->valuestring, strlen(v->valuestring));
	if (!*out) {
		oom(c);
		return GOT_BAD;
	}
	return GOT_OK;
}

/* NULL when s is a well-formed Matrix user id, else why not. */
static const char *user_id_problem(const char *s)
{
	size_t n = strlen(s), i;
	const char *colon, *host;
	int upper = 0;

	if (n == 0 || s[0] != '@')
		return "must start with '@' (like @anna:example.org)";
	if (n > POL_STRUCT_MAX_USER_ID)
		return "is longer than 255 bytes";
	colon = strchr(s, ':');
	if (!colon)
		return "has no ':server' part";
	if (colon == s + 1)
		return "has an empty name before ':'";
	for (i = 1; s + i < colon; i++) {
		char ch = s[i];

		if (ch >= 'A' && ch <= 'Z') {
			upper = 1;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || is_digit(ch) || ch == '.' || ch == '_' ||
		      ch == '=' || ch == '-' || ch == '/' || ch == '+'))
			return "has a character not allowed in a Matrix user name (a-z 0-9 . _ = - / +)";
	}
	if (upper)
		return "has capitals: Matrix user ids are lower case";
	host = colon + 1;
	if (*host == '\0')
		return "has an empty server name";
	if (*host == '[') {
		const char *end = strchr(host, ']');

		if (!end || end == host + 1)
			return "has a malformed [IPv6] server name";
		for (i = 1; host + i < end; i++)
			if (!(is_digit(host[i]) || is_letter(host[i]) || host[i] == ':' || host[i] == '.'))
				return "has a malformed [IPv6] server name";
		host = end + 1;
	} else {
		const char *h = host;

		while (*h && *h != ':') {
			if (!(is_digit(*h) || is_letter(*h) || *h == '-' || *h == '.'))
				return "has a character not allowed in a server name";
			h++;
		}
		if (h == host)
			return "has an empty server name";
		host = h;
	}
	if (*host == ':') {
		size_t d = 0;

		host++;
		while (is_digit(host[d]))
			d++;
		if (d == 0 || d > 5 || host[d] != '\0')
			return "has a malformed port after the server name";
		host += d;
	}
	if (*host != '\0')
		return "has unexpected characters after the server name";
	return NULL;
}

/* Checks v (an element or a field) as a user id; field names the path
 * element (NULL: the current path). */
static int take_user(ctx *c, const cJSON *v, const char *field, const char *what, const char **out)
{
	const char *why;

	*out = NULL;
	if (!cJSON_IsString(v) || !v->valuestring) {
		report(c, ERR, field, "%s must be a Matrix user id string, not %s", what, type_name(v));
		return GOT_BAD;
	}
	why = user_id_problem(v->valuestring);
	if (why) {
		report(c, ERR, field, "%s %s %s", what, q(c, v->valuestring), why);
		return GOT_BAD;
	}
	*out = arena_strndup(c->mem, v->valuestring, strlen(v->valuestring));
	if (!*out) {
		oom(c);
		return GOT_BAD;
	}
	return GOT_OK;
}

static int get_bool(ctx *c, const cJSON *obj, const char *key, int def, int *out)
{
	const cJSON *v = field_of(obj, key);

	*out = def;
	if (!v)
		return GOT_NONE;
	if (!cJSON_IsBool(v)) {
		report(c, ERR, key, "must be true or false, not %s", type_name(v));
		return GOT_BAD;
	}
	*out = cJSON_IsTrue(v);
	return GOT_OK;
}

static int get_uint(ctx *c, const cJSON *obj, const char *key, unsigned min, unsigned max,
		    unsigned *out)
{
	const cJSON *v = field_of(obj, key);
	double d;

	if (!v)
		return GOT_NONE;
	if (!cJSON_IsNumber(v)) {
		report(c, ERR, key, "must be a whole number, not %s", type_name(v));
		return GOT_BAD;
	}
	d = v->valuedouble;
	if (!(d >= (double)min && d <= (double)max)) {
		report(c, ERR, key, "is %g; it must be between %u and %u", d, min, max);
		return GOT_BAD;
	}
	if (d != (double)(unsigned)d) {
		report(c, ERR, key, "is %g; it must be a whole number", d);
		return GOT_BAD;
	}
	*out = (unsigned)d;
	return GOT_OK;
}

/* The list at obj[key]: NULL when absent or not a list (reported when
 * required or wrong). *n is its length, cut to max (reported). */
static const cJSON *get_list(ctx *c, const cJSON *obj, const char *key, int required,
			     size_t max, size_t *n)
{
	const cJSON *v = field_of(obj, key);
	int size;

	*n = 0;
	if (!v) {
		if (required)
			report(c, ERR, key, "missing: a list is required here");
		return NULL;
	}
	if (!cJSON_IsArray(v)) {
		report(c, ERR, key, "must be a list [...], not %s", type_name(v));
		return NULL;
	}
	size = cJSON_GetArraySize(v);
	if (size < 0)
		size = 0;
	*n = (size_t)size;
	if (*n > max) {
		report(c, ERR, key, "has %zu entries; at most %zu are allowed", *n, max);
		*n = max;
	}
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A list of user ids at obj[key]; duplicates are errors. Sorted on return. */
static int get_users(ctx *c, const cJSON *obj, const char *key, int required, size_t max,
		     const char *what, const char ***out, size_t *n_out)
{
	size_t n, i = 0, k = 0, mark;
	const cJSON *list = get_list(c, obj, key, required, max, &n), *v;
	const char **users;

	*out = NULL;
	*n_out = 0;
	if (!list)
		return GOT_NONE;
	users = arena_array(c->mem, n + 1, sizeof *users);
	if (!users) {
		oom(c);
		return GOT_BAD;
	}
	mark = path_push(c, key);
	cJSON_ArrayForEach(v, list) {
		size_t m2, j;
		const char *u;

		if (i >= n)
			break;
		m2 = path_index(c, i);
		if (take_user(c, v, NULL, what, &u) == GOT_OK) {
			for (j = 0; j < k; j++)
				if (strcmp(users[j], u) == 0)
					break;
			if (j < k)
				report(c, ERR, NULL, "%s %s is listed twice", what, q(c, u));
			else
				users[k++] = u;
		}
		path_pop(c, m2);
		i++;
	}
	path_pop(c, mark);
	qsort(users, k, sizeof *users, cmp_str);
	*out = users;
	*n_out = k;
	return GOT_OK;
}

static int has_user(const char *const *list, size_t n, const char *u)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], u) == 0)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* wijkgroepen */

static const char *const wijkgroep_keys[] = { "id", "naam", "buurten", "limiet", "groeidrempel",
					      "opgeheven", "opvolgers", NULL };
static const char *const buurt_keys[] = { "naam", "postcodes", NULL };

/* One postcode spec string into *r; reports at the current path. */
static int take_postcodes(ctx *c, const cJSON *v, pol_postcode_range *r)
{
	const char *s;
	size_t n;

	if (!cJSON_IsString(v) || !v->valuestring) {
		report(c, ERR, NULL, "a postcode must be a string like \"4611\", \"4611AB\" or \"4611AA-4612KZ\", not %s",
		       type_name(v));
		return GOT_BAD;
	}
	s = v->valuestring;
	n = strlen(s);
	if (pc_spec_parse(s, n, r) != 0) {
		report(c, ERR, NULL, "%s is not a postcode or postcode range (examples: \"4611\", \"4611AB\", \"4611AA-4612KZ\")",
		       q(c, s));
		return GOT_BAD;
	}
	if (r->lo > r->hi) {
		report(c, ERR, NULL, "postcode range %s runs backwards: the first postcode must be the lower one",
		       q(c, s));
		return GOT_BAD;
	}
	return GOT_OK;
}

static void parse_buurt(ctx *c, const cJSON *v, pol_buurt *b)
{
	pol_postcode_range *r;
	char label[40];

	if (cJSON_IsString(v) && v->valuestring) {
		const char *s = v->valuestring;
		size_t n = strlen(s);

		trim(&s, &n);
		/* A string starting with a digit is a postcode, anything else a name. */
		if (n > 0 && is_digit(s[0])) {
			r = arena_alloc(c->mem, sizeof *r);
			if (!r) {
				oom(c);
				return;
			}
			if (take_postcodes(c, v, r) != GOT_OK)
				return;
			pc_format(label, sizeof label, *r);
			b->postcodes = r;
			b->n_postcodes = 1;
			b->label = arena_strndup(c->mem, label, strlen(label));
			if (!b->label)
				oom(c);
			return;
		}
		if (take_name(c, NULL, v->valuestring, &b->naam) == GOT_OK)
			b->label = b->naam;
		return;
	}
	if (cJSON_IsObject(v)) {
		size_t n, i = 0, k = 0, mark;
		const cJSON *list, *e;

		check_object(c, v, buurt_keys, "a buurt");
		if (get_name(c, v, "naam", 1, &b->naam) == GOT_OK)
			b->label = b->naam;
		list = get_list(c, v, "postcodes", 0, POL_STRUCT_MAX_POSTCODES, &n);
		if (!list)
			return;
		r = arena_array(c->mem, n + 1, sizeof *r);
		if (!r) {
			oom(c);
			return;
		}
		mark = path_push(c, "postcodes");
		cJSON_ArrayForEach(e, list) {
			size_t m2;

			if (i >= n)
				break;
			m2 = path_index(c, i++);
			if (take_postcodes(c, e, &r[k]) == GOT_OK)
				k++;
			path_pop(c, m2);
		}
		path_pop(c, mark);
		b->postcodes = r;
		b->n_postcodes = k;
		return;
	}
	report(c, ERR, NULL, "a buurt must be a name, a postcode (range) or an object {\"naam\", \"postcodes\"}, not %s",
	       type_name(v));
}

static void parse_wijkgroep(ctx *c, const cJSON *o, pol_wijkgroep *wg, const pol_wijk *w)
{
	size_t n, i = 0, mark;
	const cJSON *list, *v;
	pol_buurt *buurten;
	int got_limiet, got_drempel;

	wg->wijk = w;
	if (check_object(c, o, wijkgroep_keys, "a wijkgroep") != 0)
		return;
	get_id(c, o, "id", &wg->id);
	get_name(c, o, "naam", 1, &wg->naam);

	wg->limiet = POL_CAP_DEFAULT;
	got_limiet = get_uint(c, o, "limiet", POL_CAP_MIN, POL_CAP_MAX, &wg->limiet);
	got_drempel = get_uint(c, o, "groeidrempel", 1, POL_CAP_MAX, &wg->groeidrempel);
	if (got_drempel != GOT_OK) {
		/* Default: the seed's 80 of 100, scaled to the limiet. */
		unsigned long d = (unsigned long)wg->limiet * POL_THRESHOLD_PERCENT / 100;

		wg->groeidrempel = d < 1 ? 1 : (unsigned)d;
	} else if (got_limiet != GOT_BAD && wg->groeidrempel > wg->limiet) {
		report(c, ERR, "groeidrempel", "is %u, above the limiet %u: the split notice would never come",
		       wg->groeidrempel, wg->limiet);
	}

	list = get_list(c, o, "buurten", 0, POL_STRUCT_MAX_BUURTEN, &n);
	if (!list)
		return;
	buurten = arena_array(c->mem, n + 1, sizeof *buurten);
	if (!buurten) {
		oom(c);
		return;
	}
	mark = path_push(c, "buurten");
	cJSON_ArrayForEach(v, list) {
		size_t m2;

		if (i >= n)
			break;
		m2 = path_index(c, i);
		parse_buurt(c, v, &buurten[i]);
		path_pop(c, m2);
		i++;
	}
	path_pop(c, mark);
	wg->buurten = buurten;
	wg->n_buurten = n;
	get_bool(c, o, "opgeheven", 0, &wg->opgeheven);
	/* A retired wijkgroep's buurten went to its opvolgers: they no longer
	 * count for overlaps or for finding someone's wijkgroep. */
	if (wg->opgeheven)
		wg->n_buurten = 0;
}

/* "opvolgers": ids of active wijkgroepen of the same wijk, only on a
 * retired one; resolved once every wijkgroep of the wijk is known. */
static void resolve_opvolgers(ctx *c, const cJSON *o, pol_wijkgroep *wg, pol_wijk *w)
{
	const cJSON *list, *v;
	const pol_wijkgroep **out;
	size_t n = 0, k = 0, i;

	list = get_list(c, o, "opvolgers", 0, POL_STRUCT_MAX_WIJKGROEPEN, &n);
	if (!list)
		return;
	if (!wg->opgeheven && n > 0) {
		report(c, ERR, "opvolgers", "only a wijkgroep with \"opgeheven\": true has opvolgers");
		return;
	}
	out = arena_array(c->mem, n + 1, sizeof *out);
	if (!out) {
		oom(c);
		return;
	}
	cJSON_ArrayForEach(v, list) {
		const pol_wijkgroep *found = NULL;

		for (i = 0; cJSON_IsString(v) && i < w->n_wijkgroepen; i++)
			if (w->wijkgroepen[i].id && strcmp(w->wijkgroepen[i].id, v->valuestring) == 0)
				found = &w->wijkgroepen[i];
		if (!found || found->opgeheven || found == wg)
			report(c, ERR, "opvolgers", "%s is not an active wijkgroep of this wijk",
			       cJSON_IsString(v) ? q(c, v->valuestring) : "an item");
		else if (k < n)
			out[k++] = found;
	}
	wg->opvolgers = out;
	wg->n_opvolgers = k;
}

/* ------------------------------------------------------------------ */
/* stuurgroepen */

static const char *const stuurgroep_keys[] = { "id", "naam", "leden", "telefoonbeheerder", "beheert", NULL };

static void parse_stuurgroep(ctx *c, const cJSON *o, pol_stuurgroep *sg, const pol_wijk *w)
{
	const char **leden = NULL;
	const cJSON *tb;
	const cJSON *tbv = NULL;
	size_t n_leden = 0;
	int leden_ok;

	sg->wijk = w;
	if (check_object(c, o, stuurgroep_keys, "a stuurgroep") != 0)
		return;
	get_id(c, o, "id", &sg->id);
	get_name(c, o, "naam", 1, &sg->naam);

	leden_ok = get_users(c, o, "leden", 0, POL_STRUCT_MAX_LEDEN, "member", &leden, &n_leden);
	if (leden_ok == GOT_NONE && !field_of(o, "leden"))
		report(c, ERR, "leden", "missing: a stuurgroep needs members (leden)");
	else if (leden_ok == GOT_OK && cJSON_GetArraySize(field_of(o, "leden")) == 0)
		report(c, ERR, "leden", "a stuurgroep needs members; this list is empty");
	sg->leden = leden;
	sg->n_leden = n_leden;

	/* One string; a list is accepted so that two can be reported as such. */
	tb = field_of(o, "telefoonbeheerder");
	if (!tb) {
		report(c, ERR, "telefoonbeheerder", "missing: every stuurgroep has exactly one telefoonbeheerder, one of its leden");
	} else if (cJSON_IsArray(tb)) {
		int k = cJSON_GetArraySize(tb);

		if (k == 0)
			report(c, ERR, "telefoonbeheerder", "is empty: every stuurgroep has exactly one telefoonbeheerder");
		else if (k > 1)
			report(c, ERR, "telefoonbeheerder", "names %d people; a stuurgroep has exactly one telefoonbeheerder", k);
		else
			tbv = tb->child;
	} else {
		tbv = tb;
	}
	if (tbv && take_user(c, tbv, "telefoonbeheerder", "telefoonbeheerder", &sg->telefoonbeheerder) == GOT_OK &&
	    leden_ok == GOT_OK && !has_user(leden, n_leden, sg->telefoonbeheerder)) {
		report(c, ERR, "telefoonbeheerder", "telefoonbeheerder %s is not one of this stuurgroep's leden",
		       q(c, sg->telefoonbeheerder));
		sg->telefoonbeheerder = NULL;
	}
}

/* Links each stuurgroep's "beheert" to the wijk's wijkgroepen. */
static void resolve_beheert(ctx *c, const cJSON *sg_list, pol_wijk *w, pol_stuurgroep *sgs,
			    pol_wijkgroep *wgs, size_t n_sg)
{
	const cJSON *o;
	size_t j = 0;
	size_t mark = path_push(c, "stuurgroepen");

	cJSON_ArrayForEach(o, sg_list) {
		size_t n = 0, k = 0, cnt = 0, m2, m3;
		const cJSON *list, *v;
		const pol_wijkgroep **beheert;

		if (j >= n_sg)
			break;
		m2 = path_index(c, j);
		list = cJSON_IsObject(o) ? get_list(c, o, "beheert", 0, POL_STRUCT_MAX_WIJKGROEPEN, &n) : NULL;
		if (cJSON_IsObject(o) && n == 0 && sgs[j].id)
			report(c, WARN, NULL, "stuurgroep %s manages no wijkgroep (\"beheert\" is empty or missing)",
			       q(c, sgs[j].id));
		if (!list) {
			path_pop(c, m2);
			j++;
			continue;
		}
		beheert = arena_array(c->mem, n + 1, sizeof *beheert);
		if (!beheert) {
			oom(c);
			path_pop(c, m2);
			break;
		}
		m3 = path_push(c, "beheert");
		cJSON_ArrayForEach(v, list) {
			size_t m4, i;
			pol_wijkgroep *wg = NULL;

			if (k >= n)
				break;
			m4 = path_index(c, k++);
			if (!cJSON_IsString(v) || !v->valuestring) {
				report(c, ERR, NULL, "must be the id of a wijkgroep (a string), not %s", type_name(v));
				path_pop(c, m4);
				continue;
			}
			for (i = 0; i < w->n_wijkgroepen; i++)
				if (wgs[i].id && strcmp(wgs[i].id, v->valuestring) == 0)
					wg = &wgs[i];
			if (!wg) {
				report(c, ERR, NULL, "no wijkgroep with id %s in this wijk; a stuurgroep manages wijkgroepen of its own wijk",
				       q(c, v->valuestring));
			} else if (wg->stuurgroep == &sgs[j]) {
				report(c, ERR, NULL, "wijkgroep %s is listed twice", q(c, wg->id));
			} else if (wg->stuurgroep) {
				report(c, ERR, NULL, "wijkgroep %s is already managed by stuurgroep %s; a wijkgroep has exactly one stuurgroep",
				       q(c, wg->id), q(c, wg->stuurgroep->id));
			} else {
				wg->stuurgroep = &sgs[j];
				beheert[cnt++] = wg;
			}
			path_pop(c, m4);
		}
		path_pop(c, m3);
		sgs[j].beheert = beheert;
		sgs[j].n_beheert = cnt;
		path_pop(c, m2);
		j++;
	}
	path_pop(c, mark);
}

/* ------------------------------------------------------------------ */
/* wijken */

static const char *const wijk_keys[] = { "id", "naam", "regiegroep", "spelregels", "wijkgroepen",
					 "stuurgroepen", NULL };

static void parse_wijk(ctx *c, const cJSON *o, pol_wijk *w)
{
	size_t n_wg = 0, n_sg = 0, i, mark;
	const cJSON *wg_list, *sg_list, *v, *sp;
	pol_wijkgroep *wgs = NULL;
	pol_stuurgroep *sgs = NULL;

	if (check_object(c, o, wijk_keys, "a wijk") != 0)
		return;
	get_id(c, o, "id", &w->id);
	get_name(c, o, "naam", 1, &w->naam);
	get_bool(c, o, "regiegroep", 0, &w->regiegroep);

	sp = field_of(o, "spelregels");
	if (sp) {
		if (!cJSON_IsString(sp) || !sp->valuestring) {
			report(c, ERR, "spelregels", "must be a string, not %s", type_name(sp));
		} else {
			const char *s = sp->valuestring;
			size_t n = strlen(s);

			trim(&s, &n);
			if (n == 0)
				report(c, ERR, "spelregels", "is empty; leave the key out to use the bot's default spelregels");
			else if (n > POL_STRUCT_MAX_SPELREGELS)
				report(c, ERR, "spelregels", "is %zu bytes long; at most %d", n, POL_STRUCT_MAX_SPELREGELS);
			else if (check_text(s, n, 1) != 0)
				report(c, ERR, "spelregels", "is not valid UTF-8 text or contains control characters");
			else if (!(w->spelregels = arena_strndup(c->mem, s, n)))
				oom(c);
		}
	}

	wg_list = get_list(c, o, "wijkgroepen", 1, POL_STRUCT_MAX_WIJKGROEPEN, &n_wg);
	if (wg_list && n_wg == 0)
		report(c, ERR, "wijkgroepen", "a wijk needs at least one wijkgroep");
	wgs = arena_array(c->mem, n_wg + 1, sizeof *wgs);
	sg_list = get_list(c, o, "stuurgroepen", 1, POL_STRUCT_MAX_STUURGROEPEN, &n_sg);
	sgs = arena_array(c->mem, n_sg + 1, sizeof *sgs);
	if (!wgs || !sgs) {
		oom(c);
		return;
	}
	w->wijkgroepen = wgs;
	w->n_wijkgroepen = n_wg;
	w->stuurgroepen = sgs;
	w->n_stuurgroepen = n_sg;

	i = 0;
	mark = path_push(c, "wijkgroepen");
	cJSON_ArrayForEach(v, wg_list) {
		size_t m2;

		if (i >= n_wg)
			break;
		m2 = path_index(c, i);
		parse_wijkgroep(c, v, &wgs[i], w);
		path_pop(c, m2);
		i++;
	}
	path_pop(c, mark);

	i = 0;
	mark = path_push(c, "stuurgroepen");
	cJSON_ArrayForEach(v, sg_list) {
		size_t m2;

		if (i >= n_sg)
			break;
		m2 = path_index(c, i);
		parse_stuurgroep(c, v, &sgs[i], w);
		path_pop(c, m2);
		i++;
	}
	path_pop(c, mark);

	if (sg_list)
		resolve_beheert(c, sg_list, w, sgs, wgs, n_sg);

	i = 0;
	mark = path_push(c, "wijkgroepen");
	cJSON_ArrayForEach(v, wg_list) {
		size_t m2;

		if (i >= n_wg)
			break;
		m2 = path_index(c, i);
		if (cJSON_IsObject(v))
			resolve_opvolgers(c, v, &wgs[i], w);
		path_pop(c, m2);
		i++;
	}
	path_pop(c, mark);

	mark = path_push(c, "wijkgroepen");
	for (i = 0; i < n_wg; i++) {
		size_t m2 = path_index(c, i);

		if (!wgs[i].stuurgroep && wgs[i].id)
			report(c, ERR, NULL, "wijkgroep %s is managed by no stuurgroep: put its id in the \"beheert\" list of one stuurgroep",
			       q(c, wgs[i].id));
		path_pop(c, m2);
	}
	path_pop(c, mark);
}

/* ------------------------------------------------------------------ */
/* gemeente-wide checks */

/* Duplicate wijk, wijkgroep and stuurgroep ids; wijkgroep ids and names
 * share one namespace because commands find a wijkgroep by either. */
static void check_unique(ctx *c, pol_structure *s)
{
	char pa[96], pb[96];
	size_t w1, w2, i, j;

	for (w1 = 0; w1 < s->n_wijken; w1++) {
		for (w2 = 0; w2 < w1; w2++) {
			const pol_wijk *a = &s->wijken[w1], *b = &s->wijken[w2];

			if (a->id && b->id && strcmp(a->id, b->id) == 0)
				report_at(c, ERR, item_path(pa, sizeof pa, w1, NULL, 0),
					  "duplicate wijk id %s: %s has it too", q(c, a->id),
					  item_path(pb, sizeof pb, w2, NULL, 0));
			else if (a->naam && b->naam && ci_eq(a->naam, b->naam))
				report_at(c, ERR, item_path(pa, sizeof pa, w1, NULL, 0),
					  "duplicate wijk naam %s: %s has it too", q(c, a->naam),
					  item_path(pb, sizeof pb, w2, NULL, 0));
		}
	}

	for (w1 = 0; w1 < s->n_wijken; w1++) {
		const pol_wijk *wa = &s->wijken[w1];

		for (i = 0; i < wa->n_wijkgroepen; i++) {
			const pol_wijkgroep *a = &wa->wijkgroepen[i];

			for (w2 = 0; w2 <= w1; w2++) {
				const pol_wijk *wb = &s->wijken[w2];
				size_t lim = w2 == w1 ? i : wb->n_wijkgroepen;

				for (j = 0; j < lim; j++) {
					const pol_wijkgroep *b = &wb->wijkgroepen[j];
					const char *what = NULL, *val = NULL;

					if (a->id && b->id && strcmp(a->id, b->id) == 0) {
						what = "duplicate wijkgroep id %s: %s has it too";
						val = a->id;
					} else if (a->naam && b->naam && ci_eq(a->naam, b->naam)) {
						what = "duplicate wijkgroep naam %s: %s has it too (commands find wijkgroepen by naam)";
						val = a->naam;
					} else if (a->naam && b->id && ci_eq(a->naam, b->id)) {
						what = "naam %s is the id of %s; commands find wijkgroepen by id or naam, so they must differ";
						val = a->naam;
					} else if (a->id && b->naam && ci_eq(a->id, b->naam)) {
						what = "id %s is the naam of %s; commands find wijkgroepen by id or naam, so they must differ";
						val = a->id;
					}
					if (what) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
						report_at(c, ERR, item_path(pa, sizeof pa, w1, "wijkgroepen", i), what,
							  q(c, val), item_path(pb, sizeof pb, w2, "wijkgroepen", j));
#pragma GCC diagnostic pop
					}
				}
			}
		}
		for (i = 0; i < wa->n_stuurgroepen; i++) {
			const pol_stuurgroep *a = &wa->stuurgroepen[i];

			for (w2 = 0; w2 <= w1; w2++) {
				const pol_wijk *wb = &s->wijken[w2];
				size_t lim = w2 == w1 ? i : wb->n_stuurgroepen;

				for (j = 0; j < lim; j++) {
					const pol_stuurgroep *b = &wb->stuurgroepen[j];

					if (a->id && b->id && strcmp(a->id, b->id) == 0)
						report_at(c, ERR, item_path(pa, sizeof pa, w1, "stuurgroepen", i),
							  "duplicate stuurgroep id %s: %s has it too", q(c, a->id),
							  item_path(pb, sizeof pb, w2, "stuurgroepen", j));
				}
			}
		}
	}
}

/* Beyond this many, one more line says there are more. */
#define OVERLAPS_MAX 50

typedef struct range_ref {
	pol_postcode_range r;
	unsigned short w, g, b;
} range_ref;

static int cmp_range(const void *a, const void *b)
{
	const range_ref *x = a, *y = b;

	if (x->r.lo != y->r.lo)
		return x->r.lo < y->r.lo ? -1 : 1;
	if (x->r.hi != y->r.hi)
		return x->r.hi < y->r.hi ? -1 : 1;
	return 0;
}

static int ref_before(const range_ref *x, const range_ref *y)
{
	if (x->w != y->w)
		return x->w < y->w;
	if (x->g != y->g)
		return x->g < y->g;
	return x->b < y->b;
}

static const char *buurt_path(char *buf, size_t size, size_t w, size_t g, size_t b)
{
	size_t len;

	item_path(buf, size, w, "wijkgroepen", g);
	len = strlen(buf);
	buf_add(buf, size, &len, ".buurten[");
	buf_add_uint(buf, size, &len, b);
	buf_add(buf, size, &len, "]");
	return buf;
}

/* Postcode ranges and buurt names must point to one wijkgroep, so that
 * sign-up finds the wijkgroep of a postcode without doubt. Checked over
 * the whole gemeente (sign-up does not know the wijk yet). */
static void check_buurten(ctx *c, pol_structure *s)
{
	size_t w, g, b, k, i, j, n_ranges = 0, n_buurten = 0;
	range_ref *rr = NULL;
	char pa[128], pb[128], la[40], lb[40];

	for (w = 0; w < s->n_wijken; w++)
		for (g = 0; g < s->wijken[w].n_wijkgroepen; g++)
			for (b = 0; b < s->wijken[w].wijkgroepen[g].n_buurten; b++) {
				n_buurten++;
				n_ranges += s->wijken[w].wijkgroepen[g].buurten[b].n_postcodes;
			}
	if (n_buurten > POL_STRUCT_MAX_BUURTEN_TOTAL) {
		report_at(c, ERR, "wijken", "%zu buurten in total; at most %d", n_buurten,
			  POL_STRUCT_MAX_BUURTEN_TOTAL);
		return;
	}
	if (n_ranges > POL_STRUCT_MAX_RANGES_TOTAL) {
		report_at(c, ERR, "wijken", "%zu postcode ranges in total; at most %d", n_ranges,
			  POL_STRUCT_MAX_RANGES_TOTAL);
		return;
	}

	/* names: quadratic, but bounded by POL_STRUCT_MAX_BUURTEN_TOTAL */
	for (w = 0; w < s->n_wijken; w++)
	for (g = 0; g < s->wijken[w].n_wijkgroepen; g++)
	for (b = 0; b < s->wijken[w].wijkgroepen[g].n_buurten; b++) {
		const pol_buurt *x = &s->wijken[w].wijkgroepen[g].buurten[b];
		int done = 0;

		if (!x->naam)
			continue;
		for (i = 0; i <= w && !done; i++)
		for (j = 0; j < s->wijken[i].n_wijkgroepen && !done; j++)
		for (k = 0; k < s->wijken[i].wijkgroepen[j].n_buurten; k++) {
			const pol_buurt *y = &s->wijken[i].wijkgroepen[j].buurten[k];

			if (i == w && j == g && k == b) {
				done = 1;   /* only compare with those before */
				break;
			}
			if (!y->naam || !ci_eq(x->naam, y->naam))
				continue;
			if (i == w && j == g)
				report_at(c, WARN, buurt_path(pa, sizeof pa, w, g, b),
					  "buurt %s is listed twice in this wijkgroep", q(c, x->naam));
			else
				report_at(c, ERR, buurt_path(pa, sizeof pa, w, g, b),
					  "buurt %s is also in %s; a buurt belongs to one wijkgroep",
					  q(c, x->naam), buurt_path(pb, sizeof pb, i, j, k));
			done = 1;
			break;
		}
	}

	if (n_ranges == 0)
		return;
	rr = malloc(n_ranges * sizeof *rr);
	if (!rr) {
		oom(c);
		return;
	}
	k = 0;
	for (w = 0; w < s->n_wijken; w++)
		for (g = 0; g < s->wijken[w].n_wijkgroepen; g++)
			for (b = 0; b < s->wijken[w].wijkgroepen[g].n_buurten; b++) {
				const pol_buurt *x = &s->wijken[w].wijkgroepen[g].buurten[b];

				for (i = 0; i < x->n_postcodes; i++) {
					rr[k].r = x->postcodes[i];
					rr[k].w = (unsigned short)w;
					rr[k].g = (unsigned short)g;
					rr[k].b = (unsigned short)b;
					k++;
				}
			}
	qsort(rr, n_ranges, sizeof *rr, cmp_range);
	/* Sorted by start: every range overlapping rr[i] from the right
	 * starts before rr[i] ends. */
	for (i = 0, k = 0; i < n_ranges && k < OVERLAPS_MAX; i++) {
		for (j = i + 1; j < n_ranges && rr[j].r.lo <= rr[i].r.hi && k < OVERLAPS_MAX; j++) {
			if (rr[i].w == rr[j].w && rr[i].g == rr[j].g)
				continue;   /* overlap inside one wijkgroep is harmless */
			const range_ref *x = &rr[j], *y = &rr[i];

			k++;
			/* report at the one that comes later in the file */
			if (ref_before(x, y)) {
				x = &rr[i];
				y = &rr[j];
			}
			pc_format(la, sizeof la, x->r);
			pc_format(lb, sizeof lb, y->r);
			report_at(c, ERR, buurt_path(pa, sizeof pa, x->w, x->g, x->b),
				  "postcodes %s overlap %s of %s; a postcode belongs to one wijkgroep",
				  q(c, la), q(c, lb), buurt_path(pb, sizeof pb, y->w, y->g, y->b));
		}
	}
	if (k >= OVERLAPS_MAX)
		report_at(c, ERR, "wijken", "more overlapping postcodes than listed; fix these first");
	free(rr);
}

static int is_stuurgroep_member(const pol_structure *s, const char *u)
{
	size_t w, i;

	for (w = 0; w < s->n_wijken; w++)
		for (i = 0; i < s->wijken[w].n_stuurgroepen; i++)
			if (s->wijken[w].stuurgroepen[i].leden &&
			    pol_stuurgroep_has_member(&s->wijken[w].stuurgroepen[i], u))
				return 1;
	return 0;
}

static const pol_stuurgroep *find_sg(const pol_structure *s, const char *id)
{
	size_t w, i;

	for (w = 0; w < s->n_wijken; w++)
		for (i = 0; i < s->wijken[w].n_stuurgroepen; i++)
			if (s->wijken[w].stuurgroepen[i].id && strcmp(s->wijken[w].stuurgroepen[i].id, id) == 0)
				return &s->wijken[w].stuurgroepen[i];
	return NULL;
}

static const pol_wijk *find_wijk(const pol_structure *s, const char *id)
{
	size_t w;

	for (w = 0; w < s->n_wijken; w++)
		if (s->wijken[w].id && strcmp(s->wijken[w].id, id) == 0)
			return &s->wijken[w];
	return NULL;
}

static const char *const gem_keys[] = { "naam", "afgevaardigden", NULL };

static void parse_gem(ctx *c, pol_structure *s, const cJSON *o)
{
	size_t mark = path_push(c, "gemeentelijke_regiegroep"), i;
	pol_gem_regiegroep *g;
	const char **aa = NULL;
	const cJSON *list, *v;

	g = arena_alloc(c->mem, sizeof *g);
	if (!g) {
		oom(c);
		goto cleanup;
	}
	s->gem = g;
	if (check_object(c, o, gem_keys, "the gemeentelijke regiegroep") != 0)
		goto cleanup;
	if (get_name(c, o, "naam", 0, &g->naam) == GOT_NONE && s->gemeente) {
		static const char prefix[] = "Gemeentelijke regiegroep ";
		size_t n = strlen(prefix) + strlen(s->gemeente);
		char *nm = arena_alloc(c->mem, n + 1);

		if (!nm) {
			oom(c);
			goto cleanup;
		}
		memcpy(nm, prefix, strlen(prefix));
		memcpy(nm + strlen(prefix), s->gemeente, strlen(s->gemeente) + 1);
		g->naam = nm;
	}
	if (get_users(c, o, "afgevaardigden", 1, POL_STRUCT_MAX_USERS, "afgevaardigde", &aa,
		      &g->n_afgevaardigden) == GOT_OK && g->n_afgevaardigden == 0 &&
	    cJSON_GetArraySize(field_of(o, "afgevaardigden")) == 0)
		report(c, ERR, "afgevaardigden", "the gemeentelijke regiegroep needs at least one afgevaardigde");
	g->afgevaardigden = aa;
	/* Delegates come from the regiegroepen: each must sit in a stuurgroep.
	 * Walk the JSON list again for the index (the model's list is sorted). */
	i = 0;
	list = g->n_afgevaardigden ? field_of(o, "afgevaardigden") : NULL;
	cJSON_ArrayForEach(v, list) {
		if (i >= POL_STRUCT_MAX_USERS)
			break;
		if (cJSON_IsString(v) && v->valuestring && !user_id_problem(v->valuestring) &&
		    !is_stuurgroep_member(s, v->valuestring)) {
			size_t m2 = path_push(c, "afgevaardigden");

			path_index(c, i);
			report(c, ERR, NULL, "afgevaardigde %s is not a member of any stuurgroep",
			       q(c, v->valuestring));
			path_pop(c, m2);
		}
		i++;
	}
cleanup:
	path_pop(c, mark);
}

static const char *const politie_keys[] = { "gebruiker", "naam", "kamers", NULL };

/* What key names, for politie.kamers: NULL when acceptable, else why not. */
static const char *kamer_problem(const pol_structure *s, const char *key, char *why, size_t size)
{
	const char *colon = strchr(key, ':');
	const char *kind_end = colon ? colon : key + strlen(key);
	size_t kind_len = (size_t)(kind_end - key);
	const char *id = colon ? colon + 1 : "";
	size_t len = 0;

	why[0] = '\0';
	if (kind_len == 10 && strncmp(key, "stuurgroep", 10) == 0 && colon) {
		if (find_sg(s, id))
			return NULL;
		buf_add(why, size, &len, "there is no stuurgroep with this id");
	} else if (kind_len == 10 && strncmp(key, "regiegroep", 10) == 0 && colon) {
		const pol_wijk *w = find_wijk(s, id);

		if (w && w->regiegroep)
			return NULL;
		buf_add(why, size, &len, w ? "this wijk has no regiegroep (\"regiegroep\": false)"
					   : "there is no wijk with this id");
	} else if (strcmp(key, "gemeentelijke_regiegroep") == 0) {
		if (s->gem)
			return NULL;
		buf_add(why, size, &len, "this gemeente has no gemeentelijke_regiegroep");
	} else if (kind_len == 9 && strncmp(key, "wijkgroep", 9) == 0) {
		buf_add(why, size, &len, "politie sit in stuurgroep and regiegroep rooms, not in wijkgroepen");
	} else {
		buf_add(why, size, &len, "not a room politie can sit in; use \"stuurgroep:<id>\", \"regiegroep:<wijk id>\" or \"gemeentelijke_regiegroep\"");
	}
	return why;
}

static void parse_politie(ctx *c, pol_structure *s, const cJSON *list, size_t n)
{
	const cJSON *o;
	size_t i = 0, mark = path_push(c, "politie");

	s->politie = arena_array(c->mem, n + 1, sizeof *s->politie);
	if (!s->politie) {
		oom(c);
		path_pop(c, mark);
		return;
	}
	s->n_politie = n;
	cJSON_ArrayForEach(o, list) {
		pol_politie *p = &s->politie[i];
		size_t m2, j, nk, k = 0, kk = 0;
		const cJSON *kl, *v;
		const char **kamers;

		if (i >= n)
			break;
		m2 = path_index(c, i);
		if (check_object(c, o, politie_keys, "a politie account") == 0) {
			const cJSON *u = field_of(o, "gebruiker");

			if (!u)
				report(c, ERR, "gebruiker", "missing: the Matrix user id of this account");
			else
				take_user(c, u, "gebruiker", "gebruiker", &p->gebruiker);
			get_name(c, o, "naam", 1, &p->naam);
			for (j = 0; j < i && p->gebruiker; j++)
				if (s->politie[j].gebruiker && strcmp(s->politie[j].gebruiker, p->gebruiker) == 0)
					report(c, ERR, "gebruiker", "%s is listed twice under politie", q(c, p->gebruiker));
			kl = get_list(c, o, "kamers", 0, POL_STRUCT_MAX_KAMERS, &nk);
			kamers = arena_array(c->mem, nk + 1, sizeof *kamers);
			if (!kamers) {
				oom(c);
				path_pop(c, m2);
				break;
			}
			if (kl) {
				size_t m3 = path_push(c, "kamers");

				cJSON_ArrayForEach(v, kl) {
					size_t m4;
					char why[160];

					if (k >= nk)
						break;
					m4 = path_index(c, k++);
					if (!cJSON_IsString(v) || !v->valuestring) {
						report(c, ERR, NULL, "must be a room key string such as \"stuurgroep:<id>\", not %s",
						       type_name(v));
					} else if (kamer_problem(s, v->valuestring, why, sizeof why)) {
						report(c, ERR, NULL, "unknown room %s: %s", q(c, v->valuestring), why);
					} else if (has_user(kamers, kk, v->valuestring)) {
						report(c, ERR, NULL, "room %s is listed twice", q(c, v->valuestring));
					} else {
						char *kc = arena_strndup(c->mem, v->valuestring, strlen(v->valuestring));

						if (kc)
							kamers[kk++] = kc;
						else
							oom(c);
					}
					path_pop(c, m4);
				}
				path_pop(c, m3);
			}
			p->kamers = kamers;
			p->n_kamers = kk;
			if (p->gebruiker && kk == 0 && nk == 0)
				report(c, WARN, "kamers", "politie account %s sits in no room, so it cannot post anything",
				       q(c, p->gebruiker));
			if (p->gebruiker && is_stuurgroep_member(s, p->gebruiker))
				report(c, WARN, "gebruiker", "%s is both politie and a stuurgroep member", q(c, p->gebruiker));
		}
		path_pop(c, m2);
		i++;
	}
	path_pop(c, mark);
}

static void warnings(ctx *c, pol_structure *s)
{
	size_t w, i, total_wg = 0;
	char pa[96];

	for (w = 0; w < s->n_wijken; w++)
		total_wg += s->wijken[w].n_wijkgroepen;
	for (w = 0; w < s->n_wijken; w++) {
		const pol_wijk *wk = &s->wijken[w];
		int has_delegate = 0;

		for (i = 0; i < wk->n_stuurgroepen; i++) {
			const pol_stuurgroep *sg = &wk->stuurgroepen[i];

			item_path(pa, sizeof pa, w, "stuurgroepen", i);
			if (sg->leden && sg->n_leden > 0 && (sg->n_leden < 3 || sg->n_leden > 4))
				report_at(c, WARN, pa, "stuurgroep %s has %zu members; the seed advises 3 to 4",
					  q(c, sg->id ? sg->id : "?"), sg->n_leden);
			if (s->gem && sg->leden) {
				size_t j;

				for (j = 0; j < sg->n_leden; j++)
					if (pol_structure_is_delegate(s, sg->leden[j]))
						has_delegate = 1;
			}
		}
		if (wk->n_stuurgroepen > 1 && !wk->regiegroep)
			report_at(c, WARN, item_path(pa, sizeof pa, w, NULL, 0),
				  "wijk %s has %zu stuurgroepen but no regiegroep: they cannot pass messages to each other",
				  q(c, wk->naam ? wk->naam : "?"), wk->n_stuurgroepen);
		if (s->gem && !has_delegate)
			report_at(c, WARN, item_path(pa, sizeof pa, w, NULL, 0),
				  "wijk %s has no afgevaardigde in the gemeentelijke regiegroep",
				  q(c, wk->naam ? wk->naam : "?"));
		if (total_wg > 1)
			for (i = 0; i < wk->n_wijkgroepen; i++)
				if (wk->wijkgroepen[i].n_buurten == 0 && wk->wijkgroepen[i].id)
					report_at(c, WARN, item_path(pa, sizeof pa, w, "wijkgroepen", i),
						  "wijkgroep %s lists no buurten: sign-up cannot send residents there by postcode",
						  q(c, wk->wijkgroepen[i].id));
	}
	if (s->n_operators == 0)
		report_at(c, WARN, "operators", "no operators: nobody can use !herlaad or !status");
}

/* ------------------------------------------------------------------ */
/* rooms */

typedef struct mlist {
	pol_room_member *v;
	size_t n, cap;
	int oom;
} mlist;

static void ml_add(mlist *m, const char *u, int power)
{
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 16;
		pol_room_member *nv = realloc(m->v, ncap * sizeof *nv);

		if (!nv) {
			m->oom = 1;
			return;
		}
		m->v = nv;
		m->cap = ncap;
	}
	m->v[m->n].user_id = u;
	m->v[m->n].power = power;
	m->n++;
}

static int cmp_member(const void *a, const void *b)
{
	const pol_room_member *x = a, *y = b;
	int r = strcmp(x->user_id, y->user_id);

	if (r)
		return r;
	return y->power - x->power;   /* highest power first, kept by dedupe */
}

static void ml_add_police(mlist *m, const pol_structure *s, const char *key)
{
	size_t i, j;

	for (i = 0; i < s->n_politie; i++)
		for (j = 0; j < s->politie[i].n_kamers; j++)
			if (strcmp(s->politie[i].kamers[j], key) == 0)
				ml_add(m, s->politie[i].gebruiker, POL_POWER_MEMBER);
}

static void ml_add_wijk(mlist *m, const pol_wijk *w, int power)
{
	size_t i, j;

	for (i = 0; i < w->n_stuurgroepen; i++)
		for (j = 0; j < w->stuurgroepen[i].n_leden; j++)
			ml_add(m, w->stuurgroepen[i].leden[j], power);
}

static char *make_key(arena *a, const char *kind, const char *id)
{
	size_t k = strlen(kind), n = id ? strlen(id) : 0;
	char *p = arena_alloc(a, k + n + 2);

	if (!p)
		return NULL;
	memcpy(p, kind, k);
	if (id) {
		p[k] = ':';
		memcpy(p + k + 1, id, n + 1);
	} else {
		p[k] = '\0';
	}
	return p;
}

/* Sorts, drops repeats (keeping the highest power) and moves m into r. */
static int room_set_members(arena *a, pol_room *r, mlist *m)
{
	size_t i, k = 0;
	pol_room_member *out;

	if (m->oom)
		return -1;
	if (m->n)
		qsort(m->v, m->n, sizeof *m->v, cmp_member);
	out = arena_array(a, m->n + 1, sizeof *out);
	if (!out)
		return -1;
	for (i = 0; i < m->n; i++)
		if (k == 0 || strcmp(out[k - 1].user_id, m->v[i].user_id) != 0)
			out[k++] = m->v[i];
	r->members = out;
	r->n_members = k;
	m->n = 0;
	return 0;
}

static int cmp_room_key(const void *a, const void *b)
{
	return strcmp((*(const pol_room *const *)a)->key, (*(const pol_room *const *)b)->key);
}

static int police_in_wijk(const pol_structure *s, const pol_politie *p, const pol_wijk *w)
{
	size_t j, i;
	char key[POL_STRUCT_MAX_KEY + 1];

	for (j = 0; j < p->n_kamers; j++) {
		size_t len = 0;

		key[0] = '\0';
		buf_add(key, sizeof key, &len, "regiegroep:");
		buf_add(key, sizeof key, &len, w->id);
		if (strcmp(p->kamers[j], key) == 0)
			return 1;
		for (i = 0; i < w->n_stuurgroepen; i++) {
			len = 0;
			buf_add(key, sizeof key, &len, "stuurgroep:");
			buf_add(key, sizeof key, &len, w->stuurgroepen[i].id);
			if (strcmp(p->kamers[j], key) == 0)
				return 1;
		}
	}
	(void)s;
	return 0;
}

/* Builds s->rooms from a model without errors. 0 or -1 (out of memory). */
static int build_rooms(pol_structure *s)
{
	size_t n = 1, w, i, k = 0;
	mlist m = { 0 };
	arena *a = &s->mem;
	int rc = -1;
	pol_room *r;

	for (w = 0; w < s->n_wijken; w++)
		n += 1 + (s->wijken[w].regiegroep ? 1 : 0) + s->wijken[w].n_stuurgroepen +
		     s->wijken[w].n_wijkgroepen;
	if (s->gem)
		n++;
	s->rooms = arena_array(a, n, sizeof *s->rooms);
	s->by_key = arena_array(a, n, sizeof *s->by_key);
	if (!s->rooms || !s->by_key)
		goto cleanup;

	r = &s->rooms[k++];
	r->key = "gemeente";
	r->kind = POL_ROOM_GEMEENTE_SPACE;
	r->naam = s->gemeente;
	for (w = 0; w < s->n_wijken; w++)
		ml_add_wijk(&m, &s->wijken[w], POL_POWER_MEMBER);
	for (i = 0; i < s->n_politie; i++)
		if (s->politie[i].n_kamers)
			ml_add(&m, s->politie[i].gebruiker, POL_POWER_MEMBER);
	if (room_set_members(a, r, &m) != 0)
		goto cleanup;

	for (w = 0; w < s->n_wijken; w++) {
		const pol_wijk *wk = &s->wijken[w];
		const char *space;

		r = &s->rooms[k++];
		r->key = space = make_key(a, "wijk", wk->id);
		r->kind = POL_ROOM_WIJK_SPACE;
		r->naam = wk->naam;
		r->parent = "gemeente";
		r->wijk = wk;
		ml_add_wijk(&m, wk, POL_POWER_MEMBER);
		for (i = 0; i < s->n_politie; i++)
			if (police_in_wijk(s, &s->politie[i], wk))
				ml_add(&m, s->politie[i].gebruiker, POL_POWER_MEMBER);
		if (!space || room_set_members(a, r, &m) != 0)
			goto cleanup;

		if (wk->regiegroep) {
			static const char prefix[] = "Regiegroep ";
			char *nm = arena_alloc(a, sizeof prefix + strlen(wk->naam));

			r = &s->rooms[k++];
			r->key = make_key(a, "regiegroep", wk->id);
			r->kind = POL_ROOM_REGIEGROEP;
			if (!nm || !r->key)
				goto cleanup;
			memcpy(nm, prefix, sizeof prefix - 1);
			memcpy(nm + sizeof prefix - 1, wk->naam, strlen(wk->naam) + 1);
			r->naam = nm;
			r->parent = space;
			r->wijk = wk;
			/* derived: every stuurgroep member of the wijk */
			ml_add_wijk(&m, wk, POL_POWER_MODERATOR);
			ml_add_police(&m, s, r->key);
			if (room_set_members(a, r, &m) != 0)
				goto cleanup;
		}
		for (i = 0; i < wk->n_stuurgroepen; i++) {
			const pol_stuurgroep *sg = &wk->stuurgroepen[i];
			size_t j;

			r = &s->rooms[k++];
			r->key = make_key(a, "stuurgroep", sg->id);
			if (!r->key)
				goto cleanup;
			r->kind = POL_ROOM_STUURGROEP;
			r->naam = sg->naam;
			r->parent = space;
			r->wijk = wk;
			r->stuurgroep = sg;
			for (j = 0; j < sg->n_leden; j++)
				ml_add(&m, sg->leden[j], POL_POWER_MODERATOR);
			ml_add_police(&m, s, r->key);
			if (room_set_members(a, r, &m) != 0)
				goto cleanup;
		}
		for (i = 0; i < wk->n_wijkgroepen; i++) {
			const pol_wijkgroep *wg = &wk->wijkgroepen[i];
			size_t j;

			r = &s->rooms[k++];
			r->key = make_key(a, "wijkgroep", wg->id);
			if (!r->key)
				goto cleanup;
			r->kind = POL_ROOM_WIJKGROEP;
			r->retired = wg->opgeheven;
			r->naam = wg->naam;
			r->parent = space;
			r->wijk = wk;
			r->wijkgroep = wg;
			for (j = 0; j < wg->stuurgroep->n_leden; j++)
				ml_add(&m, wg->stuurgroep->leden[j], POL_POWER_MODERATOR);
			if (room_set_members(a, r, &m) != 0)
				goto cleanup;
		}
	}
	if (s->gem) {
		r = &s->rooms[k++];
		r->key = "gemeentelijke_regiegroep";
		r->kind = POL_ROOM_GEM_REGIEGROEP;
		r->naam = s->gem->naam;
		r->parent = "gemeente";
		for (i = 0; i < s->gem->n_afgevaardigden; i++)
			ml_add(&m, s->gem->afgevaardigden[i], POL_POWER_MODERATOR);
		ml_add_police(&m, s, r->key);
		if (room_set_members(a, r, &m) != 0)
			goto cleanup;
	}
	s->n_rooms = k;
	for (i = 0; i < k; i++)
		s->by_key[i] = &s->rooms[i];
	qsort(s->by_key, k, sizeof *s->by_key, cmp_room_key);
	rc = 0;
cleanup:
	free(m.v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* the parser proper */

static const char *const root_keys[] = { "versie", "gemeente", "wijken", "gemeentelijke_regiegroep",
					 "politie", "operators", NULL };

static void parse_root(ctx *c, pol_structure *s, const cJSON *root)
{
	size_t n, i = 0, mark, total_wg = 0, total_sg = 0;
	const cJSON *list, *v;
	const char **ops = NULL;

	if (check_object(c, root, root_keys, "the structure file") != 0)
		return;
	v = field_of(root, "versie");
	if (v && (!cJSON_IsNumber(v) || v->valuedouble != 1.0))
		report(c, ERR, "versie", "unsupported: this bot reads versie 1");
	get_name(c, root, "gemeente", 1, &s->gemeente);

	list = get_list(c, root, "wijken", 1, POL_STRUCT_MAX_WIJKEN, &n);
	if (list && n == 0)
		report(c, ERR, "wijken", "a gemeente needs at least one wijk");
	s->wijken = arena_array(c->mem, n + 1, sizeof *s->wijken);
	if (!s->wijken) {
		oom(c);
		return;
	}
	s->n_wijken = n;
	mark = path_push(c, "wijken");
	cJSON_ArrayForEach(v, list) {
		size_t m2;

		if (i >= n)
			break;
		m2 = path_index(c, i);
		parse_wijk(c, v, &s->wijken[i]);
		total_wg += s->wijken[i].n_wijkgroepen;
		total_sg += s->wijken[i].n_stuurgroepen;
		path_pop(c, m2);
		i++;
	}
	path_pop(c, mark);
	if (total_wg > POL_STRUCT_MAX_WIJKGROEPEN_TOTAL)
		report(c, ERR, "wijken", "%zu wijkgroepen in total; at most %d", total_wg,
		       POL_STRUCT_MAX_WIJKGROEPEN_TOTAL);
	else if (total_sg > POL_STRUCT_MAX_STUURGROEPEN_TOTAL)
		report(c, ERR, "wijken", "%zu stuurgroepen in total; at most %d", total_sg,
		       POL_STRUCT_MAX_STUURGROEPEN_TOTAL);
	else {
		check_unique(c, s);
		check_buurten(c, s);
	}

	if (get_users(c, root, "operators", 0, POL_STRUCT_MAX_USERS, "operator", &ops,
		      &s->n_operators) == GOT_OK)
		s->operators = ops;

	v = field_of(root, "gemeentelijke_regiegroep");
	if (v && !cJSON_IsNull(v))
		parse_gem(c, s, v);

	list = get_list(c, root, "politie", 0, POL_STRUCT_MAX_USERS, &n);
	if (list)
		parse_politie(c, s, list, n);

	warnings(c, s);
}

int pol_structure_parse(pol_structure **out, const char *json, size_t len, pol_problems *problems)
{
	pol_problems local;
	ctx *c = NULL;
	cJSON *root = NULL;
	pol_structure *s = NULL;
	char *text = NULL;
	const char *end = NULL;
	size_t errors_before;
	int rc = POL_STRUCT_EINVAL;

	*out = NULL;
	pol_problems_init(&local);
	if (!problems)
		problems = &local;
	errors_before = problems->n_errors;

	c = calloc(1, sizeof *c);
	s = calloc(1, sizeof *s);
	if (!c || !s) {
		pol_problems_add(problems, ERR, "(file)", "out of memory");
		rc = POL_STRUCT_ENOMEM;
		goto cleanup;
	}
	c->pr = problems;
	c->mem = &s->mem;

	if (!json)
		len = 0;
	if (len > POL_STRUCT_MAX_BYTES) {
		report(c, ERR, NULL, "the file is %zu bytes; at most %d are allowed", len, POL_STRUCT_MAX_BYTES);
		goto cleanup;
	}
	if (len > 0 && memchr(json, '\0', len)) {
		report(c, ERR, NULL, "the file contains a NUL byte at offset %zu; it is not JSON text",
		       (size_t)((const char *)memchr(json, '\0', len) - json));
		goto cleanup;
	}
	/* A terminated copy: cJSON then never looks past the caller's bytes. */
	text = malloc(len + 1);
	if (!text) {
		rc = POL_STRUCT_ENOMEM;
		oom(c);
		goto cleanup;
	}
	if (len)
		memcpy(text, json, len);
	text[len] = '\0';
	end = text;
	root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 0);
	if (root) {
		/* cJSON stops after the first value; anything but space after it is an error. */
		const char *p = end;

		while (p < text + len && is_space(*p))
			p++;
		if (p < text + len) {
			cJSON_Delete(root);
			root = NULL;
			end = p;
		}
	}
	if (!root) {
		size_t pos = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
		size_t line = 1, col = 1, i;

		for (i = 0; i < pos; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		if (len == 0)
			report(c, ERR, NULL, "the file is empty; it must hold one JSON object");
		else
			report(c, ERR, NULL, "invalid JSON at line %zu, column %zu (byte %zu)", line, col, pos);
		goto cleanup;
	}

	parse_root(c, s, root);
	if (c->oom) {
		rc = POL_STRUCT_ENOMEM;
		goto cleanup;
	}
	if (problems->n_errors != errors_before)
		goto cleanup;
	if (build_rooms(s) != 0) {
		oom(c);
		rc = POL_STRUCT_ENOMEM;
		goto cleanup;
	}
	*out = s;
	s = NULL;
	rc = POL_STRUCT_OK;
cleanup:
	cJSON_Delete(root);
	free(text);
	free(c);
	pol_structure_free(s);
	pol_problems_free(&local);
	return rc;
}

void pol_structure_free(pol_structure *s)
{
	if (!s)
		return;
	arena_free(&s->mem);
	free(s);
}

/* ------------------------------------------------------------------ */
/* reading */

const char *pol_structure_gemeente(const pol_structure *s)
{
	return s->gemeente;
}

size_t pol_structure_n_wijken(const pol_structure *s)
{
	return s->n_wijken;
}

const pol_wijk *pol_structure_wijk(const pol_structure *s, size_t i)
{
	return i < s->n_wijken ? &s->wijken[i] : NULL;
}

const pol_gem_regiegroep *pol_structure_gem_regiegroep(const pol_structure *s)
{
	return s->gem;
}

size_t pol_structure_n_politie(const pol_structure *s)
{
	return s->n_politie;
}

const pol_politie *pol_structure_politie(const pol_structure *s, size_t i)
{
	return i < s->n_politie ? &s->politie[i] : NULL;
}

size_t pol_structure_n_operators(const pol_structure *s)
{
	return s->n_operators;
}

const char *pol_structure_operator(const pol_structure *s, size_t i)
{
	return i < s->n_operators ? s->operators[i] : NULL;
}

const pol_wijkgroep *pol_structure_find_wijkgroep(const pol_structure *s, const char *text)
{
	size_t w, i, n;

	if (!s || !text)
		return NULL;
	n = strlen(text);
	trim(&text, &n);
	if (n == 0)
		return NULL;
	for (w = 0; w < s->n_wijken; w++)
		for (i = 0; i < s->wijken[w].n_wijkgroepen; i++) {
			const pol_wijkgroep *wg = &s->wijken[w].wijkgroepen[i];

			if (ci_eq_n(text, n, wg->id) || ci_eq_n(text, n, wg->naam))
				return wg;
		}
	return NULL;
}

const pol_stuurgroep *pol_structure_find_stuurgroep(const pol_structure *s, const char *id)
{
	return s && id ? find_sg(s, id) : NULL;
}

const pol_wijk *pol_structure_find_wijk(const pol_structure *s, const char *id)
{
	return s && id ? find_wijk(s, id) : NULL;
}

pol_locate_status pol_structure_locate(const pol_structure *s, const char *text,
				       const pol_wijkgroep **wg_out, const pol_buurt **buurt_out)
{
	pol_postcode_range r;
	const pol_wijkgroep *found = NULL;
	const pol_buurt *fb = NULL;
	int buurt_unique = 1;
	size_t w, g, b, k, n;

	if (wg_out)
		*wg_out = NULL;
	if (buurt_out)
		*buurt_out = NULL;
	if (!s || !text)
		return POL_LOCATE_NOT_FOUND;
	if (pol_postcode_parse(text, &r) == 0) {
		for (w = 0; w < s->n_wijken; w++)
		for (g = 0; g < s->wijken[w].n_wijkgroepen; g++)
		for (b = 0; b < s->wijken[w].wijkgroepen[g].n_buurten; b++) {
			const pol_wijkgroep *wg = &s->wijken[w].wijkgroepen[g];
			const pol_buurt *bu = &wg->buurten[b];

			for (k = 0; k < bu->n_postcodes; k++) {
				if (bu->postcodes[k].lo > r.hi || bu->postcodes[k].hi < r.lo)
					continue;
				if (found && found != wg)
					return POL_LOCATE_AMBIGUOUS;
				if (fb && fb != bu)
					buurt_unique = 0;
				found = wg;
				fb = bu;
			}
		}
	} else {
		n = strlen(text);
		trim(&text, &n);
		if (n == 0)
			return POL_LOCATE_NOT_FOUND;
		for (w = 0; w < s->n_wijken && !found; w++)
		for (g = 0; g < s->wijken[w].n_wijkgroepen && !found; g++)
		for (b = 0; b < s->wijken[w].wijkgroepen[g].n_buurten; b++) {
			const pol_buurt *bu = &s->wijken[w].wijkgroepen[g].buurten[b];

			if (bu->naam && ci_eq_n(text, n, bu->naam)) {
				found = &s->wijken[w].wijkgroepen[g];
				fb = bu;
				break;
			}
		}
	}
	if (!found)
		return POL_LOCATE_NOT_FOUND;
	if (wg_out)
		*wg_out = found;
	if (buurt_out)
		*buurt_out = buurt_unique ? fb : NULL;
	return POL_LOCATE_FOUND;
}

int pol_stuurgroep_has_member(const pol_stuurgroep *sg, const char *u)
{
	return sg && u && has_user(sg->leden, sg->n_leden, u);
}

int pol_stuurgroep_manages(const pol_stuurgroep *sg, const pol_wijkgroep *wg)
{
	return sg && wg && wg->stuurgroep == sg;
}

size_t pol_structure_stuurgroepen_of(const pol_structure *s, const char *u,
				     const pol_stuurgroep **out, size_t max)
{
	size_t w, i, k = 0;

	if (!s || !u)
		return 0;
	for (w = 0; w < s->n_wijken; w++)
		for (i = 0; i < s->wijken[w].n_stuurgroepen; i++)
			if (pol_stuurgroep_has_member(&s->wijken[w].stuurgroepen[i], u)) {
				if (out && k < max)
					out[k] = &s->wijken[w].stuurgroepen[i];
				k++;
			}
	return k;
}

int pol_wijk_in_regiegroep(const pol_wijk *w, const char *u)
{
	size_t i;

	if (!w || !u || !w->regiegroep)
		return 0;
	for (i = 0; i < w->n_stuurgroepen; i++)
		if (pol_stuurgroep_has_member(&w->stuurgroepen[i], u))
			return 1;
	return 0;
}

int pol_structure_is_delegate(const pol_structure *s, const char *u)
{
	return s && u && s->gem && has_user(s->gem->afgevaardigden, s->gem->n_afgevaardigden, u);
}

int pol_structure_is_operator(const pol_structure *s, const char *u)
{
	return s && u && has_user(s->operators, s->n_operators, u);
}

const pol_politie *pol_structure_find_politie(const pol_structure *s, const char *u)
{
	size_t i;

	if (!s || !u)
		return NULL;
	for (i = 0; i < s->n_politie; i++)
		if (strcmp(s->politie[i].gebruiker, u) == 0)
			return &s->politie[i];
	return NULL;
}

size_t pol_structure_n_rooms(const pol_structure *s)
{
	return s ? s->n_rooms : 0;
}

const pol_room *pol_structure_room(const pol_structure *s, size_t i)
{
	return s && i < s->n_rooms ? &s->rooms[i] : NULL;
}

const pol_room *pol_structure_room_by_key(const pol_structure *s, const char *key)
{
	size_t lo = 0, hi;

	if (!s || !key)
		return NULL;
	hi = s->n_rooms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(key, s->by_key[mid]->key);

		if (r == 0)
			return s->by_key[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *pol_room_kind_name(pol_room_kind kind)
{
	switch (kind) {
	case POL_ROOM_WIJKGROEP: return "wijkgroep";
	case POL_ROOM_STUURGROEP: return "stuurgroep";
	case POL_ROOM_REGIEGROEP: return "regiegroep";
	case POL_ROOM_GEM_REGIEGROEP: return "gemeentelijke_regiegroep";
	case POL_ROOM_WIJK_SPACE: return "wijk";
	case POL_ROOM_GEMEENTE_SPACE: return "gemeente";
	case POL_ROOM_DM: return "dm";
	default: return "other";
	}
}

int pol_wijkgroep_active(const pol_wijkgroep *wg)
{
	return wg && !wg->opgeheven;
}

cJSON *pol_buurt_json(const pol_buurt *b)
{
	cJSON *o, *list;
	char buf[40];
	size_t i;

	if (!b->naam && b->n_postcodes == 1) {
		pc_format(buf, sizeof buf, b->postcodes[0]);
		return cJSON_CreateString(buf);
	}
	if (b->n_postcodes == 0)
		return cJSON_CreateString(b->naam ? b->naam : b->label);
	o = cJSON_CreateObject();
	if (!o)
		return NULL;
	if (b->naam)
		cJSON_AddStringToObject(o, "naam", b->naam);
	list = cJSON_AddArrayToObject(o, "postcodes");
	for (i = 0; list && i < b->n_postcodes; i++) {
		pc_format(buf, sizeof buf, b->postcodes[i]);
		cJSON_AddItemToArray(list, cJSON_CreateString(buf));
	}
	return o;
}

int pol_structure_names(const pol_structure *s, const char *u)
{
	return is_stuurgroep_member(s, u) || pol_structure_find_politie(s, u) || pol_structure_is_operator(s, u) ||
	       pol_structure_is_delegate(s, u);
}
