"""Master recipes: the pydantic model, the YAML loader and the validator.

A master recipe is a versioned YAML file (ISA-88 shaped): procedure -> stages
(unit procedures) -> steps (phases). `load_recipe` parses and validates one
file and raises `RecipeError` carrying one `Problem` per fault, each naming the
file, the line and the step, so `kiosk recipe validate` can print them and a
broken recipe never reaches the floor. `docs/recipes.md` documents the format.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.expressions import ExpressionError, parse
from kiosk.roles import MEANINGS, ROLES
from kiosk.units import Quantity, Unit, UnitError
from kiosk.yamlload import StrictLoader, error_line, error_text

IDENT = r"^[a-z][a-z0-9_]*$"
ROOM = r"^[a-z][a-z0-9_-]{0,31}$"
"""A room name (`room:` on a stage, `[station] rooms` in the station configuration)."""
STEP_KINDS = (
    "instruction",
    "check",
    "entry",
    "scan",
    "weigh",
    "calc",
    "timer",
    "signature",
    "label_print",
    "capture",
    "pending_result",
)
QC_TESTS = ("endotoxin", "vcn", "sterility", "mycoplasma", "potency")
"""Release tests a LIMS reports (`pending_result` steps, `POST /api/v1/batches/{id}/results`)."""
CELL_COUNTER_FIELDS = ("viable_concentration", "total_concentration", "viability")
"""What an entry step can take from a cell counter's result file (`source: {cell_counter: ...}`)."""
MATCH_LABEL = ("label", "isbt128.din")  # a label check reads the DIN and the CoI of one label
SCAN_EXPECT = ("isbt128.din", "isbt128.coi", "gs1.material", "equipment", "text")
MATERIAL_CODE = r"^[A-Z0-9][A-Z0-9_.-]{0,31}$"
"""A material's code in the master data (`central materials add`), named by a scan step."""


# ---------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One fault in a recipe file, as `kiosk recipe validate` prints it."""

    file: str
    line: int | None
    step: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        step = f" step {self.step}:" if self.step else ""
        return f"{where}:{step} {self.message}"


class RecipeError(Exception):
    """A recipe could not be loaded; `problems` lists every fault found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# ---------------------------------------------------------------- model

Limits = tuple[float | None, float | None]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_unit(value: str | None) -> str | None:
    if value is not None:
        try:
            Unit.parse(value)
        except UnitError as exc:
            raise ValueError(str(exc)) from exc
    return value


def _check_roles(value: list[str]) -> list[str]:
    unknown = [r for r in value if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role {unknown[0]!r} (roles are {', '.join(sorted(ROLES))})")
    return value


def _check_limits(value: Limits | None) -> Limits | None:
    if value is not None:
        low, high = value
        if low is not None and high is not None and low > high:
            raise ValueError(f"limits out of order: {low} is above {high}")
    return value


def _check_expression(value: str | None) -> str | None:
    if value is not None:
        try:
            parse(value)
        except ExpressionError as exc:
            raise ValueError(str(exc)) from exc
    return value


def parse_duration(text: str) -> timedelta:
    """'30 min', '2 h', '3 d', '90 s' -> timedelta; ValueError on anything else."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|min|h|d)\s*", text)
    if not match:
        raise ValueError(f"{text!r} is not a duration such as '30 min', '2 h' or '3 d'")
    seconds = Quantity(float(match[1]), Unit.parse(match[2])).to(Unit.parse("s")).value
    return timedelta(seconds=seconds)


def _check_meaning(value: str | None) -> str | None:
    if value is not None and value not in MEANINGS:
        raise ValueError(f"unknown signature meaning {value!r} ({', '.join(sorted(MEANINGS))})")
    return value


class Signoff(_Model):
    """A supervisor (or QA) signature a step needs before it counts as done."""

    meaning: str | None = None
    roles: list[str] = Field(default_factory=lambda: ["supervisor"])

    _roles = field_validator("roles")(_check_roles)
    _meaning = field_validator("meaning")(_check_meaning)


class FieldSpec(_Model):
    """A batch context field asked for when the batch starts (patient id, weight...)."""

    kind: Literal["number", "text", "choice", "date"]
    label: str | None = None
    unit: str | None = None
    decimals: int | None = Field(default=None, ge=0, le=12)
    range: Limits | None = None
    choices: list[str] | None = None
    identifier: bool = False  # shown in the identity banner on every batch screen

    _unit = field_validator("unit")(_check_unit)
    _range = field_validator("range")(_check_limits)


class Parameter(_Model):
    """A fixed recipe parameter (target cell number, target dose) used in formulas."""

    value: float
    unit: str | None = None
    label: str | None = None

    _unit = field_validator("unit")(_check_unit)


class StepBase(_Model):
    id: Annotated[str, Field(pattern=IDENT)]
    kind: str
    title: str | None = None
    instruction: str | None = None
    roles: list[str] = Field(default_factory=lambda: ["operator", "supervisor"])
    witness: bool = False
    sign: Signoff | None = None
    critical: Literal["CPP", "CQA"] | None = None
    when: str | None = None
    record_as: Annotated[str | None, Field(pattern=IDENT)] = None

    _roles = field_validator("roles")(_check_roles)
    _when = field_validator("when")(_check_expression)

    @property
    def name(self) -> str:
        """The name later formulas and conditions use for this step's value."""
        return self.record_as or self.id

    @property
    def records_value(self) -> bool:
        return True


class InstructionStep(StepBase):
    kind: Literal["instruction"]

    @property
    def records_value(self) -> bool:
        return False


class CheckStep(StepBase):
    """Pass / fail / N.A. A fail raises an exception; N.A. only where allowed."""

    kind: Literal["check"]
    allow_na: bool = False
    fail_blocks: bool = True


class CounterSource(_Model):
    """An entry whose value comes from a cell counter's result file, not from the keyboard."""

    cell_counter: Literal["viable_concentration", "total_concentration", "viability"]


class EquipmentSource(_Model):
    """The process equipment (a configured OPC UA role) and the node a capture step reads."""

    role: Annotated[str, Field(pattern=IDENT)]
    node: Annotated[str, Field(min_length=1, max_length=64)]


class EntryStep(StepBase):
    kind: Literal["entry"]
    source: CounterSource | None = None  # taken from a counter file (Engine.import_count)
    type: Literal["number", "text", "choice", "date"] = "number"
    unit: str | None = None
    decimals: int | None = Field(default=None, ge=0, le=12)
    range: Limits | None = None  # hard input range: outside is refused as a typing error
    alert: Limits | None = None  # outside: a value exception, the batch goes on
    action: Limits | None = None  # outside: a blocking exception
    choices: list[str] | None = None
    expected: str | None = None  # choice entries: any other choice raises an exception

    _unit = field_validator("unit")(_check_unit)
    _limits = field_validator("range", "alert", "action")(_check_limits)


class Consume(_Model):
    """How much of the scanned lot a material step uses up (`consume: {amount: 7.5, unit: mL}`)."""

    amount: Annotated[float, Field(gt=0)]
    unit: str = "1"

    _unit = field_validator("unit")(_check_unit)


class ScanStep(StepBase):
    kind: Literal["scan"]
    expect: Literal["isbt128.din", "isbt128.coi", "gs1.material", "equipment", "text"]
    binds: Literal["din", "coi"] | None = None  # first identity scan binds the batch
    # later scans must match what was bound; `label`: the printed product label, whose DIN and
    # CoI must both be the batch's
    match: Literal["din", "coi", "label"] | None = None
    material: str | None = None  # gs1.material: what the lot is, in words (for the screen)
    material_code: Annotated[str, Field(pattern=MATERIAL_CODE)] | None = None  # the lot must be
    consume: Consume | None = None  # gs1.material: the amount the step takes from the lot


class WeighStep(StepBase):
    kind: Literal["weigh"]
    unit: str = "g"
    decimals: int | None = Field(default=None, ge=0, le=6)
    device_role: str = "balance"
    alert: Limits | None = None
    action: Limits | None = None

    _unit = field_validator("unit")(_check_unit)
    _limits = field_validator("alert", "action")(_check_limits)


class CalcStep(StepBase):
    kind: Literal["calc"]
    formula: str
    unit: str | None = None
    decimals: int | None = Field(default=None, ge=0, le=12)
    alert: Limits | None = None
    action: Limits | None = None

    _unit = field_validator("unit")(_check_unit)
    _formula = field_validator("formula")(_check_expression)
    _limits = field_validator("alert", "action")(_check_limits)


class CaptureStep(StepBase):
    """A value read from process equipment (value, unit, source timestamp), never typed."""

    kind: Literal["capture"]
    source: EquipmentSource
    unit: str | None = None
    decimals: int | None = Field(default=None, ge=0, le=12)
    range: Limits | None = None
    alert: Limits | None = None
    action: Limits | None = None

    _unit = field_validator("unit")(_check_unit)
    _limits = field_validator("range", "alert", "action")(_check_limits)


class PendingResultStep(StepBase):
    """A QC release test whose result the LIMS sends later; it does not hold up the batch."""

    kind: Literal["pending_result"]
    test: Literal["endotoxin", "vcn", "sterility", "mycoplasma", "potency"]
    type: Literal["number", "choice"] = "number"
    unit: str | None = None
    decimals: int | None = Field(default=None, ge=0, le=12)
    range: Limits | None = None
    alert: Limits | None = None
    action: Limits | None = None  # the specification: outside is out of specification
    choices: list[str] | None = None
    expected: str | None = None  # choice results: any other result is out of specification

    _unit = field_validator("unit")(_check_unit)
    _limits = field_validator("range", "alert", "action")(_check_limits)

    @property
    def records_value(self) -> bool:
        return False  # arrives after later steps ran: no formula or condition may use it


class MonitoredNode(_Model):
    """One node sampled while a timer runs: its unit and the limits each sample is held to."""

    unit: str | None = None
    alert: Limits | None = None  # outside: a value exception, the batch goes on
    action: Limits | None = None  # outside: a blocking exception (once per excursion)

    _unit = field_validator("unit")(_check_unit)
    _limits = field_validator("alert", "action")(_check_limits)


class Monitor(_Model):
    """Equipment sampled at an interval while a timer step runs (`Engine.record_monitoring`)."""

    role: Annotated[str, Field(pattern=IDENT)]  # the station's `[opcua.ROLE]`
    interval: str  # how often, e.g. '5 min'
    nodes: Annotated[dict[str, MonitoredNode], Field(min_length=1)]  # by node name in the config

    @field_validator("interval")
    @classmethod
    def _interval(cls, value: str) -> str:
        if parse_duration(value) <= timedelta(0):
            raise ValueError(f"interval {value!r} must be longer than nothing")
        return value

    @property
    def every(self) -> timedelta:
        return parse_duration(self.interval)


class TimerStep(StepBase):
    kind: Literal["timer"]
    minimum: str | None = None
    maximum: str | None = None
    monitor: Monitor | None = None

    @field_validator("minimum", "maximum")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @property
    def min_duration(self) -> timedelta | None:
        return parse_duration(self.minimum) if self.minimum else None

    @property
    def max_duration(self) -> timedelta | None:
        return parse_duration(self.maximum) if self.maximum else None


class SignatureStep(StepBase):
    kind: Literal["signature"]
    meaning: str | None = None
    roles: list[str] = Field(default_factory=lambda: ["supervisor"])

    _meaning = field_validator("meaning")(_check_meaning)

    @property
    def records_value(self) -> bool:
        return False


class LabelPrintStep(StepBase):
    kind: Literal["label_print"]
    label: Literal["product", "sample"] = "product"
    copies: int = Field(default=1, ge=1, le=20)
    shelf_life_days: int | None = Field(default=None, ge=1, le=3650)  # expiry printed on it

    @property
    def records_value(self) -> bool:
        return False


Step = Annotated[
    InstructionStep
    | CheckStep
    | EntryStep
    | ScanStep
    | WeighStep
    | CalcStep
    | TimerStep
    | SignatureStep
    | LabelPrintStep
    | CaptureStep
    | PendingResultStep,
    Field(discriminator="kind"),
]


class Repeat(_Model):
    until: str
    max: int | None = Field(default=None, ge=1, le=365)
    counter: Annotated[str | None, Field(pattern=IDENT)] = None

    _until = field_validator("until")(_check_expression)


class Stage(_Model):
    id: Annotated[str, Field(pattern=IDENT)]
    title: str | None = None
    when: str | None = None
    repeat: Repeat | None = None
    room: Annotated[str, Field(pattern=ROOM)] | None = None  # None: any room
    steps: list[Step] = Field(min_length=1)

    _when = field_validator("when")(_check_expression)

    @property
    def counter(self) -> str:
        """Name of the iteration counter (1, 2, ...) formulas can use."""
        if self.repeat and self.repeat.counter:
            return self.repeat.counter
        return f"{self.id}_iteration"


class Recipe(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    version: int = Field(ge=1)
    title: str
    status: Literal["draft", "approved", "effective", "retired"]
    product: str | None = None  # ISBT 128 product code for the final product label
    description: str | None = None
    context: dict[str, FieldSpec] = Field(default_factory=dict)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    stages: list[Stage] = Field(min_length=1)

    def steps(self) -> Iterator[tuple[Stage, StepBase]]:
        for stage in self.stages:
            for step in stage.steps:
                yield stage, step

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)


@dataclass(frozen=True)
class LoadedRecipe:
    """A validated recipe with where it came from and its content hash."""

    recipe: Recipe
    path: Path
    sha256: str


# ---------------------------------------------------------------- loading with line numbers


def _construct(
    loader: StrictLoader,
    node: yaml.Node,
    path: tuple[Any, ...],
    lines: dict[tuple[Any, ...], int],
) -> Any:
    """Build Python objects from a composed YAML node, remembering each item's line."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                raise yaml.YAMLError(f"line {key_node.start_mark.line + 1}: keys must be plain")
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _construct(loader, value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _step_at(data: Any, loc: Sequence[Any]) -> str | None:
    """The step id (stage.step) a pydantic error location points into, if any."""
    try:
        if len(loc) >= 1 and loc[0] == "stages" and len(loc) >= 2:
            stage = data["stages"][loc[1]]
            if len(loc) >= 4 and loc[2] == "steps":
                step = stage["steps"][loc[3]]
                return f"{stage.get('id', '?')}.{step.get('id', '?')}"
            return str(stage.get("id", "?"))
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return None


def _line_at(lines: Mapping[tuple[Any, ...], int], loc: Sequence[Any]) -> int | None:
    path = tuple(loc)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


def _message(error: Mapping[str, Any]) -> str:
    loc = [p for p in error["loc"] if not (isinstance(p, str) and p in STEP_KINDS)]
    field = str(loc[-1]) if loc else ""
    msg = str(error["msg"]).removeprefix("Value error, ")
    kind = error["type"]
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "?")
        return f"unknown step kind {tag!r} (kinds are {', '.join(STEP_KINDS)})"
    if kind == "union_tag_not_found":
        return "step has no 'kind'"
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    if kind == "missing":
        return f"missing field {field!r}"
    if kind == "literal_error":
        return f"{field}: {msg}"
    return f"{field}: {msg}" if field and not isinstance(loc[-1], int) else msg


def load_recipe(path: str | Path) -> LoadedRecipe:
    """Load, validate and hash one recipe file; RecipeError lists every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RecipeError([Problem(str(path), None, None, f"cannot read: {exc.strerror}")]) from exc
    return recipe_from_bytes(raw, path)


def recipe_from_bytes(raw: bytes, path: Path) -> LoadedRecipe:
    """Validate and hash a recipe's text (``path`` names it in problems); RecipeError lists
    every problem. The hash is of exactly these bytes."""
    name = str(path)
    try:
        text = raw.decode("utf-8")
        loader = StrictLoader(text)  # no anchors or aliases: see kiosk.yamlload
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except UnicodeDecodeError as exc:
        raise RecipeError([Problem(name, None, None, "not UTF-8 text")]) from exc
    except yaml.YAMLError as exc:
        line, problem = error_line(exc), error_text(exc)
        raise RecipeError([Problem(name, line, None, f"not valid YAML: {problem}")]) from exc
    lines: dict[tuple[Any, ...], int] = {}
    try:
        data = _construct(loader, node, (), lines) if node is not None else None
    except yaml.YAMLError as exc:
        raise RecipeError([Problem(name, None, None, f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise RecipeError([Problem(name, 1, None, "a recipe is a mapping with id, version, ...")])
    try:
        recipe = Recipe.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(name, _line_at(lines, e["loc"]), _step_at(data, e["loc"]), _message(e))
            for e in exc.errors()
        ]
        raise RecipeError(problems) from exc
    problems = check_recipe(recipe, name, lines)
    if problems:
        raise RecipeError(problems)
    return LoadedRecipe(recipe, path, hashlib.sha256(raw).hexdigest())


# ---------------------------------------------------------------- cross-field checks


def _limits_inside(inner: Limits, outer: Limits) -> bool:
    """Each bound given on both sides must nest; an open bound sets no limit that side."""
    (ilo, ihi), (olo, ohi) = inner, outer
    lo_ok = olo is None or ilo is None or ilo >= olo
    hi_ok = ohi is None or ihi is None or ihi <= ohi
    return lo_ok and hi_ok


def check_recipe(
    recipe: Recipe, name: str = "<recipe>", lines: Mapping[tuple[Any, ...], int] | None = None
) -> list[Problem]:
    """Checks across fields: ids, names in formulas, limits, signatures, repeats."""
    lines = lines or {}
    problems: list[Problem] = []

    def add(loc: tuple[Any, ...], step: str | None, message: str) -> None:
        problems.append(Problem(name, _line_at(lines, loc), step, message))

    units: dict[str, Unit | None] = {}
    for key, spec in recipe.context.items():
        units[key] = Unit.parse(spec.unit) if spec.unit else None
    for key, param in recipe.parameters.items():
        if key in units:
            add(("parameters", key), None, f"parameter {key!r} has the name of a context field")
        units[key] = Unit.parse(param.unit) if param.unit else None

    def check_names(expr_text: str, loc: tuple[Any, ...], step: str | None, what: str) -> None:
        expr = parse(expr_text)
        missing = sorted(expr.names - units.keys())
        for unknown in missing:
            add(loc, step, f"{what} names {unknown!r}, which is not recorded before it")
        if not missing:
            try:
                expr.result_unit(units)
            except ExpressionError as exc:
                add(loc, step, f"{what}: {exc}")

    surely: set[str] = set(units)  # names every batch has when a later step runs
    maybe: set[str] = set()  # names only some batches have (recorded by a conditional step)
    seen_stages: set[str] = set()
    seen_steps: set[str] = set()
    bound: set[str] = set()
    for si, stage in enumerate(recipe.stages):
        sloc = ("stages", si)
        if stage.id in seen_stages:
            add((*sloc, "id"), stage.id, f"duplicate stage id {stage.id!r}")
        seen_stages.add(stage.id)
        if stage.when:
            check_names(stage.when, (*sloc, "when"), stage.id, "condition")
        if stage.repeat:
            if stage.repeat.max is None:
                add((*sloc, "repeat"), stage.id, "a repeat needs a maximum ('max')")
            units[stage.counter] = None
            surely.add(stage.counter)
        for pi, step in enumerate(stage.steps):
            ploc = (*sloc, "steps", pi)
            sid = f"{stage.id}.{step.id}"
            if step.id in seen_steps:
                add((*ploc, "id"), sid, f"duplicate step id {step.id!r}")
            seen_steps.add(step.id)
            if step.when:
                check_names(step.when, (*ploc, "when"), sid, "condition")
            if step.sign is not None and step.sign.meaning is None:
                add((*ploc, "sign"), sid, "a step that needs a signature needs its meaning")
            if isinstance(step, SignatureStep) and step.meaning is None:
                add(ploc, sid, "a signature step needs its meaning")
            last = si == len(recipe.stages) - 1 and pi == len(stage.steps) - 1
            if isinstance(step, SignatureStep) and step.meaning == "released" and not last:
                add(ploc, sid, "the release signature must be the recipe's last step")
            if isinstance(step, EntryStep | WeighStep | CalcStep | CaptureStep | PendingResultStep):
                if step.alert and step.action and not _limits_inside(step.alert, step.action):
                    add(
                        (*ploc, "alert"),
                        sid,
                        "limits out of order: alert limits must lie inside action limits",
                    )
                limited = step.alert or step.action or getattr(step, "expected", None)
                if step.critical and not limited:
                    add(ploc, sid, f"a {step.critical} needs alert or action limits")
            if isinstance(step, EntryStep | PendingResultStep):
                if step.type == "choice" and not step.choices:
                    add(ploc, sid, "a choice entry needs 'choices'")
                if step.expected is not None and step.expected not in (step.choices or []):
                    add(
                        (*ploc, "expected"),
                        sid,
                        f"expected {step.expected!r} is not one of the choices",
                    )
            if (
                isinstance(step, EntryStep | CaptureStep | PendingResultStep)
                and step.range
                and step.action
                and not _limits_inside(step.action, step.range)
            ):
                add(
                    (*ploc, "action"),
                    sid,
                    "limits out of order: action limits must lie inside the range",
                )
            if isinstance(step, EntryStep) and step.source is not None:
                if step.type != "number":
                    add(ploc, sid, "a value from the cell counter is a number entry")
                counter_units = {"viability": "%"}
                wanted = counter_units.get(step.source.cell_counter, "1e6 cells/mL")
                if step.unit is None or not Unit.parse(step.unit).same_dimension(
                    Unit.parse(wanted)
                ):
                    add((*ploc, "unit"), sid, f"{step.source.cell_counter} is in {wanted}")
            if isinstance(step, PendingResultStep) and stage.repeat:
                add(ploc, sid, "a pending result cannot be in a repeating stage")
            if isinstance(step, CalcStep):
                check_names(step.formula, (*ploc, "formula"), sid, "formula")
                unsure = sorted(parse(step.formula).names & maybe - surely)
                if unsure and not (step.when or stage.when):
                    add(
                        (*ploc, "formula"),
                        sid,
                        f"formula uses {', '.join(unsure)}, which a condition may skip: "
                        "give this step the same condition",
                    )
                result = _calc_unit(step, units)
                if (
                    result is not None
                    and step.unit
                    and not result.same_dimension(Unit.parse(step.unit))
                ):
                    add((*ploc, "unit"), sid, f"formula gives {result.symbol}, not {step.unit}")
            if isinstance(step, TimerStep):
                lo, hi = step.min_duration, step.max_duration
                if lo is not None and hi is not None and lo > hi:
                    add(ploc, sid, "limits out of order: timer minimum is above its maximum")
                for node, watched in (step.monitor.nodes if step.monitor else {}).items():
                    if (
                        watched.alert
                        and watched.action
                        and not _limits_inside(watched.alert, watched.action)
                    ):
                        add(
                            (*ploc, "monitor", "nodes", node, "alert"),
                            sid,
                            f"monitor {node}: alert limits must lie inside action limits",
                        )
            if isinstance(step, ScanStep):
                scans = {"isbt128.din": {"din", "coi"}, "isbt128.coi": {"coi"}}.get(
                    step.expect, set()
                )
                for link in (step.binds, step.match):
                    if link and link not in scans and (link, step.expect) != MATCH_LABEL:
                        add(ploc, sid, f"a {step.expect} scan cannot bind or match {link!r}")
                if step.binds:
                    bound.add(step.binds)
                if step.match == "label" and not {"din", "coi"} <= bound:
                    add(
                        (*ploc, "match"),
                        sid,
                        "a label check matches the DIN and the CoI: bind both before it",
                    )
                if step.expect == "gs1.material" and step.material_code is None:
                    add(ploc, sid, "a gs1.material scan needs the material_code of the material")
                if step.expect != "gs1.material" and (step.material_code or step.consume):
                    add(ploc, sid, "only a gs1.material scan names a material_code or consume")
                if step.match and step.match != "label" and step.match not in bound:
                    add((*ploc, "match"), sid, f"matches {step.match!r} before any step binds it")
            if step.records_value:
                units[step.name] = _value_unit(step)
                (maybe if step.when or stage.when else surely).add(step.name)
        if stage.repeat:
            check_names(
                stage.repeat.until, (*sloc, "repeat", "until"), stage.id, "repeat condition"
            )
    return problems


def _value_unit(step: StepBase) -> Unit | None:
    unit = getattr(step, "unit", None)
    return Unit.parse(unit) if isinstance(unit, str) else None


def _calc_unit(step: CalcStep, units: Mapping[str, Unit | None]) -> Unit | None:
    try:
        return parse(step.formula).result_unit(units)
    except ExpressionError:
        return None


def recipe_json_schema() -> dict[str, Any]:
    """The JSON Schema of the recipe format (written to recipes/schema.json)."""
    schema = Recipe.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Cleanroom kiosk master recipe"
    return schema
