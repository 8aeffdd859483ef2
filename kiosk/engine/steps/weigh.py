"""Weigh steps: a stable reading from a trusted balance, or a supervisor-approved exception."""

from __future__ import annotations

from typing import Any

from kiosk.auth import Session, Signature
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Credentials, Reading
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused, parse_number
from kiosk.recipe import WeighStep
from kiosk.text import Text
from kiosk.units import Quantity, Unit, UnitError

register(StepKind("weigh", Text("a weight from the balance")))


class WeighSteps(Flow):
    def weigh(
        self,
        session: Session,
        batch_id: str,
        reading: Reading | None = None,
        *,
        manual_value: float | None = None,
        override: Credentials | None = None,
        reason: str | None = None,
        step: str | None = None,
    ) -> None:
        """A stable reading from a trusted balance, or a supervisor-approved exception.

        The balance must be registered, in calibration and checked today; otherwise
        the weight is refused, or recorded as a resource exception when a supervisor
        overrides with a reason. A weight typed by hand needs the same override and
        is a manual-entry exception.
        """
        state = self._guard(session, batch_id, step)
        current = self._current(state, WeighStep, Text("a weight"))
        label = current.title or current.id
        excs: list[dict[str, Any]] = []
        sigs: list[Signature] = []
        if reading is not None:
            if not reading.stable:
                raise ActionRefused(
                    Text("the balance is not stable yet — wait for the stable sign")
                )
            try:
                number = (
                    Quantity(reading.value, Unit.parse(reading.unit))
                    .to(Unit.parse(current.unit))
                    .value
                )
            except UnitError as exc:
                raise ActionRefused(
                    Text(
                        "the balance reports {unit}; this step needs {unit2}",
                        unit=reading.unit,
                        unit2=current.unit,
                    )
                ) from exc
            if current.decimals is not None:
                number = round(number, current.decimals)
            problem = self.masterdata.balance_problem(reading.device)
            if problem:
                if override is None:
                    raise self._refuse(
                        state,
                        session,
                        "weigh",
                        Text("{problem} — use another balance", problem=problem),
                        state.step_key,
                    )
                sig = self._override(session, state, override, reason, {"device": reading.device})
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
                        {"device": reading.device, "value": number, "override_by": sig.user},
                    )
                )
            device: str | None = reading.device
            manual = False
        else:
            if manual_value is None or override is None:
                raise ActionRefused(Text("manual weight needs a supervisor override with a reason"))
            number = parse_number(manual_value, label, current.decimals)
            sig = self._override(session, state, override, reason, {"manual_value": number})
            sigs.append(sig)
            excs.append(
                self._exception(
                    "manual_entry",
                    "major",
                    False,
                    state.step_key,
                    Text("{label}: weight typed by hand ({reason})", label=label, reason=reason),
                    {"value": number, "override_by": sig.user},
                )
            )
            device = None
            manual = True
        excs += self._limit_exceptions(state, current, number, current.unit)
        payload = {
            "value": number,
            "unit": current.unit,
            "type": "number",
            "device": device,
            "manual": manual,
            "stable": True if reading is not None else None,
            "limits": {"alert": current.alert, "action": current.action},
            "reason": reason if sigs else None,
        }
        self._finish(state, session, payload, exceptions=excs, signatures=sigs)
