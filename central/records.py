"""Reading stored events back: the columns in hashing order and the Event they make."""

import json
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, select

from central import schema
from central.authority import SERVER_STATION
from local_store import Event

_E = schema.events

EVENT_COLUMNS: Final[tuple[ColumnElement[Any], ...]] = (
    _E.c.station,
    _E.c.seq,
    _E.c.ts,
    _E.c.actor,
    _E.c.batch,
    _E.c.type,
    _E.c.payload,
    _E.c.reason,
    _E.c.prev,
    _E.c.hash,
)
"""(station, seq, ts, actor, batch, type, payload text, reason, prev, hash), as stored."""


def event_from_row(row: Sequence[Any]) -> Event:
    """The Event of a row selected with EVENT_COLUMNS (the payload text parsed)."""
    station, seq, ts, actor, batch, type_, payload, reason, prev, digest = row
    return Event(station, seq, ts, actor, batch, type_, json.loads(payload), reason, prev, digest)


def batch_events(conn: Connection, batch: str) -> list[Event]:
    """A batch's events in ownership order, the order its engines wrote them: by the time the
    server received them, then (station, seq). A batch moves to another station only after the
    server has every event of the last owner, so each owner's events follow the previous one's."""
    rows = conn.execute(
        select(*EVENT_COLUMNS)
        .where(_E.c.batch == batch)
        .order_by(_E.c.received_at, _E.c.station, _E.c.seq)
    )
    return [event_from_row(row) for row in rows]


def server_events_after(conn: Connection, batch: str, after_seq: int) -> list[Event]:
    """The server's own events of ``batch`` after its seq ``after_seq``, in seq order: what a
    station that holds the batch has not taken in yet (QA's decisions, the LIMS's results)."""
    rows = conn.execute(
        select(*EVENT_COLUMNS)
        .where(_E.c.station == SERVER_STATION, _E.c.batch == batch, _E.c.seq > after_seq)
        .order_by(_E.c.seq)
    )
    return [event_from_row(row) for row in rows]
