"""How values, units, limits, times and signatures are written on screen (no Qt)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from kiosk.entries import fmt_limits
from kiosk.recipe import Limits

UNIT_SHOWN = {
    "degC": "°C",
    "1e6 cells": "million cells",
    "1e6 TU/mL": "million TU/mL",
    "1e6 cells/mL": "million cells/mL",
    "1": "",
}

_NUMBERS = {"decimal": "."}
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def set_decimal_separator(separator: str) -> None:
    """Numbers on screen in the user's language ("99,8 g" in German); records keep floats."""
    _NUMBERS["decimal"] = separator


def decimal_separator() -> str:
    return _NUMBERS["decimal"]


def local_number(text: str) -> str:
    """A text with numbers written the user's way (only a point between two digits changes)."""
    sep = _NUMBERS["decimal"]
    return text if sep == "." else _DECIMAL_POINT.sub(sep, text)


def unit_text(unit: str | None) -> str:
    if not unit:
        return ""
    return UNIT_SHOWN.get(unit, unit)


def value_text(value: Any, unit: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        shown = local_number(f"{value:g}" if abs(value) < 1e6 else f"{value:.4g}")
    else:
        shown = str(value)  # a text (a lot number "A1.2") is shown as it was typed
    u = unit_text(unit)
    return f"{shown} {u}".strip()


def limits_text(limits: Limits | None, unit: str | None) -> str:
    return local_number(fmt_limits(limits, unit_text(unit) or None)) if limits else ""


_DATE_FORMAT = {"minutes": "%Y-%m-%d %H:%M", "seconds": "%Y-%m-%d %H:%M:%S"}


def set_date_format(minutes: str, seconds: str) -> None:
    """Dates on screen in the user's language (records keep UTC ISO timestamps)."""
    _DATE_FORMAT["minutes"], _DATE_FORMAT["seconds"] = minutes, seconds


def local_time(ts: str | None, *, seconds: bool = False) -> str:
    """An event timestamp (UTC, ISO) in the station's local time."""
    if not ts:
        return ""
    moment = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone()
    return moment.strftime(_DATE_FORMAT["seconds" if seconds else "minutes"])


def duration_text(delta: timedelta) -> str:
    total = int(abs(delta.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    sign = "-" if delta.total_seconds() < 0 else ""
    return f"{sign}{hours:d}:{minutes:02d}:{seconds:02d}"
