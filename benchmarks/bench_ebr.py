"""Batch record export and review-list derivation on a long batch.

Builds, through the real engine, one released batch of a synthetic recipe with a daily
culture stage that repeats (`--days`, default 80: four recorded values, a witnessed
weighing and a 24 h incubation timer a day, so 401 recorded values and 82 signatures), then times:

- the full batch record PDF (`kiosk.ebr.export`: open the store, read and fold the
  batch, write the PDF). Target: <= 2 s.
- the review list (`kiosk.review.items` on the batch's state, values included).
  Target: <= 100 ms.

and, for information, the review-only PDF, the JSON copy and the BatchML copy.
Prints figures and the machine; asserts nothing.

    .venv/bin/python benchmarks/bench_ebr.py [--days 80] [--repeats 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import reportlab

from benchmarks.station import bench_station
from kiosk import review
from kiosk.ebr import export, load_record
from kiosk.engine import Credentials, Reading
from local_store import EventStore

RECIPE = """\
id: bench-ebr
version: 1
title: Benchmark batch record (long daily culture)
status: effective
product: S1234A00
context:
  patient_id: {kind: text, label: Patient ID, identifier: true}
  collection_time: {kind: date, label: Collection date and time (UTC)}
stages:
  - id: receipt
    title: Receipt
    steps:
      - {id: bag_scan, kind: scan, title: Bag DIN, expect: isbt128.din, binds: din,
         witness: true}
  - id: culture
    title: Daily culture
    repeat: {until: "culture_iteration >= DAYS", max: 365}
    steps:
      - {id: count, kind: entry, title: Viable cells, type: number, unit: 1e6 cells,
         decimals: 1, range: [0, 100000], alert: [10, 5000], action: [1, 9000], critical: CPP}
      - {id: viability, kind: entry, title: Viability, type: number, unit: "%", decimals: 1,
         range: [0, 100], alert: [85, 100], action: [70, 100], critical: CQA}
      - {id: feed, kind: weigh, title: Medium added, unit: g, decimals: 1, alert: [100, 300],
         action: [50, 400], witness: true}
      - {id: per_gram, kind: calc, title: Cells per gram of medium, formula: count / feed,
         unit: 1e6 cells/g, decimals: 3}
      - {id: incubation, kind: timer, title: Incubation to the next count, minimum: 20 h,
         maximum: 28 h}
  - id: qa_release
    title: QA release
    steps:
      - {id: release, kind: signature, title: Batch release, meaning: released, roles: [qa]}
"""

PASSWORDS = {"olivia": "op-olivia-2026", "oscar": "op-oscar-2026", "quinn": "qa-quinn-2026"}


def build(tmp: Path, days: int) -> tuple[Path, Path, str]:
    """A released batch with `days` culture days; returns (db, recipes dir, batch id)."""
    users = (
        ("olivia", "Olivia Okafor", ["operator"], PASSWORDS["olivia"]),
        ("oscar", "Oscar Lindqvist", ["operator"], PASSWORDS["oscar"]),
        ("quinn", "Quinn Marlowe", ["qa"], PASSWORDS["quinn"]),
    )
    db, recipes = tmp / "bench.sqlite", tmp
    station = bench_station(
        db, {"bench-ebr": RECIPE.replace("DAYS", str(days))}, users, inactivity=timedelta(days=400)
    )
    store, auth, engine, clock = station.store, station.auth, station.engine, station.clock
    engine.masterdata.register_equipment(
        "BAL-1", "balance", "B000000001", "bench balance", date(2028, 1, 1), by="system"
    )
    olivia = auth.login("olivia", PASSWORDS["olivia"])
    oscar = Credentials("oscar", PASSWORDS["oscar"])
    batch = engine.start_batch(
        olivia,
        "bench-ebr",
        {"patient_id": "PT-BENCH", "collection_time": "2026-11-26T10:00:00Z"},
        batch_id="B-BENCH-EBR",
    )
    engine.scan(olivia, batch, "=G12341765432170")
    engine.witness(olivia, batch, oscar)
    for day in range(days):
        engine.masterdata.daily_check("BAL-1", 200.0, 200.01, "g", 0.1, by="system")
        engine.enter(olivia, batch, f"{100 + day * 10}.0")
        engine.enter(olivia, batch, f"{90 + day % 9}.5")
        engine.weigh(olivia, batch, Reading(200.0 + day % 7, "g", True, "B000000001"))
        engine.witness(olivia, batch, oscar)
        engine.confirm(olivia, batch)
        engine.timer_start(olivia, batch)
        clock.advance(timedelta(hours=24))
        engine.timer_stop(olivia, batch)
    quinn = auth.login("quinn", PASSWORDS["quinn"])
    engine.sign_step(quinn, batch, Credentials("quinn", PASSWORDS["quinn"]))
    assert engine.batch(batch).state == "released", engine.batch(batch).state
    store.close()
    return db, recipes, batch


def timed(action: Callable[[], object], repeats: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run: on a shared machine the CPU time is the steadier."""
    figures = []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        action()
        figures.append((time.perf_counter() - t0, time.process_time() - c0))
    return figures


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def show(label: str, figures: list[tuple[float, float]], unit: str = "s", target: str = "") -> None:
    scale = 1000 if unit == "ms" else 1
    wall = [w * scale for w, _ in figures]
    cpu = [c * scale for _, c in figures]
    print(
        f"{label:36} wall median {statistics.median(wall):7.3f} {unit} "
        f"(best {min(wall):7.3f}, worst {max(wall):7.3f}); CPU median "
        f"{statistics.median(cpu):7.3f} {unit}; {len(figures)} runs"
        f"{'; target ' + target if target else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=80)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    # reportlab's optional C accelerator (the reportlab[accel] extra)
    accel = "with rl_accel" if importlib.util.find_spec("_rl_accel") else "without rl_accel"
    print(
        f"machine: {cpu_model()}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
        f"reportlab {reportlab.Version} {accel}, {platform.system()} {platform.release()}, "
        f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        db, recipes, batch = build(tmp, args.days)
        built = time.perf_counter() - t0
        with EventStore(db, "READER", create=False) as store:
            record = load_record(store, batch, recipes)
        values = sum(1 for r in record.state.records.values() if r.value is not None)
        signatures = len(record.signatures())
        print(
            f"batch {batch}: {len(record.events)} events, {values} recorded values, "
            f"{signatures} signatures, {len(record.state.records)} steps "
            f"(built through the engine in {built:.1f} s)"
        )
        pdf = tmp / "record.pdf"
        full = timed(lambda: export(db, batch, pdf, recipes_dir=recipes), args.repeats)
        pages = export(db, batch, pdf, recipes_dir=recipes).split(", ")[-1]
        show("full PDF (open, read, fold, write)", full, target="<= 2 s")
        print(f"{'':36} {pages}, {pdf.stat().st_size / 1024:.0f} KiB")
        with EventStore(db, "READER", create=False) as store:
            load = timed(lambda: load_record(store, batch, recipes), args.repeats)
        show("  of which reading and folding", load)
        state = record.state
        items = timed(lambda: review.items(state), max(20, args.repeats))
        show("review list (items, with values)", items, "ms", "<= 100 ms")
        print(f"{'':36} {len(review.items(state))} items, {len(review.open_items(state))} open")
        with_history = timed(
            lambda: review.items(state, history=record.events), max(20, args.repeats)
        )
        show("review list with the event history", with_history, "ms")
        show(
            "review-only PDF",
            timed(
                lambda: export(db, batch, tmp / "r.pdf", review_only=True, recipes_dir=recipes),
                args.repeats,
            ),
        )
        show(
            "JSON copy",
            timed(lambda: export(db, batch, tmp / "r.json", fmt="json", recipes_dir=recipes), 3),
        )
        show(
            "BatchML copy",
            timed(lambda: export(db, batch, tmp / "r.xml", fmt="batchml", recipes_dir=recipes), 3),
        )


if __name__ == "__main__":
    main()
