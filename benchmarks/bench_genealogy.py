"""Recall benchmark: which batches (and patients) used a lot, over 5,000 batches on PostgreSQL.

A throwaway PostgreSQL (``tests/integration/pg.py``, durable settings) gets ``--batches``
batches' events through the server's real ingest (``central.ingest.ingest``: chain, authority
map, projections, genealogy), pushed by ``--stations`` stations in pushes of 1,000 events. Each
batch: ``batch.started`` (pseudonymous patient, order), the bag's ``identity.bound``, a
received custody transfer with its bound signature, ``--lots`` material scans drawn from a pool
of ``--pool`` lots, weighings on one of 20 balances, and supervisor and QA signatures.

Timed, after the fill: ``central.genealogy.batches_using_lot`` (the recall) for ``--queries``
lots, and ``batch_genealogy`` for as many batches; best, median and worst. Target: the recall
≤ 1 s. Prints its figures and the machine; asserts nothing about time.

Usage: PYTHONPATH=. python benchmarks/bench_genealogy.py [--batches N] [--queries N]
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text

from benchmarks.bench_sync import machine
from central import schema
from central.genealogy import batch_genealogy, batches_using_lot
from central.ingest import ingest
from central.stations import add_station
from central.store import CentralStore
from kiosk.custody import signed_content
from local_store import Event
from local_store.events import GENESIS, event_hash, format_ts
from tests.integration import pg

TARGET_S = 1.0
SHA = "b" * 64
PEOPLE = [("olivia", "Olivia Okafor"), ("oscar", "Oscar Lindqvist"), ("tom", "Tom Berg")]


def _signature(user: str, name: str, ts: str, meaning: str, signed: str) -> dict[str, Any]:
    return {
        "user": user,
        "name": name,
        "ts": ts,
        "meaning": meaning,
        "signed": signed,
        "roles": ["operator"],
    }


Item = tuple[str, dict[str, Any], str]


def batch_items(n: int, args: argparse.Namespace, rng: random.Random) -> list[Item]:
    """(type, payload, actor) of one batch, in order."""
    batch = f"B-BENCH-{n:05d}"
    user, name = PEOPLE[n % len(PEOPLE)]
    actor = f"u:{user}"
    items: list[Item] = [
        (
            "batch.started",
            {
                "recipe_id": "car-t-autologous",
                "recipe_version": 5,
                "recipe_sha256": SHA,
                "recipe_title": "Autologous CAR-T",
                "context": {"patient_id": f"PT-{n:05d}", "order_id": f"ORD-{n:05d}"},
                "station": "x",
            },
            actor,
        ),
        ("identity.bound", {"din": f"A99992{n:07d}", "step": "receipt.bag_scan"}, actor),
    ]
    custody: dict[str, Any] = {
        "kind": "receipt",
        "from": "Courier (BioLogistics)",
        "to": "Oscar Lindqvist",
        "location": "Goods receipt",
        "condition": {"seal_intact": True, "logger": "-182 °C", "note": None},
        "shipment": None,
        "din": f"A99992{n:07d}",
        "recorded_by": name,
    }
    custody["signature"] = _signature(
        "oscar",
        "Oscar Lindqvist",
        "2026-01-01T00:00:00.000Z",
        "received",
        signed_content(custody, batch),
    )
    items.append(("custody.handover", custody, actor))
    for i in range(args.lots):
        lot = f"LOT-{rng.randrange(args.pool):05d}"
        step = {
            "step": f"s.material_{i}",
            "gtin": "08430215011539",
            "lot": lot,
            "material": f"Material {i}",
            "expiry": "2027-12-31",
            "role": "reagent",
        }
        items.append(("material.used", step, actor))
    for i in range(3):
        rec = {
            "step": f"s.weigh_{i}",
            "step_id": f"weigh_{i}",
            "stage": "s",
            "iteration": 1,
            "kind": "weigh",
            "name": f"w{i}",
            "critical": None,
            "value": 10.0 + i,
            "unit": "g",
            "device": f"BAL-{rng.randrange(20):02d}",
        }
        items.append(("step.recorded", rec, actor))
    for signer, signer_name, meaning in (
        ("sam", "Samira Haddad", "verified"),
        ("quinn", "Quinn Marlowe", "released"),
    ):
        sig = {
            "step": "s.sign",
            "purpose": "signature",
            **_signature(signer, signer_name, "2026-01-01T00:00:00.000Z", meaning, SHA),
        }
        items.append(("signature.applied", sig, f"u:{signer}"))
    return [(t, p, a) for t, p, a in items]


def chain(
    station: str, batches: range, args: argparse.Namespace, start: datetime
) -> Iterator[Event]:
    rng = random.Random(station)
    prev, seq, moment = GENESIS, 0, start
    for n in batches:
        batch = f"B-BENCH-{n:05d}"
        for type_, payload, actor in batch_items(n, args, rng):
            seq += 1
            moment += timedelta(milliseconds=50)
            ts = format_ts(moment)
            h = event_hash(station, seq, ts, actor, batch, type_, payload, None, prev)
            yield Event(station, seq, ts, actor, batch, type_, payload, None, prev, h)
            prev = h


def fill(store: CentralStore, args: argparse.Namespace) -> int:
    start = datetime.now(UTC) - timedelta(days=30)
    per = args.batches // args.stations
    total = 0
    for s in range(args.stations):
        station = f"BENCH-{s + 1}"
        add_station(store, station)
        pending: list[Event] = []
        for event in chain(station, range(s * per, (s + 1) * per), args, start):
            pending.append(event)
            if len(pending) == 1000:
                total += _push(store, station, pending)
                pending = []
        if pending:
            total += _push(store, station, pending)
    return total


def _push(store: CentralStore, station: str, events: list[Event]) -> int:
    result = ingest(store, station, events)
    if result.refusal is not None:
        raise SystemExit(f"the server refused the fill: {result.refusal.message}")
    return result.stored


def ms(figures: list[float]) -> str:
    best, median, worst = min(figures), statistics.median(figures), max(figures)
    return f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms"


def timed(store: CentralStore, call: Callable[[Any], object], n: int) -> list[float]:
    figures = []
    for _ in range(n):
        with store.read() as conn:
            began = time.perf_counter()
            call(conn)
            figures.append(time.perf_counter() - began)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=5000)
    parser.add_argument("--stations", type=int, default=5)
    parser.add_argument("--lots", type=int, default=8, help="material scans per batch")
    parser.add_argument("--pool", type=int, default=400, help="lots to draw from")
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    with pg.PgCluster(durable=True) as cluster:
        store = CentralStore(cluster.create_database("genealogy"))
        with store.read() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar_one())
        began = time.perf_counter()
        stored = fill(store, args)
        fill_s = time.perf_counter() - began
        with store.read() as conn:
            rows = conn.execute(select(func.count()).select_from(schema.genealogy)).scalar_one()
            conn.execute(text("ANALYZE"))
        rng = random.Random(7)
        lots = [f"LOT-{rng.randrange(args.pool):05d}" for _ in range(args.queries)]
        found: list[int] = []

        def recall(conn: Any) -> None:
            found.append(len(batches_using_lot(conn, lots[len(found) % len(lots)])))

        recall_s = timed(store, recall, args.queries)
        picks = [f"B-BENCH-{rng.randrange(args.batches):05d}" for _ in range(args.queries)]
        done: list[int] = []

        def one_batch(conn: Any) -> None:
            done.append(
                sum(map(len, batch_genealogy(conn, picks[len(done) % len(picks)]).values()))
            )

        batch_s = timed(store, one_batch, args.queries)
        store.close()
    print(
        f"filled {args.batches} batches, {stored} events via ingest in {fill_s:.1f} s; "
        f"{rows} genealogy rows"
    )
    print(
        f"recall by lot ({statistics.median(found):.0f} batches per lot, median): "
        f"{ms(recall_s)} (target <= {TARGET_S:.0f} s)"
    )
    print(f"everything in a batch ({statistics.median(done):.0f} rows): {ms(batch_s)}")
    print("machine:", ", ".join(f"{k} {v}" for k, v in machine(version).items()))


if __name__ == "__main__":
    main()
