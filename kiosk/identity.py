"""Label parsing for chain of identity: ISBT 128 DIN and CoI, GS1 material labels.

Facts from ../shared/DOMAIN.md §2-4 (ICCBBA ST-001 restated, GS1 General
Specifications). Every parse returns a typed result or raises `LabelError`
whose message an operator understands. Nothing else escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

GS: Final = "\x1d"
_MOD37: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_DIN_RE: Final = re.compile(r"[A-NP-Z1-9][0-9]{4}[0-9]{2}[0-9]{6}")
_AIM_RE: Final = re.compile(r"^\][A-Za-z][0-9A-Za-z]")


class LabelError(ValueError):
    """A label that is not what it should be; str() is for the operator."""


@dataclass(frozen=True)
class Din:
    """ISBT 128 Donation Identification Number (data structure 001)."""

    din: str  # 13 characters: facility (5), year (2), sequence (6)
    flags: str  # 2 characters, not part of the DIN

    @property
    def facility(self) -> str:
        return self.din[:5]

    @property
    def check_character(self) -> str:
        return din_check_character(self.din)

    @property
    def barcode(self) -> str:
        return f"={self.din}{self.flags}"

    @property
    def keyboard(self) -> str:
        """How the DIN is printed for manual entry: 13 characters, a space, K."""
        return f"{self.din} {self.check_character}"


@dataclass(frozen=True)
class CoiId:
    """ISBT 128 Chain of Identity identifier (data structure 040)."""

    coi: str  # "CH" + 13 characters

    @property
    def barcode(self) -> str:
        return f"&/{self.coi}"


@dataclass(frozen=True)
class Gs1:
    """GS1 element string: the AIs the kiosk uses (01, 10, 11, 17, 21) and any others."""

    gtin: str | None = None
    lot: str | None = None
    production: date | None = None
    expiry: date | None = None
    serial: str | None = None
    other: dict[str, str] = field(default_factory=dict)


def _mod37_value(text: str) -> int:
    total = 0
    for char in text:
        total = ((total + _MOD37.index(char)) * 2) % 37
    return (38 - total) % 37


def din_check_character(din13: str) -> str:
    """ISO/IEC 7064 mod 37-2 keyboard check character K over the 13 DIN characters."""
    if not _DIN_RE.fullmatch(din13):
        raise LabelError(f"{din13!r} is not a donation identification number")
    return _MOD37[_mod37_value(din13)]


def strip_aim(text: str) -> tuple[str | None, str]:
    """Split an AIM symbology identifier (']C0', ']d2', ...) off the front of a read."""
    match = _AIM_RE.match(text)
    if match:
        return match.group(0), text[3:]
    return None, text


def parse_din(text: str) -> Din:
    """A scanned DIN (`=` + 13 + 2 flags), with the type-3 flag checked when present."""
    _, body = strip_aim(text.strip("\r\n"))
    if not body.startswith("="):
        raise LabelError("not an ISBT 128 label — scan the DIN barcode on the bag")
    if len(body) != 16:
        raise LabelError("not a complete DIN — scan the DIN barcode again")
    din, flags = body[1:14], body[14:16]
    if not _DIN_RE.fullmatch(din):
        raise LabelError("DIN has characters that are not allowed — scan again or re-type")
    if not flags.isdigit():
        raise LabelError("DIN flags are not digits — scan again")
    number = int(flags)
    if 60 <= number <= 96 and number - 60 != _mod37_value(din):
        raise LabelError("DIN check wrong (type-3 flag) — scan again or re-type")
    if number >= 97:
        raise LabelError("DIN flags use a reserved value — scan again")
    return Din(din, flags)


def parse_din_keyboard(text: str) -> Din:
    """A DIN typed by hand: 13 characters, optional space, then the check character K."""
    compact = text.strip().upper().replace(" ", "")
    if len(compact) != 14:
        raise LabelError("type the 13 DIN characters and the boxed check character")
    din, check = compact[:13], compact[13]
    if not _DIN_RE.fullmatch(din):
        raise LabelError("DIN has characters that are not allowed — check and re-type")
    if din_check_character(din) != check:
        raise LabelError("check character wrong — scan again or re-type")
    return Din(din, "00")


def parse_coi(text: str) -> CoiId:
    """A chain-of-identity identifier (`&/CH` + DIN-shaped 13 characters)."""
    _, body = strip_aim(text.strip("\r\n"))
    if not body.startswith("&/"):
        raise LabelError("not a chain-of-identity label — scan the CoI barcode")
    coi = body[2:]
    if len(coi) != 15 or not coi.startswith("CH") or not _DIN_RE.fullmatch(coi[2:]):
        raise LabelError("chain-of-identity code is malformed — scan again")
    return CoiId(coi)


def gtin_check_ok(gtin: str) -> bool:
    """GS1 mod-10: weights 3,1,3,... from the right of the data digits."""
    if len(gtin) != 14 or not gtin.isdigit():
        return False
    digits = [int(c) for c in gtin]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def _gs1_date(value: str, ai: str) -> date:
    if len(value) != 6 or not value.isdigit():
        raise LabelError(f"date in ({ai}) is not YYMMDD — scan again")
    year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:6])
    try:
        if day == 0:  # day 00: the last day of the month
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(year, month, day)
    except ValueError as exc:
        raise LabelError(f"date in ({ai}) is not a real date — scan again") from exc


_FIXED: Final = {
    "00": 18,
    "01": 14,
    "02": 14,
    "11": 6,
    "12": 6,
    "13": 6,
    "15": 6,
    "16": 6,
    "17": 6,
    "20": 2,
}


def parse_gs1(text: str) -> Gs1:
    """A GS1 element string with GS separators (AIM ]C1, ]d2, ]Q3, ]e0 or none)."""
    aim, body = strip_aim(text.strip("\r\n"))
    if aim is not None and aim not in ("]C1", "]d2", "]Q3", "]e0"):
        raise LabelError("not a GS1 label — scan the material's GS1 barcode")
    if not body or not body[:2].isdigit():
        raise LabelError("not a GS1 label — scan the material's GS1 barcode")
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(body):
        if body[pos] == GS:  # tolerate unnecessary separators
            pos += 1
            continue
        ai = body[pos : pos + 2]
        if not ai.isdigit():
            raise LabelError("GS1 label is garbled — scan again")
        if ai in _FIXED:
            length = _FIXED[ai]
            value = body[pos + 2 : pos + 2 + length]
            if len(value) != length or not value.isdigit():
                raise LabelError(f"({ai}) is too short — scan again")
            pos += 2 + length
        elif ai in ("10", "21"):
            end = body.find(GS, pos + 2)
            end = len(body) if end < 0 else end
            value = body[pos + 2 : end]
            if not value or len(value) > 20:
                raise LabelError(f"({ai}) is empty or longer than 20 characters — scan again")
            pos = end
        else:
            raise LabelError(f"GS1 application identifier ({ai}) is not supported here")
        if ai in fields:
            raise LabelError(f"({ai}) appears twice — scan again")
        fields[ai] = value
    gtin = fields.get("01")
    if gtin is not None and not gtin_check_ok(gtin):
        raise LabelError("GTIN check digit wrong — scan again or re-type")
    return Gs1(
        gtin=gtin,
        lot=fields.get("10"),
        production=_gs1_date(fields["11"], "11") if "11" in fields else None,
        expiry=_gs1_date(fields["17"], "17") if "17" in fields else None,
        serial=fields.get("21"),
        other={k: v for k, v in fields.items() if k not in ("01", "10", "11", "17", "21")},
    )
