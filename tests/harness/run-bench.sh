#!/usr/bin/env bash
# run-bench.sh BUILD_DIR: runs every BUILD_DIR/tests/bench/* binary against a
# fresh throwaway Synapse (same environment as run-integration.sh), one at a
# time. Benchmarks print their figures (ratios measured in the same run);
# a figure, or a benchmark that fails, never fails this script: machines
# are shared and noisy. Only a harness failure (no Synapse) does.
# Knobs: BENCH_TIMEOUT (seconds per binary, default 1200),
# BUURTBOT_KEEP_TEST_DIRS=1 (keep the homeserver directory),
# BENCH_ONLY="bench_scale bench_ping" (only these binaries).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" 2>/dev/null && pwd) || { echo "run-bench: no build directory $1" >&2; exit 2; }

hsdir=$(mktemp -d "${TMPDIR:-/tmp}/buurtbot-hs-XXXXXX")
export BUURTBOT_HS_DIR="$hsdir"
export BUURTBOT_HARNESS="$repo/tests/harness/hs"
export BUURTBOT_BIN="$build/buurtbot"
export BUURTBOT_REPO="$repo"
child=

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[ -z "$child" ] || { kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null || true; }
	"$BUURTBOT_HARNESS" stop >/dev/null || echo "run-bench: stopping Synapse failed" >&2
	if [ -n "${BUURTBOT_KEEP_TEST_DIRS:-}" ]; then
		echo "run-bench: kept $hsdir" >&2
	else
		rm -rf "$hsdir"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== starting Synapse (state in $hsdir)"
"$BUURTBOT_HARNESS" start >/dev/null
set -a
. "$hsdir/env"
set +a
echo "== Synapse at $BUURTBOT_TEST_HS_URL"

ran=0
notes=()
for b in "$build"/tests/bench/*; do
	[ -f "$b" ] && [ -x "$b" ] || continue
	case "$b" in *.d|*.o) continue ;; esac
	name=$(basename "$b")
	[ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $name "* ]] || continue
	echo "== $name"
	timeout -k 10 "${BENCH_TIMEOUT:-1200}" "$b" --jobs 1 &
	child=$!
	rc=0
	wait "$child" || rc=$?
	child=
	ran=$((ran + 1))
	[ "$rc" = 0 ] || notes+=("$name exited with $rc")
done
if [ "$ran" = 0 ]; then
	echo "no benchmarks built (in $build/tests/bench)"
elif [ ${#notes[@]} -gt 0 ]; then
	echo "benchmarks done ($ran); note: ${notes[*]} (not counted as a failure)"
else
	echo "benchmarks done ($ran)"
fi
