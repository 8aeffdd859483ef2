"""Recipe loading and validation: what `kiosk recipe validate` tells a recipe author."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.recipe import RecipeError, load_recipe, recipe_json_schema

ROOT = Path(__file__).resolve().parents[2]
RECIPES = sorted((ROOT / "recipes").glob("*.yaml"))

GOOD = """\
id: mini
version: 1
title: Mini
status: effective
context:
  weight: {kind: number, unit: kg, decimals: 1, range: [1, 100]}
stages:
  - id: one
    steps:
      - id: a
        kind: entry
        type: number
        unit: mL
        decimals: 1
        alert: [2, 8]
        action: [1, 10]
      - id: b
        kind: calc
        formula: a * 2
        unit: mL
"""


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(RecipeError) as info:
        load_recipe(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_shipped_recipes_are_valid(path: Path) -> None:
    loaded = load_recipe(path)
    assert loaded.recipe.status == "effective"
    assert len(loaded.sha256) == 64


def test_reference_recipe_uses_every_step_kind() -> None:
    loaded = load_recipe(ROOT / "recipes" / "car-t-autologous.yaml")
    kinds = {step.kind for _, step in loaded.recipe.steps()}
    assert kinds == {
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
    }
    stages = [s.id for s in loaded.recipe.stages]
    for needed in (
        "receipt",
        "isolation",
        "activation",
        "transduction",
        "expansion",
        "harvest",
        "formulation",
        "fill_label",
        "qc_sampling",
        "cryopreservation",
        "shipment",
        "qa_release",
    ):
        assert needed in stages


def test_good_minimal_recipe_loads(tmp_path: Path) -> None:
    loaded = load_recipe(write(tmp_path, GOOD))
    assert [s.id for _, s in loaded.recipe.steps()] == ["a", "b"]


def test_hash_changes_with_content(tmp_path: Path) -> None:
    first = load_recipe(write(tmp_path, GOOD)).sha256
    second = load_recipe(write(tmp_path, GOOD.replace("Mini", "Mini 2"))).sha256
    assert first != second


def test_duplicate_step_id_names_file_line_and_step(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("id: b\n", "id: a\n"))
    found = problems(path)
    assert any("duplicate step id 'a'" in p and f"{path}:17" in p and "one.a" in p for p in found)


def test_unknown_step_kind(tmp_path: Path) -> None:
    found = problems(write(tmp_path, GOOD.replace("kind: calc", "kind: teleport")))
    assert any("unknown step kind 'teleport'" in p and "one.b" in p for p in found)


def test_formula_naming_a_value_not_recorded_earlier(tmp_path: Path) -> None:
    found = problems(write(tmp_path, GOOD.replace("formula: a * 2", "formula: c * 2")))
    assert any("names 'c', which is not recorded before it" in p and ":19" in p for p in found)


def test_condition_naming_a_later_value(tmp_path: Path) -> None:
    text = GOOD.replace(
        "        type: number\n        unit: mL",
        "        when: b > 1\n        type: number\n        unit: mL",
        1,
    )
    found = problems(write(tmp_path, text))
    assert any("condition names 'b'" in p and "one.a" in p for p in found)


def test_limits_out_of_order(tmp_path: Path) -> None:
    found = problems(write(tmp_path, GOOD.replace("alert: [2, 8]", "alert: [8, 2]")))
    assert any("limits out of order" in p and "one.a" in p for p in found)
    found = problems(write(tmp_path, GOOD.replace("alert: [2, 8]", "alert: [0, 8]")))
    assert any("alert limits must lie inside action limits" in p for p in found)


def test_critical_step_without_signature_meaning(tmp_path: Path) -> None:
    text = GOOD.replace(
        "        unit: mL\n", "        unit: mL\n        sign: {roles: [supervisor]}\n", 1
    )
    found = problems(write(tmp_path, text))
    assert any("needs its meaning" in p and "one.a" in p for p in found)


def test_repeat_without_maximum(tmp_path: Path) -> None:
    text = GOOD.replace("  - id: one\n", "  - id: one\n    repeat: {until: a > 5}\n")
    found = problems(write(tmp_path, text))
    assert any("repeat needs a maximum" in p for p in found)


def test_unknown_role_and_unit(tmp_path: Path) -> None:
    text = GOOD.replace("        unit: mL\n", "        unit: mll\n        roles: [janitor]\n", 1)
    found = problems(write(tmp_path, text))
    assert any("unknown role 'janitor'" in p for p in found)
    assert any("mll" in p for p in found)


def test_formula_with_wrong_unit(tmp_path: Path) -> None:
    found = problems(
        write(
            tmp_path,
            GOOD.replace("formula: a * 2\n        unit: mL", "formula: a * 2\n        unit: kg"),
        )
    )
    assert any("formula gives" in p and "one.b" in p for p in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "a recipe is a mapping"),
        ("", "a recipe is a mapping"),
    ],
)
def test_not_a_recipe(tmp_path: Path, text: str, expected: str) -> None:
    assert any(expected in p for p in problems(write(tmp_path, text)))


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert any("not UTF-8" in p for p in problems(path))


def test_cli_validate_exit_codes_and_lines(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "good.yaml")
    bad = write(tmp_path, GOOD.replace("kind: calc", "kind: teleport"), "bad.yaml")
    out = io.StringIO()
    assert main(["recipe", "validate", str(good)], out) == 0
    assert "ok" in out.getvalue()
    out = io.StringIO()
    assert (
        main(["recipe", "validate", str(good), str(bad), str(tmp_path / "missing.yaml")], out) == 1
    )
    lines = out.getvalue().splitlines()
    assert any(line.startswith(f"{bad}:") and "teleport" in line for line in lines)
    assert any("missing.yaml" in line and "cannot read" in line for line in lines)
    assert "Traceback" not in out.getvalue()


def test_schema_file_is_current() -> None:
    """recipes/schema.json is generated from the models; regenerate with `kiosk recipe schema`."""
    shipped = json.loads((ROOT / "recipes" / "schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(recipe_json_schema()))


def _recipe(**changes: object) -> str:
    """A one-stage recipe in YAML, with top-level keys replaced by `changes`."""
    import yaml

    data: dict[str, object] = {
        "id": "mini",
        "version": 1,
        "title": "Mini",
        "status": "effective",
        "stages": [{"id": "one", "steps": [{"id": "a", "kind": "instruction"}]}],
    }
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False)


def _steps(*steps: dict[str, object], **stage: object) -> str:
    return _recipe(stages=[{"id": "one", "steps": list(steps), **stage}])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_steps({"id": "a", "kind": "entry", "unit": "furlongs"}), "unit"),
        (_steps({"id": "a", "kind": "calc", "formula": "1 +"}), "not a complete expression"),
        (_steps({"id": "a", "kind": "timer", "minimum": "soon"}), "is not a duration"),
        (
            _steps({"id": "a", "kind": "signature", "meaning": "blessed"}),
            "unknown signature meaning",
        ),
        (_steps({"id": "a"}), "step has no 'kind'"),
        (_steps({"id": "a", "kind": "instruction", "colour": "red"}), "unknown field 'colour'"),
        (_steps({"kind": "instruction"}), "missing field 'id'"),
        (_steps({"id": "a", "kind": "check", "critical": "KPI"}), "critical"),
        (
            _recipe(context={"w": {"kind": "number"}}, parameters={"w": {"value": 1}}),
            "has the name of a context field",
        ),
        (
            _recipe(
                context={"w": {"kind": "number", "unit": "kg"}},
                stages=[
                    {
                        "id": "one",
                        "steps": [
                            {"id": "a", "kind": "calc", "formula": "w * 2 + w"},
                            {"id": "b", "kind": "calc", "formula": "a + 1", "when": "w > 1"},
                        ],
                    }
                ],
            ),
            None,
        ),
        (
            _recipe(
                context={
                    "w": {"kind": "number", "unit": "kg"},
                    "v": {"kind": "number", "unit": "mL"},
                },
                stages=[{"id": "one", "steps": [{"id": "a", "kind": "calc", "formula": "w + v"}]}],
            ),
            "formula: cannot add",
        ),
        (
            _recipe(
                stages=[
                    {"id": "one", "steps": [{"id": "a", "kind": "instruction"}]},
                    {"id": "one", "when": "zz > 1", "steps": [{"id": "b", "kind": "instruction"}]},
                ]
            ),
            "duplicate stage id 'one'",
        ),
        (
            _recipe(
                stages=[
                    {"id": "one", "when": "zz > 1", "steps": [{"id": "b", "kind": "instruction"}]}
                ]
            ),
            "condition names 'zz'",
        ),
        (_steps({"id": "a", "kind": "signature"}), "a signature step needs its meaning"),
        (
            _steps({"id": "a", "kind": "entry", "critical": "CPP"}),
            "a CPP needs alert or action limits",
        ),
        (_steps({"id": "a", "kind": "entry", "type": "choice"}), "needs 'choices'"),
        (
            _steps(
                {"id": "a", "kind": "entry", "type": "choice", "choices": ["x"], "expected": "y"}
            ),
            "expected 'y' is not one of the choices",
        ),
        (
            _steps({"id": "a", "kind": "entry", "range": [0, 10], "action": [-5, 5]}),
            "action limits must lie inside the range",
        ),
        (
            _steps({"id": "a", "kind": "timer", "minimum": "2 h", "maximum": "30 min"}),
            "timer minimum is above its maximum",
        ),
        (
            _steps({"id": "a", "kind": "scan", "expect": "isbt128.din", "match": "din"}),
            "matches 'din' before any step binds it",
        ),
        (
            _steps(
                {
                    "id": "a",
                    "kind": "entry",
                    "type": "text",
                    "source": {"cell_counter": "viability"},
                }
            ),
            "a value from the cell counter is a number entry",
        ),
        (
            _steps(
                {
                    "id": "a",
                    "kind": "entry",
                    "type": "number",
                    "unit": "mL",
                    "source": {"cell_counter": "viable_concentration"},
                }
            ),
            "viable_concentration is in 1e6 cells/mL",
        ),
        (
            _steps(
                {"id": "a", "kind": "pending_result", "test": "endotoxin"},
                repeat={"until": "true", "max": 2},
            ),
            "a pending result cannot be in a repeating stage",
        ),
        (
            _steps({"id": "a", "kind": "timer", "monitor": {"role": "incubator", "nodes": {}}}),
            "missing field 'interval'",
        ),
        (
            _steps(
                {
                    "id": "a",
                    "kind": "timer",
                    "monitor": {"role": "incubator", "interval": "now", "nodes": {"t": {}}},
                }
            ),
            "is not a duration",
        ),
        (
            _steps(
                {
                    "id": "a",
                    "kind": "timer",
                    "monitor": {"role": "incubator", "interval": "0 s", "nodes": {"t": {}}},
                }
            ),
            "must be longer than nothing",
        ),
        (
            _steps(
                {
                    "id": "a",
                    "kind": "timer",
                    "monitor": {"role": "incubator", "interval": "5 min", "nodes": {}},
                }
            ),
            "at least 1 item",
        ),
        (
            _steps(
                {
                    "id": "a",
                    "kind": "timer",
                    "monitor": {
                        "role": "incubator",
                        "interval": "5 min",
                        "nodes": {"t": {"unit": "furlongs"}},
                    },
                }
            ),
            "unit",
        ),
        (
            _steps(
                {
                    "id": "a",
                    "kind": "timer",
                    "monitor": {
                        "role": "incubator",
                        "interval": "5 min",
                        "nodes": {"t": {"unit": "°C", "alert": [30, 40], "action": [36, 38]}},
                    },
                }
            ),
            "monitor t: alert limits must lie inside action limits",
        ),
        (
            _steps(
                {
                    "id": "a",
                    "kind": "timer",
                    "monitor": {
                        "role": "incubator",
                        "interval": "30 s",
                        "nodes": {"t": {"unit": "°C", "alert": [36.5, 37.5], "action": [36, 38]}},
                    },
                }
            ),
            None,
        ),
        ("id: x\n? [a, b]\n: 1\n", "keys must be plain"),
        ("- {", "not valid YAML"),
    ],
)
def test_recipe_problems(tmp_path: Path, text: str, expected: str | None) -> None:
    path = write(tmp_path, text)
    if expected is None:
        assert load_recipe(path).recipe.id == "mini"
        return
    assert any(expected in p for p in problems(path)), problems(path)


def test_problem_without_line_and_stage_lookup() -> None:
    from kiosk.recipe import Problem

    assert str(Problem("f.yaml", None, None, "m")) == "f.yaml: m"
    loaded = load_recipe(ROOT / "recipes" / "training.yaml").recipe
    assert loaded.stage("measure").id == "measure"
    with pytest.raises(KeyError):
        loaded.stage("nope")


def test_explicit_nulls_are_allowed(tmp_path: Path) -> None:
    text = _steps(
        {"id": "a", "kind": "entry", "unit": None, "alert": None, "when": None},
        {"id": "b", "kind": "timer", "minimum": None, "maximum": "1 h"},
        {"id": "c", "kind": "signature", "meaning": "verified", "sign": {"meaning": None}},
    )
    found = problems(write(tmp_path, text))
    assert found == [
        f"{tmp_path / 'r.yaml'}:20: step one.c: a step that needs a signature needs its meaning"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_recipe(stages=[5]), "Input should be a valid dictionary"),
        (_recipe(stages=[{"id": "one", "steps": [5]}]), "r.yaml:8: Input should be a valid dict"),
        (_recipe(version=0), "version: Input should be greater than or equal to 1"),
        (_recipe(stages=[{"id": "one", "steps": []}]), "one"),
    ],
)
def test_malformed_structure_is_reported_not_raised(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert any(expected in p for p in problems(write(tmp_path, text)))
