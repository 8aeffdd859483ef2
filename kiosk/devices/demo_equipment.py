"""The demo's process equipment: the OPC UA simulator and a cell counter's watched folder.

`make demo` (`kiosk gui --demo`) and the scripted screenshot tour start it so the
reference recipe's capture and counter steps work without a plant: the incubator
and the storage tank are read from `OpcuaSimulator` on loopback (security none,
written down as the configuration requires), and the counter's folder holds a
NucleoCounter NC-200 result for the demo bag's DIN (`G123417654321`, the order
of `kiosk.app.DEMO_ORDERS`), so every count step of the demo batch finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import CellCounter, OpcuaRole
from kiosk.devices.sim_opcua import FREEZER_SERIAL, INCUBATOR_SERIAL, TANK_SERIAL, OpcuaSimulator

DEMO_SAMPLE = "G123417654321-D0"
"""The sample ID on the demo's counter result: it holds the demo bag's DIN."""
DEMO_EQUIPMENT = (  # asset, kind, serial (as the equipment reports it), model
    ("INC-SIM", "incubator", INCUBATOR_SERIAL, "simulated CO2 incubator"),
    ("CRF-SIM", "freezer", FREEZER_SERIAL, "simulated controlled-rate freezer"),
    ("TANK-SIM", "freezer", TANK_SERIAL, "simulated LN2 vapour tank"),
)

DEMO_ROLES = {"incubator": INCUBATOR_SERIAL, "freezer": FREEZER_SERIAL, "storage_tank": TANK_SERIAL}
"""The demo's OPC UA roles and the identity accepted for each (as a technician would)."""


def nucleocounter_result(
    sample: str,
    *,
    viability: float = 91.4,
    live_per_ml: float = 8.5e6,
    dead_per_ml: float = 0.8e6,
    when: str = "20261127 071500",
) -> str:
    """A NucleoView NC-200 export of one result (the layout `kiosk.devices.cellcount` reads)."""
    return (
        "Viability and Cell Count Assay - CAR-T in-process count; ;\n"
        f"Image;20261127-0001-a-{sample};\n"
        "Operator;demo;\n"
        f"Viability (%);{viability};\n"
        f"Live (cells/ml);{live_per_ml:.3E};\n"
        f"Dead (cells/ml);{dead_per_ml:.3E};\n"
        f"Total (cells/ml);{live_per_ml + dead_per_ml:.3E};\n"
        "Instrument type;NucleoView NC-200\n"
        "Instrument s/n;s/n 9000201000000001\n"
        f"Date time;{when}\n"
        "Time zone offset;1\n"
        "//[00000000]\n"
    )


@dataclass
class DemoEquipment:
    """What the demo started: stop it when the kiosk closes."""

    simulator: OpcuaSimulator
    opcua: dict[str, OpcuaRole] = field(default_factory=dict)
    cell_counter: CellCounter | None = None

    def stop(self) -> None:
        self.simulator.stop()


def start_demo_equipment(folder: Path) -> DemoEquipment:
    """Start the simulator and fill the watched folder `folder` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    result = folder / f"NC200-{DEMO_SAMPLE}.csv"
    if not result.exists():
        result.write_text(nucleocounter_result(DEMO_SAMPLE), encoding="utf-8")
    simulator = OpcuaSimulator()
    simulator.start()
    endpoint = simulator.endpoint
    opcua = {
        "incubator": OpcuaRole(
            kind="incubator",
            endpoint=endpoint,
            security="none",
            serial_node="ns=2;s=Incubator.SerialNumber",
            nodes={
                "temperature": "ns=2;s=Incubator.Temperature",
                "co2": "ns=2;s=Incubator.CO2",
            },
        ),
        "freezer": OpcuaRole(
            kind="freezer",
            endpoint=endpoint,
            security="none",
            serial_node="ns=2;s=Freezer.SerialNumber",
            nodes={"chamber": "ns=2;s=Freezer.ChamberTemperature"},
        ),
        "storage_tank": OpcuaRole(
            kind="freezer",
            endpoint=endpoint,
            security="none",
            serial_node="ns=2;s=StorageTank.SerialNumber",
            nodes={"temperature": "ns=2;s=StorageTank.Temperature"},
        ),
    }
    counter = CellCounter(format="nucleocounter", folder=folder)
    return DemoEquipment(simulator, opcua, counter)
