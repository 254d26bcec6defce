#!/usr/bin/env bash
# The whole suite, as `make check` and CI run it: build, unit tests,
# integration tests against a real Synapse, fuzz corpus replay; then all of
# it again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)

step() {
	local name=$1
	shift
	echo
	echo "######## $name"
	if ! "$@"; then
		echo
		echo "FAILED at step: $name" >&2
		exit 1
	fi
}

step "build" make -j"$jobs" tests
step "unit tests" make unit
step "integration tests" make integration
step "fuzz corpus replay" make fuzz-replay

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
step "build (ASan+UBSan)" make SAN=1 -j"$jobs" tests
step "unit tests (ASan+UBSan)" make SAN=1 unit
step "integration tests (ASan+UBSan)" make SAN=1 integration
step "fuzz corpus replay (ASan+UBSan)" make SAN=1 fuzz-replay

echo
echo "All tests passed in $(( $(date +%s) - start )) s (plain and under ASan+UBSan)."
