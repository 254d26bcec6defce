#!/usr/bin/env bash
# Self-check of tests/harness/resident.py (the encrypted test client) without
# the bot: a throwaway Synapse, two residents, an encrypted room, a message
# each way (decrypted on the other side), wait-reply on a reply and on a
# thread reply, device-trust without and with cross-signing keys.
# Exits nonzero on the first failure; always stops its Synapse.
# Usage: tests/harness/resident_selfcheck.sh   (needs ./deploy/deps.sh done)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
py="$repo/.venv/bin/python"
hs="$repo/tests/harness/hs"
[ -x "$py" ] || { echo "resident_selfcheck: $py is missing; run ./deploy/deps.sh" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/resident-selfcheck.XXXXXX")
cleanup() {
	"$hs" --dir "$tmp/hs" stop || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf 'resident_selfcheck: %s\n' "$*" >&2; }
fail() {
	printf 'resident_selfcheck: FAIL: %s\n' "$*" >&2
	[ -f "$tmp/hs/homeserver.log" ] && tail -n 20 "$tmp/hs/homeserver.log" >&2
	exit 1
}
# json FIELD-EXPRESSION < json: prints a value picked with a Python expression on `d`.
json() { "$py" -c 'import json,sys; d=json.load(sys.stdin); v=eval(sys.argv[1]); print(v if isinstance(v,str) else json.dumps(v))' "$1"; }
# check DESCRIPTION PYTHON-CONDITION-ON-d < json
check() {
	local out
	out=$(cat)
	printf '%s' "$out" | "$py" -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" ||
		fail "$1: got $out"
}

mkdir -m 700 "$tmp/hs"
url=$("$hs" --dir "$tmp/hs" start)
step "Synapse at $url"
"$hs" --dir "$tmp/hs" register anna anna-pw >/dev/null
"$hs" --dir "$tmp/hs" register bert bert-pw >/dev/null

# r NAME ARGS...: one resident invocation; its JSON on stdout, nonzero on error.
r() {
	local who=$1
	shift
	"$py" "$repo/tests/harness/resident.py" --hs "$url" --user "@$who:localhost" \
		--password "$who-pw" --store "$tmp/store-$who" "$@"
}

step "whoami (first login, key upload) and device persistence"
devA=$(r anna whoami | json 'd["device_id"]')
[ "$(r anna whoami | json 'd["device_id"]')" = "$devA" ] || fail "anna's device changed between invocations"
r bert whoami >/dev/null
[ "$(stat -c %a "$tmp/store-anna")" = 700 ] || fail "store dir is not mode 0700"
if grep -rq "syt_" "$tmp/store-anna"/*.json 2>/dev/null; then :; else fail "no saved access token"; fi

step "create-room (encrypted) with an invite; bert joins"
room=$(r anna create-room --name selfcheck --invite @bert:localhost | json 'd["room_id"]')
r bert join "$room" | check "join" 'd == {"ok": True}'

step "anna sends encrypted; bert reads and decrypts"
evA=$(r anna send "$room" "Hallo buren, vanavond BBQ" | json 'd["event_id"]')
r bert read "$room" --limit 5 | check "bert decrypts anna's message" \
	'any(e["event_id"] == "'"$evA"'" and e["decrypted"] and e["body"] == "Hallo buren, vanavond BBQ" and e["type"] == "m.room.message" for e in d["events"])'
# The raw event on the server must really be encrypted.
r bert read "$room" --limit 1 | check "read is oldest-first, last event is anna's" \
	'd["events"][-1]["event_id"] == "'"$evA"'" and d["events"][-1]["encrypted"]'

step "bert asks; anna replies and replies in a thread; bert wait-reply finds both"
evB=$(r bert send "$room" "Hoe laat?" | json 'd["event_id"]')
r bert wait-reply "$room" "$evB" --from @anna:localhost --timeout 2 >"$tmp/none.json" &&
	fail "wait-reply found a reply before there was one: $(cat "$tmp/none.json")"
check "wait-reply times out with error JSON" 'd["error"] == "timeout" and d["seen"] == []' <"$tmp/none.json"
r anna send "$room" "Om zeven uur" --reply-to "$evB" >/dev/null
r anna send "$room" "Neem een stoel mee" --thread-root "$evB" >/dev/null
r bert wait-reply "$room" "$evB" --from @anna:localhost --count 2 --timeout 20 | check "wait-reply" \
	'[x["body"] for x in d["replies"]] == ["Om zeven uur", "Neem een stoel mee"] and all(x["encrypted"] for x in d["replies"]) and d["undecryptable"] == 0'

step "device-trust: self-signed, not cross-signed; then with cross-signing keys"
r bert device-trust @anna:localhost | check "device-trust anna" \
	'd["devices"] == [{"device_id": "'"$devA"'", "self_signed_ok": True, "cross_signed_by_owner": False}]'
r anna cross-sign-self | check "cross-sign-self" 'd["ok"]'
r bert device-trust @anna:localhost | check "device-trust anna after cross-signing" \
	'd["devices"] == [{"device_id": "'"$devA"'", "self_signed_ok": True, "cross_signed_by_owner": True}]'

step "errors are one JSON line and exit 1"
if r bert read '!nope:localhost' >"$tmp/err.json"; then fail "read of an unknown room succeeded"; fi
check "error JSON" '"error" in d' <"$tmp/err.json"
if grep -q "syt_" "$tmp/err.json" "$tmp/none.json"; then fail "an access token was printed"; fi

echo "resident_selfcheck: 1 passed, 0 failed"
