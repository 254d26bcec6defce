/* Unit tests of the statistics (issue 16): every figure on a constructed
 * history (policy/pol_stats.c), the suppression of small counts, periods,
 * the anonymous rows in the store surviving casus retention
 * (bot/store_stats.c), the chart's PNG and the encrypted attachment
 * (matrix/mx_media.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bot/chart.h"
#include "bot/stats.h"
#include "bot/store_int.h"
#include "matrix/mx_media.h"
#include "policy/pol_engine.h"
#include "policy/pol_stats.h"
#include "unit_structure.h"

#define T0 1764547200LL   /* 2025-12-01 00:00 UTC */

/* noord: 10 casussen; zuid: 3; one noord casus before the period. */
static pol_stats_row rows[14];

static void history(void)
{
	int i;

	memset(rows, 0, sizeof rows);
	for (i = 0; i < 10; i++) {
		pol_stats_row *r = &rows[i];

		r->wijk = "dorp";
		r->wijkgroep = "noord";
		r->opened = T0 + i * 3600;
		r->weekday = i % 2;          /* 5 on maandag, 5 on dinsdag */
		r->hour = 22;
		r->called_112 = i >= 5;      /* 5 of 10 */
		r->first_approval = i < 5 ? r->opened + 60 * (i + 1) : 0;   /* 1..5 minutes */
		if (i < 5) {
			r->uitkomst = POL_UIT_POLITIE;
			r->closed = r->opened + 600 * (i + 1);                  /* 10..50 minutes */
		} else if (i < 8) {
			r->uitkomst = POL_UIT_VERLOPEN;
			r->closed = r->opened + 86400;
		} else {
			r->uitkomst = POL_UIT_OPEN;
		}
	}
	for (i = 10; i < 13; i++) {
		rows[i].wijk = "dorp";
		rows[i].wijkgroep = "zuid";
		rows[i].opened = T0 + i * 3600;
		rows[i].weekday = 5;
		rows[i].hour = 3;
		rows[i].called_112 = -1;
		rows[i].uitkomst = POL_UIT_LOOS_ALARM;
		rows[i].closed = rows[i].opened + 300;
	}
	rows[13] = rows[0];
	rows[13].opened = T0 - 10;   /* just before the period */
}

static const char *value_of(const pol_stats_item *items, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(items[i].name, name) == 0)
			return items[i].value;
	cr_assert_fail("no figure %s", name);
	return NULL;
}

Test(stats, every_figure_of_one_wijkgroep)
{
	pol_stats_figures f;
	pol_stats_item items[POL_STATS_ITEMS_MAX];
	size_t n;

	history();
	cr_assert_eq(pol_stats_compute(rows, 14, NULL, "noord", T0, T0 + 30 * 86400, &f), 0);
	cr_assert_eq(f.meldingen, 10, "the casus before the period is not counted");
	cr_assert_eq(f.read_112, 10);
	cr_assert_eq(f.called_112, 5);
	cr_assert_eq(f.forwarded, 5);
	cr_assert_eq(f.approval_n, 5);
	cr_assert_eq(f.approval_median_s, 180);
	cr_assert_eq(f.approval_p90_s, 300);
	cr_assert_eq(f.afloop_n, 5, "expiry is no afloop");
	cr_assert_eq(f.afloop_median_s, 1800);
	cr_assert_eq(f.afloop_p90_s, 3000);
	cr_assert_eq(f.uitkomst[POL_UIT_POLITIE], 5);
	cr_assert_eq(f.uitkomst[POL_UIT_VERLOPEN], 3);
	cr_assert_eq(f.uitkomst[POL_UIT_OPEN], 2);
	cr_assert_eq(f.weekday[0], 5);
	cr_assert_eq(f.weekday[1], 5);
	cr_assert_eq(f.hour[22], 10);
	cr_assert_eq(f.heat[0][22], 5);

	n = pol_stats_items(&f, 42, 3, items);
	cr_assert_eq(n, 2 + 5 + POL_UIT_COUNT + 7 + 24 + 2);
	cr_assert_str_eq(value_of(items, n, "meldingen"), "10");
	cr_assert_str_eq(value_of(items, n, "pct_112_gebeld"), "50%");
	cr_assert_str_eq(value_of(items, n, "pct_doorgestuurd"), "50%");
	cr_assert_str_eq(value_of(items, n, "goedkeuring_mediaan_min"), "3");
	cr_assert_str_eq(value_of(items, n, "goedkeuring_p90_min"), "5");
	cr_assert_str_eq(value_of(items, n, "afloop_mediaan_min"), "30");
	cr_assert_str_eq(value_of(items, n, "afloop_p90_min"), "50");
	cr_assert_str_eq(value_of(items, n, "politie_ter_plaatse"), "5");
	cr_assert_str_eq(value_of(items, n, "verlopen_zonder_afloop"), "<5");
	cr_assert_str_eq(value_of(items, n, "nog_open"), "<5");
	cr_assert_str_eq(value_of(items, n, "aanhouding"), "0");
	cr_assert_str_eq(value_of(items, n, "weekdag_ma"), "5");
	cr_assert_str_eq(value_of(items, n, "uur_22"), "10");
	cr_assert_str_eq(value_of(items, n, "uur_03"), "0");
	cr_assert_str_eq(value_of(items, n, "leden"), "42");
	cr_assert_str_eq(value_of(items, n, "wachtlijst"), "<5");
}

Test(stats, small_counts_are_suppressed)
{
	pol_stats_figures f;
	pol_stats_item items[POL_STATS_ITEMS_MAX];
	char buf[32];
	size_t n;

	history();
	cr_assert_eq(pol_stats_compute(rows, 14, "dorp", "zuid", T0, T0 + 30 * 86400, &f), 0);
	cr_assert_eq(f.meldingen, 3);
	cr_assert_eq(f.read_112, 0, "unread SAAR is not counted as 'no 112'");
	n = pol_stats_items(&f, -1, -1, items);
	cr_assert_str_eq(value_of(items, n, "meldingen"), "<5");
	cr_assert_str_eq(value_of(items, n, "loos_alarm"), "<5");
	cr_assert_str_eq(value_of(items, n, "pct_112_gebeld"), "-");
	cr_assert_str_eq(value_of(items, n, "afloop_mediaan_min"), "-", "three times are too few to show");
	cr_assert_str_eq(value_of(items, n, "weekdag_za"), "<5");
	/* shares: a rest of 1..4 could be counted back */
	pol_stats_share_text(9, 10, buf, sizeof buf);
	cr_assert_str_eq(buf, "-");
	pol_stats_share_text(10, 10, buf, sizeof buf);
	cr_assert_str_eq(buf, "100%");
	pol_stats_share_text(0, 10, buf, sizeof buf);
	cr_assert_str_eq(buf, "0%");
	pol_stats_share_text(2, 4, buf, sizeof buf);
	cr_assert_str_eq(buf, "-");
	pol_stats_count_text(0, buf, sizeof buf);
	cr_assert_str_eq(buf, "0");
	pol_stats_count_text(4, buf, sizeof buf);
	cr_assert_str_eq(buf, "<5");
	pol_stats_count_text(5, buf, sizeof buf);
	cr_assert_str_eq(buf, "5");
}

Test(stats, wijk_and_gemeente_add_up)
{
	pol_stats_figures f;

	history();
	cr_assert_eq(pol_stats_compute(rows, 14, "dorp", NULL, T0, T0 + 30 * 86400, &f), 0);
	cr_assert_eq(f.meldingen, 13);
	cr_assert_eq(f.uitkomst[POL_UIT_LOOS_ALARM], 3);
	cr_assert_eq(pol_stats_compute(rows, 14, NULL, NULL, T0 - 3600, T0 + 30 * 86400, &f), 0);
	cr_assert_eq(f.meldingen, 14);
	cr_assert_eq(pol_stats_compute(rows, 14, "elders", NULL, T0, T0 + 30 * 86400, &f), 0);
	cr_assert_eq(f.meldingen, 0);
	cr_assert_eq(pol_stats_compute(rows, 0, NULL, NULL, 0, 1, &f), 0);
}

Test(stats, report_text_shows_suppressed_figures)
{
	pol_stats_figures f;
	char buf[4096];

	history();
	cr_assert_eq(pol_stats_compute(rows, 14, NULL, "zuid", T0, T0 + 30 * 86400, &f), 0);
	pol_stats_report_text(POL_LANG_NL, "Statistiek Zuid", &f, 12, 0, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "Meldingen: <5"), "%s", buf);
	cr_assert_not_null(strstr(buf, "loos alarm <5"), "%s", buf);
	cr_assert_not_null(strstr(buf, "Leden: 12; wachtlijst: 0"), "%s", buf);
	cr_assert_null(strstr(buf, ": 3"), "an exact small count leaked: %s", buf);
	pol_stats_report_text(POL_LANG_EN, "Statistics", &f, -1, -1, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "false alarm <5"), "%s", buf);
}

Test(stats, periods)
{
	pol_stats_period p;

	cr_assert_eq(pol_stats_period_parse("2026-11", &p), 0);
	cr_assert(p.kind == POL_PERIOD_MONTH && p.y == 2026 && p.m == 11);
	cr_assert_eq(pol_stats_period_parse("2025", &p), 0);
	cr_assert(p.kind == POL_PERIOD_YEAR && p.y == 2025);
	cr_assert_eq(pol_stats_period_parse("90d", &p), 0);
	cr_assert(p.kind == POL_PERIOD_DAYS && p.days == 90);
	cr_assert_eq(pol_stats_period_parse("vorige-maand", &p), 0);
	cr_assert(p.kind == POL_PERIOD_MONTH && p.y == 0 && p.rel == -1);
	cr_assert_eq(pol_stats_period_parse("2026-01-01..2026-03-31", &p), 0);
	cr_assert(p.kind == POL_PERIOD_RANGE && p.m2 == 3 && p.d2 == 31);
	cr_assert_neq(pol_stats_period_parse("2026-03-31..2026-01-01", &p), 0);
	cr_assert_neq(pol_stats_period_parse("2026-13", &p), 0);
	cr_assert_neq(pol_stats_period_parse("noord", &p), 0);
	cr_assert_neq(pol_stats_period_parse("0d", &p), 0);
	cr_assert_neq(pol_stats_period_parse("", &p), 0);
}

Test(stats, uitkomst_from_the_casus)
{
	cr_assert_eq(pol_stats_uitkomst_of("open", NULL), POL_UIT_OPEN);
	cr_assert_eq(pol_stats_uitkomst_of("expired", NULL), POL_UIT_VERLOPEN);
	cr_assert_eq(pol_stats_uitkomst_of("closed", "aanhouding"), POL_UIT_AANHOUDING);
	cr_assert_eq(pol_stats_uitkomst_of("closed", "Loos alarm"), POL_UIT_LOOS_ALARM);
	cr_assert_eq(pol_stats_uitkomst_of("closed", ""), POL_UIT_ONBEKEND);
}

/* ---- the store: rows survive retention ---- */

static char dir[] = "/tmp/buurtbot-stats-XXXXXX";

static bot_store *open_store(void)
{
	bot_store *s = NULL;
	char path[300], err[512];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/buurtbot.db", dir);
	cr_assert_eq(bot_store_open(&s, path, err, sizeof err), BOT_STORE_OK, "%s", err);
	return s;
}

static void close_store(bot_store *s)
{
	char cmd[300];

	bot_store_close(s);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

static void exec(bot_store *s, const char *sql)
{
	cr_assert_eq(bot_store_exec(s, "test", sql, 0), BOT_STORE_OK, "%s", sql);
}

Test(stats, anonymous_rows_outlive_casus_retention)
{
	bot_store *s = open_store();
	bot_daemon d;
	bot_stats_set set;
	pol_stats_figures f;
	size_t i;
	int sent = -1;

	memset(&d, 0, sizeof d);
	d.store = s;
	bot_store_set_now(s, T0 * 1000);
	exec(s, "INSERT INTO structure_rooms (key, room_id, created_at) VALUES ('wijkgroep:noord', '!n:x', 0),"
		"('stuurgroep:stuur', '!s:x', 0)");
	/* casus 1: a melding long ago, forwarded, closed with aanhouding */
	exec(s, "INSERT INTO casussen (nr, origin_room, origin_event, opened) VALUES (1, '!n:x', '$m1', 1000)");
	exec(s, "INSERT INTO casus_events (room_id, event_id, nr, sender, ts, content) VALUES "
		"('!n:x', '$m1', 1, '@a:x', 1000, '{\"body\":\"Inbraak bezig, ik heb 112 gebeld\"}')");
	exec(s, "INSERT INTO forwards (source_event, target_room, nr, txn, approver, at) VALUES "
		"('$m1', '!r:x', 1, 't1', '@s:x', 1300)");
	exec(s, "INSERT INTO forwards (source_event, target_room, nr, txn, approver, at) VALUES "
		"('$m1', '!r2:x', 1, 't2', '@s:x', 1200)");
	exec(s, "UPDATE casussen SET status = 'closed', uitkomst = 'aanhouding', afloop = 'opgepakt', closed = 4000 "
		"WHERE nr = 1");
	/* casus 2: recent, still open, no 112; casus 3 began in a stuurgroep room (not a melding) */
	exec(s, "INSERT INTO casussen (nr, origin_room, origin_event, opened) VALUES (2, '!n:x', '$m2', 2000000)");
	exec(s, "INSERT INTO casus_events (room_id, event_id, nr, sender, ts, content) VALUES "
		"('!n:x', '$m2', 2, '@b:x', 2000000, '{\"body\":\"Verdachte man bij de school\"}')");
	exec(s, "INSERT INTO casussen (nr, origin_room, origin_event, opened) VALUES (3, '!s:x', '$p', 2000000)");
	cr_assert_eq(bot_stats_sync(&d), BOT_STORE_OK);
	/* what retention does today (bot/casus_list.c) to casus 1 */
	exec(s, "DELETE FROM casus_events WHERE nr = 1");
	exec(s, "DELETE FROM forwards WHERE nr = 1");
	exec(s, "DELETE FROM casus_rooms WHERE nr = 1");
	exec(s, "UPDATE casussen SET afloop = NULL, origin_event = '' WHERE nr = 1");
	cr_assert_eq(bot_stats_sync(&d), BOT_STORE_OK);

	/* a period that crosses the retention of casus 1 */
	cr_assert_eq(bot_stats_load(s, NULL, 0, 3000000, &set), BOT_STORE_OK);
	cr_assert_eq(set.n, 2, "only meldingen of wijkgroepen count");
	for (i = 0; i < set.n; i++)
		cr_assert_str_eq(set.rows[i].wijkgroep, "noord");
	cr_assert_eq(set.rows[0].first_approval, 1200, "the first approval is the earliest copy");
	cr_assert_eq(set.rows[0].closed, 4000);
	cr_assert_eq(set.rows[0].uitkomst, POL_UIT_AANHOUDING);
	cr_assert_eq(set.rows[0].called_112, 1, "the SAAR reading was taken before retention");
	cr_assert_eq(set.rows[1].called_112, 0);
	cr_assert_eq(set.rows[1].uitkomst, POL_UIT_OPEN);
	cr_assert_eq(pol_stats_compute(set.rows, set.n, NULL, NULL, 0, 3000000, &f), 0);
	cr_assert_eq(f.meldingen, 2);
	cr_assert_eq(f.forwarded, 1);
	cr_assert_eq(f.called_112, 1);
	bot_stats_set_free(&set);
	cr_assert_eq(bot_stats_load(s, NULL, 1500, 3000000, &set), BOT_STORE_OK);
	cr_assert_eq(set.n, 1, "the period starts after casus 1");
	bot_stats_set_free(&set);

	/* reports are remembered once */
	cr_assert_eq(bot_stats_sent(s, "maand:2025-11:regiegroep:dorp", &sent), BOT_STORE_OK);
	cr_assert_eq(sent, 0);
	cr_assert_eq(bot_stats_mark_sent(s, "maand:2025-11:regiegroep:dorp"), BOT_STORE_OK);
	cr_assert_eq(bot_stats_mark_sent(s, "maand:2025-11:regiegroep:dorp"), BOT_STORE_OK);
	cr_assert_eq(bot_stats_sent(s, "maand:2025-11:regiegroep:dorp", &sent), BOT_STORE_OK);
	cr_assert_eq(sent, 1);
	close_store(s);
}

/* ---- the chart and the encrypted attachment ---- */

Test(stats, chart_is_a_png)
{
	bot_chart c;
	unsigned char *png = NULL;
	size_t len = 0;
	int w = 0, h = 0;

	memset(&c, 0, sizeof c);
	c.title = "Statistiek Dorp";
	c.n_months = 12;
	c.n_series = 2;
	c.series[0] = "Noord";
	c.series[1] = "Zuid";
	c.counts[0][11] = 12;
	c.counts[1][11] = 3;
	c.heat[0][22] = 7;
	c.heat[5][3] = 2;
	cr_assert_eq(bot_chart_png(&c, &png, &len, &w, &h), 0);
	cr_assert_gt(len, 1000);
	cr_assert_eq(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
	cr_assert(w > 0 && h > 0);
	free(png);
}

static const char *str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	cr_assert(cJSON_IsString(v), "%s missing", name);
	return v->valuestring;
}

Test(stats, encrypted_attachment_round_trip)
{
	const char data[] = "een kleine grafiek, maar dan in bytes";
	unsigned char *cipher = NULL, *plain = NULL, *cipher2 = NULL;
	cJSON *file = NULL, *file2 = NULL;
	const cJSON *key;
	const char *k, *iv;

	cr_assert_eq(mx_media_encrypt(data, sizeof data, &cipher, &file), MX_OK);
	cr_assert_neq(memcmp(cipher, data, sizeof data), 0);
	cr_assert_str_eq(str(file, "v"), "v2");
	iv = str(file, "iv");
	cr_assert_eq(strlen(iv), 22, "16 bytes, unpadded base64");
	key = cJSON_GetObjectItemCaseSensitive(file, "key");
	cr_assert_str_eq(str(key, "kty"), "oct");
	cr_assert_str_eq(str(key, "alg"), "A256CTR");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(key, "ext")));
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(key, "key_ops")), 2);
	k = str(key, "k");
	cr_assert_eq(strlen(k), 43, "32 bytes, unpadded base64");
	cr_assert_null(strpbrk(k, "+/="), "the JWK is URL-safe: %s", k);
	cr_assert_eq(strlen(str(cJSON_GetObjectItemCaseSensitive(file, "hashes"), "sha256")), 43);

	cr_assert_eq(mx_media_decrypt(file, cipher, sizeof data, &plain), MX_OK);
	cr_assert_eq(memcmp(plain, data, sizeof data), 0);
	free(plain);
	/* a changed byte fails the hash */
	cipher[3] ^= 1;
	cr_assert_eq(mx_media_decrypt(file, cipher, sizeof data, &plain), MX_ERR_INVALID);
	cr_assert_null(plain);
	cipher[3] ^= 1;
	/* a new key and IV per file */
	cr_assert_eq(mx_media_encrypt(data, sizeof data, &cipher2, &file2), MX_OK);
	cr_assert_str_neq(str(file2, "iv"), iv);
	cr_assert_neq(memcmp(cipher, cipher2, sizeof data), 0);
	free(cipher);
	free(cipher2);
	cJSON_Delete(file);
	cJSON_Delete(file2);
}

/* ---- who sees which figures (pol_stats_cmd.c) ---- */

#define TWO_WIJKEN sq("{'gemeente':'Klein','wijken':[" \
	"{'id':'dorp','naam':'Dorp','regiegroep':true,'wijkgroepen':[{'id':'noord','naam':'Noord','buurten':['1234']}]," \
	"'stuurgroepen':[{'id':'stuur','naam':'Stuurgroep Dorp','leden':['@anna:x','@bram:x','@carla:x']," \
	"'telefoonbeheerder':'@anna:x','beheert':['noord']}]}," \
	"{'id':'stad','naam':'Stad','regiegroep':true,'wijkgroepen':[{'id':'plein','naam':'Plein','buurten':['5678']}]," \
	"'stuurgroepen':[{'id':'stad-sg','naam':'Stuurgroep Stad','leden':['@dirk:x','@eva:x','@fien:x']," \
	"'telefoonbeheerder':'@dirk:x','beheert':['plein']}]}]," \
	"'gemeentelijke_regiegroep':{'afgevaardigden':['@anna:x','@dirk:x']}}")

/* The answer to body by sender in the room with key: the action after the audit row. */
static pol_action ask(const pol_structure *s, const char *key, const char *sender, const char *body)
{
	pol_config cfg = { .bot_user_id = "@bot:x", .lang = POL_LANG_NL };
	pol_input in;
	pol_actions out;

	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MESSAGE;
	in.room_id = "!room:x";
	in.event_id = "$cmd";
	in.sender = sender;
	in.body = body;
	in.structure = s;
	in.room.key = key;
	pol_decide(&cfg, &in, &out);
	cr_assert_geq(out.n, 2, "%s by %s in %s: no answer", body, sender, key);
	cr_assert_eq(out.items[0].kind, POL_ACT_AUDIT);
	return out.items[1];
}

Test(stats, statistiek_shows_the_own_wijk_and_the_gemeente_to_delegates)
{
	char *json = TWO_WIJKEN;
	pol_structure *s = parse_json(json);
	pol_action a;

	a = ask(s, "stuurgroep:stuur", "@bram:x", "!statistiek");
	cr_assert_eq(a.kind, POL_ACT_STATS);
	cr_assert_str_eq(a.stats.what, "statistiek");
	cr_assert_str_eq(a.stats.scope, "wijk:dorp");
	cr_assert_str_eq(a.stats.period, "", "the default period");
	cr_assert(a.stats.range.kind == POL_PERIOD_DAYS && a.stats.range.days == POL_STATS_DEFAULT_DAYS,
		  "the plan carries the default period, read");
	a = ask(s, "regiegroep:dorp", "@carla:x", "!statistiek 2026-11 noord");
	cr_assert_eq(a.kind, POL_ACT_STATS);
	cr_assert_str_eq(a.stats.scope, "wijkgroep:noord");
	cr_assert_str_eq(a.stats.period, "2026-11");
	cr_assert(a.stats.range.kind == POL_PERIOD_MONTH && a.stats.range.y == 2026 && a.stats.range.m == 11);
	/* another wijk is not theirs */
	a = ask(s, "stuurgroep:stuur", "@anna:x", "!statistiek stad");
	cr_assert_eq(a.kind, POL_ACT_NOTICE);
	cr_assert_not_null(strstr(a.notice.text, "eigen wijk"), "%s", a.notice.text);
	a = ask(s, "stuurgroep:stuur", "@anna:x", "!statistiek 90d plein");
	cr_assert_eq(a.kind, POL_ACT_NOTICE);
	/* the gemeentelijke regiegroep: every wijk, or one */
	a = ask(s, "gemeentelijke_regiegroep", "@dirk:x", "!statistiek vorige-maand");
	cr_assert_eq(a.kind, POL_ACT_STATS);
	cr_assert_str_eq(a.stats.scope, "gemeente");
	cr_assert_str_eq(a.stats.period, "vorige-maand");
	a = ask(s, "gemeentelijke_regiegroep", "@anna:x", "!statistiek Stad");
	cr_assert_eq(a.kind, POL_ACT_STATS);
	cr_assert_str_eq(a.stats.scope, "wijk:stad");
	/* not for residents, not in a wijkgroep, nor a stuurgroep member of another wijk */
	a = ask(s, "wijkgroep:noord", "@bewoner:x", "!statistiek");
	cr_assert_eq(a.kind, POL_ACT_NOTICE);
	a = ask(s, "stuurgroep:stuur", "@dirk:x", "!statistiek");
	cr_assert_eq(a.kind, POL_ACT_NOTICE);
	a = ask(s, "regiegroep:stad", "@bram:x", "!statistiek");
	cr_assert_eq(a.kind, POL_ACT_NOTICE);
	/* a period that is not one says so, with examples */
	a = ask(s, "stuurgroep:stuur", "@anna:x", "!statistiek 2026-02-30");
	cr_assert_eq(a.kind, POL_ACT_NOTICE);
	cr_assert_not_null(strstr(a.notice.text, "geen periode"), "%s", a.notice.text);
	a = ask(s, "stuurgroep:stuur", "@anna:x", "!statistiek 2026-11 noord extra");
	cr_assert_eq(a.kind, POL_ACT_NOTICE);
	cr_assert_not_null(strstr(a.notice.text, "Gebruik: !statistiek"), "%s", a.notice.text);
	/* !gezondheid: the stuurgroep of the room */
	a = ask(s, "stuurgroep:stad-sg", "@eva:x", "!gezondheid");
	cr_assert_eq(a.kind, POL_ACT_STATS);
	cr_assert_str_eq(a.stats.what, "gezondheid");
	cr_assert_str_eq(a.stats.scope, "stuurgroep:stad-sg");
	a = ask(s, "stuurgroep:stad-sg", "@anna:x", "!gezondheid");
	cr_assert_eq(a.kind, POL_ACT_NOTICE);
	pol_structure_free(s);
	free(json);
}

/* ---- review: no small count can be worked out by subtraction ---- */

/* The values the marks leave shown, summed; how many cells are hidden. */
static int pinned_small(const long *cells, const unsigned char *mark, size_t n)
{
	long shown = 0, total = 0;
	size_t i, hidden = 0, small_i = n;

	for (i = 0; i < n; i++) {
		total += cells[i];
		if (mark[i] == POL_STATS_SHOW)
			shown += cells[i];
		else {
			hidden++;
			if (mark[i] == POL_STATS_SMALL)
				small_i = i;
		}
	}
	/* one hidden cell, a small one: total minus the shown ones is it */
	return hidden == 1 && small_i < n && total - shown == cells[small_i];
}

Test(stats, a_lone_small_cell_is_not_left_to_subtraction)
{
	long wg[3] = { 8, 12, 3 };        /* the wijk's total, 23, is shown */
	long two[3] = { 8, 1, 1 };        /* two small ones of 1: their sum 2 pins both */
	long fine[3] = { 8, 2, 3 };       /* 2 + 3 = 5: 1+4, 2+3, 3+2, 4+1 */
	unsigned char mark[3] = { 0 };
	char buf[8];

	pol_stats_protect(wg, 3, mark);
	cr_assert_eq(mark[2], POL_STATS_SMALL);
	cr_assert_not(pinned_small(wg, mark, 3), "23 - 8 - 12 gives the 3 back");
	cr_assert_eq(mark[0], POL_STATS_HIDE, "the smallest other cell is hidden too");
	cr_assert_eq(mark[1], POL_STATS_SHOW);
	memset(mark, 0, sizeof mark);
	pol_stats_protect(two, 3, mark);
	cr_assert_eq(mark[0], POL_STATS_HIDE, "1 + 1 = 2 tells both");
	memset(mark, 0, sizeof mark);
	pol_stats_protect(fine, 3, mark);
	cr_assert(mark[0] == POL_STATS_SHOW && mark[1] == POL_STATS_SMALL && mark[2] == POL_STATS_SMALL);
	pol_stats_cell_text(8, POL_STATS_HIDE, buf, sizeof buf);
	cr_assert_str_eq(buf, "x");
}

Test(stats, weekdays_and_outcomes_do_not_give_a_small_count_back)
{
	pol_stats_figures f;
	pol_stats_item items[POL_STATS_ITEMS_MAX];
	char buf[4096];
	size_t n;

	memset(&f, 0, sizeof f);
	f.meldingen = 20;
	f.weekday[0] = 5;
	f.weekday[1] = 6;
	f.weekday[2] = 7;
	f.weekday[3] = 2;                  /* 20 - 5 - 6 - 7 */
	f.hour[22] = 18;
	f.hour[3] = 2;                     /* 20 - 18 */
	f.uitkomst[POL_UIT_POLITIE] = 17;
	f.uitkomst[POL_UIT_OPEN] = 3;      /* 20 - 17 */
	n = pol_stats_items(&f, -1, -1, items);
	cr_assert_str_eq(value_of(items, n, "meldingen"), "20");
	cr_assert_str_eq(value_of(items, n, "weekdag_do"), "<5");
	cr_assert_str_eq(value_of(items, n, "weekdag_ma"), "x", "the smallest other day is hidden");
	cr_assert_str_eq(value_of(items, n, "uur_03"), "<5");
	cr_assert_str_eq(value_of(items, n, "uur_22"), "x");
	cr_assert_str_eq(value_of(items, n, "nog_open"), "<5");
	cr_assert_str_eq(value_of(items, n, "politie_ter_plaatse"), "x");
	pol_stats_report_text(POL_LANG_NL, "Statistiek", &f, -1, -1, buf, sizeof buf);
	cr_assert_null(strstr(buf, "politie ter plaatse 17"), "%s", buf);
	cr_assert_not_null(strstr(buf, "politie ter plaatse x"), "%s", buf);
}

/* The gemeente, its wijken and their wijkgroepen: a wijk's total hidden
 * as "x" must not come back as the sum of its wijkgroepen, nor from the
 * days of the week; and the gemeente minus the other wijk is no way in. */
Test(stats, the_tree_of_wijken_and_wijkgroepen_gives_nothing_back)
{
	pol_stats_node nodes[5];
	pol_stats_figures f;
	long count[5] = { 15, 12, 3, 12, 3 };
	int parent[5] = { -1, 0, 0, 1, 2 };
	size_t i;

	for (i = 0; i < 5; i++) {
		memset(&f, 0, sizeof f);
		f.meldingen = count[i];
		f.weekday[0] = count[i];
		f.uitkomst[POL_UIT_OPEN] = count[i];
		f.hour[22] = count[i];
		nodes[i].n = pol_stats_items(&f, i >= 3 ? 20 : -1, i >= 3 ? 0 : -1, nodes[i].items);
		nodes[i].parent = parent[i];
	}
	pol_stats_protect_tree(nodes, 5);
	cr_assert_str_eq(value_of(nodes[0].items, nodes[0].n, "meldingen"), "15");
	cr_assert_str_eq(value_of(nodes[2].items, nodes[2].n, "meldingen"), "<5");
	cr_assert_str_eq(value_of(nodes[1].items, nodes[1].n, "meldingen"), "x", "15 - 3 would be 12, 15 - 12 is the 3");
	cr_assert_str_eq(value_of(nodes[3].items, nodes[3].n, "meldingen"), "x", "the one wijkgroep of the hidden wijk");
	cr_assert_str_eq(value_of(nodes[1].items, nodes[1].n, "weekdag_ma"), "x", "the days add up to the wijk's total");
	cr_assert_str_eq(value_of(nodes[3].items, nodes[3].n, "uur_22"), "x");
	cr_assert_str_eq(value_of(nodes[3].items, nodes[3].n, "leden"), "20", "members are no part of a total");
}

/* The daemon's answers and the export use the protected tree: Dorp's 12
 * would give Stad's 3 back from the gemeente's 15. */
Test(stats, answers_and_export_hide_what_gives_a_small_count_back)
{
	char *json = TWO_WIJKEN, text[POL_TEXT_MAX], path[400], line[256], *csv = NULL;
	bot_store *s = open_store();
	bot_daemon d;
	bot_config cfg;
	FILE *f;
	size_t len = 0;
	int i;

	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	d.store = s;
	d.cfg = &cfg;
	d.structure = parse_json(json);
	d.pol.lang = POL_LANG_NL;
	for (i = 1; i <= 15; i++) {
		snprintf(line, sizeof line, "INSERT INTO stats_casus (nr, room_key, wijk, opened, called_112, status) "
			 "VALUES (%d, '%s', '%s', %lld, 0, 'open')", i, i <= 12 ? "wijkgroep:noord" : "wijkgroep:plein",
			 i <= 12 ? "dorp" : "stad", T0 + i * 3600);
		exec(s, line);
	}
	cr_assert_eq(bot_stats_text(&d, "gemeente", T0, T0 + 86400, text, sizeof text), BOT_STORE_OK);
	cr_assert_not_null(strstr(text, "Meldingen: 15"), "%s", text);
	cr_assert_not_null(strstr(text, "- Stad: <5"), "%s", text);
	cr_assert_null(strstr(text, "Dorp: 12"), "15 - 12 gives Stad's 3: %s", text);
	cr_assert_eq(bot_stats_text(&d, "wijk:dorp", T0, T0 + 86400, text, sizeof text), BOT_STORE_OK);
	cr_assert_null(strstr(text, "Meldingen: 12"), "asked for alone, Dorp's 12 gives Stad's 3 back: %s", text);
	cr_assert_eq(bot_stats_text(&d, "wijkgroep:noord", T0, T0 + 86400, text, sizeof text), BOT_STORE_OK);
	cr_assert_null(strstr(text, "Meldingen: 12"), "%s", text);

	/* the chart: Dorp's bar of that month is hidden too, Stad's drawn as "<5" */
	{
		bot_chart c;

		cr_assert_eq(bot_stats_chart_data(&d, "gemeente", T0, T0 + 86400, &c), 0);
		cr_assert_eq(c.n_series, 2);
		cr_assert_eq(c.months[BOT_CHART_MONTHS - 1], 202512);
		cr_assert_eq(c.counts[1][BOT_CHART_MONTHS - 1], 3);
		cr_assert_eq(c.hidden[1][BOT_CHART_MONTHS - 1], 0);
		cr_assert_eq(c.hidden[0][BOT_CHART_MONTHS - 1], 1, "Dorp's 12 would give Stad's 3 back");
	}

	/* the export: the same figures */
	snprintf(path, sizeof path, "%s/structure.json", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(json, f);
	fclose(f);
	snprintf(cfg.structure_file, sizeof cfg.structure_file, "%s", path);
	pol_structure_free(d.structure);
	d.structure = NULL;
	f = open_memstream(&csv, &len);
	cr_assert_eq(bot_stats_export(&d, "2025-12-01", "2025-12-01", "csv", f), 0);
	fclose(f);
	cr_assert_not_null(strstr(csv, "\"\",\"\",meldingen,15\n"), "%s", csv);
	cr_assert_not_null(strstr(csv, "\"stad\",\"\",meldingen,<5\n"), "%s", csv);
	cr_assert_not_null(strstr(csv, "\"dorp\",\"\",meldingen,x\n"), "%s", csv);
	cr_assert_not_null(strstr(csv, "\"dorp\",\"noord\",meldingen,x\n"), "%s", csv);
	free(csv);
	pol_structure_free(d.structure);
	free(d.user_id);
	close_store(s);
	free(json);
}

/* A later migration that rebuilds casussen (new table, copy, drop, rename,
 * as migrations here do) drops the triggers on it: the statistics must
 * not go blind from then on. */
Test(stats, rows_are_kept_after_a_migration_rebuilds_casussen)
{
	bot_store *s = open_store();
	bot_daemon d;
	bot_stats_set set;

	memset(&d, 0, sizeof d);
	d.store = s;
	bot_store_set_now(s, T0 * 1000);
	exec(s, "INSERT INTO structure_rooms (key, room_id, created_at) VALUES ('wijkgroep:noord', '!n:x', 0)");
	exec(s, "CREATE TABLE casussen_new AS SELECT * FROM casussen");
	exec(s, "DROP TABLE casussen");
	exec(s, "ALTER TABLE casussen_new RENAME TO casussen");
	exec(s, "INSERT INTO casussen (nr, origin_room, origin_event, opened, status, reminded) "
		"VALUES (1, '!n:x', '$m1', 1000, 'open', 0)");
	exec(s, "INSERT INTO forwards (source_event, target_room, nr, txn, approver, at) VALUES "
		"('$m1', '!r:x', 1, 't1', '@s:x', 1300)");
	exec(s, "UPDATE casussen SET status = 'closed', uitkomst = 'aanhouding', closed = 4000 WHERE nr = 1");
	exec(s, "INSERT INTO casussen (nr, origin_room, origin_event, opened, status, reminded) "
		"VALUES (2, '!n:x', '$m2', 2000, 'open', 0)");
	cr_assert_eq(bot_stats_sync(&d), BOT_STORE_OK);
	cr_assert_eq(bot_stats_load(s, NULL, 0, T0, &set), BOT_STORE_OK);
	cr_assert_eq(set.n, 2, "a casus opened after the rebuild is counted");
	cr_assert_eq(set.rows[0].uitkomst, POL_UIT_AANHOUDING, "and its afloop");
	cr_assert_eq(set.rows[0].closed, 4000);
	cr_assert_eq(set.rows[0].first_approval, 1300);
	bot_stats_set_free(&set);
	/* and the triggers are back: no sync needed for the next one */
	exec(s, "INSERT INTO casussen (nr, origin_room, origin_event, opened, status, reminded) "
		"VALUES (3, '!n:x', '$m3', 3000, 'open', 0)");
	cr_assert_eq(bot_stats_load(s, NULL, 0, T0, &set), BOT_STORE_OK);
	cr_assert_eq(set.n, 3);
	bot_stats_set_free(&set);
	close_store(s);
}

/* Dates that do not exist are refused, not carried over into the next month. */
Test(stats, dates_that_do_not_exist_are_refused)
{
	pol_stats_period p;
	int y, m, d;

	cr_assert_neq(pol_stats_date_parse("2026-02-30", &y, &m, &d), 0);
	cr_assert_neq(pol_stats_date_parse("2026-04-31", &y, &m, &d), 0);
	cr_assert_neq(pol_stats_date_parse("2025-02-29", &y, &m, &d), 0);
	cr_assert_eq(pol_stats_date_parse("2024-02-29", &y, &m, &d), 0);
	cr_assert_eq(pol_stats_date_parse("2000-02-29", &y, &m, &d), 0);
	cr_assert_neq(pol_stats_date_parse("2100-02-29", &y, &m, &d), 0);
	cr_assert_eq(pol_stats_date_parse("2026-12-31", &y, &m, &d), 0);
	cr_assert_neq(pol_stats_period_parse("2026-01-01..2026-02-31", &p), 0);
	cr_assert_neq(pol_stats_period_parse("0d", &p), 0);
	cr_assert_neq(pol_stats_period_parse("-5d", &p), 0);
	cr_assert_neq(pol_stats_period_parse("2026-1", &p), 0);
	cr_assert_neq(pol_stats_period_parse("2026-01-01..", &p), 0);
	cr_assert_neq(pol_stats_period_parse("..2026-01-01", &p), 0);
	/* the export: refused before anything is read */
	{
		bot_daemon dd;
		FILE *devnull = fopen("/dev/null", "w");

		memset(&dd, 0, sizeof dd);
		cr_assert_eq(bot_stats_export(&dd, "2026-02-01", "2026-01-31", "csv", devnull), 2, "--to before --from");
		cr_assert_eq(bot_stats_export(&dd, "2026-02-01", "2026-02-30", "csv", devnull), 2);
		cr_assert_eq(bot_stats_export(&dd, NULL, "2026-02-03", "csv", devnull), 2, "no --from");
		cr_assert_eq(bot_stats_export(&dd, "2026-02-01", "2026-02-03", "xml", devnull), 2);
		fclose(devnull);
	}
}

/* ---- a chart while the homeserver is away ---- */

static int uploads, hs_up;

static int media_hs(void *ctx, const mx_http_request *req, mx_http_response *out, mx_error *err)
{
	uploads++;
	if (!hs_up)
		return mx_error_set(err, MX_ERR_NETWORK, "connection refused");
	out->status = 200;
	out->body = strdup("{\"content_uri\":\"mxc://hs/chart\"}");
	out->body_len = strlen(out->body);
	out->retry_after_ms = -1;
	return MX_OK;
}

static void no_free(void *ctx)
{
}

static long count_rows(bot_store *s, const char *sql)
{
	char *v = NULL;
	long n;

	cr_assert_eq(bot_store_select_text(s, &v, "test", sql, 0), BOT_STORE_OK);
	n = v ? strtol(v, NULL, 10) : -1;
	free(v);
	return n;
}

/* Down for longer than an hour: the chart waits and goes out once. */
Test(stats, a_chart_waits_for_the_homeserver_and_goes_out_once)
{
	char *json = TWO_WIJKEN;
	bot_store *s = open_store();
	bot_daemon d;
	bot_config cfg;
	mx_client_options o;
	mx_transport *t = calloc(1, sizeof *t);   /* the client frees it */
	mx_error e;

	cr_assert_not_null(t);
	t->perform = media_hs;
	t->destroy = no_free;

	memset(&d, 0, sizeof d);
	memset(&cfg, 0, sizeof cfg);
	memset(&o, 0, sizeof o);
	o.homeserver_url = "http://hs.example";
	o.transport = t;
	cr_assert_eq(mx_client_new(&d.client, &o, &e), MX_OK, "%s", e.message);
	mx_client_set_token(d.client, "token");
	d.store = s;
	d.cfg = &cfg;
	d.structure = parse_json(json);
	d.now = T0 + 2 * 3600;
	bot_store_set_now(s, d.now * 1000);
	cr_assert_eq(bot_stats_chart_queue(&d, "txn-chart", "!regie:x", NULL, "gemeente", T0 - 86400, T0), BOT_STORE_OK);
	bot_stats_housekeeping(&d);
	cr_assert_gt(uploads, 0);
	cr_assert_eq(count_rows(s, "SELECT count(*) FROM stats_charts"), 1);
	/* two hours later, still down: kept, not dropped */
	d.now += 2 * 3600;
	bot_store_set_now(s, d.now * 1000);
	bot_stats_housekeeping(&d);
	cr_assert_eq(count_rows(s, "SELECT count(*) FROM stats_charts"), 1, "the chart was dropped after an hour");
	hs_up = 1;
	d.now += 60;
	bot_store_set_now(s, d.now * 1000);
	bot_stats_housekeeping(&d);
	d.now += 60;
	bot_store_set_now(s, d.now * 1000);
	bot_stats_housekeeping(&d);
	cr_assert_eq(count_rows(s, "SELECT count(*) FROM stats_charts"), 0);
	cr_assert_eq(count_rows(s, "SELECT count(*) FROM outbox WHERE txn_id = 'txn-chart'"), 1, "posted once");
	mx_client_free(d.client);
	pol_structure_free(d.structure);
	close_store(s);
	free(json);
}

/* Shares are counts too: the wijk's 10 forwarded minus wijkgroep A's 6
 * (40% of 15) gives B's 4, which B's own "-" hides. */
Test(stats, shares_do_not_give_a_small_count_back_either)
{
	pol_stats_node nodes[4];
	pol_stats_figures f;
	long meld[4] = { 20, 20, 15, 5 }, fwd[4] = { 10, 10, 6, 4 };
	int parent[4] = { -1, 0, 1, 1 };
	size_t i;

	for (i = 0; i < 4; i++) {
		memset(&f, 0, sizeof f);
		f.meldingen = meld[i];
		f.forwarded = fwd[i];
		f.weekday[0] = meld[i];
		nodes[i].n = pol_stats_items(&f, -1, -1, nodes[i].items);
		nodes[i].parent = parent[i];
	}
	cr_assert_str_eq(value_of(nodes[2].items, nodes[2].n, "pct_doorgestuurd"), "40%");
	cr_assert_str_eq(value_of(nodes[3].items, nodes[3].n, "pct_doorgestuurd"), "-");
	pol_stats_protect_tree(nodes, 4);
	cr_assert_str_eq(value_of(nodes[1].items, nodes[1].n, "pct_doorgestuurd"), "50%");
	cr_assert_str_eq(value_of(nodes[2].items, nodes[2].n, "pct_doorgestuurd"), "-", "50%% of 20 - 40%% of 15 = 4");
}
