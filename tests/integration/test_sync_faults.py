"""Sync under faults: HTTP 500s, dropped connections, replies lost after the server committed,
timeouts, late (duplicate, out-of-order) deliveries, a server killed and restarted mid-push, and
a station whose record was tampered with.

Afterwards the server must hold exactly the station's events: identical hashes, no gaps, no
duplicates; and nothing a tampered station sent after the break.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central.cli import main as central_main
from central.store import CentralStore
from kiosk.cli import main as kiosk_main
from kiosk.sync import (
    ServerUnavailable,
    SyncClient,
    SyncState,
    SyncWorker,
    push_pending,
)
from local_store import EventStore
from tests.integration.conftest import (
    DELAY_AFTER,
    DELAY_BEFORE,
    DROP_AFTER,
    ERROR_500,
    FAULTS,
    REFUSE,
    Central,
    FaultProxy,
    local_events,
    make_station,
)
from tests.integration.pg import free_port

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 0.5  # the client's timeout; the proxy's delays are twice that


def push_until_done(
    store: EventStore, url: str, token: str, state: SyncState, *, batch: int, attempts: int
) -> int:
    """Retry push_pending as the worker does (without the waiting); returns the attempts used."""
    with SyncClient(url, token, timeout=TIMEOUT) as client:
        for attempt in range(1, attempts + 1):
            try:
                result = push_pending(store, client, state, batch_size=batch)
            except ServerUnavailable:
                continue
            if result.pending == 0:
                return attempt
    raise AssertionError(f"not everything acknowledged after {attempts} attempts")


def assert_exactly(central: Central, store: EventStore) -> None:
    held = central.events(store.station)
    assert held == local_events(store)
    assert [seq for seq, _ in held] == list(range(1, len(held) + 1))


@pytest.mark.parametrize("fault", [ERROR_500, REFUSE, DROP_AFTER, DELAY_AFTER, DELAY_BEFORE])
def test_each_fault_is_retried_without_loss_or_duplicates(
    central: Central, tmp_path: Path, fault: str
) -> None:
    token = central.add_station("CR-F1")
    db = tmp_path / "station.sqlite"
    with (
        make_station(db, "CR-F1", 90) as store,
        FaultProxy(central.server.port, [fault] * 4, delay=2 * TIMEOUT) as proxy,
    ):
        state = SyncState(SyncState.path_for(db))
        used = push_until_done(store, proxy.url, token, state, batch=20, attempts=12)
        assert used > 1  # the faults did bite
        proxy.close()  # late deliveries arrive (or not) before the final look
        assert_exactly(central, store)
        assert state.acknowledged("CR-F1")[0] == 90
        assert proxy.applied[:4] == [fault] * 4


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("KIOSK_SYNC_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    schedule=st.lists(st.sampled_from(FAULTS), max_size=10),
    events=st.integers(min_value=1, max_value=60),
    batch=st.integers(min_value=1, max_value=25),
    extra=st.integers(min_value=0, max_value=15),
)
def test_random_fault_schedules_leave_exactly_the_stations_events(
    central: Central,
    tmp_path: Path,
    schedule: list[str],
    events: int,
    batch: int,
    extra: int,
) -> None:
    name = f"CR-H{next(_stations)}"
    token = central.add_station(name)
    db = tmp_path / f"{name}.sqlite"
    with (
        make_station(db, name, events) as store,
        FaultProxy(central.server.port, schedule, delay=2 * TIMEOUT) as proxy,
    ):
        state = SyncState(SyncState.path_for(db))
        push_until_done(store, proxy.url, token, state, batch=batch, attempts=len(schedule) + 4)
        # The station keeps working; more events go through the rest of the schedule.
        make_station(db, name, extra, start=events).close()
        push_until_done(store, proxy.url, token, state, batch=batch, attempts=len(schedule) + 4)
        proxy.close()
        assert_exactly(central, store)


_stations = itertools.count(1)


# ---------------------------------------------------------------- a server killed mid-push


def start_server(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with log.open("ab") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--db", database_url, "--port", str(port)],
            stdout=sink,
            stderr=sink,
            env=env,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    raise AssertionError(f"central serve did not start:\n{log.read_text(errors='replace')}")


@pytest.fixture
def server_process(
    database_url: str, tmp_path: Path
) -> Iterator[tuple[CentralStore, Callable[[], None], Callable[[], None], str]]:
    """(store, kill, restart, url) of a `central serve` subprocess on a fixed loopback port."""
    store = CentralStore(database_url)
    port = free_port()
    log = tmp_path / "server.log"
    procs = [start_server(database_url, port, log)]

    def kill() -> None:
        procs[-1].send_signal(signal.SIGKILL)
        procs[-1].wait()

    def restart() -> None:
        procs.append(start_server(database_url, port, log))

    yield store, kill, restart, f"http://127.0.0.1:{port}"
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
    store.close()


@pytest.mark.slow
def test_server_killed_and_restarted_mid_push(
    server_process: tuple[CentralStore, Callable[[], None], Callable[[], None], str],
    tmp_path: Path,
) -> None:
    from central.ingest import head
    from central.stations import add_station

    store_c, kill, restart, url = server_process
    token = add_station(store_c, "CR-K1")
    db = tmp_path / "station.sqlite"
    with make_station(db, "CR-K1", 3000) as store, SyncClient(url, token, timeout=2) as client:
        worker = SyncWorker(
            store,
            client,
            interval=0.05,
            batch_size=50,
            pull=False,
            backoff_initial=0.05,
            backoff_max=0.3,
        )
        with worker:
            deadline = time.monotonic() + 60
            while head(store_c, "CR-K1")[0] < 500 and time.monotonic() < deadline:
                time.sleep(0.005)
            kill()  # SIGKILL, mid-push: some batch is in flight or half-committed
            killed_at = head(store_c, "CR-K1")[0]
            assert 0 < killed_at < 3000
            time.sleep(0.3)
            assert worker.status().state == "offline"
            restart()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (
                worker.status().online and worker.status().pending == 0
            ):
                time.sleep(0.02)
            assert worker.status().pending == 0
        held = store_c_events(store_c, "CR-K1")
        assert held == local_events(store)
    out = io.StringIO()
    assert central_main(["verify", "--db", store_c.url.render_as_string(False)], out=out) == 0
    assert "CR-K1: chain intact — 3000 events, last seq 3000" in out.getvalue()


def store_c_events(store: CentralStore, station: str) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from central import schema

    e = schema.events
    with store.read() as conn:
        rows = conn.execute(
            select(e.c.seq, e.c.hash).where(e.c.station == station).order_by(e.c.seq)
        )
        return [(int(a), str(b)) for a, b in rows]


# ---------------------------------------------------------------- a tampered station


def tamper(db: Path, copy: Path, seq: int) -> None:
    """Copy the station database, drop its append-only triggers and edit one payload."""
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute(
            "UPDATE events SET payload = json_set(payload, '$.value', 99.9) WHERE seq = ?", (seq,)
        )
    conn.close()


def test_a_tampered_station_is_refused_and_nothing_after_the_break_is_stored(
    central: Central, tmp_path: Path
) -> None:
    token = central.add_station("CR-T1")
    db = tmp_path / "station.sqlite"
    with make_station(db, "CR-T1", 20) as store, SyncClient(central.url, token) as client:
        push_pending(store, client, SyncState(SyncState.path_for(db)))
    make_station(db, "CR-T1", 30, start=20).close()  # 30 more events, not yet sent
    tampered = tmp_path / "tampered.sqlite"
    tamper(db, tampered, 35)

    out = io.StringIO()
    argv = ["sync", "push", "--db", str(tampered), "--server", central.url, "--token", token]
    assert kiosk_main([*argv, "--batch-size", "100"], out=out) == 1
    line = out.getvalue().strip()
    assert "refused the events of station CR-T1 at event 35: hash does not match content" in line
    assert "nothing from event 35 on was stored (acknowledged up to 34)" in line
    # Events 21..34 were genuine and are kept; nothing from 35 on.
    with EventStore(db, "CR-T1") as genuine:
        assert central.events("CR-T1") == local_events(genuine)[:34]
    # The refusal is recorded for QA and admins, and the server's own chain is intact.
    with httpx.Client(base_url=central.url, timeout=10) as h:
        assert h.get("/api/v1/incidents").status_code == 401
    incidents = central_incidents(central)
    assert [(i.station, i.seq, i.code) for i in incidents] == [("CR-T1", 35, "chain_broken")]
    # Retrying does not store anything more, nor record the same incident again.
    assert kiosk_main(argv, out=io.StringIO()) == 1
    assert len(central_incidents(central)) == 1
    assert len(central.events("CR-T1")) == 34
    report = io.StringIO()
    url = central.store.url.render_as_string(False)
    assert central_main(["verify", "--db", url], out=report) == 0
    assert "CR-T1: chain intact — 34 events, last seq 34" in report.getvalue()


def central_incidents(central: Central) -> list:  # type: ignore[type-arg]
    from central.qa import list_incidents

    return list_incidents(central.store)
