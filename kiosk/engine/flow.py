"""Moving a batch on: starting it, recording a step, completing it, planning the next step.

`_finish` records the current step's value with its exceptions and signatures;
when nothing is missing `_complete` closes the step and `_advance` plans the
events that move the cursor to the next step that applies (skipping steps and
stages whose `when` is false, repeating stages until their `until` holds).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from kiosk.auth import Session, Signature
from kiosk.batch import COMPLETED, ON_HOLD, BatchState, iso, step_key
from kiosk.engine.core import EngineCore
from kiosk.engine.inputs import Credentials, Item, content_hash, provisional
from kiosk.engine.registry import kind_of, needs
from kiosk.entries import ActionRefused, fmt_limits, outside, parse_moment, parse_number
from kiosk.expressions import ExpressionError, parse
from kiosk.orders import StationOrder, context_for, identity_of
from kiosk.recipe import Recipe
from kiosk.roles import PERMISSIONS
from kiosk.text import Text
from local_store import Event


class Flow(EngineCore):
    """Start, record, complete and advance; the step kinds build on these."""

    # ------------------------------------------------------------ starting

    def start_batch(
        self,
        session: Session,
        recipe_id: str,
        context: Mapping[str, Any],
        *,
        batch_id: str | None = None,
        order: StationOrder | None = None,
        supervisor: Credentials | None = None,
        reason: str | None = None,
    ) -> str:
        """Start a batch. A recipe whose context has ``order_id`` starts from a pulled ``order``
        (its context comes from the order); typing the order's data instead needs a supervisor's
        signature and a reason, and is recorded as an exception on the batch."""
        self._session_ok(session)
        if not PERMISSIONS["batch.start"] & session.user.roles:
            raise ActionRefused(Text("{name} may not start a batch", name=session.user.name))
        loaded = self.recipes.get(recipe_id)
        if loaded is None:
            raise ActionRefused(
                Text("no recipe {recipe_id!r} on this station", recipe_id=recipe_id)
            )
        recipe = loaded.recipe
        if recipe.status != "effective":
            raise ActionRefused(
                Text(
                    "recipe {recipe_id} v{version} is {status}, not effective",
                    recipe_id=recipe_id,
                    version=recipe.version,
                    status=recipe.status,
                )
            )
        if order is not None:
            context = self._order_context(order, recipe)
        elif "order_id" in recipe.context and supervisor is None:
            raise ActionRefused(
                Text(
                    "start this batch from an order: typing the order's data needs a supervisor's"
                    " signature and a reason"
                )
            )
        clean = self._check_context(recipe, context)
        batch_id = batch_id or f"B-{self.clock():%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"
        if any(b.batch == batch_id for b in self.store.batches()):
            raise ActionRefused(Text("batch {batch_id} exists already", batch_id=batch_id))
        order_id = clean.get("order_id")
        other = self.bound_elsewhere("order", str(order_id)) if order_id else None
        if other is not None:
            raise ActionRefused(
                Text(
                    "order {order_id} belongs to batch {other} already",
                    order_id=order_id,
                    other=other,
                )
            )
        started = {
            "recipe_id": recipe.id,
            "recipe_version": recipe.version,
            "recipe_sha256": loaded.sha256,
            "recipe_title": recipe.title,
            "context": clean,
            "station": self.store.station,
        }
        items: list[Item] = []
        if order is not None:
            started["order"] = identity_of(order)
        elif supervisor is not None:
            items.append(self._typed_start(session, batch_id, clean, supervisor, reason))
        state = BatchState(id=batch_id, recipe=recipe, recipe_sha256=loaded.sha256, context=clean)
        items.insert(0, ("batch.started", started, session.actor, None))
        scratch = state.clone()
        scratch.apply(provisional("batch.started", started, session.actor))
        items += self._advance(scratch, session.actor, start=0)
        events = self._commit(state, items)
        state.started_ts = events[0].ts
        self._batches[batch_id] = state
        return batch_id

    def _order_context(self, order: StationOrder, recipe: Recipe) -> dict[str, Any]:
        if order.status != "open":
            raise ActionRefused(
                Text(
                    "order {order_id} is {status}: {reason}",
                    order_id=order.order_id,
                    status=order.status,
                    reason=order.reason or "",
                )
            )
        if order.recipe != recipe.id:
            raise ActionRefused(
                Text(
                    "order {order_id} is for recipe {recipe}",
                    order_id=order.order_id,
                    recipe=order.recipe,
                )
            )
        return context_for(order, recipe)

    def _typed_start(
        self,
        session: Session,
        batch_id: str,
        clean: Mapping[str, Any],
        supervisor: Credentials,
        reason: str | None,
    ) -> Item:
        """The exception of a batch started from typed order data, signed by a supervisor."""
        if not (reason and reason.strip()):
            raise ActionRefused(Text("typing an order's data needs a reason"))
        content = {"batch": batch_id, "context": dict(clean), "reason": reason}
        sig = self._signature(
            session,
            supervisor,
            meaning="approved",
            signed=content_hash(content),
            action="override.approve",
            roles=None,
            not_by=[session.user.id],
            own=False,
        )
        message = Text(
            "order data typed at the station, not taken from an order: {reason}", reason=reason
        )
        values = {"reason": reason, "signature": sig.to_payload()}
        return (
            "exception.raised",
            self._exception("order", "major", False, None, message, values),
            session.actor,
            reason,
        )

    def _check_context(self, recipe: Recipe, context: Mapping[str, Any]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for name, spec in recipe.context.items():
            label = spec.label or name
            if name not in context or context[name] in (None, ""):
                raise ActionRefused(Text("{label} is required to start the batch", label=label))
            raw = context[name]
            if spec.kind == "number":
                number = parse_number(raw, label, spec.decimals)
                if outside(number, spec.range):
                    raise ActionRefused(
                        Text(
                            "{label} must be {limits}",
                            label=label,
                            limits=fmt_limits(spec.range, spec.unit),
                        )
                    )
                clean[name] = number
            elif spec.kind == "choice":
                if str(raw) not in (spec.choices or []):
                    raise ActionRefused(
                        Text(
                            "{label} must be one of {choices}",
                            label=label,
                            choices=", ".join(spec.choices or []),
                        )
                    )
                clean[name] = str(raw)
            elif spec.kind == "date":
                clean[name] = iso(parse_moment(raw, label))
            else:
                clean[name] = str(raw).strip()
        unknown = sorted(set(context) - set(recipe.context))
        if unknown:
            raise ActionRefused(Text("unknown batch field {unknown!r}", unknown=unknown[0]))
        return clean

    # ------------------------------------------------------------ confirming

    def confirm(self, session: Session, batch_id: str, *, step: str | None = None) -> None:
        """Instruction read and done; or a calculated value accepted."""
        state = self._guard(session, batch_id, step)
        kind = kind_of(state.step)
        if kind is None or kind.confirm is None:
            raise ActionRefused(
                Text(
                    "step {step_key} needs {needs}, not a confirmation",
                    step_key=state.step_key,
                    needs=needs(state.step),
                )
            )
        kind.confirm(self, state, session)

    # ------------------------------------------------------------ moving on

    def _advance(
        self,
        state: BatchState,
        actor: str,
        start: int | None = None,
        end_state: dict[str, Any] | None = None,
    ) -> list[Item]:
        """Events that move the cursor to the next step that applies.

        Called on a scratch copy after the current step completed; evaluates repeat
        `until` and `when` conditions from the values recorded so far.
        """
        items: list[Item] = []

        def emit(type_: str, payload: dict[str, Any], reason: str | None = None) -> None:
            items.append((type_, payload, actor, reason))
            state.apply(provisional(type_, payload, actor))

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
                                Text(
                                    "{title} reached its maximum of {limit} without meeting"
                                    " '{until}'",
                                    title=stage.title or stage.id,
                                    limit=limit,
                                    until=stage.repeat.until,
                                ),
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
            kind = kind_of(step)
            if kind is not None and kind.passes is not None:
                emit(*kind.passes(state))
                continue
            return items
        raise ActionRefused(
            Text("the recipe does not move on: check its repeat conditions")
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
            raise ActionRefused(
                Text("cannot evaluate '{text}': {exc}", text=text, exc=exc)
            ) from exc

    def _finish(
        self,
        state: BatchState,
        session: Session,
        payload: dict[str, Any],
        *,
        exceptions: list[dict[str, Any]] | None = None,
        extra: list[Item] | None = None,
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
        items: list[Item] = list(extra or [])
        items.append(("step.recorded", payload, actor, None))
        scratch = state.clone()
        for t, p, a, _ in items:
            scratch.apply(provisional(t, p, a))
        for exc in exceptions or []:
            items.append(("exception.raised", exc, actor, None))
            scratch.apply(provisional("exception.raised", exc, actor))
        for sig in signatures or []:
            sp = {"step": key, "purpose": purpose, **sig.to_payload()}
            items.append(("signature.applied", sp, f"u:{sig.user}", None))
            scratch.apply(provisional("signature.applied", sp, f"u:{sig.user}"))
        if any(e["blocking"] for e in exceptions or []):
            items.append(("batch.state", {"state": ON_HOLD}, "system", None))
        elif self._missing_signoff(scratch, step, scratch.pending) is None:
            items += self._complete(scratch, actor, end_state)
        return self._commit(state, items)

    def _complete(
        self, scratch: BatchState, actor: str, end_state: dict[str, Any] | None = None
    ) -> list[Item]:
        key = scratch.step_key
        items: list[Item] = [("step.completed", {"step": key}, actor, None)]
        scratch.apply(provisional("step.completed", {"step": key}, actor))
        return items + self._advance(scratch, actor, end_state=end_state)
