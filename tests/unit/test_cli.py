"""The `kiosk` command as an admin or validation engineer uses it, in a real subprocess."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import run_kiosk as kiosk

ROOT = Path(__file__).resolve().parents[2]


def test_version() -> None:
    result = kiosk("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("kiosk ")


ONE_STATION = [
    p for p in sorted((ROOT / "oq").glob("*.yaml")) if "\nstations:" not in p.read_text()
]
"""Scripts across stations run against a real server: `make oq` (SQLite) and
tests/integration/test_three_rooms.py (PostgreSQL)."""


@pytest.mark.parametrize("script", ONE_STATION, ids=lambda p: p.name)
def test_oq_scripts_pass(script: Path, tmp_path: Path) -> None:
    db = tmp_path / "oq.sqlite"
    result = kiosk("oq", "run", str(script), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
    assert result.stdout.rstrip().endswith(" 0 failed")
    assert kiosk("audit", "verify", "--db", str(db)).returncode == 0


def test_oq_failing_expectation_exits_1(tmp_path: Path) -> None:
    script = tmp_path / "bad.yaml"
    script.write_text(
        f"""
title: an expectation that does not hold
recipes: [{ROOT / "recipes" / "training.yaml"}]
start: 2026-11-27T07:00:00Z
users: [{{id: olivia, name: Olivia, roles: [operator], password: op-olivia-2026}}]
steps:
  - {{do: login, user: olivia, password: op-olivia-2026}}
  - {{do: start, recipe: training, context: {{trainee: T}}}}
  - {{do: confirm, expect: {{step: measure.dispensed}}}}
""",
        encoding="utf-8",
    )
    result = kiosk("oq", "run", str(script), "--db", str(tmp_path / "x.sqlite"))
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "current step is start.bag_scan, not measure.dispensed" in result.stdout


def test_oq_unusable_script_is_reported_without_traceback(tmp_path: Path) -> None:
    script = tmp_path / "broken.yaml"
    script.write_text("title: x\nsteps: [\n", encoding="utf-8")
    result = kiosk("oq", "run", str(script), "--db", str(tmp_path / "x.sqlite"))
    assert result.returncode == 1
    assert "cannot read the script" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_audit_verify_names_first_bad_event(tmp_path: Path) -> None:
    db = tmp_path / "oq.sqlite"
    assert kiosk("oq", "run", "oq/part11-access.yaml", "--db", str(db)).returncode == 0
    good = kiosk("audit", "verify", "--db", str(db))
    assert good.returncode == 0
    assert "chain intact" in good.stdout
    assert "1 batches" in good.stdout

    tampered = tmp_path / "tampered.sqlite"
    shutil.copy(db, tampered)
    with sqlite3.connect(tampered) as conn:
        conn.execute("DROP TRIGGER IF EXISTS events_no_update")
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(
            "UPDATE events SET payload = replace(payload, '100.4', '101.4') "
            "WHERE type = 'step.recorded' AND payload LIKE '%100.4%'"
        )
        (seq,) = conn.execute(
            "SELECT seq FROM events WHERE payload LIKE '%101.4%' AND type = 'step.recorded'"
        ).fetchone()
    bad = kiosk("audit", "verify", "--db", str(tampered))
    assert bad.returncode == 1
    assert f"event {seq}" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_audit_verify_on_missing_or_garbage_file(tmp_path: Path) -> None:
    missing = kiosk("audit", "verify", "--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 1
    assert not (tmp_path / "none.sqlite").exists()
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database at all" * 100)
    result = kiosk("audit", "verify", "--db", str(garbage))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr


def test_users_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "station.sqlite")
    first = kiosk(
        "users",
        "--db",
        db,
        "add",
        "olivia",
        "--name",
        "Olivia",
        "--role",
        "operator",
        stdin="olivia-pass-1\n",
    )
    assert first.returncode == 1
    assert "first user must be an admin" in first.stdout
    admin = kiosk(
        "users",
        "--db",
        db,
        "add",
        "ada",
        "--name",
        "Ada Adeyemi",
        "--role",
        "admin",
        stdin="admin-ada-2026\n",
    )
    assert admin.returncode == 0, admin.stdout
    no_admin = kiosk(
        "users",
        "--db",
        db,
        "add",
        "olivia",
        "--name",
        "Olivia",
        "--role",
        "operator",
        stdin="olivia-pass-1\n",
    )
    assert no_admin.returncode == 1
    assert "--admin" in no_admin.stdout
    wrong = kiosk(
        "users",
        "--db",
        db,
        "add",
        "olivia",
        "--name",
        "Olivia Okafor",
        "--role",
        "operator",
        "--admin",
        "ada",
        stdin="not-the-password\nolivia-pass-1\n",
    )
    assert wrong.returncode == 1
    assert "wrong" in wrong.stdout
    added = kiosk(
        "users",
        "--db",
        db,
        "add",
        "olivia",
        "--name",
        "Olivia Okafor",
        "--role",
        "operator",
        "--admin",
        "ada",
        stdin="admin-ada-2026\nolivia-pass-1\n",
    )
    assert added.returncode == 0, added.stdout
    listing = kiosk("users", "--db", db, "list")
    assert "Olivia Okafor" in listing.stdout
    assert "Ada Adeyemi" in listing.stdout
    disabled = kiosk(
        "users",
        "--db",
        db,
        "disable",
        "olivia",
        "--reason",
        "left",
        "--admin",
        "ada",
        stdin="admin-ada-2026\n",
    )
    assert disabled.returncode == 0
    assert "disabled" in kiosk("users", "--db", db, "list").stdout
    reused = kiosk(
        "users",
        "--db",
        db,
        "add",
        "olivia",
        "--name",
        "Other",
        "--role",
        "operator",
        "--admin",
        "ada",
        stdin="admin-ada-2026\nsome-pass-12\n",
    )
    assert reused.returncode == 1
    assert "never reused" in reused.stdout
    reset = kiosk(
        "users",
        "--db",
        db,
        "reset-password",
        "ada",
        "--reason",
        "test",
        "--admin",
        "ada",
        stdin="admin-ada-2026\nnew-temp-123\n",
    )
    assert reset.returncode == 0


def test_usage_error_exits_2() -> None:
    result = kiosk("recipe")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_demo_runs_headless(tmp_path: Path) -> None:
    result = kiosk("demo", "--out", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stdout
    assert (tmp_path / "demo" / "demo.sqlite").exists()
    assert "audit verify" in result.stdout
    assert (tmp_path / "demo" / "batch-record.pdf").exists()
    assert (tmp_path / "demo" / "review-report.pdf").exists()


def test_oq_broken_lines_fail_without_traceback(tmp_path: Path) -> None:
    script = tmp_path / "broken-lines.yaml"
    script.write_text(
        f"""
title: broken lines
recipes: [{ROOT / "recipes" / "training.yaml"}]
start: 2026-11-27T07:00:00Z
users: [{{id: olivia, name: Olivia, roles: [operator], password: op-olivia-2026}}]
steps:
  - {{expect: accepted}}
  - {{do: login, user: olivia}}
  - {{do: advance, minutes: -5}}
  - {{do: login, user: olivia, password: op-olivia-2026, expect: {{step: x}}}}
""",
        encoding="utf-8",
    )
    result = kiosk("oq", "run", str(script), "--db", str(tmp_path / "x.sqlite"))
    assert result.returncode == 1
    assert "a step needs 'do: ACTION'" in result.stdout
    assert "missing field 'password'" in result.stdout
    assert "a clock never goes back" in result.stdout
    assert "no batch has started" in result.stdout
    assert "oq: 1 passed, 4 failed" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_user_changes_carry_the_admins_signature(tmp_path: Path) -> None:
    from local_store import EventStore

    db = str(tmp_path / "s.sqlite")
    assert (
        kiosk(
            "users",
            "--db",
            db,
            "add",
            "ada",
            "--name",
            "Ada Adeyemi",
            "--role",
            "admin",
            stdin="admin-ada-2026\n",
        ).returncode
        == 0
    )
    assert (
        kiosk(
            "users",
            "--db",
            db,
            "add",
            "tom",
            "--name",
            "Tom Tran",
            "--role",
            "operator",
            "--admin",
            "ada",
            stdin="admin-ada-2026\ntom-pass-001\n",
        ).returncode
        == 0
    )
    with EventStore(db, "CHECK", create=False) as store:
        (created,) = [e for e in store.events(types={"user.created"}) if e.payload["user"] == "tom"]
    signature = created.payload["signature"]
    assert created.actor == "u:ada"
    assert (signature["name"], signature["meaning"]) == ("Ada Adeyemi", "approved")
    assert len(signature["signed"]) == 64
