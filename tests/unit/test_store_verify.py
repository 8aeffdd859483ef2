"""verify_events: the pure chain walk the server runs over events it receives."""

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from local_store import Event, event_hash, verify_events
from local_store.events import GENESIS


def chain(station: str, n: int, *, batch_of: Any = None, start_minute: int = 0) -> list[Event]:
    """A valid chain of ``n`` events for ``station``."""
    events: list[Event] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        ts = f"2026-11-27T09:{start_minute + seq:02d}:00.000Z"
        batch = batch_of(seq) if batch_of else None
        payload = {"step": f"s{seq}", "value": seq * 1.5}
        digest = event_hash(station, seq, ts, "u:jdoe", batch, "step.recorded", payload, None, prev)
        events.append(
            Event(station, seq, ts, "u:jdoe", batch, "step.recorded", payload, None, prev, digest)
        )
        prev = digest
    return events


def rehash(e: Event, **changes: Any) -> Event:
    """``e`` with ``changes``, its hash recomputed as a careful forger would."""
    e = dataclasses.replace(e, **changes)
    return dataclasses.replace(
        e,
        hash=event_hash(
            e.station, e.seq, e.ts, e.actor, e.batch, e.type, e.payload, e.reason, e.prev
        ),
    )


def test_empty_input_is_ok() -> None:
    result = verify_events([])
    assert result.ok
    assert (result.events, result.batches, result.first_ts, result.last_ts) == (0, 0, None, None)
    assert (result.bad_seq, result.bad_station, result.problem) == (None, None, None)


def test_valid_chains_of_several_stations_are_counted() -> None:
    a = chain("A", 5, batch_of=lambda s: f"B{s % 2}", start_minute=10)
    b = chain("B", 3, batch_of=lambda s: "B9", start_minute=0)
    result = verify_events(iter(a + b))  # any iterable, read once
    assert result.ok
    assert result.events == 8
    assert result.batches == 3
    assert result.first_ts == "2026-11-27T09:01:00.000Z"  # earliest, from station B
    assert result.last_ts == "2026-11-27T09:15:00.000Z"


def test_edited_payload_is_a_hash_mismatch_at_that_event() -> None:
    events = chain("A", 6)
    events[3] = dataclasses.replace(events[3], payload={"step": "s4", "value": 99})
    result = verify_events(events)
    assert not result.ok
    assert (result.bad_station, result.bad_seq) == ("A", 4)
    assert result.problem == "hash does not match content"
    assert result.events == 6  # counting goes on past the first bad event


def test_rehashed_edit_breaks_the_link_of_the_next_event() -> None:
    events = chain("A", 6)
    events[3] = rehash(events[3], payload={"step": "s4", "value": 99})
    result = verify_events(events)
    assert (result.ok, result.bad_seq, result.problem) == (
        False,
        5,
        "prev does not match hash of seq 4",
    )


def test_removed_event_is_a_gap() -> None:
    events = chain("A", 6)
    del events[2]
    result = verify_events(events)
    assert (result.bad_seq, result.problem) == (4, "sequence gap: 4 follows 2")


def test_repeated_event_is_out_of_order() -> None:
    events = chain("A", 4)
    events.insert(2, events[1])
    result = verify_events(events)
    assert (result.bad_seq, result.problem) == (2, "sequence out of order: 2 follows 2")


def test_chain_must_start_at_one_with_the_zero_prev() -> None:
    assert verify_events(chain("A", 4)[1:]).problem == "sequence starts at 2, not 1"
    first = rehash(chain("A", 1)[0], prev="1" * 64)
    result = verify_events([first])
    assert (result.bad_seq, result.problem) == (
        1,
        "prev of the first event is not the chain's starting value",
    )


def test_only_the_first_problem_is_reported() -> None:
    events = chain("A", 3) + chain("B", 3)
    events[4] = dataclasses.replace(events[4], actor="u:mallory")  # B seq 2
    events[1] = dataclasses.replace(events[1], actor="u:mallory")  # A seq 2
    result = verify_events(events)
    assert (result.bad_station, result.bad_seq) == ("A", 2)


def test_second_station_problem_names_that_station() -> None:
    events = chain("A", 3) + chain("B", 3)
    events[5] = dataclasses.replace(events[5], ts="2026-11-27T10:00:00.000Z")
    result = verify_events(events)
    assert (result.bad_station, result.bad_seq, result.problem) == (
        "B",
        3,
        "hash does not match content",
    )
    assert result.last_ts == "2026-11-27T10:00:00.000Z"


def test_stations_out_of_order_are_reported() -> None:
    result = verify_events(chain("B", 2) + chain("A", 2))
    assert (result.bad_station, result.bad_seq, result.problem) == (
        "A",
        1,
        "events are not ordered by station",
    )


@pytest.mark.parametrize(
    "change",
    [
        {"payload": {"value": float("nan")}},
        {"payload": {"value": object()}},
        {"ts": 5},
        {"actor": None},
        {"actor": "\ud800"},  # an unpaired surrogate cannot be hashed as UTF-8
    ],
)
def test_malformed_event_is_reported_not_raised(change: dict[str, Any]) -> None:
    events = chain("A", 3)
    events[1] = dataclasses.replace(events[1], **change)
    result = verify_events(events)
    assert (result.ok, result.bad_station, result.bad_seq) == (False, "A", 2)
    assert result.problem is not None
    assert result.problem.startswith("malformed event")


@pytest.mark.parametrize("change", [{"seq": "2"}, {"station": None}])
def test_malformed_station_or_seq_is_reported_without_a_position(change: dict[str, Any]) -> None:
    events = chain("A", 3)
    events[1] = dataclasses.replace(events[1], **change)
    result = verify_events(events)
    assert not result.ok
    assert result.problem is not None
    assert result.problem.startswith("malformed event")
    assert result.bad_seq == (None if "seq" in change else 2)
    assert result.bad_station == (None if "station" in change else "A")


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_payloads = st.dictionaries(
    st.text(),
    st.recursive(
        json_scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=10,
    ),
    max_size=5,
)


@given(
    station=st.text(min_size=1),
    ts=st.text(),
    actor=st.text(),
    batch=st.none() | st.text(),
    type_=st.text(),
    payload=json_payloads,
    reason=st.none() | st.text(),
)
def test_verify_accepts_every_event_hashed_by_the_reference(
    station: str,
    ts: str,
    actor: str,
    batch: str | None,
    type_: str,
    payload: dict[str, Any],
    reason: str | None,
) -> None:
    # verify builds the hashed text inline for speed; it must agree with event_hash everywhere.
    first = Event(
        station,
        1,
        ts,
        actor,
        batch,
        type_,
        payload,
        reason,
        GENESIS,
        event_hash(station, 1, ts, actor, batch, type_, payload, reason, GENESIS),
    )
    second = rehash(dataclasses.replace(first, seq=2, prev=first.hash))
    assert verify_events([first, second]).ok
    assert not verify_events([first, dataclasses.replace(second, reason="x" + (reason or ""))]).ok
