"""Mettler Toledo balances speaking MT-SICS (Standard Interface Command Set).

Commands and replies are ASCII lines ending CR LF (or what the balance is set
to: pass `eol`). A reply is `<ID> <status> [fields…]`, fields in `"…"` when
they are strings; `ES`, `ET` and `EL` (syntax, transmission and logical
errors) arrive alone on a line. What is used here:

    I4            serial number          I4 A "B207696838"
    I0            supported commands     I0 B 0 "I0" … I0 A 1 "T"
    S             stable weight          S S      100.00 g   (S I busy, S + / S - range)
    SI            weight now             S D      100.01 g   (D: dynamic, not stable)
    Z, ZI         zero (stable / now)    Z A,  ZI S / ZI D
    T             tare                   T S      12.50 g
    @             reset (clears tare)    I4 A "B207696838"

The balance's `I0` list is authoritative: optional commands (SI, ZI, T) are
sent only if it lists them, because some firmware answers ES to commands it
does not list. Units other than mass units we can convert (lb:oz with a value
like ``12:07.50``) are refused, never read as grams.

A late reply is possible after `read_stable` times out (the balance answers S
when it settles); the next exchange drops what arrived before it, and matches
reply IDs, but cannot tell a late `S` reply from the answer to a new `SI`.
MT-SICS has no cancel short of `@`, which clears the tare, so the driver does
not send it on its own.
"""

from __future__ import annotations

import logging
import re
import shlex
from dataclasses import dataclass
from typing import ClassVar

from kiosk.devices.balance import Balance, WeightReading, text_of
from kiosk.devices.errors import DeviceError
from kiosk.devices.transport import Transport
from kiosk.text import Text

log = logging.getLogger(__name__)

LEVEL_0: frozenset[str] = frozenset(
    {"@", "I0", "I1", "I2", "I3", "I4", "S", "SI", "SIR", "Z", "ZI"}
)
"""Commands every MT-SICS balance has (used if it cannot list its commands)."""

_ID = re.compile(r"[A-Z@][A-Z0-9]{0,7}")
_STATUSES = frozenset({"A", "B", "S", "D", "I", "L", "+", "-"})
_ERRORS = frozenset({"ES", "ET", "EL"})
_VALUE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_SERIAL = re.compile(r"[\x21-\x7e][\x20-\x7e]{0,39}")
_MAX_COMMANDS = 256  # lines of an I0 list


@dataclass(frozen=True)
class MtSicsReply:
    """One reply line: `command` is its ID ("S", "I4", … or "ES"/"ET"/"EL")."""

    command: str
    status: str  # "" for ES/ET/EL
    fields: tuple[str, ...]
    text: str


def parse_line(line: bytes, eol: bytes = b"\r\n") -> MtSicsReply:
    """Read one reply line; DeviceError(kind="garbled") if it is not MT-SICS."""
    text = text_of(line, eol)
    stripped = text.strip()
    if stripped in _ERRORS:
        return MtSicsReply(stripped, "", (), text)
    lexer = shlex.shlex(stripped, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    lexer.quotes = '"'
    lexer.escape = ""
    try:
        tokens = list(lexer)
    except ValueError:  # an unclosed quote: a partial line
        raise DeviceError(Text("unreadable reply {text!r}", text=text), "garbled") from None
    if len(tokens) < 2 or not _ID.fullmatch(tokens[0]) or tokens[1] not in _STATUSES:
        raise DeviceError(Text("unreadable reply {text!r}", text=text), "garbled")
    return MtSicsReply(tokens[0], tokens[1], tuple(tokens[2:]), text)


class MtSicsBalance(Balance):
    """A Mettler Toledo balance over MT-SICS (level 0, and level 1 tare)."""

    protocol: ClassVar[str] = "MT-SICS"

    def __init__(
        self,
        transport: Transport,
        *,
        timeout: float = 2.0,
        retries: int = 2,
        eol: bytes = b"\r\n",
    ) -> None:
        super().__init__(transport, timeout=timeout, retries=retries, eol=eol)
        self._commands: frozenset[str] | None = None

    # ---------------------------------------------------------------- extra surface

    def commands(self) -> frozenset[str]:
        """The commands the balance lists in I0 (asked once); level 0 if it cannot list them."""
        if self._commands is None:
            self._commands = self._list_commands(self._deadline(None))
        return self._commands

    def zero_immediately(self) -> bool:
        """Zero now, stable or not (ZI); True if the balance was stable when it zeroed."""
        self._require("ZI", "zeroing immediately")
        reply = self._command(b"ZI", "ZI", "zero", self._deadline(None))
        if reply.status == "I":
            raise DeviceError(
                Text("the balance is busy and cannot zero now — try again"), "refused"
            )
        if reply.status not in ("S", "D"):
            raise _garbled(reply)
        if reply.status == "D":
            log.warning("MT-SICS: zeroed while the weight was not stable")
        return reply.status == "S"

    def reset(self) -> str:
        """Reset the balance (@): cancels running commands and clears the tare; its serial."""
        reply = self._command(b"@", "I4", "reset", self._deadline(None))
        self._commands = None
        self._serial_number = self._serial_of(reply)
        return self._serial_number

    # ---------------------------------------------------------------- protocol hooks

    def _identify(self, deadline: float) -> str:
        return self._serial_of(self._command(b"I4", "I4", "give its serial number", deadline))

    def _read_now(self, deadline: float, device: str) -> WeightReading:
        self._require("SI", "reading the weight immediately")
        while True:
            reply = self._command(b"SI", "S", "send the weight", deadline)
            if reply.status != "I":
                return self._weight(reply, device, ("S", "D"))
            self._pause(deadline)  # busy: the deadline bounds the polling

    def _read_stable(self, deadline: float, device: str) -> WeightReading | None:
        answered = False
        if "SI" in self.commands():
            reply = self._command(b"SI", "S", "send the weight", deadline)
            if reply.status == "S":
                return self._weight(reply, device, ("S",))
            if reply.status != "I":
                self._weight(reply, device, ("D",))  # checks unit and range while it settles
            answered = True
        try:
            while True:
                reply = self._command(b"S", "S", "send a stable weight", deadline)
                answered = True
                if reply.status != "I":
                    return self._weight(reply, device, ("S",))
                self._pause(deadline)  # S I: busy, or the balance's own stability timeout
        except DeviceError as exc:
            if exc.kind == "timeout" and answered:
                return None  # it answers, but has not settled
            raise

    def _tare(self, deadline: float) -> None:
        self._require("T", "taring")
        reply = self._command(b"T", "T", "tare", deadline)
        if reply.status == "I":
            raise DeviceError(
                Text(
                    "the balance could not tare: it is busy or the weight did "
                    "not settle — try again"
                ),
                "refused",
            )
        if reply.status != "S" or len(reply.fields) != 2:
            raise _garbled(reply)
        log.info("MT-SICS: tared %s %s", *reply.fields)

    def _zero(self, deadline: float) -> None:
        reply = self._command(b"Z", "Z", "zero", deadline)
        if reply.status == "I":
            raise DeviceError(
                Text(
                    "the balance could not zero: it is busy or the weight did "
                    "not settle — try again"
                ),
                "refused",
            )
        if reply.status != "A":
            raise _garbled(reply)

    # ---------------------------------------------------------------- helpers

    def _command(self, command: bytes, reply_id: str, what: str, deadline: float) -> MtSicsReply:
        """Send `command`; its reply (by ID), with errors and range states raised."""

        def interpret(line: bytes) -> MtSicsReply | None:
            reply = parse_line(line, self.eol)
            if reply.command in _ERRORS:
                _raise_error(reply, command)
            if reply.command != reply_id:
                log.debug("MT-SICS: skipped %r while waiting for %s", reply.text, reply_id)
                return None
            _raise_range(reply, what)
            return reply

        return self._ask(command + self.eol, interpret, deadline, command.decode())

    def _list_commands(self, deadline: float) -> frozenset[str]:
        found: set[str] = set()

        def interpret(line: bytes) -> bool | None:
            reply = parse_line(line, self.eol)
            if reply.command in _ERRORS:
                _raise_error(reply, b"I0")
            if reply.command != "I0":
                return None
            if reply.status not in ("A", "B"):
                raise _garbled(reply)
            if reply.fields:
                found.add(reply.fields[-1])
            return True if reply.status == "A" else None

        try:
            self._ask(b"I0" + self.eol, interpret, deadline, "I0", skip_limit=_MAX_COMMANDS)
        except DeviceError as exc:
            if exc.kind != "refused":
                raise
            log.warning("MT-SICS: the balance cannot list its commands (%s); assuming level 0", exc)
            return LEVEL_0
        log.debug("MT-SICS: the balance lists %s", sorted(found))
        return frozenset(found | {"I0"})

    def _require(self, command: str, what: str) -> None:
        if command not in self.commands():
            raise DeviceError(
                Text(
                    "this balance does not support {what} ({command} is not in its command list)",
                    what=what,
                    command=command,
                ),
                "refused",
            )

    def _serial_of(self, reply: MtSicsReply) -> str:
        if reply.status == "I":
            raise DeviceError(
                Text("the balance is busy and does not give its serial number"), "refused"
            )
        if reply.status != "A" or len(reply.fields) != 1 or not _SERIAL.fullmatch(reply.fields[0]):
            raise _garbled(reply)
        return reply.fields[0].strip()

    def _weight(self, reply: MtSicsReply, device: str, statuses: tuple[str, ...]) -> WeightReading:
        if reply.status not in statuses or len(reply.fields) != 2:
            raise _garbled(reply)
        value, unit = reply.fields
        if ":" in value or ":" in unit:
            shown = unit if ":" in unit else f"{unit} with a value like {value}"
            raise DeviceError(
                Text("the balance reports {shown}; set it to grams", shown=shown), "unit"
            )
        if not _VALUE.fullmatch(value):
            raise _garbled(reply)
        return self._reading(value, unit, reply.status == "S", device, reply.text)


def _garbled(reply: MtSicsReply) -> DeviceError:
    return DeviceError(Text("unexpected reply {text!r}", text=reply.text), "garbled")


def _raise_error(reply: MtSicsReply, command: bytes) -> None:
    name = command.decode()
    if reply.command == "ET":  # the balance received our command garbled: send it again
        raise DeviceError(Text("the balance received {name} garbled (ET)", name=name), "garbled")
    if reply.command == "ES":
        raise DeviceError(
            Text("the balance does not know the command {name} (ES)", name=name), "refused"
        )
    raise DeviceError(
        Text("the balance cannot do {name} now (EL, logical error)", name=name), "refused"
    )


def _raise_range(reply: MtSicsReply, what: str) -> None:
    if reply.status == "+":
        if reply.command == "S":
            message = Text("the balance is overloaded — take some of the load off the pan")
        else:
            message = Text(
                "the load is above the range the balance can {what} — clear the pan", what=what
            )
        raise DeviceError(message, "overload")
    if reply.status == "-":
        if reply.command == "S":
            message = Text("the balance reads below its range — check that the pan is in place")
        else:
            message = Text(
                "the load is below the range the balance can {what} — check the pan", what=what
            )
        raise DeviceError(message, "underload")
    if reply.status == "L":
        raise DeviceError(
            Text("the balance refused to {what} (wrong parameter)", what=what), "refused"
        )
