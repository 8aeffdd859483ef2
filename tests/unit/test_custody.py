"""Chain of custody at the engine: the receiver signs, or nothing is recorded."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.custody import Shipment, Transfer, signature_problem, signed_content, timeline
from kiosk.engine import ActionRefused, Credentials
from tests.helpers import start_ordered

from .conftest import Station

CONTEXT = {
    "patient_id": "PT-1",
    "order_id": "O-1",
    "patient_weight": 70,
    "collection_time": "2026-11-26T10:00:00Z",
    "shipment": "frozen",
}
RECEIPT = Transfer(
    "receipt", "Goods receipt", True, giver="Courier (BioLogistics)", logger_reading="-182 °C"
)
SHIP = Transfer(
    "ship",
    "Dispatch",
    True,
    logger_reading="-190 °C",
    shipment=Shipment("DS-1", "LOG-1", "BioLogistics", "7781-3310"),
)


def _custody(station: Station, batch: str) -> list[dict[str, object]]:
    return [e.payload for e in station.store.events(batch=batch) if e.type == "custody.handover"]


def _refusals(station: Station, batch: str) -> list[str]:
    return [
        str(e.payload["reason"])
        for e in station.store.events(batch=batch)
        if e.type == "action.refused"
    ]


def test_a_transfer_without_the_receiver_signature_is_refused_and_logged(
    station: Station,
) -> None:
    session = station.login("olivia")
    batch = start_ordered(station.engine, session, "car-t-autologous", CONTEXT)
    for receiver in (None, Credentials("oscar", ""), Credentials(None, "op-oscar-2026")):
        with pytest.raises(ActionRefused, match="receiver's signature"):
            station.engine.transfer(session, batch, RECEIPT, receiver)
    with pytest.raises(ActionRefused, match="wrong"):
        station.engine.transfer(session, batch, RECEIPT, Credentials("oscar", "not-his"))
    assert _custody(station, batch) == []
    assert len(_refusals(station, batch)) == 4


def test_the_receiver_signs_received_bound_to_the_transfer(station: Station) -> None:
    session = station.login("olivia")
    batch = start_ordered(station.engine, session, "car-t-autologous", CONTEXT)
    sig = station.engine.transfer(session, batch, RECEIPT, station.creds("oscar"))
    (payload,) = _custody(station, batch)
    assert sig.meaning == "received"
    assert payload["to"] == "Oscar Lindqvist"
    assert payload["from"] == "Courier (BioLogistics)"
    assert payload["location"] == "Goods receipt"
    assert payload["condition"] == {"seal_intact": True, "logger": "-182 °C", "note": None}
    assert signature_problem(payload, batch) is None
    # the signature does not carry over to another batch or an edited transfer
    assert signature_problem(payload, "B-OTHER") is not None
    assert signature_problem({**payload, "location": "Elsewhere"}, batch) is not None
    entries = timeline(station.store.events(batch=batch))
    assert [e.kind for e in entries] == ["received from the courier"]
    assert "Oscar Lindqvist (oscar), received" in entries[0].signed


def test_the_giver_cannot_receive_from_herself(station: Station) -> None:
    session = station.login("olivia")
    batch = start_ordered(station.engine, session, "car-t-autologous", CONTEXT)
    room = Transfer("room", "Receipt -> CR2", True)
    with pytest.raises(ActionRefused, match="different person"):
        station.engine.transfer(session, batch, room, station.creds("olivia"))
    station.engine.transfer(session, batch, room, station.creds("oscar"))
    (payload,) = _custody(station, batch)
    assert payload["from"] == "Olivia Okafor"


def test_shipping_needs_shipper_logger_courier_and_waybill(station: Station) -> None:
    session = station.login("olivia")
    batch = start_ordered(station.engine, session, "car-t-autologous", CONTEXT)
    assert SHIP.shipment is not None
    for field in ("shipper", "logger", "courier", "awb"):
        broken = replace(SHIP, shipment=replace(SHIP.shipment, **{field: " "}))
        with pytest.raises(ActionRefused, match=f"shipment.{field}"):
            station.engine.transfer(session, batch, broken, station.creds("oscar"))
    with pytest.raises(ActionRefused, match="shipment"):
        station.engine.transfer(
            session, batch, replace(SHIP, shipment=None), station.creds("oscar")
        )
    station.engine.transfer(session, batch, SHIP, station.creds("oscar"))
    (payload,) = _custody(station, batch)
    assert payload["shipment"] == {
        "shipper": "DS-1",
        "logger": "LOG-1",
        "courier": "BioLogistics",
        "awb": "7781-3310",
    }


def test_a_broken_seal_holds_the_batch(station: Station) -> None:
    session = station.login("olivia")
    batch = start_ordered(station.engine, session, "car-t-autologous", CONTEXT)
    station.engine.transfer(
        session, batch, replace(RECEIPT, seal_intact=False), station.creds("oscar")
    )
    view = station.engine.view(batch)
    assert view.state == "on_hold"
    held = station.engine.batch(batch).open_exceptions()
    assert any("seal is not intact" in e.message for e in held)
    assert len(_custody(station, batch)) == 1


@given(
    st.dictionaries(
        st.sampled_from(["kind", "from", "to", "location", "condition", "shipment"]),
        st.text(max_size=20),
        min_size=1,
    ),
    st.text(min_size=1, max_size=10),
)
def test_any_change_to_a_signed_field_breaks_the_binding(
    changed: dict[str, str], batch: str
) -> None:
    base = {
        "kind": "room",
        "from": "A",
        "to": "B",
        "location": "L",
        "condition": {"seal_intact": True},
        "shipment": None,
    }
    edited = {**base, **changed}
    same = all(base[k] == v for k, v in changed.items())
    assert (signed_content(base, batch) == signed_content(edited, batch)) == same


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "kind": JSON,
            "from": JSON,
            "to": JSON,
            "location": JSON,
            "condition": JSON,
            "shipment": JSON,
            "signature": JSON
            | st.fixed_dictionaries(
                {"meaning": st.sampled_from(["received", "verified"]), "name": JSON}
            ),
        },
    ),
    st.none() | st.text(max_size=8),
)
def test_the_servers_check_answers_any_payload_in_words(
    payload: dict[str, object], batch: str | None
) -> None:
    """What a station pushes is untrusted: any payload without a signature bound to it is
    refused with a sentence, never an error (the bound case: the tests above)."""
    problem = signature_problem(payload, batch)
    assert isinstance(problem, str)
    assert problem
