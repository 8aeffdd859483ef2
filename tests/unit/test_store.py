"""EventStore on real SQLite files: the chain, durability, append-only, tampering, projections."""

import dataclasses
import itertools
import shutil
import sqlite3
import threading
from collections.abc import Generator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from local_store import (
    BatchSummary,
    Event,
    EventStore,
    StoreError,
    event_hash,
    verify_events,
)
from local_store.events import GENESIS

STATION = "CR2-K1"
STEP = {
    "step": "expansion[3].viability",
    "value": 91.4,
    "unit": "%",
    "device": None,
    "limits": {"alert": [85, 100], "action": [70, 100]},
}


class FakeClock:
    """A clock that moves 1.5 ms forward each time it is read."""

    def __init__(self, start: datetime = datetime(2026, 11, 27, 9, 14, 3, 512000, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1500)
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "station.sqlite"


@pytest.fixture
def store(db: Path) -> Iterator[EventStore]:
    with EventStore(db, STATION, clock=FakeClock()) as s:
        yield s


def fill(store: EventStore, n: int, batch: str | None = "B-1") -> list[Event]:
    return [
        store.append("step.recorded", {**STEP, "n": i}, actor="u:jdoe", batch=batch)
        for i in range(n)
    ]


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def tampered_copy(store: EventStore, tmp_path: Path, *sql: str) -> Path:
    """Copy the closed store's file, drop the triggers on the copy and run ``sql`` on it."""
    store.close()
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(store.path, copy)
    conn = raw(copy)
    for name in ("events_no_update", "events_no_delete", "events_extend_chain"):
        conn.execute(f"DROP TRIGGER {name}")
    for statement in sql:
        conn.execute(statement)
    conn.close()
    return copy


# ---------------------------------------------------------------- the chain


def test_append_round_trips_every_field(store: EventStore) -> None:
    written = [
        store.append(
            "batch.started",
            {"recipe_id": "car-t", "recipe_version": 3, "din": "W0000 26 123456"},
            actor="u:jdoe",
            batch="B-2026-0113",
        ),
        store.append("step.recorded", STEP, actor="device:BAL-1234", batch="B-2026-0113"),
        store.append(
            "step.corrected",
            {"old": 91.4, "new": 94.1, "note": "Zellzahl µL ✓ 😀", "nested": [{"a": [None]}]},
            actor="u:sup",
            batch="B-2026-0113",
            reason="transcription error",
        ),
        store.append("login", {}, actor="system"),
    ]
    assert list(store.events()) == written
    first = written[0]
    assert (first.station, first.seq, first.prev) == (STATION, 1, GENESIS)
    assert first.ts == "2026-11-27T09:14:03.513Z"
    assert written[3].batch is None
    assert written[2].reason == "transcription error"
    for e in written:
        assert e.hash == event_hash(
            e.station, e.seq, e.ts, e.actor, e.batch, e.type, e.payload, e.reason, e.prev
        )
        assert Event.from_dict(e.to_dict()) == e


def test_payload_comes_back_as_json_would_give_it(store: EventStore) -> None:
    tuples = store.append("x", {"t": (1, 2)}, actor="system")
    int_keys = store.append("x", {3: "int key"}, actor="system")  # type: ignore[dict-item]
    assert (tuples.payload, int_keys.payload) == ({"t": [1, 2]}, {"3": "int key"})
    assert list(store.events()) == [tuples, int_keys]


def test_seq_is_gap_free_from_one(store: EventStore) -> None:
    fill(store, 7)
    store.append_many([("x", {"i": i}, "system", None, None) for i in range(5)])
    fill(store, 3)
    assert [e.seq for e in store.events()] == list(range(1, 16))
    assert store.count() == 15


def test_each_event_links_to_the_hash_of_the_one_before(store: EventStore) -> None:
    events = fill(store, 10)
    assert events[0].prev == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev == before.hash
    assert store.verify().ok


def test_events_survive_close_and_reopen(db: Path) -> None:
    with EventStore(db, STATION) as first:
        written = fill(first, 5)
    with EventStore(db, STATION, create=False) as again:
        assert list(again.events()) == written
        nxt = again.append("x", {}, actor="system")
        assert (nxt.seq, nxt.prev) == (6, written[-1].hash)
        assert again.verify().ok


def test_append_many_is_in_order_and_atomic(store: EventStore) -> None:
    fill(store, 2)
    events = store.append_many(
        [
            ("batch.started", {"recipe_id": "r", "recipe_version": 1}, "u:a", "B-2", None),
            ("step.recorded", STEP, "u:a", "B-2", None),
            ("step.corrected", {"old": 1, "new": 2}, "u:b", "B-2", "typo"),
        ]
    )
    assert [e.seq for e in events] == [3, 4, 5]
    assert events[2].reason == "typo"
    assert list(store.events(after_seq=2)) == events
    assert store.append_many([]) == []


def test_append_many_writes_nothing_when_one_item_is_bad(store: EventStore) -> None:
    fill(store, 2)
    with pytest.raises(StoreError, match="payload cannot be recorded"):
        store.append_many(
            [
                ("x", {"ok": 1}, "system", None, None),
                ("y", {"bad": float("nan")}, "system", None, None),
            ]
        )
    assert store.count() == 2


def test_failure_inside_the_transaction_rolls_everything_back(db: Path) -> None:
    calls = 0

    def clock() -> datetime:
        nonlocal calls
        calls += 1
        if calls == 4:
            return datetime(2026, 11, 27, 9, 0, 0)
        return datetime(2026, 11, 27, 9, 0, 0, tzinfo=UTC)

    with EventStore(db, STATION, clock=clock) as store:
        fill(store, 1)
        with pytest.raises(ValueError, match="timezone-aware"):
            store.append_many([("x", {"i": i}, "system", "B-9", None) for i in range(5)])
        assert store.count() == 1
        assert [b.batch for b in store.batches()] == ["B-1"]
        assert store.append("x", {}, actor="system").seq == 2
        assert store.verify().ok


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"payload": {"v": float("nan")}}, "payload cannot be recorded as JSON"),
        ({"payload": {"v": object()}}, "payload cannot be recorded as JSON"),
        ({"payload": {1: "a", "b": 2}}, "payload cannot be recorded as JSON"),
        ({"payload": [1, 2]}, "payload must be a JSON object"),
        ({"payload": {"v": "\udcff"}}, "unpaired surrogate"),
        ({"actor": ""}, "needs an actor"),
        ({"type": ""}, "needs a type"),
        ({"batch": ""}, "batch must be text or None"),
        ({"reason": 5}, "reason must be text or None"),
    ],
)
def test_content_that_cannot_be_recorded_is_refused(
    store: EventStore, kwargs: dict[str, Any], message: str
) -> None:
    args: dict[str, Any] = {"type": "x", "payload": {}, "actor": "system"} | kwargs
    with pytest.raises(StoreError, match=message):
        store.append(args.pop("type"), args.pop("payload"), **args)
    assert store.count() == 0


def test_too_deeply_nested_payload_is_refused(store: EventStore) -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(100_000):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(StoreError, match="payload cannot be recorded"):
        store.append("x", deep, actor="system")


def test_clock_in_another_zone_is_recorded_in_utc(db: Path) -> None:
    cest = datetime(2026, 6, 1, 11, 0, 0, 250000, tzinfo=UTC).astimezone(
        __import__("datetime").timezone(timedelta(hours=2))
    )
    with EventStore(db, STATION, clock=lambda: cest) as store:
        assert store.append("x", {}, actor="system").ts == "2026-06-01T11:00:00.250Z"


def test_default_clock_is_now_in_utc(db: Path) -> None:
    before = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    with EventStore(db, STATION) as store:
        ts = store.append("x", {}, actor="system").ts
    after = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert before <= ts <= after


# ---------------------------------------------------------------- reading


def test_events_filters(store: EventStore, db: Path) -> None:
    fill(store, 3, batch="B-1")
    fill(store, 2, batch="B-2")
    store.append("batch.state", {"state": "done"}, actor="u:a", batch="B-1")
    with EventStore(db, "CR2-K2") as other:
        other.append("x", {}, actor="system", batch="B-2")
    assert [e.seq for e in store.events(batch="B-1")] == [1, 2, 3, 6]
    assert [(e.station, e.seq) for e in store.events(batch="B-2")] == [
        (STATION, 4),
        (STATION, 5),
        ("CR2-K2", 1),
    ]
    assert [e.seq for e in store.events(types={"batch.state"})] == [6]
    assert list(store.events(types=[])) == []
    assert [e.seq for e in store.events(after_seq=4, station=STATION)] == [5, 6]
    assert [e.station for e in store.events(station="CR2-K2")] == ["CR2-K2"]
    assert store.count() == 7  # the whole file
    assert store.last() is not None
    assert store.last().seq == 6  # type: ignore[union-attr]
    with pytest.raises(TypeError, match="not one str"):
        store.events(types="batch.state")


def test_events_stream_and_can_be_abandoned(store: EventStore) -> None:
    fill(store, 20)
    stream = store.events()
    assert next(stream).seq == 1
    assert next(stream).seq == 2
    assert isinstance(stream, Generator)
    stream.close()  # returns its connection; the store carries on
    assert store.append("x", {}, actor="system").seq == 21


def test_last_is_none_on_an_empty_store(store: EventStore) -> None:
    assert store.last() is None
    assert store.count() == 0
    assert store.batches() == []
    result = store.verify()
    assert (result.ok, result.events, result.batches) == (True, 0, 0)


# ---------------------------------------------------------------- append-only


def test_triggers_refuse_update_and_delete(store: EventStore) -> None:
    fill(store, 3)
    conn = raw(store.path)
    for sql in (
        "UPDATE events SET payload = '{}' WHERE seq = 2",
        "UPDATE events SET actor = 'u:mallory'",
        "DELETE FROM events WHERE seq = 3",
        "DELETE FROM events",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="events are append-only"):
            conn.execute(sql)
    conn.close()
    assert store.count() == 3
    assert store.verify().ok


def test_database_refuses_inserts_that_do_not_extend_the_chain(store: EventStore) -> None:
    events = fill(store, 3)
    conn = raw(store.path)
    e = events[1]
    forged = (STATION, 2, e.ts, "u:mallory", e.batch, e.type, "{}", None, e.prev, "0" * 64)
    for sql, row in (
        ("INSERT OR REPLACE INTO events VALUES (?,?,?,?,?,?,?,?,?,?)", forged),
        ("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?)", (*forged[:1], 5, *forged[2:])),
        ("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?)", (*forged[:1], 4, *forged[2:])),
    ):
        with pytest.raises(sqlite3.IntegrityError, match="events must extend the chain"):
            conn.execute(sql, row)
    conn.close()
    assert list(store.events()) == events


# ---------------------------------------------------------------- tampering


def test_edited_payload_on_a_copy_is_found_by_verify(store: EventStore, tmp_path: Path) -> None:
    fill(store, 10)
    copy = tampered_copy(
        store, tmp_path, """UPDATE events SET payload = '{"value":99.9}' WHERE seq = 7"""
    )
    with EventStore(copy, STATION, create=False) as tampered:
        result = tampered.verify()
    assert not result.ok
    assert (result.bad_station, result.bad_seq) == (STATION, 7)
    assert result.problem == "hash does not match content"
    assert result.events == 10


def test_edit_with_recomputed_hash_is_found_at_the_next_event(
    store: EventStore, tmp_path: Path
) -> None:
    events = fill(store, 10)
    e = dataclasses.replace(events[6], payload={"value": 99.9})
    forged = event_hash(
        e.station, e.seq, e.ts, e.actor, e.batch, e.type, e.payload, e.reason, e.prev
    )
    copy = tampered_copy(
        store,
        tmp_path,
        f"""UPDATE events SET payload = '{{"value":99.9}}', hash = '{forged}' WHERE seq = 7""",
    )
    with EventStore(copy, STATION, create=False) as tampered:
        result = tampered.verify()
        assert (result.bad_seq, result.problem) == (8, "prev does not match hash of seq 7")
        assert verify_events(tampered.events()) == result  # same walk over parsed events


def test_deleted_event_is_found_as_a_gap(store: EventStore, tmp_path: Path) -> None:
    fill(store, 10)
    copy = tampered_copy(store, tmp_path, "DELETE FROM events WHERE seq = 5")
    with EventStore(copy, STATION, create=False) as tampered:
        result = tampered.verify()
    assert (result.ok, result.bad_seq, result.problem) == (False, 6, "sequence gap: 6 follows 4")
    assert result.events == 9


def test_verify_events_on_a_tampered_list(store: EventStore) -> None:
    events = list(fill(store, 6))
    assert verify_events(events).ok
    events[2] = dataclasses.replace(events[2], actor="u:mallory")
    result = verify_events(events)
    assert (result.bad_seq, result.problem) == (3, "hash does not match content")
    del events[2]
    assert verify_events(events).problem == "sequence gap: 4 follows 2"


def test_second_station_in_one_file_is_verified_too(db: Path, tmp_path: Path) -> None:
    with EventStore(db, "A") as a, EventStore(db, "B") as b:
        for _ in range(3):
            fill(a, 1)
            fill(b, 1)
        assert a.verify().ok
        assert a.verify().events == 6
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(db, copy)
    conn = raw(copy)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute(
        "UPDATE events SET ts = '2030-01-01T00:00:00.000Z' WHERE station = 'B' AND seq = 2"
    )
    conn.close()
    with EventStore(copy, "A", create=False) as tampered:
        result = tampered.verify()
    assert (result.bad_station, result.bad_seq) == ("B", 2)
    assert result.last_ts == "2030-01-01T00:00:00.000Z"


def test_payload_that_is_not_json_reads_as_damage(store: EventStore, tmp_path: Path) -> None:
    store.append("batch.started", {"recipe_id": "r"}, actor="u:a", batch="B-1")
    copy = tampered_copy(store, tmp_path, "UPDATE events SET payload = '{not json' WHERE seq = 1")
    with EventStore(copy, STATION, create=False) as tampered:
        assert tampered.verify().problem == "hash does not match content"
        with pytest.raises(StoreError, match="damaged or not a kiosk database"):
            list(tampered.events())
        with pytest.raises(StoreError, match="damaged or not a kiosk database"):
            tampered.rebuild_projections()


# ---------------------------------------------------------------- projections


def batch_rows(path: Path) -> list[tuple[Any, ...]]:
    conn = raw(path)
    try:
        return conn.execute("SELECT * FROM batch_summary ORDER BY batch").fetchall()
    finally:
        conn.close()


def test_batch_summary_follows_the_conventions(store: EventStore) -> None:
    store.append(
        "batch.started", {"recipe_id": "car-t", "recipe_version": 3}, actor="u:a", batch="B-1"
    )
    fill(store, 2, batch="B-1")
    store.append("batch.state", {"state": "on_hold"}, actor="u:sup", batch="B-1", reason="dev")
    store.append("batch.state", {"state": 5}, actor="u:sup", batch="B-1")  # not a state: ignored
    store.append("batch.state", {"state": ""}, actor="u:sup", batch="B-1")  # ignored too
    fill(store, 1, batch="B-2")
    store.append(
        "batch.started",
        {"recipe_id": 7, "recipe_version": True},  # not text / not an int: not recorded
        actor="u:a",
        batch="B-3",
    )
    store.append("batch.started", {"recipe_version": 2**63}, actor="u:a", batch="B-4")
    summaries = {b.batch: b for b in store.batches()}
    assert summaries["B-1"] == BatchSummary(
        batch="B-1",
        status="on_hold",
        recipe_id="car-t",
        recipe_version=3,
        first_ts="2026-11-27T09:14:03.513Z",
        last_ts="2026-11-27T09:14:03.521Z",
        events=6,
    )
    assert (summaries["B-2"].status, summaries["B-2"].recipe_id) == ("unknown", None)
    assert (summaries["B-3"].status, summaries["B-3"].recipe_id) == ("in_progress", None)
    assert summaries["B-3"].recipe_version is None
    assert summaries["B-4"].recipe_version is None
    assert [b.batch for b in store.batches()] == ["B-1", "B-2", "B-3", "B-4"]


def test_rebuild_reproduces_exactly_the_same_rows(store: EventStore, db: Path) -> None:
    store.append("batch.started", {"recipe_id": "r1", "recipe_version": 1}, actor="u:a", batch="A")
    store.append_many(
        [
            ("step.recorded", STEP, "u:a", "A", None),
            ("batch.started", {"recipe_id": "r2", "recipe_version": 4}, "u:a", "B", None),
            ("batch.state", {"state": "on_hold"}, "u:a", "A", "deviation"),
            ("step.recorded", STEP, "u:a", None, None),
            ("batch.state", {"state": "released"}, "u:qa", "B", None),
        ]
    )
    with EventStore(db, "CR2-K0") as other:  # a second station writes to batch A too
        other.append("batch.state", {"state": "complete"}, actor="u:b", batch="A")
        other.append(
            "batch.started", {"recipe_id": "r9", "recipe_version": 9}, actor="u:b", batch="A"
        )
    store.append("batch.state", {"state": "in_review"}, actor="u:a", batch="A")
    store.append("step.recorded", STEP, actor="u:a", batch="C")
    before_rows, before = batch_rows(db), store.batches()
    assert {b.batch: b.status for b in before} == {
        "A": "in_review",
        "B": "released",
        "C": "unknown",
    }
    store.rebuild_projections()
    assert batch_rows(db) == before_rows
    assert store.batches() == before
    # a wiped projection comes back too
    conn = raw(db)
    conn.execute("DELETE FROM batch_summary")
    conn.close()
    assert store.batches() == []
    store.rebuild_projections()
    assert batch_rows(db) == before_rows


def test_rebuild_of_an_empty_log(store: EventStore) -> None:
    store.rebuild_projections()
    assert store.batches() == []


# ---------------------------------------------------------------- several writers


def test_two_stores_appending_alternately_keep_one_chain(db: Path) -> None:
    with EventStore(db, STATION) as one, EventStore(db, STATION) as two:
        for i in range(20):
            (one if i % 2 == 0 else two).append("x", {"i": i}, actor="system", batch="B")
        assert [e.seq for e in one.events()] == list(range(1, 21))
        assert one.last() == two.last()
        assert two.verify().ok
        assert one.batches()[0].events == 20


def test_two_threads_appending_at_once_keep_one_chain(db: Path) -> None:
    errors: list[BaseException] = []

    def writer(store: EventStore, name: str) -> None:
        try:
            for i in range(40):
                store.append("x", {"writer": name, "i": i}, actor=f"u:{name}", batch="B")
        except BaseException as exc:  # reported below
            errors.append(exc)

    with EventStore(db, STATION) as one, EventStore(db, STATION) as two:
        threads = [
            threading.Thread(target=writer, args=(one, "one")),
            threading.Thread(target=writer, args=(two, "two")),
            threading.Thread(target=writer, args=(two, "three")),  # a store shared by threads
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert [e.seq for e in one.events()] == list(range(1, 121))
        assert one.verify().ok
        assert one.batches()[0].events == 120


# ---------------------------------------------------------------- environment errors


def test_garbage_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"this is not SQLite, it is a shopping list\n" * 200)
    with pytest.raises(StoreError) as info:
        EventStore(path, STATION)
    assert str(info.value) == f"the record database is damaged or not a kiosk database: {path}"


def test_missing_file_without_create(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite"
    with pytest.raises(StoreError, match=r"^no database at .*absent\.sqlite$"):
        EventStore(path, STATION, create=False)
    assert not path.exists()


def test_empty_file_without_create_is_no_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(StoreError, match="no database at"):
        EventStore(path, STATION, create=False)


def test_missing_folder_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot be opened .*folder exists"):
        EventStore(tmp_path / "no" / "such" / "dir.sqlite", STATION)


def test_directory_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot be opened .*folder exists"):
        EventStore(tmp_path, STATION)


def test_damaged_pages_are_reported_as_damage(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    with EventStore(path, STATION) as store:
        store.append_many(
            [("x", {"i": i, "pad": "p" * 300}, "system", "B", None) for i in range(3000)]
        )
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 50, 4096 * 53, 7):  # scribble over three pages of the log
        data[offset] = 0xAB
    path.write_bytes(bytes(data))
    with EventStore(path, STATION) as store, pytest.raises(StoreError) as info:
        store.verify()
    assert str(info.value) == f"the record database is damaged or not a kiosk database: {path}"


def test_other_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = raw(path)
    conn.execute("CREATE TABLE recipes (id TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="damaged or not a kiosk database"):
        EventStore(path, STATION)


def test_locked_database_is_reported_as_busy(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("local_store.store.BUSY_TIMEOUT_MS", 50)
    with EventStore(store.path, STATION) as impatient:
        holder = raw(store.path)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="busy: another program is holding it locked"):
                impatient.append("x", {}, actor="system")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert impatient.append("x", {}, actor="system").seq == 1


def test_programming_errors_are_not_disguised(store: EventStore) -> None:
    import sqlalchemy.exc

    with pytest.raises(sqlalchemy.exc.DBAPIError) as info:
        list(store.events(batch=object()))  # type: ignore[arg-type]
    assert not isinstance(info.value, StoreError)


def test_old_sqlite_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(
        StoreError, match=r"needs SQLite 3\.37\.0 or newer; this system has 3\.31\.1"
    ):
        EventStore(db, STATION)


def test_journal_mode_other_than_wal_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stand-in for a file system where SQLite cannot keep a write-ahead log: asking for a
    # mode SQLite does not know leaves the old one, which is what such a system reports.
    monkeypatch.setattr("local_store.store.JOURNAL_MODE", "wal2x")
    with pytest.raises(
        StoreError, match=r"cannot use write-ahead logging \(journal mode is delete\)"
    ):
        EventStore(db, STATION)


def test_wal_full_sync_and_foreign_keys_are_on(store: EventStore) -> None:
    store.append("x", {}, actor="system")
    conn = raw(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    # the store's own connections: read back through its engine
    with store._engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_closed_store_refuses_use(db: Path) -> None:
    store = EventStore(db, STATION)
    store.close()
    store.close()  # idempotent
    for call in (
        lambda: store.append("x", {}, actor="system"),
        store.events,
        store.last,
        store.count,
        store.batches,
        store.verify,
        store.rebuild_projections,
    ):
        with pytest.raises(StoreError, match="has been closed"):
            call()


def test_station_must_be_named(db: Path) -> None:
    with pytest.raises(ValueError, match="station must be a non-empty str"):
        EventStore(db, "")


def test_repr_names_file_and_station(store: EventStore) -> None:
    assert repr(store) == f"EventStore({str(store.path)!r}, station='CR2-K1')"


@settings(max_examples=40)
@given(
    actor=st.text(min_size=1),
    batch=st.none() | st.text(min_size=1),
    type_=st.text(min_size=1),
    reason=st.none() | st.text(min_size=1),
    payload=st.dictionaries(
        st.text(),
        st.none()
        | st.text()
        | st.integers(-(2**62), 2**62)
        | st.floats(allow_nan=False, allow_infinity=False),
        max_size=4,
    ),
)
def test_any_text_round_trips_through_the_database(
    tmp_path_factory: pytest.TempPathFactory,
    actor: str,
    batch: str | None,
    type_: str,
    payload: dict[str, Any],
    reason: str | None,
) -> None:
    path = tmp_path_factory.getbasetemp() / "round-trip.sqlite"
    with EventStore(path, STATION) as store:
        event = store.append(type_, payload, actor=actor, batch=batch, reason=reason)
        assert store.last() == event
        assert (event.actor, event.batch, event.type, event.reason) == (actor, batch, type_, reason)
        assert event.payload == payload
        assert store.verify().ok
