"""A supervisor opens a deviation from a review item at the station (the review screen's
"Open deviation", ``Engine.open_deviation``); the item shows it and the release waits for it."""

from __future__ import annotations

import pytest

from kiosk.screens.autopilot import settle
from tests.gui.conftest import BAG, CAR_T_CONTEXT, COI, OTHER_BAG, PASSWORDS, Rig

pytestmark = pytest.mark.gui


def test_a_supervisor_opens_a_deviation_from_the_wrong_bag(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    rig.login("olivia")
    batch = p.start("car-t-autologous", CAR_T_CONTEXT, din=BAG)
    p.witness("oscar", PASSWORDS["oscar"])
    p.scan(COI)
    p.check("pass")
    p.type_number("-160")
    p.click("entry-record")
    p.witness("oscar", PASSWORDS["oscar"])
    p.sign("sam", PASSWORDS["sam"])
    p.scan(OTHER_BAG)  # the wrong bag: a blocking identity exception
    p.acknowledge("sam", PASSWORDS["sam"], "Wrong bag returned to quarantine and reported")
    assert not w.home.role_buttons["review"].isVisible() or w.current() is not w.home
    p.logout()
    rig.login("sam")
    assert w.home.role_buttons["review"].isVisible()  # supervisors see the review items
    w.open_review(batch)
    settle()
    assert w.current() is w.review
    assert "PT-" in " ".join(w.review.banner.values.values())  # the patient stays in view
    p.answer("deviation", classification="major", description="Wrong bag scanned at isolation")
    p.click("review-deviation")
    text, kind = p.message()
    assert kind == "ok", text
    (ident,) = rig.kiosk.engine.batch(batch).deviations
    assert text == f"Deviation {ident} opened"
    cards = [c.text() for c in w.review.findChildren(type(w.review.title), "review-item")]
    assert any(f"Deviation {ident} (major, open)" in c and "A999917123654" in c for c in cards)
    (opened,) = rig.events("deviation.opened")
    assert opened.actor == "u:sam"  # type: ignore[attr-defined]
    assert opened.payload["description"] == "Wrong bag scanned at isolation"  # type: ignore[attr-defined]
