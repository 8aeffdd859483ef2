"""Re-checking every station's chain on the server, streamed station by station.

The same walk a station does (``local_store.verify``): sequence numbers gap-free from 1, each
``prev`` the hash of the event before, each ``hash`` recomputed from the stored canonical content.
The server also knows what a station's own check cannot: the last event it acknowledged. Fewer
events than that means events were cut off the end on the server.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from central import schema
from central.records import EVENT_COLUMNS
from central.store import CentralStore
from local_store.verify import Row, verify_rows

STREAM_ROWS = 5000
"""Rows fetched per round trip; memory stays flat whatever the size of the log."""

_E = schema.events
_S = schema.stations


@dataclass(frozen=True)
class StationCheck:
    station: str
    events: int
    last_seq: int  # the highest seq held (0 for none)
    ok: bool
    bad_seq: int | None = None
    problem: str | None = None


class _Tail:
    """Passes rows through, remembering the last seq and hash."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = rows
        self.seq = 0
        self.hash: str | None = None

    def __iter__(self) -> Iterator[Row]:
        for row in self._rows:
            self.seq, self.hash = row[1], row[9]
            yield row


def verify(store: CentralStore) -> Iterator[StationCheck]:
    """One StationCheck per registered station, in name order."""
    with store.read() as conn:
        stations = conn.execute(
            select(_S.c.name, _S.c.head_seq, _S.c.head_hash).order_by(_S.c.name)
        ).all()
    for name, head_seq, head_hash in stations:
        with store.read() as conn:
            rows = conn.execution_options(yield_per=STREAM_ROWS).execute(
                select(*EVENT_COLUMNS).where(_E.c.station == name).order_by(_E.c.seq)
            )
            tail = _Tail(rows)
            result = verify_rows(tail)
        if not result.ok:
            yield StationCheck(name, result.events, tail.seq, False, result.bad_seq, result.problem)
        elif tail.seq != head_seq:
            problem = (
                f"the server acknowledged up to seq {head_seq} but holds events up to {tail.seq}"
            )
            bad = min(tail.seq, head_seq) + 1
            yield StationCheck(name, result.events, tail.seq, False, bad, problem)
        elif tail.seq and tail.hash != head_hash:
            problem = f"the last event is not the one acknowledged (seq {head_seq})"
            yield StationCheck(name, result.events, tail.seq, False, head_seq, problem)
        else:
            yield StationCheck(name, result.events, tail.seq, True)
