"""Corrections: a new event with the old value, the new value and the reason."""

from __future__ import annotations

from typing import Any

from kiosk.auth import Session
from kiosk.batch import FINAL_STATES, ON_HOLD
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Item
from kiosk.engine.steps.entry import typed_value
from kiosk.entries import ActionRefused
from kiosk.recipe import EntryStep
from kiosk.roles import PERMISSIONS
from kiosk.text import Text


class Corrections(Flow):
    def correct(self, session: Session, batch_id: str, step: str, value: Any, reason: str) -> None:
        """Correct a recorded value: a new event with old value, new value and reason."""
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        if state.state in FINAL_STATES:
            raise ActionRefused(
                Text(
                    "batch {batch_id} is {state}: no more corrections",
                    batch_id=batch_id,
                    state=state.state,
                )
            )
        if not reason.strip():
            raise ActionRefused(Text("a correction needs a reason"))
        if not PERMISSIONS["step.correct"] & session.user.roles:
            raise ActionRefused(Text("{name} may not correct values", name=session.user.name))
        record = state.records.get(step)
        if record is None:
            raise ActionRefused(Text("step {step} has no recorded value to correct", step=step))
        spec = state.recipe.stage(record.stage).steps
        model = next(s for s in spec if s.id == record.step_id)
        if not isinstance(model, EntryStep):
            raise ActionRefused(
                Text(
                    "only typed entries can be corrected; devices, scans and calculations are"
                    " captured"
                )
            )
        new, excs = typed_value(self, state, model, value, step)
        if new == record.value:
            raise ActionRefused(Text("the corrected value is the same as the recorded one"))
        name = record.payload.get("name")
        users = sorted(
            r.key
            for r in state.records.values()
            if r.kind == "calc" and name in r.payload.get("inputs", {})
        )
        if users:
            excs.append(
                self._exception(
                    "process",
                    "major",
                    False,
                    step,
                    Text(
                        "{title} was corrected after it was used in {users}: check those results",
                        title=model.title or model.id,
                        users=", ".join(users),
                    ),
                    {"old": record.value, "new": new, "calculations": users},
                )
            )
        items: list[Item] = [
            (
                "step.corrected",
                {
                    "step": step,
                    "old": record.value,
                    "new": new,
                    "unit": record.unit,
                    "corrects": record.seq,
                },
                session.actor,
                reason,
            )
        ]
        items += [("exception.raised", e, session.actor, None) for e in excs]
        if any(e["blocking"] for e in excs):
            items.append(("batch.state", {"state": ON_HOLD}, "system", None))
        self._commit(state, items)
