"""Batch execution engine: a state machine over the event log (no Qt).

Every user intent (confirm, enter, scan, weigh, sign...) goes through `Engine`.
The engine checks it against the current step at the moment of entry (sequence,
role, type, unit, decimals, limits, identity, witness, signatures, timer
window), then writes the resulting events in one transaction. A batch's state
(`BatchState`) is a projection: `BatchState.apply` folds events into it and
`Engine.batch()` rebuilds it from the log, so what the screen shows is always
what the record says.

Layout: `core` (reading, guard, commit), `flow` (start, record, complete,
advance), `steps/<kind>` (one module per step kind, registered in `registry`),
`signoff` (witness and sign-off), `exceptions` (acknowledge, disposition, hold,
resume, abort), `corrections`, `custody`. Refusals raise `ActionRefused` with
an operator-readable message; the ones that matter for the record (out of
order, wrong person, wrong bag) are logged too.
"""

from kiosk.batch import BatchState, ExceptionRecord, StepRecord, step_key
from kiosk.engine import steps as steps
from kiosk.engine.engine import Engine
from kiosk.engine.inputs import (
    Captured,
    CounterResult,
    Credentials,
    MonitorGap,
    MonitorSample,
    QcResult,
    Reading,
    View,
)
from kiosk.entries import ActionRefused

__all__ = [
    "ActionRefused",
    "BatchState",
    "Captured",
    "CounterResult",
    "Credentials",
    "Engine",
    "ExceptionRecord",
    "MonitorGap",
    "MonitorSample",
    "QcResult",
    "Reading",
    "StepRecord",
    "View",
    "step_key",
]
