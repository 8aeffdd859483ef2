"""Custody and genealogy at a real server (uvicorn on loopback, SQLite and PostgreSQL).

The reference batch is run through the engine (the full-batch OQ script), copied as a station
connected to a server writes it, and pushed. Then:

- ``central genealogy --lot`` finds the batch and its pseudonymous patient; ``--batch`` lists
  its lots, devices, people and stations;
- a custody transfer pushed without the receiver's signature, or with one that is not bound to
  the transfer, is refused (400), recorded as an incident and not stored.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.cli import main as central_main
from kiosk.oq import run_script
from kiosk.sync import SyncClient, SyncRefused, SyncState, push_pending
from local_store import EventStore
from tests.integration.conftest import (
    Central,
    portal_session,
    rewind,
    server_managed_copy,
    server_user,
)

ROOT = Path(__file__).resolve().parents[2]
STATION = "OQ-CART-1"
BATCH = "B-OQ-0001"


def run_central(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = central_main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def reference_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference batch, run once per module through the engine."""
    folder = tmp_path_factory.mktemp("reference")
    db = folder / "standalone.sqlite"
    out = io.StringIO()
    script = ROOT / "oq" / "car-t-full-batch.yaml"
    assert run_script(script, db, out, fast_hash=True), out.getvalue()
    return db


def _pushed(central_: Central, reference: Path, tmp_path: Path) -> tuple[EventStore, str]:
    token = central_.add_station(STATION)
    db = tmp_path / "station.sqlite"
    store = server_managed_copy(reference, db, STATION)
    with SyncClient(central_.url, token) as client:
        push_pending(store, client, SyncState(SyncState.path_for(db)))
    return store, token


def test_recall_by_lot_and_everything_in_a_batch(
    central: Central, database_url: str, reference_batch: Path, tmp_path: Path
) -> None:
    store, _token = _pushed(central, reference_batch, tmp_path)
    store.close()
    db = ["--db", database_url]
    code, out = run_central("genealogy", "--lot", "BEADS-2411", "--json", *db)
    assert code == 0, out
    rows = json.loads(out)
    assert [(r["batch"], r["patient"]) for r in rows] == [(BATCH, "PT-0042")]
    assert "CD4/CD8 microbeads" in rows[0]["material"]
    code, out = run_central("genealogy", "--lot", "BEADS-2411", *db)
    assert code == 0
    assert "B-OQ-0001" in out
    assert "PT-0042" in out
    code, out = run_central("genealogy", "--batch", BATCH, "--json", *db)
    assert code == 0, out
    found: dict[str, list[dict[str, Any]]] = json.loads(out)
    assert {"BEADS-2411", "ACT-77", "LV-0042"} <= {r["value"] for r in found["lot"]}
    assert "B207696838" in {r["value"] for r in found["device"]}
    people = {r["value"]: r["detail"] for r in found["person"]}
    assert {"olivia", "oscar", "sam", "quinn"} <= set(people)
    assert people["sam"] == "Samira Haddad"
    assert [r["value"] for r in found["station"]] == [STATION]
    assert [r["value"] for r in found["patient"]] == ["PT-0042"]
    assert [r["value"] for r in found["din"]] == ["G123417654321"]
    code, out = run_central("genealogy", "--batch", BATCH, *db)
    assert code == 0
    assert "lots:" in out
    assert "Samira Haddad" in out
    # a lot nobody used, a batch the server does not know: one line, exit 1
    assert run_central("genealogy", "--lot", "NEVER-USED", *db) == (
        1,
        "genealogy: nothing recorded for lot NEVER-USED\n",
    )
    assert run_central("genealogy", "--batch", "B-NONE", *db)[0] == 1
    assert run_central("genealogy", *db)[0] == 2  # --lot or --batch is required


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: p.pop("signature"), id="no receiver signature"),
        pytest.param(lambda p: p.update(location="Somewhere else"), id="edited after signing"),
        pytest.param(lambda p: p["signature"].update(meaning="verified"), id="wrong meaning"),
        pytest.param(lambda p: p.update(to="Mallory"), id="receiver is not the signer"),
    ],
)
def test_custody_without_a_bound_receiver_signature_is_refused(
    central: Central, database_url: str, reference_batch: Path, tmp_path: Path, change: Any
) -> None:
    store, token = _pushed(central, reference_batch, tmp_path)
    held = central.events(STATION)
    (receipt,) = [
        e
        for e in store.events(batch=BATCH)
        if e.type == "custody.handover" and e.payload.get("kind") == "receipt"
    ]
    payload = json.loads(json.dumps(receipt.payload))
    change(payload)
    store.append("custody.handover", payload, actor="u:olivia", batch=BATCH)
    with (
        SyncClient(central.url, token) as client,
        pytest.raises(SyncRefused, match=r"custody|receiver"),
    ):
        push_pending(store, client, SyncState(SyncState.path_for(tmp_path / "station.sqlite")))
    store.close()
    assert central.events(STATION) == held
    _code, out = run_central("incidents", "--json", "--db", database_url)
    assert [i["code"] for i in json.loads(out)] == ["invalid"]


def test_genealogy_page_and_custody_on_the_batch_page(
    central: Central, reference_batch: Path, tmp_path: Path
) -> None:
    store, _token = _pushed(central, reference_batch, tmp_path)
    store.close()
    server_user(central.store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-secret-1")
    with httpx.Client(base_url=central.url, timeout=30) as anonymous:
        refused = anonymous.get("/qa/genealogy", auth=("quinn", "qa-quinn-secret-1"))
        assert refused.status_code == 303  # HTTP Basic signs nobody in: to the sign-in page
    with portal_session(central.url, "quinn", "qa-quinn-secret-1") as client:
        page = client.get("/qa/genealogy", params={"lot": "LV-0042"})
        assert page.status_code == 200
        assert "B-OQ-0001" in page.text
        assert "PT-0042" in page.text
        page = client.get("/qa/genealogy", params={"batch": BATCH})
        assert "Samira Haddad" in page.text
        assert "B207696838" in page.text
        assert "Nothing recorded" in client.get("/qa/genealogy", params={"lot": "<b>X</b>"}).text
        assert "<b>X</b>" not in client.get("/qa/genealogy", params={"lot": "<b>X</b>"}).text
        batch_page = client.get(f"/qa/batches/{BATCH}").text
        assert "Chain of custody" in batch_page
        assert "received from the courier" in batch_page
        assert "Olivia Okafor (olivia), received" in batch_page


def test_migration_c0007_fills_the_genealogy_from_the_stored_events(
    reference_batch: Path, tmp_path: Path
) -> None:
    """A server database from before c0007 (events stored, no genealogy) is filled on upgrade."""
    from central.ingest import ingest
    from central.stations import add_station
    from central.store import CentralStore

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    with CentralStore(url) as store:
        add_station(store, STATION)
        copy = server_managed_copy(reference_batch, tmp_path / "station.sqlite", STATION)
        events = list(copy.events())
        copy.close()
        assert ingest(store, STATION, events).refusal is None
        rewind(store, "c0006")  # what a database of the revision before c0007 looks like
    with CentralStore(url):
        pass  # opening migrates
    assert run_central("genealogy", "--lot", "LV-0042", "--db", url)[0] == 0
    code, out = run_central("genealogy", "--batch", BATCH, "--json", "--db", url)
    assert code == 0
    assert "B207696838" in {r["value"] for r in json.loads(out)["device"]}
