"""Fixtures for the core: a real SQLite store, a simulated clock, users and the engine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from kiosk.auth import Auth, AuthPolicy, Session
from kiosk.clock import SimClock
from kiosk.engine import Credentials, Engine
from kiosk.recipe import load_recipe
from local_store import EventStore

ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {
    "olivia": "op-olivia-2026",
    "oscar": "op-oscar-2026",
    "sam": "sup-samira-2026",
    "quinn": "qa-quinn-2026",
    "ada": "admin-ada-2026",
    "tess": "tech-tess-2026",
}


@dataclass
class Station:
    store: EventStore
    clock: SimClock
    auth: Auth
    engine: Engine
    path: Path

    def login(self, user: str) -> Session:
        return self.auth.login(user, PASSWORDS[user])

    def creds(self, user: str) -> Credentials:
        return Credentials(user, PASSWORDS[user])


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    st = make_station(tmp_path / "station.sqlite", "TEST-1")
    yield st
    st.store.close()


def make_station(
    path: Path, station_id: str, clock: SimClock | None = None, **engine_options: Any
) -> Station:
    """A station with the test users, both recipes and a checked balance, in its own file."""
    clock = clock or SimClock(datetime(2026, 11, 27, 7, 0, tzinfo=UTC))
    store = EventStore(path, station_id, clock=clock)
    policy = AuthPolicy(max_failed=3, password_days=90, inactivity=timedelta(minutes=5))
    auth = Auth(store, clock, policy, PasswordHasher(time_cost=1, memory_cost=8192))
    for uid, name, roles in (
        ("olivia", "Olivia Okafor", ["operator"]),
        ("oscar", "Oscar Lindqvist", ["operator"]),
        ("sam", "Samira Haddad", ["supervisor"]),
        ("quinn", "Quinn Marlowe", ["qa"]),
        ("ada", "Ada Admin", ["admin"]),
        ("tess", "Tess Varga", ["technician"]),
    ):
        auth.add_user(uid, name, roles, PASSWORDS[uid], by="system")
    recipes = {}
    for name in ("training.yaml", "car-t-autologous.yaml"):
        loaded = load_recipe(ROOT / "recipes" / name)
        recipes[loaded.recipe.id] = loaded
    engine = Engine(store, auth, recipes, clock, **engine_options)
    engine.masterdata.register_equipment(
        "BAL-1", "balance", "BAL-1", "test balance", date(2027, 1, 31), by="system"
    )
    engine.masterdata.daily_check("BAL-1", 100.0, 100.01, "g", 0.05, by="system")
    return Station(store, clock, auth, engine, path)
