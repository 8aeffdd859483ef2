"""The station's sync client (kiosk.sync) and `kiosk sync` against a real server on loopback."""

from __future__ import annotations

import io
import random
import re
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from central import master, materials, recipes
from kiosk.cli import main as kiosk_main
from kiosk.recipe import load_recipe
from kiosk.sync import (
    OFFLINE,
    ONLINE,
    ServerUnavailable,
    SyncClient,
    SyncRefused,
    SyncState,
    SyncStatus,
    SyncWorker,
    pull_master,
    push_pending,
)
from local_store import EventStore
from tests.integration.conftest import (
    Central,
    ServerThread,
    local_events,
    make_station,
    server_user,
    step_payload,
)

BEADS = "08430215011539"
ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "recipes" / "training.yaml"


def kiosk(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = kiosk_main(list(argv), out=out)
    return code, out.getvalue()


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_push_pending_sends_everything_in_batches(central: Central, tmp_path: Path) -> None:
    token = central.add_station("CR-P1")
    db = tmp_path / "station.sqlite"
    with make_station(db, "CR-P1", 1234) as store, SyncClient(central.url, token) as client:
        state = SyncState(SyncState.path_for(db))
        result = push_pending(store, client, state, batch_size=100)
        assert (result.sent, result.acknowledged, result.pending) == (1234, 1234, 0)
        assert state.acknowledged("CR-P1")[0] == 1234
        assert central.events("CR-P1") == local_events(store)
        store.append("step.recorded", step_payload(1), actor="u:oscar", batch="B-CR-P1-0012")
        again = push_pending(store, client, state, batch_size=100)
        assert (again.sent, again.acknowledged, again.pending) == (1, 1235, 0)
        # A lost sync file loses nothing: the client starts from the server's mark.
        SyncState.path_for(db).unlink()
        fresh = push_pending(store, client, SyncState(SyncState.path_for(db)))
        assert (fresh.sent, fresh.acknowledged) == (0, 1235)
        assert central.events("CR-P1") == local_events(store)


def test_kiosk_sync_push_status_and_server_down(central: Central, tmp_path: Path) -> None:
    token = central.add_station("CR-P2")
    db = tmp_path / "station.sqlite"
    make_station(db, "CR-P2", 40).close()
    base = ["--db", str(db), "--server", central.url, "--token", token]

    code, out = kiosk("sync", "status", "--db", str(db))
    assert code == 0
    assert "never synced; 40 events not yet sent" in out

    code, out = kiosk("sync", "push", *base, "--batch-size", "15")
    assert code == 0, out
    assert out.strip() == (
        f"sent 40 events to {central.url}; all 40 events of station CR-P2 are acknowledged"
    )
    code, out = kiosk("sync", "status", *base)
    assert code == 0
    assert "station CR-P2: 40 events, 40 acknowledged by the server" in out
    assert "0 not yet sent" in out
    assert "online, holds 40 events of station CR-P2" in out

    # The server goes away; the station keeps working; push fails in one line, nothing lost.
    port = central.server.port
    central.server.stop()
    with EventStore(db, "CR-P2") as store:
        for i in range(5):
            store.append("step.recorded", step_payload(i), actor="u:olivia", batch="B-CR-P2-0000")
    code, out = kiosk("sync", "push", *base, "--timeout", "2")
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    assert lines[0].startswith(f"sync push: cannot reach the server {central.url}")
    assert "nothing was lost: 5 events wait to be sent" in lines[0]
    code, out = kiosk("sync", "status", *base, "--timeout", "2")
    assert code == 1
    assert "5 not yet sent" in out
    assert "offline" in out

    # Back up (same port): the retry sends exactly what was waiting.
    central.server = ServerThread(central.store, port).start()
    code, out = kiosk("sync", "push", *base)
    assert code == 0, out
    assert out.startswith("sent 5 events")
    with EventStore(db, "CR-P2") as store:
        assert central.events("CR-P2") == local_events(store)


def test_kiosk_sync_refuses_a_token_of_another_station(central: Central, tmp_path: Path) -> None:
    central.add_station("CR-P3")
    other = central.add_station("CR-OTHER")
    db = tmp_path / "station.sqlite"
    make_station(db, "CR-P3", 3).close()
    code, out = kiosk("sync", "push", "--db", str(db), "--server", central.url, "--token", other)
    assert code == 1
    assert "holds the record of station CR-P3" in out
    assert "token belongs to station CR-OTHER" in out
    code, out = kiosk("sync", "push", "--db", str(db), "--server", central.url, "--token", "x")
    assert code == 1
    assert "refused this station's token: unknown station token" in out
    code, out = kiosk("sync", "push", "--db", str(db))
    assert code == 2
    assert "give the server and this station's token" in out


def test_pull_master_data(central: Central, tmp_path: Path) -> None:
    token_b = central.add_station("CR-B")
    master.add_equipment(
        central.store,
        "BAL-7",
        kind="balance",
        serial="B207696838",
        model="MT XSR2002S",
        calibration_due=date(2027, 6, 30),
    )
    materials.add_material(central.store, "CD4CD8-BEADS", "CD4/CD8 microbeads", [BEADS])
    materials.add_lot(
        central.store,
        BEADS,
        "BEADS-2411",
        material="CD4CD8-BEADS",
        expiry=date(2027, 12, 31),
        quantity="75",
        unit="mL",
    )
    # The server's users (central.users): station B pulls them, password hash and roles.
    db_b = tmp_path / "b.sqlite"
    server_user(central.store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-2026")
    # The recipe through its lifecycle: ada writes, quinn reviews, QA quentin approves.
    server_user(central.store, "quentin", "Quentin Blake", ["qa"], "qa-quentin-2026")
    recipes.upload_file(central.store, RECIPE, author="ada", password="admin-ada-2026")
    recipes.submit(central.store, "training", 1, signer="ada", password="admin-ada-2026")
    recipes.review(central.store, "training", 1, signer="quinn", password="qa-quinn-2026")
    recipes.approve(central.store, "training", 1, signer="quentin", password="qa-quentin-2026")
    make_station(db_b, "CR-B", 1).close()
    base = ["--db", str(db_b), "--server", central.url, "--token", token_b]
    recipes_dir = tmp_path / "pulled-recipes"
    code, out = kiosk("sync", "pull", *base, "--recipes-dir", str(recipes_dir))
    assert code == 0, out
    assert "recipes 1 new (version 1)" in out
    assert "users 6 new (version 6)" in out  # ada created and her password; quinn's, quentin's
    assert "equipment 1 new" in out
    assert "lots 1 new" in out
    assert "materials 1 new" in out
    state = SyncState(SyncState.path_for(db_b))
    users = state.user_events()
    assert [(u.station, u.type, u.payload["user"]) for u in users] == [
        ("@central", "user.created", "ada"),
        ("@central", "user.password_set", "ada"),
        ("@central", "user.created", "quinn"),
        ("@central", "user.password_set", "quinn"),
        ("@central", "user.created", "quentin"),
        ("@central", "user.password_set", "quentin"),
    ]
    PasswordHasher().verify(users[3].payload["password_hash"], "qa-quinn-2026")
    (written,) = recipes_dir.iterdir()
    assert load_recipe(written).sha256 == load_recipe(RECIPE).sha256
    # Since version N: nothing new is nothing new.
    with SyncClient(central.url, token_b) as client:
        assert pull_master(client, state) == {
            "recipes": 0,
            "users": 0,
            "equipment": 0,
            "lots": 0,
            "materials": 0,
            "kits": 0,
            "orders": 0,
        }
        materials.set_lot_status(
            central.store,
            "BEADS-2411",
            "quarantined",
            "sterility OOS on the supplier's CoA",
            signer="quinn",
            password="qa-quinn-2026",
        )
        assert pull_master(client, state)["lots"] == 1
    assert [lot["status"] for lot in state.master_items("lots")] == ["released", "quarantined"]


def test_pulled_items_are_checked(tmp_path: Path) -> None:
    """A recipe whose text does not match its SHA-256 is not taken (a proxy that altered it)."""
    body = {
        "kind": "recipes",
        "since": 0,
        "version": 1,
        "latest": 1,
        "more": False,
        "items": [
            {
                "version": 1,
                "recipe_id": "x",
                "recipe_version": 1,
                "status": "effective",
                "title": "x",
                "sha256": "0" * 64,
                "yaml": "id: x\n",
                "uploaded_at": "2026-11-27T00:00:00.000Z",
            }
        ],
    }
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    state = SyncState(tmp_path / "s.sync")
    with (
        SyncClient("http://localhost", "t", transport=transport) as client,
        pytest.raises(SyncRefused, match="does not match its SHA-256"),
    ):
        pull_master(client, state, ["recipes"])
    assert state.master_version("recipes") == 0
    assert state.master_items("recipes") == []


@pytest.mark.parametrize(
    ("status", "body", "error", "text"),
    [
        (500, b'{"detail": "boom"}', ServerUnavailable, "failed (HTTP 500): boom"),
        (503, b"<html>maintenance</html>", ServerUnavailable, "failed (HTTP 503)"),
        (200, b"<html>captive portal</html>", ServerUnavailable, "not JSON"),
        (200, b'{"unexpected": 1}', ServerUnavailable, "of unknown form"),
        (401, b'{"detail": "unknown station token"}', SyncRefused, "refused this station's token"),
        (403, b'{"detail": "nope"}', SyncRefused, "refused (HTTP 403): nope"),
    ],
)
def test_client_turns_answers_into_clear_errors(
    status: int, body: bytes, error: type[Exception], text: str
) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    with (
        SyncClient("http://localhost", "t", transport=transport) as client,
        pytest.raises(error, match=re.escape(text)),
    ):
        client.head()


def test_client_reports_an_unreachable_server() -> None:
    from tests.integration.pg import free_port

    with (
        SyncClient(f"http://127.0.0.1:{free_port()}", "t", timeout=2) as client,
        pytest.raises(ServerUnavailable, match="connection refused"),
    ):
        client.head()


def test_align_refuses_a_replaced_database(central: Central, tmp_path: Path) -> None:
    token = central.add_station("CR-P4")
    db = tmp_path / "station.sqlite"
    with make_station(db, "CR-P4", 20) as store, SyncClient(central.url, token) as client:
        push_pending(store, client, SyncState(SyncState.path_for(db)))
    # A database restored from an older backup: the server holds more than it has.
    make_station(tmp_path / "old.sqlite", "CR-P4", 10).close()
    with (
        EventStore(tmp_path / "old.sqlite", "CR-P4") as old,
        SyncClient(central.url, token) as c,
        pytest.raises(SyncRefused, match="holds 20 events of station CR-P4 but this"),
    ):
        push_pending(old, c, SyncState(tmp_path / "old.sync"))
    # Another database of the same name with different events: the record differs.
    with (
        make_station(tmp_path / "new.sqlite", "CR-P4", 25, start=7) as new,
        SyncClient(central.url, token) as c,
        pytest.raises(SyncRefused, match="differs from this database's"),
    ):
        push_pending(new, c, SyncState(tmp_path / "new.sync"))
    assert len(central.events("CR-P4")) == 20


def test_backoff_is_exponential_jittered_and_bounded(tmp_path: Path) -> None:
    with make_station(tmp_path / "s.sqlite", "CR-B1", 1) as store:
        client = SyncClient("http://127.0.0.1:9", "t")
        worker = SyncWorker(
            store, client, backoff_initial=1.0, backoff_max=30.0, rng=random.Random(7)
        )
        for failures, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 30.0), (99, 30.0)):
            for _ in range(50):
                assert ceiling / 2 <= worker.backoff(failures) <= ceiling
        client.close()


def test_worker_drains_while_the_engine_keeps_writing(central: Central, tmp_path: Path) -> None:
    token = central.add_station("CR-W1")
    db = tmp_path / "station.sqlite"
    seen: list[SyncStatus] = []
    with make_station(db, "CR-W1", 300) as store, SyncClient(central.url, token) as client:
        worker = SyncWorker(
            store, client, interval=0.05, batch_size=64, pull=False, on_status=seen.append
        )
        stop = threading.Event()
        latencies: list[float] = []

        def engine() -> None:  # the engine writes one event at a time, as operators work
            i = 0
            while not stop.is_set() and i < 400:
                started = time.perf_counter()
                store.append(
                    "step.recorded", step_payload(i), actor="u:olivia", batch="B-CR-W1-0002"
                )
                latencies.append(time.perf_counter() - started)
                worker.wake()
                i += 1

        writer = threading.Thread(target=engine)
        with worker:
            writer.start()
            writer.join(60)
            assert wait_until(lambda: worker.status().pending == 0 and worker.status().online)
        stop.set()
        assert not worker.running
        assert worker.status().state == "stopped"
        assert central.events("CR-W1") == local_events(store)
        assert len(local_events(store)) == 700
        assert any(s.state == ONLINE for s in seen)
        # Sync never held up a step: appends stayed well under a second while it ran.
        assert max(latencies) < 1.0


def test_worker_goes_offline_and_comes_back(central: Central, tmp_path: Path) -> None:
    token = central.add_station("CR-W2")
    db = tmp_path / "station.sqlite"
    port = central.server.port
    central.server.stop()
    with make_station(db, "CR-W2", 50) as store, SyncClient(central.url, token, timeout=2) as c:
        worker = SyncWorker(store, c, interval=0.05, backoff_initial=0.05, backoff_max=0.2)
        with worker:
            assert wait_until(lambda: worker.status().state == OFFLINE)
            status = worker.status()
            assert status.pending == 50
            assert "cannot reach the server" in (status.last_error or "")
            assert (status.retry_in or 1.0) <= 0.2
            central.server = ServerThread(central.store, port).start()
            assert wait_until(lambda: worker.status().online and worker.status().pending == 0)
            assert worker.status().last_error is None
        assert central.events("CR-W2") == local_events(store)


def test_worker_reports_a_refusal(central: Central, tmp_path: Path) -> None:
    token = central.add_station("CR-W3")
    db = tmp_path / "station.sqlite"
    with make_station(db, "CR-W3", 10) as store, SyncClient(central.url, token) as client:
        push_pending(store, client, SyncState(SyncState.path_for(db)))
    # The station's database is replaced by another one with the same station name.
    other = tmp_path / "replaced.sqlite"
    with (
        make_station(other, "CR-W3", 12, start=3) as store,
        SyncClient(central.url, token) as client,
    ):
        worker = SyncWorker(store, client, interval=0.05, backoff_initial=0.05, backoff_max=0.1)
        with worker:
            assert wait_until(lambda: worker.status().state == "refused")
        assert "differs from this database's" in (worker.status().last_error or "")
    assert len(central.events("CR-W3")) == 10
