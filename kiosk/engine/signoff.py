"""Signatures on steps: signature steps, the witness and the supervisor sign-off.

A recorded value whose step needs a witness or a sign-off stays pending until
the second person signs; then the step completes in the same transaction.
"""

from __future__ import annotations

import copy

from kiosk.auth import Session, Signature
from kiosk.batch import BatchState
from kiosk.engine.core import WAITING_FOR
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Credentials, Item
from kiosk.engine.registry import kind_of
from kiosk.entries import ActionRefused
from kiosk.text import Text


class Signoffs(Flow):
    def sign_step(
        self,
        session: Session,
        batch_id: str,
        signer: Credentials,
        *,
        step: str | None = None,
    ) -> Signature:
        """A signature step, or the supervisor signature a step needs after it is recorded.

        The QA release step (meaning "released") is refused while review items are
        open; when it is signed the batch goes to released in the same transaction.
        """
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        current = state.step
        if step is not None and step != state.step_key:
            raise self._refuse(
                state,
                session,
                "step.sign",
                Text("out of order: the current step is {step_key}", step_key=state.step_key),
                step,
            )
        self._in_progress(state)
        self._in_room(state)
        kind = kind_of(current)
        if current is None or kind is None:
            raise ActionRefused(Text("batch {batch_id} has nothing to sign", batch_id=batch_id))
        if kind.sign is not None and state.pending is None:
            return kind.sign(self, state, session, signer)
        record = state.pending
        if record is None or current.sign is None:
            raise ActionRefused(
                Text("step {step_key} does not need a signature now", step_key=state.step_key)
            )
        missing = self._missing_signoff(state, current, record)
        if missing != "signature":
            raise ActionRefused(WAITING_FOR[missing or "signature"](state.step_key))
        assert current.sign.meaning is not None
        sig = self._signature(
            session,
            signer,
            meaning=current.sign.meaning,
            signed=record.event_hash,
            action="step.sign",
            roles=current.sign.roles,
            not_by=[record.actor.removeprefix("u:")],
        )
        self._signoff(state, session, sig)
        return sig

    def witness(
        self, session: Session, batch_id: str, witness: Credentials, *, step: str | None = None
    ) -> Signature:
        """A second person confirms the value just recorded (Annex 11 §6)."""
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        self._in_progress(state)
        current = state.step
        if step is not None and step != state.step_key:
            raise self._refuse(
                state,
                session,
                "step.witness",
                Text("out of order: the current step is {step_key}", step_key=state.step_key),
                step,
            )
        self._in_room(state)
        record = state.pending
        if (
            current is None
            or record is None
            or self._missing_signoff(state, current, record) != "witness"
        ):
            raise ActionRefused(
                Text("step {step_key} does not need a witness now", step_key=state.step_key)
            )
        performer = record.actor.removeprefix("u:")
        if witness.user_id == performer:
            raise self._refuse(
                state,
                session,
                "step.witness",
                Text("the witness must be a different person from the performer"),
                state.step_key,
            )
        sig = self._signature(
            session,
            witness,
            meaning="witnessed",
            signed=record.event_hash,
            action="step.witness",
            roles=None,
            not_by=[performer],
            own=False,
        )
        self._signoff(state, session, sig)
        return sig

    def _signoff(self, state: BatchState, session: Session, sig: Signature) -> None:
        key = state.step_key
        purpose = "witness" if sig.meaning == "witnessed" else "signoff"
        sp = {"step": key, "purpose": purpose, **sig.to_payload()}
        items: list[Item] = [("signature.applied", sp, f"u:{sig.user}", None)]
        scratch = state.clone()
        scratch.records = dict(state.records)
        assert key is not None
        rec = copy.copy(scratch.records[key])
        rec.signatures = [*rec.signatures, sp]
        scratch.records[key] = rec
        scratch.pending = rec
        assert scratch.step is not None
        if self._missing_signoff(scratch, scratch.step, rec) is None:
            items += self._complete(scratch, session.actor)
        self._commit(state, items)
