"""The home screen's station status: records not yet sent, and the sync line."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton

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
