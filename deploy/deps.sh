#!/usr/bin/env bash
# Installs what buurtbot needs to build and test, and nothing that is
# already there: Debian/Ubuntu packages, then the Python virtual
# environment (.venv/) with the pinned Synapse for tests and the demo.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
packages=(gcc make pkg-config libcurl4-openssl-dev libcjson-dev libolm-dev
	libsqlite3-dev libcriterion-dev python3 python3-venv curl ca-certificates)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
		sudo="sudo"
	fi
	echo "deps: installing ${missing[*]}"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

req="$repo/tests/harness/requirements.txt"
venv="$repo/.venv"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$stamp" 2>/dev/null; then
	echo "deps: preparing $venv with $(grep -v '^#' "$req" | tr '\n' ' ')"
	[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
	cp "$req" "$stamp"
fi
