"""Admin: users and roles — list, add, disable, reset password — each signed by an admin.

With a central server the users are the server's: the screen lists the station's read-only copy
and says where they are managed; it changes nothing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.auth import User, change_hash
from kiosk.roles import ROLES
from kiosk.screens.form import Slot
from kiosk.screens.i18n import tr
from kiosk.screens.station import Station
from kiosk.screens.style import button, label, scroll_area
from kiosk.screens.widgets import clear_layout

ROLE_ORDER = ("operator", "supervisor", "qa", "technician", "admin")


class AdminScreen(QWidget):
    name: ClassVar[str] = "admin"

    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        m = station.metrics
        outer = QVBoxLayout(self)
        outer.setContentsMargins(m.mm(3), m.mm(2), m.mm(3), m.mm(2))
        head = QHBoxLayout()
        head.addWidget(label(tr("Users and roles"), role="title"), 1)
        self.managed = station.s.auth.managed
        if not self.managed:
            add = button(tr("Add a user"), m, role="primary", name="admin-add")
            add.clicked.connect(self._add)
            head.addWidget(add)
        outer.addLayout(head)
        if self.managed:
            outer.addWidget(
                label(
                    tr(
                        "Users are managed at the central server. "
                        "This station shows its read-only copy."
                    ),
                    wrap=True,
                    name="admin-managed",
                )
            )
        self.rows = QWidget()
        self.rows_col = QVBoxLayout(self.rows)
        self.rows_col.setContentsMargins(0, 0, 0, 0)
        self.rows_col.setSpacing(m.gap)
        scroll = scroll_area(self.rows)
        outer.addWidget(scroll, 1)

    def refresh(self) -> None:
        clear_layout(self.rows)
        m = self.station.metrics
        for user in self.station.s.auth.users.values():
            row = QHBoxLayout()
            flags = [f for f, on in (("disabled", user.disabled), ("locked", user.locked)) if on]
            text = (
                f"{user.id} — {user.name} — {', '.join(sorted(user.roles))}"
                f"{' — ' + ', '.join(flags) if flags else ''}"
            )
            row.addWidget(label(text, wrap=True, name="admin-user"), 1)
            if self.managed:
                holder = QWidget()
                holder.setLayout(row)
                self.rows_col.addWidget(holder)
                continue
            reset = button(tr("Reset password"), m, size="target", name="admin-reset")
            reset.clicked.connect(lambda _=False, u=user: self._reset(u))
            row.addWidget(reset)
            disable = button(tr("Disable"), m, size="target", role="danger", name="admin-disable")
            disable.setEnabled(not user.disabled)
            disable.clicked.connect(lambda _=False, u=user: self._disable(u))
            row.addWidget(disable)
            holder = QWidget()
            holder.setLayout(row)
            self.rows_col.addWidget(holder)
        self.rows_col.addStretch(1)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    # ------------------------------------------------------------ signed changes

    @staticmethod
    def _admin_slots() -> list[Slot]:
        return [
            Slot("admin", tr("Admin user ID")),
            Slot("admin_password", tr("Admin password"), kind="secret"),
        ]

    def _signed(
        self, values: dict[str, str], content: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        """The admin's signature bound to the change: (actor, signature for the event)."""
        sig = self.station.s.auth.sign(
            session=None,
            user_id=values["admin"].strip(),
            password=values["admin_password"],
            meaning="approved",
            signed=change_hash("user.manage", content),
            action="user.manage",
        )
        return f"u:{sig.user}", sig.to_payload()

    def _add(self) -> None:
        st = self.station
        values = st.s.prompts.form(
            "add-user",
            tr("Add a user"),
            [tr("The new user chooses their own password at first login.")],
            [
                Slot("user", tr("User ID")),
                Slot("name", tr("Printed name")),
                Slot(
                    "role", tr("Role"), kind="choice", choices=[r for r in ROLE_ORDER if r in ROLES]
                ),
                Slot("password", tr("Temporary password"), kind="secret"),
                *self._admin_slots(),
            ],
        )
        if values is None:
            return

        def do() -> None:
            content = {"add": values["user"], "name": values["name"], "role": values["role"]}
            by, signature = self._signed(values, content)
            st.s.auth.add_user(
                values["user"].strip(),
                values["name"],
                [values["role"]],
                values["password"],
                by=by,
                temporary=True,
                signature=signature,
            )

        if st.act(do, ok=f"User {values['user']} added"):
            self.refresh()

    def _disable(self, user: User) -> None:
        st = self.station
        values = st.s.prompts.form(
            "disable-user",
            tr("Disable {v0}").format(v0=user.name),
            [
                tr("{v0} can no longer log in or sign. The user ID is never reused.").format(
                    v0=user.id
                )
            ],
            [Slot("reason", tr("Reason")), *self._admin_slots()],
        )
        if values is None:
            return

        def do() -> None:
            by, signature = self._signed(values, {"disable": user.id, "reason": values["reason"]})
            st.s.auth.disable(user.id, by=by, reason=values["reason"], signature=signature)

        if st.act(do, ok=f"{user.id} disabled"):
            self.refresh()

    def _reset(self, user: User) -> None:
        st = self.station
        values = st.s.prompts.form(
            "reset-password",
            tr("Reset the password of {v0}").format(v0=user.name),
            [tr("A temporary password: the user chooses a new one at next login.")],
            [
                Slot("password", tr("Temporary password"), kind="secret"),
                Slot("reason", tr("Reason")),
                *self._admin_slots(),
            ],
        )
        if values is None:
            return

        def do() -> None:
            by, signature = self._signed(values, {"reset": user.id, "reason": values["reason"]})
            st.s.auth.reset_password(
                user.id, values["password"], by=by, reason=values["reason"], signature=signature
            )

        if st.act(do, ok=tr("Password of {user} reset").format(user=user.id)):
            self.refresh()
