"""Units of measure for recipe values: a small unit algebra with exact scale factors.

We chose not to use pint: it is a heavy import for a kiosk that starts often, and the
counts that CAR-T manufacturing measures in (cells, transducing units, endotoxin units,
vector copies) are not physical units to it. Here every unit is a product of *atoms*
("mL", "cells", "kg", ...) with integer exponents, times an optional leading number
("1e6 cells/kg"). Each atom belongs to one base dimension:

    mass (g), volume (L), time (s), temperature (degC), cells, TU, EU, copies

Volume is a base dimension of its own (there are no lengths), and "%", "x", "fold" and
"1" are dimensionless. Scale factors are kept as exact fractions, so "mL" is exactly
1/1000 L and conversions do not drift.

Temperature is degrees Celsius only. Because that scale has an offset, a temperature
may be compared, added to or subtracted from another temperature, and multiplied or
divided by a plain number; multiplying or dividing it by anything else ("degC/min",
"degC^2") is refused.

Equality of units is by dimension and scale: ``Unit.parse("x") == Unit.parse("1")``;
the display ``symbol`` is not compared.
"""

import difflib
import functools
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, Self

__all__ = [
    "BASE_DIMENSIONS",
    "DIMENSIONLESS",
    "KNOWN_UNITS",
    "Quantity",
    "Unit",
    "UnitError",
    "check_unit",
]

BASE_DIMENSIONS: tuple[str, ...] = (
    "mass",
    "volume",
    "time",
    "temperature",
    "cells",
    "TU",
    "EU",
    "copies",
)
_TEMPERATURE = BASE_DIMENSIONS.index("temperature")

_MAX_TEXT = 64  # characters in a unit's text
_MAX_PREFIX_EXPONENT = 30  # "1e6", "10^6" in text: powers of ten up to 30 either way
_MAX_EXPONENT = 20  # an atom's exponent ("mL^2"): at most 20 either way
_MAX_PREFIX_BITS = 1000  # a derived unit's leading number stays within about 1e±300

_TEMPERATURE_RULE = (
    "temperatures can only be compared, added, subtracted, or multiplied or divided "
    "by a plain number"
)


class UnitError(ValueError):
    """A unit that cannot be read, or an operation its dimensions do not allow."""


class _Atom(NamedTuple):
    dimension: int | None  # index into BASE_DIMENSIONS; None for dimensionless atoms
    exponent: int  # the atom is (base unit)^exponent, times its scale
    scale: Fraction


_ATOMS: dict[str, _Atom] = {
    "%": _Atom(None, 0, Fraction(1, 100)),
    "x": _Atom(None, 0, Fraction(1)),
    "fold": _Atom(None, 0, Fraction(1)),
    "g": _Atom(0, 1, Fraction(1)),
    "mg": _Atom(0, 1, Fraction(1, 10**3)),
    "ug": _Atom(0, 1, Fraction(1, 10**6)),
    "µg": _Atom(0, 1, Fraction(1, 10**6)),
    "kg": _Atom(0, 1, Fraction(10**3)),
    "L": _Atom(1, 1, Fraction(1)),
    "mL": _Atom(1, 1, Fraction(1, 10**3)),
    "uL": _Atom(1, 1, Fraction(1, 10**6)),
    "µL": _Atom(1, 1, Fraction(1, 10**6)),
    "s": _Atom(2, 1, Fraction(1)),
    "min": _Atom(2, 1, Fraction(60)),
    "h": _Atom(2, 1, Fraction(3600)),
    "d": _Atom(2, 1, Fraction(86400)),
    "rpm": _Atom(2, -1, Fraction(1, 60)),
    "degC": _Atom(3, 1, Fraction(1)),
    "cells": _Atom(4, 1, Fraction(1)),
    "TU": _Atom(5, 1, Fraction(1)),
    "EU": _Atom(6, 1, Fraction(1)),
    "copies": _Atom(7, 1, Fraction(1)),
}
_ALIASES: dict[str, str] = {"cell": "cells", "°C": "degC", "℃": "degC"}

KNOWN_UNITS: frozenset[str] = frozenset({"1", *_ATOMS, *_ALIASES})
"""Every atomic unit symbol accepted in unit text ("1" is the plain number)."""

_Factors = tuple[tuple[str, int], ...]

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<power>\^\s*[+-]?[0-9]+)
  | (?P<op>[/*·])
  | (?P<atom>%|°C|℃|[^\W\d_]+)
    """,
    re.VERBOSE,
)
_NUMBER = re.compile(r"(?P<mantissa>[0-9]+(?:\.[0-9]+)?)(?:[eE](?P<exponent>[+-]?[0-9]+))?")


@dataclass(frozen=True)
class Unit:
    """A unit: exponents over BASE_DIMENSIONS and the exact factor to the base units.

    Make one with ``Unit.parse`` or by arithmetic (``*``, ``/``, ``**``) on units.
    ``symbol`` is the normalised text, e.g. "cells/mL" or "1e6 cells/kg"; ``factors``
    and ``prefix`` are the atoms with their exponents and the leading number, which
    the symbol is written from.
    """

    dimension: tuple[int, ...]
    scale: Fraction
    symbol: str = field(compare=False)
    factors: _Factors = field(compare=False, repr=False)
    prefix: Fraction = field(compare=False, repr=False)

    @classmethod
    def parse(cls, text: str) -> "Unit":
        """Read unit text such as "mL", "cells/mL", "1e6 cells/kg", "mL^2"; UnitError if not."""
        return _parse(text.strip())

    @property
    def is_dimensionless(self) -> bool:
        return not any(self.dimension)

    def same_dimension(self, other: "Unit") -> bool:
        return self.dimension == other.dimension

    def convert(self, value: float, to: "Unit") -> float:
        """``value`` in this unit, expressed in ``to``; UnitError if the dimensions differ."""
        if self.dimension != to.dimension:
            raise UnitError(f"cannot convert {self.symbol} to {to.symbol}")
        result = value * _to_float(self.scale / to.scale)
        if not math.isfinite(result):
            raise UnitError(f"{value:g} {self.symbol} is too large to express in {to.symbol}")
        return result

    def simplify(self) -> tuple[Fraction, "Unit"]:
        """``(factor, unit)`` with ``self == factor * unit`` and ``unit`` in the fewest atoms.

        The leading number and dimensionless atoms go into the factor (a lone "%" or
        "x" stays), and the atoms of each base dimension are merged into the first one
        of them: "cells/mL * L" becomes (1000, "cells").
        """
        if self.prefix == 1 and len(self.factors) == 1:
            name, exponent = self.factors[0]
            if exponent == 1 and _ATOMS[name].dimension is None:
                return Fraction(1), self
        factor = self.prefix
        first: dict[int, str] = {}
        exponents: dict[str, int] = {}
        for name, exponent in self.factors:
            atom = _ATOMS[name]
            if atom.dimension is None:
                factor *= atom.scale**exponent
                continue
            keep = first.setdefault(atom.dimension, name)
            kept = _ATOMS[keep]
            # atom^exponent == atom.scale^e * base^(atom.exponent * e) == f * keep^k
            k = atom.exponent * exponent // kept.exponent  # kept.exponent is 1 or -1
            factor *= atom.scale**exponent / kept.scale**k
            exponents[keep] = exponents.get(keep, 0) + k
        return factor, _make(Fraction(1), tuple((n, e) for n, e in exponents.items() if e))

    def __mul__(self, other: "Unit") -> "Unit":
        if self._has_temperature() or other._has_temperature():
            plain = other if self._has_temperature() else self
            if not plain.is_dimensionless:
                raise UnitError(
                    f"cannot multiply {self.symbol} by {other.symbol}: {_TEMPERATURE_RULE}"
                )
        return _make(self.prefix * other.prefix, _merge(self.factors, other.factors, 1))

    def __truediv__(self, other: "Unit") -> "Unit":
        if other._has_temperature() or (self._has_temperature() and not other.is_dimensionless):
            raise UnitError(f"cannot divide {self.symbol} by {other.symbol}: {_TEMPERATURE_RULE}")
        return _make(self.prefix / other.prefix, _merge(self.factors, other.factors, -1))

    def __pow__(self, exponent: int) -> "Unit":
        if self._has_temperature() and exponent != 1:
            raise UnitError(f"cannot raise {self.symbol} to a power: {_TEMPERATURE_RULE}")
        return _make(
            self.prefix**exponent,
            tuple((n, e * exponent) for n, e in self.factors if e * exponent),
        )

    def __str__(self) -> str:
        return self.symbol

    def _has_temperature(self) -> bool:
        return self.dimension[_TEMPERATURE] != 0


def check_unit(text: str) -> Unit:
    """The unit ``text`` names; UnitError, with a readable reason, if it names none."""
    return Unit.parse(text)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit. ``value`` is stored as a float and is always finite.

    ``+`` and ``-`` need the same dimension and give the left unit; ``*`` and ``/``
    combine the units (a plain number keeps the unit as it is); ``<`` ``<=`` ``>``
    ``>=`` convert before comparing. ``==`` compares value and unit as stored, so
    ``1 L`` and ``1000 mL`` are not ``==``: convert with ``to`` first.
    """

    value: float
    unit: Unit

    def __post_init__(self) -> None:
        value: object = self.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"a quantity's value must be a number, not {value!r}")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise UnitError(f"a quantity's value must be a finite number, not {value!r}")
        object.__setattr__(self, "value", number)

    @classmethod
    def of(cls, value: float, unit: Unit | str) -> Self:
        """``Quantity.of(5, "mL")``: the same as ``Quantity(5, Unit.parse("mL"))``."""
        return cls(value, _unit(unit))

    def to(self, unit: Unit | str) -> "Quantity":
        """This quantity expressed in ``unit``; UnitError if the dimensions differ."""
        target = _unit(unit)
        return Quantity(self.unit.convert(self.value, target), target)

    def __str__(self) -> str:
        if self.unit.factors or self.unit.prefix != 1:
            return f"{self.value:g} {self.unit.symbol}"
        return f"{self.value:g}"

    def __add__(self, other: "Quantity") -> "Quantity":
        if not isinstance(other, Quantity):
            return NotImplemented
        if not self.unit.same_dimension(other.unit):
            raise UnitError(f"cannot add {self.unit.symbol} and {other.unit.symbol}")
        return _result(self.value + other.unit.convert(other.value, self.unit), self.unit)

    def __sub__(self, other: "Quantity") -> "Quantity":
        if not isinstance(other, Quantity):
            return NotImplemented
        if not self.unit.same_dimension(other.unit):
            raise UnitError(f"cannot subtract {other.unit.symbol} from {self.unit.symbol}")
        return _result(self.value - other.unit.convert(other.value, self.unit), self.unit)

    def __mul__(self, other: "Quantity | float") -> "Quantity":
        if isinstance(other, Quantity):
            return _product(self.value * other.value, self.unit * other.unit)
        if _is_number(other):
            return _result(self.value * other, self.unit)
        return NotImplemented

    def __rmul__(self, other: float) -> "Quantity":
        return self * other

    def __truediv__(self, other: "Quantity | float") -> "Quantity":
        if isinstance(other, Quantity):
            if other.value == 0:
                raise ZeroDivisionError("division by zero")
            return _product(self.value / other.value, self.unit / other.unit)
        if _is_number(other):
            if other == 0:
                raise ZeroDivisionError("division by zero")
            return _result(self.value / other, self.unit)
        return NotImplemented

    def __rtruediv__(self, other: float) -> "Quantity":
        if not _is_number(other):
            return NotImplemented
        if self.value == 0:
            raise ZeroDivisionError("division by zero")
        return _product(other / self.value, DIMENSIONLESS / self.unit)

    def __pow__(self, exponent: int) -> "Quantity":
        unit = self.unit**exponent
        try:
            value = self.value**exponent
        except OverflowError:
            raise UnitError("the result is too large") from None
        return _product(value, unit)

    def __neg__(self) -> "Quantity":
        return Quantity(-self.value, self.unit)

    def __abs__(self) -> "Quantity":
        return Quantity(abs(self.value), self.unit)

    def __lt__(self, other: "Quantity") -> bool:
        return self.value < self._converted(other)

    def __le__(self, other: "Quantity") -> bool:
        return self.value <= self._converted(other)

    def __gt__(self, other: "Quantity") -> bool:
        return self.value > self._converted(other)

    def __ge__(self, other: "Quantity") -> bool:
        return self.value >= self._converted(other)

    def _converted(self, other: "Quantity") -> float:
        if not self.unit.same_dimension(other.unit):
            raise UnitError(f"cannot compare {self.unit.symbol} with {other.unit.symbol}")
        return other.unit.convert(other.value, self.unit)


# ---------------------------------------------------------------- helpers


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _unit(unit: Unit | str) -> Unit:
    return unit if isinstance(unit, Unit) else Unit.parse(unit)


def _to_float(value: Fraction) -> float:
    try:
        return float(value)
    except OverflowError:
        raise UnitError("a unit's scale is out of range") from None


def _result(value: float, unit: Unit) -> Quantity:
    if not math.isfinite(value):
        raise UnitError("the result is too large")
    return Quantity(value, unit)


def _product(value: float, unit: Unit) -> Quantity:
    factor, simple = unit.simplify()
    return _result(value * _to_float(factor), simple)


def _merge(left: _Factors, right: _Factors, sign: int) -> _Factors:
    exponents = dict(left)
    for name, exponent in right:
        exponents[name] = exponents.get(name, 0) + sign * exponent
    return tuple((n, e) for n, e in exponents.items() if e)


def _make(prefix: Fraction, factors: _Factors) -> Unit:
    """The Unit for ``prefix`` times the atoms ``factors`` (no zero exponents, no repeats)."""
    if any(abs(e) > _MAX_EXPONENT for _, e in factors):
        raise UnitError(f"a unit's exponent is out of range (at most {_MAX_EXPONENT})")
    if abs(prefix.numerator.bit_length() - prefix.denominator.bit_length()) > _MAX_PREFIX_BITS:
        raise UnitError("a unit's scale is out of range")
    dimension = [0] * len(BASE_DIMENSIONS)
    scale = prefix
    for name, exponent in factors:
        atom = _ATOMS[name]
        if atom.dimension is not None:
            dimension[atom.dimension] += atom.exponent * exponent
        scale *= atom.scale**exponent
    return Unit(tuple(dimension), scale, _symbol(prefix, factors), factors, prefix)


def _symbol(prefix: Fraction, factors: _Factors) -> str:
    def power(name: str, exponent: int) -> str:
        return name if exponent == 1 else f"{name}^{exponent}"

    upper = "*".join(power(n, e) for n, e in factors if e > 0)
    lower = "".join("/" + power(n, -e) for n, e in factors if e < 0)
    if prefix != 1:
        number = _format_number(prefix)
        upper = f"{number} {upper}" if upper else number
    return (upper or "1") + lower


def _format_number(number: Fraction) -> str:
    """A positive fraction as unit text reads it back: "1000", "0.01", "2.5e6", "1e-9"."""
    rest, twos, fives = number.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:  # not a finite decimal, so only ever shown, never read back
        return f"{float(number):.6g}"
    shift = max(twos, fives)
    digits = number.numerator * 10**shift // number.denominator
    exponent = -shift
    while digits % 10 == 0:
        digits, exponent = digits // 10, exponent + 1
    text = str(digits)
    magnitude = exponent + len(text) - 1
    if -5 <= magnitude <= 5:
        return format(Decimal(digits).scaleb(exponent), "f")
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{mantissa}e{magnitude}"


# ---------------------------------------------------------------- reading unit text


class _Token(NamedTuple):
    kind: str
    text: str


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise UnitError(f'unexpected "{text[position]}" in unit "{text}"')
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append(_Token(kind, match.group()))
        position = match.end()
    return tokens


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> Unit:
    if not text:
        raise UnitError("the unit is empty")
    if len(text) > _MAX_TEXT:
        raise UnitError(f"unit text is too long ({len(text)} characters; at most {_MAX_TEXT})")
    tokens = _tokens(text)
    prefix = Fraction(1)
    at = 0
    if tokens[0].kind == "number":
        prefix = _prefix(tokens, text)
        at = 2 if len(tokens) > 1 and tokens[1].kind == "power" else 1
        if at == len(tokens):
            return _make(prefix, ())
    unit = _make(prefix, ())
    sign = 1
    if tokens[at].kind == "op":
        if at == 0:
            raise UnitError(f'unit "{text}" starts with "{tokens[0].text}"')
        sign, at = (-1 if tokens[at].text == "/" else 1), at + 1
    while True:
        if at >= len(tokens):
            raise UnitError(f'unit "{text}" is incomplete')
        token = tokens[at]
        if token.kind != "atom":
            raise UnitError(f'unexpected "{token.text}" in unit "{text}"')
        exponent = 1
        at += 1
        if at < len(tokens) and tokens[at].kind == "power":
            exponent = _power(tokens[at].text, _MAX_EXPONENT, text)
            at += 1
        factor = _make(Fraction(1), ((_atom(token.text), 1),)) ** exponent
        unit = unit * factor if sign == 1 else unit / factor
        if at == len(tokens):
            break
        token = tokens[at]
        if token.kind != "op":
            raise UnitError(f'missing "*" or "/" before "{token.text}" in unit "{text}"')
        sign, at = (-1 if token.text == "/" else 1), at + 1
    return unit


def _prefix(tokens: list[_Token], text: str) -> Fraction:
    number = tokens[0].text
    if len(tokens) > 1 and tokens[1].kind == "power":
        if number != "10":
            raise UnitError(f'only 10 can be raised to a power in unit "{text}"')
        return Fraction(10) ** _power(tokens[1].text, _MAX_PREFIX_EXPONENT, text)
    match = _NUMBER.fullmatch(number)
    assert match is not None
    exponent = int(match["exponent"] or 0)
    if abs(exponent) > _MAX_PREFIX_EXPONENT:
        raise UnitError(f'the number in unit "{text}" is out of range')
    value = Fraction(match["mantissa"]) * Fraction(10) ** exponent
    if value == 0:
        raise UnitError(f'the number in unit "{text}" must not be zero')
    return value


def _power(token: str, limit: int, text: str) -> int:
    exponent = int(token[1:])  # int() allows the spaces after "^"
    if exponent == 0 or abs(exponent) > limit:
        raise UnitError(
            f'exponent {exponent} in unit "{text}" is out of range '
            f"(1 to {limit}, or -{limit} to -1)"
        )
    return exponent


def _atom(name: str) -> str:
    name = name.replace("μ", "µ")  # Greek small mu, as some keyboards type it, to micro sign
    name = _ALIASES.get(name, name)
    if name in _ATOMS:
        return name
    by_case = {known.lower(): known for known in sorted(KNOWN_UNITS - {"1"})}
    close = difflib.get_close_matches(name.lower(), by_case, n=1, cutoff=0.6)
    hint = f' (did you mean "{by_case[close[0]]}"?)' if close else ""
    raise UnitError(f'unknown unit "{name}"{hint}')


DIMENSIONLESS: Unit = _make(Fraction(1), ())
"""The unit of plain numbers, "1"."""
