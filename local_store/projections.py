"""Projections: current state derived from the log. A cache; the log is the truth.

``batch_summary`` has one row per batch id. By convention a ``batch.started`` event sets the
status to ``in_progress`` and records its payload's ``recipe_id`` and ``recipe_version``; a
``batch.state`` event with a text ``{"state": ...}`` sets the status to that state. A batch whose
events include neither has status ``unknown``. ``first_ts``/``last_ts`` are the earliest and
latest timestamps of the batch's events, ``events`` their number.

When several stations' events share a batch, the status (and recipe) come from the event that is
last in (station, seq) order; the row records which station that was, so that the incremental
update on append and the full rebuild give identical rows whatever the commit order was.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

BATCH_STARTED: Final = "batch.started"
BATCH_STATE: Final = "batch.state"
PROJECTED_TYPES: Final = frozenset({BATCH_STARTED, BATCH_STATE})
"""Event types whose payload the projection reads; the payload of other types is not parsed."""

IN_PROGRESS: Final = "in_progress"
UNKNOWN: Final = "unknown"

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1


@dataclass(frozen=True)
class BatchSummary:
    """One row of the batch summary projection."""

    batch: str
    status: str
    recipe_id: str | None
    recipe_version: int | None
    first_ts: str
    last_ts: str
    events: int


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int64(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and _INT64_MIN <= value <= _INT64_MAX:
        return value
    return None


@dataclass(slots=True)
class BatchRow:
    """A ``batch_summary`` row being folded; mirrors the table's columns."""

    batch: str
    status: str
    recipe_id: str | None
    recipe_version: int | None
    first_ts: str
    last_ts: str
    events: int
    status_station: str | None
    recipe_station: str | None

    @classmethod
    def empty(cls, batch: str, ts: str) -> "BatchRow":
        return cls(batch, UNKNOWN, None, None, ts, ts, 0, None, None)

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> "BatchRow":
        return cls(**{name: row[name] for name in cls.__slots__})

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def summary(self) -> BatchSummary:
        return BatchSummary(
            batch=self.batch,
            status=self.status,
            recipe_id=self.recipe_id,
            recipe_version=self.recipe_version,
            first_ts=self.first_ts,
            last_ts=self.last_ts,
            events=self.events,
        )

    def apply(
        self, station: str, ts: str, type: str, payload: object, *, in_order: bool = False
    ) -> None:
        """Fold one event of this batch in. ``payload`` is read only for PROJECTED_TYPES.

        ``in_order``: the events come in the order the batch's owners wrote them (the server
        receives them so, one owner at a time), so the latest state wins whatever the station.
        """
        if in_order:
            self.status_station = self.recipe_station = None
        self.events += 1
        self.first_ts = min(self.first_ts, ts)
        self.last_ts = max(self.last_ts, ts)
        if not isinstance(payload, Mapping):
            return
        if type == BATCH_STARTED:
            if self.recipe_station is None or station >= self.recipe_station:
                self.recipe_station = station
                self.recipe_id = _text(payload.get("recipe_id"))
                self.recipe_version = _int64(payload.get("recipe_version"))
            self._set_status(station, IN_PROGRESS)
        elif type == BATCH_STATE:
            state = payload.get("state")
            if isinstance(state, str) and state:
                self._set_status(station, state)

    def _set_status(self, station: str, status: str) -> None:
        if self.status_station is None or station >= self.status_station:
            self.status_station = station
            self.status = status
