#!/usr/bin/env bash
# The whole suite, as `make check` and CI run it (after deploy/deps.sh):
# build with gcc and with clang (build-clang/, the same -Werror flags), unit
# tests, integration tests against a real Synapse (the newest, pinned in
# tests/harness/requirements.txt, with its default room version), a short
# compatibility pass against the oldest supported Synapse
# (requirements-compat.txt, .venv-compat/) with room version 10, fuzz corpus
# replay, a short libFuzzer run of every fuzz target (make fuzz-run,
# build-fuzz/); then all of it but clang, the compatibility pass and the
# libFuzzer runs again, built with AddressSanitizer+UBSan (build-san/).
# Stops at the first failing step and names it.
#
# LeakSanitizer and Criterion: LSan itself works in Criterion's workers (a
# leaking test shows as "crashed during its setup or teardown" with the
# report above it), but Criterion 2.4.1's runner process leaks by itself
# when tests with a .timeout run in parallel (--jobs > 1): a 48-byte timeout
# request of the bundled BoxFort (bxfi_push_timeout; the report shows only
# "calloc <- libcriterion.so.3+0x1a332"). Never seen with --jobs 1. With
# abort_on_error=1 the runner then aborts (exit 134), also when every test
# passed. Hence, in the sanitizer pass:
#   - unit tests: detect_leaks=0 (the Makefile runs them with --jobs 2).
#     (A `--jobs $(UNIT_JOBS)` in the Makefile's unit target would allow
#     UNIT_JOBS=1 with leak checks on.)
#   - integration tests: detect_leaks=0 for the test processes, but
#     detect_leaks=1 for the bot daemons they start (BUURTBOT_BOT_ASAN_OPTIONS,
#     applied by tests/integration/itest.c): a leak in the bot makes it exit
#     non-zero, and the test fails.
#   - fuzz corpus replay (standalone driver, no Criterion): detect_leaks=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs=${JOBS:-2}
t0=$(date +%s)
summary=()

finish() {
	echo
	echo "======== summary"
	printf '  %s\n' "${summary[@]}"
}

step() {
	local name=$1 t rc=0
	shift
	echo
	echo "######## $name: $*"
	t=$(date +%s)
	"$@" || rc=$?
	if [ "$rc" != 0 ]; then
		summary+=("FAILED  $name (exit $rc, $(( $(date +%s) - t )) s): $*")
		finish
		echo
		echo "run-all: FAILED at step: $name" >&2
		exit 1
	fi
	summary+=("ok      $name ($(( $(date +%s) - t )) s)")
}

# The compatibility pass: the tests that exercise what differs between
# homeserver and room versions (creating rooms and Spaces, power levels and
# the creator's power, knocking, forwarding, encryption), on the oldest
# Synapse the README claims to support, in room version 10. About 4 minutes
# on 2 cores: the slower tests of these binaries are left out
# (IT_FILTER: Criterion's --filter, suite/test with extglob patterns).
compat_venv=.venv-compat
compat_room_version=10
compat_only="test_bot test_e2ee test_structure test_casus test_signup"
compat_filter='@(session/*|invites/*|commands/*|lifecycle/*|e2ee/*|structure/fase*|structure/a_room_*|casus/a_police_*|signup/a_knock_*)'
compat_synapse=$(sed -n 's/^matrix-synapse==\([^ #]*\).*/\1/p' tests/harness/requirements-compat.txt)

# A step that runs in the background while the steps after it run (its
# output goes to a file and is shown whole when bg_join collects it): for
# the compose stack, which mostly waits on image builds and containers
# while the integration tests mostly wait on the homeserver.
bg_pid= bg_name= bg_log= bg_t=
bg_start() {
	bg_name=$1
	shift
	bg_log=$(mktemp "${TMPDIR:-/tmp}/run-all-bg-XXXXXX")
	echo
	echo "######## $bg_name (in the background): $*"
	bg_t=$(date +%s)
	"$@" >"$bg_log" 2>&1 &
	bg_pid=$!
}
bg_join() {
	local rc=0
	wait "$bg_pid" || rc=$?
	echo
	echo "######## $bg_name (collected, $(( $(date +%s) - bg_t )) s)"
	cat "$bg_log"
	rm -f "$bg_log"
	bg_pid=
	step "$bg_name (result)" test "$rc" = 0
}
trap '[ -z "$bg_pid" ] || kill -TERM "$bg_pid" 2>/dev/null || true' EXIT

step "layering and hygiene check" ./tests/lint/checksrc.py
step "build" make -j"$jobs" tests
step "build (clang)" make CLANG=1 -j"$jobs" tests
step "unit tests" make unit
# The deployment: deploy/compose/ brought up for real with podman (about
# 2.5 minutes with the images built; the first run builds them, about 5
# more), alongside the integration tests.
bg_start "compose stack (tests/stack/run-stack.sh)" ./tests/stack/run-stack.sh
step "integration tests" make integration
bg_join
step "browser test (the sign-up website in chromium, axe-core; flyer QR code)" ./tests/browser/run.sh build
step "compatibility pass (Synapse $compat_synapse, room version $compat_room_version)" \
	env BUURTBOT_SYNAPSE_VENV="$compat_venv" BUURTBOT_TEST_ROOM_VERSION="$compat_room_version" \
	IT_ONLY="$compat_only" IT_FILTER="$compat_filter" make integration
step "fuzz corpus replay" make fuzz-replay
# Coverage-guided, briefly: every fuzz target under libFuzzer (clang,
# ASan+UBSan+LSan, build-fuzz/), $jobs at a time; about a minute of
# fuzzing (12 targets) after the fuzz build.
fuzz_time=${FUZZ_TIME:-10}
step "fuzz runs (libFuzzer, $fuzz_time s each)" make -j"$jobs" fuzz-run FUZZ_TIME="$fuzz_time" FUZZ_JOBS="$jobs"

asan=abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:$asan
# fontconfig's process-wide caches (cairo, for the statistics chart) are
# not the bot's leaks; everything else LeakSanitizer finds fails the test.
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
step "build (ASan+UBSan)" make SAN=1 -j"$jobs" tests
step "unit tests (ASan+UBSan, no leak check)" env ASAN_OPTIONS=detect_leaks=0:$asan make SAN=1 unit
# The sanitizer pass runs the binaries that drive the most of the bot's own
# code (meldingen, forwards and their edits, sign-up and deletion, the
# website's intake, statistics and the chart, health/backup/metrics, key
# sharing with encrypting clients); the others ran plain above, and the
# encryption code is also under the sanitizers in its unit tests and fuzz
# targets. This keeps `make check` near 25 minutes on 2 cores;
# SAN_IT_ONLY= (empty) runs every binary.
san_only=${SAN_IT_ONLY-test_casus test_edits test_signup test_privacy test_web test_stats test_ops test_e2ee}
step "integration tests (ASan+UBSan, LSan in the bot${san_only:+; $san_only})" env ASAN_OPTIONS=detect_leaks=0:$asan \
	BUURTBOT_BOT_ASAN_OPTIONS=detect_leaks=1:$asan IT_ONLY="$san_only" make SAN=1 integration
step "fuzz corpus replay (ASan+UBSan+LSan)" make SAN=1 fuzz-replay
step "browser test (ASan+UBSan+LSan in buurtbot-web)" ./tests/browser/run.sh build-san

finish
echo
echo "run-all: all tests passed in $(( $(date +%s) - t0 )) s (gcc and clang builds; plain, the compatibility pass and under ASan+UBSan)"
