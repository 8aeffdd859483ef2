"""QA on the server: batches, events, review by exception, the batch record PDF, the pages.

The station is the reference OQ batch (``oq/car-t-full-batch.yaml``) run through the real
engine, pushed to a real server. The server's review list must be the station's own
(``kiosk.review`` over the same events and recipe).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from central import qa
from central.cli import main as central_main
from kiosk import ebr
from kiosk.oq import run_script
from kiosk.sync import SyncClient, SyncState, push_pending
from local_store import EventStore
from tests.integration.conftest import (
    Central,
    portal_session,
    server_managed_copy,
    server_user,
    sign_in_attempt,
    start_payload,
)

ROOT = Path(__file__).resolve().parents[2]
STATION = "OQ-CART-1"
BATCH = "B-OQ-0001"
QA_USER = ("quinn", "qa-quinn-2026")


@pytest.fixture(scope="module")
def oq_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference batch, run once per module (copied for each test)."""
    db = tmp_path_factory.mktemp("oq") / "station.sqlite"
    run_script(ROOT / "oq" / "car-t-full-batch.yaml", db, io.StringIO(), fast_hash=True)
    return db


@pytest.fixture
def pushed(central: Central, oq_db: Path, tmp_path: Path) -> Iterator[EventStore]:
    db = tmp_path / "station.sqlite"
    token = central.add_station(STATION)
    server_user(central.store, QA_USER[0], "Quinn Marlowe", ["qa"], QA_USER[1])  # users: server's
    with (
        server_managed_copy(oq_db, db, STATION) as store,
        SyncClient(central.url, token) as client,
    ):
        push_pending(store, client, SyncState(SyncState.path_for(db)))
        yield store


def qa_client(
    central: Central, auth: tuple[str, str] | None = QA_USER
) -> contextlib.AbstractContextManager[httpx.Client]:
    """Signed in at the portal as ``auth`` (a session), or anonymous for None."""
    if auth is None:
        return httpx.Client(base_url=central.url, timeout=30)
    return portal_session(central.url, *auth)


def db_arg(central: Central) -> list[str]:
    return ["--db", central.store.url.render_as_string(False)]


def test_qa_sign_in(central: Central, pushed: EventStore) -> None:
    with qa_client(central, None) as anonymous:
        refused = anonymous.get("/api/v1/batches")
        assert refused.status_code == 401
        assert "sign in at /login" in refused.json()["detail"]
        # HTTP Basic credentials alone no longer sign anyone in
        assert anonymous.get("/api/v1/batches", auth=QA_USER).status_code == 401
        for user, password in (("quinn", "wrong-password"), ("x", "y")):
            answer = sign_in_attempt(anonymous, user, password)
            assert answer.status_code == 403, user
            assert "user ID or password wrong" in answer.text
            assert anonymous.get("/api/v1/batches").status_code == 401
    server_user(central.store, "olivia", "Olivia Operator", ["operator"], "op-olivia-2026")
    with qa_client(central, ("olivia", "op-olivia-2026")) as operator:
        response = operator.get("/api/v1/batches")
        assert response.status_code == 403
        assert "not a QA reviewer" in response.json()["detail"]
    with qa_client(central) as h:
        assert h.get("/api/v1/batches").status_code == 200


def test_batches_and_their_events(central: Central, pushed: EventStore) -> None:
    with qa_client(central) as h:
        (batch,) = h.get("/api/v1/batches").json()
        summary = pushed.batches()[0]
        assert batch == {
            "batch": BATCH,
            "status": summary.status,
            "recipe_id": "car-t-autologous",
            "recipe_version": summary.recipe_version,
            "first_ts": summary.first_ts,
            "last_ts": summary.last_ts,
            "events": summary.events,
        }
        events = h.get(f"/api/v1/batches/{BATCH}/events").json()
        assert events == [e.to_dict() for e in pushed.events(batch=BATCH)]
        assert h.get("/api/v1/batches/NO-SUCH/events").status_code == 404
        assert h.get("/api/v1/batches/NO-SUCH/review").status_code == 404
        stations = h.get("/api/v1/stations").json()
        assert [(s["name"], s["acknowledged"]) for s in stations] == [(STATION, pushed.count())]


def test_review_without_and_with_the_recipe(
    central: Central, pushed: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CENTRAL_PASSWORD", "admin-ada-2026")  # ada uploads the recipe (a draft)
    raised = [e for e in pushed.events(batch=BATCH) if e.type == "exception.raised"]
    with qa_client(central) as h:
        without = h.get(f"/api/v1/batches/{BATCH}/review").json()
        assert without["source"] == "events"
        assert "recipe car-t-autologous v8 is not on the server" in without["note"]
        assert [i["id"] for i in without["items"]] == [e.payload["id"] for e in raised]
        assert all(i["status"] != "open" for i in without["items"])  # all dispositioned
        out = io.StringIO()
        recipe = str(ROOT / "recipes" / "car-t-autologous.yaml")
        upload = ["recipes", "upload", recipe, "--as", "ada", *db_arg(central)]
        assert central_main(upload, out=out) == 0
        with_recipe = h.get(f"/api/v1/batches/{BATCH}/review").json()
    assert with_recipe["source"] == "recipe"
    assert with_recipe["note"] is None
    # Exactly what the station's own review lists for this batch.
    record = ebr.load_record(pushed, BATCH, ROOT / "recipes")
    expected = record.review_items()
    assert [(i["id"], i["kind"], i["status"]) for i in with_recipe["items"]] == [
        (i.id, i.kind, i.status) for i in expected
    ]
    assert with_recipe["open"] == sum(1 for i in expected if i.blocks_release)


def test_batch_record_pdf(
    central: Central, pushed: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    with qa_client(central) as h:
        events_only = h.get(f"/api/v1/batches/{BATCH}/record.pdf")
        assert events_only.status_code == 200, events_only.text
        assert events_only.headers["content-type"] == "application/pdf"
        assert events_only.content.startswith(b"%PDF")
        monkeypatch.setenv("CENTRAL_PASSWORD", "admin-ada-2026")
        recipe = str(ROOT / "recipes" / "car-t-autologous.yaml")
        upload = ["recipes", "upload", recipe, "--as", "ada", *db_arg(central)]
        assert central_main(upload, out=io.StringIO()) == 0
        full = h.get(f"/api/v1/batches/{BATCH}/record.pdf")
        assert full.status_code == 200
        assert full.content.startswith(b"%PDF")
        report = h.get(f"/api/v1/batches/{BATCH}/record.pdf", params={"review_only": "true"})
        assert report.status_code == 200
        assert report.content.startswith(b"%PDF")
        assert h.get("/api/v1/batches/NO-SUCH/record.pdf").status_code == 404
        # A server without kiosk.ebr says so, with 501.
        monkeypatch.setattr(qa, "PDF_MODULE", "kiosk.no_such_module")
        missing = h.get(f"/api/v1/batches/{BATCH}/record.pdf")
        assert missing.status_code == 501
        assert "not available on this server yet" in missing.json()["detail"]


def test_pages(central: Central, pushed: EventStore, tmp_path: Path) -> None:
    # A batch id with markup in it, from another station: the pages escape it.
    token = central.add_station("ST-X")
    db = tmp_path / "x.sqlite"
    with EventStore(db, "ST-X") as store, SyncClient(central.url, token) as client:
        batch = "<b>B&1</b>"
        store.append("batch.started", start_payload(batch), actor="u:olivia", batch=batch)
        push_pending(store, client, SyncState(SyncState.path_for(db)))
    with qa_client(central, None) as anonymous:
        page = anonymous.get("/qa")
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=%2Fqa"
    with qa_client(central) as signed_in:
        root = signed_in.get("/", follow_redirects=False)
        assert root.status_code == 303
        assert root.headers["location"] == "/qa"
    with qa_client(central) as h:
        page = h.get("/qa")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert f'href="/qa/batches/{BATCH}"' in page.text
        assert "&lt;b&gt;B&amp;1&lt;/b&gt;" in page.text
        assert "<b>B&1</b>" not in page.text
        assert 'href="/qa/batches/%3Cb%3EB%261%3C%2Fb%3E"' in page.text
        detail = h.get(f"/qa/batches/{BATCH}")
        assert detail.status_code == 200
        assert "Review by exception" in detail.text
        assert f"/api/v1/batches/{BATCH}/record.pdf" in detail.text
        assert h.get("/qa/batches/%3Cb%3EB%261%3C%2Fb%3E").status_code == 200
        assert h.get("/qa/batches/NO-SUCH").status_code == 404
