"""Engine rules found in review: overrides are not sign-offs, corrections meet entry checks,
skipped values, units of calculations, atomic release, recipe versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.engine import ActionRefused, Engine
from kiosk.recipe import RecipeError, load_recipe

from .conftest import Station

RULES = """\
id: rules
version: {version}
title: Engine rules
status: effective
context:
  weight: {{kind: number, unit: kg, decimals: 1, range: [1, 200]}}
parameters:
  dose_per_kg: {{value: 2, unit: 1e6 cells/kg}}
stages:
  - id: one
    steps:
      - id: feed
        kind: weigh
        unit: g
        decimals: 1
        sign: {{meaning: approved, roles: [supervisor]}}
      - id: result
        kind: entry
        type: choice
        choices: [negative, positive]
        expected: negative
        critical: CQA
      - id: optional
        kind: entry
        type: number
        unit: mL
        when: weight > 150
      - id: follow_up
        kind: instruction
        when: optional > 1
      - id: dose
        kind: calc
        formula: dose_per_kg * weight
      - id: release
        kind: signature
        meaning: released
        roles: [qa]
"""


@pytest.fixture
def rules(station: Station, tmp_path: Path) -> tuple[Station, Path]:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES.format(version=1), encoding="utf-8")
    station.engine.add_recipe(load_recipe(path))
    return station, path


def _start(st: Station) -> tuple[object, str]:
    session = st.login("olivia")
    return session, st.engine.start_batch(session, "rules", {"weight": "70.0"}, batch_id="B-R")


def test_an_override_is_not_the_steps_sign_off(rules: tuple[Station, Path]) -> None:
    st, _ = rules
    session, batch = _start(st)
    st.engine.weigh(
        session, batch, None, manual_value=12.5, override=st.creds("sam"), reason="balance down"
    )
    assert st.engine.view(batch).waiting_for == "signature"
    st.engine.sign_step(session, batch, st.creds("sam"))
    assert st.engine.view(batch).key == "one.result"


def test_correction_meets_the_entry_checks(rules: tuple[Station, Path]) -> None:
    st, _ = rules
    session, batch = _start(st)
    eng = st.engine
    eng.weigh(session, batch, None, manual_value=12.5, override=st.creds("sam"), reason="down")
    eng.sign_step(session, batch, st.creds("sam"))
    eng.enter(session, batch, "negative")
    with pytest.raises(ActionRefused, match="choose one of"):
        eng.correct(session, batch, "one.result", "nonsense", "typo")
    with pytest.raises(ActionRefused, match="same as the recorded"):
        eng.correct(session, batch, "one.result", "negative", "typo")
    eng.correct(session, batch, "one.result", "positive", "read the wrong plate")
    state = eng.batch(batch)
    assert state.state == "on_hold"
    assert any(
        e.category == "cpp_cqa" and e.step == "one.result" for e in state.exceptions.values()
    )


def test_skipped_value_skips_what_depends_on_it_and_calc_keeps_its_unit(
    rules: tuple[Station, Path],
) -> None:
    st, _ = rules
    session, batch = _start(st)
    eng = st.engine
    eng.weigh(session, batch, None, manual_value=12.5, override=st.creds("sam"), reason="down")
    eng.sign_step(session, batch, st.creds("sam"))
    eng.enter(session, batch, "negative")
    # weight 70 kg: `optional` is skipped, and so is `follow_up`, which needs its value
    assert eng.view(batch).key == "one.dose"
    skipped = [e for e in st.store.events(batch=batch) if e.type == "step.skipped"]
    assert [e.payload["step"] for e in skipped] == ["one.optional", "one.follow_up"]
    assert "no value recorded for optional" in skipped[1].payload["reason"]
    eng.confirm(session, batch)
    dose = eng.batch(batch).records["one.dose"]
    # 2e6 cells/kg × 70 kg, recorded in the unit the formula gives (no unit was declared)
    assert dose.value == pytest.approx(1.4e8)
    assert dose.unit == "cells"


def test_release_is_one_transaction_and_witness_waits_for_hold(
    rules: tuple[Station, Path],
) -> None:
    st, _ = rules
    session, batch = _start(st)
    eng = st.engine
    eng.weigh(session, batch, None, manual_value=12.5, override=st.creds("sam"), reason="down")
    eng.sign_step(session, batch, st.creds("sam"))
    eng.enter(session, batch, "negative")
    eng.confirm(session, batch)
    qa = st.login("quinn")
    with pytest.raises(ActionRefused, match="not yet dispositioned"):
        eng.sign_step(qa, batch, st.creds("quinn"))
    for item in list(eng.batch(batch).exceptions):
        eng.disposition(
            qa, batch, item, "reviewed", "manual weight accepted", "qa-quinn-2026", user_id="quinn"
        )
    eng.sign_step(qa, batch, st.creds("quinn"))
    events = list(st.store.events(batch=batch))
    states = [e.payload["state"] for e in events if e.type == "batch.state"]
    assert states == ["released"]
    assert events[-1].type == "batch.state"
    assert events[-1].seq == events[-2].seq + 1


def test_batches_continue_on_the_version_they_started(rules: tuple[Station, Path]) -> None:
    st, path = rules
    _, batch = _start(st)
    v2 = path.with_name("rules-v2.yaml")
    v2.write_text(RULES.format(version=2), encoding="utf-8")
    st.engine.add_recipe(load_recipe(v2))
    assert st.engine.recipes["rules"].recipe.version == 2
    fresh = Engine(st.store, st.auth, {"a": load_recipe(path), "b": load_recipe(v2)}, st.clock)
    assert fresh.batch(batch).recipe.version == 1
    assert fresh.recipes["rules"].recipe.version == 2


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      - id: dose\n",
            "      - id: coi\n        kind: scan\n        expect: isbt128.coi\n        binds: din\n"
            "      - id: dose\n",
            "cannot bind or match 'din'",
        ),
        (
            "        formula: dose_per_kg * weight",
            "        formula: optional * 2",
            "a condition may skip",
        ),
        (
            "        roles: [qa]\n",
            "        roles: [qa]\n      - id: after\n        kind: instruction\n",
            "must be the recipe's last step",
        ),
    ],
)
def test_validator_catches_recipes_that_would_fail_on_the_floor(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = RULES.format(version=1)
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RecipeError, match=message):
        load_recipe(path)
