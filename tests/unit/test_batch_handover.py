"""A batch carried on at another station: its history comes from several stations' chains."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ebr import load_record
from kiosk.engine import ActionRefused, Engine, Reading
from local_store import StoreError

from .conftest import ROOT, Station, make_station
from .test_execution import DIN


def replayed(st: Station, batch: str) -> object:
    """The batch as a fresh engine at this station rebuilds it from the file."""
    return Engine(st.store, st.auth, st.engine.recipes, st.clock).batch(batch)


def hand_over(giver: Station, taker: Station, batch: str) -> None:
    """What the claim does at the taking station: pull the batch's events, then import them."""
    head = taker.store.last()
    taker.store.import_foreign(giver.store.batch_history(batch), head.seq if head else 0)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Station, Station]]:
    a = make_station(tmp_path / "a.sqlite", "ST-A")
    b = make_station(tmp_path / "b.sqlite", "ST-B", clock=a.clock)
    yield a, b
    a.store.close()
    b.store.close()


def test_station_b_carries_on_from_the_step_where_the_batch_stands(
    pair: tuple[Station, Station],
) -> None:
    a, b = pair
    session = a.login("olivia")
    batch = a.engine.start_batch(session, "training", {"trainee": "Tess"}, batch_id="B-H-1")
    a.engine.confirm(session, batch)
    a.engine.scan(session, batch, DIN)
    a.engine.check(session, batch, "pass")
    with pytest.raises(ActionRefused, match="no batch 'B-H-1' on this station"):
        b.engine.view(batch)
    hand_over(a, b, batch)
    assert b.engine.batch(batch) == replayed(a, batch)
    assert b.engine.view(batch).key == "measure.target_volume"
    assert b.engine.batch_ids() == [batch]
    at_b = b.login("oscar")
    b.engine.enter(at_b, batch, "100.0")
    b.engine.weigh(at_b, batch, Reading(100.1, "g", True, "BAL-1"))
    b.engine.witness(at_b, batch, b.creds("olivia"))
    assert b.engine.view(batch).key == "measure.dispensed_volume"
    assert b.engine.batch(batch).din == "G123417654321"  # bound at A, known at B
    # B's new events are in B's own chain, after A's in the history
    stations = [e.station for e in b.engine.history(batch)]
    assert stations[: stations.index("ST-B")] == ["ST-A"] * stations.index("ST-B")
    assert set(stations[stations.index("ST-B") :]) == {"ST-B"}
    assert b.store.verify().ok
    assert b.engine.batch(batch) == replayed(b, batch)
    # the batch record printed at B holds A's part too, in the order it happened
    record = load_record(b.store, batch, ROOT / "recipes")
    assert record.events == list(b.engine.history(batch))
    assert record.events[0].station == "ST-A"
    assert not record.hash_mismatches
    assert record.state.step_key == "measure.dispensed_volume"


def test_the_batch_goes_back_and_each_station_rebuilds_the_same_state(
    pair: tuple[Station, Station],
) -> None:
    a, b = pair
    session = a.login("olivia")
    batch = a.engine.start_batch(session, "training", {"trainee": "Tess"}, batch_id="B-H-2")
    a.engine.confirm(session, batch)
    hand_over(a, b, batch)
    b.engine.scan(b.login("oscar"), batch, DIN)
    hand_over(b, a, batch)  # B's history holds A's events too: they are already in A's chain
    fresh_a = Engine(a.store, a.auth, a.engine.recipes, a.clock)
    assert fresh_a.view(batch).key == "start.area_clean"
    fresh_a.check(a.login("olivia"), batch, "pass")
    hand_over(a, b, batch)
    fresh_b = Engine(b.store, b.auth, b.engine.recipes, b.clock)
    assert fresh_b.batch(batch) == replayed(a, batch)
    assert [e.station for e in fresh_b.history(batch)][-3:] == ["ST-A", "ST-A", "ST-A"]
    assert fresh_b.view(batch).key == "measure.target_volume"


def test_a_tampered_event_from_the_other_station_is_refused(
    pair: tuple[Station, Station],
) -> None:
    a, b = pair
    session = a.login("olivia")
    batch = a.engine.start_batch(session, "training", {"trainee": "Tess"}, batch_id="B-H-3")
    a.engine.confirm(session, batch)
    a.engine.scan(session, batch, DIN)
    events = a.store.batch_history(batch)
    scan = next(
        i for i, e in enumerate(events) if e.type == "step.recorded" and e.payload["kind"] == "scan"
    )
    events[scan] = type(events[scan])(
        **{**events[scan].to_dict(), "payload": {**events[scan].payload, "value": "G999999999999"}}
    )
    with pytest.raises(
        StoreError, match=r"event ST-A #\d+ \(step.recorded, batch B-H-3\) does not match its hash"
    ):
        b.store.import_foreign(events, 0)
    with pytest.raises(ActionRefused, match="no batch 'B-H-3' on this station"):
        b.engine.view(batch)
