"""Exceptions and the batch's state: acknowledge, QA disposition, hold, resume, abort."""

from __future__ import annotations

from kiosk import deviations, review
from kiosk.auth import Session, Signature
from kiosk.batch import ABORTED, FINAL_STATES, IN_PROGRESS, ON_HOLD, BatchState
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Credentials, Item, content_hash, provisional
from kiosk.entries import ActionRefused
from kiosk.roles import PERMISSIONS
from kiosk.text import Text, message_of


class Exceptions(Flow):
    def acknowledge(
        self,
        session: Session,
        batch_id: str,
        exception_id: str,
        supervisor: Credentials,
        reason: str,
    ) -> Signature:
        """A supervisor acknowledges a blocking exception; the batch resumes when none is left."""
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        record = state.exceptions.get(exception_id)
        if record is None:
            raise ActionRefused(
                Text(
                    "no exception {exception_id} in batch {batch_id}",
                    exception_id=exception_id,
                    batch_id=batch_id,
                )
            )
        if record.acknowledged is not None:
            raise ActionRefused(
                Text("exception {exception_id} is acknowledged already", exception_id=exception_id)
            )
        if not reason.strip():
            raise ActionRefused(Text("a reason is required"))
        content = {
            "exception": exception_id,
            "message": record.message,
            "values": record.values,
            "reason": reason,
        }
        sig = self._signature(
            session,
            supervisor,
            meaning="acknowledged",
            signed=content_hash(content),
            action="exception.acknowledge",
            roles=None,
            not_by=[],
            own=True,
        )
        own = review.acknowledge_refusal(state, self.history(batch_id), exception_id, sig.user)
        if own is not None:
            raise ActionRefused(own)
        items: list[Item] = [
            (
                "exception.acknowledged",
                {"id": exception_id, "signature": sig.to_payload()},
                f"u:{sig.user}",
                reason,
            )
        ]
        remaining = [e for e in state.open_exceptions() if e.id != exception_id]
        if state.state == ON_HOLD and not remaining:
            items.append(
                (
                    "batch.state",
                    {"state": IN_PROGRESS},
                    f"u:{sig.user}",
                    "blocking exceptions acknowledged",
                )
            )
            # a step whose value was recorded with a blocking exception now completes
            scratch = state.clone()
            for t, p, a, _ in items:
                scratch.apply(provisional(t, p, a))
            if (
                scratch.pending is not None
                and scratch.step is not None
                and self._missing_signoff(scratch, scratch.step, scratch.pending) is None
            ):
                items += self._complete(scratch, session.actor)
        self._commit(state, items)
        return sig

    def disposition(
        self,
        session: Session,
        batch_id: str,
        item_id: str,
        decision: str,
        reason: str,
        password: str,
        *,
        user_id: str | None = None,
        reference: str | None = None,
    ) -> Signature:
        """QA's decision on a review item (reviewed / accepted / deviation opened).

        Review items are the batch's exceptions and whatever else `kiosk.review`
        lists (CPP/CQA values, comments, manual entries...). Each decision is an
        e-signature bound to the item, the decision and the reason.
        """
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        listed = review.items(state, history=list(self.history(batch_id)))
        item = next((i for i in listed if i.id == item_id), None)
        if item is None:
            raise ActionRefused(
                Text(
                    "no review item {item_id} in batch {batch_id}",
                    item_id=item_id,
                    batch_id=batch_id,
                )
            )
        if item.kind == "pending_result":
            raise ActionRefused(
                Text("{message}: only the result from the LIMS closes it", message=item.message)
            )
        exception = state.exceptions.get(item_id)
        if exception is not None and exception.open_blocking:
            raise ActionRefused(Text("a supervisor must acknowledge this exception first"))
        if not item.open:
            raise ActionRefused(Text("{item_id} is dispositioned already", item_id=item_id))
        if decision not in ("reviewed", "accepted", "deviation"):
            raise ActionRefused(Text("decision must be reviewed, accepted or deviation"))
        if decision == "deviation" and not reference:
            raise ActionRefused(Text("a deviation needs its reference number"))
        if not reason.strip():
            raise ActionRefused(Text("a reason is required"))
        content = {
            "item": item_id,
            "message": item.message,
            "values": item.values,
            "decision": decision,
            "reason": reason,
            "reference": reference,
        }
        sig = self._signature(
            session,
            Credentials(user_id, password),
            meaning="reviewed",
            signed=content_hash(content),
            action="exception.disposition",
            roles=None,
            not_by=[],
        )
        payload = {
            "id": item_id,
            "decision": decision,
            "reference": reference,
            "signature": sig.to_payload(),
        }
        kind = "exception.dispositioned" if exception is not None else "review.dispositioned"
        self._commit(state, [(kind, payload, session.actor, reason)])
        return sig

    def open_deviation(
        self,
        session: Session,
        batch_id: str,
        item_id: str,
        classification: str,
        description: str,
    ) -> str:
        """A supervisor opens a deviation from a review item; returns its ID.

        The batch cannot be released while it is open; QA investigates and closes it in the
        portal (``kiosk.deviations``).
        """
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        if not PERMISSIONS["deviation.open"] & session.user.roles:
            raise ActionRefused(
                Text("{name} may not open a deviation (supervisor or QA)", name=session.user.name)
            )
        listed = review.items(state, history=list(self.history(batch_id)))
        if not any(i.id == item_id for i in listed):
            raise ActionRefused(
                Text(
                    "no review item {item_id} in batch {batch_id}",
                    item_id=item_id,
                    batch_id=batch_id,
                )
            )
        try:
            grade = deviations.check_classification(classification)
            texts = deviations.check_texts({"description": description}, required=("description",))
        except deviations.DeviationError as exc:
            raise ActionRefused(message_of(exc)) from exc
        ident = deviations.new_id()
        payload = {"id": ident, "item": item_id, "classification": grade, **texts}
        self._commit(state, [("deviation.opened", payload, session.actor, None)])
        return ident

    def hold(self, session: Session, batch_id: str, reason: str) -> None:
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        if state.state != IN_PROGRESS:
            raise ActionRefused(
                Text("batch is {state}, not in progress", state=state.state.replace("_", " "))
            )
        if not PERMISSIONS["batch.hold"] & session.user.roles:
            raise ActionRefused(Text("{name} may not hold a batch", name=session.user.name))
        if not reason.strip():
            raise ActionRefused(Text("a reason is required"))
        self._commit(state, [("batch.state", {"state": ON_HOLD}, session.actor, reason)])

    def resume(self, session: Session, batch_id: str, supervisor: Credentials, reason: str) -> None:
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        if state.state != ON_HOLD:
            raise ActionRefused(Text("batch is not on hold"))
        if state.open_exceptions():
            raise ActionRefused(Text("acknowledge the blocking exceptions first"))
        if not reason.strip():
            raise ActionRefused(Text("a reason is required"))
        self._signed_state(session, state, supervisor, IN_PROGRESS, "batch.resume", reason)

    def abort(self, session: Session, batch_id: str, supervisor: Credentials, reason: str) -> None:
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        if state.state in FINAL_STATES:
            raise ActionRefused(Text("batch is {state} already", state=state.state))
        if not reason.strip():
            raise ActionRefused(Text("aborting a batch needs a reason"))
        self._signed_state(session, state, supervisor, ABORTED, "batch.abort", reason)

    def _signed_state(
        self,
        session: Session,
        state: BatchState,
        supervisor: Credentials,
        new_state: str,
        action: str,
        reason: str,
    ) -> None:
        """A batch state change a supervisor signs, bound to the batch, the change and why."""
        sig = self._signature(
            session,
            supervisor,
            meaning="approved",
            signed=content_hash({"batch": state.id, "state": new_state, "reason": reason}),
            action=action,
            roles=None,
            not_by=[],
        )
        payload = {"state": new_state, "signature": sig.to_payload()}
        self._commit(state, [("batch.state", payload, f"u:{sig.user}", reason)])
