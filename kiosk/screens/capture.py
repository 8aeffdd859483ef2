"""Values the station takes, not the operator: equipment readings, counter files, LIMS results.

- `CapturePanel` (a `capture` step): the equipment and the limits first; **Read** reads
  the node over OPC UA off the UI thread (`kiosk.devices.opcua.read_role`), the value,
  unit, source time, status and the equipment's identity stand beside **Record**, which
  hands the reading to `Engine.capture` (the engine checks status, registration and
  limits). No value is typed, except by a supervisor's override (the engine's manual
  entry, an exception for review).
- `CounterPanel` (an `entry` with `source: {cell_counter: ...}`): the newest result in
  the station's watched folder whose sample ID holds the batch ID, the DIN or a sample
  ID scanned at the step; **Record** hands it to `Engine.import_count`, which stores the
  value with the file's name, line and SHA-256. A file that cannot be read is named on
  screen with its line.
- `PendingPanel` (a `pending_result` step): the engine passes these by itself (the
  result comes from the LIMS and the batch goes on); the panel only says so, should a
  view ever stop there.

Importing this module registers the panels in `kiosk.screens.step.PANELS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.batch import iso
from kiosk.config import OpcuaRole
from kiosk.devices.capture import captured, counter_result
from kiosk.devices.cellcount import INSTRUMENTS, CellCount, CellCountError, newest_matching
from kiosk.devices.errors import DeviceError
from kiosk.devices.opcua import NodeReading, read_role
from kiosk.engine import View
from kiosk.engine.inputs import Captured
from kiosk.recipe import CaptureStep, EntryStep
from kiosk.screens.dialogs import ValueSpec
from kiosk.screens.display import limits_text, local_number, local_time, unit_text
from kiosk.screens.i18n import QT_TR_NOOP, shown, tr
from kiosk.screens.layoutcheck import IN_VIEW
from kiosk.screens.step import PANELS, Panel, StepScreen
from kiosk.screens.style import ACCEPT, REFUSE, WARN, button, label
from kiosk.screens.tasks import run_task
from kiosk.screens.viewinfo import limit_lines, outside_action
from kiosk.units import Quantity, Unit, UnitError

log = logging.getLogger(__name__)
T = TypeVar("T")

COUNTER_FIELDS = {
    "viable_concentration": QT_TR_NOOP("viable cells"),
    "total_concentration": QT_TR_NOOP("total cells"),
    "viability": QT_TR_NOOP("viability"),
}
EQUIPMENT_KINDS = {"incubator": QT_TR_NOOP("incubator"), "freezer": QT_TR_NOOP("freezer")}


def _lead(m: Any, lines: list[str], warn: list[str]) -> QWidget:
    """What the step allows, under its title: the source, the range, the limits."""
    lead = QWidget()
    col = QVBoxLayout(lead)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(m.mm(1))
    for i, text in enumerate(lines):
        col.addWidget(label(text, wrap=True, name=f"source-line-{i}"))
    limits = label("\n".join(warn), wrap=True, name="source-limits")
    limits.setStyleSheet(f"color: {WARN}; font-weight: bold;")
    limits.setVisible(bool(warn))
    col.addWidget(limits)
    return lead


def _reading(value: QWidget, status: QWidget) -> QWidget:
    """The value over its one-line status, beside the step's buttons."""
    box = QWidget()
    box.setObjectName("reading")
    col = QVBoxLayout(box)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(0)
    col.addWidget(value)
    col.addWidget(status)
    for held in (value, status):
        held.setProperty(IN_VIEW, True)  # the reading is never scrolled away
    return box


def _in_step_unit(value: float, unit: str | None, step_unit: str | None) -> float:
    """The reading in the step's unit, for the action-limit question before Record."""
    if unit is None or step_unit is None:
        return value
    try:
        return Quantity(value, Unit.parse(unit)).to(Unit.parse(step_unit)).value
    except UnitError:
        return value  # the engine refuses it with the step's name


class _Background:
    """Work off the UI thread for a panel that may be gone when the answer comes."""

    def __init__(self, panel: Panel) -> None:
        self.panel = panel
        self.busy = False

    def run(
        self,
        fn: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        self.busy = True

        def deliver(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(result: Any) -> None:
                self.busy = False
                if shiboken6.isValid(self.panel) and self.panel.owner.panel is self.panel:
                    handler(result)

            return call

        run_task(fn, deliver(done), deliver(failed))


# ---------------------------------------------------------------- capture (OPC UA)


class CapturePanel(Panel):
    """Read the equipment's node; Record only a good reading."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, CaptureStep)
        self.step = step
        self.role: OpcuaRole | None = screen.station.s.opcua.get(step.source.role)
        self.reading: NodeReading | None = None
        self.work = _Background(self)
        kind = tr(EQUIPMENT_KINDS[self.role.kind]) if self.role is not None else tr("equipment")
        lines = [
            tr("Read from the {kind} “{role}”, node {node}").format(
                kind=kind, role=step.source.role, node=step.source.node
            )
        ]
        allowed = limits_text(step.range, step.unit)
        if allowed:
            lines.append(tr("allowed {limits}").format(limits=allowed))
        self.lead = _lead(self.m, lines, limit_lines(step))
        # the details (identity, source time, or why nothing was read) under the texts
        self.detail = label(tr("Not read yet: press Read"), wrap=True, name="capture-detail")
        self.col.addWidget(self.detail)
        manual = button(tr("Type value (supervisor)"), self.m, name="capture-manual")
        manual.clicked.connect(self._manual)
        row = QHBoxLayout()
        row.addWidget(manual)
        row.addStretch(1)
        self.col.addLayout(row)
        # the value and its status stand beside Read and Record, always in view
        self.value = label("— " + unit_text(step.unit), role="value", name="capture-value")
        self.status = label("", name="capture-status")
        self.read = button(tr("Read"), self.m, name="capture-read")
        self.read.setMinimumWidth(self.m.mm(40))
        self.read.clicked.connect(self._read)
        self.record = button(tr("Record"), self.m, role="primary", name="capture-record")
        self.record.setMinimumWidth(self.m.mm(40))
        self.record.clicked.connect(self._record)
        self.add_action(self.read)
        self.add_action(self.record)
        self.action_row.addWidget(_reading(self.value, self.status), 1)
        self.fill_bar = True
        self._update()

    def _problem(self, short: str, text: str) -> None:
        self.reading = None
        self.value.setText("— " + unit_text(self.step.unit))
        self.status.setText(short)
        self.status.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
        self.detail.setText(text)
        self.detail.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
        self.owner.station.s.feedback.refuse(text)
        self._update()

    def _update(self) -> None:
        r = self.reading
        self.record.setEnabled(r is not None and r.good and not self.work.busy)
        self.read.setEnabled(not self.work.busy)

    def _read(self) -> None:
        role, node = self.role, self.step.source.node
        if role is None:
            self._problem(
                tr("✕ Not set up"),
                tr("No equipment “{role}” is set up at this station: a technician adds it").format(
                    role=self.step.source.role
                ),
            )
            return
        self.status.setText(tr("Reading…"))
        self.status.setStyleSheet("")
        self.work.run(lambda: read_role(role, [node])[0], self._read_done, self._read_failed)
        self._update()

    def _read_done(self, reading: NodeReading) -> None:
        if not reading.good:
            self._problem(
                tr("✕ {status}").format(status=reading.status),
                tr("{node} reports status {status} — not used; read again").format(
                    node=self.step.source.node, status=reading.status
                ),
            )
            return
        self.reading = reading
        value = reading.value
        decimals = self.step.decimals
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown = repr(value)  # the engine refuses it with the step's name
        else:
            shown = f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
        self.value.setText(local_number(f"{shown} {unit_text(reading.unit)}".strip()))
        item = self.owner.engine.masterdata.by_serial(reading.source)
        stamp = iso(reading.source_timestamp) if reading.source_timestamp else None
        self.status.setText(
            tr("● {status} · {who}").format(
                status=reading.status,
                who=item.id if item is not None else tr("not registered"),
            )
        )
        self.status.setStyleSheet(f"color: {ACCEPT}; font-weight: bold;")
        self.detail.setText(
            tr("Read from {source}; source time {time}").format(
                source=reading.source,
                time=local_time(stamp, seconds=True) if stamp else tr("not given"),
            )
        )
        self.detail.setStyleSheet("")
        self._update()

    def _read_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DeviceError):
            text = shown(exc)
        else:  # never a traceback on the floor: the log has it
            log.warning("capture read failed: %r", exc)
            text = tr("the equipment could not be read: {v0}").format(v0=exc)
        self._problem(
            tr("✕ Not read"), tr("Not read: {problem} — nothing recorded").format(problem=text)
        )

    def _record(self) -> None:
        s = self.owner
        r = self.reading
        if r is None or not r.good:
            s.station.s.feedback.refuse(tr("read the equipment first"))
            return
        value = r.value if isinstance(r.value, int | float) else None
        beyond = (
            outside_action(self.step, _in_step_unit(float(value), r.unit, self.step.unit))
            if value is not None and not isinstance(value, bool)
            else ""
        )
        if beyond and not s.station.s.prompts.confirm(
            tr("Outside the action limits"),
            tr("{v0}. Recording it puts the batch on hold. Record it?").format(v0=beyond),
            ok=tr("Record"),
        ):
            return
        reading: Captured = captured(r)
        item = s.engine.masterdata.by_serial(r.source)
        if (
            self.act(
                lambda: s.engine.capture(*s.who(), reading),
                ok=tr("Recorded from {source}").format(source=item.id if item else r.source),
            )
            and beyond
        ):
            s.station.s.feedback.alarm(tr("Recorded — batch on hold: {v0}").format(v0=beyond))

    def _manual(self) -> None:
        s = self.owner
        step = self.step
        answer = s.station.s.prompts.override(
            s.sign_request(
                "approved", tr("Value typed by hand (equipment not read)"), who=tr("a supervisor")
            ),
            ValueSpec(s.step_title(), unit=step.unit, decimal=step.decimals != 0),
        )
        if answer is None or answer.value is None:
            return
        text = answer.value
        try:
            number = float(text)
        except ValueError:
            s.station.s.feedback.refuse(tr("{v0} is not a number").format(v0=text))
            return
        self.act(
            lambda: s.engine.capture(
                *s.who(),
                None,
                manual_value=number,
                override=answer.credentials,
                reason=answer.reason,
            ),
            ok=tr("Typed value recorded (exception raised for review)"),
        )


# ---------------------------------------------------------------- cell counter file


class CounterPanel(Panel):
    """The newest result for this batch's sample in the counter's watched folder."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        step = view.step
        assert isinstance(step, EntryStep)
        assert step.source is not None
        self.step = step
        self.field = step.source.cell_counter
        self.counter = screen.station.s.cell_counter
        self.count: CellCount | None = None
        self.sample: str | None = None  # scanned at the step
        self.work = _Background(self)
        instrument = INSTRUMENTS[self.counter.format] if self.counter else tr("cell counter")
        lines = [
            tr("Taken from the {instrument}'s result file: {what}").format(
                instrument=instrument, what=tr(COUNTER_FIELDS[self.field])
            )
        ]
        allowed = limits_text(step.range, step.unit)
        if allowed:
            lines.append(tr("allowed {limits}").format(limits=allowed))
        self.lead = _lead(self.m, lines, limit_lines(step))
        self.target = label("", wrap=True, name="counter-sample")
        self.card = label("", role="card", wrap=True, name="counter-file")
        self.card.setVisible(False)
        self.problem = label("", wrap=True, name="counter-problem")
        self.problem.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
        self.problem.setVisible(False)
        self.col.addWidget(self.target)
        self.col.addWidget(self.card)
        self.col.addWidget(self.problem)
        self.value = label("— " + unit_text(step.unit), role="value", name="counter-value")
        self.status = label("", name="counter-status")
        self.again = button(tr("Look again"), self.m, name="counter-again")
        self.again.setMinimumWidth(self.m.mm(40))
        self.again.clicked.connect(self.look)
        row = QHBoxLayout()
        row.addWidget(self.again)
        row.addStretch(1)
        self.col.addLayout(row)
        self.record = button(tr("Record"), self.m, role="primary", name="counter-record")
        self.record.setMinimumWidth(self.m.mm(40))
        self.record.clicked.connect(self._record)
        self.add_action(self.record)
        self.action_row.addWidget(_reading(self.value, self.status), 1)
        self.fill_bar = True
        self.look()

    def wanted(self) -> list[str]:
        """The sample IDs a result may carry: scanned here, else the batch ID and the DIN."""
        if self.sample:
            return [self.sample]
        state = self.owner.engine.batch(self.owner.batch)
        return [w for w in (state.id, state.din) if w]

    def look(self) -> None:
        counter = self.counter
        wanted = self.wanted()
        self.target.setText(
            tr("Sample {ids} (or scan the tube's label)").format(ids=tr(" or ").join(wanted))
        )
        if counter is None:
            self._problem(
                tr("No cell counter folder is set up at this station: a technician adds it")
            )
            return
        self.status.setText(tr("Looking…"))
        self.status.setStyleSheet("")
        self.work.run(
            lambda: newest_matching(counter.folder, wanted, counter.format, counter.columns),
            self._found,
            self._failed,
        )
        self._update()

    def _number(self, count: CellCount) -> float:
        if self.field == "viability":
            return count.viability_pct
        per_ml = count.viable_per_ml if self.field == "viable_concentration" else count.total_per_ml
        return _in_step_unit(per_ml, "cells/mL", self.step.unit)

    def _found(self, found: tuple[CellCount, list[str]]) -> None:
        count, refused = found
        self.count = count
        when = local_time(iso(count.measured_at)) if count.measured_at else tr("no time given")
        self.card.setText(
            "\n".join(
                [
                    tr("File {name}, line {line}").format(name=count.file_name, line=count.line),
                    tr("Sample {sample} · measured {when} · {source}").format(
                        sample=count.sample_id, when=when, source=count.source
                    ),
                    tr("Viable {viable} · total {total} cells/mL · viability {viability} %").format(
                        viable=f"{count.viable_per_ml:.3g}",
                        total=f"{count.total_per_ml:.3g}",
                        viability=f"{count.viability_pct:g}",
                    ),
                ]
            )
        )
        number = self._number(count)
        decimals = self.step.decimals
        shown = f"{number:.{decimals}f}" if decimals is not None else f"{number:g}"
        self.value.setText(local_number(f"{shown} {unit_text(self.step.unit)}".strip()))
        self.card.setVisible(True)
        self.status.setText(tr("● {name}").format(name=count.file_name))
        self.status.setStyleSheet(f"color: {ACCEPT}; font-weight: bold;")
        self._show_refused(refused)
        self._update()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CellCountError):
            self._problem(str(exc))
        else:
            log.warning("counter folder failed: %r", exc)
            self._problem(tr("the counter's folder could not be read: {v0}").format(v0=exc))

    def _show_refused(self, refused: list[str]) -> None:
        self.problem.setText("\n".join(tr("Not used: {v0}").format(v0=r) for r in refused))
        self.problem.setVisible(bool(refused))

    def _problem(self, text: str) -> None:
        self.count = None
        self.card.setText("")
        self.card.setVisible(False)
        self.problem.setText(text)
        self.problem.setVisible(True)
        self.value.setText("— " + unit_text(self.step.unit))
        self.status.setText(tr("✕ No result"))
        self.status.setStyleSheet(f"color: {REFUSE}; font-weight: bold;")
        self._update()

    def _update(self) -> None:
        self.record.setEnabled(self.count is not None and not self.work.busy)
        self.again.setEnabled(not self.work.busy)

    def on_code(self, text: str, source: str) -> bool:
        """A sample tube's label scanned here: look for that sample ID."""
        del source
        self.sample = text.strip()
        self.look()
        return True

    def _record(self) -> None:
        s = self.owner
        count = self.count
        if count is None:
            s.station.s.feedback.refuse(tr("no counter result for this batch yet"))
            return
        beyond = outside_action(self.step, self._number(count))
        if beyond and not s.station.s.prompts.confirm(
            tr("Outside the action limits"),
            tr("{v0}. Recording it puts the batch on hold. Record it?").format(v0=beyond),
            ok=tr("Record"),
        ):
            return
        sample = self.sample
        if (
            self.act(
                lambda: s.engine.import_count(*s.who(), counter_result(count), sample_id=sample),
                ok=tr("Recorded from {name}").format(name=count.file_name),
            )
            and beyond
        ):
            s.station.s.feedback.alarm(tr("Recorded — batch on hold: {v0}").format(v0=beyond))


# ---------------------------------------------------------------- pending LIMS result


class PendingPanel(Panel):
    """A QC result the LIMS sends later: nothing to do here, the batch goes on."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        self.col.addWidget(
            label(
                tr("The result comes from the LIMS; the batch goes on without waiting for it."),
                wrap=True,
                name="pending-text",
            )
        )


PANELS["capture"] = CapturePanel
PANELS["counter"] = CounterPanel
PANELS["pending_result"] = PendingPanel
