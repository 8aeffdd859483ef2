"""The station's monitoring sampler: the cost of its look for running monitored timers, and of
recording one sample, with many batches held.

The sampler (`kiosk.monitoring_service.StationMonitoring`) looks at every batch the station
holds on each sync (`running_monitors`), and records each sample of each running monitored
timer through the engine (`record_monitoring`: one committed event per sample). This builds a
station with `--batches` batches at a monitored incubation timer (its timer running) and as
many finished ones, then times the look (baseline: listing the batches alone, the part every
look pays anyway) and one sample into one batch. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_monitoring.py [--batches 300] [--rounds 50]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.station import bench_station
from kiosk.engine import Captured, MonitorSample
from kiosk.monitoring_service import running_monitors

RECIPE = """\
id: bench-monitor
version: 1
title: Monitored incubation
status: effective
stages:
  - id: culture
    steps:
      - id: incubate
        kind: timer
        title: Incubation
        monitor:
          role: incubator
          interval: 1 min
          nodes:
            temperature: {unit: °C, alert: [36.5, 37.5], action: [36.0, 38.0]}
            co2: {unit: "%", alert: [4.5, 5.5]}
      - id: harvest
        kind: instruction
"""
SOURCE = "urn:bench:incubator"


def timed(fn: object, rounds: int) -> list[float]:
    assert callable(fn)
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return sorted(out)


def figures(name: str, ms: list[float]) -> str:
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    return f"{name:<44} median {statistics.median(ms):7.2f} ms  p95 {p95:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        station = bench_station(Path(tmp) / "station.sqlite", {"bench-monitor": RECIPE})
        store, engine, clock = station.store, station.engine, station.clock
        session = station.auth.login("olivia", "op-olivia-2026")
        engine.masterdata.register_equipment(
            "INC-1", "incubator", SOURCE, "bench", date(2027, 6, 30), by="system"
        )
        store.append(
            "device.accepted",
            {"role": "incubator", "serial": SOURCE, "asset": "INC-1"},
            actor="u:tess",
        )
        engine.masterdata.catch_up()
        running = []
        for i in range(args.batches):
            batch = engine.start_batch(session, "bench-monitor", {}, batch_id=f"B-RUN-{i:04d}")
            engine.timer_start(session, batch)
            running.append(batch)
            done = engine.start_batch(session, "bench-monitor", {}, batch_id=f"B-DONE-{i:04d}")
            engine.timer_start(session, done)
            engine.timer_stop(session, done)
            engine.confirm(session, done)
        found = running_monitors(engine)
        assert len(found) == args.batches, len(found)
        look = timed(lambda: running_monitors(engine), args.rounds)
        listing = timed(lambda: list(store.batches()), args.rounds)
        minute = iter(range(1, 10**6))

        def one_sample() -> None:
            at = clock() + timedelta(minutes=next(minute))
            readings = {
                "temperature": Captured(37.0, "°C", at, SOURCE, "Good", "ns=2;s=T"),
                "co2": Captured(5.0, "%", at, SOURCE, "Good", "ns=2;s=C"),
            }
            engine.record_monitoring(running[0], "culture.incubate", [MonitorSample(at, readings)])

        sample = timed(one_sample, args.rounds)
        events = store.count()
        store.close()
    print(
        f"station: {args.batches} batches at a running monitored timer, "
        f"{args.batches} finished, {events} events"
    )
    print(figures("look for running monitored timers", look))
    print(figures("baseline: list the station's batches", listing))
    print(figures("record one sample (2 nodes) into one batch", sample))


if __name__ == "__main__":
    main()
