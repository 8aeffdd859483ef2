"""QA's decisions in the portal: disposition, release and deviations, written in the server's chain.

Each decision is checked against the batch as the server rebuilds it (``central.qa``), signed
where Part 11 asks for it (the password re-entered, ``central.users.e_signature``: the same
checks as a sign-in, a wrong password counts towards the lockout), and written as one event in
the server's own chain (``central.chain``, station ``@central``) in the same transaction:

- ``qa.dispositioned`` — ``{id, decision, reference, signature}`` (meaning "reviewed");
- ``qa.released`` — ``{state: released, signature}`` (meaning "released"), refused with every
  reason while ``kiosk.review.release_blockers`` finds one (the station's gate too);
- ``deviation.opened`` / ``deviation.updated`` / ``deviation.reclassified`` /
  ``deviation.closed`` (closing is signed, meaning "closed"; see ``kiosk.deviations``).

The station holding the batch takes these events in (``kiosk.qa_pull``), so its state and its
batch record show them.
"""

import hashlib
import logging
from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import Connection, select, update

from central import chain, qa, records, schema, users
from central.errors import CentralError
from central.store import CentralStore
from kiosk import deviations as dev
from kiosk import review as rv
from kiosk.batch import RELEASED, BatchState
from kiosk.damage import damage
from local_store import Event, canonical_json

log = logging.getLogger(__name__)

DECISIONS: Final = ("reviewed", "accepted", "deviation")
_E = schema.events


class QaRefused(CentralError):
    """A portal decision refused; ``str()`` says every reason, for the reviewer."""


def signed_hash(content: Mapping[str, Any]) -> str:
    """The SHA-256 a signature is bound to: the canonical JSON of what is signed."""
    return hashlib.sha256(canonical_json(dict(content)).encode()).hexdigest()


def _batch(
    conn: Connection, recipes: qa.RecipeCache, batch: str
) -> tuple[BatchState | None, list[Event], str | None]:
    events = [e for e in records.batch_events(conn, batch) if damage(e) is None]
    if not events:
        raise QaRefused(f"no batch {batch} on the server")
    state, _loaded, note = qa.rebuild_state(events, recipes)
    return state, events, note


def _signed(
    store: CentralStore,
    user: qa.Reviewer,
    password: str,
    meaning: str,
    content: Mapping[str, Any],
    write: Any,
) -> Event:
    """Sign ``content`` as ``user`` and, if the signature holds, run ``write(conn, signature)``
    in the same transaction. A refused signature is committed (the failed attempt counts) and
    then raised."""
    refusal: users.Refused | None = None
    with store.write() as conn:
        signature, refusal = users.e_signature(
            conn,
            store,
            user.id,
            password,
            meaning=meaning,
            signed=signed_hash(content),
            role=qa.QA_ROLE,
        )
        if signature is not None:
            event: Event = write(conn, signature)
    if refusal is not None:
        log.warning("signature refused for %s: %s", user.id, refusal)
        raise QaRefused(f"signature refused: {refusal}")
    return event


# ---------------------------------------------------------------- disposition


def disposition(
    store: CentralStore,
    recipes: qa.RecipeCache,
    batch: str,
    user: qa.Reviewer,
    password: str,
    form: Mapping[str, str],
) -> Event:
    """QA's signed decision on one review item (``qa.dispositioned``)."""
    item_id = form.get("item", "").strip()
    decision = form.get("decision", "").strip()
    reason = form.get("reason", "").strip()
    reference = form.get("reference", "").strip() or None
    if decision not in DECISIONS:
        raise QaRefused(f"decision: must be one of {', '.join(DECISIONS)}")
    if not reason:
        raise QaRefused("reason: required")
    if len(reason) > dev.MAX_TEXT:
        raise QaRefused(f"reason: at most {dev.MAX_TEXT} characters")
    if decision == "deviation" and not reference:
        raise QaRefused("reference: a deviation decision needs the deviation's ID")

    def write(conn: Connection, signature: dict[str, Any]) -> Event:
        state, events, _note = _batch(conn, recipes, batch)
        listed = (
            rv.items(state, history=events) if state is not None else qa.items_from_events(events)
        )
        item = next((i for i in listed if i.id == item_id), None)
        if item is None:
            raise QaRefused(f"item: no review item {item_id!r} in batch {batch}")
        if item.kind == "pending_result":
            raise QaRefused(f"item: {item.message}: only the result from the LIMS closes it")
        if state is not None:
            found = state.exceptions.get(item_id)
            if found is not None and found.open_blocking:
                raise QaRefused("item: a supervisor must acknowledge this exception first")
            if decision == "deviation" and reference not in state.deviations:
                raise QaRefused(f"reference: no deviation {reference} in batch {batch}")
        if not item.open:
            raise QaRefused(f"item: {item_id} is dispositioned already")
        if signature["signed"] != signed_hash(
            _disposed(item_id, item, decision, reason, reference)
        ):
            raise QaRefused("item: the item changed while you signed; reload the page")
        payload = {"id": item_id, "decision": decision, "reference": reference}
        return chain.append(
            conn,
            "qa.dispositioned",
            {**payload, "signature": signature},
            batch=batch,
            actor=f"u:{user.id}",
            reason=reason,
        )

    item_now = _item(store, recipes, batch, item_id)
    content = _disposed(item_id, item_now, decision, reason, reference)
    return _signed(store, user, password, "reviewed", content, write)


def _item(store: CentralStore, recipes: qa.RecipeCache, batch: str, item_id: str) -> Any:
    found = qa.review(store, recipes, batch)
    if found is None:
        raise QaRefused(f"no batch {batch} on the server")
    item = next((i for i in found.items if i.id == item_id), None)
    if item is None:
        raise QaRefused(f"item: no review item {item_id!r} in batch {batch}")
    return item


def _disposed(
    item_id: str, item: Any, decision: str, reason: str, reference: str | None
) -> dict[str, Any]:
    """What a disposition signature is bound to: the item as shown, the decision and why."""
    return {
        "item": item_id,
        "message": item.message,
        "values": item.values,
        "decision": decision,
        "reason": reason,
        "reference": reference,
    }


# ---------------------------------------------------------------- release


def release_reasons(
    store: CentralStore, recipes: qa.RecipeCache, batch: str, user: str
) -> list[str]:
    """Why ``user`` may not release ``batch`` now (empty when nothing holds it)."""
    with store.read() as conn:
        state, events, note = _batch(conn, recipes, batch)
    if state is None:
        return [f"the batch cannot be rebuilt with its recipe on the server ({note})"]
    return rv.release_blockers(state, events, user)


def release(
    store: CentralStore, recipes: qa.RecipeCache, batch: str, user: qa.Reviewer, password: str
) -> Event:
    """Release the batch with QA's signature (``qa.released``); QaRefused names every reason."""
    reasons = release_reasons(store, recipes, batch, user.id)
    if reasons:
        raise QaRefused("release refused: " + "; ".join(reasons))

    def write(conn: Connection, signature: dict[str, Any]) -> Event:
        state, events, note = _batch(conn, recipes, batch)
        again = (
            rv.release_blockers(state, events, user.id)
            if state is not None
            else [f"the batch cannot be rebuilt ({note})"]
        )
        if again:
            raise QaRefused("release refused: " + "; ".join(again))
        event = chain.append(
            conn,
            "qa.released",
            {"state": RELEASED, "signature": signature},
            batch=batch,
            actor=f"u:{user.id}",
            reason="released for infusion in the QA portal",
        )
        conn.execute(
            update(schema.batches).where(schema.batches.c.batch == batch).values(status=RELEASED)
        )
        return event

    with store.read() as conn:
        records_now = {
            e.station + ":" + str(e.seq): e.hash for e in records.batch_events(conn, batch)
        }
    return _signed(
        store, user, password, "released", {"batch": batch, "records": records_now}, write
    )


# ---------------------------------------------------------------- deviations


def deviations(store: CentralStore, *, batch: str | None = None) -> list[dev.Deviation]:
    """Every deviation on the server (or of one batch), newest first."""
    stmt = select(*records.EVENT_COLUMNS).where(_E.c.type.in_(sorted(dev.TYPES)))
    if batch is not None:
        stmt = stmt.where(_E.c.batch == batch)
    with store.read() as conn:
        rows = conn.execute(stmt.order_by(_E.c.received_at, _E.c.station, _E.c.seq)).all()
    found: dict[str, dev.Deviation] = {}
    for row in rows:
        event = records.event_from_row(row)
        if damage(event) is None:
            dev.apply(found, event)
    return sorted(found.values(), key=lambda d: d.opened_ts, reverse=True)


def deviation(store: CentralStore, ident: str) -> dev.Deviation | None:
    return next((d for d in deviations(store) if d.id == ident), None)


def open_deviation(
    store: CentralStore,
    recipes: qa.RecipeCache,
    batch: str,
    user: qa.Reviewer,
    form: Mapping[str, str],
) -> Event:
    """QA opens a deviation from a review item of ``batch`` (``deviation.opened``)."""
    item_id = form.get("item", "").strip()
    try:
        grade = dev.check_classification(form.get("classification", ""))
        texts = dev.check_texts(form, required=("description",))
    except dev.DeviationError as exc:
        raise QaRefused(str(exc)) from exc
    with store.write() as conn:
        state, events, _note = _batch(conn, recipes, batch)
        listed = rv.items(state, history=events) if state else qa.items_from_events(events)
        if not any(i.id == item_id for i in listed):
            raise QaRefused(f"item: no review item {item_id!r} in batch {batch}")
        payload = {"id": dev.new_id(), "item": item_id, "classification": grade, **texts}
        return chain.append(conn, "deviation.opened", payload, batch=batch, actor=f"u:{user.id}")


def _open_one(store: CentralStore, ident: str) -> dev.Deviation:
    found = deviation(store, ident)
    if found is None:
        raise QaRefused(f"no deviation {ident}")
    if not found.is_open:
        raise QaRefused(f"deviation {ident} is closed")
    return found


def update_deviation(
    store: CentralStore, ident: str, user: qa.Reviewer, form: Mapping[str, str]
) -> Event | None:
    """Record the investigation, root cause, CAPA and impact (only the texts that changed);
    a new classification is a ``deviation.reclassified`` with its reason (QA only)."""
    found = _open_one(store, ident)
    try:
        texts = dev.check_texts(form)
        grade = dev.check_classification(form.get("classification") or found.classification)
    except dev.DeviationError as exc:
        raise QaRefused(str(exc)) from exc
    changed = {k: v for k, v in texts.items() if v != found.text(k)}
    why = form.get("reason", "").strip()
    if grade != found.classification and not why:
        raise QaRefused("reason: say why the deviation is reclassified")
    event = None
    with store.write() as conn:
        if changed:
            event = chain.append(
                conn,
                "deviation.updated",
                {"id": ident, **changed},
                batch=found.batch,
                actor=f"u:{user.id}",
            )
        if grade != found.classification:
            event = chain.append(
                conn,
                "deviation.reclassified",
                {"id": ident, "classification": grade},
                batch=found.batch,
                actor=f"u:{user.id}",
                reason=why,
            )
    return event


def close_problems(found: dev.Deviation) -> list[str]:
    """What a deviation still lacks before QA may close it."""
    return [f"{dev.LABELS[n].lower()}: required" for n in dev.FIELDS if not found.text(n)]


def close_deviation(store: CentralStore, ident: str, user: qa.Reviewer, password: str) -> Event:
    """QA closes the deviation with a signature (meaning "closed") bound to its content."""
    found = _open_one(store, ident)
    problems = close_problems(found)
    if problems:
        raise QaRefused(f"deviation {ident} cannot be closed yet: " + "; ".join(problems))
    content = {"id": ident, "classification": found.classification, **found.texts}

    def write(conn: Connection, signature: dict[str, Any]) -> Event:
        now = deviation(store, ident)
        if now is None or not now.is_open:
            raise QaRefused(f"deviation {ident} is closed")
        if (
            signed_hash({"id": ident, "classification": now.classification, **now.texts})
            != (signature["signed"])
        ):
            raise QaRefused("the deviation changed while you signed; reload the page")
        return chain.append(
            conn,
            "deviation.closed",
            {"id": ident, "signature": signature},
            batch=found.batch,
            actor=f"u:{user.id}",
        )

    return _signed(store, user, password, "closed", content, write)
