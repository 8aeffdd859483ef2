"""QC results from the LIMS, taken in at the station that holds the batch (no Qt).

The LIMS posts each result to the central server, which writes it as a ``qc.result`` event in
its own chain (``central.lims``). :func:`pull_results` asks the server for the history of every
batch this station holds and has a QC result pending for, and applies each ``qc.result`` it has
not applied yet through the engine (``Engine.record_result``): the result is checked against the
step's specification there, and the station's own ``result.recorded`` names the server event
(``ref``: ``@central:<seq>:<hash>``), so a result is never taken twice.

A result the engine refuses (no such pending test yet, wrong unit) is reported and asked for
again at the next pull; nothing is written for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.engine import ActionRefused, Engine, QcResult
from kiosk.sync import SyncClient, SyncError
from local_store import Event

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


def pull_results(engine: Engine, client: SyncClient) -> PullReport:
    """Apply the server's new QC results to the batches this station holds."""
    report = PullReport()
    for batch in engine.batch_ids():
        if engine.read_only(batch):
            continue
        try:
            state = engine.batch(batch)
        except ActionRefused:
            continue
        if not state.missing_results():
            continue
        try:
            data = client.get(f"/batches/{batch}/history")
        except SyncError as exc:
            report.unreachable.append(f"{batch}: {exc}")
            continue
        items = data.get("events") if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            try:
                event = Event.from_dict(item)
            except (TypeError, ValueError, KeyError):
                continue
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
