"""Helpers shared by the tests: the `kiosk` command run as a user runs it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.orders import StationOrder

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


def order_of(
    context: dict[str, Any],
    *,
    recipe: str = "car-t-autologous",
    dins: tuple[str, ...] = ("G123417654321",),
    coi: str = "CHG123417654321",
    status: str = "open",
) -> StationOrder:
    """A pulled order carrying what tests used to type at the start (patient, order, weight...)."""
    collected = str(context.get("collection_time", "2026-11-26T10:00:00Z")).replace(" ", "T")
    if not collected.endswith("Z") and "+" not in collected[10:]:
        collected += "Z"
    data = {
        "order_id": str(context.get("order_id", "O-1")),
        "patient_id": str(context.get("patient_id", "PT-1")),
        "coi": coi,
        "dins": list(dins),
        "weight_kg": float(context.get("patient_weight", 70)),
        "weight_entered_by": "nurse",
        "weight_witnessed_by": "doctor",
        "collection_time": collected,
        "shipment": str(context.get("shipment", "frozen")),
        "recipe": recipe,
        "due": "2026-12-31",
    }
    return StationOrder(data["order_id"], 1, status, data)


def start_ordered(
    engine: Any, session: Any, recipe: str, context: dict[str, Any], **kwargs: Any
) -> str:
    """Start a batch from an order holding ``context`` (the way an operator starts one)."""
    order_kw = {k: kwargs.pop(k) for k in ("dins", "coi") if k in kwargs}
    return str(
        engine.start_batch(
            session, recipe, {}, order=order_of(context, recipe=recipe, **order_kw), **kwargs
        )
    )


@contextlib.contextmanager
def no_leaks(*, fds: bool = True, grace: float = 2.0) -> Iterator[None]:
    """Fail when the block leaves a thread it started running, or (``fds``) a file descriptor
    open, ``grace`` seconds after it ends. Threads and descriptors that were there before, or
    that another test's leftovers close meanwhile, do not count: under pytest-xdist the worker
    has threads of its own."""
    threads, opened = set(threading.enumerate()), _fds()

    def left() -> tuple[list[str], set[str]]:
        alive = [t.name for t in threading.enumerate() if t not in threads and t.is_alive()]
        return alive, (_fds() - opened if fds else set())

    yield
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(left()):
        time.sleep(0.02)
    alive, files = left()
    assert not alive, f"a thread was left running: {alive}"
    assert not files, "a file descriptor was left open"


def _fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))
