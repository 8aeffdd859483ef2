"""Deviations as records: opened from a review item, investigated, closed by QA (no Qt, no I/O).

A deviation belongs to one batch and is opened from one of its review items (an exception, a
correction, a manual entry...): at the station by a supervisor (``Engine.open_deviation``) or in
the QA portal (``central.release``). Its events:

- ``deviation.opened`` — ``{id, item, classification, description}`` (station or server);
- ``deviation.updated`` — any of ``investigation``, ``root_cause``, ``capa``, ``impact``,
  ``description`` (server, QA);
- ``deviation.reclassified`` — ``{id, classification}``, the reason in the event's reason
  (server, QA only);
- ``deviation.closed`` — ``{id, signature}``: QA's e-signature, meaning "closed" (server).

``BatchState`` folds them with :func:`apply`, so the release gate at the station and at the
server sees an open deviation the same way (``kiosk.review.release_blockers``).
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from kiosk.text import Text
from local_store import Event

CLASSIFICATIONS: Final = ("minor", "major", "critical")
FIELDS: Final = ("description", "investigation", "root_cause", "capa", "impact")
"""The texts a deviation holds, in the order a page shows them."""
LABELS: Final[Mapping[str, str]] = {
    "description": "Description",
    "investigation": "Investigation",
    "root_cause": "Root cause",
    "capa": "CAPA reference",
    "impact": "Product impact",
}
MAX_TEXT: Final = 4000
TYPES: Final = frozenset(
    {"deviation.opened", "deviation.updated", "deviation.reclassified", "deviation.closed"}
)
OPEN, CLOSED = "open", "closed"


class DeviationError(ValueError):
    """A deviation's field refused; ``str()`` names the field, in one line."""


@dataclass(frozen=True)
class Deviation:
    id: str
    batch: str
    item: str
    classification: str
    opened_by: str
    opened_ts: str
    texts: Mapping[str, str]
    status: str = OPEN
    closed: Mapping[str, Any] | None = None  # the closing signature
    history: tuple[str, ...] = ()  # one line per change, for the page and the record

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def text(self, name: str) -> str:
        return str(self.texts.get(name, ""))


def new_id() -> str:
    """A fleet-unique deviation ID (``DEV-`` and 8 hex digits), made where it is opened."""
    return f"DEV-{secrets.token_hex(4).upper()}"


def check_classification(value: str) -> str:
    """The classification, or DeviationError naming the field."""
    cleaned = value.strip().lower()
    if cleaned not in CLASSIFICATIONS:
        raise DeviationError(
            Text(
                "classification: must be one of {choices}",
                choices=", ".join(CLASSIFICATIONS),
            )
        )
    return cleaned


def check_texts(form: Mapping[str, str], *, required: tuple[str, ...] = ()) -> dict[str, str]:
    """The deviation texts in ``form`` (stripped; absent ones left out), or DeviationError
    naming the first field that is missing, too long or holds a control character."""
    found: dict[str, str] = {}
    for name in FIELDS:
        raw = form.get(name)
        if raw is None:
            if name in required:
                raise DeviationError(Text("{name}: required", name=name))
            continue
        text = raw.replace("\r\n", "\n").strip()
        if name in required and not text:
            raise DeviationError(Text("{name}: required", name=name))
        if len(text) > MAX_TEXT:
            raise DeviationError(
                Text("{name}: at most {most} characters", name=name, most=MAX_TEXT)
            )
        if any(ord(c) < 32 and c not in "\n\t" for c in text) or "\x7f" in text:
            raise DeviationError(Text("{name}: control characters are not allowed", name=name))
        found[name] = text
    return found


def apply(deviations: dict[str, Deviation], event: Event) -> None:
    """Fold one ``deviation.*`` event into ``deviations`` (an unknown ID is left alone)."""
    p = event.payload
    ident = str(p.get("id", ""))
    who = event.actor.removeprefix("u:")
    if event.type == "deviation.opened":
        texts = {name: str(p[name]) for name in FIELDS if isinstance(p.get(name), str)}
        deviations[ident] = Deviation(
            id=ident,
            batch=event.batch or "",
            item=str(p.get("item", "")),
            classification=str(p.get("classification", "")),
            opened_by=who,
            opened_ts=event.ts,
            texts=texts,
            history=(f"{event.ts} opened by {who} ({p.get('classification')})",),
        )
        return
    found = deviations.get(ident)
    if found is None:
        return
    if event.type == "deviation.updated":
        changed = {name: str(p[name]) for name in FIELDS if isinstance(p.get(name), str)}
        line = f"{event.ts} {', '.join(changed) or 'nothing'} updated by {who}"
        deviations[ident] = dataclasses.replace(
            found, texts={**found.texts, **changed}, history=(*found.history, line)
        )
    elif event.type == "deviation.reclassified":
        new = str(p.get("classification", found.classification))
        line = f"{event.ts} reclassified {found.classification} → {new} by {who}: {event.reason}"
        deviations[ident] = dataclasses.replace(
            found, classification=new, history=(*found.history, line)
        )
    elif event.type == "deviation.closed":
        raw = p.get("signature")
        sig: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
        line = f"{event.ts} closed by {sig.get('name', who)} ({sig.get('user', who)})"
        deviations[ident] = dataclasses.replace(
            found, status=CLOSED, closed=sig, history=(*found.history, line)
        )


def open_ones(deviations: Mapping[str, Deviation]) -> list[Deviation]:
    """The deviations not yet closed, in the order they were opened."""
    return sorted((d for d in deviations.values() if d.is_open), key=lambda d: d.opened_ts)
