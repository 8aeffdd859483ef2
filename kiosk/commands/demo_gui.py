"""`kiosk gui`: the touchscreen kiosk; with --screenshots, a scripted batch through the real
widgets with a picture of every distinct screen and dialog.

    kiosk gui [--config FILE] [--db PATH] [--demo] [--windowed]
    kiosk gui --screenshots DIR        # offscreen (or under Xvfb), 1280×800 and 1920×1080

The script runs the training recipe end to end and the first stages of the
CAR-T recipe (receipt with witness and supervisor signature, a refused wrong
bag and its acknowledgement, counts from a counter file, the incubator over OPC
UA) with the demo users of oq/car-t-full-batch.yaml,
then the lock screen, QA review, devices and users. Qt is imported inside the
command functions only.
"""

# Qt, the app and the screens are imported inside the command function (kiosk --help stays
# fast, and no other command loads Qt).

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_FAIL = 0, 1


def register(sub: Any) -> None:
    gui = sub.add_parser("gui", help="the touchscreen kiosk (Qt)")
    gui.add_argument("--config", help="station configuration (TOML)")
    gui.add_argument("--db", help="station database (overrides the configuration)")
    gui.add_argument("--demo", action="store_true", help="demo users and a simulated balance")
    gui.add_argument("--windowed", action="store_true", help="a normal window, not kiosk mode")
    gui.add_argument("--screenshots", metavar="DIR", help="run the scripted demo, save PNGs")
    gui.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.config import ConfigError, load_config

    if args.screenshots:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from kiosk.screens.demo import screenshots

        return screenshots(Path(args.screenshots), out)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"gui: {exc}", file=out)
        return EXIT_FAIL
    station = config.station.model_copy(
        update={
            k: v for k, v in (("db", args.db and Path(args.db)), ("demo", args.demo or None)) if v
        }
    )
    config = config.model_copy(update={"station": station})
    from kiosk.startup import record_problem

    # Only the demo may make a new record database; a station's goes through `kiosk setup`.
    problem = record_problem(
        Path(config.station.db), config.station.id, create=bool(config.station.demo)
    )
    if problem is not None and started_from_terminal():
        print(f"gui: {problem.line()}", file=out)
        return EXIT_FAIL
    from kiosk.app import run, show_problem
    from kiosk.screens.config import UiSettings

    ui = UiSettings.from_config(config, kiosk_mode=not args.windowed)
    if problem is not None:
        return show_problem(problem, ui)
    return run(config, ui)


def started_from_terminal() -> bool:
    """A person at a terminal reads the one line; the kiosk session shows the error screen."""
    return sys.stdin.isatty() or sys.stdout.isatty()
