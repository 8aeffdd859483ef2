"""A timer step that monitors the incubator: values on screen, a gap shown and recorded, never
filled in (issue "Values captured, not typed"). The station samples it, not the timer screen:
on other screens, on hold and after a restart (the time it did not run is a gap). A real
asyncua simulator on loopback."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from kiosk.clock import SimClock
from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator
from kiosk.screens.autopilot import settle, wait_until
from kiosk.screens.config import Metrics
from kiosk.screens.layoutcheck import check_layout
from local_store import EventStore
from tests.gui.conftest import Rig
from tests.gui.incubator import MONITOR_RECIPE, incubator_rig, kinds, samples_of, shown
from tests.incubator import accept_incubator, incubator_role

pytestmark = pytest.mark.gui
SCREENSHOTS = os.environ.get("KIOSK_TEST_SCREENSHOTS")  # a folder: save the timer step's PNGs


def station(qtbot, tmp_path: Path, sim: OpcuaSimulator, clock: SimClock | None = None) -> Rig:  # type: ignore[no-untyped-def]
    """The kiosk on the station database in `tmp_path` (again: a restart)."""
    role = incubator_role(sim, timeout=1)
    return incubator_rig(qtbot, tmp_path, role, ("monitor-demo", MONITOR_RECIPE), clock=clock)


def register(r: Rig, calibration_due: date = date(2027, 6, 30)) -> None:
    accept_incubator(r.kiosk.engine, "INC-02", "sim incubator", calibration_due)


@pytest.fixture
def rig(qtbot, tmp_path: Path) -> Iterator[tuple[Rig, OpcuaSimulator]]:  # type: ignore[no-untyped-def]
    with OpcuaSimulator() as sim:
        sim.set_value("Incubator.Temperature", 37.0)
        r = station(qtbot, tmp_path, sim)
        register(r)
        yield r, sim
        r.kiosk.close()


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
    wait_until(lambda: "Monitoring at" in shown(r, "monitor-values"))  # at the next second
    values = shown(r, "monitor-values")
    assert "temperature 37 °C (alert 36.5–37.5, action 36–38)" in values
    assert "co2 5 %" in values
    settle()
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
    wait_until(lambda: shown(r, "monitor-gap") == "")  # the screen shows it at its next second
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
    # stopping the timer stops the sampling
    key = (batch, "culture.incubate")
    assert key in r.window.monitoring.sampling()
    p.timer_stop()
    p.expect(key="culture.harvest")
    wait_until(lambda: key not in r.window.monitoring.sampling())
    settle()
    stopped = kinds(r, batch).count("monitor.samples")
    pause(0.8)  # four intervals
    assert kinds(r, batch).count("monitor.samples") == stopped


def pause(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() > deadline)


def test_the_station_samples_on_other_screens_and_on_hold(
    rig: tuple[Rig, OpcuaSimulator],
) -> None:
    """Fails with a sampler that belongs to the timer screen: leaving it stopped sampling."""
    r, _sim = rig
    p = r.pilot
    r.login("olivia")
    batch = p.start("monitor-demo", {})
    p.timer_start()
    wait_until(lambda: samples_of(r, batch) >= 2)
    r.window.findChild(QPushButton, "bar-home").click()
    assert r.window.current() is r.window.home
    before = samples_of(r, batch)
    wait_until(lambda: samples_of(r, batch) >= before + 3)  # Home is shown: still sampled
    # on hold the incubator still holds the cells: sampling goes on
    olivia = r.window.station.session
    r.kiosk.engine.hold(olivia, batch, "incubator door alarm")
    r.window.station.batch_changed.emit(batch)
    assert r.kiosk.engine.batch(batch).state == "on_hold"
    before = samples_of(r, batch)
    wait_until(lambda: samples_of(r, batch) >= before + 3)
    p.logout()  # nobody logged in: the station samples on
    before = samples_of(r, batch)
    wait_until(lambda: samples_of(r, batch) >= before + 2)
    assert "monitor.gap" not in kinds(r, batch)
    assert r.kiosk.engine.batch(batch).timer_started is not None  # the timer itself runs on


def test_a_restart_records_the_time_not_sampled_as_a_gap_and_resumes(
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with OpcuaSimulator() as sim:
        sim.set_value("Incubator.Temperature", 37.0)
        first = station(qtbot, tmp_path, sim)
        register(first)
        first.login("olivia")
        batch = first.pilot.start("monitor-demo", {})
        first.pilot.timer_start()
        wait_until(lambda: samples_of(first, batch) >= 2)
        first.kiosk.close()  # nothing more is written: the next samples are the new kiosk's
        store = EventStore(tmp_path / "station.sqlite", "GUI-1")
        try:
            last = [
                s["at"]
                for e in store.batch_history(batch)
                if e.type == "monitor.samples"
                for s in e.payload["samples"]
            ][-1]
        finally:
            store.close()
        # the station is down for a while; then a new kiosk on the same database
        first.clock.advance(timedelta(minutes=20))
        again = station(qtbot, tmp_path, sim, first.clock)
        try:
            before = samples_of(again, batch)
            wait_until(lambda: samples_of(again, batch) >= before + 2)  # nobody logged in
            gaps = [e.payload for e in again.kiosk.engine.history(batch) if e.type == "monitor.gap"]
            assert [g["reason"] for g in gaps] == ["station not running"] * 2
            assert gaps[0]["start"] == gaps[1]["start"] == last
            assert gaps[0]["end"] is None
            first_new = [
                s["at"]
                for e in again.kiosk.engine.history(batch)
                if e.type == "monitor.samples"
                for s in e.payload["samples"]
            ][before]
            assert gaps[1]["end"] == first_new
            assert (batch, "culture.incubate") in again.window.monitoring.sampling()
        finally:
            again.kiosk.close()


def test_an_incubator_out_of_calibration_gives_no_values_but_a_gap_and_an_exception(
    qtbot,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with OpcuaSimulator() as sim:
        r = station(qtbot, tmp_path, sim)
        try:
            register(r, calibration_due=date(2026, 11, 20))
            r.login("olivia")
            batch = r.pilot.start("monitor-demo", {})
            r.pilot.timer_start()
            wait_until(lambda: "monitor.gap" in kinds(r, batch))
            wait_until(lambda: shown(r, "monitor-gap") != "")
            reason = "incubator INC-02 calibration was due 2026-11-20"
            assert reason in shown(r, "monitor-gap")
            message, kind = r.pilot.message()  # the operator hears of the exception for QA
            assert message == (
                f"Batch {batch}: Incubation: {reason} — its values are not used "
                "(exception raised for review)"
            )
            assert kind == "refused"  # red, with the alarm's beeps
            assert "alarm" in r.kiosk.feedback.sounds
            settle()
            if SCREENSHOTS:
                r.window.grab().save(str(Path(SCREENSHOTS) / "monitored-timer-unqualified.png"))
            assert r.config is not None
            assert (
                check_layout("monitor-unqualified", r.window, Metrics.for_panel(r.config.panel))
                == []
            )
            raised = [
                e.payload for e in r.kiosk.engine.history(batch) if e.type == "exception.raised"
            ]
            assert [x["category"] for x in raised] == ["resource"]
            assert reason in raised[0]["message"]
            assert samples_of(r, batch) == 0
            pause(0.8)  # four more readings: still no value, no second exception
            assert samples_of(r, batch) == 0
            assert kinds(r, batch) == ["monitor.gap"]
            assert (
                len([e for e in r.kiosk.engine.history(batch) if e.type == "exception.raised"]) == 1
            )
        finally:
            r.kiosk.close()
