"""Label parsing for chain of identity: ISBT 128 data structures, GS1 material labels.

Facts from ../shared/DOMAIN.md §2-4 (ICCBBA ST-001 restated, GS1 General
Specifications, AIM ISO/IEC 15424). Every parse returns a typed, frozen result
or raises `LabelError` whose message an operator understands. Nothing else
escapes, for any `str` input (and any `bytes` given to `parse_label_bytes`).

Entry points:

- `parse_label(text)`: one scanner read, AIM prefix or not; ISBT 128 (one
  structure, several concatenated by the scanner, or a compound message) or
  GS1. Returns a `Label` listing every structure found.
- `parse_isbt(text)`, `parse_compound(text)`, `parse_gs1(text)`: one kind only.
- `parse_din`, `parse_din_keyboard`, `parse_coi`: what the execution engine
  asks for at a scan step.

Every ISBT 128 structure is recognised by its data identifier (DI), then its
exact length and character set are checked before anything is interpreted:
a string that merely starts like a structure is not one.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import ClassVar, Final, Literal, TypeVar

from kiosk.text import Text

__all__ = [
    "GS",
    "AboRhD",
    "CoiId",
    "CollectionDate",
    "CollectionDateTime",
    "Compound",
    "DataStructure",
    "Din",
    "DonorId",
    "Expiration",
    "Gs1",
    "IsbtStructure",
    "Label",
    "LabelError",
    "ProcessingFacility",
    "ProductCode",
    "SingleEuropeanCode",
    "StaffId",
    "din_check_character",
    "gtin_check_ok",
    "parse_coi",
    "parse_coi_keyboard",
    "parse_compound",
    "parse_din",
    "parse_din_keyboard",
    "parse_gs1",
    "parse_isbt",
    "parse_label",
    "parse_label_bytes",
    "strip_aim",
]

GS: Final = "\x1d"
_MOD37: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_FACILITY: Final = r"[A-NP-Z1-9][0-9]{4}"  # α pppp: no letter O, no leading zero
_DIN_RE: Final = re.compile(_FACILITY + r"[0-9]{2}[0-9]{6}")
_AIM_RE: Final = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_DIGITS_RE: Final = re.compile(r"[0-9]+")  # str.isdigit() also accepts '²' and '٣'
# GS1 character set 82 (GS1 General Specifications §7.11): the characters a
# variable-length field such as a lot or serial may hold.
_CSET82_RE: Final = re.compile(r"""[!"%-?A-Z_a-z]+""")

# AIM symbology identifiers (DOMAIN.md §4).
ISBT_AIMS: Final = frozenset({"]C0", "]C4", "]d1", "]Q1"})
GS1_AIMS: Final = frozenset({"]C1", "]d2", "]Q3", "]e0"})

_T = TypeVar("_T")


class LabelError(ValueError):
    """A label that is not what it should be; str() is for the operator."""


def _digits(text: str) -> bool:
    """ASCII digits only (unlike str.isdigit)."""
    return _DIGITS_RE.fullmatch(text) is not None


def _minutes(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _julian_digits(day: date) -> str:
    """cyyjjj for a date in 2000-2999 (the inverse of `_julian`)."""
    century, yy = divmod(day.year - 2000, 100)
    return f"{century}{yy:02d}{day.timetuple().tm_yday:03d}"


# ---------------------------------------------------------------- ISBT 128 structures


@dataclass(frozen=True)
class Din:
    """ISBT 128 Donation Identification Number (data structure 001)."""

    structure: ClassVar[str] = "001"
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

    def as_fields(self) -> dict[str, str]:
        return {"din": self.din, "flags": self.flags, "check_character": self.check_character}


@dataclass(frozen=True)
class AboRhD:
    """ABO/RhD blood groups (data structure 002): four characters, kept as coded."""

    structure: ClassVar[str] = "002"
    code: str

    @property
    def barcode(self) -> str:
        return f"=%{self.code}"

    def as_fields(self) -> dict[str, str]:
        return {"abo_rhd": self.code}


# Collection types t named in DOMAIN.md §2. Other characters are accepted and
# kept as coded: DOMAIN's own examples (`S12954A0`, `S11804A0`) carry `4`, so
# the standard has more values than the ones we were told about.
COLLECTION_TYPES: Final = {
    "1": "autologous use only",
    "X": "autologous, biohazard",
    "A": "autologous, eligible for crossover",
    "V": "volunteer allogeneic",
    "0": "not specified",
}


@dataclass(frozen=True)
class ProductCode:
    """Product code (data structure 003): αoooo (description), t (collection type), ds."""

    structure: ClassVar[str] = "003"
    code: str  # 8 characters

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def description_code(self) -> str:
        return self.code[:5]

    @property
    def collection_type(self) -> str:
        return self.code[5]

    @property
    def division(self) -> str:
        return self.code[6:]

    @property
    def cellular_therapy(self) -> bool:
        return self.family == "S"

    @property
    def autologous(self) -> bool:
        return self.collection_type in ("1", "X", "A")

    @property
    def collection_type_name(self) -> str | None:
        return COLLECTION_TYPES.get(self.collection_type)

    @property
    def barcode(self) -> str:
        return f"=<{self.code}"

    def as_fields(self) -> dict[str, str]:
        fields = {
            "product_code": self.code,
            "family": self.family,
            "collection_type": self.collection_type,
            "division": self.division,
        }
        if self.collection_type_name is not None:
            fields["collection"] = self.collection_type_name
        return fields


@dataclass(frozen=True)
class Expiration:
    """Expiration date and time (data structure 005), local time at the facility."""

    structure: ClassVar[str] = "005"
    when: datetime  # naive: ISBT 128 carries no time zone

    @property
    def barcode(self) -> str:
        return f"&>{_julian_digits(self.when.date())}{self.when:%H%M}"

    def as_fields(self) -> dict[str, str]:
        return {"expiry": _minutes(self.when)}


@dataclass(frozen=True)
class CollectionDate:
    """Collection date (data structure 006)."""

    structure: ClassVar[str] = "006"
    day: date

    @property
    def barcode(self) -> str:
        return f"=*{_julian_digits(self.day)}"

    def as_fields(self) -> dict[str, str]:
        return {"collection_date": self.day.isoformat()}


@dataclass(frozen=True)
class CollectionDateTime:
    """Collection date and time (data structure 007), local time at the facility."""

    structure: ClassVar[str] = "007"
    when: datetime  # naive

    @property
    def barcode(self) -> str:
        return f"&*{_julian_digits(self.when.date())}{self.when:%H%M}"

    def as_fields(self) -> dict[str, str]:
        return {"collected": _minutes(self.when)}


@dataclass(frozen=True)
class DonorId:
    """Donor identification number (data structure 019): facility αpppp + 16 digits."""

    structure: ClassVar[str] = "019"
    donor: str  # 21 characters

    @property
    def facility(self) -> str:
        return self.donor[:5]

    @property
    def barcode(self) -> str:
        return f"=;{self.donor}"

    def as_fields(self) -> dict[str, str]:
        return {"donor_id": self.donor}


@dataclass(frozen=True)
class StaffId:
    """Staff member identification (data structure 020): facility αpppp + 6."""

    structure: ClassVar[str] = "020"
    staff: str  # 11 characters

    @property
    def facility(self) -> str:
        return self.staff[:5]

    @property
    def barcode(self) -> str:
        return f"='{self.staff}"

    def as_fields(self) -> dict[str, str]:
        return {"staff_id": self.staff}


@dataclass(frozen=True)
class ProcessingFacility:
    """Processing facility information code (data structure 033): FIN(P) + product code."""

    structure: ClassVar[str] = "033"
    fin: str  # 5 characters, αpppp
    product_code: str  # 6 characters, the facility's own

    @property
    def barcode(self) -> str:
        return f"&+{self.fin}{self.product_code}"

    def as_fields(self) -> dict[str, str]:
        return {"fin": self.fin, "facility_product_code": self.product_code}


@dataclass(frozen=True)
class CoiId:
    """ISBT 128 Chain of Identity identifier (data structure 040)."""

    structure: ClassVar[str] = "040"
    coi: str  # "CH" + 13 characters

    @property
    def barcode(self) -> str:
        return f"&/{self.coi}"

    def as_fields(self) -> dict[str, str]:
        return {"coi": self.coi}


@dataclass(frozen=True)
class SingleEuropeanCode:
    """The Single European Code (SEC) carried in ISBT 128 under DI `&,` + `4`.

    Assumption, worked out from DOMAIN.md's valid compound message: it declares
    5 structures, and after DIN (16), ABO/RhD (6), product code (10) and
    expiration (12) the rest, `&,4PL001499Z549917123456A00T041600320181231`, is
    one structure of 43 characters: DI `&,` + `4` + 40. The 40 match the SEC
    layout of Commission Directive (EU) 2015/565, Annex VII (public law):
    donation identification sequence = EU tissue establishment code (country 2 +
    establishment 6) + unique donation number (13); product identification
    sequence = coding system (1; A = ISBT 128, B = Eurocode, E = EUTC) + product
    number (7) + split number (3) + expiry date YYYYMMDD (8, `00000000` when no
    expiry applies). HL7 FHIR's BiologicallyDerivedProduct example
    `autologousHCT` carries the same SEC. Other `&,` structures are refused.
    """

    structure: ClassVar[str] = "SEC"
    te_code: str
    donation: str
    coding_system: str
    product: str
    split: str
    expiry: date | None

    @property
    def barcode(self) -> str:
        expiry = "00000000" if self.expiry is None else f"{self.expiry:%Y%m%d}"
        return (
            f"&,4{self.te_code}{self.donation}{self.coding_system}{self.product}"
            f"{self.split}{expiry}"
        )

    def as_fields(self) -> dict[str, str]:
        return {
            "sec_te_code": self.te_code,
            "sec_donation": self.donation,
            "sec_coding_system": self.coding_system,
            "sec_product": self.product,
            "sec_split": self.split,
            "sec_expiry": "none" if self.expiry is None else self.expiry.isoformat(),
        }


@dataclass(frozen=True)
class Compound:
    """Compound message (data structure 023): `=+aabbb` then aa structures back to back."""

    structure: ClassVar[str] = "023"
    count: int
    order: str  # bbb; "000" = no defined order
    structures: tuple[DataStructure, ...]

    @property
    def barcode(self) -> str:
        return f"=+{self.count:02d}{self.order}" + "".join(s.barcode for s in self.structures)

    def as_fields(self) -> dict[str, str]:
        return {"compound_count": str(self.count), "compound_order": self.order}


DataStructure = (
    Din
    | AboRhD
    | ProductCode
    | Expiration
    | CollectionDate
    | CollectionDateTime
    | DonorId
    | StaffId
    | ProcessingFacility
    | CoiId
    | SingleEuropeanCode
)
IsbtStructure = DataStructure | Compound


# ---------------------------------------------------------------- GS1


@dataclass(frozen=True)
class Gs1:
    """GS1 element string: the AIs the kiosk uses (01, 10, 11, 17, 21) and any others."""

    gtin: str | None = None
    lot: str | None = None
    production: date | None = None
    expiry: date | None = None
    serial: str | None = None
    other: dict[str, str] = field(default_factory=dict)

    def as_fields(self) -> dict[str, str]:
        named = {
            "gtin": self.gtin,
            "lot": self.lot,
            "production": self.production.isoformat() if self.production else None,
            "expiry": self.expiry.isoformat() if self.expiry else None,
            "serial": self.serial,
        }
        fields = {k: v for k, v in named.items() if v is not None}
        fields.update({f"({ai})": value for ai, value in self.other.items()})
        return fields


# ---------------------------------------------------------------- one read


@dataclass(frozen=True)
class Label:
    """Everything found in one scanner read."""

    kind: Literal["isbt128", "gs1"]
    aim: str | None = None
    structures: tuple[DataStructure, ...] = ()  # ISBT: in read order (a compound's contents)
    compound: Compound | None = None  # the compound message, when the read was one
    gs1: Gs1 | None = None

    @property
    def concatenated(self) -> bool:
        """The scanner joined several linear codes (AIM ]C4, or several structures)."""
        return self.aim == "]C4" or (self.compound is None and len(self.structures) > 1)

    def find(self, kind: type[_T]) -> _T | None:
        """The structure of that type in this read, if any (`label.find(Din)`)."""
        for structure in self.structures:
            if isinstance(structure, kind):
                return structure
        return None

    def as_fields(self) -> dict[str, str]:
        """Flat name → text of everything read, for display and JSON."""
        if self.gs1 is not None:
            return self.gs1.as_fields()
        fields = self.compound.as_fields() if self.compound is not None else {}
        for structure in self.structures:
            fields.update(structure.as_fields())
        return fields


# ---------------------------------------------------------------- checks


def _mod37_value(text: str) -> int:
    total = 0
    for char in text:
        total = ((total + _MOD37.index(char)) * 2) % 37
    return (38 - total) % 37


def din_check_character(din13: str) -> str:
    """ISO/IEC 7064 mod 37-2 keyboard check character K over the 13 DIN characters."""
    if not _DIN_RE.fullmatch(din13):
        raise LabelError(Text("{din13!r} is not a donation identification number", din13=din13))
    return _MOD37[_mod37_value(din13)]


def _mod10_ok(number: str) -> bool:
    """GS1 mod-10 over ASCII digits: weights 3,1,3,... from the right of the data digits."""
    digits = [int(c) for c in number]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def gtin_check_ok(gtin: str) -> bool:
    """GS1 mod-10: weights 3,1,3,... from the right of the data digits."""
    return len(gtin) == 14 and _digits(gtin) and _mod10_ok(gtin)


def strip_aim(text: str) -> tuple[str | None, str]:
    """Split an AIM symbology identifier (']C0', ']d2', ...) off the front of a read."""
    match = _AIM_RE.match(text)
    if match:
        return match.group(0), text[3:]
    return None, text


# ---------------------------------------------------------------- ISBT 128 parsing


def _din(chunk: str) -> Din:
    """`=` + 13 + 2 flags, length already checked: characters, flags, type-3 check."""
    din, flags = chunk[1:14], chunk[14:16]
    if not _DIN_RE.fullmatch(din):
        raise LabelError(Text("DIN has characters that are not allowed — scan again or re-type"))
    if not _digits(flags):
        raise LabelError(Text("DIN flags are not digits — scan again"))
    number = int(flags)
    if 60 <= number <= 96 and number - 60 != _mod37_value(din):
        raise LabelError(Text("DIN check wrong (type-3 flag) — scan again or re-type"))
    if number >= 97:
        raise LabelError(Text("DIN flags use a reserved value — scan again"))
    return Din(din, flags)


def _julian(digits: str, what: str) -> date:
    """cyyjjj (ASCII digits): century digit (0 = 20xx), year, day of the year."""
    year = 2000 + 100 * int(digits[0]) + int(digits[1:3])
    day = int(digits[3:6])
    if not 1 <= day <= (366 if calendar.isleap(year) else 365):
        raise LabelError(Text("{what} date is not a real date — scan again", what=what))
    return date(year, 1, 1) + timedelta(days=day - 1)


def _julian_time(digits: str, what: str) -> datetime:
    """cyyjjjhhmm (ASCII digits)."""
    day = _julian(digits[:6], what)
    hour, minute = int(digits[6:8]), int(digits[8:10])
    if hour > 23 or minute > 59:
        raise LabelError(Text("{what} time is not a real time — scan again", what=what))
    return datetime(day.year, day.month, day.day, hour, minute)


def _sec(chunk: str) -> SingleEuropeanCode:
    data = chunk[3:]
    raw_expiry = data[32:40]
    expiry: date | None = None
    if raw_expiry != "00000000":
        try:
            expiry = date(int(raw_expiry[:4]), int(raw_expiry[4:6]), int(raw_expiry[6:8]))
        except ValueError as exc:
            raise LabelError(
                Text("expiry date in the SEC is not a real date — scan again")
            ) from exc
    return SingleEuropeanCode(
        te_code=data[:8],
        donation=data[8:21],
        coding_system=data[21],
        product=data[22:29],
        split=data[29:32],
        expiry=expiry,
    )


@dataclass(frozen=True)
class _Spec:
    """How to recognise and read one ISBT 128 data structure."""

    di: str
    length: int  # the whole structure, DI included
    title: str  # operator words
    pattern: re.Pattern[str]  # the whole structure: character set and layout
    build: Callable[[str], IsbtStructure]


def _spec(
    di: str, length: int, title: str, pattern: str, build: Callable[[str], IsbtStructure]
) -> _Spec:
    compiled = re.compile(re.escape(di) + pattern)
    return _Spec(di, length, title, compiled, build)


# The DIN's DI is `=` plus its first character; its own checks give the DIN
# messages the execution engine has always shown, so its pattern only fixes
# the length.
_DIN_SPEC: Final = _spec("=", 16, "DIN", r"(?s:.{15})", _din)
_SPECS: Final = {
    s.di: s
    for s in (
        _spec("=%", 6, "ABO/RhD code", r"[0-9A-Za-z]{4}", lambda c: AboRhD(c[2:])),
        _spec(
            "=<", 10, "product code", r"[A-Z][0-9]{4}[0-9A-Za-z]{3}", lambda c: ProductCode(c[2:])
        ),
        _spec(
            "&>",
            12,
            "expiry date",
            r"[0-9]{10}",
            lambda c: Expiration(_julian_time(c[2:], "expiry")),
        ),
        _spec(
            "=*",
            8,
            "collection date",
            r"[0-9]{6}",
            lambda c: CollectionDate(_julian(c[2:], "collection")),
        ),
        _spec(
            "&*",
            12,
            "collection date and time",
            r"[0-9]{10}",
            lambda c: CollectionDateTime(_julian_time(c[2:], "collection")),
        ),
        _spec("=;", 23, "donor ID", _FACILITY + r"[0-9]{16}", lambda c: DonorId(c[2:])),
        _spec("='", 13, "staff ID", _FACILITY + r"[0-9A-Z]{6}", lambda c: StaffId(c[2:])),
        _spec(
            "=+", 7, "compound message", r"[0-9]{5}", lambda c: Compound(int(c[2:4]), c[4:7], ())
        ),
        _spec(
            "&+",
            13,
            "processing facility code",
            _FACILITY + r"[0-9A-Z]{6}",
            lambda c: ProcessingFacility(c[2:7], c[7:13]),
        ),
        _spec("&/", 17, "chain-of-identity code", r"CH" + _DIN_RE.pattern, lambda c: CoiId(c[2:])),
        _spec(
            "&,4",
            43,
            "Single European Code",
            r"[A-Z]{2}[0-9A-Z]{6}[0-9A-Z]{13}[A-Z][0-9A-Z]{7}[0-9A-Z]{3}[0-9]{8}",
            _sec,
        ),
    )
}


def _spec_at(body: str, pos: int) -> _Spec:
    """Which structure starts at `pos`, from its data identifier."""
    first = body[pos]
    if first not in "=&":
        if pos == 0:
            raise LabelError(Text("not an ISBT 128 label — scan the bag's ISBT 128 barcode"))
        raise LabelError(Text("ISBT 128 label has extra characters — scan again"))
    di = body[pos : pos + 2]
    if len(di) < 2:
        raise LabelError(Text("ISBT 128 label is incomplete — scan again"))
    if first == "=" and di[1].isascii() and di[1].isalnum():
        return _DIN_SPEC
    if di == "&,":
        di = body[pos : pos + 3]
    spec = _SPECS.get(di)
    if spec is None:
        raise LabelError(
            Text("ISBT 128 code {di!a} is not one the kiosk reads — scan the right code", di=di)
        )
    return spec


def _structures(body: str) -> list[DataStructure]:
    """Structures back to back (a scanner's concatenation, or a compound's contents)."""
    found: list[DataStructure] = []
    pos = 0
    while pos < len(body):
        spec = _spec_at(body, pos)
        chunk = body[pos : pos + spec.length]
        if len(chunk) < spec.length:
            raise LabelError(Text("{title} is incomplete — scan again", title=spec.title))
        if not spec.pattern.fullmatch(chunk):
            raise LabelError(
                Text("{title} has characters that are not allowed — scan again", title=spec.title)
            )
        structure = spec.build(chunk)
        if isinstance(structure, Compound):
            raise LabelError(Text("a compound message cannot sit inside another code — scan again"))
        if any(type(seen) is type(structure) for seen in found):
            raise LabelError(
                Text("two {title}s in one read — scan one label at a time", title=spec.title)
            )
        found.append(structure)
        pos += spec.length
    return found


def _compound(body: str) -> Compound:
    """`=+aabbb` and exactly aa structures to the end of the read."""
    spec = _SPECS["=+"]
    head = body[: spec.length]
    if len(head) < spec.length:
        raise LabelError(Text("compound message is incomplete — scan again"))
    if not spec.pattern.fullmatch(head):
        raise LabelError(Text("compound message has characters that are not allowed — scan again"))
    count, order = int(head[2:4]), head[4:7]
    if count == 0:
        raise LabelError(Text("compound message declares no structures — scan again"))
    found = _structures(body[spec.length :])
    if len(found) != count:
        said = f"{count} structure{'s' if count != 1 else ''}"
        raise LabelError(
            Text(
                "compound message says {said} but has {found} — scan again",
                said=said,
                found=len(found),
            )
        )
    return Compound(count, order, tuple(found))


def _isbt_body(text: str) -> tuple[str | None, str]:
    aim, body = strip_aim(text.strip("\r\n"))
    if aim is not None and aim not in ISBT_AIMS:
        raise LabelError(Text("not an ISBT 128 label — scan the bag's ISBT 128 barcode"))
    if not body:
        raise LabelError(Text("nothing was read — scan again"))
    return aim, body


def parse_isbt(text: str) -> IsbtStructure:
    """Exactly one ISBT 128 data structure (a compound message with its contents is one)."""
    _, body = _isbt_body(text)
    if body.startswith("=+"):
        return _compound(body)
    found = _structures(body)
    if len(found) != 1:
        raise LabelError(Text("more than one code in this read — scan one code at a time"))
    return found[0]


def parse_compound(text: str) -> Compound:
    """An ISBT 128 compound message (data structure 023), the count checked."""
    _, body = _isbt_body(text)
    if not body.startswith("=+"):
        raise LabelError(Text("not a compound message — scan the 2-D code on the label"))
    return _compound(body)


def parse_din(text: str) -> Din:
    """A scanned DIN (`=` + 13 + 2 flags), with the type-3 flag checked when present."""
    _, body = strip_aim(text.strip("\r\n"))
    if not body.startswith("="):
        raise LabelError(Text("not an ISBT 128 label — scan the DIN barcode on the bag"))
    if len(body) != 16:
        raise LabelError(Text("not a complete DIN — scan the DIN barcode again"))
    return _din(body)


def parse_din_keyboard(text: str) -> Din:
    """A DIN typed by hand: 13 characters, optional space, then the check character K."""
    compact = text.strip().upper().replace(" ", "")
    if len(compact) != 14:
        raise LabelError(Text("type the 13 DIN characters and the boxed check character"))
    din, check = compact[:13], compact[13]
    if not _DIN_RE.fullmatch(din):
        raise LabelError(Text("DIN has characters that are not allowed — check and re-type"))
    if din_check_character(din) != check:
        raise LabelError(Text("check character wrong — scan again or re-type"))
    return Din(din, "00")


def parse_coi(text: str) -> CoiId:
    """A chain-of-identity identifier (`&/CH` + DIN-shaped 13 characters)."""
    _, body = strip_aim(text.strip("\r\n"))
    if not body.startswith("&/"):
        raise LabelError(Text("not a chain-of-identity label — scan the CoI barcode"))
    coi = body[2:]
    if len(coi) != 15 or not coi.startswith("CH") or not _DIN_RE.fullmatch(coi[2:]):
        raise LabelError(Text("chain-of-identity code is malformed — scan again"))
    return CoiId(coi)


def parse_coi_keyboard(text: str) -> CoiId:
    """A CoI typed by hand: ``CH``, the 13 DIN-shaped characters, optional space, then the
    check character (ISO/IEC 7064 mod 37-2 over the 13 characters, as for a DIN)."""
    compact = text.strip().upper().replace(" ", "")
    if len(compact) != 16 or not compact.startswith("CH"):
        raise LabelError(Text("type CH, the 13 CoI characters and the boxed check character"))
    body, check = compact[2:15], compact[15]
    if not _DIN_RE.fullmatch(body):
        raise LabelError(Text("CoI has characters that are not allowed — check and re-type"))
    if din_check_character(body) != check:
        raise LabelError(Text("check character wrong — scan again or re-type"))
    return CoiId("CH" + body)


# ---------------------------------------------------------------- GS1 parsing


@dataclass(frozen=True)
class _Ai:
    """One GS1 application identifier: its length (the maximum if variable) and content."""

    length: int
    kind: Literal["digits", "checked", "date", "text", "count"]
    title: str = ""

    @property
    def variable(self) -> bool:
        return self.kind in ("text", "count")


_AIS: Final = {
    "00": _Ai(18, "checked", "SSCC"),
    "01": _Ai(14, "checked", "GTIN"),
    "02": _Ai(14, "checked", "GTIN"),
    "10": _Ai(20, "text"),
    "11": _Ai(6, "date", "production date"),
    "12": _Ai(6, "date", "due date"),
    "13": _Ai(6, "date", "packaging date"),
    "15": _Ai(6, "date", "best-before date"),
    "16": _Ai(6, "date", "sell-by date"),
    "17": _Ai(6, "date", "expiry date"),
    "20": _Ai(2, "digits"),
    "21": _Ai(20, "text"),
    "30": _Ai(8, "count"),
    "240": _Ai(30, "text"),
    "241": _Ai(30, "text"),
    "250": _Ai(30, "text"),
}


def _gs1_date(value: str, title: str) -> date:
    """YYMMDD (six ASCII digits); day 00 is the last day of the month."""
    year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:6])
    try:
        if day == 0 and 1 <= month <= 12:
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(year, month, day)
    except ValueError as exc:
        raise LabelError(Text("{title} is not a real date — scan again", title=title)) from exc


def _gs1_ai(body: str, pos: int) -> str:
    for size in (2, 3):
        ai = body[pos : pos + size]
        if ai in _AIS:
            return ai
    ai = body[pos : pos + 2]
    if not _digits(ai) or len(ai) < 2:
        raise LabelError(Text("GS1 label is garbled — scan again"))
    raise LabelError(Text("GS1 application identifier ({ai}) is not supported here", ai=ai))


def parse_gs1(text: str) -> Gs1:
    """A GS1 element string with GS separators (AIM ]C1, ]d2, ]Q3, ]e0 or none)."""
    aim, body = strip_aim(text.strip("\r\n"))
    if aim is not None and aim not in GS1_AIMS:
        raise LabelError(Text("not a GS1 label — scan the material's GS1 barcode"))
    if not _digits(body.lstrip(GS)[:2]) or len(body.lstrip(GS)) < 2:
        raise LabelError(Text("not a GS1 label — scan the material's GS1 barcode"))
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(body):
        if body[pos] == GS:  # tolerate unnecessary separators
            pos += 1
            continue
        ai = _gs1_ai(body, pos)
        spec = _AIS[ai]
        start = pos + len(ai)
        if spec.variable:
            end = body.find(GS, start)
            end = len(body) if end < 0 else end
            value = body[start:end]
            if not value or len(value) > spec.length:
                raise LabelError(
                    Text(
                        "({ai}) is empty or longer than {length} characters — scan again",
                        ai=ai,
                        length=spec.length,
                    )
                )
            allowed = _digits(value) if spec.kind == "count" else _CSET82_RE.fullmatch(value)
            if not allowed:
                raise LabelError(
                    Text("({ai}) has characters that are not allowed — scan again", ai=ai)
                )
            pos = end
        else:
            value = body[start : start + spec.length]
            if len(value) != spec.length or not _digits(value):
                raise LabelError(Text("({ai}) is too short — scan again", ai=ai))
            if spec.kind == "checked" and not _mod10_ok(value):
                raise LabelError(
                    Text("{title} check digit wrong — scan again or re-type", title=spec.title)
                )
            if spec.kind == "date":
                _gs1_date(value, spec.title)
            pos = start + spec.length
        if ai in fields:
            raise LabelError(Text("({ai}) appears twice — scan again", ai=ai))
        fields[ai] = value
    return Gs1(
        gtin=fields.get("01"),
        lot=fields.get("10"),
        production=_gs1_date(fields["11"], "production date") if "11" in fields else None,
        expiry=_gs1_date(fields["17"], "expiry date") if "17" in fields else None,
        serial=fields.get("21"),
        other={k: v for k, v in fields.items() if k not in ("01", "10", "11", "17", "21")},
    )


_HRI_RE: Final = re.compile(r"(?:\(\d{2,4}\)[^()]+)+")
_HRI_FIELD_RE: Final = re.compile(r"\((\d{2,4})\)([^()]+)")


def parse_gs1_keyboard(text: str) -> Gs1:
    """A GS1 label typed by hand from the text printed under its barcode: each AI in
    brackets, then its value, ``(01)08430215011539(10)1724847.1(17)210331`` (spaces
    ignored). Checked as a scan is: the GTIN's check digit, the dates, the lengths."""
    compact = "".join(text.split())
    if not _HRI_RE.fullmatch(compact):
        raise LabelError(
            Text(
                "type the text under the barcode: each number in brackets, then its value, e.g."
                " (01)…(10)…(17)…"
            )
        )
    return parse_gs1(GS.join(ai + value for ai, value in _HRI_FIELD_RE.findall(compact)))


# ---------------------------------------------------------------- any label


def parse_label(text: str) -> Label:
    """One scanner read: the AIM prefix decides the kind, or else the first characters.

    GS1 for AIM ]C1, ]d2, ]Q3, ]e0 or leading AI digits without a prefix; ISBT
    128 for `=`/`&` (AIM ]C0, ]C4 = concatenated by the scanner, ]d1, ]Q1 or
    none). Several ISBT 128 structures back to back are all read; a compound
    message must be the whole read and carry the count it declares.
    """
    clean = text.strip("\r\n")
    aim, body = strip_aim(clean)
    if not body:
        raise LabelError(Text("nothing was read — scan again"))
    if aim in GS1_AIMS or (aim is None and _digits(body.lstrip(GS)[:2])):
        return Label(kind="gs1", aim=aim, gs1=parse_gs1(clean))
    if aim is not None and aim not in ISBT_AIMS:
        raise LabelError(
            Text("the scanner read a {aim} code: not an ISBT 128 or GS1 label", aim=aim)
        )
    if body[0] not in "=&":
        if _digits(body[:2]):
            raise LabelError(Text("not a GS1 label — scan the material's GS1 barcode"))
        raise LabelError(Text("not an ISBT 128 or GS1 label — scan the bag or material barcode"))
    if body.startswith("=+"):
        compound = _compound(body)
        return Label(kind="isbt128", aim=aim, structures=compound.structures, compound=compound)
    return Label(kind="isbt128", aim=aim, structures=tuple(_structures(body)))


def parse_label_bytes(data: bytes) -> Label:
    """A read as the scanner sent it: UTF-8 if it decodes, else Latin-1; no control codes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if any(unicodedata.category(c) == "Cc" and c not in (GS, "\r", "\n") for c in text):
        raise LabelError(
            Text("the scanner sent control codes, not a label — check the scanner setup")
        )
    return parse_label(text)
