"""The simulated OPC UA incubator (``kiosk.devices.sim_opcua``) as the tests set it up: its
role in a station configuration, and its equipment record accepted for that role."""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator
from kiosk.engine import Engine

TEMPERATURE = "ns=2;s=Incubator.Temperature"
CO2 = "ns=2;s=Incubator.CO2"


def incubator_role(
    sim: OpcuaSimulator, *, timeout: float, co2: bool = True, security: str = "none", **tls: str
) -> dict[str, Any]:
    """The ``[opcua.incubator]`` section for ``sim``: its temperature node (and CO2), plain or
    with ``security`` and the certificate paths in ``tls``."""
    nodes = {"temperature": TEMPERATURE, **({"co2": CO2} if co2 else {})}
    return {
        "kind": "incubator",
        "endpoint": sim.endpoint,
        "security": security,
        **tls,
        "timeout": timeout,
        "nodes": nodes,
    }


def accept_incubator(
    engine: Engine,
    asset: str,
    name: str = "simulated incubator",
    calibration_due: date = date(2027, 6, 30),
) -> None:
    """Register the simulator as equipment ``asset`` and accept it for the incubator role, as a
    technician (tess) does before capture and monitoring may use its values."""
    engine.masterdata.register_equipment(
        asset, "incubator", APPLICATION_URI, name, calibration_due, by="system"
    )
    engine.store.append(
        "device.accepted",
        {"role": "incubator", "serial": APPLICATION_URI, "asset": asset},
        actor="u:tess",
    )
    engine.masterdata.catch_up()
