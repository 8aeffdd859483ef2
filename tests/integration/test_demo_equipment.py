"""`make demo`'s equipment: the reference recipe's capture and counter steps find what they need."""

from __future__ import annotations

from pathlib import Path

from kiosk.devices.cellcount import newest_matching
from kiosk.devices.demo_equipment import DEMO_EQUIPMENT, start_demo_equipment
from kiosk.devices.opcua import read_role
from kiosk.recipe import CaptureStep, EntryStep, load_recipe

ROOT = Path(__file__).resolve().parents[2]


def test_every_captured_value_of_the_reference_recipe_is_there_in_the_demo(tmp_path: Path) -> None:
    recipe = load_recipe(ROOT / "recipes" / "car-t-autologous.yaml").recipe
    steps = [step for _, step in recipe.steps()]
    equipment = start_demo_equipment(tmp_path / "counter")
    try:
        serials = {serial for _, _, serial, _ in DEMO_EQUIPMENT}
        captures = [s for s in steps if isinstance(s, CaptureStep)]
        assert {s.source.role for s in captures} == {"incubator", "storage_tank"}
        for step in captures:
            (reading,) = read_role(equipment.opcua[step.source.role], [step.source.node])
            assert reading.good, step.id
            assert reading.source in serials  # registered by the demo's seed
        storage = next(s for s in captures if s.id == "storage_temp")
        (tank,) = read_role(equipment.opcua["storage_tank"], ["temperature"])
        assert storage.action is not None
        assert tank.value <= storage.action[1]  # vapour-phase LN2: inside the specification
        counted = [s for s in steps if isinstance(s, EntryStep) and s.source is not None]
        assert counted
        assert equipment.cell_counter is not None
        count, refused = newest_matching(equipment.cell_counter.folder, ["G123417654321"])
        assert refused == []
        assert 80 <= count.viability_pct <= 100
    finally:
        equipment.stop()
