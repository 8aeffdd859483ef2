"""Setting up a station, backing it up and restoring it, as an admin does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers import run_kiosk as run


def test_setup_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    config, db = tmp_path / "etc" / "station.toml", tmp_path / "var" / "station.sqlite"
    args = [
        "setup",
        "--station",
        "CR2-K1",
        "--config",
        str(config),
        "--db",
        str(db),
        "--admin",
        "ada",
        "--admin-name",
        "Ada Adeyemi",
    ]
    first = run(*args, stdin="admin-ada-2026\n")
    assert first.returncode == 0, first.stdout
    assert 'id = "CR2-K1"' in config.read_text()
    assert "Ada Adeyemi" in run("users", "--db", str(db), "list").stdout
    again = run(*args, stdin="admin-ada-2026\n")
    assert again.returncode == 1
    assert "exist already" in again.stdout
    forced = run(*args, "--force", stdin="admin-ada-2026\n")
    assert forced.returncode == 0, forced.stdout
    assert "backed up" in forced.stdout
    assert list(db.parent.glob("station.sqlite.before-setup-*"))


def test_setup_with_server_needs_token_file(tmp_path: Path) -> None:
    result = run(
        "setup",
        "--station",
        "S1",
        "--config",
        str(tmp_path / "c.toml"),
        "--db",
        str(tmp_path / "d.sqlite"),
        "--admin",
        "ada",
        "--admin-name",
        "Ada",
        "--server",
        "https://central:8443",
        stdin="admin-ada-2026\n",
    )
    assert result.returncode == 1
    assert "--token-file" in result.stdout


def test_backup_verifies_and_restore_keeps_the_old_file(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    assert run("oq", "run", "oq/part11-access.yaml", "--db", str(db)).returncode == 0
    backup = tmp_path / "backups" / "b1.sqlite"
    made = run("backup", "--db", str(db), "-o", str(backup))
    assert made.returncode == 0, made.stdout
    assert "chain verified" in made.stdout
    assert run("audit", "verify", "--db", str(backup)).returncode == 0
    assert run("backup", "--db", str(db), "-o", str(backup)).returncode == 1  # never overwrite

    refused = run("restore", str(backup), "--db", str(db))
    assert refused.returncode == 1
    assert "--force" in refused.stdout
    restored = run("restore", str(backup), "--db", str(db), "--force")
    assert restored.returncode == 0, restored.stdout
    assert list(tmp_path.glob("station.sqlite.replaced-*"))
    assert run("audit", "verify", "--db", str(db)).returncode == 0

    tampered = tmp_path / "tampered.sqlite"
    tampered.write_bytes(backup.read_bytes())
    with sqlite3.connect(tampered) as conn:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger'"
        ).fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("UPDATE events SET actor = 'u:mallory' WHERE seq = 3")
    bad = run("restore", str(tampered), "--db", str(db), "--force")
    assert bad.returncode == 1
    assert "does not verify" in bad.stdout
    assert (
        run("backup", "--db", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "x")).returncode
        == 1
    )
