"""Kill a writing process with SIGKILL at random moments: no committed event is ever lost.

A child process appends events in a loop and prints each seq only after ``append`` returned.
The parent kills it after a random 20-300 ms, reopens the same file and checks that SQLite's
integrity check passes, that the chain verifies, that every seq the child reported is there and
that no append_many group is half written. ``KIOSK_CRASH_ROUNDS`` sets the number of rounds
(default 30) and ``KIOSK_CRASH_SEED`` replays a failing run.
"""

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from local_store import EventStore

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]
STATION = "CR-CRASH"
ROUNDS = int(os.environ.get("KIOSK_CRASH_ROUNDS", "30"))

pytestmark = pytest.mark.slow


def spawn(db: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(db), STATION],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def wait_ready(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    assert proc.stdout is not None
    readable, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline() if readable else b""
    if line != b"ready\n":
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"child did not start: {line!r}\n{err.decode(errors='replace')}")


def kill(proc: subprocess.Popen[bytes]) -> set[int]:
    """SIGKILL the child and return the seqs it reported committed (complete lines only)."""
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err.decode(errors="replace")
    *complete, _partial = out.split(b"\n")  # what follows the last newline may be cut short
    return {int(line) for line in complete if line != b"ready"}


def check(db: Path, committed: set[int], context: str, *, create: bool = False) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
    finally:
        conn.close()
    with EventStore(db, STATION, create=create) as store:
        result = store.verify()
        assert result.ok, f"{context}: {result}"
        groups: dict[int, list[int]] = defaultdict(list)
        sizes: dict[int, int] = {}
        seqs: set[int] = set()
        for event in store.events():
            seqs.add(event.seq)
            groups[event.payload["group"]].append(event.payload["part"])
            sizes[event.payload["group"]] = event.payload["of"]
        missing = sorted(committed - seqs)
        assert not missing, f"{context}: committed seqs lost: {missing[:20]}"
        half = {g: parts for g, parts in groups.items() if sorted(parts) != list(range(sizes[g]))}
        assert not half, f"{context}: append_many groups half written: {json.dumps(half)}"
        summary = [(b.batch, b.events) for b in store.batches()]
        assert summary == ([("B-CRASH", len(seqs))] if seqs else []), context
        return len(seqs)


def test_sigkill_never_loses_a_committed_event(tmp_path: Path) -> None:
    seed = int(os.environ.get("KIOSK_CRASH_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    db = tmp_path / "crash.sqlite"
    committed: set[int] = set()
    started = time.monotonic()
    for round_ in range(ROUNDS):
        proc = spawn(db)
        wait_ready(proc)
        time.sleep(rng.uniform(0.020, 0.300))
        reported = kill(proc)
        committed |= reported
        total = check(db, committed, f"seed {seed}, round {round_}")
    assert committed, "the child never reported a commit: the test checked nothing"
    assert total >= len(committed)
    print(f"{ROUNDS} kills, {total} events, {time.monotonic() - started:.1f} s, seed {seed}")


def test_sigkill_while_creating_the_database(tmp_path: Path) -> None:
    """A kill during the first open (the schema migration) leaves a file that opens cleanly."""
    seed = int(os.environ.get("KIOSK_CRASH_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    for round_ in range(6):
        db = tmp_path / f"fresh-{round_}.sqlite"
        proc = spawn(db)
        time.sleep(rng.uniform(0.05, 0.8))  # child start-up plus migration take about this long
        committed = kill(proc)
        # Whatever the kill left (nothing, an empty file, a complete schema), it opens and works.
        check(db, committed, f"seed {seed}, round {round_}", create=True)
        with EventStore(db, STATION) as store:
            assert store.append("step.recorded", {"group": 0, "part": 0, "of": 1}, actor="u:t")
            assert store.verify().ok
