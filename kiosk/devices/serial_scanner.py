"""Serial barcode scanners (RS-232 or USB-CDC): one read per line, on a worker thread.

Facts (../shared/DEVICES.md "Barcode scanners"): the scanner ends each read with a
configurable suffix (CR, LF or CR LF) and can prefix the AIM symbology identifier
(`]C0`, `]d2`, …). GS (0x1D) separators inside GS1 data must survive, so lines are
trimmed of CR/LF only — never `str.strip()`, which treats GS as whitespace.

`SerialScanner` reads lines from a `Transport` made by a factory, delivers each
read as a `Code` (status "raw": what the read *means* is checked by the step that
asked for it), reports garbage as DeviceError(kind="garbled") and carries on, and
on unplug reports DeviceError(kind="unplugged") once, then reopens through the
factory with a growing back-off. Bytes arriving in the first `settle_s` after
opening belong to a read that started before we listened: that line is dropped.

`ScannerSimulator` is a scanner on a real pty pair: open its `path` with
`SerialTransport`, then `send()` reads; `unplug()` and `replug()` act out the cable.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import tty
from collections.abc import Callable
from typing import Final

from kiosk.devices.decode import Code, symbology_for_aim
from kiosk.devices.errors import DeviceError
from kiosk.devices.transport import Transport
from kiosk.identity import strip_aim
from kiosk.text import Text

log = logging.getLogger(__name__)

LINE_ENDINGS: Final = {"CR": "\r", "LF": "\n", "CRLF": "\r\n"}
MAX_READ: Final = 4096  # characters; a longer "line" is noise, not a label
# Printable text plus the separators GS1 and ISO/IEC 15434 use: GS, RS, EOT.
_ALLOWED_CONTROLS: Final = frozenset("\x1d\x1e\x04")


def _line_ending(name: str) -> str:
    try:
        return LINE_ENDINGS[name.upper()]
    except KeyError:
        raise DeviceError(
            Text("scanner line ending {name!r} unknown: use CR, LF or CRLF", name=name), "config"
        ) from None


def decode_line(raw: bytes, *, aim_prefix: bool) -> tuple[str | None, str]:
    """(AIM id, text) of one line without its line ending; DeviceError "garbled" for noise."""
    try:
        line = raw.decode("utf-8").strip("\r\n")
    except UnicodeDecodeError:
        raise DeviceError(Text("unreadable scan (not text) — scan again"), "garbled") from None
    if len(line) > MAX_READ:
        raise DeviceError(Text("unreadable scan (far too long) — scan again"), "garbled")
    bad = [c for c in line if (ord(c) < 32 or ord(c) == 127) and c not in _ALLOWED_CONTROLS]
    if bad:
        raise DeviceError(Text("unreadable scan (control characters) — scan again"), "garbled")
    if not aim_prefix:
        return None, line
    aim, text = strip_aim(line)
    if aim is None:
        raise DeviceError(
            Text("scan without its symbology identifier — check the scanner's AIM prefix setting"),
            "garbled",
        )
    return aim, text


class SerialScanner:
    """A line-per-read scanner on a worker thread; reads and errors through callbacks.

    `open_transport` is called on the worker thread, first and after every unplug;
    it returns a connected Transport or raises DeviceError. Callbacks run on the
    worker thread (a Qt bridge re-emits them as signals).
    """

    def __init__(
        self,
        open_transport: Callable[[], Transport],
        *,
        on_read: Callable[[Code], None],
        on_error: Callable[[DeviceError], None],
        line_ending: str = "CR",
        aim_prefix: bool = False,
        name: str = "scanner",
        settle_s: float = 0.3,
        poll_s: float = 0.1,
        backoff_s: tuple[float, float] = (0.5, 8.0),
    ) -> None:
        self._open_transport = open_transport
        self._on_read = on_read
        self._on_error = on_error
        self._eol = _line_ending(line_ending).encode("ascii")
        self._aim_prefix = aim_prefix
        self.name = name
        self._settle_s = settle_s
        self._poll_s = poll_s
        self._backoff_s = backoff_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        """Set while the port is open and listening (after the settle time)."""

    # -- lifecycle

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"kiosk-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the worker to end, wait for it, close the port; False if it did not end."""
        self._stop.set()
        if self._thread is threading.current_thread():  # stop() from a callback: it ends soon
            return True
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("%s: worker still busy after %.1f s", self.name, timeout)
            self._thread = thread
            return False
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> SerialScanner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the worker thread

    def _call(self, callback: Callable[[DeviceError], None], error: DeviceError) -> None:
        try:
            callback(error)
        except Exception:  # a failing callback must not end the worker
            log.exception("%s: on_error callback failed", self.name)

    def _run(self) -> None:
        delay, outage = self._backoff_s[0], False
        while not self._stop.is_set():
            try:
                transport = self._open_transport()
            except DeviceError as exc:
                if not outage:
                    log.warning("%s: %s", self.name, exc)
                    self._call(self._on_error, exc)
                outage = True
                if self._stop.wait(delay):
                    return
                delay = min(delay * 2, self._backoff_s[1])
                continue
            if outage:
                log.info("%s: connected again", self.name)
            delay, outage = self._backoff_s[0], False
            try:
                self._listen(transport)
            except DeviceError as exc:
                outage = True
                log.warning("%s: %s", self.name, exc)
                self._call(
                    self._on_error,
                    DeviceError(
                        Text("{name} disconnected — check its cable; reconnecting", name=self.name),
                        "unplugged",
                    ),
                )
            finally:
                self.connected.clear()
                transport.close()
            if outage and self._stop.wait(delay):
                return

    def _listen(self, transport: Transport) -> None:
        """Deliver reads until stopped; DeviceError("unplugged") when the port goes away."""
        deadline = time.monotonic() + self._settle_s
        while time.monotonic() < deadline and not self._stop.is_set():
            try:  # a line completing this soon began before we listened: drop it
                transport.read_line(max(0.0, deadline - time.monotonic()), self._eol)
                log.info("%s: dropped a partial read present at connection", self.name)
            except DeviceError as exc:
                if exc.kind != "timeout":
                    raise
        self.connected.set()
        while not self._stop.is_set():
            try:
                raw = transport.read_line(self._poll_s, self._eol)
            except DeviceError as exc:
                if exc.kind == "timeout":
                    continue
                raise
            try:
                aim, text = decode_line(raw, aim_prefix=self._aim_prefix)
            except DeviceError as exc:
                log.warning("%s: %s (%r)", self.name, exc, raw[:80])
                self._call(self._on_error, exc)
                continue
            if not text:
                continue
            code = Code(text, symbology_for_aim(aim), aim, backend=f"serial:{self.name}")
            log.info("%s: read %s", self.name, code.shown)
            try:
                self._on_read(code)
            except Exception:  # a failing consumer must not stop the scanner
                log.exception("%s: on_read callback failed", self.name)


class ScannerSimulator:
    """A serial scanner on a pty pair: the kiosk opens `path`, tests call `send()`.

    `line_ending` and `aim_prefix` mirror the scanner's settings. `unplug()` closes
    the pty (the reader sees the port vanish); `replug()` makes a new one — a new
    `path`, as a USB serial device may come back under another name.
    """

    def __init__(self, *, line_ending: str = "CR", aim_prefix: bool = False) -> None:
        self._eol = _line_ending(line_ending)
        self.aim_prefix = aim_prefix
        self._master = -1
        self._slave = -1
        self.path = ""
        self.replug()

    @property
    def plugged(self) -> bool:
        return self._master >= 0

    def replug(self) -> None:
        if self.plugged:
            return
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no CR→LF translation before the reader configures it
        self._master, self._slave, self.path = master, slave, os.ttyname(slave)
        log.debug("scanner simulator on %s", self.path)

    def send(self, text: str, aim: str = "]C0") -> None:
        """One read: AIM id (if the scanner prefixes it), text, line ending."""
        prefix = aim if self.aim_prefix else ""
        self.send_raw((prefix + text + self._eol).encode("utf-8"))

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are: partial reads, noise."""
        if not self.plugged:
            raise DeviceError(Text("the simulated scanner is unplugged"), "unplugged")
        view = memoryview(data)
        while view:
            written = os.write(self._master, view)
            view = view[written:]

    def unplug(self) -> None:
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1

    def close(self) -> None:
        self.unplug()

    def __enter__(self) -> ScannerSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
