"""Entries from a cell counter: count or viability taken from the counter's result file.

An entry step with `source: {cell_counter: ...}` takes its value from a
`CounterResult` (read by `kiosk.devices.cellcount` in the caller), and records
the file's name, line and SHA-256 with it. The sample must be the batch's: the
result's sample ID must contain the batch ID, the DIN, or the ID scanned at the
step (`sample_id`). Typing such a value (`Engine.enter`) is refused.
"""

from __future__ import annotations

from kiosk.auth import Session
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import CounterResult
from kiosk.entries import ActionRefused, fmt_limits, outside
from kiosk.recipe import EntryStep
from kiosk.text import Text
from kiosk.units import Quantity, Unit

_PER_ML = Unit.parse("cells/mL")


class CellCountSteps(Flow):
    def import_count(
        self,
        session: Session,
        batch_id: str,
        result: CounterResult,
        *,
        sample_id: str | None = None,
        step: str | None = None,
    ) -> None:
        """Record the current counter entry from one result of a counter's export file."""
        state = self._guard(session, batch_id, step)
        current = self._current(state, EntryStep, Text("a cell count"))
        label = current.title or current.id
        if current.source is None:
            raise ActionRefused(
                Text("{label} is typed, not taken from the cell counter", label=label)
            )
        wanted = [w for w in (sample_id, state.id, state.din) if w]
        if not any(w in result.sample_id for w in wanted):
            raise ActionRefused(
                Text(
                    "{file_name} line {line}: sample {sample_id!r} is not this batch's ({wanted})",
                    file_name=result.file_name,
                    line=result.line,
                    sample_id=result.sample_id,
                    wanted=" or ".join(wanted),
                )
            )
        field = current.source.cell_counter
        if field == "viability":
            number = result.viability_pct
        else:
            per_ml = (
                result.viable_per_ml if field == "viable_concentration" else result.total_per_ml
            )
            assert current.unit is not None  # the validator requires a concentration unit
            number = Quantity(per_ml, _PER_ML).to(Unit.parse(current.unit)).value
        if current.decimals is not None:
            number = round(number, current.decimals)
        if outside(number, current.range):
            raise ActionRefused(
                Text(
                    "{label}: {number:g} from {file_name} is not possible here ({limits})",
                    label=label,
                    number=number,
                    file_name=result.file_name,
                    limits=fmt_limits(current.range, current.unit),
                )
            )
        excs = self._limit_exceptions(state, current, number, current.unit)
        payload = {
            "value": number,
            "unit": current.unit,
            "type": "number",
            "decimals": current.decimals,
            "limits": {"alert": current.alert, "action": current.action, "range": current.range},
            "counter": {
                "field": field,
                "sample_id": result.sample_id,
                "device": result.instrument,
                "measured_at": result.measured_at.isoformat() if result.measured_at else None,
                "file": result.file_name,
                "line": result.line,
                "sha256": result.sha256,
            },
            "device": result.instrument,
            "manual": False,
        }
        self._finish(state, session, payload, exceptions=excs)
