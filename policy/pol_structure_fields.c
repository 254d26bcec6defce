/* pol_structure_fields.c: the parse context of the structure file (where
 * in the file we are, problems reported at that path) and the readers of
 * single JSON fields (names, ids, user ids, numbers, lists), each of which
 * reports what is wrong with its field itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "pol_structure.h"
#include "pol_structure_int.h"
#include "pol_utf8.h"

/* ------------------------------------------------------------------ */
/* parse context */

size_t pst_path_push(pst_ctx *c, const char *key)
{
	size_t mark = c->plen;

	if (c->plen > 0)
		pst_buf_add(c->path, sizeof c->path, &c->plen, ".");
	pst_buf_add(c->path, sizeof c->path, &c->plen, key);
	return mark;
}

size_t pst_path_index(pst_ctx *c, size_t i)
{
	size_t mark = c->plen;

	pst_buf_add(c->path, sizeof c->path, &c->plen, "[");
	pst_buf_add_uint(c->path, sizeof c->path, &c->plen, i);
	pst_buf_add(c->path, sizeof c->path, &c->plen, "]");
	return mark;
}

void pst_path_pop(pst_ctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

void pst_items_start(pst_ctx *c, pst_items *it, const cJSON *list, size_t n, const char *key)
{
	it->v = NULL;
	it->i = 0;
	it->next = list ? list->child : NULL;
	it->n = n;
	it->key = key;
	it->list_mark = c->plen;
	it->in_item = 0;
}

int pst_items_next(pst_ctx *c, pst_items *it)
{
	if (it->in_item) {
		it->i++;
		it->in_item = 0;
	}
	pst_path_pop(c, it->list_mark);
	if (!it->next || it->i >= it->n)
		return 0;
	pst_path_push(c, it->key);
	pst_path_index(c, it->i);
	it->v = it->next;
	it->next = it->next->next;
	it->in_item = 1;
	return 1;
}

void pst_items_stop(pst_ctx *c, pst_items *it)
{
	pst_path_pop(c, it->list_mark);
	it->in_item = 0;
	it->next = NULL;
}

const char *pst_q(pst_ctx *c, const char *s)
{
	char *b = c->qbuf[c->qi++ % 4];
	size_t o = 0, i = 0, n;

	if (!s)
		s = "";
	n = strlen(s);
	b[o++] = '"';
	while (i < n && o < 72) {
		uint32_t cp = 0;
		size_t k = pol_utf8_decode(s + i, n - i, &cp);

		/* Invalid bytes, controls and direction controls (which would
		 * turn the rest of the log line around) show as '?'. */
		if (k == 0 || cp < 0x20 || cp == 0x7f || pol_utf8_class(cp) == POL_U_BIDI) {
			b[o++] = '?';
			i += k ? k : 1;
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
static void vreport(pst_ctx *c, pol_severity sev, const char *path, const char *fmt, va_list ap)
{
	char msg[512];

	if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
		msg[0] = '\0';
	pol_problems_add(c->pr, sev, path[0] ? path : "(file)", msg);
}

void pst_report(pst_ctx *c, pol_severity sev, const char *field, const char *fmt, ...)
{
	va_list ap;
	size_t mark = c->plen;

	if (field)
		pst_path_push(c, field);
	va_start(ap, fmt);
	vreport(c, sev, c->path, fmt, ap);
	va_end(ap);
	pst_path_pop(c, mark);
}

void pst_report_at(pst_ctx *c, pol_severity sev, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, sev, path, fmt, ap);
	va_end(ap);
}

void pst_oom(pst_ctx *c)
{
	if (!c->oom)
		pst_report(c, ERR, NULL, "out of memory");
	c->oom = 1;
}

const char *pst_item_path(char *buf, size_t size, size_t w, const char *list, size_t j)
{
	size_t len = 0;

	buf[0] = '\0';
	pst_buf_add(buf, size, &len, "wijken[");
	pst_buf_add_uint(buf, size, &len, w);
	pst_buf_add(buf, size, &len, "]");
	if (list) {
		pst_buf_add(buf, size, &len, ".");
		pst_buf_add(buf, size, &len, list);
		pst_buf_add(buf, size, &len, "[");
		pst_buf_add_uint(buf, size, &len, j);
		pst_buf_add(buf, size, &len, "]");
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* JSON field readers; each reports its own problems */

const char *pst_type_name(const cJSON *v)
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

int pst_check_object(pst_ctx *c, const cJSON *obj, const char *const *known, const char *what)
{
	const cJSON *k, *prev;
	size_t n = 0;

	if (!cJSON_IsObject(obj)) {
		pst_report(c, ERR, NULL, "%s must be an object {...}, not %s", what, pst_type_name(obj));
		return -1;
	}
	cJSON_ArrayForEach(k, obj) {
		size_t i;
		int found = 0;

		if (++n > POL_STRUCT_MAX_OBJECT_KEYS) {
			pst_report(c, ERR, NULL, "%s has more than %d keys", what, POL_STRUCT_MAX_OBJECT_KEYS);
			break;
		}
		if (!k->string)
			continue;
		for (prev = obj->child; prev && prev != k; prev = prev->next) {
			if (prev->string && strcmp(prev->string, k->string) == 0) {
				pst_report(c, ERR, NULL, "key %s appears twice in %s", pst_q(c, k->string), what);
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
					pst_buf_add(list, sizeof list, &len, ", ");
				pst_buf_add(list, sizeof list, &len, known[i]);
			}
			pst_report(c, ERR, NULL, "unknown key %s in %s (known keys: %s; keys starting with '_' are comments)",
				   pst_q(c, k->string), what, list);
		}
	}
	return 0;
}

pol_utf8_verdict pst_check_text(const char *s, size_t n, pst_text_kind kind)
{
	size_t i = 0;

	while (i < n) {
		unsigned char b = (unsigned char)s[i];
		uint32_t cp = 0;
		size_t k;

		if (kind == PST_TEXT_PARAGRAPHS && (b == '\n' || b == '\t' || b == '\r')) {
			i++;
			continue;
		}
		k = pol_utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			return POL_UTF8_INVALID;
		if (cp < 0x20 || cp == 0x7f)
			return POL_UTF8_CONTROL;
		/* As pol_utf8_line does for what residents type: a name with an
		 * override or isolate in it reads differently from what it is. */
		if (kind == PST_TEXT_NAME && pol_utf8_class(cp) == POL_U_BIDI)
			return POL_UTF8_BIDI;
		i += k;
	}
	return POL_UTF8_OK;
}

/* Copies a trimmed name: non-empty, UTF-8, no control characters, no
 * direction controls. */
int pst_take_name(pst_ctx *c, const char *field, const char *s, const char **out)
{
	size_t n = strlen(s);
	pol_utf8_verdict v;

	pst_trim(&s, &n);
	if (n == 0) {
		pst_report(c, ERR, field, "must not be empty: members see this name");
		return GOT_BAD;
	}
	if (n > POL_STRUCT_MAX_NAME) {
		pst_report(c, ERR, field, "is %zu bytes long; at most %d", n, POL_STRUCT_MAX_NAME);
		return GOT_BAD;
	}
	v = pst_check_text(s, n, PST_TEXT_NAME);
	if (v == POL_UTF8_BIDI) {
		pst_report(c, ERR, field, "contains a direction control (U+202A..U+202E, U+2066..U+2069): "
			   "it turns the name around where members see it");
		return GOT_BAD;
	}
	if (v != POL_UTF8_OK) {
		pst_report(c, ERR, field, "is not valid UTF-8 text or contains control characters");
		return GOT_BAD;
	}
	*out = pst_strndup(c->mem, s, n);
	if (!*out) {
		pst_oom(c);
		return GOT_BAD;
	}
	return GOT_OK;
}

const cJSON *pst_field_of(const cJSON *obj, const char *key)
{
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

int pst_get_name(pst_ctx *c, const cJSON *obj, const char *key, int required, const char **out)
{
	const cJSON *v = pst_field_of(obj, key);

	*out = NULL;
	if (!v) {
		if (required)
			pst_report(c, ERR, key, "missing: every %s needs a %s", c->plen ? "entry" : "file", key);
		return GOT_NONE;
	}
	if (!cJSON_IsString(v) || !v->valuestring) {
		pst_report(c, ERR, key, "must be a string, not %s", pst_type_name(v));
		return GOT_BAD;
	}
	return pst_take_name(c, key, v->valuestring, out);
}

static int valid_slug(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > POL_STRUCT_MAX_ID || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || pst_is_digit(s[i]) || s[i] == '-'))
			return 0;
	return 1;
}

int pst_get_id(pst_ctx *c, const cJSON *obj, const char *key, const char **out)
{
	const cJSON *v = pst_field_of(obj, key);

	*out = NULL;
	if (!v) {
		pst_report(c, ERR, key, "missing: every entry needs an %s", key);
		return GOT_NONE;
	}
	if (!cJSON_IsString(v) || !v->valuestring) {
		pst_report(c, ERR, key, "must be a string, not %s", pst_type_name(v));
		return GOT_BAD;
	}
	if (!valid_slug(v->valuestring)) {
		pst_report(c, ERR, key, "%s is not a valid id: use 1-%d characters a-z, 0-9 and '-', not starting with '-'",
			   pst_q(c, v->valuestring), POL_STRUCT_MAX_ID);
		return GOT_BAD;
	}
	*out = pst_strndup(c->mem, v->valuestring, strlen(v->valuestring));
	if (!*out) {
		pst_oom(c);
		return GOT_BAD;
	}
	return GOT_OK;
}

static int localpart_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || pst_is_digit(ch) || ch == '.' || ch == '_' || ch == '=' ||
	       ch == '-' || ch == '/' || ch == '+';
}

/* The name between '@' and the colon: NULL, or why it is not allowed. */
static const char *localpart_problem(const char *s, const char *colon)
{
	const char *p;
	int upper = 0;

	for (p = s + 1; p < colon; p++) {
		if (*p >= 'A' && *p <= 'Z')
			upper = 1;
		else if (!localpart_char(*p))
			return "has a character not allowed in a Matrix user name (a-z 0-9 . _ = - / +)";
	}
	return upper ? "has capitals: Matrix user ids are lower case" : NULL;
}

/* "[...]" at host: NULL and *end just past the ']', or why not. */
static const char *ipv6_problem(const char *host, const char **end)
{
	const char *close = strchr(host, ']'), *p;

	if (!close || close == host + 1)
		return "has a malformed [IPv6] server name";
	for (p = host + 1; p < close; p++)
		if (!(pst_is_digit(*p) || pst_is_letter(*p) || *p == ':' || *p == '.'))
			return "has a malformed [IPv6] server name";
	*end = close + 1;
	return NULL;
}

/* A DNS name or IPv4 address at host, up to ':' or the end: NULL and *end
 * at where it stops, or why not. */
static const char *hostname_problem(const char *host, const char **end)
{
	const char *h;

	for (h = host; *h && *h != ':'; h++)
		if (!(pst_is_digit(*h) || pst_is_letter(*h) || *h == '-' || *h == '.'))
			return "has a character not allowed in a server name";
	if (h == host)
		return "has an empty server name";
	*end = h;
	return NULL;
}

/* What follows the server name: nothing, or ':' and a port of 1-5 digits. */
static const char *port_problem(const char *p)
{
	size_t d = 0;

	if (*p == '\0')
		return NULL;
	if (*p != ':')
		return "has unexpected characters after the server name";
	p++;
	while (pst_is_digit(p[d]))
		d++;
	if (d == 0 || d > 5 || p[d] != '\0')
		return "has a malformed port after the server name";
	return NULL;
}

static const char *server_problem(const char *host)
{
	const char *end = host, *why;

	if (*host == '\0')
		return "has an empty server name";
	why = *host == '[' ? ipv6_problem(host, &end) : hostname_problem(host, &end);
	return why ? why : port_problem(end);
}

const char *pst_user_id_problem(const char *s)
{
	size_t n = strlen(s);
	const char *colon, *why;

	if (n == 0 || s[0] != '@')
		return "must start with '@' (like @anna:example.org)";
	if (n > POL_STRUCT_MAX_USER_ID)
		return "is longer than 255 bytes";
	colon = strchr(s, ':');
	if (!colon)
		return "has no ':server' part";
	if (colon == s + 1)
		return "has an empty name before ':'";
	why = localpart_problem(s, colon);
	return why ? why : server_problem(colon + 1);
}

/* Checks v (an element or a field) as a user id; field names the path
 * element (NULL: the current path). */
int pst_take_user(pst_ctx *c, const cJSON *v, const char *field, const char *what, const char **out)
{
	const char *why;

	*out = NULL;
	if (!cJSON_IsString(v) || !v->valuestring) {
		pst_report(c, ERR, field, "%s must be a Matrix user id string, not %s", what, pst_type_name(v));
		return GOT_BAD;
	}
	why = pst_user_id_problem(v->valuestring);
	if (why) {
		pst_report(c, ERR, field, "%s %s %s", what, pst_q(c, v->valuestring), why);
		return GOT_BAD;
	}
	*out = pst_strndup(c->mem, v->valuestring, strlen(v->valuestring));
	if (!*out) {
		pst_oom(c);
		return GOT_BAD;
	}
	return GOT_OK;
}

int pst_get_bool(pst_ctx *c, const cJSON *obj, const char *key, int def, int *out)
{
	const cJSON *v = pst_field_of(obj, key);

	*out = def;
	if (!v)
		return GOT_NONE;
	if (!cJSON_IsBool(v)) {
		pst_report(c, ERR, key, "must be true or false, not %s", pst_type_name(v));
		return GOT_BAD;
	}
	*out = cJSON_IsTrue(v);
	return GOT_OK;
}

int pst_get_uint(pst_ctx *c, const cJSON *obj, const char *key, unsigned min, unsigned max,
		    unsigned *out)
{
	const cJSON *v = pst_field_of(obj, key);
	double d;

	if (!v)
		return GOT_NONE;
	if (!cJSON_IsNumber(v)) {
		pst_report(c, ERR, key, "must be a whole number, not %s", pst_type_name(v));
		return GOT_BAD;
	}
	d = v->valuedouble;
	if (!(d >= (double)min && d <= (double)max)) {
		pst_report(c, ERR, key, "is %g; it must be between %u and %u", d, min, max);
		return GOT_BAD;
	}
	if (d != (double)(unsigned)d) {
		pst_report(c, ERR, key, "is %g; it must be a whole number", d);
		return GOT_BAD;
	}
	*out = (unsigned)d;
	return GOT_OK;
}

const cJSON *pst_get_list(pst_ctx *c, const cJSON *obj, const char *key, int required,
			     size_t max, size_t *n)
{
	const cJSON *v = pst_field_of(obj, key);
	int size;

	*n = 0;
	if (!v) {
		if (required)
			pst_report(c, ERR, key, "missing: a list is required here");
		return NULL;
	}
	if (!cJSON_IsArray(v)) {
		pst_report(c, ERR, key, "must be a list [...], not %s", pst_type_name(v));
		return NULL;
	}
	size = cJSON_GetArraySize(v);
	if (size < 0)
		size = 0;
	*n = (size_t)size;
	if (*n > max) {
		pst_report(c, ERR, key, "has %zu entries; at most %zu are allowed", *n, max);
		*n = max;
	}
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int pst_get_users(pst_ctx *c, const cJSON *obj, const char *key, int required, size_t max,
		  const char *what, const char ***out, size_t *n_out)
{
	size_t n, k = 0;
	const cJSON *list = pst_get_list(c, obj, key, required, max, &n);
	const char **users;
	pst_items it;

	*out = NULL;
	*n_out = 0;
	if (!list)
		return GOT_NONE;
	users = pst_array(c->mem, n + 1, sizeof *users);
	if (!users) {
		pst_oom(c);
		return GOT_BAD;
	}
	for (pst_items_start(c, &it, list, n, key); pst_items_next(c, &it);) {
		const char *u;

		if (pst_take_user(c, it.v, NULL, what, &u) != GOT_OK)
			continue;
		if (pst_has_user(users, k, u))
			pst_report(c, ERR, NULL, "%s %s is listed twice", what, pst_q(c, u));
		else
			users[k++] = u;
	}
	qsort(users, k, sizeof *users, cmp_str);
	*out = users;
	*n_out = k;
	return GOT_OK;
}
