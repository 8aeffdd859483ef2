"""Monitoring a timer step from the real asyncua simulator into the engine: samples, a gap
while the equipment is off the network (nothing invented), samples again when it is back."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from kiosk.devices.opcua import Gap, OpcuaEndpoint, OpcuaSecurity, Sample, sample_series_async
from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator
from kiosk.engine import MonitorGap
from kiosk.monitoring_service import as_monitor_sample
from kiosk.recipe import load_recipe
from tests.incubator import accept_incubator
from tests.unit.conftest import make_station
from tests.unit.test_monitoring import RECIPE

NODES = {"temperature": "ns=2;s=Incubator.Temperature", "co2": "ns=2;s=Incubator.CO2"}


def test_a_dropped_incubator_is_a_recorded_gap_and_sampling_resumes(tmp_path: Path) -> None:
    station = make_station(tmp_path / "station.sqlite", "TEST-1")
    (tmp_path / "monitor-demo.yaml").write_text(RECIPE, encoding="utf-8")
    engine = station.engine
    engine.add_recipe(load_recipe(tmp_path / "monitor-demo.yaml"))
    accept_incubator(engine, "INC-SIM")
    olivia = station.login("olivia")
    batch = engine.start_batch(olivia, "monitor-demo", {}, batch_id="B-MON-9")
    engine.confirm(olivia, batch)
    engine.timer_start(olivia, batch)
    step = "culture.incubate"
    with OpcuaSimulator() as sim:
        sim.set_value("Incubator.Temperature", 37.8)  # outside the alert limits all along
        timers: list[threading.Timer] = []
        stop: list[asyncio.Event] = []
        seen: list[int] = []
        open_gaps: list[Gap] = []

        def on_gap(gap: Gap) -> None:
            open_gaps.append(gap)
            engine.record_monitoring(batch, step, gaps=[MonitorGap(gap.start, gap.reason)])
            timer = threading.Timer(1.0, sim.restart)
            timers.append(timer)
            timer.start()

        def on_sample(sample: Sample) -> None:
            closed = [MonitorGap(g.start, g.reason, g.end) for g in open_gaps if g.end]
            open_gaps[:] = [g for g in open_gaps if g.end is None]
            engine.record_monitoring(batch, step, [as_monitor_sample(sample)], closed)
            seen.append(1)
            if len(seen) == 3:
                sim.drop()
            if len(seen) == 6:
                stop[0].set()

        async def run() -> None:
            stop.append(asyncio.Event())
            endpoint = OpcuaEndpoint(sim.endpoint, OpcuaSecurity("none"), timeout=1.0)
            await sample_series_async(
                endpoint,
                NODES,
                interval=0.2,
                count=200,
                backoff=(0.2, 0.4),
                on_sample=on_sample,
                on_gap=on_gap,
                stop=stop[0],
            )

        asyncio.run(run())
        for timer in timers:
            timer.join()
    events = [e for e in engine.history(batch) if e.type.startswith("monitor.")]
    assert [e.type for e in events] == [
        *["monitor.samples"] * 3,
        "monitor.gap",
        "monitor.gap",
        *["monitor.samples"] * 3,
    ]
    opened, closed = events[3].payload, events[4].payload
    assert opened["end"] is None
    assert closed["start"] == opened["start"]
    assert closed["end"] is not None
    assert "cannot reach" in closed["reason"] or "no answer" in closed["reason"]
    samples = [s for e in events if e.type == "monitor.samples" for s in e.payload["samples"]]
    assert {s["values"]["temperature"] for s in samples} == {37.8}  # nothing filled in
    assert {e.payload["device"] for e in events if e.type == "monitor.samples"} == {APPLICATION_URI}
    # one excursion (outside the alert limits the whole time, gap included): one exception
    (alert,) = engine.batch(batch).exceptions.values()
    assert "temperature 37.8 °C" in alert.message


def test_a_stop_ends_the_wait_at_once_not_after_the_interval() -> None:
    with OpcuaSimulator() as sim:
        got: list[Sample] = []

        async def run() -> int:
            stop = asyncio.Event()

            def on_sample(sample: Sample) -> None:
                got.append(sample)
                stop.set()

            endpoint = OpcuaEndpoint(sim.endpoint, OpcuaSecurity("none"), timeout=1.0)
            series = await sample_series_async(
                endpoint, NODES, interval=3600, count=3, on_sample=on_sample, stop=stop
            )
            return len(series.samples)

        # an hour's interval: without the stop waking the wait, this would hang (test timeout)
        assert asyncio.run(run()) == 1
    assert len(got) == 1
