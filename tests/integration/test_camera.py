"""The camera worker on simulated cameras: reads delivered, repeats dropped, outages reported.

Real OpenCV capture of image files and a video file written for the test; the
decoder is the production Pipeline. Every test ends with the thread count back
where it started and no descriptor left open.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.devices.camera import CameraSimulator, CameraWorker, FrameSource, OpenCvCamera
from kiosk.devices.decode import Code, Frame, Pipeline
from kiosk.devices.errors import DeviceError
from tests.helpers import no_leaks as no_leaks_of_test

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests" / "data" / "labels"
DIN = "=G12341765432170"
OTHER_DIN = "=A99991712365400"
WAIT = 10.0


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    with no_leaks_of_test():
        yield


class Collector:
    def __init__(self) -> None:
        self.codes: queue.Queue[Code] = queue.Queue()
        self.errors: queue.Queue[DeviceError] = queue.Queue()
        self.frames: list[Frame] = []

    def code(self) -> Code:
        return self.codes.get(timeout=WAIT)

    def error(self) -> DeviceError:
        return self.errors.get(timeout=WAIT)

    def texts(self) -> list[str]:
        out = []
        while not self.codes.empty():
            out.append(self.codes.get_nowait().text)
        return out


def worker(source: object, collector: Collector, **options: object) -> CameraWorker:
    factory = source if callable(source) else (lambda: source)
    return CameraWorker(
        factory,  # type: ignore[arg-type]
        Pipeline(),
        on_code=collector.codes.put,
        on_error=collector.errors.put,
        **options,  # type: ignore[arg-type]
    )


def test_worker_on_the_simulator_delivers_each_label_and_ends_cleanly() -> None:
    start = threading.active_count()
    collector = Collector()
    files = [LABELS / n for n in ("din_code128.png", "gs1_datamatrix.png", "equipment_qr.png")]
    camera = worker(lambda: CameraSimulator(files, fps=50), collector)
    camera.start()
    assert threading.active_count() == start + 1
    camera.join(WAIT)
    assert not camera.running  # a finite source ends the worker
    assert camera.stop()
    assert threading.active_count() == start
    texts = collector.texts()
    assert texts[0] == DIN
    assert len(texts) == 3
    assert texts[1].startswith("0108430215011539")
    assert "\x1d" in texts[1]
    assert texts[2] == "EQ-BSC-0042"
    assert collector.errors.empty()
    assert camera.frames == 3


def test_a_label_held_in_view_is_reported_once() -> None:
    collector = Collector()
    camera = worker(
        lambda: CameraSimulator([LABELS / "din_code128.png"], fps=100, loop=True),
        collector,
        repeat_window_s=30,
    )
    with camera:
        assert collector.code().text == DIN
        deadline = time.monotonic() + WAIT
        while camera.frames < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert camera.frames >= 20
    assert collector.texts() == []
    assert not camera.running


def test_preview_frames_are_skipped_and_decoding_sees_every_frame() -> None:
    collector = Collector()
    files = [LABELS / "din_code128.png", LABELS / "wrong_patient_din_code128.png"] * 5
    camera = worker(
        lambda: CameraSimulator(files, fps=0),
        collector,
        on_frame=collector.frames.append,
        preview_every=3,
        repeat_window_s=0,
    )
    camera.start()
    camera.join(WAIT)
    camera.stop()
    assert camera.frames == 10
    assert len(collector.frames) == 4  # frames 1, 4, 7, 10
    assert collector.frames[0].shape[2] == 3
    assert collector.texts() == [DIN, OTHER_DIN] * 5


def test_a_video_file_plays_through_the_simulator(tmp_path: Path) -> None:
    still = cv2.imread(str(LABELS / "din_code128.png"))
    frame = cv2.copyMakeBorder(still, 100, 100, 100, 100, cv2.BORDER_CONSTANT, value=(90, 90, 90))
    path = tmp_path / "label.avi"
    height, width = frame.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10, (width, height))
    assert writer.isOpened()
    for _ in range(4):
        writer.write(frame)
    writer.release()
    collector = Collector()
    camera = worker(lambda: CameraSimulator(path, fps=0), collector)
    camera.start()
    camera.join(WAIT)
    camera.stop()
    assert collector.texts() == [DIN]
    assert camera.frames == 4


def test_a_camera_that_cannot_be_opened_is_reported_once_and_retried() -> None:
    collector = Collector()
    attempts: list[float] = []

    def open_missing() -> FrameSource:
        attempts.append(time.monotonic())
        return OpenCvCamera(str(ROOT / "no-such-camera.avi"))

    camera = worker(open_missing, collector, backoff_s=(0.02, 0.1))
    camera.start()
    error = collector.error()
    deadline = time.monotonic() + WAIT
    while len(attempts) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert camera.running  # still trying: the camera may be plugged in
    assert camera.stop()
    assert error.kind == "config"
    assert "no-such-camera.avi" in str(error)
    assert len(attempts) >= 4
    assert collector.errors.empty()  # once per outage


def test_a_missing_camera_device_in_operator_words() -> None:
    with pytest.raises(DeviceError) as caught:
        OpenCvCamera(57)  # no /dev/video57 here
    assert caught.value.kind == "unplugged"
    assert "check its cable" in str(caught.value)


def test_an_unreadable_picture_is_an_error_and_the_worker_ends_without_reconnect(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    collector = Collector()
    camera = worker(
        lambda: CameraSimulator([LABELS / "din_code128.png", broken], fps=0),
        collector,
        reconnect=False,
    )
    camera.start()
    camera.join(WAIT)
    assert not camera.running
    camera.stop()
    assert collector.code().text == DIN
    error = collector.error()
    assert error.kind == "garbled"
    assert "broken.png" in str(error)


class FlakyCamera:
    """Frames from a list, then the cable goes: DeviceError("unplugged")."""

    def __init__(self, frames: list[Frame]) -> None:
        self.name = "flaky camera"
        self._frames = list(frames)
        self.closed = False

    def read(self) -> Frame | None:
        if not self._frames:
            raise DeviceError(
                "flaky camera stopped sending pictures — check its cable", "unplugged"
            )
        time.sleep(0.005)
        return self._frames.pop(0)

    def close(self) -> None:
        self.closed = True


def test_unplug_mid_stream_is_reported_and_the_camera_is_opened_again() -> None:
    din = cv2.imread(str(LABELS / "din_code128.png"))
    other = cv2.imread(str(LABELS / "wrong_patient_din_code128.png"))
    sources = [FlakyCamera([din]), FlakyCamera([other])]
    opened: list[FlakyCamera] = []

    def reopen() -> FrameSource:
        if not sources:
            raise DeviceError("camera is not connected", "unplugged")
        opened.append(sources.pop(0))
        return opened[-1]

    collector = Collector()
    camera = worker(reopen, collector, backoff_s=(0.01, 0.05))
    camera.start()
    assert collector.code().text == DIN
    assert collector.error().kind == "unplugged"
    assert collector.code().text == OTHER_DIN  # after the reopen
    second = collector.error()  # the second source goes too; the retries stay quiet
    assert camera.stop()
    assert second.kind == "unplugged"
    assert all(source.closed for source in opened)
    assert collector.errors.empty()


def test_failing_callbacks_and_bad_frames_do_not_stop_the_worker() -> None:
    seen: list[str] = []

    def explode(code: Code) -> None:
        seen.append(code.text)
        raise RuntimeError("consumer bug")

    def bad_preview(frame: Frame) -> None:
        raise RuntimeError("preview bug")

    frames = [
        np.zeros((10, 10, 2), np.uint8),  # not an image: the decoder refuses it
        cv2.imread(str(LABELS / "din_code128.png")),
        cv2.imread(str(LABELS / "wrong_patient_din_code128.png")),
    ]
    errors: list[DeviceError] = []
    source = iter([*frames, None])

    class ListSource:
        name = "list"

        def read(self) -> Frame | None:
            return next(source)

        def close(self) -> None:
            pass

    camera = CameraWorker(
        ListSource,
        Pipeline(),
        on_code=explode,
        on_error=errors.append,
        on_frame=bad_preview,
        preview_every=1,
    )
    camera.start()
    camera.join(WAIT)
    camera.stop()
    assert seen == [DIN, OTHER_DIN]
    assert errors == []


def test_simulator_needs_pictures_and_a_readable_video(tmp_path: Path) -> None:
    with pytest.raises(DeviceError):
        CameraSimulator([])
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"not a video")
    with pytest.raises(DeviceError) as caught:
        CameraSimulator(fake)
    assert caught.value.kind == "config"


def test_stop_from_inside_a_callback_ends_the_worker() -> None:
    holder: list[CameraWorker] = []
    seen: list[str] = []

    def on_code(code: Code) -> None:
        seen.append(code.text)
        assert holder[0].stop()  # e.g. the screen closes on the first read

    camera = CameraWorker(
        lambda: CameraSimulator([LABELS / "din_code128.png"], fps=100, loop=True),
        Pipeline(),
        on_code=on_code,
        on_error=lambda _: None,
        repeat_window_s=0,
    )
    holder.append(camera)
    camera.start()
    camera.join(WAIT)
    assert not camera.running
    assert camera.stop()
    assert seen == [DIN]


def test_two_decoders_decode_frames_side_by_side_and_report_in_frame_order() -> None:
    collector = Collector()
    files = [LABELS / n for n in ("din_code128.png", "gs1_datamatrix.png", "equipment_qr.png")]
    camera = CameraWorker(
        lambda: CameraSimulator(files * 3, fps=0),
        Pipeline(),
        more_decoders=[Pipeline()],
        on_code=collector.codes.put,
        on_error=collector.errors.put,
        repeat_window_s=0,
    )
    camera.start()
    camera.join(WAIT)
    assert camera.stop()
    texts = collector.texts()
    assert [t[:4] for t in texts] == ["=G12", "0108", "EQ-B"] * 3
    assert camera.frames == 9


def test_a_code_is_reported_once_confirmed_in_two_of_the_last_frames() -> None:
    collector = Collector()
    din, empty = LABELS / "din_code128.png", LABELS / "equipment_qr.png"
    camera = worker(
        lambda: CameraSimulator([din, empty, empty, din, din], fps=0),
        collector,
        confirm=(2, 3),
        repeat_window_s=0,
    )
    camera.start()
    camera.join(WAIT)
    assert camera.stop()
    # DIN in frames 1, 4, 5: frame 4 alone is 3 frames after frame 1 (not within 3),
    # frame 5 confirms it; the QR in frames 2 and 3 is confirmed by frame 3
    assert collector.texts() == ["EQ-BSC-0042", DIN]


def test_a_forgotten_code_is_reported_again_while_it_stays_in_view() -> None:
    collector = Collector()
    camera = worker(
        lambda: CameraSimulator([LABELS / "din_code128.png"], fps=100, loop=True),
        collector,
        repeat_window_s=30,
    )
    with camera:
        assert collector.code().text == DIN
        camera.forget(DIN)  # the screen did not use it
        assert collector.code().text == DIN


def test_the_demo_simulator_holds_each_label_then_shows_the_empty_bench() -> None:
    sim = CameraSimulator(
        [LABELS / "din_code128.png"], fps=0, loop=True, hold=2, gap=1, canvas=(640, 360)
    )
    frames = [sim.read() for _ in range(4)]
    sim.close()
    assert all(f is not None and f.shape == (360, 640, 3) for f in frames)
    pipeline = Pipeline()
    assert [[c.text for c in pipeline.decode(f)] for f in frames if f is not None] == [
        [DIN],
        [DIN],
        [],
        [DIN],
    ]


def test_a_decoder_failing_on_one_frame_does_not_end_the_camera() -> None:
    class Flaky:
        name = "flaky"

        def __init__(self) -> None:
            self.calls = 0
            self.inner = Pipeline()

        def decode(self, image: Frame) -> list[Code]:
            self.calls += 1
            if self.calls == 1:
                raise ValueError("Maximum image width/height is 65535")  # a bug, not a device
            return self.inner.decode(image)

    collector = Collector()
    camera = CameraWorker(
        lambda: CameraSimulator([LABELS / "din_code128.png"] * 2, fps=0),
        Flaky(),
        on_code=collector.codes.put,
        on_error=collector.errors.put,
    )
    camera.start()
    camera.join(WAIT)
    assert camera.stop()
    assert collector.texts() == [DIN]  # the second frame was read
    assert camera.frames == 2
