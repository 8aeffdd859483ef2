"""OPC UA equipment against the real asyncua simulator on loopback, with real certificates."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.clock import system_clock
from kiosk.config import ConfigError, load_config
from kiosk.devices.errors import DeviceError
from kiosk.devices.manager import ACCEPTED, AcceptedDevices
from kiosk.devices.opcua import (
    CLIENT_APPLICATION_URI,
    Gap,
    OpcuaEndpoint,
    OpcuaSecurity,
    generate_certificate,
    identify,
    identity_problem,
    read_nodes,
    read_role,
    sample_series,
)
from kiosk.devices.sim_opcua import (
    APPLICATION_URI,
    INCUBATOR_SERIAL,
    OpcuaSimulator,
    ServerSecurity,
    freezer_curve,
)
from kiosk.masterdata import MasterData
from local_store import EventStore
from tests.helpers import run_kiosk

TEMPERATURE = "ns=2;s=Incubator.Temperature"
CO2 = "ns=2;s=Incubator.CO2"
CHAMBER = "ns=2;s=Freezer.ChamberTemperature"
SERIAL_NODE = "ns=2;s=Incubator.SerialNumber"


@dataclass(frozen=True)
class Certs:
    server: Path
    server_key: Path
    client: Path
    client_key: Path
    stranger: Path  # a client certificate the server does not trust
    stranger_key: Path
    impostor: Path  # another server certificate, not the trusted one
    impostor_key: Path


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    d = tmp_path_factory.mktemp("certs")
    paths = {}
    for name, uri, server in (
        ("server", APPLICATION_URI, True),
        ("client", CLIENT_APPLICATION_URI, False),
        ("stranger", CLIENT_APPLICATION_URI, False),
        ("impostor", APPLICATION_URI, True),
    ):
        cert, key = d / f"{name}.der", d / f"{name}.pem"
        generate_certificate(cert, key, application_uri=uri, name=name, server=server)
        paths[name], paths[f"{name}_key"] = cert, key
    return Certs(**paths)


@pytest.fixture(scope="module")
def plain() -> Iterator[OpcuaSimulator]:
    with OpcuaSimulator() as sim:
        yield sim


@pytest.fixture(scope="module")
def secure(certs: Certs) -> Iterator[OpcuaSimulator]:
    security = ServerSecurity(certs.server, certs.server_key, (certs.client,))
    with OpcuaSimulator(security=security) as sim:
        yield sim


def none_endpoint(sim: OpcuaSimulator, **options: object) -> OpcuaEndpoint:
    return OpcuaEndpoint(sim.endpoint, OpcuaSecurity("none"), **options)  # type: ignore[arg-type]


def test_reads_value_unit_timestamp_status_and_identity(plain: OpcuaSimulator) -> None:
    temperature, co2, chamber = read_nodes(
        none_endpoint(plain), {"temperature": TEMPERATURE, "co2": CO2, "chamber": CHAMBER}
    )
    assert (temperature.value, temperature.unit, temperature.status) == (37.0, "°C", "Good")
    assert (co2.value, co2.unit) == (5.0, "%")
    assert chamber.unit == "°C"
    assert -90.0 <= chamber.value <= 4.0
    assert temperature.source_timestamp is not None
    assert temperature.source_timestamp.tzinfo is not None
    assert temperature.source == APPLICATION_URI
    by_serial = none_endpoint(plain, serial_node=SERIAL_NODE)
    assert identify(by_serial) == INCUBATOR_SERIAL
    assert read_nodes(by_serial, {"t": TEMPERATURE})[0].source == INCUBATOR_SERIAL


def test_bad_status_is_reported_not_hidden(plain: OpcuaSimulator) -> None:
    plain.set_value("Incubator.CO2", 4.0, status="BadSensorFailure")
    try:
        (co2,) = read_nodes(none_endpoint(plain), {"co2": CO2})
        assert co2.status == "BadSensorFailure"
        assert not co2.good
        result = run_kiosk(
            "devices", "read-opcua", "--endpoint", plain.endpoint, "--node", CO2,
            "--security", "none",
        )  # fmt: skip
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            f"read-opcua: {CO2} has status BadSensorFailure: the value cannot be used"
        ]
    finally:
        plain.set_value("Incubator.CO2", 5.0)


def test_missing_node_refused(plain: OpcuaSimulator) -> None:
    with pytest.raises(DeviceError, match=r"no node ns=2;s=Incubator\.O2") as caught:
        read_nodes(none_endpoint(plain), {"o2": "ns=2;s=Incubator.O2"})
    assert caught.value.kind == "missing"
    with pytest.raises(DeviceError, match="ns=2;s=Incubator is not a variable"):
        read_nodes(none_endpoint(plain), {"object": "ns=2;s=Incubator"})


def test_any_value_prints_as_json(plain: OpcuaSimulator) -> None:
    result = run_kiosk(
        "devices", "read-opcua", "--endpoint", plain.endpoint, "--node", "i=2254",
        "--security", "none", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["value"] == [APPLICATION_URI]
    name = run_kiosk(
        "devices",
        "read-opcua",
        "--endpoint",
        plain.endpoint,
        "--node",
        "i=2261",
        "--security",
        "none",
        "--json",
    )  # fmt: skip  (Server.ServerStatus: a structure)
    assert name.returncode == 0, name.stdout + name.stderr
    assert isinstance(json.loads(name.stdout)["value"], str)


@pytest.mark.parametrize("mode", ["sign", "sign-encrypt"])
def test_basic256sha256_with_trusted_certificates(
    secure: OpcuaSimulator, certs: Certs, mode: str
) -> None:
    security = OpcuaSecurity(mode, certs.client, certs.client_key, certs.server)  # type: ignore[arg-type]
    (reading,) = read_nodes(OpcuaEndpoint(secure.endpoint, security), {"t": TEMPERATURE})
    assert (reading.value, reading.unit, reading.source) == (37.0, "°C", APPLICATION_URI)


def test_server_refuses_an_untrusted_client_certificate(
    secure: OpcuaSimulator, certs: Certs
) -> None:
    security = OpcuaSecurity("sign", certs.stranger, certs.stranger_key, certs.server)
    with pytest.raises(DeviceError, match="does not trust this station") as caught:
        read_nodes(OpcuaEndpoint(secure.endpoint, security), {"t": TEMPERATURE})
    assert caught.value.kind == "untrusted"


def test_station_refuses_a_server_with_another_certificate(
    secure: OpcuaSimulator, certs: Certs
) -> None:
    security = OpcuaSecurity("sign-encrypt", certs.client, certs.client_key, certs.impostor)
    with pytest.raises(DeviceError, match="does not trust") as caught:
        read_nodes(OpcuaEndpoint(secure.endpoint, security), {"t": TEMPERATURE})
    assert caught.value.kind == "untrusted"


def test_security_none_needs_the_server_to_offer_it(secure: OpcuaSimulator) -> None:
    with pytest.raises(DeviceError, match="does not offer this security mode"):
        read_nodes(none_endpoint(secure), {"t": TEMPERATURE})


def test_secure_modes_need_certificates() -> None:
    with pytest.raises(DeviceError, match="needs a client certificate") as caught:
        read_nodes(
            OpcuaEndpoint("opc.tcp://127.0.0.1:4840/", OpcuaSecurity("sign")), {"t": TEMPERATURE}
        )
    assert caught.value.kind == "config"


def test_cli_reads_over_sign_encrypt(secure: OpcuaSimulator, certs: Certs) -> None:
    result = run_kiosk(
        "devices", "read-opcua", "--endpoint", secure.endpoint, "--node", TEMPERATURE,
        "--security", "sign-encrypt", "--cert", str(certs.client), "--key", str(certs.client_key),
        "--server-cert", str(certs.server), "--serial-node", SERIAL_NODE, "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    record = json.loads(result.stdout)
    assert (record["value"], record["unit"], record["status"], record["source"]) == (
        37.0,
        "°C",
        "Good",
        INCUBATOR_SERIAL,
    )
    assert record["source_timestamp"].endswith("+00:00")
    text = run_kiosk(
        "devices", "read-opcua", "--endpoint", secure.endpoint, "--node", TEMPERATURE,
        "--security", "sign", "--cert", str(certs.client), "--key", str(certs.client_key),
        "--server-cert", str(certs.server),
    )  # fmt: skip
    assert text.returncode == 0
    assert text.stdout.startswith("37.0 °C at ")
    assert text.stdout.rstrip().endswith(f"Good — {APPLICATION_URI}")


def test_cli_untrusted_is_one_line(secure: OpcuaSimulator, certs: Certs) -> None:
    result = run_kiosk(
        "devices", "read-opcua", "--endpoint", secure.endpoint, "--node", TEMPERATURE,
        "--security", "sign", "--cert", str(certs.stranger), "--key", str(certs.stranger_key),
        "--server-cert", str(certs.server),
    )  # fmt: skip
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    assert "does not trust this station's certificate" in result.stdout
    assert "Traceback" not in result.stderr


def test_cli_unreachable_and_missing_are_one_line(plain: OpcuaSimulator) -> None:
    gone = OpcuaSimulator()  # a free port nobody listens on
    result = run_kiosk(
        "devices", "read-opcua", "--endpoint", gone.endpoint, "--node", TEMPERATURE,
        "--security", "none", "--timeout", "1",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"read-opcua: cannot reach {gone.endpoint} — check the address and that the equipment is on"
    ]
    missing = run_kiosk(
        "devices", "read-opcua", "--endpoint", plain.endpoint, "--node", "ns=2;s=Nope",
        "--security", "none",
    )  # fmt: skip
    assert (missing.returncode, missing.stdout) == (
        1,
        "read-opcua: the equipment has no node ns=2;s=Nope\n",
    )
    assert "Traceback" not in missing.stderr + result.stderr


def test_series_records_a_gap_and_never_invents_values() -> None:
    with OpcuaSimulator() as sim:
        restarted = threading.Event()
        timers: list[threading.Timer] = []
        samples_seen: list[int] = []

        def after_sample(count: int) -> None:
            samples_seen.append(count)

        def restart_later(gap: Gap) -> None:
            def restart() -> None:
                sim.restart()
                restarted.set()

            timer = threading.Timer(1.5, restart)
            timers.append(timer)
            timer.start()

        endpoint = none_endpoint(sim, timeout=1.0)
        from kiosk.devices import opcua

        def on_sample(sample: opcua.Sample) -> None:
            after_sample(len(samples_seen))
            if len(samples_seen) == 3:
                sim.drop()

        import asyncio

        series = asyncio.run(
            opcua.sample_series_async(
                endpoint,
                {"temperature": TEMPERATURE},
                interval=0.2,
                count=40,
                backoff=(0.2, 0.4),
                on_sample=on_sample,
                on_gap=restart_later,
            )
        )
        for timer in timers:
            timer.join()
    assert restarted.is_set()
    assert len(series.gaps) == 1
    gap = series.gaps[0]
    assert gap.end is not None
    assert "cannot reach" in gap.reason or "no answer" in gap.reason
    before = [s for s in series.samples if s.at <= gap.start]
    after = [s for s in series.samples if s.at >= gap.end]
    assert len(before) == 3
    assert after
    assert len(before) + len(after) == len(series.samples) < 40  # nothing inside the gap
    assert {r.value for s in series.samples for r in s.readings} == {37.0}
    assert series.source == APPLICATION_URI


def test_sampling_the_freezer_curve() -> None:
    with OpcuaSimulator(freezer_speed=600.0) as sim:
        series = sample_series(
            none_endpoint(sim), {"chamber": CHAMBER}, interval=0.3, count=5, backoff=(0.1, 0.2)
        )
    values = [value for _at, value in series.values("chamber")]
    assert len(values) == 5
    assert not series.gaps
    assert values == sorted(values, reverse=True)  # the programme only cools
    assert values[-1] < values[0]


def test_freezer_curve_shape() -> None:
    assert freezer_curve(0) == 4.0
    assert freezer_curve(15) == -6.0
    assert freezer_curve(49) == -40.0
    assert freezer_curve(50) == -50.0
    assert freezer_curve(500) == -90.0


def test_identity_is_checked_like_a_balance(tmp_path: Path, plain: OpcuaSimulator) -> None:
    store = EventStore(tmp_path / "s.sqlite", "TEST-1")
    try:
        master = MasterData(store, system_clock)
        accepted = AcceptedDevices(store)
        today = date.today()
        identity = identify(none_endpoint(plain, serial_node=SERIAL_NODE))

        def problem() -> str | None:
            accepted.refresh()
            return identity_problem(
                identity,
                kind="incubator",
                role="incubator",
                masterdata=master,
                accepted=accepted.get("incubator"),
                today=today,
            )

        assert (
            problem()
            == f"incubator {INCUBATOR_SERIAL} is not registered: a technician must register it"
        )
        master.register_equipment(
            "INC-1", "incubator", INCUBATOR_SERIAL, "Heracell", today - timedelta(days=1), by="u:t"
        )
        assert "has not been accepted" in str(problem())
        store.append(
            ACCEPTED,
            {"role": "incubator", "serial": INCUBATOR_SERIAL, "asset": "INC-1"},
            actor="u:t",
        )
        assert problem() == f"INC-1 calibration was due {(today - timedelta(days=1)).isoformat()}"
        master.calibrate("INC-1", today + timedelta(days=300), by="u:t", certificate="CAL-9")
        assert problem() is None
    finally:
        store.close()


def test_configured_equipment_read_by_name(
    secure: OpcuaSimulator, certs: Certs, tmp_path: Path
) -> None:
    config = tmp_path / "station.toml"
    config.write_text(
        "[opcua.incubator]\n"
        'kind = "incubator"\n'
        f'endpoint = "{secure.endpoint}"\n'
        'security = "sign-encrypt"\n'
        f'certificate = "{certs.client}"\n'
        f'private_key = "{certs.client_key}"\n'
        f'server_certificate = "{certs.server}"\n'
        f'serial_node = "{SERIAL_NODE}"\n'
        "[opcua.incubator.nodes]\n"
        f'temperature = "{TEMPERATURE}"\n'
        f'co2 = "{CO2}"\n',
        encoding="utf-8",
    )
    role = load_config(config).opcua["incubator"]
    readings = read_role(role)
    assert [(r.name, r.value, r.unit, r.source) for r in readings] == [
        ("temperature", 37.0, "°C", INCUBATOR_SERIAL),
        ("co2", 5.0, "%", INCUBATOR_SERIAL),
    ]
    with pytest.raises(DeviceError, match="no node named o2"):
        read_role(role, ["o2"])
    result = run_kiosk(
        "devices", "read-opcua", "--config", str(config), "--role", "incubator", "--node", "co2"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("5.0 % at ")
    assert result.stdout.rstrip().endswith(f"Good — {INCUBATOR_SERIAL}")


def test_configuration_requires_certificates_for_secure_modes(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    config.write_text(
        '[opcua.freezer]\nkind = "freezer"\nendpoint = "opc.tcp://crf:4840/"\nsecurity = "sign"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="security sign needs certificate"):
        load_config(config)
    config.write_text(
        '[opcua.freezer]\nkind = "freezer"\nendpoint = "opc.tcp://crf:4840/"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"opcua\.freezer\.security: Field required"):
        load_config(config)  # security none must be written down


def test_simulate_opcua_command(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    from tests.helpers import ROOT

    client_cert, client_key = tmp_path / "kiosk.der", tmp_path / "kiosk.pem"
    made = run_kiosk("devices", "opcua-cert", "--cert", str(client_cert), "--key", str(client_key))
    assert made.returncode == 0, made.stdout
    again = run_kiosk("devices", "opcua-cert", "--cert", str(client_cert), "--key", str(client_key))
    assert (again.returncode, again.stdout) == (
        1,
        f"opcua-cert: {client_cert} exists; not overwritten\n",
    )
    certs = tmp_path / "server"
    with subprocess.Popen(
        [sys.executable, "-m", "kiosk", "devices", "simulate", "opcua", "--cert-dir", str(certs),
         "--trust", str(client_cert)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
    ) as process:  # fmt: skip
        try:
            assert process.stdout is not None
            endpoint = process.stdout.readline().strip()
            assert endpoint.startswith("opc.tcp://127.0.0.1:")
            secure = run_kiosk(
                "devices", "read-opcua", "--endpoint", endpoint, "--node", TEMPERATURE,
                "--security", "sign", "--cert", str(client_cert), "--key", str(client_key),
                "--server-cert", str(certs / "server.der"),
            )  # fmt: skip
            assert secure.returncode == 0, secure.stdout + secure.stderr
            assert secure.stdout.startswith("37.0 °C at ")
            plain = run_kiosk(
                "devices", "read-opcua", "--endpoint", endpoint, "--node", TEMPERATURE,
                "--security", "none",
            )  # fmt: skip
            assert plain.returncode == 1  # with certificates, None only with --allow-none
            assert "does not offer this security mode" in plain.stdout
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(30) == 0
