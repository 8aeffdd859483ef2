"""What the screens show beyond `Engine.view()`, computed from the recipe, the batch state and
the event log (texts through `i18n.tr`). Each is an engine need: once `View` carries it, it goes.

- `limit_lines(step)`: target, alert and action limits of an entry or weighing step;
- `outside_action(step, value)`: the sentence for a value outside the action limits
  ("Viability 60 % is below the action limit 70 %");
- `category_words`: exception categories in words;
- `hold_info(events)`: who put the batch on hold, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kiosk.entries import outside
from kiosk.recipe import Limits
from kiosk.screens.display import limits_text, local_time, unit_text, value_text
from kiosk.screens.i18n import QT_TR_NOOP, shown, tr

CATEGORY_WORDS = {
    "cpp_cqa": QT_TR_NOOP("critical process parameter or quality attribute"),
    "value": QT_TR_NOOP("value outside its limits"),
    "check_failed": QT_TR_NOOP("failed check"),
    "identity": QT_TR_NOOP("chain of identity"),
    "manual_entry": QT_TR_NOOP("manual entry"),
    "process": QT_TR_NOOP("process deviation"),
    "resource": QT_TR_NOOP("wrong material, bag or equipment"),
    "timer": QT_TR_NOOP("time outside its window"),
}


def category_words(category: str) -> str:
    return tr(CATEGORY_WORDS.get(category, category.replace("_", " ")))


def _limits(step: Any, name: str) -> Limits | None:
    limits = getattr(step, name, None)
    return limits if isinstance(limits, tuple) else None


def target_text(step: Any, parameters: dict[str, Any] | None = None) -> str:
    """The step's target, when the recipe gives one (a `target` field or parameter)."""
    target = getattr(step, "target", None)
    if target is None and parameters:
        target = parameters.get(f"{getattr(step, 'id', '')}_target")
    if target is None:
        return ""
    return value_text(target, getattr(step, "unit", None))


def limit_lines(step: Any) -> list[str]:
    """'Alert limits 65–100 %', 'Action limits ≥ 70 %' for a step that has them."""
    unit = getattr(step, "unit", None)
    lines = []
    alert, action = _limits(step, "alert"), _limits(step, "action")
    if alert is not None:
        lines.append(tr("Alert limits {limits}").format(limits=limits_text(alert, unit)))
    if action is not None:
        lines.append(
            tr("Action limits {limits} (outside: the batch is held)").format(
                limits=limits_text(action, unit)
            )
        )
    return lines


def outside_action(step: Any, value: float) -> str:
    """The sentence for a value outside the action limits, or "" when it is inside."""
    action = _limits(step, "action")
    if action is None:
        return ""
    low, high = action
    unit = unit_text(getattr(step, "unit", None))
    what = getattr(step, "title", None) or getattr(step, "id", "the value")
    shown = value_text(value, getattr(step, "unit", None))
    if low is not None and value < low:
        limit = f"{low:g} {unit}".strip()
        return tr("{what} {value} is below the action limit {limit}").format(
            what=what, value=shown, limit=limit
        )
    if high is not None and value > high:
        limit = f"{high:g} {unit}".strip()
        return tr("{what} {value} is above the action limit {limit}").format(
            what=what, value=shown, limit=limit
        )
    return ""


@dataclass(frozen=True)
class HoldInfo:
    reason: str
    who: str  # the actor, "u:olivia" or "system"
    when: str  # the event's UTC timestamp

    def text(self, name_of: Any) -> str:
        who = tr("the system") if self.who == "system" else name_of(self.who.removeprefix("u:"))
        why = f": {shown(self.reason)}" if self.reason else tr(" (a blocking exception, below)")
        return tr("Held by {who}, {when}").format(who=who, when=local_time(self.when)) + why


def hold_info(events: Iterable[Any]) -> HoldInfo | None:
    """The latest `batch.state` event that put the batch on hold."""
    found = None
    for e in events:
        if e.type == "batch.state":
            held = e.payload.get("state") == "on_hold"
            found = HoldInfo(e.reason or "", e.actor, e.ts) if held else None
    return found


def stage_values(state: Any) -> list[str]:
    """What was recorded so far in the current stage, "Title = value" (newest last).

    Shown on a weighing step (the target typed or calculated before it) and on a
    signature step (what the signature covers: the bag, the seal, the temperature).
    """
    stage = state.stage
    if stage is None:
        return []
    titles = {s.id: s.title or s.id for s in stage.steps}
    shown = []
    for r in sorted(state.records.values(), key=lambda r: r.seq):
        if r.stage != stage.id or r.iteration != state.iteration or r.value is None:
            continue
        value = r.value
        if r.kind == "check":
            value = {"pass": "passed", "fail": "failed", "na": "not applicable"}.get(value, value)
        shown.append(f"{titles.get(r.step_id, r.step_id)} = {value_text(value, r.unit)}")
    return shown


def step_title(state: Any, key: str) -> str:
    """'Shipper temperature (frozen)' for 'receipt.shipper_temp_frozen' (a step key)."""
    step_id = key.rsplit(".", 1)[-1]
    for stage in state.recipe.stages:
        for step in stage.steps:
            if step.id == step_id and key.split(".", 1)[0].split("[", 1)[0] == stage.id:
                return str(step.title or step.id)
    return key


def qc_lines(state: Any) -> list[str]:
    """The batch's QC results from the LIMS: 'Endotoxin: awaited from the LIMS', or the
    result with its specification and 'pass' / 'OUT OF SPECIFICATION'."""
    lines = []
    for key in state.awaiting:
        title = step_title(state, key)
        done = state.results.get(key)
        if done is None:
            lines.append(tr("{title}: awaited from the LIMS").format(title=title))
            continue
        value, unit = done.get("value"), done.get("unit")
        action = (done.get("limits") or {}).get("action")
        expected = done.get("expected")
        if isinstance(value, int | float) and not isinstance(value, bool):
            spec = limits_text(action, unit) if action else ""
            bad = bool(action) and outside(float(value), action)
        else:
            spec = str(expected or "")
            bad = expected is not None and value != expected
        verdict = tr("OUT OF SPECIFICATION") if bad else tr("pass")
        shown = value_text(value, unit)
        if spec:
            lines.append(
                tr("{title}: {value} (specification {spec}) — {verdict}").format(
                    title=title, value=shown, spec=spec, verdict=verdict
                )
            )
        else:
            lines.append(
                tr("{title}: {value} — {verdict}").format(title=title, value=shown, verdict=verdict)
            )
    return [tr("Release tests from the LIMS:"), *lines] if lines else []
