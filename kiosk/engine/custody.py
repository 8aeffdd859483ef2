"""Chain of custody: who handed the patient's material to whom, when, in what state."""

from __future__ import annotations

from kiosk.auth import Session
from kiosk.batch import FINAL_STATES, RELEASED
from kiosk.engine.flow import Flow
from kiosk.entries import ActionRefused


class Custody(Flow):
    def handover(
        self, session: Session, batch_id: str, giver: str, receiver: str, condition: str
    ) -> None:
        """Chain of custody: who handed the patient's material to whom, when, in what state."""
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        if state.state in FINAL_STATES and state.state != RELEASED:
            raise ActionRefused(f"batch is {state.state}")
        if not (giver.strip() and receiver.strip() and condition.strip()):
            raise ActionRefused("say who handed over, who received, and the condition")
        payload = {
            "from": giver.strip(),
            "to": receiver.strip(),
            "condition": condition.strip(),
            "din": state.din,
            "recorded_by": session.user.name,
        }
        self._commit(state, [("custody.handover", payload, session.actor, None)])
