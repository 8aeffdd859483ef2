"""Regenerate the label images in tests/data/labels/ with zxing-cpp's writer.

Each image is a clean symbol with its quiet zone, small enough to commit. The
script reads every image back with zxing-cpp and stops if one does not decode to
its expected text, so the files and `labels.json` (file → text, AIM id, what it
is) always agree.

Usage: python scripts/make_label_images.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

ROOT = Path(__file__).resolve().parents[1]
GS = "\x1d"

# (file, format, content for the writer, GS1 mode, text a reader returns, AIM id, note)
LABELS = [
    (
        "din_code128.png",
        "Code128",
        "=G12341765432170",
        False,
        "=G12341765432170",
        "]C0",
        "ISBT 128 DIN G123417654321, type-3 flag 70 (K = A), DOMAIN.md §2",
    ),
    (
        "wrong_patient_din_code128.png",
        "Code128",
        "=A99991712365400",
        False,
        "=A99991712365400",
        "]C0",
        "another patient's DIN A999917123654 (K = Y), flags 00",
    ),
    (
        "isbt_compound_datamatrix.png",
        "DataMatrix",
        "=+05000=Z54991712345600=%T300=<T0416003&>0183652359"
        "&,4PL001499Z549917123456A00T041600320181231",
        False,
        "=+05000=Z54991712345600=%T300=<T0416003&>0183652359"
        "&,4PL001499Z549917123456A00T041600320181231",
        "]d1",
        "ISBT 128 compound message of DOMAIN.md §2 (5 structures)",
    ),
    (
        "gs1_datamatrix.png",
        "DataMatrix",
        "(01)08430215011539(17)271231(10)A1B2C3(21)S3736",
        True,
        "01084302150115391727123110A1B2C3" + GS + "21S3736",
        "]d2",
        "GS1 Data Matrix with FNC1: GTIN, expiry 2027-12-31, lot A1B2C3, serial S3736",
    ),
    (
        "equipment_qr.png",
        "QRCode",
        "EQ-BSC-0042",
        False,
        "EQ-BSC-0042",
        "]Q1",
        "plain text in a QR code (not an ISBT 128 or GS1 label)",
    ),
]


def render(fmt: str, content: str, gs1: bool) -> np.ndarray:
    """The symbol as an 8-bit grayscale image: 3 px modules, Code 128 bars 90 px high."""
    barcode_format = zxingcpp.BarcodeFormat[fmt]
    if fmt == "DataMatrix":  # labels carry square Data Matrix symbols
        barcode = zxingcpp.create_barcode(content, barcode_format, gs1=gs1, forceSquare=True)
    else:
        barcode = zxingcpp.create_barcode(content, barcode_format, gs1=gs1)
    image = np.array(barcode.to_image(scale=3, add_quiet_zones=True), dtype=np.uint8)
    if fmt == "Code128":  # to_image draws linear codes short: stretch the bars
        image = cv2.resize(image[:1], (image.shape[1], 90), interpolation=cv2.INTER_NEAREST)
        image = cv2.copyMakeBorder(image, 12, 12, 0, 0, cv2.BORDER_CONSTANT, value=255)
    return image


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "labels")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, fmt, content, gs1, text, aim, note in LABELS:
        image = render(fmt, content, gs1)
        path = args.out / name
        if not cv2.imwrite(str(path), image, [cv2.IMWRITE_PNG_COMPRESSION, 9]):
            print(f"cannot write {path}", file=sys.stderr)
            return 1
        back = zxingcpp.read_barcodes(
            cv2.imread(str(path), cv2.IMREAD_GRAYSCALE), text_mode=zxingcpp.TextMode.Plain
        )
        if [(b.text, b.symbology_identifier) for b in back] != [(text, aim)]:
            print(f"{name}: reads back as {[(b.text, b.symbology_identifier) for b in back]}")
            return 1
        manifest.append({"file": name, "text": text, "aim": aim, "symbology": fmt, "note": note})
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    (args.out / "labels.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=True) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
