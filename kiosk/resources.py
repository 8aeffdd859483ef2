"""Where the shipped recipes and validation scripts are, however the kiosk was installed.

A source checkout has them beside the package (`recipes/`, `oq/`); a wheel installs
them under `<prefix>/share/cleanroom-kiosk/`; a PyInstaller build carries them in
its bundle folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent
_SHARE = Path(sys.prefix) / "share" / "cleanroom-kiosk"


def _find(name: str) -> Path:
    candidates = [_CHECKOUT / name, _SHARE / name]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / name)
    for folder in candidates:
        if folder.is_dir():
            return folder
    return candidates[-1]  # not found: callers report the missing path


def recipes_dir() -> Path:
    """The folder of shipped master recipes."""
    return _find("recipes")


def oq_dir() -> Path:
    """The folder of shipped validation (OQ) scripts."""
    return _find("oq")
