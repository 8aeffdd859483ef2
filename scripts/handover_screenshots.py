"""Pictures of the hand-over for docs/operator.md, taken on the real screens at 1280 x 800.

A central server on loopback (SQLite in a temporary folder), station CR1-K1 in room receipt and
station CR2-K1 in room isolator, the training recipe with its first stage in room receipt and
its second in room isolator: CR1-K1 works the first stage and hands the batch over; CR2-K1
lists it as waiting and a person signs "received".

    PYTHONPATH=. xvfb-run -a -s "-screen 0 1280x800x24" \
        .venv/bin/python scripts/handover_screenshots.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication, QWidget

from central.stations import add_station
from central.store import CentralStore
from kiosk.app import Kiosk, build, start_sync
from kiosk.clock import SimClock
from kiosk.config import Station, StationConfig
from kiosk.resources import recipes_dir
from kiosk.screens.autopilot import Autopilot, ShowingPrompts, settle, wait_until
from kiosk.screens.config import PANEL_10, UiSettings
from kiosk.sync import SyncClient, SyncState, pull_master
from tests.integration.conftest import ServerThread, server_user

PASSWORDS = {"olivia": "op-olivia-2026", "oscar": "op-oscar-2026"}
RECIPE = "training"


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    del app
    wanted: dict[str, str] = {}

    def shot(name: str, widget: QWidget) -> None:
        if name in wanted:
            settle()
            widget.grab().save(str(out / wanted.pop(name)))

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        recipes = tmp / "recipes"
        recipes.mkdir()
        text = (recipes_dir() / "training.yaml").read_text(encoding="utf-8")
        for title, room in (("Getting started", "receipt"), ("Measuring", "isolator")):
            text = text.replace(f"    title: {title}\n", f"    title: {title}\n    room: {room}\n")
        (recipes / "training.yaml").write_text(text, encoding="utf-8")
        store = CentralStore(str(tmp / "central.sqlite"))
        server_user(store, "olivia", "Olivia Okafor", ["operator"], PASSWORDS["olivia"])
        server_user(store, "oscar", "Oscar Lindqvist", ["operator"], PASSWORDS["oscar"])
        server = ServerThread(store).start()
        kiosks: list[Kiosk] = []
        workers = []
        try:

            def station(name: str, room: str) -> tuple[Kiosk, Autopilot]:
                token_file = tmp / f"{name}.token"
                token_file.write_text(add_station(store, name, (room,)), encoding="utf-8")
                db = tmp / name / "station.sqlite"
                db.parent.mkdir()
                with SyncClient(server.url, token_file.read_text()) as client:
                    pull_master(client, SyncState(SyncState.path_for(db)), ["users"])
                config = StationConfig.model_validate(
                    {
                        "station": Station(id=name, db=db, rooms=[room], recipes=recipes),
                        "panel": PANEL_10,
                        "server": {"url": server.url, "token_file": str(token_file)},
                    }
                )
                ui = UiSettings.from_config(config, kiosk_mode=False, sound=False)
                clock = SimClock(datetime.now(UTC))
                kiosk = build(
                    config,
                    ui,
                    clock=clock,
                    hasher=PasswordHasher(time_cost=1, memory_cost=8192),
                    prompts=lambda st, parent: ShowingPrompts(
                        st.user_name_for, clock, ui.metrics, parent, shot
                    ),
                )
                kiosks.append(kiosk)
                worker = start_sync(config, kiosk)
                workers.append(worker)
                kiosk.window.resize(PANEL_10.width_px, PANEL_10.height_px)
                kiosk.window.show()
                settle()
                return kiosk, Autopilot(kiosk.window, shot)

            _first, a = station("CR1-K1", "receipt")
            a.login("olivia", PASSWORDS["olivia"])
            batch = a.start(RECIPE, {"trainee": "Tom Baker"})
            a.confirm()  # welcome
            a.scan("=G12341765432170")
            a.check("pass")
            wanted["step-handover"] = "handover-step.png"
            a.shot("step-handover")
            wanted["dialog-confirm"] = "handover-confirm.png"
            a.answer("confirm")
            a.click("handover-go")
            wanted["read-only"] = "handover-read-only.png"
            a.shot("read-only")

            second, b = station("CR2-K1", "isolator")
            b.login("oscar", PASSWORDS["oscar"])
            waiting = second.window.home.extras[0]
            wait_until(lambda: bool(waiting.items), timeout=20)
            settle()
            wanted["home-waiting"] = "handover-waiting.png"
            b.shot("home-waiting")
            wanted["dialog-signature"] = "handover-received.png"
            b.answer("custody-room", seal="intact")
            b.answer("signature", user="oscar", password=PASSWORDS["oscar"])
            b.click("waiting-batch")
            wanted["claimed"] = "handover-claimed.png"
            b.shot("claimed")
            print(f"batch {batch}: saved under {out}; not taken: {sorted(wanted)}")
        finally:
            for worker in workers:
                if worker is not None:
                    worker.stop()
            for kiosk in kiosks:
                kiosk.close()
            server.stop()
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "handover-screenshots")))
