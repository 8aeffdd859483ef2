"""Technician: devices and their health, the swap and daily-check workflow, equipment logbook.

The workflow is `kiosk.devices.swap.SwapWorkflow` over the station's
`DeviceManager` (`Services.manager`): for the device role chosen at the left,
Identify asks the connected device its serial number, Check master data looks
it up, Daily check weighs the reference weight the technician names, Accept
device signs it into service. Each call talks to the device, so it runs off
the UI thread (`run_task`); its result or refusal is shown in the banner, in
the workflow's words. Without a device manager the buttons stay disabled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.screens.dialogs import SignRequest
from kiosk.screens.display import local_time
from kiosk.screens.form import Slot
from kiosk.screens.i18n import QT_TR_NOOP, shown, tr
from kiosk.screens.station import Station
from kiosk.screens.style import button, label, scroll_area
from kiosk.screens.tasks import run_task

if TYPE_CHECKING:
    from kiosk.devices.swap import Identified, SwapWorkflow

log = logging.getLogger(__name__)

ACTIONS = (
    ("identify", QT_TR_NOOP("Identify")),
    ("check_master", QT_TR_NOOP("Master data")),
    ("daily_check", QT_TR_NOOP("Daily check")),
    ("accept", QT_TR_NOOP("Accept device")),
)
SWAP_KINDS = ("balance", "scanner")  # the roles a technician swaps here (cameras: not managed)
LOGBOOK_LINES = 12
NO_DEVICES = QT_TR_NOOP("No devices configured on this station.")


def logbook_line(event: Any) -> str:
    """One equipment logbook line: time, what happened, to what, the result, who."""
    p = event.payload
    what = p.get("equipment") or p.get("asset") or p.get("id") or ""
    if p.get("role"):
        what = f"{what} as {p['role']}" if what else str(p["role"])
    kind = event.type.removeprefix("equipment.").removeprefix("device.")
    if event.type == "equipment.swap_step":
        kind = str(p.get("step", "swap step")).replace("_", " ")
    detail = p.get("result") or p.get("reason") or p.get("problem") or ""
    if event.type == "equipment.checked" and "passed" in p:
        verdict = "passed" if p["passed"] else "FAILED"
        detail = f"{verdict}, {p.get('reading')} against {p.get('reference')} {p.get('unit', '')}"
    elif not what and p.get("serial"):
        what = f"serial {p['serial']}"
    text = f"{local_time(event.ts)} {kind.replace('_', ' ')} {what}".rstrip()
    return f"{text}: {detail} ({event.actor})" if detail else f"{text} ({event.actor})"


class TechnicianScreen(QWidget):
    name: ClassVar[str] = "technician"

    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        m = station.metrics
        self.m = m
        outer = QHBoxLayout(self)
        outer.setContentsMargins(m.mm(3), m.mm(2), m.mm(3), m.mm(2))
        outer.setSpacing(m.mm(4))
        left = QVBoxLayout()
        left.setSpacing(m.mm(1.5))
        left.addWidget(label(tr("Devices"), role="title"))
        self.devices = label("", role="card", wrap=True, name="tech-devices")
        self.devices.setAlignment(Qt.AlignmentFlag.AlignTop)
        left.addWidget(scroll_area(self.devices), 1)  # cards scroll: the buttons stay in view
        self.roles_row = QHBoxLayout()
        self.roles_row.setSpacing(m.gap)
        left.addLayout(self.roles_row)
        self.role_group = QButtonGroup(self)
        self.role_group.setExclusive(True)
        self.role_buttons: dict[str, Any] = {}
        self.hint = label(tr(NO_DEVICES), role="muted", wrap=True, name="tech-hint")
        left.addWidget(self.hint)
        grid = QGridLayout()
        grid.setSpacing(m.gap)
        self.buttons: dict[str, Any] = {}
        for i, (key, text) in enumerate(ACTIONS):
            b = button(tr(text), m, name=f"tech-{key.replace('_', '-')}")
            b.clicked.connect(lambda _=False, k=key: self._action(k))
            grid.addWidget(b, i // 2, i % 2)
            self.buttons[key] = b
        left.addLayout(grid)
        outer.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(label(tr("Equipment logbook"), role="title"))
        self.logbook = label(tr("Loading…"), role="card", wrap=True, name="tech-logbook")
        self.logbook.setAlignment(Qt.AlignmentFlag.AlignTop)
        right.addWidget(scroll_area(self.logbook), 1)
        outer.addLayout(right, 1)
        self.loading = False
        self.busy = ""  # the action running in the background, "" when none
        self.identified: dict[str, Identified] = {}
        self._workflow: SwapWorkflow | None = None
        self._manager: object | None = None

    # ------------------------------------------------------------ what is shown

    def refresh(self) -> None:
        devices = self.station.s.devices()
        self.devices.setText(
            "\n".join(f"{name}: {status}" for name, status in devices) or tr("No device connected.")
        )
        self._show_roles()
        self._enable()
        if self.loading:
            return
        store = self.station.s.store
        self.loading = True

        def read() -> list[str]:
            lines = [
                logbook_line(event)
                for event in store.events()
                if event.type.startswith(("equipment.", "device."))
            ]
            return lines[-LOGBOOK_LINES:][::-1]  # newest first

        run_task(read, self._logbook, self._failed)

    def _logbook(self, lines: list[str]) -> None:
        self.loading = False
        if isValid(self.logbook):  # the screen may be gone (a language change, closing)
            self.logbook.setText("\n".join(lines) or tr("No equipment events yet."))

    def _failed(self, error: BaseException) -> None:
        self.loading = False
        if isValid(self.logbook):
            self.logbook.setText(tr("Logbook not readable: {v0}").format(v0=error))

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def swap_roles(self) -> list[str]:
        """The device roles of this station a technician can swap here."""
        manager = self.station.s.manager
        if manager is None:
            return []
        roles = [r for r, d in manager.config.devices.items() if d.kind in SWAP_KINDS]
        return roles + list(manager.config.opcua)  # process equipment over OPC UA

    def _show_roles(self) -> None:
        roles = self.swap_roles()
        if list(self.role_buttons) == roles:
            return
        for b in self.role_buttons.values():
            self.role_group.removeButton(b)
            b.setParent(None)
            b.deleteLater()
        self.role_buttons = {}
        self.identified.clear()
        for role in roles:
            b = button(role, self.m, size="target", name=f"tech-role-{role}")
            b.setCheckable(True)
            self.role_group.addButton(b)
            self.roles_row.addWidget(b)
            self.role_buttons[role] = b
        if roles:
            self.role_buttons[roles[0]].setChecked(True)

    def _enable(self) -> None:
        ready = bool(self.role_buttons)
        self.hint.setVisible(not ready)
        for b in self.buttons.values():
            b.setEnabled(ready and not self.busy)
        for b in self.role_buttons.values():
            b.setEnabled(not self.busy)

    @property
    def role(self) -> str | None:
        for role, b in self.role_buttons.items():
            if b.isChecked():
                return role
        return None

    def workflow(self) -> SwapWorkflow | None:
        manager = self.station.s.manager
        if manager is None:
            return None
        if self._workflow is None or self._manager is not manager:
            from kiosk.devices.swap import SwapWorkflow  # noqa: PLC0415 - only with devices

            s = self.station.s
            self._workflow = SwapWorkflow(manager, s.engine.masterdata, s.auth, s.store, s.clock)
            self._manager = manager
        return self._workflow

    # ------------------------------------------------------------ the workflow

    def _action(self, key: str) -> None:
        feedback = self.station.s.feedback
        workflow, role, session = self.workflow(), self.role, self.station.session
        if workflow is None or role is None:
            feedback.refuse(tr(NO_DEVICES))
            return
        if session is None:
            feedback.refuse(tr("Log in first."))
            return
        if self.busy:
            return
        self.station.touch()
        found = self.identified.get(role)
        if key == "identify":
            self._run(key, lambda: workflow.identify(role, session=session), self._identified)
            return
        if found is None:
            feedback.refuse(tr("Identify the device in {v0} first.").format(v0=role))
            return
        if key == "check_master":
            self._run(
                key,
                lambda: workflow.check_master(found.serial, session=session, role=role),
                lambda check: self._shown(check.message, ok=check.may_accept),
            )
        elif key == "daily_check":
            self._daily_check(workflow, found, session)
        elif key == "accept":
            self._accept(workflow, found, session)

    def _daily_check(self, workflow: SwapWorkflow, found: Identified, session: Any) -> None:
        feedback = self.station.s.feedback
        if found.kind != "balance":
            feedback.refuse(
                tr("{v0} is a {v1}: daily checks are for balances.").format(
                    v0=found.role, v1=found.kind
                )
            )
            return
        if found.asset is None:
            feedback.refuse(
                tr("Serial {v0} is not registered: register it first.").format(v0=found.serial)
            )
            return
        values = self.station.s.prompts.form(
            "daily-check",
            tr("Daily check of {v0}").format(v0=found.asset),
            [
                tr("Put the reference weight on the balance and wait until it is stable."),
                tr("The station reads the stable weight from the balance itself."),
            ],
            [
                Slot("reference", tr("Reference weight (g)"), kind="number", negative=False),
                Slot("tolerance", tr("Tolerance (± g)"), kind="number", negative=False),
            ],
        )
        if values is None:
            return
        try:
            reference, tolerance = float(values["reference"]), float(values["tolerance"])
        except (KeyError, ValueError):
            feedback.refuse(tr("Type the reference weight and the tolerance as numbers in grams."))
            return
        asset, role = found.asset, found.role

        def check() -> Any:
            reading = workflow.read_weight(role, session=session)
            return workflow.daily_check(asset, reference, tolerance, reading, session=session)

        self._run(
            "daily_check", check, lambda result: self._shown(result.message, ok=result.passed)
        )

    def _accept(self, workflow: SwapWorkflow, found: Identified, session: Any) -> None:
        what = f"{found.kind} {found.asset or found.serial} (serial {found.serial}) as {found.role}"
        credentials = self.station.s.prompts.sign(
            SignRequest(
                meaning="approved",
                what=tr("Accept {v0}").format(v0=what),
                who=tr("a technician or admin"),
                title=tr("Accept device"),
            )
        )
        if credentials is None:
            return
        role, serial = found.role, found.serial

        def accepted(result: Any) -> None:
            note = f"; still to do: {result.remaining}" if result.remaining else ""
            self._shown(f"{result.message}{note}", ok=True)

        self._run(
            "accept",
            lambda: workflow.accept(role, serial, credentials, session=session),
            accepted,
        )

    def _identified(self, found: Identified) -> None:
        self.identified[found.role] = found
        self._shown(found.message, ok=found.asset is not None)

    def _run(self, key: str, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run a workflow step in the background; show its outcome when it is back."""
        self.busy = key
        self._enable()
        self.station.s.feedback.info(tr("{v0}: working…").format(v0=tr(dict(ACTIONS)[key])))

        def finished(result: Any) -> None:
            self.busy = ""
            done(result)
            self.refresh()

        def failed(error: BaseException) -> None:
            from kiosk.devices.errors import DeviceError  # noqa: PLC0415 - only with devices

            self.busy = ""
            if isinstance(error, DeviceError):  # SwapRefused too: the reason, in words
                self.station.s.feedback.refuse(shown(error))
            else:
                log.error("technician %s failed: %r", key, error)
                self.station.s.feedback.refuse(
                    tr("{v0} not done: {v1}").format(v0=tr(dict(ACTIONS)[key]), v1=shown(error))
                )
            self.refresh()

        run_task(fn, finished, failed)

    def _shown(self, message: str, *, ok: bool) -> None:
        text = message[:1].upper() + message[1:]
        if ok:
            self.station.s.feedback.accept(text)
        else:
            self.station.s.feedback.refuse(text)
