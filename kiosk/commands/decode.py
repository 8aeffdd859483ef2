"""`kiosk decode IMAGE...`: which codes the camera decoder finds in pictures, and what they say.

For set-up and support: point it at a photo from the station's camera to see what
the kiosk would read. One line per image: every code found (text with GS shown as
<GS>, symbology, AIM identifier) and what the label check makes of it. Exit 0 even
when no code is found; 1 when a file cannot be read as an image; 2 when the chosen
backend is not installed.
"""

# Heavy libraries (OpenCV, zxing-cpp, numpy) load inside the command, so `kiosk --help`
# stays fast: imports outside the top level are intended here.

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from kiosk.devices.decode import Code, Decoder

BACKENDS = ("pipeline", "zxing", "zbar")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kiosk decode` to the `kiosk` command."""
    parser = sub.add_parser(
        "decode",
        help="find and read barcodes in image files",
        description="Decode the barcodes in image files (PNG, JPEG, …) and check each as an "
        "ISBT 128 or GS1 label. Exit 0 even when nothing is found, 1 if a file cannot be read.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array, one per image")
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default="pipeline",
        help="pipeline (default: the camera decoder, reports valid labels only), "
        "zxing or zbar (the plain library, every read)",
    )
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.set_defaults(func=cmd_decode)


def make_decoder(backend: str) -> Decoder:
    """The named decoder; DeviceError(kind="config") when its library is missing."""
    from kiosk.devices.decode import Pipeline, ZbarBackend, ZxingBackend

    if backend == "zbar":
        return ZbarBackend()
    if backend == "zxing":
        return ZxingBackend()
    return Pipeline(use_roi=False)


def label_fields(label: object) -> dict[str, str]:
    """What a parsed label says, as name → text."""
    as_fields = getattr(label, "as_fields", None)
    if callable(as_fields):
        return {str(k): str(v) for k, v in as_fields().items()}
    if dataclasses.is_dataclass(label) and not isinstance(label, type):
        return {k: str(v) for k, v in dataclasses.asdict(label).items() if v not in (None, {})}
    return {"value": str(label)}


def describe(code: Code) -> dict[str, Any]:
    """One code as {text, shown, symbology, aim, label, fields, error}."""
    from kiosk.devices.decode import check_label
    from kiosk.identity import LabelError

    result: dict[str, Any] = {
        "text": code.text,
        "shown": code.shown,
        "symbology": code.symbology,
        "aim": code.aim,
        "label": False,
        "fields": {},
        "error": None,
    }
    try:
        label = code.label if code.status == "label" else check_label(code)
    except LabelError as exc:
        result["error"] = str(exc)
        return result
    result["label"] = True
    result["fields"] = label_fields(label)
    return result


def _line(name: str, codes: list[dict[str, Any]]) -> str:
    if not codes:
        return f"{name}: no code found"
    parts = []
    for code in codes:
        head = f"{code['shown']} ({code['symbology']} {code['aim'] or 'no AIM id'})"
        if code["label"]:
            fields = " ".join(f"{k}={v}" for k, v in code["fields"].items())
            parts.append(f"{head} label: {fields}")
        else:
            parts.append(f"{head} not a label: {code['error']}")
    return f"{name}: " + " | ".join(parts)


def cmd_decode(args: argparse.Namespace, out: TextIO) -> int:
    import cv2
    import numpy as np

    from kiosk.devices.errors import DeviceError

    try:
        decoder = make_decoder(args.backend)
    except DeviceError as exc:
        print(f"decode: {exc}", file=out)
        return 2
    unreadable = 0
    results = []
    for name in args.images:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            unreadable += 1
            reason = exc.strerror or "cannot open"
            results.append({"image": name, "error": f"cannot read the file ({reason})"})
            continue
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
        if image is None:
            unreadable += 1
            results.append({"image": name, "error": "not an image this tool can read"})
            continue
        try:
            codes = decoder.decode(np.asarray(image, dtype=np.uint8))
        except DeviceError as exc:
            unreadable += 1
            results.append({"image": name, "error": str(exc)})
            continue
        results.append({"image": name, "error": None, "codes": [describe(c) for c in codes]})
    if args.json:
        out.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    else:
        for result in results:
            if result["error"]:
                print(f"{result['image']}: {result['error']}", file=out)
            else:
                print(_line(result["image"], result["codes"]), file=out)
    return 1 if unreadable else 0
