"""The station's monitoring: every running monitored timer step sampled, whatever is shown.

`StationMonitoring` belongs to the station (the main window owns it), not to a screen. Its
`sync()` looks at the batches this station holds and samples the equipment of every timer
step with `monitor:` whose timer runs, on hold too (the incubator still holds the cells):
one asyncio task per step on one thread of its own, `sample_series_async` with the step's
interval and back-off. It stops sampling a step when its timer stops, the batch is
aborted, completed or released, or another station holds it.

Each sample and each gap comes back through `post` (the owner's thread: the engine is
used from there only) to `Engine.record_monitoring`. The timer screen only shows
`status()`: the latest sample, the gaps open, or why nothing is sampled.

After a restart, `sync()` picks the running monitored timers up again from the event log
and records the time the station did not sample: a gap from the last sample (else the
timer's start) with the reason "station not running", closed by the first reading. A gap
left open by the previous run goes on, with that said in its reason. Nothing is ever
filled in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.batch import ABORTED, COMPLETED, RELEASED
from kiosk.config import OpcuaRole
from kiosk.devices.opcua import Gap, Sample, endpoint_from_config, sample_series_async
from kiosk.engine import ActionRefused, Captured, Engine, MonitorGap, MonitorSample
from kiosk.engine.monitoring import RESTARTED, monitored
from kiosk.recipe import Monitor, MonitoredNode

log = logging.getLogger(__name__)

NOT_RUNNING = "station not running"
Key = tuple[str, str]  # (batch, step key)


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


@dataclass(frozen=True)
class RunningMonitor:
    """A timer step with `monitor:` that runs at this station now."""

    batch: str
    step: str
    monitor: Monitor


def running_monitors(engine: Engine) -> list[RunningMonitor]:
    """The monitored timer steps running in the batches this station holds (on hold too)."""
    found = []
    final = (ABORTED, COMPLETED, RELEASED)
    for summary in engine.store.batches():  # finished batches are not read again, every second
        batch = summary.batch
        if summary.status in final or engine.read_only(batch):
            continue
        state = engine.batch(batch)
        monitor = monitored(state.step)
        if (
            monitor is None
            or state.state in final
            or state.timer_started is None
            or state.step_key is None
        ):
            continue
        found.append(RunningMonitor(batch, state.step_key, monitor))
    return found


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@dataclass
class MonitorStatus:
    """What the timer screen shows of one monitored step."""

    monitor: Monitor
    sample: MonitorSample | None = None  # the latest sample taken
    gaps: list[MonitorGap] = field(default_factory=list)  # open now, oldest first
    problem: str | None = None  # why nothing is sampled (not configured, stopped)


@dataclass
class _Job:
    running: RunningMonitor
    status: MonitorStatus
    stopping: bool = False
    stop: asyncio.Event | None = None  # set on the loop's thread
    future: Future[None] | None = None


class StationMonitoring:
    """Samples every running monitored timer step of the station; see the module's text.

    `post(fn)` must run `fn` on the owner's thread (the Qt window: a queued signal;
    tests: a queue they drain). `changed(batch, messages)` is called there when monitoring
    raised exceptions (their messages) or put the batch on hold, so screens render the batch
    again and the operator hears of it; the readings themselves are in `status()`."""

    def __init__(
        self,
        engine: Engine,
        roles: Callable[[], Mapping[str, OpcuaRole]],
        clock: Callable[[], datetime],
        post: Callable[[Callable[[], None]], None],
        *,
        changed: Callable[[str, list[str]], None] | None = None,
        backoff: tuple[float, float] = (1.0, 60.0),
    ) -> None:
        self.engine = engine
        self.roles = roles  # read at each start: the demo sets its equipment after the window
        self.clock = clock
        self._post = post
        self._changed = changed or (lambda _batch, _raised: None)
        self._backoff = backoff
        self._jobs: dict[Key, _Job] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._since = clock()  # what began before is picked up from the event log

    # ------------------------------------------------------------ the owner's thread

    def sync(self) -> None:
        """Start sampling what runs now; stop sampling what no longer does."""
        wanted = {(r.batch, r.step): r for r in running_monitors(self.engine)}
        for key in [k for k in self._jobs if k not in wanted]:
            self._halt(self._jobs.pop(key))
        for key, running in wanted.items():
            if key not in self._jobs:
                self._jobs[key] = self._begin(running)

    def status(self, batch: str, step: str) -> MonitorStatus | None:
        job = self._jobs.get((batch, step))
        return job.status if job is not None else None

    def sampling(self) -> list[Key]:
        """The (batch, step) pairs whose equipment is being sampled now."""
        return [k for k, j in self._jobs.items() if j.future is not None and not j.future.done()]

    def stop(self) -> None:
        """Stop all sampling and the thread (when the station closes)."""
        jobs = list(self._jobs.values())
        self._jobs.clear()
        for job in jobs:
            self._halt(job)
        for job in jobs:
            if job.future is not None:
                with contextlib.suppress(Exception):
                    job.future.result(timeout=10)
        loop, thread = self._loop, self._thread
        self._loop, self._thread = None, None
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)

    def _begin(self, running: RunningMonitor) -> _Job:
        job = _Job(running, MonitorStatus(running.monitor))
        monitor = running.monitor
        role = self.roles().get(monitor.role)
        missing = [n for n in monitor.nodes if role is not None and n not in role.nodes]
        if role is None:
            problem = f"no equipment {monitor.role} is configured at this station"
        elif missing:
            problem = f"{monitor.role} has no node {', '.join(missing)} in this configuration"
        else:
            problem = None
        self._resume(job, problem)
        if problem is not None:
            job.status.problem = problem
            return job
        assert role is not None
        loop = self._start_loop()
        job.future = asyncio.run_coroutine_threadsafe(self._sample(job, role), loop)
        return job

    def _resume(self, job: _Job, problem: str | None) -> None:
        """Record what this station did not sample before it started: from the last sample
        (else the timer's start) a gap "station not running"; the gaps a previous run left
        open go on, saying so. Then the problem that keeps it from sampling now, if any."""
        running = job.running
        state = self.engine.batch(running.batch)
        still_open = state.monitor_open.get(running.step, {})
        gaps = [
            MonitorGap(_when(start), why + RESTARTED)
            for start, why in still_open.items()
            if _when(start) < self._since and not why.endswith(RESTARTED)
        ]
        last = state.monitor_last.get(running.step) or state.timer_started
        if not still_open and last is not None and _when(last) < self._since:
            gaps.append(MonitorGap(_when(last), NOT_RUNNING))
        if problem is not None and problem not in still_open.values():
            gaps.append(MonitorGap(self.clock(), problem))
        if gaps:
            self._record(job, [], gaps)
        else:
            self._show(job)

    def _halt(self, job: _Job) -> None:
        job.stopping = True
        loop = self._loop
        if loop is not None and job.future is not None:
            loop.call_soon_threadsafe(lambda: job.stop.set() if job.stop is not None else None)

    def _record(self, job: _Job, samples: list[MonitorSample], gaps: list[MonitorGap]) -> None:
        running = job.running
        try:
            events = self.engine.record_monitoring(running.batch, running.step, samples, gaps)
        except ActionRefused as exc:  # the step ended meanwhile: the next sync stops it
            log.info("monitoring of %s %s: %s", running.batch, running.step, exc)
            return
        if samples:
            job.status.sample = samples[-1]
        self._show(job)
        if any(e.type in ("exception.raised", "batch.state") for e in events):
            raised = [str(e.payload["message"]) for e in events if e.type == "exception.raised"]
            self._changed(running.batch, raised)

    def _show(self, job: _Job) -> None:
        state = self.engine.batch(job.running.batch)
        opened = state.monitor_open.get(job.running.step, {})
        job.status.gaps = sorted(
            (MonitorGap(_when(start), why) for start, why in opened.items()),
            key=lambda g: g.start,
        )

    def _deliver(self, job: _Job, samples: list[MonitorSample], gaps: list[MonitorGap]) -> None:
        if not job.stopping:
            self._record(job, samples, gaps)

    def _failed(self, job: _Job, message: str) -> None:
        if job.stopping:
            return
        job.status.problem = f"monitoring stopped: {message}"
        self._record(job, [], [MonitorGap(self.clock(), f"monitoring stopped: {message}")])

    # ------------------------------------------------------------ the sampling thread

    def _start_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(
                target=_run_loop, args=(loop,), name="station-monitoring", daemon=True
            )
            thread.start()
            self._loop, self._thread = loop, thread
        return self._loop

    async def _sample(self, job: _Job, role: OpcuaRole) -> None:
        job.stop = asyncio.Event()
        if job.stopping:
            return
        monitor = job.running.monitor
        open_gaps: list[Gap] = []

        def on_gap(gap: Gap) -> None:
            open_gaps.append(gap)
            found = MonitorGap(gap.start, gap.reason)
            self._post(lambda: self._deliver(job, [], [found]))

        def on_sample(sample: Sample) -> None:
            closed = [MonitorGap(g.start, g.reason, g.end) for g in open_gaps if g.end]
            open_gaps[:] = [g for g in open_gaps if g.end is None]
            taken = as_monitor_sample(sample)
            self._post(lambda: self._deliver(job, [taken], closed))

        try:
            await sample_series_async(
                endpoint_from_config(role),
                {name: role.nodes[name] for name in monitor.nodes},
                interval=monitor.every.total_seconds(),
                count=sys.maxsize,
                clock=self.clock,
                backoff=self._backoff,
                on_sample=on_sample,
                on_gap=on_gap,
                stop=job.stop,
            )
        except Exception as exc:  # an untrusted server, a missing node: one line, on screen
            log.warning("monitoring of %s stopped: %s", monitor.role, exc)
            message = str(exc)
            self._post(lambda: self._failed(job, message))


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(asyncio.sleep(0.1))  # closed connections finish closing
        loop.close()


__all__ = [
    "NOT_RUNNING",
    "MonitorStatus",
    "RunningMonitor",
    "StationMonitoring",
    "as_monitor_sample",
    "monitor_value_text",
    "running_monitors",
]
