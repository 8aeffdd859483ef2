"""The common part of the balance drivers: readings, units, the bounded exchange.

`ScriptedTransport` is the fake transport the protocol tests share: a script of
(bytes the driver must send, bytes the balance answers) pairs, checked byte for
byte, with unsolicited bytes, injected errors and no real waiting.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import pytest

from kiosk.devices.balance import Balance, WeightReading, convert, grams_per, text_of
from kiosk.devices.errors import DeviceError
from kiosk.engine import Reading

Reply = bytes | BaseException | None


class ScriptedTransport:
    """A Transport that plays a script of (expected write, reply) pairs.

    The reply's bytes become readable after the write; a BaseException reply
    is raised by the write instead. `arriving` are lines that arrive later,
    one per read when nothing else is buffered (a balance printing on its
    own); `reset_input` drops what is buffered, as a serial port does.
    """

    def __init__(
        self,
        script: Sequence[tuple[bytes, Reply]] = (),
        *,
        buffered: bytes = b"",
        arriving: Sequence[bytes] = (),
        reset_error: BaseException | None = None,
    ) -> None:
        self.script = list(script)
        self.buffer = bytearray(buffered)
        self.arriving = list(arriving)
        self.reset_error = reset_error
        self.sent: list[bytes] = []
        self.timeouts: list[float] = []
        self.resets = 0
        self.closed = False

    def write(self, data: bytes) -> None:
        self.sent.append(data)
        assert self.script, f"the driver sent {data!r} after the end of the script"
        expected, reply = self.script.pop(0)
        assert data == expected, f"the driver sent {data!r}; the script expects {expected!r}"
        if isinstance(reply, BaseException):
            raise reply
        if reply:
            self.buffer += reply

    def read_line(self, timeout: float, eol: bytes = b"\r\n") -> bytes:
        assert timeout > 0, "a read must have time left"
        self.timeouts.append(timeout)
        if self.buffer.find(eol) < 0 and self.arriving:
            self.buffer += self.arriving.pop(0)
        index = self.buffer.find(eol)
        if index < 0:
            raise DeviceError("no answer from fake", "timeout")
        line = bytes(self.buffer[: index + len(eol)])
        del self.buffer[: index + len(eol)]
        return line

    def reset_input(self) -> None:
        self.resets += 1
        if self.reset_error is not None:
            raise self.reset_error
        self.buffer.clear()

    def close(self) -> None:
        self.closed = True

    def done(self) -> bool:
        """True when the driver has sent everything the script expects."""
        return not self.script


class _Echo(Balance):
    """A minimal protocol for the base class: `W` answers `w <value> <unit>`."""

    protocol = "echo"

    def _identify(self, deadline: float) -> str:
        return self._ask(b"ID\r\n", self._id, deadline, "ID")

    def _read_now(self, deadline: float, device: str) -> WeightReading:
        text = self._ask(b"W\r\n", self._weight, deadline, "W")
        _, value, unit = text.split()
        return self._reading(value, unit, True, device, text)

    @staticmethod
    def _id(line: bytes) -> str | None:
        text = text_of(line)
        if text.startswith("skip"):
            return None
        if not text.startswith("id "):
            raise DeviceError("not an id", "garbled")
        return text[3:]

    @staticmethod
    def _weight(line: bytes) -> str | None:
        text = text_of(line)
        if len(text.split()) != 3 or not text.startswith("w "):
            raise DeviceError("not a weight", "garbled")
        return text


# ---------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("unit", "grams"),
    [
        ("g", Fraction(1)),
        ("mg", Fraction(1, 1000)),
        ("kg", Fraction(1000)),
        ("µg", Fraction(1, 10**6)),
        ("lb", Fraction("453.59237")),
        ("oz", Fraction("28.349523125")),
        ("ct", Fraction("0.2")),
        (" g ", Fraction(1)),
    ],
)
def test_grams_per_known_mass_units(unit: str, grams: Fraction) -> None:
    assert grams_per(unit) == grams


@pytest.mark.parametrize("unit", ["lb:oz", "ozt", "PCS", "%", "mL", "", "dwt", "G"])
def test_other_units_are_refused_in_operator_words(unit: str) -> None:
    with pytest.raises(DeviceError) as caught:
        grams_per(unit)
    assert caught.value.kind == "unit"
    assert str(caught.value) == f"the balance reports {unit.strip() or 'no unit'}; set it to grams"


def test_convert_is_exact_before_rounding_to_float() -> None:
    assert convert(Fraction("0.1"), "g", "kg") == 0.0001
    assert convert(1, "lb", "g") == 453.59237
    assert convert(16, "oz", "lb") == 1.0
    with pytest.raises(DeviceError, match="not a unit of mass") as caught:
        convert(1, "g", "mL")
    assert caught.value.kind == "unit"


def test_reading_converts_and_feeds_the_engine() -> None:
    reading = WeightReading(0.25, "lb", True, "B1", "S S 0.25 lb")
    in_grams = reading.to("g")
    assert in_grams == WeightReading(113.3980925, "g", True, "B1", "S S 0.25 lb")
    assert reading.to("lb") is reading
    engine = reading.to_engine()
    assert engine == Reading(113.3980925, "g", True, "B1")
    milligrams = WeightReading(12.5, "mg", False, "B2", "raw")
    assert milligrams.to_engine() == Reading(12.5, "mg", False, "B2")


# ---------------------------------------------------------------- lines


def test_text_of_strips_the_line_end_and_flow_control() -> None:
    assert text_of(b"S S 1 g\r\n") == "S S 1 g"
    assert text_of(b"\x11S S 1 g\r") == "S S 1 g"
    assert text_of(b"abc\n", b"\n") == "abc"
    for bad in (b"S \x00S\r\n", b"\xffS\r\n", b"S\tS\r\n"):
        with pytest.raises(DeviceError) as caught:
            text_of(bad)
        assert caught.value.kind == "garbled"


# ---------------------------------------------------------------- the exchange


def test_every_reading_names_the_balance() -> None:
    transport = ScriptedTransport([(b"ID\r\n", b"id B-7\r\n"), (b"W\r\n", b"w 1.5 g\r\n")])
    with _Echo(transport) as balance:
        assert balance.read_now() == WeightReading(1.5, "g", True, "B-7", "w 1.5 g")
    assert transport.done()
    assert transport.closed


def test_unreadable_replies_are_retried_a_bounded_number_of_times() -> None:
    script = [(b"ID\r\n", b"junk\r\n")] * 3
    transport = ScriptedTransport(script)
    with pytest.raises(DeviceError, match=r"unreadable reply .* to ID") as caught:
        _Echo(transport, retries=2).identify()
    assert caught.value.kind == "garbled"
    assert transport.done()


def test_a_retry_that_works_gives_the_reading() -> None:
    transport = ScriptedTransport([(b"ID\r\n", b"id B\r\n"), (b"W\r\n", b"w 1\r\n")])
    transport.script.append((b"W\r\n", b"w 2 kg\r\n"))
    assert _Echo(transport).read_now().value == 2.0


def test_other_lines_are_skipped_a_bounded_number_of_times() -> None:
    transport = ScriptedTransport([(b"ID\r\n", b"skip\r\n" * 3 + b"id B\r\n")])
    assert _Echo(transport).identify() == "B"
    endless = ScriptedTransport([(b"ID\r\n", b"skip\r\n" * 40)])
    with pytest.raises(DeviceError, match="keeps sending other lines") as caught:
        _Echo(endless).identify()
    assert caught.value.kind == "garbled"


def test_silence_after_a_stray_line_is_garbled_not_timeout() -> None:
    transport = ScriptedTransport([(b"ID\r\n", b"skip\r\n")])
    with pytest.raises(DeviceError, match="unexpected reply") as caught:
        _Echo(transport).identify()
    assert caught.value.kind == "garbled"


def test_no_answer_says_what_to_check() -> None:
    transport = ScriptedTransport([(b"ID\r\n", None)])
    with pytest.raises(DeviceError, match="check the balance's interface settings") as caught:
        _Echo(transport, timeout=0.2).identify()
    assert caught.value.kind == "timeout"
    assert transport.timeouts
    assert max(transport.timeouts) <= 0.2


def test_a_port_that_fails_in_termios_is_reported_unplugged() -> None:
    termios = pytest.importorskip("termios")
    transport = ScriptedTransport(reset_error=termios.error(5, "Input/output error"))
    with pytest.raises(DeviceError, match="went away") as caught:
        _Echo(transport).identify()
    assert caught.value.kind == "unplugged"
    writing = ScriptedTransport([(b"ID\r\n", termios.error(5, "EIO"))])
    with pytest.raises(DeviceError) as caught:
        _Echo(writing).identify()
    assert caught.value.kind == "unplugged"


def test_unplugged_from_the_transport_passes_through() -> None:
    gone = DeviceError("/dev/ttyUSB0 went away while sending", "unplugged")
    transport = ScriptedTransport([(b"ID\r\n", gone)])
    with pytest.raises(DeviceError) as caught:
        _Echo(transport).identify()
    assert caught.value is gone


@pytest.mark.parametrize(
    ("options", "message"),
    [({"timeout": 0}, "timeout must be positive"), ({"retries": -1}, "cannot be negative")],
)
def test_bad_settings_are_config_errors(options: dict[str, float], message: str) -> None:
    with pytest.raises(DeviceError, match=message) as caught:
        _Echo(ScriptedTransport(), **options)  # type: ignore[arg-type]
    assert caught.value.kind == "config"


def test_unit_conversion_on_request() -> None:
    transport = ScriptedTransport([(b"ID\r\n", b"id B\r\n"), (b"W\r\n", b"w 250 mg\r\n")])
    reading = _Echo(transport).read_now("g")
    assert (reading.value, reading.unit, reading.raw) == (0.25, "g", "w 250 mg")


def test_a_unit_we_cannot_convert_is_never_read_as_grams() -> None:
    transport = ScriptedTransport([(b"ID\r\n", b"id B\r\n"), (b"W\r\n", b"w 12 ozt\r\n")])
    with pytest.raises(DeviceError, match="the balance reports ozt; set it to grams") as caught:
        _Echo(transport).read_now()
    assert caught.value.kind == "unit"
