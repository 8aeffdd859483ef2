"""Fault injection: SIGKILL `kiosk oq run` at random moments of a validation run.

`kiosk oq run` prints one line per script step after the step's events are committed, so a
line the parent has read is an acknowledgement. One uninterrupted reference run records, per
printed line, how many events the database held when the line appeared. Then each round starts
a fresh run, reads a random number of its lines, waits a random few milliseconds more and
SIGKILLs it. After every kill:

- `kiosk audit verify` (the real command) must say the chain is intact;
- every event acknowledged before the kill is there: at least as many events as the
  reference held at the last line read;
- the events are a prefix of the reference run's (same type, actor and batch in the same
  order): nothing lost in between, nothing half written, nothing extra.

``KIOSK_FAULT_ROUNDS`` (default 100) and ``KIOSK_FAULT_SEED`` replay a run; the figures go to
benchmarks/README.md ("Fault injection").
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import random
import re
import select
import signal
import sqlite3
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from local_store import EventStore
from tests.helpers import ROOT

SCRIPT = ROOT / "oq" / "car-t-full-batch.yaml"
ROUNDS = int(os.environ.get("KIOSK_FAULT_ROUNDS", "100"))

pytestmark = pytest.mark.slow

Shape = tuple[str, str, str | None]
"""(type, actor, batch) of an event: what must match the reference run, event by event."""


def shapes(db: Path) -> list[Shape]:
    if not db.exists():
        return []
    with EventStore(db, "FAULT-CHECK", read_only=True) as store:
        return [(e.type, e.actor, e.batch) for e in store.events()]


class _Counting:
    """stdout of the reference run: each line with the event count at the moment it is written."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.lines: list[tuple[str, int]] = []
        self._partial = ""

    def write(self, text: str) -> int:
        self._partial += text
        while "\n" in self._partial:
            line, self._partial = self._partial.split("\n", 1)
            conn = sqlite3.connect(f"{self.db.resolve().as_uri()}?mode=ro", uri=True)
            try:
                count = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
            finally:
                conn.close()
            self.lines.append((line, count))
        return len(text)

    def flush(self) -> None:
        pass


def reference_run(tmp: Path) -> tuple[list[tuple[str, int]], list[Shape]]:
    from kiosk.oq import run_script

    db = tmp / "reference.sqlite"
    out = _Counting(db)
    assert run_script(SCRIPT, db, out, fast_hash=True)  # type: ignore[arg-type]  # a TextIO enough for print()
    return out.lines, shapes(db)


def _child(db: str, conn: Connection) -> None:
    """The killed process: what `kiosk oq run SCRIPT --db DB` runs, its stdout a pipe.

    ``fast_hash``: the OQ runner's test hasher (argon2 with a small cost), as the unit tests
    use it; argon2 is most of a run's time and not what a kill tests.
    """
    from kiosk.oq import run_script

    out = open(conn.fileno(), "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    os._exit(0 if run_script(SCRIPT, Path(db), out, fast_hash=True) else 1)


class Run:
    """One `kiosk oq run` in a process forked from a server that has imported kiosk already.

    The fork server (multiprocessing's "forkserver") pays Python's start-up and the imports
    once, so a hundred runs fit in CI; each run is still its own process, killed with SIGKILL.
    """

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kiosk.cli", "kiosk.oq", "tests.integration.test_oq_kill"])

    def __init__(self, db: Path) -> None:
        reader, writer = self.context.Pipe(duplex=False)
        self.process = self.context.Process(target=_child, args=(str(db), writer), daemon=True)
        self.process.start()
        writer.close()
        self.reader = reader
        self._buffer = b""

    def lines(self, wanted: int) -> list[bytes]:
        """Up to ``wanted`` complete lines (fewer if the run ends first)."""
        got: list[bytes] = []
        while len(got) < wanted:
            while b"\n" not in self._buffer:
                readable, _, _ = select.select([self.reader.fileno()], [], [], 60)
                chunk = os.read(self.reader.fileno(), 65536) if readable else b""
                if not chunk:
                    return got
                self._buffer += chunk
            line, self._buffer = self._buffer.split(b"\n", 1)
            got.append(line + b"\n")
        return got

    def kill(self) -> tuple[bool, list[bytes]]:
        """SIGKILL; (whether the signal ended it, the complete lines it wrote before)."""
        assert self.process.pid is not None
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(60)
        rest = self.lines(10**6)
        self.reader.close()
        return self.process.exitcode == -signal.SIGKILL, rest


def audit_verify(db: Path) -> tuple[int, str]:
    """`kiosk audit verify --db DB`, the command's own code, in this process."""
    from kiosk.cli import main

    out = io.StringIO()
    return main(["audit", "verify", "--db", str(db)], out=out), out.getvalue()


def test_sigkill_oq_run_loses_no_acknowledged_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = int(os.environ.get("KIOSK_FAULT_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    lines, reference = reference_run(tmp_path)
    assert reference, "the reference run recorded nothing"
    started = time.monotonic()
    kills = finished = 0
    for round_ in range(ROUNDS):
        db = tmp_path / f"kill-{round_}.sqlite"
        run = Run(db)
        got = run.lines(rng.randrange(0, len(lines) + 1))
        time.sleep(rng.uniform(0, 0.05))
        killed, rest = run.kill()
        if killed:
            kills += 1
        else:
            finished += 1  # it completed before the signal: still checked below
        complete = got + rest
        acknowledged = reference_count(lines, complete)
        where = f"seed {seed}, round {round_}, {len(complete)} lines read"

        if db.exists():
            code, said = audit_verify(db)
            if "no database" not in said:  # killed before its schema existed
                assert code == 0, f"{where}: {said}"
                assert "chain intact" in said, where
        found = shapes(db) if db.exists() and db.stat().st_size else []
        assert len(found) >= acknowledged, (
            f"{where}: {acknowledged} events acknowledged, {len(found)} in the record"
        )
        assert found == reference[: len(found)], f"{where}: the record departs from the run"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nfault injection: {ROUNDS} rounds ({kills} killed mid-run, {finished} finished "
            f"first) of {SCRIPT.name}, 0 chain failures, 0 acknowledged events lost, "
            f"{elapsed:.0f} s, seed {seed}"
        )
    assert kills >= ROUNDS // 2, "most rounds must end by the signal, or little was tested"


def reference_count(lines: list[tuple[str, int]], complete: list[bytes]) -> int:
    """Events the reference held when it printed the last line the killed run printed."""
    if not complete:
        return 0
    index = len(complete) - 1
    text = complete[index].decode(errors="replace").rstrip("\n")
    assert index < len(lines), f"more lines than the reference run: {text!r}"
    assert _same(lines[index][0], text), f"line {index}: {text!r} != {lines[index][0]!r}"
    return lines[index][1]


def _same(reference: str, text: str) -> bool:
    """The same output line, but for the exception IDs (random: `X-` and 8 hex digits)."""
    return EXCEPTION_ID.sub("X-…", reference) == EXCEPTION_ID.sub("X-…", text)


EXCEPTION_ID = re.compile(r"X-[0-9A-F]{8}")
