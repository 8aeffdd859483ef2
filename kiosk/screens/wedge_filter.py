"""Keyboard-wedge scanners: an application-wide event filter feeding a burst detector.

A USB HID scanner "types" its read. The kiosk has no text field that takes
keyboard input (operators type on the screen's own pads), so every printable
key press is fed, with its timestamp in ms, to `kiosk.devices.wedge.WedgeDetector`
(a configured prefix/suffix, or < 30 ms between keys, tell a scanner from a
person). A complete read goes to the bridge as `on_code(text, "wedge")`, exactly
like a serial scanner's. A timer flushes a read that stalls without its suffix.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from kiosk.devices.wedge import WedgeDetector, WedgeEvent
from kiosk.screens.bridge import DeviceBridge
from kiosk.screens.tasks import make_timer

log = logging.getLogger(__name__)

SUFFIX_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}


def make_detector(prefix: str = "", suffix: str = "\r", max_gap_ms: int = 30) -> WedgeDetector:
    """The station's wedge detector (prefix/suffix from the configuration when it has them)."""
    return WedgeDetector(prefix or None, suffix or None, max_gap_ms=max_gap_ms)


class WedgeFilter(QObject):
    """Install with `QApplication.installEventFilter`; remove it when the window closes."""

    def __init__(
        self, bridge: DeviceBridge, detector: WedgeDetector, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.detector = detector
        self._flush = make_timer(self, 30, self._tick, name="wedge-flush")
        self._flush.start()

    def _deliver(self, events: list[WedgeEvent]) -> None:
        for event in events:
            if event.kind == "scan":
                self.bridge.on_code(event.text, "wedge")
            elif event.kind == "broken":
                log.info("a wedge scan stopped before its end: %r", event.text)

    def _tick(self) -> None:
        if self.detector.pending:
            self._deliver(self.detector.flush(time.monotonic() * 1000))

    def stop(self) -> None:
        self._flush.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        del watched
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        char = SUFFIX_KEYS.get(Qt.Key(event.key())) or event.text()
        if not char:
            return False
        self._deliver(self.detector.feed(char, int(event.timestamp())))
        return True  # no widget takes keyboard input: the pads are the only way to type
