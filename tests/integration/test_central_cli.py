"""The `central` command: stations, recipes, equipment, lots, verify (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from central.cli import main as central_main
from central.stations import station_for_token
from central.store import CentralStore
from kiosk.sync import SyncClient, SyncState, push_pending
from tests.integration.conftest import Central, ServerThread, make_station, server_user
from tests.integration.pg import free_port

ROOT = Path(__file__).resolve().parents[2]


def central(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = central_main(list(argv), out=out)
    return code, out.getvalue()


def test_stations_add_list_revoke(database_url: str) -> None:
    db = ["--db", database_url]
    code, out = central("stations", "list", *db)
    assert code == 0
    assert "no stations registered" in out
    code, out = central("stations", "add", "CR2-K1", *db)
    assert code == 0
    first, token = out.strip().splitlines()
    assert first == "registered station CR2-K1; its token (shown only now):"
    assert token.startswith("kst_")
    assert len(token) > 40
    with CentralStore(database_url) as store:
        found = station_for_token(store, token)
        assert found is not None
        assert found.name == "CR2-K1"
    code, out = central("stations", "add", "CR2-K1", *db)
    assert code == 1
    assert "is registered already" in out
    code, out = central("stations", "add", "bad name!", *db)
    assert code == 1
    assert "a station name is" in out
    code, out = central("stations", "list", *db)
    assert out.startswith("CR2-K1")
    assert "active" in out
    assert central("stations", "revoke", "CR2-K1", *db)[0] == 0
    code, out = central("stations", "revoke", "CR2-K1", *db)
    assert code == 1
    assert "revoked already" in out
    assert "revoked 20" in central("stations", "list", *db)[1]
    assert central("stations", "revoke", "NOPE", *db) == (
        1,
        "central stations: no station 'NOPE'\n",
    )


def test_recipes_are_validated_and_never_change(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", database_url]
    with CentralStore(database_url) as store:
        server_user(store, "sam", "Samira Haddad", ["supervisor"], "sup-samira-2026")  # and ada
    monkeypatch.setenv("CENTRAL_PASSWORD", "admin-ada-2026")
    recipe = ROOT / "recipes" / "training.yaml"
    code, out = central("recipes", "upload", str(recipe), "--as", "ada", *db)
    assert code == 0, out
    assert "uploaded as a draft: training v1 (draft)" in out
    code, out = central("recipes", "add", str(recipe), "--as", "ada", *db)  # the old name
    assert code == 0
    assert "already on the server" in out
    changed = tmp_path / "training.yaml"
    changed.write_text(recipe.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code, out = central("recipes", "upload", str(changed), "--as", "ada", *db)
    assert code == 1
    assert "a recipe version never changes" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nversion: one\n", encoding="utf-8")
    code, out = central("recipes", "upload", str(broken), "--as", "ada", *db)
    assert code == 1
    assert f"{broken}: refused: the recipe fails validation:" in out
    assert "broken.yaml" in out.splitlines()[1]
    code, out = central("recipes", "list", *db)
    assert len(out.strip().splitlines()) == 1
    assert "training v1" in out
    monkeypatch.setenv("CENTRAL_PASSWORD", "sup-samira-2026")
    code, out = central("recipes", "upload", str(broken), "--as", "sam", "--db", "x://")
    assert code == 1  # an unusable database: one line, no traceback
    assert "Traceback" not in out


def test_equipment_and_lots(database_url: str) -> None:
    db = ["--db", database_url]
    code, out = central(
        "equipment", "add", "BAL-7", "--kind", "balance", "--serial", "B207696838",
        "--model", "MT XSR2002S", "--calibration-due", "2027-06-30", *db,
    )  # fmt: skip
    assert code == 0, out
    assert "version 1" in out
    code, out = central(
        "equipment", "add", "BAL-7", "--kind", "balance", "--serial", "B207696838",
        "--calibration-due", "2027-06-30", "--status", "retired", *db,
    )  # fmt: skip
    assert "version 2" in out
    code, out = central("equipment", "list", *db)
    assert len(out.strip().splitlines()) == 1
    assert "retired" in out
    code, out = central(
        "equipment", "add", "X-1", "--kind", "toaster", "--serial", "1",
        "--calibration-due", "2027-01-01", *db,
    )  # fmt: skip
    assert code == 1
    assert "kind must be one of" in out
    # lots: tests/integration/test_central_materials.py


def test_verify_names_the_station_and_seq_of_a_break(database_url: str, tmp_path: Path) -> None:
    db = ["--db", database_url]
    with CentralStore(database_url) as store:
        server = ServerThread(store).start()
        try:
            for name, count in (("ST-1", 120), ("ST-2", 30)):
                token = central("stations", "add", name, *db)[1].split()[-1]
                path = tmp_path / f"{name}.sqlite"
                with make_station(path, name, count) as st, SyncClient(server.url, token) as c:
                    push_pending(st, c, SyncState(SyncState.path_for(path)), batch_size=50)
        finally:
            server.stop()
    central("stations", "add", "ST-3", *db)
    code, out = central("verify", *db)
    assert code == 0, out
    assert out.splitlines() == [
        "@central: chain intact — 0 events, last seq 0",
        "ST-1: chain intact — 120 events, last seq 120",
        "ST-2: chain intact — 30 events, last seq 30",
        "ST-3: chain intact — 0 events, last seq 0",
        "receipts: the events match all 4 signed receipts",
    ]
    tamper_server(database_url, "ST-1", 77)
    code, out = central("verify", *db)
    assert code == 1
    assert "ST-1: CHAIN BROKEN at seq 77: hash does not match content (120 events" in out
    assert "ST-2: chain intact" in out


def test_verify_catches_a_rewrite_with_every_hash_recomputed(
    database_url: str, tmp_path: Path
) -> None:
    """The database's owner rewrites event 77 and recomputes every hash after it, and the
    station's head: the chain verifies, but not against the receipts the server signed."""
    db = ["--db", database_url]
    with CentralStore(database_url) as store:
        server = ServerThread(store).start()
        try:
            token = central("stations", "add", "ST-1", *db)[1].split()[-1]
            path = tmp_path / "ST-1.sqlite"
            with make_station(path, "ST-1", 120) as st, SyncClient(server.url, token) as c:
                push_pending(st, c, SyncState(SyncState.path_for(path)), batch_size=50)
        finally:
            server.stop()
    rewrite_server(database_url, "ST-1", 77)
    code, out = central("verify", *db)
    assert code == 1, out
    assert "ST-1: chain intact — 120 events" in out  # the hashes alone do not show it
    assert (
        "ST-1: RECORD REWRITTEN at seq 77: event 77 is not the event the server acknowledged"
        in (out)
    )


def rewrite_server(database_url: str, station: str, seq: int) -> None:
    """Rewrite one event and recompute the chain after it, as the database's owner could."""
    import json

    from sqlalchemy import create_engine, text

    from central.store import database_url as url_of
    from local_store.events import event_hash

    engine = create_engine(url_of(database_url))
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER events_no_update"))
        else:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        rows = conn.execute(
            text(
                "SELECT seq, ts, actor, batch, type, payload, reason, prev FROM events "
                "WHERE station = :s AND seq >= :q ORDER BY seq"
            ),
            {"s": station, "q": seq},
        ).all()
        prev = rows[0].prev
        for r in rows:
            payload = json.loads(r.payload)
            if r.seq == seq:
                payload["value"] = 99.9
            digest = event_hash(
                station, r.seq, r.ts, r.actor, r.batch, r.type, payload, r.reason, prev
            )
            conn.execute(
                text(
                    "UPDATE events SET payload = :p, prev = :prev, hash = :h "
                    "WHERE station = :s AND seq = :q"
                ),
                {
                    "p": json.dumps(
                        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                    ),
                    "prev": prev,
                    "h": digest,
                    "s": station,
                    "q": r.seq,
                },
            )
            prev = digest
        conn.execute(
            text("UPDATE stations SET head_hash = :h WHERE name = :s"), {"h": prev, "s": station}
        )
    engine.dispose()


def tamper_server(database_url: str, station: str, seq: int) -> None:
    """Edit one stored payload behind the server's back (its triggers dropped/disabled first)."""
    edit = "UPDATE events SET payload = '{\"value\":0}' WHERE station = %s AND seq = %s"
    if "://" not in database_url:
        import sqlite3

        with sqlite3.connect(database_url) as conn:
            conn.execute("DROP TRIGGER events_no_update")
            conn.execute(edit.replace("%s", "?"), (station, seq))
        conn.close()
        return
    url = make_url(database_url)
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    ) as conn:
        conn.execute("ALTER TABLE events DISABLE TRIGGER events_append_only")
        conn.execute(edit, (station, seq))


def test_an_unreachable_database_is_one_line() -> None:
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/central"
    code, out = central("stations", "list", "--db", url)
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("central stations: the server database is unavailable")
    assert central("verify", "--db", "mysql://x/y")[1].startswith(
        "central verify: unsupported database 'mysql'"
    )


def test_python_dash_m_central(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "central", "stations", "list", "--db", str(tmp_path / "c.sqlite")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "no stations registered" in done.stdout


def test_serve_needs_both_tls_files(tmp_path: Path) -> None:
    code, out = central("serve", "--ssl-keyfile", "key.pem", "--db", str(tmp_path / "c.sqlite"))
    assert code == 2
    assert out.strip() == "serve: give both --ssl-keyfile and --ssl-certfile, or neither"


def test_station_setup_checks_its_token_with_the_server(central: Central, tmp_path: Path) -> None:
    from tests.helpers import run_kiosk

    token = tmp_path / "token"
    token.write_text(central.add_station("CR2-K9") + "\n", encoding="utf-8")
    base = [
        "setup",
        "--station",
        "CR2-K9",
        "--admin",
        "ada",
        "--admin-name",
        "Ada Adeyemi",
        "--server",
        central.url,
        "--token-file",
        str(token),
    ]
    good = run_kiosk(
        *base,
        "--config",
        str(tmp_path / "a.toml"),
        "--db",
        str(tmp_path / "a.sqlite"),
        stdin="admin-ada-2026\n",
    )
    assert good.returncode == 0, good.stdout
    assert "knows this station's token" in good.stdout
    assert f'url = "{central.url}"' in (tmp_path / "a.toml").read_text()
    bad = tmp_path / "bad-token"
    bad.write_text("not-a-token\n", encoding="utf-8")
    base[base.index(str(token))] = str(bad)
    refused = run_kiosk(
        *base,
        "--config",
        str(tmp_path / "b.toml"),
        "--db",
        str(tmp_path / "b.sqlite"),
        stdin="admin-ada-2026\n",
    )
    assert refused.returncode == 1
    assert "did not accept this station" in refused.stdout
    assert not (tmp_path / "b.toml").exists()
    offline = run_kiosk(
        *base,
        "--offline",
        "--config",
        str(tmp_path / "c.toml"),
        "--db",
        str(tmp_path / "c.sqlite"),
        stdin="admin-ada-2026\n",
    )
    assert offline.returncode == 0, offline.stdout


def test_setup_pins_the_servers_receipt_key_from_central_key(
    central: Central, tmp_path: Path
) -> None:
    """`central key` gives the admin the server's public key; `kiosk setup --server-key` pins
    it before the first push, and a server serving another key is refused at setup."""
    import os

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk import receipts
    from tests.helpers import run_kiosk

    out = io.StringIO()
    pem_file = tmp_path / "server.pem"
    assert (
        central_main(["key", "--out", str(pem_file), "--db", str(tmp_path / "k.sqlite")], out) == 0
    )
    pem = pem_file.read_text(encoding="ascii")
    assert f"fingerprint {receipts.fingerprint(pem)}" in out.getvalue()
    assert central_main(["key", "--out", str(pem_file), "--db", str(tmp_path / "k.sqlite")]) == 1

    token = tmp_path / "token"
    token.write_text(central.add_station("CR2-K8") + "\n", encoding="utf-8")

    def setup(name: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return run_kiosk(
            "setup",
            "--station",
            "CR2-K8",
            "--server",
            central.url,
            "--token-file",
            str(token),
            "--config",
            str(tmp_path / f"{name}.toml"),
            "--db",
            str(tmp_path / f"{name}.sqlite"),
            *extra,
        )

    good = setup("a", "--server-key", str(pem_file))
    assert good.returncode == 0, good.stdout
    assert f"receipt key is pinned: fingerprint {receipts.fingerprint(pem)}" in good.stdout
    sync_file = SyncState.path_for(tmp_path / "a.sqlite")
    assert receipts.pinned_key(sync_file) == pem
    assert os.stat(sync_file).st_mode & 0o777 == 0o600
    pushed = run_kiosk(
        "sync",
        "push",
        "--db",
        str(tmp_path / "a.sqlite"),
        "--server",
        central.url,
        "--token",
        token.read_text().strip(),
    )
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr  # its receipt verifies

    other = Ed25519PrivateKey.generate().public_key()
    other_file = tmp_path / "other.pem"
    other_file.write_bytes(
        other.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    wrong = setup("b", "--server-key", str(other_file))
    assert wrong.returncode == 1
    assert "is not the one in" in wrong.stdout
    assert not (tmp_path / "b.toml").exists()
    assert not (tmp_path / "b.sqlite").exists()

    junk = tmp_path / "junk.pem"
    junk.write_text("not a key\n", encoding="ascii")
    refused = setup("c", "--server-key", str(junk))
    assert refused.returncode == 1
    assert "is not the server's receipt key" in refused.stdout

    served = setup("d")  # online without a file: the served key, fingerprint shown
    assert served.returncode == 0, served.stdout
    assert receipts.pinned_key(SyncState.path_for(tmp_path / "d.sqlite")) == pem
    offline = setup("e", "--offline")
    assert offline.returncode == 0, offline.stdout
    assert "not pinned yet" in offline.stdout
