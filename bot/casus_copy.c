/* casus_copy.c: building a copy of a resident's message (the bot's
 * attribution header, the resident's words quoted below it) and its edits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casus_int.h"
#include "when.h"
#include "policy/pol_notices.h"
#include "matrix/mx_client.h"
#include "matrix/mx_html.h"

/* The resident's text after a leading reply fallback ("> " lines and the
 * blank line after them), which clients strip from replies (Rich replies). */
static const char *skip_reply_fallback(const char *s, int reply)
{
	const char *p = s;

	if (!reply || *p != '>')
		return s;
	while (*p == '>') {
		p = strchr(p, '\n');
		if (!p)
			return "";
		p++;
	}
	return *p == '\n' ? p + 1 : p;
}

/* s with every line behind "> ", so that in the copy's plain body the
 * resident's lines are set apart from the bot's header whatever they say.
 * Malloc'ed; NULL when out of memory. */
static char *quote_plain(const char *s)
{
	size_t n = 2 * strlen(s) + 8;
	char *out = malloc(n);

	if (out)
		pol_quote_lines(s, out, n);
	return out;
}

/* The media msgtype of orig (static), or NULL for text. */
static const char *media_type(const cJSON *orig)
{
	static const char *const media_types[] = { "m.image", "m.file", "m.audio", "m.video", "m.location", NULL };
	const cJSON *mt = cJSON_GetObjectItemCaseSensitive(orig, "msgtype");
	const char *media = NULL;
	size_t i;

	for (i = 0; cJSON_IsString(mt) && media_types[i]; i++)
		if (strcmp(mt->valuestring, media_types[i]) == 0)
			media = media_types[i];
	return media;
}

/* Whether the message has words of the resident to quote. A file's body
 * is a caption only when it differs from its filename (Matrix 1.10);
 * without a filename the body is the filename. */
static int has_text(const char *media, const cJSON *fname, const char *body)
{
	return !media || strcmp(media, "m.location") == 0 ||
	       (cJSON_IsString(fname) && strcmp(fname->valuestring, body) != 0);
}

/* The resident's part as HTML: their sanitized HTML, else their text
 * escaped; *out NULL when too long (or out of memory). */
static void resident_html(const cJSON *orig, const char *own, size_t max, char **out)
{
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(orig, "format");
	const cJSON *fb = cJSON_GetObjectItemCaseSensitive(orig, "formatted_body");

	if (cJSON_IsString(fmt) && strcmp(fmt->valuestring, "org.matrix.custom.html") == 0 && cJSON_IsString(fb))
		mx_html_sanitize(out, fb->valuestring, strlen(fb->valuestring), max, MX_HTML_MAX_DEPTH - 1, NULL);
	if (!*out)
		mx_html_escape(out, own, max, NULL);
}

/* The copy's body (*text) and formatted_body (*html, NULL when there is
 * none) under header; both owned by the caller. 0, or -1 when out of
 * memory (what was made is still the caller's to free). */
static int copy_bodies(const cJSON *orig, const char *header, int with_text, char **text, char **html)
{
	const size_t html_max = 32768;   /* the whole event must stay under 64 KiB encrypted */
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(orig, "body");
	const cJSON *rel = cJSON_GetObjectItemCaseSensitive(orig, "m.relates_to");
	const char *own = skip_reply_fallback(cJSON_IsString(body) ? body->valuestring : "",
					      cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rel, "m.in_reply_to")));
	char *eh = NULL, *inner = NULL, *quoted = NULL;
	size_t n;
	int rc = -1;

	if (mx_html_escape(&eh, header, html_max, NULL) != MX_OK)
		goto cleanup;
	if (with_text) {
		resident_html(orig, own, html_max, &inner);
		if (!(quoted = quote_plain(own)))
			goto cleanup;
	}
	n = strlen(header) + (quoted ? strlen(quoted) : 0) + 3;
	if (!(*text = malloc(n)))
		goto cleanup;
	snprintf(*text, n, "%s%s%s", header, quoted ? "\n\n" : "", quoted ? quoted : "");
	/* Without HTML for the resident's part (too long), plain text only:
	 * a header alone would hide the message from clients showing HTML. */
	if (!with_text || inner) {
		n = strlen(eh) + (inner ? strlen(inner) : 0) + 48;
		if (!(*html = malloc(n)))
			goto cleanup;
		snprintf(*html, n, "<p><b>%s</b></p>%s%s%s", eh, inner ? "<blockquote>" : "", inner ? inner : "",
			 inner ? "</blockquote>" : "");
	}
	rc = 0;
cleanup:
	free(eh);
	free(inner);
	free(quoted);
	return rc;
}

/* Media keep their upload (url or encrypted file) and what describes it;
 * a file without a filename gets its body as one. */
static void copy_media(cJSON *c, const cJSON *orig, const char *media, const cJSON *fname, const char *body)
{
	static const char *const media_keys[] = { "url", "file", "info", "filename", "geo_uri", NULL };
	size_t i;

	for (i = 0; media_keys[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(orig, media_keys[i]);

		if (v)
			cJSON_AddItemToObject(c, media_keys[i], cJSON_Duplicate(v, 1));
	}
	if (strcmp(media, "m.location") != 0 && !cJSON_IsString(fname))
		cJSON_AddStringToObject(c, "filename", body);
}

/* The copy: the bot's attribution header, then the resident's message set
 * apart from it (a <blockquote> in formatted_body, "> " lines in body), so
 * nothing a resident writes can pass for the bot's words. Their HTML goes
 * through the sanitizer (the spec's tags, no scripts, links http(s) and
 * mailto only). Media (an image, a file) keep their url or encrypted file,
 * so the upload is reused, with the header as caption and their own caption
 * quoted below it. Only known keys are copied: nothing a resident adds to
 * the content (mentions, relations, the bot's own fields) travels along. */
cJSON *casus_copy_content(const cJSON *orig, const char *header, long long nr, const char *src_room,
			  const char *src_event)
{
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(orig, "body");
	const cJSON *fname = cJSON_GetObjectItemCaseSensitive(orig, "filename");
	const char *b = cJSON_IsString(body) ? body->valuestring : "";
	const char *media = media_type(orig);
	char *text = NULL, *html = NULL;
	cJSON *c = cJSON_CreateObject(), *bron;

	if (!c || copy_bodies(orig, header, has_text(media, fname, b), &text, &html) != 0)
		goto fail;
	cJSON_AddStringToObject(c, "msgtype", media ? media : "m.text");
	cJSON_AddStringToObject(c, "body", text);
	if (html && !(media && strcmp(media, "m.location") == 0)) {   /* m.location has no HTML form */
		cJSON_AddStringToObject(c, "format", "org.matrix.custom.html");
		cJSON_AddStringToObject(c, "formatted_body", html);
	}
	if (media)
		copy_media(c, orig, media, fname, b);
	/* No pings from the copy: whatever "@room" the resident wrote. */
	cJSON_AddObjectToObject(c, "m.mentions");
	cJSON_AddNumberToObject(c, FIELD_CASUS, (double)nr);
	bron = cJSON_AddObjectToObject(c, FIELD_BRON);
	cJSON_AddStringToObject(bron, "room", src_room);
	cJSON_AddStringToObject(bron, "event", src_event);
	goto cleanup;
fail:
	cJSON_Delete(c);
	c = NULL;
cleanup:
	free(text);
	free(html);
	return c;
}

const char *casus_room_name(bot_daemon *d, const char *room_id)
{
	char *key = NULL;
	const pol_room *r = NULL;

	if (bot_store_room_key_of(d->store, room_id, &key) == BOT_STORE_OK)
		r = pol_structure_room_by_key(d->structure, key);
	free(key);
	return r ? r->naam : room_id;
}

/* The header of a copy of casus nr made at ts into room_id, in the words
 * and by the rule of pol_copy_header: the facts it needs from the store. */
void casus_copy_header(bot_daemon *d, long long nr, long long ts, const char *room_id, const char *houder_new,
		       const char *approver, char *buf, size_t size)
{
	pol_casus c, there;
	char when[16];

	bot_casus_by_nr(d, nr, "", &c);
	if (bot_casus_by_nr(d, nr, room_id, &there) != 0)
		there.casushouder[0] = '\0';
	bot_when_time(ts, when, sizeof when);
	pol_copy_header(d->pol.lang, nr, casus_room_name(d, c.origin_room), when, there.casushouder, houder_new,
			approver, buf, size);
}

const char *casus_body_of(const cJSON *content)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(content, "body");

	return cJSON_IsString(b) ? b->valuestring : "";
}

/* The edit of a copy: m.new_content is the new copy (attribution and all);
 * it always replaces the copy event itself (an edit of an edit is no
 * edit), with the "* " fallback and no new mentions. Takes newc. */
cJSON *casus_copy_edit(cJSON *newc, const char *copy_event)
{
	const cJSON *fb = cJSON_GetObjectItemCaseSensitive(newc, "formatted_body");
	cJSON *edit = cJSON_Duplicate(newc, 1), *rel;
	char *star;
	size_t n;

	if (!edit) {
		cJSON_Delete(newc);
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(edit, FIELD_CASUS);
	cJSON_DeleteItemFromObjectCaseSensitive(edit, FIELD_BRON);
	n = strlen(casus_body_of(newc)) + 3;
	if ((star = malloc(n))) {
		snprintf(star, n, "* %s", casus_body_of(newc));
		cJSON_ReplaceItemInObjectCaseSensitive(edit, "body", cJSON_CreateString(star));
		free(star);
	}
	n = cJSON_IsString(fb) ? strlen(fb->valuestring) + 3 : 0;
	if (n && (star = malloc(n))) {
		snprintf(star, n, "* %s", fb->valuestring);
		cJSON_ReplaceItemInObjectCaseSensitive(edit, "formatted_body", cJSON_CreateString(star));
		free(star);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(edit, "m.mentions");
	cJSON_AddItemToObject(edit, "m.mentions", cJSON_CreateObject());
	cJSON_AddItemToObject(edit, "m.new_content", newc);
	rel = cJSON_AddObjectToObject(edit, "m.relates_to");
	cJSON_AddStringToObject(rel, "rel_type", "m.replace");
	cJSON_AddStringToObject(rel, "event_id", copy_event);
	return edit;
}
