#!/usr/bin/env bash
# Runs every integration test binary of BUILD_DIR against a fresh, throwaway
# Synapse on 127.0.0.1, which is always stopped and removed afterwards.
# The Synapse restart test runs last and alone: it restarts the shared server.
set -euo pipefail
build=${1:-build}
repo=$(cd "$(dirname "$0")/../.." && pwd)
hsdir=$(mktemp -d /tmp/buurtbot-hs-XXXXXX)
export BUURTBOT_HS_DIR="$hsdir"
export BUURTBOT_HARNESS="$repo/tests/harness/hs"
export BUURTBOT_BIN="$repo/$build/buurtbot"
export BUURTBOT_REPO="$repo"
failed=0

cleanup() {
	"$BUURTBOT_HARNESS" stop >/dev/null 2>&1 || true
	if [ "$failed" != 0 ]; then
		echo "---- last lines of the Synapse log ----" >&2
		tail -n 30 "$hsdir/homeserver.log" >&2 2>/dev/null || true
	fi
	rm -rf "$hsdir"
}
trap cleanup EXIT
trap 'failed=1; exit 130' INT TERM

[ -x "$BUURTBOT_BIN" ] || { echo "run-integration: $BUURTBOT_BIN missing; run make first" >&2; exit 1; }
echo "== starting Synapse in $hsdir"
"$BUURTBOT_HARNESS" start >/dev/null || { failed=1; exit 1; }
set -a
. "$hsdir/env"
set +a
echo "== Synapse at $BUURTBOT_TEST_HS_URL"

tests=()
for t in "$repo/$build"/tests/integration/test_*; do
	case "$t" in *.d|*/test_restart) continue ;; esac
	[ -x "$t" ] && tests+=("$t")
done
[ -x "$repo/$build/tests/integration/test_restart" ] && tests+=("$repo/$build/tests/integration/test_restart")
if [ ${#tests[@]} = 0 ]; then
	echo "no integration tests built"
	exit 0
fi
for t in "${tests[@]}"; do
	echo "== $(basename "$t")"
	if ! "$t" --jobs "${IT_JOBS:-4}"; then
		failed=1
		echo "FAILED: $t" >&2
	fi
done
exit "$failed"
