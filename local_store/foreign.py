"""Events of other stations' chains, held for the batches this station took over.

A batch that moves between rooms is written by several stations, each in its own chain. When a
station claims a batch it imports the batch's events from the other stations (``import_foreign``)
into ``foreign_events``, each row marked with this station's chain head at the time
(``after_seq``) and its place in the import (``import_order``). The batch's history is then its
own events up to the first import's ``after_seq``, the events of that import, its own events up
to the next import's ``after_seq``, and so on (``batch_history``).

What is held of another station's chain is only the batch's events, a subset with gaps: each
event's hash is checked, and its ``prev`` link wherever the event before it (same station,
seq - 1) is held too.
"""

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select

from local_store import schema
from local_store.errors import StoreError
from local_store.events import GENESIS, Event, canonical_json, hash_text, sha256_hex

_E = schema.events
_F = schema.foreign_events
_COLUMNS = (
    _F.c.station,
    _F.c.seq,
    _F.c.ts,
    _F.c.actor,
    _F.c.batch,
    _F.c.type,
    _F.c.payload,
    _F.c.reason,
    _F.c.prev,
    _F.c.hash,
)

Key = tuple[str, int]


def name(event: Event) -> str:
    """An event as a technician finds it: station, seq, type and batch."""
    batch = f", batch {event.batch}" if event.batch else ""
    return f"event {event.station} #{event.seq} ({event.type}{batch})"


def checked_payload(event: Event) -> str:
    """The event's canonical payload text, once its hash is shown to match its content."""
    if not isinstance(event, Event):
        raise StoreError(f"only events can be imported, got {type(event).__name__}")
    try:
        text = canonical_json(event.payload)
        digest = sha256_hex(
            hash_text(
                event.station,
                event.seq,
                event.ts,
                event.actor,
                event.batch,
                event.type,
                text,
                event.reason,
                event.prev,
            )
        )
    except (TypeError, ValueError, RecursionError, AttributeError) as exc:
        raise StoreError(f"{name(event)} is malformed ({exc}): refused") from exc
    if digest != event.hash:
        raise StoreError(f"{name(event)} does not match its hash (altered or damaged): refused")
    return text


def import_events(
    conn: Connection, own_station: str, events: Iterable[Event], after_seq: int
) -> list[Event]:
    """Check and store ``events`` in the write transaction ``conn``; the ones newly stored.

    Raises StoreError naming the first event refused; the caller's transaction then rolls back,
    so an import is all or nothing.
    """
    incoming = list(events)
    if after_seq.__class__ is not int or after_seq < 0:
        raise StoreError(f"after_seq must be this station's chain head (an int), got {after_seq!r}")
    head = conn.execute(select(func.max(_E.c.seq)).where(_E.c.station == own_station)).scalar()
    if after_seq > (head or 0):
        raise StoreError(
            f"after_seq {after_seq} is beyond this station's last event (#{head or 0}): refused"
        )
    importer = conn.execute(select(_F.c.after_station).limit(1)).scalar()
    if importer is not None and importer != own_station:
        raise StoreError(
            f"this file holds events imported by station {importer}; station {own_station} "
            "cannot import into it: refused"
        )
    placed = conn.execute(select(func.max(_F.c.after_seq))).scalar()
    if placed is not None and after_seq < placed:
        raise StoreError(
            f"an earlier import was placed after #{placed}; a new one cannot go before it "
            f"(after_seq {after_seq}): refused"
        )
    fresh: dict[Key, tuple[Event, str]] = {}
    last_seq: dict[str, int] = {}
    for event in incoming:
        text = checked_payload(event)
        key = (event.station, event.seq)
        if event.seq <= last_seq.get(event.station, 0):
            raise StoreError(f"{name(event)} comes after a later event of its station: refused")
        last_seq[event.station] = event.seq
        if event.station == own_station:
            _check_own(conn, event)
            continue
        held = _held_hash(conn, key)
        if held is not None:
            if held != event.hash:
                raise StoreError(
                    f"{name(event)} differs from the event already held as "
                    f"{event.station} #{event.seq}: refused"
                )
            continue  # the same event again: nothing to do
        fresh[key] = (event, text)
    for (station, seq), (event, _text) in fresh.items():
        _check_links(conn, fresh, station, seq, event)
    _check_batches_not_written_since(conn, own_station, fresh.values(), after_seq)
    order = conn.execute(select(func.max(_F.c.import_order))).scalar() or 0
    rows: list[dict[str, Any]] = []
    for event, text in fresh.values():
        order += 1
        rows.append(
            {
                **event.to_dict(),
                "payload": text,
                "after_station": own_station,
                "after_seq": after_seq,
                "import_order": order,
            }
        )
    if rows:
        conn.execute(insert(_F), rows)
    return [event for event, _text in fresh.values()]


def _check_own(conn: Connection, event: Event) -> None:
    held = conn.execute(
        select(_E.c.hash).where(_E.c.station == event.station, _E.c.seq == event.seq)
    ).scalar()
    if held != event.hash:
        what = "nothing" if held is None else "a different event"
        raise StoreError(
            f"{name(event)} claims to be this station's, but its chain holds {what} "
            f"at #{event.seq}: refused"
        )


def _held_hash(conn: Connection, key: Key) -> str | None:
    station, seq = key
    found = conn.execute(select(_F.c.hash).where(_F.c.station == station, _F.c.seq == seq)).scalar()
    return None if found is None else str(found)


def _held_prev(conn: Connection, key: Key) -> str | None:
    station, seq = key
    found = conn.execute(select(_F.c.prev).where(_F.c.station == station, _F.c.seq == seq)).scalar()
    return None if found is None else str(found)


def _check_links(
    conn: Connection, fresh: dict[Key, tuple[Event, str]], station: str, seq: int, event: Event
) -> None:
    """The prev link to the held event before, and from the held event after."""
    if seq == 1 and event.prev != GENESIS:
        raise StoreError(f"{name(event)} is its station's first event but has a prev: refused")
    before_key = (station, seq - 1)
    before = fresh[before_key][0].hash if before_key in fresh else _held_hash(conn, before_key)
    if before is not None and event.prev != before:
        raise StoreError(
            f"{name(event)} does not link to {station} #{seq - 1} held here "
            "(its prev differs: the chain was altered): refused"
        )
    after_key = (station, seq + 1)
    after = fresh[after_key][0].prev if after_key in fresh else _held_prev(conn, after_key)
    if after is not None and after != event.hash:
        raise StoreError(
            f"{name(event)} does not link to {station} #{seq + 1} held here "
            "(that event's prev differs: the chain was altered): refused"
        )


def _check_batches_not_written_since(
    conn: Connection, own_station: str, fresh: Iterable[tuple[Event, str]], after_seq: int
) -> None:
    """Refuse to place events before this station's own later events of the same batch."""
    batches = sorted({event.batch for event, _text in fresh if event.batch is not None})
    if not batches:
        return
    later = conn.execute(
        select(_E.c.seq, _E.c.batch)
        .where(_E.c.station == own_station, _E.c.seq > after_seq, _E.c.batch.in_(batches))
        .order_by(_E.c.seq)
        .limit(1)
    ).first()
    if later is not None:
        raise StoreError(
            f"this station wrote #{later.seq} for batch {later.batch} after #{after_seq}: "
            "imported events cannot be placed before it: refused"
        )


OWNERSHIP_ORDER = "\U0010ffff"
"""The station key the batch summary folds a handed-over batch's events with.

A batch with imported events is summarised in ownership order: every event written into the
file after the import (imported or this station's own) is later in that order than all before
it, so it must win whatever the station names are. This key sorts after every station id.
"""


_HAS_IMPORTS = "SELECT 1 FROM foreign_events WHERE batch = ? LIMIT 1"


def batches_with_imports(conn: Connection, batches: Collection[str]) -> set[str]:
    """Which of these batches have events imported from other stations."""
    # One plain indexed look-up per batch (an action touches one): no SQL compiled per call,
    # which an expanding IN clause costs on every append.
    return {
        batch
        for batch in batches
        if conn.exec_driver_sql(_HAS_IMPORTS, (batch,)).first() is not None
    }


def history_rows(conn: Connection, batch: str) -> list[Sequence[Any]]:
    """The batch's rows in ownership order (see the module docstring).

    Without foreign events this is the events table's order (station, seq), as it always was.
    The imports were made by the station whose chain is in this file (``after_station``), so
    the order does not depend on the station name the file is opened with. Rows of any other
    station in this file's own events table (kiosk tools never write them there) come first.
    """
    rows: list[Sequence[Any]] = list(
        conn.execute(
            select(*[_E.c[c.name] for c in _COLUMNS])
            .where(_E.c.batch == batch)
            .order_by(_E.c.station, _E.c.seq)
        )
    )
    foreign = list(
        conn.execute(
            select(*_COLUMNS, _F.c.after_station, _F.c.after_seq)
            .where(_F.c.batch == batch)
            .order_by(_F.c.import_order)
        )
    )
    if not foreign:
        return rows
    own_station = foreign[0][-2]
    merged: list[Sequence[Any]] = [r for r in rows if r[0] != own_station]
    own = [r for r in rows if r[0] == own_station]
    i = 0
    for row in foreign:
        after_seq = row[-1]
        while i < len(own) and own[i][1] <= after_seq:
            merged.append(own[i])
            i += 1
        merged.append(row[:-2])
    merged.extend(own[i:])
    return merged


def rows_of_types(conn: Connection, types: Collection[str]) -> list[Sequence[Any]]:
    """Every held foreign event of ``types``, in import order."""
    return list(
        conn.execute(
            select(*_COLUMNS).where(_F.c.type.in_(list(types))).order_by(_F.c.import_order)
        )
    )
