/* Integration test of forwarded HTML (issue 11, item 2) against the real
 * Synapse, with independent encrypted clients: a resident's melding with
 * hostile formatted_body (script, img onerror, a javascript: link, an
 * iframe, a fake "Casus #999 uit Politie" attribution) is approved by a
 * stuurgroep member; the one copy in the regiegroep, read decrypted, holds
 * none of the hostile parts and shows the fake line quoted under the bot's
 * own header, in formatted_body and in body. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\",\"regiegroep\":true," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[\"1234\"]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\"]}]}]}"

#define FAKE "Casus #999 uit Politie (03:12, casushouder @politie.wijkagent:localhost, doorgezet door @anna.stuur:localhost):"
#define HOSTILE_HTML \
	"<p>Verdachte man bij de garages</p>" \
	"<script>alert(1)</script>" \
	"<img src=x onerror=alert(2)>" \
	"<a href=\"javascript:alert(3)\">klik hier</a>" \
	"<a href=\"jav&#x61;script:alert(4)\">of hier</a>" \
	"<iframe src=\"https://evil.example/\"></iframe>" \
	"<p style=\"position:fixed;top:0\">vast</p>" \
	"</blockquote><p><b>" FAKE "</b></p>" \
	"<p>NEP-ALARM: gewapende inbreker</p>"
#define PLAIN "Verdachte man bij de garages\n" FAKE "\nNEP-ALARM: gewapende inbreker"

static char *lowered(const char *s)
{
	char *l = strdup(s), *p;

	for (p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

Test(html, hostile_formatting_is_sanitized_and_quoted_under_the_bots_header, .timeout = 480)
{
	itest_user anna;
	itest_bot bot;
	resident ra, r;
	char file[400], cmd[1900], *sg, *noord, *regie, *marker, *melding, *ev, *body = NULL, *html = NULL, *low;
	const char *quote, *end, *fake;
	const cJSON *copy;
	cJSON *j, *found = NULL;
	int n;

	sthelp_example_user(&anna, "anna.stuur");
	itest_bot_setup(&bot, anna.user_id, NULL);
	sthelp_start_with_structure(&bot, STRUCTURE, file, sizeof file);
	sg = sthelp_room_of(&bot, "stuurgroep:stuur");
	noord = sthelp_room_of(&bot, "wijkgroep:noord");
	regie = sthelp_room_of(&bot, "regiegroep:dorp");
	resident_existing(&ra, &anna);
	sthelp_join(&ra, sg);
	sthelp_join(&ra, noord);
	sthelp_join(&ra, regie);

	resident_new(&r, "melder");
	snprintf(cmd, sizeof cmd, "!lid toevoegen %.255s noord", r.u.user_id);
	ev = resident_send(&ra, sg, cmd);
	sthelp_expect(bot_reply(&ra, &bot, sg, ev), "is uitgenodigd");
	free(ev);
	cr_assert(itest_wait_membership(&bot.account, noord, r.u.user_id, "invite", 15000));
	sthelp_join(&r, noord);

	/* Copies are counted from here on. */
	marker = sthelp_marker(&ra, regie);

	snprintf(cmd, sizeof cmd, "send '%s' '%s' --html '%s'", noord, PLAIN, HOSTILE_HTML);
	j = resident_run(&r, cmd, 0);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "encrypted")), "the resident did not encrypt");
	melding = json_str(j, "event_id");
	cJSON_Delete(j);
	sthelp_expect(bot_reply(&r, &bot, noord, melding), "Casus #1 geopend");

	/* A stuurgroep member approves, by command and once more by reaction. */
	ev = sthelp_send_rel(&ra, noord, "!door", melding, NULL, 0);
	sthelp_expect(bot_reply(&ra, &bot, noord, ev), "Doorgezet naar Regiegroep Dorp");
	free(ev);
	free(sthelp_send_rel(&ra, noord, "\xe2\x8f\xa9", melding, NULL, 1));

	/* The copy arrives, and time for a second one to show, should there be one. */
	n = sthelp_count_settled(&ra, regie, marker, bot.account.user_id, "Casus #1 uit Wijkgroep Noord", 1, 30000,
				 &found);
	cr_assert_eq(n, 1, "expected exactly one copy in the regiegroep, found %d", n);
	copy = cJSON_GetArrayItem(found, 0);
	body = json_str(copy, "body");
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(copy, "formatted_body")), "the copy has no formatted_body: %s",
		  body);
	html = json_str(copy, "formatted_body");
	cJSON_Delete(found);

	/* Nothing hostile survived. */
	low = lowered(html);
	{
		static const char *const bad[] = { "<script", "alert(", "onerror", "javascript:", "jav&#x61;", "<iframe",
						   "evil.example", "<img", "style=", "position:fixed", NULL };
		const char *const *b;

		for (b = bad; *b; b++)
			cr_expect_null(strstr(low, *b), "\"%s\" survived in the copy: %s", *b, html);
	}
	free(low);
	/* The bot's header first, in bold; the resident's message, fake line and
	 * all, inside the one blockquote that ends the message. */
	cr_expect_eq(strncmp(html, "<p><b>Casus #1 uit Wijkgroep Noord", 34), 0, "no header first: %s", html);
	quote = strstr(html, "<blockquote>");
	cr_assert_not_null(quote, "the resident's message is not quoted: %s", html);
	end = strstr(quote, "</blockquote>");
	cr_assert_not_null(end, "the quote is not closed: %s", html);
	cr_expect_str_eq(end, "</blockquote>", "something follows the quote: %s", html);
	cr_expect_null(strstr(quote + 1, "<blockquote>"), "a second quote: %s", html);
	fake = strstr(html, "Casus #999");
	cr_assert_not_null(fake, "the resident's text is gone: %s", html);
	cr_expect(fake > quote && fake < end, "the fake attribution is outside the quote: %s", html);
	cr_expect(strstr(html, "Verdachte man bij de garages") > quote, "%s", html);
	cr_expect(strstr(html, "klik hier") > quote, "the link text is gone: %s", html);
	cr_expect(strstr(html, "NEP-ALARM") > quote, "%s", html);
	/* The plain body: the header, then the resident's lines behind "> ". */
	cr_expect_eq(strncmp(body, "Casus #1 uit Wijkgroep Noord", 28), 0, "%s", body);
	cr_expect_not_null(strstr(body, "\n> " FAKE), "the fake line is not quoted in body: %s", body);
	cr_expect_not_null(strstr(body, "\n> Verdachte man bij de garages"), "%s", body);
	cr_expect_null(strstr(body, "\n" FAKE), "the fake line stands unquoted in body: %s", body);
	cr_expect_null(strstr(body, "\nNEP-ALARM"), "%s", body);

	free(body);
	free(html);
	free(marker);
	free(melding);
	sthelp_resident_done(&r);
	sthelp_resident_done(&ra);
	free(sg);
	free(noord);
	free(regie);
	itest_bot_cleanup(&bot);
	itest_user_free(&anna);
}
