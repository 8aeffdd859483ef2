"""Events from other stations' chains held in a station's file, and the station clock check."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from local_store import Event, EventStore, StoreError, event_hash


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def a(tmp_path: Path) -> EventStore:
    store = EventStore(tmp_path / "a.sqlite", "ST-A", clock=Clock())
    store.append("batch.started", {"n": 1}, actor="u:olivia", batch="B1")
    store.append("other", {}, actor="system", batch="B2")  # a gap in B1's part of A's chain
    store.append("step.recorded", {"n": 2}, actor="u:olivia", batch="B1")
    store.append("step.recorded", {"n": 3}, actor="u:olivia", batch="B1")
    return store


@pytest.fixture
def b(tmp_path: Path) -> EventStore:
    store = EventStore(tmp_path / "b.sqlite", "ST-B", clock=Clock())
    store.append("user.created", {}, actor="system")
    return store


def rehash(event: Event, **changes: object) -> Event:
    """The event with changes and a hash that matches them (a forger's event)."""
    e = dataclasses.replace(event, **changes)  # type: ignore[arg-type]
    digest = event_hash(
        e.station, e.seq, e.ts, e.actor, e.batch, e.type, e.payload, e.reason, e.prev
    )
    return dataclasses.replace(e, hash=digest)


def foreign_rows(store: EventStore) -> int:
    conn = sqlite3.connect(store.path)
    try:
        return int(conn.execute("SELECT count(*) FROM foreign_events").fetchone()[0])
    finally:
        conn.close()


def test_history_interleaves_own_and_imported_events_in_ownership_order(
    a: EventStore, b: EventStore
) -> None:
    b_head = b.last()
    assert b_head is not None
    stored = b.import_foreign(a.batch_history("B1"), after_seq=b_head.seq)
    assert [(e.station, e.seq) for e in stored] == [("ST-A", 1), ("ST-A", 3), ("ST-A", 4)]
    b.append("step.recorded", {"n": 4}, actor="u:oscar", batch="B1")
    # back to A: it pulls the whole batch, its own events included (they are already held)
    a_head = a.last()
    assert a_head is not None
    again = a.import_foreign(b.batch_history("B1"), after_seq=a_head.seq)
    assert [(e.station, e.seq) for e in again] == [("ST-B", 2)]
    a.append("step.recorded", {"n": 5}, actor="u:olivia", batch="B1")
    assert [e.payload.get("n") for e in a.batch_history("B1")] == [1, 2, 3, 4, 5]
    assert [e.station for e in a.batch_history("B1")] == ["ST-A"] * 3 + ["ST-B", "ST-A"]
    assert [b.batch for b in b.batches()] == ["B1"]
    assert b.batches()[0].events == 4


def test_importing_the_same_events_twice_stores_them_once(a: EventStore, b: EventStore) -> None:
    events = a.batch_history("B1")
    assert len(b.import_foreign(events, after_seq=1)) == 3
    assert b.import_foreign(events, after_seq=1) == []
    assert foreign_rows(b) == 3
    assert len(b.batch_history("B1")) == 3


def test_a_tampered_event_is_refused_and_nothing_is_stored(a: EventStore, b: EventStore) -> None:
    events = a.batch_history("B1")
    events[1] = dataclasses.replace(events[1], payload={"n": 99})
    with pytest.raises(
        StoreError, match=r"event ST-A #3 \(step.recorded, batch B1\) does not match"
    ):
        b.import_foreign(events, after_seq=1)
    assert foreign_rows(b) == 0
    assert b.batch_history("B1") == []


def test_a_rehashed_event_that_breaks_the_chain_is_refused(a: EventStore, b: EventStore) -> None:
    events = a.batch_history("B1")
    events[2] = rehash(events[2], payload={"n": 99})  # #4 keeps its prev, so #4 is still linked
    events[1] = rehash(events[1], payload={"n": 98})  # #3 changed: #4's prev no longer matches
    with pytest.raises(StoreError, match=r"ST-A #3 .* does not link to ST-A #4"):
        b.import_foreign(events, after_seq=1)
    assert foreign_rows(b) == 0


def test_a_different_event_under_a_held_number_is_refused(a: EventStore, b: EventStore) -> None:
    b.import_foreign(a.batch_history("B1")[:1], after_seq=1)
    forged = rehash(a.batch_history("B1")[0], actor="u:mallory")
    with pytest.raises(StoreError, match=r"ST-A #1 .* differs from the event already held"):
        b.import_foreign([forged], after_seq=1)


def test_an_event_claiming_to_be_this_stations_must_be_in_its_chain(
    a: EventStore, b: EventStore
) -> None:
    mine = b.last()
    assert mine is not None
    forged = rehash(mine, actor="u:mallory")
    with pytest.raises(StoreError, match="claims to be this station's"):
        b.import_foreign([forged], after_seq=1)


def test_after_seq_must_be_this_stations_chain_head_or_before(a: EventStore, b: EventStore) -> None:
    with pytest.raises(StoreError, match="beyond this station's last event"):
        b.import_foreign(a.batch_history("B1"), after_seq=7)


def test_foreign_events_cannot_be_changed_in_the_file(a: EventStore, b: EventStore) -> None:
    b.import_foreign(a.batch_history("B1"), after_seq=1)
    conn = sqlite3.connect(b.path)
    try:
        for sql in (
            "UPDATE foreign_events SET actor = 'u:mallory'",
            "DELETE FROM foreign_events",
            "INSERT OR REPLACE INTO foreign_events SELECT * FROM foreign_events",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(sql)
    finally:
        conn.close()


def test_a_clock_behind_the_last_record_is_refused_and_nothing_written(tmp_path: Path) -> None:
    clock = Clock()
    store = EventStore(tmp_path / "s.sqlite", "ST-A", clock=clock)
    store.append("first", {}, actor="system")
    clock.now -= timedelta(days=365)
    with pytest.raises(
        StoreError,
        match=r"^The station clock is behind its last record \(last 2026-12-04T09:00:01\.000Z, "
        r"now 2025-12-04T09:00:02\.000Z\): the clock is wrong; call a technician\.$",
    ):
        store.append_many([("a", {}, "system", None, None), ("b", {}, "system", None, None)])
    assert store.count() == 1
    clock.now += timedelta(days=365)
    assert store.append("later", {}, actor="system").seq == 2


def test_the_history_does_not_depend_on_the_station_name_the_file_is_opened_with(
    a: EventStore, b: EventStore
) -> None:
    b.import_foreign(a.batch_history("B1"), after_seq=1)
    b.append("step.recorded", {"n": 4}, actor="u:oscar", batch="B1")
    a.import_foreign(b.batch_history("B1"), after_seq=4)
    a.append("step.recorded", {"n": 5}, actor="u:olivia", batch="B1")
    with EventStore(a.path, "READER", create=False) as reader:
        assert [e.payload.get("n") for e in reader.batch_history("B1")] == [1, 2, 3, 4, 5]
        with pytest.raises(StoreError, match="imported by station ST-A; station READER cannot"):
            reader.import_foreign(b.batch_history("B1"), after_seq=0)


def test_the_batch_summary_follows_ownership_not_station_names(tmp_path: Path) -> None:
    # The first owner's id sorts after the second's: the summary must still show the state the
    # batch reached last, at the station that holds it now.
    z = EventStore(tmp_path / "z.sqlite", "ST-Z", clock=Clock())
    z.append("batch.started", {"recipe_id": "r", "recipe_version": 1}, actor="u:o", batch="B9")
    z.append("batch.state", {"state": "on_hold"}, actor="system", batch="B9")
    later = EventStore(tmp_path / "a.sqlite", "ST-A", clock=Clock())
    later.import_foreign(z.batch_history("B9"), after_seq=0)
    assert [(s.batch, s.status) for s in later.batches()] == [("B9", "on_hold")]
    later.append("batch.state", {"state": "in_progress"}, actor="u:sam", batch="B9")
    assert [(s.batch, s.status, s.events) for s in later.batches()] == [("B9", "in_progress", 3)]
    summary = later.batches()
    later.rebuild_projections()
    assert later.batches() == summary


def test_what_is_not_an_event_or_cannot_be_encoded_is_refused(a: EventStore, b: EventStore) -> None:
    with pytest.raises(StoreError, match="only events can be imported, got dict"):
        b.import_foreign([{"seq": 1}], after_seq=1)  # type: ignore[list-item]
    bad = dataclasses.replace(a.batch_history("B1")[0], payload={"n": float("nan")})
    with pytest.raises(StoreError, match=r"ST-A #1 .* is malformed"):
        b.import_foreign([bad], after_seq=1)
    with pytest.raises(StoreError, match="after_seq must be this station's chain head"):
        b.import_foreign(a.batch_history("B1"), after_seq=-1)
    assert foreign_rows(b) == 0


def test_imports_keep_their_order(a: EventStore, b: EventStore, tmp_path: Path) -> None:
    events = a.batch_history("B1")
    with pytest.raises(StoreError, match=r"ST-A #3 .* comes after a later event of its station"):
        b.import_foreign([events[2], events[1]], after_seq=1)
    b.append("step.recorded", {"n": 5}, actor="u:oscar", batch="B3")
    b.import_foreign(events[:1], after_seq=2)
    with pytest.raises(StoreError, match="an earlier import was placed after #2"):
        b.import_foreign(events[1:], after_seq=1)


def test_a_first_event_with_a_prev_and_a_broken_link_before_are_refused(
    a: EventStore, b: EventStore
) -> None:
    first = a.batch_history("B1")[0]
    with pytest.raises(StoreError, match="is its station's first event but has a prev"):
        b.import_foreign([rehash(first, prev="f" * 64)], after_seq=1)
    b.import_foreign([first], after_seq=1)
    second = rehash(a.batch_history("B1")[1], seq=2, prev="e" * 64)  # after #1, not linked to it
    with pytest.raises(StoreError, match=r"ST-A #2 .* does not link to ST-A #1"):
        b.import_foreign([second], after_seq=1)


def test_a_batch_this_station_wrote_to_after_the_hand_over_point_is_refused(
    a: EventStore, b: EventStore
) -> None:
    b.append("step.recorded", {"n": 6}, actor="u:oscar", batch="B1")  # B1 at B after seq 1
    with pytest.raises(StoreError, match="wrote"):
        b.import_foreign(a.batch_history("B1"), after_seq=1)
    assert foreign_rows(b) == 0


def test_foreign_events_by_type(a: EventStore, b: EventStore) -> None:
    b.import_foreign(a.batch_history("B1"), after_seq=1)
    assert [e.seq for e in b.foreign_events(types=("step.recorded",))] == [3, 4]
    assert b.foreign_events(types=("identity.bound",)) == []
