"""Timer steps: started, then stopped inside their minimum and maximum duration."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from kiosk.auth import Session, Signature
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Credentials
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused
from kiosk.recipe import TimerStep
from kiosk.text import Text

register(StepKind("timer", Text("the timer")))


class TimerSteps(Flow):
    def timer_start(self, session: Session, batch_id: str, *, step: str | None = None) -> None:
        state = self._guard(session, batch_id, step)
        self._current(state, TimerStep, Text("a timer"))
        if state.timer_started is not None:
            raise ActionRefused(Text("the timer is already running"))
        self._commit(state, [("timer.started", {"step": state.step_key}, session.actor, None)])

    def timer_stop(
        self,
        session: Session,
        batch_id: str,
        *,
        step: str | None = None,
        override: Credentials | None = None,
        reason: str | None = None,
    ) -> None:
        """Stop the timer: early needs a supervisor override, late puts the batch on hold."""
        state = self._guard(session, batch_id, step)
        current = self._current(state, TimerStep, Text("a timer"))
        if state.timer_started is None:
            raise ActionRefused(Text("start the timer first"))
        started = datetime.fromisoformat(state.timer_started.replace("Z", "+00:00"))
        elapsed = self.clock() - started
        minutes = round(elapsed.total_seconds() / 60, 1)
        excs: list[dict[str, Any]] = []
        sigs: list[Signature] = []
        lo, hi = current.min_duration, current.max_duration
        label = current.title or current.id
        if lo is not None and elapsed < lo:
            remaining = math.ceil((lo - elapsed).total_seconds() / 60)
            if override is None:
                raise ActionRefused(
                    Text(
                        "{label}: {remaining} min still to go (minimum {minimum})",
                        label=label,
                        remaining=remaining,
                        minimum=current.minimum,
                    )
                )
            sigs.append(self._override(session, state, override, reason, {"minutes": minutes}))
            excs.append(
                self._exception(
                    "timer",
                    "major",
                    False,
                    state.step_key,
                    Text(
                        "{label} ended early after {minutes:g} min (minimum {minimum}): {reason}",
                        label=label,
                        minutes=minutes,
                        minimum=current.minimum,
                        reason=reason,
                    ),
                    {"minutes": minutes},
                )
            )
        if hi is not None and elapsed > hi:
            excs.append(
                self._exception(
                    "timer",
                    "major",
                    True,
                    state.step_key,
                    Text(
                        "{label} ran {minutes:g} min, over its maximum of {maximum}",
                        label=label,
                        minutes=minutes,
                        maximum=current.maximum,
                    ),
                    {"minutes": minutes},
                )
            )
        payload = {
            "value": minutes,
            "unit": "min",
            "type": "number",
            "started": state.timer_started,
            "minimum": current.minimum,
            "maximum": current.maximum,
        }
        self._finish(state, session, payload, exceptions=excs, signatures=sigs)
