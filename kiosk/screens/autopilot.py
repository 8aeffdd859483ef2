"""Drive the real widgets as an operator would: the scripted demo, the GUI tests and the
benchmark use it. Every action is a click on a visible button (keys of the pads
included) or a device event through the bridge; answers to dialogs come from
the prompts' queue (`ScriptedPrompts` in tests, `ShowingPrompts` in the demo,
which fills the real dialog through its keys and takes its picture).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QWidget

from kiosk.screens.config import Metrics
from kiosk.screens.dialogs import DialogPrompts
from kiosk.screens.form import FormDialog
from kiosk.screens.main import MainWindow

Shot = Callable[[str, QWidget], None]


class AutopilotError(AssertionError):
    """The screen is not what the script expected."""


def settle(rounds: int = 3) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AutopilotError("timed out waiting for the screen")
        QApplication.processEvents()
        time.sleep(0.002)


def visible_button(root: QWidget, name: str) -> QAbstractButton:
    found = [
        b for b in root.findChildren(QAbstractButton, name) if b.isVisibleTo(root) and b.isEnabled()
    ]
    if not found:
        raise AutopilotError(f"no visible, enabled button {name!r} on {type(root).__name__}")
    return found[-1]


class ShowingPrompts(DialogPrompts):
    """The demo's prompts: the real dialog, filled through its keys, pictured, submitted."""

    def __init__(
        self,
        lookup: Callable[[str], str | None],
        clock: Callable[[], datetime],
        metrics: Metrics,
        parent: Callable[[], QWidget | None],
        shot: Shot | None = None,
    ) -> None:
        super().__init__(lookup, clock, metrics, parent)
        self.queue: deque[tuple[str, dict[str, str] | None]] = deque()
        self.shot = shot

    def answer(self, kind: str, **values: Any) -> None:
        self.queue.append((kind, {k: str(v) for k, v in values.items()}))

    def run(self, dialog: FormDialog, kind: str) -> int:
        if not self.queue:
            raise AutopilotError(f"unexpected {kind} dialog")
        want, values = self.queue.popleft()
        if want != kind:
            raise AutopilotError(f"expected a {want} dialog, got {kind}")
        dialog.show()
        settle()
        if values is None:
            dialog.reject()
            return int(dialog.result())
        typed = [s for s in dialog.form.slots if s.kind != "choice" and s.name in values]
        if typed and self.shot is not None:
            # the typing page: the first field half typed, its pad below
            first = typed[0]
            dialog.form.edit(first)
            pad = dialog.form.num_pad if first.kind == "number" else dialog.form.text_pad
            pad.type_text(values[first.name][: max(1, len(values[first.name]) // 2)])
            settle()
            self.shot(f"dialog-{kind}-typing", dialog)
        dialog.form.fill(values)
        settle()
        if self.shot is not None:
            self.shot(f"dialog-{kind}", dialog)
        dialog.form.submit()
        settle()
        return int(dialog.result())


class Autopilot:
    """An operator's hands on the kiosk window."""

    def __init__(self, window: MainWindow, shot: Shot | None = None) -> None:
        self.window = window
        self.station = window.station
        self.bridge = window.station.s.bridge
        self.prompts: Any = window.station.s.prompts
        self._shot = shot

    # ------------------------------------------------------------ basics

    def shot(self, name: str) -> None:
        if self._shot is not None:
            settle()
            self._shot(name, self.window)

    def click(self, name: str) -> None:
        visible_button(self.window, name).click()
        settle()

    def button(self, name: str) -> QAbstractButton:
        return visible_button(self.window, name)

    def answer(self, kind: str, **values: Any) -> None:
        self.prompts.answer(kind, **values)

    def screen(self) -> QWidget:
        return self.window.current()

    def message(self) -> tuple[str, str]:
        banner = self.window.message
        return banner.full_text, banner.kind

    # ------------------------------------------------------------ log in and out

    def login(self, user: str, password: str, *, shot: str = "") -> None:
        w = self.window
        if w.current() is not w.login:
            raise AutopilotError("not on the login screen")
        form = w.login.form
        if shot:
            form.edit(form.slots[0])
            form.text_pad.type_text(user)
            self.shot(shot)
        form.fill({"user": user, "password": password})
        if shot:
            self.shot(shot + "-filled")
        form.submit()
        wait_until(lambda: not w.login.busy)
        settle()
        if self.station.session is None or self.station.session.user.id != user:
            raise AutopilotError(f"login of {user} refused: {self.message()[0]}")

    def logout(self) -> None:
        self.click("bar-logout")

    # ------------------------------------------------------------ starting a batch

    def start(
        self,
        recipe_id: str,
        context: dict[str, Any],
        *,
        din: str | None = None,
        shots: bool = False,
        prefix: str = "",
        supervisor: tuple[str, str, str] | None = None,
    ) -> str:
        """Start a batch; an ordered recipe from the open order ``context['order_id']``, or with
        ``supervisor`` = (user, password, reason) from the context typed by hand."""
        w = self.window
        if din is not None:
            self.bridge.on_code(din, "scanner")
            settle()
        else:
            self.click("home-start")
        if shots:
            self.shot(prefix + "start-recipe")
        self.click(f"recipe-{recipe_id}")
        if w.start.form is None:  # an ordered recipe: choose the order, or type it (supervisor)
            if shots:
                self.shot(prefix + "start-order")
            order = f"order-{context.get('order_id')}"
            if supervisor is None and not _has_button(self.window, order):
                raise AutopilotError(f"no open order {context.get('order_id')} on the station")
            if supervisor is None:
                self.click(order)
            else:
                self.click("start-typed")
                user, password, reason = supervisor
                self.answer("override", reason=reason, user=user, password=password)
        if w.start.form is not None:
            if shots:
                self.shot(prefix + "start-context")
            w.start.form.fill({k: str(v) for k, v in context.items()})
            if shots:
                self.shot(prefix + "start-context-filled")
            w.start.form.submit()
        settle()
        if w.current() is not w.step:
            raise AutopilotError(f"batch not started: {self.message()[0]}")
        return w.step.batch

    # ------------------------------------------------------------ steps

    def confirm(self) -> None:
        for name in ("step-done", "calc-confirm"):
            buttons = [
                b for b in self.window.findChildren(QPushButton, name) if b.isVisibleTo(self.window)
            ]
            if buttons:
                buttons[-1].click()
                settle()
                return
        raise AutopilotError("nothing to confirm on this step")

    def check(self, result: str, comment: str | None = None) -> None:
        if comment is not None:
            self.answer("text", value=comment)
        self.click(f"check-{result}")

    def type_number(self, value: str) -> None:
        panel: Any = self.window.step.panel
        panel.pad.press("clear")
        panel.pad.type_text(value)
        settle()

    def enter(self, value: Any) -> None:
        panel = self.window.step.panel
        kind = type(panel).__name__
        text = str(value)
        if kind == "NumberEntry":
            self.type_number(text)
            self.click("entry-record")
        elif kind == "ChoiceEntry":
            self.click(f"choice-{text}")
            self.click("entry-record")
        elif kind == "TextEntry":
            self.answer("text", value=text)
            self.click("entry-type")
        else:
            raise AutopilotError(f"the step shows {kind}, not an entry")

    def scan(self, code: str, source: str = "scanner") -> None:
        self.bridge.on_code(code, source)
        settle()

    def scan_keyed(
        self,
        typed: str,
        supervisor: tuple[str, str] = ("sam", "sup-samira-2026"),
        reason: str = "Barcode unreadable",
    ) -> None:
        """Type a DIN, CoI or material label by hand; a supervisor signs with a reason."""
        user, password = supervisor
        self.answer("override", value=typed, reason=reason, user=user, password=password)
        self.click("scan-keyed")

    def weight(
        self, value: float, unit: str = "g", *, stable: bool = True, device: str = "B207696838"
    ) -> None:
        self.bridge.on_weight(value, unit, stable, device)
        settle()

    def weigh(self, value: float, unit: str = "g", device: str = "B207696838") -> None:
        self.weight(value, unit, stable=False, device=device)
        self.weight(value, unit, stable=True, device=device)
        self.click("weigh-record")

    def timer_start(self) -> None:
        self.click("timer-start")

    def timer_stop(self) -> None:
        self.window.step.show_view()  # the screen's one-second tick, now
        self.click("timer-stop")

    def print_label(self) -> None:
        self.click("label-print")

    def sign(self, user: str, password: str) -> None:
        self.answer("signature", user=user, password=password)
        for name in ("sign-step", "pending-sign"):
            if self.window.findChildren(QPushButton, name):
                try:
                    self.click(name)
                except AutopilotError:
                    continue
                return
        raise AutopilotError("no Sign button on this screen")

    def witness(self, user: str, password: str) -> None:
        self.answer("witness", user=user, password=password)
        self.click("pending-witness")

    def acknowledge(self, user: str, password: str, reason: str) -> None:
        self.answer("acknowledge", reason=reason, user=user, password=password)
        self.click("hold-ack")

    def expect(
        self, *, key: str | None = None, state: str | None = None, waiting: str | None = None
    ) -> None:
        view = self.station.s.engine.view(self.window.step.batch)
        problems = []
        if key is not None and view.key != key:
            problems.append(f"step {view.key}, not {key}")
        if state is not None and view.state != state:
            problems.append(f"state {view.state}, not {state}")
        if waiting is not None and view.waiting_for != waiting:
            problems.append(f"waiting for {view.waiting_for}, not {waiting}")
        if problems:
            raise AutopilotError("; ".join(problems) + f" (message: {self.message()[0]})")


def all_buttons(root: QWidget) -> Sequence[QAbstractButton]:
    return [b for b in root.findChildren(QAbstractButton) if b.isVisibleTo(root)]


def _has_button(window: QWidget, name: str) -> bool:
    return any(b.isVisibleTo(window) for b in window.findChildren(QAbstractButton, name))
