"""Separation of duties over a real batch: the performer or a witness of a step never releases
the batch, and nobody acknowledges an exception their own action raised
(``kiosk.review.release_refusal`` / ``acknowledge_refusal``, which the engine calls)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.execution import Credentials
from kiosk.recipe import load_recipe
from kiosk.review import acknowledge_refusal, release_refusal

from .conftest import Station

RECIPE = """\
id: sod
version: 1
title: Separation of duties
status: effective
stages:
  - id: receipt
    steps:
      - id: shipper_temp
        kind: entry
        type: number
        unit: degC
        decimals: 0
        action: [-196, -150]
        witness: true
      - id: release
        kind: signature
        meaning: released
        roles: [qa]
"""


@pytest.fixture
def batch(station: Station, tmp_path: Path) -> tuple[Station, str]:
    """Olivia records a shipper temperature out of limits (a blocking exception), Sam
    acknowledges it, Quinn (QA) witnesses the value; the batch waits at its release step."""
    path = tmp_path / "sod.yaml"
    path.write_text(RECIPE, encoding="utf-8")
    station.engine.add_recipe(load_recipe(path))
    station.auth.add_user("rhea", "Rhea Release", ["qa"], "qa-rhea-01", by="system")
    eng = station.engine
    olivia = station.login("olivia")
    batch_id = eng.start_batch(olivia, "sod", {}, batch_id="B-SOD")
    eng.enter(olivia, batch_id, "-120")
    (exc_id,) = eng.batch(batch_id).exceptions
    history = list(station.store.events(batch=batch_id))
    assert acknowledge_refusal(eng.batch(batch_id), history, exc_id, "sam") is None
    eng.acknowledge(olivia, batch_id, exc_id, station.creds("sam"), "shipper checked, logger ok")
    eng.witness(olivia, batch_id, station.creds("quinn"))
    assert eng.batch(batch_id).step_key is not None
    assert eng.batch(batch_id).step.id == "release"  # type: ignore[union-attr]
    return station, batch_id


def test_the_performer_and_the_witness_may_not_release(batch: tuple[Station, str]) -> None:
    station, batch_id = batch
    state = station.engine.batch(batch_id)
    history = list(station.store.events(batch=batch_id))
    performer = release_refusal(state, history, "olivia")
    assert performer is not None
    assert "olivia performed or witnessed" in performer
    assert "shipper_temp" in performer
    witness = release_refusal(state, history, "quinn")
    assert witness is not None
    assert "a different person must release it" in witness
    # Sam only acknowledged the exception: that is neither performing nor witnessing a step.
    assert release_refusal(state, history, "sam") is None
    assert release_refusal(state, history, "rhea") is None
    # and Rhea, who took no part, does release it through the engine
    rhea = station.auth.login("rhea", "qa-rhea-01")
    for exc_id in state.exceptions:
        station.engine.disposition(
            rhea, batch_id, exc_id, "reviewed", "logger data reviewed", "qa-rhea-01", user_id="rhea"
        )
    station.engine.sign_step(rhea, batch_id, Credentials("rhea", "qa-rhea-01"))
    assert station.engine.batch(batch_id).state == "released"


def test_nobody_acknowledges_their_own_exception(batch: tuple[Station, str]) -> None:
    station, batch_id = batch
    state = station.engine.batch(batch_id)
    history = list(station.store.events(batch=batch_id))
    (exc_id,) = state.exceptions
    own = acknowledge_refusal(state, history, exc_id, "olivia")
    assert own is not None
    assert "raised by olivia's own action" in own
    assert acknowledge_refusal(state, history, exc_id, "sam") is None
    assert acknowledge_refusal(state, history, "X-NO-SUCH", "olivia") is None
