"""Cell counter result files: NucleoView (NC-200/NC-202) and Vi-CELL BLU exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.devices.cellcount import (
    VICELL_BLU,
    CellCount,
    CellCountError,
    newest_for_sample,
    parse_nucleocounter,
    parse_vicell_blu,
    read_file,
    take_cell_count,
    take_for_station,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "cellcount"
NC = DATA / "nc200_DIN-0001.csv"
VICELL = DATA / "vicell_blu_export.csv"
SAMPLE = "G123426000123"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["import", "cell-count", *args], out=out)
    return code, out.getvalue()


def test_nucleocounter_result() -> None:
    (result,) = read_file(NC)
    assert result.sample_id == SAMPLE  # the part of the image name after the third "-"
    assert (result.viability_pct, result.viable_per_ml, result.total_per_ml) == (
        91.4,
        3.12e6,
        3.41e6,
    )
    assert result.measured_at == datetime(2026, 12, 4, 9, 15, 30, tzinfo=UTC)  # 10:15:30 +01
    assert result.source == "NucleoView NC-200 9000201012345678"
    assert result.operator == "ajones"
    assert result.sha256 == hashlib.sha256(NC.read_bytes()).hexdigest()
    assert result.file_name == NC.name


def test_vicell_rows_and_the_newest_of_a_sample() -> None:
    results = read_file(VICELL)
    assert [(r.sample_id, r.line) for r in results] == [(SAMPLE, 2), ("OTHER-7", 3), (SAMPLE, 4)]
    assert results[0].viable_per_ml == 1.44e6  # the file's unit is 10^6 cells/mL
    taken = take_cell_count(VICELL, SAMPLE)
    assert (taken.line, taken.viability_pct) == (4, 94.9)
    with pytest.raises(CellCountError, match="3 results — say which sample ID"):
        take_cell_count(VICELL)


def test_vicell_utf16_export_reads_the_same(tmp_path: Path) -> None:
    utf16 = tmp_path / "export16.csv"
    utf16.write_bytes(VICELL.read_text(encoding="utf-8").encode("utf-16"))
    assert [(r.sample_id, r.viability_pct) for r in read_file(utf16)] == [
        (r.sample_id, r.viability_pct) for r in read_file(VICELL)
    ]


def test_watched_folder_takes_the_newest_and_reports_refused_files(tmp_path: Path) -> None:
    next_day = NC.read_text(encoding="utf-8").replace("20261204 101530", "20261205 101530")
    (tmp_path / "nc.csv").write_text(next_day, encoding="utf-8")
    shutil.copy(VICELL, tmp_path / "vicell.csv")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")  # not a result file: not looked at
    (tmp_path / "broken.csv").write_text("Image;20261204-1-a-X\nViability (%);lots\n")
    result, refused = newest_for_sample(tmp_path, SAMPLE)
    assert (result.file_name, result.viability_pct) == ("nc.csv", 91.4)  # a day later
    assert refused == ["broken.csv, line 2: viability 'lots' is not a number"]
    with pytest.raises(CellCountError, match=r"no result for sample NOPE in .*1 file\(s\) refused"):
        newest_for_sample(tmp_path, "NOPE")
    os.remove(tmp_path / "nc.csv")
    assert take_cell_count(tmp_path, SAMPLE).line == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Image;20261204-1-a-S1\nViability (%);101\nLive (cells/ml);1\nTotal (cells/ml);2\n",
         "n.csv, line 2: viability 101 % is over 100"),
        ("Image;20261204-1-a-S1\nViability (%);50\nLive (cells/ml);3\nTotal (cells/ml);2\n",
         "n.csv, line 3: more viable cells (3) than cells (2)"),
        ("Image;20261204-1-a-S1\nViability (%);50\nTotal (cells/ml);2\n",
         "n.csv, line 1: no viable cells ('Live (cells/ml)')"),
        ("Image;20261204-1-a-S1\nViability (%);50\nLive (cells/ml);1\nTotal (cells/ml);2\n"
         "Date time;yesterday\n", "n.csv, line 5: date/time 'yesterday' is not in a known format"),
        ("Image;20261204-1-a-S1\nthis is not a result\n", "n.csv, line 2: not a NucleoView line"),
    ],
)  # fmt: skip
def test_nucleocounter_refusals_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(CellCountError) as caught:
        parse_nucleocounter(text.encode(), "n.csv")
    assert str(caught.value).startswith(message)


def test_vicell_refusals_name_file_and_line() -> None:
    head = '"Sample ID","Viability (%)","Total (x10^6) cells/mL","Viable (x10^6) cells/mL"\n'
    bad = head + '"A","90","1.0","0.9"\n"B","ninety","1.0","0.9"\n'
    with pytest.raises(CellCountError, match=r"^v\.csv, line 3: viability 'ninety'"):
        parse_vicell_blu(bad.encode(), "v.csv")
    with pytest.raises(CellCountError, match=r"^v\.csv, line 1: no column 'Viability \(%\)'"):
        parse_vicell_blu(b'"Sample ID","Total"\n"A","1"\n', "v.csv")
    with pytest.raises(CellCountError, match=r"^v\.csv, line 2: not text"):
        parse_vicell_blu(head.encode() + b'"\xff\xfe\xfa","1","1","1"\n', "v.csv")


def test_column_mapping_from_the_station_configuration(tmp_path: Path) -> None:
    export = tmp_path / "lims-style.csv"
    export.write_text(
        "Sample,Viab %,Total 1e6/mL,Viable 1e6/mL,Analysis date/time,Analysis by\n"
        f"{SAMPLE},88.5,2.00,1.77,12/4/2026 11:00,bk\n",
        encoding="utf-8",
    )
    config = tmp_path / "station.toml"
    config.write_text(
        "[cell_counter]\n"
        'format = "vicell-blu"\n'
        f'folder = "{tmp_path}"\n'
        "[cell_counter.columns]\n"
        'sample_id = "Sample"\nviability = "Viab %"\n'
        'total = "Total 1e6/mL"\nviable = "Viable 1e6/mL"\n',
        encoding="utf-8",
    )
    code, text = run(str(export), "--config", str(config), "--json")
    assert code == 0, text
    record = json.loads(text)
    assert (record["sample_id"], record["viable_per_ml"], record["viability_pct"]) == (
        SAMPLE,
        1.77e6,
        88.5,
    )
    counter = load_config(config).cell_counter
    assert counter is not None
    taken = take_for_station(counter, SAMPLE)  # what an engine step calls
    assert (taken.file_name, taken.viable_per_ml) == ("lims-style.csv", 1.77e6)
    code, text = run(str(export))  # without the mapping: refused, saying what to do
    assert code == 1
    assert text == (
        "import: lims-style.csv, line 1: not a NucleoCounter or Vi-CELL BLU result file "
        "(or set the counter's format in the station configuration)\n"
    )
    with pytest.raises(CellCountError, match="unknown column name"):
        VICELL_BLU.with_columns({"viabilty": "x"})


def test_cli_shows_what_would_be_taken() -> None:
    code, text = run(str(NC))
    assert code == 0
    assert text.splitlines() == [
        f"sample {SAMPLE}: viable 3.12 × 10^6 cells/mL, total 3.41 × 10^6 cells/mL, "
        "viability 91.4 %",
        "measured 2026-12-04T09:15:30+00:00 on NucleoView NC-200 9000201012345678 by ajones",
        f"from {NC.name} line 2, SHA-256 {hashlib.sha256(NC.read_bytes()).hexdigest()}",
    ]
    code, text = run(str(DATA), "--sample", SAMPLE, "--json")
    assert code == 0
    assert json.loads(text)["sample_id"] == SAMPLE
    code, text = run(str(DATA / "missing.csv"))
    assert (code, text.count("\n")) == (1, 1)


# ---------------------------------------------------------------- properties


def _read_or_refused(parser: Callable[[bytes, str], list[CellCount]], data: bytes) -> None:
    """Either results with sane values, or a CellCountError naming the file."""
    message = ""
    try:
        results = parser(data, "f.csv")
    except CellCountError as exc:
        message = str(exc)
    else:
        for result in results:
            assert 0 <= result.viability_pct <= 100
            assert 0 <= result.viable_per_ml <= result.total_per_ml * 1.001 + 1e-6
            assert result.sample_id
        return
    assert message.startswith("f.csv")


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_never_a_traceback(data: bytes) -> None:
    for parser in (parse_nucleocounter, parse_vicell_blu):
        _read_or_refused(parser, data)


@settings(max_examples=150, deadline=None)
@given(text=st.text(st.sampled_from(list(';,"\n\r 0123456789.-E%()/Imagelivtysd')), max_size=300))
def test_near_miss_text_is_read_or_refused(text: str) -> None:
    for parser in (parse_nucleocounter, parse_vicell_blu):
        _read_or_refused(parser, text.encode())


sample_ids = st.text(
    st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=';"'), min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s)  # fmt: skip
counts = st.tuples(
    st.floats(0, 100, allow_nan=False),
    st.integers(0, 10**9),
    st.integers(0, 10**9),
).map(lambda t: (round(t[0], 2), min(t[1], t[2]), max(t[1], t[2])))


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(sample_ids, counts), min_size=1, max_size=5))
def test_vicell_rows_round_trip(rows: list[tuple[str, tuple[float, int, int]]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(["Sample ID", "Viability (%)", "Total (x10^6) cells/mL",
                     "Viable (x10^6) cells/mL"])  # fmt: skip
    for sample, (viability, viable, total) in rows:
        writer.writerow([sample, viability, total / 1e6, viable / 1e6])
    parsed = parse_vicell_blu(buffer.getvalue().encode(), "v.csv")
    assert [(r.sample_id, r.viability_pct, r.viable_per_ml, r.total_per_ml) for r in parsed] == [
        (s, v, pytest.approx(a, rel=1e-9), pytest.approx(t, rel=1e-9)) for s, (v, a, t) in rows
    ]
    assert [r.line for r in parsed] == list(range(2, len(rows) + 2))


@settings(max_examples=100, deadline=None)
@given(sample=sample_ids, count=counts, offset=st.integers(-12, 14))
def test_nucleocounter_round_trip(sample: str, count: tuple[float, int, int], offset: int) -> None:
    viability, viable, total = count
    text = (
        f"Viability and Cell Count Assay; ;\nImage;20261204-0001-a-{sample};\n"
        f"Viability (%);{viability};\nLive (cells/ml);{viable:.6E};\n"
        f"Total (cells/ml);{total:.6E};\nDate time;20261204 120000\n"
        f"Time zone offset;{offset}\n//[00000000]\n"
    )
    (result,) = parse_nucleocounter(text.encode(), "n.csv")
    assert (result.sample_id, result.viability_pct) == (sample, viability)
    assert result.viable_per_ml == pytest.approx(viable, rel=1e-6)
    assert result.total_per_ml == pytest.approx(total, rel=1e-6)
    assert result.measured_at is not None
    assert result.measured_at.utcoffset() is not None
    assert result.measured_at.hour == (12 - offset) % 24
