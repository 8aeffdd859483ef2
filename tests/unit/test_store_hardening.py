"""local_store's guards, in process: Unique rules, read-only opening, file modes, foreign files.

(The same behaviour end to end, through the `kiosk` command and two real processes, is in
tests/unit/test_foreign_files.py and tests/integration/test_unique_processes.py.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from local_store import EventStore, StoreConflict, StoreError, Unique
from local_store.store import writable

STATION = "CR-H1"


def test_unique_rule_refuses_a_second_event_and_writes_nothing(tmp_path: Path) -> None:
    with EventStore(tmp_path / "u.sqlite", STATION) as store:
        rule = Unique.of("user.created", "user ID", user="ada")
        store.append("user.created", {"user": "ada"}, actor="system", unique=[rule])
        with pytest.raises(StoreConflict, match=r"user ID 'ada' is already recorded \(station"):
            store.append("user.created", {"user": "ada"}, actor="system", unique=[rule])
        group = [("note", {}, "s", None, None), ("user.created", {"user": "b"}, "s", None, None)]
        with pytest.raises(StoreConflict):
            store.append_many(group, unique=[rule])
        assert store.count() == 1  # neither the duplicate nor its group was written
        store.append("user.created", {"user": "bob"}, actor="system", unique=[
            Unique.of("user.created", "user ID", user="bob")])  # fmt: skip
        assert store.count() == 2


def test_unique_key_of_several_fields(tmp_path: Path) -> None:
    with EventStore(tmp_path / "u.sqlite", STATION) as store:
        lot = Unique.of("lot.registered", "lot", gtin="0843", lot="L-1")
        store.append("lot.registered", {"gtin": "0843", "lot": "L-1"}, actor="s", unique=[lot])
        other = Unique.of("lot.registered", "lot", gtin="0999", lot="L-1")
        store.append("lot.registered", {"gtin": "0999", "lot": "L-1"}, actor="s", unique=[other])
        with pytest.raises(StoreConflict, match="'0843 / L-1'"):
            store.append("lot.registered", {"gtin": "0843", "lot": "L-1"}, actor="s", unique=[lot])


@pytest.mark.parametrize("key", [(), (("a.b", "x"),), (("x') OR 1 --", "x"),)])
def test_unique_key_must_be_plain_payload_keys(
    tmp_path: Path, key: tuple[tuple[str, str], ...]
) -> None:
    with EventStore(tmp_path / "u.sqlite", STATION) as store:
        with pytest.raises(ValueError, match="plain"):
            store.append("note", {}, actor="s", unique=[Unique(("note",), key, "x")])
        assert store.count() == 0


def make_db(path: Path, events: int = 3) -> None:
    with EventStore(path, STATION) as store:
        for n in range(events):
            store.append("note", {"n": n}, actor="system")


def test_read_only_open_of_a_0444_file_makes_no_files(tmp_path: Path) -> None:
    db = tmp_path / "ro.sqlite"
    make_db(db)
    db.chmod(0o444)
    before = db.read_bytes()
    assert not writable(db)
    with EventStore(db, STATION, read_only=True) as store:
        assert store.verify().ok
        assert store.count() == 3
        with pytest.raises(StoreError, match="opened read-only"):
            store.append("note", {}, actor="system")
        with pytest.raises(StoreError, match="opened read-only"):
            store.rebuild_projections()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.sqlite"]
    assert db.read_bytes() == before


def test_read_only_open_of_a_0444_file_with_a_live_wal(tmp_path: Path) -> None:
    """A WAL that holds content is read too (mode=ro without immutable): no event is missed."""
    db = tmp_path / "wal.sqlite"
    writer = EventStore(db, STATION)
    try:
        writer.append("note", {}, actor="system")
        keep = sqlite3.connect(db)  # holds the WAL open: its content is not checkpointed
        keep.execute("SELECT count(*) FROM events").fetchone()
        writer.append("note", {"late": True}, actor="system")
        assert Path(f"{db}-wal").stat().st_size > 0
        db.chmod(0o444)
        with EventStore(db, STATION, read_only=True) as store:
            assert store.count() == 2
        keep.close()
    finally:
        writer.close()


def test_read_only_refuses_empty_old_and_foreign_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    with pytest.raises(StoreError, match="no database"):
        EventStore(empty, STATION, read_only=True)
    assert empty.read_bytes() == b""
    with pytest.raises(StoreError, match="no database"):
        EventStore(tmp_path / "missing.sqlite", STATION, read_only=True)
    old = tmp_path / "old.sqlite"
    make_db(old)
    conn = sqlite3.connect(old)
    conn.execute("UPDATE alembic_version SET version_num = '0000'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema revision '0000'; open it once"):
        EventStore(old, STATION, read_only=True)


def test_writable_is_false_for_a_missing_file(tmp_path: Path) -> None:
    assert not writable(tmp_path / "none.sqlite")


def test_stations_of_a_file(tmp_path: Path) -> None:
    db = tmp_path / "two.sqlite"
    make_db(db, 1)
    with EventStore(db, "CR-A") as other:
        other.append("note", {}, actor="system")
        assert other.stations() == ["CR-A", STATION]


def test_a_new_database_is_private_and_a_missing_folder_is_one_error(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    make_db(db, 1)
    assert db.stat().st_mode & 0o777 == 0o600
    assert Path(f"{db}-wal").exists() is False or Path(f"{db}-wal").stat().st_mode & 0o077 == 0
