"""The screens' view of the station: services, the current session, and one way to act.

`Station` is what every screen is given. It holds the engine, auth, store and
the device bridge (built by `kiosk.app`), the person logged in, and `act()`:
the one place a user intent is sent to the engine, so every refusal is shown
in operator words with the refuse sound, every accepted action flashes green,
and every screen showing the batch re-renders (`batch_changed`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from kiosk.auth import Auth, AuthError, Session, Signature
from kiosk.engine import ActionRefused, Engine
from kiosk.screens.bridge import DeviceBridge
from kiosk.screens.config import UiSettings
from kiosk.screens.dialogs import Prompts
from kiosk.screens.i18n import shown, signature_text, tr
from kiosk.screens.widgets import Feedback
from local_store import EventStore, StoreError

if TYPE_CHECKING:
    from kiosk.config import CellCounter, OpcuaRole
    from kiosk.devices.manager import DeviceManager
    from kiosk.monitoring_service import StationMonitoring
    from kiosk.sync import SyncClient

log = logging.getLogger(__name__)

DeviceList = Callable[[], list[tuple[str, str]]]


def _no_devices() -> list[tuple[str, str]]:
    return []


def _no_sync() -> int | None:
    return None


@dataclass
class Services:
    """Everything the screens use, passed in (no globals): built by `kiosk.app`."""

    engine: Engine
    auth: Auth
    store: EventStore
    clock: Callable[[], datetime]
    config: UiSettings
    bridge: DeviceBridge
    prompts: Prompts
    feedback: Feedback
    devices: DeviceList = _no_devices  # (name, status) for home and technician screens
    unsent: Callable[[], int | None] = _no_sync  # records not yet sent; None: no sync
    balance_command: Callable[[str], None] | None = None  # "tare" / "zero"
    print_label: Callable[[dict[str, Any]], None] | None = None
    manager: DeviceManager | None = None  # the station's balances and scanners (technician)
    server: Callable[[], SyncClient] | None = None  # a client of the central server; None: none
    wake_sync: Callable[[], None] | None = None  # push now (after a hand-over)
    opcua: dict[str, OpcuaRole] = field(default_factory=dict)  # capture steps' equipment
    cell_counter: CellCounter | None = None  # count steps' watched folder
    monitoring: StationMonitoring | None = None  # timer steps' equipment (the main window's)


class Station(QObject):
    """Services + the session + `act()`; emits what changed so screens can re-render."""

    session_changed = Signal()
    batch_changed = Signal(str)
    locked = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.s = services
        self.session: Session | None = None
        self.metrics = services.config.metrics

    # ------------------------------------------------------------ session

    @property
    def user_name(self) -> str:
        return self.session.user.name if self.session else ""

    def has_role(self, *roles: str) -> bool:
        return self.session is not None and bool(self.session.user.roles & set(roles))

    def set_session(self, session: Session | None) -> None:
        self.session = session
        self.session_changed.emit()

    def touch(self) -> None:
        """A touch on the screen counts as activity for the inactivity lock."""
        if self.session is not None:
            self.s.auth.touch(self.session)

    def idle_check(self) -> bool:
        """Lock the session when it has been idle past the policy; True when it locked now."""
        session = self.session
        if session is None or session.locked:
            return False
        if not self.s.auth.idle(session):
            return False
        with contextlib.suppress(AuthError):
            self.s.auth.check_session(session)  # records session.locked and raises
        return self._locked_now(session)

    def _locked_now(self, session: Session) -> bool:
        if session.locked:
            self.locked.emit()
            return True
        return False

    # ------------------------------------------------------------ acting

    def act(
        self,
        fn: Callable[[], Any],
        *,
        batch: str | None = None,
        ok: str | Callable[[Any], str] = "",
    ) -> bool:
        """Send one intent; show the outcome. True when the engine accepted it.

        `ok` is the green message, or a function of what `fn` returned (a signature
        is shown with its printed name, meaning, date and time).
        """
        self.touch()
        try:
            result = fn()
        except (ActionRefused, AuthError) as exc:
            self.s.feedback.refuse(shown(exc))
            if self.session is not None and self.session.locked:
                self.locked.emit()
            if batch:
                self.batch_changed.emit(batch)
            return False
        except StoreError as exc:
            log.error("store failure: %s", exc)
            self.s.feedback.refuse(tr("not recorded: {v0}").format(v0=exc))
            return False
        self.s.feedback.accept(ok(result) if callable(ok) else ok)
        if batch:
            self.batch_changed.emit(batch)
        return True

    @staticmethod
    def signed(sig: Any) -> str:
        """The green message after a signature: its manifestation (21 CFR 11.50)."""
        if isinstance(sig, Signature):
            return tr("Signed: {signature}").format(signature=signature_text(sig.to_payload()))
        return tr("Signed")

    def user_name_for(self, user_id: str) -> str | None:
        user = self.s.auth.users.get(user_id)
        return None if user is None or user.disabled else user.name
