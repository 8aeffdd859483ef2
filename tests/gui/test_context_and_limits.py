"""Issue 16: limits before entry and unmistakable results; context before credentials;
the start form says what is wrong at once; a hold says who, when and why."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.screens.config import PANEL_10, PANEL_XGA, Metrics
from kiosk.screens.dialogs import DialogPrompts, SignRequest
from kiosk.screens.layoutcheck import check_layout, in_view
from tests.gui.conftest import Rig

pytestmark = pytest.mark.gui


def _to_target_volume(rig: Rig) -> None:
    p = rig.pilot
    rig.login("olivia")
    p.start("training", {"trainee": "Olivia Okafor"})
    p.confirm()
    p.scan_keyed("W000009123456G")
    p.check("na", comment="Training room, no clean area")
    p.expect(key="measure.target_volume")


def test_limits_are_shown_before_entry_and_outside_them_is_confirmed_then_red(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    _to_target_volume(rig)
    limits = w.step.findChild(QLabel, "entry-limits")
    assert limits is not None
    assert limits.isVisible()
    assert "Alert limits 50–150 mL" in limits.text()
    assert "Action limits 10–250 mL" in limits.text()

    p.type_number("300")
    rig.prompts.cancel("confirm")  # the operator says no: nothing is recorded
    p.click("entry-record")
    assert rig.prompts.asked[-1].kind == "confirm"
    assert "above the action limit 250 mL" in rig.prompts.asked[-1].lines[0]
    p.expect(key="measure.target_volume", state="in_progress")

    p.type_number("300")
    rig.prompts.answer("confirm")
    p.click("entry-record")
    p.expect(state="on_hold")
    text, kind = p.message()
    assert kind == "refused"  # red, never the green "Recorded"
    assert text == "Recorded — batch on hold: Target volume 300 mL is above the action limit 250 mL"


def test_a_manual_hold_shows_reason_who_and_when_in_red(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    _to_target_volume(rig)
    rig.prompts.answer("text", value="Balance out of calibration")
    p.click("bar-hold")
    assert p.message() == ("Batch on hold: Balance out of calibration", "refused")
    reason = w.step.findChild(QLabel, "hold-reason")
    assert reason is not None
    assert reason.text().startswith("Held by Olivia Okafor, 2026-11-27")
    assert reason.text().endswith(": Balance out of calibration")


def test_the_start_form_refuses_250_kg_when_the_field_is_left(rig: Rig) -> None:
    p, w = rig.pilot, rig.window
    rig.login("olivia")
    p.click("home-start")
    p.click("recipe-car-t-autologous")
    p.click("start-typed")  # the order typed by hand (a supervisor signs at Start)
    form = w.start.form
    form.slot_buttons["patient_weight"].click()
    form.num_pad.type_text("250")
    form.num_pad.press("ok")
    assert form.is_typing()  # still on the weight: 250 is not a patient weight
    assert "outside 3–200 kg" in form.typing_problem.text()
    form.num_pad.press("clear")
    form.num_pad.type_text("70")
    form.num_pad.press("ok")
    form.show_summary()
    form.submit()  # every missing field at once, not one at a time
    problems = form.problem.text().splitlines()
    assert "Patient ID is needed" in problems
    assert "Order ID is needed" in problems
    form.fill({"patient_id": "PT-1"})
    assert "Patient ID is needed" not in form.problem.text()  # never a stale problem


def test_the_witness_dialog_shows_what_first_and_refuses_the_performer_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(PANEL_10.width_px, PANEL_10.height_px)
    names = {"olivia": "Olivia Okafor", "oscar": "Oscar Lindqvist"}
    prompts = DialogPrompts(
        names.get,
        lambda: datetime(2026, 11, 27, tzinfo=UTC),
        Metrics.for_panel(PANEL_10),
        lambda: host,
    )
    request = SignRequest(
        "witnessed", "Weigh the water", "99.8 g", "a different person", "B-1", not_by="olivia"
    )
    dialog = prompts.build(
        "Witness", prompts._manifest(request), prompts._signer_slots("olivia"), "Witness"
    )
    form = dialog.form
    form.show_summary()
    assert any("Weigh the water = 99.8 g" in lab.text() for lab in form.line_labels)
    form.slot_buttons["user"].click()
    form.text_pad.type_text("olivia")
    form.text_pad.press("ok")  # refused before any password is typed
    assert "Olivia Okafor performed this step" in form.typing_problem.text()
    assert form.active is form.slots[0]
    form.text_pad.press("clear")
    form.text_pad.type_text("oscar")
    form.text_pad.press("ok")
    assert form.active is form.slots[1]
    assert "Oscar Lindqvist" in form.typing_label.text()  # the password page names the user
    dialog.deleteLater()


def test_correct_lists_step_titles_and_values(rig: Rig) -> None:
    p = rig.pilot
    _to_target_volume(rig)
    p.type_number("100.0")
    p.click("entry-record")
    rig.prompts.answer("pick-correction", step="Target volume = 100 mL")
    rig.prompts.answer("correction", value="120", reason="Typed the wrong volume")
    p.click("bar-correct")
    assert rig.prompts.asked[-1].title.startswith("Correct: Target volume = 100 mL")
    assert p.message() == ("Corrected: old and new value are both in the record", "ok")


def test_a_badge_shows_its_owner_before_the_password(rig: Rig) -> None:
    w = rig.window
    rig.pilot.scan("0420001")  # Olivia Okafor's demo badge
    form = w.login.form
    assert form.is_typing()
    assert form.active is form.slots[1]  # the password is asked…
    assert "Olivia Okafor (olivia)" in form.typing_label.text()  # …naming whose it is


def test_a_refused_login_says_so_once(rig: Rig) -> None:
    from kiosk.screens.autopilot import AutopilotError

    with pytest.raises(AutopilotError):
        rig.pilot.login("olivia", "wrong-password")
    wrong = "user ID or password wrong"
    shown = [
        lab.objectName()
        for lab in rig.window.findChildren(QLabel)
        if lab.isVisible() and wrong in getattr(lab, "full_text", lab.text())
    ]
    assert len(shown) == 1, shown


def test_at_1280_every_stage_is_named(rig: Rig) -> None:
    _to_target_volume(rig)
    stages = rig.window.step.findChild(QLabel, "step-all-stages")
    assert stages is not None
    assert stages.isVisible()
    assert "✓ 1 Getting started" in stages.text()
    assert "▶ 2 Measuring" in stages.text()
    assert "· 3 Finishing" in stages.text()
    assert not rig.window.step.stages.isVisible()  # the column of numbers gives way


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen plugin, on a frameless dialog
@pytest.mark.parametrize("panel", [PANEL_10, PANEL_XGA], ids=["1280x800", "1024x768"])
def test_what_is_signed_stays_in_view_while_the_user_id_is_typed(qtbot, panel) -> None:  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(panel.width_px, panel.height_px)
    m = Metrics.for_panel(panel)
    prompts = DialogPrompts(
        {"oscar": "Oscar Lindqvist"}.get,
        lambda: datetime(2026, 11, 27, tzinfo=UTC),
        m,
        lambda: host,
    )
    request = SignRequest("witnessed", "Weigh the water", "99.8 g", "a different person", "B-1")
    dialog = prompts.build(
        "Witness",
        prompts._manifest(request),
        prompts._signer_slots(),
        "Witness",
        prompts._context(request),
    )
    host.show()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.form.show_summary()
    dialog.form.slot_buttons["user"].click()  # the full keyboard opens for the User ID
    dialog.form.text_pad.type_text("osc")
    qtbot.wait(10)
    shown = [lab.text() for lab in dialog.findChildren(QLabel) if in_view(lab, dialog)]
    assert "Signs: Weigh the water" in shown
    assert "Value: 99.8 g" in shown
    assert "Meaning: witnessed" in shown
    assert dialog.form.text_pad.keys["q"].height() >= m.key - 1  # keys keep their 20 mm
    assert check_layout("witness typing", dialog, m) == []
    dialog.form.text_pad.press("ok")  # on to the password: still in view
    assert "Meaning: witnessed" in [
        lab.text() for lab in dialog.findChildren(QLabel) if in_view(lab, dialog)
    ]
    dialog.deleteLater()


@pytest.mark.parametrize("language", ["English", "Deutsch"])
def test_at_1280x800_the_weighing_steps_instruction_is_shown_whole(rig: Rig, language) -> None:  # type: ignore[no-untyped-def]
    """With the longest banner the instruction was cut in half inside its scroll area (German:
    hidden); now it is whole beside the target, the reading and which balance gives it."""
    from kiosk.screens.autopilot import settle
    from kiosk.screens.demo import LONG_TRAINEE

    p, w = rig.pilot, rig.window
    try:
        w.login.form.show_summary()
        w.login.form.choice_buttons["language"][language].click()
        settle()
        rig.login("olivia")
        p.start("training", {"trainee": LONG_TRAINEE})
        p.confirm()
        p.scan_keyed("W000009123456G")
        p.check("na", comment="Training room, no clean area")
        p.type_number("100.0")
        p.click("entry-record")
        p.weight(97.4, stable=False)
        p.expect(key="measure.dispensed")
        settle()
        for name in ("step-title", "step-instruction", "weigh-earlier", "weigh-value"):
            widget = w.step.findChild(QWidget, name)
            assert widget is not None, name
            assert in_view(widget, w), f"{name} is not shown whole"
        balance = w.step.findChild(QLabel, "weigh-balance")
        assert balance is not None
        assert in_view(balance, w)
        assert balance.text().endswith("B207696838")
        m = Metrics.for_panel(PANEL_10)
        assert check_layout("weighing", w, m) == []
    finally:
        from kiosk.screens import i18n

        i18n.set_language("en")
