"""OPC UA with Basic256Sha256 at the step (issue 14): a capture step read over SignAndEncrypt,
a monitored timer sampled over Sign, and a server presenting a certificate the station does
not trust refused with one line. The real asyncua simulator with certificates on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.devices.opcua import CLIENT_APPLICATION_URI, generate_certificate
from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator, ServerSecurity
from kiosk.screens.autopilot import settle, wait_until
from tests.gui.conftest import Rig
from tests.gui.incubator import MONITOR_RECIPE, incubator_rig, kinds, samples_of, shown
from tests.incubator import incubator_role
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
    role = incubator_role(
        sim,
        timeout=4,
        security=mode,
        certificate=str(certs["kiosk"]),
        private_key=str(certs["kiosk_key"]),
        server_certificate=str(certs[trusted]),
    )
    return incubator_rig(qtbot, tmp_path, role, recipe, accept="INC-1")


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
        assert shown(r, "capture-value") == "37.0 °C"
        assert "Good · INC-1" in shown(r, "capture-status")
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
        said = shown(r, "capture-detail")
        assert said.startswith("Not read: ")
        assert "presents a certificate this station does not trust" in said
        assert "\n" not in said
        assert "Traceback" not in said
        assert "culture.incubator_temp" not in r.kiosk.engine.batch(batch).records
    finally:
        r.kiosk.close()


def test_a_monitored_timer_is_sampled_over_sign(
    qtbot: Any, tmp_path: Path, secure: OpcuaSimulator, certs: dict[str, Path]
) -> None:
    recipe = ("monitor-demo", MONITOR_RECIPE)
    r = kiosk(qtbot, tmp_path, secure, certs, mode="sign", recipe=recipe)
    try:
        r.login("olivia")
        batch = r.pilot.start("monitor-demo", {})
        r.pilot.timer_start()
        wait_until(lambda: samples_of(r, batch) >= 2, timeout=20)
        wait_until(lambda: "temperature 37 °C" in shown(r, "monitor-values"))
        assert "monitor.gap" not in kinds(r, batch)
    finally:
        r.kiosk.close()


def test_monitoring_refuses_an_untrusted_server_with_a_recorded_gap(
    qtbot: Any, tmp_path: Path, secure: OpcuaSimulator, certs: dict[str, Path]
) -> None:
    recipe = ("monitor-demo", MONITOR_RECIPE)
    r = kiosk(qtbot, tmp_path, secure, certs, mode="sign", trusted="impostor", recipe=recipe)
    try:
        r.login("olivia")
        batch = r.pilot.start("monitor-demo", {})
        r.pilot.timer_start()
        wait_until(lambda: "monitor.gap" in kinds(r, batch), timeout=20)
        wait_until(lambda: shown(r, "monitor-gap") != "")
        said = shown(r, "monitor-gap")
        assert said.startswith("Monitoring stopped: ")
        assert "presents a certificate this station does not trust" in said
        assert "\n" not in said
        (gap,) = [e.payload for e in r.kiosk.engine.history(batch) if e.type == "monitor.gap"]
        assert "does not trust" in gap["reason"]
        assert gap["end"] is None
        assert samples_of(r, batch) == 0
    finally:
        r.kiosk.close()
