"""Monitoring a running timer step from the station: a sampler in the background.

While a timer step with `monitor:` runs, `MonitorSampler` samples the step's equipment
(`[opcua.ROLE]` of the station's configuration) with `sample_series_async` on a worker
of the kiosk's task pool: one tick per interval, a gap with back-off while the
equipment does not answer. Each sample and each gap (opened, then closed with the first
reading again) comes back on the UI thread through a queued signal, and the panel hands
it to `Engine.record_monitoring`. Nothing is ever filled in for a gap.

`stop()` ends the wait at once (the sampling loop wakes from its interval), closes the
connection and lets the worker finish: the test suite's leak check waits for it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.config import OpcuaRole
from kiosk.devices.opcua import Gap, Sample, endpoint_from_config, sample_series_async
from kiosk.engine import Captured, MonitorGap, MonitorSample
from kiosk.recipe import Monitor, MonitoredNode
from kiosk.screens.tasks import run_task

log = logging.getLogger(__name__)


def as_monitor_sample(sample: Sample) -> MonitorSample:
    """A device layer sample as the engine takes it (by node name)."""
    return MonitorSample(
        sample.at,
        {
            r.name: Captured(r.value, r.unit, r.source_timestamp, r.source, r.status, r.node_id)
            for r in sample.readings
        },
    )


def monitor_value_text(reading: Captured | None, spec: MonitoredNode) -> str:
    """A node's latest reading for the screen: the value and unit, or why there is none."""
    if reading is None:
        return "—"
    if not reading.good:
        return reading.status
    unit = reading.unit or spec.unit
    value = reading.value
    shown = f"{value:.4g}" if isinstance(value, int | float) else str(value)
    return f"{shown} {unit}" if unit else shown


class MonitorSampler(QObject):
    """Samples one monitor's nodes until stopped; delivers samples and gaps on the UI thread."""

    _sampled = Signal(object)  # (MonitorSample list, MonitorGap list)

    def __init__(
        self,
        role: OpcuaRole,
        monitor: Monitor,
        deliver: Callable[[list[MonitorSample], list[MonitorGap]], None],
        failed: Callable[[str], None],
        clock: Callable[[], datetime],
        *,
        backoff: tuple[float, float] = (1.0, 60.0),
    ) -> None:
        super().__init__()
        self._deliver = deliver
        self._failed = failed
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.running = False
        self._sampled.connect(self._on_sampled)
        nodes = {name: role.nodes[name] for name in monitor.nodes if name in role.nodes}
        self.missing = [name for name in monitor.nodes if name not in role.nodes]
        self._args = (endpoint_from_config(role), nodes, monitor.every.total_seconds(), clock)
        self._backoff = backoff

    def start(self) -> None:
        if self.running or self.missing:
            return
        self.running = True
        run_task(self._work, self._finished, self._crashed)

    def stop(self) -> None:
        """Stop sampling (from the UI thread); the worker finishes on its own, at once."""
        self._stopping.set()
        with self._lock:
            if self._loop is not None and self._stop is not None:
                self._loop.call_soon_threadsafe(self._stop.set)

    # ------------------------------------------------------------ the worker thread

    def _work(self) -> None:
        endpoint, nodes, interval, clock = self._args
        open_gaps: list[Gap] = []

        def on_gap(gap: Gap) -> None:
            open_gaps.append(gap)
            self._sampled.emit(([], [MonitorGap(gap.start, gap.reason)]))

        def on_sample(sample: Sample) -> None:
            closed = [MonitorGap(g.start, g.reason, g.end) for g in open_gaps if g.end]
            open_gaps[:] = [g for g in open_gaps if g.end is None]
            self._sampled.emit(([as_monitor_sample(sample)], closed))

        async def main() -> None:
            stop = asyncio.Event()
            with self._lock:
                self._loop, self._stop = asyncio.get_running_loop(), stop
            if self._stopping.is_set():
                return
            await sample_series_async(
                endpoint,
                nodes,
                interval=interval,
                count=sys.maxsize,
                clock=clock,
                backoff=self._backoff,
                on_sample=on_sample,
                on_gap=on_gap,
                stop=stop,
            )

        try:
            asyncio.run(main())
        finally:
            with self._lock:
                self._loop, self._stop = None, None

    # ------------------------------------------------------------ the UI thread

    @Slot(object)
    def _on_sampled(self, found: tuple[list[MonitorSample], list[MonitorGap]]) -> None:
        if not self._stopping.is_set():
            self._deliver(*found)

    def _finished(self, _result: object) -> None:
        self.running = False

    def _crashed(self, exc: BaseException) -> None:
        self.running = False
        log.warning("monitoring stopped: %s", exc)
        if not self._stopping.is_set():
            self._failed(str(exc))
