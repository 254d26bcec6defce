/* Unit tests of the sign-up website (issue 15): reading form bodies,
 * checking the form with the chat's intake rules, escaping, codes, form
 * tokens and the pages with hostile input. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bot/registry.h"
#include "bot/signup_store.h"
#include "bot/store_int.h"
#include "bot/store_web.h"
#include "bot/web_drop.h"
#include "bot/web/web_schema.h"
#include "bot/web/web_csrf.h"
#include "bot/web/web_http.h"
#include "bot/web/web_pages.h"
#include "policy/pol_web.h"
#include "unit_store.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein <script>\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp & Co\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[{\"naam\":\"Noord\",\"postcodes\":[\"1234\"]}]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[{\"naam\":\"Zuid\",\"postcodes\":[\"1235\"]}]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna:localhost\"],\"telefoonbeheerder\":\"@anna:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}," \
	"{\"id\":\"stad\",\"naam\":\"Stad\",\"wijkgroepen\":[{\"id\":\"centrum\",\"naam\":\"Wijkgroep Centrum\"," \
	"\"buurten\":[{\"naam\":\"Centrum\",\"postcodes\":[\"1300\"]}]}],\"stuurgroepen\":[{\"id\":\"stuur2\"," \
	"\"naam\":\"Stuurgroep Stad\",\"leden\":[\"@bert:localhost\"],\"telefoonbeheerder\":\"@bert:localhost\"," \
	"\"beheert\":[\"centrum\"]}]}]}"

static pol_structure *load(void)
{
	pol_structure *s = NULL;

	cr_assert_eq(pol_structure_parse(&s, STRUCTURE, strlen(STRUCTURE), NULL), 0);
	return s;
}

/* ---- form bodies ---- */

typedef struct pairs {
	char names[8][64], values[8][256];
	int n;
} pairs;

static int collect(void *ctx, const char *name, const char *value)
{
	pairs *p = ctx;

	if (p->n >= 8)
		return 1;
	snprintf(p->names[p->n], sizeof p->names[0], "%s", name);
	snprintf(p->values[p->n], sizeof p->values[0], "%s", value);
	p->n++;
	return 0;
}

Test(web_form, parses_urlencoded_pairs)
{
	pairs p = { .n = 0 };
	const char *body = "naam=Jan+de+Vries&adres=1234%20AB&leeg=&alleen&x=%C3%A9";

	cr_assert_eq(pol_web_form_parse(body, strlen(body), collect, &p), 0);
	cr_assert_eq(p.n, 5);
	cr_assert_str_eq(p.values[0], "Jan de Vries");
	cr_assert_str_eq(p.values[1], "1234 AB");
	cr_assert_str_eq(p.values[2], "");
	cr_assert_str_eq(p.names[3], "alleen");
	cr_assert_str_eq(p.values[4], "\xc3\xa9");
}

Test(web_form, refuses_bad_escapes_nul_and_size)
{
	pairs p = { .n = 0 };
	char *big = malloc(POL_WEB_BODY_MAX + 2), *field = malloc(POL_WEB_FIELD_MAX + 10);

	cr_assert_eq(pol_web_form_parse("a=%zz", 5, collect, &p), -1);
	cr_assert_eq(pol_web_form_parse("a=%4", 4, collect, &p), -1);
	cr_assert_eq(pol_web_form_parse("a=%", 3, collect, &p), -1);
	cr_assert_eq(pol_web_form_parse("a=x%00y", 7, collect, &p), -1);
	memset(big, 'a', POL_WEB_BODY_MAX + 1);
	big[POL_WEB_BODY_MAX + 1] = '\0';
	cr_assert_eq(pol_web_form_parse(big, POL_WEB_BODY_MAX + 1, collect, &p), -1);
	memcpy(field, "a=", 2);
	memset(field + 2, 'b', POL_WEB_FIELD_MAX + 1);
	field[POL_WEB_FIELD_MAX + 3] = '\0';
	cr_assert_eq(pol_web_form_parse(field, strlen(field), collect, &p), -1);
	free(big);
	free(field);
}

/* ---- the sign-up form ---- */

Test(web_form, a_complete_form_is_a_complete_intake)
{
	pol_structure *s = load();
	const pol_wijk *w = pol_structure_find_wijk(s, "dorp");
	pol_web_form f = { "Jan de Vries", "1235 AB", NULL, "06-12345678", 1, 1 };
	pol_web_errors err;
	pol_intake it;

	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 0, "%s|%s|%s", err.msg[0], err.msg[1],
		     err.msg[2]);
	cr_assert_eq(it.step, POL_INTAKE_DONE);
	cr_assert_str_eq(it.name, "Jan de Vries");
	cr_assert_str_eq(it.wijkgroep, "zuid");
	cr_assert_str_eq(it.buurt, "Zuid");
	cr_assert_str_eq(it.phone, "0612345678");
	cr_assert(it.adult);
	cr_assert_neq(it.spelregels_version[0], '\0');
	pol_structure_free(s);
}

/* The bot reads web.db as hostile: an application the website filed goes
 * through the form's rules again before it counts. */
Test(web_form, the_bot_checks_a_filed_application_again)
{
	pol_structure *s = load();
	const pol_wijk *w = pol_structure_find_wijk(s, "dorp");
	pol_web_form f = { "Jan de Vries", "1235 AB", NULL, "06-12345678", 1, 1 };
	pol_web_errors err;
	pol_intake it, forged, again;

	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 0);
	cr_assert_eq(pol_web_intake_recheck(s, &it, POL_LANG_NL, &again), 0);
	cr_assert_str_eq(again.name, it.name);
	cr_assert_str_eq(again.wijkgroep, "zuid");
	cr_assert_str_eq(again.phone, "0612345678");
	cr_assert_eq(again.step, POL_INTAKE_DONE);
	/* Written straight into web.db: a phone the form never takes, another
	 * wijkgroep than the address says, a name without letters. */
	forged = it;
	snprintf(forged.phone, sizeof forged.phone, "<b>112</b>");
	cr_assert_neq(pol_web_intake_recheck(s, &forged, POL_LANG_NL, &again), 0, "a forged phone was taken");
	forged = it;
	snprintf(forged.wijkgroep, sizeof forged.wijkgroep, "noord");
	cr_assert_neq(pol_web_intake_recheck(s, &forged, POL_LANG_NL, &again), 0, "a forged wijkgroep was taken");
	forged = it;
	snprintf(forged.name, sizeof forged.name, "12");
	cr_assert_neq(pol_web_intake_recheck(s, &forged, POL_LANG_NL, &again), 0, "a forged name was taken");
	forged = it;
	snprintf(forged.wijkgroep, sizeof forged.wijkgroep, "nergens");
	cr_assert_neq(pol_web_intake_recheck(s, &forged, POL_LANG_NL, &again), 0, "an unknown wijkgroep was taken");
	forged = it;
	forged.adult = 0;
	cr_assert_neq(pol_web_intake_recheck(s, &forged, POL_LANG_NL, &again), 0, "not 18+ was taken");
	pol_structure_free(s);
}

/* The whole check the bot makes of a filed application's JSON. */
Test(web_form, the_bot_accepts_only_a_whole_valid_application)
{
	pol_structure *s = load();
	const pol_wijk *w = pol_structure_find_wijk(s, "dorp");
	pol_web_form f = { "Jan de Vries", "1235 AB", NULL, "06-12345678", 1, 1 };
	pol_web_errors err;
	pol_intake it, forged, out;
	const pol_wijkgroep *wg;
	char json[4096];

	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 0);
	snprintf(it.spelregels_version, sizeof it.spelregels_version, "00ab");
	cr_assert_eq(pol_intake_to_json(&it, json, sizeof json), 0);
	cr_assert_not_null(wg = pol_web_intake_accept(s, json, POL_LANG_NL, &out));
	cr_assert_str_eq(wg->id, "zuid");
	cr_assert_str_eq(out.spelregels_version, "00ab", "the version the applicant accepted is kept");
	cr_assert_null(pol_web_intake_accept(s, NULL, POL_LANG_NL, &out));
	cr_assert_null(pol_web_intake_accept(NULL, json, POL_LANG_NL, &out), "no structure");
	cr_assert_null(pol_web_intake_accept(s, "{", POL_LANG_NL, &out), "no JSON");
	forged = it;
	snprintf(forged.spelregels_version, sizeof forged.spelregels_version, "<b>");
	cr_assert_eq(pol_intake_to_json(&forged, json, sizeof json), 0);
	cr_assert_null(pol_web_intake_accept(s, json, POL_LANG_NL, &out), "a forged version was taken");
	forged = it;
	forged.spelregels_version[0] = '\0';
	cr_assert_eq(pol_intake_to_json(&forged, json, sizeof json), 0);
	cr_assert_null(pol_web_intake_accept(s, json, POL_LANG_NL, &out), "no version was taken");
	forged = it;
	forged.adult = 0;
	cr_assert_eq(pol_intake_to_json(&forged, json, sizeof json), 0);
	cr_assert_null(pol_web_intake_accept(s, json, POL_LANG_NL, &out), "not 18+ was taken");
	pol_structure_free(s);
}

Test(web_form, every_problem_is_named_at_its_field)
{
	pol_structure *s = load();
	const pol_wijk *w = pol_structure_find_wijk(s, "dorp");
	pol_web_form f = { "12", "9999", NULL, "abc", 0, 0 };
	pol_web_errors err;
	pol_intake it;

	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 5);
	cr_assert_neq(err.msg[POL_WEB_F_NAME][0], '\0');
	cr_assert_not_null(strstr(err.msg[POL_WEB_F_ADDRESS], "Kies je buurt"));
	cr_assert(err.choose_buurt);
	cr_assert_not_null(strstr(err.msg[POL_WEB_F_PHONE], "telefoonnummer"));
	cr_assert_not_null(strstr(err.msg[POL_WEB_F_ADULT], "18 jaar"));
	cr_assert_not_null(strstr(err.msg[POL_WEB_F_AKKOORD], "spelregels"));
	pol_structure_free(s);
}

Test(web_form, a_buurt_from_the_list_or_another_wijk)
{
	pol_structure *s = load();
	const pol_wijk *w = pol_structure_find_wijk(s, "dorp");
	pol_web_form f = { "Els", "", "Noord", "", 1, 1 };
	pol_web_errors err;
	pol_intake it;

	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 0, "%s", err.msg[1]);
	cr_assert_str_eq(it.wijkgroep, "noord");
	/* A postcode of another wijk sends them to that wijk's page. */
	f.buurt = NULL;
	f.address = "1300 AA";
	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_EN, &it, &err), 1);
	cr_assert_not_null(strstr(err.msg[POL_WEB_F_ADDRESS], "Stad"), "%s", err.msg[POL_WEB_F_ADDRESS]);
	pol_structure_free(s);
}

Test(web_form, hostile_names_are_refused_or_kept_as_text)
{
	pol_structure *s = load();
	const pol_wijk *w = pol_structure_find_wijk(s, "dorp");
	char longname[400];
	pol_web_form f = { "Jan\xe2\x80\xae" "evil", "1234", NULL, NULL, 1, 1 };   /* a direction override */
	pol_web_errors err;
	pol_intake it;

	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 1);
	cr_assert_neq(err.msg[POL_WEB_F_NAME][0], '\0');
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	f.name = longname;
	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 1);
	f.name = "\xff\xfe";
	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 1);
	f.name = "<script>alert(1)</script>";
	cr_assert_eq(pol_web_form_check(s, w, &f, POL_LANG_NL, &it, &err), 0);
	cr_assert_str_eq(it.name, "<script>alert(1)</script>");   /* text; escaped wherever it is shown */
	pol_structure_free(s);
}

/* ---- escaping, codes, placeholders ---- */

Test(web_escape, escapes_the_five_and_cuts_cleanly)
{
	char out[64], small[8];

	cr_assert_eq(pol_web_escape("<a href=\"x\">'&'</a>", out, sizeof out), 0);
	cr_assert_str_eq(out, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	cr_assert_eq(pol_web_escape("<<<<", small, sizeof small), -1);
	cr_assert_str_eq(small, "&lt;");
}

Test(web_code, made_and_read_back)
{
	unsigned char rnd[8] = { 0, 1, 2, 31, 32, 255, 100, 7 };
	char code[POL_WEB_CODE_LEN + 1], back[16], lower[16];
	size_t i;

	pol_web_code_make(rnd, code);
	cr_assert_eq(strlen(code), POL_WEB_CODE_LEN);
	cr_assert_eq(code[4], '-');
	cr_assert_eq(pol_web_code_parse(code, back, sizeof back), 0);
	cr_assert_str_eq(back, code);
	for (i = 0; code[i]; i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
	lower[i] = '\0';
	lower[4] = ' ';
	cr_assert_eq(pol_web_code_parse(lower, back, sizeof back), 0);
	cr_assert_str_eq(back, code);
	cr_assert_eq(pol_web_code_parse("hallo", back, sizeof back), -1);
	cr_assert_eq(pol_web_code_parse("2BCD-EFG0", back, sizeof back), -1);   /* 0 is not in the alphabet */
	cr_assert_eq(pol_web_code_parse("2BCD-EFGHJ", back, sizeof back), -1);
	cr_assert_eq(pol_web_code_parse("Jan Jansen", back, sizeof back), -1);
	/* A name of 4 + 4 letters is no code: codes have a digit. */
	cr_assert_eq(pol_web_code_parse("Henk Beek", back, sizeof back), -1);
	cr_assert_eq(pol_web_code_parse("2bcd efgh", back, sizeof back), 0);
	cr_assert(code[0] >= '2' && code[0] <= '9', "%s", code);
}

Test(web_code, placeholders_are_no_matrix_ids)
{
	char p[32];

	pol_web_placeholder(42, p, sizeof p);
	cr_assert_str_eq(p, "web:42");
	cr_assert_eq(pol_web_placeholder_id(p), 42);
	cr_assert_eq(pol_web_placeholder_id("@web:42"), 0);
	cr_assert_eq(pol_web_placeholder_id("web:"), 0);
	cr_assert_eq(pol_web_placeholder_id("web:4x"), 0);
	cr_assert_eq(pol_web_placeholder_id(NULL), 0);
}

/* ---- form tokens ---- */

Test(web_csrf, a_token_holds_for_its_session_purpose_and_time)
{
	char sid[WEB_SID_LEN + 1], other[WEB_SID_LEN + 1], tok[WEB_CSRF_TOKEN_MAX + 1], nonce[33], bad[WEB_CSRF_TOKEN_MAX + 1];

	cr_assert_eq(web_csrf_init(), 0);
	cr_assert_eq(web_random_hex(sid, WEB_SID_LEN / 2), 0);
	cr_assert_eq(web_random_hex(other, WEB_SID_LEN / 2), 0);
	cr_assert_eq(web_csrf_make(sid, "wijk:dorp", 1000000, tok, sizeof tok), 0);
	cr_assert_eq(web_csrf_check(tok, sid, "wijk:dorp", 1000000 + 60, nonce), 0);
	cr_assert_eq(strncmp(tok, nonce, 32), 0);
	cr_assert_eq(web_csrf_check(tok, other, "wijk:dorp", 1000000, nonce), -1, "another browser");
	cr_assert_eq(web_csrf_check(tok, sid, "wijk:stad", 1000000, nonce), -1, "another form");
	cr_assert_eq(web_csrf_check(tok, sid, "wijk:dorp", 1000000 + WEB_CSRF_MAX_AGE + 1, nonce), -1, "too old");
	cr_assert_eq(web_csrf_check(tok, sid, "wijk:dorp", 1000000 - 3600, nonce), -1, "from the future");
	snprintf(bad, sizeof bad, "%s", tok);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	cr_assert_eq(web_csrf_check(bad, sid, "wijk:dorp", 1000000, nonce), -1, "a changed mac");
	cr_assert_eq(web_csrf_check("", sid, "wijk:dorp", 1000000, nonce), -1);
	cr_assert_eq(web_csrf_check(NULL, sid, "wijk:dorp", 1000000, nonce), -1);
	cr_assert_eq(web_csrf_check(tok, "zz", "wijk:dorp", 1000000, nonce), -1);
}

/* ---- pages ---- */

/* The rate limits count an IPv6 client by its /64: one line has a whole
 * /64 to hop through. */
Test(web_http, an_ipv6_client_is_counted_by_its_64)
{
	char a[64], b[64];

	web_rate_key("2001:db8:1:2:aaaa::1", a, sizeof a);
	web_rate_key("2001:db8:1:2:ffff:1:2:3", b, sizeof b);
	cr_assert_str_eq(a, b, "two addresses of one /64 counted apart: %s %s", a, b);
	web_rate_key("2001:db8:1:3::1", b, sizeof b);
	cr_assert_str_neq(a, b);
	web_rate_key("192.0.2.7", a, sizeof a);
	cr_assert_str_eq(a, "192.0.2.7");
	web_rate_key("::ffff:192.0.2.7", a, sizeof a);
	web_rate_key("::ffff:192.0.2.8", b, sizeof b);
	cr_assert_str_neq(a, b, "IPv4 behind IPv6 counted as one");
	web_rate_key("not an address", a, sizeof a);
	cr_assert_str_eq(a, "not an address");
}

Test(web_pages, outside_text_is_escaped_everywhere)
{
	pol_structure *s = load();
	const pol_wijk *w = pol_structure_find_wijk(s, "dorp");
	web_site site = { s, "https://buurt.example", "@buurtbot:example", "https://app.example/#/register" };
	web_form_values v = { "\"><script>x</script>", "<img src=x>", "Noord", "'", 1, 0 };
	pol_web_errors err;
	web_buf b = { NULL, 0, 0, 0 };
	web_status st;

	memset(&err, 0, sizeof err);
	snprintf(err.msg[POL_WEB_F_NAME], sizeof err.msg[0], "<b>fout</b>");
	err.n = 1;
	web_page_wijk(&b, &site, w, POL_LANG_NL, &v, &err, "tok\"en");
	cr_assert(!b.failed);
	cr_assert_null(strstr(b.data, "<script>"), "a script tag got through");
	cr_assert_null(strstr(b.data, "<img"), "an img tag got through");
	cr_assert_null(strstr(b.data, "<b>fout"));
	cr_assert_not_null(strstr(b.data, "Dorp &amp; Co"));
	cr_assert_not_null(strstr(b.data, "value=\"&quot;&gt;&lt;script&gt;"));
	cr_assert_not_null(strstr(b.data, "tok&quot;en"));
	cr_assert_not_null(strstr(b.data, "<option value=\"Noord\" selected>"));
	cr_assert_not_null(strstr(b.data, "aria-invalid=\"true\""));
	cr_assert_not_null(strstr(b.data, "name=\"volwassen\" value=\"ja\" checked"));
	web_buf_free(&b);

	memset(&st, 0, sizeof st);
	snprintf(st.state, sizeof st.state, "admitted");
	snprintf(st.wijkgroep, sizeof st.wijkgroep, "<i>Zuid</i>");
	snprintf(st.token, sizeof st.token, "<tok>");
	snprintf(st.code, sizeof st.code, "ABCD-EFGH");
	st.expires = 2000000000;
	web_page_status(&b, &site, &st, "abc", POL_LANG_EN, "t");
	cr_assert(!b.failed);
	cr_assert_null(strstr(b.data, "<i>"));
	cr_assert_null(strstr(b.data, "<tok>"));
	cr_assert_not_null(strstr(b.data, "https://matrix.to/#/@buurtbot:example"));
	cr_assert_not_null(strstr(b.data, "ABCD-EFGH"));
	cr_assert_not_null(strstr(b.data, "Admitted"));
	web_buf_free(&b);

	/* web.db is shared with the bot: a state the page does not know is not echoed raw. */
	snprintf(st.state, sizeof st.state, "\"><b>x</b>");
	web_page_status(&b, &site, &st, "abc", POL_LANG_NL, "t");
	cr_assert(!b.failed);
	cr_assert_null(strstr(b.data, "<b>x"), "a state from web.db went into the page raw");
	web_buf_free(&b);

	web_page_gemeente(&b, &site, POL_LANG_NL);
	cr_assert_null(strstr(b.data, "<script>"));
	cr_assert_not_null(strstr(b.data, "/wijk/stad"));
	web_buf_free(&b);
	pol_structure_free(s);
}

Test(web_pages, the_buffer_has_a_cap)
{
	web_buf b = { NULL, 0, 0, 0 };
	char *chunk = malloc(64 * 1024 + 1);
	int i;

	memset(chunk, 'x', 64 * 1024);
	chunk[64 * 1024] = '\0';
	for (i = 0; i < 20; i++)
		web_buf_add(&b, chunk);
	cr_assert(b.failed, "the page grew past its cap");
	cr_assert_leq(b.cap, WEB_PAGE_MAX);
	web_buf_free(&b);
	free(chunk);
}

/* ---- the bot store's side (bot/store_web.c) ---- */

static int count_rows(void *ctx, const bot_webapp *w)
{
	(void)w;
	++*(int *)ctx;
	return 0;
}

static int state_of(void *ctx, const bot_webapp *w)
{
	snprintf(ctx, 32, "%s|%s", w->state, w->code ? "code" : "-");
	return 0;
}

Test(web_store, admitted_linked_published_and_purged)
{
	char dir[] = "/tmp/buurtbot-webstore-XXXXXX", path[300], err[512], *user = NULL, st[32] = "";
	bot_store *s = NULL;
	int64_t nr = 0, web_id = 0, got_nr = 0;
	long pos = 0;
	int n = 0;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	bot_store_set_now(s, 1000000LL * 1000);
	cr_assert_eq(bot_app_add(s, "web:5", "", "wijkgroep:zuid", "{}", &nr), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_add(s, 5, nr), BOT_STORE_OK);
	cr_assert_eq(ut_webapp_known(s, 5), 1);
	cr_assert_eq(ut_webapp_known(s, 6), 0);
	cr_assert_eq(bot_webapp_each_unpublished(s, state_of, st), BOT_STORE_OK);
	cr_assert_str_eq(st, "open|-");
	cr_assert_eq(bot_webapp_published(s, 5, "open||"), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_each_unpublished(s, count_rows, &n), BOT_STORE_OK);
	cr_assert_eq(n, 0, "published twice");

	/* Admitted (on the waiting list first): a code until an hour from now. */
	cr_assert_eq(bot_reg_wait_add(s, "wijkgroep:zuid", "web:5", "lid", &pos), BOT_STORE_OK);
	cr_assert_eq(bot_app_decide(s, nr, "admitted", "@anna:localhost"), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_admit(s, 5, "7BCD-EFGH", 1000000 + 3600), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_each_unpublished(s, state_of, st), BOT_STORE_OK);
	cr_assert_str_eq(st, "admitted|code");
	cr_assert_eq(bot_webapp_by_code(s, "7BCD-EFGH", &web_id, &got_nr), BOT_STORE_OK);
	cr_assert_eq(web_id, 5);
	cr_assert_eq(got_nr, nr);
	cr_assert_eq(bot_webapp_by_code(s, "7BCD-EFGX", &web_id, &got_nr), BOT_STORE_NOT_FOUND);
	/* An hour later it no longer works. */
	bot_store_set_now(s, (1000000LL + 3600) * 1000);
	cr_assert_eq(bot_webapp_by_code(s, "7BCD-EFGH", &web_id, &got_nr), BOT_STORE_NOT_FOUND);
	bot_store_set_now(s, 1000000LL * 1000);

	/* Linked: the application, the waiting list and the links of the
	 * bot's messages follow the account; the code is used up. */
	cr_assert_eq(bot_store_outbox_names(s, "txn-1", "web:5"), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_link(s, 5, "web:5", "@els:localhost", "!dm:localhost"), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_by_code(s, "7BCD-EFGH", &web_id, &got_nr), BOT_STORE_NOT_FOUND, "a code worked twice");
	cr_assert_eq(bot_store_select_text(s, &user, "t", "SELECT user_id FROM applications WHERE nr = ?", 1, "1"),
		     BOT_STORE_OK);
	cr_assert_str_eq(user, "@els:localhost");
	free(user);
	cr_assert_eq(bot_store_select_text(s, &user, "t", "SELECT room_id FROM applications WHERE nr = ?", 1, "1"),
		     BOT_STORE_OK);
	cr_assert_str_eq(user, "!dm:localhost");
	free(user);
	cr_assert_eq(ut_wait_position(s, "wijkgroep:zuid", "web:5"), 0);
	cr_assert_eq(bot_store_select_text(s, &user, "t", "SELECT user_id FROM outbox_named WHERE txn_id = 'txn-1'", 0),
		     BOT_STORE_OK);
	cr_assert_str_eq(user, "@els:localhost");
	free(user);
	cr_assert_eq(bot_webapp_each_unpublished(s, state_of, st), BOT_STORE_OK);
	cr_assert_str_eq(st, "linked|-");

	/* Its application gone (retention): the row goes too. */
	cr_assert_eq(bot_webapp_purge(s), BOT_STORE_OK);
	cr_assert_eq(ut_webapp_known(s, 5), 1, "purged while its application is kept");
	cr_assert_eq(bot_store_exec(s, "t", "DELETE FROM applications", 0), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_purge(s), BOT_STORE_OK);
	cr_assert_eq(ut_webapp_known(s, 5), 0);
	bot_store_close(s);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	cr_assert_eq(system(path), 0);
}

Test(web_store, an_unused_code_expires)
{
	char dir[] = "/tmp/buurtbot-webstore-XXXXXX", path[300], err[512], st[32] = "";
	bot_store *s = NULL;
	int64_t nr = 0;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	bot_store_set_now(s, 2000000LL * 1000);
	cr_assert_eq(bot_app_add(s, "web:9", "", "wijkgroep:zuid", "{}", &nr), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_add(s, 9, nr), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_admit(s, 9, "2BCD-EFGH", 2000000 + 60), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_set_token(s, 9, "tok"), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_expire(s), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_each_unpublished(s, state_of, st), BOT_STORE_OK);
	cr_assert_str_eq(st, "open|code", "%s", st);   /* the application is still open: not decided by us */
	bot_store_set_now(s, (2000000LL + 61) * 1000);
	cr_assert_eq(bot_webapp_expire(s), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_each_unpublished(s, state_of, st), BOT_STORE_OK);
	cr_assert_str_eq(st, "expired|-");
	bot_store_close(s);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	cr_assert_eq(system(path), 0);
}

static int token_of(void *ctx, const bot_webapp *w)
{
	snprintf(ctx, 32, "%s|%s", w->state, w->token ? w->token : "-");
	return 0;
}

/* Deleted from the status link after admission: the registration token
 * goes with the code, so it is not written back into web.db. */
Test(web_store, a_deleted_application_keeps_no_token)
{
	char dir[] = "/tmp/buurtbot-webstore-XXXXXX", path[300], err[512], st[32] = "";
	bot_store *s = NULL;
	int64_t nr = 0;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	bot_store_set_now(s, 2000000LL * 1000);
	cr_assert_eq(bot_app_add(s, "web:9", "", "wijkgroep:zuid", "{}", &nr), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_add(s, 9, nr), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_admit(s, 9, "2BCD-EFGH", 2000000 + 3600), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_set_token(s, 9, "tok"), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_set_state(s, 9, "gone"), BOT_STORE_OK);
	cr_assert_eq(bot_webapp_each_unpublished(s, token_of, st), BOT_STORE_OK);
	cr_assert_str_eq(st, "deleted|-", "the token outlived the deletion: %s", st);
	bot_store_close(s);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	cr_assert_eq(system(path), 0);
}

Test(web_budget, at_most_cap_an_hour_and_the_rest_later)
{
	long long start = 0;
	long taken = 0;

	cr_assert_eq(pol_web_budget(1000000, &start, &taken, 20), 20, "a fresh hour allows the cap");
	pol_web_budget_took(&taken, 15);
	cr_assert_eq(pol_web_budget(1000600, &start, &taken, 20), 5, "15 taken: 5 more this hour");
	pol_web_budget_took(&taken, 5);
	cr_assert_eq(pol_web_budget(1003599, &start, &taken, 20), 0, "the hour is full");
	cr_assert_eq(pol_web_budget(1003600, &start, &taken, 20), 20, "the next hour starts afresh");
	cr_assert_eq(start, 1003600);
	pol_web_budget_took(&taken, 20);
	cr_assert_eq(pol_web_budget(10, &start, &taken, 20), 20, "a clock set back starts a new hour");
}

/* ---- the bot's side of web.db (web_drop.c) ---- */

/* One text of web.db's row id (column col) into buf, "" for NULL. */
static void drop_col(const char *db_path, long long id, const char *col, char *buf, size_t size)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT %s FROM web_apps WHERE id = %lld", col, id);
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "row %lld is gone", id);
	snprintf(buf, size, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(web_drop, reads_new_and_deletions_and_writes_back_what_is_shown)
{
	char dir[] = "/tmp/buurtbot-drop-XXXXXX", db_path[128], big[5000], v[256], cmd[160];
	sqlite3 *db = NULL;
	bot_web_drop *w = (bot_web_drop *)1;
	bot_web_drop_app apps[8];
	size_t n = 99;
	long long expires = 5000;
	bot_web_drop_status st = { "admitted", "Wijkgroep Noord", "ABCD", NULL, &expires };

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(bot_web_drop_open(&w, dir), -1, "the website has not made web.db yet");
	cr_assert_null(w);
	snprintf(db_path, sizeof db_path, "%s/%s", dir, BOT_WEB_DB_NAME);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, BOT_WEB_SCHEMA
				  "INSERT INTO web_apps (status_hash, wijk, data, created, updated) VALUES "
				  "('h1', 'dorp', '{\"a\":1}', 1, 1), ('h2', 'dorp', NULL, 1, 1);"
				  "INSERT INTO web_apps (status_hash, wijk, data, delete_asked, state, created, updated) VALUES "
				  "('h3', 'dorp', NULL, 1, 'open', 1, 1), ('h4', 'dorp', NULL, 1, 'deleted', 1, 1);",
				  NULL, NULL, NULL), SQLITE_OK);
	{
		sqlite3_stmt *ins = NULL;

		cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO web_apps (status_hash, wijk, data, created, updated) "
						"VALUES ('h5', 'dorp', ?, 1, 1)", -1, &ins, NULL), SQLITE_OK);
		sqlite3_bind_text(ins, 1, big, -1, SQLITE_STATIC);
		cr_assert_eq(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_finalize(ins);
	}
	sqlite3_close(db);
	cr_assert_eq(bot_web_drop_open(&w, dir), 0);

	cr_assert_eq(bot_web_drop_new(w, 8, apps, &n), 0);
	cr_assert_eq(n, 3, "the new ones, not those asked to be deleted");
	cr_assert_eq(apps[0].id, 1);
	cr_assert_str_eq(apps[0].data, "{\"a\":1}");
	cr_assert_null(apps[1].data);
	cr_assert_eq(apps[2].id, 5);
	cr_assert_null(apps[2].data, "an overlong answer is not even read");
	bot_web_drop_apps_free(apps, n);
	cr_assert_eq(bot_web_drop_new(w, 1, apps, &n), 0);
	cr_assert_eq(n, 1, "at most max");
	bot_web_drop_apps_free(apps, n);
	cr_assert_eq(bot_web_drop_taken(w, 1, "open", 100), 0);
	drop_col(db_path, 1, "coalesce(data, '-') || state || updated", v, sizeof v);
	cr_assert_str_eq(v, "-open100", "the answers are wiped");

	cr_assert_eq(bot_web_drop_deletions(w, 8, apps, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(apps[0].id, 3);
	bot_web_drop_apps_free(apps, n);
	cr_assert_eq(bot_web_drop_keep_linked(w, 3, 110), 0);
	drop_col(db_path, 3, "delete_asked || state", v, sizeof v);
	cr_assert_str_eq(v, "0linked");

	cr_assert_eq(bot_web_drop_publish(w, 1, &st, 120), 0);
	drop_col(db_path, 1, "state || '|' || wijkgroep || '|' || code || '|' || coalesce(reg_token, '-') || '|' || expires",
		 v, sizeof v);
	cr_assert_str_eq(v, "admitted|Wijkgroep Noord|ABCD|-|5000");
	st.wijkgroep = NULL;
	st.expires = NULL;
	cr_assert_eq(bot_web_drop_publish(w, 1, &st, 130), 0);
	drop_col(db_path, 1, "wijkgroep || '|' || coalesce(expires, '-')", v, sizeof v);
	cr_assert_str_eq(v, "Wijkgroep Noord|-", "NULL keeps the name shown");
	cr_assert_eq(bot_web_drop_deleted(w, 1, 140), 0);
	drop_col(db_path, 1, "state || coalesce(code, '-') || coalesce(data, '-')", v, sizeof v);
	cr_assert_str_eq(v, "deleted--");

	cr_assert_eq(bot_web_drop_purge(w, 141), 0);
	cr_assert_eq(bot_web_drop_deletions(w, 8, apps, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(bot_web_drop_new(w, 8, apps, &n), 0);
	cr_assert_eq(n, 2, "new ones stay");
	bot_web_drop_apps_free(apps, n);

	/* a web.db that cannot be read is an error, with nothing read */
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "DROP TABLE web_apps", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	n = 99;
	cr_assert_eq(bot_web_drop_new(w, 8, apps, &n), -1);
	cr_assert_eq(n, 0);
	cr_assert_eq(bot_web_drop_taken(w, 2, "open", 150), -1);
	bot_web_drop_close(w);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
