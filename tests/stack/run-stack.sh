#!/usr/bin/env bash
# run-stack.sh: the deployment of deploy/compose/ for real, as an operator
# runs it (issue 14): make the secrets, build the bot's image from the
# repository, `docker-compose up -d`, wait until every service is healthy,
# then as a user of the stack: register the operator account, open an
# encrypted room with the bot, `!ping` answered; a melding travels the
# resident's route into the regiegroep (the stuurgroep adds a resident,
# who reports; `!door`); the sign-up website (issue 15) serves its wijk page
# and flyer on its published port, a form sent there (with its cookie and
# token) appears in the stuurgroep, `!toelaten` gives a registration token
# that creates an account (so the admin token of bot-register works and
# Synapse registers with tokens only); SIGHUP reloads the
# structure; `--health` and `--backup` inside the bot's container;
# `docker-compose restart buurtbot`: the earlier !pings are not answered
# again, the melding's copy is still there once, and a new !ping is
# answered; the backup restored as the README says, the bot
# answers again; `down -v`, and nothing of the project is left.
#
# Needs root and the shared container scripts (podman, docker-compose, the
# Synapse and PostgreSQL stand-ins; no image registry is used), found at
# $BUURTBOT_CONTAINERS, else ../shared/containers next to the repository,
# else /work/shared/containers. STACK_KEEP=1 leaves the stack up on failure
# (then: docker-compose -p PROJECT -f deploy/compose/docker-compose.yml
# down -v). Prints each phase's seconds.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
compose_file=$repo/deploy/compose/docker-compose.yml
server=buurt.example        # as in deploy/compose/buurtbot.conf
bot="@buurtbot:$server"
operator=beheer             # in admins of deploy/compose/buurtbot.conf
py=$repo/.venv/bin/python

say() { echo "run-stack: $*"; }
fail() { echo "run-stack: FAILED: $*" >&2; exit 1; }

ctr=
for d in "${BUURTBOT_CONTAINERS:-}" "$repo/../shared/containers" /work/shared/containers; do
	if [ -n "$d" ] && [ -x "$d/setup.sh" ]; then ctr=$(cd "$d" && pwd); break; fi
done
[ -n "$ctr" ] || fail "no container scripts (setup.sh, build-standins.sh, healthd.sh): set BUURTBOT_CONTAINERS"
[ "$(id -u)" = 0 ] || fail "needs root (rootful podman, as ${ctr}/README.md says)"
[ -x "$py" ] || fail "no $py: run deploy/deps.sh"

t_all=$(date +%s)
t=$t_all
phase() { say "$1: $(( $(date +%s) - t )) s"; t=$(date +%s); }

eval "$("$ctr/setup.sh" 2>/dev/null)" || fail "setup.sh"
"$ctr/build-standins.sh" >/dev/null 2>&1 || fail "build-standins.sh"
phase "container engine and stand-ins ready"

project=buurtbotstack$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/buurtbot-stack-XXXXXX")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
web_port=$(free_port)
export SECRETS_DIR=$tmp/secrets SYNAPSE_PORT=$port WEB_PORT=$web_port
dc=(docker-compose -p "$project" -f "$compose_file")
hs=http://127.0.0.1:$port
healthd=

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ "$rc" != 0 ]; then
		echo "---- last log lines of the stack ----" >&2
		"${dc[@]}" logs --no-color --tail=30 >&2 2>&1 || true
		if [ "${STACK_KEEP:-0}" = 1 ]; then
			say "kept: SECRETS_DIR=$SECRETS_DIR SYNAPSE_PORT=$port WEB_PORT=$web_port ${dc[*]} down -v"
			exit "$rc"
		fi
	fi
	timeout 120 "${dc[@]}" down -v >/dev/null 2>&1 || echo "run-stack: down -v failed" >&2
	[ -z "$healthd" ] || kill "$healthd" 2>/dev/null || true
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT INT TERM

"$repo/deploy/compose/make-secrets.sh" "$SECRETS_DIR" >/dev/null
# The bot's image, exactly as an operator builds it.
timeout 900 "${dc[@]}" build buurtbot > "$tmp/build.log" 2>&1 || { tail -30 "$tmp/build.log" >&2; fail "image build"; }
phase "bot image built"

"$ctr/healthd.sh" -p "$project" -t 1200 > "$tmp/healthd.log" 2>&1 &
healthd=$!
timeout 300 "${dc[@]}" up -d > "$tmp/up.log" 2>&1 || { cat "$tmp/up.log" >&2; fail "docker-compose up -d"; }

health_of() { podman inspect --format '{{.State.Health.Status}}' "${project}_$1_1" 2>/dev/null || echo none; }
deadline=$(( $(date +%s) + 240 ))
for svc in db synapse buurtbot-web buurtbot; do
	until [ "$(health_of "$svc")" = healthy ]; do
		[ "$(date +%s)" -lt "$deadline" ] || fail "$svc is $(health_of "$svc"), not healthy"
		sleep 1
	done
done
for svc in synapse-init bot-register; do
	code=$(podman inspect --format '{{.State.ExitCode}}' "${project}_${svc}_1")
	[ "$code" = 0 ] || fail "one-shot $svc exited $code"
done
phase "up -d until db, synapse, buurtbot-web and buurtbot healthy"

# The operator's account, registered the way the README says (shared
# secret, password from a file on stdin, not on a command line).
pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$pw" | "${dc[@]}" exec -T synapse register_new_matrix_user -c /data/homeserver.yaml \
	--password-file /dev/stdin --no-admin --exists-ok -u "$operator" http://localhost:8008 >/dev/null ||
	fail "registering @$operator:$server"
res=("$py" "$repo/tests/harness/resident.py" --hs "$hs" --user "@$operator:$server" --password "$pw"
	--store "$tmp/resident")
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

room=$("${res[@]}" create-room --name "stacktest" --invite "$bot" | json room_id)
# Wait for the bot's join (it accepts invites from admins).
token=$(curl -fsS -X POST "$hs/_matrix/client/v3/login" -H 'Content-Type: application/json' \
	-d "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"$operator\"},\"password\":\"$pw\"}" |
	json access_token)
joined() {
	curl -fsS -H "Authorization: Bearer $token" "$hs/_matrix/client/v3/rooms/$room/joined_members" |
		python3 -c 'import json,sys; print(sys.argv[1] in json.load(sys.stdin)["joined"])' "$bot"
}
deadline=$(( $(date +%s) + 60 ))
until [ "$(joined)" = True ]; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "the bot did not join the operator's room"
	sleep 0.5
done
ping1=$("${res[@]}" send "$room" '!ping' | json event_id)
"${res[@]}" wait-reply "$room" "$ping1" --from "$bot" --timeout 60 > "$tmp/reply1.json" || fail "!ping not answered"
python3 -c 'import json,sys; r=json.load(sys.stdin)["replies"]; sys.exit(not (len(r) == 1 and r[0]["body"].startswith("pong")))' \
	< "$tmp/reply1.json" || fail "!ping: $(cat "$tmp/reply1.json")"
phase "operator registered, encrypted room, !ping answered"

# A melding travels the resident's route: the stuurgroep member (the
# operator, a member in structure.json) adds a resident to a wijkgroep,
# the resident reports, the member approves (!door), and the copy is in
# the regiegroep.
rpw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$rpw" | "${dc[@]}" exec -T synapse register_new_matrix_user -c /data/homeserver.yaml \
	--password-file /dev/stdin --no-admin --exists-ok -u bewoner http://localhost:8008 >/dev/null ||
	fail "registering @bewoner:$server"
resident=("$py" "$repo/tests/harness/resident.py" --hs "$hs" --user "@bewoner:$server" --password "$rpw"
	--store "$tmp/bewoner")
room_of() {  # the room of a structure key, by the bot's alias for it
	curl -fsS -H "Authorization: Bearer $token" "$hs/_matrix/client/v3/directory/room/%23buurtbot.$1:$server" | json room_id
}
sg=$(room_of stuurgroep.stuurgroep-centrum)
wg=$(room_of wijkgroep.centrum-noord)
rg=$(room_of regiegroep.centrum)
for r in "$sg" "$wg" "$rg"; do "${res[@]}" join "$r" >/dev/null 2>&1 || fail "the operator cannot join $r"; done
ev=$("${res[@]}" send "$sg" "!lid toevoegen @bewoner:$server centrum-noord" 2>/dev/null | json event_id)
"${res[@]}" wait-reply "$sg" "$ev" --from "$bot" --timeout 60 2>/dev/null | grep -q 'is uitgenodigd' ||
	fail "!lid toevoegen not answered"
deadline=$(( $(date +%s) + 30 ))
until "${resident[@]}" join "$wg" >/dev/null 2>&1; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "the resident was not invited into the wijkgroep"
	sleep 1
done
melding="Verdachte bestelbus zonder kenteken bij de Marktstraat 12 ($project)"
mev=$("${resident[@]}" send "$wg" "$melding" 2>/dev/null | json event_id)
"${resident[@]}" wait-reply "$wg" "$mev" --from "$bot" --timeout 60 2>/dev/null | grep -q 'Casus #1 geopend' ||
	fail "the melding did not open casus 1"
ev=$("${res[@]}" send "$wg" '!door' --reply-to "$mev" 2>/dev/null | json event_id)
"${res[@]}" wait-reply "$wg" "$ev" --from "$bot" --timeout 60 2>/dev/null | grep -q 'Doorgezet naar Regiegroep' ||
	fail "!door not confirmed"
copies() {  # the bot's copies of the melding in the regiegroep
	"${res[@]}" read "$rg" --limit 50 2>/dev/null | python3 -c '
import json, sys
evs = json.load(sys.stdin)["events"]
print(sum(1 for e in evs if e["sender"] == sys.argv[1] and sys.argv[2] in (e["body"] or "")))' "$bot" "$melding"
}
deadline=$(( $(date +%s) + 60 ))
until [ "$(copies)" = 1 ]; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "the melding is not in the regiegroep (copies: $(copies))"
	sleep 1
done
phase "melding: resident added, casus opened, !door, copy in the regiegroep"

# The sign-up website, through its published port as the reverse proxy
# reaches it: the wijk page, the flyer, the form with its session cookie
# and token (one mistake first); the status link it answers with.
web_name="Web Bewoner $project"
status=$(python3 - "127.0.0.1:$web_port" "$web_name" <<'PY'
import http.client, re, sys, urllib.parse
host, name = sys.argv[1], sys.argv[2]
def req(method, path, body=None, cookie=None):
    c = http.client.HTTPConnection(host, timeout=30)
    h = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        h["Cookie"] = cookie
    c.request(method, path, body, h)
    r = c.getresponse()
    return r.status, r.getheader("Set-Cookie") or "", r.getheader("Location") or "", r.read()
st, set_cookie, _, page = req("GET", "/wijk/centrum")
assert st == 200 and b"Aanmelden" in page and b"Centrum" in page, f"wijk page: HTTP {st}"
cookie = set_cookie.split(";")[0]
assert cookie.startswith("bb_sid="), f"no session cookie: {set_cookie!r}"
assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie, set_cookie
st, _, _, png = req("GET", "/wijk/centrum/flyer.png")
assert st == 200 and png.startswith(b"\x89PNG"), f"flyer: HTTP {st}"
def token(page):
    return re.search(rb'name="token" value="([^"]+)"', page).group(1).decode()
form = {"naam": name, "adres": "1011 AB", "telefoon": "0612345678", "akkoord": "ja", "lang": "nl"}
st, _, _, page = req("POST", "/wijk/centrum", urllib.parse.urlencode(dict(form, token=token(page))), cookie)
assert st == 422 and "18 jaar of ouder".encode() in page, f"a form without 18+: HTTP {st}"
form["volwassen"] = "ja"
st, _, loc, _ = req("POST", "/wijk/centrum", urllib.parse.urlencode(dict(form, token=token(page))), cookie)
assert st == 303 and loc.startswith("/status/"), f"the form: HTTP {st} {loc!r}"
print(loc)
PY
) || fail "the website's form"
# The bot reads web.db every 3 s and after each sync; a message in its
# room also ends the sync's long poll at once.
nudge() { "${res[@]}" send "$room" "website: $1" >/dev/null 2>&1 || fail "nudging the bot"; }
nudge "aanmelding"
applications() {  # the bot's notices of web_name in the stuurgroep
	"${res[@]}" read "$sg" --limit 50 2>/dev/null | python3 -c '
import json, re, sys
evs = json.load(sys.stdin)["events"]
for e in evs:
    b = e["body"] or ""
    if e["sender"] == sys.argv[1] and sys.argv[2] in b:
        print(re.search(r"Nieuwe aanmelding (\d+)", b).group(1))' "$bot" "$web_name"
}
deadline=$(( $(date +%s) + 60 ))
until [ -n "$(applications)" ]; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "the web application never reached the stuurgroep"
	sleep 1
done
n=$(applications)
[ "$(wc -l <<< "$n")" = 1 ] || fail "the stuurgroep has the web application more than once: $n"
ev=$("${res[@]}" send "$sg" "!toelaten $n" 2>/dev/null | json event_id)
"${res[@]}" wait-reply "$sg" "$ev" --from "$bot" --timeout 60 >/dev/null 2>&1 || fail "!toelaten $n not answered"
nudge "toegelaten"
python3 - "127.0.0.1:$web_port" "$status" "$hs" <<'PY' || fail "admitted: no working registration token"
import http.client, json, os, re, sys, time, urllib.error, urllib.request
host, path, hs = sys.argv[1:4]
deadline = time.time() + 60
while True:
    c = http.client.HTTPConnection(host, timeout=30)
    c.request("GET", path)
    page = c.getresponse().read().decode()
    m = re.search(r'id="regtoken"[^>]*>([^<]+)<', page)
    if m:
        break
    assert time.time() < deadline, "the status page never offered a token: " + page[-400:]
    time.sleep(1)
def register(session=None, auth=None):
    body = {"username": f"webbewoner{os.getpid()}", "password": "wachtwoord-" + os.urandom(6).hex()}
    if auth:
        body["auth"] = dict(auth, session=session)
    req = urllib.request.Request(hs + "/_matrix/client/v3/register", json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
st, ans = register()
assert st == 401 and ans.get("session"), f"register: HTTP {st} {ans}"
session = ans["session"]
st, ans = register(session, {"type": "m.login.registration_token", "token": m.group(1).strip()})
if st == 401:  # the dummy stage after the token
    st, ans = register(session, {"type": "m.login.dummy"})
assert st == 200 and ans.get("user_id"), f"register with the token: HTTP {st} {ans}"
PY
phase "website: wijk page, flyer, form -> stuurgroep, !toelaten -> token -> account"

# SIGHUP reloads the structure (at the next sync: a message makes one).
"${dc[@]}" kill -s HUP buurtbot >/dev/null 2>&1
ping2=$("${res[@]}" send "$room" '!ping' | json event_id)
"${res[@]}" wait-reply "$room" "$ping2" --from "$bot" --timeout 60 >/dev/null || fail "!ping after SIGHUP not answered"
deadline=$(( $(date +%s) + 60 ))
until "${dc[@]}" logs --no-color buurtbot 2>/dev/null | grep -q 'reloading the structure file (SIGHUP)'; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "no reload after SIGHUP"
	sleep 0.5
done

# Health and a backup, inside the running bot's container.
"${dc[@]}" exec -T buurtbot buurtbot --config /etc/buurtbot/buurtbot.conf --health > "$tmp/health.txt" 2>&1 ||
	fail "--health: $(cat "$tmp/health.txt")"
"${dc[@]}" exec -T buurtbot buurtbot --config /etc/buurtbot/buurtbot.conf --backup /var/lib/buurtbot/backup.db \
	> "$tmp/backup.txt" 2>&1 || fail "--backup: $(cat "$tmp/backup.txt")"
"${dc[@]}" exec -T buurtbot cat /var/lib/buurtbot/backup.db > "$tmp/backup.db"
python3 - "$tmp/backup.db" <<'PY' || fail "the backup does not hold the bot's rows"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
assert db.execute("SELECT count(*) FROM kv WHERE key = 'sync_token'").fetchone()[0] == 1
assert db.execute("SELECT count(*) FROM audit_log WHERE allowed = 1").fetchone()[0] >= 2
assert db.execute("SELECT count(*) FROM structure_rooms").fetchone()[0] >= 6
PY
phase "SIGHUP reload, --health and --backup in the container"

# A restart loses and repeats nothing: the answered !pings stay answered
# once, a new one is answered.
timeout 120 "${dc[@]}" restart buurtbot >/dev/null 2>&1 || fail "restart"
ping3=$("${res[@]}" send "$room" '!ping' | json event_id)
"${res[@]}" wait-reply "$room" "$ping3" --from "$bot" --timeout 90 >/dev/null || fail "!ping after restart not answered"
for ev in "$ping1" "$ping2" "$ping3"; do
	n=$("${res[@]}" wait-reply "$room" "$ev" --from "$bot" --timeout 5 |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["replies"]))') || fail "reading the replies to $ev"
	[ "$n" = 1 ] || fail "!ping $ev has $n replies after the restart"
done
n=$(copies)
[ "$n" = 1 ] || fail "the regiegroep has $n copies of the melding after the restart"
deadline=$(( $(date +%s) + 120 ))
until [ "$(health_of buurtbot)" = healthy ]; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "buurtbot is $(health_of buurtbot) after the restart"
	sleep 1
done
phase "restart: nothing lost or repeated, healthy again"

# Restore the backup as the README says; the bot comes back from it.
timeout 120 "${dc[@]}" stop buurtbot >/dev/null 2>&1 || fail "stop"
timeout 120 "${dc[@]}" run --rm --no-deps -T --entrypoint sh buurtbot -c 'umask 077 &&
	cat > /var/lib/buurtbot/buurtbot.db && rm -f /var/lib/buurtbot/buurtbot.db-wal /var/lib/buurtbot/buurtbot.db-shm' \
	< "$tmp/backup.db" > "$tmp/restore.log" 2>&1 || fail "restore: $(cat "$tmp/restore.log")"
timeout 120 "${dc[@]}" start buurtbot >/dev/null 2>&1 || fail "start"
ping4=$("${res[@]}" send "$room" '!ping' | json event_id)
"${res[@]}" wait-reply "$room" "$ping4" --from "$bot" --timeout 90 >/dev/null || fail "!ping after the restore not answered"
deadline=$(( $(date +%s) + 120 ))
until [ "$(health_of buurtbot)" = healthy ]; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "buurtbot is $(health_of buurtbot) after the restore"
	sleep 1
done
phase "restored from the backup, !ping answered, healthy"

timeout 120 "${dc[@]}" down -v > "$tmp/down.log" 2>&1 || fail "down -v"
left=$(podman ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}'; podman volume ls --format '{{.Name}}' | grep "^${project}_" || true; podman network ls --format '{{.Name}}' | grep "^${project}_" || true)
[ -z "$left" ] || fail "left after down -v: $left"
phase "down -v, nothing left"
say "ok in $(( $(date +%s) - t_all )) s"
