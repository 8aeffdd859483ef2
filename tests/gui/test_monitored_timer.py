"""A timer step that monitors the incubator: values on screen, a gap shown and recorded, never
filled in (issue "Values captured, not typed"). A real asyncua simulator on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator
from kiosk.screens.autopilot import settle, wait_until
from kiosk.screens.config import Metrics
from kiosk.screens.layoutcheck import check_layout
from tests.gui.conftest import Rig, make_rig

pytestmark = pytest.mark.gui
SCREENSHOTS = os.environ.get("KIOSK_TEST_SCREENSHOTS")  # a folder: save the timer step's PNGs

RECIPE = """
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


@pytest.fixture
def rig(qtbot, tmp_path: Path) -> Iterator[tuple[Rig, OpcuaSimulator]]:  # type: ignore[no-untyped-def]
    recipes = tmp_path / "recipes"
    recipes.mkdir()
    (recipes / "monitor-demo.yaml").write_text(RECIPE, encoding="utf-8")
    with OpcuaSimulator() as sim:
        sim.set_value("Incubator.Temperature", 37.0)
        r = make_rig(
            tmp_path,
            recipes=recipes,
            extra={
                "opcua": {
                    "incubator": {
                        "kind": "incubator",
                        "endpoint": sim.endpoint,
                        "security": "none",
                        "timeout": 1,
                        "nodes": {
                            "temperature": "ns=2;s=Incubator.Temperature",
                            "co2": "ns=2;s=Incubator.CO2",
                        },
                    }
                }
            },
        )
        qtbot.addWidget(r.window)
        r.window.show()
        qtbot.waitExposed(r.window)
        yield r, sim
        r.kiosk.close()


def shown(rig: Rig, name: str) -> str:
    found = [w for w in rig.window.step.findChildren(QLabel, name) if w.isVisibleTo(rig.window)]
    return found[-1].text() if found else ""


def kinds(rig: Rig, batch: str) -> list[str]:
    return [e.type for e in rig.kiosk.engine.history(batch) if e.type.startswith("monitor.")]


def test_the_timer_shows_the_readings_and_the_gap_and_records_no_invented_values(
    rig: tuple[Rig, OpcuaSimulator],
) -> None:
    r, sim = rig
    p = r.pilot
    r.login("olivia")
    batch = p.start("monitor-demo", {})
    assert "Monitoring incubator every 0.2 s" in shown(r, "monitor-values")
    p.timer_start()
    wait_until(lambda: kinds(r, batch).count("monitor.samples") >= 3)
    values = shown(r, "monitor-values")
    assert "temperature 37 °C (alert 36.5–37.5, action 36–38)" in values
    assert "co2 5 %" in values
    assert r.config is not None
    assert check_layout("monitor", r.window, Metrics.for_panel(r.config.panel)) == []
    # the incubator drops off the network: a gap on screen and in the record
    sim.drop()
    wait_until(lambda: "monitor.gap" in kinds(r, batch))
    wait_until(lambda: shown(r, "monitor-gap") != "")
    assert shown(r, "monitor-gap").startswith("No readings since ")
    settle()
    if SCREENSHOTS:
        r.window.grab().save(str(Path(SCREENSHOTS) / "monitored-timer-gap.png"))
    assert check_layout("monitor-gap", r.window, Metrics.for_panel(r.config.panel)) == []
    assert "cannot reach" in shown(r, "monitor-gap") or "no answer" in shown(r, "monitor-gap")
    during = kinds(r, batch).count("monitor.samples")
    sim.restart()
    wait_until(lambda: kinds(r, batch).count("monitor.samples") >= during + 2)
    assert shown(r, "monitor-gap") == ""
    events = [e for e in r.kiosk.engine.history(batch) if e.type.startswith("monitor.")]
    gaps = [e.payload for e in events if e.type == "monitor.gap"]
    assert gaps[0]["end"] is None
    assert gaps[-1]["end"] is not None
    assert gaps[-1]["start"] == gaps[0]["start"]
    # between the gap opening and closing: no sample at all (nothing filled in)
    opened = next(i for i, e in enumerate(events) if e.type == "monitor.gap")
    closed = max(i for i, e in enumerate(events) if e.type == "monitor.gap")
    assert all(e.type == "monitor.gap" for e in events[opened : closed + 1])
    samples = [s for e in events if e.type == "monitor.samples" for s in e.payload["samples"]]
    assert {s["values"]["temperature"] for s in samples} == {37.0}
    assert {e.payload["device"] for e in events if e.type == "monitor.samples"} == {APPLICATION_URI}
    # stopping the timer stops the sampling (the leak check fails a running sampler)
    sampler = r.window.step.panel.sampler  # type: ignore[union-attr]
    assert sampler is not None
    assert sampler.running
    p.timer_stop()
    p.expect(key="culture.harvest")
    wait_until(lambda: not sampler.running)


def test_leaving_the_batch_stops_the_sampling(rig: tuple[Rig, OpcuaSimulator]) -> None:
    r, _sim = rig
    p = r.pilot
    r.login("olivia")
    batch = p.start("monitor-demo", {})
    p.timer_start()
    wait_until(lambda: kinds(r, batch).count("monitor.samples") >= 2)
    sampler = r.window.step.panel.sampler  # type: ignore[union-attr]
    assert sampler is not None
    assert sampler.running
    r.window.findChild(QPushButton, "bar-home").click()
    wait_until(lambda: not sampler.running)  # the worker has finished: nothing more can come
    assert r.kiosk.engine.batch(batch).timer_started is not None  # the timer itself runs on
