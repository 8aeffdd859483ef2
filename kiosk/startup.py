"""Before the kiosk opens: is the record database there, a kiosk record, this station's, writable?

The answer is a :class:`Problem` for the technician (what is wrong, which file, what to do) or
None. A missing or empty file is never replaced by a new record database unless the caller
allows it (`kiosk setup`, `kiosk gui --demo`): a station whose record has gone missing must not
start over unnoticed. No Qt here; ``kiosk.screens.startup`` shows a Problem full screen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from local_store import EventStore, StoreError
from local_store.store import writable

RESTORE = "kiosk restore BACKUP --db {path}"


@dataclass(frozen=True)
class Problem:
    """Why the station cannot start, for the technician."""

    what: str
    file: Path
    todo: str

    def line(self) -> str:
        """The whole problem on one line (the terminal, the log)."""
        return f"{self.what}: {self.file} — {self.todo}"


def station_problem(store: EventStore, station: str) -> str | None:
    """A sentence when the database holds another station's record and none of ``station``'s.

    A record database belongs to one station: events written under a second station ID inside
    it would pass for that other station's record.
    """
    stations = store.stations()
    if not stations or station in stations:
        return None
    return (
        f"{store.path} holds the record of station {', '.join(stations)}, not of station "
        f"{station}; use --station {stations[0]} or that station's own database"
    )


def open_station_store(
    db: str | os.PathLike[str], station: str | None, *, create: bool, default: str
) -> EventStore:
    """Open a database a command writes to, as the station it belongs to.

    Without ``station`` (no --station given), the database's own station is used (``default``
    for a new, empty one). A ``station`` other than the one whose record the file holds is
    refused with StoreError, before anything is written.
    """
    store = EventStore(db, station or default, create=create)
    try:
        owners = store.stations()
    except BaseException:
        store.close()
        raise
    if station is None and len(owners) == 1 and owners[0] != store.station:
        store.close()
        return EventStore(db, owners[0], create=False)
    problem = station_problem(store, store.station)
    if problem is not None:
        store.close()
        raise StoreError(f"refused: {problem}")
    return store


def folder_writable(folder: Path) -> bool:
    """Whether new files (SQLite's -wal and -shm) can be made in ``folder``."""
    try:
        mode = folder.stat().st_mode
        read_only_mount = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(folder, os.W_OK) and not read_only_mount


def record_problem(path: Path, station: str, *, create: bool = False) -> Problem | None:
    """Check the station's record database before the kiosk uses it (opens it; may migrate)."""
    restore = RESTORE.format(path=path)
    missing = not path.exists() or (path.is_file() and path.stat().st_size == 0)
    if missing and not create:
        return Problem(
            "The station's record database is missing" + (" (the file is empty)" * path.exists()),
            path,
            "Do not start a new record. Restore the last backup "
            f"(`{restore}`), or, for a new station, run `kiosk setup`. Check the --db "
            "option and [station] db in the station configuration.",
        )
    if path.exists() and not path.is_file():
        return Problem(
            "The record database path is not a file",
            path,
            "Correct [station] db in the station configuration (or the --db option).",
        )
    folder = path.parent
    if (not missing and not writable(path)) or not folder_writable(folder):
        return Problem(
            "The record cannot be written: the file, its folder or its disk is read-only",
            path if not missing and not writable(path) else folder,
            "Nothing can be recorded at this station. Make the file and its folder writable "
            "by the kiosk's user (mode 0600 for the file, docs/admin.md), or remount the disk "
            "read-write, then start the kiosk again.",
        )
    try:
        with EventStore(path, station, create=create) as store:
            other = station_problem(store, station)
    except StoreError as exc:
        text = str(exc)
        if "damaged or not a kiosk database" in text:
            return Problem(
                "The file is damaged or is not a kiosk record database",
                path,
                "Keep the file as it is for investigation; restore the last verified backup "
                f"(`{restore}`) and run `kiosk audit verify --db {path}`.",
            )
        return Problem(
            "The record database cannot be opened", path, f"{text}. Call the technician."
        )
    if other is not None:
        return Problem(
            "The record database belongs to another station",
            path,
            f"{other}. Check [station] id and db in the station configuration.",
        )
    return None
