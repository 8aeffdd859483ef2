"""Every recipe version a station holds: from its recipe folder and pulled from the server.

A station keeps every version it has, not one per recipe: a batch runs on the version it
started with until it ends, and new batches start on the newest effective version
(``Engine.add_recipe``). Both sources give a mapping keyed ``<id>@v<version>``, so that two
versions of one recipe never hide each other whatever their file names.

A pulled recipe's status is the server's (``central.recipes``: the server serves a version
only once it is effective), not the ``status`` line of the YAML text, which is the author's
draft and is bound unchanged to the signatures by its SHA-256.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kiosk.recipe import LoadedRecipe, RecipeError, load_recipe, recipe_from_bytes

log = logging.getLogger(__name__)


def key(loaded: LoadedRecipe) -> str:
    """``car-t-autologous@v3``: one entry per recipe version."""
    return f"{loaded.recipe.id}@v{loaded.recipe.version}"


def load_folder(folder: Path) -> dict[str, LoadedRecipe]:
    """Every valid recipe version in ``folder``; a broken file is logged and left out."""
    recipes: dict[str, LoadedRecipe] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            loaded = load_recipe(path)
        except RecipeError as exc:
            log.error("recipe %s not loaded:\n%s", path, exc)
            continue
        recipes[key(loaded)] = loaded
    return recipes


def from_pulled(items: Iterable[Mapping[str, Any]]) -> dict[str, LoadedRecipe]:
    """The recipe versions pulled from the server (``SyncState.master_items("recipes")``), each
    with the status the server gave it; one that does not load is logged and left out."""
    recipes: dict[str, LoadedRecipe] = {}
    for item in items:
        name = Path(f"{item.get('recipe_id')}-v{item.get('recipe_version')}.yaml")
        text, status = item.get("yaml"), item.get("status")
        if not isinstance(text, str) or status not in ("effective", "retired"):
            log.error("pulled recipe %s not loaded: no text or no status", name)
            continue
        try:
            loaded = recipe_from_bytes(text.encode("utf-8"), name)
        except RecipeError as exc:
            log.error("pulled recipe %s not loaded:\n%s", name, exc)
            continue
        recipe = loaded.recipe.model_copy(update={"status": status})
        recipes[key(loaded)] = LoadedRecipe(recipe, loaded.path, loaded.sha256)
    return recipes
