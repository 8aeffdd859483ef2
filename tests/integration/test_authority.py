"""The server as the authority, tried by an attacker holding a station token, and a real hand-over.

Each attack is pushed to a real server (uvicorn on loopback, SQLite and PostgreSQL): it must be
refused with a 4xx, recorded as an incident, and change nothing (no event stored, no user, no
batch state, no owner). The hand-over goes release → claim → the claiming station holds the
batch's events from the other station's chain, checked, and the old owner can no longer write.
"""

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from central import schema
from central.ownership import owner_of
from kiosk import handover
from kiosk.sync import SyncClient, SyncRefused, SyncState, push_pending
from local_store import EventStore
from local_store.events import GENESIS, event_hash, format_ts
from tests.integration.conftest import Central, make_station, start_payload, step_payload

SIGNATURE = {
    "user": "rita",
    "name": "Rita Receiver",
    "ts": "2026-12-04T10:00:00.000Z",
    "meaning": "received",
    "signed": "a" * 64,
    "roles": ["operator"],
}


def _incidents(central: Central) -> list[tuple[str, str]]:
    i = schema.incidents
    with central.store.read() as conn:
        return [(str(r.station), str(r.code)) for r in conn.execute(select(i.c.station, i.c.code))]


def _count(central: Central, table: Any) -> int:
    with central.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _raw_push(central: Central, token: str, events: list[dict[str, Any]]) -> httpx.Response:
    return httpx.post(
        f"{central.url}/api/v1/events",
        json={"events": events},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def _forged(station: str, seq: int, prev: str, **fields: Any) -> dict[str, Any]:
    """An event the attacker builds by hand, with a correct chain link and hash."""
    e = {
        "station": station,
        "seq": seq,
        "ts": format_ts(datetime.now(UTC)),
        "actor": "u:mallory",
        "batch": None,
        "type": "step.recorded",
        "payload": {},
        "reason": None,
        "prev": prev,
    }
    e.update(fields)
    e["hash"] = event_hash(**e)
    return e


def _synced(central: Central, tmp_path: Path, name: str, events: int) -> tuple[str, EventStore]:
    token = central.add_station(name)
    db = tmp_path / f"{name}.sqlite"
    store = make_station(db, name, events)
    with SyncClient(central.url, token) as client:
        push_pending(store, client, SyncState(SyncState.path_for(db)))
    return token, store


def _head(central: Central, station: str) -> tuple[int, str]:
    stored = central.events(station)
    return stored[-1] if stored else (0, GENESIS)


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        pytest.param(
            {"type": "user.password_set", "payload": {"user": "quinn", "password_hash": "x"}},
            403,
            "forbidden",
            id="password of the QA user",
        ),
        pytest.param(
            {"type": "user.created", "payload": {"user": "mallory", "roles": ["admin", "qa"]}},
            403,
            "forbidden",
            id="new admin",
        ),
        pytest.param(
            {"type": "user.created", "payload": {"user": "x", "roles": 5}},
            403,
            "forbidden",
            id="roles 5",
        ),
        pytest.param(
            {"type": "lot.status", "payload": {"gtin": "1", "lot": "L", "status": "released"}},
            403,
            "forbidden",
            id="release a quarantined lot",
        ),
        pytest.param(
            {"type": "batch.state", "batch": "B-OTHER-0000", "payload": {"state": "released"}},
            403,
            "forbidden",
            id="release another station's batch",
        ),
        pytest.param(
            {
                "type": "exception.raised",
                "batch": "B-ATT-0000",
                "payload": {
                    "id": "X-1",
                    "category": "limit",
                    "severity": "critical",
                    "blocking": True,
                    "message": "m",
                    "values": "abc",
                },
            },
            400,
            "invalid",
            id="malformed exception values",
        ),
        pytest.param({"type": "backdoor.open", "payload": {}}, 400, "invalid", id="unknown type"),
        pytest.param(
            {"ts": "2025-12-04T10:00:00.000Z"}, 400, "clock", id="a year before the last event"
        ),
        pytest.param(
            {"ts": format_ts(datetime.now(UTC) + timedelta(hours=2))},
            400,
            "clock",
            id="two hours ahead",
        ),
    ],
)
def test_attacks_are_refused_recorded_and_change_nothing(
    central: Central, tmp_path: Path, fields: dict[str, Any], status: int, code: str
) -> None:
    _other_token, _other = _synced(central, tmp_path, "OTHER", 10)
    token, store = _synced(central, tmp_path, "ATT", 10)
    seq, prev = _head(central, "ATT")
    if fields.get("type", "step.recorded") == "step.recorded" and "batch" not in fields:
        fields = {**fields, "batch": "B-ATT-0000", "payload": step_payload(3)}
    before = (
        central.events("ATT"),
        central.events("OTHER"),
        _count(central, schema.batch_owners),
        owner_of(central.store, "B-OTHER-0000"),
    )
    response = _raw_push(central, token, [_forged("ATT", seq + 1, prev, **fields)])
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    after = (
        central.events("ATT"),
        central.events("OTHER"),
        _count(central, schema.batch_owners),
        owner_of(central.store, "B-OTHER-0000"),
    )
    assert after == before
    assert ("ATT", code) in _incidents(central)
    store.close()
    _other.close()


def test_a_revoked_token_pushes_nothing(central: Central, tmp_path: Path) -> None:
    from central.stations import revoke_station

    token, store = _synced(central, tmp_path, "REV", 5)
    seq, prev = _head(central, "REV")
    revoke_station(central.store, "REV")
    response = _raw_push(
        central, token, [_forged("REV", seq + 1, prev, batch="B-REV-0000", payload=step_payload(1))]
    )
    assert response.status_code == 401
    assert central.events("REV")[-1][0] == seq
    claim = httpx.post(
        f"{central.url}/api/v1/batches/B-REV-0000/claim",
        json={"signature": SIGNATURE},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert claim.status_code == 401
    store.close()


def test_hand_over_release_claim_and_the_old_owner_is_refused(
    central: Central, tmp_path: Path
) -> None:
    token_a, a = _synced(central, tmp_path, "ROOM-A", 30)
    token_b = central.add_station("ROOM-B", ("isolator",))
    token_c = central.add_station("ROOM-C", ("fill-cryo",))
    db_b = tmp_path / "ROOM-B.sqlite"
    b = EventStore(db_b, "ROOM-B")
    batch = "B-ROOM-A-0000"
    assert handover.local_owner(a, batch) == "ROOM-A"

    with SyncClient(central.url, token_b) as client_b:
        # Nothing to claim while A holds the batch, even once A has released it but not sent it.
        assert handover.waiting(client_b) == []
        handover.release(a, batch, "olivia", "Olivia Operator", "isolator")
        with pytest.raises(handover.HandoverError, match="held by station ROOM-A"):
            handover.claim(b, client_b, batch, SIGNATURE)
        assert handover.local_owner(a, batch) == handover.RELEASED

        with SyncClient(central.url, token_a) as client_a:
            push_pending(a, client_a, SyncState(SyncState.path_for(tmp_path / "ROOM-A.sqlite")))
        waiting = handover.waiting(client_b)
        assert [(w.batch, w.released_by, w.room) for w in waiting] == [
            (batch, "ROOM-A", "isolator")
        ]

        # A station of another room cannot take it.
        c = EventStore(tmp_path / "ROOM-C.sqlite", "ROOM-C")
        with (
            SyncClient(central.url, token_c) as client_c,
            pytest.raises(handover.HandoverError, match="handed over to room isolator"),
        ):
            handover.claim(c, client_c, batch, SIGNATURE)
        assert c.count() == 0
        c.close()
        assert ("ROOM-C", "claim_refused") in _incidents(central)

        taken = handover.claim(b, client_b, batch, SIGNATURE)
        # 30 events of the batch at A, its hand-over, and the server's release and claim records
        assert taken == 33
        assert handover.local_owner(b, batch) == "ROOM-B"
        history = b.batch_history(batch)
        assert [e.station for e in history[:31]] == ["ROOM-A"] * 31
        assert [(e.station, e.payload["cause"]) for e in history[31:33]] == [
            ("@central", "released"),
            ("@central", "claimed"),
        ]
        assert history[-1].type == "batch.claimed"
        assert history[-1].payload["signature"]["meaning"] == "received"
        held = owner_of(central.store, batch)
        assert held is not None
        assert held.owner == "ROOM-B"

        b.append("step.recorded", step_payload(99), actor="u:rita", batch=batch)
        state_b = SyncState(SyncState.path_for(db_b))
        push_pending(b, client_b, state_b)
        assert central.events("ROOM-B")[-1][0] == b.last().seq  # type: ignore[union-attr]

    # The old owner writes to the batch anyway: refused, recorded, nothing stored.
    a.append("step.recorded", step_payload(5), actor="u:olivia", batch=batch)
    before = central.events("ROOM-A")
    with SyncClient(central.url, token_a) as client_a, pytest.raises(SyncRefused) as refused:
        push_pending(a, client_a, SyncState(SyncState.path_for(tmp_path / "ROOM-A.sqlite")))
    assert refused.value.status == 403
    assert "held by station ROOM-B" in str(refused.value)
    assert central.events("ROOM-A") == before
    assert ("ROOM-A", "forbidden") in _incidents(central)
    a.close()
    b.close()


def test_a_second_batch_on_the_same_bag_raises_an_identity_exception(
    central: Central, tmp_path: Path
) -> None:
    token = central.add_station("DUP")
    db = tmp_path / "DUP.sqlite"
    store = EventStore(db, "DUP")
    din = "G123417654321"
    for batch in ("B-DUP-1", "B-DUP-2"):
        store.append("batch.started", start_payload(batch), actor="u:olivia", batch=batch)
        store.append(
            "identity.bound", {"din": din, "step": "receipt.bag"}, actor="u:olivia", batch=batch
        )
    with SyncClient(central.url, token) as client:
        # Online, the station would have asked first:
        push_pending(store, client, SyncState(SyncState.path_for(db)))
        assert handover.bound_elsewhere(client, "din", din + " 00") == "B-DUP-1"
        assert handover.bound_elsewhere(client, "order", "O-B-DUP-2") == "B-DUP-2"
        assert handover.bound_elsewhere(client, "din", "G999917000001") is None
    # Offline it did not know: the record is kept, the server raises an identity exception.
    assert ("DUP", "identity_duplicate") in _incidents(central)
    from central import qa

    events = qa.batch_events(central.store, "B-DUP-2")
    raised = [e for e in events if e.type == "exception.raised"]
    assert len(raised) == 1
    assert raised[0].station == "@central"
    assert raised[0].payload["category"] == "identity"
    assert raised[0].payload["blocking"] is True
    assert "B-DUP-1" in raised[0].payload["message"]
    store.close()


def test_a_batch_id_cannot_be_started_twice(central: Central, tmp_path: Path) -> None:
    _synced(central, tmp_path, "FIRST", 3)[1].close()
    token = central.add_station("SECOND")
    db = tmp_path / "SECOND.sqlite"
    store = EventStore(db, "SECOND")
    batch = "B-FIRST-0000"
    store.append("batch.started", start_payload(batch), actor="u:olivia", batch=batch)
    with SyncClient(central.url, token) as client, pytest.raises(SyncRefused) as refused:
        push_pending(store, client, SyncState(SyncState.path_for(db)))
    assert "exists already" in str(refused.value)
    assert central.events("SECOND") == []
    store.close()


def test_central_batches_list_and_incidents(central: Central, tmp_path: Path) -> None:
    from central.cli import main

    token_a, a = _synced(central, tmp_path, "CLI-A", 3)
    handover.release(a, "B-CLI-A-0000", "olivia", "Olivia Operator", "fill-cryo")
    with SyncClient(central.url, token_a) as client:
        push_pending(a, client, SyncState(SyncState.path_for(tmp_path / "CLI-A.sqlite")))
    seq, prev = _head(central, "CLI-A")
    _raw_push(central, token_a, [_forged("CLI-A", seq + 1, prev, type="user.created")])
    out = io.StringIO()
    assert main(["batches", "list", "--json", "--db", str(central.store.url)], out) == 0
    rows = json.loads(out.getvalue())
    assert rows == [
        {
            "batch": "B-CLI-A-0000",
            "status": "in_progress",
            "owner": None,
            "ownership": "released",
            "released_by": "CLI-A",
            "room": "fill-cryo",
            "stations": ["CLI-A", "@central"],
        }
    ]
    out = io.StringIO()
    assert main(["incidents", "--db", str(central.store.url)], out) == 0
    assert "CLI-A event 5 [forbidden]: user.created events are written only by the central" in (
        out.getvalue()
    )
    a.close()
