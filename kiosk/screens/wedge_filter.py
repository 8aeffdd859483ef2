"""Keyboard-wedge scanners: an application-wide event filter feeding a burst detector.

A USB HID scanner "types" its read. The kiosk has no text field that takes
keyboard input (operators type on the screen's own pads), so every printable
key press is fed, with its timestamp in ms, to a `WedgeDetector`
(`kiosk.devices.wedge`: a configured prefix/suffix and < 30 ms between keys
tell a scanner from a person). A complete read goes to the bridge as
`on_code(text, "wedge")`, exactly like a serial scanner's.

`kiosk.devices.wedge` is written alongside the screens; until it is there the
small fallback below, with the same constructor and `feed`, is used.
"""

from __future__ import annotations

import importlib
import logging
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from kiosk.screens.bridge import DeviceBridge

log = logging.getLogger(__name__)

SUFFIX_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}


class Detector(Protocol):
    def feed(self, char: str, timestamp_ms: int) -> str | None:
        """Take one character; return a complete read when this character ends one."""
        ...


class FallbackWedgeDetector:
    """Prefix/suffix framing, or bursts with < `max_gap_ms` between keys ended by the suffix."""

    def __init__(
        self, prefix: str = "", suffix: str = "\r", max_gap_ms: int = 30, min_length: int = 6
    ) -> None:
        self.prefix = prefix
        self.suffix = suffix or "\r"
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self._chars: list[str] = []
        self._last: int | None = None

    def feed(self, char: str, timestamp_ms: int) -> str | None:
        slow = self._last is not None and timestamp_ms - self._last > self.max_gap_ms
        self._last = timestamp_ms
        if slow and not self.prefix:
            self._chars = []  # a person typing, not a scanner: start again
        if char == self.suffix:
            text = "".join(self._chars)
            self._chars = []
            if self.prefix:
                if not text.startswith(self.prefix):
                    return None
                text = text[len(self.prefix) :]
            return text if len(text) >= self.min_length else None
        self._chars.append(char)
        return None


def make_detector(prefix: str = "", suffix: str = "\r", max_gap_ms: int = 30) -> Detector:
    """The devices layer's `WedgeDetector` when it is installed, else the fallback."""
    try:
        module = importlib.import_module("kiosk.devices.wedge")
        detector: Detector = module.WedgeDetector(prefix, suffix, max_gap_ms=max_gap_ms)
    except (ImportError, AttributeError, TypeError) as exc:
        log.info("kiosk.devices.wedge not usable (%s): using the fallback detector", exc)
        return FallbackWedgeDetector(prefix, suffix, max_gap_ms)
    return detector


class WedgeFilter(QObject):
    """Install with `QApplication.installEventFilter`; remove it when the window closes."""

    def __init__(
        self, bridge: DeviceBridge, detector: Detector, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.detector = detector

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        del watched
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        char = SUFFIX_KEYS.get(Qt.Key(event.key())) or event.text()
        if not char:
            return False
        code = self.detector.feed(char, int(event.timestamp()))
        if code:
            self.bridge.on_code(code, "wedge")
        return True  # no widget takes keyboard input: the pads are the only way to type
