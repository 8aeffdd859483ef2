"""The reference batch across three rooms (``oq/car-t-three-rooms.yaml``) on a real server over
PostgreSQL (`make oq` runs it on SQLite): every line passes, and what the server holds
afterwards is what the script says happened."""

import io
import json
import re
import subprocess
from pathlib import Path

import pytest

from central.cli import main as central
from central.store import CentralStore
from kiosk.ebr import export
from kiosk.oq import run_script
from tests.integration import pg
from tests.integration.conftest import ServerThread, portal_session

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "oq" / "car-t-three-rooms.yaml"


def _central(*args: str) -> str:
    out = io.StringIO()
    assert central(list(args), out) == 0, out.getvalue()
    return out.getvalue()


@pytest.mark.slow
def test_three_rooms_on_postgresql(pg_cluster: pg.PgCluster, tmp_path: Path) -> None:
    database_url = pg_cluster.create_database()
    out = io.StringIO()
    ok = run_script(
        SCRIPT, None, out, fast_hash=True, central_db=database_url, db_dir=tmp_path / "stations"
    )
    report = out.getvalue()
    assert ok, report
    assert "batch B-OQ-3R-01: released (held by FILL-1)" in report
    assert sorted(p.name for p in (tmp_path / "stations").glob("*.sqlite")) == [
        "FILL-1.sqlite",
        "ISOLATOR-1.sqlite",
        "RECEIPT-1.sqlite",
        "RECEIPT-2.sqlite",
        "ROGUE-1.sqlite",
    ]
    batches = {
        b["batch"]: b
        for b in json.loads(_central("batches", "list", "--json", "--db", database_url))
    }
    first = batches["B-OQ-3R-01"]
    assert (first["status"], first["owner"]) == ("released", "FILL-1")
    assert first["stations"] == ["RECEIPT-1", "@central", "ISOLATOR-1", "FILL-1"]
    assert batches["B-OQ-3R-02"]["status"] == "on_hold"  # the second batch on the same bag
    codes = [
        (i["station"], i["code"])
        for i in json.loads(_central("incidents", "--json", "--db", database_url))
    ]
    assert codes == [
        ("ISOLATOR-1", "claim_refused"),
        ("ISOLATOR-1", "claim_refused"),
        ("RECEIPT-1", "forbidden"),
        ("ROGUE-1", "forbidden"),
    ]
    assert "CHAIN BROKEN" not in _central("verify", "--db", database_url)
    # The server's batch page says who holds it and every station (and room) that wrote to it.
    with CentralStore(database_url) as store:
        server = ServerThread(store).start()
        try:
            with portal_session(server.url, "quinn", "qa-quinn-2026") as qa_browser:
                page = qa_browser.get("/qa/batches/B-OQ-3R-01")
        finally:
            server.stop()
    assert page.status_code == 200, page.text
    words = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert "Held by station FILL-1" in words
    for row in ("RECEIPT-1 receipt 24", "ISOLATOR-1 isolator", "FILL-1 fill-cryo"):
        assert row in words, row
    # The record at the last station names the station and room of every entry.
    pdf = tmp_path / "record.pdf"
    export(tmp_path / "stations" / "FILL-1.sqlite", "B-OQ-3R-01", pdf, recipes_dir=ROOT / "recipes")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for where in ("RECEIPT-1, room receipt", "ISOLATOR-1, room isolator", "FILL-1, room fill-cryo"):
        assert where in " ".join(text.split()), where
    assert "Station / seq" in text
    assert "Olivia Okafor" in text  # printed names from the server's users
