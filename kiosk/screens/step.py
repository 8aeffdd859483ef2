"""The batch screen: one step at a time, its input by kind, the stages, the identity banner.

The screen renders `Engine.view(batch)` and sends intents through
`Station.act`; it decides nothing. What each step kind shows is a small
registry (`PANELS`): kind -> panel class. A step waiting for a witness or a
signature, a batch on hold and a finished batch have panels of their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import QMetaObject, QObject, Qt
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.auth import Session
from kiosk.batch import ABORTED, COMPLETED, IN_PROGRESS, ON_HOLD, RELEASED
from kiosk.devices.decode import Code
from kiosk.execution import Credentials, Reading, View
from kiosk.recipe import (
    CalcStep,
    CheckStep,
    EntryStep,
    LabelPrintStep,
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
    local_time,
    roles_text,
    signature_text,
    unit_text,
    value_text,
)
from kiosk.screens.keypad import Buffer, NumericPad
from kiosk.screens.station import Station
from kiosk.screens.style import ACCEPT, REFUSE, WARN, button, label, restyle
from kiosk.screens.tasks import make_timer
from kiosk.screens.widgets import (
    IDENTIFIER_LABELS,
    CameraPreview,
    IdentityBanner,
    StageList,
    read_in_words,
)

log = logging.getLogger(__name__)

SCAN_WHAT = {
    "isbt128.din": "the DIN (ISBT 128) on the bag",
    "isbt128.coi": "the chain-of-identity (CoI) label",
    "gs1.material": "the GS1 label on the material",
    "equipment": "the equipment barcode",
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
        self.col = QVBoxLayout(self)
        self.col.setContentsMargins(0, 0, 0, 0)
        self.col.setSpacing(self.m.mm(1.5))

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

    def act(self, fn: Callable[[], Any], ok: str | Callable[[Any], str] = "Recorded") -> bool:
        return self.owner.act(fn, ok)


# ---------------------------------------------------------------- step kinds


class InstructionPanel(Panel):
    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        done = button("Done", self.m, role="primary", name="step-done")
        done.setMinimumWidth(self.m.mm(60))
        done.clicked.connect(lambda: self.act(lambda: screen.engine.confirm(*screen.who())))
        self.col.addStretch(1)
        self.col.addWidget(done, 0, Qt.AlignmentFlag.AlignLeft)


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
            na = button("N.A.", self.m, name="check-na")
            na.setMinimumWidth(self.m.mm(30))
            na.clicked.connect(lambda: self._check("na"))
            row.addWidget(na)
        row.addStretch(1)
        self.col.addStretch(1)
        self.col.addLayout(row)

    def _check(self, result: str) -> None:
        s = self.owner
        comment = None
        if result in ("fail", "na"):
            what = "failed" if result == "fail" else "not applicable"
            comment = s.station.s.prompts.text(
                f"Why {what}?",
                ValueSpec("Comment", kind="text"),
                lines=[f"{s.step_title()}: say why, in a few words."],
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
        self.buffer = Buffer(max_length=16, parent=self)
        self.value = label("", role="value", name="entry-value")
        self.value.setMinimumHeight(self.m.min_target)
        self.value.setStyleSheet(
            f"background: white; border: 2px solid #0b4f8a; padding: 0 {self.m.mm(2)}px;"
        )
        allowed = limits_text(step.range, step.unit)
        parts = [f"allowed {allowed}" if allowed else f"unit {unit_text(step.unit) or 'none'}"]
        if step.decimals is not None:
            parts.append(f"{step.decimals} decimal{'s' if step.decimals != 1 else ''}")
        self.hint = label(" · ".join(parts), wrap=True, name="entry-hint")
        record = button("Record", self.m, role="primary", name="entry-record")
        record.setMinimumWidth(self.m.mm(50))
        record.clicked.connect(self._record)
        self.buffer.changed.connect(self._show)
        self._show("")
        self.col.addWidget(self.value)
        self.col.addWidget(self.hint)
        self.col.addStretch(1)
        self.col.addWidget(record, 0, Qt.AlignmentFlag.AlignLeft)
        pad = NumericPad(self.m)
        pad.attach(self.buffer)
        low = step.range[0] if step.range else None
        pad.allow(decimal=step.decimals != 0, negative=low is None or low < 0)
        self.pad = pad
        self.side = pad

    def _show(self, text: str) -> None:
        step = self.view.step
        assert isinstance(step, EntryStep)
        self.value.setText(f"{text or ' '} {unit_text(step.unit)}".strip() or " ")

    def _record(self) -> None:
        s = self.owner
        text = self.buffer.text
        if not text:
            s.station.s.feedback.refuse("type the value on the keypad first")
            return
        if self.act(lambda: s.engine.enter(*s.who(), text)):
            self.buffer.clear()


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
        self.record = button("Record", self.m, role="primary", name="entry-record")
        self.record.setMinimumWidth(self.m.mm(50))
        self.record.setEnabled(False)
        self.record.clicked.connect(self._record)
        self.col.addLayout(row)
        self.col.addStretch(1)
        self.col.addWidget(self.record, 0, Qt.AlignmentFlag.AlignLeft)

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
            "Type the date and time" if self.is_date else "Type the value",
            self.m,
            role="primary",
            name="entry-type",
        )
        typed.clicked.connect(self._type)
        row.addWidget(typed)
        if self.is_date:
            now = button("Now", self.m, name="entry-now")
            now.clicked.connect(self._now)
            row.addWidget(now)
        row.addStretch(1)
        self.col.addStretch(1)
        self.col.addLayout(row)

    def _type(self) -> None:
        s = self.owner
        hint = "YYYY-MM-DD HH:MM (UTC)" if self.is_date else ""
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
    if step.type == "number":
        return NumberEntry(screen, view)
    if step.type == "choice":
        return ChoiceEntry(screen, view)
    return TextEntry(screen, view)


class ScanPanel(Panel):
    """Waits for a code from the scanner, the camera or a keyboard wedge (through the bridge)."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, ScanStep)
        self.waiting = label(f"Scan {SCAN_WHAT[step.expect]}", role="value", wrap=True)
        self.waiting.setObjectName("scan-waiting")
        self.last = label("Waiting for the scanner…", role="muted", wrap=True, name="scan-last")
        self.col.addWidget(self.waiting)
        self.col.addWidget(self.last)
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
        self.col.addStretch(1)
        if step.expect == "isbt128.din":
            typed = button("Type the DIN by hand", self.m, name="scan-keyed")
            typed.clicked.connect(self._keyed)
            self.col.addWidget(typed, 0, Qt.AlignmentFlag.AlignLeft)

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
        self.last.setText(f"Read from {source}: {text}")
        self.act(lambda: s.engine.scan(*s.who(), text), ok="Scan accepted")
        return True

    def _keyed(self) -> None:
        s = self.owner
        text = s.station.s.prompts.text(
            "Type the DIN",
            ValueSpec(
                "DIN with its check character",
                kind="text",
                hint="13 characters, then the check character printed in the box",
            ),
            lines=["Use the DIN printed on the bag label, then the boxed check character."],
        )
        if text is not None:
            self.act(lambda: s.engine.scan(*s.who(), text, keyed=True), ok="DIN accepted")


class WeighPanel(Panel):
    """The live weight from the balance; Record only when it is stable."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, WeighStep)
        self.reading: WeightReading | None = None
        self.fault: str | None = None
        self.weight = label("— g", role="big", name="weigh-value")
        self.stability = label("No reading from the balance yet", name="weigh-stability")
        limits = limits_text(step.action, step.unit)
        self.device = label(
            f"limits {limits}" if limits else "", role="muted", wrap=True, name="weigh-device"
        )
        self.device.setVisible(bool(limits))
        self.record = button("Record weight", self.m, role="primary", name="weigh-record")
        self.record.setMinimumWidth(self.m.mm(60))
        self.record.clicked.connect(self._record)
        self.col.addWidget(self.weight)
        self.col.addWidget(self.stability)
        self.col.addWidget(self.device)
        self.col.addStretch(1)
        self.col.addWidget(self.record, 0, Qt.AlignmentFlag.AlignLeft)
        side = QWidget()
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.setSpacing(self.m.mm(2))
        for name, text in (("tare", "Tare"), ("zero", "Zero")):
            b = button(text, self.m, name=f"weigh-{name}")
            b.setMinimumWidth(self.m.mm(45))
            b.clicked.connect(lambda _=False, n=name: self._command(n))
            side_col.addWidget(b)
        manual = button("Type weight\n(supervisor)", self.m, name="weigh-manual")
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
            self.stability.setText(f"Balance fault: {self.fault}")
            self.stability.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
        elif r is None:
            self.stability.setStyleSheet("")
        else:
            self.weight.setText(f"{r.value:g} {unit_text(r.unit)}")
            self.stability.setText(
                f"● Stable — {r.device}" if r.stable else f"○ Not stable yet — {r.device}"
            )
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
            s.station.s.feedback.refuse("the balance is not stable yet — wait for the stable sign")
            return
        reading = Reading(r.value, r.unit, r.stable, r.device)
        self.act(lambda: s.engine.weigh(*s.who(), reading), ok=f"Weight recorded from {r.device}")

    def _command(self, name: str) -> None:
        command = self.owner.station.s.balance_command
        if command is None:
            self.owner.station.s.feedback.info(f"{name.title()}: use the key on the balance")
            return
        try:
            command(name)
        except Exception as exc:  # a device layer failure is shown, never raised into Qt
            self.owner.station.s.feedback.refuse(f"{name} failed: {exc}")
            return
        self.owner.station.s.feedback.info(f"{name.title()} sent to the balance")

    def _manual(self) -> None:
        s = self.owner
        step = s.v().step
        assert isinstance(step, WeighStep)
        answer = s.station.s.prompts.override(
            s.sign_request("approved", "Manual weight (balance not used)", who="a supervisor"),
            ValueSpec("Weight", unit=step.unit, decimal=step.decimals != 0, negative=False),
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
            ok="Manual weight recorded (exception raised for review)",
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
            self.col.addWidget(label(f"Formula: {step.formula}", wrap=True, name="calc-formula"))
            inputs = preview.get("inputs", {})
            parts = []
            for name, val in inputs.items():
                if isinstance(val, dict):
                    parts.append(f"{name} = {value_text(val.get('value'), val.get('unit'))}")
                else:
                    parts.append(f"{name} = {val}")
            self.col.addWidget(label("; ".join(parts), role="muted", wrap=True, name="calc-in"))
        self.col.addStretch(1)
        confirm = button("Confirm", self.m, role="primary", name="calc-confirm")
        confirm.setMinimumWidth(self.m.mm(50))
        confirm.clicked.connect(
            lambda: self.act(lambda: screen.engine.confirm(*screen.who()), ok="Confirmed")
        )
        self.col.addWidget(confirm, 0, Qt.AlignmentFlag.AlignLeft)


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
        self.col.addWidget(self.elapsed)
        self.col.addWidget(self.remaining)
        self.col.addWidget(label(" · ".join(window), role="muted", name="timer-window"))
        self.col.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(self.m.mm(3))
        self.start = button("Start timer", self.m, role="primary", name="timer-start")
        self.start.clicked.connect(
            lambda: self.act(lambda: screen.engine.timer_start(*screen.who()), ok="Timer started")
        )
        self.stop_button = button("Stop timer", self.m, role="primary", name="timer-stop")
        self.stop_button.clicked.connect(self._stop)
        self.early = button("End early\n(supervisor)", self.m, name="timer-early")
        self.early.clicked.connect(self._early)
        for b in (self.start, self.stop_button, self.early):
            b.setMinimumWidth(self.m.mm(45))
            row.addWidget(b)
        row.addStretch(1)
        self.col.addLayout(row)
        self.ticker = make_timer(self, 1000, self._tick, name="step-timer")
        self._tick()
        if view.timer_started:
            self.ticker.start()

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
        if not running:
            self.remaining.setText("Not started. Start it when the step begins.")
        elif early and lo is not None:
            self.remaining.setText(f"Minimum reached in {duration_text(lo - elapsed)}")
        elif hi is not None and elapsed > hi:
            self.remaining.setText(f"Over the maximum by {duration_text(elapsed - hi)}")
            self.remaining.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
        elif hi is not None:
            self.remaining.setText(f"Stop within {duration_text(hi - elapsed)}")
        else:
            self.remaining.setText("Minimum reached: stop when ready")

    def refresh(self, view: View) -> None:
        super().refresh(view)
        self._tick()

    def _stop(self) -> None:
        s = self.owner
        self.act(lambda: s.engine.timer_stop(*s.who()), ok="Timer stopped")

    def _early(self) -> None:
        s = self.owner
        answer = s.station.s.prompts.override(
            s.sign_request("approved", "End the timer before its minimum", who="a supervisor"),
            None,
        )
        if answer is None:
            return
        self.act(
            lambda: s.engine.timer_stop(
                *s.who(), override=answer.credentials, reason=answer.reason
            ),
            ok="Timer ended early (exception raised for review)",
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
                f"Needs the signature of {roles_text(step.roles)}, meaning “{step.meaning}”.",
                wrap=True,
                name="sign-needed",
            )
        )
        self.col.addStretch(1)
        row = QHBoxLayout()
        sign = button("Sign", self.m, role="primary", name="sign-step")
        sign.setMinimumWidth(self.m.mm(50))
        sign.clicked.connect(self._sign)
        row.addWidget(sign)
        if step.meaning == "released" and screen.station.has_role("qa"):
            review = button("Open QA review", self.m, name="open-review")
            review.clicked.connect(lambda: screen.go_review(screen.batch))
            row.addWidget(review)
        row.addStretch(1)
        self.col.addLayout(row)

    def _sign(self) -> None:
        s = self.owner
        step = s.v().step
        assert isinstance(step, SignatureStep)
        assert step.meaning is not None
        creds = s.station.s.prompts.sign(
            s.sign_request(
                step.meaning,
                s.step_title(),
                value="the batch record so far",
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
        lines = [f"{step.label.title()} label × {step.copies}"]
        if state.recipe.product:
            lines.append(f"Product {state.recipe.product}")
        lines += [f"{k}: {v}" for k, v in view.identifiers.items()]
        preview = label("\n".join(lines), role="card", wrap=True, name="label-preview")
        self.col.addWidget(preview)
        self.col.addStretch(1)
        printed = button("Print label", self.m, role="primary", name="label-print")
        printed.setMinimumWidth(self.m.mm(50))
        printed.clicked.connect(self._print)
        self.col.addWidget(printed, 0, Qt.AlignmentFlag.AlignLeft)

    def _print(self) -> None:
        s = self.owner
        printer = s.station.s.print_label

        def do() -> None:
            content = s.engine.print_label(*s.who())
            if printer is not None:
                printer(content)

        self.act(do, ok="Label printed")


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
            label(f"Recorded: {shown or 'done'}", role="value", wrap=True, name="pending-value")
        )
        self.col.addWidget(label(f"by {who}, {when}", role="muted", wrap=True))
        for sig in record.signatures if record else []:
            self.col.addWidget(label(f"✓ {signature_text(sig)}", wrap=True))
        if view.waiting_for == "witness":
            need = f"A second person must witness this (not {who})."
            action, role = "Witness", "primary"
        else:
            assert step.sign is not None
            need = (
                f"Needs the signature of {roles_text(step.sign.roles)}, "
                f"meaning “{step.sign.meaning}”."
            )
            action, role = "Sign", "primary"
        self.col.addWidget(label(need, wrap=True, name="pending-need"))
        self.col.addStretch(1)
        b = button(action, self.m, role=role, name=f"pending-{action.lower()}")
        b.setMinimumWidth(self.m.mm(50))
        b.clicked.connect(self._signoff)
        self.col.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
        self.shown = shown
        self.performer = who

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
                    who=f"a different person from {self.performer}",
                    title="Witness",
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
        for exc in view.open_exceptions[:3]:
            card = label(
                f"{exc.message}\n({exc.category.replace('_', ' ')}, {exc.severity}, "
                f"{local_time(exc.raised_ts)})",
                role="card",
                wrap=True,
                name="hold-exception",
            )
            card.setStyleSheet(f"border: 3px solid {REFUSE};")
            row = QHBoxLayout()
            row.addWidget(card, 1)
            ack = button("Acknowledge", self.m, role="danger", name="hold-ack")
            ack.clicked.connect(lambda _=False, e=exc.id, msg=exc.message: self._ack(e, msg))
            row.addWidget(ack)
            self.col.addLayout(row)
        self.col.addStretch(1)
        if not view.open_exceptions:
            self.col.addWidget(label("A supervisor resumes the batch with a reason.", wrap=True))
            resume = button("Resume (supervisor)", self.m, role="primary", name="hold-resume")
            resume.clicked.connect(self._resume)
            self.col.addWidget(resume, 0, Qt.AlignmentFlag.AlignLeft)

    def _ack(self, exception_id: str, message: str) -> None:
        s = self.owner
        answer = s.station.s.prompts.acknowledge(
            message,
            s.sign_request("acknowledged", "the exception and its reason", who="a supervisor"),
        )
        if answer is None:
            return
        creds, reason = answer
        s.act(
            lambda: s.engine.acknowledge(s.session(), s.batch, exception_id, creds, reason),
            ok="Exception acknowledged",
        )

    def _resume(self) -> None:
        s = self.owner
        answer = s.station.s.prompts.override(
            s.sign_request("approved", "Resume the batch", who="a supervisor", title="Resume"),
            None,
        )
        if answer is None:
            return
        s.act(
            lambda: s.engine.resume(s.session(), s.batch, answer.credentials, answer.reason),
            ok="Batch resumed",
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
        self.col.addStretch(1)
        home = button("Home", self.m, role="primary", name="done-home")
        home.setMinimumWidth(self.m.mm(50))
        home.clicked.connect(screen.go_home)
        self.col.addWidget(home, 0, Qt.AlignmentFlag.AlignLeft)


PanelFactory = Callable[["StepScreen", View], Panel]

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
    ) -> None:
        super().__init__()
        self.station = station
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
        self.flags = label("", role="muted", wrap=True, name="step-flags")
        self.title = label("", role="title", wrap=True, name="step-title")
        self.instruction = label("", wrap=True, name="step-instruction")
        main.addWidget(self.flags)
        main.addWidget(self.title)
        main.addWidget(self.instruction)
        self.host = QVBoxLayout()
        main.addLayout(self.host, 1)
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

    def act(self, fn: Callable[[], Any], ok: str | Callable[[Any], str] = "Recorded") -> bool:
        return self.station.act(fn, batch=self.batch, ok=ok)

    def step_title(self) -> str:
        step = self.view.step if self.view else None
        return (step.title or step.id) if step else ""

    def sign_request(
        self, meaning: str, what: str, *, value: str = "", who: str = "", title: str = ""
    ) -> SignRequest:
        view = self.view
        assert view is not None
        return SignRequest(
            meaning=meaning,
            what=what,
            value=value,
            who=who,
            batch=self.batch,
            identifiers={IDENTIFIER_LABELS.get(k, k): v for k, v in view.identifiers.items()},
            title=title
            or {"witnessed": "Witness", "approved": "Supervisor approval"}.get(
                meaning, "Signature"
            ),
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
            note = f"{view.iteration} of max {view.stage.repeat.max}"
        self.stages.show_stages(titles, current, note)
        self.stages.setFixedWidth(self.m.mm(60 if wide else 16))
        self.stage_line = ""
        if view.stage is not None:
            self.stage_line = f"Stage {current + 1}/{len(titles)}: {titles[current]}" + (
                f", day {note}" if note else ""
            )
        shown = (
            view.key,
            view.state,
            view.waiting_for,
            view.timer_started,
            tuple(e.id for e in view.open_exceptions),
            bool(view.preview and "error" in view.preview),
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
            self.title.setText("Batch on hold")
            self.instruction.setText(
                "A supervisor must acknowledge each exception below before work goes on."
                if view.open_exceptions
                else "The batch was put on hold."
            )
            return
        if view.state in (COMPLETED, RELEASED, ABORTED) or step is None:
            self.title.setText(f"Batch {view.state.replace('_', ' ')}")
            self.instruction.setText("")
            self.flags.setText("")
            return
        self.title.setText(step.title or step.id)
        self.instruction.setText(step.instruction or "")
        flags = [self.stage_line] if self.stage_line else []
        if step.critical:
            flags.append(f"critical ({step.critical})")
        if step.witness:
            flags.append("witnessed")
        if step.sign is not None:
            flags.append(f"{step.sign.meaning} by {roles_text(step.sign.roles)}")
        self.flags.setText(" · ".join(flags))

    def _panel_for(self, view: View) -> Panel:
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
        self.panel = panel
        self.host.addWidget(panel)
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
            self.station.s.feedback.refuse(f"{source}: {message}")

    def stop(self) -> None:
        if self.panel is not None:
            self.panel.stop()
