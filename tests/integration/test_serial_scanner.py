"""Serial scanners on real ptys: the kiosk side opens the slave path with SerialTransport.

Line endings, AIM prefixes, GS separators, garbage, a partial read at connection,
and the cable pulled mid-read and plugged back in. No thread or descriptor outlives
a test.
"""

from __future__ import annotations

import itertools
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from kiosk.devices.decode import Code
from kiosk.devices.errors import DeviceError
from kiosk.devices.serial_scanner import ScannerSimulator, SerialScanner, decode_line
from kiosk.devices.transport import SerialTransport, Transport
from tests.helpers import no_leaks as no_leaks_of_test

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux ptys")

GS = "\x1d"
DIN = "=G12341765432170"
GS1 = "01084302150115391727123110A1B2C3" + GS + "21S3736"
WAIT = 5.0


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    """Fail a test that leaves a worker thread or an open descriptor behind."""
    with no_leaks_of_test():
        yield


class Collector:
    """Callbacks that queue what the worker delivers."""

    def __init__(self) -> None:
        self.reads: queue.Queue[Code] = queue.Queue()
        self.errors: queue.Queue[DeviceError] = queue.Queue()

    def read(self, timeout: float = WAIT) -> Code:
        return self.reads.get(timeout=timeout)

    def error(self, timeout: float = WAIT) -> DeviceError:
        return self.errors.get(timeout=timeout)


def opener(sim: ScannerSimulator) -> Callable[[], Transport]:
    return lambda: SerialTransport(sim.path)


@pytest.fixture
def collector() -> Collector:
    return Collector()


def start_scanner(sim: ScannerSimulator, collector: Collector, **options: object) -> SerialScanner:
    scanner = SerialScanner(
        opener(sim),
        on_read=collector.reads.put,
        on_error=collector.errors.put,
        settle_s=0.1,
        backoff_s=(0.05, 0.2),
        **options,  # type: ignore[arg-type]
    )
    scanner.start()
    assert scanner.connected.wait(WAIT)
    return scanner


@pytest.mark.parametrize("ending", ["CR", "LF", "CRLF"])
def test_reads_end_with_the_configured_line_ending(ending: str, collector: Collector) -> None:
    with ScannerSimulator(line_ending=ending) as sim:
        scanner = start_scanner(sim, collector, line_ending=ending)
        try:
            sim.send(DIN)
            sim.send(GS1)
            first, second = collector.read(), collector.read()
        finally:
            assert scanner.stop()
    assert (first.text, first.aim, first.backend) == (DIN, None, "serial:scanner")
    assert second.text == GS1  # GS kept
    assert collector.errors.empty()


def test_aim_prefix_is_split_off_and_names_the_symbology(collector: Collector) -> None:
    with ScannerSimulator(line_ending="CRLF", aim_prefix=True) as sim:
        scanner = start_scanner(sim, collector, line_ending="CRLF", aim_prefix=True)
        try:
            sim.send(DIN, aim="]C0")
            sim.send(GS1, aim="]d2")
            din, gs1 = collector.read(), collector.read()
        finally:
            scanner.stop()
    assert (din.aim, din.symbology, din.text) == ("]C0", "Code128", DIN)
    assert (gs1.aim, gs1.symbology, gs1.text, gs1.scanned) == (
        "]d2",
        "DataMatrix",
        GS1,
        "]d2" + GS1,
    )


def test_a_read_without_the_expected_aim_prefix_is_reported_and_skipped(
    collector: Collector,
) -> None:
    with ScannerSimulator(aim_prefix=False) as sim:
        scanner = start_scanner(sim, collector, aim_prefix=True)
        try:
            sim.send(DIN)
            error = collector.error()
            sim.send_raw(b"]C0" + DIN.encode() + b"\r")
            read = collector.read()
        finally:
            scanner.stop()
    assert error.kind == "garbled"
    assert "AIM" in str(error)
    assert (read.aim, read.text) == ("]C0", DIN)


def test_garbage_lines_are_reported_and_the_next_read_gets_through(collector: Collector) -> None:
    with ScannerSimulator() as sim:
        scanner = start_scanner(sim, collector)
        try:
            sim.send_raw(b"\xff\xfe\x00garbage\r")  # not text
            sim.send_raw(b"abc\x07def\r")  # a control character GS1 does not use
            sim.send_raw(b"\r\r")  # empty lines: nothing
            sim.send(DIN)
            errors = [collector.error(), collector.error()]
            read = collector.read()
        finally:
            scanner.stop()
    assert [e.kind for e in errors] == ["garbled", "garbled"]
    assert read.text == DIN
    assert collector.reads.empty()


def test_a_partial_read_at_connection_is_dropped(
    collector: Collector, caplog: pytest.LogCaptureFixture
) -> None:
    opened = threading.Event()

    def open_port(sim: ScannerSimulator) -> Transport:
        transport = SerialTransport(sim.path)
        opened.set()
        return transport

    with ScannerSimulator() as sim:
        scanner = SerialScanner(
            lambda: open_port(sim),
            on_read=collector.reads.put,
            on_error=collector.errors.put,
            settle_s=1.0,
        )
        caplog.set_level("INFO", logger="kiosk.devices.serial_scanner")
        scanner.start()
        try:
            assert opened.wait(WAIT)
            sim.send_raw(b"5432170\r")  # the end of a read that began before we listened
            assert scanner.connected.wait(WAIT)
            sim.send(DIN)
            read = collector.read()
        finally:
            scanner.stop()
    assert read.text == DIN
    assert collector.reads.empty()
    assert collector.errors.empty()
    assert "dropped a partial read" in caplog.text


def test_unplug_mid_read_is_reported_and_the_scanner_comes_back(collector: Collector) -> None:
    sim = ScannerSimulator()
    scanner = start_scanner(sim, collector)
    try:
        sim.send(DIN)
        assert collector.read().text == DIN
        sim.send_raw(DIN[:6].encode())  # a read under way when the cable goes
        sim.unplug()
        error = collector.error()
        assert error.kind == "unplugged"
        assert "disconnected" in str(error)
        time.sleep(0.5)  # the worker retries the vanished port meanwhile, quietly
        assert collector.errors.empty()  # one report per outage, not one per retry
        assert not scanner.connected.is_set()
        sim.replug()  # back, under a new pty name, which the factory picks up
        assert scanner.connected.wait(WAIT)
        sim.send(GS1)
        assert collector.read().text == GS1
        assert collector.reads.empty()
    finally:
        assert scanner.stop()
        sim.close()


def test_reopen_failure_is_reported_once_per_outage(collector: Collector) -> None:
    attempts: list[float] = []

    def failing() -> Transport:
        attempts.append(time.monotonic())
        raise DeviceError("cannot open /dev/ttyACM9", "unplugged")

    scanner = SerialScanner(
        failing,
        on_read=collector.reads.put,
        on_error=collector.errors.put,
        backoff_s=(0.02, 0.1),
    )
    scanner.start()
    deadline = time.monotonic() + WAIT
    while len(attempts) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert scanner.stop()
    assert len(attempts) >= 5
    assert collector.errors.qsize() == 1
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps[-1] >= gaps[0]  # backing off


def test_a_failing_callback_does_not_stop_the_scanner(collector: Collector) -> None:
    def explode(code: Code) -> None:
        collector.reads.put(code)
        raise RuntimeError("consumer bug")

    with ScannerSimulator() as sim:
        scanner = SerialScanner(
            opener(sim), on_read=explode, on_error=collector.errors.put, settle_s=0.1
        )
        scanner.start()
        try:
            assert scanner.connected.wait(WAIT)
            sim.send(DIN)
            sim.send(GS1)
            assert [collector.read().text, collector.read().text] == [DIN, GS1]
        finally:
            scanner.stop()


def test_stop_before_start_and_twice() -> None:
    with ScannerSimulator() as sim:
        scanner = SerialScanner(opener(sim), on_read=lambda _: None, on_error=lambda _: None)
        assert scanner.stop()
        scanner.start()
        assert scanner.running
        assert scanner.stop()
        assert scanner.stop()
        assert not scanner.running


def test_unknown_line_ending_is_a_config_error() -> None:
    with pytest.raises(DeviceError) as caught:
        SerialScanner(
            lambda: SerialTransport("loop://"),
            on_read=lambda _: None,
            on_error=lambda _: None,
            line_ending="ETX",
        )
    assert caught.value.kind == "config"


def test_decode_line_keeps_gs_rs_eot_and_refuses_other_controls() -> None:
    iso = "[)>\x1e06\x1d1PABC\x1e\x04"
    assert decode_line((iso + "\r\n").encode(), aim_prefix=False) == (None, iso)
    assert decode_line(b"]d2" + GS1.encode() + b"\n", aim_prefix=True) == ("]d2", GS1)
    with pytest.raises(DeviceError):
        decode_line(b"a\x00b\r", aim_prefix=False)
    with pytest.raises(DeviceError):
        decode_line(b"x" * 5000 + b"\r", aim_prefix=False)


def test_the_simulator_refuses_to_send_when_unplugged() -> None:
    sim = ScannerSimulator()
    sim.unplug()
    with pytest.raises(DeviceError):
        sim.send(DIN)
    sim.close()
