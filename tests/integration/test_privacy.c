/* Integration tests of privacy (issue 11) against the real Synapse, with
 * an independent encrypted client: a resident signs up with a distinctive
 * name and phone number, is listed by !aanmeldingen to a stuurgroep member
 * who joined after the application was posted, is admitted and asks to be
 * forgotten; then the application notice (and every other bot message that
 * named them) is redacted in the rooms, and no table or column of the
 * bot's store, nor the store file itself, holds the name or the number.
 * And the access token: sealed with the pickle key in the store, a plain
 * one of an older store sealed on start, a wrong pickle key stops. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "itest.h"
#include "resident.h"
#include "sthelp.h"

#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Klein\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"wijkgroepen\":[{\"id\":\"noord\",\"naam\":\"Wijkgroep Noord\",\"buurten\":[{\"naam\":\"Noord\",\"postcodes\":[\"1234\"]}]}," \
	"{\"id\":\"zuid\",\"naam\":\"Wijkgroep Zuid\",\"buurten\":[{\"naam\":\"Zuid\",\"postcodes\":[\"1235\"]}]}]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"noord\",\"zuid\"]}]}]}"

/* What the resident gives, and what to look for: the phone number's
 * digits match both as typed and as the bot keeps it (0698765432). */
#define NAME "Zwaantje Kwikstaart"
#define PHONE "06 98765432"
static const char *const needles[] = { "Kwikstaart", "Zwaantje", "98765432" };
#define N_NEEDLES (sizeof needles / sizeof needles[0])

/* ---- the store, read-only, every table and column ---- */

typedef struct scan {
	int tables, columns, hits;
	char where[2000];
} scan;

/* Counts cells of every column of every table (from sqlite_master, so a
 * table added later is covered too) that contain one of the n needles,
 * whatever the column's type. Nothing is skipped: the crypto tables hold
 * pickles, encrypted with the pickle key, and are searched like the rest. */
static void scan_store(const itest_bot *b, const char *const *needle, size_t n_needles, scan *out)
{
	char path[400];
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL;

	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "%s/data/buurtbot.db", b->dir);
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
					&tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char *table = strdup((const char *)sqlite3_column_text(tables, 0)), *sql;
		sqlite3_stmt *cols = NULL;

		out->tables++;
		sql = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q)", table);
		cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &cols, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
		sqlite3_free(sql);
		while (sqlite3_step(cols) == SQLITE_ROW) {
			const char *col = (const char *)sqlite3_column_text(cols, 0);
			size_t i;

			out->columns++;
			for (i = 0; i < n_needles; i++) {
				sqlite3_stmt *st = NULL;
				int n;

				sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\" WHERE instr(lower(CAST(\"%w\" AS TEXT)), lower(?1)) > 0",
						      table, col);
				cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
				sqlite3_free(sql);
				sqlite3_bind_text(st, 1, needle[i], -1, SQLITE_STATIC);
				cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
				n = sqlite3_column_int(st, 0);
				sqlite3_finalize(st);
				if (n) {
					size_t len = strlen(out->where);

					out->hits += n;
					snprintf(out->where + len, sizeof out->where - len, " %s.%s(%s)x%d", table, col,
						 needle[i], n);
				}
			}
		}
		sqlite3_finalize(cols);
		free(table);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
}

static int contains(const char *buf, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(buf + i, needle, k) == 0)
			return 1;
	return 0;
}

/* How many of the needles are in the bytes of a file (0 when it is absent). */
static int file_hits(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	int hits = 0;
	size_t i;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	for (i = 0; i < N_NEEDLES; i++)
		if (contains(buf, (size_t)n, needles[i]))
			hits++;
	free(buf);
	return hits;
}

/* ---- rooms ---- */

/* Whether the homeserver serves event as redacted (to u), waited for. */
static int wait_redacted(itest_user *u, const char *room, const char *event, long timeout_ms)
{
	char path[800], *er = mx_escape(room), *ee = mx_escape(event);
	long end = itest_now_ms() + timeout_ms;
	int redacted = 0;

	snprintf(path, sizeof path, "/_matrix/client/v3/rooms/%s/event/%s", er, ee);
	free(er);
	free(ee);
	do {
		cJSON *out = NULL;

		if (mx_request(u->c, "GET", path, NULL, 10000, &out) == MX_OK) {
			const cJSON *uns = cJSON_GetObjectItem(out, "unsigned");
			const cJSON *content = cJSON_GetObjectItem(out, "content");

			redacted = cJSON_IsObject(cJSON_GetObjectItem(uns, "redacted_because")) &&
				   cJSON_GetArraySize(content) == 0;
		}
		cJSON_Delete(out);
		if (!redacted)
			itest_sleep_ms(1000);
	} while (!redacted && itest_now_ms() < end);
	return redacted;
}

/* After the event marker in room, as r reads it (sthelp_count_between):
 * how many messages by sender can still be read with a needle in them,
 * and how many are redacted. */
static void count_after(resident *r, const char *room, const char *marker, const char *sender, int *visible,
			int *redacted)
{
	cJSON *events = NULL;
	const cJSON *ev;

	*visible = *redacted = 0;
	sthelp_count_between(r, room, marker, NULL, sender, NULL, &events);
	cJSON_ArrayForEach(ev, events) {
		const cJSON *body = cJSON_GetObjectItem(ev, "body");
		size_t i;

		if (cJSON_IsTrue(cJSON_GetObjectItem(ev, "redacted")))
			(*redacted)++;
		for (i = 0; cJSON_IsString(body) && i < N_NEEDLES; i++)
			if (strstr(body->valuestring, needles[i])) {
				(*visible)++;
				break;
			}
	}
	cJSON_Delete(events);
}

Test(privacy, forgotten_means_gone_from_the_rooms_and_the_store, .timeout = 600)
{
	itest_user anna, bram, carla;
	itest_bot bot;
	resident ra, rb, r;
	char file[400], *sg, *dm, *noord, *marker, *dm_marker, *notice, *answer, *body, path[400];
	int visible, redacted;
	scan sc;

	sthelp_example_user(&anna, "anna.stuur");
	sthelp_example_user(&bram, "bram.stuur");
	sthelp_example_user(&carla, "carla.stuur");
	itest_bot_setup(&bot, anna.user_id, NULL);
	sthelp_start_with_structure(&bot, STRUCTURE, file, sizeof file);
	sg = sthelp_room_of(&bot, "stuurgroep:stuur");
	noord = sthelp_room_of(&bot, "wijkgroep:noord");
	resident_existing(&ra, &anna);
	sthelp_join(&ra, sg);
	marker = sthelp_marker(&ra, sg);

	/* A resident signs up, phone number included. */
	resident_new(&r, "privacy");
	dm = sthelp_open_dm(&r, &bot);
	dm_marker = sthelp_marker(&r, dm);
	sthelp_expect(sthelp_ask(&r, &bot, dm, "hallo"), "Wat is je naam?");
	sthelp_expect(sthelp_ask(&r, &bot, dm, NAME), "postcode");
	sthelp_expect(sthelp_ask(&r, &bot, dm, "1234 AB"), "Dat is buurt Noord");
	sthelp_expect(sthelp_ask(&r, &bot, dm, PHONE), "18 jaar");
	sthelp_expect(sthelp_ask(&r, &bot, dm, "ja"), "akkoord");
	sthelp_expect(sthelp_ask(&r, &bot, dm, "akkoord"), "ligt nu bij de stuurgroep");
	notice = sthelp_wait_event(&ra, sg, bot.account.user_id, "Nieuwe aanmelding 1", 60000);
	cr_assert_not_null(notice, "the stuurgroep never saw the application");
	body = sthelp_wait_message(&ra, sg, bot.account.user_id, "Nieuwe aanmelding 1", 5000);
	cr_assert_not_null(strstr(body, NAME), "%s", body);
	cr_assert_not_null(strstr(body, "0698765432"), "%s", body);
	free(body);

	/* Bram joins the stuurgroep room only now: the notice is before his
	 * time there, !aanmeldingen shows him the application. */
	resident_existing(&rb, &bram);
	sthelp_join(&rb, sg);
	answer = resident_send(&rb, sg, "!aanmeldingen");
	body = bot_reply(&rb, &bot, sg, answer);
	cr_assert_not_null(strstr(body, "Open aanmeldingen van Stuurgroep Dorp (1):"), "%s", body);
	cr_assert_not_null(strstr(body, "1. " NAME ", buurt Noord (Wijkgroep Noord), sinds "), "%s", body);
	cr_assert_null(strstr(body, "98765432"), "the list shows no phone numbers: %s", body);
	free(body);
	free(answer);
	/* Not for the resident, nor in a direct chat. */
	sthelp_expect(sthelp_ask(&r, &bot, dm, "!aanmeldingen"), "lid van de stuurgroep");

	sthelp_expect(sthelp_ask(&ra, &bot, sg, "!toelaten 1"), "uitgenodigd in Wijkgroep Noord");
	cr_assert(itest_wait_membership(&bot.account, noord, r.u.user_id, "invite", 30000), "not invited");
	sthelp_expect(sthelp_ask(&r, &bot, dm, "!mijngegevens"), NAME);
	/* With nothing open, the list says so. */
	sthelp_expect(sthelp_ask(&ra, &bot, sg, "!aanmeldingen"), "Er zijn geen open aanmeldingen voor Stuurgroep Dorp.");

	/* The scan finds them while they are a resident: it can fail. */
	scan_store(&bot, needles, N_NEEDLES, &sc);
	cr_assert_gt(sc.hits, 0, "the store scan found nothing before !vergeetmij");
	cr_assert_gt(sc.tables, 15);

	sthelp_expect(sthelp_ask(&r, &bot, dm, "!vergeetmij ja"), "gewist");
	cr_assert(itest_wait_membership(&bot.account, noord, r.u.user_id, "leave", 30000), "still invited");
	cr_assert(wait_redacted(&anna, sg, notice, 60000), "the application notice was not redacted");
	/* The notice, Bram's list and the answer to !mijngegevens. */
	body = itest_wait_log_line(&bot, "3 message(s) naming them are taken back", 1, 5000);
	cr_assert_not_null(body, "the bot did not take back the three messages that named the resident");
	free(body);

	/* In the stuurgroep room after the marker: nothing readable names them;
	 * the notice and the !aanmeldingen answer are redacted. */
	itest_sleep_ms(3000);
	count_after(&ra, sg, marker, bot.account.user_id, &visible, &redacted);
	cr_assert_eq(visible, 0, "%d bot message(s) in the stuurgroep room still name the resident", visible);
	cr_assert_geq(redacted, 2, "only %d redacted bot message(s) in the stuurgroep room", redacted);
	/* Their own chat: the bot's answer to !mijngegevens is gone too. */
	count_after(&r, dm, dm_marker, bot.account.user_id, &visible, &redacted);
	cr_assert_eq(visible, 0, "%d bot message(s) in the resident's chat still name them", visible);
	cr_assert_geq(redacted, 1);

	/* The store: no table, no column. */
	scan_store(&bot, needles, N_NEEDLES, &sc);
	cr_assert_eq(sc.hits, 0, "the store still holds the name or number in:%s", sc.where);
	cr_assert_gt(sc.columns, 60);

	/* The file itself, once the bot stopped (WAL checkpointed): deleted
	 * rows are overwritten, not left in free pages. */
	cr_assert_eq(itest_bot_stop(&bot), 0);
	snprintf(path, sizeof path, "%s/data/buurtbot.db", bot.dir);
	cr_assert_eq(file_hits(path), 0, "the store file still holds the name or number (free pages?)");
	snprintf(path, sizeof path, "%s/data/buurtbot.db-wal", bot.dir);
	cr_assert_eq(file_hits(path), 0, "the store's WAL still holds the name or number");

	free(marker);
	free(dm_marker);
	free(notice);
	free(dm);
	free(sg);
	free(noord);
	sthelp_resident_done(&r);
	sthelp_resident_done(&ra);
	sthelp_resident_done(&rb);
	itest_bot_cleanup(&bot);
	itest_user_free(&anna);
	itest_user_free(&bram);
	itest_user_free(&carla);
}

/* ---- the access token ---- */

static void write_secret(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fprintf(f, "%s\n", text);
	fclose(f);
	chmod(path, 0600);
}

Test(privacy, the_access_token_is_sealed_with_the_pickle_key, .timeout = 300)
{
	itest_bot bot;
	char path[400], *line, *v;
	const char *token[1];
	sqlite3 *db = NULL;
	scan sc;
	FILE *f;

	/* The bot starts from a token the test knows (its account's own), so
	 * that the store can be searched for it. */
	itest_bot_setup(&bot, NULL, NULL);
	token[0] = bot.account.token;
	snprintf(path, sizeof path, "%s/token", bot.dir);
	write_secret(path, bot.account.token);
	f = fopen(bot.conf, "a");
	cr_assert_not_null(f);
	fprintf(f, "access_token_file = %s\n", path);
	fclose(f);
	itest_bot_start(&bot);
	line = itest_wait_log_line(&bot, "resumed session", 1, 60000);
	cr_assert_not_null(line, "the bot did not start from the configured token");
	free(line);
	free(itest_wait_log_line(&bot, "encryption ready", 1, 60000));
	v = itest_bot_stored_token(&bot, 0);
	cr_assert_eq(strncmp(v, "sealed1:", 8), 0, "%.20s...", v);
	cr_assert_null(strstr(v, bot.account.token), "the token is in the store in plain text");
	free(v);
	scan_store(&bot, token, 1, &sc);
	cr_assert_eq(sc.hits, 0, "the token is in the store in plain text:%s", sc.where);
	cr_assert_eq(itest_bot_stop(&bot), 0);

	/* A store of an older buurtbot kept it in plain text: it is sealed on
	 * start, and still used (the configured one is made useless, so a
	 * password login would show). */
	snprintf(path, sizeof path, "%s/data/buurtbot.db", bot.dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	{
		char *sql = sqlite3_mprintf("UPDATE kv SET value = %Q WHERE key = 'access_token'", bot.account.token);

		cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_free(sql);
	}
	sqlite3_close(db);
	snprintf(path, sizeof path, "%s/token", bot.dir);
	write_secret(path, "syt_ongeldig");
	itest_bot_start(&bot);
	line = itest_wait_log_line(&bot, "sealing it with the pickle key", 1, 60000);
	cr_assert_not_null(line, "the plain token was not sealed");
	free(line);
	line = itest_wait_log_line(&bot, "resumed session", 2, 60000);
	cr_assert_not_null(line, "the plain token of the older store was lost");
	free(line);
	cr_assert_eq(itest_log_count(&bot, "logged in as"), 0, "the bot logged in anew");
	v = itest_bot_stored_token(&bot, 0);
	cr_assert_eq(strncmp(v, "sealed1:", 8), 0);
	cr_assert_null(strstr(v, bot.account.token));
	free(v);
	cr_assert_eq(itest_bot_stop(&bot), 0);

	/* A wrong pickle key stops start-up, saying so. */
	snprintf(path, sizeof path, "%s/pickle-key", bot.dir);
	write_secret(path, "een-andere-sleutel");
	itest_bot_start(&bot);
	line = itest_wait_log_line(&bot, "pickle key does not open the access token", 1, 30000);
	cr_assert_not_null(line, "no clear message about the pickle key");
	free(line);
	{
		long end = itest_now_ms() + 15000;

		while (itest_bot_alive(&bot) && itest_now_ms() < end)
			itest_sleep_ms(100);
	}
	cr_assert_not(itest_bot_alive(&bot), "the bot runs with a wrong pickle key");
	cr_assert_eq(itest_log_count(&bot, "logged in as"), 0, "a wrong key must not mean a new login");
	itest_bot_cleanup(&bot);
}
