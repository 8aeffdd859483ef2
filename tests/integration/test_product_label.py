"""The printed product label reads back as this batch's identity (rasterised, then decoded)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cv2
import pytest

from kiosk.devices.decode import ZxingBackend
from kiosk.identity import Din, parse_label
from kiosk.labels import compound_message, din_with_flags, structures
from tests.helpers import run_kiosk as kiosk

ROOT = Path(__file__).resolve().parents[2]


def test_label_structures() -> None:
    content = {
        "din": "G123417654321",
        "product": "S1234A00",
        "coi": "CHG123417654321",
        "expiry": "2018-12-31T23:59:00Z",
    }
    assert din_with_flags("G123417654321") == "=G12341765432170"
    assert structures(content)[2] == "&>0183652359"  # DOMAIN.md: 2018-12-31 23:59
    label = parse_label(compound_message(content))
    assert label.compound is not None
    assert label.find(Din) == Din("G123417654321", "70")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_printed_label_decodes_to_the_batch(tmp_path: Path) -> None:
    db = tmp_path / "batch.sqlite"
    assert kiosk("oq", "run", "oq/car-t-full-batch.yaml", "--db", str(db)).returncode == 0
    pdf = tmp_path / "label.pdf"
    result = kiosk("label", "print", "--db", str(db), "--batch", "B-OQ-0001", "-o", str(pdf))
    assert result.returncode == 0, result.stdout
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60
    )
    image = cv2.imread(str(tmp_path / "page-1.png"), cv2.IMREAD_GRAYSCALE)
    codes = ZxingBackend().decode(image)
    texts = {code.symbology: code.text for code in codes}
    assert texts["Code128"] == "=G12341765432170"
    compound = parse_label(texts["DataMatrix"])
    assert compound.compound is not None
    fields = compound.as_fields()
    assert fields["din"] == "G123417654321"  # the batch's DIN, bound at receipt
    assert fields["coi"] == "CHG123417654321"
    assert fields["product_code"] == "S1234A00"
    assert fields["expiry"].startswith("2027-")  # printed with the recipe's 270-day shelf life


def test_label_print_refuses_a_batch_without_label(tmp_path: Path) -> None:
    db = tmp_path / "p11.sqlite"
    assert kiosk("oq", "run", "oq/part11-access.yaml", "--db", str(db)).returncode == 0
    missing = kiosk("label", "print", "--db", str(db), "--batch", "NOPE", "-o", str(tmp_path / "x"))
    assert missing.returncode == 1
    assert "has not reached its label step" in missing.stdout
