"""SBI driver: the exact bytes exchanged with a Sartorius balance."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.balance import WeightReading
from kiosk.devices.errors import DeviceError
from kiosk.devices.sbi import SbiBalance, SbiReply, parse_info, parse_line
from tests.unit.test_balance_common import Reply, ScriptedTransport

SN = "0034712345"
PRINT = b"\x1bP\r\n"
X1 = b"\x1bx1_\r\n"
X2 = b"\x1bx2_\r\n"
OLD = (X2, None)  # a model that does not answer ESC x2_
LINE_16 = b"+   123.56 g  \r\n"
LINE_22 = b"N     +   123.56 g  \r\n"
UNSTABLE = b"+   123.61    \r\n"


def balance(
    *script: tuple[bytes, Reply], serial: str | None = SN, **options: object
) -> tuple[SbiBalance, ScriptedTransport]:
    transport = ScriptedTransport(script)
    return SbiBalance(transport, serial_number=serial, **options), transport  # type: ignore[arg-type]


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("line", "reply"),
    [
        (LINE_16, SbiReply("weight", "123.56", "g", "", text="+   123.56 g  ")),
        (LINE_22, SbiReply("weight", "123.56", "g", "N", text="N     +   123.56 g  ")),
        (b"-     0.02 kg \r\n", SbiReply("weight", "-0.02", "kg", text="-     0.02 kg ")),
        (b"      12.5 mg \r\n", SbiReply("weight", "12.5", "mg", text="      12.5 mg ")),
        (UNSTABLE, SbiReply("weight", "123.61", "", text="+   123.61    ")),
        (b"Stat          \r\n", SbiReply("status", text="Stat          ")),
        (b"+     High    \r\n", SbiReply("overload", text="+     High    ")),
        (b"Stat    H     \r\n", SbiReply("overload", text="Stat    H     ")),
        (b"      HH      \r\n", SbiReply("overload", text="      HH      ")),
        (b"-      Low    \r\n", SbiReply("underload", text="-      Low    ")),
        (b"Stat    L     \r\n", SbiReply("underload", text="Stat    L     ")),
        (b"  ERR 54      \r\n", SbiReply("error", code="54", text="  ERR 54      ")),
        (b"Err 101\r\n", SbiReply("error", code="101", text="Err 101")),
    ],
)
def test_parse_line(line: bytes, reply: SbiReply) -> None:
    assert parse_line(line) == reply


def test_a_blank_unit_means_not_stable() -> None:
    assert parse_line(LINE_16).stable
    assert not parse_line(UNSTABLE).stable


@pytest.mark.parametrize(
    "line",
    [
        b"3.56 g  \r\n",  # the tail of a line: joined a running stream
        b"+  123.5\r\n",
        b"+  12 3.56 g  \r\n",
        b"+ 123.56  g   \r\n",
        b"*  123.56 g  \r\n",
        b"\r\n",
        b"+  123.56 g 1\r\n",
    ],
)
def test_parse_line_refuses_what_is_not_sbi(line: bytes) -> None:
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
        assert reply.kind in {"weight", "status", "overload", "underload", "error"}
        kind = "read"
    assert kind in {"read", "garbled"}


@given(st.lists(st.binary(max_size=30).map(lambda b: b + b"\r\n"), min_size=1, max_size=12))
def test_the_driver_raises_only_device_errors_on_any_reply(lines: list[bytes]) -> None:
    transport = ScriptedTransport(arriving=lines)
    transport.write = lambda data: None  # type: ignore[method-assign]
    driver = SbiBalance(transport, serial_number=SN, timeout=0.3)
    for call in (driver.identify, driver.read_now, driver.tare, driver.zero):
        with contextlib.suppress(DeviceError):
            call()


# ---------------------------------------------------------------- identify


def test_identify_asks_the_balance_for_its_serial_number_and_model() -> None:
    driver, transport = balance(
        (X2, b"      34309393\r\n"),
        (X1, b" ENTRIS224I-1S\r\n"),
        (PRINT, LINE_16),
        (PRINT, LINE_16),
        serial=None,
    )
    assert driver.identify() == "34309393"
    assert (driver.model, driver.serial_source) == ("ENTRIS224I-1S", "balance")
    assert driver.read_now().device == "34309393"
    assert transport.done()


def test_the_reported_serial_wins_over_the_configured_one() -> None:
    driver, _ = balance((X2, b"SerNo       34309393\r\n"), (X1, None), (PRINT, LINE_16))
    assert driver.identify() == "34309393"  # 22-character layout; the configured SN unused
    assert driver.model is None


@pytest.mark.parametrize(
    "answer",
    [None, b"  ERR 02      \r\n", LINE_16, b"+   123.61    \r\n", b"12.5\r\n"],
    ids=["silent", "err", "weight", "unstable", "decimal"],
)
def test_identify_falls_back_to_the_configured_serial(answer: bytes | None) -> None:
    driver, transport = balance((X2, answer), (PRINT, LINE_16))
    assert driver.identify() == SN
    assert driver.serial_source == "configuration"
    assert transport.done()


def test_identify_without_an_answer_or_a_configured_serial_is_a_config_error() -> None:
    driver, transport = balance(OLD, (PRINT, LINE_16), serial=None)
    with pytest.raises(DeviceError, match="does not report its serial number") as caught:
        driver.identify()
    assert caught.value.kind == "config"
    assert transport.sent == [X2, PRINT]  # it answers, so the configuration is what is missing


def test_identify_on_a_silent_balance_times_out() -> None:
    driver, _ = balance(OLD, (PRINT, None))
    with pytest.raises(DeviceError) as caught:
        driver.identify()
    assert caught.value.kind == "timeout"


# ---------------------------------------------------------------- weighing


@pytest.mark.parametrize("line", [LINE_16, LINE_22])
def test_read_now_16_and_22_characters(line: bytes) -> None:
    driver, transport = balance(OLD, (PRINT, line), (PRINT, line))
    raw = line.decode().removesuffix("\r\n")
    assert driver.read_now() == WeightReading(123.56, "g", True, SN, raw)
    assert transport.done()


def test_an_unstable_line_takes_the_unit_seen_before() -> None:
    driver, _ = balance(OLD, (PRINT, LINE_16), (PRINT, UNSTABLE))
    driver.identify()
    assert driver.read_now() == WeightReading(123.61, "g", False, SN, "+   123.61    ")


def test_an_unstable_line_takes_the_configured_unit() -> None:
    driver, _ = balance(OLD, (PRINT, UNSTABLE), (PRINT, UNSTABLE), unit="kg")
    assert driver.read_now().unit == "kg"


def test_an_unstable_line_with_no_unit_known_is_not_read_as_grams() -> None:
    driver, _ = balance(OLD, (PRINT, UNSTABLE), (PRINT, UNSTABLE))
    with pytest.raises(DeviceError, match="prints no unit while the weight moves") as caught:
        driver.read_now()
    assert caught.value.kind == "unit"


def test_read_stable_polls_until_the_unit_appears() -> None:
    driver, transport = balance(
        OLD, (PRINT, UNSTABLE), (PRINT, UNSTABLE), (PRINT, b"Stat          \r\n"), (PRINT, LINE_16)
    )
    assert driver.read_stable().value == 123.56
    assert transport.done()


def test_read_stable_gives_up_at_the_deadline() -> None:
    driver, _ = balance(OLD, (PRINT, LINE_16), *[(PRINT, UNSTABLE)] * 20)
    driver.identify()
    with pytest.raises(DeviceError, match="did not settle") as caught:
        driver.read_stable(timeout=0.3)
    assert caught.value.kind == "refused"


def test_a_partial_first_line_is_dropped() -> None:
    driver, transport = balance(OLD, (PRINT, b"3.56 g  \r\n" + LINE_16), (PRINT, LINE_16))
    assert driver.identify() == SN
    assert transport.sent == [X2, PRINT, PRINT]  # asked again, without dropping the line on its way
    assert transport.resets == 2


def test_auto_print_listens_instead_of_asking() -> None:
    # Each time it starts listening the first line may be the tail of one ("3.56 g" of
    # "123.56 g" would read as a weight): it is always dropped, readable or not.
    transport = ScriptedTransport(
        arriving=[b".56 g  \r\n", LINE_16, b"3.56 g  \r\n", UNSTABLE, b"56 g  \r\n", LINE_22]
    )
    driver = SbiBalance(transport, serial_number=SN, auto_print=True)
    assert driver.identify() == SN  # drops the tail, takes the next line and its unit
    assert driver.read_now() == WeightReading(123.61, "g", False, SN, "+   123.61    ")
    assert driver.read_stable().raw == "N     +   123.56 g  "
    assert transport.sent == []


@pytest.mark.parametrize(
    ("line", "kind", "words"),
    [
        (b"+     High    \r\n", "overload", "overloaded"),
        (b"Stat    HH    \r\n", "overload", "overloaded"),
        (b"-      Low    \r\n", "underload", "below its range"),
        (b"  ERR 54      \r\n", "refused", "reports error 54"),
    ],
)
def test_range_and_errors_in_operator_words(line: bytes, kind: str, words: str) -> None:
    driver, _ = balance(OLD, (PRINT, LINE_16), (PRINT, line))
    driver.identify()
    with pytest.raises(DeviceError, match=words) as caught:
        driver.read_now()
    assert caught.value.kind == kind


def test_garbage_is_garbled_after_the_retries() -> None:
    junk = b"#@!\r\n"
    driver, transport = balance(OLD, *[(PRINT, junk)] * 3, retries=1)
    with pytest.raises(DeviceError, match="unreadable reply") as caught:
        driver.identify()
    assert caught.value.kind == "garbled"
    assert transport.done()


def test_units_are_checked() -> None:
    driver, _ = balance(OLD, (PRINT, b"+    12.00 ozt\r\n"))
    with pytest.raises(DeviceError, match="reports ozt") as caught:
        driver.identify()
    assert caught.value.kind == "unit"


# ---------------------------------------------------------------- tare and zero


def test_tare_sends_esc_u_then_checks_that_the_balance_answers() -> None:
    driver, transport = balance((b"\x1bU\r\n", None), (PRINT, b"Stat          \r\n"))
    driver.tare()
    assert transport.done()


def test_zero_sends_esc_v() -> None:
    driver, transport = balance((b"\x1bV\r\n", None), (PRINT, b"+     0.00 g  \r\n"))
    driver.zero()
    assert transport.done()


def test_tare_on_an_overloaded_balance_is_refused() -> None:
    driver, _ = balance((b"\x1bU\r\n", None), (PRINT, b"+     High    \r\n"))
    with pytest.raises(DeviceError) as caught:
        driver.tare()
    assert caught.value.kind == "overload"


def test_tare_on_a_silent_balance_times_out() -> None:
    driver, _ = balance((b"\x1bU\r\n", None), (PRINT, None), timeout=0.2)
    with pytest.raises(DeviceError) as caught:
        driver.tare()
    assert caught.value.kind == "timeout"


def test_an_unknown_configured_unit_is_refused_at_once() -> None:
    with pytest.raises(DeviceError) as caught:
        SbiBalance(ScriptedTransport(), serial_number=SN, unit="lb:oz")
    assert caught.value.kind == "unit"


@given(st.binary(max_size=40))
def test_parse_info_reads_or_refuses_any_line(line: bytes) -> None:
    kind = "read"
    try:
        answer = parse_info(line + b"\r\n")
    except DeviceError as exc:
        kind = exc.kind
    else:
        assert answer is None or (answer and answer == answer.strip())
    assert kind in ("read", "garbled", "refused")
