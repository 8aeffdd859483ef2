"""The swap workflow: identify, check the master, daily check, signed acceptance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from kiosk.auth import Session
from kiosk.devices.balance import WeightReading
from kiosk.devices.errors import DeviceError
from kiosk.devices.manager import ACCEPTED, AcceptedDevices, identity_problem
from kiosk.devices.swap import STEP, SwapRefused, SwapWorkflow
from kiosk.engine import Credentials
from local_store import Event

from .conftest import Station


@dataclass
class FakeProbe:
    """The station's devices as the workflow sees them: role kinds and what is connected."""

    kinds: dict[str, str] = field(default_factory=lambda: {"balance": "balance", "bag": "scanner"})
    connected: dict[str, str] = field(default_factory=dict)
    weight: float = 100.02
    stable: bool = True
    accepted: list[Event] = field(default_factory=list)

    def role_kind(self, role: str) -> str | None:
        return self.kinds.get(role)

    def identify(self, role: str, timeout: float = 5.0) -> str:
        if role not in self.connected:
            raise DeviceError(f"the balance in {role} is not connected", "unplugged")
        return self.connected[role]

    def read_stable(self, role: str, timeout: float = 10.0) -> WeightReading:
        serial = self.identify(role, timeout)
        return WeightReading(self.weight, "g", self.stable, serial, "S S 100.02 g")

    def connected_serial(self, role: str) -> str | None:
        return self.connected.get(role)

    def note_accepted(self, event: Event) -> None:
        self.accepted.append(event)


@pytest.fixture
def probe() -> FakeProbe:
    return FakeProbe(connected={"balance": "SN-NEW"})


@pytest.fixture
def swap(station: Station, probe: FakeProbe) -> SwapWorkflow:
    station.engine.masterdata.register_equipment(
        "BAL-7", "balance", "SN-NEW", "XS205", date(2027, 6, 30), by="u:tess"
    )
    return SwapWorkflow(
        probe, station.engine.masterdata, station.auth, station.store, station.clock
    )


@pytest.fixture
def tess(station: Station) -> Session:
    return station.login("tess")


def steps(station: Station) -> list[tuple[str, str, str]]:
    return [
        (e.actor, e.payload["step"], e.payload["result"])
        for e in station.store.events(types={STEP})
    ]


def test_swap_end_to_end_with_a_technician_signature(
    station: Station, swap: SwapWorkflow, probe: FakeProbe, tess: Session
) -> None:
    found = swap.identify("balance", session=tess)
    assert (found.serial, found.asset, found.kind) == ("SN-NEW", "BAL-7", "balance")

    check = swap.check_master(found.serial, session=tess, role="balance")
    assert check.may_accept
    assert check.registered
    assert check.message == (
        "BAL-7 (balance, XS205) is registered; calibration due 2027-06-30; "
        "daily check not done today"
    )

    reading = swap.read_weight("balance", session=tess)
    result = swap.daily_check("BAL-7", 100.0, 0.05, reading, session=tess)
    assert result.passed
    assert result.message == "BAL-7 daily check passed: 100.02 g against 100 g ± 0.05 g"

    accepted = swap.accept("balance", "SN-NEW", station.creds("tess"), session=tess)
    assert accepted.asset == "BAL-7"
    assert accepted.remaining is None
    assert accepted.signature.user == "tess"
    assert accepted.signature.meaning == "approved"
    assert accepted.message == "balance BAL-7 (serial SN-NEW) accepted as balance by Tess Varga"

    event = accepted.event
    assert event.type == ACCEPTED
    assert event.actor == "u:tess"
    assert {k: event.payload[k] for k in ("role", "serial", "asset")} == {
        "role": "balance",
        "serial": "SN-NEW",
        "asset": "BAL-7",
    }
    assert event.payload["signature"]["name"] == "Tess Varga"
    assert probe.accepted == [event]

    # The logbook: every step, who did it; the daily check as the master-data event.
    assert [(actor, step) for actor, step, _ in steps(station)] == [
        ("u:tess", "identify"),
        ("u:tess", "check_master"),
        ("u:tess", "accept"),
    ]
    history = station.engine.masterdata.equipment["BAL-7"].history
    assert [line.split()[1] for line in history] == [
        "equipment.registered",
        "equipment.swap_step",
        "equipment.swap_step",
        "equipment.checked",
        "equipment.swap_step",
    ]
    assert history[3].endswith("u:tess")

    # What the device manager will read from the store.
    projection = AcceptedDevices(station.store).get("balance")
    assert projection is not None
    assert (projection.serial, projection.asset, projection.by) == ("SN-NEW", "BAL-7", "u:tess")
    _, refusal = identity_problem(
        "balance", "balance", "SN-NEW", station.engine.masterdata, projection
    )
    assert refusal is None


def test_accept_is_refused_when_calibration_is_overdue(
    station: Station, swap: SwapWorkflow, probe: FakeProbe, tess: Session
) -> None:
    station.engine.masterdata.register_equipment(
        "BAL-OLD", "balance", "SN-OLD", "", date(2026, 11, 1), by="u:tess"
    )
    probe.connected["balance"] = "SN-OLD"
    check = swap.check_master("SN-OLD", session=tess)
    assert not check.may_accept
    assert not check.calibration_ok
    assert check.message == (
        "BAL-OLD calibration was due 2026-11-01: it cannot be accepted until it is calibrated"
    )
    with pytest.raises(SwapRefused, match="calibration was due 2026-11-01"):
        swap.accept("balance", "SN-OLD", station.creds("tess"), session=tess)
    assert list(station.store.events(types={ACCEPTED})) == []
    assert steps(station)[-1][1:] == ("accept", f"refused: {check.message}")


def test_accept_is_refused_for_the_wrong_role(
    station: Station, swap: SwapWorkflow, probe: FakeProbe, tess: Session
) -> None:
    station.engine.masterdata.register_equipment(
        "SCAN-1", "scanner", "SC-1", "", date(2027, 1, 1), by="u:tess"
    )
    probe.connected["balance"] = "SC-1"
    with pytest.raises(SwapRefused, match=r"SCAN-1 is a scanner: it cannot be accepted as balance"):
        swap.accept("balance", "SC-1", station.creds("tess"), session=tess)
    with pytest.raises(SwapRefused, match="there is no device role scale at this station"):
        swap.accept("scale", "SN-NEW", station.creds("tess"), session=tess)
    assert list(station.store.events(types={ACCEPTED})) == []


def test_accept_is_refused_for_an_unregistered_serial(
    station: Station, swap: SwapWorkflow, probe: FakeProbe, tess: Session
) -> None:
    probe.connected["balance"] = "SN-X"
    found = swap.identify("balance", session=tess)
    assert found.asset is None
    assert found.message == "the balance in balance reports serial SN-X: not registered"
    assert not swap.check_master("SN-X", session=tess).registered
    with pytest.raises(SwapRefused, match="serial SN-X is not registered: register it first"):
        swap.accept("balance", "SN-X", station.creds("tess"), session=tess)


def test_accept_is_refused_unless_that_device_is_connected_in_the_role(
    station: Station, swap: SwapWorkflow, probe: FakeProbe, tess: Session
) -> None:
    station.engine.masterdata.register_equipment(
        "BAL-8", "balance", "SN-8", "", date(2027, 1, 1), by="u:tess"
    )
    with pytest.raises(SwapRefused, match="reports serial SN-NEW, not SN-8: identify it again"):
        swap.accept("balance", "SN-8", station.creds("tess"), session=tess)
    probe.connected.clear()
    with pytest.raises(SwapRefused, match="no balance is connected as balance"):
        swap.accept("balance", "SN-NEW", station.creds("tess"), session=tess)


def test_only_technicians_and_admins_swap_and_only_with_a_valid_signature(
    station: Station, swap: SwapWorkflow, tess: Session
) -> None:
    operator = station.login("olivia")
    with pytest.raises(SwapRefused, match="Olivia Okafor may not manage devices"):
        swap.identify("balance", session=operator)
    with pytest.raises(SwapRefused, match="does not have a role that may sign this"):
        swap.accept("balance", "SN-NEW", station.creds("olivia"), session=tess)
    with pytest.raises(SwapRefused, match="password wrong"):
        swap.accept("balance", "SN-NEW", Credentials("tess", "not-it-1"), session=tess)
    assert list(station.store.events(types={ACCEPTED})) == []
    admin = station.login("ada")
    accepted = swap.accept("balance", "SN-NEW", station.creds("ada"), session=admin)
    assert accepted.event.actor == "u:ada"


def test_daily_check_readings_must_be_stable_and_from_that_balance(
    station: Station, swap: SwapWorkflow, probe: FakeProbe, tess: Session
) -> None:
    other = WeightReading(100.0, "g", True, "BAL-1", "")
    with pytest.raises(SwapRefused, match="came from balance BAL-1, not from BAL-7"):
        swap.daily_check("BAL-7", 100.0, 0.05, other, session=tess)
    moving = WeightReading(100.0, "g", False, "SN-NEW", "")
    with pytest.raises(SwapRefused, match="not stable"):
        swap.daily_check("BAL-7", 100.0, 0.05, moving, session=tess)
    station.engine.masterdata.register_equipment(
        "SCAN-2", "scanner", "SC-2", "", date(2027, 1, 1), by="u:tess"
    )
    with pytest.raises(SwapRefused, match="SCAN-2 is a scanner: daily checks are for balances"):
        swap.daily_check("SCAN-2", 100.0, 0.05, 100.0, session=tess)
    with pytest.raises(SwapRefused, match="BAL-404 is not registered"):
        swap.daily_check("BAL-404", 100.0, 0.05, 100.0, session=tess)
    in_kg = WeightReading(0.1, "kg", True, "SN-NEW", "")
    assert swap.daily_check("BAL-7", 100.0, 0.05, in_kg, session=tess).reading_g == 100.0

    signed = swap.daily_check(
        "BAL-7", 100.0, 0.05, 100.01, session=tess, signer=station.creds("tess")
    )
    assert signed.passed
    checked = [
        e for e in station.store.events(types={"equipment.checked"}) if e.payload["id"] == "BAL-7"
    ]
    assert checked[-1].payload["signature"]["meaning"] == "approved"
    assert checked[-1].actor == "u:tess"

    failed = swap.daily_check("BAL-7", 100.0, 0.05, 100.2, session=tess)  # typed off the display
    assert not failed.passed
    assert "FAILED: 100.2 g against 100 g ± 0.05 g" in failed.message
    assert station.engine.masterdata.balance_problem("SN-NEW") == (
        "BAL-7 failed today's daily check"
    )


def test_a_device_that_does_not_answer_is_a_device_error(
    station: Station, swap: SwapWorkflow, probe: FakeProbe, tess: Session
) -> None:
    probe.connected.clear()
    with pytest.raises(DeviceError, match="not connected"):
        swap.identify("balance", session=tess)
    with pytest.raises(SwapRefused, match="bag is not a balance"):
        swap.read_weight("bag", session=tess)
