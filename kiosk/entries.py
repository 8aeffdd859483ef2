"""Checking what people type: numbers with their decimals, dates, limits.

Used by the engine at the moment of entry; every refusal is an `ActionRefused`
with a message for the operator.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from kiosk.recipe import Limits
from kiosk.text import Text


class ActionRefused(Exception):
    """The engine refused an action; str() says why in operator words."""


def outside(value: float, limits: Limits | None) -> bool:
    if limits is None:
        return False
    low, high = limits
    return (low is not None and value < low) or (high is not None and value > high)


def fmt_limits(limits: Limits | None, unit: str | None) -> str:
    if limits is None:
        return ""
    low, high = limits
    u = f" {unit}" if unit else ""
    if low is None:
        return f"≤ {high:g}{u}"
    if high is None:
        return f"≥ {low:g}{u}"
    return f"{low:g}–{high:g}{u}"


def parse_number(raw: Any, label: str, decimals: int | None) -> float:
    """A typed or delivered number, with its decimals checked; ActionRefused if not."""
    text = str(raw).strip().replace(",", ".") if not isinstance(raw, int | float) else repr(raw)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ActionRefused(
            Text("{label}: {raw!r} is not a number", label=label, raw=raw)
        ) from None
    if not number.is_finite():
        raise ActionRefused(Text("{label}: {raw!r} is not a number", label=label, raw=raw))
    if decimals is not None and isinstance(raw, str):
        exponent = number.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places > decimals:
            raise ActionRefused(_too_many_places(label, decimals))
    elif decimals is not None and round(float(number), decimals) != float(number):
        raise ActionRefused(_too_many_places(label, decimals))
    return float(number)


def _too_many_places(label: str, decimals: int) -> Text:
    if decimals == 0:
        return Text("{label}: enter a whole number, no decimal places", label=label)
    if decimals == 1:
        return Text("{label}: enter at most 1 decimal place", label=label)
    return Text("{label}: enter at most {decimals} decimal places", label=label, decimals=decimals)


def parse_moment(raw: Any, label: str) -> datetime:
    """A date and time (ISO 8601; naive means UTC) as an aware UTC datetime."""
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime(raw.year, raw.month, raw.day, tzinfo=UTC)
    else:
        try:
            moment = datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ActionRefused(
                Text(
                    "{label}: {raw!r} is not a date and time (YYYY-MM-DD HH:MM)",
                    label=label,
                    raw=raw,
                )
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
