"""Signature steps: a person signs the batch's records with the step's meaning.

The QA release step (meaning "released") is refused while review items are
open, a deviation is open, a QC result is pending or the releaser performed or
witnessed a step (``kiosk.review.release_blockers``, the portal's gate too); when
it is signed the batch goes to released in the same transaction.
"""

from __future__ import annotations

from kiosk import review
from kiosk.auth import Session, Signature
from kiosk.batch import RELEASED, BatchState
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Credentials, content_hash
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused
from kiosk.recipe import SignatureStep
from kiosk.text import Joined, Text


def _sign(engine: Flow, state: BatchState, session: Session, signer: Credentials) -> Signature:
    current = state.step
    assert isinstance(current, SignatureStep)
    assert current.meaning is not None
    if current.meaning == "released":
        releaser = signer.user_id or session.user.id
        reasons = review.release_blocker_texts(state, engine.history(state.id), releaser)
        if reasons:
            raise ActionRefused(Text("release refused: {reasons}", reasons=Joined(reasons)))
    content = {
        "batch": state.id,
        "step": state.step_key,
        "records": {k: r.event_hash for k, r in state.records.items()},
    }
    sig = engine._signature(
        session,
        signer,
        meaning=current.meaning,
        signed=content_hash(content),
        action="step.sign" if current.meaning != "released" else "batch.release",
        roles=current.roles,
        not_by=[],
    )
    payload = {"value": None, "signed_content": content_hash(content)}
    end = {"state": RELEASED, "signature": sig.to_payload()}
    released = current.meaning == "released"
    engine._finish(
        state,
        session,
        payload,
        signatures=[sig],
        purpose="signature",
        end_state=end if released else None,
    )
    return sig


register(StepKind("signature", Text("a signature"), sign=_sign))
