"""Read-only commands leave foreign and read-only files exactly as they were.

`audit verify`, `review`, `ebr export` and `label print` are run as a user runs them, on
another application's SQLite file, on random bytes, on a truncated kiosk database and on a
kiosk database of mode 0444; the file's bytes are compared before and after, and no -wal or
-shm file may appear beside it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from local_store import EventStore, StoreError
from tests.helpers import run_kiosk as kiosk

from .test_review import ROOT, reference_db

BATCH = "B-OQ-0001"


def read_commands(db: Path, out: Path) -> list[tuple[str, ...]]:
    return [
        ("audit", "verify", "--db", str(db)),
        ("review", "--db", str(db), "--batch", BATCH),
        ("ebr", "export", "--db", str(db), "--batch", BATCH, "-o", str(out / "r.pdf")),
        ("ebr", "export", "--db", str(db), "--batch", BATCH, "-o", str(out / "r.json")),
    ]


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def foreign_sqlite(path: Path) -> None:
    """Another application's database: rollback journal, its own tables."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada', '0123')")
    conn.commit()
    conn.close()


def random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_db(tmp_path_factory.mktemp("foreign-ref"))


@pytest.mark.parametrize("make", [foreign_sqlite, random_bytes], ids=["foreign", "random"])
def test_not_a_kiosk_database_is_refused_and_untouched(
    tmp_path: Path, make: Callable[[Path], None]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "other.sqlite"
    make(db)
    before = fingerprint(folder)
    header = db.read_bytes()[18:20]  # the journal-mode bytes WAL would change
    for command in read_commands(db, tmp_path):
        result = kiosk(*command)
        assert result.returncode == 1, (command, result.stdout)
        assert "Traceback" not in result.stdout + result.stderr
        assert len(result.stdout.strip().splitlines()) == 1, result.stdout
        assert "damaged or not a kiosk database" in result.stdout
        assert fingerprint(folder) == before, command
    assert db.read_bytes()[18:20] == header


def test_writing_command_refuses_a_foreign_file_without_switching_its_journal(
    tmp_path: Path,
) -> None:
    db = tmp_path / "other.sqlite"
    foreign_sqlite(db)
    before = db.read_bytes()
    with pytest.raises(StoreError, match="not a kiosk database"):
        EventStore(db, "CR-1")
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_truncated_database_gives_one_line(tmp_path: Path, reference: Path) -> None:
    db = tmp_path / "cut.sqlite"
    db.write_bytes(reference.read_bytes()[:12000])
    before = fingerprint(tmp_path)
    result = kiosk("audit", "verify", "--db", str(db))
    assert result.returncode == 1
    assert len(result.stdout.strip().splitlines()) == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert fingerprint(tmp_path) == before


def test_read_only_database_reads_and_leaves_no_wal(tmp_path: Path, reference: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "station.sqlite"
    db.write_bytes(reference.read_bytes())
    db.chmod(0o444)
    before = fingerprint(folder)
    for command in read_commands(db, tmp_path):
        result = kiosk(*command)
        assert result.returncode in (0, 1), result.stdout + result.stderr  # review: open items
        assert "Traceback" not in result.stdout + result.stderr
        assert "read-only" not in result.stdout, command
        assert fingerprint(folder) == before, command  # no -wal, no -shm, same bytes
    assert "chain intact" in kiosk(*read_commands(db, tmp_path)[0]).stdout
    assert (tmp_path / "r.pdf").stat().st_size > 0
    assert (tmp_path / "r.json").stat().st_size > 0


def test_read_only_store_refuses_to_write(tmp_path: Path, reference: Path) -> None:
    db = tmp_path / "station.sqlite"
    db.write_bytes(reference.read_bytes())
    with EventStore(db, "CR-1", read_only=True) as store, pytest.raises(StoreError):
        store.append("note", {}, actor="u:x")


def test_created_database_is_private(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    with EventStore(db, "CR-1") as store:
        store.append("note", {}, actor="u:x")
    assert db.stat().st_mode & 0o777 == 0o600


def test_writing_commands_refuse_another_stations_database(tmp_path: Path) -> None:
    db = tmp_path / "k2.sqlite"
    with EventStore(db, "CR2-K2") as store:
        store.append("station.setup", {"station": "CR2-K2"}, actor="system")
    before = db.read_bytes()
    lots = ("lots", "--db", str(db), "--station", "CR9-K9", "add", "--gtin", "0843")
    result = kiosk(*lots, "--lot", "L-1", "--material", "m", "--expiry", "2030-01-01")
    assert result.returncode == 1
    assert "holds the record of station CR2-K2, not of station CR9-K9" in result.stdout
    users = kiosk("users", "--db", str(db), "--station", "CR9-K9", "list")
    assert users.returncode == 1
    assert "not of station CR9-K9" in users.stdout
    script = ROOT / "oq" / "part11-access.yaml"
    oq = kiosk("oq", "run", str(script), "--db", str(db))
    assert oq.returncode == 1
    assert "holds the record of station CR2-K2" in oq.stdout
    with EventStore(db, "CHECK", read_only=True) as store:
        assert store.stations() == ["CR2-K2"]
        assert store.count() == 1
    assert db.read_bytes() == before


def test_without_station_a_command_writes_as_the_databases_own(tmp_path: Path) -> None:
    db = tmp_path / "k2.sqlite"
    with EventStore(db, "CR2-K2") as store:
        store.append("station.setup", {"station": "CR2-K2"}, actor="system")
    result = kiosk(
        "users",
        "--db",
        str(db),
        "add",
        "ada",
        "--name",
        "Ada",
        "--role",
        "admin",
        stdin="a-long-password-1\n",
    )
    assert result.returncode == 0, result.stdout
    with EventStore(db, "CHECK", read_only=True) as store:
        assert store.stations() == ["CR2-K2"]


def test_setup_force_refuses_another_stations_database(tmp_path: Path) -> None:
    db = tmp_path / "k2.sqlite"
    with EventStore(db, "CR2-K2") as store:
        store.append("station.setup", {"station": "CR2-K2"}, actor="system")
    result = kiosk(
        "setup", "--station", "CR9-K9", "--config", str(tmp_path / "station.toml"),
        "--db", str(db), "--admin", "ada", "--admin-name", "Ada", "--force",
        stdin="a-long-password-1\n",
    )  # fmt: skip
    assert result.returncode == 1
    assert "not of station CR9-K9" in result.stdout
    with EventStore(db, "CHECK", read_only=True) as store:
        assert store.stations() == ["CR2-K2"]
        assert store.count() == 1
