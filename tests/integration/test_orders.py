"""Orders from upstream: posted to a real server, kept in its chain, pulled by a station, and the
batch started from one checked against it (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from central import orders, stations
from central.cli import main as central_main
from kiosk.auth import Auth, AuthPolicy
from kiosk.clock import SimClock
from kiosk.engine import ActionRefused, Engine
from kiosk.recipe import load_recipe
from kiosk.sync import ServerUsers, SyncClient, SyncState, pull_master
from local_store import EventStore
from tests.integration import conftest
from tests.integration.conftest import Central, portal_session, publish_recipe, server_user

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "recipes" / "car-t-autologous.yaml"
ORDER: dict[str, Any] = {
    "order_id": "ORD-2026-0113",
    "patient_id": "PSN-7F3A",
    "coi": "&/CHG123417654321",
    "dins": ["G123417654321A"],
    "weight_kg": 70.0,
    "weight_entered_by": "nurse.ng",
    "weight_witnessed_by": "dr.ito",
    "collection_time": "2026-11-26T11:00:00+01:00",
    "shipment": "frozen",
    "recipe": "car-t-autologous",
    "due": "2026-12-20",
}


def post(central: Central, token: str, body: Any, path: str = "") -> httpx.Response:
    return httpx.post(
        f"{central.url}/api/v1/orders{path}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def upstream(central: Central) -> str:
    publish_recipe(central.store, RECIPE)
    return stations.add_station(central.store, "ERP-1", role="orders")


def test_a_good_order_is_kept_in_the_server_chain(central: Central, upstream: str) -> None:
    answer = post(central, upstream, ORDER)
    assert answer.status_code == 201, answer.text
    assert answer.json()["revision"] == 1
    (kept,) = orders.all_orders(central.store)
    assert kept.data["coi"] == "CHG123417654321"
    assert kept.data["dins"] == ["G123417654321"]
    out = io.StringIO()
    assert (
        central_main(
            ["verify", "--db", central.store.url.render_as_string(hide_password=False)], out=out
        )
        == 0
    ), out.getvalue()


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"coi": "&/CHG12341765432"}, 422, "coi"),
        ({"dins": ["G123417654321B"]}, 422, "dins"),
        ({"weight_kg": 250}, 422, "weight_kg"),  # the recipe allows 3-200 kg
        ({"recipe": "car-t-unknown"}, 422, "recipe"),
        ({"collection_time": "2026-11-26T11:00:00"}, 422, "collection_time"),
        ({"patient_name": "Jane Doe"}, 422, "patient_name"),
    ],
)
def test_a_bad_order_is_refused_naming_the_field_and_nothing_is_stored(
    central: Central, upstream: str, changes: dict[str, Any], status: int, field: str
) -> None:
    answer = post(central, upstream, {**ORDER, **changes})
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, str)
    assert field in detail
    assert orders.all_orders(central.store) == []


def test_an_order_id_or_din_is_taken_once(central: Central, upstream: str) -> None:
    assert post(central, upstream, ORDER).status_code == 201
    again = post(central, upstream, ORDER)
    assert again.status_code == 409
    assert "order_id" in again.json()["detail"]
    same_bag = post(central, upstream, {**ORDER, "order_id": "ORD-2026-0114"})
    assert same_bag.status_code == 409
    assert "dins" in same_bag.json()["detail"]
    assert len(orders.all_orders(central.store)) == 1


def test_only_an_orders_token_may_post_orders(central: Central, upstream: str) -> None:
    station = central.add_station("CR-1")
    lims = stations.add_station(central.store, "LIMS-1", role="lims")
    for token in (station, lims):
        assert post(central, token, ORDER).status_code == 403
    assert post(central, "kst_nonsense", ORDER).status_code == 401
    assert orders.all_orders(central.store) == []
    # and an orders token may not push events or pull master data
    pull = httpx.get(
        f"{central.url}/api/v1/master/orders", headers={"Authorization": f"Bearer {upstream}"}
    )
    assert pull.status_code == 403


def test_the_cli_adds_csv_and_json_all_or_nothing(
    central: Central, upstream: str, tmp_path: Path
) -> None:
    db = central.store.url.render_as_string(hide_password=False)
    good = tmp_path / "orders.json"
    good.write_text(
        json.dumps([ORDER, {**ORDER, "order_id": "ORD-2", "dins": ["A999921123456 3"]}])
    )
    bad = tmp_path / "more.csv"
    header = "order_id,patient_id,coi,dins,weight_kg,weight_entered_by,weight_witnessed_by,"
    header += "collection_time,shipment,recipe,due\n"
    row = "ORD-3,PSN-9,CHA999818123456N,A999818123456N,60,a,b,2026-11-30T08:00:00Z,fresh,"
    row += "car-t-autologous,2026-12-22\n"
    bad.write_text(
        header + row + row.replace("ORD-3", "ORD-2").replace("A999818123456N", "A999820123456E")
    )
    out = io.StringIO()
    assert central_main(["orders", "add", str(good), "--db", db], out=out) == 0, out.getvalue()
    out = io.StringIO()
    assert central_main(["orders", "add", str(bad), "--db", db], out=out) == 1
    assert "order ORD-2 exists already" in out.getvalue()
    assert "nothing stored" in out.getvalue()
    assert sorted(o.order_id for o in orders.all_orders(central.store)) == [
        "ORD-2",
        "ORD-2026-0113",
    ]
    out = io.StringIO()
    assert central_main(["orders", "list", "--json", "--db", db], out=out) == 0
    listed = json.loads(out.getvalue())
    assert [o["order"]["patient_id"] for o in listed] == ["PSN-7F3A", "PSN-7F3A"]


def test_a_station_starts_from_the_pulled_order_and_a_cancellation_holds_the_batch(
    central: Central, upstream: str, tmp_path: Path
) -> None:
    assert post(central, upstream, ORDER).status_code == 201
    server_user(central.store, "olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")
    token = central.add_station("CR-1")
    clock = SimClock(datetime.now(UTC))
    store = EventStore(tmp_path / "station.sqlite", "CR-1", clock=clock)
    sync = SyncState(tmp_path / "sync.sqlite")
    client = SyncClient(central.url, token)
    try:
        assert pull_master(client, sync)["orders"] == 1
        auth = Auth(
            store,
            clock,
            AuthPolicy(),
            PasswordHasher(time_cost=1, memory_cost=8192),
            authority=ServerUsers(sync, lambda: SyncClient(central.url, token)),
        )
        engine = Engine(store, auth, {"car-t-autologous": load_recipe(RECIPE)}, clock)
        engine.order_source = sync.orders
        (offered,) = engine.open_orders("car-t-autologous")
        olivia = auth.login("olivia", "op-olivia-2026")
        batch = engine.start_batch(olivia, "car-t-autologous", {}, order=offered)
        state = engine.batch(batch)
        assert state.context["collection_time"] == "2026-11-26T10:00:00.000Z"  # kept in UTC
        assert state.context["patient_id"] == "PSN-7F3A"
        assert engine.open_orders("car-t-autologous") == []  # taken by this batch
        with pytest.raises(ActionRefused, match="not a collection of order ORD-2026-0113"):
            engine.scan(olivia, batch, "=A99991712365400")
        assert engine.batch(batch).state == "on_hold"

        cancel = post(central, upstream, {"reason": "patient withdrew"}, "/ORD-2026-0113/cancel")
        assert cancel.status_code == 200, cancel.text
        assert pull_master(client, sync)["orders"] == 1
        (line,) = engine.apply_order_changes()
        assert "cancelled" in line
        assert engine.apply_order_changes() == []  # once per revision
        order_exc = [x for x in engine.batch(batch).exceptions.values() if x.category == "order"]
        assert [x.values["status"] for x in order_exc] == ["cancelled"]
        assert order_exc[0].blocking
    finally:
        client.close()
        store.close()


def test_the_planner_page_lists_orders_and_cancels_one_with_a_reason(
    central: Central, upstream: str
) -> None:
    assert post(central, upstream, ORDER).status_code == 201
    server_user(central.store, "pia", "Pia Planner", ["planner"], "plan-pia-2026")
    server_user(central.store, "olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")
    with portal_session(central.url, "pia", "plan-pia-2026") as http:
        page = http.get("/planner")
        assert page.status_code == 200
        match = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert match is not None
        csrf = match.group(1)
        assert "ORD-2026-0113" in page.text
        assert "CHG123417654321" in page.text
        with portal_session(central.url, "olivia", "op-olivia-2026") as operator:
            assert operator.get("/planner").status_code == 403  # signed in, not a planner
            refused = operator.post(
                "/planner/orders/ORD-2026-0113/cancel",
                data={"reason": "wrong patient", "csrf": conftest.csrf(operator)},
            )
            assert refused.status_code == 403
        assert orders.all_orders(central.store)[0].status == "open"
        forged = http.post(
            "/planner/orders/ORD-2026-0113/cancel",
            data={"reason": "forged", "csrf": "not-the-token"},
        )
        assert forged.status_code == 403
        assert orders.all_orders(central.store)[0].status == "open"
        done = http.post(
            "/planner/orders/ORD-2026-0113/cancel",
            data={"reason": "collection postponed", "csrf": csrf},
        )
        assert done.status_code == 303
        (order,) = orders.all_orders(central.store)
        assert order.status == "cancelled"
        assert order.reason == "collection postponed"


def test_a_change_is_a_new_revision_with_a_reason(central: Central, upstream: str) -> None:
    assert post(central, upstream, ORDER).status_code == 201
    url = f"{central.url}/api/v1/orders/ORD-2026-0113"
    auth = {"Authorization": f"Bearer {upstream}"}
    changed = {**ORDER, "weight_kg": 68.5}
    answer = httpx.put(url, json={"order": changed, "reason": "re-weighed"}, headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["revision"] == 2
    same = httpx.put(url, json={"order": changed, "reason": "again"}, headers=auth)
    assert same.status_code == 409
    other = httpx.put(
        url, json={"order": {**changed, "order_id": "ORD-9"}, "reason": "x"}, headers=auth
    )
    assert other.status_code == 422
    assert "order_id" in other.json()["detail"]
    no_reason = httpx.put(url, json={"order": changed}, headers=auth)
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json()["detail"]
    (order,) = orders.all_orders(central.store)
    assert order.revision == 2
    assert order.data["weight_kg"] == 68.5
    assert order.reason == "re-weighed"


@pytest.mark.gui
def test_a_running_station_holds_the_batch_as_soon_as_its_order_is_cancelled(
    qtbot: Any, central: Central, upstream: str, tmp_path: Path
) -> None:
    """The kiosk with its sync worker: the cancellation arrives with the next pull (every
    second here) and the open batch is held with an order exception, without going home."""
    from kiosk.app import start_sync
    from kiosk.screens.autopilot import settle
    from tests.gui.conftest import make_rig

    assert post(central, upstream, ORDER).status_code == 201
    server_user(central.store, "olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")
    token = central.add_station("GUI-1")
    token_file = tmp_path / "token"
    token_file.write_text(token, encoding="utf-8")
    with SyncClient(central.url, token) as client:  # users, recipe and order, before the app
        pull_master(client, SyncState(SyncState.path_for(tmp_path / "station.sqlite")))
    server = {"url": central.url, "token_file": str(token_file), "pull_seconds": 1}
    rig = make_rig(tmp_path, server=server, clock=SimClock(datetime.now(UTC)), demo=False)
    qtbot.addWidget(rig.window)
    rig.window.show()
    qtbot.waitExposed(rig.window)
    assert rig.config is not None
    worker = start_sync(rig.config, rig.kiosk)
    assert worker is not None
    try:
        rig.pilot.login("olivia", "op-olivia-2026")
        batch = rig.pilot.start("car-t-autologous", {"order_id": "ORD-2026-0113"})
        assert rig.window.current() is rig.window.step
        assert rig.view().state == "in_progress"

        cancel = post(central, upstream, {"reason": "patient withdrew"}, "/ORD-2026-0113/cancel")
        assert cancel.status_code == 200, cancel.text

        def held() -> bool:
            settle()
            return rig.kiosk.engine.batch(batch).state == "on_hold"

        qtbot.waitUntil(held, timeout=20_000)
        state = rig.kiosk.engine.batch(batch)
        (order_exc,) = [x for x in state.exceptions.values() if x.category == "order"]
        assert order_exc.blocking
        assert order_exc.values["status"] == "cancelled"
        assert "patient withdrew" in order_exc.message
        # on the screen at once: the message, and the step screen shows the hold
        assert rig.window.current() is rig.window.step
        assert "ORD-2026-0113 was cancelled" in rig.pilot.message()[0]
        assert rig.window.step.view is not None
        assert rig.window.step.view.state == "on_hold"
        # in the batch's record, with the station as its author
        raised = [
            e
            for e in rig.kiosk.store.events(batch=batch)
            if e.type == "exception.raised" and e.payload["category"] == "order"
        ]
        assert [e.actor for e in raised] == ["system"]
    finally:
        worker.stop()
        rig.kiosk.close()
