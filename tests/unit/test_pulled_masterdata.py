"""Master data pulled from the central server counts at the station."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kiosk.auth import Auth, AuthError
from kiosk.clock import SimClock
from local_store import EventStore

from .conftest import Station


def test_users_created_at_another_station_can_log_in_here(tmp_path: Path) -> None:
    clock = SimClock(datetime(2026, 11, 27, 7, tzinfo=UTC))
    hasher = PasswordHasher(time_cost=1, memory_cost=8192)
    with EventStore(tmp_path / "other.sqlite", "OTHER-1", clock=clock) as other:
        Auth(other, clock, hasher=hasher).add_user(
            "nina", "Nina Nowak", ["operator"], "nina-pass-1", by="system"
        )
        pulled = list(other.events())
    with EventStore(tmp_path / "here.sqlite", "HERE-1", clock=clock) as here:
        auth = Auth(here, clock, hasher=hasher, pulled=pulled)
        assert auth.login("nina", "nina-pass-1").user.name == "Nina Nowak"
        with pytest.raises(AuthError):
            auth.login("nina", "wrong-password")
        # the server hands this station's own events back too: they are not counted twice
        echoed = Auth(here, clock, hasher=hasher, pulled=pulled + list(here.events()))
        assert echoed.users["nina"].failed == 1


def test_pulled_equipment_and_lots(station: Station) -> None:
    md = station.engine.masterdata
    md.apply_pulled(
        "equipment",
        [
            {
                "asset": "BAL-20",
                "kind": "balance",
                "serial": "SN-20",
                "model": "XSR",
                "calibration_due": "2027-01-01",
                "status": "active",
            },
            {
                "asset": "BAL-1",
                "kind": "balance",
                "serial": "BAL-1",
                "model": "test",
                "calibration_due": "2026-01-01",
                "status": "active",
            },
        ],
    )
    assert md.equipment["BAL-20"].calibration_due == date(2027, 1, 1)
    # the server's newer calibration date counts; the station's daily check stays
    assert "calibration was due 2026-01-01" in (md.balance_problem("BAL-1") or "")
    md.apply_pulled(
        "lots",
        [
            {
                "gtin": "08430215011539",
                "lot": "L-9",
                "material": "Medium",
                "expiry": "2027-05-01",
                "status": "quarantined",
            }
        ],
    )
    assert "quarantined" in (md.lot_problem("08430215011539", "L-9", date(2027, 5, 1)) or "")
