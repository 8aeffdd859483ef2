"""The central server's QA pages with one damaged event in a batch: listed, never an error.

The reference batch is copied with `values: "abc"` in its first exception (a malformed event a
faulty station could send), pushed to a real server that has the recipe, and read back as QA
reads it: the review (JSON), the batch page and both PDFs.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.cli import main as central_main
from central.store import CentralStore
from kiosk.oq import run_script
from kiosk.sync import SyncClient, SyncState, push_pending
from local_store import Event, EventStore
from tests.integration.conftest import Central, ServerThread, server_user

from .test_central_qa import BATCH, QA_USER, ROOT, STATION, db_arg, qa_client


@pytest.fixture
def damaged_central(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Central]:
    """A server holding one damaged event, as a server stored it before ingest checked each
    event's schema (today's ingest refuses it: tests/integration/test_authority.py)."""
    from central import authority
    from central.authority import SERVER_PREFIXES, SERVER_TYPES

    source = tmp_path / "reference.sqlite"
    run_script(ROOT / "oq" / "car-t-full-batch.yaml", source, io.StringIO(), fast_hash=True)
    db = tmp_path / "station.sqlite"
    done = False
    with (
        EventStore(source, "COPY", read_only=True) as old,
        EventStore(db, STATION) as new,
    ):
        for e in old.events():
            if e.type in SERVER_TYPES or e.type.startswith(SERVER_PREFIXES):
                continue  # users, lots and equipment are the server's
            payload = dict(e.payload)
            if not done and e.type == "exception.raised":
                payload["values"], done = "abc", True
            new.append(e.type, payload, actor=e.actor, batch=e.batch, reason=e.reason)
    checked = authority.check

    def before_the_schemas(event: Event) -> tuple[str, str] | None:
        if event.type == "exception.raised" and event.payload.get("values") == "abc":
            return None
        return checked(event)

    monkeypatch.setattr(authority, "check", before_the_schemas)
    store = CentralStore(str(tmp_path / "central.sqlite"))
    server = ServerThread(store).start()
    central = Central(store, server)
    token = central.add_station(STATION)
    server_user(store, QA_USER[0], "Quinn Marlowe", ["qa"], QA_USER[1])
    with EventStore(db, STATION) as station, SyncClient(central.url, token) as client:
        push_pending(station, client, SyncState(SyncState.path_for(db)))
    recipe = str(ROOT / "recipes" / "car-t-autologous.yaml")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(
            "CENTRAL_PASSWORD", "admin-ada-2026"
        )  # ada uploads it (a draft is enough for QA)
        upload = ["recipes", "upload", recipe, "--as", "ada", *db_arg(central)]
        assert central_main(upload, out=io.StringIO()) == 0
    yield central
    server.stop()
    store.close()


def test_damaged_event_is_named_on_every_qa_view(damaged_central: Central) -> None:
    with qa_client(damaged_central, QA_USER) as h:
        review = h.get(f"/api/v1/batches/{BATCH}/review")
        assert review.status_code == 200, review.text
        body = review.json()
        assert body["source"] == "recipe"  # rebuilt with the recipe, not the crude list
        assert "field 'values' should be a mapping" in body["note"]
        assert len(body["items"]) > 3
        page = h.get(f"/qa/batches/{BATCH}")
        assert page.status_code == 200
        assert "is damaged" in page.text
        for query in ("", "?review_only=true"):
            pdf = h.get(f"/api/v1/batches/{BATCH}/record.pdf{query}")
            assert pdf.status_code == 200, pdf.text[:300]
            assert pdf.content.startswith(b"%PDF")
