"""Look and feel: one style sheet built from the panel's metrics, colours, buttons.

Every size comes from `Metrics` (physical millimetres and points on the
configured panel), so the same screens give 20 mm keys and 18 pt text on a
10" and on a 15.6" panel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent, QShowEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

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


class WrapButton(QPushButton):
    """A button whose long text wraps onto more lines and grows taller: never cut (a form's
    field, a batch or an order row). Long words (a patient ID) break anywhere."""

    def __init__(self, text: str = "", floor: int = 0) -> None:
        super().__init__(text)
        self.full_text = text
        self.floor = floor  # the least height (a 15 mm target, two lines of a row)
        self.setMinimumWidth(1)

    def set_floor(self, height: int) -> None:
        self.floor = height
        self._wrap()

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self._wrap()

    def _wrap(self) -> None:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        room = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        width = max(1, room.width() - 2)  # the layout's measure and the painter's may round apart
        lines = [
            line for text in self.full_text.split("\n") for line in wrap(text, self.font(), width)
        ]
        self.setText("\n".join(lines))
        fm = self.fontMetrics()
        need = fm.lineSpacing() * len(lines) - fm.leading() + (self.height() - room.height())
        self.setFixedHeight(max(self.floor, need))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._wrap()


def wrap(text: str, font: QFont, width: int) -> list[str]:
    """`text` in lines of at most `width` pixels: at spaces, else anywhere in a long word."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines = []
    layout.beginLayout()
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()].rstrip())
    layout.endLayout()
    return lines or [""]


def slot_button(m: Metrics, name: str) -> WrapButton:
    """A form's field: 15 mm tall or more, left-aligned text that wraps when the value is long."""
    b = WrapButton(floor=m.min_target)
    b.setProperty("role", "slot")
    b.setObjectName(name)
    b.setFixedHeight(m.min_target)
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return b


def text_lines(w: QWidget) -> list[tuple[int, int]]:
    """Where the lines of a label's or a button's text lie: top and bottom, in `w`'s pixels,
    as Qt paints them (used by `LineScrollArea` and by `kiosk.screens.layoutcheck`)."""
    fm = w.fontMetrics()
    if isinstance(w, QPushButton):
        text = w.text()
        option = QStyleOptionButton()
        w.initStyleOption(option)
        room = w.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, w)
        count = len(text.split("\n"))
        align = Qt.AlignmentFlag.AlignVCenter
    elif isinstance(w, QLabel) and w.textFormat() != Qt.TextFormat.RichText:
        text = w.text()
        room = w.contentsRect().adjusted(w.margin(), w.margin(), -w.margin(), -w.margin())
        flags = Qt.TextFlag.TextWordWrap if w.wordWrap() else Qt.TextFlag.TextExpandTabs
        block = fm.boundingRect(QRect(0, 0, max(1, room.width()), 100_000), int(flags), text)
        count = max(1, round((block.height() + fm.leading()) / fm.lineSpacing()))
        align = w.alignment() & Qt.AlignmentFlag.AlignVertical_Mask
    else:
        return []
    if not text.strip():
        return []
    height = fm.lineSpacing() * count - fm.leading()
    top = room.top()
    if align == Qt.AlignmentFlag.AlignBottom:
        top = room.bottom() + 1 - height
    elif align != Qt.AlignmentFlag.AlignTop:
        top = room.top() + (room.height() - height) // 2
    step = fm.lineSpacing()
    return [(top + k * step, top + k * step + fm.height()) for k in range(count)]


class LineScrollArea(QScrollArea):
    """A scroll area whose lower edge never runs through a line of text: it stops above that
    line, and the line shows whole once dragged up. A thin scroll bar is easily missed; half
    a line reads as a cut, not as "more below"."""

    _snap_soon = Signal()  # queued: once the content's layout has settled

    def __init__(self) -> None:
        super().__init__()
        self._pending = False
        self._snapping = False
        self._snap_soon.connect(self._snap, Qt.ConnectionType.QueuedConnection)
        self.verticalScrollBar().valueChanged.connect(self._snap_now)
        self.verticalScrollBar().rangeChanged.connect(self._snap_now)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt override
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            self._snap_later()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._snap_now()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._snap_later()

    def _snap_now(self) -> None:
        self._snap()
        self._snap_later()  # a text may still grow once its layout runs

    def _snap_later(self) -> None:
        if not self._pending:
            self._pending = True
            self._snap_soon.emit()

    def _snap(self) -> None:
        self._pending = False
        content = self.widget()
        if content is None or not self.isVisible() or self._snapping:
            return
        self._snapping = True
        try:
            self._stop_above_a_cut_line(content)
        finally:
            self._snapping = False

    def _stop_above_a_cut_line(self, content: QWidget) -> None:
        edge = self.viewport().height() + self.viewportMargins().bottom()  # without the strip
        lines = []
        for w in [content, *content.findChildren(QWidget)]:
            if (w is content or w.isVisibleTo(content)) and isinstance(w, (QLabel, QPushButton)):
                y = w.mapTo(self.viewport(), QPoint(0, 0)).y()
                lines += [(y + top, y + bottom) for top, bottom in text_lines(w)]
        cut = edge
        moved = True
        while moved:  # stopping above one line may run through another beside it
            moved = False
            for top, bottom in lines:
                if top < cut < bottom:
                    cut, moved = top, True
        strip = edge - cut if cut > 0 else 0
        if strip != self.viewportMargins().bottom():
            self.setViewportMargins(0, 0, 0, strip)


def scroll_area(content: QWidget) -> QScrollArea:
    """A vertical scroll area a gloved finger can drag (texts longer than the panel); its
    lower edge stops between lines of text (`LineScrollArea`)."""
    area = LineScrollArea()
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
