"""The one exception the record database raises, and the mapping of SQLite failures onto it.

Every failure of the environment (a locked, full, damaged or missing database file) reaches the
caller as :class:`StoreError`, whose ``str()`` is a sentence an operator or technician can act on.
Programming errors (wrong SQL, wrong argument types) are not translated and propagate as they are.
"""

import sqlite3
from pathlib import Path

import sqlalchemy.exc

# Primary SQLite result codes (https://sqlite.org/rescode.html); extended codes carry the
# primary code in their low byte.
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_CONSTRAINT = 19
SQLITE_NOTADB = 26

_DAMAGED = "the record database is damaged or not a kiosk database: {path}"

_MESSAGES: dict[int, str] = {
    SQLITE_BUSY: "the record database is busy: another program is holding it locked: {path}",
    SQLITE_LOCKED: "the record database is busy: another program is holding it locked: {path}",
    SQLITE_FULL: "the disk holding the record database is full: {path}",
    SQLITE_IOERR: "the record database could not be read or written (disk error): {path}",
    SQLITE_CORRUPT: _DAMAGED,
    SQLITE_NOTADB: _DAMAGED,
    SQLITE_CANTOPEN: (
        "the record database cannot be opened (check that its folder exists and is writable): "
        "{path}"
    ),
    SQLITE_READONLY: "the record database is read-only: {path}",
    SQLITE_PERM: "the record database is read-only: {path}",
    SQLITE_NOMEM: "out of memory while using the record database: {path}",
    SQLITE_CONSTRAINT: "the record database refused the change ({detail}): {path}",
}


class StoreError(Exception):
    """Environment/store errors with an operator-readable message (``str(e)``)."""


def damaged(path: Path) -> StoreError:
    """The error for a file that is not (or no longer) a readable kiosk database."""
    return StoreError(_DAMAGED.format(path=path))


def translate(exc: BaseException, path: Path) -> StoreError | None:
    """Return the :class:`StoreError` for a SQLite failure, or ``None`` for a programming error.

    Accepts both the raw ``sqlite3`` exceptions and SQLAlchemy's wrappers of them.
    """
    orig: BaseException = exc
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.orig is not None:
        orig = exc.orig
    if not isinstance(orig, sqlite3.DatabaseError) or isinstance(
        orig, sqlite3.ProgrammingError | sqlite3.NotSupportedError
    ):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    detail = str(orig.args[0]) if orig.args else type(orig).__name__
    template = _MESSAGES.get(code & 0xFF) if isinstance(code, int) else None
    if template is None:
        template = "the record database failed ({detail}): {path}"
    return StoreError(template.format(path=path, detail=detail))
