"""The station's own keypads: a numeric pad and a text pad (QWERTY). No OS keyboard, ever.

A pad types into a `Buffer`; whatever shows the value (a field, a slot in a
form) subscribes to the buffer. Keys are `KEY_MM` (20 mm) square on the
configured panel, with a gap between them, so a double-gloved finger hits one
key at a time.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.screens.config import Metrics
from kiosk.screens.display import decimal_separator
from kiosk.screens.i18n import tr
from kiosk.screens.style import button

BACKSPACE = "⌫"
SHIFT = "⇧"
MINUS = "−"  # shown on the key; types "-"


class Buffer(QObject):
    """The text being typed, with a length limit; emits `changed` on every key."""

    changed = Signal(str)

    def __init__(self, text: str = "", max_length: int = 64, parent: QObject | None = None):
        super().__init__(parent)
        self._text = text
        self.max_length = max_length

    @property
    def text(self) -> str:
        return self._text

    def set(self, text: str) -> None:
        self._text = text[: self.max_length]
        self.changed.emit(self._text)

    def insert(self, chars: str) -> None:
        if len(self._text) + len(chars) <= self.max_length:
            self.set(self._text + chars)

    def backspace(self) -> None:
        self.set(self._text[:-1])

    def clear(self) -> None:
        self.set("")


class _Pad(QWidget):
    """Common parts: a grid of keys in units of one key, typing into the attached buffer."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, metrics: Metrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.m = metrics
        self.buffer: Buffer | None = None
        self.keys: dict[str, QPushButton] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(metrics.gap)

    def attach(self, buffer: Buffer | None) -> None:
        self.buffer = buffer

    def _key(
        self, name: str, text: str, row: int, col: int, span: int = 1, role: str = "key"
    ) -> QPushButton:
        b = button(text, self.m, role=role, name=f"key-{name}")
        width = self.m.key * span + self.m.gap * (span - 1)
        b.setFixedSize(width, self.m.key)
        self.grid.addWidget(b, row, col, 1, span)
        self.keys[name] = b
        return b

    def _type(self, chars: str) -> None:
        if self.buffer is not None:
            self.buffer.insert(chars)

    def _backspace(self) -> None:
        if self.buffer is not None:
            self.buffer.backspace()

    def _clear(self) -> None:
        if self.buffer is not None:
            self.buffer.clear()

    def press(self, name: str) -> None:
        """Click a key by name ("7", ".", "backspace", "ok"...): tests and the demo use it."""
        self.keys[name].click()

    def type_text(self, text: str) -> None:
        """Click the keys that type `text` (tests and the scripted demo)."""
        raise NotImplementedError


class NumericPad(_Pad):
    """7 8 9 ⌫ / 4 5 6 C / 1 2 3 − / 0 . (OK), or, `wide`, three rows of five keys
    (7 8 9 ⌫ C / 4 5 6 − . / 1 2 3 0) beside a step's texts on a 10" panel.
    The OK key spans two columns so "Next" and "Done" fit."""

    def __init__(
        self,
        metrics: Metrics,
        *,
        ok_text: str | None = None,
        wide: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(metrics, parent)
        layout = ("789", "456", "123")
        for r, row in enumerate(layout):
            for c, digit in enumerate(row):
                self._key(digit, digit, r, c).clicked.connect(
                    lambda _=False, d=digit: self._type(d)
                )
        if wide:
            self._key("0", "0", 2, 3, 2).clicked.connect(lambda: self._type("0"))
            self._key(".", decimal_separator(), 1, 4).clicked.connect(lambda: self._type("."))
            self._key("backspace", BACKSPACE, 0, 3).clicked.connect(self._backspace)
            self._key("clear", "C", 0, 4).clicked.connect(self._clear)
            self._key("-", MINUS, 1, 3).clicked.connect(self._minus)
            return
        self._key("0", "0", 3, 0).clicked.connect(lambda: self._type("0"))
        self._key(".", decimal_separator(), 3, 1).clicked.connect(lambda: self._type("."))
        self._key("backspace", BACKSPACE, 0, 3).clicked.connect(self._backspace)
        self._key("clear", "C", 1, 3).clicked.connect(self._clear)
        self._key("-", MINUS, 2, 3).clicked.connect(self._minus)
        if ok_text:
            ok = self._key("ok", ok_text, 3, 2, 2, role="primary")
            ok.clicked.connect(self.accepted.emit)

    def allow(self, *, decimal: bool, negative: bool) -> None:
        """Grey out what the value cannot contain (no decimals, no negative values)."""
        self.keys["."].setEnabled(decimal)
        self.keys["-"].setEnabled(negative)

    def _minus(self) -> None:
        if self.buffer is None:
            return
        text = self.buffer.text
        self.buffer.set(text[1:] if text.startswith("-") else "-" + text)

    def type_text(self, text: str) -> None:
        for ch in text:
            self.press(ch)


class TextPad(_Pad):
    """A QWERTY pad with digits, shift, backspace, clear, space and a few symbols.

    Shift gives capitals and, on the other keys, the symbols a comment or a
    password may need (as on a physical keyboard: shift 1 is !). Shift applies to
    the next key only, as the docs say: "tap ⇧ first".
    """

    ROWS = ("1234567890", "qwertyuiop", "asdfghjkl-")
    SHIFTED: ClassVar[dict[str, str]] = dict(zip("1234567890-._", "!@#%&*()/?:,'", strict=True))

    def __init__(
        self,
        metrics: Metrics,
        *,
        ok_text: str = "OK",
        cancel_text: str | None = "Cancel",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(metrics, parent)
        self.shifted = False
        self._letters: list[QPushButton] = []
        for r, row in enumerate(self.ROWS):
            for c, ch in enumerate(row):
                self._char_key(ch, r, c)
        self._key("shift", SHIFT, 3, 0).clicked.connect(self._shift)
        for c, ch in enumerate("zxcvbnm."):
            self._char_key(ch, 3, c + 1)
        self._key("backspace", BACKSPACE, 3, 9).clicked.connect(self._backspace)
        col = 0
        self._key("clear", tr("Clear"), 4, col, 2).clicked.connect(self._clear)
        col += 2
        self._char_key("_", 4, col)
        self._char_key(":", 4, col + 1)
        col += 2
        self._key("space", tr("Space"), 4, col, 2 if cancel_text else 3).clicked.connect(
            lambda: self._type(" ")
        )
        col += 2 if cancel_text else 3
        if cancel_text:
            self._key("cancel", cancel_text, 4, col, 2).clicked.connect(self.cancelled.emit)
            col += 2
        ok = self._key("ok", ok_text, 4, col, 10 - col, role="primary")
        ok.clicked.connect(self.accepted.emit)

    def _char_key(self, ch: str, row: int, col: int) -> None:
        b = self._key(ch, ch, row, col)
        self._letters.append(b)
        b.clicked.connect(lambda _=False, c=ch: self._letter(c))

    def _shown(self, ch: str) -> str:
        if not self.shifted:
            return ch
        return ch.upper() if ch.isalpha() else self.SHIFTED.get(ch, ch)

    def _letter(self, ch: str) -> None:
        self._type(self._shown(ch))
        if self.shifted:
            self._shift()  # one key only

    def _shift(self) -> None:
        self.shifted = not self.shifted
        self.keys["shift"].setProperty("role", "primary" if self.shifted else "key")
        self.keys["shift"].style().unpolish(self.keys["shift"])
        self.keys["shift"].style().polish(self.keys["shift"])
        for b in self._letters:
            b.setText(self._shown(b.objectName().removeprefix("key-")).replace("&", "&&"))

    def _key_for(self, ch: str) -> tuple[str, bool]:
        """(key name, needs shift) for a character."""
        if ch.isalpha():
            return ch.lower(), ch.isupper()
        if ch in self.keys and ch not in self.SHIFTED.values():
            return ch, False
        for base, shifted in self.SHIFTED.items():
            if shifted == ch:
                return base, True
        return ch, False

    def type_text(self, text: str) -> None:
        for ch in text:
            if ch == " ":
                self.press("space")
                continue
            name, shift = self._key_for(ch)
            if shift != self.shifted:
                self.press("shift")
            self.press(name)

    def can_type(self, text: str) -> bool:
        return all(ch == " " or self._key_for(ch)[0] in self.keys for ch in text)
