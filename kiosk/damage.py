"""Damaged events: one malformed event must not take a review, a PDF or a page down with it.

An event whose payload does not have the shape its type promises (``values: "abc"`` where a
mapping belongs, a message that is a number, limits that are text) is *damaged*. Readers of
the record (the batch record PDF, the review, the central server's QA pages) fold the good
events into the batch state, leave the damaged ones out of it, and say which events those
were, so a reviewer sees the damage instead of an error page. The event itself stays in the
log, unchanged, and appears in the audit trail as damaged. No Qt, no I/O.

:data:`SHAPES` lists, per event type, the payload fields the readers use: a field marked
required must be present; any listed field that is present must have one of its types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from local_store import Event

_TEXT: Final = (str,)
_INT: Final = (int,)
_BOOL: Final = (bool,)
_MAP: Final = (dict,)
_OPT_TEXT: Final = (str, type(None))
_OPT_MAP: Final = (dict, type(None))
_OPT_INT: Final = (int, type(None))

Shape = Mapping[str, tuple[tuple[type, ...], bool]]
"""field -> (allowed types, required)."""

SHAPES: Final[Mapping[str, Shape]] = {
    "batch.started": {
        "recipe_id": (_TEXT, True),
        "recipe_version": (_INT, True),
        "context": (_OPT_MAP, False),
    },
    "batch.state": {"state": (_TEXT, True), "signature": (_OPT_MAP, False)},
    "stage.started": {"stage": (_TEXT, True), "iteration": (_INT, True)},
    "step.recorded": {
        "step": (_TEXT, True),
        "step_id": (_TEXT, True),
        "stage": (_TEXT, True),
        "iteration": (_INT, True),
        "kind": (_TEXT, True),
        "unit": (_OPT_TEXT, False),
        "name": (_OPT_TEXT, False),
        "type": (_OPT_TEXT, False),
        "comment": (_OPT_TEXT, False),
        "limits": (_OPT_MAP, False),
        "decimals": (_OPT_INT, False),
        "critical": (_OPT_TEXT, False),
    },
    "step.completed": {"step": (_TEXT, True)},
    "step.skipped": {"step": (_TEXT, True)},
    "step.corrected": {"step": (_TEXT, True), "unit": (_OPT_TEXT, False)},
    "signature.applied": {"step": (_TEXT, True), "user": (_OPT_TEXT, False)},
    "identity.bound": {"din": (_OPT_TEXT, False), "coi": (_OPT_TEXT, False)},
    "exception.raised": {
        "id": (_TEXT, True),
        "category": (_TEXT, True),
        "severity": (_TEXT, True),
        "blocking": (_BOOL, True),
        "message": (_TEXT, True),
        "step": (_OPT_TEXT, False),
        "values": (_MAP, False),
    },
    "exception.acknowledged": {"id": (_TEXT, True), "signature": (_OPT_MAP, False)},
    "exception.dispositioned": {
        "id": (_TEXT, True),
        "decision": (_OPT_TEXT, False),
        "signature": (_OPT_MAP, False),
    },
    "review.dispositioned": {
        "id": (_TEXT, True),
        "decision": (_OPT_TEXT, False),
        "signature": (_OPT_MAP, False),
    },
}


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def damage(event: Event) -> str | None:
    """What is wrong with the event's payload for its type, or None when it is well formed."""
    shape = SHAPES.get(event.type)
    if shape is None:
        return None
    payload: object = event.payload  # typed a mapping; a foreign writer may break that
    if not isinstance(payload, Mapping):
        return "its payload is not a mapping"
    for name, (types, required) in shape.items():
        if name not in payload:
            if required:
                return f"field {name!r} is missing"
            continue
        value = payload[name]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            wanted = " or ".join(_kind(t()) if t is not type(None) else "null" for t in types)
            shown = repr(value)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            return f"field {name!r} should be {wanted}, not {shown}"
    return None


@dataclass(frozen=True)
class Damaged:
    """One event left out of the state, and why."""

    seq: int
    station: str
    type: str
    problem: str

    def line(self) -> str:
        return (
            f"event {self.seq} of station {self.station} ({self.type}) is damaged: "
            f"{self.problem}; it is shown as it is and left out of the batch's state"
        )


class _Folds(Protocol):
    def apply(self, event: Event) -> None: ...


def fold(state: _Folds, events: Iterable[Event]) -> tuple[list[Event], list[Damaged]]:
    """Apply each well-formed event to ``state``; (the events applied, the damaged ones).

    An event that passes the shape check but still fails to fold (a step the recipe does not
    have, an exception id never raised) counts as damaged too; what it changed before failing
    stays in the state, as it would on the station.
    """
    good: list[Event] = []
    damaged: list[Damaged] = []
    for event in events:
        problem = damage(event)
        if problem is None:
            try:
                state.apply(event)
            except (KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
                problem = f"it could not be folded in ({type(exc).__name__}: {exc})"
        if problem is None:
            good.append(event)
        else:
            damaged.append(Damaged(event.seq, event.station, event.type, problem))
    return good, damaged


def damaged_seqs(damaged: Sequence[Damaged]) -> set[tuple[str, int]]:
    return {(d.station, d.seq) for d in damaged}
