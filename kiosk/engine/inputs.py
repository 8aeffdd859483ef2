"""What the engine takes in and hands out: readings, credentials, views, pending events."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.batch import ExceptionRecord, iso
from kiosk.expressions import Value
from kiosk.recipe import Stage, StepBase
from kiosk.units import Quantity
from local_store import Event, canonical_json

# One event to write: (type, payload, actor, reason).
Item = tuple[str, dict[str, Any], str, str | None]


@dataclass(frozen=True)
class Reading:
    """A balance reading as a device driver delivers it."""

    value: float
    unit: str
    stable: bool
    device: str  # the balance's own serial number


@dataclass(frozen=True)
class Captured:
    """A value read from process equipment (an OPC UA node), as the caller hands it over.

    The engine never talks to equipment: the device layer reads the node and the caller
    passes this in (`Engine.capture`). `status` is the OPC UA status code's name.
    """

    value: float
    unit: str | None
    timestamp: datetime | None  # the equipment's source timestamp
    source: str  # the equipment's identity (ApplicationUri or serial number)
    status: str = "Good"
    node: str | None = None  # the node id read

    @property
    def good(self) -> bool:
        return self.status.startswith("Good")


@dataclass(frozen=True)
class MonitorSample:
    """One tick of monitoring: when the station read it, and each node's reading by name."""

    at: datetime  # station time
    readings: Mapping[str, Captured]


@dataclass(frozen=True)
class MonitorGap:
    """A time without readings: `end` is None while it lasts."""

    start: datetime
    reason: str
    end: datetime | None = None


@dataclass(frozen=True)
class CounterResult:
    """One cell counter result, taken from its export file (`Engine.import_count`)."""

    sample_id: str
    viability_pct: float
    viable_per_ml: float  # cells/mL
    total_per_ml: float  # cells/mL
    measured_at: datetime | None
    instrument: str  # the counter's identity as the file names it
    file_name: str
    sha256: str
    line: int


@dataclass(frozen=True)
class QcResult:
    """A QC release test result as the LIMS reported it (`Engine.record_result`)."""

    test: str  # endotoxin, vcn, sterility, mycoplasma, potency
    value: float | str
    unit: str | None
    method: str
    sample_id: str
    result_time: str  # ISO 8601, when the laboratory produced it
    lims_ref: str  # the LIMS's own reference for the result
    ref: str | None = None  # where it came from (e.g. "@central:12"); one result per ref


@dataclass(frozen=True)
class Credentials:
    """What a second person types into the signature dialog."""

    user_id: str | None
    password: str


@dataclass(frozen=True)
class View:
    """What a screen needs to show for the current step."""

    batch: str
    state: str
    stage: Stage | None
    iteration: int
    step: StepBase | None
    key: str | None
    waiting_for: str | None  # None, "witness", "signature"
    timer_started: str | None
    identifiers: dict[str, str]
    open_exceptions: list[ExceptionRecord]
    preview: Any = None  # calc steps: the value that will be recorded, with inputs
    room: str | None = None  # the current stage's room (None: any room)
    room_ok: bool = True  # False: hand the batch over to a station in that room
    held_by: str | None = None  # another station that owns the batch: read-only here


def show(value: Value) -> Any:
    """A namespace value as it is written into a payload."""
    if isinstance(value, Quantity):
        return {"value": value.value, "unit": value.unit.symbol}
    if isinstance(value, datetime):
        return iso(value)
    return value


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def provisional(type_: str, payload: dict[str, Any], actor: str) -> Event:
    """An event as it will be written, for deciding what comes next before the commit."""
    return Event(
        station="",
        seq=0,
        ts=iso(datetime.now(UTC)),
        actor=actor,
        batch=None,
        type=type_,
        payload=payload,
        reason=None,
        prev="",
        hash="",
    )
