"""The station's sampler without Qt: it samples every running monitored timer step of the
batches the station holds (on hold too), stops with the timer or the batch, and after a
restart records the time it did not sample as a gap. A real asyncua simulator on loopback."""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.auth import Session
from kiosk.config import OpcuaRole
from kiosk.devices.sim_opcua import OpcuaSimulator
from kiosk.engine import Engine
from kiosk.monitoring_service import NOT_RUNNING, StationMonitoring, running_monitors
from kiosk.recipe import load_recipe
from tests.incubator import accept_incubator, incubator_role
from tests.unit.conftest import Station, make_station

RECIPE = """
id: monitor-fast
version: 1
title: Monitored incubation
status: effective
stages:
  - id: culture
    steps:
      - id: incubate
        kind: timer
        title: Incubation
        monitor:
          role: incubator
          interval: 0.2 s
          nodes:
            temperature: {unit: °C, alert: [36.5, 37.5]}
      - id: harvest
        kind: instruction
"""
STEP = "culture.incubate"


class UiThread:
    """What the Qt window does: run what the sampler posts, here on the test's thread."""

    def __init__(self) -> None:
        self.posted: queue.Queue[Callable[[], None]] = queue.Queue()

    def post(self, fn: Callable[[], None]) -> None:
        self.posted.put(fn)

    def run_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            with contextlib.suppress(queue.Empty):
                self.posted.get(timeout=0.05)()


@pytest.fixture
def sim() -> Iterator[OpcuaSimulator]:
    with OpcuaSimulator() as found:
        found.set_value("Incubator.Temperature", 37.0)
        yield found


@dataclass
class Monitored:
    """A station holding the monitored recipe, the simulator accepted as its incubator, olivia
    logged in; the samplers it made are stopped when the test ends."""

    station: Station
    roles: dict[str, OpcuaRole]
    olivia: Session
    ui: UiThread = field(default_factory=UiThread)
    made: list[StationMonitoring] = field(default_factory=list)

    @property
    def engine(self) -> Engine:
        return self.station.engine

    def start(self, batch_id: str = "B-1") -> str:
        return self.engine.start_batch(self.olivia, "monitor-fast", {}, batch_id=batch_id)

    def sampler(self, roles: dict[str, OpcuaRole] | None = None) -> StationMonitoring:
        """A sampler (the station's, or after a restart) of ``roles``, else the simulator's."""
        configured = self.roles if roles is None else roles
        made = StationMonitoring(self.engine, lambda: configured, self.station.clock, self.ui.post)
        self.made.append(made)
        return made


@pytest.fixture
def monitored(tmp_path: Path, sim: OpcuaSimulator) -> Iterator[Monitored]:
    station = make_station(tmp_path / "station.sqlite", "TEST-1")
    (tmp_path / "monitor-fast.yaml").write_text(RECIPE, encoding="utf-8")
    station.engine.add_recipe(load_recipe(tmp_path / "monitor-fast.yaml"))
    accept_incubator(station.engine, "INC-SIM", "sim")
    role = OpcuaRole.model_validate(incubator_role(sim, timeout=1, co2=False))
    found = Monitored(station, {"incubator": role}, station.login("olivia"))
    yield found
    for made in found.made:
        made.stop()


def samples(station: Station, batch: str) -> list[str]:
    return [
        s["at"]
        for e in station.engine.history(batch)
        if e.type == "monitor.samples"
        for s in e.payload["samples"]
    ]


def test_every_running_monitored_timer_is_sampled_on_hold_too_and_stops_with_it(
    monitored: Monitored,
) -> None:
    station, engine, olivia, ui = (
        monitored.station,
        monitored.engine,
        monitored.olivia,
        monitored.ui,
    )
    first, second = monitored.start("B-1"), monitored.start("B-2")
    idle = monitored.start("B-3")  # timer not started
    sampler = monitored.sampler()
    engine.timer_start(olivia, first)
    engine.timer_start(olivia, second)
    assert {(r.batch, r.step) for r in running_monitors(engine)} == {(first, STEP), (second, STEP)}
    sampler.sync()
    ui.run_until(lambda: len(samples(station, first)) >= 2 and len(samples(station, second)) >= 2)
    engine.hold(olivia, second, "door alarm")
    sampler.sync()
    held = len(samples(station, second))
    ui.run_until(lambda: len(samples(station, second)) >= held + 2)  # on hold: sampled on
    status = sampler.status(second, STEP)
    assert status is not None
    assert status.sample is not None
    assert status.sample.readings["temperature"].value == 37.0
    engine.timer_stop(olivia, first)
    engine.abort(olivia, second, station.creds("sam"), "contaminated")
    sampler.sync()
    ui.run_until(lambda: sampler.sampling() == [])
    assert samples(station, idle) == []
    assert not [e for e in engine.history(first) if e.type == "monitor.gap"]


def test_after_a_restart_the_time_not_sampled_is_a_gap_closed_by_the_first_reading(
    monitored: Monitored,
) -> None:
    station, engine, ui = monitored.station, monitored.engine, monitored.ui
    batch = monitored.start()
    before = monitored.sampler()
    engine.timer_start(monitored.olivia, batch)  # while the station runs: no gap
    before.sync()
    ui.run_until(lambda: len(samples(station, batch)) >= 2)
    before.stop()
    last = samples(station, batch)[-1]
    station.clock.advance(timedelta(hours=2))  # the station is off
    after = monitored.sampler()
    after.sync()
    gaps = [e.payload for e in engine.history(batch) if e.type == "monitor.gap"]
    assert gaps == [
        {"step": STEP, "role": "incubator", "start": last, "end": None, "reason": NOT_RUNNING}
    ]
    status = after.status(batch, STEP)
    assert status is not None
    assert [g.reason for g in status.gaps] == [NOT_RUNNING]
    count = len(samples(station, batch))
    ui.run_until(lambda: len(samples(station, batch)) > count)
    gaps = [e.payload for e in engine.history(batch) if e.type == "monitor.gap"]
    assert gaps[-1]["start"] == last
    assert gaps[-1]["end"] == samples(station, batch)[count]
    assert status.gaps == []


def test_equipment_not_configured_here_is_a_recorded_gap_not_silence(
    monitored: Monitored,
) -> None:
    engine = monitored.engine
    batch = monitored.start()
    sampler = monitored.sampler(roles={})
    engine.timer_start(monitored.olivia, batch)
    sampler.sync()
    status = sampler.status(batch, STEP)
    assert status is not None
    assert status.problem == "no equipment incubator is configured at this station"
    (gap,) = [e.payload for e in engine.history(batch) if e.type == "monitor.gap"]
    assert gap["reason"] == status.problem
    assert gap["end"] is None
    sampler.sync()  # said once
    assert len([e for e in engine.history(batch) if e.type == "monitor.gap"]) == 1


def test_a_batch_handed_to_another_station_is_no_longer_sampled_here(
    monitored: Monitored,
) -> None:
    station, engine = monitored.station, monitored.engine
    batch = monitored.start()
    sampler = monitored.sampler()
    engine.timer_start(monitored.olivia, batch)
    sampler.sync()
    monitored.ui.run_until(lambda: len(samples(station, batch)) >= 2)
    engine.owner_of = lambda _batch: "TEST-2"  # the other station took it over
    sampler.sync()
    monitored.ui.run_until(lambda: sampler.sampling() == [])
    assert running_monitors(engine) == []
    assert sampler.status(batch, STEP) is None
