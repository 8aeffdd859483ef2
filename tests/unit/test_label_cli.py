"""`kiosk label parse`, in process and once in a real subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.cli import main
from kiosk.commands.label import parse_one

ROOT = Path(__file__).resolve().parents[2]
COMPOUND = (
    "=+05000=Z54991712345600=%T300=<T0416003&>0183652359&,4PL001499Z549917123456A00T041600320181231"
)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["label", "parse", *args], out=out)
    return code, out.getvalue()


def test_plain_output_one_line_per_input() -> None:
    code, text = run("=G12341765432170")
    assert code == 0
    assert text == "=G12341765432170: ok isbt128 din=G123417654321 flags=70 (K=A)\n"


def test_every_kind_and_exit_1_when_any_input_is_bad() -> None:
    code, text = run(
        "]C4=G12341765432170=<S12954A0",
        "]d20108430215011539112212221724022021S3736",
        COMPOUND,
        "=G12341765432171",
    )
    assert code == 1
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[0] == (
        "]C4=G12341765432170=<S12954A0: ok isbt128 din=G123417654321 flags=70 (K=A) "
        "product_code=S12954A0 family=S collection_type=4 division=A0"
    )
    assert lines[1] == (
        "]d20108430215011539112212221724022021S3736: ok gs1 gtin=08430215011539 "
        "production=2022-12-22 expiry=2024-02-20 serial=S3736"
    )
    assert "compound_count=5" in lines[2]
    assert 'collection="not specified"' in lines[2]
    assert "sec_expiry=2018-12-31" in lines[2]
    assert lines[3] == (
        "=G12341765432171: refused: DIN check wrong (type-3 flag) — scan again or re-type"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "0103574661451947101724847.1\\x1d1721033121118165795226",
        "0103574661451947101724847.1\\x1D1721033121118165795226",
        "0103574661451947101724847.1<GS>1721033121118165795226",
        "0103574661451947101724847.1<gs>1721033121118165795226",
        "0103574661451947101724847.1\x1d1721033121118165795226",
    ],
)
def test_gs_typed_on_the_command_line(typed: str) -> None:
    code, text = run(typed)
    assert code == 0, text
    assert "lot=1724847.1 expiry=2021-03-31 serial=118165795226" in text
    assert "\x1d" not in text


def test_json_output() -> None:
    code, text = run("--json", "=G12341765432170", "0109506000134353")
    assert code == 1
    results = json.loads(text)
    assert results == [
        {
            "input": "=G12341765432170",
            "ok": True,
            "kind": "isbt128",
            "fields": {"din": "G123417654321", "flags": "70", "check_character": "A"},
            "error": None,
        },
        {
            "input": "0109506000134353",
            "ok": False,
            "kind": None,
            "fields": {},
            "error": "GTIN check digit wrong — scan again or re-type",
        },
    ]
    code, text = run("--json", "=+05000=Z54991712345600=%T300=<T0416003&>0183652359")
    assert code == 1
    assert json.loads(text)[0]["error"] == (
        "compound message says 5 structures but has 4 — scan again"
    )


def test_control_characters_are_refused_and_shown_escaped() -> None:
    code, text = run("\x1b[2J\x07", "=G1234\x0017654321", "=G12341765432170\x1d", "\udcff")
    assert code == 1
    lines = text.splitlines()
    assert lines[0].startswith("\\x1b[2J\\x07: refused: ")
    assert lines[1].startswith("=G1234\\x0017654321: refused: ")
    assert lines[2].startswith("=G12341765432170<GS>: refused: ")
    assert lines[3].startswith("\\udcff: refused: ")
    assert "\x1b" not in text
    assert "\x07" not in text
    code, text = run("--json", "\x1b[2J")
    assert code == 1
    assert "\x1b" not in text
    assert json.loads(text)[0]["input"] == "\x1b[2J"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", "parse"], out=io.StringIO()) == 2
    assert main(["label"], out=io.StringIO()) == 2
    assert "usage:" in capsys.readouterr().err


def test_real_subprocess() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "label",
            "parse",
            "=G12341765432170",
            "0103574661451947101724847.1<GS>1721033121118165795226",
            "=A9O991712345600",
            "\x07\x1b[31m<GS>\\x1d",
            "&>0183662359",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "=G12341765432170: ok isbt128 din=G123417654321 flags=70 (K=A)"
    assert "ok gs1" in lines[1]
    assert "refused: DIN has characters that are not allowed" in lines[2]
    assert lines[3].startswith("\\x07\\x1b[31m<GS>\\x1d: refused: ")
    assert lines[4].endswith("refused: expiry date is not a real date — scan again")
    ok = subprocess.run(
        [sys.executable, "-m", "kiosk", "label", "parse", "--json", "&>0183652359"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)[0]["fields"] == {"expiry": "2018-12-31T23:59"}


# ---------------------------------------------------------------- a DIN typed by hand


@pytest.mark.parametrize("typed", ["G123417654321A", "G123417654321 A", "g123417654321a"])
def test_a_keyed_din_with_its_check_character(typed: str) -> None:
    code, text = run(typed)
    assert code == 0
    assert text == f"{typed}: ok keyed-din din=G123417654321 (K=A)\n"


@pytest.mark.parametrize(
    "typed",
    ["G123417654321B", "G123417654312A", "A999921123456N", "A999921123456 *"],
)
def test_a_wrong_check_character_is_said_so(typed: str) -> None:
    code, text = run(typed)
    assert code == 1
    assert text == f"{typed}: refused: check character wrong — scan again or re-type\n"


def test_keyed_din_in_json_and_domain_vectors() -> None:
    vectors = {"A999921123456": "3", "A999818123456": "N", "W000009123456": "G"}
    code, text = run("--json", *(f"{din} {k}" for din, k in vectors.items()))
    assert code == 0
    results = json.loads(text)
    assert [(r["kind"], r["fields"]) for r in results] == [
        ("keyed-din", {"din": din, "check_character": k}) for din, k in vectors.items()
    ]


# Letter-first DINs: an all-digit string can also be a GS1 element string, which is read first.
DIN_FIRST = "ABCDEFGHIJKLMNPQRSTUVWXYZ"
MOD37 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
dins = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(DIN_FIRST),
    st.text(st.sampled_from("0123456789"), min_size=12, max_size=12),
)


@settings(max_examples=200, deadline=None)
@given(din=dins, check=st.sampled_from(MOD37), space=st.booleans())
def test_keyed_din_accepted_exactly_when_k_is_right(din: str, check: str, space: bool) -> None:
    from kiosk.identity import din_check_character

    typed = din + (" " if space else "") + check
    result = parse_one(typed)
    if check == din_check_character(din):
        assert result["ok"], result
        assert result["kind"] == "keyed-din"
        assert result["fields"] == {"din": din, "check_character": check}
    else:
        assert not result["ok"]
        assert result["error"] == "check character wrong — scan again or re-type"
