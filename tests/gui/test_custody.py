"""The custody screen on the real widgets: receive, hand over, ship, each signed by its receiver."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.screens.autopilot import settle
from tests.gui.conftest import PASSWORDS, Rig

pytestmark = pytest.mark.gui

CONTEXT = {
    "patient_id": "PT-0042",
    "order_id": "ORD-2026-0113",
    "patient_weight": "70.0",
    "collection_time": "2026-11-26 10:00",
    "shipment": "frozen",
}


def _entries(rig: Rig) -> list[str]:
    return [
        w.text()
        for w in rig.window.custody.findChildren(QLabel, "custody-entry")
        if w.isVisibleTo(rig.window)
    ]


def _custody(rig: Rig) -> list[dict[str, object]]:
    return [e.payload for e in rig.kiosk.store.events(types=["custody.handover"])]  # type: ignore[attr-defined]


def _open(rig: Rig) -> str:
    rig.login("olivia")
    batch = rig.pilot.start("car-t-autologous", CONTEXT)
    rig.pilot.click("step-custody")
    assert rig.window.current() is rig.window.custody
    assert rig.window.custody.banner.values["Patient"] == "PT-0042"
    assert rig.window.custody.findChild(QLabel, "custody-none").isVisibleTo(rig.window)
    return batch


def test_receipt_needs_the_receivers_signature(rig: Rig) -> None:
    _open(rig)
    receipt = {
        "giver": "BioLogistics, Colin Reyes",
        "location": "Goods receipt",
        "logger": "-182 °C",
        "seal": "intact",
    }
    rig.prompts.answer("custody-receive", **receipt)
    rig.prompts.cancel("signature")
    rig.pilot.click("custody-receive")
    assert "receiver's signature" in rig.pilot.message()[0]
    assert _custody(rig) == []
    rig.prompts.answer("custody-receive", **receipt)
    rig.prompts.answer("signature", user="oscar", password="wrong-password")
    rig.pilot.click("custody-receive")
    assert "wrong" in rig.pilot.message()[0]
    assert _custody(rig) == []
    rig.prompts.answer("custody-receive", **receipt)
    rig.prompts.answer("signature", user="oscar", password=PASSWORDS["oscar"])
    rig.pilot.click("custody-receive")
    asked = rig.prompts.asked[-1]
    assert asked.kind == "signature"
    assert "Meaning: received" in asked.lines
    assert any("PT-0042" in line for line in asked.lines)
    (payload,) = _custody(rig)
    assert payload["to"] == "Oscar Lindqvist"
    assert payload["from"] == "BioLogistics, Colin Reyes"
    settle()
    (entry,) = _entries(rig)
    assert "received from the courier" in entry
    assert "Oscar Lindqvist (oscar), received" in entry
    assert "seal intact; logger -182 °C" in entry


def test_hand_over_and_ship_then_back_to_the_batch(rig: Rig) -> None:
    batch = _open(rig)
    rig.prompts.answer(
        "custody-hand-over", transfer="into storage", location="LN2 tank 3", seal="intact"
    )
    rig.prompts.answer("signature", user="olivia", password=PASSWORDS["olivia"])
    rig.pilot.click("custody-hand-over")
    assert "different person" in rig.pilot.message()[0]
    rig.prompts.answer(
        "custody-hand-over", transfer="into storage", location="LN2 tank 3", seal="intact"
    )
    rig.prompts.answer("signature", user="tess", password=PASSWORDS["tess"])
    rig.pilot.click("custody-hand-over")
    rig.prompts.answer(
        "custody-ship",
        shipper="DS-0042",
        logger_id="LOG-7781",
        logger="-190 °C",
        courier="BioLogistics",
        awb="7781-3310",
        location="Dispatch",
        seal="not intact",
    )
    rig.prompts.answer("signature", user="oscar", password=PASSWORDS["oscar"])
    rig.pilot.click("custody-ship")
    kinds = [(p["kind"], p["to"]) for p in _custody(rig)]
    assert kinds == [("storage_in", "Tess Varga"), ("ship", "Oscar Lindqvist")]
    settle()
    entries = _entries(rig)
    assert "into storage" in entries[0]
    assert "Olivia Okafor → Tess Varga" in entries[0]
    assert "AWB 7781-3310" in entries[1]
    assert "SEAL NOT INTACT" in entries[1]
    assert rig.kiosk.engine.view(batch).state == "on_hold"  # a broken seal holds the batch
    rig.pilot.click("custody-back")
    assert rig.window.current() is rig.window.step
    assert rig.window.step.batch == batch
