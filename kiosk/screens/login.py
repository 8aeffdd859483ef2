"""Log in (badge scan, or user ID + password on the screen's own pad) and the lock screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.auth import AuthError, Session
from kiosk.screens.form import Form, Slot
from kiosk.screens.i18n import LANGUAGES, QT_TR_NOOP, language, shown, tr
from kiosk.screens.station import Station
from kiosk.screens.tasks import run_task

DEMO_LINES = (
    QT_TR_NOOP(
        "Demo users (user ID / password): olivia / op-olivia-2026 and oscar / op-oscar-2026"
        " (operators), sam / sup-samira-2026 (supervisor), quinn / qa-quinn-2026 (QA),"
        " tess / tech-tess-2026 (technician), ada / admin-ada-2026 (admin)."
    ),
)


class LoginScreen(QWidget):
    """A badge scan fills in who you are; otherwise type your user ID. Then the password."""

    name: ClassVar[str] = "login"
    language_chosen = Signal(str)

    def __init__(self, station: Station, on_login: Callable[[Session], None]) -> None:
        super().__init__()
        self.station = station
        self.on_login = on_login
        self.badge: str | None = None
        self.busy = False
        self.pending: tuple[str, str] | None = None  # (user, password) of the login under way
        self.form = Form(
            station.metrics,
            tr("Log in"),
            [
                tr("Station {station}").format(station=station.s.config.station),
                tr("Scan your badge, or type your user ID. Then type your password."),
                *([tr(DEMO_LINES[0])] if station.s.config.demo else []),
            ],
            [
                Slot("user", tr("User ID"), hint=tr("or scan your badge"), describe=self._describe),
                Slot("password", tr("Password"), kind="secret"),
                Slot(
                    "language",
                    tr("Language"),
                    kind="choice",
                    choices=list(LANGUAGES.values()),
                    initial=LANGUAGES[language()],
                    required=False,
                ),
            ],
            ok_text=tr("Log in"),
            cancel_text=tr("Exit kiosk") if station.s.config.kiosk_mode else None,
            columns=2,
        )
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.form)
        self.form.accepted.connect(self._submit)
        self.form.buffers["language"].changed.connect(self._language)

    def _language(self, name: str) -> None:
        code = next((c for c, n in LANGUAGES.items() if n == name), "")
        if not code:
            return  # the form was cleared: the language stays
        self.language_chosen.emit(code)

    def _describe(self, user_id: str) -> str:
        if self.badge and user_id == "(badge)":
            return self._badge_name() or tr("badge not known: type your user ID")
        return self.station.user_name_for(user_id.strip()) or tr("unknown user ID")

    def _badge_name(self) -> str | None:
        """The printed name of the badge's owner: shown before the password is asked."""
        for user in self.station.s.auth.users.values():
            if self.badge is not None and user.badge == self.badge and not user.disabled:
                return f"{user.name} ({user.id})"
        return None

    def reset(self) -> None:
        self.badge = None
        self.busy = False
        for name, buffer in self.form.buffers.items():
            if name != "language":
                buffer.clear()
        self.form.set_problem("")
        self.begin()

    def begin(self) -> None:
        """Type the user ID at once; on a demo station first show the demo users."""
        if self.station.s.config.demo:
            self.form.show_summary()
        else:
            self.form.start()

    def on_code(self, text: str, source: str) -> bool:
        """A badge scanned at the login screen: only the password is left to type."""
        del source
        self.badge = text.strip()
        self.form.buffers["user"].set("(badge)")
        self.form.edit(self.form.slots[1])
        return True

    def _submit(self, values: dict[str, str]) -> None:
        if self.busy:
            return
        auth = self.station.s.auth
        user, password = values["user"].strip(), values["password"]
        badge = self.badge if user == "(badge)" else None

        def login() -> Session:
            if badge is not None:
                return auth.login_badge(badge, password)
            return auth.login(user, password)

        self.pending = (user, password) if badge is None else None
        self.busy = True
        self.form.set_problem("")
        self.form.typing_note.set_full_text(tr("Checking…"))
        run_task(login, self._done, self._failed)

    def _new_password(self, user: str, old: str) -> None:
        """A temporary or expired password: the user chooses their own, twice, then is in."""
        values = self.station.s.prompts.form(
            "new-password",
            tr("Choose your password"),
            [
                tr("Your password was set by an admin or has expired."),
                tr("Type a new password of at least {n} characters, twice.").format(
                    n=self.station.s.auth.min_password
                ),
            ],
            [
                Slot("new", tr("New password"), kind="secret"),
                Slot("again", tr("Again"), kind="secret"),
            ],
        )
        if values is None:
            return
        if values["new"] != values["again"]:
            self.station.s.feedback.refuse(tr("the two passwords differ: try again"))
            return
        auth = self.station.s.auth

        def change_and_login() -> Session:
            auth.change_password(user, old, values["new"])
            return auth.login(user, values["new"])

        self.busy = True
        run_task(change_and_login, self._done, self._failed)

    def _done(self, session: Session) -> None:
        self.busy = False
        self.reset()
        self.station.s.feedback.accept(tr("Welcome, {name}").format(name=session.user.name))
        self.on_login(session)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.form.buffers["password"].clear()
        message = str(error) if isinstance(error, AuthError) else f"login failed: {error}"
        self.form.set_problem(shown(error) if isinstance(error, AuthError) else message)
        pending, self.pending = self.pending, None
        if pending is not None and "choose a new password" in message:
            self._new_password(*pending)
            return
        self.station.s.feedback.refuse_sound()  # the words are under the fields, once


class LockScreen(QWidget):
    """Over the batch after inactivity: the same person types the password, or someone else
    logs in (the locked session is closed and the batch stays where it was)."""

    name: ClassVar[str] = "lock"
    typing = Signal(bool)

    def __init__(
        self,
        station: Station,
        on_unlock: Callable[[], None],
        on_switch_user: Callable[[], None],
    ) -> None:
        super().__init__()
        self.station = station
        self.on_unlock = on_unlock
        self.on_switch_user = on_switch_user
        self.busy = False
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.form: Form | None = None

    def prepare(self) -> None:
        """Build the form for whoever is locked out (their printed name is shown)."""
        if self.form is not None:
            self.form.setParent(None)
            self.form.deleteLater()
        name = self.station.user_name
        self.form = Form(
            self.station.metrics,
            tr("Station locked"),
            [
                tr("{name}: type your password to go on where you were.").format(name=name),
                tr("Someone else? Tap Another user: your work so far is recorded."),
            ],
            [Slot("password", tr("Password of {name}").format(name=name), kind="secret")],
            ok_text=tr("Unlock"),
            cancel_text=tr("Another user"),
        )
        self.form.accepted.connect(self._submit)
        self.form.cancelled.connect(self._switch)
        self.form.typing.connect(self.typing.emit)
        self.lay.addWidget(self.form)
        self.busy = False
        self.form.start()

    def _submit(self, values: dict[str, str]) -> None:
        session = self.station.session
        if session is None or self.busy:
            return
        auth = self.station.s.auth
        password = values["password"]
        self.busy = True
        run_task(lambda: auth.unlock(session, password), self._done, self._failed)

    def _done(self, _result: object) -> None:
        self.busy = False
        self.station.s.feedback.accept(tr("Unlocked"))
        self.on_unlock()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        assert self.form is not None
        self.form.buffers["password"].clear()
        self.form.set_problem(shown(error))
        self.station.s.feedback.refuse_sound()  # the words are under the fields, once

    def _switch(self) -> None:
        session = self.station.session
        if session is not None:
            self.station.s.auth.logout(session)
        self.on_switch_user()
