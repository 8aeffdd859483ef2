"""kiosk.units: reading unit text, converting, and arithmetic on quantities."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.units import (
    BASE_DIMENSIONS,
    DIMENSIONLESS,
    KNOWN_UNITS,
    Quantity,
    Unit,
    UnitError,
    check_unit,
)


def u(text: str) -> Unit:
    return Unit.parse(text)


def q(value: float, unit: str) -> Quantity:
    return Quantity.of(value, unit)


def dims(**exponents: int) -> tuple[int, ...]:
    return tuple(exponents.get(name, 0) for name in BASE_DIMENSIONS)


# ---------------------------------------------------------------- reading unit text


@pytest.mark.parametrize(
    ("text", "dimension", "scale"),
    [
        ("1", dims(), Fraction(1)),
        ("%", dims(), Fraction(1, 100)),
        ("x", dims(), Fraction(1)),
        ("fold", dims(), Fraction(1)),
        ("g", dims(mass=1), Fraction(1)),
        ("mg", dims(mass=1), Fraction(1, 1000)),
        ("ug", dims(mass=1), Fraction(1, 10**6)),
        ("µg", dims(mass=1), Fraction(1, 10**6)),
        ("kg", dims(mass=1), Fraction(1000)),
        ("L", dims(volume=1), Fraction(1)),
        ("mL", dims(volume=1), Fraction(1, 1000)),
        ("uL", dims(volume=1), Fraction(1, 10**6)),
        ("µL", dims(volume=1), Fraction(1, 10**6)),
        ("s", dims(time=1), Fraction(1)),
        ("min", dims(time=1), Fraction(60)),
        ("h", dims(time=1), Fraction(3600)),
        ("d", dims(time=1), Fraction(86400)),
        ("rpm", dims(time=-1), Fraction(1, 60)),
        ("degC", dims(temperature=1), Fraction(1)),
        ("°C", dims(temperature=1), Fraction(1)),
        ("cells", dims(cells=1), Fraction(1)),
        ("cell", dims(cells=1), Fraction(1)),
        ("TU", dims(TU=1), Fraction(1)),
        ("EU", dims(EU=1), Fraction(1)),
        ("copies", dims(copies=1), Fraction(1)),
    ],
)
def test_every_known_atom_has_its_dimension_and_scale(
    text: str, dimension: tuple[int, ...], scale: Fraction
) -> None:
    unit = u(text)
    assert unit.dimension == dimension
    assert unit.scale == scale
    assert text in KNOWN_UNITS


def test_known_units_lists_exactly_the_atoms_and_aliases() -> None:
    assert {"mL", "cells", "cell", "°C", "degC", "%", "1", "rpm", "fold"} <= KNOWN_UNITS
    assert "ml" not in KNOWN_UNITS
    for symbol in KNOWN_UNITS:
        assert u(symbol).symbol  # every listed symbol reads


@pytest.mark.parametrize(
    ("text", "symbol", "dimension", "scale"),
    [
        ("cells/mL", "cells/mL", dims(cells=1, volume=-1), Fraction(1000)),
        ("TU/mL", "TU/mL", dims(TU=1, volume=-1), Fraction(1000)),
        ("EU/mL", "EU/mL", dims(EU=1, volume=-1), Fraction(1000)),
        ("cells/kg", "cells/kg", dims(cells=1, mass=-1), Fraction(1, 1000)),
        ("copies/cell", "copies/cells", dims(copies=1, cells=-1), Fraction(1)),
        ("mL/min", "mL/min", dims(volume=1, time=-1), Fraction(1, 60000)),
        ("1e6 cells", "1e6 cells", dims(cells=1), Fraction(10**6)),
        ("10^6 cells", "1e6 cells", dims(cells=1), Fraction(10**6)),
        ("1e6 cells/kg", "1e6 cells/kg", dims(cells=1, mass=-1), Fraction(1000)),
        ("2.5e6/kg", "2.5e6/kg", dims(mass=-1), Fraction(2500)),
        ("0.01 mL", "0.01 mL", dims(volume=1), Fraction(1, 100000)),
        ("1000 cells", "1000 cells", dims(cells=1), Fraction(1000)),
        ("1e-9 g", "1e-9 g", dims(mass=1), Fraction(1, 10**9)),
        ("mL^2", "mL^2", dims(volume=2), Fraction(1, 10**6)),
        ("mL^-1", "1/mL", dims(volume=-1), Fraction(1000)),
        ("1/min", "1/min", dims(time=-1), Fraction(1, 60)),
        ("cells / mL / min", "cells/mL/min", dims(cells=1, volume=-1, time=-1), Fraction(50, 3)),
        ("mL·min", "mL*min", dims(volume=1, time=1), Fraction(60, 1000)),
        ("mL * min", "mL*min", dims(volume=1, time=1), Fraction(60, 1000)),
        ("TU/cells*cells", "TU", dims(TU=1), Fraction(1)),
        ("  mL  ", "mL", dims(volume=1), Fraction(1, 1000)),
        ("μL", "µL", dims(volume=1), Fraction(1, 10**6)),  # Greek mu as typed on some keyboards
        ("℃", "degC", dims(temperature=1), Fraction(1)),
        ("mL ^ 2", "mL^2", dims(volume=2), Fraction(1, 10**6)),
    ],
)
def test_compound_units_read_and_normalise(
    text: str, symbol: str, dimension: tuple[int, ...], scale: Fraction
) -> None:
    unit = u(text)
    assert unit.symbol == symbol
    assert str(unit) == symbol
    assert unit.dimension == dimension
    assert unit.scale == scale


def test_check_unit_is_parse_for_recipe_validation() -> None:
    assert check_unit("cells/mL") == u("cells/mL")
    with pytest.raises(UnitError, match='unknown unit "mll"'):
        check_unit("mll")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mll", 'unknown unit "mll" (did you mean "mL"?)'),
        ("ml", 'unknown unit "ml" (did you mean "mL"?)'),
        ("CELLS", 'unknown unit "CELLS" (did you mean "cells"?)'),
        ("furlongs", 'unknown unit "furlongs"'),
        ("", "the unit is empty"),
        ("   ", "the unit is empty"),
        ("/mL", 'unit "/mL" starts with "/"'),
        ("mL/", 'unit "mL/" is incomplete'),
        ("mL mL", 'missing "*" or "/" before "mL" in unit "mL mL"'),
        ("mL2", 'missing "*" or "/" before "2" in unit "mL2"'),
        ("cells/1e6", 'unexpected "1e6" in unit "cells/1e6"'),
        ("mL//min", 'unexpected "/" in unit "mL//min"'),
        ("$", 'unexpected "$" in unit "$"'),
        ("mL_x", 'unexpected "_" in unit "mL_x"'),
        ("0 cells", 'the number in unit "0 cells" must not be zero'),
        ("1e31 cells", 'the number in unit "1e31 cells" is out of range'),
        ("10^31 cells", 'exponent 31 in unit "10^31 cells" is out of range'),
        ("2^3 cells", 'only 10 can be raised to a power in unit "2^3 cells"'),
        ("mL^0", 'exponent 0 in unit "mL^0" is out of range'),
        ("mL^21", 'exponent 21 in unit "mL^21" is out of range'),
        ("c" * 65, "unit text is too long (65 characters; at most 64)"),
    ],
)
def test_bad_unit_text_is_refused_with_a_readable_reason(text: str, message: str) -> None:
    with pytest.raises(UnitError) as caught:
        u(text)
    assert str(caught.value).startswith(message)


def test_units_are_case_sensitive() -> None:
    # "Mg" would be a megagram elsewhere; here it is a mistake, not milligrams.
    with pytest.raises(UnitError, match='unknown unit "Mg"'):
        u("Mg")


# ---------------------------------------------------------------- temperature


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("degC/min", "cannot divide degC by min: temperatures can only be compared"),
        ("degC*cells", "cannot multiply degC by cells: temperatures"),
        ("mL*degC", "cannot multiply mL by degC: temperatures"),
        ("degC^2", "cannot raise degC to a power: temperatures"),
        ("1/degC", "cannot divide 1 by degC: temperatures"),
        ("degC/degC", "cannot divide degC by degC: temperatures"),
    ],
)
def test_temperature_cannot_combine_with_other_units(text: str, message: str) -> None:
    with pytest.raises(UnitError) as caught:
        u(text)
    assert str(caught.value).startswith(message)


def test_temperature_can_be_scaled_by_plain_numbers() -> None:
    assert u("degC") * DIMENSIONLESS == u("degC")
    assert u("degC") / u("%") == Unit.parse("100 degC")
    assert q(20, "degC") * 2 == q(40, "degC")
    assert q(20, "degC") * q(50, "%") == q(10, "degC")
    assert q(37, "degC") - q(4, "degC") == q(33, "degC")
    assert q(-150, "degC") < q(-140, "degC")


# ---------------------------------------------------------------- unit algebra


def test_unit_arithmetic_combines_dimensions_and_scales() -> None:
    concentration = u("cells") / u("mL")
    assert concentration == u("cells/mL")
    assert concentration.symbol == "cells/mL"
    assert u("TU/cells") * u("cells") == u("TU")
    assert (u("TU/cells") * u("cells")).symbol == "TU"
    assert u("mL") ** 2 == u("mL^2")
    assert u("mL") ** -1 == u("1/mL")
    assert (u("mL") ** 0).symbol == "1"
    assert (u("1e6 cells") * u("1e3 cells")).symbol == "1e9 cells^2"


def test_units_are_equal_by_dimension_and_scale_not_spelling() -> None:
    assert u("x") == u("1") == u("fold")
    assert u("mg/mL") == u("g/L")
    assert u("mg/mL").symbol == "mg/mL"
    assert u("mL") != u("L")
    assert u("mL") != u("g")
    assert hash(u("ug")) == hash(u("µg"))


def test_dimension_queries() -> None:
    assert u("%").is_dimensionless
    assert u("1e6").is_dimensionless
    assert not u("cells").is_dimensionless
    assert u("mL").same_dimension(u("L"))
    assert u("cells/mL").same_dimension(u("1e6 cells/L"))
    assert not u("cells/mL").same_dimension(u("cells/kg"))


def test_simplify_merges_atoms_of_one_dimension_into_the_first() -> None:
    factor, unit = (u("cells/mL") * u("L")).simplify()
    assert (factor, unit.symbol) == (Fraction(1000), "cells")
    factor, unit = (u("mL/min") * u("s")).simplify()
    assert (factor, unit.symbol) == (Fraction(1, 60), "mL")
    factor, unit = (u("rpm") * u("min")).simplify()
    assert (factor, unit.symbol) == (Fraction(1), "1")
    factor, unit = u("1e6 cells/kg").simplify()
    assert (factor, unit.symbol) == (Fraction(10**6), "cells/kg")
    factor, unit = (u("cells") * u("%")).simplify()
    assert (factor, unit.symbol) == (Fraction(1, 100), "cells")


def test_simplify_keeps_a_lone_dimensionless_unit() -> None:
    assert u("%").simplify() == (Fraction(1), u("%"))
    assert u("%").simplify()[1].symbol == "%"
    factor, unit = (u("%") ** 2).simplify()
    assert (factor, unit.symbol) == (Fraction(1, 10**4), "1")


def test_symbols_for_derived_scales() -> None:
    assert (u("1e6 cells") ** -1).symbol == "1e-6/cells"
    assert (DIMENSIONLESS / u("3 cells")).symbol == "0.333333/cells"  # shown only, not read
    assert (u("100000 cells") * u("10 cells")).symbol == "1e6 cells^2"
    assert (u("0.00001 g") * u("0.1 g")).symbol == "1e-6 g^2"
    assert u("2.5 mL").symbol == "2.5 mL"


def test_derived_units_stay_in_range() -> None:
    with pytest.raises(UnitError, match="exponent is out of range"):
        u("mL^9") ** 3
    with pytest.raises(UnitError, match="scale is out of range"):
        u("1e30 cells") ** 11


# ---------------------------------------------------------------- conversion


def test_convert_between_units_of_one_dimension() -> None:
    assert u("L").convert(1.5, u("mL")) == 1500
    assert u("kg").convert(70, u("g")) == 70000
    assert u("h").convert(72, u("d")) == 3
    assert u("%").convert(91.4, DIMENSIONLESS) == pytest.approx(0.914)
    assert u("cells/mL").convert(5e6, u("1e6 cells/mL")) == 5
    assert u("rpm").convert(600, u("1/s")) == 10


def test_convert_refuses_other_dimensions() -> None:
    with pytest.raises(UnitError, match="cannot convert mL to kg"):
        u("mL").convert(1, u("kg"))
    with pytest.raises(UnitError, match="cannot convert degC to 1"):
        u("degC").convert(1, DIMENSIONLESS)


def test_convert_refuses_a_result_too_large_for_a_float() -> None:
    with pytest.raises(UnitError, match="too large to express in 1e-30 g"):
        u("kg").convert(1e300, u("1e-30 g"))


def test_convert_refuses_a_scale_ratio_beyond_floats() -> None:
    huge = u("1e30 kg") ** 10  # 1e330 g^10
    with pytest.raises(UnitError, match="scale is out of range"):
        huge.convert(1, u("g") ** 10)


# ---------------------------------------------------------------- quantities


def test_quantity_to_another_unit() -> None:
    assert q(91.4, "%").to(Unit.parse("1")).value == pytest.approx(0.914)
    assert q(1.5, "L").to("mL") == q(1500, "mL")
    assert q(1.5, "L").to("mL").unit.symbol == "mL"
    with pytest.raises(UnitError, match="cannot convert mL to kg"):
        q(1, "mL").to("kg")


def test_quantity_value_is_a_finite_float() -> None:
    assert type(Quantity(5, u("mL")).value) is float
    with pytest.raises(UnitError, match="must be a finite number"):
        Quantity(math.nan, u("mL"))
    with pytest.raises(UnitError, match="must be a finite number"):
        Quantity(math.inf, u("mL"))
    with pytest.raises(UnitError, match="must be a finite number"):
        Quantity(10**400, u("mL"))
    with pytest.raises(TypeError, match="must be a number"):
        Quantity(True, u("mL"))
    with pytest.raises(TypeError, match="must be a number"):
        Quantity("5", u("mL"))  # type: ignore[arg-type]


def test_adding_needs_one_dimension_and_gives_the_left_unit() -> None:
    total = q(1, "L") + q(250, "mL")
    assert total == q(1.25, "L")
    assert q(250, "mL") + q(1, "L") == q(1250, "mL")
    assert q(1, "L") - q(250, "mL") == q(0.75, "L")
    assert q(50, "%") + q(0.2, "1") == q(70, "%")
    with pytest.raises(UnitError, match="cannot add mL and kg"):
        q(1, "mL") + q(1, "kg")
    with pytest.raises(UnitError, match="cannot subtract kg from mL"):
        q(1, "mL") - q(1, "kg")


def test_multiplying_and_dividing_combine_units() -> None:
    # The recipe's vector volume: moi (TU/cells) * cells / titre (TU/mL) = mL
    volume = q(5, "TU/cells") * q(1e8, "cells") / q(2e8, "TU/mL")
    assert volume.unit.symbol == "mL"
    assert volume.to("mL").value == pytest.approx(2.5)
    # The dose volume: cells/kg * kg / (cells/mL) = mL
    dose = q(1e6, "cells/kg") * q(70, "kg") / q(5e6, "cells/mL")
    assert dose.to("mL").value == pytest.approx(14)
    assert (q(1e8, "cells") * q(91.4, "%")).to("cells").value == pytest.approx(9.14e7)
    assert (q(2, "mL/min") * q(30, "s")).value == pytest.approx(1)
    assert q(3e9, "cells") / q(150, "mL") == q(2e7, "cells/mL")


def test_plain_numbers_keep_the_unit() -> None:
    assert q(5, "mL") * 2 == q(10, "mL")
    assert 2 * q(5, "mL") == q(10, "mL")
    assert q(5, "mL") / 2 == q(2.5, "mL")
    assert (q(5, "1e6 cells") * 2).unit.symbol == "1e6 cells"
    assert 10 / q(5, "mL") == q(2, "1/mL")
    assert 1 / q(2, "1e6 cells") == q(5e-7, "1/cells")


def test_powers_and_signs() -> None:
    assert q(3, "mL") ** 2 == q(9, "mL^2")
    assert (q(3, "mL") ** 2).unit.symbol == "mL^2"
    assert -q(3, "mL") == q(-3, "mL")
    assert abs(q(-3, "mL")) == q(3, "mL")
    with pytest.raises(UnitError, match="cannot raise degC to a power"):
        q(3, "degC") ** 2
    with pytest.raises(UnitError, match="result is too large"):
        q(1e200, "1") ** 2


def test_division_by_zero() -> None:
    with pytest.raises(ZeroDivisionError):
        q(1, "mL") / q(0, "min")
    with pytest.raises(ZeroDivisionError):
        q(1, "mL") / 0
    with pytest.raises(ZeroDivisionError):
        1 / q(0, "mL")


def test_results_too_large_are_refused() -> None:
    with pytest.raises(UnitError, match="result is too large"):
        q(1e308, "mL") * 10
    with pytest.raises(UnitError, match="result is too large"):
        q(1e308, "mL") + q(1e308, "mL")
    with pytest.raises(UnitError, match="result is too large"):
        q(1e200, "mL") * q(1e200, "mL")


def test_comparisons_convert() -> None:
    assert q(1, "L") > q(999, "mL")
    assert q(1, "L") >= q(1000, "mL")
    assert q(1, "L") <= q(1000, "mL")
    assert q(999, "mL") < q(1, "L")
    assert not q(1, "L") < q(1000, "mL")
    assert q(1, "L") != q(1000, "mL")  # == compares as stored; convert first
    with pytest.raises(UnitError, match="cannot compare mL with kg"):
        _ = q(1, "mL") < q(1, "kg")


def test_operations_with_other_types_are_not_supported() -> None:
    with pytest.raises(TypeError):
        _ = q(1, "mL") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = q(1, "mL") - 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = q(1, "mL") * "2"  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = q(1, "mL") / "2"  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = "2" / q(1, "mL")  # type: ignore[operator]


def test_quantities_print_with_their_unit() -> None:
    assert str(q(14, "mL")) == "14 mL"
    assert str(q(91.4, "%")) == "91.4 %"
    assert str(q(0.914, "1")) == "0.914"
    assert str(q(5, "1e6 cells")) == "5 1e6 cells"


# ---------------------------------------------------------------- properties

_SAME_DIMENSION = [
    ["g", "mg", "ug", "µg", "kg", "1000 g", "1e-9 g"],
    ["L", "mL", "uL", "µL", "0.5 L"],
    ["s", "min", "h", "d"],
    ["cells/mL", "1e6 cells/mL", "cells/L", "10^6 cells/uL"],
    ["1", "%", "x", "1e6"],
    ["cells/kg", "1e6 cells/kg", "cells/g"],
]


@st.composite
def _unit_pair(draw: st.DrawFn) -> tuple[Unit, Unit]:
    group = draw(st.sampled_from(_SAME_DIMENSION))
    return u(draw(st.sampled_from(group))), u(draw(st.sampled_from(group)))


@given(_unit_pair(), st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_conversion_round_trips(pair: tuple[Unit, Unit], value: float) -> None:
    first, second = pair
    back = second.convert(first.convert(value, second), first)
    assert back == pytest.approx(value, rel=1e-12, abs=1e-300)


@given(st.text(max_size=80))
def test_reading_any_text_raises_only_unit_error(text: str) -> None:
    try:
        unit = Unit.parse(text)
    except UnitError:
        return
    assert Unit.parse(unit.symbol) == unit


_ATOM_TEXT = sorted(  # temperatures do not combine; "1" is read as a number
    s for s in KNOWN_UNITS - {"1"} if not Unit.parse(s).same_dimension(Unit.parse("degC"))
)


@given(
    st.one_of(st.none(), st.sampled_from(["1e6", "10^3", "2.5", "0.01", "1e-6"])),
    st.lists(
        st.tuples(
            st.sampled_from(["*", "/", " / ", "·"]),
            st.sampled_from(_ATOM_TEXT),
            st.sampled_from(["", "^2", "^-1", "^3"]),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_symbols_read_back_as_the_same_unit(
    prefix: str | None, parts: list[tuple[str, str, str]]
) -> None:
    text = (prefix + " " if prefix else "") + parts[0][1] + parts[0][2]
    text += "".join(op + atom + power for op, atom, power in parts[1:])
    unit = Unit.parse(text)
    again = Unit.parse(unit.symbol)
    assert again == unit
    assert again.symbol == unit.symbol
