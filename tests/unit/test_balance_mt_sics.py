"""MT-SICS driver: the exact bytes exchanged with a Mettler Toledo balance."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.balance import WeightReading
from kiosk.devices.errors import DeviceError
from kiosk.devices.mt_sics import LEVEL_0, MtSicsBalance, MtSicsReply, parse_line
from tests.unit.test_balance_common import Reply, ScriptedTransport

SN = "B207696838"
IDENTIFY = (b"I4\r\n", f'I4 A "{SN}"\r\n'.encode())
I0_FULL = (
    b"I0\r\n",
    b'I0 B 0 "I0"\r\nI0 B 0 "I4"\r\nI0 B 0 "S"\r\nI0 B 0 "SI"\r\nI0 B 0 "Z"\r\n'
    b'I0 B 0 "ZI"\r\nI0 A 1 "T"\r\n',
)
I0_LEVEL0 = (b"I0\r\n", b'I0 B 0 "I0"\r\nI0 B 0 "I4"\r\nI0 B 0 "S"\r\nI0 A 0 "Z"\r\n')


def balance(
    *script: tuple[bytes, Reply], **options: float
) -> tuple[MtSicsBalance, ScriptedTransport]:
    transport = ScriptedTransport(script)
    return MtSicsBalance(transport, **options), transport  # type: ignore[arg-type]


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("line", "reply"),
    [
        (b"S S      100.00 g\r\n", MtSicsReply("S", "S", ("100.00", "g"), "S S      100.00 g")),
        (b"S D   -0.02 mg\r\n", MtSicsReply("S", "D", ("-0.02", "mg"), "S D   -0.02 mg")),
        (b'I4 A "B207696838"\r\n', MtSicsReply("I4", "A", ("B207696838",), 'I4 A "B207696838"')),
        (
            b'I2 A "WXS205SDU WXA-Bridge 220.00900 g"\r\n',
            MtSicsReply(
                "I2",
                "A",
                ("WXS205SDU WXA-Bridge 220.00900 g",),
                'I2 A "WXS205SDU WXA-Bridge 220.00900 g"',
            ),
        ),
        (b"ES\r\n", MtSicsReply("ES", "", (), "ES")),
        (b"S +\r\n", MtSicsReply("S", "+", (), "S +")),
        (b'I0 B 1 "T"\r\n', MtSicsReply("I0", "B", ("1", "T"), 'I0 B 1 "T"')),
        (b"S S 1 g\r", MtSicsReply("S", "S", ("1", "g"), "S S 1 g")),
    ],
)
def test_parse_line(line: bytes, reply: MtSicsReply) -> None:
    assert parse_line(line) == reply


@pytest.mark.parametrize(
    "line",
    [b"\r\n", b"S\r\n", b"s s 1 g\r\n", b'I4 A "B2076\r\n', b"S Q 1 g\r\n", b"S S \x00 g\r\n"],
)
def test_parse_line_refuses_what_is_not_mt_sics(line: bytes) -> None:
    with pytest.raises(DeviceError) as caught:
        parse_line(line)
    assert caught.value.kind == "garbled"


@given(st.binary(max_size=80))
def test_parse_line_raises_only_device_errors(line: bytes) -> None:
    try:
        reply = parse_line(line)
    except DeviceError as exc:
        kind = exc.kind
    else:
        assert reply.command
        kind = "read"
    assert kind in {"read", "garbled"}


@given(st.lists(st.binary(max_size=40).map(lambda b: b + b"\r\n"), min_size=1, max_size=12))
def test_the_driver_raises_only_device_errors_on_any_reply(lines: list[bytes]) -> None:
    transport = ScriptedTransport(arriving=lines)
    transport.write = lambda data: None  # type: ignore[method-assign]
    driver = MtSicsBalance(transport, timeout=0.5)
    for call in (driver.identify, driver.read_now, driver.tare, driver.zero):
        with contextlib.suppress(DeviceError):
            call()


# ---------------------------------------------------------------- identify and command list


def test_identify_asks_i4() -> None:
    driver, transport = balance(IDENTIFY)
    assert driver.identify() == SN
    assert driver.serial_number == SN
    assert transport.done()


@pytest.mark.parametrize("reply", [b"I4 A\r\n", b'I4 A "" \r\n', b'I4 A "a" "b"\r\n'])
def test_identify_refuses_a_reply_without_one_serial_number(reply: bytes) -> None:
    driver, _ = balance((b"I4\r\n", reply), (b"I4\r\n", reply), (b"I4\r\n", reply))
    with pytest.raises(DeviceError) as caught:
        driver.identify()
    assert caught.value.kind == "garbled"


def test_identify_busy_is_refused() -> None:
    driver, _ = balance((b"I4\r\n", b"I4 I\r\n"))
    with pytest.raises(DeviceError, match="busy") as caught:
        driver.identify()
    assert caught.value.kind == "refused"


def test_commands_come_from_i0_once() -> None:
    driver, transport = balance(I0_FULL)
    assert driver.commands() == {"I0", "I4", "S", "SI", "Z", "ZI", "T"}
    assert driver.commands() == driver.commands()
    assert transport.sent == [b"I0\r\n"]


def test_a_balance_that_cannot_list_its_commands_is_taken_as_level_0() -> None:
    driver, _ = balance((b"I0\r\n", b"ES\r\n"))
    assert driver.commands() == LEVEL_0


def test_an_unfinished_command_list_is_garbled() -> None:
    driver, _ = balance((b"I0\r\n", b'I0 B 0 "I0"\r\nI0 B 0 "S"\r\n'))
    with pytest.raises(DeviceError) as caught:
        driver.commands()
    assert caught.value.kind == "garbled"


# ---------------------------------------------------------------- weighing


def test_read_stable_takes_a_stable_si_at_once() -> None:
    driver, transport = balance(IDENTIFY, I0_FULL, (b"SI\r\n", b"S S      100.00 g\r\n"))
    reading = driver.read_stable()
    assert reading == WeightReading(100.0, "g", True, SN, "S S      100.00 g")
    assert transport.done()


def test_read_stable_waits_with_s_while_the_weight_moves() -> None:
    driver, transport = balance(
        IDENTIFY,
        I0_FULL,
        (b"SI\r\n", b"S D      100.31 g\r\n"),
        (b"S\r\n", b"S I\r\n"),
        (b"S\r\n", b"S S      100.02 g\r\n"),
    )
    assert driver.read_stable(timeout=2) == WeightReading(
        100.02, "g", True, SN, "S S      100.02 g"
    )
    assert transport.done()


def test_read_stable_without_si_uses_s_only() -> None:
    driver, transport = balance(IDENTIFY, I0_LEVEL0, (b"S\r\n", b"S S 5.0 g\r\n"))
    assert driver.read_stable().value == 5.0
    assert transport.done()


def test_a_weight_that_does_not_settle_is_refused_in_time() -> None:
    driver, _ = balance(IDENTIFY, I0_FULL, (b"SI\r\n", b"S D 100.31 g\r\n"), (b"S\r\n", None))
    with pytest.raises(DeviceError, match=r"did not settle within 0\.3 s") as caught:
        driver.read_stable(timeout=0.3)
    assert caught.value.kind == "refused"


def test_read_now_gives_a_dynamic_weight() -> None:
    driver, _ = balance(IDENTIFY, I0_FULL, (b"SI\r\n", b"S D        1.234 g\r\n"))
    assert driver.read_now() == WeightReading(1.234, "g", False, SN, "S D        1.234 g")


def test_read_now_needs_si_in_the_command_list() -> None:
    driver, transport = balance(IDENTIFY, I0_LEVEL0)
    with pytest.raises(DeviceError, match="SI is not in its command list") as caught:
        driver.read_now()
    assert caught.value.kind == "refused"
    assert b"SI\r\n" not in transport.sent


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (b"S +\r\n", "overload", "overloaded — take some of the load off the pan"),
        (b"S -\r\n", "underload", "below its range — check that the pan is in place"),
        (b"ES\r\n", "refused", "does not know the command S"),
        (b"EL\r\n", "refused", "cannot do S now"),
        (b"S L\r\n", "refused", "wrong parameter"),
    ],
)
def test_range_and_errors_in_operator_words(reply: bytes, kind: str, words: str) -> None:
    driver, _ = balance(IDENTIFY, I0_LEVEL0, (b"S\r\n", reply))
    with pytest.raises(DeviceError, match=words) as caught:
        driver.read_stable()
    assert caught.value.kind == kind


def test_a_transmission_error_sends_the_command_again() -> None:
    driver, transport = balance(
        IDENTIFY, I0_LEVEL0, (b"S\r\n", b"ET\r\n"), (b"S\r\n", b"S S 7.5 g\r\n")
    )
    assert driver.read_stable().value == 7.5
    assert transport.done()


def test_a_late_reply_to_another_command_is_skipped() -> None:
    driver, _ = balance(IDENTIFY, I0_FULL, (b"SI\r\n", b"Z A\r\nS S 2.00 g\r\n"))
    assert driver.read_now().value == 2.0


@pytest.mark.parametrize(
    ("line", "value", "unit", "grams"),
    [
        (b"S S 0.10000 kg\r\n", 0.1, "kg", 100.0),
        (b"S S 100000 mg\r\n", 100000.0, "mg", 100.0),
        (b"S S 0.22046 lb\r\n", 0.22046, "lb", 0.22046 * 453.59237),
    ],
)
def test_units_are_read_and_converted(line: bytes, value: float, unit: str, grams: float) -> None:
    driver, _ = balance(IDENTIFY, I0_FULL, (b"SI\r\n", line), (b"SI\r\n", line))
    reading = driver.read_stable()
    assert (reading.value, reading.unit) == (value, unit)
    converted = driver.read_stable(unit="g")
    assert converted.unit == "g"
    assert converted.value == pytest.approx(grams, rel=1e-12)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"S S 12:07.50 lb:oz\r\n", "the balance reports lb:oz; set it to grams"),
        (b"S S 12:07.50 lb\r\n", "the balance reports lb with a value like 12:07.50"),
        (b"S S 3 PCS\r\n", "the balance reports PCS; set it to grams"),
    ],
)
def test_units_we_cannot_convert_are_refused(line: bytes, message: str) -> None:
    driver, _ = balance(IDENTIFY, I0_FULL, (b"SI\r\n", line))
    with pytest.raises(DeviceError, match=message) as caught:
        driver.read_stable()
    assert caught.value.kind == "unit"


# ---------------------------------------------------------------- tare and zero


def test_tare_sends_t_when_the_balance_lists_it() -> None:
    driver, transport = balance(I0_FULL, (b"T\r\n", b"T S      12.50 g\r\n"))
    driver.tare()
    assert transport.done()


def test_tare_is_refused_without_sending_t_when_not_listed() -> None:
    driver, transport = balance(I0_LEVEL0)
    with pytest.raises(DeviceError, match="does not support taring") as caught:
        driver.tare()
    assert caught.value.kind == "refused"
    assert transport.sent == [b"I0\r\n"]


@pytest.mark.parametrize(
    ("reply", "kind"),
    [(b"T I\r\n", "refused"), (b"T +\r\n", "overload"), (b"T -\r\n", "underload")],
)
def test_tare_failures(reply: bytes, kind: str) -> None:
    driver, _ = balance(I0_FULL, (b"T\r\n", reply))
    with pytest.raises(DeviceError) as caught:
        driver.tare()
    assert caught.value.kind == kind


def test_zero() -> None:
    driver, transport = balance((b"Z\r\n", b"Z A\r\n"))
    driver.zero()
    assert transport.done()


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (b"Z I\r\n", "refused", "could not zero"),
        (b"Z +\r\n", "overload", "above the range the balance can zero — clear the pan"),
        (b"Z -\r\n", "underload", "below the range"),
    ],
)
def test_zero_failures(reply: bytes, kind: str, words: str) -> None:
    driver, _ = balance((b"Z\r\n", reply))
    with pytest.raises(DeviceError, match=words) as caught:
        driver.zero()
    assert caught.value.kind == kind


def test_zero_immediately_says_whether_it_was_stable() -> None:
    driver, _ = balance(I0_FULL, (b"ZI\r\n", b"ZI D\r\n"), (b"ZI\r\n", b"ZI S\r\n"))
    assert driver.zero_immediately() is False
    assert driver.zero_immediately() is True


def test_reset_answers_with_the_serial_number() -> None:
    driver, _ = balance((b"@\r\n", f'I4 A "{SN}"\r\n'.encode()))
    assert driver.reset() == SN


def test_cr_only_line_ends() -> None:
    transport = ScriptedTransport([(b"I4\r", b'I4 A "X1"\r')])
    assert MtSicsBalance(transport, eol=b"\r").identify() == "X1"
