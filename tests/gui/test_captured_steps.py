"""Capture, counter-file and LIMS steps on the step screen (issue 14): a real asyncua simulator on
loopback, real NucleoCounter files in a watched folder, the kiosk's own widgets."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator
from kiosk.engine import QcResult
from kiosk.screens.autopilot import settle, wait_until
from kiosk.screens.config import Metrics
from kiosk.screens.layoutcheck import check_layout
from tests.gui.conftest import Rig
from tests.gui.incubator import incubator_rig
from tests.incubator import incubator_role
from tests.unit.test_captured_values import RECIPE

pytestmark = pytest.mark.gui

BATCH_SAMPLE = "{batch}-D0"
SCREENSHOTS = os.environ.get("KIOSK_TEST_SCREENSHOTS")  # a folder: save the capture step's PNG


def nucleocounter(sample: str, viability: str = "91.4", live: str = "3.12E6") -> str:
    """A NucleoView export as the NC-200 writes it (tests/data/cellcount/nc200_DIN-0001.csv)."""
    return (
        "Viability and Cell Count Assay - CAR-T in-process count; ;\n"
        f"Image;20261127-0042-a-{sample};\n"
        "Operator;ajones;\n"
        f"Viability (%);{viability};\n"
        f"Live (cells/ml);{live};\n"
        "Dead (cells/ml);0.29E6;\n"
        "Total (cells/ml);3.41E6;\n"
        "Instrument type;NucleoView NC-200\n"
        "Instrument s/n;s/n 9000201012345678\n"
        "Date time;20261127 071500\n"
        "Time zone offset;1\n"
        "//[1A2B3C4D]\n"
    )


@pytest.fixture(scope="module")
def sim() -> Iterator[OpcuaSimulator]:
    with OpcuaSimulator() as server:
        yield server


@pytest.fixture
def cap(qtbot, tmp_path: Path, sim: OpcuaSimulator) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    watched = tmp_path / "counter"
    watched.mkdir()
    sim.restart()
    sim.set_value("Incubator.Temperature", 37.0)
    r = incubator_rig(
        qtbot,
        tmp_path,
        incubator_role(sim, timeout=2, co2=False),
        ("capture-demo", RECIPE),
        accept="INC-1",
        extra={"cell_counter": {"format": "nucleocounter", "folder": str(watched)}},
    )
    yield r
    assert not r.prompts.queue, f"prompts not asked: {list(r.prompts.queue)}"
    r.kiosk.close()


def text(rig: Rig, name: str) -> str:
    found = [w for w in rig.window.step.findChildren(QLabel, name) if w.isVisibleTo(rig.window)]
    assert found, f"no {name} on the screen"
    return found[-1].text()


def enabled(rig: Rig, name: str) -> bool:
    (found,) = [
        b for b in rig.window.step.findChildren(QPushButton, name) if b.isVisibleTo(rig.window)
    ]
    return found.isEnabled()


def idle(rig: Rig) -> None:
    """Wait until the panel's background read has come back."""
    wait_until(lambda: not rig.window.step.panel.work.busy)  # type: ignore[union-attr]
    settle()


def start(rig: Rig) -> str:
    rig.login("olivia")
    return rig.pilot.start("capture-demo", {})


def layout_problems(rig: Rig, name: str) -> list[str]:
    assert rig.config is not None
    return check_layout(name, rig.window, Metrics.for_panel(rig.config.panel))


def test_a_capture_step_is_read_from_the_simulator_and_recorded(cap: Rig) -> None:
    p = cap.pilot
    batch = start(cap)
    p.expect(key="culture.incubator_temp")
    # the equipment and the limits are on screen before anything is read
    assert "incubator" in text(cap, "source-line-0")
    assert "36.5–37.5" in text(cap, "source-limits")
    assert not enabled(cap, "capture-record")
    p.click("capture-read")
    idle(cap)
    assert text(cap, "capture-value") == "37.0 °C"
    assert "Good · INC-1" in text(cap, "capture-status")
    assert f"Read from {APPLICATION_URI}; source time" in text(cap, "capture-detail")
    if SCREENSHOTS:
        cap.window.grab().save(str(Path(SCREENSHOTS) / "capture-step.png"))
    assert layout_problems(cap, "capture") == []
    p.click("capture-record")
    p.expect(key="culture.viable_conc")
    record = cap.kiosk.engine.batch(batch).records["culture.incubator_temp"]
    assert (record.value, record.unit, record.payload["device"]) == (37.0, "degC", APPLICATION_URI)
    assert record.payload["source_timestamp"]
    assert record.payload["manual"] is False


def test_a_stopped_server_shows_one_line_and_records_nothing(cap: Rig, sim: OpcuaSimulator) -> None:
    p = cap.pilot
    batch = start(cap)
    sim.drop()
    p.click("capture-read")
    idle(cap)
    shown = text(cap, "capture-detail")
    assert shown.startswith("Not read:")
    assert "nothing recorded" in shown
    assert "\n" not in shown
    assert "Traceback" not in shown
    assert not enabled(cap, "capture-record")
    assert "culture.incubator_temp" not in cap.kiosk.engine.batch(batch).records
    sim.restart()  # the equipment is back: Read again works
    p.click("capture-read")
    idle(cap)
    p.click("capture-record")
    p.expect(key="culture.viable_conc")


def test_a_bad_status_is_not_recorded(cap: Rig, sim: OpcuaSimulator) -> None:
    p = cap.pilot
    start(cap)
    sim.set_value("Incubator.Temperature", 37.0, status="BadSensorFailure")
    p.click("capture-read")
    idle(cap)
    assert "BadSensorFailure" in text(cap, "capture-status")
    assert "not used" in text(cap, "capture-detail")
    assert not enabled(cap, "capture-record")
    p.expect(key="culture.incubator_temp")


def to_counter(rig: Rig) -> str:
    batch = start(rig)
    rig.pilot.click("capture-read")
    idle(rig)
    rig.pilot.click("capture-record")
    rig.pilot.expect(key="culture.viable_conc")
    idle(rig)  # the panel looked in the folder by itself
    return batch


def test_a_count_step_takes_the_newest_file_of_the_batch_and_records_its_sha256(
    cap: Rig, tmp_path: Path
) -> None:
    p = cap.pilot
    watched = tmp_path / "counter"
    (watched / "other-batch.csv").write_text(nucleocounter("B-OTHER-1", live="9.9E6"))
    batch = to_counter(cap)
    assert text(cap, "counter-problem").startswith(f"no result for sample {batch}")
    assert not enabled(cap, "counter-record")
    mine = watched / "count-0042.csv"
    mine.write_text(nucleocounter(BATCH_SAMPLE.format(batch=batch)))
    p.click("counter-again")
    idle(cap)
    assert "File count-0042.csv, line 2" in text(cap, "counter-file")
    assert BATCH_SAMPLE.format(batch=batch) in text(cap, "counter-file")
    assert "viability 91.4 %" in text(cap, "counter-file")
    assert text(cap, "counter-value") == "3.12 million cells/mL"
    assert layout_problems(cap, "counter") == []
    if SCREENSHOTS:
        cap.window.grab().save(str(Path(SCREENSHOTS) / "counter-step.png"))
    p.click("counter-record")
    p.expect(key="culture.viability")
    record = cap.kiosk.engine.batch(batch).records["culture.viable_conc"]
    assert record.value == 3.12
    assert record.payload["counter"]["file"] == "count-0042.csv"
    assert record.payload["counter"]["sha256"] == hashlib.sha256(mine.read_bytes()).hexdigest()
    # the viability comes from the same file, found again by the next step
    idle(cap)
    assert text(cap, "counter-value") == "91.4 %"
    p.click("counter-record")
    assert cap.kiosk.engine.batch(batch).records["culture.viability"].value == 91.4


def test_a_garbled_file_is_named_with_its_line(cap: Rig, tmp_path: Path) -> None:
    batch = to_counter(cap)
    garbled = nucleocounter(BATCH_SAMPLE.format(batch=batch), viability="lots")
    (tmp_path / "counter" / "count-0043.csv").write_text(garbled)
    cap.pilot.click("counter-again")
    idle(cap)
    shown = text(cap, "counter-problem")
    assert "count-0043.csv" in shown
    assert "line 4" in shown
    assert not enabled(cap, "counter-record")
    assert "culture.viable_conc" not in cap.kiosk.engine.batch(batch).records


def test_pending_results_let_the_batch_go_on_and_show_when_they_arrive(
    cap: Rig, tmp_path: Path
) -> None:
    p = cap.pilot
    batch = to_counter(cap)
    (tmp_path / "counter" / "count.csv").write_text(nucleocounter(BATCH_SAMPLE.format(batch=batch)))
    p.click("counter-again")
    idle(cap)
    p.click("counter-record")
    idle(cap)
    p.click("counter-record")
    p.expect(key="cryo.frozen")  # endotoxin and sterility did not stop the batch
    qc = text(cap, "step-qc")
    assert "Endotoxin: awaited from the LIMS" in qc
    assert "Sterility: awaited from the LIMS" in qc
    engine = cap.kiosk.engine
    when = datetime(2026, 12, 1, 9, tzinfo=UTC).isoformat()
    engine.record_result(
        batch, QcResult("endotoxin", 0.42, "EU/mL", "LAL kinetic", "QC-1", when, "L-1")
    )
    engine.record_result(
        batch, QcResult("sterility", "positive", None, "BacT/ALERT", "QC-2", when, "L-2")
    )
    cap.window.step.show_view()
    settle()
    qc = text(cap, "step-qc")
    assert "Endotoxin: 0.42 EU/mL (specification ≤ 4.99 EU/mL) — pass" in qc
    assert "Sterility: positive (specification negative) — OUT OF SPECIFICATION" in qc
    assert layout_problems(cap, "pending") == []
    if SCREENSHOTS:
        cap.window.grab().save(str(Path(SCREENSHOTS) / "pending-results.png"))


def test_with_the_equipment_down_a_supervisor_may_type_the_value(
    cap: Rig, sim: OpcuaSimulator
) -> None:
    p = cap.pilot
    batch = start(cap)
    sim.drop()
    p.click("capture-read")
    idle(cap)
    p.answer(
        "override",
        value="37.1",
        reason="Incubator network down",
        user="sam",
        password="sup-samira-2026",
    )
    p.click("capture-manual")
    p.expect(key="culture.viable_conc")
    state = cap.kiosk.engine.batch(batch)
    assert state.records["culture.incubator_temp"].payload["manual"] is True
    (exc,) = state.exceptions.values()
    assert exc.category == "manual_entry"
