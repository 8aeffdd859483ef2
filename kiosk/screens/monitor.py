"""The station's monitoring in the Qt window: results handed to the UI thread, a sync tick.

`StationMonitoring` (`kiosk/monitoring_service.py`, no Qt) samples on a thread of its own
and hands each result to `post`; `UiThread.post` makes that a queued call on the UI thread,
where the engine is used. The main window owns both and calls `sync()` every second and
whenever a batch changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot


class UiThread(QObject):
    """Runs callables handed over from any thread on the thread this object lives on."""

    _call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call.connect(self._run)

    def post(self, fn: Callable[[], None]) -> None:
        self._call.emit(fn)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        fn()
