"""Sartorius balances speaking SBI (Sartorius Balance Interface).

Commands are ESC and a letter, followed here by CR LF (the balance accepts
both): ESC P print (send the weight), ESC U tare, ESC V zero. ESC T, the
combined tare/zero key, and ESC S (restart) are left out on purpose: the
driver exposes `tare()` and `zero()`, never a key whose effect depends on the
load.

Output lines are 16 characters (sign or space, space, 8-character value right
aligned, space, 3-character unit, CR LF: ``+  123.56 g  ``) or 22 characters
(a 6-character identifier in front: ``N     +  123.56 g  ``). A blank unit
means the weight is not stable; `Stat` lines say the display shows no
weight; ``H``/``HH``/``High`` and ``L``/``Low`` are over- and underload;
``ERR nnn`` an error.

Identity: Entris II, Cubis and other current models answer the format-2
commands ESC x1_ (model) and ESC x2_ (serial number) with one output line
(Entris II and Cubis data interface descriptions). The line's layout varies
by model, so the driver takes its last word as the serial number (the whole
line as the model). `identify()` asks ESC x2_ (and ESC x1_), and only when the
balance does not answer them (older models ignore them, or answer ERR or a
weight) falls back to the configured `serial_number` (from the rating plate);
with neither, it refuses. It then checks that the balance answers ESC P.

Some balances print on their own (auto print). Set `auto_print=True` and
the driver listens instead of sending ESC P; joining a running stream, the
first line may be the tail of a line, and is dropped. In auto print the
serial number comes from the configuration: an answer to ESC x2_ would be
mixed with weight lines.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import ClassVar

from kiosk.devices.balance import Balance, WeightReading, grams_per, text_of
from kiosk.devices.errors import DeviceError
from kiosk.devices.transport import Transport
from kiosk.text import Text

log = logging.getLogger(__name__)

ESC = b"\x1b"
PRINT = ESC + b"P"
TARE = ESC + b"U"
ZERO = ESC + b"V"
MODEL = ESC + b"x1_"
SERIAL = ESC + b"x2_"
_SERIAL_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{3,31}")  # no ".": not a weight

_VALUE = re.compile(r" *(?:\d+(?:\.\d*)?|\.\d+)")
_UNIT = re.compile(r"[A-Za-z%/#]* *")
_ERROR = re.compile(r"\bERR\s*(\d{1,4})\b", re.IGNORECASE)
_HIGH = frozenset({"H", "HH", "HIGH"})
_LOW = frozenset({"L", "LL", "LOW"})


@dataclass(frozen=True)
class SbiReply:
    """One output line. `kind`: weight, status, overload, underload or error."""

    kind: str
    value: str = ""  # signed, for weights
    unit: str = ""  # blank while the weight is not stable
    identifier: str = ""  # the 22-character format's 6-character identifier
    code: str = ""  # the number of an ERR line
    text: str = ""

    @property
    def stable(self) -> bool:
        return self.kind == "weight" and bool(self.unit)


def parse_line(line: bytes, eol: bytes = b"\r\n") -> SbiReply:
    """Read one output line; DeviceError(kind="garbled") if it is not SBI."""
    text = text_of(line, eol)
    stripped = text.strip()
    error = _ERROR.search(stripped)
    if error:
        return SbiReply("error", code=error.group(1), text=text)
    if len(text) in (14, 20):
        identifier, body = text[:-14], text[-14:]
        sign, value, unit = body[0], body[2:10], body[11:14]
        if (
            sign in "+- "
            and body[1] == " "
            and body[10] == " "
            and _VALUE.fullmatch(value)
            and _UNIT.fullmatch(unit)
        ):
            signed = ("-" if sign == "-" else "") + value.strip()
            return SbiReply("weight", signed, unit.strip(), identifier.strip(), text=text)
    words = {word.upper() for word in re.split(r"[\s+\-]+", stripped) if word}
    if stripped[:4].upper() == "STAT" or words & (_HIGH | _LOW):
        if words & _HIGH:
            return SbiReply("overload", text=text)
        if words & _LOW:
            return SbiReply("underload", text=text)
        return SbiReply("status", text=text)
    raise DeviceError(Text("unreadable reply {text!r}", text=text), "garbled")


def parse_info(line: bytes, eol: bytes = b"\r\n") -> str | None:
    """An ESC x1_/x2_ answer: the text, None for a weight or status line (not the answer).

    DeviceError(kind="refused") for ERR (the model does not know the command),
    kind "garbled" for an empty or unprintable line.
    """
    text = text_of(line, eol)
    stripped = text.strip()
    if not stripped or not stripped.isprintable():
        raise DeviceError(Text("unreadable reply {text!r}", text=text), "garbled")
    if _ERROR.search(stripped):
        raise DeviceError(
            Text("the balance does not know the command: {stripped}", stripped=stripped), "refused"
        )
    try:
        parse_line(line, eol)
    except DeviceError:
        return stripped
    return None  # a weight or status line (auto print, or a model printing on any command)


class SbiBalance(Balance):
    """A Sartorius balance over SBI; its serial number from ESC x2_, or from configuration."""

    protocol: ClassVar[str] = "SBI"
    drop_partial_first: ClassVar[bool] = True

    def __init__(
        self,
        transport: Transport,
        *,
        serial_number: str | None,
        unit: str | None = None,
        auto_print: bool = False,
        timeout: float = 2.0,
        retries: int = 2,
        eol: bytes = b"\r\n",
    ) -> None:
        """`unit`: what the balance is set to, for readings while the weight moves.

        SBI prints no unit until the weight is stable; without `unit` the driver
        learns it from the first stable line.
        """
        super().__init__(transport, timeout=timeout, retries=retries, eol=eol)
        self._configured_serial = serial_number.strip() if serial_number else None
        if unit is not None:
            grams_per(unit)
        self._unit = unit
        self.auto_print = auto_print
        self.model: str | None = None  # what ESC x1_ answered, if it did
        self.serial_source = ""  # "balance" (ESC x2_) or "configuration"

    # ---------------------------------------------------------------- protocol hooks

    def _identify(self, deadline: float) -> str:
        # In auto print the answer would arrive among weight lines, and the tail of one
        # (a partial first line) could pass for a serial number: use the configuration.
        reported = None if self.auto_print else self._info(SERIAL, "ESC x2_", deadline)
        serial = _SERIAL_WORD.fullmatch(reported.split()[-1]) if reported else None
        if serial is not None:
            self.model = self._info(MODEL, "ESC x1_", deadline)
            found = serial.group(0)
            if self._configured_serial and self._configured_serial != found:
                log.warning(
                    "SBI: the balance reports serial %s; the configured %s is not used",
                    found,
                    self._configured_serial,
                )
            self.serial_source = "balance"
        else:
            found = self._configured_serial or ""
            self.serial_source = "configuration"
        reply = self._print(self._deadline(None))  # any reply: the balance is there
        if not found:
            raise DeviceError(
                Text(
                    "this balance does not report its serial number (ESC x2_): "
                    "set it in the configuration (the number on the balance's "
                    "rating plate)"
                ),
                "config",
            )
        if self.serial_source == "configuration":
            log.info("SBI: the balance does not report its serial number; using %s", found)
        if reply.kind == "error":
            self._raise(reply)
        if reply.stable:
            self._weight(reply, found)  # learns the unit
        return found

    def _info(self, command: bytes, what: str, deadline: float) -> str | None:
        """The answer to ESC x1_/x2_, or None when this model does not give one."""
        short = min(deadline, time.monotonic() + min(self.timeout, 1.0))
        try:
            answer: str = self._ask(command + self.eol, self._parse_info, short, what)
        except DeviceError as exc:
            if exc.kind not in ("timeout", "garbled", "refused"):
                raise
            log.info("SBI: no answer to %s (%s)", what, exc)
            return None
        return answer

    def _parse_info(self, line: bytes) -> str | None:
        return parse_info(line, self.eol)

    def _read_now(self, deadline: float, device: str) -> WeightReading:
        while True:
            reply = self._print(deadline)
            if reply.kind == "weight":
                return self._weight(reply, device)
            self._raise(reply)
            self._pause(deadline)  # a status line: the display shows no weight yet

    def _read_stable(self, deadline: float, device: str) -> WeightReading | None:
        answered = False
        try:
            while True:
                reply = self._print(deadline)
                answered = True
                if reply.stable:
                    return self._weight(reply, device)
                self._raise(reply)
                self._pause(deadline)
        except DeviceError as exc:
            if exc.kind == "timeout" and answered:
                return None
            raise

    def _tare(self, deadline: float) -> None:
        self._send(TARE + self.eol)
        self._confirm(deadline, "tare")

    def _zero(self, deadline: float) -> None:
        self._send(ZERO + self.eol)
        self._confirm(deadline, "zero")

    # ---------------------------------------------------------------- helpers

    def _print(self, deadline: float) -> SbiReply:
        """The next output line: asked for with ESC P, or listened for in auto print."""
        command = None if self.auto_print else PRINT + self.eol
        return self._ask(command, self._parse, deadline, "ESC P (print)")

    def _parse(self, line: bytes) -> SbiReply:
        return parse_line(line, self.eol)

    def _confirm(self, deadline: float, what: str) -> None:
        """SBI does not acknowledge: check that the balance still answers, and is in range."""
        reply = self._print(deadline)
        if reply.kind != "status":
            self._raise(reply)
        log.info("SBI: sent %s; the balance answers %r", what, reply.text)

    def _weight(self, reply: SbiReply, device: str) -> WeightReading:
        unit = reply.unit or self._unit
        if reply.unit:
            if self._unit and self._unit != reply.unit:
                log.warning("SBI: the balance now prints %s, not %s", reply.unit, self._unit)
            self._unit = reply.unit
        if not unit:
            raise DeviceError(
                Text(
                    "the balance prints no unit while the weight moves — wait "
                    "for it to settle, or configure the balance's unit"
                ),
                "unit",
            )
        return self._reading(reply.value, unit, reply.stable, device, reply.text)

    @staticmethod
    def _raise(reply: SbiReply) -> None:
        if reply.kind == "overload":
            raise DeviceError(
                Text("the balance is overloaded — take some of the load off the pan"), "overload"
            )
        if reply.kind == "underload":
            raise DeviceError(
                Text("the balance reads below its range — check that the pan is in place"),
                "underload",
            )
        if reply.kind == "error":
            raise DeviceError(
                Text("the balance reports error {code} — see its manual", code=reply.code),
                "refused",
            )
