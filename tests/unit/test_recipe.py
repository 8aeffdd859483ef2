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
