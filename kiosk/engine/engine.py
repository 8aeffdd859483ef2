"""`Engine`: the core with every step kind and batch action mixed in."""

from __future__ import annotations

from kiosk.engine import steps  # noqa: F401 - registers every step kind
from kiosk.engine.corrections import Corrections
from kiosk.engine.custody import Custody
from kiosk.engine.exceptions import Exceptions
from kiosk.engine.monitoring import Monitoring
from kiosk.engine.order_watch import OrderWatch
from kiosk.engine.signoff import Signoffs
from kiosk.engine.steps.capture import CaptureSteps
from kiosk.engine.steps.cell_count import CellCountSteps
from kiosk.engine.steps.check import CheckSteps
from kiosk.engine.steps.entry import EntrySteps
from kiosk.engine.steps.label_print import LabelPrintSteps
from kiosk.engine.steps.pending_result import PendingResultSteps
from kiosk.engine.steps.scan import ScanSteps
from kiosk.engine.steps.timer import TimerSteps
from kiosk.engine.steps.weigh import WeighSteps


class Engine(
    CheckSteps,
    EntrySteps,
    ScanSteps,
    WeighSteps,
    TimerSteps,
    Monitoring,
    LabelPrintSteps,
    CaptureSteps,
    CellCountSteps,
    PendingResultSteps,
    Signoffs,
    Exceptions,
    Corrections,
    Custody,
    OrderWatch,
):
    """Runs batches from master recipes, writing every decision to the log.

    Instruction, calculation and signature steps have no method of their own:
    `confirm` and `sign_step` dispatch to them through the step-kind registry.
    """
