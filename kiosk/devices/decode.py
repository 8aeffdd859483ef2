"""Barcode decoding from images: one `Decoder` interface over zxing-cpp and zbar.

- `ZxingBackend` (default library): Code 128, Data Matrix and QR; reports the AIM
  symbology identifier (`]C0`, `]C1`, `]d1`, `]d2`, `]Q1`, …) and keeps GS (0x1D)
  separators (text mode Plain: the HRI mode would rewrite GS1 data as "(01)…").
- `ZbarBackend`: linear codes and QR through pyzbar; needs the system library
  libzbar0 (LGPL). zbar has no Data Matrix and does not report FNC1 through pyzbar,
  so its Code 128 reads carry `]C0` even when the symbol is GS1-128.
- `Pipeline`: what the camera worker uses. It reads every label on the frame: the
  region of the previous hit, the whole frame, then regions of bars (found from the
  gradient structure tensor), turned upright, rows averaged and read by
  `kiosk.devices.code128`, with zxing-cpp on the enlarged region as the fallback. A
  Code 128 or Data Matrix read counts only if it parses as an ISBT 128 or GS1 label
  (`check_label`), so a partial or garbled read is never reported; other
  symbologies (QR, EAN, …) are passed on as text marked ``status="unparsed"``.
- `Confirmer`: a code counts once read in 2 of the last N frames.
- `RepeatFilter`: a label held under the camera is decoded in every frame; report it
  once until it has been out of sight for a while (`forget` to report it again).
- `describe`: a read in words for the preview ("DIN G1234 17 654321").

Facts: ../shared/DEVICES.md "Camera decoding", ../shared/DOMAIN.md §2–4.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, Protocol, cast

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

from kiosk import identity
from kiosk.devices import code128
from kiosk.devices.errors import DeviceError
from kiosk.text import Text

log = logging.getLogger(__name__)

Frame = npt.NDArray[np.uint8]
Profile = npt.NDArray[np.float32]
"""An 8-bit image: grayscale (H×W), BGR (H×W×3) or BGRA (H×W×4), as OpenCV gives it."""

Status = Literal["raw", "label", "unparsed"]
Point = tuple[int, int]

GS: Final = "\x1d"
LABEL_SYMBOLOGIES: Final = frozenset({"Code128", "DataMatrix"})
"""Carriers of ISBT 128 and GS1 labels: the pipeline accepts their reads only as valid labels."""

# AIM symbology identifier (ISO/IEC 15424) → the symbology it names (DOMAIN.md §4).
_AIM_FAMILIES: Final = {
    "C": "Code128",
    "d": "DataMatrix",
    "Q": "QRCode",
    "e": "DataBar",
    "E": "EAN/UPC",
    "A": "Code39",
    "G": "Code93",
    "F": "Codabar",
    "I": "ITF",
    "L": "PDF417",
    "z": "Aztec",
}

# pyzbar's type names → (our symbology name, AIM identifier it would carry).
_ZBAR_TYPES: Final = {
    "CODE128": ("Code128", "]C0"),  # pyzbar does not expose zbar's GS1 (FNC1) modifier
    "QRCODE": ("QRCode", "]Q1"),
    "EAN13": ("EAN13", "]E0"),
    "EAN8": ("EAN8", "]E4"),
    "UPCA": ("UPCA", "]E0"),
    "UPCE": ("UPCE", "]E0"),
    "ISBN13": ("EAN13", "]E0"),
    "ISBN10": ("EAN13", "]E0"),
    "I25": ("ITF", "]I0"),
    "CODE39": ("Code39", "]A0"),
    "CODE93": ("Code93", "]G0"),
    "CODABAR": ("Codabar", "]F0"),
    "DATABAR": ("DataBar", "]e0"),
    "DATABAR_EXP": ("DataBarExpanded", "]e0"),
    "PDF417": ("PDF417", "]L2"),
}


@dataclass(frozen=True)
class Code:
    """One decoded symbol.

    `text` is the data without the AIM identifier, GS separators kept. `points` is
    the symbol's quadrilateral in image pixels (top-left, top-right, bottom-right,
    bottom-left as the symbol reads), empty when the source gives none (a serial
    scanner). `status`: "raw" straight from a library, "label" checked as an ISBT
    128 / GS1 label (`label` holds the parse), "unparsed" accepted as plain text.
    """

    text: str
    symbology: str
    aim: str | None
    points: tuple[Point, ...] = ()
    backend: str = ""
    status: Status = "raw"
    label: object | None = field(default=None, compare=False)

    @property
    def scanned(self) -> str:
        """The read as a scanner with AIM prefixing would send it: AIM id + text."""
        return (self.aim or "") + self.text

    @property
    def shown(self) -> str:
        """The text for people: GS written as <GS>, other control characters escaped."""
        out = []
        for char in self.text:
            if char == GS:
                out.append("<GS>")
            elif ord(char) < 32 or ord(char) == 127:
                out.append(f"<{ord(char):02X}>")
            else:
                out.append(char)
        return "".join(out)


def symbology_for_aim(aim: str | None) -> str:
    """The symbology an AIM identifier names ("" when unknown or absent)."""
    if not aim or len(aim) < 2:
        return ""
    return _AIM_FAMILIES.get(aim[1], "")


class Decoder(Protocol):
    """Anything that finds codes in an image."""

    name: str

    def decode(self, image: Frame) -> list[Code]: ...


def to_gray(image: Frame) -> Frame:
    """An 8-bit grayscale view of a grayscale, BGR or BGRA image."""
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 3:
        return _u8(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    if image.ndim == 3 and image.shape[2] == 4:
        return _u8(cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY))
    if image.ndim == 3 and image.shape[2] == 1:
        return image[:, :, 0]
    raise DeviceError(Text("not an image: array of shape {shape}", shape=image.shape), "garbled")


def _u8(mat: Any) -> Frame:
    return np.asarray(mat, dtype=np.uint8)


# ---------------------------------------------------------------- label check


@dataclass(frozen=True)
class IsbtMessage:
    """ISBT 128 data structures read from one symbol (fallback parse, see `check_label`)."""

    structures: tuple[tuple[str, str], ...]  # (data identifier, data)
    din: identity.Din | None


# Data identifier → (length after the DI, pattern), DOMAIN.md §2 (ICCBBA ST-001 restated).
_ISBT_STRUCTURES: Final = {
    "=%": (4, re.compile(r"[0-9A-Z]{4}")),
    "=<": (8, re.compile(r"[A-Z][0-9]{4}[0-9A-Z]{3}")),
    "&>": (10, re.compile(r"[0-9]{10}")),
    "=*": (6, re.compile(r"[0-9]{6}")),
    "&*": (10, re.compile(r"[0-9]{10}")),
    "=;": (21, re.compile(r"[A-NP-Z1-9][0-9]{20}")),
    "='": (11, re.compile(r"[A-NP-Z1-9][0-9]{10}")),
    "&+": (11, re.compile(r"[0-9A-Z]{11}")),
    "&/": (15, re.compile(r"CH[A-NP-Z1-9][0-9]{12}")),
}
_DIN_START: Final = re.compile(r"=[A-NP-Z1-9]")
_COMPOUND: Final = re.compile(r"=\+([0-9]{2})([0-9]{3})")
_GS1_AIMS: Final = ("]C1", "]d2", "]Q3", "]e0")


def _isbt_structure(body: str, pos: int, last: bool) -> tuple[str, str, int]:
    """(DI, data, next position) of the structure starting at `pos`."""
    if _DIN_START.match(body, pos):
        identity.parse_din(body[pos : pos + 16])
        return "=", body[pos + 1 : pos + 16], pos + 16
    di = body[pos : pos + 2]
    spec = _ISBT_STRUCTURES.get(di)
    if spec is None:
        if last and len(body) - pos > 2 and di[0] in "=&":  # a structure we do not know: the rest
            return di, body[pos + 2 :], len(body)
        raise identity.LabelError("ISBT 128 label has an unknown data structure — scan again")
    length, pattern = spec
    data = body[pos + 2 : pos + 2 + length]
    if not pattern.fullmatch(data):
        raise identity.LabelError("ISBT 128 label is garbled — scan again")
    return di, data, pos + 2 + length


def _fallback_parse(text: str) -> object:
    """DIN, other single ISBT 128 structures, compound messages, GS1 element strings.

    Used while kiosk.identity has no `parse_label`; the DIN and GS1 rules are
    identity's own (`parse_din`, `parse_gs1`).
    """
    aim, body = identity.strip_aim(text)
    if aim in _GS1_AIMS or (body[:2].isdigit() and aim is None):
        return identity.parse_gs1(text)
    compound = _COMPOUND.match(body)
    if compound:
        count, pos = int(compound.group(1)), compound.end()
        found: list[tuple[str, str]] = []
        while pos < len(body):
            di, data, pos = _isbt_structure(body, pos, last=len(found) == count - 1)
            found.append((di, data))
            if len(found) > count:
                break
        if len(found) != count or count == 0:
            raise identity.LabelError("ISBT 128 compound message is incomplete — scan again")
    elif body[:1] in ("=", "&"):
        di, data, end = _isbt_structure(body, 0, last=False)
        if end != len(body):
            raise identity.LabelError("ISBT 128 label has extra characters — scan again")
        found = [(di, data)]
    else:
        raise identity.LabelError("not an ISBT 128 or GS1 label — scan the label's barcode")
    dins = [identity.parse_din("=" + data) for di, data in found if di == "="]
    if len(found) == 1 and dins:
        return dins[0]
    return IsbtMessage(tuple(found), dins[0] if dins else None)


def check_label(code: Code) -> object:
    """Parse a read as an ISBT 128 or GS1 label; `identity.LabelError` if it is neither.

    Uses `kiosk.identity.parse_label` when identity has it, else `_fallback_parse`.
    """
    parser = getattr(identity, "parse_label", None)
    if callable(parser):
        return cast(Callable[[str], object], parser)(code.scanned)
    return _fallback_parse(code.scanned)


def accept(code: Code, strict: Collection[str] = LABEL_SYMBOLOGIES) -> Code | None:
    """The read marked "label" or "unparsed", or None when a label carrier fails its check."""
    if code.symbology not in strict:
        return replace(code, status="unparsed")
    try:
        label = check_label(code)
    except identity.LabelError as exc:
        log.debug("rejected %s read %r: %s", code.symbology, code.shown, exc)
        return None
    return replace(code, status="label", label=label)


# ---------------------------------------------------------------- zxing-cpp


DEFAULT_FORMATS: Final = ("Code128", "DataMatrix", "QRCode")


class ZxingBackend:
    """zxing-cpp on the whole image: Code 128, Data Matrix and QR by default."""

    name = "zxing"

    def __init__(
        self,
        formats: Iterable[str] = DEFAULT_FORMATS,
        *,
        try_rotate: bool = True,
        try_downscale: bool = True,
        try_invert: bool = False,
    ) -> None:
        try:
            self._formats = zxingcpp.BarcodeFormats(
                [zxingcpp.BarcodeFormat[name] for name in formats]
            )
        except KeyError as exc:
            raise DeviceError(
                Text("zxing-cpp does not know the format {exc}", exc=exc), "config"
            ) from exc
        self._try_rotate = try_rotate
        self._try_downscale = try_downscale
        self._try_invert = try_invert

    def read(
        self,
        gray: Frame,
        *,
        to_frame: npt.NDArray[np.float64] | None = None,
        backend: str = "zxing",
        binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
    ) -> list[Code]:
        """Raw reads from a grayscale image; `to_frame` maps its pixels to frame pixels."""
        barcodes = zxingcpp.read_barcodes(
            gray,
            binarizer=binarizer,
            formats=self._formats,
            try_rotate=self._try_rotate,
            try_downscale=self._try_downscale,
            try_invert=self._try_invert,
            text_mode=zxingcpp.TextMode.Plain,
        )
        codes = []
        for barcode in barcodes:
            pos = barcode.position
            corners = [pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left]
            points = tuple((p.x, p.y) for p in corners)
            if to_frame is not None:
                points = _map_points(points, to_frame)
            codes.append(
                Code(
                    text=barcode.text,
                    symbology=barcode.format.name,
                    aim=barcode.symbology_identifier or None,
                    points=points,
                    backend=backend,
                )
            )
        return codes

    def decode(self, image: Frame) -> list[Code]:
        return self.read(to_gray(image))


def _map_points(
    points: Iterable[tuple[float, float]], affine: npt.NDArray[np.float64]
) -> tuple[Point, ...]:
    out = []
    for x, y in points:
        fx = affine[0, 0] * x + affine[0, 1] * y + affine[0, 2]
        fy = affine[1, 0] * x + affine[1, 1] * y + affine[1, 2]
        out.append((round(fx), round(fy)))
    return tuple(out)


# ---------------------------------------------------------------- zbar


class ZbarBackend:
    """zbar through pyzbar: linear codes and QR (no Data Matrix)."""

    name = "zbar"

    def __init__(self) -> None:
        try:  # optional: pyzbar loads the system library libzbar0 when imported
            from pyzbar import pyzbar  # type: ignore[import-untyped]  # noqa: PLC0415
        except (ImportError, OSError) as exc:
            raise DeviceError(
                Text("pyzbar needs the system library libzbar0 (apt-get install libzbar0)"),
                "config",
            ) from exc
        self._decode = cast(Callable[[Frame], list[Any]], pyzbar.decode)

    def decode(self, image: Frame) -> list[Code]:
        codes = []
        for symbol in self._decode(to_gray(image)):
            symbology, aim = _ZBAR_TYPES.get(str(symbol.type), (str(symbol.type), None))
            data = bytes(symbol.data)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            points = tuple((int(p.x), int(p.y)) for p in symbol.polygon)
            codes.append(Code(text, symbology, aim, points, backend="zbar"))
        return codes


# ---------------------------------------------------------------- the pipeline


RotatedRect = tuple[tuple[float, float], tuple[float, float], float]
"""OpenCV's ((centre x, centre y), (width, height), angle in degrees), in frame pixels."""


@dataclass(frozen=True)
class _View:
    """An image to try and how its pixels map back to the frame."""

    stage: str
    image: Frame
    to_frame: npt.NDArray[np.float64]


def _identity_affine() -> npt.NDArray[np.float64]:
    return np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


class Pipeline:
    """Camera-frame decoder: every label on the frame, each read checked as a label.

    Stages, each adding what the earlier ones missed:

    - "roi": the previous hit's region, prepared the way that worked (a label held
      under the camera is read again at a fraction of the cost);
    - "frame": zxing-cpp on the whole frame (Data Matrix, QR and large Code 128);
    - "bars": regions dense with parallel edges (mean gradient and the gradient
      structure tensor's coherence on a half-size grid, from gradients taken at full
      size — a bar one pixel wide averages away in a downscaled copy; rings and thin
      lines left out; long thin ones — a label's edge — tried last). Each is grown
      along its axis while fainter bars in the same direction go on (glare over one
      end had cut it short) and turned so its bars stand upright (the angle measured
      from the gradients, then the tilt left in the crop measured and removed), cut
      where the bars stop (a label's stacked codes), then the rows of the middle of
      each stretch are averaged across the bars (a band whose bars still lean is
      straightened by a shear, one whose bars fan out in perspective by a lean that
      changes along it): averaging cuts sensor noise without blurring the bars.
      `code128.read_profile` reads the profile (sub-pixel edges, each symbol measured
      against its own 11 modules, a sharpened second look). Failing that, the
      frame's own pixels projected across the bars in quarter-pixel bins (each row
      samples the bars at another phase: a profile four times finer, for codes of
      1–1.5 px per module), read by edges and then by `code128.read_structured`
      (whole characters fitted to blurred templates: reads where blur has closed the
      narrow spaces); then zxing-cpp (Code 128) on the region enlarged and sharpened.
    - "matrix": when no Data Matrix came from the frame, square patches dense with
      edges in no one direction (clear of the frame's own noise level), enlarged
      ×1.5 sharpened and ×2, read by zxing-cpp (Data Matrix only); failing that,
      the symbol's outline found and refitted to its edges, warped to a 100 px
      square and read with zxing-cpp's local-average and global-histogram binarizers.

    A Code 128 or Data Matrix read counts only if it parses as an ISBT 128 or GS1
    label (`check_label`; Code 128 and Data Matrix carry their own check characters
    too), so a partial or garbled read is never reported.

    Not thread-safe: one pipeline per thread (it remembers where the last label was).
    `stats` counts reads per stage, frames with no read ("none") and rejected reads;
    `last_stage` names the stage of the last new read ("" when nothing was found).
    """

    name = "pipeline"

    def __init__(
        self,
        *,
        strict: Collection[str] = LABEL_SYMBOLOGIES,
        formats: Iterable[str] = DEFAULT_FORMATS,
        use_roi: bool = True,
        max_candidates: int = 5,
        work_width: int = 640,
    ) -> None:
        self._strict = frozenset(strict)
        # on the whole frame: Data Matrix and QR at any angle; Code 128 turned more than
        # a little is the bar regions' job, so no second pass over the columns
        self._reader = ZxingBackend(formats, try_rotate=False, try_downscale=True)
        # a bar region, turned upright: Code 128 only, no rotations, full size
        self._crop_reader = ZxingBackend(("Code128",), try_rotate=False, try_downscale=False)
        # a dense square patch: Data Matrix only, enlarged
        self._matrix_reader = ZxingBackend(("DataMatrix",), try_rotate=False, try_downscale=False)
        self._matrix = True
        self._squares: list[RotatedRect] = []
        self._use_roi = use_roi
        self._max_candidates = max_candidates
        self._work_width = work_width
        self._window = 15  # px of the half-size copy: the density and coherence window
        self._min_area = 240.0  # px² of the half-size copy
        self._density = 40.0  # mean |gradient| over the window, grey levels per px
        self._fallback = True
        self._project = True  # quarter-pixel projections for the smallest codes
        self._structured = True  # whole characters fitted to templates (blur-closed spaces)
        self._project_bands: tuple[tuple[float, float], ...] = ((0.3, 0.7),)
        self._project_modules: tuple[float, ...] = (1.3, 2.5)
        self._shear = True  # a band whose bars still lean is straightened by a shear
        self._min_thick = 12.0  # px: narrower regions are lines and edges
        # regions longer than this × their thickness come last: a straight edge blurred by
        # the window is about 30 px thick; a code is seldom less than a ninth as tall as long
        self._slender = 11.0
        # the middle of each stretch only: the upper and lower bands and a second module
        # estimate read nothing more once the projections have the whole-symbol fit
        self._bands: tuple[tuple[float, float], ...] = ((0.3, 0.7),)
        self._modules: tuple[float, ...] = (1.3,)
        self._coherence = 0.5
        self._hint: RotatedRect | None = None
        self.stats: Counter[str] = Counter()
        self.last_stage = ""

    def reset(self) -> None:
        """Forget the previous hit (e.g. when the camera is re-aimed)."""
        self._hint = None

    def decode(self, image: Frame) -> list[Code]:
        gray = to_gray(image)
        found: dict[str, Code] = {}
        self.last_stage = ""

        def take(raw: Iterable[Code], stage: str) -> None:
            for code in raw:
                if code.scanned in found:
                    continue
                checked = accept(code, self._strict)
                if checked is None:
                    self.stats["rejected"] += 1
                    continue
                found[checked.scanned] = checked
                self.stats[stage] += 1
                self.last_stage = self.last_stage or stage

        if self._use_roi and self._hint is not None:
            take(self._region(gray, self._hint, deep=True), "roi")
        if not found:
            take(self._reader.read(gray, backend=self.name), "frame")
            for rect in self._candidates(gray):
                if _covered(rect, found.values()):
                    continue
                take(self._region(gray, rect, deep=False), "bars")
            if self._matrix and not any(c.symbology == "DataMatrix" for c in found.values()):
                for square in self._squares:
                    if not _covered(square, found.values()):
                        take(self._matrix_patch(gray, square), "matrix")
        codes = list(found.values())
        if not codes:
            self.stats["none"] += 1
            self._hint = None
        else:
            self._remember(codes)
        return codes

    def _region(self, gray: Frame, rect: RotatedRect, *, deep: bool) -> list[Code]:
        """Codes in one region: averaged bar profiles, then the enlarged region itself."""
        crop, to_frame = _upright(gray, rect)
        if crop.shape[0] < 6 or crop.shape[1] < 24:
            return []
        tilt = _residual_tilt(crop)
        (cx, cy), size, angle = rect
        if abs(tilt) > 0.2:  # bars not quite upright yet: turn by what is left
            crop, to_frame = _upright(gray, ((cx, cy), size, angle + tilt))
        codes = self._profiles(crop, to_frame)
        if not codes and self._project:
            codes = self._projections(gray, crop, (cx, cy), angle + tilt)
        if (codes and not deep) or not self._fallback:
            return codes
        zoom = 2.0 if max(crop.shape) < 700 else 1.0
        big = _u8(cv2.resize(crop, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC))
        scaled = to_frame @ np.array([[1 / zoom, 0, 0], [0, 1 / zoom, 0], [0, 0, 1]])
        reader = self._reader if deep else self._crop_reader
        codes += reader.read(_sharpen(big), to_frame=scaled, backend=self.name)
        return codes

    def _profiles(self, crop: Frame, to_frame: npt.NDArray[np.float64]) -> list[Code]:
        """Code 128 from rows averaged across the bars, band by band (`code128`).

        The region may hold several codes stacked (a bag label's DIN, product code
        and expiry, close together): its rows are cut where the bars stop (rows with
        little left-right gradient: the printed text and white space between codes),
        and each stretch of bars is read on its own.
        """
        codes: list[Code] = []
        for top, bottom in _bar_rows(crop):
            height = bottom - top
            for lo, hi in self._bands:
                a = top + int(height * lo)
                b = max(a + 2, top + int(height * hi))
                found = self._band(crop, a, b, to_frame)
                if found is not None:
                    codes.append(found)
                    break
        return codes

    def _projections(
        self, gray: Frame, crop: Frame, centre: tuple[float, float], angle: float
    ) -> list[Code]:
        """Code 128 from frame pixels projected across the bars at a quarter pixel.

        The bars are never exactly parallel to the pixel columns, so each row samples
        them at another phase: placing every pixel at its own distance across the
        bars, in quarter-pixel bins, gives a profile four times finer than the frame
        — what a code of 1–1.25 px per module needs (a module is one pixel: rows
        averaged after turning the region blur it away).
        """
        height, width = crop.shape
        codes: list[Code] = []
        for top, bottom in _bar_rows(crop):
            span = bottom - top
            for lo, hi in self._project_bands:
                v0, v1 = top + span * lo - height / 2, top + span * hi - height / 2
                found = self._projection(gray, centre, angle, width / 2, (v0, v1))
                if found is not None:
                    codes.append(found)
                    break
        return codes

    def _projection(
        self,
        gray: Frame,
        centre: tuple[float, float],
        angle: float,
        half: float,
        rows: tuple[float, float],
    ) -> Code | None:
        """The Code 128 in one projected band: edges, then the whole-symbol fit."""
        v0, v1 = rows
        profile, to_frame_u = _projected(gray, centre, angle, half, v0, v1)
        if profile is None:
            return None
        found = None
        for module in self._project_modules:
            found = code128.read_profile(profile, module * _SUB)
            if found is not None:
                break
        if found is None and self._structured:
            found = code128.read_structured(profile, 1.3 * _SUB)
        if found is None:
            return None
        ends = ((found.start, v0), (found.end, v0), (found.end, v1), (found.start, v1))
        corners = [to_frame_u(u, v) for u, v in ends]
        points = tuple((round(x), round(y)) for x, y in corners)
        return Code(found.text, "Code128", found.aim, points, backend=self.name)

    def _band(self, crop: Frame, a: int, b: int, to_frame: npt.NDArray[np.float64]) -> Code | None:
        """The Code 128 in rows a..b of an upright region, if they hold one."""
        band = crop[a:b]
        profiles = [band.astype(np.float32).mean(axis=0)]
        if self._shear:
            tilt = _residual_tilt(band)
            if abs(tilt) > 0.3:  # perspective: this band's bars lean a little
                lean = float(np.tan(np.radians(tilt)))
                shear = np.array([[1.0, lean, -lean * (b - a) / 2], [0.0, 1.0, 0.0]])
                straight = cv2.warpAffine(
                    band,
                    shear,
                    (band.shape[1], b - a),
                    flags=cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_REPLICATE,
                )
                profiles.append(_u8(straight).astype(np.float32).mean(axis=0))
        for profile in _then_fanned(profiles, band):
            for module in self._modules:
                found = code128.read_profile(profile, module)
                if found is not None:
                    x0, x1 = found.start, found.end
                    corners = ((x0, a), (x1, a), (x1, b), (x0, b))
                    points = _map_points(corners, to_frame)
                    return Code(found.text, "Code128", found.aim, points, backend=self.name)
        return None

    def _candidates(self, gray: Frame) -> list[RotatedRect]:
        """Regions dense with parallel edges (bars), largest first, in frame pixels.

        On a half-size grid of full-size gradients: the mean gradient magnitude over
        a window (a single edge — a label's border, a ruled line — is not dense)
        where the gradient structure tensor is coherent (one orientation: bars, not
        text or clutter). Also keeps the dense patches with no one orientation that
        are square (`_squares`: Data Matrix candidates) for the "matrix" stage.
        """
        scale = min(1.0, self._work_width / gray.shape[1])
        window = (self._window, self._window)
        # gradients at full size, sampled on the working grid (no averaging: the
        # gradients of a bar one pixel wide cancel out in a downscaled copy)
        step = max(1, round(1 / scale))
        scale = 1.0 / step
        gx16, gy16 = cv2.spatialGradient(gray)
        gx = gx16[::step, ::step].astype(np.float32)
        gy = gy16[::step, ::step].astype(np.float32)
        jxx = cv2.blur(gx * gx, window)
        jyy = cv2.blur(gy * gy, window)
        jxy = cv2.blur(gx * gy, window)
        density = cv2.blur(np.abs(gx) + np.abs(gy), window) * 0.5  # as on a half-size copy
        coherent = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) > self._coherence * (jxx + jyy + 1e-3)
        mask8 = _u8((coherent & (density > self._density)) * 255)
        # bars washed out by glare or fading print: still one direction, less dense
        weak = coherent & (density > 0.4 * self._density)
        # a matrix stands out from the frame's noise and texture, which have no direction either
        dense = density > max(self._density, 2.5 * float(np.median(density)))
        self._squares = _squares(_u8((~coherent & dense) * 255), scale)
        mask8 = _u8(cv2.morphologyEx(mask8, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)))
        contours, _ = cv2.findContours(mask8, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        rects: list[RotatedRect] = []
        slender: list[RotatedRect] = []  # a single straight edge: a label's border, a ruler
        for contour in sorted(contours, key=cv2.contourArea, reverse=True):
            if len(rects) == self._max_candidates or cv2.contourArea(contour) < self._min_area:
                break
            x, y, w, h = cv2.boundingRect(contour)
            filled = cv2.countNonZero(mask8[y : y + h, x : x + w]) / max(1.0, w * h)
            if filled < 0.3:  # a ring: the edge round a label, a circle
                continue
            sxx = float(jxx[y : y + h, x : x + w].sum())
            syy = float(jyy[y : y + h, x : x + w].sum())
            sxy = float(jxy[y : y + h, x : x + w].sum())
            across = 0.5 * np.degrees(np.arctan2(2 * sxy, sxx - syy))  # gradient: across bars
            (cx, cy), (rw, rh), _ = cv2.minAreaRect(contour)
            length, thick = max(rw, rh) / scale, min(rw, rh) / scale
            if thick < self._min_thick:  # a line, an edge: no room for bars
                continue
            rect = ((cx / scale, cy / scale), (length, thick), across)
            if length > self._slender * thick:
                slender.append(rect)
                continue
            rects.append(rect)
        rects = (rects + slender)[: self._max_candidates]
        return [_grow(rect, weak, (jxx, jyy, jxy), scale) for rect in rects]

    def _matrix_patch(self, gray: Frame, square: RotatedRect) -> list[Code]:
        """Data Matrix in a dense square patch that the whole-frame pass missed: the
        patch enlarged ×1.5 and unsharp-masked, then ×2 as it is (zxing-cpp reads a
        small, soft matrix from the enlarged patch that it misses in the frame)."""
        (cx, cy), (w, h), _ = square
        half = 0.5 * max(w, h) * 1.5 + 6  # the quiet zone and the corners of a turned square
        x0, y0 = max(0, int(cx - half)), max(0, int(cy - half))
        x1, y1 = min(gray.shape[1], int(cx + half)), min(gray.shape[0], int(cy + half))
        patch = gray[y0:y1, x0:x1]
        if patch.shape[0] < 12 or patch.shape[1] < 12:
            return []
        for zoom, sharpen in ((1.5, True), (2.0, False)):
            big = _u8(cv2.resize(patch, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC))
            if sharpen:
                soft = cv2.GaussianBlur(big, (0, 0), zoom)
                big = _u8(cv2.addWeighted(big, 2.5, soft, -1.5, 0))
            to_frame = np.array([[1 / zoom, 0.0, x0], [0.0, 1 / zoom, y0]])
            codes = self._matrix_reader.read(big, to_frame=to_frame, backend=self.name)
            if codes:
                return codes
        return self._rectified_matrix(patch, (x0, y0))

    def _rectified_matrix(self, patch: Frame, origin: tuple[int, int]) -> list[Code]:
        """Data Matrix from the patch warped square: the symbol's outline found
        (`_matrix_quad`), each side refitted to the symbol's outer edge
        (`_refine_quad`), the quadrilateral mapped onto 100 × 100 px with a 15 px
        quiet zone, read by zxing-cpp with its local-average binarizer (sharpened,
        then as it is) and its global histogram (sharpened). A matrix of 2–3 px
        modules in perspective loses its grid to zxing-cpp's own corner search."""
        rough = _matrix_quad(patch)
        if rough is None:
            return []
        quad = _refine_quad(patch, rough)
        if quad is None:
            quad = rough
        side, margin = 100.0, 15.0
        target = np.array(
            [
                [margin, margin],
                [side + margin, margin],
                [side + margin, side + margin],
                [margin, side + margin],
            ],
            np.float32,
        )
        size = int(side + 2 * margin)
        centre = quad.mean(axis=0)
        for grow in (1.0, 1.03, 0.97):  # the outline found may be a fraction of a module off
            homography = cv2.getPerspectiveTransform(centre + (quad - centre) * grow, target)
            square = _u8(
                cv2.warpPerspective(
                    patch,
                    homography,
                    (size, size),
                    flags=cv2.INTER_CUBIC,
                    borderMode=cv2.BORDER_REPLICATE,
                )
            )
            sharp = _u8(
                cv2.addWeighted(square, 2.5, cv2.GaussianBlur(square, (0, 0), 2.5), -1.5, 0)
            )
            for image, binarizer in (
                (sharp, zxingcpp.Binarizer.LocalAverage),
                (square, zxingcpp.Binarizer.LocalAverage),
                (sharp, zxingcpp.Binarizer.GlobalHistogram),
            ):
                codes = self._matrix_reader.read(image, backend=self.name, binarizer=binarizer)
                if codes:
                    x0, y0 = origin
                    points = tuple((round(x) + x0, round(y) + y0) for x, y in quad.tolist())
                    return [replace(code, points=points) for code in codes]
        return []

    def _remember(self, codes: list[Code]) -> None:
        points = np.array([p for code in codes for p in code.points], np.float32)
        if len(points) < 3:
            self._hint = None
            return
        (cx, cy), (w, h), angle = cv2.minAreaRect(points)
        if w < h:
            w, h, angle = h, w, angle + 90.0
        self._hint = ((cx, cy), (w * 1.2 + 40, h * 1.2 + 40), angle)


def _squares(mask8: Frame, scale: float, most: int = 3) -> list[RotatedRect]:
    """Square patches dense with edges in no one direction (a Data Matrix), largest
    first, in frame pixels: 20–160 px a side, at least half filled, no longer than
    2 × wide (a matrix may run into the text beside it)."""
    mask8 = _u8(cv2.morphologyEx(mask8, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8)))
    contours, _ = cv2.findContours(mask8, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    squares: list[RotatedRect] = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True):
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        side, short = max(w, h) / scale, min(w, h) / scale
        if side > 160:
            continue
        if side < 20 or len(squares) == most:
            break
        if side > 2.0 * short or cv2.contourArea(contour) < 0.5 * w * h:
            continue
        squares.append(((cx / scale, cy / scale), (side, short), angle))
    return squares


def _grow(
    rect: RotatedRect,
    weak: npt.NDArray[np.bool_],
    tensor: tuple[npt.NDArray[Any], ...],
    scale: float,
    gap: int = 6,
) -> RotatedRect:
    """The bar region lengthened along its axis while weaker bars (glare, fading
    print: coherent edges at 0.4 × the density) go on in the same direction (within
    15°), up to a gap of `gap` grid cells; never shortened. Glare over one end of a
    code cut the region short, and a code cut short has no stop (or no start)."""
    jxx, jyy, jxy = tensor
    (cx, cy), (length, thick), angle = rect
    theta = np.radians(angle)
    ux, uy = float(np.cos(theta)), float(np.sin(theta))
    gcx, gcy = cx * scale, cy * scale
    half = 0.5 * length * scale
    offsets = np.array([-0.25, 0.0, 0.25]) * thick * scale
    height, width = weak.shape
    steps = half + np.arange(1.0, 2 * half + 4 * gap + 2)  # up to three times as long
    ends = []
    for sign in (-1.0, 1.0):
        xs = np.round(gcx + sign * steps[:, None] * ux - offsets[None, :] * uy).astype(int)
        ys = np.round(gcy + sign * steps[:, None] * uy + offsets[None, :] * ux).astype(int)
        ok = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
        xs, ys = np.where(ok, xs, 0), np.where(ok, ys, 0)
        local = 0.5 * np.degrees(np.arctan2(2 * jxy[ys, xs], jxx[ys, xs] - jyy[ys, xs]))
        turn = np.abs((local - angle + 90.0) % 180.0 - 90.0)
        hit = (ok & weak[ys, xs] & (turn < 15.0)).any(axis=1)
        found = np.concatenate([[0], np.nonzero(hit)[0] + 1])  # step numbers, 0 = the end
        breaks = np.nonzero(np.diff(found) > gap + 1)[0]
        last = found[breaks[0]] if len(breaks) else found[-1]
        ends.append(half + float(last))
    lo, hi = -ends[0], ends[1]
    mid = 0.5 * (lo + hi)
    centre = ((gcx + mid * ux) / scale, (gcy + mid * uy) / scale)
    return centre, ((hi - lo) / scale, thick), angle


def _clockwise(quad: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The four corners in turn round their centre (clockwise on screen)."""
    centre = quad.mean(axis=0)
    turn = np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0])
    return np.asarray(quad[np.argsort(turn)], np.float32)


def _matrix_quad(patch: Frame) -> npt.NDArray[np.float32] | None:
    """The outline of the dark blob at the patch's centre (a Data Matrix closed into
    one shape), as four corners: Otsu on the softened patch, closed and opened by
    1/25 of the patch, the convex hull reduced to four points."""
    soft = cv2.GaussianBlur(patch, (0, 0), 1.5)
    _, ink = cv2.threshold(soft, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    k = max(3, int(min(patch.shape) / 25) | 1)
    kernel = np.ones((k, k), np.uint8)
    ink = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel), cv2.MORPH_OPEN, kernel)
    contours, _ = cv2.findContours(_u8(ink), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    middle = (patch.shape[1] / 2, patch.shape[0] / 2)
    around = [c for c in contours if cv2.pointPolygonTest(c, middle, False) >= 0]
    blob = around[0] if around else max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(blob)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.02, 0.04, 0.06, 0.08, 0.1):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return _clockwise(approx.reshape(4, 2).astype(np.float32))
    return _clockwise(cv2.boxPoints(cv2.minAreaRect(blob)).astype(np.float32))


def _refine_quad(
    patch: Frame, quad: npt.NDArray[np.float32], samples: int = 24
) -> npt.NDArray[np.float32] | None:
    """Each side of `quad` moved onto the symbol's outer edge; None if a side is lost.

    Along 24 normals per side, from outside in, the first crossing of the mid level
    (between the patch's 10th and 90th percentiles), to a quarter pixel; a line
    fitted to the crossings, then again to those not deeper than it (on the dashed
    timing sides a normal through a light module meets the next dark one a module
    further in); the corners are where the lines meet.
    """
    soft = cv2.GaussianBlur(patch, (0, 0), 0.8).astype(np.float32)
    low, high = np.percentile(soft, 10), np.percentile(soft, 90)
    mid = 0.5 * float(low + high)
    corners = quad.astype(np.float64)
    centre = corners.mean(axis=0)
    side = float(np.mean([np.linalg.norm(corners[i] - corners[(i + 1) % 4]) for i in range(4)]))
    reach = max(4.0, 0.12 * side)
    steps = np.arange(reach, -reach, -0.25)  # outward offset, outside first
    lines = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 4:
            return None
        along = (b - a) / length
        normal = np.array([along[1], -along[0]])
        if np.dot((a + b) / 2 - centre, normal) < 0:
            normal = -normal
        found = []
        for s in np.linspace(0.1, 0.9, samples):
            ray = (a + s * length * along)[None, :] + normal[None, :] * steps[:, None]
            map_x = ray[:, 0].astype(np.float32).reshape(1, -1)
            map_y = ray[:, 1].astype(np.float32).reshape(1, -1)
            grey = cv2.remap(soft, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
            below = np.nonzero(grey[0] < mid)[0]
            if len(below) == 0 or below[0] == 0:
                continue
            k = int(below[0])
            before, after = float(grey[0, k - 1]), float(grey[0, k])
            frac = (before - mid) / max(1e-3, before - after)
            found.append((s * length, float(steps[k - 1]) - 0.25 * frac))
        if len(found) < 6:
            return None
        points = np.array(found)
        fit = np.polyfit(points[:, 0], points[:, 1], 1)
        outer = points[:, 1] >= np.polyval(fit, points[:, 0]) - 0.3
        if outer.sum() >= 4:
            fit = np.polyfit(points[outer, 0], points[outer, 1], 1)
        lines.append(
            (a + fit[1] * normal, a + length * along + (fit[0] * length + fit[1]) * normal)
        )
    out = []
    for i in range(4):
        (p1, p2), (p3, p4) = lines[i - 1], lines[i]
        try:
            t = np.linalg.solve(np.array([p2 - p1, p3 - p4]).T, p3 - p1)
        except np.linalg.LinAlgError:
            return None
        out.append(p1 + t[0] * (p2 - p1))
    refined = np.array(out, np.float32)
    if np.abs(refined - quad).max() > 0.25 * side:  # the fit ran off the symbol
        return None
    return refined


def _covered(rect: RotatedRect, codes: Iterable[Code]) -> bool:
    """The region's centre lies inside a code already read."""
    (cx, cy), _, _ = rect
    for code in codes:
        if len(code.points) >= 3:
            poly = np.array(code.points, np.float32)
            if cv2.pointPolygonTest(poly, (float(cx), float(cy)), False) >= 0:
                return True
    return False


_SUB = 4  # bins per pixel of a projected profile


def _projected(
    gray: Frame,
    centre: tuple[float, float],
    angle: float,
    half: float,
    v0: float,
    v1: float,
) -> tuple[Profile | None, Callable[[float, float], tuple[float, float]]]:
    """Mean grey level by distance across the bars (quarter-pixel bins), rows v0..v1.

    u runs across the bars (direction `angle`, degrees), v along them, both from
    `centre`. Returns the profile (None if the band is empty) and the map from
    (profile bin, v) back to frame pixels.
    """
    cx, cy = centre
    theta = np.radians(angle)
    ux, uy = float(np.cos(theta)), float(np.sin(theta))

    def to_frame(bin_u: float, v: float) -> tuple[float, float]:
        u = bin_u / _SUB - half
        return cx + u * ux - v * uy, cy + u * uy + v * ux

    ends = [to_frame(u * _SUB, v) for u in (0.0, 2 * half) for v in (v0, v1)]  # the band
    x0 = max(0, int(min(x for x, _ in ends)))
    x1 = min(gray.shape[1], int(max(x for x, _ in ends)) + 2)
    y0 = max(0, int(min(y for _, y in ends)))
    y1 = min(gray.shape[0], int(max(y for _, y in ends)) + 2)
    if x1 <= x0 or y1 <= y0:
        return None, to_frame
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    dx, dy = xs - cx, ys - cy
    u = dx * ux + dy * uy
    v = -dx * uy + dy * ux
    inside = (np.abs(u) < half) & (v >= v0) & (v < v1)
    if not inside.any():
        return None, to_frame
    bins = ((u[inside] + half) * _SUB).astype(np.int64)
    size = int(2 * half * _SUB) + 1
    total = np.bincount(bins, gray[y0:y1, x0:x1][inside].astype(np.float64), size)
    count = np.bincount(bins, None, size)
    filled = count > 0
    if filled.sum() < size // 2:
        return None, to_frame
    index = np.arange(size)
    profile = np.interp(index, index[filled], total[filled] / count[filled]).astype(np.float32)
    profile = cv2.GaussianBlur(profile.reshape(1, -1), (0, 0), 1.0)[0]  # a quarter module
    return np.asarray(profile, np.float32), to_frame


def _bar_rows(crop: Frame, most: int = 4) -> list[tuple[int, int]]:
    """Stretches of rows of an upright region that carry bars, tallest first.

    A row of bars has a strong left-right gradient all along; text and white space
    between stacked codes do not. Without a clear cut, the whole region.
    """
    height = crop.shape[0]
    energy = np.abs(np.diff(crop.astype(np.float32), axis=1)).mean(axis=1)
    energy = np.convolve(energy, np.ones(3, np.float32) / 3, mode="same")
    bars = energy > 0.5 * float(energy.max() if len(energy) else 0.0)
    stretches: list[tuple[int, int]] = []
    start = None
    for row, on in enumerate([*bars.tolist(), False]):
        if on and start is None:
            start = row
        elif not on and start is not None:
            if row - start >= 6:
                stretches.append((start, row))
            start = None
    if not stretches:
        return [(0, height)]
    return sorted(stretches, key=lambda s: s[0] - s[1])[:most]


def _residual_tilt(crop: Frame) -> float:
    """Degrees the gradient across the bars still points off horizontal (structure tensor)."""
    gx = cv2.Sobel(crop, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(crop, cv2.CV_32F, 0, 1, ksize=3)
    sxx, syy, sxy = float((gx * gx).sum()), float((gy * gy).sum()), float((gx * gy).sum())
    tilt = 0.5 * float(np.degrees(np.arctan2(2 * sxy, sxx - syy)))
    return tilt if abs(tilt) < 20 else 0.0


def _lean_line(band: Frame, parts: int = 4) -> tuple[float, float] | None:
    """How the bars' lean (dx per row) changes along an upright band: a line in x
    fitted to the lean measured in `parts` stretches; None when it hardly changes."""
    height, width = band.shape
    if width < 8 * parts or height < 4:
        return None
    xs, leans = [], []
    for k in range(parts):
        x0, x1 = k * width // parts, (k + 1) * width // parts
        xs.append(0.5 * (x0 + x1))
        leans.append(float(np.tan(np.radians(_residual_tilt(band[:, x0:x1])))))
    if max(leans) - min(leans) < np.tan(np.radians(0.3)):
        return None
    slope, offset = np.polyfit(xs, leans, 1)
    return float(slope), float(offset)


def _then_fanned(profiles: list[Profile], band: Frame) -> Iterator[Profile]:
    """The profiles, then the band straightened where its bars fan out (`_fan`),
    computed only when the others read nothing."""
    yield from profiles
    fanned = _fan(band)  # perspective: the lean changes along the code
    if fanned is not None:
        yield fanned


def _fan(band: Frame, parts: int = 4) -> Profile | None:
    """Rows of a band averaged after straightening bars whose lean changes along the
    code (perspective: the bars fan out): each row shifted by the lean at each x
    (`_lean_line`). None when the lean hardly changes."""
    lean = _lean_line(band, parts)
    if lean is None:
        return None
    slope, offset = lean
    height, width = band.shape
    ys, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    map_x = (xx - (slope * xx + offset) * (ys - height / 2)).astype(np.float32)
    straight = cv2.remap(band, map_x, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(_u8(straight).astype(np.float32).mean(axis=0), np.float32)


def _sharpen(gray: Frame) -> Frame:
    """Unsharp mask: restores bar edges softened by focus and motion blur."""
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return _u8(cv2.addWeighted(gray, 2.5, blurred, -1.5, 0))


def _upright(gray: Frame, rect: RotatedRect) -> tuple[Frame, npt.NDArray[np.float64]]:
    """The region turned so that `rect`'s angle (across the bars) becomes horizontal.

    Returns the crop and the 3×3 map from crop pixels back to frame pixels (2×3 used).
    """
    (cx, cy), (length, thick), angle = rect
    width = min(int(length * 1.1) + 40, 4096)  # a region is never larger than a frame
    height = min(int(max(thick, 12) * 1.1) + 8, 4096)
    matrix = cv2.getRotationMatrix2D((cx, cy), float(angle), 1.0)
    matrix[0, 2] += width / 2 - cx
    matrix[1, 2] += height / 2 - cy
    crop = cv2.warpAffine(
        gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    back = cv2.invertAffineTransform(matrix).astype(np.float64)
    return _u8(crop), np.vstack([back, [0.0, 0.0, 1.0]])


# ---------------------------------------------------------------- repeats


class RepeatFilter:
    """Drop a read whose text was already seen less than `window_s` ago.

    Every sighting restarts the window: a label held under the camera is reported
    once, and again only after it has been out of sight for `window_s`.
    """

    def __init__(self, window_s: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._seen: dict[str, float] = {}

    def accept(self, code: Code) -> bool:
        """True if `code` is new (and remember it)."""
        now = self._clock()
        for key in [k for k, t in self._seen.items() if now - t >= self.window_s]:
            del self._seen[key]
        key = code.text
        fresh = key not in self._seen
        self._seen[key] = now
        return fresh

    def filter(self, codes: Iterable[Code]) -> list[Code]:
        return [code for code in codes if self.accept(code)]

    def forget(self, text: str | None = None) -> None:
        """Report `text` (or every code, with None) again when it is next seen."""
        if text is None:
            self._seen.clear()
        else:
            self._seen.pop(text, None)


class Confirmer:
    """Report a code once it was read in `need` of the last `window` frames.

    A single frame can hold a lucky misread that still passes every check; a code
    read in two frames of a short run is what a camera truly sees. Reads missed in
    some frames (glare, motion) still add up. `need=1` confirms every read at once.
    """

    def __init__(self, need: int = 2, window: int = 5) -> None:
        if not 1 <= need <= window:
            raise DeviceError(
                Text(
                    "confirmation needs 1 <= need <= window, not {need}/{window}",
                    need=need,
                    window=window,
                ),
                "config",
            )
        self.need = need
        self.window = window
        self._frames: list[set[str]] = []

    def feed(self, codes: Iterable[Code]) -> list[Code]:
        """One frame's reads; the codes confirmed by this frame."""
        codes = list(codes)
        keys = {code.scanned for code in codes}
        self._frames = [*self._frames[-(self.window - 1) :], keys] if self.window > 1 else [keys]
        return [c for c in codes if sum(c.scanned in f for f in self._frames) >= self.need]


def describe(code: Code) -> str:
    """A read in words, for the preview: "DIN G1234 17 654321", "GS1: GTIN …, lot …"."""
    label = code.label
    if isinstance(label, identity.Label):
        if label.gs1 is not None:
            gs1 = label.gs1
            parts = [f"GTIN {gs1.gtin}" if gs1.gtin else "", f"lot {gs1.lot}" if gs1.lot else ""]
            parts.append(f"expires {gs1.expiry.isoformat()}" if gs1.expiry else "")
            return "GS1: " + ", ".join(p for p in parts if p)
        words = [_structure_words(s) for s in label.structures]
        prefix = "ISBT 128 compound: " if label.compound is not None else ""
        return prefix + ", ".join(w for w in words if w)
    if isinstance(label, identity.Din):
        return _structure_words(label)
    return f"{code.symbology}: {code.shown}"


def din_words(din: str) -> str:
    """A DIN as printed on the bag: facility, year, sequence ("G1234 17 654321")."""
    return f"{din[:5]} {din[5:7]} {din[7:]}"


def _structure_words(structure: object) -> str:
    if isinstance(structure, identity.Din):
        return f"DIN {din_words(structure.din)}"
    if isinstance(structure, identity.ProductCode):
        return f"product {structure.code}"
    if isinstance(structure, identity.Expiration):
        return f"expires {structure.when:%Y-%m-%d %H:%M}"
    if isinstance(structure, identity.CoiId):
        return f"CoI {structure.coi}"
    if isinstance(structure, identity.AboRhD):
        return f"ABO/RhD {structure.code}"
    if isinstance(structure, identity.SingleEuropeanCode):
        return "SEC"
    return type(structure).__name__
