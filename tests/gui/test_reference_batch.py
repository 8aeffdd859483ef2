"""Reference batches through the real widgets: the training recipe end to end, and the CAR-T
recipe through receipt (witness, supervisor signature) with a simulated scanner and balance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QPushButton

from tests.gui.conftest import BAG, BALANCE, CAR_T_CONTEXT, COI, OTHER_BAG, PASSWORDS, Rig

pytestmark = pytest.mark.gui


@pytest.mark.gui
def test_training_batch_end_to_end(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    rig.login("olivia")
    assert w.current() is w.home
    batch = p.start("training", {"trainee": "Olivia Okafor"})
    assert rig.view().key == "start.welcome"
    assert w.step.banner.values["Trainee"] == "Olivia Okafor"

    p.confirm()
    p.expect(key="start.bag_scan")
    p.scan_keyed("W000009123456G")  # typed DIN with its check character
    p.expect(key="start.area_clean")
    assert w.step.banner.values["DIN"] == "W000009123456"

    p.check("na", comment="Training room, no clean area")
    p.expect(key="measure.target_volume")
    p.type_number("100.05")  # too many decimals: refused, nothing recorded
    p.click("entry-record")
    assert p.message()[1] == "refused"
    assert "decimal" in p.message()[0]
    p.type_number("100.0")
    p.click("entry-record")
    p.expect(key="measure.dispensed")
    assert p.message() == ("Recorded", "ok")

    p.weight(98.2, stable=False, device=BALANCE)
    assert not p.window.step.panel.record.isEnabled()  # type: ignore[union-attr]
    p.weight(99.8, stable=True, device=BALANCE)
    p.click("weigh-record")
    p.expect(key="measure.dispensed", waiting="witness")
    p.witness("olivia", PASSWORDS["olivia"])  # the performer cannot witness
    assert p.message()[1] == "refused"
    p.expect(waiting="witness")
    p.witness("oscar", PASSWORDS["oscar"])
    p.expect(key="measure.dispensed_volume")
    assert "Oscar Lindqvist" in p.message()[0]
    assert "witnessed" in p.message()[0]

    assert "99.8" in w.step.panel.findChildren(type(w.step.title), "calc-value")[0].text()
    p.confirm()
    p.expect(key="measure.settle")
    p.timer_start()
    rig.clock.advance(timedelta(seconds=20))
    # before the minimum, Stop cannot be pressed: the screen says when it can
    stop = [b for b in w.step.findChildren(QPushButton, "timer-stop") if b.isVisible()]
    assert len(stop) == 1
    assert not stop[0].isEnabled()
    assert "Minimum reached in" in w.step.panel.remaining.text()
    rig.clock.advance(timedelta(minutes=2))
    p.timer_stop()
    p.expect(key="finish.training_label")
    p.print_label()
    p.expect(key="finish.trainer_sign")
    p.sign("oscar", PASSWORDS["oscar"])  # an operator may not sign a supervisor's step
    assert p.message()[1] == "refused"
    p.sign("sam", PASSWORDS["sam"])
    p.expect(state="completed")
    assert "Samira Haddad" in p.message()[0]
    assert rig.kiosk.engine.batch(batch).records["measure.dispensed"].payload["device"] == BALANCE
    assert rig.kiosk.store.verify().ok


@pytest.mark.gui
def test_car_t_receipt_with_witness_and_supervisor_signature(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    rig.login("olivia")
    p.start("car-t-autologous", CAR_T_CONTEXT, din=BAG)  # the bag scanned on the home screen
    p.expect(key="receipt.bag_scan", waiting="witness")
    ids = w.step.banner.values
    assert ids["Patient"] == "PT-0042"
    assert ids["Order"] == "ORD-2026-0113"
    assert ids["DIN"] == "G123417654321"
    p.witness("oscar", PASSWORDS["oscar"])
    p.expect(key="receipt.coi_scan")
    p.scan(COI, source="camera")
    assert w.step.banner.values["CoI"] == "CHG123417654321"
    p.check("pass")
    p.expect(key="receipt.shipper_temp_frozen")
    assert not w.step.panel.pad.keys["."].isEnabled()  # type: ignore[union-attr]  # 0 decimals
    p.type_number("-1605")
    p.click("entry-record")
    assert p.message()[1] == "refused"
    assert "not possible" in p.message()[0]
    p.type_number("-160")
    p.click("entry-record")
    p.expect(waiting="witness")
    p.witness("oscar", PASSWORDS["oscar"])
    p.expect(key="receipt.receipt_verified")
    p.sign("oscar", PASSWORDS["oscar"])
    assert p.message()[1] == "refused"
    assert "role" in p.message()[0]
    p.sign("sam", PASSWORDS["sam"])
    p.expect(key="isolation.bag_check", state="in_progress")
    asked = [a.kind for a in rig.prompts.asked]
    assert asked.count("witness") == 2
    assert asked.count("signature") == 2
    sig = rig.prompts.asked[-1]
    assert any("Meaning: verified" in line for line in sig.lines)
    assert any("Receipt verified" in line for line in sig.lines)


@pytest.mark.gui
def test_wrong_bag_is_refused_with_both_identifiers_and_holds_the_batch(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    rig.login("olivia")
    p.start("car-t-autologous", CAR_T_CONTEXT, din=BAG)
    p.witness("oscar", PASSWORDS["oscar"])
    p.scan(COI)
    p.check("pass")
    p.type_number("-160")
    p.click("entry-record")
    p.witness("oscar", PASSWORDS["oscar"])
    p.sign("sam", PASSWORDS["sam"])
    p.expect(key="isolation.bag_check")
    sounds = len(rig.kiosk.feedback.sounds)
    p.scan(OTHER_BAG)
    text, kind = p.message()
    assert kind == "refused"
    assert "A999917123654" in text
    assert "G123417654321" in text
    assert rig.kiosk.feedback.sounds[sounds:] == ["refuse"]
    p.expect(state="on_hold")
    assert w.step.title.text() == "Batch on hold"
    card = w.step.panel.findChildren(type(w.step.title), "hold-exception")[0]
    assert "A999917123654" in card.text()
    assert "G123417654321" in card.text()
    p.scan(BAG)  # on hold: refused, nothing recorded
    assert "on hold" in p.message()[0]
    p.acknowledge("olivia", PASSWORDS["olivia"], "x")  # an operator may not acknowledge
    p.expect(state="on_hold")
    p.acknowledge("sam", PASSWORDS["sam"], "Wrong bag returned to quarantine and reported")
    p.expect(state="in_progress", key="isolation.bag_check")
    p.scan(BAG)
    p.expect(key="isolation.beads_lot")
