"""Rooms and ownership: where a batch's steps may be worked on, and by which station."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.config import ROOM as CONFIG_ROOM
from kiosk.config import ConfigError, load_config
from kiosk.engine import ActionRefused, Engine, Reading
from kiosk.recipe import ROOM, RecipeError, load_recipe

from .conftest import ROOT, Station, make_station
from .test_batch_handover import hand_over
from .test_execution import DIN


def training_with_rooms(tmp_path: Path) -> Path:
    """Training v2: its first stage in 'receipt', its second in 'isolator', the last anywhere."""
    text = (ROOT / "recipes" / "training.yaml").read_text(encoding="utf-8")
    text = text.replace("\nversion: 1\n", "\nversion: 2\n")
    text = text.replace(
        "    title: Getting started\n", "    title: Getting started\n    room: receipt\n"
    )
    text = text.replace("    title: Measuring\n", "    title: Measuring\n    room: isolator\n")
    path = tmp_path / "training.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def station_in(
    tmp_path: Path, name: str, rooms: frozenset[str] | None, **options: object
) -> Station:
    st = make_station(tmp_path / f"{name}.sqlite", name, rooms=rooms, **options)
    st.engine.add_recipe(load_recipe(training_with_rooms(tmp_path)))
    return st


@pytest.fixture
def receipt(tmp_path: Path) -> Iterator[Station]:
    st = station_in(tmp_path, "ST-R", frozenset({"receipt"}))
    yield st
    st.store.close()


def test_a_step_of_another_rooms_stage_is_refused_and_nothing_written(receipt: Station) -> None:
    session = receipt.login("olivia")
    batch = receipt.engine.start_batch(session, "training", {"trainee": "T"}, batch_id="B-R-1")
    assert receipt.engine.view(batch).room == "receipt"
    assert receipt.engine.view(batch).room_ok
    receipt.engine.confirm(session, batch)
    receipt.engine.scan(session, batch, DIN)
    receipt.engine.check(session, batch, "pass")
    view = receipt.engine.view(batch)
    assert (view.key, view.room, view.room_ok) == ("measure.target_volume", "isolator", False)
    before = receipt.store.count()
    with pytest.raises(ActionRefused) as refused:
        receipt.engine.enter(session, batch, "100.0")
    assert str(refused.value) == (
        "Stage 'Measuring' runs in room 'isolator'; this station is in 'receipt'. "
        "Hand the batch over to a station in that room."
    )
    assert receipt.store.count() == before


def test_a_station_in_that_room_carries_on_and_any_room_stages_run_anywhere(
    tmp_path: Path, receipt: Station
) -> None:
    session = receipt.login("olivia")
    batch = receipt.engine.start_batch(session, "training", {"trainee": "T"}, batch_id="B-R-2")
    receipt.engine.confirm(session, batch)
    receipt.engine.scan(session, batch, DIN)
    receipt.engine.check(session, batch, "pass")
    lab = station_in(tmp_path, "ST-I", frozenset({"isolator", "incubator"}), clock=receipt.clock)
    hand_over(receipt, lab, batch)
    at_lab = lab.login("oscar")
    lab.engine.enter(at_lab, batch, "100.0")
    lab.engine.weigh(at_lab, batch, Reading(100.0, "g", True, "BAL-1"))
    assert lab.engine.view(batch).room_ok
    elsewhere = station_in(tmp_path, "ST-F", frozenset({"incubator", "fill-cryo"}))
    hand_over(lab, elsewhere, batch)
    with pytest.raises(ActionRefused, match="this station is in 'fill-cryo' and 'incubator'"):
        elsewhere.engine.witness(elsewhere.login("olivia"), batch, elsewhere.creds("oscar"))
    elsewhere.store.close()
    lab.engine.witness(at_lab, batch, lab.creds("olivia"))
    lab.engine.confirm(at_lab, batch)
    lab.engine.timer_start(at_lab, batch)
    lab.clock.advance(timedelta(minutes=2))
    lab.engine.timer_stop(at_lab, batch)
    # the finishing stage names no room: back at the receipt station it can be done there
    assert lab.engine.view(batch).room is None
    hand_over(lab, receipt, batch)
    back = Engine(
        receipt.store,
        receipt.auth,
        receipt.engine.recipes,
        receipt.clock,
        rooms=frozenset({"receipt"}),
    )
    assert back.print_label(session, batch)["din"] == "G123417654321"
    lab.store.close()


def test_a_station_without_rooms_accepts_every_stage(tmp_path: Path) -> None:
    anywhere = station_in(tmp_path, "ST-ANY", None)
    session = anywhere.login("olivia")
    batch = anywhere.engine.start_batch(session, "training", {"trainee": "T"}, batch_id="B-R-3")
    anywhere.engine.confirm(session, batch)
    anywhere.engine.scan(session, batch, DIN)
    anywhere.engine.check(session, batch, "pass")
    anywhere.engine.enter(session, batch, "100.0")
    assert anywhere.engine.view(batch).room_ok
    anywhere.store.close()


def test_the_reference_recipe_names_three_rooms_and_leaves_qa_release_to_any() -> None:
    recipe = load_recipe(ROOT / "recipes" / "car-t-autologous.yaml").recipe
    rooms = {stage.id: stage.room for stage in recipe.stages}
    assert rooms["receipt"] == "receipt"
    assert rooms["expansion"] == rooms["harvest"] == "isolator"
    assert rooms["fill_label"] == rooms["cryopreservation"] == "fill-cryo"
    assert rooms["qa_release"] is None
    assert set(rooms.values()) == {"receipt", "isolator", "fill-cryo", None}


def test_a_batch_another_station_holds_can_be_viewed_but_not_acted_on(tmp_path: Path) -> None:
    owners: dict[str, str | None] = {}
    st = make_station(tmp_path / "a.sqlite", "ST-A", owner_of=owners.get)
    session = st.login("olivia")
    batch = st.engine.start_batch(session, "training", {"trainee": "T"}, batch_id="B-O-1")
    owners[batch] = "ST-B"
    before = st.store.count()
    view = st.engine.view(batch)
    assert view.held_by == "ST-B"
    assert st.engine.read_only(batch)
    assert view.key == "start.welcome"
    message = "Batch B-O-1 is held by station ST-B; claim it here first."
    with pytest.raises(ActionRefused) as refused:
        st.engine.confirm(session, batch)
    assert str(refused.value) == message
    with pytest.raises(ActionRefused, match="held by station ST-B"):
        st.engine.hold(session, batch, "stop")
    with pytest.raises(ActionRefused, match="held by station ST-B"):
        st.engine.abort(session, batch, st.creds("sam"), "stop")
    with pytest.raises(ActionRefused, match="held by station ST-B"):
        st.engine.witness(session, batch, st.creds("oscar"))
    assert st.store.count() == before
    owners[batch] = None  # unknown (offline): the station that has the batch carries on
    st.engine.confirm(session, batch)
    owners[batch] = "ST-A"
    assert not st.engine.read_only(batch)
    st.engine.scan(session, batch, DIN)
    st.store.close()


def test_station_rooms_come_from_the_configuration(tmp_path: Path) -> None:
    assert CONFIG_ROOM == ROOM
    good = tmp_path / "good.toml"
    good.write_text('[station]\nid = "ST-1"\nrooms = ["isolator", "fill-cryo"]\n')
    assert load_config(good).station.room_set == frozenset({"isolator", "fill-cryo"})
    assert load_config(None).station.room_set is None
    bad = tmp_path / "bad.toml"
    bad.write_text('[station]\nrooms = ["Fill Cryo"]\n')
    with pytest.raises(ConfigError, match=r"bad.toml: station.rooms.0: String should match"):
        load_config(bad)


def test_the_validator_names_a_badly_written_room(tmp_path: Path) -> None:
    path = training_with_rooms(tmp_path)
    path.write_text(path.read_text().replace("room: isolator", "room: Isolator 2"))
    with pytest.raises(RecipeError) as error:
        load_recipe(path)
    assert "step measure: room: String should match pattern" in str(error.value)
