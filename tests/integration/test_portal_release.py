"""QA from anywhere: disposition, deviations and release at the server, taken in at the station.

The reference OQ batch stopped at QA release (``tests/integration/unreleased.py``) is pushed
to a real server (SQLite and PostgreSQL). QA dispositions its items, opens and closes a
deviation and releases it with e-signatures checked by ``central.users``; every decision is an
event in the server's own chain. The station that holds the batch then pulls them
(``kiosk.qa_pull``) and its own state, gate and record show them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from central import qa, schema, users
from central import release as rel
from central.authority import SERVER_STATION
from central.cli import main as central_main
from kiosk import ebr, review
from kiosk.auth import Auth
from kiosk.clock import system_clock
from kiosk.engine import Engine
from kiosk.qa_pull import pull_qa
from kiosk.recipe import load_recipe
from kiosk.sync import SyncClient
from tests.integration import unreleased
from tests.integration.conftest import Central, server_user

pypdf = pytest.importorskip("pypdf")

QUINN = ("quinn", "qa-quinn-2026")
OLIVIA = ("olivia", "qa-olivia-2026")  # a QA user on the server who performed steps at the station


@pytest.fixture(scope="module")
def unreleased_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unreleased.run_unreleased(tmp_path_factory.mktemp("unreleased"))


@pytest.fixture
def batch(central: Central, unreleased_db: Path, tmp_path: Path) -> tuple[str, Path]:
    """(station token, station database) with the batch pushed and the recipe on the server."""
    token = central.add_station(unreleased.STATION)
    station_db = tmp_path / "station.sqlite"
    unreleased.push(unreleased_db, station_db, central.url, token)
    unreleased.add_recipe(central.store.url.render_as_string(False))
    server_user(central.store, QUINN[0], "Quinn Marlowe", ["qa"], QUINN[1])
    server_user(central.store, OLIVIA[0], "Olivia Okafor", ["qa"], OLIVIA[1])
    return token, station_db


def reviewer(central: Central, uid: str) -> users.ServerUser:
    return users.directory(central.store)[uid]


def server_chain(central: Central) -> list[tuple[str, dict[str, object]]]:
    e = schema.events
    with central.store.read() as conn:
        rows = conn.execute(
            select(e.c.type, e.c.payload)
            .where(e.c.station == SERVER_STATION, e.c.batch == unreleased.BATCH)
            .order_by(e.c.seq)
        ).all()
    import json

    return [(t, json.loads(p)) for t, p in rows]


def open_items(central: Central) -> dict[str, str]:
    """The items that hold the release: ID -> what happened."""
    found = qa.review(central.store, qa.RecipeCache(central.store), unreleased.BATCH)
    assert found is not None
    return {i.id: i.message for i in found.items if i.blocks_release}


def test_release_is_refused_naming_every_reason(central: Central, batch: object) -> None:
    recipes = qa.RecipeCache(central.store)
    with pytest.raises(rel.QaRefused) as refused:
        rel.release(central.store, recipes, unreleased.BATCH, reviewer(central, "olivia"), "x")
    text = str(refused.value)
    assert "7 review item(s) not yet dispositioned by QA" in text
    assert "olivia performed or witnessed steps of batch B-OQ-0001" in text
    assert not [t for t, _ in server_chain(central) if t == "qa.released"]


def test_disposition_release_and_the_station_takes_them_in(
    central: Central, batch: tuple[str, Path]
) -> None:
    token, station_db = batch
    store, recipes, quinn = central.store, qa.RecipeCache(central.store), reviewer(central, "quinn")
    items = open_items(central)
    assert len(items) == 7

    # A wrong password signs nothing and counts towards the lockout.
    form = {"item": next(iter(items)), "decision": "reviewed", "reason": "no impact"}
    with pytest.raises(rel.QaRefused, match="signature refused: user ID or password wrong"):
        rel.disposition(store, recipes, unreleased.BATCH, quinn, "wrong", form)
    assert reviewer(central, "quinn").failed == 1
    assert len(open_items(central)) == 7

    # A deviation from the action-limit item holds the release until it is closed.
    viability = next(i for i, what in items.items() if "outside the action limits" in what)
    opened = rel.open_deviation(
        store,
        recipes,
        unreleased.BATCH,
        quinn,
        {"item": viability, "classification": "major", "description": "Viability 68.5 %"},
    )
    dev_id = str(opened.payload["id"])
    for item in items:
        decision = {"item": item, "decision": "reviewed", "reason": "reviewed, no impact"}
        if item == viability:
            decision = {**decision, "decision": "deviation", "reference": dev_id}
        rel.disposition(store, recipes, unreleased.BATCH, quinn, QUINN[1], decision)
    assert open_items(central) == {}
    with pytest.raises(rel.QaRefused, match=f"1 deviation\\(s\\) still open \\({dev_id}\\)"):
        rel.release(store, recipes, unreleased.BATCH, quinn, QUINN[1])
    with pytest.raises(rel.QaRefused, match="investigation: required"):
        rel.close_deviation(store, dev_id, quinn, QUINN[1])
    with pytest.raises(rel.QaRefused, match="reason: say why"):
        rel.update_deviation(store, dev_id, quinn, {"classification": "minor"})
    rel.update_deviation(
        store,
        dev_id,
        quinn,
        {
            "investigation": "Selection run reviewed",
            "root_cause": "Long transport",
            "capa": "CAPA-2026-017",
            "impact": "None: dose met",
            "classification": "minor",
            "reason": "dose met, no impact",
        },
    )
    rel.close_deviation(store, dev_id, quinn, QUINN[1])
    found = rel.deviation(store, dev_id)
    assert found is not None
    assert not found.is_open
    assert found.classification == "minor"
    assert found.closed is not None
    assert found.closed["name"] == "Quinn Marlowe"

    rel.release(store, recipes, unreleased.BATCH, quinn, QUINN[1])
    chain = server_chain(central)
    types = [t for t, _ in chain]
    assert types.count("qa.dispositioned") == 7
    assert types[-1] == "qa.released"
    released = chain[-1][1]["signature"]
    assert isinstance(released, dict)
    assert (released["name"], released["meaning"], released["user"]) == (
        "Quinn Marlowe",
        "released",
        "quinn",
    )
    out = io.StringIO()
    db = central.store.url.render_as_string(False)
    assert central_main(["verify", "--db", db], out=out) == 0, out.getvalue()

    # The station holding the batch takes QA's decisions in; its state and gate follow.
    with unreleased.station(station_db) as station, SyncClient(central.url, token) as client:
        engine = Engine(station, Auth(station, system_clock), {}, system_clock)
        engine.add_recipe(load_recipe(unreleased.ROOT / "recipes" / "car-t-autologous.yaml"))
        assert engine.batch(unreleased.BATCH).state == "in_progress"
        report = pull_qa(engine, client)
        assert report.taken.get(unreleased.BATCH, 0) >= 11
        state = engine.batch(unreleased.BATCH)
        assert state.state == "released"
        assert state.deviations[dev_id].status == "closed"
        assert pull_qa(engine, client).taken == {}  # nothing twice
        record = ebr.load_record(station, unreleased.BATCH, unreleased.ROOT / "recipes")
        assert all(not i.blocks_release for i in record.review_items())
        pdf = station_db.with_suffix(".pdf")
        ebr.write_pdf(record, pdf)
        text = " ".join(
            " ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(pdf)).pages
        )
        assert f"{dev_id} (minor), closed" in text
        assert "CAPA-2026-017" in text
        assert "Released in the QA portal by Quinn Marlowe (quinn)" in text
        history = list(engine.history(unreleased.BATCH))
        assert review.release_blockers(state, history, "quinn") == [
            "batch B-OQ-0001 is released already"
        ]


class Tampering(SyncClient):
    """The real server's answers, with QA's release rewritten on the way (a changed decision)."""

    def get(self, path: str, **params: Any) -> Any:
        data = super().get(path, **params)
        for item in data.get("events", []):
            if item.get("type") == "qa.released":
                item["payload"]["signature"]["name"] = "Someone Else"
        return data


def test_a_changed_server_event_is_not_taken_in(central: Central, batch: tuple[str, Path]) -> None:
    token, station_db = batch
    store, recipes, quinn = central.store, qa.RecipeCache(central.store), reviewer(central, "quinn")
    for item in open_items(central):
        form = {"item": item, "decision": "reviewed", "reason": "reviewed, no impact"}
        rel.disposition(store, recipes, unreleased.BATCH, quinn, QUINN[1], form)
    rel.release(store, recipes, unreleased.BATCH, quinn, QUINN[1])
    with unreleased.station(station_db) as station, Tampering(central.url, token) as client:
        engine = Engine(station, Auth(station, system_clock), {}, system_clock)
        engine.add_recipe(load_recipe(unreleased.ROOT / "recipes" / "car-t-autologous.yaml"))
        report = pull_qa(engine, client)
        assert report.taken == {}
        (why,) = report.unreachable
        assert why.startswith(f"{unreleased.BATCH}: the server's events were not taken")
        assert engine.batch(unreleased.BATCH).state == "in_progress"  # nothing of it applied
        assert station.foreign_events(types=["qa.dispositioned", "qa.released"]) == []


@pytest.mark.gui
def test_a_running_station_takes_in_a_deviation_opened_in_the_portal(
    qtbot: Any, central: Central, batch: tuple[str, Path], tmp_path: Path
) -> None:
    """The kiosk with its sync worker: QA opens a deviation in the portal, and the station that
    holds the batch has it after its next pull (every second here), says so, and takes each
    server event in once."""
    from datetime import UTC, datetime

    from kiosk.app import start_sync
    from kiosk.clock import SimClock
    from kiosk.screens.autopilot import settle
    from local_store import EventStore
    from tests.gui.conftest import make_rig

    token, station_db = batch
    assert station_db == tmp_path / "station.sqlite"  # the kiosk below opens this database
    token_file = tmp_path / "token"
    token_file.write_text(token, encoding="utf-8")
    server = {"url": central.url, "token_file": str(token_file), "pull_seconds": 1}
    rig = make_rig(
        tmp_path,
        server=server,
        clock=SimClock(datetime.now(UTC)),
        station_id=unreleased.STATION,
        demo=False,
    )
    qtbot.addWidget(rig.window)
    rig.window.show()
    qtbot.waitExposed(rig.window)
    assert rig.config is not None
    worker = start_sync(rig.config, rig.kiosk)
    assert worker is not None
    store, recipes = central.store, qa.RecipeCache(central.store)
    try:
        items = open_items(central)
        viability = next(i for i, what in items.items() if "outside the action limits" in what)
        opened = rel.open_deviation(
            store,
            recipes,
            unreleased.BATCH,
            reviewer(central, "quinn"),
            {"item": viability, "classification": "major", "description": "Viability 68.5 %"},
        )
        dev_id = str(opened.payload["id"])
        engine = rig.kiosk.engine

        def taken() -> bool:
            settle()
            return dev_id in engine.batch(unreleased.BATCH).deviations

        qtbot.waitUntil(taken, timeout=20_000)
        assert engine.batch(unreleased.BATCH).deviations[dev_id].status == "open"
        assert "QA decisions from the portal taken in for batch B-OQ-0001" in rig.pilot.message()[0]

        def server_events() -> int:
            own: EventStore = rig.kiosk.store
            history = own.batch_history(unreleased.BATCH)
            return sum(1 for e in history if e.station == SERVER_STATION)

        before = server_events()
        assert before >= 1
        pulls = worker.status().last_success
        qtbot.waitUntil(lambda: settle() or worker.status().last_success != pulls, timeout=20_000)
        qtbot.wait(1500)  # one more pull, and its fetch
        settle()
        assert server_events() == before  # nothing twice
    finally:
        worker.stop()
        rig.kiosk.close()
