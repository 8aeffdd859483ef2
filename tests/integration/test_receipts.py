"""Receipts at the station: the owner of the station file rewrites an event and recomputes every
hash after it; the chain verifies, the server's signed receipts do not (`kiosk audit verify`),
nor, with the receipts deleted too, the last event the server holds (`--config`)."""

import sqlite3
from pathlib import Path

import pytest

from kiosk import receipts
from kiosk.sync import SyncClient, SyncRefused, SyncState, push_pending
from local_store import canonical_json
from local_store.events import event_hash
from tests.helpers import run_kiosk
from tests.integration.conftest import Central, make_station
from tests.integration.pg import free_port


def _rewrite(db: Path, station: str, seq: int) -> None:
    """Change event ``seq`` and recompute the chain after it, as the file's owner could."""
    import json

    with sqlite3.connect(db) as conn:
        for name in [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        ]:
            conn.execute(f"DROP TRIGGER {name}")
        rows = conn.execute(
            "SELECT seq, ts, actor, batch, type, payload, reason, prev FROM events "
            "WHERE station = ? AND seq >= ? ORDER BY seq",
            (station, seq),
        ).fetchall()
        prev = rows[0][7]
        for s, ts, actor, batch, type_, payload_text, reason, _ in rows:
            payload = json.loads(payload_text)
            if s == seq:
                payload["value"] = 99.9
            digest = event_hash(station, s, ts, actor, batch, type_, payload, reason, prev)
            conn.execute(
                "UPDATE events SET payload = ?, prev = ?, hash = ? WHERE station = ? AND seq = ?",
                (canonical_json(payload), prev, digest, station, s),
            )
            prev = digest
    conn.close()


def test_a_rewritten_station_file_is_caught_by_the_receipts(
    central: Central, tmp_path: Path
) -> None:
    token = central.add_station("RC-1")
    db = tmp_path / "station.sqlite"
    with make_station(db, "RC-1", 120) as store, SyncClient(central.url, token) as client:
        push_pending(store, client, SyncState(SyncState.path_for(db)), batch_size=50)
    sync_file = SyncState.path_for(db)
    assert len(receipts.kept(sync_file, "RC-1")) == 3
    done = run_kiosk("audit", "verify", "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "matches the server's 3 signed receipts" in done.stdout

    _rewrite(db, "RC-1", 42)
    done = run_kiosk("audit", "verify", "--db", str(db))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "RECORD REWRITTEN: event 42 is not the event the server acknowledged" in done.stdout


def test_a_receipt_from_another_key_is_refused(central: Central, tmp_path: Path) -> None:
    token = central.add_station("RC-2")
    db = tmp_path / "station.sqlite"
    sync_file = SyncState.path_for(db)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key()
    pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    receipts.pin_key(sync_file, pem)  # this station trusts another server's key
    with (
        make_station(db, "RC-2", 10) as store,
        SyncClient(central.url, token) as client,
        pytest.raises(SyncRefused, match="not carry the signature of the server this station"),
    ):
        push_pending(store, client, SyncState(sync_file))
    assert receipts.kept(sync_file, "RC-2") == []


def test_a_rewrite_with_the_receipts_removed_is_caught_by_the_server(
    central: Central, tmp_path: Path
) -> None:
    """The owner rewrites the file and deletes the receipts beside it: `audit verify
    --config` asks the server for the last event it holds and names the rewrite."""
    token = central.add_station("RC-3")
    db = tmp_path / "station.sqlite"
    with make_station(db, "RC-3", 120) as store, SyncClient(central.url, token) as client:
        push_pending(store, client, SyncState(SyncState.path_for(db)), batch_size=50)
    (tmp_path / "token").write_text(token, encoding="utf-8")
    config = tmp_path / "station.toml"
    config.write_text(
        f'[server]\nurl = "{central.url}"\ntoken_file = "{tmp_path / "token"}"\n', encoding="utf-8"
    )
    done = run_kiosk("audit", "verify", "--db", str(db), "--config", str(config))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "matches the server's head (event 120)" in done.stdout

    _rewrite(db, "RC-3", 42)
    SyncState.path_for(db).unlink()  # no receipts left to compare with
    done = run_kiosk("audit", "verify", "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr  # the file alone cannot show it
    done = run_kiosk("audit", "verify", "--db", str(db), "--config", str(config))
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "RECORD REWRITTEN: event 120 of RC-3 is not the event the server holds (its hash "
        "differs): the record was rewritten at or before it"
    ) in done.stdout
    # the server out of reach: said, and the file's own check stands
    config.write_text(
        f'[server]\nurl = "http://127.0.0.1:{free_port()}"\ntoken_file = "{tmp_path / "token"}"\n',
        encoding="utf-8",
    )
    done = run_kiosk("audit", "verify", "--db", str(db), "--config", str(config))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "; the server was not asked (" in done.stdout
