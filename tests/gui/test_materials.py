"""The material step on the screen: what it needs, the refusal naming both materials, how old the
lot list from the server is (issue 12)."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.screens.i18n import set_language
from kiosk.sync import SyncState
from tests.gui.conftest import BAG, CAR_T_CONTEXT, COI, PASSWORDS, Rig

pytestmark = pytest.mark.gui

ACTIVATION = "]d2010843021501154617271231\x1d10ACT-77"  # the demo's activation reagent lot
BEADS = "]d2010843021501153917271231\x1d10BEADS-2411"


def to_beads(rig: Rig, language: str = "en") -> None:
    p = rig.pilot
    rig.login("olivia")
    assert set_language(language)  # after the login, which takes the user's own language
    p.start("car-t-autologous", CAR_T_CONTEXT, din=BAG)
    p.witness("oscar", PASSWORDS["oscar"])
    p.scan(COI)
    p.check("pass")
    p.type_number("-160")
    p.click("entry-record")
    p.witness("oscar", PASSWORDS["oscar"])
    p.sign("sam", PASSWORDS["sam"])
    p.scan(BAG)
    p.expect(key="isolation.beads_lot")


def text_of(rig: Rig, name: str) -> str:
    (found,) = rig.window.step.panel.findChildren(QLabel, name)
    return str(found.text())


@pytest.mark.gui
def test_another_material_is_refused_naming_both(rig: Rig) -> None:
    to_beads(rig)
    assert text_of(rig, "scan-needs") == "Needs CD4/CD8 microbeads, takes 7.5 mL"
    assert not rig.window.step.panel.findChildren(QLabel, "lots-age")  # no server: no list age
    rig.pilot.scan(ACTIVATION)
    text, kind = rig.pilot.message()
    assert kind == "refused"
    assert "scanned T-cell activation reagent, this step needs CD4/CD8 microbeads" in text
    rig.pilot.expect(key="isolation.beads_lot")
    rig.pilot.scan(BEADS)
    rig.pilot.expect(key="isolation.run_selection")
    (used,) = rig.events("material.used")
    assert used.payload["quantity"] == 7.5  # type: ignore[attr-defined]


def pulled_25_minutes_ago(rig: Rig) -> None:
    state = SyncState(SyncState.path_for(rig.kiosk.store.path))
    state.save_master("lots", [], 0)
    with sqlite3.connect(state.path) as conn:  # pulled 25 minutes before the rig's 07:00
        conn.execute("UPDATE master_version SET at = '2026-11-27T06:35:00.000Z'")
    conn.close()
    rig.kiosk.engine.masterdata.attach(state)


@pytest.mark.gui
def test_the_step_says_how_old_the_pulled_lot_list_is(rig: Rig) -> None:
    pulled_25_minutes_ago(rig)
    to_beads(rig)
    assert text_of(rig, "lots-age") == "Lot list from the server: 25 min old"


@pytest.mark.gui
def test_the_material_lines_in_german(rig: Rig) -> None:
    pulled_25_minutes_ago(rig)
    try:
        to_beads(rig, "de")
        assert text_of(rig, "lots-age") == "Chargenliste vom Server: 25 min alt"
        assert text_of(rig, "scan-needs") == "Benötigt: CD4/CD8 microbeads, entnimmt 7,5 mL"
    finally:
        set_language("en")


@pytest.mark.gui
def test_a_lot_typed_by_hand_needs_a_supervisor_and_is_used_like_a_scan(rig: Rig) -> None:
    from kiosk.screens.layoutcheck import check_layout

    to_beads(rig)
    p = rig.pilot
    # the typing button sits beside the scan, big enough for a glove, nothing clipped
    assert check_layout("beads", rig.window, rig.kiosk.station.metrics) == []
    batch = rig.window.step.batch
    p.scan_keyed("(01)08430215011538(10)BEADS-2411(17)271231", reason="Label creased")
    assert p.message() == ("GTIN check digit wrong — scan again or re-type", "refused")
    p.scan_keyed("(01)08430215011539(10)BEADS-2411(17)271231", reason="Label creased")
    assert p.message()[0] == "Lot accepted (exception raised for review)"
    state = rig.kiosk.engine.batch(batch)
    assert state.step_key == "isolation.run_selection"
    (typed,) = [x for x in state.exceptions.values() if x.category == "manual_entry"]
    assert typed.values["override_by"] == "sam"
    used = [e.payload for e in rig.kiosk.store.events(batch=batch) if e.type == "material.used"]
    assert [(u["lot"], u["quantity"]) for u in used] == [("BEADS-2411", 7.5)]
