"""Who holds each batch, and every collection and order bound to one: the server decides.

One station owns a batch at a time (``batch_owners``). It writes the batch's events only while it
owns it; the server refuses them from any other station. A hand-over:

1. the owner writes ``batch.handover`` in its chain and pushes it: everything before it is then
   on the server (a chain is stored in order), and the batch is *released*;
2. a person at the next station signs "received"; that station claims the batch
   (:func:`claim`), and the server records the new owner in its own chain (``batch.owner``);
3. the claiming station pulls the batch's events (:func:`history`), checks them, writes
   ``batch.claimed`` and continues.

While the owner is offline, its release has not reached the server, so nobody can claim the batch.

Identities (``batch_identities``): a DIN or an order ID belongs to one batch fleet-wide. Online, a
station asks (:func:`bound`) before it binds one. Offline, it decides from what it knows; when the
server later receives a duplicate, it keeps the station's record (it happened) and raises an
identity exception on the batch in its own chain, with an incident for QA.
"""

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import Connection, func, insert, select, update

from central import chain, schema
from central.authority import SERVER_STATION
from central.errors import CentralError
from central.store import CentralStore, now_iso
from local_store import Event, canonical_json

_O = schema.batch_owners
_I = schema.batch_identities
_E = schema.events

HELD: Final = "held"
RELEASED: Final = "released"
IDENTITY_DUPLICATE: Final = "identity_duplicate"


class ClaimRefused(CentralError):
    """A claim the server will not grant; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Owners:
    """The ownership rows one push touches, read and locked once, changed in the push's order."""

    conn: Connection
    station: str
    rows: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    def row(self, batch: str) -> dict[str, Any] | None:
        if batch not in self.rows:
            found = self.conn.execute(
                select(_O).where(_O.c.batch == batch).with_for_update()
            ).first()
            self.rows[batch] = None if found is None else dict(found._mapping)
        return self.rows[batch]

    def refusal(self, event: Event) -> str | None:
        """Why this station may not write ``event`` of its batch now, or None (then noted)."""
        batch = event.batch
        assert batch is not None
        row = self.row(batch)
        if event.type == "batch.started":
            if row is not None:
                return f"batch {batch} exists already (started at station {_who(row)})"
            self.rows[batch] = {"batch": batch, "owner": self.station, "state": HELD, "new": True}
            return None
        if row is None:
            return f"batch {batch} is not known to the server (its start was never received)"
        if row["owner"] != self.station:
            if row["state"] == RELEASED:
                return (
                    f"batch {batch} was released for hand-over by station {row['previous']}; "
                    f"station {self.station} must claim it before writing to it"
                )
            return f"batch {batch} is held by station {row['owner']}, not by {self.station}"
        if event.type == "batch.handover":
            room = event.payload.get("room")
            row.update(owner=None, state=RELEASED, previous=self.station, room=room, changed=True)
        return None

    def apply(self, events: Sequence[Event], at: str) -> None:
        """Write the ownership rows and the server's chain for the accepted ``events``."""
        for batch, row in self.rows.items():
            if row is None:
                continue
            values = {
                "owner": row["owner"],
                "state": row["state"],
                "since": at,
                "previous": row.get("previous"),
                "room": row.get("room"),
            }
            if row.pop("new", False):
                self.conn.execute(insert(_O).values(batch=batch, **values))
            elif row.pop("changed", False):
                self.conn.execute(update(_O).where(_O.c.batch == batch).values(**values))
            row.pop("changed", None)
        for e in events:
            if e.type == "batch.handover" and e.batch is not None:
                chain.append(
                    self.conn,
                    "batch.owner",
                    {
                        "owner": None,
                        "from": e.station,
                        "seq": e.seq,
                        "room": e.payload.get("room"),
                        "cause": "released",
                    },
                    batch=e.batch,
                )


def _who(row: dict[str, Any]) -> str:
    return str(row.get("owner") or row.get("previous") or "?")


def bind_identities(conn: Connection, events: Sequence[Event], at: str) -> list[Event]:
    """Record the DINs and order IDs the accepted events bind; return the server's identity
    exceptions for any already bound to another batch (written to its chain)."""
    raised: list[Event] = []
    for e in events:
        for kind, value in _identities(e):
            assert e.batch is not None
            held = conn.execute(
                select(_I.c.batch, _I.c.station).where(_I.c.kind == kind, _I.c.value == value)
            ).first()
            if held is None:
                conn.execute(
                    insert(_I).values(
                        kind=kind, value=value, batch=e.batch, station=e.station, at=at
                    )
                )
                continue
            if held.batch == e.batch:
                continue
            label = "collection (DIN)" if kind == "din" else "order"
            message = (
                f"{label} {value} is bound to batch {held.batch} (station {held.station}) "
                f"already; batch {e.batch} bound it again at station {e.station}"
            )
            raised.append(
                chain.append(
                    conn,
                    "exception.raised",
                    {
                        "id": f"X-central-{kind}-{e.station}-{e.seq}",
                        "category": "identity",
                        "severity": "critical",
                        "blocking": True,
                        "step": e.payload.get("step"),
                        "message": message,
                        "values": {kind: value, "other_batch": held.batch},
                    },
                    batch=e.batch,
                )
            )
            conn.execute(
                insert(schema.incidents).values(
                    station=e.station,
                    seq=e.seq,
                    code=IDENTITY_DUPLICATE,
                    problem=message,
                    event=canonical_json(e.to_dict()),
                    at=at,
                )
            )
    return raised


def _identities(e: Event) -> Iterator[tuple[str, str]]:
    if e.type == "identity.bound" and isinstance(e.payload.get("din"), str):
        yield "din", _din_key(e.payload["din"])
    elif e.type == "batch.started":
        context = e.payload.get("context")
        order = context.get("order_id") if isinstance(context, dict) else None
        if isinstance(order, str) and order.strip():
            yield "order", order.strip()


def _din_key(din: str) -> str:
    """A DIN as compared fleet-wide: without spaces, flags or check character, upper case."""
    compact = "".join(din.split()).upper()
    return compact[:13]


def bound(store: CentralStore, kind: str, value: str) -> tuple[str, str] | None:
    """(batch, station) that ``value`` (a DIN or an order ID) is bound to, or None."""
    key = _din_key(value) if kind == "din" else value.strip()
    with store.read() as conn:
        row = conn.execute(
            select(_I.c.batch, _I.c.station).where(_I.c.kind == kind, _I.c.value == key)
        ).first()
    return None if row is None else (str(row.batch), str(row.station))


@dataclass(frozen=True)
class Ownership:
    batch: str
    owner: str | None
    state: str
    since: str
    previous: str | None
    room: str | None


def owners(store: CentralStore, *, state: str | None = None) -> list[Ownership]:
    """Every batch's ownership (or those in ``state``), by batch ID."""
    stmt = select(_O.c.batch, _O.c.owner, _O.c.state, _O.c.since, _O.c.previous, _O.c.room)
    if state is not None:
        stmt = stmt.where(_O.c.state == state)
    with store.read() as conn:
        return [Ownership(*row) for row in conn.execute(stmt.order_by(_O.c.batch))]


def owner_of(store: CentralStore, batch: str) -> Ownership | None:
    """``batch``'s ownership, or None for a batch the server does not know."""
    stmt = select(_O.c.batch, _O.c.owner, _O.c.state, _O.c.since, _O.c.previous, _O.c.room)
    with store.read() as conn:
        row = conn.execute(stmt.where(_O.c.batch == batch)).first()
    return None if row is None else Ownership(*row)


def claim(
    store: CentralStore, batch: str, station: str, signature: dict[str, Any], rooms: Sequence[str]
) -> Event | None:
    """Give ``batch`` to ``station`` on a person's "received" signature.

    Refused (ClaimRefused) unless the batch was released by its owner, whose release the server
    has. Claiming a batch the station holds already is a no-op (None): a retry after a lost answer.
    """
    with store.write() as conn:
        row = conn.execute(select(_O).where(_O.c.batch == batch).with_for_update()).first()
        if row is None:
            raise ClaimRefused(f"no batch {batch} on the server", status=404)
        if row.owner == station:
            return None
        if row.state != RELEASED:
            raise ClaimRefused(
                f"batch {batch} is held by station {row.owner}: it can be claimed only after "
                "that station has released it and sent every event"
            )
        if row.room and rooms and row.room not in rooms:
            raise ClaimRefused(
                f"batch {batch} was handed over to room {row.room}; station {station} is "
                f"registered for {', '.join(rooms)}",
                status=403,
            )
        at = now_iso()
        conn.execute(
            update(_O)
            .where(_O.c.batch == batch)
            .values(owner=station, state=HELD, since=at, room=None)
        )
        return chain.append(
            conn,
            "batch.owner",
            {"owner": station, "from": row.previous, "cause": "claimed", "signature": signature},
            batch=batch,
            actor=f"u:{signature.get('user')}",
        )


def stations_of(store: CentralStore, batch: str) -> list[str]:
    """Every station that wrote to ``batch``, in the order they first did."""
    with store.read() as conn:
        rows = conn.execute(
            select(_E.c.station, _E.c.received_at)
            .where(_E.c.batch == batch)
            .order_by(_E.c.received_at, _E.c.station)
        )
        seen: list[str] = []
        for name, _at in rows:
            if name not in seen:
                seen.append(str(name))
    return seen


@dataclass(frozen=True)
class Writer:
    """A station's part of a batch: how many events, from when to when, in which rooms."""

    station: str
    events: int
    first_ts: str
    last_ts: str
    rooms: str


def writers(store: CentralStore, batch: str) -> list[Writer]:
    """Every chain that holds events of ``batch``, in the order they joined it."""
    s = schema.stations
    with store.read() as conn:
        rows = conn.execute(
            select(
                _E.c.station,
                func.count(),
                func.min(_E.c.ts),
                func.max(_E.c.ts),
                func.min(_E.c.received_at),
                s.c.rooms,
            )
            .join(s, s.c.name == _E.c.station)
            .where(_E.c.batch == batch)
            .group_by(_E.c.station, s.c.rooms)
        ).all()
    found = []
    for station, count, first, last, _joined, rooms in sorted(rows, key=lambda r: str(r[4])):
        names = ", ".join(json.loads(rooms)) if rooms else "any room"
        if station == SERVER_STATION:
            names = "the server's own records"
        found.append(Writer(str(station), int(count), str(first), str(last), names))
    return found
