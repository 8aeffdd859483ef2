"""Recipes and OQ scripts refuse YAML anchors and aliases (kiosk.yamlload), naming file:line.

A recursive alias used to end in RecursionError; a 9^7 alias bomb ran 30 s and 2.4 GB
before it was killed. Both must now be refused before anything is expanded.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import yamlload
from kiosk.oq import OqError, load_script
from kiosk.recipe import RecipeError, load_recipe
from tests.helpers import ROOT, run_kiosk

RECIPE = ROOT / "recipes" / "training.yaml"


def bomb(levels: int = 7, width: int = 9) -> str:
    """`id: x` then a chain of anchors, each a list of `width` aliases of the one before."""
    lines = ["id: bomb", "version: 1", 'a0: &a0 ["lol"]']
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_recipe_is_refused_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(), encoding="utf-8")
    with pytest.raises(RecipeError) as caught:
        load_recipe(path)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{path}:3:")  # the first anchor, before any expansion
    assert "anchors (&a0) are not allowed" in str(problem)


def test_alias_bomb_through_the_command_stays_small(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(), encoding="utf-8")
    result = run_kiosk("recipe", "validate", str(path), timeout=120)
    assert result.returncode == 1
    assert result.stdout.strip() == f"{path}:3: not valid YAML: anchors (&a0) are not allowed here"


def test_recursive_alias_in_oq_script(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("title: loop\nsteps: &s\n  - *s\n", encoding="utf-8")
    with pytest.raises(OqError, match=rf"^{path}:2: cannot read the script: anchors \(&s\)"):
        load_script(path)
    result = run_kiosk("oq", "run", str(path), "--db", str(tmp_path / "x.sqlite"))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_alias_without_anchor_and_merge_keys_are_refused() -> None:
    with pytest.raises(yamlload.YamlRefused, match="aliases"):
        yamlload.load("a: 1\nb: *nowhere\n")
    with pytest.raises(yamlload.YamlRefused) as caught:
        yamlload.load("base: {x: 1}\nother:\n  <<: &m {y: 2}\n")
    assert caught.value.line == 3


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(yamlload.YamlRefused, match="nested more than"):
        yamlload.load("[" * 5000 + "]" * 5000)


def test_plain_documents_load_as_safe_load_does() -> None:
    text = RECIPE.read_text(encoding="utf-8")
    assert yamlload.load(text) == yaml.safe_load(text)
    assert load_recipe(RECIPE).recipe.id


_scalars = st.one_of(
    st.integers(), st.booleans(), st.text(max_size=20), st.none(), st.floats(allow_nan=False)
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(_documents)
@settings(max_examples=100, deadline=None)
def test_any_plain_document_round_trips(doc: object) -> None:
    assert yamlload.load(yaml.safe_dump(doc)) == doc


@given(st.text(alphabet="&*ab: -[]{},\n!<>'\"#|", max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_loads_or_is_refused_as_yaml(text: str) -> None:
    """Never RecursionError, TypeError or anything but a YAMLError."""
    with contextlib.suppress(yaml.YAMLError):
        yamlload.load(text)


def test_subprocess_bomb_finishes(tmp_path: Path) -> None:
    """The same bomb handed to the loader in a fresh interpreter with 1 GB of address space."""
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(), encoding="utf-8")
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30));"
        "from kiosk import yamlload;"
        "import yaml\n"
        "try:\n    yamlload.load(open(sys.argv[1]).read())\n"
        "except yamlload.YamlRefused as e:\n    print(e)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "line 3: anchors (&a0) are not allowed here"
