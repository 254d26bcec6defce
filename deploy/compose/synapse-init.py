"""First-run and every-run step of the stack, in the Synapse image, as root.

Makes /data/homeserver.yaml once (the image's own `generate`), then points
it at PostgreSQL and at the registration secret, from the secret files
(/run/secrets), every time, so a changed secret takes effect. The database
password ends up in homeserver.yaml (mode 0600, Synapse's uid), as in any
Synapse installation; the registration secret in its own file next to it.
"""
import os
import subprocess
import sys

import yaml

DATA = os.environ.get("SYNAPSE_DATA_DIR", "/data")
CONF = os.path.join(DATA, "homeserver.yaml")
REG_SECRET = os.path.join(DATA, "registration-secret")
UID = int(os.environ.get("UID", "991"))
GID = int(os.environ.get("GID", "991"))


def secret(name):
    with open(os.path.join("/run/secrets", name)) as f:
        value = f.read().strip()
    if not value:
        sys.exit(f"synapse-init: the secret {name} is empty: run make-secrets.sh")
    return value


def write_private(path, text):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chown(tmp, UID, GID)
    os.replace(tmp, path)


def main():
    if not os.path.exists(CONF):
        print("synapse-init: first run: generating", CONF, "for", os.environ.get("SYNAPSE_SERVER_NAME"), flush=True)
        subprocess.run(["/start.py", "generate"], check=True)
    with open(CONF) as f:
        cfg = yaml.safe_load(f)
    want = os.environ.get("SYNAPSE_SERVER_NAME")
    if want and cfg.get("server_name") != want:
        print(f"synapse-init: warning: the homeserver is {cfg.get('server_name')!r}, not {want!r}: "
              "a server name cannot change once accounts exist (start over with `down -v`)", flush=True)
    write_private(REG_SECRET, secret("registration-secret") + "\n")
    cfg.pop("registration_shared_secret", None)
    cfg["registration_shared_secret_path"] = REG_SECRET
    # Open only with a registration token: the bot makes one-use tokens for
    # residents admitted through the sign-up website.
    cfg["enable_registration"] = True
    cfg["registration_requires_token"] = True
    cfg["report_stats"] = False
    cfg["database"] = {
        "name": "psycopg2",
        "args": {
            "user": os.environ.get("POSTGRES_USER", "synapse"),
            "password": secret("db-password"),
            "database": os.environ.get("POSTGRES_DB", "synapse"),
            "host": os.environ.get("POSTGRES_HOST", "db"),
            "port": 5432,
            "cp_min": 5,
            "cp_max": 10,
        },
    }
    write_private(CONF, yaml.safe_dump(cfg, default_flow_style=False, sort_keys=False))
    print("synapse-init: homeserver.yaml uses PostgreSQL at", cfg["database"]["args"]["host"], flush=True)


main()
