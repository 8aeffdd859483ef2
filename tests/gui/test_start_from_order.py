"""An operator starts a batch by choosing the patient's order; typing it needs a supervisor."""

from __future__ import annotations

from tests.gui.conftest import BAG, CAR_T_CONTEXT, OTHER_BAG, Rig


def test_choosing_the_order_starts_the_batch_with_its_identity(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    rig.login("olivia")
    batch = p.start("car-t-autologous", CAR_T_CONTEXT, din=BAG)
    state = rig.kiosk.engine.batch(batch)
    assert state.context["patient_id"] == "PT-0042"
    assert state.context["patient_weight"] == 70.0
    assert state.order is not None
    assert state.order["coi"] == "CHG123417654321"
    assert state.din == "G123417654321"  # the bag scanned at home is the order's collection
    assert w.current() is w.step
    # the order is taken: it is no longer offered for a second batch
    assert all(
        o.order_id != "ORD-2026-0113" for o in rig.kiosk.engine.open_orders("car-t-autologous")
    )


def test_a_bag_of_another_collection_is_refused_against_the_order(rig: Rig) -> None:
    p = rig.pilot
    rig.login("olivia")
    batch = p.start("car-t-autologous", CAR_T_CONTEXT)
    p.scan(OTHER_BAG)
    state = rig.kiosk.engine.batch(batch)
    assert state.din is None
    assert state.state == "on_hold"
    assert [e.category for e in state.exceptions.values()] == ["identity"]


def test_typing_the_order_needs_a_supervisor_and_is_an_exception(rig: Rig) -> None:
    p = rig.pilot
    rig.login("olivia")
    batch = p.start(
        "car-t-autologous",
        {**CAR_T_CONTEXT, "order_id": "ORD-TYPED-1"},
        supervisor=("sam", "sup-samira-2026", "Order system down; order on paper form 17"),
    )
    state = rig.kiosk.engine.batch(batch)
    (exc,) = state.exceptions.values()
    assert exc.category == "order"
    assert exc.values["signature"]["user"] == "sam"
    assert state.order is None


def test_the_operator_may_not_sign_for_a_typed_order(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    rig.login("olivia")
    p.click("home-start")
    p.click("recipe-car-t-autologous")
    p.click("start-typed")
    form = w.start.form
    assert form is not None
    form.fill({k: str(v) for k, v in {**CAR_T_CONTEXT, "order_id": "ORD-TYPED-2"}.items()})
    p.answer("override", reason="in a hurry", user="olivia", password="op-olivia-2026")
    form.submit()
    assert w.current() is w.start
    assert rig.kiosk.store.batches() == []


def test_the_coi_typed_by_hand_is_checked_like_a_scan_and_a_supervisor_signs(rig: Rig) -> None:
    p = rig.pilot
    rig.login("olivia")
    batch = p.start("car-t-autologous", CAR_T_CONTEXT, din=BAG)
    p.witness("oscar", "op-oscar-2026")
    engine = rig.kiosk.engine
    # one dialog: the code typed, the reason and the supervisor's user ID and password
    p.scan_keyed("CHG123417654321 C")  # a wrong check character
    assert p.message() == ("check character wrong — scan again or re-type", "refused")
    assert engine.batch(batch).coi is None
    # the operator cannot approve her own typing
    p.scan_keyed("CHG123417654321 A", supervisor=("olivia", "op-olivia-2026"))
    assert "cannot sign" in p.message()[0]
    assert engine.batch(batch).coi is None
    rig.prompts.queue.append(("override", None))  # the dialog cancelled: nothing recorded
    p.click("scan-keyed")
    assert engine.batch(batch).coi is None
    p.scan_keyed("CHG123417654321 A", reason="CoI barcode torn")
    state = engine.batch(batch)
    assert state.coi == "CHG123417654321"
    assert p.message()[0] == "CoI accepted (exception raised for review)"
    (typed,) = [x for x in state.exceptions.values() if x.category == "manual_entry"]
    assert typed.step == "receipt.coi_scan"
    assert typed.values["override_by"] == "sam"
    assert "CoI CHG123417654321 typed by hand, not scanned (CoI barcode torn)" in typed.message
