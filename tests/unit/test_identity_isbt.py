"""ISBT 128 data structures, compound messages and scanner concatenation (DOMAIN.md §2, §4)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.identity import (
    AboRhD,
    CoiId,
    CollectionDate,
    CollectionDateTime,
    Compound,
    Din,
    DonorId,
    Expiration,
    LabelError,
    ProcessingFacility,
    ProductCode,
    SingleEuropeanCode,
    StaffId,
    din_check_character,
    parse_compound,
    parse_isbt,
    parse_label,
)

# DOMAIN.md §2: the valid compound message and its parts.
COMPOUND = (
    "=+05000=Z54991712345600=%T300=<T0416003&>0183652359&,4PL001499Z549917123456A00T041600320181231"
)
COMPOUND_OF_4_SAYING_5 = "=+05000=Z54991712345600=%T300=<T0416003&>0183652359"
SEC = "&,4PL001499Z549917123456A00T041600320181231"


def test_din_structure_with_type3_flag() -> None:
    din = parse_isbt("=G12341765432170")
    assert din == Din("G123417654321", "70")
    assert (din.facility, din.check_character, din.barcode) == ("G1234", "A", "=G12341765432170")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=G12341765432171", "DIN check wrong"),  # type-3 flag disagrees
        ("=A9O991712345600", "not allowed"),  # letter O
        ("=A99991x12345600", "not allowed"),  # lower case
        ("=A999917123456", "DIN is incomplete"),  # short
        ("=A9999171234569A", "flags are not digits"),
        ("=A99991712345699", "reserved"),
        ("=a99991712345600", "DIN has characters that are not allowed"),
    ],
)
def test_invalid_dins_refused_by_every_isbt_parser(text: str, message: str) -> None:
    for parser in (parse_isbt, parse_label):
        with pytest.raises(LabelError, match=message):
            parser(text)


def test_expiration_domain_vector() -> None:
    expiry = parse_isbt("&>0183652359")
    assert expiry == Expiration(datetime(2018, 12, 31, 23, 59))
    assert isinstance(expiry, Expiration)
    assert expiry.barcode == "&>0183652359"
    assert expiry.as_fields() == {"expiry": "2018-12-31T23:59"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=*024060", CollectionDate(date(2024, 2, 29))),  # day 60 of a leap year
        ("=*023060", CollectionDate(date(2023, 3, 1))),
        ("=*020366", CollectionDate(date(2020, 12, 31))),  # day 366 in a leap year
        ("=*100001", CollectionDate(date(2100, 1, 1))),  # century digit 1
        ("&*0240010000", CollectionDateTime(datetime(2024, 1, 1, 0, 0))),
        ("&*0243662359", CollectionDateTime(datetime(2024, 12, 31, 23, 59))),
        ("&>0250011200", Expiration(datetime(2025, 1, 1, 12, 0))),
    ],
)
def test_dates(text: str, expected: object) -> None:
    parsed = parse_isbt(text)
    assert parsed == expected
    assert parsed.barcode == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("&>0183662359", "expiry date is not a real date"),  # day 366 in 2018
        ("&>0180002359", "expiry date is not a real date"),  # day 000
        ("&>0189992359", "expiry date is not a real date"),
        ("&>0183652459", "expiry time is not a real time"),  # hour 24
        ("&>0183652360", "expiry time is not a real time"),  # minute 60
        ("=*021366", "collection date is not a real date"),  # 2021 is not a leap year
        ("=*100366", "collection date is not a real date"),  # 2100 is not a leap year
        ("&*0240002359", "collection date is not a real date"),
        ("&*0240012400", "collection time is not a real time"),
        ("&>01836523A9", "expiry date has characters that are not allowed"),
        ("&>018365235", "expiry date is incomplete"),
        ("=*02406", "collection date is incomplete"),
    ],
)
def test_bad_dates_refused(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        parse_label(text)


def test_product_codes() -> None:
    for text in ("=<S12954A0", "=<S11804A0"):  # DOMAIN.md examples
        product = parse_isbt(text)
        assert isinstance(product, ProductCode)
        assert product.cellular_therapy
        assert product.barcode == text
    product = ProductCode("S12951A0")
    assert (product.family, product.description_code, product.collection_type) == (
        "S",
        "S1295",
        "1",
    )
    assert product.division == "A0"
    assert product.autologous
    assert product.collection_type_name == "autologous use only"
    assert product.as_fields()["collection"] == "autologous use only"
    other = parse_isbt("=<S12954A0")
    assert isinstance(other, ProductCode)
    assert not other.autologous
    assert other.collection_type_name is None
    assert "collection" not in other.as_fields()
    tissue = ProductCode("T0416003")
    assert not tissue.cellular_therapy
    assert tissue.collection_type_name == "not specified"
    for code, autologous in (("X", True), ("A", True), ("V", False)):
        assert ProductCode(f"S1295{code}00").autologous is autologous


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=<S1295", "product code is incomplete"),
        ("=<s12954A0", "product code has characters that are not allowed"),
        ("=<S12X54A0", "product code has characters that are not allowed"),
        ("=<S12954A", "product code is incomplete"),
        ("=<S12954A0X", "extra characters"),
        ("=%T30", "ABO/RhD code is incomplete"),
        ("=%T3-0", "ABO/RhD code has characters that are not allowed"),
    ],
)
def test_structure_shape_checked_before_interpreting(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        parse_label(text)


def test_other_structures() -> None:
    assert parse_isbt("=%T300") == AboRhD("T300")
    assert AboRhD("5100").barcode == "=%5100"
    donor = parse_isbt("=;A99991234567890123456")
    assert donor == DonorId("A99991234567890123456")
    assert isinstance(donor, DonorId)
    assert (donor.facility, donor.barcode) == ("A9999", "=;A99991234567890123456")
    staff = parse_isbt("='A9999ABC123")
    assert staff == StaffId("A9999ABC123")
    assert isinstance(staff, StaffId)
    assert (staff.facility, staff.barcode) == ("A9999", "='A9999ABC123")
    facility = parse_isbt("&+A9999ABC123")
    assert facility == ProcessingFacility("A9999", "ABC123")
    assert facility.barcode == "&+A9999ABC123"
    coi = parse_isbt("&/CHG123417654321")
    assert coi == CoiId("CHG123417654321")
    assert coi.as_fields() == {"coi": "CHG123417654321"}
    for bad, message in (
        ("=;A9999123456789012345X", "donor ID has characters"),
        ("=;O99991234567890123456", "donor ID has characters"),  # facility starts with O
        ("='A9999abc123", "staff ID has characters"),
        ("&+09999ABC123", "processing facility code has characters"),
        ("&/XXG123417654321", "chain-of-identity code has characters"),
        ("&/CHG12341765432", "chain-of-identity code is incomplete"),
    ):
        with pytest.raises(LabelError, match=message):
            parse_isbt(bad)


def test_single_european_code() -> None:
    sec = parse_isbt(SEC)
    assert sec == SingleEuropeanCode(
        te_code="PL001499",
        donation="Z549917123456",
        coding_system="A",
        product="00T0416",
        split="003",
        expiry=date(2018, 12, 31),
    )
    assert sec.barcode == SEC
    no_expiry = parse_isbt(SEC[:-8] + "00000000")
    assert isinstance(no_expiry, SingleEuropeanCode)
    assert no_expiry.expiry is None
    assert no_expiry.as_fields()["sec_expiry"] == "none"
    assert no_expiry.barcode == SEC[:-8] + "00000000"
    with pytest.raises(LabelError, match="expiry date in the SEC is not a real date"):
        parse_isbt(SEC[:-8] + "20180230")
    with pytest.raises(LabelError, match="Single European Code is incomplete"):
        parse_isbt(SEC[:-1])
    with pytest.raises(LabelError, match="not one the kiosk reads"):
        parse_isbt("&,1" + SEC[3:])  # other `&,` structures are not recognised


def test_valid_compound_message() -> None:
    compound = parse_compound(COMPOUND)
    assert (compound.count, compound.order) == (5, "000")
    assert [type(s) for s in compound.structures] == [
        Din,
        AboRhD,
        ProductCode,
        Expiration,
        SingleEuropeanCode,
    ]
    assert compound.structures[0] == Din("Z549917123456", "00")
    assert compound.structures[2] == ProductCode("T0416003")
    assert compound.structures[3] == Expiration(datetime(2018, 12, 31, 23, 59))
    assert compound.barcode == COMPOUND
    assert parse_isbt(COMPOUND) == compound
    assert parse_compound("]d1" + COMPOUND + "\r\n") == compound

    label = parse_label(COMPOUND)
    assert label.kind == "isbt128"
    assert label.compound == compound
    assert label.structures == compound.structures
    assert not label.concatenated
    assert label.find(Din) == Din("Z549917123456", "00")
    assert label.find(CoiId) is None
    fields = label.as_fields()
    assert fields["compound_count"] == "5"
    assert fields["din"] == "Z549917123456"
    assert fields["expiry"] == "2018-12-31T23:59"
    assert fields["sec_expiry"] == "2018-12-31"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (COMPOUND_OF_4_SAYING_5, "compound message says 5 structures but has 4 — scan again"),
        ("=+04000" + COMPOUND[7:], "compound message says 4 structures but has 5"),
        ("=+01000=%T300=<T0416003", "compound message says 1 structure but has 2"),
        ("=+00000", "compound message declares no structures"),
        ("=+0500", "compound message is incomplete"),
        ("=+0A000=%T300", "compound message has characters that are not allowed"),
        ("=+01000=+01000=%T300", "cannot sit inside another code"),
        ("=+02000=%T300=%T300", "two ABO/RhD codes in one read"),
        ("=+01000=%T300X", "extra characters"),
    ],
)
def test_bad_compound_messages(text: str, message: str) -> None:
    for parser in (parse_compound, parse_label, parse_isbt):
        with pytest.raises(LabelError, match=message):
            parser(text)


def test_parse_compound_needs_a_compound() -> None:
    with pytest.raises(LabelError, match="not a compound message"):
        parse_compound("=G12341765432170")


def test_scanner_concatenation_reads_both_codes() -> None:
    for text in ("=G12341765432170=<S12954A0", "]C4=G12341765432170=<S12954A0\r\n"):
        label = parse_label(text)
        assert label.structures == (Din("G123417654321", "70"), ProductCode("S12954A0"))
        assert label.concatenated
        assert label.compound is None
    # the same codes read separately (left, then right)
    assert parse_label("]C0=G12341765432170").structures == (Din("G123417654321", "70"),)
    assert parse_label("]C0=<S12954A0").find(ProductCode) == ProductCode("S12954A0")
    single = parse_label("]C4=G12341765432170")
    assert single.concatenated  # the scanner says it joined codes, even if only one came
    assert not parse_label("=G12341765432170").concatenated
    with pytest.raises(LabelError, match="more than one code"):
        parse_isbt("=G12341765432170=<S12954A0")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=G12341765432170=G12341765432170", "two DINs in one read"),
        ("=G12341765432170=", "ISBT 128 label is incomplete"),
        ("=G12341765432170&", "ISBT 128 label is incomplete"),
        ("=G12341765432170X", "extra characters"),
        ("=G123417654321700", "extra characters"),
        ("=G123417654321=<S12954A0", "DIN flags are not digits"),
        ("=)1234", "ISBT 128 code '=\\)' is not one the kiosk reads"),
        ("=\x07abc", "not one the kiosk reads"),
        ("=", "ISBT 128 label is incomplete"),
        ("=G12341765432170=+01000=%T300", "cannot sit inside another code"),
    ],
)
def test_concatenation_is_checked_to_the_end(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        parse_label(text)


def test_parse_isbt_refuses_what_is_not_isbt() -> None:
    for text in ("0108430215011539", "]d2=G12341765432170", "hello"):
        with pytest.raises(LabelError, match="not an ISBT 128 label"):
            parse_isbt(text)
    for text in ("", "]C0", "\r\n"):
        with pytest.raises(LabelError, match="nothing was read"):
            parse_isbt(text)


def test_compound_dataclass_fields() -> None:
    compound = Compound(1, "000", (AboRhD("T300"),))
    assert compound.as_fields() == {"compound_count": "1", "compound_order": "000"}
    assert compound.barcode == "=+01000=%T300"


def test_every_structure_in_one_read_and_its_fields() -> None:
    text = (
        "=G12341765432170=%5100=<S12951A0&>0250011200=*024060&*0240601230"
        "=;A99991234567890123456='A9999ABC123&+A9999ABC123&/CHG123417654321" + SEC
    )
    label = parse_label("]C4" + text)
    assert len(label.structures) == 11
    assert "".join(s.barcode for s in label.structures) == text
    assert label.as_fields() == {
        "din": "G123417654321",
        "flags": "70",
        "check_character": "A",
        "abo_rhd": "5100",
        "product_code": "S12951A0",
        "family": "S",
        "collection_type": "1",
        "division": "A0",
        "collection": "autologous use only",
        "expiry": "2025-01-01T12:00",
        "collection_date": "2024-02-29",
        "collected": "2024-02-29T12:30",
        "donor_id": "A99991234567890123456",
        "staff_id": "A9999ABC123",
        "fin": "A9999",
        "facility_product_code": "ABC123",
        "coi": "CHG123417654321",
        "sec_te_code": "PL001499",
        "sec_donation": "Z549917123456",
        "sec_coding_system": "A",
        "sec_product": "00T0416",
        "sec_split": "003",
        "sec_expiry": "2018-12-31",
    }


def test_check_character_needs_a_din() -> None:
    for bad in ("G12341765432", "O123417654321", "g123417654321"):
        with pytest.raises(LabelError, match="is not a donation identification number"):
            din_check_character(bad)
