"""Cell counts from the counters' result files: NucleoCounter NC-200/NC-202 and Vi-CELL BLU.

Neither vendor publishes a specification of its export files. The defaults
below follow exports seen in practice (and in the open-source Allotrope
converters that read them):

- **NucleoView (NC-200, NC-202)**: one result per file, semicolon-separated
  ``key;value;`` lines: ``Image`` (its name is ``date-number-letter-sample``,
  the sample ID being the part after the third ``-``), ``Viability (%)``,
  ``Live (cells/ml)``, ``Dead (cells/ml)``, ``Total (cells/ml)``,
  ``Date time`` (``YYYYMMDD hhmmss``) with ``Time zone offset`` (hours),
  ``Operator``, ``Instrument type``, ``Instrument s/n``; a last line
  ``//[checksum]``. Blank ``;`` lines and unknown keys are ignored.
- **Vi-CELL BLU**: a CSV table (UTF-8 or UTF-16), one result per row, headings
  ``Sample ID``, ``Viability (%)``, ``Total (x10^6) cells/mL``,
  ``Viable (x10^6) cells/mL``, ``Analysis date/time``, ``Analysis by``.

Because the columns are not fixed by a public document, every heading is
configurable (`ColumnMapping`, from the station configuration's
``[cell_counter.columns]``). Anything unreadable is refused with a
`CellCountError` naming the file and line; a file is never changed.

For an engine step: `take_cell_count(path, sample_id)` returns the one
`CellCount` to record (value, unit, time, source identity and the file's
SHA-256 and name); a folder is searched for the newest result of that sample.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from kiosk.config import CellCounter

Format = Literal["nucleocounter", "vicell-blu"]
FORMATS: tuple[Format, ...] = ("nucleocounter", "vicell-blu")
MAX_BYTES = 5_000_000  # a result export is a few kB; a bigger file is not one
SUFFIXES = (".csv", ".txt")


class CellCountError(Exception):
    """A result file cannot be used; str() names the file and, where known, the line."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which heading (Vi-CELL) or key (NucleoView) holds each value, and its scale."""

    sample_id: str
    viability: str
    viable: str
    total: str
    measured_at: str
    operator: str
    instrument: str | None = None
    serial: str | None = None
    tz_offset: str | None = None
    scale: float = 1.0  # cells/mL per unit of the file's concentration columns
    date_formats: tuple[str, ...] = ()
    sample_from_image: bool = False  # NucleoView: the sample ID is part of the image name

    def with_columns(self, columns: Mapping[str, str]) -> ColumnMapping:
        """This mapping with headings replaced (keys are the field names)."""
        known = {"sample_id", "viability", "viable", "total", "measured_at", "operator"}
        known |= {"instrument", "serial", "tz_offset"}
        unknown = set(columns) - known
        if unknown:
            raise CellCountError(
                f"unknown column name(s) {', '.join(sorted(unknown))}: "
                f"use {', '.join(sorted(known))}"
            )
        changed = dict(columns)
        if "sample_id" in changed:
            changed["sample_from_image"] = False  # type: ignore[assignment]
        return replace(self, **changed)  # type: ignore[arg-type]


NUCLEOCOUNTER = ColumnMapping(
    sample_id="Image",
    viability="Viability (%)",
    viable="Live (cells/ml)",
    total="Total (cells/ml)",
    measured_at="Date time",
    operator="Operator",
    instrument="Instrument type",
    serial="Instrument s/n",
    tz_offset="Time zone offset",
    date_formats=("%Y%m%d %H%M%S",),
    sample_from_image=True,
)
VICELL_BLU = ColumnMapping(
    sample_id="Sample ID",
    viability="Viability (%)",
    viable="Viable (x10^6) cells/mL",
    total="Total (x10^6) cells/mL",
    measured_at="Analysis date/time",
    operator="Analysis by",
    scale=1e6,
    date_formats=("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"),
)
DEFAULTS: dict[Format, ColumnMapping] = {"nucleocounter": NUCLEOCOUNTER, "vicell-blu": VICELL_BLU}
INSTRUMENTS: dict[Format, str] = {"nucleocounter": "NucleoCounter", "vicell-blu": "Vi-CELL BLU"}


@dataclass(frozen=True)
class CellCount:
    """One result as the counter reported it, and where it came from."""

    sample_id: str
    viability_pct: float
    viable_per_ml: float
    total_per_ml: float
    measured_at: datetime | None
    operator: str | None
    instrument: str
    instrument_serial: str | None
    file_name: str
    sha256: str
    line: int  # the line of the file the result was read from
    fmt: Format = field(default="vicell-blu")

    @property
    def source(self) -> str:
        """The counter's identity as far as the file says it."""
        if self.instrument_serial:
            return f"{self.instrument} {self.instrument_serial}"
        return self.instrument

    def as_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["measured_at"] = self.measured_at.isoformat() if self.measured_at else None
        record["source"] = self.source
        return record


# ---------------------------------------------------------------- reading files


def _text(data: bytes, name: str) -> str:
    """Decode a result file: UTF-16 with a BOM, else UTF-8 (with or without BOM)."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CellCountError(f"{name}, line {line}: not text ({encoding})") from None
    bad = next((i for i, c in enumerate(text) if c == "\x00"), None)
    if bad is not None:
        raise CellCountError(f"{name}, line {text[:bad].count(chr(10)) + 1}: binary content")
    return text


def _number(text: str, what: str, where: str) -> float:
    cleaned = text.strip().replace(" ", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise CellCountError(f"{where}: {what} {text.strip()!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise CellCountError(f"{where}: {what} {text.strip()!r} is out of range")
    return value


def _moment(text: str, formats: Iterable[str], offset: timedelta | None, where: str) -> datetime:
    text = text.strip()
    for fmt in formats:
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if offset is not None:
            return moment.replace(tzinfo=timezone(offset)).astimezone(UTC)
        return moment  # local time of the counter, zone unknown
    raise CellCountError(f"{where}: date/time {text!r} is not in a known format")


def _result(
    values: Mapping[str, str],
    lines: Mapping[str, int],
    mapping: ColumnMapping,
    fmt: Format,
    name: str,
    digest: str,
    first_line: int,
) -> CellCount:
    def where(key: str | None) -> str:
        return f"{name}, line {lines.get(key or '', first_line)}"

    def need(key: str, what: str) -> str:
        value = values.get(key)
        if value is None or not value.strip():
            raise CellCountError(f"{where(key)}: no {what} ({key!r})")
        return value.strip()

    sample = need(mapping.sample_id, "sample ID")
    if mapping.sample_from_image:
        parts = sample.split("-", 3)
        if len(parts) < 4 or not parts[3].strip():
            raise CellCountError(
                f"{where(mapping.sample_id)}: image name {sample!r} carries no sample ID "
                "(expected date-number-letter-sample)"
            )
        sample = parts[3].strip()
    viability = _number(need(mapping.viability, "viability"), "viability", where(mapping.viability))
    if viability > 100:
        raise CellCountError(f"{where(mapping.viability)}: viability {viability:g} % is over 100")
    viable = _number(need(mapping.viable, "viable cells"), "viable cells", where(mapping.viable))
    total = _number(need(mapping.total, "total cells"), "total cells", where(mapping.total))
    if viable > total * 1.001 + 1e-9:
        raise CellCountError(
            f"{where(mapping.viable)}: more viable cells ({viable:g}) than cells ({total:g})"
        )
    offset = None
    if mapping.tz_offset and values.get(mapping.tz_offset, "").strip():
        hours = values[mapping.tz_offset].strip()
        try:
            offset = timedelta(hours=float(hours))
        except ValueError:
            raise CellCountError(f"{where(mapping.tz_offset)}: time zone {hours!r}") from None
        if abs(offset) > timedelta(hours=14):
            raise CellCountError(f"{where(mapping.tz_offset)}: time zone {hours!r}")
    measured = None
    if values.get(mapping.measured_at, "").strip():
        measured = _moment(
            values[mapping.measured_at], mapping.date_formats, offset, where(mapping.measured_at)
        )
    instrument = INSTRUMENTS[fmt]
    if mapping.instrument and values.get(mapping.instrument, "").strip():
        instrument = values[mapping.instrument].strip()
    serial = None
    if mapping.serial and values.get(mapping.serial, "").strip():
        serial = values[mapping.serial].strip().removeprefix("s/n").strip()
    operator = values.get(mapping.operator, "").strip() or None
    return CellCount(
        sample_id=sample,
        viability_pct=viability,
        viable_per_ml=round(viable * mapping.scale, 6),
        total_per_ml=round(total * mapping.scale, 6),
        measured_at=measured,
        operator=operator,
        instrument=instrument,
        instrument_serial=serial,
        file_name=name,
        sha256=digest,
        line=first_line,
        fmt=fmt,
    )


def parse_nucleocounter(
    data: bytes, name: str, mapping: ColumnMapping = NUCLEOCOUNTER
) -> list[CellCount]:
    """The one result of a NucleoView export (``key;value;`` lines)."""
    text = _text(data, name)
    digest = hashlib.sha256(data).hexdigest()
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    title_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("//") or not line.strip("; "):
            continue
        if ";" not in line:
            raise CellCountError(f"{name}, line {number}: not a NucleoView line (no ';')")
        key, _, rest = line.partition(";")
        key = key.strip()
        value = rest.split(";", 1)[0].strip()
        if not title_seen:
            title_seen = True
            if key not in (mapping.sample_id, mapping.viability) and not value:
                continue  # the protocol title line
        if not key:
            raise CellCountError(f"{name}, line {number}: a value without a name")
        if key in values and values[key] != value:
            raise CellCountError(f"{name}, line {number}: {key!r} given twice")
        values[key] = value
        lines[key] = number
    if not values:
        raise CellCountError(f"{name}, line 1: empty, or not a NucleoView result")
    first = lines.get(mapping.sample_id, 1)
    return [_result(values, lines, mapping, "nucleocounter", name, digest, first)]


def parse_vicell_blu(
    data: bytes, name: str, mapping: ColumnMapping = VICELL_BLU
) -> list[CellCount]:
    """Every result row of a Vi-CELL BLU export."""
    text = _text(data, name)
    digest = hashlib.sha256(data).hexdigest()
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise CellCountError(f"{name}: not CSV: {exc}") from None
    # csv does not report lines of multi-line fields: count physical lines ourselves
    numbers = _row_lines(text)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise CellCountError(f"{name}, line 1: no heading row")
    heading = [cell.strip() for cell in rows[0]]
    missing = [
        column
        for column in (mapping.sample_id, mapping.viability, mapping.viable, mapping.total)
        if column not in heading
    ]
    if missing:
        raise CellCountError(
            f"{name}, line 1: no column {', '.join(repr(m) for m in missing)} — "
            "set the column mapping in the station configuration"
        )
    if len(set(heading) - {""}) != len([h for h in heading if h]):
        raise CellCountError(f"{name}, line 1: a column heading appears twice")
    results = []
    for index, row in enumerate(rows[1:], start=1):
        number = numbers[index] if index < len(numbers) else index + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(heading) and any(cell.strip() for cell in row[len(heading) :]):
            raise CellCountError(f"{name}, line {number}: more values than columns")
        values = {h: row[i] if i < len(row) else "" for i, h in enumerate(heading) if h}
        lines = dict.fromkeys(values, number)
        results.append(_result(values, lines, mapping, "vicell-blu", name, digest, number))
    if not results:
        raise CellCountError(f"{name}, line 2: no results")
    return results


def _row_lines(text: str) -> list[int]:
    """The physical line each CSV record starts on (quotes may hold line breaks)."""
    starts = [1]
    line, quoted = 1, False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "\n" or (char == "\r" and text[index + 1 : index + 2] != "\n"):
            line += 1
            if not quoted:
                starts.append(line)
    return starts


PARSERS = {"nucleocounter": parse_nucleocounter, "vicell-blu": parse_vicell_blu}


def detect(data: bytes) -> Format | None:
    """Which counter wrote this file, from its first lines; None when not recognisable."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = data.decode("utf-16", errors="ignore")[:2048].encode()
        except UnicodeDecodeError:
            return None
    first = head.split(b"\n", 1)[0]
    if b";" in first and (b"Image;" in head or b"NucleoView" in data[:8192]):
        return "nucleocounter"
    if b"," in first and b"Sample ID" in first:
        return "vicell-blu"
    return None


def read_file(
    path: str | Path,
    fmt: Format | None = None,
    columns: Mapping[str, str] | None = None,
) -> list[CellCount]:
    """Every result in one file. `fmt` None: recognised from the content."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CellCountError(f"{name}: {size} bytes is too big for a result file")
        data = path.read_bytes()
    except IsADirectoryError:
        raise CellCountError(f"{path}: a folder, not a result file") from None
    except FileNotFoundError:
        raise CellCountError(f"{path}: no such file") from None
    except OSError as exc:
        raise CellCountError(f"{path}: cannot read: {exc.strerror}") from None
    fmt = fmt or detect(data)
    if fmt is None:
        raise CellCountError(
            f"{name}, line 1: not a NucleoCounter or Vi-CELL BLU result file "
            "(or set the counter's format in the station configuration)"
        )
    mapping = DEFAULTS[fmt].with_columns(columns) if columns else DEFAULTS[fmt]
    return PARSERS[fmt](data, name, mapping)


def _key(result: CellCount, mtime: float) -> tuple[float, float, int]:
    moment = result.measured_at
    stamp = moment.timestamp() if moment is not None else mtime
    return stamp, mtime, result.line


def newest_for_sample(
    folder: str | Path,
    sample_id: str,
    fmt: Format | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[CellCount, list[str]]:
    """The newest result for `sample_id` in a watched folder, and the files that were refused.

    Files that cannot be read are skipped (their messages returned), so one bad
    export does not block the count; a folder with no result for the sample is
    an error naming what it holds.
    """
    return _newest(folder, lambda found: found == sample_id, sample_id, fmt, columns)


def newest_matching(
    folder: str | Path,
    wanted: Sequence[str],
    fmt: Format | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[CellCount, list[str]]:
    """The newest result in a watched folder whose sample ID contains one of `wanted` (the
    batch ID, the DIN, a sample ID scanned at the step: the engine's own rule), and the
    messages of the files that were refused (each naming the file and line)."""
    ids = [w for w in wanted if w]
    if not ids:
        raise CellCountError("no sample ID to look for: scan the sample tube's label")
    return _newest(
        folder, lambda found: any(w in found for w in ids), " or ".join(ids), fmt, columns
    )


def _newest(
    folder: str | Path,
    matches: Callable[[str], bool],
    what: str,
    fmt: Format | None,
    columns: Mapping[str, str] | None,
) -> tuple[CellCount, list[str]]:
    base = Path(folder)
    if not base.is_dir():
        raise CellCountError(f"{base}: no such folder (is the USB stick in?)")
    refused: list[str] = []
    found: list[tuple[tuple[float, float, int], CellCount]] = []
    for path in sorted(base.iterdir()):
        if not path.is_file() or path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        try:
            results = read_file(path, fmt, columns)
            mtime = path.stat().st_mtime
        except CellCountError as exc:
            refused.append(str(exc))
            continue
        found += [(_key(r, mtime), r) for r in results if matches(r.sample_id)]
    if not found:
        more = f"; {len(refused)} file(s) refused: {refused[0]}" if refused else ""
        raise CellCountError(f"no result for sample {what} in {base}{more}")
    return max(found, key=lambda item: item[0])[1], refused


def take_cell_count(
    path: str | Path,
    sample_id: str | None = None,
    *,
    fmt: Format | None = None,
    columns: Mapping[str, str] | None = None,
) -> CellCount:
    """The one result a count step records: from a file, or the newest in a watched folder.

    With a file and no `sample_id`, the file must hold exactly one result.
    """
    path = Path(path)
    if path.is_dir():
        if not sample_id:
            raise CellCountError(f"{path} is a folder: say which sample ID to take")
        return newest_for_sample(path, sample_id, fmt, columns)[0]
    results = read_file(path, fmt, columns)
    if sample_id is not None:
        results = [r for r in results if r.sample_id == sample_id]
        if not results:
            raise CellCountError(f"{path.name}: no result for sample {sample_id}")
        return max(results, key=lambda r: _key(r, 0.0))
    if len(results) != 1:
        raise CellCountError(f"{path.name}: {len(results)} results — say which sample ID to take")
    return results[0]


def take_for_station(counter: CellCounter, sample_id: str) -> CellCount:
    """The newest result for `sample_id` in the station's `[cell_counter]` folder."""
    return take_cell_count(
        counter.folder, sample_id, fmt=counter.format, columns=dict(counter.columns)
    )
