"""Camera decoding benchmark: plain zxing-cpp, plain pyzbar and our Pipeline side by side.

Runs each decoder over the same corpus of camera-like 1280×720 frames
(``make_corpus.py``: ISBT 128 DIN in Code 128, ISBT 128 compound messages and GS1
element strings in Data Matrix, distorted like a hand-held label under a camera),
on one core (``cv2.setNumThreads(1)``), timing each call from the BGR frame to the
result, and prints per decoder:

- found: frames where the expected text (GS kept) came back;
- wrong reads: returned texts that differ from the frame's label, and how many of
  those parse as valid ISBT 128 / GS1 labels (for the Pipeline: what it reports —
  target 0);
- median and p95 milliseconds per frame (wall clock), and the median CPU time of the
  decoding thread ("cpu med"), which other processes on a busy machine do not inflate.

"Plain" means the library called the way its README shows, on the whole frame:
``zxingcpp.read_barcodes(frame, text_mode=Plain)`` (all formats, default options;
Plain keeps GS) and ``pyzbar.decode(gray)``. The Pipeline is reset before every frame,
so it never profits from the previous frame's position; ``roi re-decode`` times a
second decode of each found frame, as when a label stays in view. Frames without a
label (``--empty``) time the no-hit path, which is what the camera sees most.

Targets (pipeline): >= 95 % found, more than either plain library, 0 wrong reads
accepted, median <= 33 ms per frame.

Usage: python benchmarks/decode/bench_decode.py [--frames N] [--empty N] [--seed S]
       [--corpus DIR] [--keep]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import cv2
import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import Truth, load_manifest, make_corpus

from kiosk.devices.decode import Code, Pipeline, accept, symbology_for_aim

TARGET_FOUND = 0.95
TARGET_MEDIAN_MS = 33.0


@dataclass
class Result:
    name: str
    found: int = 0
    frames: int = 0
    wrong: int = 0
    wrong_valid: int = 0
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    empty_times: list[float] = field(default_factory=list)
    empty_cpu: list[float] = field(default_factory=list)
    empty_reads: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    def pct(self, q: float, values: list[float] | None = None) -> float:
        data = sorted(self.times if values is None else values)
        return data[min(len(data) - 1, int(q * len(data)))] if data else float("nan")


def plain_zxing(frame: Any) -> list[tuple[str, str | None]]:
    return [
        (b.text, b.symbology_identifier or None)
        for b in zxingcpp.read_barcodes(frame, text_mode=zxingcpp.TextMode.Plain)
    ]


def make_plain_zbar() -> Callable[[Any], list[tuple[str, str | None]]] | None:
    try:
        from pyzbar import pyzbar  # noqa: PLC0415  (optional: needs libzbar0)
    except (ImportError, OSError) as exc:
        print(f"pyzbar unavailable ({exc}); install libzbar0 to compare it")
        return None

    def run(frame: Any) -> list[tuple[str, str | None]]:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        return [(s.data.decode("latin-1"), None) for s in pyzbar.decode(gray)]

    return run


def valid_label(text: str, aim: str | None) -> bool:
    code = Code(text, symbology_for_aim(aim) or "Code128", aim)
    checked = accept(code)
    return checked is not None and checked.status == "label"


def load(folder: Path, truth: Truth) -> Any:
    image = cv2.imread(str(folder / truth.file), cv2.IMREAD_COLOR)
    if image is None:
        sys.exit(f"cannot read {folder / truth.file}")
    return image


def run(
    name: str,
    decode: Callable[[Any], list[tuple[str, str | None]]],
    folder: Path,
    truths: list[Truth],
) -> Result:
    """Decode every frame (read from disk before the clock starts: ~3 MB each)."""
    result = Result(name)
    for truth in truths:
        frame = load(folder, truth)
        start, start_cpu = time.perf_counter(), time.thread_time()
        reads = decode(frame)
        elapsed = (time.perf_counter() - start) * 1000
        cpu = (time.thread_time() - start_cpu) * 1000
        if truth.kind == "empty":
            result.empty_times.append(elapsed)
            result.empty_cpu.append(cpu)
            result.empty_reads += sum(1 for text, aim in reads if valid_label(text, aim))
            continue
        result.frames += 1
        result.times.append(elapsed)
        result.cpu.append(cpu)
        hit = any(text == truth.text for text, _ in reads)
        result.found += hit
        kind = result.by_kind.setdefault(truth.kind, [0, 0])
        kind[0] += hit
        kind[1] += 1
        for text, aim in reads:
            if text != truth.text:
                result.wrong += 1
                result.wrong_valid += valid_label(text, aim)
    return result


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for dist in ("zxing-cpp", "pyzbar", "opencv-python-headless", "numpy"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist} missing")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{model}, nproc {os.cpu_count()}, load {load:.1f}, {platform.system()} "
        f"{platform.release()}, CPython {platform.python_version()}, "
        + ", ".join(versions)
        + f", OpenCV threads {cv2.getNumThreads()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--empty", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--corpus", type=Path, default=None, help="an existing corpus folder")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    args = parser.parse_args()
    cv2.setNumThreads(1)

    folder = args.corpus
    made = folder is None
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="decode-corpus-"))
        print(f"generating {args.frames} + {args.empty} frames (seed {args.seed}) in {folder}")
        make_corpus(folder, args.frames, args.seed, args.empty)
    truths = load_manifest(folder)

    pipeline = Pipeline()
    roi_times: list[float] = []

    def run_pipeline(frame: Any) -> list[tuple[str, str | None]]:
        pipeline.reset()
        return [(c.text, c.aim) for c in pipeline.decode(frame)]

    decoders: list[tuple[str, Callable[[Any], list[tuple[str, str | None]]]]] = [
        ("zxing-cpp (plain)", plain_zxing),
    ]
    zbar = make_plain_zbar()
    if zbar is not None:
        decoders.append(("pyzbar (plain)", zbar))
    decoders.append(("pipeline", run_pipeline))
    results = [run(name, decode, folder, truths) for name, decode in decoders]
    stages = dict(pipeline.stats)

    for truth in truths:  # a second look at a frame the pipeline just read
        if truth.kind == "empty":
            continue
        frame = load(folder, truth)
        pipeline.reset()
        if pipeline.decode(frame):
            start = time.perf_counter()
            pipeline.decode(frame)
            roi_times.append((time.perf_counter() - start) * 1000)

    print(machine())
    print(
        f"{'decoder':20} {'found':>12} {'wrong':>6} {'wrong+valid':>11} "
        f"{'median ms':>9} {'p95 ms':>7} {'cpu med':>7} {'empty med/p95 ms, cpu':>23} "
        f"{'empty valid':>11}"
    )
    for r in results:
        kinds = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in r.by_kind.items())
        empty = (
            f"{statistics.median(r.empty_times):.1f}/{r.pct(0.95, r.empty_times):.1f}"
            f" cpu {statistics.median(r.empty_cpu):.1f}"
            if r.empty_times
            else "-"
        )
        print(
            f"{r.name:20} {r.found:>4}/{r.frames} {100 * r.found / r.frames:5.1f}% "
            f"{r.wrong:>6} {r.wrong_valid:>11} {statistics.median(r.times):>9.1f} "
            f"{r.pct(0.95):>7.1f} {statistics.median(r.cpu):>7.1f} {empty:>23} "
            f"{r.empty_reads:>11}   ({kinds})"
        )
    if roi_times:
        print(
            f"pipeline roi re-decode: median {statistics.median(roi_times):.1f} ms, "
            f"p95 {sorted(roi_times)[int(0.95 * len(roi_times))]:.1f} ms"
        )
    print(f"pipeline hits by stage (frames, reset before each): {stages}")
    best_plain = max(r.found for r in results[:-1])
    pipe = results[-1]
    verdicts = [
        ("found >= 95 %", pipe.found >= TARGET_FOUND * pipe.frames),
        ("found more than either plain library", pipe.found > best_plain),
        ("0 wrong reads accepted", pipe.wrong_valid == 0 and pipe.empty_reads == 0),
        ("median <= 33 ms", statistics.median(pipe.times) <= TARGET_MEDIAN_MS),
    ]
    print("targets: " + "; ".join(f"{n}: {'met' if ok else 'NOT met'}" for n, ok in verdicts))
    if made and not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
