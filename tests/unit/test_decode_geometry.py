"""The pipeline's geometry helpers (issue 15, third round): a bar region grown over a
washed-out end, bars that fan out in perspective, a small Data Matrix rectified from
its own outline. Each must read what is there and nothing that is not."""

from __future__ import annotations

import cv2
import numpy as np
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices import code128, decode
from kiosk.devices.decode import Pipeline, RotatedRect

GS1_TEXT = "0106492015002775172802051078XLX\x1d21S130028"


def _symbol() -> zxingcpp.Barcode:
    return zxingcpp.create_barcode(
        "(01)06492015002775(17)280205(10)78XLX(21)S130028",
        zxingcpp.BarcodeFormat.DataMatrix,
        gs1=True,
        forceSquare=True,
    )


MODULES = np.asarray(_symbol().to_image(scale=1, add_quiet_zones=False)).shape[0]


def _matrix_patch(module: float, corners: np.ndarray, size: int = 120) -> np.ndarray:
    """A GS1 Data Matrix drawn at `module` px, warped onto `corners` of a grey patch,
    softened and noisy as a camera gives it."""
    image = np.asarray(_symbol().to_image(scale=8, add_quiet_zones=False), np.uint8)
    side = image.shape[0]
    source = np.array([[0, 0], [side, 0], [side, side], [0, side]], np.float32)
    homography = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
    card = np.full_like(image, 255)
    warped = cv2.warpPerspective(image, homography, (size, size), borderValue=230)
    mask = cv2.warpPerspective(card, homography, (size, size)) > 0
    patch = np.where(mask, 0.6 * warped + 0.4 * 230, 230).astype(np.float32)
    soft = cv2.GaussianBlur(patch, (0, 0), 0.35 * module)
    noisy = soft + np.random.default_rng(5).normal(0, 4, patch.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _corners(module: float, lean: float) -> np.ndarray:
    # a square in perspective, one side shorter
    edge = MODULES * module
    x0, y0 = 30.0, 28.0
    return np.array(
        [[x0, y0], [x0 + edge, y0 + lean], [x0 + edge - lean, y0 + edge], [x0 + lean, y0 + edge]],
        np.float32,
    )


def test_a_small_data_matrix_in_perspective_reads_from_its_rectified_outline() -> None:
    corners = _corners(2.4, 4.0)
    patch = _matrix_patch(2.4, corners)
    codes = Pipeline()._rectified_matrix(patch, (100, 50))
    assert [c.text for c in codes] == [GS1_TEXT]
    assert codes[0].aim == "]d2"
    # the outline it reports is the symbol's, in frame pixels
    xs = sorted(x for x, _ in codes[0].points)
    assert abs(xs[0] - 130) <= 3
    assert abs(xs[-1] - (130 + MODULES * 2.4)) <= 3


def test_the_outline_is_refitted_onto_the_symbol_edges() -> None:
    corners = _corners(2.6, 3.0)
    patch = _matrix_patch(2.6, corners)
    rough = decode._clockwise(corners + np.array([[2.5, -2], [-2, 2.5], [2, 2], [-2.5, -2]]))
    refined = decode._refine_quad(patch, rough)
    assert refined is not None
    truth = decode._clockwise(corners)
    error = min(float(np.abs(refined - np.roll(truth, k, axis=0)).max()) for k in range(4))
    rough_error = min(float(np.abs(rough - np.roll(truth, k, axis=0)).max()) for k in range(4))
    assert error < 1.2
    assert error < rough_error


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), blobs=st.integers(0, 12))
def test_a_patch_of_clutter_gives_no_matrix(seed: int, blobs: int) -> None:
    rng = np.random.default_rng(seed)
    patch = rng.normal(200, 25, (90, 90)).astype(np.float32)
    for _ in range(blobs):  # dark specks and strokes: print, a glove's texture
        x, y = (int(v) for v in rng.integers(5, 85, 2))
        cv2.circle(patch, (x, y), int(rng.integers(2, 12)), float(rng.integers(20, 120)), -1)
    grey = np.clip(cv2.GaussianBlur(patch, (0, 0), 1.0), 0, 255).astype(np.uint8)
    assert Pipeline()._rectified_matrix(grey, (0, 0)) == []


def _code128_band(text: str, module: float, fan: float, height: int = 40) -> np.ndarray:
    """Code 128 bars whose lean changes along the code by `fan` px per row."""
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    row = np.asarray(symbol.to_image(scale=1, add_quiet_zones=True), np.float32)[0]
    width = int(len(row) * module) + 20
    xs = (np.arange(width, dtype=np.float32) - 10) / module
    ys = np.arange(height, dtype=np.float32)[:, None] - height / 2
    lean = fan * (np.arange(width, dtype=np.float32) / width - 0.5)  # −fan/2 … +fan/2
    src = np.clip(xs[None, :] + lean[None, :] * ys / module, 0, len(row) - 1)
    band = 60 + 0.75 * np.interp(src, np.arange(len(row)), row)
    soft = cv2.GaussianBlur(band.astype(np.float32), (0, 0), 0.4 * module)
    return np.asarray(np.clip(soft, 0, 255), np.uint8)


def test_bars_that_fan_out_read_once_each_row_is_straightened() -> None:
    text = "=W36262950260281"
    band = _code128_band(text, 3.0, 0.3)
    plain = band.astype(np.float32).mean(axis=0)
    assert code128.read_profile(plain, 1.3) is None  # averaged as they are, the ends smear
    fanned = decode._fan(band)
    assert fanned is not None
    found = code128.read_profile(fanned, 1.3)
    assert found is not None
    assert found.text == text


def test_parallel_bars_need_no_fan() -> None:
    assert decode._fan(_code128_band("=<S1280B00", 3.0, 0.0)) is None


def _tensor(mask: np.ndarray) -> tuple[np.ndarray, ...]:
    # bars standing upright: every gradient across them, along x
    jxx = mask.astype(np.float32)
    return jxx, np.zeros_like(jxx), np.zeros_like(jxx)


def test_a_region_cut_short_by_glare_grows_over_the_rest_of_the_code() -> None:
    weak = np.zeros((100, 300), bool)
    weak[40:60, 50:250] = True  # the code's bars, faint towards the right
    rect: RotatedRect = ((100.0, 50.0), (100.0, 20.0), 0.0)  # what the dense part gave
    (cx, cy), (length, thick), angle = decode._grow(rect, weak, _tensor(weak), 1.0)
    assert 190 <= length <= 210
    assert abs(cx - 150) <= 5
    assert (cy, thick, angle) == (50.0, 20.0, 0.0)


def test_a_region_does_not_grow_over_edges_in_another_direction() -> None:
    weak = np.zeros((100, 300), bool)
    weak[40:60, 80:120] = True
    weak[40:60, 120:250] = True  # coherent, but running the other way (a ruled edge)
    jxx, jyy, jxy = _tensor(weak)
    jyy[:, 120:] = jxx[:, 120:]
    jxx[:, 120:] = 0
    rect: RotatedRect = ((100.0, 50.0), (40.0, 20.0), 0.0)
    _, (length, _), _ = decode._grow(rect, weak, (jxx, jyy, jxy), 1.0)
    assert length < 60


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    angle=st.floats(-90, 90),
    length=st.floats(10, 200),
    thick=st.floats(5, 60),
)
def test_a_region_is_never_shortened_or_turned(
    seed: int, angle: float, length: float, thick: float
) -> None:
    rng = np.random.default_rng(seed)
    weak = rng.random((120, 160)) < 0.3
    tensor = tuple(rng.random((120, 160)).astype(np.float32) for _ in range(3))
    rect: RotatedRect = ((80.0, 60.0), (length, thick), angle)
    _, (grown, same_thick), same_angle = decode._grow(rect, weak, tensor, 0.5)
    assert grown >= length - 1e-6
    assert (same_thick, same_angle) == (thick, angle)
