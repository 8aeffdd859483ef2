"""The batch record: the PDF (full, or review by exception) and the JSON electronic copy (no Qt).

21 CFR 11.10(b): complete copies of the record, human-readable and electronic.
Everything here is read from the event log. `load_record` reads a batch from a
station database and `build_record` (which the central server can call with the
events it stores) folds the events into a `BatchState` with the master recipe the
batch ran (found in the recipes folder by id and version, and used only when its
SHA-256 equals the hash the batch recorded). When the recipe is not available the
record is still printed, from the events alone, and says so: step titles and
instructions are missing, the values, limits, people and times are all in the events.

- `write_pdf(record, path)`: the full batch record: cover, exceptions and review
  items first, then every stage and step in order, signatures (11.50: printed
  name, date and time UTC, meaning), corrections, materials, the chain of custody
  (every transfer with its receiver's signature), and the full audit
  trail as an appendix. Batch id, patient identifiers and DIN head every page;
  every page says "page N of M".
- `write_pdf(record, path, review_only=True, trends=...)`: the review-by-exception
  report: review items with their dispositions, the CPP/CQA table, and the trend
  plot when the database holds more than one batch.
- `export_json(record)`: the batch's events verbatim (`Event.to_dict`, with their
  hashes, so a receiver can re-verify each one), the recipe identity (and its
  source text when available), the users' printed names, and a summary.
  `kiosk.batchml` writes the same record as MESA B2MML/BatchML.

Fonts: Bitstream Vera, which ships inside the reportlab package (so a clean
machine has it), is embedded in every PDF. It covers °, µ, ±, ≤, ≥ and –.
Characters outside it are drawn with DejaVu Sans when the system has it
(Debian ``fonts-dejavu-core``) and otherwise printed as ``[U+XXXX]`` so that
nothing is silently lost.

reportlab is imported inside the PDF functions so that `kiosk --help` stays fast.
"""

# Lazy imports are the point here: reportlab (and the BatchML and trend modules) load only
# when a record is written, so `kiosk --help` and the engine stay fast.
# ruff: noqa: PLC0415

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from xml.sax.saxutils import escape

from kiosk import __version__, custody, deviations, review
from kiosk.batch import ABORTED, COMPLETED, RELEASED, BatchState
from kiosk.damage import Damaged, damage, damaged_seqs, fold
from kiosk.identity import din_check_character
from kiosk.recipe import (
    InstructionStep,
    LoadedRecipe,
    Recipe,
    RecipeError,
    Repeat,
    Stage,
    StepBase,
    load_recipe,
)
from kiosk.resources import recipes_dir
from local_store import Event, EventStore, StoreError, event_hash

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

log = logging.getLogger(__name__)

RECIPES_DIR: Final = recipes_dir()
"""Where master recipes live in a checkout; `--recipes` points elsewhere."""

JSON_FORMAT: Final = "cleanroom-kiosk.batch-record"
JSON_FORMAT_VERSION: Final = 1


class EbrError(Exception):
    """The record cannot be produced; str() is one line for the person at the terminal."""


# ---------------------------------------------------------------- the record


@dataclass
class BatchRecord:
    """One batch, read from the log: its events, its state, its recipe and its people."""

    batch: str
    events: list[Event]
    state: BatchState
    recipe_id: str
    recipe_version: int | None
    recipe_sha256: str
    recipe_title: str
    recipe: LoadedRecipe | None
    recipe_note: str
    station: str
    users: dict[str, str]
    hash_mismatches: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    damaged: list[Damaged] = field(default_factory=list)
    """Events left out of the state because their payload is malformed (kiosk.damage)."""

    @property
    def good_events(self) -> list[Event]:
        """The events without the damaged ones: what the review reads."""
        bad = damaged_seqs(self.damaged)
        return [e for e in self.events if (e.station, e.seq) not in bad]

    @property
    def status(self) -> str:
        return self.state.state

    @property
    def started_ts(self) -> str:
        return self.events[0].ts

    @property
    def ended_ts(self) -> str | None:
        """When the batch was completed, released or aborted (the last such event)."""
        ended = None
        for event in self.events:
            if event.type == "batch.state" and event.payload.get("state") in (
                COMPLETED,
                RELEASED,
                ABORTED,
            ):
                ended = event.ts
        return ended

    @property
    def context(self) -> dict[str, Any]:
        return dict(self.state.context)

    def _context_order(self) -> list[str]:
        """Context names in recipe order (the log stores them sorted); patient first without."""
        specs = self.state.recipe.context
        known = [name for name in specs if name in self.state.context]
        rest = sorted(
            (name for name in self.state.context if name not in specs),
            key=lambda name: (not name.startswith("patient"), name),
        )
        return known + rest

    def context_fields(self) -> list[tuple[str, str]]:
        """(label, shown value) of every batch context field, in recipe order."""
        specs = self.state.recipe.context
        shown: list[tuple[str, str]] = []
        for name in self._context_order():
            value = self.state.context[name]
            spec = specs.get(name)
            label = (spec.label if spec and spec.label else None) or name
            if spec is not None and spec.kind == "date" and isinstance(value, str):
                shown.append((label, fmt_ts(value)))
            else:
                shown.append((label, fmt_value(value, spec.unit if spec else None)))
        return shown

    def identifiers(self) -> list[tuple[str, str]]:
        """Patient identifiers, DIN (with its keyboard check character) and CoI.

        Identifiers are the context fields the recipe marks ``identifier``; without the
        recipe, the fields whose name ends in ``_id``.
        """
        specs = self.state.recipe.context
        found: list[tuple[str, str]] = []
        for name in self._context_order():
            spec = specs.get(name)
            if spec.identifier if spec else name.endswith("_id"):
                label = (spec.label if spec and spec.label else None) or name
                found.append((label, str(self.state.context[name])))
        if self.state.din:
            found.append(("DIN", fmt_din(self.state.din)))
        if self.state.coi:
            found.append(("CoI", self.state.coi))
        return found

    def name(self, actor_or_user: str) -> str:
        """'Olivia Okafor (olivia)' for 'u:olivia' or 'olivia'; 'system' stays 'system'."""
        user = actor_or_user.removeprefix("u:")
        if not actor_or_user.startswith("u:") and user not in self.users:
            return actor_or_user
        printed = self.users.get(user)
        return f"{printed} ({user})" if printed else user

    def decimals(self, step: Any) -> int | None:
        """The decimals a step's values are shown with: as recorded, else the recipe's."""
        record = self.state.records.get(str(step))
        if record is None:
            return None
        recorded = record.payload.get("decimals")
        if isinstance(recorded, int):
            return recorded
        model = review.step_model(self.state, record)
        decimals = getattr(model, "decimals", None)
        return decimals if isinstance(decimals, int) else None

    def review_items(self, *, include_values: bool = True) -> list[review.ReviewItem]:
        return review.items(self.state, include_values=include_values, history=self.good_events)

    def signatures(self) -> list[dict[str, Any]]:
        """Every e-signature in the record, once each, in time order, with what it signed."""
        found: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        for event in self.good_events:
            p = event.payload
            sig: Any = None
            what = ""
            if event.type == "signature.applied":
                sig, what = p, f"step {p.get('step')}"
            elif event.type == "exception.acknowledged":
                sig, what = p.get("signature"), f"exception {p.get('id')} acknowledged"
            elif event.type in ("exception.dispositioned", "review.dispositioned"):
                sig = p.get("signature")
                what = f"review item {p.get('id')}: {p.get('decision')}"
            elif event.type == "batch.state" and isinstance(p.get("signature"), dict):
                sig, what = p["signature"], f"batch {p.get('state')}"
            if not isinstance(sig, dict):
                continue
            key = (
                str(sig.get("user")),
                str(sig.get("ts")),
                str(sig.get("meaning")),
                str(sig.get("signed")),
            )
            if key in found:
                found[key]["what"] += f"; {what}"
                continue
            found[key] = {
                "user": sig.get("user"),
                "name": sig.get("name"),
                "ts": sig.get("ts"),
                "meaning": sig.get("meaning"),
                "signed": sig.get("signed"),
                "what": what,
                "seq": event.seq,
                "reason": event.reason,
            }
        return sorted(found.values(), key=lambda s: str(s["ts"]))


def open_store(db: str | os.PathLike[str], station: str | None = None) -> EventStore:
    """Open an existing record database for reading; EbrError if there is none."""
    path = Path(db)
    if not path.is_file():
        raise EbrError(f"no database at {path}")
    try:
        return EventStore(
            path,
            station or os.environ.get("KIOSK_STATION", "READER"),
            create=False,
            read_only=True,
        )
    except StoreError as exc:
        raise EbrError(str(exc)) from exc


def load_record(
    store: EventStore, batch_id: str, recipes_dir: str | os.PathLike[str] | None = RECIPES_DIR
) -> BatchRecord:
    """Read one batch from a station database; EbrError if it has no such batch.

    The recipe is looked up in `recipes_dir` (`find_recipe`); printed names come from the
    file's ``user.created`` events, and from the users pulled from the central server (the
    ``<db>.sync`` file beside it) on a station whose users are the server's.
    """
    try:
        events = store.batch_history(batch_id)  # every station's part, in ownership order
        created = list(store.events(types=["user.created"])) + _pulled_users(store.path)
        users = {str(e.payload.get("user")): str(e.payload.get("name")) for e in created}
    except StoreError as exc:
        raise EbrError(str(exc)) from exc
    if not events:
        raise EbrError(f"no batch {batch_id!r} in {store.path}")
    p = events[0].payload
    loaded, note = find_recipe(
        recipes_dir,
        str(p.get("recipe_id", "?")),
        p.get("recipe_version"),
        str(p.get("recipe_sha256", "")),
    )
    return build_record(batch_id, events, users, loaded, note)


def _pulled_users(db: Path) -> list[Event]:
    """The ``user.created`` events pulled from the server, if this station has any (read only)."""
    from kiosk.sync import SyncState  # only for a server-managed station

    path = SyncState.path_for(db)
    if not path.exists():
        return []
    try:
        return [e for e in SyncState(path).user_events() if e.type == "user.created"]
    except Exception:  # a damaged sync file costs printed names, never the record
        log.warning("the users pulled from the server could not be read from %s", path)
        return []


def build_record(
    batch_id: str,
    events: Sequence[Event],
    users: Mapping[str, str],
    loaded: LoadedRecipe | None,
    recipe_note: str,
) -> BatchRecord:
    """The record of one batch from its events, wherever they were read (station or server).

    `loaded` is used only if its SHA-256 is the one the batch recorded; otherwise, or without
    it, the events are folded with a stand-in recipe and the record says so. Each event's hash
    is recomputed. EbrError if the events do not start with ``batch.started``.
    """
    if not events or events[0].type != "batch.started":
        kind = events[0].type if events else "nothing"
        raise EbrError(f"batch {batch_id}: its first event is {kind}, not batch.started")
    first = events[0]
    p = first.payload
    recipe_id = str(p.get("recipe_id", "?"))
    version = p.get("recipe_version")
    sha = str(p.get("recipe_sha256", ""))
    if loaded is not None and (
        loaded.sha256 != sha or loaded.recipe.id != recipe_id or loaded.recipe.version != version
    ):
        recipe_note = (
            f"the recipe was not available: {loaded.recipe.id} v{loaded.recipe.version} "
            f"(sha256 {loaded.sha256[:12]}…) is not the {sha[:12]}… the batch ran; "
            "printed from the events alone"
        )
        loaded = None
    state = BatchState(
        id=batch_id,
        recipe=loaded.recipe if loaded is not None else placeholder_recipe(events),
        recipe_sha256=sha,
        context=dict(p.get("context") or {}),
        started_ts=first.ts,
    )
    _good, damaged = fold(state, events)  # a damaged event is listed, never fatal
    problems = [d.line() for d in damaged]
    mismatches = [
        e.seq
        for e in events
        if event_hash(e.station, e.seq, e.ts, e.actor, e.batch, e.type, e.payload, e.reason, e.prev)
        != e.hash
    ]
    return BatchRecord(
        batch=batch_id,
        events=list(events),
        state=state,
        recipe_id=recipe_id,
        recipe_version=version if isinstance(version, int) else None,
        recipe_sha256=sha,
        recipe_title=str(p.get("recipe_title") or (loaded.recipe.title if loaded else recipe_id)),
        recipe=loaded,
        recipe_note=recipe_note,
        station=str(p.get("station") or first.station),
        users=dict(users),
        hash_mismatches=mismatches,
        problems=problems,
        damaged=damaged,
    )


def find_recipe(
    recipes_dir: str | os.PathLike[str] | None, recipe_id: str, version: Any, sha256: str
) -> tuple[LoadedRecipe | None, str]:
    """The master recipe a batch ran, if a file in `recipes_dir` has its id, version and hash."""
    if recipes_dir is None or not Path(recipes_dir).is_dir():
        return None, f"the recipe was not available (no recipes folder {recipes_dir})"
    same_version: list[tuple[Path, str]] = []
    for path in sorted(Path(recipes_dir).glob("*.y*ml")):
        try:
            loaded = load_recipe(path)
        except RecipeError:
            continue
        if loaded.recipe.id != recipe_id or loaded.recipe.version != version:
            continue
        if loaded.sha256 == sha256:
            return loaded, f"sha256 matches {path.name}"
        same_version.append((path, loaded.sha256))
    if same_version:
        path, other = same_version[0]
        return None, (
            f"the recipe was not available: {path.name} is {recipe_id} v{version} but its "
            f"sha256 is {other[:12]}…, not the {sha256[:12]}… the batch ran; "
            "printed from the events alone"
        )
    return None, (
        f"the recipe was not available ({recipe_id} v{version} is not in {recipes_dir}); "
        "printed from the events alone"
    )


def placeholder_recipe(events: Sequence[Event]) -> Recipe:
    """A stand-in recipe with the stages and steps the events name, to fold them without one."""
    stages: dict[str, list[str]] = {}
    repeated: set[str] = set()
    for event in events:
        p = event.payload
        if event.type == "stage.started":
            stages.setdefault(str(p.get("stage")), [])
            if int(p.get("iteration", 1)) > 1:
                repeated.add(str(p.get("stage")))
        elif event.type == "step.recorded":
            steps = stages.setdefault(str(p.get("stage")), [])
            if p.get("step_id") not in steps:
                steps.append(str(p.get("step_id")))
    first = events[0].payload if events else {}
    return Recipe.model_construct(
        id=str(first.get("recipe_id", "unknown")),
        version=int(first.get("recipe_version", 1) or 1),
        title=str(first.get("recipe_title", "recipe not available")),
        status="effective",
        product=None,
        description=None,
        context={},
        parameters={},
        stages=[
            Stage.model_construct(
                id=stage_id,
                title=None,
                when=None,
                repeat=Repeat.model_construct(until="false", max=365, counter=None)
                if stage_id in repeated
                else None,
                steps=[
                    InstructionStep.model_construct(id=step_id, kind="instruction")
                    for step_id in (steps or ["unknown"])
                ],
            )
            for stage_id, steps in stages.items()
        ],
    )


# ---------------------------------------------------------------- formatting


def fmt_ts(ts: str | None, *, seconds: bool = True) -> str:
    """'2026-11-27 07:00:00 UTC' from a stored UTC timestamp."""
    if not ts:
        return "—"
    try:
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return ts
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")


def fmt_unit(unit: str | None) -> str:
    return review.show_unit(unit)


def fmt_value(value: Any, unit: str | None = None, decimals: int | None = None) -> str:
    """A recorded value with its unit, numbers with the step's decimals."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, int | float):
        text = f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    elif isinstance(value, dict) and "value" in value:
        return fmt_value(value["value"], value.get("unit"))
    else:
        text = str(value)
    shown = fmt_unit(unit)
    return f"{text} {shown}" if shown else text


def fmt_limits(limits: Any, unit: str | None = None) -> str:
    """'70–100 %', '≥ 50', '≤ 4.99 EU/mL' from a stored [low, high] pair."""
    if not isinstance(limits, list | tuple) or len(limits) != 2:
        return ""
    low, high = limits
    u = f" {fmt_unit(unit)}" if fmt_unit(unit) else ""
    if low is None and high is None:
        return ""
    if low is None:
        return f"≤ {high:g}{u}"
    if high is None:
        return f"≥ {low:g}{u}"
    return f"{low:g}–{high:g}{u}"


def fmt_din(din: str) -> str:
    """The DIN as printed for people: 13 characters, a space, the keyboard check character."""
    try:
        return f"{din} {din_check_character(din)}"
    except (KeyError, ValueError):
        return din


def summarize(event: Event, name: Callable[[str], str] | None = None) -> str:
    """One line saying what an event records (the audit trail's summary column).

    A damaged event (kiosk.damage) is shown as it is stored, marked DAMAGED.
    """
    problem = damage(event)
    if problem is None:
        try:
            return _summarize(event, name)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
            problem = f"cannot be summarised ({type(exc).__name__})"
    text = json.dumps(event.payload, ensure_ascii=False, sort_keys=True, default=str)
    return f"DAMAGED {event.type} event ({problem}): {text[:300]}"


def _summarize(event: Event, name: Callable[[str], str] | None = None) -> str:
    p = event.payload
    who: Callable[[str], str] = name or (lambda actor: actor)
    kind = event.type
    reason = f" — reason: {event.reason}" if event.reason else ""
    if kind == "batch.started":
        context = ", ".join(f"{k}={v}" for k, v in (p.get("context") or {}).items())
        return (
            f"batch started: recipe {p.get('recipe_id')} v{p.get('recipe_version')} "
            f"(sha256 {str(p.get('recipe_sha256', ''))[:12]}…) on {p.get('station')}; {context}"
        )
    if kind == "stage.started":
        return f"stage {p.get('stage')} started (iteration {p.get('iteration')})"
    if kind == "step.recorded":
        text = f"{p.get('step')} = {fmt_value(p.get('value'), p.get('unit'), p.get('decimals'))}"
        extras = [
            (f"{'balance' if p.get('kind') == 'weigh' else 'from'} {p['device']}")
            if p.get("device")
            else "",
            f"file {p['counter'].get('file')} sha256 {str(p['counter'].get('sha256'))[:12]}…"
            if isinstance(p.get("counter"), dict)
            else "",
            "typed by hand" if p.get("manual") or p.get("keyed") else "",
            f"lot {p['lot']}" if p.get("lot") and p.get("lot") != p.get("value") else "",
            f"comment: {p['comment']}" if p.get("comment") else "",
        ]
        extra = "; ".join(x for x in extras if x)
        return f"{text} ({extra})" if extra else text
    if kind == "step.completed":
        return f"{p.get('step')} completed"
    if kind == "result.pending":
        return f"{p.get('step')}: {p.get('test')} result pending (from the LIMS)"
    if kind == "result.recorded":
        shown = fmt_value(p.get("value"), p.get("unit"), p.get("decimals"))
        return (
            f"{p.get('step')} = {shown} ({p.get('test')} from the LIMS, ref {p.get('lims_ref')}, "
            f"method {p.get('method')}, sample {p.get('sample_id')})"
        )
    if kind == "step.skipped":
        return f"{p.get('step')} skipped: {p.get('reason')}"
    if kind == "signature.applied":
        return (
            f"signed ({p.get('meaning')}) by {p.get('name')} ({p.get('user')}) "
            f"for {p.get('step')} at {fmt_ts(p.get('ts'))}"
        )
    if kind == "timer.started":
        return f"timer started for {p.get('step')}"
    if kind == "identity.bound":
        what = "DIN" if p.get("din") else "CoI"
        return f"{what} {p.get('din') or p.get('coi')} bound to the batch at {p.get('step')}"
    if kind == "material.used":
        return (
            f"{p.get('material')} lot {p.get('lot')} (GTIN {p.get('gtin')}, "
            f"expires {p.get('expiry')}) used at {p.get('step')}"
        )
    if kind == custody.EVENT:
        sig = p.get("signature")
        signed = f"; received: {sig.get('name')}" if isinstance(sig, Mapping) else ""
        return (
            f"custody {p.get('kind') or 'hand-over'}: {p.get('from')} → {p.get('to')} at "
            f"{p.get('location') or '?'} ({custody.condition_text(p.get('condition'))}){signed}"
        )
    if kind == "exception.raised":
        blocking = ", blocking" if p.get("blocking") else ""
        return (
            f"exception {p.get('id')} [{p.get('category')}/{p.get('severity')}{blocking}] "
            f"{p.get('message')}"
        )
    if kind == "exception.acknowledged":
        sig = p.get("signature") or {}
        return f"exception {p.get('id')} acknowledged by {sig.get('name')}{reason}"
    if kind in ("exception.dispositioned", "review.dispositioned"):
        sig = p.get("signature") or {}
        ref = f" {p.get('reference')}" if p.get("reference") else ""
        return f"{p.get('id')} dispositioned {p.get('decision')}{ref} by {sig.get('name')}{reason}"
    if kind == "step.corrected":
        unit = p.get("unit")
        return (
            f"{p.get('step')} corrected from {fmt_value(p.get('old'), unit)} to "
            f"{fmt_value(p.get('new'), unit)} (corrects event {p.get('corrects')}){reason}"
        )
    if kind == "batch.state":
        sig = p.get("signature")
        signed = f", signed by {sig.get('name')}" if isinstance(sig, dict) else ""
        return (
            f"batch {str(p.get('state', '')).replace('_', ' ')} by {who(event.actor)}{signed}"
            + (reason)
        )
    if kind == "monitor.samples":
        samples = p.get("samples") or []
        units = p.get("units") or {}
        last = samples[-1].get("values", {}) if samples else {}
        shown = ", ".join(f"{k} {fmt_value(v, units.get(k))}" for k, v in last.items())
        return (
            f"{p.get('step')}: {len(samples)} monitoring sample(s) from {p.get('role')} "
            f"({p.get('device') or 'no answer'}); last: {shown}"
        )
    if kind == "monitor.gap":
        end = f" until {fmt_ts(p.get('end'))}" if p.get("end") else " (still open)"
        return (
            f"{p.get('step')}: no readings from {p.get('role')} since "
            f"{fmt_ts(p.get('start'))}{end}: {p.get('reason')}"
        )
    if kind == "action.refused":
        return f"refused: {p.get('action')} at {p.get('step')}: {p.get('reason')}"
    text = json.dumps(p, ensure_ascii=False, sort_keys=True)
    return f"{kind}: {text[:300]}{reason}"


# ---------------------------------------------------------------- the electronic copy (JSON)


def export_json(record: BatchRecord, *, now: datetime | None = None) -> dict[str, Any]:
    """The batch's events verbatim, the recipe identity and a summary (JSON-serialisable)."""
    found = record.review_items()
    counts = review.summary(found)
    source = None
    if record.recipe is not None:
        try:
            source = record.recipe.path.read_text(encoding="utf-8")
        except OSError:
            source = None
    last = record.events[-1]
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_FORMAT_VERSION,
        "exported": (now or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "exported_by": f"cleanroom-kiosk {__version__}",
        "batch": record.batch,
        "station": record.station,
        "recipe": {
            "id": record.recipe_id,
            "version": record.recipe_version,
            "sha256": record.recipe_sha256,
            "title": record.recipe_title,
            "available": record.recipe is not None,
            "note": record.recipe_note,
            "source": source,
        },
        "summary": {
            "status": record.status,
            "started": record.started_ts,
            "ended": record.ended_ts,
            "identifiers": dict(record.identifiers()),
            "context": record.context,
            "events": len(record.events),
            "first_seq": record.events[0].seq,
            "last_seq": last.seq,
            "last_hash": last.hash,
            "hash_mismatches": record.hash_mismatches,
            "exceptions": len(record.state.exceptions),
            "review": dict(counts),
            "signatures": len(record.signatures()),
        },
        "users": _users(record),
        "review_items": [
            {
                "id": i.id,
                "kind": i.kind,
                "category": i.category,
                "severity": i.severity,
                "step": i.step,
                "message": i.message,
                "ts": i.ts,
                "required": i.required,
                "status": i.status,
                "values": i.values,
                "disposition": i.disposition,
            }
            for i in found
        ],
        "events": [e.to_dict() for e in record.events],
    }


def _users(record: BatchRecord) -> dict[str, str]:
    """Printed names of everyone who acted or signed in the batch (no password hashes)."""
    names = {
        e.actor.removeprefix("u:"): record.users[e.actor.removeprefix("u:")]
        for e in record.events
        if e.actor.removeprefix("u:") in record.users
    }
    for sig in record.signatures():
        names.setdefault(str(sig["user"]), str(sig["name"]))
    return dict(sorted(names.items()))


def write_json(record: BatchRecord, path: str | os.PathLike[str]) -> None:
    text = json.dumps(export_json(record), indent=2, ensure_ascii=False, default=str)
    Path(path).write_text(text + "\n", encoding="utf-8")


# ---------------------------------------------------------------- PDF: fonts and styles


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    covered: frozenset[int]
    fallback: str | None
    fallback_covered: frozenset[int]

    def markup(self, text: Any) -> str:
        """Escaped Paragraph markup; characters the main font lacks use the fallback."""
        out: list[str] = []
        for ch in str(text):
            code = ord(ch)
            if ch in "\n":
                out.append("<br/>")
            elif code < 32 or code in self.covered:
                out.append(escape(ch) if code >= 32 else " ")
            elif self.fallback and code in self.fallback_covered:
                out.append(f'<font face="{self.fallback}">{escape(ch)}</font>')
            else:
                out.append(f"[U+{code:04X}]")
        return "".join(out)


_FALLBACK_FONTS: Final = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


@functools.cache
def _fonts() -> _Fonts:
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).resolve().parent / "fonts"
    regular = TTFont("KioskSans", str(folder / "Vera.ttf"))
    bold = TTFont("KioskSans-Bold", str(folder / "VeraBd.ttf"))
    for font in (regular, bold):
        pdfmetrics.registerFont(font)
    addMapping("KioskSans", 0, 0, "KioskSans")
    addMapping("KioskSans", 1, 0, "KioskSans-Bold")
    addMapping("KioskSans", 0, 1, "KioskSans")
    addMapping("KioskSans", 1, 1, "KioskSans-Bold")
    covered = frozenset(regular.face.charToGlyph)
    fallback: str | None = None
    fallback_covered: frozenset[int] = frozenset()
    for candidate in _FALLBACK_FONTS:
        if Path(candidate).is_file():
            try:
                extra = TTFont("KioskSansFallback", candidate)
            except Exception:  # a broken system font only loses the fallback
                log.warning("cannot use %s as the fallback font", candidate)
                continue
            pdfmetrics.registerFont(extra)
            fallback, fallback_covered = "KioskSansFallback", frozenset(extra.face.charToGlyph)
            break
    return _Fonts("KioskSans", "KioskSans-Bold", covered, fallback, fallback_covered)


@dataclass(frozen=True)
class _Styles:
    body: Any
    small: Any
    cell: Any
    cell_bold: Any
    cell_small: Any
    h1: Any
    h2: Any
    title: Any
    header: Any
    grey: Any


def _styles(fonts: _Fonts) -> _Styles:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9.2)
    return _Styles(
        body=body,
        small=small,
        cell=cell,
        cell_bold=ParagraphStyle("cellb", parent=cell, fontName=fonts.bold),
        cell_small=ParagraphStyle(
            "cells", parent=cell, fontSize=6.5, leading=8, textColor=colors.HexColor("#444444")
        ),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=fonts.bold,
            fontSize=13,
            leading=16,
            spaceBefore=8,
            spaceAfter=5,
            keepWithNext=True,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=fonts.bold,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=True,
        ),
        title=ParagraphStyle("title", parent=body, fontName=fonts.bold, fontSize=18, leading=22),
        header=ParagraphStyle("header", parent=body, fontSize=8, leading=10),
        grey=ParagraphStyle(
            "grey", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555")
        ),
    )


# ---------------------------------------------------------------- PDF: the document


def write_pdf(
    record: BatchRecord,
    path: str | os.PathLike[str],
    *,
    review_only: bool = False,
    trends: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> int:
    """Write the batch record (or the review report) as PDF; returns the number of pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    fonts = _fonts()
    st = _styles(fonts)
    generated = fmt_ts((now or datetime.now(UTC)).isoformat().replace("+00:00", "Z"))
    kind = "Batch record — review by exception" if review_only else "Electronic batch record"
    ids = " · ".join(f"{label} {value}" for label, value in record.identifiers())
    # every text from the record is escaped: a batch ID or a comment is never markup
    head_main = fonts.markup(f"Batch {record.batch} · {ids}" if ids else f"Batch {record.batch}")
    head_sub = fonts.markup(
        f"{kind} · {record.recipe_title} · {record.recipe_id} v{record.recipe_version} · "
        f"status {record.status.replace('_', ' ')}"
    )
    last_hash = record.events[-1].hash
    footer_left = (
        f"Generated {generated} by cleanroom-kiosk {__version__} from the electronic record · "
        f"{len(record.events)} events, last hash {last_hash[:16]}…"
    )
    page_w, page_h = A4
    margin = 14 * mm
    pages: list[int] = []

    def draw_header(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        top = page_h - 9 * mm
        para = Paragraph(f"<b>{head_main}</b>", st.header)
        _w, h = para.wrap(page_w - 2 * margin, 30 * mm)
        para.drawOn(canvas, margin, top - h)
        sub = Paragraph(head_sub, st.grey)
        _w, h2 = sub.wrap(page_w - 2 * margin, 20 * mm)
        sub.drawOn(canvas, margin, top - h - h2)
        canvas.setStrokeColor(colors.HexColor("#888888"))
        canvas.setLineWidth(0.5)
        canvas.line(margin, top - h - h2 - 2, page_w - margin, top - h - h2 - 2)
        canvas.restoreState()

    class NumberedCanvas(Canvas):
        """Holds every page until the end, then writes 'page N of M' on each."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 — reportlab's name for it
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # private, not in the stubs

        def save(self) -> None:
            total = len(self._pages)
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self.setFont(fonts.regular, 6.5)
                self.setFillColor(colors.HexColor("#444444"))
                self.drawString(margin, 8 * mm, footer_left)
                self.setFont(fonts.bold, 8)
                self.drawRightString(page_w - margin, 8 * mm, f"page {number} of {total}")
                super().showPage()
            pages.append(total)
            super().save()

    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=24 * mm,
        bottomMargin=15 * mm,
        title=f"{kind}: {record.batch}",
        author=f"cleanroom-kiosk {__version__}",
        subject=f"{record.recipe_title}; {ids}",
        creator=f"cleanroom-kiosk {__version__}",
        # the page preamble selects the initial font: ours, or every page would also
        # reference an unembedded Helvetica
        initialFontName=fonts.regular,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=draw_header)])
    story = (
        _review_story(record, fonts, st, doc.width, trends)
        if review_only
        else _full_story(record, fonts, st, doc.width)
    )
    doc.build(story, canvasmaker=NumberedCanvas)
    return pages[-1] if pages else 0


_CONTROLS: Final = {code: " " for code in range(32) if code != 10}
"""Control characters other than the line break print as spaces."""

_PAD: Final = 2.5
"""Left and right cell padding in tables (points)."""


class _Builder:
    """Turns text into table cells and flowables with one font and one table style.

    Speed matters (a long batch is 60+ pages): a cell whose characters the main font
    covers is wrapped here and handed to the table as a plain multi-line string, which
    reportlab lays out and draws far faster than a Paragraph; a cell with other
    characters, or with markup, becomes a Paragraph (fallback font, bold, colour).
    """

    def __init__(self, fonts: _Fonts, st: _Styles, width: float) -> None:
        self.fonts, self.st, self.width = fonts, st, width

    def p(self, text: Any, style: Any = None, *, raw: bool = False) -> Flowable:
        from reportlab.platypus import Paragraph

        return Paragraph(str(text) if raw else self.fonts.markup(text), style or self.st.cell)

    def cell(
        self, text: Any, width: float, size: float = 7.5, style: Any = None, *, bold: bool = False
    ) -> Any:
        """A plain string wrapped to `width` points, or a Paragraph when it must be one."""
        text = str(text).translate(_CONTROLS)
        if not text.isascii() and not set(map(ord, text)) - {10} <= self.fonts.covered:
            return self.p(text, style or (self.st.cell_bold if bold else None))
        return "\n".join(self.wrap(text, width - 2 * _PAD, size, bold=bold))

    def wrap(self, text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
        """Lines of at most `width` points: at spaces, and inside words longer than a line.

        reportlab's width of a string is the sum of its glyphs' widths (no kerning), so
        a line's width is kept as a running sum and each word is measured once.
        """
        from reportlab.pdfbase.pdfmetrics import stringWidth

        font = self.fonts.bold if bold else self.fonts.regular
        space = stringWidth(" ", font, size)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            if stringWidth(paragraph, font, size) <= width:
                lines.append(paragraph)
                continue
            line, used = "", 0.0
            for word in paragraph.split(" "):
                wide = stringWidth(word, font, size)
                if line and used + space + wide <= width:
                    line, used = f"{line} {word}", used + space + wide
                    continue
                if line:
                    lines.append(line)
                line, used = word, wide
                while used > width and len(line) > 1:
                    cut = len(line) - 1
                    while cut > 1 and stringWidth(line[:cut], font, size) > width:
                        cut -= 1
                    nice = max(line.rfind(mark, 0, cut) for mark in "._]-/:")
                    if nice >= cut // 2:
                        cut = nice + 1  # break after a dot or underscore when one is near
                    lines.append(line[:cut])
                    line = line[cut:]
                    used = stringWidth(line, font, size)
            lines.append(line)
        return lines

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float],
        *,
        highlight: Iterable[int] = (),
        size: float = 7.5,
        leading: float = 9.2,
        bold_first: bool = False,
    ) -> Flowable:
        """A table with a repeated header row; `widths` are fractions of the frame width.

        `bold_first`: the first column in bold (a step's title and key).
        """
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        points = [w * self.width for w in widths]
        data: list[list[Any]] = [
            [self.cell(h, w, size, bold=True) for h, w in zip(header, points, strict=True)]
        ]
        for row in rows:
            data.append(
                [
                    self.cell(c, w, size, bold=bold_first and i == 0)
                    if isinstance(c, str | int | float)
                    else c
                    for i, (c, w) in enumerate(zip(row, points, strict=True))
                ]
            )
        table = Table(data, colWidths=points, repeatRows=1)
        style: list[Any] = [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
            ("FONTNAME", (0, 0), (-1, 0), self.fonts.bold),
            ("FONTNAME", (0, 1), (0, -1), self.fonts.bold if bold_first else self.fonts.regular),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), leading),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E8EE")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#B0B0B0")),
            ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for row_index in highlight:
            style.append(
                ("BACKGROUND", (0, row_index + 1), (-1, row_index + 1), colors.HexColor("#FDECEC"))
            )
        table.setStyle(TableStyle(style))
        return table

    def pairs(self, pairs: Sequence[tuple[str, Any]], label_width: float = 0.28) -> Flowable:
        """A two-column label/value table without a header."""
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        widths = [label_width * self.width, (1 - label_width) * self.width]
        data = [
            [self.cell(k, widths[0], 7.5, bold=True), self.cell(v, widths[1])] for k, v in pairs
        ]
        table = Table(data, colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
                    ("FONTNAME", (0, 0), (0, -1), self.fonts.bold),
                    ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                    ("LEADING", (0, 0), (-1, -1), 9.2),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#C8C8C8")),
                    ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
                    ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        return table


def _signed(record: BatchRecord, sig: Mapping[str, Any] | None) -> str:
    """'reviewed — Quinn Marlowe (quinn), 2026-12-03 09:00:00 UTC' (11.50)."""
    if not isinstance(sig, Mapping):
        return ""
    return f"{sig.get('meaning')} — {sig.get('name')} ({sig.get('user')}), {fmt_ts(sig.get('ts'))}"


def _disposition_text(record: BatchRecord, disposition: Mapping[str, Any] | None) -> str:
    if not disposition:
        return "OPEN — not yet dispositioned"
    ref = f" {disposition.get('reference')}" if disposition.get("reference") else ""
    return (
        f"{str(disposition.get('decision', '')).upper()}{ref}: {disposition.get('reason')}\n"
        f"signed {_signed(record, disposition.get('signature'))}"
    )


def _cover(record: BatchRecord, b: _Builder, title: str) -> list[Flowable]:
    from reportlab.platypus import Spacer

    st = b.st
    recipe = record.recipe.recipe if record.recipe else None
    released = next(
        (
            e.payload.get("signature")
            for e in reversed(record.events)
            if e.type == "batch.state" and e.payload.get("state") == RELEASED
        ),
        None,
    )
    integrity = (
        f"the SHA-256 of each of the {len(record.events)} events (seq "
        f"{record.events[0].seq}–{record.events[-1].seq}) was recomputed: all match"
        if not record.hash_mismatches
        else "ALTERED: the hash of event(s) "
        + ", ".join(str(s) for s in record.hash_mismatches)
        + " does not match its content"
    )
    pairs: list[tuple[str, Any]] = [
        (
            "Product",
            f"{record.recipe_title}"
            + (f" (ISBT 128 product code {recipe.product})" if recipe and recipe.product else ""),
        ),
        ("Batch", record.batch),
    ]
    pairs += [(label, value) for label, value in record.identifiers()]
    pairs += [
        ("Recipe", f"{record.recipe_id} version {record.recipe_version}"),
        ("Recipe SHA-256", f"{record.recipe_sha256}\n{record.recipe_note}"),
        ("Station", record.station),
        ("Started", fmt_ts(record.started_ts)),
        ("Ended", fmt_ts(record.ended_ts) if record.ended_ts else "not ended"),
        ("Status", record.status.replace("_", " ").upper()),
    ]
    if isinstance(released, dict):
        pairs.append(("Released", _signed(record, released)))
    pairs.append(("Record integrity", integrity + " (the whole chain: kiosk audit verify)"))
    for problem in record.problems:
        pairs.append(("Problem", problem))
    return [
        b.p(title, st.title),
        Spacer(1, 4),
        b.p(
            "A copy of the electronic record, generated from the station's append-only, "
            "hash-chained event log. Times are UTC. The electronic record is the original.",
            st.grey,
        ),
        Spacer(1, 6),
        b.pairs(pairs),
    ]


def _review_table(record: BatchRecord, b: _Builder, found: list[review.ReviewItem]) -> Flowable:
    rows = []
    highlight = []
    for index, item in enumerate(found):
        exc = record.state.exceptions.get(item.id)
        kind = f"{review.KINDS.get(item.kind, item.kind)} · {item.category}"
        if item.severity:
            kind += f" · {item.severity}"
        raised = b.p(
            f'<font size="6">{b.fonts.markup(item.id)}</font><br/>'
            f"{b.fonts.markup(kind)}<br/>{b.fonts.markup(fmt_ts(item.ts))}",
            raw=True,
        )
        message = item.message + (f"\nstep {item.step}" if item.step else "")
        ack = ""
        if exc is not None and exc.blocking:
            ack = (
                f"acknowledged: {exc.acknowledged.get('reason')}\n"
                f"signed {_signed(record, exc.acknowledged.get('signature'))}"
                if exc.acknowledged
                else "blocking: NOT acknowledged"
            )
        rows.append([raised, message, ack, _disposition_text(record, item.disposition)])
        if item.blocks_release:
            highlight.append(index)
    return b.table(
        ["Item, kind, raised", "What", "Supervisor acknowledgement", "QA disposition"],
        rows,
        [0.26, 0.26, 0.2, 0.28],
        highlight=highlight,
    )


def _values_table(record: BatchRecord, b: _Builder, values: list[review.ReviewItem]) -> Flowable:
    rows = []
    highlight = []
    for index, item in enumerate(values):
        v = item.values
        decimals = record.decimals(item.step)
        title = _step_title(record, item.step)
        limits = str(v.get("limits_text") or "—").replace("; ", "\n")
        status = str(v.get("status"))
        if v.get("exceptions"):
            status += "\n" + ", ".join(v["exceptions"])
        if v.get("corrected"):
            status += "\n(corrected)"
        rows.append(
            [
                f"{title}\n{item.step}",
                str(v.get("critical")),
                fmt_value(v.get("value"), v.get("unit"), decimals),
                limits,
                status,
            ]
        )
        if not v.get("in_limits"):
            highlight.append(index)
    return b.table(
        ["Step", "", "Value", "Limits", "In limits"],
        rows,
        [0.38, 0.06, 0.16, 0.24, 0.16],
        highlight=highlight,
    )


def _step_title(record: BatchRecord, key: str | None) -> str:
    rec = record.state.records.get(key or "")
    if rec is None:
        return key or ""
    model = review.step_model(record.state, rec)
    return (model.title if model is not None and model.title else None) or rec.step_id


def _review_story(
    record: BatchRecord,
    fonts: _Fonts,
    st: _Styles,
    width: float,
    trends: Mapping[str, Any] | None,
) -> list[Flowable]:
    from reportlab.platypus import Spacer

    b = _Builder(fonts, st, width)
    found = record.review_items(include_values=False)
    values = review.value_items(record.state)
    counts = review.summary(found)
    story = _cover(record, b, "Batch record — review by exception")
    story += [
        b.p("1. Review items", st.h1),
        b.p(
            f"{counts['required']} item(s) need a QA disposition; {counts['open']} open. "
            "Items are exceptions, corrections, comments, manual and late entries, holds "
            "and aborts (kiosk/review.py). Release is refused while one is open.",
            st.small,
        ),
        Spacer(1, 3),
    ]
    story.append(
        _review_table(record, b, found) if found else b.p("No review items: a clean batch.")
    )
    out = sum(1 for v in values if not v.values.get("in_limits"))
    story += [
        b.p("2. CPP and CQA values", st.h1),
        b.p(
            f"{len(values)} critical values, {out} outside limits (each such value has raised "
            "an exception above). In-limit values are shown for information.",
            st.small,
        ),
        Spacer(1, 3),
        _values_table(record, b, values) if values else b.p("No CPP/CQA values recorded."),
    ]
    if trends and len(trends.get("batches", [])) > 1:
        from kiosk.trends import trend_drawing

        story += [
            b.p("3. Trends across batches", st.h1),
            b.p(
                f"{len(trends['batches'])} batches in this database; this batch is marked in "
                "red. Dashed lines are the action limits.",
                st.small,
            ),
            trend_drawing(trends, record.batch, width, fonts.regular),
        ]
    story += [
        Spacer(1, 6),
        b.p(
            "The full record (every step, signature, correction and the audit trail): "
            f"kiosk ebr export --batch {record.batch}.",
            st.grey,
        ),
    ]
    return story


# ---------------------------------------------------------------- PDF: the full record


@dataclass
class _Row:
    key: str
    stage: str
    step_id: str
    recorded: Event | None = None
    skipped: str | None = None
    completed: str | None = None
    signatures: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[Event] = field(default_factory=list)
    materials: list[Event] = field(default_factory=list)
    timer_started: str | None = None
    pending: bool = False  # a QC result the LIMS sends later


def _groups(record: BatchRecord) -> list[tuple[str, int, list[_Row]]]:
    """(stage, iteration, rows) in the order the batch went through them."""
    groups: list[tuple[str, int, list[_Row]]] = []
    rows: dict[str, _Row] = {}

    def row_for(key: str, stage: str | None = None, step_id: str | None = None) -> _Row:
        row = rows.get(key)
        if row is None:
            stage_guess, _, step_guess = key.rpartition(".")
            row = _Row(key, stage or stage_guess.split("[")[0], step_id or step_guess)
            rows[key] = row
            if not groups:
                groups.append((row.stage, 1, []))
            groups[-1][2].append(row)
        return row

    for event in record.good_events:
        p = event.payload
        if event.type == "stage.started":
            groups.append((str(p.get("stage")), int(p.get("iteration", 1)), []))
        elif event.type == "step.recorded":
            row_for(str(p.get("step")), str(p.get("stage")), str(p.get("step_id"))).recorded = event
        elif event.type == "step.skipped":
            row_for(str(p.get("step"))).skipped = str(p.get("reason"))
        elif event.type == "result.pending":
            row_for(str(p.get("step")), str(p.get("stage")), str(p.get("step_id"))).pending = True
        elif event.type == "result.recorded":
            row_for(str(p.get("step"))).recorded = event
        elif event.type == "step.completed":
            row_for(str(p.get("step"))).completed = event.ts
        elif event.type == "signature.applied":
            row_for(str(p.get("step"))).signatures.append(dict(p))
        elif event.type == "step.corrected":
            row_for(str(p.get("step"))).corrections.append(event)
        elif event.type == "material.used":
            row_for(str(p.get("step"))).materials.append(event)
        elif event.type == "timer.started":
            row_for(str(p.get("step"))).timer_started = event.ts
    return [g for g in groups if g[2]]


def _monitoring_story(record: BatchRecord, row: _Row, b: _Builder, font: str) -> list[Flowable]:
    """A timer step's monitored series: a plot per node, then the gaps in words."""
    from reportlab.platypus import Spacer

    from kiosk.monitor_plot import gap_lines, monitor_drawing, monitor_series

    model = _model(record, row.stage, row.step_id)
    monitor = getattr(model, "monitor", None)
    found = monitor_series(record.good_events, row.key, monitor.nodes if monitor else None)
    if found is None:
        return []
    until = _parse_ts(row.recorded.ts) if row.recorded is not None else None
    title = (model.title if model and model.title else None) or row.step_id
    devices = ", ".join(sorted(found.devices)) or "no equipment answered"
    every = f", every {monitor.interval}" if monitor else ""
    story: list[Flowable] = [
        b.p(
            f"Monitoring during {title} ({row.key}): {found.role} ({devices}){every}",
            b.st.small,
        )
    ]
    order = list(monitor.nodes) if monitor else []
    for series in sorted(
        found.nodes.values(),
        key=lambda n: (n.node not in order, order.index(n.node) if n.node in order else 0, n.node),
    ):
        story.append(monitor_drawing(series, found.gaps.values(), b.width, font, until))
    lines = gap_lines(found, until)
    story.append(
        b.p("Gaps (no readings; no values filled in): " + "; ".join(lines), b.st.small)
        if lines
        else b.p("No gaps recorded.", b.st.small)
    )
    story.append(Spacer(1, 4))
    return story


def _parse_ts(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _model(record: BatchRecord, stage: str, step_id: str) -> StepBase | None:
    try:
        steps = record.state.recipe.stage(stage).steps
    except KeyError:
        return None
    return next((s for s in steps if s.id == step_id), None)


def _result(row: _Row, record: BatchRecord) -> str:
    if row.skipped is not None:
        return f"skipped\n({row.skipped})"
    event = row.recorded
    if event is None:
        return "pending (LIMS)" if row.pending else "not recorded"
    p = event.payload
    kind = p.get("kind")
    value = p.get("value")
    if kind == "check":
        text = {"pass": "PASS", "fail": "FAIL", "na": "N.A."}.get(str(value), str(value))
    elif kind == "instruction":
        text = "done"
    elif kind == "signature":
        text = "signed"
    elif kind == "label_print":
        label = p.get("label") or {}
        text = f"printed ({label.get('copies', 1)} copy)"
    elif kind == "timer":
        minutes = value if isinstance(value, int | float) else None
        text = (
            f"{minutes:g} min ({minutes / 60:.1f} h)" if minutes is not None else fmt_value(value)
        )
    elif kind == "scan" and p.get("expect") == "isbt128.din" and isinstance(value, str):
        text = f"DIN {fmt_din(value)}"
    else:
        text = fmt_value(value, p.get("unit"), record.decimals(row.key))
    if row.corrections:
        last = row.corrections[-1].payload
        places = record.decimals(row.key)
        text = (
            f"{fmt_value(last.get('new'), last.get('unit'), places)}\n"
            f"(corrected; first recorded {fmt_value(value, p.get('unit'), places)})"
        )
    if row.completed is None and row.skipped is None:
        text += "\n(not completed)"
    return text


def _limits_text(row: _Row) -> str:
    event = row.recorded
    if event is None:
        return ""
    p = event.payload
    limits = p.get("limits") or {}
    unit = p.get("unit")
    parts = []
    if limits.get("alert"):
        parts.append(f"alert {fmt_limits(limits['alert'], unit)}")
    if limits.get("action"):
        parts.append(f"action {fmt_limits(limits['action'], unit)}")
    if p.get("kind") == "timer" and (p.get("minimum") or p.get("maximum")):
        parts.append(f"{p.get('minimum') or '—'} to {p.get('maximum') or '—'}")
    if p.get("critical"):
        parts.append(str(p["critical"]))
    return "\n".join(parts)


def _details(row: _Row, record: BatchRecord) -> str:
    event = row.recorded
    lines: list[str] = []
    if event is not None:
        p = event.payload
        kind = p.get("kind")
        if kind == "weigh":
            if p.get("manual"):
                lines.append(f"typed by hand (override): {p.get('reason')}")
            elif p.get("device"):
                stable = ", stable reading" if p.get("stable") else ""
                lines.append(f"balance serial {p.get('device')}{stable}")
            else:
                lines.append("no balance serial recorded")
        if kind == "capture":
            if p.get("manual"):
                lines.append(f"typed by hand (override): {p.get('reason')}")
            else:
                lines.append(
                    f"read from {p.get('device')}, node {p.get('node')}; "
                    f"source time {p.get('source_timestamp')}, status {p.get('status')}"
                )
        counter = p.get("counter")
        if isinstance(counter, dict):
            lines.append(
                f"cell counter {counter.get('device')}, sample {counter.get('sample_id')}: "
                f"{counter.get('file')} line {counter.get('line')}, "
                f"SHA-256 {counter.get('sha256')}"
            )
        if event.type == "result.recorded":
            lines.append(
                f"from the LIMS: {p.get('test')}, ref {p.get('lims_ref')}, "
                f"method {p.get('method')}, sample {p.get('sample_id')}, "
                f"result time {p.get('result_time')}"
            )
        if kind == "calc":
            lines.append(f"formula: {p.get('formula')}")
            inputs = p.get("inputs") or {}
            lines += [f"  {name} = {fmt_value(value)}" for name, value in inputs.items()]
        if kind == "scan":
            if p.get("gtin"):
                lines.append(
                    f"{p.get('material') or 'material'}: GTIN {p.get('gtin')}, lot {p.get('lot')}, "
                    f"expires {p.get('expiry')}"
                    + (f", serial {p.get('serial')}" if p.get("serial") else "")
                )
            if p.get("keyed") and p.get("reason"):
                lines.append(f"typed by hand (override): {p.get('reason')}")
            elif p.get("keyed"):
                lines.append("typed by hand with its check character")
            if p.get("flags"):
                lines.append(f"ISBT 128 flags {p.get('flags')}")
        if kind == "timer":
            lines.append(f"started {fmt_ts(p.get('started'))}\nstopped {fmt_ts(event.ts)}")
        if kind == "label_print":
            label = p.get("label") or {}
            ids = label.get("identifiers") or {}
            lines.append(
                f"{label.get('label')} label: "
                + ", ".join(f"{k} {v}" for k, v in ids.items())
                + (f", product {label.get('product')}" if label.get("product") else "")
            )
        if kind == "signature" and p.get("signed_content"):
            lines.append(f"signs content {str(p['signed_content'])[:16]}…")
        if p.get("comment"):
            lines.append(f"comment: {p.get('comment')}")
    places = record.decimals(row.key)
    for corr in row.corrections:
        c = corr.payload
        lines.append(
            f"CORRECTED {fmt_ts(corr.ts)} by {record.name(corr.actor)}: "
            f"{fmt_value(c.get('old'), c.get('unit'), places)} → "
            f"{fmt_value(c.get('new'), c.get('unit'), places)}; reason: {corr.reason}"
        )
    for exc in record.state.exceptions.values():
        if exc.step == row.key:
            lines.append(f"EXCEPTION {exc.id} ({exc.category}): {exc.message}")
    return "\n".join(lines)


def _performed(row: _Row, record: BatchRecord, room: str | None = None) -> str:
    """Who, when, and where: the station (and the stage's room) of the entry."""
    if row.recorded is None:
        return fmt_ts(row.completed) if row.completed else ""
    where = row.recorded.station + (f", room {room}" if room else "")
    return f"{record.name(row.recorded.actor)}\n{fmt_ts(row.recorded.ts)}\n{where}"


def _signature_text(row: _Row) -> str:
    return "\n".join(
        f"{s.get('meaning')}: {s.get('name')} ({s.get('user')})\n{fmt_ts(s.get('ts'))}"
        for s in row.signatures
    )


def _full_story(record: BatchRecord, fonts: _Fonts, st: _Styles, width: float) -> list[Flowable]:
    from reportlab.platypus import PageBreak, Spacer

    b = _Builder(fonts, st, width)
    found = record.review_items(include_values=False)
    counts = review.summary(found)
    story = _cover(record, b, "Electronic batch record")
    fields = record.context_fields()
    story += [
        b.p("Batch context", st.h2),
        b.pairs(fields) if fields else b.p("The recipe asks for no batch context."),
    ]

    # 1. exceptions first
    exceptions = [i for i in found if i.kind == "exception"]
    others = [i for i in found if i.kind != "exception"]
    story += [
        PageBreak(),
        b.p("1. Exceptions and review items", st.h1),
        b.p(
            f"{len(exceptions)} exception(s) and {len(others)} other review item(s); "
            f"{counts['open']} not yet dispositioned by QA.",
            st.small,
        ),
        Spacer(1, 3),
        b.p("1.1 Exceptions", st.h2),
        _review_table(record, b, exceptions) if exceptions else b.p("No exceptions were raised."),
        b.p("1.2 Other review items", st.h2),
        _review_table(record, b, others)
        if others
        else b.p("No corrections, comments, manual or late entries, holds or aborts."),
    ]

    # 2. stages and steps
    story += [b.p("2. Stages and steps", st.h1)]
    for number, (stage_id, iteration, rows) in enumerate(_groups(record), start=1):
        room: str | None = None
        try:
            stage = record.state.recipe.stage(stage_id)
            title = stage.title or stage_id
            repeats = stage.repeat is not None
            room = stage.room
        except KeyError:
            title, repeats = stage_id, iteration > 1
        heading = f"2.{number} {title}" + (f" — iteration {iteration}" if repeats else "")
        table_rows = []
        highlight = []
        for index, row in enumerate(rows):
            model = _model(record, row.stage, row.step_id)
            step_title = (model.title if model and model.title else None) or row.step_id
            table_rows.append(
                [
                    f"{step_title}\n{row.key}",
                    _result(row, record),
                    _limits_text(row),
                    _details(row, record),
                    _performed(row, record, room),
                    _signature_text(row),
                ]
            )
            if any(e.step == row.key for e in record.state.exceptions.values()) or row.corrections:
                highlight.append(index)
        story += [
            b.p(heading, st.h2),
            b.table(
                ["Step", "Result", "Limits", "Details", "Performed", "Signatures"],
                table_rows,
                [0.18, 0.15, 0.11, 0.25, 0.14, 0.17],
                highlight=highlight,
                bold_first=True,
            ),
        ]
        for row in rows:
            story += _monitoring_story(record, row, b, fonts.regular)

    # 3. signatures
    sigs = record.signatures()
    story += [
        b.p("3. Electronic signatures", st.h1),
        b.p(
            "21 CFR 11.50: every signature with the signer's printed name, the date and time "
            "(UTC) and its meaning. 'Signed' is the SHA-256 the signature is bound to (11.70).",
            st.small,
        ),
        Spacer(1, 3),
        b.table(
            ["Date and time (UTC)", "Printed name (user ID)", "Meaning", "Signed for", "Signed"],
            [
                [
                    fmt_ts(s["ts"]),
                    f"{s['name']} ({s['user']})",
                    str(s["meaning"]),
                    str(s["what"]),
                    f"{str(s['signed'])[:12]}…",
                ]
                for s in sigs
            ],
            [0.19, 0.21, 0.13, 0.33, 0.14],
        )
        if sigs
        else b.p("No signatures."),
    ]

    # 4. corrections
    corrections = [e for e in record.good_events if e.type == "step.corrected"]
    story += [b.p("4. Corrections", st.h1)]
    story.append(
        b.table(
            ["Step", "Old value", "New value", "Reason", "By", "When (UTC)"],
            [
                [
                    f"{e.payload.get('step')}\n(corrects event {e.payload.get('corrects')})",
                    fmt_value(
                        e.payload.get("old"),
                        e.payload.get("unit"),
                        record.decimals(e.payload.get("step")),
                    ),
                    fmt_value(
                        e.payload.get("new"),
                        e.payload.get("unit"),
                        record.decimals(e.payload.get("step")),
                    ),
                    str(e.reason),
                    record.name(e.actor),
                    fmt_ts(e.ts),
                ]
                for e in corrections
            ],
            [0.2, 0.12, 0.12, 0.26, 0.15, 0.15],
        )
        if corrections
        else b.p("No value was corrected.")
    )

    # 5. materials
    materials = [e for e in record.good_events if e.type == "material.used"]
    story += [b.p("5. Materials", st.h1)]
    story.append(
        b.table(
            ["Material", "GTIN", "Lot", "Expiry", "Step", "When (UTC)"],
            [
                [
                    str(e.payload.get("material")),
                    str(e.payload.get("gtin")),
                    str(e.payload.get("lot")),
                    str(e.payload.get("expiry")),
                    str(e.payload.get("step")),
                    fmt_ts(e.ts),
                ]
                for e in materials
            ],
            [0.24, 0.16, 0.14, 0.1, 0.2, 0.16],
        )
        if materials
        else b.p("No materials were scanned.")
    )

    # 6. chain of custody
    transfers = custody.timeline(record.good_events)
    story += [b.p("6. Chain of custody", st.h1)]
    story.append(
        b.table(
            ["When (UTC)", "Transfer", "From → to", "Where", "Condition", "Received (signed)"],
            [
                [
                    fmt_ts(t.ts),
                    t.kind + (f"; {t.shipment}" if t.shipment else ""),
                    f"{t.giver} → {t.receiver}",
                    t.location or "—",
                    t.condition,
                    t.signed,
                ]
                for t in transfers
            ],
            [0.13, 0.19, 0.18, 0.14, 0.16, 0.2],
        )
        if transfers
        else b.p("No custody transfer was recorded.")
    )
    story += _deviation_story(record, b)

    # appendix: the audit trail
    story += [
        PageBreak(),
        b.p("Appendix A. Audit trail", st.h1),
        b.p(
            f"Every event of batch {record.batch}, in order: {len(record.events)} events. "
            "Hash: the first 12 hex digits of the event's SHA-256 (the full value is in the "
            "electronic export). Actor is who wrote the event; for signatures the signer is "
            "named in the summary.",
            st.small,
        ),
        Spacer(1, 3),
    ]
    story += _audit_tables(record, b)
    return story


def _deviation_story(record: BatchRecord, b: _Builder) -> list[Flowable]:
    """7. Deviations: each with its classification, texts, status and closing signature; and
    QA's release in the portal, when QA released the batch there."""
    found = sorted(record.state.deviations.values(), key=lambda d: d.opened_ts)
    story: list[Flowable] = [b.p("7. Deviations", b.st.h1)]
    if not found:
        story.append(b.p("No deviation was opened for this batch."))
    for d in found:
        closed = d.closed or {}
        pairs: list[tuple[str, Any]] = [
            ("Deviation", f"{d.id} ({d.classification}), {d.status}"),
            ("Review item", d.item),
            ("Opened", f"{fmt_ts(d.opened_ts)} by {d.opened_by}"),
            *[(deviations.LABELS[n], d.text(n) or "—") for n in deviations.FIELDS],
        ]
        if closed:
            pairs.append(
                (
                    "Closed",
                    f"{closed.get('name')} ({closed.get('user')}), "
                    f"{fmt_ts(str(closed.get('ts')))}, meaning {closed.get('meaning')}",
                )
            )
        pairs.append(("History", "; ".join(d.history)))
        story.append(b.pairs(pairs))
    released = record.state.released_by_server
    if released:
        story.append(
            b.p(
                f"Released in the QA portal by {released.get('name')} ({released.get('user')}), "
                f"{fmt_ts(str(released.get('ts')))}, meaning {released.get('meaning')}."
            )
        )
    return story


def _audit_tables(record: BatchRecord, b: _Builder, chunk: int = 60) -> list[Flowable]:
    """The audit trail as tables of `chunk` rows (small tables split and lay out faster)."""
    from reportlab.lib.styles import ParagraphStyle

    small = ParagraphStyle("audit", parent=b.st.cell, fontSize=6.5, leading=8)
    several = len({e.station for e in record.events}) > 1
    widths = (
        (0.1, 0.166, 0.136, 0.16, 0.33, 0.108)
        if several
        else (0.048, 0.178, 0.148, 0.172, 0.346, 0.108)
    )
    points = [w * b.width for w in widths]
    names: dict[str, Any] = {}
    tables: list[Flowable] = []
    header = [
        "Station / seq" if several else "Seq",
        "Time (UTC)",
        "Actor",
        "Type",
        "Summary",
        "Hash",
    ]
    for start in range(0, len(record.events), chunk):
        rows: list[list[Any]] = []
        for event in record.events[start : start + chunk]:
            actor = names.get(event.actor)
            if actor is None:
                actor = names[event.actor] = b.cell(record.name(event.actor), points[2], 6.5, small)
            rows.append(
                [
                    b.cell(f"{event.station} {event.seq}", points[0], 6.5, small)
                    if several
                    else str(event.seq),
                    fmt_ts(event.ts).removesuffix(" UTC") + f".{event.ts[20:23]}",
                    actor,
                    event.type,
                    b.cell(summarize(event, record.name), points[4], 6.5, small),
                    event.hash[:12],
                ]
            )
        tables.append(b.table(header, rows, widths, size=6.5, leading=8))
    return tables


# ---------------------------------------------------------------- one call for the command


def export(
    db: str | os.PathLike[str],
    batch_id: str,
    output: str | os.PathLike[str],
    *,
    fmt: str = "pdf",
    review_only: bool = False,
    recipes_dir: str | os.PathLike[str] | None = RECIPES_DIR,
    station: str | None = None,
) -> str:
    """Write one batch's record to `output`; returns a line saying what was written."""
    with open_store(db, station) as store:
        record = load_record(store, batch_id, recipes_dir)
        if fmt == "json":
            write_json(record, output)
            return f"wrote {output}: {len(record.events)} events of batch {batch_id} as JSON"
        if fmt == "batchml":
            from kiosk.batchml import write_batchml

            write_batchml(record, output)
            return f"wrote {output}: batch {batch_id} as BatchML (B2MML V0700)"
        if fmt != "pdf":
            raise EbrError(f"unknown format {fmt!r} (pdf, json or batchml)")
        trends = None
        if review_only:
            from kiosk.trends import trend_data

            trends = trend_data(store)
        pages = write_pdf(record, output, review_only=review_only, trends=trends)
    what = "review report" if review_only else "batch record"
    note = "" if record.recipe is not None else f" ({record.recipe_note})"
    return f"wrote {output}: {what} of batch {batch_id}, {pages} pages{note}"
