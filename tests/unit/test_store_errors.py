"""SQLite failures become StoreError sentences an operator can act on; bugs stay bugs."""

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy.exc

from local_store import StoreError
from local_store.errors import translate

PATH = Path("/var/lib/kiosk/station.sqlite")


def sqlite_error(cls: type[sqlite3.Error], message: str, code: int | None) -> sqlite3.Error:
    exc = cls(message)
    if code is not None:
        exc.sqlite_errorcode = code
    return exc


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (13, "the disk holding the record database is full: /var/lib/kiosk/station.sqlite"),
        (5, "busy: another program is holding it locked"),
        (6, "busy: another program is holding it locked"),
        (517, "busy: another program is holding it locked"),  # SQLITE_BUSY_SNAPSHOT
        (10, "could not be read or written (disk error)"),
        (3850, "could not be read or written (disk error)"),  # SQLITE_IOERR_LOCK
        (11, "damaged or not a kiosk database"),
        (26, "damaged or not a kiosk database"),
        (14, "cannot be opened"),
        (8, "read-only"),
        (3, "read-only"),
        (7, "out of memory"),
        (19, "refused the change (boom)"),
        (1, "the record database failed (boom)"),
        (None, "the record database failed (boom)"),
    ],
)
def test_sqlite_error_codes_become_sentences(code: int | None, expected: str) -> None:
    message = "database or disk is full" if code == 13 else "boom"
    translated = translate(sqlite_error(sqlite3.OperationalError, message, code), PATH)
    assert isinstance(translated, StoreError)
    assert expected in str(translated)
    assert str(translated).endswith(str(PATH))


def test_sqlalchemy_wrapped_errors_are_unwrapped() -> None:
    orig = sqlite_error(sqlite3.DatabaseError, "file is not a database", 26)
    wrapped = sqlalchemy.exc.DatabaseError("SELECT 1", None, orig)
    assert str(translate(wrapped, PATH)) == (
        "the record database is damaged or not a kiosk database: /var/lib/kiosk/station.sqlite"
    )


def test_error_without_arguments_still_reads() -> None:
    translated = translate(sqlite3.OperationalError(), PATH)
    assert str(translated) == (
        "the record database failed (OperationalError): /var/lib/kiosk/station.sqlite"
    )


@pytest.mark.parametrize(
    "exc",
    [
        sqlite3.ProgrammingError("Incorrect number of bindings supplied"),
        sqlite3.InterfaceError("Error binding parameter 1"),
        sqlite3.NotSupportedError("no"),
        ValueError("not a database error at all"),
        sqlalchemy.exc.ProgrammingError("SELECT", None, sqlite3.ProgrammingError("bad")),
    ],
)
def test_programming_errors_are_not_translated(exc: BaseException) -> None:
    assert translate(exc, PATH) is None
