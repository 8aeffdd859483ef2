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


# The reference materials, each with its own GTIN (as in oq/*.yaml and the demo).
BEADS_GTIN, ACTIVATION_GTIN, VECTOR_GTIN = "08430215011539", "08430215011546", "08430215011553"
MATERIALS = (
    ("CD4CD8-BEADS", "CD4/CD8 microbeads", BEADS_GTIN),
    ("TCELL-ACT", "T-cell activation reagent", ACTIVATION_GTIN),
    ("LV-VECTOR", "Lentiviral vector", VECTOR_GTIN),
)
SCRIPT_MATERIALS = [{"code": c, "name": n, "gtins": [g]} for c, n, g in MATERIALS]
"""The materials section of an OQ script."""
