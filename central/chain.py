"""The server's own hash chain: what the server itself decides, recorded like a station's events.

The chain lives in the ``events`` table under the reserved station name ``@central``
(``authority.SERVER_STATION``), so ``central verify`` re-checks it with every station's, and a
batch's record on the server includes the ownership changes and identity exceptions the server
wrote about it. Appends run inside the caller's write transaction, with the chain's row locked,
so that one decision and its record commit together.
"""

from typing import Any

from sqlalchemy import Connection, select, update

from central import schema
from central.authority import SERVER_STATION
from central.store import now_iso
from local_store import Event, canonical_json, event_hash

_S = schema.stations
_E = schema.events


def append(
    conn: Connection,
    type_: str,
    payload: dict[str, Any],
    *,
    batch: str | None = None,
    actor: str = "system",
    reason: str | None = None,
) -> Event:
    """Write one event at the end of the server's chain (in ``conn``'s transaction)."""
    head = conn.execute(
        select(_S.c.head_seq, _S.c.head_hash).where(_S.c.name == SERVER_STATION).with_for_update()
    ).one()
    seq, prev = int(head.head_seq) + 1, str(head.head_hash)
    ts = now_iso()
    if seq > 1:
        last = conn.execute(
            select(_E.c.ts).where(_E.c.station == SERVER_STATION, _E.c.seq == seq - 1)
        ).scalar_one()
        ts = max(ts, str(last))  # never earlier than the chain's previous event
    digest = event_hash(SERVER_STATION, seq, ts, actor, batch, type_, payload, reason, prev)
    event = Event(SERVER_STATION, seq, ts, actor, batch, type_, payload, reason, prev, digest)
    conn.execute(
        _E.insert().values(
            station=SERVER_STATION,
            seq=seq,
            ts=ts,
            actor=actor,
            batch=batch,
            type=type_,
            payload=canonical_json(payload),
            reason=reason,
            prev=prev,
            hash=digest,
            received_at=ts,
        )
    )
    conn.execute(
        update(_S)
        .where(_S.c.name == SERVER_STATION)
        .values(head_seq=seq, head_hash=digest, last_push_at=ts)
    )
    return event
