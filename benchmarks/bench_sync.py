"""Sync benchmark: one station pushing 10,000 events; 50 stations pushing at once.

The server is a real ``python -m central serve`` process on loopback (one uvicorn worker), over
a SQLite file (``synchronous=FULL``) and over a PostgreSQL cluster started for the run in a
temporary folder with its durable defaults (fsync on). The stations are real ``EventStore``
files pushed with ``kiosk.sync.push_pending``.

1. Push 10,000 events (batches of 500) from one station, from nothing to fully acknowledged.
   Targets: <= 5 s into SQLite, <= 10 s into PostgreSQL. Best and median of ``--repeats`` runs,
   each against a fresh server database.
2. 50 stations (threads, one httpx client each) push 200 events each at the same time, in
   batches of 20: throughput, request latency p50/p99/max, and zero loss (every station's events
   on the server with identical hashes, checked afterwards, and ``central verify`` passing).

Usage: PYTHONPATH=. python benchmarks/bench_sync.py [--events N] [--stations N]
       [--per-station N] [--repeats N] [--skip-postgres]

Prints its figures and the machine; it asserts nothing about time.
"""

import argparse
import io
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import select

from central import schema
from central.cli import main as central_main
from central.stations import add_station
from central.store import CentralStore
from kiosk.sync import Ack, SyncClient, SyncState, push_pending
from local_store import EventStore
from tests.integration import pg

ROOT = Path(__file__).resolve().parents[1]
SQLITE_TARGET_S = 5.0
POSTGRES_TARGET_S = 10.0


def start_payload(batch: str) -> dict[str, Any]:
    """A batch.started payload like the engine writes."""
    return {
        "recipe_id": "car-t-autologous",
        "recipe_version": 4,
        "recipe_sha256": "0" * 64,
        "recipe_title": "Autologous CAR-T",
        "context": {"patient_id": f"P-{batch}", "order_id": f"O-{batch}"},
        "station": batch,
    }


def step_payload(i: int) -> dict[str, Any]:
    """A step.recorded payload like the engine writes (about 300 bytes of canonical JSON)."""
    return {
        "step_id": "viability",
        "stage": "expansion",
        "iteration": i % 12 + 1,
        "kind": "entry",
        "name": "viability",
        "step": f"expansion[{i % 12 + 1}].viability",
        "value": 85.0 + (i % 150) / 10,
        "unit": "%",
        "decimals": 1,
        "device": "BAL-1234",
        "limits": {"alert": [85, 100], "action": [70, 100]},
        "critical": "CQA",
        "witness": "u:asmith",
        "entry": "device",
        "recipe": {"id": "car-t-autologous", "version": 3},
        "exceptions": [],
        "comment": "Viable cell fraction by AO/PI, 2 counts averaged.",
    }


def machine(pg_version: str | None) -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version or "not run",
        "kernel": platform.release(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def build_station(path: Path, station: str, events: int) -> None:
    """Batches of 500 events, each opened by its batch.started, as the authority map wants."""
    with EventStore(path, station) as store:
        items = [
            (
                "batch.started" if i % 500 == 0 else "step.recorded",
                start_payload(f"B-{station}-{i // 500:03d}") if i % 500 == 0 else step_payload(i),
                "u:olivia",
                f"B-{station}-{i // 500:03d}",
                None,
            )
            for i in range(events)
        ]
        for start in range(0, events, 5000):
            store.append_many(items[start : start + 5000])


@contextmanager
def server(database_url: str, log: Path) -> Iterator[str]:
    port = pg.free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with log.open("ab") as sink:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "central", "serve", "--db", database_url,
                "--port", str(port), "--log-level", "warning",
            ],
            stdout=sink,
            stderr=sink,
            env=env,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"central serve did not start:\n{log.read_text()}")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)


class TimedClient(SyncClient):
    """A SyncClient that records how long each push took (request and response)."""

    def __init__(self, *args: Any, latencies: list[float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._latencies = latencies

    def push(self, events: Any) -> Ack:
        started = time.perf_counter()
        try:
            return super().push(events)
        finally:
            self._latencies.append(time.perf_counter() - started)


def held(store: CentralStore, station: str) -> list[tuple[int, str]]:
    e = schema.events
    with store.read() as conn:
        rows = conn.execute(
            select(e.c.seq, e.c.hash).where(e.c.station == station).order_by(e.c.seq)
        )
        return [(int(a), str(b)) for a, b in rows]


def one_station(database_url: str, station_db: Path, events: int, work: Path) -> float:
    """Seconds to push ``events`` from one station into a fresh server database."""
    with CentralStore(database_url) as store:
        token = add_station(store, "BENCH-1")
    with (
        server(database_url, work / "server.log") as url,
        EventStore(station_db, "BENCH-1") as station,
        SyncClient(url, token) as client,
    ):
        state_path = work / f"state-{time.monotonic_ns()}.sync"
        started = time.perf_counter()
        result = push_pending(station, client, SyncState(state_path), batch_size=500)
        elapsed = time.perf_counter() - started
        local = [(e.seq, e.hash) for e in station.events()]
    assert result.pending == 0
    assert result.acknowledged == events
    with CentralStore(database_url) as store:
        assert held(store, "BENCH-1") == local, "the server does not hold exactly the events"
    return elapsed


def many_stations(
    database_url: str, stations: int, per_station: int, work: Path
) -> dict[str, float]:
    names = [f"BENCH-{i:02d}" for i in range(stations)]
    tokens: dict[str, str] = {}
    with CentralStore(database_url) as store:
        for name in names:
            tokens[name] = add_station(store, name)
    for name in names:
        build_station(work / f"{name}.sqlite", name, per_station)
    latencies: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(stations + 1)

    def run(name: str) -> None:
        db = work / f"{name}.sqlite"
        try:
            with (
                EventStore(db, name) as station,
                TimedClient(url, tokens[name], timeout=60, latencies=latencies) as client,
            ):
                barrier.wait()
                result = push_pending(
                    station, client, SyncState(work / f"{name}.sync"), batch_size=20
                )
                if result.pending:
                    errors.append(f"{name}: {result.pending} not acknowledged")
        except Exception as exc:
            errors.append(f"{name}: {exc!r}")

    with server(database_url, work / "server.log") as url:
        threads = [threading.Thread(target=run, args=(n,)) for n in names]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    lost = 0
    with CentralStore(database_url) as store:
        for name in names:
            with EventStore(work / f"{name}.sqlite", name) as station:
                local = [(e.seq, e.hash) for e in station.events()]
            if held(store, name) != local:
                lost += 1
    out = io.StringIO()
    verified = central_main(["verify", "--db", database_url], out=out) == 0
    ordered = sorted(latencies)
    return {
        "seconds": elapsed,
        "events": stations * per_station,
        "events_per_s": stations * per_station / elapsed,
        "requests": len(latencies),
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "max_ms": 1000 * ordered[-1],
        "stations_with_loss": lost,
        "errors": len(errors),
        "verify_ok": float(verified),
    }


def report_single(label: str, runs: list[float], events: int, target: float) -> None:
    best, median = min(runs), statistics.median(runs)
    met = "met" if median <= target else "NOT met"
    print(
        f"{label}: {events} events, median {median:.2f} s ({events / median:,.0f} events/s), "
        f"best {best:.2f} s, runs {', '.join(f'{r:.2f}' for r in runs)} — target <= "
        f"{target:.0f} s: {met}"
    )


def report_many(label: str, r: dict[str, float]) -> None:
    print(
        f"{label}: {r['events']:.0f} events from 50 stations in {r['seconds']:.2f} s "
        f"({r['events_per_s']:,.0f} events/s), {r['requests']:.0f} requests, latency p50 "
        f"{r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms; stations "
        f"with loss {r['stations_with_loss']:.0f}, errors {r['errors']:.0f}, central verify "
        f"{'passed' if r['verify_ok'] else 'FAILED'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--per-station", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    cluster: pg.PgCluster | None = None
    pg_version = None
    try:
        if not args.skip_postgres:
            reason = pg.missing_reason()
            if reason is None:
                cluster = pg.PgCluster(durable=True).start()
                with psycopg.connect(
                    f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres"
                ) as conn:
                    row = conn.execute("SHOW server_version").fetchone()
                    pg_version = str(row[0]) if row else "?"
            else:
                print(f"PostgreSQL skipped: {reason}")
        print("machine:", ", ".join(f"{k} {v}" for k, v in machine(pg_version).items()))
        station_db = work / "station.sqlite"
        started = time.perf_counter()
        build_station(station_db, "BENCH-1", args.events)
        print(f"built the station database ({args.events} events) in "
              f"{time.perf_counter() - started:.1f} s (not timed)")  # fmt: skip

        runs = []
        for i in range(args.repeats):
            runs.append(
                one_station(str(work / f"central-{i}.sqlite"), station_db, args.events, work)
            )
        report_single("push into SQLite", runs, args.events, SQLITE_TARGET_S)
        if cluster is not None:
            runs = []
            for _ in range(args.repeats):
                url = cluster.create_database()
                runs.append(one_station(url, station_db, args.events, work))
            report_single("push into PostgreSQL", runs, args.events, POSTGRES_TARGET_S)

        folder = work / "many-sqlite"
        folder.mkdir()
        report_many(
            "50 stations into SQLite",
            many_stations(str(folder / "central.sqlite"), args.stations, args.per_station, folder),
        )
        if cluster is not None:
            folder = work / "many-pg"
            folder.mkdir()
            report_many(
                "50 stations into PostgreSQL",
                many_stations(cluster.create_database(), args.stations, args.per_station, folder),
            )
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
