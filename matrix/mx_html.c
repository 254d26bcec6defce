/* mx_html.c: the sanitizer of mx_html.h. A tokenizer, not a tree builder:
 * nothing of the input is copied through; every tag, attribute and piece
 * of text is written anew from what was read, escaped, so the output can
 * hold only what this file chooses to write. Writes go to mx_bufs and do
 * not check each status: a buffer's first failure sticks (mx_buf.h), and
 * the loop in mx_html_sanitize stops at it. */
#include <stdlib.h>
#include <string.h>

#include "mx_buf.h"
#include "mx_html.h"

#define NAME_MAX_LEN 32      /* longer tag or attribute names match nothing */
#define REPLACEMENT "\xEF\xBF\xBD"
/* What the readers of a tag return when it never ends: browsers drop it. */
#define UNFINISHED ((size_t)-1)

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* ---- UTF-8 and escaping ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need, i;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		need = 1;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 2;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 3;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (n < need + 1 || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i <= need; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return need + 1;
}

/* The replacement of the ASCII byte c in text, NULL when it is copied as
 * it is: & < > always, " and ' when quotes is set, \n and \r as <br> when
 * br is set (kept otherwise), other C0 controls but tab, and DEL, left out. */
static const char *ascii_escape(unsigned char c, int quotes, int br)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return quotes ? "&quot;" : NULL;
	case '\'':
		return quotes ? "&#39;" : NULL;
	case '\n':
	case '\r':
		return br ? "<br>" : NULL;
	case '\t':
		return NULL;
	default:
		return c < 0x20 || c == 0x7F ? "" : NULL;
	}
}

/* The replacement of the character at s, *l bytes long as utf8_len found
 * (0: invalid, then set to 1), NULL when it is copied as it is. */
static const char *replacement(const unsigned char *s, size_t *l, int quotes, int br)
{
	if (*l == 1)
		return ascii_escape(s[0], quotes, br);
	if (*l == 0) {
		*l = 1;
		return REPLACEMENT;
	}
	if (*l == 2 && s[0] == 0xC2 && s[1] < 0xA0)
		return "";   /* C1 control */
	return NULL;
}

/* Writes s (n bytes, raw) escaped: & < > always, " and ' when quotes is
 * set, \n as <br> when br is set; invalid UTF-8 as U+FFFD; C0 controls
 * other than tab and newlines, DEL and C1 controls left out. */
static void put_escaped(mx_buf *b, const unsigned char *s, size_t n, int quotes, int br)
{
	size_t i = 0, run = 0;

	while (i < n) {
		size_t l = utf8_len(s + i, n - i);
		const char *r = replacement(s + i, &l, quotes, br);

		if (r) {
			mx_buf_add(b, s + i - run, run);
			mx_buf_add_str(b, r);
			run = 0;
		} else {
			run += l;
		}
		i += l;
	}
	mx_buf_add(b, s + i - run, run);
}

/* ---- character references ---- */

static const struct named_ref {
	const char *name, *utf8;
} named_refs[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
	{ "nbsp", "\xC2\xA0" }, { "shy", "\xC2\xAD" }, { "copy", "\xC2\xA9" }, { "reg", "\xC2\xAE" },
	{ "deg", "\xC2\xB0" }, { "middot", "\xC2\xB7" }, { "laquo", "\xC2\xAB" }, { "raquo", "\xC2\xBB" },
	{ "times", "\xC3\x97" }, { "euml", "\xC3\xAB" }, { "eacute", "\xC3\xA9" }, { "egrave", "\xC3\xA8" },
	{ "iuml", "\xC3\xAF" }, { "ouml", "\xC3\xB6" }, { "uuml", "\xC3\xBC" }, { "auml", "\xC3\xA4" },
	{ "ndash", "\xE2\x80\x93" }, { "mdash", "\xE2\x80\x94" }, { "lsquo", "\xE2\x80\x98" },
	{ "rsquo", "\xE2\x80\x99" }, { "ldquo", "\xE2\x80\x9C" }, { "rdquo", "\xE2\x80\x9D" },
	{ "bull", "\xE2\x80\xA2" }, { "hellip", "\xE2\x80\xA6" }, { "euro", "\xE2\x82\xAC" },
};

static size_t utf8_encode(unsigned long cp, char *u)
{
	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	u[0] = (char)(0xF0 | (cp >> 18));
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	u[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Whether the code point can stand in text: not NUL, a surrogate, a
 * control other than tab and newlines, or past U+10FFFF. */
static int text_code_point(unsigned long cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return !((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp < 0xA0));
}

/* s[0..1] is "&#": the numeric reference there (decimal or x/X and hex,
 * the ';' optional) as UTF-8 in u; returns the bytes it takes, 0 when no
 * digit follows. Code points that cannot be text give U+FFFD. */
static size_t numeric_ref(const unsigned char *s, size_t n, char *u)
{
	size_t i = 2;
	unsigned long cp = 0;
	int hex = 0, digits = 0;

	if (i < n && (s[i] == 'x' || s[i] == 'X')) {
		hex = 1;
		i++;
	}
	for (; i < n && (hex ? is_hex(s[i]) : is_digit(s[i])); i++, digits++) {
		unsigned d = is_digit(s[i]) ? s[i] - '0' : lower(s[i]) - 'a' + 10;

		if (cp <= 0x10FFFF)   /* stops growing once out of range */
			cp = cp * (hex ? 16 : 10) + d;
	}
	if (!digits)
		return 0;
	if (i < n && s[i] == ';')
		i++;
	if (!text_code_point(cp))
		cp = 0xFFFD;
	u[utf8_encode(cp, u)] = '\0';
	return i;
}

/* s[0] is '&': the named reference there (one of named_refs, with ';') as
 * UTF-8 in u; returns the bytes it takes, 0 when there is none. */
static size_t named_ref(const unsigned char *s, size_t n, char *u)
{
	size_t i = 1, k;

	while (i < n && i <= NAME_MAX_LEN && (is_alpha(s[i]) || is_digit(s[i])))
		i++;
	if (i == 1 || i >= n || s[i] != ';')
		return 0;
	for (k = 0; k < sizeof named_refs / sizeof named_refs[0]; k++)
		if (strlen(named_refs[k].name) == i - 1 && memcmp(named_refs[k].name, s + 1, i - 1) == 0) {
			memcpy(u, named_refs[k].utf8, strlen(named_refs[k].utf8) + 1);   /* at most 3 bytes */
			return i + 1;
		}
	return 0;
}

/* s[0] is '&': the character reference there (numeric, with or without
 * ';', or one of named_refs with ';') as UTF-8 in u (4 bytes and a NUL);
 * returns the bytes it takes, 0 when s holds a plain '&'. Code points that
 * cannot be text (NUL, surrogates, controls, past U+10FFFF) give U+FFFD. */
static size_t char_ref(const unsigned char *s, size_t n, char *u)
{
	return n > 1 && s[1] == '#' ? numeric_ref(s, n, u) : named_ref(s, n, u);
}

/* s (n bytes) with its character references decoded, into b (raw). */
static void decode(mx_buf *b, const unsigned char *s, size_t n)
{
	size_t i = 0, run = 0;
	char u[5];

	while (i < n) {
		size_t l = s[i] == '&' ? char_ref(s + i, n - i, u) : 0;

		if (l) {
			mx_buf_add(b, s + i - run, run);
			mx_buf_add_str(b, u);
			run = 0;
			i += l;
		} else {
			run++;
			i++;
		}
	}
	mx_buf_add(b, s + i - run, run);
}

/* ---- tags ---- */

enum {
	T_ALLOW = 1,   /* kept */
	T_VOID = 2,    /* no end tag, no content */
	T_RAW = 4,     /* content is raw text up to </name>: dropped */
	T_DROP = 8,    /* element dropped with all it holds */
};

static const struct tag {
	const char *name;
	unsigned flags;
} tags[] = {
	{ "del", T_ALLOW }, { "h1", T_ALLOW }, { "h2", T_ALLOW }, { "h3", T_ALLOW }, { "h4", T_ALLOW },
	{ "h5", T_ALLOW }, { "h6", T_ALLOW }, { "blockquote", T_ALLOW }, { "p", T_ALLOW }, { "a", T_ALLOW },
	{ "ul", T_ALLOW }, { "ol", T_ALLOW }, { "sup", T_ALLOW }, { "sub", T_ALLOW }, { "li", T_ALLOW },
	{ "b", T_ALLOW }, { "i", T_ALLOW }, { "u", T_ALLOW }, { "strong", T_ALLOW }, { "em", T_ALLOW },
	{ "s", T_ALLOW }, { "code", T_ALLOW }, { "hr", T_ALLOW | T_VOID }, { "br", T_ALLOW | T_VOID },
	{ "div", T_ALLOW }, { "table", T_ALLOW }, { "thead", T_ALLOW }, { "tbody", T_ALLOW }, { "tr", T_ALLOW },
	{ "th", T_ALLOW }, { "td", T_ALLOW }, { "caption", T_ALLOW }, { "pre", T_ALLOW }, { "span", T_ALLOW },
	{ "img", T_ALLOW | T_VOID }, { "details", T_ALLOW }, { "summary", T_ALLOW },
	/* Raw text in browsers: skipped up to the matching end tag. */
	{ "script", T_RAW }, { "style", T_RAW }, { "iframe", T_RAW }, { "noscript", T_RAW },
	{ "noembed", T_RAW }, { "noframes", T_RAW }, { "xmp", T_RAW }, { "textarea", T_RAW },
	{ "title", T_RAW }, { "plaintext", T_RAW },
	/* Active or hidden content: dropped with everything inside. */
	{ "mx-reply", T_DROP }, { "object", T_DROP }, { "applet", T_DROP }, { "svg", T_DROP },
	{ "math", T_DROP }, { "template", T_DROP }, { "select", T_DROP }, { "head", T_DROP },
	{ "frameset", T_DROP }, { "audio", T_DROP }, { "video", T_DROP }, { "canvas", T_DROP },
	{ "map", T_DROP },
};

static const struct tag *find_tag(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (strcmp(tags[i].name, name) == 0)
			return &tags[i];
	return NULL;
}

typedef struct sanitizer {
	const unsigned char *in;
	size_t len, pos;
	mx_buf out;
	mx_buf attrs;                   /* the attributes of the tag at hand */
	mx_buf val;                     /* one decoded attribute value */
	int failed;                     /* MX_OK, or what failed in attrs or val */
	const struct tag *open[MX_HTML_MAX_DEPTH];
	size_t depth, max_depth;
	const struct tag *drop;         /* inside this T_DROP element */
	size_t drop_depth;
} sanitizer;

/* c is one of the characters of set (never NUL, which strchr would find). */
static int in_set(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static int starts_with_ci(const char *s, size_t n, const char *prefix)
{
	size_t i, pl = strlen(prefix);

	if (n < pl)
		return 0;
	for (i = 0; i < pl; i++)
		if (lower((unsigned char)s[i]) != (unsigned char)prefix[i])
			return 0;
	return 1;
}

/* Links: absolute http(s) or mailto, no whitespace or controls inside. */
static int href_ok(const char *v, size_t n)
{
	size_t i;

	if (!starts_with_ci(v, n, "https://") && !starts_with_ci(v, n, "http://") && !starts_with_ci(v, n, "mailto:"))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] <= 0x20 || v[i] == 0x7F)
			return 0;
	return 1;
}

/* Images: mxc://server/media-id only. */
static int src_ok(const char *v, size_t n)
{
	size_t i;

	if (n <= 6 || memcmp(v, "mxc://", 6) != 0)
		return 0;
	for (i = 6; i < n; i++)
		if (!is_alpha((unsigned char)v[i]) && !is_digit((unsigned char)v[i]) && !in_set(v[i], "._~:/[]-"))
			return 0;
	return 1;
}

static int color_ok(const char *v, size_t n)
{
	size_t i;

	if (n != 7 || v[0] != '#')
		return 0;
	for (i = 1; i < n; i++)
		if (!is_hex((unsigned char)v[i]))
			return 0;
	return 1;
}

static int number_ok(const char *v, size_t n, int sign)
{
	size_t i = sign && n && v[0] == '-' ? 1 : 0;

	if (n <= i || n - i > 6)
		return 0;
	for (; i < n; i++)
		if (!is_digit((unsigned char)v[i]))
			return 0;
	return 1;
}

static int class_ok(const char *v, size_t n)
{
	size_t i;

	if (n <= 9 || memcmp(v, "language-", 9) != 0 || n > 64)
		return 0;
	for (i = 9; i < n; i++)
		if (!is_alpha((unsigned char)v[i]) && !is_digit((unsigned char)v[i]) && !in_set(v[i], "_+#.-"))
			return 0;
	return 1;
}

/* The attributes each tag may keep, and what their values must be. */
enum { V_ANY, V_HREF, V_SRC, V_COLOR, V_NUMBER, V_SIGNED, V_CLASS, V_BLANK };

static const struct attr_rule {
	const char *tag, *attr;
	int value;
} attr_rules[] = {
	{ "span", "data-mx-bg-color", V_COLOR }, { "span", "data-mx-color", V_COLOR },
	{ "span", "data-mx-spoiler", V_ANY }, { "span", "data-mx-maths", V_ANY },
	{ "a", "href", V_HREF }, { "a", "target", V_BLANK },
	{ "img", "width", V_NUMBER }, { "img", "height", V_NUMBER }, { "img", "alt", V_ANY },
	{ "img", "title", V_ANY }, { "img", "src", V_SRC },
	{ "ol", "start", V_SIGNED }, { "code", "class", V_CLASS }, { "div", "data-mx-maths", V_ANY },
};

static int value_ok(int rule, const char *v, size_t n)
{
	switch (rule) {
	case V_HREF:
		return href_ok(v, n);
	case V_SRC:
		return src_ok(v, n);
	case V_COLOR:
		return color_ok(v, n);
	case V_NUMBER:
		return number_ok(v, n, 0);
	case V_SIGNED:
		return number_ok(v, n, 1);
	case V_CLASS:
		return class_ok(v, n);
	case V_BLANK:
		return n == 6 && memcmp(v, "_blank", 6) == 0;
	default:
		return 1;
	}
}

/* The index of the rule for attribute name of tag t, -1 when none. */
static int attr_rule_of(const struct tag *t, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof attr_rules / sizeof attr_rules[0]; i++)
		if (strcmp(attr_rules[i].tag, t->name) == 0 && strcmp(attr_rules[i].attr, name) == 0)
			return (int)i;
	return -1;
}

/* One attribute of a kept tag: written to s->attrs when allowed, valid
 * and the first of its name (seen holds the bits of the rules already
 * passed). Returns the bit of the rule it passed, 0 when left out; out of
 * memory sets s->failed. */
static unsigned keep_attr(sanitizer *s, const struct tag *t, const char *name, const unsigned char *v, size_t vn,
			  unsigned seen)
{
	int i = attr_rule_of(t, name);
	const struct attr_rule *r = NULL;
	const char *p = NULL;
	size_t n;

	if (i < 0 || (seen & (1u << i)))
		return 0;
	r = &attr_rules[i];
	mx_buf_reset(&s->val);
	decode(&s->val, v, vn);
	if (mx_buf_status(&s->val) != MX_OK) {
		s->failed = mx_buf_status(&s->val);   /* out of memory */
		return 0;
	}
	p = mx_buf_str(&s->val);
	n = mx_buf_len(&s->val);
	/* Browsers strip a URL's surrounding blanks before reading its scheme. */
	while (r->value == V_HREF && n && ((unsigned char)*p <= 0x20)) {
		p++;
		n--;
	}
	while (r->value == V_HREF && n && ((unsigned char)p[n - 1] <= 0x20))
		n--;
	if (!value_ok(r->value, p, n))
		return 0;
	mx_buf_printf(&s->attrs, " %s=\"", r->attr);
	put_escaped(&s->attrs, (const unsigned char *)p, n, 1, 0);
	mx_buf_add_str(&s->attrs, "\"");
	return 1u << i;
}

/* Whether t's attribute name was kept (its rule's bit is in seen). */
static int kept(const struct tag *t, unsigned seen, const char *name)
{
	int i = attr_rule_of(t, name);

	return i >= 0 && (seen & (1u << i));
}

static void close_to(sanitizer *s, size_t depth)
{
	while (s->depth > depth) {
		s->depth--;
		mx_buf_printf(&s->out, "</%s>", s->open[s->depth]->name);
	}
}

static int is_one_of(const struct tag *t, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(t->name, *names) == 0)
			return 1;
	return 0;
}

/* The end tags browsers imply when t starts (a new <li> ends the open one,
 * a list or block ends an open <p>), written out so the result is valid
 * as it stands: the innermost element named in `ends`, unless an element
 * named in `bounds` lies between. */
static void imply_ends(sanitizer *s, const struct tag *t)
{
	static const char *const li[] = { "li", NULL }, *const lists[] = { "ul", "ol", NULL };
	static const char *const cell[] = { "td", "th", NULL }, *const row[] = { "tr", "table", NULL };
	static const char *const tr[] = { "tr", NULL }, *const tables[] = { "table", "thead", "tbody", NULL };
	static const char *const para[] = { "p", NULL },
			  *const para_bounds[] = { "table", "td", "th", "caption", NULL },
			  *const blocks[] = { "p", "div", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
					      "pre", "table", "hr", "details", "summary", NULL };
	const char *const *ends = NULL, *const *bounds = NULL;
	size_t d;

	if (strcmp(t->name, "li") == 0) {
		ends = li;
		bounds = lists;
	} else if (is_one_of(t, cell)) {
		ends = cell;
		bounds = row;
	} else if (strcmp(t->name, "tr") == 0) {
		ends = tr;
		bounds = tables;
	} else if (is_one_of(t, blocks)) {
		ends = para;
		bounds = para_bounds;
	} else {
		return;
	}
	for (d = s->depth; d > 0 && !is_one_of(s->open[d - 1], bounds); d--)
		if (is_one_of(s->open[d - 1], ends)) {
			close_to(s, d - 1);
			return;
		}
}

/* Skips raw text (script and the like) up to and past </name>. */
static void skip_raw(sanitizer *s, const char *name)
{
	size_t n = strlen(name), p = s->pos;

	for (; p + 1 < s->len; p++) {
		if (s->in[p] != '<' || s->in[p + 1] != '/' || !starts_with_ci((const char *)s->in + p + 2, s->len - p - 2, name))
			continue;
		if (p + 2 + n < s->len && !is_space(s->in[p + 2 + n]) && s->in[p + 2 + n] != '/' && s->in[p + 2 + n] != '>')
			continue;
		p += 2 + n;
		while (p < s->len && s->in[p] != '>')
			p++;
		s->pos = p < s->len ? p + 1 : s->len;
		return;
	}
	s->pos = s->len;
}

/* The name at p (p < s->len; s->in[p] belongs to it, whatever it is),
 * lowercased into name, up to a blank, '/', '>' and, for an attribute,
 * '='. Returns the position after it; *too_long is set when it ran past
 * NAME_MAX_LEN bytes (name then holds its start). */
static size_t read_name(const sanitizer *s, size_t p, int attr, char name[NAME_MAX_LEN + 1], int *too_long)
{
	size_t nl = 0;

	*too_long = 0;
	do {
		if (nl < NAME_MAX_LEN)
			name[nl++] = (char)lower(s->in[p]);
		else
			*too_long = 1;
		p++;
	} while (p < s->len && !is_space(s->in[p]) && s->in[p] != '/' && s->in[p] != '>' &&
		 !(attr && s->in[p] == '='));
	name[nl] = '\0';
	return p;
}

static size_t skip_blanks(const sanitizer *s, size_t p)
{
	while (p < s->len && is_space(s->in[p]))
		p++;
	return p;
}

/* The value after an attribute name at p: "=" (blanks around it) and a
 * quoted or bare value, at *vs for *vn bytes (both 0 when there is none).
 * Returns the position after it, UNFINISHED when a quote never closes. */
static size_t read_value(const sanitizer *s, size_t p, size_t *vs, size_t *vn)
{
	*vs = *vn = 0;
	p = skip_blanks(s, p);
	if (p >= s->len || s->in[p] != '=')
		return p;
	p = skip_blanks(s, p + 1);
	if (p < s->len && (s->in[p] == '"' || s->in[p] == '\'')) {
		unsigned char q = s->in[p++];

		*vs = p;
		while (p < s->len && s->in[p] != q)
			p++;
		if (p >= s->len)
			return UNFINISHED;
		*vn = p - *vs;
		return p + 1;
	}
	*vs = p;
	while (p < s->len && !is_space(s->in[p]) && s->in[p] != '>')
		p++;
	*vn = p - *vs;
	return p;
}

/* The attributes of a tag from p up to and past its '>', those of keep
 * (NULL: none kept) written to s->attrs, the bits of their rules added to
 * *seen; *self_closing when "/>" ends it. Returns the position after the
 * tag, UNFINISHED when the input ends inside it. */
static size_t read_attrs(sanitizer *s, size_t p, const struct tag *keep, int *self_closing, unsigned *seen)
{
	for (;;) {
		char an[NAME_MAX_LEN + 1];
		size_t vs, vn;
		int along;

		while (p < s->len && (is_space(s->in[p]) || s->in[p] == '/'))
			*self_closing = s->in[p++] == '/';
		if (p >= s->len)
			return UNFINISHED;
		if (s->in[p] == '>')
			return p + 1;
		*self_closing = 0;
		p = read_name(s, p, 1, an, &along);   /* an attribute name may start with '=' */
		p = read_value(s, p, &vs, &vn);
		if (p == UNFINISHED)
			return UNFINISHED;
		if (keep && !along)
			*seen |= keep_attr(s, keep, an, s->in + vs, vn, *seen);
	}
}

/* A start tag of an element that is not dropped, its kept attributes in
 * s->attrs (seen: their rules' bits). */
static void start_tag(sanitizer *s, const struct tag *t, int self_closing, unsigned seen)
{
	if (t->flags & T_RAW) {
		skip_raw(s, t->name);
		return;
	}
	if (t->flags & T_DROP) {
		if (!self_closing) {
			s->drop = t;
			s->drop_depth = 1;
		}
		return;
	}
	if ((strcmp(t->name, "a") == 0 && !kept(t, seen, "href")) || (strcmp(t->name, "img") == 0 && !kept(t, seen, "src")))
		return;
	imply_ends(s, t);
	if (!(t->flags & T_VOID) && s->depth >= s->max_depth)
		return;
	mx_buf_printf(&s->out, "<%s", t->name);
	mx_buf_add(&s->out, mx_buf_str(&s->attrs), mx_buf_len(&s->attrs));
	mx_buf_add_str(&s->out, ">");
	if (!(t->flags & T_VOID))
		s->open[s->depth++] = t;
}

/* A tag inside the dropped element s->drop: nested elements of the same
 * name end it only at the outermost end tag. */
static void in_drop(sanitizer *s, const struct tag *t, int end, int self_closing)
{
	if (t == s->drop && end && --s->drop_depth == 0)
		s->drop = NULL;
	else if (t == s->drop && !end && !self_closing)
		s->drop_depth++;
}

/* An end tag closes the innermost open t and all inside it; without an
 * open t it goes. */
static void end_tag(sanitizer *s, const struct tag *t)
{
	size_t d = s->depth;

	while (d > 0 && s->open[d - 1] != t)
		d--;
	if (d > 0)
		close_to(s, d - 1);
}

/* A start tag ("<x") or end tag ("</x") at s->pos, x a letter. */
static void tag(sanitizer *s)
{
	size_t p = s->pos + 1;
	char name[NAME_MAX_LEN + 1];
	const struct tag *t;
	int end = 0, self_closing = 0, too_long = 0;
	unsigned seen = 0;

	if (s->in[p] == '/') {
		end = 1;
		p++;
	}
	p = read_name(s, p, 0, name, &too_long);
	t = too_long ? NULL : find_tag(name);
	mx_buf_reset(&s->attrs);
	p = read_attrs(s, p, t && (t->flags & T_ALLOW) && !end && !s->drop ? t : NULL, &self_closing, &seen);
	if (p == UNFINISHED) {   /* unfinished tag: dropped, as browsers do */
		s->pos = s->len;
		return;
	}
	s->pos = p;
	if (mx_buf_status(&s->attrs) != MX_OK) {
		s->failed = mx_buf_status(&s->attrs);
		return;
	}
	if (!t)
		return;   /* unknown: the tag goes, its content stays */
	if (s->drop)
		in_drop(s, t, end, self_closing);
	else if (end)
		end_tag(s, t);
	else
		start_tag(s, t, self_closing, seen);
}

/* Comments, doctypes, processing instructions: skipped. */
static void markup_decl(sanitizer *s)
{
	size_t p = s->pos + 2;

	if (p + 1 < s->len && s->in[p] == '-' && s->in[p + 1] == '-') {
		const unsigned char *e = NULL;

		for (p += 2; p + 2 < s->len && !e; p++)
			if (s->in[p] == '-' && s->in[p + 1] == '-' && s->in[p + 2] == '>')
				e = s->in + p;
		s->pos = e ? (size_t)(e - s->in) + 3 : s->len;
		return;
	}
	while (p < s->len && s->in[p] != '>')
		p++;
	s->pos = p < s->len ? p + 1 : s->len;
}

static void text(sanitizer *s)
{
	size_t p = s->pos;
	char u[5];

	while (p < s->len && s->in[p] != '<' && s->in[p] != '&')
		p++;
	if (!s->drop)
		put_escaped(&s->out, s->in + s->pos, p - s->pos, 0, 0);
	s->pos = p;
	if (p < s->len && s->in[p] == '&') {
		size_t l = char_ref(s->in + p, s->len - p, u);

		if (!s->drop)
			put_escaped(&s->out, (const unsigned char *)(l ? u : "&"), l ? strlen(u) : 1, 0, 0);
		s->pos += l ? l : 1;
	}
}

/* Reads what starts at s->pos: text, a tag, markup to skip or a lone '<'. */
static void step(sanitizer *s)
{
	const unsigned char *c = s->in + s->pos;
	size_t left = s->len - s->pos;

	if (c[0] != '<') {
		text(s);
	} else if (left > 1 && (is_alpha(c[1]) || (c[1] == '/' && left > 2 && is_alpha(c[2])))) {
		tag(s);
	} else if (left > 1 && (c[1] == '!' || c[1] == '?' || c[1] == '/')) {
		markup_decl(s);   /* "</>" and "</ 1" are dropped as browsers do */
	} else {
		if (!s->drop)
			mx_buf_add_str(&s->out, "&lt;");
		s->pos++;
	}
}

/* Hands b's content over to *out when rc is MX_OK and b did not fail;
 * otherwise leaves *out unchanged and returns the failure with err set.
 * b is freed either way. */
static int finish(char **out, mx_buf *b, int rc, size_t max_out, mx_error *err)
{
	if (rc == MX_OK)
		rc = mx_buf_take(out, NULL, b);
	mx_buf_free(b);
	if (rc != MX_OK)
		return mx_error_set(err, rc, rc == MX_ERR_NOMEM ? "html: out of memory" : "html: longer than %zu bytes",
				    max_out);
	return MX_OK;
}

int mx_html_sanitize(char **out, const char *html, size_t len, size_t max_out, int max_depth, mx_error *err)
{
	sanitizer s;

	if (!out || (!html && len))
		return mx_error_set(err, MX_ERR_INVALID, "html: no input");
	memset(&s, 0, sizeof s);
	s.in = (const unsigned char *)(html ? html : "");
	s.len = len;
	mx_buf_init(&s.out, max_out);
	mx_buf_init(&s.attrs, max_out);
	mx_buf_init(&s.val, (size_t)-1 / 4);   /* a value longer than the output may still be dropped */
	s.failed = MX_OK;
	s.max_depth = max_depth >= 1 && max_depth <= MX_HTML_MAX_DEPTH ? (size_t)max_depth : MX_HTML_MAX_DEPTH;
	while (s.pos < s.len && s.failed == MX_OK && mx_buf_status(&s.out) == MX_OK)
		step(&s);
	close_to(&s, 0);
	mx_buf_free(&s.attrs);
	mx_buf_free(&s.val);
	return finish(out, &s.out, s.failed, max_out, err);
}

int mx_html_escape(char **out, const char *text, size_t max_out, mx_error *err)
{
	mx_buf b;
	const unsigned char *t = (const unsigned char *)text;
	size_t i, run = 0;

	if (!out || !text)
		return mx_error_set(err, MX_ERR_INVALID, "html: no text");
	mx_buf_init(&b, max_out);
	/* \r\n is one line break: drop the \r before a \n. */
	for (i = 0; t[i]; i++) {
		if (t[i] == '\r' && t[i + 1] == '\n') {
			put_escaped(&b, t + i - run, run, 1, 1);
			run = 0;
			continue;
		}
		run++;
	}
	put_escaped(&b, t + i - run, run, 1, 1);
	return finish(out, &b, MX_OK, max_out, err);
}
