"""Review by exception: what QA must look at in a batch, derived from its state (no Qt).

DOMAIN.md §6: a reviewer sees only what needs judgement — the CPP/CQA values and
the exceptions — and dispositions each exception with an e-signature
(`Engine.disposition`); release is refused while any is open. The list is derived
from the batch's projection (`BatchState`), so items appear the moment the event
behind them is written and review can start while the batch is still running.

Kinds of item, their ids, and whether release waits for them
-------------------------------------------------------------

Required (release is refused while one is not dispositioned):

- ``exception`` — id ``X-…``: every exception the engine raised (limits, identity,
  resource, timer, failed check, N.A., manual weight with its override, …).
- ``correction`` — id ``correction:<step>:<n>``: the n-th correction of a typed
  value (Annex 11 §9), with old and new value.
- ``comment`` — id ``comment:<step>``: a check or entry recorded with a comment
  that no exception already carries (a failed or N.A. check's comment is in its
  exception, so it is not counted twice).
- ``manual_entry`` — id ``manual:<step>``: a value that should have come from a
  device and did not: a DIN typed by hand (``keyed``), a weighing without a
  balance serial number or with ``manual`` set — unless a ``manual_entry``
  exception already covers the step (the supervisor-approved manual weight, or
  a DIN, CoI or material label typed under a supervisor's signature).
- ``late_entry`` — id ``late:<step>``: an entry or check recorded more than
  ``ReviewPolicy.late_entry`` (default 60 min) after its step became current, or
  a date entry more than ``ReviewPolicy.old_date`` (default 30 days) before the
  moment it was typed (a wrong year is the usual cause).
- ``pending_result`` — id ``pending:<step>``: a QC result the LIMS has not sent yet
  ("a QC result is pending"). It cannot be dispositioned: only the result closes it.
- ``hold`` / ``abort`` — id ``hold:<seq>`` / ``abort:<seq>``: the batch put on
  hold by a person, or aborted (holds the system makes for a blocking exception
  are covered by that exception). Needs the batch's events: see ``history``.

Information (listed, not required):

- ``value`` — id ``value:<step>`` (e.g. ``value:expansion[2].daily_viability``):
  every recorded CPP/CQA value with its limits and whether it is inside them.

Decision on CPP/CQA values: an in-limit CPP/CQA value is **information**, not an
item that blocks release. A value outside its alert or action limits has already
raised an exception, and that exception is what QA must disposition; listing the
value again as a required item would count one deviation twice and turn every
clean batch into twenty signatures. So ``items(state)`` includes the values
(``include_values=True``, with ``required=False``) for the review report and the
CPP/CQA table, and ``open_items(state)`` — the release gate — holds only what must
be dispositioned. QA may still disposition a value item (the engine finds it
through ``items``), which records a ``review.dispositioned`` event.

"Became current": a step becomes current when the step before it is done: the
later of the previous record's time and its last signature, or the last
acknowledgement of a blocking exception (which resumes a held batch), whichever
is latest before the entry. The first step becomes current when the batch starts.
Timer steps, scans, weighings and calculations are captured by the system, so
only typed entries and checks can be late.

Dispositions come from ``state.exceptions[id].disposition`` for exceptions and
``state.reviewed[id]`` for every other item.

``history``: holds by a person and aborts are not kept in ``BatchState``; the
functions list them when the caller passes the batch's events, as the engine
(disposition and the release gate), the review screen, ``kiosk review`` and
``kiosk ebr`` do.
With history, corrections also carry their reason, time and author.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from kiosk.batch import ABORTED, CATEGORIES, ON_HOLD, BatchState, StepRecord
from kiosk.entries import fmt_limits, outside
from kiosk.recipe import StepBase
from kiosk.text import Text
from local_store import Event

# Review items' messages are English, as the batch record keeps them; the screens read
# them back to their templates and show them in the user's language (kiosk.text).
NO_REASON = Text("no reason")
NO_REASON_GIVEN = Text("no reason given")

REVIEW_CATEGORIES: Final[dict[str, str]] = {
    **CATEGORIES,
    "correction": "a recorded value was corrected",
    "late_entry": "entry not made at the time of the step",
    "batch_state": "batch held or aborted by a person",
    "pending_result": "a QC result is pending",
}
"""Exception categories (DOMAIN.md §6) plus the categories of derived review items."""

KINDS: Final[dict[str, str]] = {
    "exception": "exception",
    "correction": "correction",
    "comment": "operator comment",
    "manual_entry": "manual entry",
    "late_entry": "late entry",
    "hold": "batch held",
    "abort": "batch aborted",
    "value": "CPP/CQA value",
    "pending_result": "QC result pending",
}
"""Item kinds and how the report names them."""

INFORMATION_KINDS: Final = frozenset({"value"})
"""Kinds shown for information; every other kind must be dispositioned before release."""

LATE_KINDS: Final = frozenset({"entry", "check"})
"""Step kinds a person types or judges, so the only ones that can be entered late."""


@dataclass(frozen=True)
class ReviewPolicy:
    """Thresholds for derived items (a station may set its own; see the module docstring)."""

    late_entry: timedelta = timedelta(minutes=60)
    old_date: timedelta = timedelta(days=30)


DEFAULT_POLICY: Final = ReviewPolicy()


@dataclass(frozen=True)
class ReviewItem:
    """One thing a reviewer must judge (or, for ``required=False``, should see)."""

    id: str
    category: str
    step: str | None
    message: str
    ts: str
    values: dict[str, Any] = field(default_factory=dict)
    disposition: dict[str, Any] | None = None
    kind: str = "exception"
    required: bool = True
    severity: str | None = None

    @property
    def open(self) -> bool:
        """Not yet dispositioned."""
        return self.disposition is None

    @property
    def blocks_release(self) -> bool:
        """Required and not yet dispositioned: release waits for it."""
        return self.required and self.disposition is None

    @property
    def status(self) -> str:
        """'open', 'info' (information, not dispositioned) or QA's decision."""
        if self.disposition is not None:
            return str(self.disposition.get("decision", "dispositioned"))
        return "open" if self.required else "info"


def items(
    state: BatchState,
    *,
    include_values: bool = True,
    policy: ReviewPolicy = DEFAULT_POLICY,
    history: Iterable[Event] | None = None,
) -> list[ReviewItem]:
    """Every review item of the batch, in the order it arose (see the module docstring)."""
    events = list(history) if history is not None else None
    records = sorted(state.records.values(), key=lambda r: r.seq)
    found: list[ReviewItem] = [_exception_item(state, exc_id) for exc_id in state.exceptions]
    found += _corrections(state, records, events)
    found += _comments(state, records)
    found += _manual_entries(state, records)
    found += _late_entries(state, records, policy)
    found += _pending_results(state)
    if events is not None:
        found += _holds(state, events)
    if include_values:
        found += _values(state, records)
    found.sort(key=lambda item: item.ts)
    return found


def open_items(
    state: BatchState,
    *,
    policy: ReviewPolicy = DEFAULT_POLICY,
    history: Iterable[Event] | None = None,
) -> list[ReviewItem]:
    """Required items not yet dispositioned: while any is left, the batch cannot be released."""
    return [
        item
        for item in items(state, include_values=False, policy=policy, history=history)
        if item.blocks_release
    ]


def value_items(state: BatchState) -> list[ReviewItem]:
    """The CPP/CQA values alone, in the order they were recorded (the report's table)."""
    return _values(state, sorted(state.records.values(), key=lambda r: r.seq))


# ---------------------------------------------------------------- the derivations


def _exception_item(state: BatchState, exc_id: str) -> ReviewItem:
    exc = state.exceptions[exc_id]
    return ReviewItem(
        id=exc.id,
        category=exc.category,
        step=exc.step,
        message=exc.message,
        ts=exc.raised_ts,
        values=dict(exc.values),
        disposition=exc.disposition,
        kind="exception",
        required=True,
        severity=exc.severity,
    )


def _derived(
    state: BatchState,
    item_id: str,
    kind: str,
    category: str,
    step: str | None,
    message: str,
    ts: str,
    values: dict[str, Any],
) -> ReviewItem:
    return ReviewItem(
        id=item_id,
        category=category,
        step=step,
        message=message,
        ts=ts,
        values=values,
        disposition=state.reviewed.get(item_id),
        kind=kind,
        required=kind not in INFORMATION_KINDS,
    )


def _pending_results(state: BatchState) -> list[ReviewItem]:
    """A QC result still to come from the LIMS: release waits for the result itself."""
    found: list[ReviewItem] = []
    for key in state.missing_results():
        test = state.awaiting[key]["test"]
        found.append(
            ReviewItem(
                id=f"pending:{key}",
                category="pending_result",
                step=key,
                message=str(Text("a QC result is pending: {test}", test=test)),
                ts=state.last_ts,
                values={"test": test},
                kind="pending_result",
            )
        )
    return found


def _corrections(
    state: BatchState, records: list[StepRecord], events: list[Event] | None
) -> list[ReviewItem]:
    found: list[ReviewItem] = []
    by_step: dict[str, list[Event]] = {}
    for logged_event in events or ():
        if logged_event.type == "step.corrected":
            by_step.setdefault(str(logged_event.payload.get("step")), []).append(logged_event)
    for record in records:
        logged = by_step.get(record.key, [])
        for n, corr in enumerate(record.corrections, start=1):
            event: Event | None = logged[n - 1] if n <= len(logged) else None
            unit = f" {corr['unit']}" if corr.get("unit") else ""
            values: dict[str, Any] = {"old": corr.get("old"), "new": corr.get("new")}
            values["unit"] = corr.get("unit")
            title = _title(state, record)
            old, new = f"{corr.get('old')}{unit}", f"{corr.get('new')}{unit}"
            message = str(
                Text("{title}: corrected from {old} to {new}", title=title, old=old, new=new)
            )
            if event is not None:
                values.update(reason=event.reason, by=event.actor, seq=event.seq)
                message = str(
                    Text(
                        "{title}: corrected from {old} to {new} — reason: {reason}",
                        title=title,
                        old=old,
                        new=new,
                        reason=event.reason,
                    )
                )
            found.append(
                _derived(
                    state,
                    f"correction:{record.key}:{n}",
                    "correction",
                    "correction",
                    record.key,
                    message,
                    event.ts if event is not None else record.ts,
                    values,
                )
            )
    return found


def _comments(state: BatchState, records: list[StepRecord]) -> list[ReviewItem]:
    carried = {
        (exc.step, str(exc.values.get("comment")))
        for exc in state.exceptions.values()
        if exc.values.get("comment")
    }
    found: list[ReviewItem] = []
    for record in records:
        comment = record.payload.get("comment")
        if not isinstance(comment, str) or not comment.strip():
            continue
        if (record.key, comment) in carried:
            continue  # a failed or N.A. check: the exception carries the comment already
        found.append(
            _derived(
                state,
                f"comment:{record.key}",
                "comment",
                "comment",
                record.key,
                str(
                    Text(
                        "{title}: comment “{comment}”",
                        title=_title(state, record),
                        comment=comment.strip(),
                    )
                ),
                record.ts,
                {"comment": comment, "value": record.value, "by": record.actor},
            )
        )
    return found


def _manual_entries(state: BatchState, records: list[StepRecord]) -> list[ReviewItem]:
    covered = {exc.step for exc in state.exceptions.values() if exc.category == "manual_entry"}
    found: list[ReviewItem] = []
    for record in records:
        p = record.payload
        message: str | None = None
        if record.kind == "weigh" and (p.get("manual") or not p.get("device")):
            if record.key in covered:
                continue
            message = str(
                Text(
                    "{title}: weight typed by hand ({reason})",
                    title=_title(state, record),
                    reason=p.get("reason") or NO_REASON,
                )
                if p.get("manual")
                else Text(
                    "{title}: weight recorded without a balance serial number",
                    title=_title(state, record),
                )
            )
        elif record.kind == "scan" and p.get("keyed") and record.key not in covered:
            message = str(
                Text(
                    "{title}: DIN {din} typed with its check character instead of scanned",
                    title=_title(state, record),
                    din=record.value,
                )
            )
        if message is not None:
            found.append(
                _derived(
                    state,
                    f"manual:{record.key}",
                    "manual_entry",
                    "manual_entry",
                    record.key,
                    message,
                    record.ts,
                    {"value": record.value, "device": p.get("device"), "by": record.actor},
                )
            )
    return found


def _late_entries(
    state: BatchState, records: list[StepRecord], policy: ReviewPolicy
) -> list[ReviewItem]:
    resumed = sorted(
        str(exc.acknowledged["signature"]["ts"])
        for exc in state.exceptions.values()
        if exc.blocking and exc.acknowledged and isinstance(exc.acknowledged.get("signature"), dict)
    )
    found: list[ReviewItem] = []
    previous: StepRecord | None = None
    for record in records:
        if record.kind in LATE_KINDS:
            since = _became_current(state, previous, record, resumed)
            late = _parse(record.ts) - _parse(since)
            if late > policy.late_entry:
                found.append(
                    _derived(
                        state,
                        f"late:{record.key}",
                        "late_entry",
                        "late_entry",
                        record.key,
                        str(
                            Text(
                                "{title}: entered {late} after the step became current"
                                " (limit {limit})",
                                title=_title(state, record),
                                late=_duration(late),
                                limit=_duration(policy.late_entry),
                            )
                        ),
                        record.ts,
                        {"current_since": since, "entered": record.ts, "by": record.actor},
                    )
                )
            elif record.payload.get("type") == "date" and isinstance(record.value, str):
                age = _parse(record.ts) - _parse(record.value)
                if age > policy.old_date:
                    found.append(
                        _derived(
                            state,
                            f"late:{record.key}",
                            "late_entry",
                            "late_entry",
                            record.key,
                            str(
                                Text(
                                    "{title}: date {date} is {age} before it was entered"
                                    " (limit {limit})",
                                    title=_title(state, record),
                                    date=record.value,
                                    age=_duration(age),
                                    limit=_duration(policy.old_date),
                                )
                            ),
                            record.ts,
                            {"date": record.value, "entered": record.ts, "by": record.actor},
                        )
                    )
        previous = record
    return found


def _became_current(
    state: BatchState, previous: StepRecord | None, record: StepRecord, resumed: list[str]
) -> str:
    since = previous.ts if previous is not None else state.started_ts or record.ts
    if previous is not None:
        for sig in previous.signatures:
            ts = str(sig.get("ts", ""))
            if since < ts < record.ts:
                since = ts
    index = bisect.bisect_left(resumed, record.ts)
    if index and resumed[index - 1] > since:
        since = resumed[index - 1]
    return since


def _holds(state: BatchState, events: list[Event]) -> list[ReviewItem]:
    found: list[ReviewItem] = []
    for event in events:
        if event.type != "batch.state":
            continue
        new = event.payload.get("state")
        if new == ON_HOLD and event.actor.startswith("u:"):
            kind = "hold"
        elif new == ABORTED:
            kind = "abort"
        else:
            continue
        signature = event.payload.get("signature")
        reason = event.reason or NO_REASON_GIVEN
        who = (
            f"{signature.get('name')} ({signature.get('user')})"
            if isinstance(signature, dict)
            else event.actor.removeprefix("u:")
        )
        found.append(
            _derived(
                state,
                f"{kind}:{event.seq}",
                kind,
                "batch_state",
                None,
                str(
                    Text("batch put on hold by {who}: {reason}", who=who, reason=reason)
                    if kind == "hold"
                    else Text("batch aborted by {who}: {reason}", who=who, reason=reason)
                ),
                event.ts,
                {"state": new, "reason": event.reason, "by": event.actor, "seq": event.seq},
            )
        )
    return found


def _values(state: BatchState, records: list[StepRecord]) -> list[ReviewItem]:
    by_step: dict[str | None, list[str]] = {}
    for exc in state.exceptions.values():
        if exc.category in ("cpp_cqa", "value"):
            by_step.setdefault(exc.step, []).append(exc.id)
    found: list[ReviewItem] = []
    for record in records:
        critical = record.payload.get("critical")
        if critical not in ("CPP", "CQA"):
            continue
        values = _value_check(state, record)
        values.update(critical=critical, exceptions=by_step.get(record.key, []))
        unit = f" {show_unit(record.unit)}" if show_unit(record.unit) else ""
        shown = _show(record.value)
        title, value = _title(state, record), f"{shown}{unit}"
        status = values["status"]
        message = str(
            Text(
                "{title} ({critical}) {value}: {status} ({limits})",
                title=title,
                critical=critical,
                value=value,
                status=status,
                limits=values["limits_text"],
            )
            if values["limits_text"]
            else Text(
                "{title} ({critical}) {value}: {status}",
                title=title,
                critical=critical,
                value=value,
                status=status,
            )
        )
        found.append(
            _derived(
                state,
                f"value:{record.key}",
                "value",
                "cpp_cqa",
                record.key,
                message,
                record.ts,
                values,
            )
        )
    return found


def _value_check(state: BatchState, record: StepRecord) -> dict[str, Any]:
    """The value with its limits and whether it is inside them ('in', 'alert', 'action')."""
    limits = record.payload.get("limits") or {}
    alert = _limits(limits.get("alert"))
    action = _limits(limits.get("action"))
    model = step_model(state, record)
    expected = getattr(model, "expected", None)
    unit = show_unit(record.unit) or None
    texts = []
    if alert:
        texts.append(f"alert {fmt_limits(alert, unit)}")
    if action:
        texts.append(f"action {fmt_limits(action, unit)}")
    if expected is not None:
        texts.append(f"expected {expected}")
    value = record.value
    if isinstance(value, bool) or value is None:
        status = "not recorded" if value is None else "in"
    elif isinstance(value, int | float):
        if outside(float(value), action):
            status = "out (action)"
        elif outside(float(value), alert):
            status = "out (alert)"
        else:
            status = "in"
    elif expected is not None:
        status = "in" if value == expected else "out (expected " + str(expected) + ")"
    else:
        status = "in"
    return {
        "value": value,
        "unit": record.unit,
        "alert": list(alert) if alert else None,
        "action": list(action) if action else None,
        "expected": expected,
        "status": status,
        "in_limits": status == "in",
        "limits_text": "; ".join(texts),
        "corrected": bool(record.corrections),
    }


# ---------------------------------------------------------------- helpers


def step_model(state: BatchState, record: StepRecord) -> StepBase | None:
    """The recipe's step behind a record, or None when the recipe does not have it."""
    try:
        stage = state.recipe.stage(record.stage)
    except KeyError:
        return None
    return next((s for s in stage.steps if s.id == record.step_id), None)


def _title(state: BatchState, record: StepRecord) -> str:
    model = step_model(state, record)
    return (model.title if model is not None and model.title else None) or record.key


UNITS_SHOWN: Final[dict[str, str]] = {"degC": "°C", "1": "", "uL": "µL"}
"""How stored unit symbols are shown to people."""


def show_unit(unit: str | None) -> str:
    """The unit as people read it: 'degC' -> '°C', the dimensionless '1' -> ''."""
    return UNITS_SHOWN.get(unit, unit) if unit else ""


def _limits(raw: Any) -> tuple[float | None, float | None] | None:
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        return None
    low, high = raw
    return (
        float(low) if isinstance(low, int | float) else None,
        float(high) if isinstance(high, int | float) else None,
    )


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _duration(delta: timedelta) -> str:
    minutes = delta.total_seconds() / 60
    if minutes < 120:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} d"


def summary(found: Iterable[ReviewItem]) -> Mapping[str, int]:
    """Counts for a one-line summary: required, open (blocking release), information."""
    listed = list(found)
    return {
        "required": sum(1 for i in listed if i.required),
        "open": sum(1 for i in listed if i.blocks_release),
        "information": sum(1 for i in listed if not i.required),
    }


# ---------------------------------------------------------------- separation of duties


def _user_of(actor: str) -> str | None:
    return actor[2:] if actor.startswith("u:") else None


def release_refusal(state: BatchState, history: Iterable[Event], user: str) -> str | None:
    """Why ``user`` may not release the batch, or None, in English (`release_conflict`)."""
    conflict = release_conflict(state, history, user)
    return None if conflict is None else str(conflict)


def release_conflict(state: BatchState, history: Iterable[Event], user: str) -> Text | None:
    """Why ``user`` may not release the batch, or None (21 CFR 11.10(g), Annex 11 §15).

    Nobody who performed or witnessed a step of the batch (recorded a step, corrected a
    value, or signed as its witness) may release it. The release step itself (the current
    step) does not count. ``history`` is the batch's events; the engine calls this before it
    accepts the release signature.
    """
    steps: set[str] = set()
    for e in history:
        p = e.payload
        step = p.get("step") if isinstance(p.get("step"), str) else None
        if step is None or step == state.step_key:
            continue
        performed = e.type in ("step.recorded", "step.corrected") and _user_of(e.actor) == user
        witnessed = e.type == "signature.applied" and (p.get("purpose"), p.get("user")) == (
            "witness",
            user,
        )
        if performed or witnessed:
            steps.add(step)
    if not steps:
        return None
    shown = ", ".join(sorted(steps)[:3]) + (" …" if len(steps) > 3 else "")
    return Text(
        "{user} performed or witnessed steps of batch {batch} ({steps}):"
        " a different person must release it",
        user=user,
        batch=state.id,
        steps=shown,
    )


def acknowledge_refusal(
    state: BatchState, history: Iterable[Event], exception_id: str, user: str
) -> str | None:
    """Why ``user`` may not acknowledge the exception, or None: nobody acknowledges an
    exception their own action raised (the ``exception.raised`` event's actor)."""
    for e in history:
        if e.type == "exception.raised" and e.payload.get("id") == exception_id:
            if _user_of(e.actor) == user:
                record = state.exceptions.get(exception_id)
                if record is None:
                    own = Text(
                        "exception {id} was raised by {user}'s own action:"
                        " a different person must acknowledge it",
                        id=exception_id,
                        user=user,
                    )
                else:
                    own = Text(
                        "exception {id} ({message}) was raised by {user}'s own action:"
                        " a different person must acknowledge it",
                        id=exception_id,
                        message=record.message,
                        user=user,
                    )
                return str(own)
            return None
    return None


# ---------------------------------------------------------------- the release gate


def ebr_complete(state: BatchState) -> bool:
    """Every step before QA release is done: the current step is the release signature, or
    the batch is completed or released."""
    if state.state in ("completed", "released"):
        return True
    step = state.step
    return (
        step is not None
        and step.kind == "signature"
        and getattr(step, "meaning", None) == ("released")
    )


def release_blockers(state: BatchState, history: Iterable[Event], user: str) -> list[str]:
    """Every reason ``user`` may not release the batch now, in English (`release_blocker_texts`)."""
    return [str(reason) for reason in release_blocker_texts(state, history, user)]


def release_blocker_texts(state: BatchState, history: Iterable[Event], user: str) -> list[Text]:
    """Every reason ``user`` may not release the batch now, or an empty list; each a Text the
    screens show in the user's language.

    The same gate at the station (the QA release step) and in the QA portal
    (``central.release``): the batch already released or aborted; a QC result pending; a
    required review item without a disposition; a deviation of the batch still open; the
    releaser performed or witnessed a step of the batch (separation of duties).
    """
    events = list(history)
    reasons: list[Text] = []
    if state.state in (ABORTED, "released"):
        reasons.append(Text("batch {batch} is {state} already", batch=state.id, state=state.state))
    elif state.state == ON_HOLD:
        reasons.append(Text("batch {batch} is on hold", batch=state.id))
    elif not ebr_complete(state):
        reasons.append(
            Text("the batch is still running (current step {step})", step=state.step_key)
        )
    missing = state.missing_results()
    if missing:
        tests = ", ".join(str(state.awaiting[key]["test"]) for key in missing)
        reasons.append(Text("a QC result is pending ({tests})", tests=tests))
    still = [i for i in open_items(state, history=events) if i.kind != "pending_result"]
    if still:
        shown = ", ".join(i.id for i in still[:3]) + (" …" if len(still) > 3 else "")
        reasons.append(
            Text(
                "{count} review item(s) not yet dispositioned by QA ({items})",
                count=len(still),
                items=shown,
            )
        )
    pending_devs = [d for d in state.deviations.values() if d.is_open]
    if pending_devs:
        shown = ", ".join(d.id for d in pending_devs)
        reasons.append(
            Text(
                "{count} deviation(s) still open ({items})",
                count=len(pending_devs),
                items=shown,
            )
        )
    conflict = release_conflict(state, events, user)
    if conflict is not None:
        reasons.append(conflict)
    return reasons
