"""Handing a batch over to the next room, and receiving one: the screens of ``kiosk.handover``.

- On the step screen (``special_panel``): a batch another station holds shows read-only (who
  holds it, no action); a step of a stage in another room shows the refusal and a large "Hand
  over" button.
- ``hand_over``: confirm (the batch, the patient's identifiers, the room it goes to), write the
  release, and wake the sync worker so it is pushed at once. Also offered in the top bar.
- ``WaitingList`` (home screen, with a server): the batches released for this station's rooms,
  fetched off the UI thread; a tap shows what is received, asks for a signature meaning
  "received", claims the batch at the server and opens it at the step where it stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk import handover
from kiosk.auth import AuthError, change_hash
from kiosk.batch import IN_PROGRESS
from kiosk.custody import Transfer
from kiosk.engine import ActionRefused, View
from kiosk.roles import allowed
from kiosk.screens.dialogs import SignRequest
from kiosk.screens.display import duration_text
from kiosk.screens.form import Slot
from kiosk.screens.i18n import shown, tr
from kiosk.screens.station import Station
from kiosk.screens.step import Panel, StepScreen
from kiosk.screens.style import button, label
from kiosk.screens.tasks import make_timer, run_task
from kiosk.screens.widgets import IDENTIFIER_LABELS, clear_layout
from kiosk.sync import SyncError, SyncRefused
from kiosk.text import message_of
from local_store import EventStore

log = logging.getLogger(__name__)

POLL_MS = 15_000
"""How often the home screen asks the server again for batches waiting for this room."""


def offline_text() -> str:
    """Said when the server does not answer a hand-over."""
    return tr("The server cannot be reached: a batch can be claimed only online.")


def no_server_text() -> str:
    """Said at a station configured without a server."""
    return tr("A hand-over needs the central server, and this station has none: call a supervisor.")


def _shown_ids(identifiers: dict[str, str]) -> dict[str, str]:
    return {IDENTIFIER_LABELS.get(k, k): v for k, v in identifiers.items()}


def _ids_text(identifiers: dict[str, str]) -> str:
    return " · ".join(f"{k} {v}" for k, v in _shown_ids(identifiers).items())


def read_only_text(station: Station, view: View) -> str:
    """What a batch this station does not hold says instead of its actions."""
    store = station.s.store
    if handover.local_owner(store, view.batch) == handover.RELEASED:
        room = handover.released_to(store, view.batch)
        where = tr("room {room}").format(room=room) if room else tr("the next room")
        return tr(
            "Handed over to {where}; waiting for the next station to claim it. "
            "This station can show the batch but no longer record on it."
        ).format(where=where)
    return tr("Held by station {station}: read-only here. Claim it at this station first.").format(
        station=shown(view.held_by or "")
    )


def room_text(view: View) -> str:
    stage = view.stage
    if stage is None:
        return tr(
            "The next stage runs in room {room}, not at this station. "
            "Hand the batch over to a station in that room."
        ).format(room=view.room)
    return tr(
        "Stage '{title}' runs in room {room}, not at this station. "
        "Hand the batch over to a station in that room."
    ).format(title=stage.title or stage.id, room=view.room)


class ReadOnlyPanel(Panel):
    """A batch another station holds: who holds it, and no action."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        released = handover.local_owner(screen.station.s.store, view.batch) == handover.RELEASED
        screen.title.setText(tr("Batch handed over") if released else tr("Batch held elsewhere"))
        step = view.step
        screen.instruction.setText(
            tr("Next step: {title}").format(title=step.title or step.id) if step else ""
        )
        self.col.addWidget(
            label(read_only_text(screen.station, view), wrap=True, name="handover-read-only")
        )
        self.col.addStretch(1)
        home = button(tr("Home"), self.m, role="primary", name="handover-home")
        home.setMinimumWidth(self.m.mm(50))
        home.clicked.connect(screen.go_home)
        self.col.addWidget(home, 0, Qt.AlignmentFlag.AlignLeft)

    def on_code(self, text: str, source: str) -> bool:
        del text, source
        self.owner.station.s.feedback.refuse(read_only_text(self.owner.station, self.view))
        return True


class RoomPanel(Panel):
    """The stage runs in another room: the refusal, and a large Hand over button."""

    def __init__(self, screen: StepScreen, view: View) -> None:
        super().__init__(screen, view)
        text = room_text(view)
        if screen.station.s.server is None:
            text += " " + no_server_text()
        self.col.addWidget(label(text, wrap=True, name="handover-room"))
        self.col.addStretch(1)
        if screen.station.s.server is None:
            return
        go = button(tr("Hand over"), self.m, role="primary", name="handover-go")
        go.setMinimumWidth(self.m.mm(70))
        go.clicked.connect(lambda: hand_over(screen.station, screen.batch))
        self.col.addWidget(go, 0, Qt.AlignmentFlag.AlignLeft)


def special_panel(screen: StepScreen, view: View) -> Panel | None:
    """The step screen's hook: the panel for a read-only batch or a stage of another room."""
    if view.held_by is not None:
        return ReadOnlyPanel(screen, view)
    if not view.room_ok and view.state == IN_PROGRESS:
        return RoomPanel(screen, view)
    return None


def may_hand_over(station: Station, batch: str) -> bool:
    """The top bar offers Hand over: an operator or a supervisor, on a batch held here, at a
    station with a server (without one nobody could claim the batch: it would stay read-only)."""
    session = station.session
    if station.s.server is None or not batch or session is None:
        return False
    if not allowed("batch.handover", session.user.roles):
        return False
    try:
        return not station.s.engine.read_only(batch)
    except ActionRefused:
        return False


def hand_over(station: Station, batch: str) -> bool:
    """Confirm, write the release, push it: True when the batch was handed over."""
    session = station.session
    if session is None or not batch:
        return False
    if station.s.server is None:
        station.s.feedback.refuse(no_server_text())
        return False
    user = session.user
    if not allowed("batch.handover", user.roles):
        station.s.feedback.refuse(tr("{name} may not hand a batch over").format(name=user.name))
        return False
    engine = station.s.engine
    view = engine.view(batch)
    if view.held_by is not None:
        station.s.feedback.refuse(read_only_text(station, view))
        return False
    room = view.room
    lines = [
        tr("Batch {batch}").format(batch=batch),
        _ids_text(view.identifiers) or tr("No patient identifiers recorded"),
        tr("Goes to room: {room}").format(
            room=room or tr("any room (the next station to claim it)")
        ),
        tr(
            "After the hand-over this station no longer records on the batch: "
            "a person at the next station signs that they received it."
        ),
    ]
    if not station.s.prompts.confirm(
        tr("Hand the batch over"), "\n".join(lines), ok=tr("Hand over")
    ):
        return False

    def release() -> Any:
        try:
            return handover.release(
                station.s.store, batch, user.id, user.name, room, view.identifiers
            )
        except handover.HandoverError as exc:
            raise ActionRefused(message_of(exc)) from exc

    done = station.act(
        release,
        batch=None,
        ok=(
            tr("Batch {batch} handed over to room {room}").format(batch=batch, room=room)
            if room
            else tr("Batch {batch} handed over").format(batch=batch)
        ),
    )
    engine.forget(batch)
    station.batch_changed.emit(batch)
    if done and station.s.wake_sync is not None:
        station.s.wake_sync()
    return done


class WaitingList(QWidget):
    """Home screen: batches released for this station's rooms, each claimed with a signature."""

    rows_shown = Signal(bool)  # after each answer: whether any batch is waiting

    def __init__(self, station: Station, open_batch: Callable[[str], None]) -> None:
        super().__init__()
        self.setObjectName("handover-waiting")
        # as wide as the column the home screen gives it: it does not widen the column
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.station = station
        self.open_batch = open_batch
        self.busy = False
        self.items: list[handover.Waiting] = []
        m = station.metrics
        col = QVBoxLayout(self)
        col.setContentsMargins(0, m.mm(1), 0, 0)
        col.setSpacing(m.gap)
        self.title = label(tr("Waiting for this room"), role="title")
        self.title.hide()  # shown with the batches waiting; otherwise the note says none is
        col.addWidget(self.title)
        self.note = label("", role="muted", wrap=True, name="waiting-note")
        col.addWidget(self.note)
        self.list = QWidget()
        self.rows = QVBoxLayout(self.list)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(m.gap)
        col.addWidget(self.list)
        self.offered = station.s.server is not None  # no server: nothing to claim
        if not self.offered:
            self.hide()  # (hidden before it is laid out)
        # while the list is on show it asks the server again now and then
        self.poll = make_timer(self, POLL_MS, self._tick, name="handover-waiting")

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.poll.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.poll.stop()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.poll.stop()

    def refresh(self) -> None:
        """Ask the server (off the UI thread) which batches wait for this station's rooms."""
        server = self.station.s.server
        if server is None or self.busy:
            return
        self.busy = True
        if not self.items:
            self.note.setText(tr("Asking the server…"))

        def fetch() -> list[handover.Waiting]:
            with server() as client:
                return handover.waiting(client)

        run_task(fetch, self._fetched, self._failed)

    def _fetched(self, found: Any) -> None:
        self.busy = False
        rooms = self.station.s.engine.rooms
        self.items = [w for w in found if rooms is None or w.room is None or w.room in rooms]
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.items = []
        self._show()
        if isinstance(exc, SyncRefused | handover.HandoverError):
            self.note.setText(tr("The server refused: {problem}").format(problem=shown(exc)))
        else:
            self.note.setText(offline_text())

    def _show(self) -> None:
        clear_layout(self.list)
        now = self.station.s.clock()
        for item in self.items:
            text = tr("{batch} · from {station}\nroom {room}").format(
                batch=item.batch, station=item.released_by or "?", room=item.room or tr("any")
            )
            waited = _since(item.since, now)
            if waited:
                text += tr(" · waiting {time}").format(time=waited)
            b = button(text, self.station.metrics, role="slot", name="waiting-batch")
            # the row takes the column's width; it does not widen the home screen's left side
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, w=item: self.receive(w))
            self.rows.addWidget(b)
        self.note.setText("" if self.items else tr("No batch is waiting for this room."))
        self.title.setVisible(bool(self.items))
        self.rows_shown.emit(bool(self.items))

    def receive(self, item: handover.Waiting) -> bool:
        """Show what is received, take the signature "received", claim, open the batch."""
        st = self.station
        session = st.session
        server = st.s.server
        if session is None or server is None:
            return False
        if not allowed("batch.receive", session.user.roles):
            st.s.feedback.refuse(
                tr("{name} may not receive a batch").format(name=session.user.name)
            )
            return False
        arrived = st.s.prompts.form(  # the bag's custody moves with the batch (custody.py)
            "custody-room",
            tr("The bag or product arrives"),
            [tr("Batch {batch}").format(batch=item.batch), _ids_text(item.identifiers)],
            [Slot("seal", tr("Seal"), kind="choice", choices=[tr("intact"), tr("not intact")])],
        )
        if arrived is None:
            return False
        creds = st.s.prompts.sign(
            SignRequest(
                meaning="received",
                what=tr("Receipt of batch {batch} from station {station} for room {room}").format(
                    batch=item.batch, station=item.released_by or "?", room=item.room or tr("any")
                ),
                who=tr("the person receiving the batch (an operator or a supervisor)"),
                batch=item.batch,
                identifiers=_shown_ids(item.identifiers),
                title=tr("Receive the batch"),
            )
        )
        if creds is None:
            return False
        store = st.s.store
        signed = change_hash("batch.receive", {"batch": item.batch, "station": store.station})
        try:
            signature = st.s.auth.sign(
                session=session,
                user_id=creds.user_id,
                password=creds.password,
                meaning="received",
                signed=signed,
                action="batch.receive",
            ).to_payload()
        except AuthError as exc:
            st.s.feedback.refuse(shown(exc))
            return False
        try:
            with server() as client:
                taken = handover.claim(store, client, item.batch, signature)
        except handover.HandoverError as exc:
            st.s.feedback.refuse(shown(exc))
            self.refresh()
            return False
        except SyncError:
            st.s.feedback.refuse(offline_text())
            return False
        st.s.engine.forget(item.batch)
        log.debug("batch %s claimed: %d events of other stations taken", item.batch, taken)
        transfer = Transfer(
            "room",
            f"room {item.room}" if item.room else f"station {store.station}",
            arrived["seal"] == tr("intact"),
            giver=_released_by(store, item),
        )
        if st.act(lambda: st.s.engine.transfer(session, item.batch, transfer, creds)):
            st.s.feedback.accept(
                tr("Batch {batch} received: it continues here").format(batch=item.batch)
            )
        if st.s.wake_sync is not None:
            st.s.wake_sync()
        self.items = [w for w in self.items if w.batch != item.batch]
        self._show()
        self.open_batch(item.batch)
        return True


def _released_by(store: EventStore, item: handover.Waiting) -> str:
    """Who handed the batch over: the person of the last ``batch.handover``, and the station."""
    for event in reversed(store.batch_history(item.batch)):
        if event.type == "batch.handover":
            return f"{event.payload.get('by') or '?'} (station {event.station})"
    return f"station {item.released_by or '?'}"


def _since(text: str, now: datetime) -> str:
    try:
        then = datetime.fromisoformat(text)
    except ValueError:
        return ""
    if then.tzinfo is None or now.tzinfo is None:
        return ""
    hours = duration_text(max(now - then, timedelta(0))).rsplit(":", 1)[0]  # h:mm
    return f"{hours} h"
