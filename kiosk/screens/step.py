"""The batch screen: one step at a time, its input by kind, the stages, the identity banner.

The screen renders `Engine.view(batch)` and sends intents through
`Station.act`; it decides nothing. What each step kind shows is a small
registry (`PANELS`): kind -> panel class. A step waiting for a witness or a
signature, a batch on hold and a finished batch have panels of their own.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import QMetaObject, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.auth import Session
from kiosk.batch import ABORTED, COMPLETED, IN_PROGRESS, ON_HOLD, RELEASED
from kiosk.devices.decode import Code
from kiosk.engine import Credentials, Reading, View
from kiosk.entries import fmt_limits
from kiosk.monitoring_service import monitor_value_text
from kiosk.recipe import (
    CalcStep,
    CheckStep,
    EntryStep,
    LabelPrintStep,
    Monitor,
    ScanStep,
    SignatureStep,
    TimerStep,
    WeighStep,
)
from kiosk.screens.bridge import WeightReading
from kiosk.screens.dialogs import SignRequest, ValueSpec
from kiosk.screens.display import (
    duration_text,
    limits_text,
    local_number,
    local_time,
    unit_text,
    value_text,
)
from kiosk.screens.i18n import QT_TR_NOOP, roles_text, shown, signature_text, tr
from kiosk.screens.keypad import Buffer, NumericPad
from kiosk.screens.layoutcheck import IN_VIEW
from kiosk.screens.station import Station
from kiosk.screens.style import ACCEPT, REFUSE, WARN, button, label, restyle, scroll_area
from kiosk.screens.tasks import make_timer
from kiosk.screens.viewinfo import (
    category_words,
    hold_info,
    limit_lines,
    outside_action,
    qc_lines,
    stage_values,
)
from kiosk.screens.widgets import (
    IDENTIFIER_LABELS,
    CameraPreview,
    IdentityBanner,
    StageList,
    read_in_words,
)

log = logging.getLogger(__name__)

SIGN_TITLES = {"witnessed": QT_TR_NOOP("Witness"), "approved": QT_TR_NOOP("Supervisor approval")}

SCAN_WHAT = {
    "isbt128.din": QT_TR_NOOP("the DIN (ISBT 128) on the bag"),
    "isbt128.coi": QT_TR_NOOP("the chain-of-identity (CoI) label"),
    "gs1.material": QT_TR_NOOP("the GS1 label on the material"),
    "equipment": QT_TR_NOOP("the equipment barcode"),
    "text": "the barcode",
}


class Panel(QWidget):
    """The input area for one step kind; `side` is an optional column at the right (a pad)."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__()
        self.owner = screen
        self.view = view
        self.m = screen.m
        self.side: QWidget | None = None
        self.lead: QWidget | None = None  # shown under the step's title, before the instruction
        self.fill_bar = False  # True: the action row's last widget takes the spare width
        self.offers_custody = True  # False: no room in the action row (a keypad, a reading)
        self.col = QVBoxLayout(self)
        self.col.setContentsMargins(0, 0, 0, 0)
        self.col.setSpacing(self.m.mm(1.5))
        # the actions stay in view below the texts, which scroll when they are long
        self.bar = QWidget()
        self.action_row = QHBoxLayout(self.bar)
        self.action_row.setContentsMargins(0, 0, 0, 0)
        self.action_row.setSpacing(self.m.mm(3))

    def add_action(self, b: QWidget) -> None:
        self.action_row.addWidget(b)

    def refresh(self, view: View) -> None:
        self.view = view

    def on_code(self, text: str, source: str) -> bool:
        """A code read at a step that does not expect one: the engine says why not."""
        del source
        s = self.owner
        if s.view is None or s.view.state not in (IN_PROGRESS, ON_HOLD):
            return False
        self.act(lambda: s.engine.scan(*s.who(), text))
        return True

    def on_weight(self, reading: WeightReading) -> None:
        del reading

    def on_device_error(self, message: str, source: str) -> None:
        del message, source

    def stop(self) -> None:
        """Stop whatever runs (timers) before the panel goes away."""

    def act(self, fn: Callable[[], Any], ok: str | Callable[[Any], str] = "") -> bool:
        return self.owner.act(fn, ok)


# ---------------------------------------------------------------- step kinds


class InstructionPanel(Panel):
    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        done = button(tr("Done"), self.m, role="primary", name="step-done")
        done.setMinimumWidth(self.m.mm(60))
        done.clicked.connect(lambda: self.act(lambda: screen.engine.confirm(*screen.who())))
        self.add_action(done)


class CheckPanel(Panel):
    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, CheckStep)
        row = QHBoxLayout()
        row.setSpacing(self.m.mm(4))
        for result, text, role in (("pass", "Pass", "accept"), ("fail", "Fail", "danger")):
            b = button(text, self.m, role=role, name=f"check-{result}")
            b.setMinimumWidth(self.m.mm(40))
            b.clicked.connect(lambda _=False, r=result: self._check(r))
            row.addWidget(b)
        if step.allow_na:
            na = button(tr("N.A."), self.m, name="check-na")
            na.setMinimumWidth(self.m.mm(30))
            na.clicked.connect(lambda: self._check("na"))
            row.addWidget(na)
        row.addStretch(1)
        self.action_row.addLayout(row)

    def _check(self, result: str) -> None:
        s = self.owner
        comment = None
        if result in ("fail", "na"):
            what = tr("failed") if result == "fail" else tr("not applicable")
            comment = s.station.s.prompts.text(
                tr("Why {v0}?").format(v0=what),
                ValueSpec(tr("Comment"), kind="text"),
                lines=[tr("{v0}: say why, in a few words.").format(v0=s.step_title())],
            )
            if comment is None:
                return
        self.act(lambda: s.engine.check(*s.who(), result, comment=comment))


class NumberEntry(Panel):
    """A number typed on the screen's pad, with its unit and allowed range in view."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, EntryStep)
        self.offers_custody = False  # beside a keypad the row has no room to spare
        self.buffer = Buffer(max_length=16, parent=self)
        self.value = label("", role="value", name="entry-value")
        self.value.setMinimumHeight(self.m.min_target)
        self.value.setStyleSheet(
            f"background: white; border: 2px solid #0b4f8a; padding: 0 {self.m.mm(2)}px;"
        )
        allowed = limits_text(step.range, step.unit)
        parts = [
            tr("allowed {limits}").format(limits=allowed)
            if allowed
            else tr("unit {unit}").format(unit=unit_text(step.unit) or tr("none"))
        ]
        if step.decimals is not None:
            many = tr("{n} decimals") if step.decimals != 1 else tr("{n} decimal")
            parts.append(many.format(n=step.decimals))
        self.hint = label(" · ".join(parts), wrap=True, name="entry-hint")
        self.limits = label(" · ".join(limit_lines(step)), wrap=True, name="entry-limits")
        self.limits.setStyleSheet(f"color: {WARN}; font-weight: bold;")
        self.limits.setVisible(bool(limit_lines(step)))
        record = button(tr("Record"), self.m, role="primary", name="entry-record")
        record.setMinimumWidth(self.m.mm(40))
        record.clicked.connect(self._record)
        self.buffer.changed.connect(self._show)
        self._show("")
        # the allowed range and the limits come right under the title, before the instruction
        self.lead = QWidget()
        lead = QVBoxLayout(self.lead)
        lead.setContentsMargins(0, 0, 0, 0)
        lead.setSpacing(self.m.mm(1))
        lead.addWidget(self.hint)
        lead.addWidget(self.limits)
        # the value typed stays in view beside Record, whatever the texts above need
        self.value.setMinimumWidth(self.m.mm(50))
        self.value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.add_action(self.value)
        self.add_action(record)
        pad = NumericPad(self.m, wide=True)
        pad.attach(self.buffer)
        low = step.range[0] if step.range else None
        pad.allow(decimal=step.decimals != 0, negative=low is None or low < 0)
        self.pad = pad
        self.side = pad

    def _show(self, text: str) -> None:
        step = self.view.step
        assert isinstance(step, EntryStep)
        shown = local_number(f"{text or ' '} {unit_text(step.unit)}".strip())
        self.value.setText(shown or " ")

    def _record(self) -> None:
        s = self.owner
        text = self.buffer.text
        if not text:
            s.station.s.feedback.refuse(tr("type the value on the keypad first"))
            return
        step = self.view.step
        beyond = outside_action(step, float(text)) if _is_number(text) else ""
        if beyond and not s.station.s.prompts.confirm(
            tr("Outside the action limits"),
            tr(
                "{v0}. Recording it puts the batch on hold until a supervisor acknowledges it."
                " Record it?"
            ).format(v0=beyond),
            ok=tr("Record"),
        ):
            return
        if self.act(lambda: s.engine.enter(*s.who(), text)):
            self.buffer.clear()
            if beyond:
                s.station.s.feedback.alarm(tr("Recorded — batch on hold: {v0}").format(v0=beyond))


class ChoiceEntry(Panel):
    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, EntryStep)
        self.chosen: str | None = None
        row = QHBoxLayout()
        row.setSpacing(self.m.mm(3))
        group = QButtonGroup(self)
        for choice in step.choices or []:
            b = button(choice, self.m, name=f"choice-{choice}")
            b.setCheckable(True)
            b.setMinimumWidth(self.m.mm(40))
            b.clicked.connect(lambda _=False, c=choice: self._choose(c))
            group.addButton(b)
            row.addWidget(b)
        row.addStretch(1)
        self.record = button(tr("Record"), self.m, role="primary", name="entry-record")
        self.record.setMinimumWidth(self.m.mm(50))
        self.record.setEnabled(False)
        self.record.clicked.connect(self._record)
        self.col.addLayout(row)
        self.add_action(self.record)

    def _choose(self, choice: str) -> None:
        self.chosen = choice
        self.record.setEnabled(True)

    def _record(self) -> None:
        s = self.owner
        if self.chosen is not None:
            chosen = self.chosen
            self.act(lambda: s.engine.enter(*s.who(), chosen))


class TextEntry(Panel):
    """Text and date entries: typed on the text pad in a full-window form."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, EntryStep)
        self.is_date = step.type == "date"
        row = QHBoxLayout()
        row.setSpacing(self.m.mm(3))
        typed = button(
            tr("Type the date and time") if self.is_date else tr("Type the value"),
            self.m,
            role="primary",
            name="entry-type",
        )
        typed.clicked.connect(self._type)
        row.addWidget(typed)
        if self.is_date:
            now = button(tr("Now"), self.m, name="entry-now")
            now.clicked.connect(self._now)
            row.addWidget(now)
        row.addStretch(1)
        self.action_row.addLayout(row)

    def _type(self) -> None:
        s = self.owner
        hint = tr("YYYY-MM-DD HH:MM (UTC)") if self.is_date else ""
        text = s.station.s.prompts.text(
            s.step_title(), ValueSpec(s.step_title(), kind="text", hint=hint)
        )
        if text is not None:
            self.act(lambda: s.engine.enter(*s.who(), text))

    def _now(self) -> None:
        s = self.owner
        moment = s.station.s.clock()
        self.act(lambda: s.engine.enter(*s.who(), moment))


def entry_panel(screen: StepScreen, view: View) -> Panel:
    step = view.step
    assert isinstance(step, EntryStep)
    if step.source is not None:  # from the cell counter's file (kiosk.screens.capture)
        return PANELS["counter"](screen, view)
    if step.type == "number":
        return NumberEntry(screen, view)
    if step.type == "choice":
        return ChoiceEntry(screen, view)
    return TextEntry(screen, view)


def material_lines(screen: StepScreen, step: ScanStep) -> list[QLabel]:
    """What a material step needs, and how old the lot list from the server is (offline, the
    station keeps using its last list and says so)."""
    master = screen.station.s.engine.masterdata
    needs = master.material_name(step.material_code or "")
    text = tr("Needs {v0}").format(v0=needs)
    if step.consume is not None:
        amount = value_text(float(step.consume.amount), step.consume.unit)
        text = tr("Needs {v0}, takes {v1}").format(v0=needs, v1=amount)
    lines = [label(text, wrap=True, name="scan-needs")]
    if master.pulled is not None:
        at = master.lots_as_of()
        lines.append(label(lots_age(at, screen.station.s.clock()), role="muted", name="lots-age"))
    return lines


def lots_age(at: str | None, now: datetime) -> str:
    if at is None:
        return tr("Lot list: not yet pulled from the server")
    minutes = int((now - datetime.fromisoformat(at.replace("Z", "+00:00"))).total_seconds() // 60)
    if minutes < 1:
        return tr("Lot list from the server: less than a minute old")
    if minutes < 120:
        return tr("Lot list from the server: {v0} min old").format(v0=minutes)
    return tr("Lot list from the server: {v0} h old").format(v0=minutes // 60)


class ScanPanel(Panel):
    """Waits for a code from the scanner, the camera or a keyboard wedge (through the bridge)."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, ScanStep)
        what = (
            tr("the Data Matrix on the product label (DIN and CoI)")
            if step.match == "label"
            else tr(SCAN_WHAT[step.expect])
        )
        self.waiting = label(tr("Scan {v0}").format(v0=what), role="value", wrap=True)
        self.waiting.setObjectName("scan-waiting")
        self.last = label(tr("Waiting for the scanner…"), role="muted", wrap=True, name="scan-last")
        self.col.addWidget(self.waiting)
        self.col.addWidget(self.last)
        if step.expect == "gs1.material":
            for line in material_lines(screen, step):
                self.col.addWidget(line)
        bridge = screen.station.s.bridge
        self.bridge = bridge
        self.preview = CameraPreview(self.m)
        self.preview.setVisible(bool(bridge.camera))  # shown once a camera sends a picture
        self.side = QWidget()  # at the right: the panel's column keeps its height for the texts
        side = QVBoxLayout(self.side)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        self._frames: QMetaObject.Connection | None = bridge.frame.connect(self._frame)
        self._reads: QMetaObject.Connection | None = bridge.read.connect(self._read)
        typed_text = {
            "isbt128.din": tr("Type the DIN by hand\n(supervisor)"),
            "isbt128.coi": tr("Type the CoI by hand\n(supervisor)"),
            "gs1.material": tr("Type the lot by hand\n(supervisor)"),
        }.get(step.expect)
        if typed_text is not None and step.match != "label":  # a label check is scanned
            typed = button(typed_text, self.m, name="scan-keyed")
            typed.clicked.connect(self._keyed)
            self.add_action(typed)

    def _frame(self, frame: object) -> None:
        if self.preview.show_frame(frame) and self.preview.isHidden():
            self.preview.setVisible(True)

    def _read(self, code: object) -> None:
        if isinstance(code, Code):
            words, good = read_in_words(code, self.view.identifiers.get("DIN"))
            self.preview.show_read(code.points, words, good)

    def stop(self) -> None:
        connections, self._frames, self._reads = (self._frames, self._reads), None, None
        for connection in connections:
            if connection is not None:
                QObject.disconnect(connection)  # False, no harm, when Qt already dropped it

    def on_code(self, text: str, source: str) -> bool:
        s = self.owner
        self.last.setText(tr("Read from {v0}: {v1}").format(v0=source, v1=text))
        self.act(lambda: s.engine.scan(*s.who(), text), ok=tr("Scan accepted"))
        return True

    def _keyed(self) -> None:
        """A code typed where the scan failed: checked like a read, signed by a supervisor."""
        s = self.owner
        step = self.view.step
        assert isinstance(step, ScanStep)
        what, spec, ok = {
            "isbt128.din": (
                tr("DIN typed by hand (scan failed)"),
                ValueSpec(
                    tr("DIN with its check character"),
                    kind="text",
                    hint=tr("13 characters, then the check character printed in the box"),
                ),
                tr("DIN accepted (exception raised for review)"),
            ),
            "isbt128.coi": (
                tr("CoI typed by hand (scan failed)"),
                ValueSpec(
                    tr("CoI with its check character"),
                    kind="text",
                    hint=tr("CH, 13 characters, then the check character printed in the box"),
                ),
                tr("CoI accepted (exception raised for review)"),
            ),
            "gs1.material": (
                tr("Material label typed by hand (scan failed)"),
                ValueSpec(
                    tr("Text under the barcode"),
                    kind="text",
                    hint=tr("(01) GTIN (10) lot (17) expiry, as printed under the barcode"),
                ),
                tr("Lot accepted (exception raised for review)"),
            ),
        }[step.expect]
        answer = s.station.s.prompts.override(
            s.sign_request("approved", what, who=tr("a supervisor")), spec
        )
        if answer is None or not answer.value:
            return
        text = answer.value
        self.act(
            lambda: s.engine.scan(
                *s.who(), text, keyed=True, override=answer.credentials, reason=answer.reason
            ),
            ok=ok,
        )


class ReadingBox(QWidget):
    """The target above the live value and its stability: side by side where the width
    allows, the stability under the value where it does not. The buttons beside it keep
    their size; the box takes what is left."""

    def __init__(
        self, target: QWidget | None, value: QWidget, stability: QWidget, gap: int
    ) -> None:
        super().__init__()
        self.setObjectName("weigh-reading")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.value = value
        self.stability = stability
        self.gap = gap
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        if target is not None:
            col.addWidget(target)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.row.setSpacing(gap)
        self.row.addWidget(value, 0)
        self.row.addWidget(stability, 1)
        col.addLayout(self.row)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        need = self.value.sizeHint().width() + self.gap + self.stability.sizeHint().width()
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if event.size().width() >= need
            else QBoxLayout.Direction.TopToBottom
        )
        if self.row.direction() != wanted:
            self.row.setDirection(wanted)
        super().resizeEvent(event)


class WeighPanel(Panel):
    """The live weight from the balance; Record only when it is stable."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, WeighStep)
        self.reading: WeightReading | None = None
        self.fault: str | None = None
        self.weight = label(tr("— g"), role="big", name="weigh-value")
        self.stability = label(
            tr("No reading from the balance yet"), wrap=True, name="weigh-stability"
        )
        for widget in (self.weight, self.stability):
            widget.setProperty(IN_VIEW, True)  # the live reading is never scrolled away
        limits = "\n".join(limit_lines(step))
        self.device = label(limits, wrap=True, name="weigh-device")
        self.device.setStyleSheet(f"color: {WARN}; font-weight: bold;")
        self.device.setVisible(bool(limits))
        self.record = button(tr("Record weight"), self.m, role="primary", name="weigh-record")
        self.record.setMinimumWidth(self.m.mm(60))
        self.record.clicked.connect(self._record)
        earlier = stage_values(screen.engine.batch(screen.batch))
        # what this stage recorded before (the target volume, say): the values name
        # themselves, "Target volume = 100 mL"
        self.earlier = label("; ".join(earlier), wrap=True, name="weigh-earlier")
        self.earlier.setStyleSheet("font-weight: bold;")
        self.earlier.setVisible(bool(earlier))
        self.col.addWidget(self.device)
        # below the texts that scroll, always in view: the target and the balance's ID across
        # the bar (one line, German too), Record and the reading under them, so the stability
        # is one short line and the instruction keeps its room
        self.earlier.setProperty(IN_VIEW, True)
        reading = ReadingBox(None, self.weight, self.stability, self.m.mm(3))
        self.offers_custody = False  # the reading takes the row; custody waits for the next step
        self.balance = label("", role="muted", name="weigh-balance")
        self.balance.hide()
        heading = QHBoxLayout()
        heading.setSpacing(self.m.mm(2))
        heading.addWidget(self.earlier, 1)
        self.balance.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        heading.addWidget(self.balance, 0)  # its own width; the target takes the rest
        stack = QVBoxLayout()
        stack.setSpacing(0)
        stack.addLayout(heading)
        row = QHBoxLayout()
        row.setSpacing(self.m.mm(3))
        row.addWidget(self.record)
        row.addWidget(reading, 1)
        stack.addLayout(row)
        self.action_row.addLayout(stack, 1)
        self.fill_bar = True
        side = QWidget()
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.setSpacing(self.m.mm(2))
        for name, text in (("tare", tr("Tare")), ("zero", tr("Zero"))):
            b = button(text, self.m, name=f"weigh-{name}")
            b.setMinimumWidth(self.m.mm(45))
            b.clicked.connect(lambda _=False, n=name: self._command(n))
            side_col.addWidget(b)
        manual = button(tr("Type weight\n(supervisor)"), self.m, name="weigh-manual")
        manual.setMinimumWidth(self.m.mm(45))
        manual.clicked.connect(self._manual)
        side_col.addStretch(1)
        side_col.addWidget(manual)
        self.side = side
        self._update()

    def _update(self) -> None:
        r = self.reading
        if self.fault:
            self.weight.setText("— —")
            self.stability.setText(tr("Balance fault: {v0}").format(v0=shown(self.fault)))
            self.stability.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
        elif r is None:
            self.stability.setStyleSheet("")
        else:
            self.weight.setText(f"{local_number(f'{r.value:g}')} {unit_text(r.unit)}")
            self.stability.setText(tr("● Stable") if r.stable else tr("○ Not stable yet"))
            self.balance.setText(tr("Balance {device}").format(device=r.device))
            self.balance.show()
            self.stability.setStyleSheet(
                f"color: {ACCEPT if r.stable else WARN}; font-weight: bold;"
            )
        self.record.setEnabled(r is not None and r.stable and self.fault is None)

    def on_weight(self, reading: WeightReading) -> None:
        self.reading = reading
        self.fault = None
        self._update()

    def on_device_error(self, message: str, source: str) -> None:
        del source  # any balance fault stops recording until a fresh reading arrives
        self.reading = None
        self.fault = message
        self._update()

    def _record(self) -> None:
        s = self.owner
        r = self.reading
        if r is None or not r.stable or self.fault:
            s.station.s.feedback.refuse(
                tr("the balance is not stable yet — wait for the stable sign")
            )
            return
        reading = Reading(r.value, r.unit, r.stable, r.device)
        beyond = outside_action(self.view.step, r.value)
        if beyond and not s.station.s.prompts.confirm(
            tr("Outside the action limits"),
            tr("{v0}. Recording it puts the batch on hold. Record it?").format(v0=beyond),
            ok=tr("Record"),
        ):
            return
        if (
            self.act(
                lambda: s.engine.weigh(*s.who(), reading),
                ok=tr("Weight recorded from {device}").format(device=r.device),
            )
            and beyond
        ):
            s.station.s.feedback.alarm(tr("Recorded — batch on hold: {v0}").format(v0=beyond))

    def _command(self, name: str) -> None:
        command = self.owner.station.s.balance_command
        if command is None:
            self.owner.station.s.feedback.info(
                tr(
                    "{v0}: this balance takes no commands from the station —"
                    " press the {v1} key on the balance itself"
                ).format(v0=name.title(), v1=name.title())
            )
            return
        try:
            command(name)
        except Exception as exc:  # a device layer failure is shown, never raised into Qt
            self.owner.station.s.feedback.refuse(tr("{v0} failed: {v1}").format(v0=name, v1=exc))
            return
        self.owner.station.s.feedback.info(tr("{v0} sent to the balance").format(v0=name.title()))

    def _manual(self) -> None:
        s = self.owner
        step = s.v().step
        assert isinstance(step, WeighStep)
        answer = s.station.s.prompts.override(
            s.sign_request(
                "approved", tr("Manual weight (balance not used)"), who=tr("a supervisor")
            ),
            ValueSpec(tr("Weight"), unit=step.unit, decimal=step.decimals != 0, negative=False),
        )
        if answer is None or answer.value is None:
            return
        value = answer.value
        self.act(
            lambda: s.engine.weigh(
                *s.who(),
                None,
                manual_value=float(value) if _is_number(value) else value,  # type: ignore[arg-type]
                override=answer.credentials,
                reason=answer.reason,
            ),
            ok=tr("Manual weight recorded (exception raised for review)"),
        )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class CalcPanel(Panel):
    """The calculated value with its formula and inputs; the operator confirms it."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, CalcStep)
        preview = view.preview or {}
        if "error" in preview:
            value = label(str(preview["error"]), wrap=True, name="calc-value")
            value.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
            self.col.addWidget(value)
        else:
            shown = value_text(preview.get("value"), preview.get("unit"))
            self.col.addWidget(label(f"= {shown}", role="big", name="calc-value"))
            self.col.addWidget(
                label(tr("Formula: {v0}").format(v0=step.formula), wrap=True, name="calc-formula")
            )
            inputs = preview.get("inputs", {})
            parts = []
            for name, val in inputs.items():
                if isinstance(val, dict):
                    parts.append(f"{name} = {value_text(val.get('value'), val.get('unit'))}")
                else:
                    parts.append(f"{name} = {val}")
            self.col.addWidget(label("; ".join(parts), role="muted", wrap=True, name="calc-in"))
        confirm = button(tr("Confirm"), self.m, role="primary", name="calc-confirm")
        confirm.setMinimumWidth(self.m.mm(50))
        confirm.clicked.connect(
            lambda: self.act(lambda: screen.engine.confirm(*screen.who()), ok=tr("Confirmed"))
        )
        self.add_action(confirm)


class TimerPanel(Panel):
    """Elapsed time and what is left to the minimum; start and stop (early with an override)."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, TimerStep)
        window = [
            t
            for t in (
                f"minimum {step.minimum}" if step.minimum else "",
                f"maximum {step.maximum}" if step.maximum else "",
            )
            if t
        ]
        self.elapsed = label("0:00:00", role="big", name="timer-elapsed")
        self.remaining = label("", name="timer-remaining", wrap=True)
        # the clock at the left; the monitored equipment's readings, if any, at the right
        self.top = QHBoxLayout()
        self.top.setSpacing(self.m.mm(6))
        clock = QVBoxLayout()
        clock.addWidget(self.elapsed)
        clock.addWidget(self.remaining)
        clock.addWidget(label(" · ".join(window), role="muted", name="timer-window"))
        clock.addStretch(1)
        self.top.addLayout(clock, 1)
        self.col.addLayout(self.top)
        row = QHBoxLayout()
        row.setSpacing(self.m.mm(3))
        self.start = button(tr("Start timer"), self.m, role="primary", name="timer-start")
        self.start.clicked.connect(
            lambda: self.act(
                lambda: screen.engine.timer_start(*screen.who()), ok=tr("Timer started")
            )
        )
        self.stop_button = button(tr("Stop timer"), self.m, role="primary", name="timer-stop")
        self.stop_button.clicked.connect(self._stop)
        self.early = button(tr("End early\n(supervisor)"), self.m, name="timer-early")
        self.early.clicked.connect(self._early)
        for b in (self.start, self.stop_button, self.early):
            b.setMinimumWidth(self.m.mm(45))
            row.addWidget(b)
        row.addStretch(1)
        self.action_row.addLayout(row)
        self.monitor: Monitor | None = step.monitor
        if step.monitor is not None:
            self._monitor_setup()
        self.ticker = make_timer(self, 1000, self._tick, name="step-timer")
        self._tick()
        if view.timer_started:
            self.ticker.start()

    # ------------------------------------------------------------ monitoring

    def _monitor_setup(self) -> None:
        """Latest readings and gaps of the equipment this timer monitors (the station samples
        it, whatever screen is shown: `StationMonitoring`); shown at each tick."""
        self.monitor_values = label("", name="monitor-values", wrap=True)
        self.monitor_gap = label("", name="monitor-gap", wrap=True)
        self.monitor_gap.setStyleSheet(f"color: {WARN}; font-weight: bold;")
        self.monitor_gap.setVisible(False)
        readings = QVBoxLayout()
        readings.addWidget(self.monitor_values)
        readings.addWidget(self.monitor_gap)
        readings.addStretch(1)
        self.top.addLayout(readings, 2)

    def _show_monitoring(self) -> None:
        monitor = self.monitor
        if monitor is None:
            return
        service = self.owner.station.s.monitoring
        status = service.status(self.owner.batch, self.view.key or "") if service else None
        gap_lines = [
            tr("No readings since {v0} ({v1})").format(
                v0=f"{gap.start.astimezone():%H:%M}", v1=gap.reason.split(" — ")[0]
            )
            for gap in (status.gaps[-2:] if status is not None else [])
        ]
        if status is not None and status.problem:
            gap_lines = [tr("Monitoring stopped: {v0}").format(v0=status.problem)]
        # while a gap lasts, its line stands where the readings were
        self.monitor_gap.setText("\n".join(gap_lines))
        self.monitor_gap.setVisible(bool(gap_lines))
        self.monitor_values.setVisible(not gap_lines)
        if status is None or status.sample is None:
            self.monitor_values.setText(
                tr("Monitoring {v0} every {v1}").format(v0=monitor.role, v1=monitor.interval)
            )
            return
        sample = status.sample
        lines = []
        for node, spec in monitor.nodes.items():
            value = monitor_value_text(sample.readings.get(node), spec)
            limits = [
                tr("{v0} {v1}").format(v0=tr(name), v1=fmt_limits(lim, None))
                for name, lim in (
                    (QT_TR_NOOP("alert"), spec.alert),
                    (QT_TR_NOOP("action"), spec.action),
                )
                if lim
            ]
            lines.append(f"{node} {value}" + (f" ({', '.join(limits)})" if limits else ""))
        at = f"{sample.at.astimezone():%H:%M}"
        self.monitor_values.setText(
            tr("Monitoring at {v0}:\n{v1}").format(v0=at, v1="\n".join(lines))
        )

    def refresh(self, view: View) -> None:
        super().refresh(view)
        self._tick()

    def _started(self) -> datetime | None:
        ts = self.view.timer_started
        return datetime.fromisoformat(ts.replace("Z", "+00:00")) if ts else None

    def _tick(self) -> None:
        step = self.view.step
        assert isinstance(step, TimerStep)
        started = self._started()
        running = started is not None
        self.start.setVisible(not running)
        self.stop_button.setVisible(running)
        elapsed = self.owner.station.s.clock() - started if started else timedelta(0)
        self.elapsed.setText(duration_text(elapsed))
        lo, hi = step.min_duration, step.max_duration
        early = running and lo is not None and elapsed < lo
        self.early.setVisible(early)
        self.stop_button.setEnabled(not early)  # before the minimum only "End early" stops it
        if not running:
            self.remaining.setText(tr("Not started. Start it when the step begins."))
        elif early and lo is not None:
            # whole seconds, rounded up: elapsed + left is always the minimum on screen
            left = timedelta(seconds=math.ceil((lo - elapsed).total_seconds()))
            self.remaining.setText(tr("Minimum reached in {v0}").format(v0=duration_text(left)))
        elif hi is not None and elapsed > hi:
            self.remaining.setText(
                tr("Over the maximum by {v0}").format(v0=duration_text(elapsed - hi))
            )
            self.remaining.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
        elif hi is not None:
            self.remaining.setText(tr("Stop within {v0}").format(v0=duration_text(hi - elapsed)))
        else:
            self.remaining.setText(tr("Minimum reached: stop when ready"))
        self._show_monitoring()

    def _stop(self) -> None:
        s = self.owner
        self.act(lambda: s.engine.timer_stop(*s.who()), ok=tr("Timer stopped"))

    def _early(self) -> None:
        s = self.owner
        answer = s.station.s.prompts.override(
            s.sign_request(
                "approved", tr("End the timer before its minimum"), who=tr("a supervisor")
            ),
            None,
        )
        if answer is None:
            return
        self.act(
            lambda: s.engine.timer_stop(
                *s.who(), override=answer.credentials, reason=answer.reason
            ),
            ok=tr("Timer ended early (exception raised for review)"),
        )

    def stop(self) -> None:
        self.ticker.stop()


class SignaturePanel(Panel):
    """A signature step: who may sign and the meaning; Sign opens the signature dialog."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, SignatureStep)
        self.col.addWidget(
            label(
                tr("Needs the signature of {v0}, meaning “{v1}”.").format(
                    v0=roles_text(step.roles), v1=tr(step.meaning or "")
                ),
                wrap=True,
                name="sign-needed",
            )
        )
        covered = stage_values(screen.engine.batch(screen.batch))
        if covered:
            self.col.addWidget(
                label(
                    tr("The signature covers: {values}").format(values="; ".join(covered)),
                    wrap=True,
                    name="sign-covers",
                )
            )
        row = QHBoxLayout()
        sign = button(tr("Sign"), self.m, role="primary", name="sign-step")
        sign.setMinimumWidth(self.m.mm(50))
        sign.clicked.connect(self._sign)
        row.addWidget(sign)
        if step.meaning == "released" and screen.station.has_role("qa"):
            review = button(tr("Open QA review"), self.m, name="open-review")
            review.clicked.connect(lambda: screen.go_review(screen.batch))
            row.addWidget(review)
        row.addStretch(1)
        self.action_row.addLayout(row)

    def _sign(self) -> None:
        s = self.owner
        step = s.v().step
        assert isinstance(step, SignatureStep)
        assert step.meaning is not None
        covered = stage_values(s.engine.batch(s.batch))
        creds = s.station.s.prompts.sign(
            s.sign_request(
                step.meaning,
                s.step_title(),
                value="; ".join(covered) if covered else tr("the batch record so far"),
                who=roles_text(step.roles),
            )
        )
        if creds is not None:
            s.act(lambda: s.engine.sign_step(*s.who(), creds), s.signed_text())


class LabelPanel(Panel):
    """Shows what the label will carry; Print sends it to the printer."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, LabelPrintStep)
        state = screen.engine.batch(screen.batch)
        lines = [tr("{kind} label × {copies}").format(kind=step.label.title(), copies=step.copies)]
        if state.recipe.product:
            lines.append(tr("Product {product}").format(product=state.recipe.product))
        lines += [f"{k}: {v}" for k, v in view.identifiers.items()]
        preview = label("\n".join(lines), role="card", wrap=True, name="label-preview")
        self.col.addWidget(preview)
        printed = button(tr("Print label"), self.m, role="primary", name="label-print")
        printed.setMinimumWidth(self.m.mm(50))
        printed.clicked.connect(self._print)
        self.add_action(printed)

    def _print(self) -> None:
        s = self.owner
        printer = s.station.s.print_label

        def do() -> None:
            content = s.engine.print_label(*s.who())
            if printer is not None:
                printer(content)

        self.act(do, ok=tr("Label printed"))


# ---------------------------------------------------------------- states around a step


class SignoffPanel(Panel):
    """The value is recorded; a witness or a supervisor's signature is still needed."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        state = screen.engine.batch(screen.batch)
        record = state.pending
        step = view.step
        assert step is not None
        shown = value_text(record.value, record.unit) if record else ""
        who = state_name(screen, record.actor) if record else ""
        when = local_time(record.ts) if record else ""
        self.col.addWidget(
            label(
                tr("Recorded: {v0}").format(v0=shown or "done"),
                role="value",
                wrap=True,
                name="pending-value",
            )
        )
        self.col.addWidget(
            label(tr("by {v0}, {v1}").format(v0=who, v1=when), role="muted", wrap=True)
        )
        for sig in record.signatures if record else []:
            self.col.addWidget(label(f"✓ {signature_text(sig)}", wrap=True))
        if view.waiting_for == "witness":
            need = tr("A second person must witness this (not {who}).").format(who=who)
            action, role = "Witness", "primary"
        else:
            assert step.sign is not None
            need = tr("Needs the signature of {roles}, meaning “{meaning}”.").format(
                roles=roles_text(step.sign.roles), meaning=tr(step.sign.meaning or "")
            )
            action, role = "Sign", "primary"
        self.col.addWidget(label(need, wrap=True, name="pending-need"))
        b = button(tr(action), self.m, role=role, name=f"pending-{action.lower()}")
        b.setMinimumWidth(self.m.mm(50))
        b.clicked.connect(self._signoff)
        self.add_action(b)
        self.shown = shown
        self.performer = who
        self.performer_id = record.actor.removeprefix("u:") if record else ""

    def _signoff(self) -> None:
        s = self.owner
        step = s.v().step
        assert step is not None
        prompts = s.station.s.prompts
        if s.v().waiting_for == "witness":
            creds = prompts.witness(
                s.sign_request(
                    "witnessed",
                    s.step_title(),
                    value=self.shown,
                    who=tr("a different person from {v0}").format(v0=self.performer),
                    title=tr("Witness"),
                    not_by=self.performer_id,
                )
            )
            if creds is not None:
                witness: Credentials = creds
                s.act(lambda: s.engine.witness(*s.who(), witness), s.signed_text())
            return
        assert step.sign is not None
        assert step.sign.meaning is not None
        creds = prompts.sign(
            s.sign_request(
                step.sign.meaning, s.step_title(), value=self.shown, who=roles_text(step.sign.roles)
            )
        )
        if creds is not None:
            s.act(lambda: s.engine.sign_step(*s.who(), creds), s.signed_text())


def state_name(screen: StepScreen, actor: str) -> str:
    uid = actor.removeprefix("u:")
    return screen.station.user_name_for(uid) or uid


class HoldPanel(Panel):
    """The batch is on hold: the blocking exceptions, each acknowledged by a supervisor."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        held = hold_info(screen.station.s.store.events(batch=screen.batch, types=["batch.state"]))
        self.held_text = ""
        if held is not None and held.reason:  # held by a person (a system hold has its card)
            text = held.text(lambda uid: screen.station.user_name_for(uid) or uid)
            self.held_text = text
            self.col.addWidget(label(text, wrap=True, name="hold-reason"))
        for exc in view.open_exceptions[:3]:
            said = shown(exc.message)
            card = label(
                f"{said}\n({category_words(exc.category)}, {tr(exc.severity)}, "
                f"{local_time(exc.raised_ts)})",
                role="card",
                wrap=True,
                name="hold-exception",
            )
            card.setStyleSheet(f"border: 3px solid {REFUSE};")
            ack = button(tr("Acknowledge"), self.m, role="danger", name="hold-ack")
            ack.clicked.connect(lambda _=False, e=exc.id, msg=said: self._ack(e, msg))
            if len(view.open_exceptions) == 1:
                self.col.addWidget(card)
                self.add_action(ack)  # one exception: its button stays in view
                continue
            row = QHBoxLayout()
            row.addWidget(card, 1)
            row.addWidget(ack)
            self.col.addLayout(row)
        if not view.open_exceptions:
            self.col.addWidget(
                label(tr("A supervisor resumes the batch with a reason."), wrap=True)
            )
            resume = button(tr("Resume (supervisor)"), self.m, role="primary", name="hold-resume")
            resume.clicked.connect(self._resume)
            self.add_action(resume)

    def _ack(self, exception_id: str, message: str) -> None:
        s = self.owner
        answer = s.station.s.prompts.acknowledge(
            message,
            s.sign_request(
                "acknowledged", tr("the exception and its reason"), who=tr("a supervisor")
            ),
        )
        if answer is None:
            return
        creds, reason = answer
        s.act(
            lambda: s.engine.acknowledge(s.session(), s.batch, exception_id, creds, reason),
            ok=tr("Exception acknowledged"),
        )

    def _resume(self) -> None:
        s = self.owner
        answer = s.station.s.prompts.override(
            s.sign_request(
                "approved",
                tr("Resume the batch"),
                value=self.held_text,  # what the hold was: who, when and why
                who=tr("a supervisor"),
                title=tr("Resume"),
            ),
            None,
        )
        if answer is None:
            return
        s.act(
            lambda: s.engine.resume(s.session(), s.batch, answer.credentials, answer.reason),
            ok=tr("Batch resumed"),
        )


class DonePanel(Panel):
    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        text = {
            COMPLETED: "Every step is done. QA reviews the exceptions and releases the batch.",
            RELEASED: "The batch is released.",
            ABORTED: "The batch was aborted.",
        }.get(view.state, view.state)
        self.col.addWidget(label(text, wrap=True, name="done-text"))
        home = button(tr("Home"), self.m, role="primary", name="done-home")
        home.setMinimumWidth(self.m.mm(50))
        home.clicked.connect(screen.go_home)
        self.add_action(home)


PanelFactory = Callable[["StepScreen", View], Panel]
SpecialPanel = Callable[["StepScreen", View], Panel | None]

PANELS: dict[str, PanelFactory] = {
    "instruction": InstructionPanel,
    "check": CheckPanel,
    "entry": entry_panel,
    "scan": ScanPanel,
    "weigh": WeighPanel,
    "calc": CalcPanel,
    "timer": TimerPanel,
    "signature": SignaturePanel,
    "label_print": LabelPanel,
}


# ---------------------------------------------------------------- the screen


class StepScreen(QWidget):
    """Identity banner, stage list, the step's title and instruction, and its panel."""

    name: ClassVar[str] = "step"

    def __init__(
        self,
        station: Station,
        go_home: Callable[[], None],
        go_review: Callable[[str], None],
        special: SpecialPanel | None = None,
        *,
        custody: Callable[[], None] | None = None,
    ) -> None:
        """`special(screen, view)`: a panel that comes before the step's own (a read-only
        batch, a stage of another room: `kiosk.screens.handover`), or None. `custody`: opens
        the batch's chain of custody (`kiosk.screens.custody`), offered at the end of every
        panel's action row of a batch held here."""
        super().__init__()
        self.station = station
        self.special = special
        self.custody = custody
        self.engine = station.s.engine
        self.m = station.metrics
        self.go_home = go_home
        self.go_review = go_review
        self.batch = ""
        self.view: View | None = None
        self.panel: Panel | None = None
        self.stage_line = ""
        self._shown: tuple[Any, ...] | None = None
        m = self.m
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = IdentityBanner(m)
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(m.mm(1.5), m.mm(1.5), m.mm(1.5), m.mm(1.5))
        body.setSpacing(m.mm(2.5))
        self.stages = StageList(m)
        body.addWidget(self.stages, 0)
        main = QVBoxLayout()
        main.setSpacing(m.mm(1.5))
        texts = QWidget()
        text_col = QVBoxLayout(texts)
        text_col.setContentsMargins(0, 0, m.mm(1), 0)
        text_col.setSpacing(m.mm(1.5))
        self.text_col = text_col
        self.flags = label("", role="muted", wrap=True, name="step-flags")
        self.title = label("", role="title", wrap=True, name="step-title")
        self.instruction = label("", wrap=True, name="step-instruction")
        text_col.addWidget(self.flags)
        text_col.addWidget(self.title)
        text_col.addWidget(self.instruction)
        # QC results the LIMS sends later: awaited, or arrived with their specification
        self.qc = label("", wrap=True, name="step-qc")
        self.qc.setVisible(False)
        text_col.addWidget(self.qc)
        self.host = QVBoxLayout()
        text_col.addLayout(self.host, 1)
        # on a 10" panel the stage column gives way: every stage, by name, below the step
        self.stage_list_text = label("", role="muted", wrap=True, name="step-all-stages")
        text_col.addWidget(self.stage_list_text)
        self.texts = scroll_area(texts)
        main.addWidget(self.texts, 1)
        self.action_host = QVBoxLayout()
        main.addLayout(self.action_host)
        body.addLayout(main, 1)
        self.side_host = QVBoxLayout()
        body.addLayout(self.side_host, 0)
        outer.addLayout(body, 1)
        station.batch_changed.connect(self._changed)
        station.s.bridge.weight.connect(self._weight)
        station.s.bridge.error.connect(self._device_error)

    # ------------------------------------------------------------ helpers for panels

    def v(self) -> View:
        assert self.view is not None
        return self.view

    def session(self) -> Session:
        session = self.station.session
        assert session is not None
        return session

    def who(self) -> tuple[Any, str]:
        """(session, batch): the first two arguments of every engine step action."""
        return self.session(), self.batch

    def act(self, fn: Callable[[], Any], ok: str | Callable[[Any], str] = "") -> bool:
        return self.station.act(fn, batch=self.batch, ok=ok)

    def step_title(self) -> str:
        step = self.view.step if self.view else None
        return (step.title or step.id) if step else ""

    def sign_request(
        self,
        meaning: str,
        what: str,
        *,
        value: str = "",
        who: str = "",
        title: str = "",
        not_by: str = "",
    ) -> SignRequest:
        view = self.view
        assert view is not None
        return SignRequest(
            meaning=meaning,
            what=what,
            value=value,
            who=who,
            batch=self.batch,
            identifiers={tr(IDENTIFIER_LABELS.get(k, k)): v for k, v in view.identifiers.items()},
            title=title or tr(SIGN_TITLES.get(meaning, "Signature")),
            not_by=not_by,
        )

    def signed_text(self) -> Callable[[Any], str]:
        return self.station.signed

    # ------------------------------------------------------------ rendering

    def open(self, batch_id: str) -> None:
        self.batch = batch_id
        self._shown = None
        self.show_view()

    def _changed(self, batch_id: str) -> None:
        if batch_id == self.batch and self.isVisible():
            self.show_view()
        elif batch_id == self.batch:
            self._shown = None

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.batch and self._shown is None:
            self.show_view()

    def show_view(self) -> None:
        view = self.engine.view(self.batch)
        self.view = view
        wide = self.width() >= self.m.mm(300) or self.window().width() >= self.m.mm(300)
        self.banner.show_identifiers(view.identifiers, view.batch, self.window().width())
        recipe = self.engine.batch(self.batch).recipe
        titles = [s.title or s.id for s in recipe.stages]
        current = recipe.stages.index(view.stage) if view.stage in recipe.stages else len(titles)
        note = ""
        if view.stage is not None and view.stage.repeat is not None:
            note = tr("{n} of max {most}").format(n=view.iteration, most=view.stage.repeat.max)
        self.stages.show_stages(titles, current, note)
        # a 10" panel has no room for a column of numbers: the line above the title
        # names the stage ("Stage 2/11: Isolation") and the whole width goes to the step
        self.stages.setFixedWidth(self.m.mm(60))
        self.stages.setVisible(wide)
        marks = ["✓" if i < current else "▶" if i == current else "·" for i in range(len(titles))]
        self.stage_list_text.setText(
            tr("Stages: {stages}").format(
                stages="  ".join(
                    f"{mark} {i + 1} {t}"
                    for i, (mark, t) in enumerate(zip(marks, titles, strict=True))
                )
            )
        )
        self.stage_list_text.setVisible(not wide)
        results = qc_lines(self.engine.batch(self.batch))
        self.qc.setText("\n".join(results))
        self.qc.setVisible(bool(results))
        self.stage_line = ""
        if view.stage is not None:
            self.stage_line = tr("Stage {n}/{total}: {title}").format(
                n=current + 1, total=len(titles), title=titles[current]
            ) + (tr(", day {note}").format(note=note) if note else "")
        shown = (
            view.key,
            view.state,
            view.waiting_for,
            view.timer_started,
            tuple(e.id for e in view.open_exceptions),
            bool(view.preview and "error" in view.preview),
            view.held_by,
            view.room_ok,
        )
        if shown == self._shown and self.panel is not None:
            self.panel.refresh(view)
            return
        self._shown = shown
        self._set_texts(view)
        self._swap_panel(self._panel_for(view))

    def _set_texts(self, view: View) -> None:
        step = view.step
        if view.state == ON_HOLD:
            self.flags.setText(self.stage_line)
            self.title.setText(tr("Batch on hold"))
            # the exception cards come first: what stopped the batch, in view
            self.instruction.setText(
                "" if view.open_exceptions else tr("The batch was put on hold by hand.")
            )
            self.instruction.setVisible(not view.open_exceptions)
            return
        if view.state in (COMPLETED, RELEASED, ABORTED) or step is None:
            self.title.setText(tr("Batch {v0}").format(v0=view.state.replace("_", " ")))
            self.instruction.setText("")
            self.flags.setText("")
            return
        self.title.setText(step.title or step.id)
        self.instruction.setText(step.instruction or "")
        self.instruction.setVisible(bool(step.instruction))
        flags = [self.stage_line] if self.stage_line else []
        if step.critical:
            flags.append(tr("critical ({what})").format(what=step.critical))
        if step.witness:
            flags.append(tr("witnessed"))
        if step.sign is not None:
            flags.append(
                tr("{meaning} by {who}").format(
                    meaning=tr(step.sign.meaning or ""), who=roles_text(step.sign.roles)
                )
            )
        self.flags.setText(" · ".join(flags))

    def _panel_for(self, view: View) -> Panel:
        special = self.special(self, view) if self.special is not None else None
        if special is not None:
            return special
        if view.state in (COMPLETED, RELEASED, ABORTED) or (
            view.step is None and view.state != ON_HOLD
        ):
            return DonePanel(self, view)
        if view.state == ON_HOLD:
            return HoldPanel(self, view)
        if view.waiting_for is not None:
            return SignoffPanel(self, view)
        assert view.step is not None
        return PANELS[view.step.kind](self, view)

    def _swap_panel(self, panel: Panel) -> None:
        old = self.panel
        if old is not None:
            old.stop()
            old.setParent(None)
            old.deleteLater()
            if old.side is not None:
                old.side.setParent(None)
                old.side.deleteLater()
            old.bar.setParent(None)
            old.bar.deleteLater()
            if old.lead is not None:
                old.lead.setParent(None)
                old.lead.deleteLater()
        self.panel = panel
        self.host.addWidget(panel)
        self.action_host.addWidget(panel.bar)
        if panel.lead is not None:
            self.text_col.insertWidget(self.text_col.indexOf(self.instruction), panel.lead)
        if not panel.fill_bar:
            panel.action_row.addStretch(1)
        view = self.view
        if (
            self.custody is not None
            and view is not None
            and view.held_by is None
            and panel.offers_custody
        ):
            custody = button(tr("Custody"), self.m, name="step-custody")
            custody.clicked.connect(self.custody)
            panel.action_row.addWidget(custody)
        if panel.side is not None:
            self.side_host.addWidget(panel.side, 0, Qt.AlignmentFlag.AlignBottom)
        restyle(panel)

    # ------------------------------------------------------------ devices

    def on_code(self, text: str, source: str) -> bool:
        """A barcode arrived (scanner, camera, wedge): the current step decides."""
        if self.panel is None:
            return False
        return self.panel.on_code(text, source)

    def _weight(self, reading: WeightReading) -> None:
        if self.panel is not None:
            self.panel.on_weight(reading)

    def _device_error(self, message: str, source: str) -> None:
        if self.panel is not None and self.isVisible():
            self.panel.on_device_error(message, source)
            self.station.s.feedback.refuse(f"{source}: {shown(message)}")

    def stop(self) -> None:
        if self.panel is not None:
            self.panel.stop()
