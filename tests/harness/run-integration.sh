#!/usr/bin/env bash
# run-integration.sh BUILD_DIR: runs every BUILD_DIR/tests/integration/test_*
# binary (Criterion) against a fresh throwaway Synapse on 127.0.0.1, which is
# always stopped and removed afterwards (also on Ctrl-C or SIGTERM).
#
# The tests get, in their environment:
#   BUURTBOT_TEST_HS_URL   http://127.0.0.1:PORT
#   BUURTBOT_TEST_HS_NAME  localhost (the server name)
#   BUURTBOT_HS_DIR        the homeserver's state directory (a test's own
#                          homeservers go in fed-* below it; stopped at the end)
#   BUURTBOT_HARNESS       tests/harness/hs (register, ratelimit, restart ...)
#   BUURTBOT_BIN           BUILD_DIR/buurtbot
#   BUURTBOT_REPO          the repository root
# Knobs: IT_JOBS (Criterion jobs per binary, default 2), IT_TIMEOUT (seconds
# per binary, default 900), IT_FILTER (Criterion --filter pattern), IT_ONLY
# (the binaries to run, by name, e.g. "test_bot test_e2ee"; default: all),
# IT_PAR (binaries at a time, default 3), IT_LOG_LINES (Synapse log lines shown on failure, default 40),
# BUURTBOT_KEEP_TEST_DIRS=1 (keep the homeserver directory).
# Which homeserver (read by tests/harness/hs): BUURTBOT_SYNAPSE_VENV (the
# venv whose Synapse runs, default .venv; .venv-compat: the oldest
# supported) and BUURTBOT_TEST_ROOM_VERSION (default room version of new
# rooms; default: the homeserver's own).
# Binaries with "restart" in their name run last: they restart the shared
# homeserver.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" 2>/dev/null && pwd) || { echo "run-integration: no build directory $1" >&2; exit 2; }

# A name in IT_ONLY that is not built is an error, so a renamed test cannot
# silently drop out of a pass.
only_names=${IT_ONLY:-}
for name in ${only_names//,/ }; do
	[ -x "$build/tests/integration/$name" ] ||
		{ echo "run-integration: IT_ONLY names $name, which is not built in $build/tests/integration" >&2; exit 2; }
done

hsdir=$(mktemp -d "${TMPDIR:-/tmp}/buurtbot-hs-XXXXXX")
export BUURTBOT_HS_DIR="$hsdir"
export BUURTBOT_HARNESS="$repo/tests/harness/hs"
export BUURTBOT_BIN="$build/buurtbot"
export BUURTBOT_REPO="$repo"
failed=0
declare -A running=()

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	for pid in "${!running[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${!running[@]}"; do wait "$pid" 2>/dev/null || true; done
	if { [ "$failed" != 0 ] || [ "$rc" != 0 ]; } && [ -f "$hsdir/homeserver.log" ]; then
		echo "---- Synapse warnings and errors (last 20) ----" >&2
		grep -E '^[0-9-]+ [0-9:,]+ (WARNING|ERROR|CRITICAL) ' "$hsdir/homeserver.log" |
			grep -v 'synapse.config.logger' | tail -n 20 >&2 || true
		echo "---- last lines of the Synapse log ($hsdir/homeserver.log) ----" >&2
		tail -n "${IT_LOG_LINES:-40}" "$hsdir/homeserver.log" >&2 || true
	fi
	"$BUURTBOT_HARNESS" stop >/dev/null || echo "run-integration: stopping Synapse failed" >&2
	# Homeservers a test started itself (test_federation: hs start --federation).
	for d in "$hsdir"/fed-*/; do
		[ -d "$d" ] || continue
		"$BUURTBOT_HARNESS" --dir "$d" stop >/dev/null || echo "run-integration: stopping Synapse in $d failed" >&2
	done
	if [ -n "${BUURTBOT_KEEP_TEST_DIRS:-}" ]; then
		echo "run-integration: kept $hsdir" >&2
	else
		rm -rf "$hsdir"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'failed=1; exit 130' INT
trap 'failed=1; exit 143' TERM

echo "== starting Synapse (state in $hsdir)"
"$BUURTBOT_HARNESS" start >/dev/null || { failed=1; exit 1; }
set -a
. "$hsdir/env"
set +a
hsver=$(curl -fsS --max-time 5 "$BUURTBOT_TEST_HS_URL/_synapse/admin/v1/server_version" 2>/dev/null |
	sed -n 's/.*"server_version" *: *"\([^" ]*\).*/\1/p') || true
echo "== Synapse ${hsver:-(version unknown)} at $BUURTBOT_TEST_HS_URL," \
	"room version ${BUURTBOT_TEST_ROOM_VERSION:-of its own default}"

tests=()
last=()
for t in "$build"/tests/integration/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	case "$t" in
	*.d|*.o) ;;
	*restart*) last+=("$t") ;;
	*) tests+=("$t") ;;
	esac
done
tests+=(${last[@]+"${last[@]}"})
if [ -n "$only_names" ]; then
	# In the order above (IT_ONLY's names were checked before the start).
	only=()
	for t in ${tests[@]+"${tests[@]}"}; do
		for name in ${only_names//,/ }; do
			[ "$(basename "$t")" = "$name" ] && only+=("$t")
		done
	done
	tests=(${only[@]+"${only[@]}"})
fi
if [ ${#tests[@]} -eq 0 ]; then
	echo "no integration tests built (in $build/tests/integration); Synapse started and answered /health"
	exit 0
fi
[ -x "$BUURTBOT_BIN" ] || { echo "run-integration: $BUURTBOT_BIN is missing; build it first (make)" >&2; exit 1; }

args=(--jobs "${IT_JOBS:-2}")
[ -z "${IT_FILTER:-}" ] || args+=(--filter "$IT_FILTER")
failures=()
# Binaries run IT_PAR at a time against the shared homeserver (their users
# and rooms are their own: names carry the test's pid); most of a test's
# time is spent waiting for the homeserver, so two or three at once use the
# two cores that one alone leaves idle. Each binary's output is kept in a
# file and shown whole when it ends, so the log reads as if run one by one.
# The restart binaries restart the homeserver: they run alone, last.
par=${IT_PAR:-3}
declare -A running=() started=()

start_one() {
	local t=$1
	# timeout(1) puts the test and everything it starts (bots) in one
	# process group and signals all of it on expiry or on our SIGTERM.
	timeout -k 10 "${IT_TIMEOUT:-900}" "$t" "${args[@]}" >"$hsdir/out-$(basename "$t")" 2>&1 &
	running[$!]=$t
	started[$!]=$(date +%s)
}

# Reports the binary that ran as PID and ended with RC.
finish_one() {
	local pid=$1 rc=$2 t=${running[$1]}
	unset "running[$pid]"
	echo "== $(basename "$t") ($(( $(date +%s) - ${started[$pid]} )) s)"
	cat "$hsdir/out-$(basename "$t")"
	# Whatever the test left running in its process group (a bot it did not
	# stop) would outlive this run: report it and stop it.
	if kill -0 -- -"$pid" 2>/dev/null; then
		echo "run-integration: $(basename "$t") left processes running; stopping them" >&2
		kill -TERM -- -"$pid" 2>/dev/null || true
		sleep 1
		kill -KILL -- -"$pid" 2>/dev/null || true
	fi
	if [ "$rc" != 0 ]; then
		failed=1
		[ "$rc" = 124 ] && echo "TIMEOUT after ${IT_TIMEOUT:-900} s: $t" >&2
		failures+=("$(basename "$t") (exit $rc)")
	fi
}

wait_one() {
	local pid rc=0
	wait -n -p pid "${!running[@]}" || rc=$?
	finish_one "$pid" "$rc"
}

for t in "${tests[@]}"; do
	case "$t" in
	*restart*) while [ ${#running[@]} -gt 0 ]; do wait_one; done ;;
	*) while [ ${#running[@]} -ge "$par" ]; do wait_one; done ;;
	esac
	start_one "$t"
	case "$t" in *restart*) wait_one ;; esac
done
while [ ${#running[@]} -gt 0 ]; do wait_one; done
if [ "$failed" != 0 ]; then
	echo "integration tests FAILED: ${failures[*]}" >&2
	exit 1
fi
echo "integration tests passed: ${#tests[@]} binaries"
