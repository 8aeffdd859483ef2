"""Look and feel: one style sheet built from the panel's metrics, colours, buttons.

Every size comes from `Metrics` (physical millimetres and points on the
configured panel), so the same screens give 20 mm keys and 18 pt text on a
10" and on a 15.6" panel.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QScroller, QSizePolicy, QWidget

from kiosk.screens.config import Metrics

INK = "#111827"
PAPER = "#f3f5f7"
PANEL = "#ffffff"
PRIMARY = "#0b4f8a"
ACCEPT = "#17703a"
REFUSE = "#b3261e"
WARN = "#8a5a00"
MUTED = "#4b5563"
IDENTITY = "#1d2b53"
HIGHLIGHT = "#ffd54f"


def stylesheet(m: Metrics) -> str:
    """The style sheet for a top-level window (main window or dialog)."""
    text, title, r = m.text, m.title, max(4, m.mm(1.2))
    return f"""
    QWidget {{ font-size: {text}px; color: {INK}; }}
    QWidget#window, QDialog {{ background: {PAPER}; }}
    QLabel[role="title"] {{ font-size: {title}px; font-weight: bold; }}
    QLabel[role="value"] {{ font-size: {title}px; font-weight: bold; }}
    QLabel[role="big"] {{ font-size: {round(title * 1.6)}px; font-weight: bold; }}
    QLabel[role="muted"] {{ color: {MUTED}; }}
    QLabel[role="card"] {{ background: {PANEL}; border: 1px solid #cfd6dd;
        border-radius: {r}px; padding: {m.mm(1.5)}px; }}
    QPushButton {{ background: #e3e8ee; border: 2px solid #9aa5b1; border-radius: {r}px;
        padding: 0 {m.mm(2)}px; }}
    QPushButton:pressed {{ background: #c7d0da; }}
    QPushButton:disabled {{ color: #9aa5b1; background: #eef1f4; border-color: #d5dbe1; }}
    QPushButton:checked {{ background: {HIGHLIGHT}; border-color: {INK}; }}
    QPushButton[role="primary"] {{ background: {PRIMARY}; color: white; border-color: {PRIMARY};
        font-weight: bold; }}
    QPushButton[role="primary"]:disabled {{ background: #9fb5c9; border-color: #9fb5c9; }}
    QPushButton[role="accept"] {{ background: {ACCEPT}; color: white; border-color: {ACCEPT};
        font-weight: bold; }}
    QPushButton[role="danger"] {{ background: {REFUSE}; color: white; border-color: {REFUSE};
        font-weight: bold; }}
    QPushButton[role="key"] {{ background: {PANEL}; font-weight: bold; }}
    QPushButton[role="slot"] {{ background: {PANEL}; text-align: left; }}
    QPushButton[role="slot"]:checked {{ background: #fff4c2; border-color: {INK}; }}
    QWidget#topbar {{ background: #dde3ea; }}
    QWidget#identity {{ background: {IDENTITY}; }}
    QWidget#identity QLabel {{ color: white; font-weight: bold; }}
    QWidget#identity QLabel[role="muted"] {{ color: #c9d3f0; font-weight: normal; }}
    QLabel#message {{ padding: 0 {m.mm(2)}px; }}
    QLabel#message[kind="ok"] {{ background: {ACCEPT}; color: white; font-weight: bold; }}
    QLabel#message[kind="refused"] {{ background: {REFUSE}; color: white; font-weight: bold; }}
    QLabel#message[kind="info"] {{ background: #dde3ea; }}
    QScrollArea {{ border: none; background: transparent; }}
    QScrollArea > QWidget > QWidget {{ background: transparent; }}
    QScrollBar:vertical {{ width: {m.mm(4)}px; }}
    """


def restyle(widget: QWidget) -> None:
    """Re-apply the style after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class TouchButton(QPushButton):
    """A push button never narrower than its text (a layout squeezes it no further) nor
    than a touch target."""

    def __init__(self, text: str, least_width: int) -> None:
        super().__init__(text)
        self.least_width = least_width

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self.least_width), hint.height())


def button(
    text: str,
    m: Metrics,
    *,
    role: str = "",
    size: str = "key",
    name: str = "",
) -> QPushButton:
    """A touch button: `size` "key" is 20 mm tall (main actions), "target" 12 mm (bars)."""
    b = TouchButton(text, m.key if size == "key" else m.min_target)
    if role:
        b.setProperty("role", role)
    if name:
        b.setObjectName(name)
    height = m.key if size == "key" else m.min_target
    b.setMinimumHeight(height)
    b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    b.setFixedHeight(height)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no keyboard focus: nothing invites an OS keyboard
    return b


def label(text: str = "", *, role: str = "", wrap: bool = False, name: str = "") -> QLabel:
    lab = QLabel(text)
    if role:
        lab.setProperty("role", role)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    return lab


class ElidedButton(QPushButton):
    """A button showing as much of a long text as fits, ending in "…" (a form's slot)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.full_text = text
        self.setMinimumWidth(1)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self._elide()

    def _elide(self) -> None:
        room = self.width() - self.height() // 2  # the style sheet's padding and border
        fm = self.fontMetrics()
        lines = self.full_text.split("\n")
        shown = [fm.elidedText(t, Qt.TextElideMode.ElideRight, room) for t in lines]
        self.setText("\n".join(shown))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()


def slot_button(m: Metrics, name: str) -> ElidedButton:
    """A form's field: 15 mm tall, left-aligned text, elided when the value is long."""
    b = ElidedButton()
    b.setProperty("role", "slot")
    b.setObjectName(name)
    b.setFixedHeight(m.min_target)
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


def scroll_area(content: QWidget) -> QScrollArea:
    """A vertical scroll area a gloved finger can drag (texts longer than the panel)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(content)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


class ClampedLabel(QLabel):
    """Wrapped text of at most `lines` lines: as many words as fit, then "…" (the whole text
    is one tap away, on the page the label summarises)."""

    def __init__(self, text: str, *, lines: int | None, name: str = "", role: str = "") -> None:
        super().__init__()
        self.setObjectName(name)
        if role:
            self.setProperty("role", role)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setMinimumWidth(1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.lines = lines  # None: as many as the text needs
        self.full_text = text
        self.setText(text)

    def set_lines(self, lines: int | None) -> None:
        self.lines = lines
        self.set_full_text(self.full_text)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setText(text)
        self._clamp()
        self.updateGeometry()

    def _limit(self) -> int:
        if self.lines is None:
            return 1_000_000
        spacing = self.fontMetrics().lineSpacing()
        return spacing * self.lines + spacing // 3  # a measure a pixel or two over: not a line

    def _height(self, text: str, width: int) -> int:
        flags = int(Qt.TextFlag.TextWordWrap)
        return (
            self.fontMetrics()
            .boundingRect(QRect(0, 0, max(1, width), 100_000), flags, text)
            .height()
        )

    def _clamp(self) -> None:
        width = self.contentsRect().width()
        words = self.full_text.split(" ")
        text = self.full_text
        while len(words) > 1 and self._height(text, width) > self._limit():
            words.pop()
            text = " ".join(words) + " …"
        if text != self.text():
            self.setText(text)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return min(super().heightForWidth(width), self._limit())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()  # the width is the layout's to give (it wraps)
        return QSize(self.fontMetrics().averageCharWidth() * 8, min(hint.height(), self._limit()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(hint.width(), min(hint.height(), self._limit()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._clamp()


class ElidedLabel(QLabel):
    """One line of text that gives way to its neighbours: as much as fits, then "…"."""

    def __init__(
        self, *, name: str, role: str = "", mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        if role:
            self.setProperty("role", role)
        self.mode = mode
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumWidth(1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.full_text = ""

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        self.setText(self.fontMetrics().elidedText(self.full_text, self.mode, room) or " ")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()
