"""Entry steps: a typed number (unit, decimals, range, limits), text, choice or date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kiosk.auth import Session
from kiosk.batch import BatchState, iso
from kiosk.engine.flow import Flow
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused, fmt_limits, outside, parse_moment, parse_number
from kiosk.recipe import EntryStep
from kiosk.text import Text

register(StepKind("entry", Text("a typed value")))


def typed_value(
    engine: Flow, state: BatchState, step: EntryStep, value: Any, key: str | None
) -> tuple[Any, list[dict[str, Any]]]:
    """Check a typed value against its entry step; the value to record and its exceptions.

    Shared by first entry and correction, so a corrected value meets every check
    the original did.
    """
    label = step.title or step.id
    if step.type == "number":
        number = parse_number(value, label, step.decimals)
        if outside(number, step.range):
            raise ActionRefused(
                Text(
                    "{label}: {number:g} is not possible here ({limits}) — check and re-enter",
                    label=label,
                    number=number,
                    limits=fmt_limits(step.range, step.unit),
                )
            )
        excs = engine._limit_exceptions(state, step, number, step.unit)
        for exc in excs:
            exc["step"] = key
        return number, excs
    if step.type == "choice":
        if str(value) not in (step.choices or []):
            raise ActionRefused(
                Text(
                    "{label}: choose one of {choices}",
                    label=label,
                    choices=", ".join(step.choices or []),
                )
            )
        chosen = str(value)
        if step.expected is not None and chosen != step.expected:
            return chosen, [
                engine._exception(
                    "cpp_cqa" if step.critical else "process",
                    "critical" if step.critical else "major",
                    True,
                    key,
                    Text(
                        "{label}: {chosen}, expected {expected}",
                        label=label,
                        chosen=chosen,
                        expected=step.expected,
                    ),
                    {"value": chosen, "expected": step.expected},
                )
            ]
        return chosen, []
    if step.type == "date":
        moment = parse_moment(value, label)
        if moment > engine.clock() + timedelta(minutes=5):
            raise ActionRefused(Text("{label}: that time is in the future", label=label))
        return iso(moment), []
    text = str(value).strip()
    if not text:
        raise ActionRefused(Text("{label}: enter a value", label=label))
    return text, []


class EntrySteps(Flow):
    def enter(
        self,
        session: Session,
        batch_id: str,
        value: Any,
        *,
        step: str | None = None,
        comment: str | None = None,
    ) -> None:
        """A typed value: number (with the step's unit and decimals), text, choice or date."""
        state = self._guard(session, batch_id, step)
        current = self._current(state, EntryStep, Text("a typed value"))
        if current.source is not None:
            raise ActionRefused(
                Text(
                    "{title} comes from the cell counter's result file, not from the keyboard",
                    title=current.title or current.id,
                )
            )
        recorded, excs = typed_value(self, state, current, value, state.step_key)
        payload = {
            "value": recorded,
            "unit": current.unit,
            "type": current.type,
            "decimals": current.decimals,
            "limits": {"alert": current.alert, "action": current.action, "range": current.range},
            "comment": comment,
        }
        self._finish(state, session, payload, exceptions=excs)
