"""Step kinds: what each kind needs from the operator and which handlers it brings.

Each module in `kiosk.engine.steps` registers its kind here, so the engine
dispatches `confirm`, the calculated preview and signature steps by kind rather
than by a chain of isinstance tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.text import Text

if TYPE_CHECKING:
    from kiosk.auth import Session, Signature
    from kiosk.batch import BatchState
    from kiosk.engine.core import EngineCore
    from kiosk.engine.flow import Flow
    from kiosk.engine.inputs import Credentials
    from kiosk.recipe import StepBase


@dataclass(frozen=True)
class StepKind:
    """One step kind's entry: what the operator must give, and its optional handlers."""

    kind: str
    needs: Text  # "step X needs <needs>, not ..."
    confirm: Callable[[Flow, BatchState, Session], None] | None = None
    preview: Callable[[EngineCore, BatchState], Any] | None = None
    sign: Callable[[Flow, BatchState, Session, Credentials], Signature] | None = None
    # steps that do not wait for anyone: the event written when the cursor reaches the step,
    # which moves the cursor past it (pending QC results)
    passes: Callable[[BatchState], tuple[str, dict[str, Any]]] | None = None


KINDS: dict[str, StepKind] = {}


def register(kind: StepKind) -> StepKind:
    KINDS[kind.kind] = kind
    return kind


def kind_of(step: StepBase | None) -> StepKind | None:
    return None if step is None else KINDS[step.kind]


def needs(step: StepBase | None) -> Text:
    """What the current step needs, in operator words."""
    kind = kind_of(step)
    return Text("nothing") if kind is None else kind.needs
