"""A batch's state as a projection of its events (no Qt, no I/O).

`BatchState.apply` folds one event into the state; the engine rebuilds a batch
by replaying its events from the log, so the state on a screen is always what
the record says. Nothing here decides anything: decisions are the engine's.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiosk import deviations as dev
from kiosk.expressions import Value
from kiosk.recipe import Recipe, Stage, StepBase
from kiosk.units import Quantity, Unit
from local_store import Event

IN_PROGRESS, ON_HOLD, ABORTED, COMPLETED, RELEASED = (
    "in_progress",
    "on_hold",
    "aborted",
    "completed",
    "released",
)
FINAL_STATES = frozenset({ABORTED, COMPLETED, RELEASED})

# Exception categories (DOMAIN.md §6) and how serious each is by default.
CATEGORIES = {
    "cpp_cqa": "critical value outside its limits",
    "value": "value outside alert limits",
    "process": "process exception (override, N.A., abnormal completion)",
    "resource": "equipment or material not ready, expired or unknown",
    "identity": "chain of identity mismatch",
    "order": "order typed at the station, or changed or cancelled at the server after the start",
    "manual_entry": "manual entry where a device was expected",
    "timer": "time outside its window",
    "check_failed": "a check failed",
    "comment": "operator comment",
}


# ---------------------------------------------------------------- state


@dataclass
class StepRecord:
    key: str
    step_id: str
    stage: str
    iteration: int
    kind: str
    value: Any
    unit: str | None
    event_hash: str
    seq: int
    actor: str
    ts: str
    payload: dict[str, Any]
    signatures: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ExceptionRecord:
    id: str
    category: str
    severity: str
    blocking: bool
    step: str | None
    message: str
    values: dict[str, Any]
    raised_ts: str
    acknowledged: dict[str, Any] | None = None
    disposition: dict[str, Any] | None = None

    @property
    def open_blocking(self) -> bool:
        return self.blocking and self.acknowledged is None

    @property
    def open_for_review(self) -> bool:
        return self.disposition is None


@dataclass
class BatchState:
    """The projection of one batch's events."""

    id: str
    recipe: Recipe
    recipe_sha256: str
    context: dict[str, Any]
    state: str = IN_PROGRESS
    stage_index: int = 0
    iteration: int = 1
    step_index: int = 0
    values: dict[str, Any] = field(default_factory=dict)
    records: dict[str, StepRecord] = field(default_factory=dict)
    pending: StepRecord | None = None  # recorded, waiting for witness/signature
    timer_started: str | None = None
    din: str | None = None
    coi: str | None = None
    order: dict[str, Any] | None = None  # the order it started from: ID, revision, CoI, DINs
    exceptions: dict[str, ExceptionRecord] = field(default_factory=dict)
    reviewed: dict[str, dict[str, Any]] = field(default_factory=dict)  # non-exception review items
    awaiting: dict[str, dict[str, Any]] = field(default_factory=dict)  # step -> pending QC result
    results: dict[str, dict[str, Any]] = field(default_factory=dict)  # step -> QC result received
    deviations: dict[str, dev.Deviation] = field(default_factory=dict)
    released_by_server: dict[str, Any] | None = None  # the portal's release signature
    # "step:node" -> how far the node's current excursion went (0 inside, 1 alert, 2 action)
    monitor_peaks: dict[str, int] = field(default_factory=dict)
    # step -> the station time of its last monitored sample; step -> {start: reason} of the
    # gaps still open (opened, not yet closed by a reading)
    monitor_last: dict[str, str] = field(default_factory=dict)
    monitor_open: dict[str, dict[str, str]] = field(default_factory=dict)
    started_ts: str = ""
    last_ts: str = ""
    events: int = 0

    # -------------------------------------------------------- position

    @property
    def stage(self) -> Stage | None:
        if self.stage_index >= len(self.recipe.stages):
            return None
        return self.recipe.stages[self.stage_index]

    @property
    def step(self) -> StepBase | None:
        stage = self.stage
        if stage is None or self.step_index >= len(stage.steps):
            return None
        return stage.steps[self.step_index]

    @property
    def step_key(self) -> str | None:
        stage, step = self.stage, self.step
        if stage is None or step is None:
            return None
        return step_key(stage, self.iteration, step.id)

    @property
    def identifiers(self) -> dict[str, str]:
        """What the identity banner shows on every batch screen."""
        shown = {
            name: str(self.context[name])
            for name, spec in self.recipe.context.items()
            if spec.identifier and name in self.context
        }
        if self.din:
            shown["DIN"] = self.din
        if self.coi:
            shown["CoI"] = self.coi
        return shown

    def missing_results(self) -> list[str]:
        """Steps whose QC result the LIMS has not sent yet (release waits for them)."""
        return [key for key in self.awaiting if key not in self.results]

    def open_exceptions(self) -> list[ExceptionRecord]:
        return [e for e in self.exceptions.values() if e.open_blocking]

    def namespace(self) -> dict[str, Value]:
        """Values formulas and conditions see: context, parameters, recorded values."""
        names: dict[str, Value] = {}
        for key, spec in self.recipe.context.items():
            if key in self.context:
                names[key] = as_value(self.context[key], spec.unit, spec.kind)
        for key, param in self.recipe.parameters.items():
            names[key] = as_value(param.value, param.unit, "number")
        names.update(self.values)
        for stage in self.recipe.stages:
            if stage.repeat:
                names.setdefault(stage.counter, 0)
        return names

    # -------------------------------------------------------- folding events

    def apply(self, event: Event) -> None:
        p = event.payload
        self.events += 1
        self.last_ts = event.ts
        kind = event.type
        if kind == "batch.started":
            order = p.get("order")
            self.order = dict(order) if isinstance(order, dict) else None
        elif kind == "stage.started":
            self.stage_index = self.recipe.stages.index(self.recipe.stage(p["stage"]))
            self.iteration = int(p["iteration"])
            self.step_index = 0
            stage = self.recipe.stages[self.stage_index]
            if stage.repeat:
                self.values[stage.counter] = self.iteration
        elif kind == "step.recorded":
            record = StepRecord(
                key=p["step"],
                step_id=p["step_id"],
                stage=p["stage"],
                iteration=int(p["iteration"]),
                kind=p["kind"],
                value=p.get("value"),
                unit=p.get("unit"),
                event_hash=event.hash,
                seq=event.seq,
                actor=event.actor,
                ts=event.ts,
                payload=dict(p),
            )
            self.records[record.key] = record
            self.pending = record
            if p.get("name") and p.get("value") is not None:
                self.values[p["name"]] = as_value(p["value"], p.get("unit"), p.get("type"))
            self.timer_started = None
        elif kind == "signature.applied":
            target = self.records.get(p["step"])
            if target is not None:
                target.signatures.append(dict(p))
        elif kind == "result.pending":
            self.awaiting[p["step"]] = dict(p)
            self.step_index += 1
            self.pending = None
        elif kind == "result.recorded":
            self.results[p["step"]] = dict(p)
            self.records[p["step"]] = StepRecord(
                key=p["step"],
                step_id=p["step_id"],
                stage=p["stage"],
                iteration=int(p["iteration"]),
                kind="pending_result",
                value=p.get("value"),
                unit=p.get("unit"),
                event_hash=event.hash,
                seq=event.seq,
                actor=event.actor,
                ts=event.ts,
                payload=dict(p),
            )
        elif kind in ("step.completed", "step.skipped"):
            self.step_index += 1
            self.pending = None
        elif kind == "timer.started":
            self.timer_started = event.ts
        elif kind == "monitor.samples":
            for sample in p.get("samples", []):
                for node, level in sample.get("levels", {}).items():
                    key = f"{p['step']}:{node}"
                    self.monitor_peaks[key] = monitor_peak(self.monitor_peaks.get(key, 0), level)
            if p.get("samples"):
                self.monitor_last[p["step"]] = p["samples"][-1]["at"]
        elif kind == "monitor.gap":
            gaps = dict(self.monitor_open.get(p["step"], {}))
            if p.get("end") is None:
                gaps[p["start"]] = str(p.get("reason") or "")
            else:
                gaps.pop(p["start"], None)
            self.monitor_open[p["step"]] = gaps
        elif kind == "identity.bound":
            self.din = p.get("din") or self.din
            self.coi = p.get("coi") or self.coi
        elif kind == "exception.raised":
            self.exceptions[p["id"]] = ExceptionRecord(
                id=p["id"],
                category=p["category"],
                severity=p["severity"],
                blocking=bool(p["blocking"]),
                step=p.get("step"),
                message=p["message"],
                values=dict(p.get("values", {})),
                raised_ts=event.ts,
            )
        elif kind == "exception.acknowledged":
            self.exceptions[p["id"]].acknowledged = {**p, "reason": event.reason}
        elif kind == "exception.dispositioned":
            self.exceptions[p["id"]].disposition = {**p, "reason": event.reason}
        elif kind == "review.dispositioned":
            self.reviewed[p["id"]] = {**p, "reason": event.reason}
        elif kind == "qa.dispositioned":  # QA's decision in the portal (the server's chain)
            found = self.exceptions.get(p["id"])
            if found is not None:
                found.disposition = {**p, "reason": event.reason}
            else:
                self.reviewed[p["id"]] = {**p, "reason": event.reason}
        elif kind == "qa.released":  # QA released the batch in the portal
            self.state = RELEASED
            self.stage_index = len(self.recipe.stages)
            self.released_by_server = dict(p.get("signature") or {})
        elif kind in dev.TYPES:
            dev.apply(self.deviations, event)
        elif kind == "step.corrected":
            target = self.records[p["step"]]
            target.corrections.append(
                {
                    **p,
                    "reason": event.reason,
                    "ts": event.ts,
                    "actor": event.actor,
                    "seq": event.seq,
                }
            )
            target.value = p["new"]
            name = target.payload.get("name")
            if name:
                self.values[name] = as_value(p["new"], target.unit, target.payload.get("type"))
        elif kind == "batch.state":
            self.state = p["state"]
            if p["state"] == COMPLETED or p["state"] == RELEASED:
                self.stage_index = len(self.recipe.stages)

    def clone(self) -> BatchState:
        twin = copy.copy(self)
        twin.values = dict(self.values)
        twin.records = dict(self.records)
        twin.exceptions = {k: copy.copy(v) for k, v in self.exceptions.items()}
        twin.reviewed = dict(self.reviewed)
        twin.awaiting = dict(self.awaiting)
        twin.results = dict(self.results)
        twin.deviations = dict(self.deviations)
        twin.monitor_peaks = dict(self.monitor_peaks)
        twin.monitor_last = dict(self.monitor_last)
        twin.monitor_open = dict(self.monitor_open)  # each step's dict is replaced, not changed
        return twin


_LEVELS = {None: 0, "alert": 1, "action": 2}


def monitor_level(
    value: float | None,
    alert: tuple[float | None, float | None] | None,
    action: tuple[float | None, float | None] | None,
) -> str | None:
    """'action', 'alert' or None: which limits a monitored value is outside (None: no value)."""

    def out(limits: tuple[float | None, float | None] | None) -> bool:
        if value is None or limits is None:
            return False
        low, high = limits
        return (low is not None and value < low) or (high is not None and value > high)

    return "action" if out(action) else "alert" if out(alert) else None


def monitor_peak(peak: int, level: str | None) -> int:
    """An excursion's peak after one more sample: back inside the alert limits ends it.

    A sample without a value (bad status) has no level: it leaves the excursion as it was."""
    rank = _LEVELS[level]
    return max(peak, rank) if rank else 0


def step_key(stage: Stage, iteration: int, step_id: str) -> str:
    """'receipt.bag_scan', or 'expansion[3].count' inside a repeating stage."""
    if stage.repeat:
        return f"{stage.id}[{iteration}].{step_id}"
    return f"{stage.id}.{step_id}"


def as_value(raw: Any, unit: str | None, kind: str | None) -> Value:
    if kind == "date" and isinstance(raw, str):
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if isinstance(raw, (bool, str)):
        return raw
    if isinstance(raw, int | float):
        return Quantity(float(raw), Unit.parse(unit)) if unit else float(raw)
    return str(raw)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
