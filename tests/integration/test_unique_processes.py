"""Two real processes on one fresh database create the same users, equipment and lots.

Each process loads its user list before the other has written anything, so a check against
that list passes in both; only the check inside the append's write transaction holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from kiosk.clock import system_clock
from kiosk.masterdata import MasterData
from local_store import EventStore
from tests.helpers import ROOT

CHILD = """
import json, os, sys, time
from datetime import date
from argon2 import PasswordHasher
from kiosk.auth import Auth, AuthError
from kiosk.clock import system_clock
from kiosk.masterdata import MasterData, MasterDataError
from local_store import EventStore

db, go = sys.argv[1], sys.argv[2]
fast = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
with EventStore(db, "CR-U1") as store:
    auth = Auth(store, system_clock, hasher=fast)   # both load an empty list
    master = MasterData(store, system_clock)
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.001)
    added, refused = [], []
    for n in range(5):
        try:
            auth.add_user(f"user{n}", f"User {n}", ["operator"], "long-enough-pw-1",
                          by="system", badge=f"B{n}")
            added.append(f"user{n}")
        except AuthError as exc:
            refused.append(str(exc))
    for n in range(3):
        try:
            master.register_lot("08430215011539", f"LOT-{n}", "BEADS", date(2030, 1, 1),
                                by="system")
            added.append(f"LOT-{n}")
        except MasterDataError as exc:
            refused.append(str(exc))
    print(json.dumps({"added": added, "refused": refused}), flush=True)
"""


def test_two_processes_never_write_the_same_user_twice(tmp_path: Path) -> None:
    db = tmp_path / "fresh.sqlite"
    go = tmp_path / "go"
    with EventStore(db, "CR-U1") as store:  # a fresh record database with one material
        MasterData(store, system_clock).register_material(
            "BEADS", "beads", ["08430215011539"], by="system"
        )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
    go.touch()  # both start writing at once
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.splitlines()[-1]))
    with EventStore(db, "CR-U1", read_only=True) as store:
        created = Counter(e.payload["user"] for e in store.events(types={"user.created"}))
        lots = Counter(e.payload["lot"] for e in store.events(types={"lot.registered"}))
        assert store.verify().ok
    assert created == {f"user{n}": 1 for n in range(5)}
    assert lots == {f"LOT-{n}": 1 for n in range(3)}
    added = sorted(a for r in results for a in r["added"])
    assert added == sorted([f"user{n}" for n in range(5)] + [f"LOT-{n}" for n in range(3)])
    refusals = [msg for r in results for msg in r["refused"]]
    assert len(refusals) == 8  # every item the other process had recorded first
    assert all("already recorded" in msg for msg in refusals)
