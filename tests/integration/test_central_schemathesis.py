"""Property-based API tests from the server's own OpenAPI spec (schemathesis), bounded.

Every operation is called with generated requests (valid credentials attached: a station token
for the sync and master-data paths, a QA user's portal session for the rest); no response may be
a 5xx, and every response must match the schema the spec declares for its status code. Runs on
SQLite and on PostgreSQL (which refuses NUL characters and 64-bit integers where SQLite would not).
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from central.store import CentralStore
from kiosk.oq import run_script
from kiosk.sync import SyncClient, SyncState, push_pending
from tests.integration import pg
from tests.integration.conftest import (
    SESSION_COOKIE,
    ServerThread,
    server_managed_copy,
    server_user,
    sign_in_attempt,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("KIOSK_SCHEMATHESIS_EXAMPLES", "25"))

pytestmark = pytest.mark.slow


@dataclass
class Live:
    url: str
    station_headers: dict[str, str]
    qa_headers: dict[str, str]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("schemathesis")
    cluster: pg.PgCluster | None = None
    if request.param == "sqlite":
        url = str(folder / "central.sqlite")
    else:
        reason = pg.missing_reason()
        if reason is not None:
            pytest.skip(reason)
        cluster = pg.PgCluster().start()
        url = cluster.create_database()
    store = CentralStore(url)
    server = ServerThread(store).start()
    try:
        from central.stations import add_station

        token = add_station(store, "OQ-CART-1")
        server_user(store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-2026")
        standalone = folder / "standalone.sqlite"
        run_script(ROOT / "oq" / "car-t-full-batch.yaml", standalone, io.StringIO(), fast_hash=True)
        db = folder / "station.sqlite"
        with (
            server_managed_copy(standalone, db, "OQ-CART-1") as station,
            SyncClient(server.url, token) as client,
        ):
            push_pending(station, client, SyncState(SyncState.path_for(db)))
        with httpx.Client(base_url=server.url, timeout=30) as browser:
            assert sign_in_attempt(browser, "quinn", "qa-quinn-2026").status_code == 303
            session = browser.cookies[SESSION_COOKIE]
        yield Live(
            server.url,
            {"Authorization": f"Bearer {token}"},
            {"Cookie": f"{SESSION_COOKIE}={session}"},
        )
    finally:
        server.stop()
        store.close()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def operations(live: Live) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def exercise(operation: Any, url: str, headers: dict[str, str]) -> None:
    """Up to EXAMPLES generated requests to one operation, each checked."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        case.call_and_validate(
            base_url=url,
            headers=headers,
            checks=[not_a_server_error, response_schema_conformance],
            timeout=30,
        )

    check()


def test_api_conforms_to_its_schema(live: Live) -> None:
    # Driven through hypothesis directly: schemathesis' own pytest integration (lazy fixtures,
    # subtests) does not run under the pytest version this project uses.
    failures: list[str] = []
    ops = operations(live)
    assert len(ops) >= 12
    for operation in ops:
        path: str = operation.path
        station_path = path.startswith(("/api/v1/events", "/api/v1/master"))
        headers = live.station_headers if station_path else live.qa_headers
        try:
            exercise(operation, live.url, headers)
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {path}: {exc}")
    assert not failures, "\n\n".join(failures)
