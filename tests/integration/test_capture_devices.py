"""Captured values end to end: the asyncua simulator and a Vi-CELL export into the engine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kiosk.devices.capture import captured, counter_result
from kiosk.devices.cellcount import take_cell_count
from kiosk.devices.opcua import OpcuaEndpoint, OpcuaSecurity, read_nodes
from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator
from kiosk.engine import ActionRefused, Captured
from kiosk.recipe import load_recipe
from tests.unit.conftest import Station, make_station
from tests.unit.test_captured_values import RECIPE

TEMPERATURE = "ns=2;s=Incubator.Temperature"
VICELL = Path(__file__).resolve().parents[1] / "data" / "cellcount" / "vicell_blu_export.csv"


@pytest.fixture(scope="module")
def sim() -> Iterator[OpcuaSimulator]:
    with OpcuaSimulator() as server:
        yield server


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    st = make_station(tmp_path / "station.sqlite", "TEST-CAP")
    path = tmp_path / "capture-demo.yaml"
    path.write_text(RECIPE)
    st.engine.add_recipe(load_recipe(path))
    st.engine.masterdata.register_equipment(
        "INC-1", "incubator", APPLICATION_URI, "simulated incubator", date(2027, 6, 30), by="system"
    )
    yield st
    st.store.close()


def read_temperature(sim: OpcuaSimulator) -> Captured:
    endpoint = OpcuaEndpoint(sim.endpoint, OpcuaSecurity("none"))  # type: ignore[arg-type]
    (reading,) = read_nodes(endpoint, {"temperature": TEMPERATURE})
    return captured(reading)


def test_the_incubator_temperature_is_captured_from_the_simulator(
    sim: OpcuaSimulator, station: Station
) -> None:
    engine = station.engine
    batch = engine.start_batch(station.login("olivia"), "capture-demo", {}, batch_id="B-CAP-2")
    sim.set_value("Incubator.Temperature", 37.0, status="BadSensorFailure")
    reading = read_temperature(sim)
    with pytest.raises(ActionRefused, match="BadSensorFailure"):
        engine.capture(station.login("olivia"), batch, reading)
    sim.set_value("Incubator.Temperature", 37.2)
    engine.capture(station.login("olivia"), batch, read_temperature(sim))
    record = engine.batch(batch).records["culture.incubator_temp"]
    assert (record.value, record.unit) == (37.2, "degC")
    assert record.payload["device"] == APPLICATION_URI
    assert record.payload["node"] == TEMPERATURE
    assert record.payload["source_timestamp"]


def test_a_count_comes_from_a_real_vicell_export(sim: OpcuaSimulator, station: Station) -> None:
    engine = station.engine
    batch = engine.start_batch(station.login("olivia"), "capture-demo", {}, batch_id="B-CAP-3")
    sim.set_value("Incubator.Temperature", 37.0)
    engine.capture(station.login("olivia"), batch, read_temperature(sim))
    count = counter_result(take_cell_count(VICELL, "G123426000123"))
    engine.import_count(station.login("olivia"), batch, count, sample_id="G123426000123")
    record = engine.batch(batch).records["culture.viable_conc"]
    assert record.value == 1.47  # the newest result of the sample, line 4
    assert record.payload["counter"]["line"] == 4
    assert record.payload["counter"]["file"] == "vicell_blu_export.csv"
    assert len(record.payload["counter"]["sha256"]) == 64
