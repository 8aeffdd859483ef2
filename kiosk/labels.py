"""The final product label: one model (`ProductLabel`), drawn as a PDF here and as ZPL.

ISBT 128 in Code 128 and a Data Matrix compound message.

The label carries the DIN with its type-3 flag, the product code, the expiry
date and time, the chain-of-identity identifier and the patient identifiers,
both as barcodes a scanner reads back and as eye-readable text (with the DIN's
keyboard check character in a box). The content comes from the batch record
(the `label_print` step's recorded `label`), never from what someone types.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import zxingcpp
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk.identity import LabelError, din_check_character
from kiosk.text import Text, message_of

_MOD37 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
LABEL_MM = (100, 100)  # a 100 × 100 mm bag label (ISBT 128 labels are 4 × 4 inches)


class LabelPrintError(Exception):
    """The label cannot be made from this content; str() says why."""


def din_with_flags(din: str) -> str:
    """`=` + DIN + type-3 flag (60 + the check value), as structure 001 carries it."""
    check = din_check_character(din)
    return f"={din}{60 + _MOD37.index(check):02d}"


def _isbt_date(moment: datetime) -> str:
    """cyyjjjhhmm: century digit (0 = 20xx), year, day of year, hour, minute."""
    return f"{moment.year // 100 - 20}{moment:%y}{moment.timetuple().tm_yday:03d}{moment:%H%M}"


def structures(content: Mapping[str, Any]) -> list[str]:
    """The ISBT 128 data structures the label carries, in the order they are printed."""
    din = content.get("din")
    if not din:
        raise LabelPrintError(Text("no DIN in the label content"))
    try:
        found = [din_with_flags(str(din))]
    except LabelError as exc:
        raise LabelPrintError(message_of(exc)) from None
    product = content.get("product")
    if product:
        if len(str(product)) != 8:
            raise LabelPrintError(
                Text("product code {product!r} is not 8 characters", product=product)
            )
        found.append(f"=<{product}")
    expiry = content.get("expiry")
    if expiry:
        try:
            moment = datetime.fromisoformat(str(expiry).replace("Z", "+00:00"))
        except ValueError:
            raise LabelPrintError(
                Text("expiry {expiry!r} is not a date and time", expiry=expiry)
            ) from None
        found.append("&>" + _isbt_date(moment))
    coi = content.get("coi")
    if coi:
        found.append(f"&/{coi}")
    return found


def compound_message(content: Mapping[str, Any]) -> str:
    """Structure 023: `=+` count, `000` (order undefined), then the structures back to back."""
    parts = structures(content)
    return f"=+{len(parts):02d}000" + "".join(parts)


HEADER = "AUTOLOGOUS USE ONLY — CELLULAR THERAPY"


@dataclass(frozen=True)
class ProductLabel:
    """Everything a product label carries, whatever draws it (PDF, ZPL).

    Barcodes: `din_barcode` (structure 001 with flags, Code 128),
    `product_barcode` (structure 003, Code 128) and `compound` (structure 023,
    Data Matrix). Eye-readable: `header`, `identifier_lines`, `din_text` with
    the boxed `check_character`, `flags`, `structure_lines`, `expiry_text`
    and `batch_text`.
    """

    batch: str
    din: str
    din_barcode: str
    check_character: str
    flags: str
    product_barcode: str | None
    compound: str
    header: str
    identifier_lines: tuple[str, ...]
    din_text: str
    structure_lines: tuple[str, ...]
    expiry_text: str | None
    batch_text: str
    copies: int

    def eye_readable(self) -> list[str]:
        """The printed text lines, in order (the check character boxed after the DIN)."""
        lines = [self.header, *self.identifier_lines, self.din_text, self.check_character]
        lines += list(self.structure_lines)
        if self.expiry_text:
            lines.append(self.expiry_text)
        return [*lines, self.batch_text]


def label_model(content: Mapping[str, Any]) -> ProductLabel:
    """The label of a recorded `label_print` content; LabelPrintError when it cannot be made."""
    parts = structures(content)
    din = str(content["din"])
    identifiers = []
    for key, value in dict(content.get("identifiers", {})).items():
        if key in ("DIN", "CoI"):
            continue
        name = key.replace("_", " ").title().replace(" Id", " ID")
        identifiers.append(f"{name}: {value}")
    product = content.get("product")
    expiry = content.get("expiry")
    try:
        copies = int(content.get("copies", 1))
    except (TypeError, ValueError):
        raise LabelPrintError(
            Text("copies {copies!r} is not a number", copies=content.get("copies"))
        ) from None
    if not 1 <= copies <= 99:
        raise LabelPrintError(Text("copies {copies} is not between 1 and 99", copies=copies))
    return ProductLabel(
        batch=str(content.get("batch", "")),
        din=din,
        din_barcode=parts[0],
        check_character=din_check_character(din),
        flags=parts[0][-2:],
        product_barcode=f"=<{product}" if product else None,
        compound=compound_message(content),
        header=HEADER,
        identifier_lines=tuple(identifiers),
        din_text=f"{din[:5]} {din[5:7]} {din[7:]}",
        structure_lines=tuple(parts[1:]),
        expiry_text=f"Expires (UTC): {str(expiry)[:16]}" if expiry else None,
        batch_text=f"Batch {content.get('batch', '')}",
        copies=copies,
    )


def data_matrix_modules(text: str) -> list[list[bool]]:
    """A square ECC 200 Data Matrix of `text` as rows of modules (True = dark), via zxing-cpp."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.DataMatrix, forceSquare=True)
    image = np.asarray(barcode.to_image(scale=1, add_quiet_zones=False), dtype=np.uint8)
    return [[bool(value < 128) for value in row] for row in image]


def write_label_pdf(content: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Draw the product label into `path` (one page per copy)."""
    label = label_model(content)
    width, height = LABEL_MM[0] * mm, LABEL_MM[1] * mm
    canvas = Canvas(str(path), pagesize=(width, height))
    canvas.setTitle(f"Product label {label.batch}")
    modules = data_matrix_modules(label.compound)
    for _copy in range(label.copies):
        y = height - 8 * mm
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(5 * mm, y, label.header)
        y -= 6 * mm
        canvas.setFont("Helvetica", 8)
        for line in label.identifier_lines:
            canvas.drawString(5 * mm, y, line)
            y -= 4 * mm
        # DIN in Code 128 with its eye-readable text and boxed keyboard check character
        barcode = Code128(label.din_barcode, barHeight=12 * mm, barWidth=0.33 * mm, quiet=True)
        barcode.drawOn(canvas, 3 * mm, y - 14 * mm)
        y -= 19 * mm
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(5 * mm, y, label.din_text)
        canvas.rect(47 * mm, y - 1 * mm, 5 * mm, 5 * mm)
        canvas.drawString(48 * mm, y, label.check_character)
        canvas.setFont("Helvetica", 8)
        y -= 6 * mm
        for line in label.structure_lines:
            canvas.drawString(5 * mm, y, line)
            y -= 4 * mm
        if label.expiry_text:
            canvas.drawString(5 * mm, y, label.expiry_text)
            y -= 4 * mm
        # the compound message in a square Data Matrix, bottom right, drawn as vector modules
        module = 0.9 * mm
        side = len(modules) * module
        left, bottom = width - side - 6 * mm, 6 * mm
        for row, cells in enumerate(modules):
            for col, dark in enumerate(cells):
                if dark:
                    top = bottom + side - (row + 1) * module
                    canvas.rect(left + col * module, top, module, module, stroke=0, fill=1)
        canvas.setFont("Helvetica", 7)
        canvas.drawString(5 * mm, 5 * mm, label.batch_text)
        canvas.showPage()
    canvas.save()
