"""A batch handed over from one room's station to the next, on the real screens.

Two stations (their own SQLite files, their own sync workers) and a real central server on
loopback: station A (room receipt) finishes its stage and hands the batch over from the step
screen; station B (room isolator) lists it as waiting on its home screen, a person signs
"received", and B continues at the step where the batch stands; A shows it read-only, also
after a restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.app import start_sync
from kiosk.clock import SimClock
from kiosk.screens.autopilot import settle, wait_until
from kiosk.screens.handover import no_server_text, offline_text
from tests.gui.conftest import Rig, make_rig

pytestmark = pytest.mark.gui

RECIPE = """\
id: two-rooms
version: 1
title: Two rooms
status: effective
product: S0000000
context:
  patient_id: {kind: text, label: Patient ID, identifier: true}
stages:
  - id: receipt
    title: Receipt
    room: receipt
    steps:
      - id: unpack
        kind: instruction
        title: Unpack the bag
        instruction: Unpack the shipper and check the bag.
  - id: isolate
    title: Isolator work
    room: isolator
    steps:
      - id: load
        kind: instruction
        title: Load the isolator
        instruction: Pass the bag into the isolator.
      - id: seal
        kind: instruction
        title: Seal the isolator
        instruction: Close and seal the isolator.
"""
PASSWORDS = {"olivia": "op-olivia-2026", "oscar": "op-oscar-2026"}


@dataclass
class Fleet:
    store: Any  # central.store.CentralStore
    url: str
    tokens: dict[str, Path]
    recipes: Path


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Fleet]:
    from central.stations import add_station
    from central.store import CentralStore
    from tests.integration.conftest import ServerThread, server_user

    recipes = tmp_path / "recipes"
    recipes.mkdir()
    (recipes / "two-rooms.yaml").write_text(RECIPE, encoding="utf-8")
    store = CentralStore(str(tmp_path / "central.sqlite"))
    server_user(store, "olivia", "Olivia Okafor", ["operator"], PASSWORDS["olivia"])
    server_user(store, "oscar", "Oscar Lindqvist", ["operator"], PASSWORDS["oscar"])
    tokens = {}
    for name, room in (("GUI-A", "receipt"), ("GUI-B", "isolator"), ("GUI-C", "fill")):
        tokens[name] = tmp_path / f"{name}.token"
        tokens[name].write_text(add_station(store, name, (room,)), encoding="utf-8")
    server = ServerThread(store).start()
    yield Fleet(store, server.url, tokens, recipes)
    server.stop()
    store.close()


def station(qtbot, tmp_path: Path, fleet: Fleet, name: str, room: str | None) -> Rig:  # type: ignore[no-untyped-def]
    """A station of `fleet` in `room` (None: configured for every room), its users pulled."""
    from kiosk.sync import SyncClient, SyncState, pull_master

    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    state = SyncState(SyncState.path_for(folder / "station.sqlite"))
    token = fleet.tokens[name].read_text(encoding="utf-8")
    with SyncClient(fleet.url, token) as client:
        pull_master(client, state, ["users"])
    rig = make_rig(
        folder,
        server={"url": fleet.url, "token_file": str(fleet.tokens[name])},
        clock=SimClock(datetime.now(UTC)),  # the server checks event times against its clock
        station_id=name,
        rooms=[room] if room else None,
        recipes=fleet.recipes,
        demo=False,  # the demo's equipment is the server's to register: a push would be refused
    )
    qtbot.addWidget(rig.window)
    rig.window.show()
    qtbot.waitExposed(rig.window)
    return rig


def owner_state(fleet: Fleet, batch: str) -> tuple[str | None, str] | None:
    from central import ownership

    found = ownership.owner_of(fleet.store, batch)
    return None if found is None else (found.owner, found.state)


def texts(rig: Rig, name: str) -> list[str]:
    return [w.text() for w in rig.window.findChildren(QLabel, name) if w.isVisibleTo(rig.window)]


def visible(rig: Rig, name: str) -> bool:
    return any(b.isVisibleTo(rig.window) for b in rig.window.findChildren(QPushButton, name))


def test_a_batch_is_handed_over_claimed_with_a_signature_and_continued(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    fleet: Fleet,
) -> None:
    a = station(qtbot, tmp_path, fleet, "GUI-A", "receipt")
    b = station(qtbot, tmp_path, fleet, "GUI-B", "isolator")
    assert a.config is not None
    assert b.config is not None
    sync_a = start_sync(a.config, a.kiosk)
    sync_b = start_sync(b.config, b.kiosk)
    assert sync_a is not None
    assert sync_b is not None
    try:
        # station A: the receipt stage, then the next stage is another room's
        a.pilot.login("olivia", PASSWORDS["olivia"])
        batch = a.pilot.start("two-rooms", {"patient_id": "PT-0042"})
        a.pilot.confirm()
        view = a.view()
        assert not view.room_ok
        assert view.room == "isolator"
        assert any("runs in room isolator" in t for t in texts(a, "handover-room"))
        assert visible(a, "handover-go")
        assert not visible(a, "bar-handover")  # the panel has the large one
        assert not visible(a, "step-done")
        a.prompts.answer("confirm")
        a.pilot.click("handover-go")
        asked = a.prompts.asked[-1]
        assert asked.kind == "confirm"
        shown = "\n".join(asked.lines)
        assert batch in shown
        assert "PT-0042" in shown
        assert "isolator" in shown
        assert a.kiosk.engine.read_only(batch)
        assert any("waiting for the next station" in t for t in texts(a, "handover-read-only"))
        for name in ("bar-handover", "bar-hold", "bar-correct", "handover-go"):
            assert not visible(a, name), name
        wait_until(lambda: owner_state(fleet, batch) == (None, "released"))  # pushed at once

        # station C is registered for room fill but configured for every room: it lists the
        # batch, and the server refuses its claim with a sentence the operator sees
        c = station(qtbot, tmp_path, fleet, "GUI-C", None)
        try:
            c.pilot.login("oscar", PASSWORDS["oscar"])
            c.window.home.extras[0].refresh()
            wait_until(lambda: visible(c, "waiting-batch"))
            c.prompts.answer("custody-room", seal="intact")
            c.prompts.answer("signature", user="oscar", password=PASSWORDS["oscar"])
            c.pilot.click("waiting-batch")
            text, kind = c.pilot.message()
            assert "the server refused the claim" in text
            assert "handed over to room isolator" in text
            assert kind == "refused"
            assert not c.events("batch.claimed")
            assert c.window.current() is c.window.home
            assert owner_state(fleet, batch) == (None, "released")
        finally:
            c.kiosk.close()

        # station B: the batch waits for its room; a person signs "received"
        b.pilot.login("oscar", PASSWORDS["oscar"])
        waiting = b.window.home.extras[0]
        waiting.refresh()
        wait_until(lambda: visible(b, "waiting-batch"))
        row = next(w for w in b.window.findChildren(QPushButton, "waiting-batch"))
        assert batch in row.text()
        assert "from GUI-A" in row.text()
        b.prompts.answer("custody-room", seal="intact")
        b.prompts.answer("signature", user="oscar", password=PASSWORDS["oscar"])
        row.click()
        settle()
        arrived = b.prompts.asked[-2]
        assert arrived.kind == "custody-room"
        assert any("PT-0042" in line for line in arrived.lines)
        sign = b.prompts.asked[-1]
        assert sign.kind == "signature"
        context = "\n".join(sign.lines)
        assert "Meaning: received" in context
        assert batch in context
        assert "PT-0042" in context
        assert "GUI-A" in context
        assert sign.slots == ["user", "password"]  # what is received is shown above them
        assert owner_state(fleet, batch) == ("GUI-B", "held")
        assert b.window.current() is b.window.step
        assert b.window.step.batch == batch
        view = b.view()
        assert view.held_by is None
        assert view.room_ok
        assert view.step is not None
        assert view.step.id == "load"
        assert view.identifiers.get("patient_id") == "PT-0042"
        assert visible(b, "bar-handover")
        b.pilot.confirm()
        assert b.view().step.id == "seal"  # type: ignore[union-attr]
        claimed = b.events("batch.claimed")
        assert len(claimed) == 1
        assert claimed[0].payload["signature"]["meaning"] == "received"  # type: ignore[attr-defined]
        assert claimed[0].payload["from"] == "GUI-A"  # type: ignore[attr-defined]
        # the bag's custody moved with the batch, signed by the same receiver
        (custody,) = b.events("custody.handover")
        assert custody.payload["kind"] == "room"  # type: ignore[attr-defined]
        assert custody.payload["from"] == "Olivia Okafor (station GUI-A)"  # type: ignore[attr-defined]
        assert custody.payload["to"] == "Oscar Lindqvist"  # type: ignore[attr-defined]
        assert custody.payload["location"] == "room isolator"  # type: ignore[attr-defined]
        assert custody.payload["signature"]["meaning"] == "received"  # type: ignore[attr-defined]
    finally:
        sync_a.stop()
        sync_b.stop()
        b.kiosk.close()
        a.kiosk.close()

    # station A starts again: the batch it handed over shows read-only, with who holds it
    again = station(qtbot, tmp_path, fleet, "GUI-A", "receipt")
    try:
        again.pilot.login("olivia", PASSWORDS["olivia"])
        again.window.open_batch(batch)
        settle()
        assert any("Handed over to room isolator" in t for t in texts(again, "handover-read-only"))
        assert not visible(again, "bar-hold")
        assert not visible(again, "step-done")
    finally:
        again.kiosk.close()


def test_offline_the_waiting_list_says_a_claim_needs_the_server(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    token = tmp_path / "token"
    token.write_text("not-used", encoding="utf-8")
    rig = make_rig(tmp_path, server={"url": "http://127.0.0.1:9", "token_file": str(token)})
    qtbot.addWidget(rig.window)
    rig.window.show()
    qtbot.waitExposed(rig.window)
    try:
        waiting = rig.window.home.extras[0]
        waiting.refresh()
        wait_until(lambda: not waiting.busy)
        assert waiting.note.text() == offline_text()
        assert not waiting.items
    finally:
        rig.kiosk.close()


def test_without_a_server_a_stage_of_another_room_is_refused_and_no_hand_over_is_offered(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    recipes = tmp_path / "recipes"
    recipes.mkdir()
    (recipes / "two-rooms.yaml").write_text(RECIPE, encoding="utf-8")
    rig = make_rig(tmp_path, rooms=["receipt"], recipes=recipes)
    qtbot.addWidget(rig.window)
    rig.window.show()
    qtbot.waitExposed(rig.window)
    try:
        rig.login("olivia")
        batch = rig.pilot.start("two-rooms", {"patient_id": "PT-0042"})
        rig.pilot.confirm()
        assert any(no_server_text() in t for t in texts(rig, "handover-room"))
        assert not visible(rig, "handover-go")
        assert not visible(rig, "bar-handover")
        assert not visible(rig, "step-done")
        assert not rig.kiosk.engine.read_only(batch)  # it stays this station's
        assert not rig.events("batch.handover")
    finally:
        rig.kiosk.close()
