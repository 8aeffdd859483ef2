"""The engine package: every step kind has its rules registered, and old imports still work."""

from __future__ import annotations

import kiosk.engine
import kiosk.execution
from kiosk.engine.registry import KINDS
from kiosk.recipe import STEP_KINDS


def test_every_step_kind_of_the_recipe_format_is_registered() -> None:
    assert set(KINDS) == set(STEP_KINDS)
    assert {k for k, kind in KINDS.items() if kind.confirm} == {"instruction", "calc"}
    assert {k for k, kind in KINDS.items() if kind.sign} == {"signature"}
    assert {k for k, kind in KINDS.items() if kind.preview} == {"calc"}
    assert all(kind.needs for kind in KINDS.values())


def test_the_old_module_still_exports_the_engine() -> None:
    assert kiosk.execution.__all__ == kiosk.engine.__all__
    for name in kiosk.engine.__all__:
        assert getattr(kiosk.execution, name) is getattr(kiosk.engine, name)
