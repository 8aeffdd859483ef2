"""Orders from upstream as the server reads them (JSON and CSV): every field checked, one line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from central.order_model import CSV_COLUMNS, OrderError, coi_of, din_of, parse_csv, parse_json
from kiosk.identity import din_check_character

DIN = "A999921123456"  # check character 3 (DOMAIN.md test vector)
COI13 = "G123417654321"  # check character A


def order(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "order_id": "ORD-1001",
        "patient_id": "PSN-7F3A",
        "coi": f"&/CH{COI13}",
        "dins": [f"{DIN}3"],
        "weight_kg": 72.5,
        "weight_entered_by": "nurse.ng",
        "weight_witnessed_by": "dr.ito",
        "collection_time": "2026-12-01T08:30:00+01:00",
        "shipment": "frozen",
        "recipe": "car-t-autologous",
        "due": "2026-12-20",
    }
    base.update(changes)
    return base


def as_csv(*orders: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for o in orders:
        w.writerow([";".join(o[c]) if c == "dins" else o[c] for c in CSV_COLUMNS])
    return buf.getvalue()


def refusal(parse: Callable[[str], object], text: str) -> str:
    """The refusal's words ("" when the text is read)."""
    try:
        parse(text)
    except OrderError as exc:
        return str(exc)
    return ""


def test_a_good_order_keeps_the_coi_and_dins_as_thirteen_characters() -> None:
    (got,) = parse_json(json.dumps(order()))
    assert got.coi == f"CH{COI13}"
    assert got.dins == [DIN]
    (same,) = parse_csv(as_csv(order()))
    assert same == got


def test_a_typed_coi_needs_its_check_character() -> None:
    assert coi_of(f"CH{COI13}A") == f"CH{COI13}"
    with pytest.raises(ValueError, match="check character"):
        coi_of(f"CH{COI13}C")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"coi": "&/CX" + COI13}, "coi"),
        ({"coi": "&/CH" + COI13[:-1]}, "coi"),
        ({"dins": [f"{DIN}4"]}, "dins"),  # wrong check character
        ({"dins": ["=A99992112345600", f"{DIN}3"]}, "dins"),  # the same DIN twice
        ({"dins": []}, "dins"),
        ({"weight_kg": 0}, "weight_kg"),
        ({"weight_kg": 900}, "weight_kg"),
        ({"collection_time": "2026-12-01T08:30:00"}, "collection_time"),
        ({"shipment": "warm"}, "shipment"),
        ({"weight_witnessed_by": "nurse.ng"}, "weight_witnessed_by"),
        ({"due": "2026-11-01"}, "due"),
        ({"order_id": "ORD 1"}, "order_id"),
        ({"patient_name": "Jane Doe"}, "patient_name"),
    ],
)
def test_a_bad_order_is_refused_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(OrderError) as caught:
        parse_json(json.dumps(order(**changes)))
    message = str(caught.value)
    assert field in message
    assert "\n" not in message


def test_csv_names_the_line_and_needs_its_header() -> None:
    bad = as_csv(order(), order(order_id="ORD-1002", dins=[f"{DIN}9"]))
    with pytest.raises(OrderError, match=r"^line 3: dins"):
        parse_csv(bad)
    with pytest.raises(OrderError, match="header"):
        parse_csv("order,patient\n1,2\n")


din13 = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ123456789", min_size=1, max_size=1).flatmap(
    lambda first: st.text(alphabet="0123456789", min_size=12, max_size=12).map(lambda r: first + r)
)


@settings(max_examples=200)
@given(din13, din13)
def test_any_valid_din_and_coi_are_read_back(din: str, coi: str) -> None:
    data = order(dins=[din + din_check_character(din)], coi=f"CH{coi}{din_check_character(coi)}")
    (got,) = parse_json(json.dumps(data))
    assert got.dins == [din]
    assert got.coi == f"CH{coi}"
    (again,) = parse_csv(as_csv(data))
    assert again == got


@settings(max_examples=200)
@given(din13, st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"))
def test_a_din_with_another_check_character_is_refused(din: str, check: str) -> None:
    if check == din_check_character(din):
        assert din_of(din + check) == din
    else:
        with pytest.raises(OrderError, match="dins"):
            parse_json(json.dumps(order(dins=[din + check])))


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_in_one_line(text: str) -> None:
    for parse in (parse_json, parse_csv):
        assert "\n" not in refusal(parse, text)


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.sampled_from(CSV_COLUMNS), st.one_of(st.text(max_size=20), st.integers(), st.none())
    )
)
def test_any_field_damage_is_refused_in_one_line(damage: dict[str, Any]) -> None:
    assert "\n" not in refusal(parse_json, json.dumps(order(**damage)))


@settings(max_examples=200)
@given(din13, st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"))
def test_a_typed_coi_is_read_only_with_its_own_check_character(body: str, check: str) -> None:
    from kiosk.identity import LabelError, parse_coi_keyboard

    if check == din_check_character(body):
        assert parse_coi_keyboard(f"CH{body} {check}").coi == f"CH{body}"
    else:
        with pytest.raises(LabelError, match="check character"):
            parse_coi_keyboard(f"CH{body}{check}")


@pytest.mark.parametrize(
    ("typed", "refused"),
    [
        ("G123417654321A", "type CH"),  # no CH
        ("CHG12341765432A", "type CH"),  # short
        ("CHO123417654321A", "characters that are not allowed"),  # letter O
    ],
)
def test_a_typed_coi_of_the_wrong_shape_is_refused(typed: str, refused: str) -> None:
    from kiosk.identity import LabelError, parse_coi_keyboard

    with pytest.raises(LabelError, match=refused):
        parse_coi_keyboard(typed)
