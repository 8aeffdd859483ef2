"""OPC UA with Basic256Sha256 at the step (issue 14): a capture step read over SignAndEncrypt,
a monitored timer sampled over Sign, and a server presenting a certificate the station does
not trust refused with one line. The real asyncua simulator with certificates on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.devices.opcua import CLIENT_APPLICATION_URI, generate_certificate
from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator, ServerSecurity
from kiosk.screens.autopilot import settle, wait_until
from tests.gui import test_monitored_timer
from tests.gui.conftest import Rig, make_rig
from tests.unit.test_captured_values import RECIPE

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("certs")
    paths = {}
    for name, uri, server in (
        ("server", APPLICATION_URI, True),
        ("kiosk", CLIENT_APPLICATION_URI, False),
        ("impostor", APPLICATION_URI, True),  # another server with the same name
    ):
        cert, key = folder / f"{name}.der", folder / f"{name}.pem"
        generate_certificate(cert, key, application_uri=uri, name=name, server=server)
        paths[name], paths[f"{name}_key"] = cert, key
    return paths


@pytest.fixture(scope="module")
def secure(certs: dict[str, Path]) -> Iterator[OpcuaSimulator]:
    """Offers Sign and SignAndEncrypt only (no security none); trusts the kiosk's certificate."""
    security = ServerSecurity(certs["server"], certs["server_key"], (certs["kiosk"],))
    with OpcuaSimulator(security=security) as sim:
        sim.set_value("Incubator.Temperature", 37.0)
        yield sim


def kiosk(
    qtbot: Any,
    tmp_path: Path,
    sim: OpcuaSimulator,
    certs: dict[str, Path],
    *,
    mode: str,
    trusted: str = "server",
    recipe: tuple[str, str] = ("capture-demo", RECIPE),
) -> Rig:
    recipes = tmp_path / "recipes"
    recipes.mkdir()
    (recipes / f"{recipe[0]}.yaml").write_text(recipe[1], encoding="utf-8")
    r = make_rig(
        tmp_path,
        recipes=recipes,
        extra={
            "opcua": {
                "incubator": {
                    "kind": "incubator",
                    "endpoint": sim.endpoint,
                    "security": mode,
                    "certificate": str(certs["kiosk"]),
                    "private_key": str(certs["kiosk_key"]),
                    "server_certificate": str(certs[trusted]),
                    "timeout": 4,
                    "nodes": {
                        "temperature": "ns=2;s=Incubator.Temperature",
                        "co2": "ns=2;s=Incubator.CO2",
                    },
                }
            }
        },
    )
    r.kiosk.engine.masterdata.register_equipment(
        "INC-1", "incubator", APPLICATION_URI, "simulated incubator", date(2027, 6, 30), by="system"
    )
    r.kiosk.engine.store.append(  # accepted for its role by a technician
        "device.accepted",
        {"role": "incubator", "serial": APPLICATION_URI, "asset": "INC-1"},
        actor="u:tess",
    )
    r.kiosk.engine.masterdata.catch_up()
    qtbot.addWidget(r.window)
    r.window.show()
    qtbot.waitExposed(r.window)
    return r


def text(rig: Rig, name: str) -> str:
    found = [w for w in rig.window.step.findChildren(QLabel, name) if w.isVisibleTo(rig.window)]
    return found[-1].text() if found else ""


def read(rig: Rig) -> None:
    rig.pilot.click("capture-read")
    wait_until(lambda: not rig.window.step.panel.work.busy, timeout=20)  # type: ignore[union-attr]
    settle()


def test_a_capture_step_reads_over_sign_and_encrypt(
    qtbot: Any, tmp_path: Path, secure: OpcuaSimulator, certs: dict[str, Path]
) -> None:
    r = kiosk(qtbot, tmp_path, secure, certs, mode="sign-encrypt")
    try:
        r.login("olivia")
        batch = r.pilot.start("capture-demo", {})
        r.pilot.expect(key="culture.incubator_temp")
        read(r)
        assert text(r, "capture-value") == "37.0 °C"
        assert "Good · INC-1" in text(r, "capture-status")
        r.pilot.click("capture-record")
        r.pilot.expect(key="culture.viable_conc")
        record = r.kiosk.engine.batch(batch).records["culture.incubator_temp"]
        assert (record.value, record.payload["device"]) == (37.0, APPLICATION_URI)
    finally:
        r.kiosk.close()


def test_a_server_with_a_certificate_not_trusted_here_is_refused_in_one_line(
    qtbot: Any, tmp_path: Path, secure: OpcuaSimulator, certs: dict[str, Path]
) -> None:
    r = kiosk(qtbot, tmp_path, secure, certs, mode="sign-encrypt", trusted="impostor")
    try:
        r.login("olivia")
        batch = r.pilot.start("capture-demo", {})
        read(r)
        shown = text(r, "capture-detail")
        assert shown.startswith("Not read: ")
        assert "presents a certificate this station does not trust" in shown
        assert "\n" not in shown
        assert "Traceback" not in shown
        assert "culture.incubator_temp" not in r.kiosk.engine.batch(batch).records
    finally:
        r.kiosk.close()


def test_a_monitored_timer_is_sampled_over_sign(
    qtbot: Any, tmp_path: Path, secure: OpcuaSimulator, certs: dict[str, Path]
) -> None:
    recipe = ("monitor-demo", test_monitored_timer.RECIPE)
    r = kiosk(qtbot, tmp_path, secure, certs, mode="sign", recipe=recipe)
    try:
        r.login("olivia")
        batch = r.pilot.start("monitor-demo", {})
        r.pilot.timer_start()
        wait_until(lambda: test_monitored_timer.samples_of(r, batch) >= 2, timeout=20)
        wait_until(lambda: "temperature 37 °C" in text(r, "monitor-values"))
        assert "monitor.gap" not in test_monitored_timer.kinds(r, batch)
    finally:
        r.kiosk.close()


def test_monitoring_refuses_an_untrusted_server_with_a_recorded_gap(
    qtbot: Any, tmp_path: Path, secure: OpcuaSimulator, certs: dict[str, Path]
) -> None:
    recipe = ("monitor-demo", test_monitored_timer.RECIPE)
    r = kiosk(qtbot, tmp_path, secure, certs, mode="sign", trusted="impostor", recipe=recipe)
    try:
        r.login("olivia")
        batch = r.pilot.start("monitor-demo", {})
        r.pilot.timer_start()
        wait_until(lambda: "monitor.gap" in test_monitored_timer.kinds(r, batch), timeout=20)
        wait_until(lambda: text(r, "monitor-gap") != "")
        shown = text(r, "monitor-gap")
        assert shown.startswith("Monitoring stopped: ")
        assert "presents a certificate this station does not trust" in shown
        assert "\n" not in shown
        (gap,) = [e.payload for e in r.kiosk.engine.history(batch) if e.type == "monitor.gap"]
        assert "does not trust" in gap["reason"]
        assert gap["end"] is None
        assert test_monitored_timer.samples_of(r, batch) == 0
    finally:
        r.kiosk.close()
