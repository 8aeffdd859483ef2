"""One module per step kind; importing this package registers every kind."""

from kiosk.engine.steps import (
    calc,
    capture,
    cell_count,
    check,
    entry,
    instruction,
    label_print,
    pending_result,
    scan,
    signature,
    timer,
    weigh,
)

__all__ = [
    "calc",
    "capture",
    "cell_count",
    "check",
    "entry",
    "instruction",
    "label_print",
    "pending_result",
    "scan",
    "signature",
    "timer",
    "weigh",
]
