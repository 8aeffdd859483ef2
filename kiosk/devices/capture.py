"""From device readings to the engine's inputs: the engine never imports a device.

`captured` turns an OPC UA `NodeReading` into the engine's `Captured`, and
`counter_result` a cell counter's `CellCount` into a `CounterResult`. The
screens, the CLI and the OQ runner read the device and hand these to
`Engine.capture` and `Engine.import_count`.
"""

from __future__ import annotations

from kiosk.devices.cellcount import CellCount
from kiosk.devices.opcua import NodeReading
from kiosk.engine.inputs import Captured, CounterResult


def captured(reading: NodeReading) -> Captured:
    """The engine's view of one OPC UA node reading (a non-number is passed on as read:
    the engine refuses it with the step's name)."""
    return Captured(
        value=reading.value,
        unit=reading.unit,
        timestamp=reading.source_timestamp,
        source=reading.source,
        status=reading.status,
        node=reading.node_id,
    )


def counter_result(count: CellCount) -> CounterResult:
    """The engine's view of one counter result, with the file's name, line and SHA-256."""
    return CounterResult(
        sample_id=count.sample_id,
        viability_pct=count.viability_pct,
        viable_per_ml=count.viable_per_ml,
        total_per_ml=count.total_per_ml,
        measured_at=count.measured_at,
        instrument=count.source,
        file_name=count.file_name,
        sha256=count.sha256,
        line=count.line,
    )
