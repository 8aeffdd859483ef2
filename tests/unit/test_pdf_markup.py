"""Text from the record reaches the PDF as text, never as reportlab markup.

A batch named `B-BAD<unclosed`, a user whose name holds a tag and a comment holding
`<img src="/etc/passwd"/>` are exported through the command; pdftotext must show each
literally and pdfimages must find no image. Batch IDs typed into a script follow the
documented pattern (kiosk.batchid).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.batchid import BATCH_ID_PATTERN, batch_id_problem
from kiosk.labels import write_label_pdf
from local_store import EventStore
from tests.helpers import ROOT, run_kiosk

BAD_BATCH = "B-BAD<unclosed"
IMG = '<img src="/etc/passwd"/>'
NAME = "Eve <i>unclosed & co"
TRAINEE = "<font size=40>Trainee"
BAG = "=G12341765432170"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
    reason="pdftotext/pdfimages (Debian poppler-utils) are not installed",
)


def script(batch: str | None = None) -> str:
    start = f", batch: {batch!r}" if batch else ""
    return f"""
title: markup in every text field
recipes: [{ROOT / "recipes" / "training.yaml"}]
start: 2026-11-27T07:00:00Z
users: [{{id: eve, name: {NAME!r}, roles: [operator], password: op-eve-pass-1}}]
steps:
  - {{do: login, user: eve, password: op-eve-pass-1}}
  - {{do: start, recipe: training, context: {{trainee: {TRAINEE!r}}}{start}}}
  - {{do: confirm}}
  - {{do: scan, text: "{BAG}"}}
  - {{do: check, result: pass, comment: {IMG!r}}}
  - {{do: hold, reason: "paused <b>unclosed"}}
"""


def text_of(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def images_in(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    )
    return out.stdout.splitlines()[2:]  # after the two header lines


@pytest.fixture(scope="module")
def bad_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch run through the engine, then its events written again under BAD_BATCH.

    The engine no longer accepts such an ID; a record from older software, or another
    station's events on the server, can still carry one.
    """
    tmp = tmp_path_factory.mktemp("markup")
    path = tmp / "script.yaml"
    path.write_text(script(), encoding="utf-8")
    source = tmp / "source.sqlite"
    result = run_kiosk("oq", "run", str(path), "--db", str(source))
    assert result.returncode == 0, result.stdout
    db = tmp / "bad.sqlite"
    with (
        EventStore(source, "CHECK", read_only=True) as old,
        EventStore(db, old.stations()[0]) as new,
    ):
        [batch] = {e.batch for e in old.events() if e.batch}
        for e in old.events():
            new.append(
                e.type,
                e.payload,
                actor=e.actor,
                batch=BAD_BATCH if e.batch == batch else e.batch,
                reason=e.reason,
            )
    return db


@pytest.mark.parametrize("review_only", [False, True], ids=["record", "review"])
def test_markup_in_the_record_is_printed_literally(
    bad_record: Path, tmp_path: Path, review_only: bool
) -> None:
    pdf = tmp_path / "record.pdf"
    args = ["ebr", "export", "--db", str(bad_record), "--batch", BAD_BATCH, "-o", str(pdf)]
    result = run_kiosk(*args, *(["--review-only"] if review_only else []))
    assert result.returncode == 0, result.stdout + result.stderr
    text = " ".join(text_of(pdf).split())
    assert BAD_BATCH in text
    assert TRAINEE in text
    if not review_only:
        assert IMG in text
        assert "paused <b>unclosed" in text
    assert images_in(pdf) == []  # /etc/passwd (or anything else) was not embedded


def test_label_prints_markup_literally(tmp_path: Path) -> None:
    pdf = tmp_path / "label.pdf"
    write_label_pdf(
        {
            "label": "product",
            "batch": BAD_BATCH,
            "din": "G123417654321",
            "identifiers": {"Patient": IMG},
            "printed": "2026-11-27T07:00:00Z",
        },
        pdf,
    )
    text = " ".join(text_of(pdf).split())
    assert BAD_BATCH in text
    assert IMG in text
    assert images_in(pdf) == []


def test_script_with_a_bad_batch_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "script.yaml"
    path.write_text(script(BAD_BATCH), encoding="utf-8")
    result = run_kiosk("oq", "run", str(path), "--db", str(tmp_path / "x.sqlite"))
    assert result.returncode == 1
    assert f"batch ID {BAD_BATCH!r} is not allowed" in result.stdout


@given(st.from_regex(BATCH_ID_PATTERN, fullmatch=True))
def test_every_id_of_the_pattern_is_accepted(batch_id: str) -> None:
    assert batch_id_problem(batch_id) is None


@given(st.text(max_size=50))
def test_accepted_ids_need_no_quoting(batch_id: str) -> None:
    if batch_id_problem(batch_id) is None:
        assert not set(batch_id) & set("<>&\"' /\\%?#")
        assert 1 <= len(batch_id) <= 40


def test_header_without_identifiers_escapes_the_batch_id(
    bad_record: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch whose recipe names no identifier: the header is the batch ID alone."""
    from kiosk import ebr

    monkeypatch.setattr(ebr.BatchRecord, "identifiers", lambda _self: [])
    pdf = tmp_path / "record.pdf"
    ebr.export(bad_record, BAD_BATCH, pdf)
    text = text_of(pdf)
    assert f"Batch {BAD_BATCH}" in text
    assert images_in(pdf) == []
