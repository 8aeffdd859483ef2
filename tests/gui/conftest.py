"""GUI test fixtures: the kiosk built by `kiosk.app.build` on a real SQLite file, a simulated
clock, scripted prompts, and napari-style leak checks.

Every test here fails if it leaves a top-level widget, a running QTimer (the
screens create theirs through `kiosk.screens.tasks.make_timer`, which keeps a
registry) or an unfinished background task behind.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app import Kiosk, build
from kiosk.clock import SimClock
from kiosk.config import Panel, Station, StationConfig
from kiosk.screens import tasks
from kiosk.screens.autopilot import Autopilot
from kiosk.screens.config import PANEL_10, UiSettings
from kiosk.screens.dialogs import ScriptedPrompts
from tests.unit.conftest import PASSWORDS

BAG = "=G12341765432170"
OTHER_BAG = "=A99991712365400"
COI = "&/CHG123417654321"
BALANCE = "B207696838"
CAR_T_CONTEXT = {
    "patient_id": "PT-0042",
    "order_id": "ORD-2026-0113",
    "patient_weight": "70.0",
    "collection_time": "2026-11-26 10:00",
    "shipment": "frozen",
}


def find_leaks(before: set[int]) -> list[str]:
    """What a test left behind: new top-level widgets, running timers, background tasks."""
    app = QApplication.instance()
    assert app is not None
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    leaks = [
        f"top-level widget {type(w).__name__} {w.objectName()!r}"
        for w in QApplication.topLevelWidgets()
        if id(w) not in before
    ]
    leaks += [f"running QTimer {name!r}" for name in tasks.live_timers()]
    if not tasks.wait_for_tasks(2000) or tasks.active_tasks():
        leaks.append(f"{tasks.active_tasks()} background task(s) still running")
    return leaks


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Collect the Python side of Qt objects while the QApplication is still alive.

    Left to interpreter shutdown, shiboken may free wrappers after Qt is gone and
    abort the run ("bool_dealloc") although every test passed.
    """
    del session, exitstatus
    gc.collect()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True)
def _no_leaks(qapp: QApplication) -> Iterator[None]:
    before = {id(w) for w in QApplication.topLevelWidgets()}
    yield
    leaks = find_leaks(before)
    if leaks:
        for w in QApplication.topLevelWidgets():
            if id(w) not in before:
                w.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        pytest.fail("the test left behind: " + "; ".join(leaks))


@dataclass
class Rig:
    kiosk: Kiosk
    clock: SimClock
    prompts: ScriptedPrompts
    pilot: Autopilot
    config: StationConfig | None = None

    @property
    def window(self):  # type: ignore[no-untyped-def]
        return self.kiosk.window

    def view(self):  # type: ignore[no-untyped-def]
        return self.kiosk.engine.view(self.window.step.batch)

    def events(self, type_: str) -> list[object]:
        return list(self.kiosk.store.events(types=[type_]))

    def login(self, user: str) -> None:
        self.pilot.login(user, PASSWORDS[user])


def make_rig(
    tmp_path: Path,
    panel: Panel = PANEL_10,
    inactivity: float = 5,
    server: dict[str, object] | None = None,
    clock: SimClock | None = None,
    *,
    station_id: str = "GUI-1",
    rooms: list[str] | None = None,
    recipes: Path | None = None,
    demo: bool = True,
    extra: dict[str, object] | None = None,
) -> Rig:
    """The kiosk; with `server` (url, token_file) a station whose users are the server's;
    `rooms` (`[station] rooms`) and a `recipes` folder as a station config names them;
    `extra`: more sections of the configuration (`opcua`, `cell_counter`)."""
    clock = clock or SimClock(datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    where = {"recipes": recipes} if recipes is not None else {}
    config = StationConfig.model_validate(
        {
            "station": Station(
                id=station_id, db=tmp_path / "station.sqlite", demo=demo, rooms=rooms, **where
            ),
            "panel": panel,
            "security": {"inactivity_minutes": inactivity},
            **({"server": server} if server is not None else {}),
            **(extra or {}),
        }
    )
    ui = UiSettings.from_config(config, kiosk_mode=False, sound=False, inactivity_check_ms=1000)
    prompts: dict[str, ScriptedPrompts] = {}

    def scripted(station, _parent):  # type: ignore[no-untyped-def]
        prompts["p"] = ScriptedPrompts(station.user_name_for, clock)
        return prompts["p"]

    kiosk = build(
        config,
        ui,
        clock=clock,
        hasher=PasswordHasher(time_cost=1, memory_cost=8192),
        prompts=scripted,
    )
    kiosk.window.resize(panel.width_px, panel.height_px)
    return Rig(kiosk, clock, prompts["p"], Autopilot(kiosk.window), config)


@pytest.fixture
def rig(qtbot, tmp_path: Path) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    r = make_rig(tmp_path)
    qtbot.addWidget(r.window)
    r.window.show()
    qtbot.waitExposed(r.window)
    yield r
    assert not r.prompts.queue, f"prompts not asked: {list(r.prompts.queue)}"
    r.kiosk.close()


def widget_tree(root: QWidget) -> list[QWidget]:
    return [root, *root.findChildren(QWidget)]
