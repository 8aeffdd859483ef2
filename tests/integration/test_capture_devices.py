"""Captured values end to end: the asyncua simulator and a Vi-CELL export into the engine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kiosk.config import StationConfig
from kiosk.devices.capture import captured, counter_result
from kiosk.devices.cellcount import take_cell_count
from kiosk.devices.manager import DeviceManager
from kiosk.devices.opcua import OpcuaEndpoint, OpcuaSecurity, read_nodes
from kiosk.devices.sim_opcua import APPLICATION_URI, INCUBATOR_SERIAL, OpcuaSimulator
from kiosk.devices.swap import SwapRefused, SwapWorkflow
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


def opcua_config(sim: OpcuaSimulator, serial_node: str | None = None) -> StationConfig:
    role = {"kind": "incubator", "endpoint": sim.endpoint, "security": "none"}
    if serial_node:
        role["serial_node"] = serial_node
    return StationConfig.model_validate({"opcua": {"incubator": role}})


def accept_incubator(sim: OpcuaSimulator, station: Station, serial_node: str | None = None) -> str:
    """A technician accepts the equipment answering at the simulator as `incubator`; its
    identity. The Technician screen runs these steps off the UI thread."""
    config = opcua_config(sim, serial_node)
    manager = DeviceManager(
        config, station.engine.masterdata, clock=station.clock, store=station.store
    )
    swap = SwapWorkflow(
        manager, station.engine.masterdata, station.auth, station.store, station.clock
    )
    session = station.login("tess")
    found = swap.identify("incubator", session=session)
    check = swap.check_master(found.serial, session=session, role="incubator")
    assert check.may_accept, check.message
    assert "daily check not needed" in check.message
    accepted = swap.accept("incubator", found.serial, station.creds("tess"), session=session)
    assert accepted.remaining is None
    return found.serial


def read_temperature(sim: OpcuaSimulator) -> Captured:
    endpoint = OpcuaEndpoint(sim.endpoint, OpcuaSecurity("none"))  # type: ignore[arg-type]
    (reading,) = read_nodes(endpoint, {"temperature": TEMPERATURE})
    return captured(reading)


def test_the_incubator_temperature_is_captured_from_the_simulator(
    sim: OpcuaSimulator, station: Station
) -> None:
    engine = station.engine
    batch = engine.start_batch(station.login("olivia"), "capture-demo", {}, batch_id="B-CAP-2")
    sim.set_value("Incubator.Temperature", 37.2)
    with pytest.raises(ActionRefused, match="has not been accepted as incubator"):
        engine.capture(station.login("olivia"), batch, read_temperature(sim))
    assert "culture.incubator_temp" not in engine.batch(batch).records
    assert accept_incubator(sim, station) == APPLICATION_URI
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
    accept_incubator(sim, station)
    sim.set_value("Incubator.Temperature", 37.0)
    engine.capture(station.login("olivia"), batch, read_temperature(sim))
    count = counter_result(take_cell_count(VICELL, "G123426000123"))
    engine.import_count(station.login("olivia"), batch, count, sample_id="G123426000123")
    record = engine.batch(batch).records["culture.viable_conc"]
    assert record.value == 1.47  # the newest result of the sample, line 4
    assert record.payload["counter"]["line"] == 4
    assert record.payload["counter"]["file"] == "vicell_blu_export.csv"
    assert len(record.payload["counter"]["sha256"]) == 64


def test_a_different_device_answering_after_acceptance_is_refused(
    sim: OpcuaSimulator, station: Station
) -> None:
    serial_node = "ns=2;s=Incubator.SerialNumber"
    master = station.engine.masterdata
    master.register_equipment(
        "INC-2", "incubator", INCUBATOR_SERIAL, "incubator", date(2027, 6, 30), by="system"
    )
    master.register_equipment(
        "INC-9", "incubator", "INC-SIM-0009", "another one", date(2027, 6, 30), by="system"
    )
    assert accept_incubator(sim, station, serial_node) == INCUBATOR_SERIAL
    engine = station.engine
    batch = engine.start_batch(station.login("olivia"), "capture-demo", {}, batch_id="B-CAP-4")

    def read(server: OpcuaSimulator) -> Captured:
        endpoint = OpcuaEndpoint(server.endpoint, OpcuaSecurity("none"), serial_node)  # type: ignore[arg-type]
        (reading,) = read_nodes(endpoint, {"temperature": TEMPERATURE})
        return captured(reading)

    with OpcuaSimulator(serial="INC-SIM-0009") as other:  # another incubator now answers
        other.set_value("Incubator.Temperature", 37.4)
        with pytest.raises(ActionRefused, match=r"a different device \(INC-9, INC-SIM-0009\)"):
            engine.capture(station.login("olivia"), batch, read(other))
    assert "culture.incubator_temp" not in engine.batch(batch).records
    sim.set_value("Incubator.Temperature", 37.1)
    engine.capture(station.login("olivia"), batch, read(sim))
    assert engine.batch(batch).records["culture.incubator_temp"].value == 37.1


def test_acceptance_of_an_opcua_role_is_refused_for_unregistered_equipment(
    sim: OpcuaSimulator, station: Station
) -> None:
    manager = DeviceManager(
        opcua_config(sim, "ns=2;s=Incubator.SerialNumber"),
        station.engine.masterdata,
        clock=station.clock,
        store=station.store,
    )
    swap = SwapWorkflow(
        manager, station.engine.masterdata, station.auth, station.store, station.clock
    )
    session = station.login("tess")
    found = swap.identify("incubator", session=session)
    assert (found.kind, found.serial, found.asset) == ("incubator", INCUBATOR_SERIAL, None)
    with pytest.raises(SwapRefused, match="not registered"):
        swap.accept("incubator", INCUBATOR_SERIAL, station.creds("tess"), session=session)
    assert station.engine.masterdata.accepted == {}
