"""QC results from the LIMS: posted to a real server, kept in its chain, applied at the station."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from central import stations
from central.authority import check
from central.cli import main as central_main
from central.master import add_equipment
from central.store import CentralStore
from kiosk.auth import Auth, AuthPolicy, Session
from kiosk.clock import SimClock
from kiosk.devices.swap import KnownRoles, SwapWorkflow
from kiosk.engine import Engine
from kiosk.engine.inputs import Credentials
from kiosk.qa_pull import pull_qa
from kiosk.recipe import load_recipe
from kiosk.results import pull_results, server_seen
from kiosk.sync import (
    ServerUsers,
    SyncClient,
    SyncError,
    SyncState,
    pull_master,
    push_pending,
)
from local_store import EventStore
from tests.helpers import run_kiosk
from tests.integration.conftest import Central, server_user
from tests.unit.test_captured_values import INCUBATOR, RECIPE, count, good

RESULT = {
    "test": "endotoxin",
    "value": 0.42,
    "unit": "EU/mL",
    "method": "LAL kinetic chromogenic",
    "sample_id": "QC-B-LIMS-1-01",
    "result_time": "2026-12-01T09:00:00Z",
    "lims_ref": "LIMS-2026-000117",
}


@dataclass
class Station:
    store: EventStore
    engine: Engine
    client: SyncClient
    sync: SyncState
    token: str

    def login(self) -> Session:
        return self.engine.auth.login("olivia", "op-olivia-2026")


@pytest.fixture
def station(central: Central, tmp_path: Path) -> Iterator[Station]:
    """A station whose users are the server's (a station may not push users of its own)."""
    server_user(central.store, "olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")
    server_user(central.store, "tess", "Tess Varga", ["technician"], "tech-tess-2026")
    add_equipment(
        central.store,
        "INC-1",
        kind="incubator",
        serial=INCUBATOR,
        model="sim incubator",
        calibration_due=date(2099, 1, 1),
    )
    token = central.add_station("CR-LIMS")
    clock = SimClock(datetime.now(UTC))
    store = EventStore(tmp_path / "station.sqlite", "CR-LIMS", clock=clock)
    sync = SyncState(tmp_path / "sync.sqlite")
    client = SyncClient(central.url, token)
    pull_master(client, sync)
    auth = Auth(
        store,
        clock,
        AuthPolicy(),
        PasswordHasher(time_cost=1, memory_cost=8192),
        authority=ServerUsers(sync, lambda: SyncClient(central.url, token)),
    )
    path = tmp_path / "capture-demo.yaml"
    path.write_text(RECIPE)
    loaded = load_recipe(path)
    engine = Engine(store, auth, {"capture-demo": loaded}, clock)
    engine.masterdata.apply_pulled("equipment", sync.master_items("equipment"))
    # a technician (a server user) accepted the incubator for its role at this station
    roles = KnownRoles({"incubator": ("incubator", INCUBATOR)})
    swap = SwapWorkflow(roles, engine.masterdata, auth, store, clock)
    tess = auth.login("tess", "tech-tess-2026")
    swap.accept("incubator", INCUBATOR, Credentials("tess", "tech-tess-2026"), session=tess)
    auth.logout(tess)
    yield Station(store, engine, client, sync, token)
    client.close()
    store.close()


def post(central: Central, token: str, batch: str, body: dict[str, object]) -> httpx.Response:
    return httpx.post(
        f"{central.url}/api/v1/batches/{batch}/results",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


def frozen_batch(station: Station) -> str:
    """A batch past its QC stage (results pending), waiting for release, pushed."""
    engine = station.engine
    olivia = station.login()
    batch = engine.start_batch(olivia, "capture-demo", {}, batch_id="B-LIMS-1")
    engine.capture(olivia, batch, good(37.0))
    engine.import_count(olivia, batch, count(batch))
    engine.import_count(olivia, batch, count(batch))
    engine.confirm(olivia, batch)
    push_pending(station.store, station.client, station.sync)
    return batch


def test_lims_results_reach_the_server_chain_and_the_station(
    central: Central, station: Station
) -> None:
    batch = frozen_batch(station)
    station_token = station.token
    lims_token = stations.add_station(central.store, "LIMS-1", role="lims")
    client, sync_state = station.client, station.sync
    # a station token may not post results; a LIMS token may do nothing else
    refused = post(central, station_token, batch, RESULT)
    assert refused.status_code == 403
    assert "only a LIMS posts results" in refused.json()["detail"]
    assert client.get(f"/batches/{batch}/history")["owner"] == "CR-LIMS"
    lims_pull = httpx.get(
        f"{central.url}/api/v1/batches/{batch}/history",
        headers={"Authorization": f"Bearer {lims_token}"},
    )
    assert lims_pull.status_code == 403

    answer = post(central, lims_token, batch, RESULT)
    assert answer.status_code == 201, answer.text
    again = post(central, lims_token, batch, RESULT)
    assert (again.status_code, again.json()["duplicate"]) == (200, True)
    sterile = {**RESULT, "test": "sterility", "value": "positive", "unit": None}
    assert post(central, lims_token, batch, {**sterile, "lims_ref": "L-2"}).status_code == 201
    assert [seq for seq, _ in central.events("@central")][-2:] == [
        answer.json()["seq"],
        answer.json()["seq"] + 1,
    ]

    report = pull_results(station.engine, client)
    assert sorted(report.applied) == [f"{batch} endotoxin", f"{batch} sterility"]
    assert pull_results(station.engine, client).applied == []  # nothing taken twice
    state = station.engine.batch(batch)
    assert state.missing_results() == []
    assert state.records["qc.endotoxin"].value == 0.42
    (oos,) = state.exceptions.values()
    assert (oos.category, oos.severity) == ("cpp_cqa", "critical")
    # the station's own record of the results goes back to the server like any event
    pushed = push_pending(station.store, client, sync_state)
    assert pushed.pending == 0
    for event in station.store.events(batch=batch):
        assert check(event) is None, event.type


def test_a_pull_asks_only_for_the_server_events_not_held_yet(
    central: Central, station: Station
) -> None:
    """Every minute the station asks for QA's decisions and the LIMS's results: after the first
    pull it gets only what is new, and a result it holds but had not applied is still taken."""
    batch = frozen_batch(station)
    client, store = station.client, station.store
    lims_token = stations.add_station(central.store, "LIMS-1", role="lims")
    first = post(central, lims_token, batch, RESULT).json()["seq"]
    whole = client.get(f"/batches/{batch}/history")["events"]
    assert {e["station"] for e in whole} == {"CR-LIMS", "@central"}

    assert server_seen(store, [batch]) == {batch: 0}
    assert pull_qa(station.engine, client).taken == {batch: 1}  # held here, not yet applied
    assert server_seen(store, [batch]) == {batch: first}
    assert client.get(f"/batches/{batch}/history?server_after={first}")["events"] == []

    sterile = {**RESULT, "test": "sterility", "value": "negative", "unit": None, "lims_ref": "L-2"}
    second = post(central, lims_token, batch, sterile).json()["seq"]
    news = client.get(f"/batches/{batch}/history?server_after={first}")["events"]
    assert [(e["station"], e["seq"], e["type"]) for e in news] == [
        ("@central", second, "qc.result")
    ]
    report = pull_results(station.engine, client)
    assert sorted(report.applied) == [f"{batch} endotoxin", f"{batch} sterility"]
    assert station.engine.batch(batch).missing_results() == []
    with pytest.raises(SyncError, match=r"422|server_after"):
        client.get(f"/batches/{batch}/history", server_after=-1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"test": "colour"}, "test"),
        ({"value": "negative"}, "value"),
        ({"result_time": "2026-12-01T09:00:00"}, "result_time"),
        ({"lims_ref": ""}, "lims_ref"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_result_bodies_are_refused_naming_the_field(
    central: Central, station: Station, change: dict[str, object], field: str
) -> None:
    batch = frozen_batch(station)
    lims_token = stations.add_station(central.store, "LIMS-1", role="lims")
    answer = post(central, lims_token, batch, {**RESULT, **change})
    assert answer.status_code == 422
    assert field in answer.text


def test_a_result_for_an_unknown_batch_is_404(central: Central) -> None:
    lims_token = stations.add_station(central.store, "LIMS-1", role="lims")
    answer = post(central, lims_token, "B-NOPE", RESULT)
    assert (answer.status_code, answer.json()["detail"]) == (404, "no batch B-NOPE on the server")


def test_kiosk_sync_results_takes_the_results_in(
    central: Central, station: Station, tmp_path: Path
) -> None:
    batch = frozen_batch(station)
    lims_token = stations.add_station(central.store, "LIMS-1", role="lims")
    assert post(central, lims_token, batch, RESULT).status_code == 201
    wrong = {**RESULT, "test": "vcn", "unit": "EU/mL", "lims_ref": "L-VCN"}  # not pending here
    assert post(central, lims_token, batch, wrong).status_code == 201
    args = ["--db", str(station.store.path), "--server", central.url, "--token", station.token]
    done = run_kiosk("sync", "results", *args, "--recipes", str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr  # one result refused
    assert f"taken in: {batch} endotoxin" in done.stdout
    assert f"not taken: {batch}: batch {batch} has no pending vcn result" in done.stdout
    assert "results: 1 taken in, 1 refused, 0 batches not reached" in done.stdout
    station.engine.forget(batch)
    assert station.engine.batch(batch).records["qc.endotoxin"].value == 0.42
    again = run_kiosk("sync", "results", *args, "--recipes", str(tmp_path))
    assert "results: 0 taken in, 1 refused" in again.stdout


def test_central_stations_add_role_lims(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "central.sqlite")]
    out = io.StringIO()
    assert central_main(["stations", "add", "LIMS-1", "--role", "lims", *db], out=out) == 0
    first, token = out.getvalue().strip().splitlines()
    assert first == "registered lims client LIMS-1; its token (shown only now):"
    listed = io.StringIO()
    central_main(["stations", "list", *db], out=listed)
    assert listed.getvalue().startswith("LIMS-1 (lims)")
    with CentralStore(str(tmp_path / "central.sqlite")) as store:
        found = stations.station_for_token(store, token)
    assert found is not None
    assert (found.name, found.role) == ("LIMS-1", "lims")
