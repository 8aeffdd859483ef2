"""One module per step kind; importing this package registers every kind."""

from kiosk.engine.steps import (
    calc,
    check,
    entry,
    instruction,
    label_print,
    scan,
    signature,
    timer,
    weigh,
)

__all__ = [
    "calc",
    "check",
    "entry",
    "instruction",
    "label_print",
    "scan",
    "signature",
    "timer",
    "weigh",
]
