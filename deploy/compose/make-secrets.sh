#!/bin/sh
# Makes the stack's secret files in ./secrets (or the folder given), once:
# an existing file is kept. Run it as root (sudo), so that the bot's two
# files belong to its uid (10001) and the others to root, all mode 0600.
# No secret is printed or put on a command line.
#   bot-password         the bot's password on the homeserver
#   pickle-key           encrypts the bot's keys in its store: KEEP A COPY
#   registration-secret  Synapse's shared secret for registering accounts
#   db-password          PostgreSQL password of the synapse database user
#   synapse-admin-password  password of the Synapse admin account whose
#                        token the bot uses for residents' registration tokens
set -eu
dir=${1:-$(dirname "$0")/secrets}
bot_uid=${BUURTBOT_UID:-10001}
umask 077
mkdir -p "$dir"
# others may pass through (docker compose looks the files up) but not list
chmod 711 "$dir"

make_one() {  # name owner
	f="$dir/$1"
	if [ -s "$f" ]; then
		echo "make-secrets: $f exists, kept"
	else
		# 32 random bytes, base64 without padding or newline characters
		head -c 32 /dev/urandom | base64 | tr -d '\n=' > "$f.tmp"
		mv "$f.tmp" "$f"
		echo "make-secrets: wrote $f"
	fi
	chmod 600 "$f"
	if [ "$(id -u)" = 0 ]; then
		chown "$2" "$f"
	elif [ "$2" != root ]; then
		echo "make-secrets: not root: run 'sudo chown $2 $f' yourself" >&2
	fi
}

make_one bot-password "$bot_uid"
make_one pickle-key "$bot_uid"
make_one registration-secret root
make_one db-password root
make_one synapse-admin-password root
echo "make-secrets: done. Keep a copy of $dir/pickle-key with your backups."
