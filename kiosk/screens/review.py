"""QA review by exception: the batch's review items (from `kiosk.review.items` only),
a disposition with an e-signature for each, and release."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk import deviations, review
from kiosk.recipe import SignatureStep
from kiosk.screens.dialogs import SignRequest
from kiosk.screens.display import local_time
from kiosk.screens.form import Slot
from kiosk.screens.i18n import shown, signature_text, tr
from kiosk.screens.station import Station
from kiosk.screens.style import ACCEPT, REFUSE, button, label, scroll_area
from kiosk.screens.viewinfo import category_words, step_title
from kiosk.screens.widgets import IDENTIFIER_LABELS, IdentityBanner, clear_layout


def deviation_word(word: str) -> str:
    """A deviation's classification or status in the user's language."""
    words = {
        "minor": tr("minor"),
        "major": tr("major"),
        "critical": tr("critical"),
        "open": tr("open"),
        "closed": tr("closed"),
    }
    return words.get(word, word)


class ReviewScreen(QWidget):
    name: ClassVar[str] = "review"

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
        self.title = label(tr("QA review"), role="title", wrap=True, name="review-title")
        head.addWidget(self.title, 1)
        self.release = button(tr("Release batch"), m, role="primary", name="review-release")
        self.release.clicked.connect(self._release)
        head.addWidget(self.release)
        body.addLayout(head)
        self.summary = label("", wrap=True, name="review-summary")
        body.addWidget(self.summary)
        self.items = QWidget()
        self.items_col = QVBoxLayout(self.items)
        self.items_col.setContentsMargins(0, 0, 0, 0)
        self.items_col.setSpacing(m.mm(1.5))
        scroll = scroll_area(self.items)
        body.addWidget(scroll, 1)
        outer.addLayout(body, 1)
        station.batch_changed.connect(self._changed)

    def open(self, batch_id: str) -> None:
        self.batch = batch_id
        self.show_view()

    def _changed(self, batch_id: str) -> None:
        if batch_id == self.batch and self.isVisible():
            self.show_view()

    def pick(self) -> None:
        """No batch chosen: list the batches waiting for review."""
        self.batch = ""
        self.banner.hide()
        self.title.setText(tr("QA review: choose a batch"))
        self.summary.setText("")
        self.release.hide()
        clear_layout(self.items)
        for summary in reversed(self.station.s.store.batches()):
            if summary.status in ("aborted", "released"):
                continue
            b = button(
                f"{summary.batch} · {summary.recipe_id} · {summary.status.replace('_', ' ')}",
                self.station.metrics,
                role="slot",
                size="target",
                name="review-batch",
            )
            b.clicked.connect(lambda _=False, bid=summary.batch: self.open(bid))
            self.items_col.addWidget(b)
        self.items_col.addStretch(1)

    def show_view(self) -> None:
        engine = self.station.s.engine
        view = engine.view(self.batch)
        state = engine.batch(self.batch)
        self.banner.show()
        self.banner.show_identifiers(view.identifiers, self.batch, self.window().width())
        items = review.items(state, history=list(engine.history(self.batch)))
        open_items = [i for i in items if i.open and getattr(i, "required", True)]
        self.title.setText(tr("QA review: {v0}").format(v0=state.recipe.title))
        self.summary.setText(
            tr("{count} review item(s), {open} open. Batch {state}.").format(
                count=len(items), open=len(open_items), state=tr(view.state.replace("_", " "))
            )
            + (tr(" Release is refused while any item is open.") if open_items else "")
        )
        release_now = isinstance(view.step, SignatureStep) and view.step.meaning == "released"
        self.release.setVisible(release_now)
        clear_layout(self.items)
        for item in items:
            row = QHBoxLayout()
            where = f" · {step_title(state, item.step)}" if item.step else ""
            when = local_time(item.ts)
            text = f"{category_words(item.category)}{where} · {when}\n{shown(item.message)}"
            if item.disposition is not None:
                sig = item.disposition.get("signature", {})
                decision = item.disposition.get("decision")
                ref = item.disposition.get("reference")
                text += f"\n✓ {decision}{f' ({ref})' if ref else ''}: {signature_text(sig)}"
            for d in state.deviations.values():
                if d.item == item.id:
                    text += "\n" + tr("Deviation {v0} ({v1}, {v2})").format(
                        v0=d.id, v1=deviation_word(d.classification), v2=deviation_word(d.status)
                    )
            card = label(text, role="card", wrap=True, name="review-item")
            required = getattr(item, "required", True)
            waiting = item.open and required
            card.setStyleSheet(f"border-left: 8px solid {REFUSE if waiting else ACCEPT};")
            row.addWidget(card, 1)
            if waiting:
                b = button(
                    tr("Disposition"), self.station.metrics, role="primary", name="review-disp"
                )
                b.clicked.connect(lambda _=False, i=item: self._disposition(i))
                row.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
                if self.station.has_role("supervisor", "qa") and item.kind != "pending_result":
                    opener = button(
                        tr("Open deviation"), self.station.metrics, name="review-deviation"
                    )
                    opener.clicked.connect(lambda _=False, i=item: self._open_deviation(i))
                    row.addWidget(opener, 0, Qt.AlignmentFlag.AlignTop)
            holder = QWidget()
            holder.setLayout(row)
            self.items_col.addWidget(holder)
        if not items:
            self.items_col.addWidget(label(tr("Nothing to review: a clean batch."), role="muted"))
        self.items_col.addStretch(1)

    def _request(self, meaning: str, what: str, value: str = "") -> SignRequest:
        view = self.station.s.engine.view(self.batch)
        return SignRequest(
            meaning=meaning,
            what=what,
            value=value,
            who=tr("QA"),
            batch=self.batch,
            identifiers={tr(IDENTIFIER_LABELS.get(k, k)): v for k, v in view.identifiers.items()},
            title=tr("QA signature"),
        )

    def _disposition(self, item: review.ReviewItem) -> None:
        st = self.station
        answer = st.s.prompts.disposition(
            shown(item.message),
            self._request("reviewed", f"disposition of {item.id}", item.message),
        )
        if answer is None:
            return
        session = st.session
        assert session is not None
        creds = answer.credentials

        def do() -> Any:
            return st.s.engine.disposition(
                session,
                self.batch,
                item.id,
                answer.decision,
                answer.reason,
                creds.password,
                user_id=creds.user_id,
                reference=answer.reference,
            )

        st.act(do, batch=self.batch, ok=st.signed)

    def _open_deviation(self, item: review.ReviewItem) -> None:
        """A supervisor (or QA) opens a deviation from the item; QA closes it in the portal."""
        st = self.station
        values = st.s.prompts.form(
            "deviation",
            tr("Open a deviation"),
            [
                shown(item.message),
                tr("QA investigates and closes it; the batch is not released before."),
            ],
            [
                Slot(
                    "classification",
                    tr("Classification"),
                    kind="choice",
                    choices=deviations.CLASSIFICATIONS,
                ),
                Slot("description", tr("Description")),
            ],
        )
        if values is None:
            return
        session = st.session
        assert session is not None
        st.act(
            lambda: st.s.engine.open_deviation(
                session, self.batch, item.id, values["classification"], values["description"]
            ),
            batch=self.batch,
            ok=lambda ident: tr("Deviation {v0} opened").format(v0=ident),
        )

    def _release(self) -> None:
        st = self.station
        creds = st.s.prompts.sign(self._request("released", "Batch release", "the batch record"))
        if creds is None:
            return
        session = st.session
        assert session is not None
        st.act(
            lambda: st.s.engine.sign_step(session, self.batch, creds),
            batch=self.batch,
            ok=st.signed,
        )
