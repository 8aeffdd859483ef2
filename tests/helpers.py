"""Helpers shared by the tests: the `kiosk` command run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_kiosk(
    *args: str, stdin: str = "", timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python -m kiosk ARGS` in a real subprocess from the checkout, stdin given, output kept."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
