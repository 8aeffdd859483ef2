"""Request-to-parsed-reading time of each balance driver, against the wire time.

Each protocol's simulator runs on a pty and paces its side of the line at the
given baud rate (a pty itself passes bytes at memory speed): it answers a
request only once the request's bytes would have arrived, and writes its reply
in chunks of about a millisecond of wire time. The driver, opened through
SerialTransport as on a station, calls `read_now()` (MT-SICS SI, SBI ESC P,
A&D Q) repeatedly. Each call is timed from the request to the parsed
`WeightReading` and set beside the wire time of the bytes exchanged,
(request + reply bytes) x bits per character / baud, with 10 bits a character
(8N1). Prints, per protocol, the median and p95 of measured / wire time
(target: <= 1.2), and the same calls without pacing (the driver's and the
pty's own overhead). Each simulator runs in its own process (`kiosk devices
simulate balance --pace BAUD`), as a balance is its own machine; with
`--in-process` it is a thread beside the driver, sharing the GIL. Asserts
nothing.

    .venv/bin/python benchmarks/bench_balance.py [--reads 200] [--baud 9600] [--in-process]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator

from kiosk.devices.and_gf import AndBalance
from kiosk.devices.balance import Balance
from kiosk.devices.mt_sics import MtSicsBalance
from kiosk.devices.sbi import SbiBalance
from kiosk.devices.sim_balance import (
    AndSimulator,
    BalanceSimulator,
    MtSicsSimulator,
    SbiSimulator,
)
from kiosk.devices.transport import SerialTransport

BITS_PER_CHAR = 10  # 8N1: start bit, 8 data bits, stop bit
PROTOCOLS: dict[str, tuple[type[BalanceSimulator], type[Balance]]] = {
    "MT-SICS": (MtSicsSimulator, MtSicsBalance),
    "SBI": (SbiSimulator, SbiBalance),
    "A&D": (AndSimulator, AndBalance),
}


REQUESTS = {"MT-SICS": b"SI\r\n", "SBI": b"\x1bP\r\n", "A&D": b"Q\r\n"}  # what read_now sends
CLI_NAMES = {"MT-SICS": "mt-sics", "SBI": "sbi", "A&D": "and"}


def _driver(cls: type[Balance], path: str, baud: int) -> Balance:
    transport = SerialTransport(path, baudrate=baud)
    if cls is SbiBalance:
        return SbiBalance(transport, serial_number="SBI-BENCH")
    return cls(transport)


@contextlib.contextmanager
def _simulator(protocol: str, baud: int | None, in_process: bool) -> Iterator[str]:
    """The pty path of a simulator: a thread here, or (closer to a balance) its own process."""
    if in_process:
        cls = PROTOCOLS[protocol][0]
        with cls(weight=100.0, serial="BENCH-1", baudrate=baud, bits_per_char=BITS_PER_CHAR) as sim:
            yield sim.path
        return
    command = [sys.executable, "-m", "kiosk", "devices", "simulate", "balance"]
    command += ["--protocol", CLI_NAMES[protocol], "--serial", "BENCH-1"]
    if baud:
        command += ["--pace", str(baud)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        try:
            assert process.stdout is not None
            yield process.stdout.readline().strip()
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)


def measure(
    protocol: str, reads: int, baud: int, *, paced: bool, in_process: bool
) -> tuple[list[float], list[float], int]:
    """(measured seconds, wire seconds, bytes a call) for `reads` calls of read_now."""
    driver_cls = PROTOCOLS[protocol][1]
    measured: list[float] = []
    wire: list[float] = []
    size = 0
    with (
        _simulator(protocol, baud if paced else None, in_process) as path,
        _driver(driver_cls, path, baud) as balance,
    ):
        balance.identify()
        for _ in range(5):  # warm up (and MT-SICS asks I0 once)
            balance.read_now()
        for _ in range(reads):
            start = time.perf_counter()
            reading = balance.read_now()
            elapsed = time.perf_counter() - start
            assert reading.value == 100.0
            size = len(REQUESTS[protocol]) + len(reading.raw) + len(balance.eol)
            measured.append(elapsed)
            wire.append(size * BITS_PER_CHAR / baud)
    return measured, wire, size


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run the simulators as threads of this process (default: each its own process)",
    )
    args = parser.parse_args()
    print(
        f"{_cpu()}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {args.reads} reads a protocol at "
        f"{args.baud} baud, {BITS_PER_CHAR} bits a character; simulator "
        f"{'thread in this process' if args.in_process else 'in its own process'}"
    )
    print(
        f"{'protocol':9} {'bytes':>5} {'wire ms':>8} {'median ms':>10} {'p95 ms':>7} "
        f"{'ratio median':>13} {'ratio p95':>10} {'unpaced median ms':>18}"
    )
    for protocol in PROTOCOLS:
        measured, wire, size = measure(
            protocol, args.reads, args.baud, paced=True, in_process=args.in_process
        )
        ratios = [m / w for m, w in zip(measured, wire, strict=True)]
        unpaced, _, _ = measure(
            protocol, args.reads, args.baud, paced=False, in_process=args.in_process
        )
        print(
            f"{protocol:9} {size:>5} {statistics.median(wire) * 1e3:>8.2f} "
            f"{statistics.median(measured) * 1e3:>10.2f} {_p95(measured) * 1e3:>7.2f} "
            f"{statistics.median(ratios):>13.3f} {_p95(ratios):>10.3f} "
            f"{statistics.median(unpaced) * 1e3:>18.3f}"
        )


if __name__ == "__main__":
    main()
