#!/bin/sh
# run.sh BUILD_DIR [SECONDS]: run every BUILD_DIR/tests/fuzz/fuzz_NAME built
# with libFuzzer (make FUZZ=1) for SECONDS (default 20) each, starting from
# tests/fuzz/corpus/NAME/. New inputs go to BUILD_DIR/fuzz/NAME/corpus, never
# into the repository's corpus; a crash, leak, timeout or out-of-memory
# fails the run and leaves its input in BUILD_DIR/fuzz/NAME/ (add it to the
# corpus once fixed). One line per target: executions, speed, coverage.
# Run from the repository root (fuzz_command reads deploy/examples/).
set -u

build=${1:?usage: run.sh BUILD_DIR [SECONDS]}
secs=${2:-20}
corpus_root=tests/fuzz/corpus
status=0
ran=0

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1

for bin in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=$(basename "$bin")
	name=${name#fuzz_}
	seeds=$corpus_root/$name
	work=$build/fuzz/$name
	if [ ! -d "$seeds" ] || [ -z "$(ls -A "$seeds" 2>/dev/null)" ]; then
		echo "fuzz: FAIL $name: no corpus in $seeds"
		status=1
		continue
	fi
	rm -rf "$work"
	mkdir -p "$work/corpus"
	cp "$seeds"/* "$work/corpus/"
	log=$work/log
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
		echo "fuzz: ok   $name (${secs} s, ${runs:-?} runs, ${speed:-?}/s, cov ${cov:-?}, ft ${ft:-?}, corpus $n0 -> $n1)"
		ran=$((ran + 1))
		continue
	fi
	status=1
	echo "fuzz: FAIL $name (log: $log)"
	grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written' "$log" | head -n 10
	tail -n 40 "$log"
done

if [ "$ran" -eq 0 ] && [ "$status" -eq 0 ]; then
	echo "fuzz: FAIL no fuzz binaries in $build/tests/fuzz (make FUZZ=1 fuzz-build)"
	status=1
fi
exit $status
