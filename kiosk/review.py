"""Review by exception: what QA must look at in a batch, derived from its state (no Qt).

Every exception is a review item. QA dispositions each with an e-signature
(`Engine.disposition`); release is refused while any item is open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.batch import BatchState


@dataclass(frozen=True)
class ReviewItem:
    """One thing a reviewer must judge."""

    id: str
    category: str
    step: str | None
    message: str
    ts: str
    values: dict[str, Any] = field(default_factory=dict)
    disposition: dict[str, Any] | None = None

    @property
    def open(self) -> bool:
        return self.disposition is None


def items(state: BatchState) -> list[ReviewItem]:
    """Every review item of the batch, in the order it arose."""
    return [
        ReviewItem(
            id=exc.id,
            category=exc.category,
            step=exc.step,
            message=exc.message,
            ts=exc.raised_ts,
            values=dict(exc.values),
            disposition=exc.disposition,
        )
        for exc in state.exceptions.values()
    ]


def open_items(state: BatchState) -> list[ReviewItem]:
    """Items not yet dispositioned: while any is left, the batch cannot be released."""
    return [item for item in items(state) if item.open]
