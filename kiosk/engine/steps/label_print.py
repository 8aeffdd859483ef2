"""Label print steps: the final product label, only once a DIN (and, where the recipe binds
one, a CoI) is bound to the batch."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kiosk.auth import Session
from kiosk.batch import BatchState, iso
from kiosk.engine.flow import Flow
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused
from kiosk.recipe import LabelPrintStep, ScanStep
from kiosk.text import Text

register(StepKind("label_print", Text("the label printed")))


class LabelPrintSteps(Flow):
    def print_label(
        self, session: Session, batch_id: str, *, step: str | None = None
    ) -> dict[str, Any]:
        state = self._guard(session, batch_id, step)
        current = self._current(state, LabelPrintStep, Text("a label"))
        if state.din is None:
            raise ActionRefused(Text("no DIN is bound to this batch: the label cannot be printed"))
        if state.coi is None and _binds_coi(state):
            raise ActionRefused(Text("no CoI is bound to this batch: the label cannot be printed"))
        content = {
            "label": current.label,
            "copies": current.copies,
            "din": state.din,
            "coi": state.coi,
            "product": state.recipe.product,
            "batch": state.id,
            "identifiers": state.identifiers,
            "printed": iso(self.clock()),
            "expiry": (
                iso(self.clock() + timedelta(days=current.shelf_life_days))
                if current.shelf_life_days
                else None
            ),
        }
        self._finish(state, session, {"value": None, "label": content})
        return content


def _binds_coi(state: BatchState) -> bool:
    return any(
        isinstance(step, ScanStep) and step.binds == "coi" for _, step in state.recipe.steps()
    )
