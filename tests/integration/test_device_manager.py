"""The device manager against the balance simulators on real ptys.

The balance's port is a symlink in tmp_path, as a `/dev/serial/by-id/…` name
is on a real station: a simulator that is unplugged and plugged in again gets
a new pty, and the test points the link at it, as udev does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from argon2 import PasswordHasher

from kiosk.auth import Auth
from kiosk.clock import system_clock
from kiosk.config import StationConfig
from kiosk.devices.balance import WeightReading
from kiosk.devices.manager import ACCEPTED, DeviceManager, RoleStatus
from kiosk.devices.serial_scanner import ScannerSimulator
from kiosk.devices.sim_balance import SIMULATORS, BalanceSimulator
from kiosk.devices.swap import SwapRefused, SwapWorkflow
from kiosk.engine import Credentials
from kiosk.masterdata import MasterData
from local_store import EventStore
from tests.helpers import no_leaks as no_leaks_of_test

FAST = {
    "poll_interval": 0.05,
    "presence_interval": 0.1,
    "recheck_interval": 0.1,
    "backoff": (0.05, 0.3),
    "io_timeout": 0.5,
}
TESS = ("tess", "tech-tess-2026")


@pytest.fixture(autouse=True)
def no_thread_leaks() -> Iterator[None]:
    """Every worker and simulator thread is gone when the test (and its fixtures) end."""
    with no_leaks_of_test(fds=False):
        yield


@dataclass
class Seen:
    """What the manager's callbacks delivered, from any thread."""

    weights: list[tuple[str, WeightReading]] = field(default_factory=list)
    statuses: list[tuple[str, bool, str]] = field(default_factory=list)
    codes: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, where: str, item: Any) -> None:
        with self.lock:
            getattr(self, where).append(item)

    def weights_from(self, serial: str) -> int:
        with self.lock:
            return sum(1 for _, reading in self.weights if reading.device == serial)

    def texts(self) -> list[str]:
        with self.lock:
            return [text for _, _, text in self.statuses]


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@dataclass
class Site:
    """A station: store, master data, auth, a balance simulator behind a by-id-like link."""

    tmp: Path
    store: EventStore
    master: MasterData
    auth: Auth
    link: Path
    sims: list[BalanceSimulator] = field(default_factory=list)
    managers: list[DeviceManager] = field(default_factory=list)

    def balance(self, protocol: str = "mt-sics", **options: Any) -> BalanceSimulator:
        sim = SIMULATORS[protocol](**options)
        self.sims.append(sim)
        self.point(sim.start())
        return sim

    def point(self, path: str) -> None:
        """Point the by-id-like link at a (new) pty, as udev does when a device appears."""
        tmp = self.link.with_suffix(".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(path)
        tmp.replace(self.link)

    def register(self, asset: str, serial: str, *, kind: str = "balance", due: int = 60) -> None:
        self.master.register_equipment(
            asset, kind, serial, "sim", date.today() + timedelta(days=due), by="u:tess"
        )

    def check(self, asset: str, reading: float = 100.0) -> None:
        self.master.daily_check(asset, 100.0, reading, "g", 0.05, by="u:tess")

    def accept(self, role: str, serial: str, asset: str) -> None:
        self.store.append(
            ACCEPTED, {"role": role, "serial": serial, "asset": asset}, actor="u:tess"
        )

    def config(self, **devices: dict[str, Any]) -> StationConfig:
        if not devices:
            devices = {"balance": {"kind": "balance", "driver": "mt-sics", "url": str(self.link)}}
        return StationConfig.model_validate({"devices": devices})

    def manager(
        self, seen: Seen, config: StationConfig | None = None, **options: Any
    ) -> DeviceManager:
        manager = DeviceManager(
            config or self.config(),
            self.master,
            clock=system_clock,
            store=self.store,
            on_status=lambda role, ok, text: seen.add("statuses", (role, ok, text)),
            on_weight=lambda role, reading: seen.add("weights", (role, reading)),
            on_code=lambda text, role: seen.add("codes", (text, role)),
            on_error=lambda message, role: seen.add("errors", (message, role)),
            **{**FAST, **options},
        )
        self.managers.append(manager)
        manager.start()
        return manager

    def events(self, type_: str) -> list[dict[str, Any]]:
        return [e.payload for e in self.store.events(types={type_})]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    store = EventStore(tmp_path / "station.sqlite", "TEST-1")
    auth = Auth(store, system_clock, hasher=PasswordHasher(time_cost=1, memory_cost=8192))
    auth.add_user("tess", "Tess Varga", ["technician"], TESS[1], by="system")
    auth.add_user("olivia", "Olivia Okafor", ["operator"], "op-olivia-2026", by="system")
    site = Site(tmp_path, store, MasterData(store, system_clock), auth, tmp_path / "balance")
    yield site
    for manager in site.managers:
        manager.stop()
    for sim in site.sims:
        sim.stop()
    store.close()


def status(manager: DeviceManager, role: str = "balance") -> RoleStatus:
    return manager.status()[role]


# ---------------------------------------------------------------- trusted balances


@pytest.mark.parametrize("protocol", ["mt-sics", "and", "sbi"])
def test_a_registered_accepted_checked_balance_delivers_weights(site: Site, protocol: str) -> None:
    site.balance(protocol, serial="SN-1", weight=42.5)
    site.register("BAL-1", "SN-1")
    site.check("BAL-1")
    site.accept("balance", "SN-1", "BAL-1")
    device: dict[str, Any] = {"kind": "balance", "driver": protocol, "url": str(site.link)}
    if protocol == "sbi":
        device["serial_number"] = "SN-1"  # SBI cannot report it: configured from the rating plate
    seen = Seen()
    manager = site.manager(seen, site.config(balance=device))

    wait_for(lambda: seen.weights_from("SN-1") >= 3)
    role, reading = seen.weights[0]
    assert role == "balance"
    assert (reading.value, reading.unit, reading.stable) == (42.5, "g", True)
    now = status(manager)
    assert (now.ok, now.connected, now.trusted) == (True, True, True)
    assert (now.serial, now.asset, now.port) == ("SN-1", "BAL-1", str(site.link))
    assert now.last_reading is not None
    assert ("balance", True, "BAL-1 ready (serial SN-1)") in seen.statuses
    assert site.events("device.connected") == [
        {
            "role": "balance",
            "serial": "SN-1",
            "asset": "BAL-1",
            "port": str(site.link),
            "found_by": str(site.link),
        }
    ]


def test_without_todays_check_the_weight_arrives_but_the_status_says_why(site: Site) -> None:
    site.balance(serial="SN-1")
    site.register("BAL-1", "SN-1")
    site.accept("balance", "SN-1", "BAL-1")
    seen = Seen()
    manager = site.manager(seen)

    wait_for(lambda: seen.weights_from("SN-1") >= 1)  # the daily check itself needs the weight
    assert not status(manager).ok
    assert status(manager).problem == "BAL-1 has not had today's daily check"
    site.check("BAL-1")  # the technician does it: the status follows without a reconnect
    wait_for(lambda: status(manager).ok)


# ---------------------------------------------------------------- refusals


def test_an_unregistered_balance_is_refused(site: Site) -> None:
    site.balance(serial="STRANGER")
    seen = Seen()
    manager = site.manager(seen)

    wait_for(lambda: status(manager).serial == "STRANGER")
    time.sleep(0.3)
    assert seen.weights == []
    now = status(manager)
    assert (now.connected, now.trusted, now.ok) == (True, False, False)
    assert now.problem == "balance STRANGER is not registered: a technician must register it"
    assert site.events("device.refused") == [
        {"role": "balance", "serial": "STRANGER", "reason": now.problem}
    ]


def test_a_registered_balance_waits_for_a_technician_to_accept_it(site: Site) -> None:
    site.balance(serial="SN-1")
    site.register("BAL-1", "SN-1")
    site.check("BAL-1")
    seen = Seen()
    manager = site.manager(seen)

    wait_for(lambda: status(manager).serial == "SN-1")
    assert status(manager).problem == (
        "balance BAL-1 (serial SN-1) has not been accepted as balance: a technician must accept it"
    )
    assert seen.weights == []
    site.accept("balance", "SN-1", "BAL-1")  # written by another process: found in the store
    wait_for(lambda: seen.weights_from("SN-1") >= 1)
    assert status(manager).ok


def test_a_device_registered_as_another_kind_is_refused(site: Site) -> None:
    site.balance(serial="SN-9")
    site.register("SCAN-1", "SN-9", kind="scanner")
    seen = Seen()
    manager = site.manager(seen)

    wait_for(lambda: status(manager).serial == "SN-9")
    assert status(manager).problem == (
        "serial SN-9 is registered as scanner SCAN-1, not as a balance: it cannot serve as balance"
    )


# ---------------------------------------------------------------- hot-plug


def test_unplug_mid_read_is_reported_and_the_balance_is_identified_again_on_return(
    site: Site,
) -> None:
    sim = site.balance(scenario="unplugged", unplug_after=6, serial="SN-1")
    site.register("BAL-1", "SN-1")
    site.check("BAL-1")
    site.accept("balance", "SN-1", "BAL-1")
    seen = Seen()
    manager = site.manager(seen)

    wait_for(lambda: "balance unplugged — reconnect it" in seen.texts())
    assert not status(manager).connected
    assert not status(manager).ok
    before = seen.weights_from("SN-1")
    assert before >= 1
    time.sleep(0.3)  # backing off and looking again, never a traceback
    assert status(manager).problem == "balance unplugged — reconnect it"

    site.point(sim.replug("stable"))
    wait_for(lambda: status(manager).ok and seen.weights_from("SN-1") > before + 2)
    connected = site.events("device.connected")
    assert len(connected) == 2  # identified again before the readings counted again
    assert site.events("device.disconnected") == [
        {"role": "balance", "serial": "SN-1", "reason": "balance unplugged — reconnect it"}
    ]
    assert seen.errors == []


def test_a_different_balance_after_replug_is_refused_until_a_technician_accepts_it(
    site: Site,
) -> None:
    sim = site.balance(serial="SN-1", weight=100.0)
    site.register("BAL-1", "SN-1")
    site.check("BAL-1")
    site.accept("balance", "SN-1", "BAL-1")
    site.register("BAL-2", "SN-2")
    seen = Seen()
    manager = site.manager(seen)
    wait_for(lambda: status(manager).ok)

    sim.stop()  # the technician unplugs BAL-1 and plugs in BAL-2 on the same cable
    sim.serial = "SN-2"
    wait_for(lambda: not status(manager).connected)
    site.point(sim.replug())
    wait_for(lambda: status(manager).serial == "SN-2")
    refusal = (
        "a different balance (serial SN-2) is connected as balance: a technician must accept it"
    )
    assert status(manager).problem == refusal
    assert not status(manager).trusted
    time.sleep(0.2)
    assert seen.weights_from("SN-2") == 0

    # The swap workflow, through the manager, on the refused balance.
    session = site.auth.login(*TESS)
    swap = SwapWorkflow(manager, site.master, site.auth, site.store, system_clock)
    found = swap.identify("balance", session=session)
    assert (found.serial, found.asset) == ("SN-2", "BAL-2")
    assert swap.check_master("SN-2", session=session, role="balance").may_accept
    reading = swap.read_weight("balance", session=session)
    assert reading.device == "SN-2"
    assert swap.daily_check("BAL-2", 100.0, 0.05, reading, session=session).passed
    with pytest.raises(SwapRefused, match="wrong"):
        swap.accept("balance", "SN-2", Credentials("tess", "wrong-password"), session=session)
    assert seen.weights_from("SN-2") == 0
    accepted = swap.accept("balance", "SN-2", Credentials(*TESS), session=session)
    assert accepted.remaining is None

    wait_for(lambda: seen.weights_from("SN-2") >= 2)
    assert status(manager).ok
    assert status(manager).asset == "BAL-2"


# ---------------------------------------------------------------- errors stay in the worker


def test_an_overloaded_balance_is_reported_and_read_on(site: Site) -> None:
    sim = site.balance(scenario="overload", serial="SN-1")
    site.register("BAL-1", "SN-1")
    site.check("BAL-1")
    site.accept("balance", "SN-1", "BAL-1")
    seen = Seen()
    manager = site.manager(seen)

    wait_for(lambda: bool(seen.errors))
    assert seen.errors[0] == (
        "the balance is overloaded — take some of the load off the pan",
        "balance",
    )
    assert status(manager).problem == seen.errors[0][0]
    time.sleep(0.2)
    assert len(seen.errors) == 1  # said once, not at every poll
    sim.scenario = "stable"  # the load comes off
    wait_for(lambda: status(manager).ok and seen.weights_from("SN-1") >= 1)


def test_a_silent_balance_is_no_answer_with_the_settings_hint(site: Site) -> None:
    site.balance(scenario="silent", serial="SN-1")
    seen = Seen()
    manager = site.manager(seen, io_timeout=0.2)

    wait_for(lambda: "interface settings" in (status(manager).problem or ""))
    assert status(manager).problem == (
        f"no answer from the balance on {site.link} — check the balance's interface settings"
    )


def test_a_failing_receiver_does_not_stop_the_worker(site: Site) -> None:
    site.balance(serial="SN-1")
    site.register("BAL-1", "SN-1")
    site.check("BAL-1")
    site.accept("balance", "SN-1", "BAL-1")
    calls: list[WeightReading] = []

    def broken(role: str, reading: WeightReading) -> None:
        calls.append(reading)
        raise RuntimeError("a bug in a screen")

    manager = DeviceManager(
        site.config(), site.master, clock=system_clock, store=None, on_weight=broken, **FAST
    )
    site.managers.append(manager)
    manager.accepted_devices.apply(next(iter(site.store.events(types={ACCEPTED}))))
    manager.start()
    wait_for(lambda: len(calls) >= 3)
    assert status(manager).ok


def test_requests_to_a_role_without_a_device_are_refused_in_words(site: Site) -> None:
    seen = Seen()
    manager = site.manager(seen)  # the link points nowhere yet
    wait_for(lambda: "not found" in (status(manager).problem or ""))
    assert status(manager).problem == f"balance not found — connect it (looking for {site.link})"
    with pytest.raises(Exception, match="not connected"):
        manager.identify("balance", timeout=1.0)
    with pytest.raises(Exception, match="no device role scale"):
        manager.identify("scale")


# ---------------------------------------------------------------- finding by USB identity


def _port(device: str, vid: int, pid: int, serial: str) -> SimpleNamespace:
    return SimpleNamespace(device=device, vid=vid, pid=pid, serial_number=serial)


def test_a_balance_is_found_by_its_usb_identity(site: Site) -> None:
    sim = site.balance(serial="SN-1")
    site.register("BAL-1", "SN-1")
    site.check("BAL-1")
    site.accept("balance", "SN-1", "BAL-1")
    ports = [_port("/dev/ttyS0", 0x1234, 0x1, "X"), _port(sim.path, 0x0EB8, 0x2100, "USB-7")]
    config = site.config(
        balance={"kind": "balance", "driver": "mt-sics", "usb": {"vid": "0x0eb8", "pid": "2100"}}
    )
    seen = Seen()
    manager = site.manager(seen, config, comports=lambda: list(ports))

    wait_for(lambda: seen.weights_from("SN-1") >= 1)
    assert status(manager).port == sim.path
    ports.pop()  # the USB device leaves the bus
    wait_for(lambda: status(manager).problem == "balance unplugged — reconnect it")


def test_two_devices_matching_one_usb_identity_is_a_configuration_problem(site: Site) -> None:
    ports = [_port("/dev/ttyACM0", 0x0EB8, 1, "A"), _port("/dev/ttyACM1", 0x0EB8, 1, "B")]
    config = site.config(balance={"kind": "balance", "driver": "mt-sics", "usb": {"vid": "0eb8"}})
    manager = site.manager(Seen(), config, comports=lambda: ports)

    wait_for(lambda: "2 devices match" in (status(manager).problem or ""))
    assert "add the serial" in (status(manager).problem or "")


# ---------------------------------------------------------------- scanners and other roles


@pytest.fixture
def scanner() -> Iterator[ScannerSimulator]:
    with ScannerSimulator(line_ending="CR") as sim:
        yield sim


def scanner_config(site: Site, path: Path) -> StationConfig:
    """A scanner found by a by-id-like link; its serial number from the configuration."""
    return site.config(
        scanner={
            "kind": "scanner",
            "driver": "serial-scanner",
            "url": str(path),
            "serial_number": "SC-77",
            "line_end": "CR",
        }
    )


def scan_until_heard(sim: ScannerSimulator, seen: Seen, text: str) -> None:
    """Scan until the station hears it: reads in the first moments after opening are dropped."""
    for _ in range(20):
        sim.send(text)
        try:
            wait_for(lambda: bool(seen.codes), 0.25)
        except AssertionError:
            continue
        return
    raise AssertionError("the scanner was never heard")


def test_a_serial_scanner_delivers_reads_with_gs_intact(
    site: Site, scanner: ScannerSimulator
) -> None:
    site.point(scanner.path)
    site.register("SCAN-1", "SC-77", kind="scanner")
    site.accept("scanner", "SC-77", "SCAN-1")
    seen = Seen()
    manager = site.manager(seen, scanner_config(site, site.link))

    wait_for(lambda: status(manager, "scanner").ok)
    assert status(manager, "scanner").detail == "SCAN-1 ready (serial SC-77)"
    gs1 = "]C10104012345678901\x1d10LOT7"
    scan_until_heard(scanner, seen, gs1)
    assert set(seen.codes) == {(gs1, "scanner")}
    assert status(manager, "scanner").last_reading is not None
    assert manager.identify("scanner") == "SC-77"

    scanner.unplug()
    wait_for(lambda: status(manager, "scanner").problem == "scanner unplugged — reconnect it")
    scanner.replug()
    site.point(scanner.path)
    wait_for(lambda: status(manager, "scanner").ok)
    assert len(site.events("device.connected")) == 2


def test_a_scanner_that_is_not_accepted_is_not_listened_to(
    site: Site, scanner: ScannerSimulator
) -> None:
    site.point(scanner.path)
    site.register("SCAN-1", "SC-77", kind="scanner")
    seen = Seen()
    manager = site.manager(seen, scanner_config(site, site.link))

    wait_for(lambda: status(manager, "scanner").serial == "SC-77")
    assert status(manager, "scanner").problem == (
        "scanner SCAN-1 (serial SC-77) has not been accepted as scanner: "
        "a technician must accept it"
    )
    scanner.send("]C0NOT-HEARD")
    time.sleep(0.3)
    assert seen.codes == []

    session = site.auth.login(*TESS)
    swap = SwapWorkflow(manager, site.master, site.auth, site.store, system_clock)
    assert swap.identify("scanner", session=session).asset == "SCAN-1"
    swap.accept("scanner", "SC-77", Credentials(*TESS), session=session)
    wait_for(lambda: status(manager, "scanner").ok)
    scan_until_heard(scanner, seen, "]C0HEARD")
    assert seen.codes[0] == ("]C0HEARD", "scanner")


def test_cameras_and_wedge_scanners_are_reported_as_configured(site: Site) -> None:
    config = site.config(
        cam={"kind": "camera", "driver": "opencv", "url": "0"},
        wedge={"kind": "scanner", "driver": "wedge"},
        bad={"kind": "balance", "driver": "opencv", "url": "/dev/null"},
    )
    before = threading.active_count()
    seen = Seen()
    manager = site.manager(seen, config)
    assert threading.active_count() == before  # nothing to read: no thread
    assert status(manager, "cam").ok
    assert status(manager, "cam").detail == "camera (opencv, 0) — read by the camera decoder"
    assert status(manager, "wedge").ok
    assert not status(manager, "bad").ok
    assert "cannot read a balance" in status(manager, "bad").detail


def test_a_demo_station_balance_runs_on_the_built_in_simulator(site: Site) -> None:
    site.register("BAL-D", "DEMO-1")
    site.check("BAL-D")
    site.accept("balance", "DEMO-1", "BAL-D")
    config = site.config(balance={"kind": "balance", "serial_number": "DEMO-1"})
    seen = Seen()
    manager = site.manager(seen, config)
    wait_for(lambda: seen.weights_from("DEMO-1") >= 1)
    assert status(manager).ok


def test_stop_is_prompt_and_idempotent(site: Site) -> None:
    site.balance(serial="SN-1")
    manager = site.manager(Seen(), backoff=(5.0, 8.0))
    wait_for(lambda: status(manager).serial == "SN-1")
    started = time.monotonic()
    manager.stop()
    manager.stop()
    assert time.monotonic() - started < 1.5
