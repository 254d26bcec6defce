#!/usr/bin/env bash
# Local demo: builds the bot (quietly), starts a throwaway Synapse on
# 127.0.0.1 (port 8008 when free), makes the bot's account and the demo
# accounts (everyone the structure file names, and two residents), writes
# the bot's config, prints a banner with the accounts, the room addresses
# and what to try, then runs the bot in the foreground. Ctrl-C stops the bot
# and Synapse and ends with "demo stopped" (exit status 0).
# State (homeserver database, passwords, the bot's data) stays in .tmp/demo/
# between runs, so accounts and rooms persist; `rm -rf .tmp/demo` resets.
#
# Usage: deploy/demo/run-demo.sh [--no-bot]
#   --no-bot  set everything up and keep Synapse running until Ctrl-C, but
#             do not build or start the bot (run it yourself, e.g. under gdb:
#             ./buurtbot --config .tmp/demo/buurtbot.conf)
# Needs deploy/deps.sh to have run (`make demo` runs it first).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
demo="$repo/.tmp/demo"
hs="$repo/tests/harness/hs"
py="$repo/.venv/bin/python"
structure="$repo/deploy/examples/zoomwijck-fase2.json"
export BUURTBOT_HS_DIR="$demo/synapse"

run_bot=1
case "${1:-}" in
"") ;;
--no-bot) run_bot=0 ;;
*) echo "usage: $0 [--no-bot]" >&2; exit 2 ;;
esac

# Ctrl-C in a terminal signals every process of the terminal's foreground
# process group. Under `make demo` that includes make, which then reports
# "Error 130" and fails, whatever this script does. So on a terminal the
# demo runs as a job of its own (bash job control, set -m: its own process
# group, which holds the terminal while it runs). Ctrl-C then reaches only
# the demo, which stops everything and exits 0, and make ends normally.
if [ -z "${BUURTBOT_DEMO_PARENT:-}" ] && [ -t 0 ] && [ -t 2 ]; then
	export BUURTBOT_DEMO_PARENT=$$
	set -m
	rc=0
	"$repo/deploy/demo/run-demo.sh" "$@" || rc=$?
	exit "$rc"
fi
parent=${BUURTBOT_DEMO_PARENT:-}
unset BUURTBOT_DEMO_PARENT

mkdir -p "$demo" "$demo/data"
chmod 700 "$demo" "$demo/data"

bot=
sleeper=
hs_started=0
stopping=0
finish() {
	local rc=$?
	# Ignored from here on: a second Ctrl-C must not leave Synapse behind.
	trap '' INT TERM HUP
	trap - EXIT
	[ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
	if [ -n "$bot" ] || [ "$hs_started" = 1 ]; then
		echo "demo: stopping the bot and Synapse…" 2>/dev/null || true
	fi
	if [ -n "$bot" ]; then
		kill -TERM "$bot" 2>/dev/null || true
		wait "$bot" 2>/dev/null || true
	fi
	[ "$hs_started" = 0 ] || "$hs" stop >/dev/null 2>&1 || true
	if [ "$stopping" = 1 ]; then
		echo "demo stopped" 2>/dev/null || true
		exit 0
	fi
	exit "$rc"
}
trap finish EXIT
trap 'stopping=1; exit 0' INT TERM HUP

# Waits while $1 runs; ends the demo when the process that started it (make,
# via the job wrapper above) is gone, so nothing is left behind if make is
# killed. Sleeps in the background so that a signal is handled at once.
wait_running() {
	while kill -0 "$1" 2>/dev/null; do
		if [ -n "$parent" ] && ! kill -0 "$parent" 2>/dev/null; then
			stopping=1
			exit 0
		fi
		sleep 1 &
		sleeper=$!
		wait "$sleeper" 2>/dev/null || true
		sleeper=
	done
}

if [ "$run_bot" = 1 ]; then
	echo "demo: building buurtbot… (up to a minute the first time)"
	if ! make -C "$repo" -s -j"$(nproc 2>/dev/null || echo 2)" all >"$demo/build.log" 2>&1; then
		[ "$stopping" = 1 ] && exit 0
		echo "demo: the build failed (make all):" >&2
		grep -v '^make\(\[[0-9]*\]\)\?: \(Entering\|Leaving\) directory' "$demo/build.log" >&2 || true
		exit 1
	fi
	[ -x "$repo/buurtbot" ] ||
		{ echo "demo: $repo/buurtbot is missing after make; cannot start the bot" >&2; exit 1; }
fi
[ -x "$py" ] || { echo "demo: no .venv; run ./deploy/deps.sh (or make deps) first" >&2; exit 1; }

port_args=()
if ! (exec 3<>/dev/tcp/127.0.0.1/8008) 2>/dev/null; then
	port_args=(--port 8008)   # nothing listens on 8008: use the friendly fixed port
else
	echo "demo: port 8008 is in use (another program, or a demo already running); using another port" >&2
fi
echo "demo: starting Synapse (log: .tmp/demo/synapse/homeserver.log)"
hs_started=1
url=$("$hs" start "${port_args[@]}")

# A password made once and kept with the demo state (mode 0600).
password() {
	local f=$1
	[ -s "$f" ] || (umask 077; printf 'demo-%s\n' "$(head -c 9 /dev/urandom | base64 | tr '+/' 'xy')" > "$f")
	head -n 1 "$f"
}
bot_pw=$(password "$demo/bot-password")
b1_pw=$(password "$demo/bewoner1.password")
b2_pw=$(password "$demo/bewoner2.password")
chmod 600 "$demo/bot-password"
# The key that encrypts the bot's Olm/Megolm keys in its store: made once and
# kept, or the store's encryption keys are lost.
[ -s "$demo/pickle-key.password" ] ||
	(umask 077; head -c 32 /dev/urandom | base64 > "$demo/pickle-key.password")
chmod 600 "$demo/pickle-key.password"

# Register (or, on later runs, log in to check the password), then log that
# session out again: the accounts keep no stray devices, and the bot logs
# in by itself with its password.
account() {
	local json token
	json=$("$hs" register "$1" "$2") || { echo "demo: cannot set up account $1" >&2; exit 1; }
	token=$(printf '%s' "$json" | sed -n 's/.*"access_token": *"\([^"]*\)".*/\1/p')
	curl -fsS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-d '{}' "$url/_matrix/client/v3/logout" >/dev/null ||
		echo "demo: note: could not log out the set-up session of $1" >&2
}
account buurtbot "$bot_pw"
account admin demo-admin
account bewoner1 "$b1_pw"
account bewoner2 "$b2_pw"
# Everyone the structure file names (stuurgroep members, the wijkagent),
# all with the password demo-stuur.
for u in $(grep -o '@[a-z0-9._-]*:localhost' "$structure" | sort -u | sed 's/^@//; s/:localhost$//'); do
	[ "$u" = admin ] || account "$u" demo-stuur
done

cat > "$demo/buurtbot.conf" <<CONF
# Written by deploy/demo/run-demo.sh on every run; edit that script instead.
homeserver_url = $url
user_id = @buurtbot:localhost
password_file = $demo/bot-password
pickle_key_file = $demo/pickle-key.password
data_dir = $demo/data
log_level = info
language = nl
admins = @admin:localhost
structure_file = $structure
CONF
chmod 600 "$demo/buurtbot.conf"

# The banner. Names, accounts and room addresses come from the structure
# file; a room's address is the alias the bot gives it when it creates it
# (bot/reconcile.c, alias_localpart): #<bot localpart>.<room key, ':' as
# '.'>:<server>, e.g. #buurtbot.wijkgroep.beekpark:localhost.
"$py" - "$structure" "$url" buurtbot localhost "$b1_pw" "$b2_pw" <<'PY'
import json, sys, textwrap

path, url, bot, server, b1_pw, b2_pw = sys.argv[1:]
s = json.load(open(path, encoding="utf-8"))
W = 79

def local(mxid):
    return mxid[1:].split(":", 1)[0]

def alias(key):
    return f"#{bot}.{key.replace(':', '.').lower()}:{server}"

def para(text, indent=" ", sub=None):
    return textwrap.fill(text, W, initial_indent=indent,
                         subsequent_indent=sub if sub is not None else indent,
                         break_on_hyphens=False, break_long_words=False)

def rows(pairs, indent="   "):
    width = max(len(a) for a, _ in pairs) + 2
    out = []
    for a, b in pairs:
        out.append(para(b, indent + a.ljust(width), indent + " " * width))
    return "\n".join(out)

wijk = next((w for w in s["wijken"] if w.get("regiegroep")), s["wijken"][0])
sgs = wijk["stuurgroepen"]
sg = sgs[0]
tb = sg["telefoonbeheerder"]
other = next((m for m in sg["leden"] if m != tb), tb)
wgs = {w["id"]: w for w in wijk["wijkgroepen"] if not w.get("opgeheven")}
sg_wgs = [wgs[i] for i in sg["beheert"] if i in wgs]
wg = sg_wgs[0]
first = wg["buurten"][0]
if isinstance(first, dict):
    pc = (first.get("postcodes") or [""])[0]
    buurt = first.get("naam") or pc
else:
    pc, buurt = first, first
pc = pc.split("-")[0]
pc = pc + " AB" if len(pc) == 4 and pc.isdigit() else pc
police = [p for p in s.get("politie", []) if f"stuurgroep:{sg['id']}" in p.get("kamers", [])]
regie = "Regiegroep " + wijk["naam"] if wijk.get("regiegroep") else None

people = [("bewoner1, bewoner2", f"residents (passwords {b1_pw}, {b2_pw})")]
for g in sgs:
    leden = [local(g["telefoonbeheerder"]) + " (telefoonbeheerder)"] + \
            [local(m) for m in g["leden"] if m != g["telefoonbeheerder"]]
    people.append((g["naam"], ", ".join(leden)))
for p in s.get("politie", []):
    people.append((p.get("naam", "politie"), local(p["gebruiker"]) + " (politie)"))
people.append(("operator", "admin (password demo-admin)"))

rooms = [(w["naam"], alias("wijkgroep:" + w["id"])) for w in wgs.values()]
names = ", ".join(w["naam"] for w in sg_wgs)
step = lambda text: para(text, "   ", "     ")
reporter = local(police[0]["gebruiker"]) if police else local(other)
target = f"the melding appears in {regie}" if regie else "copies go to the other wijkgroepen (!door wijk)"
gemeente, wijknaam, wgnaam, sgnaam = s["gemeente"], wijk["naam"], wg["naam"], sg["naam"]
built = ", ".join(([regie] if regie else []) + [g["naam"] for g in sgs])

print(f"""
================================ buurtbot demo ================================
 Homeserver  {url}   (server name: {server})
{para(f'Element Desktop, or Element Web (https://app.element.io): at "Sign in" '
      f'choose "Edit" next to the homeserver, enter {url} and sign in as one '
      f'of these (password demo-stuur unless shown):')}
{rows(people)}

{para(f'The bot builds the Space "{gemeente}" with "{wijknaam}": {built} '
      f'and {len(wgs)} wijkgroepen. Members find their rooms under "Invites": accept '
      f'them first, a room shows only what is said after joining. '
      f'A resident joins a wijkgroep by knocking on its address: in Element '
      f'"Explore rooms", paste the address, choose "Join #…", then "Request '
      f'access" (Element Web: first turn on Settings > Labs > "Ask to join").')}
{rows(rooms)}

 Route 1, a resident's melding into the {"regiegroep" if regie else "other wijkgroepen"}:
{step(f'bewoner1 knocks on {wgnaam}, or opens "Start chat" with @{bot}:{server}, '
      f'and answers the bot (name, postcode {pc}, ..., "akkoord").')}
{step(f'{local(tb)}, in {sgnaam}: !toelaten 1')}
{step(f'bewoner1 accepts the invitation and posts, e.g. "112 gebeld: man in zwarte '
      f'jas bij de fietsenstalling"; {local(tb)} reacts ⏩ (or replies !door): {target}.')}
 Route 2, a police message into the wijkgroepen:
{step(f'{reporter} posts in {sgnaam}, e.g. "Let op: inbraken in schuurtjes"; '
      f'{local(other)} replies !door (or reacts ⏩): it goes to {names}.')}
{para('!afloop <tekst> in a casus thread closes it; !help lists what you may do.')}

 Bot config  .tmp/demo/buurtbot.conf (password and store key next to it)
 Ctrl-C stops the demo; state stays in .tmp/demo (rm -rf .tmp/demo: afresh)
===============================================================================""")
PY

if [ "$run_bot" = 0 ]; then
	echo "demo: --no-bot: Synapse runs until Ctrl-C. Start the bot with:"
	echo "  ./buurtbot --config .tmp/demo/buurtbot.conf"
	wait_running $$
fi
# The bot runs in a session of its own (setsid; a background job of this
# script is no process-group leader, so setsid does not fork and $! is the
# bot): Ctrl-C reaches only this script, which stops the bot with one
# SIGTERM (a second signal would make it exit at once) and then Synapse.
cd "$repo"
setsid ./buurtbot --config "$demo/buurtbot.conf" &
bot=$!
wait_running "$bot"
rc=0
wait "$bot" || rc=$?
bot=
echo "demo: the bot exited with status $rc"
exit "$rc"
