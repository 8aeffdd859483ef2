"""`kiosk devices check` and `kiosk devices accept`: a role's device, as the kiosk sees it.

For the technician at a station: finds the role's device the way the kiosk
does (USB identity, by-id path or URL from the station configuration), asks it
who it is, and prints the port, the serial number, the equipment it is
registered as, its calibration due date, today's daily check, and whether it
is the device accepted for the role. Exit 0 when the kiosk would take
readings from it for a batch step now, 1 otherwise, with the reason; never a
traceback. `add_check_parser` adds the command to `kiosk devices`.

`accept ROLE --config FILE --as USER` is the swap workflow's acceptance
(`kiosk.devices.swap`) from a terminal, for stations set up before the
technician screen is in use: it finds and identifies the device the same
way, and records `device.accepted` signed by the technician or admin
(password from the terminal, or the first line of standard input).
`add_accept_parser` adds it.
"""

# pyserial, the drivers and the store load only when the command runs: `kiosk --help` stays fast.

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk.text import Text

if TYPE_CHECKING:
    from kiosk.config import Device, StationConfig
    from kiosk.devices.balance import Balance, WeightReading
    from kiosk.devices.manager import AcceptedDevices, Found
    from kiosk.masterdata import MasterData
    from local_store import Event

_Say = Callable[[str, str], None]  # label, text: one line of the report

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAIL = 0, 1


def add_check_parser(
    devices: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add `check ROLE --config FILE [--db PATH] [--timeout S]` to the `kiosk devices` parsers."""
    check = devices.add_parser(
        "check",
        help="find a role's device by identity and say whether the kiosk would use it",
        description="Find the device of ROLE as the kiosk does (station configuration), ask it "
        "its serial number and check it against the equipment master and the device accepted "
        "for the role. Exit 0 when the kiosk would use it now, 1 otherwise.",
    )
    check.add_argument("role", help="the device role, as in [devices.ROLE]")
    check.add_argument("--config", required=True, help="the station configuration (TOML)")
    check.add_argument("--db", help="the station database (default: the configuration's)")
    check.add_argument(
        "--timeout", type=_positive, default=3.0, help="seconds per exchange (default 3)"
    )
    check.set_defaults(func=cmd_devices_check)
    return check


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def cmd_devices_check(args: argparse.Namespace, out: TextIO) -> int:
    """Check one role's device; print what the kiosk would do with it."""
    from kiosk.devices.errors import DeviceError

    def say(label: str, text: str) -> None:
        print(f"  {label:<13}{text}", file=out)

    try:
        return _check(args, say, out)
    except DeviceError as exc:
        print(f"NOT usable: {exc}", file=out)
        return EXIT_FAIL
    except Exception as exc:  # never a traceback for the technician; details in the log
        log.warning("devices check failed", exc_info=True)
        print(f"check: unexpected error ({type(exc).__name__}: {exc})", file=out)
        return EXIT_FAIL


def _check(args: argparse.Namespace, say: _Say, out: TextIO) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.devices.manager import identity_problem, usage_problem

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"check: {exc}", file=out)
        return EXIT_FAIL
    role: str = args.role
    device = config.devices.get(role)
    if device is None:
        roles = ", ".join(config.devices) or "none"
        print(f"no device role {role} in {args.config} (roles: {roles})", file=out)
        return EXIT_FAIL
    print(f"{role}: {device.kind}, driver {device.driver}", file=out)
    unmanaged = _unmanaged(device)
    if unmanaged is not None:
        say("read by", unmanaged)
        print("not checked: `kiosk devices check` covers balances and serial scanners", file=out)
        return EXIT_FAIL

    with contextlib.ExitStack() as stack:
        records = stack.enter_context(_records(config, args.db, say))
        found = _find(device, stack, say)
        if found is None:
            print(f"NOT usable: the {device.kind} was not found", file=out)
            return EXIT_FAIL
        serial, weight_problem = _identify(device, found, args.timeout, stack, say)
        if serial is None:
            print(f"NOT usable: the {device.kind} did not identify itself", file=out)
            return EXIT_FAIL
        if records is None:
            print("NOT usable: without the station database nothing can be checked", file=out)
            return EXIT_FAIL
        master, accepted = records
        _describe(master, accepted, role, device.kind, serial, say)
        _, refusal = identity_problem(device.kind, role, serial, master, accepted.get(role))
        problem = refusal or usage_problem(device.kind, serial, master) or weight_problem
    if problem is not None:
        print(f"NOT usable: {problem}", file=out)
        return EXIT_FAIL
    print(f"usable: the kiosk takes readings from it as {role}", file=out)
    return EXIT_OK


def _unmanaged(device: Device) -> str | None:
    if device.kind == "camera":
        return "the camera decoder (not a serial device)"
    if device.kind == "scanner" and device.driver == "wedge":
        return "the screens' key filter (keyboard-wedge scanner)"
    if device.kind == "scanner" and device.driver == "simulator":
        return "the demo (simulated scanner)"
    return None


@contextlib.contextmanager
def _records(
    config: StationConfig, db: str | None, say: _Say
) -> Iterator[tuple[MasterData, AcceptedDevices] | None]:
    """The station's equipment master and accepted devices, or None if there is no database."""
    from kiosk.clock import system_clock
    from kiosk.devices.manager import AcceptedDevices
    from kiosk.masterdata import MasterData
    from local_store import EventStore, StoreError

    path = Path(db) if db else config.station.db
    try:
        store = EventStore(path, config.station.id, create=False)
    except StoreError as exc:
        say("database", f"{exc}: cannot tell whether the device is registered")
        yield None
        return
    with store:
        say("database", f"{path} (station {config.station.id})")
        yield MasterData(store, system_clock), AcceptedDevices(store)


def _find(device: Device, stack: contextlib.ExitStack, say: _Say) -> Found | None:
    """Where the device is, found by identity (a demo station's simulator is started here)."""
    from kiosk.devices.errors import DeviceError
    from kiosk.devices.manager import Found, PortLocator

    if device.driver == "simulator":
        from kiosk.devices.sim_balance import MtSicsSimulator

        simulator = stack.enter_context(MtSicsSimulator(serial=device.serial_number or "SIM-0001"))
        say("port", f"{simulator.path} (the built-in balance simulator)")
        return Found(simulator.path, simulator.path, "the built-in balance simulator")
    locator = PortLocator(device)
    say("looked for", locator.describe())
    try:
        found = locator.find()
    except DeviceError as exc:
        if exc.kind == "config":
            say("port", str(exc))
        else:
            say("port", f"not found — connect the {device.kind} ({exc})")
        return None
    shown = found.port if found.node == found.port else f"{found.port} → {found.node}"
    usb = f", USB serial {found.usb_serial}" if found.usb_serial else ""
    say("port", f"{shown}{usb}")
    return found


def _identify(
    device: Device,
    found: Found,
    timeout: float,
    stack: contextlib.ExitStack,
    say: _Say,
    opened: list[Balance] | None = None,
) -> tuple[str | None, str | None]:
    """(serial, problem reading a weight); serial None when the device could not be identified.

    The balance driver, once it identified the balance, is appended to `opened`.
    """
    from kiosk.devices.errors import DeviceError
    from kiosk.devices.manager import build_balance, open_transport

    settings = f"{device.baudrate} {device.bytesize}{device.parity}{device.stopbits}"
    try:
        transport = open_transport(device, found.port)
    except DeviceError as exc:
        say("open", f"{exc}")
        return None, None
    stack.callback(transport.close)
    if device.kind != "balance":
        serial = found.usb_serial or device.serial_number
        if not serial:
            say("serial", "unknown: set serial_number in the role's section")
            return None, None
        source = "USB" if found.usb_serial else "configuration"
        say("serial", f"{serial} (from the {source}; port opened with {settings})")
        return serial, None
    try:
        balance = build_balance(device, transport, timeout=timeout)
        serial = balance.identify()
    except DeviceError as exc:
        if exc.kind == "timeout":
            say("serial", f"no answer with {settings} — check the balance's interface settings")
        else:
            say("serial", str(exc))
        return None, None
    source = "balance"
    if getattr(balance, "serial_source", "balance") == "configuration":
        source = "configuration (the balance does not answer ESC x2_)"
    say("serial", f"{serial} (from the {source})")
    if opened is not None:
        opened.append(balance)
    try:
        reading = balance.read_now()
    except DeviceError as exc:
        say("weight now", str(exc))
        return serial, str(exc)
    state = "stable" if reading.stable else "not stable"
    say("weight now", f"{reading.value:g} {reading.unit} ({state})")
    return serial, None


def _describe(
    master: MasterData,
    accepted: AcceptedDevices,
    role: str,
    kind: str,
    serial: str,
    say: _Say,
) -> None:
    from datetime import UTC

    from kiosk.clock import system_clock

    item = master.by_serial(serial)
    if item is None:
        say("asset", "not registered")
    else:
        model = f", {item.model}" if item.model else ""
        say("asset", f"{item.id} ({item.kind}{model})")
        today = system_clock().astimezone(UTC).date()
        due = item.calibration_due
        say("calibration", f"due {due.isoformat()}" + (" — OVERDUE" if due < today else ""))
        if kind == "balance":
            check = item.last_check
            if check is None or check.ts[:10] != today.isoformat():
                say("daily check", "not done today")
            else:
                result = "passed" if check.passed else "FAILED"
                say(
                    "daily check",
                    f"{result} at {check.ts[11:16]} UTC by {check.by}: {check.reading:g} "
                    f"{check.unit} against {check.reference:g} {check.unit} "
                    f"± {check.tolerance:g} {check.unit}",
                )
    acceptance = accepted.get(role)
    if acceptance is None:
        say("accepted", f"no device has been accepted as {role} yet")
    elif acceptance.serial == serial:
        say("accepted", f"yes, as {role} since {acceptance.ts[:16]} by {acceptance.by}")
    else:
        say(
            "accepted",
            f"no: {role} is serial {acceptance.serial} ({acceptance.asset}); "
            "a technician must accept this one",
        )


# ---------------------------------------------------------------- accept


def add_accept_parser(
    devices: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add `accept ROLE --config FILE --as USER [--db PATH] [--timeout S]` to `kiosk devices`."""
    accept = devices.add_parser(
        "accept",
        help="accept the device connected in a role (signed by a technician or admin)",
        description="Find and identify the device of ROLE as the kiosk does, check it against "
        "the equipment master (registered as the role's kind, calibration not overdue) and "
        "record that it serves the role, signed by USER (technician or admin).",
    )
    accept.add_argument("role", help="the device role, as in [devices.ROLE]")
    accept.add_argument("--config", required=True, help="the station configuration (TOML)")
    accept.add_argument("--db", help="the station database (default: the configuration's)")
    accept.add_argument(
        "--as", dest="as_user", required=True, help="the technician or admin signing"
    )
    accept.add_argument(
        "--timeout", type=_positive, default=3.0, help="seconds per exchange (default 3)"
    )
    accept.set_defaults(func=cmd_devices_accept)
    return accept


class _Bench:
    """The one device found on this terminal, as the swap workflow's `RoleProbe`."""

    def __init__(
        self, role: str, kind: str, serial: str, balance: Balance | None, timeout: float
    ) -> None:
        self.role, self.kind, self.serial = role, kind, serial
        self.balance, self.timeout = balance, timeout

    def role_kind(self, role: str) -> str | None:
        return self.kind if role == self.role else None

    def identify(self, role: str, timeout: float = 5.0) -> str:
        return self.serial

    def read_stable(self, role: str, timeout: float = 10.0) -> WeightReading:
        from kiosk.devices.errors import DeviceError

        if self.balance is None:
            raise DeviceError(Text("{role} is not a balance", role=role), "config")
        return self.balance.read_stable(timeout)

    def connected_serial(self, role: str) -> str | None:
        return self.serial if role == self.role else None

    def note_accepted(self, event: Event) -> None:
        """Nothing to tell: a running kiosk finds the acceptance in the store."""


def cmd_devices_accept(args: argparse.Namespace, out: TextIO) -> int:
    """Accept the device connected in a role; print what was recorded."""
    from kiosk.devices.errors import DeviceError

    def say(label: str, text: str) -> None:
        print(f"  {label:<13}{text}", file=out)

    try:
        return _accept(args, say, out)
    except DeviceError as exc:
        print(f"refused: {exc}", file=out)
        return EXIT_FAIL
    except Exception as exc:  # never a traceback for the technician; details in the log
        log.warning("devices accept failed", exc_info=True)
        print(f"accept: unexpected error ({type(exc).__name__}: {exc})", file=out)
        return EXIT_FAIL


def _accept(args: argparse.Namespace, say: _Say, out: TextIO) -> int:
    from kiosk.auth import Auth, AuthError
    from kiosk.clock import system_clock
    from kiosk.commands.signing import read_secret
    from kiosk.config import ConfigError, load_config
    from kiosk.devices.swap import SwapWorkflow
    from kiosk.engine import Credentials
    from kiosk.masterdata import MasterData
    from local_store import EventStore, StoreError

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"accept: {exc}", file=out)
        return EXIT_FAIL
    role: str = args.role
    device = config.devices.get(role)
    if device is None or _unmanaged(device) is not None:
        what = "no device role" if device is None else "no balance or serial scanner as"
        print(f"{what} {role} in {args.config}", file=out)
        return EXIT_FAIL
    path = Path(args.db) if args.db else config.station.db
    try:
        store = EventStore(path, config.station.id, create=False)
    except StoreError as exc:
        print(f"accept: {exc}", file=out)
        return EXIT_FAIL
    with contextlib.ExitStack() as stack:
        stack.enter_context(store)
        print(f"{role}: {device.kind}, driver {device.driver}", file=out)
        found = _find(device, stack, say)
        if found is None:
            print(f"refused: the {device.kind} was not found", file=out)
            return EXIT_FAIL
        opened: list[Balance] = []
        serial, _ = _identify(device, found, args.timeout, stack, say, opened)
        if serial is None:
            print(f"refused: the {device.kind} did not identify itself", file=out)
            return EXIT_FAIL
        master = MasterData(store, system_clock)
        auth = Auth(store, system_clock)
        bench = _Bench(role, device.kind, serial, opened[0] if opened else None, args.timeout)
        password = read_secret(f"password for {args.as_user}: ")
        try:
            session = auth.login(args.as_user, password)
        except AuthError as exc:
            print(f"refused: {exc}", file=out)
            return EXIT_FAIL
        try:
            swap = SwapWorkflow(bench, master, auth, store, system_clock)
            swap.identify(role, session=session)
            say("master", swap.check_master(serial, session=session, role=role).message)
            accepted = swap.accept(
                role, serial, Credentials(args.as_user, password), session=session
            )
        finally:
            auth.logout(session)
    print(accepted.message, file=out)
    if accepted.remaining:
        print(f"before it is used in a batch: {accepted.remaining}", file=out)
    return EXIT_OK
