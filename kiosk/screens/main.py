"""The kiosk window: top bar, one screen at a time, the message line, the inactivity lock.

It routes what arrives from devices (a scanned code goes to the screen on
show, unless a dialog is open), locks the station after inactivity (a timer
asks the session policy; the lock screen covers the batch; the same person
unlocks with the password, or someone else logs in and the batch stays where
it was), and in kiosk mode can only be left with an admin's signature.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.auth import AuthError, Session
from kiosk.engine import ActionRefused
from kiosk.monitoring_service import StationMonitoring
from kiosk.preferences import LanguageChoices
from kiosk.screens import capture  # noqa: F401 - registers the capture, counter and LIMS panels
from kiosk.screens.admin import AdminScreen
from kiosk.screens.custody import CustodyScreen
from kiosk.screens.decisions import ServerDecisions
from kiosk.screens.dialogs import SignRequest, ValueSpec
from kiosk.screens.display import value_text
from kiosk.screens.form import Form, Slot
from kiosk.screens.handover import WaitingList, hand_over, may_hand_over, special_panel
from kiosk.screens.home import HomeScreen, StartScreen
from kiosk.screens.i18n import language, set_language, shown, tr
from kiosk.screens.login import LockScreen, LoginScreen
from kiosk.screens.monitor import UiThread
from kiosk.screens.review import ReviewScreen
from kiosk.screens.station import Station
from kiosk.screens.step import StepScreen
from kiosk.screens.style import ElidedLabel, button, stylesheet
from kiosk.screens.tasks import make_timer, wait_for_tasks
from kiosk.screens.technician import TechnicianScreen
from kiosk.screens.widgets import MessageBanner

log = logging.getLogger(__name__)

ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


class ActivityFilter(QObject):
    """Any touch on the station counts as activity for the inactivity lock."""

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station = station

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        del watched
        if event.type() in ACTIVITY:
            self.station.touch()
        return False


class MainWindow(QWidget):
    """Top bar + stacked screens + message banner."""

    def __init__(self, station: Station, *, on_exit: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.station = station
        self.on_exit = on_exit or QApplication.quit
        self.may_close = not station.s.config.kiosk_mode
        m = station.metrics
        self.setObjectName("window")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(stylesheet(m))
        self.setWindowTitle(tr("Cleanroom kiosk — {v0}").format(v0=station.s.config.station))
        width, height = station.s.config.size
        self.resize(width, height)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # the panel's size is fixed: the window never asks the platform for a minimum size
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.topbar = QWidget()
        self.topbar.setObjectName("topbar")
        self.topbar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar = QHBoxLayout(self.topbar)
        bar.setContentsMargins(m.mm(1.5), m.mm(1), m.mm(1.5), m.mm(1))
        bar.setSpacing(m.mm(2))
        self.home_button = button(tr("Home"), m, size="target", name="bar-home")
        self.home_button.clicked.connect(self.go_home)
        bar.addWidget(self.home_button)
        self.who = ElidedLabel(name="bar-who")  # the buttons keep their words; the name gives way
        bar.addWidget(self.who, 1)
        self.hold_button = button(tr("Hold"), m, size="target", name="bar-hold")
        self.hold_button.clicked.connect(self._hold)
        self.correct_button = button(tr("Correct"), m, size="target", name="bar-correct")
        self.correct_button.clicked.connect(self._correct)
        self.handover_button = button(tr("Hand over"), m, size="target", name="bar-handover")
        self.handover_button.clicked.connect(self._hand_over)
        self.lock_button = button(tr("Lock"), m, size="target", name="bar-lock")
        self.lock_button.clicked.connect(self.lock)
        self.logout_button = button(tr("Log out"), m, size="target", name="bar-logout")
        self.logout_button.clicked.connect(self.logout)
        self.exit_button = button(tr("Exit"), m, size="target", name="bar-exit")
        self.exit_button.clicked.connect(self.request_exit)
        for b in (
            self.handover_button,
            self.hold_button,
            self.correct_button,
            self.lock_button,
            self.logout_button,
            self.exit_button,
        ):
            bar.addWidget(b)
        outer.addWidget(self.topbar)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.message = MessageBanner(m)
        outer.addWidget(self.message)
        station.s.feedback.message.connect(self.message.show_message)

        self.resume_to: QWidget | None = None
        # user ID -> the language chosen at their login, kept beside a file database
        db = station.s.store.path
        self.languages = LanguageChoices(
            LanguageChoices.path_for(db) if db.name != ":memory:" else None
        )
        self.default_language = language()  # the station's: for users who chose none
        self.login_choice = ""  # the language tapped on the login screen, until a login
        self._build_screens()

        station.s.bridge.code.connect(self._code)
        station.s.bridge.ignored.connect(station.s.feedback.info)  # a wedge burst, and why
        self.decisions = ServerDecisions(station, self._batches_changed)
        station.s.bridge.pulled.connect(self._pulled)
        station.locked.connect(self._show_lock)
        station.batch_changed.connect(lambda _b: self._batch_bar())
        # every running monitored timer step of the station is sampled, whatever is shown
        self.ui_thread = UiThread(self)
        self.monitoring = StationMonitoring(
            station.s.engine,
            lambda: station.s.opcua,
            station.s.clock,
            self.ui_thread.post,
            changed=self._monitoring_raised,
        )
        station.s.monitoring = self.monitoring
        station.batch_changed.connect(lambda _b: self.monitoring.sync())
        self.monitor_timer = make_timer(self, 1000, self.monitoring.sync, name="station-monitoring")
        self.monitor_timer.start()  # the first look a second after start: the equipment is set
        self.idle_timer = make_timer(
            self, station.s.config.inactivity_check_ms, self.check_idle, name="inactivity-lock"
        )
        self.activity = ActivityFilter(station, self)
        self.login.begin()
        self.show_screen(self.login)

    def _build_screens(self) -> None:
        station = self.station
        self.login = LoginScreen(station, self._logged_in)
        self.lock_screen = LockScreen(station, self._unlocked, self._switch_user)
        self.home = HomeScreen(station, self.open_batch, self.start_batch, self.navigate)
        self.start = StartScreen(station, self.open_batch, self.go_home)
        self.home.add_extra(WaitingList(station, self.open_batch))
        self.step = StepScreen(
            station, self.go_home, self.open_review, special_panel, custody=self.open_custody
        )
        self.review = ReviewScreen(station, self.open_batch)
        self.custody = CustodyScreen(station, self.open_batch)
        self.technician = TechnicianScreen(station)
        self.admin = AdminScreen(station)
        for screen in self._screens():
            self.stack.addWidget(screen)
        self.login.form.typing.connect(self._typing)
        self.login.form.cancelled.connect(self.request_exit)
        self.login.language_chosen.connect(self._login_language, Qt.ConnectionType.QueuedConnection)
        self.lock_screen.typing.connect(self._typing)
        self.start.typing.connect(self._typing)

    def _screens(self) -> tuple[QWidget, ...]:
        return (
            self.login,
            self.lock_screen,
            self.home,
            self.start,
            self.step,
            self.review,
            self.custody,
            self.technician,
            self.admin,
        )

    # ------------------------------------------------------------ language

    def _login_language(self, code: str) -> None:
        """Tapped on the login screen: used now, and kept for whoever logs in next."""
        self.login_choice = code
        self.set_language(code)

    def set_language(self, code: str) -> None:
        """Show every screen in `code` ("en", "de"): the screens are built again in it."""
        if code == language() or not set_language(code):
            return
        batch = self.step.batch
        on_login = self.current() is self.login
        self.step.stop()
        wait_for_tasks(5000)  # a logbook read still on its way would land on a deleted screen
        for screen in self._screens():
            self.stack.removeWidget(screen)
            screen.setParent(None)
            screen.deleteLater()
        self._build_screens()
        self.step.batch = batch
        for b, text in (
            (self.home_button, "Home"),
            (self.hold_button, "Hold"),
            (self.handover_button, "Hand over"),
            (self.correct_button, "Correct"),
            (self.lock_button, "Lock"),
            (self.logout_button, "Log out"),
            (self.exit_button, "Exit"),
        ):
            b.setText(tr(text))
        if on_login:
            self.login.begin()
            self.show_screen(self.login)

    def _pulled(self, received: object) -> None:
        """After each pull of the sync worker: QA's decisions and QC results are fetched
        (``decisions``); new orders: a batch whose order was cancelled or revised at the
        server gets its exception now, and the screen shows the hold."""
        self.decisions.fetch()
        if not (isinstance(received, dict) and received.get("orders")):
            return
        try:
            lines = self.station.s.engine.apply_order_changes()
        except Exception as exc:  # the pull goes on; the failure is said
            log.exception("order changes not applied")
            self.station.s.feedback.refuse(tr("Order changes not checked: {v0}").format(v0=exc))
            return
        if not lines:
            return
        for line in lines:
            self.station.s.feedback.alarm(line)
        self._batches_changed()

    def _monitoring_raised(self, batch: str, messages: list[str]) -> None:
        """Monitoring raised an exception or held a batch: every station screen hears of it."""
        self.station.batch_changed.emit(batch)
        for message in messages:
            self.station.s.feedback.alarm(
                tr("Batch {v0}: {v1} (exception raised for review)").format(v0=batch, v1=message)
            )

    def _batches_changed(self, batches: list[str] | None = None) -> None:
        """Something from the server changed batches (None: any): the screen shows it."""
        screen = self.current()
        if screen is self.step and self.step.batch:
            if batches is None or self.step.batch in batches:
                self.step.show_view()
                self._batch_bar()
        elif screen is self.home:
            self.home.refresh()

    # ------------------------------------------------------------ navigation

    def current(self) -> QWidget:
        screen = self.stack.currentWidget()
        assert screen is not None
        return screen

    def show_screen(self, screen: QWidget) -> None:
        old = self.current()
        if old is self.step and screen is not self.step:
            self.step.stop()
        self.stack.setCurrentWidget(screen)
        form = getattr(screen, "form", None)
        self._typing(isinstance(form, Form) and form.is_typing())
        logged_in = self.station.session is not None and screen not in (
            self.login,
            self.lock_screen,
        )
        self.home_button.setVisible(logged_in and screen is not self.home)
        self.lock_button.setVisible(logged_in)
        self.logout_button.setVisible(logged_in)
        self._batch_bar(screen)
        self.exit_button.setVisible(
            self.station.s.config.kiosk_mode and screen in (self.login, self.home)
        )
        self.who.set_full_text(self._who_text(screen))

    def _batch_bar(self, screen: QWidget | None = None) -> None:
        """Hold, Correct and Hand over: on the batch screen, for a batch held here."""
        on_batch = (screen or self.current()) is self.step and bool(self.step.batch)
        writable = on_batch and self._writable()
        self.hold_button.setVisible(writable)
        self.correct_button.setVisible(writable)
        room_panel = self.step.view is not None and not self.step.view.room_ok  # has its own
        self.handover_button.setVisible(
            writable and not room_panel and may_hand_over(self.station, self.step.batch)
        )

    def open_custody(self) -> None:
        """The batch's chain of custody: receive, hand over, ship (``screens/custody.py``)."""
        batch = self.step.batch
        self.show_screen(self.custody)
        self.custody.open(batch)

    def _hand_over(self) -> None:
        hand_over(self.station, self.step.batch)

    def _writable(self) -> bool:
        try:
            return not self.station.s.engine.read_only(self.step.batch)
        except ActionRefused:
            return False

    def _typing(self, typing: bool) -> None:
        """A pad on an embedded form needs the whole height of a 10" panel: hide the bars."""
        self.topbar.setVisible(not typing)
        self.message.setVisible(not typing)

    def _who_text(self, screen: QWidget) -> str:
        station = self.station.s.config.station
        if self.station.session is None or screen in (self.login, self.lock_screen):
            return station
        return f"{self.station.user_name} · {station}"  # names are not translated

    def go_home(self) -> None:
        if self.station.session is None:
            self.show_screen(self.login)
            return
        self.show_screen(self.home)
        self.home.refresh()

    def navigate(self, name: str) -> None:
        if name == "review":
            self.open_review("")
        elif name == "technician":
            self.show_screen(self.technician)
        elif name == "admin":
            self.show_screen(self.admin)

    def open_batch(self, batch_id: str) -> None:
        self.show_screen(self.step)
        self.step.open(batch_id)
        self._batch_bar()

    def open_review(self, batch_id: str) -> None:
        self.show_screen(self.review)
        if batch_id:
            self.review.open(batch_id)
        else:
            self.review.pick()

    def start_batch(self, din: str | None) -> None:
        self.show_screen(self.start)
        self.start.begin(din)

    # ------------------------------------------------------------ sessions and the lock

    def _logged_in(self, session: Session) -> None:
        chosen, self.login_choice = self.login_choice, ""
        if chosen:
            self.languages.set(session.user.id, chosen)
        remembered = self.languages.get(session.user.id, self.default_language)
        if remembered != language():
            self.set_language(remembered)  # the screens are rebuilt in the user's language
        self.station.set_session(session)
        self.idle_timer.start()
        target = self.resume_to
        self.resume_to = None
        if target is self.step and self.step.batch:
            self.show_screen(self.step)
            self.step.show_view()
        else:
            self.go_home()

    def check_idle(self) -> None:
        """The lock timer's tick: ask the session policy (Auth's inactivity limit)."""
        self.station.idle_check()

    def lock(self) -> None:
        session = self.station.session
        if session is None:
            return
        self.station.s.auth.lock(session, "locked by the user")
        self._show_lock(by_hand=True)

    def _show_lock(self, by_hand: bool = False) -> None:
        if self.current() is self.lock_screen:
            return
        self.resume_to = self.current()
        self.lock_screen.prepare()
        self.show_screen(self.lock_screen)
        why = tr("Locked") if by_hand else tr("Locked after inactivity")
        self.station.s.feedback.info(tr("{why} — your work is recorded").format(why=why))

    def _unlocked(self) -> None:
        target = self.resume_to or self.home
        self.resume_to = None
        self.show_screen(target)
        if target is self.step:
            self.step.show_view()

    def _switch_user(self) -> None:
        # the batch screen stays where it was: the next person to log in goes back to it
        self.station.set_session(None)
        self.login.reset()
        self.show_screen(self.login)

    def logout(self) -> None:
        session = self.station.session
        if session is not None:
            self.station.s.auth.logout(session)
        self.station.set_session(None)
        self.idle_timer.stop()
        self.resume_to = None
        if language() != self.default_language:
            self.set_language(self.default_language)
        self.login.reset()
        self.show_screen(self.login)

    # ------------------------------------------------------------ batch actions in the bar

    def _hold(self) -> None:
        batch = self.step.batch
        session = self.station.session
        if not batch or session is None:
            return
        reason = self.station.s.prompts.text(
            tr("Put the batch on hold"),
            ValueSpec(tr("Reason"), kind="text"),
            lines=[tr("The batch stops until a supervisor resumes it.")],
        )
        if reason is not None and self.station.act(
            lambda: self.station.s.engine.hold(session, batch, reason),
            batch=batch,
            ok=tr("Batch on hold"),
        ):
            self.station.s.feedback.alarm(tr("Batch on hold: {reason}").format(reason=reason))

    def _correct(self) -> None:
        """Correct a typed value: choose it, type the new value and the reason."""
        batch = self.step.batch
        session = self.station.session
        if not batch or session is None:
            return
        engine = self.station.s.engine
        state = engine.batch(batch)
        typed = [r for r in state.records.values() if r.kind == "entry"]
        typed.sort(key=lambda r: r.seq)
        if not typed:
            self.station.s.feedback.refuse(tr("no typed value in this batch to correct"))
            return
        titles = {
            f".{step.id}": step.title or step.id
            for stage in state.recipe.stages
            for step in stage.steps
        }

        def shown(r: Any) -> str:
            title = next((t for end, t in titles.items() if r.key.endswith(end)), r.key)
            return f"{title} = {value_text(r.value, r.unit)}"

        by_text = {shown(r): r for r in typed[-4:]}
        picked = self.station.s.prompts.form(
            "pick-correction",
            tr("Correct a value"),
            [tr("Choose the value to correct (the last four typed values).")],
            [_choice_slot(list(by_text))],
        )
        if picked is None:
            return
        record = by_text.get(picked["step"]) or state.records[picked["step"]]
        answer = self.station.s.prompts.correction(
            shown(record),
            value_text(record.value, record.unit),
            ValueSpec(
                "New value",
                kind="number" if isinstance(record.value, float) else "text",
                unit=record.unit,
            ),
        )
        if answer is None:
            return
        value, reason = answer
        self.station.act(
            lambda: engine.correct(session, batch, record.key, value, reason),
            batch=batch,
            ok=tr("Corrected: old and new value are both in the record"),
        )

    # ------------------------------------------------------------ devices

    def _code(self, text: str, source: str) -> None:
        forget = self.station.s.bridge.forget_camera
        if QApplication.activeModalWidget() is not None:
            if source == "camera" and forget is not None:
                forget(text)  # read again once the dialog is closed
                return
            self.station.s.feedback.info(tr("Scan ignored: finish the open dialog first"))
            return
        screen: Any = self.current()
        if source == "camera" and not _expects_a_scan(screen):
            # a camera sees whatever passes in front of it: only a scan step listens.
            # Nobody used this read: the camera reports the label again when a scan
            # step is open and it still sees it.
            if forget is not None:
                forget(text)
            return
        handler = getattr(screen, "on_code", None)
        if handler is not None and handler(text, source):
            return
        self.station.s.feedback.info(
            tr("Scan ignored: nothing to scan on this screen ({v0})").format(v0=text)
        )

    # ------------------------------------------------------------ leaving kiosk mode

    def request_exit(self) -> None:
        """Leave the kiosk (to the desktop): only with an admin's signature."""
        creds = self.station.s.prompts.sign(
            SignRequest(
                meaning="approved",
                what=tr("Close the kiosk and leave to the desktop"),
                who=tr("an admin"),
                title=tr("Exit the kiosk"),
            )
        )
        if creds is None:
            return
        auth = self.station.s.auth
        try:
            sig = auth.sign(
                session=None,
                user_id=creds.user_id,
                password=creds.password,
                meaning="approved",
                signed=hashlib.sha256(b"kiosk.exit").hexdigest(),
                action="station.exit",
            )
        except AuthError as exc:
            self.station.s.feedback.refuse(shown(exc))
            return
        self.station.s.store.append(
            "station.exit", {"by": sig.user, "signature": sig.to_payload()}, actor=f"u:{sig.user}"
        )
        self.may_close = True
        self.on_exit()

    def start_filters(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.activity)

    def stop(self) -> None:
        """Stop timers and filters (before the window goes away)."""
        self.idle_timer.stop()
        self.monitor_timer.stop()
        self.monitoring.stop()
        self.step.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.activity)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.may_close:
            event.ignore()
            self.station.s.feedback.info(tr("The kiosk is closed with Exit and an admin signature"))
            return
        self.stop()
        super().closeEvent(event)


def _choice_slot(choices: list[str]) -> Slot:

    return Slot("step", tr("Value"), kind="choice", choices=choices)


def _expects_a_scan(screen: Any) -> bool:
    """The start of a batch (bag scan) or a scan step: where a camera read is meant."""
    if getattr(screen, "name", "") in ("home", "start"):
        return True
    view = getattr(screen, "view", None)
    step = getattr(view, "step", None)
    return getattr(step, "kind", None) == "scan"
