"""Materials and lots at the server, and what a running station makes of them (issue 12).

A real server (uvicorn in a thread) on SQLite and PostgreSQL; stations are real SQLite files
with their sync state beside them.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from central import schema
from central.cli import main as central_main
from kiosk.clock import system_clock
from kiosk.masterdata import MasterData, pulled_age
from kiosk.sync import SyncClient, SyncState, SyncWorker, pull_master, push_pending
from kiosk.units import Quantity
from local_store import EventStore
from tests.helpers import ACTIVATION_GTIN, BEADS_GTIN, VECTOR_GTIN
from tests.integration.conftest import Central, portal_session, server_user

EXPIRY = date(2027, 12, 31)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = central_main(list(argv), out=out)
    return code, out.getvalue()


def reference_data(db: list[str]) -> None:
    for code, name, gtin in (
        ("CD4CD8-BEADS", "CD4/CD8 microbeads", BEADS_GTIN),
        ("TCELL-ACT", "T-cell activation reagent", ACTIVATION_GTIN),
        ("LV-VECTOR", "Lentiviral vector", VECTOR_GTIN),
    ):
        assert run("materials", "add", code, "--name", name, "--gtin", gtin, *db)[0] == 0


def add_lot(db: list[str], gtin: str, lot: str, material: str, quantity: str) -> None:
    code, out = run(
        "lots", "add", gtin, lot, "--material", material, "--expiry", EXPIRY.isoformat(),
        "--quantity", quantity, "--unit", "mL", *db,
    )  # fmt: skip
    assert code == 0, out


def rows(central_: Central, table: str) -> int:
    with central_.store.read() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(schema.metadata.tables[table])
            ).scalar_one()
        )


def server_events(central_: Central, type_: str) -> list[dict[str, object]]:
    e = schema.events
    with central_.store.read() as conn:
        found = conn.execute(
            select(e.c.actor, e.c.payload).where(e.c.station == "@central", e.c.type == type_)
        ).all()
    return [{"actor": a, **json.loads(p)} for a, p in found]


def test_materials_and_lots_commands(
    central: Central, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", database_url]
    reference_data(db)
    code, out = run("materials", "list", *db)
    assert "CD4CD8-BEADS     CD4/CD8 microbeads" in out
    assert "GTIN 08430215011553" in out.splitlines()[1]  # LV-VECTOR sorts after CD4CD8, TCELL
    before = rows(central, "materials")
    for argv, said in (
        (("OTHER", "--name", "Other beads", "--gtin", BEADS_GTIN),
         "gtin: 08430215011539 is the GTIN of CD4/CD8 microbeads"),
        (("OTHER", "--name", "Other", "--gtin", "08430215011538"),
         "gtin '08430215011538': 14 digits with a valid GS1 check digit"),
        (("lower", "--name", "Other", "--gtin", "08430215011560"), "material code 'lower'"),
        (("OTHER", "--name", " ", "--gtin", "08430215011560"), "name: a material needs a name"),
    ):  # fmt: skip
        code, out = run("materials", "add", *argv, *db)
        assert code == 1
        assert out.strip() == f"central materials: {said}" or out.startswith(
            f"central materials: {said}"
        )
        assert len(out.strip().splitlines()) == 1
    assert rows(central, "materials") == before  # nothing stored

    add_lot(db, BEADS_GTIN, "BEADS-2411", "CD4CD8-BEADS", "75")
    lots_before = rows(central, "lots")
    for gtin, lot, material, quantity, said in (
        (BEADS_GTIN, "B-2", "LV-VECTOR", "5",
         "gtin: 08430215011539 is not a GTIN of Lentiviral vector"),
        (BEADS_GTIN, "B-2", "NOPE", "5", "material: no material 'NOPE' on the server"),
        (BEADS_GTIN, "B-2", "CD4CD8-BEADS", "-5", "quantity '-5': give a positive number"),
        (BEADS_GTIN, "B-2", "CD4CD8-BEADS", "lots", "quantity 'lots': give a positive number"),
        (BEADS_GTIN, "BEADS-2411", "CD4CD8-BEADS", "5",
         "lot: BEADS-2411 of 08430215011539 is registered already"),
    ):  # fmt: skip
        code, out = run(
            "lots", "add", gtin, lot, "--material", material, "--expiry", "2027-12-31",
            "--quantity", quantity, "--unit", "mL", *db,
        )  # fmt: skip
        assert code == 1, out
        assert out.startswith(f"central lots: {said}"), out
    assert rows(central, "lots") == lots_before
    assert [e["lot"] for e in server_events(central, "lot.registered")] == ["BEADS-2411"]
    assert len(server_events(central, "material.registered")) == 3

    # Kits: registered lots, one of each material.
    add_lot(db, VECTOR_GTIN, "LV-0042", "LV-VECTOR", "50")
    for argv, said in (
        (("kit-1", "--lot", f"{BEADS_GTIN}/BEADS-2411"), "kit 'kit-1': a capital letter"),
        (("KIT-1", "--lot", f"{BEADS_GTIN}/NOPE"), "lot: no lot NOPE of 08430215011539"),
        (("KIT-1", "--lot", f"{VECTOR_GTIN}/LV-0042", "--lot", f"{VECTOR_GTIN}/LV-0042"),
         "lot: LV-0042 and LV-0042 are both LV-VECTOR"),
    ):  # fmt: skip
        code, out = run("kits", "add", *argv, *db)
        assert (code, out.startswith(f"central kits: {said}")) == (1, True), out
    assert rows(central, "kits") == 0
    argv = ("KIT-1", "--lot", f"{BEADS_GTIN}/BEADS-2411", "--lot", f"{VECTOR_GTIN}/LV-0042")
    assert run("kits", "add", *argv, *db) == (0, "recorded kit KIT-1 (2 lots), version 1\n")
    assert run("kits", "list", *db)[1] == (
        f"KIT-1            BEADS-2411 ({BEADS_GTIN}), LV-0042 ({VECTOR_GTIN})\n"
    )
    assert [e["kit"] for e in server_events(central, "kit.registered")] == ["KIT-1"]
    lots_before = rows(central, "lots")

    # A quarantine is signed by QA; the password comes from $CENTRAL_PASSWORD.
    server_user(central.store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-2026")
    server_user(central.store, "olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")
    monkeypatch.setenv("CENTRAL_PASSWORD", "op-olivia-2026")
    code, out = run("lots", "quarantine", "BEADS-2411", "--reason", "CoA", "--as", "olivia", *db)
    assert (code, out) == (
        1,
        "central lots: Olivia Okafor does not have a role that may sign this (admin, qa)\n",
    )
    monkeypatch.setenv("CENTRAL_PASSWORD", "wrong-password")
    code, out = run("lots", "quarantine", "BEADS-2411", "--reason", "CoA", "--as", "quinn", *db)
    assert (code, out) == (1, "central lots: user ID or password wrong\n")
    assert rows(central, "lots") == lots_before
    monkeypatch.setenv("CENTRAL_PASSWORD", "qa-quinn-2026")
    reason = "sterility OOS on the CoA"
    code, out = run("lots", "quarantine", "BEADS-2411", "--reason", reason, "--as", "quinn", *db)
    assert code == 0, out
    assert out.startswith("lot BEADS-2411: quarantined, signed by Quinn Marlowe at 20")
    (status,) = server_events(central, "lot.status")
    assert status["actor"] == "u:quinn"
    assert status["status"] == "quarantined"
    signature = status["signature"]
    assert isinstance(signature, dict)
    assert (signature["user"], signature["name"], signature["meaning"]) == (
        "quinn",
        "Quinn Marlowe",
        "approved",
    )
    code, out = run("lots", "list", *db)
    assert "BEADS-2411" in out
    assert "quarantined" in out
    assert "75 of 75 mL" in out
    code, out = run("lots", "recall", "NOPE", "--reason", "x", "--as", "quinn", *db)
    assert (code, out) == (1, "central lots: lot: no lot 'NOPE' on the server\n")
    # QA reads the same on the server's page
    assert httpx.get(f"{central.url}/qa/lots", timeout=30).status_code == 303  # to the sign-in
    with portal_session(central.url, "quinn", "qa-quinn-2026") as qa_browser:
        page = qa_browser.get("/qa/lots")
    assert page.status_code == 200
    row = page.text.split("<td>BEADS-2411</td>")[1].split("</tr>")[0]
    assert "<td>CD4/CD8 microbeads</td>" in row
    assert '<td class="open">quarantined</td>' in row
    assert "by u:quinn: sterility OOS on the CoA" in row


def _wait_for(check: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def test_a_quarantine_reaches_a_running_station_through_its_sync_worker(
    central: Central, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", database_url]
    reference_data(db)
    add_lot(db, VECTOR_GTIN, "LV-0042", "LV-VECTOR", "50")
    server_user(central.store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-2026")
    token = central.add_station("CR-A")
    path = tmp_path / "a.sqlite"
    store = EventStore(path, "CR-A")
    state = SyncState(SyncState.path_for(path))
    master = MasterData(store, system_clock)
    master.attach(state)  # what the running application does (kiosk.app.build)
    five = Quantity.of(5, "mL")

    def problem() -> str | None:
        return master.use_problem(VECTOR_GTIN, "LV-0042", EXPIRY, "LV-VECTOR", five)[0]

    assert problem() == "lot LV-0042 is not known at this station"
    assert pulled_age(master.lots_as_of(), system_clock()) == "never pulled from the server"
    # pulls kept 0.5 s apart here; the application keeps them 60 s apart
    client = SyncClient(central.url, token)
    worker = SyncWorker(store, client, state=state, interval=0.2, pull_interval=0.5)
    with worker:
        assert _wait_for(lambda: problem() is None), problem()
        assert master.use_problem(VECTOR_GTIN, "LV-0042", EXPIRY, "CD4CD8-BEADS", five)[0] == (
            "scanned Lentiviral vector, this step needs CD4/CD8 microbeads"
        )
        assert run("kits", "add", "KIT-LV", "--lot", f"{VECTOR_GTIN}/LV-0042", *db)[0] == 0
        assert _wait_for(lambda: master.kit_lot("KIT-LV", "LV-VECTOR")[0] is not None)
        found, _ = master.kit_lot("KIT-LV", "LV-VECTOR")
        assert found is not None
        assert found.lot == "LV-0042"
        monkeypatch.setenv("CENTRAL_PASSWORD", "qa-quinn-2026")
        code, out = run(
            "lots", "quarantine", "LV-0042", "--reason", "recall notice", "--as", "quinn", *db
        )
        assert code == 0, out
        assert _wait_for(lambda: problem() == "lot LV-0042 is quarantined"), problem()
        assert worker.status().state == "online"
        central.server.stop()  # the network goes: the station keeps its last list
        assert _wait_for(lambda: worker.status().state == "offline")
        assert problem() == "lot LV-0042 is quarantined"
        assert master.lots_as_of() is not None
    client.close()
    assert pulled_age(master.lots_as_of(), system_clock()) == "less than a minute old"
    store.close()


def test_consumption_is_counted_across_stations(
    central: Central, database_url: str, tmp_path: Path
) -> None:
    db = ["--db", database_url]
    reference_data(db)
    add_lot(db, BEADS_GTIN, "BEADS-2411", "CD4CD8-BEADS", "20")
    stores: dict[str, EventStore] = {}
    clients: dict[str, SyncClient] = {}
    for name in ("CR-A", "CR-B"):
        stores[name] = EventStore(tmp_path / f"{name}.sqlite", name)
        clients[name] = SyncClient(central.url, central.add_station(name))

    def use(name: str, batch: str, quantity: float) -> None:
        """The events the engine writes for a batch that took ``quantity`` mL of the lot."""
        store = stores[name]
        store.append(
            "batch.started",
            {"recipe_id": "r", "recipe_version": 1, "recipe_sha256": "0" * 64, "context": {}},
            actor="u:olivia",
            batch=batch,
        )
        store.append(
            "material.used",
            {"step": "isolation.beads_lot", "material": "CD4CD8-BEADS", "gtin": BEADS_GTIN,
             "lot": "BEADS-2411", "expiry": "2027-12-31", "quantity": quantity, "unit": "mL"},
            actor="u:olivia",
            batch=batch,
        )  # fmt: skip
        push_pending(store, clients[name], SyncState(SyncState.path_for(store.path)))

    use("CR-A", "B-A-1", 7.5)
    use("CR-B", "B-B-1", 7.5)
    use("CR-A", "B-A-2", 2.5)
    state_b = SyncState(SyncState.path_for(stores["CR-B"].path))
    pull_master(clients["CR-B"], state_b)
    master_b = MasterData(stores["CR-B"], system_clock)
    master_b.attach(state_b)
    # 20 received, 10 used at CR-A (from the server), 7.5 at CR-B (from its own record)
    assert master_b.remaining(BEADS_GTIN, "BEADS-2411") == pytest.approx(2.5)
    problem, _ = master_b.use_problem(
        BEADS_GTIN, "BEADS-2411", EXPIRY, "CD4CD8-BEADS", Quantity.of(7.5, "mL")
    )
    assert problem == "CD4/CD8 microbeads lot BEADS-2411 has 2.5 mL left, this step needs 7.5 mL"
    assert "2.5 of 20" in run("lots", "list", *db)[1]
    for client in clients.values():
        client.close()
    for store in stores.values():
        store.close()


@pytest.mark.parametrize("kind", ["materials", "kits", "lots", "equipment"])
def test_a_version_beyond_the_servers_numbers_is_a_clear_400_not_a_crash(
    central: Central, kind: str
) -> None:
    """Versions are 32-bit integers in the database: a larger ``since`` is refused in words
    (found by schemathesis on PostgreSQL, where it was a 500)."""
    token = central.add_station("CR-BIG")
    response = httpx.get(
        f"{central.url}/api/v1/master/{kind}",
        params={"since": 820951647855, "limit": 10},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422, response.text
    assert "since" in response.text
    ok = httpx.get(
        f"{central.url}/api/v1/master/{kind}",
        params={"since": 2**31 - 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["items"] == []
