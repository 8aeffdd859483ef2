"""Monitoring during timer steps: samples and gaps recorded, excursions raise one exception."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from central.authority import check
from kiosk.engine import ActionRefused, Captured, Engine, MonitorGap, MonitorSample
from kiosk.engine.monitoring import RESTARTED
from kiosk.recipe import TimerStep, load_recipe
from tests.unit.conftest import Station

RECIPE = """
id: monitor-demo
version: 1
title: Monitored incubation
status: effective
stages:
  - id: culture
    steps:
      - id: seed
        kind: instruction
      - id: incubate
        kind: timer
        title: Incubation
        minimum: 1 h
        monitor:
          role: incubator
          interval: 5 min
          nodes:
            temperature: {unit: °C, alert: [36.5, 37.5], action: [36, 38]}
            co2: {unit: "%", alert: [4.5, 5.5]}
      - id: harvest
        kind: instruction
"""

SOURCE = "urn:sim:incubator:INC-1"
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


def tick(minutes: int, temperature: float, co2: float = 5.0, status: str = "Good") -> MonitorSample:
    at = NOW + timedelta(minutes=minutes)
    return MonitorSample(
        at,
        {
            "temperature": Captured(temperature, "°C", at, SOURCE, status, "ns=2;s=T"),
            "co2": Captured(co2, "%", at, SOURCE, "Good", "ns=2;s=C"),
        },
    )


def from_source(sample: MonitorSample, source: str) -> MonitorSample:
    """`sample` as if another device (`source`) had answered."""
    return MonitorSample(
        sample.at,
        {
            n: Captured(r.value, r.unit, r.timestamp, source, r.status, r.node)
            for n, r in sample.readings.items()
        },
    )


@pytest.fixture
def engine(station: Station, tmp_path: Path) -> Engine:
    path = tmp_path / "monitor-demo.yaml"
    path.write_text(RECIPE, encoding="utf-8")
    loaded = load_recipe(path)
    step = loaded.recipe.stages[0].steps[1]
    assert isinstance(step, TimerStep)
    assert step.monitor is not None
    assert step.monitor.every == timedelta(minutes=5)
    station.engine.add_recipe(loaded)
    station.engine.masterdata.register_equipment(
        "INC-1", "incubator", SOURCE, "sim incubator", date(2027, 6, 30), by="system"
    )
    station.engine.store.append(  # accepted for its role by a technician
        "device.accepted", {"role": "incubator", "serial": SOURCE, "asset": "INC-1"}, actor="u:tess"
    )
    station.engine.masterdata.catch_up()
    return station.engine


def at_timer(station: Station, engine: Engine, *, started: bool = True) -> str:
    olivia = station.login("olivia")
    batch = engine.start_batch(olivia, "monitor-demo", {}, batch_id="B-MON-1")
    engine.confirm(olivia, batch)
    if started:
        engine.timer_start(olivia, batch)
    return batch


def events(station: Station, batch: str, kind: str) -> list[dict[str, object]]:
    return [e.payload for e in station.engine.history(batch) if e.type == kind]


def test_samples_are_stored_with_units_source_and_times(station: Station, engine: Engine) -> None:
    batch = at_timer(station, engine)
    engine.record_monitoring(batch, "culture.incubate", [tick(0, 37.0)])
    (payload,) = events(station, batch, "monitor.samples")
    assert payload["device"] == SOURCE
    assert payload["units"] == {"temperature": "°C", "co2": "%"}
    (sample,) = payload["samples"]  # type: ignore[misc]
    assert sample["values"] == {"temperature": 37.0, "co2": 5.0}
    assert sample["at"] == "2026-11-27T07:00:00.000Z"
    assert sample["source_timestamps"]["temperature"] == "2026-11-27T07:00:00.000Z"
    assert engine.batch(batch).exceptions == {}


def test_an_excursion_raises_one_exception_not_one_per_sample(
    station: Station, engine: Engine
) -> None:
    batch = at_timer(station, engine)
    step = "culture.incubate"
    engine.record_monitoring(batch, step, [tick(0, 37.0), tick(5, 37.8), tick(10, 37.9)])
    state = engine.batch(batch)
    (alert,) = state.exceptions.values()
    assert (alert.category, alert.severity, alert.blocking) == ("value", "minor", False)
    assert "temperature 37.8 °C" in alert.message
    assert "alert limits" in alert.message
    assert state.state == "in_progress"
    # worse: past the action limits -> one blocking exception; the batch goes on hold
    engine.record_monitoring(batch, step, [tick(15, 38.4), tick(20, 38.6)])
    engine.record_monitoring(batch, step, [tick(25, 38.7)])
    state = engine.batch(batch)
    action = [x for x in state.exceptions.values() if x.blocking]
    assert len(action) == 1
    assert len(state.exceptions) == 2
    assert "action limits 36–38 °C" in action[0].message
    assert state.state == "on_hold"
    # still recorded while on hold (the incubator goes on); a bad status keeps the excursion
    engine.record_monitoring(batch, step, [tick(30, 0.0, status="BadSensorFailure")])
    engine.record_monitoring(batch, step, [tick(35, 38.5)])
    assert len(engine.batch(batch).exceptions) == 2
    # back inside, then out again: a new excursion, a new exception
    engine.record_monitoring(batch, step, [tick(40, 37.0), tick(45, 36.2)])
    assert len(engine.batch(batch).exceptions) == 3
    bad = events(station, batch, "monitor.samples")[3]["samples"][0]  # type: ignore[index]
    assert bad["values"]["temperature"] is None
    assert bad["status"]["temperature"] == "BadSensorFailure"
    # the excursion state comes back from the log
    engine.forget(batch)
    engine.record_monitoring(batch, step, [tick(50, 36.1)])
    assert len(engine.batch(batch).exceptions) == 3


def test_a_gap_is_recorded_with_its_reason_and_no_values(station: Station, engine: Engine) -> None:
    batch = at_timer(station, engine)
    step = "culture.incubate"
    engine.record_monitoring(batch, step, [tick(0, 37.0)])
    opened = MonitorGap(NOW + timedelta(minutes=5), "cannot reach opc.tcp://inc:4840")
    engine.record_monitoring(batch, step, gaps=[opened])
    closed = MonitorGap(opened.start, opened.reason, NOW + timedelta(minutes=20))
    engine.record_monitoring(batch, step, [tick(20, 37.1)], [closed])
    gaps = events(station, batch, "monitor.gap")
    assert [g["end"] for g in gaps] == [None, "2026-11-27T07:20:00.000Z"]
    assert {g["reason"] for g in gaps} == {"cannot reach opc.tcp://inc:4840"}
    # the server takes these events from the station (authority map)
    pushed = [e for e in station.engine.history(batch) if e.type.startswith("monitor.")]
    assert len(pushed) == 4
    assert all(check(e) is None for e in pushed)
    times = [s["at"] for p in events(station, batch, "monitor.samples") for s in p["samples"]]  # type: ignore[attr-defined]
    assert times == ["2026-11-27T07:00:00.000Z", "2026-11-27T07:20:00.000Z"]


def test_monitoring_is_refused_outside_the_running_timer(station: Station, engine: Engine) -> None:
    olivia = station.login("olivia")
    batch = at_timer(station, engine, started=False)
    step = "culture.incubate"
    with pytest.raises(ActionRefused, match="the timer is not running"):
        engine.record_monitoring(batch, step, [tick(0, 37.0)])
    with pytest.raises(ActionRefused, match=r"culture\.seed: that step is not running"):
        engine.record_monitoring(batch, "culture.seed", [tick(0, 37.0)])
    other = engine.start_batch(olivia, "monitor-demo", {}, batch_id="B-MON-2")
    with pytest.raises(ActionRefused, match="the step monitors no equipment"):
        engine.record_monitoring(other, "culture.seed", [tick(0, 37.0)])
    engine.timer_start(olivia, batch)
    with pytest.raises(ActionRefused, match="nothing to record"):
        engine.record_monitoring(batch, step)
    station.clock.advance(timedelta(hours=1, minutes=1))
    engine.timer_stop(station.login("olivia"), batch)
    with pytest.raises(ActionRefused, match="that step is not running"):
        engine.record_monitoring(batch, step, [tick(61, 37.0)])
    assert events(station, batch, "monitor.samples") == []


def test_a_value_in_another_unit_is_converted_or_kept_out(station: Station, engine: Engine) -> None:
    batch = at_timer(station, engine)
    at = NOW
    sample = MonitorSample(
        at,
        {
            "temperature": Captured(37.0, "mL", at, SOURCE),
            "co2": Captured(0.05, "1", at, SOURCE),
        },
    )
    odd = MonitorSample(at, {"temperature": Captured("hot", "°C", at, SOURCE)})  # type: ignore[arg-type]
    engine.record_monitoring(batch, "culture.incubate", [sample, odd])
    (payload,) = events(station, batch, "monitor.samples")
    row, strange = payload["samples"]  # type: ignore[misc]
    assert strange["status"] == {"temperature": "not a number: 'hot'", "co2": "not read"}
    assert row["values"]["co2"] == pytest.approx(5.0)
    assert row["values"]["temperature"] is None
    assert row["status"]["temperature"] == "in mL, not °C"


def test_the_batch_record_plots_the_series_with_limits_and_the_gap(
    station: Station, engine: Engine, tmp_path: Path
) -> None:
    import shutil
    import subprocess

    pypdf = pytest.importorskip("pypdf")
    from PIL import Image

    from kiosk.ebr import load_record, write_pdf

    batch = at_timer(station, engine)
    step = "culture.incubate"
    engine.record_monitoring(batch, step, [tick(m, 37.0 + m / 100) for m in range(0, 30, 5)])
    gap = MonitorGap(NOW + timedelta(minutes=30), "cannot reach opc.tcp://inc:4840")
    engine.record_monitoring(batch, step, gaps=[gap])
    closed = MonitorGap(gap.start, gap.reason, NOW + timedelta(minutes=45))
    engine.record_monitoring(batch, step, [tick(45, 37.6), tick(50, 37.2)], [closed])
    station.clock.advance(timedelta(hours=1, minutes=1))
    engine.timer_stop(station.login("olivia"), batch)
    out = tmp_path / "monitored.pdf"
    write_pdf(load_record(station.store, batch, tmp_path), out)
    text = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(str(out)).pages).split()
    )
    assert (
        "Monitoring during Incubation (culture.incubate): incubator (urn:sim:incubator:INC-1)"
        in text
    )
    assert "temperature (°C)" in text
    assert "co2 (%)" in text
    assert "alert limits 36.5 / 37.5" in text
    assert "action limits 36 / 38" in text
    assert "2026-11-27 07:30–07:45 UTC (15 min): cannot reach opc.tcp://inc:4840" in text
    assert "1 gap(s) shaded" in text
    # the picture: the gap is a shaded band in the plot
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(tmp_path / "page")], check=True)
    shaded = 0
    for png in sorted(tmp_path.glob("page*.png")):
        with Image.open(png) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
            shaded += sum(n for n, rgb in colours if rgb == (0xE4, 0xE4, 0xE4))
    assert shaded > 200


def test_readings_of_an_incubator_out_of_calibration_are_a_gap_and_one_exception(
    station: Station, engine: Engine
) -> None:
    batch = at_timer(station, engine)
    step = "culture.incubate"
    engine.masterdata.register_equipment(
        "INC-02", "incubator", "urn:sim:incubator:INC-2", "old", date(2026, 11, 20), by="system"
    )

    def from_inc2(minutes: int) -> MonitorSample:
        sample = tick(minutes, 37.0)
        readings = {
            node: Captured(
                r.value, r.unit, r.timestamp, "urn:sim:incubator:INC-2", r.status, r.node
            )
            for node, r in sample.readings.items()
        }
        return MonitorSample(sample.at, readings)

    engine.record_monitoring(batch, step, [tick(0, 37.0)])
    for minutes in (5, 10, 15):
        engine.record_monitoring(batch, step, [from_inc2(minutes)])
    reason = "incubator INC-02 calibration was due 2026-11-20 — its values are not used"
    assert events(station, batch, "monitor.gap") == [
        {
            "step": step,
            "role": "incubator",
            "start": "2026-11-27T07:05:00.000Z",
            "end": None,
            "reason": reason,
        }
    ]
    raised = events(station, batch, "exception.raised")
    assert [(x["category"], x["severity"], x["blocking"]) for x in raised] == [
        ("resource", "major", False)
    ]
    assert "Incubation: incubator INC-02 calibration was due 2026-11-20" in str(
        raised[0]["message"]
    )
    assert len(events(station, batch, "monitor.samples")) == 1  # only the qualified one
    # calibrated again, but another device than the one accepted as incubator: still a gap
    engine.masterdata.calibrate("INC-02", date(2027, 11, 20), by="system", certificate="CAL-9")
    engine.record_monitoring(batch, step, [from_inc2(17)])
    assert events(station, batch, "monitor.gap")[-1]["end"] is None
    assert len(events(station, batch, "monitor.samples")) == 1
    # a technician accepts it for the role: the next reading closes the gap and is taken
    accepted = {"role": "incubator", "serial": "urn:sim:incubator:INC-2", "asset": "INC-02"}
    station.store.append("device.accepted", accepted, actor="u:tess")
    engine.masterdata.catch_up()
    engine.record_monitoring(batch, step, [from_inc2(20)])
    gaps = events(station, batch, "monitor.gap")
    # the calibration gap ended when the reason changed; the acceptance gap ends now
    assert gaps[-1]["start"] == "2026-11-27T07:17:00.000Z"
    assert gaps[-1]["end"] == "2026-11-27T07:20:00.000Z"
    assert "a technician must accept it" in gaps[-1]["reason"]
    assert len(events(station, batch, "monitor.samples")) == 2
    assert len(events(station, batch, "exception.raised")) == 2  # one per reason


def test_readings_of_equipment_not_accepted_for_the_role_are_a_gap_and_one_exception(
    station: Station, engine: Engine
) -> None:
    batch = at_timer(station, engine)
    step = "culture.incubate"
    engine.masterdata.register_equipment(
        "INC-05", "incubator", "urn:sim:incubator:INC-5", "new", date(2027, 6, 30), by="system"
    )
    unaccepted = from_source(tick(0, 37.0), "urn:sim:incubator:INC-5")
    engine.record_monitoring(batch, step, [unaccepted])
    reason = (
        "incubator a different device (INC-05, urn:sim:incubator:INC-5) answers as incubator: "
        "a technician must accept it — its values are not used"
    )
    (gap,) = events(station, batch, "monitor.gap")
    assert (gap["reason"], gap["end"]) == (reason, None)
    (raised,) = events(station, batch, "exception.raised")
    assert (raised["category"], raised["severity"], raised["blocking"]) == (
        "resource",
        "major",
        False,
    )
    assert events(station, batch, "monitor.samples") == []


def test_a_problem_carried_over_a_restart_is_not_reported_to_qa_again(
    station: Station, engine: Engine
) -> None:
    """The station stopped while equipment not accepted for the role was answering; at restart
    the open gap goes on ("…; then the station was not running"). The same equipment, still not
    accepted, answering after the restart is the same problem: a gap, no second exception. Once
    it ends (a qualified reading), the problem coming back is reported again."""
    batch = at_timer(station, engine)
    step = "culture.incubate"
    engine.masterdata.register_equipment(
        "INC-05", "incubator", "urn:sim:incubator:INC-5", "new", date(2027, 6, 30), by="system"
    )

    def unaccepted(minutes: int) -> MonitorSample:
        return from_source(tick(minutes, 37.0), "urn:sim:incubator:INC-5")

    engine.record_monitoring(batch, step, [unaccepted(0)])
    (gap,) = events(station, batch, "monitor.gap")
    opened = MonitorGap(datetime.fromisoformat(str(gap["start"])), str(gap["reason"]) + RESTARTED)
    engine.record_monitoring(batch, step, gaps=[opened])  # what the restarted station records
    engine.record_monitoring(batch, step, [unaccepted(5)])
    assert len(events(station, batch, "exception.raised")) == 1
    gaps = events(station, batch, "monitor.gap")
    assert gaps[-2]["reason"] == str(gap["reason"]) + RESTARTED
    assert gaps[-2]["end"] == "2026-11-27T07:05:00.000Z"  # the restart gap ends at the reading
    assert (gaps[-1]["reason"], gaps[-1]["end"]) == (gap["reason"], None)
    engine.record_monitoring(batch, step, [tick(10, 37.0), unaccepted(15)])
    assert len(events(station, batch, "monitor.samples")) == 1  # the accepted device's reading
    assert len(events(station, batch, "exception.raised")) == 2  # it came back: reported again


def test_readings_of_unregistered_equipment_are_not_taken(station: Station, engine: Engine) -> None:
    batch = at_timer(station, engine)
    sample = tick(0, 37.0)
    stranger = MonitorSample(
        sample.at,
        {
            n: Captured(r.value, r.unit, r.timestamp, "urn:elsewhere", r.status, r.node)
            for n, r in sample.readings.items()
        },
    )
    engine.record_monitoring(batch, "culture.incubate", [stranger])
    assert events(station, batch, "monitor.samples") == []
    (gap,) = events(station, batch, "monitor.gap")
    assert str(gap["reason"]).startswith("incubator equipment urn:elsewhere is not registered")
