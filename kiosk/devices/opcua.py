"""Process equipment over OPC UA (asyncua): identity, named node reads, sampled series.

For an engine step or a command, the plain functions are the surface:

- `read_nodes(endpoint, {"temperature": "ns=2;s=Incubator.Temperature"})` →
  one `NodeReading` per name: value, unit (the node's `EngineeringUnits`
  property, `EUInformation.DisplayName`, e.g. ``°C``), source timestamp,
  status, and the identity of the server it came from;
- `identify(endpoint)` → the server's identity: its ApplicationUri, or the
  value of a serial-number node when the endpoint names one;
- `identity_problem(...)` → why that identity may not serve a role
  (registered, accepted by a technician, calibration not overdue), as for
  balances;
- `sample_series(endpoint, nodes, interval=..., count=...)` → a `Series` of
  samples and `Gap`s: on connection loss it retries with back-off and records
  the gap; it never invents a value.

Security: `OpcuaSecurity(mode="none")` only when configured explicitly;
otherwise Basic256Sha256 with Sign or SignAndEncrypt, the station's client
certificate and key, and the server certificate the station trusts. A server
presenting any other certificate is refused before a session is opened.

Every failure is a `DeviceError` with an operator-readable message and a
kind: ``timeout`` (unreachable), ``missing`` (no such node), ``bad`` (bad
status), ``untrusted`` (certificate), ``config``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import math
import socket
from collections.abc import Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from asyncua import Client, ua
from asyncua.crypto import cert_gen, uacrypto
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from kiosk.devices.errors import DeviceError
from kiosk.devices.manager import identity_problem as registered_problem
from kiosk.text import Text

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from kiosk.config import OpcuaRole
    from kiosk.devices.manager import Acceptance
    from kiosk.masterdata import MasterData

log = logging.getLogger(__name__)

SecurityMode = Literal["none", "sign", "sign-encrypt"]
CLIENT_APPLICATION_URI = "urn:cleanroom-kiosk:station"
SERVER_ARRAY = "i=2254"  # Server.ServerArray: [0] is the server's own ApplicationUri


@dataclass(frozen=True)
class OpcuaSecurity:
    """How the station talks to one endpoint. `mode="none"` must be chosen explicitly."""

    mode: SecurityMode
    certificate: Path | None = None  # the station's client certificate (DER or PEM)
    private_key: Path | None = None  # its private key (PEM)
    server_certificate: Path | None = None  # the one server certificate trusted here
    application_uri: str = CLIENT_APPLICATION_URI  # must be in the client certificate's SAN

    def problem(self) -> str | None:
        if self.mode == "none":
            return None
        missing = [
            name
            for name, value in (
                ("client certificate", self.certificate),
                ("client private key", self.private_key),
                ("trusted server certificate", self.server_certificate),
            )
            if value is None
        ]
        if missing:
            return f"security {self.mode} needs a {', a '.join(missing)}"
        return None


@dataclass(frozen=True)
class OpcuaEndpoint:
    """One piece of equipment: its URL, security and where its identity is read."""

    url: str
    security: OpcuaSecurity
    serial_node: str | None = None  # e.g. "ns=2;s=Incubator.SerialNumber"; else ApplicationUri
    timeout: float = 4.0


@dataclass(frozen=True)
class NodeReading:
    """One node's value as the equipment reported it."""

    name: str
    node_id: str
    value: Any
    unit: str | None
    source_timestamp: datetime | None
    status: str  # the status code's name, e.g. "Good", "BadSensorFailure"
    source: str  # the server's identity (ApplicationUri or serial number)

    @property
    def good(self) -> bool:
        return self.status.startswith("Good")

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "node": self.node_id,
            "value": _plain(self.value),
            "unit": self.unit,
            "source_timestamp": (
                self.source_timestamp.isoformat() if self.source_timestamp else None
            ),
            "status": self.status,
            "source": self.source,
        }


def _plain(value: Any) -> Any:
    """A JSON-ready form of a node value: numbers, text, booleans and lists as they are."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    text = getattr(value, "Text", None)  # LocalizedText
    return text if isinstance(text, str) else str(value)


@dataclass(frozen=True)
class Sample:
    at: datetime  # when the station read it
    readings: tuple[NodeReading, ...]


@dataclass
class Gap:
    """A time without readings: the start, the end (None while open) and why."""

    start: datetime
    reason: str
    end: datetime | None = None


@dataclass
class Series:
    """Samples of a set of nodes at an interval, with the gaps where none could be read."""

    nodes: dict[str, str]
    interval: float
    samples: list[Sample] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    source: str | None = None

    def values(self, name: str) -> list[tuple[datetime, Any]]:
        """(station time, value) of one node, good readings only."""
        return [
            (s.at, r.value) for s in self.samples for r in s.readings if r.name == name and r.good
        ]


def endpoint_from_config(role: OpcuaRole) -> OpcuaEndpoint:
    """The endpoint of a station configuration's `[opcua.ROLE]`."""
    security = OpcuaSecurity(
        role.security, role.certificate, role.private_key, role.server_certificate
    )
    return OpcuaEndpoint(role.endpoint, security, role.serial_node, role.timeout)


def read_role(role: OpcuaRole, names: list[str] | None = None) -> list[NodeReading]:
    """Read a configured equipment's named nodes (all of them when `names` is None)."""
    wanted = list(role.nodes) if names is None else names
    unknown = [name for name in wanted if name not in role.nodes]
    if unknown:
        raise DeviceError(
            Text(
                "no node named {unknown} in the configuration (known: {value})",
                unknown=", ".join(unknown),
                value=", ".join(role.nodes) or "none",
            ),
            "config",
        )
    return read_nodes(endpoint_from_config(role), {name: role.nodes[name] for name in wanted})


# ---------------------------------------------------------------- connecting


def _failure(exc: BaseException, url: str) -> DeviceError:
    """One operator line for what went wrong while talking to `url`."""
    if isinstance(exc, DeviceError):
        return exc

    if isinstance(exc, ua.uaerrors.BadCertificateUntrusted | ua.uaerrors.BadSecurityChecksFailed):
        return DeviceError(
            Text(
                "{url} does not trust this station's certificate — the "
                "equipment's administrator must trust it",
                url=url,
            ),
            "untrusted",
        )
    if isinstance(exc, ua.UaError) and "No matching endpoints" in str(exc):
        return DeviceError(
            Text(
                "{url} does not offer this security mode (security none "
                "needs the server to allow it)",
                url=url,
            ),
            "config",
        )
    if isinstance(exc, ua.UaStatusCodeError):
        return DeviceError(
            Text("{url} refused: {error}", url=url, error=type(exc).__name__), "refused"
        )
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return DeviceError(
            Text("no answer from {url} — check that the equipment is on", url=url), "timeout"
        )
    if isinstance(exc, OSError | ConnectionError | socket.gaierror):
        return DeviceError(
            Text("cannot reach {url} — check the address and that the equipment is on", url=url),
            "timeout",
        )
    return DeviceError(Text("{url}: {exc}", url=url, exc=exc), "refused")


def _check_url(url: str) -> None:
    if not url.startswith("opc.tcp://"):
        raise DeviceError(
            Text("{url!r} is not an OPC UA endpoint (opc.tcp://host:port/...)", url=url), "config"
        )


async def _trusted_server_check(client: Client, endpoint: OpcuaEndpoint) -> None:
    """Refuse a server whose certificate is not the one trusted, before any secure exchange."""

    security = endpoint.security
    assert security.server_certificate is not None
    trusted = await uacrypto.load_certificate(str(security.server_certificate))
    trusted_der = trusted.public_bytes(serialization.Encoding.DER)
    endpoints = await client.connect_and_get_server_endpoints()
    offered = {bytes(e.ServerCertificate or b"") for e in endpoints}
    offered.discard(b"")
    if offered and not any(trusted_der == der[: len(trusted_der)] for der in offered):
        raise DeviceError(
            Text(
                "{url} presents a certificate this station does not trust — "
                "check that it is the right equipment, then install its "
                "certificate",
                url=endpoint.url,
            ),
            "untrusted",
        )


@asynccontextmanager
async def connect(endpoint: OpcuaEndpoint) -> AsyncIterator[Client]:
    """An open session with the endpoint's security; DeviceError when that is not possible."""

    _check_url(endpoint.url)
    security = endpoint.security
    problem = security.problem()
    if problem:
        raise DeviceError(problem, "config")
    client = Client(endpoint.url, timeout=endpoint.timeout, watchdog_intervall=endpoint.timeout)
    client.application_uri = security.application_uri
    try:
        if security.mode != "none":
            await asyncio.wait_for(_trusted_server_check(client, endpoint), endpoint.timeout * 2)
            mode = (
                ua.MessageSecurityMode.Sign
                if security.mode == "sign"
                else ua.MessageSecurityMode.SignAndEncrypt
            )
            await client.set_security(
                SecurityPolicyBasic256Sha256,
                str(security.certificate),
                str(security.private_key),
                server_certificate=str(security.server_certificate),
                mode=mode,
            )
        await asyncio.wait_for(client.connect(), endpoint.timeout * 2)
    except Exception as exc:
        raise _failure(exc, endpoint.url) from exc
    try:
        yield client
    finally:
        try:
            await asyncio.wait_for(client.disconnect(), endpoint.timeout)
        except Exception as exc:  # the connection may be gone already: nothing to close
            log.debug("OPC UA: disconnect from %s: %s", endpoint.url, exc)
        finally:  # a disconnect cut short (timeout, stop) must not leave the socket open
            with contextlib.suppress(Exception):
                client.disconnect_socket()


async def identify_async(client: Client, endpoint: OpcuaEndpoint) -> str:
    """The server's serial number (when a node is configured) or its ApplicationUri."""
    node_id = endpoint.serial_node or SERVER_ARRAY
    reading = await read_node_async(client, "identity", node_id, source="", with_unit=False)
    if not reading.good:
        raise DeviceError(
            Text(
                "{url}: the identity node {node_id} has status {status}",
                url=endpoint.url,
                node_id=node_id,
                status=reading.status,
            ),
            "bad",
        )
    value = reading.value
    if endpoint.serial_node is None:
        value = value[0] if isinstance(value, list) and value else None
    if not isinstance(value, str) or not value.strip():
        raise DeviceError(
            Text("{url}: no identity in {node_id}", url=endpoint.url, node_id=node_id), "bad"
        )
    return value.strip()


async def read_node_async(
    client: Client, name: str, node_id: str, *, source: str, with_unit: bool = True
) -> NodeReading:
    """Read one node's value, status, source timestamp and EngineeringUnits."""

    try:
        node = client.get_node(node_id)
    except Exception as exc:
        raise DeviceError(
            Text("{node_id!r} is not a node id (ns=2;s=Name or i=2254)", node_id=node_id), "config"
        ) from exc
    data = await node.read_attribute(ua.AttributeIds.Value, None, False)
    status = data.StatusCode or ua.StatusCode(ua.StatusCodes.Good)
    if status.value in (ua.StatusCodes.BadNodeIdUnknown, ua.StatusCodes.BadNodeIdInvalid):
        raise DeviceError(Text("the equipment has no node {node_id}", node_id=node_id), "missing")
    if status.value == ua.StatusCodes.BadAttributeIdInvalid:
        raise DeviceError(
            Text("{node_id} is not a variable: it has no value to read", node_id=node_id), "missing"
        )
    unit = await _unit(node) if with_unit else None
    value = data.Value.Value if data.Value is not None else None
    if isinstance(value, float) and not math.isfinite(value):
        status = ua.StatusCode(ua.StatusCodes.BadOutOfRange)
    stamp = data.SourceTimestamp
    if stamp is not None and stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return NodeReading(name, node_id, value, unit, stamp, status.name, source)


async def _unit(node: Any) -> str | None:
    """`EngineeringUnits` display name, or None when the node has none."""

    try:
        prop = await node.get_child("0:EngineeringUnits")
        info = await prop.read_value()
    except ua.UaStatusCodeError:
        return None
    if isinstance(info, ua.EUInformation) and info.DisplayName and info.DisplayName.Text:
        return str(info.DisplayName.Text)
    return None


# ---------------------------------------------------------------- the plain functions


def _run(coro: Awaitable[Any]) -> Any:
    async def guarded() -> Any:
        return await coro

    return asyncio.run(guarded())


def identify(endpoint: OpcuaEndpoint) -> str:
    """Connect, and return the server's identity."""

    async def go() -> str:
        async with connect(endpoint) as client:
            try:
                return await identify_async(client, endpoint)
            except DeviceError:
                raise
            except Exception as exc:
                raise _failure(exc, endpoint.url) from exc

    result: str = _run(go())
    return result


def read_nodes(endpoint: OpcuaEndpoint, nodes: Mapping[str, str]) -> list[NodeReading]:
    """Connect, identify the server and read each named node once (bad statuses included)."""

    async def go() -> list[NodeReading]:
        async with connect(endpoint) as client:
            try:
                source = await identify_async(client, endpoint)
                return [
                    await read_node_async(client, name, node_id, source=source)
                    for name, node_id in nodes.items()
                ]
            except DeviceError:
                raise
            except Exception as exc:
                raise _failure(exc, endpoint.url) from exc

    result: list[NodeReading] = _run(go())
    return result


def identity_problem(
    identity: str,
    *,
    kind: str,
    role: str,
    masterdata: MasterData,
    accepted: Acceptance | None,
    today: date,
) -> str | None:
    """Why equipment reporting `identity` may not serve `role`, or None when it may.

    The same rules as a balance: registered under that serial (or
    ApplicationUri) as the role's kind, the device a technician accepted for the
    role, and its calibration not overdue.
    """
    _asset, problem = registered_problem(kind, role, identity, masterdata, accepted)
    if problem:
        return problem
    item = masterdata.by_serial(identity)
    if item is not None and item.calibration_due < today:
        return f"{item.id} calibration was due {item.calibration_due.isoformat()}"
    return None


# ---------------------------------------------------------------- sampling


async def sample_series_async(
    endpoint: OpcuaEndpoint,
    nodes: Mapping[str, str],
    *,
    interval: float,
    count: int,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    backoff: tuple[float, float] = (0.5, 8.0),
    on_sample: Callable[[Sample], None] | None = None,
    on_gap: Callable[[Gap], None] | None = None,
    stop: asyncio.Event | None = None,
) -> Series:
    """Take `count` ticks at `interval` seconds; a tick without a connection is part of a gap.

    On connection loss: the open gap starts at the last tick that failed,
    reconnection is tried with back-off (`backoff` = first delay, most), and
    the gap ends at the first tick read again. A node with a bad status is a
    sample with that status, not a gap.
    """
    series = Series(dict(nodes), interval)
    delay, most = backoff
    next_try = 0.0
    loop = asyncio.get_running_loop()
    gap: Gap | None = None
    session: Any = None
    client: Client | None = None

    async def close() -> None:
        nonlocal session, client
        if session is not None:
            try:
                await session.__aexit__(None, None, None)
            except Exception as exc:  # already broken: nothing more to close
                log.debug("OPC UA: closing %s: %s", endpoint.url, exc)
        session, client = None, None

    def open_gap(reason: str) -> None:
        nonlocal gap
        if gap is None:
            gap = Gap(clock(), reason)
            series.gaps.append(gap)
            log.warning("OPC UA: %s — no readings from %s until it answers", reason, endpoint.url)
            if on_gap:
                on_gap(gap)

    try:
        for tick in range(count):
            if stop is not None and stop.is_set():
                break
            started = loop.time()
            if client is None and started >= next_try:
                try:
                    session = connect(endpoint)
                    client = await session.__aenter__()
                    identity = await identify_async(client, endpoint)
                    if series.source is None:
                        series.source = identity
                    elif identity != series.source:
                        raise DeviceError(
                            Text(
                                "{url} is now {identity}, not {source}",
                                url=endpoint.url,
                                identity=identity,
                                source=series.source,
                            ),
                            "untrusted",
                        )
                    delay = backoff[0]
                except Exception as exc:
                    session, client = None, None
                    error = _failure(exc, endpoint.url)
                    if error.kind == "untrusted":
                        raise error from exc
                    open_gap(str(error))
                    next_try = started + delay
                    delay = min(delay * 2, most)
            if client is not None:
                try:
                    readings = tuple(
                        [
                            await asyncio.wait_for(
                                read_node_async(client, name, node_id, source=series.source or ""),
                                endpoint.timeout,
                            )
                            for name, node_id in nodes.items()
                        ]
                    )
                except DeviceError as exc:
                    if exc.kind in ("missing", "config"):
                        raise
                    await close()
                    open_gap(str(exc))
                    next_try = loop.time() + delay
                except Exception as exc:
                    await close()
                    open_gap(str(_failure(exc, endpoint.url)))
                    next_try = loop.time() + delay
                else:
                    sample = Sample(clock(), readings)
                    if gap is not None:
                        gap.end = sample.at
                        gap = None
                    series.samples.append(sample)
                    if on_sample:
                        on_sample(sample)
            if tick < count - 1:
                pause = max(0.0, interval - (loop.time() - started))
                if stop is None:
                    await asyncio.sleep(pause)
                else:  # a stop ends the wait at once, not after the interval
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), pause)
    finally:
        await close()
    return series


def sample_series(
    endpoint: OpcuaEndpoint,
    nodes: Mapping[str, str],
    *,
    interval: float,
    count: int,
    backoff: tuple[float, float] = (0.5, 8.0),
) -> Series:
    """`sample_series_async` from plain code (runs its own event loop)."""
    result: Series = _run(
        sample_series_async(endpoint, nodes, interval=interval, count=count, backoff=backoff)
    )
    return result


# ---------------------------------------------------------------- certificates


def generate_certificate(
    certificate: Path,
    private_key: Path,
    *,
    application_uri: str,
    name: str,
    server: bool,
    hostname: str = "localhost",
    days: int = 365,
) -> None:
    """A self-signed OPC UA application certificate (DER) and its key (PEM): set-up, tests."""

    key = cert_gen.generate_private_key()
    names: list[x509.GeneralName] = [
        x509.UniformResourceIdentifier(application_uri),
        x509.DNSName(hostname),
        x509.DNSName(socket.gethostname()),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ]
    usage = [ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]
    cert = cert_gen.generate_self_signed_app_certificate(key, name, {}, names, usage, days=days)
    certificate.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    private_key.write_bytes(cert_gen.dump_private_key_as_pem(key))
