#!/bin/sh
# replay.sh BUILD_DIR: run every built BUILD_DIR/tests/fuzz/fuzz_NAME over
# tests/fuzz/corpus/NAME/ with the standalone driver; fail on any crash or
# on a target without a corpus. Run from the repository root.
set -u

build=${1:?usage: replay.sh BUILD_DIR}
corpus_root=tests/fuzz/corpus
status=0
ran=0

for bin in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=$(basename "$bin")
	name=${name#fuzz_}
	dir=$corpus_root/$name
	if [ ! -d "$dir" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
		echo "replay: FAIL $bin: no corpus in $dir"
		status=1
		continue
	fi
	n=$(find "$dir" -maxdepth 1 -type f | wc -l)
	if "$bin" "$dir" >/dev/null 2>"$build/replay-$name.log"; then
		echo "replay: ok   $name ($n inputs)"
		ran=$((ran + 1))
		continue
	fi
	status=1
	echo "replay: FAIL $name: finding the input..."
	# One input at a time to name the culprit.
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		if ! "$bin" "$f" >/dev/null 2>"$build/replay-$name-one.log"; then
			echo "replay:   crashes on $f"
			tail -n 30 "$build/replay-$name-one.log"
		fi
	done
done

if [ "$ran" -eq 0 ] && [ "$status" -eq 0 ]; then
	echo "replay: FAIL no fuzz binaries in $build/tests/fuzz (build them first)"
	status=1
fi
exit $status
