"""The station's event store: an append-only, hash-chained log in one SQLite file.

One :class:`EventStore` per open database file. It is safe to share between threads, and several
processes (or several stores in one process) may append to the same file: every append runs in a
``BEGIN IMMEDIATE`` transaction that reads the chain's end, hashes and inserts, so two writers
can never fork a station's chain. The file runs in WAL mode with ``synchronous=FULL``: an event
is on disk when :meth:`EventStore.append` returns.

Every failure of the environment reaches callers as :class:`~local_store.errors.StoreError`.
"""

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self, cast

from sqlalchemy import URL, Connection, Engine, create_engine, delete, event, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql import Select

from local_store import foreign, schema
from local_store.errors import StoreError, damaged, translate
from local_store.events import (
    GENESIS,
    Event,
    canonical_json,
    format_ts,
    hash_text,
    sha256_hex,
)
from local_store.projections import PROJECTED_TYPES, BatchRow, BatchSummary
from local_store.verify import VerifyResult, verify_rows

log = logging.getLogger(__name__)

MIGRATIONS_DIR: Final = Path(__file__).resolve().with_name("migrations")
MIN_SQLITE: Final = (3, 37, 0)
"""STRICT tables need SQLite 3.37."""
BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another writer's transaction before giving up."""
JOURNAL_MODE = "wal"

Item = tuple[str, Mapping[str, Any], str, str | None, str | None]
"""An event to append: (type, payload, actor, batch, reason)."""

FILE_MODE: Final = 0o600
"""A database this store creates is readable and writable by its owner only."""


@dataclass(frozen=True, slots=True)
class Unique:
    """A rule an append must keep: no event of ``types`` in the file has this payload ``key``.

    ``key`` is ((payload field, value), ...): an event matches when every field has its value.
    Checked inside the append's ``BEGIN IMMEDIATE`` transaction, so two processes appending at
    once cannot both pass it (a check against a list loaded earlier can). ``what`` names the
    rule in the refusal.
    """

    types: tuple[str, ...]
    key: tuple[tuple[str, str], ...]
    what: str

    @classmethod
    def of(cls, type_: str, what: str, **key: str) -> "Unique":
        """``Unique.of("user.created", "user ID", user="ada")``."""
        return cls((type_,), tuple(key.items()), what)


class StoreConflict(StoreError):
    """An append refused because it would break a :class:`Unique` rule; nothing was written."""


_WRITE: Final = "local_store_write"
_E = schema.events
_B = schema.batch_summary
_EVENT_COLUMNS: Final = (
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
_INSERT_SQL: Final = (
    "INSERT INTO events (station, seq, ts, actor, batch, type, payload, reason, prev, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_LAST_SQL: Final = "SELECT seq, hash, ts FROM events WHERE station = ? ORDER BY seq DESC LIMIT 1"
"""The chain's end, read in the append's transaction (plain SQL: no statement compiled per
append)."""
_VERIFY_SQL: Final = (
    "SELECT station, seq, ts, actor, batch, type, payload, reason, prev, hash "
    "FROM events ORDER BY station, seq"
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Hand transaction control to SQLAlchemy's "begin" event (see _on_begin), so that BEGIN is
    # emitted for reads and DDL too, and writers can ask for BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    for pragma in (
        "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}",
    ):
        dbapi_connection.execute(pragma)


def _on_connect_read_only(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


def _on_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@dataclass(frozen=True, slots=True)
class _Prepared:
    type: str
    payload: dict[str, Any]
    payload_text: str
    actor: str
    batch: str | None
    reason: str | None


def _prepare(
    type: str, payload: Mapping[str, Any], actor: str, batch: str | None, reason: str | None
) -> _Prepared:
    """Check one event's content before taking the write lock."""
    if not isinstance(type, str) or not type:
        raise StoreError(f"an event needs a type (text), got {type!r}")
    if not isinstance(actor, str) or not actor:
        raise StoreError(f"the {type} event needs an actor (who or what did it), got {actor!r}")
    for name, value in (("batch", batch), ("reason", reason)):
        if value is not None and (not isinstance(value, str) or not value):
            raise StoreError(f"the {type} event's {name} must be text or None, got {value!r}")
    if not isinstance(payload, Mapping):
        raise StoreError(f"the {type} event's payload must be a JSON object (a mapping)")
    try:
        text = canonical_json(dict(payload))
    except (TypeError, ValueError, RecursionError) as exc:
        raise StoreError(f"the {type} event's payload cannot be recorded as JSON: {exc}") from exc
    for value in (type, actor, batch, reason, text):
        try:
            if value is not None:
                value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise StoreError(
                f"the {type!r} event contains text that cannot be stored (unpaired surrogate)"
            ) from exc
    return _Prepared(type, json.loads(text), text, actor, batch, reason)


class EventStore:
    """The station's append-only, hash-chained event log (see the module docstring)."""

    station: str
    path: Path

    def __init__(
        self,
        path: str | os.PathLike[str],
        station: str,
        *,
        clock: Callable[[], datetime] | None = None,
        create: bool = True,
        read_only: bool = False,
    ) -> None:
        """Open (or, with ``create``, create) the database and bring its schema to head.

        ``clock`` must return timezone-aware datetimes; it defaults to ``datetime.now(UTC)``.
        Raises StoreError for a missing file (``create=False``), a file that is not a kiosk
        database, a schema revision this software does not know, or any SQLite failure.

        The schema is read before anything is written: a file that is not a kiosk database is
        refused unchanged (its journal mode is never switched). A ``read_only`` store never
        writes (``PRAGMA query_only``), never migrates and refuses a database whose schema is not
        at head; a file nobody may write is opened through SQLite's ``mode=ro`` URI
        (``immutable`` too when no WAL holds content), so no ``-wal``/``-shm`` appear beside it.
        """
        if not isinstance(station, str) or not station:
            raise ValueError(f"station must be a non-empty str, got {station!r}")
        self.path = Path(path)
        self.station = station
        self._clock = clock if clock is not None else _utc_now
        self._closed = False
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise StoreError(
                f"the record database needs SQLite {'.'.join(map(str, MIN_SQLITE))} or newer; "
                f"this system has {sqlite3.sqlite_version}"
            )
        self.read_only = read_only
        if (not create or read_only) and not self.path.exists():
            raise StoreError(f"no database at {self.path}")
        url = URL.create("sqlite+pysqlite", database=str(self.path))
        if read_only and not writable(self.path):
            # Nobody may write the file (mode 0444, a read-only mount): SQLite's read-only mode,
            # and "immutable" unless a WAL holds content, so no -wal/-shm appear beside it.
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            if not _has_wal_content(self.path):
                uri += "&immutable=1"
            self._engine: Engine = create_engine(
                url, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
            )
        else:
            # A writable file read with query_only: its last connection removes the -wal/-shm
            # it made (SQLite's read-only mode would leave them behind).
            if not read_only:
                _create_private(self.path)  # when it is new (an existing file is left as is)
            self._engine = create_engine(url)
        event.listen(self._engine, "connect", _on_connect)
        if read_only:
            event.listen(self._engine, "connect", _on_connect_read_only)
        event.listen(self._engine, "begin", _on_begin)
        try:
            with self._errors():
                self._open(create)
        except BaseException:
            self._engine.dispose()
            raise
        log.debug("opened event store %s for station %s", self.path, self.station)

    # ------------------------------------------------------------------ opening

    def _open(self, create: bool) -> None:
        with self._engine.connect() as conn:
            tables, version = _schema_state(conn)
        if version is None and _user_tables(tables):
            raise damaged(self.path)  # another application's SQLite file: leave it as it is
        if self.read_only:
            if version is None:
                raise StoreError(f"no database at {self.path}")
            if version != schema.SCHEMA_HEAD:
                raise StoreError(
                    f"the record database has schema revision {version!r}; open it once with "
                    f"a command that writes (or the kiosk) to bring it up to date: {self.path}"
                )
            return
        if version == schema.SCHEMA_HEAD:
            self._set_journal_mode()
            return
        if not create and version is None:
            raise StoreError(f"no database at {self.path}")
        if version is not None:
            _known_revision(version, self.path)
        self._set_journal_mode()
        with self._write() as conn:
            tables, version = _schema_state(conn)  # again, now that we hold the write lock
            if version == schema.SCHEMA_HEAD:
                return
            self._migrate(conn, tables, version)

    def _set_journal_mode(self) -> None:
        with self._engine.connect() as conn:
            raw = cast(sqlite3.Connection, conn.connection.driver_connection)
            row = raw.execute(f"PRAGMA journal_mode={JOURNAL_MODE}").fetchone()
        mode = str(row[0]).lower() if row else ""
        if mode != JOURNAL_MODE:
            raise StoreError(
                f"the record database cannot use write-ahead logging (journal mode is "
                f"{mode or 'unknown'}); keep it on a local disk: {self.path}"
            )

    def _migrate(self, conn: Connection, tables: set[str], version: str | None) -> None:
        from alembic import command  # noqa: PLC0415

        del tables  # a foreign file was refused in _open, before the write lock was taken
        if version is not None:
            _known_revision(version, self.path)
        config = _alembic_config()
        log.info("migrating %s from schema %s to %s", self.path, version, schema.SCHEMA_HEAD)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (DBAPIError, sqlite3.Error) as exc:
            translated = translate(exc, self.path)
            if translated is None:
                raise
            log.warning("%s (%s)", translated, exc)  # the caller reports it; logs keep the cause
            raise translated from exc

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: nothing more is read or written through this store."""
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the record database has been closed: {self.path}")

    def _check_writable(self) -> None:
        self._check_open()
        if self.read_only:
            raise StoreError(f"the record database was opened read-only: {self.path}")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection in a BEGIN IMMEDIATE transaction, committed when the block ends."""
        with self._engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn

    # ------------------------------------------------------------------ writing

    def append(
        self,
        type: str,
        payload: Mapping[str, Any],
        *,
        actor: str,
        batch: str | None = None,
        reason: str | None = None,
        unique: Sequence[Unique] = (),
    ) -> Event:
        """Append one event; it is durable (fsynced) when this returns.

        Raises StoreError if the content cannot be recorded (a payload that is not a JSON object
        of JSON values, NaN, an empty actor) or the database fails, and StoreConflict (writing
        nothing) when an event already in the file breaks one of the ``unique`` rules.
        """
        return self._append([_prepare(type, payload, actor, batch, reason)], unique)[0]

    def append_many(self, items: Sequence[Item], unique: Sequence[Unique] = ()) -> list[Event]:
        """Append ``(type, payload, actor, batch, reason)`` items all-or-nothing, in order."""
        prepared = [_prepare(*item) for item in items]
        return self._append(prepared, unique) if prepared else []

    def _append(self, prepared: Sequence[_Prepared], unique: Sequence[Unique] = ()) -> list[Event]:
        self._check_writable()
        station = self.station
        with self._errors(), self._write() as conn:
            for rule in unique:
                _check_unique(conn, rule, self.path)
            last = conn.exec_driver_sql(_LAST_SQL, (station,)).first()
            seq, prev = (last.seq, last.hash) if last is not None else (0, GENESIS)
            last_ts: str | None = last.ts if last is not None else None
            events: list[Event] = []
            rows: list[tuple[Any, ...]] = []
            for p in prepared:
                seq += 1
                ts = format_ts(self._clock())
                if last_ts is not None and ts < last_ts:
                    raise StoreError(
                        f"The station clock is behind its last record (last {last_ts}, now {ts}): "
                        "the clock is wrong; call a technician."
                    )
                last_ts = ts
                digest = sha256_hex(
                    hash_text(
                        station, seq, ts, p.actor, p.batch, p.type, p.payload_text, p.reason, prev
                    )
                )
                head = (station, seq, ts, p.actor, p.batch, p.type)
                rows.append((*head, p.payload_text, p.reason, prev, digest))
                events.append(Event(*head, p.payload, p.reason, prev, digest))
                prev = digest
            conn.exec_driver_sql(_INSERT_SQL, rows)
            _project(conn, events)
        return events

    def import_foreign(self, events: Iterable[Event], after_seq: int) -> list[Event]:
        """Hold other stations' events of a batch this station took over; the ones newly stored.

        ``after_seq`` is this station's chain head at the hand-over: in the batch's history the
        imported events come after this station's own events up to it (``batch_history``).
        Give the events in the order they happened (each station's in seq order). Every event's
        hash is checked, and its link to the events before and after it of the same station
        that are held here. An event already held identically is skipped; events of this
        station must already be in its chain. All or nothing: StoreError names the first event
        refused and nothing is written.
        """
        self._check_open()
        with self._errors(), self._write() as conn:
            stored = foreign.import_events(conn, self.station, events, after_seq)
            for batch in sorted({e.batch for e in stored if e.batch is not None}):
                _resummarise(conn, batch, self._payload)
        if stored:
            log.info("imported %d events of other stations after #%d", len(stored), after_seq)
        return stored

    def foreign_events(self, *, types: Collection[str]) -> list[Event]:
        """The events of other stations held here (taken over with their batches) of ``types``."""
        self._check_open()
        with self._errors(), self._engine.connect() as conn:
            rows = foreign.rows_of_types(conn, types)
        return [self._event(row) for row in rows]

    def batch_history(self, batch: str) -> list[Event]:
        """A batch's events from every station's chain held here, in ownership order.

        This station's events up to the first import's ``after_seq``, then the events of that
        import, then its own up to the next import's, and so on; without imported events, the
        same as ``events(batch=batch)``.
        """
        self._check_open()
        with self._errors(), self._engine.connect() as conn:
            rows = foreign.history_rows(conn, batch)
        return [self._event(row) for row in rows]

    def rebuild_projections(self) -> None:
        """Recompute every projection row from the log, in one transaction."""
        self._check_writable()
        with self._errors(), self._write() as conn:
            rows: dict[str, BatchRow] = {}
            for table in (_E, schema.foreign_events):  # each station's events in seq order
                result = conn.execute(
                    select(table.c.station, table.c.batch, table.c.ts, table.c.type)
                    .add_columns(table.c.payload)
                    .where(table.c.batch.is_not(None))
                    .order_by(table.c.station, table.c.seq)
                )
                for station, batch, ts, type_, payload_text in result:
                    row = rows.get(batch)
                    if row is None:
                        row = rows[batch] = BatchRow.empty(batch, ts)
                    row.apply(station, ts, type_, self._payload(payload_text, type_))
            conn.execute(delete(_B))
            if rows:
                conn.execute(insert(_B), [row.as_dict() for row in rows.values()])
            for batch in sorted(foreign.batches_with_imports(conn, list(rows))):
                _resummarise(conn, batch, self._payload)
        log.info("rebuilt the batch summary of %s: %d batches", self.path, len(rows))

    def _payload(self, text: str, type_: str) -> object:
        if type_ not in PROJECTED_TYPES:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise damaged(self.path) from exc

    # ------------------------------------------------------------------ reading

    def events(
        self,
        *,
        batch: str | None = None,
        after_seq: int = 0,
        types: Collection[str] | None = None,
        station: str | None = None,
    ) -> Iterator[Event]:
        """Stream events ordered by station, then seq; rows are fetched as they are consumed.

        ``station=None`` means every station in the file; ``after_seq`` keeps events whose seq is
        greater; ``types`` keeps the named types (an empty collection keeps none).
        """
        self._check_open()
        if isinstance(types, str):
            raise TypeError("types must be a collection of type names, not one str")
        stmt = select(*_EVENT_COLUMNS).order_by(_E.c.station, _E.c.seq)
        if batch is not None:
            stmt = stmt.where(_E.c.batch == batch)
        if after_seq:
            stmt = stmt.where(_E.c.seq > after_seq)
        if types is not None:
            stmt = stmt.where(_E.c.type.in_(list(types)))
        if station is not None:
            stmt = stmt.where(_E.c.station == station)
        return self._stream(stmt)

    def _stream(self, stmt: Select[Any]) -> Iterator[Event]:
        with self._errors(), self._engine.connect() as conn:
            for row in conn.execute(stmt):
                yield self._event(row)

    def _event(self, row: Sequence[Any]) -> Event:
        station, seq, ts, actor, batch, type_, payload_text, reason, prev, digest = row
        try:
            payload = json.loads(payload_text)
        except ValueError as exc:
            raise damaged(self.path) from exc
        return Event(station, seq, ts, actor, batch, type_, payload, reason, prev, digest)

    def last(self) -> Event | None:
        """This station's last event, or None before its first."""
        self._check_open()
        stmt = (
            select(*_EVENT_COLUMNS)
            .where(_E.c.station == self.station)
            .order_by(_E.c.seq.desc())
            .limit(1)
        )
        with self._errors(), self._engine.connect() as conn:
            row = conn.execute(stmt).first()
            return None if row is None else self._event(row)

    def stations(self) -> list[str]:
        """The stations whose events the file holds, in order."""
        self._check_open()
        stmt = select(_E.c.station).distinct().order_by(_E.c.station)
        with self._errors(), self._engine.connect() as conn:
            return [str(s) for s in conn.execute(stmt).scalars()]

    def count(self) -> int:
        """Number of events in the file (every station)."""
        self._check_open()
        with self._errors(), self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(_E)).scalar_one())

    def batches(self) -> list[BatchSummary]:
        """The batch summary projection, ordered by first timestamp, then batch id."""
        self._check_open()
        stmt = select(_B).order_by(_B.c.first_ts, _B.c.batch)
        with self._errors(), self._engine.connect() as conn:
            return [BatchRow.from_mapping(dict(r._mapping)).summary() for r in conn.execute(stmt)]

    def verify(self) -> VerifyResult:
        """Walk every station's chain in the file and report the first bad event.

        Streams the rows straight from SQLite (one read snapshot); only batch ids are held.
        """
        self._check_open()
        with self._errors(), self._engine.connect() as conn:
            raw = cast(sqlite3.Connection, conn.connection.driver_connection)
            cursor = raw.execute(_VERIFY_SQL)
            try:
                result = verify_rows(cursor)
            finally:
                cursor.close()
        if not result.ok:
            log.warning(
                "record verification failed at %s seq %s: %s",
                result.bad_station,
                result.bad_seq,
                result.problem,
            )
        return result

    # ------------------------------------------------------------------ closing

    def close(self) -> None:
        """Close every connection (idempotent). The store cannot be used afterwards."""
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EventStore({str(self.path)!r}, station={self.station!r})"


def writable(path: Path) -> bool:
    """Whether the file may be written: its mode has a write bit and this process may write it.

    The mode bits are read as well as ``os.access`` because root passes ``os.access`` on a file
    of mode 0444, which a technician made read-only on purpose.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(path, os.W_OK)


def _has_wal_content(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _create_private(path: Path) -> None:
    """Create the empty database file with mode 0600 before SQLite opens it (0644 otherwise);
    a file that exists already is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(
            f"the record database cannot be opened (check that its folder exists and is "
            f"writable; {exc.strerror}): {path}"
        ) from exc
    os.close(fd)


def _alembic_config() -> Any:
    # Alembic costs ~0.2 s to import; a database already at head never needs it.
    from alembic.config import Config  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    return config


def _known_revision(version: str, path: Path) -> None:
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    known = {
        script.revision
        for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()
    }
    if version not in known:
        raise StoreError(
            f"the record database has schema revision {version!r}, which this version of "
            f"the software does not know (was it opened by a newer version?): {path}"
        )


def _check_unique(conn: Connection, rule: Unique, path: Path) -> None:
    if not rule.key or not all(field.isidentifier() for field, _ in rule.key):
        raise ValueError(f"a Unique key is one or more plain payload keys, got {rule.key!r}")
    found = conn.execute(
        select(_E.c.station, _E.c.seq)
        .where(
            _E.c.type.in_(rule.types),
            *(func.json_extract(_E.c.payload, f"$.{f}") == value for f, value in rule.key),
        )
        .limit(1)
    ).first()
    if found is not None:
        value = " / ".join(value for _, value in rule.key)
        raise StoreConflict(
            f"{rule.what} {value!r} is already recorded (station {found[0]}, event "
            f"{found[1]}): {path}"
        )


def _schema_state(conn: Connection) -> tuple[set[str], str | None]:
    """The tables of the database and its Alembic revision (None when it has none)."""
    tables = set(
        conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars()
    )
    if "alembic_version" not in tables:
        return tables, None
    versions = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    if not versions:
        return tables, None
    return tables, "+".join(sorted(str(v) for v in versions))


def _user_tables(tables: set[str]) -> set[str]:
    return {t for t in tables if not t.startswith("sqlite_") and t != "alembic_version"}


def _resummarise(conn: Connection, batch: str, payload: Callable[[str, str], object]) -> None:
    """Recompute a handed-over batch's summary row from its history, in ownership order."""
    history = foreign.history_rows(conn, batch)
    row = BatchRow.empty(batch, history[0][2])
    for _station, _seq, ts, _actor, _batch, type_, payload_text, *_rest in history:
        row.apply(foreign.OWNERSHIP_ORDER, ts, type_, payload(payload_text, type_))
    conn.execute(delete(_B).where(_B.c.batch == batch))
    conn.execute(insert(_B).values(row.as_dict()))


_SUMMARY_COLUMNS: Final = BatchRow.__slots__
"""The batch summary's columns, in BatchRow's order (``batch`` first)."""
# Built once from the constant column names (no input reaches them), as plain SQL: a statement
# compiled per append cost more than the rest of the append (benchmarks/bench_engine.py).
_COLUMN_LIST: Final = ", ".join(_SUMMARY_COLUMNS)
_SUMMARY_SQL: Final = "SELECT " + _COLUMN_LIST + " FROM batch_summary WHERE batch = ?"  # noqa: S608
_PLACES: Final = ", ".join("?" for _ in _SUMMARY_COLUMNS)
_SUMMARY_INSERT: Final = f"INSERT INTO batch_summary ({_COLUMN_LIST}) VALUES ({_PLACES})"  # noqa: S608
_SUMMARY_UPDATE: Final = (
    "UPDATE batch_summary SET "  # noqa: S608
    + ", ".join(c + " = ?" for c in _SUMMARY_COLUMNS[1:])
    + " WHERE batch = ?"
)


def _project(conn: Connection, events: Sequence[Event]) -> None:
    """Fold freshly appended events into the batch summary, in the append's transaction."""
    by_batch: dict[str, list[Event]] = {}
    for e in events:
        if e.batch is not None:
            by_batch.setdefault(e.batch, []).append(e)
    handed_over = foreign.batches_with_imports(conn, by_batch)
    for batch, batch_events in by_batch.items():
        found = conn.exec_driver_sql(_SUMMARY_SQL, (batch,)).first()
        row = BatchRow(*found) if found is not None else BatchRow.empty(batch, batch_events[0].ts)
        for e in batch_events:
            key = foreign.OWNERSHIP_ORDER if batch in handed_over else e.station
            row.apply(key, e.ts, e.type, e.payload)
        values = row.as_dict()
        if found is None:
            conn.exec_driver_sql(_SUMMARY_INSERT, tuple(values[c] for c in _SUMMARY_COLUMNS))
        else:
            changed = tuple(values[c] for c in _SUMMARY_COLUMNS[1:])
            conn.exec_driver_sql(_SUMMARY_UPDATE, (*changed, batch))
