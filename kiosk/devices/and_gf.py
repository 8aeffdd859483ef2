"""A&D balances (GF, GX, GR, FX and kin) speaking the A&D standard format.

Commands are short ASCII lines ending CR LF:

    Q     send the weight now        ST,+00123.45  g   (US: unstable)
    S     send when stable           ST,+00123.45  g
    SIR   send continuously          (not used: a driver asks, it does not stream)
    C     cancel S or SIR
    R     re-zero                    (Z on some models; R on all)
    T     tare
    ?SN   serial number              SN,01234567

A weight line is a 2-letter header (ST stable, US unstable, QT counting,
OL out of range), a comma, a signed zero-padded 9-character value and a
3-character unit. Errors are ``EC,Exx``. With acknowledgement switched on the
balance answers R and T with ACK (06h); whether it does is a setting, so the
driver sends Q right after R or T and reads what comes: an ACK (skipped), an
``EC`` error for the tare or zero, then the weight that confirms it.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import ClassVar

from kiosk.devices.balance import Balance, WeightReading, text_of
from kiosk.devices.errors import DeviceError
from kiosk.text import Text

log = logging.getLogger(__name__)

ACK = b"\x06"
_WEIGHT = re.compile(r"(ST|US|QT),([+-](?:\d+\.?\d*|\.\d+)) *([A-Za-z%]{1,3})")
_CODE = re.compile(r"E\d\d")
_IDENT = re.compile(r'"?([\x21-\x7e][\x20-\x7e]{0,39}?)"?')
_DRAIN = 0.5  # seconds to wait for a reply still on its way after an error
_HEADERS = {"ST": "weight", "US": "weight", "QT": "count"}
_GARBLED_CODES = frozenset({"E00", "E03", "E04", "E06"})  # the balance did not read us: retry
_CODE_WORDS = {
    "E01": "does not know that command",
    "E02": "is not ready",
    "E07": "refused a setting",
    "E11": "could not settle (stability error)",
    "E20": "reports a calibration weight error",
    "E21": "reports a calibration weight error",
}


@dataclass(frozen=True)
class AndReply:
    """One reply line. `kind`: weight, count, overload, underload, error, serial, id or ack."""

    kind: str
    header: str = ""
    value: str = ""
    unit: str = ""
    text: str = ""

    @property
    def stable(self) -> bool:
        return self.header == "ST"


def parse_line(line: bytes, eol: bytes = b"\r\n") -> AndReply:
    """Read one reply line; DeviceError(kind="garbled") if it is not the A&D format."""
    acked = line.startswith(ACK)
    text = text_of(line.lstrip(ACK), eol)
    if not text.strip():
        if acked:
            return AndReply("ack", text=text)
        raise DeviceError(Text("an empty reply line"), "garbled")
    header, _, data = text.partition(",")
    if header in _HEADERS and len(text) == 15:
        match = _WEIGHT.fullmatch(text)
        if match and len(match.group(2)) == 9:
            return AndReply(_HEADERS[header], header, match.group(2), match.group(3), text)
    elif header == "OL" and data:
        kind = "underload" if data.lstrip().startswith("-") else "overload"
        return AndReply(kind, header, text=text)
    elif header == "EC" and _CODE.fullmatch(data):
        return AndReply("error", header, data, text=text)
    elif header in ("SN", "ID"):
        ident = _IDENT.fullmatch(data.strip())
        if ident:
            kind = "id" if header == "ID" else "serial"
            return AndReply(kind, header, ident[1], text=text)
    raise DeviceError(Text("unreadable reply {text!r}", text=text), "garbled")


class AndBalance(Balance):
    """An A&D balance over its standard format."""

    protocol: ClassVar[str] = "A&D"

    # ---------------------------------------------------------------- protocol hooks

    def _identify(self, deadline: float) -> str:
        reply = self._command(b"?SN", ("serial",), "give its serial number", deadline)
        return reply.value.strip()

    def _read_now(self, deadline: float, device: str) -> WeightReading:
        reply = self._command(b"Q", ("weight", "count"), "send the weight", deadline)
        return self._weight(reply, device)

    def _read_stable(self, deadline: float, device: str) -> WeightReading | None:
        now = self._read_now(deadline, device)  # answers at once: the balance is there
        if now.stable:
            return now
        try:
            reply = self._command(
                b"S", ("weight", "count"), "send a stable weight", deadline, stable_only=True
            )
        except DeviceError as exc:
            if exc.kind != "timeout":
                raise
            self._cancel()
            return None
        return self._weight(reply, device)

    def _tare(self, deadline: float) -> None:
        self._acknowledged(b"T", "tare", deadline)

    def _zero(self, deadline: float) -> None:
        self._acknowledged(b"R", "zero", deadline)

    # ---------------------------------------------------------------- helpers

    def _command(
        self,
        command: bytes,
        kinds: tuple[str, ...],
        what: str,
        deadline: float,
        *,
        stable_only: bool = False,
        fresh: bool = True,
    ) -> AndReply:
        def interpret(line: bytes) -> AndReply | None:
            reply = parse_line(line, self.eol)
            _raise(reply, what)
            if reply.kind not in kinds or (stable_only and not reply.stable):
                return None  # an ACK, or a line from before
            return reply

        return self._ask(command + self.eol, interpret, deadline, command.decode(), fresh=fresh)

    def _weight(self, reply: AndReply, device: str) -> WeightReading:
        if reply.kind == "count":
            raise DeviceError(
                Text("the balance is in counting mode; set it to weighing in grams"), "unit"
            )
        return self._reading(reply.value, reply.unit, reply.stable, device, reply.text)

    def _acknowledged(self, command: bytes, what: str, deadline: float) -> None:
        """Send R or T, then Q at once: an ACK or error for the first comes before the weight.

        Whether the balance acknowledges is one of its settings, so the weight
        that answers Q is what confirms that the balance is there and in range.
        """
        self._send(command + self.eol)
        try:
            reply = self._command(b"Q", ("weight", "count"), what, deadline, fresh=False)
        except DeviceError as exc:
            if exc.kind in ("refused", "overload", "underload"):
                self._drain(min(deadline, time.monotonic() + _DRAIN))  # Q's answer is on its way
            raise
        log.info("A&D: sent %s; the balance answers %r", command.decode(), reply.text)

    def _drain(self, until: float) -> None:
        """Read and drop one line that is still to come, if it comes before `until`."""
        try:
            self._read_line(until)
        except DeviceError as exc:
            if exc.kind == "unplugged":
                raise

    def _cancel(self) -> None:
        """Cancel a pending S, so that its reply does not arrive later."""
        try:
            self._send(b"C" + self.eol)
        except DeviceError as exc:
            if exc.kind == "unplugged":
                raise
            log.warning("A&D: could not cancel S: %s", exc)


def _raise(reply: AndReply, what: str) -> None:
    if reply.kind == "overload":
        raise DeviceError(
            Text("the balance is overloaded — take some of the load off the pan"), "overload"
        )
    if reply.kind == "underload":
        raise DeviceError(
            Text("the balance reads below its range — check that the pan is in place"), "underload"
        )
    if reply.kind == "error":
        code = reply.value
        if code in _GARBLED_CODES:
            raise DeviceError(
                Text(
                    "the balance did not read the command to {what} ({code})", what=what, code=code
                ),
                "garbled",
            )
        words = _CODE_WORDS.get(code, "reports an error")
        raise DeviceError(
            Text(
                "the balance {words} ({code}) — asked to {what}", words=words, code=code, what=what
            ),
            "refused",
        )
