"""Check steps: pass, fail or N.A.; fail and N.A. need a comment and raise an exception."""

from __future__ import annotations

from typing import Any

from kiosk.auth import Session
from kiosk.engine.flow import Flow
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused
from kiosk.recipe import CheckStep
from kiosk.text import Text

register(StepKind("check", Text("pass, fail or N.A.")))


class CheckSteps(Flow):
    def check(
        self,
        session: Session,
        batch_id: str,
        result: str,
        *,
        comment: str | None = None,
        step: str | None = None,
    ) -> None:
        state = self._guard(session, batch_id, step)
        current = self._current(state, CheckStep, Text("pass/fail"))
        if result not in ("pass", "fail", "na"):
            raise ActionRefused(Text("choose pass, fail or N.A."))
        if result == "na" and not current.allow_na:
            raise ActionRefused(Text("N.A. is not allowed for this check"))
        if result in ("fail", "na") and not (comment and comment.strip()):
            raise ActionRefused(Text("say why: a comment is required for fail or N.A."))
        excs: list[dict[str, Any]] = []
        if result == "fail":
            excs.append(
                self._exception(
                    "check_failed",
                    "major",
                    current.fail_blocks,
                    state.step_key,
                    Text("check failed: {title}", title=current.title or current.id),
                    {"comment": comment},
                )
            )
        elif result == "na":
            excs.append(
                self._exception(
                    "process",
                    "minor",
                    False,
                    state.step_key,
                    Text("marked N.A.: {title}", title=current.title or current.id),
                    {"comment": comment},
                )
            )
        self._finish(state, session, {"value": result, "comment": comment}, exceptions=excs)
