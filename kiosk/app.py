"""Composition root of the touchscreen station: store, auth, engine, devices bridge, window.

`build()` wires the parts together (and is what the GUI tests and the
scripted demo use); `run()` opens the kiosk full screen and runs the Qt event
loop. Only this module and `kiosk.screens` import Qt.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk import orders, recipebook
from kiosk.auth import Auth, AuthPolicy
from kiosk.clock import system_clock
from kiosk.config import Printer as PrinterConfig
from kiosk.config import StationConfig
from kiosk.devices.demo_equipment import (
    DEMO_EQUIPMENT,
    DEMO_ROLES,
    DemoEquipment,
    start_demo_equipment,
)
from kiosk.engine import ActionRefused, Credentials, Engine
from kiosk.recipe import LoadedRecipe
from kiosk.resources import recipes_dir
from kiosk.screens.bridge import DeviceBridge
from kiosk.screens.config import UiSettings, panel_for_screen
from kiosk.screens.dialogs import DialogPrompts, Prompts
from kiosk.screens.main import MainWindow
from kiosk.screens.station import Services, Station
from kiosk.screens.tasks import wait_for_tasks
from kiosk.screens.wedge_filter import WedgeFilter, make_detector
from kiosk.screens.widgets import Feedback
from kiosk.text import Text
from local_store import EventStore

if TYPE_CHECKING:
    from kiosk.devices.camera import CameraWorker
    from kiosk.devices.manager import DeviceManager
    from kiosk.startup import Problem
    from kiosk.sync import ServerUsers, SyncClient, SyncState, SyncWorker

log = logging.getLogger(__name__)

BUNDLED_RECIPES = recipes_dir()

# The demo's people: the users of oq/car-t-full-batch.yaml, an admin and a technician.
DEMO_USERS = (
    ("olivia", "Olivia Okafor", ("operator",), "op-olivia-2026", "0420001"),
    ("oscar", "Oscar Lindqvist", ("operator",), "op-oscar-2026", "0420002"),
    ("sam", "Samira Haddad", ("supervisor",), "sup-samira-2026", "0420003"),
    ("quinn", "Quinn Marlowe", ("qa",), "qa-quinn-2026", "0420004"),
    ("ada", "Ada Adeyemi", ("admin",), "admin-ada-2026", "0420005"),
    ("tess", "Tess Varga", ("technician",), "tech-tess-2026", "0420006"),
)
# The demo's balance (serial as it reports it), materials and lots, as in the OQ script.
DEMO_BALANCE = ("BAL-7", "B207696838", "MT XSR2002S")
DEMO_MATERIALS = (
    ("CD4CD8-BEADS", "CD4/CD8 microbeads", "08430215011539"),
    ("TCELL-ACT", "T-cell activation reagent", "08430215011546"),
    ("LV-VECTOR", "Lentiviral vector", "08430215011553"),
)
DEMO_LOTS = (  # GTIN, lot, material code, expiry, quantity received (mL)
    ("08430215011539", "BEADS-2411", "CD4CD8-BEADS", date(2027, 12, 31), 750.0),
    ("08430215011546", "ACT-77", "TCELL-ACT", date(2027, 12, 31), 200.0),
    ("08430215011553", "LV-0042", "LV-VECTOR", date(2028, 6, 30), 500.0),
)


def load_recipes(folder: Path) -> dict[str, LoadedRecipe]:
    """Every valid recipe version in `folder` (``kiosk.recipebook``); a broken one is left out."""
    return recipebook.load_folder(folder)


# The demo's orders, as the server would hand them down: the OQ script's patient and bag, and
# the screenshot tour's long identifiers (kiosk/screens/demo.py).
DEMO_ORDERS: tuple[dict[str, Any], ...] = tuple(
    {
        "order_id": order_id,
        "patient_id": patient,
        "coi": "CHG123417654321",
        "dins": ["G123417654321"],
        "weight_kg": 70.0,
        "weight_entered_by": "nurse.ng",
        "weight_witnessed_by": "dr.ito",
        "collection_time": "2026-11-26T10:00:00+00:00",
        "shipment": "frozen",
        "recipe": "car-t-autologous",
        "due": "2026-12-20",
    }
    for order_id, patient in (
        ("ORD-2026-0113", "PT-0042"),
        ("ORD-2026-0113-REPEAT-APHERESIS", "PT-2026-000042-SCHWARZENBERG"),
    )
)


def seed_demo(auth: Auth, engine: Engine) -> None:
    """Demo users, the demo balance (registered, calibrated, checked today) and lots."""
    for uid, name, roles, password, badge in DEMO_USERS:
        if uid not in auth.users and not auth.managed:  # with a server, users are its
            auth.add_user(uid, name, roles, password, by="system", badge=badge)
    master = engine.masterdata
    asset, serial, model = DEMO_BALANCE
    if asset not in master.equipment:
        today = engine.clock().date()
        master.register_equipment(
            asset, "balance", serial, model, today.replace(year=today.year + 1), by="u:tess"
        )
    if master.balance_problem(serial):
        master.daily_check(asset, 200.0, 200.01, "g", 0.05, by="u:tess")
    for asset, kind, serial, model in DEMO_EQUIPMENT:  # the OPC UA simulator's equipment
        if asset not in master.equipment:
            today = engine.clock().date()
            master.register_equipment(
                asset, kind, serial, model, today.replace(year=today.year + 1), by="u:tess"
            )
    accept_demo_equipment(auth, engine)
    for code, name, gtin in DEMO_MATERIALS:
        if code not in master.materials:
            master.register_material(code, name, [gtin], by="system")
    for gtin, lot, code, expiry, quantity in DEMO_LOTS:
        if (gtin, lot) not in master.lots:
            master.register_lot(gtin, lot, code, expiry, by="system", quantity=quantity, unit="mL")
    pulled = engine.order_source
    demo = {o.order_id: o for o in (orders.from_mapping(d, str(d["recipe"])) for d in DEMO_ORDERS)}
    engine.order_source = lambda: {**demo, **pulled()}


def accept_demo_equipment(auth: Auth, engine: Engine) -> None:
    """Tess accepts the simulator's equipment for its OPC UA roles, signed, through the swap
    workflow as on the Technician screen (with a server, its technicians do it there)."""
    from kiosk.devices.swap import KnownRoles, SwapWorkflow

    master = engine.masterdata
    kinds = {serial: kind for _asset, kind, serial, _model in DEMO_EQUIPMENT}
    pending = [r for r in DEMO_ROLES if r not in master.accepted]  # a technician's choice stays
    tess = next(u for u in DEMO_USERS if u[0] == "tess")
    if not pending or auth.managed or tess[0] not in auth.users:
        return
    roles = KnownRoles({r: (kinds[serial], serial) for r, serial in DEMO_ROLES.items()})
    swap = SwapWorkflow(roles, master, auth, engine.store, engine.clock)
    session = auth.login(tess[0], tess[3])
    try:
        for role in pending:
            swap.accept(role, DEMO_ROLES[role], Credentials(tess[0], tess[3]), session=session)
    finally:
        auth.logout(session)


@dataclass
class Kiosk:
    """The built station: what `run()` shows and what tests drive."""

    store: EventStore
    auth: Auth
    engine: Engine
    bridge: DeviceBridge
    feedback: Feedback
    station: Station
    window: MainWindow

    def close(self) -> None:
        self.window.stop()
        self.window.may_close = True
        self.window.close()
        wait_for_tasks()
        self.store.close()


def _label_printer(
    folder: Path, configured: PrinterConfig | None = None
) -> Callable[[dict[str, Any]], None]:
    """Labels go to PDF files in `folder`, and to the configured `[printer]` if there is one."""

    def printer(content: dict[str, Any]) -> None:
        from kiosk.labels import LabelPrintError, write_label_pdf

        stamp = str(content.get("printed", "")).replace(":", "").replace("-", "")
        path = folder / f"{content.get('batch', 'batch')}-{content.get('label')}-{stamp}.pdf"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_label_pdf(content, path)
        except (OSError, LabelPrintError) as exc:
            # the step is recorded; the operator must know the label did not come out
            raise ActionRefused(
                Text("the label was recorded but not printed: {exc}", exc=exc)
            ) from exc
        log.info("label written to %s", path)
        if configured is None:
            return
        from kiosk.devices.errors import DeviceError
        from kiosk.devices.printers import print_product_label

        try:
            done = print_product_label(
                content, configured.url, dpi=configured.dpi, timeout=configured.timeout
            )
        except (DeviceError, LabelPrintError) as exc:
            raise ActionRefused(
                Text("the label was recorded but not printed: {exc}", exc=exc)
            ) from exc
        log.info("label %s", done)

    return printer


def _pulled(config: StationConfig, store: EventStore) -> SyncState | None:
    """Master data pulled from the central server, when the station has one."""
    if not config.server.url:
        return None
    from kiosk.sync import SyncState

    return SyncState(SyncState.path_for(store.path))


def _authority(config: StationConfig, pulled: SyncState | None) -> ServerUsers | None:
    """With a central server the users are its, read-only; a new password is set there."""
    if pulled is None or not config.server.url:
        return None
    from kiosk.sync import ServerUsers, SyncClient

    url, token_file = config.server.url, config.server.token_file

    def connect() -> SyncClient:
        token = token_file.read_text(encoding="utf-8").strip() if token_file else ""
        return SyncClient(url, token, timeout=10)

    return ServerUsers(pulled, connect)


def _server(config: StationConfig) -> Callable[[], SyncClient] | None:
    """A fresh client of the configured central server for each use (the caller closes it),
    or None without a server (``make demo``). The token file is read at each use."""
    if not config.server.url:
        return None
    from kiosk.sync import SyncClient

    url, token_file = config.server.url, config.server.token_file

    def connect() -> SyncClient:
        try:
            token = token_file.read_text(encoding="utf-8").strip() if token_file else ""
        except OSError as exc:
            from kiosk.sync import SyncError

            raise SyncError(Text("the station token cannot be read: {exc}", exc=exc)) from exc
        return SyncClient(url, token, timeout=SERVER_TIMEOUT_S)

    return connect


SERVER_TIMEOUT_S = 5.0
"""How long a question to the server (who holds a bag, the hand-over list, a claim) may take."""


def _ownership(
    store: EventStore, server: Callable[[], SyncClient] | None
) -> tuple[Callable[[str], str | None], Callable[[str, str], str | None]]:
    """``Engine(owner_of=, bound_elsewhere=)``: who holds a batch, from this station's own chain
    (a batch it released is read-only here), and the batch a DIN or an order ID is bound to:
    what this station's record knows, else, with a server, the server (offline it decides from
    what it knows; the server raises an identity exception if it later sees a duplicate)."""
    from kiosk import handover
    from kiosk.engine.core import bound_here

    def owner_of(batch: str) -> str | None:
        return handover.holder_text(store, batch)

    def bound(kind: str, value: str) -> str | None:
        here = bound_here(store, kind, value)
        if here is not None or server is None:
            return here
        from kiosk.sync import SyncError

        try:
            client = server()
        except SyncError:
            return None
        with client:
            return handover.fleet_bound(client, kind, value)

    return owner_of, bound


def build(
    config: StationConfig,
    ui: UiSettings | None = None,
    *,
    clock: Callable[[], datetime] = system_clock,
    hasher: PasswordHasher | None = None,
    prompts: Callable[[Station, Callable[[], Any]], Prompts] | None = None,
    recipes: dict[str, LoadedRecipe] | None = None,
    devices: Callable[[], list[tuple[str, str]]] | None = None,
    unsent: Callable[[], int | None] | None = None,
) -> Kiosk:
    """Wire store, auth, engine, bridge, prompts and the main window together."""
    ui = ui or UiSettings.from_config(config)
    store = EventStore(config.station.db, config.station.id, clock=clock)
    policy = AuthPolicy(
        max_failed=config.security.max_failed_logins,
        password_days=config.security.password_days,
        inactivity=timedelta(minutes=config.security.inactivity_minutes),
    )
    pulled = _pulled(config, store)
    auth = Auth(store, clock, policy, hasher, authority=_authority(config, pulled))
    if recipes is None:
        folder = config.station.recipes
        if not folder.is_absolute() and not folder.exists():
            folder = BUNDLED_RECIPES
        recipes = load_recipes(folder)
        if pulled is not None:  # every version the server made effective, with its status
            recipes = {**recipes, **recipebook.from_pulled(pulled.master_items("recipes"))}
    server = _server(config)
    owner_of, bound_elsewhere = _ownership(store, server)
    engine = Engine(
        store,
        auth,
        recipes,
        clock,
        rooms=config.station.room_set,
        owner_of=owner_of,
        bound_elsewhere=bound_elsewhere,
    )
    if pulled is not None:  # re-read at every check: what the sync worker pulls counts at once
        engine.masterdata.attach(pulled)
        engine.order_source = pulled.orders
    if ui.demo:
        seed_demo(auth, engine)
    bridge = DeviceBridge()
    feedback = Feedback(sound=ui.sound)
    holder: dict[str, Any] = {}

    def window() -> Any:
        return holder.get("window")

    services = Services(
        engine=engine,
        auth=auth,
        store=store,
        clock=clock,
        config=ui,
        bridge=bridge,
        prompts=None,  # type: ignore[arg-type]  # set below: the prompts need the station
        feedback=feedback,
        server=server,
        opcua=dict(config.opcua),
        cell_counter=config.cell_counter,
    )
    station = Station(services)
    if prompts is None:
        services.prompts = DialogPrompts(station.user_name_for, clock, ui.metrics, window)
    else:
        services.prompts = prompts(station, window)
    services.devices = devices or bridge.health
    services.print_label = _label_printer(
        Path(config.station.db).resolve().parent / "labels", config.printer
    )
    if unsent is not None:
        services.unsent = unsent
    main = MainWindow(station)
    holder["window"] = main
    return Kiosk(store, auth, engine, bridge, feedback, station, main)


class _DemoBalance(threading.Thread):
    """Demo only: a balance that settles on a weight, fed to the bridge twice a second."""

    def __init__(self, bridge: DeviceBridge) -> None:
        super().__init__(name="demo-balance", daemon=True)
        self.bridge = bridge
        self.halt = threading.Event()

    def run(self) -> None:
        tick = 0
        while not self.halt.wait(0.5):
            tick += 1
            settled = tick % 12 >= 4
            value = 251.3 if settled else 251.3 + (4 - tick % 12) * 3.7
            self.bridge.on_weight(value, "g", settled, DEMO_BALANCE[1])


def start_devices(config: StationConfig, kiosk: Kiosk) -> DeviceManager | None:
    """The configured balances and serial scanners, feeding the screens through the bridge, and
    the OPC UA equipment roles the Technician screen identifies and accepts."""
    if not config.devices and not config.opcua:
        return None
    from kiosk.devices.manager import DeviceManager

    bridge = kiosk.bridge
    manager = DeviceManager(
        config,
        kiosk.engine.masterdata,
        clock=kiosk.station.s.clock,
        store=kiosk.store,
        on_status=bridge.on_status,
        on_weight=lambda _role, r: bridge.on_weight(r.value, r.unit, r.stable, r.device),
        on_code=bridge.on_code,
        on_error=bridge.on_error,
    )
    manager.start()
    return manager


DEMO_LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "labels"
# Not in the demo camera's loop: another patient's DIN would put the demo batch on hold
# (the compound message carries DIN Z5499 17 123456).
DEMO_CAMERA_SKIPS = frozenset({"wrong_patient_din_code128.png", "isbt_compound_datamatrix.png"})


def _camera_source(url: str | None) -> int | str:
    """A camera index ("0") or a device path or video file, as cv2.VideoCapture takes it."""
    text = (url or "0").strip()
    return int(text) if text.isdigit() else text


def start_camera(config: StationConfig, kiosk: Kiosk, *, demo: bool = False) -> CameraWorker | None:
    """A camera decoder feeding the scan step (codes) and its preview (every 3rd frame).

    The station's `camera` role (a device of kind camera: `url` is a camera index or
    a video file); in demo mode without one, a simulated camera playing the label
    pictures of tests/data/labels at about 5 frames a second (none when they are
    not installed).
    """
    role = next((r for r, d in config.devices.items() if d.kind == "camera"), None)
    if role is None and not demo:
        return None
    from kiosk.devices.camera import CameraSimulator, CameraWorker, FrameSource, OpenCvCamera
    from kiosk.devices.decode import Code, Pipeline
    from kiosk.devices.errors import DeviceError

    bridge = kiosk.bridge
    name = role or "camera"
    source: int | str = ""
    pictures: list[Path] = []
    if role is not None:
        device = config.devices[role]
        source = _camera_source(device.url or device.by_id)
        repeat = 2.0
    else:
        pictures = sorted(p for p in DEMO_LABELS.glob("*.png") if p.name not in DEMO_CAMERA_SKIPS)
        if not pictures:
            log.info("demo camera not started: no label pictures in %s", DEMO_LABELS)
            return None
        repeat = 2.0

    def open_source() -> FrameSource:  # on the worker thread, again after an outage
        if role is not None:
            return OpenCvCamera(source)
        # each label held up for 1.2 s, then 0.6 s of empty bench: out of sight for
        # longer than the repeat window, so each label is read again on its next turn
        return CameraSimulator(pictures, fps=5.0, loop=True, hold=6, gap=3, canvas=(1280, 720))

    def code(found: Code) -> None:
        bridge.on_read(found)  # the preview's box and words first
        bridge.on_code(found.text, "camera")

    def error(exc: DeviceError) -> None:
        bridge.on_error(str(exc), name)

    worker = CameraWorker(
        open_source,
        Pipeline(),
        more_decoders=[Pipeline()],  # two frames decoded at once: both cores
        confirm=(2, 5),  # a code read in 2 of the last 5 frames
        on_code=code,
        on_error=error,
        on_frame=bridge.on_frame,
        preview_every=3,
        repeat_window_s=repeat,
        name=name,
    )
    bridge.camera = name
    bridge.forget_camera = worker.forget
    worker.start()
    bridge.on_status(
        name,
        True,
        Text("simulated camera") if role is None else Text("camera {source}", source=source),
    )
    return worker


# the sync worker's states, as the station's status shows them
SYNC_STATES = {
    "starting": Text("starting"),
    "online": Text("online"),
    "offline": Text("offline"),
    "refused": Text("refused"),
    "stopped": Text("stopped"),
}


def start_sync(config: StationConfig, kiosk: Kiosk) -> SyncWorker | None:
    """Push unsent records to the central server in the background, when one is configured."""
    if not config.server.url:
        return None
    from kiosk.sync import SyncClient, SyncError, SyncStatus, SyncWorker

    try:
        token = config.server.token_file.read_text().strip() if config.server.token_file else ""
        client = SyncClient(config.server.url, token, ca_bundle=config.server.ca_bundle)
    except (OSError, SyncError) as exc:
        kiosk.bridge.on_status("sync", False, Text("not syncing: {exc}", exc=exc))
        return None

    def status(now: SyncStatus) -> None:
        state = SYNC_STATES.get(now.state, now.state)
        detail = Text("{state}, not yet sent: {pending}", state=state, pending=now.pending)
        kiosk.bridge.on_status("sync", now.online, detail)

    worker = SyncWorker(
        kiosk.store,
        client,
        on_status=status,
        on_pulled=kiosk.bridge.on_pulled,  # order changes reach the batches at once
        pull_interval=config.server.pull_seconds,
    )
    kiosk.station.s.unsent = lambda: worker.status().pending
    kiosk.station.s.wake_sync = worker.wake  # a hand-over is pushed at once
    worker.start()
    return worker


def run(config: StationConfig, ui: UiSettings | None = None) -> int:
    """Open the kiosk: full screen and frameless in kiosk mode; returns the exit code."""
    ui = ui or UiSettings.from_config(config)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    screen = app.primaryScreen()
    if "panel" not in config.model_fields_set and screen is not None:
        # no [panel] setting: the window fills the screen it is shown on
        size = screen.size()
        panel = panel_for_screen(size.width(), size.height(), screen.physicalSize().width())
        if panel is not None:
            config = config.model_copy(update={"panel": panel})
            ui = replace(ui, panel=panel)
    kiosk = build(config, ui)
    equipment = _demo_equipment(config, kiosk) if ui.demo else None
    devices = config
    if equipment is not None and not config.opcua:  # the technician accepts the simulator's roles
        devices = config.model_copy(update={"opcua": equipment.opcua})
    manager = start_devices(devices, kiosk)
    kiosk.station.s.manager = manager  # the technician screen's swap workflow
    balance_role = next((r for r, d in config.devices.items() if d.kind == "balance"), None)
    if manager is not None and balance_role is not None:
        connected, role = manager, balance_role

        def balance_command(name: str) -> None:  # Tare / Zero on the weigh step
            (connected.tare if name == "tare" else connected.zero)(role)

        kiosk.station.s.balance_command = balance_command
    worker = start_sync(config, kiosk)
    camera = start_camera(config, kiosk, demo=ui.demo)
    window = kiosk.window
    wedge = WedgeFilter(kiosk.bridge, make_detector(config.wedge), window)
    app.installEventFilter(wedge)
    window.start_filters()
    balance = _DemoBalance(kiosk.bridge) if ui.demo else None
    if balance is not None:
        balance.start()
        kiosk.bridge.on_status(DEMO_BALANCE[0], True, Text("simulated balance"))
    if ui.kiosk_mode:
        window.setWindowFlags(
            Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        window.showFullScreen()
    else:
        window.show()
    try:
        return app.exec()
    finally:
        if balance is not None:
            balance.halt.set()
        if equipment is not None:
            equipment.stop()
        if camera is not None:
            camera.stop()
        if manager is not None:
            manager.stop()
        if worker is not None:
            worker.stop()
        app.removeEventFilter(wedge)
        wedge.stop()
        kiosk.close()


def _demo_equipment(config: StationConfig, kiosk: Kiosk) -> DemoEquipment | None:
    """`make demo`: the OPC UA simulator for the capture steps and a watched folder with a
    NucleoCounter result for the demo bag, where the configuration names none of its own."""
    if config.opcua and config.cell_counter is not None:
        return None
    folder = Path(config.station.db).resolve().parent / "demo-cell-counter"
    try:
        equipment = start_demo_equipment(folder)
    except Exception as exc:  # the demo runs without them; the steps say what is missing
        log.warning("demo equipment not started: %s", exc)
        return None
    services = kiosk.station.s
    services.opcua = dict(config.opcua) or equipment.opcua
    services.cell_counter = config.cell_counter or equipment.cell_counter
    for role in equipment.opcua:
        kiosk.bridge.on_status(
            role, True, Text("simulated, {endpoint}", endpoint=equipment.simulator.endpoint)
        )
    return equipment


def show_problem(problem: Problem, ui: UiSettings) -> int:
    """The full-screen start-up error for the technician (kiosk.startup); exit code 1."""
    from kiosk.screens.startup import ProblemScreen

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    log.error("%s", problem.line())
    screen = ProblemScreen(problem, ui.metrics)
    screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if ui.kiosk_mode:
        screen.setWindowFlags(
            Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        screen.showFullScreen()
    else:
        screen.resize(*ui.size)
        screen.show()
    app.exec()
    return 1


def windowed(ui: UiSettings) -> UiSettings:
    """The same settings without kiosk mode (development, screenshots)."""
    return replace(ui, kiosk_mode=False)
