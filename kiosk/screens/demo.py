"""The scripted demo: a batch through the real widgets, a picture of every screen and dialog.

Used by `kiosk gui --screenshots DIR` (`kiosk.commands.demo_gui`) and by the GUI
tests, which measure targets and text on every screen it shows. The training
recipe runs end to end, the CAR-T recipe through receipt (witness, supervisor
signature), a refused wrong bag, the counts taken from a NucleoCounter file and the
incubator read from the OPC UA simulator (`kiosk.devices.demo_equipment`); then the
lock screen, QA review, devices and users, with the demo users of
oq/car-t-full-batch.yaml.
"""

# The demo users' passwords are the documented demo ones.
# ruff: noqa: S106

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app import build
from kiosk.clock import SimClock
from kiosk.config import Panel, Station, StationConfig
from kiosk.devices.demo_equipment import start_demo_equipment
from kiosk.screens.autopilot import Autopilot, AutopilotError, ShowingPrompts, settle, wait_until
from kiosk.screens.config import PANEL_10, PANEL_15, UiSettings
from kiosk.screens.i18n import set_language, tr

EXIT_OK, EXIT_FAIL = 0, 1
BAG = "=G12341765432170"  # DOMAIN.md §2 test vector: DIN G123417654321, check A
OTHER_BAG = "=A99991712365400"
COI = "&/CHG123417654321"
BEADS = "]d2010843021501153917271231\x1d10BEADS-2411"
ACTIVATION = "]d2010843021501154617271231\x1d10ACT-77"
TRAINING_DIN_KEYED = "W000009123456G"
# The longest identity banner the screens must hold: every identifier, long names.
LONG_TRAINEE = "Maximiliane Schwarzenberg-Oberhuber"
LONG_PATIENT = "PT-2026-000042-SCHWARZENBERG"
LONG_ORDER = "ORD-2026-0113-REPEAT-APHERESIS"

Check = Callable[[str, QWidget], None]


def screenshots(target: Path, out: TextIO) -> int:
    app = QApplication.instance() or QApplication(["kiosk-demo"])
    assert app is not None
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    for panel in (PANEL_10, PANEL_15):
        folder = target / f"{panel.width_px}x{panel.height_px}"
        folder.mkdir(exist_ok=True)
        try:
            saved = scripted_demo(panel, folder)
        except AutopilotError as exc:
            print(f"gui demo: {exc}", file=out)
            return EXIT_FAIL
        total += len(saved)
        print(f"{folder}: {len(saved)} screens and dialogs", file=out)
    print(f"saved {total} PNGs under {target}", file=out)
    return EXIT_OK


def scripted_demo(
    panel: Panel, folder: Path | None, check: Check | None = None, *, language: str = "en"
) -> list[str]:
    """The demo script through the real widgets; returns the names of the screens pictured.

    `folder` None saves nothing; `check(name, widget)` is called on every distinct
    screen and dialog (the GUI tests measure targets and text there). `language`
    "de" runs it with the German texts (the layout check with longer words).
    """
    if not set_language(language):
        raise AutopilotError(f"no translation for {language!r}")
    try:
        return _scripted_demo(panel, folder, check)
    finally:
        set_language("en")


def _scripted_demo(panel: Panel, folder: Path | None, check: Check | None) -> list[str]:
    saved: list[str] = []

    def shot(name: str, widget: QWidget) -> None:
        if name in saved:
            return
        settle()
        if check is not None:
            check(name, widget)
        if folder is not None:
            widget.grab().save(str(folder / f"{len(saved) + 1:02d}-{name}.png"))
        saved.append(name)

    clock = SimClock(datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as tmp:
        equipment = start_demo_equipment(Path(tmp) / "counter")
        config = StationConfig(
            station=Station(id="CR2-K1", db=Path(tmp) / "demo.sqlite", demo=True),
            panel=panel,
            opcua=equipment.opcua,
            cell_counter=equipment.cell_counter,
        )
        ui = UiSettings.from_config(config, kiosk_mode=False, sound=False)
        kiosk = build(
            config,
            ui,
            clock=clock,
            hasher=PasswordHasher(time_cost=1, memory_cost=8192),
            prompts=lambda st, parent: ShowingPrompts(
                st.user_name_for, clock, ui.metrics, parent, shot
            ),
        )
        window = kiosk.window
        window.resize(panel.width_px, panel.height_px)
        window.show()
        settle()
        kiosk.bridge.on_status("BAL-7 (B207696838)", True, "MT-SICS, checked today")
        kiosk.bridge.on_status("SCAN-1", True, "serial scanner")
        pilot = Autopilot(window, shot)
        try:
            _training(pilot, clock)
            _car_t(pilot, clock)
            _custody(pilot)
            _roles(pilot, clock)
        finally:
            kiosk.close()
            window.deleteLater()
            settle()
            equipment.stop()
    return saved


def _training(p: Any, clock: Any) -> None:
    p.shot("login")
    p.login("olivia", "op-olivia-2026", shot="login-typing")
    p.shot("home")
    p.start("training", {"trainee": LONG_TRAINEE}, shots=True)
    p.shot("step-instruction")
    p.confirm()
    p.shot("step-scan")
    p.scan_keyed(TRAINING_DIN_KEYED)
    p.shot("step-check")
    p.check("na", comment="Training room, no clean area")
    p.shot("step-entry-empty")
    p.type_number("100.0")
    p.shot("step-entry-number")
    p.click("entry-record")
    p.weight(97.4, stable=False)
    p.shot("step-weigh-unstable")
    p.weight(99.8, stable=True)
    p.shot("step-weigh-stable")
    p.click("weigh-record")
    p.shot("step-waiting-witness")
    p.witness("oscar", "op-oscar-2026")
    p.shot("step-calc")
    p.confirm()
    p.shot("step-timer")
    p.timer_start()
    clock.advance(timedelta(seconds=30))
    p.window.step.show_view()
    p.shot("step-timer-early")
    clock.advance(timedelta(minutes=1))
    p.window.step.show_view()
    p.shot("step-timer-running")
    p.timer_stop()
    p.shot("step-label")
    p.print_label()
    p.shot("step-signature")
    p.sign("sam", "sup-samira-2026")
    p.shot("batch-complete")
    p.click("done-home")


def _car_t(p: Any, clock: Any) -> None:
    context = {
        "patient_id": LONG_PATIENT,
        "order_id": LONG_ORDER,
        "patient_weight": "70.0",
        "collection_time": "2026-11-26 10:00",
        "shipment": "frozen",
    }
    p.start("car-t-autologous", context, din=BAG, shots=True, prefix="car-t-")
    p.expect(key="receipt.bag_scan", waiting="witness")
    p.witness("oscar", "op-oscar-2026")
    p.scan(COI)
    p.check("pass")
    p.type_number("-160")
    p.click("entry-record")
    p.witness("oscar", "op-oscar-2026")
    p.shot("car-t-signature-step")
    p.sign("sam", "sup-samira-2026")
    p.expect(key="isolation.bag_check")
    p.scan(OTHER_BAG)
    p.shot("refused-wrong-bag")
    p.acknowledge("sam", "sup-samira-2026", "Wrong bag taken from the rack; returned and reported.")
    p.scan(BAG)
    p.scan(BEADS)
    p.expect(key="isolation.run_selection")
    p.shot("car-t-isolation")
    # the counts come from the cell counter's result file in the watched folder
    p.confirm()
    _idle(p)
    p.shot("car-t-counter")
    p.click("counter-record")
    p.type_number("100.0")
    p.click("entry-record")
    p.confirm()
    _idle(p)
    p.click("counter-record")
    p.expect(key="activation.activation_reagent")
    p.scan(ACTIVATION)
    p.type_number("100.0")
    p.click("entry-record")
    p.timer_start()
    # the activation runs a day: the session locks meanwhile
    clock.advance(timedelta(hours=24))
    p.window.check_idle()
    settle_all(p)
    p.shot("lock")
    p.window.lock_screen.form.fill({"password": "op-olivia-2026"})
    p.window.lock_screen.form.submit()
    wait_until(lambda: p.window.current() is p.window.step)
    p.timer_stop()
    # the incubator's temperature and CO2 are read over OPC UA (the simulator)
    p.expect(key="activation.incubator_temperature")
    p.shot("car-t-capture-unread")
    for _node in ("temperature", "co2"):
        p.click("capture-read")
        _idle(p)
        p.shot("car-t-capture")
        p.click("capture-record")
    p.expect(key="transduction.vector_lot")


def _custody(p: Any) -> None:
    """The custody screen: the bag received from the courier, then the product shipped."""
    p.click("step-custody")
    p.shot("custody-empty")
    p.answer(
        "custody-receive",
        giver="BioLogistics, Colin Reyes",
        location=tr("Goods receipt"),
        logger="-182 °C",
        seal=tr("intact"),
    )
    p.answer("signature", user="oscar", password="op-oscar-2026")
    p.click("custody-receive")
    p.answer(
        "custody-ship",
        shipper="DS-0042",
        logger_id="LOG-7781",
        logger="-190 °C",
        courier="BioLogistics",
        awb="7781-3310",
        location=tr("Dispatch"),
        seal=tr("intact"),
    )
    p.answer("signature", user="oscar", password="op-oscar-2026")
    p.click("custody-ship")
    p.shot("custody")
    p.click("custody-back")


def _idle(p: Any) -> None:
    """Wait for the panel's reading of the equipment or the counter's folder."""
    wait_until(lambda: not getattr(getattr(p.window.step.panel, "work", None), "busy", False))
    settle()


def settle_all(p: Any) -> None:
    del p
    settle(5)


def _roles(p: Any, clock: Any) -> None:
    del clock
    batch = p.window.step.batch
    p.logout()
    p.login("quinn", "qa-quinn-2026")
    p.shot("home-batches")
    p.click("home-review")
    p.shot("review-choose")
    p.window.review.open(batch)
    p.shot("review")
    p.answer(
        "disposition",
        decision="reviewed",
        reason="Wrong bag refused at the isolator; no impact",
        user="quinn",
        password="qa-quinn-2026",
    )
    p.click("review-disp")
    p.shot("review-after")
    p.logout()
    p.login("tess", "tech-tess-2026")
    p.click("home-technician")
    p.shot("technician")
    p.logout()
    p.login("ada", "admin-ada-2026")
    p.click("home-admin")
    p.shot("admin")
    p.answer(
        "add-user",
        user="nina",
        name="Nina Berg",
        role="operator",
        password="temp-nina-1",
        admin="ada",
        admin_password="admin-ada-2026",
    )
    p.click("admin-add")
    p.shot("admin-added")
