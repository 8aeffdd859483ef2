"""QC results from the LIMS, taken in at the station that holds the batch (no Qt).

The LIMS posts each result to the central server, which writes it as a ``qc.result`` event in
its own chain (``central.lims``). :func:`pull_results` asks the server for the server's events
of every batch this station holds and has a QC result pending for, after the last one held here
(:func:`server_seen`), and applies each ``qc.result`` it has not applied yet, fetched now or
held from an earlier pull, through the engine (``Engine.record_result``): the result is checked
against the step's specification there, and the station's own ``result.recorded`` names the
server event (``ref``: ``@central:<seq>:<hash>``), so a result is never taken twice.

A result the engine refuses (no such pending test yet, wrong unit) is reported and asked for
again at the next pull; nothing is written for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kiosk.engine import ActionRefused, Engine, QcResult
from kiosk.sync import SyncClient, SyncError
from local_store import Event, EventStore

SERVER_STATION = "@central"


@dataclass
class PullReport:
    """What one pull did: results applied, results refused (with why), batches not reached."""

    applied: list[str] = field(default_factory=list)  # "<batch> <test>"
    refused: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


def result_of(event: Event) -> QcResult:
    """The engine's input for a server ``qc.result`` event; ValueError if it is malformed."""
    p = event.payload
    try:
        return QcResult(
            test=str(p["test"]),
            value=p["value"],
            unit=p.get("unit"),
            method=str(p["method"]),
            sample_id=str(p["sample_id"]),
            result_time=str(p["result_time"]),
            lims_ref=str(p["lims_ref"]),
            ref=f"{event.station}:{event.seq}:{event.hash}",
        )
    except KeyError as exc:
        raise ValueError(f"qc.result {event.seq} has no {exc.args[0]}") from exc


def wanting_results(engine: Engine) -> list[str]:
    """The batches this station holds that wait for a QC result."""
    wanted = []
    for batch in engine.batch_ids():
        if engine.read_only(batch):
            continue
        try:
            if engine.batch(batch).missing_results():
                wanted.append(batch)
        except ActionRefused:
            continue
    return wanted


def held_server_events(store: EventStore, batch: str) -> list[Event]:
    """The server's own events of ``batch`` held here, in seq order."""
    held = [e for e in store.batch_history(batch) if e.station == SERVER_STATION]
    return sorted(held, key=lambda e: e.seq)


def server_seen(store: EventStore, batches: Iterable[str]) -> dict[str, int]:
    """For each batch, the server's last seq of it held here (0 when none): a pull asks only
    for what came after it."""
    seen: dict[str, int] = {}
    for batch in batches:
        held = held_server_events(store, batch)
        seen[batch] = held[-1].seq if held else 0
    return seen


def fetch_histories(
    client: SyncClient, batches: Iterable[str], after: Mapping[str, int] | None = None
) -> tuple[dict[str, object], list[str]]:
    """The server's history answer of each batch (network only: safe off the UI thread), and
    ``"<batch>: <why>"`` for each not reached. With ``after`` (batch → the server's last seq
    held here), only the server's own events of a batch after that seq."""
    found: dict[str, object] = {}
    unreachable: list[str] = []
    for batch in batches:
        params = {} if after is None or batch not in after else {"server_after": after[batch]}
        try:
            found[batch] = client.get(f"/batches/{batch}/history", **params)
        except SyncError as exc:
            unreachable.append(f"{batch}: {exc}")
    return found, unreachable


def _fetched_events(data: object) -> list[Event]:
    items = data.get("events") if isinstance(data, dict) else None
    events = []
    for item in items if isinstance(items, list) else []:
        try:
            events.append(Event.from_dict(item))
        except (TypeError, ValueError, KeyError):
            continue
    return events


def take_results(engine: Engine, histories: Mapping[str, object]) -> PullReport:
    """Apply the ``qc.result`` events of fetched histories, and those held from an earlier
    pull that were not taken then, to the batches still waiting."""
    report = PullReport()
    for batch, data in histories.items():
        if engine.read_only(batch):
            continue
        fetched = _fetched_events(data)
        keys = {(e.station, e.seq) for e in fetched}
        held = [
            e for e in held_server_events(engine.store, batch) if (e.station, e.seq) not in keys
        ]
        for event in sorted([*held, *fetched], key=lambda e: (e.station, e.seq)):
            if event.station != SERVER_STATION or event.type != "qc.result":
                continue
            if event.batch != batch:
                continue
            try:
                if engine.record_result(batch, result_of(event)):
                    report.applied.append(f"{batch} {event.payload.get('test')}")
            except (ActionRefused, ValueError) as exc:
                report.refused.append(f"{batch}: {exc}")
    return report


def pull_results(engine: Engine, client: SyncClient) -> PullReport:
    """Apply the server's new QC results to the batches this station holds."""
    batches = wanting_results(engine)
    histories, unreachable = fetch_histories(client, batches, server_seen(engine.store, batches))
    report = take_results(engine, histories)
    report.unreachable += unreachable
    return report
