"""Portal pages over a year of batches: 5,000 batches' events in PostgreSQL, pages timed.

1. A PostgreSQL cluster in a temporary folder (``tests/integration/pg.py``, PostgreSQL's durable
   defaults), a fresh server database with the reference recipe and a QA user.
2. The fleet (``benchmarks/fleet.py``: N batches from the reference OQ batch across stations)
   stored through the server's own ingest (chain checks, authority map, ownership, the batch
   projection), 1,000 events a push. Timed, not against a target.
3. The dashboards' figures computed for every batch (``central.dashboards.refresh``), as the
   first page view after a bulk load would; timed, not against a target.
4. A real ``central serve`` process (uvicorn) on loopback; a signed-in httpx client asks each
   page ``--requests`` times after one warm-up: the batch list, a batch page (review by
   exception), the dashboards, the recipe's control charts and two CSVs. p50 / p95 / max per
   page. Target: p95 <= 200 ms. The client signs in once at ``/login`` (one argon2 check, timed)
   and reuses the session cookie, as a browser does; the session check alone is timed on a
   small API read and reported beside the pages.
5. The pages' own work: uvicorn in-process with the QA dependency answered directly (no session
   look-up), to tell the pages' cost from the sign-in's.

Usage: PYTHONPATH=. python benchmarks/bench_dashboards.py [--batches 5000] [--stations 10]
       [--requests 40]

Prints its figures and the machine; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from benchmarks.fleet import Fleet
from central import dashboards, qa
from central.ingest import ingest
from central.stations import add_station
from central.store import CentralStore
from tests.integration import pg
from tests.integration.conftest import publish_recipe, server_user, sign_in_attempt

ROOT = Path(__file__).resolve().parents[1]
QA_USER = ("quinn", "qa-quinn-2026")
TARGET_MS = 200.0


@contextmanager
def signed_in_server(store: CentralStore) -> Iterator[str]:
    """uvicorn in a thread over ``store`` whose QA dependency answers the QA user without
    looking up a session: the pages' own work."""
    import threading  # noqa: PLC0415

    import uvicorn  # noqa: PLC0415

    from central import deps, users  # noqa: PLC0415
    from central.api import create_app  # noqa: PLC0415

    app = create_app(store)
    reviewer = users.directory(store)[QA_USER[0]]
    app.dependency_overrides[deps.current_reviewer] = lambda: reviewer
    port = pg.free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(10)


@contextmanager
def server(database_url: str, log: Path) -> Iterator[str]:
    port = pg.free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with log.open("ab") as sink:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "central", "serve", "--db", database_url,
                "--port", str(port), "--log-level", "warning",
            ],
            stdout=sink,
            stderr=sink,
            env=env,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"central serve did not start:\n{log.read_text()}")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)


def fill(store: CentralStore, url: str, batches: int, stations: int) -> tuple[int, float]:
    """Store the fleet through the server's ingest; (events, seconds)."""
    publish_recipe(store, ROOT / "recipes" / "car-t-autologous.yaml")
    server_user(store, QA_USER[0], "Quinn Marlowe", ["qa"], QA_USER[1])
    fleet = Fleet.build(batches, stations)
    for name in fleet.stations:
        add_station(store, name)
    started = time.perf_counter()
    total = 0
    for name, events in fleet.chains():
        for i in range(0, len(events), 1000):
            result = ingest(store, name, events[i : i + 1000], skew_s=1e9)
            if result.refusal is not None:
                raise RuntimeError(f"the server refused the fleet: {result.refusal.message}")
        total += len(events)
        print(f"  {name}: {len(events)} events stored", flush=True)
    return total, time.perf_counter() - started


def timed(client: httpx.Client, path: str, requests: int) -> list[float]:
    first = client.get(path)
    if first.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {first.status_code} {first.text[:200]}")
    out = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return out


def report(label: str, ms: list[float], size: int | None = None) -> None:
    ordered = sorted(ms)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    verdict = "met" if p95 <= TARGET_MS else "NOT met"
    extra = f", {size // 1024} KB" if size is not None else ""
    print(
        f"{label:<44} p50 {statistics.median(ms):7.1f}  p95 {p95:7.1f}  max {max(ordered):7.1f} ms"
        f"  (target p95 <= {TARGET_MS:g} ms: {verdict}{extra})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=5000)
    parser.add_argument("--stations", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    reason = pg.missing_reason()
    if reason is not None:
        print(f"skipped: {reason}")
        return 1
    work = Path(tempfile.mkdtemp(prefix="bench-dash-"))
    os.environ.setdefault("CENTRAL_SIGNING_KEY", str(work / "central-signing.key"))
    with pg.PgCluster(durable=True) as cluster:
        url = cluster.create_database("dashboards")
        store = CentralStore(url)
        print(f"filling PostgreSQL with {args.batches} batches on {args.stations} stations…")
        events, seconds = fill(store, url, args.batches, args.stations)
        print(f"stored {events} events in {seconds:.1f} s ({events / seconds:.0f} events/s)")
        started = time.perf_counter()
        left = dashboards.refresh(store, qa.RecipeCache(store), limit=None)
        took = time.perf_counter() - started
        print(f"dashboard figures of {args.batches} batches computed in {took:.1f} s ({left} left)")
        store.close()
        batch = f"B-FL-{args.batches // 2:05d}"
        pages = [
            ("batch list /qa", "/qa"),
            (f"batch page /qa/batches/{batch}", f"/qa/batches/{batch}"),
            ("dashboards /qa/dashboards (last 60)", "/qa/dashboards"),
            ("dashboards, last 1000 batches", "/qa/dashboards?last=1000"),
            ("control charts (last 60)", "/qa/dashboards/recipes/car-t-autologous"),
            ("control charts, last 200", "/qa/dashboards/recipes/car-t-autologous?last=200"),
            ("CSV right first time", "/qa/dashboards/right-first-time.csv"),
            ("CSV one control chart", "/qa/dashboards/recipes/car-t-autologous/dose_ratio.csv"),
        ]
        sign_in = ("session check alone: GET /api/v1/incidents", "/api/v1/incidents?limit=1")
        print("\n1. signed in once at /login (session cookie reused), central serve:")
        with (
            server(url, work / "server.log") as base,
            httpx.Client(base_url=base, timeout=120) as client,
        ):
            started = time.perf_counter()
            answer = sign_in_attempt(client, *QA_USER)
            took_ms = (time.perf_counter() - started) * 1000
            if answer.status_code != 303:
                raise RuntimeError(f"sign-in refused: {answer.status_code} {answer.text[:200]}")
            print(f"{'sign-in: GET + POST /login (argon2 once)':<44} {took_ms:7.1f} ms")
            for label, path in [sign_in, *pages]:
                size = len(client.get(path).content)
                report(label, timed(client, path, args.requests), size)
        print("\n2. the pages' own work (no session look-up), uvicorn in-process:")
        store = CentralStore(url)
        with signed_in_server(store) as base, httpx.Client(base_url=base, timeout=120) as client:
            for label, path in pages:
                size = len(client.get(path).content)
                report(label, timed(client, path, args.requests), size)
        store.close()
    print(
        f"machine: {platform.processor() or platform.machine()}, nproc {os.cpu_count()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
