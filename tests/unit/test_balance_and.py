"""A&D driver: the exact bytes exchanged with an A&D balance (standard format)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.and_gf import AndBalance, AndReply, parse_line
from kiosk.devices.balance import WeightReading
from kiosk.devices.errors import DeviceError
from tests.unit.test_balance_common import Reply, ScriptedTransport

SN = "T1234567"
IDENTIFY = (b"?SN\r\n", f"SN,{SN}\r\n".encode())
STABLE = b"ST,+00123.45  g\r\n"
UNSTABLE = b"US,+00123.61  g\r\n"


def balance(*script: tuple[bytes, Reply], **options: float) -> tuple[AndBalance, ScriptedTransport]:
    transport = ScriptedTransport(script)
    return AndBalance(transport, **options), transport  # type: ignore[arg-type]


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("line", "reply"),
    [
        (STABLE, AndReply("weight", "ST", "+00123.45", "g", "ST,+00123.45  g")),
        (UNSTABLE, AndReply("weight", "US", "+00123.61", "g", "US,+00123.61  g")),
        (b"ST,-0000.125 kg\r\n", AndReply("weight", "ST", "-0000.125", "kg", "ST,-0000.125 kg")),
        (b"QT,+00000012 PC\r\n", AndReply("count", "QT", "+00000012", "PC", "QT,+00000012 PC")),
        (b"OL,+9999999E+19\r\n", AndReply("overload", "OL", text="OL,+9999999E+19")),
        (b"OL,-9999999E+19\r\n", AndReply("underload", "OL", text="OL,-9999999E+19")),
        (b"EC,E11\r\n", AndReply("error", "EC", "E11", text="EC,E11")),
        (b"SN,T1234567\r\n", AndReply("serial", "SN", "T1234567", text="SN,T1234567")),
        (b'SN,"0123 4567"\r\n', AndReply("serial", "SN", "0123 4567", text='SN,"0123 4567"')),
        (b"\x06\r\n", AndReply("ack")),
        (b"\x06ST,+00123.45  g\r\n", AndReply("weight", "ST", "+00123.45", "g", "ST,+00123.45  g")),
    ],
)
def test_parse_line(line: bytes, reply: AndReply) -> None:
    assert parse_line(line) == reply


@pytest.mark.parametrize(
    "line",
    [
        b"ST,+00123.4  g\r\n",
        b"ST,+00123.45   \r\n",
        b"ST,00123.45   g\r\n",
        b"XX,+00123.45  g\r\n",
        b"ST,+0012\r\n",
        b"EC,11\r\n",
        b"SN,\r\n",
        b"\r\n",
        b"ES\r\n",
    ],
)
def test_parse_line_refuses_what_is_not_the_a_and_d_format(line: bytes) -> None:
    with pytest.raises(DeviceError) as caught:
        parse_line(line)
    assert caught.value.kind == "garbled"


@given(st.binary(max_size=40))
def test_parse_line_raises_only_device_errors(line: bytes) -> None:
    try:
        reply = parse_line(line)
    except DeviceError as exc:
        kind = exc.kind
    else:
        assert reply.kind
        kind = "read"
    assert kind in {"read", "garbled"}


@given(st.lists(st.binary(max_size=30).map(lambda b: b + b"\r\n"), min_size=1, max_size=12))
def test_the_driver_raises_only_device_errors_on_any_reply(lines: list[bytes]) -> None:
    transport = ScriptedTransport(arriving=lines)
    transport.write = lambda data: None  # type: ignore[method-assign]
    driver = AndBalance(transport, timeout=0.3)
    for call in (driver.identify, driver.read_now, driver.tare, driver.zero):
        with contextlib.suppress(DeviceError):
            call()


# ---------------------------------------------------------------- identify and weighing


def test_identify_asks_sn() -> None:
    driver, transport = balance(IDENTIFY)
    assert driver.identify() == SN
    assert transport.done()


def test_read_now_sends_q() -> None:
    driver, transport = balance(IDENTIFY, (b"Q\r\n", UNSTABLE))
    assert driver.read_now() == WeightReading(123.61, "g", False, SN, "US,+00123.61  g")
    assert transport.done()


def test_read_stable_takes_a_stable_q_at_once() -> None:
    driver, transport = balance(IDENTIFY, (b"Q\r\n", STABLE))
    assert driver.read_stable() == WeightReading(123.45, "g", True, SN, "ST,+00123.45  g")
    assert transport.done()


def test_read_stable_sends_s_while_the_weight_moves() -> None:
    driver, transport = balance(IDENTIFY, (b"Q\r\n", UNSTABLE), (b"S\r\n", STABLE))
    assert driver.read_stable().stable
    assert transport.done()


def test_read_stable_cancels_s_when_it_does_not_settle() -> None:
    driver, transport = balance(IDENTIFY, (b"Q\r\n", UNSTABLE), (b"S\r\n", None), (b"C\r\n", None))
    with pytest.raises(DeviceError, match=r"did not settle within 0\.2 s") as caught:
        driver.read_stable(timeout=0.2)
    assert caught.value.kind == "refused"
    assert transport.done()


def test_read_now_of_a_silent_balance_times_out() -> None:
    driver, _ = balance((b"?SN\r\n", None), timeout=0.2)
    with pytest.raises(DeviceError, match="interface settings") as caught:
        driver.read_now()
    assert caught.value.kind == "timeout"


@pytest.mark.parametrize(
    ("line", "kind", "words"),
    [
        (b"OL,+9999999E+19\r\n", "overload", "overloaded"),
        (b"OL,-9999999E+19\r\n", "underload", "below its range"),
        (b"QT,+00000012 PC\r\n", "unit", "counting mode; set it to weighing in grams"),
        (b"ST,+00012.00ozt\r\n", "unit", "the balance reports ozt; set it to grams"),
        (b"EC,E01\r\n", "refused", "does not know that command"),
        (b"EC,E02\r\n", "refused", "is not ready"),
        (b"EC,E99\r\n", "refused", "reports an error"),
    ],
)
def test_range_units_and_errors_in_operator_words(line: bytes, kind: str, words: str) -> None:
    driver, _ = balance(IDENTIFY, (b"Q\r\n", line))
    with pytest.raises(DeviceError, match=words) as caught:
        driver.read_now()
    assert caught.value.kind == kind


def test_a_communication_error_sends_the_command_again() -> None:
    driver, transport = balance(IDENTIFY, (b"Q\r\n", b"EC,E00\r\n"), (b"Q\r\n", STABLE))
    assert driver.read_now().value == 123.45
    assert transport.done()


@pytest.mark.parametrize(
    ("line", "value", "unit", "grams"),
    [
        (b"ST,+00.12345 kg\r\n", 0.12345, "kg", 123.45),
        (b"ST,+00.27216 lb\r\n", 0.27216, "lb", 0.27216 * 453.59237),
        (b"ST,-00010.00  g\r\n", -10.0, "g", -10.0),
    ],
)
def test_units(line: bytes, value: float, unit: str, grams: float) -> None:
    driver, _ = balance(IDENTIFY, (b"Q\r\n", line))
    reading = driver.read_now()
    assert (reading.value, reading.unit) == (value, unit)
    assert reading.to("g").value == pytest.approx(grams, rel=1e-12)


# ---------------------------------------------------------------- tare and zero


@pytest.mark.parametrize(("method", "command"), [("tare", b"T\r\n"), ("zero", b"R\r\n")])
def test_tare_and_zero_with_ack(method: str, command: bytes) -> None:
    driver, transport = balance((command, b"\x06\r\n"), (b"Q\r\n", b"ST,+00000.00  g\r\n"))
    getattr(driver, method)()
    assert transport.done()
    assert transport.resets == 1  # Q follows at once: the ACK and errors of R/T are kept


def test_tare_without_ack_checks_that_the_balance_answers() -> None:
    driver, transport = balance((b"T\r\n", None), (b"Q\r\n", b"ST,+00000.00  g\r\n"))
    driver.tare()
    assert transport.done()


def test_tare_that_cannot_settle_is_refused_and_the_weight_that_follows_is_drained() -> None:
    driver, transport = balance(
        (b"T\r\n", b"EC,E11\r\n"), (b"Q\r\n", UNSTABLE), IDENTIFY, (b"Q\r\n", STABLE)
    )
    with pytest.raises(DeviceError, match="could not settle") as caught:
        driver.tare()
    assert caught.value.kind == "refused"
    assert not transport.buffer  # the answer to Q was read and dropped
    assert driver.read_now().value == 123.45


def test_tare_on_an_overloaded_balance() -> None:
    overload = b"OL,+9999999E+19\r\n"
    driver, _ = balance((b"T\r\n", overload), (b"Q\r\n", overload))
    with pytest.raises(DeviceError) as caught:
        driver.tare()
    assert caught.value.kind == "overload"


def test_tare_on_a_silent_balance_times_out() -> None:
    driver, _ = balance((b"T\r\n", None), (b"Q\r\n", None), timeout=0.2)
    with pytest.raises(DeviceError) as caught:
        driver.tare()
    assert caught.value.kind == "timeout"
