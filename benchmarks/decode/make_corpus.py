"""Hard camera frames of bag labels, for the decoding benchmark and tests.

Each frame is 1280×720 greyscale JPEG: a camera over a cleanroom bench looking at an
ISBT 128 bag label (issue 15). The label carries four codes:

- ``din``: the DIN with its flags in Code 128 (``kiosk.labels.din_with_flags``);
- ``product``: the product code in Code 128 (``=<`` + 8 characters);
- ``expiry``: the expiration date and time in Code 128 (``&>`` + cyyjjjhhmm);
- ``isbtdm`` or ``gs1dm``: a Data Matrix, either the ISBT 128 compound message of the
  same structures (``kiosk.labels.compound_message``) or, on a reagent sticker, a GS1
  element string with FNC1 (GTIN, expiry, lot, sometimes serial), read back with GS.

Distortions, each drawn per frame from ``numpy.random.default_rng(seed)``:

- scale: the label is 0.55–1.0 of a label that fills the frame's height (a label that
  would stick out of the frame once turned is shrunk until it fits: all codes are in view);
- Code 128 at 1.0–3.5 px per module (the X dimension follows from the scale; at least
  40 % of the frames hold codes of 1.0–1.5 px per module), Data Matrix 2.0–4.5 px;
- rotation ±12°, perspective: each corner moved up to ±12 % of the label's size;
- a curved bag surface (the label wrapped round a cylinder, shaded by its angle);
- contrast of the print down to 64 %; a lighting gradient across the frame;
- a textured, cluttered background (bench, gloves, other print);
- specular glare on the bag film; frost (a white, speckled veil) on a cryobag;
- Gaussian blur σ 0.3–1.5 px and motion blur of a hand-held bag (up to 6 px). The
  blur of a frame is capped at 0.4 × the Code 128 module (σ of Gaussian and motion
  blur combined): beyond that the narrow bars are washed out (measured: plain and
  row-averaged zxing read almost nothing at 0.55), so a 1.0 px code comes at σ ≤ 0.4
  and σ 1.5 needs modules of 3.75 px;
- sensor noise σ 2–11 grey levels; JPEG quality 55–90.

Each frame gets a difficulty in [0, 1] (the mean of its distortions, each scaled to
its range) so the benchmark can report reads by difficulty quartile.

Same seed → the same frames, byte for byte, with the same OpenCV and zxing-cpp.

Usage: python benchmarks/decode/make_corpus.py [--frames N] [--empty N] [--seed S] [--out DIR]

Writes ``frame_NNNN.jpg`` and ``manifest.json`` (file → codes: kind, text, AIM id).
The corpus is not committed: regenerate it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from kiosk.labels import compound_message, din_with_flags, structures

WIDTH, HEIGHT = 1280, 720
GS = "\x1d"
BLUR_PER_MODULE = 0.4  # the most blur (σ, px) a Code 128 module (px) can take
OVERSAMPLE = 4  # the label is drawn 4× finer than the frame, then warped down
_DIN_FIRST = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"  # α: A–N, P–Z, 1–9 (no O)
_PRODUCTS = ("S1234A00", "S2891A00", "S1280B00", "S3001X00", "E0791V00")

Gray = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class CodeTruth:
    kind: str
    text: str
    aim: str
    corners: list[list[float]] = field(default_factory=list)  # in the frame (curve ignored)


@dataclass(frozen=True)
class Truth:
    """A frame and the codes it holds (empty for a frame without a label)."""

    file: str
    codes: list[CodeTruth] = field(default_factory=list)
    difficulty: float = 0.0
    conditions: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- label content


def random_din(rng: np.random.Generator) -> str:
    first = _DIN_FIRST[rng.integers(len(_DIN_FIRST))]
    digits = "".join(str(d) for d in rng.integers(0, 10, 10))
    return first + digits[:4] + f"{rng.integers(20, 30):02d}" + digits[4:10]


def gtin_with_check(data13: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data13)))
    return data13 + str((10 - total % 10) % 10)


def random_gs1(rng: np.random.Generator) -> tuple[str, str]:
    """(HRI for the encoder, plain text a reader returns with GS separators)."""
    gtin = gtin_with_check("0" + "".join(str(d) for d in rng.integers(0, 10, 12)))
    expiry = f"{rng.integers(26, 31):02d}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}"
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    lot = "".join(alphabet[i] for i in rng.integers(0, len(alphabet), rng.integers(4, 11)))
    fields: list[tuple[str, str]] = [("01", gtin), ("17", expiry), ("10", lot)]
    if rng.random() < 0.5:
        fields.append(("21", "S" + "".join(str(d) for d in rng.integers(0, 10, 6))))
    hri = "".join(f"({ai}){value}" for ai, value in fields)
    plain = ""
    for index, (ai, value) in enumerate(fields):
        plain += ai + value
        if ai in ("10", "21") and index < len(fields) - 1:
            plain += GS
    return hri, plain


def label_codes(rng: np.random.Generator) -> list[tuple[CodeTruth, str, bool]]:
    """The label's codes: (truth, encoder content, GS1 mode)."""
    din = random_din(rng)
    expiry = datetime(2026, 1, 1) + timedelta(minutes=int(rng.integers(0, 3 * 365 * 24 * 60)))
    content = {
        "din": din,
        "product": _PRODUCTS[rng.integers(len(_PRODUCTS))],
        "expiry": expiry.isoformat(),
    }
    din_text, product, expiry_text = structures(content)
    assert din_text == din_with_flags(din)
    codes = [
        (CodeTruth("din", din_text, "]C0"), din_text, False),
        (CodeTruth("product", product, "]C0"), product, False),
        (CodeTruth("expiry", expiry_text, "]C0"), expiry_text, False),
    ]
    if rng.random() < 0.5:
        message = compound_message(content)
        codes.append((CodeTruth("isbtdm", message, "]d1"), message, False))
    else:
        hri, plain = random_gs1(rng)
        codes.append((CodeTruth("gs1dm", plain, "]d2"), hri, True))
    return codes


def symbol(content: str, matrix: bool, gs1: bool) -> Gray:
    """The bare symbol, one pixel per module, no quiet zone (255 = white)."""
    if matrix:
        barcode = zxingcpp.create_barcode(
            content, zxingcpp.BarcodeFormat.DataMatrix, gs1=gs1, forceSquare=True
        )
        return np.array(barcode.to_image(scale=1, add_quiet_zones=False), dtype=np.uint8)
    barcode = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.Code128)
    return np.array(barcode.to_image(scale=1, add_quiet_zones=False), dtype=np.uint8)[:1]


# ---------------------------------------------------------------- rendering


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> Floats:
    small = rng.random((cells, max(2, cells * shape[1] // shape[0])), dtype=np.float32)
    out = cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)
    return np.asarray(out, np.float32)


def background(rng: np.random.Generator) -> Floats:
    """A cluttered bench: multi-scale texture, shapes, lines, hatching and text."""
    base = rng.uniform(50, 170)
    tex = sum(_smooth_field(rng, (HEIGHT, WIDTH), c) * w for c, w in ((3, 70), (16, 30), (90, 18)))
    img = np.clip(base + tex - 59, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(4, 12))):
        color = int(rng.uniform(20, 235))
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        w, h = int(rng.integers(20, 400)), int(rng.integers(20, 300))
        shape = rng.integers(3)
        if shape == 0:
            cv2.rectangle(img, (x, y), (x + w, y + h), color, -1)
        elif shape == 1:
            cv2.circle(img, (x, y), w // 3, color, -1)
        else:
            cv2.line(img, (x, y), (x + w, y + h), color, int(rng.integers(1, 6)))
    for _ in range(int(rng.integers(1, 5))):  # stray print: hatching and text, barcode-like
        x, y = int(rng.integers(0, WIDTH - 200)), int(rng.integers(0, HEIGHT - 40))
        step = int(rng.integers(2, 6))
        for k in range(int(rng.integers(5, 30))):
            cv2.line(img, (x + step * k, y), (x + step * k, y + 30), 30, 1)
        cv2.putText(img, "LOT 4711-B", (x, y + 60), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 40, 2)
    return img.astype(np.float32)


@dataclass
class Look:
    """The distortions of one frame."""

    scale: float
    module128: float
    module_dm: float
    rotation: float
    perspective: float
    curvature: float
    contrast: float
    gradient: float
    glare: float
    frost: float
    blur: float
    motion: float
    noise: float
    quality: int

    def difficulty(self) -> float:
        parts = [
            (3.5 - self.module128) / 2.5,
            (1.0 - self.scale) / 0.45,
            abs(self.rotation) / 12,
            self.perspective / 0.12,
            self.curvature / 70,
            (1.0 - self.contrast) / 0.36,
            self.gradient / 0.6,
            self.glare,
            self.frost / 0.4,
            self.blur / 1.5,
            self.motion / 6,
            self.noise / 11,
        ]
        return float(np.clip(np.mean(parts), 0, 1))


def draw_look(rng: np.random.Generator) -> Look:
    blur = float(rng.uniform(0.3, 1.5))
    motion = float(rng.uniform(1.5, 6.0)) if rng.random() < 0.35 else 0.0
    blur_total = math.sqrt(blur**2 + motion**2 / 12)
    if rng.random() < 0.4:  # the hard case of the issue: 1.0–1.5 px per module
        module128 = float(rng.uniform(1.0, 1.5))
        cap = BLUR_PER_MODULE * module128
        if blur_total > cap:
            shrink = cap / blur_total
            blur, motion = blur * shrink, motion * shrink
    else:
        low = max(1.0, blur_total / BLUR_PER_MODULE)
        module128 = float(rng.uniform(min(low, 3.5), 3.5))
        if blur_total > BLUR_PER_MODULE * module128:
            shrink = BLUR_PER_MODULE * module128 / blur_total
            blur, motion = blur * shrink, motion * shrink
    return Look(
        scale=float(rng.uniform(0.55, 1.0)),
        module128=module128,
        module_dm=float(rng.uniform(2.0, 4.5)),
        rotation=float(rng.uniform(-12, 12)),
        perspective=float(rng.uniform(0, 0.12)),
        curvature=float(rng.uniform(0, 70)) if rng.random() < 0.6 else 0.0,
        contrast=float(rng.uniform(0.64, 1.0)),
        gradient=float(rng.uniform(0.1, 0.6)),
        glare=float(rng.uniform(0.3, 1.0)) if rng.random() < 0.5 else 0.0,
        frost=float(rng.uniform(0.1, 0.4)) if rng.random() < 0.35 else 0.0,
        blur=blur,
        motion=motion,
        noise=float(rng.uniform(2, 11)),
        quality=int(rng.integers(55, 91)),
    )


def _place(card: Gray, sym: Gray, x: int, y: int, mw: float, mh: float, ink: int) -> int:
    """Draw `sym` (1 px per module) with modules mw × mh card pixels at (x, y); its height."""
    w, h = max(1, round(sym.shape[1] * mw)), max(1, round(sym.shape[0] * mh))
    scaled = cv2.resize(sym, (w, h), interpolation=cv2.INTER_NEAREST)
    region = card[y : y + h, x : x + w]
    region[scaled[: region.shape[0], : region.shape[1]] < 128] = ink
    return h


def label_card(
    rng: np.random.Generator,
    codes: list[tuple[CodeTruth, str, bool]],
    look: Look,
    boxes: list[tuple[int, int, int, int]] | None = None,
) -> Floats:
    """The label at OVERSAMPLE × frame resolution: paper, codes, text, ruled boxes."""
    s = OVERSAMPLE
    side = int(HEIGHT * look.scale * s)  # a 100 mm label: square
    paper = int(rng.uniform(215, 245))
    ink = int(paper - look.contrast * (paper - 25))
    card = np.full((side, side), paper, np.uint8)
    m128, mdm = look.module128 * s, look.module_dm * s
    quiet = int(10 * m128)
    y = int(0.05 * side)
    for truth, content, gs1 in codes:
        matrix = truth.kind.endswith("dm")
        sym = symbol(content, matrix, gs1)
        if matrix:
            x = int(rng.uniform(0.05, 0.5) * side)
            x = min(x, side - round(sym.shape[1] * mdm) - quiet)
            if x < quiet:
                raise ValueError("symbol wider than the label")
            size = _place(card, sym, x, y, mdm, mdm, ink)
            if boxes is not None:
                boxes.append((x, y, size, size))
            continue
        bar_h = rng.uniform(0.09, 0.13) * side
        width = round(sym.shape[1] * m128)
        if width + 2 * quiet > side:
            raise ValueError("code wider than the label")  # it would be cut off: draw again
        x = int(rng.uniform(quiet, max(quiet + 1, side - width - quiet)))
        h = _place(card, sym, x, y, m128, bar_h, ink)
        if boxes is not None:
            boxes.append((x, y, width, h))
        text_y = y + h + int(0.04 * side)
        cv2.putText(
            card, truth.text[:16], (x, text_y), cv2.FONT_HERSHEY_SIMPLEX, 0.0011 * side, ink, 2 * s
        )
        cv2.line(card, (0, text_y + int(0.015 * side)), (side, text_y + int(0.015 * side)), ink, s)
        y = text_y + int(0.04 * side)
    if y > side:
        raise ValueError("label overflows")
    return card.astype(np.float32)


def curve(card: Floats, degrees: float, horizontal: bool) -> Floats:
    """The label wrapped round a cylinder (a bag), seen from the front, shaded by angle."""
    if degrees <= 0:
        return card
    h, w = card.shape
    half = math.radians(degrees) / 2
    length = w if horizontal else h
    out_pos = np.linspace(-1, 1, length, dtype=np.float32)
    theta = np.arcsin(np.clip(out_pos * math.sin(half), -1, 1))
    src = (theta / half + 1) / 2 * (length - 1)
    shade = 0.78 + 0.22 * np.cos(theta) / 1.0
    if horizontal:
        map_x = np.tile(src, (h, 1)).astype(np.float32)
        map_y = np.tile(np.arange(h, dtype=np.float32)[:, None], (1, w))
        out = cv2.remap(card, map_x, map_y, cv2.INTER_LINEAR)
        return np.asarray(out * shade[None, :], np.float32)
    map_y = np.tile(src[:, None], (1, w)).astype(np.float32)
    map_x = np.tile(np.arange(w, dtype=np.float32), (h, 1))
    out = cv2.remap(card, map_x, map_y, cv2.INTER_LINEAR)
    return np.asarray(out * shade[:, None], np.float32)


def composite(
    rng: np.random.Generator, bg: Floats, card: Floats, look: Look, where: list[Any] | None = None
) -> tuple[Floats, Floats]:
    """Warp the card into the frame: rotation and perspective, then over the background."""
    h, w = card.shape
    out_w, out_h = w / OVERSAMPLE, h / OVERSAMPLE
    angle = math.radians(look.rotation)
    cx, cy = WIDTH / 2, HEIGHT / 2
    cos, sin = math.cos(angle), math.sin(angle)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    dst = []
    for x, y in (src / OVERSAMPLE) - np.array([out_w / 2, out_h / 2], np.float32):
        jitter = rng.uniform(-look.perspective, look.perspective, 2) * max(out_w, out_h)
        dst.append([cx + x * cos - y * sin + jitter[0], cy + x * sin + y * cos + jitter[1]])
    corners = np.array(dst, np.float32)
    low, high = corners.min(axis=0), corners.max(axis=0)
    fit = min(1.0, (WIDTH - 8) / float(high[0] - low[0]), (HEIGHT - 8) / float(high[1] - low[1]))
    corners = (corners - (low + high) / 2) * fit  # the whole label stays in view
    low, high = corners.min(axis=0), corners.max(axis=0)
    shift_x = rng.uniform(4 - low[0], max(4 - low[0], WIDTH - 4 - high[0]))
    shift_y = rng.uniform(4 - low[1], max(4 - low[1], HEIGHT - 4 - high[1]))
    corners += np.array([shift_x, shift_y], np.float32)
    look.scale *= fit
    look.module128 *= fit
    look.module_dm *= fit
    matrix = cv2.getPerspectiveTransform(src, corners)
    if where is not None:
        where.append(matrix)
    smooth = cv2.GaussianBlur(card, (0, 0), OVERSAMPLE * 0.45)  # anti-aliasing before shrinking
    warped = cv2.warpPerspective(smooth, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones_like(card), matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    return np.asarray(bg * (1 - mask) + warped * mask, np.float32), np.asarray(mask, np.float32)


def film(rng: np.random.Generator, img: Floats, mask: Floats, look: Look) -> Floats:
    """What the bag's film adds: frost (white speckled veil) and specular glare."""
    if look.frost > 0:
        veil = _smooth_field(rng, (HEIGHT, WIDTH), 8) * 0.6 + 0.4
        speckle = cv2.GaussianBlur(rng.random((HEIGHT, WIDTH), dtype=np.float32), (0, 0), 1.2)
        alpha = np.clip(look.frost * veil * (0.7 + speckle), 0, 0.6) * mask
        img = img * (1 - alpha) + 235 * alpha
    if look.glare > 0:
        yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
        gx, gy = rng.uniform(0.2, 0.8) * WIDTH, rng.uniform(0.2, 0.8) * HEIGHT
        theta = rng.uniform(0, math.pi)
        u = (xx - gx) * math.cos(theta) + (yy - gy) * math.sin(theta)
        v = -(xx - gx) * math.sin(theta) + (yy - gy) * math.cos(theta)
        long_s, short_s = rng.uniform(120, 300), rng.uniform(12, 40)
        streak = np.exp(-(u**2) / (2 * long_s**2) - v**2 / (2 * short_s**2))
        img = img + look.glare * 170 * streak * (0.3 + 0.7 * mask)
    return np.asarray(img, np.float32)


def optics(rng: np.random.Generator, img: Floats, look: Look) -> bytes:
    """Light, blur, motion, noise, JPEG."""
    ramp = np.linspace(-1, 1, WIDTH, dtype=np.float32)[None, :]
    tilt = np.linspace(-1, 1, HEIGHT, dtype=np.float32)[:, None]
    direction = rng.uniform(0, 2 * math.pi)
    light = 1.0 + look.gradient / 2 * (math.cos(direction) * ramp + math.sin(direction) * tilt)
    img = img * light
    img = cv2.GaussianBlur(img, (0, 0), look.blur)
    if look.motion > 0:
        size = math.ceil(look.motion) | 1
        kernel = np.zeros((size + 2, size + 2), np.float32)
        c = (size + 1) / 2
        a = rng.uniform(0, math.pi)
        dx, dy = math.cos(a) * look.motion / 2, math.sin(a) * look.motion / 2
        cv2.line(kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1)
        img = cv2.filter2D(img, -1, kernel / max(float(kernel.sum()), 1e-6))
    img = img + rng.normal(0, look.noise, img.shape).astype(np.float32)
    frame = np.clip(img, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, look.quality])
    assert ok
    return bytes(jpeg)


def make_frame(rng: np.random.Generator) -> tuple[bytes, list[CodeTruth], Look]:
    """One JPEG frame of a bag label: (jpeg bytes, its codes, its distortions)."""
    while True:
        look = draw_look(rng)
        codes = label_codes(rng)
        boxes: list[tuple[int, int, int, int]] = []
        try:
            card = label_card(rng, codes, look, boxes)
            break
        except ValueError:  # codes too wide or too many for the label at this scale: again
            continue
    card = curve(card, look.curvature, horizontal=bool(rng.random() < 0.7))
    where: list[Any] = []
    img, mask = composite(rng, background(rng), card, look, where)
    img = film(rng, img, mask, look)
    truths = []
    for (truth, _, _), (x, y, w, h) in zip(codes, boxes, strict=True):
        box = np.array([[[x, y], [x + w, y], [x + w, y + h], [x, y + h]]], np.float32)
        corners = cv2.perspectiveTransform(box, where[0])[0]
        truths.append(replace(truth, corners=[[round(float(a), 1) for a in p] for p in corners]))
    return optics(rng, img, look), truths, look


def make_empty_frame(rng: np.random.Generator) -> bytes:
    """A frame with no label in view: what the camera sees most of the time."""
    look = draw_look(rng)
    return optics(
        rng, film(rng, background(rng), np.zeros((HEIGHT, WIDTH), np.float32), look), look
    )


def make_corpus(out: Path, frames: int = 60, seed: int = 20261204, empty: int = 0) -> list[Truth]:
    """Write `frames` label frames, `empty` frames without a label and manifest.json."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    truths: list[Truth] = []
    for index in range(frames):
        jpeg, codes, look = make_frame(rng)
        name = f"frame_{index:04d}.jpg"
        (out / name).write_bytes(jpeg)
        conditions = {k: round(float(v), 3) for k, v in asdict(look).items()}
        truths.append(Truth(name, codes, round(look.difficulty(), 3), conditions))
    for index in range(empty):
        name = f"empty_{index:04d}.jpg"
        (out / name).write_bytes(make_empty_frame(rng))
        truths.append(Truth(name))
    manifest = [asdict(t) for t in truths]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return truths


def load_manifest(folder: Path) -> list[Truth]:
    data: list[dict[str, Any]] = json.loads((folder / "manifest.json").read_text("utf-8"))
    return [
        Truth(
            item["file"],
            [CodeTruth(**c) for c in item["codes"]],
            item["difficulty"],
            item["conditions"],
        )
        for item in data
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--empty", type=int, default=0, help="frames with no label")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--out", type=Path, default=None, help="default: a new temp folder")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="decode-corpus-"))
    truths = make_corpus(out, args.frames, args.seed, args.empty)
    print(f"wrote {len(truths)} frames and manifest.json to {out}")


if __name__ == "__main__":
    main()
