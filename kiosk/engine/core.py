"""The engine's core: reading batches from the log, the guard before every action, the commit.

Every step action goes through `_guard` (session, batch state, sequence, role,
pending sign-off), builds its events, and writes them with `_commit` in one
transaction, folding them into the cached `BatchState`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, TypeVar

from kiosk.auth import Auth, AuthError, Session, Signature
from kiosk.batch import FINAL_STATES, IN_PROGRESS, ON_HOLD, BatchState, StepRecord
from kiosk.engine.inputs import Credentials, Item, View, content_hash
from kiosk.engine.registry import kind_of, needs
from kiosk.entries import ActionRefused, fmt_limits, outside
from kiosk.masterdata import MasterData
from kiosk.orders import StationOrder
from kiosk.recipe import (
    CalcStep,
    CaptureStep,
    EntryStep,
    LoadedRecipe,
    PendingResultStep,
    StepBase,
    WeighStep,
)
from kiosk.roles import PERMISSIONS
from kiosk.text import Text, message_of
from local_store import Event, EventStore, StoreError

S = TypeVar("S", bound=StepBase)


# a step done but not yet signed off: what it waits for
WAITING_FOR: dict[str, Callable[[str | None], Text]] = {
    "witness": lambda key: Text("step {step_key} is waiting for a witness", step_key=key),
    "signature": lambda key: Text("step {step_key} is waiting for a signature", step_key=key),
}


class EngineCore:
    """Runs batches from master recipes, writing every decision to the log."""

    def __init__(
        self,
        store: EventStore,
        auth: Auth,
        recipes: Mapping[str, LoadedRecipe],
        clock: Callable[[], datetime],
        *,
        masterdata: MasterData | None = None,
        rooms: frozenset[str] | None = None,
        owner_of: Callable[[str], str | None] | None = None,
        bound_elsewhere: Callable[[str, str], str | None] | None = None,
    ) -> None:
        """`rooms`: the rooms this station stands in (None: every room). `owner_of(batch)`:
        the station that owns a batch, None when unknown (offline): this station may act on
        a batch it has. By default this station owns every batch it has. `bound_elsewhere(kind,
        value)`: the batch a collection DIN (``din``) or an order ID (``order``) is bound to
        already, fleet-wide when the station is online (the server decides); by default what this
        station's own record knows.
        """
        self.store = store
        self.rooms = rooms
        self.owner_of: Callable[[str], str | None] = owner_of or (lambda _batch: store.station)
        self.bound_elsewhere: Callable[[str, str], str | None] = bound_elsewhere or (
            lambda kind, value: bound_here(store, kind, value)
        )
        self.auth = auth
        self.recipes: dict[str, LoadedRecipe] = {}  # id -> the version new batches start from
        self._versions: dict[tuple[str, int], LoadedRecipe] = {}  # every version loaded
        for loaded in recipes.values():
            self.add_recipe(loaded)
        self.clock = clock
        self.masterdata = masterdata or MasterData(store, clock)
        self._batches: dict[str, BatchState] = {}
        # the pulled orders (kiosk.sync.SyncState.orders); the demo's when there is no server
        self.order_source: Callable[[], Mapping[str, StationOrder]] = dict

    def open_orders(self, recipe_id: str) -> list[StationOrder]:
        """Orders a batch of ``recipe_id`` may start from: open and not bound to a batch."""
        return sorted(
            (
                o
                for o in self.order_source().values()
                if o.status == "open"
                and o.recipe == recipe_id
                and self.bound_elsewhere("order", o.order_id) is None
            ),
            key=lambda o: (str(o.data.get("due", "")), o.order_id),
        )

    def add_recipe(self, loaded: LoadedRecipe) -> None:
        """Make a recipe version available; new batches start from the newest effective one.

        Older versions stay loaded so batches started on them can carry on.
        """
        recipe = loaded.recipe
        self._versions[(recipe.id, recipe.version)] = loaded
        current = self.recipes.get(recipe.id)
        if current is None:
            self.recipes[recipe.id] = loaded
            return
        newer = recipe.version > current.recipe.version
        replaces = newer or current.recipe.status != "effective"
        if recipe.status == "effective" and replaces:
            self.recipes[recipe.id] = loaded

    # ------------------------------------------------------------ reading

    def batch(self, batch_id: str) -> BatchState:
        """The batch's state, rebuilt from the log the first time it is asked for."""
        if batch_id not in self._batches:
            self._batches[batch_id] = self._rebuild(batch_id)
        return self._batches[batch_id]

    def forget(self, batch_id: str) -> None:
        """Drop the cached state: the next read rebuilds it from the log (after events of other
        stations were taken in, at a claim)."""
        self._batches.pop(batch_id, None)

    def _rebuild(self, batch_id: str) -> BatchState:
        events = self.history(batch_id)
        first = next(events, None)
        if first is None or first.type != "batch.started":
            raise ActionRefused(Text("no batch {batch_id!r} on this station", batch_id=batch_id))
        p = first.payload
        loaded = self._versions.get((p["recipe_id"], p["recipe_version"]))
        if loaded is None:
            raise ActionRefused(
                Text(
                    "batch {batch_id} needs recipe {recipe_id} v{recipe_version}, which is not"
                    " loaded",
                    batch_id=batch_id,
                    recipe_id=p["recipe_id"],
                    recipe_version=p["recipe_version"],
                )
            )
        if loaded.sha256 != p["recipe_sha256"]:
            raise ActionRefused(
                Text(
                    "recipe {recipe_id} changed since batch {batch_id} started",
                    recipe_id=p["recipe_id"],
                    batch_id=batch_id,
                )
            )
        state = BatchState(
            id=batch_id,
            recipe=loaded.recipe,
            recipe_sha256=loaded.sha256,
            context=dict(p["context"]),
            started_ts=first.ts,
        )
        state.apply(first)
        for event in events:
            state.apply(event)
        return state

    def batch_ids(self) -> list[str]:
        return [b.batch for b in self.store.batches()]

    def history(self, batch_id: str) -> Iterator[Event]:
        """The batch's events from every station's chain held here, in ownership order."""
        return iter(self.store.batch_history(batch_id))

    def view(self, batch_id: str) -> View:
        state = self.batch(batch_id)
        waiting = None
        if state.pending is not None and state.step is not None:
            waiting = self._missing_signoff(state, state.step, state.pending)
        preview = None
        kind = kind_of(state.step)
        if kind is not None and kind.preview is not None and state.state == IN_PROGRESS:
            try:
                preview = kind.preview(self, state)
            except ActionRefused as exc:
                preview = {"error": str(exc)}
        return View(
            batch=batch_id,
            state=state.state,
            stage=state.stage,
            iteration=state.iteration,
            step=state.step,
            key=state.step_key,
            waiting_for=waiting,
            timer_started=state.timer_started,
            identifiers=state.identifiers,
            open_exceptions=state.open_exceptions(),
            preview=preview,
            room=state.stage.room if state.stage is not None else None,
            room_ok=self._room_problem(state) is None,
            held_by=self.held_by(batch_id),
        )

    # ------------------------------------------------------------ where the batch may be worked on

    def held_by(self, batch_id: str) -> str | None:
        """The other station that owns the batch (it is read-only here), or None."""
        owner = self.owner_of(batch_id)
        return None if owner is None or owner == self.store.station else owner

    def read_only(self, batch_id: str) -> bool:
        """True when another station owns the batch: it can be viewed here, not acted on."""
        return self.held_by(batch_id) is not None

    def _may_write(self, state: BatchState) -> None:
        """Refuse any action on a batch another station owns (nothing is written)."""
        owner = self.held_by(state.id)
        if owner is not None:
            raise ActionRefused(
                Text(
                    "Batch {id} is held by station {owner}; claim it here first.",
                    id=state.id,
                    owner=owner,
                )
            )

    def _room_problem(self, state: BatchState) -> str | None:
        """Why the current stage cannot be worked on at this station, or None."""
        stage = state.stage
        if self.rooms is None or stage is None or stage.room is None or stage.room in self.rooms:
            return None
        here = " and ".join(f"'{room}'" for room in sorted(self.rooms))
        return (
            f"Stage '{stage.title or stage.id}' runs in room '{stage.room}'; "
            f"this station is in {here}. Hand the batch over to a station in that room."
        )

    def _in_room(self, state: BatchState) -> None:
        problem = self._room_problem(state)
        if problem is not None:
            raise ActionRefused(problem)

    # ------------------------------------------------------------ writing

    def _commit(self, state: BatchState, items: list[Item]) -> list[Event]:
        """Write events for one action atomically and fold them into the state."""
        try:
            events = self.store.append_many([(t, p, a, state.id, r) for t, p, a, r in items])
        except StoreError:
            self._batches.pop(state.id, None)
            raise
        for event in events:
            state.apply(event)
        return events

    def _refuse(
        self,
        state: BatchState | None,
        session: Session,
        action: str,
        why: Text | str,
        step: str | None = None,
    ) -> ActionRefused:
        """Log a refusal that matters for the record and return the error to raise."""
        payload = {"action": action, "step": step, "reason": str(why)}
        self.store.append(
            "action.refused", payload, actor=session.actor, batch=state.id if state else None
        )
        if state is not None:
            state.events += 1
        return ActionRefused(why)

    # ------------------------------------------------------------ guards

    def _session_ok(self, session: Session) -> None:
        """Refuse work in a locked or expired session (inactivity lock)."""
        try:
            self.auth.check_session(session)
        except AuthError as exc:
            raise ActionRefused(message_of(exc)) from exc

    def _in_progress(self, state: BatchState) -> None:
        """Refuse step work on a batch that is held, aborted, completed or released."""
        if state.state in FINAL_STATES:
            raise ActionRefused(
                Text(
                    "batch {id} is {state}: no more actions",
                    id=state.id,
                    state=state.state.replace("_", " "),
                )
            )
        if state.state == ON_HOLD:
            blocking = state.open_exceptions()
            if blocking:
                raise ActionRefused(
                    Text(
                        "batch is on hold: {message} — a supervisor must acknowledge it",
                        message=blocking[0].message,
                    )
                )
            raise ActionRefused(Text("batch is on hold: a supervisor must resume it"))

    def _guard(
        self, session: Session, batch_id: str, step: str | None, action: str = "step.perform"
    ) -> BatchState:
        """Common checks before any step action: session, batch state, sequence, role."""
        self._session_ok(session)
        state = self.batch(batch_id)
        self._may_write(state)
        self._in_progress(state)
        if step is not None and step != state.step_key:
            raise self._refuse(
                state,
                session,
                action,
                Text("out of order: the current step is {step_key}", step_key=state.step_key),
                step,
            )
        self._in_room(state)
        current = state.step
        if current is None:
            raise ActionRefused(Text("the batch has no step waiting"))
        if not (PERMISSIONS[action] & session.user.roles & set(current.roles)):
            raise self._refuse(
                state,
                session,
                action,
                Text(
                    "{name} may not perform this step (needs {roles})",
                    name=session.user.name,
                    roles=", ".join(current.roles),
                ),
                state.step_key,
            )
        if state.pending is not None:
            raise ActionRefused(
                WAITING_FOR[self._missing_signoff(state, current, state.pending) or "signature"](
                    state.step_key
                )
            )
        return state

    @staticmethod
    def _current(state: BatchState, kind: type[S], given: Text) -> S:
        """The current step when it is of `kind`; otherwise say what it needs instead."""
        current = state.step
        if not isinstance(current, kind):
            raise ActionRefused(
                Text(
                    "step {step_key} needs {needs}, not {given}",
                    step_key=state.step_key,
                    needs=needs(current),
                    given=given,
                )
            )
        return current

    def _missing_signoff(
        self, state: BatchState, step: StepBase, record: StepRecord | None
    ) -> str | None:
        if record is None:
            return None
        # overrides are signatures too, but never count as the step's witness or sign-off
        meanings = [
            s["meaning"] for s in record.signatures if s.get("purpose") in ("witness", "signoff")
        ]
        if step.witness and "witnessed" not in meanings:
            return "witness"
        if step.sign is not None and step.sign.meaning not in meanings:
            return "signature"
        return None

    # ------------------------------------------------------------ exceptions and signatures

    def _exception(
        self,
        category: str,
        severity: str,
        blocking: bool,
        step: str | None,
        message: Text | str,
        values: Mapping[str, Any],
    ) -> dict[str, Any]:
        return {
            "id": f"X-{uuid.uuid4().hex[:8].upper()}",
            "category": category,
            "severity": severity,
            "blocking": blocking,
            "step": step,
            "message": str(message),
            "values": dict(values),
        }

    def _limit_exceptions(
        self,
        state: BatchState,
        step: EntryStep | WeighStep | CalcStep | CaptureStep | PendingResultStep,
        value: float,
        unit: str | None,
    ) -> list[dict[str, Any]]:
        """An exception for a value outside its action limits, or else its alert limits."""
        label = step.title or step.id
        key = state.step_key
        shown = f"{value:g}{' ' + unit if unit else ''}"
        if outside(value, step.action):
            category = "cpp_cqa" if step.critical else "value"
            return [
                self._exception(
                    category,
                    "critical",
                    True,
                    key,
                    Text(
                        "{label} {shown} is outside the action limits {limits}",
                        label=label,
                        shown=shown,
                        limits=fmt_limits(step.action, unit),
                    ),
                    {
                        "value": value,
                        "unit": unit,
                        "action": step.action,
                        "critical": step.critical,
                    },
                )
            ]
        if outside(value, step.alert):
            category = "value"
            return [
                self._exception(
                    category,
                    "minor",
                    False,
                    key,
                    Text(
                        "{label} {shown} is outside the alert limits {limits}",
                        label=label,
                        shown=shown,
                        limits=fmt_limits(step.alert, unit),
                    ),
                    {"value": value, "unit": unit, "alert": step.alert, "critical": step.critical},
                )
            ]
        return []

    def _signature(
        self,
        session: Session,
        creds: Credentials,
        *,
        meaning: str,
        signed: str,
        action: str,
        roles: list[str] | None,
        not_by: list[str],
        own: bool = True,
    ) -> Signature:
        try:
            return self.auth.sign(
                session=session if own else None,
                user_id=creds.user_id,
                password=creds.password,
                meaning=meaning,
                signed=signed,
                action=action,
                roles=roles,
                not_by=not_by,
            )
        except AuthError as exc:
            raise ActionRefused(message_of(exc)) from exc

    def _override(
        self,
        session: Session,
        state: BatchState,
        supervisor: Credentials,
        reason: str | None,
        content: Mapping[str, Any],
    ) -> Signature:
        """A supervisor's approval of a deviation from the normal path, with a reason."""
        if not (reason and reason.strip()):
            raise ActionRefused(Text("an override needs a reason"))
        try:
            return self.auth.sign(
                session=None,
                user_id=supervisor.user_id,
                password=supervisor.password,
                meaning="approved",
                signed=content_hash({"step": state.step_key, "reason": reason, **content}),
                action="override.approve",
                not_by=[session.user.id],
            )
        except AuthError as exc:
            raise ActionRefused(message_of(exc)) from exc


def bound_here(store: EventStore, kind: str, value: str) -> str | None:
    """The batch in this station's file (own or taken-over events) that bound ``value`` as a
    DIN (``din``) or an order ID (``order``), or None."""
    if kind == "din":
        for event in store.events(types=("identity.bound",)):
            if event.payload.get("din") == value:
                return event.batch
        for event in store.foreign_events(types=("identity.bound",)):
            if event.payload.get("din") == value:
                return event.batch
        return None
    for event in store.events(types=("batch.started",)):
        context = event.payload.get("context")
        if isinstance(context, dict) and context.get("order_id") == value:
            return event.batch
    return None
