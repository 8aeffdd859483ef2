"""Chain of custody: who handed the patient's material to whom, where, when, in what state.

A transfer is recorded only with the receiver's e-signature ("received"), bound to the
transfer's content (``kiosk.custody.signed_content``). Without it the transfer is refused and
the refusal logged. A seal found broken raises a blocking critical exception in the same
transaction: the batch holds until a supervisor acknowledges it.
"""

from __future__ import annotations

from typing import Any

from kiosk.auth import Session, Signature
from kiosk.batch import FINAL_STATES, ON_HOLD, RELEASED
from kiosk.custody import EVENT, MEANING, Transfer, signed_content
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Credentials, Item
from kiosk.entries import ActionRefused
from kiosk.text import Text

NO_SIGNATURE = "custody needs the receiver's signature (user ID and password, meaning received)"


class Custody(Flow):
    def transfer(
        self,
        session: Session,
        batch_id: str,
        transfer: Transfer,
        receiver: Credentials | None,
    ) -> Signature:
        """Record one transfer of the bag or product, signed by its receiver."""
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        if state.state in FINAL_STATES and state.state != RELEASED:
            raise ActionRefused(Text("batch is {state}", state=state.state))
        problem = transfer.problem()
        if problem is not None:
            raise ActionRefused(problem)
        if receiver is None or not receiver.user_id or not receiver.password:
            raise self._refuse(state, session, "custody.transfer", NO_SIGNATURE)
        user = self.auth.users.get(receiver.user_id)
        giver = transfer.giver.strip() if transfer.giver is not None else session.user.name
        payload: dict[str, Any] = {
            "kind": transfer.kind,
            "from": giver,
            "to": user.name if user is not None else receiver.user_id,
            "location": transfer.location.strip(),
            "condition": transfer.condition(),
            "shipment": transfer.shipment.to_payload() if transfer.shipment else None,
            "din": state.din,
            "recorded_by": session.user.name,
        }
        try:
            sig = self._signature(
                session,
                receiver,
                meaning=MEANING,
                signed=signed_content(payload, batch_id),
                action="custody.receive",
                roles=None,
                not_by=[session.user.id] if transfer.giver is None else [],
                own=False,
            )
        except ActionRefused as exc:
            raise self._refuse(state, session, "custody.transfer", str(exc)) from exc
        payload["signature"] = sig.to_payload()
        items: list[Item] = [(EVENT, payload, session.actor, None)]
        if not transfer.seal_intact:
            exc_payload = self._exception(
                "identity",
                "critical",
                True,
                None,
                Text(
                    "custody: the seal is not intact at {location} ({kind})",
                    location=payload["location"],
                    kind=transfer.kind,
                ),
                {"kind": transfer.kind, "location": payload["location"]},
            )
            items.append(("exception.raised", exc_payload, session.actor, None))
            if state.state not in FINAL_STATES | {ON_HOLD}:
                items.append(("batch.state", {"state": ON_HOLD}, "system", None))
        self._commit(state, items)
        return sig
