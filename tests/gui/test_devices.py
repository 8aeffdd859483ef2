"""Devices through the bridge: signals from worker threads, an unplugged balance, the wedge."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, Qt, QThread
from PySide6.QtGui import QKeyEvent

from kiosk.config import Wedge
from kiosk.screens.bridge import DeviceBridge
from kiosk.screens.wedge_filter import WedgeFilter, make_detector
from tests.gui.conftest import BALANCE, PASSWORDS, Rig

pytestmark = pytest.mark.gui


def _to_weigh_step(rig: Rig) -> None:
    p = rig.pilot
    rig.login("olivia")
    p.start("training", {"trainee": "T"})
    p.confirm()
    p.scan("=G12341765432170")
    p.check("pass")
    p.type_number("100.0")
    p.click("entry-record")
    p.expect(key="measure.dispensed")


@pytest.mark.gui
def test_balance_unplugged_mid_step_shows_a_message_and_records_nothing(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    _to_weigh_step(rig)
    p = rig.pilot
    p.weight(99.8, stable=True, device=BALANCE)
    record = rig.window.step.panel.record  # type: ignore[union-attr]
    assert record.isEnabled()
    recorded = len(rig.events("step.recorded"))
    with qtbot.waitSignal(rig.kiosk.bridge.error, timeout=2000):
        worker = threading.Thread(
            target=rig.kiosk.bridge.on_error, args=("balance unplugged", BALANCE)
        )
        worker.start()
        worker.join()
    text, kind = p.message()
    assert kind == "refused"
    assert "balance unplugged" in text
    assert not record.isEnabled()
    record.click()  # disabled: nothing happens
    assert len(rig.events("step.recorded")) == recorded
    p.expect(key="measure.dispensed", waiting=None)
    p.weigh(99.8, device=BALANCE)  # a fresh reading after the balance is back
    p.expect(waiting="witness")
    rig.prompts.answer("witness", user="oscar", password=PASSWORDS["oscar"])
    p.click("pending-witness")


@pytest.mark.gui
def test_bridge_delivers_on_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    bridge = DeviceBridge()
    seen: list[tuple[str, bool]] = []
    bridge.code.connect(
        lambda text, _src: seen.append((text, QThread.currentThread() is bridge.thread()))
    )
    worker = threading.Thread(target=bridge.on_code, args=("=G12341765432170", "scanner"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen == [("=G12341765432170", True)]
    bridge.on_status("BAL-7", False, "no answer")
    assert bridge.health() == [("BAL-7", "fault: no answer")]
    bridge.deleteLater()


@pytest.mark.gui
def test_scan_by_wedge_reaches_the_step(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig.login("olivia")
    rig.pilot.start("training", {"trainee": "T"})
    rig.pilot.confirm()
    wedge = WedgeFilter(rig.kiosk.bridge, make_detector())
    with qtbot.waitSignal(rig.kiosk.bridge.code, timeout=2000):
        for i, ch in enumerate("=G12341765432170\r"):
            key = Qt.Key.Key_Return if ch == "\r" else Qt.Key.Key_A
            event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
            event.setTimestamp(1000 + i * 8)  # 8 ms apart: a scanner, not a person
            assert wedge.eventFilter(rig.window, event)
    qtbot.waitUntil(lambda: rig.view().key == "start.area_clean", timeout=2000)
    wedge.stop()
    wedge.deleteLater()


@pytest.mark.gui
def test_wedge_detector_ignores_a_person_typing() -> None:
    detector = make_detector()
    typed = [e for i, ch in enumerate("G1234567\r") for e in detector.feed(ch, i * 200)]
    assert not [e for e in typed if e.kind == "scan"]
    scanned = [e for i, ch in enumerate("G1234567\r") for e in detector.feed(ch, 10_000 + i * 5)]
    assert [e.text for e in scanned if e.kind == "scan"] == ["G1234567"]


def _type_burst(qtbot, wedge: WedgeFilter, text: str, gap_ms: int, stamp0: int) -> None:  # type: ignore[no-untyped-def]
    """Keys as a scanner types them: `gap_ms` apart on the event clock AND in real time,
    so the filter's flush timer runs in the middle of the burst."""
    for i, ch in enumerate(text):
        key = Qt.Key.Key_Return if ch == "\r" else Qt.Key.Key_A
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
        event.setTimestamp(stamp0 + i * gap_ms)  # the window system's clock, not ours
        assert wedge.eventFilter(wedge, event)
        qtbot.wait(gap_ms)


@pytest.mark.gui
@pytest.mark.parametrize("gap_ms", [5, 20])
def test_a_wedge_scanner_typing_5_to_20_ms_apart_completes_the_scan_step(
    rig: Rig, qtbot, gap_ms: int
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: a burst 5 ms apart was cut in two by the flush timer and dropped."""
    rig.login("olivia")
    rig.pilot.start("training", {"trainee": "T"})
    rig.pilot.confirm()
    wedge = WedgeFilter(rig.kiosk.bridge, make_detector(Wedge()))
    try:
        _type_burst(qtbot, wedge, "=G12341765432170\r", gap_ms, stamp0=987_654_321)
        qtbot.waitUntil(lambda: rig.view().key == "start.area_clean", timeout=3000)
        assert wedge.ignored == []
    finally:
        wedge.stop()
        wedge.deleteLater()


@pytest.mark.gui
def test_an_ignored_wedge_burst_is_said_on_screen_with_the_reason(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    rig.login("olivia")
    rig.pilot.start("training", {"trainee": "T"})
    rig.pilot.confirm()
    wedge = WedgeFilter(rig.kiosk.bridge, make_detector(Wedge(max_gap_ms=40)))
    try:
        _type_burst(qtbot, wedge, "=G12341765432170", 5, stamp0=1000)  # no Enter at the end
        message = rig.window.message
        qtbot.waitUntil(lambda: "Scanner input ignored" in message.text(), timeout=3000)
        assert "16 keys came fast but no Enter came within 40 ms" in message.text()
        assert "wedge.terminator" in message.full_text  # the bar ends in "…" on two lines
        assert rig.view().key == "start.bag_scan"  # nothing recorded
    finally:
        wedge.stop()
        wedge.deleteLater()
