#!/usr/bin/env bash
# Local demo: a Synapse on 127.0.0.1 (state kept in .tmp/demo/ between
# runs), the bot's account and two demo accounts, then the bot in the
# foreground. Ctrl-C stops the bot; the demo homeserver stops with it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
demo="$repo/.tmp/demo"
hs="$repo/tests/harness/hs"
export BUURTBOT_HS_DIR="$demo/synapse"
mkdir -p "$demo"
chmod 700 "$demo"

[ -x "$repo/buurtbot" ] || { echo "demo: ./buurtbot is missing; run make first" >&2; exit 1; }

port_args=()
if [ ! -f "$BUURTBOT_HS_DIR/port" ] && ! (exec 3<>/dev/tcp/127.0.0.1/8008) 2>/dev/null; then
	port_args=(--port 8008)   # a friendly fixed address when it is free
fi
url=$("$hs" start "${port_args[@]}")
trap '"$hs" stop >/dev/null 2>&1 || true' EXIT

# Passwords are made once and kept with the demo state.
secret() {
	local f="$demo/$1.password"
	[ -f "$f" ] || (umask 077; head -c 12 /dev/urandom | base64 | tr -d '/+=' > "$f")
	cat "$f"
}
printf 'demo-admin' > "$demo/admin.password"
bot_pw=$(secret bot)
"$hs" register buurtbot "$bot_pw" >/dev/null
"$hs" register admin demo-admin >/dev/null
"$hs" register bewoner1 "$(secret bewoner1)" >/dev/null
"$hs" register bewoner2 "$(secret bewoner2)" >/dev/null
(umask 077; printf '%s\n' "$bot_pw" > "$demo/bot-password")

cat > "$demo/buurtbot.conf" <<CONF
# Written by deploy/demo/run-demo.sh
homeserver_url = $url
user_id = @buurtbot:localhost
password_file = $demo/bot-password
data_dir = $demo/data
log_level = info
language = nl
admins = @admin:localhost
CONF

cat <<TEXT

================ buurtbot demo ================
Homeserver:  $url   (server name: localhost)

Log in with a Matrix client (e.g. Element: choose "Edit" at the
homeserver and enter $url):
  admin      password demo-admin        (may invite the bot)
  bewoner1   password $(secret bewoner1)
  bewoner2   password $(secret bewoner2)

Then: create a room, invite @buurtbot:localhost, and type
  !ping     the bot answers: pong
  !help     the list of commands
(Turn encryption off when creating the room: the bot reads encrypted
rooms only from a later version.)

Ctrl-C stops the bot and the demo homeserver. State is kept in .tmp/demo/.
===============================================

TEXT
cd "$demo"
"$repo/buurtbot" --config "$demo/buurtbot.conf"
