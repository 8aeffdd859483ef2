"""Camera-like frames of cleanroom labels, for the decoding benchmark and tests.

Each frame is 1280×720 BGR: a label (white card with one barcode and some printed
text) composited onto a textured, cluttered background with a random rotation and
perspective, then blurred, lit unevenly, given sensor noise and JPEG re-compressed.
Three kinds of label, in equal shares:

- ``din128``: an ISBT 128 DIN in Code 128 (``=`` + 13 + 2 flags, type-3 flag or 00);
- ``isbtdm``: an ISBT 128 compound message in Data Matrix (DIN, ABO/RhD, product
  code, expiry, sometimes collection date);
- ``gs1dm``: a GS1 Data Matrix with FNC1 (GTIN, expiry, lot, sometimes production
  date and serial), read back as ``]d2`` with GS separators.

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed gives the
same frames, byte for byte, on the same OpenCV/zxing-cpp versions.

Usage: python benchmarks/decode/make_corpus.py [--frames N] [--empty N] [--seed S] [--out DIR]

Writes ``frame_NNNN.jpg`` and ``manifest.json`` (file → expected text, AIM id, kind).
The corpus is not committed: regenerate it.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

WIDTH, HEIGHT = 1280, 720
GS = "\x1d"
KINDS = ("din128", "isbtdm", "gs1dm")
_MOD37 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_DIN_FIRST = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"  # α: A–N, P–Z, 1–9 (no O)

Gray = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Truth:
    """What a frame holds: the decoded text a correct reader returns and its AIM id."""

    file: str
    kind: str
    text: str
    aim: str


# ---------------------------------------------------------------- label content


def _mod37(din13: str) -> int:
    total = 0
    for char in din13:
        total = ((total + _MOD37.index(char)) * 2) % 37
    return (38 - total) % 37


def random_din(rng: np.random.Generator) -> str:
    """A valid DIN barcode text: ``=`` + facility + year + sequence + flags."""
    first = _DIN_FIRST[rng.integers(len(_DIN_FIRST))]
    digits = "".join(str(d) for d in rng.integers(0, 10, 12))
    din13 = first + digits[:4] + f"{rng.integers(20, 30):02d}" + digits[6:12]
    flags = f"{60 + _mod37(din13):02d}" if rng.random() < 0.7 else "00"
    return f"={din13}{flags}"


def _julian(rng: np.random.Generator) -> str:
    return f"0{rng.integers(24, 30):02d}{rng.integers(1, 366):03d}"


def random_isbt_compound(rng: np.random.Generator) -> str:
    """An ISBT 128 compound message whose declared count matches its structures."""
    parts = [
        random_din(rng),
        "=%" + ["5100", "6200", "T300", "0600"][rng.integers(4)],
        "=<" + ["S12954A0", "S11804A0"][rng.integers(2)],
        f"&>{_julian(rng)}{rng.integers(0, 24):02d}{rng.integers(0, 60):02d}",
    ]
    if rng.random() < 0.5:
        parts.append("=*" + _julian(rng))
    return f"=+{len(parts):02d}000" + "".join(parts)


def gtin_with_check(data13: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data13)))
    return data13 + str((10 - total % 10) % 10)


def random_gs1(rng: np.random.Generator) -> tuple[str, str]:
    """(HRI for the encoder, plain text a reader returns with GS separators)."""
    gtin = gtin_with_check("0" + "".join(str(d) for d in rng.integers(0, 10, 12)))
    expiry = f"{rng.integers(25, 31):02d}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}"
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    lot = "".join(alphabet[i] for i in rng.integers(0, len(alphabet), rng.integers(4, 11)))
    fields: list[tuple[str, str]] = [("01", gtin)]
    if rng.random() < 0.3:
        fields.append(("11", f"{rng.integers(22, 25):02d}{rng.integers(1, 13):02d}15"))
    fields += [("17", expiry), ("10", lot)]
    if rng.random() < 0.5:
        fields.append(("21", "S" + "".join(str(d) for d in rng.integers(0, 10, 6))))
    hri = "".join(f"({ai}){value}" for ai, value in fields)
    plain = ""
    for index, (ai, value) in enumerate(fields):
        plain += ai + value
        if ai in ("10", "21") and index < len(fields) - 1:
            plain += GS
    return hri, plain


def label_content(rng: np.random.Generator, kind: str) -> tuple[str, str, str, bool]:
    """(encoder content, expected text, AIM id, GS1 mode) for one label kind."""
    if kind == "din128":
        din = random_din(rng)
        return din, din, "]C0", False
    if kind == "isbtdm":
        message = random_isbt_compound(rng)
        return message, message, "]d1", False
    hri, plain = random_gs1(rng)
    return hri, plain, "]d2", True


def symbol(content: str, kind: str, gs1: bool) -> Gray:
    """The bare symbol, one pixel per module, with its quiet zone (255 = white)."""
    fmt = zxingcpp.BarcodeFormat.Code128 if kind == "din128" else zxingcpp.BarcodeFormat.DataMatrix
    if kind == "din128":
        barcode = zxingcpp.create_barcode(content, fmt)
    else:  # labels carry square Data Matrix symbols; the writer would pick a rectangle
        barcode = zxingcpp.create_barcode(content, fmt, gs1=gs1, forceSquare=True)
    return np.array(barcode.to_image(scale=1, add_quiet_zones=True), dtype=np.uint8)


# ---------------------------------------------------------------- rendering


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> Any:
    small = rng.random((cells, max(2, cells * shape[1] // shape[0])), dtype=np.float32)
    return cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def background(rng: np.random.Generator) -> Any:
    """A cluttered work surface: multi-scale texture, shapes, lines and text."""
    base = rng.uniform(60, 190)
    tex = sum(_smooth_field(rng, (HEIGHT, WIDTH), c) * w for c, w in ((3, 60), (12, 30), (60, 14)))
    gray = np.clip(base + tex - 52, 0, 255).astype(np.float32)
    img = np.clip(cv2.merge([gray * rng.uniform(0.85, 1.15) for _ in range(3)]), 0, 255)
    img = img.astype(np.uint8)
    for _ in range(rng.integers(4, 12)):
        color = tuple(float(c) for c in rng.uniform(20, 235, 3))
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        w, h = int(rng.integers(20, 400)), int(rng.integers(20, 300))
        shape = rng.integers(3)
        if shape == 0:
            cv2.rectangle(img, (x, y), (x + w, y + h), color, -1)
        elif shape == 1:
            cv2.circle(img, (x, y), w // 3, color, -1)
        else:
            cv2.line(img, (x, y), (x + w, y + h), color, int(rng.integers(1, 6)))
    for _ in range(rng.integers(0, 4)):  # stray print: hatching and text, barcode-like clutter
        x, y = int(rng.integers(0, WIDTH - 200)), int(rng.integers(0, HEIGHT - 40))
        for k in range(int(rng.integers(5, 25))):
            cv2.line(img, (x + 4 * k, y), (x + 4 * k, y + 30), (30, 30, 30), 1)
        cv2.putText(img, "LOT 4711-B", (x, y + 60), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (40, 40, 40), 2)
    return img


def label_card(rng: np.random.Generator, sym: Gray, kind: str) -> Any:
    """The symbol scaled to its printed module size on a card with human-readable text."""
    if kind == "din128":
        module = rng.uniform(2.2, 4.0)  # px per module in the frame (before perspective)
        bar_h = int(rng.uniform(0.15, 0.30) * sym.shape[1] * module)
        scaled = cv2.resize(
            sym, (int(sym.shape[1] * module), bar_h), interpolation=cv2.INTER_NEAREST
        )
    else:
        module = rng.uniform(3.2, 8.0)
        size = (int(sym.shape[1] * module), int(sym.shape[0] * module))
        scaled = cv2.resize(sym, size, interpolation=cv2.INTER_NEAREST)
    pad = int(rng.uniform(10, 40))
    h, w = scaled.shape
    card = np.full((h + 2 * pad + 60, w + 2 * pad + 20), 250, np.uint8)
    card[pad : pad + h, pad + 10 : pad + 10 + w] = scaled
    cv2.putText(
        card,
        "PATIENT ID  ISBT 128" if kind != "gs1dm" else "REAGENT  LOT",
        (pad, pad + h + 40),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.7,
        40,
        2,
    )
    return card


def composite(rng: np.random.Generator, bg: Any, card: Any) -> Any:
    """Warp the card into the frame with rotation, scale jitter and perspective."""
    h, w = card.shape
    angle = math.radians(rng.uniform(-25, 25) + (90 * rng.integers(4) if rng.random() < 0.3 else 0))
    diag = math.hypot(w, h)
    margin = diag / 2 + 10
    cx = rng.uniform(margin, WIDTH - margin) if 2 * margin < WIDTH else WIDTH / 2
    cy = rng.uniform(margin, HEIGHT - margin) if 2 * margin < HEIGHT else HEIGHT / 2
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    cos, sin = math.cos(angle), math.sin(angle)
    dst = []
    for x, y in src - np.array([w / 2, h / 2], np.float32):
        jitter = rng.normal(0, 0.04 * diag, 2)  # perspective: corners moved independently
        dst.append([cx + x * cos - y * sin + jitter[0], cy + x * sin + y * cos + jitter[1]])
    matrix = cv2.getPerspectiveTransform(src, np.array(dst, np.float32))
    warped = cv2.warpPerspective(card, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full_like(card, 255), matrix, (WIDTH, HEIGHT)) > 127
    tint = rng.uniform(0.9, 1.05, 3)
    out = bg.copy()
    for ch in range(3):
        out[..., ch][mask] = np.clip(warped[mask] * tint[ch], 0, 255).astype(np.uint8)
    return out


def camera(rng: np.random.Generator, img: Any) -> Any:
    """Optics and sensor: blur, uneven light, noise, then JPEG re-compression."""
    sigma = rng.uniform(0.3, 1.6)
    img = cv2.GaussianBlur(img.astype(np.float32), (0, 0), sigma)
    if rng.random() < 0.2:  # a little motion blur
        length = int(rng.integers(3, 7))
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1.0 / length
        rot = cv2.getRotationMatrix2D((length / 2, length / 2), float(rng.uniform(0, 180)), 1.0)
        kernel = cv2.warpAffine(kernel, rot, (length, length))
        img = cv2.filter2D(img, -1, kernel / max(float(kernel.sum()), 1e-6))
    light = 0.45 + 0.8 * _smooth_field(rng, (HEIGHT, WIDTH), 2)  # vignetting, glare, shadow
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    gx, gy = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
    glare = rng.uniform(0, 0.5) * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * 220.0**2))
    img = img * (light + glare)[..., None]
    img = img + rng.normal(0, rng.uniform(2, 9), img.shape).astype(np.float32)
    frame = np.clip(img, 0, 255).astype(np.uint8)
    quality = int(rng.integers(55, 92))
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return jpeg


def make_frame(rng: np.random.Generator, kind: str) -> tuple[bytes, str, str]:
    """One JPEG frame of the given kind: (jpeg bytes, expected text, expected AIM id)."""
    content, text, aim, gs1 = label_content(rng, kind)
    sym = symbol(content, kind, gs1)
    card = label_card(rng, sym, kind)
    frame = composite(rng, background(rng), card)
    return bytes(camera(rng, frame)), text, aim


def make_empty_frame(rng: np.random.Generator) -> bytes:
    """A frame with no label in view: what the camera sees most of the time."""
    return bytes(camera(rng, background(rng)))


def make_corpus(out: Path, frames: int = 300, seed: int = 20261127, empty: int = 0) -> list[Truth]:
    """Write `frames` label frames, `empty` frames without a label and manifest.json."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    truths: list[Truth] = []
    for index in range(frames):
        kind = KINDS[index % len(KINDS)]
        jpeg, text, aim = make_frame(rng, kind)
        name = f"frame_{index:04d}.jpg"
        (out / name).write_bytes(jpeg)
        truths.append(Truth(name, kind, text, aim))
    for index in range(empty):
        name = f"empty_{index:04d}.jpg"
        (out / name).write_bytes(make_empty_frame(rng))
        truths.append(Truth(name, "empty", "", ""))
    manifest = [asdict(t) for t in truths]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return truths


def load_manifest(folder: Path) -> list[Truth]:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [Truth(**item) for item in data]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--empty", type=int, default=0, help="frames with no label")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--out", type=Path, default=None, help="default: a new temp folder")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="decode-corpus-"))
    truths = make_corpus(out, args.frames, args.seed, args.empty)
    print(f"wrote {len(truths)} frames and manifest.json to {out}")


if __name__ == "__main__":
    main()
