#!/usr/bin/env bash
# The whole suite, as `make check` and CI run it (after deploy/deps.sh):
# build, unit tests, integration tests against a real Synapse, fuzz corpus
# replay; then all of it again built with AddressSanitizer+UBSan (build-san/).
# Stops at the first failing step and names it.
#
# LeakSanitizer is on everywhere, the Criterion unit tests included: it
# works in Criterion's forked workers (a leaking test shows as "crashed
# during its setup or teardown" with the leak report above it).
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

step "build" make -j"$jobs" tests
step "unit tests" make unit
step "integration tests" make integration
step "fuzz corpus replay" make fuzz-replay

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
step "build (ASan+UBSan)" make SAN=1 -j"$jobs" tests
step "unit tests (ASan+UBSan)" make SAN=1 unit
step "integration tests (ASan+UBSan)" make SAN=1 integration
step "fuzz corpus replay (ASan+UBSan)" make SAN=1 fuzz-replay

finish
echo
echo "run-all: all tests passed in $(( $(date +%s) - t0 )) s (plain and under ASan+UBSan)"
