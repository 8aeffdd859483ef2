"""DIN, CoI and GS1 parsing with the test vectors of DOMAIN.md §2-3."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.identity import (
    LabelError,
    din_check_character,
    gtin_check_ok,
    parse_coi,
    parse_din,
    parse_din_keyboard,
    parse_gs1,
)


@pytest.mark.parametrize(
    ("din", "check"),
    [
        ("G123417654321", "A"),
        ("A999921123456", "3"),
        ("A999818123456", "N"),
        ("W000009123456", "G"),
        ("A999820123456", "E"),
        ("A999917123654", "Y"),
        ("G123417654312", "C"),
    ],
)
def test_keyboard_check_character(din: str, check: str) -> None:
    assert din_check_character(din) == check


def test_scanned_din_with_type3_flag() -> None:
    din = parse_din("=G12341765432170")
    assert (din.din, din.flags, din.keyboard) == ("G123417654321", "70", "G123417654321 A")
    assert parse_din("]C0=G12341765432170").din == "G123417654321"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=G12341765432171", "check wrong"),
        ("=A9O991712345600", "not allowed"),
        ("=A99991x12345600", "not allowed"),
        ("=A999917123456", "not a complete DIN"),
        ("0108430215011539", "not an ISBT 128 label"),
        ("=A9999171234569A", "flags are not digits"),
        ("=A99991712345699", "reserved"),
    ],
)
def test_invalid_dins_are_refused(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        parse_din(text)


def test_manual_din_entry_requires_and_verifies_k() -> None:
    assert parse_din_keyboard("G123417654321 A").din == "G123417654321"
    assert parse_din_keyboard("g123417654321a").din == "G123417654321"
    with pytest.raises(LabelError, match="check character wrong"):
        parse_din_keyboard("G123417654312 A")  # transposed digits
    with pytest.raises(LabelError, match="boxed check character"):
        parse_din_keyboard("G123417654321")
    with pytest.raises(LabelError, match="not allowed"):
        parse_din_keyboard("G12341765432O A")


def test_coi() -> None:
    assert parse_coi("&/CHG123417654321").coi == "CHG123417654321"
    for bad in ("&/XXG123417654321", "=G12341765432170", "&/CHG12341765432"):
        with pytest.raises(LabelError):
            parse_coi(bad)


def test_gs1_examples() -> None:
    first = parse_gs1("]d20108430215011539112212221724022021S3736")
    assert first.gtin == "08430215011539"
    assert first.production == date(2022, 12, 22)
    assert first.expiry == date(2024, 2, 20)
    assert first.serial == "S3736"
    second = parse_gs1("0103574661451947101724847.1\x1d1721033121118165795226")
    assert second.lot == "1724847.1"
    assert second.expiry == date(2021, 3, 31)
    assert second.serial == "118165795226"


def test_gs1_refusals() -> None:
    assert not gtin_check_ok("09506000134353")
    assert gtin_check_ok("09506000134352")
    with pytest.raises(LabelError, match="GTIN check digit"):
        parse_gs1("0109506000134353")
    with pytest.raises(LabelError, match="not a real date"):
        parse_gs1("010950600013435217130230")
    with pytest.raises(LabelError, match="not a GS1 label"):
        parse_gs1("]C0=G12341765432170")
    assert parse_gs1("0109506000134352\x1d17240200").expiry == date(2024, 2, 29)  # day 00


@given(st.text(max_size=80))
def test_parsers_never_raise_anything_but_label_error(text: str) -> None:
    for parser in (parse_din, parse_din_keyboard, parse_coi, parse_gs1):
        with contextlib.suppress(LabelError):
            parser(text)
