/* test_html.c: the formatted_body sanitizer and escaping (matrix/mx_html):
 * what a hostile resident writes comes out harmless, ordinary formatting
 * survives, and malformed input neither crashes nor leaks through. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "matrix/mx_html.h"

#define CAP 65536

static char *clean(const char *in)
{
	char *out = NULL;
	mx_error err;

	cr_assert_eq(mx_html_sanitize(&out, in, strlen(in), CAP, 0, &err), MX_OK, "%s: %s", in, err.message);
	cr_assert_not_null(out);
	return out;
}

static void expect_clean(const char *in, const char *expected)
{
	char *out = clean(in);

	cr_expect_str_eq(out, expected, "input %s", in);
	free(out);
}

/* None of the needles (case-insensitively) is in the sanitized in. */
static void expect_gone(const char *in, const char *const *needles)
{
	char *out = clean(in), *low = strdup(out);
	size_t i;

	for (i = 0; low[i]; i++)
		low[i] = (char)(low[i] >= 'A' && low[i] <= 'Z' ? low[i] - 'A' + 'a' : low[i]);
	for (; *needles; needles++)
		cr_expect_null(strstr(low, *needles), "\"%s\" survived in %s (from %s)", *needles, out, in);
	free(low);
	free(out);
}

Test(html, ordinary_formatting_survives)
{
	expect_clean("<b>vet</b> <i>schuin</i> <strong>s</strong> <em>e</em> <u>u</u> <s>s</s> <del>d</del>",
		     "<b>vet</b> <i>schuin</i> <strong>s</strong> <em>e</em> <u>u</u> <s>s</s> <del>d</del>");
	expect_clean("<a href=\"https://example.org/a?b=1&amp;c=2\">link</a>",
		     "<a href=\"https://example.org/a?b=1&amp;c=2\">link</a>");
	expect_clean("<a href=\"https://matrix.to/#/@anna:localhost\">Anna</a>",
		     "<a href=\"https://matrix.to/#/@anna:localhost\">Anna</a>");
	expect_clean("<a href=\"mailto:wijkagent@example.org\">mail</a>",
		     "<a href=\"mailto:wijkagent@example.org\">mail</a>");
	expect_clean("<a href='http://example.org' target=_blank>x</a>",
		     "<a href=\"http://example.org\" target=\"_blank\">x</a>");
	expect_clean("<ul><li>een</li><li>twee</li></ul><ol start=\"3\"><li>drie</li></ol>",
		     "<ul><li>een</li><li>twee</li></ul><ol start=\"3\"><li>drie</li></ol>");
	expect_clean("<p>regel<br>regel<br/>regel</p><hr>", "<p>regel<br>regel<br>regel</p><hr>");
	expect_clean("<pre><code class=\"language-c\">if (a &lt; b)</code></pre>",
		     "<pre><code class=\"language-c\">if (a &lt; b)</code></pre>");
	expect_clean("<blockquote>citaat</blockquote>", "<blockquote>citaat</blockquote>");
	expect_clean("<h1>Kop</h1><h6>klein</h6><sup>1</sup><sub>2</sub>",
		     "<h1>Kop</h1><h6>klein</h6><sup>1</sup><sub>2</sub>");
	expect_clean("<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody><caption>c</caption></table>",
		     "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody><caption>c</caption></table>");
	expect_clean("<details><summary>meer</summary>tekst</details>", "<details><summary>meer</summary>tekst</details>");
	expect_clean("<span data-mx-color=\"#ff0000\" data-mx-bg-color=\"#00FF00\">kleur</span>",
		     "<span data-mx-color=\"#ff0000\" data-mx-bg-color=\"#00FF00\">kleur</span>");
	expect_clean("<span data-mx-spoiler=\"reden\">geheim</span>", "<span data-mx-spoiler=\"reden\">geheim</span>");
	expect_clean("<img src=\"mxc://localhost/abc\" alt=\"foto\" width=\"100\" height=\"80\" title=\"t\">",
		     "<img src=\"mxc://localhost/abc\" alt=\"foto\" width=\"100\" height=\"80\" title=\"t\">");
	expect_clean("Gewone tekst, één € en 'quotes' \"dubbel\"", "Gewone tekst, één € en 'quotes' \"dubbel\"");
	expect_clean("", "");
}

Test(html, script_and_active_content_are_dropped_whole)
{
	expect_clean("a<script>alert(1)</script>b", "ab");
	expect_clean("a<SCRIPT type=\"x\">alert('</b>')</SCRIPT >b", "ab");
	expect_clean("a<script>document.write('<b>')</scriptx></script>b", "ab");
	expect_clean("a<style>body{display:none}</style>b", "ab");
	expect_clean("a<iframe src=\"https://evil.example\">fallback <b>x</b></iframe>b", "ab");
	expect_clean("a<object data=\"x.swf\"><param name=a value=b>fallback</object>b", "ab");
	expect_clean("a<embed src=\"x.swf\">b", "ab");
	expect_clean("a<svg onload=alert(1)><svg><script>x</script></svg>in</svg>b", "ab");
	expect_clean("a<math><mi>x</mi></math>b", "ab");
	expect_clean("a<template><b>x</b></template>b", "ab");
	expect_clean("a<noscript><b>x</b></noscript>b", "ab");
	expect_clean("a<textarea></textarea><b>x</b></textarea>b", "a<b>x</b>b");
	expect_clean("a<!-- <script>alert(1)</script> -->b", "ab");
	expect_clean("a<!DOCTYPE html><?xml x?>b", "ab");
	/* an unterminated script swallows the rest, as it would in a browser */
	expect_clean("a<script>alert(1)", "a");
	expect_clean("a<plaintext><b>x</b>", "a");
}

Test(html, event_handlers_and_styles_are_dropped)
{
	static const char *const bad[] = { "onerror", "onload", "onclick", "onmouseover", "style", "alert", "class=\"x",
					   "srcdoc", "formaction", NULL };

	expect_clean("<img src=x onerror=alert(1)>", "");
	expect_clean("<img src=\"mxc://localhost/a\" onerror=\"alert(1)\">", "<img src=\"mxc://localhost/a\">");
	expect_clean("<b onclick=\"alert(1)\" style=\"color:red\">x</b>", "<b>x</b>");
	expect_clean("<p style=\"position:fixed;top:0\">x</p>", "<p>x</p>");
	expect_clean("<span style=\"font-size:500px\" data-mx-color=\"red\">x</span>", "<span>x</span>");
	expect_clean("<div class=\"x\" id=\"y\">x</div>", "<div>x</div>");
	expect_clean("<code class=\"x language-c\">x</code>", "<code>x</code>");
	expect_gone("<body onload=alert(1)><div onmouseover='alert(1)'>x</div><input autofocus onfocus=alert(1)>"
		    "<button formaction=javascript:alert(1)>b</button><iframe srcdoc='<script>alert(1)</script>'>"
		    "<img/src/onerror=alert(1)><img src=`x`onerror=alert(1)><b style=x:expression(alert(1))>t</b>",
		    bad);
}

Test(html, links_only_with_allowed_schemes)
{
	expect_clean("<a href=\"javascript:alert(1)\">x</a>", "x");
	expect_clean("<a href=\"JavaScript:alert(1)\">x</a>", "x");
	expect_clean("<a href=\"jav&#x61;script:alert(1)\">x</a>", "x");
	expect_clean("<a href=\"jav&#97;script:alert(1)\">x</a>", "x");
	expect_clean("<a href=\"&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)\">x</a>", "x");
	expect_clean("<a href=\" javascript:alert(1)\">x</a>", "x");
	expect_clean("<a href=\"java\tscript:alert(1)\">x</a>", "x");
	expect_clean("<a href=\"java&Tab;script:alert(1)\">x</a>", "x");
	expect_clean("<a href=\"&#1;javascript:alert(1)\">x</a>", "x");
	expect_clean("<a href=\"vbscript:x\">x</a>", "x");
	expect_clean("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>", "x");
	expect_clean("<a href=\"file:///etc/passwd\">x</a>", "x");
	expect_clean("<a href=\"ftp://example.org\">x</a>", "x");
	expect_clean("<a href=\"//evil.example\">x</a>", "x");
	expect_clean("<a href=\"/relative\">x</a>", "x");
	expect_clean("<a href=\"https://evil.example/a b\">x</a>", "x");
	expect_clean("<a>x</a>", "x");
	expect_clean("<a href=\"https://ok.example\" href=\"javascript:x\">x</a>", "<a href=\"https://ok.example\">x</a>");
	expect_clean("<a href=\"javascript:x\" href=\"https://ok.example\">x</a>", "<a href=\"https://ok.example\">x</a>");
	expect_clean("<a href=\"https://ok.example/&quot;onclick=&quot;x\">x</a>",
		     "<a href=\"https://ok.example/&quot;onclick=&quot;x\">x</a>");
	expect_clean("<a href=\"https://ok.example\" target=\"_top\">x</a>", "<a href=\"https://ok.example\">x</a>");
	/* images: mxc only */
	expect_clean("<img src=\"https://tracker.example/pixel.gif\">", "");
	expect_clean("<img src=\"data:image/png;base64,iVBORw0KGgo=\">", "");
	expect_clean("<img src=\"javascript:alert(1)\">", "");
	expect_clean("<img src=\"mxc://localhost/a\" width=\"100%\" height=\"-1\">", "<img src=\"mxc://localhost/a\">");
	expect_clean("<img src=\"mxc://localhost/a&quot; onerror=&quot;x\">", "");
}

Test(html, text_is_escaped_and_entities_normalised)
{
	expect_clean("1 < 2 && 3 > 2", "1 &lt; 2 &amp;&amp; 3 &gt; 2");
	expect_clean("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;");
	expect_clean("&#60;script&#62;x", "&lt;script&gt;x");
	expect_clean("&amp;lt;", "&amp;lt;");
	expect_clean("&euro;&nbsp;5 &eacute; &unknown; &#x1F600; &#0; &#xD800; &#x110000; &#99999999999999999999;",
		     "€\xC2\xA0" "5 é &amp;unknown; \xF0\x9F\x98\x80 \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
	expect_clean("< b>x</ b>", "&lt; b&gt;x");
	expect_clean("a<", "a&lt;");
	expect_clean("a</>b", "ab");
}

Test(html, uppercase_and_odd_spelling)
{
	expect_clean("<B>x</b><I>y</I><A HREF=\"HTTPS://example.org\">z</A>",
		     "<b>x</b><i>y</i><a href=\"HTTPS://example.org\">z</a>");
	expect_clean("<ScRiPt>alert(1)</sCrIpT>ok", "ok");
	expect_clean("<b\nclass=x\n>x</b\n>", "<b>x</b>");
	expect_clean("<a href=https://example.org>x</a>", "<a href=\"https://example.org\">x</a>");
	expect_clean("<a href = 'https://example.org' >x</a>", "<a href=\"https://example.org\">x</a>");
	expect_clean("<b <i>x</b>", "<b>x</b>");
	expect_clean("<font color=red>rood</font><center>c</center><marquee>m</marquee>", "roodcm");
	expect_clean("<scriptx>x</scriptx><bx>y</bx>", "xy");
}

Test(html, nesting_is_closed_and_capped)
{
	char in[4096] = "", *out, *p;
	size_t i, depth = 0, max = 0;

	expect_clean("<b><i>x", "<b><i>x</i></b>");
	expect_clean("<b><i>x</b>y</i>", "<b><i>x</i></b>y");
	expect_clean("x</b></blockquote></div>", "x");
	expect_clean("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>");
	expect_clean("<p>a<p>b<div>c</div>", "<p>a</p><p>b</p><div>c</div>");
	expect_clean("<table><tr><td>1<td>2<tr><td>3</table>",
		     "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>");
	for (i = 0; i < 300; i++)
		strcat(in, "<div>");
	strcat(in, "diep");
	out = clean(in);
	for (p = out; (p = strchr(p, '<')) != NULL; p++) {
		depth += p[1] == '/' ? (size_t)-1 : 1;
		if (depth > max)
			max = depth;
	}
	cr_expect_eq(max, MX_HTML_MAX_DEPTH, "nesting %zu", max);
	cr_expect_eq(depth, 0, "left open: %zu", depth);
	cr_expect_not_null(strstr(out, "diep"));
	free(out);
	/* a caller wrapping the result in its own element asks for one level less */
	cr_assert_eq(mx_html_sanitize(&out, in, strlen(in), CAP, 99, NULL), MX_OK);
	cr_expect_eq(strlen(out), 99 * strlen("<div></div>") + 4);
	free(out);
}

Test(html, reply_fallback_is_stripped)
{
	expect_clean("<mx-reply><blockquote><a href=\"https://matrix.to/#/!r/$e\">In reply to</a> "
		     "<a href=\"https://matrix.to/#/@a:b\">@a:b</a><br>oud</blockquote></mx-reply>nieuw",
		     "nieuw");
	expect_clean("<MX-REPLY><mx-reply>a</mx-reply>b</mx-reply>c", "c");
	expect_clean("<mx-reply>never closed <b>x</b>", "");
}

Test(html, fake_attribution_stays_plain_text)
{
	/* No tag a resident writes can end an element the caller opened around it. */
	expect_clean("</blockquote><p><b>Casus #999 uit Politie</b></p>",
		     "<p><b>Casus #999 uit Politie</b></p>");
	expect_clean("</blockquote></blockquote></p></body>Casus #999", "Casus #999");
}

Test(html, malformed_input_is_handled)
{
	static const char in[] = "a\0<b>x\0y</b>\x01\x7f\xc2\x85z";
	char *out = NULL;

	cr_assert_eq(mx_html_sanitize(&out, in, sizeof in - 1, CAP, 0, NULL), MX_OK);
	cr_expect_str_eq(out, "a<b>xy</b>z");
	free(out);
	expect_clean("\xff\xfe<b>\xc3(\xe2\x82</b>\xed\xa0\x80\xf4\x90\x80\x80\xc0\xaf",
		     "\xEF\xBF\xBD\xEF\xBF\xBD<b>\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD</b>"
		     /* ED A0 80 (a surrogate), F4 90 80 80 (past U+10FFFF), C0 AF (overlong): byte by byte */
		     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
		     "\xEF\xBF\xBD\xEF\xBF\xBD");
	expect_clean("<a href=\"https://x", "");
	expect_clean("x<a href='https://x>y", "x");
	expect_clean("x<b", "x");
	expect_clean("x<!-- never closed <b>y</b>", "x");
	expect_clean("x<img src=\"mxc://a/b\" alt=", "x");
	expect_clean("<a href=\"https://ok\"=\"\" ==x>y</a>", "<a href=\"https://ok\">y</a>");
	expect_clean("&", "&amp;");
	expect_clean("&#", "&amp;#");
	expect_clean("&#x;", "&amp;#x;");
}

Test(html, output_cap_and_arguments)
{
	char *out = (char *)"untouched";
	mx_error err;

	cr_expect_eq(mx_html_sanitize(&out, "<b>0123456789</b>", 17, 16, 0, &err), MX_ERR_TOO_LARGE);
	cr_expect_str_eq(out, "untouched");
	cr_expect_eq(mx_html_sanitize(&out, "<b>0123456789</b>", 17, 17, 0, &err), MX_OK);
	cr_expect_str_eq(out, "<b>0123456789</b>");
	free(out);
	/* the closing tags count */
	out = (char *)"untouched";
	cr_expect_eq(mx_html_sanitize(&out, "<b>0123456789", 13, 16, 0, &err), MX_ERR_TOO_LARGE);
	cr_expect_str_eq(out, "untouched");
	/* a long attribute value that is dropped does not count */
	cr_expect_eq(mx_html_sanitize(&out, "<a href=\"javascript:xxxxxxxxxxxxxxxxxxxxxxxx\">y</a>", 51, 8, 0, &err),
		     MX_OK);
	cr_expect_str_eq(out, "y");
	free(out);
	cr_expect_eq(mx_html_sanitize(NULL, "x", 1, 16, 0, &err), MX_ERR_INVALID);
	cr_expect_eq(mx_html_sanitize(&out, NULL, 0, 16, 0, &err), MX_OK);
	cr_expect_str_eq(out, "");
	free(out);
}

Test(html, escape_plain_text)
{
	char *out = NULL;

	cr_assert_eq(mx_html_escape(&out, "<script>alert('x') & \"y\"</script>\nregel 2\r\nregel 3\rregel 4", CAP,
				    NULL), MX_OK);
	cr_expect_str_eq(out, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;<br>regel 2<br>"
			      "regel 3<br>regel 4");
	free(out);
	cr_assert_eq(mx_html_escape(&out, "Casus #999 uit Politie\x01\xff", CAP, NULL), MX_OK);
	cr_expect_str_eq(out, "Casus #999 uit Politie\xEF\xBF\xBD");
	free(out);
	out = (char *)"untouched";
	cr_expect_eq(mx_html_escape(&out, "<<<<", 15, NULL), MX_ERR_TOO_LARGE);
	cr_expect_str_eq(out, "untouched");
	cr_expect_eq(mx_html_escape(&out, "<<<<", 16, NULL), MX_OK);
	free(out);
	cr_expect_eq(mx_html_escape(&out, NULL, 16, NULL), MX_ERR_INVALID);
}
