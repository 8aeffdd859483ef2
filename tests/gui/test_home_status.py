"""The home screen's station status: records not yet sent, and the sync line."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton

from kiosk.screens.layoutcheck import check_layout, in_view
from tests.gui.conftest import Rig

pytestmark = pytest.mark.gui


@pytest.mark.gui
def test_home_shows_unsent_records_and_the_sync_status(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    pending = {"n": 3}
    rig.kiosk.station.s.unsent = lambda: pending["n"]
    rig.login("olivia")
    home = rig.window.home
    assert rig.window.current() is home
    lines = home.status.text().splitlines()
    assert "Not yet sent: 3" in lines

    # The sync worker reports from its own thread; the home screen follows at once.
    pending["n"] = 0
    worker = threading.Thread(
        target=rig.kiosk.bridge.on_status, args=("sync", True, "online, not yet sent: 0")
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: "sync: ok: online, not yet sent: 0" in home.status.text(), timeout=2000)
    assert "Not yet sent: 0" in home.status.text().splitlines()

    rig.kiosk.bridge.on_status("sync", False, "offline, not yet sent: 5")
    assert "sync: fault: offline, not yet sent: 5" in home.status.text()


@pytest.mark.gui
def test_home_without_sync_says_unknown(rig: Rig) -> None:
    rig.login("olivia")
    assert "Not yet sent: unknown" in rig.window.home.status.text().splitlines()


@pytest.mark.gui
def test_home_at_1280x800_shows_more_than_one_batch_whole(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Three batches in progress and nothing waiting for the room: at least two rows are in
    view whole, not one and a sliver (the rows were three lines, under a waiting list with
    nothing in it)."""
    rig.login("olivia")
    session = rig.kiosk.station.session
    for n in range(3):
        rig.kiosk.engine.start_batch(session, "training", {"trainee": f"T{n}"}, batch_id=f"B-H{n}")
    home = rig.window.home
    home.refresh()
    qtbot.wait(50)  # laid out
    rows = [b for b in home.batch_list.findChildren(QPushButton) if b.isVisible()]
    assert len(rows) == 3
    viewport = home.batch_list.parentWidget()
    shown = viewport.rect()
    whole = [b for b in rows if shown.contains(QRect(b.mapTo(viewport, QPoint(0, 0)), b.size()))]
    assert len(whole) >= 2, f"{len(whole)} batch row(s) in view whole, {viewport.height()} px"
    assert all(rig.kiosk.station.metrics.mm(15) <= b.height() for b in rows)


@pytest.mark.gui
def test_at_1280x800_the_station_status_fits_and_one_tap_shows_every_line(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The status card was four lines in a box of two, cut inside its scroll area: now a
    two-line summary that fits, naming the device in fault; one tap shows every line whole."""
    bridge = rig.kiosk.bridge
    bridge.on_status("BAL-7 (B207696838)", True, "MT-SICS, checked today")
    bridge.on_status("SCAN-1", False, "serial port /dev/ttyUSB1 not found")
    bridge.on_status("sync", True, "online, not yet sent: 0")
    rig.kiosk.station.s.unsent = lambda: 0
    rig.login("olivia")
    window, home = rig.window, rig.window.home
    m = rig.kiosk.station.metrics
    qtbot.wait(20)  # laid out
    summary = home.status_summary
    assert in_view(summary, window)
    assert summary.text().splitlines()[0] == "GUI-1 · unsent: 0"
    assert summary.text().splitlines()[1].startswith("Fault: SCAN-1")
    assert check_layout("home", window, m) == []
    assert not in_view(home.status, window)  # the full card waits for the tap

    summary.click()
    qtbot.wait(20)
    assert in_view(home.status, window)  # every line, whole, without scrolling
    assert "SCAN-1: fault: serial port /dev/ttyUSB1 not found" in home.status.text()
    assert check_layout("home, status shown", window, m) == []
    summary.click()
    assert not home.status.isVisibleTo(window)
