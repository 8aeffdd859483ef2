"""The sync API against a real server on loopback, on SQLite and on PostgreSQL.

Pushes are checked from the station's last acknowledged event, stored idempotently by
(station, seq), and refused with a clear 409 for a conflict, a broken chain or a gap; a station
writes only its own events; a revoked or unknown token is refused with 401.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.stations import revoke_station
from local_store import Event, event_hash
from local_store.events import GENESIS
from tests.integration.conftest import Central, event_dicts, local_events, make_station


def client(central: Central, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=central.url, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def push(http: httpx.Client, events: list[Event] | list[dict[str, Any]]) -> httpx.Response:
    body = [e.to_dict() if isinstance(e, Event) else e for e in events]
    return http.post("/api/v1/events", json={"events": body})


def rehash(event: Event, **changes: Any) -> Event:
    """The event with ``changes`` and a hash recomputed over them (a well-formed forgery)."""
    changed = dataclasses.replace(event, **changes)
    digest = event_hash(
        changed.station,
        changed.seq,
        changed.ts,
        changed.actor,
        changed.batch,
        changed.type,
        changed.payload,
        changed.reason,
        changed.prev,
    )
    return dataclasses.replace(changed, hash=digest)


def test_push_is_acknowledged_and_idempotent(central: Central, tmp_path: Path) -> None:
    token = central.add_station("CR2-K1")
    with make_station(tmp_path / "s.sqlite", "CR2-K1", 250) as store, client(central, token) as h:
        events = list(store.events())
        head = h.get("/api/v1/events/head").json()
        assert head == {"station": "CR2-K1", "acknowledged": 0, "acknowledged_hash": GENESIS}

        first = push(h, events[:100])
        assert first.status_code == 200, first.text
        assert first.json()["acknowledged"] == 100
        assert first.json()["stored"] == 100

        # The same events again, overlapping new ones: the held ones are acknowledged again.
        again = push(h, events[50:250])
        assert again.status_code == 200, again.text
        ack = again.json()
        receipt = ack.pop("receipt")
        assert ack == {
            "station": "CR2-K1",
            "acknowledged": 250,
            "acknowledged_hash": events[-1].hash,
            "stored": 150,
            "duplicates": 50,
        }
        # The server's signed receipt lists exactly the events this push stored.
        assert (receipt["station"], receipt["seq"], receipt["head"]) == (
            "CR2-K1",
            250,
            events[-1].hash,
        )
        assert receipt["events"] == [[e.seq, e.hash] for e in events[100:250]]
        assert len(receipt["signature"]) == 128
        # Everything again, and in reverse order within the request: nothing new, all fine.
        replay = push(h, list(reversed(events)))
        assert replay.status_code == 200
        assert replay.json()["stored"] == 0
        assert replay.json()["duplicates"] == 250
        assert central.events("CR2-K1") == local_events(store)


def test_batches_out_of_order_are_refused_as_a_gap_then_accepted(
    central: Central, tmp_path: Path
) -> None:
    token = central.add_station("CR2-K2")
    with make_station(tmp_path / "s.sqlite", "CR2-K2", 30) as store, client(central, token) as h:
        events = list(store.events())
        late = push(h, events[10:20])
        assert late.status_code == 409
        body = late.json()
        assert body["code"] == "gap"
        assert body["seq"] == 11
        assert body["acknowledged"] == 0
        assert "send from 1" in body["detail"]
        assert central.events("CR2-K2") == []
        assert push(h, events[:10]).json()["acknowledged"] == 10
        assert push(h, events[20:]).status_code == 409  # still a gap: 21 does not follow 10
        assert push(h, events[10:20]).json()["acknowledged"] == 20
        assert push(h, events[20:]).json()["acknowledged"] == 30
        assert central.events("CR2-K2") == local_events(store)


def test_a_different_event_under_a_held_seq_is_a_conflict(
    central: Central, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    token = central.add_station("CR2-K3")
    with make_station(tmp_path / "s.sqlite", "CR2-K3", 20) as store, client(central, token) as h:
        events = list(store.events())
        assert push(h, events[:10]).status_code == 200
        forged = rehash(events[4], payload={**events[4].payload, "value": 99.9})
        with caplog.at_level("WARNING", logger="central.ingest"):
            refused = push(h, [forged, *events[5:]])
        assert refused.status_code == 409
        body = refused.json()
        assert body["code"] == "conflict"
        assert body["seq"] == 5
        assert "different event under seq 5" in body["detail"]
        assert body["acknowledged"] == 10
        assert "refused" in caplog.text
        assert "seq 5" in caplog.text
        # Nothing of that push was stored, not even the genuine events after the conflict.
        assert central.events("CR2-K3") == local_events(store)[:10]
        # The content changed but the claimed hash kept: refused as well.
        tampered = dataclasses.replace(events[2], payload={"value": 1})
        assert push(h, [tampered]).json()["code"] == "conflict"


def test_a_broken_chain_stores_the_events_before_the_break_only(
    central: Central, tmp_path: Path
) -> None:
    token = central.add_station("CR2-K4")
    with make_station(tmp_path / "s.sqlite", "CR2-K4", 20) as store, client(central, token) as h:
        events = list(store.events())
        # Event 8's content edited without fixing its hash: the hash no longer matches.
        edited = dataclasses.replace(events[7], payload={**events[7].payload, "value": 12.0})
        refused = push(h, [*events[:7], edited, *events[8:]])
        assert refused.status_code == 409
        body = refused.json()
        assert body["code"] == "chain_broken"
        assert body["seq"] == 8
        assert body["problem"] == "hash does not match content"
        assert body["acknowledged"] == 7
        assert central.events("CR2-K4") == local_events(store)[:7]
        # Event 8 re-hashed: its hash is right but event 9's prev no longer matches.
        rehashed = rehash(events[7], payload={**events[7].payload, "value": 12.0})
        refused = push(h, [rehashed, *events[8:]])
        assert refused.json()["code"] == "chain_broken"
        assert refused.json()["seq"] == 9
        assert "prev does not match" in refused.json()["problem"]
        # The server took the forged event 8 as the continuation (it is well-formed) and holds
        # nothing after it; the genuine event 8 is now a conflict.
        assert [s for s, _ in central.events("CR2-K4")] == list(range(1, 9))
        assert push(h, events[7:8]).json()["code"] == "conflict"


def test_the_same_push_delivered_many_times_at_once_is_stored_once(
    central: Central, tmp_path: Path
) -> None:
    token = central.add_station("CR2-RACE")
    with make_station(tmp_path / "s.sqlite", "CR2-RACE", 200) as store:
        body = {"events": event_dicts(store.events())}
        statuses: list[int] = []

        def deliver() -> None:
            with client(central, token) as h:
                statuses.append(h.post("/api/v1/events", json=body).status_code)

        threads = [threading.Thread(target=deliver) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [200] * 8
        assert central.events("CR2-RACE") == local_events(store)


def test_first_event_must_start_the_chain(central: Central, tmp_path: Path) -> None:
    token = central.add_station("CR2-K5")
    with make_station(tmp_path / "s.sqlite", "CR2-K5", 2) as store, client(central, token) as h:
        first = next(store.events())
        forged = rehash(first, prev="f" * 64)
        body = push(h, [forged]).json()
        assert body["code"] == "chain_broken"
        assert body["problem"] == "prev of the first event is not the chain's starting value"


def test_a_station_writes_only_its_own_events(central: Central, tmp_path: Path) -> None:
    token_a = central.add_station("ST-A")
    central.add_station("ST-B")
    with make_station(tmp_path / "b.sqlite", "ST-B", 3) as other, client(central, token_a) as h:
        refused = push(h, list(other.events()))
        assert refused.status_code == 403
        assert "belongs to station ST-A" in refused.json()["detail"]
        assert central.events("ST-B") == []


def test_tokens_missing_unknown_or_revoked_are_refused(central: Central, tmp_path: Path) -> None:
    token = central.add_station("ST-R")
    with make_station(tmp_path / "r.sqlite", "ST-R", 3) as store:
        events = event_dicts(store.events())
    with httpx.Client(base_url=central.url, timeout=10) as anonymous:
        response = anonymous.post("/api/v1/events", json={"events": events})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    with client(central, "kst_not-a-token") as h:
        assert h.get("/api/v1/events/head").status_code == 401
    with client(central, token) as h:
        assert push(h, events[:1]).status_code == 200
        revoke_station(central.store, "ST-R")
        refused = push(h, events[1:])
        assert refused.status_code == 401
        assert "revoked" in refused.json()["detail"]
        assert h.get("/api/v1/master/users").status_code == 401
    assert len(central.events("ST-R")) == 1


def test_malformed_events_are_refused_with_422(central: Central, tmp_path: Path) -> None:
    token = central.add_station("ST-M")
    with make_station(tmp_path / "m.sqlite", "ST-M", 2) as store, client(central, token) as h:
        good = event_dicts(store.events())
        for broken in (
            {**good[0], "seq": "1"},  # a string where an int belongs
            {**good[0], "extra": 1},  # an unknown key
            {k: v for k, v in good[0].items() if k != "prev"},  # a missing key
            {**good[0], "hash": "not hex"},
            {**good[0], "actor": "u:\x00x"},  # NUL cannot be stored (PostgreSQL text)
        ):
            response = push(h, [broken])
            assert response.status_code == 422, (broken, response.text)
            assert isinstance(response.json()["detail"], list)
        too_many = push(h, good * 501)
        assert too_many.status_code == 422
        assert central.events("ST-M") == []


def test_health_and_openapi(central: Central) -> None:
    with httpx.Client(base_url=central.url, timeout=10) as h:
        assert h.get("/api/v1/health").json()["status"] == "ok"
        spec = h.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/v1/events",
        "/api/v1/events/head",
        "/api/v1/master/recipes",
        "/api/v1/master/users",
        "/api/v1/master/equipment",
        "/api/v1/master/lots",
        "/api/v1/batches",
        "/api/v1/batches/{batch}/events",
        "/api/v1/batches/{batch}/review",
        "/api/v1/batches/{batch}/record.pdf",
    } <= paths
    assert "409" in spec["paths"]["/api/v1/events"]["post"]["responses"]
