"""`parse_label`: one scanner read of any kind, AIM prefixes, GS1 AIs, bytes (DOMAIN.md §3-4)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.identity import (
    Din,
    Gs1,
    LabelError,
    ProductCode,
    gtin_check_ok,
    parse_din,
    parse_gs1,
    parse_gs1_keyboard,
    parse_label,
    parse_label_bytes,
    strip_aim,
)


@pytest.mark.parametrize("aim", ["", "]C0", "]C4", "]d1", "]Q1"])
def test_isbt_aims(aim: str) -> None:
    label = parse_label(f"{aim}=G12341765432170\r\n")
    assert label.kind == "isbt128"
    assert label.aim == (aim or None)
    assert label.find(Din) == Din("G123417654321", "70")
    assert label.gs1 is None


@pytest.mark.parametrize("aim", ["]C1", "]d2", "]Q3", "]e0"])
def test_gs1_aims(aim: str) -> None:
    label = parse_label(f"{aim}0108430215011539112212221724022021S3736")
    assert label.kind == "gs1"
    assert label.aim == aim
    assert label.gs1 is not None
    assert label.gs1.gtin == "08430215011539"
    assert label.structures == ()
    assert not label.concatenated
    assert label.find(Din) is None


def test_gs1_domain_examples() -> None:
    first = parse_label("]d20108430215011539112212221724022021S3736")
    assert first.gs1 == Gs1(
        gtin="08430215011539",
        production=date(2022, 12, 22),
        expiry=date(2024, 2, 20),
        serial="S3736",
    )
    assert first.as_fields() == {
        "gtin": "08430215011539",
        "production": "2022-12-22",
        "expiry": "2024-02-20",
        "serial": "S3736",
    }
    second = parse_label("0103574661451947101724847.1\x1d1721033121118165795226")
    assert second.aim is None
    assert second.gs1 == Gs1(
        gtin="03574661451947",
        lot="1724847.1",
        expiry=date(2021, 3, 31),
        serial="118165795226",
    )


def test_invalid_gtin() -> None:
    assert not gtin_check_ok("09506000134353")  # DOMAIN.md: the check digit should be 2
    assert gtin_check_ok("09506000134352")
    assert not gtin_check_ok("0950600013435")
    assert not gtin_check_ok("0950600013435²")  # str.isdigit() would say yes
    for text in ("0109506000134353", "]d20109506000134353"):
        with pytest.raises(LabelError, match="GTIN check digit wrong — scan again or re-type"):
            parse_label(text)


def test_a_gs1_label_typed_from_the_text_under_its_barcode() -> None:
    """The DOMAIN.md example typed as printed: AIs in brackets, spaces ignored; the same fields
    as the scan, and the GTIN's check digit verified."""
    scanned = parse_gs1("0103574661451947101724847.1\x1d1721033121118165795226")
    for typed in (
        "(01)03574661451947(10)1724847.1(17)210331(21)118165795226",
        " (01) 0357 4661 4519 47 (10) 1724847.1 (17) 210331 (21) 118165795226 ",
    ):
        assert parse_gs1_keyboard(typed) == scanned
    with pytest.raises(LabelError, match="GTIN check digit wrong"):
        parse_gs1_keyboard("(01)09506000134353(10)L1")
    for garbled in ("0103574661451947", "(01)", "(1)123(10)L", "(01)03574661451947(10", ""):
        with pytest.raises(LabelError, match="each number in brackets"):
            parse_gs1_keyboard(garbled)
    with pytest.raises(LabelError, match="too short"):
        parse_gs1_keyboard("(01)0357466145194(10)L1")  # 13 digits: the lot is not read as GTIN


def test_gs1_expiry_day_00_is_the_last_day_of_the_month() -> None:
    assert parse_gs1("0109506000134352\x1d17240200").expiry == date(2024, 2, 29)
    assert parse_gs1("0109506000134352\x1d17241200").expiry == date(2024, 12, 31)
    assert parse_gs1("17230400").expiry == date(2023, 4, 30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("010950600013435217130230", "expiry date is not a real date — scan again"),
        ("0109506000134352171313", "too short"),
        ("17231300", "expiry date is not a real date"),  # month 13
        ("17230000", "expiry date is not a real date"),  # month 00
        ("11230231", "production date is not a real date"),
        ("15231301", "best-before date is not a real date"),
        ("1723013²", "too short"),  # not ASCII digits
    ],
)
def test_gs1_dates_refused(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        parse_label(text)


def test_gs1_separators_tolerated() -> None:
    expected = parse_gs1("0109506000134352\x1d10LOT-1\x1d21S1")
    for text in (
        "0109506000134352\x1d10LOT-1\x1d21S1\x1d",
        "\x1d0109506000134352\x1d\x1d10LOT-1\x1d21S1",
        "010950600013435210LOT-1\x1d21S1",
    ):
        assert parse_gs1(text) == expected
    assert expected.lot == "LOT-1"
    assert expected.serial == "S1"


def test_more_gs1_ais() -> None:
    gs1 = parse_gs1(
        "00106141411234567897"  # SSCC with its check digit
        "0210614141123459"
        "12240101"
        "13240102"
        "15240103"
        "16240104"
        "2001"
        "3012\x1d"
        "240ADDITIONAL-ID\x1d"
        "241PART-7\x1d"
        "250SECONDARY"
    )
    assert gs1.other == {
        "00": "106141411234567897",
        "02": "10614141123459",
        "12": "240101",
        "13": "240102",
        "15": "240103",
        "16": "240104",
        "20": "01",
        "30": "12",
        "240": "ADDITIONAL-ID",
        "241": "PART-7",
        "250": "SECONDARY",
    }
    assert Gs1(other={"20": "01"}).as_fields() == {"(20)": "01"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("00106141411234567890", "SSCC check digit wrong"),
        ("0210614141123452", "GTIN check digit wrong"),
        ("30123456789", "longer than 8 characters"),
        ("30A", "has characters that are not allowed"),
        ("10" + "L" * 21, "empty or longer than 20 characters"),
        ("10\x1d21S1", "empty or longer than 20 characters"),
        ("10LOT 1", "has characters that are not allowed"),  # space is not in CSET 82
        ("10LOT\x071", "has characters that are not allowed"),
        ("250" + "S" * 31, "longer than 30 characters"),
        ("0109506000134352\x1d10A\x1d10B", "appears twice"),
        ("9912345", "application identifier \\(99\\) is not supported here"),
        ("2421", "application identifier \\(24\\) is not supported here"),
        ("0109506000134352\x1d1", "GS1 label is garbled"),
        ("0109506000134352AB", "GS1 label is garbled"),
        ("]d2", "nothing was read"),
        ("]d2\x1d", "not a GS1 label"),
        ("]d2=G12341765432170", "not a GS1 label"),
        ("]C00109506000134352", "not a GS1 label"),
        ("0", "not a GS1 label"),
    ],
)
def test_gs1_refusals(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        parse_label(text)


def test_parse_gs1_refuses_a_lone_digit() -> None:
    with pytest.raises(LabelError, match="not a GS1 label"):
        parse_gs1("0")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "nothing was read"),
        ("\r\n", "nothing was read"),
        ("]d1", "nothing was read"),
        ("]E0123456789012", "the scanner read a ]E0 code: not an ISBT 128 or GS1 label"),
        ("hello", "not an ISBT 128 or GS1 label"),
        ("]C0hello", "not an ISBT 128 or GS1 label"),
        ("]C00108430215011539", "not a GS1 label"),
        (" =G12341765432170", "not an ISBT 128 or GS1 label"),
    ],
)
def test_what_is_no_label(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        parse_label(text)


def test_strip_aim() -> None:
    assert strip_aim("]d2010") == ("]d2", "010")
    assert strip_aim("=G1") == (None, "=G1")


def test_superscript_digits_do_not_escape_as_value_error() -> None:
    with pytest.raises(LabelError, match="flags are not digits"):
        parse_din("=G123417654321²²")


def test_bytes() -> None:
    label = parse_label_bytes(b"]C4=G12341765432170=<S12954A0\r\n")
    assert label.structures == (Din("G123417654321", "70"), ProductCode("S12954A0"))
    gs1 = parse_label_bytes(b"0103574661451947101724847.1\x1d1721033121118165795226\n")
    assert gs1.gs1 is not None
    assert gs1.gs1.lot == "1724847.1"
    with pytest.raises(LabelError, match="not an ISBT 128 or GS1 label"):
        parse_label_bytes("=\u00e9".encode()[1:])  # UTF-8 text that is no label
    with pytest.raises(LabelError, match="not one the kiosk reads"):
        parse_label_bytes(b"=\xff")  # not UTF-8: read as Latin-1
    for data in (b"\x00\x01", b"=G1234\x0017654321", b"\x1b[2J", b"=\x85abc"):
        with pytest.raises(LabelError, match="control codes, not a label"):
            parse_label_bytes(data)
    with pytest.raises(LabelError, match="nothing was read"):
        parse_label_bytes(b"")
