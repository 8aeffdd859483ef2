"""Balance simulators: the device side of each protocol, on a real pty.

A simulator opens a pty pair (`os.openpty()`), exposes the slave's path
(`path`, e.g. ``/dev/pts/5``) for a driver to open with `SerialTransport`,
and serves requests on the master in one thread, answering with the same
bytes a balance sends. Scenarios:

    stable     the configured weight, stable
    settling   unstable for `settle_reads` readings, then stable
    overload   every weighing is out of range (high)
    noisy      random jitter, never stable
    silent     reads requests, never answers
    unplugged  answers `unplug_after` requests, then closes the pty while the
               next is waiting for its answer; `replug()` brings it back on a
               new pty path, as a USB adapter reappears
    garbage    answers every request with random bytes or a partial line

A pty passes bytes at memory speed. With `baudrate` set, the simulator paces
the wire: it answers a request only once the request's bytes would have
arrived, and writes its reply in chunks of about a millisecond of wire time
(`bits_per_char` bits per character: 10 for 8N1 and 7O1).

`stop()` ends the thread and closes every descriptor; use the simulator as a
context manager. Logging only, no printing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import select
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from types import TracebackType
from typing import ClassVar, Self, TypeAlias, TypedDict, Unpack

from kiosk.devices.balance import grams_per

log = logging.getLogger(__name__)

SCENARIOS: tuple[str, ...] = (
    "stable",
    "settling",
    "overload",
    "noisy",
    "silent",
    "unplugged",
    "garbage",
)
_DECIMALS = {"g": 2, "mg": 0, "kg": 5, "lb": 5, "oz": 4, "ct": 3}
_OZ_PER_LB = 16


@dataclass(frozen=True)
class Sample:
    """One reading of the simulated load cell: net grams, stable or not, and the range."""

    grams: float
    stable: bool
    state: str = "ok"  # "ok", "over", "under"


@dataclass(frozen=True)
class WaitStable:
    """An answer that waits for the balance to settle (MT-SICS S, T, Z; A&D S)."""

    reply: Callable[[Sample], bytes]  # called with the first stable sample
    timeout: float | None  # after this many seconds send `on_timeout`; None: wait on
    on_timeout: bytes = b""


Answer: TypeAlias = bytes | WaitStable | None


class SimOptions(TypedDict, total=False):
    """The options every simulator takes (see `BalanceSimulator`)."""

    scenario: str
    weight: float
    serial: str
    unit: str
    capacity: float
    settle_reads: int
    unplug_after: int
    noise: float
    baudrate: int | None
    bits_per_char: int
    sample_interval: float
    stability_timeout: float
    seed: int
    eol: bytes


class BalanceSimulator:
    """The device side of a balance: weight model, scenarios, pty and serving thread.

    Subclasses speak one protocol: `_split` cuts requests out of the received
    bytes and `respond` answers one request.
    """

    protocol: ClassVar[str] = "balance"
    units: ClassVar[frozenset[str]] = frozenset({"g", "mg", "kg", "lb", "oz"})

    def __init__(
        self,
        *,
        scenario: str = "stable",
        weight: float = 100.0,
        serial: str = "SIM-0001",
        unit: str = "g",
        capacity: float = 220.0,
        settle_reads: int = 3,
        unplug_after: int = 3,
        noise: float = 0.05,
        baudrate: int | None = None,
        bits_per_char: int = 10,
        sample_interval: float = 0.02,
        stability_timeout: float = 1.0,
        seed: int = 0,
        eol: bytes = b"\r\n",
    ) -> None:
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; one of {', '.join(SCENARIOS)}")
        if unit not in self.units:
            raise ValueError(f"a {self.protocol} simulator prints {sorted(self.units)}, not {unit}")
        self.scenario = scenario
        self.weight = weight  # grams on the pan (gross)
        self.serial = serial
        self.unit = unit
        self.capacity = capacity
        self.settle_reads = settle_reads
        self.unplug_after = unplug_after
        self.noise = noise
        self.baudrate = baudrate
        self.bits_per_char = bits_per_char
        self.sample_interval = sample_interval
        self.stability_timeout = stability_timeout
        self.eol = eol
        self.zero_offset = 0.0
        self.tare_weight = 0.0
        self.requests = 0  # since start or the last replug
        self.reads = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self._rng = random.Random(seed)  # noqa: S311 - simulated noise, not secrets
        self._settle_left = settle_reads
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._master = self._slave = self._wake_read = self._wake_write = -1
        self._path = ""
        self._pending: WaitStable | None = None
        self._pending_since = 0.0
        self._pending_next = 0.0
        self._stream: Callable[[], bytes] | None = None
        self._stream_interval = 0.0
        self._stream_next = 0.0
        self._rx_free = 0.0  # when the wire towards us is free (pacing)

    # ---------------------------------------------------------------- life cycle

    @property
    def path(self) -> str:
        """The pty slave a driver opens; "" before `start()`."""
        return self._path

    @property
    def plugged(self) -> bool:
        """True while the pty is open and served."""
        return self._master >= 0 and self._thread is not None and self._thread.is_alive()

    def start(self) -> str:
        """Open a pty and start serving; the slave's path."""
        if self.plugged:
            return self._path
        self.stop()  # what an unplugged session left: its wake pipe and ending thread
        self._stopping.clear()
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        wake_read, wake_write = os.pipe()
        with self._lock:
            self._master, self._slave = master, slave
            self._wake_read, self._wake_write = wake_read, wake_write
            self._path = os.ttyname(slave)
        self._pending = self._stream = None
        self._session_started()
        self._thread = threading.Thread(
            target=self._serve, name=f"sim-{self.protocol}-{self._path}", daemon=True
        )
        self._thread.start()
        log.info("%s simulator (%s) on %s", self.protocol, self.scenario, self._path)
        return self._path

    def stop(self) -> None:
        """Stop serving and close every descriptor (idempotent)."""
        self._stopping.set()
        with self._lock:
            if self._wake_write >= 0:
                with contextlib.suppress(OSError):
                    os.write(self._wake_write, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
            if self._thread.is_alive():  # pragma: no cover - a bug in the serving loop
                log.error("%s simulator thread did not stop", self.protocol)
            self._thread = None
        self._close_pty()
        self._close_wake()

    def replug(self, scenario: str | None = None) -> str:
        """Come back on a new pty, as a balance plugged in again; the new path."""
        self.stop()
        if scenario is not None:
            if scenario not in SCENARIOS:
                raise ValueError(f"unknown scenario {scenario!r}")
            self.scenario = scenario
        with self._lock:
            self.requests = 0
        return self.start()

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

    # ---------------------------------------------------------------- protocol hooks

    def _split(self, buffer: bytearray) -> list[bytes]:
        """Complete requests cut from the front of `buffer` (which keeps the rest)."""
        raise NotImplementedError

    def respond(self, request: bytes) -> Answer:
        """The answer to one request: bytes, a WaitStable, or None (no answer)."""
        raise NotImplementedError

    def weight_line(self, sample: Sample) -> bytes:
        """The protocol's weight line for `sample` (used for garbage and streams)."""
        raise NotImplementedError

    def _session_started(self) -> None:
        """Called when a pty opens (SBI's auto print starts its stream here)."""

    # ---------------------------------------------------------------- weight model

    @property
    def net(self) -> float:
        return self.weight - self.zero_offset - self.tare_weight

    def sample(self) -> Sample:
        """Read the simulated load cell once (counts as one reading)."""
        self.reads += 1
        net = self.net
        if self.scenario == "overload" or net > self.capacity:
            return Sample(net, False, "over")
        if net < -self.capacity:
            return Sample(net, False, "under")
        if self.scenario == "settling" and self._settle_left > 0:
            self._settle_left -= 1
            return Sample(net + 0.37 * (self._settle_left + 1), False)
        if self.scenario == "noisy":
            return Sample(net + self._rng.gauss(0, self.noise), False)
        return Sample(net, True)

    def do_tare(self) -> None:
        self.tare_weight = self.weight - self.zero_offset

    def do_zero(self) -> None:
        self.zero_offset = self.weight
        self.tare_weight = 0.0

    def in_unit(self, grams: float, unit: str | None = None) -> str:
        """`grams` as the balance prints it in its unit (no sign for lb:oz)."""
        unit = unit or self.unit
        if unit == "lb:oz":
            ounces = abs(grams) / float(grams_per("oz"))
            pounds = int(ounces // _OZ_PER_LB)
            return f"{pounds}:{ounces - pounds * _OZ_PER_LB:05.2f}"
        value = float(Fraction(grams) / grams_per(unit))
        return f"{value:.{_DECIMALS[unit]}f}"

    def stream(self, produce: Callable[[], bytes] | None, interval: float = 0.0) -> None:
        """Send `produce()` every `interval` seconds (None stops the stream)."""
        self._stream = produce
        self._stream_interval = interval
        self._stream_next = time.monotonic() + interval

    # ---------------------------------------------------------------- serving

    def _serve(self) -> None:
        buffer = bytearray()
        master, wake = self._master, self._wake_read
        while not self._stopping.is_set():
            ready, _, _ = select.select([master, wake], [], [], self._timer_timeout())
            if wake in ready:
                return
            if master in ready:
                try:
                    chunk = os.read(master, 4096)
                except BlockingIOError:
                    chunk = b""
                except OSError as exc:  # pragma: no cover - we hold the slave open
                    log.warning("%s simulator: read failed: %s", self.protocol, exc)
                    return
                if chunk:
                    arrived = time.monotonic()
                    with self._lock:
                        self.bytes_in += len(chunk)
                    buffer += chunk
                    self._received(arrived, len(chunk))
                    requests = self._split(buffer)
                    if requests:
                        self._stopping.wait(max(0.0, self._rx_free - time.monotonic()))
                    for request in requests:
                        if not self._handle(request):
                            return
            self._run_timers()

    def _handle(self, request: bytes) -> bool:
        """Answer one request; False when the scenario pulls the plug."""
        with self._lock:
            self.requests += 1
            count = self.requests
        log.debug("%s simulator ← %r", self.protocol, request)
        if self.scenario == "unplugged" and count > self.unplug_after:
            log.info("%s simulator: unplugged after %d requests", self.protocol, count - 1)
            self._close_pty()
            return False
        if self.scenario == "silent":
            return True
        if self.scenario == "garbage":
            self._write(self._garbage())
            return True
        self._pending = None
        answer = self.respond(request)
        if isinstance(answer, WaitStable):
            now = time.monotonic()
            self._pending, self._pending_since = answer, now
            self._pending_next = now + self.sample_interval
        elif answer:
            self._write(answer)
        return True

    def _timer_timeout(self) -> float | None:
        times = []
        if self._pending is not None:
            times.append(self._pending_next)
        if self._stream is not None:
            times.append(self._stream_next)
        if not times:
            return None
        return max(0.0, min(times) - time.monotonic())

    def _run_timers(self) -> None:
        now = time.monotonic()
        pending = self._pending
        if pending is not None and now >= self._pending_next:
            sample = self.sample()
            if sample.stable or sample.state != "ok":
                self._pending = None
                self._write(pending.reply(sample))
            elif pending.timeout is not None and now - self._pending_since >= pending.timeout:
                self._pending = None
                self._write(pending.on_timeout)
            else:
                self._pending_next = now + self.sample_interval
        if self._stream is not None and now >= self._stream_next:
            self._stream_next = now + self._stream_interval
            self._write(self._stream())

    def _garbage(self) -> bytes:
        """Random bytes (always some that are not ASCII) or a partial line, then the eol."""
        choice = self._rng.randrange(3)
        if choice == 0:
            size = self._rng.randint(1, 24)
            noise = bytes(self._rng.randrange(256) for _ in range(size)).replace(self.eol, b"")
            return noise + bytes([self._rng.randrange(0x80, 0x100)]) + self.eol
        line = self.weight_line(Sample(self.net, True)).removesuffix(self.eol)
        partial = line[: self._rng.randint(1, len(line) - 1)]
        if choice == 1:
            return partial + self.eol
        return partial + b"\xff" + line + self.eol

    # ---------------------------------------------------------------- the wire

    def _char_time(self) -> float:
        return self.bits_per_char / self.baudrate if self.baudrate else 0.0

    def _received(self, arrived: float, size: int) -> None:
        """Paced: when the last of `size` bytes that arrived now would have, on a wire."""
        char_time = self._char_time()
        self._rx_free = max(arrived, self._rx_free) + size * char_time if char_time else 0.0

    def _write(self, data: bytes) -> None:
        if not data:
            return
        log.debug("%s simulator → %r", self.protocol, data)
        char_time = self._char_time()
        chunk = max(1, round(0.001 / char_time)) if char_time else len(data)
        start = time.monotonic()
        for offset in range(0, len(data), chunk):
            piece = data[offset : offset + chunk]
            if char_time:
                due = start + (offset + len(piece)) * char_time
                if self._stopping.wait(max(0.0, due - time.monotonic())):
                    return
            with self._lock:
                master = self._master
                self.bytes_out += len(piece)
            if master < 0:
                return
            try:
                os.write(master, piece)
            except BlockingIOError:
                log.debug("%s simulator: nobody reads; dropped %d bytes", self.protocol, len(piece))
            except OSError as exc:
                log.debug("%s simulator: write failed: %s", self.protocol, exc)
                return

    def _close_pty(self) -> None:
        with self._lock:
            fds = (self._master, self._slave)
            self._master = self._slave = -1
        for fd in fds:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _close_wake(self) -> None:
        with self._lock:
            fds = (self._wake_read, self._wake_write)
            self._wake_read = self._wake_write = -1
        for fd in fds:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)


def _lines(buffer: bytearray) -> list[bytes]:
    """Requests ending CR, LF or CR LF, cut from `buffer`; empty lines are skipped."""
    requests: list[bytes] = []
    while True:
        ends = [i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0]
        if not ends:
            return requests
        end = min(ends)
        if buffer[end : end + 1] == b"\r" and end + 1 == len(buffer):
            return requests  # CR at the very end: wait for a possible LF
        line = bytes(buffer[:end])
        del buffer[: end + (2 if buffer[end : end + 2] == b"\r\n" else 1)]
        if line:
            requests.append(line)


# ---------------------------------------------------------------- MT-SICS


class MtSicsSimulator(BalanceSimulator):
    """A Mettler Toledo balance: MT-SICS level 0 and T/TA/TAC of level 1."""

    protocol: ClassVar[str] = "MT-SICS"
    units: ClassVar[frozenset[str]] = BalanceSimulator.units | {"lb:oz"}
    LEVEL_0: ClassVar[tuple[str, ...]] = ("@", "I0", "I1", "I2", "I3", "I4", "S", "SI", "SIR")
    LEVEL_0_ZERO: ClassVar[tuple[str, ...]] = ("Z", "ZI")
    LEVEL_1: ClassVar[tuple[str, ...]] = ("T", "TA", "TAC")

    def __init__(
        self, *, commands: tuple[str, ...] | None = None, **options: Unpack[SimOptions]
    ) -> None:
        """`commands`: what the balance has (and lists in I0); all of the above by default."""
        super().__init__(**options)
        self.commands = commands or (*self.LEVEL_0, *self.LEVEL_0_ZERO, *self.LEVEL_1)

    def _split(self, buffer: bytearray) -> list[bytes]:
        if self.eol == b"\r":  # a CR-only balance does not wait for an LF
            buffer[:] = buffer.replace(b"\r", b"\n")
        return _lines(buffer)

    def _line(self, text: str) -> bytes:
        return text.encode("ascii") + self.eol

    def weight_line(self, sample: Sample, reply_id: str = "S") -> bytes:
        if sample.state == "over":
            return self._line(f"{reply_id} +")
        if sample.state == "under":
            return self._line(f"{reply_id} -")
        status = "S" if sample.stable else "D"
        value = self.in_unit(sample.grams)
        if self.unit == "lb:oz" and sample.grams < 0:
            value = "-" + value
        return self._line(f"{reply_id} {status} {value:>10} {self.unit}")

    def respond(self, request: bytes) -> Answer:
        words = request.decode("ascii", "replace").split()
        command = words[0] if words else ""
        self.stream(None)
        if command not in self.commands:
            return b"ES" + self.eol
        if command == "@":
            self.tare_weight = 0.0
            return self._line(f'I4 A "{self.serial}"')
        if command == "I0":
            listed = [c for c in self.commands if c]
            lines = [
                f'I0 {"A" if i == len(listed) - 1 else "B"} {int(c in self.LEVEL_1)} "{c}"'
                for i, c in enumerate(listed)
            ]
            return b"".join(self._line(line) for line in lines)
        if command in ("I1", "I2", "I3", "I4"):
            return self._line(self._info(command))
        if command == "SI":
            return self.weight_line(self.sample())
        if command == "SIR":
            self.stream(lambda: self.weight_line(self.sample()), self.sample_interval)
            return self.weight_line(self.sample())
        if command == "S":
            return self._when_stable("S", self.weight_line)
        if command == "Z":
            return self._when_stable("Z", lambda s: self._zeroed())
        if command == "ZI":
            sample = self.sample()
            if sample.state != "ok":
                return self.weight_line(sample, "ZI")
            self.do_zero()
            return self._line(f"ZI {'S' if sample.stable else 'D'}")
        if command == "T":
            return self._when_stable("T", lambda s: self._tared())
        if command == "TA":
            return self._line(f"TA A {self.in_unit(self.tare_weight):>10} {self.unit}")
        if command == "TAC":
            self.tare_weight = 0.0
            return self._line("TAC A")
        return b"ES" + self.eol  # pragma: no cover - every listed command is answered

    def _info(self, command: str) -> str:
        return {
            "I1": 'I1 A "01" "2.20" "2.20" "1.00" "1.00"',
            "I2": f'I2 A "SIM220 Simulated-Balance {self.capacity:.5f} g"',
            "I3": 'I3 A "1.0.0 simulator"',
            "I4": f'I4 A "{self.serial}"',
        }[command]

    def _when_stable(self, reply_id: str, reply: Callable[[Sample], bytes]) -> Answer:
        sample = self.sample()
        if sample.state != "ok":
            return self.weight_line(sample, reply_id)
        if sample.stable:
            return reply(sample)

        def settled(later: Sample) -> bytes:
            return self.weight_line(later, reply_id) if later.state != "ok" else reply(later)

        return WaitStable(settled, self.stability_timeout, self._line(f"{reply_id} I"))

    def _zeroed(self) -> bytes:
        self.do_zero()
        return self._line("Z A")

    def _tared(self) -> bytes:
        self.do_tare()
        return self._line(f"T S {self.in_unit(self.tare_weight):>10} {self.unit}")


# ---------------------------------------------------------------- Sartorius SBI


class SbiSimulator(BalanceSimulator):
    """A Sartorius balance over SBI: ESC P/T/U/V/S, 16- or 22-character output."""

    protocol: ClassVar[str] = "SBI"

    def __init__(
        self,
        *,
        width: int = 16,
        auto_print: float | None = None,
        model: str | None = "ENTRIS224I-1S",
        **options: Unpack[SimOptions],
    ) -> None:
        """`width`: 16 or 22 characters a line; `auto_print`: print every so many seconds.

        `model`: what ESC x1_ answers (ESC x2_ answers the serial number); None for an
        older model that ignores both.
        """
        super().__init__(**options)
        if width not in (16, 22):
            raise ValueError("SBI lines are 16 or 22 characters")
        self.width = width
        self.auto_print = auto_print
        self.model = model
        self._busy_lines = 0  # "Stat" lines to print after a tare or zero

    def _session_started(self) -> None:
        if self.auto_print:
            self.stream(lambda: self.weight_line(self.sample()), self.auto_print)

    def _split(self, buffer: bytearray) -> list[bytes]:
        requests: list[bytes] = []
        while buffer:
            escape = buffer.find(b"\x1b")
            if escape < 0:
                buffer.clear()  # CR LF after a command, or noise
            elif escape + 1 < len(buffer) and buffer[escape + 1 : escape + 2].islower():
                # format 2: ESC, a lower-case letter, digits, "_" (ESC x1_, ESC kP_)
                end = buffer.find(b"_", escape)
                if end < 0:
                    del buffer[:escape]
                    break
                requests.append(bytes(buffer[escape : end + 1]))
                del buffer[: end + 1]
            elif escape + 1 < len(buffer):
                requests.append(bytes(buffer[escape : escape + 2]))
                del buffer[: escape + 2]
            else:
                del buffer[:escape]
                break
        return requests

    def weight_line(self, sample: Sample) -> bytes:
        if self._busy_lines:
            self._busy_lines -= 1
            return self._wrap("Stat".ljust(14))
        if sample.state == "over":
            return self._wrap("+     High    ")
        if sample.state == "under":
            return self._wrap("-      Low    ")
        value = self.in_unit(abs(sample.grams))
        if len(value) > 8:
            return self._wrap("+     High    ")
        sign = "-" if sample.grams < 0 else "+"
        unit = self.unit if sample.stable else ""
        return self._wrap(f"{sign} {value:>8} {unit:<3}")

    def _wrap(self, body: str) -> bytes:
        identifier = "N     " if self.width == 22 else ""
        return (identifier + body).encode("ascii") + self.eol

    def info_line(self, text: str) -> bytes:
        """An ESC x1_/x2_ answer: a label in the identifier field (22), the text right aligned."""
        if self.width == 22:
            return f"{'SerNo' if text == self.serial else 'Model':<6}{text:>14}".encode() + self.eol
        return f"{text:>14}".encode("ascii") + self.eol

    def respond(self, request: bytes) -> Answer:
        if request[1:] in (b"x1_", b"x2_"):
            if self.model is None:
                return None  # an older model: no answer
            return self.info_line(self.model if request[1:] == b"x1_" else self.serial)
        letter = request[1:2]
        if letter == b"P":
            return self.weight_line(self.sample())
        if letter in (b"T", b"U", b"V", b"S") and self.sample().state == "ok":
            if letter == b"U" or (letter == b"T" and abs(self.net) >= 0.5):
                self.do_tare()
            else:
                self.do_zero()
            self._busy_lines = 1
        return None


# ---------------------------------------------------------------- A&D


class AndSimulator(BalanceSimulator):
    """An A&D balance over its standard format, acknowledging R, Z and T with ACK."""

    protocol: ClassVar[str] = "A&D"

    def __init__(self, *, ack: bool = True, **options: Unpack[SimOptions]) -> None:
        super().__init__(**options)
        self.ack = ack

    def _split(self, buffer: bytearray) -> list[bytes]:
        return _lines(buffer)

    def weight_line(self, sample: Sample) -> bytes:
        if sample.state != "ok":
            sign = "+" if sample.state == "over" else "-"
            return self._line(f"OL,{sign}9999999E+19")
        value = self.in_unit(abs(sample.grams))
        if len(value) > 8:
            return self._line("OL,+9999999E+19")
        sign = "-" if sample.grams < 0 else "+"
        header = "ST" if sample.stable else "US"
        return self._line(f"{header},{sign}{value:0>8}{self.unit:>3}")

    def _line(self, text: str) -> bytes:
        return text.encode("ascii") + self.eol

    def respond(self, request: bytes) -> Answer:
        command = request.decode("ascii", "replace").strip()
        if command == "C":
            self.stream(None)
            return None
        if command == "Q":
            return self.weight_line(self.sample())
        if command == "S":
            sample = self.sample()
            if sample.stable or sample.state != "ok":
                return self.weight_line(sample)
            return WaitStable(self.weight_line, None)
        if command == "SIR":
            self.stream(lambda: self.weight_line(self.sample()), self.sample_interval)
            return self.weight_line(self.sample())
        if command in ("R", "Z", "T"):
            sample = self.sample()
            if sample.state != "ok":
                return self.weight_line(sample)
            if not sample.stable:
                return self._line("EC,E11")
            if command == "T":
                self.do_tare()
            else:
                self.do_zero()
            return b"\x06" + self.eol if self.ack else None
        if command == "?SN":
            return self._line(f"SN,{self.serial}")
        if command == "?ID":
            return self._line("ID,SIM")
        return self._line("EC,E01")


SIMULATORS: dict[str, type[BalanceSimulator]] = {
    "mt-sics": MtSicsSimulator,
    "sbi": SbiSimulator,
    "and": AndSimulator,
}
"""Simulator classes by the protocol names of `kiosk devices`."""
