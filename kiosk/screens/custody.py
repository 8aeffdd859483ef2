"""The custody screen: the batch's chain of custody, and Receive, Hand over, Ship.

Reached from the batch (the top bar's Custody button). Every transfer follows one pattern,
the same as receiving a batch from another room (``kiosk/screens/handover.py``): a form says
what is handed over, where and in what condition; then the person taking the material signs
"received" in the signature dialog (user ID and password, printed name, meaning, date and
time); the engine records it (``Engine.transfer``) or says why not. Without the receiver's
signature nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.custody import KINDS, Shipment, Transfer, timeline
from kiosk.screens.dialogs import SignRequest
from kiosk.screens.display import local_time
from kiosk.screens.form import Slot
from kiosk.screens.i18n import tr
from kiosk.screens.station import Station
from kiosk.screens.style import button, label, scroll_area
from kiosk.screens.widgets import IDENTIFIER_LABELS, IdentityBanner, clear_layout


def _kind_words() -> dict[str, str]:
    return {
        "receipt": tr("received from the courier"),
        "room": tr("room to room"),
        "storage_in": tr("into storage"),
        "storage_out": tr("out of storage"),
        "ship": tr("handed to the courier for shipping"),
    }


def _seal_slot() -> Slot:
    return Slot("seal", tr("Seal"), kind="choice", choices=[tr("intact"), tr("not intact")])


class CustodyScreen(QWidget):
    """The batch's transfers, newest last, and the three ways to record one."""

    name: ClassVar[str] = "custody"

    def __init__(self, station: Station, open_batch: Callable[[str], None]) -> None:
        super().__init__()
        self.station = station
        self.open_batch = open_batch
        self.batch = ""
        m = station.metrics
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = IdentityBanner(m)
        outer.addWidget(self.banner)
        body = QVBoxLayout()
        body.setContentsMargins(m.mm(3), m.mm(2), m.mm(3), m.mm(2))
        body.setSpacing(m.mm(1.5))
        head = QHBoxLayout()
        self.title = label(tr("Chain of custody"), role="title", wrap=True, name="custody-title")
        head.addWidget(self.title, 1)
        back = button(tr("Back to the batch"), m, size="target", name="custody-back")
        back.clicked.connect(lambda: self.open_batch(self.batch))
        head.addWidget(back)
        body.addLayout(head)
        self.items = QWidget()
        self.items_col = QVBoxLayout(self.items)
        self.items_col.setContentsMargins(0, 0, 0, 0)
        self.items_col.setSpacing(m.mm(1.5))
        body.addWidget(scroll_area(self.items), 1)
        actions = QHBoxLayout()
        actions.setSpacing(m.mm(3))
        self.receive_button = button(tr("Receive"), m, role="primary", name="custody-receive")
        self.receive_button.clicked.connect(self.receive)
        self.hand_button = button(tr("Hand over"), m, role="primary", name="custody-hand-over")
        self.hand_button.clicked.connect(self.hand_over)
        self.ship_button = button(tr("Ship"), m, role="primary", name="custody-ship")
        self.ship_button.clicked.connect(self.ship)
        for b in (self.receive_button, self.hand_button, self.ship_button):
            actions.addWidget(b, 1)
        body.addLayout(actions)
        outer.addLayout(body, 1)
        station.batch_changed.connect(self._changed)

    # ------------------------------------------------------------ showing

    def open(self, batch_id: str) -> None:
        self.batch = batch_id
        self.show_view()

    def _changed(self, batch_id: str) -> None:
        if batch_id == self.batch and self.isVisible():
            self.show_view()

    def identifiers(self) -> dict[str, str]:
        view = self.station.s.engine.view(self.batch)
        return {tr(IDENTIFIER_LABELS.get(k, k)): v for k, v in view.identifiers.items()}

    def _lines(self) -> list[str]:
        """The batch and the patient's identifiers, at the top of every custody form."""
        ids = " · ".join(f"{k} {v}" for k, v in self.identifiers().items())
        return [tr("Batch {batch}").format(batch=self.batch), ids]

    def show_view(self) -> None:
        engine = self.station.s.engine
        view = engine.view(self.batch)
        self.banner.show_identifiers(view.identifiers, self.batch, self.window().width())
        entries = timeline(engine.history(self.batch))
        clear_layout(self.items)
        shown = {KINDS[k]: words for k, words in _kind_words().items()}  # record -> screen
        for entry in entries:
            kind = shown.get(entry.kind, entry.kind)
            text = tr("{when} · {kind} · {where}\n{giver} → {receiver} · {condition}").format(
                when=local_time(entry.ts),
                kind=kind,
                where=entry.location or "—",
                giver=entry.giver,
                receiver=entry.receiver,
                condition=entry.condition,
            )
            if entry.shipment:
                text += "\n" + entry.shipment
            text += "\n" + tr("Received: {signed}").format(signed=entry.signed)
            self.items_col.addWidget(label(text, role="card", wrap=True, name="custody-entry"))
        if not entries:
            self.items_col.addWidget(
                label(tr("No custody transfer recorded yet."), role="muted", name="custody-none")
            )
        self.items_col.addStretch(1)

    # ------------------------------------------------------------ recording

    def receive(self) -> None:
        """From the courier into this site: who brought it, where, the logger, the seal."""
        values = self.station.s.prompts.form(
            "custody-receive",
            tr("Receive from the courier"),
            self._lines(),
            [
                Slot("giver", tr("Courier (company and name)")),
                Slot("location", tr("Where"), presets=[tr("Goods receipt")]),
                Slot("logger", tr("Shipper logger reading"), hint=tr("for example -182 °C")),
                _seal_slot(),
            ],
        )
        if values is None:
            return
        transfer = Transfer(
            "receipt",
            values["location"],
            values["seal"] == tr("intact"),
            giver=values["giver"],
            logger_reading=values["logger"],
        )
        self._record(transfer, tr("Receipt from {giver}").format(giver=values["giver"]))

    def hand_over(self) -> None:
        """Room to room, into storage, out of storage: the logged-in user hands over."""
        words = _kind_words()
        kinds = {words[k]: k for k in ("room", "storage_in", "storage_out")}
        values = self.station.s.prompts.form(
            "custody-hand-over",
            tr("Hand the material over"),
            self._lines(),
            [
                Slot("transfer", tr("Transfer"), kind="choice", choices=list(kinds)),
                Slot("location", tr("Where to")),
                _seal_slot(),
            ],
        )
        if values is None:
            return
        kind = kinds.get(values["transfer"], "room")
        transfer = Transfer(kind, values["location"], values["seal"] == tr("intact"))
        self._record(transfer, f"{values['transfer']}: {values['location']}")

    def ship(self) -> None:
        """To the courier for shipping: the dry shipper, its logger, courier and air waybill."""
        values = self.station.s.prompts.form(
            "custody-ship",
            tr("Hand over to the courier"),
            self._lines(),
            [
                Slot("shipper", tr("Dry shipper ID")),
                Slot("logger_id", tr("Logger ID")),
                Slot("logger", tr("Logger reading at start"), hint=tr("for example -190 °C")),
                Slot("courier", tr("Courier company")),
                Slot("awb", tr("Air waybill")),
                Slot("location", tr("Where"), presets=[tr("Dispatch")]),
                _seal_slot(),
            ],
        )
        if values is None:
            return
        shipment = Shipment(
            values["shipper"], values["logger_id"], values["courier"], values["awb"]
        )
        transfer = Transfer(
            "ship",
            values["location"],
            values["seal"] == tr("intact"),
            logger_reading=values["logger"],
            shipment=shipment,
        )
        self._record(transfer, tr("Shipment, air waybill {awb}").format(awb=values["awb"]))

    def _record(self, transfer: Transfer, what: str) -> None:
        st = self.station
        session = st.session
        if session is None:
            return
        creds = st.s.prompts.sign(
            SignRequest(
                meaning="received",
                what=what,
                value=transfer.location,
                who=tr("the person who takes the material"),
                batch=self.batch,
                identifiers=self.identifiers(),
                title=tr("Receiver's signature"),
            )
        )
        if creds is None:
            st.s.feedback.refuse(tr("Not recorded: custody needs the receiver's signature."))
            return

        def do() -> Any:
            return st.s.engine.transfer(session, self.batch, transfer, creds)

        # batch=None: the step screen, hidden now, renders the batch afresh when it is opened
        # again (``MainWindow.open_batch``); re-rendering it while it is being shown would
        # orphan its old panel as a window of its own.
        st.act(do, batch=None, ok=st.signed)
        self.show_view()
