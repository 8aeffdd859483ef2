"""Camera decoding: both libraries on the committed labels, the pipeline on camera-like frames.

The label images come from scripts/make_label_images.py (labels.json says what each
holds); the distorted frames from benchmarks/decode/make_corpus.py, the generator
the benchmark uses, with fixed seeds.
"""

from __future__ import annotations

import importlib.util
import io
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import cv2
import numpy as np
import pytest
import zxingcpp

from kiosk import identity
from kiosk.cli import main
from kiosk.devices import code128, decode
from kiosk.devices.decode import (
    Code,
    Confirmer,
    Pipeline,
    RepeatFilter,
    ZbarBackend,
    ZxingBackend,
    accept,
    check_label,
    describe,
    to_gray,
)
from kiosk.devices.errors import DeviceError

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests" / "data" / "labels"
MANIFEST = json.loads((LABELS / "labels.json").read_text(encoding="utf-8"))
GS = "\x1d"


def _corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_corpus", ROOT / "benchmarks" / "decode" / "make_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus", module)
    spec.loader.exec_module(module)
    return module


make_corpus = _corpus()


def label(name: str) -> Any:
    image = cv2.imread(str(LABELS / name), cv2.IMREAD_COLOR)
    assert image is not None, name
    return image


def entry(name: str) -> dict[str, str]:
    return next(e for e in MANIFEST if e["file"] == name)


# ---------------------------------------------------------------- the two libraries


@pytest.mark.parametrize("item", MANIFEST, ids=lambda e: e["file"])
def test_zxing_reads_every_committed_label_with_its_aim_id(item: dict[str, str]) -> None:
    codes = ZxingBackend().decode(label(item["file"]))
    assert [(c.text, c.aim, c.symbology) for c in codes] == [
        (item["text"], item["aim"], item["symbology"])
    ]
    assert codes[0].backend == "zxing"
    assert len(codes[0].points) == 4


def test_zxing_keeps_the_gs_separator_of_a_gs1_data_matrix() -> None:
    (code,) = ZxingBackend().decode(label("gs1_datamatrix.png"))
    assert code.aim == "]d2"
    assert GS in code.text
    assert code.shown == "01084302150115391727123110A1B2C3<GS>21S3736"
    assert code.scanned == "]d2" + code.text


@pytest.mark.parametrize("item", MANIFEST, ids=lambda e: e["file"])
def test_zbar_reads_linear_and_qr_labels_and_no_data_matrix(item: dict[str, str]) -> None:
    codes = ZbarBackend().decode(label(item["file"]))
    if item["symbology"] == "DataMatrix":
        assert codes == []  # zbar has no Data Matrix decoder: the reason zxing-cpp is default
    else:
        assert [(c.text, c.aim, c.symbology) for c in codes] == [
            (item["text"], item["aim"], item["symbology"])
        ]
        assert codes[0].backend == "zbar"


def test_zbar_without_its_system_library_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar", None)  # import fails as without libzbar0
    with pytest.raises(DeviceError, match="libzbar0") as caught:
        ZbarBackend()
    assert caught.value.kind == "config"


def test_unknown_zxing_format_is_a_config_error() -> None:
    with pytest.raises(DeviceError) as caught:
        ZxingBackend(["NoSuchFormat"])
    assert caught.value.kind == "config"


def test_grayscale_bgr_and_bgra_images_all_decode() -> None:
    bgr = label("din_code128.png")
    for image in (
        bgr,
        cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY),
        cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA),
    ):
        assert [c.text for c in ZxingBackend().decode(image)] == ["=G12341765432170"]


def test_an_array_that_is_no_image_is_refused() -> None:
    with pytest.raises(DeviceError) as caught:
        to_gray(np.zeros((4, 4, 2), np.uint8))
    assert caught.value.kind == "garbled"


# ---------------------------------------------------------------- label check


def test_pipeline_accepts_labels_with_their_parse_and_qr_as_unparsed_text() -> None:
    pipeline = Pipeline()
    (din,) = pipeline.decode(label("din_code128.png"))
    assert din.status == "label"
    assert din.backend == "pipeline"
    assert "G123417654321" in str(din.label)
    (qr,) = pipeline.decode(label("equipment_qr.png"))
    assert (qr.status, qr.text, qr.label) == ("unparsed", "EQ-BSC-0042", None)


def _symbol_image(text: str, fmt: str = "Code128", scale: int = 3) -> Any:
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat[fmt])
    image = np.array(barcode.to_image(scale=scale), dtype=np.uint8)
    if fmt == "Code128":
        image = cv2.resize(image[:1], (image.shape[1], 80), interpolation=cv2.INTER_NEAREST)
    return cv2.copyMakeBorder(image, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)


@pytest.mark.parametrize(
    "text",
    ["HELLO-WORLD", "=G12341765432171", "=A9O991712345600", "=+05000=Z54991712345600"],
    ids=["not-a-label", "wrong-type-3-flag", "letter-O", "compound-count-wrong"],
)
def test_pipeline_never_reports_a_code128_that_is_not_a_valid_label(text: str) -> None:
    image = _symbol_image(text)
    assert [c.text for c in ZxingBackend().decode(image)] == [text]  # the library reads it
    pipeline = Pipeline()
    assert pipeline.decode(image) == []  # the pipeline refuses it
    assert pipeline.stats["rejected"] >= 1
    assert pipeline.last_stage == ""


def test_pipeline_with_no_strict_symbologies_passes_every_read_on() -> None:
    (code,) = Pipeline(strict=()).decode(_symbol_image("HELLO-WORLD"))
    assert (code.text, code.status) == ("HELLO-WORLD", "unparsed")


def test_check_label_uses_identity_parse_label_when_it_exists() -> None:
    code = Code("=G12341765432170", "Code128", "]C0")
    assert hasattr(identity, "parse_label")
    assert type(check_label(code)) is type(identity.parse_label("]C0=G12341765432170"))


@pytest.mark.parametrize(
    ("scanned", "expected"),
    [
        ("]C0=G12341765432170", "Din"),
        (
            "]d1=+05000=Z54991712345600=%T300=<T0416003&>0183652359"
            "&,4PL001499Z549917123456A00T041600320181231",
            "IsbtMessage",
        ),
        ("]d2010843021501153917271231" + "10A1B2C3" + GS + "21S3736", "Gs1"),
        ("]C0=<S12954A0", "IsbtMessage"),
    ],
)
def test_fallback_parse_reads_din_compound_gs1_and_single_structures(
    scanned: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(identity, "parse_label", raising=False)
    aim, text = identity.strip_aim(scanned)
    result = check_label(Code(text, decode.symbology_for_aim(aim), aim))
    assert type(result).__name__ == expected


@pytest.mark.parametrize(
    "scanned",
    [
        "]C0=G12341765432171",  # type-3 flag disagrees
        "]d1=+05000=Z54991712345600=%T300=<T0416003&>0183652359",  # declares 5, carries 4
        "]d1=+02000=Z54991712345600=%T300=<T0416003",  # declares 2, carries 3
        "]d1=+02000=Z54991712345600=%T3",  # a structure cut short
        "]C0=<S129",  # product code cut short
        "]C0=G12341765432170X",  # extra characters
        "]C0HELLO",
        "]C0012345",  # digits without the GS1 AIM
        "]d20109506000134353",  # GTIN check digit wrong
        "]C0&?12345",  # unknown data identifier
    ],
)
def test_fallback_parse_refuses_malformed_labels(
    scanned: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(identity, "parse_label", raising=False)
    aim, text = identity.strip_aim(scanned)
    code = Code(text, decode.symbology_for_aim(aim), aim)
    with pytest.raises(identity.LabelError):
        check_label(code)
    assert accept(code) is None


def test_fallback_compound_keeps_the_din() -> None:
    message = decode._fallback_parse("]d1=+04000=G12341765432170=%5100=<S12954A0&>0263652359")
    assert isinstance(message, decode.IsbtMessage)
    assert message.din is not None
    assert message.din.din == "G123417654321"
    assert [di for di, _ in message.structures] == ["=", "=%", "=<", "&>"]


# ---------------------------------------------------------------- camera-like frames


def _rotated_din_frame(angle: float) -> tuple[Any, str]:
    """A DIN label turned `angle` degrees on a cluttered background, slightly blurred."""
    rng = np.random.default_rng(5)
    din = "=G12341765432170"
    symbol = make_corpus.symbol(din, matrix=False, gs1=False)
    bars = cv2.resize(symbol, (symbol.shape[1] * 3, 70), interpolation=cv2.INTER_NEAREST)
    card = cv2.copyMakeBorder(bars, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=245)
    frame = np.repeat(make_corpus.background(rng).astype(np.uint8)[..., None], 3, axis=2)
    h, w = card.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    matrix[:, 2] += (640 - w / 2, 360 - h / 2)
    warped = cv2.warpAffine(card, matrix, (1280, 720), borderValue=0)
    mask = cv2.warpAffine(np.full_like(card, 255), matrix, (1280, 720)) > 0
    frame[mask] = warped[mask][:, None]
    return cv2.GaussianBlur(frame, (0, 0), 0.8), din


def test_pipeline_reads_a_rotated_code128_that_plain_zxing_misses() -> None:
    frame, din = _rotated_din_frame(30.0)
    assert all(c.text != din for c in ZxingBackend().decode(frame))
    pipeline = Pipeline()
    (code,) = pipeline.decode(frame)
    assert code.text == din
    assert code.status == "label"
    assert pipeline.last_stage in ("bars", "frame")
    xs = [x for x, _ in code.points]
    ys = [y for _, y in code.points]
    assert min(xs) > 300
    assert max(xs) < 980
    assert min(ys) > 100
    assert max(ys) < 620


def test_pipeline_uses_the_previous_region_first_when_the_label_stays() -> None:
    frame, din = _rotated_din_frame(-20.0)
    pipeline = Pipeline()
    assert [c.text for c in pipeline.decode(frame)] == [din]
    assert [c.text for c in pipeline.decode(frame)] == [din]
    assert pipeline.last_stage == "roi"
    pipeline.reset()
    pipeline.decode(frame)
    assert pipeline.last_stage != "roi"


def test_pipeline_reads_hard_bag_label_frames_without_a_misread() -> None:
    """A test-sized cut of the benchmark corpus (issue 15): 4 codes a frame, fixed seed.

    The full corpus and its figures are benchmarks/decode; here: most codes come
    back, more than plain zxing-cpp reads, and nothing that is not on the frame.
    """
    rng = np.random.default_rng(7)
    pipeline = Pipeline()
    read = plain = total = 0
    for _ in range(8):
        jpeg, codes, _look = make_corpus.make_frame(rng)
        frame = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
        pipeline.reset()
        texts = {c.text for c in pipeline.decode(frame)}
        expected = {c.text for c in codes}
        assert texts <= expected  # never a read that is not on the label
        read += len(texts)
        plain += len({c.text for c in ZxingBackend().decode(frame)} & expected)
        total += len(codes)
    assert total == 32
    assert read >= 27  # 29 of 32 when written (plain zxing-cpp: 11): benchmarks/README.md
    assert read > plain
    assert pipeline.stats["matrix"] >= 1  # a small Data Matrix only the enlarged patch reads


def test_pipeline_reports_nothing_on_frames_without_a_label() -> None:
    rng = np.random.default_rng(3)
    pipeline = Pipeline()
    for _ in range(3):
        jpeg = make_corpus.make_empty_frame(rng)
        assert pipeline.decode(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)) == []
    assert pipeline.stats["none"] == 3


# ---------------------------------------------------------------- repeats


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_repeat_filter_drops_the_same_text_within_the_window() -> None:
    clock = FakeClock()
    repeats = RepeatFilter(2.0, clock=clock)
    din = Code("=G12341765432170", "Code128", "]C0")
    other = Code("=A99991712365400", "Code128", "]C0")
    assert repeats.filter([din]) == [din]
    clock.now += 0.5
    assert repeats.filter([din, other]) == [other]
    clock.now += 1.9  # seen 0.5 s after the first: still inside its window
    assert repeats.filter([din]) == []
    clock.now += 2.0  # out of sight for the whole window
    assert repeats.filter([din]) == [din]


def test_repeat_filter_keeps_suppressing_a_label_held_in_view() -> None:
    clock = FakeClock()
    repeats = RepeatFilter(1.0, clock=clock)
    din = Code("=G12341765432170", "Code128", "]C0")
    reported = 0
    for _ in range(50):  # 5 s of frames every 100 ms
        reported += repeats.accept(din)
        clock.now += 0.1
    assert reported == 1


def test_serial_and_camera_reads_of_one_label_are_one_repeat() -> None:
    repeats = RepeatFilter(2.0, clock=FakeClock())
    assert repeats.accept(Code("=G12341765432170", "Code128", "]C0", backend="pipeline"))
    assert not repeats.accept(Code("=G12341765432170", "Code128", None, backend="serial"))


# ---------------------------------------------------------------- kiosk decode


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["decode", *args], out=out)
    return code, out.getvalue()


def test_cli_prints_one_line_per_image_with_the_parse() -> None:
    files = [str(LABELS / e["file"]) for e in MANIFEST]
    code, text = run_cli(*files)
    assert code == 0
    lines = text.splitlines()
    assert len(lines) == len(files)
    assert "=G12341765432170 (Code128 ]C0) label: din=G123417654321 flags=70" in lines[0]
    gs1 = next(line for line in lines if "gs1_datamatrix" in line)
    assert "<GS>21S3736 (DataMatrix ]d2) label:" in gs1
    assert "lot=A1B2C3" in gs1
    assert GS not in text


def test_cli_exit_0_when_nothing_found_and_1_only_for_unreadable_files(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((100, 100), 255, np.uint8))
    assert run_cli(str(blank)) == (0, f"{blank}: no code found\n")
    not_image = tmp_path / "notes.txt"
    not_image.write_text("hello")
    code, text = run_cli(str(blank), str(not_image), str(tmp_path / "missing.png"))
    assert code == 1
    assert "notes.txt: not an image" in text
    assert "missing.png: cannot read the file" in text
    assert "Traceback" not in text


def test_cli_json_and_backends() -> None:
    code, text = run_cli("--json", "--backend", "zbar", str(LABELS / "din_code128.png"))
    assert code == 0
    (result,) = json.loads(text)
    (read,) = result["codes"]
    assert (read["text"], read["aim"], read["label"]) == ("=G12341765432170", "]C0", True)
    code, text = run_cli("--backend", "zxing", str(LABELS / "equipment_qr.png"))
    assert code == 0
    assert "EQ-BSC-0042 (QRCode ]Q1) not a label" in text


def test_cli_without_zbar_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    code, text = run_cli("--backend", "zbar", str(LABELS / "din_code128.png"))
    assert code == 2
    assert "libzbar0" in text


def test_points_map_back_through_rotation() -> None:
    affine = cv2.getRotationMatrix2D((0, 0), 90, 1.0).astype(np.float64)
    ((x, y),) = decode._map_points([(10, 0)], affine)
    assert (x, y) == (0, -10)
    assert math.isclose(affine[0, 0], 0.0, abs_tol=1e-9)


# ---------------------------------------------------------------- Code 128 from a profile


@pytest.mark.parametrize("module", [1.0, 1.5, 3.0])  # at 1.2 px one of these 3 fails
@pytest.mark.parametrize("text", ["=G12341765432170", "=<S1234A00", "&>0272761230"])
def test_code128_reads_a_soft_noisy_profile_at_small_modules(text: str, module: float) -> None:
    rng = np.random.default_rng(1)
    row = make_corpus.symbol(text, matrix=False, gs1=False)[0].astype(np.float32)
    row = np.pad(row, 12, constant_values=255)
    width = int(len(row) * module)
    profile = cv2.resize(row[None, :], (width, 1), interpolation=cv2.INTER_AREA)
    profile = cv2.GaussianBlur(profile, (0, 0), 0.35 * module)[0] * 0.6 + 60  # 60 % contrast
    profile = (profile + rng.normal(0, 3, width)).astype(np.float32)
    read = code128.read_profile(profile, module)
    assert read is not None
    assert (read.text, read.aim) == (text, "]C0")
    assert abs(read.start - 12 * module) < 2  # where the code is: after the 12-module margin
    assert abs(read.end - (width - 12 * module)) < 2
    back = code128.read_profile(profile[::-1].copy(), module)  # upside down
    assert back is not None
    assert back.text == text
    assert abs(back.start - read.start) < 1.5


def test_code128_gives_nothing_for_a_damaged_profile_rather_than_a_wrong_read() -> None:
    row = make_corpus.symbol("=G12341765432170", matrix=False, gs1=False)[0].astype(np.float32)
    row = np.pad(row, 12, constant_values=255)
    profile = cv2.resize(row[None, :], (len(row) * 3, 1), interpolation=cv2.INTER_NEAREST)[0]
    profile[200:212] = 255.0  # a bar wiped out: the check character fails
    assert code128.read_profile(profile.astype(np.float32), 3.0) is None
    assert code128.read_profile(np.full(300, 128, np.float32), 2.0) is None


def _soft_profile(text: str, module: float, sigma: float, box: float = 0.0) -> Any:
    """A quarter-pixel-like profile: `module` samples a module, Gaussian blur σ and a
    motion box (both in modules), 60 % contrast, a little noise."""
    rng = np.random.default_rng(1)
    row = make_corpus.symbol(text, matrix=False, gs1=False)[0].astype(np.float32)
    row = np.pad(row, 12, constant_values=255)
    width = int(len(row) * module)
    profile = cv2.resize(row[None, :], (width, 1), interpolation=cv2.INTER_AREA)
    profile = cv2.GaussianBlur(profile, (0, 0), sigma * module)
    if box:
        profile = cv2.blur(profile, (round(box * module), 1))
    return (profile[0] * 0.6 + 60 + rng.normal(0, 2, width)).astype(np.float32)


@pytest.mark.parametrize(("sigma", "box"), [(0.6, 0.0), (0.7, 0.0), (0.3, 1.5)])
@pytest.mark.parametrize("text", ["=G12341765432170", "=<S1234A00", "&>0272761230"])
def test_code128_whole_symbol_fit_reads_where_blur_closed_the_narrow_spaces(
    text: str, sigma: float, box: float
) -> None:
    profile = _soft_profile(text, 5.0, sigma, box)
    assert code128.read_profile(profile, 5.0) is None  # the edges are gone
    read = code128.read_structured(profile, 5.0)
    assert read is not None
    assert (read.text, read.aim) == (text, "]C0")
    assert abs(read.start - 12 * 5.0) < 3
    back = code128.read_structured(profile[::-1].copy(), 5.0)  # upside down
    assert back is not None
    assert back.text == text


def test_code128_whole_symbol_fit_gives_nothing_rather_than_a_wrong_read() -> None:
    profile = _soft_profile("=G12341765432170", 5.0, 0.6)
    damaged = profile.copy()
    damaged[300:330] = damaged[300]  # a character smudged flat
    assert code128.read_structured(damaged, 5.0) is None
    rng = np.random.default_rng(3)
    for _ in range(60):  # clutter: bars of random widths, blurred, and plain noise
        widths = rng.integers(1, 5, size=200) * rng.uniform(3, 7)
        levels = (np.arange(200) % 2).astype(np.float32) * 100
        clutter = np.interp(np.arange(900), np.cumsum(widths), levels).astype(np.float32)
        clutter = cv2.GaussianBlur(clutter.reshape(1, -1), (0, 0), 2.0)[0]
        assert code128.read_structured(clutter + rng.normal(0, 5, 900).astype(np.float32)) is None
        assert code128.read_structured(rng.normal(128, 20, 900).astype(np.float32)) is None


def test_reads_in_words_for_the_preview() -> None:
    pipeline = Pipeline()
    words = {}
    for name in ("din_code128", "gs1_datamatrix", "isbt_compound_datamatrix", "equipment_qr"):
        image = cv2.imread(str(LABELS / f"{name}.png"), cv2.IMREAD_COLOR)
        (code,) = pipeline.decode(image)
        words[name] = describe(code)
    assert words == {
        "din_code128": "DIN G1234 17 654321",
        "gs1_datamatrix": "GS1: GTIN 08430215011539, lot A1B2C3, expires 2027-12-31",
        "isbt_compound_datamatrix": "ISBT 128 compound: DIN Z5499 17 123456, ABO/RhD T300, "
        "product T0416003, expires 2018-12-31 23:59, SEC",
        "equipment_qr": "QRCode: EQ-BSC-0042",
    }


def test_a_code_counts_once_read_in_two_of_the_last_frames() -> None:
    din = Code("=G12341765432170", "Code128", "]C0")
    qr = Code("EQ-BSC-0042", "QRCode", "]Q1")
    confirm = Confirmer(need=2, window=3)
    assert confirm.feed([din]) == []
    assert confirm.feed([qr]) == []
    assert confirm.feed([din, qr]) == [din, qr]  # din: frames 1 and 3; qr: frames 2 and 3
    assert confirm.feed([]) == []
    assert confirm.feed([]) == []
    assert confirm.feed([din]) == []  # its last sighting left the window
    with pytest.raises(DeviceError):
        Confirmer(need=3, window=2)


def test_a_forgotten_code_is_new_again() -> None:
    repeats = RepeatFilter(window_s=30)
    din = Code("=G12341765432170", "Code128", "]C0")
    assert repeats.filter([din, din]) == [din]
    repeats.forget(din.text)
    assert repeats.filter([din]) == [din]
    repeats.forget()
    assert repeats.filter([din]) == [din]
