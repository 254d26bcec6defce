#!/bin/sh
# run.sh BUILD_DIR [SECONDS [JOBS]]: run every BUILD_DIR/tests/fuzz/fuzz_NAME
# built with libFuzzer (make FUZZ=1) for SECONDS (default 20) each, JOBS
# (default 1) at a time, starting from tests/fuzz/corpus/NAME/. New inputs
# go to BUILD_DIR/fuzz/NAME/corpus, never into the repository's corpus; a
# crash, leak, timeout or out-of-memory fails the run and leaves its input
# in BUILD_DIR/fuzz/NAME/ (add it to the corpus once fixed). One line per
# target: executions, speed, coverage (cov: code edges, ft: features).
# Run from the repository root (fuzz_command reads deploy/examples/).
set -u

build=${1:?usage: run.sh BUILD_DIR [SECONDS [JOBS]]}
secs=${2:-20}
jobs=${3:-1}
corpus_root=tests/fuzz/corpus

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1

# Runs one target; writes its line to $work/result and 0/1 to $work/status.
run_one() {
	bin=$1
	name=$(basename "$bin")
	name=${name#fuzz_}
	seeds=$corpus_root/$name
	work=$build/fuzz/$name
	log=$work/log
	rm -rf "$work"
	mkdir -p "$work/corpus"
	if [ ! -d "$seeds" ] || [ -z "$(ls -A "$seeds" 2>/dev/null)" ]; then
		echo "fuzz: FAIL $name: no corpus in $seeds" >"$work/result"
		echo 1 >"$work/status"
		return
	fi
	cp "$seeds"/* "$work/corpus/"
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb also
	# limits a single allocation to that size.
	if "$bin" "$work/corpus" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$work/" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
		cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
		ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
		n0=$(find "$seeds" -maxdepth 1 -type f | wc -l)
		n1=$(find "$work/corpus" -maxdepth 1 -type f | wc -l)
		echo "fuzz: ok   $name (${secs} s, ${runs:-?} runs, ${speed:-?}/s, cov ${cov:-?}, ft ${ft:-?}, corpus $n0 -> $n1)" >"$work/result"
		echo 0 >"$work/status"
		return
	fi
	{
		echo "fuzz: FAIL $name (log: $log)"
		# The report with its stack, and where the input went.
		start=$(grep -n -m 1 -E 'ERROR: |runtime error|Test unit written' "$log" | cut -d: -f1)
		sed -n "${start:-1},$((${start:-1} + 30))p" "$log"
		grep -E 'SUMMARY: |Test unit written' "$log" | sort -u
	} >"$work/result"
	echo 1 >"$work/status"
}

bins=
for bin in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] && bins="$bins $bin"
done
if [ -z "$bins" ]; then
	echo "fuzz: FAIL no fuzz binaries in $build/tests/fuzz (make FUZZ=1 fuzz-build)"
	exit 1
fi

# JOBS at a time, in batches.
n=0
for bin in $bins; do
	run_one "$bin" &
	n=$((n + 1))
	if [ "$n" -ge "$jobs" ]; then
		wait
		n=0
	fi
done
wait

status=0
for bin in $bins; do
	name=$(basename "$bin")
	work=$build/fuzz/${name#fuzz_}
	cat "$work/result"
	[ "$(cat "$work/status" 2>/dev/null)" = 0 ] || status=1
done
exit $status
