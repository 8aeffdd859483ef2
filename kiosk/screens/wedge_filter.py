"""Keyboard-wedge scanners: an application-wide event filter feeding a burst detector.

A USB HID scanner "types" its read. The kiosk has no text field that takes
keyboard input (operators type on the screen's own pads), so every printable
key press is fed, with its timestamp in ms, to `kiosk.devices.wedge.WedgeDetector`
(the station's `[wedge]` settings: prefix, suffix, terminator and the longest gap
between a scanner's keys). A complete read goes to the bridge as
`on_code(text, "wedge")`, exactly like a serial scanner's; a scanner-fast burst that
does not fit the pattern goes to `bridge.ignored` with the reason, for the screen.

Key gaps come from the events' own timestamps (the window system's clock); the
flush timer measures "no key for a while" on that same clock, by adding the time
elapsed since the last key. (Comparing the event clock with time.monotonic() cut
bursts typed 5 ms apart in two, and both halves were dropped: issue 15.)
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from kiosk.config import Wedge
from kiosk.devices.wedge import WedgeDetector, WedgeEvent
from kiosk.screens.bridge import DeviceBridge
from kiosk.screens.tasks import make_timer

log = logging.getLogger(__name__)

SUFFIX_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}


def make_detector(settings: Wedge | None = None) -> WedgeDetector:
    """The station's wedge detector, from its `[wedge]` settings (defaults without)."""
    settings = settings or Wedge()
    return WedgeDetector(
        settings.prefix or None,
        settings.end or None,
        max_gap_ms=settings.max_gap_ms,
        min_length=settings.min_length,
    )


class WedgeFilter(QObject):
    """Install with `QApplication.installEventFilter`; remove it when the window closes."""

    def __init__(
        self, bridge: DeviceBridge, detector: WedgeDetector, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.detector = detector
        self._flush = make_timer(self, 20, self._tick, name="wedge-flush")
        self._flush.start()
        self._clock: tuple[float, float] | None = None  # (last key's timestamp, monotonic ms)
        self.ignored: list[WedgeEvent] = []  # the last few bursts not taken (technician, tests)

    def _deliver(self, events: list[WedgeEvent]) -> None:
        for event in events:
            if event.kind == "scan":
                self.bridge.on_code(event.text, "wedge")
            elif event.kind == "broken":
                log.info("a wedge scan stopped before its end: %r", event.text)
                self._ignored(event, "the scan stopped before its end — scan again")
            elif event.kind == "ignored":
                log.warning("wedge burst ignored: %r: %s", event.text, event.reason)
                self._ignored(event, event.reason)

    def _ignored(self, event: WedgeEvent, why: str) -> None:
        self.ignored = [*self.ignored[-9:], event]
        self.bridge.ignored.emit(f"Scanner input ignored: {why}")

    def _tick(self) -> None:
        if self.detector.pending and self._clock is not None:
            stamp, at = self._clock
            self._deliver(self.detector.flush(stamp + time.monotonic() * 1000 - at))

    def stop(self) -> None:
        self._flush.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        del watched
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        char = SUFFIX_KEYS.get(Qt.Key(event.key())) or event.text()
        if not char:
            return False
        stamp = float(event.timestamp())
        self._clock = (stamp, time.monotonic() * 1000)
        self._deliver(self.detector.feed(char, stamp))
        return True  # no widget takes keyboard input: the pads are the only way to type
