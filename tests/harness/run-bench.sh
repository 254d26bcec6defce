#!/usr/bin/env bash
# Runs the benchmarks of BUILD_DIR against a throwaway Synapse. They print
# figures; a figure never fails the run (machines are shared and noisy).
set -euo pipefail
build=${1:-build}
repo=$(cd "$(dirname "$0")/../.." && pwd)
hsdir=$(mktemp -d /tmp/buurtbot-hs-XXXXXX)
export BUURTBOT_HS_DIR="$hsdir" BUURTBOT_HARNESS="$repo/tests/harness/hs"
export BUURTBOT_BIN="$repo/$build/buurtbot" BUURTBOT_REPO="$repo"
trap '"$BUURTBOT_HARNESS" stop >/dev/null 2>&1 || true; rm -rf "$hsdir"' EXIT
"$BUURTBOT_HARNESS" start >/dev/null
set -a
. "$hsdir/env"
set +a
for b in "$repo/$build"/tests/bench/*; do
	case "$b" in *.d) continue ;; esac
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" --jobs 1 || echo "(benchmark $(basename "$b") did not complete)"
done
