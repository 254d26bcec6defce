"""One-shot step of the stack, in the Synapse image, after Synapse is healthy.

1. Creates the bot's account with Synapse's shared-secret registration
   (register_new_matrix_user reads the secret from homeserver.yaml's
   registration_shared_secret_path and the password from the secret file:
   no password on any command line). An existing account is left as it is.
2. Exempts the bot's account from Synapse's rate limits, as the admin API
   `override_ratelimit` would (a row in ratelimit_override with 0 messages
   per second), so that creating the structure's rooms does not take
   minutes. Needs no admin account; the database password comes from its
   secret file.
3. Registers a Synapse admin account (ADMIN_LOCALPART, password from the
   secret file synapse-admin-password, the same way) and logs it in over
   HTTP (the password in the request body only) to write its access token
   to /run/synapse-admin/synapse_admin_token, mode 0600, owned by the bot's
   uid: the bot makes one-use registration tokens with it for residents
   admitted through the sign-up website. A token there that still works is
   kept (no new login, no new device at every start).
"""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import psycopg2
import yaml

CONF = "/data/homeserver.yaml"
LOCALPART = os.environ.get("BOT_LOCALPART", "buurtbot")
ADMIN_LOCALPART = os.environ.get("ADMIN_LOCALPART", "buurtbot-admin")
ADMIN_TOKEN = "/run/synapse-admin/synapse_admin_token"
BOT_UID = int(os.environ.get("BOT_UID", "10001"))
HS = "http://synapse:8008"


def http(method, path, body=None, token=None):
    req = urllib.request.Request(HS + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, {}


def admin_token(server_name):
    """The admin's token in ADMIN_TOKEN: kept while it works, else a new login."""
    user_id = f"@{ADMIN_LOCALPART}:{server_name}"
    subprocess.run(["register_new_matrix_user", "--config", CONF, "--password-file",
                    "/run/secrets/synapse-admin-password", "--admin", "--exists-ok", "--user", ADMIN_LOCALPART,
                    HS], check=True)
    try:
        with open(ADMIN_TOKEN) as f:
            old = f.read().strip()
    except FileNotFoundError:
        old = ""
    if old and http("GET", "/_matrix/client/v3/account/whoami", token=old)[1].get("user_id") == user_id:
        print(f"bot-register: the token of {user_id} still works, kept", flush=True)
        return
    with open("/run/secrets/synapse-admin-password") as f:
        password = f.read().strip()
    status, ans = http("POST", "/_matrix/client/v3/login", {
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": ADMIN_LOCALPART},
        "password": password, "device_id": "BUURTBOT_ADMIN", "initial_device_display_name": "buurtbot admin token"})
    if status != 200 or "access_token" not in ans:
        raise OSError(f"logging in {user_id} failed: HTTP {status} {ans.get('errcode', '')}")
    tmp = ADMIN_TOKEN + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(ans["access_token"] + "\n")
    os.chown(tmp, BOT_UID, BOT_UID)
    os.replace(tmp, ADMIN_TOKEN)
    print(f"bot-register: wrote the token of {user_id} for the bot", flush=True)


def main():
    subprocess.run(["register_new_matrix_user", "--config", CONF, "--password-file", "/run/secrets/bot-password",
                    "--no-admin", "--exists-ok", "--user", LOCALPART, "http://synapse:8008"], check=True)
    with open(CONF) as f:
        cfg = yaml.safe_load(f)
    user_id = f"@{LOCALPART}:{cfg['server_name']}"
    args = dict(cfg["database"]["args"])
    with open("/run/secrets/db-password") as f:
        args["password"] = f.read().strip()
    conn = psycopg2.connect(host=args.get("host", "db"), port=args.get("port", 5432), user=args["user"],
                            password=args["password"], dbname=args["database"])
    with conn, conn.cursor() as cur:
        cur.execute("DELETE FROM ratelimit_override WHERE user_id = %s", (user_id,))
        cur.execute("INSERT INTO ratelimit_override (user_id, messages_per_second, burst_count) VALUES (%s, 0, 0)",
                    (user_id,))
    conn.close()
    print(f"bot-register: {user_id} is registered and not rate-limited", flush=True)
    admin_token(cfg["server_name"])


try:
    main()
except (subprocess.CalledProcessError, psycopg2.Error, OSError, KeyError) as e:
    sys.exit(f"bot-register: {e}")
