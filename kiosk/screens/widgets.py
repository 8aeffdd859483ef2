"""Widgets every screen shares: feedback (colour and sound), identity banner, stage list,
the camera preview."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLabel, QWidget

from kiosk.devices.decode import Code, describe, din_words
from kiosk.identity import Din, Label
from kiosk.screens.config import Metrics
from kiosk.screens.i18n import shown, tr
from kiosk.screens.style import ACCEPT, HIGHLIGHT, INK, MUTED, PANEL, label, restyle
from kiosk.screens.tasks import make_timer

IDENTIFIER_LABELS = {
    "patient_id": "Patient",
    "order_id": "Order",
    "trainee": "Trainee",
    "DIN": "DIN",
    "CoI": "CoI",
}


def shown_units(text: str) -> str:
    """Engine messages write units as recipes do ("degC"); the screens write "°C"."""
    return text.replace(" degC", " °C").replace("degC", "°C")


class Feedback(QObject):
    """Accepted actions flash green with one beep; refusals stay red with two beeps.

    The sound is QApplication.beep(): PySide6-Essentials has no QtMultimedia, and
    a station without a speaker still shows the colour. `sounds` keeps what was
    played, for the tests.
    """

    message = Signal(str, str)  # text, kind: "ok" | "refused" | "info"

    def __init__(self, *, sound: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sound = sound
        self.sounds: list[str] = []
        self._second_beep = make_timer(self, 180, self._beep, single_shot=True, name="refuse-beep")

    def accept(self, text: str = "") -> None:
        text = text or tr("Recorded")
        self.sounds.append("accept")
        self._beep()
        self.message.emit(shown_units(shown(text)), "ok")

    def refuse(self, text: str) -> None:
        self.sounds.append("refuse")
        self._beep()
        if self.sound:
            self._second_beep.start()
        self.message.emit(shown_units(shown(text)), "refused")

    def refuse_sound(self) -> None:
        """The refusal's two beeps only: the screen shows the words itself (a form's problem)."""
        self.sounds.append("refuse")
        self._beep()
        if self.sound:
            self._second_beep.start()

    def alarm(self, text: str) -> None:
        """Recorded, but the batch stopped (on hold): red, two beeps, never mistaken for OK."""
        self.sounds.append("alarm")
        self._beep()
        if self.sound:
            self._second_beep.start()
        self.message.emit(shown_units(shown(text)), "refused")

    def info(self, text: str) -> None:
        self.message.emit(shown_units(shown(text)), "info")

    def _beep(self) -> None:
        if self.sound:
            QApplication.beep()


class MessageBanner(QLabel):
    """Two lines at the bottom of the window: green for a moment after an accepted action,
    red until the next action after a refusal, grey for information.

    Its height is fixed (two lines of text), so a long message never pushes a
    screen's buttons off the panel; a longer one ends in "…" (`full_text` keeps it).
    """

    LINES = 2

    def __init__(self, metrics: Metrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.font())
        font.setPixelSize(metrics.text)
        font.setBold(True)
        self.line_height = QFontMetrics(font).lineSpacing()
        self.setFixedHeight(self.line_height * self.LINES + metrics.mm(2))
        self.kind = "info"
        self.full_text = ""
        self._fade = make_timer(self, 1500, self._calm, single_shot=True, name="message-fade")
        self.show_message("", "info")

    def _fitted(self, text: str) -> str:
        fm = self.fontMetrics()
        width = max(1, self.contentsRect().width())
        room = self.contentsRect().height()

        def fits(t: str) -> bool:
            flags = int(Qt.TextFlag.TextWordWrap)
            return fm.boundingRect(QRect(0, 0, width, 100_000), flags, t).height() <= room

        if not text or fits(text):
            return text
        words = text.split(" ")
        while len(words) > 1 and not fits(" ".join(words) + " …"):
            words.pop()
        return " ".join(words) + " …"

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.setText(self._fitted(self.full_text))

    def show_message(self, text: str, kind: str) -> None:
        self.kind = kind
        self.full_text = text
        self.setText(self._fitted(text))
        self.setProperty("kind", kind)
        restyle(self)
        if kind == "ok":
            self._fade.start()
        else:
            self._fade.stop()

    def _calm(self) -> None:
        self.setProperty("kind", "info")
        restyle(self)


class IdentityBanner(QWidget):
    """Patient, order, DIN, CoI: on every batch screen, always in the same place."""

    def __init__(self, metrics: Metrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identity")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.m = metrics
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(metrics.mm(2), metrics.mm(1), metrics.mm(2), metrics.mm(1))
        self.grid.setHorizontalSpacing(metrics.mm(3))
        self.grid.setVerticalSpacing(0)
        self.values: dict[str, str] = {}
        self._labels: list[QWidget] = []

    def show_identifiers(self, identifiers: Mapping[str, str], batch: str, width: int) -> None:
        """Pack the identifiers into as few lines as fit in `width` pixels; never elided."""
        shown = {
            tr("Batch"): batch,
            **{tr(IDENTIFIER_LABELS.get(k, k)): v for k, v in identifiers.items()},
        }
        if shown == self.values and self._labels:
            return
        bold = QFont(self.font())
        bold.setPixelSize(self.m.text)
        plain = QFont(bold)
        bold.setBold(True)
        inner, gap = self.m.mm(1.5), self.m.mm(4)
        room = max(1, width - 2 * self.m.mm(2))

        def needs(name: str, value: str) -> int:
            # a little more than the text: bold rendering and rounding must never clip
            return (
                QFontMetrics(plain).horizontalAdvance(name)
                + inner
                + QFontMetrics(bold).horizontalAdvance(value)
                + self.m.mm(1)
            )

        lines: list[list[tuple[str, str]]] = [[]]
        used = 0
        for name, value in shown.items():
            w = needs(name, value)
            if lines[-1] and used + gap + w > room:
                lines.append([])
                used = 0
            used += (gap if lines[-1] else 0) + w
            lines[-1].append((name, value))
        self.values = shown
        for lab in self._labels:
            lab.hide()
            lab.setParent(None)
            lab.deleteLater()
        self._labels = []
        for row, items in enumerate(lines):
            box = QWidget()
            line = QHBoxLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(inner)
            for i, (name, value) in enumerate(items):
                if i:
                    line.addSpacing(gap - inner)
                line.addWidget(label(name, role="muted"))
                line.addWidget(label(value, name=f"id-{name}"))
            line.addStretch(1)
            self.grid.addWidget(box, row, 0)
            self._labels += [box]

    def text(self) -> str:
        return " · ".join(f"{k} {v}" for k, v in self.values.items())


class StageList(QWidget):
    """The batch's stages, the current one highlighted with its iteration (day 3 of 12)."""

    def __init__(self, metrics: Metrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.m = metrics
        self.stages: list[str] = []
        self.current = -1
        self.note = ""
        self.setMinimumWidth(metrics.mm(40))

    def show_stages(self, titles: Sequence[str], current: int, note: str) -> None:
        self.stages, self.current, self.note = list(titles), current, note
        self.update()

    def current_text(self) -> str:
        if 0 <= self.current < len(self.stages):
            return self.stages[self.current] + (f" — {self.note}" if self.note else "")
        return ""

    @property
    def compact(self) -> bool:
        """Narrow (a 10" panel): numbers only; the current stage's name is in the step header."""
        return self.width() < self.m.mm(45)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        del event
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPixelSize(self.m.text)
        row = round(self.m.text * 1.45)
        pad = self.m.mm(1.5)
        p.fillRect(self.rect(), QColor(PANEL))
        fits = max(1, self.height() // row)
        first = 0
        if len(self.stages) > fits:
            first = min(max(0, self.current - fits // 2), len(self.stages) - fits)
        y = 0
        for i in range(first, min(len(self.stages), first + fits)):
            rect = QRect(0, y, self.width(), row)
            done = i < self.current
            font.setBold(i == self.current)
            p.setFont(font)
            if i == self.current:
                p.fillRect(rect, QColor(HIGHLIGHT))
            mark = "✓" if done else "▶" if i == self.current else " "
            if self.compact:
                text = f"{mark} {i + 1}"
            else:
                text = f"{mark} {self.stages[i]}"
                if i == self.current and self.note:
                    text += f" ({self.note})"
            p.setPen(QColor(ACCEPT if done else INK if i == self.current else MUTED))
            elided = p.fontMetrics().elidedText(
                text, Qt.TextElideMode.ElideRight, self.width() - 2 * pad
            )
            p.drawText(rect.adjusted(pad, 0, -pad, 0), Qt.AlignmentFlag.AlignVCenter, elided)
            y += row
        p.end()


def clear_layout(widget: QWidget) -> None:
    """Remove and delete every child widget of `widget`'s layout."""
    layout = widget.layout()
    if layout is None:
        return
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        child = item.widget()
        if child is not None:
            child.setParent(None)
            child.deleteLater()
            continue
        sub = item.layout()
        while sub is not None and sub.count():
            inner_item = sub.takeAt(0)
            inner = inner_item.widget() if inner_item is not None else None
            if inner is not None:
                inner.setParent(None)
                inner.deleteLater()


Action = Callable[[], None]


PREVIEW_MM = (60.0, 40.0)  # the camera preview box on the scan step, width × height


def frame_image(frame: object) -> QImage | None:
    """A QImage over a camera frame's pixels (numpy uint8, BGR or gray), without copying.

    The image points into `frame`'s buffer: use it before `frame` goes away (the
    preview paints it at once). None for anything that is not such a frame.
    """
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8:
        return None
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif frame.ndim == 3 and frame.shape[2] == 3:
        fmt = QImage.Format.Format_BGR888
    else:
        return None
    if not frame.flags["C_CONTIGUOUS"]:
        frame = np.ascontiguousarray(frame)  # a view (a crop): the one case that copies
    height, width = frame.shape[:2]
    if not width or not height:
        return None
    return QImage(frame.data, width, height, frame.strides[0], fmt)


READ_SHOWN_S = 3.0  # how long a read's box and words stay on the preview
READ_GOOD, READ_BAD = "#4ade80", "#f87171"  # bright: drawn over a camera picture


@dataclass(frozen=True)
class ShownRead:
    """A code the camera read: its corners in frame pixels and the read in words."""

    points: tuple[tuple[int, int], ...]
    words: str
    good: bool  # green (what the step wants, or neutral) or red (a wrong bag)
    at: float


class CameraPreview(QLabel):
    """The latest camera frame, letterboxed into a fixed box of `PREVIEW_MM`.

    Each frame is painted straight from its buffer into one pixmap of the box's
    size (scaling happens while painting: no full-size copy). The bridge drops
    frames that arrive while one is on its way, so a slow panel never queues them.
    Every code read in the last `READ_SHOWN_S` seconds is drawn on the picture: a
    box round it and the read in words ("DIN G1234 17 654321 — this batch's bag").
    """

    def __init__(self, m: Metrics) -> None:
        super().__init__()
        self.setObjectName("camera-preview")
        self.box = QSize(m.mm(PREVIEW_MM[0]), m.mm(PREVIEW_MM[1]))
        self.setFixedSize(self.box)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(f"background: {INK};")
        self.frames = 0  # frames shown (tests, health)
        self.reads: list[ShownRead] = []
        self._base = QPixmap()  # the last frame without the boxes
        self._frame_size = QSize()  # that frame's size in camera pixels
        self._target = QRect()  # where it sits in the box

    def show_frame(self, frame: object) -> bool:
        """Paint `frame`; False (and nothing changes) when it is not a picture."""
        image = frame_image(frame)
        if image is None:
            return False
        pixmap = self._base
        if pixmap.isNull() or pixmap.size() != self.box:
            pixmap = QPixmap(self.box)
        pixmap.fill(QColor(INK))
        scaled = image.size().scaled(self.box, Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(
            (self.box.width() - scaled.width()) // 2,
            (self.box.height() - scaled.height()) // 2,
            scaled.width(),
            scaled.height(),
        )
        painter = QPainter(pixmap)
        try:
            painter.drawImage(target, image)
        finally:
            painter.end()
        self._base, self._frame_size, self._target = pixmap, image.size(), target
        self._compose()
        self.frames += 1
        return True

    def show_read(self, points: Sequence[tuple[int, int]], words: str, good: bool = True) -> None:
        """Draw a read's box and words on the picture for a few seconds."""
        now = time.monotonic()
        self.reads = [r for r in self.reads if r.words != words and now - r.at < READ_SHOWN_S]
        self.reads.append(ShownRead(tuple(points), words, good, now))
        self._compose()

    def shown_words(self) -> list[str]:
        """The reads on the picture now, in words (newest last)."""
        now = time.monotonic()
        return [r.words for r in self.reads if now - r.at < READ_SHOWN_S]

    def _compose(self) -> None:
        if self._base.isNull():
            return
        now = time.monotonic()
        self.reads = [r for r in self.reads if now - r.at < READ_SHOWN_S]
        if not self.reads:
            self.setPixmap(self._base)
            return
        pixmap = self._base.copy()
        sx = self._target.width() / max(1, self._frame_size.width())
        sy = self._target.height() / max(1, self._frame_size.height())
        painter = QPainter(pixmap)
        try:
            font = QFont(painter.font())
            font.setPixelSize(max(11, self.box.height() // 14))
            font.setBold(True)
            painter.setFont(font)
            metrics = QFontMetrics(font)
            line = metrics.height() + 4
            for index, read in enumerate(self.reads[-3:]):
                colour = QColor(READ_GOOD if read.good else READ_BAD)
                if len(read.points) >= 3:
                    polygon = QPolygonF(
                        [
                            QPointF(self._target.x() + x * sx, self._target.y() + y * sy)
                            for x, y in read.points
                        ]
                    )
                    painter.setPen(QPen(colour, 3))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawPolygon(polygon)
                y = self.box.height() - (len(self.reads[-3:]) - index) * line
                band = QRect(0, y, self.box.width(), line)
                painter.fillRect(band, QColor(0, 0, 0, 170))
                painter.setPen(colour)
                text = metrics.elidedText(read.words, Qt.TextElideMode.ElideRight, band.width() - 8)
                painter.drawText(band.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, text)
        finally:
            painter.end()
        self.setPixmap(pixmap)


def read_in_words(code: Code, batch_din: str | None) -> tuple[str, bool]:
    """A camera read in words for the preview, and whether it is good news.

    A DIN is told against the batch's own: "DIN G1234 17 654321 — this batch's bag"
    or "… — NOT this batch's bag (G1234 17 654321)"; before the batch has a DIN
    (the bag scan that binds it) a DIN is just named.
    """
    words = describe(code)
    label = code.label
    din = label if isinstance(label, Din) else None
    if isinstance(label, Label):
        din = label.find(Din)
    if din is None or not batch_din:
        return words, True
    if din.din == batch_din:
        return tr("{words} — this batch's bag").format(words=words), True
    return tr("{words} — NOT this batch's bag ({din})").format(
        words=words, din=din_words(batch_din)
    ), False
