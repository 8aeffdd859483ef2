"""Balances: the reading every balance driver delivers, and their common surface.

`Balance` is the base of the protocol drivers (`MtSicsBalance`, `SbiBalance`,
`AndBalance`). It owns what they share: the bounded exchange of a command for
a reply line (a deadline on every read, a bounded number of retries after an
unreadable reply), the balance's serial number on every reading, and unit
conversion. A driver class only knows its protocol's bytes.

Units are never assumed: a reading carries the unit the balance printed, and
converting it to a requested unit goes through `kiosk.units` (g, mg, µg, kg)
or the exact legal definitions of the avoirdupois pound and ounce and the
metric carat. Anything else ("lb:oz", troy ounces, pieces, percent) is a
`DeviceError(kind="unit")` asking the operator to set the balance to grams.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import TracebackType
from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from kiosk.devices.errors import DeviceError
from kiosk.devices.transport import Transport
from kiosk.text import Text
from kiosk.units import Unit, UnitError

if TYPE_CHECKING:
    from kiosk.engine import Reading

log = logging.getLogger(__name__)

# What a port that has gone raises besides OSError: termios.error on POSIX (see Balance._send).
_PORT_ERRORS: tuple[type[Exception], ...] = (OSError,)
try:
    import termios
except ImportError:  # pragma: no cover - not POSIX
    pass
else:
    _PORT_ERRORS = (OSError, termios.error)

_T = TypeVar("_T")

# Mass units balances print that kiosk.units does not know, in grams, exactly as defined
# (international avoirdupois pound and ounce of 1959; metric carat).
_EXTRA_GRAMS: dict[str, Fraction] = {
    "lb": Fraction(45_359_237, 100_000),
    "oz": Fraction(45_359_237, 1_600_000),
    "ct": Fraction(1, 5),
}
_MASS = Unit.parse("g")
_MAX_SKIPPED = 16  # lines that are not the reply we wait for (late, unsolicited), per exchange
_POLL_PAUSE = 0.05  # seconds between polls while a balance is busy


def grams_per(unit: str) -> Fraction:
    """How many grams one `unit` is, exactly; DeviceError(kind="unit") if not a mass we know.

    `unit` is the text a balance prints ("g", "mg", "kg", "lb", ...) or a caller asks for.
    """
    text = unit.strip()
    if text in _EXTRA_GRAMS:
        return _EXTRA_GRAMS[text]
    if text and ":" not in text:
        try:
            parsed = Unit.parse(text)
        except UnitError:
            pass
        else:
            if parsed.same_dimension(_MASS):
                return parsed.scale / _MASS.scale
    shown = text or "no unit"
    raise DeviceError(Text("the balance reports {shown}; set it to grams", shown=shown), "unit")


def convert(value: Fraction | float, unit: str, to: str) -> float:
    """`value` in `unit`, expressed in `to`; DeviceError(kind="unit") if either is not a mass."""
    source = grams_per(unit)
    try:
        target = grams_per(to)
    except DeviceError:
        raise DeviceError(
            Text("cannot give a weight in {to!r}: it is not a unit of mass", to=to), "unit"
        ) from None
    return float(Fraction(value) * source / target)


def number(text: str) -> Fraction:
    """The exact value of a decimal number as a balance prints it; DeviceError if it is none."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DeviceError(Text("unreadable weight {text!r}", text=text), "garbled") from None
    if not value.is_finite():
        raise DeviceError(Text("unreadable weight {text!r}", text=text), "garbled")
    return Fraction(value)


@dataclass(frozen=True)
class WeightReading:
    """One weight as a balance reported it.

    `value` is in `unit` (the balance's unit, or the unit the caller asked for);
    `device` is the balance's own serial number; `raw` is the reply line as
    received, for the record and for support.
    """

    value: float
    unit: str
    stable: bool
    device: str
    raw: str

    def to(self, unit: str) -> WeightReading:
        """This reading in `unit`; DeviceError(kind="unit") if that cannot be done exactly."""
        if unit == self.unit:
            return self
        value = convert(self.value, self.unit, unit)
        return WeightReading(value, unit, self.stable, self.device, self.raw)

    def to_engine(self) -> Reading:
        """The engine's `Reading`: in this unit if kiosk.units knows it, else in grams."""
        from kiosk.engine import Reading  # noqa: PLC0415 - the engine is heavy; devices stay light

        reading = self
        try:
            Unit.parse(self.unit)
        except UnitError:
            reading = self.to("g")
        return Reading(reading.value, reading.unit, reading.stable, reading.device)


class Balance:
    """The common surface of a balance driver; subclasses speak one protocol.

    All I/O goes through the injected `transport`. Every call is bounded: a
    read waits at most until its deadline (`timeout` seconds unless the call
    says otherwise), and an unreadable reply is retried at most `retries`
    times before DeviceError(kind="garbled"). Errors are only ever
    `DeviceError`, with an operator-readable message.

    A driver is not thread-safe: one worker thread owns it (see DESIGN.md,
    "Devices"). After DeviceError(kind="unplugged") close it, find the
    balance again by its identity, open a new transport and driver, and check
    `identify()` before trusting its readings.
    """

    protocol: ClassVar[str] = "balance"
    drop_partial_first: ClassVar[bool] = False  # a first unreadable line may be a partial one

    def __init__(
        self,
        transport: Transport,
        *,
        timeout: float = 2.0,
        retries: int = 2,
        eol: bytes = b"\r\n",
    ) -> None:
        if timeout <= 0:
            raise DeviceError(Text("the balance timeout must be positive"), "config")
        if retries < 0:
            raise DeviceError(Text("the number of retries cannot be negative"), "config")
        self._transport = transport
        self.timeout = timeout
        self.retries = retries
        self.eol = eol
        self._serial_number: str | None = None

    # ---------------------------------------------------------------- public surface

    def identify(self) -> str:
        """Ask the balance who it is; its serial number (cached for later readings)."""
        self._serial_number = self._identify(self._deadline(None))
        return self._serial_number

    @property
    def serial_number(self) -> str:
        """The serial number, asking the balance once if `identify` was not called."""
        return self._serial_number if self._serial_number is not None else self.identify()

    def read_stable(self, timeout: float | None = None, unit: str | None = None) -> WeightReading:
        """A stable weight, waiting at most `timeout` seconds for the balance to settle.

        In the balance's unit, or converted to `unit`. DeviceError(kind="refused")
        if it does not settle in time, "overload"/"underload" outside its range.
        """
        device = self.serial_number
        seconds = self.timeout if timeout is None else timeout
        reading = self._read_stable(self._deadline(seconds), device)
        if reading is None:
            raise DeviceError(
                Text(
                    "the weight did not settle within {seconds:g} s — check for "
                    "draughts, vibration or a load touching the draft shield",
                    seconds=seconds,
                ),
                "refused",
            )
        return reading.to(unit) if unit else reading

    def read_now(self, unit: str | None = None) -> WeightReading:
        """The weight shown now, stable or not (see `stable`)."""
        device = self.serial_number
        reading = self._read_now(self._deadline(None), device)
        return reading.to(unit) if unit else reading

    def tare(self) -> None:
        """Tare: take the load on the pan as the container."""
        self._tare(self._deadline(None))

    def zero(self) -> None:
        """Set zero with the pan empty."""
        self._zero(self._deadline(None))

    def close(self) -> None:
        """Close the transport."""
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---------------------------------------------------------------- protocol hooks

    def _identify(self, deadline: float) -> str:
        raise NotImplementedError

    def _read_stable(self, deadline: float, device: str) -> WeightReading | None:
        """A stable reading, or None if the balance answers but does not settle in time."""
        raise NotImplementedError

    def _read_now(self, deadline: float, device: str) -> WeightReading:
        raise NotImplementedError

    def _tare(self, deadline: float) -> None:
        raise NotImplementedError

    def _zero(self, deadline: float) -> None:
        raise NotImplementedError

    # ---------------------------------------------------------------- helpers for drivers

    def _deadline(self, timeout: float | None) -> float:
        seconds = self.timeout if timeout is None else timeout
        if seconds <= 0:
            raise DeviceError(Text("the timeout must be positive"), "config")
        return time.monotonic() + seconds

    def _send(self, command: bytes, *, reset: bool = True) -> None:
        """Forget what arrived before (unless `reset` is False), then send `command` (if any)."""
        try:
            if reset:
                self._transport.reset_input()
            if command:
                log.debug("%s → %r", self.protocol, command)
                self._transport.write(command)
        except _PORT_ERRORS as exc:
            # SerialTransport lets termios.error (not an OSError) through from tcflush and
            # tcdrain when a pty or USB adapter has gone: the port is unusable.
            raise DeviceError(Text("the balance's port went away"), "unplugged") from exc

    def _read_line(self, deadline: float) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeviceError(
                Text("no answer from the balance — check the balance's interface settings"),
                "timeout",
            )
        try:
            line = self._transport.read_line(remaining, self.eol)
        except DeviceError as exc:
            if exc.kind == "timeout":
                raise DeviceError(
                    Text("{exc} — check the balance's interface settings", exc=exc), "timeout"
                ) from exc
            raise
        log.debug("%s ← %r", self.protocol, line)
        return line

    def _ask(
        self,
        command: bytes | None,
        interpret: Callable[[bytes], _T | None],
        deadline: float,
        what: str,
        *,
        skip_limit: int = _MAX_SKIPPED,
        fresh: bool = True,
    ) -> _T:
        """Send `command` (None: just listen) and read lines until `interpret` gives a result.

        `interpret` returns the result, None for a line that is not the reply
        (skipped, a bounded number of times), or raises DeviceError; kind
        "garbled" sends the command again, at most `retries` times. Input that
        arrived before is dropped first, unless `fresh` is False. If the deadline
        passes after lines that were not the reply, the error is "garbled", not
        "timeout": the balance answers, but not in a way we understand.
        """
        self._send(command or b"", reset=fresh)
        garbled = skipped = 0
        first = True
        if command is None and fresh and self.drop_partial_first:
            # Listening to a balance that prints on its own, input was just dropped: the next
            # line may be the tail of one, and a tail can read as a (wrong) weight ("3.45 g"
            # of "123.45 g"). Never use it.
            log.debug(
                "%s: dropped a partial first line %r", self.protocol, self._read_line(deadline)
            )
            first = False
        odd: bytes | None = None  # the last line since sending that was not the reply
        while True:
            try:
                line = self._read_line(deadline)
            except DeviceError as exc:
                if exc.kind == "timeout" and odd is not None:
                    raise DeviceError(
                        Text(
                            "unexpected reply from the balance to {what} ({odd}) — check "
                            "the balance's protocol settings",
                            what=what,
                            odd=_shown(odd),
                        ),
                        "garbled",
                    ) from exc
                raise
            try:
                result = interpret(line)
            except DeviceError as exc:
                if exc.kind != "garbled":
                    raise
                odd = line
                if first and self.drop_partial_first:
                    # Joining a balance that prints on its own, the first line may be the tail
                    # of one: drop it, and ask again (without dropping what is on its way).
                    log.debug("%s: dropped a partial first line %r", self.protocol, line)
                    first = False
                    if command is not None:
                        self._send(command, reset=False)
                    continue
                garbled += 1
                if garbled > self.retries:
                    raise DeviceError(
                        Text(
                            "unreadable reply from the balance to {what} ({line}) — "
                            "check the balance's baud rate, parity and protocol settings",
                            what=what,
                            line=_shown(line),
                        ),
                        "garbled",
                    ) from exc
                log.warning(
                    "%s: unreadable reply %r to %s, asking again", self.protocol, line, what
                )
                if command is not None:
                    self._send(command)
                continue
            first = False
            if result is None:
                odd = line
                skipped += 1
                if skipped > skip_limit:
                    raise DeviceError(
                        Text(
                            "the balance keeps sending other lines instead of answering {what}",
                            what=what,
                        ),
                        "garbled",
                    )
                continue
            return result

    @staticmethod
    def _pause(deadline: float) -> None:
        """Wait a little before polling a busy balance again, never past the deadline."""
        time.sleep(max(0.0, min(_POLL_PAUSE, deadline - time.monotonic())))

    @staticmethod
    def _reading(value: str, unit: str, stable: bool, device: str, raw: str) -> WeightReading:
        """A reading from the value and unit text of a reply; the unit must be a mass we know."""
        grams_per(unit)
        return WeightReading(float(number(value)), unit.strip(), stable, device, raw)


def text_of(line: bytes, eol: bytes = b"\r\n") -> str:
    """A reply line without its end of line, as text; DeviceError(kind="garbled") if not ASCII.

    Leading XON/XOFF flow-control bytes are dropped; any other control
    character makes the line unreadable.
    """
    body = line
    for end in (eol, b"\r\n", b"\n", b"\r"):
        if end and body.endswith(end):
            body = body[: -len(end)]
            break
    body = body.lstrip(b"\x11\x13")
    if any(byte < 0x20 or byte > 0x7E for byte in body):
        raise DeviceError(Text("unreadable reply {line}", line=_shown(line)), "garbled")
    return body.decode("ascii")


def _shown(line: bytes) -> str:
    """A received line for a message: printable, and short."""
    text = repr(line)
    return text if len(text) <= 60 else text[:57] + "..."
