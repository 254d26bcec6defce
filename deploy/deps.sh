#!/usr/bin/env bash
# Installs what buurtbot needs to build and test, and only what is missing:
# Debian/Ubuntu packages (apt-get; sudo when not root; gcc and clang with
# its runtimes: libFuzzer and the sanitizers, for make fuzz-run), then
# two Python virtual environments at the repository root (tests and the demo
# only; the bot itself needs no Python):
#   .venv/         the newest Synapse, tests/harness/requirements.txt
#   .venv-compat/  the oldest supported Synapse, tests/harness/requirements-compat.txt
#                  (the compatibility pass of tests/run-all.sh)
# Quick and silent apart from one line when all is present.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DEBIAN_FRONTEND=noninteractive

installed() {
	dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null | grep -qx installed
}

did=0
missing=()
# A C compiler with libc headers and make: build-essential, unless gcc,
# make and libc6-dev are there already.
if ! installed build-essential && ! { installed gcc && installed make && installed libc6-dev; }; then
	missing+=(build-essential)
fi
for p in pkg-config libcurl4-openssl-dev libcjson-dev libolm-dev libsqlite3-dev libcairo2-dev libssl-dev \
	libcriterion-dev clang libclang-rt-dev python3 python3-venv curl ca-certificates; do
	installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	sudo=()
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null ||
			{ echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
		sudo=(sudo DEBIAN_FRONTEND=noninteractive)
	fi
	for p in "${missing[@]}"; do echo "deps: installing $p (apt)"; done
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	did=1
fi

# The Python side. ensure_venv VENV REQ: VENV holds exactly what the
# requirements file REQ pins; creates or upgrades it only when it does not.
# True when everything REQ names is installed in VENV, at the pinned
# version where a line pins one (name[extras]==version).
pins_ok() {
	"$1/bin/python" - "$2" <<-'PY' 2>/dev/null
	import re, sys, importlib.metadata as md
	for line in open(sys.argv[1]):
	    line = line.split("#", 1)[0].split(";", 1)[0].strip()
	    if not line:
	        continue
	    m = re.match(r"([A-Za-z0-9._-]+)\s*(?:\[[^]]*\])?\s*(?:==\s*([^\s,]+))?", line)
	    have = md.version(m.group(1))   # raises when not installed
	    if m.group(2) and have != m.group(2):
	        sys.exit(1)
	PY
}
ensure_venv() {
	local venv=$1 req=$2
	if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
		echo "deps: creating the Python virtual environment $venv"
		python3 -m venv --clear "$venv"
		did=1
	fi
	if ! pins_ok "$venv" "$req"; then
		echo "deps: installing $(grep -v '^ *#' "$req" | grep . | tr '\n' ' ')into $venv"
		"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
		pins_ok "$venv" "$req" || { echo "deps: $venv still lacks what $req pins" >&2; exit 1; }
		did=1
	fi
}
ensure_venv "$repo/.venv" "$repo/tests/harness/requirements.txt"
ensure_venv "$repo/.venv-compat" "$repo/tests/harness/requirements-compat.txt"
[ "$did" = 1 ] || echo "deps: everything is installed"
