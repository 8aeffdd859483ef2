"""Values captured, not typed: equipment readings, counter files and LIMS results (issue 14)."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import review
from kiosk.ebr import summarize
from kiosk.engine import ActionRefused, Captured, CounterResult, Engine, QcResult
from kiosk.oq import run_script
from kiosk.recipe import RecipeError, load_recipe
from tests.unit.conftest import ROOT, Station

RECIPE = """
id: capture-demo
version: 1
title: Captured values
status: effective
stages:
  - id: culture
    steps:
      - id: incubator_temp
        kind: capture
        title: Incubator temperature
        source: {role: incubator, node: temperature}
        unit: degC
        decimals: 1
        range: [-50, 100]
        alert: [36.5, 37.5]
        action: [36, 38]
        critical: CPP
      - id: viable_conc
        kind: entry
        title: Viable cells
        source: {cell_counter: viable_concentration}
        unit: 1e6 cells/mL
        decimals: 2
        range: [0, 1000]
      - id: viability
        kind: entry
        title: Viability
        source: {cell_counter: viability}
        unit: "%"
        decimals: 1
        range: [0, 100]
        action: [70, 100]
        critical: CQA
  - id: qc
    steps:
      - id: endotoxin
        kind: pending_result
        title: Endotoxin
        test: endotoxin
        unit: EU/mL
        decimals: 2
        range: [0, 1000]
        action: [null, 4.99]
        critical: CQA
      - id: sterility
        kind: pending_result
        title: Sterility
        test: sterility
        type: choice
        choices: [negative, positive]
        expected: negative
        critical: CQA
  - id: cryo
    steps:
      - id: frozen
        kind: instruction
  - id: release_stage
    steps:
      - id: release
        kind: signature
        meaning: released
        roles: [qa]
"""

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


INCUBATOR = "urn:sim:incubator:INC-1"


def good(
    value: float, unit: str | None = "°C", status: str = "Good", source: str = INCUBATOR
) -> Captured:
    return Captured(value, unit, NOW, source, status, "ns=2;s=Temp")


def count(sample: str, viable: float = 2.5e6, viability: float = 92.4) -> CounterResult:
    return CounterResult(
        sample,
        viability,
        viable,
        viable * 1.05,
        NOW,
        "Vi-CELL BLU 123",
        "count-001.csv",
        "ab" * 32,
        3,
    )


def result(test: str, value: float | str, unit: str | None = "EU/mL", ref: str = "L-1") -> QcResult:
    return QcResult(test, value, unit, "LAL kinetic", "QC-1", "2026-12-01T09:00:00Z", ref)


@pytest.fixture
def engine(station: Station, tmp_path: Path) -> Engine:
    path = tmp_path / "capture-demo.yaml"
    path.write_text(RECIPE)
    station.engine.add_recipe(load_recipe(path))
    station.engine.masterdata.register_equipment(
        "INC-1", "incubator", INCUBATOR, "sim incubator", date(2027, 6, 30), by="system"
    )
    station.engine.store.append(  # accepted for its role by a technician
        "device.accepted",
        {"role": "incubator", "serial": INCUBATOR, "asset": "INC-1"},
        actor="u:tess",
    )
    station.engine.masterdata.catch_up()
    return station.engine


def start(station: Station, engine: Engine) -> str:
    return engine.start_batch(station.login("olivia"), "capture-demo", {}, batch_id="B-CAP-1")


def test_a_capture_records_value_unit_source_and_timestamp(
    station: Station, engine: Engine
) -> None:
    batch = start(station, engine)
    engine.capture(station.login("olivia"), batch, good(37.04))
    record = engine.batch(batch).records["culture.incubator_temp"]
    assert record.value == 37.0
    assert record.payload["device"] == "urn:sim:incubator:INC-1"
    assert record.payload["source_timestamp"] == "2026-11-27T07:00:00.000Z"
    assert record.payload["manual"] is False
    assert engine.view(batch).key == "culture.viable_conc"


def test_a_capture_outside_the_action_limits_holds_the_batch(
    station: Station, engine: Engine
) -> None:
    batch = start(station, engine)
    engine.capture(station.login("olivia"), batch, good(39.2))
    state = engine.batch(batch)
    assert state.state == "on_hold"
    (exc,) = state.exceptions.values()
    assert (exc.category, exc.severity) == ("cpp_cqa", "critical")


def test_a_bad_status_or_no_reading_is_refused(station: Station, engine: Engine) -> None:
    batch = start(station, engine)
    olivia = station.login("olivia")
    with pytest.raises(ActionRefused, match="BadSensorFailure"):
        engine.capture(olivia, batch, good(37.0, status="BadSensorFailure"))
    with pytest.raises(ActionRefused, match="supervisor override"):
        engine.capture(olivia, batch, None)
    with pytest.raises(ActionRefused, match="needs degC"):
        engine.capture(olivia, batch, good(37.0, unit="%"))
    with pytest.raises(ActionRefused, match="needs a value read from the equipment"):
        engine.enter(olivia, batch, "37.0")
    assert engine.view(batch).key == "culture.incubator_temp"


def test_equipment_that_is_not_registered_is_refused_or_overridden(
    station: Station, engine: Engine
) -> None:
    batch = start(station, engine)
    olivia = station.login("olivia")
    stranger = good(37.0, source="urn:other:incubator")
    with pytest.raises(ActionRefused, match="urn:other:incubator is not registered"):
        engine.capture(olivia, batch, stranger)
    refused = [e for e in station.store.events(batch=batch) if e.type == "action.refused"]
    assert refused[-1].payload["action"] == "capture"
    engine.capture(
        olivia, batch, stranger, override=station.creds("sam"), reason="INC-1 in maintenance"
    )
    (exc,) = engine.batch(batch).exceptions.values()
    assert (exc.category, exc.values["override_by"]) == ("resource", "sam")


def test_a_value_typed_by_hand_needs_an_override_and_raises_an_exception(
    station: Station, engine: Engine
) -> None:
    batch = start(station, engine)
    olivia = station.login("olivia")
    with pytest.raises(ActionRefused, match="reason"):
        engine.capture(olivia, batch, manual_value=37.0, override=station.creds("sam"))
    engine.capture(
        olivia, batch, manual_value=37.0, override=station.creds("sam"), reason="OPC UA down"
    )
    state = engine.batch(batch)
    (exc,) = state.exceptions.values()
    assert exc.category == "manual_entry"
    assert state.records["culture.incubator_temp"].payload["manual"] is True


def test_counts_come_from_the_counter_file_with_its_hash(station: Station, engine: Engine) -> None:
    batch = start(station, engine)
    olivia = station.login("olivia")
    engine.capture(olivia, batch, good(37.0))
    with pytest.raises(ActionRefused, match="cell counter"):
        engine.enter(olivia, batch, "2.5")
    with pytest.raises(ActionRefused, match=r"count-001\.csv line 3: sample 'OTHER-9'"):
        engine.import_count(olivia, batch, count("OTHER-9"))
    engine.import_count(olivia, batch, count("B-CAP-1-D3"))
    engine.import_count(olivia, batch, count("B-CAP-1-D3", viability=65.0))
    state = engine.batch(batch)
    conc = state.records["culture.viable_conc"]
    assert (conc.value, conc.unit) == (2.5, "1e6 cells/mL")
    assert conc.payload["counter"]["sha256"] == "ab" * 32
    assert conc.payload["counter"]["file"] == "count-001.csv"
    assert state.records["culture.viability"].value == 65.0
    assert state.state == "on_hold"  # viability below its action limit


def run_to_release(station: Station, engine: Engine) -> str:
    batch = start(station, engine)
    olivia = station.login("olivia")
    engine.capture(olivia, batch, good(37.0))
    engine.import_count(olivia, batch, count("B-CAP-1"))
    engine.import_count(olivia, batch, count("B-CAP-1"))
    return batch


def test_pending_results_do_not_block_cryopreservation(station: Station, engine: Engine) -> None:
    batch = run_to_release(station, engine)
    state = engine.batch(batch)
    assert engine.view(batch).key == "cryo.frozen"  # QC stage passed without waiting
    assert state.missing_results() == ["qc.endotoxin", "qc.sterility"]
    engine.confirm(station.login("olivia"), batch)
    assert engine.view(batch).key == "release_stage.release"


def test_release_is_refused_while_a_qc_result_is_pending(station: Station, engine: Engine) -> None:
    batch = run_to_release(station, engine)
    engine.confirm(station.login("olivia"), batch)
    quinn = station.login("quinn")
    pending = [i for i in review.open_items(engine.batch(batch)) if i.kind == "pending_result"]
    assert [i.message for i in pending] == [
        "a QC result is pending: endotoxin",
        "a QC result is pending: sterility",
    ]
    with pytest.raises(ActionRefused, match="only the result from the LIMS"):
        engine.disposition(quinn, batch, pending[0].id, "accepted", "no", station.creds("quinn"))
    with pytest.raises(ActionRefused, match=r"a QC result is pending \(endotoxin, sterility\)"):
        engine.sign_step(quinn, batch, station.creds("quinn"))
    assert engine.record_result(batch, result("endotoxin", 0.5))
    assert not engine.record_result(batch, result("endotoxin", 0.5))  # the same result again
    assert engine.record_result(batch, result("sterility", "negative", None, "L-2"))
    engine.sign_step(quinn, batch, station.creds("quinn"))
    assert engine.batch(batch).state == "released"
    assert engine.batch(batch).records["qc.endotoxin"].payload["lims_ref"] == "L-1"


def test_an_out_of_specification_result_raises_a_critical_exception(
    station: Station, engine: Engine
) -> None:
    batch = run_to_release(station, engine)
    engine.record_result(batch, result("sterility", "positive", None, "L-9"))
    engine.record_result(batch, result("endotoxin", 7.2))
    excs = list(engine.batch(batch).exceptions.values())
    assert [(e.category, e.severity) for e in excs] == [("cpp_cqa", "critical")] * 2
    assert "sterility: positive, specification negative" in excs[0].message.lower()
    assert "out of specification" in excs[1].message
    with pytest.raises(ActionRefused, match="needs EU/mL"):
        engine.record_result(batch, result("endotoxin", 0.1, "mg", "L-3"))
    with pytest.raises(ActionRefused, match="no pending potency result"):
        engine.record_result(batch, result("potency", 1.0, None, "L-4"))


def test_the_validator_names_a_bad_capture_or_counter_step(tmp_path: Path) -> None:
    bad = RECIPE.replace("unit: 1e6 cells/mL", "unit: g").replace(
        "source: {role: incubator, node: temperature}", "source: {role: incubator}"
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    with pytest.raises(RecipeError) as err:
        load_recipe(path)
    text = str(err.value)
    assert "missing field 'node'" in text


def test_the_v5_recipe_runs_end_to_end_with_captured_values(tmp_path: Path) -> None:
    """oq/car-t-captured-values.yaml: the v5 copy of the reference recipe, receipt to release."""
    out = io.StringIO()
    passed = run_script(
        ROOT / "oq" / "car-t-captured-values.yaml", tmp_path / "oq.sqlite", out, fast_hash=True
    )
    assert passed, out.getvalue()
    assert "batch B-OQ-0001: released" in out.getvalue()


def test_the_audit_trail_names_the_source_of_each_captured_value(
    station: Station, engine: Engine
) -> None:
    batch = run_to_release(station, engine)
    engine.record_result(batch, result("endotoxin", 0.5))
    lines = [summarize(e) for e in engine.history(batch)]
    assert "culture.incubator_temp = 37.0 °C (from urn:sim:incubator:INC-1)" in lines
    assert any("file count-001.csv sha256 abababababab" in line for line in lines)
    assert "qc.sterility: sterility result pending (from the LIMS)" in lines
    assert any(
        line.startswith("qc.endotoxin = 0.50 EU/mL (endotoxin from the LIMS") for line in lines
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.floats(min_value=0, max_value=1000, allow_nan=False))
def test_a_numeric_result_is_out_of_specification_exactly_outside_its_action_limit(
    station: Station, engine: Engine, value: float
) -> None:
    batch = f"B-P-{uuid.uuid4().hex[:8]}"
    olivia = station.login("olivia")
    engine.start_batch(olivia, "capture-demo", {}, batch_id=batch)
    engine.capture(olivia, batch, good(37.0))
    engine.import_count(olivia, batch, count(batch))
    engine.import_count(olivia, batch, count(batch))
    engine.record_result(batch, result("endotoxin", value, ref=f"L-{batch}"))
    state = engine.batch(batch)
    recorded = state.records["qc.endotoxin"].value
    assert recorded == round(value, 2)
    assert bool(state.exceptions) == (recorded > 4.99)
    assert state.missing_results() == ["qc.sterility"]
