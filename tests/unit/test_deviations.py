"""Deviations as records at the station, and the release gate shared with the QA portal
(``kiosk.deviations``, ``Engine.open_deviation``, ``kiosk.review.release_blockers``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central.authority import check
from central.errors import FORBIDDEN, INVALID
from kiosk import deviations as dev
from kiosk.engine import ActionRefused
from kiosk.recipe import load_recipe
from kiosk.review import release_blockers
from local_store import Event

from .conftest import PASSWORDS, Station

RECIPE = """\
id: devs
version: 1
title: Deviations
status: effective
stages:
  - id: receipt
    steps:
      - id: shipper_temp
        kind: entry
        type: number
        unit: degC
        decimals: 0
        alert: [-196, -150]
      - id: release
        kind: signature
        meaning: released
        roles: [qa]
"""


@pytest.fixture
def batch(station: Station, tmp_path: Path) -> tuple[Station, str, str]:
    """Olivia records a temperature outside its alert limits; the batch waits at release.
    Returns (station, batch, the exception's ID)."""
    path = tmp_path / "devs.yaml"
    path.write_text(RECIPE, encoding="utf-8")
    station.engine.add_recipe(load_recipe(path))
    olivia = station.login("olivia")
    batch_id = station.engine.start_batch(olivia, "devs", {}, batch_id="B-DEV")
    station.engine.enter(olivia, batch_id, "-120")
    (exc_id,) = station.engine.batch(batch_id).exceptions
    return station, batch_id, exc_id


def test_a_supervisor_opens_a_deviation_and_the_release_waits_for_it(
    batch: tuple[Station, str, str],
) -> None:
    station, batch_id, exc_id = batch
    eng = station.engine
    olivia = station.login("olivia")
    sam = station.login("sam")
    before = station.store.count()
    with pytest.raises(ActionRefused, match="may not open a deviation"):
        eng.open_deviation(olivia, batch_id, exc_id, "major", "Shipper warm")
    with pytest.raises(ActionRefused, match=r"^classification: must be one of minor, major"):
        eng.open_deviation(sam, batch_id, exc_id, "severe", "Shipper warm")
    with pytest.raises(ActionRefused, match=r"^description: required"):
        eng.open_deviation(sam, batch_id, exc_id, "major", "   ")
    with pytest.raises(ActionRefused, match="no review item X-NOPE"):
        eng.open_deviation(sam, batch_id, "X-NOPE", "major", "Shipper warm")
    assert station.store.count() == before  # nothing written for a refusal
    ident = eng.open_deviation(sam, batch_id, exc_id, "Major", "Shipper arrived at -120 °C")
    opened = eng.batch(batch_id).deviations[ident]
    assert (opened.classification, opened.status, opened.opened_by) == ("major", "open", "sam")

    quinn = station.login("quinn")
    eng.disposition(
        quinn,
        batch_id,
        exc_id,
        "deviation",
        "under investigation",
        PASSWORDS["quinn"],
        user_id="quinn",
        reference=ident,
    )
    with pytest.raises(ActionRefused) as refused:
        eng.sign_step(quinn, batch_id, station.creds("quinn"))
    assert str(refused.value) == f"release refused: 1 deviation(s) still open ({ident})"
    assert eng.batch(batch_id).state == "in_progress"
    # the same gate rebuilt from the log (as the server rebuilds it)
    eng.forget(batch_id)
    history = list(eng.history(batch_id))
    assert release_blockers(eng.batch(batch_id), history, "quinn") == [
        f"1 deviation(s) still open ({ident})"
    ]


def test_every_reason_is_named_at_once(batch: tuple[Station, str, str]) -> None:
    station, batch_id, exc_id = batch
    state = station.engine.batch(batch_id).clone()
    history = list(station.engine.history(batch_id))
    state.awaiting["receipt.sterility"] = {"test": "sterility"}
    reasons = release_blockers(state, history, "olivia")
    assert reasons[0] == "a QC result is pending (sterility)"
    assert reasons[1] == f"1 review item(s) not yet dispositioned by QA ({exc_id})"
    assert reasons[2].startswith("olivia performed or witnessed steps of batch B-DEV")
    assert len(reasons) == 3


def test_a_running_batch_is_not_released(station: Station, tmp_path: Path) -> None:
    path = tmp_path / "devs.yaml"
    path.write_text(RECIPE, encoding="utf-8")
    station.engine.add_recipe(load_recipe(path))
    olivia = station.login("olivia")
    batch_id = station.engine.start_batch(olivia, "devs", {}, batch_id="B-RUN")
    reasons = release_blockers(station.engine.batch(batch_id), [], "quinn")
    assert reasons == ["the batch is still running (current step receipt.shipper_temp)"]


def _event(type_: str, payload: dict[str, object], ts: str = "2026-12-01T10:00:00Z") -> Event:
    return Event("S-1", 1, ts, "u:quinn", "B-1", type_, payload, "why", "0" * 64, "1" * 64)


def test_the_record_folds_investigation_reclassification_and_closure() -> None:
    found: dict[str, dev.Deviation] = {}
    dev.apply(
        found,
        _event(
            "deviation.opened",
            {"id": "DEV-0000000A", "item": "X-1", "classification": "major", "description": "warm"},
        ),
    )
    dev.apply(found, _event("deviation.updated", {"id": "DEV-0000000A", "capa": "CAPA-1"}))
    dev.apply(
        found, _event("deviation.reclassified", {"id": "DEV-0000000A", "classification": "minor"})
    )
    dev.apply(found, _event("deviation.updated", {"id": "DEV-UNKNOWN", "capa": "x"}))
    assert dev.open_ones(found) == [found["DEV-0000000A"]]
    sig = {"user": "quinn", "name": "Quinn Marlowe", "ts": "t", "meaning": "closed"}
    dev.apply(found, _event("deviation.closed", {"id": "DEV-0000000A", "signature": sig}))
    record = found["DEV-0000000A"]
    assert (record.classification, record.status, record.text("capa")) == (
        "minor",
        "closed",
        "CAPA-1",
    )
    assert record.closed == sig
    assert "reclassified major → minor by quinn: why" in record.history[2]
    assert dev.open_ones(found) == []


def test_a_station_may_open_but_never_close_or_release() -> None:
    opened = _event(
        "deviation.opened",
        {"id": "DEV-0000000A", "item": "X-1", "classification": "major", "description": "warm"},
    )
    assert check(opened) is None
    bad = _event(
        "deviation.opened",
        {"id": "DEV-0000000A", "item": "X-1", "classification": "grave", "description": "warm"},
    )
    problem = check(bad)
    assert problem is not None
    assert problem[0] == INVALID
    assert "classification" in problem[1]
    for kind in (
        "qa.dispositioned",
        "qa.released",
        "deviation.closed",
        "deviation.updated",
        "deviation.reclassified",
    ):
        refused = check(_event(kind, {"id": "DEV-0000000A"}))
        assert refused is not None
        assert refused[0] == FORBIDDEN, kind


TEXT = st.text(max_size=60)


@given(
    st.dictionaries(
        st.sampled_from([*dev.FIELDS, "other"]), TEXT | st.text(min_size=4001, max_size=4005)
    )
)
def test_check_texts_keeps_clean_text_or_names_the_field(form: dict[str, str]) -> None:
    refusal = None
    try:
        found = dev.check_texts(form, required=("description",))
    except dev.DeviationError as exc:
        refusal = str(exc)
    if refusal is not None:
        field, _, why = refusal.partition(": ")
        assert field in dev.FIELDS
        assert why
        assert "\n" not in refusal
        return
    assert set(found) <= set(dev.FIELDS)
    assert found["description"]
    for name, text in found.items():
        assert text == form[name].replace("\r\n", "\n").strip()
        assert len(text) <= dev.MAX_TEXT


@given(st.text(max_size=20))
def test_check_classification_accepts_only_the_three(value: str) -> None:
    refusal = None
    try:
        found = dev.check_classification(value)
    except dev.DeviationError as exc:
        refusal = str(exc)
    if refusal is not None:
        assert refusal.startswith("classification: ")
        assert value.strip().lower() not in dev.CLASSIFICATIONS
        return
    assert found in dev.CLASSIFICATIONS
    assert found == value.strip().lower()
