"""What checking a material lot costs: the check at a scan, the server's consumption total.

1. A station attached to its pulled copy (``<db>.sync``) re-reads it at every material scan
   (``MasterData.use_problem`` → ``refresh``): time per check with ``--lots`` lots pulled and
   ``--lines`` consumption lines from other stations.
2. The server totals ``material.used`` events per lot and station at every station's pull
   (``central.materials.consumption``): time for ``--events`` such events on SQLite.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_materials.py [--lots N] [--lines N]
        [--events N] [--checks N] [--dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert

from central import materials, schema
from central.store import CentralStore
from kiosk.masterdata import MasterData
from kiosk.sync import SyncState
from kiosk.units import Quantity
from local_store import EventStore, canonical_json

GTIN = "08430215011539"


def clock() -> datetime:
    return datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


def station_check(folder: Path, lots: int, lines: int, checks: int) -> list[float]:
    store = EventStore(folder / "station.sqlite", "BENCH-1")
    state = SyncState(SyncState.path_for(store.path))
    state.save_master(
        "materials",
        [{"version": 1, "code": "BEADS", "name": "beads", "gtins": [GTIN]}],
        1,
    )
    rows = [
        {
            "version": n + 1,
            "gtin": GTIN,
            "lot": f"L-{n}",
            "material": "BEADS",
            "expiry": "2027-12-31",
            "status": "released",
            "quantity": "1000",
            "unit": "mL",
        }
        for n in range(lots)
    ]
    state.save_master("lots", rows, lots)
    state.save_consumption(
        [
            {"gtin": GTIN, "lot": f"L-{n % lots}", "station": f"S-{n}", "quantity": 1.0}
            for n in range(lines)
        ]
    )
    master = MasterData(store, clock)
    master.attach(state)
    amount = Quantity.of(7.5, "mL")
    times = []
    for n in range(checks):
        start = time.perf_counter()
        problem, _ = master.use_problem(GTIN, f"L-{n % lots}", date(2027, 12, 31), "BEADS", amount)
        times.append(time.perf_counter() - start)
        assert problem is None, problem
    store.close()
    return times


def server_total(folder: Path, events: int) -> float:
    store = CentralStore(str(folder / "central.sqlite"))
    payload = {
        "step": "isolation.beads_lot",
        "gtin": GTIN,
        "lot": "L-0",
        "quantity": 7.5,
        "unit": "mL",
    }
    with store.write() as conn:
        conn.execute(
            insert(schema.stations).values(
                name="BENCH-1", token_hash="x" * 64, created_at="2026-11-27T07:00:00Z",
                head_seq=events, head_hash="0" * 64,
            )
        )  # fmt: skip
        conn.execute(
            insert(schema.events),
            [
                {
                    "station": "BENCH-1", "seq": n + 1, "ts": "2026-11-27T07:00:00Z",
                    "actor": "u:olivia", "batch": f"B-{n}", "type": "material.used",
                    "payload": canonical_json({**payload, "lot": f"L-{n % 50}"}),
                    "reason": None, "prev": "0" * 64, "hash": f"{n:064x}",
                    "received_at": "2026-11-27T07:00:00Z",
                }
                for n in range(events)
            ],
        )  # fmt: skip
    start = time.perf_counter()
    total = materials.consumption(store)
    took = time.perf_counter() - start
    assert len(total) == 50
    store.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lots", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        times = sorted(station_check(Path(folder), args.lots, args.lines, args.checks))
        p50 = statistics.median(times) * 1000
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
        print(
            f"station check, {args.lots} lots and {args.lines} consumption lines pulled: "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms over {args.checks} checks"
        )
        took = server_total(Path(folder), args.events)
        print(f"server consumption total over {args.events} material.used events: {took:.2f} s")


if __name__ == "__main__":
    main()
