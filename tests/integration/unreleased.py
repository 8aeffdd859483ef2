"""The reference OQ batch stopped at QA release: every step done, nothing dispositioned.

``oq/car-t-full-batch.yaml`` up to its "QA review and release" part, run through the real
engine: its review items are open (a CPP/CQA exception, an identity refusal, an expired lot,
an alert value...), QC results are in, and the current step is ``qa_release.release``. The
portal and release tests push it to a real server (:func:`push`).
"""

from __future__ import annotations

import io
from pathlib import Path

from kiosk.oq import run_script
from kiosk.sync import SyncClient, SyncState, push_pending
from local_store import EventStore
from tests.integration.conftest import server_managed_copy

ROOT = Path(__file__).resolve().parents[2]
STATION = "OQ-CART-1"
BATCH = "B-OQ-0001"
CUT = "  # ---------------------------------------------------------------- QA review and release"


def run_unreleased(folder: Path) -> Path:
    """The station database of the batch at its QA release step (the script cut there)."""
    text = (ROOT / "oq" / "car-t-full-batch.yaml").read_text(encoding="utf-8")
    assert CUT in text, "the reference OQ script no longer has its QA part where expected"
    recipe = (ROOT / "recipes" / "car-t-autologous.yaml").as_posix()
    text = text.split(CUT)[0].replace("[../recipes/car-t-autologous.yaml]", f"[{recipe}]")
    script = folder / "unreleased.yaml"
    script.write_text(text, encoding="utf-8")
    db = folder / "oq-station.sqlite"
    out = io.StringIO()
    assert run_script(script, db, out, fast_hash=True), out.getvalue()
    return db


def push(source: Path, target: Path, url: str, token: str) -> None:
    """Copy the batch as a server-connected station holds it into ``target`` and push it."""
    with (
        server_managed_copy(source, target, STATION) as store,
        SyncClient(url, token) as client,
    ):
        push_pending(store, client, SyncState(SyncState.path_for(target)))


def add_recipe(store_url: str) -> None:
    """Put the batch's recipe on the server, so it rebuilds the batch (review, release gate)."""
    from central import recipes, users
    from central.store import CentralStore
    from tests.integration.conftest import server_user

    with CentralStore(store_url) as store:  # uploaded (a draft) by a recipe author
        if "rita" not in users.directory(store):
            server_user(store, "rita", "Rita Author", ["supervisor"], "sup-rita-author-1")
        recipes.upload_file(
            store,
            ROOT / "recipes" / "car-t-autologous.yaml",
            author="rita",
            password="sup-rita-author-1",
        )


def station(target: Path) -> EventStore:
    return EventStore(target, STATION, create=False)
