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
"""
import os
import subprocess
import sys

import psycopg2
import yaml

CONF = "/data/homeserver.yaml"
LOCALPART = os.environ.get("BOT_LOCALPART", "buurtbot")


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


try:
    main()
except (subprocess.CalledProcessError, psycopg2.Error, OSError, KeyError) as e:
    sys.exit(f"bot-register: {e}")
