"""A fleet's worth of batches: realistic events for N batches across several stations.

Reusable by any benchmark or test that needs a server full of batches. The events are those the
real engine writes: the reference OQ batch (``oq/car-t-full-batch.yaml``, run once through
``kiosk.oq.run_script``) is the template, as a station connected to a server records it. Each
batch is a copy of it with

- its own batch ID, collection DIN and CoI, patient and order IDs;
- its own start in the year (5,000 batches a year is the seed's projection), every timestamp
  shifted with it, a collection 0-48 h earlier than the template's, and a review of its own
  length (median about 3 h) before the release;
- "clean" (80 % by default): the template without its exceptions, holds, refusals and
  acknowledgements, and its CPP/CQA values drawn inside the alert limits; otherwise the
  template's troubles as the OQ run recorded them, values jittered but breaches kept;
- written by one of ``stations`` stations, whose chains interleave the batches they run in
  time order, each event chained and hashed as ``local_store`` does.

Values of calculations are drawn like entries, not recomputed: the figures are realistic, the
arithmetic between them is not (nothing here is a record).

    from benchmarks.fleet import Fleet
    fleet = Fleet.build(batches=5000, stations=10, seed=1)
    for station, events in fleet.chains(): ...      # ready for central.ingest.ingest

``python benchmarks/fleet.py --batches 50`` prints what it would make.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.custody import signed_content
from local_store import Event, EventStore, canonical_json
from local_store.events import hash_text, sha256_hex

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "oq" / "car-t-full-batch.yaml"
TEMPLATE_STATION = "OQ-CART-1"
TEMPLATE_BATCH = "B-OQ-0001"
DIN = "G123417654321"
COI = "CHG123417654321"
TROUBLE = frozenset(
    {"exception.raised", "exception.acknowledged", "exception.dispositioned", "action.refused"}
)
GENESIS = "0" * 64
FMT = "%Y-%m-%dT%H:%M:%S.%fZ"


def _parse(ts: str) -> datetime:
    return datetime.strptime(ts, FMT).replace(tzinfo=UTC)


def _format(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def template_events() -> list[Event]:
    """The reference OQ batch's events (batch events only), as a connected station has them."""
    from central.authority import SERVER_PREFIXES, SERVER_TYPES  # noqa: PLC0415
    from kiosk.oq import run_script  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="fleet-") as tmp:
        db = Path(tmp) / "oq.sqlite"
        run_script(SCRIPT, db, io.StringIO(), fast_hash=True)
        with EventStore(db, TEMPLATE_STATION, create=False, read_only=True) as store:
            return [
                e
                for e in store.events(batch=TEMPLATE_BATCH)
                if e.type not in SERVER_TYPES and not e.type.startswith(SERVER_PREFIXES)
            ]


def _clean(events: list[Event]) -> list[Event]:
    """The template without its troubles: no exceptions, refusals, holds or review items of
    dispositions; a value that breached its limits is put back inside them."""
    out = []
    for e in events:
        if e.type in TROUBLE or e.type == "review.dispositioned":
            continue
        if e.type == "batch.state" and e.payload.get("state") in ("on_hold", "in_progress"):
            continue
        out.append(e)
    return out


def _outside(value: float, limits: dict[str, Any]) -> bool:
    for kind in ("alert", "action"):
        low, high = limits.get(kind) or (None, None)
        if (low is not None and value < low) or (high is not None and value > high):
            return True
    return False


def _draw(value: float, limits: dict[str, Any], rng: random.Random, keep: bool) -> float:
    """A value near ``value``: inside the alert limits (or action limits) unless ``keep``."""
    drawn = value * (1 + rng.gauss(0, 0.03))
    if keep:  # a breach the template recorded (and raised an exception for) stays as it was
        return value if _outside(value, limits) else drawn
    for kind in ("alert", "action"):
        bounds = limits.get(kind)
        if bounds:
            low, high = bounds
            if low is not None and drawn < low:
                drawn = low + abs(low) * 0.02 + rng.random() * max(1.0, abs(low) * 0.05)
            if high is not None and drawn > high:
                drawn = high - abs(high) * 0.02 - rng.random() * max(1.0, abs(high) * 0.02)
            break
    return drawn


@dataclass(frozen=True)
class Planned:
    """One batch: which station writes it, when it starts, whether it is clean."""

    index: int
    batch: str
    station: str
    start: datetime
    clean: bool
    review_h: float
    transit_h: float  # more hours between collection and receipt than the template's


class Fleet:
    """N batches over a year, across stations, from the OQ template."""

    def __init__(self, template: list[Event], planned: list[Planned], seed: int) -> None:
        self.template = template
        self.clean_template = _clean(template)
        self.planned = planned
        self.seed = seed

    @classmethod
    def build(
        cls,
        batches: int = 5000,
        stations: int = 10,
        *,
        clean: float = 0.8,
        seed: int = 1,
        first: datetime = datetime(2025, 12, 1, tzinfo=UTC),
        days: float = 365.0,
        template: list[Event] | None = None,
    ) -> Fleet:
        rng = random.Random(seed)
        step = timedelta(days=days) / max(1, batches)
        planned = [
            Planned(
                index=i,
                batch=f"B-FL-{i + 1:05d}",
                station=f"FLEET-{i % stations + 1:02d}",
                start=first + step * i + timedelta(minutes=rng.randint(0, 120)),
                clean=rng.random() < clean,
                review_h=round(rng.lognormvariate(1.1, 0.6), 2),
                transit_h=round(rng.uniform(0, 48), 1),
            )
            for i in range(batches)
        ]
        return cls(template if template is not None else template_events(), planned, seed)

    @property
    def stations(self) -> list[str]:
        return sorted({p.station for p in self.planned})

    def batch_events(self, plan: Planned) -> list[tuple[str, str, str | None, dict[str, Any]]]:
        """(ts, type, reason, payload) of one batch, in the order the engine wrote them."""
        rng = random.Random(self.seed * 1_000_003 + plan.index)
        source = self.clean_template if plan.clean else self.template
        t0 = _parse(source[0].ts)
        shift = plan.start - t0
        last_stage = max(i for i, e in enumerate(source) if e.type == "stage.started")
        din = f"G1234{plan.start:%y}{plan.index + 1:06d}"
        out = []
        for i, e in enumerate(source):
            moment = _parse(e.ts) + shift
            if i > last_stage:
                moment += timedelta(hours=plan.review_h)
            text = canonical_json(e.payload)
            text = text.replace(DIN, din).replace(COI, "CH" + din)
            text = text.replace(TEMPLATE_BATCH, plan.batch)
            payload = _json(text)
            if e.type == "batch.started":
                context = payload["context"]
                context["patient_id"] = f"PT-{plan.index + 1:05d}"
                context["order_id"] = f"ORD-FL-{plan.index + 1:05d}"
                collected = datetime.fromisoformat(
                    context["collection_time"].replace("Z", "+00:00")
                )
                collected += shift - timedelta(hours=plan.transit_h)
                context["collection_time"] = collected.strftime("%Y-%m-%dT%H:%M:%SZ")
            if e.type == "step.recorded" and payload.get("critical"):
                value = payload.get("value")
                if isinstance(value, float | int) and not isinstance(value, bool):
                    drawn = _draw(float(value), payload.get("limits") or {}, rng, not plan.clean)
                    payload["value"] = round(drawn, int(payload.get("decimals") or 1))
            if e.type == "custody.handover" and isinstance(payload.get("signature"), dict):
                # the receiver signed the template's transfer; this batch's is bound to its id
                payload["signature"]["signed"] = signed_content(payload, plan.batch)
            out.append((_format(moment), e.type, e.reason, e.actor, payload))
        return [(ts, t, r, {"actor": a, "payload": p}) for ts, t, r, a, p in out]

    def chains(self) -> Iterator[tuple[str, list[Event]]]:
        """Each station's chain: its batches' events interleaved in time order, hashed."""
        for station in self.stations:
            items: list[tuple[str, int, int, str, str | None, dict[str, Any]]] = []
            for plan in self.planned:
                if plan.station != station:
                    continue
                for n, (ts, type_, reason, rest) in enumerate(self.batch_events(plan)):
                    items.append((ts, plan.index, n, type_, reason, rest))
            items.sort(key=lambda item: (item[0], item[1], item[2]))
            events: list[Event] = []
            prev = GENESIS
            for seq, (ts, index, _n, type_, reason, rest) in enumerate(items, start=1):
                batch = self.planned[index].batch
                payload = rest["payload"]
                digest = sha256_hex(
                    hash_text(
                        station,
                        seq,
                        ts,
                        rest["actor"],
                        batch,
                        type_,
                        canonical_json(payload),
                        reason,
                        prev,
                    )
                )
                events.append(
                    Event(
                        station, seq, ts, rest["actor"], batch, type_, payload, reason, prev, digest
                    )
                )
                prev = digest
            yield station, events


def _json(text: str) -> dict[str, Any]:
    import json  # noqa: PLC0415

    loaded: dict[str, Any] = json.loads(text)
    return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--stations", type=int, default=5)
    args = parser.parse_args(argv)
    fleet = Fleet.build(args.batches, args.stations)
    total = 0
    for station, events in fleet.chains():
        total += len(events)
        print(f"{station}: {len(events)} events, {events[0].ts} to {events[-1].ts}")
    clean = sum(p.clean for p in fleet.planned)
    print(f"{args.batches} batches ({clean} clean), {total} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
