"""Genealogy and recall: which batches used a lot, and what went into a batch.

``genealogy`` (migration ``c0007``) is a projection of the stored events, one row per batch and
thing that touched it: ``lot`` (the lot number; detail: GTIN and material), ``device`` (the
serial a reading came from), ``person`` (a user who acted or signed; detail: printed name),
``station``, ``patient`` (the pseudonymous patient ID of the batch's context), ``order`` and
``din``. Ingest folds every stored event into it in the push's transaction
(:func:`project`), so a recall over thousands of batches is two index lookups
(``ix_genealogy_value``), not a scan of the events. Read by ``central genealogy`` and the
``/qa/genealogy`` page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from central.schema import genealogy as _table
from local_store import Event

KINDS: Final = ("lot", "device", "person", "station", "patient", "order", "din")


@dataclass(frozen=True)
class Row:
    batch: str
    kind: str
    value: str
    detail: str | None
    station: str
    ts: str


def _people(event: Event) -> Iterator[tuple[str, str | None]]:
    if event.actor.startswith("u:"):
        name = event.payload.get("recorded_by") if event.type == "custody.handover" else None
        yield event.actor[2:], name if isinstance(name, str) else None
    p = event.payload
    signature = p if event.type == "signature.applied" else p.get("signature")
    if isinstance(signature, Mapping) and isinstance(signature.get("user"), str):
        name = signature.get("name")
        yield signature["user"], name if isinstance(name, str) else None


def rows_of(events: Iterable[Event]) -> list[Row]:
    """What each batch event says about the batch's genealogy (pure: used by ingest, the
    migration's backfill and the tests)."""
    found: dict[tuple[str, str, str], Row] = {}

    def add(event: Event, kind: str, value: Any, detail: str | None = None) -> None:
        if event.batch is None or not isinstance(value, str) or not value:
            return
        key = (event.batch, kind, value)
        old = found.get(key)
        if old is None or (old.detail is None and detail):
            found[key] = Row(event.batch, kind, value, detail, event.station, event.ts)

    for event in events:
        if event.batch is None:
            continue
        p = event.payload
        add(event, "station", event.station)
        for user, name in _people(event):
            add(event, "person", user, name)
        if event.type == "material.used":
            add(event, "lot", p.get("lot"), f"{p.get('material')} (GTIN {p.get('gtin')})")
        elif event.type == "step.recorded" and p.get("device"):
            add(event, "device", p.get("device"), str(p.get("name") or p.get("step")))
        elif event.type == "identity.bound":
            add(event, "din", p.get("din"))
        elif event.type == "batch.started":
            context = p.get("context")
            if isinstance(context, Mapping):
                add(event, "patient", context.get("patient_id"))
                add(event, "order", context.get("order_id"))
    return list(found.values())


def project(conn: Connection, events: Sequence[Event]) -> None:
    """Fold stored events into ``genealogy`` (first sighting kept; a printed name filled in)."""
    rows = rows_of(events)
    if not rows:
        return
    insert: Any = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(_table).values(
        [
            {
                "batch": r.batch,
                "kind": r.kind,
                "value": r.value,
                "detail": r.detail,
                "station": r.station,
                "ts": r.ts,
            }
            for r in rows
        ]
    )
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["batch", "kind", "value"],
            set_={"detail": func.coalesce(_table.c.detail, stmt.excluded.detail)},
        )
    )


def batches_using_lot(conn: Connection, lot: str) -> list[dict[str, Any]]:
    """Every batch that used ``lot`` (any GTIN), with its pseudonymous patient: the recall."""
    patient = _table.alias("patient")
    rows = conn.execute(
        select(_table.c.batch, _table.c.detail, _table.c.station, _table.c.ts, patient.c.value)
        .select_from(
            _table.outerjoin(
                patient, (patient.c.batch == _table.c.batch) & (patient.c.kind == "patient")
            )
        )
        .where(_table.c.kind == "lot", _table.c.value == lot)
        .order_by(_table.c.ts, _table.c.batch)
    ).all()
    return [
        {"batch": r[0], "material": r[1], "station": r[2], "first_used": r[3], "patient": r[4]}
        for r in rows
    ]


def batch_genealogy(conn: Connection, batch: str) -> dict[str, list[dict[str, Any]]]:
    """Everything recorded as going into ``batch``, by kind (empty lists when nothing)."""
    rows = conn.execute(
        select(_table.c.kind, _table.c.value, _table.c.detail, _table.c.station, _table.c.ts)
        .where(_table.c.batch == batch)
        .order_by(_table.c.kind, _table.c.ts, _table.c.value)
    ).all()
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for kind, value, detail, station, ts in rows:
        found.setdefault(kind, []).append(
            {"value": value, "detail": detail, "station": station, "first": ts}
        )
    return found
