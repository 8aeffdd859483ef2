"""The camera on the scan step: the live preview and codes read by the camera."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from kiosk.app import DEMO_LABELS, start_camera
from kiosk.config import StationConfig
from kiosk.devices.decode import Code, accept
from kiosk.screens.step import ScanPanel
from kiosk.screens.widgets import PREVIEW_MM, read_in_words
from tests.gui.conftest import BAG, OTHER_BAG, Rig

pytestmark = pytest.mark.gui


def _to_scan_step(rig: Rig) -> ScanPanel:
    rig.login("olivia")
    rig.pilot.start("training", {"trainee": "T"})
    rig.pilot.confirm()
    panel = rig.window.step.panel
    assert isinstance(panel, ScanPanel)
    return panel


def _from_worker(fn, *args) -> None:  # type: ignore[no-untyped-def]
    worker = threading.Thread(target=fn, args=args)
    worker.start()
    worker.join()


@pytest.mark.gui
def test_camera_frames_show_in_the_preview_and_a_camera_code_reaches_the_step(
    rig: Rig, qtbot
) -> None:  # type: ignore[no-untyped-def]
    panel = _to_scan_step(rig)
    preview = panel.preview
    assert not preview.isVisible()  # no camera started: no empty box
    assert preview.pixmap().isNull()
    bridge = rig.kiosk.bridge
    bgr = np.zeros((480, 640, 3), np.uint8)
    bgr[:, :, 2] = 200  # red in BGR
    with qtbot.waitSignal(bridge.frame, timeout=2000):
        _from_worker(bridge.on_frame, bgr)
    qtbot.waitUntil(lambda: preview.frames == 1, timeout=2000)
    m = rig.window.station.metrics
    box = (m.mm(PREVIEW_MM[0]), m.mm(PREVIEW_MM[1]))
    pixmap = preview.pixmap()
    assert not pixmap.isNull()
    assert (pixmap.width(), pixmap.height()) == box
    assert (preview.width(), preview.height()) == box
    assert preview.isVisible()
    centre = pixmap.toImage().pixelColor(box[0] // 2, box[1] // 2)
    assert (centre.red(), centre.green(), centre.blue()) == (200, 0, 0)

    gray = np.full((300, 200), 90, np.uint8)  # a gray camera, portrait: letterboxed
    bridge.on_frame(gray)
    assert preview.frames == 2
    assert preview.pixmap().size() == pixmap.size()
    bridge.on_frame(b"not a picture")  # ignored, the last picture stays
    assert preview.frames == 2

    _from_worker(rig.kiosk.bridge.on_code, BAG, "camera")
    qtbot.waitUntil(lambda: rig.view().key == "start.area_clean", timeout=2000)


@pytest.mark.gui
def test_frames_arriving_while_one_is_on_its_way_are_dropped(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = _to_scan_step(rig)
    bridge = rig.kiosk.bridge
    frame = np.zeros((60, 80, 3), np.uint8)

    def burst() -> None:
        for _ in range(50):
            bridge.on_frame(frame)

    _from_worker(burst)  # the UI thread is busy here: none of them was delivered yet
    assert bridge.frames_dropped == 49
    qtbot.waitUntil(lambda: panel.preview.frames == 1, timeout=2000)
    _from_worker(bridge.on_frame, frame)  # delivered: the next one goes through
    qtbot.waitUntil(lambda: panel.preview.frames == 2, timeout=2000)
    assert bridge.frames_dropped == 49


@pytest.mark.gui
@pytest.mark.skipif(not (DEMO_LABELS / "din_code128.png").exists(), reason="no label pictures")
def test_the_demo_camera_reads_the_bag_label_into_the_scan_step(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = _to_scan_step(rig)
    camera = start_camera(StationConfig(), rig.kiosk, demo=True)
    assert camera is not None
    try:
        qtbot.waitUntil(lambda: panel.preview.frames > 0, timeout=5000)
        assert rig.kiosk.bridge.camera == "camera"
        qtbot.waitUntil(lambda: rig.view().key == "start.area_clean", timeout=10_000)
    finally:
        assert camera.stop()
    assert not camera.running
    scans = [e.payload for e in rig.kiosk.store.events(types=["step.recorded"])]
    assert [(p["step"], p["value"], p["keyed"]) for p in scans if p["kind"] == "scan"] == [
        ("start.bag_scan", "G123417654321", False)  # BAG, read by the camera
    ]


@pytest.mark.gui
def test_no_camera_configured_and_no_demo_starts_none(rig: Rig) -> None:
    assert start_camera(StationConfig(), rig.kiosk) is None
    assert rig.kiosk.bridge.camera == ""


@pytest.mark.gui
def test_camera_reads_away_from_a_scan_step_are_ignored(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A camera sees whatever passes in front of it: only a scan step listens to it."""
    rig.login("olivia")
    rig.pilot.start("training", {"trainee": "T"})
    assert rig.view().key == "start.welcome"  # an instruction, not a scan
    events_before = sum(1 for _ in rig.kiosk.store.events())
    rig.kiosk.bridge.on_code("=G12341765432170", "camera")
    qtbot.wait(100)
    assert rig.view().key == "start.welcome"
    assert sum(1 for _ in rig.kiosk.store.events()) == events_before  # nothing logged, no refusal


@pytest.mark.gui
@pytest.mark.skipif(not (DEMO_LABELS / "din_code128.png").exists(), reason="no label pictures")
def test_a_demo_camera_started_with_the_kiosk_completes_the_scan_step_alone(
    rig: Rig, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: the camera runs from the login screen on, as in `kiosk gui --demo`.

    It sees the bag's DIN long before a scan step is open (those reads are not
    used); once the operator reaches the scan step, the camera alone records it.
    """
    bridge = rig.kiosk.bridge
    reads: list[str] = []
    bridge.code.connect(lambda text, source: reads.append(f"{source}:{text}"))
    camera = start_camera(StationConfig(), rig.kiosk, demo=True)
    assert camera is not None
    try:
        qtbot.waitUntil(lambda: f"camera:{BAG}" in reads, timeout=15_000)  # on the login screen
        assert rig.events("step.recorded") == []
        rig.login("olivia")
        rig.pilot.start("training", {"trainee": "T"})
        rig.pilot.confirm()  # the scan step opens: nobody touches anything from here on
        qtbot.waitUntil(lambda: rig.view().key == "start.area_clean", timeout=15_000)
    finally:
        assert camera.stop()
    scans = [e.payload for e in rig.kiosk.store.events(types=["step.recorded"])]
    assert [(p["step"], p["value"], p["keyed"]) for p in scans if p["kind"] == "scan"] == [
        ("start.bag_scan", "G123417654321", False)
    ]


def _din_read(din: str = BAG) -> Code:
    code = Code(din, "Code128", "]C0", ((400, 300), (880, 300), (880, 420), (400, 420)))
    checked = accept(code)
    assert checked is not None
    return checked


@pytest.mark.gui
def test_the_preview_draws_a_box_round_each_read_and_says_what_it_is(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = _to_scan_step(rig)
    bridge = rig.kiosk.bridge
    _from_worker(bridge.on_frame, np.zeros((720, 1280, 3), np.uint8))  # a black picture
    qtbot.waitUntil(lambda: panel.preview.frames == 1, timeout=2000)
    before = panel.preview.pixmap().toImage()
    _from_worker(bridge.on_read, _din_read())
    qtbot.waitUntil(lambda: panel.preview.shown_words() == ["DIN G1234 17 654321"], timeout=2000)
    after = panel.preview.pixmap().toImage()
    preview = panel.preview
    # the box's top edge: frame (640, 300) → the letterboxed picture
    scale = preview.box.width() / 1280
    top = round((preview.box.height() - 720 * scale) / 2 + 300 * scale)
    x = preview.box.width() // 2
    hits = [after.pixelColor(x, y).green() > 150 for y in range(top - 2, top + 3)]
    assert any(hits)
    assert before.pixelColor(x, top).green() < 50
    _from_worker(bridge.on_frame, np.zeros((720, 1280, 3), np.uint8))  # the box stays a while
    qtbot.waitUntil(lambda: panel.preview.frames == 2, timeout=2000)
    assert panel.preview.shown_words() == ["DIN G1234 17 654321"]


@pytest.mark.gui
def test_a_read_is_told_against_the_batchs_own_bag() -> None:
    assert read_in_words(_din_read(), "G123417654321") == (
        "DIN G1234 17 654321 — this batch's bag",
        True,
    )
    assert read_in_words(_din_read(OTHER_BAG), "G123417654321") == (
        "DIN A9999 17 123654 — NOT this batch's bag (G1234 17 654321)",
        False,
    )
    assert read_in_words(_din_read(), None) == ("DIN G1234 17 654321", True)


@pytest.mark.gui
def test_other_labels_the_camera_sees_at_the_start_of_a_batch_are_not_taken_for_the_bag(
    rig: Rig, qtbot
) -> None:  # type: ignore[no-untyped-def]
    rig.login("olivia")
    home = rig.window.current()
    before = rig.window.message.text()
    rig.kiosk.bridge.on_code("EQ-BSC-0042", "camera")  # the equipment QR on the bench
    qtbot.wait(50)
    assert rig.window.current() is home
    assert rig.window.message.text() == before  # no refusal for what the camera merely saw
    rig.kiosk.bridge.on_code("EQ-BSC-0042", "scanner")  # a person scanned it: say why not
    qtbot.wait(50)
    assert rig.window.message.text().startswith("not a bag DIN")
    rig.kiosk.bridge.on_code(BAG, "camera")  # the bag: a batch is started with its DIN
    qtbot.waitUntil(lambda: rig.window.current() is not home, timeout=2000)
    start = rig.window.current()
    rig.kiosk.bridge.on_code("EQ-BSC-0042", "camera")  # then the camera sees the QR again
    qtbot.wait(50)
    assert start.din == BAG
