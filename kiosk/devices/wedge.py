"""Keyboard-wedge scanners: tell a scanner's typing from a person's, without Qt.

A USB HID scanner types its read like a keyboard. The Qt event filter in
kiosk.screens feeds every key press here as `(text, timestamp_ms)` and gets back,
in order, what was a scan and what a person typed (to replay into the focused
widget). Facts (../shared/DEVICES.md "Barcode scanners"):

- With a configured prefix and/or suffix (set in the scanner), a scan is what
  comes between them. Prefix only: the scan ends when the keys stop coming
  (`max_gap_ms`). Suffix only: a fast burst ending with the suffix.
- Without either, timing decides: a burst of at least `min_length` keys, each
  within `max_gap_ms` of the one before, is a scan (scanners type a key every few
  ms; people rarely keep under ~30 ms for six keys). Enter, Tab or LF at the end of
  such a burst is the scanner's suffix and is consumed.
- A prefix whose scan never completes (no suffix within `stall_ms`) comes back as
  a "broken" event, so the screen can say "scan again" instead of guessing. A
  prefix followed by a slow key was typed by a person and is given back as typed.

Keyboard layouts mangle scans (GS is lost, `"` may become `@`): prefer serial mode
for GS1 labels. Timestamps should be monotonic milliseconds (Qt's event
timestamp); a timestamp going backwards is treated as a long pause.

Call `flush(now_ms)` from a timer (every ~`max_gap_ms`) so held keys are released
when no further key comes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

EventKind = Literal["scan", "typed", "broken", "ignored"]
_TERMINATORS: Final = frozenset("\r\n\t")
KEY_NAMES: Final = {"\r": "Enter", "\n": "LF", "\t": "Tab"}


def key_names(text: str) -> str:
    """Control keys by name, for messages: "#" + CR → "#Enter"."""
    return "".join(KEY_NAMES.get(char, char) for char in text)


@dataclass(frozen=True)
class WedgeEvent:
    """A completed scan, characters a person typed, a scan that never completed, or a
    scanner-fast burst that does not fit the configured pattern ("ignored", with `reason`
    in words for the screen)."""

    kind: EventKind
    text: str
    reason: str = ""


class WedgeDetector:
    """Classify key presses as scanner input or human typing; never raises on any input."""

    def __init__(
        self,
        prefix: str | None = None,
        suffix: str | None = None,
        max_gap_ms: float = 30,
        min_length: int = 6,
        *,
        stall_ms: float = 500,
    ) -> None:
        self.prefix = prefix or None
        self.suffix = suffix or None
        self.max_gap_ms = max_gap_ms
        self.min_length = max(1, min_length)
        self.stall_ms = stall_ms
        self._held = ""  # keys held back until we know what they are
        self._capturing = False  # prefix seen: inside a scan
        self._last: float | None = None  # timestamp of the last key
        self._stray = ""  # prefix mode: keys given back as typed in one fast run

    @property
    def pending(self) -> bool:
        """Keys are held back: call `flush` soon."""
        return bool(self._held) or self._capturing or bool(self._stray)

    def feed(self, text: str, timestamp_ms: float) -> list[WedgeEvent]:
        """One key press (its text: usually one character, "" for modifier keys)."""
        events: list[WedgeEvent] = []
        for char in text:
            events += self._key(char, timestamp_ms)
        return events

    def flush(self, now_ms: float) -> list[WedgeEvent]:
        """Release what is held if no key came for long enough."""
        if self._last is None or not self.pending:
            return []
        gap = now_ms - self._last
        if self._capturing:
            if not self._held and (gap < 0 or gap > self.max_gap_ms):
                self._capturing = False  # a person typed the prefix
                return [WedgeEvent("typed", self.prefix or "")]
            limit = self.stall_ms if self.suffix else self.max_gap_ms
            return self._end_capture() if gap < 0 or gap > limit else []
        if gap < 0 or gap > self.max_gap_ms:
            return self._end_burst() + self._end_stray()
        return []

    # -- internals

    def _end_stray(self) -> list[WedgeEvent]:
        """Prefix mode: a fast run of a scan's length without the prefix was a scanner."""
        stray, self._stray = self._stray, ""
        if len(stray) >= self.min_length:
            return [WedgeEvent("ignored", stray, self._why(stray))]
        return []

    def _note_stray(self, events: list[WedgeEvent]) -> list[WedgeEvent]:
        for event in events:
            self._stray = self._stray + event.text if event.kind == "typed" else ""
        if self._capturing:
            self._stray = ""
        return events

    def _key(self, char: str, now: float) -> list[WedgeEvent]:
        gap = None if self._last is None else now - self._last
        long_pause = gap is None or gap < 0 or gap > self.max_gap_ms
        self._last = now
        if self._capturing:
            return self._capture_key(char, gap)
        events = self._end_burst() if long_pause and self._held else []
        if self.prefix is not None:
            if long_pause:
                events += self._end_stray()
            return events + self._note_stray(self._prefix_key(char))
        self._held += char
        if self.suffix is not None:
            if self._held.endswith(self.suffix):
                body = self._held[: -len(self.suffix)]
                if len(body) >= self.min_length:
                    self._held = ""
                    return [*events, WedgeEvent("scan", body)]
            return events
        if char in _TERMINATORS:
            body = self._held[:-1]
            if len(body) >= self.min_length:
                self._held = ""
                return [*events, WedgeEvent("scan", body)]
        return events

    def _prefix_key(self, char: str) -> list[WedgeEvent]:
        """Waiting for the prefix: hold keys that could start it, release the rest."""
        assert self.prefix is not None
        candidate = self._held + char
        if self.prefix.startswith(candidate):
            if candidate == self.prefix:
                self._held, self._capturing = "", True
            else:
                self._held = candidate
            return []
        # not the prefix: release the oldest key and look again at the rest
        self._held = ""
        events = [WedgeEvent("typed", candidate[0])]
        for rest in candidate[1:]:
            events += self._prefix_key(rest)
        return _merge(events)

    def _capture_key(self, char: str, gap: float | None) -> list[WedgeEvent]:
        slow = gap is None or gap < 0 or gap > self.max_gap_ms
        if not self._held and slow:  # a person typed the prefix: give it back
            assert self.prefix is not None
            self._capturing = False
            return _merge([WedgeEvent("typed", self.prefix), *self._prefix_key(char)])
        limit = self.stall_ms if self.suffix else self.max_gap_ms
        if gap is None or gap < 0 or gap > limit:
            return self._end_capture() + self._prefix_key(char)
        self._held += char
        if self.suffix is not None and self._held.endswith(self.suffix):
            body = self._held[: -len(self.suffix)]
            self._held, self._capturing = "", False
            return [WedgeEvent("scan", body)]
        return []

    def _end_capture(self) -> list[WedgeEvent]:
        """A capture ended by a pause: a scan without suffix mode, else a broken one."""
        body, self._held, self._capturing = self._held, "", False
        if self.suffix is None and len(body) >= self.min_length:
            return [WedgeEvent("scan", body.rstrip("\r\n\t"))]
        return [WedgeEvent("broken", body)]

    def _end_burst(self) -> list[WedgeEvent]:
        """Keys held outside a capture, after a pause: a scan (timing mode), typing, or a
        scanner-fast burst of a scan's length that lacks the configured pattern."""
        held, self._held = self._held, ""
        if not held:
            return []
        if self.prefix is None and self.suffix is None and len(held) >= self.min_length:
            return [WedgeEvent("scan", held)]
        if len(held) >= self.min_length:  # every key within max_gap_ms: a scanner typed it
            return [WedgeEvent("ignored", held, self._why(held))]
        return [WedgeEvent("typed", held)]

    def _why(self, held: str) -> str:
        """Why a fast burst is not a scan, in words (the settings are wedge.* in the config)."""
        fast = f"{len(held)} keys came fast"
        if self.prefix is not None and not held.startswith(self.prefix):
            return (
                f"{fast} but did not start with the prefix {key_names(self.prefix)!r} "
                "(wedge.prefix): set the scanner to send it"
            )
        assert self.suffix is not None
        return (
            f"{fast} but no {key_names(self.suffix)} came within {self.max_gap_ms:g} ms "
            f"after them: set the scanner to end each code with {key_names(self.suffix)} "
            f"(wedge.terminator), or raise wedge.max_gap_ms if it types slower"
        )


def _merge(events: list[WedgeEvent]) -> list[WedgeEvent]:
    """Join neighbouring events of the same kind "typed"."""
    out: list[WedgeEvent] = []
    for event in events:
        if out and out[-1].kind == "typed" and event.kind == "typed":
            out[-1] = WedgeEvent("typed", out[-1].text + event.text)
        else:
            out.append(event)
    return out
