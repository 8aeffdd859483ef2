"""`kiosk devices`: read a balance, run a balance simulator, list serial ports.

(`kiosk devices check` and `accept` are added from `kiosk.commands.devices_check`.)

For the technician setting up a station: `read-weight` asks a balance for
its serial number and a weight with the settings given; `simulate balance`
runs a simulator on a pty for trying the rest without hardware; `list` shows
the serial ports and, with `--probe`, what answers on each. Every failure is
one line and exit code 1, within a bounded time, never a traceback.
"""

# pyserial and the drivers load only when a command runs, so `kiosk --help` stays fast.

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from kiosk.devices.balance import Balance
    from kiosk.devices.errors import DeviceError
    from kiosk.devices.transport import SerialTransport

EXIT_OK, EXIT_FAIL = 0, 1
DRIVERS = ("mt-sics", "sbi", "and")
_SCENARIOS = ("stable", "settling", "overload", "noisy", "silent", "unplugged", "garbage")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kiosk devices read-weight | simulate balance | list` to the `kiosk` command."""
    devices = sub.add_parser("devices", help="balances and serial ports").add_subparsers(
        dest="devices_cmd", required=True
    )

    read = devices.add_parser(
        "read-weight",
        help="ask a balance for its serial number and a weight",
        description="Open PORT with the given settings, ask the balance who it is and for a "
        "stable weight (or the weight now, with --now). Exit 1 with one line if it does not "
        "answer, answers something unreadable, or is out of range.",
    )
    read.add_argument("--driver", required=True, choices=DRIVERS, help="the balance's protocol")
    read.add_argument("--port", required=True, help="device path or pyserial URL")
    _serial_options(read)
    read.add_argument(
        "--serial",
        help="the serial number on the rating plate, for SBI models that do not answer ESC x2_",
    )
    read.add_argument(
        "--timeout", type=_positive, default=3.0, help="seconds per exchange (default 3)"
    )
    read.add_argument("--unit", help="convert the weight to this unit (default: as printed)")
    read.add_argument("--now", action="store_true", help="the weight now, stable or not")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.set_defaults(func=cmd_read_weight)

    simulate = devices.add_parser("simulate", help="device simulators").add_subparsers(
        dest="simulate_cmd", required=True
    )
    balance = simulate.add_parser(
        "balance",
        help="run a balance simulator on a pty until SIGINT or SIGTERM",
        description="Print the pty path a driver opens (one line, first), then serve until "
        "Ctrl-C or SIGTERM. With --replug-after, an unplugged simulator comes back on a new "
        "pty after that many seconds and prints its new path.",
    )
    balance.add_argument("--protocol", required=True, choices=DRIVERS)
    balance.add_argument("--scenario", default="stable", choices=_SCENARIOS)
    balance.add_argument("--weight", type=float, default=100.0, help="grams on the pan")
    balance.add_argument("--serial", default="SIM-0001", help="the balance's serial number")
    balance.add_argument("--unit", default="g", help="the unit it prints (g, mg, kg, lb, oz)")
    balance.add_argument(
        "--pace", type=int, metavar="BAUD", help="send no faster than BAUD on a real wire"
    )
    balance.add_argument("--unplug-after", type=int, default=3, help="requests before unplug")
    balance.add_argument("--replug-after", type=_positive, metavar="SECONDS")
    balance.set_defaults(func=cmd_simulate_balance)

    ports = devices.add_parser(
        "list",
        help="list serial ports; with --probe, ask each what answers",
        description="List serial ports (device, VID:PID, serial number, description). With "
        "--probe, open each (and each --port) and ask MT-SICS I4, A&D ?SN and SBI ESC P, "
        "with the serial settings given. Probing sends bytes to whatever is attached.",
    )
    ports.add_argument("--probe", action="store_true", help="ask each port what answers")
    ports.add_argument("--port", action="append", default=[], help="also probe this port")
    _serial_options(ports)
    ports.add_argument(
        "--timeout", type=_positive, default=0.5, help="seconds per probe (default 0.5)"
    )
    ports.set_defaults(func=cmd_list)

    # `check` and `accept` (a role's device against the station configuration) live beside.
    from kiosk.commands.devices_check import add_accept_parser, add_check_parser

    add_check_parser(devices)
    add_accept_parser(devices)
    # OPC UA equipment: `read-opcua`, `opcua-cert` and `simulate opcua`.
    from kiosk.commands.devices_opcua import add_read_parser, add_simulate_parser

    add_read_parser(devices)
    add_simulate_parser(simulate)


def _serial_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--baud", type=int, default=9600, help="baud rate (default 9600)")
    parser.add_argument("--bytesize", type=int, default=8, choices=(5, 6, 7, 8))
    parser.add_argument("--parity", default="N", choices=("N", "E", "O"))
    parser.add_argument("--stopbits", type=float, default=1, choices=(1, 1.5, 2))
    parser.add_argument("--xonxoff", action="store_true", help="software handshake")
    parser.add_argument("--rtscts", action="store_true", help="hardware handshake")


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _open(args: argparse.Namespace) -> SerialTransport:
    from kiosk.devices.transport import SerialTransport

    return SerialTransport(
        args.port,
        baudrate=args.baud,
        bytesize=args.bytesize,
        parity=args.parity,
        stopbits=args.stopbits,
        xonxoff=args.xonxoff,
        rtscts=args.rtscts,
    )


def _driver(name: str, transport: SerialTransport, args: argparse.Namespace) -> Balance:
    if name == "mt-sics":
        from kiosk.devices.mt_sics import MtSicsBalance

        return MtSicsBalance(transport, timeout=args.timeout)
    if name == "sbi":
        from kiosk.devices.sbi import SbiBalance

        return SbiBalance(transport, serial_number=args.serial, timeout=args.timeout)
    from kiosk.devices.and_gf import AndBalance

    return AndBalance(transport, timeout=args.timeout)


def _problem(exc: DeviceError, port: str) -> str:
    """One line for the technician, naming the port."""
    if exc.kind == "timeout":
        return f"no answer from {port} — check the balance's interface settings"
    text = str(exc)
    return text if port in text else f"{port}: {text}"


# ---------------------------------------------------------------- read-weight


def cmd_read_weight(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.devices.errors import DeviceError

    try:
        transport = _open(args)
    except DeviceError as exc:
        print(str(exc), file=out)
        return EXIT_FAIL
    try:
        with _driver(args.driver, transport, args) as balance:
            device = balance.identify()
            if args.now:
                reading = balance.read_now(args.unit)
            else:
                reading = balance.read_stable(args.timeout, args.unit)
    except DeviceError as exc:
        print(_problem(exc, args.port), file=out)
        return EXIT_FAIL
    if args.json:
        record: dict[str, Any] = {
            "value": reading.value,
            "unit": reading.unit,
            "stable": reading.stable,
            "device": device,
            "raw": reading.raw,
            "driver": args.driver,
            "port": args.port,
        }
        print(json.dumps(record), file=out)
    else:
        state = "stable" if reading.stable else "NOT stable"
        print(f"{reading.value:g} {reading.unit} {state} — balance {device}", file=out)
    return EXIT_OK


# ---------------------------------------------------------------- simulate balance


def cmd_simulate_balance(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.devices.sim_balance import SIMULATORS

    try:
        simulator = SIMULATORS[args.protocol](
            scenario=args.scenario,
            weight=args.weight,
            serial=args.serial,
            unit=args.unit,
            baudrate=args.pace,
            unplug_after=args.unplug_after,
        )
    except ValueError as exc:
        print(f"simulate: {exc}", file=out)
        return EXIT_FAIL
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with simulator:
            print(simulator.path, file=out, flush=True)
            print(
                f"{simulator.protocol} balance simulator ({args.scenario}, {args.weight:g} g, "
                f"serial {args.serial}) on {simulator.path}; Ctrl-C to stop",
                file=sys.stderr,
                flush=True,
            )
            unplugged_at: float | None = None
            while not stop.wait(0.1):
                if simulator.plugged:
                    continue
                now = time.monotonic()
                if unplugged_at is None:
                    unplugged_at = now
                    print("unplugged", file=sys.stderr, flush=True)
                if args.replug_after and now - unplugged_at >= args.replug_after:
                    print(simulator.replug(), file=out, flush=True)
                    unplugged_at = None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK


# ---------------------------------------------------------------- list


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    from serial.tools import list_ports

    found = sorted(list_ports.comports(), key=lambda port: port.device)
    listed = {port.device for port in found}
    for port in found:
        ids = f"{port.vid:04X}:{port.pid:04X}" if port.vid is not None else "-:-"
        line = f"{port.device}  {ids}  serial {port.serial_number or '-'}  {port.description}"
        if args.probe:
            line += f"  — {_probe(port.device, args)}"
        print(line, file=out)
    for extra in args.port:
        if extra not in listed:
            print(f"{extra}  — {_probe(extra, args) if args.probe else 'not listed'}", file=out)
    if not found and not args.port:
        print("no serial ports found", file=out)
    return EXIT_OK


def _probe(port: str, args: argparse.Namespace) -> str:
    """What answers on `port`: a balance protocol and its serial number, or why nothing does."""
    from kiosk.devices.and_gf import AndBalance
    from kiosk.devices.errors import DeviceError
    from kiosk.devices.mt_sics import MtSicsBalance
    from kiosk.devices.sbi import SbiBalance

    probe = argparse.Namespace(**{**vars(args), "port": port})
    try:
        transport = _open(probe)
    except DeviceError as exc:
        return f"cannot open ({exc})"
    try:
        for name, balance in (
            ("MT-SICS", MtSicsBalance(transport, timeout=args.timeout, retries=0)),
            ("A&D", AndBalance(transport, timeout=args.timeout, retries=0)),
        ):
            try:
                return f"{name} balance, serial {balance.identify()}"
            except DeviceError as exc:
                if exc.kind == "unplugged":
                    return "went away while probing"
        sbi = SbiBalance(transport, serial_number="-", timeout=args.timeout, retries=0)
        try:
            serial = sbi.identify()
        except DeviceError as exc:
            if exc.kind == "unplugged":
                return "went away while probing"
            return "no answer to MT-SICS, A&D or SBI with these settings"
        if sbi.serial_source == "balance":
            model = f" {sbi.model}" if sbi.model else ""
            return f"SBI balance (Sartorius{model}), serial {serial}"
        return "SBI balance (Sartorius; it does not report its serial number)"
    finally:
        transport.close()
