/* mx_html.h: HTML for formatted_body (format org.matrix.custom.html):
 * a sanitizer that keeps only the tags and attributes the spec suggests
 * (m.room.message msgtypes, "HTML"), and escaping of plain text. */
#ifndef MX_HTML_H
#define MX_HTML_H

#include <stddef.h>
#include "mx_error.h"

/* The spec's nesting limit: tags no more than 100 levels deep. */
#define MX_HTML_MAX_DEPTH 100

/* Rewrites html (len bytes, any bytes: NUL, invalid UTF-8 and unfinished
 * markup are all fine) into well-formed HTML holding only:
 *   tags  del h1-h6 blockquote p a ul ol sup sub li b i u strong em s code
 *         hr br div table thead tbody tr th td caption pre span img details
 *         summary (nothing else; other tags vanish, their text stays);
 *   attrs span data-mx-color, data-mx-bg-color (#rrggbb), data-mx-spoiler,
 *         data-mx-maths; a href (http:, https:, mailto: only; an <a>
 *         without one vanishes), a target (_blank); img src (mxc:// only;
 *         an <img> without one vanishes), width, height, alt, title;
 *         ol start; code class (language-*); div data-mx-maths.
 * The content of script, style, iframe, object, svg, template and the like
 * is dropped whole, as is every <mx-reply> (the old reply fallback) and
 * every comment. Text and attribute values are decoded (character
 * references included, so "jav&#x61;script:" is seen as "javascript:"),
 * then escaped again; invalid UTF-8 becomes U+FFFD, control characters
 * other than tab and newlines go. Open tags are closed at the end; tags
 * nested deeper than max_depth (1..MX_HTML_MAX_DEPTH; anything else means
 * MX_HTML_MAX_DEPTH) are left out, their text kept.
 * On MX_OK *out is a malloc'ed, NUL-terminated string the caller frees
 * (possibly empty). MX_ERR_TOO_LARGE when the result would pass max_out
 * bytes, MX_ERR_NOMEM, MX_ERR_INVALID for NULL arguments; on failure *out
 * is left unchanged. err may be NULL. */
int mx_html_sanitize(char **out, const char *html, size_t len, size_t max_out, int max_depth, mx_error *err);

/* text (NUL-terminated) as HTML text: & < > " ' escaped, each newline
 * (\n or \r\n) a <br>, invalid UTF-8 as U+FFFD, other control characters
 * left out. *out, errors and ownership as for mx_html_sanitize. */
int mx_html_escape(char **out, const char *text, size_t max_out, mx_error *err);

#endif
