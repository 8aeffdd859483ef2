"""Home: station status (devices, records not yet sent), batches in progress, start a batch.

Scanning an apheresis bag here starts a batch: the recipe is chosen, then the
patient's order (pulled from the server; nothing identifying is typed), and the
scanned DIN is recorded as the batch's first scan. A recipe without an order ID
in its context takes its context fields typed on the screen's pads; typing an
order's data instead of choosing the order needs a supervisor's signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.auth import Session
from kiosk.entries import outside
from kiosk.identity import LabelError, parse_din
from kiosk.orders import StationOrder
from kiosk.recipe import LoadedRecipe, ScanStep
from kiosk.screens.dialogs import SignRequest
from kiosk.screens.display import limits_text, local_time, unit_text
from kiosk.screens.form import Form, Slot
from kiosk.screens.i18n import tr
from kiosk.screens.station import Station
from kiosk.screens.style import (
    WrapButton,
    button,
    label,
    restyle,
    scroll_area,
    slot_button,
)
from kiosk.screens.widgets import clear_layout

OPEN_STATES = ("in_progress", "on_hold", "completed")


class HomeScreen(QWidget):
    name: ClassVar[str] = "home"

    def __init__(
        self,
        station: Station,
        open_batch: Callable[[str], None],
        start_batch: Callable[[str | None], None],
        navigate: Callable[[str], None],
    ) -> None:
        super().__init__()
        self.station = station
        self.open_batch = open_batch
        self.start_batch = start_batch
        self.navigate = navigate
        m = station.metrics
        station.s.bridge.status.connect(self._status_changed)  # a device or sync reported
        # the batches take the whole width (patient IDs are long); the station's status,
        # Start and the role buttons share the row below
        outer = QVBoxLayout(self)
        outer.setContentsMargins(m.mm(3), m.mm(2), m.mm(3), m.mm(2))
        outer.setSpacing(m.mm(2))
        head = QHBoxLayout()
        head.setSpacing(m.gap)
        self.heading = label(tr("Batches on this station"), role="title", name="home-title")
        head.addWidget(self.heading, 1)
        self.role_buttons: dict[str, Any] = {}
        for screen, text in (
            ("review", tr("QA review")),
            ("technician", tr("Devices")),
            ("admin", tr("Users")),
        ):
            b = button(text, m, size="target", name=f"home-{screen}")
            b.clicked.connect(lambda _=False, s=screen: self.navigate(s))
            head.addWidget(b)
            self.role_buttons[screen] = b
        outer.addLayout(head)
        self.batch_list = QWidget()
        self.batch_col = QVBoxLayout(self.batch_list)
        self.batch_col.setContentsMargins(0, 0, 0, 0)
        self.batch_col.setSpacing(m.gap)
        self.batch_area = scroll_area(self.batch_list)
        outer.addWidget(self.batch_area, 1)
        self.outer = outer
        self.extras: list[Any] = []  # more lists under the batches (hand-overs waiting)
        bottom = QHBoxLayout()
        bottom.setSpacing(m.mm(3))
        left = QVBoxLayout()  # the hint over the station's status, beside Start
        left.setSpacing(m.mm(1))
        self.hint = label(
            tr("Scan an apheresis bag to start a batch."), wrap=True, name="home-hint"
        )
        left.addWidget(self.hint)
        # the station's status in two lines that fit (station, records not sent, faults);
        # one tap shows every device's line in full above it, another hides them
        self.status_summary = button("", m, name="home-status-summary")
        self.status_summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.status_summary.setStyleSheet("text-align: left;")
        self.status_summary.clicked.connect(self.toggle_status)
        self.status = label("", role="card", wrap=True, name="home-status")
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop)
        # shown in the batches' place, where it has the room (very many devices: it scrolls)
        self.status_area = scroll_area(self.status)
        self.status_area.hide()
        outer.addWidget(self.status_area, 1)
        left.addWidget(self.status_summary)
        bottom.addLayout(left, 1)
        start = button(tr("Start a batch"), m, role="primary", name="home-start")
        start.setMinimumWidth(m.mm(60))
        start.clicked.connect(lambda: self.start_batch(None))
        bottom.addWidget(start, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(bottom)

    def refresh(self) -> None:
        st = self.station
        self.role_buttons["review"].setVisible(st.has_role("qa", "supervisor"))
        self.role_buttons["technician"].setVisible(st.has_role("technician", "admin"))
        self.role_buttons["admin"].setVisible(st.has_role("admin"))
        self.show_status()
        try:  # an order changed at the server since the last pull: its batch gets an exception
            for line in st.s.engine.apply_order_changes():
                st.s.feedback.refuse(line)
        except Exception as exc:  # the home screen is always shown; the failure is said
            st.s.feedback.refuse(tr("Order changes not checked: {v0}").format(v0=exc))
        clear_layout(self.batch_list)
        shown = 0
        for summary in reversed(st.s.store.batches()):
            if summary.status not in OPEN_STATES:
                continue
            b = batch_button(st, summary)
            b.clicked.connect(lambda _=False, bid=summary.batch: self.open_batch(bid))
            self.batch_col.addWidget(b)
            shown += 1
        if not shown:
            self.batch_col.addWidget(label(tr("No batch in progress."), role="muted"))
        self.batch_col.addStretch(1)
        for extra in self.extras:
            extra.refresh()

    def add_extra(self, widget: QWidget) -> None:
        """A list shown under the batches, refreshed with the screen (`widget.refresh()`).

        In a scroll area sharing the height with the batches (a long list is dragged, never
        cut) while it has rows; a list with none (its ``rows_shown`` signal says so) shrinks
        to its title and note, and the batches take the height."""
        area = scroll_area(widget)
        self.outer.insertWidget(self.outer.count() - 1, area, 0)  # above the hint and Start
        area.setVisible(bool(getattr(widget, "offered", True)))  # False: nothing to offer here
        self.extras.append(widget)
        rows_shown = getattr(widget, "rows_shown", None)
        if rows_shown is not None:
            rows_shown.connect(lambda has_rows: self._fit(area, has_rows))
        self._fit(area, has_rows=False)

    def _fit(self, area: QWidget, has_rows: bool) -> None:
        # Maximum: the area takes its content's size hint whenever it is laid out
        grow = QSizePolicy.Policy.Expanding if has_rows else QSizePolicy.Policy.Maximum
        area.setSizePolicy(QSizePolicy.Policy.Preferred, grow)
        self.outer.setStretchFactor(area, 2 if has_rows else 0)

    def show_status(self) -> None:
        """Devices and sync as they last reported, and the records not yet sent."""
        st = self.station
        devices = st.s.devices()
        lines = [tr("Station {station}").format(station=st.s.config.station)]
        lines += [f"{name}: {status}" for name, status in devices] or [tr("No device connected")]
        unsent = st.s.unsent()
        lines.append(
            tr("Not yet sent: {count}").format(
                count=unsent if unsent is not None else tr("unknown")
            )
        )
        self.status.setText("\n".join(lines))
        faults = [name for name, status in devices if status.startswith(tr("fault"))]
        if faults:
            names = ", ".join(faults[:2]) + (f" +{len(faults) - 2}" if len(faults) > 2 else "")
            state = tr("Fault: {names}").format(names=names)  # the rest: one tap away
        elif devices:
            state = tr("Devices: all {count} ok").format(count=len(devices))
        else:
            state = tr("No device connected")
        more = tr("tap to hide") if self.status_area.isVisibleTo(self) else tr("tap for details")
        # short words: the two lines fit in bold at 1024×768, German too
        count = unsent if unsent is not None else "?"
        first = tr("{station} · unsent: {count}").format(station=st.s.config.station, count=count)
        self.status_summary.setText(f"{first}\n{state} · {more}")
        self.status_summary.setProperty("role", "danger" if faults else "")
        restyle(self.status_summary)

    def toggle_status(self) -> None:
        """Every device's and the sync's line in full, or back to the two-line summary."""
        showing = not self.status_area.isVisibleTo(self)
        self.status_area.setVisible(showing)
        self.batch_area.setVisible(not showing)
        self.heading.setText(tr("Station status") if showing else tr("Batches on this station"))
        self.show_status()

    def _status_changed(self, name: str, ok: bool, detail: str) -> None:
        del name, ok, detail
        if self.isVisible():
            self.show_status()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.status_area.isVisibleTo(self):
            self.toggle_status()  # back on home: the batches first
        self.refresh()

    def on_code(self, text: str, source: str) -> bool:
        """A bag scanned on the home screen starts a batch with that DIN."""
        try:
            parse_din(text)
        except LabelError as exc:
            if source != "camera":  # a camera sees other labels too: only a DIN counts here
                self.station.s.feedback.refuse(tr("not a bag DIN: {v0}").format(v0=exc))
            return True
        self.start_batch(text)
        return True


class StartScreen(QWidget):
    """Choose the recipe, then type the batch's context fields on the screen's pads."""

    name: ClassVar[str] = "start"
    typing = Signal(bool)

    def __init__(
        self,
        station: Station,
        on_started: Callable[[str], None],
        on_cancel: Callable[[], None],
    ) -> None:
        super().__init__()
        self.station = station
        self.on_started = on_started
        self.on_cancel = on_cancel
        self.din: str | None = None
        self.recipe: LoadedRecipe | None = None
        self.form: Form | None = None
        self.typed = False  # the order's data typed (a supervisor signs) instead of chosen
        m = station.metrics
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.chooser = QWidget()
        col = QVBoxLayout(self.chooser)
        col.setContentsMargins(m.mm(3), m.mm(2), m.mm(3), m.mm(2))
        col.setSpacing(m.mm(2))
        col.addWidget(label(tr("Start a batch: choose the recipe"), role="title"))
        self.scanned = label("", wrap=True, name="start-din")
        col.addWidget(self.scanned)
        self.recipe_col = QVBoxLayout()
        self.recipe_col.setSpacing(m.mm(2))
        col.addLayout(self.recipe_col, 1)
        back = button(tr("Cancel"), m, name="start-cancel")
        back.clicked.connect(self.on_cancel)
        col.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        self.lay.addWidget(self.chooser)

    def begin(self, din: str | None) -> None:
        self.din = din
        self.recipe = None
        self._drop_form()
        self.chooser.show()
        self.scanned.setText(
            tr("Bag scanned: DIN {din}").format(din=din) if din else tr("No bag scanned yet.")
        )
        clear_layout_items(self.recipe_col)
        for loaded in self.station.s.engine.recipes.values():
            r = loaded.recipe
            if r.status != "effective":
                continue
            b = button(
                tr("{v0}  (v{v1})").format(v0=r.title, v1=r.version),
                self.station.metrics,
                name=f"recipe-{r.id}",
            )
            b.clicked.connect(lambda _=False, lr=loaded: self.choose(lr))
            self.recipe_col.addWidget(b)
        self.recipe_col.addStretch(1)

    def _drop_form(self) -> None:
        if self.form is not None:
            self.form.setParent(None)
            self.form.deleteLater()
            self.form = None

    def choose(self, loaded: LoadedRecipe) -> None:
        """An ordered recipe (its context has an order ID) starts from an order; others from
        the typed context."""
        if "order_id" in loaded.recipe.context:
            self.choose_order(loaded)
        else:
            self.typed = False
            self.show_form(loaded)

    def choose_order(self, loaded: LoadedRecipe) -> None:
        """The open orders for this recipe, each a big button; typing needs a supervisor."""
        self.recipe = loaded
        m = self.station.metrics
        clear_layout_items(self.recipe_col)
        self.recipe_col.addWidget(label(tr("Choose the patient's order"), role="title"))
        found = self.station.s.engine.open_orders(loaded.recipe.id)
        if not found:
            self.recipe_col.addWidget(
                label(tr("No open order for this recipe has reached this station."), wrap=True)
            )
        listing = QWidget()
        rows = QVBoxLayout(listing)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(m.gap)
        height = 0
        for order in found:
            b = slot_button(m, f"order-{order.order_id}")
            font = QFont(b.font())
            font.setPixelSize(m.text)  # the style sheet's size (not applied yet)
            height = 2 * QFontMetrics(font).lineSpacing() + m.mm(3)
            b.set_floor(height)
            b.set_full_text(
                tr("Patient {patient} · order {order}\nCoI {coi} · due {due}").format(
                    patient=order.patient_id,
                    order=order.order_id,
                    coi=order.coi,
                    due=order.data.get("due", ""),
                )
            )
            b.clicked.connect(lambda _=False, o=order: self._start_order(o))
            rows.addWidget(b)
        if found:
            rows.addStretch(1)
            area = scroll_area(listing)  # many orders: the list scrolls
            area.setMinimumHeight(height)
            self.recipe_col.addWidget(area, 1)
        else:
            self.recipe_col.addStretch(1)
        typed = button(tr("Type the order (a supervisor signs)"), m, name="start-typed")
        typed.clicked.connect(lambda: self._typed(loaded))
        self.recipe_col.addWidget(typed)

    def _typed(self, loaded: LoadedRecipe) -> None:
        self.typed = True
        self.show_form(loaded)

    def _start_order(self, order: StationOrder) -> None:
        assert self.recipe is not None
        recipe_id = self.recipe.recipe.id
        self._run_start(
            lambda session: self.station.s.engine.start_batch(session, recipe_id, {}, order=order)
        )

    def show_form(self, loaded: LoadedRecipe) -> None:
        self.recipe = loaded
        recipe = loaded.recipe
        slots = []
        for name, spec in recipe.context.items():
            text = spec.label or name
            if spec.kind == "number":
                allowed = limits_text(spec.range, spec.unit)
                slots.append(
                    Slot(
                        name,
                        f"{text} ({unit_text(spec.unit)})" if spec.unit else text,
                        kind="number",
                        check=_range_check(text, spec.range, spec.unit),
                        hint=f"allowed {allowed}" if allowed else "",
                        decimal=spec.decimals != 0,
                        negative=bool(
                            spec.range and spec.range[0] is not None and spec.range[0] < 0
                        ),
                    )
                )
            elif spec.kind == "choice":
                slots.append(Slot(name, text, kind="choice", choices=spec.choices or []))
            elif spec.kind == "date":
                slots.append(Slot(name, text, hint=tr("YYYY-MM-DD HH:MM (UTC)")))
            else:
                slots.append(Slot(name, text))
        lines = [
            tr("Recipe: {title} v{version}").format(title=recipe.title, version=recipe.version)
        ]
        if self.din:
            lines.append(tr("Bag DIN {din}: recorded as the first scan.").format(din=self.din))
        self.form = Form(
            self.station.metrics,
            tr("Start a batch"),
            lines,
            slots,
            ok_text=tr("Start"),
        )
        self.form.accepted.connect(self._start)
        self.form.cancelled.connect(self.on_cancel)
        self.form.typing.connect(self.typing.emit)
        self.chooser.hide()
        self.lay.addWidget(self.form)
        self.form.show_summary()

    def _start(self, values: dict[str, str]) -> None:
        assert self.recipe is not None
        recipe_id = self.recipe.recipe.id
        if not self.typed:
            self._run_start(
                lambda session: self.station.s.engine.start_batch(session, recipe_id, values)
            )
            return
        st = self.station
        answer = st.s.prompts.override(
            SignRequest(
                meaning="approved",
                what=tr("Order typed at the station (no order chosen)"),
                value=" · ".join(f"{v}" for v in values.values()),
                who=tr("a supervisor"),
                title=tr("Supervisor: order typed by hand"),
            ),
            None,
        )
        if answer is None:
            return
        self._run_start(
            lambda session: st.s.engine.start_batch(
                session, recipe_id, values, supervisor=answer.credentials, reason=answer.reason
            )
        )

    def _run_start(self, begin: Callable[[Session], str]) -> None:
        st = self.station
        session = st.session
        assert session is not None
        started: list[str] = []

        def start() -> str:
            batch = begin(session)
            started.append(batch)
            return batch

        if not st.act(start, ok=tr("Batch started")):
            return
        batch = started[0]
        first = st.s.engine.view(batch).step
        din = self.din
        if din and isinstance(first, ScanStep) and first.expect == "isbt128.din":
            st.act(
                lambda: st.s.engine.scan(session, batch, din), batch=batch, ok=tr("Bag recorded")
            )
        self.din = None
        self.on_started(batch)

    def on_code(self, text: str, source: str) -> bool:
        if source == "camera" and not _is_din(text):
            return True  # a camera sees other labels too: only the bag's DIN is kept
        self.din = text
        self.scanned.setText(tr("Bag scanned: DIN {v0}").format(v0=text))
        return True


def batch_button(st: Station, summary: Any) -> WrapButton:
    """A batch row: who it is for (patient or trainee, DIN), then batch, state, time, recipe."""
    try:
        ids = st.s.engine.batch(summary.batch).identifiers
    except Exception:
        ids = {}
    who = " · ".join(v for k, v in ids.items() if k != "CoI")
    when = local_time(summary.last_ts)
    status = tr(summary.status.replace("_", " "))
    last = tr("last entry {when}").format(when=when)
    # two lines, so that more than one batch is in view at 1280×800; a long line wraps
    text = f"{who or summary.recipe_id}\n{summary.batch} · {status} · {last} · {summary.recipe_id}"
    b = slot_button(st.metrics, "home-batch")
    font = QFont(b.font())
    font.setPixelSize(st.metrics.text)  # the style sheet's size (not applied yet)
    b.set_floor(2 * QFontMetrics(font).lineSpacing() + st.metrics.mm(3))
    b.set_full_text(text)
    return b


def _range_check(
    name: str, limits: tuple[float | None, float | None] | None, unit: str | None
) -> Callable[[str], str | None]:
    """The start form says at once that 250 kg is out of range, not only at Start."""

    def check(text: str) -> str | None:
        try:
            value = float(text)
        except ValueError:
            return tr("{name}: {text} is not a number").format(name=name, text=text)
        if limits is not None and outside(value, limits):
            return tr("{name}: {value} is outside {limits}").format(
                name=name,
                value=f"{text} {unit_text(unit)}".strip(),
                limits=limits_text(limits, unit),
            )
        return None

    return check


def _is_din(text: str) -> bool:
    try:
        parse_din(text)
    except LabelError:
        return False
    return True


def clear_layout_items(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
