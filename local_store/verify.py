"""Walking the hash chain: the same check for the station's own database and for the server.

For every station the walk checks that sequence numbers start at 1 and have no gaps, that each
``prev`` is the ``hash`` of the event before, and that each ``hash`` recomputes from the content.
It reports the first bad event and keeps counting to the end, holding only the set of batch ids
in memory, never the events.

What a hash chain cannot show on its own: events cut off the end of a station's log. The server,
which has already received them, is what notices that.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from local_store.events import GENESIS, Event, canonical_json, encode_json_string

Row = tuple[str, int, str, str, str | None, str, str, str | None, str, str]
"""(station, seq, ts, actor, batch, type, payload_text, reason, prev, hash), as stored."""

MALFORMED = "malformed event (a field has the wrong type or the payload is not JSON)"


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of a chain walk. ``first_ts``/``last_ts`` are the earliest and latest timestamps.

    When ``ok`` is false, ``bad_station``/``bad_seq`` name the first bad event (in station, seq
    order) and ``problem`` says what is wrong with it.
    """

    ok: bool
    events: int
    batches: int
    first_ts: str | None
    last_ts: str | None
    bad_seq: int | None
    bad_station: str | None
    problem: str | None


def verify_rows(rows: Iterable[Row]) -> VerifyResult:
    """Verify stored rows ordered by station, then seq (the payload as canonical JSON text).

    The hashed text is built inline, exactly as :func:`local_store.events.hash_text` builds it
    (a test holds the two together): this loop is the whole cost of ``verify``.
    """
    count = 0
    batches: set[str] = set()
    first_ts: str | None = None
    last_ts: str | None = None
    problem: str | None = None
    bad_seq: int | None = None
    bad_station: str | None = None
    station: str | None = None
    expected_seq = 1
    expected_prev = GENESIS
    sha = hashlib.sha256
    enc = encode_json_string
    for st, seq, ts, actor, batch, type_, payload, reason, prev, digest in rows:
        count += 1
        if isinstance(batch, str):
            batches.add(batch)
        if ts.__class__ is str:
            if first_ts is None or last_ts is None:
                first_ts = last_ts = ts
            elif ts < first_ts:
                first_ts = ts
            elif ts > last_ts:
                last_ts = ts
        if problem is not None:
            continue  # only the first problem is reported; the rest is counted
        try:
            if seq.__class__ is not int or st.__class__ is not str:
                raise TypeError("station and seq must be str and int")
            if st != station:
                if station is not None and st < station:
                    problem = "events are not ordered by station"
                station = st
                expected_seq = 1
                expected_prev = GENESIS
            if problem is not None:
                pass
            elif seq != expected_seq:
                if expected_seq == 1:
                    problem = f"sequence starts at {seq}, not 1"
                elif seq > expected_seq:
                    problem = f"sequence gap: {seq} follows {expected_seq - 1}"
                else:
                    problem = f"sequence out of order: {seq} follows {expected_seq - 1}"
            elif prev != expected_prev:
                if seq == 1:
                    problem = "prev of the first event is not the chain's starting value"
                else:
                    problem = f"prev does not match hash of seq {seq - 1}"
            elif payload.__class__ is not str:
                problem = MALFORMED
            elif (
                sha(
                    (
                        f'{{"actor":{enc(actor)},'
                        f'"batch":{"null" if batch is None else enc(batch)},'
                        f'"payload":{payload},'
                        f'"prev":{enc(prev)},'
                        f'"reason":{"null" if reason is None else enc(reason)},'
                        f'"seq":{seq},'
                        f'"station":{enc(st)},'
                        f'"ts":{enc(ts)},'
                        f'"type":{enc(type_)}}}'
                    ).encode()
                ).hexdigest()
                != digest
            ):
                problem = "hash does not match content"
        except (TypeError, ValueError):
            problem = MALFORMED
        if problem is None:
            expected_seq = seq + 1
            expected_prev = digest
        else:
            bad_seq = seq if seq.__class__ is int else None
            bad_station = st if st.__class__ is str else None
    return VerifyResult(
        ok=problem is None,
        events=count,
        batches=len(batches),
        first_ts=first_ts,
        last_ts=last_ts,
        bad_seq=bad_seq,
        bad_station=bad_station,
        problem=problem,
    )


def _rows_of(events: Iterable[Event]) -> Iterator[Row]:
    for e in events:
        try:
            payload: str | None = canonical_json(e.payload)
        except (TypeError, ValueError):
            payload = None
        yield (
            e.station,
            e.seq,
            e.ts,
            e.actor,
            e.batch,
            e.type,
            payload,  # type: ignore[misc]  # None marks an unserialisable payload
            e.reason,
            e.prev,
            e.hash,
        )


def verify_events(events: Iterable[Event]) -> VerifyResult:
    """Verify events ordered by station, then seq (for example a batch received by the server).

    A pure function: it reads the iterable once and keeps none of the events.
    """
    return verify_rows(_rows_of(events))
