/* fuzz_html.c: fuzz target for the formatted_body sanitizer: whatever a
 * resident sends, the result is bounded, balanced, holds only allowed tag
 * names and no script, event handler or foreign link scheme, and
 * sanitizing it again changes nothing. Replayed by the standalone driver. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "matrix/mx_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP 65536

static const char *const allowed[] = {
	"del", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "p", "a", "ul", "ol", "sup", "sub", "li", "b",
	"i", "u", "strong", "em", "s", "code", "hr", "br", "div", "table", "thead", "tbody", "tr", "th", "td",
	"caption", "pre", "span", "img", "details", "summary", NULL,
};
static const char *const voids[] = { "br", "hr", "img", NULL };

static const char *const attrs[] = {
	"data-mx-bg-color", "data-mx-color", "data-mx-spoiler", "data-mx-maths", "href", "target", "width",
	"height", "alt", "title", "src", "start", "class", NULL,
};

static int in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(*list, s, n) == 0)
			return 1;
	return 0;
}

/* Checks the shape of sanitized html: every tag is <name( attr="value")*>
 * or </name> with allowed names, values hold no quote or angle bracket,
 * links and images have the allowed schemes, nesting is balanced and
 * within max_depth. Traps on anything else. */
static void check(const char *html, int max_depth)
{
	const char *p = html;
	long depth = 0;

	for (; *p; p++) {
		int closing;
		size_t n;
		const char *name;

		if (*p == '>')
			__builtin_trap();   /* outside a tag always escaped */
		if (*p != '<')
			continue;
		closing = p[1] == '/';
		name = p + 1 + closing;
		n = strcspn(name, " >");
		if (!in_list(allowed, name, n))
			__builtin_trap();
		p = name + n;
		while (*p == ' ' && !closing) {
			const char *an = p + 1, *v;
			size_t al = strcspn(an, "=");

			if (!in_list(attrs, an, al) || an[al] != '=' || an[al + 1] != '"')
				__builtin_trap();
			v = an + al + 2;
			p = strchr(v, '"');
			if (!p || memchr(v, '<', (size_t)(p - v)) || memchr(v, '>', (size_t)(p - v)))
				__builtin_trap();
			if (al == 4 && memcmp(an, "href", 4) == 0 && strncasecmp(v, "https://", 8) != 0 &&
			    strncasecmp(v, "http://", 7) != 0 && strncasecmp(v, "mailto:", 7) != 0)
				__builtin_trap();
			if (al == 3 && memcmp(an, "src", 3) == 0 && strncmp(v, "mxc://", 6) != 0)
				__builtin_trap();
			p++;
		}
		if (*p != '>')
			__builtin_trap();
		if (!in_list(voids, name, n))
			depth += closing ? -1 : 1;
		if (depth < 0 || depth > max_depth)
			__builtin_trap();
	}
	if (depth != 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL, *again = NULL, *esc = NULL, *text;
	int max_depth = size ? 1 + data[0] % MX_HTML_MAX_DEPTH : MX_HTML_MAX_DEPTH;
	int rc;

	rc = mx_html_sanitize(&out, (const char *)data, size, CAP, max_depth, NULL);
	if (rc == MX_OK) {
		if (strlen(out) > CAP)
			__builtin_trap();
		check(out, max_depth);
		/* what comes out is already clean: a second pass keeps it as is */
		if (mx_html_sanitize(&again, out, strlen(out), CAP, max_depth, NULL) != MX_OK || strcmp(out, again) != 0)
			__builtin_trap();
	} else if (rc != MX_ERR_TOO_LARGE && rc != MX_ERR_NOMEM) {
		__builtin_trap();
	}
	/* escaping: no markup but <br> */
	text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		if (mx_html_escape(&esc, text, CAP, NULL) == MX_OK) {
			const char *p;

			for (p = esc; *p; p++)
				if (*p == '<' ? strncmp(p, "<br>", 4) != 0 : *p == '>' || *p == '"' || *p == '\'')
					__builtin_trap();
				else if (*p == '<')
					p += 3;
		}
	}
	free(text);
	free(esc);
	free(again);
	free(out);
	return 0;
}
