#!/usr/bin/env bash
# run.sh BUILD_DIR: the website in a real browser (issue 15). Starts
# BUILD_DIR/buurtbot-web on a free port with the example structure, runs
# signup.mjs in Debian's chromium (puppeteer-core and axe-core, installed
# from package-lock.json into .tmp/browser-node when missing), then checks that the wijk's flyer PNG holds
# a QR code that decodes to the wijk page (zbarimg), and that the PDFs
# are there; buurtbot-web must exit cleanly (with BUILD_DIR a sanitizer
# build: no error, no leak). Screenshots go to BUILD_DIR/browser/
# (BROWSER_OUT).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
out=${BROWSER_OUT:-$build/browser}
web=$build/buurtbot-web
command -v chromium >/dev/null || { echo "browser test: no chromium (deploy/deps.sh installs it)" >&2; exit 1; }
# puppeteer-core and axe-core live in .tmp/browser-node (not under tests/,
# which the source checks walk; shared by the plain and the sanitizer
# builds), with the script beside them so node finds them.
node_dir=${BROWSER_NODE_DIR:-$repo/.tmp/browser-node}
mkdir -p "$node_dir"
cp "$here/package.json" "$here/package-lock.json" "$here/signup.mjs" "$node_dir/"
if [ ! -d "$node_dir/node_modules/puppeteer-core" ] || [ ! -d "$node_dir/node_modules/axe-core" ]; then
	(cd "$node_dir" && npm ci --no-audit --no-fund --silent >/dev/null)
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/buurtbot-browser-XXXXXX")
pid=
cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	rm -rf "$tmp"
}
trap cleanup EXIT
structure=$repo/deploy/examples/zoomwijck-fase1.json
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
mkdir -p "$out"
"$web" --structure "$structure" --dir "$tmp" --port "$port" --base-url "$base" --bot @buurtbot:localhost \
	--client-url 'https://app.element.io/#/register' \
	2>"$tmp/web.log" &
pid=$!
for _ in $(seq 50); do "$web" --health --port "$port" 2>/dev/null && break; sleep 0.1; done
"$web" --health --port "$port" 2>/dev/null || { echo "FAIL buurtbot-web did not come up:"; cat "$tmp/web.log"; exit 1; }
node "$node_dir/signup.mjs" "$base" "$out" "$tmp/web.db"
# The website must stop cleanly (under the sanitizers: no error, no leak).
kill "$pid"
rc=0
wait "$pid" || rc=$?
pid=
if [ "$rc" != 0 ]; then
	echo "FAIL buurtbot-web exited with $rc:"
	cat "$tmp/web.log"
	exit 1
fi

# The flyer: the QR code must lead to the wijk page (zbarimg, zbar-tools).
"$web" --structure "$structure" --flyer zoomwijck --out "$out" --base-url "$base" >/dev/null
ok=0 bad=0
for f in flyer-zoomwijck-a5.pdf flyer-zoomwijck-a4.pdf flyer-zoomwijck.png; do
	if [ -s "$out/$f" ]; then ok=$((ok + 1)); else echo "FAIL $f missing"; bad=$((bad + 1)); fi
done
# The paper sizes: A5 is 419.5 x 595.3 points, A4 595.3 x 841.9.
for f in a5:419:595 a4:595:841; do
	IFS=: read -r size w h <<<"$f"
	if grep -aq "/MediaBox \[ 0 0 $w\.[0-9]* $h\.[0-9]* \]" "$out/flyer-zoomwijck-$size.pdf"; then
		echo "ok   the $size flyer has the $size paper size"; ok=$((ok + 1))
	else
		echo "FAIL the $size flyer is not $size"; bad=$((bad + 1))
	fi
done
qr=$(zbarimg -q --raw "$out/flyer-zoomwijck.png" 2>/dev/null || true)
if [ "$qr" = "$base/wijk/zoomwijck" ]; then
	echo "ok   the flyer's QR code decodes to $qr"; ok=$((ok + 1))
else
	echo "FAIL the flyer's QR code decodes to '$qr', not $base/wijk/zoomwijck"; bad=$((bad + 1))
fi
echo "$ok passed, $bad failed"
[ "$bad" = 0 ]
