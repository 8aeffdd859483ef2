"""One benchmark station: an event store, its users (cheap password hashing) and an engine
with the given recipes, on a simulated clock. Used by the engine, record and monitoring
benchmarks so each times its own work, not a set-up of its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher

from kiosk.auth import Auth, AuthPolicy
from kiosk.clock import SimClock
from kiosk.engine import Engine
from kiosk.recipe import load_recipe
from local_store import EventStore

OLIVIA = ("olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")


@dataclass(frozen=True)
class BenchStation:
    store: EventStore
    auth: Auth
    engine: Engine
    clock: SimClock


def bench_station(
    db: Path,
    recipes: dict[str, str],
    users: Iterable[tuple[str, str, list[str], str]] = (OLIVIA,),
    *,
    inactivity: timedelta = timedelta(days=9),
) -> BenchStation:
    """A station at `db` (id BENCH-1) running `recipes` (id → YAML text, written beside the
    database), with `users` (id, name, roles, password) added by the system."""
    clock = SimClock(datetime(2026, 11, 27, 7, tzinfo=UTC))
    loaded = {}
    for recipe_id, text in recipes.items():
        path = db.parent / f"{recipe_id}.yaml"
        path.write_text(text, encoding="utf-8")
        loaded[recipe_id] = load_recipe(path)
    store = EventStore(db, "BENCH-1", clock=clock)
    auth = Auth(
        store,
        clock,
        AuthPolicy(inactivity=inactivity),
        PasswordHasher(time_cost=1, memory_cost=8192),
    )
    for uid, name, roles, password in users:
        auth.add_user(uid, name, roles, password, by="system")
    return BenchStation(store, auth, Engine(store, auth, loaded, clock), clock)
