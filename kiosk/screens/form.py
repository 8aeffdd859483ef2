"""A touch form: what is asked on one page, typing one field at a time on the other.

A 20 mm text pad fills most of a 10" panel, so a form has two pages. The
summary page shows what the form is about (what is signed, its meaning, who
signs), choice buttons and one tappable slot per field; tapping a slot opens
the typing page: that field, large, above the pad. "Next" moves to the next
empty field, "Done" back to the summary, where OK submits. Dialogs and the
login and lock screens are all forms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.screens.config import Metrics
from kiosk.screens.display import local_number
from kiosk.screens.i18n import tr
from kiosk.screens.keypad import Buffer, NumericPad, TextPad
from kiosk.screens.style import (
    ClampedLabel,
    ElidedLabel,
    WrapButton,
    button,
    label,
    scroll_area,
    slot_button,
    stylesheet,
)

CONTEXT_LINES = 3  # what is signed, beside the field being typed above a 20 mm pad
SIGNER_SLOTS = ("user", "password")  # the fields a signature dialog asks of who signs


@dataclass(frozen=True)
class Slot:
    """One field of a form."""

    name: str
    label: str
    kind: str = "text"  # "text" | "secret" | "number" | "choice"
    hint: str = ""  # shown while typing: unit and allowed range, expected format
    choices: Sequence[str] = ()  # kind "choice": one button each
    presets: Sequence[str] = ()  # kind "text": buttons that fill in a common answer
    required: bool = True
    initial: str = ""
    decimal: bool = True
    negative: bool = True
    describe: Callable[[str], str] | None = field(default=None, compare=False)  # id -> name
    # a problem with the typed text ("250 is above 200 kg"), said as soon as the field is left
    check: Callable[[str], str | None] | None = field(default=None, compare=False)


def masked(slot: Slot, text: str) -> str:
    if slot.kind == "number":
        return local_number(text)  # shown the user's way; the value keeps its point
    return "•" * len(text) if slot.kind == "secret" else text


class Form(QWidget):
    """Summary page + typing page; emits `accepted(values)` or `cancelled()`."""

    accepted = Signal(dict)
    cancelled = Signal()
    typing = Signal(bool)  # the typing page is showing: a window may hide its bars for room

    def __init__(
        self,
        metrics: Metrics,
        title: str,
        lines: Sequence[str],
        slots: Sequence[Slot],
        *,
        ok_text: str = "",
        cancel_text: str | None = "",
        columns: int = 1,
        context: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ok_text = ok_text or tr("OK")
        if cancel_text == "":
            cancel_text = tr("Cancel")
        self.m = metrics
        self.slots = list(slots)
        self.buffers = {s.name: Buffer(s.initial, parent=self) for s in self.slots}
        self.slot_buttons: dict[str, WrapButton] = {}
        self.choice_buttons: dict[str, dict[str, QPushButton]] = {}
        self.active: Slot | None = None
        self.title = title
        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        # ---- summary page: what it is about (scrolls when long), the actions always in view
        self.summary = QWidget()
        page = QVBoxLayout(self.summary)
        page.setContentsMargins(metrics.mm(3), metrics.mm(2), metrics.mm(3), metrics.mm(2))
        page.setSpacing(metrics.mm(1.5))
        content = QWidget()
        col = QVBoxLayout(content)
        col.setContentsMargins(0, 0, metrics.mm(1), 0)
        col.setSpacing(metrics.mm(1.5))
        self.title_label = label(title, role="title", wrap=True, name="form-title")
        col.addWidget(self.title_label)
        self.line_labels: list[QLabel] = []
        for text in lines:
            lab = label(text, wrap=True)
            self.line_labels.append(lab)
            col.addWidget(lab)
        grid = QGridLayout()
        grid.setSpacing(metrics.mm(1.5))
        place = 0
        later: list[Slot] = []  # choices beside a grid of fields come after it
        for s in self.slots:
            if s.kind == "choice":
                if columns > 1:
                    later.append(s)
                    continue
                col.addWidget(label(s.label, role="muted", wrap=True))
                col.addLayout(self._choices(s))
                continue
            b = slot_button(metrics, f"slot-{s.name}")
            b.clicked.connect(lambda _=False, slot=s: self.edit(slot))
            self.slot_buttons[s.name] = b
            if columns == 1:  # one field a line, in the order asked
                grid = QGridLayout()
                grid.setSpacing(metrics.mm(1.5))
                col.addLayout(grid)
                place = 0
            row, c = divmod(place, columns)
            grid.addWidget(b, row * 2, c)
            if s.presets:
                presets = QGridLayout()
                presets.setSpacing(metrics.gap)
                for i, text in enumerate(s.presets):
                    p = button(text, metrics, size="target", name=f"preset-{s.name}")
                    p.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                    p.clicked.connect(lambda _=False, t=text, n=s.name: self.buffers[n].set(t))
                    presets.addWidget(p, *divmod(i, 2))
                grid.addLayout(presets, row * 2 + 1, c)
            place += 1
            self.buffers[s.name].changed.connect(lambda _t, slot=s: self._refresh(slot))
            self._refresh(s)
        if columns > 1:
            col.addLayout(grid)
        for s in later:
            col.addWidget(label(s.label, role="muted", wrap=True))
            col.addLayout(self._choices(s))
        self.problem = label("", wrap=True, name="form-problem")
        self.problem.setStyleSheet("color: #b3261e; font-weight: bold;")
        col.addWidget(self.problem)
        col.addStretch(1)
        self.scroller = scroll_area(content)
        page.addWidget(self.scroller, 1)
        actions = QHBoxLayout()
        actions.setSpacing(metrics.mm(3))
        if cancel_text:
            self.cancel_button: QPushButton | None = button(
                cancel_text, metrics, name="form-cancel"
            )
            self.cancel_button.clicked.connect(self.cancelled.emit)
            actions.addWidget(self.cancel_button)
        else:
            self.cancel_button = None
        actions.addStretch(1)
        self.ok_button = button(ok_text, metrics, role="primary", name="form-ok")
        self.ok_button.setMinimumWidth(metrics.mm(50))
        self.ok_button.clicked.connect(self.submit)
        actions.addWidget(self.ok_button)
        page.addLayout(actions)
        self.pages.addWidget(self.summary)

        # ---- typing page: the field, large, above the pad (a 20 mm pad fills a 10" panel);
        # beside it, `context`: what is signed and its meaning stay in view while typing
        self.typing_page = QWidget()
        tcol = QVBoxLayout(self.typing_page)
        tcol.setContentsMargins(metrics.mm(1), metrics.mm(1), metrics.mm(1), metrics.mm(1))
        tcol.setSpacing(metrics.mm(0.5))
        top = QGridLayout()
        top.setHorizontalSpacing(metrics.mm(2))
        top.setVerticalSpacing(0)
        # one line each while what is signed stands beside them (`edit`), else they wrap
        self.typing_label = ClampedLabel("", lines=None, role="muted", name="typing-label")
        self.typing_value = ElidedLabel(
            name="typing-value", role="value", mode=Qt.TextElideMode.ElideLeft
        )
        self.typing_note = ClampedLabel("", lines=None, name="typing-note")
        self.typing_problem = label("", wrap=True, name="typing-problem")
        self.typing_problem.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.typing_problem.hide()
        back = button(tr("Back"), metrics, size="target", name="typing-back")
        back.clicked.connect(self.show_summary)
        # at most three lines, so the keys keep their 20 mm: the first line may wrap once
        self.typing_context = QWidget()
        self.typing_context.setObjectName("typing-context")
        strip = QVBoxLayout(self.typing_context)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.setSpacing(0)
        shown = list(context)[:CONTEXT_LINES]
        self.context_labels = [
            ClampedLabel(
                text, lines=CONTEXT_LINES - len(shown) + 1 if i == 0 else 1, name="context"
            )
            for i, text in enumerate(shown)
        ]
        for lab in self.context_labels:
            strip.addWidget(lab)
        self.typing_context.hide()  # shown while a signer types who they are (`edit`)
        top.addWidget(self.typing_label, 0, 0)
        top.addWidget(self.typing_value, 1, 0)
        top.addWidget(self.typing_note, 2, 0)
        top.addWidget(self.typing_context, 0, 1, 3, 1, Qt.AlignmentFlag.AlignTop)
        top.addWidget(back, 0, 2, 2, 1, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.typing_problem, 3, 0, 1, 3)
        top.setColumnStretch(0, 1)
        self.typing_top = top
        tcol.addLayout(top)
        tcol.addStretch(1)
        self.text_pad = TextPad(metrics, ok_text=tr("Next"), cancel_text=None)
        self.num_pad = NumericPad(metrics, ok_text=tr("Next"))
        for pad in (self.text_pad, self.num_pad):
            pad.accepted.connect(self._next)
            pad.hide()
            tcol.addWidget(pad, 0, Qt.AlignmentFlag.AlignHCenter)
        self.pages.addWidget(self.typing_page)
        self.pages.setCurrentWidget(self.summary)

    # ------------------------------------------------------------ building

    def _choices(self, s: Slot) -> QGridLayout:
        """One button per choice: side by side when short, one a line when long."""
        row = QGridLayout()
        row.setSpacing(self.m.gap)
        per_line = len(s.choices) if max((len(c) for c in s.choices), default=0) <= 14 else 1
        group = QButtonGroup(self)
        group.setExclusive(True)
        self.choice_buttons[s.name] = {}
        for choice in s.choices:
            b = button(choice, self.m, name=f"choice-{s.name}-{choice}")
            b.setCheckable(True)
            b.setChecked(choice == s.initial)
            b.clicked.connect(lambda _=False, c=choice, n=s.name: self.buffers[n].set(c))
            group.addButton(b)
            row.addWidget(b, *divmod(len(self.choice_buttons[s.name]), max(1, per_line)))
            self.choice_buttons[s.name][choice] = b
        return row

    def _refresh(self, s: Slot) -> None:
        text = self.buffers[s.name].text
        if hasattr(self, "problem") and self.problem.text():
            self.problem.setText("\n".join(self.problems()))  # never a stale problem
        shown = masked(s, text) if text else tr("tap to type")
        extra = ""
        if s.describe is not None and text:
            extra = f"  →  {s.describe(text)}"
        self.slot_buttons[s.name].set_full_text(f"{s.label}: {shown}{extra}")
        if self.active is s:
            self.typing_value.set_full_text(masked(s, text) + "▏")
            note = " · ".join(
                t for t in (s.hint, s.describe(text) if s.describe and text else "") if t
            )
            self.typing_note.set_full_text(note)
            self.typing_note.setVisible(bool(note))

    # ------------------------------------------------------------ using

    def start(self) -> None:
        """Begin by typing the first empty field (saves a tap); else show the summary."""
        first = self._first_empty()
        if first is not None and first.kind != "choice":
            self.edit(first)
        else:
            self.show_summary()

    def _first_empty(self) -> Slot | None:
        return next(
            (s for s in self.slots if s.required and not self.buffers[s.name].text.strip()),
            None,
        )

    def edit(self, s: Slot) -> None:
        self.active = s
        whose = ""
        user = next((u for u in self.slots if u.name == "user" and u.describe), None)
        if s.kind == "secret" and user is not None and user.describe is not None:
            typed = self.buffers["user"].text.strip()
            whose = tr(" of {name}").format(name=user.describe(typed)) if typed else ""
        # who signs: what is signed and its meaning stay in view beside the User ID and
        # password, in place of the dialog's title (other fields keep the width for their
        # label and hint)
        beside = bool(self.context_labels) and s.name in SIGNER_SLOTS
        self.typing_context.setVisible(beside)
        self.typing_top.setColumnStretch(0, 2 if beside else 1)
        self.typing_top.setColumnStretch(1, 3 if beside else 0)
        title = "" if beside else f"{self.title} — "
        lines = 1 if beside else None
        self.typing_note.set_lines(lines)
        self.typing_label.set_lines(lines)
        self.typing_label.set_full_text(f"{title}{s.label}{whose}")
        numeric = s.kind == "number"
        pad = self.num_pad if numeric else self.text_pad
        other = self.text_pad if numeric else self.num_pad
        other.hide()
        other.attach(None)
        pad.show()
        pad.attach(self.buffers[s.name])
        if numeric:
            self.num_pad.allow(decimal=s.decimal, negative=s.negative)
        self._refresh(s)
        self._update_next()
        self.pages.setCurrentWidget(self.typing_page)
        self.typing.emit(True)

    def _update_next(self) -> None:
        later = [
            s
            for s in self.slots
            if s is not self.active and s.kind != "choice" and not self.buffers[s.name].text
        ]
        for pad in (self.text_pad, self.num_pad):
            pad.keys["ok"].setText(tr("Next") if later else tr("Done"))

    def _problem_of(self, s: Slot) -> str | None:
        text = self.buffers[s.name].text
        if s.check is None or not text.strip():
            return None
        return s.check(text)

    def _next(self) -> None:
        if self.active is not None:
            problem = self._problem_of(self.active)
            if problem is not None:
                self.set_problem(problem)
                return
            self.set_problem("")
        nxt = next(
            (
                s
                for s in self.slots
                if s is not self.active and s.kind != "choice" and not self.buffers[s.name].text
            ),
            None,
        )
        if nxt is not None:
            self.edit(nxt)
        else:
            self.show_summary()

    def show_summary(self) -> None:
        self.active = None
        self.text_pad.attach(None)
        self.num_pad.attach(None)
        self.typing_problem.setText("")
        self.typing_problem.hide()
        self.pages.setCurrentWidget(self.summary)
        self.typing.emit(False)

    def is_typing(self) -> bool:
        return self.pages.currentWidget() is self.typing_page

    def values(self) -> dict[str, str]:
        return {name: buf.text for name, buf in self.buffers.items()}

    def problems(self) -> list[str]:
        """Every missing field and every wrong value, all at once."""
        found = []
        for s in self.slots:
            if s.required and not self.buffers[s.name].text.strip():
                found.append(tr("{field} is needed").format(field=s.label))
            elif (problem := self._problem_of(s)) is not None:
                found.append(problem)
        return found

    def submit(self) -> None:
        problems = self.problems()
        if problems:
            missing = self._first_empty()
            if missing is not None and missing.kind != "choice":
                self.edit(missing)  # saves a tap: type what is missing now
            self.set_problem("\n".join(problems))  # every problem at once, not one a time
            self.scroller.ensureWidgetVisible(self.problem)
            return
        self.problem.setText("")
        self.accepted.emit(self.values())

    def set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.typing_problem.setText(text)
        self.typing_problem.setVisible(bool(text))

    # ------------------------------------------------------------ scripted use

    def fill(self, answers: Mapping[str, str]) -> None:
        """Enter answers through the real keys and buttons (tests and the demo)."""
        for s in self.slots:
            if s.name not in answers:
                continue
            value = str(answers[s.name])
            if s.kind == "choice":
                self.choice_buttons[s.name][value].click()
                continue
            self.slot_buttons[s.name].click()
            pad = self.num_pad if s.kind == "number" else self.text_pad
            if isinstance(pad, TextPad) and not pad.can_type(value):
                self.buffers[s.name].set(value)  # characters the pad has no key for
            else:
                pad.press("clear")
                pad.type_text(value)
            self.show_summary()


class FormDialog(QDialog):
    """A form over the whole window, frameless: nothing else can be touched meanwhile."""

    def __init__(self, form: Form, metrics: Metrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setModal(True)
        self.setStyleSheet(stylesheet(metrics))
        self.form = form
        self.result_values: dict[str, str] | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # no size constraint: the dialog covers the window, whatever the form's size hint
        lay.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        lay.addWidget(form)
        form.accepted.connect(self._accept)
        form.cancelled.connect(self.reject)
        if parent is not None:
            window = parent.window()
            self.setGeometry(window.geometry())

    def _accept(self, values: dict[str, str]) -> None:
        self.result_values = values
        self.accept()
