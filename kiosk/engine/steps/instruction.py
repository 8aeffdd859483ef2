"""Instruction steps: read and done, confirmed by the performer."""

from __future__ import annotations

from kiosk.auth import Session
from kiosk.batch import BatchState
from kiosk.engine.flow import Flow
from kiosk.engine.registry import StepKind, register
from kiosk.text import Text


def _confirm(engine: Flow, state: BatchState, session: Session) -> None:
    engine._finish(state, session, {"value": None, "confirmed": True})


register(StepKind("instruction", Text("a confirmation"), confirm=_confirm))
