"""A station keeps every recipe version it holds and runs each batch on its own version."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import load_recipes
from kiosk.auth import Auth
from kiosk.engine import Engine
from kiosk.recipe import LoadedRecipe, load_recipe
from kiosk.recipebook import from_pulled

from .conftest import ROOT, Station, make_station
from .test_execution import DIN

TRAINING = (ROOT / "recipes" / "training.yaml").read_text(encoding="utf-8")


def version_text(version: int, status: str = "effective") -> str:
    text = TRAINING.replace("\nversion: 1\n", f"\nversion: {version}\n")
    return text.replace("\nstatus: effective\n", f"\nstatus: {status}\n")


def pulled_folder(tmp_path: Path, versions: tuple[int, ...]) -> Path:
    """Recipe files named as `kiosk sync pull --recipes-dir` names them (ID-vN.yaml)."""
    folder = tmp_path / "pulled"
    folder.mkdir(exist_ok=True)
    for v in versions:
        (folder / f"training-v{v}.yaml").write_text(version_text(v), encoding="utf-8")
    return folder


def restart(st: Station, recipes: dict[str, LoadedRecipe]) -> Engine:
    """The station's engine as the app builds it after a restart, over the same record."""
    return Engine(st.store, Auth(st.store, st.clock), recipes, st.clock)


def started_on(tmp_path: Path, v3: LoadedRecipe) -> Station:
    """A station that started batch B-V3 on training v3 (the only version it had then)."""
    st = make_station(tmp_path / "st.sqlite", "ST-V")
    st.engine.add_recipe(v3)
    session = st.login("olivia")
    batch = st.engine.start_batch(session, "training", {"trainee": "T"}, batch_id="B-V3")
    assert st.engine.batch(batch).recipe.version == 3
    st.engine.confirm(session, batch)
    return st


@pytest.fixture
def on_v3(tmp_path: Path) -> Station:
    return started_on(tmp_path, load_recipe(pulled_folder(tmp_path, (3,)) / "training-v3.yaml"))


def test_v3_v4_v10_pulled_a_v3_batch_goes_on_and_new_batches_start_on_v10(
    on_v3: Station, tmp_path: Path
) -> None:
    folder = pulled_folder(tmp_path, (3, 4, 10))  # filename order: v10, v3, v4
    recipes = load_recipes(folder)
    assert sorted(r.recipe.version for r in recipes.values()) == [3, 4, 10]
    engine = restart(on_v3, recipes)
    session = engine.auth.login("olivia", "op-olivia-2026")
    engine.scan(session, "B-V3", DIN)  # the v3 batch carries on where it stood
    assert engine.batch("B-V3").recipe.version == 3
    assert engine.view("B-V3").key == "start.area_clean"
    new = engine.start_batch(session, "training", {"trainee": "U"}, batch_id="B-V10")
    assert engine.batch(new).recipe.version == 10
    on_v3.store.close()


def test_pulled_versions_take_the_servers_status_not_the_drafts_text(tmp_path: Path) -> None:
    """The server serves only effective versions; the YAML still says draft, as authored."""
    items = [
        {
            "recipe_id": "training",
            "recipe_version": v,
            "status": "effective",
            "yaml": version_text(v, status="draft"),
        }
        for v in (3, 4, 10)
    ]
    items.append({"recipe_id": "training", "recipe_version": 11, "status": "draft", "yaml": "x"})
    items.append({"recipe_id": "bad", "recipe_version": 1, "status": "effective", "yaml": "id: 1"})
    recipes = from_pulled(items)
    assert sorted(recipes) == ["training@v10", "training@v3", "training@v4"]
    assert recipes["training@v3"].recipe.status == "effective"
    on_v3 = started_on(tmp_path, recipes["training@v3"])
    engine = restart(on_v3, recipes)
    session = engine.auth.login("olivia", "op-olivia-2026")
    engine.scan(session, "B-V3", DIN)
    new = engine.start_batch(session, "training", {"trainee": "U"}, batch_id="B-V10")
    assert engine.batch(new).recipe.version == 10
    on_v3.store.close()


def test_a_broken_file_is_left_out_and_the_others_load(tmp_path: Path) -> None:
    folder = pulled_folder(tmp_path, (3, 4))
    (folder / "training-v5.yaml").write_text("id: training\nversion: five\n", encoding="utf-8")
    assert sorted(load_recipes(folder)) == ["training@v3", "training@v4"]
