"""The engine's rules for orders: start from one, type one only with a supervisor, and every
bag that binds the batch's identity checked against the order."""

from __future__ import annotations

import pytest

from kiosk.engine import ActionRefused
from tests.helpers import order_of, start_ordered

from .conftest import Station

CONTEXT = {
    "patient_id": "PT-1",
    "order_id": "O-1",
    "patient_weight": 70,
    "collection_time": "2026-11-26T10:00:00Z",
    "shipment": "frozen",
}
BAG = "=G12341765432170"  # DIN G123417654321, the order's collection
OTHER_BAG = "=A99991712365400"


def test_typing_the_order_without_a_supervisor_is_refused_and_nothing_is_written(
    station: Station,
) -> None:
    session = station.login("olivia")
    with pytest.raises(ActionRefused, match="start this batch from an order"):
        station.engine.start_batch(session, "car-t-autologous", CONTEXT)
    with pytest.raises(ActionRefused, match="cannot sign this"):
        station.engine.start_batch(
            session, "car-t-autologous", CONTEXT, supervisor=station.creds("olivia"), reason="x"
        )
    with pytest.raises(ActionRefused, match="role"):  # another operator is not a supervisor
        station.engine.start_batch(
            session, "car-t-autologous", CONTEXT, supervisor=station.creds("oscar"), reason="x"
        )
    with pytest.raises(ActionRefused, match="reason"):
        station.engine.start_batch(
            session, "car-t-autologous", CONTEXT, supervisor=station.creds("sam"), reason=" "
        )
    assert station.store.batches() == []


def test_a_typed_order_signed_by_a_supervisor_is_an_exception_on_the_batch(
    station: Station,
) -> None:
    session = station.login("olivia")
    batch = station.engine.start_batch(
        session, "car-t-autologous", CONTEXT, supervisor=station.creds("sam"), reason="ERP down"
    )
    (exc,) = station.engine.batch(batch).exceptions.values()
    assert exc.category == "order"
    assert exc.values["signature"]["user"] == "sam"
    assert exc.values["signature"]["meaning"] == "approved"
    assert "ERP down" in exc.message


def test_a_cancelled_order_or_one_for_another_recipe_does_not_start(station: Station) -> None:
    session = station.login("olivia")
    eng = station.engine
    with pytest.raises(ActionRefused, match="cancelled"):
        eng.start_batch(
            session, "car-t-autologous", {}, order=order_of(CONTEXT, status="cancelled")
        )
    with pytest.raises(ActionRefused, match="for recipe training"):
        eng.start_batch(session, "car-t-autologous", {}, order=order_of(CONTEXT, recipe="training"))
    assert station.store.batches() == []


def test_the_order_binds_one_batch(station: Station) -> None:
    session = station.login("olivia")
    first = start_ordered(station.engine, session, "car-t-autologous", CONTEXT)
    with pytest.raises(ActionRefused, match=f"belongs to batch {first}"):
        start_ordered(station.engine, session, "car-t-autologous", CONTEXT)


@pytest.mark.parametrize(
    ("scans", "refused"),
    [
        ([OTHER_BAG], "DIN A999917123654 is not a collection of order O-1"),
        ([f"{BAG}&/CHA999917123654"], "CoI CHA999917123654 is not the CoI of order O-1"),
        ([BAG, "witness", "&/CHA999917123654"], "CoI CHA999917123654 is not the CoI of order O-1"),
    ],
)
def test_a_bag_or_coi_that_is_not_the_orders_is_refused_and_holds_the_batch(
    station: Station, scans: list[str], refused: str
) -> None:
    session = station.login("olivia")
    eng = station.engine
    batch = start_ordered(eng, session, "car-t-autologous", CONTEXT)
    *before, last = scans
    for scan in before:
        if scan == "witness":
            eng.witness(session, batch, station.creds("oscar"))
        else:
            eng.scan(session, batch, scan)
    with pytest.raises(ActionRefused, match=refused):
        eng.scan(session, batch, last)
    state = eng.batch(batch)
    assert state.state == "on_hold"
    assert [x.category for x in state.exceptions.values()] == ["identity"]
    assert state.coi is None


def test_any_of_the_orders_collections_is_accepted(station: Station) -> None:
    session = station.login("olivia")
    eng = station.engine
    batch = start_ordered(
        eng, session, "car-t-autologous", CONTEXT, dins=("A999917123654", "G123417654321")
    )
    eng.scan(session, batch, BAG)
    assert eng.batch(batch).din == "G123417654321"


def test_a_coi_typed_by_hand_needs_its_check_character_and_is_checked_against_the_order(
    station: Station,
) -> None:
    session = station.login("olivia")
    eng = station.engine
    batch = start_ordered(eng, session, "car-t-autologous", CONTEXT)
    eng.scan(session, batch, BAG)
    eng.witness(session, batch, station.creds("oscar"))
    sam = station.creds("sam")
    with pytest.raises(ActionRefused, match="check character wrong"):
        eng.scan(session, batch, "CHG123417654321 C", keyed=True, override=sam, reason="torn")
    with pytest.raises(ActionRefused, match="not the CoI of order O-1"):
        eng.scan(session, batch, "CHA999917123654 Y", keyed=True, override=sam, reason="torn")
    eng.acknowledge(
        session,
        batch,
        next(iter(eng.batch(batch).exceptions)),
        station.creds("sam"),
        "typed from the wrong bag",
    )
    eng.scan(session, batch, "chg123417654321 a", keyed=True, override=sam, reason="torn")
    assert eng.batch(batch).coi == "CHG123417654321"
