"""A simulated OPC UA server: an incubator and a controlled-rate freezer, on loopback.

A real asyncua server in a thread of its own (its own event loop), so tests,
`make demo` and `kiosk devices simulate opcua` talk to it over TCP exactly as
to a plant's equipment:

- `Incubator` (`ns=2;s=Incubator.Temperature` °C, `ns=2;s=Incubator.CO2` %,
  `ns=2;s=Incubator.SerialNumber`);
- `Freezer` (`ns=2;s=Freezer.ChamberTemperature` °C following a
  controlled-rate curve, `ns=2;s=Freezer.SerialNumber`);
- `StorageTank` (`ns=2;s=StorageTank.Temperature` °C, vapour-phase LN2, and
  `ns=2;s=StorageTank.SerialNumber`).

Every value variable has an `EngineeringUnits` property (`EUInformation`,
UNECE codes, display names `°C` and `%`) and carries a source timestamp.
The server's ApplicationUri is `urn:cleanroom-kiosk:sim:incubator`.

Security: None, and/or Basic256Sha256 Sign and SignAndEncrypt with a server
certificate and key; client certificates are accepted only if they are in
`trusted_clients` (any other is refused with BadCertificateUntrusted).

`drop()` stops the server (connections break, the port closes) and
`restart()` brings it back on the same port, for gap tests.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asyncua import Server, ua
from asyncua.crypto import uacrypto
from cryptography import x509
from cryptography.hazmat.primitives import serialization

log = logging.getLogger(__name__)

NAMESPACE = "urn:cleanroom-kiosk:sim"
APPLICATION_URI = "urn:cleanroom-kiosk:sim:incubator"
INCUBATOR_SERIAL = "INC-SIM-0001"
FREEZER_SERIAL = "CRF-SIM-0001"
TANK_SERIAL = "TANK-SIM-0001"
_UNECE = "http://www.opcfoundation.org/UA/units/un/cefact"
# UNECE common codes: CEL degree Celsius, P1 percent, MIN minute
UNITS = {"°C": ("CEL", "degree Celsius"), "%": ("P1", "percent"), "min": ("MIN", "minute")}


def eu_information(display: str) -> ua.EUInformation:
    """The EUInformation of a unit by its display name (UNECE code as UnitId)."""
    code, description = UNITS[display]
    unit_id = 0
    for char in code:
        unit_id = (unit_id << 8) | ord(char)
    return ua.EUInformation(
        NamespaceUri=_UNECE,
        UnitId=unit_id,
        DisplayName=ua.LocalizedText(display),
        Description=ua.LocalizedText(description),
    )


def freezer_curve(minutes: float) -> float:
    """Chamber temperature of a typical controlled-rate freezing programme (°C).

    Hold at 4 °C for 5 min, −1 °C/min to −40 °C, then −10 °C/min to −90 °C, hold.
    """
    if minutes <= 5:
        return 4.0
    minutes -= 5
    if minutes <= 44:
        return round(4.0 - minutes, 3)
    minutes -= 44
    return round(max(-90.0, -40.0 - 10 * minutes), 3)


@dataclass(frozen=True)
class ServerSecurity:
    """The server's certificate and key (PEM or DER), and the client certificates it trusts."""

    certificate: Path
    private_key: Path
    trusted_clients: Sequence[Path] = ()
    allow_none: bool = False
    modes: Sequence[str] = ("sign", "sign-encrypt")


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class OpcuaSimulator:
    """The simulated equipment server; a context manager (start on enter, stop on exit)."""

    def __init__(
        self,
        *,
        port: int | None = None,
        security: ServerSecurity | None = None,
        freezer_speed: float = 60.0,
        serial: str = INCUBATOR_SERIAL,
    ) -> None:
        """`freezer_speed`: programme minutes per real second (60: one minute a second)."""
        self.port = port or free_port()
        self.security = security
        self.freezer_speed = freezer_speed
        self.serial = serial
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: Server | None = None
        self._nodes: dict[str, Any] = {}
        self._values: dict[str, tuple[Any, int]] = {
            "Incubator.Temperature": (37.0, ua.StatusCodes.Good),
            "Incubator.CO2": (5.0, ua.StatusCodes.Good),
            "StorageTank.Temperature": (-185.0, ua.StatusCodes.Good),
        }
        self._started_at = 0.0
        self._running = False

    @property
    def endpoint(self) -> str:
        return f"opc.tcp://127.0.0.1:{self.port}/kiosk-sim/"

    @property
    def running(self) -> bool:
        return self._running

    # ---------------------------------------------------------------- life cycle

    def __enter__(self) -> OpcuaSimulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start the loop thread and the server; return when it listens."""
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(
            target=loop.run_forever, name="opcua-simulator", daemon=True
        )
        self._thread.start()
        self._call(self._start())

    def stop(self) -> None:
        """Stop the server and its thread."""
        if self._loop is None:
            return
        if self._running:
            self._call(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop.close()
        self._loop = None

    def drop(self) -> None:
        """Take the server off the network (as a cable pulled or the equipment rebooting)."""
        if self._running:
            self._call(self._stop())

    def restart(self) -> None:
        """Bring the server back on the same port."""
        if not self._running:
            self._call(self._start())

    def set_value(self, name: str, value: float, *, status: str = "Good") -> None:
        """Set `Incubator.Temperature`, `Incubator.CO2` or `StorageTank.Temperature`, with a
        status code name."""
        code = getattr(ua.StatusCodes, status)
        self._values[name] = (value, code)
        if self._running:
            self._call(self._write(name))

    def _call(self, coro: Any) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(30)

    # ---------------------------------------------------------------- the server

    async def _start(self) -> None:
        server = Server()
        await server.init()
        server.set_endpoint(self.endpoint)
        server.set_server_name("Cleanroom kiosk simulated incubator and freezer")
        await server.set_application_uri(APPLICATION_URI)
        policies = []
        sec = self.security
        if sec is None or sec.allow_none:
            policies.append(ua.SecurityPolicyType.NoSecurity)
        if sec is not None:
            if "sign" in sec.modes:
                policies.append(ua.SecurityPolicyType.Basic256Sha256_Sign)
            if "sign-encrypt" in sec.modes:
                policies.append(ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt)
            await server.load_certificate(str(sec.certificate))
            await server.load_private_key(str(sec.private_key))
            trusted = [_der(path) for path in sec.trusted_clients]

            async def validate(cert: x509.Certificate, app: ua.ApplicationDescription) -> None:
                if cert.public_bytes(serialization.Encoding.DER) not in trusted:
                    log.warning("OPC UA simulator: refused untrusted client %s", app.ApplicationUri)
                    raise ua.uaerrors.BadCertificateUntrusted()

            server.set_certificate_validator(validate)
        server.set_security_policy(policies)
        idx = await server.register_namespace(NAMESPACE)
        objects = server.nodes.objects
        incubator = await objects.add_object(ua.NodeId("Incubator", idx), f"{idx}:Incubator")
        for name, unit in (("Temperature", "°C"), ("CO2", "%")):
            key = f"Incubator.{name}"
            node = await incubator.add_variable(
                ua.NodeId(key, idx), f"{idx}:{name}", 0.0, ua.VariantType.Double
            )
            await _units(node, unit, ua.NodeId(f"{key}.EngineeringUnits", idx))
            self._nodes[key] = node
        await incubator.add_property(
            ua.NodeId("Incubator.SerialNumber", idx), "0:SerialNumber", self.serial
        )
        freezer = await objects.add_object(ua.NodeId("Freezer", idx), f"{idx}:Freezer")
        chamber = await freezer.add_variable(
            ua.NodeId("Freezer.ChamberTemperature", idx),
            f"{idx}:ChamberTemperature",
            4.0,
            ua.VariantType.Double,
        )
        await _units(chamber, "°C", ua.NodeId("Freezer.ChamberTemperature.EngineeringUnits", idx))
        self._nodes["Freezer.ChamberTemperature"] = chamber
        elapsed = await freezer.add_variable(
            ua.NodeId("Freezer.ProgramMinutes", idx),
            f"{idx}:ProgramMinutes",
            0.0,
            ua.VariantType.Double,
        )
        await _units(elapsed, "min", ua.NodeId("Freezer.ProgramMinutes.EngineeringUnits", idx))
        self._nodes["Freezer.ProgramMinutes"] = elapsed
        await freezer.add_property(
            ua.NodeId("Freezer.SerialNumber", idx), "0:SerialNumber", FREEZER_SERIAL
        )
        tank = await objects.add_object(ua.NodeId("StorageTank", idx), f"{idx}:StorageTank")
        stored = await tank.add_variable(
            ua.NodeId("StorageTank.Temperature", idx),
            f"{idx}:Temperature",
            0.0,
            ua.VariantType.Double,
        )
        await _units(stored, "°C", ua.NodeId("StorageTank.Temperature.EngineeringUnits", idx))
        self._nodes["StorageTank.Temperature"] = stored
        await tank.add_property(
            ua.NodeId("StorageTank.SerialNumber", idx), "0:SerialNumber", TANK_SERIAL
        )
        await server.start()
        self._server = server
        self._running = True
        loop = asyncio.get_running_loop()
        if not self._started_at:
            self._started_at = loop.time()
        for name in self._values:
            await self._write(name)
        self._ticker = loop.create_task(self._tick())
        log.info("OPC UA simulator listening on %s", self.endpoint)

    async def _stop(self) -> None:
        self._running = False
        self._ticker.cancel()
        assert self._server is not None
        await self._server.stop()
        self._server = None

    async def _write(self, name: str) -> None:
        value, code = self._values[name]
        await self._nodes[name].write_value(
            ua.DataValue(
                ua.Variant(float(value), ua.VariantType.Double),
                StatusCode=ua.StatusCode(code),
                SourceTimestamp=datetime.now(UTC),
            )
        )

    async def _tick(self) -> None:
        """Advance the freezer programme every 0.1 s."""
        loop = asyncio.get_running_loop()
        while self._running:
            minutes = (loop.time() - self._started_at) * self.freezer_speed / 60
            now = datetime.now(UTC)
            for name, value in (
                ("Freezer.ChamberTemperature", freezer_curve(minutes)),
                ("Freezer.ProgramMinutes", round(minutes, 3)),
            ):
                await self._nodes[name].write_value(
                    ua.DataValue(ua.Variant(value, ua.VariantType.Double), SourceTimestamp=now)
                )
            await asyncio.sleep(0.1)


async def _units(node: Any, display: str, nodeid: ua.NodeId) -> None:
    await node.add_property(
        nodeid,
        ua.QualifiedName("EngineeringUnits", 0),
        eu_information(display),
        ua.VariantType.ExtensionObject,
        ua.NodeId(ua.ObjectIds.EUInformation),
    )


def _der(path: Path) -> bytes:
    data = Path(path).read_bytes()
    cert = uacrypto.x509_from_der(data) if not data.startswith(b"-----") else None
    if cert is None:
        cert = x509.load_pem_x509_certificate(data)
    return cert.public_bytes(serialization.Encoding.DER)
