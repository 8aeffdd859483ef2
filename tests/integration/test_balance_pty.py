"""Balance drivers against their simulators on real ptys, through SerialTransport.

Every scenario of every protocol: the driver gives a reading or one
DeviceError of the right kind, in bounded time; an unplugged balance shows up
as "unplugged" while a read is waiting, and the driver opened again on the
new pty recognises the balance by its serial number. No thread or descriptor
outlives a test.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from kiosk.devices.and_gf import AndBalance
from kiosk.devices.balance import Balance
from kiosk.devices.errors import DeviceError
from kiosk.devices.mt_sics import MtSicsBalance
from kiosk.devices.sbi import SbiBalance
from kiosk.devices.sim_balance import (
    AndSimulator,
    BalanceSimulator,
    MtSicsSimulator,
    SbiSimulator,
    SimOptions,
)
from kiosk.devices.transport import SerialTransport

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux ptys")

SERIAL = "B207696838"
PROTOCOLS = ("mt-sics", "sbi", "and")
SIMULATORS: dict[str, type[BalanceSimulator]] = {
    "mt-sics": MtSicsSimulator,
    "sbi": SbiSimulator,
    "and": AndSimulator,
}


def _fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    """Fail a test that leaves a simulator thread or an open descriptor behind."""
    threads, fds = set(threading.enumerate()), _fds()
    yield
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and (set(threading.enumerate()) - threads or _fds() - fds):
        time.sleep(0.02)
    assert not set(threading.enumerate()) - threads, "a thread was left running"
    assert not _fds() - fds, "a file descriptor was left open"


def simulator(protocol: str, **options: object) -> BalanceSimulator:
    settings: SimOptions = {"weight": 123.45, "serial": SERIAL, "stability_timeout": 0.2}
    return SIMULATORS[protocol](**{**settings, **options})  # type: ignore[arg-type]


def driver(protocol: str, path: str, **options: object) -> Balance:
    transport = SerialTransport(path)
    options.setdefault("timeout", 1.0)
    if protocol == "mt-sics":
        return MtSicsBalance(transport, **options)  # type: ignore[arg-type]
    if protocol == "sbi":
        return SbiBalance(transport, serial_number=SERIAL, **options)  # type: ignore[arg-type]
    return AndBalance(transport, **options)  # type: ignore[arg-type]


def kind_of(call: object) -> str:
    assert callable(call)
    with pytest.raises(DeviceError) as caught:
        call()
    return caught.value.kind


# ---------------------------------------------------------------- scenarios


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_stable(protocol: str) -> None:
    with simulator(protocol) as sim, driver(protocol, sim.path) as balance:
        assert balance.identify() == SERIAL
        reading = balance.read_stable()
        assert (reading.value, reading.unit, reading.stable, reading.device) == (
            123.45,
            "g",
            True,
            SERIAL,
        )
        assert balance.read_now().value == 123.45
        assert reading.to_engine().value == 123.45
        balance.tare()
        assert balance.read_stable().value == 0.0
        sim.weight = 150.0
        assert balance.read_stable().value == 26.55
        balance.zero()
        assert balance.read_stable().value == 0.0


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_settling(protocol: str) -> None:
    options = {"unit": "g"} if protocol == "sbi" else {}
    with (
        simulator(protocol, scenario="settling", settle_reads=3) as sim,
        driver(protocol, sim.path, **options) as balance,
    ):
        moving = balance.read_now()
        assert not moving.stable
        assert moving.value != 123.45
        settled = balance.read_stable(timeout=2)
        assert (settled.value, settled.stable) == (123.45, True)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_overload(protocol: str) -> None:
    with simulator(protocol, scenario="overload") as sim, driver(protocol, sim.path) as balance:
        assert balance.identify() == SERIAL
        assert kind_of(balance.read_stable) == "overload"
        assert kind_of(balance.read_now) == "overload"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_noisy_never_settles_and_says_so_in_time(protocol: str) -> None:
    options = {"unit": "g"} if protocol == "sbi" else {}
    with (
        simulator(protocol, scenario="noisy") as sim,
        driver(protocol, sim.path, **options) as balance,
    ):
        assert not balance.read_now().stable
        start = time.monotonic()
        with pytest.raises(DeviceError, match=r"did not settle within 0\.5 s") as caught:
            balance.read_stable(timeout=0.5)
        assert caught.value.kind == "refused"
        assert time.monotonic() - start < 1.5
        assert not balance.read_now().stable  # still talking after the cancelled wait


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_silent_times_out_in_bounded_time(protocol: str) -> None:
    with (
        simulator(protocol, scenario="silent") as sim,
        driver(protocol, sim.path, timeout=0.5) as balance,
    ):
        start = time.monotonic()
        assert kind_of(balance.identify) == "timeout"
        assert kind_of(balance.read_stable) == "timeout"
        assert time.monotonic() - start < 2.5


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_garbage_is_garbled_in_bounded_time(protocol: str) -> None:
    with (
        simulator(protocol, scenario="garbage") as sim,
        driver(protocol, sim.path, timeout=0.5) as balance,
    ):
        for call in (balance.identify, balance.read_now, balance.tare, balance.zero):
            start = time.monotonic()
            assert kind_of(call) == "garbled"
            assert time.monotonic() - start < 1.5


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unplugged_mid_read_then_replugged(protocol: str) -> None:
    asked = 3 if protocol == "sbi" else 1  # SBI identifies with ESC x2_, ESC x1_ and ESC P
    with simulator(protocol, scenario="unplugged", unplug_after=asked) as sim:
        old_path = sim.path
        with driver(protocol, old_path) as balance:
            assert balance.identify() == SERIAL
            start = time.monotonic()
            assert kind_of(balance.read_stable) == "unplugged"  # the pty closes while we wait
            assert time.monotonic() - start < 0.5
            assert not sim.plugged
            assert kind_of(balance.read_now) == "unplugged"
        new_path = sim.replug(scenario="stable")
        assert sim.plugged
        with driver(protocol, new_path) as again:
            assert again.identify() == SERIAL  # the same balance, recognised by its number
            assert again.read_stable().value == 123.45


# ---------------------------------------------------------------- units and protocol details


@pytest.mark.parametrize(
    ("protocol", "unit", "grams"),
    [
        ("mt-sics", "kg", 123.45),
        ("mt-sics", "mg", 123.45),
        ("mt-sics", "lb", 0.27216 * 453.59237),
        ("sbi", "kg", 123.45),
        ("and", "lb", 0.27216 * 453.59237),
        ("and", "oz", 4.3546 * 28.349523125),
    ],
)
def test_units_are_converted_never_assumed(protocol: str, unit: str, grams: float) -> None:
    with simulator(protocol, unit=unit) as sim, driver(protocol, sim.path) as balance:
        assert balance.read_stable().unit == unit
        assert balance.read_stable(unit="g").value == pytest.approx(grams, rel=1e-9)


def test_lb_oz_is_refused() -> None:
    with simulator("mt-sics", unit="lb:oz") as sim, driver("mt-sics", sim.path) as balance:
        with pytest.raises(DeviceError, match="reports lb:oz; set it to grams") as caught:
            balance.read_stable()
        assert caught.value.kind == "unit"


def test_mt_sics_optional_commands_follow_the_i0_list() -> None:
    commands = ("@", "I0", "I4", "S", "SI", "Z")
    with simulator("mt-sics", commands=commands) as sim, driver("mt-sics", sim.path) as balance:
        assert balance.read_now().value == 123.45
        with pytest.raises(DeviceError, match="does not support taring") as caught:
            balance.tare()
        assert caught.value.kind == "refused"
        assert isinstance(balance, MtSicsBalance)
        assert balance.commands() == frozenset(commands)


def test_sbi_joins_a_running_stream(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="kiosk.devices.balance")
    with (
        simulator("sbi", width=22, auto_print=0.001, baudrate=2400) as sim,
        driver("sbi", sim.path, auto_print=True) as balance,
    ):
        for _ in range(8):
            time.sleep(0.03)  # a line takes 92 ms at 2400 baud: join in the middle of one
            reading = balance.read_now()
            assert (reading.value, reading.unit, reading.stable) == (123.45, "g", True)
            assert reading.raw == "N     +   123.45 g  "
    assert "dropped a partial first line" in caplog.text


def test_and_waits_for_stability_with_s() -> None:
    with (
        simulator("and", scenario="settling", settle_reads=4, sample_interval=0.05) as sim,
        driver("and", sim.path) as balance,
    ):
        start = time.monotonic()
        assert balance.read_stable(timeout=2).stable
        assert time.monotonic() - start >= 0.1  # Q, then S answered after the settling
        assert sim.reads >= 4


def test_paced_simulator_takes_the_wire_time() -> None:
    with simulator("and", baudrate=9600) as sim, driver("and", sim.path) as balance:
        balance.identify()
        before_in, before_out = sim.bytes_in, sim.bytes_out
        start = time.monotonic()
        balance.read_now()
        elapsed = time.monotonic() - start
        wire = (sim.bytes_in - before_in + sim.bytes_out - before_out) * 10 / 9600
        assert (sim.bytes_in - before_in, sim.bytes_out - before_out) == (3, 17)
        assert wire <= elapsed < wire + 0.05


def test_stop_is_idempotent_and_replug_works_after_stop() -> None:
    sim = simulator("mt-sics")
    path = sim.start()
    assert sim.start() == path
    sim.stop()
    sim.stop()
    assert not sim.plugged
    new_path = sim.replug()
    try:
        with driver("mt-sics", new_path) as balance:
            assert balance.identify() == SERIAL
    finally:
        sim.stop()


def test_start_after_an_unplug_reuses_nothing() -> None:
    sim = simulator("and", scenario="unplugged", unplug_after=0)
    try:
        with driver("and", sim.start()) as balance:
            assert kind_of(balance.identify) == "unplugged"
        sim.scenario = "stable"
        with driver("and", sim.start()) as balance:
            assert balance.identify() == SERIAL
    finally:
        sim.stop()


def test_simulator_options_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        MtSicsSimulator(scenario="tipsy")
    with pytest.raises(ValueError, match="not lb:oz"):
        AndSimulator(unit="lb:oz")
    with pytest.raises(ValueError, match="16 or 22"):
        SbiSimulator(width=20)
