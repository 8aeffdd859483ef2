"""The thin Qt bridge between device workers (plain threads) and the screens.

Device workers in `kiosk.devices` know nothing of Qt: they are given plain
callbacks. `DeviceBridge` provides them (`on_code`, `on_weight`, `on_error`,
`on_status`, `on_frame`); each emits a signal. The bridge lives on the UI
thread, so a signal emitted from a worker thread reaches the screens as a
queued call on the UI thread — no widget is ever touched from a worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from kiosk.screens.i18n import shown, tr
from kiosk.text import Text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeightReading:
    value: float
    unit: str
    stable: bool
    device: str


class DeviceBridge(QObject):
    """Signals from devices, safe to call from any thread."""

    code = Signal(str, str)  # text, source ("scanner", "camera", "wedge", ...)
    weight = Signal(object)  # WeightReading
    error = Signal(str, str)  # message, source
    status = Signal(str, bool, str)  # device name, ok, detail
    frame = Signal(object)  # a camera frame (numpy BGR or gray array), for a preview
    read = Signal(object)  # a camera's read (kiosk.devices.decode.Code, with its corners)
    ignored = Signal(str)  # a scanner burst the wedge filter did not take, and why
    pulled = Signal(object)  # the sync worker pulled master data: {kind: new items}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._health: dict[str, tuple[bool, str | Text]] = {}
        self._frame_in_flight = False
        self.frames_dropped = 0  # frames a camera sent while the previous one was on its way
        self.camera = ""  # the name of the camera feeding `frame`, "" when none was started
        # the camera's "report this code again when next seen" (set by kiosk.app)
        self.forget_camera: Callable[[str], None] | None = None
        # Connected first, so it runs before the screens' slots: from then on the next frame
        # may be sent. A frame arriving before that is dropped, so frames never pile up in
        # the UI thread's queue when drawing is slower than the camera.
        self.frame.connect(self._frame_delivered)

    # callbacks for device workers (any thread)

    def on_code(self, text: str, source: str) -> None:
        self.code.emit(text, source)

    def on_read(self, code: object) -> None:
        """A camera read with where it is on the frame (the preview draws it)."""
        self.read.emit(code)

    def on_weight(self, value: float, unit: str, stable: bool, device: str) -> None:
        self.weight.emit(WeightReading(value, unit, stable, device))

    def on_error(self, message: str, source: str) -> None:
        log.warning("device %s: %s", source, message)
        with self._lock:
            self._health[source] = (False, message)
        self.error.emit(message, source)

    def on_status(self, name: str, ok: bool, detail: str | Text) -> None:
        """A device's or the sync's state; `detail` as a Text is shown in the user's language."""
        with self._lock:
            self._health[name] = (ok, detail)
        self.status.emit(name, ok, str(detail))

    def on_pulled(self, received: dict[str, int]) -> None:
        """The sync worker's pull brought new master data (any thread)."""
        self.pulled.emit(dict(received))

    def on_frame(self, frame: object) -> None:
        """A preview frame; dropped while the previous one has not reached the UI yet."""
        with self._lock:
            if self._frame_in_flight:
                self.frames_dropped += 1
                return
            self._frame_in_flight = True
        self.frame.emit(frame)

    def _frame_delivered(self, frame: object) -> None:
        del frame
        with self._lock:
            self._frame_in_flight = False

    # what the home and technician screens show when no device layer feeds them

    def health(self) -> list[tuple[str, str]]:
        """(name, status) of every device that reported, for the status provider."""
        with self._lock:
            return [
                (name, _health_text(ok, detail))
                for name, (ok, detail) in sorted(self._health.items())
            ]


def _health_text(ok: bool, detail: str | Text) -> str:
    """ "ok" or "fault", with the device's own words when it gave any."""
    word = tr("ok") if ok else tr("fault")
    return f"{word}: {shown(detail)}" if str(detail) else word
