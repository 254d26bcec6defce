#!/usr/bin/env bash
# Local demo: a throwaway Synapse on 127.0.0.1 (port 8008 when free), the
# bot's account and demo accounts, the bot's config, then the bot in the
# foreground. Ctrl-C stops the bot, and this script then stops Synapse.
# State (homeserver database, passwords, the bot's data) stays in .tmp/demo/
# between runs, so accounts and rooms persist; `rm -rf .tmp/demo` resets.
#
# Usage: deploy/demo/run-demo.sh [--no-bot]
#   --no-bot  set everything up and keep Synapse running until Ctrl-C, but
#             do not start the bot (run it yourself, e.g. under gdb:
#             ./buurtbot --config .tmp/demo/buurtbot.conf)
# Needs deploy/deps.sh to have run (`make demo` does both, and builds).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
demo="$repo/.tmp/demo"
hs="$repo/tests/harness/hs"
export BUURTBOT_HS_DIR="$demo/synapse"

run_bot=1
case "${1:-}" in
"") ;;
--no-bot) run_bot=0 ;;
*) echo "usage: $0 [--no-bot]" >&2; exit 2 ;;
esac

if [ "$run_bot" = 1 ]; then
	make -C "$repo" -s all || { echo "demo: building the bot failed (make); fix the build first" >&2; exit 1; }
	[ -x "$repo/buurtbot" ] ||
		{ echo "demo: $repo/buurtbot is missing after make; cannot start the bot" >&2; exit 1; }
fi
[ -x "$repo/.venv/bin/python" ] || { echo "demo: no .venv; run ./deploy/deps.sh (or make deps) first" >&2; exit 1; }

mkdir -p "$demo" "$demo/data"
chmod 700 "$demo" "$demo/data"

port_args=()
if ! (exec 3<>/dev/tcp/127.0.0.1/8008) 2>/dev/null; then
	port_args=(--port 8008)   # nothing listens on 8008: use the friendly fixed port
else
	echo "demo: port 8008 is in use (another program, or a demo already running); using another port" >&2
fi
bot=
stop_all() {
	trap - EXIT INT TERM
	if [ -n "$bot" ]; then
		echo "demo: stopping the bot"
		kill -TERM "$bot" 2>/dev/null || true
		wait "$bot" 2>/dev/null || true
	fi
	echo "demo: stopping Synapse"
	"$hs" stop >/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "demo: starting Synapse (state in .tmp/demo/synapse, log .tmp/demo/synapse/homeserver.log)"
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
# The people of the fase-2 Zoomwijck example (deploy/examples): stuurgroep
# members and the wijkagent, all with the password demo-stuur.
structure="$repo/deploy/examples/zoomwijck-fase2.json"
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

cat <<TEXT

================================ buurtbot demo ================================
 Homeserver   $url      (server name: localhost)

 Log in with a Matrix client, e.g. Element Desktop, or Element Web
 (https://app.element.io): at "Sign in" choose "Edit" next to the homeserver,
 enter   $url   and sign in as

     admin      password  demo-admin       (may invite the bot)
     bewoner1   password  $b1_pw
     bewoner2   password  $b2_pw
     anna.stuur password  demo-stuur       (stuurgroep Noord, telefoonbeheerder)

 The bot builds the fase-2 Zoomwijck (deploy/examples/zoomwijck-fase2.json):
 a Space "Zoomstad" with the Space "Zoomwijck", its wijkgroepen, stuurgroepen
 and regiegroep. Log in as anna.stuur (or any @*.stuur account in that file,
 password demo-stuur) to see the invites. In any room with the bot, type
     !ping      the bot answers
     !help      the commands
 Or, as admin: create a room, invite @buurtbot:localhost, and try the same.

 Sign up as a newcomer: log in as bewoner1, "Start chat" with
 @buurtbot:localhost and say hello; answer its questions (a postcode such as
 7331 AB, or the buurt name Kerkebuurt). Then, as anna.stuur, answer
 "!toelaten 1" in "Stuurgroep Zoomwijck Noord"; bewoner1 gets the invitation to the
 wijkgroep. Or knock on a wijkgroep ("Request to join") as bewoner2.

 Bot config   .tmp/demo/buurtbot.conf   (password in .tmp/demo/bot-password,
              store key in .tmp/demo/pickle-key.password: keep it with data/)
 Synapse log  .tmp/demo/synapse/homeserver.log
 Ctrl-C stops the bot and the homeserver. Reset everything: rm -rf .tmp/demo
===============================================================================

TEXT

if [ "$run_bot" = 0 ]; then
	echo "demo: --no-bot: Synapse runs until Ctrl-C. Start the bot with:"
	echo "  ./buurtbot --config .tmp/demo/buurtbot.conf"
	while :; do sleep 1; done
fi
# In the background with `wait`, so that Ctrl-C (or SIGTERM to this script)
# reaches the bot as SIGTERM and Synapse is stopped after it.
cd "$repo"
./buurtbot --config "$demo/buurtbot.conf" &
bot=$!
rc=0
wait "$bot" || rc=$?
bot=
echo "demo: the bot exited with status $rc"
exit "$rc"
