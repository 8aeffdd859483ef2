"""Property-based checks: nothing but LabelError escapes; valid labels always round-trip."""

from __future__ import annotations

import contextlib
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.identity import (
    AboRhD,
    CoiId,
    CollectionDate,
    CollectionDateTime,
    Compound,
    DataStructure,
    Din,
    DonorId,
    Expiration,
    LabelError,
    ProcessingFacility,
    ProductCode,
    SingleEuropeanCode,
    StaffId,
    din_check_character,
    gtin_check_ok,
    parse_coi,
    parse_compound,
    parse_din,
    parse_din_keyboard,
    parse_gs1,
    parse_isbt,
    parse_label,
    parse_label_bytes,
)

MOD37 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
ALPHA = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"  # the DIN's first character: no O, no 0
DIGITS = "0123456789"
UPPER_ALNUM = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = UPPER_ALNUM + "abcdefghijklmnopqrstuvwxyz"
TEXT_PARSERS = (
    parse_label,
    parse_isbt,
    parse_compound,
    parse_gs1,
    parse_din,
    parse_din_keyboard,
    parse_coi,
)

# Characters that reach deep into the parsers: DIs, AIM prefixes, GS, digits.
LABELISH = st.text(
    alphabet=st.sampled_from(list("=&<>%*;'+/,]\x1d\r\n0123456789ACGHSZdQe4O²x")), max_size=60
)


def _text(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size)


facility = st.builds(lambda a, p: a + p, _text(ALPHA, 1), _text(DIGITS, 4))
din13 = st.builds(lambda f, rest: f + rest, facility, _text(DIGITS, 8))
minutes = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2999, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


def type3_flag(din: str) -> str:
    return str(60 + MOD37.index(din_check_character(din)))


@st.composite
def dins(draw: st.DrawFn) -> Din:
    din = draw(din13)
    flags = draw(
        st.one_of(
            st.just(type3_flag(din)),
            st.sampled_from(["00", "01", "04", "15", "19"]),
            st.integers(20, 59).map(str),
        )
    )
    return Din(din, flags)


structures: st.SearchStrategy[DataStructure] = st.one_of(
    dins(),
    _text(ALNUM, 4).map(AboRhD),
    st.builds(
        lambda a, o, t: ProductCode(a + o + t),
        _text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1),
        _text(DIGITS, 4),
        _text(ALNUM, 3),
    ),
    minutes.map(Expiration),
    minutes.map(lambda d: CollectionDate(d.date())),
    minutes.map(CollectionDateTime),
    st.builds(lambda f, n: DonorId(f + n), facility, _text(DIGITS, 16)),
    st.builds(lambda f, n: StaffId(f + n), facility, _text(UPPER_ALNUM, 6)),
    st.builds(ProcessingFacility, facility, _text(UPPER_ALNUM, 6)),
    din13.map(lambda d: CoiId("CH" + d)),
    st.builds(
        SingleEuropeanCode,
        te_code=st.builds(
            lambda c, n: c + n, _text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2), _text(UPPER_ALNUM, 6)
        ),
        donation=_text(UPPER_ALNUM, 13),
        coding_system=st.sampled_from("ABE"),
        product=_text(UPPER_ALNUM, 7),
        split=_text(UPPER_ALNUM, 3),
        expiry=st.one_of(st.none(), st.dates(min_value=datetime(1000, 1, 1).date())),
    ),
)


def distinct_kinds(items: list[DataStructure]) -> list[DataStructure]:
    seen: dict[type, DataStructure] = {}
    for item in items:
        seen.setdefault(type(item), item)
    return list(seen.values())


@given(st.text(max_size=80))
def test_arbitrary_text_raises_only_label_error(text: str) -> None:
    for parser in TEXT_PARSERS:
        with contextlib.suppress(LabelError):
            parser(text)


@given(LABELISH)
def test_label_like_text_raises_only_label_error(text: str) -> None:
    for parser in TEXT_PARSERS:
        with contextlib.suppress(LabelError):
            parser(text)


@given(st.lists(structures, max_size=4), st.integers(0, 200), st.sampled_from("=&0A\x1dX²"))
def test_mutated_valid_reads_raise_only_label_error(
    items: list[DataStructure], where: int, char: str
) -> None:
    text = "".join(s.barcode for s in items)
    cut = where % (len(text) + 1)
    for mutated in (
        text[:cut] + char + text[cut + 1 :],
        text[:cut],
        f"=+{len(items):02d}000{text}",
    ):
        for parser in TEXT_PARSERS:
            with contextlib.suppress(LabelError):
                parser(mutated)


@given(st.binary(max_size=80))
def test_arbitrary_bytes_raise_only_label_error(data: bytes) -> None:
    with contextlib.suppress(LabelError):
        parse_label_bytes(data)


@given(dins())
def test_valid_dins_always_parse(din: Din) -> None:
    assert parse_din(din.barcode) == din
    assert parse_label(din.barcode).structures == (din,)
    assert parse_din_keyboard(din.keyboard).din == din.din


@given(din13, st.integers(0, 12), st.data())
def test_one_changed_character_fails_the_keyboard_check(
    din: str, position: int, data: st.DataObject
) -> None:
    allowed = ALPHA if position == 0 else DIGITS
    replacement = data.draw(st.sampled_from([c for c in allowed if c != din[position]]))
    mutated = din[:position] + replacement + din[position + 1 :]
    check = din_check_character(din)
    with pytest.raises(LabelError, match=r"^check character wrong — scan again or re-type$"):
        parse_din_keyboard(f"{mutated} {check}")
    # the barcode's type-3 flag catches the same change
    with pytest.raises(LabelError, match="type-3 flag"):
        parse_din(f"={mutated}{type3_flag(din)}")


def gtin_check_digit(data13: str) -> str:
    """GS1 mod-10, written out independently of the code under test."""
    odd = sum(int(d) for d in data13[-1::-2])  # rightmost data digit weighs 3
    even = sum(int(d) for d in data13[-2::-2])
    return str((10 - (3 * odd + even) % 10) % 10)


@given(_text(DIGITS, 13), st.integers(1, 9))
def test_valid_gtins_parse_and_a_wrong_check_digit_is_refused(data13: str, off: int) -> None:
    gtin = data13 + gtin_check_digit(data13)
    assert gtin_check_ok(gtin)
    assert parse_gs1("01" + gtin).gtin == gtin
    label = parse_label("]d201" + gtin + "17271231\x1d10LOT-1")
    assert label.gs1 is not None
    assert (label.gs1.gtin, label.gs1.lot) == (gtin, "LOT-1")
    wrong = data13 + str((int(gtin[-1]) + off) % 10)
    assert not gtin_check_ok(wrong)
    with pytest.raises(LabelError, match=r"^GTIN check digit wrong — scan again or re-type$"):
        parse_gs1("01" + wrong)


@given(structures)
def test_every_structure_round_trips(structure: DataStructure) -> None:
    assert parse_isbt(structure.barcode) == structure


@given(st.lists(structures, min_size=1, max_size=8).map(distinct_kinds), st.booleans())
def test_concatenations_and_compounds_round_trip(
    items: list[DataStructure], declare_one_more: bool
) -> None:
    text = "".join(s.barcode for s in items)
    assert parse_label(text).structures == tuple(items)
    compound = Compound(len(items), "000", tuple(items))
    assert parse_compound(compound.barcode) == compound
    assert parse_label("]d1" + compound.barcode).compound == compound
    lying = f"=+{len(items) + 1:02d}000{text}"
    with pytest.raises(LabelError, match="compound message says"):
        parse_label(lying)
