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

SBI has no standard query for the serial number: it is taken from the
configuration (`serial_number`), and `identify()` checks that a balance
answers before returning it. Configure it from the balance's rating plate.

Some balances print on their own (auto print). Set `auto_print=True` and
the driver listens instead of sending ESC P; joining a running stream, the
first line may be the tail of a line, and is dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import ClassVar

from kiosk.devices.balance import Balance, WeightReading, grams_per, text_of
from kiosk.devices.errors import DeviceError
from kiosk.devices.transport import Transport

log = logging.getLogger(__name__)

ESC = b"\x1b"
PRINT = ESC + b"P"
TARE = ESC + b"U"
ZERO = ESC + b"V"

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
    raise DeviceError(f"unreadable reply {text!r}", "garbled")


class SbiBalance(Balance):
    """A Sartorius balance over SBI; its serial number comes from configuration."""

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

    # ---------------------------------------------------------------- protocol hooks

    def _identify(self, deadline: float) -> str:
        if not self._configured_serial:
            raise DeviceError(
                "SBI balances do not report their serial number: set it in the configuration "
                "(the number on the balance's rating plate)",
                "config",
            )
        reply = self._print(deadline)  # any reply: the balance is there
        if reply.kind == "error":
            self._raise(reply)
        if reply.stable:
            self._weight(reply, self._configured_serial)  # learns the unit
        return self._configured_serial

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
                "the balance prints no unit while the weight moves — "
                "wait for it to settle, or configure the balance's unit",
                "unit",
            )
        return self._reading(reply.value, unit, reply.stable, device, reply.text)

    @staticmethod
    def _raise(reply: SbiReply) -> None:
        if reply.kind == "overload":
            raise DeviceError(
                "the balance is overloaded — take some of the load off the pan", "overload"
            )
        if reply.kind == "underload":
            raise DeviceError(
                "the balance reads below its range — check that the pan is in place", "underload"
            )
        if reply.kind == "error":
            raise DeviceError(f"the balance reports error {reply.code} — see its manual", "refused")
