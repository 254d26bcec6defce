/* bench_scale: a 60-wijkgroep gemeente (6 wijken of 10 wijkgroepen, 28
 * stuurgroepen, a regiegroep per wijk, the gemeentelijke regiegroep and
 * the Spaces: 102 rooms) built by the bot from nothing, then started again
 * with nothing to do; the bot's private memory after the build, after some
 * traffic (meldingen and their approvals) and after the no-op start; how
 * far the build's requests overlapped, from Synapse's own request log.
 * Prints figures and targets; never fails on a figure. */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../integration/itest.h"
#include "bench_util.h"
#include "../integration/sthelp.h"
#include "matrix/mx_async.h"
#include "policy/pol_structure.h"

#define WIJKEN 6
#define WIJKGROEPEN 10          /* per wijk */
#define LEDEN 3                 /* per stuurgroep */
#define PASSWORD "schaal-wachtwoord"
#define REGISTER_AT_ONCE 8
#define MAX_PEOPLE 256
#define MEM_TARGET_KB 5120

/* Stuurgroepen per wijk and how many wijkgroepen each manages: wijken 0
 * to 3 five of two, wijken 4 and 5 four (3, 3, 2, 2). */
static int n_stuurgroepen(int w)
{
	return w < 4 ? 5 : 4;
}

static int managed(int w, int s)
{
	return w < 4 || s >= 2 ? 2 : 3;
}

static void person(char *out, size_t size, int w, int s, int k)
{
	snprintf(out, size, "@schaal.w%d.s%d.lid%d:localhost", w, s, k);
}

static void add_stuurgroepen(cJSON *wijk, int w)
{
	cJSON *sgs = cJSON_AddArrayToObject(wijk, "stuurgroepen");
	int s, k, g = 0;

	for (s = 0; s < n_stuurgroepen(w); s++) {
		cJSON *sg = cJSON_CreateObject(), *leden = cJSON_AddArrayToObject(sg, "leden");
		cJSON *beheert = cJSON_AddArrayToObject(sg, "beheert");
		char id[64], naam[96], user[96];
		int m;

		snprintf(id, sizeof id, "stuur-w%d-s%d", w, s);
		snprintf(naam, sizeof naam, "Stuurgroep %d.%d", w + 1, s + 1);
		cJSON_AddStringToObject(sg, "id", id);
		cJSON_AddStringToObject(sg, "naam", naam);
		for (k = 0; k < LEDEN; k++) {
			person(user, sizeof user, w, s, k);
			cJSON_AddItemToArray(leden, cJSON_CreateString(user));
		}
		person(user, sizeof user, w, s, 0);
		cJSON_AddStringToObject(sg, "telefoonbeheerder", user);
		for (m = 0; m < managed(w, s); m++, g++) {
			snprintf(id, sizeof id, "w%d-g%d", w, g);
			cJSON_AddItemToArray(beheert, cJSON_CreateString(id));
		}
		cJSON_AddItemToArray(sgs, sg);
	}
}

/* The structure file, as JSON text (caller frees). */
static char *gemeente_json(const char *operator_id)
{
	cJSON *root = cJSON_CreateObject(), *wijken, *ops, *regie, *afg;
	char id[64], naam[96], pc[16], user[96];
	char *text;
	int w, g;

	cJSON_AddNumberToObject(root, "versie", 1);
	cJSON_AddStringToObject(root, "gemeente", "Schaalstad");
	ops = cJSON_AddArrayToObject(root, "operators");
	cJSON_AddItemToArray(ops, cJSON_CreateString(operator_id));
	wijken = cJSON_AddArrayToObject(root, "wijken");
	for (w = 0; w < WIJKEN; w++) {
		cJSON *wijk = cJSON_CreateObject(), *groepen;

		snprintf(id, sizeof id, "w%d", w);
		snprintf(naam, sizeof naam, "Wijk %d", w + 1);
		cJSON_AddStringToObject(wijk, "id", id);
		cJSON_AddStringToObject(wijk, "naam", naam);
		cJSON_AddBoolToObject(wijk, "regiegroep", 1);
		groepen = cJSON_AddArrayToObject(wijk, "wijkgroepen");
		for (g = 0; g < WIJKGROEPEN; g++) {
			cJSON *wg = cJSON_CreateObject(), *buurten;

			snprintf(id, sizeof id, "w%d-g%d", w, g);
			snprintf(naam, sizeof naam, "Wijkgroep %d.%d", w + 1, g + 1);
			snprintf(pc, sizeof pc, "%d", 7000 + w * 100 + g);
			cJSON_AddStringToObject(wg, "id", id);
			cJSON_AddStringToObject(wg, "naam", naam);
			buurten = cJSON_AddArrayToObject(wg, "buurten");
			cJSON_AddItemToArray(buurten, cJSON_CreateString(pc));
			cJSON_AddItemToArray(groepen, wg);
		}
		add_stuurgroepen(wijk, w);
		cJSON_AddItemToArray(wijken, wijk);
	}
	regie = cJSON_AddObjectToObject(root, "gemeentelijke_regiegroep");
	cJSON_AddStringToObject(regie, "naam", "Gemeentelijke regiegroep Schaalstad");
	afg = cJSON_AddArrayToObject(regie, "afgevaardigden");
	for (w = 0; w < WIJKEN; w++) {
		person(user, sizeof user, w, 0, 0);
		cJSON_AddItemToArray(afg, cJSON_CreateString(user));
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	return text;
}

/* ------------------------------------------------------------------ */
/* accounts: Synapse's shared-secret registration, several at a time */

typedef struct reg {
	char names[MAX_PEOPLE][96];   /* localparts */
	int n;
	char secret[128];
	int done, failed;
} reg;

static void add_person(reg *g, const char *user_id)
{
	int i, len = (int)strcspn(user_id + 1, ":");

	for (i = 0; i < g->n; i++)
		if ((int)strlen(g->names[i]) == len && strncmp(g->names[i], user_id + 1, (size_t)len) == 0)
			return;
	if (g->n < MAX_PEOPLE)
		snprintf(g->names[g->n++], sizeof g->names[0], "%.*s", len, user_id + 1);
}

/* Everyone the structure puts in a room, but the operator. */
static void collect_people(reg *g, const char *json, const char *operator_id, size_t *rooms, size_t *memberships)
{
	pol_structure *s = NULL;
	pol_problems p;
	size_t i, k;

	pol_problems_init(&p);
	cr_assert_eq(pol_structure_parse(&s, json, strlen(json), &p), 0, "the generated structure does not parse: %s",
		     p.n ? p.items[0].message : "?");
	pol_problems_free(&p);
	*rooms = pol_structure_n_rooms(s);
	*memberships = 0;
	for (i = 0; i < *rooms; i++) {
		const pol_room *r = pol_structure_room(s, i);

		for (k = 0; k < r->n_members; k++) {
			(*memberships)++;
			if (strcmp(r->members[k].user_id, operator_id) != 0)
				add_person(g, r->members[k].user_id);
		}
	}
	pol_structure_free(s);
}

static void read_secret(reg *g)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof path, "%s/shared_secret", itest_env("BUURTBOT_HS_DIR"));
	f = fopen(path, "r");
	cr_assert_not_null(f, "no %s", path);
	cr_assert_not_null(fgets(g->secret, sizeof g->secret, f));
	fclose(f);
	g->secret[strcspn(g->secret, "\r\n")] = '\0';
}

static int start_register(mx_async *a, reg *g, int i, const char *nonce)
{
	unsigned char mac[EVP_MAX_MD_SIZE], msg[400];
	unsigned int maclen = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	cJSON *body = cJSON_CreateObject();
	mx_error err;
	int n, k, rc;

	n = snprintf((char *)msg, sizeof msg, "%s%c%s%c%s%cnotadmin", nonce, 0, g->names[i], 0, PASSWORD, 0);
	HMAC(EVP_sha1(), g->secret, (int)strlen(g->secret), msg, (size_t)n, mac, &maclen);
	for (k = 0; k < (int)maclen; k++)
		snprintf(hex + 2 * k, 3, "%02x", mac[k]);
	cJSON_AddStringToObject(body, "nonce", nonce);
	cJSON_AddStringToObject(body, "username", g->names[i]);
	cJSON_AddStringToObject(body, "password", PASSWORD);
	cJSON_AddBoolToObject(body, "admin", 0);
	cJSON_AddStringToObject(body, "mac", hex);
	rc = mx_async_start(a, "POST", "/_synapse/admin/v1/register", body, 0, (uintptr_t)(2 * i + 1), &err);
	cJSON_Delete(body);
	return rc;
}

/* Registers every collected person (an existing one counts as done):
 * a nonce, then the registration, REGISTER_AT_ONCE people at a time. */
static void register_all(reg *g)
{
	mx_client *c = itest_user_client(&(itest_user){ .token = "" });
	mx_async *a = NULL;
	mx_error err;
	int next = 0;

	mx_client_set_token(c, NULL);
	read_secret(g);
	cr_assert_eq(mx_async_new(&a, c, REGISTER_AT_ONCE, &err), MX_OK);
	while (g->done + g->failed < g->n) {
		uintptr_t tag;
		cJSON *resp;
		int status;

		while (next < g->n && mx_async_pending(a) < REGISTER_AT_ONCE)
			cr_assert_eq(mx_async_start(a, "GET", "/_synapse/admin/v1/register", NULL, 0,
						    (uintptr_t)(2 * next++), &err), MX_OK);
		cr_assert_eq(mx_async_wait(a, 1000), MX_OK);
		while (resp = NULL, mx_async_next(a, &tag, &status, &resp, &err)) {
			const cJSON *nonce = cJSON_GetObjectItem(resp, "nonce");
			int i = (int)(tag / 2);

			if (tag % 2 == 0 && status == MX_OK && cJSON_IsString(nonce))
				cr_assert_eq(start_register(a, g, i, nonce->valuestring), MX_OK);
			else if (tag % 2 == 1 && (status == MX_OK || strcmp(err.errcode, "M_USER_IN_USE") == 0))
				g->done++;
			else
				g->failed++;
			cJSON_Delete(resp);
		}
	}
	mx_async_free(a);
	mx_client_free(c);
}

/* ------------------------------------------------------------------ */
/* figures */

/* Where the private memory is, from /proc/PID/smaps: the malloc heap,
 * anonymous mappings (large allocations, thread stacks, libraries' own
 * pools), and the rest (libraries' data, the stack). */
static void memory_parts(pid_t pid)
{
	char path[64], line[512];
	long heap = 0, anon = 0, other = 0, *cur = &other, kb;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8], name[300] = "";

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %299s", &lo, &hi, perms, name) >= 3) {
			cur = strcmp(name, "[heap]") == 0 ? &heap : name[0] == '\0' ? &anon : &other;
			continue;
		}
		if (strncmp(line, "Private_Dirty:", 14) == 0 && (kb = strtol(line + 14, NULL, 10)) > 0)
			*cur += kb;
	}
	fclose(f);
	printf("           of which the malloc heap %ld kB, anonymous mappings %ld kB, the rest %ld kB\n", heap, anon,
	       other);
}

static long memory(const itest_bot *b, const char *when)
{
	long priv = proc_kb(b->pid, "smaps_rollup", "Private_Dirty");

	printf("  memory %-22s Private_Dirty %5ld kB (%.2f MB; target < 5 MB: %s), RSS %ld kB, peak RSS %ld kB\n",
	       when, priv, priv / 1024.0, priv >= 0 && priv < MEM_TARGET_KB ? "met" : "NOT met",
	       proc_kb(b->pid, "status", "VmRSS"), proc_kb(b->pid, "status", "VmHWM"));
	memory_parts(b->pid);
	fflush(stdout);
	return priv;
}

/* "...T19:30:01.123Z" (the bot) or "... 19:30:01,123" (Synapse) at the
 * start of line: milliseconds of the day, or -1. */
static long ms_of_day(const char *line)
{
	int h, m, s, ms;
	const char *t = line + 11;

	if (strlen(line) < 23 || sscanf(t, "%2d:%2d:%2d%*c%3d", &h, &m, &s, &ms) != 4)
		return -1;
	return ((h * 60L + m) * 60L + s) * 1000L + ms;
}

#define MAX_REQ 4096

/* How the bot's requests to Synapse overlapped between from and to (ms of
 * the day), from Synapse's request log: each line is written when the
 * request ends and says how long it took. Returns how many were in flight
 * on average over the whole time. */
static double overlap(const char *bot_id, long from, long to)
{
	static long start[MAX_REQ], end[MAX_REQ];
	char path[400], line[2048], who[300];
	long busy = 0, sum = 0, t;
	int n = 0, i, most = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/homeserver.log", itest_env("BUURTBOT_HS_DIR"));
	snprintf(who, sizeof who, "{%s}", bot_id);
	f = fopen(path, "r");
	if (!f) {
		printf("  overlap: no %s\n", path);
		return 0.0;
	}
	while (fgets(line, sizeof line, f) && n < MAX_REQ) {
		const char *p = strstr(line, "Processed request: ");
		long e = ms_of_day(line);

		if (!p || !strstr(line, who) || e < from || e > to + 100)
			continue;
		end[n] = e;
		start[n] = e - (long)(strtod(p + 19, NULL) * 1000.0 + 0.5);
		sum += end[n] - start[n];
		n++;
	}
	fclose(f);
	/* At each millisecond of the build: how many were in flight. */
	for (t = from; t <= to && n > 0; t++) {
		int k = 0;

		for (i = 0; i < n; i++)
			k += start[i] <= t && t < end[i];
		if (k > most)
			most = k;
		busy += k > 0;
	}
	printf("  overlap of the build's %d requests (Synapse's log): at most %d in flight at once, "
	       "on average %.2f while any was (%.2f over the whole %.1f s); Synapse busy with the bot %.0f%% "
	       "of the time\n", n, most, busy ? (double)sum / (double)busy : 0.0,
	       to > from ? (double)sum / (double)(to - from) : 0.0, (to - from) / 1000.0,
	       to > from ? 100.0 * (double)busy / (double)(to - from) : 0.0);
	return to > from ? (double)sum / (double)(to - from) : 0.0;
}

/* CPU time (user and system) Synapse has used so far, in ms, or -1. */
static long synapse_cpu_ms(void)
{
	char path[400], buf[1024];
	const char *p;
	unsigned long ut = 0, st = 0;
	long pid = -1;
	FILE *f;

	snprintf(path, sizeof path, "%s/pid", itest_env("BUURTBOT_HS_DIR"));
	f = fopen(path, "r");
	if (!f || fscanf(f, "%ld", &pid) != 1)
		pid = -1;
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	f = pid > 0 ? fopen(path, "r") : NULL;
	if (!f)
		return -1;
	buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
	fclose(f);
	/* After the command's ")": state is field 3, utime 14, stime 15. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)((ut + st) * 1000UL / (unsigned long)sysconf(_SC_CLK_TCK));
}

/* /proc/loadavg's line (the machine is shared: it says how busy). */
static const char *loadavg(char *buf, size_t size)
{
	FILE *f = fopen("/proc/loadavg", "r");

	if (!f || !fgets(buf, (int)size, f))
		snprintf(buf, size, "?\n");
	if (f)
		fclose(f);
	return buf;
}

/* The bot's nth reconcile summary, waited for. */
static char *summary(const itest_bot *b, int nth)
{
	char *line = itest_wait_log_line(b, "room(s) created", nth, 900000);

	cr_assert_not_null(line, "no reconcile summary %d", nth);
	return line;
}

static void print_counts(const char *which, const char *line, long ms, size_t rooms)
{
	long reads = count_before(line, "read(s)"), writes = count_before(line, "write(s)");

	printf("  %s: %.1f s (bot start to its summary), %ld request(s): %ld read(s) (%.2f per room), "
	       "%ld write(s) (%ld room(s) created, %ld state change(s), %ld invite(s))\n", which, ms / 1000.0,
	       count_before(line, "request(s)"), reads, (double)reads / (double)rooms, writes,
	       count_before(line, "room(s) created"), count_before(line, "state change(s)"),
	       count_before(line, "invite(s)"));
}

/* The operator's !ping in a plain room with the bot, answered: the bot has
 * synced and is taking messages. */
static void ping(itest_user *op, itest_bot *bot, const char *room)
{
	char *ev = itest_send_text(op, room, "!ping");
	char *body = itest_reply_body(op, room, bot->account.user_id, ev, 120000);

	cr_assert_not_null(body, "no answer to !ping");
	free(body);
	free(ev);
}

/* A stuurgroep member reports in a wijkgroep and approves it to the
 * regiegroep, n times; returns how many were forwarded. */
static int traffic(itest_bot *bot, int n)
{
	itest_user u;
	resident r;
	char user[96], localpart[96], *rooms[3], text[200];
	int i, forwarded = 0;

	person(user, sizeof user, 0, 0, 0);
	snprintf(localpart, sizeof localpart, "%.*s", (int)strcspn(user + 1, ":"), user + 1);
	itest_user_register(&u, localpart, PASSWORD);
	resident_existing(&r, &u);
	rooms[0] = sthelp_room_of(bot, "stuurgroep:stuur-w0-s0");
	rooms[1] = sthelp_room_of(bot, "wijkgroep:w0-g0");
	rooms[2] = sthelp_room_of(bot, "regiegroep:w0");
	for (i = 0; i < 3; i++)
		sthelp_join(&r, rooms[i]);
	for (i = 0; i < n; i++) {
		char *melding, *ev, *body;

		snprintf(text, sizeof text, "Melding %d: iemand probeert bij huisnummer %d de deur te openen", i + 1,
			 10 + i);
		melding = resident_send(&r, rooms[1], text);
		body = bot_reply(&r, bot, rooms[1], melding);
		ev = sthelp_send_rel(&r, rooms[1], "!door", melding, NULL, 0);
		free(body);
		body = bot_reply(&r, bot, rooms[1], ev);
		forwarded += body && strstr(body, "Doorgezet") != NULL;
		free(body);
		free(ev);
		free(melding);
	}
	for (i = 0; i < 3; i++)
		free(rooms[i]);
	sthelp_resident_done(&r);
	itest_user_free(&u);
	return forwarded;
}

Test(bench, scale_sixty_wijkgroepen, .timeout = 1800)
{
	static reg people;
	itest_user op;
	itest_bot bot;
	char file[400], load[128], *json, *line, *plain;
	size_t rooms, memberships;
	long t0, t1, from, to, mem[3], cpu, most, build_ms, build_requests, noop_reads, noop_writes;
	double cpu_share, ov;
	int forwarded, progress;

	itest_user_new(&op, "operator");
	json = gemeente_json(op.user_id);
	collect_people(&people, json, op.user_id, &rooms, &memberships);
	t0 = itest_now_ms();
	register_all(&people);
	t1 = itest_now_ms();
	printf("\nbench_scale: a gemeente of %d wijken x %d wijkgroepen: %zu rooms, %zu memberships, %d people\n",
	       WIJKEN, WIJKGROEPEN, rooms, memberships, people.n);
	printf("  set-up: %d accounts registered (shared-secret, %d at a time) in %.1f s (%d failed)\n", people.done,
	       REGISTER_AT_ONCE, (t1 - t0) / 1000.0, people.failed);
	fflush(stdout);

	itest_bot_setup(&bot, op.user_id, "log_level = info");
	sthelp_structure_file(&bot, "schaalstad.json", json, file, sizeof file);
	cpu = synapse_cpu_ms();
	t0 = itest_now_ms();
	itest_bot_start(&bot);
	line = summary(&bot, 1);
	t1 = itest_now_ms();
	cpu = cpu >= 0 && synapse_cpu_ms() >= 0 ? synapse_cpu_ms() - cpu : -1;
	build_ms = t1 - t0;
	build_requests = count_before(line, "request(s)");
	cpu_share = t1 > t0 ? 100.0 * (double)cpu / (double)(t1 - t0) : 0.0;
	print_counts("first build", line, t1 - t0, rooms);
	printf("  Synapse's CPU time during the build: %.1f s, %.0f%% of one core (the homeserver's limit "
	       "without more workers); the machine's load average at its end: %s", cpu / 1000.0, cpu_share,
	       loadavg(load, sizeof load));
	memory(&bot, "as the build ended:");
	to = ms_of_day(line);
	free(line);
	line = itest_wait_log_line(&bot, "structure: gemeente", 1, 1000);
	from = line ? ms_of_day(line) : to;
	free(line);
	progress = itest_log_count(&bot, "rooms done (");
	line = itest_wait_log_line(&bot, "rooms done (", progress, 1000);
	printf("  progress: %d line(s) \"N of %zu rooms done\" in the log; the last: %s\n", progress, rooms,
	       line ? line : "(none)");
	free(line);
	ov = overlap(bot.account.user_id, from, to);

	plain = itest_create_room(&op, "bench-scale");
	itest_invite(&op, plain, bot.account.user_id);
	cr_assert(itest_wait_membership(&op, plain, bot.account.user_id, "join", 60000));
	ping(&op, &bot, plain);
	mem[0] = memory(&bot, "after the build:");
	forwarded = traffic(&bot, 3);
	ping(&op, &bot, plain);
	printf("  traffic: 3 meldingen, %d approved and forwarded to the regiegroep\n", forwarded);
	mem[1] = memory(&bot, "after the traffic:");

	cr_assert_eq(itest_bot_stop(&bot), 0);
	t0 = itest_now_ms();
	itest_bot_start(&bot);
	line = summary(&bot, 2);
	t1 = itest_now_ms();
	print_counts("no-op start", line, t1 - t0, rooms);
	noop_reads = count_before(line, "read(s)");
	noop_writes = count_before(line, "write(s)");
	free(line);
	ping(&op, &bot, plain);
	mem[2] = memory(&bot, "after the no-op start:");
	most = mem[0] > mem[1] ? mem[0] : mem[1];
	most = most > mem[2] ? most : mem[2];
	printf("  targets (issue 13), this run:\n"
	       "    first build      %.2f s and %.1f requests a room; %.2f requests in flight on average, %.0f%% of "
	       "a core for Synapse\n"
	       "    no-op start      %ld writes (target 0: %s), %.2f reads a room (target at most 1: %s)\n"
	       "    private memory   at most %ld kB, %.2f of the 5 MB target (%s)\n",
	       (build_ms / 1000.0) / (double)rooms, (double)build_requests / (double)rooms, ov, cpu_share,
	       noop_writes, noop_writes == 0 ? "met" : "NOT met", (double)noop_reads / (double)rooms,
	       noop_reads >= 0 && (size_t)noop_reads <= rooms ? "met" : "NOT met", most,
	       (double)most / MEM_TARGET_KB, most >= 0 && most < MEM_TARGET_KB ? "met" : "NOT met");
	fflush(stdout);
	free(plain);
	free(json);
	itest_bot_cleanup(&bot);
	itest_user_free(&op);
}
