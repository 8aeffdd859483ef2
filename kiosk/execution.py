"""Batch execution engine: a state machine over the event log (no Qt).

Every user intent (confirm, enter, scan, weigh, sign...) goes through `Engine`.
The engine checks it against the current step at the moment of entry (sequence,
role, type, unit, decimals, limits, identity, witness, signatures, timer
window), then writes the resulting events in one transaction. A batch's state
(`BatchState`) is a projection: `BatchState.apply` folds events into it and
`Engine.batch()` rebuilds it from the log, so what the screen shows is always
what the record says.

Refusals raise `ActionRefused` with an operator-readable message; the ones that
matter for the record (out of order, wrong person, wrong bag) are logged too.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import math
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk import review
from kiosk.auth import Auth, AuthError, Session, Signature
from kiosk.batch import (
    ABORTED,
    COMPLETED,
    FINAL_STATES,
    IN_PROGRESS,
    ON_HOLD,
    RELEASED,
    BatchState,
    ExceptionRecord,
    StepRecord,
    iso,
    step_key,
)
from kiosk.entries import ActionRefused, fmt_limits, outside, parse_moment, parse_number
from kiosk.expressions import ExpressionError, Value, parse
from kiosk.identity import CoiId, Din, LabelError, parse_din_keyboard, parse_gs1, parse_label
from kiosk.masterdata import MasterData
from kiosk.recipe import (
    CalcStep,
    CheckStep,
    EntryStep,
    InstructionStep,
    LabelPrintStep,
    LoadedRecipe,
    Recipe,
    ScanStep,
    SignatureStep,
    Stage,
    StepBase,
    TimerStep,
    WeighStep,
)
from kiosk.roles import PERMISSIONS
from kiosk.units import Quantity, Unit, UnitError
from local_store import Event, EventStore, StoreError, canonical_json

__all__ = [
    "ActionRefused",
    "BatchState",
    "Credentials",
    "Engine",
    "ExceptionRecord",
    "Reading",
    "StepRecord",
    "View",
    "step_key",
]

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Reading:
    """A balance reading as a device driver delivers it."""

    value: float
    unit: str
    stable: bool
    device: str  # the balance's own serial number


@dataclass(frozen=True)
class Credentials:
    """What a second person types into the signature dialog."""

    user_id: str | None
    password: str


@dataclass(frozen=True)
class View:
    """What a screen needs to show for the current step."""

    batch: str
    state: str
    stage: Stage | None
    iteration: int
    step: StepBase | None
    key: str | None
    waiting_for: str | None  # None, "witness", "signature"
    timer_started: str | None
    identifiers: dict[str, str]
    open_exceptions: list[ExceptionRecord]
    preview: Any = None  # calc steps: the value that will be recorded, with inputs


# ---------------------------------------------------------------- engine


class Engine:
    """Runs batches from master recipes, writing every decision to the log."""

    def __init__(
        self,
        store: EventStore,
        auth: Auth,
        recipes: Mapping[str, LoadedRecipe],
        clock: Callable[[], datetime],
        *,
        masterdata: MasterData | None = None,
    ) -> None:
        self.store = store
        self.auth = auth
        self.recipes: dict[str, LoadedRecipe] = {}  # id -> the version new batches start from
        self._versions: dict[tuple[str, int], LoadedRecipe] = {}  # every version loaded
        for loaded in recipes.values():
            self.add_recipe(loaded)
        self.clock = clock
        self.masterdata = masterdata or MasterData(store, clock)
        self._batches: dict[str, BatchState] = {}

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

    def _rebuild(self, batch_id: str) -> BatchState:
        events = self.store.events(batch=batch_id)
        first = next(events, None)
        if first is None or first.type != "batch.started":
            raise ActionRefused(f"no batch {batch_id!r} on this station")
        p = first.payload
        loaded = self._versions.get((p["recipe_id"], p["recipe_version"]))
        if loaded is None:
            raise ActionRefused(
                f"batch {batch_id} needs recipe {p['recipe_id']} v{p['recipe_version']}, "
                "which is not loaded"
            )
        if loaded.sha256 != p["recipe_sha256"]:
            raise ActionRefused(f"recipe {p['recipe_id']} changed since batch {batch_id} started")
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

    def view(self, batch_id: str) -> View:
        state = self.batch(batch_id)
        waiting = None
        if state.pending is not None and state.step is not None:
            waiting = self._missing_signoff(state, state.step, state.pending)
        preview = None
        if isinstance(state.step, CalcStep) and state.state == IN_PROGRESS:
            try:
                preview = self._calculate(state, state.step)
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
        )

    # ------------------------------------------------------------ writing

    def _commit(
        self, state: BatchState, items: list[tuple[str, dict[str, Any], str, str | None]]
    ) -> list[Event]:
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
        why: str,
        step: str | None = None,
    ) -> ActionRefused:
        """Log a refusal that matters for the record and return the error to raise."""
        payload = {"action": action, "step": step, "reason": why}
        self.store.append(
            "action.refused", payload, actor=session.actor, batch=state.id if state else None
        )
        if state is not None:
            state.events += 1
        return ActionRefused(why)

    def _session_ok(self, session: Session) -> None:
        """Refuse work in a locked or expired session (inactivity lock)."""
        try:
            self.auth.check_session(session)
        except AuthError as exc:
            raise ActionRefused(str(exc)) from exc

    def _in_progress(self, state: BatchState) -> None:
        """Refuse step work on a batch that is held, aborted, completed or released."""
        if state.state in FINAL_STATES:
            raise ActionRefused(
                f"batch {state.id} is {state.state.replace('_', ' ')}: no more actions"
            )
        if state.state == ON_HOLD:
            blocking = state.open_exceptions()
            if blocking:
                raise ActionRefused(
                    f"batch is on hold: {blocking[0].message} — a supervisor must acknowledge it"
                )
            raise ActionRefused("batch is on hold: a supervisor must resume it")

    def _guard(
        self, session: Session, batch_id: str, step: str | None, action: str = "step.perform"
    ) -> BatchState:
        """Common checks before any step action: session, batch state, sequence, role."""
        self._session_ok(session)
        state = self.batch(batch_id)
        self._in_progress(state)
        if step is not None and step != state.step_key:
            raise self._refuse(
                state, session, action, f"out of order: the current step is {state.step_key}", step
            )
        current = state.step
        if current is None:
            raise ActionRefused("the batch has no step waiting")
        if not (PERMISSIONS[action] & session.user.roles & set(current.roles)):
            raise self._refuse(
                state,
                session,
                action,
                f"{session.user.name} may not perform this step (needs {', '.join(current.roles)})",
                state.step_key,
            )
        if state.pending is not None:
            raise ActionRefused(
                f"step {state.step_key} is waiting for a "
                f"{self._missing_signoff(state, current, state.pending)}"
            )
        return state

    # ------------------------------------------------------------ starting

    def start_batch(
        self,
        session: Session,
        recipe_id: str,
        context: Mapping[str, Any],
        *,
        batch_id: str | None = None,
    ) -> str:
        self._session_ok(session)
        if not PERMISSIONS["batch.start"] & session.user.roles:
            raise ActionRefused(f"{session.user.name} may not start a batch")
        loaded = self.recipes.get(recipe_id)
        if loaded is None:
            raise ActionRefused(f"no recipe {recipe_id!r} on this station")
        recipe = loaded.recipe
        if recipe.status != "effective":
            raise ActionRefused(
                f"recipe {recipe_id} v{recipe.version} is {recipe.status}, not effective"
            )
        clean = self._check_context(recipe, context)
        batch_id = batch_id or f"B-{self.clock():%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"
        if any(b.batch == batch_id for b in self.store.batches()):
            raise ActionRefused(f"batch {batch_id} exists already")
        started = {
            "recipe_id": recipe.id,
            "recipe_version": recipe.version,
            "recipe_sha256": loaded.sha256,
            "recipe_title": recipe.title,
            "context": clean,
            "station": self.store.station,
        }
        state = BatchState(id=batch_id, recipe=recipe, recipe_sha256=loaded.sha256, context=clean)
        items: list[tuple[str, dict[str, Any], str, str | None]] = [
            ("batch.started", started, session.actor, None)
        ]
        scratch = state.clone()
        scratch.apply(_provisional("batch.started", started, session.actor))
        items += self._advance(scratch, session.actor, start=0)
        events = self._commit(state, items)
        state.started_ts = events[0].ts
        self._batches[batch_id] = state
        return batch_id

    def _check_context(self, recipe: Recipe, context: Mapping[str, Any]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for name, spec in recipe.context.items():
            label = spec.label or name
            if name not in context or context[name] in (None, ""):
                raise ActionRefused(f"{label} is required to start the batch")
            raw = context[name]
            if spec.kind == "number":
                number = parse_number(raw, label, spec.decimals)
                if outside(number, spec.range):
                    raise ActionRefused(f"{label} must be {fmt_limits(spec.range, spec.unit)}")
                clean[name] = number
            elif spec.kind == "choice":
                if str(raw) not in (spec.choices or []):
                    raise ActionRefused(f"{label} must be one of {', '.join(spec.choices or [])}")
                clean[name] = str(raw)
            elif spec.kind == "date":
                clean[name] = iso(parse_moment(raw, label))
            else:
                clean[name] = str(raw).strip()
        unknown = sorted(set(context) - set(recipe.context))
        if unknown:
            raise ActionRefused(f"unknown batch field {unknown[0]!r}")
        return clean

    # ------------------------------------------------------------ moving on

    def _advance(
        self,
        state: BatchState,
        actor: str,
        start: int | None = None,
        end_state: dict[str, Any] | None = None,
    ) -> list[tuple[str, dict[str, Any], str, str | None]]:
        """Events that move the cursor to the next step that applies.

        Called on a scratch copy after the current step completed; evaluates repeat
        `until` and `when` conditions from the values recorded so far.
        """
        items: list[tuple[str, dict[str, Any], str, str | None]] = []

        def emit(type_: str, payload: dict[str, Any], reason: str | None = None) -> None:
            items.append((type_, payload, actor, reason))
            state.apply(_provisional(type_, payload, actor))

        if start is not None:
            emit("stage.started", {"stage": state.recipe.stages[start].id, "iteration": 1})
        for _ in range(10_000):
            stage = state.stage
            if stage is None:
                return items
            applies, why = True, ""
            if state.step_index == 0 and stage.when:
                applies, why = self._condition(state, stage.when)
            if not applies:
                for skipped in stage.steps:  # skip the whole stage
                    emit(
                        "step.skipped",
                        {"step": step_key(stage, state.iteration, skipped.id), "reason": why},
                    )
                continue
            step = state.step
            if step is None:
                # end of stage: repeat or go on
                if stage.repeat is not None:
                    done, _ = self._condition(state, stage.repeat.until)
                    limit = stage.repeat.max or 1
                    if not done and state.iteration < limit:
                        emit("stage.started", {"stage": stage.id, "iteration": state.iteration + 1})
                        continue
                    if not done:
                        emit(
                            "exception.raised",
                            self._exception(
                                "process",
                                "major",
                                False,
                                None,
                                f"{stage.title or stage.id} reached its maximum of {limit} "
                                f"without meeting '{stage.repeat.until}'",
                                {"iterations": state.iteration},
                            ),
                        )
                nxt = state.stage_index + 1
                if nxt >= len(state.recipe.stages):
                    emit("batch.state", end_state or {"state": COMPLETED})
                    return items
                emit("stage.started", {"stage": state.recipe.stages[nxt].id, "iteration": 1})
                continue
            applies, why = self._condition(state, step.when) if step.when else (True, "")
            if not applies:
                emit("step.skipped", {"step": state.step_key, "reason": why})
                continue
            return items
        raise ActionRefused(
            "the recipe does not move on: check its repeat conditions"
        )  # pragma: no cover

    def _condition(self, state: BatchState, text: str) -> tuple[bool, str]:
        """Evaluate a `when` or `until` condition; (result, reason for the record).

        A condition that needs a value no step has recorded (its step was skipped by
        its own condition) is false, and the reason says which value was missing.
        """
        expr = parse(text)
        names = state.namespace()
        try:
            return expr.evaluate_bool(names, now=self.clock()), f"condition false: {text}"
        except ExpressionError as exc:
            missing = sorted(expr.names - names.keys())
            if missing:
                return False, f"no value recorded for {', '.join(missing)}: {text}"
            raise ActionRefused(f"cannot evaluate '{text}': {exc}") from exc

    def _exception(
        self,
        category: str,
        severity: str,
        blocking: bool,
        step: str | None,
        message: str,
        values: Mapping[str, Any],
    ) -> dict[str, Any]:
        return {
            "id": f"X-{uuid.uuid4().hex[:8].upper()}",
            "category": category,
            "severity": severity,
            "blocking": blocking,
            "step": step,
            "message": message,
            "values": dict(values),
        }

    def _finish(
        self,
        state: BatchState,
        session: Session,
        payload: dict[str, Any],
        *,
        exceptions: list[dict[str, Any]] | None = None,
        extra: list[tuple[str, dict[str, Any], str, str | None]] | None = None,
        signatures: list[Signature] | None = None,
        purpose: str = "override",
        end_state: dict[str, Any] | None = None,
    ) -> list[Event]:
        """Record the current step's value, its exceptions, and move on when nothing is missing."""
        stage, step = state.stage, state.step
        assert stage is not None
        assert step is not None
        key = state.step_key
        payload = {
            "step": key,
            "step_id": step.id,
            "stage": stage.id,
            "iteration": state.iteration,
            "kind": step.kind,
            "name": step.name if step.records_value else None,
            "critical": step.critical,
            **payload,
        }
        actor = session.actor
        items: list[tuple[str, dict[str, Any], str, str | None]] = list(extra or [])
        items.append(("step.recorded", payload, actor, None))
        scratch = state.clone()
        for t, p, a, _ in items:
            scratch.apply(_provisional(t, p, a))
        for exc in exceptions or []:
            items.append(("exception.raised", exc, actor, None))
            scratch.apply(_provisional("exception.raised", exc, actor))
        for sig in signatures or []:
            sp = {"step": key, "purpose": purpose, **sig.to_payload()}
            items.append(("signature.applied", sp, f"u:{sig.user}", None))
            scratch.apply(_provisional("signature.applied", sp, f"u:{sig.user}"))
        if any(e["blocking"] for e in exceptions or []):
            items.append(("batch.state", {"state": ON_HOLD}, "system", None))
        elif self._missing_signoff(scratch, step, scratch.pending) is None:
            items += self._complete(scratch, actor, end_state)
        return self._commit(state, items)

    def _complete(
        self, scratch: BatchState, actor: str, end_state: dict[str, Any] | None = None
    ) -> list[tuple[str, dict[str, Any], str, str | None]]:
        key = scratch.step_key
        items: list[tuple[str, dict[str, Any], str, str | None]] = [
            ("step.completed", {"step": key}, actor, None)
        ]
        scratch.apply(_provisional("step.completed", {"step": key}, actor))
        return items + self._advance(scratch, actor, end_state=end_state)

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

    # ------------------------------------------------------------ step actions

    def confirm(self, session: Session, batch_id: str, *, step: str | None = None) -> None:
        """Instruction read and done; or a calculated value accepted."""
        state = self._guard(session, batch_id, step)
        current = state.step
        if isinstance(current, InstructionStep):
            self._finish(state, session, {"value": None, "confirmed": True})
        elif isinstance(current, CalcStep):
            result = self._calculate(state, current)
            self._finish(
                state,
                session,
                result,
                exceptions=self._limit_exceptions(state, current, result["value"], current.unit),
            )
        else:
            raise ActionRefused(
                f"step {state.step_key} needs {_needs(current)}, not a confirmation"
            )

    def check(
        self,
        session: Session,
        batch_id: str,
        result: str,
        *,
        comment: str | None = None,
        step: str | None = None,
    ) -> None:
        state = self._guard(session, batch_id, step)
        current = state.step
        if not isinstance(current, CheckStep):
            raise ActionRefused(f"step {state.step_key} needs {_needs(current)}, not pass/fail")
        if result not in ("pass", "fail", "na"):
            raise ActionRefused("choose pass, fail or N.A.")
        if result == "na" and not current.allow_na:
            raise ActionRefused("N.A. is not allowed for this check")
        if result in ("fail", "na") and not (comment and comment.strip()):
            raise ActionRefused("say why: a comment is required for fail or N.A.")
        excs = []
        if result == "fail":
            excs.append(
                self._exception(
                    "check_failed",
                    "major",
                    current.fail_blocks,
                    state.step_key,
                    f"check failed: {current.title or current.id}",
                    {"comment": comment},
                )
            )
        elif result == "na":
            excs.append(
                self._exception(
                    "process",
                    "minor",
                    False,
                    state.step_key,
                    f"marked N.A.: {current.title or current.id}",
                    {"comment": comment},
                )
            )
        self._finish(state, session, {"value": result, "comment": comment}, exceptions=excs)

    def enter(
        self,
        session: Session,
        batch_id: str,
        value: Any,
        *,
        step: str | None = None,
        comment: str | None = None,
    ) -> None:
        """A typed value: number (with the step's unit and decimals), text, choice or date."""
        state = self._guard(session, batch_id, step)
        current = state.step
        if not isinstance(current, EntryStep):
            raise ActionRefused(f"step {state.step_key} needs {_needs(current)}, not a typed value")
        recorded, excs = self._typed_value(state, current, value, state.step_key)
        payload = {
            "value": recorded,
            "unit": current.unit,
            "type": current.type,
            "decimals": current.decimals,
            "limits": {"alert": current.alert, "action": current.action, "range": current.range},
            "comment": comment,
        }
        self._finish(state, session, payload, exceptions=excs)

    def _typed_value(
        self, state: BatchState, step: EntryStep, value: Any, key: str | None
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Check a typed value against its entry step; the value to record and its exceptions.

        Shared by first entry and correction, so a corrected value meets every check
        the original did.
        """
        label = step.title or step.id
        if step.type == "number":
            number = parse_number(value, label, step.decimals)
            if outside(number, step.range):
                raise ActionRefused(
                    f"{label}: {number:g} is not possible here "
                    f"({fmt_limits(step.range, step.unit)}) — check and re-enter"
                )
            excs = self._limit_exceptions(state, step, number, step.unit)
            for exc in excs:
                exc["step"] = key
            return number, excs
        if step.type == "choice":
            if str(value) not in (step.choices or []):
                raise ActionRefused(f"{label}: choose one of {', '.join(step.choices or [])}")
            chosen = str(value)
            if step.expected is not None and chosen != step.expected:
                return chosen, [
                    self._exception(
                        "cpp_cqa" if step.critical else "process",
                        "critical" if step.critical else "major",
                        True,
                        key,
                        f"{label}: {chosen}, expected {step.expected}",
                        {"value": chosen, "expected": step.expected},
                    )
                ]
            return chosen, []
        if step.type == "date":
            moment = parse_moment(value, label)
            if moment > self.clock() + timedelta(minutes=5):
                raise ActionRefused(f"{label}: that time is in the future")
            return iso(moment), []
        text = str(value).strip()
        if not text:
            raise ActionRefused(f"{label}: enter a value")
        return text, []

    def scan(
        self,
        session: Session,
        batch_id: str,
        text: str,
        *,
        step: str | None = None,
        keyed: bool = False,
    ) -> None:
        """A barcode read (or a DIN typed with its check character when keyed=True)."""
        state = self._guard(session, batch_id, step)
        current = state.step
        if not isinstance(current, ScanStep):
            raise ActionRefused(f"step {state.step_key} needs {_needs(current)}, not a scan")
        key = state.step_key
        extra: list[tuple[str, dict[str, Any], str, str | None]] = []
        excs: list[dict[str, Any]] = []
        try:
            if current.expect == "isbt128.din":
                label = None if keyed else parse_label(text)
                found = parse_din_keyboard(text) if label is None else label.find(Din)
                if found is None:
                    raise LabelError("this label has no DIN — scan the DIN barcode on the bag")
                din = found
                value: Any = din.din
                payload: dict[str, Any] = {"value": din.din, "flags": din.flags, "keyed": keyed}
                identity = ("din", din.din)
                coi_on_label = label.find(CoiId) if label is not None else None
                if coi_on_label is not None:
                    payload["coi"] = coi_on_label.coi
                    bound_coi = state.coi
                    if current.match == "din" and bound_coi and coi_on_label.coi != bound_coi:
                        msg = (
                            f"wrong bag: scanned CoI {coi_on_label.coi}, "
                            f"this batch is CoI {bound_coi}"
                        )
                        raise self._refuse_with_exception(
                            state,
                            session,
                            key,
                            "identity",
                            msg,
                            {"scanned": coi_on_label.coi, "expected": bound_coi},
                            blocking=True,
                        )
                    if current.binds == "din" and not bound_coi:
                        extra.append(
                            (
                                "identity.bound",
                                {"coi": coi_on_label.coi, "step": key},
                                session.actor,
                                None,
                            )
                        )
            elif current.expect == "isbt128.coi":
                coi = parse_label(text).find(CoiId)
                if coi is None:
                    raise LabelError("this label has no chain-of-identity code — scan the CoI")
                value = coi.coi
                payload = {"value": coi.coi}
                identity = ("coi", coi.coi)
            elif current.expect == "gs1.material":
                gs1 = parse_gs1(text)
                if not gs1.lot or not gs1.expiry:
                    raise LabelError("material label has no lot or no expiry — scan the GS1 code")
                value = gs1.lot
                payload = {
                    "value": gs1.lot,
                    "gtin": gs1.gtin,
                    "lot": gs1.lot,
                    "expiry": gs1.expiry.isoformat(),
                    "serial": gs1.serial,
                    "material": current.material,
                }
                identity = ("", "")
                problem = self.masterdata.lot_problem(gs1.gtin, gs1.lot, gs1.expiry)
                if problem:
                    msg = f"{problem} — do not use it"
                    raise self._refuse_with_exception(
                        state,
                        session,
                        key,
                        "resource",
                        msg,
                        {"lot": gs1.lot, "expiry": gs1.expiry.isoformat()},
                    )
                lot_record = self.masterdata.lots[(gs1.gtin or "", gs1.lot)]
                extra.append(
                    (
                        "material.used",
                        {
                            "step": key,
                            "material": lot_record.material,
                            "role": current.material,
                            "gtin": gs1.gtin,
                            "lot": gs1.lot,
                            "expiry": gs1.expiry.isoformat(),
                        },
                        session.actor,
                        None,
                    )
                )
            else:
                value = text.strip()
                if not value:
                    raise LabelError("nothing was read — scan again")
                payload = {"value": value}
                identity = ("", "")
        except LabelError as exc:
            raise ActionRefused(str(exc)) from exc
        kind, ident = identity
        if current.match and kind == current.match:
            bound = state.din if kind == "din" else state.coi
            if bound != ident:
                what = kind.upper()
                msg = f"wrong bag: scanned {what} {ident}, this batch is {what} {bound}"
                raise self._refuse_with_exception(
                    state,
                    session,
                    key,
                    "identity",
                    msg,
                    {"scanned": ident, "expected": bound},
                    blocking=True,
                )
        if current.binds and kind == current.binds:
            extra.append(("identity.bound", {kind: ident, "step": key}, session.actor, None))
        payload.update({"expect": current.expect})
        payload["value"] = value
        self._finish(state, session, payload, exceptions=excs, extra=extra)

    def _refuse_with_exception(
        self,
        state: BatchState,
        session: Session,
        step: str | None,
        category: str,
        message: str,
        values: Mapping[str, Any],
        *,
        blocking: bool = False,
    ) -> ActionRefused:
        exc = self._exception(
            category, "critical" if blocking else "major", blocking, step, message, values
        )
        items: list[tuple[str, dict[str, Any], str, str | None]] = [
            (
                "action.refused",
                {"action": "scan", "step": step, "reason": message},
                session.actor,
                None,
            ),
            ("exception.raised", exc, session.actor, None),
        ]
        if blocking:
            items.append(("batch.state", {"state": ON_HOLD}, "system", None))
        self._commit(state, items)
        return ActionRefused(message)

    def weigh(
        self,
        session: Session,
        batch_id: str,
        reading: Reading | None = None,
        *,
        manual_value: float | None = None,
        override: Credentials | None = None,
        reason: str | None = None,
        step: str | None = None,
    ) -> None:
        """A stable reading from a trusted balance, or a supervisor-approved exception.

        The balance must be registered, in calibration and checked today; otherwise
        the weight is refused, or recorded as a resource exception when a supervisor
        overrides with a reason. A weight typed by hand needs the same override and
        is a manual-entry exception.
        """
        state = self._guard(session, batch_id, step)
        current = state.step
        if not isinstance(current, WeighStep):
            raise ActionRefused(f"step {state.step_key} needs {_needs(current)}, not a weight")
        label = current.title or current.id
        excs: list[dict[str, Any]] = []
        sigs: list[Signature] = []
        if reading is not None:
            if not reading.stable:
                raise ActionRefused("the balance is not stable yet — wait for the stable sign")
            try:
                number = (
                    Quantity(reading.value, Unit.parse(reading.unit))
                    .to(Unit.parse(current.unit))
                    .value
                )
            except UnitError as exc:
                raise ActionRefused(
                    f"the balance reports {reading.unit}; this step needs {current.unit}"
                ) from exc
            if current.decimals is not None:
                number = round(number, current.decimals)
            problem = self.masterdata.balance_problem(reading.device)
            if problem:
                if override is None:
                    raise self._refuse(
                        state, session, "weigh", f"{problem} — use another balance", state.step_key
                    )
                sig = self._override(session, state, override, reason, {"device": reading.device})
                sigs.append(sig)
                excs.append(
                    self._exception(
                        "resource",
                        "major",
                        False,
                        state.step_key,
                        f"{label}: {problem}; used with supervisor override ({reason})",
                        {"device": reading.device, "value": number, "override_by": sig.user},
                    )
                )
            device: str | None = reading.device
            manual = False
        else:
            if manual_value is None or override is None:
                raise ActionRefused("manual weight needs a supervisor override with a reason")
            number = parse_number(manual_value, label, current.decimals)
            sig = self._override(session, state, override, reason, {"manual_value": number})
            sigs.append(sig)
            excs.append(
                self._exception(
                    "manual_entry",
                    "major",
                    False,
                    state.step_key,
                    f"{label}: weight typed by hand ({reason})",
                    {"value": number, "override_by": sig.user},
                )
            )
            device = None
            manual = True
        excs += self._limit_exceptions(state, current, number, current.unit)
        payload = {
            "value": number,
            "unit": current.unit,
            "type": "number",
            "device": device,
            "manual": manual,
            "stable": True if reading is not None else None,
            "limits": {"alert": current.alert, "action": current.action},
            "reason": reason if sigs else None,
        }
        self._finish(state, session, payload, exceptions=excs, signatures=sigs)

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
            raise ActionRefused("an override needs a reason")
        try:
            return self.auth.sign(
                session=None,
                user_id=supervisor.user_id,
                password=supervisor.password,
                meaning="approved",
                signed=_content_hash({"step": state.step_key, "reason": reason, **content}),
                action="override.approve",
                not_by=[session.user.id],
            )
        except AuthError as exc:
            raise ActionRefused(str(exc)) from exc

    def timer_start(self, session: Session, batch_id: str, *, step: str | None = None) -> None:
        state = self._guard(session, batch_id, step)
        if not isinstance(state.step, TimerStep):
            raise ActionRefused(f"step {state.step_key} needs {_needs(state.step)}, not a timer")
        if state.timer_started is not None:
            raise ActionRefused("the timer is already running")
        self._commit(state, [("timer.started", {"step": state.step_key}, session.actor, None)])

    def timer_stop(
        self,
        session: Session,
        batch_id: str,
        *,
        step: str | None = None,
        override: Credentials | None = None,
        reason: str | None = None,
    ) -> None:
        state = self._guard(session, batch_id, step)
        current = state.step
        if not isinstance(current, TimerStep):
            raise ActionRefused(f"step {state.step_key} needs {_needs(current)}, not a timer")
        if state.timer_started is None:
            raise ActionRefused("start the timer first")
        started = datetime.fromisoformat(state.timer_started.replace("Z", "+00:00"))
        elapsed = self.clock() - started
        minutes = round(elapsed.total_seconds() / 60, 1)
        excs: list[dict[str, Any]] = []
        sigs: list[Signature] = []
        lo, hi = current.min_duration, current.max_duration
        label = current.title or current.id
        if lo is not None and elapsed < lo:
            remaining = math.ceil((lo - elapsed).total_seconds() / 60)
            if override is None:
                raise ActionRefused(
                    f"{label}: {remaining} min still to go (minimum {current.minimum})"
                )
            sigs.append(self._override(session, state, override, reason, {"minutes": minutes}))
            excs.append(
                self._exception(
                    "timer",
                    "major",
                    False,
                    state.step_key,
                    f"{label} ended early after {minutes:g} min "
                    f"(minimum {current.minimum}): {reason}",
                    {"minutes": minutes},
                )
            )
        if hi is not None and elapsed > hi:
            excs.append(
                self._exception(
                    "timer",
                    "major",
                    True,
                    state.step_key,
                    f"{label} ran {minutes:g} min, over its maximum of {current.maximum}",
                    {"minutes": minutes},
                )
            )
        payload = {
            "value": minutes,
            "unit": "min",
            "type": "number",
            "started": state.timer_started,
            "minimum": current.minimum,
            "maximum": current.maximum,
        }
        self._finish(state, session, payload, exceptions=excs, signatures=sigs)

    def print_label(
        self, session: Session, batch_id: str, *, step: str | None = None
    ) -> dict[str, Any]:
        state = self._guard(session, batch_id, step)
        current = state.step
        if not isinstance(current, LabelPrintStep):
            raise ActionRefused(f"step {state.step_key} needs {_needs(current)}, not a label")
        if state.din is None:
            raise ActionRefused("no DIN is bound to this batch: the label cannot be printed")
        content = {
            "label": current.label,
            "copies": current.copies,
            "din": state.din,
            "coi": state.coi,
            "product": state.recipe.product,
            "batch": state.id,
            "identifiers": state.identifiers,
            "printed": iso(self.clock()),
            "expiry": (
                iso(self.clock() + timedelta(days=current.shelf_life_days))
                if current.shelf_life_days
                else None
            ),
        }
        self._finish(state, session, {"value": None, "label": content})
        return content

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
        current = state.step
        if step is not None and step != state.step_key:
            raise self._refuse(
                state,
                session,
                "step.sign",
                f"out of order: the current step is {state.step_key}",
                step,
            )
        self._in_progress(state)
        if current is None:
            raise ActionRefused(f"batch {batch_id} has nothing to sign")
        if isinstance(current, SignatureStep) and state.pending is None:
            assert current.meaning is not None
            if current.meaning == "released":
                open_items = review.open_items(state, history=list(self.history(batch_id)))
                if open_items:
                    raise ActionRefused(
                        f"release refused: {len(open_items)} review item(s) "
                        "not yet dispositioned by QA"
                    )
            content = {
                "batch": state.id,
                "step": state.step_key,
                "records": {k: r.event_hash for k, r in state.records.items()},
            }
            sig = self._signature(
                session,
                signer,
                meaning=current.meaning,
                signed=_content_hash(content),
                action="step.sign" if current.meaning != "released" else "batch.release",
                roles=current.roles,
                not_by=[],
            )
            payload = {"value": None, "signed_content": _content_hash(content)}
            end = {"state": RELEASED, "signature": sig.to_payload()}
            released = current.meaning == "released"
            self._finish(
                state,
                session,
                payload,
                signatures=[sig],
                purpose="signature",
                end_state=end if released else None,
            )
            return sig
        record = state.pending
        if record is None or current.sign is None:
            raise ActionRefused(f"step {state.step_key} does not need a signature now")
        missing = self._missing_signoff(state, current, record)
        if missing != "signature":
            raise ActionRefused(f"step {state.step_key} is waiting for a {missing}")
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
        self._in_progress(state)
        current = state.step
        if step is not None and step != state.step_key:
            raise self._refuse(
                state,
                session,
                "step.witness",
                f"out of order: the current step is {state.step_key}",
                step,
            )
        record = state.pending
        if (
            current is None
            or record is None
            or self._missing_signoff(state, current, record) != "witness"
        ):
            raise ActionRefused(f"step {state.step_key} does not need a witness now")
        performer = record.actor.removeprefix("u:")
        if witness.user_id == performer:
            raise self._refuse(
                state,
                session,
                "step.witness",
                "the witness must be a different person from the performer",
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
            raise ActionRefused(str(exc)) from exc

    def _signoff(self, state: BatchState, session: Session, sig: Signature) -> None:
        key = state.step_key
        purpose = "witness" if sig.meaning == "witnessed" else "signoff"
        sp = {"step": key, "purpose": purpose, **sig.to_payload()}
        items: list[tuple[str, dict[str, Any], str, str | None]] = [
            ("signature.applied", sp, f"u:{sig.user}", None)
        ]
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

    def _calculate(self, state: BatchState, step: CalcStep) -> dict[str, Any]:
        expr = parse(step.formula)
        names = state.namespace()
        try:
            result = expr.evaluate(names, now=self.clock())
        except ExpressionError as exc:
            raise ActionRefused(f"{step.title or step.id} cannot be calculated: {exc}") from exc
        inputs = {n: _show(names[n]) for n in sorted(expr.names) if n in names}
        unit = step.unit
        if isinstance(result, Quantity):
            if step.unit:
                try:
                    value = result.to(Unit.parse(step.unit)).value
                except UnitError as exc:
                    raise ActionRefused(f"{step.title or step.id}: {exc}") from exc
            else:  # no unit declared: keep the one the formula gives
                value = result.value
                unit = None if result.unit.is_dimensionless else result.unit.symbol
        elif isinstance(result, int | float) and not isinstance(result, bool):
            value = float(result)
        else:
            raise ActionRefused(f"{step.title or step.id}: the formula does not give a number")
        if step.decimals is not None:
            value = round(value, step.decimals)
        return {
            "value": value,
            "unit": unit,
            "type": "number",
            "formula": step.formula,
            "inputs": inputs,
            "limits": {"alert": step.alert, "action": step.action},
        }

    def _limit_exceptions(
        self,
        state: BatchState,
        step: EntryStep | WeighStep | CalcStep,
        value: float,
        unit: str | None,
    ) -> list[dict[str, Any]]:
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
                    f"{label} {shown} is outside the action limits {fmt_limits(step.action, unit)}",
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
                    f"{label} {shown} is outside the alert limits {fmt_limits(step.alert, unit)}",
                    {"value": value, "unit": unit, "alert": step.alert, "critical": step.critical},
                )
            ]
        return []

    # ------------------------------------------------------------ exceptions and batch state

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
        record = state.exceptions.get(exception_id)
        if record is None:
            raise ActionRefused(f"no exception {exception_id} in batch {batch_id}")
        if record.acknowledged is not None:
            raise ActionRefused(f"exception {exception_id} is acknowledged already")
        if not reason.strip():
            raise ActionRefused("a reason is required")
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
            signed=_content_hash(content),
            action="exception.acknowledge",
            roles=None,
            not_by=[],
            own=True,
        )
        items: list[tuple[str, dict[str, Any], str, str | None]] = [
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
                scratch.apply(_provisional(t, p, a))
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
        listed = review.items(state, history=list(self.history(batch_id)))
        item = next((i for i in listed if i.id == item_id), None)
        if item is None:
            raise ActionRefused(f"no review item {item_id} in batch {batch_id}")
        exception = state.exceptions.get(item_id)
        if exception is not None and exception.open_blocking:
            raise ActionRefused("a supervisor must acknowledge this exception first")
        if not item.open:
            raise ActionRefused(f"{item_id} is dispositioned already")
        if decision not in ("reviewed", "accepted", "deviation"):
            raise ActionRefused("decision must be reviewed, accepted or deviation")
        if decision == "deviation" and not reference:
            raise ActionRefused("a deviation needs its reference number")
        if not reason.strip():
            raise ActionRefused("a reason is required")
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
            signed=_content_hash(content),
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

    def correct(self, session: Session, batch_id: str, step: str, value: Any, reason: str) -> None:
        """Correct a recorded value: a new event with old value, new value and reason."""
        self._session_ok(session)
        state = self.batch(batch_id)
        if state.state in FINAL_STATES:
            raise ActionRefused(f"batch {batch_id} is {state.state}: no more corrections")
        if not reason.strip():
            raise ActionRefused("a correction needs a reason")
        if not PERMISSIONS["step.correct"] & session.user.roles:
            raise ActionRefused(f"{session.user.name} may not correct values")
        record = state.records.get(step)
        if record is None:
            raise ActionRefused(f"step {step} has no recorded value to correct")
        spec = state.recipe.stage(record.stage).steps
        model = next(s for s in spec if s.id == record.step_id)
        if not isinstance(model, EntryStep):
            raise ActionRefused(
                "only typed entries can be corrected; devices, scans and calculations are captured"
            )
        new, excs = self._typed_value(state, model, value, step)
        if new == record.value:
            raise ActionRefused("the corrected value is the same as the recorded one")
        name = record.payload.get("name")
        users = sorted(
            r.key
            for r in state.records.values()
            if r.kind == "calc" and name in r.payload.get("inputs", {})
        )
        if users:
            excs.append(
                self._exception(
                    "process",
                    "major",
                    False,
                    step,
                    f"{model.title or model.id} was corrected after it was used in "
                    f"{', '.join(users)}: check those results",
                    {"old": record.value, "new": new, "calculations": users},
                )
            )
        items: list[tuple[str, dict[str, Any], str, str | None]] = [
            (
                "step.corrected",
                {
                    "step": step,
                    "old": record.value,
                    "new": new,
                    "unit": record.unit,
                    "corrects": record.seq,
                },
                session.actor,
                reason,
            )
        ]
        items += [("exception.raised", e, session.actor, None) for e in excs]
        if any(e["blocking"] for e in excs):
            items.append(("batch.state", {"state": ON_HOLD}, "system", None))
        self._commit(state, items)

    def handover(
        self, session: Session, batch_id: str, giver: str, receiver: str, condition: str
    ) -> None:
        """Chain of custody: who handed the patient's material to whom, when, in what state."""
        self._session_ok(session)
        state = self.batch(batch_id)
        if state.state in FINAL_STATES and state.state != RELEASED:
            raise ActionRefused(f"batch is {state.state}")
        if not (giver.strip() and receiver.strip() and condition.strip()):
            raise ActionRefused("say who handed over, who received, and the condition")
        payload = {
            "from": giver.strip(),
            "to": receiver.strip(),
            "condition": condition.strip(),
            "din": state.din,
            "recorded_by": session.user.name,
        }
        self._commit(state, [("custody.handover", payload, session.actor, None)])

    def hold(self, session: Session, batch_id: str, reason: str) -> None:
        self._session_ok(session)
        state = self.batch(batch_id)
        if state.state != IN_PROGRESS:
            raise ActionRefused(f"batch is {state.state.replace('_', ' ')}, not in progress")
        if not PERMISSIONS["batch.hold"] & session.user.roles:
            raise ActionRefused(f"{session.user.name} may not hold a batch")
        if not reason.strip():
            raise ActionRefused("a reason is required")
        self._commit(state, [("batch.state", {"state": ON_HOLD}, session.actor, reason)])

    def resume(self, session: Session, batch_id: str, supervisor: Credentials, reason: str) -> None:
        self._session_ok(session)
        state = self.batch(batch_id)
        if state.state != ON_HOLD:
            raise ActionRefused("batch is not on hold")
        if state.open_exceptions():
            raise ActionRefused("acknowledge the blocking exceptions first")
        if not reason.strip():
            raise ActionRefused("a reason is required")
        self._signed_state(session, state, supervisor, IN_PROGRESS, "batch.resume", reason)

    def abort(self, session: Session, batch_id: str, supervisor: Credentials, reason: str) -> None:
        self._session_ok(session)
        state = self.batch(batch_id)
        if state.state in FINAL_STATES:
            raise ActionRefused(f"batch is {state.state} already")
        if not reason.strip():
            raise ActionRefused("aborting a batch needs a reason")
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
            signed=_content_hash({"batch": state.id, "state": new_state, "reason": reason}),
            action=action,
            roles=None,
            not_by=[],
        )
        payload = {"state": new_state, "signature": sig.to_payload()}
        self._commit(state, [("batch.state", payload, f"u:{sig.user}", reason)])

    def history(self, batch_id: str) -> Iterator[Event]:
        return self.store.events(batch=batch_id)


def _needs(step: StepBase | None) -> str:
    if step is None:
        return "nothing"
    return {
        "instruction": "a confirmation",
        "check": "pass, fail or N.A.",
        "entry": "a typed value",
        "scan": "a scan",
        "weigh": "a weight from the balance",
        "calc": "the calculated value confirmed",
        "timer": "the timer",
        "signature": "a signature",
        "label_print": "the label printed",
    }[step.kind]


def _show(value: Value) -> Any:
    if isinstance(value, Quantity):
        return {"value": value.value, "unit": value.unit.symbol}
    if isinstance(value, datetime):
        return iso(value)
    return value


def _content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def _provisional(type_: str, payload: dict[str, Any], actor: str) -> Event:
    """An event as it will be written, for deciding what comes next before the commit."""
    return Event(
        station="",
        seq=0,
        ts=iso(datetime.now(UTC)),
        actor=actor,
        batch=None,
        type=type_,
        payload=payload,
        reason=None,
        prev="",
        hash="",
    )
