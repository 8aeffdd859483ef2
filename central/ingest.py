"""Receiving a station's events: chain check from the last acknowledged event, idempotent storage.

The rules (``docs/server.md``, "Sync"):

- A station writes only its own events (``event.station`` must be the token's station).
- Events are taken in sequence order. One the server already holds must be the very same event
  (same hash, and content that hashes to it): it is acknowledged again. A different event under
  a held sequence number is a *conflict*.
- New events must continue the chain gap-free from the last acknowledged event: ``seq`` one more,
  ``prev`` its hash, and ``hash`` recomputed from the content (``local_store``'s definition). A
  wrong ``prev`` or ``hash`` is a *broken chain*; a later ``seq`` is a *gap* (the station resends
  from the acknowledged mark).
- The events before the first refused one are stored and acknowledged; nothing from the refused
  one on is stored. Conflicts and broken chains are logged and recorded as incidents.

One push is one transaction, serialised per station by a lock on the station's row, so a
duplicate delivery racing the original one is acknowledged, never stored twice.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, desc, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from central import authority, genealogy, receipts, schema
from central.errors import (
    CHAIN_BROKEN,
    CLOCK,
    CONFLICT,
    FORBIDDEN,
    GAP,
    INVALID,
    BadEvent,
    CentralError,
    Refusal,
)
from central.ownership import Owners, bind_identities
from central.store import CentralStore, now_iso
from central.users import after_ingest
from local_store import Event, canonical_json
from local_store.events import hash_text, sha256_hex
from local_store.projections import BatchRow

log = logging.getLogger(__name__)

MAX_BATCH = 1000
"""The most events one push may carry."""
DEFAULT_SKEW_S = 300.0
"""How far ahead of the server's clock an event may be dated (``CENTRAL_CLOCK_SKEW_S``)."""

_E = schema.events
_S = schema.stations
_B = schema.batches
_INSERT_QMARK = (
    "INSERT INTO events (station, seq, ts, actor, batch, type, payload, reason, prev, hash, "
    "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_FORMAT = _INSERT_QMARK.replace("?", "%s")
_TEXT_FIELDS = ("station", "ts", "actor", "batch", "type", "reason", "prev", "hash")


class WrongStation(CentralError):
    """Events of another station than the token's."""


class StationRevoked(CentralError):
    """The station's token was revoked (or the station removed) while it pushed."""


@dataclass(frozen=True)
class IngestResult:
    """What a push achieved: the acknowledged high-water mark and what was stored."""

    station: str
    acknowledged: int
    acknowledged_hash: str
    stored: int
    duplicates: int
    refusal: Refusal | None = None
    receipt: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    event: Event
    payload_text: str
    recomputed: str


def prepare(events: Sequence[Event]) -> list[_Prepared]:
    """Encode and hash each event (outside any transaction). BadEvent names one unstorable."""
    prepared = []
    for e in events:
        for name in _TEXT_FIELDS:
            value = getattr(e, name)
            if isinstance(value, str) and "\x00" in value:
                raise BadEvent(e.seq, f"{name} contains a NUL character, which cannot be stored")
        try:
            payload_text = canonical_json(e.payload)
            digest = sha256_hex(
                hash_text(
                    e.station,
                    e.seq,
                    e.ts,
                    e.actor,
                    e.batch,
                    e.type,
                    payload_text,
                    e.reason,
                    e.prev,
                )
            )
        except UnicodeEncodeError as exc:
            raise BadEvent(e.seq, "contains text that is not valid Unicode") from exc
        except (TypeError, ValueError, RecursionError) as exc:
            raise BadEvent(e.seq, f"payload cannot be encoded as canonical JSON ({exc})") from exc
        prepared.append(_Prepared(e, payload_text, digest))
    return prepared


def head(store: CentralStore, station: str) -> tuple[int, str]:
    """The station's acknowledged high-water mark: (last seq, its hash)."""
    with store.read() as conn:
        row = conn.execute(select(_S.c.head_seq, _S.c.head_hash).where(_S.c.name == station)).one()
    return int(row.head_seq), str(row.head_hash)


def ingest(
    store: CentralStore,
    station: str,
    events: Sequence[Event],
    skew_s: float = DEFAULT_SKEW_S,
    signing_key: Ed25519PrivateKey | None = None,
) -> IngestResult:
    """Check and store one push of ``station``'s events (see the module docstring)."""
    foreign = sorted({e.station for e in events if e.station != station})
    if foreign:
        raise WrongStation(
            f"this token belongs to station {station}; events of {', '.join(foreign)} refused"
        )
    prepared = sorted(prepare(events), key=lambda p: p.event.seq)
    received_at = now_iso()
    with store.write() as conn:
        row = conn.execute(
            select(_S.c.head_seq, _S.c.head_hash, _S.c.revoked_at)
            .where(_S.c.name == station)
            .with_for_update()
        ).first()
        if row is None or row.revoked_at is not None:
            raise StationRevoked(f"station {station} is not (or no longer) registered")
        head_seq, head_hash = int(row.head_seq), str(row.head_hash)
        refusal, duplicates, accepted = _check(conn, station, head_seq, head_hash, prepared)
        authorizer = Authorizer(conn, station, head_seq, skew_s)
        accepted, authority_refusal = authorizer.allowed(accepted)
        if authority_refusal is not None:
            refusal = authority_refusal
        if accepted:
            last = accepted[-1].event
            conn.exec_driver_sql(
                _insert_sql(conn),
                [
                    (
                        p.event.station,
                        p.event.seq,
                        p.event.ts,
                        p.event.actor,
                        p.event.batch,
                        p.event.type,
                        p.payload_text,
                        p.event.reason,
                        p.event.prev,
                        p.event.hash,
                        received_at,
                    )
                    for p in accepted
                ],
            )
            conn.execute(
                update(_S)
                .where(_S.c.name == station)
                .values(head_seq=last.seq, head_hash=last.hash, last_push_at=received_at)
            )
            head_seq, head_hash = last.seq, last.hash
            stored = [p.event for p in accepted]
            authorizer.owners.apply(stored, received_at)
            bind_identities(conn, stored, received_at)
            _project(conn, stored)
            genealogy.project(conn, stored)
            after_ingest(store, conn, stored)  # fleet lockout (central.users)
        if refusal is not None and refusal.code != GAP:
            offending = next(p.event for p in prepared if p.event.seq == refusal.seq)
            _record_incident(conn, refusal, offending, received_at)
        receipt = None
        if signing_key is not None and head_seq > 0:
            stored_hashes = [(p.event.seq, p.event.hash) for p in accepted]
            receipt = receipts.issue(
                conn, signing_key, station, head_seq, head_hash, received_at, stored_hashes
            )
    result = IngestResult(
        station=station,
        acknowledged=head_seq,
        acknowledged_hash=head_hash,
        stored=len(accepted),
        duplicates=duplicates,
        receipt=receipt,
        refusal=None
        if refusal is None
        else Refusal(refusal.code, station, refusal.seq, refusal.problem, head_seq, head_hash),
    )
    if result.refusal is not None:
        level = logging.INFO if result.refusal.code == GAP else logging.WARNING
        log.log(level, "push refused (%s): %s", result.refusal.code, result.refusal.message)
    elif accepted:
        log.debug("station %s: stored %d events, acknowledged %d", station, len(accepted), head_seq)
    return result


class Authorizer:
    """The authority map, clocks and batch ownership over one push's chain-checked events."""

    def __init__(self, conn: Connection, station: str, head_seq: int, skew_s: float) -> None:
        self.station = station
        self.owners = Owners(conn, station)
        self.skew = timedelta(seconds=skew_s)
        self.now = datetime.now(UTC)
        self.previous_ts: datetime | None = None
        if head_seq > 0:
            last = conn.execute(
                select(_E.c.ts).where(_E.c.station == station, _E.c.seq == head_seq)
            ).scalar_one_or_none()
            self.previous_ts = None if last is None else _parse_ts(str(last))

    def allowed(self, accepted: list[_Prepared]) -> tuple[list[_Prepared], Refusal | None]:
        """The events up to the first one the server refuses, and that refusal (or None)."""
        for index, p in enumerate(accepted):
            problem = self._problem(p.event)
            if problem is not None:
                code, text = problem
                return accepted[:index], _refuse(code, self.station, p.event.seq, text)
        return accepted, None

    def _problem(self, e: Event) -> tuple[str, str] | None:
        found = authority.check(e)
        if found is not None:
            return found
        moment = _parse_ts(e.ts)
        if moment is None:
            return INVALID, f"timestamp {e.ts!r} is not UTC ISO-8601 with milliseconds"
        if self.previous_ts is not None and moment < self.previous_ts:
            return CLOCK, (
                f"dated {e.ts}, earlier than the station's previous event "
                f"({_format(self.previous_ts)}): the station's clock went back"
            )
        if moment - self.now > self.skew:
            return CLOCK, (
                f"dated {e.ts}, more than {self.skew.total_seconds():g} s ahead of the server's "
                f"clock ({_format(self.now)})"
            )
        if e.batch is not None and e.type in authority.BATCH_TYPES:
            refused = self.owners.refusal(e)
            if refused is not None:
                return FORBIDDEN, refused
        self.previous_ts = moment
        return None


def _parse_ts(text: str) -> datetime | None:
    if len(text) != 24 or not text.endswith("Z"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _format(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _insert_sql(conn: Connection) -> str:
    """INSERT of one event row in the driver's own placeholders: executemany without compiling
    SQL per row (SQLAlchemy's compiled insert took about a fifth of the time per event)."""
    return _INSERT_QMARK if conn.dialect.paramstyle == "qmark" else _INSERT_FORMAT


def _check(
    conn: Connection,
    station: str,
    head_seq: int,
    head_hash: str,
    prepared: Sequence[_Prepared],
) -> tuple[Refusal | None, int, list[_Prepared]]:
    """Compare held events, chain-check new ones: (refusal or None, duplicates, to store)."""
    held = [p for p in prepared if p.event.seq <= head_seq]
    duplicates = 0
    if held:
        wanted = sorted({p.event.seq for p in held})
        stored = {
            int(row.seq): str(row.hash)
            for row in conn.execute(
                select(_E.c.seq, _E.c.hash).where(_E.c.station == station, _E.c.seq.in_(wanted))
            )
        }
        for p in held:
            have = stored.get(p.event.seq)
            if have is None or p.event.hash != have or p.recomputed != have:
                mismatch = (
                    "" if p.recomputed == p.event.hash else ", which its content does not match"
                )
                problem = (
                    f"the server already holds a different event under seq {p.event.seq} "
                    f"(held hash {str(have)[:12]}…, received {p.event.hash[:12]}…{mismatch})"
                )
                return _refuse(CONFLICT, station, p.event.seq, problem), 0, []
            duplicates += 1
    accepted: list[_Prepared] = []
    accepted_hash: dict[int, str] = {}
    expected_seq, prev = head_seq + 1, head_hash
    for p in prepared:
        e = p.event
        if e.seq <= head_seq:
            continue
        if e.seq in accepted_hash:  # the same seq twice in one push
            if e.hash == accepted_hash[e.seq] and p.recomputed == e.hash:
                duplicates += 1
                continue
            problem = f"two different events under seq {e.seq} in one push"
            return _refuse(CHAIN_BROKEN, station, e.seq, problem), duplicates, accepted
        if e.seq != expected_seq:
            problem = f"sequence gap: {e.seq} follows {expected_seq - 1}"
            return _refuse(GAP, station, e.seq, problem), duplicates, accepted
        if e.prev != prev:
            problem = (
                "prev of the first event is not the chain's starting value"
                if e.seq == 1
                else f"prev does not match the hash of seq {e.seq - 1}"
            )
            return _refuse(CHAIN_BROKEN, station, e.seq, problem), duplicates, accepted
        if p.recomputed != e.hash:
            problem = "hash does not match content"
            return _refuse(CHAIN_BROKEN, station, e.seq, problem), duplicates, accepted
        accepted.append(p)
        accepted_hash[e.seq] = e.hash
        expected_seq, prev = e.seq + 1, e.hash
    return None, duplicates, accepted


def _refuse(code: str, station: str, seq: int, problem: str) -> Refusal:
    # The acknowledged mark is filled in by the caller once it knows what was stored.
    return Refusal(code, station, seq, problem, 0, "")


def _record_incident(conn: Connection, refusal: Refusal, event: Event, at: str) -> None:
    """Record a conflict or broken chain, once per distinct refusal (stations retry)."""
    i = schema.incidents
    last = conn.execute(
        select(i.c.seq, i.c.code, i.c.problem)
        .where(i.c.station == refusal.station)
        .order_by(desc(i.c.id))
        .limit(1)
    ).first()
    if last is not None and tuple(last) == (refusal.seq, refusal.code, refusal.problem):
        return
    conn.execute(
        insert(i).values(
            station=refusal.station,
            seq=refusal.seq,
            code=refusal.code,
            problem=refusal.problem,
            event=canonical_json(event.to_dict()),
            at=at,
        )
    )


def _project(conn: Connection, events: Sequence[Event]) -> None:
    """Fold stored events into the batches table (local_store's BatchRow, same rules)."""
    by_batch: dict[str, list[Event]] = {}
    for e in events:
        if e.batch is not None:
            by_batch.setdefault(e.batch, []).append(e)
    upsert: Any = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    for batch in sorted(by_batch):  # a fixed order: no deadlock between stations on PostgreSQL
        batch_events = by_batch[batch]
        conn.execute(
            upsert(_B)
            .values(BatchRow.empty(batch, batch_events[0].ts).as_dict())
            .on_conflict_do_nothing(index_elements=["batch"])
        )
        found = conn.execute(select(_B).where(_B.c.batch == batch).with_for_update()).one()
        row = BatchRow.from_mapping(dict(found._mapping))
        for e in batch_events:
            row.apply(e.station, e.ts, e.type, e.payload, in_order=True)
        conn.execute(update(_B).where(_B.c.batch == batch).values(row.as_dict()))
