"""The inactivity lock (simulated clock + the lock timer), every dialog through its real keys,
feedback colours and sounds, and the leak checks themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QWidget

from kiosk.engine import Credentials
from kiosk.screens.autopilot import ShowingPrompts
from kiosk.screens.config import PANEL_10, Metrics
from kiosk.screens.dialogs import SignRequest, ValueSpec
from kiosk.screens.tasks import make_timer
from kiosk.screens.widgets import Feedback
from tests.gui.conftest import PASSWORDS, Rig, find_leaks

pytestmark = pytest.mark.gui

NAMES = {"sam": "Samira Haddad", "oscar": "Oscar Lindqvist"}
REQUEST = SignRequest(
    "verified", "Vector volume to add", "2.5 mL", "a supervisor", "B-1", {"Patient": "PT-0042"}
)


@pytest.mark.gui
def test_inactivity_lock_and_unlock_by_the_same_user(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    w, p = rig.window, rig.pilot
    rig.login("olivia")
    p.start("training", {"trainee": "T"})
    assert w.idle_timer.isActive()
    assert w.idle_timer.interval() == 1000
    rig.clock.advance(timedelta(minutes=4))
    w.idle_timer.timeout.emit()
    assert w.current() is w.step  # 4 min idle: still open
    rig.clock.advance(timedelta(minutes=6))
    with qtbot.waitSignal(rig.kiosk.station.locked, timeout=3000):
        pass  # the lock timer's next tick (every second in tests) asks the policy
    assert w.current() is w.lock_screen
    assert rig.kiosk.station.session is not None
    assert rig.kiosk.station.session.locked
    assert rig.events("session.locked")
    form = w.lock_screen.form
    assert form is not None
    assert "Olivia Okafor" in form.slots[0].label
    form.fill({"password": "wrong-password"})
    form.submit()
    qtbot.waitUntil(lambda: not w.lock_screen.busy)
    assert w.current() is w.lock_screen
    assert "wrong" in form.problem.text()  # said once, under the field (issue 16)
    assert rig.kiosk.feedback.sounds[-1] == "refuse"
    form.fill({"password": PASSWORDS["olivia"]})
    form.submit()
    qtbot.waitUntil(lambda: w.current() is w.step)
    p.confirm()  # work goes on where it was
    p.expect(key="start.bag_scan")


@pytest.mark.gui
def test_another_user_logs_in_at_the_lock_screen(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    w, p = rig.window, rig.pilot
    rig.login("olivia")
    p.start("training", {"trainee": "T"})
    p.click("bar-lock")
    assert w.current() is w.lock_screen
    assert w.lock_screen.form is not None
    w.lock_screen.form.cancelled.emit()  # "Another user"
    assert w.current() is w.login
    assert rig.kiosk.station.session is None
    rig.login("oscar")
    assert w.current() is w.step  # back at the batch, now as Oscar
    p.confirm()
    last = list(rig.kiosk.store.events(types=["step.recorded"]))[-1]
    assert last.actor == "u:oscar"


@pytest.mark.gui
def test_every_dialog_through_its_keys(qtbot) -> None:  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(PANEL_10.width_px, PANEL_10.height_px)
    pictured: list[str] = []
    now = datetime(2026, 11, 27, 9, tzinfo=UTC)
    prompts = ShowingPrompts(
        NAMES.get,
        lambda: now,
        Metrics.for_panel(PANEL_10),
        lambda: host,
        lambda name, _w: pictured.append(name),
    )
    prompts.answer("signature", user="sam", password="sup-samira-2026")
    assert prompts.sign(REQUEST) == Credentials("sam", "sup-samira-2026")
    prompts.answer("witness", user="oscar", password="op-oscar-2026")
    assert prompts.witness(REQUEST) == Credentials("oscar", "op-oscar-2026")
    prompts.answer("acknowledge", reason="Deviation opened", user="sam", password="sup-samira-2026")
    assert prompts.acknowledge("wrong bag", REQUEST) == (
        Credentials("sam", "sup-samira-2026"),
        "Deviation opened",
    )
    prompts.answer(
        "override", value="12.5", reason="Balance broken", user="sam", password="sup-samira-2026"
    )
    answer = prompts.override(REQUEST, ValueSpec("Weight", unit="g"))
    assert answer is not None
    assert answer.value == "12.5"
    assert answer.reason == "Balance broken"
    prompts.answer("correction", value="-161", reason="Misread the logger")
    assert prompts.correction("receipt.temp", "-160 degC", ValueSpec("New value")) == (
        "-161",
        "Misread the logger",
    )
    prompts.answer(
        "disposition",
        decision="deviation",
        reason="Investigated",
        reference="DEV-1",
        user="quinn",
        password="qa-quinn-2026",
    )
    disp = prompts.disposition("low viability", REQUEST)
    assert disp is not None
    assert disp.decision == "deviation"
    assert disp.reference == "DEV-1"
    prompts.answer("text", value="Seal torn, photo taken")
    assert (
        prompts.text("Why failed?", ValueSpec("Comment", kind="text")) == "Seal torn, photo taken"
    )
    prompts.answer("confirm")
    assert prompts.confirm("Sure?", "Really")
    prompts.queue.append(("signature", None))
    assert prompts.sign(REQUEST) is None
    assert "dialog-signature" in pictured
    assert "dialog-signature-typing" in pictured


@pytest.mark.gui
def test_signature_dialog_shows_the_printed_name_meaning_and_what(qtbot) -> None:  # type: ignore[no-untyped-def]
    from kiosk.screens.dialogs import DialogPrompts

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(1280, 800)
    prompts = DialogPrompts(
        NAMES.get,
        lambda: datetime(2026, 11, 27, tzinfo=UTC),
        Metrics.for_panel(PANEL_10),
        lambda: host,
    )
    dialog = prompts.build("Signature", prompts._manifest(REQUEST), prompts._signer_slots(), "Sign")
    dialog.show()
    form = dialog.form
    form.slot_buttons["user"].click()
    form.text_pad.type_text("sam")
    assert "Samira Haddad" in form.typing_note.text()
    form.show_summary()
    assert "Samira Haddad" in form.slot_buttons["user"].text()
    shown = " ".join(lab.text() for lab in form.line_labels)
    assert "Meaning: verified" in shown
    assert "Vector volume to add = 2.5 mL" in shown
    assert "PT-0042" in shown
    form.submit()  # password missing: asked for, not submitted
    assert dialog.result_values is None
    assert form.is_typing()
    form.text_pad.type_text("sup-samira-2026")
    form.text_pad.press("ok")
    form.submit()
    assert dialog.result_values == {"user": "sam", "password": "sup-samira-2026"}
    dialog.deleteLater()


@pytest.mark.gui
def test_feedback_colours_and_sounds(rig: Rig) -> None:
    fb = rig.kiosk.feedback
    fb.accept("Recorded")
    assert rig.pilot.message() == ("Recorded", "ok")
    fb.refuse("wrong bag")
    assert rig.pilot.message() == ("wrong bag", "refused")
    assert fb.sounds[-2:] == ["accept", "refuse"]


@pytest.mark.gui
def test_leak_checks_catch_widgets_and_timers(qapp) -> None:  # type: ignore[no-untyped-def]
    before = {id(w) for w in qapp.topLevelWidgets()}
    stray = QWidget()
    stray.setObjectName("stray")
    timer = make_timer(None, 1000, lambda: None, name="stray-timer")
    timer.start()
    leaks = find_leaks(before)
    assert any("stray" in leak for leak in leaks)
    assert any("stray-timer" in leak for leak in leaks)
    timer.stop()
    timer.deleteLater()
    stray.deleteLater()
    fb = Feedback(sound=False)
    fb.deleteLater()
    assert find_leaks(before) == []
