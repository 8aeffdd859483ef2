"""The layout check: what a gloved operator would find wrong on a screen, as a list of words.

`check_layout(name, root, metrics)` looks at every widget shown inside `root`
(a window or a dialog) and reports, naming the screen and the widget:

- a widget that sticks out of the window or out of the widget that holds it
  (only a scroll area may hold more than it shows);
- two touch targets (buttons) that overlap, or a text that overlaps another;
- a button's or a label's text that does not fit its box (measured with
  `QFontMetrics`; a label that wraps may use more lines, but not more height);
- a touch target under `KEY_MM` (keys and primary actions) or under
  `MIN_TARGET_MM` (everything else) on the configured panel;
- a text a scroll area cuts short, whether or not a scroll bar shows (a thin one is easily
  missed, and nobody scrolls sideways on a touch panel): across (wider than the area shows,
  or elided with "…") or through a line (half a line shows); and down, between lines, while
  the area shows no scroll bar (no sign there is more);
- a widget marked ``in_view`` (the live reading of a balance, the value being captured)
  that is scrolled out of view or cut off.

The GUI tests run it on every screen and dialog the scripted demo shows
(`tests/gui/test_layout.py`), and `kiosk gui --screenshots` could too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.screens.config import KEY_MM, MIN_TARGET_MM, Metrics
from kiosk.screens.style import text_lines

TOLERANCE = 1  # pixels: rounding in the layouts
PRIMARY_ROLES = ("primary", "accept")  # a red button in a list row is a secondary action


def describe(w: QWidget) -> str:
    """A widget as a failure names it: its object name, else its class and text."""
    text = ""
    if isinstance(w, (QLabel, QAbstractButton)):
        text = w.text().replace("\n", " ")[:40]
    name = w.objectName()
    kind = type(w).__name__
    if name:
        return f"{kind} {name!r}" + (f" ({text!r})" if text else "")
    return f"{kind} {text!r}"


def _shown(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisibleTo(root)]


def _holders(w: QWidget, root: QWidget) -> Iterator[QWidget]:
    """The widgets that hold `w`, nearest first, up to (not including) `root`."""
    p = w.parentWidget()
    while p is not None and p is not root:
        yield p
        p = p.parentWidget()


def _scroll_area_of(w: QWidget, root: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area holding `w` (it may show less of `w` than `w` is), or None."""
    for p in _holders(w, root):
        if isinstance(p, QAbstractScrollArea):
            return p
    return None


def _rect_in(w: QWidget, root: QWidget) -> QRect:
    return QRect(w.mapTo(root, QPoint(0, 0)), w.size())


def is_primary(b: QAbstractButton) -> bool:
    return b.objectName().startswith("key-") or b.property("role") in PRIMARY_ROLES


def _outside(name: str, root: QWidget, widgets: Iterable[QWidget]) -> list[str]:
    problems = []
    window = root.rect()
    for w in widgets:
        if w.width() <= 0 or w.height() <= 0 or _scroll_area_of(w, root) is not None:
            continue
        r = _rect_in(w, root).adjusted(TOLERANCE, TOLERANCE, -TOLERANCE, -TOLERANCE)
        if not window.contains(r):
            problems.append(f"{name}: {describe(w)} lies outside the window ({_box(r)})")
            continue
        parent = w.parentWidget()
        if parent is not None and parent is not root:
            holder = _rect_in(parent, root)
            if not holder.contains(r):
                problems.append(
                    f"{name}: {describe(w)} is cut off by {describe(parent)}"
                    f" ({_box(r)} in {_box(holder)})"
                )
    return problems


def _box(r: QRect) -> str:
    return f"{r.width()}×{r.height()} at {r.x()},{r.y()}"


def _visible_rect(w: QWidget, root: QWidget) -> QRect:
    """The part of `w` its holders show (a scroll area shows only its viewport)."""
    r = _rect_in(w, root)
    for p in _holders(w, root):
        r = r.intersected(_rect_in(p, root))
    return r.intersected(root.rect())


def _visible_width(w: QWidget, root: QWidget) -> int:
    """How much of `w`'s width its holders show, whatever of its height they show."""
    left, right = _rect_in(w, root).left(), _rect_in(w, root).right()
    for p in (*_holders(w, root), root):
        r = p.rect() if p is root else _rect_in(p, root)
        left, right = max(left, r.left()), min(right, r.right())
    return max(0, right - left + 1)


def _overlaps(name: str, root: QWidget, widgets: list[QWidget]) -> list[str]:
    """Buttons may not overlap anything with text; texts may not overlap each other."""
    items = [
        (w, _visible_rect(w, root).adjusted(TOLERANCE, TOLERANCE, -TOLERANCE, -TOLERANCE))
        for w in widgets
        if isinstance(w, QAbstractButton) or (isinstance(w, QLabel) and w.text().strip())
    ]
    problems = []
    for i, (a, ra) in enumerate(items):
        for b, rb in items[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a) or ra.isEmpty() or rb.isEmpty():
                continue
            if ra.intersects(rb):
                problems.append(f"{name}: {describe(a)} overlaps {describe(b)}")
    return problems


def _button_text(name: str, b: QAbstractButton) -> list[str]:
    text = b.text()
    if not text:
        return []
    fm = b.fontMetrics()
    lines = text.split("\n")
    need_w = max(fm.horizontalAdvance(line) for line in lines)
    need_h = fm.lineSpacing() * len(lines) - fm.leading()
    room = b.contentsRect()
    if isinstance(b, QPushButton):
        option = QStyleOptionButton()
        b.initStyleOption(option)
        room = b.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, b)
    if need_w > room.width() + TOLERANCE or need_h > room.height() + TOLERANCE:
        return [
            f"{name}: the text of {describe(b)} is clipped: needs {need_w}×{need_h} px,"
            f" has {room.width()}×{room.height()}"
        ]
    return []


def _label_text(name: str, lab: QLabel) -> list[str]:
    text = lab.text()
    if not text.strip() or lab.textFormat() == Qt.TextFormat.RichText:
        return []
    fm = lab.fontMetrics()
    room = lab.contentsRect().adjusted(lab.margin(), lab.margin(), -lab.margin(), -lab.margin())
    flags = Qt.TextFlag.TextExpandTabs
    if lab.wordWrap():
        flags |= Qt.TextFlag.TextWordWrap
    need = fm.boundingRect(QRect(0, 0, max(1, room.width()), 100_000), int(flags), text)
    if lab.wordWrap():
        # the label's own measure wraps as it paints (style sheet padding included)
        extra = lab.height() - room.height()
        need.setHeight(max(need.height(), lab.heightForWidth(lab.width()) - extra))
    if need.width() > room.width() + TOLERANCE or need.height() > room.height() + TOLERANCE:
        return [
            f"{name}: the text of {describe(lab)} is clipped: needs {need.width()}×"
            f"{need.height()} px, has {room.width()}×{room.height()}"
        ]
    return []


def _targets(name: str, b: QAbstractButton, m: Metrics) -> list[str]:
    primary = is_primary(b)
    mm = KEY_MM if primary else MIN_TARGET_MM
    least = m.mm(mm) - TOLERANCE
    if b.width() < least or b.height() < least:
        what = "key or primary action" if primary else "touch target"
        return [
            f"{name}: {describe(b)} is {b.width()}×{b.height()} px, a {what} under"
            f" {mm:g} mm ({m.mm(mm)} px)"
        ]
    return []


IN_VIEW: Final = "in_view"


def in_view(w: QWidget, root: QWidget) -> bool:
    """`w` is shown whole inside `root`: not hidden, not scrolled away, not cut off."""
    if not w.isVisibleTo(root) or w.width() <= 0 or w.height() <= 0:
        return False
    whole = _rect_in(w, root).adjusted(TOLERANCE, TOLERANCE, -TOLERANCE, -TOLERANCE)
    return _visible_rect(w, root).contains(whole)


def _hidden_values(name: str, root: QWidget, widgets: Iterable[QWidget]) -> list[str]:
    """A widget marked ``in_view`` (the live reading, the value being captured) is shown whole
    without scrolling: an operator must not have to find it."""
    problems = []
    for w in widgets:
        if not w.property(IN_VIEW) or w.width() <= 0 or w.height() <= 0:
            continue
        if not in_view(w, root):
            problems.append(f"{name}: {describe(w)} must be in view and is scrolled or cut off")
    return problems


def _text_of(w: QWidget) -> str:
    if isinstance(w, (QLabel, QAbstractButton)):
        return w.text()
    return ""


def _elided(w: QWidget) -> bool:
    """`w` shows less than its whole text (`style.ElidedLabel` ends it in "…"); a
    `style.WrapButton` shows it all on more lines."""
    full = getattr(w, "full_text", None)
    if not isinstance(full, str) or not full.strip():
        return False
    return "".join(_text_of(w).split()) != "".join(full.split())


def _sliced(w: QWidget, root: QWidget) -> bool:
    """An edge of what `w`'s holders show runs through a line of its text (half a line shows)."""
    whole, seen = _rect_in(w, root), _visible_rect(w, root)
    if seen.isEmpty() or seen.height() >= whole.height() - TOLERANCE:
        return False
    edges = [seen.top() - whole.top(), seen.bottom() + 1 - whole.top()]
    return any(
        top + 2 * TOLERANCE < edge < bottom - 2 * TOLERANCE
        for top, bottom in text_lines(w)
        for edge in edges
    )


def _cut_in_scroll_area(name: str, root: QWidget, widgets: Iterable[QWidget]) -> list[str]:
    """A text a scroll area cuts short. Whether or not a scroll bar shows (a thin one is easily
    missed, and nobody scrolls sideways on a touch panel): across (wider than the area shows,
    or elided) or through a line (the area's edge shows half a line). And down, between
    lines, while it shows no vertical scroll bar (nothing says there is more)."""
    problems = []
    for w in widgets:
        if not _text_of(w).strip() or w.width() <= 0 or w.height() <= 0:
            continue
        area = _scroll_area_of(w, root)
        if area is None:
            continue
        shown = _visible_width(w, root)
        if shown < w.width() - TOLERANCE:
            problems.append(
                f"{name}: the text of {describe(w)} is cut across by {describe(area)}:"
                f" {w.width()} px wide, {shown} px shown"
            )
        elif _elided(w):
            problems.append(
                f'{name}: the text of {describe(w)} is cut short with "…" in {describe(area)}'
            )
        elif _sliced(w, root):
            problems.append(
                f"{name}: the text of {describe(w)} is cut through a line by {describe(area)}"
            )
        elif (
            isinstance(w, QLabel)
            and not in_view(w, root)
            and not area.verticalScrollBar().isVisibleTo(root)
        ):
            problems.append(
                f"{name}: the text of {describe(w)} is cut short in {describe(area)},"
                " which shows no scroll bar"
            )
    return problems


def check_layout(name: str, root: QWidget, m: Metrics) -> list[str]:
    """Every problem a gloved operator would meet on `root`, each naming screen and widget."""
    widgets = _shown(root)
    problems = _outside(name, root, widgets)
    problems += _hidden_values(name, root, widgets)
    problems += _cut_in_scroll_area(name, root, widgets)
    problems += _overlaps(name, root, widgets)
    for w in widgets:
        if isinstance(w, QAbstractButton):
            problems += _button_text(name, w)
            problems += _targets(name, w, m)
        elif isinstance(w, QLabel):
            problems += _label_text(name, w)
    return problems
