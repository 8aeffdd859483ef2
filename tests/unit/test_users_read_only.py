"""A station with a central server holds a read-only copy of the server's users: `kiosk users`
changes nothing there (docs/admin.md, "Users are managed at the central server")."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kiosk.auth import MANAGED, Auth
from kiosk.cli import main
from kiosk.clock import system_clock
from kiosk.sync import SyncState
from local_store import EventStore


def kiosk(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(stdin))
        mp.delenv("KIOSK_SERVER", raising=False)
        code = main(list(argv), out=out)
    return code, out.getvalue()


def test_kiosk_users_is_read_only_with_a_server(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    with EventStore(db, "CR-A") as store:  # a standalone station first: it may add users
        Auth(store, system_clock, hasher=PasswordHasher(time_cost=1, memory_cost=8192)).add_user(
            "ada", "Ada Adeyemi", ["admin"], "admin-ada-2026", by="system"
        )
    code, out = kiosk("users", "--db", str(db), "--station", "CR-A", "list")
    assert (code, MANAGED in out) == (0, False)
    SyncState(SyncState.path_for(db))  # the station has synced with a server since
    args = ["users", "--db", str(db), "--station", "CR-A"]
    add = [*args, "add", "olivia", "--name", "Olivia", "--role", "operator", "--admin", "ada"]
    code, out = kiosk(*add, stdin="admin-ada-2026\nolivia-pass-1\n")
    assert code == 1
    assert f"refused: {MANAGED}" in out
    assert "central users add" in out
    code, out = kiosk(*args, "disable", "ada", "--reason", "x", "--admin", "ada")
    assert (code, MANAGED in out) == (1, True)
    code, out = kiosk(*args, "list")
    assert code == 0
    assert "read-only copy" in out
    with EventStore(db, "CR-A") as store:
        assert [e.payload["user"] for e in store.events(types={"user.created"})] == ["ada"]
    config = tmp_path / "station.toml"
    config.write_text('[server]\nurl = "https://central.example"\n', encoding="utf-8")
    other = tmp_path / "other.sqlite"
    code, out = kiosk(
        "users",
        "--db",
        str(other),
        "--config",
        str(config),
        "add",
        "bob",
        "--name",
        "Bob",
        "--role",
        "admin",
        stdin="bob-pass-01\n",
    )
    assert (code, "https://central.example" in out, MANAGED in out) == (1, True, True)
