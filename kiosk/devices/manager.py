"""The device manager: one worker per configured balance or serial scanner role.

For each role of `StationConfig.devices` the manager finds the device by
identity (USB VID/PID/serial through `comports()`, a `/dev/serial/by-id/…`
path, or a pyserial URL or path: never `/dev/ttyUSBn`), opens it, asks it who
it is, and checks it before trusting anything it says (21 CFR 11.10(h)):

1. the serial number belongs to the equipment master (`MasterData.by_serial`),
   registered as the role's kind;
2. it is the device a technician accepted for this role (the last
   `device.accepted {role, serial, asset}` event of this station).

A device that fails either check is *refused*: its readings never reach
`on_weight` / `on_code`, and the status says what a technician must do. The
port stays open, so the swap workflow (`kiosk.devices.swap`) can still ask the
refused device its serial number and weigh a reference weight on it, and an
acceptance takes effect without a reconnect.

A balance role's worker polls `read_now()` a few times a second and delivers
`on_weight(role, WeightReading)`. A serial scanner role is read by
`kiosk.devices.serial_scanner.SerialScanner` (its own thread and reconnect
loop); the manager hands it the port only through a factory that finds and
checks the scanner (its USB serial number, or `serial_number` from the
configuration), and checks every read against the acceptance of that moment. Whether a
trusted balance may be used for a batch step right now (calibration, today's
daily check) is the engine's decision at the moment of use; the manager shows
that problem in the status but keeps delivering the weight, which the daily
check itself needs.

Hot-plug: a port that goes away (DeviceError kind "unplugged", or the device
vanishing from its identity) is reported as "balance unplugged — reconnect
it"; the worker closes, backs off (bounded exponential), finds the device by
identity again, reopens and identifies it again before any reading counts.
Device I/O errors never leave a worker: they arrive through `on_status` and
`on_error`. Callbacks are called on the worker threads; a Qt bridge
(`kiosk.screens.bridge.DeviceBridge`) turns them into signals:

    DeviceManager(config, masterdata, clock=system_clock, store=store,
                  on_status=bridge.on_status, on_code=bridge.on_code,
                  on_error=bridge.on_error,
                  on_weight=lambda role, r: bridge.on_weight(r.value, r.unit, r.stable, r.device))

Camera roles, keyboard-wedge scanners and simulated scanners are read
elsewhere (the camera reader, the screens' key filter, the demo): the manager
only reports their configured status.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

from kiosk.config import Device, StationConfig
from kiosk.devices.balance import Balance, WeightReading
from kiosk.devices.errors import DeviceError
from kiosk.devices.transport import SerialTransport, Transport
from kiosk.text import Text
from local_store import Event, EventStore, StoreError

if TYPE_CHECKING:
    from kiosk.devices.decode import Code
    from kiosk.devices.serial_scanner import SerialScanner
    from kiosk.devices.sim_balance import BalanceSimulator
    from kiosk.masterdata import MasterData

log = logging.getLogger(__name__)

_T = TypeVar("_T")

ACCEPTED = "device.accepted"
"""The event a technician's signed acceptance writes: {role, serial, asset, signature}."""

BALANCE_DRIVERS = ("mt-sics", "sbi", "and", "simulator")
LINE_ENDS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}
_URL_SCHEMES = ("loop://", "socket://", "spy://", "rfc2217://", "hwgrep://", "alt://", "cp2110://")
_MAX_GARBLED = 3  # unreadable replies in a row before the balance is identified again


# ---------------------------------------------------------------- status


@dataclass(frozen=True)
class RoleStatus:
    """What the station knows about one device role, for the screens and the technician.

    `connected`: the device is there and identified itself. `trusted`: it is
    identified, registered and accepted for this role (its readings are
    delivered). `problem`: why it cannot be used now, in technician words
    (None when it can). `managed` is False for roles read elsewhere (cameras,
    keyboard-wedge scanners), whose status is what the configuration says.
    """

    role: str
    kind: str
    driver: str
    managed: bool = True
    connected: bool = False
    trusted: bool = False
    serial: str | None = None
    asset: str | None = None
    port: str | None = None
    problem: str | None = "starting"
    last_reading: datetime | None = None
    note: str = ""  # for roles the manager does not read: who does

    @property
    def ok(self) -> bool:
        """True when the device may be used now."""
        return self.problem is None and (not self.managed or (self.connected and self.trusted))

    @property
    def detail(self) -> str:
        """One line for the status bar and the technician screen."""
        if self.problem is not None:
            return self.problem
        if not self.managed:
            return self.note
        return f"{self.asset} ready (serial {self.serial})"


# ---------------------------------------------------------------- finding a device by identity

Comports = Callable[[], Iterable[Any]]
"""`serial.tools.list_ports.comports` or a stand-in returning objects with its attributes."""


def _comports() -> list[Any]:
    from serial.tools import list_ports  # noqa: PLC0415 - scanning sysfs only when needed

    return list(list_ports.comports())


@dataclass(frozen=True)
class Found:
    """Where a device was found: `port` to open, `node` it resolved to, how it was looked for."""

    port: str
    node: str
    how: str
    usb_serial: str | None = None


def _hex_id(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    try:
        return int(text, 16)
    except ValueError:
        raise DeviceError(
            Text("USB {what} {text!r} is not a hexadecimal number", what=what, text=text), "config"
        ) from None


def _is_url(text: str) -> bool:
    return "://" in text and text.startswith(_URL_SCHEMES)


class PortLocator:
    """Finds a role's device by what it is, each time it is asked (devices come and go)."""

    def __init__(self, device: Device, comports: Comports = _comports) -> None:
        self.device = device
        self._comports = comports

    def describe(self) -> str:
        """How the device is looked for, for messages."""
        d = self.device
        if d.usb is not None:
            parts = [
                f"{(d.usb.vid or '*').removeprefix('0x')}:{(d.usb.pid or '*').removeprefix('0x')}"
            ]
            if d.usb.serial:
                parts.append(f"serial {d.usb.serial}")
            return "USB " + " ".join(parts)
        if d.by_id is not None:
            return d.by_id
        return d.url or "(no way to find it configured)"

    def find(self) -> Found:
        """The device's port now; DeviceError "unplugged" if absent, "config" if ambiguous."""
        d = self.device
        if d.usb is not None:
            return self._find_usb()
        path = d.by_id if d.by_id is not None else d.url
        if path is None:
            raise DeviceError(
                Text("say how to find the device: usb, by_id or url in its [devices] section"),
                "config",
            )
        if _is_url(path):
            return Found(path, path, path)
        if not os.path.exists(path):
            raise DeviceError(Text("{path} is not there", path=path), "unplugged")
        node = os.path.realpath(path)
        return Found(path, node, path, self._usb_serial_of(node))

    def present(self, found: Found) -> bool:
        """Whether the device found before is still there, at the same place."""
        d = self.device
        if d.usb is not None:
            try:
                return any(p.device == found.node for p in self._matching())
            except DeviceError:
                return False
        if _is_url(found.port):
            return True  # a URL has no presence to check: I/O errors tell
        return os.path.exists(found.port) and os.path.realpath(found.port) == found.node

    def _matching(self) -> list[Any]:
        usb = self.device.usb
        assert usb is not None
        vid, pid = _hex_id(usb.vid, "vendor ID"), _hex_id(usb.pid, "product ID")
        return [
            p
            for p in self._comports()
            if (vid is None or p.vid == vid)
            and (pid is None or p.pid == pid)
            and (usb.serial is None or p.serial_number == usb.serial)
        ]

    def _find_usb(self) -> Found:
        matches = self._matching()
        if not matches:
            raise DeviceError(
                Text("no device with {describe} is connected", describe=self.describe()),
                "unplugged",
            )
        if len(matches) > 1:
            nodes = ", ".join(sorted(p.device for p in matches))
            raise DeviceError(
                Text(
                    "{matches} devices match {describe} ({nodes}): add the "
                    "serial to usb = {{…}} in the device's section",
                    matches=len(matches),
                    describe=self.describe(),
                    nodes=nodes,
                ),
                "config",
            )
        port = matches[0]
        return Found(port.device, port.device, self.describe(), port.serial_number or None)

    def _usb_serial_of(self, node: str) -> str | None:
        try:
            for port in self._comports():
                if port.device == node:
                    return str(port.serial_number) if port.serial_number else None
        except Exception:  # a sysfs oddity must not stop a by-id device
            log.debug("comports() failed while looking up %s", node, exc_info=True)
        return None


def open_transport(device: Device, port: str) -> SerialTransport:
    """Open `port` with the role's serial settings; DeviceError "unplugged" if it cannot."""
    return SerialTransport(
        port,
        baudrate=device.baudrate,
        bytesize=device.bytesize,
        parity=device.parity,
        stopbits=device.stopbits,
    )


def build_balance(device: Device, transport: Transport, *, timeout: float = 2.0) -> Balance:
    """The balance driver the role's configuration names."""
    eol = LINE_ENDS[device.line_end]
    if device.driver in ("mt-sics", "simulator"):
        from kiosk.devices.mt_sics import MtSicsBalance  # noqa: PLC0415 - only the drivers in use

        return MtSicsBalance(transport, timeout=timeout, eol=eol)
    if device.driver == "sbi":
        from kiosk.devices.sbi import SbiBalance  # noqa: PLC0415

        return SbiBalance(transport, serial_number=device.serial_number, timeout=timeout, eol=eol)
    if device.driver == "and":
        from kiosk.devices.and_gf import AndBalance  # noqa: PLC0415

        return AndBalance(transport, timeout=timeout, eol=eol)
    raise DeviceError(
        Text(
            "driver {driver} cannot read a balance: use one of mt-sics, sbi or and",
            driver=device.driver,
        ),
        "config",
    )


# ---------------------------------------------------------------- acceptance and trust


@dataclass(frozen=True)
class Acceptance:
    """The device a technician accepted for a role."""

    role: str
    serial: str
    asset: str
    ts: str
    by: str


class AcceptedDevices:
    """Projection of this station's `device.accepted` events: the accepted device per role.

    Thread-safe. `refresh()` reads events appended since the last look (by
    this process or another); `apply()` takes one event directly.
    """

    def __init__(self, store: EventStore | None) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._by_role: dict[str, Acceptance] = {}
        self._seq = 0
        self.refresh()

    def refresh(self) -> None:
        """Read this station's acceptances appended since the last refresh."""
        if self._store is None:
            return
        with self._lock:
            events = list(
                self._store.events(
                    types={ACCEPTED}, station=self._store.station, after_seq=self._seq
                )
            )
            for event in events:
                self._seq = max(self._seq, event.seq)
                self._apply(event)

    def apply(self, event: Event) -> None:
        """Take one acceptance now; `refresh` reads it again in order, so none is skipped."""
        with self._lock:
            self._apply(event)

    def _apply(self, event: Event) -> None:
        if event.type != ACCEPTED:
            return
        p = event.payload
        self._by_role[str(p["role"])] = Acceptance(
            str(p["role"]), str(p["serial"]), str(p.get("asset", "")), event.ts, event.actor
        )

    def get(self, role: str) -> Acceptance | None:
        with self._lock:
            return self._by_role.get(role)


def _master(read: Callable[[], _T]) -> _T:
    """Read the master-data projection from a worker while the UI thread may be changing it.

    `MasterData` has no lock; a registration at the same moment can make a
    dict iteration fail with RuntimeError. The read is simply repeated.
    """
    for _ in range(5):
        try:
            return read()
        except RuntimeError:
            time.sleep(0.001)
    return read()


def identity_problem(
    kind: str, role: str, serial: str, masterdata: MasterData, accepted: Acceptance | None
) -> tuple[str | None, str | None]:
    """(asset, refusal): why a device reporting `serial` may not serve `role`, or None.

    Registered as the role's kind in the equipment master, and the device a
    technician accepted for the role.
    """
    item = _master(lambda: masterdata.by_serial(serial))
    if item is None:
        return None, f"{kind} {serial} is not registered: a technician must register it"
    if item.kind != kind:
        return item.id, (
            f"serial {serial} is registered as {item.kind} {item.id}, not as a {kind}: "
            f"it cannot serve as {role}"
        )
    if accepted is None:
        return item.id, (
            f"{kind} {item.id} (serial {serial}) has not been accepted as {role}: "
            "a technician must accept it"
        )
    if accepted.serial != serial:
        return item.id, (
            f"a different {kind} (serial {serial}) is connected as {role}: "
            "a technician must accept it"
        )
    return item.id, None


def usage_problem(kind: str, serial: str, masterdata: MasterData) -> str | None:
    """Why a trusted device may not be used for a batch step now (balances: calibration, check)."""
    if kind != "balance":
        return None
    return _master(lambda: masterdata.balance_problem(serial))


# ---------------------------------------------------------------- the manager


StatusCallback = Callable[[str, bool, str], None]  # role, ok, text
WeightCallback = Callable[[str, WeightReading], None]  # role, reading
CodeCallback = Callable[[str, str], None]  # text, role (as DeviceBridge.on_code)
ErrorCallback = Callable[[str, str], None]  # message, role (as DeviceBridge.on_error)


def _unmanaged_note(device: Device) -> str | None:
    """Who reads this role if the manager does not; None when the manager does."""
    if device.kind == "camera":
        where = device.url or device.by_id or "the default camera"
        return f"camera ({device.driver}, {where}) — read by the camera decoder"
    if device.kind == "scanner" and device.driver == "wedge":
        return "keyboard-wedge scanner — read by the screens' key filter"
    if device.kind == "scanner" and device.driver == "simulator":
        return "simulated scanner — reads come from the demo"
    return None


class DeviceManager:
    """One worker per configured balance and serial scanner role; see the module docstring.

    `start()` returns at once; `stop()` ends and joins every worker. The
    timing arguments exist for tests and slow devices: `poll_interval`
    between weight readings, `presence_interval` between checks that the
    device is still where it was found, `recheck_interval` between looks at
    acceptance and master data, `backoff` the first and longest wait before
    looking for a device again, `io_timeout` per exchange with a device.
    """

    def __init__(
        self,
        config: StationConfig,
        masterdata: MasterData,
        *,
        clock: Callable[[], datetime],
        store: EventStore | None,
        on_status: StatusCallback | None = None,
        on_weight: WeightCallback | None = None,
        on_code: CodeCallback | None = None,
        on_error: ErrorCallback | None = None,
        poll_interval: float = 0.25,
        presence_interval: float = 1.0,
        recheck_interval: float = 1.0,
        backoff: tuple[float, float] = (0.5, 8.0),
        io_timeout: float = 2.0,
        comports: Comports = _comports,
    ) -> None:
        if not 0 < backoff[0] <= backoff[1]:
            raise ValueError("backoff must be (first, longest) with 0 < first <= longest")
        self.config = config
        self.masterdata = masterdata
        self.clock = clock
        self.store = store
        self.accepted_devices = AcceptedDevices(store)
        self._opcua_identified: dict[str, str] = {}  # role -> identity it last reported
        self.poll_interval = poll_interval
        self.presence_interval = presence_interval
        self.recheck_interval = recheck_interval
        self.backoff = backoff
        self.io_timeout = io_timeout
        self.comports = comports
        self._on_status = on_status
        self._on_weight = on_weight
        self._on_code = on_code
        self._on_error = on_error
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._statuses: dict[str, RoleStatus] = {}
        self._shown: dict[str, tuple[bool, str]] = {}
        self._workers: dict[str, _RoleWorker] = {}
        self._scanners: dict[str, _ScannerRole] = {}
        self._simulators: list[BalanceSimulator] = []
        self._started = False

    # ------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Start one worker per serial role; report the others' configured status."""
        if self._started:
            return
        self._started = True
        self._stopping.clear()
        for role, device in self.config.devices.items():
            status = RoleStatus(role, device.kind, device.driver)
            note = _unmanaged_note(device)
            if note is not None:
                self._set(replace(status, managed=False, problem=None, note=note))
                continue
            if device.kind == "balance" and device.driver not in BALANCE_DRIVERS:
                problem = (
                    f"driver {device.driver} cannot read a balance: "
                    "set driver to mt-sics, sbi or and"
                )
                self._set(replace(status, problem=problem))
                continue
            if device.kind == "scanner" and device.driver != "serial-scanner":
                problem = (
                    f"driver {device.driver} cannot read a scanner: set driver to serial-scanner"
                )
                self._set(replace(status, problem=problem))
                continue
            locator: _Locator = PortLocator(device, self.comports)
            if device.driver == "simulator":
                locator = _SimulatorLocator(self._simulate(device))
            self._set(replace(status, problem=f"looking for the {device.kind}"))
            if device.kind == "scanner":
                scanner = _ScannerRole(self, role, device, locator)
                self._scanners[role] = scanner
                scanner.start()
            else:
                worker = _RoleWorker(self, role, device, locator)
                self._workers[role] = worker
                worker.thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop every worker, close every port and join every thread (idempotent)."""
        self._stopping.set()
        workers = list(self._workers.values())
        for worker in workers:
            worker.requests.put(None)
        wait = timeout if timeout is not None else self.io_timeout + 5.0
        for worker in workers:
            worker.thread.join(wait)
            if worker.thread.is_alive():  # pragma: no cover - a driver ignoring its deadline
                log.error("device worker %s did not stop within %.1f s", worker.role, wait)
        self._workers.clear()
        for scanner in self._scanners.values():
            scanner.stop(wait)
        self._scanners.clear()
        for simulator in self._simulators:
            simulator.stop()
        self._simulators.clear()
        self._started = False

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------ what callers ask

    def status(self) -> dict[str, RoleStatus]:
        """The status of every configured role (a snapshot; never blocks on a device)."""
        with self._lock:
            return dict(self._statuses)

    def role_kind(self, role: str) -> str | None:
        """The configured kind of `role` ("balance", "scanner", "camera"), None if no such role."""
        device = self.config.devices.get(role)
        if device is None and role in self.config.opcua:
            return self.config.opcua[role].kind  # process equipment over OPC UA
        return None if device is None else device.kind

    def connected_serial(self, role: str) -> str | None:
        """The serial number the device connected in `role` reported, if one is connected."""
        if role in self.config.opcua:
            return self._opcua_identified.get(role)
        status = self.status().get(role)
        return status.serial if status is not None and status.connected else None

    def identify(self, role: str, timeout: float = 5.0) -> str:
        """Ask the device in `role` its serial number again (blocks: call off the UI thread).

        The answer is checked as at connection: a different device is refused. OPC UA
        equipment answers with its ApplicationUri or its configured serial-number node.
        """
        opcua = self.config.opcua.get(role)
        if opcua is not None:
            from kiosk.devices.opcua import endpoint_from_config  # noqa: PLC0415 - imports us
            from kiosk.devices.opcua import identify as identify_opcua  # noqa: PLC0415

            identity = identify_opcua(endpoint_from_config(opcua))
            self._opcua_identified[role] = identity
            return identity
        scanner = self._scanners.get(role)
        if scanner is not None:
            return scanner.identify()
        return self._call(role, lambda w: w.reidentify(), timeout)

    def read_stable(self, role: str, timeout: float = 10.0) -> WeightReading:
        """A stable weight from the balance in `role`, trusted or not (for the daily check)."""
        return self._call(role, lambda w: w.balance().read_stable(timeout), timeout + 2.0)

    def tare(self, role: str, timeout: float = 5.0) -> None:
        """Tare the balance in `role`."""
        self._call(role, lambda w: w.balance().tare(), timeout)

    def zero(self, role: str, timeout: float = 5.0) -> None:
        """Zero the balance in `role`."""
        self._call(role, lambda w: w.balance().zero(), timeout)

    def note_accepted(self, event: Event) -> None:
        """Take a `device.accepted` event now (the workers also find it in the store)."""
        self.accepted_devices.apply(event)
        role = str(event.payload.get("role", ""))
        worker = self._workers.get(role)
        if worker is not None:
            worker.requests.put(_Request(lambda w: w.recheck(), wake_only=True))
        scanner = self._scanners.get(role)
        if scanner is not None:
            scanner.recheck(force=True)

    # ------------------------------------------------------------ for the workers

    def _simulate(self, device: Device) -> BalanceSimulator:
        from kiosk.devices.sim_balance import MtSicsSimulator  # noqa: PLC0415 - demo stations only

        simulator = MtSicsSimulator(serial=device.serial_number or "SIM-0001")
        simulator.start()
        self._simulators.append(simulator)
        return simulator

    def _call(self, role: str, action: Callable[[_RoleWorker], _T], timeout: float) -> _T:
        worker = self._workers.get(role)
        if worker is None:
            if role not in self.config.devices:
                raise DeviceError(
                    Text("there is no device role {role} at this station", role=role), "config"
                )
            if role in self._scanners:
                raise DeviceError(Text("{role} is a scanner, not a balance", role=role), "config")
            raise DeviceError(Text("{role} is not read by the device manager", role=role), "config")
        request: _Request = _Request(action)
        worker.requests.put(request)
        if not request.done.wait(timeout + self.io_timeout + self.poll_interval):
            request.abandoned = True
            raise DeviceError(
                Text(
                    "the {kind} in {role} did not answer in time",
                    kind=worker.device.kind,
                    role=role,
                ),
                "timeout",
            )
        if request.error is not None:
            raise request.error
        result: _T = request.result
        return result

    def _set(self, status: RoleStatus) -> None:
        with self._lock:
            self._statuses[status.role] = status
            shown = (status.ok, status.detail)
            changed = self._shown.get(status.role) != shown
            self._shown[status.role] = shown
        if changed:
            log.info("%s: %s", status.role, status.detail)
            _safely(self._on_status, status.role, status.ok, status.detail)

    def _record_identity(
        self,
        role: str,
        serial: str,
        asset: str | None,
        refusal: str | None,
        found: Found,
        recorded: str | None,
    ) -> str:
        """Record a device accepted or refused in a role, once per change; the state recorded."""
        state = f"refused {serial}: {refusal}" if refusal else f"connected {serial}"
        if state != recorded:
            payload: dict[str, Any]
            if refusal is not None:
                payload = {"role": role, "serial": serial, "reason": refusal}
                self._record("device.refused", payload)
            else:
                payload = {
                    "role": role,
                    "serial": serial,
                    "asset": asset,
                    "port": found.port,
                    "found_by": found.how,
                }
                self._record("device.connected", payload)
        return state

    def _weight(self, role: str, reading: WeightReading) -> None:
        _safely(self._on_weight, role, reading)

    def _code(self, role: str, text: str) -> None:
        _safely(self._on_code, text, role)

    def _error(self, role: str, message: str) -> None:
        log.warning("%s: %s", role, message)
        _safely(self._on_error, message, role)

    def _record(self, type_: str, payload: dict[str, Any]) -> None:
        if self.store is None:
            return
        try:
            self.store.append(type_, payload, actor="system")
        except StoreError as exc:
            self._error(str(payload.get("role", "")), f"could not record {type_}: {exc}")


def _safely(callback: Callable[..., None] | None, *args: Any) -> None:
    """Call a receiver; its failure is logged and must not stop reading the device."""
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:
        log.exception("device callback %r failed", callback)


class _SimulatorLocator:
    """A demo station's simulated balance, on the pty of a simulator the manager runs."""

    def __init__(self, simulator: BalanceSimulator) -> None:
        self.simulator = simulator

    def describe(self) -> str:
        return "the built-in balance simulator"

    def find(self) -> Found:
        if not self.simulator.plugged:
            raise DeviceError(Text("the simulator is not running"), "unplugged")
        path = self.simulator.path
        return Found(path, path, self.describe())

    def present(self, found: Found) -> bool:
        return self.simulator.plugged and self.simulator.path == found.port


class _Locator(Protocol):
    def describe(self) -> str: ...

    def find(self) -> Found: ...

    def present(self, found: Found) -> bool: ...


@dataclass
class _Request:
    """Something a caller asks a worker to do with its device, on the worker's thread."""

    action: Callable[[_RoleWorker], Any]
    wake_only: bool = False  # nothing waits for the result
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: DeviceError | None = None
    abandoned: bool = False


class _Lost(Exception):
    """The connection is gone (unplugged, no answer, unreadable): reconnect and identify again."""


@dataclass
class _Link:
    """One open connection to a device and what was learned on it."""

    found: Found
    transport: Transport
    balance: Balance | None = None
    serial: str | None = None
    asset: str | None = None
    refusal: str | None = None
    usage: str | None = None
    transient: str | None = None
    last_error: str | None = None
    garbled: int = 0
    recorded: str | None = None  # the last state recorded as an event on this link


class _RoleWorker:
    """The thread serving one role: find, open, identify, check, read; again after a loss."""

    def __init__(
        self, manager: DeviceManager, role: str, device: Device, locator: _Locator
    ) -> None:
        self.m = manager
        self.role = role
        self.device = device
        self.kind = device.kind
        self.locator = locator
        self.requests: queue.Queue[_Request | None] = queue.Queue()
        self.link: _Link | None = None
        self.unplugged = False  # lost while connected: say "reconnect it" until it is back
        self.thread = threading.Thread(target=self._run, name=f"device-{role}", daemon=True)

    # ------------------------------------------------------------ the loop

    def _run(self) -> None:
        delay = self.m.backoff[0]
        try:
            while not self.m._stopping.is_set():
                identified = False
                try:
                    identified = self._session()
                except Exception:  # a bug, not a device error: keep the station going
                    log.exception("device worker %s failed", self.role)
                    self._problem(f"the {self.kind} reader failed — see the station log")
                finally:
                    self._close()
                delay = self.m.backoff[0] if identified else min(delay * 2, self.m.backoff[1])
                if self._idle(delay):
                    break
        finally:
            self._close()
            self._drain_requests()

    def _session(self) -> bool:
        """One connection, from finding the device to losing it; True if it was identified."""
        try:
            found = self.locator.find()
        except DeviceError as exc:
            if exc.kind == "config":
                self._problem(f"{self.kind}: {exc}")
            elif self.unplugged:
                self._problem(f"{self.kind} unplugged — reconnect it")
            else:
                self._problem(
                    f"{self.kind} not found — connect it (looking for {self.locator.describe()})"
                )
            return False
        try:
            self._open(found)
        except DeviceError as exc:  # there, but not ours to open: permissions, another program
            self._problem(f"{self.kind}: {exc}")
            return False
        try:
            serial = self._identify()
        except DeviceError as exc:
            self._problem(self._words(exc, found))
            return False
        self.unplugged = False
        self._judge(serial)
        try:
            self._serve(found)
        except _Lost as lost:
            self.unplugged = True
            self._problem(str(lost))
            link = self.link
            if link is not None and link.refusal is None:
                self.m._record(
                    "device.disconnected",
                    {"role": self.role, "serial": link.serial, "reason": str(lost)},
                )
        return True

    def _serve(self, found: Found) -> None:
        """Read the identified device until it is lost (raises _Lost) or the manager stops."""
        next_presence = time.monotonic() + self.m.presence_interval
        next_check = time.monotonic() + self.m.recheck_interval
        while not self.m._stopping.is_set():
            now = time.monotonic()
            if now >= next_presence:
                next_presence = now + self.m.presence_interval
                if not self.locator.present(found):
                    raise _Lost(f"{self.kind} unplugged — reconnect it")
            if now >= next_check:
                next_check = now + self.m.recheck_interval
                self.recheck()
            link = self._link()
            if link.refusal is None and link.balance is not None:
                self._read_weight(link, link.balance)
            if self._handle_requests(self.m.poll_interval):
                return

    # ------------------------------------------------------------ connection

    def _open(self, found: Found) -> None:
        transport = open_transport(self.device, found.port)
        link = _Link(found, transport)
        self.link = link
        self._update(connected=False, port=found.port)
        link.balance = build_balance(self.device, transport, timeout=self.m.io_timeout)

    def _identify(self) -> str:
        return self.balance().identify()

    def _close(self) -> None:
        link, self.link = self.link, None
        if link is not None:
            link.transport.close()
        self._update(connected=False, trusted=False)

    def _link(self) -> _Link:
        if self.link is None:
            raise DeviceError(
                Text("the {kind} in {role} is not connected", kind=self.kind, role=self.role),
                "unplugged",
            )
        return self.link

    def balance(self) -> Balance:
        """The connected balance (for requests); DeviceError if none is."""
        link = self._link()
        if link.balance is None:
            raise DeviceError(Text("{role} is not a balance", role=self.role), "config")
        return link.balance

    # ------------------------------------------------------------ trust

    def _judge(self, serial: str) -> None:
        """Check the identified device against the master and the acceptance, and say so."""
        link = self._link()
        previous = link.serial
        link.serial = serial
        if previous is not None and previous != serial:
            log.warning("%s: the device now reports serial %s, not %s", self.role, serial, previous)
        asset, refusal = identity_problem(
            self.kind, self.role, serial, self.m.masterdata, self.m.accepted_devices.get(self.role)
        )
        link.asset, link.refusal = asset, refusal
        link.usage = (
            usage_problem(self.kind, serial, self.m.masterdata) if refusal is None else None
        )
        link.recorded = self.m._record_identity(
            self.role, serial, asset, refusal, link.found, link.recorded
        )
        self._publish()

    def recheck(self) -> None:
        """Look again at acceptance and master data (they change while a device is connected)."""
        link = self.link
        if link is None or link.serial is None:
            return
        try:
            self.m.accepted_devices.refresh()
        except StoreError as exc:
            log.warning("%s: could not read accepted devices: %s", self.role, exc)
        self._judge(link.serial)

    def reidentify(self) -> str:
        """Ask the device its serial number again and check it (a request from the swap screen)."""
        serial = self._identify()
        self._judge(serial)
        return serial

    # ------------------------------------------------------------ reading

    def _read_weight(self, link: _Link, balance: Balance) -> None:
        try:
            reading = balance.read_now()
        except DeviceError as exc:
            self._reading_failed(link, exc)
            return
        link.garbled = 0
        link.last_error = None
        if link.transient is not None:
            link.transient = None
            self._publish()
        self._update(last_reading=self.m.clock())
        self.m._weight(self.role, reading)

    def _reading_failed(self, link: _Link, exc: DeviceError) -> None:
        if exc.kind == "unplugged":
            raise _Lost(f"{self.kind} unplugged — reconnect it") from exc
        if exc.kind == "timeout":
            raise _Lost(self._words(exc, link.found)) from exc
        if exc.kind == "garbled":
            link.garbled += 1
            if link.garbled >= _MAX_GARBLED:
                raise _Lost(f"{exc} — identifying the {self.kind} again") from exc
        else:
            link.transient = str(exc)  # overload, underload, unit, refused: shown until it clears
            self._publish()
        if link.last_error != str(exc):
            link.last_error = str(exc)
            self.m._error(self.role, str(exc))

    # ------------------------------------------------------------ requests and waiting

    def _handle_requests(self, wait: float) -> bool:
        """Run requests arriving within `wait` seconds (at least those waiting); True on stop."""
        deadline = time.monotonic() + wait
        while True:
            try:
                request = self.requests.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return False
            if request is None:
                return True
            self._run_request(request)

    def _run_request(self, request: _Request) -> None:
        if request.abandoned:
            return
        try:
            request.result = request.action(self)
        except DeviceError as exc:
            request.error = exc
            if exc.kind in ("unplugged", "timeout") and self.link is not None:
                raise _Lost(self._words(exc, self.link.found)) from exc
        except Exception as exc:  # a bug: the caller gets an answer, the log the details
            log.exception("%s: request failed", self.role)
            request.error = DeviceError(
                Text("the {kind} request failed: {exc}", kind=self.kind, exc=exc), "refused"
            )
        finally:
            request.done.set()

    def _idle(self, delay: float) -> bool:
        """Wait `delay` seconds before looking again, refusing requests; True on stop."""
        deadline = time.monotonic() + delay
        while not self.m._stopping.is_set():
            try:
                request = self.requests.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return self.m._stopping.is_set()
            if request is None:
                return True
            self._refuse(request)
        return True

    def _drain_requests(self) -> None:
        while True:
            try:
                request = self.requests.get_nowait()
            except queue.Empty:
                return
            if request is not None:
                self._refuse(request)

    def _refuse(self, request: _Request) -> None:
        if request.wake_only:
            return
        request.error = DeviceError(
            Text(
                "the {kind} in {role} is not connected: {detail}",
                kind=self.kind,
                role=self.role,
                detail=self.m.status()[self.role].detail,
            ),
            "unplugged",
        )
        request.done.set()

    # ------------------------------------------------------------ status

    def _words(self, exc: DeviceError, found: Found) -> str:
        """A device error while connecting or reading, as the technician's status line."""
        if exc.kind == "unplugged":
            return f"{self.kind} unplugged — reconnect it"
        if exc.kind == "timeout":
            return (
                f"no answer from the {self.kind} on {found.how} — "
                f"check the {self.kind}'s interface settings"
            )
        return f"{self.kind}: {exc}"

    def _problem(self, text: str) -> None:
        self._update(problem=text, connected=False, trusted=False)

    def _publish(self) -> None:
        link = self._link()
        problem = link.refusal or link.transient or link.usage
        self._update(
            connected=True,
            trusted=link.refusal is None,
            serial=link.serial,
            asset=link.asset,
            port=link.found.port,
            problem=problem,
        )

    def _update(self, **changes: Any) -> None:
        current = self.m.status().get(self.role) or RoleStatus(
            self.role, self.kind, self.device.driver
        )
        self.m._set(replace(current, **changes))


class _Quiet(DeviceError):
    """Why the scanner's port was not handed over; already in the role's status."""


class _ScannerRole:
    """A serial scanner role: `SerialScanner` reads, the manager decides whom to trust.

    `SerialScanner` runs its own worker thread and reconnects with a back-off;
    it asks `_open` for a transport each time. `_open` finds the scanner by
    identity and checks it (its USB serial number, or the configured one) as
    it hands the port over. Every read is checked against the acceptance of
    that moment: reads from a refused scanner are dropped, and accepting it
    takes effect with the next read, as for a refused balance whose port stays
    open.
    """

    def __init__(
        self, manager: DeviceManager, role: str, device: Device, locator: _Locator
    ) -> None:
        self.m = manager
        self.role = role
        self.device = device
        self.locator = locator
        self.serial: str | None = None
        self.asset: str | None = None
        self.found: Found | None = None
        self.recorded: str | None = None
        self.unplugged = False
        self._next_check = 0.0
        self._lock = threading.Lock()
        self.reader: SerialScanner | None = None

    def start(self) -> None:
        from kiosk.devices.serial_scanner import SerialScanner  # noqa: PLC0415 - loads the decoders

        self.reader = SerialScanner(
            self._open,
            on_read=self._read,
            on_error=self._failed,
            line_ending=self.device.line_end,
            name=self.role,
            poll_s=self.m.poll_interval,
            backoff_s=self.m.backoff,
        )
        self.reader.start()

    def stop(self, timeout: float) -> None:
        if self.reader is not None and not self.reader.stop(timeout):  # pragma: no cover
            log.error("scanner %s did not stop within %.1f s", self.role, timeout)
        self.reader = None

    # ------------------------------------------------------------ identity

    def identify(self) -> str:
        """Find the scanner and give its serial number, checked as when it connects."""
        found = self.locator.find()
        serial = self._serial_of(found)
        with self._lock:
            self.found = found
            self._judge(serial, connected=True)
        return serial

    def _serial_of(self, found: Found) -> str:
        serial = found.usb_serial or self.device.serial_number
        if not serial:
            raise DeviceError(
                Text(
                    "the scanner's serial number is unknown: set serial_number in [devices.{role}]",
                    role=self.role,
                ),
                "config",
            )
        return serial

    def _judge(self, serial: str, *, connected: bool) -> str | None:
        """Check `serial` for the role; publish and record the verdict; the refusal or None."""
        self.serial = serial
        self.asset, refusal = identity_problem(
            "scanner", self.role, serial, self.m.masterdata, self.m.accepted_devices.get(self.role)
        )
        if self.found is not None:
            self.recorded = self.m._record_identity(
                self.role, serial, self.asset, refusal, self.found, self.recorded
            )
        self._update(
            connected=connected,
            trusted=refusal is None,
            serial=serial,
            asset=self.asset,
            problem=refusal,
        )
        return refusal

    def recheck(self, *, force: bool = False) -> str | None:
        """Look at acceptance and master data again (at most every `recheck_interval`)."""
        with self._lock:
            if self.serial is None:
                return None
            now = time.monotonic()
            if not force and now < self._next_check:
                return self.m.status()[self.role].problem
            self._next_check = now + self.m.recheck_interval
            try:
                self.m.accepted_devices.refresh()
            except StoreError as exc:
                log.warning("%s: could not read accepted devices: %s", self.role, exc)
            connected = self.m.status()[self.role].connected
            return self._judge(self.serial, connected=connected)

    # ------------------------------------------------------------ SerialScanner's callbacks

    def _open(self) -> Transport:
        """Find, identify and check the scanner; its open port, or _Quiet (status says why)."""
        try:
            found = self.locator.find()
        except DeviceError as exc:
            if exc.kind == "config":
                problem = f"scanner: {exc}"
            elif self.unplugged:
                problem = "scanner unplugged — reconnect it"
            else:
                problem = f"scanner not found — connect it (looking for {self.locator.describe()})"
            self._update(connected=False, trusted=False, problem=problem)
            raise _Quiet(problem, exc.kind) from exc
        try:
            serial = self._serial_of(found)
        except DeviceError as exc:
            self._update(connected=False, trusted=False, problem=f"scanner: {exc}")
            raise _Quiet(str(exc), "config") from exc
        try:
            transport = open_transport(self.device, found.port)
        except DeviceError as exc:
            self._update(connected=False, trusted=False, problem=f"scanner: {exc}")
            raise _Quiet(str(exc), exc.kind) from exc
        self.unplugged = False
        with self._lock:
            self.found = found
            self._update(port=found.port)
            try:
                self.m.accepted_devices.refresh()
            except StoreError as exc:
                log.warning("%s: could not read accepted devices: %s", self.role, exc)
            self._judge(serial, connected=True)
            self._next_check = time.monotonic() + self.m.recheck_interval
        return transport

    def _read(self, code: Code) -> None:
        self.recheck()
        status = self.m.status()[self.role]
        if not status.trusted:
            log.warning("%s: read dropped: %s", self.role, status.detail)
            return
        self._update(last_reading=self.m.clock())
        self.m._code(self.role, code.text)

    def _failed(self, exc: DeviceError) -> None:
        if isinstance(exc, _Quiet):
            return  # from _open: the status says it already
        if exc.kind == "unplugged":
            self.unplugged = True
            problem = "scanner unplugged — reconnect it"
            if self.m.status()[self.role].trusted:
                payload = {"role": self.role, "serial": self.serial, "reason": problem}
                self.m._record("device.disconnected", payload)
            self.recorded = None
            self._update(connected=False, trusted=False, problem=problem)
            return
        self.m._error(self.role, str(exc))  # a bad scan: say so, keep listening

    def _update(self, **changes: Any) -> None:
        current = self.m.status().get(self.role) or RoleStatus(
            self.role, "scanner", self.device.driver
        )
        self.m._set(replace(current, **changes))
