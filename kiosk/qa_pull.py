"""QA's decisions from the portal, taken in at the station that holds the batch (no Qt).

In the QA portal the server writes dispositions (``qa.dispositioned``), releases
(``qa.released``) and deviation records (``deviation.*``) in its own chain
(``central.release``). :func:`pull_qa` asks the server for its events of every batch this
station holds after the last one held here (``kiosk.results.server_seen``) and keeps them beside
the station's own (``EventStore.import_foreign``: each hash and each link of the server's chain
checked, all or nothing). The batch is then rebuilt from its history, so its state, its review
list, its release gate and its record show QA's decisions: a batch QA released in the portal
cannot be released here again, and a deviation closed there no longer holds the release here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.engine import ActionRefused, Engine
from kiosk.results import fetch_histories, server_seen
from kiosk.sync import SyncClient
from local_store import Event, StoreError

SERVER_STATION = "@central"


@dataclass
class QaPullReport:
    """What one pull took in: server events per batch, and the batches not reached."""

    taken: dict[str, int] = field(default_factory=dict)
    unreachable: list[str] = field(default_factory=list)


def server_events(data: object, batch: str) -> list[Event]:
    """The server's own events of ``batch`` in a history answer (malformed items skipped)."""
    items = data.get("events") if isinstance(data, dict) else None
    found: list[Event] = []
    for item in items if isinstance(items, list) else []:
        try:
            event = Event.from_dict(item)
        except (TypeError, ValueError, KeyError):
            continue
        if event.station == SERVER_STATION and event.batch == batch:
            found.append(event)
    return sorted(found, key=lambda e: e.seq)


def held_batches(engine: Engine) -> list[str]:
    """The batches this station holds (not read-only here)."""
    return [batch for batch in engine.batch_ids() if not engine.read_only(batch)]


def take_qa(engine: Engine, histories: Mapping[str, object]) -> QaPullReport:
    """Keep the server's events of each fetched history beside the station's own."""
    report = QaPullReport()
    store = engine.store
    for batch, data in histories.items():
        if engine.read_only(batch):
            continue
        events = server_events(data, batch)
        if not events:
            continue
        last = store.last()
        try:
            stored = store.import_foreign(events, after_seq=0 if last is None else last.seq)
        except StoreError as exc:
            report.unreachable.append(f"{batch}: the server's events were not taken: {exc}")
            continue
        if stored:
            engine.forget(batch)
            try:
                engine.batch(batch)
            except ActionRefused as exc:
                report.unreachable.append(f"{batch}: {exc}")
                continue
            report.taken[batch] = len(stored)
    return report


def pull_qa(engine: Engine, client: SyncClient) -> QaPullReport:
    """Take in the server's events of every batch this station holds."""
    batches = held_batches(engine)
    histories, unreachable = fetch_histories(client, batches, server_seen(engine.store, batches))
    report = take_qa(engine, histories)
    report.unreachable = unreachable + report.unreachable
    return report
