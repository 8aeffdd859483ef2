"""Event store benchmark: action-to-durable-commit latency and chain verification throughput.

1. Latency: N appends (default 1,000) of realistic ~300-byte step payloads, one at a time, on a
   SQLite file with synchronous=FULL; each figure is the time ``append`` takes to return, i.e.
   until the event is fsynced. Target: p99 <= 20 ms.
2. Verification: a database of N events (default 1,000,000) is built with append_many in chunks
   of 10,000 (not timed), then ``EventStore.verify()`` walks it, ``--repeats`` times (best and
   median reported; the target is judged on the median). Target: >= 100,000 events/s.

Usage: python benchmarks/bench_store.py [--events N] [--appends N] [--repeats N] [--dir DIR]

Prints its figures and the machine; it asserts nothing about time.
"""

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from local_store import EventStore, canonical_json

STATION = "CR2-K1"
CHUNK = 10_000
EVENTS_PER_BATCH = 500
LATENCY_P99_TARGET_MS = 20.0
VERIFY_TARGET_PER_S = 100_000


def step_payload(i: int) -> dict[str, Any]:
    """A step.recorded payload like the engine writes (about 300 bytes of canonical JSON)."""
    return {
        "step": f"expansion[{i % 12}].viability",
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


def machine() -> dict[str, str]:
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
        "system": f"{platform.system()} {platform.release()}",
    }


def bench_latency(directory: Path, appends: int) -> dict[str, float]:
    path = directory / "latency.sqlite"
    with EventStore(path, STATION) as store:
        for i in range(20):  # warm-up: connections, statement cache, file growth
            store.append("step.recorded", step_payload(i), actor="u:jdoe", batch="B-WARM")
        samples: list[float] = []
        for i in range(appends):
            payload = step_payload(i)
            started = time.perf_counter()
            store.append("step.recorded", payload, actor="u:jdoe", batch="B-2026-0113")
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "appends": appends,
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[max(0, round(0.99 * len(samples)) - 1)],
        "max_ms": samples[-1],
        "payload_bytes": len(canonical_json(step_payload(0)).encode()),
    }


def build(path: Path, events: int) -> float:
    started = time.perf_counter()
    with EventStore(path, STATION) as store:
        done = 0
        while done < events:
            n = min(CHUNK, events - done)
            store.append_many(
                [
                    (
                        "step.recorded",
                        step_payload(done + k),
                        "u:jdoe",
                        f"B-{(done + k) // EVENTS_PER_BATCH:06d}",
                        None,
                    )
                    for k in range(n)
                ]
            )
            done += n
    return time.perf_counter() - started


def bench_verify(directory: Path, events: int, repeats: int) -> dict[str, float]:
    path = directory / "verify.sqlite"
    build_s = build(path, events)
    times: list[float] = []
    with EventStore(path, STATION, create=False) as store:
        for _ in range(repeats):
            started = time.perf_counter()
            result = store.verify()
            times.append(time.perf_counter() - started)
            if not result.ok or result.events != events:
                raise SystemExit(f"verification failed on the benchmark database: {result}")
    return {
        "events": events,
        "build_s": build_s,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "repeats": repeats,
        "db_mb": path.stat().st_size / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events to verify")
    parser.add_argument("--appends", type=int, default=1_000, help="appends to time")
    parser.add_argument("--repeats", type=int, default=3, help="verify runs (best and median)")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the databases")
    args = parser.parse_args(argv)

    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    directory = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.dir))
    try:
        lat = bench_latency(directory, args.appends)
        print(
            f"append latency ({lat['appends']:.0f} appends, {lat['payload_bytes']:.0f}-byte "
            f"payload, synchronous=FULL): p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms, "
            f"max {lat['max_ms']:.2f} ms (target p99 <= {LATENCY_P99_TARGET_MS:.0f} ms: "
            f"{'met' if lat['p99_ms'] <= LATENCY_P99_TARGET_MS else 'NOT met'})"
        )
        ver = bench_verify(directory, args.events, args.repeats)
        best = ver["events"] / ver["best_s"]
        median = ver["events"] / ver["median_s"]
        print(
            f"verify: {ver['events']:,.0f} events, {ver['repeats']:.0f} runs: best "
            f"{ver['best_s']:.2f} s = {best:,.0f} events/s, median {ver['median_s']:.2f} s = "
            f"{median:,.0f} events/s (target >= {VERIFY_TARGET_PER_S:,}: "
            f"{'met' if median >= VERIFY_TARGET_PER_S else 'NOT met'}); "
            f"database {ver['db_mb']:.0f} MB built in {ver['build_s']:.1f} s (not timed)"
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
