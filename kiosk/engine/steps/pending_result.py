"""Pending results: QC release tests whose results the LIMS sends days later.

When the cursor reaches a `pending_result` step the engine writes `result.pending`
and goes on at once: cryopreservation does not wait for sterility. The result
arrives later as data (`Engine.record_result`, from the server's `qc.result`
event); it is checked against the step's range and specification, and an
out-of-specification result raises a critical exception. QA release is refused
while any pending result is missing (`BatchState.missing_results`).
"""

from __future__ import annotations

from typing import Any

from kiosk.batch import ABORTED, RELEASED, BatchState
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Item, QcResult
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused, fmt_limits, outside, parse_number
from kiosk.recipe import PendingResultStep
from kiosk.text import Text


def _pending(state: BatchState) -> tuple[str, dict[str, Any]]:
    step, stage = state.step, state.stage
    assert isinstance(step, PendingResultStep)
    assert stage is not None
    return "result.pending", {
        "step": state.step_key,
        "step_id": step.id,
        "stage": stage.id,
        "iteration": state.iteration,
        "test": step.test,
    }


register(StepKind("pending_result", Text("a result from the LIMS"), passes=_pending))


class PendingResultSteps(Flow):
    def record_result(self, batch_id: str, result: QcResult, *, actor: str = "system") -> bool:
        """Record a QC result for the batch's pending step of that test.

        Returns False when the same result (same `ref`, or same LIMS reference) is
        recorded already, so a sync may hand the same result over twice.
        """
        state = self.batch(batch_id)
        self._may_write(state)
        if state.state in (RELEASED, ABORTED):
            raise ActionRefused(
                Text(
                    "batch {batch_id} is {state}: no more results",
                    batch_id=batch_id,
                    state=state.state,
                )
            )
        key = next(
            (k for k, p in state.awaiting.items() if p["test"] == result.test),
            None,
        )
        if key is None:
            raise ActionRefused(
                Text(
                    "batch {batch_id} has no pending {test} result",
                    batch_id=batch_id,
                    test=result.test,
                )
            )
        for done in state.results.values():
            if done["lims_ref"] == result.lims_ref or (result.ref and done["ref"] == result.ref):
                return False
        step = self._pending_step(state, key)
        label = step.title or step.id
        value, excs = self._check_result(state, step, key, result, label)
        p = state.awaiting[key]
        payload = {
            "step": key,
            "step_id": p["step_id"],
            "stage": p["stage"],
            "iteration": p["iteration"],
            "test": result.test,
            "value": value,
            "unit": step.unit,
            "type": step.type,
            "decimals": step.decimals,
            "critical": step.critical,
            "method": result.method,
            "sample_id": result.sample_id,
            "result_time": result.result_time,
            "lims_ref": result.lims_ref,
            "ref": result.ref,
            "limits": {"alert": step.alert, "action": step.action, "range": step.range},
            "expected": step.expected,
        }
        items: list[Item] = [("result.recorded", payload, actor, None)]
        items += [("exception.raised", exc, actor, None) for exc in excs]
        self._commit(state, items)
        return True

    @staticmethod
    def _pending_step(state: BatchState, key: str) -> PendingResultStep:
        p = state.awaiting[key]
        for step in state.recipe.stage(p["stage"]).steps:
            if step.id == p["step_id"] and isinstance(step, PendingResultStep):
                return step
        raise ActionRefused(
            Text("step {key} is not a pending result in this recipe", key=key)
        )  # pragma: no cover

    def _check_result(
        self,
        state: BatchState,
        step: PendingResultStep,
        key: str,
        result: QcResult,
        label: str,
    ) -> tuple[Any, list[dict[str, Any]]]:
        if step.type == "choice":
            chosen = str(result.value).strip().lower()
            if chosen not in (step.choices or []):
                raise ActionRefused(
                    Text(
                        "{label}: {value!r} is not one of {choices}",
                        label=label,
                        value=result.value,
                        choices=", ".join(step.choices or []),
                    )
                )
            if step.expected is not None and chosen != step.expected:
                return chosen, [
                    self._oos(
                        state,
                        step,
                        key,
                        f"{label}: {chosen}, specification {step.expected}",
                        chosen,
                    )
                ]
            return chosen, []
        if result.unit != step.unit:
            raise ActionRefused(
                Text(
                    "{label}: the result is in {unit}; this step needs {unit2}",
                    label=label,
                    unit=result.unit,
                    unit2=step.unit,
                )
            )
        number = parse_number(result.value, label, None)
        if step.decimals is not None:
            number = round(number, step.decimals)
        if outside(number, step.range):
            raise ActionRefused(
                Text(
                    "{label}: {number:g} is not possible here ({limits})",
                    label=label,
                    number=number,
                    limits=fmt_limits(step.range, step.unit),
                )
            )
        if outside(number, step.action):
            shown = f"{number:g}{' ' + step.unit if step.unit else ''}"
            return number, [
                self._oos(
                    state,
                    step,
                    key,
                    f"{label} {shown} is out of specification {fmt_limits(step.action, step.unit)}",
                    number,
                )
            ]
        excs = self._limit_exceptions(state, step, number, step.unit)
        for exc in excs:
            exc["step"] = key
        return number, excs

    def _oos(
        self, state: BatchState, step: PendingResultStep, key: str, message: str, value: Any
    ) -> dict[str, Any]:
        # not blocking: the batch may be frozen and waiting already; release waits for
        # QA's disposition of this exception as for every other one
        return self._exception(
            "cpp_cqa",
            "critical",
            False,
            key,
            message,
            {"value": value, "unit": step.unit, "action": step.action, "expected": step.expected},
        )
