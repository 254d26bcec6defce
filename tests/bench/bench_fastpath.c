/* bench_fastpath: how fast an approval reaches the other rooms, against
 * the floor of one plain client-to-client hop and against a minimal
 * Python relay bot (matrix-nio, encryption on) doing the same work, all
 * in encrypted rooms on one homeserver, interleaved round by round. This
 * side builds the world (a wijk with a wijkgroep, a stuurgroep and a
 * regiegroep; a resident admitted to the wijkgroep; an account for the
 * relay; accounts that join wijkgroepen during the run, for the first
 * send after a join) and starts the bot; tests/bench/fastpath.py does the
 * measuring with its own encrypted clients and prints medians, p90,
 * ratios and where the time went (per stage, on the homeserver's clock);
 * this side adds the bot's memory. BENCH_ROUNDS (20), BENCH_LOG_LEVEL
 * (info; debug puts the bot's stage times in its log), BENCH_TRACE=1. Never fails on a figure (machines are
 * shared and noisy). Targets: issue 13 and DESIGN.md section 7. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../integration/itest.h"
#include "bench_util.h"
#include "../integration/resident.h"
#include "../integration/sthelp.h"

/* One wijk: ten wijkgroepen (w1 has the measured resident; all ten get a
 * melding at once for the burst), one stuurgroep managing them all and
 * the regiegroep every approval goes to. */
#define WG(n) "{\"id\":\"w" #n "\",\"naam\":\"Wijkgroep " #n "\",\"buurten\":[\"Buurt " #n "\"]}"
#define STRUCTURE "{\"versie\":1,\"gemeente\":\"Bench\",\"wijken\":[{\"id\":\"dorp\",\"naam\":\"Dorp\"," \
	"\"regiegroep\":true,\"wijkgroepen\":[" WG(1) "," WG(2) "," WG(3) "," WG(4) "," WG(5) "," WG(6) "," \
	WG(7) "," WG(8) "," WG(9) "," WG(10) "]," \
	"\"stuurgroepen\":[{\"id\":\"stuur\",\"naam\":\"Stuurgroep Dorp\"," \
	"\"leden\":[\"@anna.stuur:localhost\",\"@bram.stuur:localhost\",\"@carla.stuur:localhost\"]," \
	"\"telefoonbeheerder\":\"@anna.stuur:localhost\",\"beheert\":[\"w1\",\"w2\",\"w3\",\"w4\",\"w5\"," \
	"\"w6\",\"w7\",\"w8\",\"w9\",\"w10\"]}]}]}"
#define BURST 10
/* New members, each invited into one of w2..w10 and joining there during
 * the measuring: the bot's first message in a room after a join. */
#define JOINERS 9

Test(bench, approval_to_copy_vs_hop_and_python_relay, .timeout = 1200)
{
	itest_user anna, bram, carla, relay, joiner[JOINERS];
	itest_bot bot;
	resident ra, rm;
	char file[400], cmd[16384], burst[4096] = "", joiners[8192] = "", conf[200], *sg, *noord, *regie;
	const char *rounds = getenv("BENCH_ROUNDS");
	size_t len;
	int rc, i;

	sthelp_example_user(&anna, "anna.stuur");
	sthelp_example_user(&bram, "bram.stuur");
	sthelp_example_user(&carla, "carla.stuur");
	itest_user_new(&relay, "relay");
	/* Every melding of the bench opens a casus: no flood limit. */
	/* BENCH_LOG_LEVEL=debug: the bot's stage times (sync answered, batch
	 * stored, PUT started and answered) in its log, beside BENCH_TRACE. */
	snprintf(conf, sizeof conf, "log_level = %s\nflood_max_casussen = 0",
		 getenv("BENCH_LOG_LEVEL") && *getenv("BENCH_LOG_LEVEL") ? getenv("BENCH_LOG_LEVEL") : "info");
	itest_bot_setup(&bot, anna.user_id, conf);
	if (getenv("BUURTBOT_KEEP_TEST_DIRS"))
		printf("  the bot's log: %s\n", bot.log);
	sthelp_start_with_structure(&bot, STRUCTURE, file, sizeof file);
	sg = sthelp_room_of(&bot, "stuurgroep:stuur");
	noord = sthelp_room_of(&bot, "wijkgroep:w1");
	regie = sthelp_room_of(&bot, "regiegroep:dorp");
	resident_existing(&ra, &anna);
	sthelp_join(&ra, sg);
	sthelp_join(&ra, noord);
	resident_new(&rm, "melder");
	sthelp_admit(&ra, &bot, sg, &rm, "w1", noord);
	for (i = 1; i <= BURST; i++) {
		char key[32], *id;

		snprintf(key, sizeof key, "wijkgroep:w%d", i);
		id = sthelp_room_of(&bot, key);
		len = strlen(burst);
		snprintf(burst + len, sizeof burst - len, "%s%s", i > 1 ? "," : "", id);
		free(id);
	}
	/* Accounts only: fastpath.py has them invited (the stuurgroep's !lid
	 * toevoegen, by the approver's client) and joining later. */
	for (i = 0; i < JOINERS; i++) {
		char key[32], *id;
		int w = 2 + i % (BURST - 1);

		itest_user_new(&joiner[i], "joiner");
		snprintf(key, sizeof key, "wijkgroep:w%d", w);
		id = sthelp_room_of(&bot, key);
		len = strlen(joiners);
		snprintf(joiners + len, sizeof joiners - len, "%sw%d|%.255s|%.255s|%.63s", i ? "," : "", w, id,
			 joiner[i].user_id, joiner[i].password);
		free(id);
	}

	snprintf(cmd, sizeof cmd,
		 "%s/.venv/bin/python %s/tests/bench/fastpath.py --hs %s --bot '%s' --rounds %s "
		 "--wijkgroep '%s' --regiegroep '%s' --stuurgroep '%s' --burst-rooms '%s' --joiners '%s' "
		 "--melder '%s' '%s' --approver '%s' '%s' --reader '%s' '%s' --relay '%s' '%s' --burst-melder '%s' '%s'",
		 itest_env("BUURTBOT_REPO"), itest_env("BUURTBOT_REPO"), itest_env("BUURTBOT_TEST_HS_URL"),
		 bot.account.user_id, rounds && *rounds ? rounds : "20", noord, regie, sg, burst, joiners, rm.u.user_id,
		 rm.u.password, anna.user_id, anna.password, carla.user_id, carla.password, relay.user_id, relay.password,
		 bram.user_id, bram.password);
	fflush(stdout);
	rc = system(cmd);
	printf("  buurtbot memory after the run: Private_Dirty %ld kB, RSS %ld kB (peak %ld kB)\n",
	       proc_kb(bot.pid, "smaps_rollup", "Private_Dirty"), proc_kb(bot.pid, "status", "VmRSS"),
	       proc_kb(bot.pid, "status", "VmHWM"));
	fflush(stdout);
	cr_expect_eq(rc, 0, "fastpath.py failed (%d)", rc);

	free(sg);
	free(noord);
	free(regie);
	sthelp_resident_done(&rm);
	sthelp_resident_done(&ra);
	itest_bot_cleanup(&bot);
	itest_user_free(&anna);
	itest_user_free(&bram);
	itest_user_free(&carla);
	itest_user_free(&relay);
	for (i = 0; i < JOINERS; i++)
		itest_user_free(&joiner[i]);
}
