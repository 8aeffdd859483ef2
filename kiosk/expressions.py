"""Formulas and conditions in master recipes, read and evaluated without running code.

A recipe's calculations (``formula``) and conditions (``when``, repeat ``until``) are
small expressions over values recorded earlier in the batch::

    moi * cells_to_transduce / vector_titre
    expansion_day >= 10 or viable_cells >= target_cells
    hours_since(collection_time) <= 72

``parse`` reads the text with Python's own parser (``ast.parse``, which only builds a
syntax tree), checks every node against a short whitelist and turns the tree into a
small tree of our own, which ``evaluate`` walks. The text is never turned into code:
no eval, no exec, no compiling to a code object. What is allowed:

* numbers (``80``, ``2.5``, ``1e6``), text in quotes (``"pass"``), ``True``, ``False``;
* names of recorded values (ASCII letters, digits and "_", not starting with "_");
* ``+ - * /``, ``**`` with a whole-number literal exponent, unary ``+ - not``;
* ``< <= > >= == !=`` (chains such as ``2 <= x < 8`` too), ``and``, ``or``, brackets;
* the functions ``min``, ``max``, ``abs``, ``round(x, ndigits)``, ``sqrt``,
  ``hours_since(time)`` and ``days_between(start, end)``.

``round`` rounds halves away from zero on the number as written (``round(2.675, 2)`` is
2.68), as a person checking by hand would; ``sqrt`` takes plain numbers only;
``hours_since`` counts to the ``now`` given to ``evaluate`` (the clock if none) and gives
hours; ``days_between(start, end)`` is ``end - start`` in days. ``min`` and ``max`` answer
in the unit of their first quantity.

Units go through the arithmetic (see kiosk.units). A number written without a unit
takes the unit of the quantity it is added to or compared with, so ``viability >= 80``
compares in % and ``temperature < -150`` in degC; multiplying or dividing by it keeps the
unit. Quantities compared with ``==`` are converted and then compared exactly. ``and``,
``or`` and ``not`` take yes/no values only: numbers have no truth value. ``and``, ``or``
and chained comparisons stop at the first operand that decides the result, as in Python,
so ``day >= 10 or cells >= target`` needs no cell count once day 10 is reached.

Every problem is an ExpressionError (a ValueError) whose message names the formula and,
where it can, the column.
"""

import ast
import difflib
import functools
import keyword
import math
import operator
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from types import MappingProxyType
from typing import Any, Final, TypeAlias

from kiosk.units import DIMENSIONLESS, Quantity, Unit, UnitError

__all__ = ["FUNCTIONS", "Expression", "ExpressionError", "Value", "parse"]

Value: TypeAlias = Quantity | float | int | bool | str | datetime
"""What a recorded value, and so a name in a formula, can be. Datetimes are aware (UTC)."""

MAX_LENGTH: Final = 500
"""Longest formula text accepted, in characters."""
MAX_DEPTH: Final = 50
"""Deepest nesting of operations accepted."""
MAX_EXPONENT: Final = 100
"""Largest exponent after ``**``, either way."""
MAX_NDIGITS: Final = 15
"""Most decimals ``round`` rounds to, either way."""

FUNCTIONS: Final[Mapping[str, tuple[int, int]]] = MappingProxyType(
    {
        "abs": (1, 1),
        "days_between": (2, 2),
        "hours_since": (1, 1),
        "max": (2, 20),
        "min": (2, 20),
        "round": (1, 2),
        "sqrt": (1, 1),
    }
)
"""The functions a formula can call, with the least and most arguments each takes."""

_HOURS: Final = Unit.parse("h")
_DAYS: Final = Unit.parse("d")
_LARGEST: Final = sys.float_info.max
_ALLOWED_KEYWORDS: Final = frozenset({"and", "or", "not", "True", "False"})
_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_WORDS_AND_TEXT: Final = re.compile(r"""'[^']*'?|"[^"]*"?|(?P<word>[A-Za-z_][A-Za-z0-9_]*)""")
_DECIMAL_CHARACTERS: Final = frozenset("0123456789._eE+-")
_ORDER: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class ExpressionError(ValueError):
    """A formula that cannot be read, or a value it cannot be evaluated on.

    ``text`` is the formula and ``column`` the 1-based column of the problem, when known.
    """

    def __init__(self, message: str, *, text: str | None = None, column: int | None = None):
        super().__init__(message)
        self.text = text
        self.column = column


# ---------------------------------------------------------------- the tree


@dataclass(frozen=True)
class _Node:
    column: int


@dataclass(frozen=True)
class _Literal(_Node):
    value: int | float | bool | str


@dataclass(frozen=True)
class _Name(_Node):
    name: str


@dataclass(frozen=True)
class _Unary(_Node):
    op: str  # "+", "-", "not"
    operand: _Node


@dataclass(frozen=True)
class _Binary(_Node):
    op: str  # "+", "-", "*", "/"; column is the operator's
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Power(_Node):
    base: _Node
    exponent: int


@dataclass(frozen=True)
class _Compare(_Node):
    first: _Node
    rest: tuple[tuple[str, int, _Node], ...]  # (operator, its column, right operand)


@dataclass(frozen=True)
class _Logic(_Node):
    op: str  # "and", "or"
    operands: tuple[_Node, ...]


@dataclass(frozen=True)
class _Call(_Node):
    function: str
    args: tuple[_Node, ...]
    ndigits: int | None = None  # round's second argument, a literal


# ---------------------------------------------------------------- Expression


@dataclass(frozen=True)
class Expression:
    """A parsed formula or condition. Make one with ``parse``."""

    text: str
    names: frozenset[str]
    _root: _Node = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Value], *, now: datetime | None = None) -> Value:
        """The formula's value given the recorded ``values``.

        ``now`` (aware) is the time ``hours_since`` counts to; the current UTC time if
        None. Raises ExpressionError for a missing value, mismatched units, division by
        zero, a result too large to hold, and every other problem.
        """
        return _Evaluator(self.text, values, now).value(self._root)

    def evaluate_bool(self, values: Mapping[str, Value], *, now: datetime | None = None) -> bool:
        """The condition's yes/no value; ExpressionError if the formula gives anything else."""
        result = self.evaluate(values, now=now)
        if not isinstance(result, bool):
            raise _error(f"a condition must be yes or no, not {_describe(result)}", self.text)
        return result

    def result_unit(self, units: Mapping[str, Unit | None]) -> Unit | None:
        """The unit the formula's result will have, worked out without values.

        ``units`` gives each name's unit, or None where the name is not a number with a
        unit (or is not known to be). Returns None when the result is not a number or
        cannot be told; "1" for plain numbers. Raises ExpressionError for an unknown
        name and for a mismatch that no values could make right, such as adding mL to
        kg or comparing text with a number.
        """
        kind = _Checker(self.text, units).kind(self._root)
        if kind.kind != _NUMBER:
            return None
        return kind.unit or DIMENSIONLESS


def parse(text: str) -> Expression:
    """Read a formula; ExpressionError, naming the problem and its column, if it is not one.

    Expressions are immutable, so the last few hundred are kept and parsing a condition
    again at every step costs nothing.
    """
    return _parse(text)


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> Expression:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the formula is too long ({len(text)} characters; at most {MAX_LENGTH})", text=text
        )
    if not text.strip():
        raise _error("the formula is empty", text)
    for index, char in enumerate(text):
        if unicodedata.category(char) in {"Cc", "Cs"} and char not in "\t\r\n":
            raise _error(f"the formula contains a control character ({char!r})", text, index + 1)
    # A formula is one line: line breaks (from YAML) count as spaces, so columns are
    # counted along the whole text.
    source = text.replace("\r", " ").replace("\n", " ")
    try:
        # A warning from the parser ("1if", "\d") is a mistake in a formula: make it an
        # error. (catch_warnings swaps the process-wide filters for the moment of the parse.)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(text, source, exc) from None
    _check_depth(tree.body, text)
    reader = _Reader(text, source)
    root = reader.node(tree.body)
    reader.check_comments()
    return Expression(text, frozenset(reader.names), root)


# ---------------------------------------------------------------- errors


def _error(problem: str, text: str, column: int | None = None) -> ExpressionError:
    where = f'in "{text}"' + (f", column {column}" if column is not None else "")
    return ExpressionError(f"{problem} ({where})", text=text, column=column)


def _syntax_error(text: str, source: str, exc: SyntaxError) -> ExpressionError:
    for match in _WORDS_AND_TEXT.finditer(source):
        word = match["word"]
        if word and keyword.iskeyword(word) and word not in _ALLOWED_KEYWORDS:
            return _error(f'"{word}" is not allowed in a formula', text, match.start() + 1)
    offset = exc.offset or 0
    if offset == 0 or offset > len(source.rstrip()):
        column = len(source) + 1 if offset == 0 else offset
        return ExpressionError(
            f'"{text}" is not a complete expression (column {column})', text=text, column=column
        )
    message = (exc.msg or "invalid syntax").split(" (detected at")[0]
    if message.startswith("invalid syntax"):
        found = re.match(r"[A-Za-z0-9_.]+|\S", source[offset - 1 :])
        unexpected = found.group() if found else source[offset - 1]
        message = f'unexpected "{unexpected}"'
        if unexpected == "=":
            message += ' (write "==" to compare)'
    return _error(message, text, offset)


def _check_depth(root: ast.expr, text: str) -> None:
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _error(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)", text)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


# ---------------------------------------------------------------- reading the syntax tree

_BINARY: Final[dict[type[ast.operator], str]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}
_REFUSED_BINARY: Final[dict[type[ast.operator], str]] = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}
_COMPARE: Final[dict[type[ast.cmpop], str]] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
_REFUSED_COMPARE: Final[dict[type[ast.cmpop], str]] = {
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_REFUSED: Final[dict[type[ast.AST], str]] = {
    ast.Attribute: 'attribute access (".")',
    ast.Subscript: 'indexing ("[...]")',
    ast.Lambda: '"lambda"',
    ast.IfExp: '"if ... else"',
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: '":="',
    ast.Starred: '"*" unpacking',
    ast.List: "a list",
    ast.Tuple: 'a list of values (",")',
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.Await: '"await"',
}


class _Reader:
    """Turns a checked Python syntax tree into our own tree, refusing what is not allowed."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.encoded = source.encode("utf-8")
        self.names: set[str] = set()
        self.strings: list[tuple[int, int]] = []  # spans of text literals, for "#"

    def fail(self, problem: str, column: int | None) -> ExpressionError:
        return _error(problem, self.text, column)

    def start(self, node: ast.expr) -> int:
        """0-based character index where ``node`` starts (ast counts in UTF-8 bytes)."""
        return len(self.encoded[: node.col_offset].decode("utf-8"))

    def end(self, node: ast.expr) -> int:
        end = node.end_col_offset
        assert end is not None
        return len(self.encoded[:end].decode("utf-8"))

    def operator(self, left: ast.expr, right: ast.expr, symbol: str) -> int:
        """1-based column of ``symbol`` between two operands."""
        start = self.end(left)
        return start + self.source[start : self.start(right)].index(symbol) + 1

    def node(self, node: ast.expr) -> _Node:
        column = self.start(node) + 1
        if isinstance(node, ast.Constant):
            return self.constant(node, column)
        if isinstance(node, ast.Name):
            return self.name(node, column)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Invert):
                raise self.fail('"~" is not allowed in a formula', column)
            op = {ast.UAdd: "+", ast.USub: "-", ast.Not: "not"}[type(node.op)]
            return _Unary(column, op, self.node(node.operand))
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return _Logic(column, op, tuple(self.node(v) for v in node.values))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node, column)
        what = _REFUSED.get(type(node), type(node).__name__)
        raise self.fail(f"{what} is not allowed in a formula", column)

    def constant(self, node: ast.Constant, column: int) -> _Node:
        value = node.value
        segment = self.source[column - 1 : self.end(node)]
        if isinstance(value, str):
            self.strings.append((column - 1, self.end(node)))
            return _Literal(column, value)
        if isinstance(value, bool):
            return _Literal(column, value)
        if isinstance(value, int | float) and set(segment) <= _DECIMAL_CHARACTERS:
            if not _finite(value):
                raise self.fail(f"the number {segment} is too large", column)
            return _Literal(column, value)
        if isinstance(value, int):
            raise self.fail(f"{segment} is not a decimal number", column)
        raise self.fail(f'"{segment}" is not allowed in a formula', column)

    def name(self, node: ast.Name, column: int) -> _Node:
        written = self.source[column - 1 : self.end(node)]
        if written != node.id or not _NAME.fullmatch(written):
            if written.startswith("_"):
                raise self.fail(f'names may not start with "_" ("{written}")', column)
            raise self.fail(
                f'"{written}" is not a valid name: use ASCII letters, digits and "_"', column
            )
        if written in FUNCTIONS:
            raise self.fail(f'"{written}" is a function: write {written}(...)', column)
        self.names.add(written)
        return _Name(column, written)

    def binary(self, node: ast.BinOp) -> _Node:
        kind = type(node.op)
        if kind in _REFUSED_BINARY:
            symbol = _REFUSED_BINARY[kind]
            column = self.operator(node.left, node.right, symbol)
            hint = ' (write "**" for a power)' if symbol == "^" else ""
            raise self.fail(f'"{symbol}" is not allowed in a formula{hint}', column)
        symbol = _BINARY[kind]
        column = self.operator(node.left, node.right, symbol)
        if symbol != "**":
            return _Binary(column, symbol, self.node(node.left), self.node(node.right))
        exponent = self.integer_literal(node.right)
        if exponent is None or abs(exponent) > MAX_EXPONENT:
            raise self.fail(
                f"the exponent after ** must be a whole number from -{MAX_EXPONENT} to "
                f"{MAX_EXPONENT}",
                self.start(node.right) + 1,
            )
        return _Power(column, self.node(node.left), exponent)

    def compare(self, node: ast.Compare) -> _Node:
        rest: list[tuple[str, int, _Node]] = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            refused = _REFUSED_COMPARE.get(type(op))
            if refused is not None:
                column = self.operator(left, right, refused.split()[0])
                raise self.fail(f'"{refused}" is not allowed in a formula', column)
            symbol = _COMPARE[type(op)]
            rest.append((symbol, self.operator(left, right, symbol), self.node(right)))
            left = right
        return _Compare(self.start(node) + 1, self.node(node.left), tuple(rest))

    def call(self, node: ast.Call, column: int) -> _Node:
        if not isinstance(node.func, ast.Name):
            raise self.fail("only the functions " + _function_list() + " can be called", column)
        name = node.func.id
        if self.source[column - 1 : self.end(node.func)] != name:
            raise self.fail(f'"{name}" must be written in plain ASCII letters', column)
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name, FUNCTIONS, n=1)
            hint = f'did you mean "{close[0]}"? ' if close else ""
            raise self.fail(
                f'unknown function "{name}" ({hint}functions: {_function_list()})', column
            )
        if node.keywords:
            raise self.fail(f"{name}() takes no named arguments", column)
        least, most = FUNCTIONS[name]
        args = [a for a in node.args if not isinstance(a, ast.Starred)]
        if len(args) < len(node.args):
            raise self.fail('"*" unpacking is not allowed in a formula', column)
        if not least <= len(args) <= most:
            count = str(least) if least == most else f"{least} to {most}"
            raise self.fail(f"{name}() takes {count} arguments, not {len(args)}", column)
        ndigits = None
        if name == "round" and len(args) == 2:
            ndigits = self.integer_literal(args.pop())
            if ndigits is None or abs(ndigits) > MAX_NDIGITS:
                raise self.fail(
                    f"round()'s second argument must be a whole number from -{MAX_NDIGITS} "
                    f"to {MAX_NDIGITS}",
                    column,
                )
        return _Call(column, name, tuple(self.node(a) for a in args), ndigits)

    def check_comments(self) -> None:
        for index, char in enumerate(self.source):
            if char == "#" and not any(a <= index < b for a, b in self.strings):
                raise self.fail('"#" (a comment) is not allowed in a formula', index + 1)

    def integer_literal(self, node: ast.expr) -> int | None:
        """The whole number ``node`` spells out ("2", "-1"), else None."""
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign = -1 if isinstance(node.op, ast.USub) else 1
            node = node.operand
        written = self.source[self.start(node) : self.end(node)]
        if isinstance(node, ast.Constant) and type(node.value) is int and written.isdigit():
            return sign * node.value
        return None


def _function_list() -> str:
    return ", ".join(sorted(FUNCTIONS))


# ---------------------------------------------------------------- evaluating


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _describe(value: Value) -> str:
    if isinstance(value, Quantity):
        return f"a quantity in {value.unit.symbol}"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime):
        return "a date/time"
    return "a number"


def _aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None


class _Evaluator:
    def __init__(self, text: str, values: Mapping[str, Value], now: datetime | None) -> None:
        self.text = text
        self.values = values
        self.now = now

    def fail(self, problem: str, column: int | None) -> ExpressionError:
        return _error(problem, self.text, column)

    def value(self, node: _Node) -> Value:
        if isinstance(node, _Literal):
            return node.value
        if isinstance(node, _Name):
            return self.lookup(node)
        if isinstance(node, _Unary):
            return self.unary(node)
        if isinstance(node, _Binary):
            left, right = self.value(node.left), self.value(node.right)
            return self.arithmetic(node.op, left, right, node.column)
        if isinstance(node, _Power):
            return self.power(node)
        if isinstance(node, _Compare):
            return self.compare(node)
        if isinstance(node, _Logic):
            return self.logic(node)
        assert isinstance(node, _Call)
        return self.call(node)

    def lookup(self, node: _Name) -> Value:
        if node.name not in self.values:
            raise self.fail(f'no value recorded yet for "{node.name}"', node.column)
        value = self.values[node.name]
        if isinstance(value, Quantity | bool | str):
            return value
        if isinstance(value, datetime):
            if not _aware(value):
                raise self.fail(
                    f'the time recorded for "{node.name}" has no time zone', node.column
                )
            return value
        if isinstance(value, int | float):
            if not _finite(value):
                raise self.fail(
                    f'the value recorded for "{node.name}" is not a finite number', node.column
                )
            return value
        raise self.fail(
            f'the value recorded for "{node.name}" is not a number, text, yes/no or time '
            f"({type(value).__name__})",
            node.column,
        )

    def checked(self, value: Value, column: int) -> Value:
        """``value``, unless it is a number too large to hold."""
        if isinstance(value, int | float) and not _finite(value):
            raise self.fail("the result is too large", column)
        return value

    def unary(self, node: _Unary) -> Value:
        operand = self.value(node.operand)
        if node.op == "not":
            if not isinstance(operand, bool):
                raise self.fail(
                    f'"not" needs a yes/no value, not {_describe(operand)}', node.column
                )
            return not operand
        if isinstance(operand, Quantity):
            return -operand if node.op == "-" else operand
        if not _is_number(operand):
            raise self.fail(f'"{node.op}" needs a number, not {_describe(operand)}', node.column)
        assert isinstance(operand, int | float)
        return -operand if node.op == "-" else operand

    def arithmetic(self, op: str, left: Value, right: Value, column: int) -> Value:
        for operand in (left, right):
            if not isinstance(operand, Quantity) and not _is_number(operand):
                hint = ""
                if isinstance(operand, datetime):
                    hint = " (use hours_since or days_between)"
                raise self.fail(
                    f'cannot use {_describe(operand)} in arithmetic ("{op}"){hint}', column
                )
        try:
            return self.checked(_arithmetic(op, left, right), column)
        except UnitError as exc:
            raise self.fail(str(exc), column) from None
        except ZeroDivisionError:
            raise self.fail("division by zero", column) from None

    def power(self, node: _Power) -> Value:
        base = self.value(node.base)
        if not isinstance(base, Quantity) and not _is_number(base):
            raise self.fail(f'cannot use {_describe(base)} in arithmetic ("**")', node.column)
        try:
            if isinstance(base, Quantity):
                return base**node.exponent
            assert isinstance(base, int | float)
            return self.checked(base**node.exponent, node.column)
        except UnitError as exc:
            raise self.fail(str(exc), node.column) from None
        except ZeroDivisionError:
            raise self.fail("division by zero", node.column) from None
        except OverflowError:
            raise self.fail("the result is too large", node.column) from None

    def compare(self, node: _Compare) -> bool:
        left = self.value(node.first)
        for op, column, right_node in node.rest:
            right = self.value(right_node)
            if not self.compare_pair(op, left, right, column):
                return False
            left = right
        return True

    def compare_pair(self, op: str, left: Value, right: Value, column: int) -> bool:
        numeric = (Quantity, int, float)
        if (
            isinstance(left, numeric)
            and isinstance(right, numeric)
            and not (isinstance(left, bool) or isinstance(right, bool))
        ):
            try:
                a, b = _comparable(left, right)
            except UnitError as exc:
                raise self.fail(str(exc), column) from None
            return _order(op, a, b)
        if isinstance(left, datetime) and isinstance(right, datetime):
            return _order(op, left, right)
        for kind, name in ((bool, "yes/no values"), (str, "text")):
            if isinstance(left, kind) and isinstance(right, kind):
                if op not in {"==", "!="}:
                    raise self.fail(f'{name} can only be compared with "==" or "!="', column)
                return (left == right) == (op == "==")
        raise self.fail(f"cannot compare {_describe(left)} with {_describe(right)}", column)

    def logic(self, node: _Logic) -> bool:
        for operand in node.operands:
            value = self.value(operand)
            if not isinstance(value, bool):
                raise self.fail(
                    f'"{node.op}" needs a yes/no value, not {_describe(value)}', operand.column
                )
            if value == (node.op == "or"):
                return value
        return node.op == "and"

    def call(self, node: _Call) -> Value:
        args = [self.value(a) for a in node.args]
        name = node.function
        if name in {"hours_since", "days_between"}:
            times: list[datetime] = []
            for arg in args:
                if not isinstance(arg, datetime):
                    raise self.fail(
                        f"{name}() needs a date/time, not {_describe(arg)}", node.column
                    )
                times.append(arg)
            if name == "hours_since":
                now = self.now if self.now is not None else datetime.now(UTC)
                if not _aware(now):
                    raise self.fail("the current time has no time zone", node.column)
                return Quantity((now - times[0]).total_seconds() / 3600, _HOURS)
            return Quantity((times[1] - times[0]).total_seconds() / 86400, _DAYS)
        numbers: list[Quantity | int | float] = []
        for arg in args:
            if not isinstance(arg, Quantity | int | float) or isinstance(arg, bool):
                raise self.fail(f"{name}() needs a number, not {_describe(arg)}", node.column)
            numbers.append(arg)
        try:
            if name in {"min", "max"}:
                return _extreme(name, numbers)
            (arg,) = numbers
            if name == "abs":
                return abs(arg) if isinstance(arg, Quantity) else (-arg if arg < 0 else arg)
            if name == "sqrt":
                return self.sqrt(arg, node.column)
            number = arg.value if isinstance(arg, Quantity) else arg
            rounded = self.checked(_round(number, node.ndigits), node.column)
            assert isinstance(rounded, int | float)
            return Quantity(rounded, arg.unit) if isinstance(arg, Quantity) else rounded
        except UnitError as exc:
            raise self.fail(str(exc), node.column) from None

    def sqrt(self, arg: Quantity | int | float, column: int) -> float:
        if isinstance(arg, Quantity):
            if not arg.unit.is_dimensionless:
                raise self.fail(f"sqrt() needs a plain number, not {_describe(arg)}", column)
            arg = arg.unit.convert(arg.value, DIMENSIONLESS)
        if arg < 0:
            raise self.fail("sqrt() of a negative number", column)
        return math.sqrt(arg)


def _finite(value: int | float) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return abs(value) <= _LARGEST


def _arithmetic(op: str, left: Value, right: Value) -> Value:
    """``left op right`` for numbers and quantities; a plain number takes the other's unit."""
    if isinstance(left, Quantity) and isinstance(right, Quantity):
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        return left * right if op == "*" else left / right
    assert isinstance(left, int | float | Quantity)
    assert isinstance(right, int | float | Quantity)
    if isinstance(left, Quantity):
        assert isinstance(right, int | float)
        if op in {"+", "-"}:
            value = left.value + right if op == "+" else left.value - right
            return _quantity(value, left.unit)
        return left * right if op == "*" else left / right
    if isinstance(right, Quantity):
        if op in {"+", "-"}:
            value = left + right.value if op == "+" else left - right.value
            return _quantity(value, right.unit)
        return left * right if op == "*" else left / right
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    return left * right if op == "*" else left / right


def _quantity(value: float, unit: Unit) -> Quantity:
    if not math.isfinite(value):
        raise UnitError("the result is too large")
    return Quantity(value, unit)


def _comparable(left: Quantity | int | float, right: Quantity | int | float) -> tuple[float, float]:
    """Both sides as numbers in one unit: the left quantity's, else the right's."""
    if isinstance(left, Quantity):
        if isinstance(right, Quantity):
            if not left.unit.same_dimension(right.unit):
                raise UnitError(f"cannot compare {left.unit.symbol} with {right.unit.symbol}")
            return left.value, right.unit.convert(right.value, left.unit)
        return left.value, right
    if isinstance(right, Quantity):
        return left, right.value
    return left, right


def _order(op: str, a: float | datetime, b: float | datetime) -> bool:
    return bool(_ORDER[op](a, b))


def _extreme(name: str, args: list[Quantity | int | float]) -> Value:
    """min() or max(): in the first quantity's unit; plain numbers take that unit."""
    unit = next((a.unit for a in args if isinstance(a, Quantity)), None)
    plain: list[float] = []
    for arg in args:
        if isinstance(arg, Quantity):
            assert unit is not None
            if not arg.unit.same_dimension(unit):
                raise UnitError(f"cannot compare {unit.symbol} with {arg.unit.symbol}")
            plain.append(arg.unit.convert(arg.value, unit))
        else:
            plain.append(arg)
    best = min(plain) if name == "min" else max(plain)
    return best if unit is None else Quantity(best, unit)


def _round(number: int | float, ndigits: int | None) -> int | float:
    """Half away from zero on the number as written (2.675 -> 2.68), unlike Python's round."""
    if isinstance(number, int) and (ndigits is None or ndigits >= 0):
        return number
    exact = Decimal(number) if isinstance(number, int) else Decimal(repr(number))
    step = Decimal(1).scaleb(-(ndigits or 0))
    result = exact.quantize(step, rounding=ROUND_HALF_UP, context=Context(prec=400))
    if ndigits is None or isinstance(number, int):
        return int(result)
    return float(result)


# ---------------------------------------------------------------- checking units without values

_NUMBER: Final = "number"
_BOOL: Final = "yes/no value"
_TEXT: Final = "text"
_TIME: Final = "date/time"
_UNKNOWN: Final = "unknown"


@dataclass(frozen=True)
class _Kind:
    kind: str
    unit: Unit | None = None  # for numbers: None for a plain number

    def describe(self) -> str:
        if self.kind == _NUMBER:
            return "a number" if self.unit is None else f"a quantity in {self.unit.symbol}"
        return {_BOOL: "a yes/no value", _TEXT: "text", _TIME: "a date/time"}[self.kind]


_UNKNOWN_KIND: Final = _Kind(_UNKNOWN)
_BOOL_KIND: Final = _Kind(_BOOL)


class _Checker:
    """Works out the kind and unit of each node from the names' units alone."""

    def __init__(self, text: str, units: Mapping[str, Unit | None]) -> None:
        self.text = text
        self.units = units

    def fail(self, problem: str, column: int | None) -> ExpressionError:
        return _error(problem, self.text, column)

    def kind(self, node: _Node) -> _Kind:
        if isinstance(node, _Literal):
            value = node.value
            if isinstance(value, bool):
                return _BOOL_KIND
            return _Kind(_TEXT) if isinstance(value, str) else _Kind(_NUMBER)
        if isinstance(node, _Name):
            if node.name not in self.units:
                close = difflib.get_close_matches(node.name, self.units, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise self.fail(f'unknown name "{node.name}"{hint}', node.column)
            unit = self.units[node.name]
            return _UNKNOWN_KIND if unit is None else _Kind(_NUMBER, unit)
        if isinstance(node, _Unary):
            operand = self.kind(node.operand)
            if node.op == "not":
                self.need(operand, _BOOL, '"not"', node.column)
                return _BOOL_KIND
            self.need(operand, _NUMBER, f'"{node.op}"', node.column)
            return operand
        if isinstance(node, _Binary):
            return self.binary(node)
        if isinstance(node, _Power):
            base = self.kind(node.base)
            self.need(base, _NUMBER, '"**"', node.column)
            unit = base.unit
            if unit is None:
                return base
            exponent = node.exponent
            return self.unit_of(lambda: unit**exponent, node.column)
        if isinstance(node, _Compare):
            left = self.kind(node.first)
            for op, column, right_node in node.rest:
                right = self.kind(right_node)
                self.compare(op, left, right, column)
                left = right
            return _BOOL_KIND
        if isinstance(node, _Logic):
            for part in node.operands:
                self.need(self.kind(part), _BOOL, f'"{node.op}"', part.column)
            return _BOOL_KIND
        assert isinstance(node, _Call)
        return self.call(node)

    def need(self, kind: _Kind, wanted: str, what: str, column: int) -> None:
        if kind.kind not in {wanted, _UNKNOWN}:
            raise self.fail(f"{what} needs a {wanted}, not {kind.describe()}", column)

    def unit_of(self, make: Callable[[], Unit], column: int) -> _Kind:
        try:
            return _Kind(_NUMBER, make().simplify()[1])
        except UnitError as exc:
            raise self.fail(str(exc), column) from None

    def binary(self, node: _Binary) -> _Kind:
        left, right = self.kind(node.left), self.kind(node.right)
        for side in (left, right):
            if side.kind not in {_NUMBER, _UNKNOWN}:
                raise self.fail(
                    f'cannot use {side.describe()} in arithmetic ("{node.op}")', node.column
                )
        if _UNKNOWN in {left.kind, right.kind}:
            return _UNKNOWN_KIND
        a, b = left.unit, right.unit
        if node.op in {"+", "-"}:
            if a is not None and b is not None and not a.same_dimension(b):
                verb = f"cannot add {a.symbol} and {b.symbol}"
                if node.op == "-":
                    verb = f"cannot subtract {b.symbol} from {a.symbol}"
                raise self.fail(verb, node.column)
            return left if a is not None else right
        if b is None:
            return left
        if a is None:
            if node.op == "*":
                return right
            a = DIMENSIONLESS
        top, bottom = a, b
        if node.op == "*":
            return self.unit_of(lambda: top * bottom, node.column)
        return self.unit_of(lambda: top / bottom, node.column)

    def compare(self, op: str, left: _Kind, right: _Kind, column: int) -> None:
        if _UNKNOWN in {left.kind, right.kind}:
            return
        if left.kind != right.kind:
            raise self.fail(f"cannot compare {left.describe()} with {right.describe()}", column)
        if left.kind in {_BOOL, _TEXT} and op not in {"==", "!="}:
            name = "yes/no values" if left.kind == _BOOL else "text"
            raise self.fail(f'{name} can only be compared with "==" or "!="', column)
        a, b = left.unit, right.unit
        if a is not None and b is not None and not a.same_dimension(b):
            raise self.fail(f"cannot compare {a.symbol} with {b.symbol}", column)

    def call(self, node: _Call) -> _Kind:
        args = [self.kind(a) for a in node.args]
        name = node.function
        if name in {"hours_since", "days_between"}:
            for arg in args:
                if arg.kind not in {_TIME, _UNKNOWN}:
                    raise self.fail(
                        f"{name}() needs a date/time, not {arg.describe()}", node.column
                    )
            return _Kind(_NUMBER, _HOURS if name == "hours_since" else _DAYS)
        for arg in args:
            if arg.kind not in {_NUMBER, _UNKNOWN}:
                raise self.fail(f"{name}() needs a number, not {arg.describe()}", node.column)
        if name == "sqrt":
            unit = args[0].unit
            if unit is not None and not unit.is_dimensionless:
                raise self.fail(
                    f"sqrt() needs a plain number, not a quantity in {unit.symbol}", node.column
                )
            return _Kind(_NUMBER)
        if any(a.kind == _UNKNOWN for a in args):
            return _UNKNOWN_KIND
        if name in {"min", "max"}:
            units = [a.unit for a in args if a.unit is not None]
            for other in units[1:]:
                if not units[0].same_dimension(other):
                    raise self.fail(
                        f"cannot compare {units[0].symbol} with {other.symbol}", node.column
                    )
            return _Kind(_NUMBER, units[0] if units else None)
        return args[0]
