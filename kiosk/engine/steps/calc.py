"""Calculated steps: a formula over recorded values, previewed, then confirmed by the performer."""

from __future__ import annotations

from typing import Any

from kiosk.auth import Session
from kiosk.batch import BatchState
from kiosk.engine.core import EngineCore
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import show
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused
from kiosk.expressions import ExpressionError, parse
from kiosk.recipe import CalcStep
from kiosk.text import Text
from kiosk.units import Quantity, Unit, UnitError


def calculate(engine: EngineCore, state: BatchState, step: CalcStep) -> dict[str, Any]:
    """The value the step records, with its formula, inputs and limits."""
    expr = parse(step.formula)
    names = state.namespace()
    try:
        result = expr.evaluate(names, now=engine.clock())
    except ExpressionError as exc:
        raise ActionRefused(
            Text("{title} cannot be calculated: {exc}", title=step.title or step.id, exc=exc)
        ) from exc
    inputs = {n: show(names[n]) for n in sorted(expr.names) if n in names}
    unit = step.unit
    if isinstance(result, Quantity):
        if step.unit:
            try:
                value = result.to(Unit.parse(step.unit)).value
            except UnitError as exc:
                raise ActionRefused(
                    Text("{title}: {exc}", title=step.title or step.id, exc=exc)
                ) from exc
        else:  # no unit declared: keep the one the formula gives
            value = result.value
            unit = None if result.unit.is_dimensionless else result.unit.symbol
    elif isinstance(result, int | float) and not isinstance(result, bool):
        value = float(result)
    else:
        raise ActionRefused(
            Text("{title}: the formula does not give a number", title=step.title or step.id)
        )
    if step.decimals is not None:
        value = round(value, step.decimals)
    return {
        "value": value,
        "unit": unit,
        "type": "number",
        "formula": step.formula,
        "inputs": inputs,
        "limits": {"alert": step.alert, "action": step.action},
    }


def _preview(engine: EngineCore, state: BatchState) -> dict[str, Any]:
    step = state.step
    assert isinstance(step, CalcStep)
    return calculate(engine, state, step)


def _confirm(engine: Flow, state: BatchState, session: Session) -> None:
    step = state.step
    assert isinstance(step, CalcStep)
    result = calculate(engine, state, step)
    engine._finish(
        state,
        session,
        result,
        exceptions=engine._limit_exceptions(state, step, result["value"], step.unit),
    )


register(
    StepKind("calc", Text("the calculated value confirmed"), confirm=_confirm, preview=_preview)
)
