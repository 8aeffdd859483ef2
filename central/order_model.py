"""What an order from upstream carries, and how its JSON and CSV forms are read (no database).

An order (from the orchestration or ERP system, ``POST /api/v1/orders`` or ``central orders add``)
names the therapy it is for: the order ID, a pseudonymous patient ID (never a name), the Chain of
Identity identifier (ISBT 128 data structure 040, ``&/CH`` + 13 characters, or typed as ``CH`` +
13 characters + the ISO 7064 mod 37-2 check character), every collection DIN it expects (typed
with the check character, or as the barcode ``=`` + 13 + flags), the patient's weight and who
entered and witnessed it, the collection date-time with its time zone, the shipment, the recipe
and the due date. Every field is checked here; the checks that need the server's data (a known
recipe, the recipe's weight range, an order ID not used before) are in :mod:`central.orders`.
"""

import csv
import io
import json
import re
from datetime import date, datetime
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.identity import LabelError, din_check_character, parse_coi, parse_din, parse_din_keyboard

ORDER_ID: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
MAX_DINS: Final = 10
MAX_ORDERS: Final = 1000  # in one file
CSV_COLUMNS: Final = (
    "order_id",
    "patient_id",
    "coi",
    "dins",
    "weight_kg",
    "weight_entered_by",
    "weight_witnessed_by",
    "collection_time",
    "shipment",
    "recipe",
    "due",
)
_COI_TYPED: Final = re.compile(r"CH([A-Z0-9]{13})([0-9A-Z*])")

Text = Annotated[str, Field(min_length=1, max_length=64)]


class OrderError(ValueError):
    """A refused order; ``str()`` is one line naming the field."""


def coi_of(text: str) -> str:
    """The 15-character CoI (``CH`` + 13) from ``&/CH…`` or from ``CH…`` + check character."""
    value = text.strip()
    if value.startswith("&/"):
        try:
            return parse_coi(value).coi
        except LabelError as exc:
            raise ValueError(f"{exc} ({value!r})") from None
    value = value.upper()
    match = _COI_TYPED.fullmatch(value.replace(" ", ""))
    if match is None:
        raise ValueError(
            "a CoI is &/CH + 13 characters (barcode) or CH + 13 characters + the check character"
        )
    try:
        parse_coi("&/CH" + match.group(1))
    except LabelError as exc:
        raise ValueError(str(exc)) from None
    if din_check_character(match.group(1)) != match.group(2):
        raise ValueError(f"check character of CoI {value!r} is wrong")
    return "CH" + match.group(1)


def din_of(text: str) -> str:
    """The 13 DIN characters from the barcode (``=`` + 15) or the typed form (13 + check)."""
    value = text.strip()
    try:
        return (parse_din(value) if value.startswith("=") else parse_din_keyboard(value)).din
    except LabelError as exc:
        raise ValueError(f"DIN {value!r}: {exc}") from None


class OrderIn(BaseModel):
    """One order as the upstream system sends it (``POST /api/v1/orders``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    order_id: Annotated[str, Field(pattern=ORDER_ID, description="unique, never reused")]
    patient_id: Annotated[str, Field(pattern=ORDER_ID, description="pseudonymous; no name")]
    coi: Annotated[str, Field(description="&/CH + 13 characters, or CH + 13 + check character")]
    dins: Annotated[
        list[str],
        Field(min_length=1, max_length=MAX_DINS, description="every expected collection DIN"),
    ]
    weight_kg: Annotated[float, Field(gt=0, le=500, description="checked against the recipe")]
    weight_entered_by: Text
    weight_witnessed_by: Text
    collection_time: Annotated[datetime, Field(description="with its time zone")]
    shipment: Literal["frozen", "fresh"]
    recipe: Annotated[str, Field(pattern=ORDER_ID, description="a recipe ID on the server")]
    due: date

    @field_validator("coi")
    @classmethod
    def _coi(cls, value: str) -> str:
        return coi_of(value)

    @field_validator("dins")
    @classmethod
    def _dins(cls, values: list[str]) -> list[str]:
        dins = [din_of(v) for v in values]
        if len(set(dins)) != len(dins):
            raise ValueError("a DIN is listed twice")
        return dins

    @model_validator(mode="after")
    def _consistent(self) -> "OrderIn":
        if self.collection_time.tzinfo is None:
            raise ValueError("collection_time: give the time zone (e.g. 2026-12-01T09:00:00+01:00)")
        if self.weight_entered_by == self.weight_witnessed_by:
            raise ValueError("weight_witnessed_by: the witness is another person than who entered")
        if self.due < self.collection_time.date():
            raise ValueError("due: the due date is before the collection")
        return self

    def payload(self) -> dict[str, Any]:
        """The order as kept in ``order.*`` events (JSON types only)."""
        return self.model_dump(mode="json")


def one_line(exc: ValidationError, where: str = "") -> str:
    """The first problem of a pydantic error as one line naming the field."""
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "order"
    message = str(first["msg"]).removeprefix("Value error, ")
    if message.startswith(f"{field}:"):
        return f"{where}{message}"
    return f"{where}{field}: {message}"


def parse_order(data: Any, where: str = "") -> OrderIn:
    """One order from parsed JSON (a dict); ``OrderError`` naming the field otherwise."""
    if not isinstance(data, dict):
        raise OrderError(f"{where}an order is a JSON object")
    try:
        return OrderIn.model_validate(data)
    except ValidationError as exc:
        raise OrderError(one_line(exc, where)) from None


def parse_json(text: str) -> list[OrderIn]:
    """Orders from JSON: one object or a list of objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OrderError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    items = data if isinstance(data, list) else [data]
    if not items or len(items) > MAX_ORDERS:
        raise OrderError(f"a file holds 1 to {MAX_ORDERS} orders")
    many = isinstance(data, list)
    return [parse_order(item, f"order {i}: " if many else "") for i, item in enumerate(items, 1)]


def parse_csv(text: str) -> list[OrderIn]:
    """Orders from CSV with a header row of :data:`CSV_COLUMNS`; DINs separated by ``;``."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or [c.strip() for c in rows[0]] != list(CSV_COLUMNS):
        raise OrderError(f"the CSV header must be: {','.join(CSV_COLUMNS)}")
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if not body or len(body) > MAX_ORDERS:
        raise OrderError(f"a file holds 1 to {MAX_ORDERS} orders")
    orders = []
    for line, row in enumerate(body, 2):
        if len(row) != len(CSV_COLUMNS):
            raise OrderError(f"line {line}: {len(row)} columns, expected {len(CSV_COLUMNS)}")
        data: dict[str, Any] = dict(zip(CSV_COLUMNS, row, strict=True))
        data["dins"] = [d for d in str(data["dins"]).split(";") if d.strip()]
        orders.append(parse_order(data, f"line {line}: "))
    return orders


def parse_file(name: str, raw: bytes) -> list[OrderIn]:
    """Orders from a ``.json`` or ``.csv`` file's bytes (UTF-8)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OrderError(f"{name}: not UTF-8 text") from None
    if "\x00" in text:
        raise OrderError(f"{name}: contains a NUL character")
    lower = name.lower()
    if lower.endswith(".json"):
        return parse_json(text)
    if lower.endswith(".csv"):
        return parse_csv(text)
    raise OrderError(f"{name}: an orders file is .json or .csv")
