"""Capture steps: a value read from process equipment (OPC UA), never typed.

The engine does not talk to equipment (import contract): the caller reads the node
through `kiosk.devices` and hands the reading over as a `Captured`. A reading with
a bad status, or no reading at all, is refused; so is one from equipment that is not
registered or is overdue for calibration, unless a supervisor overrides with a
reason (a resource exception, as for a balance); a value typed by hand needs a
supervisor override with a reason and raises a manual-entry exception, as a
manual weight does. Alert and action limits are checked as for entries.
"""

from __future__ import annotations

from typing import Any

from kiosk.auth import Session, Signature
from kiosk.batch import iso
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Captured, Credentials
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused, fmt_limits, outside, parse_number
from kiosk.recipe import CaptureStep
from kiosk.text import Text
from kiosk.units import Quantity, Unit, UnitError

register(StepKind("capture", Text("a value read from the equipment")))


class CaptureSteps(Flow):
    def capture(
        self,
        session: Session,
        batch_id: str,
        reading: Captured | None = None,
        *,
        manual_value: float | None = None,
        override: Credentials | None = None,
        reason: str | None = None,
        step: str | None = None,
    ) -> None:
        """Record the equipment's value, unit and source timestamp for the current step."""
        state = self._guard(session, batch_id, step)
        current = self._current(state, CaptureStep, Text("a value from the equipment"))
        label = current.title or current.id
        where = f"{current.source.role} {current.source.node}"
        excs: list[dict[str, Any]] = []
        sigs: list[Signature] = []
        if reading is not None:
            if not reading.good:
                raise ActionRefused(
                    Text(
                        "{label}: {where} reports status {status} — not used",
                        label=label,
                        where=where,
                        status=reading.status,
                    )
                )
            number = self._captured_number(current, reading, label)
            problem = self.masterdata.equipment_problem(reading.source, current.source.role)
            if problem:
                if override is None:
                    raise self._refuse(
                        state,
                        session,
                        "capture",
                        Text("{problem} — not used", problem=problem),
                        state.step_key,
                    )
                sig = self._override(session, state, override, reason, {"device": reading.source})
                sigs.append(sig)
                excs.append(
                    self._exception(
                        "resource",
                        "major",
                        False,
                        state.step_key,
                        Text(
                            "{label}: {problem}; used with supervisor override ({reason})",
                            label=label,
                            problem=problem,
                            reason=reason,
                        ),
                        {"device": reading.source, "value": number, "override_by": sig.user},
                    )
                )
            source: str | None = reading.source
            stamp = iso(reading.timestamp) if reading.timestamp is not None else None
            manual = False
        else:
            if manual_value is None or override is None:
                raise ActionRefused(
                    Text(
                        "{label}: no reading from {where} — a value typed by hand needs a"
                        " supervisor override with a reason",
                        label=label,
                        where=where,
                    )
                )
            number = parse_number(manual_value, label, current.decimals)
            sig = self._override(session, state, override, reason, {"manual_value": number})
            sigs.append(sig)
            excs.append(
                self._exception(
                    "manual_entry",
                    "major",
                    False,
                    state.step_key,
                    Text(
                        "{label}: typed by hand instead of read from {where} ({reason})",
                        label=label,
                        where=where,
                        reason=reason,
                    ),
                    {"value": number, "override_by": sig.user},
                )
            )
            source, stamp, manual = None, None, True
        if outside(number, current.range):
            limits = fmt_limits(current.range, current.unit)
            raise ActionRefused(
                Text(
                    "{label}: {number:g} is not possible here ({limits})",
                    label=label,
                    number=number,
                    limits=limits,
                )
            )
        excs += self._limit_exceptions(state, current, number, current.unit)
        payload = {
            "value": number,
            "unit": current.unit,
            "type": "number",
            "decimals": current.decimals,
            "equipment_role": current.source.role,
            "node": reading.node if reading is not None else None,
            "node_name": current.source.node,
            "device": source,
            "source_timestamp": stamp,
            "status": reading.status if reading is not None else None,
            "manual": manual,
            "limits": {"alert": current.alert, "action": current.action, "range": current.range},
            "reason": reason if sigs else None,
        }
        self._finish(state, session, payload, exceptions=excs, signatures=sigs)

    @staticmethod
    def _captured_number(step: CaptureStep, reading: Captured, label: str) -> float:
        if isinstance(reading.value, bool) or not isinstance(reading.value, int | float):
            raise ActionRefused(
                Text(
                    "{label}: the equipment sent {value!r}, not a number",
                    label=label,
                    value=reading.value,
                )
            )
        number = float(reading.value)
        if step.unit is not None:
            if reading.unit is None:
                raise ActionRefused(
                    Text(
                        "{label}: the equipment sends no unit; this step needs {unit}",
                        label=label,
                        unit=step.unit,
                    )
                )
            try:
                number = Quantity(number, Unit.parse(reading.unit)).to(Unit.parse(step.unit)).value
            except UnitError as exc:
                raise ActionRefused(
                    Text(
                        "{label}: the equipment reports {unit}; this step needs {unit2}",
                        label=label,
                        unit=reading.unit,
                        unit2=step.unit,
                    )
                ) from exc
        if step.decimals is not None:
            number = round(number, step.decimals)
        return number
