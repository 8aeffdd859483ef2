"""Code 128 from one intensity profile across the bars, with sub-pixel edges.

For small, soft codes (1–1.5 px per module on a camera frame) a general reader's
binarizer loses narrow bars. Here the profile (rows averaged across the bars by the
caller, which removes most sensor noise) is cut at a threshold that follows the
local paper and ink levels (glare, frost and shading change both along a code);
edges are placed between samples by linear interpolation; every symbol's six
widths are measured against its own length (11 modules), so a code that narrows
along a curved bag or in perspective still reads; the symbol is the nearest of the
107 patterns. A read counts only with its start, stop and mod-103 check character.

`read_structured` needs no edge inside a character: once blur closes a one-module
space, edges are lost, but the grey levels still carry the pattern. It fits each
character as a whole (11 modules, with the space before it and the next bar after
it) to the 107 patterns blurred by focus (Gaussian) or motion (box), stepping from
the start character to the stop with the module width following the code.

The pattern table is taken from zxing-cpp's own Code 128 writer at import time.
Code sets A, B and C with their shifts and switches; FNC1 gives "]C1" and GS.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, NamedTuple

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

Profile = npt.NDArray[np.float32]

START_A, START_B, START_C, STOP = 103, 104, 105, 106
FNC1, SHIFT, CODE_C, CODE_B, CODE_A = 102, 98, 99, 100, 101
_STOP_WIDTHS: Final = (2, 3, 3, 1, 1, 1, 2)


def _runs(text: str) -> list[int]:
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    row = np.asarray(barcode.to_image(scale=1, add_quiet_zones=False))[0] < 128
    runs, count = [], 1
    for index in range(1, len(row)):
        if row[index] == row[index - 1]:
            count += 1
        else:
            runs.append(count)
            count = 1
    runs.append(count)
    return runs


def _table() -> npt.NDArray[np.float32]:
    """The 106 six-width patterns (values 0–105; FNC1 is filled in when found)."""
    patterns: dict[int, tuple[int, ...]] = {}
    for value in range(95):  # code set B: one printable character
        runs = _runs(chr(32 + value))
        patterns[START_B] = tuple(runs[0:6])
        patterns[value] = tuple(runs[6:12])
        patterns[(START_B + value) % 103] = tuple(runs[12:18])
    for value in range(100):  # code set C: one digit pair
        runs = _runs(f"{value:02d}")
        patterns[START_C] = tuple(runs[0:6])
        patterns[value] = tuple(runs[6:12])
        patterns[(START_C + value) % 103] = tuple(runs[12:18])
    patterns[START_A] = tuple(_runs("\x01")[0:6])
    table = np.zeros((107, 6), np.float32)
    for value, widths in patterns.items():
        table[value] = widths
    return table


TABLE: Final = _table()
KNOWN: Final = np.array([bool(row.sum()) for row in TABLE])


def _edges(profile: Profile, window: int) -> tuple[Profile, bool]:
    """Sub-pixel crossings of the local mid level; True if the profile starts dark."""
    row = profile.reshape(1, -1)
    kernel = np.ones((1, window), np.uint8)
    high = cv2.blur(cv2.dilate(row, kernel), (window, 1))[0]
    low = cv2.blur(cv2.erode(row, kernel), (window, 1))[0]
    contrast = high - low
    level = profile - (high + low) / 2
    level[contrast < 0.25 * float(contrast.mean() + 1e-3)] = 0.0  # flat: no edges
    dark = level < 0
    flips = np.nonzero(dark[1:] != dark[:-1])[0]
    a, b = level[flips], level[flips + 1]
    step = np.where(a != b, a / np.where(a != b, a - b, 1.0), 0.5)
    return (flips + step).astype(np.float32), bool(dark[0])


def _pairs(widths: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Edge-to-similar-edge distances (bar+space, space+bar, …): ink spread cancels out."""
    return np.asarray(widths[..., :-2] + widths[..., 1:-1], np.float32)


PAIRS: Final = _pairs(TABLE)


def _symbol(widths: npt.NDArray[np.float32]) -> tuple[int, float]:
    """The nearest pattern to six widths scaled to 11 modules, and its distance.

    Measured on the edge-to-similar-edge distances first (blur and ink spread make
    every bar wider or narrower by the same amount; those sums do not change), the
    widths themselves breaking ties.
    """
    scaled = widths * (11.0 / float(widths.sum()))
    dist = np.abs(PAIRS - _pairs(scaled)).sum(axis=1) + 0.25 * np.abs(TABLE - scaled).sum(axis=1)
    dist[~KNOWN] = 99.0
    best = int(np.argmin(dist))
    return best, float(dist[best])


def _values_from(runs: npt.NDArray[np.float32], start: int) -> list[int] | None:
    """Symbol values from the start character at bar `start` through the stop."""
    values: list[int] = []
    pos = start
    while pos + 6 <= len(runs):
        group = runs[pos : pos + 6]
        if len(values) >= 2 and pos + 7 <= len(runs):
            stop = runs[pos : pos + 7] * (13.0 / float(runs[pos : pos + 7].sum()))
            if float(np.abs(stop - np.array(_STOP_WIDTHS)).sum()) < 2.2:
                return values
        value, dist = _symbol(group)
        if dist > 2.6 or (values and value >= START_A) or (not values and value < START_A):
            return None
        values.append(value)
        pos += 6
    return None


def _text(values: Sequence[int]) -> tuple[str, str] | None:
    """(text, AIM id) from start … check, or None if the check character fails."""
    *data, check = values
    if (data[0] + sum(i * v for i, v in enumerate(data[1:], 1))) % 103 != check:
        return None
    code_set = {START_A: "A", START_B: "B", START_C: "C"}[data[0]]
    out: list[str] = []
    aim = "]C0"
    shift = False
    for index, value in enumerate(data[1:]):
        current = ("B" if code_set == "A" else "A") if shift else code_set
        shift = False
        if value == FNC1:
            if index == 0:
                aim = "]C1"
            else:
                out.append("\x1d")
        elif current == "C":
            if value < 100:
                out.append(f"{value:02d}")
            elif value == CODE_B:
                code_set = "B"
            elif value == CODE_A:
                code_set = "A"
            else:
                return None
        elif value < 96:
            if current == "B":
                out.append(chr(32 + value))
            else:
                out.append(chr(32 + value) if value < 64 else chr(value - 64))
        elif value == SHIFT:
            shift = True
        elif value == CODE_C:
            code_set = "C"
        elif value == CODE_B and current == "A":
            code_set = "B"
        elif value == CODE_A and current == "B":
            code_set = "A"
        else:  # FNC2–FNC4: not on ISBT 128 or GS1 labels
            return None
    return "".join(out), aim


_STARTS: Final = np.array([START_A, START_B, START_C])


class Read(NamedTuple):
    """A Code 128 read from a profile: its text, AIM id, and where it lies (samples)."""

    text: str
    aim: str
    start: float
    end: float


def read_profile(profile: Profile, module_px: float = 3.0) -> Read | None:
    """The Code 128 in `profile` (dark bars low), read in either direction.

    Tried as it is, then sharpened (an unsharp mask about a module wide, amount 2):
    blur leaves a one-module space between wide bars as a shallow bump below the
    local mid level, and sharpening lifts it back across (synthetic profiles at
    1.0–2.0 px per module, σ 0.45 modules: 16 of 30 read as is, 29 of 30 with it).
    Only a profile with a start character somewhere gets the second look.
    """
    found, started = _read(profile, module_px)
    if found is None and started:  # a start character: worth a second look, sharpened
        soft = cv2.GaussianBlur(profile.reshape(1, -1), (0, 0), max(0.6, 0.8 * module_px))[0]
        found, _ = _read(np.asarray(profile + 2.0 * (profile - soft), np.float32), module_px)
    return found


def _read(profile: Profile, module_px: float) -> tuple[Read | None, bool]:
    """The read, if any, and whether a start character was seen at all."""
    started = False
    window = max(5, int(module_px * 6) | 1)
    size = len(profile)
    for reverse in (False, True):
        series = profile[::-1] if reverse else profile
        edges, starts_dark = _edges(np.ascontiguousarray(series, np.float32), window)
        if len(edges) < 30:
            continue
        runs = np.diff(edges)
        first_bar = 0 if not starts_dark else 1  # runs[k] is a bar for k of this parity
        groups = np.lib.stride_tricks.sliding_window_view(runs, 6)[first_bar::2]
        scaled = groups * (11.0 / groups.sum(axis=1, keepdims=True))
        dist = np.abs(scaled[:, None, :] - TABLE[_STARTS][None, :, :]).sum(axis=2).min(axis=1)
        started = started or bool((dist < 1.0).any())
        for index in np.nonzero(dist < 2.0)[0]:
            first = first_bar + 2 * int(index)
            values = _values_from(runs, first)
            if values is None or len(values) < 3:
                continue
            found = _text(values)
            if found is None:
                continue
            a, b = float(edges[first]), float(edges[first + 6 * len(values) + 7])
            if reverse:
                a, b = size - 1 - b, size - 1 - a
            return Read(found[0], found[1], a, b), True
    return None, started


# ---------------------------------------------------------------- whole-symbol fit

_RES: Final = 4  # template samples per module
# the templates' blur, in modules: Gaussian σ (focus), and a box (motion) on a σ of 0.3
_BLURS: Final = ((0.3, 0.0), (0.5, 0.0), (0.7, 0.0), (0.3, 1.0), (0.3, 1.5))


def _bank(widths: Sequence[Sequence[float]], before: int, after: int) -> npt.NDArray[np.float32]:
    """Templates (blur × pattern × samples), zero-mean and unit-norm, light = 1.

    Each pattern has `before` light modules before it and `after` modules after it
    (dark for a character, which the next one's bar follows; light for the stop).
    """
    rows = []
    for sigma, box in _BLURS:
        for pattern in widths:
            cells = [1.0] * before
            for index, width in enumerate(pattern if sum(pattern) else (11,)):  # unknown: dark
                cells += [0.0 if index % 2 == 0 else 1.0] * int(width)
            cells += [0.0 if after > 0 and len(pattern) == 6 else 1.0] * after
            fine = np.repeat(np.asarray(cells, np.float32), _RES).reshape(1, -1)
            soft = cv2.GaussianBlur(fine, (0, 0), sigma * _RES, borderType=cv2.BORDER_REPLICATE)
            if box:
                soft = cv2.blur(soft, (int(box * _RES), 1), borderType=cv2.BORDER_REPLICATE)
            soft = soft[0]
            rows.append(soft - soft.mean())
    bank = np.asarray(rows, np.float32).reshape(len(_BLURS), len(widths), -1)
    return np.asarray(bank / np.linalg.norm(bank, axis=2, keepdims=True), np.float32)


_CHARS: Final = _bank(TABLE.tolist(), 1, 1)  # 13 modules: light, character, dark
_STOP_BANK: Final = _bank([_STOP_WIDTHS], 1, 1)  # 15 modules: light, stop, light
_CHARS_T: Final = np.ascontiguousarray(_CHARS.reshape(-1, _CHARS.shape[2]).T)
_START_T: Final = np.ascontiguousarray(_CHARS[:, START_A:STOP].reshape(-1, _CHARS.shape[2]).T)
_STOP_T: Final = np.ascontiguousarray(_STOP_BANK.reshape(-1, _STOP_BANK.shape[2]).T)


def _scores(windows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Correlations, windows × σ × values."""
    return np.asarray(windows @ _CHARS_T, np.float32).reshape(len(windows), len(_BLURS), -1)


_JITTER: Final = np.array([-0.5, -0.25, 0.0, 0.25, 0.5], np.float32)  # modules
_STRETCH: Final = np.array([0.94, 0.97, 1.0, 1.03, 1.06], np.float32)


def _windows(
    profile: Profile,
    at: float,
    module: float,
    cells: int,
    stretch: npt.NDArray[np.float32] = _STRETCH,
) -> tuple[Any, Any, Any]:
    """Normalised windows of `cells` modules starting one module before `at`, for every
    jitter of the start and stretch of the module; with their starts and modules."""
    starts = at + np.repeat(_JITTER, len(stretch)) * module
    modules = np.tile(stretch, len(_JITTER)) * module
    where = starts[:, None] + _OFFSETS[cells][None, :] * modules[:, None]
    samples = np.interp(where.ravel(), _index(len(profile)), profile).reshape(where.shape)
    samples -= samples.mean(axis=1, keepdims=True)
    norm = np.sqrt(np.einsum("ij,ij->i", samples, samples))[:, None]
    return samples / np.maximum(norm, 1e-3), starts, modules


_OFFSETS: Final = {
    cells: (np.arange(cells * _RES, dtype=np.float32) + 0.5) / _RES - 1.0 for cells in (13, 15)
}
_INDEX: dict[int, npt.NDArray[np.float32]] = {}


def _index(size: int) -> npt.NDArray[np.float32]:
    if size not in _INDEX:
        if len(_INDEX) > 64:
            _INDEX.clear()
        _INDEX[size] = np.arange(size, dtype=np.float32)
    return _INDEX[size]


def _best(
    scores: npt.NDArray[np.float32], allowed: npt.NDArray[np.bool_]
) -> tuple[int, int, float, float]:
    """(window, value, score, margin over the best other value) of windows × σ × values."""
    per_value = np.where(allowed[None, None, :], scores, -1.0).max(axis=1)  # windows × values
    window, value = np.unravel_index(int(np.argmax(per_value)), per_value.shape)
    best = float(per_value[window, value])
    others = np.delete(per_value[window], value)
    return int(window), int(value), best, best - float(others.max())


class _Fit(NamedTuple):
    values: list[int]
    start: float
    end: float
    worst: float


_SCALES: Final = np.geomspace(0.65, 1.5, 15).astype(np.float32)
_MIN_SCORE: Final = 0.7  # correlation of every character with its template
_MIN_MARGIN: Final = 0.015  # over the next-best value in the same window
_IS_START: Final = np.arange(107) >= START_A
_IS_DATA: Final = KNOWN & (np.arange(107) < START_A)


def _fit_from(profile: Profile, at: float, module: float) -> _Fit | None:
    """The symbol whose start character's first bar begins at `at` (samples): each
    character fitted as a whole to blurred templates, the next one searched a half
    module either side of where this one ends, the module width following the code."""
    # the start character fixes the module: a wide search over start templates only
    windows, starts, modules = _windows(profile, at, module, 13, _SCALES)
    scores = np.asarray(windows @ _START_T, np.float32).reshape(len(windows), len(_BLURS), 3)
    window, column = divmod(int(np.argmax(scores.max(axis=1))), 3)
    score = float(scores.max(axis=1)[window, column])
    value = START_A + column
    pos, module = float(starts[window]), float(modules[window])
    if score < _MIN_SCORE:
        return None
    values, worst, begin = [value], score, pos
    while len(values) < 60:
        pos += 11 * module
        if pos + 13 * module >= len(profile):
            return None
        windows, starts, modules = _windows(profile, pos, module, 13)
        window, value, score, margin = _best(_scores(windows), _IS_DATA)
        if len(values) >= 3:
            stop = float((_windows(profile, pos, module, 15)[0] @ _STOP_T).max())
            if stop >= _MIN_SCORE and stop > score:
                end = pos + 13 * module
                return _Fit(values, begin, end, worst)
        if score < _MIN_SCORE or margin < _MIN_MARGIN:
            return None
        values.append(value)
        worst = min(worst, score)
        pos, found = float(starts[window]), float(modules[window])
        module = 0.7 * module + 0.3 * found
    return None


def read_structured(profile: Profile, module_px: float = 3.0) -> Read | None:
    """The Code 128 in `profile` fitted character by character to blurred templates.

    For profiles where blur has closed the narrow spaces: no edge inside a character
    is needed. The symbol begins at a dark edge after a light stretch (the quiet
    zone); the start character, fitted at module widths from 0.65 to 1.5 × the
    estimate (the median run over 1.83), fixes the module; each following character
    is the best of the 107 patterns (each with a module of light before it and the
    next character's bar after it, blurred by σ 0.3–0.7 modules or a motion box of
    1–1.5 modules) within half a module of where the previous one ended and ±6 % of
    its module; it must correlate with it at ≥ 0.7 and better than with any other
    pattern; the stop pattern ends it. Start, stop and
    mod-103 check as for `read_profile`.
    """
    size = len(profile)
    for reverse in (False, True):
        series = np.ascontiguousarray(profile[::-1] if reverse else profile, np.float32)
        edges, starts_dark = _edges(series, max(5, int(module_px * 6) | 1))
        if len(edges) < 20:
            continue
        runs = np.diff(edges)
        typical = float(np.median(runs))
        # dark edges (light → dark) after a light run at least 3 typical runs long
        first_light = 1 if starts_dark else 0  # runs[k] is light for k of this parity
        light = np.arange(first_light, len(runs), 2)
        quiet = light[runs[light] > 3.0 * typical]
        candidates = [(float(runs[k]), float(edges[k + 1])) for k in quiet]
        if not starts_dark and edges[0] > 1.5 * typical:  # begins in a (cut) quiet zone
            candidates.append((float(edges[0]), float(edges[0])))
        for _, at in sorted(candidates, reverse=True)[:3]:
            fit = _fit_from(series, at, typical / 1.83)  # a Code 128 run: 11/6 modules
            if fit is None:
                continue
            found = _text(fit.values)
            if found is None:
                continue
            a, b = fit.start, fit.end
            if reverse:
                a, b = size - 1 - b, size - 1 - a
            return Read(found[0], found[1], a, b)
    return None
