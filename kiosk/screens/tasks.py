"""One helper for background work, and a registry of the timers and threads we start.

`run_task(fn, on_done, on_error)` runs `fn` on a worker thread of the kiosk's
thread pool and delivers its result (or its exception) back on the UI thread,
as Picard's `run_task` and Anki's operations do. Never touch a widget from
`fn`.

`make_timer` creates every `QTimer` the screens use and remembers it, so the
test suite can fail a test that leaves a timer running (napari's leak checks);
`live_timers()` and `active_tasks()` are what it asks.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

_timers: weakref.WeakSet[QTimer] = weakref.WeakSet()
_pool: QThreadPool | None = None
_pending: set[_Relay] = set()


def make_timer(
    parent: QObject | None,
    interval_ms: int,
    callback: Callable[[], None],
    *,
    single_shot: bool = False,
    name: str = "",
) -> QTimer:
    """A QTimer owned by `parent`, connected to `callback`, registered for leak checks."""
    timer = QTimer(parent)
    timer.setInterval(interval_ms)
    timer.setSingleShot(single_shot)
    timer.setObjectName(name or callback.__qualname__)
    timer.timeout.connect(callback)
    _timers.add(timer)
    return timer


def live_timers() -> list[str]:
    """Names of registered timers still running (a deleted timer is not running)."""
    running = []
    for timer in list(_timers):
        if shiboken6.isValid(timer) and timer.isActive():
            running.append(timer.objectName())
    return running


def pool() -> QThreadPool:
    """The kiosk's own thread pool (not the global one: tests wait for it by itself)."""
    global _pool  # noqa: PLW0603 - one pool per process, created on first use
    if _pool is None:
        _pool = QThreadPool()
        _pool.setObjectName("kiosk-tasks")
        _pool.setMaxThreadCount(4)
    return _pool


def active_tasks() -> int:
    """Background tasks not yet delivered (running, queued, or result not yet handed over)."""
    running = _pool.activeThreadCount() if _pool is not None else 0
    return max(running, len(_pending))


def wait_for_tasks(timeout_ms: int = 5_000) -> bool:
    """Block until the pool is idle (shutdown and tests); True when it is."""
    return _pool.waitForDone(timeout_ms) if _pool is not None else True


class _Relay(QObject):
    """Lives on the UI thread; the worker emits into it, so delivery is a queued call."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_done(self, result: object) -> None:
        _pending.discard(self)
        self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error: object) -> None:
        _pending.discard(self)
        assert isinstance(error, BaseException)
        self._on_error(error)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # every failure goes back to the UI thread
            log.debug("background task failed: %s", exc)
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Run `fn` off the UI thread; `on_done(result)` or `on_error(exc)` run on the UI thread."""
    relay = _Relay(on_done, on_error)
    _pending.add(relay)
    pool().start(_Task(fn, relay))
