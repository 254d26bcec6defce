/* bench_reconcile: building the two-wijk gemeente example from nothing,
 * and the no-op run that follows: wall time and homeserver calls, as the
 * bot reports them. Prints figures; never fails on them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../integration/itest.h"
#include "bench_util.h"

static void print_counts(const char *which, const char *line)
{
	printf("  %s: %ld request(s): %ld read(s), %ld write(s) (%ld state change(s), %ld invite(s), "
	       "%ld room(s) created)\n", which, count_before(line, "request(s)"), count_before(line, "read(s)"),
	       count_before(line, "write(s)"), count_before(line, "state change(s)"), count_before(line, "invite(s)"),
	       count_before(line, "room(s) created"));
}

/* The nth reconcile summary of the bot's log, and when it was seen. */
static char *summary(const itest_bot *b, int nth, long *at_ms)
{
	char *line = itest_wait_log_line(b, "room(s) created", nth, 300000);

	*at_ms = itest_now_ms();
	cr_assert_not_null(line, "no reconcile summary");
	return line;
}

Test(bench, reconcile_two_wijk_gemeente, .timeout = 600)
{
	itest_user op;
	itest_bot bot;
	char conf[700], cmd[800], out[1 << 14], *line, *save = NULL, *p;
	long t0, t1;
	FILE *f;

	/* The example's people exist, so invites reach them. */
	snprintf(cmd, sizeof cmd, "grep -o '@[a-z0-9._-]*:localhost' %s/deploy/examples/gemeente-twee-wijken.json | sort -u",
		 itest_env("BUURTBOT_REPO"));
	f = popen(cmd, "r");
	out[fread(out, 1, sizeof out - 1, f)] = '\0';
	pclose(f);
	for (p = strtok_r(out, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		char args[300];
		snprintf(args, sizeof args, "register %.*s voorbeeld-wachtwoord", (int)strcspn(p + 1, ":"), p + 1);
		itest_harness(args, NULL, 0);
	}
	itest_user_new(&op, "operator");
	snprintf(conf, sizeof conf, "structure_file = %s/deploy/examples/gemeente-twee-wijken.json\nlog_level = info",
		 itest_env("BUURTBOT_REPO"));
	itest_bot_setup(&bot, op.user_id, conf);
	t0 = itest_now_ms();
	itest_bot_start(&bot);
	line = summary(&bot, 1, &t1);
	printf("\nbench_reconcile: gemeente-twee-wijken.json\n  first run  %5ld ms (incl. start-up and login)  %s\n",
	       t1 - t0, strstr(line, "structure:") ? strstr(line, "structure:") : line);
	print_counts("first build", line);
	free(line);
	cr_assert_eq(itest_bot_stop(&bot), 0);
	t0 = itest_now_ms();
	itest_bot_start(&bot);
	line = summary(&bot, 2, &t1);
	printf("  no-op run  %5ld ms (incl. start-up)            %s\n", t1 - t0,
	       strstr(line, "structure:") ? strstr(line, "structure:") : line);
	print_counts("no-op start", line);
	fflush(stdout);
	free(line);
	itest_bot_cleanup(&bot);
	itest_user_free(&op);
}
