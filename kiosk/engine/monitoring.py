"""Monitoring during timer steps: equipment sampled at an interval, stored as a series.

The engine has no devices (import contract): the station samples the equipment of a
timer step's `monitor:` and hands each tick over as a `MonitorSample`, and each time
without readings as a `MonitorGap`. `record_monitoring` writes one `monitor.samples`
event per chunk (values, units, source timestamps, station time, the equipment's
identity) and one `monitor.gap` event per gap report (opened: no end; closed: the
end), written before the samples that ended it. A value outside its action limits
raises a blocking exception and puts the
batch on hold; outside the alert limits, a value exception; either once per
excursion, not once per sample: a further exception only when the excursion gets
worse, and a new excursion only after a sample back inside the alert limits. A gap
records the time without readings; no value is ever invented for it. A reading closes
every gap still open for the step (whoever opened it: the equipment's silence, the
station not running).

The equipment is checked as for a capture step (`MasterData.equipment_problem`:
registered, calibration not overdue). Readings of equipment that fails the check are
not taken: a gap opens with the reason in words and a major resource exception goes to
QA, once; the gap closes at the first reading of qualified equipment.

Monitoring is accepted only while that timer step runs (started, not stopped); the
batch may be on hold meanwhile, as the incubator goes on meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from kiosk.batch import ON_HOLD, iso, monitor_level, monitor_peak
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Captured, Item, MonitorGap, MonitorSample
from kiosk.entries import ActionRefused, fmt_limits
from kiosk.recipe import Monitor, MonitoredNode, TimerStep
from kiosk.text import Text
from kiosk.units import Quantity, Unit, UnitError
from local_store import Event

RESTARTED: Final = "; then the station was not running"
"""Appended to the reason of a gap left open when the station stopped (the station monitoring
service records it on restart): the same problem, carried on, is not reported to QA again."""


class Monitoring(Flow):
    def record_monitoring(
        self,
        batch_id: str,
        step: str,
        samples: Sequence[MonitorSample] = (),
        gaps: Sequence[MonitorGap] = (),
    ) -> list[Event]:
        """Record samples and gaps of the running timer `step`; exceptions for excursions.

        The station records them (actor `system`), not a user: a long incubation outlasts
        any session, and the equipment, not a person, is the source."""
        state = self.batch(batch_id)
        self._may_write(state)
        current = state.step
        if state.state in ("aborted", "completed", "released") or step != state.step_key:
            raise ActionRefused(Text("monitoring of {step}: that step is not running", step=step))
        if not isinstance(current, TimerStep) or current.monitor is None:
            raise ActionRefused(
                Text("monitoring of {step}: the step monitors no equipment", step=step)
            )
        if state.timer_started is None:
            raise ActionRefused(Text("monitoring of {step}: the timer is not running", step=step))
        monitor = current.monitor
        label = current.title or current.id
        items: list[Item] = []
        excs: list[dict[str, Any]] = []
        peaks = dict(state.monitor_peaks)
        still_open = dict(state.monitor_open.get(step, {}))  # start -> reason
        for gap in gaps:
            items.append(("monitor.gap", _gap(step, monitor.role, gap), "system", None))
            if gap.end is None:
                still_open[iso(gap.start)] = gap.reason
            else:
                still_open.pop(iso(gap.start), None)
        # problems QA has heard of for this step: open gaps, also those carried over a restart
        reported = {reason.removesuffix(RESTARTED) for reason in still_open.values()}
        rows = []
        devices = set()
        for sample in samples:
            problem = self._unqualified(monitor, sample)
            # a reading came: every time without one ends here, except the gap of this problem
            for start, reason in list(still_open.items()):
                if reason != problem:
                    closed = MonitorGap(_when(start), reason, sample.at)
                    items.append(("monitor.gap", _gap(step, monitor.role, closed), "system", None))
                    del still_open[start]
                    if reason.removesuffix(RESTARTED) != problem:  # that problem has ended
                        reported.discard(reason.removesuffix(RESTARTED))
            if problem is not None:  # the values are not taken: a gap, and QA hears of it once
                if problem not in still_open.values():
                    opened = MonitorGap(sample.at, problem)
                    items.append(("monitor.gap", _gap(step, monitor.role, opened), "system", None))
                    still_open[iso(sample.at)] = problem
                if problem not in reported:
                    reported.add(problem)
                    excs.append(
                        self._exception(
                            "resource",
                            "major",
                            False,
                            step,
                            f"{label}: {problem}",
                            {"role": monitor.role, "at": iso(sample.at)},
                        )
                    )
                continue
            row: dict[str, Any] = {
                "at": iso(sample.at),
                "values": {},
                "source_timestamps": {},
                "status": {},
                "levels": {},
            }
            for node, spec in monitor.nodes.items():
                reading = sample.readings.get(node)
                value, status = _value(reading, spec)
                if reading is not None:
                    devices.add(reading.source)
                row["values"][node] = value
                row["status"][node] = status
                row["source_timestamps"][node] = (
                    iso(reading.timestamp) if reading and reading.timestamp else None
                )
                if value is None:  # no value: the excursion stays as it was
                    continue
                level = monitor_level(value, spec.alert, spec.action)
                row["levels"][node] = level
                key = f"{step}:{node}"
                before = peaks.get(key, 0)
                peaks[key] = monitor_peak(before, level)
                if peaks[key] > before:
                    excs.append(self._excursion(step, label, node, spec, value, level, sample))
            rows.append(row)
        if rows:
            payload = {
                "step": step,
                "role": monitor.role,
                "device": ", ".join(sorted(devices)) or None,
                "units": {node: spec.unit for node, spec in monitor.nodes.items()},
                "samples": rows,
            }
            items.append(("monitor.samples", payload, "system", None))
        if not items and samples:  # readings of unqualified equipment, its gap already open
            return []
        if not items:
            raise ActionRefused(Text("monitoring of {step}: nothing to record", step=step))
        items += [("exception.raised", exc, "system", None) for exc in excs]
        if any(exc["blocking"] for exc in excs) and state.state != ON_HOLD:
            items.append(("batch.state", {"state": ON_HOLD}, "system", None))
        return self._commit(state, items)

    def _unqualified(self, monitor: Monitor, sample: MonitorSample) -> str | None:
        """Why the sample's equipment may not be the source of values, as for a capture step:
        registered, calibration not overdue, accepted for the role; None when it may."""
        for source in sorted({r.source for r in sample.readings.values() if r.source}):
            problem = self.masterdata.equipment_problem(source, monitor.role)
            if problem:
                return f"{monitor.role} {problem} — its values are not used"
        return None

    def _excursion(
        self,
        step: str,
        label: str,
        node: str,
        spec: MonitoredNode,
        value: float,
        level: str | None,
        sample: MonitorSample,
    ) -> dict[str, Any]:
        shown = f"{value:g}{' ' + spec.unit if spec.unit else ''}"
        action = level == "action"
        limits = spec.action if action else spec.alert
        which = "action" if action else "alert"
        return self._exception(
            "value",
            "critical" if action else "minor",
            action,
            step,
            Text(
                "{label}: {node} {shown} at {at:%H:%M} is outside the {which} limits {limits}",
                label=label,
                node=node,
                shown=shown,
                at=sample.at,
                which=which,
                limits=fmt_limits(limits, spec.unit),
            ),
            {"node": node, "value": value, "unit": spec.unit, which: limits, "at": iso(sample.at)},
        )


def _gap(step: str, role: str, gap: MonitorGap) -> dict[str, Any]:
    return {
        "step": step,
        "role": role,
        "start": iso(gap.start),
        "end": iso(gap.end) if gap.end is not None else None,
        "reason": gap.reason,
    }


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _value(reading: Captured | None, spec: MonitoredNode) -> tuple[float | None, str]:
    """The sample's value in the node's unit, or None with why (a bad status, no number)."""
    if reading is None:
        return None, "not read"
    if not reading.good:
        return None, reading.status
    if isinstance(reading.value, bool) or not isinstance(reading.value, int | float):
        return None, f"not a number: {reading.value!r}"
    number = float(reading.value)
    if spec.unit is not None and reading.unit is not None and reading.unit != spec.unit:
        try:
            number = Quantity(number, Unit.parse(reading.unit)).to(Unit.parse(spec.unit)).value
        except UnitError:
            return None, f"in {reading.unit}, not {spec.unit}"
    return number, reading.status


def monitored(step: object) -> Monitor | None:
    """The `monitor:` of a timer step, or None."""
    return step.monitor if isinstance(step, TimerStep) else None


__all__ = ["Monitoring", "monitored"]
