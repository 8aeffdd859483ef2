"""A kiosk on the simulated OPC UA incubator (``tests.incubator``), shown, and what its monitored
timer step records: shared by the capture, monitoring and secured OPC UA screen tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel

from kiosk.clock import SimClock
from tests.gui.conftest import Rig, make_rig
from tests.incubator import accept_incubator

MONITOR_RECIPE = """
id: monitor-demo
version: 1
title: Monitored incubation
status: effective
stages:
  - id: culture
    steps:
      - id: incubate
        kind: timer
        title: Incubation
        maximum: 3 d
        monitor:
          role: incubator
          interval: 0.2 s
          nodes:
            temperature: {unit: °C, alert: [36.5, 37.5], action: [36, 38]}
            co2: {unit: "%", alert: [4.5, 5.5]}
      - id: harvest
        kind: instruction
"""


def incubator_rig(  # type: ignore[no-untyped-def]
    qtbot,
    tmp_path: Path,
    role: dict[str, Any],
    recipe: tuple[str, str],
    *,
    accept: str | None = None,
    clock: SimClock | None = None,
    extra: dict[str, object] | None = None,
) -> Rig:
    """The kiosk on the station database in ``tmp_path`` (again: a restart) with the incubator
    ``role`` and ``recipe`` (id, YAML) in its recipe folder; ``accept``: the incubator's asset
    ID, registered and accepted before the window shows; ``extra``: more configuration."""
    recipes = tmp_path / "recipes"
    recipes.mkdir(exist_ok=True)
    (recipes / f"{recipe[0]}.yaml").write_text(recipe[1], encoding="utf-8")
    r = make_rig(
        tmp_path,
        clock=clock,
        recipes=recipes,
        extra={"opcua": {"incubator": role}, **(extra or {})},
    )
    if accept is not None:
        accept_incubator(r.kiosk.engine, accept)
    qtbot.addWidget(r.window)
    r.window.show()
    qtbot.waitExposed(r.window)
    return r


def shown(rig: Rig, name: str) -> str:
    """The text of the last visible label ``name`` of the step screen ("" when none)."""
    found = [w for w in rig.window.step.findChildren(QLabel, name) if w.isVisibleTo(rig.window)]
    return found[-1].text() if found else ""


def kinds(rig: Rig, batch: str) -> list[str]:
    return [e.type for e in rig.kiosk.engine.history(batch) if e.type.startswith("monitor.")]


def samples_of(r: Rig, batch: str) -> int:
    return sum(
        len(e.payload["samples"])
        for e in r.kiosk.engine.history(batch)
        if e.type == "monitor.samples"
    )
