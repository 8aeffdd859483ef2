"""The technician screen: the swap workflow over a device manager and a pty balance simulator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.config import StationConfig
from kiosk.devices.manager import ACCEPTED, DeviceManager
from kiosk.devices.sim_balance import SIMULATORS, BalanceSimulator
from kiosk.screens.technician import TechnicianScreen
from tests.gui.conftest import PASSWORDS, Rig

pytestmark = pytest.mark.gui

FAST = {
    "poll_interval": 0.05,
    "presence_interval": 0.1,
    "recheck_interval": 0.1,
    "backoff": (0.05, 0.3),
    "io_timeout": 0.5,
}


@pytest.fixture
def balance(rig: Rig, tmp_path: Path) -> Iterator[tuple[DeviceManager, BalanceSimulator]]:
    """A new balance (serial SN-9, registered as BAL-9, not accepted) on a pty."""
    sim = SIMULATORS["mt-sics"](serial="SN-9", weight=100.0)
    link = tmp_path / "balance"
    link.symlink_to(sim.start())
    master = rig.kiosk.engine.masterdata
    due = rig.clock().date() + timedelta(days=90)
    master.register_equipment("BAL-9", "balance", "SN-9", "sim", due, by="u:tess")
    config = StationConfig.model_validate(
        {
            "devices": {
                "balance": {"kind": "balance", "driver": "mt-sics", "url": str(link)},
                "camera": {"kind": "camera", "driver": "opencv", "url": "0"},
            }
        }
    )
    bridge = rig.kiosk.bridge
    manager = DeviceManager(
        config,
        master,
        clock=rig.clock,
        store=rig.kiosk.store,
        on_status=bridge.on_status,
        on_weight=lambda _role, r: bridge.on_weight(r.value, r.unit, r.stable, r.device),
        on_code=bridge.on_code,
        on_error=bridge.on_error,
        **FAST,  # type: ignore[arg-type]
    )
    manager.start()
    rig.kiosk.station.s.manager = manager
    try:
        yield manager, sim
    finally:
        manager.stop()
        sim.stop()


def _open(rig: Rig, qtbot) -> TechnicianScreen:  # type: ignore[no-untyped-def]
    rig.login("tess")
    rig.pilot.click("home-technician")
    screen = rig.window.technician
    assert rig.window.current() is screen
    qtbot.waitUntil(lambda: not screen.loading, timeout=2000)
    return screen


def _do(rig: Rig, qtbot, name: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    screen = rig.window.technician
    rig.pilot.click(name)
    qtbot.waitUntil(lambda: not screen.busy and not screen.loading, timeout=15_000)
    return rig.pilot.message()


@pytest.mark.gui
def test_without_devices_the_workflow_buttons_are_disabled(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = _open(rig, qtbot)
    assert screen.hint.isVisible()
    assert "no devices configured on this station" in screen.hint.text().lower()
    assert len(screen.buttons) == 4
    for b in screen.buttons.values():
        assert b.isVisible()
        assert not b.isEnabled()


@pytest.mark.gui
def test_identify_daily_check_and_accept_a_new_balance(rig: Rig, qtbot, balance) -> None:  # type: ignore[no-untyped-def]
    manager, _sim = balance
    qtbot.waitUntil(lambda: manager.connected_serial("balance") == "SN-9", timeout=10_000)
    screen = _open(rig, qtbot)
    assert not screen.hint.isVisible()
    assert list(screen.role_buttons) == ["balance"]  # the camera is not swapped here
    assert screen.role == "balance"

    # Master data before identifying: refused, in words.
    text, kind = _do(rig, qtbot, "tech-check-master")
    assert (text, kind) == ("Identify the device in balance first.", "refused")

    text, kind = _do(rig, qtbot, "tech-identify")
    assert kind == "ok", text
    assert "SN-9" in text
    assert "BAL-9" in text

    text, kind = _do(rig, qtbot, "tech-check-master")
    assert kind == "ok", text
    assert "daily check not done today" in text

    # A failing daily check (wrong reference weight) is refused and recorded.
    rig.prompts.answer("daily-check", reference="200", tolerance="0.05")
    text, kind = _do(rig, qtbot, "tech-daily-check")
    assert kind == "refused"
    assert "FAILED" in text

    rig.prompts.answer("daily-check", reference="100", tolerance="0.05")
    text, kind = _do(rig, qtbot, "tech-daily-check")
    assert kind == "ok", text
    assert "BAL-9 daily check passed: 100 g against 100 g" in text

    # A wrong password: refused, nothing accepted; then Tess signs.
    rig.prompts.answer("signature", user="tess", password="wrong")
    text, kind = _do(rig, qtbot, "tech-accept")
    assert kind == "refused"
    assert not [
        e for e in rig.kiosk.store.events(types=[ACCEPTED]) if e.payload["role"] == "balance"
    ]
    rig.prompts.answer("signature", user="tess", password=PASSWORDS["tess"])
    text, kind = _do(rig, qtbot, "tech-accept")
    assert kind == "ok", text
    assert "accepted as balance by Tess Varga" in text
    (event,) = [
        e for e in rig.kiosk.store.events(types=[ACCEPTED]) if e.payload["role"] == "balance"
    ]
    assert event.payload["serial"] == "SN-9"
    assert event.payload["asset"] == "BAL-9"
    assert event.payload["signature"]["meaning"] == "approved"
    assert event.actor == "u:tess"
    qtbot.waitUntil(lambda: manager.status()["balance"].ok, timeout=10_000)

    # The logbook lists the equipment and device events, newest first.
    rig.window.technician.refresh()
    qtbot.waitUntil(lambda: not screen.loading, timeout=2000)
    lines = screen.logbook.text().splitlines()

    def at(text: str) -> int:
        return next(i for i, line in enumerate(lines) if text in line)

    order = [
        at("accepted BAL-9 as balance (u:tess)"),
        at("accept BAL-9 as balance: balance BAL-9 (serial SN-9) accepted as balance"),
        at("checked BAL-9: passed, 100.0 against 100.0 g (u:tess)"),
        at("checked BAL-9: FAILED, 100.0 against 200.0 g (u:tess)"),
        at("check master BAL-9 as balance: BAL-9 (balance, sim) is registered"),
        at("identify BAL-9 as balance: the balance in balance reports serial SN-9"),
        at("registered BAL-9 (u:tess)"),
    ]
    assert order == sorted(order)  # newest first


@pytest.mark.gui
def test_a_station_with_only_opcua_equipment_accepts_it_on_the_technician_screen(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A station configured with OPC UA process equipment and no serial devices: the
    incubator (a role the demo data has not accepted) is listed, identified by its
    ApplicationUri over a real asyncua server, and accepted, signed; until then its values may
    not be used, afterwards they may."""
    from kiosk.app import start_devices
    from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator
    from tests.gui.conftest import make_rig

    with OpcuaSimulator() as sim:
        rig = make_rig(
            tmp_path,
            extra={
                "opcua": {
                    "incubator-b": {
                        "kind": "incubator",
                        "endpoint": sim.endpoint,
                        "security": "none",
                        "timeout": 2,
                        "nodes": {"temperature": "ns=2;s=Incubator.Temperature"},
                    }
                }
            },
        )
        qtbot.addWidget(rig.window)
        rig.window.show()
        master = rig.kiosk.engine.masterdata
        due = rig.clock().date() + timedelta(days=90)
        master.register_equipment("INC-1", "incubator", APPLICATION_URI, "sim", due, by="u:tess")
        assert rig.config is not None
        manager = start_devices(rig.config, rig.kiosk)
        assert manager is not None  # no serial devices, still the equipment's roles
        rig.kiosk.station.s.manager = manager
        try:
            assert "not been accepted as incubator-b" in str(
                master.equipment_problem(APPLICATION_URI, "incubator-b")
            )
            screen = _open(rig, qtbot)
            assert not screen.hint.isVisible()
            assert list(screen.role_buttons) == ["incubator-b"]

            text, kind = _do(rig, qtbot, "tech-identify")
            assert kind == "ok", text
            assert APPLICATION_URI in text
            assert "INC-1" in text

            text, kind = _do(rig, qtbot, "tech-daily-check")
            assert kind == "refused"
            assert "daily checks are for balances" in text

            rig.prompts.answer("signature", user="tess", password=PASSWORDS["tess"])
            text, kind = _do(rig, qtbot, "tech-accept")
            assert kind == "ok", text
            assert "accepted as incubator-b by Tess Varga" in text
            (event,) = [
                e
                for e in rig.kiosk.store.events(types=[ACCEPTED])
                if e.payload["role"] == "incubator-b"
            ]
            assert event.payload["serial"] == APPLICATION_URI
            assert event.payload["asset"] == "INC-1"
            assert master.equipment_problem(APPLICATION_URI, "incubator-b") is None
        finally:
            manager.stop()
            rig.kiosk.close()
