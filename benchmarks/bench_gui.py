"""Touchscreen figures: start-up to the login screen painted, confirm-to-next-step painted,
resident memory with a camera feeding frames.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py [--steps 100]

1. Start-up: a child process builds the kiosk (store, auth, engine, window) and prints
   a marker when the login screen gets its first paint event; the parent times from
   spawning the child to the marker. Target <= 1.5 s.
2. Confirm to next step painted: a 100-step instruction recipe; each tap on Done is
   timed until the next step's title has been painted. Target p95 <= 50 ms.
3. Memory: a fake camera thread feeds 1280x720 RGB frames through the bridge at 30 fps
   for 10 s while the scan step is shown; VmRSS from /proc/self/status. Target <= 250 MB.
Prints figures; asserts nothing.
"""

# ruff: noqa: PLC0415  # Qt is imported after the platform is chosen

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
MARKER = "LOGIN-PAINTED"

RECIPE = """\
id: bench-gui
version: 1
title: GUI benchmark
status: effective
stages:
  - id: loop
    title: Many instructions
    repeat: {until: "loop_iteration >= 365", max: 365}
    steps:
      - {id: a, kind: instruction, title: Instruction A, instruction: Tap Done.}
      - {id: b, kind: instruction, title: Instruction B, instruction: Tap Done again.}
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _kiosk(tmp: Path, recipes: Any = None) -> Any:
    from argon2 import PasswordHasher

    from kiosk.app import build
    from kiosk.config import Station, StationConfig
    from kiosk.screens.config import UiSettings

    config = StationConfig(station=Station(id="BENCH-1", db=tmp / "bench.sqlite", demo=True))
    ui = UiSettings.from_config(config, kiosk_mode=False, sound=False)
    return build(config, ui, hasher=PasswordHasher(time_cost=1, memory_cost=8192), recipes=recipes)


class _PaintWatch:
    def __init__(self, widget: Any, on_paint: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Paint:
                    on_paint()
                return False

        self.filter = Filter()
        widget.installEventFilter(self.filter)


def child_startup() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        kiosk = _kiosk(Path(tmp))
        done = []

        def painted() -> None:
            if not done:
                done.append(1)
                print(MARKER, flush=True)
                app.quit()

        watch = _PaintWatch(kiosk.window.login, painted)
        kiosk.window.show()
        app.exec()
        del watch
        kiosk.close()


def startup(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, __file__, "--child-startup"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == MARKER:
                times.append(time.perf_counter() - start)
                break
        child.wait(timeout=60)
    return times


def steps(count: int) -> tuple[list[float], float]:
    from PySide6.QtWidgets import QApplication

    from kiosk.recipe import load_recipe
    from kiosk.screens.autopilot import Autopilot, settle

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(RECIPE, encoding="utf-8")
        loaded = load_recipe(path)
        kiosk = _kiosk(Path(tmp), {loaded.recipe.id: loaded})
        window = kiosk.window
        window.show()
        pilot = Autopilot(window)
        pilot.login("olivia", "op-olivia-2026")
        pilot.click("home-start")
        pilot.click("recipe-bench-gui")
        assert window.start.form is not None
        window.start.form.submit()
        settle()
        painted: list[float] = []
        watch = _PaintWatch(window.step.title, lambda: painted.append(time.perf_counter()))
        times = []
        for _ in range(count):
            button = pilot.button("step-done")
            painted.clear()
            t0 = time.perf_counter()
            button.click()
            while not painted:
                app.processEvents()
            times.append(painted[0] - t0)
        mem = camera(kiosk, app)
        del watch
        kiosk.close()
    return times, mem


def camera(kiosk: Any, app: Any) -> float:
    import numpy as np

    frames = [np.random.default_rng(i).integers(0, 255, (720, 1280, 3), np.uint8) for i in range(3)]
    stop = threading.Event()
    received = []
    kiosk.bridge.frame.connect(lambda f: received.append(f.shape))

    def feed() -> None:
        i = 0
        while not stop.wait(1 / 30):
            kiosk.bridge.on_frame(frames[i % 3])
            i += 1

    worker = threading.Thread(target=feed, daemon=True)
    worker.start()
    peak = 0.0
    end = time.monotonic() + 10
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)
        peak = max(peak, rss_mb())
        received.clear()
    stop.set()
    worker.join()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child-startup", action="store_true")
    args = parser.parse_args()
    if args.child_startup:
        child_startup()
        return
    boot = startup(args.runs)
    print(
        f"start-up to login painted: median {statistics.median(boot):.2f} s, "
        f"max {max(boot):.2f} s over {len(boot)} runs (target <= 1.5 s)"
    )
    times, mem = steps(args.steps)
    ms = sorted(t * 1000 for t in times)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    print(
        f"confirm to next step painted: p50 {statistics.median(ms):.1f} ms, "
        f"p95 {p95:.1f} ms, max {ms[-1]:.1f} ms over {len(ms)} steps (target p95 <= 50 ms)"
    )
    print(
        f"resident memory with the camera at 30 fps for 10 s: peak {mem:.0f} MB (target <= 250 MB)"
    )
    print(f"at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
