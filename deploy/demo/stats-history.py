#!/usr/bin/env python3
"""Fills the demo bot's store with a few weeks of generated, anonymous
statistics history (issue 16), so that !statistiek, the chart and
--export-stats have something to show in the demo.

Only the anonymous table stats_casus is written (numbers below zero, so
they never meet a real casus); no casus, message or room is made. Run it
after the demo bot has built its rooms, with the bot stopped or running:

  python3 deploy/demo/stats-history.py [--store .tmp/demo/data/buurtbot.db]
      [--weeks 6] [--seed 16]
"""
import argparse
import random
import sqlite3
import time

OUTCOMES = [("closed", "politie ter plaatse"), ("closed", "aanhouding"), ("closed", "loos alarm"),
            ("closed", "onbekend"), ("closed", None), ("expired", None)]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--store", default=".tmp/demo/data/buurtbot.db")
    p.add_argument("--weeks", type=int, default=6)
    p.add_argument("--seed", type=int, default=16)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    db = sqlite3.connect(a.store, timeout=10)
    keys = [r[0] for r in db.execute("SELECT key FROM structure_rooms WHERE key LIKE 'wijkgroep:%' ORDER BY key")]
    if not keys:
        raise SystemExit("no wijkgroepen in the store yet: start the demo bot once first")
    low = db.execute("SELECT min(min(nr), 0) FROM stats_casus").fetchone()[0] or 0
    now, nr, rows = int(time.time()), low - 1, 0
    for key in keys:
        weight = rnd.uniform(0.4, 1.6)
        for day in range(a.weeks * 7):
            for _ in range(rnd.choices([0, 1, 2, 3], [5, 3, 1.5 * weight, weight])[0]):
                # evenings and nights more than mornings
                hour = rnd.choices(range(24), [1] * 6 + [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 5, 5, 4, 3])[0]
                opened = now - (a.weeks * 7 - day) * 86400 + hour * 3600 + rnd.randrange(3600)
                status, uitkomst = rnd.choice(OUTCOMES)
                approval = opened + rnd.randrange(60, 1800) if rnd.random() < 0.6 else None
                closed = opened + (86400 if status == "expired" else rnd.randrange(900, 6 * 3600))
                db.execute("INSERT INTO stats_casus (nr, room_key, opened, called_112, first_approval, closed,"
                           " status, uitkomst) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (nr, key, opened, int(rnd.random() < 0.35), approval, closed, status, uitkomst))
                nr -= 1
                rows += 1
    db.commit()
    print(f"stats-history: {rows} generated casussen over {a.weeks} weeks in {len(keys)} wijkgroepen")


if __name__ == "__main__":
    main()
