"""Technician: devices and their health, swap and daily-check workflows, equipment logbook."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.screens.display import local_time
from kiosk.screens.station import Station
from kiosk.screens.style import button, label
from kiosk.screens.tasks import run_task

ACTIONS = (("swap", "Swap a device"), ("daily_check", "Daily check"))
LOGBOOK_LINES = 12


class TechnicianScreen(QWidget):
    name: ClassVar[str] = "technician"

    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        m = station.metrics
        outer = QHBoxLayout(self)
        outer.setContentsMargins(m.mm(3), m.mm(2), m.mm(3), m.mm(2))
        outer.setSpacing(m.mm(4))
        left = QVBoxLayout()
        left.addWidget(label("Devices", role="title"))
        self.devices = label("", role="card", wrap=True, name="tech-devices")
        self.devices.setAlignment(Qt.AlignmentFlag.AlignTop)
        left.addWidget(self.devices, 1)
        row = QHBoxLayout()
        row.setSpacing(m.mm(2))
        for key, text in ACTIONS:
            b = button(text, m, name=f"tech-{key}")
            b.clicked.connect(lambda _=False, k=key: self._action(k))
            row.addWidget(b)
        left.addLayout(row)
        outer.addLayout(left, 2)
        right = QVBoxLayout()
        right.addWidget(label("Equipment logbook", role="title"))
        self.logbook = label("Loading…", role="card", wrap=True, name="tech-logbook")
        self.logbook.setAlignment(Qt.AlignmentFlag.AlignTop)
        right.addWidget(self.logbook, 1)
        outer.addLayout(right, 3)
        self.loading = False

    def refresh(self) -> None:
        devices = self.station.s.devices()
        self.devices.setText(
            "\n".join(f"{name}: {status}" for name, status in devices) or "No device connected."
        )
        if self.loading:
            return
        store = self.station.s.store
        self.loading = True

        def read() -> list[str]:
            lines = []
            for event in store.events():
                if event.type.startswith("equipment."):
                    what = event.payload.get("equipment") or event.payload.get("id") or ""
                    lines.append(f"{local_time(event.ts)} {event.type} {what} ({event.actor})")
            return lines[-LOGBOOK_LINES:]

        run_task(read, self._logbook, self._failed)

    def _logbook(self, lines: list[str]) -> None:
        self.loading = False
        self.logbook.setText("\n".join(lines) or "No equipment events yet.")

    def _failed(self, error: BaseException) -> None:
        self.loading = False
        self.logbook.setText(f"Logbook not readable: {error}")

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def _action(self, key: str) -> None:
        action = self.station.s.technician_actions.get(key)
        feedback = self.station.s.feedback
        if action is None:
            feedback.info(f"{dict(ACTIONS)[key]}: not available on this station yet")
            return
        try:
            feedback.accept(action())
        except Exception as exc:  # the device layer's message, shown, never raised into Qt
            feedback.refuse(str(exc))
        self.refresh()
