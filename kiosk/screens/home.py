"""Home: station status (devices, records not yet sent), batches in progress, start a batch.

Scanning an apheresis bag here starts a batch: the recipe is chosen, the
batch's context fields (patient, order, weight...) are typed on the screen's
pads, and the scanned DIN is recorded as the batch's first scan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.identity import LabelError, parse_din
from kiosk.recipe import LoadedRecipe, ScanStep
from kiosk.screens.display import limits_text, local_time, unit_text
from kiosk.screens.form import Form, Slot
from kiosk.screens.station import Station
from kiosk.screens.style import button, label
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
        outer = QHBoxLayout(self)
        outer.setContentsMargins(m.mm(3), m.mm(2), m.mm(3), m.mm(2))
        outer.setSpacing(m.mm(4))

        left = QVBoxLayout()
        left.addWidget(label("Batches on this station", role="title"))
        self.batch_list = QWidget()
        self.batch_col = QVBoxLayout(self.batch_list)
        self.batch_col.setContentsMargins(0, 0, 0, 0)
        self.batch_col.setSpacing(m.gap)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.batch_list)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.addWidget(scroll, 1)
        self.hint = label("Scan an apheresis bag to start a batch.", wrap=True, name="home-hint")
        left.addWidget(self.hint)
        outer.addLayout(left, 1)

        right = QVBoxLayout()
        right.setSpacing(m.mm(2))
        right.addWidget(label("Station", role="title"))
        self.status = label("", role="card", wrap=True, name="home-status")
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop)
        right.addWidget(self.status, 1)
        start = button("Start a batch", m, role="primary", name="home-start")
        start.clicked.connect(lambda: self.start_batch(None))
        right.addWidget(start)
        self.role_buttons: dict[str, Any] = {}
        grid = QGridLayout()
        grid.setSpacing(m.gap)
        for i, (screen, text) in enumerate(
            (("review", "QA review"), ("technician", "Devices"), ("admin", "Users"))
        ):
            b = button(text, m, size="target", name=f"home-{screen}")
            b.clicked.connect(lambda _=False, s=screen: self.navigate(s))
            grid.addWidget(b, 0, i)
            self.role_buttons[screen] = b
        right.addLayout(grid)
        outer.addLayout(right, 1)

    def refresh(self) -> None:
        st = self.station
        self.role_buttons["review"].setVisible(st.has_role("qa"))
        self.role_buttons["technician"].setVisible(st.has_role("technician", "admin"))
        self.role_buttons["admin"].setVisible(st.has_role("admin"))
        self.show_status()
        clear_layout(self.batch_list)
        shown = 0
        for summary in reversed(st.s.store.batches()):
            if summary.status not in OPEN_STATES:
                continue
            text = (
                f"{summary.batch} · {summary.recipe_id} · "
                f"{summary.status.replace('_', ' ')} · {local_time(summary.last_ts)}"
            )
            b = button(text, st.metrics, size="target", role="slot", name="home-batch")
            b.clicked.connect(lambda _=False, bid=summary.batch: self.open_batch(bid))
            self.batch_col.addWidget(b)
            shown += 1
        if not shown:
            self.batch_col.addWidget(label("No batch in progress.", role="muted"))
        self.batch_col.addStretch(1)

    def show_status(self) -> None:
        """Devices and sync as they last reported, and the records not yet sent."""
        st = self.station
        devices = st.s.devices()
        lines = [f"{name}: {status}" for name, status in devices] or ["No device connected"]
        unsent = st.s.unsent()
        lines.append(f"Not yet sent: {unsent if unsent is not None else 'unknown'}")
        self.status.setText("\n".join(lines))

    def _status_changed(self, name: str, ok: bool, detail: str) -> None:
        del name, ok, detail
        if self.isVisible():
            self.show_status()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def on_code(self, text: str, source: str) -> bool:
        """A bag scanned on the home screen starts a batch with that DIN."""
        try:
            parse_din(text)
        except LabelError as exc:
            if source != "camera":  # a camera sees other labels too: only a DIN counts here
                self.station.s.feedback.refuse(f"not a bag DIN: {exc}")
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
        m = station.metrics
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.chooser = QWidget()
        col = QVBoxLayout(self.chooser)
        col.setContentsMargins(m.mm(3), m.mm(2), m.mm(3), m.mm(2))
        col.setSpacing(m.mm(2))
        col.addWidget(label("Start a batch: choose the recipe", role="title"))
        self.scanned = label("", wrap=True, name="start-din")
        col.addWidget(self.scanned)
        self.recipe_col = QVBoxLayout()
        self.recipe_col.setSpacing(m.mm(2))
        col.addLayout(self.recipe_col)
        col.addStretch(1)
        back = button("Cancel", m, name="start-cancel")
        back.clicked.connect(self.on_cancel)
        col.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        self.lay.addWidget(self.chooser)

    def begin(self, din: str | None) -> None:
        self.din = din
        self.recipe = None
        self._drop_form()
        self.chooser.show()
        self.scanned.setText(f"Bag scanned: DIN {din}" if din else "No bag scanned yet.")
        clear_layout_items(self.recipe_col)
        for loaded in self.station.s.engine.recipes.values():
            r = loaded.recipe
            if r.status != "effective":
                continue
            b = button(f"{r.title}  (v{r.version})", self.station.metrics, name=f"recipe-{r.id}")
            b.clicked.connect(lambda _=False, lr=loaded: self.choose(lr))
            self.recipe_col.addWidget(b)

    def _drop_form(self) -> None:
        if self.form is not None:
            self.form.setParent(None)
            self.form.deleteLater()
            self.form = None

    def choose(self, loaded: LoadedRecipe) -> None:
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
                slots.append(Slot(name, text, hint="YYYY-MM-DD HH:MM (UTC)"))
            else:
                slots.append(Slot(name, text))
        lines = [f"Recipe: {recipe.title} v{recipe.version}"]
        if self.din:
            lines.append(f"Bag DIN {self.din}: recorded as the first scan.")
        self.form = Form(
            self.station.metrics,
            "Start a batch",
            lines,
            slots,
            ok_text="Start",
            columns=2,
        )
        self.form.accepted.connect(self._start)
        self.form.cancelled.connect(self.on_cancel)
        self.form.typing.connect(self.typing.emit)
        self.chooser.hide()
        self.lay.addWidget(self.form)
        self.form.show_summary()

    def _start(self, values: dict[str, str]) -> None:
        assert self.recipe is not None
        st = self.station
        session = st.session
        assert session is not None
        recipe_id = self.recipe.recipe.id
        started: list[str] = []

        def start() -> str:
            batch = st.s.engine.start_batch(session, recipe_id, values)
            started.append(batch)
            return batch

        if not st.act(start, ok="Batch started"):
            return
        batch = started[0]
        first = st.s.engine.view(batch).step
        din = self.din
        if din and isinstance(first, ScanStep) and first.expect == "isbt128.din":
            st.act(lambda: st.s.engine.scan(session, batch, din), batch=batch, ok="Bag recorded")
        self.din = None
        self.on_started(batch)

    def on_code(self, text: str, source: str) -> bool:
        if source == "camera" and not _is_din(text):
            return True  # a camera sees other labels too: only the bag's DIN is kept
        self.din = text
        self.scanned.setText(f"Bag scanned: DIN {text}")
        return True


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
