"""The server's database: one SQLAlchemy engine (SQLite or PostgreSQL), migrations, transactions.

``CentralStore(url)`` opens the database named by a SQLAlchemy URL (``postgresql+psycopg://…``
or ``sqlite+pysqlite:///file``; a plain path means a SQLite file) and brings its schema to head
with the Alembic migrations in ``central/migrations``, as ``local_store`` does for a station.

Writers go through :meth:`CentralStore.write`: on SQLite a ``BEGIN IMMEDIATE`` transaction,
queued behind an in-process lock so that concurrent requests wait their turn instead of spinning
on SQLite's busy handler; on PostgreSQL an ordinary transaction in which the code takes the row
or advisory locks it needs. Failures of the database itself reach callers as
:class:`~central.errors.DatabaseUnavailable`.
"""

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, ProgrammingError
from sqlalchemy.pool import ConnectionPoolEntry

from central import schema
from central.errors import CentralError, DatabaseUnavailable
from local_store.events import format_ts

log = logging.getLogger(__name__)

MIGRATIONS_DIR: Final = Path(__file__).resolve().with_name("migrations")
DEFAULT_DB: Final = "central.sqlite"
"""The SQLite file used when neither ``--db`` nor ``DATABASE_URL`` names a database."""
BUSY_TIMEOUT_MS: Final = 30_000

# PostgreSQL advisory lock keys (arbitrary constants, one per serialised activity).
LOCK_MIGRATE: Final = 0x63656E7472616C01
LOCK_USER_FEED: Final = 0x63656E7472616C02
LOCK_MASTER: Final = 0x63656E7472616C03

_WRITE: Final = "central_write"


def now_iso() -> str:
    """The current UTC time as the record writes it (``2026-11-27T09:14:03.512Z``)."""
    return format_ts(datetime.now(UTC))


def database_url(value: str | URL | None = None) -> URL:
    """The URL to open: ``value``, else ``$DATABASE_URL``, else the SQLite file ``central.sqlite``.

    A value without ``://`` is a SQLite file path. ``postgresql://`` and ``postgres://`` mean
    psycopg 3 (``postgresql+psycopg://``), the only PostgreSQL driver the server ships with.
    """
    if value is None:
        value = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if isinstance(value, URL):
        url = value
    elif "://" not in value:
        return URL.create("sqlite+pysqlite", database=value)
    else:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise CentralError(f"not a database URL: {value!r}") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername == "sqlite":
        url = url.set(drivername="sqlite+pysqlite")
    if url.drivername not in ("postgresql+psycopg", "sqlite+pysqlite"):
        raise CentralError(
            f"unsupported database {url.drivername!r}: use postgresql+psycopg://… or a SQLite file"
        )
    return url


def _create_private(database: str | None) -> None:
    """A new SQLite file is created 0600: it holds every station's record and the users."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    # OSError: it exists (its mode is the admin's), or SQLite reports why it cannot open it
    with contextlib.suppress(OSError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Transactions are begun by the "begin" hook below, so that writers get BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    ):
        dbapi_connection.execute(pragma).close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class CentralStore:
    """The server database (see the module docstring). Safe to share between threads."""

    def __init__(
        self,
        url: str | URL | None = None,
        *,
        pool_size: int = 10,
        max_overflow: int = 30,
    ) -> None:
        """Open the database and migrate it to head. Raises CentralError when it cannot."""
        self.url = database_url(url)
        self.dialect = "sqlite" if self.url.drivername.startswith("sqlite") else "postgresql"
        self._write_lock: threading.Lock | None = None
        if self.dialect == "sqlite":
            _create_private(self.url.database)
            self.engine: Engine = create_engine(
                self.url, pool_size=pool_size, max_overflow=max_overflow
            )
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
            self._write_lock = threading.Lock()
        else:
            self.engine = create_engine(
                self.url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True
            )
        try:
            self._migrate()
        except BaseException:
            self.engine.dispose()
            raise
        log.info("central store %s at schema %s", self.display_url, schema.SCHEMA_HEAD)

    @property
    def display_url(self) -> str:
        """The URL with any password masked, for logs and messages."""
        return self.url.render_as_string(hide_password=True)

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction (one consistent snapshot on PostgreSQL)."""
        with self.errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed when the block ends without error."""
        with self.errors():
            lock = self._write_lock
            if lock is not None:
                lock.acquire()
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(**{_WRITE: True})
                    with conn.begin():
                        yield conn
            finally:
                if lock is not None:
                    lock.release()

    def advisory_lock(self, conn: Connection, key: int) -> None:
        """Serialise with other server processes until the transaction ends (PostgreSQL only).

        On SQLite every write transaction is already exclusive.
        """
        if self.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Translate failures of the database itself into DatabaseUnavailable."""
        try:
            yield
        except (OperationalError, InterfaceError) as exc:
            message = str(exc.orig) if exc.orig is not None else str(exc)
            first_line = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
            log.error("database %s failed: %s", self.display_url, first_line)
            raise DatabaseUnavailable(
                f"the server database is unavailable ({first_line}): {self.display_url}"
            ) from exc

    # ------------------------------------------------------------------ schema

    def _migrate(self) -> None:
        with self.write() as conn:
            self.advisory_lock(conn, LOCK_MIGRATE)
            version = _schema_version(conn)
            if version == schema.SCHEMA_HEAD:
                return
            # Alembic costs a noticeable fraction of a second to import; skip it at head.
            from alembic import command  # noqa: PLC0415
            from alembic.config import Config  # noqa: PLC0415
            from alembic.script import ScriptDirectory  # noqa: PLC0415

            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.set_main_option("path_separator", "os")
            if version is not None:
                known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
                if version not in known:
                    raise CentralError(
                        f"the server database has schema revision {version!r}, which this "
                        f"version of the server does not know: {self.display_url}"
                    )
            log.info("migrating %s from %s to %s", self.display_url, version, schema.SCHEMA_HEAD)
            config.attributes["connection"] = conn
            try:
                command.upgrade(config, "head")
            except ProgrammingError as exc:
                # the application role of a PostgreSQL server owns nothing (central/dbroles.py)
                raise CentralError(
                    f"the server database is at schema revision {version or 'none'} and this "
                    f"server needs {schema.SCHEMA_HEAD}, but this role may not change tables; "
                    f"run `central db upgrade` as the owner role: {self.display_url}"
                ) from exc

    def close(self) -> None:
        """Close every pooled connection (idempotent)."""
        self.engine.dispose()

    def __enter__(self) -> "CentralStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"CentralStore({self.display_url!r})"


def _schema_version(conn: Connection) -> str | None:
    if conn.dialect.name == "sqlite":
        found = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
    else:
        found = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
    if not found:
        return None
    versions = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    return "+".join(sorted(str(v) for v in versions)) if versions else None
